/**
 * The compose file format `docker stack deploy` reads (docker/cli's v3
 * format, which abra's loader follows), as galley's own model: which keys
 * exist, since which file version (`version: "3.x"`), which JSON types their
 * values may have after docker's interpolation, and which `${VAR}` values
 * docker converts to numbers or booleans first. It differs from the
 * compose-spec format of `docker compose`: many keys are missing (pull_policy,
 * platform, profiles, cpus…), numbers and booleans are never strings, and
 * label and environment maps hold no booleans.
 *
 * Written from docker's behaviour and checked by galley's swarm differential
 * suite (test/lint/swarm), which asks `docker stack config` and a real deploy
 * about every key here.
 */

export type ValueType = 'string' | 'integer' | 'uint' | 'number' | 'boolean' | 'null' | 'list' | 'map';

export interface Field {
  /** The first file format version with the key (default 3.0). */
  since?: string;
  /** The types docker accepts (`uint`: a whole number, not negative). */
  types: ValueType[];
  /** What docker converts a `${VAR}` value to before checking it (others stay text). */
  cast?: 'int' | 'float' | 'bool';
  /** The only values allowed (strings). */
  enum?: string[];
  /** The keys of the mapping form. */
  keys?: Record<string, Field>;
  /** For mappings of free keys: what the keys must look like (names of services, networks, …). */
  keyPattern?: RegExp;
  /** Every value of a mapping whose keys are free (labels, environment). */
  values?: Field;
  /** Every item of the list form. */
  items?: Field;
  /** `x-…` keys are allowed in the mapping since this file version. */
  extensions?: string;
  /** Any other key is allowed too. */
  open?: string;
}

const str: Field = { types: ['string'] };
const strList: Field = { types: ['list'], items: str };
const strOrList: Field = { types: ['string', 'list'], items: str };
const duration: Field = { types: ['string'] };
const bool = (cast = true, since?: string): Field => ({ types: ['boolean'], ...(cast ? { cast: 'bool' as const } : {}), ...(since ? { since } : {}) });
/** A list of `key=value` or a mapping whose values are text, numbers or null (no booleans). */
const listOrDict: Field = { types: ['list', 'map'], items: str, values: { types: ['string', 'number', 'null'] } };
const driverOpts: Field = { types: ['map'], values: { types: ['string', 'number'] } };
const external = (since?: string): Field => ({ types: ['boolean', 'map'], cast: 'bool', keys: { name: str }, ...(since ? { since } : {}) });

const updateConfig = (since?: string): Field => ({
  types: ['map'],
  ...(since ? { since } : {}),
  keys: {
    parallelism: { types: ['uint'], cast: 'int' },
    delay: duration,
    failure_action: str,
    monitor: duration,
    max_failure_ratio: { types: ['number'], cast: 'float' },
    order: { types: ['string'], since: '3.4', enum: ['start-first', 'stop-first'] },
  },
});

const fileReference: Field = {
  types: ['string', 'map'],
  // Service secrets and configs take other keys silently.
  open: '3.0',
  keys: { source: str, target: str, uid: str, gid: str, mode: { types: ['number'], cast: 'int' } },
};

export const SERVICE: Field = {
  types: ['map'],
  extensions: '3.7',
  keys: {
    build: {
      types: ['string', 'map'],
      open: '3.11',
      keys: {
        context: str,
        dockerfile: str,
        args: listOrDict,
        labels: { ...listOrDict, since: '3.3' },
        cache_from: { ...strList, since: '3.2' },
        network: { ...str, since: '3.4' },
        target: { ...str, since: '3.4' },
        shm_size: { types: ['integer', 'string'], since: '3.5' },
        extra_hosts: { ...listOrDict, since: '3.9' },
      },
    },
    cap_add: strList,
    cap_drop: strList,
    cgroupns_mode: { ...str, since: '3.9' },
    cgroup_parent: str,
    command: strOrList,
    configs: { types: ['list'], since: '3.3', items: fileReference },
    container_name: str,
    credential_spec: { types: ['map'], since: '3.3', keys: { config: { ...str, since: '3.8' }, file: str, registry: str } },
    depends_on: strList,
    deploy: {
      types: ['map', 'null'],
      keys: {
        mode: str,
        endpoint_mode: { ...str, since: '3.2' },
        replicas: { types: ['uint'], cast: 'int' },
        labels: listOrDict,
        rollback_config: updateConfig('3.7'),
        update_config: updateConfig(),
        resources: {
          types: ['map'],
          keys: {
            limits: {
              types: ['map'],
              keys: { cpus: str, memory: str, pids: { types: ['integer'], since: '3.9' } },
            },
            reservations: {
              types: ['map'],
              keys: {
                cpus: str,
                memory: str,
                generic_resources: {
                  types: ['list'],
                  since: '3.5',
                  items: {
                    types: ['map'],
                    keys: { discrete_resource_spec: { types: ['map'], keys: { kind: str, value: { types: ['number'] } } } },
                  },
                },
              },
            },
          },
        },
        restart_policy: {
          types: ['map'],
          keys: { condition: str, delay: duration, max_attempts: { types: ['uint'], cast: 'int' }, window: duration },
        },
        placement: {
          types: ['map'],
          keys: {
            constraints: strList,
            preferences: { types: ['list'], since: '3.3', items: { types: ['map'], keys: { spread: str } } },
            max_replicas_per_node: { types: ['uint'], cast: 'int', since: '3.8' },
          },
        },
      },
    },
    devices: strList,
    dns: strOrList,
    dns_search: strOrList,
    domainname: str,
    entrypoint: strOrList,
    env_file: strOrList,
    environment: listOrDict,
    expose: { types: ['list'], items: { types: ['string', 'number'] } },
    external_links: strList,
    extra_hosts: listOrDict,
    healthcheck: {
      types: ['map'],
      keys: {
        disable: bool(),
        interval: duration,
        retries: { types: ['uint'], cast: 'int' },
        test: strOrList,
        timeout: duration,
        start_period: { ...duration, since: '3.4' },
        start_interval: { ...duration, since: '3.12' },
      },
    },
    hostname: str,
    image: str,
    init: bool(false, '3.7'),
    ipc: str,
    isolation: { ...str, since: '3.5' },
    labels: listOrDict,
    links: strList,
    logging: { types: ['map'], keys: { driver: str, options: { types: ['map'], values: { types: ['string', 'number', 'null'] } } } },
    mac_address: str,
    network_mode: str,
    networks: {
      types: ['list', 'map'],
      items: str,
      values: {
        types: ['map', 'null'],
        keys: { aliases: strList, driver_opts: { ...driverOpts, since: '3.13' }, ipv4_address: str, ipv6_address: str },
      },
    },
    oom_score_adj: { types: ['integer'], cast: 'int', since: '3.13' },
    pid: { types: ['string', 'null'] },
    ports: {
      types: ['list'],
      items: {
        types: ['string', 'number', 'map'],
        keys: {
          mode: { ...str, since: '3.2' },
          target: { types: ['uint'], cast: 'int', since: '3.2' },
          published: { types: ['uint'], cast: 'int', since: '3.2' },
          protocol: { ...str, since: '3.2' },
        },
      },
    },
    privileged: bool(),
    read_only: bool(),
    restart: str,
    security_opt: strList,
    shm_size: { types: ['string'] },
    secrets: { types: ['list'], since: '3.1', items: fileReference },
    sysctls: listOrDict,
    stdin_open: bool(),
    stop_grace_period: duration,
    stop_signal: str,
    tmpfs: strOrList,
    tty: bool(),
    ulimits: {
      types: ['map'],
      values: { types: ['integer', 'map'], cast: 'int', keys: { hard: { types: ['integer'], cast: 'int' }, soft: { types: ['integer'], cast: 'int' } } },
    },
    user: str,
    userns_mode: str,
    volumes: {
      types: ['list'],
      items: {
        types: ['string', 'map'],
        keys: {
          type: { ...str, since: '3.2' },
          source: { ...str, since: '3.2' },
          target: { ...str, since: '3.2' },
          read_only: bool(true, '3.2'),
          consistency: { ...str, since: '3.2' },
          bind: { types: ['map'], since: '3.2', open: '3.2', keys: { propagation: str } },
          volume: { types: ['map'], since: '3.2', open: '3.2', keys: { nocopy: bool() } },
          tmpfs: { types: ['map'], since: '3.6', open: '3.6', keys: { size: { types: ['integer'] } } },
        },
      },
    },
    working_dir: str,
  },
};

/** The keys forbidden by `docker stack deploy` before any validation (swarm/forbidden-key reports them). */
export const FORBIDDEN_SERVICE_KEYS = new Set(['extends', 'volume_driver', 'volumes_from', 'cpu_quota', 'cpu_shares', 'cpuset', 'mem_limit', 'memswap_limit']);

const objectLabels: Field = listOrDict;

/** Top-level `secrets` or `configs`: objects made from a file (or external), since a file version. */
function fileObjects(since: string, extra: Record<string, Field>): Field {
  return {
    types: ['map'],
    since,
    keyPattern: NAME,
    values: {
      types: ['map'],
      extensions: '3.7',
      keys: {
        name: { ...str, since: '3.5' },
        file: str,
        external: external(),
        labels: objectLabels,
        ...extra,
        template_driver: { ...str, since: '3.8' },
      },
    },
  };
}

/** Names of services, networks, volumes, secrets and configs. */
const NAME = /^[a-zA-Z0-9._-]+$/;

export const TOP_LEVEL: Field = {
  types: ['map'],
  extensions: '3.4',
  keys: {
    version: str,
    services: { types: ['map'], keyPattern: NAME, values: SERVICE },
    networks: {
      types: ['map'],
      keyPattern: NAME,
      values: {
        types: ['map', 'null'],
        extensions: '3.7',
        keys: {
          name: { ...str, since: '3.5' },
          driver: str,
          driver_opts: driverOpts,
          ipam: {
            types: ['map'],
            keys: { driver: str, config: { types: ['list'], items: { types: ['map'], keys: { subnet: str } } } },
          },
          external: external(),
          internal: bool(),
          attachable: bool(true, '3.2'),
          labels: objectLabels,
        },
      },
    },
    volumes: {
      types: ['map'],
      keyPattern: NAME,
      values: {
        types: ['map', 'null'],
        extensions: '3.7',
        keys: {
          name: { ...str, since: '3.4' },
          driver: str,
          driver_opts: driverOpts,
          external: external(),
          labels: objectLabels,
          'x-cluster-spec': { types: ['map'], since: '3.10', open: '3.10' },
        },
      },
    },
    secrets: fileObjects('3.1', {
      driver: { ...str, since: '3.8' },
      driver_opts: { ...driverOpts, since: '3.8' },
    }),
    configs: fileObjects('3.3', {}),
  },
};

/** File format versions `docker stack deploy` reads, and the Docker version that first read each. */
export const FILE_VERSIONS: [fileVersion: string, docker: string][] = [
  ['3.0', '1.13'],
  ['3.1', '1.13'],
  ['3.2', '17.04'],
  ['3.3', '17.06'],
  ['3.4', '17.09'],
  ['3.5', '17.12'],
  ['3.6', '18.02'],
  ['3.7', '18.06'],
  ['3.8', '19.03'],
  ['3.9', '20.10'],
  ['3.10', '23.0'],
  ['3.11', '24.0'],
  ['3.12', '25.0'],
  ['3.13', '27.0'],
];

/** From this Docker version on, `version:` may be left out (or be "3"): it means the newest 3.x. */
export const VERSION_OPTIONAL_SINCE = '23.0';

/** Compares `major.minor` versions. */
export function compareVersions(a: string, b: string): number {
  const [am = 0, an = 0] = a.split('.').map(Number);
  const [bm = 0, bn = 0] = b.split('.').map(Number);
  return am - bm || an - bn;
}

/** The file versions a Docker version reads, oldest first. */
export function fileVersionsFor(dockerVersion: string): string[] {
  return FILE_VERSIONS.filter(([, docker]) => compareVersions(dockerVersion, docker) >= 0).map(([v]) => v);
}
