import path from 'node:path';
import { GalleyError, visible, visibleLines } from '@galley/platform';
import { writeFilesAtomic } from '@galley/platform/fs';
import { HttpClient, HttpError } from '@galley/platform/http';
import {
  type EnvFile,
  envEntry,
  findUpgrades,
  get,
  interpolateString,
  isScalar,
  loadRecipe,
  parseImageRef,
  parseYaml,
  services,
  type YScalar,
} from '@galley/recipe';
import { createTwoFilesPatch } from 'diff';
import { defaultRegistrySettings, type RegistrySettings } from './config.js';
import { RegistryAuth, readDockerCredentials } from './registry/auth.js';
import { RegistryClient } from './registry/client.js';
import { ImageResolver } from './registry/resolver.js';
import { familiarName } from './scan.js';

/**
 * `galley recipe upgrade`: for each service image of a recipe folder, the
 * best compatible upstream tag (patch, minor or major, as asked), applied as
 * a minimal edit of the `image:` value in the compose file that writes it.
 * Comments and formatting stay; a tag inside `${VAR:-default}` is changed in
 * the default, or, when `.env.sample` sets `VAR` (what an app's env file
 * starts from, so it wins), in `.env.sample` and in the default alike; a
 * pinned `@sha256:` digest is replaced with the new tag's.
 */

export type UpgradeLevel = 'patch' | 'minor' | 'major';

export interface TextEdit {
  /** The file edited (relative to the recipe folder): a compose file or `.env.sample`. */
  file: string;
  offset: number;
  endOffset: number;
  text: string;
}

export interface ImageUpgrade {
  file: string;
  line: number;
  service: string;
  /** The `image:` value as written. */
  written: string;
  /** The image the value gives when its variables are unset (defaults applied). */
  image: string;
  /** The image's name without tag, as written (`nginx`, `ghcr.io/x/y`). */
  name: string;
  current: string;
  status: 'upgrade' | 'up-to-date' | 'skipped' | 'failed';
  target?: string;
  kind?: UpgradeLevel;
  /** The new digest, when the image pins one. */
  digest?: string;
  /** The newest tag of another variant line, when the image is otherwise up to date (`8.0-fpm-alpine3.19` for `8.0-fpm-alpine3.13`). */
  variant?: string;
  reason?: string;
  edits: TextEdit[];
}

export interface FileChange {
  file: string;
  before: string;
  after: string;
}

export interface UpgradePlan {
  dir: string;
  level: UpgradeLevel;
  images: ImageUpgrade[];
  changes: FileChange[];
}

export interface PlanOptions {
  level: UpgradeLevel;
  registry?: RegistrySettings;
}

interface Segment {
  /** Where the text of the resulting value starts and ends. */
  valueStart: number;
  valueEnd: number;
  /** Where that text is written in the raw string (in `.env.sample` for `env` segments). */
  rawStart: number;
  /**
   * Set when the text is a variable's value from `.env.sample` (`rawStart`
   * is then an offset in that file), with the compose default of the same
   * reference, which is edited alongside to keep the two in step.
   */
  env?: { name: string; fallback?: { rawStart: number; text: string } };
}

/**
 * How the raw `image:` text produces its value: literal runs map back to
 * their place in the raw text; a variable `.env.sample` sets (the line that
 * wins when an app is created) maps to its value there; an unset one with a
 * `${VAR:-default}` / `${VAR-default}` default maps to the default.
 * Undefined when the value cannot be traced (nested defaults, `$$`, a value
 * built from other variables, other forms).
 */
export function traceDefaults(raw: string, env?: EnvFile): { value: string; segments: Segment[]; unset: string[] } | undefined {
  if (raw.includes('$$')) return undefined;
  const { refs, errors } = interpolateString(raw, () => undefined);
  if (errors.length) return undefined;
  const top = refs.filter((r) => !refs.some((o) => o !== r && o.start <= r.start && o.end >= r.end && (o.start < r.start || o.end > r.end)));
  const segments: Segment[] = [];
  const unset: string[] = [];
  let value = '';
  let pos = 0;
  for (const ref of top) {
    if (ref.start > pos) {
      segments.push({ valueStart: value.length, valueEnd: value.length + (ref.start - pos), rawStart: pos });
      value += raw.slice(pos, ref.start);
    }
    const set = env ? envEntry(env, ref.name) : undefined;
    const wins = set !== undefined && (set.value !== '' || ref.form === '-' || ref.form === 'plain');
    if (wins && (ref.form === ':-' || ref.form === '-' || ref.form === 'plain')) {
      // Only a value written as it reads can be edited in place.
      if (set.raw !== set.value) return undefined;
      const segment: Segment = { valueStart: value.length, valueEnd: value.length + set.value.length, rawStart: set.valueSpan.offset, env: { name: ref.name } };
      if (ref.form !== 'plain') {
        const argument = ref.argument ?? '';
        const argStart = ref.start + 2 + ref.name.length + ref.form.length;
        if (!argument.includes('$') && raw.slice(argStart, argStart + argument.length) === argument)
          segment.env!.fallback = { rawStart: argStart, text: argument };
      }
      segments.push(segment);
      value += set.value;
    } else if (ref.form === ':-' || ref.form === '-') {
      const argument = ref.argument ?? '';
      if (argument.includes('$')) return undefined;
      const argStart = ref.start + 2 + ref.name.length + ref.form.length;
      if (raw.slice(argStart, argStart + argument.length) !== argument) return undefined;
      segments.push({ valueStart: value.length, valueEnd: value.length + argument.length, rawStart: argStart });
      value += argument;
    } else if (ref.form === 'plain') unset.push(ref.name);
    else if ((ref.form !== ':+' && ref.form !== '+') || (set !== undefined && set.value !== '')) return undefined;
    pos = ref.end;
  }
  if (pos < raw.length) {
    segments.push({ valueStart: value.length, valueEnd: value.length + (raw.length - pos), rawStart: pos });
    value += raw.slice(pos);
  }
  return { value, segments, unset };
}

/** Maps `[start, end)` of the value back to the raw text, when one segment holds all of it. */
function rawRange(segments: Segment[], start: number, end: number): { range: [number, number]; segment: Segment } | undefined {
  const segment = segments.find((s) => s.valueStart <= start && end <= s.valueEnd && (start < s.valueEnd || s.valueStart === s.valueEnd || start === end));
  if (!segment) return undefined;
  const offset = segment.rawStart + (start - segment.valueStart);
  return { range: [offset, offset + (end - start)], segment };
}

/**
 * The edits that replace `[start, end)` of the value with `text`: in the
 * compose file, or in `.env.sample` and the compose default kept in step
 * (the same part of a default equal to the value, or the whole default when
 * the whole value changes).
 */
function editsFor(
  traced: { segments: Segment[] },
  start: number,
  end: number,
  text: string,
  where: { composeFile: string; base: number; envFile: string },
): TextEdit[] | undefined {
  const mapped = rawRange(traced.segments, start, end);
  if (!mapped) return undefined;
  const { range, segment } = mapped;
  if (!segment.env) return [{ file: where.composeFile, offset: where.base + range[0], endOffset: where.base + range[1], text }];
  const edits: TextEdit[] = [{ file: where.envFile, offset: range[0], endOffset: range[1], text }];
  const fallback = segment.env.fallback;
  if (fallback) {
    const from = start - segment.valueStart;
    const to = end - segment.valueStart;
    const valueLength = segment.valueEnd - segment.valueStart;
    if (fallback.text.length === valueLength) {
      edits.push({ file: where.composeFile, offset: where.base + fallback.rawStart + from, endOffset: where.base + fallback.rawStart + to, text });
    } else if (from === 0 && to === valueLength) {
      edits.push({ file: where.composeFile, offset: where.base + fallback.rawStart, endOffset: where.base + fallback.rawStart + fallback.text.length, text });
    }
  }
  return edits;
}

/** Where the raw scalar text starts in the file, when it is written as is (plain, or quoted without escapes). */
function rawOffset(text: string, node: YScalar, raw: string): number | undefined {
  const source = text.slice(node.span.offset, node.span.endOffset);
  if (node.style === 'plain' && source === raw) return node.span.offset;
  if (node.style === 'double' && source === `"${raw}"` && !/["\\]/.test(raw)) return node.span.offset + 1;
  if (node.style === 'single' && source === `'${raw}'` && !raw.includes("'")) return node.span.offset + 1;
  return undefined;
}

function pick(found: ReturnType<typeof findUpgrades>, level: UpgradeLevel): { tag: string; kind: UpgradeLevel } | undefined {
  const order: UpgradeLevel[] = level === 'major' ? ['major', 'minor', 'patch'] : level === 'minor' ? ['minor', 'patch'] : ['patch'];
  for (const kind of order) {
    const tag = found[kind];
    if (tag !== undefined) return { tag, kind };
  }
  return undefined;
}

function newResolver(settings: RegistrySettings, credentials: Awaited<ReturnType<typeof readDockerCredentials>>['credentials']): ImageResolver {
  const http = new HttpClient({ ...settings, userAgent: 'galley-recipe-upgrade' });
  const client = new RegistryClient(http, new RegistryAuth(http, credentials), settings.hosts);
  return new ImageResolver(client, { version: 1, tags: {}, digests: {}, created: {} }, { tagsTtlMs: 0, digestsTtlMs: 0, refresh: true });
}

/** Works out every image's upgrade and the resulting file contents; changes nothing on disk. */
export async function planRecipeUpgrade(dir: string, options: PlanOptions): Promise<UpgradePlan> {
  const recipe = await loadRecipe(dir, { git: false });
  if (recipe.composeFiles.size === 0) throw new GalleyError('not-a-recipe', `${dir} has no compose files: give a recipe folder`);
  for (const file of recipe.composeFiles.values()) {
    const error = file.diagnostics.find((d) => d.severity === 'error');
    if (error)
      throw new GalleyError('bad-yaml', `${error.message}: fix the file first`, {
        ...(error.span ? { span: { ...error.span, file: path.join(dir, error.span.file) } } : {}),
      });
  }
  const settings = options.registry ?? defaultRegistrySettings();
  const { credentials } = await readDockerCredentials(settings.dockerConfig);
  const resolver = newResolver(settings, credentials);
  const images: ImageUpgrade[] = [];
  const editsByFile = new Map<string, Map<number, TextEdit>>();
  const work: Promise<void>[] = [];

  for (const [file, parsed] of [...recipe.composeFiles].sort(([a], [b]) => (a < b ? -1 : 1))) {
    for (const service of services(parsed.root)) {
      const node = get(service.node, 'image');
      if (!isScalar(node) || typeof node.value !== 'string') continue;
      const raw = node.value;
      const entry: ImageUpgrade = {
        file,
        line: node.span.line,
        service: service.name,
        written: raw,
        image: raw,
        name: raw,
        current: '',
        status: 'skipped',
        edits: [],
      };
      images.push(entry);
      const traced = traceDefaults(raw, recipe.envSample);
      if (!traced || traced.unset.length > 0) {
        entry.reason = 'the image is built from variables without defaults: change it where they are set';
        continue;
      }
      entry.image = traced.value;
      const ref = parseImageRef(traced.value);
      if (!ref.ok) {
        entry.reason = ref.reason;
        continue;
      }
      entry.name = familiarName(ref.ref);
      const tag = ref.ref.tag;
      if (tag === undefined) {
        entry.reason = 'no tag (it means latest): pin a version first';
        continue;
      }
      entry.current = tag;
      const base = rawOffset(parsed.text, node, raw);
      if (base === undefined) {
        entry.reason = 'the value is written in a YAML form galley does not edit (escapes or line folding)';
        continue;
      }
      const valueNoDigest = ref.ref.digest !== undefined ? traced.value.slice(0, traced.value.lastIndexOf('@')) : traced.value;
      const tagEnd = valueNoDigest.length;
      const where = { composeFile: file, base, envFile: recipe.envSample?.file ?? '.env.sample' };
      const tagEdits = (text: string) => editsFor(traced, tagEnd - tag.length, tagEnd, text, where);
      const digestEdits = (text: string) =>
        ref.ref.digest !== undefined ? editsFor(traced, traced.value.length - ref.ref.digest.length, traced.value.length, text, where) : [];
      if (!tagEdits(tag) || !digestEdits('')) {
        entry.reason = 'the tag is made of several parts of the value: edit it by hand';
        continue;
      }
      const image = { registry: ref.ref.registry, repository: ref.ref.repository };
      work.push(
        (async () => {
          try {
            const tags = await resolver.tags(image);
            if (tags === null) {
              entry.status = 'failed';
              entry.reason = `${image.registry} has no repository ${image.repository}`;
              return;
            }
            const found = findUpgrades(tag, tags);
            if (found.currentUnparseable) {
              entry.reason = `the current tag cannot be compared: ${found.currentUnparseable}`;
              return;
            }
            const choice = pick(found, options.level);
            if (!choice) {
              entry.status = 'up-to-date';
              const above = options.level === 'patch' ? (['minor', 'major'] as const) : options.level === 'minor' ? (['major'] as const) : ([] as const);
              const newer = above.find((k) => found[k] !== undefined);
              if (newer) entry.reason = `${newer} ${found[newer]} available (--${newer})`;
              else if (found.variant) {
                entry.variant = found.variant;
                entry.reason = `newer variant available: ${found.variant} (another variant line: change it by hand if it suits)`;
              }
              return;
            }
            entry.status = 'upgrade';
            entry.target = choice.tag;
            entry.kind = choice.kind;
            entry.edits.push(...tagEdits(choice.tag)!);
            if (ref.ref.digest !== undefined) {
              const digest = await resolver.digest(image, choice.tag);
              if (!digest) {
                entry.status = 'failed';
                entry.reason = `${image.registry} has no digest for ${choice.tag}`;
                entry.edits = [];
                return;
              }
              entry.digest = digest;
              entry.edits.push(...digestEdits(digest)!);
            }
            for (const edit of entry.edits) {
              const fileEdits = editsByFile.get(edit.file) ?? new Map<number, TextEdit>();
              fileEdits.set(edit.offset, edit);
              editsByFile.set(edit.file, fileEdits);
            }
          } catch (error) {
            if (!(error instanceof HttpError)) throw error;
            entry.status = 'failed';
            entry.reason = error.message;
          }
        })(),
      );
    }
  }
  await Promise.all(work);

  const changes: FileChange[] = [];
  for (const [file, edits] of [...editsByFile].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const compose = recipe.composeFiles.get(file);
    const before = compose ? compose.text : recipe.envSample!.text;
    let after = before;
    for (const edit of [...edits.values()].sort((a, b) => b.offset - a.offset)) after = after.slice(0, edit.offset) + edit.text + after.slice(edit.endOffset);
    const check = compose ? parseYaml(after, file) : undefined;
    if (check?.diagnostics.some((d) => d.severity === 'error')) {
      throw new Error(`editing ${file} would break its YAML (${check.diagnostics[0]?.message}); nothing was written`);
    }
    changes.push({ file, before, after });
  }
  return { dir, level: options.level, images, changes };
}

/** Writes the changed compose files (each atomically). */
export async function applyRecipeUpgrade(plan: UpgradePlan): Promise<void> {
  // All files or none: every new version is on disk before any replaces its file.
  await writeFilesAtomic(plan.changes.map((change) => ({ file: path.join(plan.dir, change.file), data: change.after })));
}

/** A unified diff of the planned changes (paths relative to the recipe folder). */
export function formatUpgradeDiff(plan: UpgradePlan): string {
  return plan.changes
    .map((c) => visibleLines(createTwoFilesPatch(`a/${visible(c.file)}`, `b/${visible(c.file)}`, c.before, c.after, '', '', { context: 3 })))
    .join('');
}

/** The summary table: one row per service image. */
export function formatUpgradeTable(plan: UpgradePlan): string {
  // Cells come from the recipe and the registry: escaped before the columns are measured.
  const rows = plan.images.map((i) =>
    [
      i.service,
      `${i.file}:${i.line}`,
      i.name,
      i.current || '-',
      i.status === 'upgrade' ? `${i.target}${i.digest ? ` @${i.digest.slice(7, 19)}` : ''}` : '-',
      i.status === 'upgrade' ? i.kind! : i.status === 'up-to-date' ? (i.variant ? 'newer variant' : 'up to date') : i.status,
      i.reason ?? '',
    ].map(visible),
  );
  const header = ['SERVICE', 'WHERE', 'IMAGE', 'CURRENT', 'NEW', 'KIND', 'NOTE'];
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((r) => r[c]!.length)));
  const lines = all.map((r) =>
    r
      .map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd(),
  );
  const upgraded = plan.images.filter((i) => i.status === 'upgrade').length;
  lines.push(
    '',
    `${upgraded} of ${plan.images.length} images ${upgraded === 1 ? 'has' : 'have'} a ${plan.level === 'patch' ? 'patch' : plan.level === 'minor' ? 'patch or minor' : 'newer'} upgrade`,
  );
  return `${lines.join('\n')}\n`;
}
