#!/usr/bin/env bash
# Lays out a new service from the template: Services/<Name>/ with its library (definition and
# settings, store and migrations, RPC service), its thin executable and its README.
#   Services/_Template/new-service.sh duty
# The service must already have its line in Shared/Catalog/ServiceCatalog.swift. See README.md
# beside this script for the rest of the checklist.
set -euo pipefail
name=${1:?usage: new-service.sh NAME (lower case, as in the service catalog)}
Name="$(tr '[:lower:]' '[:upper:]' <<<"${name:0:1}")${name:1}"
root=$(cd "$(dirname "$0")/../.." && pwd)
template=$root/Services/_Template/files
target=$root/Services/$Name
summary=$(grep -o "name: \.$name, defaultPort: [0-9]*, summary: \"[^\"]*\"" "$root/Shared/Catalog/ServiceCatalog.swift" | sed 's/.*summary: "\(.*\)"/\1/')
[ -n "$summary" ] || { echo "new-service.sh: '$name' has no line in Shared/Catalog/ServiceCatalog.swift; add it first" >&2; exit 1; }
[ ! -e "$target/$Name" ] || { echo "new-service.sh: $target/$Name exists already" >&2; exit 1; }
Summary="$(tr '[:lower:]' '[:upper:]' <<<"${summary:0:1}")${summary:1}"

fill() {  # fill TEMPLATE OUT
  mkdir -p "$(dirname "$2")"
  sed -e "s/__Name__/$Name/g" -e "s/__name__/$name/g" -e "s/__Summary__/$Summary/g" -e "s/__summary__/$summary/g" "$template/$1" >"$2"
}
fill Definition.swift.template "$target/$Name/${Name}Definition.swift"
fill Store.swift.template "$target/$Name/Store/${Name}Store.swift"
fill Migrations.swift.template "$target/$Name/Store/${Name}Migrations.swift"
fill Service.swift.template "$target/$Name/Service/${Name}Service.swift"
fill Server.swift.template "$target/${Name}Server/${Name}Server.swift"
[ -e "$target/README.md" ] || fill README.md.template "$target/README.md"
echo "laid out Services/$Name; now add (\"$Name\", [...]) to the services list in Package.swift"
