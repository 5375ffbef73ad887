#!/usr/bin/env bash
# Brings the whole system up on this machine with embedded defaults: a dev CA and certificates
# under run/pki, the four services on 127.0.0.1:7401-7404 (logs in run/logs), then shows them
# answering. `deploy/run-local.sh stop` stops them.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
run=$root/run
services=(registry:7401 training:7402 duty:7403 finance:7404)

stop() {
  for entry in "${services[@]}"; do
    name=${entry%%:*}
    if [ -f "$run/$name.pid" ]; then
      kill "$(cat "$run/$name.pid")" 2>/dev/null || true
      rm -f "$run/$name.pid"
    fi
  done
}

if [ "${1:-}" = stop ]; then
  stop
  echo "stopped"
  exit 0
fi

deploy/install-deps.sh
swift build
bin=$(swift build --show-bin-path)

if [ ! -f "$run/pki/ca.pem" ]; then
  deploy/pki.sh ca "$run/pki"
  for entry in "${services[@]}"; do
    name=${entry%%:*}
    deploy/pki.sh issue "$run/pki" "$name" --cn "pingan-$name" --dns localhost --ip 127.0.0.1 --ip ::1 \
      --uri "spiffe://pingan/service/$name"
  done
  deploy/pki.sh issue "$run/pki" town-office --cn town-office --uri spiffe://pingan/user/town-office
fi

# Dev ACL: the town office is admin, each service may call the others.
cat > "$run/acl.json" <<ACL
{"identities": [
  {"match": "uri:spiffe://pingan/user/town-office", "role": "admin"},
  {"match": "uri:spiffe://pingan/service/registry", "role": "service"},
  {"match": "uri:spiffe://pingan/service/training", "role": "service"},
  {"match": "uri:spiffe://pingan/service/duty", "role": "service"},
  {"match": "uri:spiffe://pingan/service/finance", "role": "service"}
]}
ACL

stop
mkdir -p "$run/logs" "$run/data"
[ -f "$run/data/registry.key" ] || deploy/make-data-key.sh "$run/data/registry.key"
for entry in "${services[@]}"; do
  name=${entry%%:*} port=${entry##*:}
  extra=()
  case $name in
    registry) extra=(--database "$run/data/registry.sqlite" --data-key "$run/data/registry.key" --campaign deploy/campaigns/expo-2010.json) ;;
    training) extra=(--database "$run/data/training.sqlite" --registry 127.0.0.1:7401 --campaign deploy/campaigns/expo-2010.json) ;;
  esac
  "$bin/pingan-$name" --host 127.0.0.1 --port "$port" "${extra[@]}" \
    --cert "$run/pki/$name.pem" --key "$run/pki/$name.key" --ca "$run/pki/ca.pem" --acl "$run/acl.json" \
    >"$run/logs/$name.log" 2>&1 &
  echo $! > "$run/$name.pid"
done

sleep 0.5
for entry in "${services[@]}"; do
  name=${entry%%:*}
  if ! kill -0 "$(cat "$run/$name.pid")" 2>/dev/null; then
    echo "pingan-$name did not start (is its port taken?); its log:" >&2
    tail -5 "$run/logs/$name.log" >&2
    rm -f "$run/$name.pid"
    stop
    exit 1
  fi
done

export PINGAN_CLIENT_CERT=$run/pki/town-office.pem PINGAN_CLIENT_KEY=$run/pki/town-office.key PINGAN_CA=$run/pki/ca.pem
for _ in $(seq 50); do
  if "$bin/pingan" health --timeout 1 >/dev/null 2>&1; then break; fi
  sleep 0.2
done
"$bin/pingan" health
echo
echo "Loading the town plan's units, a synthetic corps and its pre-job training (idempotent):"
"$bin/pingan-registry-demo" --cert "$PINGAN_CLIENT_CERT" --key "$PINGAN_CLIENT_KEY" --ca "$PINGAN_CA"
"$bin/pingan-training-demo" --cert "$PINGAN_CLIENT_CERT" --key "$PINGAN_CLIENT_KEY" --ca "$PINGAN_CA"
echo
"$bin/pingan" dashboard
echo
echo "The four services run in the background (logs: run/logs/). Stop them with: deploy/run-local.sh stop"
echo "Try: PINGAN_CLIENT_CERT=$PINGAN_CLIENT_CERT PINGAN_CLIENT_KEY=$PINGAN_CLIENT_KEY PINGAN_CA=$PINGAN_CA $bin/pingan health"
