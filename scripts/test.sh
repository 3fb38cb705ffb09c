#!/usr/bin/env bash
# The README's test command: sets up everything the tests need on a fresh
# Debian machine with Node 20 (as root) and runs every test.
#   1. scripts/provision.sh: docker engine + swarm, registry, skopeo,
#      chromium, busybox image, git (idempotent; fast when already there)
#   2. npm ci (exactly the locked versions; the lock lists every platform's
#      optional packages, so it works on any machine and leaves git clean)
#   3. npm run lint (house style: biome formats and lints galley's own code)
#   4. npm run build (type check, schemas, bundle)
#   5. npm test (unit and integration tests against the real components)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/provision.sh
npm ci --no-audit --no-fund
npm run lint
npm run build
npm test
