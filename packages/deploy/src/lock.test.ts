import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { acquireLock, type LockHolder } from './lock.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'galley-lock-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the app lock file', () => {
  it('is taken once, names its holder to the next one, and is released', async () => {
    const first = await acquireLock('st_one', { command: 'deploy', expiresInSeconds: 60, dir });
    const holder = JSON.parse(readFileSync(first.file, 'utf8')) as LockHolder;
    expect(holder).toMatchObject({ pid: process.pid, host: os.hostname(), command: 'deploy' });
    await expect(acquireLock('st_one', { command: 'undeploy', expiresInSeconds: 60, dir })).rejects.toThrow(
      new RegExp(`st_one is locked by another galley deploy by .+@${os.hostname()} \\(pid ${process.pid}\\), running since`),
    );
    // Another app is not affected.
    const other = await acquireLock('st_two', { command: 'deploy', expiresInSeconds: 60, dir });
    await other.release();
    await first.release();
    expect(existsSync(first.file)).toBe(false);
    const again = await acquireLock('st_one', { command: 'deploy', expiresInSeconds: 60, dir });
    await again.release();
  });

  it('takes over a lock whose process is gone, and one that expired', async () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadPid = Number(dead.stdout);
    const file = path.join(dir, 'st_dead.lock');
    const stale: LockHolder = {
      id: 'x',
      pid: deadPid,
      host: os.hostname(),
      user: 'u',
      started: new Date().toISOString(),
      expires: new Date(Date.now() + 3600_000).toISOString(),
      command: 'deploy',
    };
    writeFileSync(file, JSON.stringify(stale));
    const messages: string[] = [];
    const lock = await acquireLock('st_dead', { command: 'deploy', expiresInSeconds: 60, dir, onTakeover: (m) => messages.push(m) });
    expect(messages[0]).toMatch(new RegExp(`its process ${deadPid} on .+ is gone`));
    await lock.release();

    const expired: LockHolder = { ...stale, host: 'elsewhere.example', pid: 1, expires: new Date(Date.now() - 1000).toISOString() };
    writeFileSync(path.join(dir, 'st_old.lock'), JSON.stringify(expired));
    const taken = await acquireLock('st_old', { command: 'deploy', expiresInSeconds: 60, dir, onTakeover: (m) => messages.push(m) });
    expect(messages[1]).toMatch(/it expired at/);
    await taken.release();

    const alive: LockHolder = { ...stale, host: 'elsewhere.example', pid: 1 };
    writeFileSync(path.join(dir, 'st_busy.lock'), JSON.stringify(alive));
    await expect(acquireLock('st_busy', { command: 'deploy', expiresInSeconds: 60, dir })).rejects.toMatchObject({ code: 'lock-held', exitCode: 2 });
  });
});
