#!/usr/bin/env bash
# Brings the whole system up on this machine with embedded defaults: a dev CA and certificates
# under run/pki, every service of the catalog on 127.0.0.1 at its default port (logs in
# run/logs), then shows them answering. `deploy/run-local.sh stop` stops them.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
run=$root/run

stop() {
  for pidfile in "$run"/*.pid; do
    [ -f "$pidfile" ] || continue
    kill "$(cat "$pidfile")" 2>/dev/null || true
    rm -f "$pidfile"
  done
}

if [ "${1:-}" = stop ]; then
  stop
  echo "stopped"
  exit 0
fi

deploy/install-deps.sh
swift build
swift build --product generate-manual >/dev/null
bin=$(swift build --show-bin-path)
# The service catalog (Shared/Catalog): name, executable, default port, peers, summary.
catalog=$("$bin/pingan" services --tsv)
services=()
while IFS=$'\t' read -r name _ port _ _; do services+=("$name:$port"); done <<<"$catalog"
peers_of() { awk -F'\t' -v name="$1" '$1 == name { print $4 }' <<<"$catalog"; }
port_of() { awk -F'\t' -v name="$1" '$1 == name { print $3 }' <<<"$catalog"; }

if [ ! -f "$run/pki/ca.pem" ]; then
  deploy/pki.sh ca "$run/pki"
  for entry in "${services[@]}"; do
    name=${entry%%:*}
    deploy/pki.sh issue "$run/pki" "$name" --cn "pingan-$name" --dns localhost --ip 127.0.0.1 --ip ::1 \
      --uri "spiffe://pingan/service/$name"
  done
  deploy/pki.sh issue "$run/pki" town-office --cn town-office --uri spiffe://pingan/user/town-office
fi
# The finance office: a second person, who approves the allowances the town office computes.
[ -f "$run/pki/finance-office.pem" ] ||
  deploy/pki.sh issue "$run/pki" finance-office --cn finance-office --uri spiffe://pingan/user/finance-office

# Dev ACL: the town office is admin, the finance office finance, each service may call the others.
{
  printf '{"identities": [\n  {"match": "uri:spiffe://pingan/user/town-office", "role": "admin"}'
  printf ',\n  {"match": "uri:spiffe://pingan/user/finance-office", "role": "finance"}'
  for entry in "${services[@]}"; do
    printf ',\n  {"match": "uri:spiffe://pingan/service/%s", "role": "service"}' "${entry%%:*}"
  done
  printf '\n]}\n'
} > "$run/acl.json"

stop
mkdir -p "$run/logs" "$run/data"
for keyed in registry duty; do [ -f "$run/data/$keyed.key" ] || deploy/make-data-key.sh "$run/data/$keyed.key"; done
for entry in "${services[@]}"; do
  name=${entry%%:*} port=${entry##*:}
  extra=(--database "$run/data/$name.sqlite")
  case $name in
    registry) extra+=(--data-key "$run/data/registry.key" --campaign deploy/campaigns/expo-2010.json) ;;
    training) extra+=(--campaign deploy/campaigns/expo-2010.json) ;;
    duty) extra+=(--data-key "$run/data/duty.key" --campaign deploy/campaigns/expo-2010.json) ;;
  esac
  for peer in $(peers_of "$name" | tr ',' ' '); do extra+=(--peer "$peer=127.0.0.1:$(port_of "$peer")"); done
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

# The gateway's per-user config, so `pingan` finds this quick start with no flags and no
# environment (kept as it is if it names something else than this checkout's run/pki).
user_config=${XDG_CONFIG_HOME:-$HOME/.config}/pingan/gateway.json
if [ ! -f "$user_config" ] || grep -q "\"$run/pki/" "$user_config"; then
  mkdir -p "$(dirname "$user_config")"
  endpoints=""
  for entry in "${services[@]}"; do endpoints+="${endpoints:+, }\"${entry%%:*}\": \"127.0.0.1:${entry##*:}\""; done
  printf '{"client": {"cert": "%s", "key": "%s", "ca": "%s"},\n "towns": [{"code": "local", "name": "local", "services": {%s}}]}\n' \
    "$run/pki/town-office.pem" "$run/pki/town-office.key" "$run/pki/ca.pem" "$endpoints" > "$user_config"
fi

export PINGAN_CLIENT_CERT=$run/pki/town-office.pem PINGAN_CLIENT_KEY=$run/pki/town-office.key PINGAN_CA=$run/pki/ca.pem
for _ in $(seq 50); do
  if "$bin/pingan" health --timeout 1 >/dev/null 2>&1; then break; fi
  sleep 0.2
done
"$bin/pingan" health
echo
echo "Loading the town plan's units, a synthetic corps, its training, a month of duty and its allowances (idempotent):"
"$bin/pingan-registry-demo" --cert "$PINGAN_CLIENT_CERT" --key "$PINGAN_CLIENT_KEY" --ca "$PINGAN_CA"
"$bin/pingan-training-demo" --cert "$PINGAN_CLIENT_CERT" --key "$PINGAN_CLIENT_KEY" --ca "$PINGAN_CA"
"$bin/pingan-duty-demo" --cert "$PINGAN_CLIENT_CERT" --key "$PINGAN_CLIENT_KEY" --ca "$PINGAN_CA"
"$bin/pingan-finance-demo" --cert "$PINGAN_CLIENT_CERT" --key "$PINGAN_CLIENT_KEY" --ca "$PINGAN_CA" \
  --approver-cert "$run/pki/finance-office.pem" --approver-key "$run/pki/finance-office.key"
echo
"$bin/pingan" dashboard --on 2010-04-30
echo
echo "The services run in the background (logs: run/logs/). Stop them with: deploy/run-local.sh stop"
echo "pingan reads $user_config. Put it on your PATH, then ask it anything:"
echo "  export PATH=\"$bin:\$PATH\""
echo "  pingan health"
echo "Shell completion: source <(pingan --generate-completion-script bash)   (zsh, fish alike)"
mkdir -p "$run/man/man1"
"$bin/generate-manual" "$bin/pingan" --output-directory "$run/man/man1" >/dev/null
echo "The manual: man -l $run/man/man1/pingan.1"
