#!/usr/bin/env bash
# The original application's scenario, end to end: socket.io-clients in
# rooms, geoput writing to MariaDB and telling georoomd.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/geoput.sh"

setup_db
start_georoomd || { ok 1 "georoomd starts"; done_testing; }
node_tap "$TOP/tests/node/scenario.js"
is "$(q 'SELECT ST_SRID(geom), ST_X(geom), ST_Y(geom) FROM location WHERE id = 1')" \
    "$(printf '4326\t13.3777\t52.5163')" \
    "the row holds SRID 4326 and the coordinates given"
stop_georoomd
done_testing
