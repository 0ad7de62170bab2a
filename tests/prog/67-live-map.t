#!/usr/bin/env bash
# The live map (examples/map/index.html) served by the nginx example in
# front of georoomd --retain chat, in headless Chromium: positions sent
# before the page opens show at once, a new one as it comes
# (tests/node/live-map.js).  The screenshot stays in the test's directory
# (GEOROOM_KEEP_SHOT=DIR copies it there first).
. "$(dirname "$0")/lib.sh"

need chromium have chromium
hub_port=$(free_port)
start_nginx_example "$hub_port"
wait_for 10 perl -MIO::Socket::INET -e \
    'IO::Socket::INET->new("127.0.0.1:$ARGV[0]") or exit 1' "$PROXY_PORT"
ok $? "nginx serves the example"
start_georoomd -p "$hub_port" --retain chat ||
	{ ok 1 "georoomd starts"; done_testing; }
CHROMIUM=$(command -v chromium) CHROME_DIR=$T/chrome SHOT=$T/map.png \
    node_tap "$TOP/tests/node/live-map.js"
if [ -n "${GEOROOM_KEEP_SHOT:-}" ] && [ -f "$T/map.png" ]; then
	cp "$T/map.png" "$GEOROOM_KEEP_SHOT/"
fi
is "$(stat_of retained_sent)" 2 "the hub sent the page the two retained positions"
stop_georoomd
is "$rc" 0 "georoomd stops cleanly"
done_testing
