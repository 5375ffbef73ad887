#!/usr/bin/env bash
# Bulk-imports VOLUNTEERS (100,000) into a fresh release pingan-registry through the API, noting
# the import's time, the database's size and the RSS at each of CHECKPOINTS (10,000 and 100,000);
# then measures, at the full size over mutual TLS, GetVolunteer at 1 and 16 in flight against
# Health/Check at 16 (same run), GetProgress, search pages from random points, and the RSS.
# Prints one JSON line.
#   VOLUNTEERS=1000000 Tests/Benchmarks/registry-import.sh     the registry at a million (~1 min)
#   FOLLOWERS=1 ...    as deployed: training and duty run too, copying the registry's volunteers
#                      from its feed while the import goes on
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. Tests/Benchmarks/stack.sh
followers=${FOLLOWERS:-0}
if [ "$followers" = 1 ]; then
  bench_setup .build-bench/registry pingan-bench pingan-registry pingan-training pingan-duty
else
  bench_setup .build-bench/registry pingan-bench pingan-registry
fi
bench_client
port=${PORT:-50095}
start_registry "$work" "$port"
server=$!
pids=($server)
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
wait_port "$port"
if [ "$followers" = 1 ]; then
  start_training "$work" $((port + 1)) "$port"
  pids+=($!)
  start_duty "$work" $((port + 2)) "$port" $((port + 1))
  pids+=($!)
  wait_port $((port + 1)) $((port + 2))
fi
"$bin/pingan-bench" registry-import --port "$port" --server-pid "$server" --volunteers "${VOLUNTEERS:-100000}" \
  --checkpoints "${CHECKPOINTS:-10000,100000}" --database "$work/registry.sqlite" "${bench_tls[@]}"
