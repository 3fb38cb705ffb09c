// Bare git repositories made from fixture descriptions, served read-only over
// git:// by a real `git daemon` on a free loopback port.
//
// Commits are written with `git fast-import`, which takes author, committer
// and tagger names and dates from its input: the same fixture gives the same
// commit and tag ids on every run and machine (no clock, no user config).
// Tests can add commits and tags after start (incremental-fetch tests).
import { lstat, mkdir, readdir, readFile, readlink, rm } from 'node:fs/promises';
import { join, posix, relative, sep } from 'node:path';
import { freePort, waitForTcp } from './net.js';
import { type ManagedProcess, makeTempDir, type RunResult, removeTempDir, run, startProcess } from './process.js';

export interface GitTagSpec {
  name: string;
  /** true: a tag object (`git tag -a`), peeled `^{}` in ls-remote; false: a lightweight ref to the commit. */
  annotated: boolean;
  /** Annotated tags only (default: "Release <name>"). */
  message?: string;
  /** Tagger date, ISO 8601 (default: the commit's date). */
  date?: string;
}

export type GitFileContent = string | Uint8Array;

export interface GitCommitSpec {
  /** Changes against the parent: path → content, or null to delete the path. */
  files?: Record<string, GitFileContent | null>;
  /** A folder whose files become the whole tree (before `files` is applied). */
  dir?: string;
  /** Drop everything the parent had before applying `files` (implied by `dir`). */
  replace?: boolean;
  message: string;
  /** Author and committer date, ISO 8601 (default: one day after the previous commit, from 2024-01-01). */
  date?: string;
  /** Branch to commit on (default: the repo's default branch). A new branch starts at the default branch's tip. */
  branch?: string;
  tags?: GitTagSpec[];
}

export interface GitRepoSpec {
  /** Repository name, e.g. `bonfire` or `coop-cloud/bonfire` (served as `<name>.git`). */
  name: string;
  /** Default branch (default `main`). */
  defaultBranch?: string;
  /** Shorthand: a first commit made from this folder. */
  fromDir?: string;
  commits?: GitCommitSpec[];
}

export interface GitServer {
  /** git://127.0.0.1:PORT */
  readonly baseUrl: string;
  readonly port: number;
  /** The daemon's base path (holds `<name>.git`). */
  readonly root: string;
  /** git://127.0.0.1:PORT/<name>.git */
  url(name: string): string;
  /** Filesystem path of the bare repository. */
  repoPath(name: string): string;
  /** Creates a bare repository (with its commits); returns the new commit ids in order. */
  addRepo(spec: GitRepoSpec): Promise<string[]>;
  /** Adds a commit (and its tags) to an existing repository; returns the commit id. */
  addCommit(name: string, commit: GitCommitSpec): Promise<string>;
  addCommits(name: string, commits: readonly GitCommitSpec[]): Promise<string[]>;
  /** Tags an existing commit-ish (default: the default branch's tip); replaces a tag of the same name. */
  addTag(name: string, tag: GitTagSpec, target?: string): Promise<void>;
  deleteTag(name: string, tag: string): Promise<void>;
  /** Runs git against the bare repository (`git --git-dir=<repo> ...`) with the fixed identity; returns stdout. */
  git(name: string, args: readonly string[]): Promise<string>;
  stop(): Promise<void>;
}

export interface StartGitServerOptions {
  timeoutMs?: number;
}

export const GIT_IDENTITY = { name: 'Galley Test', email: 'test@galley.invalid' } as const;
const FIRST_DATE = Date.parse('2024-01-01T00:00:00Z') / 1000;
const DAY = 86_400;

const NAME_RE = /^[A-Za-z0-9_][A-Za-z0-9._-]*(?:\/[A-Za-z0-9_][A-Za-z0-9._-]*)*$/;
function checkRepoName(name: string): void {
  if (!NAME_RE.test(name) || name.endsWith('.git') || name.split('/').some((s) => s === '..' || s === '.')) {
    throw new Error(`invalid repository name: ${JSON.stringify(name)}`);
  }
}

function toSeconds(iso: string, what: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`${what}: not a date: ${JSON.stringify(iso)}`);
  return Math.floor(ms / 1000);
}

/** C-style quoting for fast-import paths when needed. */
function quotePath(path: string): string {
  if (!/["\\\n\t\r]/.test(path) && !path.startsWith('"') && !/^\s|\s$/.test(path)) return path;
  return `"${path.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\t/g, '\\t').replace(/\r/g, '\\r')}"`;
}

interface TreeEntry {
  path: string;
  mode: '100644' | '100755' | '120000';
  content: Buffer;
}

async function readDirTree(dir: string): Promise<TreeEntry[]> {
  const entries: TreeEntry[] = [];
  const walk = async (folder: string): Promise<void> => {
    const names = (await readdir(folder)).sort();
    for (const n of names) {
      if (n === '.git') continue;
      const full = join(folder, n);
      const st = await lstat(full);
      const path = relative(dir, full).split(sep).join(posix.sep);
      if (st.isDirectory()) await walk(full);
      else if (st.isSymbolicLink()) entries.push({ path, mode: '120000', content: Buffer.from(await readlink(full)) });
      else if (st.isFile()) entries.push({ path, mode: st.mode & 0o111 ? '100755' : '100644', content: await readFile(full) });
    }
  };
  await walk(dir);
  return entries;
}

class Stream {
  private readonly parts: Buffer[] = [];
  line(text: string): void {
    this.parts.push(Buffer.from(`${text}\n`));
  }
  data(content: GitFileContent): void {
    const bytes = typeof content === 'string' ? Buffer.from(content) : Buffer.from(content);
    this.parts.push(Buffer.from(`data ${bytes.length}\n`), bytes, Buffer.from('\n'));
  }
  bytes(): Buffer {
    return Buffer.concat(this.parts);
  }
}

/** Creates bare repositories from fixtures and serves them with `git daemon` on 127.0.0.1. */
export async function startGitServer(repos: readonly GitRepoSpec[] = [], options: StartGitServerOptions = {}): Promise<GitServer> {
  const dir = await makeTempDir('git');
  const root = join(dir, 'repos');
  const home = join(dir, 'home');
  await mkdir(root);
  await mkdir(home);
  // No system/global config, no prompts, a fixed identity for anything that is not fast-import.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: home,
    XDG_CONFIG_HOME: home,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    GIT_AUTHOR_NAME: GIT_IDENTITY.name,
    GIT_AUTHOR_EMAIL: GIT_IDENTITY.email,
    GIT_COMMITTER_NAME: GIT_IDENTITY.name,
    GIT_COMMITTER_EMAIL: GIT_IDENTITY.email,
  };
  const defaults = new Map<string, { branch: string; lastDate: number }>();

  const repoPath = (name: string): string => {
    checkRepoName(name);
    return join(root, `${name}.git`);
  };
  const git = async (name: string, args: readonly string[], input?: Buffer): Promise<RunResult> => {
    const state = defaults.get(name);
    const when = `${(state?.lastDate ?? FIRST_DATE) + 1} +0000`;
    return run('git', [`--git-dir=${repoPath(name)}`, ...args], {
      env: { ...env, GIT_AUTHOR_DATE: when, GIT_COMMITTER_DATE: when },
      input,
    });
  };
  const stateOf = (name: string): { branch: string; lastDate: number } => {
    const state = defaults.get(name);
    if (!state) throw new Error(`no repository ${JSON.stringify(name)} on this git server`);
    return state;
  };
  const resolve = async (name: string, ref: string): Promise<string | undefined> => {
    const res = await run('git', [`--git-dir=${repoPath(name)}`, 'rev-parse', '--verify', '-q', `${ref}^{commit}`], {
      env,
      allowFailure: true,
    });
    return res.code === 0 ? res.stdout.trim() : undefined;
  };

  const ident = (seconds: number): string => `${GIT_IDENTITY.name} <${GIT_IDENTITY.email}> ${seconds} +0000`;

  const writeTag = (s: Stream, tag: GitTagSpec, from: string, commitDate: number): void => {
    if (!/^[A-Za-z0-9_][A-Za-z0-9._+/-]*$/.test(tag.name) || tag.name.includes('..')) {
      throw new Error(`invalid tag name: ${JSON.stringify(tag.name)}`);
    }
    if (tag.annotated) {
      s.line(`tag ${tag.name}`);
      s.line(`from ${from}`);
      s.line(`tagger ${ident(tag.date !== undefined ? toSeconds(tag.date, `tag ${tag.name}`) : commitDate)}`);
      s.data(`${tag.message ?? `Release ${tag.name}`}\n`);
    } else {
      s.line(`reset refs/tags/${tag.name}`);
      s.line(`from ${from}`);
      s.line('');
    }
  };

  const importStream = async (name: string, stream: Buffer): Promise<Map<string, string>> => {
    const marks = join(dir, `marks-${process.hrtime.bigint()}`);
    await git(name, ['fast-import', '--quiet', '--force', `--export-marks=${marks}`], stream);
    const text = await readFile(marks, 'utf8').catch(() => '');
    await rm(marks, { force: true });
    const map = new Map<string, string>();
    for (const line of text.split('\n')) {
      const [mark, sha] = line.split(' ');
      if (mark && sha) map.set(mark, sha);
    }
    return map;
  };

  const addCommits = async (name: string, commits: readonly GitCommitSpec[]): Promise<string[]> => {
    const state = stateOf(name);
    const s = new Stream();
    // branch -> parent to give the next commit on it (a sha or a mark), undefined = root commit
    const tips = new Map<string, string | undefined>();
    const defaultTip = await resolve(name, `refs/heads/${state.branch}`);
    let lastDate = state.lastDate;
    const marks: string[] = [];
    for (const [i, commit] of commits.entries()) {
      const branch = commit.branch ?? state.branch;
      if (!tips.has(branch)) {
        const own = await resolve(name, `refs/heads/${branch}`);
        tips.set(branch, own ?? (branch === state.branch ? defaultTip : (tips.get(state.branch) ?? defaultTip)));
      }
      const date = commit.date !== undefined ? toSeconds(commit.date, `commit ${JSON.stringify(commit.message)}`) : lastDate + DAY;
      lastDate = Math.max(lastDate, date);
      const mark = `:${i + 1}`;
      marks.push(mark);
      s.line(`commit refs/heads/${branch}`);
      s.line(`mark ${mark}`);
      s.line(`author ${ident(date)}`);
      s.line(`committer ${ident(date)}`);
      s.data(commit.message.endsWith('\n') ? commit.message : `${commit.message}\n`);
      const parent = tips.get(branch);
      if (parent !== undefined) s.line(`from ${parent}`);
      if (commit.replace || commit.dir !== undefined) s.line('deleteall');
      if (commit.dir !== undefined) {
        for (const entry of await readDirTree(commit.dir)) {
          s.line(`M ${entry.mode} inline ${quotePath(entry.path)}`);
          s.data(entry.content);
        }
      }
      for (const [path, content] of Object.entries(commit.files ?? {})) {
        if (content === null) {
          s.line(`D ${quotePath(path)}`);
        } else {
          s.line(`M 100644 inline ${quotePath(path)}`);
          s.data(content);
        }
      }
      s.line('');
      tips.set(branch, mark);
      for (const tag of commit.tags ?? []) writeTag(s, tag, mark, date);
    }
    const exported = await importStream(name, s.bytes());
    state.lastDate = lastDate;
    return marks.map((m) => {
      const sha = exported.get(m);
      if (!sha) throw new Error(`git fast-import did not report commit ${m} in ${name}`);
      return sha;
    });
  };

  const addRepo = async (spec: GitRepoSpec): Promise<string[]> => {
    const path = repoPath(spec.name);
    if (defaults.has(spec.name)) throw new Error(`repository ${spec.name} exists already`);
    const branch = spec.defaultBranch ?? 'main';
    await mkdir(path, { recursive: true });
    await run('git', ['init', '--quiet', '--bare', `--initial-branch=${branch}`, path], { env });
    defaults.set(spec.name, { branch, lastDate: FIRST_DATE - DAY });
    const commits: GitCommitSpec[] = [];
    if (spec.fromDir !== undefined) commits.push({ dir: spec.fromDir, message: 'Initial import' });
    commits.push(...(spec.commits ?? []));
    return commits.length > 0 ? addCommits(spec.name, commits) : [];
  };

  const addCommit = async (name: string, commit: GitCommitSpec): Promise<string> => {
    const [sha] = await addCommits(name, [commit]);
    return sha as string;
  };

  const addTag = async (name: string, tag: GitTagSpec, target?: string): Promise<void> => {
    const state = stateOf(name);
    const ref = target ?? `refs/heads/${state.branch}`;
    const sha = await resolve(name, ref);
    if (!sha) throw new Error(`${name}: cannot tag ${ref}: no such commit`);
    const date = Number((await git(name, ['show', '-s', '--format=%ct', sha])).stdout.trim());
    const s = new Stream();
    writeTag(s, tag, sha, date);
    await importStream(name, s.bytes());
  };

  const deleteTag = async (name: string, tag: string): Promise<void> => {
    stateOf(name);
    await git(name, ['update-ref', '-d', `refs/tags/${tag}`]);
  };

  // Fixtures before the daemon starts: it serves them from its first answer.
  for (const spec of repos) await addRepo(spec);

  let daemon: ManagedProcess | undefined;
  let port = 0;
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    const p = startProcess(
      'git',
      ['daemon', '--export-all', `--base-path=${root}`, '--reuseaddr', '--listen=127.0.0.1', `--port=${port}`, '--informative-errors'],
      { cwd: dir, env },
    );
    try {
      await waitForTcp(port, '127.0.0.1', {
        timeoutMs: options.timeoutMs ?? 15_000,
        description: `git daemon on 127.0.0.1:${port}`,
        failIf: () => {
          const st = p.exitStatus();
          return st ? `git daemon exited (${st.code ?? st.signal}): ${p.output().trim().slice(-1000)}` : undefined;
        },
      });
      daemon = p;
      break;
    } catch (err) {
      await p.stop();
      if (attempt >= 3 || !/in use/i.test(p.output())) {
        await removeTempDir(dir);
        throw err;
      }
    }
  }
  const baseUrl = `git://127.0.0.1:${port}`;
  const url = (name: string): string => {
    checkRepoName(name);
    return `${baseUrl}/${name}.git`;
  };
  // It accepts connections; make sure it also serves (the first repo, if any).
  const [first] = repos;
  if (first) await run('git', ['ls-remote', url(first.name)], { env, timeoutMs: 15_000 });

  const running = daemon;
  let stopped: Promise<void> | undefined;
  return {
    baseUrl,
    port,
    root,
    url,
    repoPath,
    addRepo,
    addCommit,
    addCommits,
    addTag,
    deleteTag,
    git: async (name, args) => (await git(name, args)).stdout,
    stop: () => {
      stopped ??= (async () => {
        await running?.stop();
        await removeTempDir(dir);
      })();
      return stopped;
    },
  };
}
