import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { galleyHome } from './index.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'galley-home-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function tree(root: string, files: string[]): void {
  for (const file of files) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), '');
  }
}

describe('galleyHome', () => {
  it("is the repository from the sources: it holds galley's schemas and templates", () => {
    const home = galleyHome();
    expect(home).toBe(path.resolve(import.meta.dirname, '../../../..'));
  });

  it("is an installed package's root, found from its lib/ and bin/, and never a folder above it", () => {
    const outer = path.join(tmp, 'outer');
    tree(outer, ['schemas/catalogue.schema.json', 'site-templates/layout.eta']);
    const pkg = path.join(outer, 'node_modules', 'galley');
    tree(pkg, ['schemas/catalogue.schema.json', 'site-templates/layout.eta', 'lib/chunk.js', 'bin/galley.js']);
    expect(galleyHome(path.join(pkg, 'lib'))).toBe(pkg);
    expect(galleyHome(path.join(pkg, 'bin'))).toBe(pkg);
  });

  it('needs both markers, and is undefined when no ancestor has them', () => {
    const half = path.join(tmp, 'half');
    tree(half, ['schemas/catalogue.schema.json', 'lib/chunk.js']);
    expect(galleyHome(path.join(half, 'lib'))).toBeUndefined();
  });
});
