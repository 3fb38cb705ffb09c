import type { Rule } from '@galley/linter';
import { getPair, services } from '@galley/recipe';
import { isTrue } from '../_lib/compose.js';

const rule: Rule = {
  meta: {
    id: 'security/privileged',
    severity: 'warning',
    category: 'security',
    description: 'No service runs privileged.',
    docs: {
      why: 'A privileged container has every capability, sees every device and is not confined by seccomp or AppArmor: a compromise of the service is a compromise of the host. (`docker stack deploy` ignores `privileged` altogether, see `swarm/ignored-key`, so on a swarm it also does not do what the packager expected.)',
      fix: 'Remove `privileged: true` and grant only the capabilities the service needs with `cap_add` (Docker 20.10+ on swarm), or the devices it needs.',
      wrong: 'services:\n  vpn:\n    image: example/vpn:1.4.0\n    privileged: true\n',
      right: 'services:\n  vpn:\n    image: example/vpn:1.4.0\n    cap_add:\n      - NET_ADMIN\n',
    },
    messages: { privileged: 'service "{{service}}" runs privileged: it has full access to the host' },
    fixable: false,
    presets: ['recommended', 'coop-cloud'],
    appliesToComposeFiles: true,
  },
  check(context) {
    for (const tree of context.fullStack.files.values()) {
      for (const service of services(tree.root)) {
        const pair = getPair(service.node, 'privileged');
        if (pair && isTrue(pair.value)) context.report({ messageId: 'privileged', node: pair.value, data: { service: service.name } });
      }
    }
  },
};

export default rule;
