import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { GalleyError } from '@galley/platform';
import { Eta } from 'eta';
import { defaultTemplatesDir } from './paths.js';

/** The templates of a site: eta views plus the static assets beside them. */
export interface Templates {
  dir: string;
  render(name: string, data: object): string;
  /** A file of the templates folder as text (e.g. `not-found.css`). */
  readText(file: string): string;
}

/**
 * Opens a templates folder (default: galley's own `site-templates/`). Eta
 * escapes every `<%= %>` interpolation for HTML and attributes (& < > " ');
 * only `<%~ %>` prints raw, and the templates use it for HTML that galley
 * made itself (the sanitised README, rendered partials).
 */
export function openTemplates(dir: string | undefined = defaultTemplatesDir()): Templates {
  if (!dir || !existsSync(path.join(dir, 'layout.eta'))) {
    throw new GalleyError(
      'site-templates-missing',
      `cannot find the site templates${dir ? ` in ${dir}` : ''} (site-templates/layout.eta): is galley installed completely?`,
      { exitCode: 4 },
    );
  }
  const eta = new Eta({ views: dir, cache: true, autoEscape: true, autoTrim: [false, 'nl'], rmWhitespace: true, useWith: false });
  // Every template is compiled once and registered by name (`@layout`,
  // `@card`, …): rendering and includes then skip eta's path resolution,
  // which costs more than the rendering of a small partial.
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.eta'))
    .sort()) {
    const name = file.slice(0, -'.eta'.length);
    const filepath = path.join(dir, file);
    try {
      eta.loadTemplate(`@${name}`, eta.compile(readFileSync(filepath, 'utf8'), { filepath }));
    } catch (error) {
      throw new GalleyError('site-template', `template ${filepath} does not compile: ${(error as Error).message}`, { exitCode: 4, cause: error });
    }
  }
  return {
    dir,
    readText(file) {
      try {
        return readFileSync(path.join(dir, file), 'utf8');
      } catch (error) {
        throw new GalleyError('site-template', `cannot read ${path.join(dir, file)}: ${(error as Error).message}`, { exitCode: 4 });
      }
    },
    render(name, data) {
      try {
        return eta.render(`@${name}`, data);
      } catch (error) {
        throw new GalleyError('site-template', `template ${path.join(dir, `${name}.eta`)} failed: ${(error as Error).message}`, { exitCode: 4, cause: error });
      }
    },
  };
}
