#!/usr/bin/env bats
# The rules of the detention plan, as the paper states them (casus(7), "The rules of the paper"):
#
# R1 — one plan per detainee, from the start. Every radicalised detainee gets an individual
# detention plan from the start of detention, worked out in consultation between the core
# partners, tailored to the person, aimed at successful reintegration. Its focus: strengthening
# the individual (positive identity development, planning for the future), disengagement and
# restoration. (The Basic Law of 12 January 2005 lets the detainee refuse the plan; a refusal
# is recorded and can be revoked.)
#
# R2 — the plan changes over time, and every change is accountable. The plan is adjusted
# during detention; who changed what, and why, must be traceable.
#
# R3 — minimum life domains. Every trajectory examines at least: psychosocial support;
# education and employment; trauma-related or specialised mental health care, including
# addiction care; involvement and guidance of the social context (family, network); persons
# who can offer an alternative discourse to violent extremism (religious authorities, other
# support figures). A plan is not complete until each of these has been assessed.

load helpers
bats_require_minimum_version 1.5.0

PLAN=cases/e7/B-2026-017/plan.yaml

# An editor: a shell script with body $1, run as $EDITOR with the file as $1.
editor() {
	export D=$BATS_TEST_TMPDIR
	printf '#!/bin/sh\nset -e\n%s\n' "$1" >"$D/ed"
	chmod +x "$D/ed"
	export EDITOR="$D/ed"
}

# --- R2: plan-show --format json | jq | plan-edit -f -, as plan-edit(1) shows it ---

@test "R2: the man page's pipeline plan-show --format json | jq | plan-edit -f - stores the change" {
	init_store
	new_case
	run --separate-stderr bash -c "plan-show B-2026-017 --format json |
	      jq '.domains.mental_health.status = \"no-need\"' |
	      plan-edit B-2026-017 -f - -m 'assessment by the psychosocial service'"
	assert_success
	assert_equal "$stderr" ''
	assert_store 5
	run git -C "$STORE" show "main:$PLAN"
	assert_line --index 20 '  mental_health:'
	assert_line --index 21 '    status: no-need'
	refute_output --partial overleg
	refute_output --partial reintegration
}

@test "R2: plan-show --format json given back unchanged stores nothing, as the yaml does" {
	init_store
	new_case
	run --separate-stderr bash -c 'plan-show B-2026-017 --format json | plan-edit B-2026-017 -f -'
	assert_success
	assert_equal "$stderr" "plan-edit: no change to the plan of 'B-2026-017'; nothing stored"
	assert_store 4
}

@test "R2: the pipeline takes the reintegration plan plan-show adds when it is the stored one" {
	init_store
	new_case
	printf 'case_id: B-2026-017\nhousing:\n  status: arranged\nwork:\n  status: to-arrange\nnetwork:\n  status: to-arrange\ncare:\n  status: to-arrange\n' |
		plan-edit B-2026-017 --reintegration -f -
	run --separate-stderr bash -c "plan-show B-2026-017 --format json | jq '.status = \"closed\"' | plan-edit B-2026-017 -f -"
	assert_success
	assert_equal "$stderr" ''
	assert_store 6
	run plan-show B-2026-017 --format yaml
	assert_line --index 2 'status: closed'
}

@test "R2: the pipeline takes the reintegration plan plan-show adds with its sealed notes, opened or marked" {
	init_store
	new_case
	# Ann's own area, and one of welzijn her key does not open.
	printf 'case_id: B-2026-017\nhousing:\n  status: arranged\n  owner: dg-epi\n  note: with the family\nwork:\n  status: in-progress\n  owner: welzijn\n  note: a job\nnetwork:\n  status: to-arrange\ncare:\n  status: to-arrange\n' |
		plan-edit B-2026-017 --reintegration -f -
	run --separate-stderr bash -c "plan-show B-2026-017 --format json | jq -r '.reintegration | .housing.note, .work.sealed_for'"
	assert_output $'with the family\nwelzijn'
	run --separate-stderr bash -c "plan-show B-2026-017 --format json | jq '.status = \"closed\"' | plan-edit B-2026-017 -f -"
	assert_success
	assert_equal "$stderr" ''
	assert_store 6
	run plan-show B-2026-017 --format yaml
	assert_line --index 2 'status: closed'
}

@test "R2: a reintegration plan changed in the detention plan's pipeline is refused, and nothing stored" {
	init_store
	new_case
	before=$(head_commit)
	run --separate-stderr bash -c "plan-show B-2026-017 --format json |
	      jq '.status = \"closed\" | .reintegration = {case_id: \"B-2026-017\"}' | plan-edit B-2026-017 -f -"
	assert_failure 2
	assert_equal "$stderr" "plan-edit: <stdin>:48: reintegration: differs from the stored reintegration plan: change that with plan-edit --reintegration
plan-edit: cannot store the plan of 'B-2026-017': 1 problem, nothing stored"
	assert_equal "$(head_commit)" "$before"
	assert_store 4
}

# --- R2: giving up in the editor stores nothing and exits 1, as git commit does ---

@test "R2: saving the editor's file unchanged stores nothing and exits 1" {
	init_store
	new_case
	editor 'true'
	before=$(head_commit)
	run --separate-stderr plan-edit B-2026-017 -m 'nothing'
	assert_failure 1
	assert_equal "$stderr" "plan-edit: cannot store the plan of 'B-2026-017': the file was saved unchanged, nothing stored"
	assert_equal "$(head_commit)" "$before"
	assert_store 4
	run find "$STORE" "$XDG_RUNTIME_DIR" -name 'casus-edit-*'
	assert_output ''
}

@test "R2: saving the editor's file empty stores nothing and exits 1" {
	init_store
	new_case
	editor ': >"$1"'
	before=$(head_commit)
	run --separate-stderr plan-edit B-2026-017
	assert_failure 1
	assert_equal "$stderr" "plan-edit: cannot store the plan of 'B-2026-017': the file was left empty, nothing stored"
	assert_equal "$(head_commit)" "$before"
	assert_store 4
}

@test "R2: saving the editor's file with the same plan written otherwise stores nothing and exits 1" {
	init_store
	new_case
	editor 'printf "# only a comment\n" >>"$1"'
	run --separate-stderr plan-edit B-2026-017
	assert_failure 1
	assert_equal "$stderr" "plan-edit: no change to the plan of 'B-2026-017'; nothing stored"
	assert_store 4
}

@test "R2: the reintegration plan's editor, left empty or unchanged, stores nothing and exits 1" {
	init_store
	new_case
	printf 'case_id: B-2026-017\nhousing:\n  status: arranged\nwork:\n  status: to-arrange\nnetwork:\n  status: to-arrange\ncare:\n  status: to-arrange\n' |
		plan-edit B-2026-017 --reintegration -f -
	editor 'true'
	run --separate-stderr plan-edit B-2026-017 --reintegration
	assert_failure 1
	assert_equal "$stderr" "plan-edit: cannot store the reintegration plan of 'B-2026-017': the file was saved unchanged, nothing stored"
	editor ': >"$1"'
	run --separate-stderr plan-edit B-2026-017 --reintegration
	assert_failure 1
	assert_equal "$stderr" "plan-edit: cannot store the reintegration plan of 'B-2026-017': the file was left empty, nothing stored"
	assert_store 5
}

@test "R2: case-config --edit saved unchanged or empty stores nothing and exits 1, as plan-edit does" {
	init_store
	editor 'true'
	before=$(head_commit)
	run --separate-stderr case-config --edit
	assert_failure 1
	assert_equal "$stderr" "case-config: cannot replace the settings: the file was saved unchanged, nothing stored"
	editor ': >"$1"'
	run --separate-stderr case-config --edit
	assert_failure 1
	assert_equal "$stderr" "case-config: cannot replace the settings: the file was left empty, nothing stored"
	assert_equal "$(head_commit)" "$before"
}

@test "R2: overleg-record's editor saved unchanged or empty records nothing and exits 1, as plan-edit does" {
	init_store
	new_case
	editor 'true'
	run --separate-stderr overleg-record B-2026-017 --date 2026-11-20
	assert_failure 1
	assert_equal "$stderr" "overleg-record: cannot record the consultation of B-2026-017: the file was saved unchanged, nothing recorded"
	editor ': >"$1"'
	run --separate-stderr overleg-record B-2026-017 --date 2026-11-20
	assert_failure 1
	assert_equal "$stderr" "overleg-record: cannot record the consultation of B-2026-017: the file was left empty, nothing recorded"
	assert_store 4
}

# --- R1: the detainee's refusal of the detention plan ---

@test "R1: a refusal of the detention plan is recorded by plan-edit --refused, one commit" {
	init_store
	new_case
	as_bram
	run --separate-stderr plan-edit B-2026-017 --refused 2026-02-01 -m 'told the psychosocial service'
	assert_success
	assert_equal "$stderr" ''
	assert_store 5
	assert_equal "$(git -C "$STORE" log -1 --format='%ae %s' main)" "bram@welzijn.example plan-edit: record refusal of plan B-2026-017"
	run git -C "$STORE" show "main:$PLAN"
	assert_line --index 3 'refusals:'
	assert_line --index 4 "- since: '2026-02-01'"
	assert_line --index 5 'dates:'
}

@test "R1: a refusal of the detention plan shows in plan-show and release-check" {
	init_store
	new_case
	plan-edit B-2026-017 --refused 2026-02-01
	run --separate-stderr plan-show B-2026-017
	assert_success
	assert_line --index 0 'Case B-2026-017 (open), Brugge'
	assert_line --index 1 'The detainee refused the detention plan on 2026-02-01 (in force)'
	run --separate-stderr bash -c "plan-show B-2026-017 --format json | jq -c .refusals"
	assert_output '[{"since":"2026-02-01"}]'
	run --separate-stderr release-check B-2026-017
	assert_failure 1
	assert_line --index 3 '  FAIL  plan-not-refused    the detainee refused the detention plan on 2026-02-01 (R1)'
	assert_line --index 4 '                            to do: talk it over with the detainee; if they revoke the refusal, record it with plan-edit --refusal-revoked'
	run --separate-stderr bash -c "release-check B-2026-017 --format json | jq -r '.checks[1] | [.name, .rule, .passed, .reason] | @tsv'"
	assert_output $'plan-not-refused\tR1\tfalse\tthe detainee refused the detention plan on 2026-02-01'
}

@test "R1: a refusal of the detention plan, revoked, keeps its history and no longer fails release-check" {
	init_store
	new_case
	plan-edit B-2026-017 --refused 2026-02-01
	as_chris
	run --separate-stderr plan-edit B-2026-017 --refusal-revoked 2026-03-01 -m 'the detainee takes part again'
	assert_success
	assert_store 6
	assert_equal "$(git -C "$STORE" log -1 --format='%ae %s' main)" "chris@jh.example plan-edit: revoke refusal of plan B-2026-017"
	run git -C "$STORE" show "main:$PLAN"
	assert_line --index 4 "- since: '2026-02-01'"
	assert_line --index 5 "  revoked: '2026-03-01'"
	run plan-show B-2026-017
	assert_line --index 1 'The detainee refused the detention plan on 2026-02-01, revoked on 2026-03-01'
	run release-check B-2026-017
	assert_line --index 3 '  pass  plan-not-refused    the refusal of 2026-02-01 was revoked on 2026-03-01 (R1)'
	# Judged on a day the refusal held, it still fails.
	run release-check B-2026-017 --date 2026-02-15
	assert_line --index 3 '  FAIL  plan-not-refused    the detainee refused the detention plan on 2026-02-01 (R1)'
	# A new refusal after the revocation is a second item; the first stays.
	plan-edit B-2026-017 --refused 2026-04-01
	run plan-show B-2026-017
	assert_line --index 1 'The detainee refused the detention plan on 2026-02-01, revoked on 2026-03-01'
	assert_line --index 2 'The detainee refused the detention plan on 2026-04-01 (in force)'
	run case-validate
	assert_success
}

@test "R1: a second refusal of the detention plan while one is in force is refused, and nothing stored" {
	init_store
	new_case
	plan-edit B-2026-017 --refused 2026-02-01
	before=$(head_commit)
	run --separate-stderr plan-edit B-2026-017 --refused 2026-03-01
	assert_failure 2
	assert_equal "$stderr" "plan-edit: cannot store the plan of 'B-2026-017': refusals[1]: refused 2026-03-01 while the refusal of 2026-02-01 is not revoked"
	assert_equal "$(head_commit)" "$before"
	assert_store 5
}

@test "R1: a revocation before its refusal of the detention plan is refused, and nothing stored" {
	init_store
	new_case
	plan-edit B-2026-017 --refused 2026-02-01
	before=$(head_commit)
	run --separate-stderr plan-edit B-2026-017 --refusal-revoked 2026-01-15
	assert_failure 2
	assert_equal "$stderr" "plan-edit: cannot store the plan of 'B-2026-017': refusals[0]: revoked 2026-01-15 is before the refusal of 2026-02-01"
	assert_equal "$(head_commit)" "$before"
	assert_store 5
}

@test "R1: a revocation without a refusal of the detention plan in force is refused, and nothing stored" {
	init_store
	new_case
	run --separate-stderr plan-edit B-2026-017 --refusal-revoked 2026-03-01
	assert_failure 2
	assert_equal "$stderr" "plan-edit: cannot revoke the refusal of 'B-2026-017': no refusal is in force"
	assert_store 4
}

@test "R1: a refusal of the detention plan dated after today, or not a date, is refused, and nothing stored" {
	init_store
	new_case
	run --separate-stderr plan-edit B-2026-017 --refused 2026-12-01
	assert_failure 2
	assert_equal "$stderr" "plan-edit: cannot record the refusal of 'B-2026-017' on 2026-12-01: that is after today"
	run --separate-stderr plan-edit B-2026-017 --refusal-revoked 2026-02-30
	assert_failure 2
	assert_equal "$stderr" "plan-edit: cannot use --refusal-revoked '2026-02-30': not a valid date (YYYY-MM-DD)"
	run --separate-stderr plan-edit B-2026-017 --refused 2026-02-01 --file "$BATS_TEST_TMPDIR/x.yaml"
	assert_failure 2
	assert_equal "${stderr%%$'\n'*}" "plan-edit: --refused and --refusal-revoked go without --file and --reintegration"
	assert_store 4
}

@test "R1: a plan stored with the old form of one refusal still reads, and plan-edit carries it over" {
	init_store
	new_case
	sneak "sed -i \"3a refusal:\\n  since: '2026-02-01'\" $PLAN"
	run case-validate
	assert_success
	run plan-show B-2026-017
	assert_line --index 1 'The detainee refused the detention plan on 2026-02-01 (in force)'
	run release-check B-2026-017
	assert_line --index 3 '  FAIL  plan-not-refused    the detainee refused the detention plan on 2026-02-01 (R1)'
	plan-edit B-2026-017 --refusal-revoked 2026-03-01
	run git -C "$STORE" show "main:$PLAN"
	assert_line --index 3 'refusals:'
	assert_line --index 4 "- since: '2026-02-01'"
	assert_line --index 5 "  revoked: '2026-03-01'"
	refute_line 'refusal:'
}
