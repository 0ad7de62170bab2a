#!/usr/bin/env bash
# georoomd's HTTP long-polling transport: socket.io-client and
# python-socketio with their default options (polling, then the upgrade),
# polling-only clients, the protocol by hand (payloads, CORS, limits, the
# upgrade), a client that stops reading, and --transports websocket and
# polling alone.
. "$(dirname "$0")/lib.sh"

start_georoomd -o http://good.example --max-payload 2000 ||
    { ok 1 "georoomd starts"; done_testing; }
node_tap "$TOP/tests/node/hub-polling.js" clients
node_tap "$TOP/tests/node/hub-polling.js" http
log=$(cat "$GEOROOMD_LOG")
like "$log" 'close sid=[^ ]* peer=127\.0\.0\.1: a second GET while one waits' \
    "a second GET is logged with the reason the session closes"
like "$log" 'refuse a POST of sid=[^ ]* peer=127\.0\.0\.1: 2001 bytes, over 2000' \
    "and a POST over --max-payload"
stop_georoomd
is "$rc" 0 "georoomd stops cleanly with polling sessions open"

# python-socketio's WebSocket sends an Origin of its own: a hub without -o.
start_georoomd --max-backlog 4096 || { ok 1 "georoomd starts"; done_testing; }
node_tap "$TOP/tests/node/hub-polling.js" slow
need "python-socketio with requests (python3-socketio, python3-requests)" \
    /usr/bin/python3 -c 'import socketio, requests, websocket'
py_tap "$TOP/tests/prog/poll-client.py"
py_tap "$TOP/tests/prog/poll-client.py" polling
stop_georoomd
is "$rc" 0 "georoomd stops cleanly after dropping a polling client"

start_georoomd --transports websocket || { ok 1 "georoomd starts"; done_testing; }
node_tap "$TOP/tests/node/hub-polling.js" wsonly
n=$(grep -c 'info: refuse a polling request peer=127\.0\.0\.1: this hub serves WebSocket only (--transports websocket); connect with transports: \["websocket"\] (socket.io-client)' "$GEOROOMD_LOG")
is "$n" 1 "a refused polling request is logged at info once per peer, with the fix"
stop_georoomd
is "$rc" 0 "georoomd --transports websocket stops cleanly"

start_georoomd --max-per-ip 2 --max-connections 3 ||
    { ok 1 "georoomd starts"; done_testing; }
node_tap "$TOP/tests/node/hub-polling.js" limits
stop_georoomd

start_georoomd --transports polling || { ok 1 "georoomd starts"; done_testing; }
node_tap "$TOP/tests/node/hub-polling.js" pollonly
stop_georoomd
is "$rc" 0 "georoomd --transports polling stops cleanly"
done_testing
