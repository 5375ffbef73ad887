#!/usr/bin/env bash
# Bulk-imports VOLUNTEERS (100,000) into a fresh release pingan-registry through the API, noting
# the import's time, the database's size and the RSS at each of CHECKPOINTS (10,000 and 100,000);
# then measures, at the full size over mutual TLS, GetVolunteer at 1 and 16 in flight against
# Health/Check at 16 (same run), GetProgress, search pages from random points, and the RSS.
# Prints one JSON line.
#   VOLUNTEERS=1000000 Tests/Benchmarks/registry-import.sh     the registry at a million (~1 min)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. Tests/Benchmarks/stack.sh
bench_setup .build-bench/registry pingan-bench pingan-registry
bench_client
port=${PORT:-50095}
start_registry "$work" "$port"
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
wait_port "$port"
"$bin/pingan-bench" registry-import --port "$port" --server-pid "$server" --volunteers "${VOLUNTEERS:-100000}" \
  --checkpoints "${CHECKPOINTS:-10000,100000}" --database "$work/registry.sqlite" "${bench_tls[@]}"
