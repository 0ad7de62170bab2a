#!/usr/bin/env bash
# geoget on the real MariaDB, against answers worked out by hand: now (all,
# given ids, missing ids), near (distances on the server's sphere, nearest
# first, the limit, across the antimeridian, at a pole, non-points left
# out), within (a box, one across the antimeridian, a GeoJSON polygon),
# trail (since, until, relative times, --line), --collection; EXPLAIN of
# the very statements geoget sends showing the spatial index and the
# history's primary key; a read-only account; usage and database errors.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/geoput.sh"

setup_db

# get ARGS...: geoget with ARGS, stdin from $T/.in when it exists.
get() {
	geoget "$@" <"${in:-/dev/null}" >"$T/.out" 2>"$T/.err"
	rc=$?
	out=$(cat "$T/.out")
	err=$(cat "$T/.err")
}
# ids: the ids of $out's Features, one line.
ids() {
	printf '%s\n' "$out" | jq -r .id | paste -sd' '
}
# close A B: the numbers A and B differ by less than a centimetre.
close() {
	awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; exit !(d < 0.01 && d > -0.01) }'
}
# key_of ROW: the key column of EXPLAIN row ROW (1 the first after the header).
key_of() {
	printf '%s\n' "$out" | awk -F'\t' -v row="$1" '
	    NR == 1 { for (i = 1; i <= NF; i++) if ($i == "key") k = i }
	    NR == row + 1 { print $k }'
}

# One degree of a great circle on the sphere ST_Distance_Sphere uses,
# r = 6370986 m: 6370986 * pi / 180 = 111194.682 m; a tenth 11119.468;
# half 55597.341; 0.05 degree 5559.734; 0.15 degree 16679.202.
geoput --no-notify -q --history <<'EOF' || ok 1 "the points are stored"
{"id":"c0","lon":0,"lat":0}
{"id":"e1","lon":1,"lat":0}
{"id":"e2","lon":0,"lat":0.5}
{"id":"far","lon":10,"lat":10}
{"id":"am1","lon":179.9,"lat":0}
{"id":"am2","lon":-179.9,"lat":0}
{"id":"np","lon":45,"lat":89.9}
{"type":"Feature","id":"route","geometry":{"type":"LineString","coordinates":[[0,0.1],[0.1,0.1]]},"properties":{}}
EOF
# Others far from every question, so that the optimizer has a reason to
# prefer the spatial index to reading the table.
for i in $(seq 1 400); do
	printf '{"id":"z%d","lon":%d.5,"lat":%d.25}\n' "$i" $((40 + i % 50)) $((-60 + i % 30))
done | geoput --no-notify -q || ok 1 "the other points are stored"
q "ANALYZE TABLE location" >/dev/null

# now
stored=$(geoput --no-notify --user 7 --prop 'name=Bus 12' --history \
    <<<'{"id":"B-12","lon":13.405,"lat":52.52,"time":"2026-11-25T10:00:00Z"}')
get now B-12
is "$rc:$out" "0:$stored" "now ID prints the Feature geoput printed when it stored it"
like "$out" '"userId":7,"updated_at":"2026-11-25T10:00:00.000000Z"' \
    "with the user id and the record's own time"
get now e2 nope B-12 c0
is "$rc:$(ids)" "66:B-12 c0 e2" "ids without a location: the others printed by id, exit 66"
is "$err" "geoget: now: 1 of 4 ids have no location" "and a message counts them"
get now
is "$rc:$(printf '%s\n' "$out" | wc -l)" "0:409" "now alone prints every location"
get --limit 3 now
is "$(ids)" "B-12 am1 am2" "--limit, in id order"

# near
get near 0 0 120000
is "$rc:$(ids)" "0:c0 e2 e1" "near: nearest first, the far one left out"
d=($(printf '%s\n' "$out" | jq .distance_m))
is "${d[0]}" 0 "the point itself at 0 m"
close "${d[1]}" 55597.341
ok $? "half a degree north: 55597.341 m (got ${d[1]})"
close "${d[2]}" 111194.682
ok $? "a degree east: 111194.682 m (got ${d[2]})"
[[ "$out" != *route* ]]
ok $? "a LineString has no distance and is left out"
get near 0 0 111194
is "$(ids)" "c0 e2" "a metre short of a degree leaves it out"
get --limit 2 near 0 0 120000
is "$(ids)" "c0 e2" "--limit keeps the nearest"
get near 179.95 0 20000
is "$rc:$(ids)" "0:am1 am2" "across the antimeridian, both sides, nearest first"
d=($(printf '%s\n' "$out" | jq .distance_m))
close "${d[0]}" 5559.734 && close "${d[1]}" 16679.202
ok $? "5559.734 m west and 16679.202 m east (got ${d[*]})"
get near -179.95 0 6000
is "$(ids)" "am2" "from the other side"
get near 0 90 12000
is "$(ids)" "np" "round the pole, at every longitude"
close "$(printf '%s\n' "$out" | jq .distance_m)" 11119.468
ok $? "a tenth of a degree from the pole"
get near 0.5 0.25 1
is "$rc:$out" "0:" "none near: nothing printed, exit 0"

# within
get within 0 -1 1 1
is "$rc:$(ids)" "0:c0 e1 e2 route" "within a box: edges included, a line meeting it too"
get within 179 -1 -179 1
is "$(ids)" "am1 am2" "a box across the antimeridian"
cat >"$T/area.json" <<'EOF'
{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[-0.5,-0.5],[0.5,-0.5],[0.5,0.6],[-0.5,0.6],[-0.5,-0.5]]]}}
EOF
get within --polygon "$T/area.json"
is "$rc:$(ids)" "0:c0 e2 route" "within a GeoJSON polygon"
in=$T/area.json get within --polygon -
is "$(ids)" "c0 e2 route" "read from standard input"
get --collection within 0 -1 1 1
is "$(printf '%s\n' "$out" | jq -c '[.type, (.features | map(.id))]')" \
    '["FeatureCollection",["c0","e1","e2","route"]]' "--collection: one FeatureCollection"
get --collection near 0.5 0.25 1
is "$(printf '%s\n' "$out" | jq -c .)" '{"type":"FeatureCollection","features":[]}' \
    "an empty one when none"

# trail
# (One run keeps the newest record of an id: two runs.)
geoput --no-notify -q --history \
    <<<'{"id":"B-12","lon":13.5,"lat":52.5,"time":"2026-11-25T10:01:00Z"}'
geoput --no-notify -q --history \
    <<<'{"id":"B-12","lon":13.6,"lat":52.4,"time":"2026-11-25T10:02:00.5Z"}'
get trail B-12
is "$rc:$(printf '%s\n' "$out" | jq -c '[.updated_at, .geometry.coordinates]' | paste -sd' ')" \
    '0:["2026-11-25T10:00:00.000000Z",[13.405,52.52]] ["2026-11-25T10:01:00.000000Z",[13.5,52.5]] ["2026-11-25T10:02:00.500000Z",[13.6,52.4]]' \
    "trail: every position kept, in time order"
like "$(printf '%s\n' "$out" | head -1)" '"properties":\{"name":"Bus 12"\},"userId":7,' \
    "with the properties and user id kept then"
get trail --since 2026-11-25T10:01:00Z B-12
is "$(printf '%s\n' "$out" | wc -l)" 2 "--since, included"
get trail --until 1795600860 B-12
is "$(printf '%s\n' "$out" | wc -l)" 2 "--until in epoch seconds, included"
get trail --since 2026-11-25T11:01:00+01:00 --until 2026-11-25T10:01:00Z B-12
is "$(printf '%s\n' "$out" | jq -r .updated_at)" 2026-11-25T10:01:00.000000Z \
    "both: one point (an offset read as UTC)"
get trail --since 1h B-12
is "$rc:$out" "66:" "--since 1h: those positions are older"
is "$err" "geoget: trail: no position of B-12 in the history at those times" \
    "no position: exit 66 and a message"
get trail --since 1h c0
is "$rc:$(printf '%s\n' "$out" | jq -r .id)" "0:c0" "a position of this run is within the hour"
get trail --line B-12
is "$rc:$out" \
    '0:{"type":"Feature","id":"B-12","geometry":{"type":"LineString","coordinates":[[13.405,52.52],[13.5,52.5],[13.6,52.4]]},"properties":{"coordTimes":["2026-11-25T10:00:00.000000Z","2026-11-25T10:01:00.000000Z","2026-11-25T10:02:00.500000Z"]}}' \
    "--line: one LineString with the times"
get trail --line --until 2026-11-25T10:00:00Z B-12
is "$(printf '%s\n' "$out" | jq -c .geometry.coordinates)" '[[13.405,52.52],[13.405,52.52]]' \
    "a lone point twice"
get trail --line route
is "$rc:$out" "66:" "a trail of no point has no line"
get trail nope
is "$rc" 66 "trail of an unknown id: exit 66"

# The statements geoget sends use the indexes.
get --explain near 0 0 120000
is "$rc:$(key_of 1)" "0:geom" "near: EXPLAIN shows the spatial index"
get --explain near 179.95 0 20000
is "$(key_of 1) $(key_of 2)" "geom geom" "each side of the antimeridian too"
get --explain within 0 -1 1 1
is "$(key_of 1)" geom "within a box: the spatial index"
get --explain within --polygon "$T/area.json"
is "$(key_of 1)" geom "within a polygon: the spatial index"
get --explain trail --since 2026-11-25T10:01:00Z B-12
is "$(key_of 1)" PRIMARY "trail: the history's primary key (id, time)"

# SELECT is all it needs.
qroot "CREATE USER 'reader'@'localhost' IDENTIFIED BY 'pw';
    GRANT SELECT ON georoom.* TO 'reader'@'localhost';" >/dev/null
reader="mysql://reader:pw@localhost/georoom?socket=$T/db/mysqld.sock"
get --db "$reader" now c0
is "$rc:$(ids)" "0:c0" "an account with only SELECT reads"
geoput --db "$reader" --no-notify --id c0 --lon 1 --lat 1 >/dev/null 2>&1
is "$?" 77 "(and cannot write)"

# Usage and database errors.
get near 0 0
is "$rc:$err" "64:geoget: near takes LON LAT METERS, got fewer operands" "too few operands: 64"
get near 0 91 5
is "$rc:$err" "64:geoget: near: latitude '91' is not a number from -90 to 90" \
    "a latitude out of range: 64"
get near 0 0 -5
is "$rc" 64 "a negative distance: 64"
get within 0 2 1 1
is "$rc:$err" "64:geoget: within: south 2 is north of north 1: give W S E N" "south of north: 64"
get trail --since yesterday x
like "$rc:$err" "^64:geoget: --since: 'yesterday' is not a time" "a bad time: 64"
get --line now
is "$rc:$err" "64:geoget: --line is for trail" "an option of another command: 64"
get fly
is "$rc" 64 "an unknown command: 64"
get within --polygon "$T/none.json"
is "$rc" 66 "a --polygon file missing: 66"
printf '{"type":"Point","coordinates":[0,0]}' >"$T/point.json"
get within --polygon "$T/point.json"
like "$rc:$err" "^65:geoget: --polygon .*expected a Polygon" "a --polygon that is no polygon: 65"
get --table nope now
like "$rc:$err" "^78:geoget: database: .*nope.*geoput --init-db" "a table missing: 78"
get --db "mysql://georoom:georoom@localhost/georoom?socket=$T/none.sock" now
like "$rc:$err" "^69:geoget: database: cannot connect" "no server: 69"

geoget now | head -1 >/dev/null
is "${PIPESTATUS[0]}" 0 "a reader that stops early is no failure"
if [ -w /dev/full ]; then
	geoget now >/dev/full 2>"$T/.err"
	is "$?:$(cat "$T/.err")" "74:geoget: writing: No space left on device" \
	    "output that cannot be written: 74"
fi

done_testing
