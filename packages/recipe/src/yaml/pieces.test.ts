import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { Composer, Parser } from 'yaml';
import { MAX_YAML_ERRORS_COMPOSED, MAX_YAML_NODES, MAX_YAML_SYNTAX_ERRORS, parseYaml } from './parse.js';
import { mergePieces, splitPieces } from './pieces.js';

// Parsing in pieces must give exactly what the whole parse gives: the tree
// with every position, and every diagnostic. A piece size of 1 byte cuts at
// every line where a cut is allowed, the hardest case for the joins.
const whole = (text: string) => parseYaml(text, 'compose.yml', { pieceBytes: Number.MAX_SAFE_INTEGER });
const inPieces = (text: string) => parseYaml(text, 'compose.yml', { pieceBytes: 1 });
const same = (text: string) => {
  const a = whole(text);
  const b = inPieces(text);
  expect(b.diagnostics).toEqual(a.diagnostics);
  expect(b.root).toEqual(a.root);
  return a;
};

const CASES: Record<string, string> = {
  'services at the second level, anchors and merge keys across pieces': [
    'version: "3.8"',
    'x-common: &common',
    '  restart: always',
    '  logging: &log',
    '    driver: json-file',
    'services:',
    '  app:',
    '    <<: *common',
    '    image: app:1.2.3',
    '    ports:',
    '    - "80:80"',
    '    - target: 443',
    '      published: 8443',
    '  db:',
    '    <<: [*common]',
    '    logging: *log',
    '    environment:',
    '      - A=1',
    'volumes:',
    '  data:',
    'secrets:',
    '  one: {external: true}',
  ].join('\n'),
  'a block scalar whose lines look like keys': [
    'x-script: |',
    '  services:',
    '  app: not a key',
    '  x: y',
    'services:',
    '  app:',
    '    command: >-',
    '      first: line',
    '  db: after the folded scalar',
    '  web:',
    '    entrypoint: |2',
    '      indented: by two',
    '    image: web:1',
  ].join('\n'),
  'flow collections and quoted strings over several lines': [
    'services:',
    '  app:',
    '    command: [',
    '      "a",',
    '      b: c,',
    '    ]',
    '    environment: {',
    '      A: 1,',
    '      B: 2 }',
    '  db:',
    '    image: "first',
    '      second: line"',
    "    label: 'one",
    "      two: three'",
    'x-list: [',
    '  a: b,',
    '  ]',
  ].join('\n'),
  'a compact sequence at column 0, comments and blank lines': [
    '# a comment',
    'x-items:',
    '- one',
    '- two',
    '',
    '# between',
    'x-more:',
    '  # indented comment',
    '  - three',
    'services:',
    '',
    '  app:',
    '    image: app:1 # trailing',
    '',
  ].join('\n'),
  'duplicate keys in different pieces': ['services:', '  app:', '    image: a:1', '  app:', '    image: a:2', 'services:', '  db:', '    image: d:1'].join(
    '\n',
  ),
  'four-space indentation and CRLF line ends': [
    'services:',
    '    app:',
    '        image: app:1',
    '    db:',
    '        image: db:1',
    'volumes:',
    '    data:',
  ].join('\r\n'),
  'tabs and an indented line after a dedent': ['services:', '  app:', '\timage: bad', '  db:', '    image: ok', 'x:', '   y: 1', '  z: 2'].join('\n'),
  'syntax errors in several pieces': ['services:', '  app:', '    image: a: b', '  db:', '    ports: [80', 'volumes:', '  data: "x'].join('\n'),
  'a document marker': ['services:', '  app:', '    image: a:1', '---', 'services:', '  b:', '    image: b:1'].join('\n'),
  'a sequence at the top': ['- a', '- b: c', '  d: e', '- f'].join('\n'),
  'a top-level flow mapping over lines': ['{', 'services: {},', 'volumes: {}', '}'].join('\n'),
  'a key with an empty value before deeper lines': ['services:', '  app:', '  db:', '    image: db:1', 'x-a:', 'x-b:'].join('\n'),
  'unusual keys': ['"quoted": 1', 'plain.dotted/slash-key: 2', '? complex', ': value', 'services:', '  "app":', '    image: a:1', '  ? db', '  : image'].join(
    '\n',
  ),
  'tags and overrides': ['services:', '  app: !reset null', '  db: !override', '    image: db:1', '  web: !custom x'].join('\n'),
};

describe('parsing big YAML files in pieces', () => {
  for (const [name, text] of Object.entries(CASES)) {
    it(`gives what the whole parse gives: ${name}`, () => {
      same(text);
      same(`${text}\n`);
    });
  }

  it('gives what the whole parse gives for the example recipes', () => {
    const recipes = path.resolve(import.meta.dirname, '../../../../examples/recipes');
    let files = 0;
    for (const recipe of readdirSync(recipes)) {
      for (const file of readdirSync(path.join(recipes, recipe))) {
        if (!/\.ya?ml$/.test(file)) continue;
        same(readFileSync(path.join(recipes, recipe, file), 'utf8'));
        files++;
      }
    }
    expect(files).toBeGreaterThanOrEqual(5);
  });

  it('gives what the whole parse gives for 300 seeded mutations of these cases', () => {
    // xorshift32, seeded: the same mutations on every run.
    let state = 0x9e3779b9;
    const random = (n: number) => {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      return (state >>> 0) % n;
    };
    const tokens = [':', ': ', '- ', '-', '[', ']', '{', '}', '"', "'", '|', '>-', '&a ', '*a', '? ', '#', '\t', '\n', '\n  ', '\n    - ', 'k: v\n', '  '];
    const texts = Object.values(CASES);
    for (let i = 0; i < 300; i++) {
      let text = texts[random(texts.length)]!;
      for (let edits = 1 + random(3); edits > 0; edits--) {
        const at = random(text.length + 1);
        text = random(4) === 0 ? text.slice(0, at) + text.slice(at + 1 + random(8)) : text.slice(0, at) + tokens[random(tokens.length)] + text.slice(at);
      }
      same(text);
    }
  });

  it('gives what the whole parse gives for a big generated compose file, at the default piece size', () => {
    const services = Array.from(
      { length: 3000 },
      (_, i) =>
        `  s${i}:\n    image: nginx:1.27.${i % 10}\n    <<: *defaults\n    command: |\n      run ${i}\n      k${i}: v\n    ports: ["${10_000 + i}:80"]\n    depends_on: [s${(i + 1) % 3000}]\n`,
    );
    const text = `x-defaults: &defaults\n  restart: always\nservices:\n${services.join('')}volumes:\n  data:\n`;
    expect(splitPieces(text, 64 * 1024).length).toBeGreaterThan(3);
    const result = same(text);
    expect(parseYaml(text, 'compose.yml').root).toEqual(result.root);
    expect(result.diagnostics).toEqual([]);
  });

  it('joins the pieces of usual compose files without parsing them whole again', () => {
    const joins = (text: string, bytes: number) => {
      const starts = splitPieces(text, bytes);
      const roots = starts.map((start, i) => {
        const parser = new Parser();
        parser.offset = start;
        const end = starts[i + 1] ?? text.length;
        const [doc, ...more] = new Composer().compose(parser.parse(text.slice(start, end)), true, end);
        expect(more).toEqual([]);
        expect(doc!.errors).toEqual([]);
        return doc!.contents;
      });
      return { pieces: starts.length, joined: mergePieces(roots, text) };
    };
    const service = (i: number) =>
      `  s${i}:\n    image: nginx:1.27.${i % 10}\n    environment:\n      - A=${i}\n    ports:\n    - "${10_000 + i}:80"\n    deploy:\n      labels: [a=b]\n      replicas: 1\n`;
    const text = `version: "3.8"\nservices:\n${Array.from({ length: 400 }, (_, i) => service(i)).join('')}volumes:\n  data:\n`;
    // Cut at every line: after "s1:", "environment:", "ports:", "deploy:" the next piece is their value.
    expect(joins(text, 1)).toEqual({ pieces: text.trimEnd().split('\n').length, joined: true });
    expect(joins(text, 4096)).toEqual({ pieces: expect.any(Number), joined: true });
    // A cut inside a block scalar has no place: the file is parsed whole.
    expect(joins(`x-script: |\n  a: 1\n  b: 2\n${text}`, 1).joined).toBe(false);
  });

  it('cuts at keys and list items, at any line when none comes, and where a piece would dedent', () => {
    const cuts = (text: string, bytes: number) => splitPieces(text, bytes).map((at) => text.slice(at).split('\n')[0]);
    const text = ['services:', '  app:', '    command: >', '      aaaa', '      bbbb', '      cccc', '    ports:', '    - 80', 'volumes: {}'].join('\n');
    // 15 bytes: "command:" is the first key after 15 bytes; among the folded lines the cut comes after 30 more.
    expect(cuts(text, 15)).toEqual(['services:', '    command: >', '      cccc', '    ports:', 'volumes: {}']);
    expect(cuts(text, 1)).toEqual(text.split('\n'));
    expect(splitPieces(`%YAML 1.2\n---\n${text}`, 1)).toEqual([0]);
    expect(splitPieces(text, text.length)).toEqual([0]);
  });

  // Each of these 4 MiB floods took 6 to 10 s and up to 1.2 GB parsed whole.
  for (const line of ['x: a: b\n', '- a: b: c\n', ': : :\n', '\tx: y\n', '  x: a: b\n']) {
    it(`stops a flood of syntax errors after the first pieces: ${JSON.stringify(line)}`, () => {
      const text = `services:\n${line.repeat((4 << 20) / line.length - 2)}`;
      const { diagnostics, root } = parseYaml(text, 'compose.yml');
      expect(root).toBeNull();
      expect(diagnostics).toHaveLength(MAX_YAML_SYNTAX_ERRORS + 1);
      expect(diagnostics.at(-1)!.message).toMatch(new RegExp(`^and at least ${MAX_YAML_ERRORS_COMPOSED - MAX_YAML_SYNTAX_ERRORS} more syntax errors`));
      // The count is reached in the first pieces, long before the end.
      expect(diagnostics.at(-1)!.span?.offset).toBeLessThan(256 * 1024);
    });
  }

  it('refuses a file of more values than the limit where it passes the limit', () => {
    const text = `services:\n  app:\n    image: a:1\nx-many:\n${'- \n'.repeat(1_000_000)}`;
    const { diagnostics, root } = parseYaml(text, 'compose.yml');
    expect(root).toBeNull();
    expect(diagnostics).toEqual([
      expect.objectContaining({ code: 'file-too-large', message: expect.stringContaining(`more than ${MAX_YAML_NODES} YAML values`) }),
    ]);
    // Refused at the start of the piece that passes MAX_YAML_NODES lines of "- " (3 bytes each), not at the end.
    expect(diagnostics[0]!.span?.offset).toBeGreaterThan(3 * MAX_YAML_NODES - 64 * 1024);
    expect(diagnostics[0]!.span?.offset).toBeLessThan(3 * MAX_YAML_NODES);
    const small = parseYaml(`services:\n  app:\n    image: a:1\nx-many:\n${'- \n'.repeat(1000)}`, 'compose.yml');
    expect(small.diagnostics).toEqual([]);
  });
});
