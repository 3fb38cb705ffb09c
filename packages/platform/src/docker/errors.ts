import { GalleyError } from '../errors.js';

/** docker's words for "the engine cannot be reached" (local socket, tcp, ssh). */
const UNREACHABLE =
  /Cannot connect to the Docker daemon|error during connect|connection refused|no such host|ssh: |Connection closed by|Connection reset|Host key verification failed|Permission denied \(publickey|dial unix|dial tcp|context deadline exceeded|Is the docker daemon running|failed to connect|No route to host|Network is unreachable|Connection timed out/i;
const NOT_A_MANAGER = /This node is not a swarm manager|not part of a swarm|swarm is not initialized/i;

/** docker's stderr without the notices newer clients print on every run. */
export function cleanStderr(stderr: string): string {
  return stderr
    .split('\n')
    .filter((l) => !/^Since --detach=false was not specified|^In a future release, --detach=false|^WARNING: Error loading config file/.test(l))
    .join('\n')
    .trim();
}

export function firstLine(text: string): string {
  return (text.split('\n').find((l) => l.trim()) ?? '').replace(/^(error|Error response from daemon):\s*/i, '').trim();
}

/** An error a person can act on for docker's texts that mean "wrong engine" or "no engine"; undefined for others. */
export function classifyDockerText(text: string, engine: string): GalleyError | undefined {
  if (NOT_A_MANAGER.test(text)) {
    return new GalleyError(
      'docker-not-swarm-manager',
      `the docker engine (${engine}) is not a swarm manager: ${firstLine(text)}. Point the server's docker context (or DOCKER_HOST) at a manager node, or run \`docker swarm init\` there.`,
    );
  }
  if (UNREACHABLE.test(text)) {
    return new GalleyError(
      'docker-unreachable',
      `cannot reach the docker engine (${engine}): ${firstLine(text)}. Start dockerd there, or check the docker context (\`docker context ls\`), DOCKER_HOST and the ssh connection to the server.`,
    );
  }
  return undefined;
}
