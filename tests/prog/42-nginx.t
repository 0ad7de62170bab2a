#!/usr/bin/env bash
# examples/nginx/georoom.conf in front of georoomd, on the real nginx:
# georoom-cli connects through /chat, joins, receives an update, and gets
# its room back after georoomd restarts behind the proxy.  /api/ reaches
# the HTTP upstream.
. "$(dirname "$0")/lib.sh"

nginx=$(command -v nginx || echo /usr/sbin/nginx)
need nginx test -x "$nginx"

hub_port=$(free_port)
proxy_port=$(free_port)

# The HTTP API's stand-in.
start_http_fixture || { ok 1 "the HTTP fixture starts"; done_testing; }
echo '{"api":"ok"}' >"$web/hello.json"

# The example, with this test's ports, inside a minimal nginx.conf.
nginx_example "$proxy_port" "$hub_port" "$(cat "$web/port")"
run_cmd "$nginx" -t -p "$T/nginx" -c "$T/nginx/nginx.conf"
is "$rc" 0 "nginx accepts the example configuration"
"$nginx" -p "$T/nginx" -c "$T/nginx/nginx.conf" 2>>"$T/nginx.log" &
track $!
up() { curl -s -o /dev/null "http://127.0.0.1:$proxy_port/api/hello.json"; }
wait_for 10 up
ok $? "nginx listens on 127.0.0.1:$proxy_port"
is "$(curl -s "http://127.0.0.1:$proxy_port/api/hello.json")" '{"api":"ok"}' \
    "/api/ reaches the HTTP upstream"

start_georoomd -p "$hub_port" || { ok 1 "georoomd starts"; done_testing; }
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
start_georoomd -p "$hub_port" || { ok 1 "georoomd starts again"; done_testing; }
wait_for 20 in_room
ok $? "after georoomd restarts, georoom-cli is back in room 1 through nginx"
like "$(emit second)" '"reached":1' "the restarted hub reaches it"
wait_for 10 has '"second"'
ok $? "and georoom-cli prints the next update"
like "$(cat "$T/cli.log")" "reconnect" "the reconnect is noted on stderr"
kill "$cli"
done_testing
