# shellcheck shell=bash
# bench-lib.sh - what scripts/bench and scripts/bench-cluster share, sourced
# by both once they are in the top directory ($top): installing and
# building what a run needs, the run's directory and the processes it
# started (all stopped by pid at exit), servers (georoomd, the Node peer, a
# private Redis), load generator runs and the records that
# tests/bench/report.js renders.  The caller sets $bench_name (for its
# messages) and $keep (a directory to copy the run's files to, or empty).

say() { printf '== %s\n' "$*" >&2; }
die() { echo "$bench_name: $1" >&2; exit "${2:-1}"; }

# Dependencies and builds -------------------------------------------------

peer_dir=$top/tests/bench/peer
loadgen=$top/build/rel/bench/loadgen

# bench_prepare: installs what is missing (scripts/install-deps, npm ci for
# the peer when its lock file changed), builds georoomd and the load
# generator, and lets each process hold as many descriptors as the hard
# limit allows.
bench_prepare() {
	local stamp sum
	scripts/install-deps >&2
	stamp=$peer_dir/node_modules/.georoom-lock-sum
	sum=$(sha256sum <"$peer_dir/package-lock.json")
	if [ "$(cat "$stamp" 2>/dev/null)" != "$sum" ]; then
		say "npm ci in tests/bench/peer"
		(cd "$peer_dir" && npm ci --no-audit --no-fund \
		    --loglevel=error) >&2
		printf '%s\n' "$sum" >"$stamp"
	fi
	make -s bin/georoomd bench-tools >&2
	ulimit -n "$(ulimit -Hn)"
}

# The run's directory and what is stopped at exit --------------------------

pids=()
stops=()

# bench_workdir: makes $work, removed at exit (after a copy to $keep), when
# every process in $pids is killed and every command in $stops is run.
bench_workdir() {
	work=$(mktemp -d "${TMPDIR:-/tmp}/georoom-$bench_name.XXXXXX")
	trap bench_cleanup EXIT
	trap 'exit 130' INT TERM
}

bench_cleanup() {
	local status=$? pid cmd
	trap - EXIT INT TERM
	for pid in "${pids[@]}"; do
		kill "$pid" 2>/dev/null || true
	done
	for pid in "${pids[@]}"; do
		wait "$pid" 2>/dev/null || true
	done
	for cmd in "${stops[@]}"; do
		eval "$cmd" >/dev/null 2>&1 || true
	done
	if [ -n "$keep" ]; then
		mkdir -p "$keep" && cp -r "$work"/. "$keep"/
	fi
	rm -rf "$work"
	exit "$status"
}

wait_for() {
	local end=$((SECONDS + $1))
	shift
	until "$@"; do
		[ $SECONDS -lt $end ] || return 1
		sleep 0.05
	done
}

free_port() {
	perl -MIO::Socket::INET -e 'print IO::Socket::INET->new(Listen => 1,
	    LocalAddr => "127.0.0.1", LocalPort => 0, ReuseAddr => 1)->sockport'
}

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# ctl SOCKET REQUEST: one request to a control socket, its reply line.
ctl() {
	perl -MIO::Socket::UNIX -e '
	    my $s = IO::Socket::UNIX->new(Peer => $ARGV[0]) or exit 1;
	    print $s $ARGV[1], "\n"; my $l = <$s>; defined $l or exit 1;
	    print $l' "$1" "$2"
}

# ctl_all SOCKET: the requests on standard input, one a line, through one
# connection; prints each reply, and fails unless every one came.
ctl_all() {
	perl -MIO::Socket::UNIX -e '
	    my $s = IO::Socket::UNIX->new(Peer => $ARGV[0]) or exit 1;
	    my $n = 0;
	    while (my $l = <STDIN>) { print $s $l; $n++; }
	    shutdown($s, 1);
	    while ($n > 0 && defined(my $r = <$s>)) { print $r; $n--; }
	    exit($n == 0 ? 0 : 1)' "$1"
}

# A number from a JSON object of one line.
field() { sed -n "s/.*\"$1\":\([0-9.]*\).*/\1/p" <<<"$2"; }

verified() { grep -q '"verified":true' <<<"$1"; }

# json KEY VALUE ...: an object; values other than numbers and true or
# false are quoted.
json() {
	local out= sep=
	while [ $# -ge 2 ]; do
		case "$2" in
		true|false) out="$out$sep\"$1\":$2" ;;
		''|*[!0-9.]*) out="$out$sep\"$1\":\"$2\"" ;;
		*) out="$out$sep\"$1\":$2" ;;
		esac
		sep=,
		shift 2
	done
	printf '{%s}' "$out"
}

# Servers ------------------------------------------------------------------

# start_hub NAME PORT [ARGS...]: georoomd on PORT with its control socket
# $work/NAME.sock and its log $work/NAME.log; sets hub_pid and hub_ctl once
# its control socket answers and, with --redis, its Redis link is up (its
# subscriptions confirmed).  Each hub's readiness is its own, so several
# may share one port (--reuse-port).
start_hub() {
	local name=$1 port=$2
	shift 2
	hub_ctl=$work/$name.sock
	bin/georoomd -q -p "$port" -c "$hub_ctl" "$@" \
	    2>>"$work/$name.log" &
	hub_pid=$!
	pids+=("$hub_pid")
	wait_for 10 hub_up "$hub_ctl" || die "georoomd $name did not start" 69
}

# hub_up SOCKET: the hub answers there, and its Redis link, if any, is up.
hub_up() {
	local s
	s=$(ctl "$1" '{"op":"stats"}' 2>/dev/null) || return 1
	case "$s" in
	*'"redis":'*) grep -q '"redis":"up"' <<<"$s" ;;
	*'"ok":true'*) ;;
	*) false ;;
	esac
}

# start_peer NAME [REDIS-URL]: the Node peer on a free port with its control
# socket $work/NAME.sock, on the Redis adapter when given a URL; sets
# peer_pid, peer_port and peer_ctl.
start_peer() {
	local name=$1 redis=${2:-}
	peer_ctl=$work/$name.sock
	node "$peer_dir/server.js" 0 "$peer_ctl" ${redis:+"$redis"} \
	    >"$work/$name.out" 2>>"$work/$name.log" &
	peer_pid=$!
	pids+=("$peer_pid")
	wait_for 20 grep -q '^listening on port' "$work/$name.out" ||
	    die "the peer $name did not start" 69
	peer_port=$(sed -n 's/^listening on port //p' "$work/$name.out")
}

stop_server() {
	kill "$1" 2>/dev/null || true
	wait "$1" 2>/dev/null || true
}

# start_redis NAME: a private redis-server in $work/NAME (stopped at exit);
# sets redis_url.
start_redis() {
	local dir=$work/$1 out
	out=$(scripts/redis-sandbox start "$dir" --tcp) ||
	    die "redis-server did not start" 69
	stops+=("scripts/redis-sandbox stop '$dir'")
	redis_url=$(sed -n 's/^REDIS_URL=//p' <<<"$out")
}

stop_redis() { scripts/redis-sandbox stop "$work/$1" >/dev/null; }

# Load generator runs ------------------------------------------------------

run_no=0

# lg_run VAR NAME ARGS...: one load generator run with ARGS (options, the
# scenario, the hubs); sets VAR to its JSON object, or to null when it
# printed none.  Each run has its own source addresses, 64 of them from
# 127.N.0.1 (unless ARGS say otherwise), so none waits on another's
# TIME_WAIT.
lg_run() {
	local lg_var=$1 lg_name=$2 lg_out
	shift 2
	run_no=$((run_no + 1))
	lg_out=$work/run-$run_no-$lg_name.json
	"$loadgen" -b "127.$((run_no % 250 + 1)).0.1" --timeout "$timeout" \
	    "$@" >"$lg_out" 2>>"$work/loadgen.log" ||
	    say "$lg_name: not verified (status $?)"
	if [ -s "$lg_out" ]; then
		printf -v "$lg_var" '%s' "$(cat "$lg_out")"
	else
		printf -v "$lg_var" null
	fi
}

# Records ------------------------------------------------------------------

records=
# The columns of the next records, a JSON array of labels; empty: the
# georoomd and Node peer pair of scripts/bench.
columns=

# record NAME UNIT BETTER FIELD SCALE PARAMS RESULT...: one scenario for
# tests/bench/report.js; FIELD (times SCALE) of each result is its figure.
record() {
	local sep= r
	[ -n "$records" ] || { records=$work/records.ndjson; : >"$records"; }
	printf '{"name":"%s","unit":"%s","better":"%s","field":"%s",' \
	    "$1" "$2" "$3" "$4" >>"$records"
	printf '"scale":%s,"params":%s,' "$5" "$6" >>"$records"
	[ -z "$columns" ] || printf '"columns":%s,' "$columns" >>"$records"
	shift 6
	printf '"results":[' >>"$records"
	for r; do
		printf '%s%s' "$sep" "$r" >>"$records"
		sep=,
	done
	printf ']}\n' >>"$records"
}

# machine PROFILE: the line that says where and how a run was taken, with
# $load_before, the load average before it.
machine() {
	local ram cpu m
	ram=$(awk '/^MemTotal:/ { printf "%.0f", $2 / 1048576 }' /proc/meminfo)
	cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
	m="$(nproc) x $cpu, $ram GiB RAM, Linux $(uname -r),"
	m="$m georoomd $(bin/georoomd --version | cut -d' ' -f2),"
	m="$m Node $(node --version), socket.io 4.8.4,"
	printf '%s %s profile, load average %s before the run' "$m" "$1" \
	    "$load_before"
}

# report [JSON]: the table (and the JSON) of every record.
report() {
	local line
	line=$(machine "$profile")
	echo "$line"
	node "$top/tests/bench/report.js" "$records" "$line" ${1:+"$1"}
}
