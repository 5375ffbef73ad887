#!/usr/bin/env bash
# Starts release builds of pingan-registry and pingan-training on loopback with a fresh CA,
# loads VOLUNTEERS (6,249) and trains TRAINED (2,000) of them through the APIs, then measures
# CheckQualifications for BATCH (1,000) volunteers against Health/Check on the same connection.
# Prints one JSON line.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
for product in pingan-bench pingan-registry pingan-training; do swift build -c release --product "$product" >&2; done
bin=$(swift build -c release --show-bin-path)
work=.build-bench/training
rm -rf "$work" && mkdir -p "$work"
deploy/pki.sh ca "$work" >&2
for name in registry training; do deploy/pki.sh issue "$work" "$name" --cn "pingan-$name" --ip 127.0.0.1 >&2; done
deploy/pki.sh issue "$work" client --cn bench-admin >&2
deploy/make-data-key.sh "$work/data.key" >&2
echo '{"identities": [{"match": "cn:bench-admin", "role": "admin"}, {"match": "cn:pingan-training", "role": "service"}]}' > "$work/acl.json"
registry_port=${REGISTRY_PORT:-50097} training_port=${TRAINING_PORT:-50098}
"$bin/pingan-registry" --port "$registry_port" --metrics-port 0 --cert "$work/registry.pem" --key "$work/registry.key" --ca "$work/ca.pem" \
  --acl "$work/acl.json" --database "$work/registry.sqlite" --data-key "$work/data.key" --log-level warning &
registry=$!
"$bin/pingan-training" --port "$training_port" --metrics-port 0 --cert "$work/training.pem" --key "$work/training.key" --ca "$work/ca.pem" \
  --acl "$work/acl.json" --database "$work/training.sqlite" --registry "127.0.0.1:$registry_port" --log-level warning &
training=$!
trap 'kill $registry $training 2>/dev/null || true' EXIT
for port in "$registry_port" "$training_port"; do
  for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
done
"$bin/pingan-bench" training-qualify --registry-port "$registry_port" --training-port "$training_port" \
  --volunteers "${VOLUNTEERS:-6249}" --trained "${TRAINED:-2000}" --batch "${BATCH:-1000}" \
  --ca "$work/ca.pem" --cert "$work/client.pem" --key "$work/client.key"
