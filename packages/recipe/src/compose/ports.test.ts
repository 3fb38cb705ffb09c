import { describe, expect, it } from '@jest/globals';
import { isIpAddress, parsePortMapping, parsePortRange } from './ports.js';

describe('parsePortMapping: the short port syntax as docker reads it', () => {
  it.each([
    ['80', { target: { start: 80, end: 80 }, protocol: 'tcp' }],
    ['8080:80', { published: { start: 8080, end: 8080 }, target: { start: 80, end: 80 }, protocol: 'tcp' }],
    ['127.0.0.1:8080:80', { hostIp: '127.0.0.1', published: { start: 8080, end: 8080 }, target: { start: 80, end: 80 }, protocol: 'tcp' }],
    ['53:53/udp', { published: { start: 53, end: 53 }, target: { start: 53, end: 53 }, protocol: 'udp' }],
    ['127.0.0.1::80', { hostIp: '127.0.0.1', target: { start: 80, end: 80 }, protocol: 'tcp' }],
    ['[::1]:8080:80', { hostIp: '::1', published: { start: 8080, end: 8080 }, target: { start: 80, end: 80 }, protocol: 'tcp' }],
    ['::1:8080:80', { hostIp: '::1', published: { start: 8080, end: 8080 }, target: { start: 80, end: 80 }, protocol: 'tcp' }],
    ['9000-9010:9000-9010', { published: { start: 9000, end: 9010 }, target: { start: 9000, end: 9010 }, protocol: 'tcp' }],
    ['9000-9010:80', { published: { start: 9000, end: 9010 }, target: { start: 80, end: 80 }, protocol: 'tcp' }],
  ])('%s', (spec, port) => {
    expect(parsePortMapping(spec)).toEqual({ ok: true, port });
  });

  it.each([
    ['', 'the mapping is empty'],
    ['80 :80', 'a port mapping has no spaces'],
    ['80/http', 'protocol "http" is none of tcp, udp, sctp'],
    ['80:80:80:80', 'host address "80:80" is not an IP address'],
    ['8080:', 'the container port is empty'],
    [':80', 'the published port before ":" is empty'],
    ['8080:0', 'container port 0 is out of range (1–65535)'],
    ['70000', 'container port 70000 is out of range (1–65535)'],
    ['9000-9002:80-81', 'published range 9000-9002 and container range 80-81 differ in size'],
    ['81-80', 'container port range 81-80 ends before it starts'],
    ['http', 'container port "http" is not a port number or a range like 8000-8010'],
  ])('%j: %s', (spec, reason) => {
    expect(parsePortMapping(spec)).toEqual({ ok: false, reason });
  });

  it('takes container port 0 where swarm does', () => {
    expect(parsePortMapping('8080:0', { allowZeroTarget: true })).toMatchObject({ ok: true, port: { target: { start: 0, end: 0 } } });
    expect(parsePortRange('0', 'target', true)).toEqual({ ok: true, range: { start: 0, end: 0 } });
  });

  it('reads IP addresses as Go does, an IPv6 zone included', () => {
    expect([isIpAddress('10.0.0.2'), isIpAddress('fe80::1%eth0'), isIpAddress('localhost'), isIpAddress('300.1.1.1')]).toEqual([true, true, false, false]);
  });
});
