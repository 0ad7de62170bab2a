#!/usr/bin/env bash
# The conformance server behind scripts/sio-conformance-server answers as
# the official Socket.IO protocol suite expects; the suite itself is run by
# hand (see README), this checks its core in every CI run.
. "$(dirname "$0")/lib.sh"

server=${GEOROOM_CONFORMANCE:-$TOP/build/rel/sio-conformance}
need "the conformance server (make check builds it)" test -x "$server"
"$server" -p 0 2>"$T/conformance.log" &
track $!
wait_for 10 grep -q 'listening on .* port [0-9]' "$T/conformance.log"
ok $? "the conformance server starts"
GEOROOMD_PORT=$(sed -n 's/.*listening on .* port \([0-9]*\) .*/\1/p' \
    "$T/conformance.log")
export GEOROOMD_PORT
node_tap "$TOP/tests/node/conformance.js"
done_testing
