import { describe, expect, it } from '@jest/globals';
import { interpolateString } from './template.js';

const env: Record<string, string> = {
  NAME: 'galley',
  EMPTY: '',
  PORT: '8080',
  STACK_NAME: 'forum_example_com',
  DOMAIN: 'forum.example.com',
  VERSION: 'v2',
  DOLLAR: '$',
  NESTED: '${NAME}',
};
const lookup = (name: string) => env[name];

describe('interpolateString: values', () => {
  const cases: [template: string, expected: string][] = [
    ['plain text', 'plain text'],
    ['$NAME', 'galley'],
    ['${NAME}', 'galley'],
    ['x$NAME.y', 'xgalley.y'],
    ['x${NAME}y', 'xgalleyy'],
    ['$NAME$PORT', 'galley8080'],
    ['${UNSET}', ''],
    ['$UNSET', ''],
    ['${EMPTY}', ''],
    ['${UNSET:-dflt}', 'dflt'],
    ['${EMPTY:-dflt}', 'dflt'],
    ['${NAME:-dflt}', 'galley'],
    ['${UNSET-dflt}', 'dflt'],
    ['${EMPTY-dflt}', ''],
    ['${NAME-dflt}', 'galley'],
    ['${UNSET:-}', ''],
    ['${NAME:+alt}', 'alt'],
    ['${EMPTY:+alt}', ''],
    ['${UNSET:+alt}', ''],
    ['${NAME+alt}', 'alt'],
    ['${EMPTY+alt}', 'alt'],
    ['${UNSET+alt}', ''],
    ['${NAME:?must be set}', 'galley'],
    ['${EMPTY?may be empty}', ''],
    ['$$', '$'],
    ['$$NAME', '$NAME'],
    ['$${NAME}', '${NAME}'],
    ['a$$b', 'a$b'],
    ['$$$NAME', '$galley'],
    ['${UNSET:-${NAME}}', 'galley'],
    ['${UNSET:-${ALSO_UNSET:-deep}}', 'deep'],
    ['${UNSET:-${ALSO_UNSET:-${PORT}}}', '8080'],
    ['${UNSET:-prefix-${NAME}-suffix}', 'prefix-galley-suffix'],
    ['${UNSET:-$NAME}', 'galley'],
    ['${UNSET:-a}b}', 'ab}'],
    ['${UNSET:-{}}', '{}'],
    ['${UNSET:-with spaces and : colons}', 'with spaces and : colons'],
    ['${NAME:+${PORT}}', '8080'],
    ['${STACK_NAME}_db_password_${VERSION}', 'forum_example_com_db_password_v2'],
    ['Host(`${DOMAIN}`${EXTRA_DOMAINS})', 'Host(`forum.example.com`)'],
    ['${DOLLAR}', '$'],
    ['${NESTED}', '${NAME}'],
    ['${UNSET:-$$}', '$'],
    ['${PORT}:80', '8080:80'],
    ['${name}', ''],
    ['${_UNDERSCORE:-ok}', 'ok'],
    ['100%', '100%'],
  ];

  it.each(cases)('%j → %j', (template, expected) => {
    const result = interpolateString(template, lookup);
    expect(result.errors).toEqual([]);
    expect(result.value).toBe(expected);
  });

  it('covers at least 40 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });
});

describe('interpolateString: errors', () => {
  const cases: [template: string, message: string, start: number, end: number][] = [
    ['${UNSET:?is required}', 'required variable UNSET is missing a value: is required', 0, 21],
    ['${EMPTY:?is required}', 'required variable EMPTY is missing a value: is required', 0, 21],
    ['${UNSET?}', 'required variable UNSET is missing a value', 0, 9],
    ['x ${UNSET:?need ${NAME}}', 'required variable UNSET is missing a value: need galley', 2, 24],
    ['cost: 5$', 'invalid interpolation format: "cost: 5$"; a lone "$" must be escaped as "$$"', 7, 8],
    ['$ 1', 'invalid interpolation format: "$ 1"; a lone "$" must be escaped as "$$"', 0, 1],
    ['${}', 'invalid interpolation format: "${}"; "${" must be followed by a variable name', 0, 3],
    ['${ NAME}', 'invalid interpolation format: "${ NAME}"; "${" must be followed by a variable name', 0, 8],
    ['${1ABC}', 'invalid interpolation format: "${1ABC}"; "${" must be followed by a variable name', 0, 7],
    ['${NAME', 'invalid interpolation format: "${NAME"; "${" is not closed with "}"', 0, 6],
    ['${NAME:x}', 'invalid interpolation format: "${NAME:x}"; "${NAME:" is not a known substitution (use :-, -, :?, ?, :+ or +)', 0, 9],
    ['${NAME/a/b}', 'invalid interpolation format: "${NAME/a/b}"; "${NAME/" is not a known substitution (use :-, -, :?, ?, :+ or +)', 0, 11],
    ['${UNSET:-unclosed', 'invalid interpolation format: "${UNSET:-unclosed"; "${" is not closed with "}"', 0, 17],
  ];

  it.each(cases)('%j fails: %s', (template, message, start, end) => {
    const result = interpolateString(template, lookup);
    expect(result.errors).toEqual([expect.objectContaining({ message, start, end })]);
  });

  it('does not fire an error inside an unused default', () => {
    const result = interpolateString('${NAME:-${UNSET:?never evaluated}}', lookup);
    expect(result).toMatchObject({ value: 'galley', errors: [] });
  });

  it('reports every error of a string', () => {
    const result = interpolateString('${A:?a} and ${B:?b}', lookup);
    expect(result.errors.map((e) => e.name)).toEqual(['A', 'B']);
  });
});

describe('interpolateString: references', () => {
  it('lists every reference with its form, offsets and state', () => {
    const result = interpolateString('${UNSET:-${NAME}}-$PORT', lookup);
    expect(result.refs).toEqual([
      { name: 'UNSET', form: ':-', argument: '${NAME}', start: 0, end: 17, set: false, defaulted: true },
      { name: 'NAME', form: 'plain', start: 9, end: 16, set: true, defaulted: false },
      { name: 'PORT', form: 'plain', start: 18, end: 23, set: true, defaulted: false },
    ]);
  });

  it('lenient mode keeps stray dollars and unclosed braces', () => {
    expect(interpolateString('pa$ word ${X', lookup, { lenient: true })).toMatchObject({ value: 'pa$ word ${X', errors: [] });
  });
});
