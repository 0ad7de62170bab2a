#!/usr/bin/env bash
# A room of 100 members, some of which stop reading while large messages
# go to it: every member gets every message whole and in order, with the
# writes shared between send threads (--send-threads 2) and with the
# loop's thread alone (--send-threads 0).
. "$(dirname "$0")/lib.sh"

for threads in 2 0; do
	start_georoomd --send-threads "$threads" --max-backlog 67108864 ||
		{ ok 1 "georoomd starts"; done_testing; }
	node_tap "$TOP/tests/node/hub-fanout.js"
	stop_georoomd
	is "$rc" 0 "georoomd --send-threads $threads exits 0 on SIGTERM"
done
run_cmd georoomd --send-threads 17
is "$rc" 64 "--send-threads above 16 exits 64"
done_testing
