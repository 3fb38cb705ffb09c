import type { Rule } from '@galley/linter';
import { checkUnused } from '../_lib/unused.js';

const rule: Rule = {
  meta: {
    id: 'compose/unused-volume',
    severity: 'warning',
    category: 'best-practice',
    description: 'Every volume declared under top-level `volumes` is mounted by some service.',
    docs: {
      why: 'A declared volume no service mounts is dead weight, and often the sign of a mount that lost its volume name: `- /var/lib/mysql` (an anonymous volume, lost on every redeploy) where `- mariadb:/var/lib/mysql` was meant. Data the packager meant to keep then is not kept, and backups miss it.',
      fix: 'Mount the volume where the data lives (`name:/path/in/container`), or remove the declaration.',
      wrong: 'services:\n  db:\n    image: mariadb:11.4\n    volumes:\n      - /var/lib/mysql\nvolumes:\n  mariadb:\n',
      right: 'services:\n  db:\n    image: mariadb:11.4\n    volumes:\n      - mariadb:/var/lib/mysql\nvolumes:\n  mariadb:\n',
    },
    messages: { unused: 'volume "{{name}}" is declared but no service mounts it' },
    fixable: false,
    presets: ['recommended', 'coop-cloud'],
    appliesToComposeFiles: true,
  },
  check(context) {
    checkUnused(context, 'volumes');
  },
};

export default rule;
