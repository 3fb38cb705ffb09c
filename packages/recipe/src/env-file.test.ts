import { describe, expect, it } from '@jest/globals';
import { envEntry, envValues, parseEnvFile, parseModifiers } from './env-file.js';

const sample = [
  'TYPE=forum', //                                         1
  '', //                                                   2
  '# the domain of the app', //                            3
  'DOMAIN=forum.example.com', //                           4
  'LETS_ENCRYPT_ENV=production', //                        5
  'COMPOSE_FILE="compose.yml"', //                         6
  'COMPOSE_FILE="$COMPOSE_FILE:compose.postgres.yml"', //  7
  '#COMPOSE_FILE="$COMPOSE_FILE:compose.smtp.yml"', //     8
  'SECRET_DB_PASSWORD_VERSION=v1  # length=32', //         9
  "SECRET_ADMIN_VERSION=v2 # generate=false charset='a-z'", // 10
  "QUOTED='single $DOMAIN # not a comment'", //            11
  'DOUBLE="double ${DOMAIN} \\"q\\""', //                  12
  '# SMTP_HOST=mail.example.com', //                       13
  'EMPTY=', //                                             14
  'URL=https://x.example/#anchor', //                      15
  'export LEGACY=yes', //                                  16
  'MULTI="line one', //                                    17
  'line two"', //                                          18
  'AFTER=${MULTI:-none}', //                               19
].join('\n');

describe('parseEnvFile', () => {
  const env = parseEnvFile(sample, '.env.sample');
  const get = (name: string) => envEntry(env, name);

  it('reads plain values with positions', () => {
    expect(get('DOMAIN')).toMatchObject({
      value: 'forum.example.com',
      quote: null,
      commented: false,
      nameSpan: { line: 4, col: 1, endLine: 4, endCol: 7 },
      valueSpan: { line: 4, col: 8, endLine: 4, endCol: 25 },
    });
  });

  it('expands $VAR and ${VAR} from earlier lines (COMPOSE_FILE builds up)', () => {
    expect(get('COMPOSE_FILE')?.value).toBe('compose.yml:compose.postgres.yml');
    expect(get('COMPOSE_FILE')?.raw).toBe('$COMPOSE_FILE:compose.postgres.yml');
  });

  it('keeps commented-out assignments as documented optional settings', () => {
    const off = env.entries.filter((e) => e.commented).map((e) => [e.name, e.value]);
    expect(off).toEqual([
      ['COMPOSE_FILE', 'compose.yml:compose.postgres.yml:compose.smtp.yml'],
      ['SMTP_HOST', 'mail.example.com'],
    ]);
    expect(envValues(env).get('SMTP_HOST')).toBeUndefined();
  });

  it('reads trailing-comment modifiers', () => {
    expect(get('SECRET_DB_PASSWORD_VERSION')).toMatchObject({ value: 'v1', modifiers: { length: '32' }, comment: 'length=32' });
    expect(get('SECRET_ADMIN_VERSION')?.modifiers).toEqual({ generate: 'false', charset: 'a-z' });
    expect(get('SECRET_DB_PASSWORD_VERSION')?.commentSpan).toMatchObject({ line: 9, col: 32 });
  });

  it('does not expand in single quotes and keeps # inside quotes', () => {
    expect(get('QUOTED')).toMatchObject({ value: 'single $DOMAIN # not a comment', quote: "'" });
  });

  it('expands and unescapes double quotes', () => {
    expect(get('DOUBLE')?.value).toBe('double forum.example.com "q"');
  });

  it('reads empty values, # inside a value, and export', () => {
    expect(get('EMPTY')?.value).toBe('');
    expect(get('URL')?.value).toBe('https://x.example/#anchor');
    expect(get('LEGACY')?.value).toBe('yes');
  });

  it('reads multi-line double-quoted values and goes on after them', () => {
    expect(get('MULTI')?.value).toBe('line one\nline two');
    expect(get('MULTI')?.span).toMatchObject({ line: 17, endLine: 18 });
    expect(get('AFTER')?.value).toBe('line one\nline two');
  });

  it('has no diagnostics for a valid file', () => {
    expect(env.diagnostics).toEqual([]);
  });

  it('reports lines that are no assignment and unclosed quotes', () => {
    const bad = parseEnvFile('GOOD=1\nthis is not valid\nOPEN="never closed\n', 'app.env');
    expect(bad.diagnostics.map((d) => [d.code, d.severity, d.span?.line])).toEqual([
      ['env-syntax', 'warning', 2],
      ['env-syntax', 'error', 3],
    ]);
    expect(bad.diagnostics[1]!.message).toBe('the " quote of OPEN is never closed');
  });

  it('handles CRLF line endings', () => {
    const crlf = parseEnvFile('A=1\r\nB="two"\r\nC=3 # length=5\r\n', 'crlf.env');
    expect(crlf.entries.map((e) => [e.name, e.value, e.modifiers])).toEqual([
      ['A', '1', {}],
      ['B', 'two', {}],
      ['C', '3', { length: '5' }],
    ]);
  });

  it('does not take prose comments for assignments', () => {
    const prose = parseEnvFile('# set to true *after* deploying\n## Domain aliases\n# e.g. FOO=bar\n', 'x.env');
    expect(prose.entries).toEqual([]);
  });
});

describe('parseModifiers', () => {
  it('reads key=value words and ignores prose', () => {
    expect(parseModifiers('length=64 charset=special,safe keep this')).toEqual({ length: '64', charset: 'special,safe' });
  });
});
