#!/usr/bin/env bash
# Installs Pingan on this host and runs it under systemd:
#
#   deploy/install.sh [--prefix /usr/local] [--host NAME] [--ip ADDR] [--bin DIR] [--root DIR] [--no-systemctl]
#
# - binaries (a release build, or the ones in --bin DIR) to PREFIX/bin, this README to
#   PREFIX/share/pingan;
# - the system user `pingan`; /etc/pingan with, on the first install only, the deployment CA, a
#   server certificate per service (SANs: --host, --ip, localhost, 127.0.0.1), the town office's
#   admin client certificate, the ACL, the data keys and one config file per service (never
#   overwritten afterwards: they are the operator's);
# - the units (pingan-NAME.service, pingan.target, the daily backup timers), enabled; the target
#   started, or restarted for an upgrade (each service migrates its database as it starts, and
#   one from a newer version refuses to).
#
# Running it again changes nothing and says so. --root DIR stages everything under DIR (paths in
# the configs included) and with --no-systemctl leaves systemd alone: what the tests use.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
prefix=/usr/local stage= bin= systemctl=1 hosts=() ips=()
while [ $# -gt 0 ]; do
  case $1 in
    --prefix) prefix=$2; shift 2 ;;
    --root) stage=$(mkdir -p "$2" && cd "$2" && pwd); shift 2 ;;
    --bin) bin=$(cd "$2" && pwd); shift 2 ;;
    --host) hosts+=("$2"); shift 2 ;;
    --ip) ips+=("$2"); shift 2 ;;
    --no-systemctl) systemctl=0; shift ;;
    *) echo "install.sh: unknown argument $1 (see the comment at its top)" >&2; exit 64 ;;
  esac
done
[ -n "$stage" ] || [ "$(id -u)" = 0 ] || { echo "install.sh: run as root (or stage with --root DIR)" >&2; exit 77; }

etc=$stage/etc/pingan state=$stage/var/lib/pingan units=$stage/etc/systemd/system
bindir=$stage$prefix/bin docdir=$stage$prefix/share/pingan
changed=()
note() { changed+=("$1"); echo "  $1"; }

# Copies FROM to TO with MODE when the content differs; says so.
put() {
  local from=$1 to=$2 mode=$3
  if [ -f "$to" ] && cmp -s "$from" "$to"; then return 0; fi
  mkdir -p "$(dirname "$to")"
  install -m "$mode" "$from" "$to"
  note "wrote $to"
}

if [ -z "$bin" ]; then
  "$here/install-deps.sh"
  (cd "$root" && swift build -c release --product pingan >/dev/null)
  for name in $("$root/.build/release/pingan" services --tsv | cut -f1); do
    (cd "$root" && swift build -c release --product "pingan-$name" >/dev/null)
  done
  (cd "$root" && swift build -c release --product generate-manual >/dev/null)
  bin=$(cd "$root" && swift build -c release --show-bin-path)
fi
catalog=$("$bin/pingan" services --tsv)
names=$(cut -f1 <<<"$catalog")

echo "binaries and documentation:"
put "$bin/pingan" "$bindir/pingan" 0755
for name in $names; do put "$bin/pingan-$name" "$bindir/pingan-$name" 0755; done
binaries_changed=${#changed[@]}
put "$here/README.md" "$docdir/deploy/README.md" 0644
put "$here/restore.sh" "$docdir/deploy/restore.sh" 0755

echo "user, certificates, keys, configuration:"
if [ -z "$stage" ] && ! id pingan >/dev/null 2>&1; then
  useradd --system --home-dir /var/lib/pingan --no-create-home --shell /usr/sbin/nologin pingan
  note "created the system user pingan"
fi
mkdir -p "$etc" "$state"
chmod 0750 "$etc"
if [ ! -f "$etc/ca.pem" ]; then
  "$here/pki.sh" ca "$etc/pki" >/dev/null
  cp "$etc/pki/ca.pem" "$etc/ca.pem"
  note "made the deployment CA ($etc/pki/ca.key: keep it offline once the certificates are issued)"
fi
sans=(--dns localhost --ip 127.0.0.1 --ip ::1)
for host in "${hosts[@]}"; do sans+=(--dns "$host"); done
for ip in "${ips[@]}"; do sans+=(--ip "$ip"); done
for name in $names; do
  if [ ! -f "$etc/$name.pem" ]; then
    "$here/pki.sh" issue "$etc/pki" "$name" --cn "pingan-$name" "${sans[@]}" --uri "spiffe://pingan/service/$name" >/dev/null
    cp "$etc/pki/$name.pem" "$etc/$name.pem"
    install -m 0640 "$etc/pki/$name.key" "$etc/$name.key"
    note "issued $etc/$name.pem"
  fi
done
if [ ! -f "$etc/pki/crl.pem" ]; then
  "$here/pki.sh" crl "$etc/pki" >/dev/null
  note "wrote the revocation list $etc/pki/crl.pem (pki.sh revoke rewrites it; systemctl reload pingan.target loads it)"
fi
if [ ! -f "$etc/pki/town-office.pem" ]; then
  "$here/pki.sh" issue "$etc/pki" town-office --cn town-office --uri spiffe://pingan/user/town-office >/dev/null
  note "issued the town office's client certificate $etc/pki/town-office.pem"
fi
if [ ! -f "$etc/acl.json" ]; then
  {
    printf '{"identities": [\n  {"match": "uri:spiffe://pingan/user/town-office", "role": "admin"}'
    for name in $names; do printf ',\n  {"match": "uri:spiffe://pingan/service/%s", "role": "service"}' "$name"; done
    printf '\n]}\n'
  } > "$etc/acl.json"
  chmod 0640 "$etc/acl.json"
  note "wrote $etc/acl.json"
fi
for keyed in registry duty; do
  if [ ! -f "$etc/$keyed-data.key" ]; then
    "$here/make-data-key.sh" "$etc/$keyed-data.key" >/dev/null
    # The service refuses a key others could read: its own user's, mode 0600.
    [ -n "$stage" ] || chown pingan:pingan "$etc/$keyed-data.key"
    note "made the $keyed data key $etc/$keyed-data.key (back it up apart from the database backups)"
  fi
done
# "|"-separated: a tab is whitespace to read, and an empty peers column would vanish.
while IFS='|' read -r name _ port peers _; do
  # systemd makes it too (StateDirectory=); made here so a first start never races it.
  mkdir -p "$state/$name"
  chmod 0700 "$state/$name"
  [ -n "$stage" ] || chown pingan:pingan "$state/$name"
  config=$etc/$name.json
  [ -f "$config" ] && continue
  peer_json=""
  for peer in ${peers//,/ }; do
    peer_port=$(awk -F'\t' -v n="$peer" '$1 == n { print $3 }' <<<"$catalog")
    peer_json+="${peer_json:+, }\"$peer\": \"127.0.0.1:$peer_port\""
  done
  own="\"database\": \"$state/$name/$name.sqlite\""
  case $name in
    registry) own+=", \"data_key\": \"$etc/registry-data.key\", \"campaign\": \"$docdir/deploy/campaigns/expo-2010.json\"" ;;
    training) own+=", \"campaign\": \"$docdir/deploy/campaigns/expo-2010.json\"" ;;
    duty) own+=", \"data_key\": \"$etc/duty-data.key\", \"campaign\": \"$docdir/deploy/campaigns/expo-2010.json\"" ;;
  esac
  cat > "$config" <<JSON
{
  "host": "0.0.0.0",
  "port": $port,
  "metrics_port": $((port + 2000)),
  "cert": "$etc/$name.pem",
  "key": "$etc/$name.key",
  "ca": "$etc/ca.pem",
  "acl": "$etc/acl.json",
  "crl": "$etc/pki/crl.pem",
  "peers": {$peer_json},
  "drain_seconds": 10,
  "log_level": "info",
  $own
}
JSON
  chmod 0640 "$config"
  note "wrote $config"
done < <(tr '\t' '|' <<<"$catalog")
for campaign in "$here"/campaigns/*.json; do put "$campaign" "$docdir/deploy/campaigns/$(basename "$campaign")" 0644; done
# The services may open the revocation list in pki/ and nothing else there.
chmod 0710 "$etc/pki"
if [ -z "$stage" ]; then
  chown root:pingan "$etc" "$etc/pki" "$etc"/*.json "$etc"/*.pem "$etc"/registry.key "$etc"/training.key "$etc"/duty.key "$etc"/finance.key
fi

echo "the pingan command: its config and shell completion:"
gateway=$stage/etc/xdg/pingan/gateway.json
if [ ! -f "$gateway" ]; then
  mkdir -p "$(dirname "$gateway")"
  endpoints=""
  while IFS='|' read -r name _ port _ _; do endpoints+="${endpoints:+, }\"$name\": \"127.0.0.1:$port\""; done < <(tr '\t' '|' <<<"$catalog")
  printf '{"client": {"cert": "%s", "key": "%s", "ca": "%s"},\n "towns": [{"code": "local", "name": "local", "services": {%s}}]}\n' \
    "$etc/pki/town-office.pem" "$etc/pki/town-office.key" "$etc/ca.pem" "$endpoints" > "$gateway"
  note "wrote $gateway (sudo pingan health works as the town office)"
fi
completions=$(mktemp -d)
"$bin/pingan" --generate-completion-script bash > "$completions/bash"
"$bin/pingan" --generate-completion-script zsh > "$completions/zsh"
"$bin/pingan" --generate-completion-script fish > "$completions/fish"
put "$completions/bash" "$stage/usr/share/bash-completion/completions/pingan" 0644
put "$completions/zsh" "$stage/usr/share/zsh/vendor-completions/_pingan" 0644
put "$completions/fish" "$stage/usr/share/fish/vendor_completions.d/pingan.fish" 0644
# The manual page, by swift-argument-parser's generate-manual from the command's own help.
if [ -x "$bin/generate-manual" ]; then
  "$bin/generate-manual" "$bin/pingan" --output-directory "$completions" >/dev/null
  put "$completions/pingan.1" "$stage$prefix/share/man/man1/pingan.1" 0644
else
  echo "  no generate-manual next to the binaries: the manual page is not installed (swift build --product generate-manual)" >&2
fi
rm -rf "$completions"

echo "systemd units:"
rendered=$(mktemp -d)
trap 'rm -rf "$rendered"' EXIT
"$here/render-units.sh" --bindir "$prefix/bin" --docdir "$prefix/share/pingan" --catalog "$bin/pingan" --out "$rendered" >/dev/null
for unit in "$rendered"/*; do put "$unit" "$units/$(basename "$unit")" 0644; done

if [ "$systemctl" = 1 ] && [ -z "$stage" ]; then
  systemctl daemon-reload
  for name in $names; do
    systemctl is-enabled --quiet "pingan-$name.service" || { systemctl enable --quiet "pingan-$name.service"; note "enabled pingan-$name.service"; }
    systemctl is-enabled --quiet "pingan-backup@$name.timer" || { systemctl enable --quiet --now "pingan-backup@$name.timer"; note "enabled pingan-backup@$name.timer"; }
  done
  systemctl is-enabled --quiet pingan.target || { systemctl enable --quiet pingan.target; note "enabled pingan.target"; }
  if [ "$binaries_changed" -gt 0 ] && systemctl is-active --quiet pingan.target; then
    # An upgrade: stop every service, then start them in order; each migrates its database
    # as it starts.
    systemctl stop $(for name in $names; do echo "pingan-$name.service"; done)
    systemctl start pingan.target
    note "restarted pingan.target on the new binaries"
  elif ! systemctl is-active --quiet pingan.target; then
    systemctl start pingan.target
    note "started pingan.target"
  fi
fi

if [ ${#changed[@]} -eq 0 ]; then
  echo "Pingan is installed and up to date: nothing changed."
else
  echo "done: ${#changed[@]} changes."
fi
