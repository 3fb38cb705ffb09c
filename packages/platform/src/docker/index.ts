/**
 * @galley/platform/docker — the one typed facade for every swarm command:
 * which engine (docker contexts, DOCKER_HOST, abra's servers folders), one
 * long-lived Engine API connection for reads and small writes (`docker
 * system dial-stdio`, so contexts and ssh work as for the docker CLI), and
 * the docker CLI for `stack deploy`, `stack rm` and `exec`.
 */
export { Docker, type DockerOpenOptions, type DockerStats, type LogOptions, STACK_NAMESPACE_LABEL } from './docker.js';
export type { LogLine } from './logs.js';
export type { DockerTarget, TargetSource } from './target.js';
export type * from './types.js';
