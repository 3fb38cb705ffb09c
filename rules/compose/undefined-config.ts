import type { Rule } from '@galley/linter';
import { checkUndefinedReferences } from '../_lib/references.js';

const rule: Rule = {
  meta: {
    id: 'compose/undefined-config',
    severity: 'error',
    category: 'correctness',
    description: 'Every config a service mounts is defined under top-level `configs`.',
    docs: {
      why: '`docker stack deploy` refuses a service that mounts a config the stack does not declare ("service app refers to undefined config nginx_conf"). A config commented out at the top level but still mounted by a service is the usual cause.',
      fix: 'Declare the config under top-level `configs` with the `file` it is made from (recipes add a versioned `name`, see `recipe/config-version-export`), or remove the mount from the service.',
      wrong: 'services:\n  app:\n    image: nginx:1.27.3\n    configs:\n      - source: nginx_conf\n        target: /etc/nginx/nginx.conf\n',
      right:
        'services:\n  app:\n    image: nginx:1.27.3\n    configs:\n      - source: nginx_conf\n        target: /etc/nginx/nginx.conf\nconfigs:\n  nginx_conf:\n    name: ${STACK_NAME}_nginx_conf_${NGINX_CONF_VERSION}\n    file: nginx.conf\n',
    },
    messages: {
      undefined: 'service "{{service}}" mounts config "{{name}}", which no compose file declares under top-level `configs`',
      notInDefault: 'service "{{service}}" mounts config "{{name}}", which only {{files}} declares, and COMPOSE_FILE in .env.sample leaves that file out',
    },
    fixable: false,
    presets: ['recommended', 'swarm', 'coop-cloud'],
    appliesToComposeFiles: true,
  },
  check(context) {
    checkUndefinedReferences(context, 'configs');
  },
};

export default rule;
