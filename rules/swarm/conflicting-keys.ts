import type { Rule, RuleContext } from '@galley/linter';
import { get, getPair, isMap, isScalar, isSeq, scalarString, services, type TopLevelKind, topLevel, type YMap } from '@galley/recipe';

const KIND_NAMES: Record<TopLevelKind, string> = { networks: 'network', volumes: 'volume', secrets: 'secret', configs: 'config' };
/** Mount types and the option key each one takes. */
const MOUNT_OPTIONS: Record<string, string | undefined> = { volume: 'volume', bind: 'bind', tmpfs: 'tmpfs', npipe: undefined, cluster: undefined };

function checkObjects(context: RuleContext, root: YMap): void {
  for (const kind of ['networks', 'volumes', 'secrets', 'configs'] as const) {
    for (const object of topLevel(root, kind)) {
      if (!isMap(object.node)) continue;
      const what = KIND_NAMES[kind];
      const external = getPair(object.node, 'external');
      const externalName = isMap(external?.value) ? getPair(external.value, 'name') : undefined;
      const name = getPair(object.node, 'name');
      if (externalName && name) {
        context.report({ messageId: 'nameConflict', node: externalName.key, data: { kind: what, name: object.name } });
      } else if (externalName) {
        context.report({
          messageId: 'externalName',
          node: externalName.key,
          data: { kind: what, name: object.name, value: scalarString(externalName.value) ?? '' },
          severity: 'warning',
        });
      }
      const isExternal = external && (isMap(external.value) || (isScalar(external.value) && external.value.value === true));
      if (kind === 'volumes' && isExternal) {
        for (const key of ['driver', 'driver_opts', 'labels']) {
          const pair = getPair(object.node, key);
          if (pair) context.report({ messageId: 'externalWith', node: pair.key, data: { key, name: object.name } });
        }
      }
      if (kind === 'secrets' && getPair(object.node, 'driver') && getPair(object.node, 'file')) {
        context.report({ messageId: 'driverAndFile', node: getPair(object.node, 'file')!.key, data: { name: object.name } });
      }
    }
  }
}

function checkMounts(context: RuleContext, root: YMap): void {
  for (const service of services(root)) {
    const volumes = get(service.node, 'volumes');
    if (!isSeq(volumes)) continue;
    for (const mount of volumes.items) {
      if (!isMap(mount)) continue;
      const type = scalarString(get(mount, 'type')) ?? 'volume';
      const typePair = getPair(mount, 'type');
      if (!(type in MOUNT_OPTIONS)) {
        context.report({ messageId: 'mountType', node: typePair?.value ?? mount, data: { type, service: service.name } });
        continue;
      }
      const source = scalarString(get(mount, 'source'));
      if ((type === 'bind' || type === 'npipe' || type === 'cluster') && !source) {
        context.report({ messageId: 'mountSource', node: typePair?.value ?? mount, data: { type, service: service.name } });
      }
      if (type === 'tmpfs' && source) context.report({ messageId: 'tmpfsSource', node: getPair(mount, 'source')!.key, data: { service: service.name } });
      for (const option of ['bind', 'volume', 'tmpfs']) {
        const pair = getPair(mount, option);
        if (pair && MOUNT_OPTIONS[type] !== option)
          context.report({ messageId: 'mountOptions', node: pair.key, data: { option, type, service: service.name } });
      }
    }
  }
}

const rule: Rule = {
  meta: {
    id: 'swarm/conflicting-keys',
    severity: 'error',
    category: 'swarm',
    description:
      'No keys that `docker stack deploy` refuses together: an external volume with a driver or labels, both `name` and `external.name`, a bind mount without a source, mount options of another mount type.',
    docs: {
      why: '`docker stack deploy` checks some keys against each other and refuses the whole stack when they conflict: an external volume exists already, so it cannot also be given a `driver`, `driver_opts` or `labels`; `name` and the older `external.name` say the same thing twice; a secret comes from a `driver` or a `file`, not both; a bind mount needs its `source`; a mount takes only the options of its own type (`tmpfs:` options on a `type: volume` mount). It also warns about `external.name`, which is deprecated. The compose-spec schema lets all of these pass.',
      fix: 'Keep one of the conflicting keys: drop `driver`/`driver_opts`/`labels` of external volumes, write `name:` with `external: true` instead of `external.name`, give bind mounts a `source`, and move mount options to a mount of the matching type.',
      wrong: 'volumes:\n  data:\n    external: true\n    driver: local\nsecrets:\n  db_password:\n    external:\n      name: shared_db_password\n',
      right: 'volumes:\n  data:\n    external: true\nsecrets:\n  db_password:\n    external: true\n    name: shared_db_password\n',
    },
    messages: {
      externalWith:
        'volume "{{name}}" is external, and docker stack deploy refuses its `{{key}}` (conflicting parameters): an external volume is created elsewhere',
      nameConflict: '{{kind}} "{{name}}" sets both `name` and `external.name`, which docker stack deploy refuses: keep `name`',
      externalName:
        '`external.name` of {{kind}} "{{name}}" is deprecated and docker stack deploy warns about it: write `name: {{value}}` with `external: true`',
      driverAndFile: 'secret "{{name}}" has both a `driver` and a `file`, which docker stack deploy refuses: keep one',
      mountSource: 'a mount of type {{type}} of service "{{service}}" has no `source`, which docker stack deploy refuses',
      tmpfsSource: 'a tmpfs mount of service "{{service}}" has a `source`, which docker stack deploy refuses: tmpfs mounts have none',
      mountOptions: '`{{option}}` options on a mount of type {{type}} of service "{{service}}" make docker stack deploy refuse the service',
      mountType: 'mount type "{{type}}" of service "{{service}}" is none of volume, bind, tmpfs, npipe, cluster: docker stack deploy refuses it',
    },
    fixable: false,
    presets: ['swarm', 'coop-cloud'],
    appliesToComposeFiles: true,
  },
  check(context) {
    for (const tree of context.fullStack.files.values()) {
      if (!isMap(tree.root)) continue;
      checkObjects(context, tree.root);
      checkMounts(context, tree.root);
    }
  },
};

export default rule;
