#!/usr/bin/env bash
# georoomd's event contract with the real socket.io-client: join, chat to
# members only, acks, namespaces, broadcast, private, leave, cleanup.
. "$(dirname "$0")/lib.sh"

# -v shows each line's level, and what the default level would leave out.
start_georoomd -v -n /other || { ok 1 "georoomd starts"; done_testing; }
node_tap "$TOP/tests/node/hub-contract.js"
stop_georoomd
is "$rc" 0 "georoomd exits 0 on SIGTERM"
grep -q 'debug: join socket=.* ns=/ room=1' "$GEOROOMD_LOG"
ok $? "joins are logged, at debug level"
grep -q 'debug: join socket=.* ns=/ room=a\\x00b$' "$GEOROOMD_LOG"
ok $? "a NUL in a room name shows in the log as \\x00"
grep -q 'debug: leave socket=.* ns=/ room=x\\x0ageoroomd: error: forged$' \
    "$GEOROOMD_LOG" && ! grep -q '^georoomd: error: forged' "$GEOROOMD_LOG"
ok $? "a newline in a room name cannot forge a log line"
connects=$(grep -c 'info: connect sid=.* socket=.* ns=/.* peer=' \
    "$GEOROOMD_LOG")
disconnects=$(grep -c 'info: disconnect sid=.* socket=.* ns=/.*: ' \
    "$GEOROOMD_LOG")
ok $((connects == 0)) "connects are logged at info level, with the peer"
is "$disconnects" "$connects" "so is every disconnect"
# Anything else at info level would be per client (or an incident, and
# there is none here) but for where it listens and its shutdown.
others=$(grep ': info: ' "$GEOROOMD_LOG" | grep -cv \
    -e ': info: \(dis\)\?connect sid=' -e ': info: listening on ' \
    -e ': info: shutting down: ' -e ': info: stopped$')
is "$others" 0 "a client writes one line at info level as it connects and one as it disconnects"
done_testing
