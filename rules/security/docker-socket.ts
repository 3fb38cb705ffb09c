import type { Rule } from '@galley/linter';
import { get, isMap, isScalar, isSeq, scalarString, serviceImage, services } from '@galley/recipe';

const SOCKETS = new Set(['/var/run/docker.sock', '/run/docker.sock']);
/** Images of filtering Docker API proxies (tecnativa/docker-socket-proxy, linuxserver/socket-proxy, …). */
const SOCKET_PROXY = /(?:^|\/)(?:docker-)?socket-?proxy$|(?:^|\/)docker-?proxy$/;

const rule: Rule = {
  meta: {
    id: 'security/docker-socket',
    severity: 'warning',
    category: 'security',
    description: 'No service mounts the Docker socket.',
    docs: {
      why: "Whoever can talk to `/var/run/docker.sock` controls the Docker engine: they can start a privileged container that mounts the host's root filesystem, so a compromised service with the socket owns the whole server, and on a swarm manager, every node. Mounting it read-only (`:ro`) changes nothing: the API is still writable through the socket. Some infrastructure needs it (Traefik, backup-bot, Portainer); apps almost never do.",
      fix: 'Remove the mount. If the service really needs the Docker API, give it a filtering proxy with only the endpoints it needs (e.g. `tecnativa/docker-socket-proxy` with `CONTAINERS=1`), and document why; silence this rule on that line with a reason.',
      wrong: 'services:\n  app:\n    image: example/dashboard:2.1.0\n    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock:ro\n',
      right:
        'services:\n  app:\n    image: example/dashboard:2.1.0\n    environment:\n      # the API through a filtering proxy (tecnativa/docker-socket-proxy, CONTAINERS=1) deployed on its own\n      - DOCKER_HOST=tcp://socket-proxy:2375\n    networks:\n      - socket-proxy\nnetworks:\n  socket-proxy:\n    external: true\n',
    },
    messages: { socket: 'service "{{service}}" mounts the Docker socket {{path}}, which gives it control over the host' },
    fixable: false,
    presets: ['recommended', 'coop-cloud'],
    appliesToComposeFiles: true,
  },
  check(context) {
    for (const tree of context.fullStack.files.values()) {
      for (const service of services(tree.root)) {
        // A filtering proxy is where the socket belongs (the fix this rule recommends).
        const image = serviceImage(service);
        if (image?.parsed.ok && SOCKET_PROXY.test(image.parsed.ref.repository)) continue;
        const volumes = get(service.node, 'volumes');
        if (!isSeq(volumes)) continue;
        for (const item of volumes.items) {
          let source: string | undefined;
          let node = item;
          if (isScalar(item)) source = scalarString(item)?.split(':')[0];
          else if (isMap(item)) {
            const sourceNode = get(item, 'source');
            source = scalarString(sourceNode);
            if (sourceNode) node = sourceNode;
          }
          if (source === undefined) continue;
          const normalized = source.replace(/\/+$/, '').replace(/\/{2,}/g, '/');
          if (!SOCKETS.has(normalized)) continue;
          context.report({ messageId: 'socket', node, data: { service: service.name, path: normalized } });
        }
      }
    }
  },
};

export default rule;
