#!/usr/bin/env bash
# Measures pingan-bench against the reference peers of ../shared/bench, in one run, with the
# shared runner. shared/ is read-only, so the peers are copied to .build-bench/peers first.
#
#   Tests/Benchmarks/run.sh                          tls-echo-c and pingan, 10 s per scenario
#   PEERS="tls-echo-c grpc-swift pingan" Tests/Benchmarks/run.sh   (grpc-swift: ~10 min first build)
#   DURATION=3 WARMUP=1 Tests/Benchmarks/run.sh      shorter
# Results: .build-bench/peers/results/<time>/ ; the JSON lines also go to stdout.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
shared=${PINGAN_SHARED:-$root/../shared}
[ -d "$shared/bench/peers" ] || { echo "no $shared/bench/peers (set PINGAN_SHARED)" >&2; exit 2; }

work=$root/.build-bench
mkdir -p "$work"
rsync -a --exclude results --exclude certs "$shared/bench/peers/" "$work/peers/" 2>/dev/null || cp -r "$shared/bench/peers/." "$work/peers/"
chmod -R u+w "$work/peers"

swift build -c release --product pingan-bench --package-path "$root" >&2
bin=$(swift build -c release --show-bin-path --package-path "$root")/pingan-bench

cat > "$work/peers/peers.d/pingan.sh" <<PEER
# Peer: pingan - our protocol (Shared/Wire/PROTOCOL.md) over our OpenSSL handler.
PEER_DIR=$root
PEER_SCENARIOS="1:1 4:1 4:16"
peer_build() { [ -x "$bin" ]; }
peer_server() { exec "$bin" server "\$@"; }
peer_client() { "$bin" client "\$@"; }
PEER

cd "$work/peers"
PEERS=${PEERS:-"tls-echo-c pingan"} ./run.sh
latest=$(ls -td results/*/ | head -1)
echo "# server-side context switches per call:" >&2
grep -h '"server_ctx_switches_per_call"' "$latest"/pingan.*.server.log 2>/dev/null | sed 's/^/#   /' >&2 || true
