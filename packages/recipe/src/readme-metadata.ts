import type { Diagnostic, Span } from './diagnostics.js';
import { LineIndex } from './text.js';

/**
 * The metadata block of a recipe README:
 *
 *     <!-- metadata -->
 *     * **Category**: Apps
 *     * **Status**: 3, stable
 *     * **Image**: [`wordpress`](https://hub.docker.com/_/wordpress), 4, upstream
 *     * **Healthcheck**: Yes
 *     …
 *     <!-- endmetadata -->
 *
 * Scores come as `3, stable`, bare numbers, legacy emoji (`❶💚`), words
 * (`Yes`, `No`, `N/A`, `❌`) or nothing at all.
 */
export interface ReadmeMetadata {
  /** Span of the whole block, from `<!-- metadata -->` to `<!-- endmetadata -->`. */
  span: Span;
  fields: MetadataField[];
  category?: string;
  status?: Score;
  image?: ImageMetadata;
  healthcheck?: Score;
  backups?: Score;
  email?: Score;
  tests?: Score;
  sso?: Score;
}

export interface MetadataField {
  /** The key as written, e.g. `Status`. */
  key: string;
  /** The value as written, trimmed. */
  value: string;
  span: Span;
  valueSpan: Span;
}

/**
 * A score as written and as understood. `value` is a number on the current
 * scale, `yes`/`no`, `n/a`, or undefined when empty or not understood.
 */
export interface Score {
  raw: string;
  value?: number | 'yes' | 'no' | 'n/a';
  /** Words after the score (`stable` in `3, stable`). */
  label?: string;
  /** Legacy emoji scale (❶ best … ❹ worst), kept as written in `legacy`. */
  legacy?: { digit: number; mark: string };
  span: Span;
}

export interface ImageMetadata {
  raw: string;
  /** The image name, e.g. `wordpress` or `bonfirenetworks/bonfire`. */
  image?: string;
  url?: string;
  /** 4 official upstream, 3 semi-official, 2 third-party, 1 own image. */
  rating?: number;
  /** `upstream`, `own`, … */
  source?: string;
  legacy?: { digit: number; mark: string };
  span: Span;
}

const OPEN = /<!--\s*metadata\s*-->/;
const CLOSE = /<!--\s*endmetadata\s*-->/;
const FIELD = /^\s*[*-]\s+\*\*([^*]+)\*\*\s*:?\s*(.*)$/;
const CIRCLED = '❶❷❸❹❺❻❼❽❾';
const YES = new Set(['yes', 'y', 'true', '✅', '✔', '✔️', '✓']);
const NO = new Set(['no', 'n', 'false', '❌', '✗', '✘', 'none']);

export interface ParsedReadme {
  metadata?: ReadmeMetadata;
  /** The first paragraph after the title, as a one-line description. */
  description?: string;
  title?: string;
  diagnostics: Diagnostic[];
}

export function parseReadme(text: string, file = 'README.md'): ParsedReadme {
  const lines = new LineIndex(text);
  const out: ParsedReadme = { diagnostics: [] };
  const { title, description } = titleAndDescription(lines);
  if (title) out.title = title;
  if (description) out.description = description;

  let openLine = 0;
  for (let line = 1; line <= lines.lineCount; line++) {
    const content = lines.lineText(line);
    if (!openLine && OPEN.test(content)) {
      openLine = line;
      continue;
    }
    if (openLine && CLOSE.test(content)) {
      out.metadata = readBlock(lines, file, openLine, line);
      return out;
    }
  }
  if (openLine) {
    out.diagnostics.push({
      code: 'readme-metadata-unclosed',
      severity: 'warning',
      message: '<!-- metadata --> is never closed with <!-- endmetadata -->',
      span: lines.span(file, lines.lineStart(openLine), lines.lineStart(openLine) + lines.lineText(openLine).length),
    });
    out.metadata = readBlock(lines, file, openLine, lines.lineCount + 1);
  }
  return out;
}

function readBlock(lines: LineIndex, file: string, openLine: number, closeLine: number): ReadmeMetadata {
  const endLine = Math.min(closeLine, lines.lineCount);
  const start = lines.lineStart(openLine);
  const end = lines.lineStart(endLine) + lines.lineText(endLine).length;
  const metadata: ReadmeMetadata = { span: lines.span(file, start, end), fields: [] };
  for (let line = openLine + 1; line < closeLine; line++) {
    const content = lines.lineText(line);
    const m = FIELD.exec(content);
    if (!m) continue;
    const lineStart = lines.lineStart(line);
    const key = m[1]!.trim().replace(/:$/, '');
    const value = m[2]!.trim();
    const valueStart = lineStart + content.length - m[2]!.length;
    const field: MetadataField = {
      key,
      value,
      span: lines.span(file, lineStart, lineStart + content.length),
      valueSpan: lines.span(file, valueStart, valueStart + value.length),
    };
    metadata.fields.push(field);
    const name = key.toLowerCase();
    switch (name) {
      case 'category':
        if (value) metadata.category = value;
        break;
      case 'status':
      case 'healthcheck':
      case 'backups':
      case 'email':
      case 'tests':
      case 'sso':
        metadata[name] = parseScore(value, field.valueSpan);
        break;
      case 'image':
        metadata.image = parseImageField(value, field.valueSpan);
        break;
    }
  }
  return metadata;
}

/** Reads `3, stable`, `3`, `❶💚`, `Yes`, `No`, `N/A`, `❌` or an empty value. */
export function parseScore(raw: string, span: Span): Score {
  const score: Score = { raw, span };
  const text = raw.trim();
  if (!text) return score;
  const legacy = legacyEmoji(text);
  if (legacy) {
    score.legacy = legacy;
    // ❶ was the best and ❹ the worst; the current scale runs 1 (alpha) … 5.
    score.value = Math.max(1, 5 - legacy.digit);
    return score;
  }
  const [head, ...rest] = text.split(',').map((s) => s.trim());
  const lower = (head ?? '').toLowerCase();
  if (/^\d+$/.test(lower)) score.value = Number(lower);
  else if (YES.has(lower)) score.value = 'yes';
  else if (NO.has(lower)) score.value = 'no';
  else if (lower === 'n/a' || lower === 'na' || lower === '-') score.value = 'n/a';
  const label = rest.join(', ').trim();
  if (label) score.label = label;
  return score;
}

function legacyEmoji(text: string): { digit: number; mark: string } | undefined {
  const index = CIRCLED.indexOf(text[0] ?? '');
  if (index === -1) return undefined;
  return { digit: index + 1, mark: text.slice(1).trim() };
}

/** `` [`wordpress`](https://hub.docker.com/_/wordpress), 4, upstream `` */
export function parseImageField(raw: string, span: Span): ImageMetadata {
  const out: ImageMetadata = { raw, span };
  const link = /^\[`?([^\]`]*)`?\]\(([^)]*)\)\s*,?\s*(.*)$/.exec(raw.trim());
  let rest = raw.trim();
  if (link) {
    if (link[1]) out.image = link[1];
    if (link[2]) out.url = link[2];
    rest = link[3] ?? '';
  } else {
    const plain = /^`?([^`,\s]+)`?\s*,?\s*(.*)$/.exec(rest);
    if (plain && !/^\d/.test(plain[1]!)) {
      out.image = plain[1]!;
      rest = plain[2] ?? '';
    }
  }
  const parts = rest
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const part of parts) {
    const legacy = legacyEmoji(part);
    if (legacy) {
      out.legacy = legacy;
      out.rating = Math.max(1, 5 - legacy.digit);
    } else if (/^\d+$/.test(part)) out.rating = Number(part);
    else if (out.source === undefined) out.source = part;
  }
  return out;
}

function titleAndDescription(lines: LineIndex): { title?: string; description?: string } {
  let title: string | undefined;
  let description: string | undefined;
  let inFence = false;
  for (let line = 1; line <= Math.min(lines.lineCount, 60); line++) {
    const content = lines.lineText(line).trim();
    if (content.startsWith('```')) inFence = !inFence;
    if (inFence || !content) continue;
    if (!title && /^#\s+/.test(content)) {
      title = content.replace(/^#\s+/, '').trim();
      continue;
    }
    if (content.startsWith('<!--') || content.startsWith('#') || /^[*-]\s/.test(content) || content.startsWith('[![')) continue;
    if (title !== undefined || line > 1) {
      description = content;
      break;
    }
  }
  const out: { title?: string; description?: string } = {};
  if (title) out.title = title;
  if (description) out.description = description;
  return out;
}
