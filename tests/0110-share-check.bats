#!/usr/bin/env bats
# share-check(1): may partner TO receive a case's information of one category that partner
# FROM holds, on a date? Exit 0 and the consent or art. 458ter basis that allows it, or exit 1
# and why not; exit 2 on bad usage or an unknown case. It changes nothing.

load helpers
bats_require_minimum_version 1.5.0

# A store with the case, as Bram of the welfare services: 4 commits.
setup_case() {
	init_store
	new_case
	as_bram
}

# The signed form of story 4: psychosocial information to the prison administration and
# the justice houses, for the case consultation, until the end of the sentence.
story_consent() {
	consent-record B-2026-017 --from welzijn --told consent-leaflet --language nl --to dg-epi,justitiehuizen --categories psychosocial \
		--purpose casusoverleg --date 2026-02-01 --until 2030-01-10 --evidence FORM-2026-0042 --informed
}

# share-check on the case; FROM, TO and CATEGORY first, then anything else.
check() {
	local from=$1 to=$2 cat=$3
	shift 3
	run --separate-stderr share-check B-2026-017 --from "$from" --to "$to" --category "$cat" "$@"
}

# The answer is yes, with exactly this line.
yes() {
	assert_success
	assert_output "yes: $1"
	assert_equal "$stderr" ''
}

# The answer is no (exit 1), with exactly this line.
no() {
	assert_failure 1
	assert_output "no: $1"
	assert_equal "$stderr" ''
}

# share-check "$@" fails with exit 2, says $1 on stderr and nothing on stdout.
error() {
	local msg=$1
	shift
	run --separate-stderr share-check "$@"
	assert_failure 2
	assert_output ''
	[[ "$stderr" == *"$msg"* ]] || fail "stderr lacks '$msg': $stderr"
}

@test "share-check allows what a consent covers, names the consent, and changes nothing" {
	setup_case
	cid=$(story_consent)
	check welzijn justitiehuizen psychosocial --date 2026-03-01
	yes "consent $cid given 2026-02-01 (written) for casusoverleg, until 2030-01-10"
	check welzijn dg-epi psychosocial --date 2026-03-01
	yes "consent $cid given 2026-02-01 (written) for casusoverleg, until 2030-01-10"
	assert_store 5
}

@test "share-check judges today's date without --date" {
	setup_case
	cid=$(consent-record B-2026-017 --from welzijn,justitiehuizen --told consent-leaflet --language nl --to dg-epi --categories security --purpose casusoverleg --how oral --informed)
	check welzijn dg-epi security
	yes "consent $cid given 2026-11-29 (oral) for casusoverleg"
	export CASUS_TODAY=2026-11-28
	check welzijn dg-epi security
	no "nothing covers it on 2026-11-28: consent $cid holds from 2026-11-29"
}

@test "share-check says no when nothing covers the sharing" {
	setup_case
	check welzijn dg-epi psychosocial
	no "no consent or legal basis covers psychosocial from welzijn to dg-epi on 2026-11-29"
	assert_store 4
}

@test "share-check says no before the consent is given" {
	setup_case
	cid=$(story_consent)
	check welzijn dg-epi psychosocial --date 2026-01-31
	no "nothing covers it on 2026-01-31: consent $cid holds from 2026-02-01"
	check welzijn dg-epi psychosocial --date 2026-02-01
	yes "consent $cid given 2026-02-01 (written) for casusoverleg, until 2030-01-10"
}

@test "share-check allows on the consent's last day and says it expired the day after" {
	setup_case
	cid=$(consent-record B-2026-017 --from welzijn,justitiehuizen --told consent-leaflet --language nl --to dg-epi --categories psychosocial --purpose casusoverleg \
		--date 2026-02-01 --until 2026-06-30 --informed)
	check welzijn dg-epi psychosocial --date 2026-06-30
	yes "consent $cid given 2026-02-01 (written) for casusoverleg, until 2026-06-30"
	check welzijn dg-epi psychosocial --date 2026-07-01
	no "consent $cid expired on 2026-07-01"
	check welzijn dg-epi psychosocial --date 2027-01-01
	no "consent $cid expired on 2026-07-01"
}

@test "share-check allows the day before a withdrawal and refuses from its date on (story 4)" {
	setup_case
	cid=$(story_consent)
	wid=$(consent-record B-2026-017 --withdraw "$cid" --date 2026-03-15)
	check welzijn justitiehuizen psychosocial --date 2026-03-14
	yes "consent $cid given 2026-02-01 (written) for casusoverleg, until 2030-01-10"
	check welzijn justitiehuizen psychosocial --date 2026-03-15
	no "consent $cid was withdrawn on 2026-03-15 ($wid)"
	check welzijn justitiehuizen psychosocial --date 2026-11-29
	no "consent $cid was withdrawn on 2026-03-15 ($wid)"
	assert_store 6
}

@test "share-check after story 4: a new consent for the prison administration alone" {
	setup_case
	cid=$(story_consent)
	wid=$(consent-record B-2026-017 --withdraw "$cid" --date 2026-03-15)
	nid=$(consent-record B-2026-017 --from welzijn,justitiehuizen --told consent-leaflet --language nl --to dg-epi --categories psychosocial --purpose casusoverleg \
		--date 2026-03-15 --until 2030-01-10 --informed)
	check welzijn dg-epi psychosocial --date 2026-04-01
	yes "consent $nid given 2026-03-15 (written) for casusoverleg, until 2030-01-10"
	check welzijn justitiehuizen psychosocial --date 2026-04-01
	no "consent $cid was withdrawn on 2026-03-15 ($wid)"
}

@test "share-check says no under a refusal" {
	setup_case
	rid=$(consent-record B-2026-017 --from welzijn,justitiehuizen --told consent-leaflet --language nl --refused --to dg-epi --categories mental_health --purpose casusoverleg \
		--date 2026-04-01 --informed)
	check welzijn dg-epi mental_health --date 2026-04-01
	no "refused on 2026-04-01 ($rid)"
	check welzijn dg-epi mental_health --date 2026-03-31
	no "no consent or legal basis covers mental_health from welzijn to dg-epi on 2026-03-31"
}

@test "share-check: a refusal after a consent outweighs it from the refusal's date" {
	setup_case
	cid=$(story_consent)
	rid=$(consent-record B-2026-017 --from dg-epi,welzijn --told consent-leaflet --language nl --refused --to justitiehuizen --categories psychosocial \
		--purpose casusoverleg --date 2026-05-01 --informed)
	check welzijn justitiehuizen psychosocial --date 2026-04-30
	yes "consent $cid given 2026-02-01 (written) for casusoverleg, until 2030-01-10"
	check welzijn justitiehuizen psychosocial --date 2026-05-01
	no "refused on 2026-05-01 ($rid)"
	# The refusal names the justice houses only.
	check welzijn dg-epi psychosocial --date 2026-05-01
	yes "consent $cid given 2026-02-01 (written) for casusoverleg, until 2030-01-10"
}

@test "share-check: a refusal on the day of a consent outweighs it" {
	setup_case
	cid=$(story_consent)
	rid=$(consent-record B-2026-017 --from welzijn,justitiehuizen --told consent-leaflet --language nl --refused --to dg-epi --categories psychosocial \
		--purpose casusoverleg --date 2026-02-01 --informed)
	check welzijn dg-epi psychosocial --date 2026-03-01
	no "refused on 2026-02-01 ($rid)"
}

@test "share-check: a consent after a refusal allows from the consent's date" {
	setup_case
	rid=$(consent-record B-2026-017 --from welzijn,justitiehuizen --told consent-leaflet --language nl --refused --to dg-epi --categories psychosocial \
		--purpose casusoverleg --date 2026-01-20 --informed)
	cid=$(story_consent)
	check welzijn dg-epi psychosocial --date 2026-01-31
	no "refused on 2026-01-20 ($rid)"
	check welzijn dg-epi psychosocial --date 2026-02-01
	yes "consent $cid given 2026-02-01 (written) for casusoverleg, until 2030-01-10"
}

@test "share-check says no for a recipient the consent does not name" {
	setup_case
	cid=$(consent-record B-2026-017 --from welzijn,justitiehuizen --told consent-leaflet --language nl --to dg-epi --categories psychosocial --purpose casusoverleg \
		--date 2026-02-01 --informed)
	check welzijn justitiehuizen psychosocial --date 2026-03-01
	no "consent $cid does not name justitiehuizen as a recipient"
}

@test "share-check says no for a category the consent does not cover" {
	setup_case
	cid=$(story_consent)
	check welzijn dg-epi mental_health --date 2026-03-01
	no "consent $cid does not cover category mental_health"
}

@test "share-check says no for a purpose the consent is not for" {
	setup_case
	cid=$(story_consent)
	check welzijn dg-epi psychosocial --date 2026-03-01 --purpose reintegration
	no "consent $cid is for purpose casusoverleg, not reintegration"
	check welzijn dg-epi psychosocial --date 2026-03-01 --purpose casusoverleg
	yes "consent $cid given 2026-02-01 (written) for casusoverleg, until 2030-01-10"
}

@test "share-check --purpose: a consent for reintegration does not cover the case consultation" {
	setup_case
	cid=$(consent-record B-2026-017 --from dg-epi,welzijn --told consent-leaflet --language nl --to justitiehuizen --categories reintegration --purpose reintegration \
		--date 2026-02-01 --informed)
	check dg-epi justitiehuizen reintegration --date 2026-03-01 --purpose reintegration
	yes "consent $cid given 2026-02-01 (written) for reintegration"
	check dg-epi justitiehuizen reintegration --date 2026-03-01
	no "consent $cid is for purpose reintegration, not casusoverleg"
	check dg-epi justitiehuizen reintegration --date 2026-03-01 --purpose aftercare
	no "consent $cid is for purpose reintegration, not aftercare"
}

@test "share-check allows a partner's own information, whatever is recorded" {
	setup_case
	check welzijn welzijn security --date 2026-03-01
	yes "own information: welzijn holds it"
	consent-record B-2026-017 --from welzijn,justitiehuizen --told consent-leaflet --language nl --refused --to dg-epi --categories security --purpose casusoverleg --informed
	check dg-epi dg-epi security --purpose aftercare
	yes "own information: dg-epi holds it"
	assert_store 5
}

# The art. 458ter basis of R11: a prosecutor's permission for dg-epi and welzijn to share
# security information, to prevent terrorist offences, from May to the end of 2026.
basis() {
	consent-record B-2026-017 --basis prosecutor --reference "PK Brugge 2026/118" --to dg-epi,welzijn \
		--categories security --purpose terrorism --date 2026-05-01 --until 2026-12-31
}

@test "share-check refuses under a 458ter basis while the sharer does not share under it" {
	setup_case
	bid=$(basis)
	check dg-epi welzijn security --date 2026-06-01
	no "dg-epi does not share under art. 458ter on 2026-06-01 (partners.dg-epi.shares_under_458ter), so basis $bid does not cover it"
}

@test "share-check allows under a 458ter basis for its participants once the sharer shares under it" {
	setup_case
	bid=$(basis)
	as_ann
	shares_since dg-epi 2026-01-01
	assert_store 6
	check dg-epi welzijn security --date 2026-06-01
	yes "art. 458ter basis $bid (prosecutor) for terrorism, valid from 2026-05-01, until 2026-12-31"
	check dg-epi welzijn security --date 2026-06-01 --purpose terrorism
	yes "art. 458ter basis $bid (prosecutor) for terrorism, valid from 2026-05-01, until 2026-12-31"
	# welzijn still does not share under it.
	check welzijn dg-epi security --date 2026-06-01
	no "welzijn does not share under art. 458ter on 2026-06-01 (partners.welzijn.shares_under_458ter), so basis $bid does not cover it"
	assert_store 6
}

@test "share-check: a 458ter basis covers the case consultation, asked for or not" {
	setup_case
	bid=$(basis)
	as_ann
	shares_since dg-epi 2026-01-01
	check dg-epi welzijn security --date 2026-06-01 --purpose casusoverleg
	yes "art. 458ter basis $bid (prosecutor) for terrorism, valid from 2026-05-01, until 2026-12-31"
	# Not a consent's other purposes.
	check dg-epi welzijn security --date 2026-06-01 --purpose reintegration
	no "art. 458ter basis $bid is for purpose terrorism, not reintegration"
}

@test "share-check refuses under a 458ter basis for a partner that does not take part" {
	setup_case
	bid=$(basis)
	as_ann
	shares_since dg-epi 2026-01-01
	check dg-epi justitiehuizen security --date 2026-06-01
	no "art. 458ter basis $bid does not name justitiehuizen (the recipient) as a participant"
}

@test "share-check refuses under a 458ter basis for another purpose or category" {
	setup_case
	bid=$(basis)
	as_ann
	shares_since dg-epi 2026-01-01
	check dg-epi welzijn security --date 2026-06-01 --purpose integrity
	no "art. 458ter basis $bid is for purpose terrorism, not integrity"
	check dg-epi welzijn detention --date 2026-06-01
	no "art. 458ter basis $bid does not cover category detention"
}

@test "share-check refuses under a 458ter basis outside its validity" {
	setup_case
	bid=$(basis)
	as_ann
	shares_since dg-epi 2026-01-01
	check dg-epi welzijn security --date 2026-04-30
	no "nothing covers it on 2026-04-30: art. 458ter basis $bid holds from 2026-05-01"
	check dg-epi welzijn security --date 2026-05-01
	yes "art. 458ter basis $bid (prosecutor) for terrorism, valid from 2026-05-01, until 2026-12-31"
	check dg-epi welzijn security --date 2026-12-31
	yes "art. 458ter basis $bid (prosecutor) for terrorism, valid from 2026-05-01, until 2026-12-31"
	check dg-epi welzijn security --date 2027-01-01
	no "art. 458ter basis $bid expired on 2027-01-01"
}

@test "share-check -q prints nothing and answers with its exit status" {
	setup_case
	story_consent >/dev/null
	check welzijn dg-epi psychosocial --date 2026-03-01 -q
	assert_success
	assert_output ''
	assert_equal "$stderr" ''
	check welzijn dg-epi security --date 2026-03-01 --quiet
	assert_failure 1
	assert_output ''
	assert_equal "$stderr" ''
}

@test "share-check -q still reports an error on stderr with exit 2" {
	setup_case
	error "unknown partner 'politie'" B-2026-017 --from welzijn --to politie --category security -q
}

@test "share-check refuses an unknown partner" {
	setup_case
	error "share-check: cannot check: unknown partner 'politie' (known: dg-epi, justitiehuizen, welzijn)" \
		B-2026-017 --from welzijn --to politie --category security
	error "share-check: cannot check: unknown partner 'politie' (known: dg-epi, justitiehuizen, welzijn)" \
		B-2026-017 --from politie --to welzijn --category security
	assert_store 4
}

@test "share-check refuses an unknown category" {
	setup_case
	error "share-check: cannot check: unknown category 'religion' (known: alternative_discourse, detention," \
		B-2026-017 --from welzijn --to dg-epi --category religion
}

@test "share-check refuses an unknown purpose" {
	setup_case
	error "share-check: cannot use --purpose 'research': not one of casusoverleg, reintegration, aftercare, integrity, terrorism, criminal-organisation" \
		B-2026-017 --from welzijn --to dg-epi --category security --purpose research
}

@test "share-check refuses an unknown case and a malformed case ID" {
	setup_case
	error "share-check: cannot find case 'B-2099-001': no such case in this store" \
		B-2099-001 --from welzijn --to dg-epi --category security
	error "share-check: cannot use case ID" ../B-2026-017 --from welzijn --to dg-epi --category security
}

@test "share-check refuses a date that is not a valid calendar date" {
	setup_case
	for d in 2026-02-29 2026-13-01 26-3-1 ''; do
		error "share-check: cannot use --date '$d': not a valid date (YYYY-MM-DD)" \
			B-2026-017 --from welzijn --to dg-epi --category security --date "$d"
	done
}

@test "share-check without --from, --to or --category is a usage error" {
	setup_case
	error "--from, --to and --category are required" B-2026-017 --to dg-epi --category security
	error "--from, --to and --category are required" B-2026-017 --from welzijn --category security
	error "--from, --to and --category are required" B-2026-017 --from welzijn --to dg-epi
	error "expected one CASE-ID" --from welzijn --to dg-epi --category security
}
