import { describe, expect, it } from '@jest/globals';
import { type CatalogueChanges, changesMarkdown } from './changes.js';
import type { GenerateResult } from './generate.js';
import { formatUpgradeDiff, formatUpgradeTable, type UpgradePlan } from './recipe-upgrade.js';
import { createReporter } from './reporter.js';

/**
 * Recipe names, tags, reasons and errors come from forges, registries and
 * recipes: in the progress lines, the run summary, the changes and the
 * upgrade table none may start a line, move the cursor or forge a workflow
 * command.
 */
const HOSTILE = 'x\ngalley: wrote recipes.json\r\u001b[2J\n::error::forged';
const SHOWN = 'x\\u000agalley: wrote recipes.json\\u000d\\u001b[2J\\u000a::error::forged';

function expectInert(text: string): void {
  expect(text).toContain(SHOWN);
  expect(text).not.toMatch(/[\r\u001b]/);
  for (const line of text.split('\n')) expect(line).not.toMatch(/^\s*(galley: wrote|::error)/);
}

const changes: CatalogueChanges = {
  newRecipes: [{ recipe: HOSTILE, latest: HOSTILE }],
  removedRecipes: [{ recipe: HOSTILE, reason: HOSTILE }],
  newReleases: [{ recipe: HOSTILE, version: '1.0.0' }],
  removedReleases: [],
  movedTags: [],
  upstream: [{ recipe: HOSTILE, service: 'app', image: 'nginx', current: '1', kind: 'major', tag: '2' }],
  newlyStale: [{ recipe: 'r', scope: 'entry', error: HOSTILE }],
  recovered: [],
  invalidReleases: [{ recipe: 'r', tag: HOSTILE, reason: HOSTILE }],
};

const result: GenerateResult = {
  status: 'partial',
  catalogue: {},
  file: 'recipes.json',
  changed: true,
  summary: {
    recipes: 1,
    read: 1,
    unchanged: 0,
    tagsRead: 1,
    skipped: [{ name: HOSTILE, sourceId: 's', reason: HOSTILE }],
    failures: [{ subject: HOSTILE, error: HOSTILE }],
    stale: [HOSTILE],
    registryStale: [],
    removed: [],
    invalidReleases: [{ recipe: HOSTILE, tag: 't', reason: HOSTILE }],
    changes,
    health: [],
    requests: {},
    cacheHits: { tags: 0, digests: 0, created: 0 },
    needed: { tagLists: 0, digests: 0 },
    durationMs: 10,
  },
};

describe('catalogue output', () => {
  it.each(['lines', 'bar'] as const)('the %s reporter prints hostile names, errors and warnings one line each', (mode) => {
    let err = '';
    const stderr = {
      write: (text: string) => {
        err += text;
        return true;
      },
    } as unknown as NodeJS.WritableStream;
    const reporter = createReporter(mode, stderr, stderr);
    reporter.onEvent({ type: 'sources', repos: 1, skipped: [], failedSources: [{ source: HOSTILE, error: HOSTILE }] });
    reporter.onEvent({ type: 'repo', name: HOSTILE, status: 'failed', error: HOSTILE });
    reporter.onEvent({ type: 'warning', message: HOSTILE });
    reporter.finish(result);
    expectInert(err);
    if (mode === 'lines') expect(err).toContain(`failed ${SHOWN}: ${SHOWN}\n`);
  });

  it('the changes as Markdown keep each item on one line', () => {
    const markdown = changesMarkdown(changes);
    expectInert(markdown);
    expect(markdown).toContain(`- **${SHOWN}**: ${SHOWN}\n`);
  });

  it('the upgrade table measures escaped cells, and the diff shows controls', () => {
    const plan: UpgradePlan = {
      dir: '.',
      level: 'major',
      images: [
        {
          file: 'compose.yml',
          line: 3,
          service: HOSTILE,
          written: 'nginx:1',
          image: 'nginx:1',
          name: 'nginx',
          current: '1',
          status: 'failed',
          reason: HOSTILE,
          edits: [],
        },
      ],
      changes: [{ file: 'compose.yml', before: 'image: nginx:1\n', after: `image: "${HOSTILE}"\n` }],
    };
    const table = formatUpgradeTable(plan);
    expectInert(table);
    const [header, row] = table.split('\n');
    expect(row!.indexOf('compose.yml:3')).toBe(header!.indexOf('WHERE'));
    const diff = formatUpgradeDiff(plan);
    expect(diff).not.toMatch(/[\r\u001b]/);
    expect(diff).toContain('\\u001b[2J');
    for (const line of diff.split('\n')) expect(line).not.toMatch(/^\s*::error/);
  });
});
