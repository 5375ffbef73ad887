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
#
# Every certificate may act as TLS server and client: services call each other.
# Keys are written 0600. Existing files are overwritten.
set -euo pipefail

die() { echo "pki.sh: $*" >&2; exit 2; }
[ $# -ge 2 ] || die "usage: pki.sh ca DIR [--name NAME] | pki.sh issue DIR FILE [options]"
command -v openssl >/dev/null || die "openssl is not installed (apt-get install -y openssl)"

action=$1 dir=$2
shift 2
mkdir -p "$dir"
umask 077

new_key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

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
  cn=$file days=825 ca=ca expired=0 sans=()
  while [ $# -gt 0 ]; do
    case "$1" in
      --cn) cn=$2; shift 2 ;;
      --dns) sans+=("DNS:$2"); shift 2 ;;
      --ip) sans+=("IP:$2"); shift 2 ;;
      --uri) sans+=("URI:$2"); shift 2 ;;
      --days) days=$2; shift 2 ;;
      --expired) expired=1; shift ;;
      --ca) ca=$2; shift 2 ;;
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
  ;;
*)
  die "unknown action '$action' (ca or issue)"
  ;;
esac
