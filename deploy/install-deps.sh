#!/usr/bin/env bash
# Installs the system packages Pingan builds and tests with, if any is missing (Debian/Ubuntu).
# Needs root when something is missing; does nothing otherwise.
set -euo pipefail
packages=(libssl-dev libsqlite3-dev openssl python3 make)
missing=()
for package in "${packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}"
fi
