import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { GalleyError } from '../errors.js';
import { describeEnd, exec, execChecked, ok, SpawnError, startProcess } from './process.js';

/** Process group of a pid (field 5 of /proc/<pid>/stat). */
function processGroup(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
}

describe('exec', () => {
  it('resolves with stdout, stderr and the exit code, and passes input on stdin', async () => {
    const result = await exec('sh', ['-c', 'cat; echo err >&2; exit 3'], { input: 'in' });
    expect(result).toMatchObject({ code: 3, signal: null, stdout: 'in', stderr: 'err\n', timedOut: false });
    expect(ok(result)).toBe(false);
    expect(describeEnd(result)).toBe('exit code 3');
  });

  it('counts death by a signal as failure even with empty output and stderr', async () => {
    const result = await exec('sh', ['-c', 'kill -KILL $$']);
    expect(result).toMatchObject({ code: null, signal: 'SIGKILL', stdout: '', stderr: '' });
    expect(ok(result)).toBe(false);
    expect(describeEnd(result)).toBe('killed by SIGKILL');
    await expect(execChecked('sh', ['-c', 'kill -TERM $$'], { failure: (_r, how) => new GalleyError('git-failed', `sh ${how}`) })).rejects.toThrow(
      'sh killed by SIGTERM',
    );
  });

  it('kills the whole process group after the timeout', async () => {
    const started = Date.now();
    const result = await exec('sh', ['-c', 'sleep 30 & sleep 30; echo never'], { timeoutMs: 300 });
    expect(result.timedOut).toBe(true);
    expect(result.stdout).toBe('');
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(describeEnd(result, 300)).toBe('timed out after 0 s');
  });

  it('stops when the signal aborts', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const result = await exec('sleep', ['30'], { signal: controller.signal });
    expect(result.aborted).toBe(true);
    expect(ok(result)).toBe(false);
  });

  it('rejects with a SpawnError when the command does not exist', async () => {
    await expect(exec('galley-no-such-command', [])).rejects.toBeInstanceOf(SpawnError);
    await expect(exec('galley-no-such-command', [])).rejects.toMatchObject({ errno: 'ENOENT' });
  });

  it('runs children in their own process group, outside the terminal foreground group', async () => {
    const child = startProcess('sleep', ['30']);
    try {
      expect(child.pid).toBeDefined();
      expect(processGroup(child.pid!)).toBe(child.pid);
      expect(processGroup(child.pid!)).not.toBe(processGroup(process.pid));
    } finally {
      child.kill('SIGKILL');
    }
  });
});
