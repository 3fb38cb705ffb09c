import type { Rule, RuleContext } from '@galley/linter';
import { get, isIpAddress, isMap, isScalar, isSeq, parsePortMapping, parsePortRange, services, type YNode } from '@galley/recipe';
import { originOf, unsetRefs, variablesAreUnknown } from '../_lib/variables.js';

type Report = RuleContext['report'];

function checkShort(node: YNode, service: string, context: RuleContext, report: Report): void {
  if (!isScalar(node) || node.value === null || typeof node.value === 'boolean') return;
  if (typeof node.value === 'number') {
    if (!Number.isInteger(node.value) || node.value < 1 || node.value > 65535) {
      report({ messageId: 'invalid', node, data: { service, value: String(node.value), reason: `${node.value} is not a port (1–65535)`, origin: '' } });
    }
    return;
  }
  const result = parsePortMapping(node.value, { allowZeroTarget: context.settings.swarm });
  if (result.ok) return;
  report({ messageId: 'invalid', node, data: { service, value: node.value, reason: result.reason, origin: originOf(node, context) } });
}

function checkLong(node: YNode, service: string, context: RuleContext, report: Report): void {
  if (!isMap(node)) return;
  const fields: [key: string, what: string][] = [
    ['target', 'container port'],
    ['published', 'published port'],
  ];
  for (const [key, what] of fields) {
    const value = get(node, key);
    if (!isScalar(value) || value.value === null || typeof value.value === 'boolean') continue;
    if (unsetRefs(value).length && variablesAreUnknown(context)) continue;
    const text = String(value.value);
    const result =
      key === 'target'
        ? /^\d+$/.test(text)
          ? parsePortRange(text, what)
          : { ok: false as const, reason: `${what} "${text}" is not a port number` }
        : parsePortRange(text, what);
    if (result.ok) continue;
    report({ messageId: 'invalidField', node: value, data: { service, field: key, value: text, reason: result.reason, origin: originOf(value, context) } });
  }
  const hostIp = get(node, 'host_ip');
  if (isScalar(hostIp) && typeof hostIp.value === 'string' && hostIp.value !== '' && !isIpAddress(hostIp.value)) {
    report({
      messageId: 'invalidField',
      node: hostIp,
      data: { service, field: 'host_ip', value: hostIp.value, reason: 'it is not an IP address', origin: originOf(hostIp, context) },
    });
  }
  const mode = get(node, 'mode');
  if (isScalar(mode) && typeof mode.value === 'string' && mode.value !== 'host' && mode.value !== 'ingress') {
    report({
      messageId: 'invalidField',
      node: mode,
      data: { service, field: 'mode', value: mode.value, reason: 'it is neither "host" nor "ingress"', origin: originOf(mode, context) },
    });
  }
  const protocol = get(node, 'protocol');
  if (isScalar(protocol) && typeof protocol.value === 'string' && !['tcp', 'udp', 'sctp'].includes(protocol.value.toLowerCase())) {
    report({
      messageId: 'invalidField',
      node: protocol,
      data: { service, field: 'protocol', value: protocol.value, reason: 'it is none of tcp, udp, sctp', origin: originOf(protocol, context) },
    });
  }
}

const rule: Rule = {
  meta: {
    id: 'compose/invalid-port',
    severity: 'error',
    category: 'correctness',
    description: 'Port mappings are valid after interpolation: ports 1–65535, ranges of equal size, a real host address and protocol.',
    docs: {
      why: 'A port mapping Docker cannot read stops the whole deploy ("invalid port", "invalid containerPort"). The usual causes are a port above 65535, a range whose published and container parts differ in size, and a `${PORT}:80` whose variable is empty, which leaves `:80`. The JSON schema sees only the text as written, not what interpolation makes of it.',
      fix: 'Write `[host_ip:][published:]target[/protocol]` with ports between 1 and 65535, e.g. `"8080:80"` (a host address, as in `"127.0.0.1:5432:5432"`, holds for docker compose only: `docker stack deploy` ignores it); give port variables a value in `.env.sample` or a default (`${PORT:-8080}:80`). Quote mappings so YAML keeps them as text.',
      wrong: 'services:\n  app:\n    image: nginx:1.27.3\n    ports:\n      - "70000:80"\n      - "${ADMIN_PORT}:8080"\n',
      right: 'services:\n  app:\n    image: nginx:1.27.3\n    ports:\n      - "7000:80"\n      - "${ADMIN_PORT:-8080}:8080"\n',
    },
    messages: {
      invalid: 'port mapping "{{value}}" of service "{{service}}" is invalid: {{reason}}{{origin}}',
      invalidField: 'ports {{field}} "{{value}}" of service "{{service}}" is invalid: {{reason}}{{origin}}',
    },
    fixable: false,
    presets: ['recommended', 'swarm', 'coop-cloud'],
    appliesToComposeFiles: true,
  },
  check(context) {
    const report = context.report;
    const unknown = variablesAreUnknown(context);
    for (const tree of context.fullStack.files.values()) {
      for (const service of services(tree.root)) {
        const ports = get(service.node, 'ports');
        if (!isSeq(ports)) continue;
        for (const item of ports.items) {
          if (isScalar(item)) {
            if (unsetRefs(item).length && unknown) continue;
            checkShort(item, service.name, context, report);
          } else if (!context.settings.swarm) checkLong(item, service.name, context, report);
          // On a swarm, swarm/schema checks the long syntax: docker takes any mode and port 0.
        }
      }
    }
  },
};

export default rule;
