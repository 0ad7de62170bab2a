#!/usr/bin/env bash
# georoom-cli over wss:// to a socket.io server with a self-signed
# certificate: refused by default, trusted with --cacert, accepted with
# --insecure.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/cli.sh"

need node have node
need openssl have openssl

if ! openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
    -addext 'subjectAltName=DNS:localhost,IP:127.0.0.1' \
    -keyout "$T/key.pem" -out "$T/cert.pem" 2>"$T/openssl.err"; then
	ok 1 "openssl makes a self-signed certificate"
	sed 's/^/#   /' "$T/openssl.err"
	done_testing
fi
start_sio_server tls --tls "$T/cert.pem" "$T/key.pem" ||
    { ok 1 "the socket.io server starts with TLS"; done_testing; }
url=wss://localhost:$SIO_PORT

run_cmd georoom-cli -u "$url" emit whoami --ack
is "$rc" 77 "a certificate no CA vouches for exits 77 (EX_NOPERM)"
like "$err" "certificate is not trusted" "and says the certificate is not trusted"

run_cmd georoom-cli -u "$url" --cacert "$T/cert.pem" emit whoami --ack --jq .ns -r
is "$rc" 0 "--cacert trusts the server's CA"
is "$out" "/" "and the event goes through"

run_cmd georoom-cli -u "https://127.0.0.1:$SIO_PORT" --insecure emit echo 1 -C 1 -d
is "$rc" 0 "--insecure accepts the certificate (https:// as wss://)"
is "$out" "1" "and the event goes through"

run_cmd georoom-cli -u "ws://127.0.0.1:$SIO_PORT" tail -W 5
is "$rc" 76 "plain ws:// to a TLS server exits 76"
done_testing
