#!/usr/bin/env bash
# georoom-cli reconnects: the hub is stopped and started again on the same
# port; membership is restored, what was sent meanwhile is delivered, the
# next message arrives.  A hub that stops answering is noticed by its
# missing pings.  --no-reconnect and --reconnect-attempts give up.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/cli.sh"

port=$(free_port)
hub_args=(-p "$port" --ping-interval 200 --ping-timeout 300)
start_georoomd "${hub_args[@]}" || { ok 1 "georoomd starts"; done_testing; }
export GEOROOM_URL=ws://127.0.0.1:$port
fast=(--reconnect-delay 50 --reconnect-delay-max 200 --connect-timeout 1000)

cli_bg member join 1 2 -v --user 5 "${fast[@]}"
wait_for 10 grep -q "joined room 2" "$T/member.err"
ok $? "the member joined rooms 1 and 2"
# A line-mode sender on a pipe that stays open across the restart.
mkfifo "$T/in"
CLI_IN=$T/in cli_bg sender chat 2 -l --ack -d --jq .message "${fast[@]}"
exec 3>"$T/in"
echo '"before"' >&3
wait_for 10 has_lines "$T/sender.out" 1
is "$(cat "$T/sender.out")" '"before"' "the sender's first line is acknowledged"
wait_for 10 has_lines "$T/member.out" 1
like "$(cat "$T/member.out")" '"message":"before"' "and reaches the member"

# Stop the hub: both notice and wait to reconnect.
stop_georoomd
wait_for 10 grep -q "connection lost" "$T/member.err"
ok $? "the member notes the lost connection on stderr"
wait_for 10 grep -q "connection lost" "$T/sender.err"
ok $? "so does the sender"
echo '"during"' >&3
wait_for 10 grep -q "reconnection attempt 2 failed" "$T/member.err"
ok $? "each failed attempt is noted"

# Start it again on the same port (not holding the sender's pipe open).
start_georoomd "${hub_args[@]}" 3>&- || ok 1 "georoomd starts again"
wait_for 10 has_matches "$T/member.err" 'joined room 2' 2
ok $? "the member rejoins its rooms"
like "$(cat "$T/member.err")" 'info: reconnected after [0-9]+ attempts' \
    "and notes the reconnection"
wait_for 10 has_lines "$T/sender.out" 2
is "$(sed -n 2p "$T/sender.out")" '"during"' \
    "the line sent while disconnected was held and delivered afterwards"
run_cmd georoom-cli who 2
like "$out" '"userIds":\[5\],"rooms":\["1","2"\]|"userIds":\[5\],"rooms":\["2","1"\]' \
    "the hub has the member in both rooms again"
echo '"after"' >&3
wait_for 10 grep -q '"message":"after"' "$T/member.out"
ok $? "the next message arrives"

# End of input: the sender leaves once everything is acknowledged.
exec 3>&-
cli_wait sender 10
is "$rc" 0 "the sender exits 0 at the end of its input"

# A hub that stops answering: pings stop, the client notices.
kill -STOP "$GEOROOMD_PID"
at_exit "kill -CONT $GEOROOMD_PID"
wait_for 10 grep -q "no ping from the server within 500 ms" "$T/member.err"
ok $? "a silent hub is noticed after pingInterval + pingTimeout"
kill -CONT "$GEOROOMD_PID"
wait_for 15 has_matches "$T/member.err" 'joined room 2' 3
ok $? "and the member comes back when it answers again"
georoom-cli chat 1 '"after the pause"'
wait_for 10 grep -q '"message":"after the pause"' "$T/member.out"
ok $? "messages flow again"

# Giving up.
cli_bg once tail -v --no-reconnect
wait_for 10 grep -q "connected to" "$T/once.err"
cli_bg twice tail -v --reconnect-attempts 2 "${fast[@]}"
wait_for 10 grep -q "connected to" "$T/twice.err"
stop_georoomd
cli_wait once 10
is "$rc" 69 "--no-reconnect exits 69 when the connection is lost"
like "$(cat "$T/once.err")" 'connection lost' "and says so"
cli_wait twice 20
is "$rc" 69 "--reconnect-attempts 2 exits 69 after two failed attempts"
like "$(cat "$T/twice.err")" 'gave up after 2 reconnection attempts' "and says so"
cli_stop member
is "$rc" 0 "the member, stopped, exits 0"

# The same against the stock socket.io server.
need node have node
sport=$(free_port)
start_sio_server a --port "$sport" --ping-interval 200 --ping-timeout 300 ||
    { ok 1 "the socket.io server starts"; done_testing; }
cli_bg smember -u "ws://127.0.0.1:$sport" join 3 -v "${fast[@]}"
wait_for 10 grep -q "joined room 3" "$T/smember.err"
kill "$SIO_PID"
wait_for 10 grep -q "connection lost" "$T/smember.err"
ok $? "socket.io server gone: the member notices"
start_sio_server b --port "$sport" --ping-interval 200 --ping-timeout 300 ||
    ok 1 "the socket.io server starts again"
wait_for 10 grep -q "^join / .* 3$" "$SIO_LOG"
ok $? "the member rejoins room 3 on the new server"
georoom-cli -u "ws://127.0.0.1:$sport" chat 3 '"again"'
wait_for 10 grep -q '"message":"again"' "$T/smember.out"
ok $? "and gets the next message"
cli_stop smember
done_testing
