#!/usr/bin/env bash
# Bulk-imports VOLUNTEERS (100,000) into a fresh release pingan-registry through the API, then
# measures GetVolunteer over mutual TLS against Health/Check (same run, same concurrency) and
# the service's RSS. Prints one JSON line.
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
"$bin/pingan-bench" registry-import --port "$port" --server-pid "$server" --volunteers "${VOLUNTEERS:-100000}" "${bench_tls[@]}"
