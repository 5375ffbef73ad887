#!/usr/bin/env bash
# Removes Pingan's units and binaries; keeps /etc/pingan (certificates, keys, configs) and
# /var/lib/pingan (databases, backups) unless told otherwise:
#
#   deploy/uninstall.sh [--prefix /usr/local] [--purge]
#
# --purge also deletes /etc/pingan, /var/lib/pingan and the pingan user: every database, backup,
# key and certificate, for good.
set -euo pipefail
prefix=/usr/local purge=0
while [ $# -gt 0 ]; do
  case $1 in
    --prefix) prefix=$2; shift 2 ;;
    --purge) purge=1; shift ;;
    *) echo "uninstall.sh: unknown argument $1" >&2; exit 64 ;;
  esac
done
[ "$(id -u)" = 0 ] || { echo "uninstall.sh: run as root" >&2; exit 77; }
names=$("$prefix/bin/pingan" services --tsv | cut -f1)
systemctl disable --now pingan.target 2>/dev/null || true
for name in $names; do
  systemctl disable --now "pingan-$name.service" "pingan-backup@$name.timer" 2>/dev/null || true
  rm -f "/etc/systemd/system/pingan-$name.service" "$prefix/bin/pingan-$name"
done
rm -f /etc/systemd/system/pingan.target /etc/systemd/system/pingan-backup@.service /etc/systemd/system/pingan-backup@.timer "$prefix/bin/pingan"
rm -rf "$prefix/share/pingan"
rm -f "$prefix/share/man/man1/pingan.1" /usr/share/bash-completion/completions/pingan /usr/share/zsh/vendor-completions/_pingan /usr/share/fish/vendor_completions.d/pingan.fish
systemctl daemon-reload
if [ "$purge" = 1 ]; then
  rm -rf /etc/pingan /var/lib/pingan /etc/xdg/pingan
  userdel pingan 2>/dev/null || true
  echo "Pingan removed, with its data, keys and certificates."
else
  echo "Pingan removed; /etc/pingan and /var/lib/pingan are kept (--purge deletes them)."
fi
