#!/usr/bin/env bash
# geoput when the hub is not there: the database write stands, a warning
# says so, the exit status is 75; --require-hub refuses to write at all;
# --no-notify does not try.  (The hub going away while running is in
# 25-geoput-hub.t.)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/geoput.sh"

setup_db

run_cmd geoput --hub "$T/nohub.sock" --id 1 --lon 1 --lat 1
is "$rc" 75 "no hub: exit 75 (EX_TEMPFAIL)"
is "$(rows)" 1 "the location is stored all the same"
like "$out" '^\{"type":"Feature","id":1,' "and printed"
like "$err" "^geoput: hub at $T/nohub.sock unreachable: No such file or directory" \
    "a warning names the hub's socket and the reason"
like "$err" "1 of 1 announcement not made" "and says what was not announced"

# A socket file left behind by a hub that is gone.
perl -MIO::Socket::UNIX -e 'IO::Socket::UNIX->new(Local => $ARGV[0], Listen => 1) or die' \
    "$T/stale.sock"
printf '%s\n' '{"id":2,"lon":2,"lat":2}' '{"id":3,"lon":3,"lat":3}' >"$T/two.ndjson"
GEOROOM_SOCKET=$T/stale.sock run_cmd geoput -q "$T/two.ndjson"
is "$rc" 75 "a stale socket from \$GEOROOM_SOCKET: exit 75"
like "$err" "stale.sock unreachable: Connection refused" "the reason is given"
like "$err" "2 of 2 announcements not made" "both locations are counted"
is "$(rows)" 3 "both are stored"

# What is counted is announcements: --also-room adds one for each location.
run_cmd geoput --hub "$T/nohub.sock" -q --also-room 'all' --id 7 --lon 7 \
    --lat 7
is "$rc" 75 "--also-room with no hub: exit 75"
like "$err" "2 of 2 announcements not made" \
    "the location's room and the other are counted"
is "$(q 'SELECT COUNT(*) FROM location WHERE id=7')" 1 "the location is stored"

# The default path when nothing names one.
XDG_RUNTIME_DIR=$T/xdg run_cmd geoput -q --id 4 --lon 4 --lat 4
is "$rc" 75 "the default socket is looked for under \$XDG_RUNTIME_DIR"
like "$err" "hub at $T/xdg/georoom/control.sock unreachable" "as georoomd puts it"

run_cmd geoput --hub "$T/nohub.sock" --require-hub --id 5 --lon 5 --lat 5
is "$rc" 69 "--require-hub with no hub: exit 69 (EX_UNAVAILABLE)"
like "$err" "unreachable: No such file or directory; nothing written \(--require-hub\)" \
    "and says nothing was written"
is "$(q 'SELECT COUNT(*) FROM location WHERE id=5')" 0 "nothing was written"

run_cmd geoput --hub "$T/nohub.sock" --no-notify --id 6 --lon 6 --lat 6
is "$rc:$err" "0:" "--no-notify: no hub needed, no warning"
done_testing
