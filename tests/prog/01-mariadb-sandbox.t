#!/usr/bin/env bash
# scripts/mariadb-sandbox: two private servers side by side, each kept to its
# own directory, answering on their sockets, stopped cleanly.
. "$(dirname "$0")/lib.sh"

sandbox=$TOP/scripts/mariadb-sandbox
need mariadbd have mariadbd /usr/sbin/mariadbd

a=$T/a b=$T/b
at_exit "'$sandbox' stop '$a'; '$sandbox' stop '$b'"

run_cmd "$sandbox" start "$a"
is "$rc" 0 "first sandbox starts"
like "$out" "^GEOROOM_DB=mysql://georoom:georoom@localhost/georoom\?socket=$a/mysqld.sock" \
    "start prints the connection URL"
run_cmd "$sandbox" start "$b" --tcp
is "$rc" 0 "second sandbox starts beside it, with TCP"
port=$(cat "$b/port" 2>/dev/null)
like "$port" '^[0-9]+$' "the TCP sandbox records its port"

q() { mariadb --defaults-file="$1/my.cnf" -N -B -e "$2" 2>&1; }
is "$(q "$a" 'SELECT @@datadir')" "$a/data/" "first server uses its own data directory"
is "$(q "$b" 'SELECT @@datadir')" "$b/data/" "second server uses its own data directory"
is "$(q "$a" 'SELECT @@skip_networking')" "1" "first server has TCP off"
is "$(q "$a" 'SELECT @@tmpdir')" "$a/tmp" "temporary files stay inside the directory"
got=$(mariadb --no-defaults -h 127.0.0.1 -P "$port" -u georoom -pgeoroom \
    georoom -N -B -e 'SELECT DATABASE()' 2>&1)
is "$got" "georoom" "second server answers on 127.0.0.1:$port"

q "$a" 'CREATE TABLE t (x INT)' >/dev/null
is "$(q "$b" "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema='georoom' AND table_name='t'")" \
    "0" "the two servers share nothing"

run_cmd "$sandbox" start "$a"
is "$rc" 0 "start on a running sandbox is harmless"

apid=$(cat "$a/mariadbd.pid")
run_cmd "$sandbox" stop "$a"
is "$rc" 0 "stop exits 0"
kill -0 "$apid" 2>/dev/null
is "$?" 1 "the server process is gone after stop"
run_cmd "$sandbox" status "$a"
[ "$rc" -ne 0 ]
ok $? "status reports a stopped sandbox"

run_cmd "$sandbox" start "$a"
is "$(q "$a" "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema='georoom' AND table_name='t'")" \
    "1" "data survives a restart"
run_cmd "$sandbox" stop "$a"
run_cmd "$sandbox" stop "$b"

leftover=$(find "$T" -maxdepth 1 -mindepth 1 ! -name a ! -name b ! -name '.out' ! -name '.err')
is "$leftover" "" "nothing written beside the two directories"

run_cmd "$sandbox" start
is "$rc" 64 "a missing directory is a usage error"
done_testing
