#!/usr/bin/env bash
# Bulk-imports VOLUNTEERS (100,000) into a fresh release pingan-registry through the API, then
# measures GetVolunteer over mutual TLS and the service's RSS. Prints one JSON line.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
swift build -c release --product pingan-bench >&2
swift build -c release --product pingan-registry >&2
bin=$(swift build -c release --show-bin-path)
work=.build-bench/registry
rm -rf "$work" && mkdir -p "$work"
deploy/pki.sh ca "$work"
deploy/pki.sh issue "$work" registry --ip 127.0.0.1
deploy/pki.sh issue "$work" client --cn bench-admin
deploy/make-data-key.sh "$work/data.key"
echo '{"identities": [{"match": "cn:bench-admin", "role": "admin"}]}' > "$work/acl.json"
port=${PORT:-50095}
"$bin/pingan-registry" --port "$port" --metrics-port 0 --cert "$work/registry.pem" --key "$work/registry.key" --ca "$work/ca.pem" \
  --acl "$work/acl.json" --database "$work/registry.sqlite" --data-key "$work/data.key" --log-level warning &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
"$bin/pingan-bench" registry-import --port "$port" --server-pid "$server" --volunteers "${VOLUNTEERS:-100000}" \
  --ca "$work/ca.pem" --cert "$work/client.pem" --key "$work/client.key"
