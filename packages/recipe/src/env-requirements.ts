import { passthroughEnvironmentNodes, services } from './compose/model.js';
import type { Span } from './diagnostics.js';
import type { EnvEntry, EnvFile } from './env-file.js';
import type { Stack } from './stack.js';

/**
 * What an app must set, as `galley env check` judges it: a key is
 * *required* when `.env.sample` sets it uncommented and the compose files in
 * use refer to it without a default (`${KEY}`, `$KEY`, `${KEY:?…}`,
 * `${KEY?…}`, or `environment: [KEY]` passed through). A commented-out key,
 * a key every use of which has a default (`${KEY:-x}`, `${KEY-x}`) or an
 * alternative (`${KEY:+x}`), and a key compose never uses are optional.
 */
export interface EnvRequirement {
  name: string;
  /** The `.env.sample` line that sets it (the last one, when set twice). */
  entry: EnvEntry;
  required: boolean;
  /** Where compose first uses it without a default (required keys only). */
  usedAt?: Span;
}

/** Forms of `${…}` that give no value of their own when the variable is unset. */
const WITHOUT_DEFAULT = new Set(['plain', ':?', '?']);

/** Every key `.env.sample` declares (set or commented), in file order, with whether an app must set it. */
export function envRequirements(envSample: EnvFile | undefined, stack: Pick<Stack, 'refs' | 'root'>): EnvRequirement[] {
  if (!envSample) return [];
  const usedWithoutDefault = new Map<string, Span | undefined>();
  for (const ref of stack.refs) {
    if (WITHOUT_DEFAULT.has(ref.form) && !usedWithoutDefault.has(ref.name)) usedWithoutDefault.set(ref.name, ref.span ?? ref.scalarSpan);
  }
  for (const service of services(stack.root)) {
    for (const { name, node } of passthroughEnvironmentNodes(service.node)) if (!usedWithoutDefault.has(name)) usedWithoutDefault.set(name, node.span);
  }
  const last = new Map<string, EnvEntry>();
  for (const entry of envSample.entries) {
    const known = last.get(entry.name);
    // An active line wins over a commented one, a later line over an earlier one.
    if (!known || !entry.commented || known.commented) last.set(entry.name, entry);
  }
  return [...last.values()].map((entry) => {
    const required = !entry.commented && usedWithoutDefault.has(entry.name);
    const out: EnvRequirement = { name: entry.name, entry, required };
    const at = required ? usedWithoutDefault.get(entry.name) : undefined;
    if (at) out.usedAt = at;
    return out;
  });
}

/** The keys an app must set (see `envRequirements`). */
export function requiredEnvVars(envSample: EnvFile | undefined, stack: Pick<Stack, 'refs' | 'root'>): EnvRequirement[] {
  return envRequirements(envSample, stack).filter((r) => r.required);
}
