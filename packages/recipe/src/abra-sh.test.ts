import { describe, expect, it } from '@jest/globals';
import { abraExport, parseAbraSh } from './abra-sh.js';

describe('parseAbraSh', () => {
  const sh = parseAbraSh(
    [
      '#!/bin/bash',
      'export APP_ENTRYPOINT_VERSION=v4',
      'export NGINX_CONF_VERSION="v2"',
      "  export PG_BACKUP_VERSION='v6' # comment",
      'NOT_EXPORTED=v1',
      'export $(echo evil)=x',
      'custom_cmd() {',
      '  export INSIDE_VERSION=v9',
      '}',
      'function other {',
      '}',
    ].join('\n'),
  );

  it('reads export lines as text, with positions', () => {
    expect(sh.exports.map((e) => [e.name, e.value])).toEqual([
      ['APP_ENTRYPOINT_VERSION', 'v4'],
      ['NGINX_CONF_VERSION', 'v2'],
      ['PG_BACKUP_VERSION', 'v6'],
      ['INSIDE_VERSION', 'v9'],
    ]);
    expect(abraExport(sh, 'NGINX_CONF_VERSION')?.valueSpan).toMatchObject({ line: 3, col: 28, endCol: 30 });
    expect(abraExport(sh, 'PG_BACKUP_VERSION')?.nameSpan).toMatchObject({ line: 4, col: 10 });
  });

  it('lists shell functions', () => {
    expect(sh.functions).toEqual(['custom_cmd', 'other']);
  });
});
