#!/usr/bin/env bash
# Two towns on loopback, each the four release services, with VOLUNTEERS (6,249) registered and
# TRAINED (2,000) trained through the APIs (duty and finance empty); then times the real `pingan`
# CLI: `volunteer show` (ROUNDS runs, random volunteers) and `dashboard --all-towns` (DASHBOARDS
# runs). Baseline from the same run: `pingan --version`, the cost of starting the CLI process.
# Prints one JSON line.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
. Tests/Benchmarks/stack.sh
products="pingan pingan-bench pingan-registry pingan-training pingan-duty pingan-finance"
# REUSE=1 measures again the towns a previous run loaded (a million volunteers take minutes).
if [ "${REUSE:-0}" = 1 ] && [ -f .build-bench/gateway/gateway.json ]; then
  for product in $products; do swift build -c release --product "$product" >&2; done
  bin=$(swift build -c release --show-bin-path) work=.build-bench/gateway reuse=1
else
  bench_setup .build-bench/gateway $products
  reuse=0
fi
bench_client
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
towns=""
for town in east west; do
  if [ $town = east ]; then base=50100; else base=50110; fi
  registry_port=$((base + 1)) training_port=$((base + 2)) duty_port=$((base + 3)) finance_port=$((base + 4))
  mkdir -p "$work/$town"
  start_registry "$work/$town" $registry_port
  pids+=($!)
  start_training "$work/$town" $training_port $registry_port
  pids+=($!)
  start_duty "$work/$town" $duty_port $registry_port $training_port
  pids+=($!)
  start_finance "$work/$town" $finance_port $duty_port
  pids+=($!)
  wait_port $registry_port $training_port $duty_port $finance_port
  [ $reuse = 1 ] || "$bin/pingan-bench" training-qualify --load-only --registry-port $registry_port --training-port $training_port \
    --volunteers "${VOLUNTEERS:-6249}" --trained "${TRAINED:-2000}" "${bench_tls[@]}" >&2
  towns="$towns${towns:+, }{\"code\": \"$town\", \"services\": {\"registry\": \"127.0.0.1:$registry_port\", \"training\": \"127.0.0.1:$training_port\", \"duty\": \"127.0.0.1:$duty_port\", \"finance\": \"127.0.0.1:$finance_port\"}}"
done
cat > "$work/gateway.json" <<JSON
{"client": {"cert": "client.pem", "key": "client.key", "ca": "ca.pem"}, "towns": [$towns]}
JSON
python3 -u - "$bin/pingan" "$work/gateway.json" "${VOLUNTEERS:-6249}" "${ROUNDS:-200}" "${DASHBOARDS:-20}" <<'PY'
import json, random, subprocess, sys, time
pingan, config, volunteers, rounds, dashboards = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
def timed(arguments, expect=(0,)):
    started = time.perf_counter()
    result = subprocess.run([pingan] + arguments, capture_output=True)
    elapsed = (time.perf_counter() - started) * 1000
    if result.returncode not in expect:
        sys.exit(f"{arguments}: exit {result.returncode}: {result.stderr.decode()}")
    return elapsed, result
def percentile(samples, p):
    samples = sorted(samples)
    return samples[min(len(samples) - 1, max(0, int(-(-p * len(samples) // 1)) - 1))]
random.seed(2010)
baseline = [timed(["--version"])[0] for _ in range(rounds)]
show = [timed(["volunteer", "show", str(random.randint(1, volunteers)), "--config", config, "--town", "east", "--json"])[0] for _ in range(rounds)]
# The same run's baseline again, after: the machine's load drifts.
baseline += [timed(["--version"])[0] for _ in range(rounds)]
# A dashboard some services could not answer in time exits 2 (partial): measured and said so.
board, unanswered, partial = [], set(), 0
for _ in range(dashboards):
    elapsed, result = timed(["dashboard", "--all-towns", "--config", config, "--json"], expect=(0, 2))
    board.append(elapsed)
    if result.returncode == 2:
        partial += 1
        unanswered |= {section["id"] + ": " + (section.get("code") or section.get("reason") or "?")
                       for section in json.loads(result.stdout)["sections"] if section.get("status") == "unavailable"}
rows = json.loads(result.stdout)["sections"][0]["rows"]
total = rows[-1]
print(json.dumps({
    "volunteers_per_town": volunteers, "rounds": rounds,
    "cli_start_p50_ms": round(percentile(baseline, .5), 2), "cli_start_p99_ms": round(percentile(baseline, .99), 2),
    "volunteer_show_p50_ms": round(percentile(show, .5), 2), "volunteer_show_p99_ms": round(percentile(show, .99), 2),
    "volunteer_show_p99_over_cli_start_p99": round(percentile(show, .99) / percentile(baseline, .99), 2),
    "volunteer_show_adds_p50_ms": round(percentile(show, .5) - percentile(baseline, .5), 2),
    "volunteer_show_adds_p99_ms": round(percentile(show, .99) - percentile(baseline, .99), 2),
    "dashboard_two_towns_runs": dashboards,
    "dashboard_two_towns_p50_ms": round(percentile(board, .5), 1), "dashboard_two_towns_max_ms": round(max(board), 1),
    "dashboard_p50_over_cli_start_p50": round(percentile(board, .5) / percentile(baseline, .5), 2),
    "dashboard_partial_runs": partial, "dashboard_unanswered": sorted(unanswered),
    "district_recruitment": total["recruitment"], "district_pre_job_training": total["pre_job_training"],
}))
PY
"$bin/pingan-bench" handshake --port 50101 --count "${ROUNDS:-200}" "${bench_tls[@]}"
