#!/usr/bin/env bash
# geoput and the database: the schema (--init-db and examples/schema.sql
# agree), connection parameters from the URL, TCP, option files, and each
# failure with its exit status: missing table, access denied, bad URLs,
# server down.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/geoput.sh"

setup_db --tcp
sock=$T/db/mysqld.sock
port=$(cat "$T/db/port")

run_cmd geoput --init-db
is "$rc" 0 "--init-db on an existing table succeeds (idempotent)"
is "$out$err" "" "--init-db is silent"

# The SQL file makes the same table as --init-db.
qroot "CREATE DATABASE fromfile; GRANT ALL ON fromfile.* TO 'georoom'@'localhost'" >/dev/null
mariadb --defaults-file="$T/db/my.cnf" fromfile <"$TOP/examples/schema.sql"
ok $? "examples/schema.sql loads"
a=$(q "SHOW CREATE TABLE georoom.location" | cut -f2-)
b=$(q "SHOW CREATE TABLE fromfile.location" | cut -f2-)
is "$b" "$a" "examples/schema.sql makes the table --init-db makes"
for t in location_history location_fence geoput_batch; do
	is "$(q "SHOW CREATE TABLE fromfile.$t" | cut -f2-)" \
	    "$(q "SHOW CREATE TABLE georoom.$t" | cut -f2-)" \
	    "and the same $t"
done
like "$a" 'SPATIAL KEY `geom` \(`geom`\)' "the geometry column has a spatial index"
like "$a" '`updated_at` timestamp\(6\) NOT NULL' "updated_at keeps microseconds"
srid=$(q "SELECT CONCAT(F_TABLE_SCHEMA, ':', SRID) FROM information_schema.GEOMETRY_COLUMNS WHERE F_TABLE_NAME='location' ORDER BY 1" | tr '\n' ' ')
is "$srid" "fromfile:4326 georoom:4326 " "both geometry columns are declared in SRID 4326"

run_cmd geoput --no-notify --id 1 --lon 13.4 --lat 52.5
is "$rc" 0 "a location is stored over the URL's Unix socket"
is "$(q 'SELECT ST_SRID(geom), ST_X(geom), ST_Y(geom) FROM location WHERE id=1')" \
    "4326	13.4	52.5" "the value carries SRID 4326, longitude as X"

# Another table, created on demand.
run_cmd geoput --no-notify --table fleet --id 1 --lon 1 --lat 2
is "$rc" 78 "a missing table exits 78 (EX_CONFIG)"
like "$err" "fleet' doesn't exist; run 'geoput --init-db --table fleet'" \
    "the message names the table and the command that creates it"
run_cmd geoput --init-db --table fleet
is "$rc" 0 "--init-db --table creates another table"
run_cmd geoput --no-notify --table fleet --id 1 --lon 1 --lat 2
is "$(rows fleet)" 1 "records go to the table named"
run_cmd geoput --no-notify --table 'a b' --id 1 --lon 1 --lat 2
is "$rc" 64 "a table name that is not an identifier is a usage error"

# A table of that name without geoput's columns.
q "CREATE TABLE other (id INT PRIMARY KEY)" >/dev/null
run_cmd geoput --init-db --table other
is "$rc" 78 "--init-db on a table lacking the columns exits 78"
like "$err" "Unknown column" "and says which column is missing"

# The URL over TCP, with every part.
run_cmd geoput --no-notify --db "mysql://georoom:georoom@127.0.0.1:$port/georoom" \
    --id 2 --lon 2 --lat 2
is "$rc" 0 "a TCP URL with user, password, host, port and database works"
like "$out" '"id":2' "and the stored record is printed"

run_cmd geoput --no-notify --db "mysql://georoom:wrong@127.0.0.1:$port/georoom" \
    --id 3 --lon 3 --lat 3
is "$rc" 77 "a wrong password exits 77 (EX_NOPERM)"
like "$err" "Access denied for user 'georoom'" "and says access was denied"
unlike_secret=$(printf '%s' "$err" | grep -c wrong)
is "$unlike_secret" 0 "the message does not repeat the password"

run_cmd geoput --no-notify --db "postgres://x@y/z" --id 3 --lon 3 --lat 3
is "$rc" 64 "a --db that is not a mysql:// URL is a usage error"
like "$err" "^geoput: --db: expected a URL starting with mysql://" "and says so"
GEOROOM_DB="mysql://u@h:99999/d" run_cmd geoput --no-notify --id 3 --lon 3 --lat 3
is "$rc" 78 "a bad GEOROOM_DB exits 78 (EX_CONFIG)"
like "$err" 'GEOROOM_DB: port "99999"' "and names the variable"

# Option files: [client] and [geoput], no password on the command line.
cat >"$HOME/.my.cnf" <<EOF
[client]
password=georoom

[geoput]
user=georoom
socket=$sock
database=georoom
EOF
GEOROOM_DB= run_cmd env -u GEOROOM_DB geoput --no-notify --id 4 --lon 4 --lat 4
is "$rc" 0 "with no URL at all, ~/.my.cnf's [client] and [geoput] groups connect"
run_cmd geoput --no-notify --db "mysql://georoom@localhost/georoom?socket=$sock" \
    --id 5 --lon 5 --lat 5
is "$rc" 0 "a URL without a password takes it from the option file"
printf '[geoput]\npassword=nope\n' >>"$HOME/.my.cnf"
run_cmd env -u GEOROOM_DB geoput --no-notify --id 6 --lon 6 --lat 6
is "$rc" 77 "[geoput] overrides [client]"
rm -f "$HOME/.my.cnf"
is "$(rows)" 4 "four locations stored so far"

# A failure in the middle of a batch leaves nothing of it: the server
# refuses id 1500, in the second statement of 2000 rows.
q "ALTER TABLE location ADD CONSTRAINT no1500 CHECK (id <> 1500)" >/dev/null
seq 1001 3000 | awk '{ printf "{\"id\":%d,\"lon\":1,\"lat\":1}\n", $1 }' >"$T/batch.ndjson"
run_cmd geoput --no-notify "$T/batch.ndjson"
is "$rc" 65 "a value the server refuses exits 65 (EX_DATAERR)"
like "$err" "^geoput: database: upserting: CONSTRAINT .no1500. failed" \
    "and the message gives the server's reason"
is "$out" "" "nothing is printed"
is "$(rows)" 4 "the rows of the first statement were rolled back too"
q "ALTER TABLE location DROP CONSTRAINT no1500" >/dev/null

# A lock held elsewhere past the lock wait timeout: try again later.
qroot "SET GLOBAL innodb_lock_wait_timeout = 1" >/dev/null
mkfifo "$T/hold"
# -n: the holder prints each result at once, so its output tells when the
# row is locked.
mariadb --defaults-file="$T/db/my.cnf" -n -N -B <"$T/hold" >"$T/holder.out" 2>&1 &
track $!
exec 7>"$T/hold"
echo "START TRANSACTION; SELECT id FROM location WHERE id = 1 FOR UPDATE;" >&7
locked() {
	grep -qx 1 "$T/holder.out"
}
wait_for 30 locked
held=$?
[ $held -eq 0 ] || sed "s/^/# holder: /" "$T/holder.out"
ok $held "another session holds a lock on id 1"
run_cmd geoput --no-notify --id 1 --lon 9 --lat 9
is "$rc" 75 "a lock wait timeout exits 75 (EX_TEMPFAIL)"
like "$err" "Lock wait timeout exceeded" "and says so"
echo "ROLLBACK;" >&7
exec 7>&-

# The server goes away.
"$TOP/scripts/mariadb-sandbox" stop "$T/db"
run_cmd geoput --no-notify --id 7 --lon 7 --lat 7
is "$rc" 69 "with the server down, geoput exits 69 (EX_UNAVAILABLE)"
like "$err" "geoput: database: cannot connect: Can't connect to local server through socket '$sock'" \
    "and says it cannot connect, and where"
run_cmd geoput --init-db
is "$rc" 69 "--init-db too"
run_cmd geoput --no-notify --timeout 1 \
    --db "mysql://georoom:georoom@127.0.0.1:$port/georoom" --id 7 --lon 7 --lat 7
is "$rc" 69 "over TCP too"
done_testing
