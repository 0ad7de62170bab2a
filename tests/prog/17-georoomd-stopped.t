#!/usr/bin/env bash
# A second georoomd started on the control socket of a first one that is
# stopped (SIGSTOP), with the socket's queue full, does not hang on its
# probe of the socket: it says the socket is in use and exits 69.
. "$(dirname "$0")/lib.sh"

start_georoomd || { ok 1 "georoomd starts"; done_testing; }
first=$GEOROOMD_PID
kill -STOP "$first"
# A stopped process cannot take SIGTERM: let it go on before cleanup.
at_exit "kill -CONT $first"

perl "$TOP/tests/prog/ctl-fill.pl" "$GEOROOM_SOCKET" >"$T/fill.out" &
track $!
wait_for 10 grep -q . "$T/fill.out"
like "$(cat "$T/fill.out")" '^full [0-9]+$' \
    "the stopped hub's control socket queue fills up"

start=$SECONDS
run_cmd timeout 10 georoomd -p 0 -c "$GEOROOM_SOCKET"
took=$((SECONDS - start))
is "$rc" 69 "a second hub exits 69 instead of waiting on the probe"
ok "$((took > 5))" "it gives up within the probe's bound (${took} s)"
like "$err" "'$GEOROOM_SOCKET' is in use: a process listens there but has accepted no connection" \
    "and says the socket is in use"
[ -S "$GEOROOM_SOCKET" ]
ok $? "the stopped hub's socket file is left in place"

kill -CONT "$first"
is "$(control '{"op":"stats"}' | grep -c '"ok":true')" 1 \
    "the first hub answers again once it goes on"
stop_georoomd
is "$rc" 0 "and exits 0 on SIGTERM"
done_testing
