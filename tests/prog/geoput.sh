# geoput.sh - helpers for geoput's program tests (sourced after lib.sh).

# Nothing from the caller's environment steers a test.
unset GEOROOM_DB GEOROOM_SOCKET XDG_RUNTIME_DIR MARIADB_HOME MYSQL_HOME
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy
unset no_proxy NO_PROXY
export HOME=$T/home
mkdir -p "$HOME"

# q SQL: runs SQL as the test's database user; prints tab-separated rows.
q() {
	mariadb --defaults-file="$T/db/my.cnf" -N -B -e "$1" 2>&1
}

# qroot SQL: the same as the server's root (socket authentication).
qroot() {
	mariadb --no-defaults --socket="$T/db/mysqld.sock" --user=root -N -B \
	    -e "$1" 2>&1
}

# rows [TABLE]: the number of rows in TABLE (location).
rows() {
	q "SELECT COUNT(*) FROM ${1:-location}"
}

# A private MariaDB with the table created.
setup_db() {
	need mariadbd have mariadbd /usr/sbin/mariadbd
	start_mariadb "$@" || { ok 1 "the MariaDB sandbox starts"; done_testing; }
	geoput --init-db || { ok 1 "geoput --init-db"; done_testing; }
}
