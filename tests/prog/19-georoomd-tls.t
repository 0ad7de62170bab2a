#!/usr/bin/env bash
# georoomd serving TLS itself (--tls-cert, --tls-key) with certificates of
# a test CA made here: wrong files stop the start with their reason and
# status; georoom-cli --cacert and socket.io-client (`ca`) connect over
# wss://; the handshake path answers over HTTPS; SIGHUP reloads the
# certificate while connections made before stay open, and a bad pair is
# refused with the old one kept; --reuse-port processes serve TLS too.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/cli.sh"

need openssl have openssl
need node have node

# A CA, and two server certificates it signs for localhost and 127.0.0.1.
(
	set -e
	cd "$T"
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 \
	    -subj /CN=georoom-test-CA -keyout ca.key -out ca.pem
	printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' >san.ext
	for n in a b; do
		openssl req -newkey rsa:2048 -nodes -subj /CN=localhost \
		    -keyout $n.key -out $n.csr
		openssl x509 -req -in $n.csr -CA ca.pem -CAkey ca.key \
		    -CAcreateserial -days 2 -extfile san.ext -out $n.pem
	done
	cp a.pem cert.pem
	cp a.key key.pem
) >"$T/openssl.out" 2>&1
ok $? "openssl makes a test CA and two certificates it signs"
export GEOROOM_CA=$T/ca.pem
serial() { openssl x509 -noout -serial -in "$1" | sed 's/^serial=//'; }
served() {
	openssl s_client -connect "127.0.0.1:$GEOROOMD_PORT" \
	    -servername localhost </dev/null 2>/dev/null |
	    openssl x509 -noout -serial | sed 's/^serial=//'
}

# Files that cannot serve stop the start, each with its reason.
refuse() {
	local want_rc=$1 want_err=$2 desc=$3
	shift 3
	run_cmd timeout 10 georoomd -p 0 -c "$T/refused.sock" "$@"
	is "$rc" "$want_rc" "$desc exits $want_rc"
	like "$err" "$want_err" "and says so"
}
refuse 64 "--tls-cert and --tls-key go together" "--tls-cert alone" \
    --tls-cert "$T/a.pem"
refuse 66 "cannot read certificate '$T/none.pem': No such file" \
    "a missing certificate" --tls-cert "$T/none.pem" --tls-key "$T/a.key"
refuse 66 "cannot read private key '$T/none.key'" "a missing key" \
    --tls-cert "$T/a.pem" --tls-key "$T/none.key"
refuse 78 "private key '$T/b.key' does not belong to certificate '$T/a.pem'" \
    "a key of another certificate" --tls-cert "$T/a.pem" --tls-key "$T/b.key"
refuse 78 "no PEM certificate in '$T/san.ext'" "a file that holds no certificate" \
    --tls-cert "$T/san.ext" --tls-key "$T/a.key"
openssl pkey -in "$T/a.key" -aes256 -passout pass:secret -out "$T/enc.key"
refuse 78 "is encrypted: give it without a passphrase" "an encrypted key" \
    --tls-cert "$T/a.pem" --tls-key "$T/enc.key"
ok "$([ ! -e "$T/refused.sock" ]; echo $?)" "and none of them made a control socket"

start_georoomd --tls-cert "$T/cert.pem" --tls-key "$T/key.pem" ||
    { ok 1 "georoomd starts with TLS"; done_testing; }
like "$(cat "$GEOROOMD_LOG")" "TLS certificate: subject /CN=localhost, serial $(serial "$T/a.pem")" \
    "the log names the certificate in use"
url=wss://localhost:$GEOROOMD_PORT

# georoom-cli
run_cmd georoom-cli -u "$url" join 1 -W 5
is "$rc" 77 "georoom-cli without --cacert refuses the certificate (77)"
like "$err" "certificate is not trusted" "and says why"
# (lws ends such a handshake in one of two ways; georoom-cli crashed on
# one of them, now both are the same refusal.)
for i in 1 2 3 4 5 6; do
	run_cmd georoom-cli -u "ws://127.0.0.1:$GEOROOMD_PORT" --no-reconnect \
	    join 1 -W 5
	[ "$rc" = 76 ] || break
done
is "$rc" 76 "clear-text ws:// to the TLS port fails with 76, six times out of six"
like "$err" "did not complete the WebSocket handshake" "saying why"
cli_bg old -u "$url" --cacert "$GEOROOM_CA" join 1 ||
    { ok 1 "georoom-cli starts"; done_testing; }
in_room() { [ "$(georoom-cli -c "$GEOROOM_SOCKET" who 1 2>/dev/null | grep -c .)" -ge "$1" ]; }
wait_for 10 in_room 1
ok $? "georoom-cli --cacert joins room 1 over wss://"
emit() {
	control "{\"op\":\"emit\",\"room\":\"1\",\"event\":\"chat\",\"data\":{\"userId\":1,\"message\":\"$1\",\"roomName\":\"1\"}}"
}
has() { grep -q "$2" "$T/$1.out"; }
like "$(emit before)" '"reached":1' "an emit reaches it"
wait_for 10 has old '"before"'
ok $? "and georoom-cli prints it"

# HTTPS on the handshake path: long-polling too
run_cmd curl -sS --cacert "$GEOROOM_CA" -w ' %{http_code} %{http_version}' \
    "https://localhost:$GEOROOMD_PORT/socket.io/?EIO=4&transport=polling"
like "$out" '^0\{"sid":"[^"]*","upgrades":\["websocket"\].* 200 1\.1$' \
    "the handshake path answers HTTPS requests, in HTTP/1.1"

# socket.io-client
node_tap "$TOP/tests/node/hub-tls.js" basic

# SIGHUP: socket.io-client's session and georoom-cli's stay while the
# certificate changes under them.
CERT=$T/cert.pem KEY=$T/key.pem NEW_CERT=$T/b.pem NEW_KEY=$T/b.key \
    node_tap "$TOP/tests/node/hub-tls.js" reload
like "$(cat "$GEOROOMD_LOG")" "TLS certificate reloaded: subject /CN=localhost, serial $(serial "$T/b.pem")" \
    "the reload is logged with the new certificate"
is "$(served)" "$(serial "$T/b.pem")" "openssl s_client gets the new certificate"
is "$(cat "$T/old.rc" 2>/dev/null)" "" "georoom-cli's connection from before is still running"
like "$(emit after)" '"reached":1' "it is still in room 1"
wait_for 10 has old '"after"'
ok $? "and prints what comes after the reload"
run_cmd georoom-cli -u "$url" --cacert "$GEOROOM_CA" join 1 -W 1
is "$rc" 75 "a new georoom-cli connects with the new certificate (and times out, 75)"
is "$err" "" "without a TLS error"

# A bad pair is refused: the one in use stays, connections too.
cp "$T/a.key" "$T/key.pem"
kill -HUP "$GEOROOMD_PID"
wait_for 10 grep -q "TLS certificate not reloaded" "$GEOROOMD_LOG"
ok $? "a reload to a key of another certificate is refused"
like "$(cat "$GEOROOMD_LOG")" "not reloaded, the one in use stays: private key '$T/key.pem' does not belong" \
    "with the reason in the log"
is "$(served)" "$(serial "$T/b.pem")" "new handshakes still get the last good certificate"
like "$(emit still)" '"reached":1' "georoom-cli's connection is still there"
kill -0 "$GEOROOMD_PID"
ok $? "georoomd keeps running"
stop_georoomd
is "$rc" 0 "georoomd exits 0 on SIGTERM"

# --reuse-port: connections the process's own listener accepts speak TLS.
cp "$T/b.key" "$T/key.pem"
GEOROOM_SOCKET=$T/ra.sock start_georoomd --reuse-port \
    --tls-cert "$T/cert.pem" --tls-key "$T/key.pem" ||
    { ok 1 "a georoomd with --reuse-port and TLS starts"; done_testing; }
ra_pid=$GEOROOMD_PID port=$GEOROOMD_PORT
GEOROOM_SOCKET=$T/rb.sock start_georoomd --reuse-port -p "$port" \
    --tls-cert "$T/cert.pem" --tls-key "$T/key.pem" ||
    { ok 1 "a second one starts on the same port"; done_testing; }
node_tap "$TOP/tests/node/hub-tls.js" sessions 24
total() {
	a=$(GEOROOM_SOCKET=$T/ra.sock stat_of connections_total)
	b=$(GEOROOM_SOCKET=$T/rb.sock stat_of connections_total)
	[ $((a + b)) -ge 24 ]
}
wait_for 10 total
ok "$([ "$a" -gt 0 ] && [ "$b" -gt 0 ]; echo $?)" \
    "both processes served sessions over TLS ($a + $b)"
stop_georoomd
GEOROOMD_PID=$ra_pid stop_georoomd
done_testing
