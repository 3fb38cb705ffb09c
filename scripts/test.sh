#!/usr/bin/env bash
# The README's test command: sets up everything the tests need on a fresh
# Debian machine with Node 20 (as root) and runs every test.
#   1. scripts/provision.sh: docker engine + swarm, registry, skopeo,
#      chromium, busybox image, git (idempotent; fast when already there)
#   2. npm install (the locked versions; not `npm ci`: this registry mirror
#      has no other-platform optional packages, so the lock cannot list them
#      and `npm ci` refuses it)
#   3. npm run build (type check, schemas, bundle)
#   4. npm test (unit and integration tests against the real components)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/provision.sh
npm install --no-audit --no-fund
npm run build
npm test
