#!/usr/bin/env bash
# Regenerates the Swift code for every .proto under Shared/Contracts/*/proto (and the benchmark's):
# the messages (protoc-gen-swift) and each service's typed client (generate-clients.py).
# Needs protoc (apt: protobuf-compiler) and builds protoc-gen-swift from the swift-protobuf
# checkout that Package.swift resolves, once, into .build-protoc/.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"

if ! command -v protoc >/dev/null; then
  apt-get install -y protobuf-compiler libprotobuf-dev
fi

plugin="$root/.build-protoc/release/protoc-gen-swift"
if [ ! -x "$plugin" ]; then
  # The same swift-protobuf the package resolved (so generated code and runtime match), built
  # from the checkout SwiftPM already has: no second download.
  swift package resolve >/dev/null
  swift build -c release --package-path "$root/.build/checkouts/swift-protobuf" --scratch-path "$root/.build-protoc" --product protoc-gen-swift
fi

generate() {  # generate PROTO_ROOT OUT_DIR
  local proto_root=$1 out=$root/$2
  rm -f "$out"/*.pb.swift
  mkdir -p "$out"
  (cd "$proto_root" && find . -name '*.proto' | sort | xargs protoc \
     --plugin=protoc-gen-swift="$plugin" \
     --swift_opt=Visibility=Public --swift_opt=FileNaming=PathToUnderscores \
     --swift_out="$out")
}

for contract in Shared/Contracts/*; do
  if [ -d "$contract/proto" ]; then generate "$contract/proto" "$contract/Generated"; fi
done
generate Tests/Benchmarks/PinganBench Tests/Benchmarks/PinganBench/Generated
# The typed clients (RegistryClient, ...) from the same .proto files.
python3 Shared/Contracts/generate-clients.py

# Python messages for the interop client in Tests/Interop (the runtime is PyPI's protobuf).
rm -rf Tests/Interop/generated/pingan
(cd Shared/Contracts/Protocol/proto && find . -name '*.proto' | sort | xargs protoc --python_out="$root/Tests/Interop/generated")
# The Python client library (clients/python): every contract's messages, and a typed client
# per service.
rm -rf clients/python/pingan
for contract in Shared/Contracts/*/proto; do
  (cd "$contract" && find . -name '*.proto' | sort | xargs protoc --python_out="$root/clients/python")
done
find clients/python/pingan -type d -exec touch {}/__init__.py \;
python3 Shared/Contracts/generate-python.py

echo "generated Swift for $(find Shared/Contracts Tests/Benchmarks -name '*.pb.swift' | wc -l) proto files"
