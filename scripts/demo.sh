#!/usr/bin/env bash
# The README's first command: installs, builds and runs galley's main job on
# the built-in examples (examples/recipes): the catalogue asks a local registry
# seeded with recorded upstream tags (offline, with a notice, without one).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
npm run build
exec node scripts/demo.mjs "$@"
