#!/usr/bin/env bash
# Makes the TLS files of a chatd cluster with the openssl command line:
#   deploy/cluster-certs.sh DIR NODE...
# DIR/ca.pem, DIR/ca.key        the cluster CA (made once; kept if present)
# DIR/NODE.pem, DIR/NODE.key    each node's certificate (CN and DNS name NODE) and key
# Every file is mode 0600. Run it again with a new NODE to add a node: the
# existing CA signs it and the other files stay. Keys are EC P-256;
# certificates last CHATD_CERT_DAYS days (default 825). See docs/security.md.
set -euo pipefail

if [[ $# -lt 2 ]]; then
  echo "usage: deploy/cluster-certs.sh DIR NODE..." >&2
  exit 2
fi
dir=$1
shift
days=${CHATD_CERT_DAYS:-825}
umask 077
mkdir -p "$dir"

for node in "$@"; do
  # The name becomes a file name and a certificate subject: the rules of node names.
  if [[ ! $node =~ ^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$ ]]; then
    echo "bad node name '$node': letters, digits, _ and -, up to 32" >&2
    exit 2
  fi
done

if [[ ! -f $dir/ca.key ]]; then
  openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout "$dir/ca.key" -out "$dir/ca.pem" -days "$days" \
    -subj "/CN=chatd cluster CA $(date -u +%Y%m%dT%H%M%SZ)" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    2>/dev/null
  echo "made the cluster CA: $dir/ca.pem (keep $dir/ca.key off the nodes)"
fi

for node in "$@"; do
  ext=$(mktemp)
  printf '%s\n' "basicConstraints=critical,CA:FALSE" \
    "keyUsage=critical,digitalSignature,keyAgreement" \
    "extendedKeyUsage=serverAuth,clientAuth" "subjectAltName=DNS:$node" >"$ext"
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout "$dir/$node.key" -out "$dir/$node.csr" -subj "/CN=$node" 2>/dev/null
  openssl x509 -req -in "$dir/$node.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" \
    -CAcreateserial -out "$dir/$node.pem" -days "$days" -extfile "$ext" 2>/dev/null
  rm -f "$dir/$node.csr" "$ext"
  echo "made $dir/$node.pem and $dir/$node.key"
done
chmod 600 "$dir"/*.pem "$dir"/*.key "$dir"/*.srl 2>/dev/null || true
