import type { Rule } from '@galley/linter';
import { get, getPair, isExternal, scalarString, serviceReferences, services, topLevel } from '@galley/recipe';

const NAMESPACE_KEYS: [key: string, what: string][] = [
  ['network_mode', 'network'],
  ['pid', 'process'],
  ['ipc', 'IPC'],
  ['uts', 'hostname (UTS)'],
  ['userns_mode', 'user'],
  ['cgroupns_mode', 'cgroup'],
];

const rule: Rule = {
  meta: {
    id: 'security/host-namespace',
    severity: 'warning',
    category: 'security',
    description: "No service shares the host's network, process, IPC or user namespace.",
    docs: {
      why: "With `network_mode: host` a service listens on the host's interfaces, bypassing the firewall rules and Traefik, and can reach every local-only service of the host. `pid: host` lets it see and signal every process of the host; `ipc: host` and `userns_mode: host` remove further isolation. On a swarm, joining the external network `host` has the same effect as `network_mode: host`.",
      fix: 'Remove the setting and publish the ports the service needs (behind Traefik where it speaks HTTP). Keep host namespaces for infrastructure that truly needs them (monitoring agents), and silence this rule there with a reason.',
      wrong: 'services:\n  app:\n    image: example/app:1.0.0\n    network_mode: host\n',
      right: 'services:\n  app:\n    image: example/app:1.0.0\n    networks:\n      - proxy\nnetworks:\n  proxy:\n    external: true\n',
    },
    messages: {
      namespace: 'service "{{service}}" shares the host\'s {{what}} namespace ({{key}}: host)',
      hostNetwork: 'service "{{service}}" joins the host network "{{network}}", so it shares the host\'s network namespace',
    },
    fixable: false,
    presets: ['recommended', 'coop-cloud'],
    appliesToComposeFiles: true,
  },
  check(context) {
    for (const tree of context.fullStack.files.values()) {
      for (const service of services(tree.root)) {
        for (const [key, what] of NAMESPACE_KEYS) {
          const pair = getPair(service.node, key);
          if (pair && scalarString(pair.value)?.trim() === 'host')
            context.report({ messageId: 'namespace', node: pair.value, data: { service: service.name, what, key } });
        }
      }
    }
    const full = context.fullStack;
    const hostNetworks = new Set(
      topLevel(full.root, 'networks')
        .filter((n) => isExternal(n.node) && (scalarString(get(n.node, 'name')) ?? n.name) === 'host')
        .map((n) => n.name),
    );
    if (!hostNetworks.size) return;
    for (const service of services(full.root)) {
      for (const ref of serviceReferences(service.node, 'networks')) {
        if (hostNetworks.has(ref.name)) context.report({ messageId: 'hostNetwork', node: ref.node, data: { service: service.name, network: ref.name } });
      }
    }
  },
};

export default rule;
