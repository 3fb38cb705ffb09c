import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import {
  acquireFileLock,
  lockHolder,
  readTextFile,
  readTextFileSync,
  removeAbandonedTemps,
  statRegularFile,
  writeFileAtomic,
  writeFilesAtomic,
} from './index.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'galley-platform-fs-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
function folder(files: Record<string, string> = {}): string {
  const dir = path.join(root, `t${n++}`);
  mkdirSync(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

describe('writeFileAtomic', () => {
  it('replaces the file, keeps its mode, leaves no temporary file', async () => {
    const dir = folder({ 'a.sh': 'old\n' });
    const file = path.join(dir, 'a.sh');
    chmodSync(file, 0o750);
    await writeFileAtomic(file, 'new\n');
    expect(readFileSync(file, 'utf8')).toBe('new\n');
    expect(statSync(file).mode & 0o777).toBe(0o750);
    expect(readdirSync(dir)).toEqual(['a.sh']);
  });

  it('a failed write leaves the original and no temporary file', async () => {
    const dir = folder({ 'a.yml': 'old\n' });
    // A folder where the file should be: refused before anything is written.
    mkdirSync(path.join(dir, 'sub.yml'));
    writeFileSync(path.join(dir, 'sub.yml', 'x'), '');
    await expect(writeFileAtomic(path.join(dir, 'sub.yml'), 'new')).rejects.toMatchObject({ code: 'unwritable' });
    expect(readdirSync(dir).sort()).toEqual(['a.yml', 'sub.yml']);
    await expect(writeFileAtomic(path.join(dir, 'missing-dir', 'a.yml'), 'new')).rejects.toThrow(/its folder does not exist/);
  });

  it('creates missing folders only when asked', async () => {
    const dir = folder();
    await writeFileAtomic(path.join(dir, 'a', 'b', 'c.json'), '{}', { createFolder: true });
    expect(readFileSync(path.join(dir, 'a', 'b', 'c.json'), 'utf8')).toBe('{}');
  });

  it('keeps the owner of a file it replaces as root', async () => {
    // The test command runs as root (provisioning needs it), where chown is allowed.
    const dir = folder({ 'owned.env': 'A=1\n' });
    const file = path.join(dir, 'owned.env');
    chownSync(file, 1234, 2345);
    chmodSync(file, 0o640);
    await writeFileAtomic(file, 'A=2\n');
    const after = statSync(file);
    expect([after.uid, after.gid, after.mode & 0o777]).toEqual([1234, 2345, 0o640]);
  });

  it('writes through a symlink: the link stays a link, its target gets the content', async () => {
    const dir = folder({ 'real.yml': 'old\n' });
    symlinkSync('real.yml', path.join(dir, 'link.yml'));
    await writeFileAtomic(path.join(dir, 'link.yml'), 'new\n');
    expect(lstatSync(path.join(dir, 'link.yml')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(path.join(dir, 'link.yml'))).toBe('real.yml');
    expect(readFileSync(path.join(dir, 'real.yml'), 'utf8')).toBe('new\n');
  });

  it('refuses a FIFO or a device instead of replacing it', async () => {
    const dir = folder();
    const fifo = path.join(dir, 'pipe');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    await expect(writeFileAtomic(fifo, 'x')).rejects.toThrow(/is not a regular file/);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    await expect(writeFileAtomic('/dev/null', 'x')).rejects.toThrow(/is not a regular file/);
    expect(lstatSync('/dev/null').isCharacterDevice()).toBe(true);
  });
});

describe('writeFilesAtomic', () => {
  it('changes nothing when one of the files cannot be written', async () => {
    const dir = folder({ 'a.yml': 'a\n', 'b.yml': 'b\n' });
    mkdirSync(path.join(dir, 'c.yml'));
    await expect(
      writeFilesAtomic([
        { file: path.join(dir, 'a.yml'), data: 'A\n' },
        { file: path.join(dir, 'b.yml'), data: 'B\n' },
        { file: path.join(dir, 'c.yml'), data: 'C\n' },
      ]),
    ).rejects.toMatchObject({ code: 'unwritable' });
    expect(readFileSync(path.join(dir, 'a.yml'), 'utf8')).toBe('a\n');
    expect(readFileSync(path.join(dir, 'b.yml'), 'utf8')).toBe('b\n');
    expect(readdirSync(dir).sort()).toEqual(['a.yml', 'b.yml', 'c.yml']);
  });

  it('writes every file when all can be written', async () => {
    const dir = folder({ 'a.yml': 'a\n' });
    await writeFilesAtomic([
      { file: path.join(dir, 'a.yml'), data: 'A\n' },
      { file: path.join(dir, 'new.yml'), data: 'N\n' },
    ]);
    expect([readFileSync(path.join(dir, 'a.yml'), 'utf8'), readFileSync(path.join(dir, 'new.yml'), 'utf8')]).toEqual(['A\n', 'N\n']);
  });
});

describe('removeAbandonedTemps', () => {
  it("removes a killed writer's temp files of that file only (old ones, and young ones of a writer that is gone), and keeps a live writer's", async () => {
    // A pid that ran and ended: its writer was killed.
    const dead = spawnSync('true').pid;
    const live = process.pid;
    const dir = folder({
      'recipes.json': '{}',
      '.recipes.json.galley-123-0a1b2c3d.tmp': 'half',
      [`.recipes.json.galley-${dead}-0a1b2c3f.tmp`]: 'killed',
      [`.recipes.json.galley-${live}-0a1b2c3e.tmp`]: 'now',
      [`.other.json.galley-${dead}-0a1b2c3f.tmp`]: 'not ours',
      other: 'x',
    });
    const old = new Date(Date.now() - 3600_000);
    utimesSync(path.join(dir, '.recipes.json.galley-123-0a1b2c3d.tmp'), old, old);
    expect(await removeAbandonedTemps(path.join(dir, 'recipes.json'))).toBe(2);
    expect(readdirSync(dir).sort()).toEqual([`.other.json.galley-${dead}-0a1b2c3f.tmp`, `.recipes.json.galley-${live}-0a1b2c3e.tmp`, 'other', 'recipes.json']);
  });
});

describe('readTextFile', () => {
  it('reads a regular file', async () => {
    const dir = folder({ '.env': 'A=1\n' });
    expect(await readTextFile(path.join(dir, '.env'))).toBe('A=1\n');
  });

  it('refuses a FIFO at once instead of hanging, and devices, and folders', async () => {
    const dir = folder();
    const fifo = path.join(dir, 'compose.yml');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    await expect(readTextFile(fifo, { what: 'compose file' })).rejects.toThrow(
      `cannot read compose file ${fifo}: it is a FIFO (named pipe), not a regular file`,
    );
    await expect(readTextFile('/dev/zero')).rejects.toThrow('it is a device');
    await expect(readTextFile(dir)).rejects.toMatchObject({ code: 'unreadable' });
  });

  it('names the path and what to do for missing, unreadable and oversized files', async () => {
    const dir = folder({ big: 'x'.repeat(2000) });
    await expect(readTextFile(path.join(dir, 'nope'), { what: 'env file' })).rejects.toThrow(
      `cannot read env file ${path.join(dir, 'nope')}: it does not exist: check the path`,
    );
    await expect(readTextFile(path.join(dir, 'big'), { maxBytes: 1000 })).rejects.toMatchObject({ code: 'file-too-large' });
    symlinkSync('loop', path.join(dir, 'loop'));
    await expect(readTextFile(path.join(dir, 'loop'))).rejects.toThrow(/symlink loop/);
  });
});

describe('reading inside a folder (within)', () => {
  it('follows a symlink that stays inside, refuses one that leaves, async and sync alike', async () => {
    const outside = folder({ 'secret.env': 'TOKEN=x\n' });
    const dir = folder({ 'real.yml': 'a: 1\n' });
    mkdirSync(path.join(dir, 'sub'));
    symlinkSync('../real.yml', path.join(dir, 'sub', 'inner.yml'));
    symlinkSync(path.join(outside, 'secret.env'), path.join(dir, 'out.yml'));
    expect(await readTextFile(path.join(dir, 'sub', 'inner.yml'), { within: dir })).toBe('a: 1\n');
    expect(readTextFileSync(path.join(dir, 'sub', 'inner.yml'), { within: dir })).toBe('a: 1\n');
    await expect(readTextFile(path.join(dir, 'out.yml'), { within: dir })).rejects.toMatchObject({ code: 'outside-target' });
    expect(() => readTextFileSync(path.join(dir, 'out.yml'), { within: dir })).toThrow(/is a symlink to .*secret\.env, outside/);
    // Without `within` (a file the user named) the link is followed.
    expect(await readTextFile(path.join(dir, 'out.yml'))).toBe('TOKEN=x\n');
    await expect(statRegularFile(path.join(dir, 'out.yml'), { within: dir })).rejects.toMatchObject({ code: 'outside-target' });
    expect(await statRegularFile(path.join(dir, 'missing'), { within: dir })).toBeUndefined();
    expect(await statRegularFile(path.join(dir, 'a\0b'), { within: dir })).toBeUndefined();
    expect((await statRegularFile(path.join(dir, 'real.yml'), { within: dir }))?.size).toBe(5);
  });

  it('stops reading at maxBytes even when the file claims to be empty (/proc)', async () => {
    expect(statSync('/proc/self/environ').size).toBe(0);
    await expect(readTextFile('/proc/self/maps', { maxBytes: 16 })).rejects.toMatchObject({ code: 'file-too-large' });
    expect(() => readTextFileSync('/proc/self/maps', { maxBytes: 16 })).toThrow(/over the limit of 16 bytes/);
  });
});

describe('writeFilesAtomic within a folder', () => {
  it('writes through a link inside the folder, refuses one leading out and changes nothing then', async () => {
    const outside = folder({ 'victim.txt': 'keep\n' });
    const dir = folder({ 'a.txt': 'old\n' });
    symlinkSync('a.txt', path.join(dir, 'link.txt'));
    symlinkSync(path.join(outside, 'victim.txt'), path.join(dir, 'out.txt'));
    await writeFilesAtomic([{ file: path.join(dir, 'link.txt'), data: 'new\n', within: dir }]);
    expect(readFileSync(path.join(dir, 'a.txt'), 'utf8')).toBe('new\n');
    expect(lstatSync(path.join(dir, 'link.txt')).isSymbolicLink()).toBe(true);
    await expect(
      writeFilesAtomic([
        { file: path.join(dir, 'a.txt'), data: 'newer\n', within: dir },
        { file: path.join(dir, 'out.txt'), data: 'pwned\n', within: dir },
      ]),
    ).rejects.toMatchObject({ code: 'outside-target' });
    expect(readFileSync(path.join(outside, 'victim.txt'), 'utf8')).toBe('keep\n');
    expect(readFileSync(path.join(dir, 'a.txt'), 'utf8')).toBe('new\n');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('acquireFileLock', () => {
  it('is taken once, names its holder to the next one, and is released', async () => {
    const file = path.join(folder(), 'cache.lock');
    const first = await acquireFileLock(file, { command: 'catalogue generate' });
    expect(await lockHolder(file)).toMatchObject({ pid: process.pid, host: os.hostname(), command: 'catalogue generate' });
    await expect(acquireFileLock(file, { command: 'other', busyCode: 'cache-busy', busyAdvice: 'use another cache' })).rejects.toMatchObject({
      code: 'cache-busy',
      message: expect.stringMatching(
        new RegExp(`is locked by catalogue generate by .+@${os.hostname()} \\(pid ${process.pid}, since .+\\): use another cache`),
      ),
    });
    expect(first.held()).toBe(true);
    await first.release();
    expect(first.held()).toBe(false);
    const again = await acquireFileLock(file, { command: 'again' });
    await again.release();
  });

  it('is not fooled by a live process that reuses the holder pid: an abandoned lock goes stale and is taken over', async () => {
    const file = path.join(folder(), 'reused.lock');
    // A killed run's lock, naming pid 1 (alive: a reused pid), not refreshed for a minute.
    mkdirSync(`${file}.lock`);
    writeFileSync(
      `${file}.holder.json`,
      JSON.stringify({ pid: 1, host: os.hostname(), user: 'root', command: 'catalogue generate', started: '2026-01-01T00:00:00Z' }),
    );
    const old = new Date(Date.now() - 60_000);
    utimesSync(`${file}.lock`, old, old);
    const lock = await acquireFileLock(file, { command: 'catalogue generate', staleMs: 10_000 });
    expect(await lockHolder(file)).toMatchObject({ pid: process.pid });
    await lock.release();
  });

  it('takes over at once the lock of a process of this host that is gone (SIGKILL)', async () => {
    const file = path.join(folder(), 'killed.lock');
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    mkdirSync(`${file}.lock`);
    writeFileSync(
      `${file}.holder.json`,
      JSON.stringify({ pid: Number(dead.stdout), host: os.hostname(), user: 'root', command: 'x', started: new Date().toISOString() }),
    );
    const lock = await acquireFileLock(file, { command: 'catalogue generate' });
    expect(await lockHolder(file)).toMatchObject({ pid: process.pid });
    await lock.release();
  });

  it('a lock held by a live process elsewhere blocks until it is released (waitMs)', async () => {
    const file = path.join(folder(), 'held.lock');
    const script = `
      const lockfile = require('proper-lockfile');
      lockfile.lock(${JSON.stringify(file)}, { realpath: false, stale: 10000, update: 2500 }).then((release) => {
        process.stdout.write('locked\\n');
        setTimeout(() => release().then(() => process.exit(0)), 1500);
      });`;
    // Run from this package, where node resolves proper-lockfile.
    const child = spawn(process.execPath, ['-e', script], { cwd: path.resolve(import.meta.dirname, '../..'), stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    await expect(acquireFileLock(file, { command: 'x' })).rejects.toMatchObject({ code: 'lock-held' });
    const lock = await acquireFileLock(file, { command: 'x', waitMs: 30_000 });
    expect(lock.held()).toBe(true);
    await lock.release();
    await exited;
  }, 60_000);
});
