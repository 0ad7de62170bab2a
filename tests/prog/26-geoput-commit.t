#!/usr/bin/env bash
# A connection lost once COMMIT is sent leaves the outcome unknown to
# geoput: it reconnects and looks for the batch's marker.  A proxy in front
# of the sandbox MariaDB (tests/prog/db-proxy.pl) drops the connection at
# COMMIT, having passed it on or not; the batch is then found stored (exit
# 0, announced), found not stored (75), or the server cannot be asked again
# (74, outcome unknown, nothing announced).  Then the marker table: created
# when missing, emptied, and not needed by a user who may not create it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/geoput.sh"

setup_db --tcp
port=$(cat "$T/db/port")
start_georoomd || { ok 1 "georoomd starts"; done_testing; }

# start_proxy MODE AFTER: a proxy to the server; sets $purl and $pdir.
nproxy=0
start_proxy() {
	nproxy=$((nproxy + 1))
	pdir=$T/proxy$nproxy
	mkdir -p "$pdir"
	perl "$TOP/tests/prog/db-proxy.pl" "$pdir" "$port" "$1" "$2" \
	    2>"$T/proxy$nproxy.log" &
	track $!
	wait_for 10 test -s "$pdir/port" || return 1
	purl=mysql://georoom:georoom@127.0.0.1:$(cat "$pdir/port")/georoom
}

# batch FIRST LAST: NDJSON records with ids FIRST to LAST.
batch() {
	seq "$1" "$2" | awk '{ printf "{\"id\":%d,\"lon\":1,\"lat\":1}\n", $1 }' \
	    >"$T/batch.ndjson"
}

# stored FIRST LAST: how many of those ids the table holds.
stored() {
	q "SELECT COUNT(*) FROM location WHERE id BETWEEN $1 AND $2"
}

# emits: the hub's count of control requests (this one included).
emits() {
	stat_of control_requests
}

# The COMMIT reaches the server, the answer never comes back.
start_proxy forward pass || { ok 1 "the proxy starts"; done_testing; }
batch 1 3
before=$(emits)
run_cmd geoput --db "$purl" "$T/batch.ndjson"
is "$rc" 0 "COMMIT passed on, connection lost: exits 0, for the batch is stored"
test -e "$pdir/dropped"
ok $? "the proxy dropped the connection at COMMIT"
like "$err" "^geoput: database: committing: Lost connection.*; reconnected and found the batch stored$" \
    "a warning tells of the lost connection and what was found"
is "$(stored 1 3)" 3 "the rows are there"
is "$(printf '%s\n' "$out" | grep -c '"type":"Feature"')" 3 "and printed"
is "$(emits)" "$((before + 4))" "and announced to the hub, one emit each"
is "$(q 'SELECT COUNT(*) FROM geoput_batch')" 0 "the batch's marker is gone"

# The COMMIT never reaches the server, which rolls back.
start_proxy swallow pass || { ok 1 "the proxy starts"; done_testing; }
batch 4 6
before=$(emits)
run_cmd geoput --db "$purl" "$T/batch.ndjson"
is "$rc" 75 "COMMIT lost on the way: exits 75 (EX_TEMPFAIL)"
like "$err" "^geoput: database: committing: Lost connection.*; reconnected and found nothing written$" \
    "and says nothing was written"
is "$(stored 4 6)" 0 "which is so"
is "$out" "" "nothing is printed"
is "$(emits)" "$((before + 1))" "nor announced"

# The COMMIT reaches the server, which then cannot be asked again.
start_proxy forward refuse || { ok 1 "the proxy starts"; done_testing; }
batch 7 9
before=$(emits)
run_cmd geoput --db "$purl" "$T/batch.ndjson"
is "$rc" 74 "the server unreachable after the loss: exits 74 (EX_IOERR)"
like "$err" "^geoput: database: committing: Lost connection.*; outcome unknown, the batch may or may not be stored: reconnecting: " \
    "and says the outcome is unknown, and why"
is "$(stored 7 9)" 3 "(the batch was in fact stored)"
is "$out" "" "nothing is printed"
is "$(emits)" "$((before + 1))" "nor announced"
start_proxy swallow refuse || { ok 1 "the proxy starts"; done_testing; }
batch 10 12
run_cmd geoput --no-notify --db "$purl" "$T/batch.ndjson"
is "$rc:$(stored 10 12)" "74:0" "the same when it was not stored: exits 74"
# Markers left by lost batches are removed by the next run after a day.
is "$(q 'SELECT COUNT(*) FROM geoput_batch')" 1 "the marker of the unknown stored batch is left"

# The marker table: created by --init-db and when missing, kept empty.
q "UPDATE geoput_batch SET created_at = NOW(6) - INTERVAL 2 DAY" >/dev/null
q "INSERT INTO geoput_batch (token) VALUES ('0123456789abcdef0123456789abcdef')" >/dev/null
run_cmd geoput --no-notify --id 20 --lon 1 --lat 1
is "$rc" 0 "a run with no loss"
is "$(q 'SELECT token FROM geoput_batch')" 0123456789abcdef0123456789abcdef \
    "removes its own marker and those older than a day, not the others'"
q "DROP TABLE geoput_batch" >/dev/null
run_cmd geoput --no-notify --id 21 --lon 1 --lat 1
is "$rc:$err" "0:" "a database without the marker table (an older --init-db) works"
is "$(q 'SELECT COUNT(*) FROM geoput_batch')" 0 "the table is created, and left empty"
q "DROP TABLE geoput_batch" >/dev/null
run_cmd geoput --init-db
is "$rc:$(q "SHOW TABLES LIKE 'geoput_batch'")" "0:geoput_batch" "--init-db creates it too"

# A user who may only write the locations: no marker, as before.
q "DROP TABLE geoput_batch" >/dev/null
qroot "CREATE USER 'writer'@'%' IDENTIFIED BY 'writer';
    GRANT SELECT, INSERT, UPDATE ON georoom.location TO 'writer'@'%'" >/dev/null
wurl=mysql://writer:writer@127.0.0.1:$port/georoom
run_cmd geoput --no-notify --db "$wurl" --id 22 --lon 1 --lat 1
is "$rc:$err" "0:geoput: no geofence looked at: this account may not read \`location_fence\` (grant it SELECT, or give --no-fences)" \
    "a user who may not create the marker table still writes, and is told fences were not looked at"
run_cmd geoput --no-notify --no-fences --db "$wurl" --id 22 --lon 2 --lat 1
is "$rc:$err" "0:" "with --no-fences, silently"
start_proxy forward pass || { ok 1 "the proxy starts"; done_testing; }
run_cmd geoput --no-notify --db "mysql://writer:writer@127.0.0.1:$(cat "$pdir/port")/georoom" \
    --id 23 --lon 1 --lat 1
is "$rc" 74 "but a lost COMMIT cannot be looked into then: exits 74"
like "$err" "outcome unknown, the batch may or may not be stored: it has no marker \(" \
    "and says why"
done_testing
