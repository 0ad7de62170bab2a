#!/usr/bin/env bash
# Honest updates on the real MariaDB: merge by default and --replace; a
# record's own time becomes updated_at, an older update is skipped and
# counted, within a run too; what changes nothing is printed but not
# announced (tests/node/geoput-feeds.js hears it); --keep-extra;
# --history rows and their pruning; a batch is all or nothing across its
# chunks.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/geoput.sh"

setup_db

# field ID COLUMNS: columns of one stored row.
field() {
	q "SELECT $2 FROM location WHERE id='$1'"
}
# put ARGS...: geoput --no-notify with ARGS, the input on stdin.
put() {
	geoput --no-notify "$@" >"$T/.out" 2>"$T/.err"
	rc=$?
	out=$(cat "$T/.out")
	err=$(cat "$T/.err")
}
utc="DATE_FORMAT(updated_at, '%Y-%m-%dT%H:%i:%s.%fZ')"

# Merge and replace.
put --id v1 --lon 1 --lat 1 --user 7 \
    --prop 'name=Bus 12' --prop 'cfg:={"a":1,"b":2}' </dev/null
is "$rc:$err" "0:" "a new location is stored"
put <<<'{"id":"v1","lon":2,"lat":2,"properties":{"speed":30,"cfg":{"b":null,"c":3}}}'
is "$(field v1 "ST_AsText(geom), user_id, properties")" \
    "POINT(2 2)	7	{\"name\": \"Bus 12\", \"cfg\": {\"a\": 1, \"c\": 3}, \"speed\": 30}" \
    "merge: user id kept, properties merged as an RFC 7396 patch"
like "$out" '"properties":\{"name":"Bus 12","cfg":\{"a":1,"c":3\},"speed":30\},"userId":7,' \
    "and the merged row is what is printed"
put <<<'{"id":"v1","lon":2,"lat":2,"properties":{"name":null}}'
is "$(field v1 properties)" '{"cfg": {"a": 1, "c": 3}, "speed": 30}' \
    "a property given as null is removed"
put <<<'{"id":"v9","lon":2,"lat":2,"properties":{"a":null,"b":{"c":null,"d":1}}}'
is "$(field v9 properties)" '{"b":{"d":1}}' \
    "a new location is the patch merged into nothing: no nulls"
put --replace <<<'{"id":"v1","lon":3,"lat":3,"properties":{"x":1}}'
is "$(field v1 "ST_AsText(geom), user_id IS NULL, properties")" \
    "POINT(3 3)	1	{\"x\":1}" "--replace replaces user id and properties"

# A record's own time.
put <<<'{"id":"t1","lon":1,"lat":1,"time":"2026-11-25T11:00:00.5+01:00"}'
is "$(field t1 "$utc")" "2026-11-25T10:00:00.500000Z" \
    "an RFC 3339 time with an offset becomes updated_at, in UTC"
like "$out" '"updated_at":"2026-11-25T10:00:00.500000Z"' "and is printed so"
put <<<'{"id":"t1","lon":2,"lat":2,"time":1795600799000}'
is "$rc:$(field t1 "ST_AsText(geom)")" "0:POINT(1 1)" \
    "an older update (epoch milliseconds) is skipped, exit 0"
is "$out" "" "and not printed"
is "$err" "geoput: 1 record skipped: older than the location stored" \
    "a warning counts it"
put <<<'{"id":"t1","lon":3,"lat":3,"time":"1795600800.5"}'
is "$(field t1 "ST_AsText(geom), $utc")" "POINT(3 3)	2026-11-25T10:00:00.500000Z" \
    "an update as new as the stored one is stored (epoch seconds in a string)"
printf '%s\n' '{"type":"Feature","id":"t1","geometry":{"type":"Point","coordinates":[4,4]},"properties":{"ts":"2026-11-25T10:00:01Z"}}' >"$T/in"
put --time-field ts <"$T/in"
is "$(field t1 "ST_AsText(geom), $utc")" "POINT(4 4)	2026-11-25T10:00:01.000000Z" \
    "--time-field names the property holding the time"
put <<<'{"id":"t1","lon":5,"lat":5}'
like "$(field t1 "$utc")" '^20[0-9]{2}-' "a record without a time takes the server's"
is "$(field t1 "updated_at > '2026-11-25 10:00:01'")" 1 "which is later here"
for bad in '"2026-02-30T00:00:00Z"' '"2026-11-25 10:00"' '4e9' '"2039-01-01T00:00:00Z"' '-1'; do
	put <<<"{\"id\":\"t2\",\"lon\":1,\"lat\":1,\"time\":$bad}"
	is "$rc:$out" "65:" "a time of $bad is invalid input, exit 65"
done
like "$err" '^geoput: <stdin>:1: time: -1 is not a time in seconds or milliseconds' \
    "naming the line and the field"

# Out of order within one run: the newest of an id wins, once.
printf '%s\n' \
    '{"id":"o1","lon":1,"lat":1,"time":100000}' \
    '{"id":"o2","lon":1,"lat":1,"time":100000}' \
    '{"id":"o1","lon":2,"lat":2,"time":300000}' \
    '{"id":"o1","lon":3,"lat":3,"time":200000}' \
    '{"id":"o2","lon":4,"lat":4,"time":100000}' >"$T/in"
put <"$T/in"
is "$(printf '%s\n' "$out" | sed 's/.*"id":"\([^"]*\)".*"coordinates":\(\[[^]]*\]\).*/\1\2/' | tr '\n' ' ')" \
    'o1[2,2] o2[4,4] ' \
    "the newest record of an id is stored and printed once; the last of equal times"
is "$err" "geoput: 1 record skipped: older than the location stored" \
    "the older one after it is skipped and counted"

# What changes nothing is stored and printed, updated_at moving on.
put --id u1 --lon 1 --lat 1 --prop a=1 </dev/null
s1=$(field u1 "$utc")
put --id u1 --lon 1 --lat 1 --prop a=1 </dev/null
is "$rc:$(printf '%s\n' "$out" | wc -l)" "0:1" "an unchanged update is printed"
[[ "$(field u1 "$utc")" > "$s1" ]]
ok $? "and its updated_at moved on"

# --keep-extra.
put <<<'{"id":"k1","lon":1,"lat":1,"speed":12,"heading":90}'
is "$rc" 65 "an unknown member of a flat record is refused"
like "$err" 'unknown member "speed" .*--keep-extra keeps others as properties\)' \
    "naming --keep-extra"
put --keep-extra <<<'{"id":"k1","lon":1,"lat":1,"speed":12,"heading":90,"properties":{"speed":13}}'
is "$(field k1 properties)" '{"speed":13,"heading":90}' \
    "--keep-extra keeps them as properties, under those given"

# --history.
is "$(q 'SELECT COUNT(*) FROM location_history')" 0 "no history without --history"
printf '%s\n' '{"id":"h1","lon":1,"lat":1,"time":1000000000}' \
    '{"id":"h1","lon":2,"lat":2,"time":1000000060}' \
    '{"id":"h2","lon":3,"lat":3,"time":1000000000}' >"$T/in"
put --history <"$T/in"
is "$(q "SELECT GROUP_CONCAT(CONCAT(id, '@', UNIX_TIMESTAMP(time), ':', ST_AsText(geom), ':', ST_SRID(geom)) ORDER BY id, time SEPARATOR ' ') FROM location_history")" \
    "h1@1000000060.000000:POINT(2 2):4326 h2@1000000000.000000:POINT(3 3):4326" \
    "each location stored is appended: the newest of a run, in SRID 4326"
put --history <<<'{"id":"h1","lon":5,"lat":5,"time":1000000120,"properties":{"p":1}}'
put --history <<<'{"id":"h1","lon":5,"lat":5,"time":1000000120,"properties":{"p":1}}'
put --history <<<'{"id":"h1","lon":6,"lat":6,"time":1000000001}'
is "$(q "SELECT GROUP_CONCAT(CONCAT(UNIX_TIMESTAMP(time), ':', ST_AsText(geom), ':', IFNULL(properties, '-')) ORDER BY time SEPARATOR ' ') FROM location_history WHERE id = 'h1'")" \
    "1000000060.000000:POINT(2 2):{} 1000000120.000000:POINT(5 5):{\"p\": 1}" \
    "the same update twice leaves one row, a skipped one none"
like "$(q 'SHOW CREATE TABLE location_history' | cut -f2-)" \
    'PRIMARY KEY \(`id`,`time`\)' "the history is keyed by id and time"
q "INSERT INTO location_history (id, time, geom) VALUES ('old', NOW() - INTERVAL 40 DAY, ST_GeomFromText('POINT(0 0)', 4326))" >/dev/null
run_cmd env MARIADB="mariadb --defaults-file=$T/db/my.cnf" \
    "$TOP/examples/cron/georoom-history-prune" 30
is "$rc:$out" "0:georoom-history-prune: 4 rows older than 30 days deleted from location_history" \
    "examples/cron/georoom-history-prune deletes what is older than 30 days"
is "$(q 'SELECT COUNT(*) FROM location_history')" 0 "and nothing is left of 2001"
q "DROP TABLE location_history" >/dev/null
put --history <<<'{"id":"h3","lon":1,"lat":1}'
is "$rc" 78 "--history without the history table exits 78"
like "$err" "location_history' doesn't exist; run 'geoput --init-db' to create" \
    "and names --init-db"
is "$(q "SELECT COUNT(*) FROM location WHERE id = 'h3'")" 0 "nothing is written"
geoput --init-db

# All or nothing across chunks: 2500 records, then a bad one.
awk 'BEGIN { for (i = 1; i <= 2500; i++) printf "{\"id\":\"c%d\",\"lon\":1,\"lat\":1}\n", i;
    print "{\"id\":\"c0\",\"lon\":1,\"lat\":99}" }' >"$T/chunks.ndjson"
before=$(rows)
put --history <"$T/chunks.ndjson"
is "$rc" 65 "an invalid record after two chunks were written exits 65"
is "$(rows):$(rows location_history)" "$before:0" "and nothing of the batch is committed"
put --history -q -k <"$T/chunks.ndjson"
is "$rc:$(rows):$(rows location_history)" "65:$((before + 2500)):2500" \
    "with --keep-going the 2500 valid ones are"
# The same ids again in two chunks, each newer: one print each.
awk 'BEGIN { for (i = 1; i <= 1200; i++) printf "{\"id\":\"d%d\",\"lon\":2,\"lat\":2,\"time\":1000000000}\n", i;
    for (i = 1; i <= 1200; i++) printf "{\"id\":\"d%d\",\"lon\":3,\"lat\":3,\"time\":1000000001}\n", i }' >"$T/in"
put <"$T/in"
is "$rc:$(printf '%s\n' "$out" | wc -l)" "0:1200" "a repeated id across chunks is printed once"
is "$(q "SELECT COUNT(*) FROM location WHERE id LIKE 'd%' AND ST_X(geom) = 3")" 1200 \
    "with its newest value"

# Two runs at once.  New ids side by side in the key, taken in opposite
# orders: READ COMMITTED takes no gap locks, so no deadlock.
awk 'BEGIN { for (i = 1; i <= 6000; i += 2) printf "{\"id\":\"n%05d\",\"lon\":1,\"lat\":1}\n", i }' >"$T/odd"
awk 'BEGIN { for (i = 6000; i >= 2; i -= 2) printf "{\"id\":\"n%05d\",\"lon\":2,\"lat\":2}\n", i }' >"$T/even"
geoput --no-notify -q <"$T/odd" 2>"$T/odd.err" & a=$!
geoput --no-notify -q <"$T/even" 2>"$T/even.err" & b=$!
wait $a; ra=$?
wait $b; rb=$?
is "$ra:$rb:$(q "SELECT COUNT(*) FROM location WHERE id LIKE 'n%'")" "0:0:6000" \
    "two runs inserting new ids at once both commit"
# The same ids in the same order, one run newer: the newer is stored,
# whichever commits last.
awk 'BEGIN { for (i = 1; i <= 3000; i++) printf "{\"id\":\"n%05d\",\"lon\":3,\"lat\":3,\"time\":1000000000}\n", i }' >"$T/older"
awk 'BEGIN { for (i = 1; i <= 3000; i++) printf "{\"id\":\"n%05d\",\"lon\":4,\"lat\":4,\"time\":1000000500}\n", i }' >"$T/newer"
q "UPDATE location SET updated_at = '2001-01-01' WHERE id LIKE 'n%'" >/dev/null
geoput --no-notify -q <"$T/older" 2>"$T/older.err" & a=$!
geoput --no-notify -q <"$T/newer" 2>"$T/newer.err" & b=$!
wait $a; ra=$?
wait $b; rb=$?
is "$ra:$rb:$(q "SELECT GROUP_CONCAT(DISTINCT ST_X(geom)) FROM location WHERE id <= 'n03000' AND id LIKE 'n%'")" \
    "0:0:4" "two runs updating the same ids at once store the newer update"
done_testing
