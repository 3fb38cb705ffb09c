// Deploy-to-converged time and docker connections of a two-service stack
// (an httpd `app` with a healthcheck, a sleeping `db` without one, one
// config), on the local swarm and on "server B" over ssh://:
//
//   galley:  galley deploy <app.env> --recipe <dir> --chaos --yes   (lint gate, env check, render,
//            locks, checks, docker stack deploy, convergence with the stability window for db,
//            image report, config prune)
//   peer:    docker stack deploy -c <the same rendered file> + a shell loop polling
//            `docker service ls` every 0.25 s until both services show 1/1 and db has stayed
//            1/1 for the same stability window
//
// Same stack, same run, alternating, fresh stack names each time (RUNS local, SSH_RUNS over ssh);
// the stacks are removed (untimed, over the engine's socket) between runs. Targets: overhead under 1 s; a handful
// of docker connections per deploy (local: docker processes, each one opens
// its own connection; over ssh: ssh connections, counted by an ssh wrapper).
// Needs the swarm of scripts/provision.sh and a build (npm run build); over
// ssh also root (a second dockerd and sshd in a network namespace).
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { importTestSupport } from './test-support.mjs';

const root = new URL('..', import.meta.url).pathname;
const galleyBin = `${root}dist/galley/bin/galley.js`;
const RUNS = Number(process.env.RUNS ?? 3);
const STABILITY = Number(process.env.STABILITY ?? 3);
const SSH = process.env.SSH !== '0';

function sh(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  if (result.status !== 0 && !options.allowFailure) {
    throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${result.stderr || result.stdout}`);
  }
  return result;
}

const state = sh('docker', ['info', '--format', '{{.Swarm.LocalNodeState}}'], { allowFailure: true });
if (state.status !== 0 || state.stdout.trim() !== 'active') {
  console.error('deploy bench: no active docker swarm here; run scripts/provision.sh (as root) first');
  process.exit(2);
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'galley-bench-deploy-'));
const recipe = path.join(dir, 'recipe');
mkdirSync(recipe);
writeFileSync(
  path.join(recipe, 'compose.yml'),
  `version: "3.8"
services:
  app:
    image: local/busybox:1
    init: true
    stop_grace_period: 1s
    command: ["sh", "-c", "echo ok > /tmp/index.html && exec httpd -f -p 8080 -h /tmp"]
    configs:
      - source: greeting
        target: /greeting.txt
    healthcheck:
      test: ["CMD", "sh", "-c", "timeout 2 wget -q -O- http://127.0.0.1:8080/ >/dev/null"]
      interval: 1s
      timeout: 2s
      retries: 3
    deploy:
      labels:
        - "traefik.enable=true"
        - "traefik.http.services.\${STACK_NAME}.loadbalancer.server.port=8080"
        - "traefik.http.routers.\${STACK_NAME}.rule=Host(\`\${DOMAIN}\`)"
        - "traefik.http.routers.\${STACK_NAME}.entrypoints=web-secure"
        - "coop-cloud.\${STACK_NAME}.version=1.0.0+1"
        - "coop-cloud.\${STACK_NAME}.timeout=120"
  db:
    image: local/busybox:1
    init: true
    stop_grace_period: 1s
    command: ["sleep", "1000000"]
    deploy:
      endpoint_mode: dnsrr
configs:
  greeting:
    name: \${STACK_NAME}_greeting_\${GREETING_VERSION}
    file: greeting.txt
`,
);
writeFileSync(path.join(recipe, 'greeting.txt'), 'hello\n');
writeFileSync(path.join(recipe, 'abra.sh'), 'export GREETING_VERSION=v1\n');
writeFileSync(path.join(recipe, '.env.sample'), 'TYPE=benchapp\nDOMAIN=bench.example\n');
writeFileSync(path.join(dir, 'deploy.yml'), `stability: ${STABILITY}\n`);

// A docker wrapper first on PATH that logs each process (local connection count).
const bin = path.join(dir, 'bin');
mkdirSync(bin);
const dockerLog = path.join(dir, 'docker.log');
const realDocker = sh('sh', ['-c', 'command -v docker']).stdout.trim();
writeFileSync(path.join(bin, 'docker'), `#!/bin/sh\necho "$*" >> ${dockerLog}\nexec ${realDocker} "$@"\n`);
chmodSync(path.join(bin, 'docker'), 0o755);
const count = (file) => readFileSync(file, 'utf8').split('\n').filter(Boolean).length;
// CPU seconds of finished children (and theirs): cutime + cstime of /proc/self/stat. Comparable on a busy
// machine, where wall time mostly measures the wait for a core.
const childCpu = () => {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) / 100;
};

function removeStack(stack, env) {
  sh('docker', ['stack', 'rm', stack], { allowFailure: true, env });
  const filter = `label=com.docker.stack.namespace=${stack}`;
  for (let i = 0; i < 480; i++) {
    const left = ['service ls -q', 'ps -aq', 'network ls -q', 'config ls -q']
      .map((c) => sh('docker', [...c.split(' '), '--filter', filter], { allowFailure: true, env }).stdout.trim())
      .join('');
    if (!left) return;
    spawnSync('sleep', ['0.25']);
  }
  throw new Error(`stack ${stack} did not go away`);
}

// The peer: stack deploy, then poll until 2 services are 1/1 and db has stayed 1/1 for the window.
const POLL = `
stack=$1; window=$2
docker stack deploy -c "$3" --resolve-image never "$stack" >/dev/null 2>&1 || exit 1
stable_since=""
while :; do
  replicas=$(docker service ls --filter "label=com.docker.stack.namespace=$stack" --format '{{.Name}} {{.Replicas}}')
  if [ "$(printf '%s\\n' "$replicas" | grep -c ' 1/1$')" = 2 ]; then
    now=$(date +%s.%N)
    [ -z "$stable_since" ] && stable_since=$now
    awk -v a="$now" -v b="$stable_since" -v w="$window" 'BEGIN { exit !(a - b >= w) }' && exit 0
  else
    stable_since=""
  fi
  sleep 0.25
done
`;

function scenario(label, server, runs) {
  const env = { ...process.env, ...server.env, PATH: `${bin}:${server.env?.PATH ?? process.env.PATH}`, NO_COLOR: '1' };
  // Untimed clean-up straight to the engine's socket (over ssh it would be slow for nothing).
  const cleanupEnv = server.cleanupEnv ?? env;
  const galleyEnv = { ...env, GALLEY_LOCK_DIR: path.join(dir, 'locks'), GALLEY_DEPLOY_CONFIG: path.join(dir, 'deploy.yml') };
  const stacks = [];
  const appEnv = (name) => {
    const folder = path.join(dir, 'servers', server.context);
    mkdirSync(folder, { recursive: true });
    const file = path.join(folder, `${name}.env`);
    writeFileSync(file, `TYPE=benchapp\nDOMAIN=${name}.example\n`);
    stacks.push(`${name}_example`);
    return file;
  };
  const connections = () => (server.sshLog ? count(server.sshLog) : count(dockerLog));
  const timeGalley = (i) => {
    const name = `gdb-galley-${process.pid}-${label.replace(/\W/g, '')}-${i}`;
    const file = appEnv(name);
    const before = connections();
    const cpu = childCpu();
    const start = performance.now();
    const result = sh(process.execPath, [galleyBin, 'deploy', file, '--recipe', recipe, '--chaos', '--yes', '--json'], { env: galleyEnv, allowFailure: true });
    const ms = performance.now() - start;
    if (result.status !== 0) throw new Error(`galley deploy failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
    const cpuUsed = childCpu() - cpu;
    const report = JSON.parse(result.stdout);
    const used = connections() - before;
    removeStack(`${name}_example`, cleanupEnv);
    return { ms, used, cpu: cpuUsed, self: report.docker };
  };
  const timePeer = (i) => {
    const name = `gdb-peer-${process.pid}-${label.replace(/\W/g, '')}-${i}`;
    const file = appEnv(name);
    // The very compose file galley deploys (rendered, labelled, paths absolute), made before timing.
    const rendered = sh(process.execPath, [galleyBin, 'deploy', file, '--recipe', recipe, '--chaos', '--dry-run'], { env: galleyEnv }).stdout;
    const composeFile = path.join(dir, `${name}.yml`);
    writeFileSync(composeFile, rendered.replace(/^# .*$/gm, ''));
    const before = connections();
    const cpu = childCpu();
    const start = performance.now();
    sh('sh', ['-c', POLL, 'poll', `${name}_example`, String(STABILITY), composeFile], { env });
    const ms = performance.now() - start;
    const cpuUsed = childCpu() - cpu;
    const used = connections() - before;
    removeStack(`${name}_example`, cleanupEnv);
    return { ms, used, cpu: cpuUsed };
  };
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  try {
    const galley = [];
    const peer = [];
    if (!server.sshLog) timePeer('warm');
    for (let i = 0; i < runs; i++) {
      peer.push(timePeer(i));
      galley.push(timeGalley(i));
    }
    const g = median(galley.map((r) => r.ms));
    const p = median(peer.map((r) => r.ms));
    const fmt = (xs) => xs.map((x) => (x.ms / 1000).toFixed(2)).join(', ');
    const unit = server.sshLog ? 'ssh connections' : 'docker processes';
    const cpus = (rs) => rs.map((r) => r.cpu.toFixed(2)).join(', ');
    const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
    console.log(`${label}: two-service stack, fresh deploy to converged (db stable ${STABILITY} s), median of ${runs} runs each:`);
    console.log(`  docker stack deploy + polling loop   ${(p / 1000).toFixed(2)} s   (${fmt(peer)})   ${unit}: ${peer.map((r) => r.used).join(', ')}`);
    console.log(`  galley deploy                         ${(g / 1000).toFixed(2)} s   (${fmt(galley)})   ${unit}: ${galley.map((r) => r.used).join(', ')}`);
    console.log(
      `  galley's own count: ${galley.map((r) => `${r.self.engineConnections} engine connection(s) + ${r.self.cliProcesses} docker CLI run(s), ${r.self.requests} requests`).join('; ')}`,
    );
    console.log(`  CPU seconds (client side): peer ${cpus(peer)}; galley ${cpus(galley)}; load average ${load}`);
    console.log(
      `  galley overhead: ${((g - p) / 1000).toFixed(2)} s (${(g / p).toFixed(2)}x the peer); target: under 1 s -> ${g - p < 1000 ? 'met' : 'NOT met'}`,
    );
  } finally {
    for (const stack of stacks) removeStack(stack, cleanupEnv);
  }
}

let engineB;
try {
  scenario('local', { context: 'default', env: {} }, RUNS);
  if (SSH && process.getuid?.() === 0) {
    const { startEngineB } = await importTestSupport('engine-b');
    engineB = await startEngineB({ ssh: true });
    const sshLog = path.join(path.dirname(engineB.env.DOCKER_CONFIG), 'ssh.log');
    scenario(
      'ssh://',
      {
        context: engineB.sshContext,
        env: { ...engineB.env, DOCKER_CONTEXT: engineB.sshContext },
        cleanupEnv: { ...process.env, DOCKER_HOST: engineB.host },
        sshLog,
      },
      Number(process.env.SSH_RUNS ?? 2),
    );
  } else if (SSH) console.log('ssh://: skipped (needs root for a second engine; SSH=0 skips it)');
} finally {
  await engineB?.stop();
  rmSync(dir, { recursive: true, force: true });
}
