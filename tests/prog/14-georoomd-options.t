#!/usr/bin/env bash
# georoomd's options and environment: --path, --origin, --max-connections,
# namespaces from the environment, --control-group, the control socket's
# disconnect op, SIGINT.
. "$(dirname "$0")/lib.sh"

group=$(id -gn)
GEOROOMD_NAMESPACES="/a /b" start_georoomd --path /chat \
    -o http://good.example --max-connections 3 --control-group "$group" ||
    { ok 1 "georoomd starts"; done_testing; }
is "$(stat -c '%a %G' "$GEOROOM_SOCKET")" "660 $group" \
    "--control-group makes the control socket 0660 and of that group"
node_tap "$TOP/tests/node/hub-options.js"
kill -INT "$GEOROOMD_PID"
wait "$GEOROOMD_PID"
is "$?" 0 "georoomd exits 0 on SIGINT"

run_cmd georoomd -p 70000
is "$rc" 64 "an out-of-range port is a usage error"
like "$err" "--port '70000' is outside \[0, 65535\]" \
    "and names the option, the value and the range"
GEOROOMD_PING_INTERVAL=abc run_cmd georoomd
is "$rc" 64 "a bad value in the environment is a usage error"
like "$err" 'GEOROOMD_PING_INTERVAL' "and names the variable"
run_cmd georoomd -n nope
is "$rc" 64 "a namespace without a leading / is refused"
run_cmd georoomd -p 0 -c "$T/ctl" --control-group no-such-group-here
is "$rc" 78 "an unknown control group is a configuration error"
run_cmd georoomd -p 0 -c "$T/$(printf 'x%.0s' $(seq 120))"
is "$rc" 78 "a control path too long for a socket is refused"
like "$err" "control socket path too long" "and says so"
done_testing
