#!/usr/bin/env bats
# Story 6, three months before leave eligibility: one case walked from plan-new to ready for
# leave, with release-check --for leave after each step failing fewer checks each time until it
# passes; then ready for release too, once every area is arranged and the follow-up dated. The cron job of the story plans the pre-leave
# consultation in the week of 28 February 2027, and the director's office's release-check --all
# lists the case until it is ready.

bats_require_minimum_version 1.5.0
load helpers

CASE=cases/e7/B-2026-017

# release-check --for leave --format json "$@" on B-2026-017: the names of the failed checks,
# one a line, in $failed; their number in $nfailed; the json in $json; the exit status in $rc.
leave_check() {
	run --separate-stderr release-check B-2026-017 --for leave --format json "$@"
	rc=$status
	json=$output
	assert_equal "$stderr" ''
	failed=$(jq -r '.checks[] | select(.passed | not) | .name' <<<"$json")
	nfailed=$(jq '[.checks[] | select(.passed | not)] | length' <<<"$json")
	# .ready says the same as the checks and the exit status.
	run jq -r .ready <<<"$json"
	if [ "$nfailed" -eq 0 ]; then
		assert_output true
		assert_equal "$rc" 0
	else
		assert_output false
		assert_equal "$rc" 1
	fi
}

# Fewer failed checks than after the step before ($before), then remember this step's number.
assert_fewer() {
	[ "$nfailed" -lt "$before" ] || fail "$nfailed checks failed after this step, $before before it: $failed"
	before=$nfailed
}

# The reason release-check gives for check $1, from $json.
reason_of() {
	jq -r --arg n "$1" '.checks[] | select(.name == $n) | .reason' <<<"$json"
}

@test "story 6: a case walked from plan-new to ready for leave, fewer checks failing at each step" {
	M=$BATS_TEST_TMPDIR
	export CASUS_TODAY=2026-01-10
	init_store

	# Story 2: Ann opens the case the day detention starts, with the registry's dates; so far
	# only she is on its team.
	plan-new B-2026-017 --institution Brugge --detention-start 2026-01-10 \
		--leave-eligible 2027-05-31 --release-eligible 2028-05-31 --sentence-end 2030-01-10 \
		--team dg-epi=ann@brugge.example
	assert_store 4
	leave_check
	assert_equal "$failed" $'plan-complete\nteam-complete\npre-leave-overleg'
	before=$nfailed

	# Story 3: the life domains are assessed with the detainee.
	export CASUS_TODAY=2026-02-20
	cat >"$M/plan.yaml" <<-'EOF'
	case_id: B-2026-017
	institution: Brugge
	status: open
	dates:
	  detention_start: '2026-01-10'
	  leave_eligible: '2027-05-31'
	  release_eligible: '2028-05-31'
	  sentence_end: '2030-01-10'
	team:
	  dg-epi: [ann@brugge.example]
	domains:
	  psychosocial: {status: in-progress, owner: welzijn, note: weekly talks}
	  education_employment: {status: planned, owner: dg-epi, note: a welding course}
	  mental_health: {status: no-need}
	  social_context: {status: in-progress, owner: welzijn, note: the family is involved}
	  alternative_discourse: {status: planned, owner: welzijn, note: a religious counsellor he trusts}
	EOF
	plan-edit B-2026-017 --file "$M/plan.yaml" -m "first assessment"
	assert_store 5
	leave_check
	assert_equal "$failed" $'team-complete\npre-leave-overleg'
	assert_fewer
	run reason_of plan-complete
	assert_output "every life domain is assessed"

	# The welfare services and the justice houses join the team at a consultation; the
	# detainee consents to the justice houses receiving his psychosocial information for his
	# reintegration; Chris writes the reintegration plan, naming himself for the follow-up.
	# Ann adds them to the plan as it is stored: the notes of welzijn's domains are sealed for
	# welzijn, and what her key does not open she keeps as it is (casus(7), SEALING).
	export CASUS_TODAY=2026-03-12
	git -C "$STORE" show "main:$CASE/plan.yaml" |
		sed 's/^  - ann@brugge.example$/&\n  welzijn:\n  - bram@welzijn.example\n  justitiehuizen:\n  - chris@jh.example/' >"$M/plan.yaml"
	plan-edit B-2026-017 --file "$M/plan.yaml" -m "the fixed team"
	as_bram
	cat >"$M/minutes.yaml" <<-'EOF'
	present:
	- partner: dg-epi
	  member: ann@brugge.example
	- partner: welzijn
	  member: bram@welzijn.example
	- partner: justitiehuizen
	  member: chris@jh.example
	agreements:
	- text: look for housing with the family
	  owner: justitiehuizen
	  due: 2027-03-31
	decision:
	  consensus: true
	EOF
	overleg-record B-2026-017 --date 2026-03-12 --file "$M/minutes.yaml"
	cid=$(consent-record B-2026-017 --from dg-epi,welzijn --told consent-leaflet --language nl --to justitiehuizen --categories psychosocial --purpose reintegration \
		--until 2030-01-10 --evidence FORM-2026-0091 --informed)
	as_chris
	cat >"$M/reintegration.yaml" <<-'EOF'
	case_id: B-2026-017
	housing: {status: in-progress, owner: justitiehuizen, note: with the family}
	work: {status: in-progress, owner: welzijn}
	network: {status: in-progress, owner: welzijn}
	care: {status: not-needed}
	follow_up:
	  justice_house: Justitiehuis Brugge
	  member: chris@jh.example
	needs:
	- category: psychosocial
	  from: welzijn
	- category: reintegration
	  from: justitiehuizen
	EOF
	plan-edit B-2026-017 --reintegration --file "$M/reintegration.yaml"
	assert_store 9
	leave_check
	assert_equal "$failed" pre-leave-overleg
	assert_fewer
	run reason_of sharing-basis
	assert_output "consent or a legal basis covers all 2 items the justice houses need"
	run reason_of agreements
	assert_output "no open agreement is past its due date (1 open)"

	# Story 6: the Monday cron job of the week of 28 February 2027 puts the pre-leave
	# consultation on the calendar; the director's office sees the case is not ready yet.
	export CASUS_TODAY=2027-02-22
	as_ann
	run overleg-schedule --case B-2026-017 --within 7d --commit --format tsv
	assert_success
	assert_line $'2027-02-28\tB-2026-017\tpre-leave\tplanned\tBrugge'
	assert_store 10
	run git -C "$STORE" cat-file -e "main:$CASE/overleg/2027-02-28.yaml"
	assert_success
	run --separate-stderr release-check --all --format json
	assert_failure 1
	run jq -r '.not_ready[] | [.case_id, .date, (.failed | map(.name) | join(","))] | @tsv' <<<"$output"
	assert_output $'B-2026-017\t2027-05-31\tpre-leave-overleg'

	# It is held on 28 February: housing with the family is arranged, one new agreement.
	export CASUS_TODAY=2027-02-28
	as_chris
	sed -i 's/^housing: {status: in-progress/housing: {status: arranged/' "$M/reintegration.yaml"
	plan-edit B-2026-017 --reintegration --file "$M/reintegration.yaml" -m "housing arranged"
	cat >"$M/minutes.yaml" <<-'EOF'
	present:
	- partner: dg-epi
	  member: ann@brugge.example
	- partner: welzijn
	  member: bram@welzijn.example
	- partner: justitiehuizen
	  member: chris@jh.example
	agreements:
	- text: visit the family home before the first leave
	  owner: justitiehuizen
	  due: 2027-04-30
	closes:
	- agreement: 2026-03-12#1
	  status: done
	decision:
	  consensus: true
	EOF
	overleg-record B-2026-017 --date 2027-02-28 --file "$M/minutes.yaml"
	assert_store 12
	leave_check
	assert_equal "$failed" ''
	assert_fewer
	run reason_of pre-leave-overleg
	assert_output "held on 2027-02-28 with the justice houses, in the pre-leave window 2027-02-14 to 2027-03-14"
	run reason_of agreements
	assert_output "no open agreement is past its due date (1 open)"

	# release-check --for leave now passes every check, in the text too; so does --all.
	run --separate-stderr release-check B-2026-017 --for leave
	assert_success
	assert_line --index 0 "B-2026-017: ready for leave on 2027-02-28"
	refute_line --partial FAIL
	run --separate-stderr release-check --all
	assert_success
	assert_output ''

	# And for release, which asks for the reintegration plan and its follow-up. Issue 10 (R8):
	# release waits for the areas still in progress and for a follow-up start by release
	# eligibility, both listed at once.
	run --separate-stderr release-check B-2026-017 --for release --format json
	assert_failure 1
	json=$output
	run jq -r '[.checks[] | select(.passed | not) | .name] | join(",")' <<<"$json"
	assert_output reintegration-areas,follow-up-start
	run reason_of reintegration-areas
	assert_output "still in progress: work, network"
	# Work and network are welzijn's: Bram, their owner's member, stores them (casus(7),
	# AUTHORITY), in the plan as stored, where housing's note stays sealed for the justice houses.
	git -C "$STORE" show "main:$CASE/reintegration.yaml" |
		sed "/^work:\$/,/^[a-z]/ s/^  status: in-progress\$/  status: arranged/; /^network:\$/,/^[a-z]/ s/^  status: in-progress\$/  status: arranged/; s/^  member: chris@jh.example\$/&\n  from: '2028-05-31'/" \
		>"$M/reintegration.yaml"
	(as_bram && plan-edit B-2026-017 --reintegration --file "$M/reintegration.yaml" -m "work and network arranged, follow-up dated")
	run --separate-stderr release-check B-2026-017 --for release --format json
	assert_success
	json=$output
	run jq -r '.ready, (.checks | map(.name) | join(","))' <<<"$json"
	assert_output $'true\nplan-complete,plan-not-refused,team-complete,reintegration-plan,reintegration-areas,follow-up-start,overleg-overdue,sharing-basis,agreements,dates'
	run reason_of reintegration-plan
	assert_output "present, with follow-up by chris@jh.example"
	run reason_of follow-up-start
	assert_output "the follow-up starts on 2028-05-31, not after release eligibility on 2028-05-31"
	assert_store 13
	# Consent records are append-only: no commit of the scenario changed or deleted one.
	run git -C "$STORE" log --diff-filter=MD --name-only --format= main -- 'cases/*/*/consent/*'
	assert_success
	assert_output ''
}

@test "story 6: the consultation only planned, or held before the pre-leave window, does not make the case ready" {
	export CASUS_TODAY=2026-03-12
	init_store
	new_case >/dev/null
	sed 's/status: to-assess/status: planned/' <(git -C "$STORE" show "main:$CASE/plan.yaml") >"$BATS_TEST_TMPDIR/plan.yaml"
	plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/plan.yaml"
	export CASUS_TODAY=2027-02-22
	overleg-schedule --case B-2026-017 --within 7d --commit -q
	assert_store 6
	run release-check B-2026-017 --date 2027-03-01 --format json
	assert_failure 1
	run jq -r '.checks[] | select(.passed | not) | .name' <<<"$output"
	assert_output pre-leave-overleg
	# A consultation held the day before the pre-leave window (2027-02-14 to 2027-03-14, issue
	# 10) is not the pre-leave one.
	printf 'present:\n- partner: dg-epi\n  member: ann@brugge.example\n- partner: justitiehuizen\n  member: chris@jh.example\nabsent:\n- partner: welzijn\n  reason: on leave\ndecision:\n  consensus: true\n' \
		>"$BATS_TEST_TMPDIR/m.yaml"
	CASUS_TODAY=2027-02-13 overleg-record B-2026-017 --date 2027-02-13 --file "$BATS_TEST_TMPDIR/m.yaml"
	run release-check B-2026-017 --date 2027-03-01 --format json
	assert_failure 1
	run jq -r '.checks[] | select(.passed | not) | .name' <<<"$output"
	assert_output pre-leave-overleg
	CASUS_TODAY=2027-02-28 overleg-record B-2026-017 --date 2027-02-28 --file "$BATS_TEST_TMPDIR/m.yaml"
	run release-check B-2026-017 --date 2027-03-01
	assert_success
	assert_store 8
}
