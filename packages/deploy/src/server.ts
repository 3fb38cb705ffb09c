import path from 'node:path';
import { Docker } from '@galley/platform/docker';

/**
 * The server an app env file belongs to: abra keeps apps in
 * `~/.abra/servers/<server>/<domain>.env`, and `<server>` is also the name
 * of the docker context that reaches it. An env file elsewhere belongs to
 * no server (the current docker context is used).
 */
export function serverOfAppEnv(file: string): string | undefined {
  const dir = path.dirname(path.resolve(file));
  return path.basename(path.dirname(dir)) === 'servers' ? path.basename(dir) : undefined;
}

export interface ServerOptions {
  /** `--context NAME`: wins over everything. */
  context?: string;
  /** The docker facade to use (tests, or a command that has one open). */
  docker?: Docker;
  /** Told when a dropped connection to the engine is retried. */
  onRetry?: (message: string) => void;
}

/** Opens the docker engine of an app: `--context`, DOCKER_HOST, DOCKER_CONTEXT, its servers folder, or the current context. */
export function openServer(appEnvFile: string, options: ServerOptions = {}): Promise<Docker> {
  if (options.docker) return Promise.resolve(options.docker);
  const server = serverOfAppEnv(appEnvFile);
  return Docker.open({
    ...(options.context ? { context: options.context } : {}),
    ...(server ? { server } : {}),
    ...(options.onRetry ? { onRetry: options.onRetry } : {}),
  });
}
