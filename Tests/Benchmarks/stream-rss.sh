#!/usr/bin/env bash
# Server RSS while streaming a million 256-byte messages to a reader that pauses for 3 s
# after 100,000 (release build, mutual TLS on loopback). Prints one JSON line.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
swift build -c release --product pingan-bench >&2
bin=$(swift build -c release --show-bin-path)/pingan-bench
certs=.build-bench/stream-certs
if [ ! -f "$certs/ca.pem" ]; then
  deploy/pki.sh ca "$certs"
  deploy/pki.sh issue "$certs" server --ip 127.0.0.1
  deploy/pki.sh issue "$certs" client
fi
port=${PORT:-50091}
"$bin" server --port "$port" --ca "$certs/ca.pem" --cert "$certs/server.pem" --key "$certs/server.key" 2>/dev/null &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
"$bin" stream --port "$port" --server-pid "$server" --ca "$certs/ca.pem" --cert "$certs/client.pem" --key "$certs/client.key" \
  --messages "${MESSAGES:-1000000}" --pause-after "${PAUSE_AFTER:-100000}" --pause "${PAUSE:-3}"
