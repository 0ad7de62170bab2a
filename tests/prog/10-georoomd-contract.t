#!/usr/bin/env bash
# georoomd's event contract with the real socket.io-client: join, chat to
# members only, acks, namespaces, broadcast, private, leave, cleanup.
. "$(dirname "$0")/lib.sh"

start_georoomd -n /other || { ok 1 "georoomd starts"; done_testing; }
node_tap "$TOP/tests/node/hub-contract.js"
grep -q 'join socket=.* ns=/ room=1' "$GEOROOMD_LOG"
ok $? "joins are logged"
stop_georoomd
is "$rc" 0 "georoomd exits 0 on SIGTERM"
done_testing
