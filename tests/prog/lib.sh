# lib.sh - TAP helpers for georoom's program tests (sourced, bash).
#
# Each test gets its own temporary directory, removed by a trap together with
# every process the test started (by PID, never by name).  Conditions are
# polled until a deadline; nothing sleeps a fixed time and hopes.

set -u

TOP=${GEOROOM_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
BIN=${GEOROOM_BIN:-$TOP/bin}
export PATH="$BIN:$PATH"

T=$(mktemp -d "${TMPDIR:-/tmp}/georoom-test.XXXXXX")
_tap_n=0
_tap_failed=0
_pids=()
_cleanups=()

# Runs at exit: cleanup hooks (newest first), then the test's processes.
_finish() {
	local i f
	# A failed test shows the end of each server log it kept, for CI.
	if [ "$_tap_failed" -gt 0 ]; then
		for f in "$T"/*.log; do
			[ -f "$f" ] || continue
			diag "last lines of $(basename "$f"):"
			tail -n 25 "$f" | sed 's/^/#   /'
		done
	fi
	for ((i = ${#_cleanups[@]} - 1; i >= 0; i--)); do
		eval "${_cleanups[i]}" >/dev/null 2>&1 || true
	done
	for pid in "${_pids[@]}"; do
		kill "$pid" 2>/dev/null || true
	done
	for pid in "${_pids[@]}"; do
		wait "$pid" 2>/dev/null || true
	done
	rm -rf "$T"
}
trap _finish EXIT
trap 'exit 130' INT TERM

plan() { echo "1..$1"; }

# Remembers a background process for cleanup.
track() { _pids+=("$1"); }

# Remembers a command to run at exit.
at_exit() { _cleanups+=("$1"); }

ok() {
	local cond=$1
	shift
	_tap_n=$((_tap_n + 1))
	if [ "$cond" -eq 0 ]; then
		echo "ok $_tap_n - $*"
	else
		echo "not ok $_tap_n - $*"
		_tap_failed=$((_tap_failed + 1))
	fi
}

# is GOT WANT NAME
is() {
	local got=$1 want=$2
	shift 2
	if [ "$got" = "$want" ]; then
		ok 0 "$@"
	else
		ok 1 "$@"
		printf '#   got:  %s\n#   want: %s\n' "$got" "$want"
	fi
}

# like GOT REGEX NAME
like() {
	local got=$1 re=$2
	shift 2
	if printf '%s' "$got" | grep -Eq -- "$re"; then
		ok 0 "$@"
	else
		ok 1 "$@"
		printf '#   got:  %s\n#   want match: %s\n' "$got" "$re" |
		    head -20
	fi
}

diag() { printf '# %s\n' "$*"; }

skip_all() {
	echo "1..0 # SKIP $*"
	exit 0
}

# have COMMAND [PATH]: COMMAND is on PATH, or PATH is executable.
have() {
	command -v "$1" >/dev/null 2>&1 || { [ -n "${2:-}" ] && [ -x "$2" ]; }
}

# control REQUEST: one request to georoomd's control socket ($GEOROOM_SOCKET),
# its one-line reply on stdout.
control() {
	perl -MIO::Socket::UNIX -e '
	    my $s = IO::Socket::UNIX->new(Peer => $ARGV[0]) or die "$!\n";
	    print $s $ARGV[1], "\n"; print scalar <$s>' "$GEOROOM_SOCKET" "$1"
}

# stat_of NAME: one counter of georoomd's stats reply.
stat_of() {
	control '{"op":"stats"}' | sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p"
}

# need WHAT COMMAND...: the rest of the test needs WHAT, which
# scripts/install-deps installs; COMMAND tells whether it is there.  Without
# it the test fails, since a skip would let make check pass having tested
# nothing; on a machine that goes without on purpose,
# GEOROOM_SKIP_MISSING=1 skips the rest instead.
need() {
	local what=$1
	shift
	"$@" >/dev/null 2>&1 && return 0
	if [ -n "${GEOROOM_SKIP_MISSING:-}" ]; then
		[ "$_tap_n" -eq 0 ] &&
		    skip_all "$what not installed (scripts/install-deps)"
		diag "SKIP the rest: $what not installed (scripts/install-deps)"
		done_testing
	fi
	ok 1 "$what is installed (scripts/install-deps; GEOROOM_SKIP_MISSING=1 skips)"
	done_testing
}

# wait_for SECONDS COMMAND...: polls COMMAND until it succeeds or time is up.
wait_for() {
	local end=$((SECONDS + $1))
	shift
	until "$@"; do
		[ $SECONDS -lt $end ] || return 1
		sleep 0.05
	done
}

# run_cmd: runs a command, leaving its stdout, stderr and status in
# $out, $err and $rc.
run_cmd() {
	"$@" >"$T/.out" 2>"$T/.err" </dev/null
	rc=$?
	out=$(cat "$T/.out")
	err=$(cat "$T/.err")
}

# A private MariaDB in $T/db for the test; exports GEOROOM_DB.
start_mariadb() {
	local url
	url=$("$TOP/scripts/mariadb-sandbox" start "$T/db" "$@" |
	    sed -n 's/^GEOROOM_DB=//p') || return 1
	[ -n "$url" ] || return 1
	at_exit "'$TOP/scripts/mariadb-sandbox' stop '$T/db'"
	export GEOROOM_DB=$url
}

# start_redis [SANDBOX-ARGS...]: starts a private Redis with
# scripts/redis-sandbox in $REDIS_DIR ($T/redis unless set), on a free
# loopback port and a unix socket, and waits for it to answer; exports
# REDIS_URL, REDIS_SOCKET_URL (when it listens there), REDIS_PORT and
# REDIS_PID, the server's own PID, which a test may kill -STOP or kill -9.
# Started again in the same directory, it gets the same port.  Stopped at
# exit.
_redis_dirs=" "
start_redis() {
	local dir=${REDIS_DIR:-$T/redis} out
	out=$("$TOP/scripts/redis-sandbox" start "$dir" "$@") || return 1
	case "$_redis_dirs" in
	*" $dir "*) ;;
	*)
		_redis_dirs="$_redis_dirs$dir "
		at_exit "'$TOP/scripts/redis-sandbox' stop '$dir'" ;;
	esac
	REDIS_URL=$(printf '%s\n' "$out" | sed -n 's/^REDIS_URL=//p')
	REDIS_SOCKET_URL=$(printf '%s\n' "$out" |
	    sed -n 's/^REDIS_SOCKET_URL=//p')
	REDIS_PORT=$(cat "$dir/port" 2>/dev/null || true)
	REDIS_PID=$(printf '%s\n' "$out" | sed -n 's/^REDIS_PID=//p')
	export REDIS_URL REDIS_SOCKET_URL REDIS_PORT REDIS_PID
	[ -n "$REDIS_PID" ]
}

# stop_redis: stops the Redis of $REDIS_DIR ($T/redis) and waits for it to
# exit; sets $rc.
stop_redis() {
	"$TOP/scripts/redis-sandbox" stop "${REDIS_DIR:-$T/redis}"
	rc=$?
}

# Prints the plan after the tests, so that no count is kept by hand.
done_testing() {
	echo "1..$_tap_n"
	[ "$_tap_failed" -eq 0 ]
	exit $?
}

# start_georoomd [ARGS...]: starts georoomd on a free port with its control
# socket in $T; waits for it to listen; exports GEOROOMD_PORT,
# GEOROOM_SOCKET and GEOROOMD_PID.  Each start logs to its own file, named
# in $GEOROOMD_LOG.
_georoomd_starts=0
start_georoomd() {
	_georoomd_starts=$((_georoomd_starts + 1))
	local log=$T/georoomd-$_georoomd_starts.log
	GEOROOMD_LOG=$log
	export GEOROOM_SOCKET=${GEOROOM_SOCKET:-$T/control.sock}
	: >"$log"
	georoomd -p 0 -c "$GEOROOM_SOCKET" "$@" 2>>"$log" &
	GEOROOMD_PID=$!
	track "$GEOROOMD_PID"
	export GEOROOMD_PID
	if ! wait_for 10 grep -q 'listening on .* port [0-9]' "$log"; then
		diag "georoomd did not start:"
		sed 's/^/#   /' "$log"
		return 1
	fi
	GEOROOMD_PORT=$(sed -n 's/.*listening on .* port \([0-9]*\) .*/\1/p' \
	    "$log" | tail -1)
	export GEOROOMD_PORT
}

# stop_georoomd: SIGTERM, then waits for the process to exit; sets $rc.
stop_georoomd() {
	kill -TERM "$GEOROOMD_PID" 2>/dev/null
	wait "$GEOROOMD_PID"
	rc=$?
}

# run_tap SCRIPT COMMAND...: runs COMMAND, which prints "ok DESC",
# "not ok DESC" and "# note" lines, and reports each as a numbered test;
# SCRIPT names it in the last one, that it ran to its end.
run_tap() {
	local line name
	name=$(basename "$1")
	shift
	while IFS= read -r line; do
		case "$line" in
		"ok "*) ok 0 "${line#ok }" ;;
		"not ok "*) ok 1 "${line#not ok }" ;;
		"#"*) echo "$line" ;;
		"exit "*) is "${line#exit }" 0 "$name ran to its end" ;;
		*) diag "$line" ;;
		esac
	done < <(timeout 120 "$@" 2>&1; echo "exit $?")
}

# py_tap SCRIPT [ARGS...]: run_tap for a Python script (Debian's python3,
# which has the python3-* packages, whatever python is first on PATH).
py_tap() { run_tap "$1" /usr/bin/python3 "$@"; }

# node_tap SCRIPT [ARGS...]: run_tap for a Node script.
node_tap() {
	NODE_PATH="$TOP/tests/node/node_modules:$TOP/tests/node" \
	    run_tap "$1" node "$@"
}

# start_http_fixture: serves files from $T/web with tests/prog/http-fixture.pl
# on a free loopback port; sets $web (the directory) and $base (its URL).
start_http_fixture() {
	web=$T/web
	mkdir -p "$web"
	perl "$TOP/tests/prog/http-fixture.pl" "$web" 2>"$T/fixture.log" &
	track $!
	wait_for 10 test -s "$web/port" || return 1
	base=http://127.0.0.1:$(cat "$web/port")
}

# free_port: prints a TCP port of 127.0.0.1 that was free a moment ago.
free_port() {
	perl -MIO::Socket::INET -e 'print IO::Socket::INET->new(
	    Listen => 1, LocalAddr => "127.0.0.1", LocalPort => 0,
	    ReuseAddr => 1)->sockport, "\n"'
}

# nginx_example PROXY_PORT HUB_PORT [API_PORT [TLS_PORT CERT KEY]]: writes
# $T/nginx/nginx.conf, a minimal nginx.conf around
# examples/nginx/georoom.conf with this test's ports (nginx on
# 127.0.0.1:PROXY_PORT, georoomd on HUB_PORT, the API on API_PORT) and,
# with TLS_PORT, its TLS server block on that port with CERT and KEY
# (without, the block is left out); sets $nginx to the nginx binary.
# Start it with "$nginx" -p "$T/nginx" -c "$T/nginx/nginx.conf".
nginx_example() {
	local user=""
	nginx=$(command -v nginx || echo /usr/sbin/nginx)
	mkdir -p "$T/nginx/tmp"
	sed -e "s/listen 80;/listen 127.0.0.1:$1;/" \
	    -e "s/server 127.0.0.1:3030;/server 127.0.0.1:$2;/" \
	    -e "s/server 127.0.0.1:3000;/server 127.0.0.1:${3:-3000};/" \
	    -e "s/listen 443 ssl;/listen 127.0.0.1:${4:-443} ssl;/" \
	    -e "s|/etc/letsencrypt/live/maps.example.org/fullchain.pem|${5:-}|" \
	    -e "s|/etc/letsencrypt/live/maps.example.org/privkey.pem|${6:-}|" \
	    -e "s|alias /usr/local/share/georoom/map/;|alias $TOP/examples/map/;|" \
	    "$TOP/examples/nginx/georoom.conf" |
	    awk -v tls="${4:-}" '
		# A top-level server block is held until its end: the TLS
		# one is left out when no TLS port was given.
		/^server \{/ { held = $0 "\n"; inblock = 1; next }
		inblock { held = held $0 "\n" }
		inblock && /^\}/ {
			inblock = 0
			if (tls != "" || held !~ /listen [^\n]* ssl;/)
				printf "%s", held
			next
		}
		!inblock { print }
	    ' >"$T/nginx/georoom.conf"
	[ "$(id -u)" -eq 0 ] && user="user root root;"
	cat >"$T/nginx/nginx.conf" <<EOF2
$user
daemon off;
worker_processes 1;
pid $T/nginx/nginx.pid;
error_log $T/nginx.log warn;
events { worker_connections 256; }
http {
	access_log $T/nginx/access.log;
	client_body_temp_path $T/nginx/tmp/body;
	proxy_temp_path $T/nginx/tmp/proxy;
	fastcgi_temp_path $T/nginx/tmp/fastcgi;
	uwsgi_temp_path $T/nginx/tmp/uwsgi;
	scgi_temp_path $T/nginx/tmp/scgi;
	include $T/nginx/georoom.conf;
}
EOF2
}

# start_nginx_example HUB_PORT: the example (nginx_example) on a free
# port, exported as PROXY_PORT, in front of a hub to come on HUB_PORT;
# needs nginx (else the test fails, as need says).
start_nginx_example() {
	nginx=$(command -v nginx || echo /usr/sbin/nginx)
	need nginx test -x "$nginx"
	PROXY_PORT=$(free_port)
	export PROXY_PORT
	nginx_example "$PROXY_PORT" "$1"
	"$nginx" -p "$T/nginx" -c "$T/nginx/nginx.conf" 2>>"$T/nginx.log" &
	track $!
}
