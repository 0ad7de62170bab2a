#!/usr/bin/env bash
# examples/nginx/georoom.conf in front of georoomd, on the real nginx:
# georoom-cli connects through /chat, joins, receives an update, and gets
# its room back after georoomd restarts behind the proxy.  /api/ reaches
# the HTTP upstream.  The TLS server block, with a certificate of a CA
# made here, serves the same over wss:// and https://.
. "$(dirname "$0")/lib.sh"

nginx=$(command -v nginx || echo /usr/sbin/nginx)
need nginx test -x "$nginx"

hub_port=$(free_port)
proxy_port=$(free_port)
tls_port=$(free_port)

# A CA and a certificate it signs for localhost, for the TLS block.
need openssl have openssl
(
	set -e
	cd "$T"
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 \
	    -subj /CN=georoom-test-CA -keyout ca.key -out ca.pem
	printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' >san.ext
	openssl req -newkey rsa:2048 -nodes -subj /CN=localhost \
	    -keyout server.key -out server.csr
	openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key \
	    -CAcreateserial -days 2 -extfile san.ext -out fullchain.pem
	cat ca.pem >>fullchain.pem
) >"$T/openssl.out" 2>&1
ok $? "openssl makes a test CA and a certificate for localhost"

# The HTTP API's stand-in.
start_http_fixture || { ok 1 "the HTTP fixture starts"; done_testing; }
echo '{"api":"ok"}' >"$web/hello.json"

# The example, with this test's ports, inside a minimal nginx.conf.
nginx_example "$proxy_port" "$hub_port" "$(cat "$web/port")" "$tls_port" \
    "$T/fullchain.pem" "$T/server.key"
run_cmd "$nginx" -t -p "$T/nginx" -c "$T/nginx/nginx.conf"
is "$rc" 0 "nginx accepts the example configuration"
"$nginx" -p "$T/nginx" -c "$T/nginx/nginx.conf" 2>>"$T/nginx.log" &
track $!
up() { curl -s -o /dev/null "http://127.0.0.1:$proxy_port/api/hello.json"; }
wait_for 10 up
ok $? "nginx listens on 127.0.0.1:$proxy_port"
is "$(curl -s "http://127.0.0.1:$proxy_port/api/hello.json")" '{"api":"ok"}' \
    "/api/ reaches the HTTP upstream"

start_georoomd -p "$hub_port" -b 127.0.0.1 || { ok 1 "georoomd starts"; done_testing; }
georoom-cli -u "ws://127.0.0.1:$proxy_port" --path /chat --reconnect-delay 100 \
    --reconnect-delay-max 300 join 1 >"$T/cli.out" 2>"$T/cli.log" &
cli=$!
track $cli
in_room() {
	georoom-cli -c "$GEOROOM_SOCKET" who 1 2>/dev/null | grep -q .
}
wait_for 10 in_room
ok $? "georoom-cli joins room 1 through the proxy's /chat path"

emit() {
	printf '%s\n' "{\"op\":\"emit\",\"room\":\"1\",\"event\":\"chat\",\"data\":{\"userId\":1,\"message\":\"$1\",\"roomName\":\"1\"}}" |
	    socat -t 5 - "UNIX-CONNECT:$GEOROOM_SOCKET"
}
has() { grep -q "$1" "$T/cli.out"; }
like "$(emit first)" '"reached":1' "the hub reaches the client behind nginx"
wait_for 10 has '"first"'
ok $? "georoom-cli prints the update"

# georoomd restarts behind the proxy: the client comes back by itself.
stop_georoomd
start_georoomd -p "$hub_port" -b 127.0.0.1 || { ok 1 "georoomd starts again"; done_testing; }
wait_for 20 in_room
ok $? "after georoomd restarts, georoom-cli is back in room 1 through nginx"
like "$(emit second)" '"reached":1' "the restarted hub reaches it"
wait_for 10 has '"second"'
ok $? "and georoom-cli prints the next update"
like "$(cat "$T/cli.log")" "reconnect" "the reconnect is noted on stderr"
kill "$cli"
wait "$cli" 2>/dev/null
left() { ! in_room; }
wait_for 10 left

# The TLS server block: wss:// through /chat, https:// to /api/.
is "$(curl -s --cacert "$T/ca.pem" "https://localhost:$tls_port/api/hello.json")" \
    '{"api":"ok"}' "https:// reaches the HTTP upstream through the TLS block"
georoom-cli -u "wss://localhost:$tls_port" --path /chat --cacert "$T/ca.pem" \
    join 1 >"$T/cli.out" 2>"$T/cli.log" &
cli=$!
track $cli
wait_for 10 in_room
ok $? "georoom-cli --cacert joins room 1 over wss:// through the TLS block"
like "$(emit third)" '"reached":1' "the hub reaches it"
wait_for 10 has '"third"'
ok $? "and georoom-cli prints the update"
run_cmd georoom-cli -u "wss://localhost:$tls_port" --path /chat join 1 -W 5
is "$rc" 77 "without --cacert the test CA's certificate is refused (77)"
kill "$cli"
done_testing
