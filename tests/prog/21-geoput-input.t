#!/usr/bin/env bash
# geoput's input forms (flags, Feature, FeatureCollection, bare geometry,
# flat object; NDJSON, one document, a file), what is stored and printed,
# and upserts: the same id again replaces the row and moves updated_at.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/geoput.sh"

setup_db

# field ID COLUMN: one column of one stored row.
field() {
	q "SELECT $2 FROM location WHERE id=$1"
}

# (a) Flags.
run_cmd geoput --no-notify --id 42 --lon 13.405 --lat 52.52 --user 7 \
    --prop name=Alex --prop 'battery:=0.8'
is "$rc" 0 "flags: --id, --lon, --lat, --user, --prop store a location"
is "$out" "$(printf '%s' "$out" | head -1)" "one record printed, on one line"
like "$out" '^\{"type":"Feature","id":42,"geometry":\{"type":"Point","coordinates":\[13.405,52.52\]\},"properties":\{"name":"Alex","battery":0.8\},"userId":7,"updated_at":"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z"\}$' \
    "the stored Feature is printed with id, geometry, properties, userId, updated_at"
is "$(field 42 "ST_AsText(geom), ST_SRID(geom), user_id, properties")" \
    "POINT(13.405 52.52)	4326	7	{\"name\":\"Alex\",\"battery\":0.8}" \
    "the row holds the point in SRID 4326, the user id and the properties"
stamp=$(printf '%s' "$out" | sed 's/.*"updated_at":"\([^"]*\)".*/\1/')
db_stamp=$(field 42 "DATE_FORMAT(CONVERT_TZ(updated_at, @@session.time_zone, '+00:00'), '%Y-%m-%dT%H:%i:%s.%fZ')")
is "$stamp" "$db_stamp" "updated_at is printed in UTC with microseconds"

# An upsert of the same id moves updated_at and replaces the rest.
run_cmd geoput --no-notify --id 42 --lon 13.5 --lat 52.6
is "$rc" 0 "the same id again is an update"
stamp2=$(printf '%s' "$out" | sed 's/.*"updated_at":"\([^"]*\)".*/\1/')
[[ "$stamp2" > "$stamp" ]]
ok $? "updated_at moved forward ($stamp -> $stamp2)"
is "$(rows)" 1 "still one row"
is "$(field 42 "ST_AsText(geom), user_id, properties")" \
    "POINT(13.5 52.6)	7	{\"name\": \"Alex\", \"battery\": 0.8}" \
    "the geometry moves; user id and properties not given are kept"
run_cmd geoput --no-notify --id 42 --lon 13.5 --lat 52.6 --prop battery:=0.7
is "$(field 42 "properties")" '{"name": "Alex", "battery": 0.7}' \
    "a property given replaces its value, the others stay"
run_cmd geoput --no-notify --replace --id 42 --lon 13.5 --lat 52.6
is "$(field 42 "ST_AsText(geom), user_id IS NULL, properties")" \
    "POINT(13.5 52.6)	1	{}" "--replace replaces the user id and properties"
stamp2=$(printf '%s' "$out" | sed 's/.*"updated_at":"\([^"]*\)".*/\1/')
run_cmd geoput --no-notify --id 42 --lon 13.5 --lat 52.6
stamp3=$(printf '%s' "$out" | sed 's/.*"updated_at":"\([^"]*\)".*/\1/')
[[ "$stamp3" > "$stamp2" ]]
ok $? "updated_at moves even when nothing else changes"

# (b) Standard input: a Feature as one pretty-printed document.
run_cmd_in() {
	local input=$1
	shift
	"$@" <"$input" >"$T/.out" 2>"$T/.err"
	rc=$?
	out=$(cat "$T/.out")
	err=$(cat "$T/.err")
}
cat >"$T/feature.json" <<'EOF'
{
  "type": "Feature",
  "id": "7",
  "userId": 3,
  "geometry": {"type": "Point", "coordinates": [2.3522, 48.8566, 35.0],
               "bbox": [2.3522, 48.8566, 2.3522, 48.8566]},
  "properties": {"name": "Paris", "tags": ["a", "b"]}
}
EOF
run_cmd_in "$T/feature.json" geoput --no-notify
is "$rc" 0 "a pretty-printed Feature on stdin is stored"
is "$out" '{"type":"Feature","id":7,"geometry":{"type":"Point","coordinates":[2.3522,48.8566]},"properties":{"name":"Paris","tags":["a","b"]},"userId":3,'"$(printf '%s' "$out" | grep -o '"updated_at":"[^"]*"}')" \
    "a string id is stored as a number; altitude and bbox are not stored"

# A FeatureCollection of several geometry types.
cat >"$T/fc.json" <<'EOF'
{"type":"FeatureCollection","features":[
 {"type":"Feature","id":100,"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]},"properties":{"zone":"a"}},
 {"type":"Feature","id":101,"geometry":{"type":"LineString","coordinates":[[0,0],[10,10]]},"properties":null},
 {"type":"Feature","id":102,"geometry":{"type":"MultiPoint","coordinates":[[1,1],[-1,-1]]}},
 {"type":"Feature","id":103,"geometry":{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[5,5]},{"type":"MultiLineString","coordinates":[[[0,0],[1,1]],[[2,2],[3,3]]]}]}},
 {"type":"Feature","id":104,"geometry":{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]],[[[5,5],[6,5],[6,6],[5,5]]]]}}
]}
EOF
run_cmd geoput --no-notify "$T/fc.json"
is "$rc" 0 "a FeatureCollection from a FILE operand is stored"
is "$(printf '%s\n' "$out" | wc -l)" 5 "one line printed per feature"
is "$(q "SELECT GROUP_CONCAT(ST_GeometryType(geom) ORDER BY id) FROM location WHERE id BETWEEN 100 AND 104")" \
    "POLYGON,LINESTRING,MULTIPOINT,GEOMETRYCOLLECTION,MULTIPOLYGON" \
    "every geometry type is stored as itself"
like "$(printf '%s\n' "$out" | sed -n 1p)" '"geometry":\{"type":"Polygon","coordinates":\[\[\[0,0\],\[1,0\],\[1,1\],\[0,1\],\[0,0\]\]\]\},"properties":\{"zone":"a"\}' \
    "the polygon reads back as GeoJSON"

# A bare geometry with --id; "-" is standard input.
echo '{"type":"Point","coordinates":[-0.1276,51.5072]}' >"$T/bare.json"
run_cmd_in "$T/bare.json" geoput --no-notify --id 200 --user 9 -
is "$rc" 0 "a bare geometry with --id is stored"
is "$(field 200 "ST_AsText(geom), user_id")" "POINT(-0.1276 51.5072)	9" \
    "with the id and user given on the command line"

# A flat object, and NDJSON mixing every form.
cat >"$T/batch.ndjson" <<'EOF'
{"id":300,"lon":10,"lat":20}
{"id":301,"lon":11,"lat":21,"userId":5,"properties":{"speed":12}}
{"type":"Feature","id":302,"geometry":{"type":"Point","coordinates":[12,22]}}

{"type":"FeatureCollection","features":[{"type":"Feature","id":303,"geometry":{"type":"Point","coordinates":[13,23]}}]}
{"type":"Point","coordinates":[14,24]}
EOF
run_cmd_in "$T/batch.ndjson" geoput --no-notify --id 304 --prop src=batch
is "$rc" 0 "an NDJSON batch of every form is stored"
is "$(q "SELECT GROUP_CONCAT(CONCAT(id, ':', ST_AsText(geom), ':', properties) ORDER BY id SEPARATOR ' ') FROM location WHERE id BETWEEN 300 AND 304")" \
    '300:POINT(10 20):{"src":"batch"} 301:POINT(11 21):{"src":"batch","speed":12} 302:POINT(12 22):{"src":"batch"} 303:POINT(13 23):{"src":"batch"} 304:POINT(14 24):{"src":"batch"}' \
    "each record is stored, --prop filling in every one"
is "$(printf '%s\n' "$out" | sed 's/.*"id":\([0-9]*\),.*/\1/' | tr '\n' ' ')" \
    "300 301 302 303 304 " "records are printed in input order"

# The same id twice in one batch: the last one wins, once.
printf '%s\n' '{"id":400,"lon":1,"lat":1}' '{"id":401,"lon":2,"lat":2}' \
    '{"id":400,"lon":3,"lat":3}' >"$T/dup.ndjson"
run_cmd_in "$T/dup.ndjson" geoput --no-notify
is "$(printf '%s\n' "$out" | sed 's/.*"id":\([0-9]*\),.*"coordinates":\(\[[^]]*\]\).*/\1\2/' | tr '\n' ' ')" \
    "401[2,2] 400[3,3] " "a repeated id is stored and printed once, with its last value"

# Ids at the edge, -q, --jq on standard input.
run_cmd geoput --no-notify -q --id 9007199254740991 --lon 0 --lat 0
is "$rc$out" 0 "the largest id, 2^53-1, is stored; -q prints nothing"
is "$(field 9007199254740991 id)" 9007199254740991 "and is kept exactly"
printf '%s\n' '{"points":[{"n":"500","x":1.5,"y":2.5},{"n":"501","x":3.5,"y":4.5}]}' >"$T/vendor.json"
run_cmd_in "$T/vendor.json" geoput --no-notify \
    --jq '.points[] | {id: .n, lon: .x, lat: .y}'
is "$rc" 0 "--jq reshapes standard input into records"
is "$(q "SELECT GROUP_CONCAT(ST_AsText(geom) ORDER BY id) FROM location WHERE id IN (500, 501)")" \
    "POINT(1.5 2.5),POINT(3.5 4.5)" "each output of the filter is a record"

# Empty input stores nothing and is not an error.
run_cmd_in /dev/null geoput --no-notify
is "$rc$out$err" 0 "empty input: nothing to do, exit 0"

# Input that is not there.
run_cmd geoput --no-notify "$T/nonexistent.json"
is "$rc" 66 "a missing FILE exits 66 (EX_NOINPUT)"
like "$err" "nonexistent.json: No such file" "and names it"
run_cmd geoput --no-notify --id 1 --lon 1
is "$rc" 64 "--lon without --lat is a usage error"
run_cmd geoput --no-notify --lon 1 --lat 1
is "$rc" 64 "--lon and --lat without --id is a usage error"
run_cmd geoput --no-notify --id 1 --lon x --lat 1
is "$rc" 64 "a --lon that is not a number is a usage error"
run_cmd geoput --no-notify --id 'a b' --lon 1 --lat 1
is "$rc" 64 "--id that is no id is a usage error"
run_cmd geoput --no-notify a.json b.json
is "$rc" 64 "two FILE operands are a usage error"
done_testing
