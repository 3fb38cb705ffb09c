import type { DockerCli } from './docker.js';
import { type SwarmService, serviceTasks, shortName, type Task } from './swarm-state.js';

/** The image a service runs, with the digest that identifies it exactly, when one can be known. */
export interface RunningImage {
  service: string;
  /** As the service spec names it (with `@sha256:…` when the swarm resolved it). */
  image: string;
  /** `sha256:…` of the registry manifest, when known. */
  digest?: string;
  /** The local image id of a running container, when the engine galley talks to runs one. */
  imageId?: string;
}

interface TaskInspect {
  ServiceID: string;
  Status?: { ContainerStatus?: { ContainerID?: string } };
}

/**
 * Images of services with digests: the spec's own pinned digest (`docker
 * stack deploy --resolve-image always`), else the repo digest of the image
 * a running container uses (read from the engine galley talks to, which
 * runs the container on a single-node swarm), else its image id.
 */
export async function runningImages(
  docker: DockerCli,
  services: readonly SwarmService[],
  stack: string,
  knownTasks?: readonly Task[],
): Promise<RunningImage[]> {
  const out: RunningImage[] = services.map((s) => {
    const image = s.Spec.TaskTemplate?.ContainerSpec?.Image ?? '';
    const at = image.indexOf('@sha256:');
    const entry: RunningImage = { service: shortName(s.Spec.Name, stack), image };
    if (at !== -1) entry.digest = image.slice(at + 1);
    return entry;
  });
  const unresolved = services.filter((_, i) => !out[i]!.digest);
  if (!unresolved.length) return out;
  try {
    const tasks =
      knownTasks ??
      (await serviceTasks(
        docker,
        unresolved.map((s) => s.Spec.Name),
        { upToDate: true, desiredRunning: true },
      ));
    const running = tasks.filter((t) => t.state === 'running' && t.desired === 'running');
    if (!running.length) return out;
    const inspected = await docker.jsonArray<TaskInspect>(['inspect', '--type', 'task', ...running.map((t) => t.id)]);
    const containerOf = new Map<string, string>();
    for (const t of inspected) {
      const cid = t.Status?.ContainerStatus?.ContainerID;
      const service = services.find((s) => s.ID === t.ServiceID);
      if (cid && service && !containerOf.has(service.Spec.Name)) containerOf.set(service.Spec.Name, cid);
    }
    if (!containerOf.size) return out;
    const containers = await docker.run(['container', 'inspect', '--format', '{{.Id}} {{.Image}}', ...containerOf.values()]);
    const imageOf = new Map<string, string>();
    for (const line of containers.stdout.split('\n').filter(Boolean)) {
      const [cid, imageId] = line.split(' ');
      if (cid && imageId) imageOf.set(cid, imageId);
    }
    const unique = [...new Set(imageOf.values())];
    const digests = new Map<string, string[]>();
    if (unique.length) {
      const res = await docker.run(['image', 'inspect', '--format', '{{.Id}} {{json .RepoDigests}}', ...unique]);
      for (const line of res.stdout.split('\n').filter(Boolean)) {
        const space = line.indexOf(' ');
        digests.set(line.slice(0, space), JSON.parse(line.slice(space + 1)) as string[]);
      }
    }
    for (const [name, cid] of containerOf) {
      const imageId = imageOf.get(cid);
      const entry = out[services.findIndex((s) => s.Spec.Name === name)];
      if (!entry || !imageId) continue;
      entry.imageId = imageId;
      const repo = entry.image.replace(/@.*$/, '').replace(/:[^/:]+$/, '');
      const known = digests.get(imageId) ?? [];
      const repoDigest = known.find((d) => d.startsWith(`${repo}@`)) ?? known[0];
      if (repoDigest) entry.digest = repoDigest.slice(repoDigest.indexOf('@') + 1);
    }
  } catch {
    // Digests are a courtesy: a remote node's containers cannot be inspected from here.
  }
  return out;
}
