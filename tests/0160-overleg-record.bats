#!/usr/bin/env bats
# overleg-record(1): records a case consultation that was held, from its minutes (a file,
# stdin, or the editor): who came and who could not, the agreements and which earlier ones
# are now done or dropped, the decision and any dissent (R7), and the information shared,
# each item checked against consent and legal bases on the consultation's day (R10, R11).
# One commit, or nothing: exit 1 when an item has no basis (every such item listed), 2 on an
# error. A planned consultation on that date becomes held; plan-show shows the result.

bats_require_minimum_version 1.5.0
load helpers

CASE=cases/e7/B-2026-017

# Made once per file, copied per test: the team, case B-2026-017 of story 2 (detention from
# 2026-01-10, leave eligibility 2027-05-31), and Bram's consent of story 4: psychosocial
# information from the welfare services to the prison administration and the justice houses,
# for the case consultation, from 2026-02-01. 5 commits.
setup_file() {
	(
		BATS_TEST_TMPDIR=$BATS_FILE_TMPDIR && setup && init_store && new_case >/dev/null && as_bram &&
			consent-record B-2026-017 --from welzijn --told consent-leaflet --language nl --to dg-epi,justitiehuizen --categories psychosocial \
				--purpose casusoverleg --date 2026-02-01 --until 2030-01-10 --evidence FORM-2026-0042 \
				--informed >"$BATS_FILE_TMPDIR/consent-id"
	)
}

case_store() {
	cp -a "$BATS_FILE_TMPDIR/store" "$STORE"
	export CASUS_REPO="$STORE"
	CID=$(cat "$BATS_FILE_TMPDIR/consent-id")
	M=$BATS_TEST_TMPDIR/minutes.yaml
	as_bram
}

# The minutes of story 5: the welfare services and the justice houses came, the prison
# administration could not (on leave); two agreements; two decisions, the second without
# consensus: the justice
# houses dissented; psychosocial information shared under the consent, and the justice houses'
# own information.
story_minutes() {
	cat >"$M" <<-'EOF'
	present:
	- partner: welzijn
	  member: bram@welzijn.example
	- partner: justitiehuizen
	  member: chris@jh.example
	absent:
	- partner: dg-epi
	  reason: on leave
	agreements:
	- text: housing with the family
	  owner: justitiehuizen
	  due: 2026-12-31
	- text: a training course in the prison
	  owner: dg-epi
	decisions:
	- text: the plan stands
	  consensus: true
	- text: leave from the spring
	  consensus: false
	  dissent:
	  - partner: justitiehuizen
	    point: leave is too early
	shared:
	- category: psychosocial
	  from: welzijn
	  to: [dg-epi, justitiehuizen]
	- category: reintegration
	  from: justitiehuizen
	  to: [justitiehuizen]
	EOF
}

# Minutes with just one member present and the decision, then $1 appended (more keys), then
# the other two partners of the team absent with their reasons (R5), unless $2 is given.
minutes() {
	printf 'present:\n- partner: welzijn\n  member: bram@welzijn.example\ndecision:\n  consensus: true\n%s%s' \
		"${1:-}" "${2-$'absent:\n- partner: dg-epi\n  reason: on leave\n- partner: justitiehuizen\n  reason: in court\n'}" >"$M"
}

# The consultation file of DATE at the tip.
overleg_at() {
	git -C "$STORE" show "main:$CASE/overleg/$1.yaml"
}

# The same, each sealed value, recipient's key and wrapped key shown as "...".
sealed_at() {
	overleg_at "$1" | sed -E 's/^( *-? *)(sealed|key|wrap): .*/\1\2: .../'
}

# The detainee's consent, recorded by Bram, that every partner of the team passes on what it
# holds of the course of detention for the case consultation: what the consultations agree and
# decide is sealed for the whole team (casus(7), SEALING). 1 commit.
detention_shared() {
	consent-record B-2026-017 --from dg-epi,welzijn,justitiehuizen --told consent-leaflet \
		--language nl --to dg-epi,welzijn,justitiehuizen --categories detention \
		--purpose casusoverleg --date 2026-02-01 --informed >/dev/null
}

overleg_files() {
	git -C "$STORE" ls-tree --name-only main -- "$CASE/overleg/" | sed 's,.*/,,'
}

# overleg-record "$@" fails with exit 2, says $1 on stderr (a substring), stores nothing.
error() {
	local msg=$1
	shift
	run --separate-stderr overleg-record B-2026-017 "$@"
	assert_failure 2
	assert_output ''
	[[ "$stderr" == *"$msg"* ]] || fail "stderr lacks '$msg': $stderr"
	assert_store 5
}

@test "overleg-record records the minutes from a file, in one commit by the runner" {
	case_store
	story_minutes
	run --separate-stderr overleg-record B-2026-017 --date 2026-11-20 --file "$M"
	assert_success
	assert_output ''
	assert_equal "$stderr" ''
	assert_store 6
	run git -C "$STORE" log -1 --format='%an <%ae>%n%B' main
	assert_output - <<-EOF
	Bram Claes <bram@welzijn.example>
	overleg-record: record consultation B-2026-017

	Case-Id: B-2026-017
	Overleg-Date: 2026-11-20
	Program: overleg-record
	EOF
	run git -C "$STORE" show --format= --name-status main
	assert_output "A	$CASE/overleg/2026-11-20.yaml"
}

@test "overleg-record stores the minutes whole, with the record that covered each sharing" {
	case_store
	story_minutes
	overleg-record B-2026-017 --date 2026-11-20 --file "$M"
	# Each text sealed for its holders: an agreement's owner, a dissent's partner, the partners
	# present for a decision; no consent lets them pass it on yet.
	run sealed_at 2026-11-20
	assert_output - <<-EOF
	case_id: B-2026-017
	date: '2026-11-20'
	kind: periodic
	status: held
	present:
	- partner: welzijn
	  member: bram@welzijn.example
	- partner: justitiehuizen
	  member: chris@jh.example
	absent:
	- partner: dg-epi
	  reason: on leave
	agreements:
	- text:
	    sealed: ...
	  owner: justitiehuizen
	  due: '2026-12-31'
	  seal:
	  - member: chris@jh.example
	    key: ...
	    wrap: ...
	- text:
	    sealed: ...
	  owner: dg-epi
	  seal:
	  - member: ann@brugge.example
	    key: ...
	    wrap: ...
	decisions:
	- text:
	    sealed: ...
	  consensus: true
	  seal:
	  - member: bram@welzijn.example
	    key: ...
	    wrap: ...
	  - member: chris@jh.example
	    key: ...
	    wrap: ...
	- text:
	    sealed: ...
	  consensus: false
	  dissent:
	  - partner: justitiehuizen
	    point:
	      sealed: ...
	    seal:
	    - member: chris@jh.example
	      key: ...
	      wrap: ...
	  seal:
	  - member: bram@welzijn.example
	    key: ...
	    wrap: ...
	  - member: chris@jh.example
	    key: ...
	    wrap: ...
	shared:
	- category: psychosocial
	  from: welzijn
	  to:
	  - dg-epi
	  - justitiehuizen
	  covered_by:
	    dg-epi: $CID
	    justitiehuizen: $CID
	- category: reintegration
	  from: justitiehuizen
	  to:
	  - justitiehuizen
	  covered_by:
	    justitiehuizen: own
	recorded_by: bram@welzijn.example
	EOF
}

@test "overleg-record reads the minutes from standard input with --file -" {
	case_store
	story_minutes
	run --separate-stderr overleg-record B-2026-017 --date 2026-11-20 --file - <"$M"
	assert_success
	assert_store 6
	run sealed_at 2026-11-20
	assert_line 'status: held'
	assert_line '    point:'
	assert_line "    justitiehuizen: $CID"
	git -C "$STORE" grep -q -F 'leave is too early' main && fail "the dissent is stored in clear"
	true
}

@test "overleg-record refuses minutes with an unlawful sharing: exit 1, every item listed, nothing recorded" {
	case_store
	story_minutes
	cat >>"$M" <<-'EOF'
	- category: security
	  from: dg-epi
	  to: [welzijn, justitiehuizen]
	- category: mental_health
	  from: welzijn
	  to: [dg-epi]
	EOF
	run --separate-stderr overleg-record B-2026-017 --date 2026-11-20 --file "$M"
	assert_failure 1
	assert_output ''
	# Each recipient of each item, with the line of its item and share-check's reason.
	# A consent that names neither the recipient nor the category explains nothing: none is named.
	assert_equal "$stderr" "overleg-record: $M:30: shared[2]: security from dg-epi to welzijn has no basis: no consent or legal basis covers security from dg-epi to welzijn on 2026-11-20
overleg-record: $M:30: shared[2]: security from dg-epi to justitiehuizen has no basis: consent $CID does not cover information held by dg-epi
overleg-record: $M:33: shared[3]: mental_health from welzijn to dg-epi has no basis: consent $CID does not cover category mental_health
overleg-record: cannot record the consultation of B-2026-017: 3 problems, nothing recorded"
	assert_store 5
	run overleg_files
	assert_output ''
}

@test "overleg-record records the same minutes once consent is in place" {
	case_store
	story_minutes
	printf -- '- category: mental_health\n  from: welzijn\n  to: [dg-epi]\n' >>"$M"
	run overleg-record B-2026-017 --date 2026-11-20 --file "$M"
	assert_failure 1
	assert_store 5
	mid=$(consent-record B-2026-017 --from welzijn,justitiehuizen --told consent-leaflet --language nl --to dg-epi --categories mental_health --purpose casusoverleg \
		--date 2026-11-01 --informed)
	assert_store 6
	run --separate-stderr overleg-record B-2026-017 --date 2026-11-20 --file "$M"
	assert_success
	assert_equal "$stderr" ''
	assert_store 7
	run overleg_at 2026-11-20
	assert_line "    dg-epi: $mid"
}

@test "overleg-record judges a sharing on the consultation's date: lawful before a withdrawal, not after" {
	case_store
	wid=$(consent-record B-2026-017 --withdraw "$CID" --date 2026-06-01)
	minutes $'shared:\n- category: psychosocial\n  from: welzijn\n  to: [justitiehuizen]\n'
	run --separate-stderr overleg-record B-2026-017 --date 2026-06-01 --file "$M"
	assert_failure 1
	assert_equal "$stderr" "overleg-record: $M:7: shared[0]: psychosocial from welzijn to justitiehuizen has no basis: consent $CID was withdrawn on 2026-06-01 ($wid)
overleg-record: cannot record the consultation of B-2026-017: 1 problem, nothing recorded"
	assert_store 6
	# Before the consent was given, too.
	run overleg-record B-2026-017 --date 2026-01-31 --file "$M"
	assert_failure 1
	assert_store 6
	run overleg-record B-2026-017 --date 2026-05-31 --file "$M"
	assert_success
	assert_store 7
	run overleg_at 2026-05-31
	assert_line "    justitiehuizen: $CID"
}

@test "overleg-record names an art. 458ter basis that covered a sharing" {
	case_store
	as_ann
	bid=$(consent-record B-2026-017 --basis prosecutor --reference "PK Brugge 2026/118" \
		--to dg-epi,welzijn --categories security --purpose terrorism --date 2026-05-01 --until 2026-12-31)
	shares_since dg-epi 2026-05-01 >/dev/null
	assert_store 7
	minutes $'shared:\n- category: security\n  from: dg-epi\n  to: [welzijn]\n'
	run overleg-record B-2026-017 --date 2026-11-20 --file "$M"
	assert_success
	run overleg_at 2026-11-20
	assert_line "    welzijn: $bid"
	# After the basis ends, the same sharing has none.
	export CASUS_TODAY=2027-01-20
	run overleg-record B-2026-017 --date 2027-01-15 --file "$M"
	assert_failure 1
	assert_store 8
}

@test "overleg-record refuses minutes the schema refuses, with the line, and stores nothing" {
	case_store
	printf 'present:\n- partner: welzijn\n  member: bram@welzijn.example\n' >"$M"
	error "$M:1: decisions: no decision recorded: give at least one" --date 2026-11-20 --file "$M"
	printf 'present: []\ndecision: {consensus: true}\n' >"$M"
	error "$M:1: present: must have at least 1 item, has 0" --date 2026-11-20 --file "$M"
	[[ "$stderr" == *"cannot record the consultation of B-2026-017: the minutes are not valid, nothing recorded"* ]]
	minutes 'decided: yes'$'\n'
	error "$M:6: unexpected property 'decided'" --date 2026-11-20 --file "$M"
	printf 'present:\n- partner: welzijn\n  member: bram@welzijn.example\ndecision:\n  consensus: maybe\n' >"$M"
	error "$M:5: decision.consensus: expected boolean, got string" --date 2026-11-20 --file "$M"
	minutes $'agreements:\n- text: housing\n'
	error "$M:7: agreements[0]" --date 2026-11-20 --file "$M"
	minutes $'closes:\n- agreement: "2026-11-20"\n  status: done\n'
	error "$M:7: closes[0].agreement" --date 2026-11-20 --file "$M"
	minutes $'closes:\n- agreement: "2026-11-20#1"\n  status: finished\n'
	error "$M:8: closes[0].status" --date 2026-11-20 --file "$M"
	minutes $'shared:\n- category: psychosocial\n  from: welzijn\n  to: []\n'
	error "$M:9: shared[0].to" --date 2026-11-20 --file "$M"
	printf 'present: [\n' >"$M"
	error "$M:" --date 2026-11-20 --file "$M"
}

@test "overleg-record refuses an unknown partner and a member of another partner" {
	case_store
	printf 'present:\n- partner: police\n  member: bram@welzijn.example\ndecision:\n  consensus: true\n' >"$M"
	error "$M:2: present[0]: unknown partner 'police'" --date 2026-11-20 --file "$M"
	printf 'present:\n- partner: dg-epi\n  member: bram@welzijn.example\ndecision:\n  consensus: true\n' >"$M"
	error "$M:2: present[0]: 'bram@welzijn.example' is not a registered team member for dg-epi" --date 2026-11-20 --file "$M"
	printf 'present:\n- partner: welzijn\n  member: eve@elsewhere.example\ndecision:\n  consensus: true\n' >"$M"
	error "'eve@elsewhere.example' is not a registered team member for welzijn" --date 2026-11-20 --file "$M"
	minutes $'agreements:\n- text: housing\n  owner: police\n'
	error "agreements[0].owner: unknown partner 'police'" --date 2026-11-20 --file "$M"
	minutes $'shared:\n- category: gossip\n  from: welzijn\n  to: [police]\n'
	error "shared[0]: unknown partner 'police'" --date 2026-11-20 --file "$M"
	[[ "$stderr" == *"shared[0]: unknown category 'gossip'"* ]] || fail "stderr: $stderr"
}

@test "overleg-record refuses an absent partner that is not on the case's team, or also present" {
	case_store
	plan-new B-2026-018 --institution Brugge --detention-start 2026-01-10 \
		--team dg-epi=ann@brugge.example --team welzijn=bram@welzijn.example >/dev/null
	assert_store 6
	minutes '' $'absent:\n- partner: dg-epi\n  reason: ill\n- partner: justitiehuizen\n  reason: in court\n'
	run --separate-stderr overleg-record B-2026-018 --date 2026-11-20 --file "$M"
	assert_failure 2
	assert_equal "$stderr" "overleg-record: $M:9: absent[1]: 'justitiehuizen' is not a partner of the case's fixed team
overleg-record: cannot record the consultation of B-2026-018: 1 problem, nothing recorded"
	minutes '' $'absent:\n- partner: dg-epi\n  reason: ill\n- partner: welzijn\n  reason: ill\n'
	run --separate-stderr overleg-record B-2026-018 --date 2026-11-20 --file "$M"
	assert_failure 2
	[[ "$stderr" == *"absent[1]: 'welzijn' is also listed as present"* ]] || fail "stderr: $stderr"
	[[ "$stderr" != *"absent[0]"* ]] || fail "stderr: $stderr"
	assert_store 6
}

@test "overleg-record refuses to close an agreement that is unknown, already closed, or not yet made" {
	case_store
	story_minutes
	overleg-record B-2026-017 --date 2026-11-20 --file "$M"
	minutes $'closes:\n- agreement: "2026-11-20#3"\n  status: done\n- agreement: "2026-10-01#1"\n  status: dropped\n'
	run --separate-stderr overleg-record B-2026-017 --date 2026-11-25 --file "$M"
	assert_failure 2
	assert_equal "$stderr" "overleg-record: $M:7: closes[0]: no agreement '2026-11-20#3' in an earlier consultation
overleg-record: $M:9: closes[1]: no agreement '2026-10-01#1' in an earlier consultation
overleg-record: cannot record the consultation of B-2026-017: 2 problems, nothing recorded"
	# Minutes of an earlier day cannot close what a later consultation agreed.
	minutes $'closes:\n- agreement: "2026-11-20#1"\n  status: done\n'
	run --separate-stderr overleg-record B-2026-017 --date 2026-11-10 --file "$M"
	assert_failure 2
	[[ "$stderr" == *"closes[0]: no agreement '2026-11-20#1' in an earlier consultation"* ]] || fail "stderr: $stderr"
	assert_store 6
	run overleg-record B-2026-017 --date 2026-11-25 --file "$M"
	assert_success
	assert_store 7
	run --separate-stderr overleg-record B-2026-017 --date 2026-11-27 --file "$M"
	assert_failure 2
	[[ "$stderr" == *"$M:7: closes[0]: agreement '2026-11-20#1' is done already"* ]] || fail "stderr: $stderr"
	assert_store 7
}

@test "overleg-record refuses a date after today, before the detention start, or recorded already" {
	case_store
	minutes
	error "cannot record the consultation of B-2026-017 on 2026-11-30: that is after today" --date 2026-11-30 --file "$M"
	error "cannot record the consultation of B-2026-017 on 2026-01-09: before the detention start" --date 2026-01-09 --file "$M"
	error "cannot use --date '2026-02-30': not a valid date (YYYY-MM-DD)" --date 2026-02-30 --file "$M"
	error "--date is required" --file "$M"
	run overleg-record B-2026-017 --date 2026-01-10 --file "$M"
	assert_success
	assert_store 6
	run --separate-stderr overleg-record B-2026-017 --date 2026-01-10 --file "$M"
	assert_failure 2
	assert_equal "$stderr" "overleg-record: cannot record the consultation of B-2026-017 on 2026-01-10: it is recorded already"
	assert_store 6
}

@test "overleg-record refuses an unknown case and a missing minutes file" {
	case_store
	minutes
	run --separate-stderr overleg-record B-404 --date 2026-11-20 --file "$M"
	assert_failure 2
	assert_output ''
	[[ "$stderr" == *"B-404"* ]] || fail "stderr: $stderr"
	assert_store 5
	run --separate-stderr overleg-record ../B --date 2026-11-20 --file "$M"
	assert_failure 2
	[[ "$stderr" == *"cannot use case ID '../B'"* ]] || fail "stderr: $stderr"
	error "$BATS_TEST_TMPDIR/nope.yaml" --date 2026-11-20 --file "$BATS_TEST_TMPDIR/nope.yaml"
}

@test "overleg-record by someone who is not a registered team member is refused, nothing recorded" {
	case_store
	story_minutes
	as_eve
	run --separate-stderr overleg-record B-2026-017 --date 2026-11-20 --file "$M"
	assert_failure 2
	assert_output ''
	assert_equal "$stderr" "overleg-record: cannot write as '$(fingerprint eve)': the key is not registered to a member of this store"
	assert_store 5
}

@test "overleg-record turns the planned consultation of that date into the held one, and the next counts from it" {
	case_store
	export CASUS_TODAY=2027-02-01
	overleg-schedule --commit -q --until 2027-03-01
	assert_store 6
	run overleg_files
	assert_output $'2026-02-21.yaml\n2027-02-28.yaml'
	export CASUS_TODAY=2027-03-01
	story_minutes
	run overleg-record B-2026-017 --date 2027-02-28 --file "$M"
	assert_success
	assert_store 7
	run overleg_files
	assert_output $'2026-02-21.yaml\n2027-02-28.yaml'
	run overleg_at 2027-02-28
	assert_line --index 2 'kind: pre-leave'
	assert_line --index 3 'status: held'
	assert_line '- text:'
	run sh -c "CASUS_KEY='$KEYS/chris' plan-show B-2026-017 --format json | jq -r '.overleg.last.agreements[0].text'"
	assert_output 'housing with the family'
	run git -C "$STORE" log -1 --format= --name-status main
	assert_output "M	$CASE/overleg/2027-02-28.yaml"
	# The next periodic one: 2027-02-28 + 6 weeks; nothing overdue, no pre-leave one left.
	run overleg-schedule --format tsv
	assert_output $'date\tcase\tkind\tstatus\tinstitution\n2027-04-11\tB-2026-017\tperiodic\tdue\tBrugge\n2027-05-23\tB-2026-017\tperiodic\tdue\tBrugge'
}

@test "overleg-record records an unplanned consultation as held; in the lead time before leave it is the pre-leave one" {
	case_store
	minutes
	run overleg-record B-2026-017 --date 2026-11-20 --file "$M"
	assert_success
	run overleg_at 2026-11-20
	assert_line 'kind: periodic'
	assert_line 'status: held'
	export CASUS_TODAY=2027-03-10
	run overleg-record B-2026-017 --date 2027-03-03 --file "$M"
	assert_success
	run overleg_at 2027-03-03
	assert_line 'kind: pre-leave'
	# A second one in the lead time is periodic: the pre-leave one is held.
	run overleg-record B-2026-017 --date 2027-03-10 --file "$M"
	assert_success
	run overleg_at 2027-03-10
	assert_line 'kind: periodic'
	assert_store 8
}

@test "overleg-record closes agreements: done and dropped ones leave plan-show's open agreements" {
	case_store
	detention_shared
	story_minutes
	overleg-record B-2026-017 --date 2026-11-01 --file "$M"
	run sh -c "plan-show B-2026-017 --format json | jq -r '.overleg.open_agreements[].id'"
	assert_output $'2026-11-01#1\n2026-11-01#2'
	minutes $'agreements:\n- text: a job through the employment service\n  owner: justitiehuizen\ncloses:\n- agreement: "2026-11-01#1"\n  status: done\n'
	overleg-record B-2026-017 --date 2026-11-15 --file "$M"
	run sh -c "plan-show B-2026-017 --format json | jq -c '[.overleg.open_agreements[] | [.id, .text]]'"
	assert_output '[["2026-11-01#2","a training course in the prison"],["2026-11-15#1","a job through the employment service"]]'
	minutes $'closes:\n- agreement: "2026-11-01#2"\n  status: dropped\n- agreement: "2026-11-15#1"\n  status: done\n'
	overleg-record B-2026-017 --date 2026-11-29 --file "$M"
	run sh -c "plan-show B-2026-017 --format json | jq -c .overleg.open_agreements"
	assert_output '[]'
	run overleg_at 2026-11-29
	assert_line "- agreement: '2026-11-01#2'"
	assert_line '  status: dropped'
	assert_store 9
}

@test "overleg-record: plan-show shows the last consultation with who was absent, the dissent and what is open" {
	case_store
	detention_shared
	story_minutes
	overleg-record B-2026-017 --date 2026-11-20 --file "$M"
	run plan-show B-2026-017
	assert_success
	assert_output --partial - <<-'EOF'
	Case consultations
	  last held          2026-11-20 (periodic), without consensus
	    present          welzijn (bram@welzijn.example), justitiehuizen (chris@jh.example)
	    absent           dg-epi: on leave
	    decision         the plan stands (in consensus)
	    decision         leave from the spring (without consensus)
	    dissent          justitiehuizen: leave is too early
	  open agreements    housing with the family [2026-11-20#1, justitiehuizen, due 2026-12-31]
	                     a training course in the prison [2026-11-20#2, dg-epi]
	  next due           2027-01-01 (periodic, due)
	EOF
}

@test "overleg-record: consensus, dissent, absences and agreements survive the round trip to plan-show --format json" {
	case_store
	detention_shared
	story_minutes
	overleg-record B-2026-017 --date 2026-11-20 --file "$M"
	# Opened, without the lists of recipients.
	run sh -c "plan-show B-2026-017 --format json | jq -c '.overleg | walk(if type == \"object\" then del(.seal) else . end)'"
	assert_success
	o=$output
	assert_equal "$(jq -c .last.decisions <<<"$o")" \
		'[{"text":"the plan stands","consensus":true},{"text":"leave from the spring","consensus":false,"dissent":[{"partner":"justitiehuizen","point":"leave is too early"}]}]'
	assert_equal "$(jq -c .last.absent <<<"$o")" '[{"partner":"dg-epi","reason":"on leave"}]'
	assert_equal "$(jq -c .last.present <<<"$o")" \
		'[{"partner":"welzijn","member":"bram@welzijn.example"},{"partner":"justitiehuizen","member":"chris@jh.example"}]'
	assert_equal "$(jq -c .last.agreements <<<"$o")" \
		'[{"text":"housing with the family","owner":"justitiehuizen","due":"2026-12-31"},{"text":"a training course in the prison","owner":"dg-epi"}]'
	assert_equal "$(jq -c .open_agreements <<<"$o")" \
		'[{"text":"housing with the family","owner":"justitiehuizen","due":"2026-12-31","id":"2026-11-20#1"},{"text":"a training course in the prison","owner":"dg-epi","id":"2026-11-20#2"}]'
	assert_equal "$(jq -c .next <<<"$o")" '{"date":"2027-01-01","kind":"periodic","status":"due"}'
	assert_equal "$(jq -c '[.last.date, .last.kind, .last.status, (.last.shared | length)]' <<<"$o")" \
		'["2026-11-20","periodic","held",2]'
	run plan-show B-2026-017
	assert_line '  last held          2026-11-20 (periodic), without consensus'
}

@test "overleg-record opens the editor on a template of the case's team and records what is saved" {
	case_store
	story_minutes
	export D=$BATS_TEST_TMPDIR
	printf '#!/bin/sh\nset -e\ncp "$1" "$D/template"\ncp "$D/minutes.yaml" "$1"\n' >"$D/ed"
	chmod +x "$D/ed"
	export EDITOR="$D/ed"
	run --separate-stderr overleg-record B-2026-017 --date 2026-11-20
	assert_success
	assert_equal "$stderr" ''
	assert_store 6
	run cat "$D/template"
	assert_output - <<-'EOF'
	present:
	- partner: dg-epi
	  member: ann@brugge.example
	- partner: justitiehuizen
	  member: chris@jh.example
	- partner: welzijn
	  member: bram@welzijn.example
	guests: []
	absent: []
	agreements: []
	decisions: []
	shared: []
	EOF
	run sealed_at 2026-11-20
	assert_line "    dg-epi: $CID"
	assert_line '    point:'
	run find "$STORE" "$XDG_RUNTIME_DIR" -name 'casus-edit-*'
	assert_output ''
}

@test "overleg-record: saving an empty file in the editor gives up, records nothing and exits 1" {
	case_store
	export D=$BATS_TEST_TMPDIR
	printf '#!/bin/sh\n: >"$1"\n' >"$D/ed"
	chmod +x "$D/ed"
	export EDITOR="$D/ed"
	run --separate-stderr overleg-record B-2026-017 --date 2026-11-20
	assert_failure 1
	assert_equal "$stderr" "overleg-record: cannot record the consultation of B-2026-017: the file was left empty, nothing recorded"
	assert_store 5
}

@test "overleg-record refuses an outsider before the editor opens" {
	case_store
	export D=$BATS_TEST_TMPDIR
	printf '#!/bin/sh\ntouch "$D/editor-ran"\ncp "$D/minutes.yaml" "$1"\n' >"$D/ed"
	chmod +x "$D/ed"
	export EDITOR="$D/ed"
	minutes
	as_eve
	run --separate-stderr overleg-record B-2026-017 --date 2026-11-20
	assert_failure 2
	assert_equal "$stderr" "overleg-record: cannot write as '$(fingerprint eve)': the key is not registered to a member of this store"
	assert [ ! -e "$D/editor-ran" ]
	assert_store 5
}

@test "overleg-record: what it stores passes case-validate" {
	case_store
	story_minutes
	overleg-record B-2026-017 --date 2026-11-20 --file "$M"
	run case-validate
	assert_success
	assert_output ''
}

@test "overleg-record: the template saved as it came gives up, records nothing and exits 1" {
	case_store
	export D=$BATS_TEST_TMPDIR
	printf '#!/bin/sh\nexit 0\n' >"$D/ed"
	chmod +x "$D/ed"
	export EDITOR="$D/ed"
	run --separate-stderr overleg-record B-2026-017 --date 2026-11-20
	assert_failure 1
	assert_equal "$stderr" "overleg-record: cannot record the consultation of B-2026-017: the file was saved unchanged, nothing recorded"
	assert_store 5
	run find "$STORE" "$XDG_RUNTIME_DIR" -name 'casus-edit-*'
	assert_output ''
}

@test "overleg-record keeps minutes written in the editor when they cannot be recorded" {
	case_store
	export D=$BATS_TEST_TMPDIR
	# Minutes that pass the format, with a sharing no consent covers.
	cat >"$D/unlawful.yaml" <<-'EOF2'
	present:
	- partner: welzijn
	  member: bram@welzijn.example
	absent:
	- partner: dg-epi
	  reason: on leave
	- partner: justitiehuizen
	  reason: in court
	decision:
	  consensus: true
	shared:
	- category: mental_health
	  from: welzijn
	  to: [justitiehuizen]
	EOF2
	printf '#!/bin/sh\ncp "$D/unlawful.yaml" "$1"\n' >"$D/ed"
	chmod +x "$D/ed"
	export EDITOR="$D/ed"
	run --separate-stderr overleg-record B-2026-017 --date 2026-11-20
	assert_failure 1
	kept=$(printf '%s\n' "$stderr" | sed -n "s/.*your minutes are kept in '\(.*\)'/\1/p")
	[ -n "$kept" ] || fail "no kept file named: $stderr"
	cmp "$kept" "$D/unlawful.yaml"
	assert_equal "$(stat -c %a "$kept")" 600
	assert_equal "$(dirname "$kept")" "$EDIT_DIR"
	assert_equal "$(stat -c %a "$EDIT_DIR")" 700
	assert_store 5
}

@test "overleg-record gives up after five saves of minutes that are not valid, and keeps the last" {
	case_store
	export D=$BATS_TEST_TMPDIR
	printf '#!/bin/sh
echo x >>"$D/count"
printf "present: [\n" >"$1"
' >"$D/ed"
	chmod +x "$D/ed"
	export EDITOR="$D/ed"
	run --separate-stderr timeout 20 overleg-record B-2026-017 --date 2026-11-20
	assert_failure 2
	[[ "$stderr" =~ ^"overleg-record: cannot use the edit: still not valid after 5 saves; your work is kept in '$EDIT_DIR/casus-edit-"[A-Za-z0-9]+".yaml'"$ ]] ||
		fail "stderr: $stderr"
	assert_equal "$(wc -l <"$D/count")" 5
	assert_equal "$(cat "$EDIT_DIR"/casus-edit-*)" "present: ["
	assert_store 5
}

# The block of key $1 (agreements, decisions, ...) of the consultation file of DATE $2.
block_at() {
	overleg_at "$2" | awk -v k="$1:" '$0 == k { f = 1; print; next } f && /^[^ -]/ { f = 0 } f'
}

@test "overleg-record --correct opens the minutes with the corrector's key, and keeps what it does not open" {
	case_store
	story_minutes
	overleg-record B-2026-017 --date 2026-11-20 --file "$M"
	block_at agreements 2026-11-20 >"$BATS_TEST_TMPDIR/before"
	# Bram, who recorded it, opens the decisions of the partners present; the agreements and
	# the point of dissent are sealed for their own partners.
	export D=$BATS_TEST_TMPDIR
	printf '#!/bin/sh\nset -e\ncp "$1" "$D/seen"\nsed -i "s/^- text: the plan stands$/- text: the plan stands, as agreed/" "$1"\n' >"$D/ed"
	chmod +x "$D/ed"
	export EDITOR="$D/ed"
	run --separate-stderr overleg-record B-2026-017 --correct 2026-11-20
	assert_success
	assert_equal "$stderr" ''
	assert_store 7
	run grep -E '^ *(- )?(text|point|sealed_for):' "$D/seen"
	assert_output - <<-EOF
	- text: '[sealed for justitiehuizen: no consent or legal basis covers detention from justitiehuizen to welzijn on 2026-11-29]'
	  sealed_for: justitiehuizen
	- text: '[sealed for dg-epi: no consent or legal basis covers detention from dg-epi to welzijn on 2026-11-29]'
	  sealed_for: dg-epi
	- text: the plan stands
	- text: leave from the spring
	    point: '[sealed for justitiehuizen: no consent or legal basis covers detention from justitiehuizen to welzijn on 2026-11-29]'
	    sealed_for: justitiehuizen
	EOF
	# The agreements are stored as they were, byte for byte; the decision anew, sealed.
	block_at agreements 2026-11-20 >"$BATS_TEST_TMPDIR/after"
	run cmp "$BATS_TEST_TMPDIR/before" "$BATS_TEST_TMPDIR/after"
	assert_success
	git -C "$STORE" grep -q -F 'as agreed' main && fail "the correction is stored in clear"
	run sh -c "plan-show B-2026-017 --format json | jq -r '.overleg.last.decisions[0].text'"
	assert_output 'the plan stands, as agreed'
	run sh -c "CASUS_KEY='$KEYS/chris' plan-show B-2026-017 --format json | jq -r '.overleg.last.agreements[0].text, .overleg.last.decisions[1].dissent[0].point'"
	assert_output $'housing with the family\nleave is too early'
}

@test "overleg-record --correct refuses a changed marker, and keeps the minutes" {
	case_store
	story_minutes
	overleg-record B-2026-017 --date 2026-11-20 --file "$M"
	export D=$BATS_TEST_TMPDIR
	printf '#!/bin/sh\nset -e\nsed -i "0,/^- text: .\\\\[sealed for justitiehuizen: .*/s//- text: housing elsewhere/" "$1"\n' >"$D/ed"
	chmod +x "$D/ed"
	export EDITOR="$D/ed"
	run overleg-record B-2026-017 --correct 2026-11-20
	assert_failure 2
	assert_line --index 0 "overleg-record: cannot record the consultation of B-2026-017 on 2026-11-20: agreements[0]: is sealed for justitiehuizen and your key does not open it"
	assert_line --index 1 --regexp "^overleg-record: your minutes are kept in '.+'\$"
	assert_store 6
}
