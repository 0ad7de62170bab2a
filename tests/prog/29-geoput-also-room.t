#!/usr/bin/env bash
# geoput --also-room: each update goes to its location's room and to the
# group rooms the templates make of its properties ("fleet:{fleet}", a
# catch-all "all"); a Feature without the property goes to no such room.
# georoom-cli in the group rooms is the dashboard.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/geoput.sh"
. "$(dirname "$0")/cli.sh"

setup_db
start_georoomd || { ok 1 "georoomd starts"; done_testing; }
export GEOROOM_URL=ws://127.0.0.1:$GEOROOMD_PORT

cli_bg fleet -v join fleet:7 -e chat -d --jq '.message.id' -r
cli_bg all -v join all -e chat -d --jq '.message.id' -r
cli_bg own -v join B-12 -e chat -d --jq '.message.id' -r
for n in fleet all own; do
	wait_for 10 grep -q "joined room" "$T/$n.err"
	ok $? "the $n listener joined its room"
done

cat >"$T/in.ndjson" <<'EOF2'
{"id":"B-12","lon":13.40,"lat":52.52,"properties":{"fleet":7}}
{"id":"B-13","lon":13.41,"lat":52.53,"properties":{"fleet":"7"}}
{"id":"C-1","lon":13.42,"lat":52.54,"properties":{"fleet":8}}
{"id":"D-1","lon":13.43,"lat":52.55}
EOF2
run_cmd geoput -q --also-room 'fleet:{fleet}' --also-room all "$T/in.ndjson"
is "$rc:$err" "0:" "geoput stores and announces the batch"
wait_for 10 has_lines "$T/all.out" 4
is "$(sort "$T/all.out" | tr '\n' ' ')" "B-12 B-13 C-1 D-1 " \
    "the catch-all room gets every update"
wait_for 10 has_lines "$T/fleet.out" 2
is "$(sort "$T/fleet.out" | tr '\n' ' ')" "B-12 B-13 " \
    "fleet:7 gets the updates of fleet 7, number or string"
wait_for 10 has_lines "$T/own.out" 1
is "$(cat "$T/own.out")" "B-12" "a location's own room gets its update alone"
# A second batch: nothing is announced twice (the barrier is the last).
printf '{"id":"C-1","lon":13.5,"lat":52.6,"properties":{"fleet":7}}\n' |
    geoput -q --also-room 'fleet:{fleet}' --also-room all -
wait_for 10 has_lines "$T/fleet.out" 3
is "$(tail -1 "$T/fleet.out")" "C-1" "a location that moved into fleet 7 is announced there"
is "$(grep -c . "$T/all.out")" 5 "and the catch-all saw every update once"
for n in fleet all own; do cli_stop "$n"; done

run_cmd geoput --also-room '' --id 1 --lon 1 --lat 1
is "$rc" 64 "an empty --also-room exits 64"
done_testing
