import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { buildSync } from 'esbuild';
import { CommandError, freePort, makeTempDir, removeTempDir, run, startHttpServer, startProcess, waitFor, waitForHttp, waitForTcp } from './index.js';

const TIMEOUT = 60_000;

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('ports, waiting, processes and temp dirs', () => {
  it('finds a free loopback port and waits for TCP and HTTP', async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(0);
    const server = createServer((s) => s.end());
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
    try {
      await waitForTcp(port);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
    await expect(waitForTcp(port, '127.0.0.1', { timeoutMs: 300 })).rejects.toThrow(/timed out .* tcp 127.0.0.1/);

    let calls = 0;
    const http = await startHttpServer((_req, res) => {
      calls++;
      res.writeHead(calls < 3 ? 503 : 200).end('ok');
    });
    try {
      expect(await waitForHttp(`${http.url}/health`)).toBe(200);
      expect(calls).toBe(3);
    } finally {
      await http.stop();
    }
  });

  it('runs commands with input and reports failures with stderr', async () => {
    expect((await run('cat', [], { input: 'piped' })).stdout).toBe('piped');
    const failure = run('sh', ['-c', 'echo oops >&2; exit 3']);
    await expect(failure).rejects.toBeInstanceOf(CommandError);
    await expect(failure).rejects.toThrow(/exited 3: oops/);
    expect((await run('sh', ['-c', 'exit 4'], { allowFailure: true })).code).toBe(4);
    await expect(run('sleep', ['30'], { timeoutMs: 200 })).rejects.toThrow(/killed after 200 ms/);
  });

  it(
    'stop() kills the whole process group, also what the process forked',
    async () => {
      const dir = await makeTempDir('proc');
      const pidFile = join(dir, 'child.pid');
      const p = startProcess('sh', ['-c', `trap '' TERM; sleep 300 & echo $! > ${pidFile}; wait`]);
      const childPid = Number(
        await waitFor(async () => {
          const text = existsSync(pidFile) ? (await readFile(pidFile, 'utf8')).trim() : '';
          return text !== '' ? text : undefined;
        }),
      );
      expect(groupAlive(p.pid)).toBe(true);
      await p.stop(500); // the shell ignores TERM: SIGKILL after 500 ms
      expect(p.exitStatus()).toBeDefined();
      await waitFor(() => !groupAlive(p.pid), { description: 'process group gone' });
      expect(() => process.kill(childPid, 0)).toThrow();
      await removeTempDir(dir);
      expect(existsSync(dir)).toBe(false);
    },
    TIMEOUT,
  );

  it(
    'cleans up process groups and temp dirs of a test process that was killed',
    async () => {
      const work = await makeTempDir('reaper-test');
      const script = join(work, 'victim.mjs');
      const here = fileURLToPath(new URL('.', import.meta.url));
      const entry = join(work, 'entry.ts');
      await writeFile(
        entry,
        [
          `import { makeTempDir, startProcess } from ${JSON.stringify(join(here, 'process.ts'))};`,
          "const dir = await makeTempDir('victim');",
          "const p = startProcess('sleep', ['300']);",
          'console.log(JSON.stringify({ dir, pgid: p.pid }));',
          'setInterval(() => undefined, 1000);',
        ].join('\n'),
      );
      buildSync({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', outfile: script, logLevel: 'silent' });

      const victim = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'] });
      const line = await new Promise<string>((resolve, reject) => {
        let buf = '';
        victim.stdout.on('data', (c: Buffer) => {
          buf += c.toString();
          if (buf.includes('\n')) resolve(buf.split('\n')[0] as string);
        });
        victim.once('exit', (code) => reject(new Error(`victim exited ${code} early`)));
      });
      const { dir, pgid } = JSON.parse(line) as { dir: string; pgid: number };
      expect(existsSync(dir)).toBe(true);
      expect(groupAlive(pgid)).toBe(true);

      victim.kill('SIGKILL'); // no exit hooks run: only the reaper can clean up
      await waitFor(() => !groupAlive(pgid) && !existsSync(dir), {
        timeoutMs: 20_000,
        description: 'reaper to kill the orphaned group and remove the temp dir',
      });
      await removeTempDir(work);
    },
    TIMEOUT,
  );
});
