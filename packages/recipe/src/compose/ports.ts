import { isIP } from 'node:net';

/**
 * The short port syntax of compose files as Docker's Go code reads it
 * (`nat.ParsePortSpec`): `[ip:][published:]target[/protocol]`, ranges
 * included. Returns a reason when the text is not valid, never throws. Used
 * by the merge of overlays (ports are merged by what they publish) and by
 * the port rules.
 */

export interface PortRange {
  start: number;
  end: number;
}

export type PortPartResult = { ok: true; range: PortRange } | { ok: false; reason: string };

/** `8080` or `8000-8010`, each 1–65535 (0 allowed for `allowZero`). */
export function parsePortRange(text: string, what: string, allowZero = false): PortPartResult {
  const m = /^(\d+)(?:-(\d+))?$/.exec(text);
  if (!m) return { ok: false, reason: `${what} "${text}" is not a port number or a range like 8000-8010` };
  const start = Number(m[1]);
  const end = m[2] === undefined ? start : Number(m[2]);
  const low = allowZero ? 0 : 1;
  for (const n of [start, end]) {
    if (n < low || n > 65535) return { ok: false, reason: `${what} ${n} is out of range (${low}–65535)` };
  }
  if (end < start) return { ok: false, reason: `${what} range ${text} ends before it starts` };
  return { ok: true, range: { start, end } };
}

export interface ParsedPort {
  hostIp?: string;
  published?: PortRange;
  target: PortRange;
  protocol: string;
}

export type PortResult = { ok: true; port: ParsedPort } | { ok: false; reason: string };

const PROTOCOLS = new Set(['tcp', 'udp', 'sctp']);

/** Validates the short syntax `[ip:][published:]target[/protocol]`; `allowZeroTarget`: container port 0 passes (swarm takes it). */
export function parsePortMapping(spec: string, options: { allowZeroTarget?: boolean } = {}): PortResult {
  if (spec === '') return { ok: false, reason: 'the mapping is empty' };
  if (/\s/.test(spec)) return { ok: false, reason: 'a port mapping has no spaces' };
  let rest = spec;
  let protocol = 'tcp';
  const slash = rest.lastIndexOf('/');
  if (slash !== -1) {
    protocol = rest.slice(slash + 1);
    rest = rest.slice(0, slash);
    if (!PROTOCOLS.has(protocol.toLowerCase())) return { ok: false, reason: `protocol "${protocol}" is none of tcp, udp, sctp` };
  }
  let hostIp: string | undefined;
  const bracket = /^\[([^\]]*)\]:(.*)$/.exec(rest);
  if (bracket) {
    hostIp = bracket[1]!;
    rest = bracket[2]!;
  } else {
    const colons = rest.split(':').length - 1;
    if (colons >= 2) {
      const last = rest.lastIndexOf(':');
      const secondLast = rest.lastIndexOf(':', last - 1);
      hostIp = rest.slice(0, secondLast);
      rest = rest.slice(secondLast + 1);
    }
  }
  if (hostIp !== undefined && !isIpAddress(hostIp)) return { ok: false, reason: `host address "${hostIp}" is not an IP address` };
  const parts = rest.split(':');
  const targetText = parts[parts.length - 1]!;
  const publishedText = parts.length === 2 ? parts[0]! : undefined;
  if (targetText === '') return { ok: false, reason: 'the container port is empty' };
  const target = parsePortRange(targetText, 'container port', options.allowZeroTarget);
  if (!target.ok) return target;
  const port: ParsedPort = { target: target.range, protocol };
  if (hostIp !== undefined) port.hostIp = hostIp;
  if (publishedText !== undefined) {
    if (publishedText === '') {
      if (hostIp === undefined) return { ok: false, reason: 'the published port before ":" is empty' };
    } else {
      const published = parsePortRange(publishedText, 'published port');
      if (!published.ok) return published;
      const targetSize = target.range.end - target.range.start;
      const publishedSize = published.range.end - published.range.start;
      if (targetSize !== 0 && targetSize !== publishedSize) {
        return { ok: false, reason: `published range ${publishedText} and container range ${targetText} differ in size` };
      }
      port.published = published.range;
    }
  }
  return { ok: true, port };
}

/** An IPv4 or IPv6 address (as Go's net.ParseIP reads them; an IPv6 zone is allowed). */
export function isIpAddress(text: string): boolean {
  return isIP(text.replace(/%\w+$/, '')) !== 0;
}
