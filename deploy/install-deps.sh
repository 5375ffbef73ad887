#!/usr/bin/env bash
# Installs the system packages Pingan builds and tests with, if any is missing (Debian/Ubuntu):
# chromium and the CJK fonts are for the test that renders `pingan report` in a real browser.
# Needs root when something is missing; does nothing otherwise.
set -euo pipefail
packages=(libssl-dev libsqlite3-dev sqlite3 systemd man-db openssl python3 python3-pip make curl chromium fonts-noto-cjk)
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

# PyPI's protobuf runtime for the Python clients (Tests/Interop, clients/python), and what
# pip needs to build clients/python offline (setuptools, wheel).
for module in google.protobuf:protobuf setuptools:setuptools wheel:wheel; do
  if ! python3 -c "import ${module%%:*}" >/dev/null 2>&1; then
    echo "installing: ${module##*:} (PyPI)" >&2
    python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore "${module##*:}" ||
      # Debian's own python3 refuses pip installs unless told (PEP 668); these are test-only libraries.
      python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --break-system-packages "${module##*:}"
  fi
done
