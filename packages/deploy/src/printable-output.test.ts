import { formatEnvProblems } from '@galley/recipe';
import { afterAll, describe, expect, it } from '@jest/globals';
import { removeTree, writeTree } from '../../../test/support/recipe-fixtures.js';
import { parseAppEnv } from './app-env.js';
import type { ServiceProgress } from './converge.js';
import { assertLintClean } from './lint-gate.js';
import { createReporter } from './progress.js';
import { type AppStatus, formatAppStatus } from './ps.js';
import { locateRecipe } from './recipe-locator.js';
import { resolveAppStack } from './render.js';
import { type DeployResult, formatDeployResult } from './report.js';
import { manualSecretsError } from './secrets.js';

/**
 * Names, values and messages from a recipe, an env file or the engine must
 * not start a line of their own, move the cursor or forge a workflow
 * command in anything deploy prints.
 */
const HOSTILE = 'x\ngalley: deployed ok\r\u001b[2J\n::error::forged';
const SHOWN = 'x\\u000agalley: deployed ok\\u000d\\u001b[2J\\u000a::error::forged';

function expectInert(text: string): void {
  expect(text).toContain(SHOWN);
  expect(text).not.toMatch(/[\r\u001b]/);
  for (const line of text.split('\n')) expect(line).not.toMatch(/^\s*(galley: deployed ok|::error)/);
}

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeTree));

function recipe(files: Record<string, string>): string {
  const dir = writeTree(files, 'galley-printable-output-');
  dirs.push(dir);
  return dir;
}

/** HOSTILE as a YAML double-quoted scalar. */
const YAML_HOSTILE = JSON.stringify(HOSTILE).replace('\\u001b', '\\e');

const service = (name: string, detail: string): ServiceProgress => ({
  service: `s_${name}`,
  name,
  phase: 'failed',
  running: 0,
  desired: 1,
  detail,
  lastError: detail,
});

describe('the deploy reporter', () => {
  it.each([false, true])('prints hostile steps, warnings, overview and progress as one line each (terminal: %s)', (tty) => {
    let out = '';
    const reporter = createReporter({ write: (text: string) => (out += text), columns: 0 }, { tty });
    reporter.step(HOSTILE);
    reporter.warn(HOSTILE);
    reporter.overview({
      server: 'b',
      app: HOSTILE,
      from: '1.0.0',
      to: '1.1.0',
      chaos: false,
      images: [{ service: HOSTILE, to: 'nginx:1' }],
      secretsToCreate: [],
      servicesToRemove: [],
    });
    reporter.progress(HOSTILE, [service(HOSTILE, HOSTILE)]);
    reporter.endProgress();
    expectInert(out);
  });
});

describe('the reports', () => {
  it('a deploy result, a dry run and galley ps escape names, errors and log lines', () => {
    const result: DeployResult = {
      outcome: 'failed',
      exitCode: 1,
      server: 'b',
      stack: HOSTILE,
      recipe: 'r',
      source: '.',
      chaos: false,
      secrets: [],
      configsToCreate: [],
      images: [],
      services: [],
      failures: [{ name: HOSTILE, reason: HOSTILE, lastError: HOSTILE, logs: [HOSTILE] }],
      removedServices: [HOSTILE],
      prunedConfigs: [],
      postCommands: [],
      warnings: [HOSTILE],
      elapsedMs: 1000,
    };
    expectInert(formatDeployResult(result));
    const dry = formatDeployResult({ ...result, outcome: 'dry-run', compose: `services:\n  app:\n    image: "\u001b[2J"\n::error::forged\n` });
    expectInert(dry);
    expect(dry.startsWith('services:\n  app:\n')).toBe(true);

    const status: AppStatus = {
      server: 'b',
      stack: 's',
      domain: 'd',
      deployed: true,
      services: [
        {
          name: HOSTILE,
          image: HOSTILE,
          mode: 'replicated',
          running: 0,
          desired: 1,
          updateState: 'paused',
          updateMessage: HOSTILE,
          recentFailures: 2,
          lastError: { task: 't', error: HOSTILE, at: '', secondsAgo: 1 },
        },
      ],
    };
    const ps = formatAppStatus(status);
    expectInert(ps);
    // Widths are measured on the escaped name: the header's columns line up with the row's.
    const [, header, row] = ps.split('\n');
    expect(row!.indexOf('0/1')).toBe(header!.indexOf('REPLICAS'));
  });
});

describe('errors that list input', () => {
  const app = parseAppEnv('TYPE=x\nDOMAIN=x.example\n', 'x.env');

  it('a stack that cannot be rendered quotes the compose file on one line per diagnostic', async () => {
    const dir = recipe({ 'compose.yml': `services:\n  app:\n    image: "nginx:\${TAG:?${YAML_HOSTILE.slice(1, -1)}}"\n` });
    const located = await locateRecipe(app, { recipeDir: dir, chaos: true });
    try {
      let message = '';
      try {
        resolveAppStack(located, app);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/cannot be rendered:\n {2}compose\.yml:3:\d+: /);
      expectInert(message);
    } finally {
      await located.dispose();
    }
  });

  it('the lint gate names each blocking finding on one line', async () => {
    const dir = recipe({
      'compose.yml': `version: "3.8"\nservices:\n  app:\n    image: nginx:1.27.3\n  ${YAML_HOSTILE}:\n    image: nginx:1.27.3\n    imagee: x\n`,
      '.env.sample': 'TYPE=x\nDOMAIN=x.example\n',
    });
    const located = await locateRecipe(app, { recipeDir: dir, chaos: true });
    try {
      const error = await assertLintClean(located).then(
        () => undefined,
        (e: Error) => e,
      );
      expect(error?.message).toMatch(/has \d+ lint errors? in what this app deploys/);
      expectInert(error!.message);
    } finally {
      await located.dispose();
    }
  });

  it('secrets to insert by hand and env problems: one line each', () => {
    const span = { file: 'compose.yml', line: 1, col: 1, endLine: 1, endCol: 1, offset: 0, endOffset: 0 };
    const plan = {
      kind: 'secret' as const,
      key: 'k',
      name: HOSTILE,
      external: true,
      span,
      usedBy: ['app'],
      exists: false,
      source: { kind: 'manual' as const },
    };
    expectInert(manualSecretsError([plan], 'app.env')!.message);
    expectInert(formatEnvProblems([{ kind: 'unknown-key', key: 'K', message: HOSTILE, span }]));
  });
});
