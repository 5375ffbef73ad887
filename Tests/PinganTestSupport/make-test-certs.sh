#!/usr/bin/env bash
# The certificates the tests use, made fresh into DIR with deploy/pki.sh.
set -euo pipefail
dir=$1
pki="$(cd "$(dirname "$0")/../.." && pwd)/deploy/pki.sh"
"$pki" ca "$dir"
"$pki" issue "$dir" server --cn pingan-test-server --dns localhost --ip 127.0.0.1 --ip ::1 --uri spiffe://pingan/service/test
"$pki" issue "$dir" client --cn town-office --uri spiffe://pingan/user/town-office
"$pki" issue "$dir" expired-client --cn expired-clerk --expired
"$pki" issue "$dir" elsewhere-server --cn elsewhere --dns elsewhere.example
"$pki" ca "$dir" --name other-ca
"$pki" issue "$dir" other-client --cn intruder --ca other-ca
"$pki" issue "$dir" finance-client --cn finance-li --uri spiffe://pingan/user/finance-li
