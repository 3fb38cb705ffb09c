import type { Rule, RuleContext } from '@galley/linter';
import type { YNode } from '@galley/recipe';
import { formatRange, type PublishedPort, portsClash, publishedPorts } from '../_lib/ports.js';

/** Ranges up to this wide are looked up port by port; wider ones are compared with each other directly. */
const NARROW = 64;

/**
 * Finds, for each published port, the first earlier one it clashes with, in
 * time linear in the number of ports: ports (and narrow ranges) are indexed by
 * protocol and port number; only wide ranges are compared with each other.
 */
function checkTree(root: YNode | null | undefined, report: RuleContext['report'], swarm: boolean): void {
  const byPort = new Map<string, { port: PublishedPort; order: number }[]>();
  const wide: { port: PublishedPort; order: number }[] = [];
  let order = 0;
  for (const port of publishedPorts(root)) {
    let first: { port: PublishedPort; order: number } | undefined;
    const consider = (candidates: readonly { port: PublishedPort; order: number }[] | undefined) => {
      for (const c of candidates ?? []) {
        if (first && c.order > first.order) break;
        if (portsClash(c.port, port, swarm)) {
          first = c;
          break;
        }
      }
    };
    consider(wide);
    const span = port.range.end - port.range.start;
    if (span < NARROW) for (let p = port.range.start; p <= port.range.end; p++) consider(byPort.get(`${port.protocol}/${p}`));
    else for (const list of byPort.values()) consider(list);
    const entry = { port, order: order++ };
    if (span < NARROW) {
      for (let p = port.range.start; p <= port.range.end; p++) {
        const key = `${port.protocol}/${p}`;
        const list = byPort.get(key);
        if (list) list.push(entry);
        else byPort.set(key, [entry]);
      }
    } else wide.push(entry);
    if (!first) continue;
    const other = first.port;
    const where = `${other.node.span.file}:${other.node.span.line}:${other.node.span.col}`;
    report({
      messageId: other.service === port.service ? 'sameService' : 'otherService',
      node: port.node,
      data: { port: `${formatRange(port.range)}/${port.protocol}`, service: port.service, other: other.service, where },
      related: [{ message: `first published by service "${other.service}" here`, span: other.node.span }],
    });
  }
}

const rule: Rule = {
  meta: {
    id: 'compose/duplicate-published-port',
    severity: 'error',
    category: 'correctness',
    description: 'No host port is published twice, within the default deploy and within each compose file.',
    docs: {
      why: 'A host port can be bound once. On a swarm the second service that publishes it fails to deploy ("port 8080 is already in use by service …"); with `docker compose` the second container does not start. Overlapping ranges (`8000-8010` and `8005`) clash too. With `docker compose`, different host addresses (`127.0.0.1:80` and `10.0.0.2:80`) do not; on a swarm they do, since `docker stack deploy` ignores host addresses and publishes every port on every interface.',
      fix: 'Publish each host port once: pick another host port for one of the services, or drop the mapping that is not needed (behind Traefik, services usually publish no ports at all).',
      wrong: 'services:\n  app:\n    image: nginx:1.27.3\n    ports:\n      - "8080:80"\n  admin:\n    image: adminer:4.8.1\n    ports:\n      - "8080:8080"\n',
      right: 'services:\n  app:\n    image: nginx:1.27.3\n    ports:\n      - "8080:80"\n  admin:\n    image: adminer:4.8.1\n    ports:\n      - "8081:8080"\n',
    },
    messages: {
      otherService: 'host port {{port}} of service "{{service}}" is already published by service "{{other}}" ({{where}})',
      sameService: 'host port {{port}} is published twice by service "{{service}}" (first at {{where}})',
    },
    fixable: false,
    presets: ['recommended', 'swarm', 'coop-cloud'],
    appliesToComposeFiles: true,
  },
  check(context) {
    const report = context.report;
    checkTree(context.stack.root, report, context.settings.swarm);
    for (const tree of context.fullStack.files.values()) checkTree(tree.root, report, context.settings.swarm);
  },
};

export default rule;
