#!/usr/bin/env bash
# Strings JSON.parse takes are relayed as sent, lone surrogates included.
. "$(dirname "$0")/lib.sh"

start_georoomd || { ok 1 "georoomd starts"; done_testing; }
node_tap "$TOP/tests/node/hub-strings.js"
stop_georoomd
is "$rc" 0 "georoomd exits 0 on SIGTERM"
done_testing
