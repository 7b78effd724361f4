#!/usr/bin/env bats
# The index while the store changes (casus(7), THE INDEX): readers that run while writers
# commit, with casus and with plain git, and while the index is deleted under them, never
# fail and never see half of a change: each answer is the store at one commit.

bats_require_minimum_version 1.5.0
load helpers

# reader N PROGRAM...: runs the program again and again until the writers are done; every run
# must exit 0 or 1 with nothing on stderr, and list the cases of one commit: B-2026-017 and
# R-1 to R-k for some k, none missing in between.
reader() {
	local n=$1 out err rc k ids
	shift
	while [ ! -e "$BATS_TEST_TMPDIR/done" ]; do
		out=$("$@" 2>"$BATS_TEST_TMPDIR/err.$n") && rc=0 || rc=$?
		err=$(cat "$BATS_TEST_TMPDIR/err.$n")
		if [ "$rc" -gt 1 ] || [ -n "$err" ]; then
			echo "reader $n: $* exited $rc: $err"
			return 1
		fi
		ids=$(echo "$out" | grep -o 'R-[0-9]*' | sort -u -t- -k2n | tr '\n' ' ')
		k=$(echo "$ids" | wc -w)
		if [ "$ids" != "$(seq -f 'R-%g' 1 "$k" | tr '\n' ' ')" ]; then
			echo "reader $n: $* listed $ids"
			return 1
		fi
		echo "$k" >>"$BATS_TEST_TMPDIR/seen.$n"
	done
}

@test "readers never fail nor see half a change while writers commit and the index goes" {
	init_store
	new_case >/dev/null
	git clone -q "$STORE" "$BATS_TEST_TMPDIR/wt"
	for n in 1 2 3; do
		case $n in
		1) reader 1 case-ls --format tsv ;;
		2) reader 2 overleg-schedule --within 24m --format tsv ;;
		3) reader 3 release-check --all --within 36m --format tsv ;;
		esac >"$BATS_TEST_TMPDIR/reader.$n" 2>&1 &
	done
	# The writers: plan-new of R-1 to R-20; every fifth, a plain git push of another case's
	# institution; every seventh, the index deleted.
	for i in $(seq 1 20); do
		plan-new "R-$i" --institution Brugge --detention-start 2026-01-10 --leave-eligible 2027-05-31 \
			--release-eligible 2028-05-31 --team dg-epi=ann@brugge.example \
			--team welzijn=bram@welzijn.example --team justitiehuizen=chris@jh.example >/dev/null
		if [ $((i % 5)) -eq 0 ]; then
			(cd "$BATS_TEST_TMPDIR/wt" && git pull -q --rebase &&
				sed -i "s/^institution: .*/institution: Brugge $i/" cases/*/B-2026-017/plan.yaml &&
				git -c user.name=M -c user.email=m@x.example commit -qam plain && git push -q origin main)
		fi
		[ $((i % 7)) -ne 0 ] || rm -f "$STORE/casus-index.db"
	done
	touch "$BATS_TEST_TMPDIR/done"
	for n in 1 2 3; do
		wait -n || { cat "$BATS_TEST_TMPDIR"/reader.*; false; }
	done
	cat "$BATS_TEST_TMPDIR"/reader.*
	# Each reader ran, and the last answers saw every case.
	for n in 1 2 3; do
		[ -s "$BATS_TEST_TMPDIR/seen.$n" ]
	done
	# They ran while the store changed: between them they saw it at several commits.
	[ "$(sort -u "$BATS_TEST_TMPDIR"/seen.* | wc -l)" -ge 3 ]
	run case-ls --format tsv
	assert_line "R-20	2026-01-10	2027-05-31	2028-05-31	Brugge	open"
	run case-index --check
	assert_success
}
