#!/usr/bin/env bats
# overleg-schedule(1): lists the case consultations due in a window (default today and the 90
# days after) and those overdue, sorted by date then case ID; the periodic ones follow the
# cadence from the last consultation held or the detention start (R5), the pre-leave one is
# three calendar months before leave eligibility (R6). --commit puts them on the store's
# calendar as planned, in one commit, and never touches a held one. Exit 0 when something is
# listed, 1 when nothing is due, 2 on error.

bats_require_minimum_version 1.5.0
load helpers

# The team store of helpers.bash, made once per file and copied for every test.
setup_file() {
	(BATS_TEST_TMPDIR=$BATS_FILE_TMPDIR && setup && init_store)
}

team_store() {
	cp -a "$BATS_FILE_TMPDIR/store" "$STORE"
	export CASUS_REPO="$STORE"
}

# open_case ID DETENTION-START [LEAVE-ELIGIBLE [INSTITUTION]]: a case with the team of story 1.
open_case() {
	local id=$1 start=$2 leave=${3:-} inst=${4:-Brugge}
	plan-new "$id" --institution "$inst" --detention-start "$start" ${leave:+--leave-eligible "$leave"} \
		--team dg-epi=ann@brugge.example --team welzijn=bram@welzijn.example \
		--team justitiehuizen=chris@jh.example >/dev/null
}

# held ID DATE: records a consultation held on DATE (on or before CASUS_TODAY), nothing shared.
held() {
	printf 'present:\n- partner: dg-epi\n  member: ann@brugge.example\nabsent:\n- partner: welzijn\n  reason: on leave\n- partner: justitiehuizen\n  reason: in court\ndecision:\n  consensus: true\n' |
		overleg-record "$1" --date "$2" --file - >/dev/null
}

# The folder of case $1 in the store, "cases/<xx>/<ID>".
case_dir() {
	git -C "$STORE" ls-tree -r --name-only main | sed -n "s,/$1/plan.yaml\$,/$1,p"
}

# The consultation files of case $1 at the tip, one name a line.
overleg_files() {
	git -C "$STORE" ls-tree --name-only main -- "$(case_dir "$1")/overleg/" | sed 's,.*/,,'
}

# The pre-leave row(s) of case $1 in a long window, as "DATE STATUS".
pre_leave_of() {
	overleg-schedule --case "$1" --from 2020-01-01 --until 2035-01-01 --format json |
		jq -r '.[] | select(.kind == "pre-leave") | "\(.date) \(.status)"'
}

# overleg-schedule "$@" fails with exit 2, says $1 on stderr and nothing on stdout.
error() {
	local msg=$1
	shift
	run --separate-stderr overleg-schedule "$@"
	assert_failure 2
	assert_output ''
	[[ "$stderr" == *"$msg"* ]] || fail "stderr lacks '$msg': $stderr"
}

@test "overleg-schedule lists the periodic consultations of the next 90 days, from the detention start" {
	team_store
	open_case X-1 2026-11-01
	run --separate-stderr overleg-schedule
	assert_success
	assert_equal "$stderr" ''
	assert_output - <<-'EOF'
	2026-12-13  X-1              periodic   due      Brugge
	2027-01-24  X-1              periodic   due      Brugge
	EOF
	assert_store 4
}

@test "overleg-schedule's default window is today and the 90 days after, both ends included" {
	team_store
	open_case X-1 2026-11-01
	# 2027-03-07 is the third consultation, 6 weeks after 2027-01-24.
	export CASUS_TODAY=2026-12-07
	run overleg-schedule --format tsv
	assert_success
	assert_line --index 3 $'2027-03-07\tX-1\tperiodic\tdue\tBrugge'
	export CASUS_TODAY=2026-12-06
	run overleg-schedule --format tsv
	assert_success
	refute_line --partial 2027-03-07
	# On its day a consultation is due, the day after overdue.
	export CASUS_TODAY=2026-12-13
	run overleg-schedule --format tsv --within 1d
	assert_success
	assert_output $'date\tcase\tkind\tstatus\tinstitution\n2026-12-13\tX-1\tperiodic\tdue\tBrugge'
	export CASUS_TODAY=2026-12-14
	run overleg-schedule --format tsv --within 1d
	assert_success
	assert_output $'date\tcase\tkind\tstatus\tinstitution\n2026-12-13\tX-1\tperiodic\toverdue\tBrugge'
}

@test "overleg-schedule shows an overdue consultation whatever the window, and only the first one" {
	team_store
	open_case X-1 2026-11-01
	export CASUS_TODAY=2027-02-01
	run overleg-schedule --from 2027-06-01 --until 2027-06-30
	assert_success
	assert_output '2026-12-13  X-1              periodic   overdue  Brugge'
}

@test "overleg-schedule sorts the rows by date, then by case ID" {
	team_store
	open_case Z-9 2026-11-01
	open_case A-1 2026-11-01
	open_case M-5 2026-11-15
	run overleg-schedule --format tsv
	assert_success
	assert_output - <<-'EOF'
	date	case	kind	status	institution
	2026-12-13	A-1	periodic	due	Brugge
	2026-12-13	Z-9	periodic	due	Brugge
	2026-12-27	M-5	periodic	due	Brugge
	2027-01-24	A-1	periodic	due	Brugge
	2027-01-24	Z-9	periodic	due	Brugge
	2027-02-07	M-5	periodic	due	Brugge
	EOF
}

@test "overleg-schedule --from and --until set the window" {
	team_store
	open_case X-1 2026-11-01
	run overleg-schedule --from 2027-01-01 --until 2027-03-06 --format tsv
	assert_success
	assert_output $'date\tcase\tkind\tstatus\tinstitution\n2027-01-24\tX-1\tperiodic\tdue\tBrugge'
	run overleg-schedule --from 2027-01-24 --until 2027-03-07 --format tsv
	assert_success
	assert_equal "${#lines[@]}" 3
	assert_line --index 2 $'2027-03-07\tX-1\tperiodic\tdue\tBrugge'
	# --from alone: 90 days from it.
	run overleg-schedule --from 2027-03-08 --format tsv
	assert_success
	assert_line --index 1 $'2027-04-18\tX-1\tperiodic\tdue\tBrugge'
	assert_line --index 2 $'2027-05-30\tX-1\tperiodic\tdue\tBrugge'
	assert_equal "${#lines[@]}" 3
}

@test "overleg-schedule --within counts days, weeks and calendar months from --from" {
	team_store
	open_case X-1 2026-11-01
	run overleg-schedule --within 14d
	assert_success
	assert_output '2026-12-13  X-1              periodic   due      Brugge'
	run overleg-schedule --within 13d
	assert_failure 1
	assert_output ''
	run overleg-schedule --within 6w
	assert_success
	assert_equal "${#lines[@]}" 1
	run overleg-schedule --within 8w
	assert_success
	assert_equal "${#lines[@]}" 2
	# 2026-11-30 + 3 months is 2027-02-28 (no 30 February), the day of the pre-leave one.
	open_case L-1 2026-11-01 2027-05-31
	run overleg-schedule --case L-1 --from 2026-11-30 --within 3m --format tsv
	assert_success
	assert_line --index 3 $'2027-02-28\tL-1\tpre-leave\tdue\tBrugge'
	run overleg-schedule --case L-1 --from 2026-11-30 --within 89d --format tsv
	assert_success
	refute_line --partial pre-leave
}

@test "overleg-schedule refuses a DURATION that is not a number with d, w or m" {
	team_store
	open_case X-1 2026-11-01
	for d in 14 14x d 14D -1d 1.5w 99999d ' 14d' 14dd ''; do
		error "cannot use --within '$d': not a duration such as 14d, 6w or 3m" --within "$d"
	done
	assert_store 4
}

@test "overleg-schedule refuses a date that is not a calendar date" {
	team_store
	for d in 2026-02-30 2026-13-01 26-01-01 2026-1-1 today ''; do
		error "cannot use --from '$d': not a valid date (YYYY-MM-DD)" --from "$d"
		error "cannot use --until '$d': not a valid date (YYYY-MM-DD)" --until "$d"
	done
	CASUS_TODAY=2027-02-29 run --separate-stderr overleg-schedule
	assert_failure 2
	assert_equal "$stderr" "overleg-schedule: cannot use CASUS_TODAY '2027-02-29': not a valid date (YYYY-MM-DD)"
}

@test "overleg-schedule refuses --until with --within, and a window that ends before it starts" {
	team_store
	error "--until and --within go alone" --until 2027-01-01 --within 14d
	error "cannot use --until 2026-11-28: it is before --from" --until 2026-11-28
	error "cannot use --until 2027-01-01: it is before --from" --from 2027-01-02 --until 2027-01-01
	error "unexpected argument 'X-1'" X-1
	error "cannot use format 'yaml'" --format yaml
	error "-m goes with --commit" -m "why"
}

@test "overleg-schedule --institution lists only the cases of that institution" {
	team_store
	open_case X-1 2026-11-01 '' Brugge
	open_case H-1 2026-11-08 '' Hasselt
	run overleg-schedule --institution Hasselt
	assert_success
	assert_output - <<-'EOF'
	2026-12-20  H-1              periodic   due      Hasselt
	2027-01-31  H-1              periodic   due      Hasselt
	EOF
	# A name no case uses is an error since issue 10 (R5, 0230-rules-schedule.bats): it was a
	# "nothing due" that let a typo silence a cron job.
	run --separate-stderr overleg-schedule --institution Gent
	assert_failure 2
	assert_output ''
	assert_equal "$stderr" "overleg-schedule: cannot use --institution 'Gent': no case is in that institution"
}

@test "overleg-schedule --case lists only that case, and refuses one the store does not have" {
	team_store
	open_case X-1 2026-11-01
	open_case H-1 2026-11-08
	run overleg-schedule --case H-1 --format tsv
	assert_success
	assert_output $'date\tcase\tkind\tstatus\tinstitution\n2026-12-20\tH-1\tperiodic\tdue\tBrugge\n2027-01-31\tH-1\tperiodic\tdue\tBrugge'
	error "cannot find case 'B-404': no such case in this store" --case B-404
	error "cannot use case ID '../X-1'" --case ../X-1
	# A case that exists with nothing due is a "no", not an error.
	run --separate-stderr overleg-schedule --case H-1 --within 1d
	assert_failure 1
	assert_output ''
	assert_equal "$stderr" ''
}

@test "overleg-schedule --format json gives one object per row" {
	team_store
	open_case X-1 2026-11-01 2027-05-31 "Brugge, vleugel A"
	run overleg-schedule --format json --until 2027-03-01
	assert_success
	assert_equal "$(jq length <<<"$output")" 3
	assert_equal "$(jq -c '.[2]' <<<"$output")" \
		'{"date":"2027-02-28","case_id":"X-1","kind":"pre-leave","status":"due","institution":"Brugge, vleugel A"}'
	assert_equal "$(jq -r '[.[].date] | join(" ")' <<<"$output")" "2026-12-13 2027-01-24 2027-02-28"
}

@test "overleg-schedule --format tsv has a header line, also when nothing is due" {
	team_store
	open_case X-1 2026-11-01 '' $'Brugge\tcel 4'
	run overleg-schedule --format tsv --within 14d
	assert_success
	assert_line --index 0 $'date\tcase\tkind\tstatus\tinstitution'
	# A tab inside a value cannot split the row.
	assert_equal "$(sed -n 2p <<<"$output" | awk -F'\t' '{print NF}')" 5
	run overleg-schedule --format tsv --within 13d
	assert_failure 1
	assert_output $'date\tcase\tkind\tstatus\tinstitution'
	run overleg-schedule --format json --within 13d
	assert_failure 1
	assert_output '[]'
}

@test "overleg-schedule exits 0 when something is listed, 1 when nothing is due; -q prints nothing" {
	team_store
	run overleg-schedule -q
	assert_failure 1
	assert_output ''
	open_case X-1 2026-11-01
	run overleg-schedule -q --within 14d
	assert_success
	assert_output ''
	run overleg-schedule --quiet --within 13d
	assert_failure 1
	assert_output ''
	# The cron form of the man page.
	run sh -c 'overleg-schedule -q --within 14d && echo notify'
	assert_output notify
	run sh -c 'overleg-schedule -q --within 13d && echo notify'
	assert_output ''
}

@test "overleg-schedule puts the pre-leave consultation three calendar months before leave eligibility" {
	team_store
	export CASUS_TODAY=2026-01-01
	open_case P-1 2025-01-01 2027-05-31
	open_case P-2 2025-01-01 2027-03-31
	open_case P-3 2025-01-01 2027-08-31
	open_case P-4 2025-01-01 2027-11-30
	open_case P-5 2025-01-01 2027-06-15
	run pre_leave_of P-1
	assert_output '2027-02-28 due'
	run pre_leave_of P-2
	assert_output '2026-12-31 due'
	run pre_leave_of P-3
	assert_output '2027-05-31 due'
	run pre_leave_of P-4
	assert_output '2027-08-30 due'
	run pre_leave_of P-5
	assert_output '2027-03-15 due'
}

@test "overleg-schedule: 31 May 2028 minus three months is 29 February, a leap day" {
	team_store
	export CASUS_TODAY=2028-02-01
	open_case P-1 2027-12-20 2028-05-31
	run overleg-schedule --case P-1 --format tsv
	assert_success
	assert_line $'2028-02-29\tP-1\tpre-leave\tdue\tBrugge'
	run pre_leave_of P-1
	assert_output '2028-02-29 due'
}

@test "overleg-schedule counts three months back across the year: 2027-01-15 gives 2026-10-15" {
	team_store
	export CASUS_TODAY=2026-10-01
	open_case P-1 2026-09-01 2027-01-15
	run overleg-schedule --case P-1 --within 14d --format tsv
	assert_success
	assert_output - <<-'EOF'
	date	case	kind	status	institution
	2026-10-13	P-1	periodic	due	Brugge
	2026-10-15	P-1	pre-leave	due	Brugge
	EOF
}

@test "overleg-schedule shows a pre-leave consultation less than the lead time away as overdue" {
	team_store
	# Leave eligibility one month away: the consultation was due two months ago.
	open_case P-1 2026-08-01 2026-12-29
	run overleg-schedule --case P-1 --within 1d --format tsv
	assert_success
	assert_output - <<-'EOF'
	date	case	kind	status	institution
	2026-09-12	P-1	periodic	overdue	Brugge
	2026-09-29	P-1	pre-leave	overdue	Brugge
	EOF
}

@test "overleg-schedule lists no pre-leave consultation for a case without a leave date" {
	team_store
	open_case N-1 2026-11-01
	run overleg-schedule --case N-1 --until 2030-12-31 --format json
	assert_success
	assert [ "$(jq length <<<"$output")" -gt 30 ]
	assert_equal "$(jq '[.[] | select(.kind != "periodic")] | length' <<<"$output")" 0
}

@test "overleg-schedule: a periodic consultation on the pre-leave date is the pre-leave one" {
	team_store
	export CASUS_TODAY=2027-01-20
	# 2027-01-17 + 6 weeks = 2027-02-28 = 2027-05-31 - 3 months.
	open_case P-1 2027-01-17 2027-05-31
	run overleg-schedule --case P-1 --format tsv
	assert_success
	assert_output - <<-'EOF'
	date	case	kind	status	institution
	2027-02-28	P-1	pre-leave	due	Brugge
	2027-04-11	P-1	periodic	due	Brugge
	EOF
}

@test "overleg-schedule counts the next periodic consultation from the last one held" {
	team_store
	open_case X-1 2026-11-01
	held X-1 2026-11-20
	run overleg-schedule --format tsv
	assert_success
	assert_output - <<-'EOF'
	date	case	kind	status	institution
	2027-01-01	X-1	periodic	due	Brugge
	2027-02-12	X-1	periodic	due	Brugge
	EOF
	assert_store 5
}

@test "overleg-schedule follows the cadence of casus.yaml" {
	team_store
	open_case X-1 2026-11-01
	case-config overleg.cadence 2m >/dev/null
	run overleg-schedule --format tsv
	assert_success
	assert_output - <<-'EOF'
	date	case	kind	status	institution
	2027-01-01	X-1	periodic	due	Brugge
	EOF
}

@test "overleg-schedule lists nothing for a case held in the lead time before leave" {
	team_store
	export CASUS_TODAY=2027-03-10
	open_case P-1 2027-01-01 2027-05-31
	held P-1 2027-03-01
	run pre_leave_of P-1
	assert_success
	assert_output ''
	run overleg-schedule --case P-1 --format tsv
	assert_success
	assert_output $'date\tcase\tkind\tstatus\tinstitution\n2027-04-12\tP-1\tperiodic\tdue\tBrugge\n2027-05-24\tP-1\tperiodic\tdue\tBrugge'
}

@test "overleg-schedule --commit plans the consultations listed, in one commit" {
	team_store
	open_case X-1 2026-11-01
	open_case L-1 2026-11-01 2027-05-31
	run --separate-stderr overleg-schedule --commit --within 3m
	assert_success
	assert_equal "$stderr" ''
	assert_output - <<-'EOF'
	2026-12-13  L-1              periodic   planned  Brugge
	2026-12-13  X-1              periodic   planned  Brugge
	2027-01-24  L-1              periodic   planned  Brugge
	2027-01-24  X-1              periodic   planned  Brugge
	2027-02-28  L-1              pre-leave  planned  Brugge
	EOF
	assert_store 6
	run overleg_files L-1
	assert_output $'2026-12-13.yaml\n2027-01-24.yaml\n2027-02-28.yaml'
	run overleg_files X-1
	assert_output $'2026-12-13.yaml\n2027-01-24.yaml'
	run git -C "$STORE" show "main:$(case_dir L-1)/overleg/2027-02-28.yaml"
	assert_output - <<-'EOF'
	case_id: L-1
	date: '2027-02-28'
	kind: pre-leave
	status: planned
	EOF
	run git -C "$STORE" log -1 --format='%an <%ae>%n%B' main
	assert_output - <<-'EOF'
	Ann Peeters <ann@brugge.example>
	overleg-schedule: plan consultations

	Case-Id: L-1
	Case-Id: X-1
	Program: overleg-schedule
	EOF
	# What is planned now reads "planned" without --commit too.
	run overleg-schedule --within 3m --format tsv
	assert_line --index 5 $'2027-02-28\tL-1\tpre-leave\tplanned\tBrugge'
}

@test "overleg-schedule --commit twice makes one commit; the second changes nothing" {
	team_store
	open_case X-1 2026-11-01
	run overleg-schedule --commit -q
	assert_success
	assert_store 5
	tip=$(head_commit)
	run overleg-schedule --commit -q
	assert_success
	assert_output ''
	assert_equal "$(head_commit)" "$tip"
	run overleg-schedule --commit
	assert_success
	assert_output - <<-'EOF'
	2026-12-13  X-1              periodic   planned  Brugge
	2027-01-24  X-1              periodic   planned  Brugge
	EOF
	assert_store 5
}

@test "overleg-schedule --commit -m puts the reason in the commit's body" {
	team_store
	open_case X-1 2026-11-01
	run overleg-schedule --commit -q -m "weekly run of the secretariat"
	assert_success
	run git -C "$STORE" log -1 --format=%b main
	assert_line --index 0 "weekly run of the secretariat"
	assert_line "Case-Id: X-1"
	assert_store 5
}

@test "overleg-schedule --commit when nothing is due makes no commit and exits 1" {
	team_store
	open_case X-1 2026-11-01
	run overleg-schedule --commit --within 13d
	assert_failure 1
	assert_output ''
	assert_store 4
}

@test "overleg-schedule --commit by someone who is not on the team is refused, nothing changes" {
	team_store
	open_case X-1 2026-11-01
	as_eve
	run --separate-stderr overleg-schedule --commit
	assert_failure 2
	assert_output ''
	[[ "$stderr" == *"cannot write as '$(fingerprint eve)': the key is not registered to a member of this store"* ]] ||
		fail "stderr: $stderr"
	assert_store 4
	# Reading is not writing.
	run overleg-schedule
	assert_success
}

@test "overleg-schedule --commit plans an overdue consultation and still calls it overdue" {
	team_store
	open_case X-1 2026-08-01
	run overleg-schedule --commit --format tsv --within 1d
	assert_success
	assert_output $'date\tcase\tkind\tstatus\tinstitution\n2026-09-12\tX-1\tperiodic\toverdue\tBrugge'
	assert_store 5
	run overleg_files X-1
	assert_output 2026-09-12.yaml
}

@test "overleg-schedule --commit never moves or removes a held consultation" {
	team_store
	open_case X-1 2026-11-01
	overleg-schedule --commit -q
	export CASUS_TODAY=2026-12-13
	held X-1 2026-12-13
	export CASUS_TODAY=2027-01-30
	blob=$(git -C "$STORE" rev-parse "main:$(case_dir X-1)/overleg/2026-12-13.yaml")
	run overleg-schedule --commit --within 1d
	assert_success
	# 2027-01-24 (planned from the detention start) is what 2026-12-13 + 6 weeks gives too.
	assert_output '2027-01-24  X-1              periodic   overdue  Brugge'
	assert_equal "$(git -C "$STORE" rev-parse "main:$(case_dir X-1)/overleg/2026-12-13.yaml")" "$blob"
	run git -C "$STORE" show "main:$(case_dir X-1)/overleg/2026-12-13.yaml"
	assert_line 'status: held'
	# Neither moved nor removed even where the schedule no longer computes it.
	export CASUS_TODAY=2027-03-01
	held X-1 2027-02-01
	run overleg-schedule --commit -q --from 2026-12-01 --until 2027-06-01
	assert_success
	assert_equal "$(git -C "$STORE" rev-parse "main:$(case_dir X-1)/overleg/2026-12-13.yaml")" "$blob"
	run overleg_files X-1
	assert_line 2026-12-13.yaml
	assert_line 2027-02-01.yaml
}

@test "overleg-schedule --commit cancels a planned consultation that a held one made stale" {
	team_store
	open_case X-1 2026-11-01
	overleg-schedule --commit -q
	run overleg_files X-1
	assert_output $'2026-12-13.yaml\n2027-01-24.yaml'
	# Held earlier than planned, and not on a planned date: the cadence counts from it.
	export CASUS_TODAY=2026-12-01
	held X-1 2026-12-01
	assert_store 6
	run overleg-schedule --commit
	assert_success
	assert_output - <<-'EOF'
	2027-01-12  X-1              periodic   planned  Brugge
	2027-02-23  X-1              periodic   planned  Brugge
	EOF
	assert_store 7
	# Since issue 10 the stale ones stay, cancelled, so that the calendar file can cancel
	# their events (R5, 0230-rules-schedule.bats); they were removed before.
	run overleg_files X-1
	assert_output $'2026-12-01.yaml\n2026-12-13.yaml\n2027-01-12.yaml\n2027-01-24.yaml\n2027-02-23.yaml'
	run git -C "$STORE" show "main:$(case_dir X-1)/overleg/2026-12-13.yaml"
	assert_output $'case_id: X-1\ndate: \'2026-12-13\'\nkind: periodic\nstatus: cancelled'
	run git -C "$STORE" log -1 --format=%B --name-status --no-renames main
	assert_line --partial "Case-Id: X-1"
	assert_line --regexp $'^M\t.*/X-1/overleg/2026-12-13.yaml$'
	assert_line --regexp $'^M\t.*/X-1/overleg/2027-01-24.yaml$'
}

@test "overleg-schedule --commit with a later --from keeps what is planned before it" {
	team_store
	open_case X-1 2026-11-01
	overleg-schedule --commit -q
	run overleg-schedule --commit --from 2027-01-01
	assert_success
	assert_output - <<-'EOF'
	2027-01-24  X-1              periodic   planned  Brugge
	2027-03-07  X-1              periodic   planned  Brugge
	EOF
	assert_store 6
	run overleg_files X-1
	assert_output $'2026-12-13.yaml\n2027-01-24.yaml\n2027-03-07.yaml'
}

@test "overleg-schedule --commit plans a case of its window only" {
	team_store
	open_case X-1 2026-11-01
	open_case H-1 2026-11-08 '' Hasselt
	run overleg-schedule --commit --institution Hasselt -q
	assert_success
	assert_store 6
	run overleg_files X-1
	assert_output ''
	run overleg_files H-1
	assert_output $'2026-12-20.yaml\n2027-01-31.yaml'
	run git -C "$STORE" log -1 --format=%B main
	refute_line --partial X-1
}

@test "overleg-schedule lists the other cases when one has a broken file, and still exits 2; --commit plans nothing" {
	team_store
	open_case B-2026-017 2026-10-01
	open_case B-2026-018 2026-10-08
	# A consultation file broken behind casus's back, with the git CLI.
	local wt=$BATS_TEST_TMPDIR/wt dir
	git clone -q "$STORE" "$wt"
	dir=$(cd "$wt" && ls -d cases/*/B-2026-018)
	mkdir -p "$wt/$dir/overleg"
	printf 'case_id: B-2026-018\ndate: 2026-11-01\nkind: yearly\nstatus: held\n' >"$wt/$dir/overleg/2026-11-01.yaml"
	git -C "$wt" add -A
	git -C "$wt" -c user.name=M -c user.email=m@elsewhere.example commit -q -m sneak
	git -C "$wt" push -q origin main
	run --separate-stderr overleg-schedule
	assert_failure 2
	assert_output --partial "B-2026-017       periodic"
	refute_output --partial "B-2026-018"
	[[ "$stderr" == *"cannot read '$dir/overleg/2026-11-01.yaml'"* ]] || fail "stderr: $stderr"
	[[ "$stderr" == *"cannot list 1 case with a file that is not valid (see case-validate)"* ]] || fail "stderr: $stderr"
	run --separate-stderr overleg-schedule --commit
	assert_failure 2
	assert_store 6
}

@test "overleg-schedule lists no consultation past the year 9999, and stores none as year 0000" {
	team_store
	export CASUS_TODAY=9999-12-01
	open_case Z-1 9999-12-01
	run -1 overleg-schedule --case Z-1 --within 8w
	assert_output ''
	run -1 overleg-schedule --case Z-1 --within 8w --commit
	assert_store 4
	run plan-show Z-1
	refute_output --partial '0000-'
}
