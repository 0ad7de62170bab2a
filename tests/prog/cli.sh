# cli.sh - helpers for georoom-cli's program tests (sourced after lib.sh).
#
# Every process is tracked by PID for lib.sh's cleanup; every wait polls a
# condition until a deadline.

# start_sio_server NAME [ARGS...]: starts tests/node/sio-server.js, the
# stock socket.io server; sets SIO_PORT, SIO_PID and SIO_LOG.
start_sio_server() {
	local name=$1
	shift
	SIO_LOG=$T/sio-$name.log
	: >"$SIO_LOG"
	NODE_PATH=$TOP/tests/node/node_modules \
	    node "$TOP/tests/node/sio-server.js" "$@" >>"$SIO_LOG" 2>&1 &
	SIO_PID=$!
	track "$SIO_PID"
	if ! wait_for 20 grep -q '^port [0-9]' "$SIO_LOG"; then
		diag "sio-server did not start:"
		sed 's/^/#   /' "$SIO_LOG"
		return 1
	fi
	SIO_PORT=$(sed -n 's/^port //p' "$SIO_LOG" | tail -1)
}

# cli_bg NAME ARGS...: runs georoom-cli ARGS in the background with its
# output in $T/NAME.out and $T/NAME.err, its exit status written to
# $T/NAME.rc when it ends.  Standard input is /dev/null, or $CLI_IN;
# standard output goes to $CLI_OUT instead when set.
cli_bg() {
	local name=$1
	shift
	rm -f "$T/$name.pid" "$T/$name.rc"
	: >"$T/$name.err"
	[ -n "${CLI_OUT:-}" ] || : >"$T/$name.out"
	(
		georoom-cli "$@" >"${CLI_OUT:-$T/$name.out}" \
		    2>"$T/$name.err" <"${CLI_IN:-/dev/null}" &
		echo $! >"$T/$name.pid"
		wait $!
		echo $? >"$T/$name.rc"
	) &
	track $!
	wait_for 10 test -s "$T/$name.pid" || return 1
	track "$(cat "$T/$name.pid")"
}

# cli_wait NAME SECONDS: waits for NAME to end; sets rc ("timeout" if not).
cli_wait() {
	if wait_for "$2" test -s "$T/$1.rc"; then
		rc=$(cat "$T/$1.rc")
	else
		rc=timeout
	fi
}

# cli_stop NAME: ends NAME with SIGTERM and waits; sets rc.
cli_stop() {
	kill -TERM "$(cat "$T/$1.pid")" 2>/dev/null
	cli_wait "$1" 10
}

# lines FILE: how many lines FILE holds (0 when missing).
lines() {
	if [ -f "$1" ]; then
		wc -l <"$1" | tr -d ' '
	else
		echo 0
	fi
}

# has_lines FILE N: true once FILE holds at least N lines.
has_lines() {
	[ "$(lines "$1")" -ge "$2" ]
}

# count_matches FILE REGEX: how many lines of FILE match.
count_matches() {
	grep -cE -- "$2" "$1" 2>/dev/null || true
}

# has_matches FILE REGEX N: true once at least N lines of FILE match.
has_matches() {
	[ "$(count_matches "$1" "$2")" -ge "$3" ]
}
