// The installed package: `npm pack` of the built package (or the release
// script's tarball, $GALLEY_TARBALL), `npm install -g --prefix` into an empty
// folder with no registry reachable, then every command run from a folder
// outside the repository, on fixtures, against the real registry, git server
// and swarm: what a packager, a catalogue maintainer and an operator get.
import { readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { XMLValidator } from 'fast-xml-parser';
import { expectExit, recipeFiles, uniqueDomain } from '../deploy/fixtures.js';
import { REPO_ROOT } from '../support/cli.js';
import {
  type GitServer,
  type LocalRegistry,
  makeTempDir,
  type RunResult,
  removeTempDir,
  run,
  startGitServer,
  startProcess,
  startRegistry,
  waitFor,
} from '../support/index.js';
import { installGalley, offlineNpmEnv, type PackedGalley, packGalley } from '../support/package.js';
import { writeFiles } from '../support/recipe-fixtures.js';

jest.setTimeout(180_000);

const VERSION = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'packages/cli/package.json'), 'utf8')) as { version: string }).version;

let scratch = '';
let prefix = '';
let galleyBin = '';
let packed: PackedGalley;
/** Where the commands run: a folder outside the repository. */
let work = '';

/** The installed `galley`, run from `work` with a PATH that has node but no other galley. */
function galley(args: string[], options: { cwd?: string; env?: Record<string, string>; input?: string } = {}): Promise<RunResult> {
  return run(galleyBin, args, {
    cwd: options.cwd ?? work,
    env: {
      PATH: `${path.dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`,
      HOME: path.join(scratch, 'home'),
      XDG_CACHE_HOME: path.join(scratch, 'xdg-cache'),
      GALLEY_LOCK_DIR: path.join(scratch, 'locks'),
      ABRA_DIR: path.join(scratch, 'abra'),
      NO_COLOR: '1',
      ...options.env,
    },
    ...(options.input !== undefined ? { input: options.input } : {}),
    allowFailure: true,
    timeoutMs: 120_000,
  });
}

beforeAll(async () => {
  scratch = await makeTempDir('install');
  prefix = path.join(scratch, 'prefix');
  work = path.join(scratch, 'work');
  await Promise.all([mkdir(work), mkdir(path.join(scratch, 'home'))]);
  packed = await packGalley(scratch);
  galleyBin = await installGalley(packed.tarball, prefix, scratch);
});

afterAll(async () => {
  if (scratch) await removeTempDir(scratch);
});

describe('the package', () => {
  it('is bundled: no dependencies, its own files inside, no sources or source maps', async () => {
    const manifest = JSON.parse(await readFile(path.join(prefix, 'lib/node_modules/galley/package.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest).toMatchObject({ name: 'galley', version: VERSION, bin: { galley: 'bin/galley.js' }, engines: { node: '>=20.18.1' } });
    expect(manifest.dependencies).toBeUndefined();
    expect(manifest.private).toBeUndefined();
    const files = packed.files ?? [];
    if (!process.env.GALLEY_TARBALL) {
      for (const file of [
        'bin/galley.js',
        'lib/readme-worker.js',
        'schemas/catalogue.schema.json',
        'schemas/galley-config.schema.json',
        'site-templates/layout.eta',
        'site-templates/assets/style.css',
        'site-templates/client/dist/app.js',
        'docs/rules/README.md',
        'docs/rules/recipe/secret-name-length.md',
        'action.yml',
        '.pre-commit-hooks.yaml',
        'README.md',
        'CHANGELOG.md',
      ]) {
        expect(files).toContain(file);
      }
      expect(files.filter((f) => f.endsWith('.map') || f.endsWith('.ts') || f.startsWith('src/'))).toEqual([]);
    }
    // The installed tree has nothing but the package: no node_modules of its own.
    expect(await readdir(path.join(prefix, 'lib/node_modules/galley'))).not.toContain('node_modules');
  });

  it('galley --version prints the version of packages/cli/package.json', async () => {
    const result = await galley(['--version']);
    expectExit(result, 0);
    expect(result.stdout).toBe(`${VERSION}\n`);
  });

  it('--help of every command and subcommand', async () => {
    /** Command names listed under "Commands:" in a help text. */
    const commandsOf = (help: string): string[] => {
      const section = help.split('\nCommands:\n')[1]?.split('\n\n')[0] ?? '';
      // A command's line starts with two spaces; its wrapped description with more.
      return [...section.matchAll(/^ {2}([a-z][\w-]*)/gm)].map((m) => m[1]!).filter((name) => name !== 'help');
    };
    const top = await galley(['--help']);
    expectExit(top, 0);
    expect(top.stdout).toContain('Usage: galley');
    expect(top.stdout).toContain('Exit codes');
    const seen: string[] = [];
    const visit = async (words: string[]): Promise<void> => {
      const help = await galley([...words, '--help']);
      expectExit(help, 0);
      expect(help.stdout).toContain(`Usage: galley ${words.join(' ')}`);
      seen.push(words.join(' '));
      for (const sub of commandsOf(help.stdout)) await visit([...words, sub]);
    };
    for (const command of commandsOf(top.stdout)) await visit([command]);
    expect(seen).toEqual(
      expect.arrayContaining([
        'recipe inspect',
        'recipe upgrade',
        'catalogue generate',
        'lint',
        'deploy',
        'undeploy',
        'ps',
        'secret generate',
        'secret insert',
        'secret ls',
        'secret rm',
        'site build',
        'site serve',
      ]),
    );
  });

  it('npm uninstall -g removes the command', async () => {
    const other = path.join(scratch, 'other-prefix');
    const bin = await installGalley(packed.tarball, other, scratch);
    expect((await run(bin, ['--version'])).stdout).toBe(`${VERSION}\n`);
    await run('npm', ['uninstall', '--global', '--prefix', other, 'galley'], { cwd: scratch, env: offlineNpmEnv(scratch) });
    expect(await readdir(path.join(other, 'bin'))).toEqual([]);
    expect(await readdir(path.join(other, 'lib/node_modules'))).toEqual([]);
  });
});

// A recipe with a secret name longer than the README's .galley.yml allows,
// and a suppression comment that suppresses nothing (--fix removes it).
const RECIPE = {
  'compose.yml': [
    'version: "3.8"',
    'services:',
    '  app:',
    '    image: nginx:1.27.3',
    '    environment:',
    '      - DOMAIN',
    '    secrets:',
    '      - db_password_long',
    '    hostname: app # galley-disable-line compose/schema',
    '    deploy:',
    '      labels:',
    '        - "traefik.enable=true"',
    'secrets:',
    '  db_password_long:',
    '    external: true',
    '    name: ${STACK_NAME}_db_password_long_${SECRET_DB_PASSWORD_LONG_VERSION}',
    '',
  ].join('\n'),
  '.env.sample': 'TYPE=shipped\nDOMAIN=shipped.example.com\nSECRET_DB_PASSWORD_LONG_VERSION=v1\n',
  '.galley.yml': 'rules:\n  recipe/secret-name-length: [error, { max: 12 }]\n',
};

describe('galley lint, installed', () => {
  let recipe = '';
  beforeAll(async () => {
    recipe = writeFiles(path.join(work, 'shipped'), RECIPE);
  });

  it('takes rule options from .galley.yml', async () => {
    const result = await galley(['lint', 'shipped']);
    expectExit(result, 1);
    expect(result.stdout).toMatch(
      /shipped\/compose\.yml\n[\s\S]*error +secret name "db_password_long" is 16 characters[^\n]*at most 12 +recipe\/secret-name-length/,
    );
    writeFiles(scratch, { 'loose.yml': 'rules:\n  recipe/secret-name-length: [error, { max: 40 }]\n' });
    const loose = await galley(['lint', 'shipped', '--config', path.join(scratch, 'loose.yml')]);
    expect(loose.stdout).not.toContain('recipe/secret-name-length');
    const bad = await galley(['lint', '.'], {
      cwd: writeFiles(path.join(work, 'bad'), { ...RECIPE, '.galley.yml': 'rules:\n  recipe/secret-name-length: [error, { max: "twelve" }]\n' }),
    });
    expectExit(bad, 2);
    expect(bad.stderr).toMatch(/^galley: \.galley\.yml:2:\d+: invalid options for rule recipe\/secret-name-length/);
  });

  it('writes every format', async () => {
    const report = async (format: string): Promise<string> => {
      const result = await galley(['lint', '.', '--format', format], { cwd: recipe });
      expectExit(result, 1);
      expect(result.stderr).toBe('');
      return result.stdout;
    };
    expect(await report('stylish')).toContain('recipe/secret-name-length');
    const json = JSON.parse(await report('json')) as { targets: { findings: { ruleId: string; severity: string; line: number }[] }[] };
    expect(json.targets[0]!.findings).toContainEqual(expect.objectContaining({ ruleId: 'recipe/secret-name-length', severity: 'error', line: 14 }));
    const sarif = JSON.parse(await report('sarif')) as { version: string; runs: { tool: { driver: { name: string } }; results: { ruleId: string }[] }[] };
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0]!.tool.driver.name).toBe('galley');
    expect(sarif.runs[0]!.results.map((r) => r.ruleId)).toContain('recipe/secret-name-length');
    expect(await report('github')).toMatch(/^::error file=compose\.yml,line=14,col=3,[^:]*title=recipe\/secret-name-length \(galley[^)]*\)::/m);
    const gitlab = JSON.parse(await report('gitlab')) as { check_name: string; severity: string; location: { path: string } }[];
    expect(gitlab).toContainEqual(
      expect.objectContaining({ check_name: 'recipe/secret-name-length', location: expect.objectContaining({ path: 'compose.yml' }) }),
    );
    const junit = await report('junit');
    expect(XMLValidator.validate(junit)).toBe(true);
    expect(junit).toContain('recipe/secret-name-length');
  });

  it('--fix applies the safe fixes in place', async () => {
    const dir = writeFiles(path.join(work, 'to-fix'), RECIPE);
    const result = await galley(['lint', '.', '--fix'], { cwd: dir });
    expectExit(result, 1); // the long secret name is no mechanical fix
    expect(result.stderr).toBe('galley: fixed 1 file (compose.yml)\n');
    expect(await readFile(path.join(dir, 'compose.yml'), 'utf8')).toBe(
      RECIPE['compose.yml'].replace('    hostname: app # galley-disable-line compose/schema\n', '    hostname: app\n'),
    );
  });

  it('--explain and --list-rules work offline from the package', async () => {
    const explain = await galley(['lint', '--explain', 'recipe/secret-name-length']);
    expectExit(explain, 0);
    expect(explain.stdout).toMatch(/^recipe\/secret-name-length — /);
    const list = await galley(['lint', '--list-rules']);
    expectExit(list, 0);
    expect(list.stdout).toContain('compose/schema');
  });

  it('recipe inspect reads the recipe', async () => {
    const result = await galley(['recipe', 'inspect', 'shipped', '--json']);
    expectExit(result, 0);
    const inspected = JSON.parse(result.stdout) as { services: { name: string }[]; secrets: { name: string }[] };
    expect(inspected.services.map((s) => s.name)).toEqual(['app']);
    expect(JSON.stringify(inspected.secrets)).toContain('db_password_long');
  });
});

describe('catalogue, upgrade and site, installed, against a real registry and git server', () => {
  let registry: LocalRegistry;
  let git: GitServer;
  let config = '';
  const NOTES = {
    'compose.yml': 'version: "3.8"\nservices:\n  app:\n    image: nginx:1.25.3\n',
    '.env.sample': 'TYPE=notes\nDOMAIN=notes.example.com\n',
    'README.md': [
      '# Notes',
      '',
      'Notes for the installed package test.',
      '',
      '<!-- metadata -->',
      '* **Category**: Apps',
      '* **Status**: 2, beta',
      '* **Image**: [`nginx`](https://hub.docker.com/_/nginx), 4, upstream',
      '* **Healthcheck**: No',
      '* **Backups**: No',
      '* **Email**: N/A',
      '* **Tests**: No',
      '* **SSO**: N/A',
      '<!-- endmetadata -->',
      '',
    ].join('\n'),
  };

  beforeAll(async () => {
    registry = await startRegistry({ parentDir: '/dev/shm' });
    await registry.seedImage('library/nginx', ['1.25.3', '1.25.4', '1.26.1', '2.0.0'], { distinctDigests: true });
    git = await startGitServer([
      { name: 'notes', commits: [{ message: 'notes', date: '2024-01-10T00:00:00Z', files: NOTES, tags: [{ name: '1.0.0+1.25.3', annotated: true }] }] },
    ]);
    await writeFile(path.join(work, 'recipes.txt'), `${git.url('notes')}\n`);
    config = path.join(work, 'galley-catalogue.yml');
    await writeFile(config, `sources:\n  - list: recipes.txt\nregistry:\n  timeout: 10s\n  hosts:\n    docker.io: { url: ${registry.url} }\n`);
  });

  afterAll(async () => {
    await Promise.allSettled([registry?.stop(), git?.stop()]);
  });

  it('catalogue generate scans the repository and the registry into a valid recipes.json', async () => {
    const result = await galley(['catalogue', 'generate', '--config', config, '--cache', 'cache', '--out', 'recipes.json']);
    expectExit(result, 0);
    const catalogue = JSON.parse(await readFile(path.join(work, 'recipes.json'), 'utf8')) as Record<string, { versions: Record<string, unknown>[] }>;
    expect(Object.keys(catalogue)).toEqual(['notes']);
    const text = JSON.stringify(catalogue.notes);
    expect(text).toContain('1.0.0+1.25.3');
    expect(text).toContain('sha256:');
    expect(text).toContain('1.26.1');
  });

  it('recipe upgrade --dry-run shows the upgrade and changes nothing', async () => {
    const dir = writeFiles(path.join(work, 'notes'), NOTES);
    const result = await galley(['recipe', 'upgrade', dir, '--dry-run', '--config', config]);
    expectExit(result, 0);
    expect(result.stdout).toContain('-    image: nginx:1.25.3\n+    image: nginx:1.26.1\n');
    expect(await readFile(path.join(dir, 'compose.yml'), 'utf8')).toBe(NOTES['compose.yml']);
  });

  it('site build renders the catalogue; site serve serves it over HTTP', async () => {
    const build = await galley(['site', 'build', '--catalogue', 'recipes.json', '--cache', 'cache', '--out', 'site']);
    expectExit(build, 0);
    const server = startProcess(galleyBin, ['site', 'serve', '--dir', 'site', '--port', '0'], {
      cwd: work,
      env: { PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin`, HOME: path.join(scratch, 'home'), NO_COLOR: '1' },
    });
    try {
      const url = await waitFor(() => /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(server.output())?.[1], {
        timeoutMs: 30_000,
        description: 'galley site serve to print its URL',
        failIf: () => (server.exitStatus() ? `it exited: ${server.output()}` : undefined),
      });
      const home = await fetch(url);
      expect(home.status).toBe(200);
      expect(home.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await home.text()).toContain('recipes/notes.html');
      const page = await fetch(`${url}recipes/notes.html`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('Notes for the installed package test.');
      const script = await fetch(`${url}app.js`);
      expect(script.status).toBe(200);
      expect((await script.text()).length).toBeGreaterThan(1000);
      expect((await fetch(`${url}style.css`)).headers.get('content-type')).toBe('text/css; charset=utf-8');
    } finally {
      await server.stop();
    }
  });
});

describe('the README worker of large site builds, installed', () => {
  it('renders and sanitises markdown in a worker thread started from the package', async () => {
    // `site build` starts it only from 300 READMEs on: run it the way readme-renderer.ts does.
    const worker = new Worker(pathToFileURL(path.join(prefix, 'lib/node_modules/galley/lib/readme-worker.js')));
    try {
      const answer = new Promise<unknown>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      worker.postMessage([{ id: 1, markdown: '# Hi\n\n**bold** <script>alert(1)</script>', context: {} }]);
      const { results } = (await answer) as { results: { id: number; html: string }[] };
      expect(results[0]!.id).toBe(1);
      expect(results[0]!.html).toContain('<strong>bold</strong>');
      expect(results[0]!.html).not.toContain('<script');
    } finally {
      await worker.terminate();
    }
  });
});

describe('deploy and secrets, installed, against the swarm', () => {
  const { domain, stack } = uniqueDomain('ship');
  let envFile = '';
  let recipe = '';

  beforeAll(async () => {
    recipe = writeFiles(path.join(work, 'gdtship'), recipeFiles('gdtship', { version: '0.1.0+1', secrets: { db_password: 'length=24' } }));
    envFile = path.join(work, `${domain}.env`);
    await writeFile(envFile, `TYPE=gdtship\nDOMAIN=${domain}\nSECRET_DB_PASSWORD_VERSION=v1 # length=24\n`);
  });

  afterAll(async () => {
    await rm(recipe, { recursive: true, force: true });
  });

  it('deploy --dry-run renders the stack and the secrets it would create, and changes nothing', async () => {
    const result = await galley(['deploy', envFile, '--recipe', recipe, '--chaos', '--dry-run']);
    expectExit(result, 0);
    expect(result.stdout).toContain(`name: ${stack}_db_password_v1`);
    expect(result.stdout).toContain(`# secrets that would be created: ${stack}_db_password_v1 (24 characters)`);
    const services = await run('docker', ['service', 'ls', '-q', '--filter', `label=com.docker.stack.namespace=${stack}`]);
    expect(services.stdout.trim()).toBe('');
  });

  it('secret ls lists what the recipe declares and what exists', async () => {
    const result = await galley(['secret', 'ls', envFile, '--recipe', recipe, '--chaos']);
    expectExit(result, 0);
    expect(result.stdout).toMatch(new RegExp(`^db_password +v1 +${stack}_db_password_v1 +no +24 characters *$`, 'm'));
  });
});
