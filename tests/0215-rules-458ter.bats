#!/usr/bin/env bats
# R11 — art. 458ter as a possible legal basis. Sharing professional secrets is not an offence
# inside a consultation organised by or under a law, decree or ordinance, or with the reasoned
# permission of the public prosecutor (Procureur des Konings), with the purpose of protecting
# the physical or psychological integrity of a person or third parties, or preventing
# terrorist offences or offences of a criminal organisation. Whether it applies to the prison
# consultation is still being examined, so casus must support both bases and record which one
# covered each sharing.
#
# So the setting partners.P.shares_under_458ter is dated: periods (since, until), each from
# the day it was switched on up to the day it was switched off; a day is judged by the setting
# of that day, and the history of the setting is not rewritten. A basis names its
# participants; a partner not named among them shares nothing under it.

load helpers
bats_require_minimum_version 1.5.0

CASE=cases/e7/B-2026-017
KEY=partners.dg-epi.shares_under_458ter

# A store with the case and a prosecutor's permission for dg-epi and welzijn to share security
# information against terrorist offences, from 2026-05-01 to the end of 2026: 5 commits. As Ann
# of dg-epi; $BID is the basis.
setup_case() {
	init_store
	new_case >/dev/null
	BID=$(consent-record B-2026-017 --basis prosecutor --reference "PK Brugge 2026/118" \
		--to dg-epi,welzijn --categories security --purpose terrorism --date 2026-05-01 --until 2026-12-31)
}

# share-check of security information from $1 to $2 on the date $3.
check() {
	run --separate-stderr share-check B-2026-017 --from "$1" --to "$2" --category security --date "$3"
}

yes() {
	assert_success
	assert_output "yes: $1"
	assert_equal "$stderr" ''
}

no() {
	assert_failure 1
	assert_output "no: $1"
	assert_equal "$stderr" ''
}

yes_basis() {
	yes "art. 458ter basis $BID (prosecutor) for terrorism, valid from 2026-05-01, until 2026-12-31"
}
no_setting() {
	no "dg-epi does not share under art. 458ter on $1 (partners.dg-epi.shares_under_458ter), so basis $BID does not cover it"
}

# case-config "$@" is refused (exit 2) with exactly the lines on stdin on stderr, and stores
# nothing.
refused() {
	local expected before
	expected=$(cat)
	before=$(head_commit)
	run --separate-stderr case-config "$@"
	assert_failure 2
	assert_output ''
	assert_equal "$stderr" "$expected"
	assert_equal "$(head_commit)" "$before"
}

@test "R11: a 458ter setting switched on today does not cover an earlier day" {
	setup_case
	run case-config $KEY true
	assert_success
	assert_store 6
	check dg-epi welzijn 2026-06-01
	no_setting 2026-06-01
	check dg-epi welzijn 2026-11-29
	yes_basis
	check dg-epi welzijn 2026-11-28
	no_setting 2026-11-28
}

@test "R11: switching the setting off closes its period: the days inside it stay covered" {
	setup_case
	shares_since dg-epi 2026-05-01
	CASUS_TODAY=2026-09-01 run case-config $KEY false -m "the prosecutor's office reconsiders"
	assert_success
	assert_store 7
	run case-config $KEY
	assert_success
	assert_output "$(printf -- "- since: '2026-05-01'\n  until: '2026-09-01'")"
	run git -C "$STORE" log -1 --format=%B main
	assert_line "Setting: $KEY"
	check dg-epi welzijn 2026-05-01
	yes_basis
	check dg-epi welzijn 2026-08-31
	yes_basis
	check dg-epi welzijn 2026-09-01
	no_setting 2026-09-01
	check dg-epi welzijn 2026-10-01
	no_setting 2026-10-01
	run case-validate
	assert_success
}

@test "R11: switching it on again opens a new period and keeps the earlier one" {
	setup_case
	shares_since dg-epi 2026-05-01
	CASUS_TODAY=2026-07-01 case-config $KEY false
	CASUS_TODAY=2026-08-01 case-config $KEY true
	assert_store 8
	run case-config $KEY
	assert_output "$(printf -- "- since: '2026-05-01'\n  until: '2026-07-01'\n- since: '2026-08-01'")"
	check dg-epi welzijn 2026-06-30
	yes_basis
	check dg-epi welzijn 2026-07-15
	no_setting 2026-07-15
	check dg-epi welzijn 2026-08-01
	yes_basis
}

@test "R11: switching the setting on when it is on, or off when it is off, stores nothing" {
	setup_case
	run case-config $KEY false
	assert_success
	assert_output ''
	assert_store 5
	run case-config $KEY
	assert_output false
	shares_since dg-epi 2026-05-01
	run case-config $KEY true
	assert_success
	assert_store 6
	run case-config $KEY
	assert_output "- since: '2026-05-01'"
}

@test "R11: a store written with shares_under_458ter: true reads as sharing since the store's beginning" {
	setup_case
	sneak "sed -i '0,/shares_under_458ter: false/ s//shares_under_458ter: true/' casus.yaml"
	assert_store 6
	run case-config $KEY
	assert_output true
	run case-validate
	assert_success
	check dg-epi welzijn 2026-05-01
	yes_basis
	# Switched off, it keeps the days before: one period from the store's beginning.
	run case-config $KEY false
	assert_success
	assert_store 7
	run case-config $KEY
	assert_output "- until: '2026-11-29'"
	check dg-epi welzijn 2026-06-01
	yes_basis
	check dg-epi welzijn 2026-11-29
	no_setting 2026-11-29
}

@test "R11: a closed period of the setting cannot be changed or removed" {
	setup_case
	shares_since dg-epi 2026-05-01
	CASUS_TODAY=2026-09-01 case-config $KEY false
	assert_store 7
	refused $KEY "[{since: 2026-05-01, until: 2026-12-01}]" <<-'EOF'
	case-config: casus.yaml:7: partners.dg-epi.shares_under_458ter: the period since 2026-05-01 until 2026-09-01 is closed and cannot be changed or removed
	case-config: cannot change the settings: 1 problem, nothing stored
	EOF
	refused $KEY "[]" <<-'EOF'
	case-config: casus.yaml:7: partners.dg-epi.shares_under_458ter: the period since 2026-05-01 until 2026-09-01 is closed and cannot be changed or removed
	case-config: cannot change the settings: 1 problem, nothing stored
	EOF
	assert_store 7
}

@test "R11: the open period cannot be removed, moved or closed before today: switching off closes it" {
	setup_case
	shares_since dg-epi 2026-05-01
	refused $KEY "[]" <<-'EOF'
	case-config: casus.yaml:7: partners.dg-epi.shares_under_458ter: the open period since 2026-05-01 cannot be removed or moved: switch it off to close it
	case-config: cannot change the settings: 1 problem, nothing stored
	EOF
	refused $KEY "[{since: 2026-04-01}]" <<-'EOF'
	case-config: casus.yaml:7: partners.dg-epi.shares_under_458ter: the open period since 2026-05-01 cannot be removed or moved: switch it off to close it
	case-config: cannot change the settings: 1 problem, nothing stored
	EOF
	refused $KEY "[{since: 2026-05-01, until: 2026-06-01}]" <<-'EOF'
	case-config: casus.yaml:7: partners.dg-epi.shares_under_458ter: the period since 2026-05-01 until 2026-06-01 can be closed from today (2026-11-29) on, not before
	case-config: cannot change the settings: 1 problem, nothing stored
	EOF
	assert_store 6
}

@test "R11: a new period of the setting cannot begin before today" {
	setup_case
	refused $KEY "[{since: 2026-05-01}]" <<-'EOF'
	case-config: casus.yaml:6: partners.dg-epi.shares_under_458ter: a new period cannot begin before today (2026-11-29): since 2026-05-01
	case-config: cannot change the settings: 1 problem, nothing stored
	EOF
	# The old form, given whole: true would hold from the store's beginning.
	git -C "$STORE" show main:casus.yaml | sed '0,/shares_under_458ter: false/ s//shares_under_458ter: true/' \
		>"$BATS_TEST_TMPDIR/settings.yaml"
	refused --file "$BATS_TEST_TMPDIR/settings.yaml" <<-'EOF'
	case-config: casus.yaml:6: partners.dg-epi.shares_under_458ter: a new period cannot begin before today (2026-11-29): since the store's beginning
	case-config: cannot change the settings: 1 problem, nothing stored
	EOF
	assert_store 5
}

@test "R11: case-config refuses periods that overlap or end before they begin" {
	setup_case
	refused $KEY "[{since: 2026-12-01, until: 2026-12-10}, {since: 2026-12-05}]" <<-'EOF'
	case-config: casus.yaml:6: partners.dg-epi.shares_under_458ter[1]: since 2026-12-05 overlaps the period before it, which holds until 2026-12-10
	case-config: cannot change the settings: 1 problem, nothing stored
	EOF
	refused $KEY "[{since: 2026-12-10, until: 2026-12-01}]" <<-'EOF'
	case-config: casus.yaml:6: partners.dg-epi.shares_under_458ter[0]: until 2026-12-01 is before since 2026-12-10
	case-config: cannot change the settings: 1 problem, nothing stored
	EOF
	refused $KEY "[{since: 2026-12-01}, {since: 2026-12-10}]" <<-'EOF'
	case-config: casus.yaml:6: partners.dg-epi.shares_under_458ter[1]: overlaps the period before it, which is still open (no until)
	case-config: cannot change the settings: 1 problem, nothing stored
	EOF
	assert_store 5
}

@test "R11: a consultation held while the partner shared under 458ter stays covered once it is switched off" {
	setup_case
	shares_since dg-epi 2026-05-01
	M=$BATS_TEST_TMPDIR/minutes.yaml
	printf '%s\n' 'present:' '- partner: dg-epi' '  member: ann@brugge.example' '- partner: welzijn' \
		'  member: bram@welzijn.example' '- partner: justitiehuizen' '  member: chris@jh.example' \
		'decision:' '  consensus: true' 'shared:' '- category: security' '  from: dg-epi' \
		'  to: [welzijn]' >"$M"
	run overleg-record B-2026-017 --date 2026-06-10 --file "$M"
	assert_success
	assert_store 7
	CASUS_TODAY=2026-09-01 run case-config $KEY false
	assert_success
	assert_store 8
	run case-validate
	assert_success
	# A consultation after the setting was switched off has no basis for the same sharing.
	run --separate-stderr overleg-record B-2026-017 --date 2026-11-20 --file "$M"
	assert_failure 1
	assert_equal "$stderr" "$(printf '%s\n' \
		"overleg-record: $M:11: shared[0]: security from dg-epi to welzijn has no basis: dg-epi does not share under art. 458ter on 2026-11-20 (partners.dg-epi.shares_under_458ter), so basis $BID does not cover it" \
		"overleg-record: cannot record the consultation of B-2026-017: 1 problem, nothing recorded")"
	assert_store 8
}

@test "R11: a partner not named among a basis's participants does not share under it, as the recipient" {
	setup_case
	shares_since dg-epi 2026-05-01
	check dg-epi justitiehuizen 2026-06-01
	no "art. 458ter basis $BID does not name justitiehuizen (the recipient) as a participant"
	assert_store 6
}

@test "R11: a partner not named among a basis's participants does not share under it, as the sender" {
	setup_case
	shares_since justitiehuizen 2026-05-01
	check justitiehuizen welzijn 2026-06-01
	no "art. 458ter basis $BID does not name justitiehuizen (the sender) as a participant"
	check justitiehuizen justitiehuizen 2026-06-01
	yes "own information: justitiehuizen holds it"
}
