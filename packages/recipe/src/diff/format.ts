import { indentedList } from '@galley/platform';
import { CHANGE_CATEGORIES, type Change, type ChangeCategory, type RecipeDiff } from './diff.js';

const TITLES: Record<ChangeCategory, string> = {
  services: 'Services',
  images: 'Images',
  env: 'Environment (.env.sample)',
  overlays: 'Overlays (COMPOSE_FILE)',
  secrets: 'Secrets',
  configs: 'Configs',
  volumes: 'Volumes',
  networks: 'Networks',
  healthchecks: 'Health checks',
  deploy: 'Deploy policies',
  routes: 'Traefik routes',
};

/** `compose.yml:12:5` of a change (with `(in <from>)` for what only the older version has). */
export function changeLocation(change: Change, diff?: Pick<RecipeDiff, 'from'>): string {
  const l = change.location;
  if (!l) return '';
  return `${l.file}:${l.line}:${l.col}${l.version === 'from' ? ` (in ${diff?.from.label ?? 'the older version'})` : ''}`;
}

function heading(diff: RecipeDiff): string {
  const name = (s: RecipeDiff['from']) => (s.release || !s.version || s.version === s.label ? s.label : `${s.label} (${s.version})`);
  return `${diff.recipe}: ${name(diff.from)} → ${name(diff.to)}`;
}

function verdict(diff: RecipeDiff): string {
  if (!diff.changes.length) return 'nothing an operator sees changed';
  const n = diff.changes.filter((c) => c.breaking).length;
  return `${diff.changes.length} change${diff.changes.length === 1 ? '' : 's'}, ${n ? `${n} breaking` : 'none breaking'}; the release rules call for a ${diff.level} bump`;
}

function groups(diff: RecipeDiff): [ChangeCategory, Change[]][] {
  return CHANGE_CATEGORIES.map((c) => [c, diff.changes.filter((x) => !x.breaking && x.category === c)] as [ChangeCategory, Change[]]).filter(
    ([, list]) => list.length,
  );
}

/** The diff for a terminal: breaking changes first, then by section, each with its `file:line:col`. */
export function formatDiffText(diff: RecipeDiff): string {
  const lines = [heading(diff), verdict(diff)];
  const item = (c: Change) => {
    const where = changeLocation(c, diff);
    lines.push(`  ${where ? `${where}  ` : ''}${c.message}`);
    if (c.action) lines.push(`      → ${c.action}`);
  };
  const breaking = diff.changes.filter((c) => c.breaking);
  if (breaking.length) {
    lines.push('', 'BREAKING');
    breaking.forEach(item);
  }
  for (const [category, list] of groups(diff)) {
    lines.push('', TITLES[category]);
    list.forEach(item);
  }
  if (diff.releaseNotes.length) {
    lines.push('', 'Release notes');
    for (const note of diff.releaseNotes) {
      lines.push(`  ${note.file}`);
      for (const l of (note.text ?? '').trimEnd().split('\n')) lines.push(`    ${l}`.trimEnd());
    }
  }
  // Messages quote the recipe's files, release notes are the recipe's text: each line stays one line.
  return `${indentedList(lines, '')}\n`;
}

function code(text: string): string {
  const ticks = text.includes('`') ? '``' : '`';
  return `${ticks}${ticks.length > 1 ? ' ' : ''}${text}${ticks.length > 1 ? ' ' : ''}${ticks}`;
}

function mdItem(c: Change, diff: RecipeDiff): string {
  const where = changeLocation(c, diff);
  return `- ${c.message}${where ? ` (${code(where)})` : ''}${c.action ? `  \n  ${c.action}` : ''}`;
}

/** The diff as Markdown: a section per kind of change, breaking first; release notes quoted. */
export function formatDiffMarkdown(diff: RecipeDiff, options: { headingLevel?: number } = {}): string {
  const h = '#'.repeat(options.headingLevel ?? 2);
  const out: string[] = [`${h} ${heading(diff)}`, '', `${verdict(diff).replace(/^./, (c) => c.toUpperCase())}.`];
  const breaking = diff.changes.filter((c) => c.breaking);
  if (breaking.length) out.push('', `${h}# Breaking`, '', ...breaking.map((c) => mdItem(c, diff)));
  for (const [category, list] of groups(diff)) out.push('', `${h}# ${TITLES[category]}`, '', ...list.map((c) => mdItem(c, diff)));
  if (diff.releaseNotes.length) {
    out.push('', `${h}# Release notes`);
    for (const note of diff.releaseNotes) {
      out.push(
        '',
        `${code(note.file)}:`,
        '',
        ...(note.text ?? '')
          .trimEnd()
          .split('\n')
          .map((l) => `> ${l}`.trimEnd()),
      );
    }
  }
  return `${out.join('\n')}\n`;
}

/** The text `recipe release` writes to `release/<version>` for the packager to edit. */
export function formatReleaseNotesDraft(diff: RecipeDiff, version: string): string {
  const out = [`${diff.recipe} ${version}`, ''];
  if (!diff.changes.length) out.push('No changes an operator sees (recipe files only).');
  const breaking = diff.changes.filter((c) => c.breaking);
  if (breaking.length) {
    out.push('Breaking: before upgrading,');
    for (const c of breaking) out.push(`- ${c.message}${c.action ? `: ${c.action}` : ''}`);
    out.push('');
  }
  const rest = diff.changes.filter((c) => !c.breaking);
  if (rest.length) {
    out.push(breaking.length ? 'Also:' : 'Changes:');
    for (const c of rest) out.push(`- ${c.message}${c.action ? `: ${c.action}` : ''}`);
  }
  return `${out.join('\n').trimEnd()}\n`;
}
