#!/usr/bin/env bash
# String ids: stored under their text and named back as strings, integer
# ids as numbers; a table made before string ids still takes integers and
# refuses strings, naming the migration, which examples/migrate-string-ids.sql
# performs; a real socket.io-client in room "B-12" hears its vehicle
# (tests/node/geoput-feeds.js).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/geoput.sh"

setup_db

# ids: the stored ids of table ${1:-location}, in order.
ids() {
	q "SELECT GROUP_CONCAT(id ORDER BY id SEPARATOR ' ') FROM ${1:-location}"
}

like "$(q 'SHOW CREATE TABLE location' | cut -f2-)" \
    '`id` varchar\(64\) CHARACTER SET ascii COLLATE ascii_bin NOT NULL' \
    "--init-db keys the table by the id's text, compared byte for byte"

printf '%s\n' '{"id":"B-12","lon":1,"lat":1}' '{"id":"b-12","lon":2,"lat":2}' \
    '{"id":42,"lon":3,"lat":3}' '{"id":"007","lon":4,"lat":4}' \
    '{"id":7,"lon":5,"lat":5}' \
    '{"type":"Feature","id":"gtfs:trip_1.2","geometry":{"type":"Point","coordinates":[6,6]}}' \
    >"$T/ids.ndjson"
run_cmd geoput --no-notify "$T/ids.ndjson"
is "$rc:$err" "0:" "string and integer ids are stored"
is "$(ids)" "007 42 7 B-12 b-12 gtfs:trip_1.2" \
    "each under its text; \"007\" is not 7, \"B-12\" not \"b-12\""
is "$(printf '%s\n' "$out" | sed 's/.*"id":\([^,]*\),.*/\1/' | tr '\n' ' ')" \
    '"B-12" "b-12" 42 "007" 7 "gtfs:trip_1.2" ' \
    "an integer id is printed as a number, any other as a string"
run_cmd geoput --no-notify --id 42 --lon 9 --lat 9
is "$(q "SELECT ST_AsText(geom) FROM location WHERE id='42'")" "POINT(9 9)" \
    "--id 42 names the same location as \"id\":42"
run_cmd geoput --no-notify --id B-12 --lon 8 --lat 8
is "$rc:$(q "SELECT COUNT(*) FROM location")" "0:6" "--id takes a string id"
run_cmd geoput --no-notify --id "$(printf 'x%.0s' {1..65})" --lon 1 --lat 1
is "$rc" 64 "an id of 65 bytes is a usage error"

# A table as geoput made it before string ids.
q "CREATE TABLE old (
  id BIGINT UNSIGNED NOT NULL, user_id BIGINT UNSIGNED NULL,
  geom GEOMETRY REF_SYSTEM_ID=4326 NOT NULL, properties JSON NULL,
  updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)
      ON UPDATE CURRENT_TIMESTAMP(6),
  PRIMARY KEY (id), SPATIAL INDEX geom (geom)) ENGINE=InnoDB" >/dev/null
run_cmd geoput --no-notify --table old --id 5 --lon 1 --lat 1
is "$rc:$err" "0:" "an integer-keyed table still takes integer ids"
like "$out" '^\{"type":"Feature","id":5,' "and prints them as numbers"
printf '%s\n' '{"id":6,"lon":1,"lat":1}' '{"id":"B-12","lon":1,"lat":1}' >"$T/mixed.ndjson"
run_cmd geoput --no-notify --table old "$T/mixed.ndjson"
is "$rc" 65 "a string id for an integer-keyed table exits 65"
like "$err" '^geoput: .*mixed.ndjson:2: id: "B-12" is not an integer, and table `old` keys by integers \(see Migrating in geoput\(1\)\)' \
    "the message names the record, the table and the migration"
is "$(ids old)" "5" "nothing of the batch is written"
run_cmd geoput --no-notify -k --table old "$T/mixed.ndjson"
is "$rc:$(ids old)" "65:5 6" "with --keep-going the integer ids are stored"
run_cmd geoput --init-db --table old
is "$rc" 0 "--init-db leaves an integer-keyed table as it is"
like "$err" 'table `old` keys by integers: string ids need it migrated' \
    "and says it needs migrating"

# The migration the man page gives, as shipped.
sed 's/`location`/`old`/' "$TOP/examples/migrate-string-ids.sql" >"$T/migrate.sql"
mariadb --defaults-file="$T/db/my.cnf" <"$T/migrate.sql"
ok $? "examples/migrate-string-ids.sql runs"
run_cmd geoput --no-notify --table old "$T/mixed.ndjson"
is "$rc:$err" "0:" "the migrated table takes string ids"
is "$(ids old)" "5 6 B-12" "and keeps the integer ids, as their text"
run_cmd geoput --no-notify --table old --id 5 --lon 2 --lat 2
like "$out" '^\{"type":"Feature","id":5,' "an old integer id is still the number"
is "$(q 'SELECT COUNT(*) FROM old')" 3 "and still the same row"

# An id column that folds case would merge "B-12" and "b-12".
q "CREATE TABLE folds LIKE location" >/dev/null
q "ALTER TABLE folds MODIFY id VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci NOT NULL" >/dev/null
run_cmd geoput --no-notify --table folds --id B-12 --lon 1 --lat 1
is "$rc" 78 "an id column that is not compared byte for byte exits 78"
like "$err" 'column id of table `folds` is neither an integer nor a string compared byte for byte' \
    "and says why"

# End to end through georoomd to a socket.io-client in room "B-12".
need node have node
need socket.io-client test -d "$TOP/tests/node/node_modules/socket.io-client"
start_georoomd || { ok 1 "georoomd starts"; done_testing; }
node_tap "$TOP/tests/node/geoput-feeds.js"
done_testing
