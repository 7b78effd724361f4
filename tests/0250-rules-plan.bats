#!/usr/bin/env bats
# The rules of the detention plan, as the paper states them (../shared/DOMAIN.md):
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
