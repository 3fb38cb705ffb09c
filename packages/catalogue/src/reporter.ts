import { indentedList } from '@galley/platform';
import cliProgress from 'cli-progress';
import { formatDuration } from './duration.js';
import type { CatalogueEvent, GenerateResult } from './generate.js';

/**
 * How a run shows itself: a progress bar on a terminal (repos scanned, tags
 * read, images resolved), plain lines in logs and CI, or JSON events (one
 * object a line on stdout) for machines.
 */
export type ReporterMode = 'bar' | 'lines' | 'json';

export interface Reporter {
  onEvent(event: CatalogueEvent): void;
  /** Prints the end-of-run summary. */
  finish(result: GenerateResult): void;
  /** Stops the bar (on errors). */
  stop(): void;
}

export function chooseReporterMode(options: { json?: boolean; stream: NodeJS.WriteStream; env?: NodeJS.ProcessEnv }): ReporterMode {
  if (options.json) return 'json';
  const env = options.env ?? process.env;
  return options.stream.isTTY && !env.CI ? 'bar' : 'lines';
}

export function formatSummary(result: GenerateResult): string {
  const { summary, status, file, changed } = result;
  const lines: string[] = [];
  lines.push(
    `${changed ? 'wrote' : 'unchanged:'} ${file}: ${summary.recipes} recipes (${summary.read} repositories read, ${summary.unchanged} unchanged, ${summary.tagsRead} release tags read) in ${formatDuration(summary.durationMs)}`,
  );
  if (summary.skipped.length) {
    lines.push(`skipped ${summary.skipped.length}:`);
    for (const s of summary.skipped) lines.push(`  ${s.name} (${s.sourceId}): ${s.reason}`);
  }
  if (summary.changes.removedRecipes.length) {
    lines.push(`removed ${summary.changes.removedRecipes.length}:`);
    for (const r of summary.changes.removedRecipes) lines.push(`  ${r.recipe}: ${r.reason}`);
  }
  const news = [
    summary.changes.newRecipes.length && `${summary.changes.newRecipes.length} new recipes`,
    summary.changes.newReleases.length && `${summary.changes.newReleases.length} new releases`,
    summary.changes.upstream.length && `${summary.changes.upstream.length} new upstream versions`,
  ].filter(Boolean);
  if (news.length) lines.push(`changes: ${news.join(', ')}`);
  for (const m of summary.changes.movedTags) {
    lines.push(`moved release tag: ${m.recipe} ${m.version} now points at ${m.to.slice(0, 12)} (was ${m.from.slice(0, 12)}): releases should not change`);
  }
  if (summary.invalidReleases.length) {
    lines.push(`invalid releases (not published) ${summary.invalidReleases.length}:`);
    for (const i of summary.invalidReleases) lines.push(`  ${i.recipe} ${i.tag}: ${i.reason}${i.location ? ` (${i.location})` : ''}`);
  }
  const attention = summary.health.filter((h) => h.lint === 'errors' || h.staleSince !== undefined || h.upgrade === 'major');
  if (attention.length) {
    lines.push('health (recipes that need attention):');
    for (const h of attention) {
      const notes = [
        h.staleSince && `stale since ${h.staleSince.slice(0, 10)}`,
        h.lint === 'errors' && 'lint errors at the latest release',
        h.upgrade === 'major' && 'a major upstream version is out',
        h.daysSinceRelease !== undefined && `last release ${h.daysSinceRelease} days ago`,
      ].filter(Boolean);
      lines.push(`  ${h.recipe}: ${notes.join(', ')}`);
    }
  }
  const hosts = Object.entries(summary.requests);
  if (hosts.length) {
    lines.push('requests:');
    for (const [host, stats] of hosts) {
      const kinds = Object.entries(stats.byKind)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, n]) => `${k} ${n}`)
        .join(', ');
      lines.push(`  ${host}: ${stats.requests}${kinds ? ` (${kinds})` : ''}, ${stats.retries} retries, ${stats.failures} failures`);
    }
  } else lines.push('requests: none');
  const hits = summary.cacheHits;
  lines.push(`registry cache hits: ${hits.tags} tag lists, ${hits.digests} digests${hits.created ? `, ${hits.created} image dates` : ''}`);
  if (summary.failures.length) {
    lines.push(`failed ${summary.failures.length}:`);
    for (const f of summary.failures) lines.push(`  ${f.subject}: ${f.error}`);
  }
  if (summary.stale.length) lines.push(`kept the previous entries of ${summary.stale.join(', ')}, marked stale`);
  if (summary.registryStale.length) {
    lines.push(`published from git, with the previous digests and upgrades where the registry failed (marked stale): ${summary.registryStale.join(', ')}`);
  }
  if (status === 'partial') lines.push('partial result (exit code 3): run again when the failures above are fixed');
  // Names, reasons and errors come from forges, registries and recipes: each line stays one line.
  return `${indentedList(lines, '')}\n`;
}

export function createReporter(mode: ReporterMode, stderr: NodeJS.WritableStream = process.stderr, stdout: NodeJS.WritableStream = process.stdout): Reporter {
  if (mode === 'json') {
    const write = (value: unknown) => stdout.write(`${JSON.stringify(value)}\n`);
    return {
      onEvent: (event) => {
        // Per-tag and per-image events are many: JSON consumers get the per-repo ones and image totals at the end.
        if (event.type === 'tag' || event.type === 'images') return;
        write(event);
      },
      finish: (result) => write({ type: 'summary', status: result.status, file: result.file, changed: result.changed, summary: result.summary }),
      stop: () => undefined,
    };
  }
  if (mode === 'lines') {
    const line = (text: string) => stderr.write(`${indentedList([text], '')}\n`);
    return {
      onEvent: (event) => {
        switch (event.type) {
          case 'sources':
            line(`${event.repos} repositories to scan${event.skipped.length ? `, ${event.skipped.length} skipped` : ''}`);
            for (const f of event.failedSources) line(`source ${f.source} failed: ${f.error}`);
            break;
          case 'repo':
            if (event.status === 'read') line(`read ${event.name} (${event.versions ?? 0} versions)`);
            else if (event.status === 'failed') line(`failed ${event.name}: ${event.error ?? ''}`);
            break;
          case 'stale':
            line(`stale ${event.scope === 'entry' ? event.name : `${event.name} (registry facts)`}: ${event.error}`);
            break;
          case 'warning':
            line(`warning: ${event.message}`);
            break;
          default:
            break;
        }
      },
      finish: (result) => stderr.write(formatSummary(result)),
      stop: () => undefined,
    };
  }
  const bar = new cliProgress.SingleBar(
    {
      format: 'repos {bar} {value}/{total} | tags read {tags} | images {images}/{imagesTotal}',
      hideCursor: true,
      clearOnComplete: true,
      stream: stderr as NodeJS.WriteStream,
      fps: 10,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  let repos = 0;
  let tags = 0;
  let images = 0;
  let imagesTotal = 0;
  const payload = () => ({ tags, images, imagesTotal });
  const messages: string[] = [];
  return {
    onEvent: (event) => {
      switch (event.type) {
        case 'sources':
          bar.start(event.repos, 0, payload());
          started = true;
          for (const f of event.failedSources) messages.push(`source ${f.source} failed: ${f.error}`);
          return;
        case 'repo':
          repos++;
          break;
        case 'tag':
          tags++;
          break;
        case 'images':
          images = event.done;
          imagesTotal = event.total;
          break;
        case 'warning':
          messages.push(`warning: ${event.message}`);
          break;
        default:
          break;
      }
      if (started) bar.update(repos, payload());
    },
    finish: (result) => {
      if (started) bar.stop();
      started = false;
      if (messages.length) stderr.write(`${indentedList(messages, '')}\n`);
      stderr.write(formatSummary(result));
    },
    stop: () => {
      if (started) bar.stop();
      started = false;
    },
  };
}
