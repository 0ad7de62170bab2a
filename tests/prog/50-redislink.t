#!/usr/bin/env bash
# The Redis link (src/net/redislink.c) against real, private redis-servers,
# driven through tests/redis/redislink-probe: connecting by TCP, by a unix
# socket and by name; Redis 7's shard channels (SSUBSCRIBE, SPUBLISH,
# SUNSUBSCRIBE, PUBSUB SHARDNUMSUB) beside channels and patterns; logging in with requirepass and as an ACL user on a
# db; messages both ways; Redis down at the start, killed and restarted,
# stopped while the probe publishes a lot, stopped long enough to be
# noticed; one state line a change; a clean exit every time.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/cli.sh"

PROBE=${GEOROOM_REDISLINK_PROBE:-$TOP/build/rel/redislink-probe}
need redis-server have redis-server
[ -x "$PROBE" ] ||
    { ok 1 "redislink-probe is built (make check builds it)"; done_testing; }

declare -A probe_fd probe_pid

# probe NAME [OPTION...] URL: starts a probe reading its commands from the
# fifo $T/NAME.in, held open here, writing to $T/NAME.out.
probe() {
	local name=$1 fd
	shift
	mkfifo "$T/$name.in"
	: >"$T/$name.out"
	"$PROBE" "$@" <"$T/$name.in" >"$T/$name.out" 2>"$T/$name.log" &
	probe_pid[$name]=$!
	track $!
	exec {fd}>"$T/$name.in"
	probe_fd[$name]=$fd
}

# say NAME LINE: one command to a probe.
say() {
	printf '%s\n' "$2" >&"${probe_fd[$1]}"
}

# saw NAME REGEX [N]: waits until the probe printed N lines (1) matching.
saw() {
	wait_for 15 has_matches "$T/$1.out" "$2" "${3:-1}"
}

# pstat NAME KEY: asks for the probe's stats, prints one of them.
pstat() {
	local n
	n=$(count_matches "$T/$1.out" '^stats ')
	say "$1" stats
	saw "$1" '^stats ' $((n + 1)) || return 1
	grep '^stats ' "$T/$1.out" | tail -1 | tr ' ' '\n' |
	    sed -n "s/^$2=//p"
}

# stat_at_least NAME KEY N: true once the stat is at least N.
stat_at_least() {
	[ "$(pstat "$1" "$2")" -ge "$3" ]
}

# pquit NAME: ends a probe by "quit" and the end of its input; sets rc.
pquit() {
	local fd=${probe_fd[$1]}
	say "$1" quit
	exec {fd}>&-
	wait "${probe_pid[$1]}"
	rc=$?
}

states() {
	grep '^state ' "$T/$1.out" | cut -d' ' -f2 | tr '\n' ' '
}

rss_kb() {
	sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\).*/\1/p' "/proc/$1/status"
}

fast=(-r 50 -R 400)

# 1. A Redis on TCP and a unix socket: messages both ways.
start_redis || { ok 1 "redis-server starts"; done_testing; }
main_pid=$REDIS_PID
main_port=$REDIS_PORT
rcli() { redis-cli -p "$main_port" "$@"; }

probe tcp "${fast[@]}" "$REDIS_URL"
say tcp "sub news"
say tcp "psub geo.*"
saw tcp "^state up connected to 127.0.0.1:$main_port\$"
ok $? "connects by TCP and says it is up"
is "$(rcli PUBSUB NUMSUB news | sed -n 2p)" 1 \
    "the subscriptions made before are active once up"
rcli PUBLISH news hello >/dev/null
saw tcp '^msg news hello$'
ok $? "a message on a channel arrives"
rcli PUBLISH geo.paris bonjour >/dev/null
saw tcp '^pmsg geo\.\* geo\.paris bonjour$'
ok $? "a message on a channel matching a pattern arrives with the pattern"

probe unx "${fast[@]}" "$REDIS_SOCKET_URL"
saw unx "^state up connected to $T/redis/redis.sock\$"
ok $? "connects by a unix socket"
say unx "pub news from-unix"
saw unx '^pub ok$' && saw tcp '^msg news from-unix$'
ok $? "what one link publishes, another receives"
say unx "numsub news"
saw unx '^numsub news 1$'
ok $? "PUBSUB NUMSUB counts the subscriber"
is "$(pstat unx published)" 1 "the publisher counts what it published"
is "$(pstat tcp received)" 3 "the subscriber counts what it received"

# Shard channels, on the connection that holds the others.
say tcp "ssub shard#a#"
say tcp "ssub shard#b#"
say tcp "ssub shard#a#"
shardnumsub_is() {
	[ "$(rcli PUBSUB SHARDNUMSUB "$1" | sed -n 2p)" = "$2" ]
}
wait_for 10 shardnumsub_is 'shard#b#' 1
ok $? "a shard channel subscribed to while up is active"
is "$(pstat tcp subs)" 4 "a shard channel subscribed to twice is held once"
rcli SPUBLISH 'shard#a#' sharded >/dev/null
saw tcp '^msg shard#a# sharded$'
ok $? "a message on a shard channel arrives"
say unx "spub shard#b# from-unix"
saw unx '^spub ok$' && saw tcp '^msg shard#b# from-unix$'
ok $? "SPUBLISH: what one link publishes, another receives"
say unx "shardnumsub shard#a#"
saw unx '^shardnumsub shard#a# 1$'
ok $? "PUBSUB SHARDNUMSUB counts the subscriber"
say tcp "sunsub shard#b#"
wait_for 10 shardnumsub_is 'shard#b#' 0
ok $? "SUNSUBSCRIBE ends a shard subscription"
rcli PUBLISH news after-sunsub >/dev/null
rcli SPUBLISH 'shard#a#' after-sunsub >/dev/null
saw tcp '^msg news after-sunsub$' && saw tcp '^msg shard#a# after-sunsub$'
ok $? "the other subscriptions carry on"
is "$(pstat tcp subs)" 3 "and the link holds what is left"

probe name "${fast[@]}" "redis://localhost:$main_port"
saw name "^state up connected to localhost:$main_port \\(127\\.0\\.0\\.1\\)\$"
ok $? "a host name is resolved, its addresses tried in turn"
pquit name
is "$rc" 0 "the probe exits 0 after stopping the link"

# 2. Logging in: requirepass, an ACL user, a db; refusals.
REDIS_DIR=$T/auth start_redis --tcp -- --requirepass 'top secret' \
    --user alice on '>wonder land' '~*' '&*' '+@all' \
    --user bob on '>bob' '~*' '&room' '+@all' ||
    ok 1 "a Redis with passwords starts"
auth_port=$REDIS_PORT
acli() {
	redis-cli -p "$auth_port" -a 'top secret' --no-auth-warning "$@"
}
probe pw "${fast[@]}" "redis://:top%20secret@127.0.0.1:$auth_port/3"
saw pw "^state up connected to 127.0.0.1:$auth_port db 3\$"
ok $? "logs in with requirepass and selects db 3"
is "$(acli CLIENT LIST | grep -c ' db=3 ')" 2 \
    "both connections are on db 3"
probe acl "${fast[@]}" "redis://alice:wonder%20land@127.0.0.1:$auth_port/2"
saw acl '^state up '
ok $? "logs in as an ACL user"
is "$(acli CLIENT LIST | grep ' user=alice ' | grep -c ' db=2 ')" 2 \
    "both connections are alice's, on db 2"
say pw "sub room"
numsub_is() { [ "$(acli PUBSUB NUMSUB "$1" | sed -n 2p)" = "$2" ]; }
wait_for 10 numsub_is room 1
say acl "pub room from-alice"
saw pw '^msg room from-alice$'
ok $? "messages flow between the two"

probe bob "${fast[@]}" "redis://bob:bob@127.0.0.1:$auth_port"
saw bob '^state up '
say bob "pub elsewhere x"
saw bob '^pub ok$'
wait_for 10 stat_at_least bob failed 1
ok $? "a PUBLISH Redis refuses (NOPERM) is counted as failed"
is "$(pstat bob published)/$(pstat bob dropped)" 1/0 \
    "after being handed over"

probe wrong "${fast[@]}" "redis://alice:hunter2@127.0.0.1:$auth_port"
saw wrong '^state down .*refused AUTH: WRONGPASS'
ok $? "a wrong password: down, with Redis's reason"
probe nopw "${fast[@]}" "redis://127.0.0.1:$auth_port"
saw nopw '^state down .*NOAUTH'
ok $? "no password where one is needed: down, NOAUTH"
probe baddb "${fast[@]}" "redis://:top%20secret@127.0.0.1:$auth_port/99"
saw baddb '^state down .*refused SELECT: ERR DB index is out of range'
ok $? "a db out of range: down, SELECT refused"
wait_for 10 stat_at_least wrong attempts 3
ok $? "a refused login is tried again"
is "$(states wrong)" "down " "one state line, however many attempts"
grep -q hunter2 "$T/wrong.out"
is $? 1 "no reason repeats the password"
for p in pw acl bob wrong nopw baddb; do
	pquit $p
	is "$rc" 0 "probe $p exits 0"
done

# 3. Redis down at the start: retries with backoff, up once it starts.
late_port=$(free_port)
probe late "${fast[@]}" "redis://127.0.0.1:$late_port"
say late "sub late"
saw late "^state down connecting to 127.0.0.1:$late_port: Connection refused\$"
ok $? "Redis down at the start: down, connection refused"
t0=$SECONDS
say late "pub late early"
saw late '^pub ENOTCONN$'
ok $? "publishing while down fails at once with ENOTCONN"
is "$(pstat late dropped)" 1 "and counts the message dropped"
wait_for 15 stat_at_least late attempts 6
ok $? "it keeps trying"
# 50 ms doubling to 400 ms, +/-50%: six attempts take more than 0.4 s
# and, capped, no more than a few seconds.
is "$(states late)" "down " "one state line for all the failed attempts"
REDIS_DIR=$T/late start_redis --port "$late_port" ||
    ok 1 "Redis starts on port $late_port"
late_pid=$REDIS_PID
saw late '^state up '
ok $? "up once Redis starts"
diag "up $((SECONDS - t0)) s after the first refusal"
redis-cli -p "$late_port" PUBLISH late hi >/dev/null
saw late '^msg late hi$'
ok $? "the subscription made while down is active"
is "$(pstat late reconnects)" 0 "the first time up is no reconnection"

# 4. Redis killed and restarted on the same port.
kill -9 "$main_pid"
saw tcp "^state down connection to 127.0.0.1:$main_port lost: "
ok $? "Redis killed: down, connection lost"
say tcp "pub news while-down"
saw tcp '^pub ENOTCONN$'
ok $? "publishing while down fails at once"
start_redis || ok 1 "Redis starts again"
is "$REDIS_PORT" "$main_port" "on the same port"
main_pid=$REDIS_PID
saw tcp '^state up ' 2
ok $? "the link comes back"
is "$(states tcp)" "up down up " "one state line a change"
saw unx '^state up ' 2
ok $? "so does the one on the unix socket"
is "$(rcli PUBSUB NUMSUB news | sed -n 2p)" 1 \
    "the subscription is restored"
is "$(rcli PUBSUB NUMPAT)" 1 "and the pattern"
is "$(rcli PUBSUB SHARDNUMSUB 'shard#a#' 'shard#b#' | sed -n '2p;4p' |
    tr '\n' ' ')" "1 0 " "and the shard channel, not the one unsubscribed"
rcli PUBLISH news again >/dev/null
rcli PUBLISH geo.rome ciao >/dev/null
saw tcp '^msg news again$' && saw tcp '^pmsg geo\.\* geo\.rome ciao$'
ok $? "messages flow again"
say unx "pub news from-unix-again"
saw tcp '^msg news from-unix-again$'
ok $? "both ways"
is "$(pstat tcp reconnects)" 1 "the reconnection is counted"
is "$(pstat tcp dropped)" 1 "the message published while down is counted"

# 5. Redis stopped while the link publishes a lot: the budget holds.
budget=1048576
probe flood -b $budget -t 600000 "${fast[@]}" "$REDIS_URL"
say flood "sub echo"
saw flood '^state up '
ok $? "a link with a budget of 1 MiB is up"
say flood "pubn 500 warmup 1000"
saw flood '^pubn ok=500 '
ok $? "500 messages of 1000 bytes pass while Redis answers"
pending_is() { [ "$(pstat "$1" pending)" = "$2" ]; }
wait_for 10 pending_is flood 0
rss0=$(rss_kb "${probe_pid[flood]}")
kill -STOP "$main_pid"
at_exit "kill -CONT $main_pid"
say flood "pubn 100000 flood 1000"
saw flood '^pubn ok=[0-9]* ENOTCONN=0 ENOBUFS=[1-9]' 1
ok $? "Redis stopped: publishes beyond the budget fail with ENOBUFS"
line=$(grep '^pubn ' "$T/flood.out" | tail -1)
passed=$(printf '%s' "$line" | sed 's/.*ok=\([0-9]*\).*/\1/')
[ "$passed" -ge 1 ] && [ $((passed * (5 + 1000 + 64))) -le $budget ]
ok $? "what passed fits the budget ($passed messages)"
pending=$(pstat flood pending)
[ "$pending" -le $budget ] && [ "$pending" -gt $((budget / 2)) ]
ok $? "the bytes charged stay under the budget ($pending)"
say flood "pubn 20000 flood 1000"
saw flood '^pubn ok=0 ENOTCONN=0 ENOBUFS=20000$'
ok $? "and stay refused while Redis is stopped"
rss1=$(rss_kb "${probe_pid[flood]}")
diag "probe RSS ${rss0} kB before, ${rss1} kB after 120 MB offered"
[ $((rss1 - rss0)) -lt 32768 ]
ok $? "memory does not grow with what is offered"
is "$(pstat flood over_budget)" "$(pstat flood dropped)" \
    "every refusal is counted, as over the budget"
# A link stopped with commands unanswered exits at once and leaks nothing.
probe stuck -t 600000 "$REDIS_URL"
kill -CONT "$main_pid"
saw stuck '^state up '
kill -STOP "$main_pid"
say stuck "pubn 100 stuck 100"
saw stuck '^pubn ok=100 '
pquit stuck
is "$rc" 0 "a probe quits while Redis holds its commands, exit 0"
kill -CONT "$main_pid"
wait_for 15 pending_is flood 0
ok $? "Redis back: it answers everything, the budget is free again"
say flood "pub echo back"
saw flood '^msg echo back$'
ok $? "and messages flow"
is "$(states flood)" "up " "the link stayed up throughout"

# 6. Redis stopped for longer than the timeout: noticed, and recovered.
probe hc -t 1000 "${fast[@]}" "$REDIS_URL"
say hc "sub hc"
saw hc '^state up '
kill -STOP "$main_pid"
saw hc "^state down no answer from 127.0.0.1:$main_port within 1000 ms\$"
ok $? "a Redis that answers nothing for 1 s is taken for down"
say hc "pub hc x"
saw hc '^pub ENOTCONN$'
ok $? "and publishing fails at once"
kill -CONT "$main_pid"
saw hc '^state up ' 2
ok $? "up again once it answers"
rcli PUBLISH hc again >/dev/null
saw hc '^msg hc again$'
ok $? "with the subscription restored"

# 7. Shutting down: SIGTERM while retrying, and quit everywhere.
dead_port=$(free_port)
probe dead "${fast[@]}" "redis://127.0.0.1:$dead_port"
saw dead '^state down '
kill -TERM "${probe_pid[dead]}"
wait "${probe_pid[dead]}"
is "$?" 0 "SIGTERM while retrying: exit 0"
for p in tcp unx late flood hc; do
	pquit $p
	is "$rc" 0 "probe $p stops its link and exits 0"
	saw $p '^bye$'
done
is "$(cat "$T"/*.log 2>/dev/null)" "" "no probe wrote to stderr"
done_testing
