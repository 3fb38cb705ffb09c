import type { Docker } from '@galley/platform/docker';
import { type SwarmService, shortName, type Task } from './swarm-state.js';

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

/**
 * Images of services with digests: the spec's own pinned digest (`docker
 * stack deploy --resolve-image always`), else the repo digest of the image
 * a running container uses (read from the engine galley talks to, when the
 * container runs there), else its image id.
 */
export async function runningImages(docker: Docker, services: readonly SwarmService[], stack: string, tasks: readonly Task[]): Promise<RunningImage[]> {
  const out: RunningImage[] = services.map((s) => {
    const image = s.Spec.TaskTemplate?.ContainerSpec?.Image ?? '';
    const at = image.indexOf('@sha256:');
    const entry: RunningImage = { service: shortName(s.Spec.Name, stack), image };
    if (at !== -1) entry.digest = image.slice(at + 1);
    return entry;
  });
  for (const [i, service] of services.entries()) {
    const entry = out[i]!;
    if (entry.digest) continue;
    const task = tasks.find((t) => t.service === service.Spec.Name && t.state === 'running' && t.containerId);
    if (!task?.containerId) continue;
    try {
      // Digests are a courtesy: a container on another node cannot be inspected from here.
      const container = await docker.container(task.containerId);
      if (!container) continue;
      entry.imageId = container.Image;
      const image = await docker.image(container.Image);
      const repo = entry.image.replace(/@.*$/, '').replace(/:[^/:]+$/, '');
      const known = image?.RepoDigests ?? [];
      const repoDigest = known.find((d) => d.startsWith(`${repo}@`)) ?? known[0];
      if (repoDigest) entry.digest = repoDigest.slice(repoDigest.indexOf('@') + 1);
    } catch {
      // keep what the spec says
    }
  }
  return out;
}
