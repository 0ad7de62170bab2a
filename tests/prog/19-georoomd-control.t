#!/usr/bin/env bash
# The control socket refuses what it cannot take exactly: lines past
# CTL_LINE_MAX (1 MiB) however they arrive, NaN, numbers past a double's
# range and invalid UTF-8, each with an error that names it.
. "$(dirname "$0")/lib.sh"

start_georoomd || { ok 1 "georoomd starts"; done_testing; }
max=$((1024 * 1024))

out=$(perl "$TOP/tests/prog/ctl-line.pl" "$GEOROOM_SOCKET" "$max")
like "$out" '"ok":true' "a request line of exactly $max bytes is served"
like "$out" 'open$' "and the connection stays open"
for len in $((max + 1)) $((max + 3)) $((max + 4)) $((max + 16000)); do
	out=$(perl "$TOP/tests/prog/ctl-line.pl" "$GEOROOM_SOCKET" "$len")
	like "$out" "request line longer than $max bytes" \
	    "a $len-byte line arriving whole is refused"
	like "$out" 'closed$' "and the connection is closed after the reply"
done

out=$(control '{"op":"emit","room":"r","event":"e","data":nan}')
like "$out" '"ok":false.*invalid JSON: not JSON as RFC 8259' "NaN is refused"
out=$(control '{"op":"emit","room":"r","event":"e","data":1e400}')
like "$out" 'invalid JSON: a number beyond the range of a double' \
    "1e400 is refused, not stored as the largest double"
out=$(control "$(printf '{"op":"emit","room":"r","event":"e","data":"\xff"}')")
like "$out" 'invalid JSON: not UTF-8' "invalid UTF-8 is refused"
out=$(control '{"op":"emit","room":"r","event":"e","data":[1e308,"\ud83d"]}')
like "$out" '"ok":true' "the largest numbers and lone surrogates are taken"

stop_georoomd
is "$rc" 0 "georoomd exits 0 on SIGTERM"
done_testing
