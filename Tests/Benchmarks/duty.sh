#!/usr/bin/env bash
# Starts release builds of pingan-registry, pingan-training and pingan-duty on loopback with a
# fresh CA, loads VOLUNTEERS (6,249) and trains every other one through the APIs, then measures
# duty: rotas for POSTS (54) committees assigning ~10,000 shifts of May 2010 with the registry
# and training checks, single AssignShift calls for comparison, CHECK_INS (8,000) check-ins 16
# in flight against Health at the same concurrency, and the month's coverage and compliance
# reports against Health/Check. Prints one JSON line.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. Tests/Benchmarks/stack.sh
bench_setup .build-bench/duty pingan-bench pingan-registry pingan-training pingan-duty
bench_client
registry_port=${REGISTRY_PORT:-50197} training_port=${TRAINING_PORT:-50198} duty_port=${DUTY_PORT:-50199}
start_registry "$work" "$registry_port"
registry=$!
start_training "$work" "$training_port" "$registry_port"
training=$!
start_duty "$work" "$duty_port" "$registry_port" "$training_port"
duty=$!
trap 'kill $registry $training $duty 2>/dev/null || true' EXIT
wait_port "$registry_port" "$training_port" "$duty_port"
volunteers=${VOLUNTEERS:-6249}
loaded=$("$bin/pingan-bench" training-qualify --load-only --registry-port "$registry_port" --training-port "$training_port" \
  --volunteers "$volunteers" --trained "$volunteers" "${bench_tls[@]}")
first=$(sed -n 's/.*"first_volunteer_id":\([0-9]*\).*/\1/p' <<<"$loaded")
"$bin/pingan-bench" duty --registry-port "$registry_port" --duty-port "$duty_port" --first-volunteer "$first" \
  --volunteers "$volunteers" --posts "${POSTS:-54}" --check-ins "${CHECK_INS:-8000}" "${bench_tls[@]}"
