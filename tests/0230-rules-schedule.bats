#!/usr/bin/env bats
# The rules of the paper that scheduling consultations keeps (issue 10), as DOMAIN.md states
# them:
#
# R5 - the case consultation is periodic. It is held in every institution that houses
#      radicalised detainees; all services that actively work with the detainee attend; the
#      partners make agreements on the case based on the individual detention plan and a
#      complete, accurate picture of needs.
# R6 - a consultation three months before leave eligibility. A case consultation takes place
#      three months before the leave eligibility date (toelaatbaarheidsdatum penitentiair
#      verlof).
# R8 - the reintegration plan and post-release follow-up are kept in view. The consultation
#      guards the link with the reintegration plan and with follow-up after detention by the
#      justice houses.
#
# What casus makes of them (overleg-schedule(1), release-check(1), casus(7)): the pre-leave
# consultation is the first one held in the pre-leave window, from two weeks before leave
# eligibility minus three months to two weeks after, never on or after leave eligibility; for
# leave on 2027-05-31, 2027-02-14 to 2027-03-14. Without a member of the justice houses present
# it does not count for release-check. overleg-schedule --institution with a name no case uses
# is an error, and its calendar cancels what it no longer lists.

bats_require_minimum_version 1.5.0
load helpers

CASE=cases/e7/B-2026-017

# Made once per file, copied per test: the team and case B-2026-017 (leave eligibility
# 2027-05-31, pre-leave date 2027-02-28). 4 commits.
setup_file() {
	(BATS_TEST_TMPDIR=$BATS_FILE_TMPDIR && setup && init_store && new_case >/dev/null)
}

case_store() {
	cp -a "$BATS_FILE_TMPDIR/store" "$STORE"
	export CASUS_REPO="$STORE"
}

# held DATE [PARTNER=MEMBER...]: the consultation of DATE recorded on that day, with those
# present (default: the prison administration and the justice houses).
held() {
	local date=$1 p
	shift
	[ $# -gt 0 ] || set -- dg-epi=ann@brugge.example justitiehuizen=chris@jh.example
	{
		echo 'present:'
		for p in "$@"; do printf -- '- partner: %s\n  member: %s\n' "${p%%=*}" "${p#*=}"; done
		printf 'decision:\n  consensus: true\n'
	} >"$BATS_TEST_TMPDIR/m.yaml"
	CASUS_TODAY=$date overleg-record B-2026-017 --date "$date" --file "$BATS_TEST_TMPDIR/m.yaml" >/dev/null
}

# The kind overleg-record stored for the consultation of $1.
kind_of() {
	git -C "$STORE" show "main:$CASE/overleg/$1.yaml" | sed -n 's/^kind: //p'
}

# release-check's line for pre-leave-overleg on day $1, and the to-do line under it if any.
pre_leave_line() {
	run --separate-stderr release-check B-2026-017 --date "$1"
	assert_failure 1        # the life domains are still to assess
	assert_equal "$stderr" ''
	output=$(printf '%s\n' "${lines[@]}" | sed -n '/pre-leave-overleg/{p;n;/to do:/p}')
	mapfile -t lines <<<"$output"
}

# --- R6: the pre-leave consultation is held in its window ----------------------------------

@test "R6: a consultation held the day before the pre-leave date is the pre-leave consultation" {
	case_store
	held 2027-02-27
	assert_equal "$(kind_of 2027-02-27)" pre-leave
	pre_leave_line 2027-03-01
	assert_output '  pass  pre-leave-overleg   held on 2027-02-27 with the justice houses, in the pre-leave window 2027-02-14 to 2027-03-14 (R6, R8)'
	# overleg-schedule lists no pre-leave consultation any more.
	CASUS_TODAY=2027-03-01 run --separate-stderr overleg-schedule --case B-2026-017 --within 60d --format tsv
	assert_success
	assert_output $'date\tcase\tkind\tstatus\tinstitution\n2027-04-10\tB-2026-017\tperiodic\tdue\tBrugge'
	assert_store 5
}

@test "R6: a consultation held the day before leave eligibility is not the pre-leave consultation" {
	case_store
	held 2027-05-30
	assert_equal "$(kind_of 2027-05-30)" periodic
	pre_leave_line 2027-05-31
	assert_output - <<-'EOF'
	  FAIL  pre-leave-overleg   no consultation held in the pre-leave window 2027-02-14 to 2027-03-14 (R6, R8)
	                            to do: hold the pre-leave consultation with the justice houses and record it with overleg-record
	EOF
	CASUS_TODAY=2027-05-31 run --separate-stderr overleg-schedule --case B-2026-017 --format tsv
	assert_success
	assert_line --index 1 $'2027-02-28\tB-2026-017\tpre-leave\toverdue\tBrugge'
	assert_store 5
}

@test "R6: the pre-leave window starts two weeks before the pre-leave date" {
	case_store
	held 2027-02-13
	assert_equal "$(kind_of 2027-02-13)" periodic
	held 2027-02-14
	assert_equal "$(kind_of 2027-02-14)" pre-leave
	pre_leave_line 2027-02-14
	assert_line --index 0 --partial 'pass  pre-leave-overleg   held on 2027-02-14 with the justice houses'
	assert_store 6
}

@test "R6: the pre-leave window ends two weeks after the pre-leave date" {
	case_store
	held 2027-03-15
	assert_equal "$(kind_of 2027-03-15)" periodic
	pre_leave_line 2027-03-15
	assert_line --index 0 '  FAIL  pre-leave-overleg   no consultation held in the pre-leave window 2027-02-14 to 2027-03-14 (R6, R8)'
	held 2027-03-14
	assert_equal "$(kind_of 2027-03-14)" pre-leave
	pre_leave_line 2027-03-15
	assert_line --index 0 '  pass  pre-leave-overleg   held on 2027-03-14 with the justice houses, in the pre-leave window 2027-02-14 to 2027-03-14 (R6, R8)'
	assert_store 6
}

@test "R6: with a lead time of two weeks the window still ends the day before leave eligibility" {
	case_store
	case-config overleg.pre_leave_lead 2w -m 'a shorter lead time' >/dev/null
	held 2027-05-31
	assert_equal "$(kind_of 2027-05-31)" periodic
	pre_leave_line 2027-05-31
	assert_line --index 0 '  FAIL  pre-leave-overleg   no consultation held in the pre-leave window 2027-05-03 to 2027-05-30 (R6, R8)'
	assert_store 6
}

# --- R8: the justice houses attend the pre-leave consultation -------------------------------

@test "R8: a pre-leave consultation without the justice houses does not count" {
	case_store
	held 2027-02-28 dg-epi=ann@brugge.example welzijn=bram@welzijn.example
	# It was the pre-leave consultation, and overleg-schedule no longer lists one ...
	assert_equal "$(kind_of 2027-02-28)" pre-leave
	CASUS_TODAY=2027-03-01 run --separate-stderr overleg-schedule --case B-2026-017 --within 14d
	assert_failure 1
	assert_output ''
	# ... but release-check does not count it, and says why; it stores nothing.
	before=$(head_commit)
	pre_leave_line 2027-03-01
	assert_output - <<-'EOF'
	  FAIL  pre-leave-overleg   held on 2027-02-28 without the justice houses (justitiehuizen), so it does not count (R6, R8)
	                            to do: hold it again by the window's end with a member of the justice houses present, and record it with overleg-record
	EOF
	run --separate-stderr release-check B-2026-017 --date 2027-03-01 --format json
	run jq -r '.checks[] | select(.name == "pre-leave-overleg") | [.rule, .passed] | @tsv' <<<"$output"
	assert_output $'R6, R8\tfalse'
	assert_equal "$(head_commit)" "$before"
	assert_store 5
}

@test "R8: a consultation held again in the window with the justice houses counts" {
	case_store
	held 2027-02-28 dg-epi=ann@brugge.example
	held 2027-03-07
	assert_equal "$(kind_of 2027-03-07)" periodic
	pre_leave_line 2027-03-08
	assert_output '  pass  pre-leave-overleg   held on 2027-03-07 with the justice houses, in the pre-leave window 2027-02-14 to 2027-03-14 (R6, R8)'
	assert_store 6
}

@test "R8: the justice houses listed absent is not the justice houses present" {
	case_store
	printf 'present:\n- partner: dg-epi\n  member: ann@brugge.example\nabsent:\n- justitiehuizen\ndecision:\n  consensus: true\n' \
		>"$BATS_TEST_TMPDIR/m.yaml"
	CASUS_TODAY=2027-02-28 overleg-record B-2026-017 --date 2027-02-28 --file "$BATS_TEST_TMPDIR/m.yaml" >/dev/null
	pre_leave_line 2027-03-01
	assert_line --index 0 '  FAIL  pre-leave-overleg   held on 2027-02-28 without the justice houses (justitiehuizen), so it does not count (R6, R8)'
	assert_store 5
}

# --- R5: every institution's consultations, and a calendar that stays true -----------------

@test "R5: overleg-schedule --institution with a name no case uses is an error" {
	case_store
	export CASUS_TODAY=2026-11-29
	before=$(head_commit)
	run --separate-stderr overleg-schedule --institution Bruge
	assert_failure 2
	assert_output ''
	assert_equal "$stderr" "overleg-schedule: cannot use --institution 'Bruge': no case is in that institution"
	# With --commit too, and nothing is stored.
	run --separate-stderr overleg-schedule --institution Bruge --commit -q
	assert_failure 2
	assert_equal "$stderr" "overleg-schedule: cannot use --institution 'Bruge': no case is in that institution"
	assert_equal "$(head_commit)" "$before"
	assert_store 4
	# The name as the plan writes it.
	run --separate-stderr overleg-schedule --institution Brugge --within 1d
	assert_success
	assert_output '2026-02-21  B-2026-017       periodic   overdue  Brugge'
	assert_equal "$stderr" ''
}

@test "R5: overleg-schedule --institution naming only closed cases is not an error" {
	case_store
	export CASUS_TODAY=2026-11-29
	git -C "$STORE" show "main:$CASE/plan.yaml" | sed 's/^status: open/status: closed/' >"$BATS_TEST_TMPDIR/p.yaml"
	plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/p.yaml" -m 'released' >/dev/null
	run --separate-stderr overleg-schedule --institution Brugge
	assert_failure 1
	assert_output ''
	assert_equal "$stderr" ''
	assert_store 5
}
