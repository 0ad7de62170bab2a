#!/usr/bin/env bash
# geoput --url against a local HTTP server (tests/prog/http-fixture.pl):
# success, redirects, 404, 401, 500 then success on a retry, 500 to the
# end, a server that never answers, a body too large, a proxy from the
# environment, and a --jq mapping of a nested vendor feed.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/geoput.sh"

setup_db
start_http_fixture || { ok 1 "the HTTP fixture starts"; done_testing; }

cat >"$web/fc.json" <<'EOF'
{"type":"FeatureCollection","features":[
 {"type":"Feature","id":1,"geometry":{"type":"Point","coordinates":[13.4,52.5]},"properties":{"name":"a"}},
 {"type":"Feature","id":2,"geometry":{"type":"Point","coordinates":[2.35,48.86]}}]}
EOF
cat >"$web/vendor.json" <<'EOF'
{"fleet":{"updated":"2026-11-25T10:00:00Z","vehicles":[
 {"vid":"17","driver":{"uid":7},"pos":{"lat":52.52,"lng":13.405},"speed_kmh":31},
 {"vid":"18","driver":{"uid":8},"pos":{"lat":48.137,"lng":11.575},"speed_kmh":0}]}}
EOF
requests() {
	grep -c "GET $1 " "$web/requests.log" 2>/dev/null
}

run_cmd geoput --no-notify --url "$base/fc.json"
is "$rc" 0 "a FeatureCollection fetched with --url is stored"
is "$(q 'SELECT GROUP_CONCAT(id ORDER BY id) FROM location')" "1,2" "both features"
is "$(printf '%s\n' "$out" | wc -l)" 2 "and both are printed"

run_cmd geoput --no-notify --url "$base/redirect/fc.json"
is "$rc" 0 "a redirect is followed"
is "$(requests /fc.json)" 2 "to the target"

run_cmd geoput --no-notify --url "$base/missing.json"
is "$rc" 66 "404 exits 66 (EX_NOINPUT)"
like "$err" "^geoput: fetching $base/missing.json: HTTP status 404$" \
    "and the message names the URL and the status"
is "$(requests /missing.json)" 1 "a 404 is not tried again"

run_cmd geoput --no-notify --url "$base/status/401"
is "$rc" 77 "401 exits 77 (EX_NOPERM)"
like "$err" "HTTP status 401" "and names the status"

run_cmd geoput --no-notify --url "$base/flaky/2/fc.json"
is "$rc" 0 "500 twice, then 200: stored on the third attempt"
is "$(requests /flaky/2/fc.json)" 3 "three requests were made"

run_cmd geoput --no-notify --retries 1 --url "$base/status/503"
is "$rc" 75 "5xx to the end exits 75 (EX_TEMPFAIL)"
like "$err" "HTTP status 503 \(after 2 attempts\)" "after --retries 1 more attempt"
is "$(requests /status/503)" 2 "two requests were made"

start=$SECONDS
run_cmd geoput --no-notify --max-time 1 --retries 1 --url "$base/slow"
is "$rc" 75 "a server that never answers exits 75 once retries run out"
like "$err" "fetching $base/slow: .*(Timeout|timed out).*\(after 2 attempts\)" \
    "and the message says it timed out"
[ $((SECONDS - start)) -lt 15 ]
ok $? "--max-time bounds each attempt"

run_cmd geoput --no-notify --max-size 1000 --url "$base/big/5000"
is "$rc" 65 "a body beyond --max-size exits 65"
like "$err" "larger than 1000 bytes" "and says so"

run_cmd geoput --no-notify --url "file:///etc/passwd"
is "$rc" 64 "only http and https URLs are fetched"

run_cmd geoput --no-notify --retries 0 --url "http://127.0.0.1:1/x.json"
is "$rc" 69 "a refused connection exits 69 (EX_UNAVAILABLE)"

# The proxy named in the environment is used (the fixture answers as one).
http_proxy=$base run_cmd geoput --no-notify --url "http://feeds.invalid/fc.json"
is "$rc" 0 "http_proxy from the environment is honoured"
like "$(cat "$web/requests.log")" "GET http://feeds.invalid/fc.json " \
    "the request went to the proxy with the full URL"

# A nested vendor feed mapped with --jq, credentials redacted in messages.
q "DELETE FROM location" >/dev/null
run_cmd geoput --no-notify --url "$base/vendor.json" --jq \
    '.fleet.vehicles[] | {type: "Feature", id: .vid, userId: .driver.uid,
      geometry: {type: "Point", coordinates: [.pos.lng, .pos.lat]},
      properties: {speed: .speed_kmh}}'
is "$rc" 0 "--jq maps a nested vendor feed into Features"
is "$(q "SELECT GROUP_CONCAT(CONCAT(id, ' ', user_id, ' ', ST_AsText(geom), ' ', properties) ORDER BY id SEPARATOR '; ') FROM location")" \
    '17 7 POINT(13.405 52.52) {"speed":31}; 18 8 POINT(11.575 48.137) {"speed":0}' \
    "every vehicle is stored with its id, driver, position and speed"
# Numbers a double cannot hold, in a feed: refused, naming the field.
q "DELETE FROM location" >/dev/null
printf '%s\n' '{"id":1,"lon":1,"lat":1}' '{"id":1e400,"lon":2,"lat":2}' \
    >"$web/hugeid.ndjson"
printf '%s\n' '{"id":1,"lon":1,"lat":1}' '{"id":2,"userId":nan,"lon":2,"lat":2}' \
    >"$web/nanuser.ndjson"
run_cmd geoput --no-notify --url "$base/hugeid.ndjson"
is "$rc" 65 "a feed with an id of 1e400 exits 65 (EX_DATAERR)"
like "$err" "^geoput: $base/hugeid.ndjson:2: id: " "and names the line and the field"
run_cmd geoput --no-notify --url "$base/nanuser.ndjson"
is "$rc" 65 "a feed with a user id of nan exits 65"
like "$err" "^geoput: $base/nanuser.ndjson:2: bad JSON: userId: " "and names the line and the field"
is "$(rows)" 0 "nothing written"
# Properties libjq would store as null, DBL_MAX or U+FFFD, in a feed.
for bad in 'nan' '1e400' "$(printf '"\377"')"; do
	printf '{"type":"FeatureCollection","features":[{"type":"Feature","id":1,"geometry":{"type":"Point","coordinates":[1,1]},"properties":{"p":%s}}]}\n' \
	    "$bad" >"$web/lax.json"
	run_cmd geoput --no-notify --url "$base/lax.json" --jq '.features[]'
	is "$rc" 65 "a feed with a property of $(printf '%q' "$bad") exits 65"
	pre='bad JSON: '
	[ "$bad" = 1e400 ] && pre=
	like "$err" "^geoput: $base/lax.json:1: ${pre}features\[0\]\.properties\.p: " \
	    "and names the field"
done
is "$(rows)" 0 "nothing written"
run_cmd geoput --no-notify --url "http://u:secret@127.0.0.1:$(cat "$web/port")/nothere.json"
like "$err" "fetching http://\*\*\*@127.0.0.1:[0-9]+/nothere.json: HTTP status 404" \
    "a password in the URL is not repeated"
done_testing
