#!/usr/bin/env bash
# geoput --redis: stored locations announced through Redis as
# @socket.io/redis-emitter 5 does, to a Node socket.io server with the
# redis adapter and to georoomd --redis (tests/node/geoput-redis.js); a
# batch pipelined on one connection; and, Redis being down, refusing the
# login or stalling, the write standing with the hub-down exit statuses.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/geoput.sh"

need node have node
need socket.io-client test -d "$TOP/tests/node/node_modules/socket.io-client"
need redis-server command -v redis-server
setup_db
start_redis || { ok 1 "redis starts"; done_testing; }
url=$REDIS_URL port=$REDIS_PORT
start_georoomd -n /fleet --redis "$url" ||
	{ ok 1 "georoomd --redis starts"; done_testing; }

node_tap "$TOP/tests/node/geoput-redis.js"

# rstat FIELD... [-- REDIS-CLI-ARGS...]: numbers of one INFO (0 for a
# command never called) on the server at $url, or the one the arguments
# name, on one line.
rstat() {
	local fields=() info f v
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		fields+=("$1")
		shift
	done
	[ $# -gt 0 ] && shift
	[ $# -gt 0 ] || set -- -u "$url"
	info=$(redis-cli "$@" INFO all 2>/dev/null | tr -d '\r')
	for f in "${fields[@]}"; do
		v=$(printf '%s\n' "$info" |
		    sed -n "s/^$f:\(calls=\)\{0,1\}\([0-9]*\).*/\2/p")
		printf '%s\n' "${v:-0}"
	done | paste -sd ' '
}

# A batch: one connection, one PUBLISH a record, all of them answered.
seq 1 10000 | awk '{ printf "{\"id\":%d,\"lon\":%.3f,\"lat\":%.3f}\n", $1, $1 % 360 - 180, $1 % 180 - 90 }' \
    >"$T/batch.ndjson"
info=$(rstat total_connections_received cmdstat_publish)
conns=${info% *} pubs=${info#* }
start=$(date +%s%N)
run_cmd geoput -q --redis "$url" "$T/batch.ndjson"
ms=$((($(date +%s%N) - start) / 1000000))
is "$rc:$err" "0:" "a batch of 10000 records is stored and announced through Redis"
diag "10000 records stored and published in $ms ms"
is "$(rows)" 10000 "all are stored"
is "$(rstat total_connections_received cmdstat_publish)" \
    "$((conns + 2)) $((pubs + 10000))" \
    "geoput opens one Redis connection (this query another) and PUBLISHes once a record"

# Where and how: a unix socket, a database number, the key.
run_cmd geoput -q --redis "$REDIS_SOCKET_URL" --id 20001 --lon 1 --lat 1
is "$rc:$err" "0:" "a unix:// URL works"
run_cmd geoput -q --redis "$url/3" --id 20001 --lon 1 --lat 1
is "$rc:$err" "0:" "so does a database number"
run_cmd geoput -q --redis "$url/99" --id 20002 --lon 1 --lat 1
is "$rc" 78 "a database Redis lacks: exit 78 (EX_CONFIG)"
like "$err" "^geoput: redis at 127\.0\.0\.1:$port db 99 refused SELECT: ERR" \
    "and Redis's refusal is shown"
is "$(q 'SELECT COUNT(*) FROM location WHERE id=20002')" 1 "the location is stored all the same"
run_cmd geoput -q --redis-key '' --redis "$url" --id 20001 --lon 1 --lat 1
is "$rc" 64 "an empty --redis-key is a usage error"

# Bad URLs: usage errors on the command line, configuration in the
# environment, the password never repeated; nothing written.
run_cmd geoput -q --redis http://127.0.0.1:1 --id 20003 --lon 1 --lat 1
is "$rc" 64 "a --redis URL that is not redis:// or unix://: exit 64 (EX_USAGE)"
like "$err" "^geoput: --redis: expected a URL starting with redis:// or unix://" \
    "and says what is wrong"
run_cmd geoput -q --redis 'redis://u:s3kr1t@127.0.0.1:port' --id 20003 --lon 1 --lat 1
is "$rc" 64 "a bad port: exit 64"
case "$err" in *s3kr1t*) ok 1 "the password is not repeated" ;;
*) ok 0 "the password is not repeated" ;; esac
GEOROOM_REDIS=redis://127.0.0.1:99999 run_cmd geoput -q --id 20003 --lon 1 --lat 1
is "$rc" 78 "a bad \$GEOROOM_REDIS: exit 78 (EX_CONFIG)"
like "$err" '^geoput: \$GEOROOM_REDIS: ' "and names the variable"
GEOROOM_REDIS=bad run_cmd geoput -q --redis "$url" --id 20030 --lon 1 --lat 1
is "$rc:$err" "0:" "--redis sets a bad \$GEOROOM_REDIS aside"
run_cmd geoput -q --hub "$GEOROOM_SOCKET" --redis "$url" --id 20004 --lon 1 --lat 1
is "$rc" 64 "--hub and --redis together: exit 64"
like "$err" "^geoput: choose --hub or --redis, not both" "and says to choose"
is "$(q 'SELECT COUNT(*) FROM location WHERE id IN (20003, 20004)')" 0 \
    "nothing was written by the refused runs"

# Logging in: a password, an ACL user, and failures that name the server
# but never the password.
REDIS_DIR=$T/redis-auth start_redis -- --requirepass 'pw!1' \
    --user geo on '>geopw' '~*' '&*' '+@all' ||
	{ ok 1 "a Redis with a password starts"; done_testing; }
aport=$REDIS_PORT apid=$REDIS_PID
aurl=redis://127.0.0.1:$aport
run_cmd geoput -q --redis "redis://:pw%211@127.0.0.1:$aport" --id 20005 --lon 1 --lat 1
is "$rc:$err" "0:" "AUTH with the password (percent-encoded)"
run_cmd geoput -q --redis "redis://geo:geopw@127.0.0.1:$aport" --id 20005 --lon 2 --lat 1
is "$rc:$err" "0:" "AUTH as an ACL user"
is "$(rstat cmdstat_publish -- -p "$aport" --user geo --pass geopw --no-auth-warning)" 2 \
    "each PUBLISHed once"
run_cmd geoput -q --redis "redis://geo:wr0ngpw@127.0.0.1:$aport" --id 20006 --lon 1 --lat 1
is "$rc" 75 "a wrong password: exit 75 (EX_TEMPFAIL), as with the hub down"
like "$err" "^geoput: redis at 127\.0\.0\.1:$aport refused AUTH: WRONGPASS" \
    "a warning names the server and Redis's reason"
like "$err" "1 of 1 announcement not made" "and says what was not announced"
case "$err" in *wr0ngpw*) ok 1 "the password is not shown" ;;
*) ok 0 "the password is not shown" ;; esac
is "$(q 'SELECT COUNT(*) FROM location WHERE id=20006')" 1 "the location is stored"
run_cmd geoput -q --redis "$aurl" --id 20007 --lon 1 --lat 1
is "$rc" 75 "no password where one is needed: exit 75"
like "$err" "refused PUBLISH: NOAUTH" "Redis refused the PUBLISH"
run_cmd geoput -q --require-hub --redis "redis://geo:wr0ngpw@127.0.0.1:$aport" \
    --id 20008 --lon 1 --lat 1
is "$rc" 69 "--require-hub and a wrong password: exit 69 (EX_UNAVAILABLE)"
like "$err" "refused AUTH: .*; nothing written \(--require-hub\)$" "and says nothing was written"
run_cmd geoput -q --require-hub --redis "$aurl" --id 20008 --lon 1 --lat 1
is "$rc" 69 "--require-hub and no password: the PING is refused, exit 69"
is "$(q 'SELECT COUNT(*) FROM location WHERE id=20008')" 0 "nothing was written"

# A server that takes the connection and hangs up, or answers garbage.
# start_fake MODE: sets $furl.
nfake=0
start_fake() {
	nfake=$((nfake + 1))
	perl -MIO::Socket::INET -e '
	    my ($mode, $portfile) = @ARGV;
	    my $l = IO::Socket::INET->new(Listen => 5, LocalAddr => "127.0.0.1",
	        LocalPort => 0, ReuseAddr => 1) or die "$!\n";
	    open(my $f, ">", "$portfile.tmp") or die; print $f $l->sockport;
	    close $f; rename "$portfile.tmp", $portfile;
	    while (my $c = $l->accept) {
	        sysread($c, my $buf, 65536);
	        print $c "HTTP/1.0 400 Bad Request\r\n\r\n" if $mode eq "garbage";
	        close $c;
	    }' "$1" "$T/fake$nfake.port" 2>"$T/fake$nfake.log" &
	track $!
	wait_for 10 test -s "$T/fake$nfake.port" || return 1
	furl=redis://127.0.0.1:$(cat "$T/fake$nfake.port")
}
start_fake close || { ok 1 "the fake server starts"; done_testing; }
run_cmd geoput -q --redis "$furl" --id 20009 --lon 1 --lat 1
is "$rc" 75 "Redis hanging up before the reply: exit 75"
like "$err" "redis at 127\.0\.0\.1:[0-9]+ closed the connection" "a warning says so"
like "$err" "1 of 1 announcement sent to redis at 127\.0\.0\.1:[0-9]+ without a reply: it may or may not have been published" \
    "and that the outcome is unknown, not that it was not announced"
start_fake garbage || { ok 1 "the fake server starts"; done_testing; }
run_cmd geoput -q --redis "$furl" --id 20009 --lon 2 --lat 1
is "$rc" 76 "an answer that is not RESP: exit 76 (EX_PROTOCOL)"
like "$err" "not a Redis reply" "a warning says so"

# Redis stalled (SIGSTOP): --timeout bounds each wait.
kill -STOP "$apid"
start=$SECONDS
run_cmd geoput -q --timeout 1 --redis "$aurl" --id 20010 --lon 1 --lat 1
is "$rc" 75 "a stalled Redis: exit 75"
like "$err" "redis at 127\.0\.0\.1:$aport: reading the reply to PUBLISH: timed out after 1000 ms" \
    "the warning names the server and the wait"
like "$err" "1 of 1 announcement sent to redis at .* without a reply: it may or may not" \
    "and that the PUBLISH may have been carried out"
run_cmd geoput -q --timeout 1 --redis "redis://geo:geopw@127.0.0.1:$aport" \
    --id 20010 --lon 2 --lat 1
is "$rc" 75 "stalled at the login: exit 75"
like "$err" "redis at 127\.0\.0\.1:$aport: AUTH: timed out after 1000 ms" \
    "the warning names the command"
like "$err" "1 of 1 announcement not made" "nothing was sent"
ok $((SECONDS - start > 6)) "both after about --timeout 1 second"
kill -CONT "$apid"
REDIS_DIR=$T/redis-auth stop_redis

# Redis down: the rows stand, exit 75; --require-hub writes nothing, 69;
# --no-notify does not try.
stop_redis
run_cmd geoput --redis "$url" --id 20011 --lon 1 --lat 1
is "$rc" 75 "Redis down: exit 75 (EX_TEMPFAIL)"
is "$(q 'SELECT COUNT(*) FROM location WHERE id=20011')" 1 "the location is stored all the same"
like "$out" '^\{"type":"Feature","id":20011,' "and printed"
like "$err" "^geoput: redis at 127\.0\.0\.1:$port unreachable: Connection refused" \
    "a warning names the server and the reason"
like "$err" "1 of 1 announcement not made" "and says what was not announced"
GEOROOM_REDIS=$url run_cmd geoput --require-hub --id 20012 --lon 1 --lat 1
is "$rc" 69 "--require-hub with Redis down: exit 69 (EX_UNAVAILABLE)"
like "$err" "unreachable: Connection refused; nothing written \(--require-hub\)$" \
    "and says nothing was written"
is "$(q 'SELECT COUNT(*) FROM location WHERE id=20012')" 0 "nothing was written"
run_cmd geoput -q --no-notify --redis "$url" --id 20013 --lon 1 --lat 1
is "$rc:$err" "0:" "--no-notify: no Redis needed, no warning"
done_testing
