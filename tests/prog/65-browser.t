#!/usr/bin/env bash
# A real browser: headless Chromium (Debian's package) loads a page from
# another origin with socket.io-client's own bundle, connects with the
# default options (long-polling, then the upgrade), joins the room of
# location 1 and receives the update geoput stores and announces.  The
# screenshot stays in the test's directory, which is removed at exit
# (GEOROOM_KEEP_SHOT=DIR copies it there first).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/geoput.sh"

need chromium have chromium
setup_db
start_georoomd || { ok 1 "georoomd starts"; done_testing; }
CHROMIUM=$(command -v chromium) CHROME_DIR=$T/chrome SHOT=$T/browser.png \
    node_tap "$TOP/tests/node/browser.js"
if [ -n "${GEOROOM_KEEP_SHOT:-}" ] && [ -f "$T/browser.png" ]; then
	cp "$T/browser.png" "$GEOROOM_KEEP_SHOT/"
fi
like "$(cat "$GEOROOMD_LOG")" 'connect sid=[^ ]* socket=[^ ]* ns=/ peer=127\.0\.0\.1' \
    "the browser's socket is logged as it connects"
stop_georoomd
is "$rc" 0 "georoomd stops cleanly"
done_testing
