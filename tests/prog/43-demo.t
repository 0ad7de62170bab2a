#!/usr/bin/env bash
# scripts/demo runs the whole flow and leaves nothing behind, also when
# interrupted.
. "$(dirname "$0")/lib.sh"

need mariadbd have mariadbd /usr/sbin/mariadbd

workdir() { sed -n 's/.*starting a private MariaDB in \(.*\)\/db.*/\1/p' "$1" | head -1; }
left_running() { pgrep -f "$1" >/dev/null; }

DEMO_PACE=0 "$TOP/scripts/demo" >"$T/demo.out" 2>&1 </dev/null
is "$?" 0 "the demo exits 0"
steps=$(grep -c . "$TOP/examples/walk.ndjson")
is "$(grep -c '^   room 1: step' "$T/demo.out")" "$steps" "every step of the walk arrives live"
like "$(cat "$T/demo.out")" "all $steps updates arrived in room 1, none in room 2" \
    "the demo says what it showed"
w=$(workdir "$T/demo.out")
like "$w" '^/tmp/georoom-demo\.' "the demo worked in a temporary directory"
[ ! -e "$w" ]
ok $? "which is gone afterwards"
left_running "$w"
is "$?" 1 "and nothing it started is still running"

# Ctrl-C in the middle of the walk cleans up as well.
# A terminal's Ctrl-C signals the whole foreground process group; a
# background job of a script starts with SIGINT ignored, so perl restores
# the default before the demo starts in a group of its own.
DEMO_PACE=0.5 setsid perl -e '$SIG{INT} = "DEFAULT"; exec @ARGV' \
    "$TOP/scripts/demo" >"$T/int.out" 2>&1 </dev/null &
demo=$!
track $demo
wait_for 60 grep -q 'room 1: step 1' "$T/int.out"
ok $? "the interrupted demo is walking"
w=$(workdir "$T/int.out")
kill -INT -- "-$demo"
wait "$demo"
is "$?" 130 "SIGINT ends the demo with status 130"
[ ! -e "$w" ]
ok $? "its directory is removed"
none_left() { ! left_running "$w"; }
wait_for 10 none_left
gone=$?
[ $gone -eq 0 ] || pgrep -af "$w" | sed 's/^/# left: /'
ok $gone "and nothing it started is still running"
done_testing
