#!/usr/bin/env bash
# Validation before any write: each kind of invalid input exits 65 with the
# line and the field named and nothing written, not even the valid records
# beside it; --keep-going stores the valid ones and reports each invalid one.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/geoput.sh"

setup_db
geoput --no-notify -q --id 1 --lon 1 --lat 1
stamp=$(q "SELECT updated_at FROM location WHERE id=1")
good='{"id":2,"lon":2,"lat":2}'

# bad NAME LINE2 MESSAGE-REGEX: line 1 is valid, line 2 is LINE2.
bad() {
	local name=$1 line=$2 want=$3
	printf '%s\n%s\n' "$good" "$line" >"$T/in.ndjson"
	geoput --no-notify <"$T/in.ndjson" >"$T/.out" 2>"$T/.err"
	rc=$?
	is "$rc" 65 "$name: exits 65 (EX_DATAERR)"
	like "$(head -1 "$T/.err")" "^geoput: <stdin>:2: $want" \
	    "$name: the message names the line and the field"
	is "$(rows):$(cat "$T/.out")" "1:" "$name: nothing written, nothing printed"
}

bad "latitude out of range" '{"id":3,"lon":13.4,"lat":91}' \
    'lat: latitude 91 out of range \[-90, 90\]$'
bad "longitude out of range in a Feature" \
    '{"type":"Feature","id":3,"geometry":{"type":"Point","coordinates":[180.5,0]}}' \
    'geometry.coordinates\[0\]: longitude 180.5 out of range \[-180, 180\]$'
bad "a latitude that is not finite" \
    '{"type":"Feature","id":3,"geometry":{"type":"Point","coordinates":[0,1e999]}}' \
    'geometry.coordinates\[1\]: number 1e999 is out of range of a double$'
bad "a coordinate that is a string" '{"id":3,"lon":"13.4","lat":1}' \
    'lon: longitude must be a number, got string$'
bad "a ring that is not closed" \
    '{"type":"Feature","id":3,"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}}' \
    'geometry.coordinates\[0\]: linear ring is not closed: first position \[0,0\], last \[0,1\]$'
bad "a ring of three positions" \
    '{"type":"Feature","id":3,"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]}}' \
    'geometry.coordinates\[0\]: a linear ring needs at least 4 positions, got 3$'
bad "a line of one position" \
    '{"type":"Feature","id":3,"geometry":{"type":"LineString","coordinates":[[0,0]]}}' \
    'geometry.coordinates: needs at least 2 positions, got 1$'
bad "an unknown geometry type" \
    '{"type":"Feature","id":3,"geometry":{"type":"Circle","coordinates":[0,0]}}' \
    'geometry.type: "Circle" is not a geometry type$'
bad "a missing id" '{"type":"Feature","geometry":{"type":"Point","coordinates":[0,0]}}' \
    'id: missing \(give one in the input, or --id\)$'
bad "an id that is neither an integer nor an id string" '{"id":"a b","lon":1,"lat":1}' \
    'id: must be an integer from 1 to 9007199254740991 or a string of 1 to 64 letters, digits and "._:-", got "a b"$'
bad "an id beyond 2^53-1" '{"id":9007199254740992,"lon":1,"lat":1}' \
    'id: must be an integer from 1 to 9007199254740991'
# Ids and user ids past the range of a double, or not numbers at all:
# refused, naming the field (these once crashed geoput with SIGSEGV).
# nan is no JSON at all, so it is bad JSON; 1e400 is JSON no double holds.
for v in 1e400 -1e400 nan; do
	pre=
	[ "$v" = nan ] && pre='bad JSON: '
	bad "an id of $v" "{\"id\":$v,\"lon\":1,\"lat\":1}" "${pre}id: "
	bad "a user id of $v" "{\"id\":3,\"userId\":$v,\"lon\":1,\"lat\":1}" \
	    "${pre}userId: "
done
# What libjq's parser reads but JSON does not allow, or no double holds,
# is refused rather than stored as null, 1.7976931348623157e+308 or
# U+FFFD: the line and the field are named.
bad "a property of nan" '{"id":3,"lon":1,"lat":1,"properties":{"speed":nan}}' \
    'bad JSON: properties.speed: nan is not JSON$'
bad "a property of 1e400" '{"id":3,"lon":1,"lat":1,"properties":{"speed":1e400}}' \
    'properties.speed: number 1e400 is out of range of a double$'
bad "a property of -1e400 in a collection" \
    '{"type":"FeatureCollection","features":[{"type":"Feature","id":3,"geometry":{"type":"Point","coordinates":[0,0]},"properties":{"a":[-1e400]}}]}' \
    'features\[0\]\.properties\.a\[0\]: number -1e400 is out of range of a double$'
bad "a property of invalid UTF-8" \
    "$(printf '{"id":3,"lon":1,"lat":1,"properties":{"name":"caf\351"}}')" \
    'bad JSON: properties.name: invalid UTF-8 in a string$'
bad "a property name of invalid UTF-8" \
    "$(printf '{"id":3,"lon":1,"lat":1,"properties":{"\377":1}}')" \
    'bad JSON: properties: invalid UTF-8 in a member name$'
# Properties deeper than the server's JSON check takes (see below).
# nest N: N levels in all, properties included, arrays and objects in turn.
nest() {
	local n=$1 v=1 i
	for ((i = 2; i <= n; i++)); do
		if ((i % 2)); then v="{\"b\":$v}"; else v="[$v]"; fi
	done
	printf '{"a":%s}' "$v"
}
bad "properties 32 levels deep" \
    "{\"id\":41,\"lon\":1,\"lat\":1,\"properties\":$(nest 32)}" \
    'properties.a: more than 31 levels of arrays and objects \(the database refuses deeper JSON\)$'
bad "a bad feature in a collection" \
    '{"type":"FeatureCollection","features":[{"type":"Feature","id":4,"geometry":{"type":"Point","coordinates":[0,0]}},{"type":"Feature","id":5,"geometry":{"type":"Point","coordinates":[0,-95]}}]}' \
    'features\[1\]\.geometry\.coordinates\[1\]: latitude -95 out of range'
bad "a line that is not JSON" '{"id":3,"lon":1,"lat":}' 'bad JSON: '
bad "a value that is no record" '[{"id":3,"lon":1,"lat":1}]' \
    "expected a Feature, .* got array \(for a list, try --jq '\.\[\]'\)$"
bad "properties that are not an object" '{"id":3,"lon":1,"lat":1,"properties":[1]}' \
    'properties: expected an object or null, got array$'
bad "an unknown member of a flat record" '{"id":3,"lng":1,"lat":1}' \
    'unknown member "lng"'

# Flags are input too.
run_cmd geoput --no-notify --id 3 --lon 13.4 --lat 91
is "$rc" 65 "--lat out of range exits 65"
like "$err" "^geoput: command line:1: lat: latitude 91 out of range" \
    "and names the flag's field"

# --prop values libjq would store as null, DBL_MAX or U+FFFD: a bad option
# value, as bad JSON in --prop is.
for p in 'speed:=nan' 'speed:=1e400' 'speed:={"a":-1e400}' "$(printf 'name=caf\351')" \
    "$(printf 'name:="caf\351"')" "$(printf '\351=1')"; do
	run_cmd geoput --no-notify --id 3 --lon 1 --lat 1 --prop "$p"
	is "$rc" 64 "--prop $(printf '%q' "$p"): exits 64 (EX_USAGE)"
	like "$err" "^geoput: --prop: (speed|name|property name)" "and names the property"
	is "$(q 'SELECT COUNT(*) FROM location WHERE id=3')" 0 "nothing written"
done

# A jq filter: compile errors are usage errors, runtime errors bad input.
run_cmd geoput --no-notify --jq '.[' /dev/null
is "$rc" 64 "a --jq filter that does not compile exits 64"
like "$err" "^geoput: --jq: jq: error: syntax error" "with jq's message, on one line"
printf '%s\n' '{"a":[1]}' '{"a":"x"}' >"$T/jq.ndjson"
geoput --no-notify --jq '{id: 6, lon: (.a[0]), lat: 1}' "$T/jq.ndjson" \
    >"$T/.out" 2>"$T/.err"
is "$?" 65 "a jq runtime error exits 65"
like "$(cat "$T/.err")" '^geoput: .*jq.ndjson:2: jq: Cannot index string with number' \
    "and names the file, the line and jq's error"
is "$(rows)" 1 "nothing written"

# Numbers a filter makes that JSON cannot hold: refused, not stored as
# null or 1.7976931348623157e+308.
printf '%s\n' '{"id":6,"lon":1,"lat":1}' >"$T/jq2.ndjson"
for f in nan infinite -infinite; do
	geoput --no-notify --jq ".properties.speed = $f" "$T/jq2.ndjson" \
	    >"$T/.out" 2>"$T/.err"
	is "$?" 65 "a filter making a property of $f exits 65"
	like "$(cat "$T/.err")" '^geoput: .*jq2.ndjson:1: properties.speed: not a finite number' \
	    "and names the line and the field"
done
is "$(rows)" 1 "nothing written"

is "$(q "SELECT updated_at FROM location WHERE id=1")" "$stamp" \
    "the existing row was never touched"

# Many errors: the first 20 are shown, then a count.
for i in $(seq 1 30); do echo "{\"id\":$i,\"lon\":1,\"lat\":100}"; done >"$T/many.ndjson"
geoput --no-notify "$T/many.ndjson" >/dev/null 2>"$T/.err"
is "$?" 65 "thirty invalid records exit 65"
is "$(grep -c 'latitude 100' "$T/.err")" 20 "twenty are shown"
like "$(cat "$T/.err")" "and 10 more" "the rest are counted"
like "$(tail -1 "$T/.err")" "30 invalid inputs; nothing written" "the last line sums up"

# --keep-going: the valid records are stored, each invalid one reported.
cat >"$T/mixed.ndjson" <<'EOF'
{"id":10,"lon":10,"lat":10}
{"id":11,"lon":11,"lat":110}
{"type":"FeatureCollection","features":[{"type":"Feature","id":12,"geometry":{"type":"Point","coordinates":[12,12]}},{"type":"Feature","geometry":{"type":"Point","coordinates":[13,13]}}]}
not json
{"id":14,"lon":14,"lat":14}
EOF
geoput --no-notify --keep-going "$T/mixed.ndjson" >"$T/.out" 2>"$T/.err"
is "$?" 65 "--keep-going still exits 65 when anything was invalid"
is "$(q 'SELECT GROUP_CONCAT(id ORDER BY id) FROM location')" "1,10,12,14" \
    "--keep-going stores the valid records"
is "$(wc -l <"$T/.out")" 3 "and prints them"
err=$(cat "$T/.err")
like "$err" "mixed.ndjson:2: lat: latitude 110" "it reports the invalid flat record"
like "$err" "mixed.ndjson:3: features\[1\]\.id: missing" "the invalid feature of the collection"
like "$err" "mixed.ndjson:4: bad JSON" "and the line that is not JSON"
like "$err" "3 invalid inputs skipped \(--keep-going\)" "and counts them"

# --keep-going skips the value that is not JSON and stores the others.
printf '%s\n' '{"id":15,"lon":1,"lat":1}' '{"id":16,"lon":1,"lat":1,"properties":{"x":nan}}' \
    '{"id":17,"lon":1,"lat":1,"properties":{"x":1e999}}' >"$T/lax.ndjson"
geoput --no-notify --keep-going "$T/lax.ndjson" >"$T/.out" 2>"$T/.err"
is "$?" 65 "--keep-going with values that are not JSON exits 65"
is "$(q 'SELECT GROUP_CONCAT(id ORDER BY id) FROM location WHERE id BETWEEN 15 AND 17')" \
    15 "and stores only the good one"
like "$(cat "$T/.err")" "lax.ndjson:2: bad JSON: properties.x: nan is not JSON" \
    "naming the line and field of nan"
like "$(cat "$T/.err")" "lax.ndjson:3: properties.x: number 1e999 is out of range" \
    "and of 1e999"

# Depth: MariaDB's JSON column is CHECK (JSON_VALID(properties)), which
# takes 31 levels of arrays and objects and refuses 32.  geoput checks
# the same line per record, so that one deep record is named, and skipped
# with --keep-going, instead of rolling back the whole batch unnamed.
is "$(q "SELECT JSON_VALID('$(nest 31)'), JSON_VALID('$(nest 32)')")" "1	0" \
    "the server's JSON_VALID takes 31 levels and refuses 32"
printf '%s\n' "{\"id\":40,\"lon\":1,\"lat\":1,\"properties\":$(nest 31)}" \
    >"$T/deep31.ndjson"
geoput --no-notify -q "$T/deep31.ndjson" 2>"$T/.err"
is "$?:$(cat "$T/.err")" "0:" "properties 31 levels deep are stored"
is "$(q 'SELECT JSON_DEPTH(properties) FROM location WHERE id=40')" 32 \
    "as they were given (JSON_DEPTH counts the number inside too)"
q 'DELETE FROM location WHERE id=40' >/dev/null
printf '%s\n' '{"id":42,"lon":1,"lat":1}' \
    "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"id\":43,\"geometry\":{\"type\":\"Point\",\"coordinates\":[1,1]}},{\"type\":\"Feature\",\"id\":44,\"geometry\":{\"type\":\"Point\",\"coordinates\":[1,1]},\"properties\":$(nest 40)}]}" \
    '{"id":45,"lon":1,"lat":1}' >"$T/deep.ndjson"
geoput --no-notify -q --keep-going "$T/deep.ndjson" 2>"$T/.err"
is "$?" 65 "--keep-going with a record too deep exits 65"
is "$(q 'SELECT GROUP_CONCAT(id ORDER BY id) FROM location WHERE id BETWEEN 40 AND 49')" \
    "42,43,45" "and stores every other record, its neighbour in the collection too"
like "$(cat "$T/.err")" "deep.ndjson:2: features\[1\]\.properties\.a: more than 31 levels" \
    "naming the line and the feature"
run_cmd geoput --no-notify --id 46 --lon 1 --lat 1 --prop "deep:=$(nest 32 | sed 's/^{"a"://; s/}$//')"
is "$rc" 64 "--prop with a value 31 levels deep (32 in the properties) exits 64"
like "$err" "^geoput: --prop: deep: more than 31 levels" "and names the property"

# A namespace the hub could never serve is refused before the write, by
# the hub's own rule, rather than stored and then refused by the hub.
for ns in '/a,b' "$(printf '/a\tb')" fleet; do
	run_cmd geoput --hub "$T/nohub.sock" --ns "$ns" --id 20 --lon 1 --lat 1
	is "$rc" 64 "--ns '$ns': exits 64 (EX_USAGE)"
	like "$err" "^geoput: --ns '$ns': " "and names the option"
	is "$(q 'SELECT COUNT(*) FROM location WHERE id=20')" 0 \
	    "--ns '$ns': nothing written"
done

# The size cap.
head -c 2000 /dev/zero | tr '\0' ' ' >"$T/big.json"
run_cmd geoput --no-notify --max-size 1000 "$T/big.json"
is "$rc" 65 "input beyond --max-size exits 65"
like "$err" "larger than 1000 bytes \(--max-size\)" "and says so"
done_testing
