#!/usr/bin/env bats
# The rules of the paper that scheduling consultations keeps (issue 10), as casus(7) states
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
		# Every partner of the team not present is listed absent with a reason (R5).
		local absent=
		for p in dg-epi welzijn justitiehuizen; do
			case " $* " in *" $p="*) ;; *) absent+="- partner: $p"$'\n'"  reason: on leave"$'\n' ;; esac
		done
		[ -z "$absent" ] || printf 'absent:\n%s' "$absent"
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
	printf 'present:\n- partner: dg-epi\n  member: ann@brugge.example\nabsent:\n- partner: welzijn\n  reason: on leave\n- partner: justitiehuizen\n  reason: in court\ndecision:\n  consensus: true\n' \
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

# ics_events FILE: the events of the calendar FILE as tests/ics-check.mjs reads them with
# ical.js (one line each, "|cancelled N" after a cancellation), without its first line.
ics_events() {
	command -v node >/dev/null || fail "node is missing: run make deps"
	node "$BATS_TEST_DIRNAME/ics-check.mjs" "$1" \
		"$BATS_TEST_DIRNAME/../.deps/npm/node_modules/ical.js/dist/ical.js" | sed 1d
}

# The VEVENT of UID $2 in the calendar $1, unfolded, with LF ends.
ics_event() {
	perl -0777 -pe 's/\r\n[ \t]//g; s/\r\n/\n/g' "$1" |
		awk -v uid="UID:$2" '/^BEGIN:VEVENT/ { ev = ""; keep = 0 } { ev = ev $0 "\n" } $0 == uid { keep = 1 }
			/^END:VEVENT/ && keep { printf "%s", ev }'
}

@test "R5: the calendar cancels a planned consultation that is no longer due (same UID, STATUS:CANCELLED, higher SEQUENCE)" {
	case_store
	export CASUS_TODAY=2026-02-16
	overleg-schedule --within 14d --commit -q
	overleg-schedule --within 14d --format ics >"$BATS_TEST_TMPDIR/week1.ics"
	run ics_events "$BATS_TEST_TMPDIR/week1.ics"
	assert_output 'B-2026-017.periodic.20260221@casus|2026-02-21|casusoverleg B-2026-017 (periodic)|Brugge'
	# Held two days early: the cadence counts from it, and the 21st is no longer due.
	held 2026-02-19
	export CASUS_TODAY=2026-02-23
	# Before --commit cancels it in the store, the calendar cancels it already ...
	run --separate-stderr overleg-schedule --within 14d --format ics
	assert_failure 1
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/before.ics"
	# ... and after, the same. Nothing is due: exit 1, and the file still holds the cancellation.
	overleg-schedule --within 14d --commit -q || [ $? -eq 1 ]
	assert_store 7
	run git -C "$STORE" show "main:$CASE/overleg/2026-02-21.yaml"
	assert_output $'case_id: B-2026-017\ndate: \'2026-02-21\'\nkind: periodic\nstatus: cancelled'
	run --separate-stderr overleg-schedule --within 14d --format ics
	assert_failure 1
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/week2.ics"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/week2.ics")" "$(cat "$BATS_TEST_TMPDIR/before.ics")"
	run ics_events "$BATS_TEST_TMPDIR/week2.ics"
	assert_output 'B-2026-017.periodic.20260221@casus|2026-02-21|casusoverleg B-2026-017 (periodic)|Brugge|cancelled 1'
	run ics_event "$BATS_TEST_TMPDIR/week2.ics" B-2026-017.periodic.20260221@casus
	assert_output - <<-'EOF'
	BEGIN:VEVENT
	UID:B-2026-017.periodic.20260221@casus
	DTSTAMP:20260223T000000Z
	SEQUENCE:1
	DTSTART;VALUE=DATE:20260221
	DTEND;VALUE=DATE:20260222
	SUMMARY:casusoverleg B-2026-017 (periodic)
	LOCATION:Brugge
	STATUS:CANCELLED
	CATEGORIES:casusoverleg,cancelled
	TRANSP:TRANSPARENT
	END:VEVENT
	EOF
	# The other formats list what is due, not what was cancelled.
	run --separate-stderr overleg-schedule --within 14d --format tsv
	assert_failure 1
	assert_output $'date\tcase\tkind\tstatus\tinstitution'
	# Run again, nothing changes.
	overleg-schedule --within 14d --commit -q || [ $? -eq 1 ]
	assert_store 7
}

@test "R5: a cancelled consultation is kept, and cancelled on the calendar, for 90 days after its date" {
	case_store
	export CASUS_TODAY=2026-02-16
	overleg-schedule --within 14d --commit -q
	held 2026-02-19
	export CASUS_TODAY=2026-02-23
	overleg-schedule --within 14d --commit -q || [ $? -eq 1 ]
	assert_store 7
	# 2026-02-21 + 90 days is 2026-05-22: still carried that day, and gone the day after.
	export CASUS_TODAY=2026-05-22
	overleg-schedule --until 2026-05-22 --format ics >"$BATS_TEST_TMPDIR/cal.ics" || true
	run ics_events "$BATS_TEST_TMPDIR/cal.ics"
	assert_line 'B-2026-017.periodic.20260221@casus|2026-02-21|casusoverleg B-2026-017 (periodic)|Brugge|cancelled 1'
	export CASUS_TODAY=2026-05-23
	overleg-schedule --until 2026-05-23 --commit -q -m 'weekly planning'
	run git -C "$STORE" log -1 --format= --name-status --no-renames main
	assert_line --regexp $'^D\t.*/B-2026-017/overleg/2026-02-21.yaml$'
	overleg-schedule --until 2026-05-23 --format ics >"$BATS_TEST_TMPDIR/cal.ics"
	run ics_events "$BATS_TEST_TMPDIR/cal.ics"
	refute_output --partial cancelled
}

@test "R5: a closed case's planned consultations are cancelled on the calendar" {
	case_store
	export CASUS_TODAY=2026-02-16
	overleg-schedule --within 14d --commit -q
	git -C "$STORE" show "main:$CASE/plan.yaml" | sed 's/^status: open/status: closed/' >"$BATS_TEST_TMPDIR/p.yaml"
	plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/p.yaml" -m 'transferred' >/dev/null
	overleg-schedule --within 14d --format ics >"$BATS_TEST_TMPDIR/cal.ics" || [ $? -eq 1 ]
	run ics_events "$BATS_TEST_TMPDIR/cal.ics"
	assert_output 'B-2026-017.periodic.20260221@casus|2026-02-21|casusoverleg B-2026-017 (periodic)|Brugge|cancelled 1'
}

@test "R5: the crontab line of overleg-schedule(1) rewrites the calendar file every week, also with nothing due" {
	case_store
	local line
	# The line as the man page gives it, minus its five time fields, on this test's store and folder.
	line=$(grep '^0 6 \* \* 1 ' "$BATS_TEST_DIRNAME/../man/man1/overleg-schedule.1" |
		sed -e 's/^\([^ ]* *\)\{5\}//' -e "s,/srv/casus/brugge,$STORE,g" -e "s,/srv/secretariaat,$BATS_TEST_TMPDIR,g")
	[ -n "$line" ] || fail "no crontab line in overleg-schedule(1)"
	# Monday 16 February: the consultation of the 21st is planned and on the calendar.
	CASUS_TODAY=2026-02-16 run sh -c "$line"
	assert_success
	assert_store 5
	run ics_events "$BATS_TEST_TMPDIR/casusoverleg.ics"
	assert_output 'B-2026-017.periodic.20260221@casus|2026-02-21|casusoverleg B-2026-017 (periodic)|Brugge'
	# Held on the 19th; Monday the 23rd has nothing due, and the file is rewritten all the same.
	held 2026-02-19
	CASUS_TODAY=2026-02-23 run sh -c "$line"
	assert_success
	assert_store 7
	run ics_events "$BATS_TEST_TMPDIR/casusoverleg.ics"
	assert_output 'B-2026-017.periodic.20260221@casus|2026-02-21|casusoverleg B-2026-017 (periodic)|Brugge|cancelled 1'
	# Monday 2 March: nothing changes in the store, nothing is due, the file is written again.
	: >"$BATS_TEST_TMPDIR/casusoverleg.ics"
	CASUS_TODAY=2026-03-02 run sh -c "$line"
	assert_success
	assert_store 7
	run ics_events "$BATS_TEST_TMPDIR/casusoverleg.ics"
	assert_output 'B-2026-017.periodic.20260221@casus|2026-02-21|casusoverleg B-2026-017 (periodic)|Brugge|cancelled 1'
	# An error (a store that is not there) leaves the file as it was.
	cp "$BATS_TEST_TMPDIR/casusoverleg.ics" "$BATS_TEST_TMPDIR/last.ics"
	CASUS_TODAY=2026-03-09 run sh -c "${line//$STORE/$BATS_TEST_TMPDIR/nostore}"
	assert_failure
	cmp "$BATS_TEST_TMPDIR/casusoverleg.ics" "$BATS_TEST_TMPDIR/last.ics"
}
