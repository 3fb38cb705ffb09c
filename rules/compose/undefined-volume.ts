import type { Rule } from '@galley/linter';
import { checkUndefinedReferences } from '../_lib/references.js';

const rule: Rule = {
  meta: {
    id: 'compose/undefined-volume',
    severity: 'error',
    category: 'correctness',
    description: 'Every named volume a service mounts is defined under top-level `volumes`.',
    docs: {
      why: 'A mount such as `data:/var/lib/data` names a volume, not a host path. `docker stack deploy` refuses a service that mounts a named volume the stack does not declare ("undefined volume"). A typo in the name has the same effect. Host paths start with `/`, `./` or `~` and need no declaration.',
      fix: 'Declare the volume under top-level `volumes` (an empty entry is enough), or fix the name to match a declared one. To mount a host folder instead, write its path (`./data:/data` or `/srv/data:/data`).',
      wrong: 'services:\n  app:\n    image: postgres:16.4\n    volumes:\n      - pgdata:/var/lib/postgresql/data\n',
      right: 'services:\n  app:\n    image: postgres:16.4\n    volumes:\n      - pgdata:/var/lib/postgresql/data\nvolumes:\n  pgdata:\n',
    },
    messages: {
      undefined: 'service "{{service}}" mounts volume "{{name}}", which no compose file declares under top-level `volumes`',
      notInDefault: 'service "{{service}}" mounts volume "{{name}}", which only {{files}} declares, and COMPOSE_FILE in .env.sample leaves that file out',
    },
    fixable: false,
    presets: ['recommended', 'swarm', 'coop-cloud'],
    appliesToComposeFiles: true,
  },
  check(context) {
    checkUndefinedReferences(context, 'volumes');
  },
};

export default rule;
