import type { Rule } from '@galley/linter';
import { checkUndefinedReferences } from '../_lib/references.js';

const rule: Rule = {
  meta: {
    id: 'compose/undefined-service',
    severity: 'error',
    category: 'correctness',
    description: 'Every service named in `depends_on` exists.',
    docs: {
      why: '`docker compose` refuses a file whose `depends_on` names a service that does not exist, and in a recipe it usually means a service was renamed or moved to an overlay. (`docker stack deploy` ignores `depends_on` altogether, so the name is also no guarantee of start order on a swarm.)',
      fix: 'Correct the service name, or remove it from `depends_on` when the service is gone. Services that wait for another one on a swarm need to retry or use a healthcheck, since swarm starts services in no particular order.',
      wrong: 'services:\n  app:\n    image: nextcloud:29.0.4\n    depends_on:\n      - database\n  db:\n    image: postgres:16.4\n',
      right: 'services:\n  app:\n    image: nextcloud:29.0.4\n    depends_on:\n      - db\n  db:\n    image: postgres:16.4\n',
    },
    messages: {
      undefined: 'service "{{service}}" depends on "{{name}}", which is no service of any compose file',
      notInDefault: 'service "{{service}}" depends on "{{name}}", which only {{files}} defines, and COMPOSE_FILE in .env.sample leaves that file out',
    },
    fixable: false,
    presets: ['recommended', 'coop-cloud'],
    appliesToComposeFiles: true,
  },
  check(context) {
    checkUndefinedReferences(context, 'depends_on');
  },
};

export default rule;
