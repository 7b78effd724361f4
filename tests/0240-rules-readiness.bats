#!/usr/bin/env bats
# The rules of the paper on plans, readiness and withholding, as issue 10 applies them
# (casus(7), "The rules of the paper"):
#
# R1 - one plan per detainee, from the start. Every radicalised detainee gets an individual
#   detention plan from the start of detention, worked out in consultation between the core
#   partners, tailored to the person, aimed at successful reintegration. Its focus: strengthening
#   the individual (positive identity development, planning for the future), disengagement and
#   restoration.
# R3 - minimum life domains. Every trajectory examines at least: psychosocial support; education
#   and employment; trauma-related or specialised mental health care, including addiction care;
#   involvement and guidance of the social context (family, network); persons who can offer an
#   alternative discourse to violent extremism (religious authorities, other support figures). A
#   plan is not complete until each of these has been assessed.
# R8 - the reintegration plan and post-release follow-up are kept in view. The consultation
#   guards the link with the reintegration plan and with follow-up after detention by the
#   justice houses.
# R10 - no sharing without a basis. Partners may only share substantive information about a
#   case with the detainee's informed consent, within the deontological codes of each
#   organisation, and without going beyond each person's competence. Consent is specific: to
#   whom, which information, for what purpose; it can be refused and withdrawn.
#
# And R5, the periodic consultation, which release waits for too.
#
# release-check --for release (release-check(1)) is not ready while a periodic consultation is
# overdue (overleg-overdue, R5), while an area of the reintegration plan is to arrange or in
# progress (reintegration-areas, R8), or when the follow-up by the justice houses has no start
# date or starts after release eligibility (follow-up-start, R8); it lists every failing check
# at once. plan-show --for P (plan-show(1)) withholds what P has no basis for, or what is not
# sealed for P yet, wherever it appears: life domains, role agreements, the areas of the
# reintegration plan (for their own purpose), and what the consultations agreed, noted and
# dissented. Neither changes the store.

bats_require_minimum_version 1.5.0
load helpers

# Made once per file, copied per test:
#   ready: case B-2026-017 (leave eligibility 2027-05-31, release eligibility 2028-05-31) ready
#          for release on 2027-03-15: every life domain assessed, Bram's consent for the justice
#          houses, Chris's reintegration plan with every area settled and the follow-up from
#          release eligibility, a consultation held on 2027-03-01. 8 commits.
setup_file() {
	(
		BATS_TEST_TMPDIR=$BATS_FILE_TMPDIR && setup && init_store && new_case >/dev/null &&
			git -C "$STORE" show "main:cases/e7/B-2026-017/plan.yaml" |
			sed 's/status: to-assess/status: planned\n    owner: welzijn/' >"$BATS_FILE_TMPDIR/plan.yaml" &&
			plan-edit B-2026-017 --file "$BATS_FILE_TMPDIR/plan.yaml" &&
			as_bram &&
			consent-record B-2026-017 --from welzijn --told consent-leaflet --language nl \
				--to justitiehuizen --categories psychosocial --purpose reintegration \
				--date 2026-11-01 --until 2030-01-10 --evidence FORM-2026-0077 --informed >/dev/null &&
			as_chris &&
			reintegration_plan >"$BATS_FILE_TMPDIR/reintegration.yaml" &&
			plan-edit B-2026-017 --reintegration --file "$BATS_FILE_TMPDIR/reintegration.yaml" &&
			printf 'present:\n- partner: justitiehuizen\n  member: chris@jh.example\nabsent:\n- partner: dg-epi\n  reason: on leave\n- partner: welzijn\n  reason: on leave\ndecision:\n  consensus: true\n' \
				>"$BATS_FILE_TMPDIR/minutes.yaml" &&
			CASUS_TODAY=2027-03-01 overleg-record B-2026-017 --date 2027-03-01 --file "$BATS_FILE_TMPDIR/minutes.yaml" &&
			cp -a "$STORE" "$BATS_FILE_TMPDIR/ready" &&
			rm -rf "$STORE" && views_store_make &&
			cp -a "$STORE" "$BATS_FILE_TMPDIR/views"
	)
}

#   views: case B-2026-017 with two role agreements (welzijn's, dg-epi's), a reintegration plan
#          (housing held by justitiehuizen, work by welzijn, each with a note), and the
#          consultation of 2026-11-20 of dg-epi and welzijn, justitiehuizen absent: one
#          agreement of welzijn, a decision without consensus with a note, and dg-epi's
#          dissent. No consent yet. 7 commits.
views_store_make() {
	init_store && new_case >/dev/null &&
		plan-show B-2026-017 --format yaml |
		sed 's/^domains:/roles:\n- partner: welzijn\n  agreement: leads the psychosocial support\n  member: bram@welzijn.example\n- partner: dg-epi\n  agreement: arranges the family visits\ndomains:/' \
			>"$BATS_FILE_TMPDIR/roles.yaml" &&
		plan-edit B-2026-017 --file "$BATS_FILE_TMPDIR/roles.yaml" &&
		as_chris &&
		cat >"$BATS_FILE_TMPDIR/views-r.yaml" <<-'EOF' &&
		case_id: B-2026-017
		housing: {status: arranged, owner: justitiehuizen, note: with the family}
		work: {status: in-progress, owner: welzijn, note: a job through the local employment service}
		network: {status: to-arrange}
		care: {status: to-arrange}
		EOF
		plan-edit B-2026-017 --reintegration --file "$BATS_FILE_TMPDIR/views-r.yaml" &&
		as_bram &&
		cat >"$BATS_FILE_TMPDIR/views-m.yaml" <<-'EOF' &&
		present:
		- partner: dg-epi
		  member: ann@brugge.example
		- partner: welzijn
		  member: bram@welzijn.example
		absent:
		- partner: justitiehuizen
		  reason: in court
		agreements:
		- text: invite the family to a meeting
		  owner: welzijn
		  due: 2026-12-31
		decision:
		  consensus: false
		  note: exit permits after the training course
		  dissent:
		  - partner: dg-epi
		    point: would wait for the course to end
		EOF
		CASUS_TODAY=2026-11-20 overleg-record B-2026-017 --date 2026-11-20 --file "$BATS_FILE_TMPDIR/views-m.yaml"
}

# A reintegration plan with every area settled and the follow-up from release eligibility. No
# note in housing, the justice houses' area: Bram stores the plan again in the tests, and a
# text sealed for another partner he cannot write again (casus(7), SEALING).
reintegration_plan() {
	cat <<-'EOF'
	case_id: B-2026-017
	housing: {status: arranged, owner: justitiehuizen}
	work: {status: arranged, owner: welzijn, note: a job through the local employment service}
	network: {status: arranged, owner: welzijn}
	care: {status: not-needed}
	follow_up:
	  justice_house: Justitiehuis Brugge
	  member: chris@jh.example
	  from: '2028-05-31'
	needs:
	- category: psychosocial
	  from: welzijn
	EOF
}

ready_store() {
	cp -a "$BATS_FILE_TMPDIR/ready" "$STORE"
	export CASUS_REPO="$STORE" CASUS_TODAY=2027-03-15
}

# The reintegration plan above through sed script $1, stored by Bram: the areas the scripts
# change are welzijn's or no one's (casus(7), AUTHORITY).
put_reintegration() {
	reintegration_plan | sed "$1" >"$BATS_TEST_TMPDIR/r.yaml"
	(as_bram && plan-edit B-2026-017 --reintegration --file "$BATS_TEST_TMPDIR/r.yaml")
}

# release-check "$@" on B-2026-017, stderr apart; the store is unchanged by it.
check() {
	local before
	before=$(head_commit)
	run --separate-stderr release-check B-2026-017 "$@"
	assert_equal "$stderr" ''
	assert_equal "$(head_commit)" "$before"
}

# The line of check $1 in the text output, with its to-do $3 under it when it fails.
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

# --- release-check --for release (R5, R8) ---

@test "R8: release-check --for release passes for a case with every area settled and the follow-up from release" {
	ready_store
	check --for release
	assert_success
	assert_line --index 0 "B-2026-017: ready for release on 2027-03-15"
	assert_pass reintegration-areas "every area is arranged or not needed (R8)"
	assert_pass follow-up-start "the follow-up starts on 2028-05-31, not after release eligibility on 2028-05-31 (R8)"
	assert_pass overleg-overdue "no periodic consultation is overdue (R5)"
	assert_store 8
}

@test "R8: release-check --for release is not ready while a reintegration area is in progress" {
	ready_store
	put_reintegration 's/^work: {status: arranged/work: {status: in-progress/'
	check --for release
	assert_failure 1
	assert_line --index 0 "B-2026-017: not ready for release on 2027-03-15 (1 of 10 checks failed)"
	assert_fail reintegration-areas "still in progress: work (R8)" \
		"arrange them, or mark them not-needed, with plan-edit --reintegration"
	# Penitentiary leave does not wait for it.
	check --for leave
	refute_output --partial reintegration-areas
	assert_store 9
}

@test "R8: release-check --for release names the areas to arrange and those in progress in one line" {
	ready_store
	put_reintegration 's/^work: {status: arranged/work: {status: in-progress/; s/^care: {status: not-needed}/care: {status: to-arrange}/'
	check --for release
	assert_failure 1
	assert_fail reintegration-areas "still to arrange: care; still in progress: work (R8)" \
		"arrange them, or mark them not-needed, with plan-edit --reintegration"
}

@test "R8: release-check --for release is not ready when the justice house's follow-up starts later than release" {
	ready_store
	put_reintegration "s/^  from: '2028-05-31'/  from: '2028-06-01'/"
	check --for release
	assert_failure 1
	assert_line --index 0 "B-2026-017: not ready for release on 2027-03-15 (1 of 10 checks failed)"
	assert_fail follow-up-start "the follow-up starts on 2028-06-01, after release eligibility on 2028-05-31 (R8)" \
		"agree an earlier follow_up.from with the justice house and set it with plan-edit --reintegration"
	# One that starts before release is in time.
	put_reintegration "s/^  from: '2028-05-31'/  from: '2028-05-01'/"
	check --for release
	assert_success
	assert_pass follow-up-start "the follow-up starts on 2028-05-01, not after release eligibility on 2028-05-31 (R8)"
	assert_store 10
}

@test "R8: release-check --for release is not ready while the follow-up has no start date" {
	ready_store
	put_reintegration "/^  from: '2028-05-31'/d"
	check --for release
	assert_failure 1
	assert_fail follow-up-start "the follow-up has no start date (R8)" \
		"set follow_up.from, on or before the release eligibility date, with plan-edit --reintegration"
	assert_store 9
}

@test "R5: release-check --for release is not ready while a periodic consultation is overdue" {
	ready_store
	# Six weeks after 2027-03-01 the next one was due on 2027-04-12.
	check --for release --date 2027-04-20
	assert_failure 1
	assert_line --index 0 "B-2026-017: not ready for release on 2027-04-20 (1 of 10 checks failed)"
	assert_fail overleg-overdue "a periodic consultation is overdue since 2027-04-12 (R5)" \
		"hold it and record it with overleg-record"
	check --for release --date 2027-04-12
	assert_success
	assert_store 8
}

@test "R8: release-check --for release lists every failing check at once, never only the first" {
	ready_store
	put_reintegration "s/^network: {status: arranged/network: {status: in-progress/; s/^  from: '2028-05-31'/  from: '2028-07-01'/"
	check --for release --date 2027-04-20
	assert_failure 1
	assert_output - <<-'EOF'
	B-2026-017: not ready for release on 2027-04-20 (3 of 10 checks failed)
	  pass  plan-complete       every life domain is assessed (R3)
	  pass  plan-not-refused    the detainee has not refused the detention plan (R1)
	  pass  team-complete       an active member for each core partner (R9)
	  pass  reintegration-plan  present, with follow-up by chris@jh.example (R8)
	  FAIL  reintegration-areas still in progress: network (R8)
	                            to do: arrange them, or mark them not-needed, with plan-edit --reintegration
	  FAIL  follow-up-start     the follow-up starts on 2028-07-01, after release eligibility on 2028-05-31 (R8)
	                            to do: agree an earlier follow_up.from with the justice house and set it with plan-edit --reintegration
	  FAIL  overleg-overdue     a periodic consultation is overdue since 2027-04-12 (R5)
	                            to do: hold it and record it with overleg-record
	  pass  sharing-basis       consent or a legal basis covers all 1 item the justice houses need (R10, R11)
	  pass  agreements          no open agreement is past its due date (0 open) (R5)
	  pass  dates               present and in order (R6, R8)
	EOF
	run --separate-stderr release-check B-2026-017 --for release --date 2027-04-20 --format json
	assert_failure 1
	run jq -r '[.checks[] | select(.passed | not) | .name] | join(",")' <<<"$output"
	assert_output reintegration-areas,follow-up-start,overleg-overdue
	assert_store 9
}

@test "R8: release-check --all --for release lists each failing check of a case, one row each" {
	ready_store
	put_reintegration "s/^network: {status: arranged/network: {status: in-progress/; s/^  from: '2028-05-31'/  from: '2028-07-01'/"
	run --separate-stderr release-check --all --for release --within 24m --date 2027-04-20 --format tsv
	assert_failure 1
	assert_output - <<-'EOF'
	case	date	failed
	B-2026-017	2028-05-31	reintegration-areas
	B-2026-017	2028-05-31	follow-up-start
	B-2026-017	2028-05-31	overleg-overdue
	EOF
}

# --- plan-show --for: withheld wherever it appears (R10) ---

views_store() {
	cp -a "$BATS_FILE_TMPDIR/views" "$STORE"
	export CASUS_REPO="$STORE"
}

# plan-show B-2026-017 "$@", stderr apart and empty; the store is unchanged by it.
show() {
	local before
	before=$(head_commit)
	run --separate-stderr plan-show B-2026-017 "$@"
	assert_success
	assert_equal "$stderr" ''
	assert_equal "$(head_commit)" "$before"
}

# show --for P "$@" run by P's member (Ann, Bram or Chris), whose key opens what is sealed for P.
show_for() {
	local p=$1 who
	shift
	case $p in
	welzijn) who=bram ;;
	justitiehuizen) who=chris ;;
	*) who=ann ;;
	esac
	CASUS_KEY="$KEYS/$who" show --for "$p" "$@"
}

# An informed consent of the detainee recorded by Bram: consent-record's arguments "$@"; its ID
# in $cid.
consent() {
	cid=$(as_bram && consent-record B-2026-017 --informed --told consent-leaflet --language nl "$@")
}

# reseal WHO [--reintegration]: WHO (ann, bram or chris) stores the plan, or the reintegration
# plan, again as it is: the parts WHO's partner holds are sealed for the recipients of today's
# bases (casus(7), SEALING). One commit when they change.
reseal() {
	local who=$1 file=plan.yaml
	shift
	[ "${1:-}" = --reintegration ] && file=reintegration.yaml
	git -C "$STORE" show "main:cases/e7/B-2026-017/$file" >"$BATS_TEST_TMPDIR/reseal.yaml"
	CASUS_KEY="$KEYS/$who" plan-edit B-2026-017 "$@" --file "$BATS_TEST_TMPDIR/reseal.yaml"
}

nobasis() {
	echo "no consent or legal basis covers $1 from $2 to $3 on 2026-11-29"
}

# Why a part of holder $1 the bases now let $2 have is a marker still: it is not sealed for it.
notyet() {
	echo "not sealed for $2 yet (a member of $1 re-seals it with case-reseal)"
}

@test "R10: plan-show --for withholds a role agreement without a basis" {
	views_store
	show_for justitiehuizen
	assert_line "  welzijn            [sealed for welzijn: $(nobasis detention welzijn justitiehuizen)] (bram@welzijn.example)"
	assert_line "  dg-epi             [sealed for dg-epi: $(nobasis detention dg-epi justitiehuizen)]"
	refute_output --partial 'leads the psychosocial support'
	refute_output --partial 'arranges the family visits'
	# A partner sees its own; in json the withheld one carries its reason.
	show_for welzijn --format json
	run jq -c '.roles | map([.agreement, .sealed_for, .withheld])' <<<"$output"
	assert_output "[[\"leads the psychosocial support\",null,null],[\"[sealed for dg-epi: $(nobasis detention dg-epi welzijn)]\",\"dg-epi\",\"$(nobasis detention dg-epi welzijn)\"]]"
	# With a consent for the course of detention, the justice houses may see both: once each
	# holder has re-sealed its own.
	consent --from dg-epi,welzijn --to justitiehuizen --categories detention --purpose casusoverleg
	show_for justitiehuizen
	assert_line "  welzijn            [sealed for welzijn: $(notyet welzijn justitiehuizen)] (bram@welzijn.example)"
	assert_line "  dg-epi             [sealed for dg-epi: $(notyet dg-epi justitiehuizen)]"
	reseal bram
	reseal ann
	show_for justitiehuizen
	assert_line '  welzijn            leads the psychosocial support (bram@welzijn.example)'
	assert_line '  dg-epi             arranges the family visits'
	assert_store 10
}

@test "R10: plan-show --for withholds a consultation's agreement without a basis" {
	views_store
	show_for justitiehuizen
	assert_line "  open agreements    [sealed for welzijn: $(nobasis detention welzijn justitiehuizen)] [2026-11-20#1, welzijn, due 2026-12-31]"
	refute_output --partial 'invite the family'
	# In json, both in the consultation as stored and among the open agreements.
	show_for justitiehuizen --format json
	run jq -r '.overleg.last.agreements[0], .overleg.open_agreements[0] | .sealed_for, .withheld' <<<"$output"
	assert_output - <<-EOF
	welzijn
	$(nobasis detention welzijn justitiehuizen)
	welzijn
	$(nobasis detention welzijn justitiehuizen)
	EOF
	grep -q 'invite the family' <<<"$output" && fail "json shows a withheld agreement"
	show_for welzijn
	assert_line '  open agreements    invite the family to a meeting [2026-11-20#1, welzijn, due 2026-12-31]'
	assert_store 7
}

@test "R10: plan-show --for withholds a consultation's decision note without a basis" {
	views_store
	# The justice houses were absent: each partner present must be allowed to pass it on.
	show_for justitiehuizen --format json
	run jq -r '.overleg.last.decision | .note, .sealed_for, .withheld' <<<"$output"
	assert_output - <<-EOF
	[sealed for dg-epi, welzijn: $(nobasis detention dg-epi justitiehuizen)]
	dg-epi, welzijn
	$(nobasis detention dg-epi justitiehuizen)
	EOF
	grep -q 'exit permits after' <<<"$output" && fail "json shows a withheld decision note"
	# A partner that was present made the decision: it holds the note.
	show_for welzijn --format json
	run jq -r '.overleg.last.decision | .note, has("withheld")' <<<"$output"
	assert_output $'exit permits after the training course\nfalse'
	# A consent lets the justice houses have it; the held consultation is sealed as it was.
	consent --from dg-epi,welzijn --to justitiehuizen --categories detention --purpose casusoverleg
	show_for justitiehuizen --format json
	run jq -r '.overleg.last.decision.withheld' <<<"$output"
	assert_output "$(notyet 'dg-epi, welzijn' justitiehuizen)"
	assert_store 8
}

@test "R10: plan-show --for withholds a consultation's dissent point without a basis" {
	views_store
	show_for justitiehuizen
	assert_line "    dissent          dg-epi: [sealed for dg-epi: $(nobasis detention dg-epi justitiehuizen)]"
	refute_output --partial 'would wait for the course'
	# Being present is no basis for another partner's point.
	show_for welzijn
	assert_line "    dissent          dg-epi: [sealed for dg-epi: $(nobasis detention dg-epi welzijn)]"
	show_for dg-epi
	assert_line '    dissent          dg-epi: would wait for the course to end'
	assert_store 7
}

@test "R10: plan-show --for judges a reintegration area for reintegration or aftercare, not the case consultation" {
	views_store
	consent --from justitiehuizen,welzijn --to justitiehuizen,welzijn --categories reintegration --purpose casusoverleg --date 2026-11-01
	show_for justitiehuizen
	assert_line "  work or income     in-progress [welzijn]: [sealed for welzijn: consent $cid is for purpose casusoverleg, not reintegration]"
	refute_output --partial 'local employment service'
	# For the justice houses, aftercare is a purpose an area serves; for another partner it is
	# not. Each area is read once its holder has re-sealed it.
	consent --from justitiehuizen,welzijn --to justitiehuizen,welzijn --categories reintegration --purpose aftercare --date 2026-11-15
	show_for justitiehuizen
	assert_line "  work or income     in-progress [welzijn]: [sealed for welzijn: $(notyet welzijn justitiehuizen)]"
	reseal bram --reintegration
	show_for justitiehuizen
	assert_line '  work or income     in-progress [welzijn]: a job through the local employment service'
	show_for welzijn
	assert_line "  housing            arranged [justitiehuizen]: [sealed for justitiehuizen: consent $cid is for purpose aftercare, not reintegration]"
	consent --from justitiehuizen --to welzijn --categories reintegration --purpose reintegration
	reseal chris --reintegration
	show_for welzijn
	assert_line '  housing            arranged [justitiehuizen]: with the family'
	assert_store 12
}

@test "R10: plan-show without --for shows what the runner's key opens, and marks the rest" {
	views_store
	as_bram
	show --format json
	run jq -r '[.. | objects | select(has("withheld")) | .sealed_for] | join(" ")' <<<"$output"
	assert_output 'dg-epi dg-epi justitiehuizen'
	show
	assert_line '  welzijn            leads the psychosocial support (bram@welzijn.example)'
	assert_line "  dg-epi             [sealed for dg-epi: $(nobasis detention dg-epi welzijn)]"
	assert_line "    dissent          dg-epi: [sealed for dg-epi: $(nobasis detention dg-epi welzijn)]"
	assert_line '  open agreements    invite the family to a meeting [2026-11-20#1, welzijn, due 2026-12-31]'
}

@test "R10: casus(7) and plan-show(1) say that --for is a view, and that sealing is what protects" {
	local man=$BATS_TEST_DIRNAME/../man
	run bash -c "mandoc -Tutf8 '$man/man7/casus.7' | col -b | tr -s ' \n' '  '"
	assert_success
	assert_output --partial 'It is a view, not a protection.'
	assert_output --partial 'For sealed content that view is computed from the recipients each part is sealed for'
	run bash -c "mandoc -Tutf8 '$man/man1/plan-show.1' | col -b | tr -s ' \n' '  '"
	assert_success
	assert_output --partial 'is a view: it shows what partner may see, and it protects nothing.'
	assert_output --partial 'Sealed texts are protected by the sealing, not by this view'
}

@test "R10: plan-show --for withholds each decision's text and dissent of the minutes' decisions" {
	views_store
	cat >"$BATS_TEST_TMPDIR/m.yaml" <<-'EOF'
	present:
	- partner: dg-epi
	  member: ann@brugge.example
	- partner: welzijn
	  member: bram@welzijn.example
	absent:
	- partner: justitiehuizen
	  reason: in court
	decisions:
	- text: exit permits after the training course
	  consensus: false
	  dissent:
	  - partner: dg-epi
	    point: would wait for the course to end
	- text: the family is invited in January
	  consensus: true
	EOF
	as_bram
	CASUS_TODAY=2026-11-27 overleg-record B-2026-017 --date 2026-11-27 --file "$BATS_TEST_TMPDIR/m.yaml"
	show_for justitiehuizen
	refute_output --partial 'exit permits'
	refute_output --partial 'the family is invited'
	refute_output --partial 'would wait for the course'
	show_for justitiehuizen --format json
	run jq -r '.overleg.last.decisions[] | .text, .withheld' <<<"$output"
	assert_output - <<-EOF
	[sealed for dg-epi, welzijn: $(nobasis detention dg-epi justitiehuizen)]
	$(nobasis detention dg-epi justitiehuizen)
	[sealed for dg-epi, welzijn: $(nobasis detention dg-epi justitiehuizen)]
	$(nobasis detention dg-epi justitiehuizen)
	EOF
	grep -q 'exit permits\|the family is invited\|would wait' <<<"$output" && fail "json shows a withheld decision"
	# A partner that was present holds the decisions; dg-epi's point stays dg-epi's.
	show_for welzijn
	assert_output --partial 'exit permits after the training course'
	refute_output --partial 'would wait for the course'
}
