import { describe, expect, it } from '@jest/globals';
import { envRequirements, requiredEnvVars } from './env-requirements.js';
import { readRecipe } from './recipe.js';
import { MemorySource } from './source.js';
import { resolveStack } from './stack.js';

async function requirements(compose: string, sample: string) {
  const recipe = await readRecipe(new MemorySource({ 'compose.yml': compose, '.env.sample': sample }), 'r');
  const stack = resolveStack(recipe);
  return { all: envRequirements(recipe.envSample, stack), required: requiredEnvVars(recipe.envSample, stack) };
}

describe('envRequirements: a key is required when .env.sample sets it and compose uses it without a default', () => {
  it.each([
    ['${KEY}', true],
    ['$KEY', true],
    ['${KEY:?give a key}', true],
    ['${KEY?give a key}', true],
    ['${KEY:-fallback}', false],
    ['${KEY-fallback}', false],
    ['${KEY:+on}', false],
  ])('used as %s: required %s', async (use, required) => {
    const { all } = await requirements(`services:\n  app:\n    image: nginx:1\n    environment:\n      - X=${use}\n`, 'KEY=value\n');
    expect(all.map((r) => [r.name, r.required])).toEqual([['KEY', required]]);
  });

  it('counts a variable passed through (list or map form) as used without a default, at its place', async () => {
    const { required } = await requirements(
      'services:\n  app:\n    image: nginx:1\n    environment:\n      - FROM_LIST\n  db:\n    image: postgres:16\n    environment:\n      FROM_MAP:\n',
      'FROM_LIST=a\nFROM_MAP=b\n',
    );
    expect(required.map((r) => [r.name, `${r.usedAt?.file}:${r.usedAt?.line}:${r.usedAt?.col}`])).toEqual([
      ['FROM_LIST', 'compose.yml:5:9'],
      ['FROM_MAP', 'compose.yml:9:7'],
    ]);
  });

  it('leaves commented and unused keys optional; one use without a default is enough', async () => {
    const { all } = await requirements(
      'services:\n  app:\n    image: nginx:${TAG:-1}\n    environment:\n      - A=${SMTP_HOST}\n      - B=${BOTH:-x}\n      - C=${BOTH}\n',
      'TYPE=r\n#SMTP_HOST=smtp.example.com\nTAG=1.27\nBOTH=y\nUNUSED=z\n',
    );
    expect(all.map((r) => [r.name, r.required, r.usedAt?.line])).toEqual([
      ['TYPE', false, undefined],
      ['SMTP_HOST', false, undefined],
      ['TAG', false, undefined],
      ['BOTH', true, 7],
      ['UNUSED', false, undefined],
    ]);
  });

  it('takes the uncommented line of a key set twice', async () => {
    const { all } = await requirements('services:\n  app:\n    image: nginx:1\n    environment:\n      - K=${KEY}\n', '#KEY=old\nKEY=new\n#KEY=later\n');
    expect(all.map((r) => [r.name, r.entry.value, r.entry.commented, r.required])).toEqual([['KEY', 'new', false, true]]);
  });

  it('has nothing to say without a .env.sample', () => {
    expect(envRequirements(undefined, { refs: [], root: null })).toEqual([]);
  });
});
