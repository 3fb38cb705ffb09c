import { describe, expect, it } from '@jest/globals';
import { substituteLikeDockerCli } from './docker-cli.js';
import { interpolateString } from './template.js';

const env: Record<string, string> = { A: 'a', B: 'b', E: '' };
const lookup = (name: string) => env[name];

/** Each expectation is what `docker stack config` (docker 28) prints for the same value with A=a, B=b, E= (the lint differential suite asks it again). */
describe('substituteLikeDockerCli', () => {
  it.each([
    ['${A:-${B}}', 'a}'],
    ['${E:-${B}}', '${B}'],
    ['$A-x', 'a'],
    ['$A:-q', 'a'],
    ['${U-x}', 'x'],
    ['${A:+x} ${B}', '{A:+x} b'],
    ['${U:?boom} ${B}', ' b'],
    ['$$A and ${A}', '$A and a'],
    ['${a}', ''],
  ])('%s is %s', (template, value) => {
    expect(substituteLikeDockerCli(template, lookup)).toEqual({ value });
  });

  it.each([['${A:+x}'], ['${A+x}'], ['x$'], ['${U:?set U}'], ['${}']])('refuses %s', (template) => {
    expect(substituteLikeDockerCli(template, lookup).error).toBeDefined();
  });

  it('agrees with compose-spec interpolation on the common forms', () => {
    for (const template of ['${A}', '$A', '${U:-d}', '${E-d}', 'x-${B}-y', '${A:?m}']) {
      expect(substituteLikeDockerCli(template, lookup).value).toBe(interpolateString(template, lookup).value);
    }
  });
});
