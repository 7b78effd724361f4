#!/usr/bin/env bats
# plan-new(1): opens a case with the registry's dates, the fixed team and the five life
# domains still to assess, in one commit whose message says nothing about the person.

load helpers

PLAN=cases/e7/B-2026-017/plan.yaml

# plan-new with the dates and team of story 2 but a chosen case ID and extra arguments.
try_new() {
	local id=$1
	shift
	run plan-new "$id" --institution Brugge --detention-start 2026-01-10 "$@"
}

# Nothing was written: still the three commits of init_store and no case.
assert_no_case() {
	assert_store 3
	run git -C "$STORE" ls-tree -r --name-only main
	assert_output casus.yaml
}

@test "plan-new opens a case with five domains to assess, the dates and the team" {
	init_store
	run new_case
	assert_success
	assert_output ''
	assert_store 4
	run git -C "$STORE" show "main:$PLAN"
	assert_output - <<'EOF'
case_id: B-2026-017
institution: Brugge
status: open
dates:
  detention_start: '2026-01-10'
  leave_eligible: '2027-05-31'
  release_eligible: '2028-05-31'
  sentence_end: '2030-01-10'
team:
  dg-epi:
  - ann@brugge.example
  justitiehuizen:
  - chris@jh.example
  welzijn:
  - bram@welzijn.example
domains:
  psychosocial:
    status: to-assess
  education_employment:
    status: to-assess
  mental_health:
    status: to-assess
  social_context:
    status: to-assess
  alternative_discourse:
    status: to-assess
EOF
}

@test "plan-new puts the case at cases/<fan-out>/<id>/plan.yaml and nothing else" {
	init_store
	new_case
	run git -C "$STORE" ls-tree -r --name-only main
	assert_output - <<EOF
$PLAN
casus.yaml
EOF
	run git -C "$STORE" diff-tree --no-commit-id --name-status -r main
	assert_output "A	$PLAN"
}

@test "plan-new makes one commit by the runner that names the case and nothing about the person" {
	init_store
	as_bram
	run plan-new B-2026-017 --institution Brugge --detention-start 2026-01-10 \
		--leave-eligible 2027-05-31 --team welzijn=bram@welzijn.example -m "registered at intake"
	assert_success
	assert_store 4
	assert_equal "$(git -C "$STORE" log -1 --format='%an <%ae>' main)" "Bram Claes <bram@welzijn.example>"
	run git -C "$STORE" log -1 --format=%B main
	assert_output - <<'EOF'
plan-new: open case B-2026-017

registered at intake

Case-Id: B-2026-017
Program: plan-new
EOF
	run git -C "$STORE" log -1 --format='%(trailers:key=Case-Id,valueonly)%(trailers:key=Program,valueonly)' main
	assert_output - <<'EOF'
B-2026-017
plan-new
EOF
}

@test "plan-new without -m leaves the reason out of the message" {
	init_store
	new_case
	run git -C "$STORE" log -1 --format=%B main
	assert_output - <<'EOF'
plan-new: open case B-2026-017

Case-Id: B-2026-017
Program: plan-new
EOF
}

@test "plan-new refuses a reason with control characters" {
	init_store
	try_new B-2026-017 -m "$(printf 'intake\033[31m')"
	assert_failure 2
	assert_output --partial "cannot use the reason"
	assert_no_case
}

@test "plan-new refuses a case that exists already and changes nothing" {
	init_store
	new_case
	before=$(head_commit)
	try_new B-2026-017 --institution Gent
	assert_failure 2
	assert_output "plan-new: cannot create case 'B-2026-017': it exists already"
	assert_equal "$(head_commit)" "$before"
	assert_store 4
	run git -C "$STORE" show "main:$PLAN"
	assert_line "institution: Brugge"
}

@test "plan-new refuses case IDs that are not safe as a folder name" {
	init_store
	local long
	long=$(printf 'a%.0s' $(seq 65))
	for id in ../x a/b .hidden '' "$long" a..b 'B 2026' 'B-2026-01é' 'x\y' '*'; do
		try_new "$id"
		assert_failure 2
		assert_output --partial "cannot use case ID"
	done
	assert_no_case
}

@test "plan-new refuses a case ID starting with '-' even after --" {
	init_store
	run plan-new --institution Brugge --detention-start 2026-01-10 -- -x
	assert_failure 2
	assert_output "plan-new: cannot use case ID '-x': it may not start with '.' or '-' nor contain '..'"
	# Without --, it is an unknown option: a usage error.
	try_new -x
	assert_failure 2
	assert_output --partial "usage: plan-new"
	assert_no_case
}

@test "plan-new accepts a case ID of exactly 64 characters" {
	init_store
	local id
	id=B$(printf '0%.0s' $(seq 63))
	try_new "$id"
	assert_success
	assert_store 4
	run git -C "$STORE" ls-tree -r --name-only main
	assert_line --regexp "^cases/[0-9a-f]{2}/$id/plan.yaml\$"
}

@test "plan-new refuses impossible dates and names the option" {
	init_store
	for d in 2026-02-30 2026-13-01 tomorrow 2026-1-10 ''; do
		try_new B-2026-017 --leave-eligible "$d"
		assert_failure 2
		assert_output "plan-new: cannot use --leave-eligible '$d': not a valid date (YYYY-MM-DD)"
	done
	run plan-new B-2026-017 --institution Brugge --detention-start 2026-02-29
	assert_failure 2
	assert_output "plan-new: cannot use --detention-start '2026-02-29': not a valid date (YYYY-MM-DD)"
	try_new B-2026-017 --sentence-end 2031-04-31
	assert_failure 2
	assert_output --partial "--sentence-end '2031-04-31'"
	assert_no_case
}

@test "plan-new refuses dates out of order and names both options" {
	init_store
	try_new B-2026-017 --leave-eligible 2025-12-31
	assert_failure 2
	assert_output "plan-new: cannot use --leave-eligible 2025-12-31: it is before --detention-start 2026-01-10"
	try_new B-2026-017 --leave-eligible 2027-05-31 --release-eligible 2027-05-30
	assert_failure 2
	assert_output "plan-new: cannot use --release-eligible 2027-05-30: it is before --leave-eligible 2027-05-31"
	try_new B-2026-017 --release-eligible 2028-05-31 --sentence-end 2028-01-01
	assert_failure 2
	assert_output "plan-new: cannot use --sentence-end 2028-01-01: it is before --release-eligible 2028-05-31"
	# A missing date in between does not hide the order of the others.
	try_new B-2026-017 --sentence-end 2025-01-01
	assert_failure 2
	assert_output "plan-new: cannot use --sentence-end 2025-01-01: it is before --detention-start 2026-01-10"
	assert_no_case
}

@test "plan-new accepts dates that fall on the same day" {
	init_store
	try_new B-2026-017 --leave-eligible 2026-01-10 --release-eligible 2026-01-10 --sentence-end 2026-01-10
	assert_success
	assert_store 4
}

# Under `make check` this fails while lib/schema.c canon_map() passes a NULL pairs array to
# memcpy() for the empty team map (undefined behaviour, caught by UBSan).
@test "plan-new without --team opens a case with an empty team" {
	init_store
	try_new B-2026-017
	assert_success
	assert_output ''
	assert_store 4
	run git -C "$STORE" show "main:$PLAN"
	assert_line --index 4 "  detention_start: '2026-01-10'"
	assert_line --index 5 "team: {}"
	assert_line --index 6 "domains:"
}

@test "plan-new refuses a team member who is not registered" {
	init_store
	try_new B-2026-017 --team dg-epi=eve@elsewhere.example
	assert_failure 2
	assert_output "plan-new: cannot store the plan of 'B-2026-017': team.dg-epi[0]: 'eve@elsewhere.example' is not a registered team member"
	assert_no_case
}

@test "plan-new refuses a team member under another partner than their own" {
	init_store
	try_new B-2026-017 --team welzijn=ann@brugge.example
	assert_failure 2
	assert_output "plan-new: cannot store the plan of 'B-2026-017': team.welzijn[0]: 'ann@brugge.example' is a member for dg-epi, not welzijn"
	assert_no_case
}

@test "plan-new refuses an unknown partner and lists the known ones" {
	init_store
	try_new B-2026-017 --team police=ann@brugge.example
	assert_failure 2
	assert_output "plan-new: cannot store the plan of 'B-2026-017': team: unknown partner 'police' (known: dg-epi, justitiehuizen, welzijn)"
	assert_no_case
}

@test "plan-new refuses --team without '=' as a usage error" {
	init_store
	try_new B-2026-017 --team ann@brugge.example
	assert_failure 2
	assert_line --index 0 "plan-new: cannot use --team 'ann@brugge.example': expected PARTNER=EMAIL"
	assert_line --partial "usage: plan-new"
	assert_no_case
}

@test "plan-new refuses --team with an empty partner or e-mail" {
	init_store
	try_new B-2026-017 --team welzijn=
	assert_failure 2
	assert_output --partial "team.welzijn[0]"
	try_new B-2026-017 --team =bram@welzijn.example
	assert_failure 2
	assert_output --partial "team: property name ''"
	assert_no_case
}

@test "plan-new refuses a team member who is no longer active" {
	init_store
	member_leaves bram@welzijn.example
	try_new B-2026-017 --team welzijn=bram@welzijn.example
	assert_failure 2
	assert_output "plan-new: cannot create case 'B-2026-017': team member 'bram@welzijn.example' is no longer active"
	assert_store 4
	run git -C "$STORE" ls-tree -r --name-only main
	assert_output casus.yaml
}

@test "plan-new refuses a runner who is not registered and changes nothing" {
	init_store
	before=$(head_commit)
	as_eve
	run new_case
	assert_failure 2
	assert_output "plan-new: cannot write as '$(fingerprint eve)': the key is not registered to a member of this store"
	assert_equal "$(head_commit)" "$before"
	assert_no_case
}

@test "plan-new refuses a runner who is no longer active and changes nothing" {
	init_store
	member_leaves chris@jh.example
	before=$(head_commit)
	as_chris
	try_new B-2026-017
	assert_failure 2
	assert_output "plan-new: cannot write as 'chris@jh.example': no longer an active team member of this store"
	assert_equal "$(head_commit)" "$before"
	assert_store 4
}

@test "plan-new without --institution or --detention-start is a usage error" {
	init_store
	run plan-new B-2026-017 --detention-start 2026-01-10
	assert_failure 2
	assert_line --index 0 "plan-new: --institution and --detention-start are required"
	assert_line --partial "usage: plan-new"
	run plan-new B-2026-017 --institution Brugge
	assert_failure 2
	assert_line --index 0 "plan-new: --institution and --detention-start are required"
	run plan-new --institution Brugge --detention-start 2026-01-10
	assert_failure 2
	assert_line --index 0 "plan-new: expected one CASE-ID"
	assert_no_case
}

@test "plan-new refuses an institution with control characters" {
	init_store
	run plan-new B-2026-017 --institution "$(printf 'Bru\033[2Jgge')" --detention-start 2026-01-10
	assert_failure 2
	assert_output --partial "cannot use the institution"
	refute_output --partial $'\033'
	assert_no_case
}

@test "plan-new -h prints the usage on stdout and changes nothing" {
	init_store
	run plan-new -h
	assert_success
	assert_line --index 0 --partial "usage: plan-new"
	assert_store 3
}

# Bug in lib/casus.c case_id_check(): the length message prints the ID with "%.64s", raw, so
# an over-long ID carries its escape sequences to the terminal (casus.h promises it escaped).
@test "plan-new never echoes the control characters of a refused case ID" {
	init_store
	local id
	id=$(printf 'A\033[31m%.0s' $(seq 14))
	try_new "$id"
	assert_failure 2
	assert_output --partial "cannot use case ID"
	refute_output --partial $'\033'
	assert_no_case
}

# Bug in lib/casus.c case_id_check(): casus.h promises "cannot use case ID '...': ..." with
# the ID, but a refused character gives a message that does not say which ID was refused.
@test "plan-new names the refused case ID in its message" {
	init_store
	try_new 'B 2026'
	assert_failure 2
	assert_output --partial "cannot use case ID 'B 2026'"
	assert_no_case
}

@test "a refused case ID is quoted whole, however long" {
	init_store
	local id
	id=$(printf 'B%.0s' $(seq 3000))
	try_new "$id"
	assert_failure 2
	assert_output "plan-new: cannot use case ID '$id': it must be 1 to 64 characters"
	assert_no_case
}
