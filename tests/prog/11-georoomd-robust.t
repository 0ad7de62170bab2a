#!/usr/bin/env bash
# georoomd under bad input and stalled readers, its control socket, its
# HTTP refusals, its socket file and its signals.
. "$(dirname "$0")/lib.sh"

start_georoomd --ping-interval 100 --ping-timeout 400 \
    --connect-timeout 300 --max-payload 4096 --max-backlog 65536 ||
    { ok 1 "georoomd starts"; done_testing; }
base=http://127.0.0.1:$GEOROOMD_PORT

node_tap "$TOP/tests/node/hub-robust.js"

# HTTP: bad handshakes are refused at once.
run_cmd curl -s -m 5 -w ' %{http_code}' "$base/socket.io/?EIO=4&transport=nope"
is "$out" '{"code":0,"message":"Transport unknown"} 400' \
    "an unknown transport gets 400 Transport unknown at once"
run_cmd curl -s -m 5 -w ' %{http_code}' -H 'Connection: Upgrade' \
    -H 'Upgrade: websocket' -H 'Sec-WebSocket-Version: 13' \
    -H 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==' \
    "$base/socket.io/?EIO=3&transport=websocket"
is "$out" '{"code":5,"message":"Unsupported protocol version"} 400' \
    "a WebSocket handshake with EIO=3 gets 400 Unsupported protocol version"
run_cmd curl -s -m 5 -w ' %{http_code}' "$base/elsewhere"
like "$out" ' 404$' "other paths get 404"

# The control socket: mode 0600, socat speaks it.
is "$(stat -c %a "$GEOROOM_SOCKET")" 600 "the control socket is mode 0600"
run_cmd sh -c "printf '%s\n' '{\"op\":\"stats\"}' | socat -t 5 - UNIX-CONNECT:$GEOROOM_SOCKET"
like "$out" '^\{"ok":true,"connections":' "socat - UNIX-CONNECT speaks the control protocol"
[ -n "$err" ] && diag "socat: $err"

# A producer that writes 50000 requests before reading gets every reply.
run_cmd perl "$TOP/tests/prog/ctl-flood.pl" "$GEOROOM_SOCKET" 50000
is "$out" 50000 "a producer that pipelines 50000 requests gets 50000 replies"

# A second hub may not take a live socket.
run_cmd georoomd -p 0 -c "$GEOROOM_SOCKET"
is "$rc" 69 "a second hub on a live control socket exits 69"
like "$err" "another hub is listening on '$GEOROOM_SOCKET'" "and says why"

# SIGTERM: clients get a close frame, the socket file goes, exit 0.
NODE_PATH=$TOP/tests/node node -e '
const t = require("lib");
t.rawSocket().then(async (ws) => {
  await ws.nextMessage();
  console.log("ready");
  const code = await t.next(ws, "close", 10000);
  console.log("close " + code);
}).catch((e) => console.log("error " + e.message));
' >"$T/closer.out" 2>&1 &
closer=$!
track $closer
wait_for 10 grep -q ready "$T/closer.out"
stop_georoomd
is "$rc" 0 "georoomd exits 0 on SIGTERM"
wait $closer
is "$(tail -1 "$T/closer.out")" "close 1001" "clients get a close frame with 1001 (going away)"
[ ! -e "$GEOROOM_SOCKET" ]
ok $? "the control socket file is removed on exit"

# A stale socket file (no hub behind it) is replaced.
perl -MIO::Socket::UNIX -e 'IO::Socket::UNIX->new(Type => SOCK_STREAM(),
    Local => $ARGV[0], Listen => 1) or die' "$GEOROOM_SOCKET"
[ -S "$GEOROOM_SOCKET" ]
ok $? "a stale socket file is left behind"
start_georoomd
ok $? "georoomd replaces a stale control socket"
stop_georoomd

# A regular file in the way is not removed.
echo data >"$T/notasocket"
run_cmd georoomd -p 0 -c "$T/notasocket"
is "$rc" 78 "a control path that is not a socket exits 78"
is "$(cat "$T/notasocket")" data "and the file is left alone"
done_testing
