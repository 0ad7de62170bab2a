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
	local i
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

# Prints the plan after the tests, so that no count is kept by hand.
done_testing() {
	echo "1..$_tap_n"
	[ "$_tap_failed" -eq 0 ]
	exit $?
}
