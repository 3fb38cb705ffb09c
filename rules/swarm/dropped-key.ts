import type { Rule } from '@galley/linter';
import { get, getPair, isMap, isScalar, isSeq, keyString, parsePortMapping, services } from '@galley/recipe';

const ANY_ADDRESS = new Set(['0.0.0.0', '::', '']);

const rule: Rule = {
  meta: {
    id: 'swarm/dropped-key',
    severity: 'warning',
    category: 'swarm',
    description: 'No service relies on what `docker stack deploy` drops: `tmpfs`, a host address in a port mapping, a fixed IP address on a network.',
    docs: {
      why: '`docker stack deploy` drops some keys when it turns the file into swarm services, most without a word: the service-level `tmpfs` (so a `read_only: true` service that needs a writable /tmp fails at start), `ipv4_address`/`ipv6_address` on a network (swarm assigns addresses), and the host address of a port mapping: `"127.0.0.1:8080:80"` is published on every interface of every node (docker prints "ignoring IP-address"), which exposes what the packager meant to keep local.',
      fix: 'Use what swarm supports: a mount of type tmpfs instead of `tmpfs:` (`volumes: [{ type: tmpfs, target: /tmp }]`), no fixed addresses (reach services by name), and no published port for what must stay local: let Traefik or another service on a shared network reach it, or publish with `mode: host` behind a firewall.',
      wrong: 'services:\n  app:\n    image: nginx:1.27.3\n    read_only: true\n    tmpfs: /tmp\n    ports:\n      - "127.0.0.1:8080:80"\n',
      right: 'services:\n  app:\n    image: nginx:1.27.3\n    read_only: true\n    volumes:\n      - type: tmpfs\n        target: /tmp\n',
    },
    messages: {
      tmpfs: '`tmpfs` of service "{{service}}" is dropped by docker stack deploy: mount a volume of type tmpfs instead',
      hostIp:
        'docker stack deploy ignores the host address {{ip}} of port mapping "{{value}}" of service "{{service}}" and publishes the port on every interface',
      fixedAddress: '`{{key}}` of service "{{service}}" on network "{{network}}" is dropped by docker stack deploy: swarm assigns the addresses',
    },
    fixable: false,
    presets: ['swarm', 'coop-cloud'],
    appliesToComposeFiles: true,
  },
  check(context) {
    for (const tree of context.fullStack.files.values()) {
      for (const service of services(tree.root)) {
        const tmpfs = getPair(service.node, 'tmpfs');
        if (tmpfs) context.report({ messageId: 'tmpfs', node: tmpfs.key, data: { service: service.name } });
        const ports = get(service.node, 'ports');
        if (isSeq(ports)) {
          for (const item of ports.items) {
            if (!isScalar(item) || typeof item.value !== 'string') continue;
            const parsed = parsePortMapping(item.value, { allowZeroTarget: true });
            const ip = parsed.ok ? parsed.port.hostIp : undefined;
            if (ip === undefined || ANY_ADDRESS.has(ip.replace(/^\[|\]$/g, ''))) continue;
            context.report({ messageId: 'hostIp', node: item, data: { ip, value: item.value, service: service.name } });
          }
        }
        const networks = get(service.node, 'networks');
        if (isMap(networks)) {
          for (const network of networks.pairs) {
            if (!isMap(network.value)) continue;
            for (const key of ['ipv4_address', 'ipv6_address']) {
              const pair = getPair(network.value, key);
              if (pair) context.report({ messageId: 'fixedAddress', node: pair.key, data: { key, service: service.name, network: keyString(network.key) } });
            }
          }
        }
      }
    }
  },
};

export default rule;
