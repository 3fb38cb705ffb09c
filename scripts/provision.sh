#!/usr/bin/env bash
# Provision what Galley's integration tests (test/**) need on a Debian 12
# machine: Debian's docker engine, distribution registry, skopeo, chromium,
# busybox-static, git, pre-commit (for the hook test), xmllint (libxml2-utils:
# the site's sitemap is validated against the sitemaps XSD), openssh-server and
# iproute2 (the deploy tests' second engine, "server B", in a network namespace
# reached over ssh; test/support/engine-b.ts starts it, provision only installs);
# a running dockerd; an active single-node swarm; and
# the local/busybox image that deploy tests run (no image can be pulled here).
#
# Idempotent and fast when everything is already there (about a second): it
# only runs apt-get when a package is missing, only starts dockerd when the
# engine does not answer, only inits the swarm when it is inactive, and only
# imports the image when it is missing or its layout changed.
#
# Usage: scripts/provision.sh            (as root; prints one line per step)
# Env:   GALLEY_DOCKERD_TIMEOUT  seconds to wait for the docker socket (60)
#        GALLEY_DOCKERD_LOG      dockerd's log file (/var/log/galley-dockerd.log)
#        GALLEY_BUSYBOX_TAG      tag of local/busybox to import (1)
#
# What dockerd needs in this sandbox (found by running it, Nov 2026: a
# Firecracker VM, kernel 6.18, no systemd, no kernel modules, no modprobe):
# - Nothing special to start: Debian's dockerd 20.10 starts with its defaults
#   and launches its own containerd. Storage: overlay2 works (overlay is in
#   /proc/filesystems, / is ext4); we pass --storage-driver explicitly and fall
#   back to vfs where overlay is missing. iptables: Debian's alternative is
#   iptables-nft and it works; where no iptables backend works we pass
#   --iptables=false (containers then lack NAT). Cgroups: v1 hierarchies are
#   mounted by the VM's init (hybrid, cgroup2 on /sys/fs/cgroup/unified), the
#   default cgroupfs driver works; where nothing is mounted we try
#   cgroupfs-mount. dockerd sets net.ipv4.ip_forward=1 itself.
# - Harmless noise in its log: no aufs/btrfs/zfs/devmapper snapshotters, no
#   blkio weight, "enabling default vlan on bridge br0 ... permission denied".
# - The kernel has no IPVS (ip_vs): swarm's VIP load balancing and the ingress
#   routing mesh do NOT work ("Could not get ipvs family information"). A port
#   published in the default ingress mode is never reachable and a service
#   name resolves to a VIP that routes nowhere ("No route to host"). Deploy
#   tests must publish with `mode: host` and reach other services with
#   `deploy.endpoint_mode: dnsrr`; both were checked to work.
# - Each task start makes the swarm agent try to pull the image from Docker Hub
#   (DNS fails at once here, then the local image is used). Use
#   `docker service create --no-resolve-image` / `docker stack deploy
#   --resolve-image never` so the client does not try to resolve it too.
# - Debian's busybox 1.35 `wget -T N` segfaults (exit 139) even on the host;
#   use `timeout N wget ...` in healthchecks instead of -T.
# - Containers running `sh`/`sleep` as PID 1 ignore SIGTERM and take the full
#   10 s stop grace period; use `init: true` or a short stop_grace_period.
# Client/engine API: /usr/local/bin/docker (client 28.x, API 1.50) comes before
# Debian's /usr/bin/docker (20.10, API 1.41) on PATH. The 28.x client
# negotiates down by itself ("API version: 1.41 (downgraded from 1.50)") and
# swarm init, service create/ps/rm, stack deploy/rm and import all work with
# it, so DOCKER_API_VERSION is not needed; we refuse a DOCKER_API_VERSION set
# above what the engine speaks, because that disables the negotiation.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root_dir="$(cd "$here/.." && pwd)"
dockerd_timeout="${GALLEY_DOCKERD_TIMEOUT:-60}"
dockerd_log="${GALLEY_DOCKERD_LOG:-/var/log/galley-dockerd.log}"
busybox_tag="${GALLEY_BUSYBOX_TAG:-1}"
applets_file="$root_dir/test/support/busybox-applets.txt"

# package -> a file it installs that we use
declare -A package_file=(
  [docker.io]=/usr/sbin/dockerd
  [docker-registry]=/usr/bin/docker-registry
  [skopeo]=/usr/bin/skopeo
  [chromium]=/usr/bin/chromium
  [busybox-static]=/bin/busybox
  [git]=/usr/bin/git
  [pre-commit]=/usr/bin/pre-commit
  [libxml2-utils]=/usr/bin/xmllint
  [openssh-server]=/usr/sbin/sshd
  [iproute2]=/usr/sbin/ip
)
packages=(docker.io docker-registry skopeo chromium busybox-static git pre-commit libxml2-utils openssh-server iproute2)

# pid of a live dockerd from its pidfile (procps/pgrep may not be installed)
dockerd_pid_alive() {
  local pid
  pid="$(cat /var/run/docker.pid 2>/dev/null)" || return 1
  [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = dockerd ]
}
step() { printf 'provision: %s\n' "$*"; }
fail() { printf 'provision: ERROR: %s\n' "$*" >&2; exit 1; }

is_root() { [ "$(id -u)" = 0 ]; }
why_not_root() {
  local reasons=()
  is_root || reasons+=("not running as root (uid $(id -u))")
  command -v apt-get >/dev/null 2>&1 || reasons+=("apt-get not found")
  local IFS=';'
  printf '%s' "${reasons[*]}"
}

# --- 1. packages --------------------------------------------------------------
missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for p in "${packages[@]}"; do
    status="$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)"
    if [ "$status" != "install ok installed" ] || [ ! -e "${package_file[$p]}" ]; then
      missing+=("$p")
    fi
  done
else
  for p in "${packages[@]}"; do [ -e "${package_file[$p]}" ] || missing+=("$p"); done
fi

if [ "${#missing[@]}" -eq 0 ]; then
  step "packages: all present (${packages[*]})"
else
  blockers="$(why_not_root)"
  if [ -n "$blockers" ]; then
    also=""
    if ! { command -v docker >/dev/null 2>&1 && timeout 10 docker version --format '{{.Server.APIVersion}}' >/dev/null 2>&1; }; then
      also="; also missing: a reachable dockerd"
    fi
    fail "missing packages: ${missing[*]}$also; cannot install them: $blockers"
  fi
  # Keep package scripts from starting docker/registry services themselves.
  created_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    created_policy=1
  fi
  step "packages: installing ${missing[*]} (apt-get update + install)"
  export DEBIAN_FRONTEND=noninteractive NEEDRESTART_MODE=l
  apt_rc=0
  { apt-get update -qq && apt-get install -y -qq "${missing[@]}"; } \
    > /tmp/galley-apt.log 2>&1 || apt_rc=$?
  [ "$created_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d
  if [ "$apt_rc" -ne 0 ]; then
    tail -n 20 /tmp/galley-apt.log >&2
    fail "apt-get failed (exit $apt_rc) installing: ${missing[*]} (full log: /tmp/galley-apt.log)"
  fi
  step "packages: installed ${missing[*]}"
fi

command -v docker >/dev/null 2>&1 || fail "no docker client on PATH (expected /usr/bin/docker from docker.io)"

# --- 2. dockerd -----------------------------------------------------------------
engine_api() { timeout 10 docker version --format '{{.Server.APIVersion}}' 2>/dev/null; }

if [ -n "${DOCKER_API_VERSION:-}" ]; then
  step "docker: DOCKER_API_VERSION=$DOCKER_API_VERSION is set (disables API negotiation)"
fi

if api="$(engine_api)" && [ -n "$api" ]; then
  step "dockerd: already running (engine API $api)"
else
  if ! is_root; then
    fail "dockerd is not answering on ${DOCKER_HOST:-unix:///var/run/docker.sock} and only root can start it (uid $(id -u))"
  fi
  if dockerd_pid_alive; then
    step "dockerd: a dockerd process exists but does not answer yet; waiting for it"
  else
    dockerd_args=()
    # cgroups: dockerd needs either cgroup v2 or the v1 hierarchies mounted.
    if [ ! -e /sys/fs/cgroup/cgroup.controllers ] && [ ! -d /sys/fs/cgroup/memory ]; then
      if command -v cgroupfs-mount >/dev/null 2>&1; then
        cgroupfs-mount || fail "cgroupfs-mount failed; dockerd needs /sys/fs/cgroup"
      else
        fail "no cgroup hierarchy under /sys/fs/cgroup and no cgroupfs-mount (apt-get install cgroupfs-mount)"
      fi
    fi
    # storage driver
    if grep -qw overlay /proc/filesystems; then
      dockerd_args+=(--storage-driver=overlay2)
    else
      dockerd_args+=(--storage-driver=vfs)
      step "dockerd: kernel has no overlay filesystem, using the slow vfs storage driver"
    fi
    # iptables
    if ! iptables -t nat -S >/dev/null 2>&1; then
      if command -v iptables-legacy >/dev/null 2>&1 && iptables-legacy -t nat -S >/dev/null 2>&1; then
        update-alternatives --set iptables /usr/sbin/iptables-legacy >/dev/null
        update-alternatives --set ip6tables /usr/sbin/ip6tables-legacy >/dev/null 2>&1 || true
        step "dockerd: iptables-nft does not work here, switched to iptables-legacy"
      else
        dockerd_args+=(--iptables=false)
        step "dockerd: no working iptables, starting with --iptables=false"
      fi
    fi
    mkdir -p "$(dirname "$dockerd_log")"
    step "dockerd: starting (${dockerd_args[*]}), log: $dockerd_log"
    # New session (setsid) and no controlling terminal/stdio: dockerd outlives
    # this script and whatever shell or CI step ran it.
    setsid nohup dockerd "${dockerd_args[@]}" >>"$dockerd_log" 2>&1 </dev/null &
    dockerd_pid=$!
    disown "$dockerd_pid" 2>/dev/null || true
  fi
  deadline=$((SECONDS + dockerd_timeout))
  until api="$(engine_api)" && [ -n "$api" ]; do
    if [ -n "${dockerd_pid:-}" ] && ! kill -0 "$dockerd_pid" 2>/dev/null; then
      tail -n 20 "$dockerd_log" >&2 || true
      fail "dockerd exited during startup (see $dockerd_log)"
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      tail -n 20 "$dockerd_log" >&2 || true
      fail "dockerd did not answer on /var/run/docker.sock within ${dockerd_timeout}s (see $dockerd_log)"
    fi
    sleep 0.2
  done
  step "dockerd: running (engine API $api)"
fi

client_api="$(docker version --format '{{.Client.APIVersion}}' 2>/dev/null || true)"
step "docker: client $(command -v docker) API $client_api, engine API $api"
if [ -n "${DOCKER_API_VERSION:-}" ] && [ "$(printf '%s\n%s\n' "$api" "$DOCKER_API_VERSION" | sort -V | tail -n1)" != "$api" ]; then
  fail "DOCKER_API_VERSION=$DOCKER_API_VERSION is newer than the engine's API $api; unset it (the client negotiates by itself)"
fi

# --- 3. swarm --------------------------------------------------------------------
swarm_state="$(docker info --format '{{.Swarm.LocalNodeState}}')"
case "$swarm_state" in
  active) step "swarm: already active" ;;
  inactive)
    docker swarm init --advertise-addr 127.0.0.1 >/dev/null
    step "swarm: initialised (advertise 127.0.0.1)" ;;
  *) fail "swarm is in state '$swarm_state'; fix it by hand (e.g. docker swarm leave --force, then rerun)" ;;
esac

# --- 4. local/busybox image -------------------------------------------------------
# Same layout and label as test/support/swarm.ts (ensureImage), so either one
# can import it and the other sees it is current.
[ -r "$applets_file" ] || fail "missing $applets_file"
mapfile -t applets < <(grep -v '^[[:space:]]*\(#\|$\)' "$applets_file")
busybox_sha="$(sha256sum /bin/busybox | cut -d' ' -f1)"
layout="$({ printf '%s\n' "$busybox_sha"; printf '%s\n' "${applets[@]}"; } | sha256sum | cut -d' ' -f1)"
image="local/busybox:$busybox_tag"
have="$(docker image inspect --format '{{index .Config.Labels "galley.busybox.layout"}}' "$image" 2>/dev/null || true)"
if [ "$have" = "$layout" ]; then
  step "image: $image present"
else
  tmp="$(mktemp -d /tmp/galley-busybox-XXXXXX)"
  trap 'rm -rf "$tmp"' EXIT
  mkdir -p "$tmp/bin" "$tmp/etc" "$tmp/tmp"
  chmod 1777 "$tmp/tmp"
  cp /bin/busybox "$tmp/bin/busybox"
  for a in "${applets[@]}"; do ln -sf busybox "$tmp/bin/$a"; done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "$tmp/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' > "$tmp/etc/group"
  tar -C "$tmp" --owner=0 --group=0 --numeric-owner -c . \
    | docker import --change 'CMD ["sh"]' --change "LABEL galley.busybox.layout=$layout" - "$image" >/dev/null
  step "image: imported $image (busybox ${busybox_sha:0:12}, ${#applets[@]} applets)"
fi

step "done"
