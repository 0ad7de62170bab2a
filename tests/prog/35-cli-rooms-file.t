#!/usr/bin/env bash
# georoom-cli join -f: any number of rooms, from a file or standard input
# as well as from the command line; bad files refused with their reason.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/cli.sh"

start_georoomd || { ok 1 "georoomd starts"; done_testing; }
export GEOROOM_URL=ws://127.0.0.1:$GEOROOMD_PORT

# 500 rooms, blank lines and a CRLF line among them.
for i in $(seq 1 500); do printf 'fleet:%s\n' "$i"; done >"$T/rooms"
printf '\n\r\nB-12 \r\n' >>"$T/rooms"
cli_bg many -v -f "$T/rooms" join extra
wait_for 20 grep -q "joined room B-12 $" "$T/many.err"
ok $? "the file's last room is joined"
is "$(grep -c 'joined room' "$T/many.err")" 502 \
    "502 rooms joined: the command line's and the file's 501 (blank lines skipped)"
is "$(control '{"op":"sockets","room":"fleet:500"}' | grep -c '"fleet:1"')" 1 \
    "georoomd has the socket in fleet:500 and fleet:1"
control '{"op":"emit","room":"fleet:499","event":"pos","data":1}' >/dev/null
control '{"op":"emit","room":"extra","event":"pos","data":2}' >/dev/null
wait_for 10 has_lines "$T/many.out" 2
is "$(cut -c1-26 "$T/many.out" | tr '\n' ' ')" \
    '{"event":"pos","data":1,"a {"event":"pos","data":2,"a ' \
    "events to a file's room and to the command line's arrive"
cli_stop many

# Standard input.
printf 'r1\nr2\n' >"$T/in"
CLI_IN=$T/in cli_bg stdin -v -f - join
wait_for 10 grep -q "joined room r2" "$T/stdin.err"
ok $? "-f - reads the rooms from standard input"
cli_stop stdin

# Refusals.
run_cmd georoom-cli -f "$T/nope" join
is "$rc" 66 "a missing file exits 66 (EX_NOINPUT)"
like "$err" "-f $T/nope: No such file or directory" "naming the file and why"
printf 'ok\n\377\n' >"$T/bad"
run_cmd georoom-cli -f "$T/bad" join
is "$rc" 65 "a line that is not UTF-8 exits 65 (EX_DATAERR)"
like "$err" "line 2 is not UTF-8" "naming the line"
run_cmd georoom-cli -f "$T/rooms" tail
is "$rc" 64 "-f with another command exits 64"
: >"$T/empty"
run_cmd georoom-cli -f "$T/empty" join
is "$rc" 64 "an empty file and no room on the command line exits 64"
like "$err" "join takes one room or more" "saying join needs a room"
done_testing
