import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { Docker } from './docker.js';
import { classifyDockerText } from './errors.js';
import { FrameDecoder, parseLogLine } from './logs.js';
import { describeTarget } from './target.js';

const frame = (stream: number, text: string) => {
  const body = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
};

describe('log streams', () => {
  it('splits multiplexed frames into lines per stream, across chunk boundaries', () => {
    const decoder = new FrameDecoder();
    const bytes = Buffer.concat([frame(1, 'one\ntw'), frame(2, 'err\n'), frame(1, 'o\nthree')]);
    const out = [...decoder.push(bytes.subarray(0, 5)), ...decoder.push(bytes.subarray(5, 17)), ...decoder.push(bytes.subarray(17)), ...decoder.end()];
    expect(out).toEqual([
      { stream: 'stdout', line: 'one' },
      { stream: 'stderr', line: 'err' },
      { stream: 'stdout', line: 'two' },
      { stream: 'stdout', line: 'three' },
    ]);
  });

  it('reads plain text (a service with a TTY) as stdout', () => {
    const decoder = new FrameDecoder();
    expect([...decoder.push(Buffer.from('hello there\nsecond')), ...decoder.end()].map((l) => l.line)).toEqual(['hello there', 'second']);
  });

  it('reads the task ids and the time before a service log line', () => {
    const raw = '2026-12-06T05:00:00.000000000Z com.docker.swarm.node.id=n1,com.docker.swarm.service.id=s1,com.docker.swarm.task.id=t1 hello world';
    expect(parseLogLine('stdout', raw, { timestamps: true, details: true })).toEqual({
      stream: 'stdout',
      time: '2026-12-06T05:00:00.000000000Z',
      nodeId: 'n1',
      serviceId: 's1',
      taskId: 't1',
      text: 'hello world',
    });
    expect(parseLogLine('stderr', 'no details here', { details: true })).toEqual({ stream: 'stderr', text: 'no details here' });
  });
});

describe('docker texts', () => {
  it.each([
    ['Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?', 'docker-unreachable'],
    ['error during connect: ssh: connect to host b port 22: Connection refused', 'docker-unreachable'],
    ['Error response from daemon: This node is not a swarm manager.', 'docker-not-swarm-manager'],
    ['Error response from daemon: rpc error: code = InvalidArgument desc = only updates to Labels are allowed', undefined],
  ])('%s', (text, code) => {
    expect(classifyDockerText(text, 'server x')?.code).toBe(code);
  });
});

describe('the target in reports', () => {
  const env = {};
  it.each([
    [{ server: 'b', context: 'b', host: 'ssh://root@b', source: 'server folder' as const, env }, 'server b (docker context b: ssh://root@b)'],
    [{ server: 'x', context: 'x', host: 'unix:///x.sock', source: '--context' as const, env }, 'server x (docker context x from --context: unix:///x.sock)'],
    [{ server: 'tcp://h:2376', host: 'tcp://h:2376', source: 'DOCKER_HOST' as const, env }, 'server tcp://h:2376 (DOCKER_HOST)'],
  ])('%j', (target, text) => {
    expect(describeTarget(target)).toBe(text);
  });
});

describe('docker stack rm', () => {
  // A stand-in for the docker CLI that answers `stack rm` as docker does while a network's tasks are still
  // stopping (exit 1, "is in use by task") for its first `failures` runs, then removes the network.
  const fakeDocker = (failures: number, message = 'network xg5t1w1e73 is in use by task oifom3akk4') => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'galley-fake-docker-'));
    const binary = path.join(dir, 'docker');
    writeFileSync(
      binary,
      `#!/bin/sh
n=$(cat "${dir}/runs" 2>/dev/null || echo 0); n=$((n + 1)); echo $n > "${dir}/runs"
echo "$*" >> "${dir}/args"
if [ $n -le ${failures} ]; then
  echo "Failed to remove network xg5t1w1e73: Error response from daemon: rpc error: code = FailedPrecondition desc = ${message}failed to remove some resources from stack: app" >&2
  exit 1
fi
echo "Removing network app_default"
`,
    );
    chmodSync(binary, 0o755);
    const runs = () => readFileSync(path.join(dir, 'args'), 'utf8').trim().split('\n');
    return { binary, runs, done: () => rmSync(dir, { recursive: true, force: true }) };
  };
  const open = (binary: string) => Docker.open({ binary, env: { ...process.env, DOCKER_HOST: 'unix:///nonexistent.sock' } });

  it('runs the removal again while a network is still in use by a stopping task', async () => {
    const fake = fakeDocker(2);
    try {
      await (await open(fake.binary)).stackRemove('app');
      expect(fake.runs()).toEqual(['stack rm app', 'stack rm app', 'stack rm app']);
    } finally {
      fake.done();
    }
  });

  it('gives up after the wait, and fails at once on any other error', async () => {
    const busy = fakeDocker(100);
    const other = fakeDocker(100, 'permission denied');
    try {
      await expect((await open(busy.binary)).stackRemove('app', 1500)).rejects.toThrow(/is in use by task/);
      expect(busy.runs().length).toBeGreaterThanOrEqual(2);
      await expect((await open(other.binary)).stackRemove('app')).rejects.toThrow(/permission denied/);
      expect(other.runs()).toEqual(['stack rm app']);
    } finally {
      busy.done();
      other.done();
    }
  });
});
