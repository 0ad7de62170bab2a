#!/usr/bin/env bash
# georoom-cli's errors and their exit statuses: the command line, bad
# JSON, a refused connection, servers that are not Socket.IO, a refused
# namespace, a missing control socket.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/cli.sh"

# status_is WANT REGEX NAME: checks $rc and that $err matches.
status_is() {
	is "$rc" "$1" "$3 exits $1"
	like "$err" "$2" "$3: says why"
}

# The command line: 64.
run_cmd georoom-cli
status_is 64 "no command" "no command"
run_cmd georoom-cli dance
status_is 64 "unknown command 'dance'" "an unknown command"
run_cmd georoom-cli join
status_is 64 "join takes" "join without a room"
run_cmd georoom-cli chat 1
status_is 64 "chat needs a message" "chat without a message or -l"
run_cmd georoom-cli join 1 -l
status_is 64 "-l sends lines with emit or chat" "-l with join"
run_cmd georoom-cli emit connect
status_is 64 "reserves" "emitting a reserved event name"
run_cmd georoom-cli -C 0 tail
status_is 64 "--count '0' is outside" "-C 0"
run_cmd georoom-cli -W soon tail
status_is 64 "--timeout 'soon' is not a number" "-W soon"
run_cmd georoom-cli --jq '.[' tail
status_is 64 "--jq: jq: error" "a --jq filter that does not compile"
run_cmd georoom-cli -H 'NoColon' tail
status_is 64 "not 'Name: value'" "a header without a colon"
run_cmd georoom-cli -u ws://h/a -n /b tail
status_is 64 "choose one" "two different namespaces"
for url in ftp://hub 'ws://' 'ws://hub:0' 'ws://hub:99999' 'ws://u:p@hub' \
    'localhost:3030'; do
	run_cmd georoom-cli -u "$url" tail
	status_is 64 "bad URL" "URL '$url'"
done

# Bad JSON arguments: 65.
run_cmd georoom-cli emit e hello
status_is 65 "argument 1 is not JSON: 'hello'" "an argument that is not JSON"
run_cmd georoom-cli chat 1 '{"a":}'
status_is 65 "the message is not JSON" "a message that is not JSON"
run_cmd georoom-cli emit e nan
status_is 65 "not JSON" "JSON that only jq takes (nan)"
run_cmd georoom-cli --auth '[1]' tail
status_is 65 "must be a JSON object" "--auth that is not an object"

# Standard input closed in line mode: 66.
georoom-cli -u ws://127.0.0.1:1 chat 1 -l <&- 2>"$T/closed.err"
rc=$?
err=$(cat "$T/closed.err")
status_is 66 "standard input" "line mode with standard input closed"

# Nothing listening: 69.
port=$(free_port)
run_cmd georoom-cli -u "ws://127.0.0.1:$port" tail
status_is 69 "cannot connect to 127.0.0.1 port $port" "a refused connection"
run_cmd georoom-cli -c "$T/none.sock" who 1
status_is 69 "cannot connect to the control socket" "who without a hub"

# Servers that are not Socket.IO: 76 (or 77 for 401/403, 69 for 5xx).
need node have node
not_sio() {
	local log=$T/not-sio-$1-${2:-x}.log
	NODE_PATH=$TOP/tests/node/node_modules node "$TOP/tests/node/not-sio.js" \
	    "$@" >"$log" 2>&1 &
	track $!
	wait_for 20 grep -q '^port ' "$log" || return 1
	NOT_SIO_PORT=$(sed -n 's/^port //p' "$log")
}
not_sio http 404
run_cmd georoom-cli -u "ws://127.0.0.1:$NOT_SIO_PORT" tail
status_is 76 "HTTP 404" "a web server without Socket.IO"
not_sio http 403
run_cmd georoom-cli -u "ws://127.0.0.1:$NOT_SIO_PORT" tail
status_is 77 "HTTP 403" "a handshake answered 403"
not_sio http 502
run_cmd georoom-cli -u "ws://127.0.0.1:$NOT_SIO_PORT" tail
status_is 69 "HTTP 502" "a proxy answering 502"
not_sio ws-text
run_cmd georoom-cli -u "ws://127.0.0.1:$NOT_SIO_PORT" tail
status_is 76 "not Engine.IO|not an Engine.IO open packet" \
    "a WebSocket server that is not Engine.IO"
not_sio ws-silent
run_cmd georoom-cli -u "ws://127.0.0.1:$NOT_SIO_PORT" --connect-timeout 300 tail
status_is 76 "no Engine.IO open packet within 300 ms" \
    "a WebSocket server that says nothing"
not_sio hangup
run_cmd georoom-cli -u "ws://127.0.0.1:$NOT_SIO_PORT" tail
status_is 76 "did not complete the WebSocket handshake" \
    "a server that closes before it answers (it used to crash the client)"

# georoomd: a wrong path, a refused namespace.
start_georoomd || { ok 1 "georoomd starts"; done_testing; }
run_cmd georoom-cli -u "ws://127.0.0.1:$GEOROOMD_PORT" --path /chat tail
status_is 76 "HTTP 404" "georoomd at another path"
run_cmd georoom-cli -u "ws://127.0.0.1:$GEOROOMD_PORT" -n /admin tail
status_is 77 "refused namespace /admin: Invalid namespace" \
    "a namespace georoomd does not serve"
stop_georoomd
done_testing
