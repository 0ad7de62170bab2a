#!/usr/bin/env bash
# --reuse-port: several georoomd share one port (SO_REUSEPORT) and the
# kernel spreads connections over them; without it the port is taken.
. "$(dirname "$0")/lib.sh"

GEOROOM_SOCKET=$T/a.sock start_georoomd --reuse-port ||
	{ ok 1 "the first georoomd starts"; done_testing; }
a_pid=$GEOROOMD_PID a_sock=$GEOROOM_SOCKET port=$GEOROOMD_PORT

run_cmd timeout 10 georoomd -p "$port" -c "$T/c.sock"
is "$rc" 69 "without --reuse-port, a second georoomd finds the port taken"

GEOROOM_SOCKET=$T/b.sock start_georoomd --reuse-port -p "$port" ||
	{ ok 1 "a second georoomd with --reuse-port starts"; done_testing; }
b_pid=$GEOROOMD_PID b_sock=$GEOROOM_SOCKET
is "$GEOROOMD_PORT" "$port" "and listens on the same port"

perl "$TOP/tests/prog/ws-hold.pl" "$port" 24 /socket.io/ >"$T/hold.out" &
hold=$!
track "$hold"
wait_for 20 grep -q done "$T/hold.out"
is "$(grep -c '^101$' "$T/hold.out")" 24 "24 clients are upgraded"
conns() { GEOROOM_SOCKET=$1 stat_of connections; }
all_counted() { [ $(($(conns "$a_sock") + $(conns "$b_sock"))) -eq 24 ]; }
wait_for 10 all_counted
a=$(conns "$a_sock") b=$(conns "$b_sock")
is "$((a + b))" 24 "the two processes hold them all between them ($a + $b)"
ok "$([ "$a" -gt 0 ] && [ "$b" -gt 0 ]; echo $?)" \
    "and the kernel gave each process some"
kill "$hold"
node_tap "$TOP/tests/node/hub-sessions.js" 12

GEOROOMD_PID=$b_pid stop_georoomd
is "$rc" 0 "the second exits 0 on SIGTERM"
GEOROOMD_PID=$a_pid stop_georoomd
is "$rc" 0 "the first exits 0 on SIGTERM"
done_testing
