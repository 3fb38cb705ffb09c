import { GalleyError } from '@galley/platform';
import { type Docker, STACK_NAMESPACE_LABEL } from '@galley/platform/docker';
import { readAppEnv } from './app-env.js';
import { openAppSecrets } from './app-secrets.js';
import { type AppLock, acquireLock } from './lock.js';
import { type DeployReporter, silentReporter } from './progress.js';
import type { RecipeLocation } from './recipe-locator.js';
import { swarmSecretNames } from './secrets.js';
import { openServer } from './server.js';
import { type DeployedVersion, deployedVersion, describeVersion } from './swarm-state.js';

export interface UndeployOptions extends RecipeLocation {
  appEnvFile: string;
  /** Also remove the app's volumes (on the engine galley talks to) and secrets. */
  prune?: boolean;
  /** Seconds to wait for the stack's containers and networks to go (default 120). */
  timeoutSeconds?: number;
  /** `--context NAME`. */
  context?: string;
  docker?: Docker;
  reporter?: DeployReporter;
  lockDir?: string;
  swarmLock?: boolean;
}

export interface UndeployResult {
  server: string;
  stack: string;
  wasDeployed: boolean;
  version?: DeployedVersion;
  removedServices: string[];
  removedVolumes: string[];
  removedSecrets: string[];
  /** Left in place (no --prune). */
  keptVolumes: string[];
  keptSecrets: string[];
  elapsedMs: number;
}

/**
 * `galley undeploy`: `docker stack rm`, then waits until the stack's
 * services, containers and networks are gone. Volumes and secrets stay
 * unless `prune` (volumes are node-local: only those on the engine galley
 * talks to are removed).
 */
export async function undeploy(options: UndeployOptions): Promise<UndeployResult> {
  const started = Date.now();
  const reporter = options.reporter ?? silentReporter;
  const app = await readAppEnv(options.appEnvFile);
  const docker = await openServer(options.appEnvFile, {
    ...(options.docker ? { docker: options.docker } : {}),
    ...(options.context ? { context: options.context } : {}),
    onRetry: (m) => reporter.warn(m),
  });
  const stack = app.stackName;
  // With --prune, know the recipe's secrets before removing anything.
  const secretsCtx = options.prune ? await openAppSecrets(options.appEnvFile, options) : undefined;
  const timeout = options.timeoutSeconds ?? 120;
  let lock: AppLock | undefined;
  try {
    await docker.assertManager();
    lock = await acquireLock(stack, {
      command: 'undeploy',
      ...(options.swarmLock === false ? {} : { docker }),
      ...(options.lockDir ? { dir: options.lockDir } : {}),
      onTakeover: (m) => reporter.warn(m),
    });
    const services = await docker.services({ stack });
    const result: UndeployResult = {
      server: docker.describe(),
      stack,
      wasDeployed: services.length > 0,
      removedServices: services.map((s) => s.Spec.Name).sort(),
      removedVolumes: [],
      removedSecrets: [],
      keptVolumes: [],
      keptSecrets: [],
      elapsedMs: 0,
    };
    const version = deployedVersion(services, stack);
    if (version) result.version = version;
    if (services.length) {
      reporter.step(`removing ${stack} (${describeVersion(version)})`);
      await docker.stackRemove(stack);
      reporter.step(`waiting for the containers and networks of ${stack} to go`);
    }
    await waitGone(docker, stack, timeout);

    const volumes = (await docker.volumes({ label: [`${STACK_NAMESPACE_LABEL}=${stack}`] })).map((v) => v.Name).sort();
    const secretNames = [...(await swarmSecretNames(docker))].filter((n) => n.startsWith(`${stack}_`)).sort();
    if (secretsCtx) {
      if (volumes.length) {
        for (const v of volumes) await docker.removeVolume(v);
        result.removedVolumes = volumes;
      }
      const keys = secretsCtx.secrets.map((s) => s.key);
      const ours = secretNames.filter((n) => keys.some((k) => n.startsWith(`${stack}_${k}_`)) || secretsCtx.secrets.some((s) => s.name === n));
      if (ours.length) {
        for (const name of ours) await docker.removeSecret(name);
        result.removedSecrets = ours;
      }
      result.keptSecrets = secretNames.filter((n) => !ours.includes(n));
    } else {
      result.keptVolumes = volumes;
      result.keptSecrets = secretNames;
    }
    result.elapsedMs = Date.now() - started;
    return result;
  } finally {
    await lock?.release().catch(() => undefined);
    await secretsCtx?.dispose();
    if (!options.docker) docker.close();
  }
}

async function waitGone(docker: Docker, stack: string, timeoutSeconds: number): Promise<void> {
  const filter = { label: [`${STACK_NAMESPACE_LABEL}=${stack}`] };
  const deadline = Date.now() + timeoutSeconds * 1000;
  let left: string[] = [];
  while (Date.now() < deadline) {
    left = [];
    const services = await docker.services({ stack });
    if (services.length) left.push(`${services.length} service(s)`);
    const containers = await docker.containers(filter);
    if (containers.length) left.push(`${containers.length} container(s)`);
    const networks = await docker.networks(filter);
    if (networks.length) left.push(`${networks.length} network(s)`);
    if (!left.length) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new GalleyError(
    'undeploy-timeout',
    `${stack} was removed, but after ${timeoutSeconds} s these are still there: ${left.join(', ')}; check with docker ps / docker network ls`,
    {
      exitCode: 1,
    },
  );
}
