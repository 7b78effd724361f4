#!/usr/bin/env bats
# R10 — no sharing without a basis. Partners may only share substantive information about a
# case with the detainee's informed consent, within the deontological codes of each
# organisation, and without going beyond each person's competence. Consent is specific: to
# whom, which information, for what purpose; it can be refused and withdrawn.
#
# What casus makes of it (consent-record(1), casus-consent(5), share-check(1)): only an
# informed consent is a basis; a consent or refusal names whose information it covers
# (--from), what the detainee was told and in which language; a record stored before it named
# them covers no one's information (a consent) or everyone's (a refusal); consent-show shows
# what a record is worth on a day; an evidence number or basis reference never reaches the
# history.

load helpers
bats_require_minimum_version 1.5.0

CASE=cases/e7/B-2026-017

# A store with the case, as Bram: 4 commits.
setup_case() {
	init_store
	new_case
	as_bram
}

# A consent of welzijn's psychosocial information to dg-epi, given on 2026-02-01; "$@" adds.
consent() {
	consent-record B-2026-017 --from welzijn --to dg-epi --categories psychosocial \
		--purpose casusoverleg --date 2026-02-01 --told "leaflet R10-NL, read aloud" \
		--language nl "$@"
}

# share-check on the case on 2026-03-01: FROM, TO and CATEGORY.
check() {
	run --separate-stderr share-check B-2026-017 --from "$1" --to "$2" --category "$3" --date 2026-03-01
}

# share-check said no (exit 1) with exactly this line.
no() {
	assert_failure 1
	assert_output "no: $1"
	assert_equal "$stderr" ''
}

# consent-record "$@" is a usage error or refused (exit 2), says exactly $2 on stderr's first
# line, prints nothing, and the store keeps its $1 commits.
refused() {
	local n=$1 msg=$2
	shift 2
	run --separate-stderr consent-record "$@"
	assert_failure 2
	assert_output ''
	assert_equal "${stderr%%$'\n'*}" "$msg"
	assert_store "$n"
}

# A record put in consent/ with plain git, as one stored before from, told and language.
sneak_record() {
	local id=$1 f=$BATS_TEST_TMPDIR/record.yaml
	shift
	{ printf 'id: %s\ncase_id: B-2026-017\n' "$id"; printf '%s\n' "$@"; } >"$f"
	sneak "mkdir -p $CASE/consent && cp '$f' $CASE/consent/$id.yaml"
}

UNINFORMED="was given without being informed that refusing or withdrawing has no consequences (recorded without --informed), so it is no basis"

@test "R10: a consent recorded without --informed is stored with a note, but is no basis for share-check" {
	setup_case
	run --separate-stderr consent
	assert_success
	cid=$output
	assert_equal "$stderr" "consent-record: note: $cid says the detainee was not told that refusing or withdrawing has no consequences: it is kept, but it is no basis for sharing"
	assert_store 5
	run git -C "$STORE" show "main:$CASE/consent/$cid.yaml"
	assert_line 'informed: false'
	check welzijn dg-epi psychosocial
	no "consent $cid $UNINFORMED"
	# The same consent, informed, is one.
	iid=$(consent --informed)
	check welzijn dg-epi psychosocial
	assert_success
	assert_output "yes: consent $iid given 2026-02-01 (written) for casusoverleg"
	assert_store 6
}

@test "R10: consent-show shows a consent given without being informed as no basis" {
	setup_case
	cid=$(consent 2>/dev/null)
	run --separate-stderr consent-show B-2026-017 --date 2026-03-01
	assert_success
	assert_line "$cid  consent    2026-02-01  no basis: given without being informed"
	assert_line '    informed      no'
	run jq -r '.records[0] | [.status, (.in_force | tostring)] | @tsv' \
		<<<"$(consent-show B-2026-017 --date 2026-03-01 --format json)"
	assert_output "no basis: given without being informed	false"
}

@test "R10: plan-show --for withholds what only a consent given without being informed would cover" {
	setup_case
	as_ann
	git -C "$STORE" show "main:$CASE/plan.yaml" |
		sed 's/^  psychosocial:$/  psychosocial:\n    owner: welzijn\n    note: sleeps badly/' |
		plan-edit B-2026-017 --file -
	as_bram
	cid=$(consent 2>/dev/null)
	run --separate-stderr plan-show B-2026-017 --for dg-epi --date 2026-03-01
	assert_success
	assert_line "      note: [sealed for welzijn: consent $cid $UNINFORMED]"
	refute_output --partial 'sleeps badly'
}

@test "R10: overleg-record refuses a sharing only a consent given without being informed covers (exit 1, nothing stored)" {
	setup_case
	cid=$(consent 2>/dev/null)
	printf '%s\n' 'present:' '- partner: welzijn' '  member: bram@welzijn.example' \
		'absent:' '- partner: dg-epi' '  reason: on leave' '- partner: justitiehuizen' \
		'  reason: in court' \
		'decision:' '  consensus: true' 'shared:' '- category: psychosocial' \
		'  from: welzijn' '  to: [dg-epi]' >"$BATS_TEST_TMPDIR/m.yaml"
	run --separate-stderr overleg-record B-2026-017 --date 2026-03-01 --file "$BATS_TEST_TMPDIR/m.yaml"
	assert_failure 1
	assert_output ''
	assert_equal "${stderr%%$'\n'*}" "overleg-record: $BATS_TEST_TMPDIR/m.yaml:12: shared[0]: psychosocial from welzijn to dg-epi has no basis: consent $cid $UNINFORMED"
	assert_store 5
}

@test "R10: a consent given for welzijn's information does not cover what the justice houses hold" {
	setup_case
	cid=$(consent --informed)
	check welzijn dg-epi psychosocial
	assert_success
	check justitiehuizen dg-epi psychosocial
	no "consent $cid does not cover information held by justitiehuizen"
	assert_store 5
}

@test "R10: a later consent given without being informed does not outweigh a refusal" {
	setup_case
	rid=$(consent --refused --date 2026-01-20 --informed)
	consent >/dev/null 2>&1
	check welzijn dg-epi psychosocial
	no "refused on 2026-01-20 ($rid)"
	run consent-show B-2026-017 --date 2026-03-01
	assert_line "$rid  refusal    2026-01-20  in force"
}

@test "R10: consent-record needs --from, --told and --language for a consent or a refusal" {
	setup_case
	local msg="consent-record: --from, --told and --language are required: whose information, what the detainee was told, and in which language"
	local args=(B-2026-017 --to dg-epi --categories psychosocial --purpose casusoverleg --informed)
	refused 4 "$msg" "${args[@]}" --told leaflet --language nl
	refused 4 "$msg" "${args[@]}" --from welzijn --language nl
	refused 4 "$msg" "${args[@]}" --from welzijn --told leaflet
	refused 4 "$msg" "${args[@]}" --refused --told leaflet --language nl
	refused 4 "consent-record: --basis names its participants with --to, and takes no --from, --told or --language" \
		B-2026-017 --basis law --reference "decreet 2026" --to dg-epi,welzijn --categories security \
		--purpose integrity --from welzijn
	refused 4 "consent-record: --withdraw takes only --date, --how, --evidence and -m" \
		B-2026-017 --withdraw c-20260201-000000 --told leaflet
}

@test "R10: consent-record refuses a --from partner casus.yaml does not know" {
	setup_case
	refused 4 "consent-record: cannot record: unknown partner 'politie' (known: dg-epi, justitiehuizen, welzijn)" \
		B-2026-017 --from welzijn,politie --to dg-epi --categories psychosocial --purpose casusoverleg \
		--told leaflet --language nl --informed
	refused 4 "consent-record: cannot record: partner 'welzijn' is named twice" \
		B-2026-017 --from welzijn,welzijn --to dg-epi --categories psychosocial --purpose casusoverleg \
		--told leaflet --language nl --informed
}

@test "R10: a consent stored before consents named whose information covers no one's, and share-check says how to record it again" {
	setup_case
	sneak_record c-20260201-0a0a0a 'kind: consent' 'date: 2026-02-01' 'recorded: 2026-02-01' \
		'how: written' 'informed: true' 'to: [dg-epi]' 'categories: [psychosocial]' \
		'purpose: casusoverleg'
	run --separate-stderr case-validate
	assert_success
	check welzijn dg-epi psychosocial
	no "consent c-20260201-0a0a0a does not say whose information it covers (it was recorded before consents named it), so it covers no one's: record it again with --from"
	run consent-show B-2026-017 --date 2026-03-01
	assert_line "c-20260201-0a0a0a  consent    2026-02-01  no basis: names no partner whose information it covers"
	cid=$(consent --informed)
	check welzijn dg-epi psychosocial
	assert_success
	assert_output "yes: consent $cid given 2026-02-01 (written) for casusoverleg"
}

@test "R10: a refusal stored before refusals named whose information refuses what every partner holds" {
	setup_case
	sneak_record r-20260301-0a0a0a 'kind: refusal' 'date: 2026-03-01' 'recorded: 2026-03-01' \
		'how: written' 'informed: true' 'to: [dg-epi]' 'categories: [psychosocial]' \
		'purpose: casusoverleg'
	consent-record B-2026-017 --from welzijn,justitiehuizen --to dg-epi --categories psychosocial \
		--purpose casusoverleg --date 2026-02-01 --told leaflet --language nl --informed >/dev/null
	check justitiehuizen dg-epi psychosocial
	no "refused on 2026-03-01 (r-20260301-0a0a0a)"
}

@test "R10: consent-show shows a refusal that a later consent outweighs as outweighed, not in force" {
	setup_case
	rid=$(consent --refused --date 2026-01-20 --informed)
	run consent-show B-2026-017 --date 2026-03-01
	assert_line "$rid  refusal    2026-01-20  in force"
	cid=$(consent --informed)
	run --separate-stderr consent-show B-2026-017 --date 2026-03-01
	assert_success
	assert_line "$rid  refusal    2026-01-20  outweighed by $cid"
	assert_line "$cid  consent    2026-02-01  in force"
	# Before the consent, the refusal is in force; json says it is not in force after.
	run consent-show B-2026-017 --date 2026-01-25
	assert_line "$rid  refusal    2026-01-20  in force"
	run jq -r --arg id "$rid" '.records[] | select(.id == $id) | [.status, (.in_force | tostring)] | @tsv' \
		<<<"$(consent-show B-2026-017 --date 2026-03-01 --format json)"
	assert_output "outweighed by $cid	false"
	# A withdrawal of the consent puts the refusal back in force.
	consent-record B-2026-017 --withdraw "$cid" --date 2026-04-01 >/dev/null 2>&1
	run consent-show B-2026-017 --date 2026-04-01
	assert_line "$rid  refusal    2026-01-20  in force"
}

@test "R10: consent-show shows a refusal that a later consent outweighs only in part as such" {
	setup_case
	rid=$(consent-record B-2026-017 --refused --from welzijn --to dg-epi,justitiehuizen \
		--categories psychosocial --purpose casusoverleg --date 2026-01-20 --told leaflet --language nl --informed)
	cid=$(consent --informed)
	run consent-show B-2026-017 --date 2026-03-01
	assert_line "$rid  refusal    2026-01-20  in force, outweighed in part by $cid"
	check welzijn dg-epi psychosocial
	assert_success
	check welzijn justitiehuizen psychosocial
	no "refused on 2026-01-20 ($rid)"
}

@test "R10: consent-record refuses a -m reason that holds the --evidence number (exit 2, nothing stored)" {
	setup_case
	refused 4 "consent-record: cannot record: the reason (-m) contains the --evidence value: it belongs in the record only, never in the history" \
		B-2026-017 --from welzijn --to dg-epi --categories psychosocial --purpose casusoverleg \
		--told leaflet --language nl --informed --evidence FORM-2026-0042 -m "signed form form-2026-0042"
	cid=$(consent --informed --evidence FORM-2026-0042 -m "signed form at the intake")
	refused 5 "consent-record: cannot record: the reason (-m) contains the --evidence value: it belongs in the record only, never in the history" \
		B-2026-017 --withdraw "$cid" --evidence FORM-2026-0057 -m "withdrawn, FORM-2026-0057"
	run git -C "$STORE" log --format=%B main
	refute_output --partial 'FORM-2026'
}

@test "R10: consent-record refuses a -m reason that holds the --reference of a basis (exit 2, nothing stored)" {
	setup_case
	refused 4 "consent-record: cannot record: the reason (-m) contains the --reference value: it belongs in the record only, never in the history" \
		B-2026-017 --basis prosecutor --reference "PK Brugge 2026/118" --to dg-epi,welzijn \
		--categories security --purpose terrorism -m "permission PK Brugge 2026/118 received"
}
