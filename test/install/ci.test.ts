// CI integrations, run the way CI runs them, on the package (never the
// repository): a release tag made by scripts/release-tree.mjs from the packed
// tarball holds it, as a real release does.
//   - the GitHub action's steps, with the environment GitHub's runner sets;
//   - the pre-commit hooks with the real pre-commit, which installs galley
//     itself (language: node), in a recipe repository with no galley on PATH;
//   - the Drone, Woodpecker and GitLab examples' commands, installing the
//     tarball from a URL;
//   - the Dockerfile of the CI image, built on a Node.js base image made here
//     from this machine's node and npm (no image can be pulled);
// all with a registry that refuses every connection: installing galley needs none.
import { randomBytes } from 'node:crypto';
import { copyFileSync, linkSync, mkdirSync, readFileSync, realpathSync, symlinkSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { parse } from 'yaml';
import { REPO_ROOT } from '../support/cli.js';
import { type LocalHttpServer, makeTempDir, type RunResult, removeTempDir, run, serveDir, swarm } from '../support/index.js';
import { offlineNpmEnv, packGalley } from '../support/package.js';
import { writeFiles } from '../support/recipe-fixtures.js';
import { type ActionRun, runCompositeAction } from './github-action.js';

jest.setTimeout(300_000);

const VERSION = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'packages/cli/package.json'), 'utf8')) as { version: string }).version;
const TAG = `v${VERSION}`;
const EXAMPLES = path.join(REPO_ROOT, 'examples/ci');
const IDENTITY = {
  GIT_AUTHOR_NAME: 'Galley Tests',
  GIT_AUTHOR_EMAIL: 'tests@galley.invalid',
  GIT_COMMITTER_NAME: 'Galley Tests',
  GIT_COMMITTER_EMAIL: 'tests@galley.invalid',
};

/** Folders with node, npm, git and pre-commit, and no galley. */
const SYSTEM_PATH = [...new Set([path.dirname(process.execPath), '/usr/local/bin', '/usr/bin', '/bin'])].join(':');

const CLEAN = {
  'compose.yml':
    'version: "3.8"\nservices:\n  app:\n    image: nginx:1.27.3\n    environment:\n      - DOMAIN\n    deploy:\n      labels:\n        - "traefik.enable=true"\n',
  '.env.sample': 'TYPE=clean\nDOMAIN=clean.example.com\n',
};
const BROKEN = { ...CLEAN, 'compose.yml': `${CLEAN['compose.yml']}    imagee: x\n` };

let scratch = '';
let tarball = '';
/** A git repository whose tag TAG is the package (what a release pushes). */
let releaseRepo = '';
let env: NodeJS.ProcessEnv = {};

/** A recipe repository with one commit. */
async function recipeRepo(name: string, files: Record<string, string>): Promise<string> {
  const dir = writeFiles(path.join(scratch, name), files);
  await run('git', ['init', '--quiet', '--initial-branch=main'], { cwd: dir });
  await run('git', ['add', '--all'], { cwd: dir });
  await run('git', ['commit', '--quiet', '--message', 'recipe'], { cwd: dir, env: { ...env, ...IDENTITY } });
  return dir;
}

beforeAll(async () => {
  scratch = await makeTempDir('ci');
  env = offlineNpmEnv(scratch, { PATH: SYSTEM_PATH, HOME: path.join(scratch, 'home') });
  await mkdir(path.join(scratch, 'home'));
  ({ tarball } = await packGalley(scratch));
  releaseRepo = path.join(scratch, 'galley.git');
  await run('git', ['init', '--quiet', '--bare', releaseRepo]);
  await run(process.execPath, [path.join(REPO_ROOT, 'scripts/release-tree.mjs'), tarball, '--tag', TAG, '--repo', releaseRepo], {
    env: { ...env, ...IDENTITY },
  });
  // Nothing on this PATH is galley: every test below gets galley from the package.
  expect((await run('sh', ['-c', 'command -v galley'], { env, allowFailure: true })).code).not.toBe(0);
});

afterAll(async () => {
  if (scratch) await removeTempDir(scratch);
});

describe('the GitHub action, at a release tag', () => {
  let actionPath = '';
  const workflow = parse(readFileSync(path.join(EXAMPLES, 'github-workflow.yml'), 'utf8')) as {
    jobs: { lint: { steps: { uses?: string; with?: Record<string, string> }[] } };
  };
  const step = workflow.jobs.lint.steps.find((s) => s.uses?.includes('/galley@'))!;

  beforeAll(async () => {
    // What the runner downloads for `uses: …/galley@TAG`: the tag's tree.
    actionPath = path.join(scratch, 'action');
    await run('git', ['clone', '--quiet', '--depth', '1', '--branch', TAG, `file://${releaseRepo}`, actionPath], { env });
  });

  async function runAction(name: string, files: Record<string, string>, options: Partial<Parameters<typeof runCompositeAction>[0]> = {}): Promise<ActionRun> {
    const workspace = writeFiles(path.join(scratch, `ws-${name}`), files);
    return runCompositeAction({
      actionPath,
      workspace,
      runnerTemp: path.join(scratch, `runner-${name}`),
      inputs: step.with ?? {},
      event: { name: 'push', payload: { ref: 'refs/heads/main', repository: { full_name: 'example/recipe' } } },
      repository: 'example/recipe',
      path: SYSTEM_PATH,
      ...options,
    });
  }

  const byName = (result: ActionRun, name: RegExp) => result.steps.find((s) => name.test(s.name))!;

  it("the README's workflow uses the action at this version's tag, with inputs it has", async () => {
    expect(step.uses).toBe(`coop-cloud/galley@${TAG}`);
    const action = parse(await readFile(path.join(actionPath, 'action.yml'), 'utf8')) as { inputs: Record<string, unknown> };
    for (const input of Object.keys(step.with ?? {})) expect(Object.keys(action.inputs)).toContain(input);
  });

  it('on a push: installs galley from its ref, annotates, writes the job summary and SARIF, uploads it, and fails on findings', async () => {
    const result = await runAction('push', BROKEN);
    expect(byName(result, /setup-node/)).toMatchObject({ state: 'planned', with: { 'node-version': '20' } });
    const install = byName(result, /^Install galley$/);
    expect(install).toMatchObject({ state: 'ran', exitCode: 0, outputs: { version: VERSION } });
    expect(result.pathAdded).toEqual([path.join(scratch, 'runner-push', 'galley-bin')]);
    expect(byName(result, /^galley lint$/)).toMatchObject({ state: 'ran', exitCode: 0, outputs: { 'exit-code': '1' } });
    expect(result.annotations).toContainEqual(
      expect.objectContaining({ level: 'error', properties: expect.stringMatching(/^file=compose\.yml,line=10,col=5,.*title=swarm\/schema \(galley\)$/) }),
    );
    expect(result.summary).toMatch(/^### galley lint\n/);
    const sarif = JSON.parse(await readFile(path.join(scratch, 'ws-push', 'galley.sarif'), 'utf8')) as {
      version: string;
      runs: { results: { ruleId: string }[] }[];
    };
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0]!.results.map((r) => r.ruleId)).toContain('swarm/schema');
    expect(byName(result, /^Upload SARIF$/)).toMatchObject({
      state: 'planned',
      uses: 'github/codeql-action/upload-sarif@v3',
      with: { sarif_file: 'galley.sarif', category: 'galley' },
      continueOnError: true,
    });
    expect(byName(result, /^Findings fail the step$/)).toMatchObject({ state: 'ran', exitCode: 1 });
    expect(result.failed).toBe(true);
    expect(result.outputs).toEqual({ 'sarif-file': 'galley.sarif', 'exit-code': '1', version: VERSION });
    // Later steps of the job find galley on PATH.
    const later = await result.laterStep('galley --version');
    expect(later.stdout).toBe(`${VERSION}\n`);
  });

  it("on a fork's pull request: skips the upload with a notice, and passes a clean recipe", async () => {
    const fork = { name: 'pull_request', payload: { pull_request: { number: 7, head: { repo: { full_name: 'someone/recipe', fork: true } } } } };
    const result = await runAction('fork', CLEAN, { event: fork });
    expect(result.failed).toBe(false);
    expect(byName(result, /^galley lint$/).outputs['exit-code']).toBe('0');
    expect(byName(result, /^Upload SARIF$/).state).toBe('skipped');
    expect(result.annotations).toContainEqual({
      level: 'notice',
      properties: 'title=galley',
      message:
        "SARIF upload skipped: this pull request comes from the fork someone/recipe, whose token may not write code scanning results. The findings are in this run's annotations and job summary.",
    });
    expect(byName(result, /^Findings fail the step$/).state).toBe('skipped');

    // upload-sarif: true insists (and a refused upload then fails the job).
    const insisted = await runAction('fork-true', CLEAN, { event: fork, inputs: { 'upload-sarif': 'true' } });
    expect(byName(insisted, /^Upload SARIF$/)).toMatchObject({ state: 'planned', continueOnError: false });
    // Dependabot's runs get a read-only token too.
    const dependabot = await runAction('dependabot', CLEAN, { actor: 'dependabot[bot]' });
    expect(byName(dependabot, /^Upload SARIF$/).state).toBe('skipped');
    expect(dependabot.annotations.map((a) => a.message)).toContainEqual(
      expect.stringMatching(/^SARIF upload skipped: Dependabot runs with a read-only token\./),
    );
    // A same-repository pull request may upload.
    const own = { name: 'pull_request', payload: { pull_request: { number: 8, head: { repo: { full_name: 'example/recipe', fork: false } } } } };
    expect(byName(await runAction('own-pr', CLEAN, { event: own }), /^Upload SARIF$/).state).toBe('planned');
  });

  it('stops on unusable input (exit 2) without uploading, and names a bad upload-sarif', async () => {
    const result = await runAction('bad-input', CLEAN, { inputs: { 'fail-on': 'sometimes' } });
    expect(byName(result, /^galley lint$/)).toMatchObject({ state: 'ran', exitCode: 2 });
    expect(byName(result, /^Upload SARIF$/).state).toBe('skipped');
    expect(result.failed).toBe(true);
    const bad = await runAction('bad-upload', CLEAN, { inputs: { 'upload-sarif': 'yes' } });
    expect(bad.annotations).toContainEqual(expect.objectContaining({ level: 'error', message: 'upload-sarif must be auto, true or false, not "yes"' }));
    expect(bad.failed).toBe(true);
  });

  it('at a ref that holds the sources (no release), says to use a release tag', async () => {
    const result = await runCompositeAction({
      actionPath: REPO_ROOT,
      workspace: writeFiles(path.join(scratch, 'ws-sources'), CLEAN),
      runnerTemp: path.join(scratch, 'runner-sources'),
      event: { name: 'push', payload: {} },
      repository: 'example/recipe',
      path: SYSTEM_PATH,
    });
    expect(result.annotations[0]?.message).toBe("coop-cloud/galley@v0 holds galley's sources, not its package: name a release tag (vX.Y.Z) in uses:");
    expect(result.failed).toBe(true);
    expect(result.steps.filter((s) => s.state === 'ran').map((s) => s.name)).toEqual(['Install galley']);
  });
});

describe('pre-commit hooks (language: node): pre-commit installs galley itself', () => {
  const preCommit = (cwd: string, args: string[]): Promise<RunResult> =>
    run('pre-commit', args, { cwd, env: { ...env, PRE_COMMIT_HOME: path.join(scratch, 'pre-commit'), NO_COLOR: '1' }, allowFailure: true, timeoutMs: 240_000 });

  it("the README's .pre-commit-config.yaml lints the recipe, passing and failing", async () => {
    const example = await readFile(path.join(EXAMPLES, 'pre-commit-config.yaml'), 'utf8');
    expect(example).toContain(`rev: ${TAG}\n`);
    const config = example.replace('https://git.coopcloud.tech/toolshed/galley', `file://${releaseRepo}`);
    const recipe = await recipeRepo('pc-recipe', { ...CLEAN, '.pre-commit-config.yaml': config });
    const clean = await preCommit(recipe, ['run', '--all-files']);
    expect(clean.stdout).toMatch(/galley lint\.+Passed/);
    expect(clean.code).toBe(0);
    await writeFile(path.join(recipe, 'compose.yml'), BROKEN['compose.yml']);
    const broken = await preCommit(recipe, ['run', '--all-files']);
    expect(broken.stdout).toMatch(/galley lint\.+Failed/);
    expect(broken.stdout).toContain('refuses the key "imagee"');
    expect(broken.code).toBe(1);
  });

  it('pre-commit try-repo runs galley-lint-fix from the release tag: it fixes the files', async () => {
    const withStale = { ...CLEAN, 'compose.yml': `${CLEAN['compose.yml']}    hostname: app # galley-disable-line compose/schema\n` };
    const recipe = await recipeRepo('pc-fix', withStale);
    const result = await preCommit(recipe, ['try-repo', `file://${releaseRepo}`, 'galley-lint-fix', '--ref', TAG, '--all-files']);
    expect(result.stdout).toMatch(/galley lint --fix\.+Failed/);
    expect(result.stdout).toContain('files were modified by this hook');
    expect(await readFile(path.join(recipe, 'compose.yml'), 'utf8')).toBe(`${CLEAN['compose.yml']}    hostname: app\n`);
  });
});

describe('Drone, Woodpecker and GitLab examples install the package and lint', () => {
  let server: LocalHttpServer;
  const tarballUrl = () => `${server.url}/${path.basename(tarball)}`;

  beforeAll(async () => {
    server = await serveDir(path.dirname(tarball));
  });
  afterAll(async () => {
    await server?.stop();
  });

  /** Runs a job's commands as the CI does (`sh -e`, one after the other), with the job's variables. */
  async function runJob(
    name: string,
    variables: Record<string, string>,
    commands: string[],
    files: Record<string, string>,
  ): Promise<{ result: RunResult; dir: string }> {
    expect(variables.GALLEY_PACKAGE).toBe(`https://git.coopcloud.tech/toolshed/galley/releases/download/${TAG}/galley-${VERSION}.tgz`);
    const dir = writeFiles(path.join(scratch, `job-${name}`), files);
    const prefix = path.join(scratch, `job-${name}-prefix`);
    const result = await run('sh', ['-e', '-c', commands.join('\n')], {
      cwd: dir,
      env: { ...env, ...variables, GALLEY_PACKAGE: tarballUrl(), npm_config_prefix: prefix, PATH: `${prefix}/bin:${SYSTEM_PATH}` },
      allowFailure: true,
      timeoutMs: 180_000,
    });
    return { result, dir };
  }

  it('.drone.yml', async () => {
    const drone = parse(await readFile(path.join(EXAMPLES, 'drone.yml'), 'utf8')) as { steps: { environment: Record<string, string>; commands: string[] }[] };
    const [step] = drone.steps;
    const clean = await runJob('drone-clean', step!.environment, step!.commands, CLEAN);
    expect(clean.result.stdout).toMatch(/\(0 errors, \d+ warnings, 0 infos\)/);
    expect(clean.result.code).toBe(0);
    const broken = await runJob('drone-broken', step!.environment, step!.commands, BROKEN);
    expect(broken.result.stdout).toContain('refuses the key "imagee"');
    expect(broken.result.code).toBe(1);
  });

  it('.woodpecker.yml', async () => {
    const woodpecker = parse(await readFile(path.join(EXAMPLES, 'woodpecker.yml'), 'utf8')) as {
      steps: Record<string, { environment: Record<string, string>; commands: string[] }>;
    };
    const step = woodpecker.steps.lint!;
    const broken = await runJob('woodpecker', step.environment, step.commands, BROKEN);
    expect(broken.result.stdout).toContain('refuses the key "imagee"');
    expect(broken.result.code).toBe(1);
  });

  it('.gitlab-ci.yml writes the Code Quality report and fails the job on findings', async () => {
    const gitlab = parse(await readFile(path.join(EXAMPLES, 'gitlab-ci.yml'), 'utf8')) as {
      galley: { variables: Record<string, string>; script: string[]; artifacts: { reports: { codequality: string } } };
    };
    const { result, dir } = await runJob('gitlab', gitlab.galley.variables, gitlab.galley.script, BROKEN);
    expect(result.stdout).toContain('refuses the key "imagee"');
    expect(result.code).toBe(1);
    const report = JSON.parse(await readFile(path.join(dir, gitlab.galley.artifacts.reports.codequality), 'utf8')) as { check_name: string }[];
    expect(report.map((issue) => issue.check_name)).toContain('swarm/schema');
  });

  it('the README shows these files as they are, and the READMEs install this version', async () => {
    const readme = await readFile(path.join(REPO_ROOT, 'README.md'), 'utf8');
    for (const file of ['github-workflow.yml', 'pre-commit-config.yaml', 'drone.yml', 'woodpecker.yml', 'gitlab-ci.yml']) {
      expect(readme).toContain(await readFile(path.join(EXAMPLES, file), 'utf8'));
    }
    const text = `${readme}${await readFile(path.join(REPO_ROOT, 'packages/cli/README.md'), 'utf8')}`;
    const mentioned = [...text.matchAll(/releases\/download\/v([^/]+)\/galley-([^/\s]+)\.tgz|galley@v([\d.]+)|galley-([\d.]+)\.tgz|rev: v([\d.]+)/g)];
    expect(mentioned.length).toBeGreaterThan(5);
    expect([...new Set(mentioned.flatMap((m) => m.slice(1).filter(Boolean)))]).toEqual([VERSION]);
  });
});

describe('the CI image (examples/ci/Dockerfile)', () => {
  const id = randomBytes(4).toString('hex');
  const base = `galley-test-node-${id}:base`;
  const image = `galley-test-ci-${id}:latest`;
  let docker: (args: string[]) => Promise<string>;

  beforeAll(async () => {
    const sw = await swarm();
    docker = sw.docker;
  });
  afterAll(async () => {
    await run('docker', ['image', 'rm', '--force', image, base], { allowFailure: true });
  });

  /** A Node.js base image like node:20-slim's layout, from this machine's node, its libraries and npm, on local/busybox:1. */
  async function buildNodeBase(): Promise<void> {
    const context = path.join(scratch, 'node-base');
    const rootfs = path.join(context, 'rootfs');
    const node = realpathSync(process.execPath);
    const npm = path.resolve(path.dirname(realpathSync((await run('sh', ['-c', 'command -v npm'], { env })).stdout.trim())), '..');
    const place = (from: string, to: string) => {
      mkdirSync(path.dirname(path.join(rootfs, to)), { recursive: true });
      try {
        linkSync(from, path.join(rootfs, to));
      } catch {
        copyFileSync(from, path.join(rootfs, to));
      }
    };
    place(node, '/usr/local/bin/node');
    const libs = (await run('ldd', [node])).stdout.match(/\/\S+/g) ?? [];
    for (const lib of libs) place(realpathSync(lib), lib);
    await mkdir(path.join(rootfs, 'usr/local/lib/node_modules'), { recursive: true });
    await run('cp', ['-a', npm, path.join(rootfs, 'usr/local/lib/node_modules/npm')]);
    symlinkSync('../lib/node_modules/npm/bin/npm-cli.js', path.join(rootfs, 'usr/local/bin/npm'));
    mkdirSync(path.join(rootfs, 'usr/bin'), { recursive: true });
    symlinkSync('/bin/env', path.join(rootfs, 'usr/bin/env'));
    await writeFile(path.join(context, 'Dockerfile'), 'FROM local/busybox:1\nCOPY rootfs/ /\nENV PATH=/usr/local/bin:/usr/bin:/bin\n');
    await run('docker', ['build', '--quiet', '--tag', base, context], { env: { ...process.env, DOCKER_BUILDKIT: '0' }, timeoutMs: 240_000 });
  }

  it('builds from the release tarball with no network, and lints a mounted recipe', async () => {
    await buildNodeBase();
    const context = path.join(scratch, 'image');
    await mkdir(context);
    copyFileSync(tarball, path.join(context, path.basename(tarball)));
    await run(
      'docker',
      [
        'build',
        '--network',
        'none',
        '--build-arg',
        `NODE_IMAGE=${base}`,
        '--build-arg',
        `GALLEY_PACKAGE=${path.basename(tarball)}`,
        '--tag',
        image,
        '--file',
        path.join(EXAMPLES, 'Dockerfile'),
        context,
      ],
      { env: { ...process.env, DOCKER_BUILDKIT: '0' }, timeoutMs: 240_000 },
    );
    expect((await docker(['run', '--rm', '--network', 'none', image, 'galley', '--version'])).trim()).toBe(VERSION);
    const recipe = writeFiles(path.join(scratch, 'docker-recipe'), BROKEN);
    const lint = await run('docker', ['run', '--rm', '--network', 'none', '--volume', `${recipe}:/recipe:ro`, image], { allowFailure: true });
    expect(lint.stdout).toContain('refuses the key "imagee"');
    expect(lint.code).toBe(1);
  });
});
