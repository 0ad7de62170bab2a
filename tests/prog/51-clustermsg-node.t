#!/usr/bin/env bash
# The cluster codec (src/proto/clustermsg.c) against the installed
# @socket.io/redis-adapter, redis-emitter, notepack.io and socket.io: fresh
# messages from two real socket.io nodes and the emitter, hand-made ones
# and random values, run through the codec's driver.  The unit test checks
# the committed copy of such vectors; this one what npm installed now.
. "$(dirname "$0")/lib.sh"

driver=${GEOROOM_CLUSTERMSG_DRIVER:-$TOP/build/rel/clustermsg-driver}
need "the clustermsg driver (make check builds it)" test -x "$driver"
need node have node
need @socket.io/redis-adapter \
    test -d "$TOP/tests/node/node_modules/@socket.io/redis-adapter"
node_tap "$TOP/tests/node/clustermsg-vectors.js" --live "$driver"
done_testing
