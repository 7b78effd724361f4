#!/usr/bin/env bats
# consent-show(1): every consent, refusal, withdrawal and legal basis of a case, and which were
# in force on a date, as text for people, tsv with a header line and json for scripts. It
# changes nothing.

load helpers
bats_require_minimum_version 1.5.0

# A store with the case, as Bram: 4 commits.
setup_case() {
	init_store
	new_case
	as_bram
}

# One record of each kind, each on a date of its own so the order is known: c1 (story 4's
# form, withdrawn on 15 March by w1), c2 (expired at the end of June), r1 (a refusal), c3 (in
# force, but no basis: given without --informed), b1 (a basis that starts in 2027). 10 commits
# in all.
scenario() {
	c1=$(consent-record B-2026-017 --from welzijn --told consent-leaflet --language nl --to dg-epi,justitiehuizen --categories psychosocial \
		--purpose casusoverleg --date 2026-02-01 --until 2030-01-10 --evidence FORM-2026-0042 --informed)
	c2=$(consent-record B-2026-017 --from dg-epi --told consent-leaflet --language nl --to welzijn --categories education_employment --purpose reintegration \
		--date 2026-02-10 --until 2026-06-30 --how oral --informed)
	w1=$(consent-record B-2026-017 --withdraw "$c1" --date 2026-03-15 --evidence FORM-2026-0057)
	r1=$(consent-record B-2026-017 --from welzijn --told consent-leaflet --language nl --refused --to dg-epi --categories mental_health --purpose casusoverleg \
		--date 2026-04-01 --how interpreter --informed)
	c3=$(consent-record B-2026-017 --from welzijn --told consent-leaflet --language nl --to dg-epi --categories psychosocial --purpose casusoverleg \
		--date 2026-05-01 2>/dev/null)
	b1=$(consent-record B-2026-017 --basis law --reference "decreet 2026" --to dg-epi,welzijn \
		--categories security --purpose integrity --date 2027-01-01)
}

@test "consent-show lists every record with its fields and its status today" {
	setup_case
	scenario
	run --separate-stderr consent-show B-2026-017
	assert_success
	assert_equal "$stderr" ''
	assert_output - <<EOF
on 2026-11-29:

$c1  consent    2026-02-01  withdrawn on 2026-03-15
    from          welzijn
    to            dg-epi, justitiehuizen
    categories    psychosocial
    purpose       casusoverleg
    how           written
    informed      yes
    told          consent-leaflet
    language      nl
    evidence      FORM-2026-0042
    recorded      2026-11-29
    until         2030-01-10

$c2  consent    2026-02-10  expired
    from          dg-epi
    to            welzijn
    categories    education_employment
    purpose       reintegration
    how           oral
    informed      yes
    told          consent-leaflet
    language      nl
    recorded      2026-11-29
    until         2026-06-30

$w1  withdrawal 2026-03-15  effective
    evidence      FORM-2026-0057
    withdraws     $c1
    recorded      2026-11-29

$r1  refusal    2026-04-01  in force
    from          welzijn
    to            dg-epi
    categories    mental_health
    purpose       casusoverleg
    how           interpreter
    informed      yes
    told          consent-leaflet
    language      nl
    recorded      2026-11-29

$c3  consent    2026-05-01  no basis: given without being informed
    from          welzijn
    to            dg-epi
    categories    psychosocial
    purpose       casusoverleg
    how           written
    informed      no
    told          consent-leaflet
    language      nl
    recorded      2026-11-29

$b1  basis      2027-01-01  not yet in force
    participants  dg-epi, welzijn
    categories    security
    purpose       integrity
    basis         law
    reference     decreet 2026
    recorded      2026-11-29
EOF
	assert_store 10
}

@test "consent-show --date judges each record on that day" {
	setup_case
	scenario
	run consent-show B-2026-017 --date 2026-03-14
	assert_success
	assert_line --index 0 'on 2026-03-14:'
	assert_line "$c1  consent    2026-02-01  in force"
	assert_line "$c2  consent    2026-02-10  in force"
	assert_line "$w1  withdrawal 2026-03-15  not yet effective"
	assert_line "$r1  refusal    2026-04-01  not yet in force"
	assert_line "$c3  consent    2026-05-01  not yet in force"
	assert_line "$b1  basis      2027-01-01  not yet in force"
	run consent-show B-2026-017 --date 2026-03-15
	assert_line "$c1  consent    2026-02-01  withdrawn on 2026-03-15"
	assert_line "$w1  withdrawal 2026-03-15  effective"
	# The last day of c2, and the day after.
	run consent-show B-2026-017 --date 2026-06-30
	assert_line "$c2  consent    2026-02-10  in force"
	run consent-show B-2026-017 --date 2026-07-01
	assert_line "$c2  consent    2026-02-10  expired"
	run consent-show B-2026-017 --date 2027-01-01
	assert_line "$b1  basis      2027-01-01  in force"
	assert_store 10
}

@test "consent-show says so for a case with no records" {
	setup_case
	run --separate-stderr consent-show B-2026-017
	assert_success
	assert_output 'no consent, refusal, withdrawal or legal basis recorded'
	assert_equal "$stderr" ''
	assert_store 4
}

@test "consent-show --format tsv prints a header line and one line per record" {
	setup_case
	scenario
	run --separate-stderr consent-show B-2026-017 --format tsv --date 2026-11-29
	assert_success
	assert_equal "$stderr" ''
	assert_equal "${#lines[@]}" 7
	tab=$'\t'
	assert_line --index 0 "id${tab}kind${tab}date${tab}until${tab}status${tab}from${tab}to${tab}participants${tab}categories${tab}purpose${tab}how${tab}informed${tab}told${tab}language${tab}evidence${tab}withdraws${tab}basis${tab}reference${tab}recorded"
	assert_line --index 1 "$c1${tab}consent${tab}2026-02-01${tab}2030-01-10${tab}withdrawn on 2026-03-15${tab}welzijn${tab}dg-epi, justitiehuizen${tab}${tab}psychosocial${tab}casusoverleg${tab}written${tab}yes${tab}consent-leaflet${tab}nl${tab}FORM-2026-0042${tab}${tab}${tab}${tab}2026-11-29"
	assert_line --index 2 "$c2${tab}consent${tab}2026-02-10${tab}2026-06-30${tab}expired${tab}dg-epi${tab}welzijn${tab}${tab}education_employment${tab}reintegration${tab}oral${tab}yes${tab}consent-leaflet${tab}nl${tab}${tab}${tab}${tab}${tab}2026-11-29"
	assert_line --index 3 "$w1${tab}withdrawal${tab}2026-03-15${tab}${tab}effective${tab}${tab}${tab}${tab}${tab}${tab}${tab}${tab}${tab}${tab}FORM-2026-0057${tab}$c1${tab}${tab}${tab}2026-11-29"
	assert_line --index 4 "$r1${tab}refusal${tab}2026-04-01${tab}${tab}in force${tab}welzijn${tab}dg-epi${tab}${tab}mental_health${tab}casusoverleg${tab}interpreter${tab}yes${tab}consent-leaflet${tab}nl${tab}${tab}${tab}${tab}${tab}2026-11-29"
	assert_line --index 5 "$c3${tab}consent${tab}2026-05-01${tab}${tab}no basis: given without being informed${tab}welzijn${tab}dg-epi${tab}${tab}psychosocial${tab}casusoverleg${tab}written${tab}no${tab}consent-leaflet${tab}nl${tab}${tab}${tab}${tab}${tab}2026-11-29"
	assert_line --index 6 "$b1${tab}basis${tab}2027-01-01${tab}${tab}not yet in force${tab}${tab}${tab}dg-epi, welzijn${tab}security${tab}integrity${tab}${tab}${tab}${tab}${tab}${tab}${tab}law${tab}decreet 2026${tab}2026-11-29"
	# Every line has the header's 19 columns.
	run awk -F '\t' '{ print NF }' <<<"$(consent-show B-2026-017 --format tsv)"
	assert_output "$(printf '19\n%.0s' 1 2 3 4 5 6 7)"
}

@test "consent-show --format tsv of a case with no records is the header line alone" {
	setup_case
	run consent-show B-2026-017 --format tsv
	assert_success
	assert_output "$(printf 'id\tkind\tdate\tuntil\tstatus\tfrom\tto\tparticipants\tcategories\tpurpose\thow\tinformed\ttold\tlanguage\tevidence\twithdraws\tbasis\treference\trecorded')"
}

@test "consent-show --format json gives every record with its status and in_force" {
	setup_case
	scenario
	run --separate-stderr consent-show B-2026-017 --format json --date 2026-11-29
	assert_success
	assert_equal "$stderr" ''
	json=$output
	run jq -r '.date' <<<"$json"
	assert_output 2026-11-29
	run jq -r '.records[] | [.id, .kind, .status, (.in_force | tostring)] | @tsv' <<<"$json"
	assert_success
	assert_output - <<EOF
$c1	consent	withdrawn on 2026-03-15	false
$c2	consent	expired	false
$w1	withdrawal	effective	false
$r1	refusal	in force	true
$c3	consent	no basis: given without being informed	false
$b1	basis	not yet in force	false
EOF
	run jq -c --arg id "$c1" '.records[] | select(.id == $id) | [.case_id, .to, .categories, .purpose, .until, .evidence, .informed]' <<<"$json"
	assert_output '["B-2026-017",["dg-epi","justitiehuizen"],["psychosocial"],"casusoverleg","2030-01-10","FORM-2026-0042",true]'
	run jq -c --arg id "$b1" '.records[] | select(.id == $id) | [.participants, .basis, .reference]' <<<"$json"
	assert_output '[["dg-epi","welzijn"],"law","decreet 2026"]'
	run jq -r --arg id "$w1" '.records[] | select(.id == $id) | .withdraws' <<<"$json"
	assert_output "$c1"
}

@test "consent-show --format json --date: in_force follows the date" {
	setup_case
	scenario
	run jq -r '.records[] | select(.in_force) | .id' <<<"$(consent-show B-2026-017 --format json --date 2026-03-14)"
	assert_output "$(printf '%s\n' "$c1" "$c2")"
	run jq -r '.records[] | select(.in_force) | .id' <<<"$(consent-show B-2026-017 --format json --date 2027-01-01)"
	assert_output "$(printf '%s\n' "$r1" "$b1")"
}

@test "consent-show --format json of a case with no records has an empty list" {
	setup_case
	run consent-show B-2026-017 --format json
	assert_success
	run jq -c . <<<"$output"
	assert_output '{"date":"2026-11-29","records":[]}'
}

@test "consent-show refuses an unknown case, a bad date and an unknown format" {
	setup_case
	run --separate-stderr consent-show B-2099-001
	assert_failure 2
	assert_output ''
	assert_equal "$stderr" "consent-show: cannot find case 'B-2099-001': no such case in this store"
	run --separate-stderr consent-show B-2026-017 --date 2026-02-30
	assert_failure 2
	assert_output ''
	assert_equal "$stderr" "consent-show: cannot use --date '2026-02-30': not a valid date (YYYY-MM-DD)"
	run --separate-stderr consent-show B-2026-017 --format yaml
	assert_failure 2
	assert_output ''
	[[ "$stderr" == *"yaml"* ]] || fail "stderr does not name the format: $stderr"
	run --separate-stderr consent-show
	assert_failure 2
	[[ "$stderr" == *"expected one CASE-ID"* ]] || fail "no usage error: $stderr"
	assert_store 4
}

@test "consent-show refuses a record broken behind casus's back and echoes no escape sequence" {
	setup_case
	c1=$(consent-record B-2026-017 --from welzijn,justitiehuizen --told consent-leaflet --language nl --to dg-epi --categories psychosocial --purpose casusoverleg --informed)
	local wt="$BATS_TEST_TMPDIR/wt" f
	git clone -q "$STORE" "$wt"
	f="$wt/cases/e7/B-2026-017/consent/$c1.yaml"
	sed -i 's/^informed: true$/evidence: "F\\e[2J1"\ninformed: true/' "$f"
	grep -q 'evidence: "F\\e\[2J1"' "$f" || fail "the record was not broken: $(cat "$f")"
	git -C "$wt" -c user.name=Mallory -c user.email=mallory@elsewhere.example commit -q -am sneak
	git -C "$wt" push -q origin main
	for fmt in text tsv json; do
		run --separate-stderr consent-show B-2026-017 --format "$fmt"
		assert_failure 2
		assert_output ''
		assert_equal "$stderr" "consent-show: cannot read 'cases/e7/B-2026-017/consent/$c1.yaml': line 8: evidence: control character U+001B is not allowed in a string"
	done
}

@test "consent-show says a legal basis that was withdrawn is withdrawn, as share-check does" {
	setup_case
	as_ann
	case-config partners.dg-epi.shares_under_458ter true
	as_bram
	bid=$(consent-record B-2026-017 --basis prosecutor --reference "PK 2026/7" --to dg-epi,welzijn \
		--categories security --purpose terrorism --date 2026-05-01)
	consent-record B-2026-017 --withdraw "$bid" --date 2026-11-01 2>/dev/null >/dev/null
	run consent-show B-2026-017 --date 2026-11-15 --format json
	assert_success
	run jq -r --arg id "$bid" '.records[] | select(.id == $id) | "\(.status) \(.in_force)"' <<<"$output"
	assert_output "withdrawn on 2026-11-01 false"
	run share-check B-2026-017 --from dg-epi --to welzijn --category security --date 2026-11-15
	assert_failure 1
}

@test "consent-show --format tsv doubles a backslash, so text that looks like an escape is not read as one" {
	setup_case
	id=$(consent-record B-2026-017 --from welzijn,justitiehuizen --told consent-leaflet --language nl --to dg-epi --categories psychosocial --purpose casusoverleg \
		--informed --evidence 'F\x09-1')
	run consent-show B-2026-017 --format tsv
	assert_success
	assert_line --index 1 --regexp "^$id	consent	.*	F\\\\\\\\x09-1	"
}
