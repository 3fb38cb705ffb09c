import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { abandoned, acquireLock } from './lock.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'galley-lock-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the app lock file', () => {
  it('is taken once, names its holder to the next one, and is released', async () => {
    const first = await acquireLock('st_one', { command: 'deploy', dir });
    await expect(acquireLock('st_one', { command: 'undeploy', dir })).rejects.toThrow(
      new RegExp(`st_one is locked by another galley deploy by .+@${os.hostname()} \\(pid ${process.pid}, since .*lock file ${dir}/st_one\\.lock`),
    );
    // Another app is not affected.
    const other = await acquireLock('st_two', { command: 'deploy', dir });
    await other.release();
    await first.release();
    const again = await acquireLock('st_one', { command: 'deploy', dir });
    await again.release();
  });
});

describe('a swarm lock is abandoned', () => {
  const dead = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
  const holder = (over: Record<string, unknown> = {}) => ({
    id: 'x',
    pid: process.pid,
    host: os.hostname(),
    user: 'u',
    started: 'then',
    command: 'deploy',
    ...over,
  });
  const later = new Date(Date.now() + 60_000).toISOString();
  const earlier = new Date(Date.now() - 1000).toISOString();

  it.each([
    ['when its holder is a dead process on this host', holder({ pid: dead }), later, `its process ${dead} on ${os.hostname()} is gone`],
    ['when its lease ran out, even if its pid runs here (a reused pid)', holder(), earlier, `its lease expired at ${earlier}`],
    ['when its lease ran out on another machine', holder({ host: 'elsewhere.example', pid: 1 }), earlier, `its lease expired at ${earlier}`],
    ['when it is unreadable', undefined, later, 'it is unreadable'],
    ['not while its lease runs, wherever its holder is', holder({ host: 'elsewhere.example', pid: 1 }), later, undefined],
    ['not while a live holder here renews it', holder(), later, undefined],
  ])('%s', (_what, who, expires, why) => {
    expect(abandoned(who, expires)).toBe(why);
  });

  it('reads the lease of an older lock from its data', () => {
    expect(abandoned({ ...holder({ host: 'elsewhere.example' }), expires: earlier }, undefined)).toBe(`its lease expired at ${earlier}`);
  });
});
