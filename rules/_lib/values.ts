/**
 * Parsers for the typed strings of compose files, as Docker's Go code reads
 * them: durations (`time.ParseDuration`) and byte sizes (`units.RAMInBytes`).
 * Each returns a reason when the text is not valid, never throws. Port
 * mappings are the recipe model's (`parsePortMapping` in @galley/recipe).
 */

export type Check = { ok: true } | { ok: false; reason: string };

const OK: Check = { ok: true };
const fail = (reason: string): Check => ({ ok: false, reason });

const DURATION = /^[-+]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/;

/** Go's `time.ParseDuration`: `90s`, `1m30s`, `1.5h`, `500ms`, or `0`. */
export function checkDuration(text: string): Check {
  const value = text;
  if (value === '') return fail('it is empty');
  if (value === '0' || value === '+0' || value === '-0') return OK;
  if (DURATION.test(value)) return OK;
  if (/\s/.test(value)) return fail('durations have no spaces');
  if (/^\d+(\.\d+)?$/.test(value)) return fail('a number without a unit is no duration');
  if (/^\d+(\.\d+)?d$/.test(value)) return fail('Docker durations have no days; use hours (`24h`)');
  if (/^\d+(\.\d+)?(sec|secs|second|seconds|min|mins|minute|minutes|hr|hrs|hour|hours)$/i.test(value)) {
    return fail('units are ns, us, ms, s, m or h');
  }
  return fail('expected a number with a unit (ns, us, ms, s, m, h), e.g. `30s` or `1m30s`');
}

const SIZE = /^(\d+(?:\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$/;

/** Docker's `units.RAMInBytes`: `512m`, `1g`, `1.5GB`, `2048k`, or a number of bytes. */
export function checkByteSize(text: string): Check {
  if (text === '') return fail('it is empty');
  if (SIZE.test(text)) return OK;
  if (/^\d+(\.\d+)?\s+\w+$/.test(text)) return fail('only one space may separate the number and the unit');
  return fail('expected a number of bytes or a number with a unit b, k, m, g, t or p, e.g. `512m` or `1g`');
}

const UNIT_SECONDS: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, μs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

/** A Go duration in seconds, or undefined when it is not one. */
export function durationSeconds(text: string): number | undefined {
  if (!checkDuration(text).ok) return undefined;
  if (/^[-+]?0$/.test(text)) return 0;
  let total = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) total += Number(m[1]) * UNIT_SECONDS[m[2]!]!;
  return text.startsWith('-') ? -total : total;
}
