#!/usr/bin/env bash
# A deployment's certificate authority and the certificates it issues (ECDSA P-256).
#
#   pki.sh ca DIR [--name NAME]          DIR/NAME.pem + DIR/NAME.key, a CA valid 10 years (NAME: ca)
#   pki.sh issue DIR FILE [options]      DIR/FILE.pem + DIR/FILE.key signed by DIR/ca.pem
#       --cn CN          subject common name (default FILE)
#       --dns NAME       DNS subject alternative name (repeatable)
#       --ip ADDR        IP subject alternative name (repeatable)
#       --uri URI        URI subject alternative name (repeatable), e.g. spiffe://pingan/service/registry
#       --days N         validity in days (default 825)
#       --expired        valid only in January 2020 (for tests of expiry handling)
#       --ca NAME        sign with DIR/NAME.pem and DIR/NAME.key instead of DIR/ca.*
#       --role ROLE      print the ACL entry for it (admin, clerk, trainer, coordinator, finance,
#                        auditor, service), matched by its first --uri (else its CN)
#       --unit CODE      with --role: the unit the entry is scoped to (a clerk of JC-017)
#   pki.sh revoke DIR FILE               revokes DIR/FILE.pem and rewrites DIR/crl.pem
#   pki.sh crl DIR                       rewrites DIR/crl.pem (valid 365 days: run it before then)
#   pki.sh expiring DIR [--days N]       lists certificates in DIR that expire within N days (30)
#   pki.sh renew DIR FILE [--days N]     issues DIR/FILE.pem again (a new key) with the same name
#                                        and SANs, valid N days (825); the old one (kept in
#                                        DIR/renewed/) stays valid until it expires
#
# Services given `crl` (DIR/crl.pem) refuse a revoked certificate at the handshake, and load a
# new list on SIGHUP (systemctl reload) without a restart.
# Every certificate may act as TLS server and client: services call each other.
# Keys are written 0600. Existing files are overwritten.
set -euo pipefail

die() { echo "pki.sh: $*" >&2; exit 2; }
[ $# -ge 2 ] || die "usage: pki.sh ca DIR [--name NAME] | issue DIR FILE [options] | revoke DIR FILE | crl DIR | expiring DIR [--days N] | renew DIR FILE [--days N]"
command -v openssl >/dev/null || die "openssl is not installed (apt-get install -y openssl)"

action=$1 dir=$2
shift 2
mkdir -p "$dir"
umask 077

new_key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

# The CA's record of revocations (DIR/crl-db) and a config for `openssl ca` over it.
crl_config() {
  mkdir -p "$dir/crl-db"
  touch "$dir/crl-db/index.txt"
  [ -f "$dir/crl-db/crlnumber" ] || echo 1000 > "$dir/crl-db/crlnumber"
  cat > "$dir/crl-db/openssl.cnf" <<CNF
[ca]
default_ca = pingan
[pingan]
database = $dir/crl-db/index.txt
crlnumber = $dir/crl-db/crlnumber
certificate = $dir/ca.pem
private_key = $dir/ca.key
default_md = sha256
default_crl_days = 365
CNF
}

write_crl() {
  crl_config
  openssl ca -batch -config "$dir/crl-db/openssl.cnf" -gencrl -out "$dir/crl.pem" 2>"$dir/crl-db/last.log" || { cat "$dir/crl-db/last.log" >&2; exit 1; }
  chmod 0644 "$dir/crl.pem"
}

case "$action" in
ca)
  name=ca
  while [ $# -gt 0 ]; do
    case "$1" in
      --name) name=$2; shift 2 ;;
      *) die "unknown option '$1' for 'ca'" ;;
    esac
  done
  new_key "$dir/$name.key"
  openssl req -x509 -new -key "$dir/$name.key" -sha256 -days 3650 -subj "/O=Pingan/CN=Pingan $name" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -out "$dir/$name.pem"
  chmod 0644 "$dir/$name.pem"
  ;;
issue)
  [ $# -ge 1 ] || die "issue needs a FILE name"
  file=$1; shift
  cn=$file days=825 ca=ca expired=0 sans=() role= unit=
  while [ $# -gt 0 ]; do
    case "$1" in
      --cn) cn=$2; shift 2 ;;
      --dns) sans+=("DNS:$2"); shift 2 ;;
      --ip) sans+=("IP:$2"); shift 2 ;;
      --uri) sans+=("URI:$2"); shift 2 ;;
      --days) days=$2; shift 2 ;;
      --expired) expired=1; shift ;;
      --ca) ca=$2; shift 2 ;;
      --role) role=$2; shift 2 ;;
      --unit) unit=$2; shift 2 ;;
      *) die "unknown option '$1' for 'issue'" ;;
    esac
  done
  [ -f "$dir/$ca.pem" ] && [ -f "$dir/$ca.key" ] || die "no CA at $dir/$ca.pem (run: pki.sh ca $dir)"

  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  touch "$work/index.txt"
  openssl rand -hex 16 > "$work/serial"
  {
    echo "[ca]"
    echo "default_ca = pingan"
    echo "[pingan]"
    echo "database = $work/index.txt"
    echo "new_certs_dir = $work"
    echo "serial = $work/serial"
    echo "default_md = sha256"
    echo "policy = any"
    echo "unique_subject = no"
    echo "copy_extensions = none"
    echo "[any]"
    echo "commonName = supplied"
    echo "[leaf]"
    echo "basicConstraints = critical,CA:FALSE"
    echo "keyUsage = critical,digitalSignature"
    echo "extendedKeyUsage = serverAuth,clientAuth"
    if [ ${#sans[@]} -gt 0 ]; then echo "subjectAltName = $(IFS=,; echo "${sans[*]}")"; fi
  } > "$work/ca.cnf"

  new_key "$dir/$file.key"
  openssl req -new -key "$dir/$file.key" -subj "/CN=$cn" -out "$work/req.csr"
  if [ "$expired" = 1 ]; then
    dates=(-startdate 20200101000000Z -enddate 20200131000000Z)
  else
    dates=(-days "$days")
  fi
  openssl ca -batch -notext -config "$work/ca.cnf" -extensions leaf \
    -cert "$dir/$ca.pem" -keyfile "$dir/$ca.key" "${dates[@]}" \
    -in "$work/req.csr" -out "$dir/$file.pem" 2>"$work/ca.log" || { cat "$work/ca.log" >&2; exit 1; }
  chmod 0644 "$dir/$file.pem"
  if [ -n "$role" ]; then
    match="cn:$cn"
    for san in "${sans[@]}"; do case $san in URI:*) match="uri:${san#URI:}"; break ;; esac; done
    echo "ACL entry: {\"match\": \"$match\", \"role\": \"$role\"${unit:+, \"unit\": \"$unit\"}}"
  fi
  ;;
revoke)
  [ $# -ge 1 ] || die "revoke needs a FILE name"
  [ -f "$dir/$1.pem" ] || die "no certificate $dir/$1.pem"
  crl_config
  openssl ca -batch -config "$dir/crl-db/openssl.cnf" -revoke "$dir/$1.pem" 2>"$dir/crl-db/last.log" || { cat "$dir/crl-db/last.log" >&2; exit 1; }
  write_crl
  echo "revoked $dir/$1.pem; $dir/crl.pem rewritten: reload the services (systemctl reload pingan.target)"
  ;;
crl)
  write_crl
  echo "$dir/crl.pem rewritten"
  ;;
renew)
  [ $# -ge 1 ] || die "renew needs a FILE name"
  file=$1; shift
  [ -f "$dir/$file.pem" ] || die "no certificate $dir/$file.pem"
  days=825
  [ "${1:-}" = --days ] && days=$2
  cn=$(openssl x509 -in "$dir/$file.pem" -noout -subject -nameopt RFC2253 | sed -n 's/^subject=.*CN=\([^,]*\).*/\1/p')
  args=(--cn "$cn" --days "$days")
  sans=$(openssl x509 -in "$dir/$file.pem" -noout -ext subjectAltName 2>/dev/null | tail -n +2 | tr ',' '\n' | sed 's/^ *//')
  while IFS= read -r san; do
    case $san in
      DNS:*) args+=(--dns "${san#DNS:}") ;;
      "IP Address:"*) args+=(--ip "${san#IP Address:}") ;;
      URI:*) args+=(--uri "${san#URI:}") ;;
    esac
  done <<<"$sans"
  mkdir -p "$dir/renewed"
  cp "$dir/$file.pem" "$dir/renewed/$file-$(date -u +%Y%m%dT%H%M%SZ).pem"
  cp "$dir/$file.key" "$dir/renewed/$file-$(date -u +%Y%m%dT%H%M%SZ).key"
  "$0" issue "$dir" "$file" "${args[@]}"
  # The old certificate is not revoked: what still presents it (a peer's outgoing calls until
  # its restart) keeps working until it expires.
  echo "renewed $dir/$file.pem (valid $days days): install it, then systemctl reload (or restart) what uses it"
  ;;
expiring)
  days=30
  [ "${1:-}" = --days ] && days=$2
  for cert in "$dir"/*.pem; do
    [ "$(basename "$cert")" = crl.pem ] && continue
    openssl x509 -in "$cert" -noout -checkend $((days * 86400)) >/dev/null 2>&1 ||
      echo "$(basename "$cert" .pem): expires $(openssl x509 -in "$cert" -noout -enddate | cut -d= -f2)"
  done
  ;;
*)
  die "unknown action '$action' (ca, issue, revoke, crl, expiring or renew)"
  ;;
esac
