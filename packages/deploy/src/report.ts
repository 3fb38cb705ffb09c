import { indentedList, visible, visibleLines } from '@galley/platform';
import type { DockerStats } from '@galley/platform/docker';
import type { ServiceProgress } from './converge.js';
import type { RunningImage } from './images.js';
import type { PostCommandResult } from './post-deploy.js';
import { type DeployedVersion, describeVersion } from './swarm-state.js';
import { formatUpgradeNotes, type UpgradeNotes } from './upgrade.js';

/** What a deploy did, for people (formatDeployResult) and machines (JSON). */

export type DeployOutcome = 'converged' | 'failed' | 'sent' | 'dry-run' | 'interrupted';

export interface SecretReport {
  key: string;
  name: string;
  state: 'exists' | 'created' | 'would-create' | 'missing-manual';
  /** How a missing one is (or would be) made, in words. Never the value. */
  how: string;
}

export interface FailedService {
  name: string;
  reason: string;
  lastError?: string;
  /** The last healthcheck results of the failed container (`State.Health.Log`). */
  health?: string[];
  /** The failed tasks' last log lines, `<service>.<slot>.<task id> | line` (values of secrets made in this run redacted). */
  logs: string[];
}

/** What a deploy is about to do, shown before anything changes. */
export interface DeployOverview {
  server: string;
  app: string;
  from: string;
  to: string;
  chaos: boolean;
  /** Images that change (from: absent for a new service). */
  images: { service: string; from?: string; to: string }[];
  secretsToCreate: string[];
  /** Services that run now and the new version does not have (removed with --prune). */
  servicesToRemove: string[];
  /** What changes since the deployed release (the recipe diff), when another release runs. */
  upgrade?: UpgradeNotes;
}

export interface RollbackReport {
  /** Whether galley rolled back (false: --no-rollback, or nothing to roll back to). */
  attempted: boolean;
  ok: boolean;
  rolledBack: string[];
  removed: string[];
  /** Services the deploy had removed (pruned), created again. */
  recreated: string[];
  /** Services the swarm had already rolled back itself. */
  swarmRolledBack: string[];
  /** What runs afterwards, from the app's labels. */
  version?: DeployedVersion;
  note: string;
}

export interface DeployResult {
  outcome: DeployOutcome;
  exitCode: number;
  /** The engine, as people read it: `server b (docker context b: ssh://…)`. */
  server: string;
  stack: string;
  recipe: string;
  /** Where the recipe came from (folder, folder#tag, url#tag). */
  source: string;
  version?: string;
  chaos: boolean;
  chaosVersion?: string;
  /** What ran before (absent: first deploy). */
  previous?: DeployedVersion;
  /** The rendered compose file (dry runs). */
  compose?: string;
  /** What changes since the deployed release (dry runs; a real run has it in `overview`). */
  upgrade?: UpgradeNotes;
  secrets: SecretReport[];
  configsToCreate: string[];
  images: RunningImage[];
  services: ServiceProgress[];
  failures: FailedService[];
  rollback?: RollbackReport;
  overview?: DeployOverview;
  /** Services the new version dropped, removed (`docker stack deploy --prune`). */
  removedServices: string[];
  /** Old config versions removed after the deploy converged. */
  prunedConfigs: string[];
  postCommands: PostCommandResult[];
  /** The longest a service was allowed, in seconds (printed before the wait). */
  deadlineSeconds?: number;
  /** The engine could not be reached any more while waiting. */
  lostContact?: string;
  /** What was written back to the app env file (`recipe:version`). */
  recorded?: string;
  /** Connections and processes this run used. */
  docker?: DockerStats;
  warnings: string[];
  elapsedMs: number;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function what(r: DeployResult): string {
  const version = r.version ?? 'no version label';
  return `${r.recipe} ${version}${r.chaos ? ` (chaos ${r.chaosVersion ?? ''})`.replace(/ \)$/, ')') : ''}`;
}

/** The closing report a person reads. */
export function formatDeployResult(r: DeployResult): string {
  const lines: string[] = [];
  if (r.outcome === 'dry-run') {
    lines.push(`# galley deploy --dry-run: ${what(r)} as stack ${r.stack}, from ${r.source}; nothing was changed`);
    const create = r.secrets.filter((s) => s.state === 'would-create');
    const manual = r.secrets.filter((s) => s.state === 'missing-manual');
    lines.push(`# secrets that would be created: ${create.length ? create.map((s) => `${s.name} (${s.how})`).join(', ') : 'none'}`);
    if (manual.length) lines.push(`# secrets to insert by hand first: ${manual.map((s) => s.name).join(', ')}`);
    if (r.configsToCreate.length) lines.push(`# configs that would be created: ${r.configsToCreate.join(', ')}`);
    if (r.upgrade) for (const l of formatUpgradeNotes(r.upgrade)) lines.push(`# ${l}`);
    for (const w of r.warnings) lines.push(`# note: ${w}`);
    // The rendered compose file keeps its lines; each line of the report is one line.
    return `${visibleLines(r.compose ?? '')}\n${indentedList(lines, '')}\n`;
  }
  if (r.outcome === 'converged') {
    lines.push(`deployed ${what(r)} as ${r.stack} on ${r.server} in ${seconds(r.elapsedMs)}${r.previous ? ` (was ${describeVersion(r.previous)})` : ''}`);
  } else if (r.outcome === 'sent') {
    lines.push(
      `sent ${what(r)} to ${r.server} as ${r.stack} in ${seconds(r.elapsedMs)}; not waiting for it to converge (--no-wait): galley ps shows how it goes`,
    );
  } else if (r.outcome === 'interrupted') {
    lines.push(`interrupted after ${seconds(r.elapsedMs)}: the swarm on ${r.server} goes on with ${r.stack} by itself; galley ps shows its state`);
  } else if (r.lostContact) {
    lines.push(
      `deploy of ${what(r)} as ${r.stack} on ${r.server} FAILED after ${seconds(r.elapsedMs)}: lost contact with the server while waiting; the swarm goes on by itself (galley ps shows its state)`,
    );
  } else {
    lines.push(`deploy of ${what(r)} as ${r.stack} on ${r.server} FAILED after ${seconds(r.elapsedMs)}`);
  }
  if (r.removedServices.length) lines.push(`removed services the new version no longer has: ${r.removedServices.join(', ')}`);
  const created = r.secrets.filter((s) => s.state === 'created');
  if (created.length) lines.push(`secrets created: ${created.map((s) => s.name).join(', ')}`);
  for (const c of r.postCommands.filter((p) => p.ok)) lines.push(`ran ${c.command}`);
  if (r.prunedConfigs.length) lines.push(`removed old configs: ${r.prunedConfigs.join(', ')}`);
  if (r.recorded) lines.push(`recorded the version in the app env file: ${r.recorded}`);
  if (r.outcome === 'converged' || r.outcome === 'sent') {
    const width = Math.max(0, ...r.images.map((i) => visible(i.service).length));
    for (const image of r.images) {
      const id = image.digest ?? (image.imageId ? `image ${image.imageId}` : 'no digest');
      lines.push(`  ${visible(image.service).padEnd(width)}  ${image.image.replace(/@sha256:.*$/, '')}  ${id}`);
    }
  }
  for (const f of r.failures) {
    lines.push(`  ${f.name}: ${f.reason}`);
    if (f.lastError) lines.push(`    last task error: ${f.lastError}`);
    if (f.health?.length) {
      lines.push(`    last healthcheck results:`);
      for (const h of f.health) lines.push(`      ${h}`);
    }
    if (f.logs.length) {
      lines.push(`    last log lines:`);
      for (const l of f.logs) lines.push(`      ${l}`);
    } else if (r.outcome === 'failed') lines.push(`    no log lines`);
  }
  if (r.rollback) {
    const rb = r.rollback;
    if (rb.attempted) {
      const parts = [];
      if (rb.rolledBack.length) parts.push(`rolled back ${rb.rolledBack.join(', ')}`);
      if (rb.swarmRolledBack.length) parts.push(`swarm had rolled back ${rb.swarmRolledBack.join(', ')}`);
      if (rb.removed.length) parts.push(`removed new ${rb.removed.join(', ')}`);
      if (rb.recreated.length) parts.push(`recreated ${rb.recreated.join(', ')}`);
      const to = rb.version ? describeVersion(rb.version) : 'an unlabelled version';
      lines.push(rb.ok ? `rolled back to ${to}${parts.length ? ` (${parts.join('; ')})` : ''}` : `rollback did not complete: ${rb.note}`);
    } else lines.push(rb.note);
  }
  return `${indentedList(lines, '')}\n`;
}

/** The overview a person reads (and may confirm) before a deploy changes anything. */
export function formatOverview(o: DeployOverview): string[] {
  const lines = [`server:   ${o.server}`, `app:      ${o.app}`, `version:  ${o.from} -> ${o.to}${o.chaos ? ' (CHAOS: unreleased code)' : ''}`];
  for (const i of o.images) lines.push(`image:    ${i.service} ${i.from ? `${i.from} -> ` : ''}${i.to}`);
  if (o.secretsToCreate.length) lines.push(`secrets:  creates ${o.secretsToCreate.join(', ')}`);
  if (o.servicesToRemove.length) lines.push(`removes:  ${o.servicesToRemove.join(', ')} (the new version no longer has them)`);
  if (o.upgrade) lines.push(...formatUpgradeNotes(o.upgrade));
  return lines;
}
