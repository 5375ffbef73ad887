#!/usr/bin/env bash
# The registry's change feed on a fresh release pingan-registry: a follower catching up on
# VOLUNTEERS (50,000) registrations, then the lag of a live follower while LIVE (20,000) more
# are imported in batches of 2,000. Prints one JSON line.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. Tests/Benchmarks/stack.sh
bench_setup .build-bench/feed pingan-bench pingan-registry
bench_client
port=${PORT:-50097}
start_registry "$work" "$port"
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
wait_port "$port"
"$bin/pingan-bench" feed --port "$port" --volunteers "${VOLUNTEERS:-50000}" --live "${LIVE:-20000}" "${bench_tls[@]}"
