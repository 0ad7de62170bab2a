#!/usr/bin/env bash
# georoom-cli against a stock Node socket.io 4.8 server speaking the
# original gateway's contract (tests/node/sio-server.js): join and tail,
# acks, auth, headers, query, several arguments, binary attachments,
# namespaces refused, --path, line mode into socket.io-client, a server
# that disconnects the client.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/cli.sh"

need node have node
start_sio_server main || { ok 1 "the socket.io server starts"; done_testing; }
export GEOROOM_URL=ws://127.0.0.1:$SIO_PORT

# Join and tail.
cli_bg tail join 1 -v --user 3
wait_for 10 grep -q "joined room 1" "$T/tail.err"
ok $? "join_room is acknowledged by socket.io"
grep -q "^join / .* 1$" "$SIO_LOG"
ok $? "the server saw the join"
run_cmd georoom-cli chat 1 '{"lon":13.4,"lat":52.5}' --user 4 --ack
is "$out" '{"ack":"chat","data":{"userId":4,"message":{"lon":13.4,"lat":52.5},"roomName":"1"},"args":[{"userId":4,"message":{"lon":13.4,"lat":52.5},"roomName":"1"}],"ns":"/"}' \
    "chat --ack prints socket.io's acknowledgement"
wait_for 5 has_lines "$T/tail.out" 1
is "$(cat "$T/tail.out")" '{"event":"chat","data":{"userId":4,"message":{"lon":13.4,"lat":52.5},"roomName":"1"},"args":[{"userId":4,"message":{"lon":13.4,"lat":52.5},"roomName":"1"}],"ns":"/"}' \
    "the member prints the chat socket.io relayed"
run_cmd georoom-cli chat 1 '"unheard"' -C 1 -W 0.5
is "$rc" 75 "the sender is not in the room: nothing comes back (75 after -W)"

# Handshake: auth payload, extra header, URL query.
run_cmd georoom-cli -u "$GEOROOM_URL/?k=v" emit whoami --ack -d \
    --auth '{"token":"t","n":1}' -H 'Authorization: Bearer abc'
like "$out" '"auth":\{"token":"t","n":1\},"authorization":"Bearer abc","query":\{"k":"v"\},"path":"/socket.io/"' \
    "--auth, -H and the URL's query reach socket.io"
run_cmd georoom-cli emit whoami --ack --token ey.J0.x --auth '{"n":1}' --jq .data.auth
is "$out" '{"token":"ey.J0.x","n":1}' "--token is added to --auth's object"
run_cmd env GEOROOM_TOKEN=s3cret georoom-cli -n /secure emit whoami --ack --jq .ns -r
is "$out" "/secure" "GEOROOM_TOKEN is sent as {\"token\": ...}"
run_cmd georoom-cli emit whoami --ack --token t --auth '{"token":"u"}'
is "$rc" 64 "--token with a \"token\" in --auth is refused (64)"
like "$err" 'give one of them' "and says so"

# Several arguments, and binary attachments.
run_cmd georoom-cli emit echo 1 '"two"' '{"three":[3]}' -C 1
is "$out" '{"event":"echo","data":1,"args":[1,"two",{"three":[3]}],"ns":"/"}' \
    "emit sends several arguments; -C waits for the event they cause"
run_cmd georoom-cli emit echo '"a"' -R --ack -d -e none
is "$out" '"\"a\""' "-R sends words as strings"
run_cmd georoom-cli emit binary -C 1
is "$out" '{"event":"bin","data":{"base64":"aGk="},"args":[{"base64":"aGk="},{"inner":{"base64":"AAEC"}}],"ns":"/"}' \
    "binary attachments print as base64 where they stand"

# Namespaces: allowed with auth, refused without, unknown.
run_cmd georoom-cli -u "$GEOROOM_URL/secure" emit whoami --ack --auth '{"token":"s3cret"}' \
    --jq .ns -r
is "$out" "/secure" "a namespace in the URL is the namespace joined"
run_cmd georoom-cli -n /secure emit whoami --ack
is "$rc" 77 "a namespace refused by middleware exits 77 (EX_NOPERM)"
like "$err" 'refused namespace /secure: not authorized' "with the server's reason"
run_cmd georoom-cli -n /nope tail
is "$rc" 77 "an unknown namespace exits 77"
like "$err" 'Invalid namespace' "with socket.io's words"

# A server behind another handshake path, as through a proxy's /chat.
start_sio_server chat --path /chat || ok 1 "a second server starts"
run_cmd georoom-cli -u "ws://127.0.0.1:$SIO_PORT" --path /chat emit whoami --ack --jq .data.path -r
is "$out" "/chat/" "--path /chat connects where the server listens"

# Line mode, received by the real socket.io-client.
NODE_PATH=$TOP/tests/node/node_modules node -e '
const { io } = require("socket.io-client");
const s = io(process.argv[1], { transports: ["websocket"] });
let n = 0;
s.on("connect", () => s.emit("join_room", { locationId: 11 }, () => console.log("ready")));
s.on("chat", (d) => { console.log(JSON.stringify(d.message)); if (++n === 3) process.exit(0); });
setTimeout(() => process.exit(1), 20000);
' "$GEOROOM_URL" >"$T/receiver.out" 2>&1 &
receiver=$!
track $receiver
wait_for 10 grep -q ready "$T/receiver.out"
printf '{"lon":1}\n"two"\n3\n' | georoom-cli chat 11 -l
is "$?" 0 "line mode sends three lines"
wait $receiver
is "$(sed 1d "$T/receiver.out")" '{"lon":1}
"two"
3' "socket.io-client received each line as one chat message"

# The server disconnects the client: no reconnection, status 69.
cli_bg kicked tail -v
wait_for 10 grep -q "as socket " "$T/kicked.err"
sid=$(sed -n 's/.* as socket \([A-Za-z0-9_-]*\).*/\1/p' "$T/kicked.err")
georoom-cli emit kick "\"$sid\""
cli_wait kicked 10
is "$rc" 69 "a client the server disconnected exits 69"
like "$(cat "$T/kicked.err")" "server disconnected this client" "and says so"

cli_stop tail
is "$rc" 0 "SIGTERM ends the tail with 0"
done_testing
