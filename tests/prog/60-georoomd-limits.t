#!/usr/bin/env bash
# georoomd's limits on clients: --rate-limit (a flooder gets error acks,
# then is disconnected, while the others' chat keeps flowing), --max-per-ip
# over several loopback source addresses, IPv6 and --reuse-port's own
# listener, and --trust-proxy, with
# X-Forwarded-For from a trusted peer and an untrusted one, and behind
# examples/nginx/georoom.conf on the real nginx.
. "$(dirname "$0")/lib.sh"

start_georoomd --rate-limit 20 --rate-burst 20 --rate-grace 4000 ||
    { ok 1 "georoomd starts"; done_testing; }
node_tap "$TOP/tests/node/hub-limits.js" rate
like "$(cat "$GEOROOMD_LOG")" \
    'warning: drop sid=.* peer=127\.0\.0\.1: over --rate-limit of 20 events a second for 4000 ms, [0-9]+ events dropped' \
    "the disconnection is logged as a warning with its reason"
like "$(cat "$GEOROOMD_LOG")" 'disconnect sid=.* ns=/: rate limited' \
    "and its socket's disconnect line says why"
stop_georoomd

start_georoomd --max-per-ip 2 || { ok 1 "georoomd starts"; done_testing; }
node_tap "$TOP/tests/node/hub-limits.js" perip
like "$(cat "$GEOROOMD_LOG")" 'refusing connections: --max-per-ip is reached' \
    "refusals on accept are reported as a warning"
stop_georoomd

# Connections the hub accepts itself (--reuse-port) are counted the same.
start_georoomd --reuse-port --max-per-ip 2 ||
    { ok 1 "georoomd starts with --reuse-port"; done_testing; }
node_tap "$TOP/tests/node/hub-limits.js" perip
stop_georoomd

if ip -6 addr show dev lo 2>/dev/null | grep -q '::1/128'; then
	start_georoomd -b ::1 --max-per-ip 1 ||
	    { ok 1 "georoomd starts on ::1"; done_testing; }
	node_tap "$TOP/tests/node/hub-limits.js" perip6
	stop_georoomd
else
	diag "no ::1 on lo: the IPv6 case is not run"
fi

start_georoomd --max-per-ip 1 --trust-proxy 127.0.0.1 ||
    { ok 1 "georoomd starts"; done_testing; }
node_tap "$TOP/tests/node/hub-limits.js" proxy
log=$(cat "$GEOROOMD_LOG")
like "$log" 'connect sid=.* peer=203\.0\.113\.7 via=127\.0\.0\.1$' \
    "the log names the client the trusted proxy named, and the proxy"
like "$log" 'connect sid=.* peer=203\.0\.113\.8 via=127\.0\.0\.1$' \
    "the rightmost untrusted hop"
like "$log" 'connect sid=.* peer=127\.0\.0\.2$' \
    "and an untrusted peer by its own address"
stop_georoomd

# Options: CIDRs are checked, lists come from the environment too.
run_cmd georoomd -p 0 -c "$T/c.sock" --trust-proxy 10.0.0.0/33
is "$rc" 64 "a bad --trust-proxy is a usage error"
like "$err" "--trust-proxy '10.0.0.0/33': the prefix length" "and says why"
run_cmd georoomd -p 0 -c "$T/c.sock" --rate-limit 1000001
is "$rc" 64 "--rate-limit is held to its range"
GEOROOMD_TRUST_PROXY="127.0.0.1, ::1 nonsense" run_cmd georoomd -p 0 \
    -c "$T/c.sock"
is "$rc" 64 "GEOROOMD_TRUST_PROXY is a list, each item checked"
like "$err" "GEOROOMD_TRUST_PROXY" "and the variable is named"

# Behind the nginx example: nginx appends the client's address to
# X-Forwarded-For, and the hub trusts nginx alone.
hub_port=$(free_port)
start_nginx_example "$hub_port"
start_georoomd -p "$hub_port" --max-per-ip 1 --trust-proxy 127.0.0.1 ||
    { ok 1 "georoomd starts behind nginx"; done_testing; }
up() { curl -s -o /dev/null "http://127.0.0.1:$PROXY_PORT/chat/"; }
wait_for 10 up
ok $? "nginx listens on 127.0.0.1:$PROXY_PORT"
node_tap "$TOP/tests/node/hub-limits.js" nginx
like "$(cat "$GEOROOMD_LOG")" 'peer=127\.0\.0\.2 via=127\.0\.0\.1' \
    "the hub logs the client nginx served, via nginx"
done_testing
