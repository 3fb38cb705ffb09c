import { GalleyError } from '@galley/platform';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * A duration in milliseconds from a number of seconds or a text such as
 * `500ms`, `30s`, `15m`, `6h`, `2d` (units may be combined: `1h30m`).
 */
export function parseDuration(value: string | number, what = 'duration'): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) throw new GalleyError('bad-config', `${what} must be a positive number of seconds, not ${value}`);
    return value * 1000;
  }
  const text = value.trim();
  if (/^\d+(?:\.\d+)?$/.test(text)) return Number(text) * 1000;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/gy;
  let total = 0;
  let matched = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    total += Number(m[1]) * UNITS[m[2]!]!;
    matched = re.lastIndex;
  }
  if (!text || matched !== text.length) {
    throw new GalleyError('bad-config', `${what}: "${value}" is not a duration (write e.g. 500ms, 30s, 15m, 6h or 2d)`);
  }
  return total;
}

/** `1234` → `1.2 s`, `95000` → `1 min 35 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}
