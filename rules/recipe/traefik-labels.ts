import type { Rule } from '@galley/linter';
import { get, isMap, isSeq, scalarString, services, type YNode } from '@galley/recipe';
import { deployLabels, labelsKeyFor, traefikEnabled } from '../_lib/labels.js';

const HTTP_ROUTER = /^traefik\.http\.routers\.([^.]+)\.(.+)$/;
const ANY_RULE = /^traefik\.(?:http|tcp|udp)\.routers\.[^.]+\.rule$/;
const PORT = /^traefik\.(?:http|tcp|udp)\.services\.[^.]+\.loadbalancer\.server\.port$/;
const UDP_ROUTER = /^traefik\.udp\.routers\.[^.]+\.entrypoints$/;

function serviceNetworks(node: YNode | undefined): string[] {
  if (isMap(node)) return node.pairs.map((p) => String(p.key.value));
  if (isSeq(node)) return node.items.map((i) => scalarString(i) ?? '');
  return [];
}

const rule: Rule = {
  meta: {
    id: 'recipe/traefik-labels',
    severity: 'warning',
    category: 'coop-cloud',
    description: 'A service with `traefik.enable=true` has a router rule, entrypoints, a certificate resolver and a port, and joins the proxy network.',
    docs: {
      why: 'Traefik needs more than `traefik.enable=true` to serve an app on a swarm: a router `rule` (which host), its `entrypoints` (`web-secure`), `tls.certresolver` (or browsers get Traefik\'s self-signed certificate), the container `port` (in swarm mode Traefik cannot guess it and drops the service), and a network it shares with the service (`proxy`). A missing one gives a 404, a certificate warning or a "Bad Gateway", never an error at deploy time.',
      fix: 'Complete the labels the Co-op Cloud way:\n\n```yaml\ndeploy:\n  labels:\n    - "traefik.enable=true"\n    - "traefik.http.services.${STACK_NAME}.loadbalancer.server.port=80"\n    - "traefik.http.routers.${STACK_NAME}.rule=Host(`${DOMAIN}`${EXTRA_DOMAINS})"\n    - "traefik.http.routers.${STACK_NAME}.entrypoints=web-secure"\n    - "traefik.http.routers.${STACK_NAME}.tls.certresolver=${LETS_ENCRYPT_ENV}"\n```\n\nand join the external `proxy` network.',
      wrong:
        'services:\n  app:\n    image: nginx:1.27.3\n    deploy:\n      labels:\n        - "traefik.enable=true"\n        - "traefik.http.routers.${STACK_NAME}.rule=Host(`${DOMAIN}`)"\n',
      right:
        'services:\n  app:\n    image: nginx:1.27.3\n    networks:\n      - proxy\n    deploy:\n      labels:\n        - "traefik.enable=true"\n        - "traefik.http.services.${STACK_NAME}.loadbalancer.server.port=80"\n        - "traefik.http.routers.${STACK_NAME}.rule=Host(`${DOMAIN}`)"\n        - "traefik.http.routers.${STACK_NAME}.entrypoints=web-secure"\n        - "traefik.http.routers.${STACK_NAME}.tls.certresolver=${LETS_ENCRYPT_ENV}"\nnetworks:\n  proxy:\n    external: true\n',
    },
    messages: {
      noRule: 'service "{{service}}" enables Traefik but no router has a `rule` label, so no request reaches it',
      noPort: 'service "{{service}}" enables Traefik but sets no `loadbalancer.server.port` label, which Traefik needs in swarm mode',
      noEntrypoints: 'router "{{router}}" of service "{{service}}" has no `entrypoints` label; Co-op Cloud routers use web-secure',
      noCertresolver: 'router "{{router}}" of service "{{service}}" has no `tls.certresolver` label, so it gets no Let\'s Encrypt certificate',
      notOnNetwork: 'service "{{service}}" enables Traefik but does not join the "{{network}}" network Traefik is on',
    },
    options: {
      type: 'object',
      properties: { proxyNetwork: { type: 'string', description: 'The network Traefik shares with apps.' } },
      additionalProperties: false,
    },
    defaultOptions: { proxyNetwork: 'proxy' },
    fixable: false,
    presets: ['coop-cloud'],
  },
  check(context) {
    const stack = context.fullStack;
    const proxy = typeof context.options.proxyNetwork === 'string' ? context.options.proxyNetwork : 'proxy';
    for (const service of services(stack.root)) {
      if (!traefikEnabled(service.node)) continue;
      const labels = deployLabels(service.node);
      const enable = labels.get('traefik.enable')!.node;
      const where = labelsKeyFor(stack, service.name, enable);
      const data = { service: service.name };
      const keys = [...labels.keys()];
      if (!keys.some((k) => ANY_RULE.test(k))) context.report({ messageId: 'noRule', node: where, data });
      if (!keys.some((k) => PORT.test(k)) && !keys.some((k) => UDP_ROUTER.test(k))) context.report({ messageId: 'noPort', node: where, data });
      const routers = new Map<string, Set<string>>();
      for (const key of keys) {
        const m = HTTP_ROUTER.exec(key);
        if (!m) continue;
        const set = routers.get(m[1]!) ?? new Set<string>();
        set.add(m[2]!);
        routers.set(m[1]!, set);
      }
      for (const [router, settings] of routers) {
        if (!settings.has('rule')) continue;
        const ruleNode = labels.get(`traefik.http.routers.${router}.rule`)!.node;
        if (!settings.has('entrypoints')) context.report({ messageId: 'noEntrypoints', node: ruleNode, data: { ...data, router } });
        const entrypoints = labels.get(`traefik.http.routers.${router}.entrypoints`)?.value.trim();
        const plainHttp = entrypoints?.split(',').every((e) => e.trim() === 'web');
        if (!settings.has('tls.certresolver') && !plainHttp) context.report({ messageId: 'noCertresolver', node: ruleNode, data: { ...data, router } });
      }
      const network = labels.get('traefik.docker.network')?.value || proxy;
      if (!serviceNetworks(get(service.node, 'networks')).includes(network)) {
        context.report({ messageId: 'notOnNetwork', node: where, data: { ...data, network } });
      }
    }
  },
};

export default rule;
