// Running a command on a terminal, as an operator does: `script` (util-linux,
// in every Debian) gives it a pseudo-terminal, and a ^C written to script's
// stdin reaches the terminal's foreground process group as SIGINT, exactly
// as a Ctrl-C typed at a keyboard does (children in their own process group
// do not get it).
import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { waitFor } from './net.js';

export interface PtyRun {
  /** Exit code as the terminal's shell sees it (128 + n for a signal). */
  code: number | null;
  /** Everything written to the terminal. */
  output: string;
  /** Whether ^C was typed (the program may have ended before). */
  interrupted: boolean;
}

export interface PtyOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Type ^C this long after the program (a node process under the terminal) started… */
  interruptAfterMs?: number;
  /** …or as soon as this says so (polled every 20 ms). */
  interruptWhen?: () => Promise<boolean>;
  /** Type `text` once the output matches `prompt` (answering a question). */
  answer?: { prompt: RegExp; text: string };
  timeoutMs?: number;
}

function quote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

async function descendants(pid: number): Promise<number[]> {
  const parents = new Map<number, number>();
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => '');
    if (stat) parents.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const [child, parent] of parents) {
      if (parent === p) {
        out.push(child);
        walk(child);
      }
    }
  };
  walk(pid);
  return out;
}

export async function runOnPty(command: readonly string[], options: PtyOptions = {}): Promise<PtyRun> {
  const child = spawn('script', ['-qfec', command.map(quote).join(' '), '/dev/null'], {
    env: options.env ?? process.env,
    cwd: options.cwd,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString('utf8')));
  child.stderr.on('data', (d: Buffer) => (output += d.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
  const result: PtyRun = { code: null, output: '', interrupted: false };
  if (options.answer) {
    const { prompt, text } = options.answer;
    let answered = false;
    child.stdout.on('data', () => {
      if (!answered && prompt.test(output)) {
        answered = true;
        child.stdin.write(text);
      }
    });
  }
  if (options.interruptAfterMs !== undefined || options.interruptWhen) {
    let done = false;
    void exited.then(() => (done = true));
    const ready = await waitFor(
      async () => {
        if (done) return 'exited';
        if (options.interruptWhen) return (await options.interruptWhen()) ? 'ready' : undefined;
        for (const pid of await descendants(child.pid!)) {
          if ((await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '')).trim() === 'node') return 'ready';
        }
        return undefined;
      },
      { timeoutMs: 120_000, intervalMs: 20, description: 'the moment to type ^C' },
    );
    if (ready === 'ready') {
      await new Promise((r) => setTimeout(r, options.interruptAfterMs ?? 0));
      child.stdin.write('\u0003');
      result.interrupted = true;
    }
  }
  result.code = await exited;
  clearTimeout(timer);
  child.stdin.end();
  result.output = output;
  return result;
}
