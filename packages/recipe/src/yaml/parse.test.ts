import { describe, expect, it } from '@jest/globals';
import { getIn, getPair, isMap, toJS, type YMap, type YScalar } from './nodes.js';
import { parseYaml } from './parse.js';

const at = (node: { span: { line: number; col: number; endLine: number; endCol: number } } | undefined) =>
  node && [node.span.line, node.span.col, node.span.endLine, node.span.endCol];

describe('parseYaml positions', () => {
  const text = [
    'services:', //                     1
    '  app:', //                         2
    '    image: "nginx:1.25"', //         3
    '    ports:', //                     4
    '      - "80:80"', //                 5
    '      - target: 443', //            6
    '        published: 8443', //        7
  ].join('\n');
  const { root, diagnostics } = parseYaml(text, 'compose.yml');

  it('parses without diagnostics', () => {
    expect(diagnostics).toEqual([]);
  });

  it('keeps file, line, column, end line and end column of every node', () => {
    expect(at(getIn(root, 'services', 'app', 'image'))).toEqual([3, 12, 3, 24]);
    expect(at(getIn(root, 'services', 'app', 'ports', 0))).toEqual([5, 9, 5, 16]);
    expect(at(getIn(root, 'services', 'app', 'ports', 1, 'published'))).toEqual([7, 20, 7, 24]);
    expect(getIn(root, 'services', 'app', 'image')?.span.file).toBe('compose.yml');
  });

  it('keeps key positions', () => {
    const app = getIn(root, 'services', 'app') as YMap;
    expect(at(getPair(app, 'ports')?.key)).toEqual([4, 5, 4, 10]);
  });

  it('records the scalar style', () => {
    expect((getIn(root, 'services', 'app', 'image') as YScalar).style).toBe('double');
    expect((getIn(root, 'services', 'app', 'ports', 1, 'target') as YScalar).value).toBe(443);
  });
});

describe('anchors and merge keys', () => {
  const text = [
    'x-common: &common', //          1
    '  restart: always', //          2
    '  logging: &log', //            3
    '    driver: json-file', //       4
    'services:', //                  5
    '  app:', //                     6
    '    <<: *common', //            7
    '    restart: "no"', //          8
    '    image: app:1', //           9
    '  db:', //                      10
    '    <<: [*common]', //          11
    '    logging: *log', //          12
  ].join('\n');
  const { root, diagnostics } = parseYaml(text, 'compose.yml');

  it('resolves merge keys with explicit keys winning', () => {
    expect(diagnostics).toEqual([]);
    expect(toJS(getIn(root, 'services', 'app'))).toEqual({
      restart: 'no',
      image: 'app:1',
      logging: { driver: 'json-file' },
    });
  });

  it('keeps the position where merged values were written, and where they were merged', () => {
    const app = getIn(root, 'services', 'app') as YMap;
    const logging = getPair(app, 'logging')!;
    expect(at(getIn(logging.value, 'driver'))).toEqual([4, 13, 4, 22]);
    expect(at(logging.mergedAt ? { span: logging.mergedAt } : undefined)).toEqual([7, 5, 7, 7]);
    expect(at(getIn(root, 'services', 'app', 'restart'))).toEqual([8, 14, 8, 18]);
  });

  it('resolves aliases to the anchored node', () => {
    expect(at(getIn(root, 'services', 'db', 'logging', 'driver'))).toEqual([4, 13, 4, 22]);
    expect(toJS(getIn(root, 'services', 'db', 'restart'))).toBe('always');
  });
});

describe('problems come back as diagnostics with positions', () => {
  it('reports duplicate keys with both positions', () => {
    const { diagnostics, root } = parseYaml('services:\n  app:\n    image: a\n    image: b\n', 'c.yml');
    expect(diagnostics).toEqual([
      expect.objectContaining({
        code: 'duplicate-key',
        severity: 'error',
        span: expect.objectContaining({ line: 4, col: 5, endLine: 4, endCol: 10 }),
        related: [expect.objectContaining({ span: expect.objectContaining({ line: 3, col: 5 }) })],
      }),
    ]);
    expect(toJS(getIn(root, 'services', 'app', 'image'))).toBe('b');
  });

  it('reports syntax errors at their position', () => {
    const { diagnostics, root } = parseYaml('services:\n  app:\n    image: [a, b\n  db: {}\n', 'c.yml');
    expect(root).toBeNull();
    expect(diagnostics.length).toBeGreaterThan(0);
    expect(diagnostics[0]).toMatchObject({ code: 'yaml-syntax', severity: 'error', span: { file: 'c.yml' } });
    expect(diagnostics[0]!.span!.line).toBeGreaterThanOrEqual(3);
  });

  it('reports a tab indentation error', () => {
    const { diagnostics } = parseYaml('services:\n\tapp: {}\n', 'c.yml');
    expect(diagnostics[0]).toMatchObject({ code: 'yaml-syntax', span: { line: 2 } });
  });

  it('rejects an alias bomb quickly', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++) {
      const prev = `*a${i - 1}`;
      lines.push(`a${i}: &a${i} [${Array(10).fill(prev).join(', ')}]`);
    }
    const { root, diagnostics } = parseYaml(lines.join('\n'), 'bomb.yml');
    expect(root).toBeNull();
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'yaml-alias-bomb', severity: 'error' })]);
    expect(diagnostics[0]!.message).toContain('billion laughs');
  });

  it('rejects a 20 MB file before parsing it', () => {
    const big = `services:\n  app:\n    environment:\n${'      - X=yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy\n'.repeat(460_000)}`;
    expect(big.length).toBeGreaterThan(20_000_000);
    const { root, diagnostics } = parseYaml(big, 'big.yml');
    expect(root).toBeNull();
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'file-too-large' })]);
    expect(diagnostics[0]!.message).toMatch(/big\.yml is 2\d\.\d MiB; galley reads YAML files up to 4\.0 MiB/);
  });

  it('rejects absurd nesting without a stack overflow', () => {
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const { root, diagnostics } = parseYaml(deep, 'deep.yml');
    expect(root).toBeNull();
    expect(diagnostics[0]?.code).toMatch(/yaml-too-deep|yaml-syntax/);
  });

  it('keeps !reset and !override tags without warnings', () => {
    const { root, diagnostics } = parseYaml('services:\n  app:\n    ports: !reset []\n    command: !override [a]\n', 'o.yml');
    expect(diagnostics).toEqual([]);
    expect(getIn(root, 'services', 'app', 'ports')?.tag).toBe('!reset');
    expect(getIn(root, 'services', 'app', 'command')?.tag).toBe('!override');
  });

  it('reads a leading-zero number as octal, as Go YAML readers do', () => {
    const { root } = parseYaml('mode: 0440\nport: 8080\nquoted: "0440"\n', 'm.yml');
    expect(toJS(root)).toEqual({ mode: 0o440, port: 8080, quoted: '0440' });
  });

  it('gives an empty document a null root', () => {
    const { root, diagnostics } = parseYaml('# only a comment\n', 'e.yml');
    expect(root).toBeNull();
    expect(diagnostics).toEqual([]);
    expect(isMap(root)).toBe(false);
  });
});
