#!/usr/bin/env bash
# Renders the systemd units for every service of the catalog into OUT:
#   deploy/render-units.sh --bindir /usr/local/bin --docdir /usr/local/share/pingan [--catalog PINGAN] --out DIR
# pingan-NAME.service (after and wanting the peers it calls), pingan.target,
# pingan-backup@.service and pingan-backup@.timer. Reads the catalog from `PINGAN services`
# (default BINDIR/pingan).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bindir=/usr/local/bin docdir=/usr/local/share/pingan out= pingan=
while [ $# -gt 0 ]; do
  case $1 in
    --bindir) bindir=$2; shift 2 ;;
    --docdir) docdir=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --catalog) pingan=$2; shift 2 ;;
    *) echo "render-units.sh: unknown argument $1" >&2; exit 64 ;;
  esac
done
[ -n "$out" ] || { echo "render-units.sh: --out DIR is required" >&2; exit 64; }
mkdir -p "$out"
catalog=$("${pingan:-$bindir/pingan}" services --tsv)
units=()
# "|"-separated: a tab is whitespace to read, and an empty peers column would vanish.
while IFS='|' read -r name _ _ peers summary; do
  after=""
  for peer in ${peers//,/ }; do after+="pingan-$peer.service "; done
  sed -e "s|@NAME@|$name|g" -e "s|@SUMMARY@|$summary|g" -e "s|@BINDIR@|$bindir|g" -e "s|@DOCDIR@|$docdir|g" \
      -e "s|@AFTER@|${after% }|g" "$here/systemd/pingan-service.in" > "$out/pingan-$name.service"
  units+=("pingan-$name.service")
done < <(tr '\t' '|' <<<"$catalog")
sed -e "s|@SERVICES@|${units[*]}|g" -e "s|@DOCDIR@|$docdir|g" "$here/systemd/pingan.target" > "$out/pingan.target"
sed -e "s|@BINDIR@|$bindir|g" -e "s|@DOCDIR@|$docdir|g" "$here/systemd/pingan-backup@.service.in" > "$out/pingan-backup@.service"
cp "$here/systemd/pingan-backup@.timer" "$out/pingan-backup@.timer"
echo "rendered ${#units[@]} services, pingan.target and the backup timer into $out"
