import type { Docker } from '@galley/platform/docker';
import type { ServiceProgress } from './converge.js';
import type { FailedService } from './report.js';
import { serviceTasks } from './swarm-state.js';

/**
 * Why each failed service failed: the reason, the newest task error, the
 * healthcheck's own output (`State.Health.Log` of the failed container,
 * when it is on the engine galley talks to), and the last log lines of the
 * failed tasks only, each with its task id (old healthy tasks are left out).
 */
export async function describeFailures(docker: Docker, services: readonly ServiceProgress[], redact: (line: string) => string): Promise<FailedService[]> {
  const failed = services.filter((s) => s.phase === 'failed');
  const out: FailedService[] = [];
  for (const s of failed) {
    const entry: FailedService = { name: s.name, reason: s.reason ?? s.detail, logs: [] };
    if (s.lastError) entry.lastError = redact(s.lastError);
    try {
      const service = await docker.service(s.service);
      // After a swarm rollback the failed tasks are no longer of the current spec: look at all of them.
      const tasks = service ? await serviceTasks(docker, [service]) : [];
      const bad = tasks.filter(
        (t) => (t.state === 'failed' || t.state === 'rejected' || (t.state === 'starting' && s.timedOut)) && t.since >= Date.now() - 3600_000,
      );
      const chosen = bad.slice(0, 2);
      if (!entry.lastError && bad[0]?.error) entry.lastError = redact(bad[0].error);
      for (const task of chosen) {
        if (task.containerId) {
          const container = await docker.container(task.containerId).catch(() => undefined);
          const health = container?.State?.Health?.Log ?? [];
          if (health.length && !entry.health) {
            entry.health = health.slice(-3).map((h) => redact(`exit ${h.ExitCode}: ${(h.Output ?? '').trim().replace(/\s*\n\s*/g, ' | ') || '(no output)'}`));
          }
        }
        const lines: string[] = [];
        for await (const line of docker.logs('task', task.id, { tail: 20 })) lines.push(line.text);
        const label = `${task.name.replace(s.service, s.name)}.${task.id.slice(0, 12)}`;
        for (const l of lines.filter(Boolean).slice(-20)) entry.logs.push(redact(`${label} | ${l}`));
      }
    } catch {
      // Diagnostics are best effort: the failure itself is already known.
    }
    out.push(entry);
  }
  return out;
}
