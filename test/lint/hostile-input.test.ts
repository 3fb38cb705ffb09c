import { execFileSync, type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { XMLValidator } from 'fast-xml-parser';
import { assertBuilt, GALLEY_BIN, runGalley } from '../support/cli.js';
import { removeTree, writeTree } from '../support/recipe-fixtures.js';

/**
 * Hostile recipes through the built CLI: files galley must not read (FIFOs,
 * devices, links out of the recipe), text that must not act on a terminal
 * or a CI log, and targets `--output` and `--fix` must not replace.
 */

const galley = GALLEY_BIN;
const dirs: string[] = [];
/** Long enough for a slow shared machine; a read that blocks on a FIFO never ends. */
const TIMEOUT_MS = 30_000;

function run(args: string[], options: { cwd?: string; env?: Record<string, string>; uid?: number } = {}): SpawnSyncReturns<string> {
  const result = spawnSync(process.execPath, [galley, ...args], {
    cwd: options.cwd ?? '/',
    encoding: 'utf8',
    timeout: TIMEOUT_MS,
    env: { ...process.env, NO_COLOR: '1', GITHUB_STEP_SUMMARY: '', ...options.env },
    ...(options.uid !== undefined ? { uid: options.uid, gid: options.uid } : {}),
  });
  // A hang is killed by the timeout: say so instead of a puzzling status.
  if (result.signal) throw new Error(`galley ${args.join(' ')} was killed by ${result.signal} (hung?)\n${result.stderr}`);
  return result;
}

const COMPOSE = 'version: "3.8"\nservices:\n  app:\n    image: nginx:1.27.3\n';

function fixture(files: Record<string, string> = {}): string {
  const dir = writeTree({ '.env.sample': 'DOMAIN=app.example.com\n', ...files }, 'galley-hostile-');
  dirs.push(dir);
  return dir;
}

/** A regular file outside every fixture, holding a marker that must never be printed. */
let outside: string;
const MARKER = 'GALLEY_SECRET_MARKER_4f1c2e';

beforeAll(() => {
  assertBuilt();
  const dir = writeTree({ 'secret.env': `CI_TOKEN=${MARKER}\nservices: ${MARKER}\n` }, 'galley-hostile-outside-');
  dirs.push(dir);
  outside = path.join(dir, 'secret.env');
});
afterAll(() => dirs.forEach(removeTree));

function fifo(file: string): void {
  execFileSync('mkfifo', [file]);
}

describe('files galley must not read', () => {
  const parts = ['compose.yml', 'compose.extra.yml', '.env.sample', 'abra.sh', 'README.md'];

  it.each(parts)('a FIFO, or a symlink to one, as %s: exit 2 at once, naming it', (name) => {
    for (const how of ['fifo', 'link'] as const) {
      const dir = fixture(name === 'compose.yml' ? {} : { 'compose.yml': COMPOSE });
      rmSync(path.join(dir, name), { force: true });
      if (how === 'fifo') fifo(path.join(dir, name));
      else {
        fifo(path.join(dir, 'pipe'));
        symlinkSync('pipe', path.join(dir, name));
      }
      const result = run(['lint', dir]);
      expect(result.status).toBe(2);
      expect(result.stderr).toContain(`cannot read file ${path.join(dir, name)}: it is a FIFO (named pipe), not a regular file`);
      expect(result.stdout).toBe('');
    }
  });

  it('a symlink to /dev/zero as compose.yml, or named alone: exit 2 without reading it', () => {
    const dir = fixture();
    symlinkSync('/dev/zero', path.join(dir, 'compose.yml'));
    const recipe = run(['lint', dir]);
    expect(recipe.status).toBe(2);
    expect(recipe.stderr).toMatch(/refusing to read file .*compose\.yml: it is a symlink to \/dev\/zero, outside /);
    const alone = run(['lint', path.join(dir, 'compose.yml')]);
    expect(alone.status).toBe(2);
    expect(alone.stderr).toContain('it is a device, not a file or folder');
  });

  it('a compose.yml, .env.sample, README.md or overlay linking out of the recipe: exit 2, and the secret appears in no format', async () => {
    for (const name of ['compose.yml', '.env.sample', 'README.md', 'compose.extra.yml']) {
      const dir = fixture(name === 'compose.yml' ? {} : { 'compose.yml': COMPOSE });
      rmSync(path.join(dir, name), { force: true });
      symlinkSync(outside, path.join(dir, name));
      // Every format for the compose file; two for the others (the refusal comes before any formatting).
      const formats = name === 'compose.yml' ? ['stylish', 'compact', 'json', 'sarif', 'github', 'gitlab', 'junit', 'abra'] : ['stylish', 'sarif'];
      const runs = [
        ...formats.map((format) => ['lint', dir, '--format', format]),
        ['lint', dir, '--fix-dry-run'],
        ['lint', dir, '--fix'],
        ['recipe', 'inspect', dir, '--json'],
      ];
      const results = await Promise.all(runs.map((args) => runGalley(args, { env: { GITHUB_STEP_SUMMARY: '' }, timeoutMs: TIMEOUT_MS })));
      for (const result of results) {
        expect(result.code).toBe(2);
        expect(result.stderr).toMatch(/refusing to read file .*: it is a symlink to .*secret\.env, outside /);
        expect(result.stdout + result.stderr).not.toContain(MARKER);
      }
    }
    expect(readFileSync(outside, 'utf8')).toContain(MARKER);
    // A .galley.yml found beside the recipe may not lead out either (an explicit --config may).
    const config = fixture({ 'compose.yml': COMPOSE });
    symlinkSync(outside, path.join(config, '.galley.yml'));
    const found = run(['lint', config]);
    expect(found.status).toBe(2);
    expect(found.stderr).toMatch(/refusing to read configuration file .*\.galley\.yml: it is a symlink to .*secret\.env, outside /);
    expect(found.stdout + found.stderr).not.toContain(MARKER);
    // A lone compose file is read only inside its own folder.
    const lone = fixture();
    symlinkSync(outside, path.join(lone, 'docker-compose.yml'));
    const alone = run(['lint', path.join(lone, 'docker-compose.yml'), '--format', 'json']);
    expect(alone.status).toBe(2);
    expect(alone.stdout + alone.stderr).not.toContain(MARKER);
  });

  it('a symlink inside the recipe is followed', () => {
    const dir = fixture({ 'src/compose.yml': COMPOSE });
    symlinkSync('src/compose.yml', path.join(dir, 'compose.yml'));
    const result = run(['lint', dir, '--format', 'json']);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout).summary.targets).toBe(1);
  });

  it('a symlink loop, a folder named like a file, --config and --env that are FIFOs or folders: exit 2 with the path and what to do', () => {
    const dir = fixture({ 'compose.yml': COMPOSE });
    symlinkSync('abra.sh', path.join(dir, 'abra.sh.loop'));
    symlinkSync('abra.sh.loop', path.join(dir, 'abra.sh'));
    const loop = run(['lint', dir]);
    expect(loop.status).toBe(2);
    expect(loop.stderr).toContain(`cannot read file ${path.join(dir, 'abra.sh')}: it is a symlink loop: fix or remove the link`);

    const clean = fixture({ 'compose.yml': COMPOSE });
    fifo(path.join(clean, 'pipe'));
    const config = run(['lint', clean, '--config', path.join(clean, 'pipe')]);
    expect(config.status).toBe(2);
    expect(config.stderr).toContain('cannot read configuration file');
    expect(config.stderr).toContain('it is a FIFO (named pipe), not a regular file');
    const folder = run(['lint', clean, '--config', clean]);
    expect(folder.status).toBe(2);
    expect(folder.stderr).toContain('it is a folder, not a regular file');
    const env = run(['recipe', 'inspect', clean, '--env', path.join(clean, 'pipe')]);
    expect(env.status).toBe(2);
    expect(env.stderr).toBe(`galley: cannot read env file ${path.join(clean, 'pipe')}: it is a FIFO (named pipe), not a regular file\n`);
    // --config and --env are named by the user: a symlink to a regular file elsewhere is read.
    const shared = writeTree({ 'galley.yml': 'rules:\n  swarm/healthcheck: off\n' }, 'galley-hostile-config-');
    dirs.push(shared);
    symlinkSync(path.join(shared, 'galley.yml'), path.join(clean, 'linked.yml'));
    const linked = run(['lint', clean, '--config', path.join(clean, 'linked.yml'), '--format', 'json']);
    expect(linked.stderr).toBe('');
    expect(JSON.stringify(JSON.parse(linked.stdout))).not.toContain('swarm/healthcheck"');
  });

  it('an unlistable recipe folder or one of its subfolders: exit 2 naming it', () => {
    const dir = fixture({ 'compose.yml': COMPOSE, 'private/x': '' });
    chmodSync(dir, 0o755);
    for (const f of ['compose.yml', '.env.sample']) chmodSync(path.join(dir, f), 0o644);
    chmodSync(path.join(dir, 'private'), 0o700);
    // As root every folder can be listed: run as nobody (65534).
    const result = run(['lint', dir], { uid: 65534 });
    expect(result.stderr).toBe(
      `galley: cannot list folder ${path.join(dir, 'private')}: permission denied: check its owner and mode, or run as a user who may read it\n`,
    );
    expect(result.status).toBe(2);
    chmodSync(dir, 0o700);
    const top = run(['lint', path.join(dir, 'compose.yml')], { uid: 65534 });
    expect(top.status).toBe(2);
    expect(top.stderr).toContain('permission denied');
  });

  it('a NUL in a `file:` path is a finding, not a crash', () => {
    const dir = fixture({ 'compose.yml': `${COMPOSE}configs:\n  c:\n    file: "a\\0b.conf"\n` });
    const result = run(['lint', dir, '--format', 'json']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(1);
    const findings = JSON.parse(result.stdout).targets[0].findings as { ruleId: string }[];
    expect(findings.map((f) => f.ruleId)).toContain('compose/missing-file');
  });

  it('an ignore glob over 65,536 characters: exit 2 naming the configuration line', () => {
    const dir = fixture({ 'compose.yml': COMPOSE, '.galley.yml': `ignore:\n  - ok/**\n  - "${'a'.repeat(70_000)}"\n` });
    const result = run(['lint', '.'], { cwd: dir });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^galley: \.galley\.yml:3:5: invalid ignore glob: .*65536.*: shorten or fix it\n$/);
  });
});

// ---- injection ------------------------------------------------------------

/** A service whose image holds ESC, CR, a fake summary, GitHub's legacy and current commands, a newline and NUL (YAML escapes). */
const HOSTILE_COMPOSE =
  'version: "3.8"\nservices:\n  app:\n    image: "nginx\\e[2J\\e]8;;http://evil\\a\\r\\u2714 0 problems ##[error]legacy\\n::error file=x::forged\\0<img src=x onerror=alert(1)>|`*"\n    command: |\n      ::error file=y::in-a-block\n';
/** A file name that is a workflow command on its own line. */
const HOSTILE_NAME = 'compose.\n::error file=evil.yml,line=1::forged-by-name\n.yml';

/** What no human-readable output or stderr may hold: control characters but newline and tab, and lines a CI log would obey. */
function expectInert(text: string): void {
  expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  expect(text).not.toContain('##[');
  expect(text).not.toContain('problems ##[');
  for (const line of text.split('\n')) expect(line.trimStart()).not.toMatch(/^::/);
}

describe('input that must not act', () => {
  let dir: string;
  beforeAll(() => {
    dir = fixture({ 'compose.yml': HOSTILE_COMPOSE, [HOSTILE_NAME]: HOSTILE_COMPOSE });
  });

  it.each(['stylish', 'compact', 'abra'])('%s output shows controls and newlines escaped: no fake line', (format) => {
    const result = run(['lint', dir, '--format', format], { cwd: dir });
    expect(result.status).toBe(1);
    expectInert(result.stdout);
    expectInert(result.stderr);
    if (format !== 'abra') {
      expect(result.stdout).toContain('\\u001b[2J');
      expect(result.stdout).toContain('compose.\\u000a::error file=evil.yml,line=1::forged-by-name\\u000a.yml');
      // The summary is the only line saying how many problems there are.
      expect(result.stdout.split('\n').filter((l) => /^\S*\s*\d+ problems/.test(l.replace(/^[✔✖⚠] /, '')))).toHaveLength(1);
    }
  });

  it('github: one annotation per finding, none forged by a file name or a value; the job summary shows markdown and HTML as text', () => {
    const summaryFile = path.join(fixture(), 'summary.md');
    writeFileSync(summaryFile, '');
    const result = run(['lint', '.', '--format', 'github'], { cwd: dir, env: { GITHUB_STEP_SUMMARY: summaryFile } });
    expect(result.status).toBe(1);
    const json = JSON.parse(run(['lint', '.', '--format', 'json'], { cwd: dir }).stdout);
    const count = json.summary.errors + json.summary.warnings + json.summary.infos;
    const commands = result.stdout.split('\n').filter((l) => l.trimStart().startsWith('::'));
    expect(commands).toHaveLength(count);
    for (const line of commands) {
      const m = /^::(error|warning|notice) ([^:]*)::(.*)$/.exec(line);
      expect(m).not.toBeNull();
      // Properties hold no raw separator: file= is one property.
      expect(m![2]!.split(',').filter((p) => p.startsWith('file='))).toHaveLength(1);
      expect(m![2]).not.toContain('evil.yml,');
    }
    expect(result.stdout).toContain('file=compose.\\u000a%3A%3Aerror file=evil.yml%2Cline=1%3A%3Aforged-by-name\\u000a.yml,line=');
    expect(result.stdout).not.toContain('##[');
    expectInert(result.stderr);

    const summary = readFileSync(summaryFile, 'utf8');
    expect(summary).not.toMatch(/<img|[\u0000-\u0008\u000b-\u001f]/);
    expect(summary).toContain('&#60;img src&#61;x onerror&#61;alert&#40;1&#41;&#62;&#124;&#96;&#42;');
    for (const row of summary.split('\n').filter((l) => l.startsWith('| '))) expect(row.split('|')).toHaveLength(6);
  });

  it('json, sarif and gitlab stay JSON, junit stays well-formed XML, and keep the value', () => {
    for (const format of ['json', 'sarif', 'gitlab']) {
      const result = run(['lint', '.', '--format', format], { cwd: dir });
      expect(result.status).toBe(1);
      expect(JSON.stringify(JSON.parse(result.stdout))).toContain('nginx\\u001b[2J');
      expectInert(result.stderr);
    }
    const junit = run(['lint', '.', '--format', 'junit'], { cwd: dir });
    expect(XMLValidator.validate(junit.stdout)).toBe(true);
    // SARIF locations are URI references: the file name is percent-encoded.
    const sarif = JSON.parse(run(['lint', '.', '--format', 'sarif'], { cwd: dir }).stdout);
    const uris = JSON.stringify(sarif).match(/"uri":"[^"]*"/g) ?? [];
    expect(uris.some((u) => u.includes('compose.%0A%3A%3Aerror') || u.includes('compose.%0A::error'))).toBe(true);
    for (const uri of uris) expect(uri).toMatch(/^"uri":"[A-Za-z0-9\-._~%!$&'()*+,;=:@/]*"$/);
  });

  it('stderr: paths in errors are escaped', () => {
    const parent = fixture();
    const nasty = path.join(parent, 'r\n::error file=a::forged-on-stderr\u001b[2J');
    mkdirSync(nasty);
    writeFileSync(path.join(nasty, '.env.sample'), 'A=1\n');
    fifo(path.join(nasty, 'compose.yml'));
    for (const format of ['stylish', 'github']) {
      const result = run(['lint', nasty, '--format', format]);
      expect(result.status).toBe(2);
      expectInert(result.stderr);
      expect(result.stderr).toContain('r\\u000a::error file=a::forged-on-stderr\\u001b[2J/compose.yml');
      expect(result.stderr.split('\n')).toHaveLength(2);
    }
    const missing = run(['lint', `${parent}/nope\n::error::x`]);
    expect(missing.status).toBe(2);
    expectInert(missing.stderr);
  });

  it('recipe inspect shows the values escaped too', () => {
    const result = run(['recipe', 'inspect', dir]);
    expect(result.stdout).toContain('\\u001b[2J');
    expectInert(result.stdout);
    expectInert(result.stderr);
  });

  it('--fix-dry-run: the diff cannot start a workflow command either', () => {
    const fixable = fixture({ 'compose.yml': `x-note: |\n  ::error file=y::in-a-block\n${COMPOSE.replace('version: "3.8"\n', '')}` });
    const result = run(['lint', '.', '--fix-dry-run'], { cwd: fixable });
    expect(result.stdout).toContain('+version: "3.8"');
    expect(result.stdout).toContain(':\u2060:error file=y::in-a-block');
    expectInert(result.stdout);
  });
});

// ---- writes ---------------------------------------------------------------

describe('--output and --fix write only what they should', () => {
  const UNVERSIONED = COMPOSE.replace('version: "3.8"\n', '');

  it('--output refuses a device, a FIFO and a symlink to a device, and leaves them as they were', () => {
    const dir = fixture({ 'compose.yml': COMPOSE });
    fifo(path.join(dir, 'pipe'));
    symlinkSync('/dev/full', path.join(dir, 'full'));
    for (const target of ['/dev/full', path.join(dir, 'pipe'), path.join(dir, 'full')]) {
      const result = run(['lint', dir, '--format', 'json', '--output', target]);
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(/is not a regular file \(a folder, device, FIFO or socket\): give a file path to write to/);
    }
    expect(statSync('/dev/full').isCharacterDevice()).toBe(true);
    expect(lstatSync(path.join(dir, 'pipe')).isFIFO()).toBe(true);
    expect(lstatSync(path.join(dir, 'full')).isSymbolicLink()).toBe(true);
  });

  it('--output writes through a symlink the user named, and removes temp files a killed run left', () => {
    const dir = fixture({ 'compose.yml': COMPOSE, 'reports/real.json': 'old' });
    symlinkSync('reports/real.json', path.join(dir, 'report.json'));
    const stale = path.join(dir, 'reports', '.real.json.galley-999999-0badf00d.tmp');
    writeFileSync(stale, 'half');
    const result = run(['lint', dir, '--format', 'json', '--output', path.join(dir, 'report.json')]);
    expect(result.stderr).toBe('');
    expect(lstatSync(path.join(dir, 'report.json')).isSymbolicLink()).toBe(true);
    expect(JSON.parse(readFileSync(path.join(dir, 'reports/real.json'), 'utf8')).summary.targets).toBe(1);
    expect(existsSync(stale)).toBe(false);
  });

  it('--fix keeps a BOM first, CRLF line endings, mode and owner, and tidies temp files', () => {
    const dir = fixture({ 'compose.yml': `\ufeff${UNVERSIONED.replace(/\n/g, '\r\n')}` });
    const file = path.join(dir, 'compose.yml');
    chmodSync(file, 0o640);
    chownSync(file, 65534, 65534);
    const stale = path.join(dir, '.compose.yml.galley-999999-0badf00d.tmp');
    writeFileSync(stale, 'half');
    const result = run(['lint', '.', '--fix'], { cwd: dir });
    expect(result.stderr).toBe('galley: fixed 1 file (compose.yml)\n');
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith('\ufeffversion: "3.8"\r\nservices:\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toContain('\n');
    const info = statSync(file);
    expect(info.mode & 0o777).toBe(0o640);
    expect([info.uid, info.gid]).toEqual([65534, 65534]);
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('--fix writes through a symlink inside the recipe; one leading out is refused and the outside file is untouched', () => {
    const dir = fixture({ 'src/stack.yaml': UNVERSIONED });
    symlinkSync('src/stack.yaml', path.join(dir, 'compose.yml'));
    expect(run(['lint', '.', '--fix'], { cwd: dir }).stderr).toBe('galley: fixed 1 file (compose.yml)\n');
    expect(lstatSync(path.join(dir, 'compose.yml')).isSymbolicLink()).toBe(true);
    expect(readFileSync(path.join(dir, 'src/stack.yaml'), 'utf8')).toMatch(/^version: "3.8"\n/);

    const outer = writeTree({ 'compose.yml': UNVERSIONED }, 'galley-hostile-outer-');
    dirs.push(outer);
    const linked = fixture();
    symlinkSync(path.join(outer, 'compose.yml'), path.join(linked, 'compose.yml'));
    const refused = run(['lint', '.', '--fix'], { cwd: linked });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('outside');
    expect(readFileSync(path.join(outer, 'compose.yml'), 'utf8')).toBe(UNVERSIONED);
  });

  it('--fix-dry-run with a machine-readable format keeps stdout for the report: the diff goes to stderr', () => {
    const dir = fixture({ 'compose.yml': UNVERSIONED });
    for (const format of ['json', 'sarif', 'gitlab']) {
      const result = run(['lint', '.', '--fix-dry-run', '--format', format], { cwd: dir });
      expect(() => JSON.parse(result.stdout)).not.toThrow();
      expect(result.stderr).toContain('+version: "3.8"');
    }
    const junit = run(['lint', '.', '--fix-dry-run', '--format', 'junit'], { cwd: dir });
    expect(XMLValidator.validate(junit.stdout)).toBe(true);
    const human = run(['lint', '.', '--fix-dry-run'], { cwd: dir });
    expect(human.stdout).toContain('+version: "3.8"');
    expect(readFileSync(path.join(dir, 'compose.yml'), 'utf8')).toBe(UNVERSIONED);
  });
});

describe('files too broken or too big to parse whole', () => {
  const syntaxFindings = (dir: string) => {
    const result = run(['lint', dir, '--format', 'json']);
    expect(result.status).toBe(1);
    const report = JSON.parse(result.stdout) as { targets: { findings: { ruleId: string; message: string; line: number }[] }[] };
    return report.targets[0]!.findings.filter((f) => f.ruleId === 'compose/yaml-syntax');
  };

  it('4 MiB of syntax errors: the first 10 and a count, found in the first pieces', () => {
    for (const line of ['x: a: b\n', '- a: b: c\n', ': : :\n', '\tx: y\n']) {
      const findings = syntaxFindings(fixture({ 'compose.yml': `${COMPOSE}${line.repeat((4 << 20) / line.length - 100)}` }));
      // At most 10 shown (one position and message once), then the count.
      expect(findings.length).toBeGreaterThanOrEqual(2);
      expect(findings.length).toBeLessThanOrEqual(11);
      expect(findings.at(-1)!.message).toMatch(/and at least 190 more syntax errors from here on/);
      // Pieces of 16 KiB: the 200th error is near the top, not at the end of the 500000 lines.
      expect(findings.at(-1)!.line).toBeLessThan(10_000);
    }
  });

  it('a file of more than 250000 values is refused where it passes the limit', () => {
    const findings = syntaxFindings(fixture({ 'compose.yml': `${COMPOSE}x-many:\n${'- \n'.repeat(1_000_000)}` }));
    expect(findings).toEqual([expect.objectContaining({ message: expect.stringContaining('holds more than 250000 YAML values by here') })]);
    expect(findings[0]!.line).toBeGreaterThan(200_000);
    expect(findings[0]!.line).toBeLessThan(260_000);
  });
});
