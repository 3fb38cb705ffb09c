// Deploy-to-converged time of a two-service stack (an httpd `app` with a
// healthcheck, a sleeping `db`, one config) on the local swarm:
//
//   galley:  galley deploy <app.env> --recipe <dir>            (lint gate, render, lock,
//            config check, docker stack deploy, convergence watch, image report)
//   peer:    docker stack deploy -c <the same rendered file> + a shell loop polling
//            `docker service ls` every 0.25 s until both services show 1/1
//
// Same stack, same run, alternating, fresh stack names each time; the stacks
// are removed (untimed) between runs. Target: galley's overhead under 1 s.
// Needs the swarm of scripts/provision.sh and a build (npm run build).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

const root = new URL('..', import.meta.url).pathname;
const galleyBin = `${root}dist/galley/bin/galley.js`;
const RUNS = Number(process.env.RUNS ?? 3);

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
if (sh('docker', ['image', 'inspect', 'local/busybox:1'], { allowFailure: true }).status !== 0) {
  console.error('deploy bench: local/busybox:1 is missing; run scripts/provision.sh (as root) first');
  process.exit(2);
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'galley-bench-deploy-'));
const recipe = path.join(dir, 'recipe');
sh('mkdir', ['-p', recipe]);
const compose = `version: "3.8"
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
`;
writeFileSync(path.join(recipe, 'compose.yml'), compose);
writeFileSync(path.join(recipe, 'greeting.txt'), 'hello\n');
writeFileSync(path.join(recipe, 'abra.sh'), 'export GREETING_VERSION=v1\n');
writeFileSync(path.join(recipe, '.env.sample'), 'TYPE=benchapp\nDOMAIN=bench.example\n');

const env = { ...process.env, GALLEY_LOCK_DIR: path.join(dir, 'locks'), ABRA_DIR: path.join(dir, 'abra'), NO_COLOR: '1' };
const stacks = [];

function appEnv(name) {
  const file = path.join(dir, `${name}.env`);
  writeFileSync(file, `TYPE=benchapp\nDOMAIN=${name}.example\n`);
  stacks.push(`${name}_example`);
  return file;
}

function removeStack(stack) {
  sh('docker', ['stack', 'rm', stack], { allowFailure: true });
  const filter = `label=com.docker.stack.namespace=${stack}`;
  for (let i = 0; i < 240; i++) {
    const left = ['service ls -q', 'ps -aq', 'network ls -q', 'config ls -q']
      .map((c) => sh('docker', [...c.split(' '), '--filter', filter], { allowFailure: true }).stdout.trim())
      .join('');
    if (!left) return;
    spawnSync('sleep', ['0.25']);
  }
  throw new Error(`stack ${stack} did not go away`);
}

function timeGalley(i) {
  const name = `gdb-galley-${process.pid}-${i}`;
  const file = appEnv(name);
  const start = performance.now();
  const result = sh(process.execPath, [galleyBin, 'deploy', file, '--recipe', recipe], { env, allowFailure: true });
  const ms = performance.now() - start;
  if (result.status !== 0) throw new Error(`galley deploy failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  removeStack(`${name}_example`);
  return ms;
}

const POLL = `
stack=$1; n=$2
docker stack deploy -c "$3" --resolve-image never "$stack" >/dev/null 2>&1 || exit 1
until [ "$(docker service ls --filter "label=com.docker.stack.namespace=$stack" --format '{{.Replicas}}' | grep -c '^1/1')" = "$n" ]; do
  sleep 0.25
done
`;

function timePeer(i) {
  const name = `gdb-peer-${process.pid}-${i}`;
  const file = appEnv(name);
  // The very compose file galley deploys (rendered, labelled, paths absolute), made before timing.
  const rendered = sh(process.execPath, [galleyBin, 'deploy', file, '--recipe', recipe, '--dry-run'], { env }).stdout;
  const composeFile = path.join(dir, `${name}.yml`);
  writeFileSync(composeFile, rendered);
  const start = performance.now();
  sh('sh', ['-c', POLL, 'poll', `${name}_example`, '2', composeFile]);
  const ms = performance.now() - start;
  removeStack(`${name}_example`);
  return ms;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

try {
  const galley = [];
  const peer = [];
  // Warm-up (file cache, first network create): not counted.
  timePeer('warm');
  for (let i = 0; i < RUNS; i++) {
    peer.push(timePeer(i));
    galley.push(timeGalley(i));
  }
  const g = median(galley);
  const p = median(peer);
  const fmt = (xs) => xs.map((x) => (x / 1000).toFixed(2)).join(', ');
  console.log(`two-service stack, fresh deploy to converged, median of ${RUNS} runs each:`);
  console.log(`  docker stack deploy + shell polling loop   ${(p / 1000).toFixed(2)} s   (${fmt(peer)})`);
  console.log(`  galley deploy                               ${(g / 1000).toFixed(2)} s   (${fmt(galley)})`);
  console.log(
    `  galley overhead: ${((g - p) / 1000).toFixed(2)} s (${(g / p).toFixed(2)}x the peer); target: under 1 s -> ${g - p < 1000 ? 'met' : 'NOT met'}`,
  );
} finally {
  for (const stack of stacks) removeStack(stack);
  rmSync(dir, { recursive: true, force: true });
}
