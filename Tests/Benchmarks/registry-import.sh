#!/usr/bin/env bash
# Bulk-imports VOLUNTEERS (100,000) into a fresh release pingan-registry through the API, noting
# the import's time, the database's size and the RSS at each of CHECKPOINTS (10,000 and 100,000);
# then measures, at the full size over mutual TLS, GetVolunteer at 1 and 16 in flight against
# Health/Check at 16 (same run), GetProgress, search pages from random points, and the RSS;
# then the same run's floor for the import: SQLite alone writing as many rows into the same
# schema (sqlite-floor.py), and the import's rows/s over it. Prints one JSON line.
#   VOLUNTEERS=1000000 Tests/Benchmarks/registry-import.sh     the registry at a million (~1 min)
#   FOLLOWERS=1 ...    as deployed: training and duty run too, copying the registry's volunteers
#                      from its feed while the import goes on; the line adds the CPU seconds
#                      each process used (`cpu_s`), once both copies have caught up
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
  metrics_port=$((port + 2001)) start_training "$work" $((port + 1)) "$port"
  pids+=($!)
  metrics_port=$((port + 2002)) start_duty "$work" $((port + 2)) "$port" $((port + 1))
  pids+=($!)
  wait_port $((port + 1)) $((port + 2))
fi
result=$("$bin/pingan-bench" registry-import --port "$port" --server-pid "$server" --volunteers "${VOLUNTEERS:-100000}" \
  --checkpoints "${CHECKPOINTS:-10000,100000}" --database "$work/registry.sqlite" "${bench_tls[@]}")
# The same run's floor: SQLite alone writing as many rows into the registry's schema.
floor=$(python3 Tests/Benchmarks/sqlite-floor.py "$work/registry.sqlite" "$work/floor.sqlite" "${VOLUNTEERS:-100000}")
result=$(python3 - "$result" "$floor" <<'PY'
import json, sys
result, floor = json.loads(sys.argv[1]), json.loads(sys.argv[2])
result["sqlite_floor_rows_per_s"] = floor["sqlite_floor_rows_per_s"]
result["import_over_sqlite_floor"] = round(result["import_rows_per_s"] / floor["sqlite_floor_rows_per_s"], 3)
print(json.dumps(result))
PY
)
if [ "$followers" != 1 ]; then
  echo "$result"
  exit 0
fi
# The copies have caught up when each reports the registry's last event as its position.
cpu() { awk '{print ($14 + $15) / 100}' "/proc/$1/stat"; }
copied() { curl -s "http://127.0.0.1:$1/metrics" | awk '/^pingan_registry_copy_position /{print int($2)}'; }
expected=$(( ${VOLUNTEERS:-100000} ))
for _ in $(seq 600); do
  [ "$(copied $((port + 2001)))" -ge "$expected" ] 2>/dev/null && [ "$(copied $((port + 2002)))" -ge "$expected" ] 2>/dev/null && break
  sleep 0.1
done
python3 - "$result" "$(cpu "${pids[0]}")" "$(cpu "${pids[1]}")" "$(cpu "${pids[2]}")" <<'PY'
import json, sys
result = json.loads(sys.argv[1])
result["cpu_s"] = {"registry": float(sys.argv[2]), "training": float(sys.argv[3]), "duty": float(sys.argv[4])}
print(json.dumps(result))
PY
