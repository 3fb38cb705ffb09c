import { describe, expect, it } from '@jest/globals';
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
