#!/usr/bin/env bash
# make install / uninstall honour PREFIX and DESTDIR.
. "$(dirname "$0")/lib.sh"

cd "$TOP" || exit 1
dest=$T/dest
run_cmd make -s install DESTDIR="$dest" PREFIX=/opt/gr
is "$rc" 0 "make install succeeds"
for f in bin/georoomd bin/geoput bin/geoget bin/georoom-cli bin/geofence \
    share/man/man8/georoomd.8 share/man/man1/geoput.1 share/man/man1/geoget.1 \
    share/man/man1/georoom-cli.1 share/man/man1/geofence.1 \
    share/man/man7/georoom.7 \
    share/georoom/map/index.html; do
	[ -f "$dest/opt/gr/$f" ]
	ok $? "installs /opt/gr/$f"
done
run_cmd "$dest/opt/gr/bin/georoomd" --version
like "$out" "^georoomd " "the installed program runs"

run_cmd make -s uninstall DESTDIR="$dest" PREFIX=/opt/gr
is "$rc" 0 "make uninstall succeeds"
is "$(find "$dest" -type f | wc -l)" 0 "uninstall removes every installed file"
done_testing
