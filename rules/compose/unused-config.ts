import type { Rule } from '@galley/linter';
import { checkUnused } from '../_lib/unused.js';

const rule: Rule = {
  meta: {
    id: 'compose/unused-config',
    severity: 'warning',
    category: 'best-practice',
    description: 'Every config declared under top-level `configs` is mounted by some service.',
    docs: {
      why: 'Swarm still creates a config object from the file of every declared config, and its version still has to be bumped on every change, though no service mounts it. It is usually left behind when a mount was commented out.',
      fix: 'Mount the config in the service that needs it (`configs: [{ source: name, target: /path }]`), or remove the declaration and its `*_VERSION` export in `abra.sh`.',
      wrong: 'services:\n  app:\n    image: nginx:1.27.3\nconfigs:\n  nginx_conf:\n    file: nginx.conf\n',
      right:
        'services:\n  app:\n    image: nginx:1.27.3\n    configs:\n      - source: nginx_conf\n        target: /etc/nginx/nginx.conf\nconfigs:\n  nginx_conf:\n    file: nginx.conf\n',
    },
    messages: { unused: 'config "{{name}}" is declared but no service mounts it' },
    fixable: false,
    presets: ['recommended', 'coop-cloud'],
    appliesToComposeFiles: true,
  },
  check(context) {
    checkUnused(context, 'configs');
  },
};

export default rule;
