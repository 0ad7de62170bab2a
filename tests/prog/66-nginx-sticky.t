#!/usr/bin/env bash
# examples/nginx/georoom.conf in front of two georoomd that share rooms
# through Redis: its upstream is sticky (ip_hash), so that every request of
# a long-polling session reaches the georoomd that made it, on the real
# nginx (tests/node/nginx-sticky.js).
. "$(dirname "$0")/lib.sh"

nginx=$(command -v nginx || echo /usr/sbin/nginx)
need nginx test -x "$nginx"
need redis-server command -v redis-server
start_redis || { ok 1 "redis starts"; done_testing; }

a_port=$(free_port)
b_port=$(free_port)
proxy_port=$(free_port)
GEOROOM_SOCKET=$T/a.sock start_georoomd -p "$a_port" -b 127.0.0.1 \
    --redis "$REDIS_URL" || { ok 1 "georoomd A starts"; done_testing; }
a_pid=$GEOROOMD_PID
GEOROOM_SOCKET=$T/b.sock start_georoomd -p "$b_port" -b 127.0.0.1 \
    --redis "$REDIS_URL" || { ok 1 "georoomd B starts"; done_testing; }
b_pid=$GEOROOMD_PID

# The example with both hubs in its upstream (its second server line).
nginx_example "$proxy_port" "$a_port"
sed -i "s|# server 10.0.0.2:3030;|server 127.0.0.1:$b_port;|" \
    "$T/nginx/georoom.conf"
grep -q 'ip_hash;' "$T/nginx/georoom.conf"
ok $? "the example's upstream is sticky (ip_hash)"
run_cmd "$nginx" -t -p "$T/nginx" -c "$T/nginx/nginx.conf"
is "$rc" 0 "nginx accepts it with two servers"
"$nginx" -p "$T/nginx" -c "$T/nginx/nginx.conf" 2>>"$T/nginx.log" &
track $!
up() {
	curl -s -o /dev/null -w '%{http_code}' \
	    "http://127.0.0.1:$proxy_port/chat/?EIO=4&transport=nope" | grep -q 400
}
wait_for 10 up
ok $? "nginx passes /chat to the hubs"

linked() {
	GEOROOM_SOCKET=$T/$1.sock control '{"op":"stats"}' |
	    grep -q '"redis":"up"'
}
wait_for 10 linked a && wait_for 10 linked b
ok $? "both hubs are linked to Redis"

PROXY_PORT=$proxy_port GEOROOMD_PORT_A=$a_port GEOROOMD_PORT_B=$b_port \
    GEOROOM_SOCKET_A=$T/a.sock GEOROOM_SOCKET_B=$T/b.sock \
    node_tap "$TOP/tests/node/nginx-sticky.js"

GEOROOMD_PID=$b_pid stop_georoomd
is "$rc" 0 "georoomd B stops cleanly"
GEOROOMD_PID=$a_pid stop_georoomd
is "$rc" 0 "georoomd A stops cleanly"
done_testing
