#!/bin/sh
# Regenerates the test-only CA and server certificate used by the scripted
# fault servers (tests/helpers/test_fault_server.c). Valid for 100 years;
# the private keys are for tests and nothing else.
set -eu
cd "$(dirname "$0")"
openssl req -x509 -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
	-keyout ca.key -out ca.crt -days 36500 -subj "/CN=piculet test CA" \
	-addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
openssl req -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
	-keyout server.key -out server.csr -subj "/CN=localhost"
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\nbasicConstraints=CA:FALSE\n' >server.ext
openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out server.crt \
	-days 36500 -extfile server.ext
rm -f server.csr server.ext ca.srl ca.key
