import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { assertBuilt, GALLEY_BIN, REPO_ROOT } from '../support/cli.js';
import { commitAll, removeTree, writeTree } from '../support/recipe-fixtures.js';

/**
 * End-to-end: the built CLI (`npm run build` first) on fixture recipes.
 */
const root = REPO_ROOT;
const galley = GALLEY_BIN;

function run(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [galley, ...args], {
    cwd: options.cwd ?? root,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', GITHUB_STEP_SUMMARY: '', ...options.env },
  });
}

const CLEAN = {
  'compose.yml':
    'version: "3.8"\nservices:\n  app:\n    image: nginx:1.27.3\n    environment:\n      - DOMAIN\n    deploy:\n      labels:\n        - "traefik.enable=true"\n',
  '.env.sample': 'TYPE=clean\nDOMAIN=clean.example.com\n',
};

const dirs: string[] = [];
function fixture(files: Record<string, string>): string {
  const dir = writeTree(files, 'galley-lint-e2e-');
  dirs.push(dir);
  return dir;
}

beforeAll(() => {
  assertBuilt();
});
afterAll(() => dirs.forEach(removeTree));

describe('galley lint exit codes', () => {
  it('0 on a clean recipe, with a summary', () => {
    const dir = fixture(CLEAN);
    const result = run([
      'lint',
      dir,
      '--preset',
      'recommended',
      '--config',
      path.join(fixture({ '.galley.yml': 'rules:\n  recipe/app-service: error\n' }), '.galley.yml'),
    ]);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/✔ 0 problems/);
    expect(result.status).toBe(0);
  });

  it('1 on findings, with file:line:col, rule id and a caret under the columns', () => {
    const dir = fixture({ ...CLEAN, 'compose.yml': `${CLEAN['compose.yml']}    imagee: x\n` });
    const result = run(['lint', '.'], { cwd: dir });
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('compose.yml\n');
    // a recipe is linted as a swarm stack: docker's own (v3) format, not compose-spec
    expect(result.stdout).toMatch(/ {2}10:5 +error +docker stack deploy refuses the key "imagee" in services\.app: .*did you mean "image"\? +swarm\/schema/);
    expect(result.stdout).toContain('    10 |     imagee: x\n             ~~~~~~\n');
  });

  it('2 on a path that does not exist', () => {
    const result = run(['lint', '/nonexistent/recipe']);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('galley: /nonexistent/recipe does not exist: give a recipe folder, a compose file or repo#ref\n');
  });

  it('2 on a bad configuration, naming file:line:col', () => {
    const dir = fixture({ ...CLEAN, '.galley.yml': 'preset: recommended\nrules:\n  compose/shema: off\n' });
    const result = run(['lint', '.'], { cwd: dir });
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('galley: .galley.yml:3:3: unknown rule "compose/shema": did you mean "compose/schema"?\n');
    expect(result.stdout).toBe('');
  });

  it("takes rule options from .galley.yml (the README's example) and reports options that do not fit", () => {
    const secret = {
      ...CLEAN,
      'compose.yml': `${CLEAN['compose.yml']}    secrets:\n      - db_password_long\nsecrets:\n  db_password_long:\n    external: true\n    name: \${STACK_NAME}_db_password_long_\${SECRET_DB_PASSWORD_LONG_VERSION}\n`,
      '.env.sample': `${CLEAN['.env.sample']}SECRET_DB_PASSWORD_LONG_VERSION=v1\n`,
    };
    const strict = fixture({ ...secret, '.galley.yml': 'rules:\n  recipe/secret-name-length: [error, { max: 12 }]\n' });
    const strictRun = run(['lint', '.', '--format', 'json'], { cwd: strict });
    expect(strictRun.stderr).toBe('');
    expect(strictRun.status).toBe(1);
    const ids = (JSON.parse(strictRun.stdout) as { targets: { findings: { ruleId: string; severity: string }[] }[] }).targets.flatMap((f) =>
      f.findings.map((x) => `${x.ruleId}:${x.severity}`),
    );
    expect(ids).toContain('recipe/secret-name-length:error');
    const loose = fixture({ ...secret, '.galley.yml': 'rules:\n  recipe/secret-name-length: [error, { max: 40 }]\n' });
    const looseRun = run(['lint', '.', '--format', 'json'], { cwd: loose });
    expect(looseRun.stderr).toBe('');
    expect(looseRun.stdout).not.toContain('recipe/secret-name-length');
    const bad = fixture({ ...secret, '.galley.yml': 'rules:\n  recipe/secret-name-length: [error, { max: "twelve" }]\n' });
    const badRun = run(['lint', '.'], { cwd: bad });
    expect(badRun.status).toBe(2);
    expect(badRun.stderr).toMatch(/^galley: \.galley\.yml:2:\d+: invalid options for rule recipe\/secret-name-length/);
  });

  it('2 on an unknown format, listing the formats', () => {
    const result = run(['lint', fixture(CLEAN), '--format', 'sarf']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("argument 'sarf' is invalid. Allowed choices are stylish, compact, json, sarif, github, gitlab, junit, abra.");
  });

  it('--fail-on warning and --max-warnings turn warnings into exit 1', () => {
    const dir = fixture({
      ...CLEAN,
      'compose.yml': `${CLEAN['compose.yml']}    # galley-disable-next-line compose/schema -- nothing here\n    hostname: app\n`,
    });
    expect(run(['lint', dir, '--preset', 'recommended']).status).toBe(0);
    expect(run(['lint', dir, '--preset', 'recommended', '--fail-on', 'warning']).status).toBe(1);
    expect(run(['lint', dir, '--preset', 'recommended', '--max-warnings', '0']).status).toBe(1);
    expect(run(['lint', dir, '--max-warnings', 'x']).status).toBe(2);
  });

  it('--preset takes one value (comma-separated or repeated), so paths may follow it', () => {
    const dir = fixture({ ...CLEAN, 'compose.yml': `${CLEAN['compose.yml']}    imagee: x\n` });
    expect(run(['lint', '--preset', 'recommended', dir]).status).toBe(1);
    expect(run(['lint', '--preset', 'swarm,recommended', '--preset', 'coop-cloud', dir]).status).toBe(1);
    const bad = run(['lint', '--preset', 'strict', dir]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe('galley: unknown preset "strict": choose from recommended, swarm, coop-cloud\n');
  });

  it('lints a git ref without checking it out', () => {
    const dir = fixture({});
    commitAll(dir, [
      { files: { ...CLEAN, 'compose.yml': `${CLEAN['compose.yml']}    imagee: x\n` }, tags: [{ name: '1.0.0+1.27.3', annotated: true, message: 'first' }] },
      { files: CLEAN },
    ]);
    const atTag = run(['lint', `${dir}#1.0.0+1.27.3`, '--format', 'json']);
    expect(atTag.status).toBe(1);
    const report = JSON.parse(atTag.stdout);
    expect(report.targets[0].findings.map((f: { ruleId: string; line: number }) => [f.ruleId, f.line])).toContainEqual(['swarm/schema', 10]);
    expect(run(['lint', `${dir}#HEAD`, '--preset', 'recommended']).status).toBe(0);
  });
});

describe('galley lint --fix and --fix-dry-run', () => {
  const BROKEN = { ...CLEAN, 'compose.yml': `${CLEAN['compose.yml']}    hostname: app # galley-disable-line compose/schema\n` };

  it('--fix-dry-run prints a unified diff and changes nothing', () => {
    const dir = fixture(BROKEN);
    const result = run(['lint', '.', '--fix-dry-run', '--preset', 'recommended'], { cwd: dir });
    expect(result.stdout).toContain('--- a/compose.yml\n+++ b/compose.yml\n');
    expect(result.stdout).toContain('-    hostname: app # galley-disable-line compose/schema\n+    hostname: app\n');
    expect(readFileSync(path.join(dir, 'compose.yml'), 'utf8')).toBe(BROKEN['compose.yml']);
    expect(result.status).toBe(0);
  });

  it('--fix writes the fixed files (comments and formatting kept); a second run is clean', () => {
    const dir = fixture({ ...BROKEN, 'compose.yml': `# my recipe\n${BROKEN['compose.yml']}` });
    const result = run(['lint', '.', '--fix', '--fail-on', 'warning', '--preset', 'recommended'], { cwd: dir });
    expect(result.stderr).toBe('galley: fixed 1 file (compose.yml)\n');
    expect(result.status).toBe(0);
    expect(readFileSync(path.join(dir, 'compose.yml'), 'utf8')).toBe(`# my recipe\n${CLEAN['compose.yml']}    hostname: app\n`);
    expect(readdirSync(dir).sort()).toEqual(['.env.sample', 'compose.yml']);
    expect(run(['lint', '.', '--fail-on', 'warning', '--preset', 'recommended'], { cwd: dir }).status).toBe(0);
  });

  it('--fix refuses a git ref', () => {
    const dir = fixture({});
    commitAll(dir, [{ files: CLEAN }]);
    const result = run(['lint', `${dir}#HEAD`, '--fix']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/cannot fix .*#HEAD: fixes are written to files/);
  });
});

describe('galley lint on plain compose projects', () => {
  it('reads the .env beside the files; lints only compose-named files of a folder; no recipe rules', () => {
    const dir = fixture({
      'compose.yaml': 'services:\n  web:\n    image: ${WEB_IMAGE}\n  worker:\n    image: ${WORKER_IMAGE}\n',
      '.env': 'WEB_IMAGE=nginx:1.27.3\n',
      '.drone.yml': 'kind: pipeline\nsteps: []\n',
      'mkdocs.yml': 'site_name: docs\n',
    });
    const result = run(['lint', '.', '--format', 'json'], { cwd: dir });
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.targets.map((t: { target: string; kind: string }) => [t.target, t.kind])).toEqual([['compose.yaml', 'compose-file']]);
    // WORKER_IMAGE is not in .env: unknown (the shell may set it), not an image-less service
    expect(report.targets[0].findings.map((f: { ruleId: string }) => f.ruleId)).toEqual([]);
  });

  it('a docker-compose.yml with a .env.sample beside it is a compose project, not a recipe (a recipe has compose.yml)', () => {
    const dir = fixture({ 'docker-compose.yml': 'services:\n  web:\n    image: nginx:1.27.3\n', '.env.sample': 'WEB_PORT=8080\n' });
    const result = run(['lint', '.', '--format', 'json'], { cwd: dir });
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.targets.map((t: { target: string; kind: string }) => [t.target, t.kind])).toEqual([['docker-compose.yml', 'compose-file']]);
    expect(report.targets[0].findings.filter((f: { ruleId: string }) => f.ruleId.startsWith('recipe/'))).toEqual([]);
  });

  it('-f base -f overlay lints one project, merged in order', () => {
    const dir = fixture({
      'compose.yml': 'services:\n  app:\n    image: nginx:1.27.3\n',
      'compose.prod.yml': 'services:\n  app:\n    networks: [front]\n',
    });
    const alone = run(['lint', 'compose.prod.yml', '--format', 'json'], { cwd: dir });
    expect(alone.status).toBe(0); // an overlay alone: what its base provides is not judged
    const both = run(['lint', '-f', 'compose.yml', '-f', 'compose.prod.yml', '--format', 'compact'], { cwd: dir });
    expect(both.status).toBe(1);
    expect(both.stdout).toContain(
      'compose.prod.yml:3:16: error service "app" joins network "front", which no compose file declares under top-level `networks` [compose/undefined-network]',
    );
  });

  it('--preset swarm says what docker stack deploy refuses, for the --docker-version given', () => {
    const dir = fixture({ 'docker-stack.yml': 'services:\n  app:\n    image: nginx:1.27.3\n    pull_policy: always\n' });
    const result = run(['lint', 'docker-stack.yml', '--preset', 'swarm', '--docker-version', '20.10', '--format', 'compact', '--quiet'], { cwd: dir });
    expect(result.status).toBe(1);
    expect(result.stdout.split('\n').filter((l) => l.includes(': error '))).toEqual([
      'docker-stack.yml:1:1: error the file has no `version:`, which docker stack deploy before Docker 23.0 refuses (this run assumes Docker 20.10): write version: "3.8" [swarm/schema]',
      'docker-stack.yml:4:5: error docker stack deploy refuses the key "pull_policy" in services.app: the v3 file format (version 3.9, the newest, as the file names none) has no such key [swarm/schema]',
    ]);
    expect(result.stdout).not.toContain(': warning ');
    expect(run(['lint', 'docker-stack.yml', '--docker-version', 'new'], { cwd: dir }).status).toBe(2);
  });
});

describe('galley lint --output and formats', () => {
  it("--format abra prints abra recipe lint's checklist", () => {
    const result = run(['lint', fixture(CLEAN), '--format', 'abra']);
    expect(result.status).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines.find((l) => l.includes('R002'))).toMatch(/^ {2}R002 +warn +no \(1\) +Every service has a healthcheck/);
    expect(lines.find((l) => l.includes('R009'))).toMatch(/^ {2}R009 +error +yes +/);
    expect(lines.find((l) => l.includes('R013'))).toMatch(/^ {2}R013 +warn +skipped +/);
    expect(result.stdout).toMatch(/\d+ abra checks? failed \(0 errors\) in 1 target\n$/);
  });

  it('--output writes the report atomically and prints nothing', () => {
    const dir = fixture({ ...CLEAN, 'compose.yml': `${CLEAN['compose.yml']}    imagee: x\n` });
    const out = fixture({});
    const result = run(['lint', dir, '--format', 'sarif', '--output', path.join(out, 'galley.sarif')]);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(readdirSync(out)).toEqual(['galley.sarif']);
    const log = JSON.parse(readFileSync(path.join(out, 'galley.sarif'), 'utf8'));
    expect(log.version).toBe('2.1.0');
    expect(log.runs[0].results.some((r: { ruleId: string }) => r.ruleId === 'swarm/schema')).toBe(true);
  });

  it('--output into a missing folder is exit 2, and nothing is written', () => {
    const result = run(['lint', fixture(CLEAN), '--output', '/nonexistent/dir/report.json', '--format', 'json']);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('galley: cannot write /nonexistent/dir/report.json: its folder does not exist\n');
  });

  it('--format github writes annotations and a job summary', () => {
    const dir = fixture({ ...CLEAN, 'compose.yml': `${CLEAN['compose.yml']}    imagee: x\n` });
    const summary = path.join(fixture({}), 'summary.md');
    writeFileSync(summary, '');
    const result = run(['lint', '.', '--format', 'github'], { cwd: dir, env: { GITHUB_STEP_SUMMARY: summary } });
    expect(result.stdout).toMatch(
      /^::error file=compose\.yml,line=10,col=5,endLine=10,endColumn=11,title=swarm\/schema \(galley\)::docker stack deploy refuses the key/m,
    );
    expect(result.stdout).toMatch(/^::warning file=compose\.yml,line=3,col=3,endLine=3,endColumn=6,title=swarm\/healthcheck \(galley%2C abra R002\)::/m);
    expect(readFileSync(summary, 'utf8')).toMatch(/^### galley lint\n/);
  });

  it('--explain prints a rule offline; --list-rules lists them; an unknown rule is exit 2', () => {
    const explain = run(['lint', '--explain', 'compose/schema']);
    expect(explain.status).toBe(0);
    expect(explain.stdout).toMatch(/^compose\/schema — .*\n[\s\S]*Why it matters\n[\s\S]*Wrong \(compose\.yml\)\n/);
    const list = run(['lint', '--list-rules']);
    expect(list.status).toBe(0);
    expect(list.stdout.split('\n')[0]).toMatch(/^rule +severity +presets +fixable +description$/);
    expect(list.stdout).toContain('compose/yaml-syntax');
    const unknown = run(['lint', '--explain', 'compose/schemaa']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('did you mean "compose/schema"?');
  });
});
