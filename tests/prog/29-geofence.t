#!/usr/bin/env bash
# Geofences on the real MariaDB with a running georoomd: geofence add, list
# and remove, bad polygons refused; geoput announces event "fence" to room
# fence:<id> when a location enters or leaves a fence (georoom-cli members
# of those rooms hear it), nothing for moves within a fence or outside all,
# unchanged or older updates, two overlapping fences each on their own;
# a batch that fails, mid-way or at its end, announces nothing; the
# lookup uses the spatial index (EXPLAIN); the events go through Redis too.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/geoput.sh"
. "$(dirname "$0")/cli.sh"

setup_db
start_georoomd || { ok 1 "georoomd starts"; done_testing; }
export GEOROOM_URL=ws://127.0.0.1:$GEOROOMD_PORT

# square X0 Y0 X1 Y1: a Polygon from (X0, Y0) to (X1, Y1).
square() {
	printf '{"type":"Polygon","coordinates":[[[%s,%s],[%s,%s],[%s,%s],[%s,%s],[%s,%s]]]}\n' \
	    "$1" "$2" "$3" "$2" "$3" "$4" "$1" "$4" "$1" "$2"
}

# add, list, remove.
square 0 0 2 2 >"$T/a.json"
run_cmd geofence add A --name 'Zone A' "$T/a.json"
is "$rc:$out:$err" "0::" "geofence add stores a Polygon"
printf '%s\n' '{"type":"Feature","properties":{"name":"B"},"geometry":{"type":"MultiPolygon","coordinates":[[[[1,1],[3,1],[3,3],[1,3],[1,1]]]]}}' \
    >"$T/b.json"
geofence add 7 <"$T/b.json"
is "$?" 0 "and a Feature of a MultiPolygon from standard input, named by its property"
square 50 50 51 51 | geofence add far -
run_cmd geofence list
is "$(printf '%s\n' "$out" | sed 's/,"created_at":"[^"]*"//')" \
    '{"type":"Feature","id":7,"geometry":{"type":"MultiPolygon","coordinates":[[[[1,1],[3,1],[3,3],[1,3],[1,1]]]]},"properties":{"name":"B"}}
{"type":"Feature","id":"A","geometry":{"type":"Polygon","coordinates":[[[0,0],[2,0],[2,2],[0,2],[0,0]]]},"properties":{"name":"Zone A"}}
{"type":"Feature","id":"far","geometry":{"type":"Polygon","coordinates":[[[50,50],[51,50],[51,51],[50,51],[50,50]]]},"properties":{"name":null}}' \
    "geofence list prints one Feature a line, by id"
is "$(q "SELECT ST_SRID(geom) FROM location_fence WHERE id = 'A'")" 4326 \
    "in SRID 4326"
run_cmd geofence list --collection
like "$out" '^\{"type":"FeatureCollection","features":\[
\{"type":"Feature","id":7,.*\},
\{"type":"Feature","id":"A",.*\},
\{"type":"Feature","id":"far",.*\}
\]\}$' "--collection prints one FeatureCollection"
square 0 0 9 9 | geofence add far
run_cmd geofence remove far nope
is "$rc" 65 "remove of a missing fence exits 65"
is "$err" "geofence: no fence 'nope'" "and names it"
is "$(q 'SELECT GROUP_CONCAT(id ORDER BY id) FROM location_fence')" "7,A" \
    "the other is removed"
like "$(q 'SHOW CREATE TABLE location_fence' | cut -f2-)" 'SPATIAL KEY `geom` \(`geom`\)' \
    "the fences' table has a spatial index"

# Bad fences: each refused, naming the field.
while IFS='|' read -r input want; do
	printf '%s\n' "$input" >"$T/bad.json"
	run_cmd geofence add X "$T/bad.json"
	is "$rc:$err" "65:geofence: $T/bad.json: $want" "refused: $want"
done <<'BAD'
{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}|coordinates[0]: linear ring is not closed: first position [0,0], last [0,1]
{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]}|coordinates[0]: a linear ring needs at least 4 positions, got 3
{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,95],[0,0]]]}|coordinates[0][2][1]: latitude 95 out of range [-90, 90]
{"type":"Point","coordinates":[0,0]}|expected a Polygon or MultiPolygon or a Feature of one, got Point
{"type":"Feature","geometry":{"type":"LineString","coordinates":[[0,0],[1,1]]}}|geometry: expected a Polygon or MultiPolygon, got LineString
{"type":"Polygon"|the text ends inside the value
BAD
is "$(q "SELECT COUNT(*) FROM location_fence WHERE id = 'X'")" 0 "none is stored"
run_cmd geofence add 'a b' "$T/a.json"
is "$rc" 64 "a bad fence id is a usage error"
run_cmd geofence add X "$T/missing.json"
is "$rc" 66 "a missing file exits 66"

# Listeners in the fences' rooms, printing each event's data.
cli_bg fa join fence:A -e fence -d -v
cli_bg fb join fence:7 -e fence -d -v
wait_for 10 grep -q "joined room fence:A" "$T/fa.err" &&
    wait_for 10 grep -q "joined room fence:7" "$T/fb.err"
ok $? "georoom-cli members join fence:A and fence:7"

# put LON LAT [ID]: one position of location v1 (or ID).
put() {
	geoput -q --id "${3:-v1}" --lon "$1" --lat "$2" >/dev/null 2>"$T/put.err"
}
# heard NAME: the events NAME heard, as "event id fence" lines; an event
# whose fence does not carry the name it was added with stays as it is.
heard() {
	sed 's/^{"fence":\([^,]*\),"name":"Zone A","id":\([^,]*\),"event":"\([a-z]*\)",.*/\3 \2 \1/
	    s/^{"fence":\([^,]*\),"name":"B","id":\([^,]*\),"event":"\([a-z]*\)",.*/\3 \2 \1/' \
	    "$T/$1.out" | tr -d '"'
}
# heard_line NAME LINE: true once NAME heard LINE.
heard_line() {
	heard "$1" | grep -qx "$2"
}

put 0.5 0.5      # first position inside A: enter A
put 0.6 0.6      # within A: nothing
put 1.5 1.5      # into A and B: enter B
put 2.5 2.5      # out of A, still in B: exit A
put 5 5          # out of B: exit B
put 6 6          # outside all: nothing
put 6 6          # unchanged: nothing
geoput -q <<<'{"id":"v1","lon":1,"lat":1,"time":1000000000}' 2>/dev/null # older: skipped
put 0.5 1.5 v2   # the end mark: v2 enters A
wait_for 10 grep -q v2 "$T/fa.out"
is "$(heard fa)" "enter v1 A
exit v1 A
enter v2 A" "fence:A hears v1 enter and leave, then v2: no more"
wait_for 10 has_lines "$T/fb.out" 2
is "$(heard fb)" "enter v1 7
exit v1 7" "fence:7, overlapping A, hears v1 on its own"
line=$(grep '"id":"v2"' "$T/fa.out")
like "$line" '^\{"fence":"A","name":"Zone A","id":"v2","event":"enter","feature":\{"type":"Feature","id":"v2","geometry":\{"type":"Point","coordinates":\[0.5,1.5\]\},"properties":\{\},"userId":null,"updated_at":"[0-9T:.-]*Z"\}\}$' \
    "the event carries the fence, its name, the location's id, enter and its Feature"

# One batch: only the positions before and after it are compared.
printf '%s\n' '{"id":"v3","lon":0.5,"lat":0.5}' '{"id":"v3","lon":2.5,"lat":2.5}' \
    '{"id":7,"lon":1.2,"lat":1.2}' | geoput -q
put 0.2 0.2 v2   # mark: v2 moves within A; then leaves it
put 9 9 v2
wait_for 10 heard_line fa "exit v2 A"
is "$(heard fa | tail -n +4)" "enter 7 A
exit v2 A" "in a batch, v3 passing through A is not heard; integer id 7 is"
wait_for 10 has_lines "$T/fb.out" 4
is "$(heard fb | tail -n +3)" "enter v3 7
enter 7 7" "and fence 7 hears v3 and 7 enter"
like "$(grep '"id":7,' "$T/fb.out")" '^\{"fence":7,"name":"B","id":7,"event":"enter",' \
    "integer ids are numbers in the event"

# A batch that fails announces nothing: an invalid record after 1500
# valid ones, then a server error in the second chunk.
awk 'BEGIN { print "{\"id\":\"v4\",\"lon\":0.5,\"lat\":0.5}";
    for (i = 1; i <= 1500; i++) printf "{\"id\":\"n%d\",\"lon\":40,\"lat\":40}\n", i;
    print "{\"id\":\"v4\",\"lon\":0.5,\"lat\":95}" }' >"$T/bad.ndjson"
run_cmd geoput -q "$T/bad.ndjson"
is "$rc" 65 "a batch with an invalid record at its end exits 65"
mariadb --no-defaults --socket="$T/db/mysqld.sock" --user=root georoom <<'SQL'
DELIMITER //
CREATE TRIGGER boom BEFORE INSERT ON location FOR EACH ROW
IF NEW.id = 'boom' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'boom'; END IF//
SQL
awk 'BEGIN { print "{\"id\":\"v4\",\"lon\":0.5,\"lat\":0.5}";
    for (i = 1; i <= 1500; i++) printf "{\"id\":\"n%d\",\"lon\":40,\"lat\":40}\n", i;
    print "{\"id\":\"boom\",\"lon\":0.5,\"lat\":0.5}" }' >"$T/boom.ndjson"
run_cmd geoput -q "$T/boom.ndjson"
is "$rc" 70 "a server error in the second chunk exits 70"
like "$err" "boom" "naming the server's error"
is "$(q "SELECT COUNT(*) FROM location WHERE id IN ('v4', 'n1')")" 0 \
    "nothing of either batch is stored"
qroot "DROP TRIGGER georoom.boom" >/dev/null
put 0.3 0.3 v5   # mark: v5 enters A and B
put 1.1 1.1 v5
wait_for 10 heard_line fb "enter v5 7"
is "$(heard fa | tail -n +6)" "enter v5 A" "fence:A heard nothing of the failed batches"
is "$(heard fb | tail -n +5)" "enter v5 7" "nor fence:7"

# Each event carries its fence's name: null for a fence without one; a
# name JSON must escape arrives escaped, its letters beyond ASCII as UTF-8.
square 20 20 21 21 | geofence add N -
square 20 20 22 22 | geofence add Q --name 'Café "Nord"' -
cli_bg fn join fence:N -e fence -d -v
cli_bg fq join fence:Q -e fence -d -v
wait_for 10 grep -q "joined room fence:N" "$T/fn.err" &&
    wait_for 10 grep -q "joined room fence:Q" "$T/fq.err"
ok $? "georoom-cli members join fence:N and fence:Q"
put 20.5 20.5 n1 # enters N and Q
wait_for 10 has_lines "$T/fn.out" 1 && wait_for 10 has_lines "$T/fq.out" 1
like "$(cat "$T/fn.out")" '^\{"fence":"N","name":null,"id":"n1","event":"enter",' \
    "a fence without a name gives \"name\":null"
like "$(cat "$T/fq.out")" '^\{"fence":"Q","name":"Café \\"Nord\\"","id":"n1","event":"enter",' \
    "a name with a quote and a letter beyond ASCII arrives as JSON"
cli_stop fn
cli_stop fq

# With a thousand fences the lookup goes through the spatial index: the
# server checks its range for each position (the statement of dbsql.c).
q "INSERT INTO location_fence (id, geom) SELECT CONCAT('g', seq),
    ST_GeomFromText(CONCAT('POLYGON((', seq % 300, ' 10, ', seq % 300 + 1,
    ' 10, ', seq % 300 + 1, ' 11, ', seq % 300, ' 11, ', seq % 300, ' 10))'), 4326)
    FROM seq_1_to_1000; ANALYZE TABLE location_fence" >/dev/null
is "$(q "EXPLAIN SELECT j.k, f.id, f.name FROM JSON_TABLE('[\"0101000000000000000000e03f000000000000e03f\"]',
    '\$[*]' COLUMNS (k FOR ORDINALITY, w LONGTEXT PATH '\$')) AS j JOIN location_fence AS f
    ON ST_Contains(f.geom, ST_GeomFromWKB(UNHEX(j.w), 4326))" | grep -P '^1\tSIMPLE\tf\t' | cut -f5,10)" \
    "geom	Range checked for each record (index map: 0x2)" \
    "EXPLAIN: the fences are found through their spatial index"
put 10.5 10.5 v7
is "$(q "SELECT COUNT(*) FROM location WHERE id = 'v7'")" 1 "and a location among them is stored"
q "DELETE FROM location_fence WHERE id LIKE 'g%'" >/dev/null

# No fence at all: geoput stores as before.
geofence remove A 7 N Q
run_cmd geoput -q --id v6 --lon 0.5 --lat 0.5
is "$rc:$err" "0:" "without fences geoput stores and exits 0"
q "DROP TABLE location_fence" >/dev/null
run_cmd geoput -q --id v6 --lon 0.6 --lat 0.5
is "$rc:$err" "0:" "without the fences' table too"
geoput --init-db
is "$(q "SELECT COUNT(*) FROM location_fence")" 0 "geoput --init-db creates it"
cli_stop fa
cli_stop fb

# Through Redis, to georoomd --redis, as the locations go.
if command -v redis-server >/dev/null && start_redis; then
	GEOROOM_SOCKET=$T/control2.sock start_georoomd --redis "$REDIS_URL" ||
	    ok 1 "georoomd --redis starts"
	geofence add A "$T/a.json"
	GEOROOM_URL=ws://127.0.0.1:$GEOROOMD_PORT cli_bg fr join fence:A -e fence -d -v
	wait_for 10 grep -q "joined room fence:A" "$T/fr.err"
	ok $? "a member joins fence:A on georoomd --redis"
	run_cmd geoput -q --redis "$REDIS_URL" --id r1 --lon 0.5 --lat 0.5
	is "$rc:$err" "0:" "geoput --redis stores a location inside A"
	wait_for 10 has_lines "$T/fr.out" 1
	like "$(cat "$T/fr.out")" '^\{"fence":"A","name":null,"id":"r1","event":"enter","feature":\{"type":"Feature","id":"r1",' \
	    "and the enter event reaches the room through Redis, A now nameless"
	cli_stop fr
else
	diag "redis-server not available: the --redis case is not run"
fi
done_testing
