#!/usr/bin/env bash
# georoomd --metrics-bind: the Prometheus page checked against known
# traffic and the stats reply, the endpoint's answers to bad and slow
# requests (tests/node/hub-metrics.js); the health check while the hub
# serves, shuts down, and while its Redis is away; refused handshakes
# logged once per client address per interval; --log-time.
. "$(dirname "$0")/lib.sh"

# metrics_port: the port of the metrics listener, from the log.
metrics_port() {
	sed -n 's/.*metrics on .* port \([0-9]*\) .*/\1/p' "$GEOROOMD_LOG" |
	    tail -1
}
health() { curl -s -m 5 "http://127.0.0.1:$METRICS_PORT/healthz"; }

start_georoomd -n /fleet -o http://allowed.example \
    --metrics-bind 127.0.0.1:0 || { ok 1 "georoomd starts"; done_testing; }
METRICS_PORT=$(metrics_port)
export METRICS_PORT
ok $([ -n "$METRICS_PORT" ]; echo $?) "the metrics port is logged ($METRICS_PORT)"
refuse_from() {
	curl -s -o /dev/null --interface "$1" \
	    "http://127.0.0.1:$GEOROOMD_PORT/nope?EIO=4&transport=websocket"
}
# Refused from fresh addresses now, their lines checked after the script
# (which takes 10 s: its slow clients wait for their 408).
for i in 1 2 3 4 5; do
	refuse_from 127.0.0.3
done
refuse_from 127.0.0.2
node_tap "$TOP/tests/node/hub-metrics.js"

# Refusals: one line per client address per 10 s, whatever the reason.
like "$(cat "$GEOROOMD_LOG")" 'info: refuse peer=127\.0\.0\.1: (path \(404\)|origin \(403\))' \
    "a refused handshake is logged with its reason and status"
is "$(grep -c 'info: refuse peer=127\.0\.0\.3: ' "$GEOROOMD_LOG")" 1 \
    "one line for 5 refusals of an address within 10 s"
like "$(cat "$GEOROOMD_LOG")" 'info: refuse peer=127\.0\.0\.2: path \(404\)' \
    "another address has its own line"
refuse_more() {
	refuse_from 127.0.0.3
	grep -q 'info: refuse peer=127\.0\.0\.3: path (404) (and [0-9]* more since its last line)$' \
	    "$GEOROOMD_LOG"
}
wait_for 15 refuse_more
ok $? "past 10 s, the next line says how many were not logged"
is "$(grep -c 'info: refuse peer=127\.0\.0\.3: ' "$GEOROOMD_LOG")" 2 \
    "and that is the second line for the address"
is "$(stat_of refused)" "$(curl -s "http://127.0.0.1:$METRICS_PORT/metrics" |
    awk '/^georoomd_handshakes_refused_total/ { n += $2 } END { print n }')" \
    "the metrics' refusals add up to the stats' while they were logged"

# Health while shutting down: a client that never answers the close frame
# keeps the hub draining (2 s at most), and the health check says why.
perl "$TOP/tests/prog/ws-hold.pl" "$GEOROOMD_PORT" 1 /socket.io/ >"$T/hold.out" &
hold=$!
track $hold
wait_for 10 grep -q done "$T/hold.out"
is "$(health)" ok "healthy while it serves"
kill -TERM "$GEOROOMD_PID"
draining() {
	[ "$(curl -s -m 5 -w '%{http_code}' \
	    "http://127.0.0.1:$METRICS_PORT/healthz")" = $'shutting down\n503' ]
}
wait_for 2 draining
ok $? "503 \"shutting down\" from SIGTERM until it exits"
wait "$GEOROOMD_PID"
is "$?" 0 "georoomd exits 0 after the drain"
kill "$hold" 2>/dev/null
curl -s -m 2 "http://127.0.0.1:$METRICS_PORT/healthz" >/dev/null
is "$?" 7 "and the metrics port is closed with it"

# Options.
run_cmd georoomd -p 0 -c "$T/o.sock" --metrics-bind localhost:9300
is "$rc" 64 "a --metrics-bind address must be numeric"
like "$err" "'localhost:9300' is not ADDR:PORT" "and says what it wants"
run_cmd georoomd -p 0 -c "$T/o.sock" --metrics-bind 127.0.0.1:65536
is "$rc" 64 "the port is held to its range"
run_cmd georoomd -p 0 -c "$T/o.sock" --metrics-bind ::1:9300
is "$rc" 64 "IPv6 needs its brackets"
busy=$(free_port)
perl -MIO::Socket::INET -e '$s = IO::Socket::INET->new(LocalAddr =>
    "127.0.0.1", LocalPort => $ARGV[0], Listen => 1, ReuseAddr => 1) or die;
    print "up\n"; sleep 30' "$busy" >"$T/busy.out" &
track $!
wait_for 5 grep -q up "$T/busy.out"
run_cmd timeout 10 georoomd -p 0 -c "$T/o.sock" --metrics-bind "127.0.0.1:$busy"
is "$rc" 69 "a metrics port in use stops the start (69)"
like "$err" "cannot listen for metrics on 127\.0\.0\.1 port $busy: Address already in use" \
    "and says why"
if ip -6 addr show dev lo 2>/dev/null | grep -q '::1/128'; then
	GEOROOMD_METRICS_BIND='[::1]:0' start_georoomd ||
	    { ok 1 "georoomd starts"; done_testing; }
	METRICS_PORT=$(metrics_port)
	is "$(curl -s -g "http://[::1]:$METRICS_PORT/healthz")" ok \
	    "GEOROOMD_METRICS_BIND, on [::1]"
	stop_georoomd
fi

# --log-time: RFC 3339 UTC, to the millisecond, before each line.
start_georoomd --log-time || { ok 1 "georoomd starts"; done_testing; }
curl -s -o /dev/null "http://127.0.0.1:$GEOROOMD_PORT/nope"
stop_georoomd
like "$(head -1 "$GEOROOMD_LOG")" \
    '^20[0-9]{2}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9]\.[0-9]{3}Z georoomd: info: listening on ' \
    "--log-time puts the time before each line"
is "$(grep -cvE '^[0-9T:.-]{23}Z georoomd: ' "$GEOROOMD_LOG")" 0 \
    "every line, refusals and the shutdown's included"
start_georoomd || { ok 1 "georoomd starts"; done_testing; }
stop_georoomd
like "$(head -1 "$GEOROOMD_LOG")" '^georoomd: info: listening on ' \
    "without it, lines start with the program's name"

# With --redis: healthy while the link is up, 503 while Redis is away.
need redis-server have redis-server
start_redis || { ok 1 "redis starts"; done_testing; }
start_georoomd --redis "$REDIS_URL" --metrics-bind 127.0.0.1:0 ||
    { ok 1 "georoomd starts"; done_testing; }
METRICS_PORT=$(metrics_port)
healthy() { [ "$(health)" = ok ]; }
wait_for 10 healthy
ok $? "healthy once the Redis link is up"
page=$(curl -s "http://127.0.0.1:$METRICS_PORT/metrics")
like "$page" $'georoomd_redis_up 1\n' "georoomd_redis_up is 1"
like "$page" $'georoomd_redis_link_state{state="up"} 1\n' "the state is up"
like "$page" $'georoomd_redis_pending_bytes [0-9]+\n' "the publish lag in bytes"
like "$page" $'georoomd_redis_reply_wait_seconds [0-9.e-]+\n' \
    "and in seconds"
stop_redis
down() { [ "$(health)" = "redis link down" ]; }
wait_for 10 down
ok $? "503 \"redis link down\" once Redis is gone"
like "$(curl -s "http://127.0.0.1:$METRICS_PORT/metrics")" \
    $'georoomd_redis_up 0\n' "and georoomd_redis_up is 0"
start_redis || { ok 1 "redis starts again"; done_testing; }
wait_for 15 healthy
ok $? "healthy again once Redis is back"
stop_georoomd
is "$rc" 0 "georoomd exits 0"

done_testing
