# Sourced by the benchmark scripts: release builds, a fresh CA and the registry, training and
# duty services on loopback. Sets $bin and $work; the caller sets `set -euo pipefail` and the trap.

# bench_setup WORK PRODUCT...: builds the products (one at a time: two cores), makes WORK with a
# CA, certificates for the four services and the bench client, a data key and the ACL.
bench_setup() {
  work=$1
  shift
  for product in "$@"; do swift build -c release --product "$product" >&2; done
  bin=$(swift build -c release --show-bin-path)
  rm -rf "$work" && mkdir -p "$work"
  deploy/pki.sh ca "$work" >&2
  for name in registry training duty finance; do deploy/pki.sh issue "$work" "$name" --cn "pingan-$name" --ip 127.0.0.1 >&2; done
  deploy/pki.sh issue "$work" client --cn bench-admin >&2
  deploy/make-data-key.sh "$work/data.key" >&2
  echo '{"identities": [{"match": "cn:bench-admin", "role": "admin"}, {"match": "cn:pingan-training", "role": "service"},
    {"match": "cn:pingan-duty", "role": "service"}, {"match": "cn:pingan-finance", "role": "service"}]}' > "$work/acl.json"
}

# start_registry DIR PORT: a registry with its database in DIR; its pid in $!.
start_registry() {
  "$bin/pingan-registry" --port "$2" --metrics-port 0 --cert "$work/registry.pem" --key "$work/registry.key" --ca "$work/ca.pem" \
    --acl "$work/acl.json" --database "$1/registry.sqlite" --data-key "$work/data.key" --log-level warning &
}

# start_training DIR PORT REGISTRY_PORT: a training service with its database in DIR (metrics_port=N
# before it: its /metrics on that port).
start_training() {
  "$bin/pingan-training" --port "$2" --metrics-port "${metrics_port:-0}" --cert "$work/training.pem" --key "$work/training.key" --ca "$work/ca.pem" \
    --acl "$work/acl.json" --database "$1/training.sqlite" --peer "registry=127.0.0.1:$3" --log-level warning &
}

# start_duty DIR PORT REGISTRY_PORT TRAINING_PORT: a duty service with its database in DIR (metrics_port=N
# as for training).
start_duty() {
  "$bin/pingan-duty" --port "$2" --metrics-port "${metrics_port:-0}" --cert "$work/duty.pem" --key "$work/duty.key" --ca "$work/ca.pem" \
    --acl "$work/acl.json" --database "$1/duty.sqlite" --peer "registry=127.0.0.1:$3" --peer "training=127.0.0.1:$4" --log-level warning &
}

# start_finance DIR PORT DUTY_PORT: a finance service with its database in DIR.
start_finance() {
  "$bin/pingan-finance" --port "$2" --metrics-port 0 --cert "$work/finance.pem" --key "$work/finance.key" --ca "$work/ca.pem" \
    --acl "$work/acl.json" --database "$1/finance.sqlite" --peer "duty=127.0.0.1:$3" --log-level warning &
}

# wait_port PORT...: until each accepts connections (10 s each at most).
wait_port() {
  local port
  for port in "$@"; do
    for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
  done
}

bench_tls=()
bench_client() { bench_tls=(--ca "$work/ca.pem" --cert "$work/client.pem" --key "$work/client.key"); }
