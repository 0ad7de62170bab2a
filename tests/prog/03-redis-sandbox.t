#!/usr/bin/env bash
# scripts/redis-sandbox: private servers side by side, each kept to its own
# directory, persisting nothing, on the same port after a crash, stopped
# by PID.
. "$(dirname "$0")/lib.sh"

sandbox=$TOP/scripts/redis-sandbox
need redis-server have redis-server

a=$T/a b=$T/b
at_exit "'$sandbox' stop '$a'; '$sandbox' stop '$b'"

run_cmd "$sandbox" start "$a"
is "$rc" 0 "first sandbox starts"
like "$out" '^REDIS_URL=redis://127\.0\.0\.1:[0-9]+$' "it prints the TCP URL"
like "$out" "REDIS_SOCKET_URL=unix://$a/redis.sock" "and the socket's"
apid=$(printf '%s\n' "$out" | sed -n 's/^REDIS_PID=//p')
aport=$(cat "$a/port")
is "$(redis-cli -p "$aport" INFO server | tr -d '\r' | sed -n 's/^process_id://p')" \
    "$apid" "REDIS_PID is the server's own PID"
is "$(redis-cli -s "$a/redis.sock" CONFIG GET bind | sed -n 2p)" "127.0.0.1" \
    "it listens on loopback only"

run_cmd "$sandbox" start "$b" --unix -- --requirepass 'p w'
is "$rc" 0 "a second one starts beside it, socket only, with a password"
like "$out" "REDIS_SOCKET_URL=unix://$b/redis.sock" "it prints its socket"
printf '%s\n' "$out" | grep -q '^REDIS_URL='
is $? 1 "and no TCP URL"
is "$(redis-cli -s "$b/redis.sock" PING)" "NOAUTH Authentication required." \
    "the ARGs reach redis-server"
is "$(redis-cli -s "$b/redis.sock" -a 'p w' --no-auth-warning PING)" PONG \
    "the password works"

redis-cli -p "$aport" SET k v >/dev/null
is "$(redis-cli -s "$b/redis.sock" -a 'p w' --no-auth-warning EXISTS k)" 0 \
    "the two servers share nothing"
is "$(redis-cli -p "$aport" CONFIG GET save | sed -n 2p)" "" \
    "no snapshots"
is "$(redis-cli -p "$aport" CONFIG GET appendonly | sed -n 2p)" no \
    "no append-only file"
is "$(redis-cli -p "$aport" CONFIG GET dir | sed -n 2p)" "$a" \
    "its working directory is the sandbox"

run_cmd "$sandbox" start "$a"
is "$rc" 0 "start on a running sandbox is harmless"
like "$out" "REDIS_PID=$apid" "and names the same server"

kill -9 "$apid"
down() { ! "$sandbox" status "$a"; }
wait_for 10 down
ok $? "status reports a server killed"
run_cmd "$sandbox" start "$a"
is "$rc" 0 "a killed sandbox starts again"
like "$out" "REDIS_URL=redis://127.0.0.1:$aport" "on the same port"
is "$(redis-cli -p "$aport" EXISTS k)" 0 "with nothing kept"

apid=$(cat "$a/redis.pid")
kill -STOP "$apid"
run_cmd "$sandbox" stop "$a"
is "$rc" 0 "stop ends even a stopped server"
# Gone, or a zombie that init has yet to reap.
case "$(ps -o stat= -p "$apid")" in
"" | Z*) ok 0 "the server process is gone after stop" ;;
*) ok 1 "the server process is gone after stop" ;;
esac
run_cmd "$sandbox" stop "$b"
is "$rc" 0 "the second stops too"
run_cmd "$sandbox" stop "$b"
is "$rc" 0 "stop on a stopped sandbox is harmless"

leftover=$(find "$T" -mindepth 1 ! -path "$a" ! -path "$a/*" ! -path "$b" \
    ! -path "$b/*" ! -name '.out' ! -name '.err')
is "$leftover" "" "nothing written beside the two directories"
is "$(find "$a" "$b" -name '*.rdb' -o -name '*.aof' -o -name appendonly\*)" \
    "" "no data files within them"

run_cmd "$sandbox" start
is "$rc" 64 "a missing directory is a usage error"
run_cmd "$sandbox" start "$T/c" --bogus
is "$rc" 64 "so is an unknown option"
[ ! -e "$T/c" ]
ok $? "which creates nothing"
done_testing
