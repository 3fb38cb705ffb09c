/**
 * What `docker stack deploy` does with service keys of a compose file, by
 * Docker CLI version. Source: docker/cli `cli/compose/types/types.go`
 * (`UnsupportedProperties`, `DeprecatedProperties`, `ForbiddenProperties`)
 * across releases. The lists change between versions, so every entry carries
 * the range of Docker versions it applies to; the rules pick the entries for
 * the configured version.
 *
 * - `ignored`: printed as "Ignoring unsupported options" and dropped;
 * - `deprecated`: printed as "Ignoring deprecated options" and dropped;
 * - `forbidden`: the deploy is refused ("Configuration contains forbidden properties").
 */

export type KeyTreatment = 'ignored' | 'deprecated' | 'forbidden';

export interface ServiceKeyEntry {
  key: string;
  treatment: KeyTreatment;
  /** First Docker version (major.minor) the treatment applies to. */
  since: string;
  /** Last Docker version it applies to; absent: still applies. */
  until?: string;
  /** What Docker says, or what to use instead. */
  advice: string;
  /** Whether deleting the key changes nothing for a swarm deploy (so `--fix` may do it). */
  removable: boolean;
}

export const SERVICE_KEYS: ServiceKeyEntry[] = [
  { key: 'build', treatment: 'ignored', since: '1.13', advice: 'swarm cannot build; publish the image and set `image`', removable: true },
  { key: 'cap_add', treatment: 'ignored', since: '1.13', until: '19.03', advice: 'swarm supports capabilities from Docker 20.10', removable: false },
  { key: 'cap_drop', treatment: 'ignored', since: '1.13', until: '19.03', advice: 'swarm supports capabilities from Docker 20.10', removable: false },
  { key: 'cgroupns_mode', treatment: 'ignored', since: '20.10', advice: 'swarm services cannot choose a cgroup namespace', removable: true },
  { key: 'cgroup_parent', treatment: 'ignored', since: '1.13', advice: 'swarm services cannot choose a parent cgroup', removable: true },
  {
    key: 'devices',
    treatment: 'ignored',
    since: '1.13',
    advice: 'swarm services cannot map devices; bind-mount the device node if the app allows it',
    removable: true,
  },
  { key: 'dns', treatment: 'ignored', since: '1.13', until: '17.03', advice: 'supported by swarm from Docker 17.04', removable: false },
  { key: 'dns_search', treatment: 'ignored', since: '1.13', until: '17.03', advice: 'supported by swarm from Docker 17.04', removable: false },
  { key: 'domainname', treatment: 'ignored', since: '1.13', advice: 'swarm services cannot set a domain name', removable: true },
  { key: 'external_links', treatment: 'ignored', since: '1.13', advice: "join the other stack's network (external) and use its service name", removable: true },
  { key: 'ipc', treatment: 'ignored', since: '1.13', advice: 'swarm services cannot share an IPC namespace', removable: true },
  { key: 'links', treatment: 'ignored', since: '1.13', advice: 'services on a shared network reach each other by service name', removable: true },
  { key: 'mac_address', treatment: 'ignored', since: '1.13', advice: 'swarm assigns MAC addresses', removable: true },
  {
    key: 'network_mode',
    treatment: 'ignored',
    since: '1.13',
    advice: 'join networks with `networks`; for host networking join the external `host` network',
    removable: true,
  },
  { key: 'pid', treatment: 'ignored', since: '17.12', advice: 'swarm services cannot share a PID namespace', removable: true },
  {
    key: 'privileged',
    treatment: 'ignored',
    since: '1.13',
    advice: 'swarm services cannot run privileged; grant capabilities with `cap_add` (Docker 20.10+)',
    removable: true,
  },
  { key: 'read_only', treatment: 'ignored', since: '1.13', until: '17.03', advice: 'supported by swarm from Docker 17.04', removable: false },
  { key: 'restart', treatment: 'ignored', since: '1.13', advice: 'use `deploy.restart_policy`', removable: true },
  { key: 'security_opt', treatment: 'ignored', since: '1.13', advice: 'swarm services cannot set security options', removable: true },
  { key: 'shm_size', treatment: 'ignored', since: '1.13', advice: 'mount a tmpfs volume at /dev/shm instead', removable: true },
  { key: 'stop_signal', treatment: 'ignored', since: '1.13', until: '17.03', advice: 'supported by swarm from Docker 17.04', removable: false },
  { key: 'sysctls', treatment: 'ignored', since: '17.06', until: '18.09', advice: 'supported by swarm from Docker 19.03', removable: false },
  { key: 'ulimits', treatment: 'ignored', since: '18.06', until: '19.03', advice: 'supported by swarm from Docker 20.10', removable: false },
  { key: 'userns_mode', treatment: 'ignored', since: '17.06', advice: 'swarm services cannot choose a user namespace', removable: true },
  {
    key: 'container_name',
    treatment: 'deprecated',
    since: '1.13',
    advice: 'swarm names containers itself (`<stack>_<service>.<slot>.<id>`); other services reach it by service name',
    removable: true,
  },
  { key: 'expose', treatment: 'deprecated', since: '1.13', advice: 'services on the same network reach each other on any port', removable: true },
  { key: 'extends', treatment: 'forbidden', since: '1.13', advice: 'support for `extends` is not implemented; use YAML anchors or overlays', removable: false },
  { key: 'volume_driver', treatment: 'forbidden', since: '1.13', advice: 'set the driver on the volume under top-level `volumes`', removable: false },
  {
    key: 'volumes_from',
    treatment: 'forbidden',
    since: '1.13',
    advice: 'declare a top-level volume and mount it in each service that shares it',
    removable: false,
  },
  { key: 'cpu_quota', treatment: 'forbidden', since: '1.13', advice: 'set `deploy.resources.limits.cpus`', removable: false },
  { key: 'cpu_shares', treatment: 'forbidden', since: '1.13', advice: 'set `deploy.resources.reservations.cpus`', removable: false },
  { key: 'cpuset', treatment: 'forbidden', since: '1.13', advice: 'set `deploy.resources.limits.cpus`', removable: false },
  { key: 'mem_limit', treatment: 'forbidden', since: '1.13', advice: 'set `deploy.resources.limits.memory`', removable: false },
  { key: 'memswap_limit', treatment: 'forbidden', since: '1.13', advice: 'set `deploy.resources.limits.memory` (swarm has no swap limit)', removable: false },
];

/** Compares `major.minor` versions. */
export function compareDockerVersions(a: string, b: string): number {
  const [am = 0, an = 0] = a.split('.').map(Number);
  const [bm = 0, bn = 0] = b.split('.').map(Number);
  return am - bm || an - bn;
}

/** The entries of one treatment that apply to a Docker version. */
export function serviceKeysFor(treatment: KeyTreatment, dockerVersion: string): Map<string, ServiceKeyEntry> {
  const out = new Map<string, ServiceKeyEntry>();
  for (const entry of SERVICE_KEYS) {
    if (entry.treatment !== treatment) continue;
    if (compareDockerVersions(dockerVersion, entry.since) < 0) continue;
    if (entry.until !== undefined && compareDockerVersions(dockerVersion, entry.until) > 0) continue;
    out.set(entry.key, entry);
  }
  return out;
}
