#!/usr/bin/env bash
# Measures pingan-bench against the reference peers of ../shared/bench, in one run, with the
# shared runner. shared/ is read-only, so the peers are copied to .build-bench/peers first.
#
#   Tests/Benchmarks/run.sh                          tls-echo-c and pingan, 10 s per scenario
#   PEERS="tls-echo-c grpc-swift pingan" Tests/Benchmarks/run.sh   (grpc-swift: ~10 min first build)
#   DURATION=3 WARMUP=1 Tests/Benchmarks/run.sh      shorter
#   PINNED=0 Tests/Benchmarks/run.sh                 without the pinned 1 x 1 pass
# Then a second pass, 1 x 1 with server and client pinned to one core (PIN=0:0), for the C echo
# and pingan; then a summary: each scenario's figures as ratios against the same run's C echo
# (and grpc-swift when it ran), as a table on stderr and one JSON line on stdout.
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

pinned=""
if [ "${PINNED:-1}" = 1 ]; then
  # The pinned pass runs 1 x 1 only: a peer file per side that narrows the scenarios.
  for peer in tls-echo-c pingan; do
    printf 'source "peers.d/%s.sh"\nPEER_SCENARIOS="1:1"\n' "$peer" > "peers.d/$peer-pinned.sh"
  done
  PIN=0:0 PROBE=0 PEERS="tls-echo-c-pinned pingan-pinned" ./run.sh
  pinned=$(ls -td results/*/ | head -1)
fi
python3 - "$latest" "$pinned" <<'PY'
import json, re, sys
def load(folder):
    rows, cpu = {}, {}
    if not folder:
        return rows, cpu
    for line in open(folder + "results.jsonl"):
        if line.startswith('{"peer"'):
            r = json.loads(line)
            rows[(r["peer"].replace("-pinned", ""), f'{r["connections"]}x{r["concurrency"]}')] = r
    for line in open(folder + "cpu.txt"):
        m = re.match(r"(\S+?)(?:-pinned)?\.c(\d+)-k(\d+) .*~([\d.]+) us server \+ ([\d.]+) us client", line)
        if m:
            cpu[(m[1], f"{m[2]}x{m[3]}")] = (float(m[4]), float(m[5]))
    return rows, cpu
rows, cpu = load(sys.argv[1])
pinned_rows, pinned_cpu = load(sys.argv[2])
summary = {}
print("# same-run ratios, pingan / C echo (and / grpc-swift):", file=sys.stderr)
for scenario in ["1x1", "4x1", "4x16"]:
    c, p, g = rows.get(("tls-echo-c", scenario)), rows.get(("pingan", scenario)), rows.get(("grpc-swift", scenario))
    if not (c and p):
        continue
    entry = {"rps_c_echo": c["rps"], "rps_pingan": p["rps"], "rps_ratio": round(p["rps"] / c["rps"], 3),
             "p50_ratio": round(p["p50_us"] / c["p50_us"], 2)}
    if ("tls-echo-c", scenario) in cpu and ("pingan", scenario) in cpu:
        cc, pc = cpu[("tls-echo-c", scenario)], cpu[("pingan", scenario)]
        entry["cpu_us_per_call_c_echo"] = cc
        entry["cpu_us_per_call_pingan"] = pc
        entry["cpu_ratio_server"] = round(pc[0] / cc[0], 2)
        entry["cpu_ratio_client"] = round(pc[1] / cc[1], 2)
    if g:
        entry["rps_grpc_swift"] = g["rps"]
        entry["rps_over_grpc_swift"] = round(p["rps"] / g["rps"], 1)
    summary[scenario] = entry
    print(f"#   {scenario:5} calls/s {p['rps']:>9,} = {entry['rps_ratio']:.3f}x C echo ({c['rps']:,})"
          + (f", {entry['rps_over_grpc_swift']}x grpc-swift ({g['rps']:,})" if g else "")
          + (f"; CPU per call {entry['cpu_ratio_server']}x server, {entry['cpu_ratio_client']}x client" if "cpu_ratio_server" in entry else "")
          + f"; p50 {entry['p50_ratio']}x", file=sys.stderr)
c, p = pinned_rows.get(("tls-echo-c", "1x1")), pinned_rows.get(("pingan", "1x1"))
if c and p:
    entry = {"p50_us_c_echo": c["p50_us"], "p50_us_pingan": p["p50_us"], "p50_ratio": round(p["p50_us"] / c["p50_us"], 2)}
    if ("tls-echo-c", "1x1") in pinned_cpu and ("pingan", "1x1") in pinned_cpu:
        cc, pc = pinned_cpu[("tls-echo-c", "1x1")], pinned_cpu[("pingan", "1x1")]
        entry["cpu_ratio_server"] = round(pc[0] / cc[0], 2)
        entry["cpu_ratio_client"] = round(pc[1] / cc[1], 2)
    summary["1x1_pinned"] = entry
    print(f"#   1x1 pinned to one core: p50 {p['p50_us']} us = {entry['p50_ratio']}x C echo ({c['p50_us']} us)"
          + (f"; CPU per call {entry['cpu_ratio_server']}x server, {entry['cpu_ratio_client']}x client" if "cpu_ratio_server" in entry else ""),
          file=sys.stderr)
print(json.dumps({"summary": summary}))
PY
