#!/usr/bin/env bats
# consent-record(1): records a consent, a refusal, a withdrawal or an art. 458ter basis as a
# new file of its own, in one commit that names the case and the record and nothing else;
# prints the record's ID alone; refuses anything unknown or contradictory and then stores
# nothing. No record is ever changed or deleted.

load helpers
bats_require_minimum_version 1.5.0

DIR=cases/e7/B-2026-017/consent

# The signed form of story 4: the welfare consultant may share psychosocial information
# with the prison administration and the justice houses, for the case consultation.
story_consent() {
	consent-record B-2026-017 --from welzijn --told consent-leaflet --language nl --to dg-epi,justitiehuizen --categories psychosocial \
		--purpose casusoverleg --date 2026-02-01 --until 2030-01-10 \
		--evidence FORM-2026-0042 --informed "$@"
}

# A store with the case, as Bram: 4 commits.
setup_case() {
	init_store
	new_case
	as_bram
}

# consent-record "$@" is refused with exit 2, says $msg on stderr, prints nothing on stdout,
# and the store keeps its $n commits.
refused() {
	local n=$1 msg=$2
	shift 2
	run --separate-stderr consent-record "$@"
	assert_failure 2
	assert_output ''
	[[ "$stderr" == *"$msg"* ]] || fail "stderr lacks '$msg': $stderr"
	assert_store "$n"
}

@test "consent-record prints the new consent's ID alone on stdout" {
	setup_case
	run --separate-stderr story_consent
	assert_success
	assert_output --regexp '^c-20260201-[0-9a-f]{6}$'
	assert_equal "${#lines[@]}" 1
	assert_equal "$stderr" ''
	assert_store 5
}

@test "consent-record writes the consent at consent/<ID>.yaml with every field" {
	setup_case
	id=$(story_consent)
	run git -C "$STORE" ls-tree -r --name-only main
	assert_output - <<EOF
$DIR/$id.yaml
cases/e7/B-2026-017/plan.yaml
casus.yaml
EOF
	run git -C "$STORE" show "main:$DIR/$id.yaml"
	assert_output - <<EOF
id: $id
case_id: B-2026-017
kind: consent
date: '2026-02-01'
recorded: '2026-11-29'
recorded_by: bram@welzijn.example
how: written
evidence: FORM-2026-0042
informed: true
told: consent-leaflet
language: nl
from:
- welzijn
to:
- dg-epi
- justitiehuizen
categories:
- psychosocial
purpose: casusoverleg
until: '2030-01-10'
EOF
}

@test "consent-record makes one commit by the runner that names the case and the record" {
	setup_case
	id=$(story_consent)
	assert_store 5
	assert_equal "$(git -C "$STORE" log -1 --format='%an <%ae>' main)" "Bram Claes <bram@welzijn.example>"
	run git -C "$STORE" log -1 --format=%B main
	assert_output - <<EOF
consent-record: record consent B-2026-017

Case-Id: B-2026-017
Record-Id: $id
Program: consent-record
EOF
	run git -C "$STORE" diff-tree --no-commit-id --name-status -r main
	assert_output "A	$DIR/$id.yaml"
}

@test "consent-record dates a consent today by default and records how it was given" {
	setup_case
	id=$(consent-record B-2026-017 --from welzijn,justitiehuizen --told "leaflet R10, read aloud" \
		--language "Arabic, through an interpreter" --to dg-epi --categories security \
		--purpose reintegration --how interpreter --informed)
	assert_regex "$id" '^c-20261129-[0-9a-f]{6}$'
	run git -C "$STORE" show "main:$DIR/$id.yaml"
	assert_output - <<EOF
id: $id
case_id: B-2026-017
kind: consent
date: '2026-11-29'
recorded: '2026-11-29'
recorded_by: bram@welzijn.example
how: interpreter
informed: true
told: leaflet R10, read aloud
language: Arabic, through an interpreter
from:
- welzijn
- justitiehuizen
to:
- dg-epi
categories:
- security
purpose: reintegration
EOF
	id=$(consent-record B-2026-017 --from dg-epi,justitiehuizen --told consent-leaflet --language nl --to welzijn --categories detention --purpose aftercare --how oral --informed)
	run git -C "$STORE" show "main:$DIR/$id.yaml"
	assert_line 'how: oral'
	assert_store 6
}

@test "consent-record --refused records a refusal" {
	setup_case
	run --separate-stderr consent-record B-2026-017 --from dg-epi,welzijn --told consent-leaflet --language nl --refused --to justitiehuizen \
		--categories mental_health,social_context --purpose casusoverleg --date 2026-04-01 --informed
	assert_success
	assert_output --regexp '^r-20260401-[0-9a-f]{6}$'
	assert_equal "$stderr" ''
	id=$output
	assert_store 5
	run git -C "$STORE" show "main:$DIR/$id.yaml"
	assert_output - <<EOF
id: $id
case_id: B-2026-017
kind: refusal
date: '2026-04-01'
recorded: '2026-11-29'
recorded_by: bram@welzijn.example
how: written
informed: true
told: consent-leaflet
language: nl
from:
- dg-epi
- welzijn
to:
- justitiehuizen
categories:
- mental_health
- social_context
purpose: casusoverleg
EOF
	run git -C "$STORE" log -1 --format=%B main
	assert_output - <<EOF
consent-record: record refusal B-2026-017

Case-Id: B-2026-017
Record-Id: $id
Program: consent-record
EOF
}

@test "consent-record --withdraw records a withdrawal naming the consent, in a commit of its own" {
	setup_case
	cid=$(story_consent)
	run --separate-stderr consent-record B-2026-017 --withdraw "$cid" --date 2026-03-15 --how oral
	assert_success
	assert_output --regexp '^w-20260315-[0-9a-f]{6}$'
	id=$output
	# Recorded after the day it took effect: share-check's answers for the days between change.
	assert_equal "$stderr" "consent-record: note: $id takes effect from 2026-03-15, before today: share-check now answers no for the days between"
	assert_store 6
	run git -C "$STORE" show "main:$DIR/$id.yaml"
	assert_output - <<EOF
id: $id
case_id: B-2026-017
kind: withdrawal
date: '2026-03-15'
recorded: '2026-11-29'
recorded_by: bram@welzijn.example
how: oral
withdraws: $cid
EOF
	run git -C "$STORE" log -1 --format=%B main
	assert_output - <<EOF
consent-record: record withdrawal B-2026-017

Case-Id: B-2026-017
Record-Id: $id
Withdraws: $cid
Program: consent-record
EOF
	# The consent itself is untouched.
	run git -C "$STORE" diff-tree --no-commit-id --name-status -r main
	assert_output "A	$DIR/$id.yaml"
}

@test "consent-record --withdraw is dated today by default" {
	setup_case
	cid=$(story_consent)
	run consent-record B-2026-017 --withdraw "$cid"
	assert_success
	assert_output --regexp '^w-20261129-[0-9a-f]{6}$'
	run git -C "$STORE" show "main:$DIR/$output.yaml"
	assert_line "date: '2026-11-29'"
}

@test "consent-record --basis records an art. 458ter legal basis with its participants" {
	setup_case
	run --separate-stderr consent-record B-2026-017 --basis prosecutor --reference "PK Brugge 2026/118" \
		--to dg-epi,welzijn --categories security,detention --purpose terrorism \
		--date 2026-05-01 --until 2026-12-31
	assert_success
	assert_output --regexp '^b-20260501-[0-9a-f]{6}$'
	assert_equal "$stderr" ''
	id=$output
	assert_store 5
	run git -C "$STORE" show "main:$DIR/$id.yaml"
	assert_output - <<EOF
id: $id
case_id: B-2026-017
kind: basis
date: '2026-05-01'
recorded: '2026-11-29'
recorded_by: bram@welzijn.example
participants:
- dg-epi
- welzijn
categories:
- security
- detention
purpose: terrorism
until: '2026-12-31'
basis: prosecutor
reference: PK Brugge 2026/118
EOF
	run git -C "$STORE" log -1 --format=%B main
	assert_output - <<EOF
consent-record: record legal basis B-2026-017

Case-Id: B-2026-017
Record-Id: $id
Program: consent-record
EOF
}

@test "consent-record --basis law takes the purposes integrity and criminal-organisation" {
	setup_case
	run consent-record B-2026-017 --basis law --reference "decreet 2026" --to dg-epi,welzijn,justitiehuizen \
		--categories security --purpose integrity
	assert_success
	run consent-record B-2026-017 --basis law --reference "decreet 2026" --to dg-epi,welzijn \
		--categories security --purpose criminal-organisation
	assert_success
	assert_store 6
}

@test "consent-record puts the reason of -m in the commit message" {
	setup_case
	id=$(story_consent -m "form signed at the intake talk")
	run git -C "$STORE" log -1 --format=%B main
	assert_output - <<EOF
consent-record: record consent B-2026-017

form signed at the intake talk

Case-Id: B-2026-017
Record-Id: $id
Program: consent-record
EOF
}

@test "consent-record without --informed records the consent and notes it on stderr" {
	setup_case
	run --separate-stderr consent-record B-2026-017 --from welzijn,justitiehuizen --told consent-leaflet --language nl --to dg-epi --categories psychosocial --purpose casusoverleg
	assert_success
	assert_output --regexp '^c-20261129-[0-9a-f]{6}$'
	assert_equal "$stderr" "consent-record: note: $output says the detainee was not told that refusing or withdrawing has no consequences: it is kept, but it is no basis for sharing"
	run git -C "$STORE" show "main:$DIR/$output.yaml"
	assert_line 'informed: false'
	assert_store 5
}

@test "commit messages never carry the evidence, the reference, the categories or anyone's name" {
	setup_case
	cid=$(story_consent)
	consent-record B-2026-017 --from dg-epi,justitiehuizen --told consent-leaflet --language nl --refused --to welzijn --categories mental_health --purpose casusoverleg \
		--evidence FORM-2026-0077 --informed
	consent-record B-2026-017 --withdraw "$cid" --date 2026-03-15 --evidence FORM-2026-0099
	consent-record B-2026-017 --basis prosecutor --reference "PK Brugge 2026/118" --to dg-epi,welzijn \
		--categories security --purpose terrorism
	assert_store 8
	run git -C "$STORE" log -4 --format=%B main
	assert_success
	refute_output --partial FORM-
	refute_output --partial 'PK Brugge'
	for word in psychosocial mental_health security dg-epi welzijn justitiehuizen \
		casusoverleg terrorism Bram Claes Ann Peeters Chris Maes bram@ ann@ chris@; do
		refute_output --partial "$word"
	done
	# Every one names the case and its record.
	assert_equal "$(git -C "$STORE" log -4 --format=%B main | grep -c '^Case-Id: B-2026-017$')" 4
	assert_equal "$(git -C "$STORE" log -4 --format=%B main | grep -cE '^Record-Id: [crwb]-[0-9]{8}-[0-9a-f]{6}$')" 4
}

@test "no commit ever modifies or deletes a consent or legal-basis record" {
	setup_case
	cid=$(story_consent)
	consent-record B-2026-017 --withdraw "$cid" --date 2026-03-15
	consent-record B-2026-017 --from welzijn,justitiehuizen --told consent-leaflet --language nl --to dg-epi --categories psychosocial --purpose casusoverleg --date 2026-03-15 --informed
	consent-record B-2026-017 --from dg-epi,welzijn --told consent-leaflet --language nl --refused --to justitiehuizen --categories mental_health --purpose casusoverleg --informed
	consent-record B-2026-017 --basis law --reference "decreet 2026" --to dg-epi,welzijn \
		--categories security --purpose integrity
	# Refusals change nothing either.
	run consent-record B-2026-017 --withdraw "$cid"
	assert_failure 2
	as_chris
	consent-record B-2026-017 --from dg-epi,justitiehuizen --told consent-leaflet --language nl --to welzijn --categories reintegration --purpose aftercare --informed
	assert_store 10
	run git -C "$STORE" log --diff-filter=MD --name-only --format= main -- 'cases/*/*/consent/*'
	assert_success
	assert_output ''
	run git -C "$STORE" log --diff-filter=A --name-only --format= main -- 'cases/*/*/consent/*'
	assert_equal "${#lines[@]}" 6
	assert_equal "$(git -C "$STORE" ls-tree --name-only "main:$DIR" | wc -l)" 6
}

@test "consent-record refuses an unknown partner and stores nothing" {
	setup_case
	refused 4 "cannot record: unknown partner 'politie' (known: dg-epi, justitiehuizen, welzijn)" \
		B-2026-017 --from welzijn,justitiehuizen --told consent-leaflet --language nl --to dg-epi,politie --categories psychosocial --purpose casusoverleg
	refused 4 "unknown partner 'politie'" B-2026-017 --basis law --reference "decreet 2026" \
		--to dg-epi,politie --categories security --purpose integrity
}

@test "consent-record refuses an unknown category and stores nothing" {
	setup_case
	refused 4 "cannot record: unknown category 'religion' (known: alternative_discourse, detention," \
		B-2026-017 --from welzijn,justitiehuizen --told consent-leaflet --language nl --to dg-epi --categories psychosocial,religion --purpose casusoverleg
}

@test "consent-record refuses a partner or category named twice" {
	setup_case
	refused 4 "partner 'dg-epi' is named twice" \
		B-2026-017 --from welzijn,justitiehuizen --told consent-leaflet --language nl --to dg-epi,dg-epi --categories psychosocial --purpose casusoverleg
	refused 4 "category 'security' is named twice" \
		B-2026-017 --from welzijn,justitiehuizen --told consent-leaflet --language nl --to dg-epi --categories security,security --purpose casusoverleg
}

@test "consent-record refuses an unknown purpose, and a purpose of the wrong kind" {
	setup_case
	refused 4 "cannot use --purpose 'research': not one of casusoverleg, reintegration, aftercare" \
		B-2026-017 --from welzijn,justitiehuizen --told consent-leaflet --language nl --to dg-epi --categories psychosocial --purpose research
	refused 4 "cannot use --purpose 'terrorism': not one of casusoverleg, reintegration, aftercare" \
		B-2026-017 --from welzijn,justitiehuizen --told consent-leaflet --language nl --to dg-epi --categories psychosocial --purpose terrorism
	refused 4 "cannot use --purpose 'casusoverleg': not one of integrity, terrorism, criminal-organisation" \
		B-2026-017 --basis law --reference "decreet 2026" --to dg-epi,welzijn --categories security \
		--purpose casusoverleg
}

@test "consent-record refuses to withdraw a consent the case does not have" {
	setup_case
	story_consent >/dev/null
	refused 5 "cannot record the withdrawal: case 'B-2026-017' has no consent 'c-20260201-000000'" \
		B-2026-017 --withdraw c-20260201-000000
	refused 5 "cannot withdraw 'nonsense': not the ID of a consent or a legal basis" B-2026-017 --withdraw nonsense
}

@test "consent-record refuses to withdraw a refusal: a new consent takes its place" {
	setup_case
	rid=$(consent-record B-2026-017 --from welzijn,justitiehuizen --told consent-leaflet --language nl --refused --to dg-epi --categories psychosocial --purpose casusoverleg --informed)
	refused 5 "cannot withdraw '$rid': not the ID of a consent or a legal basis" B-2026-017 --withdraw "$rid"
}

@test "consent-record --withdraw ends a legal basis, and share-check follows from that day" {
	setup_case
	as_ann
	shares_since dg-epi 2026-05-01
	as_bram
	bid=$(consent-record B-2026-017 --basis prosecutor --reference "PK 2026/7" --to dg-epi,welzijn \
		--categories security --purpose terrorism --date 2026-05-01)
	run --separate-stderr consent-record B-2026-017 --withdraw "$bid" --date 2026-11-01 -m "permission revoked"
	assert_success
	assert_output --regexp '^w-20261101-[0-9a-f]{6}$'
	wid=$output
	assert_store 7
	run git -C "$STORE" log -1 --format=%B
	assert_line "Withdraws: $bid"
	run share-check B-2026-017 --from dg-epi --to welzijn --category security --date 2026-10-31
	assert_success
	run share-check B-2026-017 --from dg-epi --to welzijn --category security --date 2026-11-01
	assert_failure 1
	assert_output "no: art. 458ter basis $bid was withdrawn on 2026-11-01 ($wid)"
	refused 7 "cannot record the withdrawal: legal basis '$bid' was withdrawn already ($wid)" \
		B-2026-017 --withdraw "$bid"
}

@test "consent-record refuses a consent, refusal or withdrawal dated after today" {
	setup_case
	refused 4 "cannot record: --date 2026-11-30 is after today (2026-11-29)" \
		B-2026-017 --from welzijn,justitiehuizen --told consent-leaflet --language nl --to dg-epi --categories psychosocial --purpose casusoverleg --date 2026-11-30
	refused 4 "cannot record: --date 2026-11-30 is after today (2026-11-29)" \
		B-2026-017 --from welzijn,justitiehuizen --told consent-leaflet --language nl --refused --to dg-epi --categories psychosocial --purpose casusoverleg --date 2026-11-30
}

@test "consent-record refuses to withdraw a consent that was withdrawn already" {
	setup_case
	cid=$(story_consent)
	wid=$(consent-record B-2026-017 --withdraw "$cid" --date 2026-03-15)
	refused 6 "cannot record the withdrawal: consent '$cid' was withdrawn already ($wid)" \
		B-2026-017 --withdraw "$cid" --date 2026-04-01
}

@test "consent-record refuses a withdrawal dated before the consent was given" {
	setup_case
	cid=$(story_consent)
	refused 5 "cannot record the withdrawal: 2026-01-31 is before the consent took effect (2026-02-01)" \
		B-2026-017 --withdraw "$cid" --date 2026-01-31
}

@test "consent-record refuses an end date before the start" {
	setup_case
	refused 4 "cannot record: --until 2026-04-30 is before --date 2026-05-01" \
		B-2026-017 --from welzijn,justitiehuizen --told consent-leaflet --language nl --to dg-epi --categories psychosocial --purpose casusoverleg --date 2026-05-01 --until 2026-04-30
	refused 4 "cannot record: --until 2026-04-30 is before --date 2026-05-01" \
		B-2026-017 --basis law --reference "decreet 2026" --to dg-epi,welzijn --categories security \
		--purpose integrity --date 2026-05-01 --until 2026-04-30
}

@test "consent-record --refused with --until is a usage error: a refusal holds until a new consent" {
	setup_case
	refused 4 "consent-record: --until does not go with --refused: a refusal holds until a new consent" \
		B-2026-017 --from welzijn,justitiehuizen --told consent-leaflet --language nl --refused --to dg-epi --categories psychosocial --purpose casusoverleg \
		--date 2026-03-01 --until 2026-03-31 --informed
	[[ "${stderr_lines[1]}" == 'usage: consent-record'* ]] || fail "no usage line: $stderr"
}

@test "consent-record accepts an end date on the start date" {
	setup_case
	run consent-record B-2026-017 --from welzijn,justitiehuizen --told consent-leaflet --language nl --to dg-epi --categories psychosocial --purpose casusoverleg \
		--date 2026-05-01 --until 2026-05-01 --informed
	assert_success
	assert_store 5
}

@test "consent-record refuses dates that are not valid calendar dates" {
	setup_case
	for d in 2026-13-01 2026-02-29 26-1-1 2026-1-01 tomorrow ''; do
		refused 4 "cannot use --date '$d': not a valid date (YYYY-MM-DD)" \
			B-2026-017 --from welzijn,justitiehuizen --told consent-leaflet --language nl --to dg-epi --categories psychosocial --purpose casusoverleg --date "$d"
	done
	refused 4 "cannot use --until '2027-02-29': not a valid date (YYYY-MM-DD)" \
		B-2026-017 --from welzijn,justitiehuizen --told consent-leaflet --language nl --to dg-epi --categories psychosocial --purpose casusoverleg --until 2027-02-29
	cid=$(story_consent)
	refused 5 "cannot use --date '2026-04-31': not a valid date (YYYY-MM-DD)" \
		B-2026-017 --withdraw "$cid" --date 2026-04-31
}

@test "consent-record refuses --how other than written, oral or interpreter" {
	setup_case
	refused 4 "cannot use --how 'email': not one of written, oral, interpreter" \
		B-2026-017 --from welzijn,justitiehuizen --told consent-leaflet --language nl --to dg-epi --categories psychosocial --purpose casusoverleg --how email
	refused 4 "cannot use --how 'Written': not one of written, oral, interpreter" \
		B-2026-017 --from welzijn,justitiehuizen --told consent-leaflet --language nl --to dg-epi --categories psychosocial --purpose casusoverleg --how Written
}

@test "consent-record refuses --basis other than law or prosecutor" {
	setup_case
	refused 4 "cannot use --basis 'decree': not one of law, prosecutor" \
		B-2026-017 --basis decree --reference "decreet 2026" --to dg-epi,welzijn --categories security \
		--purpose integrity
}

@test "consent-record --refused with --withdraw is a usage error" {
	setup_case
	cid=$(story_consent)
	refused 5 "consent-record: --refused, --withdraw and --basis go alone" \
		B-2026-017 --refused --withdraw "$cid"
	[[ "${stderr_lines[1]}" == 'usage: consent-record'* ]] || fail "no usage line: $stderr"
	refused 5 "--refused, --withdraw and --basis go alone" B-2026-017 --refused --basis law \
		--reference "decreet 2026" --to dg-epi,welzijn --categories security --purpose integrity
}

@test "consent-record --withdraw takes no recipients, categories, purpose or end date" {
	setup_case
	cid=$(story_consent)
	for opt in "--to dg-epi" "--categories security" "--purpose casusoverleg" "--until 2027-01-01" --informed; do
		# shellcheck disable=SC2086
		refused 5 "--withdraw takes only --date, --how, --evidence and -m" B-2026-017 --withdraw "$cid" $opt
	done
}

@test "consent-record needs --to, --categories and --purpose for a consent" {
	setup_case
	refused 4 "--to, --categories and --purpose are required" B-2026-017 --categories psychosocial --purpose casusoverleg
	refused 4 "--to, --categories and --purpose are required" B-2026-017 --from welzijn,justitiehuizen --told consent-leaflet --language nl --to dg-epi --purpose casusoverleg
	refused 4 "--to, --categories and --purpose are required" B-2026-017 --from welzijn,justitiehuizen --told consent-leaflet --language nl --to dg-epi --categories psychosocial
	refused 4 "expected one CASE-ID" --to dg-epi --categories psychosocial --purpose casusoverleg
}

@test "consent-record --basis needs --reference and takes no --how, --evidence or --informed" {
	setup_case
	local args=(B-2026-017 --basis law --to dg-epi,welzijn --categories security --purpose integrity)
	refused 4 "--basis takes --reference, and no --how, --evidence or --informed" "${args[@]}"
	refused 4 "--basis takes --reference" "${args[@]}" --reference "decreet 2026" --how written
	refused 4 "--basis takes --reference" "${args[@]}" --reference "decreet 2026" --evidence FORM-1
	refused 4 "--basis takes --reference" "${args[@]}" --reference "decreet 2026" --informed
	refused 4 "--reference goes with --basis" B-2026-017 --to dg-epi --categories psychosocial \
		--purpose casusoverleg --reference "decreet 2026"
}

@test "consent-record refuses evidence with a newline or an escape sequence" {
	setup_case
	refused 4 "--evidence, --reference, --told and --language must be text without control characters" \
		B-2026-017 --from welzijn,justitiehuizen --told consent-leaflet --language nl --to dg-epi --categories psychosocial --purpose casusoverleg --evidence "$(printf 'FORM\n1')"
	refused 4 "--evidence, --reference, --told and --language must be text without control characters" \
		B-2026-017 --basis law --reference "$(printf 'x\033[2Jy')" --to dg-epi,welzijn --categories security \
		--purpose integrity
}

@test "consent-record refuses an unknown case and a malformed case ID" {
	setup_case
	refused 4 "cannot find case 'B-2099-001': no such case in this store" \
		B-2099-001 --from welzijn --told consent-leaflet --language nl --to dg-epi --categories psychosocial \
		--purpose casusoverleg
	refused 4 "cannot use case ID" ../B-2026-017 --from welzijn,justitiehuizen --told consent-leaflet --language nl --to dg-epi --categories psychosocial --purpose casusoverleg
}

@test "consent-record refuses a writer who is not a registered team member" {
	setup_case
	as_eve
	refused 4 "cannot write as '$(fingerprint eve)': the key is not registered to a member of this store" \
		B-2026-017 --from welzijn,justitiehuizen --told consent-leaflet --language nl --to dg-epi --categories psychosocial --purpose casusoverleg --informed
}

@test "consent-record refuses a team member who was removed" {
	setup_case
	as_ann
	member_leaves chris@jh.example
	as_chris
	refused 5 "cannot write as 'chris@jh.example'" \
		B-2026-017 --from welzijn,justitiehuizen --told consent-leaflet --language nl --to dg-epi --categories psychosocial --purpose casusoverleg --informed
}

@test "consent-record -h prints the usage on stdout and changes nothing" {
	setup_case
	run --separate-stderr consent-record -h
	assert_success
	assert_line --index 0 --partial 'usage: consent-record [-C DIR] CASE-ID'
	assert_output --partial '--withdraw CONSENT-ID'
	assert_output --partial '--basis law|prosecutor'
	assert_equal "$stderr" ''
	assert_store 4
}

@test "consent-record's usage error shows every form of the command, then where to read more" {
	setup_case
	run --separate-stderr consent-record B-2026-017 --bogus
	assert_failure 2
	assert_output ''
	assert_equal "${stderr_lines[0]}" "consent-record: unknown option '--bogus'"
	[[ "$stderr" == *"consent-record [-C DIR] CASE-ID --withdraw CONSENT-ID"* ]] || fail "no --withdraw form: $stderr"
	[[ "$stderr" == *"consent-record [-C DIR] CASE-ID --basis law|prosecutor"* ]] || fail "no --basis form: $stderr"
	assert_equal "${stderr_lines[-1]}" "Try 'consent-record --help' for more."
	assert_store 4
}
