// "Server B": a second docker engine in its own network namespace, for the
// deploy tests of server selection (docker contexts, abra's servers
// folders, ssh://) and of a two-node swarm.
//
// Each engine gets its own netns (`ip netns add`, entered with nsenter), a veth link to the host
// (10.213.x.y/30, so galley reaches it only through that address), its own
// data-root, exec-root, pidfile and socket, `--bridge=none --iptables=false`
// (the host's dockerd and its rules are never touched), and its own swarm.
// `sshd` (Debian's openssh-server, installed by scripts/provision.sh) can run
// in the namespace, with a private host key, an authorized key made here and
// `SetEnv DOCKER_HOST=<its socket>`, so `ssh://root@<address>` contexts reach
// that engine. Docker contexts live in a private DOCKER_CONFIG; the ssh
// client is a wrapper on a private PATH that logs every connection it opens.
// A worker engine can join over a second veth link between the two
// namespaces (a two-node swarm). stop() removes all of it.
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { waitFor } from './net.js';
import { type ManagedProcess, makeTempDir, removeTempDir, run, startProcess } from './process.js';

export interface Engine {
  /** The netns it runs in. */
  netns: string;
  /** Its socket (`unix://…`). */
  host: string;
  /** Its address on its link (where sshd listens, where the swarm advertises). */
  address: string;
  /** `docker -H <socket> …` on this engine. */
  docker(args: readonly string[], options?: { input?: string | Uint8Array; allowFailure?: boolean }): Promise<string>;
}

export interface EngineB extends Engine {
  /** Environment for galley and docker runs that should see B's contexts and ssh: DOCKER_CONFIG, PATH. */
  env: Record<string, string>;
  /** The docker context (local socket) named after the server. */
  context: string;
  /** The docker context over ssh://root@address (when started with ssh). */
  sshContext?: string;
  /** Lines the ssh wrapper logged: one per ssh connection opened. */
  sshConnections(): Promise<number>;
  /** Kills the sshd sessions now open (a dropped connection); sshd itself keeps listening. */
  dropSshSessions(): Promise<number>;
  /** The worker's node id, when a worker joined. */
  worker?: Engine & { nodeId: string };
  stop(): Promise<void>;
}

export interface EngineBOptions {
  /** Also run sshd in the namespace and make an ssh:// context. */
  ssh?: boolean;
  /** Also start a worker engine that joins B's swarm. */
  worker?: boolean;
  /** Images to copy from the host's engine (default local/busybox:1). */
  images?: string[];
}

const REFUSE = 'server B needs root, ip (iproute2), dockerd and, for ssh, sshd: run scripts/provision.sh as root';

async function sh(args: string[], options: { input?: string | Uint8Array; allowFailure?: boolean } = {}): Promise<string> {
  const res = await run(args[0]!, args.slice(1), { timeoutMs: 120_000, ...options });
  return res.stdout;
}

interface Started {
  dir: string;
  netns: string;
  socket: string;
  dockerd?: ManagedProcess;
  sshd?: ManagedProcess;
  links: string[];
}

async function startDockerd(s: Started, label: string): Promise<ManagedProcess> {
  // nsenter, not `ip netns exec`: that one remounts /sys, hiding the cgroup hierarchies dockerd needs.
  const dockerd = startProcess('nsenter', [
    `--net=/run/netns/${s.netns}`,
    'dockerd',
    `--data-root=${path.join(s.dir, 'data')}`,
    `--exec-root=${path.join(s.dir, 'exec')}`,
    `--pidfile=${path.join(s.dir, 'dockerd.pid')}`,
    `--host=unix://${s.socket}`,
    '--bridge=none',
    '--iptables=false',
    '--ip-masq=false',
    '--storage-driver=overlay2',
  ]);
  await waitFor(
    async () => {
      if (dockerd.exitStatus()) throw new Error(`dockerd of ${label} exited: ${dockerd.output().slice(-2000)}`);
      const res = await run('docker', ['-H', `unix://${s.socket}`, 'version', '--format', '{{.Server.APIVersion}}'], { allowFailure: true, timeoutMs: 10_000 });
      return res.code === 0;
    },
    { timeoutMs: 90_000, intervalMs: 250, description: `dockerd of ${label} to answer` },
  );
  return dockerd;
}

function engineOf(s: Started, address: string): Engine {
  const host = `unix://${s.socket}`;
  return {
    netns: s.netns,
    host,
    address,
    docker: async (args, options = {}) => (await run('docker', ['-H', host, ...args], { timeoutMs: 120_000, ...options })).stdout,
  };
}

/** Starts server B (and its worker, ssh) as asked; throws naming provision.sh when the machine cannot. */
export async function startEngineB(options: EngineBOptions = {}): Promise<EngineB> {
  if (process.getuid?.() !== 0) throw new Error(REFUSE);
  const id = randomBytes(3).toString('hex');
  const octet = 16 + (parseInt(id.slice(0, 2), 16) % 200);
  const net = (n: number) => `10.213.${octet}.${n}`;
  const dir = await makeTempDir(`b${id}`);
  const b: Started = { dir: path.join(dir, 'b'), netns: `galley-b${id}`, socket: path.join(dir, 'b', 'docker.sock'), links: [] };
  const c: Started = { dir: path.join(dir, 'c'), netns: `galley-c${id}`, socket: path.join(dir, 'c', 'docker.sock'), links: [] };
  const started: Started[] = [];
  const cleanups: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    cleanups.length = 0;
    // dockerd runs in the host's mount namespace (nsenter --net only): what it left mounted under the
    // folder (network namespaces of swarm load balancers) is unmounted before the folder goes.
    const mounts = (await readFile('/proc/self/mounts', 'utf8'))
      .split('\n')
      .map((l) => l.split(' ')[1] ?? '')
      .filter((m) => m.startsWith(`${dir}/`))
      .reverse();
    for (const m of mounts) await sh(['umount', '-l', m], { allowFailure: true });
    await removeTempDir(dir).catch(() => undefined);
  };
  try {
    // B: netns, link to the host (host .1, B .2).
    await mkdir(b.dir, { recursive: true });
    await sh(['ip', 'netns', 'add', b.netns]);
    cleanups.push(() => sh(['ip', 'netns', 'del', b.netns]));
    const hostIf = `gh${id}`;
    await sh(['ip', 'link', 'add', hostIf, 'type', 'veth', 'peer', 'name', `gb${id}`]);
    cleanups.push(() => sh(['ip', 'link', 'del', hostIf], { allowFailure: true }));
    await sh(['ip', 'link', 'set', `gb${id}`, 'netns', b.netns]);
    await sh(['ip', 'addr', 'add', `${net(1)}/30`, 'dev', hostIf]);
    await sh(['ip', 'link', 'set', hostIf, 'up']);
    await sh(['ip', 'netns', 'exec', b.netns, 'ip', 'addr', 'add', `${net(2)}/30`, 'dev', `gb${id}`]);
    await sh(['ip', 'netns', 'exec', b.netns, 'ip', 'link', 'set', `gb${id}`, 'up']);
    await sh(['ip', 'netns', 'exec', b.netns, 'ip', 'link', 'set', 'lo', 'up']);
    let swarmAddress = net(2);
    if (options.worker) {
      // C: netns linked to B only (B .5, C .6); the swarm runs over that link.
      await mkdir(c.dir, { recursive: true });
      await sh(['ip', 'netns', 'add', c.netns]);
      cleanups.push(() => sh(['ip', 'netns', 'del', c.netns]));
      await sh(['ip', 'link', 'add', `gx${id}`, 'netns', b.netns, 'type', 'veth', 'peer', 'name', `gy${id}`, 'netns', c.netns]);
      await sh(['ip', 'netns', 'exec', b.netns, 'ip', 'addr', 'add', `${net(5)}/30`, 'dev', `gx${id}`]);
      await sh(['ip', 'netns', 'exec', b.netns, 'ip', 'link', 'set', `gx${id}`, 'up']);
      await sh(['ip', 'netns', 'exec', c.netns, 'ip', 'addr', 'add', `${net(6)}/30`, 'dev', `gy${id}`]);
      await sh(['ip', 'netns', 'exec', c.netns, 'ip', 'link', 'set', `gy${id}`, 'up']);
      await sh(['ip', 'netns', 'exec', c.netns, 'ip', 'link', 'set', 'lo', 'up']);
      swarmAddress = net(5);
    }
    for (const s of options.worker ? [b, c] : [b]) {
      const dockerd = await startDockerd(s, s === b ? 'server B' : 'its worker');
      s.dockerd = dockerd;
      started.push(s);
      cleanups.push(async () => {
        // Leaving the swarm first lets dockerd remove its load balancers' namespaces itself.
        await run('docker', ['-H', `unix://${s.socket}`, 'swarm', 'leave', '--force'], { allowFailure: true, timeoutMs: 60_000 });
        await dockerd.stop(30_000);
      });
    }
    const engineB = engineOf(b, net(2));
    await engineB.docker(['swarm', 'init', '--advertise-addr', swarmAddress, '--listen-addr', `${swarmAddress}:2377`]);
    // Images cannot be pulled: copy them from the host's engine.
    const images = options.images ?? ['local/busybox:1'];
    const tar = path.join(dir, 'images.tar');
    await sh(['docker', 'save', '-o', tar, ...images]);
    for (const s of started) await sh(['docker', '-H', `unix://${s.socket}`, 'load', '-i', tar]);

    let worker: (Engine & { nodeId: string }) | undefined;
    if (options.worker) {
      const token = (await engineB.docker(['swarm', 'join-token', '-q', 'worker'])).trim();
      const engineC = engineOf(c, net(6));
      await engineC.docker(['swarm', 'join', '--token', token, '--advertise-addr', net(6), '--listen-addr', `${net(6)}:2377`, `${net(5)}:2377`]);
      const nodeId = (await engineC.docker(['info', '--format', '{{.Swarm.NodeID}}'])).trim();
      await waitFor(async () => (await engineB.docker(['node', 'inspect', '--format', '{{.Status.State}}', nodeId])).trim() === 'ready', {
        timeoutMs: 60_000,
        intervalMs: 500,
        description: 'the worker to be ready',
      });
      worker = { ...engineC, nodeId };
    }

    // Docker contexts in a private config; an ssh wrapper on a private PATH.
    const config = path.join(dir, 'docker-config');
    const bin = path.join(dir, 'bin');
    await mkdir(config, { recursive: true });
    await mkdir(bin, { recursive: true });
    const env = { DOCKER_CONFIG: config, PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}` };
    const context = `serverb-${id}`;
    await run('docker', ['context', 'create', context, '--docker', `host=unix://${b.socket}`], { env: { ...process.env, ...env } });
    const result: EngineB = {
      ...engineB,
      env,
      context,
      sshConnections: async () => (await readFile(path.join(dir, 'ssh.log'), 'utf8').catch(() => '')).split('\n').filter(Boolean).length,
      dropSshSessions: async () => 0,
      stop,
    };
    if (worker) result.worker = worker;
    if (options.ssh) {
      const sshDir = path.join(dir, 'ssh');
      await mkdir(sshDir, { recursive: true, mode: 0o700 });
      await mkdir('/run/sshd', { recursive: true, mode: 0o755 });
      await sh(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-f', path.join(sshDir, 'host_key')]);
      await sh(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-f', path.join(sshDir, 'id_ed25519')]);
      await writeFile(path.join(sshDir, 'authorized_keys'), await readFile(path.join(sshDir, 'id_ed25519.pub')), { mode: 0o600 });
      const sshdConfig = path.join(sshDir, 'sshd_config');
      await writeFile(
        sshdConfig,
        [
          `ListenAddress ${net(2)}`,
          'Port 22',
          `HostKey ${path.join(sshDir, 'host_key')}`,
          `AuthorizedKeysFile ${path.join(sshDir, 'authorized_keys')}`,
          `PidFile ${path.join(sshDir, 'sshd.pid')}`,
          'PermitRootLogin prohibit-password',
          'PasswordAuthentication no',
          'KbdInteractiveAuthentication no',
          'UsePAM no',
          'StrictModes no',
          // What `docker` finds when galley's client runs `docker system dial-stdio` over ssh: B's engine.
          `SetEnv DOCKER_HOST=unix://${b.socket}`,
          '',
        ].join('\n'),
      );
      const sshd = startProcess('nsenter', [`--net=/run/netns/${b.netns}`, '/usr/sbin/sshd', '-D', '-e', '-f', sshdConfig]);
      cleanups.push(() => sshd.stop(5000));
      b.sshd = sshd;
      await writeFile(
        path.join(sshDir, 'ssh_config'),
        [
          'Host *',
          `  IdentityFile ${path.join(sshDir, 'id_ed25519')}`,
          `  UserKnownHostsFile ${path.join(sshDir, 'known_hosts')}`,
          '  StrictHostKeyChecking accept-new',
          '  BatchMode yes',
          '',
        ].join('\n'),
      );
      const wrapper = path.join(bin, 'ssh');
      await writeFile(wrapper, `#!/bin/sh\necho "$$ $*" >> ${path.join(dir, 'ssh.log')}\nexec /usr/bin/ssh -F ${path.join(sshDir, 'ssh_config')} "$@"\n`);
      await chmod(wrapper, 0o755);
      await waitFor(
        async () => {
          if (sshd.exitStatus()) throw new Error(`sshd exited: ${sshd.output()}`);
          const res = await run(wrapper, [`root@${net(2)}`, 'true'], { allowFailure: true, timeoutMs: 15_000 });
          return res.code === 0;
        },
        { timeoutMs: 30_000, intervalMs: 250, description: 'sshd of server B to accept the key' },
      );
      await writeFile(path.join(dir, 'ssh.log'), '');
      result.sshContext = `${context}-ssh`;
      await run('docker', ['context', 'create', result.sshContext, '--docker', `host=ssh://root@${net(2)}`], { env: { ...process.env, ...env } });
      result.dropSshSessions = async () => {
        // sshd's session processes: children of the listening sshd (we started them, we end them).
        const master = Number((await readFile(path.join(sshDir, 'sshd.pid'), 'utf8')).trim());
        const children = await childrenOf(master);
        for (const pid of children) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            // gone already
          }
        }
        return children.length;
      };
    }
    return result;
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Pids whose parent is `pid` (read from /proc: procps may not be installed). */
async function childrenOf(pid: number): Promise<number[]> {
  const out: number[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => '');
    // pid (comm) state ppid …: comm may hold spaces and parentheses, so read after the last ")".
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid === pid) out.push(Number(name));
  }
  return out;
}
