#!/usr/bin/env bash
# Builds the libFuzzer harness for the wire decoder and connection state machines.
# SwiftPM cannot link a libFuzzer executable (it renames `main`), so the libraries are built by
# SwiftPM with the sanitizers into .build-fuzz and the harness is linked against their objects.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
scratch=.build-fuzz
swift build --scratch-path "$scratch" --target PinganRPC \
  -Xswiftc -sanitize=fuzzer,address -Xcc -fsanitize=fuzzer-no-link,address >&2
bin=$(swift build --scratch-path "$scratch" --show-bin-path)
# Only the targets PinganRPC depends on have objects; C targets' module maps sit at X.build/.
mapfile -d '' objects < <(find "$bin" -path '*.build/*.o' -print0)
module_maps="$(find "$bin" -mindepth 2 -maxdepth 2 -name module.modulemap -printf '-Xcc -fmodule-map-file=%p ')
  $(find "$scratch/checkouts" Shared -path '*/include/module.modulemap' -printf '-Xcc -fmodule-map-file=%p ')"
# shellcheck disable=SC2086
swiftc -sanitize=fuzzer,address -parse-as-library -g -I "$bin/Modules" $module_maps \
  Tests/Fuzz/FuzzWire.swift "${objects[@]}" -o "$scratch/fuzz-wire" >&2
echo "$scratch/fuzz-wire"
