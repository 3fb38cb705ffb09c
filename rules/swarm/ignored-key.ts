import { DEFAULT_DOCKER_VERSION, type Rule } from '@galley/linter';
import { checkServiceKeys, DOCKER_VERSION_OPTIONS } from './_data/check-service-keys.js';

const rule: Rule = {
  meta: {
    id: 'swarm/ignored-key',
    severity: 'warning',
    category: 'swarm',
    description: 'No service uses keys `docker stack deploy` ignores (build, privileged, network_mode, devices, …).',
    docs: {
      why:
        '`docker stack deploy` drops these keys with a one-line "Ignoring unsupported options" warning that scrolls past: `build`, `cgroupns_mode`, `cgroup_parent`, `devices`, `domainname`, `external_links`, `ipc`, `links`, `mac_address`, `network_mode`, `pid`, `privileged`, `security_opt`, `shm_size`, `userns_mode` (and, on older Docker versions, `cap_add`, `cap_drop`, `sysctls`, `ulimits`). The stack then runs without what the key asked for: no privileges, no device, no host network. Which keys are ignored depends on the Docker version (`--docker-version`, or `dockerVersion` in .galley.yml; default ' +
        DEFAULT_DOCKER_VERSION +
        '). `restart` has its own rule, `swarm/restart-policy`.',
      fix: 'Remove the key, and get the behaviour the swarm way where there is one (the message says how). `--fix` removes keys that swarm drops anyway, in recipes; in a lone compose file it only suggests it, since that file may also serve `docker compose`.',
      wrong: 'services:\n  app:\n    image: nginx:1.27.3\n    container_name: web\n    links:\n      - db\n  db:\n    image: postgres:16.4\n',
      right: 'services:\n  app:\n    image: nginx:1.27.3\n  db:\n    image: postgres:16.4\n',
    },
    messages: { ignored: '`{{key}}` of service "{{service}}" is ignored by docker stack deploy (Docker {{version}}): {{advice}}' },
    options: DOCKER_VERSION_OPTIONS,
    fixable: true,
    hasSuggestions: true,
    presets: ['swarm', 'coop-cloud'],
    appliesToComposeFiles: true,
  },
  check(context) {
    checkServiceKeys(context, 'ignored', new Set(['restart']));
  },
};

export default rule;
