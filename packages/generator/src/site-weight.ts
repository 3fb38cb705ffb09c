import { gzipSync } from 'node:zlib';
import type { SiteFile } from './pages.js';

/** Gzipped bytes of what the home page loads (as a server compressing at the default level sends it). */
export interface HomeWeight {
  html: number;
  css: number;
  js: number;
  index: number;
  total: number;
}

/** Home page weight budget (gzipped) at 200 recipes, from the issue. */
export const HOME_BUDGET_BYTES = 100 * 1024;
export const JS_BUDGET_BYTES = 30 * 1024;

export function gzipSize(content: string | Uint8Array): number {
  return gzipSync(typeof content === 'string' ? Buffer.from(content) : content).length;
}

export function homeWeight(files: readonly SiteFile[], names = { html: 'index.html', css: 'style.css', js: 'app.js', index: 'search-index.json' }): HomeWeight {
  const size = (path: string): number => {
    const file = files.find((f) => f.path === path);
    return file ? gzipSize(file.content) : 0;
  };
  const weight = { html: size(names.html), css: size(names.css), js: size(names.js), index: size(names.index) };
  return { ...weight, total: weight.html + weight.css + weight.js + weight.index };
}
