#!/usr/bin/env bats
# plan-edit --reintegration (plan-edit(1)): writes a case's reintegration plan (R4, R8), from a
# file or stdin, or in the editor starting from a template with every area still to arrange.
# What is stored is valid and canonical (schema, the case's ID, a registered justice house
# member for the follow-up, known categories and partners in what the justice houses need), one
# commit by the runner; unchanged content makes no commit; anything refused stores nothing.
# plan-show shows it.

bats_require_minimum_version 1.5.0
load helpers

REINT=cases/e7/B-2026-017/reintegration.yaml
PLAN=cases/e7/B-2026-017/plan.yaml

# The team and case B-2026-017, made once per file and copied per test. 4 commits.
setup_file() {
	(BATS_TEST_TMPDIR=$BATS_FILE_TMPDIR && setup && init_store && new_case >/dev/null)
}

case_store() {
	cp -a "$BATS_FILE_TMPDIR/store" "$STORE"
	export CASUS_REPO="$STORE"
	R=$BATS_TEST_TMPDIR/reintegration.yaml
	as_chris
}

# Story 6's reintegration plan, in casus's canonical form.
canonical() {
	cat <<-'EOF'
	case_id: B-2026-017
	housing:
	  status: arranged
	  owner: justitiehuizen
	  note: with the family
	work:
	  status: in-progress
	  owner: welzijn
	  note: a job through the local employment service
	network:
	  status: in-progress
	care:
	  status: to-arrange
	local_partners:
	- organisation: VDAB Brugge
	  role: job placement
	follow_up:
	  justice_house: Justitiehuis Brugge
	  member: chris@jh.example
	  from: '2027-06-01'
	needs:
	- category: psychosocial
	  from: welzijn
	- category: reintegration
	  from: justitiehuizen
	  purpose: aftercare
	EOF
}

# canonical() or reordered() without the areas' notes, which are stored sealed: what plan-edit
# stores of it is exactly what was written.
clear() {
	sed -e '/^  note: /d' -e 's/note: [^,]*, //'
}

# The same, each sealed value, recipient's key and wrapped key shown as "...".
masked() {
	sed -E 's/^( *-? *)(sealed|key|wrap): .*/\1\2: .../'
}

# The same data in flow style, keys in another order, other quotes.
reordered() {
	cat <<-'EOF'
	needs: [{from: welzijn, category: psychosocial}, {purpose: aftercare, from: justitiehuizen, category: reintegration}]
	follow_up: {from: "2027-06-01", member: chris@jh.example, justice_house: "Justitiehuis Brugge"}
	local_partners: [{role: job placement, organisation: VDAB Brugge}]
	care: {status: to-arrange}
	network: {status: "in-progress"}
	work: {note: a job through the local employment service, owner: welzijn, status: in-progress}
	housing: {note: with the family, owner: justitiehuizen, status: arranged}
	case_id: "B-2026-017"
	EOF
}

# The template a new reintegration plan of case $1 starts from in the editor.
template() {
	cat <<-EOF
	case_id: $1
	housing:
	  status: to-arrange
	work:
	  status: to-arrange
	network:
	  status: to-arrange
	care:
	  status: to-arrange
	local_partners: []
	needs: []
	EOF
}

# An editor: a shell script with body $1, run as $EDITOR with the file as $1; $D is the test's
# folder.
editor() {
	export D=$BATS_TEST_TMPDIR
	printf '#!/bin/sh\nset -e\n%s\n' "$1" >"$D/ed"
	chmod +x "$D/ed"
	export EDITOR="$D/ed"
}

stored() {
	git -C "$STORE" show "main:$REINT"
}

# plan-edit --reintegration --file refuses $R (exit 2): stderr is exactly the problem lines $1
# then the summary for $2 problems; nothing is stored.
assert_refused() {
	local problems=$1 n=$2
	run --separate-stderr timeout 20 plan-edit B-2026-017 --reintegration --file "$R"
	assert_failure 2
	assert_output ''
	assert_equal "$stderr" "$problems
plan-edit: cannot store the reintegration plan of 'B-2026-017': $n problem$([ "$n" -eq 1 ] || echo s), nothing stored"
	assert_store 4
	run git -C "$STORE" cat-file -e "main:$REINT"
	assert_failure
}

@test "plan-edit --reintegration --file stores the reintegration plan in one commit by the runner" {
	case_store
	canonical >"$R"
	run --separate-stderr plan-edit B-2026-017 --reintegration --file "$R"
	assert_success
	assert_output ''
	assert_equal "$stderr" ''
	assert_store 5
	run git -C "$STORE" log -1 --format='%an <%ae>%n%B' main
	assert_output - <<-'EOF'
	Chris Maes <chris@jh.example>
	plan-edit: edit reintegration plan B-2026-017

	Case-Id: B-2026-017
	Program: plan-edit
	EOF
	run git -C "$STORE" show --format= --name-status main
	assert_output "A	$REINT"
	# Each area's note sealed for its owner: no consent lets it pass to another partner yet.
	run masked < <(stored)
	assert_output - <<-'EOF'
	case_id: B-2026-017
	housing:
	  status: arranged
	  owner: justitiehuizen
	  note:
	    sealed: ...
	  seal:
	  - member: chris@jh.example
	    key: ...
	    wrap: ...
	work:
	  status: in-progress
	  owner: welzijn
	  note:
	    sealed: ...
	  seal:
	  - member: bram@welzijn.example
	    key: ...
	    wrap: ...
	network:
	  status: in-progress
	care:
	  status: to-arrange
	local_partners:
	- organisation: VDAB Brugge
	  role: job placement
	follow_up:
	  justice_house: Justitiehuis Brugge
	  member: chris@jh.example
	  from: '2027-06-01'
	needs:
	- category: psychosocial
	  from: welzijn
	- category: reintegration
	  from: justitiehuizen
	  purpose: aftercare
	EOF
	run git -C "$STORE" grep -F -e 'with the family' -e 'employment service' main
	assert_failure 1
}

@test "plan-edit --reintegration leaves the detention plan as it was" {
	case_store
	before=$(git -C "$STORE" rev-parse "main:$PLAN")
	canonical >"$R"
	plan-edit B-2026-017 --reintegration --file "$R"
	assert_equal "$(git -C "$STORE" rev-parse "main:$PLAN")" "$before"
	assert_store 5
}

@test "plan-edit --reintegration --file - reads stdin and stores the canonical form" {
	case_store
	reordered | clear >"$R"
	run --separate-stderr plan-edit B-2026-017 --reintegration --file - <"$R"
	assert_success
	assert_equal "$stderr" ''
	run stored
	assert_output "$(canonical | clear)"
	assert_store 5
}

@test "plan-edit --reintegration -m puts the reason in the commit's body" {
	case_store
	canonical >"$R"
	plan-edit B-2026-017 --reintegration --file "$R" -m "after the pre-leave consultation"
	run git -C "$STORE" log -1 --format=%B main
	assert_line --index 0 "plan-edit: edit reintegration plan B-2026-017"
	assert_line "after the pre-leave consultation"
	assert_store 5
}

@test "plan-edit --reintegration replaces a stored plan; the same content again makes no commit" {
	case_store
	canonical | clear >"$R"
	plan-edit B-2026-017 --reintegration --file "$R"
	canonical | clear | sed 's/^  status: to-arrange/  status: arranged/' >"$R"
	plan-edit B-2026-017 --reintegration --file "$R"
	assert_store 6
	run git -C "$STORE" show --format= --name-status main
	assert_output "M	$REINT"
	run stored
	assert_line "  status: arranged"
	refute_line "  status: to-arrange"
	tip=$(head_commit)
	reordered | clear | sed 's/care: {status: to-arrange}/care: {status: arranged}/' >"$R"
	run --separate-stderr plan-edit B-2026-017 --reintegration --file "$R"
	assert_success
	assert_output ''
	assert_equal "$stderr" "plan-edit: no change to the reintegration plan of 'B-2026-017'; nothing stored"
	assert_equal "$(head_commit)" "$tip"
	assert_store 6
}

@test "plan-edit --reintegration in the editor starts from the template when there is none" {
	case_store
	editor 'cp "$1" "$D/shown"; sed -i "0,/to-arrange/s//in-progress/" "$1"'
	run --separate-stderr plan-edit B-2026-017 --reintegration
	assert_success
	assert_equal "$stderr" ''
	run cat "$BATS_TEST_TMPDIR/shown"
	assert_output "$(template B-2026-017)"
	assert_store 5
	run git -C "$STORE" log -1 --format=%s main
	assert_output "plan-edit: edit reintegration plan B-2026-017"
	run stored
	assert_output "$(template B-2026-017 | sed '0,/to-arrange/s//in-progress/')"
	run find "$STORE" "$XDG_RUNTIME_DIR" -name 'casus-edit-*'
	assert_output ''
}

@test "plan-edit --reintegration in the editor starts from the stored plan when there is one" {
	case_store
	canonical >"$R"
	plan-edit B-2026-017 --reintegration --file "$R"
	editor 'cp "$1" "$D/shown"; sed -i "s/^  note: with the family/  note: with the family, from June/" "$1"'
	run --separate-stderr plan-edit B-2026-017 --reintegration
	assert_success
	# Chris's key opens housing's note; welzijn's is a marker, stored again as it was.
	run masked <"$BATS_TEST_TMPDIR/shown"
	why="no consent or legal basis covers reintegration from welzijn to justitiehuizen on 2026-11-29"
	assert_output - <<-EOF
	case_id: B-2026-017
	housing:
	  status: arranged
	  owner: justitiehuizen
	  note: with the family
	  seal:
	  - member: chris@jh.example
	    key: ...
	    wrap: ...
	work:
	  status: in-progress
	  owner: welzijn
	  note: '[sealed for welzijn: $why]'
	  seal:
	  - member: bram@welzijn.example
	    key: ...
	    wrap: ...
	  sealed_for: welzijn
	  withheld: $why
	$(canonical | sed -n '/^network:/,$p')
	EOF
	assert_store 6
	run sh -c "CASUS_KEY='$KEYS/bram' plan-show B-2026-017 --format json | jq -r '.reintegration.work.note'"
	assert_output 'a job through the local employment service'
	run sh -c "plan-show B-2026-017 --format json | jq -r '.reintegration.housing.note'"
	assert_output 'with the family, from June'
}

@test "plan-edit --reintegration in the editor: a problem is shown, and giving up stores nothing and exits 1" {
	case_store
	# The first save names a member who is not registered; the second saves that unchanged.
	editor 'n=$(cat "$D/runs" 2>/dev/null || echo 0); n=$((n + 1)); echo $n >"$D/runs"; cp "$1" "$D/shown.$n"
[ $n -eq 1 ] && printf "follow_up:\n  justice_house: Justitiehuis Brugge\n  member: nobody@jh.example\n" >>"$1"
exit 0'
	run --separate-stderr plan-edit B-2026-017 --reintegration
	assert_failure 1
	assert_equal "$(cat "$BATS_TEST_TMPDIR/runs")" 2
	run grep '^#!' "$BATS_TEST_TMPDIR/shown.2"
	assert_line --partial "follow_up.member: 'nobody@jh.example' is not a registered team member"
	assert_equal "$stderr" "plan-edit: cannot store the reintegration plan of 'B-2026-017': the file was saved unchanged, nothing stored"
	assert_store 4
}

@test "plan-edit --reintegration refuses an unknown case, by file and in the editor, and runs no editor" {
	case_store
	canonical | sed 's/B-2026-017/B-2026-099/' >"$R"
	run --separate-stderr plan-edit B-2026-099 --reintegration --file "$R"
	assert_failure 2
	assert_equal "$stderr" "plan-edit: cannot find case 'B-2026-099': no such case in this store"
	editor 'touch "$D/ran"'
	run --separate-stderr plan-edit B-2026-099 --reintegration
	assert_failure 2
	assert_equal "$stderr" "plan-edit: cannot find case 'B-2026-099': no such case in this store"
	[ ! -e "$BATS_TEST_TMPDIR/ran" ]
	assert_store 4
}

@test "plan-edit --reintegration refuses a follow-up member who is not registered" {
	case_store
	canonical | sed 's/member: chris@jh.example/member: dana@jh.example/' >"$R"
	assert_refused "plan-edit: $R:19: follow_up.member: 'dana@jh.example' is not a registered team member" 1
}

@test "plan-edit --reintegration refuses a follow-up member of another partner than the justice houses" {
	case_store
	canonical | sed 's/member: chris@jh.example/member: bram@welzijn.example/' >"$R"
	assert_refused "plan-edit: $R:19: follow_up.member: 'bram@welzijn.example' is a member for welzijn, not justitiehuizen" 1
}

@test "plan-edit --reintegration refuses an unknown category or partner in what the justice houses need" {
	case_store
	canonical | sed 's/category: psychosocial/category: finances/; s/from: justitiehuizen/from: police/' >"$R"
	assert_refused "plan-edit: $R:22: needs[0]: unknown category 'finances'
plan-edit: $R:25: needs[1]: unknown partner 'police'" 2
}

@test "plan-edit --reintegration refuses what the schema refuses, with the line" {
	case_store
	canonical | sed 's/^  status: to-arrange/  status: done/' >"$R"
	assert_refused "plan-edit: $R:13: care.status: \"done\" is not one of to-arrange, in-progress, arranged, not-needed" 1
	canonical | sed '/^care:/,/^  status: to-arrange/d' >"$R"
	assert_refused "plan-edit: $R:1: missing required property 'care'" 1
	canonical | sed 's/^  purpose: aftercare/  purpose: gossip/' >"$R"
	assert_refused "plan-edit: $R:26: needs[1].purpose: \"gossip\" is not one of casusoverleg, reintegration, aftercare" 1
	{ canonical; echo 'address: Kerkstraat 1'; } >"$R"
	assert_refused "plan-edit: $R:27: unexpected property 'address'" 1
}

@test "plan-edit --reintegration refuses the reintegration plan of another case" {
	case_store
	canonical | sed 's/^case_id: B-2026-017/case_id: B-2026-099/' >"$R"
	assert_refused "plan-edit: $R:1: case_id: is 'B-2026-099' but the case is 'B-2026-017'" 1
}

@test "plan-edit --reintegration refuses someone who is not on the store's team" {
	case_store
	as_eve
	canonical >"$R"
	run --separate-stderr plan-edit B-2026-017 --reintegration --file "$R"
	assert_failure 2
	assert_output ''
	[[ "$stderr" == *"cannot write as '$(fingerprint eve)': the key is not registered to a member of this store"* ]] ||
		fail "stderr: $stderr"
	assert_store 4
}

@test "plan-show shows the reintegration plan in its own section" {
	case_store
	canonical >"$R"
	plan-edit B-2026-017 --reintegration --file "$R"
	run --separate-stderr plan-show B-2026-017
	assert_success
	assert_equal "$stderr" ''
	section=$(printf '%s\n' "$output" | sed -n '/^Reintegration plan$/,/^$/p')
	assert_equal "$section" "Reintegration plan
  housing            arranged [justitiehuizen]: with the family
  work or income     in-progress [welzijn]: [sealed for welzijn: no consent or legal basis covers reintegration from welzijn to justitiehuizen on 2026-11-29]
  social network     in-progress
  continuity of care to-arrange
  local partners     VDAB Brugge (job placement)
  follow-up          Justitiehuis Brugge, chris@jh.example, from 2027-06-01
  information needed psychosocial from welzijn (reintegration)
                     reintegration from justitiehuizen (aftercare)"
}

@test "plan-show of a case without a reintegration plan has no such section" {
	case_store
	run --separate-stderr plan-show B-2026-017
	assert_success
	refute_line "Reintegration plan"
	run plan-show B-2026-017 --format json
	run jq -c .reintegration <<<"$output"
	assert_output null
}

@test "plan-show --format json has the reintegration plan under 'reintegration'" {
	case_store
	canonical >"$R"
	plan-edit B-2026-017 --reintegration --file "$R"
	run --separate-stderr plan-show B-2026-017 --format json
	assert_success
	json=$output
	run jq -r '.reintegration | .case_id, .housing.status, .housing.note, .follow_up.member, .follow_up.from,
		(.needs | map(.category + "/" + .from + "/" + (.purpose // "-")) | join(",")), (.local_partners[0].organisation)' <<<"$json"
	assert_output - <<-'EOF'
	B-2026-017
	arranged
	with the family
	chris@jh.example
	2027-06-01
	psychosocial/welzijn/-,reintegration/justitiehuizen/aftercare
	VDAB Brugge
	EOF
	# The json is the stored document, whole: every key, nothing added.
	run jq -c '.reintegration | keys' <<<"$json"
	assert_output '["care","case_id","follow_up","housing","local_partners","needs","network","work"]'
}

@test "plan-edit --reintegration: the new template saved as it came gives up, stores nothing and exits 1" {
	init_store
	new_case
	printf '#!/bin/sh\nexit 0\n' >"$BATS_TEST_TMPDIR/ed"
	chmod +x "$BATS_TEST_TMPDIR/ed"
	run --separate-stderr env EDITOR="$BATS_TEST_TMPDIR/ed" plan-edit B-2026-017 --reintegration
	assert_failure 1
	assert_equal "$stderr" "plan-edit: cannot store the reintegration plan of 'B-2026-017': the file was saved unchanged, nothing stored"
	assert_store 4
	run git -C "$STORE" ls-tree -r --name-only main
	refute_output --partial reintegration.yaml
	run find "$STORE" "$XDG_RUNTIME_DIR" -name 'casus-edit-*'
	assert_output ''
}
