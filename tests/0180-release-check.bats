#!/usr/bin/env bats
# release-check(1): is a case ready for penitentiary leave (the default) or for release? Named
# checks, each from a rule of the paper: plan-complete (R3), plan-not-refused (R1),
# team-complete (R9), pre-leave-overleg (R6, for leave), reintegration-plan,
# reintegration-areas, follow-up-start (R8, for release), overleg-overdue (R5, for release),
# sharing-basis (R10, R11), agreements (R5) and dates. One line per check, pass or FAIL, with the reason and,
# for a failure, what to do. With --all, one row per unready open case whose date falls in the
# window. Exit 0 when everything is ready, 1 when something is not, 2 on an error. It changes
# nothing.

bats_require_minimum_version 1.5.0
load helpers

CASE=cases/e7/B-2026-017

# Made once per file, copied per test (see the helpers below):
#   case:  the team and case B-2026-017 of story 2 (leave eligibility 2027-05-31, release
#          eligibility 2028-05-31), every life domain still to assess. 4 commits.
#   ready: that case ready for leave and for release on 2027-03-15: the domains assessed,
#          Bram's consent for the justice houses, Chris's reintegration plan, the pre-leave
#          consultation held on 2027-03-01 with one agreement due 2027-04-30. 8 commits.
#   all:   the ready store, and four more cases: B-2026-018 (as B-2026-017 at its start),
#          B-2026-019 (leave eligibility 2028-01-31), H-2026-001 of Hasselt (leave eligibility
#          2027-04-30, release eligibility 2027-07-31), and B-2026-020, closed. 13 commits.
setup_file() {
	(
		BATS_TEST_TMPDIR=$BATS_FILE_TMPDIR && setup && init_store && new_case >/dev/null &&
			cp -a "$STORE" "$BATS_FILE_TMPDIR/case" &&
			assessed_plan >"$BATS_FILE_TMPDIR/assessed.yaml" &&
			plan-edit B-2026-017 --file "$BATS_FILE_TMPDIR/assessed.yaml" &&
			as_bram &&
			consent-record B-2026-017 --from dg-epi,welzijn --told consent-leaflet --language nl --to justitiehuizen --categories psychosocial --purpose reintegration \
				--date 2026-11-01 --until 2030-01-10 --evidence FORM-2026-0077 --informed \
				>"$BATS_FILE_TMPDIR/consent-id" &&
			as_chris &&
			reintegration_plan >"$BATS_FILE_TMPDIR/reintegration.yaml" &&
			plan-edit B-2026-017 --reintegration --file "$BATS_FILE_TMPDIR/reintegration.yaml" &&
			printf 'present:\n- partner: justitiehuizen\n  member: chris@jh.example\nabsent:\n- partner: dg-epi\n  reason: on leave\n- partner: welzijn\n  reason: ill\nagreements:\n- text: visit the family home\n  owner: justitiehuizen\n  due: 2027-04-30\ndecision:\n  consensus: true\n' \
				>"$BATS_FILE_TMPDIR/minutes.yaml" &&
			CASUS_TODAY=2027-03-01 overleg-record B-2026-017 --date 2027-03-01 --file "$BATS_FILE_TMPDIR/minutes.yaml" &&
			cp -a "$STORE" "$BATS_FILE_TMPDIR/ready" &&
			as_ann &&
			new_case B-2026-018 >/dev/null &&
			plan-new B-2026-019 --institution Brugge --detention-start 2026-01-10 \
				--leave-eligible 2028-01-31 --release-eligible 2029-01-31 \
				--team dg-epi=ann@brugge.example --team welzijn=bram@welzijn.example \
				--team justitiehuizen=chris@jh.example >/dev/null &&
			plan-new H-2026-001 --institution Hasselt --detention-start 2026-02-01 \
				--leave-eligible 2027-04-30 --release-eligible 2027-07-31 \
				--team dg-epi=ann@brugge.example --team welzijn=bram@welzijn.example \
				--team justitiehuizen=chris@jh.example >/dev/null &&
			new_case B-2026-020 >/dev/null &&
			git -C "$STORE" show "main:$(git -C "$STORE" ls-tree -r --name-only main | grep /B-2026-020/plan.yaml)" |
				sed 's/^status: open/status: closed/' >"$BATS_FILE_TMPDIR/closed.yaml" &&
			plan-edit B-2026-020 --file "$BATS_FILE_TMPDIR/closed.yaml" &&
			cp -a "$STORE" "$BATS_FILE_TMPDIR/all"
	)
}

# The plan of B-2026-017 with every life domain assessed.
assessed_plan() {
	cat <<-'EOF'
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
	  welzijn: [bram@welzijn.example]
	  justitiehuizen: [chris@jh.example]
	domains:
	  psychosocial: {status: in-progress, owner: welzijn}
	  education_employment: {status: planned, owner: dg-epi}
	  mental_health: {status: no-need}
	  social_context: {status: in-progress, owner: welzijn}
	  alternative_discourse: {status: planned, owner: welzijn}
	EOF
}

# Story 6's reintegration plan, every area settled (issue 10: release waits for those in
# progress): housing with the family, follow-up by Chris from release eligibility; the justice
# houses need the welfare services' psychosocial information and their own. Only the note of
# Chris's own area: the tests store the plan again as Chris, whose key opens no note sealed for
# welzijn alone, and a text he cannot open he cannot write again (casus(7), SEALING).
reintegration_plan() {
	cat <<-'EOF'
	case_id: B-2026-017
	housing: {status: arranged, owner: justitiehuizen, note: with the family}
	work: {status: arranged, owner: welzijn}
	network: {status: arranged, owner: welzijn}
	care: {status: not-needed}
	follow_up:
	  justice_house: Justitiehuis Brugge
	  member: chris@jh.example
	  from: '2028-05-31'
	needs:
	- category: psychosocial
	  from: welzijn
	- category: reintegration
	  from: justitiehuizen
	EOF
}

use_store() {
	cp -a "$BATS_FILE_TMPDIR/$1" "$STORE"
	export CASUS_REPO="$STORE"
}

# B-2026-017 as plan-new left it, judged on 2026-11-29.
case_store() {
	use_store case
}

# B-2026-017 ready for leave and for release, judged on 2027-03-15.
ready_store() {
	use_store ready
	export CASUS_TODAY=2027-03-15
	CID=$(cat "$BATS_FILE_TMPDIR/consent-id")
}

# Five cases, judged on 2027-03-15.
all_store() {
	use_store all
	export CASUS_TODAY=2027-03-15
}

# Replaces a document of B-2026-017 at the tip with stdin, in one commit made with git itself,
# bypassing every check of casus: what a store may hold after a bad merge or a hand edit.
git_put() {
	local path=$CASE/$1 blob tree c idx=$BATS_TEST_TMPDIR/index
	blob=$(git -C "$STORE" hash-object -w --stdin)
	GIT_INDEX_FILE=$idx git -C "$STORE" read-tree main
	GIT_INDEX_FILE=$idx git -C "$STORE" update-index --add --cacheinfo "100644,$blob,$path"
	tree=$(GIT_INDEX_FILE=$idx git -C "$STORE" write-tree)
	c=$(GIT_COMMITTER_NAME=Hand GIT_COMMITTER_EMAIL=hand@elsewhere.example git -C "$STORE" commit-tree "$tree" -p main -m "hand edit")
	git -C "$STORE" update-ref refs/heads/main "$c"
}

# A reintegration plan for B-2026-017 stored by Chris, from stdin.
put_reintegration() {
	cat >"$BATS_TEST_TMPDIR/r.yaml"
	(as_chris && plan-edit B-2026-017 --reintegration --file "$BATS_TEST_TMPDIR/r.yaml")
}

# Minutes by Chris alone, with $1 appended, recorded for date $2 (CASUS_TODAY is that date).
held() {
	printf 'present:\n- partner: justitiehuizen\n  member: chris@jh.example\nabsent:\n- partner: dg-epi\n  reason: on leave\n- partner: welzijn\n  reason: ill\ndecision:\n  consensus: true\n%s' \
		"$1" >"$BATS_TEST_TMPDIR/m.yaml"
	(as_chris && CASUS_TODAY=$2 overleg-record B-2026-017 --date "$2" --file "$BATS_TEST_TMPDIR/m.yaml")
}

# release-check "$@" on B-2026-017, stderr apart.
check() {
	run --separate-stderr release-check B-2026-017 "$@"
}

# The json of release-check "$@" on B-2026-017, in $json.
check_json() {
	run --separate-stderr release-check B-2026-017 --format json "$@"
	json=$output
}

# The line of check $1 in the text output, and the to-do line under it if there is one.
assert_pass() {
	assert_line "  pass  $(printf '%-19s' "$1") $2"
}
assert_fail() {
	local i
	assert_line "  FAIL  $(printf '%-19s' "$1") $2"
	for i in "${!lines[@]}"; do
		if [ "${lines[$i]}" = "  FAIL  $(printf '%-19s' "$1") $2" ]; then
			assert_equal "${lines[$((i + 1))]}" "        $(printf '%-19s' '') to do: $3"
			return
		fi
	done
}

# release-check "$@" fails with exit 2, says $1 on stderr (a substring), prints nothing.
error() {
	local msg=$1
	shift
	run --separate-stderr release-check "$@"
	assert_failure 2
	assert_output ''
	[[ "$stderr" == *"$msg"* ]] || fail "stderr lacks '$msg': $stderr"
}

# --- the text, the exit status, and what is checked for which milestone ---

@test "release-check of a new case: not ready for leave, one line per check, exit 1" {
	case_store
	check
	assert_failure 1
	assert_equal "$stderr" ''
	assert_output - <<-'EOF'
	B-2026-017: not ready for leave on 2026-11-29 (2 of 7 checks failed)
	  FAIL  plan-complete       life domains still to assess: psychosocial, education_employment, mental_health, social_context, alternative_discourse (R3)
	                            to do: assess each of them with the detainee and set its status with plan-edit
	  pass  plan-not-refused    the detainee has not refused the detention plan (R1)
	  pass  team-complete       an active member for each core partner (R9)
	  FAIL  pre-leave-overleg   no consultation held in the pre-leave window 2027-02-14 to 2027-03-14 (R6, R8)
	                            to do: hold the pre-leave consultation with the justice houses and record it with overleg-record
	  pass  sharing-basis       nothing to share yet: the case has no reintegration plan (R10, R11)
	  pass  agreements          no consultation held yet, so no agreements (R5)
	  pass  dates               present and in order (R6, R8)
	EOF
	assert_store 4
}

@test "release-check of a ready case: every check passes, exit 0" {
	ready_store
	check
	assert_success
	assert_equal "$stderr" ''
	assert_output - <<-'EOF'
	B-2026-017: ready for leave on 2027-03-15
	  pass  plan-complete       every life domain is assessed (R3)
	  pass  plan-not-refused    the detainee has not refused the detention plan (R1)
	  pass  team-complete       an active member for each core partner (R9)
	  pass  pre-leave-overleg   held on 2027-03-01 with the justice houses, in the pre-leave window 2027-02-14 to 2027-03-14 (R6, R8)
	  pass  sharing-basis       consent or a legal basis covers all 2 items the justice houses need (R10, R11)
	  pass  agreements          no open agreement is past its due date (1 open) (R5)
	  pass  dates               present and in order (R6, R8)
	EOF
	assert_store 8
}

@test "release-check --for leave is the default; --for release checks the reintegration plan instead of the pre-leave consultation" {
	case_store
	check --for leave
	assert_failure 1
	leave=$output
	check
	assert_equal "$output" "$leave"
	check --for release
	assert_failure 1
	# Issue 10 (R5, R8): release also waits for the areas, the follow-up's start and the
	# periodic consultations, each its own check.
	assert_line --index 0 "B-2026-017: not ready for release on 2026-11-29 (6 of 10 checks failed)"
	run --separate-stderr bash -c "release-check B-2026-017 --for release --format json | jq -r '.for, (.checks[].name)'"
	assert_output - <<-'EOF'
	release
	plan-complete
	plan-not-refused
	team-complete
	reintegration-plan
	reintegration-areas
	follow-up-start
	overleg-overdue
	sharing-basis
	agreements
	dates
	EOF
	run --separate-stderr bash -c "release-check B-2026-017 --format json | jq -r '.for, (.checks[].name)'"
	assert_output - <<-'EOF'
	leave
	plan-complete
	plan-not-refused
	team-complete
	pre-leave-overleg
	sharing-basis
	agreements
	dates
	EOF
}

@test "release-check --for release of a ready case passes, with the follow-up named" {
	ready_store
	check --for release
	assert_success
	assert_line --index 0 "B-2026-017: ready for release on 2027-03-15"
	assert_pass reintegration-plan "present, with follow-up by chris@jh.example (R8)"
	refute_output --partial pre-leave-overleg
	assert_equal "${#lines[@]}" 11
}

@test "release-check judges today without --date, and the day given with --date" {
	ready_store
	check
	assert_line --index 0 "B-2026-017: ready for leave on 2027-03-15"
	export CASUS_TODAY=2027-05-01
	check
	assert_failure 1
	assert_line --index 0 "B-2026-017: not ready for leave on 2027-05-01 (1 of 7 checks failed)"
	check --date 2027-04-30
	assert_success
	assert_line --index 0 "B-2026-017: ready for leave on 2027-04-30"
	check --date 2027-05-01
	assert_failure 1
	assert_fail agreements "agreements past their due date and still open: 2027-03-01#1 (justitiehuizen, due 2027-04-30) (R5)" \
		"carry them out, and close them in the next consultation's minutes (closes) with overleg-record"
}

# --- plan-complete (R3) ---

@test "plan-complete passes when every life domain is assessed" {
	ready_store
	check
	assert_pass plan-complete "every life domain is assessed (R3)"
}

@test "plan-complete fails and names the one life domain still to assess" {
	ready_store
	assessed_plan | sed 's/mental_health: {status: no-need}/mental_health: {status: to-assess}/' \
		>"$BATS_TEST_TMPDIR/p.yaml"
	plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/p.yaml"
	check
	assert_failure 1
	assert_line --index 0 "B-2026-017: not ready for leave on 2027-03-15 (1 of 7 checks failed)"
	assert_fail plan-complete "life domains still to assess: mental_health (R3)" \
		"assess each of them with the detainee and set its status with plan-edit"
	assert_store 9
}

# --- team-complete (R9) ---

@test "team-complete passes with an active member for each core partner" {
	case_store
	check
	assert_pass team-complete "an active member for each core partner (R9)"
}

@test "team-complete fails for a partner with nobody on the team" {
	use_store case
	plan-new B-2026-030 --institution Brugge --detention-start 2026-01-10 --leave-eligible 2027-05-31 \
		--team dg-epi=ann@brugge.example >/dev/null
	run --separate-stderr release-check B-2026-030
	assert_failure 1
	assert_fail team-complete "no active team member for welzijn, justitiehuizen (R9)" \
		"name a registered, active member of each core partner in the plan's team with plan-edit"
}

@test "team-complete fails when the partner's only member left the team" {
	ready_store
	member_leaves chris@jh.example -m "moved to another justice house"
	check
	assert_failure 1
	assert_fail team-complete "no active team member for justitiehuizen (R9)" \
		"name a registered, active member of each core partner in the plan's team with plan-edit"
	assert_store 9
}

# --- pre-leave-overleg (R6) ---

# The window (issue 10): two weeks either side of leave eligibility minus three months, never on
# or after leave eligibility; its edges are in 0230-rules-schedule.bats.
@test "pre-leave-overleg passes with a consultation held on the pre-leave date" {
	case_store
	held '' 2027-02-28
	check --date 2027-03-01
	assert_pass pre-leave-overleg "held on 2027-02-28 with the justice houses, in the pre-leave window 2027-02-14 to 2027-03-14 (R6, R8)"
}

@test "pre-leave-overleg fails with a consultation held on the leave eligibility date itself" {
	case_store
	held '' 2027-05-31
	check --date 2027-05-31
	assert_failure 1
	assert_fail pre-leave-overleg "no consultation held in the pre-leave window 2027-02-14 to 2027-03-14 (R6, R8)" \
		"hold the pre-leave consultation with the justice houses and record it with overleg-record"
}

@test "pre-leave-overleg fails with a consultation held the day before the window" {
	case_store
	held '' 2027-02-13
	check --date 2027-03-01
	assert_failure 1
	assert_fail pre-leave-overleg "no consultation held in the pre-leave window 2027-02-14 to 2027-03-14 (R6, R8)" \
		"hold the pre-leave consultation with the justice houses and record it with overleg-record"
	assert_store 5
}

@test "pre-leave-overleg fails for a consultation that is only planned" {
	case_store
	CASUS_TODAY=2027-02-22 overleg-schedule --case B-2026-017 --within 7d --commit -q
	run git -C "$STORE" ls-tree --name-only main -- "$CASE/overleg/"
	assert_line "$CASE/overleg/2027-02-28.yaml"
	check --date 2027-03-01
	assert_failure 1
	assert_fail pre-leave-overleg "no consultation held in the pre-leave window 2027-02-14 to 2027-03-14 (R6, R8)" \
		"hold the pre-leave consultation with the justice houses and record it with overleg-record"
}

@test "pre-leave-overleg and dates fail for a case without a leave eligibility date" {
	use_store case
	plan-new B-2026-031 --institution Brugge --detention-start 2026-01-10 --release-eligible 2028-05-31 \
		--team dg-epi=ann@brugge.example --team welzijn=bram@welzijn.example \
		--team justitiehuizen=chris@jh.example >/dev/null
	run --separate-stderr release-check B-2026-031
	assert_failure 1
	assert_fail pre-leave-overleg "no leave eligibility date, so no pre-leave consultation (R6, R8)" \
		"record the leave eligibility date the prison administration gave with plan-edit"
	assert_fail dates "no leave_eligible date (R6, R8)" \
		"record the date the prison administration gave with plan-edit"
	# For release the leave date is not needed.
	run --separate-stderr release-check B-2026-031 --for release
	assert_pass dates "present and in order (R6, R8)"
}

# --- reintegration-plan (R8, for release) ---

@test "reintegration-plan passes for a plan whose follow-up names an active justice assistant" {
	ready_store
	check --for release
	assert_pass reintegration-plan "present, with follow-up by chris@jh.example (R8)"
}

@test "reintegration-plan fails for a case without one" {
	case_store
	check --for release
	assert_failure 1
	assert_fail reintegration-plan "the case has no reintegration plan (R8)" \
		"write it with plan-edit --reintegration"
}

@test "reintegration-plan fails for a plan without follow-up" {
	ready_store
	reintegration_plan | sed '/^follow_up:/,/^  from:/d' | put_reintegration
	check --for release
	assert_failure 1
	# Issue 10 (R8): without a follow-up there is no start date either, a check of its own.
	assert_line --index 0 "B-2026-017: not ready for release on 2027-03-15 (2 of 10 checks failed)"
	assert_fail reintegration-plan "the reintegration plan names no justice assistant for the follow-up (R8)" \
		"set follow_up.justice_house and follow_up.member with plan-edit --reintegration"
	assert_store 9
}

@test "reintegration-plan fails when the follow-up member is no longer active" {
	ready_store
	(as_chris && member-add "Dana Wouters" dana@jh.example --partner justitiehuizen --role "justice assistant" --key "$KEYS/dana.pub")
	member_leaves chris@jh.example
	check --for release
	assert_failure 1
	assert_fail reintegration-plan "the follow-up member chris@jh.example is not an active member for justitiehuizen (R8)" \
		"name an active justice house member in follow_up.member with plan-edit --reintegration"
}

# Issue 10 (R8): the areas are a check of their own, reintegration-areas, which also fails for
# an area in progress (see 0240-rules-readiness.bats).
@test "reintegration-areas fails while an area is still to arrange" {
	ready_store
	# network is welzijn's: its own members change it (casus(7), AUTHORITY). Bram changes the
	# stored plan, where housing's note stays sealed for the justice houses as it is.
	git -C "$STORE" show "main:cases/e7/B-2026-017/reintegration.yaml" |
		sed '/^network:$/,/^[a-z]/ s/^  status: arranged$/  status: to-arrange/; /^care:$/,/^[a-z]/ s/^  status: not-needed$/  status: to-arrange/' \
		>"$BATS_TEST_TMPDIR/r.yaml"
	(as_bram && plan-edit B-2026-017 --reintegration --file "$BATS_TEST_TMPDIR/r.yaml")
	check --for release
	assert_failure 1
	assert_fail reintegration-areas "still to arrange: network, care (R8)" \
		"arrange them, or mark them not-needed, with plan-edit --reintegration"
	# Penitentiary leave does not wait for it.
	check --for leave
	assert_success
	assert_store 9
}

# --- sharing-basis (R10, R11) ---

@test "sharing-basis passes when a consent covers everything the justice houses need" {
	ready_store
	check --for release
	assert_pass sharing-basis "consent or a legal basis covers all 2 items the justice houses need (R10, R11)"
	check --for leave
	assert_pass sharing-basis "consent or a legal basis covers all 2 items the justice houses need (R10, R11)"
}

@test "sharing-basis passes under an art. 458ter legal basis for a need of the case consultation" {
	ready_store
	reintegration_plan | sed '$a- category: security\n  from: dg-epi\n  purpose: casusoverleg' | put_reintegration
	check
	assert_failure 1
	assert_fail sharing-basis "the justice houses may not receive security from dg-epi (consent $CID does not cover category security) (R10, R11)" \
		"record the detainee's consent with consent-record, or a legal basis"
	case-config partners.dg-epi.shares_under_458ter true
	bid=$(consent-record B-2026-017 --basis prosecutor --reference "PK Brugge 2027/12" --to dg-epi,justitiehuizen \
		--categories security --purpose integrity --date 2027-03-10)
	check
	assert_success
	assert_pass sharing-basis "consent or a legal basis covers all 3 items the justice houses need (R10, R11)"
	# Not before the basis holds.
	check --date 2027-03-09
	assert_failure 1
	assert_line --partial "  FAIL  sharing-basis       the justice houses may not receive security from dg-epi ("
	# A basis covers the consultation and its own purpose, not the reintegration a need defaults to.
	reintegration_plan | sed '$a- category: security\n  from: dg-epi' | put_reintegration
	check
	assert_failure 1
	assert_fail sharing-basis "the justice houses may not receive security from dg-epi (art. 458ter basis $bid is for purpose integrity, not reintegration) (R10, R11)" \
		"record the detainee's consent with consent-record, or a legal basis"
	assert_store 12
}

@test "sharing-basis fails for a need no consent covers, and says why for each" {
	ready_store
	reintegration_plan | sed '$a- category: mental_health\n  from: dg-epi' | put_reintegration
	check --for release
	assert_failure 1
	assert_fail sharing-basis "the justice houses may not receive mental_health from dg-epi (consent $CID does not cover category mental_health) (R10, R11)" \
		"record the detainee's consent with consent-record, or a legal basis"
	assert_store 9
}

@test "sharing-basis judges each need for its purpose: reintegration unless the need says otherwise" {
	ready_store
	# The consent is for reintegration: a need for aftercare is not covered by it.
	reintegration_plan | sed '/category: psychosocial/a\  purpose: aftercare' | put_reintegration
	git -C "$STORE" show "main:$CASE/reintegration.yaml" | grep -q 'purpose: aftercare'
	check
	assert_failure 1
	assert_line --partial "  FAIL  sharing-basis       the justice houses may not receive psychosocial from welzijn ("
	refute_line --partial "reintegration from justitiehuizen"
	# The justice houses' own information needs no basis, whatever the purpose.
	reintegration_plan | sed '$a\  purpose: aftercare' | put_reintegration
	check
	assert_success
	assert_pass sharing-basis "consent or a legal basis covers all 2 items the justice houses need (R10, R11)"
}

@test "sharing-basis fails from the day the consent is withdrawn, and passes the day before" {
	ready_store
	wid=$(as_bram && consent-record B-2026-017 --withdraw "$CID" --date 2027-03-10)
	check --date 2027-03-09
	assert_success
	assert_pass sharing-basis "consent or a legal basis covers all 2 items the justice houses need (R10, R11)"
	check --date 2027-03-10
	assert_failure 1
	assert_fail sharing-basis "the justice houses may not receive psychosocial from welzijn (consent $CID was withdrawn on 2027-03-10 ($wid)) (R10, R11)" \
		"record the detainee's consent with consent-record, or a legal basis"
}

@test "sharing-basis fails after the consent's last day" {
	ready_store
	check --date 2030-01-10
	assert_pass sharing-basis "consent or a legal basis covers all 2 items the justice houses need (R10, R11)"
	check --date 2030-01-11
	assert_fail sharing-basis "the justice houses may not receive psychosocial from welzijn (consent $CID expired on 2030-01-11) (R10, R11)" \
		"record the detainee's consent with consent-record, or a legal basis"
}

@test "sharing-basis without a reintegration plan passes for leave and fails for release" {
	case_store
	check
	assert_pass sharing-basis "nothing to share yet: the case has no reintegration plan (R10, R11)"
	check --for release
	assert_fail sharing-basis "no reintegration plan says what the justice houses need (R10, R11)" \
		"write the reintegration plan, with what the justice houses need under 'needs'"
}

@test "sharing-basis passes for a reintegration plan that needs nothing" {
	ready_store
	reintegration_plan | sed '/^needs:/,$d' | put_reintegration
	check --for release
	assert_success
	assert_pass sharing-basis "the reintegration plan lists nothing the justice houses need (R10, R11)"
}

# --- agreements (R5) ---

@test "agreements passes before any consultation" {
	case_store
	check
	assert_pass agreements "no consultation held yet, so no agreements (R5)"
}

@test "agreements passes when no open agreement is past its due date, on its due date too" {
	ready_store
	check --date 2027-04-30
	assert_success
	assert_pass agreements "no open agreement is past its due date (1 open) (R5)"
}

@test "agreements fails for an open agreement past its due date" {
	ready_store
	check --date 2027-05-01
	assert_failure 1
	assert_line --index 0 "B-2026-017: not ready for leave on 2027-05-01 (1 of 7 checks failed)"
	assert_fail agreements "agreements past their due date and still open: 2027-03-01#1 (justitiehuizen, due 2027-04-30) (R5)" \
		"carry them out, and close them in the next consultation's minutes (closes) with overleg-record"
}

@test "agreements passes again once the next consultation closes the overdue one" {
	ready_store
	held $'closes:\n- agreement: 2027-03-01#1\n  status: done\nagreements:\n- text: sign the lease\n  owner: justitiehuizen\n  due: 2027-06-30\n' 2027-05-03
	check --date 2027-05-03
	assert_success
	assert_pass agreements "no open agreement is past its due date (1 open) (R5)"
	check --date 2027-07-01
	assert_fail agreements "agreements past their due date and still open: 2027-05-03#1 (justitiehuizen, due 2027-06-30) (R5)" \
		"carry them out, and close them in the next consultation's minutes (closes) with overleg-record"
	assert_store 9
}

@test "agreements fails for an overdue agreement of an earlier consultation that a later one left open" {
	ready_store
	held $'agreements:\n- text: sign the lease\n  owner: welzijn\n  due: 2027-06-30\n- text: no date set\n  owner: dg-epi\n' 2027-05-03
	check --date 2027-05-03
	assert_failure 1
	assert_fail agreements "agreements past their due date and still open: 2027-03-01#1 (justitiehuizen, due 2027-04-30) (R5)" \
		"carry them out, and close them in the next consultation's minutes (closes) with overleg-record"
	check --date 2027-07-01
	assert_fail agreements "agreements past their due date and still open: 2027-03-01#1 (justitiehuizen, due 2027-04-30), 2027-05-03#1 (welzijn, due 2027-06-30) (R5)" \
		"carry them out, and close them in the next consultation's minutes (closes) with overleg-record"
	assert_store 9
}

# --- dates ---

@test "dates passes when the dates are present and in order" {
	ready_store
	check
	assert_pass dates "present and in order (R6, R8)"
	check --for release
	assert_pass dates "present and in order (R6, R8)"
}

@test "dates fails for release without a release eligibility date" {
	use_store case
	plan-new B-2026-032 --institution Brugge --detention-start 2026-01-10 --leave-eligible 2027-05-31 \
		--team dg-epi=ann@brugge.example --team welzijn=bram@welzijn.example \
		--team justitiehuizen=chris@jh.example >/dev/null
	run --separate-stderr release-check B-2026-032 --for release
	assert_failure 1
	assert_fail dates "no release_eligible date (R6, R8)" \
		"record the date the prison administration gave with plan-edit"
}

@test "dates fails for dates out of order that reached the store without casus" {
	ready_store
	git -C "$STORE" show "main:$CASE/plan.yaml" | sed "s/release_eligible: '2028-05-31'/release_eligible: '2027-01-31'/" |
		git_put plan.yaml
	check
	assert_failure 1
	assert_fail dates "release_eligible 2027-01-31 is before leave_eligible (R6, R8)" \
		"correct the dates with plan-edit, as the prison administration gave them"
}

@test "dates never passes a year 0000 that reached the store without casus" {
	ready_store
	git -C "$STORE" show "main:$CASE/plan.yaml" | sed "s/leave_eligible: '2027-05-31'/leave_eligible: '0000-05-31'/" |
		git_put plan.yaml
	check
	assert_failure 2
	assert_output ''
	assert_equal "$stderr" "release-check: cannot read '$CASE/plan.yaml': line 6: dates.leave_eligible: \"0000-05-31\" is not a valid date"
	check --for release
	assert_failure 2
	refute_output --partial "in order"
	assert_store 9
}

# --- json ---

@test "release-check --format json: ready, and each check's name, rule, passed, reason and to-do" {
	case_store
	check_json
	assert_failure 1
	assert_equal "$stderr" ''
	run jq -r '.case_id, .for, .date, .ready' <<<"$json"
	assert_output $'B-2026-017\nleave\n2026-11-29\nfalse'
	run jq -r '.checks[] | [.name, .rule, .passed, .reason, (.todo // "-")] | @tsv' <<<"$json"
	assert_output - <<-'EOF'
	plan-complete	R3	false	life domains still to assess: psychosocial, education_employment, mental_health, social_context, alternative_discourse	assess each of them with the detainee and set its status with plan-edit
	plan-not-refused	R1	true	the detainee has not refused the detention plan	-
	team-complete	R9	true	an active member for each core partner	-
	pre-leave-overleg	R6, R8	false	no consultation held in the pre-leave window 2027-02-14 to 2027-03-14	hold the pre-leave consultation with the justice houses and record it with overleg-record
	sharing-basis	R10, R11	true	nothing to share yet: the case has no reintegration plan	-
	agreements	R5	true	no consultation held yet, so no agreements	-
	dates	R6, R8	true	present and in order	-
	EOF
	# A passed check has no to-do at all, not an empty one.
	run jq '[.checks[] | select(.passed) | has("todo")] | any' <<<"$json"
	assert_output false
}

@test "release-check --format json of a ready case: ready is true and every check passed" {
	ready_store
	check_json --for release --date 2027-04-01
	assert_success
	run jq -r '.ready, .for, .date, ([.checks[].passed] | all), (.checks | length)' <<<"$json"
	assert_output $'true\nrelease\n2027-04-01\ntrue\n10'
	run jq -r '.checks[] | select(.name == "reintegration-plan") | .reason' <<<"$json"
	assert_output "present, with follow-up by chris@jh.example"
}

@test "release-check --format json is not coloured, even at a terminal" {
	command -v script >/dev/null || skip "script(1) is not installed"
	case_store
	run script -qec "release-check B-2026-017 --format json" /dev/null
	assert_failure 1
	[[ "$output" != *$'\033'* ]] || fail "escape sequence in: $output"
	run jq -r .ready <<<"${output//$'\r'/}"
	assert_output false
}

@test "every key of --format json, for one case and with --all, is documented in release-check(1)" {
	all_store
	man=$BATS_TEST_DIRNAME/../man/man1/release-check.1
	[ -f "$man" ] || fail "no $man"
	keys=$( { release-check B-2026-018 --format json || true; release-check --all --format json || true; } |
		jq -r '[paths | .[] | strings] | unique | .[]' | sort -u)
	assert_equal "$(printf '%s\n' "$keys" | tr '\n' ' ')" \
		"case_id checks date failed for name not_ready passed ready reason rule todo until "
	for k in $keys; do
		grep -q -E "^\.(It )?Ic $k( |$)" "$man" || fail "release-check(1) does not document json key '$k'"
	done
}

# --- colour ---

@test "release-check writes no escape sequences when stdout is not a terminal" {
	case_store
	check
	assert_failure 1
	[[ "$output" != *$'\033'* ]] || fail "escape sequence in: $output"
	assert_line --partial "  FAIL  plan-complete"
}

@test "release-check colours pass and FAIL at a terminal, and not with NO_COLOR" {
	command -v script >/dev/null || skip "script(1) is not installed"
	case_store
	run script -qec "release-check B-2026-017" /dev/null
	assert_failure 1
	assert_output --partial $'  \033[31mFAIL\033[0m  plan-complete'
	assert_output --partial $'  \033[32mpass\033[0m  team-complete'
	NO_COLOR=1 run script -qec "release-check B-2026-017" /dev/null
	assert_failure 1
	[[ "$output" != *$'\033'* ]] || fail "escape sequence with NO_COLOR=1: $output"
	assert_output --partial "  FAIL  plan-complete"
	# An empty NO_COLOR does not count (no-color.org).
	NO_COLOR= run script -qec "release-check B-2026-017" /dev/null
	assert_output --partial $'\033[31mFAIL\033[0m'
}

# --- --all ---

@test "release-check --all lists exactly the unready open cases in the window, with their failed checks, exit 1" {
	all_store
	run --separate-stderr release-check --all
	assert_failure 1
	assert_equal "$stderr" ''
	assert_output - <<-'EOF'
	B-2026-018       2027-05-31  plan-complete       life domains still to assess: psychosocial, education_employment, mental_health, social_context, alternative_discourse
	                             pre-leave-overleg   no consultation held in the pre-leave window 2027-02-14 to 2027-03-14
	H-2026-001       2027-04-30  plan-complete       life domains still to assess: psychosocial, education_employment, mental_health, social_context, alternative_discourse
	                             pre-leave-overleg   no consultation held in the pre-leave window 2027-01-16 to 2027-02-13
	EOF
	assert_store 13
}

@test "release-check --all exits 0 and lists nothing when every case in the window is ready" {
	ready_store
	run --separate-stderr release-check --all
	assert_success
	assert_output ''
	assert_equal "$stderr" ''
	run --separate-stderr release-check --all --format tsv
	assert_success
	assert_output $'case\tdate\tfailed'
	run --separate-stderr release-check --all --format json
	assert_success
	run jq -c '.not_ready' <<<"$output"
	assert_output '[]'
}

@test "release-check --all --format tsv: a header, then one row per failed check" {
	all_store
	run --separate-stderr release-check --all --format tsv
	assert_failure 1
	assert_output - <<-'EOF'
	case	date	failed
	B-2026-018	2027-05-31	plan-complete
	B-2026-018	2027-05-31	pre-leave-overleg
	H-2026-001	2027-04-30	plan-complete
	H-2026-001	2027-04-30	pre-leave-overleg
	EOF
}

@test "release-check --all --format json: the window and each unready case with its failed checks" {
	all_store
	run --separate-stderr release-check --all --format json
	assert_failure 1
	json=$output
	run jq -r '.for, .date, .until' <<<"$json"
	assert_output $'leave\n2027-03-15\n2027-09-15'
	run jq -r '.not_ready[] | [.case_id, .date, (.failed | map(.name) | join(","))] | @tsv' <<<"$json"
	assert_output - <<-'EOF'
	B-2026-018	2027-05-31	plan-complete,pre-leave-overleg
	H-2026-001	2027-04-30	plan-complete,pre-leave-overleg
	EOF
	run jq -r '.not_ready[0].failed[0] | .passed, .reason, .todo' <<<"$json"
	assert_output $'false\nlife domains still to assess: psychosocial, education_employment, mental_health, social_context, alternative_discourse\nassess each of them with the detainee and set its status with plan-edit'
}

@test "release-check --all --within widens or narrows the window after the date" {
	all_store
	run release-check --all --format tsv --within 2m
	assert_failure 1
	assert_output $'case\tdate\tfailed\nH-2026-001\t2027-04-30\tplan-complete\nH-2026-001\t2027-04-30\tpre-leave-overleg'
	run release-check --all --format tsv --within 12m
	assert_failure 1
	assert_line $'B-2026-019\t2028-01-31\tplan-complete'
	assert_line $'B-2026-018\t2027-05-31\tplan-complete'
	assert_line $'H-2026-001\t2027-04-30\tplan-complete'
	refute_line --partial B-2026-017
	refute_line --partial B-2026-020
	# The window's last day is in it: 2027-03-15 and 46 days is 2027-04-30.
	run release-check --all --format tsv --within 46d
	assert_line $'H-2026-001\t2027-04-30\tplan-complete'
	run release-check --all --format tsv --within 45d
	assert_success
	assert_output $'case\tdate\tfailed'
	run release-check --all --format json --within 3w
	assert_success
	run jq -r '.until, (.not_ready | length)' <<<"$output"
	assert_output $'2027-04-05\n0'
}

@test "release-check --all --date moves the window; a date already past is not in it" {
	all_store
	run release-check --all --format tsv --date 2027-05-01
	assert_failure 1
	# H-2026-001's date is past; on this day B-2026-017's agreement is overdue.
	assert_output - <<-'EOF'
	case	date	failed
	B-2026-017	2027-05-31	agreements
	B-2026-018	2027-05-31	plan-complete
	B-2026-018	2027-05-31	pre-leave-overleg
	EOF
}

@test "release-check --all --institution keeps the cases of one institution" {
	all_store
	run release-check --all --format tsv --institution Hasselt
	assert_failure 1
	assert_output $'case\tdate\tfailed\nH-2026-001\t2027-04-30\tplan-complete\nH-2026-001\t2027-04-30\tpre-leave-overleg'
	run release-check --all --format tsv --institution Brugge
	assert_failure 1
	assert_output $'case\tdate\tfailed\nB-2026-018\t2027-05-31\tplan-complete\nB-2026-018\t2027-05-31\tpre-leave-overleg'
	run release-check --all --institution Gent
	assert_success
	assert_output ''
}

@test "release-check --all --for release picks the cases by their release eligibility date" {
	all_store
	run release-check --all --for release --format tsv
	assert_failure 1
	assert_output - <<-'EOF'
	case	date	failed
	H-2026-001	2027-07-31	plan-complete
	H-2026-001	2027-07-31	reintegration-plan
	H-2026-001	2027-07-31	reintegration-areas
	H-2026-001	2027-07-31	follow-up-start
	H-2026-001	2027-07-31	overleg-overdue
	H-2026-001	2027-07-31	sharing-basis
	EOF
}

@test "release-check --all reads the cases of its window in threads, and answers as one by one: up to a case that cannot be read, then its error" {
	case_store
	export CASUS_TODAY=2027-03-15
	for i in $(seq 100 139); do new_case "B-2026-$i" >/dev/null; done
	# More than one thread reads (view_each() takes one per 16 cases): 41 cases in the window.
	run --separate-stderr release-check --all --format tsv
	assert_failure 1
	assert_equal "$stderr" ''
	assert_equal "$(printf '%s\n' "$output" | grep -c plan-complete)" 41
	assert_equal "$(printf '%s\n' "$output" | sed -n 2p)" $'B-2026-017\t2027-05-31\tplan-complete'
	assert_equal "$(printf '%s\n' "$output" | tail -n 1)" $'B-2026-139\t2027-05-31\tpre-leave-overleg'
	# A plan that cannot be read stops the finding of the window there; a reintegration plan
	# that cannot be read, which only the threads read, stops the list at its case all the same.
	sneak 'sed -i "s/^  leave_eligible: .*/  leave_eligible: 2027-05-31\n  bogus: 1/" cases/*/B-2026-130/plan.yaml'
	run --separate-stderr release-check --all --format tsv
	assert_failure 2
	assert_equal "$(printf '%s\n' "$output" | tail -n 1)" $'B-2026-129\t2027-05-31\tpre-leave-overleg'
	assert_equal "$(printf '%s\n' "$output" | grep -c plan-complete)" 31
	[[ $stderr == "release-check: cannot read 'cases/"*"/B-2026-130/plan.yaml': "*bogus* ]]
	assert_equal "$(printf '%s\n' "$stderr" | wc -l)" 1
	local with=$output
	CASUS_INDEX=off run --separate-stderr release-check --all --format tsv
	assert_failure 2
	assert_equal "$output" "$with"
	sneak 'echo "bogus: 1" >"$(dirname cases/*/B-2026-110/plan.yaml)/reintegration.yaml"'
	run --separate-stderr release-check --all --format tsv
	assert_failure 2
	assert_equal "$(printf '%s\n' "$output" | tail -n 1)" $'B-2026-109\t2027-05-31\tpre-leave-overleg'
	assert_equal "$(printf '%s\n' "$output" | grep -c plan-complete)" 11
	[[ $stderr == "release-check: cannot read 'cases/"*"/B-2026-110/reintegration.yaml': "* ]]
	assert_equal "$(printf '%s\n' "$stderr" | wc -l)" 1
	with=$output
	CASUS_INDEX=off run --separate-stderr release-check --all --format tsv
	assert_failure 2
	assert_equal "$output" "$with"
}

@test "release-check --all skips a closed case" {
	all_store
	run git -C "$STORE" log -1 --format=%s main
	assert_output "plan-edit: edit plan B-2026-020"
	run release-check B-2026-020
	assert_failure 1
	run release-check --all --format tsv --within 12m
	refute_output --partial B-2026-020
}

# --- errors, and nothing changed ---

@test "release-check of an unknown case is an error" {
	case_store
	error "cannot find case 'B-2026-099': no such case in this store" B-2026-099
	error "cannot find case 'B-2026-099': no such case in this store" B-2026-099 --format json
	error "cannot find case 'B-2026-099': no such case in this store" B-2026-099 --for release
}

@test "release-check refuses a bad --for, --date, --within or --format" {
	case_store
	error "cannot use --for 'parole': not leave or release" B-2026-017 --for parole
	error "cannot use --date '2027-02-30': not a valid date (YYYY-MM-DD)" B-2026-017 --date 2027-02-30
	error "cannot use --date 'tomorrow'" B-2026-017 --date tomorrow
	error "cannot use --within '6 months': not a duration such as 14d, 6w or 3m" --all --within "6 months"
	error "cannot use --within '3y'" --all --within 3y
	error "cannot use format 'yaml': not one of this program's formats" B-2026-017 --format yaml
	error "cannot use format 'ics': not one of this program's formats" --all --format ics
}

@test "release-check refuses a CASE-ID with --all, and neither" {
	case_store
	error "--all takes no CASE-ID" --all B-2026-017
	error "expected one CASE-ID, or --all"
	error "expected one CASE-ID, or --all" B-2026-017 B-2026-018
}

@test "release-check refuses --within, --institution and --format tsv without --all" {
	case_store
	error "--within, --institution and --format tsv go with --all" B-2026-017 --within 3m
	error "--within, --institution and --format tsv go with --all" B-2026-017 --institution Brugge
	error "--within, --institution and --format tsv go with --all" B-2026-017 --format tsv
}

@test "release-check refuses a case ID that is not one, and a folder that is not a store" {
	case_store
	error "cannot use case ID 'B-2026/../017': only letters, digits, '-', '_' and '.' are allowed" "B-2026/../017"
	mkdir "$BATS_TEST_TMPDIR/empty"
	error "cannot open store '$BATS_TEST_TMPDIR/empty': not a casus store (no git repository)" \
		-C "$BATS_TEST_TMPDIR/empty" B-2026-017
}

@test "release-check changes nothing in the store" {
	all_store
	tip=$(head_commit)
	release-check B-2026-017 >/dev/null
	release-check B-2026-018 --for release --format json >/dev/null || true
	release-check --all >/dev/null || true
	release-check --all --format json --within 24m >/dev/null || true
	assert_equal "$(head_commit)" "$tip"
	assert_store 13
}

@test "a failing check's reason is carried whole, however long, in every format" {
	ready_store
	{
		reintegration_plan | sed '/^needs:/,$d'
		echo 'needs:'
		for i in $(seq 12); do printf -- '- category: psychosocial\n  from: welzijn\n  purpose: aftercare\n'; done
	} | put_reintegration
	run -1 release-check B-2026-017 --for release --format json
	reason=$(jq -r '.checks[] | select(.name == "sharing-basis") | .reason' <<<"$output")
	[ "${#reason}" -gt 640 ] || fail "the reason has ${#reason} characters"
	assert_equal "$(grep -o 'psychosocial from welzijn (' <<<"$reason" | wc -l)" 12
	refute_regex "$reason" '\.\.\.$'
	run -1 release-check B-2026-017 --for release
	assert_equal "$(grep -o 'psychosocial from welzijn (' <<<"$output" | wc -l)" 12
}
