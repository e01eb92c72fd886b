#!/bin/sh
# npm run test:slurm — starts a single-node Slurm cluster on localhost (installs
# slurm-wlm and munge from Debian if missing; needs root), builds the engine, runs
# test/slurm/, and shuts the cluster down. Exits non-zero when a test fails.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
dir=$(mktemp -d /tmp/bomf-slurm.XXXXXX)
trap '"$root/scripts/slurm-local.sh" stop "$dir"; rm -rf "$dir"' EXIT INT TERM
"$root/scripts/slurm-local.sh" start "$dir" || exit 1
export SLURM_CONF="$dir/slurm.conf"
cd "$root" || exit 1
npm run build --silent || exit 1
node --import tsx --test --test-reporter=spec --test-concurrency=1 test/slurm/*.test.ts
