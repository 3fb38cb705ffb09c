import { get, isMap, isScalar, isSeq, type PortRange, parsePortMapping, parsePortRange, scalarString, services, type YNode } from '@galley/recipe';

/** A published port (or range) of a service, with the node that publishes it. */
export interface PublishedPort {
  service: string;
  hostIp?: string;
  range: PortRange;
  protocol: string;
  node: YNode;
}

/** The published ports of every service of a tree (entries that cannot be read are left out). */
export function publishedPorts(root: YNode | null | undefined): PublishedPort[] {
  const out: PublishedPort[] = [];
  for (const service of services(root)) {
    const ports = get(service.node, 'ports');
    if (!isSeq(ports)) continue;
    for (const item of ports.items) {
      const port = publishedPort(service.name, item);
      if (port) out.push(port);
    }
  }
  return out;
}

function publishedPort(service: string, item: YNode): PublishedPort | undefined {
  if (isScalar(item)) {
    if (item.value === null) return undefined;
    const parsed = parsePortMapping(String(item.value));
    if (!parsed.ok || !parsed.port.published) return undefined;
    const out: PublishedPort = { service, range: parsed.port.published, protocol: parsed.port.protocol.toLowerCase(), node: item };
    if (parsed.port.hostIp !== undefined) out.hostIp = parsed.port.hostIp;
    return out;
  }
  if (!isMap(item)) return undefined;
  const publishedNode = get(item, 'published');
  const published = scalarString(publishedNode);
  if (published === undefined || published === '') return undefined;
  const range = parsePortRange(published, 'published port');
  if (!range.ok) return undefined;
  const out: PublishedPort = {
    service,
    range: range.range,
    protocol: (scalarString(get(item, 'protocol')) ?? 'tcp').toLowerCase(),
    node: publishedNode!,
  };
  const hostIp = scalarString(get(item, 'host_ip'));
  if (hostIp) out.hostIp = hostIp;
  return out;
}

const ANY_ADDRESS = new Set(['', '0.0.0.0', '::', '[::]']);

/** Whether two published ports claim the same host port (on a swarm, host addresses are ignored: every port is on every interface). */
export function portsClash(a: PublishedPort, b: PublishedPort, swarm = false): boolean {
  if (a.protocol !== b.protocol) return false;
  if (a.range.end < b.range.start || b.range.end < a.range.start) return false;
  if (swarm) return true;
  const ipA = a.hostIp ?? '';
  const ipB = b.hostIp ?? '';
  return ANY_ADDRESS.has(ipA) || ANY_ADDRESS.has(ipB) || ipA === ipB;
}

export function formatRange(range: PortRange): string {
  return range.start === range.end ? String(range.start) : `${range.start}-${range.end}`;
}
