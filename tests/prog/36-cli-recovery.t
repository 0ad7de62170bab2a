#!/usr/bin/env bash
# georoom-cli recovers its session when the hub offers it (georoomd
# --recovery-window): its connection, through a proxy the test cuts, drops
# while chats are sent, and it prints every one of them, once, in order,
# without the hub's offsets; after the window it says the session is new.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/cli.sh"

start_georoomd --recovery-window 1500 ||
    { ok 1 "georoomd starts"; done_testing; }
export GEOROOM_URL=ws://127.0.0.1:$GEOROOMD_PORT
mkdir -p "$T/proxy"
perl "$TOP/tests/prog/cut-proxy.pl" "$T/proxy" "$GEOROOMD_PORT" \
    2>"$T/proxy.log" &
proxy_pid=$!
track "$proxy_pid"
wait_for 10 test -s "$T/proxy/port"
ok $? "the proxy listens"
fast=(--reconnect-delay 50 --reconnect-delay-max 200 --connect-timeout 1000)

cli_bg member join r -v --user 5 -u "ws://127.0.0.1:$(cat "$T/proxy/port")" \
    "${fast[@]}"
wait_for 10 grep -q "joined room r" "$T/member.err"
ok $? "the member joined room r through the proxy"
georoom-cli chat r '"one"'
wait_for 10 has_lines "$T/member.out" 1

# members: how many sockets room r holds, as the hub lists them.
members() {
	run_cmd georoom-cli who r
	printf '%s\n' "$out" | grep -c '"id"'
}
# members_are N: whether room r holds N sockets.
members_are() { test "$(members)" = "$1"; }
# no_sessions: whether the hub keeps no session.
no_sessions() { test "$(stat_of recovery_sessions)" = 0; }
# cut: cuts the member's connection and holds it off until the hub has
# noticed (its socket left room r).
cut() {
	local n
	n=$(cat "$T/proxy/cuts" 2>/dev/null || echo 0)
	kill -USR1 "$proxy_pid"
	wait_for 10 grep -qx $((n + 1)) "$T/proxy/cuts"
	wait_for 10 members_are 0
}

cut
ok $? "the connection is cut, and the hub sees the member go"
for m in two three four; do georoom-cli chat r "\"$m\""; done
kill -USR2 "$proxy_pid"
wait_for 10 has_lines "$T/member.out" 4
is "$(sed 's/.*"message":"\([a-z]*\)".*/\1/' "$T/member.out" | tr '\n' ' ')" \
    "one two three four " \
    "the chats sent while it was away are printed, once, in order"
like "$(cat "$T/member.err")" 'info: reconnected after [0-9]+ attempts?, session recovered' \
    "it notes that the session was recovered"
grep -q '"args":\["' "$T/member.out"
ok $((!$?)) "the hub's offsets are not printed"
georoom-cli chat r '"five"'
wait_for 10 has_lines "$T/member.out" 5
is "$(tail -1 "$T/member.out" | sed 's/.*"message":"\([a-z]*\)".*/\1/')" \
    five "and it is in its room again"
is "$(members)" 1 "with one socket"

# Past the window: a new session; what was sent meanwhile is lost, and
# said to be.
cut
georoom-cli chat r '"lost"'
# The hub drops the session once the window is over.
wait_for 10 no_sessions
ok $? "the hub drops the session after the window"
kill -USR2 "$proxy_pid"
wait_for 10 grep -q "a new session: events sent meanwhile are lost" \
    "$T/member.err"
ok $? "after the window it says its session is new"
wait_for 10 members_are 1
georoom-cli chat r '"six"'
wait_for 10 has_lines "$T/member.out" 6
is "$(tail -1 "$T/member.out" | sed 's/.*"message":"\([a-z]*\)".*/\1/')" \
    six "it joined its room again, and missed what was sent meanwhile"
cli_stop member
done_testing
