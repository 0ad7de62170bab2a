#!/usr/bin/env bash
# georoom-cli against georoomd: join and tail, chat and emit with acks,
# -C, -W, -e, --jq, -d, -r, line mode, tail, who and rooms, a closed pipe.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/cli.sh"

start_georoomd || { ok 1 "georoomd starts"; done_testing; }
export GEOROOM_URL=ws://127.0.0.1:$GEOROOMD_PORT

# Control-socket emits, as a producer would send them.
ctl() {
	printf '%s\n' "$@" | socat -t 5 - "UNIX-CONNECT:$GEOROOM_SOCKET" >/dev/null
}

# Join and tail, options after the command word.
cli_bg tail1 join 1 -v --user 7
wait_for 10 grep -q "joined room 1" "$T/tail1.err"
ok $? "join notes 'joined room 1' (-v) once the hub acknowledged"
run_cmd georoom-cli chat 1 '{"lon":13.4,"lat":52.5,"id":12345678901234567890}' \
    --ack --user 8
is "$rc" 0 "chat --ack exits 0"
is "$out" '{"ack":"chat","data":{"userId":8,"message":{"lon":13.4,"lat":52.5,"id":12345678901234567890},"roomName":"1"},"args":[{"userId":8,"message":{"lon":13.4,"lat":52.5,"id":12345678901234567890},"roomName":"1"}],"ns":"/"}' \
    "--ack prints the acknowledgement as one line"
wait_for 5 has_lines "$T/tail1.out" 1
is "$(cat "$T/tail1.out")" '{"event":"chat","data":{"userId":8,"message":{"lon":13.4,"lat":52.5,"id":12345678901234567890},"roomName":"1"},"args":[{"userId":8,"message":{"lon":13.4,"lat":52.5,"id":12345678901234567890},"roomName":"1"}],"ns":"/"}' \
    "a member prints the chat as one NDJSON line, every digit kept"

# who and rooms ask the control socket.
run_cmd georoom-cli who 1
like "$out" '^\{"id":"[A-Za-z0-9_-]{20}","userIds":\[7\],"rooms":\["1"\]\}$' \
    "who lists the room's socket with its userIds"
run_cmd georoom-cli rooms --jq '.name + "=" + (.members|tostring)' -r
is "$out" "1=1" "rooms lists rooms; --jq and -r shape them"
run_cmd georoom-cli stats --jq '[.sockets, .control_requests > 0]'
is "$out" "[1,true]" "stats prints the hub's counters, one object for --jq"
run_cmd georoom-cli stats
like "$out" '^\{"connections":1,.*"control_requests":[0-9]+.*\}$' \
    "stats prints them as one line, without the reply's ok"
run_cmd georoom-cli -n /nowhere rooms
is "$rc" 78 "rooms in an unknown namespace exits 78"
like "$err" 'unknown namespace' "and says the hub refused it"

# -C: the option before the command word; exits after N events.
cli_bg count -C 2 join 2 -v
wait_for 10 grep -q "joined room 2" "$T/count.err"
for m in one two three; do
	georoom-cli chat 2 "\"$m\""
done
cli_wait count 10
is "$rc" 0 "-C 2 exits 0 after two events"
is "$(lines "$T/count.out")" 2 \
    "and printed exactly two lines"

# -W: nothing arrived in time.
run_cmd georoom-cli join 3 -W 0.3
is "$rc" 75 "-W with nothing arriving exits 75 (EX_TEMPFAIL)"
is "$out" "" "and prints nothing"
cli_bg w1 join 4 -W 30 -C 1 -v
wait_for 10 grep -q "joined room 4" "$T/w1.err"
georoom-cli chat 4 '"in time"'
cli_wait w1 10
is "$rc" 0 "-W and -C: the count reached in time exits 0"
cli_bg w2 join 5 -W 1 -v
wait_for 10 grep -q "joined room 5" "$T/w2.err"
georoom-cli chat 5 '"one"'
cli_wait w2 10
is "$rc" 0 "-W without -C exits 0 when something arrived"
cli_bg w3 join 5 -W 1 -C 2 -v
wait_for 10 grep -q "joined room 5" "$T/w3.err"
georoom-cli chat 5 '"only one"'
cli_wait w3 10
is "$rc" 75 "-W exits 75 when fewer than -C events arrived"

# -e keeps named events; control emits of other names are dropped.
cli_bg ev join 6 -e other -e fourth -C 2 -v
wait_for 10 grep -q "joined room 6" "$T/ev.err"
ctl '{"op":"emit","room":"6","event":"chat","data":1}' \
    '{"op":"emit","room":"6","event":"other","args":[2,"x"]}' \
    '{"op":"emit","room":"6","event":"third","data":3}' \
    '{"op":"emit","room":"6","event":"other"}'
cli_wait ev 10
is "$rc" 0 "-e: exits after two matching events"
is "$(cat "$T/ev.out")" '{"event":"other","data":2,"args":[2,"x"],"ns":"/"}
{"event":"other","data":null,"args":[],"ns":"/"}' \
    "-e other prints only 'other'; several arguments, and none"

# --jq, one line per output; -d; -r; a filter that drops events.
cli_bg jq join 7 -v -C 2 --jq 'select(.data.message != "skip") | .data.message, .data.roomName' -r
wait_for 10 grep -q "joined room 7" "$T/jq.err"
for m in '"skip"' '"x y"' '{"n":1}'; do
	georoom-cli chat 7 "$m"
done
cli_wait jq 10
is "$rc" 0 "--jq: -C counts events that printed something"
is "$(cat "$T/jq.out")" 'x y
7
{"n":1}
7' "--jq prints each output on its own line; -r prints strings raw"
cli_bg data join 7 -v -d -C 1
wait_for 10 grep -q "joined room 7" "$T/data.err"
georoom-cli chat 7 '[1, 2.50]' --user 3
cli_wait data 10
is "$(cat "$T/data.out")" '{"userId":3,"message":[1, 2.50],"roomName":"7"}' \
    "-d prints only the data, as it was sent"
run_cmd georoom-cli emit join_room '{"locationId":9}' --ack
is "$out" '{"ack":"join_room","data":"9","args":["9"],"ns":"/"}' \
    "emit --ack prints the ack line"
run_cmd georoom-cli emit join_room '{"locationId":"9x"}' --ack -d -r
is "$out" "9x" "-d -r prints an ack's data raw"

# Line mode: each line one chat message; bad lines reported, others sent.
cli_bg lm join 8 -v -C 5 -d --jq .message
wait_for 10 grep -q "joined room 8" "$T/lm.err"
printf '1\n"two"\n\n  \n{"x":3}\nnot json\n[4]\n' |
    georoom-cli chat 8 -l --ack -d --jq .message >"$T/lm-send.out" 2>"$T/lm-send.err"
is "$?" 65 "line mode exits 65 when a line is not JSON"
like "$(cat "$T/lm-send.err")" 'line 6: not JSON' "and names the line"
is "$(cat "$T/lm-send.out")" '1
"two"
{"x":3}
[4]' "each JSON line is sent as one message and acknowledged"
printf 'plain text\n\n"quoted"\n' | georoom-cli chat 8 -l -R
is "$?" 0 "-l -R sends lines as strings"
cli_wait lm 10
is "$(cat "$T/lm.out")" '1
"two"
{"x":3}
[4]
"plain text"' "a member got the lines in order (blank lines skipped)"

# Standard input from a regular file or /dev/null, which epoll cannot watch
# (the libuv loop then reads it from a timer).
printf '11\n12\n13\n' >"$T/lines.ndjson"
georoom-cli chat 8 -l --ack -d <"$T/lines.ndjson" >"$T/lf.out" 2>"$T/lf.err"
is "$?:$(wc -l <"$T/lf.out")" "0:3" \
    "-l reads a regular file as standard input, every line acknowledged"
georoom-cli chat 8 -l </dev/null >"$T/ln.out" 2>"$T/ln.err"
is "$?:$(cat "$T/ln.out" "$T/ln.err")" "0:" \
    "-l with /dev/null as standard input sends nothing and exits 0"

# tail: no join; events sent to the socket itself arrive.
cli_bg tail2 tail -v -C 1
wait_for 10 grep -q "as socket " "$T/tail2.err"
sid=$(sed -n 's/.* as socket \([A-Za-z0-9_-]*\).*/\1/p' "$T/tail2.err")
ctl "{\"op\":\"emit\",\"room\":\"1\",\"event\":\"chat\",\"data\":\"not for tail\"}" \
    "{\"op\":\"emit\",\"socket\":\"$sid\",\"event\":\"private\",\"data\":{\"m\":1}}"
cli_wait tail2 10
is "$(cat "$T/tail2.out")" '{"event":"private","data":{"m":1},"args":[{"m":1}],"ns":"/"}' \
    "tail prints what is sent to its socket, and joins no room"

# A closed pipe ends the program quietly, with status 0.
mkfifo "$T/pipe"
CLI_OUT=$T/pipe cli_bg pipe join 10 -v
head -n 1 <"$T/pipe" >"$T/pipe.out" &
track $!
wait_for 10 grep -q "joined room 10" "$T/pipe.err"
for i in 1 2 3 4 5 6 7 8 9 10; do
	georoom-cli chat 10 "$i"
	[ -s "$T/pipe.rc" ] && break
done
cli_wait pipe 10
is "$rc" 0 "a reader that went away ends georoom-cli with status 0"
is "$(cat "$T/pipe.out")" '{"event":"chat","data":{"message":1,"roomName":"10"},"args":[{"message":1,"roomName":"10"}],"ns":"/"}' \
    "after the reader took its line"
is "$(grep -v 'joined room\|connected to' "$T/pipe.err")" "" "without a word on stderr"

cli_stop tail1
is "$rc" 0 "SIGTERM ends a tail with status 0"
stop_georoomd
done_testing
