#!/usr/bin/env bash
# georoomd at its descriptor limit: it refuses what it has no room for with
# a 503 on accept, stays idle, keeps answering its control socket and
# serves again once connections close.
. "$(dirname "$0")/lib.sh"

# CPU ticks (user + system) the process has used so far.
cpu_ticks() {
	awk '{ print $14 + $15 }' "/proc/$1/stat"
}

# With 128 descriptors, georoomd keeps half in reserve: 64 connections.
export GEOROOM_SOCKET=$T/control.sock
log=$T/georoomd.log
(ulimit -n 128 && exec georoomd -p 0 -c "$GEOROOM_SOCKET" -v) 2>"$log" &
pid=$!
track "$pid"
wait_for 10 grep -q 'listening on .* port [0-9]' "$log" ||
    { ok 1 "georoomd starts"; done_testing; }
port=$(sed -n 's/.*listening on .* port \([0-9]*\) .*/\1/p' "$log")

perl "$TOP/tests/prog/ws-hold.pl" "$port" 150 /socket.io/ >"$T/hold.out" &
holder=$!
track "$holder"
wait_for 60 grep -qx done "$T/hold.out"
is "$(grep -cx 101 "$T/hold.out")" 64 \
    "64 of 150 connections are served under ulimit -n 128"
is "$(grep -cx 503 "$T/hold.out")" 86 "the other 86 are answered 503"
is "$(stat_of refused_at_accept)" 86 "stats counts them as refused at accept"

# Spinning on accept would burn a whole core; a second of idling costs
# next to nothing.  Connections keep coming meanwhile.
t0=$(cpu_ticks "$pid")
perl "$TOP/tests/prog/ws-hold.pl" "$port" 20 /socket.io/ >"$T/more.out"
sleep 1
used=$(( $(cpu_ticks "$pid") - t0 ))
ok "$(( used >= 30 ))" "georoomd stays idle at its limit ($used ticks of 30 allowed)"
is "$(grep -cx 503 "$T/more.out")" 20 "later connections get 503 too"
is "$(control '{"op":"stats"}' | grep -c '"ok":true')" 1 \
    "the control socket still answers"
is "$(grep -c 'refusing connections: the descriptor limit' "$log")" 1 \
    "the condition is logged once per interval"
is "$(stat_of connections)" 64 "the 64 sessions are still open"

# Once they close, georoomd serves again.
kill "$holder"
wait "$holder" 2>/dev/null
wait_for 10 test "$(stat_of connections)" = 0
is "$(stat_of connections)" 0 "the held sessions are gone"
perl "$TOP/tests/prog/ws-hold.pl" "$port" 1 /socket.io/ >"$T/again.out" &
again=$!
track "$again"
wait_for 10 grep -qx done "$T/again.out"
is "$(head -1 "$T/again.out")" 101 "a new client is served again"
kill "$again"

kill -TERM "$pid"
wait "$pid"
is "$?" 0 "georoomd exits 0 on SIGTERM"
done_testing
