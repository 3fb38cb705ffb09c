/**
 * The cases of the swarm differential suite: small compose files, each asked
 * of docker (`docker stack config`, or `docker stack deploy` where the client
 * lacks it, and a real deploy for what only a deploy shows) and of galley's
 * swarm preset. Every key of the service, network, volume, secret and config
 * definitions with a valid and a wrong value; every typed field as a wrong
 * literal and as an interpolated wrong value; every port syntax; `version:`
 * 1.0 to 3.13; cross-field conflicts; interpolation forms; and the keys a
 * deploy drops silently.
 */

export interface SwarmCase {
  /** Stable and unique: the table's row id. */
  id: string;
  /** The key the case is about, e.g. `services.*.deploy.replicas`. */
  key: string;
  /** What the value is, in a few words. */
  what: string;
  /** The compose file. */
  compose: string;
  /** Variables: docker's environment, and the `.env` galley reads beside the file. */
  env?: Record<string, string>;
  /** Other files beside the compose file (configs, secrets). */
  files?: Record<string, string>;
  /**
   * Ask a real deploy to the test swarm, not only the loader: for what
   * `docker stack config` cannot show (a key dropped when the service is
   * created, a reference checked when converting). `kept` says from
   * `docker service inspect` of `<stack>_app` whether the key survived.
   */
  deploy?: { kept: (service: ServiceSpec) => boolean };
  /** For interpolation cases: the environment value docker compose (compose-spec) gives `V` of service app. */
  composeValue?: string;
}

/** The part of `docker service inspect` the cases look at. */
export interface ServiceSpec {
  Spec: {
    TaskTemplate: {
      ContainerSpec: { Env?: string[]; Mounts?: { Type: string; Target: string }[]; Healthcheck?: Record<string, unknown> };
      Networks?: { Target: string; Aliases?: string[] }[];
    };
    EndpointSpec?: { Ports?: { PublishedPort?: number; TargetPort?: number; PublishMode?: string }[] };
  };
}

const IMAGE = 'local/busybox:1';
/** A /24 of 10.0.0.0/8 picked per run, so the network of the fixed-address case overlaps no other. */
const SUBNET = `10.${200 + Math.floor(Math.random() * 50)}.${Math.floor(Math.random() * 250)}`;

/** A compose file with service `app` (and the fragment indented under it), optional top-level text. */
export function service(fragment: string, top = '', version: string | null = '3.8'): string {
  const body = fragment
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => `    ${l}`)
    .join('\n');
  return `${version === null ? '' : `version: "${version}"\n`}services:\n  app:\n    image: ${IMAGE}\n${body ? `${body}\n` : ''}${top}`;
}

const out: SwarmCase[] = [];
function add(c: SwarmCase): void {
  out.push(c);
}

/** Cases for one key: each valid value and each wrong one, written by `compose`. */
function keyCases(id: string, key: string, valid: string[], invalid: string[], compose: (value: string) => string): void {
  for (const [kind, values] of [
    ['valid', valid],
    ['invalid', invalid],
  ] as const) {
    for (const [i, value] of values.entries()) {
      add({ id: `${id}.${kind}${i ? i + 1 : ''}`, key, what: `${kind === 'valid' ? 'valid' : 'wrong'}: ${oneLine(value)}`, compose: compose(value) });
    }
  }
}

/** One service key: a valid value (compose-spec's form) and wrong ones. */
function serviceKey(key: string, valid: string[], invalid: string[] = [], top = ''): void {
  keyCases(`service.${key}`, `services.*.${key}`, valid, invalid, (value) => service(`${key}: ${value}`, top));
}

function oneLine(text: string): string {
  return text.replace(/\n\s*/g, ' ').trim();
}

const NET = 'networks:\n  backend: {}\n';

// ---- service keys ---------------------------------------------------------
serviceKey('annotations', ['{ a: b }']);
serviceKey('attach', ['false']);
serviceKey('blkio_config', ['{ weight: 300 }']);
serviceKey('build', ['.', '{ context: ., dockerfile: Dockerfile }'], ['{ context: ., no_cache: true }', '5']);
serviceKey('cap_add', ['[NET_ADMIN]'], ['NET_ADMIN']);
serviceKey('cap_drop', ['[ALL]'], ['{ a: b }']);
serviceKey('cgroup', ['host']);
serviceKey('cgroup_parent', ['m-executor'], ['[a]']);
serviceKey('cgroupns_mode', ['host'], ['[a]']);
serviceKey('command', ['["sleep", "1"]', 'sleep 1'], ['5', 'null']);
serviceKey('container_name', ['web'], ['[web]']);
serviceKey('cpu_count', ['2']);
serviceKey('cpu_percent', ['50']);
serviceKey('cpu_period', ['100000']);
serviceKey('cpu_quota', ['50000']);
serviceKey('cpu_rt_period', ['1000']);
serviceKey('cpu_rt_runtime', ['1000']);
serviceKey('cpu_shares', ['512']);
serviceKey('cpus', ['0.5'], ['half']);
serviceKey('cpuset', ['"0-1"']);
serviceKey('credential_spec', ['{ file: spec.json }'], ['{ nope: 1 }']);
serviceKey('depends_on', ['[db]', '{ db: { condition: service_started } }'], ['db'], '  db:\n    image: local/busybox:1\n');
serviceKey('develop', ['{ watch: [{ path: ./src, action: sync, target: /src }] }']);
serviceKey('device_cgroup_rules', ['["c 1:3 mr"]']);
serviceKey('devices', ['["/dev/null:/dev/null"]', '[{ source: /dev/null, target: /dev/null }]'], ['/dev/null']);
serviceKey('dns', ['8.8.8.8', '[8.8.8.8]'], ['{ a: b }']);
serviceKey('dns_opt', ['[use-vc]']);
serviceKey('dns_search', ['example.com'], ['5']);
serviceKey('domainname', ['example.com'], ['[a]']);
serviceKey('entrypoint', ['["sh", "-c"]', 'sh -c'], ['5', 'null']);
serviceKey('env_file', ['app.env', '[{ path: app.env, required: false }]'], ['5']);
serviceKey('environment', ['[A=1]', '{ A: "1" }', '{ A: 1 }', '{ A: null }'], ['{ A: true }', 'A=1']);
serviceKey('expose', ['["3000"]', '[3000]'], ['3000']);
serviceKey('extends', ['{ service: base }']);
serviceKey('external_links', ['[db:db]'], ['db']);
serviceKey('extra_hosts', ['["host:10.0.0.1"]', '{ host: 10.0.0.1 }'], ['{ host: true }']);
serviceKey('gpus', ['all']);
serviceKey('group_add', ['[audio]']);
serviceKey('healthcheck', ['{ test: ["CMD", "true"], interval: 30s, timeout: 5s, retries: 3, start_period: 10s }', '{ disable: true }'], ['true']);
serviceKey('hostname', ['web'], ['[web]']);
serviceKey('init', ['true'], ['"yes"']);
serviceKey('ipc', ['host'], ['5']);
serviceKey('isolation', ['default'], ['[a]']);
serviceKey('label_file', ['app.labels']);
serviceKey('labels', ['[a=b]', '{ a: b }', '{ a: 1 }'], ['{ traefik.enable: true }', 'a=b']);
serviceKey('links', ['[db]'], ['db']);
serviceKey('logging', ['{ driver: json-file, options: { max-size: 10m } }'], ['{ driver: json-file, nope: 1 }']);
serviceKey('mac_address', ['"02:42:ac:11:00:02"'], ['[a]']);
serviceKey('mem_limit', ['1g']);
serviceKey('mem_reservation', ['512m']);
serviceKey('mem_swappiness', ['10']);
serviceKey('memswap_limit', ['2g']);
serviceKey('models', ['[llm]']);
serviceKey('network_mode', ['host'], ['[a]']);
serviceKey('networks', ['[backend]', '{ backend: { aliases: [web] } }', '{ backend: null }'], ['backend', '{ backend: { nope: 1 } }'], NET);
serviceKey('oom_kill_disable', ['true']);
serviceKey('oom_score_adj', ['500']);
serviceKey('pid', ['host'], ['5']);
serviceKey('pids_limit', ['100']);
serviceKey('platform', ['linux/amd64']);
serviceKey('post_start', ['[{ command: ["true"] }]']);
serviceKey('pre_stop', ['[{ command: ["true"] }]']);
serviceKey('privileged', ['true'], ['"maybe"']);
serviceKey('profiles', ['[debug]']);
serviceKey('provider', ['{ type: model }']);
serviceKey('pull_policy', ['always']);
serviceKey('pull_refresh_after', ['daily']);
serviceKey('read_only', ['true'], ['"maybe"']);
serviceKey('restart', ['always'], ['[always]']);
serviceKey('runtime', ['runc']);
serviceKey('scale', ['2']);
serviceKey('security_opt', ['["label:disable"]'], ['label:disable']);
serviceKey('shm_size', ['64m', '67108864'], ['[64m]']);
serviceKey('stdin_open', ['true'], ['"maybe"']);
serviceKey('stop_grace_period', ['10s'], ['10', '"10 s"']);
serviceKey('stop_signal', ['SIGTERM'], ['[SIGTERM]']);
serviceKey('storage_opt', ['{ size: 1G }']);
serviceKey('sysctls', ['["net.core.somaxconn=1024"]', '{ net.core.somaxconn: 1024 }'], ['{ net.ipv4.ip_forward: true }']);
// Valid `tmpfs` values: see the dropped.* cases, which deploy them.
serviceKey('tmpfs', [], ['5']);
serviceKey('tty', ['true'], ['"maybe"']);
serviceKey('ulimits', ['{ nofile: { soft: 1024, hard: 2048 } }', '{ nproc: 512 }'], ['{ nofile: "many" }', '{ nofile: { soft: x } }']);
serviceKey('use_api_socket', ['true']);
serviceKey('user', ['"1000:1000"'], ['[a]']);
serviceKey('userns_mode', ['host'], ['[a]']);
serviceKey('uts', ['host']);
serviceKey('volumes_from', ['[other]']);
serviceKey('volume_driver', ['local']);
serviceKey('working_dir', ['/srv'], ['[a]']);
serviceKey('x-extension', ['{ anything: 1 }']);
serviceKey('imagee', ['x']);
keyCases('service.image', 'services.*.image', [IMAGE], [`[${IMAGE}]`, '5'], (value) => `version: "3.8"\nservices:\n  app:\n    image: ${value}\n`);

// ---- deploy ---------------------------------------------------------------
const deploy = (fragment: string) => `deploy:\n${fragment.replace(/^/gm, '  ')}`;
function deployKey(key: string, valid: string[], invalid: string[] = []): void {
  keyCases(`deploy.${key}`, `services.*.deploy.${key}`, valid, invalid, (value) => service(deploy(`${key}: ${value}`)));
}
deployKey('mode', ['replicated', 'global'], ['[global]']);
deployKey('replicas', ['2', '0'], ['two', '"2"', '-1', '1.5']);
deployKey('endpoint_mode', ['dnsrr'], ['[a]']);
deployKey('labels', ['[a=b]', '{ a: b }'], ['{ traefik.enable: true }']);
deployKey(
  'placement',
  ['{ constraints: [node.role == manager], preferences: [{ spread: node.id }], max_replicas_per_node: 1 }'],
  ['{ max_replicas_per_node: one }'],
);
deployKey(
  'resources',
  ['{ limits: { cpus: "0.5", memory: 512M, pids: 100 }, reservations: { cpus: "0.25", memory: 128M } }', '{ limits: { cpus: 0.5 } }'],
  ['{ limits: { memory: 1 gig } }', '{ reservations: { devices: [{ capabilities: [gpu] }] } }', '{ limits: { pids: many } }'],
);
deployKey('restart_policy', ['{ condition: on-failure, delay: 5s, max_attempts: 3, window: 120s }'], ['{ max_attempts: -1 }', '{ delay: 5 }']);
deployKey(
  'update_config',
  ['{ parallelism: 2, delay: 10s, failure_action: rollback, monitor: 30s, max_failure_ratio: 0.1, order: start-first }'],
  ['{ parallelism: two }', '{ order: sideways }'],
);
deployKey('rollback_config', ['{ parallelism: 1, order: stop-first }'], ['{ max_failure_ratio: lots }']);
deployKey('nope', [], ['1']);

// ---- healthcheck ----------------------------------------------------------
for (const [key, good, bad] of [
  ['interval', '30s', '30'],
  ['timeout', '5s', '"5 s"'],
  ['start_period', '1m', '1d'],
  ['start_interval', '5s', 'soon'],
  ['retries', '3', 'three'],
  ['disable', 'true', '"maybe"'],
] as const) {
  const base = key === 'disable' ? '' : 'test: ["CMD", "true"]\n  ';
  add({
    id: `healthcheck.${key}.valid`,
    key: `services.*.healthcheck.${key}`,
    what: `valid: ${good}`,
    compose: service(`healthcheck:\n  ${base}${key}: ${good}`),
  });
  add({
    id: `healthcheck.${key}.invalid`,
    key: `services.*.healthcheck.${key}`,
    what: `wrong: ${bad}`,
    compose: service(`healthcheck:\n  ${base}${key}: ${bad}`),
  });
}
add({
  id: 'healthcheck.retries.negative',
  key: 'services.*.healthcheck.retries',
  what: 'wrong: -1',
  compose: service('healthcheck:\n  test: ["CMD", "true"]\n  retries: -1'),
});

// ---- typed fields, written as ${V} -----------------------------------------
/** [path under the service, a value of the right type, a wrong one] */
const TYPED: [string, string, string][] = [
  ['deploy.replicas', '2', 'two'],
  ['deploy.update_config.parallelism', '2', 'two'],
  ['deploy.update_config.max_failure_ratio', '0.5', 'half'],
  ['deploy.rollback_config.parallelism', '2', 'two'],
  ['deploy.restart_policy.max_attempts', '3', 'three'],
  ['deploy.placement.max_replicas_per_node', '1', 'one'],
  ['deploy.resources.limits.cpus', '0.5', 'half'],
  ['deploy.resources.limits.pids', '100', 'many'],
  ['deploy.resources.limits.memory', '512M', '1 gig'],
  ['healthcheck.retries', '3', 'three'],
  ['healthcheck.interval', '30s', '30'],
  ['stop_grace_period', '10s', '10'],
  ['privileged', 'true', 'maybe'],
  ['read_only', 'true', 'maybe'],
  ['stdin_open', 'true', 'maybe'],
  ['tty', 'true', 'maybe'],
  ['init', 'true', 'maybe'],
  ['shm_size', '64m', 'big'],
  ['ulimits.nofile', '1024', 'many'],
  ['healthcheck.disable', 'true', 'maybe'],
];
function nested(path: string, value: string): string {
  const parts = path.split('.');
  return parts.map((p, i) => `${'  '.repeat(i)}${p}:${i === parts.length - 1 ? ` ${value}` : ''}`).join('\n');
}
for (const [path, good, bad] of TYPED) {
  const head = path.startsWith('healthcheck.') && !path.endsWith('disable') ? 'healthcheck:\n  test: ["CMD", "true"]\n' : '';
  const fragment = (value: string) => (head ? `${head}${nested(path, value).split('\n').slice(1).join('\n')}` : nested(path, value));
  add({
    id: `typed.${path}.interpolated-valid`,
    key: `services.*.${path}`,
    what: `\${V} with V=${good}`,
    compose: service(fragment('${V}')),
    env: { V: good },
  });
  add({ id: `typed.${path}.interpolated-wrong`, key: `services.*.${path}`, what: `\${V} with V=${bad}`, compose: service(fragment('${V}')), env: { V: bad } });
  add({ id: `typed.${path}.literal-wrong`, key: `services.*.${path}`, what: `literal ${bad}`, compose: service(fragment(bad)) });
}
add({
  id: 'typed.ports.published.interpolated',
  key: 'services.*.ports[].published',
  what: '${P} with P=8080',
  compose: service('ports:\n  - target: 80\n    published: ${P}\n    mode: host'),
  env: { P: '8080' },
});
add({
  id: 'typed.ports.published.interpolated-wrong',
  key: 'services.*.ports[].published',
  what: '${P} with P=eighty',
  compose: service('ports:\n  - target: 80\n    published: ${P}\n    mode: host'),
  env: { P: 'eighty' },
});
add({
  id: 'typed.configs.mode.interpolated',
  key: 'services.*.configs[].mode',
  what: '${M} with M=0440',
  compose: service('configs:\n  - source: c\n    mode: ${M}', 'configs:\n  c:\n    file: ./c.conf\n'),
  env: { M: '288' },
  files: { 'c.conf': 'x\n' },
});
add({
  id: 'typed.configs.mode.literal-wrong',
  key: 'services.*.configs[].mode',
  what: 'literal "0440"',
  compose: service('configs:\n  - source: c\n    mode: "0440"', 'configs:\n  c:\n    file: ./c.conf\n'),
  files: { 'c.conf': 'x\n' },
});
/** Typed fields that need more around them than one nested key: a valid and a wrong value, each as `${V}`. */
const TYPED_IN_CONTEXT: { id: string; key: string; good: string; bad: string; compose: (value: string) => string; files?: Record<string, string> }[] = [
  {
    id: 'ports.target',
    key: 'services.*.ports[].target',
    good: '80',
    bad: 'eighty',
    compose: (v) => service(`ports:\n  - target: ${v}\n    published: 8080\n    mode: host`),
  },
  {
    id: 'volumes.read_only',
    key: 'services.*.volumes[].read_only',
    good: 'true',
    bad: 'maybe',
    compose: (v) => service(`volumes:\n  - type: volume\n    source: data\n    target: /data\n    read_only: ${v}`, 'volumes:\n  data: {}\n'),
  },
  {
    id: 'volumes.volume.nocopy',
    key: 'services.*.volumes[].volume.nocopy',
    good: 'true',
    bad: 'maybe',
    compose: (v) => service(`volumes:\n  - type: volume\n    source: data\n    target: /data\n    volume:\n      nocopy: ${v}`, 'volumes:\n  data: {}\n'),
  },
  {
    id: 'ulimits.nofile.soft',
    key: 'services.*.ulimits.*.soft',
    good: '1024',
    bad: 'many',
    compose: (v) => service(`ulimits:\n  nofile:\n    soft: ${v}\n    hard: 2048`),
  },
  {
    id: 'oom_score_adj',
    key: 'services.*.oom_score_adj',
    good: '500',
    bad: 'high',
    compose: (v) => service(`oom_score_adj: ${v}`, '', null),
  },
  {
    id: 'secrets.mode',
    key: 'services.*.secrets[].mode',
    good: '288',
    bad: 'rw',
    compose: (v) => service(`secrets:\n  - source: s\n    mode: ${v}`, 'secrets:\n  s:\n    file: ./s.txt\n'),
    files: { 's.txt': 'secret\n' },
  },
  {
    id: 'networks.internal',
    key: 'networks.*.internal',
    good: 'true',
    bad: 'maybe',
    compose: (v) => service('networks: [x]', `networks:\n  x:\n    internal: ${v}\n`),
  },
  {
    id: 'networks.attachable',
    key: 'networks.*.attachable',
    good: 'true',
    bad: 'maybe',
    compose: (v) => service('networks: [x]', `networks:\n  x:\n    attachable: ${v}\n`),
  },
  {
    id: 'networks.external',
    key: 'networks.*.external',
    good: 'false',
    bad: 'maybe',
    compose: (v) => service('networks: [x]', `networks:\n  x:\n    external: ${v}\n`),
  },
];
for (const t of TYPED_IN_CONTEXT) {
  const files = t.files ? { files: t.files } : {};
  add({ id: `typed.${t.id}.interpolated-valid`, key: t.key, what: `\${V} with V=${t.good}`, compose: t.compose('${V}'), env: { V: t.good }, ...files });
  add({ id: `typed.${t.id}.interpolated-wrong`, key: t.key, what: `\${V} with V=${t.bad}`, compose: t.compose('${V}'), env: { V: t.bad }, ...files });
  add({ id: `typed.${t.id}.literal-wrong`, key: t.key, what: `literal ${t.bad}`, compose: t.compose(t.bad), ...files });
}
add({
  id: 'typed.unset.replicas',
  key: 'services.*.deploy.replicas',
  what: '${V} with V empty',
  compose: service('deploy:\n  replicas: ${V}'),
  env: { V: '' },
});

// ---- ports ----------------------------------------------------------------
const PORTS: [string, string][] = [
  ['80', 'container port only'],
  ['"8080:80"', 'published:target'],
  ['"8080:80/udp"', 'with protocol'],
  ['"8080:80/sctp"', 'sctp'],
  ['"8000-8002:8000-8002"', 'ranges'],
  ['"8000-8002:80"', 'a published range onto one port'],
  ['"127.0.0.1:8080:80"', 'host IP'],
  ['"127.0.0.1::80"', 'host IP, random published port'],
  ['"[::1]:8080:80"', 'IPv6 host IP'],
  ['"0.0.0.0:8080:80"', 'unspecified host IP'],
  ['"80:80:80:80"', 'too many parts'],
  ['"70000:80"', 'published out of range'],
  ['"8080:0"', 'target 0'],
  ['"8080:80/tcpx"', 'unknown protocol'],
  ['"8000-8002:80-81"', 'ranges of different sizes'],
  ['"a:80"', 'not a number'],
  ['"8080:"', 'empty target'],
  ['8080:80', 'unquoted (YAML 1.1 base-60 for small numbers)'],
  ['22:22', 'unquoted, base-60 in YAML 1.1'],
  ['"${P}:80"', 'interpolated published port'],
];
for (const [i, [value, what]] of PORTS.entries()) {
  add({
    id: `ports.short.${i + 1}`,
    key: 'services.*.ports[]',
    what: `${value} (${what})`,
    compose: service(`ports:\n  - ${value}`),
    ...(value.includes('${P}') ? { env: { P: '8080' } } : {}),
  });
}
const LONG_PORTS: [string, string][] = [
  ['{ target: 80, published: 8080, protocol: tcp, mode: host }', 'long syntax'],
  ['{ target: 80 }', 'target only'],
  ['{ target: 80, published: "8080" }', 'published as a string'],
  ['{ target: 80, host_ip: 127.0.0.1, published: 8080 }', 'host_ip'],
  ['{ target: 80, published: 8080, app_protocol: http }', 'app_protocol'],
  ['{ target: 80, published: 8080, name: web }', 'name'],
  ['{ target: 80, published: 8080, mode: bridge }', 'unknown mode'],
  ['{ target: 80, published: 8080-8081 }', 'published range'],
  ['{ target: "80" }', 'target as a string'],
  ['{ published: 8080 }', 'no target'],
  ['{ target: -1 }', 'negative target'],
];
for (const [i, [value, what]] of LONG_PORTS.entries()) {
  add({ id: `ports.long.${i + 1}`, key: 'services.*.ports[]', what: `${value} (${what})`, compose: service(`ports:\n  - ${value}`) });
}

// ---- service volumes ------------------------------------------------------
const VOLUMES: [string, string, string][] = [
  ['data:/data', 'named volume', 'volumes:\n  data: {}\n'],
  ['./data:/data:ro', 'bind, read-only', ''],
  ['/data', 'anonymous', ''],
  ['{ type: bind, source: ./data, target: /data, bind: { propagation: rprivate } }', 'long bind', ''],
  ['{ type: bind, target: /data }', 'bind without source', ''],
  ['{ type: volume, source: data, target: /data, volume: { nocopy: true } }', 'long volume', 'volumes:\n  data: {}\n'],
  ['{ type: tmpfs, target: /cache, tmpfs: { size: 1000000 } }', 'tmpfs mount with a size', ''],
  ['{ type: tmpfs, target: /cache, tmpfs: { size: 10m } }', 'tmpfs size with a unit', ''],
  ['{ type: tmpfs, target: /cache, tmpfs: { mode: 1777 } }', 'tmpfs mode', ''],
  ['{ type: volume, source: data, target: /data, tmpfs: { size: 1000 } }', 'tmpfs options on a volume', 'volumes:\n  data: {}\n'],
  ['{ type: bind, source: ./d, target: /d, consistency: cached }', 'consistency', ''],
  ['{ type: bind, source: ./d, target: /d, bind: { create_host_path: true } }', 'bind create_host_path', ''],
  ['{ type: volume, source: data, target: /data, volume: { subpath: x } }', 'volume subpath', 'volumes:\n  data: {}\n'],
  ['{ type: image, source: local/busybox:1, target: /img }', 'image mount', ''],
  ['{ type: npipe, source: x, target: /x }', 'npipe', ''],
  ['{ type: cluster, source: x, target: /x }', 'cluster', ''],
  ['{ type: sideways, target: /x }', 'unknown type', ''],
  ['{ type: volume, source: data, target: /data, read_only: maybe }', 'read_only not a boolean', 'volumes:\n  data: {}\n'],
];
for (const [i, [value, what, top]] of VOLUMES.entries()) {
  add({ id: `volumes.service.${i + 1}`, key: 'services.*.volumes[]', what: `${value} (${what})`, compose: service(`volumes:\n  - ${value}`, top) });
}

// ---- service secrets and configs ------------------------------------------
const SECRET_TOP = 'secrets:\n  s:\n    file: ./s.txt\n';
const CONFIG_TOP = 'configs:\n  c:\n    file: ./c.conf\n';
const objectFiles = { 's.txt': 'secret\n', 'c.conf': 'config\n' };
for (const [kind, top] of [
  ['secrets', SECRET_TOP],
  ['configs', CONFIG_TOP],
] as const) {
  const name = kind === 'secrets' ? 's' : 'c';
  const items: [string, string][] = [
    [`[${name}]`, 'short'],
    [`[{ source: ${name}, target: /x, uid: "0", gid: "0", mode: 0440 }]`, 'long'],
    [`[{ source: ${name}, mode: "0440" }]`, 'mode as a string'],
    [`[{ source: ${name}, nope: 1 }]`, 'unknown key'],
    [`${name}`, 'not a list'],
  ];
  for (const [i, [value, what]] of items.entries()) {
    add({
      id: `${kind}.service.${i + 1}`,
      key: `services.*.${kind}[]`,
      what: `${value} (${what})`,
      compose: service(`${kind}: ${value}`, top),
      files: objectFiles,
    });
  }
}

// ---- top-level objects ----------------------------------------------------
/** A top-level object of `kind` named `x` with `fragment`, used by app so it is no unused object. */
function topObject(kind: 'networks' | 'volumes' | 'secrets' | 'configs', fragment: string): string {
  const use =
    kind === 'networks'
      ? 'networks: [x]'
      : kind === 'volumes'
        ? 'volumes: ["x:/x"]'
        : kind === 'secrets'
          ? 'secrets: [x]'
          : 'configs: [{ source: x, target: /x }]';
  const body = fragment ? `\n${fragment.replace(/^/gm, '    ')}` : ' {}';
  return service(use, `${kind}:\n  x:${body}\n`);
}
function topKey(kind: 'networks' | 'volumes' | 'secrets' | 'configs', name: string, fragment: string, what: string): void {
  add({
    id: `${kind}.${name}`,
    key: `${kind}.*`,
    what,
    compose: topObject(kind, fragment),
    files: { 'x.txt': 'x\n' },
  });
}
// networks
topKey('networks', 'empty', '', 'empty definition');
topKey('networks', 'driver', 'driver: overlay', 'driver');
topKey('networks', 'driver-opts', 'driver_opts:\n  com.docker.network.driver.mtu: 1450', 'driver_opts');
topKey('networks', 'driver-opts-bool', 'driver_opts:\n  encrypted: true', 'driver_opts value a boolean');
topKey('networks', 'attachable', 'attachable: true', 'attachable');
topKey('networks', 'attachable-wrong', 'attachable: "maybe"', 'attachable not a boolean');
topKey('networks', 'internal', 'internal: true', 'internal');
topKey('networks', 'labels', 'labels:\n  a: b', 'labels');
topKey('networks', 'labels-bool', 'labels:\n  a: true', 'labels value a boolean');
topKey('networks', 'name', 'name: my-net', 'name');
topKey('networks', 'name-wrong', 'name: [a]', 'name not a string');
topKey('networks', 'driver-wrong', 'driver: [overlay]', 'driver not a string');
topKey('networks', 'ipam-subnet-wrong', 'ipam:\n  config:\n    - subnet: [10.5.0.0/16]', 'ipam subnet not a string');
topKey('networks', 'external', 'external: true', 'external');
topKey('networks', 'external-string', 'external: "true"', 'external as a string');
topKey('networks', 'external-name', 'external:\n  name: other', 'external.name (deprecated)');
topKey('networks', 'external-name-and-name', 'name: a\nexternal:\n  name: b', 'name and external.name');
topKey('networks', 'external-and-driver', 'external: true\ndriver: overlay', 'external with driver');
topKey('networks', 'external-and-labels', 'external: true\nlabels:\n  a: b', 'external with labels');
topKey('networks', 'external-and-driver-opts', 'external: true\ndriver_opts:\n  a: b', 'external with driver_opts');
topKey('networks', 'external-and-internal', 'external: true\ninternal: true', 'external with internal');
topKey('networks', 'ipam', 'ipam:\n  driver: default\n  config:\n    - subnet: 10.5.0.0/16', 'ipam');
topKey('networks', 'ipam-gateway', 'ipam:\n  config:\n    - subnet: 10.5.0.0/16\n      gateway: 10.5.0.1', 'ipam gateway');
topKey('networks', 'ipam-options', 'ipam:\n  options:\n    a: b', 'ipam options');
topKey('networks', 'enable-ipv6', 'enable_ipv6: true', 'enable_ipv6');
topKey('networks', 'enable-ipv4', 'enable_ipv4: true', 'enable_ipv4');
topKey('networks', 'unknown', 'nope: 1', 'unknown key');
topKey('networks', 'x-ext', 'x-note: hi', 'x- extension');
// volumes
topKey('volumes', 'empty', '', 'empty definition');
topKey('volumes', 'driver', 'driver: local', 'driver');
topKey('volumes', 'driver-opts', 'driver_opts:\n  type: tmpfs\n  device: tmpfs', 'driver_opts');
topKey('volumes', 'driver-opts-number', 'driver_opts:\n  size: 100', 'driver_opts value a number');
topKey('volumes', 'labels', 'labels:\n  a: b', 'labels');
topKey('volumes', 'labels-bool', 'labels:\n  a: false', 'labels value a boolean');
topKey('volumes', 'name', 'name: my-vol', 'name');
topKey('volumes', 'name-wrong', 'name: [a]', 'name not a string');
topKey('volumes', 'driver-opts-list', 'driver_opts: [a]', 'driver_opts a list');
topKey('volumes', 'external', 'external: true', 'external');
topKey('volumes', 'external-name', 'external:\n  name: other', 'external.name (deprecated)');
topKey('volumes', 'external-name-and-name', 'name: a\nexternal:\n  name: b', 'name and external.name');
topKey('volumes', 'external-and-driver', 'external: true\ndriver: local', 'external with driver');
topKey('volumes', 'external-and-driver-opts', 'external: true\ndriver_opts:\n  a: b', 'external with driver_opts');
topKey('volumes', 'external-and-labels', 'external: true\nlabels:\n  a: b', 'external with labels');
topKey('volumes', 'unknown', 'nope: 1', 'unknown key');
topKey('volumes', 'cluster-spec', 'x-cluster-spec:\n  group: g', 'x-cluster-spec');
// secrets
topKey('secrets', 'file', 'file: ./x.txt', 'file');
topKey('secrets', 'file-wrong', 'file: [./x.txt]', 'file not a string');
topKey('secrets', 'external-wrong', 'external: maybe', 'external not a boolean');
topKey('secrets', 'external-and-file', 'external: true\nfile: ./x.txt', 'external with file');
topKey('secrets', 'external', 'external: true', 'external');
topKey('secrets', 'name', 'name: my-secret\nexternal: true', 'name, external');
topKey('secrets', 'external-name', 'external:\n  name: other', 'external.name (deprecated)');
topKey('secrets', 'external-name-and-name', 'name: a\nexternal:\n  name: b', 'name and external.name');
topKey('secrets', 'labels', 'file: ./x.txt\nlabels:\n  a: b', 'labels');
topKey('secrets', 'labels-bool', 'file: ./x.txt\nlabels:\n  a: true', 'labels value a boolean');
topKey('secrets', 'driver', 'driver: my-driver', 'driver');
topKey('secrets', 'driver-and-file', 'driver: my-driver\nfile: ./x.txt', 'driver and file');
topKey('secrets', 'template-driver', 'file: ./x.txt\ntemplate_driver: golang', 'template_driver');
topKey('secrets', 'environment', 'environment: X', 'environment');
topKey('secrets', 'unknown', 'file: ./x.txt\nnope: 1', 'unknown key');
// configs
topKey('configs', 'file', 'file: ./x.txt', 'file');
topKey('configs', 'file-wrong', 'file: [./x.txt]', 'file not a string');
topKey('configs', 'template-driver-wrong', 'file: ./x.txt\ntemplate_driver: [golang]', 'template_driver not a string');
topKey('configs', 'external', 'external: true', 'external');
topKey('configs', 'name', 'name: my-config\nfile: ./x.txt', 'name');
topKey('configs', 'external-name', 'external:\n  name: other', 'external.name (deprecated)');
topKey('configs', 'external-name-and-name', 'name: a\nexternal:\n  name: b', 'name and external.name');
topKey('configs', 'external-and-file', 'external: true\nfile: ./x.txt', 'external with file');
topKey('configs', 'labels', 'file: ./x.txt\nlabels:\n  a: 1', 'labels');
topKey('configs', 'labels-bool', 'file: ./x.txt\nlabels:\n  a: true', 'labels value a boolean');
topKey('configs', 'template-driver', 'file: ./x.txt\ntemplate_driver: golang', 'template_driver');
topKey('configs', 'content', 'content: hello', 'content');
topKey('configs', 'environment', 'environment: X', 'environment');
topKey('configs', 'driver', 'driver: my-driver', 'driver');
topKey('configs', 'unknown', 'file: ./x.txt\nnope: 1', 'unknown key');

// ---- top level ------------------------------------------------------------
add({ id: 'top.name', key: 'name', what: 'top-level name', compose: `name: demo\n${service('')}` });
add({ id: 'top.include', key: 'include', what: 'include', compose: `${service('')}include:\n  - other.yml\n` });
add({ id: 'top.x-extension', key: 'x-*', what: 'x- extension', compose: `${service('')}x-defaults:\n  a: 1\n` });
add({ id: 'top.unknown', key: '(root)', what: 'unknown key', compose: `${service('')}nope: 1\n` });
add({ id: 'top.services-list', key: 'services', what: 'services as a list', compose: 'version: "3.8"\nservices:\n  - app\n' });
add({ id: 'top.service-name', key: 'services.*', what: 'service name with a space', compose: `version: "3.8"\nservices:\n  "my app":\n    image: ${IMAGE}\n` });

// ---- version --------------------------------------------------------------
for (const version of [
  '1.0',
  '2',
  '2.1',
  '2.4',
  '3',
  '3.0',
  '3.1',
  '3.2',
  '3.3',
  '3.4',
  '3.5',
  '3.6',
  '3.7',
  '3.8',
  '3.9',
  '3.10',
  '3.11',
  '3.12',
  '3.13',
  '3.14',
  '4',
]) {
  add({ id: `version.${version}`, key: 'version', what: `"${version}"`, compose: service('', '', version) });
}
add({ id: 'version.number', key: 'version', what: '3.8 as a number', compose: `version: 3.8\nservices:\n  app:\n    image: ${IMAGE}\n` });
add({ id: 'version.missing', key: 'version', what: 'no version', compose: service('', '', null) });
add({
  id: 'version.configs-before-3.3',
  key: 'configs',
  what: 'configs in a "3.2" file',
  compose: service('configs: [c]', CONFIG_TOP, '3.2'),
  files: objectFiles,
});
add({ id: 'version.init-before-3.7', key: 'services.*.init', what: 'init in a "3.6" file', compose: service('init: true', '', '3.6') });
add({
  id: 'version.oom-score-adj-3.13',
  key: 'services.*.oom_score_adj',
  what: 'oom_score_adj with no version (latest)',
  compose: service('oom_score_adj: 500', '', null),
});
add({
  id: 'version.start-interval-latest',
  key: 'services.*.healthcheck.start_interval',
  what: 'start_interval with no version (latest)',
  compose: service('healthcheck:\n  test: ["CMD", "true"]\n  start_interval: 5s', '', null),
});

// ---- interpolation ----------------------------------------------------------
const INTERPOLATION: [string, string, string | undefined][] = [
  ['${A}', 'plain', 'a'],
  ['${U:-d}', 'default when empty', 'd'],
  ['${E-d}', 'default only when unset', ''],
  ['${N-d}', 'default when unset', 'd'],
  ['${A:+x}', 'alternative (compose-spec only)', 'x'],
  ['${A+x}', 'alternative when set (compose-spec only)', 'x'],
  ['${A:-${B}}', 'nested default, A set', 'a'],
  ['${E:-${B}}', 'nested default, A empty', 'b'],
  ['$A-x', 'unbraced name followed by -', 'a-x'],
  ['${U:?must be set}', 'required, empty', undefined],
  ['${A:?must be set}', 'required, set', 'a'],
  ['$$A', 'escaped', '$A'],
  ['cost: 5$', 'lone $', undefined],
  ['${A:+x} ${B}', 'an invalid form followed by a valid one', 'x b'],
];
for (const [i, [value, what, composeValue]] of INTERPOLATION.entries()) {
  const c: SwarmCase = {
    id: `interpolation.${i + 1}`,
    key: 'services.*.environment.*',
    what: `${value} (${what})`,
    compose: service(`environment:\n  V: "${value}"`),
    env: { A: 'a', B: 'b', E: '', U: '' },
  };
  if (composeValue !== undefined) c.composeValue = composeValue;
  add(c);
}
add({
  id: 'interpolation.key',
  key: 'services.*.labels.<key>',
  what: 'a ${VAR} in a label key stays literal',
  compose: service('labels:\n  traefik.http.routers.${A}.rule: x'),
  env: { A: 'a' },
});

// ---- references and cross-field (only a deploy converts them) ----------------
const keepsService = { kept: () => true };
add({ id: 'reference.network', key: 'services.*.networks', what: 'undefined network', compose: service('networks: [missing]'), deploy: keepsService });
add({ id: 'reference.volume', key: 'services.*.volumes', what: 'undefined volume', compose: service('volumes: ["missing:/data"]'), deploy: keepsService });
add({ id: 'reference.secret', key: 'services.*.secrets', what: 'undefined secret', compose: service('secrets: [missing]'), deploy: keepsService });
add({ id: 'reference.config', key: 'services.*.configs', what: 'undefined config', compose: service('configs: [missing]'), deploy: keepsService });
add({
  id: 'reference.global-replicas',
  key: 'services.*.deploy',
  what: 'mode: global with replicas',
  compose: service('deploy:\n  mode: global\n  replicas: 2'),
  deploy: keepsService,
});
add({
  id: 'reference.tmpfs-on-volume',
  key: 'services.*.volumes[].tmpfs',
  what: 'tmpfs options on a volume mount',
  compose: service('volumes:\n  - type: volume\n    source: data\n    target: /data\n    tmpfs:\n      size: 1000', 'volumes:\n  data: {}\n'),
  deploy: keepsService,
});

// ---- dropped at deploy -------------------------------------------------------
// Deployed with no task (replicas: 0): `docker service inspect` shows the spec, and removal is quick.
const idle = (fragment: string, top = '') => service(`${fragment}\ndeploy:\n  replicas: 0`, top);
const hasMount = (target: string) => (s: ServiceSpec) => (s.Spec.TaskTemplate.ContainerSpec.Mounts ?? []).some((m) => m.Target === target);
add({
  id: 'dropped.tmpfs',
  key: 'services.*.tmpfs',
  what: 'tmpfs: /tmp (with read_only)',
  compose: idle('read_only: true\ntmpfs: /tmp'),
  deploy: { kept: hasMount('/tmp') },
});
add({ id: 'dropped.tmpfs-list', key: 'services.*.tmpfs', what: 'tmpfs: [/run]', compose: idle('tmpfs:\n  - /run'), deploy: { kept: hasMount('/run') } });
add({
  id: 'dropped.tmpfs-mount',
  key: 'services.*.volumes[]',
  what: 'a tmpfs mount (type: tmpfs)',
  compose: idle('volumes:\n  - type: tmpfs\n    target: /cache'),
  deploy: { kept: hasMount('/cache') },
});
add({
  id: 'dropped.host-ip',
  key: 'services.*.ports[]',
  what: '"127.0.0.1::80" (loopback only, a port swarm picks)',
  compose: idle('ports:\n  - "127.0.0.1::80"'),
  // Kept if the service's spec carries the address anywhere (a swarm port has no field for it).
  deploy: { kept: (s) => JSON.stringify(s).includes('127.0.0.1') },
});
add({
  id: 'dropped.aliases',
  key: 'services.*.networks.*.aliases',
  what: 'network aliases',
  compose: idle('networks:\n  backend:\n    aliases: [web]', NET),
  deploy: { kept: (s) => (s.Spec.TaskTemplate.Networks ?? []).some((n) => (n.Aliases ?? []).includes('web')) },
});
add({
  id: 'dropped.ipv4-address',
  key: 'services.*.networks.*.ipv4_address',
  what: 'a fixed IPv4 address',
  compose: idle(`networks:\n  backend:\n    ipv4_address: ${SUBNET}.5`, `networks:\n  backend:\n    ipam:\n      config:\n        - subnet: ${SUBNET}.0/24\n`),
  // Kept if the service's spec carries the address anywhere (its network attachment has no field for it).
  deploy: { kept: (s) => JSON.stringify(s).includes(`${SUBNET}.5`) },
});
add({
  id: 'dropped.healthcheck',
  key: 'services.*.healthcheck',
  what: 'a healthcheck is kept',
  compose: idle('healthcheck:\n  test: ["CMD", "true"]\n  interval: 30s'),
  deploy: { kept: (s) => s.Spec.TaskTemplate.ContainerSpec.Healthcheck !== undefined },
});

export const CASES: readonly SwarmCase[] = out;
