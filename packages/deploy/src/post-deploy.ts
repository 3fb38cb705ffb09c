import { GalleyError } from '@galley/platform';
import type { Docker } from '@galley/platform/docker';
import { type AbraSh, type EnvFile, envEntry } from '@galley/recipe';
import { type SwarmService, serviceTasks } from './swarm-state.js';

/**
 * Post-deploy commands, as abra runs them: `POST_DEPLOY_CMDS` (after every
 * deploy that converged) and `POST_UPGRADE_CMDS` (after one that changed the
 * version) in the app env, `|`-separated, each `<service> <function>
 * [args…]`: the recipe's `abra.sh` is copied into a running container of
 * that service (`/tmp/abra.sh`) and the function runs there with the
 * service's shell. A command that fails fails the deploy, with its output.
 */
export interface PostCommand {
  /** `POST_DEPLOY_CMDS` or `POST_UPGRADE_CMDS`. */
  variable: string;
  service: string;
  command: string;
  args: string[];
}

export interface PostCommandResult {
  command: string;
  ok: boolean;
  exitCode: number | null;
  /** stdout and stderr, last lines. */
  output: string[];
}

/** Parses and checks the post-deploy commands of an app env: unknown services or functions are unusable input. */
export function postCommands(env: EnvFile, abraSh: AbraSh | undefined, services: readonly string[], upgrade: boolean): PostCommand[] {
  const out: PostCommand[] = [];
  for (const variable of upgrade ? ['POST_DEPLOY_CMDS', 'POST_UPGRADE_CMDS'] : ['POST_DEPLOY_CMDS']) {
    const entry = envEntry(env, variable);
    if (!entry?.value.trim()) continue;
    for (const part of entry.value.split('|')) {
      const words = part.trim().split(/\s+/).filter(Boolean);
      if (!words.length) continue;
      const [service, command, ...args] = words as [string, string | undefined, ...string[]];
      if (!command)
        throw new GalleyError('post-deploy-bad', `${variable}: "${part.trim()}" names no function: write <service> <function> [args]`, {
          span: entry.valueSpan,
        });
      if (!services.includes(service)) {
        throw new GalleyError('post-deploy-bad', `${variable}: service ${service} is not in the stack (its services: ${services.join(', ')})`, {
          span: entry.valueSpan,
        });
      }
      if (!abraSh?.functions.includes(command)) {
        throw new GalleyError('post-deploy-bad', `${variable}: the recipe's abra.sh defines no function ${command}`, { span: entry.valueSpan });
      }
      out.push({ variable, service, command, args });
    }
  }
  return out;
}

const RUN = 'if [ -x /bin/bash ]; then exec /bin/bash -c "$1"; fi; exec /bin/sh -c "$1"';

/** Runs the commands in order; stops at the first that fails. */
export async function runPostCommands(
  docker: Docker,
  stack: string,
  services: readonly SwarmService[],
  abraSh: AbraSh,
  commands: readonly PostCommand[],
  onStep: (message: string) => void,
): Promise<PostCommandResult[]> {
  const results: PostCommandResult[] = [];
  for (const c of commands) {
    const label = `${c.service} ${c.command}${c.args.length ? ` ${c.args.join(' ')}` : ''}`;
    onStep(`running ${c.variable}: ${label}`);
    const container = await runningContainer(docker, stack, services, c.service);
    const copied = await docker.execIn(container, ['sh', '-c', 'cat > /tmp/abra.sh'], { input: abraSh.text, timeoutMs: 60_000 });
    let result = copied;
    if (copied.code === 0) {
      const script = `. /tmp/abra.sh && ${[c.command, ...c.args].map(shellQuote).join(' ')}`;
      result = await docker.execIn(container, ['sh', '-c', RUN, 'sh', script]);
    }
    const output = `${result.stdout}${result.stderr}`
      .split('\n')
      .map((l) => l.trimEnd())
      .filter(Boolean)
      .slice(-40);
    const ok = result.code === 0 && result.signal === null;
    results.push({ command: label, ok, exitCode: result.code, output });
    if (!ok) break;
  }
  return results;
}

async function runningContainer(docker: Docker, stack: string, services: readonly SwarmService[], service: string): Promise<string> {
  const swarmService = services.find((s) => s.Spec.Name === `${stack}_${service}`);
  const tasks = swarmService ? await serviceTasks(docker, [swarmService], { running: true }) : [];
  const running = tasks.filter((t) => t.state === 'running' && t.containerId);
  for (const t of running) if (await docker.container(t.containerId!)) return t.containerId!;
  const where = running.length ? ` (it runs on ${[...new Set(running.map((t) => t.node))].join(', ')}, not on the node galley talks to)` : '';
  throw new GalleyError('no-running-task', `no running container of ${stack}_${service} on ${docker.describe()}${where}`, { exitCode: 1 });
}

export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
