#!/usr/bin/env bash
# Every program: --help, --version, usage errors, and agreement between the
# option table (--help), the man page and the exit-status table.
. "$(dirname "$0")/lib.sh"

progs="georoomd geoput geoget georoom-cli geofence"
version=$(sed -n 's/.*GEOROOM_VERSION "\(.*\)"/\1/p' "$TOP/src/common/version.h")

# The statuses of src/common/exits.h, which every page's table lists.
exit_codes=$(sed -n 's/^ \* EX_[A-Z]*[[:space:]]*(\([0-9]*\)).*/\1/p' \
    "$TOP/src/common/exits.h")
[ "$(printf '%s\n' $exit_codes | grep -c .)" -ge 10 ]
ok $? "src/common/exits.h lists its statuses"

for p in $progs; do
	page=$(ls "$TOP"/man/"$p".[18])

	run_cmd "$p" --help
	is "$rc" 0 "$p --help exits 0"
	like "$out" "^usage: $p " "$p --help prints the usage line to stdout"

	run_cmd "$p" --version
	is "$out" "$p $version" "$p --version prints name and version"

	run_cmd "$p" --no-such-option
	is "$rc" 64 "$p with an unknown option exits 64 (EX_USAGE)"
	like "$err" "no-such-option" "$p names the unknown option on stderr"

	# Long options in --help and in the man page must be the same set.
	help_opts=$("$p" --help | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u)
	man_opts=$(grep -oE -- 'Fl \\-[a-z][a-z0-9-]*' "$page" |
	    sed 's/Fl \\-/--/' | sort -u)
	is "$man_opts" "$help_opts" "$p: man page documents exactly the --help options"

	# Every status of src/common/exits.h appears in the page's EXIT STATUS.
	section=$(sed -n '/^\.Sh EXIT STATUS/,/^\.Sh /p' "$page")
	missing=""
	for code in 0 $exit_codes; do
		printf '%s\n' "$section" | grep -qx "\.It $code" ||
		    missing="$missing $code"
	done
	is "$missing" "" "$p: EXIT STATUS lists every status of exits.h"

	# The usage line names the options the SYNOPSIS names.
	syn=$(sed -n '/^\.Sh SYNOPSIS/,/^\.Sh /p' "$page" |
	    grep -oE 'Op Fl [A-Za-z]+' | head -1 | sed 's/Op Fl //')
	usage_line=$("$p" --help | head -1)
	like "$usage_line" "\[-$syn\]" "$p: usage line and SYNOPSIS agree on flags"
done

done_testing
