#!/usr/bin/env bats
# The acceptance scenarios of the stories: a store set up and worked on by its team, each
# change one commit by whoever made it; outsiders refused; writers at the same time all kept;
# the same data always the same bytes.

load helpers
bats_require_minimum_version 1.5.0

PLAN=cases/e7/B-2026-017/plan.yaml

# The plan of case $1 (default B-2026-017) with the institution line set to $2, canonical. No
# text: a text is stored sealed, anew each time it is sealed (casus(7), SEALING), and these
# scenarios compare bytes.
plan_of() {
	local id=${1:-B-2026-017} inst=${2:-Brugge}
	cat <<EOF
case_id: $id
institution: $inst
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
    status: in-progress
    owner: welzijn
  education_employment:
    status: planned
    owner: dg-epi
  mental_health:
    status: to-assess
  social_context:
    status: to-assess
  alternative_discourse:
    status: to-assess
EOF
}

# plan_of B-2026-017 in flow style with its keys in reverse order.
plan_reordered() {
	cat <<'EOF'
{domains: {alternative_discourse: {status: to-assess}, social_context: {status: to-assess},
  mental_health: {status: to-assess}, education_employment: {owner: dg-epi, status: planned},
  psychosocial: {owner: welzijn, status: in-progress}},
 team: {welzijn: [bram@welzijn.example], justitiehuizen: [chris@jh.example], dg-epi: [ann@brugge.example]},
 dates: {sentence_end: "2030-01-10", release_eligible: "2028-05-31", leave_eligible: "2027-05-31", detention_start: "2026-01-10"},
 status: "open", institution: "Brugge", case_id: "B-2026-017"}
EOF
}

@test "a store set up and worked on by the team: one commit per change, by whoever made it" {
	as_ann
	run case-init "$STORE" --institution Brugge --partner dg-epi --role "psychosocial service"
	assert_success
	export CASUS_REPO=$STORE
	run member-add "Bram Claes" bram@welzijn.example --partner welzijn --role consultant --key "$KEYS/bram.pub"
	assert_success
	run member-add "Chris Maes" chris@jh.example --partner justitiehuizen --role "justice assistant" --key "$KEYS/chris.pub"
	assert_success
	run new_case
	assert_success
	as_bram
	plan_of B-2026-017 Brugge >"$BATS_TEST_TMPDIR/bram.yaml"
	run plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/bram.yaml" -m "goals for psychosocial support"
	assert_success
	as_chris
	plan_of B-2026-017 "Brugge, wing B" >"$BATS_TEST_TMPDIR/chris.yaml"
	run plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/chris.yaml"
	assert_success

	plan-show B-2026-017 --format yaml >"$BATS_TEST_TMPDIR/shown"
	run cmp "$BATS_TEST_TMPDIR/shown" "$BATS_TEST_TMPDIR/chris.yaml"
	assert_success
	run git -C "$STORE" log --format='%an <%ae> | %s' main
	assert_output - <<'EOF'
Chris Maes <chris@jh.example> | plan-edit: edit plan B-2026-017
Bram Claes <bram@welzijn.example> | plan-edit: edit plan B-2026-017
Ann Peeters <ann@brugge.example> | plan-new: open case B-2026-017
Ann Peeters <ann@brugge.example> | member-add: register team member
Ann Peeters <ann@brugge.example> | member-add: register team member
Ann Peeters <ann@brugge.example> | case-init: create store
EOF
	# Each change to the case touched only its own file.
	run git -C "$STORE" log --format=%s --name-only main -- cases
	assert_output - <<EOF
plan-edit: edit plan B-2026-017

$PLAN
plan-edit: edit plan B-2026-017

$PLAN
plan-new: open case B-2026-017

$PLAN
EOF
	# What Bram wrote is still in the history, as he wrote it.
	git -C "$STORE" show "main~1:$PLAN" >"$BATS_TEST_TMPDIR/then"
	run cmp "$BATS_TEST_TMPDIR/then" "$BATS_TEST_TMPDIR/bram.yaml"
	assert_success
	run case-validate
	assert_success
	assert_output ''
	assert_store 6
}

@test "the history of a case names its program and case, and nothing of its content" {
	init_store
	new_case
	plan_of B-2026-017 Brugge >"$BATS_TEST_TMPDIR/plan.yaml"
	plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/plan.yaml" -m "after the consultation"
	run git -C "$STORE" log --format=%B -n 2 main
	assert_output - <<'EOF'
plan-edit: edit plan B-2026-017

after the consultation

Case-Id: B-2026-017
Program: plan-edit

plan-new: open case B-2026-017

Case-Id: B-2026-017
Program: plan-new
EOF
	assert_store 5
}

@test "someone not registered is refused by every program that writes, and nothing changes" {
	init_store
	new_case
	before=$(head_commit)
	plan_of B-2026-017 Elsewhere >"$BATS_TEST_TMPDIR/plan.yaml"
	as_eve
	run plan-new B-2026-018 --institution Brugge --detention-start 2026-01-10
	assert_failure 2
	assert_output "plan-new: cannot write as '$(fingerprint eve)': the key is not registered to a member of this store"
	run plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/plan.yaml"
	assert_failure 2
	assert_output "plan-edit: cannot write as '$(fingerprint eve)': the key is not registered to a member of this store"
	EDITOR='sed -i s/Brugge/Elsewhere/' run plan-edit B-2026-017
	assert_failure 2
	assert_output "plan-edit: cannot write as '$(fingerprint eve)': the key is not registered to a member of this store"
	run member-add "Eve Outsider" eve2@elsewhere.example --partner welzijn --role consultant --key "$KEYS/eve.pub"
	assert_failure 2
	assert_output "member-add: cannot write as '$(fingerprint eve)': the key is not registered to a member of this store"
	assert_equal "$(head_commit)" "$before"
	run git -C "$STORE" for-each-ref --format='%(refname)'
	assert_output refs/heads/main
	assert_store 4
}

@test "a member who is no longer active is refused, and nothing changes" {
	init_store
	new_case
	member_leaves bram@welzijn.example -m "moved to another service"
	before=$(head_commit)
	plan_of B-2026-017 Elsewhere >"$BATS_TEST_TMPDIR/plan.yaml"
	as_bram
	run plan-new B-2026-018 --institution Brugge --detention-start 2026-01-10
	assert_failure 2
	assert_output "plan-new: cannot write as 'bram@welzijn.example': no longer an active team member of this store"
	run plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/plan.yaml"
	assert_failure 2
	assert_output "plan-edit: cannot write as 'bram@welzijn.example': no longer an active team member of this store"
	EDITOR='sed -i s/Brugge/Elsewhere/' run plan-edit B-2026-017
	assert_failure 2
	assert_equal "$(head_commit)" "$before"
	assert_store 5
}

@test "eight writers at once: four new cases and four edits of other cases, all kept" {
	init_store
	for i in 1 2 3 4; do
		new_case "E-$i"
		plan_of "E-$i" "Edited by writer $i" >"$BATS_TEST_TMPDIR/e$i.yaml"
	done
	assert_store 7
	pids=()
	for i in 1 2 3 4; do
		plan-new "N-$i" --institution "New $i" --detention-start 2026-01-10 \
			--team welzijn=bram@welzijn.example 2>"$BATS_TEST_TMPDIR/new$i.err" &
		pids+=($!)
		plan-edit "E-$i" --file "$BATS_TEST_TMPDIR/e$i.yaml" 2>"$BATS_TEST_TMPDIR/edit$i.err" &
		pids+=($!)
	done
	statuses=()
	for p in "${pids[@]}"; do
		st=0
		wait "$p" || st=$?
		statuses+=("$st")
	done
	assert_equal "${statuses[*]}" "0 0 0 0 0 0 0 0"
	run cat "$BATS_TEST_TMPDIR"/new*.err "$BATS_TEST_TMPDIR"/edit*.err
	assert_output ''
	assert_store 15
	# Eight commits, one per writer, each touching only its own case.
	git -C "$STORE" log -8 --format=%s main | sort >"$BATS_TEST_TMPDIR/subjects"
	run cat "$BATS_TEST_TMPDIR/subjects"
	assert_output - <<'EOF'
plan-edit: edit plan E-1
plan-edit: edit plan E-2
plan-edit: edit plan E-3
plan-edit: edit plan E-4
plan-new: open case N-1
plan-new: open case N-2
plan-new: open case N-3
plan-new: open case N-4
EOF
	for c in $(git -C "$STORE" rev-list -8 main); do
		assert_equal "$(git -C "$STORE" diff-tree --no-commit-id --name-only -r "$c" | wc -l)" 1
	done
	for i in 1 2 3 4; do
		plan-show "E-$i" --format yaml >"$BATS_TEST_TMPDIR/shown$i"
		run cmp "$BATS_TEST_TMPDIR/shown$i" "$BATS_TEST_TMPDIR/e$i.yaml"
		assert_success
		assert_equal "$(plan-show "N-$i" --format json | jq -r .institution)" "New $i"
	done
	run case-validate
	assert_success
	assert_output ''
}

@test "eight edits of the same case at once: all succeed, each is one commit by its writer" {
	init_store
	new_case
	for i in 1 2 3 4 5 6 7 8; do
		plan_of B-2026-017 "Writer $i" >"$BATS_TEST_TMPDIR/w$i.yaml"
	done
	pids=()
	for i in 1 2 3 4 5 6 7 8; do
		case $((i % 3)) in 0) as_ann ;; 1) as_bram ;; 2) as_chris ;; esac
		plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/w$i.yaml" -m "writer $i" &
		pids+=($!)
	done
	statuses=()
	for p in "${pids[@]}"; do
		st=0
		wait "$p" || st=$?
		statuses+=("$st")
	done
	assert_equal "${statuses[*]}" "0 0 0 0 0 0 0 0"
	assert_store 12
	# Every writer's version is in the history exactly once, by its writer.
	for c in $(git -C "$STORE" rev-list -8 main); do
		inst=$(git -C "$STORE" show "$c:$PLAN" | sed -n 's/^institution: //p')
		printf '%s|%s %s\n' "$inst" "$(git -C "$STORE" log -1 --format=%ae "$c")" \
			"$(git -C "$STORE" log -1 --format=%b "$c" | head -n 1)"
	done | sort >"$BATS_TEST_TMPDIR/history"
	run cat "$BATS_TEST_TMPDIR/history"
	assert_output - <<'EOF'
Writer 1|bram@welzijn.example writer 1
Writer 2|chris@jh.example writer 2
Writer 3|ann@brugge.example writer 3
Writer 4|bram@welzijn.example writer 4
Writer 5|chris@jh.example writer 5
Writer 6|ann@brugge.example writer 6
Writer 7|bram@welzijn.example writer 7
Writer 8|chris@jh.example writer 8
EOF
	# The tip holds the version of whoever came last.
	last=$(git -C "$STORE" log -1 --format=%b main | head -n 1)
	plan-show B-2026-017 --format yaml >"$BATS_TEST_TMPDIR/shown"
	run cmp "$BATS_TEST_TMPDIR/shown" "$BATS_TEST_TMPDIR/w${last#writer }.yaml"
	assert_success
}

@test "the same data always gives the same bytes" {
	init_store
	new_case
	plan_of >"$BATS_TEST_TMPDIR/canonical.yaml"
	plan_reordered >"$BATS_TEST_TMPDIR/reordered.yaml"
	want=$(git hash-object "$BATS_TEST_TMPDIR/canonical.yaml")
	run plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/reordered.yaml"
	assert_success
	assert_equal "$(git -C "$STORE" rev-parse "main:$PLAN")" "$want"
	# Written again, either way: nothing to store.
	run plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/reordered.yaml"
	assert_success
	assert_output "plan-edit: no change to the plan of 'B-2026-017'; nothing stored"
	run plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/canonical.yaml"
	assert_success
	assert_output "plan-edit: no change to the plan of 'B-2026-017'; nothing stored"
	assert_equal "$(git -C "$STORE" rev-parse "main:$PLAN")" "$want"
	assert_store 5
}

@test "the same data gives the same bytes in another store, whatever its history" {
	init_store
	new_case
	plan_reordered >"$BATS_TEST_TMPDIR/reordered.yaml"
	plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/reordered.yaml"
	first=$(git -C "$STORE" rev-parse "main:$PLAN")
	STORE=$BATS_TEST_TMPDIR/store2
	init_store
	new_case
	# A detour through another version first.
	plan_of B-2026-017 Gent >"$BATS_TEST_TMPDIR/gent.yaml"
	plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/gent.yaml"
	plan_of >"$BATS_TEST_TMPDIR/canonical.yaml"
	plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/canonical.yaml"
	assert_equal "$(git -C "$STORE" rev-parse "main:$PLAN")" "$first"
	assert_store 6
}

@test "nothing in the store is world-readable" {
	init_store
	new_case
	plan_of >"$BATS_TEST_TMPDIR/plan.yaml"
	plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/plan.yaml"
	run find "$STORE" -perm -o=r -not -type l
	assert_output ''
	assert_store 5
}
