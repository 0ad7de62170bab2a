#!/usr/bin/env bash
# examples/cron/georoom-feed against a local HTTP feed: it stores the
# records and tells the hub, logs each run, fails loudly with geoput's
# status, and never runs twice at once.  The systemd units pass
# systemd-analyze verify.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/geoput.sh"

feed=$TOP/examples/cron/georoom-feed
setup_db
start_georoomd || { ok 1 "georoomd starts"; done_testing; }
start_http_fixture || { ok 1 "the HTTP fixture starts"; done_testing; }
cat >"$web/vehicles.json" <<'EOF2'
{"vehicles":[{"fleet_no":41,"position":{"lat":52.52,"lng":13.405},"speed":31},
 {"fleet_no":42,"position":{"lat":48.137,"lng":11.575},"speed":0}]}
EOF2
filter='.vehicles[] | {id: .fleet_no, lon: .position.lng, lat: .position.lat, properties: {speed: .speed}}'
export GEOROOM_FEED_LOCK=$T/feed.lock GEOROOM_FEED_LOG=$T/feed.log

run_cmd "$feed" "$base/vehicles.json" "$filter"
is "$rc" 0 "a good feed run exits 0"
is "$out$err" "" "and prints nothing, so cron mails nothing"
is "$(rows)" 2 "the feed's two vehicles are stored"
is "$(q 'SELECT ST_X(geom), ST_Y(geom), JSON_VALUE(properties, "$.speed") FROM location WHERE id = 41')" \
    "$(printf '13.405\t52.52\t31')" "with the coordinates and properties the filter made"
like "$(tail -1 "$T/feed.log")" "ok: $base/vehicles.json" "the run is logged"

run_cmd "$feed" "$base/missing.json" "$filter"
is "$rc" 66 "a feed answering 404 fails with geoput's status 66"
like "$err" "georoom-feed: $base/missing.json failed with status 66" \
    "and says so on stderr, which cron mails"
like "$(cat "$T/feed.log")" "fail \(66\): $base/missing.json" "the failure is logged"

# A previous run still holding the lock: this one skips at once.
mkfifo "$T/release"
flock "$GEOROOM_FEED_LOCK" sh -c "read x <'$T/release'" &
holder=$!
track $holder
wait_for 10 sh -c "! flock -n '$GEOROOM_FEED_LOCK' true"
run_cmd "$feed" "$base/vehicles.json" "$filter"
is "$rc" 75 "an overlapping run exits 75 without running geoput"
like "$(tail -1 "$T/feed.log")" "skip: previous run still holds" "and logs the skip"
echo go >"$T/release"
wait $holder

run_cmd "$feed" "$base/vehicles.json"
is "$rc" 64 "a missing filter is a usage error"

# The options the units start georoomd with are georoomd's.
for u in georoomd.service georoomd@.service; do
	opts=$(sed -n 's/^ExecStart=[^ ]*georoomd //p' "$TOP/examples/systemd/$u" |
	    grep -oE -- '--[a-z][a-z-]*' | sort -u)
	missing=""
	for o in $opts; do
		georoomd --help | grep -qE -- "$o( |$)" || missing="$missing $o"
	done
	is "$missing" "" "$u starts georoomd with options it has ($(echo $opts))"
done

# systemd units: verified with the paths of this checkout's programs.
if command -v systemd-analyze >/dev/null 2>&1; then
	mkdir -p "$T/units"
	for u in georoomd.service georoomd@.service georoom-feed.service \
	    georoom-feed.timer; do
		sed -e "s|/usr/local/bin/georoomd|$BIN/georoomd|" \
		    -e "s|/usr/local/bin/georoom-feed|$feed|" \
		    "$TOP/examples/systemd/$u" >"$T/units/$u"
	done
	run_cmd sh -c "cd '$T/units' && systemd-analyze verify --man=no georoomd.service georoomd@1.service georoom-feed.service georoom-feed.timer"
	is "$out$err" "" "systemd-analyze verify finds nothing to say about the units"
	# The hardening keeps georoomd's units "OK" (exposure 2.0 at most;
	# 1.2 with systemd 252).
	for u in georoomd.service georoomd@1.service; do
		if ! systemd-analyze --help | grep -q -- --offline; then
			ok 0 "# SKIP systemd-analyze has no --offline (systemd < 250)"
			continue
		fi
		run_cmd sh -c "cd '$T/units' && systemd-analyze security --offline=yes --threshold=20 $u"
		is "$rc" 0 "systemd-analyze security rates $u $(printf '%s\n' "$out" |
		    sed -n 's/.*exposure level for .*: \([0-9.]* [A-Z]*\).*/\1/p')"
	done
else
	ok 0 "# SKIP systemd-analyze not installed"
fi
done_testing
