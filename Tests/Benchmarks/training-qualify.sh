#!/usr/bin/env bash
# Starts release builds of pingan-registry and pingan-training on loopback with a fresh CA,
# loads VOLUNTEERS (6,249) and trains TRAINED (2,000) of them through the APIs, then measures
# CheckQualifications for BATCH (1,000) volunteers against Health/Check on the same connection.
# Prints one JSON line.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. Tests/Benchmarks/stack.sh
bench_setup .build-bench/training pingan-bench pingan-registry pingan-training
bench_client
registry_port=${REGISTRY_PORT:-50097} training_port=${TRAINING_PORT:-50098}
start_registry "$work" "$registry_port"
registry=$!
start_training "$work" "$training_port" "$registry_port"
training=$!
trap 'kill $registry $training 2>/dev/null || true' EXIT
wait_port "$registry_port" "$training_port"
"$bin/pingan-bench" training-qualify --registry-port "$registry_port" --training-port "$training_port" \
  --volunteers "${VOLUNTEERS:-6249}" --trained "${TRAINED:-2000}" --batch "${BATCH:-1000}" "${bench_tls[@]}"
