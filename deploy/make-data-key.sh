#!/usr/bin/env bash
# Makes the personal-data key a service encrypts ID and phone numbers with: 64 random bytes as
# 128 hex digits, mode 0600. Losing it loses the data it protects: back it up with the database,
# but never in the same place.
#   make-data-key.sh FILE
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: make-data-key.sh FILE" >&2; exit 2; }
[ -e "$1" ] && { echo "make-data-key.sh: $1 exists; refusing to overwrite a key" >&2; exit 1; }
umask 077
openssl rand -hex 64 > "$1"
chmod 0600 "$1"
