#!/usr/bin/env bash
# Restores one service's database from a backup:
#
#   deploy/restore.sh NAME BACKUP [--config /etc/pingan/NAME.json] [--bindir /usr/local/bin] [--no-systemctl]
#
# Stops pingan-NAME, puts BACKUP in place of its database (the database it replaces is kept
# beside it as NAME.sqlite.before-restore), checks it, and starts the service again. The
# service's binary refuses a backup of another service, a file that is not the one its
# manifest describes, a damaged one, and one written by a newer version; the database stays
# as it was and the service is started on it again.
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: restore.sh NAME BACKUP [--config FILE] [--bindir DIR] [--no-systemctl]" >&2; exit 64; }
name=$1 backup=$2
shift 2
config=/etc/pingan/$name.json bindir=/usr/local/bin systemctl=1
while [ $# -gt 0 ]; do
  case $1 in
    --config) config=$2; shift 2 ;;
    --bindir) bindir=$2; shift 2 ;;
    --no-systemctl) systemctl=0; shift ;;
    *) echo "restore.sh: unknown argument $1" >&2; exit 64 ;;
  esac
done
[ -f "$backup" ] || { echo "restore.sh: no backup at $backup" >&2; exit 66; }
run_as() { if [ "$(id -u)" = 0 ] && id pingan >/dev/null 2>&1; then runuser -u pingan -- "$@"; else "$@"; fi; }

[ "$systemctl" = 0 ] || systemctl stop "pingan-$name.service"
status=0
run_as "$bindir/pingan-$name" --config "$config" --restore "$backup" || status=$?
[ "$systemctl" = 0 ] || systemctl start "pingan-$name.service"
if [ "$status" -ne 0 ]; then
  echo "restore.sh: $backup was not restored; pingan-$name runs on the database it had" >&2
  exit "$status"
fi
echo "restored $backup into pingan-$name"
