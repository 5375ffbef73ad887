#!/usr/bin/env bash
# The operator's path on a real systemd, as PID 1 of a fresh PID and mount namespace of this
# host: install.sh, the four services SERVING under their hardened units as the pingan user,
# kill -9 restarted, a frozen service restarted by the watchdog, a reload, a backup by its
# timer's unit, a restore, an upgrade restart, uninstall --purge.
#
#   Tests/Deploy/systemd-host.sh --disposable-host [--bin DIR]
#
# It installs into this host's /usr/local, /etc/pingan, /var/lib/pingan and /etc/systemd/system
# and removes them again: run it only on a machine that exists for tests (make systemd-test).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
[ "${1:-}" = --disposable-host ] || { echo "systemd-host.sh: installs into this host; pass --disposable-host to agree" >&2; exit 64; }
shift
bin=${2:-}
[ "${1:-}" = --bin ] || bin=$(cd "$root" && swift build --show-bin-path)
[ "$(id -u)" = 0 ] || { echo "systemd-host.sh: needs root" >&2; exit 77; }
[ ! -e /etc/pingan ] || { echo "systemd-host.sh: /etc/pingan exists: not a fresh host" >&2; exit 1; }

# Its own /tmp and /var/tmp: booting, systemd-tmpfiles empties them, and they are the host's.
unshare --pid --fork --mount --mount-proc --uts env container=pingan-test \
  sh -c 'mount -t tmpfs tmpfs /tmp && mount -t tmpfs tmpfs /var/tmp && exec /lib/systemd/systemd --system' >/dev/null 2>&1 &
launcher=$!
pid1=""
for _ in $(seq 100); do
  pid1=$(pgrep -P "$launcher" || true)
  [ -n "$pid1" ] && break
  sleep 0.1
done
[ -n "$pid1" ] || { echo "FAIL: systemd did not start as PID 1 of a namespace" >&2; exit 1; }
in_ns() { nsenter -t "$pid1" -m -p -u --wd="$root" "$@"; }
cleanup() {
  in_ns bash "$root/deploy/uninstall.sh" --purge >/dev/null 2>&1 || true
  # A container's systemd leaves on `systemctl exit` (SIGTERM only makes it re-execute).
  in_ns systemctl exit 0 >/dev/null 2>&1 || kill -9 "$pid1" 2>/dev/null || true
  wait "$launcher" 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 100); do
  state=$(in_ns systemctl is-system-running 2>/dev/null || true)
  case $state in running|degraded) break ;; esac
  sleep 0.2
done
echo "systemd $state as PID 1 of a namespace"

fail() { echo "FAIL: $*" >&2; exit 1; }
health() {
  env PINGAN_CLIENT_CERT=/etc/pingan/pki/town-office.pem PINGAN_CLIENT_KEY=/etc/pingan/pki/town-office.key PINGAN_CA=/etc/pingan/ca.pem \
    /usr/local/bin/pingan health --timeout 5 "$@" >/dev/null 2>&1
}
until_true() {  # until_true SECONDS WHAT COMMAND...
  local limit=$1 what=$2; shift 2
  for _ in $(seq $((limit * 5))); do "$@" && return 0; sleep 0.2; done
  fail "$what (after ${limit}s)"
}
show() { in_ns systemctl show -p "$2" --value "pingan-$1.service"; }

in_ns bash "$root/deploy/install.sh" --bin "$bin" | tail -1
until_true 30 "all four services SERVING after install" health
echo "ok: pingan.target started, all four services SERVING as the pingan user under their hardened units"

before=$(show duty MainPID)
in_ns kill -9 "$before"
restarted() { [ "$(show duty NRestarts)" -ge 1 ] && [ "$(show duty ActiveState)" = active ] && health; }
until_true 30 "duty restarted after kill -9" restarted
echo "ok: kill -9 of pingan-duty (pid $before) restarted it (pid $(show duty MainPID))"

mkdir -p /etc/systemd/system/pingan-registry.service.d
printf '[Service]\nWatchdogSec=3s\nTimeoutAbortSec=3s\n' > /etc/systemd/system/pingan-registry.service.d/watchdog-test.conf
in_ns systemctl daemon-reload
in_ns systemctl restart pingan-registry.service
until_true 30 "registry up with a 3 s watchdog" health
frozen=$(show registry MainPID)
in_ns kill -STOP "$frozen"
watchdogged() { [ "$(show registry NRestarts)" -ge 1 ] && [ "$(show registry ActiveState)" = active ] && health; }
until_true 60 "the watchdog restarted a service that stopped pinging" watchdogged
rm -rf /etc/systemd/system/pingan-registry.service.d
in_ns systemctl daemon-reload
echo "ok: pingan-registry frozen (SIGSTOP: no keep-alive pings) was restarted by the watchdog"

in_ns systemctl reload pingan-registry.service
until_true 10 "serving after a reload" health
echo "ok: systemctl reload (SIGHUP) keeps serving"

in_ns systemctl start pingan-backup@finance.service
backup=$(ls /var/lib/pingan/backups/finance/finance-*.sqlite 2>/dev/null | tail -1)
[ -n "$backup" ] || fail "pingan-backup@finance.service wrote no backup"
echo "ok: pingan-backup@finance.service wrote $backup"
in_ns bash "$root/deploy/restore.sh" finance "$backup" | tail -1
until_true 30 "finance SERVING after the restore" health
echo "ok: restore.sh put the backup back and pingan-finance serves it"

# A release whose pingan-training differs (any change of a binary is an upgrade).
upgrade=$root/.build/systemd-host-upgrade
rm -rf "$upgrade" && mkdir -p "$upgrade"
cp "$bin"/pingan "$bin"/pingan-registry "$bin"/pingan-training "$bin"/pingan-duty "$bin"/pingan-finance "$upgrade/"
printf '\n' >> "$upgrade/pingan-training"
in_ns bash "$root/deploy/install.sh" --bin "$upgrade" | grep -q "restarted pingan.target" || fail "install.sh did not restart the target on changed binaries"
until_true 30 "all four SERVING after the upgrade restart" health
in_ns bash "$root/deploy/install.sh" --bin "$upgrade" | grep -q "nothing changed" || fail "a second install.sh changed something"
rm -rf "$upgrade"
echo "ok: an upgrade restarts the target; a second run changes nothing"
echo "systemd-host: every check passed"
