#!/usr/bin/env bats
# case-ls(1): list the cases of a store that match every filter given, one per line, sorted by
# case ID, with their detention start, leave and release eligibility, status and institution.
# Open cases only, or with --closed the closed ones instead. Filters: --institution,
# --leave-between (inclusive), --domain with --status, --no-consent-for (no consent in force
# names the partner among its recipients), --not-ready leave|release (release-check's checks
# fail), judged on --date. Text, tsv or json. Answered from the store's index, and the same
# without it. Exit 0 when a case is listed, 1 when none, 2 on error; it changes nothing.

bats_require_minimum_version 1.5.0
load helpers

# Made once per file, copied per test, and judged on 2027-03-15:
#   B-2026-017  Brugge, leave 2027-05-31: every domain assessed (mental_health no-need), Bram's
#               informed consent for the justice houses, a reintegration plan and the pre-leave
#               consultation held: ready for leave and for release (as in release-check).
#   B-2026-018  Brugge, leave 2027-05-31: as plan-new left it; a consent for the justice
#               houses, withdrawn on 2026-11-29.
#   B-2026-019  Brugge, leave 2028-01-31: a consent for the justice houses given without
#               being informed, so no basis.
#   B-2026-020  Brugge, closed.
#   B-2026-021  Brugge, detention start 2026-03-01 and no other date.
#   H-2026-001  Hasselt, leave 2027-04-30: an informed consent for the welfare services only.
# 18 commits.
setup_file() {
	(
		BATS_TEST_TMPDIR=$BATS_FILE_TMPDIR && setup && init_store && new_case >/dev/null &&
			assessed_plan >"$BATS_FILE_TMPDIR/assessed.yaml" &&
			plan-edit B-2026-017 --file "$BATS_FILE_TMPDIR/assessed.yaml" &&
			as_bram &&
			consent-record B-2026-017 --from dg-epi,welzijn --told consent-leaflet --language nl \
				--to justitiehuizen --categories psychosocial --purpose reintegration \
				--date 2026-11-01 --until 2030-01-10 --evidence FORM-2026-0077 --informed >/dev/null &&
			as_chris &&
			reintegration_plan >"$BATS_FILE_TMPDIR/reintegration.yaml" &&
			plan-edit B-2026-017 --reintegration --file "$BATS_FILE_TMPDIR/reintegration.yaml" &&
			printf 'present:\n- partner: justitiehuizen\n  member: chris@jh.example\nabsent:\n- partner: dg-epi\n  reason: on leave\n- partner: welzijn\n  reason: ill\nagreements:\n- text: visit the family home\n  owner: justitiehuizen\n  due: 2027-04-30\ndecision:\n  consensus: true\n' \
				>"$BATS_FILE_TMPDIR/minutes.yaml" &&
			CASUS_TODAY=2027-03-01 overleg-record B-2026-017 --date 2027-03-01 --file "$BATS_FILE_TMPDIR/minutes.yaml" &&
			as_ann &&
			new_case B-2026-018 >/dev/null &&
			as_bram &&
			cid=$(consent-record B-2026-018 --from welzijn --told consent-leaflet --language nl \
				--to justitiehuizen --categories psychosocial --purpose reintegration \
				--date 2026-11-01 --informed) &&
			consent-record B-2026-018 --withdraw "$cid" >/dev/null &&
			as_ann &&
			plan-new B-2026-019 --institution Brugge --detention-start 2026-01-10 \
				--leave-eligible 2028-01-31 --release-eligible 2029-01-31 \
				--team dg-epi=ann@brugge.example --team welzijn=bram@welzijn.example \
				--team justitiehuizen=chris@jh.example >/dev/null &&
			as_bram &&
			consent-record B-2026-019 --from welzijn --told consent-leaflet --language nl \
				--to justitiehuizen --categories psychosocial --purpose reintegration \
				--date 2026-11-01 >/dev/null &&
			as_ann &&
			new_case B-2026-020 >/dev/null &&
			git -C "$STORE" show "main:$(git -C "$STORE" ls-tree -r --name-only main | grep /B-2026-020/plan.yaml)" |
				sed 's/^status: open/status: closed/' >"$BATS_FILE_TMPDIR/closed.yaml" &&
			plan-edit B-2026-020 --file "$BATS_FILE_TMPDIR/closed.yaml" &&
			plan-new B-2026-021 --institution Brugge --detention-start 2026-03-01 \
				--team dg-epi=ann@brugge.example >/dev/null &&
			plan-new H-2026-001 --institution Hasselt --detention-start 2026-02-01 \
				--leave-eligible 2027-04-30 --release-eligible 2027-07-31 \
				--team dg-epi=ann@brugge.example --team welzijn=bram@welzijn.example \
				--team justitiehuizen=chris@jh.example >/dev/null &&
			consent-record H-2026-001 --from dg-epi --told consent-leaflet --language nl \
				--to welzijn --categories psychosocial --purpose casusoverleg --informed >/dev/null &&
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

# Story 6's reintegration plan, every area settled, as in release-check's tests.
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

# The six cases, judged on 2027-03-15.
all_store() {
	cp -a "$BATS_FILE_TMPDIR/all" "$STORE"
	export CASUS_REPO="$STORE" CASUS_TODAY=2027-03-15
}

# The header of the text output.
HEAD='case             detention   leave       release     status  institution'

# case-ls "$@", stderr apart.
ls_() {
	run --separate-stderr case-ls "$@"
}

# case-ls "$@" fails with exit 2, says $1 on stderr (a substring), prints nothing.
error() {
	local msg=$1
	shift
	run --separate-stderr case-ls "$@"
	assert_failure 2
	assert_output ''
	[[ "$stderr" == *"$msg"* ]] || fail "stderr lacks '$msg': $stderr"
}

# The case IDs case-ls "$@" lists, on one line.
ids() {
	case-ls --format tsv "$@" | tail -n +2 | cut -f1 | paste -sd' '
}

# --- the listing ---

@test "case-ls lists the open cases by case ID, with their dates, status and institution" {
	all_store
	ls_
	assert_success
	assert_equal "$stderr" ''
	assert_output - <<-EOF
	$HEAD
	B-2026-017       2026-01-10  2027-05-31  2028-05-31  open    Brugge
	B-2026-018       2026-01-10  2027-05-31  2028-05-31  open    Brugge
	B-2026-019       2026-01-10  2028-01-31  2029-01-31  open    Brugge
	B-2026-021       2026-03-01  -           -           open    Brugge
	H-2026-001       2026-02-01  2027-04-30  2027-07-31  open    Hasselt
	EOF
	assert_store 18
}

@test "case-ls --closed lists the closed cases instead" {
	all_store
	ls_ --closed
	assert_success
	assert_output - <<-EOF
	$HEAD
	B-2026-020       2026-01-10  2027-05-31  2028-05-31  closed  Brugge
	EOF
	ls_ --closed --institution Hasselt
	assert_failure 1
	assert_output ''
	assert_equal "$stderr" ''
}

@test "case-ls --format tsv: a header line, a missing date left empty" {
	all_store
	ls_ --format tsv --institution Brugge
	assert_success
	assert_output - <<-'EOF'
	case	detention_start	leave_eligible	release_eligible	institution	status
	B-2026-017	2026-01-10	2027-05-31	2028-05-31	Brugge	open
	B-2026-018	2026-01-10	2027-05-31	2028-05-31	Brugge	open
	B-2026-019	2026-01-10	2028-01-31	2029-01-31	Brugge	open
	B-2026-021	2026-03-01			Brugge	open
	EOF
}

@test "case-ls --format json: a list of objects, a missing date null" {
	all_store
	ls_ --format json
	assert_success
	assert_equal "$(jq length <<<"$output")" 5
	assert_equal "$(jq -c '.[3]' <<<"$output")" \
		'{"case_id":"B-2026-021","detention_start":"2026-03-01","leave_eligible":null,"release_eligible":null,"institution":"Brugge","status":"open"}'
	assert_equal "$(jq -c '.[4]' <<<"$output")" \
		'{"case_id":"H-2026-001","detention_start":"2026-02-01","leave_eligible":"2027-04-30","release_eligible":"2027-07-31","institution":"Hasselt","status":"open"}'
}

@test "case-ls with nothing to list: exit 1; text prints nothing, tsv its header, json []" {
	all_store
	ls_ --leave-between 2027-06-01 2027-12-31
	assert_failure 1
	assert_output ''
	ls_ --leave-between 2027-06-01 2027-12-31 --format tsv
	assert_failure 1
	assert_output 'case	detention_start	leave_eligible	release_eligible	institution	status'
	ls_ --leave-between 2027-06-01 2027-12-31 --format json
	assert_failure 1
	assert_equal "$(jq -c . <<<"$output")" '[]'
}

# --- the filters ---

@test "case-ls --institution: only that institution's cases; a name no case is in is an error" {
	all_store
	ls_ --institution Hasselt
	assert_success
	assert_output - <<-EOF
	$HEAD
	H-2026-001       2026-02-01  2027-04-30  2027-07-31  open    Hasselt
	EOF
	error "case-ls: cannot use --institution 'Bruge': no case is in that institution" --institution Bruge
}

@test "case-ls --leave-between includes both days; a case without the date is left out" {
	all_store
	assert_equal "$(ids --leave-between 2027-04-30 2027-05-31)" "B-2026-017 B-2026-018 H-2026-001"
	assert_equal "$(ids --leave-between 2027-05-01 2027-05-31)" "B-2026-017 B-2026-018"
	assert_equal "$(ids --leave-between 2027-04-30 2027-04-30)" "H-2026-001"
	assert_equal "$(ids --leave-between 2027-05-31 2030-12-31)" "B-2026-017 B-2026-018 B-2026-019"
	assert_equal "$(ids --closed --leave-between 2027-05-31 2027-05-31)" "B-2026-020"
}

@test "case-ls --domain --status: the cases whose life domain has that status" {
	all_store
	ls_ --domain mental_health --status no-need
	assert_success
	assert_output - <<-EOF
	$HEAD
	B-2026-017       2026-01-10  2027-05-31  2028-05-31  open    Brugge
	EOF
	assert_equal "$(ids --domain mental_health --status to-assess)" "B-2026-018 B-2026-019 B-2026-021 H-2026-001"
	assert_equal "$(ids --domain psychosocial --status in-progress)" "B-2026-017"
	ls_ --domain psychosocial --status completed
	assert_failure 1
	assert_output ''
}

@test "case-ls --no-consent-for: no consent in force names the partner; withdrawn, uninformed and other partners' do not count" {
	all_store
	ls_ --no-consent-for justitiehuizen
	assert_success
	assert_output - <<-EOF
	$HEAD
	B-2026-018       2026-01-10  2027-05-31  2028-05-31  open    Brugge
	B-2026-019       2026-01-10  2028-01-31  2029-01-31  open    Brugge
	B-2026-021       2026-03-01  -           -           open    Brugge
	H-2026-001       2026-02-01  2027-04-30  2027-07-31  open    Hasselt
	EOF
	assert_equal "$(ids --no-consent-for welzijn)" "B-2026-017 B-2026-018 B-2026-019 B-2026-021"
	assert_equal "$(ids --no-consent-for dg-epi)" "B-2026-017 B-2026-018 B-2026-019 B-2026-021 H-2026-001"
}

@test "case-ls --no-consent-for --date: judged on that day" {
	all_store
	# Before the consents of 1 November 2026: none in force.
	assert_equal "$(ids --no-consent-for justitiehuizen --date 2026-10-31)" \
		"B-2026-017 B-2026-018 B-2026-019 B-2026-021 H-2026-001"
	# B-2026-018's was in force until its withdrawal on 29 November.
	assert_equal "$(ids --no-consent-for justitiehuizen --date 2026-11-28)" \
		"B-2026-019 B-2026-021 H-2026-001"
	# B-2026-017's ends on 10 January 2030.
	assert_equal "$(ids --no-consent-for justitiehuizen --date 2030-01-11 --institution Brugge)" \
		"B-2026-017 B-2026-018 B-2026-019 B-2026-021"
}

@test "case-ls --not-ready: the open cases release-check finds not ready on --date" {
	all_store
	ls_ --not-ready leave
	assert_success
	assert_output - <<-EOF
	$HEAD
	B-2026-018       2026-01-10  2027-05-31  2028-05-31  open    Brugge
	B-2026-019       2026-01-10  2028-01-31  2029-01-31  open    Brugge
	B-2026-021       2026-03-01  -           -           open    Brugge
	H-2026-001       2026-02-01  2027-04-30  2027-07-31  open    Hasselt
	EOF
	assert_equal "$(ids --not-ready release)" "B-2026-018 B-2026-019 B-2026-021 H-2026-001"
	# After 30 April 2027 the agreement of its pre-leave consultation is overdue: B-2026-017
	# is not ready then, as release-check says.
	assert_equal "$(ids --not-ready leave --date 2027-05-01 --institution Brugge)" \
		"B-2026-017 B-2026-018 B-2026-019 B-2026-021"
	run release-check B-2026-017 --date 2027-05-01
	assert_failure 1
	run release-check B-2026-017
	assert_success
}

@test "case-ls: every filter given must match" {
	all_store
	ls_ --institution Brugge --leave-between 2027-01-01 2027-12-31 --domain mental_health \
		--status to-assess --no-consent-for justitiehuizen --not-ready leave
	assert_success
	assert_output - <<-EOF
	$HEAD
	B-2026-018       2026-01-10  2027-05-31  2028-05-31  open    Brugge
	EOF
}

# --- errors ---

@test "case-ls: an unknown domain, status, partner or milestone is an error naming what is allowed" {
	all_store
	error "case-ls: cannot use --domain 'health': not one of psychosocial, education_employment, mental_health, social_context, alternative_discourse" \
		--domain health --status planned
	error "case-ls: cannot use --status 'done': not one of to-assess, no-need, planned, in-progress, completed" \
		--domain psychosocial --status done
	error "case-ls: cannot use --no-consent-for 'police': unknown partner (known: dg-epi, justitiehuizen, welzijn)" \
		--no-consent-for police
	error "case-ls: cannot use --not-ready 'parole': not one of leave, release" --not-ready parole
}

@test "case-ls: usage errors" {
	all_store
	error "case-ls: --domain and --status go together" --domain psychosocial
	error "case-ls: --domain and --status go together" --status planned
	error "case-ls: --not-ready lists open cases: it does not go with --closed" --not-ready leave --closed
	error "case-ls: --date goes with --not-ready or --no-consent-for" --date 2027-01-01
	error "case-ls: --leave-between takes two dates" --leave-between 2027-01-01
	error "case-ls: cannot use --leave-between '2027-02-30': not a valid date (YYYY-MM-DD)" \
		--leave-between 2027-01-01 2027-02-30
	error "case-ls: cannot use --leave-between 2027-06-01 2027-01-01: the second date is before the first" \
		--leave-between 2027-06-01 2027-01-01
	error "case-ls: cannot use --date 'tomorrow': not a valid date (YYYY-MM-DD)" \
		--no-consent-for welzijn --date tomorrow
	error "case-ls: unexpected argument 'B-2026-017'" B-2026-017
	error "case-ls: cannot use format 'ics'" --format ics
	error "case-ls: cannot open store" -C "$BATS_TEST_TMPDIR/nowhere"
}

@test "case-ls: a case with a plan that is not valid is said, the others listed, exit 2" {
	all_store
	sneak "sed -i 's/^status: open/status: bogus/' cases/*/B-2026-019/plan.yaml"
	ls_ --institution Brugge
	assert_failure 2
	assert_output - <<-EOF
	$HEAD
	B-2026-017       2026-01-10  2027-05-31  2028-05-31  open    Brugge
	B-2026-018       2026-01-10  2027-05-31  2028-05-31  open    Brugge
	B-2026-021       2026-03-01  -           -           open    Brugge
	EOF
	[[ "${stderr_lines[0]}" == "case-ls: cannot read 'cases/"*"/B-2026-019/plan.yaml': "* ]]
	assert_equal "${stderr_lines[1]}" "case-ls: cannot list 1 case with a file that is not valid (see case-validate)"
	assert_equal "${#stderr_lines[@]}" 2
}

@test "case-ls --not-ready reads the kept cases in threads, and says each it cannot read in its place" {
	all_store
	local ids
	for i in $(seq 100 139); do new_case "B-2026-$i" >/dev/null; done
	# More than one thread reads (view_each() takes one per 16 cases): 44 cases kept.
	ids="B-2026-018 B-2026-019 B-2026-021 $(printf 'B-2026-%s ' $(seq 100 139))H-2026-001"
	assert_equal "$(ids --not-ready leave)" "$ids"
	# Two reintegration plans that cannot be read, which only the threads read: each case is
	# said, in order of ID, and the others listed.
	sneak 'for c in 110 130; do echo "bogus: 1" >"$(dirname cases/*/B-2026-$c/plan.yaml)/reintegration.yaml"; done'
	ls_ --not-ready leave --format tsv
	assert_failure 2
	assert_equal "$(printf '%s\n' "$output" | tail -n +2 | cut -f1 | paste -sd' ')" \
		"$(printf '%s\n' $ids | grep -v -e B-2026-110 -e B-2026-130 | paste -sd' ')"
	[[ "${stderr_lines[0]}" == "case-ls: cannot read 'cases/"*"/B-2026-110/reintegration.yaml': "* ]]
	[[ "${stderr_lines[1]}" == "case-ls: cannot read 'cases/"*"/B-2026-130/reintegration.yaml': "* ]]
	assert_equal "${stderr_lines[2]}" "case-ls: cannot list 2 cases with a file that is not valid (see case-validate)"
	assert_equal "${#stderr_lines[@]}" 3
	local with=$output
	CASUS_INDEX=off ls_ --not-ready leave --format tsv
	assert_failure 2
	assert_equal "$output" "$with"
}

@test "case-ls: a consent record that is not valid keeps a case out only where it is read" {
	all_store
	sneak "sed -i 's/^informed: true/informed: maybe/' cases/*/B-2026-017/consent/*.yaml"
	ls_ --leave-between 2027-05-31 2027-05-31
	assert_success
	assert_equal "$stderr" ''
	assert_equal "$(ids --leave-between 2027-05-31 2027-05-31)" "B-2026-017 B-2026-018"
	ls_ --leave-between 2027-05-31 2027-05-31 --no-consent-for justitiehuizen
	assert_failure 2
	assert_output - <<-EOF
	$HEAD
	B-2026-018       2026-01-10  2027-05-31  2028-05-31  open    Brugge
	EOF
	[[ "${stderr_lines[0]}" == "case-ls: cannot read 'cases/"*"/B-2026-017/consent/c-"* ]]
	assert_equal "${stderr_lines[1]}" "case-ls: cannot list 1 case with a file that is not valid (see case-validate)"
	assert_equal "${#stderr_lines[@]}" 2
}

# --- the index: every answer the same without it ---

# Every listing of this file's tests, in every format, into $1.
all_answers() {
	local f
	for f in text tsv json; do
		case-ls --format $f
		case-ls --format $f --closed
		case-ls --format $f --institution Brugge --leave-between 2027-01-01 2027-12-31
		case-ls --format $f --domain mental_health --status to-assess
		case-ls --format $f --no-consent-for justitiehuizen
		case-ls --format $f --not-ready leave --date 2027-05-01
		case-ls --format $f --not-ready release
	done >"$1" 2>&1
}

@test "case-ls: the same answers from the index, with CASUS_INDEX=off and with the index deleted" {
	all_store
	all_answers "$BATS_TEST_TMPDIR/first"
	[ -s "$BATS_TEST_TMPDIR/first" ]
	[ -f "$STORE/casus-index.db" ]
	all_answers "$BATS_TEST_TMPDIR/again"
	CASUS_INDEX=off all_answers "$BATS_TEST_TMPDIR/off"
	rm "$STORE/casus-index.db"
	all_answers "$BATS_TEST_TMPDIR/deleted"
	[ -f "$STORE/casus-index.db" ]
	cmp "$BATS_TEST_TMPDIR/first" "$BATS_TEST_TMPDIR/again"
	cmp "$BATS_TEST_TMPDIR/first" "$BATS_TEST_TMPDIR/off"
	cmp "$BATS_TEST_TMPDIR/first" "$BATS_TEST_TMPDIR/deleted"
	assert_store 18
}

@test "case-ls: a commit pushed with plain git is seen by the next case-ls, and a reset too" {
	all_store
	ls_ --closed
	assert_equal "$(ids --closed)" "B-2026-020"
	sneak "sed -i 's/^status: open/status: closed/' cases/*/B-2026-018/plan.yaml"
	assert_equal "$(ids --closed)" "B-2026-018 B-2026-020"
	assert_equal "$(ids)" "B-2026-017 B-2026-019 B-2026-021 H-2026-001"
	all_answers "$BATS_TEST_TMPDIR/index"
	CASUS_INDEX=off all_answers "$BATS_TEST_TMPDIR/off"
	cmp "$BATS_TEST_TMPDIR/index" "$BATS_TEST_TMPDIR/off"
	assert_store 19
	# The store reset to the commit before: the index reflects a commit that is gone.
	git -C "$STORE" update-ref refs/heads/main main~1
	assert_equal "$(ids --closed)" "B-2026-020"
	assert_equal "$(ids)" "B-2026-017 B-2026-018 B-2026-019 B-2026-021 H-2026-001"
}
