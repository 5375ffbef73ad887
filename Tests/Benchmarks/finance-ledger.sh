#!/usr/bin/env bash
# Measures finance's ledger on this disk with synchronous = FULL: POSTINGS (2,000) postings one
# transaction each, the same through group commit with CALLERS (64) concurrent callers, against
# the disk's floor (a durable commit of one tiny row) in the same run and directory. Prints one
# JSON line.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
swift build -c release --product pingan-bench >&2
bin=$(swift build -c release --show-bin-path)
mkdir -p .build-bench/ledger
"$bin/pingan-bench" finance-ledger --directory .build-bench/ledger --postings "${POSTINGS:-2000}" --callers "${CALLERS:-64}"
