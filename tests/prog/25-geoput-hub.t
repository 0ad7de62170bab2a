#!/usr/bin/env bash
# geoput with a running georoomd: real socket.io-clients in a location's
# room receive the chat event with the stored Feature (tests/node/
# geoput-hub.js), a large batch goes over one pipelined connection, and
# the hub going away leaves the write standing with exit 75.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/geoput.sh"

need node have node
need socket.io-client test -d "$TOP/tests/node/node_modules/socket.io-client"
setup_db
start_georoomd -n /fleet || { ok 1 "georoomd starts"; done_testing; }

node_tap "$TOP/tests/node/geoput-hub.js"

# field NAME: a counter of the stats reply in $stats.
field() {
	printf '%s' "$stats" | sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p"
}

# Ten thousand records: one control connection, every emit answered.
seq 1 10000 | awk '{ printf "{\"id\":%d,\"lon\":%.3f,\"lat\":%.3f}\n", $1, $1 % 360 - 180, $1 % 180 - 90 }' \
    >"$T/batch.ndjson"
stats=$(control '{"op":"stats"}')
conns=$(field control_connections_total)
reqs=$(field control_requests)
run_cmd geoput -q "$T/batch.ndjson"
is "$rc:$err" "0:" "a batch of 10000 records is stored and announced"
is "$(rows)" 10000 "all are stored"
stats=$(control '{"op":"stats"}')
# Each stats query is a connection and a request of its own.
is "$(field control_connections_total)" "$((conns + 2))" \
    "geoput opens one control connection for the whole batch (and this query one)"
is "$(field control_requests)" "$((reqs + 10001))" \
    "the hub answered one emit per record (and this stats request)"
open_conns() {
	stats=$(control '{"op":"stats"}')
	[ "$(field control_connections)" = 1 ]
}
wait_for 5 open_conns
ok $? "geoput's connection is closed: only the asking one stays open"

# The hub goes away: the write stands.
stop_georoomd
run_cmd geoput --id 77 --lon 7 --lat 7
is "$rc" 75 "with georoomd stopped, geoput exits 75 (EX_TEMPFAIL)"
is "$(q 'SELECT COUNT(*) FROM location WHERE id=77')" 1 "and the location is stored"
like "$err" "hub at $GEOROOM_SOCKET unreachable" "a warning says the hub is unreachable"
done_testing
