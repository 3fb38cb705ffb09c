import type { Rule } from '@galley/linter';
import { get, isMap, isScalar, isSeq, parsePortMapping, parsePortRange, scalarString, serviceImage, services, type YNode } from '@galley/recipe';
import { deployLabels, traefikEnabled } from '../_lib/labels.js';

const PORT_LABEL = /^traefik\.http\.services\.[^.]+\.loadbalancer\.server\.port$/;

/**
 * The container port and host address of a port entry. Every entry publishes
 * something: without a published port, Docker picks a random host port.
 */
function published(item: YNode): { target: number; hostIp?: string; node: YNode } | undefined {
  if (isScalar(item) && (typeof item.value === 'string' || typeof item.value === 'number')) {
    const parsed = parsePortMapping(String(item.value));
    if (!parsed.ok) return undefined;
    const out: { target: number; hostIp?: string; node: YNode } = { target: parsed.port.target.start, node: item };
    if (parsed.port.hostIp) out.hostIp = parsed.port.hostIp;
    return out;
  }
  if (!isMap(item)) return undefined;
  const target = parsePortRange(scalarString(get(item, 'target')) ?? '', 'target');
  if (!target.ok) return undefined;
  const hostIp = scalarString(get(item, 'host_ip'));
  const node = get(item, 'published') ?? get(item, 'target') ?? item;
  return hostIp ? { target: target.range.start, hostIp, node } : { target: target.range.start, node };
}

const rule: Rule = {
  meta: {
    id: 'security/published-port-behind-traefik',
    severity: 'warning',
    category: 'security',
    description: 'A service Traefik fronts does not also publish its web port on every interface.',
    docs: {
      why: 'A service behind Traefik gets TLS, redirects, headers and whatever authentication middleware the recipe configures from Traefik. Publishing the same port directly (`ports: ["8080:8080"]`) opens a second, plain-HTTP way in on every address of the host that skips all of that, and often the firewall too, since Docker writes its own iptables rules.',
      fix: 'Remove the port mapping: Traefik reaches the service over the shared `proxy` network. With `docker compose`, a mapping bound to the loopback address (`"127.0.0.1:8080:8080"`) stays local; on a swarm it does not (`docker stack deploy` ignores host addresses), so debug with `docker exec` into the task instead.',
      wrong:
        'services:\n  app:\n    image: example/app:1.0.0\n    ports:\n      - "8080:8080"\n    deploy:\n      labels:\n        - "traefik.enable=true"\n        - "traefik.http.services.${STACK_NAME}.loadbalancer.server.port=8080"\n',
      right:
        'services:\n  app:\n    image: example/app:1.0.0\n    deploy:\n      labels:\n        - "traefik.enable=true"\n        - "traefik.http.services.${STACK_NAME}.loadbalancer.server.port=8080"\n',
    },
    messages: { bypass: 'service "{{service}}" is behind Traefik but also publishes its web port {{port}} on every interface, bypassing Traefik' },
    fixable: false,
    presets: ['recommended', 'coop-cloud'],
    appliesToComposeFiles: true,
  },
  check(context) {
    for (const service of services(context.fullStack.root)) {
      if (!traefikEnabled(service.node)) continue;
      const image = serviceImage(service);
      if (image?.parsed.ok && /(^|\/)traefik$/.test(image.parsed.ref.repository)) continue;
      const webPorts = new Set<number>();
      for (const [key, label] of deployLabels(service.node)) if (PORT_LABEL.test(key) && /^\d+$/.test(label.value.trim())) webPorts.add(Number(label.value));
      const ports = get(service.node, 'ports');
      if (!isSeq(ports)) continue;
      for (const item of ports.items) {
        const port = published(item);
        if (!port || !webPorts.has(port.target)) continue;
        // On a swarm a host address is ignored: the port is public whatever it says.
        if (!context.settings.swarm && port.hostIp && port.hostIp !== '0.0.0.0' && port.hostIp !== '::') continue;
        context.report({ messageId: 'bypass', node: port.node, data: { service: service.name, port: port.target } });
      }
    }
  },
};

export default rule;
