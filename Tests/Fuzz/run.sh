#!/usr/bin/env bash
# Fuzzes the wire decoder and connection state machines for SECONDS (default 60), starting from
# the committed seed corpus. New interesting inputs go to .build-fuzz/corpus, findings to
# .build-fuzz/crash-*; add a finding to Tests/Fuzz/corpus and a regression test with its fix.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
seconds=${1:-60}
fuzzer=$(Tests/Fuzz/build.sh)
mkdir -p .build-fuzz/corpus
"$fuzzer" -max_total_time="$seconds" -max_len=4096 -artifact_prefix=.build-fuzz/ .build-fuzz/corpus Tests/Fuzz/corpus
