#!/usr/bin/env bats
# The rules of a consultation's minutes, from the paper (casus(7), "The rules of the paper"):
#
# R5 - the case consultation is periodic. It is held in every institution that houses
#   radicalised detainees; all services that actively work with the detainee attend; the
#   partners make agreements on the case based on the individual detention plan and a
#   complete, accurate picture of needs.
# R7 - decisions by consensus where possible. The record of a consultation shows whether a
#   decision was taken in consensus, and any dissent.
# R9 - fixed team members and role agreements for each case, in an open, confidential, safe
#   context.
#
# overleg-record(1) refuses minutes that break them and stores nothing; overleg_check() is the
# one check, so case-validate(1) reports the same of what is stored (tests/0085).

bats_require_minimum_version 1.5.0
load helpers

CASE=cases/e7/B-2026-017

# The team of story 1 and case B-2026-017 (dg-epi: Ann, welzijn: Bram, justitiehuizen: Chris),
# and Bram's consent of story 4. 5 commits.
setup_file() {
	(
		BATS_TEST_TMPDIR=$BATS_FILE_TMPDIR && setup && init_store && new_case >/dev/null && as_bram &&
			consent-record B-2026-017 --from welzijn --told consent-leaflet --language nl --to dg-epi,justitiehuizen --categories psychosocial \
				--purpose casusoverleg --date 2026-02-01 --informed >/dev/null
	)
}

case_store() {
	cp -a "$BATS_FILE_TMPDIR/store" "$STORE"
	export CASUS_REPO="$STORE"
	M=$BATS_TEST_TMPDIR/minutes.yaml
	as_bram
}

# Minutes of 2026-11-20: Bram and Ann present, the justice houses absent with a reason; then
# $1 (the decisions, and more).
minutes() {
	{
		printf 'present:\n- partner: welzijn\n  member: bram@welzijn.example\n'
		printf -- '- partner: dg-epi\n  member: ann@brugge.example\n'
		printf 'absent:\n- partner: justitiehuizen\n  reason: a hearing at the court\n'
		printf '%s' "$1"
	} >"$M"
}

# overleg-record on 2026-11-20 refuses with exit $1 and exactly the lines on stdin; nothing
# is stored.
refused() {
	local status=$1 expected before
	expected=$(cat)
	before=$(head_commit)
	run --separate-stderr overleg-record B-2026-017 --date 2026-11-20 --file "$M"
	assert_failure "$status"
	assert_output ''
	assert_equal "$stderr" "$expected"
	assert_equal "$(head_commit)" "$before"
	assert_store 5
}

@test "R7: a decision without consensus names at least one dissent" {
	case_store
	minutes $'decisions:\n- text: leave from the spring\n  consensus: false\n'
	refused 2 <<-EOF
	overleg-record: $M:10: decisions[0]: taken without consensus, but names no dissent
	overleg-record: cannot record the consultation of B-2026-017: 1 problem, nothing recorded
	EOF
}

@test "R7: consensus and dissent are recorded per decision, and plan-show shows each" {
	case_store
	minutes $'decisions:\n- text: the plan stands\n  consensus: true\n- text: leave from the spring\n  consensus: false\n  dissent:\n  - partner: dg-epi\n    point: too early\n'
	run --separate-stderr overleg-record B-2026-017 --date 2026-11-20 --file "$M"
	assert_success
	assert_store 6
	# Read by Ann, of dg-epi, which was present: her key opens the decisions and her point.
	CASUS_KEY="$KEYS/ann" run plan-show B-2026-017
	assert_output --partial - <<-'EOF'
	  last held          2026-11-20 (periodic), without consensus
	    present          welzijn (bram@welzijn.example), dg-epi (ann@brugge.example)
	    absent           justitiehuizen: a hearing at the court
	    decision         the plan stands (in consensus)
	    decision         leave from the spring (without consensus)
	    dissent          dg-epi: too early
	EOF
}

@test "R7: only a partner present can dissent from a decision" {
	case_store
	minutes $'decisions:\n- text: the plan stands\n  consensus: true\n- text: leave from the spring\n  consensus: false\n  dissent:\n  - partner: justitiehuizen\n    point: too early\n'
	refused 2 <<-EOF
	overleg-record: $M:15: decisions[1].dissent[0].partner: 'justitiehuizen' dissents but was not present
	overleg-record: cannot record the consultation of B-2026-017: 1 problem, nothing recorded
	EOF
}

@test "R7: minutes give at least one decision, in one form" {
	case_store
	minutes ''
	refused 2 <<-EOF
	overleg-record: $M:1: decisions: no decision recorded: give at least one
	overleg-record: cannot record the consultation of B-2026-017: 1 problem, nothing recorded
	EOF
	minutes $'decisions:\n- text: the plan stands\n  consensus: true\ndecision:\n  consensus: true\n'
	refused 2 <<-EOF
	overleg-record: $M:13: decision: give the decisions once, under 'decisions' (or 'decision', the old form of one), not both
	overleg-record: cannot record the consultation of B-2026-017: 1 problem, nothing recorded
	EOF
}

@test "R7: minutes in the old form, one decision for the meeting, read as one decision" {
	case_store
	minutes $'decision:\n  consensus: false\n'
	refused 2 <<-EOF
	overleg-record: $M:10: decision: taken without consensus, but names no dissent
	overleg-record: cannot record the consultation of B-2026-017: 1 problem, nothing recorded
	EOF
	minutes $'decision:\n  consensus: false\n  note: leave from the spring\n  dissent:\n  - partner: dg-epi\n    point: too early\n'
	run overleg-record B-2026-017 --date 2026-11-20 --file "$M"
	assert_success
	CASUS_KEY="$KEYS/ann" run plan-show B-2026-017
	assert_line '  last held          2026-11-20 (periodic), without consensus'
	assert_line '    dissent          dg-epi: too early'
}

@test "R7: a consultation stored before issue 10 (one decision, bare absences) still reads and passes case-validate" {
	case_store
	printf '%s\n' 'case_id: B-2026-017' "date: '2026-11-20'" 'kind: periodic' 'status: held' \
		'present:' '- partner: welzijn' '  member: bram@welzijn.example' '- partner: dg-epi' \
		'  member: ann@brugge.example' 'absent:' '- justitiehuizen' 'decision:' '  consensus: false' \
		'  dissent:' '  - partner: dg-epi' '    point: too early' >"$BATS_TEST_TMPDIR/old.yaml"
	sneak "mkdir -p $CASE/overleg && cp '$BATS_TEST_TMPDIR/old.yaml' $CASE/overleg/2026-11-20.yaml"
	run --separate-stderr case-validate
	assert_success
	assert_output ''
	run plan-show B-2026-017
	assert_line '    absent           justitiehuizen'
	assert_line '    dissent          dg-epi: too early'
	assert_store 6
}

@test "R5: every partner of the case's team is present or listed absent" {
	case_store
	printf 'present:\n- partner: welzijn\n  member: bram@welzijn.example\ndecision:\n  consensus: true\n' >"$M"
	refused 2 <<-EOF
	overleg-record: $M:2: present: 'dg-epi' of the case's fixed team is neither present nor listed absent
	overleg-record: $M:2: present: 'justitiehuizen' of the case's fixed team is neither present nor listed absent
	overleg-record: cannot record the consultation of B-2026-017: 2 problems, nothing recorded
	EOF
}

@test "R5: a partner listed absent gives the reason" {
	case_store
	printf 'present:\n- partner: welzijn\n  member: bram@welzijn.example\n- partner: dg-epi\n  member: ann@brugge.example\nabsent: [justitiehuizen]\ndecision:\n  consensus: true\n' >"$M"
	refused 2 <<-EOF
	overleg-record: $M:6: absent[0]: expected object, got string
	overleg-record: cannot record the consultation of B-2026-017: the minutes are not valid, nothing recorded
	EOF
}

@test "R9: a member is listed once in present" {
	case_store
	minutes $'decisions:\n- text: the plan stands\n  consensus: true\n'
	sed -i '5a- partner: welzijn\n  member: Bram@welzijn.example' "$M"
	refused 2 <<-EOF
	overleg-record: $M:6: present[2]: 'Bram@welzijn.example' is listed twice
	overleg-record: cannot record the consultation of B-2026-017: 1 problem, nothing recorded
	EOF
}

@test "R9: a member who has left cannot be recorded as present" {
	case_store
	CASUS_TODAY=2026-11-10 member_leaves ann@brugge.example -m "moved to another prison"
	assert_store 6
	minutes $'decisions:\n- text: the plan stands\n  consensus: true\n'
	run --separate-stderr overleg-record B-2026-017 --date 2026-11-20 --file "$M"
	assert_failure 2
	assert_output ''
	assert_equal "$stderr" "overleg-record: $M:4: present[1]: 'ann@brugge.example' left the team on 2026-11-10
overleg-record: cannot record the consultation of B-2026-017: 1 problem, nothing recorded"
	assert_store 6
	# Up to the day they left, they were a member: that consultation is recorded.
	run --separate-stderr overleg-record B-2026-017 --date 2026-11-10 --file "$M"
	assert_success
	assert_store 7
}

@test "R9: a member who is not on the case's team is named as a guest, not present" {
	case_store
	member-add "Dirk Wouters" dirk@welzijn.example --partner welzijn --role consultant --key "$KEYS/dirk.pub"
	assert_store 6
	minutes $'decisions:\n- text: the plan stands\n  consensus: true\n'
	sed -i '5a- partner: welzijn\n  member: dirk@welzijn.example' "$M"
	run --separate-stderr overleg-record B-2026-017 --date 2026-11-20 --file "$M"
	assert_failure 2
	assert_equal "$stderr" "overleg-record: $M:6: present[2]: 'dirk@welzijn.example' is not on the case's team for welzijn: list them under guests
overleg-record: cannot record the consultation of B-2026-017: 1 problem, nothing recorded"
	assert_store 6
	minutes $'guests:\n- name: Dirk Wouters\n  organisation: welzijn\ndecisions:\n- text: the plan stands\n  consensus: true\n'
	run --separate-stderr overleg-record B-2026-017 --date 2026-11-20 --file "$M"
	assert_success
	assert_store 7
	run plan-show B-2026-017
	assert_line '    guests           Dirk Wouters (welzijn)'
}

@test "R9: a guest has a name and an organisation, no address" {
	case_store
	minutes $'guests:\n- name: Eva Jacobs\n  organisation: police\n  email: eva@police.example\ndecisions:\n- text: the plan stands\n  consensus: true\n'
	refused 2 <<-EOF
	overleg-record: $M:12: guests[0]: unexpected property 'email'
	overleg-record: cannot record the consultation of B-2026-017: the minutes are not valid, nothing recorded
	EOF
}

@test "R9: nothing is shared with a guest" {
	case_store
	minutes $'guests:\n- name: Eva Jacobs\n  organisation: police\ndecisions:\n- text: the plan stands\n  consensus: true\nshared:\n- category: psychosocial\n  from: welzijn\n  to: [dg-epi, police]\n'
	refused 2 <<-EOF
	overleg-record: $M:18: shared[0]: 'police' is a guest: nothing is shared with guests
	overleg-record: cannot record the consultation of B-2026-017: 1 problem, nothing recorded
	EOF
}

# --- The team (R9): one rule for every place a member is named -----------------------------

# Chris left the team on 2026-11-10 (member-remove by the justice houses, his own partner).
chris_left() {
	CASUS_TODAY=2026-11-10 member_leaves chris@jh.example -m "moved to another service"
	assert_store 6
}

@test "R9: a member who has left cannot be named anew in a role agreement" {
	case_store
	chris_left
	git -C "$STORE" show "main:$CASE/plan.yaml" >"$BATS_TEST_TMPDIR/plan.yaml"
	printf 'roles:\n- partner: justitiehuizen\n  member: chris@jh.example\n  agreement: the reintegration plan\n' \
		>>"$BATS_TEST_TMPDIR/plan.yaml"
	run --separate-stderr plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/plan.yaml"
	assert_failure 2
	assert_output ''
	assert_equal "$stderr" "plan-edit: cannot store the plan of 'B-2026-017': team member 'chris@jh.example' is no longer active"
	assert_store 6
}

@test "R9: a member who has left cannot be named anew as the reintegration plan's follow-up" {
	case_store
	chris_left
	printf '%s\n' 'case_id: B-2026-017' 'housing:' '  status: to-arrange' 'work:' '  status: to-arrange' \
		'network:' '  status: to-arrange' 'care:' '  status: to-arrange' 'follow_up:' \
		'  justice_house: Brugge' '  member: chris@jh.example' >"$BATS_TEST_TMPDIR/r.yaml"
	run --separate-stderr plan-edit B-2026-017 --reintegration --file "$BATS_TEST_TMPDIR/r.yaml"
	assert_failure 2
	assert_output ''
	assert_equal "$stderr" "plan-edit: cannot store the reintegration plan of 'B-2026-017': follow-up member 'chris@jh.example' is no longer active"
	assert_store 6
}

@test "R9: a member who has left stays where they were named before, as history" {
	case_store
	printf '%s\n' 'case_id: B-2026-017' 'housing:' '  status: to-arrange' 'work:' '  status: to-arrange' \
		'network:' '  status: to-arrange' 'care:' '  status: to-arrange' 'follow_up:' \
		'  justice_house: Brugge' '  member: chris@jh.example' >"$BATS_TEST_TMPDIR/r.yaml"
	plan-edit B-2026-017 --reintegration --file "$BATS_TEST_TMPDIR/r.yaml"
	assert_store 6
	CASUS_TODAY=2026-11-10 member_leaves chris@jh.example -m "moved to another service"
	sed -i 's/^work:$/work:\n  note: a job at the harbour/' "$BATS_TEST_TMPDIR/r.yaml"
	run --separate-stderr plan-edit B-2026-017 --reintegration --file "$BATS_TEST_TMPDIR/r.yaml"
	assert_success
	assert_store 8
	run --separate-stderr case-validate
	assert_success
}

@test "R9: a consultation held before a member was replaced on the team stays valid" {
	case_store
	minutes $'decisions:\n- text: the plan stands\n  consensus: true\n'
	overleg-record B-2026-017 --date 2026-11-20 --file "$M" >/dev/null
	member-add "Dina Wouters" dina@welzijn.example --partner welzijn --key "$KEYS/dina.pub" >/dev/null
	git -C "$STORE" show "main:$CASE/plan.yaml" |
		sed 's/bram@welzijn.example/dina@welzijn.example/' >"$BATS_TEST_TMPDIR/plan.yaml"
	plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/plan.yaml" >/dev/null
	assert_store 8
	# Dina joined welzijn, which holds the decision with dg-epi: re-sealed for her (case-reseal(1)).
	case-reseal B-2026-017 >/dev/null
	assert_store 9
	# The plan keeps today's team only: Bram was on it on 2026-11-20 (case-validate(1)).
	run case-validate
	assert_success
	# New minutes are judged by today's team.
	run --separate-stderr overleg-record B-2026-017 --date 2026-11-27 --file "$M"
	assert_failure 2
	assert_equal "${stderr%%$'\n'*}" "overleg-record: $M:2: present[0]: 'bram@welzijn.example' is not on the case's team for welzijn: list them under guests"
	assert_store 9
}
