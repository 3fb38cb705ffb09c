import { indentedList } from '@galley/platform';
import type { Changes } from './generated/sidecar-schema.js';
import { type RemovedRecipe, registryStaleness } from './policy.js';
import type { Catalogue, CatalogueRecipe } from './types.js';

/**
 * What a run changed in the catalogue, for the maintainer who runs it every
 * night: new and removed recipes, new (and withdrawn) releases, release tags
 * that moved (releases should be immutable), new upstream candidates, entries
 * that became stale or recovered, and newly seen invalid releases. Worked out
 * from the previous and the new catalogue alone (pure), so the changelog says
 * exactly what differs between the two files. The shape is defined by
 * `schemas/catalogue-sidecar.schema.json` (the types are generated from it).
 */
export type CatalogueChanges = Changes;
export type UpstreamKind = Changes['upstream'][number]['kind'];
/** `entry`: the repository could not be read, the whole entry is the last good one; `registry`: some digests or upgrades are. */
export type StaleScope = Changes['newlyStale'][number]['scope'];

const KINDS: readonly UpstreamKind[] = ['major', 'minor', 'patch', 'variant'];

const versionsOf = (entry: CatalogueRecipe): string[] => entry.versions.map((v) => Object.keys(v)[0]!);

export function noChanges(changes: CatalogueChanges): boolean {
  return Object.values(changes).every((list: unknown[]) => list.length === 0);
}

function staleness(entry: CatalogueRecipe | undefined): Partial<Record<StaleScope, string>> {
  const out: Partial<Record<StaleScope, string>> = {};
  if (!entry) return out;
  if (entry.galley?.stale) out.entry = entry.galley.stale.error;
  const registry = registryStaleness(entry);
  if (registry !== undefined) out.registry = registry;
  return out;
}

/** The changes between two catalogues; `removed` gives the reason of each removed recipe. */
export function diffCatalogues(previous: Catalogue, next: Catalogue, removed: readonly RemovedRecipe[] = []): CatalogueChanges {
  const changes: CatalogueChanges = {
    newRecipes: [],
    removedRecipes: [],
    newReleases: [],
    removedReleases: [],
    movedTags: [],
    upstream: [],
    newlyStale: [],
    recovered: [],
    invalidReleases: [],
  };
  const reasons = new Map(removed.map((r) => [r.name, r.reason]));
  for (const name of Object.keys(previous).sort()) {
    if (!(name in next)) changes.removedRecipes.push({ recipe: name, reason: reasons.get(name) ?? 'no longer in the catalogue' });
  }
  for (const name of Object.keys(next).sort()) {
    const entry = next[name]!;
    const before = previous[name];
    const versions = versionsOf(entry);
    if (!before) {
      const latest = versions[versions.length - 1];
      changes.newRecipes.push(latest === undefined ? { recipe: name } : { recipe: name, latest });
    } else {
      const had = new Set(versionsOf(before));
      const has = new Set(versions);
      for (const version of versions) {
        if (!had.has(version)) {
          const date = entry.galley?.versions[version]?.date;
          changes.newReleases.push(date ? { recipe: name, version, date } : { recipe: name, version });
          continue;
        }
        const from = before.galley?.versions[version]?.commit;
        const to = entry.galley?.versions[version]?.commit;
        if (from && to && from !== to) changes.movedTags.push({ recipe: name, version, from, to });
      }
      for (const version of versionsOf(before)) if (!has.has(version)) changes.removedReleases.push({ recipe: name, version });
      for (const [service, upgrades] of Object.entries(entry.galley?.upgrades ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
        if (upgrades.stale) continue;
        const old = before.galley?.upgrades[service];
        for (const kind of KINDS) {
          const tag = upgrades[kind]?.tag;
          if (tag !== undefined && old?.[kind]?.tag !== tag) {
            changes.upstream.push({ recipe: name, service, image: upgrades.image, current: upgrades.current, kind, tag });
          }
        }
      }
    }
    const was = staleness(before);
    const is = staleness(entry);
    for (const scope of ['entry', 'registry'] as const) {
      if (is[scope] !== undefined && was[scope] === undefined) changes.newlyStale.push({ recipe: name, scope, error: is[scope]! });
      if (before && is[scope] === undefined && was[scope] !== undefined) changes.recovered.push({ recipe: name, scope });
    }
    const known = new Set((before?.galley?.invalidReleases ?? []).map((i) => i.tag));
    for (const invalid of entry.galley?.invalidReleases ?? []) {
      if (known.has(invalid.tag)) continue;
      changes.invalidReleases.push({
        recipe: name,
        tag: invalid.tag,
        reason: invalid.reason,
        ...(invalid.location !== undefined ? { location: invalid.location } : {}),
      });
    }
  }
  return changes;
}

const code = (text: string): string => `\`${text.replaceAll('`', "'")}\``;
const cell = (text: string): string => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

/** The changes as Markdown (a pull-request body, a commit message, `$GITHUB_STEP_SUMMARY`). */
export function changesMarkdown(changes: CatalogueChanges, title = 'Catalogue changes'): string {
  const out: string[] = [`## ${title}`, ''];
  if (noChanges(changes)) return `${[...out, 'Nothing changed since the last run.'].join('\n')}\n`;
  const section = (heading: string, lines: string[]) => {
    // Names, versions and reasons come from forges and recipes: each item stays one line.
    if (lines.length) out.push(`### ${heading}`, '', indentedList(lines, ''), '');
  };
  section(
    'New recipes',
    changes.newRecipes.map((r) => `- **${r.recipe}**${r.latest ? ` ${code(r.latest)}` : ' (no release yet)'}`),
  );
  section(
    'New releases',
    changes.newReleases.map((r) => `- ${r.recipe} ${code(r.version)}${r.date ? ` (${r.date.slice(0, 10)})` : ''}`),
  );
  section(
    'Removed recipes',
    changes.removedRecipes.map((r) => `- **${r.recipe}**: ${r.reason}`),
  );
  section(
    'Withdrawn releases (tag deleted)',
    changes.removedReleases.map((r) => `- ${r.recipe} ${code(r.version)}`),
  );
  section(
    'Moved release tags (releases should not change)',
    changes.movedTags.map((r) => `- ${r.recipe} ${code(r.version)}: ${r.from.slice(0, 12)} → ${r.to.slice(0, 12)}`),
  );
  if (changes.upstream.length) {
    section('New upstream versions', [
      '| recipe | service | image | current | new | kind |',
      '|---|---|---|---|---|---|',
      ...changes.upstream.map((u) => `| ${cell(u.recipe)} | ${cell(u.service)} | ${cell(u.image)} | ${cell(u.current)} | ${cell(u.tag)} | ${u.kind} |`),
    ]);
  }
  section(
    'Invalid releases (not published)',
    changes.invalidReleases.map((r) => `- ${r.recipe} ${code(r.tag)}: ${r.reason}${r.location ? ` (${r.location})` : ''}`),
  );
  section(
    'Newly stale',
    changes.newlyStale.map((r) => `- **${r.recipe}** (${r.scope === 'entry' ? 'whole entry' : 'registry facts'}): ${r.error}`),
  );
  section(
    'Recovered',
    changes.recovered.map((r) => `- ${r.recipe} (${r.scope === 'entry' ? 'whole entry' : 'registry facts'})`),
  );
  return `${out.join('\n').trimEnd()}\n`;
}
