#!/usr/bin/env bats
# plan-show(1): the plan of a case, as text for people, as the stored YAML, or as JSON. It
# changes nothing, and nothing from a file reaches the terminal with its control characters.

load helpers
bats_require_minimum_version 1.5.0

PLAN=cases/e7/B-2026-017/plan.yaml

# A plan of story 3 in casus's canonical form, with everything the text view shows.
full_plan() {
	cat >"$BATS_TEST_TMPDIR/full.yaml" <<'EOF'
case_id: B-2026-017
institution: Brugge
status: open
dates:
  detention_start: '2026-01-10'
  leave_eligible: '2027-05-31'
  release_eligible: '2028-05-31'
  sentence_end: '2030-01-10'
aims:
- disengagement
- reintegration
team:
  dg-epi:
  - ann@brugge.example
  justitiehuizen:
  - chris@jh.example
  welzijn:
  - bram@welzijn.example
roles:
- partner: welzijn
  member: bram@welzijn.example
  agreement: leads psychosocial support
domains:
  psychosocial:
    status: in-progress
    owner: welzijn
    note: 'weekly talks, "as agreed" \ in Dutch: gesprekken één keer per week'
    goals:
    - text: psychosocial support
      owner: welzijn
      status: open
      actions:
      - text: weekly conversation
        owner: welzijn
        due: '2027-01-31'
        status: in-progress
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

# Commits stdin as PATH in the store with the git CLI, behind casus's back.
sneak_file() {
	cat >"$BATS_TEST_TMPDIR/sneaked"
	sneak "mkdir -p '$(dirname "$1")' && cp '$BATS_TEST_TMPDIR/sneaked' '$1'"
}

@test "plan-show prints the new case's dates, team with names and domains" {
	init_store
	new_case
	run plan-show B-2026-017
	assert_success
	assert_output - <<'EOF'
Case B-2026-017 (open), Brugge

Dates
  detention start    2026-01-10
  leave eligible     2027-05-31
  release eligible   2028-05-31
  sentence end       2030-01-10

Team
  dg-epi             ann@brugge.example (Ann Peeters)
  welzijn            bram@welzijn.example (Bram Claes)
  justitiehuizen     chris@jh.example (Chris Maes)

Life domains
  psychosocial           to-assess
  education_employment   to-assess
  mental_health          to-assess
  social_context         to-assess
  alternative_discourse  to-assess

Case consultations
  last held          none yet
  next due           2026-02-21 (periodic, overdue)
EOF
	assert_store 4
}

@test "plan-show shows missing dates and partners without a member" {
	init_store
	plan-new B-2026-017 --institution Brugge --detention-start 2026-01-10 --team welzijn=bram@welzijn.example
	run plan-show B-2026-017
	assert_success
	assert_line "  leave eligible     -"
	assert_line "  sentence end       -"
	assert_line "  dg-epi             (none)"
	assert_line "  welzijn            bram@welzijn.example (Bram Claes)"
	assert_store 4
}

@test "plan-show shows roles, owners, notes, goals and actions, and inactive members" {
	init_store
	new_case
	member_leaves chris@jh.example
	full_plan
	# Bram, of welzijn, which holds psychosocial and the role agreement: his key opens them.
	as_bram
	plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/full.yaml"
	run plan-show B-2026-017
	assert_success
	assert_output - <<'EOF'
Case B-2026-017 (open), Brugge

Dates
  detention start    2026-01-10
  leave eligible     2027-05-31
  release eligible   2028-05-31
  sentence end       2030-01-10

Team
  dg-epi             ann@brugge.example (Ann Peeters)
  welzijn            bram@welzijn.example (Bram Claes)
  justitiehuizen     chris@jh.example (Chris Maes, inactive)

Role agreements
  welzijn            leads psychosocial support (bram@welzijn.example)

Life domains
  psychosocial           in-progress  owner welzijn
      note: weekly talks, "as agreed" \ in Dutch: gesprekken één keer per week
      goal: psychosocial support [welzijn, open]
        action: weekly conversation [welzijn, in-progress, due 2027-01-31]
  education_employment   planned      owner dg-epi
  mental_health          to-assess
  social_context         to-assess
  alternative_discourse  to-assess

Case consultations
  last held          none yet
  next due           2026-02-21 (periodic, overdue)
EOF
	assert_store 6
}

@test "plan-show --format yaml gives back exactly the stored bytes" {
	init_store
	new_case
	full_plan
	plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/full.yaml"
	plan-show B-2026-017 --format yaml >"$BATS_TEST_TMPDIR/shown"
	git -C "$STORE" show "main:$PLAN" >"$BATS_TEST_TMPDIR/stored"
	run cmp "$BATS_TEST_TMPDIR/shown" "$BATS_TEST_TMPDIR/stored"
	assert_success
	# Stored, and so shown, sealed: the note, the goal, the action and the role agreement.
	run grep -c '^ *sealed: ' "$BATS_TEST_TMPDIR/shown"
	assert_output 4
	assert_store 5
}

@test "plan-show --format yaml of a new case is the stored blob, byte for byte" {
	init_store
	new_case
	blob=$(git -C "$STORE" rev-parse "main:$PLAN")
	assert_equal "$(plan-show B-2026-017 --format yaml | git hash-object --stdin)" "$blob"
}

@test "plan-show --format json parses with jq and has the same data" {
	init_store
	new_case
	full_plan
	as_bram
	plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/full.yaml"
	run plan-show B-2026-017 --format json
	assert_success
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/plan.json"
	# The plan's data, then what plan-show adds: the consultations under "overleg", derived,
	# and the reintegration plan under "reintegration" (null: the case has none yet).
	run jq -e '.reintegration == null' "$BATS_TEST_TMPDIR/plan.json"
	assert_success
	# Opened by Bram's key; each sealed part keeps its list of recipients.
	run jq -c '[.domains.psychosocial.seal, .roles[0].seal] | map(map(.member))' "$BATS_TEST_TMPDIR/plan.json"
	assert_output '[["bram@welzijn.example"],["bram@welzijn.example"]]'
	run jq -e 'del(.overleg, .reintegration, .domains.psychosocial.seal, .roles[0].seal) == {
		case_id: "B-2026-017", institution: "Brugge", status: "open",
		dates: {detention_start: "2026-01-10", leave_eligible: "2027-05-31",
			release_eligible: "2028-05-31", sentence_end: "2030-01-10"},
		aims: ["disengagement", "reintegration"],
		team: {"dg-epi": ["ann@brugge.example"], justitiehuizen: ["chris@jh.example"],
			welzijn: ["bram@welzijn.example"]},
		roles: [{partner: "welzijn", member: "bram@welzijn.example",
			agreement: "leads psychosocial support"}],
		domains: {
			psychosocial: {status: "in-progress", owner: "welzijn",
				note: "weekly talks, \"as agreed\" \\ in Dutch: gesprekken één keer per week",
				goals: [{text: "psychosocial support", owner: "welzijn", status: "open",
					actions: [{text: "weekly conversation", owner: "welzijn",
						due: "2027-01-31", status: "in-progress"}]}]},
			education_employment: {status: "planned", owner: "dg-epi"},
			mental_health: {status: "to-assess"}, social_context: {status: "to-assess"},
			alternative_discourse: {status: "to-assess"}}}' "$BATS_TEST_TMPDIR/plan.json"
	assert_success
	assert_output true
	# The keys come in the stored order, as in the YAML.
	run jq -r 'keys_unsorted | join(" ")' "$BATS_TEST_TMPDIR/plan.json"
	assert_output "case_id institution status dates aims team roles domains overleg reintegration"
	assert_store 5
}

@test "plan-show --format json of a new case has the dates as strings and five domains" {
	init_store
	new_case
	run sh -c 'plan-show B-2026-017 --format json | jq -c "[.dates.detention_start, (.domains | to_entries | map(.value.status) | unique), (.domains | length)]"'
	assert_success
	assert_output '["2026-01-10",["to-assess"],5]'
}

@test "plan-show refuses an unknown case with exit 2 and prints nothing on stdout" {
	init_store
	new_case
	run --separate-stderr plan-show B-2026-999
	assert_failure 2
	assert_output ''
	assert_equal "$stderr" "plan-show: cannot find case 'B-2026-999': no such case in this store"
	assert_store 4
}

@test "plan-show refuses a case ID that is not one" {
	init_store
	new_case
	run plan-show ../casus.yaml
	assert_failure 2
	assert_output --partial "cannot use case ID"
	assert_store 4
}

@test "plan-show refuses a format it does not have" {
	init_store
	new_case
	for f in xml tsv ics ''; do
		run --separate-stderr plan-show B-2026-017 --format "$f"
		assert_failure 2
		assert_output ''
		assert_equal "${stderr_lines[0]}" "plan-show: cannot use format '$f': not one of this program's formats"
	done
	assert_store 4
}

@test "plan-show reads the store given with -C instead of CASUS_REPO" {
	init_store
	new_case
	cd "$BATS_TEST_TMPDIR"
	CASUS_REPO=$BATS_TEST_TMPDIR/nowhere run plan-show -C "$STORE" B-2026-017 --format json
	assert_success
	assert_equal "$(jq -r .case_id <<<"$output")" B-2026-017
}

@test "plan-edit refuses a note with an escape sequence, so plan-show never gets one" {
	init_store
	new_case
	plan-show B-2026-017 --format yaml |
		sed 's/^  psychosocial:$/&\n    note: "red \\e[31malert"/' >"$BATS_TEST_TMPDIR/esc.yaml"
	grep -q 'note: "red \\e\[31malert"' "$BATS_TEST_TMPDIR/esc.yaml"
	run plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/esc.yaml"
	assert_failure 2
	assert_output --partial "control character U+001B is not allowed"
	refute_output --partial $'\033'
	assert_store 4
	run plan-show B-2026-017
	refute_output --partial $'\033'
}

@test "plan-show escapes a line break in a note instead of starting a line with it" {
	init_store
	new_case
	plan-show B-2026-017 --format yaml |
		sed 's/^  psychosocial:$/&\n    note: "first\\nTeam\\n\\tsecond"/' >"$BATS_TEST_TMPDIR/lf.yaml"
	run plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/lf.yaml"
	assert_success
	assert_store 5
	run plan-show B-2026-017
	assert_success
	assert_line "      note: first\\x0aTeam\\x0a	second"
	assert_equal "$(grep -c '^Team$' <<<"$output")" 1
	# The data itself is kept: JSON gives the line break back.
	assert_equal "$(plan-show B-2026-017 --format json | jq -r .domains.psychosocial.note)" \
		"$(printf 'first\nTeam\n\tsecond')"
}

@test "plan-show escapes bidirectional controls and line separators in a note" {
	init_store
	new_case
	plan-show B-2026-017 --format yaml |
		sed 's/^  psychosocial:$/&\n    note: "pay \\u202e0001\\u202c, \\u2067isolate\\u2069 \\u200f\\u061c and\\u2028next\\u2029end"/' \
			>"$BATS_TEST_TMPDIR/bidi.yaml"
	run plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/bidi.yaml"
	assert_success
	assert_store 5
	run plan-show B-2026-017
	assert_success
	assert_line '      note: pay \u202e0001\u202c, \u2067isolate\u2069 \u200f\u061c and\u2028next\u2029end'
	for c in $'\u202e' $'\u202c' $'\u2067' $'\u2069' $'\u200f' $'\u061c' $'\u2028' $'\u2029'; do
		refute_output --partial "$c"
	done
	# The data itself is kept: JSON gives the characters back.
	assert_equal "$(plan-show B-2026-017 --format json | jq -r .domains.psychosocial.note)" \
		$'pay \u202e0001\u202c, \u2067isolate\u2069 \u200f\u061c and\u2028next\u2029end'
}

@test "plan-show of a plan broken behind casus's back fails and echoes no escape sequence" {
	init_store
	new_case
	git -C "$STORE" show "main:$PLAN" |
		sed "s/^  psychosocial:\$/&\n    note: \"red $(printf '\033')[31malert\"/" | sneak_file "$PLAN"
	git -C "$STORE" show "main:$PLAN" | grep -q $'\033'
	run --separate-stderr plan-show B-2026-017
	assert_failure 2
	assert_output ''
	output=$stderr lines=("${stderr_lines[@]}")
	assert_line "plan-show: cannot show case 'B-2026-017': its plan is not valid (see case-validate)"
	assert_line "plan-show: $PLAN:18: control character U+001B is not allowed"
	refute_output --partial $'\033'
	assert_store 5
}

@test "plan-show of a plan broken behind casus's back gives no YAML or JSON either" {
	init_store
	new_case
	git -C "$STORE" show "main:$PLAN" | sed 's/^status: open/status: bogus/' | sneak_file "$PLAN"
	for f in yaml json; do
		run --separate-stderr plan-show B-2026-017 --format "$f"
		assert_failure 2
		assert_output ''
		assert_equal "${stderr_lines[0]}" "plan-show: $PLAN:3: status: \"bogus\" is not one of open, closed"
	done
	assert_store 5
}

# --- sealed parts (casus(7), SEALING) ---

# full_plan stored by Bram, of welzijn: psychosocial and the role agreement sealed for welzijn.
sealed_plan() {
	init_store
	new_case
	full_plan
	(as_bram && plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/full.yaml")
}

@test "plan-show shows what the key does not open as a marker, for whom and why" {
	sealed_plan
	run --separate-stderr plan-show B-2026-017
	assert_success
	assert_equal "$stderr" ''
	why="no consent or legal basis covers psychosocial from welzijn to dg-epi on 2026-11-29"
	assert_line "  welzijn            [sealed for welzijn: no consent or legal basis covers detention from welzijn to dg-epi on 2026-11-29] (bram@welzijn.example)"
	assert_line "      note: [sealed for welzijn: $why]"
	assert_line "      goal: [sealed for welzijn: $why] [welzijn, open]"
	assert_line "        action: [sealed for welzijn: $why] [welzijn, in-progress, due 2027-01-31]"
	refute_output --partial 'weekly'
	refute_output --partial 'leads psychosocial'
}

@test "plan-show --format json carries sealed_for and withheld on each part the key does not open" {
	sealed_plan
	run --separate-stderr plan-show B-2026-017 --format json
	assert_success
	json=$output
	why="no consent or legal basis covers psychosocial from welzijn to dg-epi on 2026-11-29"
	run jq -r '.domains.psychosocial | .sealed_for, .withheld, .note, .goals[0].text, .goals[0].actions[0].text' <<<"$json"
	assert_output - <<EOF
welzijn
$why
[sealed for welzijn: $why]
[sealed for welzijn: $why]
[sealed for welzijn: $why]
EOF
	run jq -c '.roles[0] | [.sealed_for, .withheld]' <<<"$json"
	assert_output '["welzijn","no consent or legal basis covers detention from welzijn to dg-epi on 2026-11-29"]'
	# A part the key opens, or one without text, carries neither.
	run jq -c '[.domains.education_employment, .domains.mental_health] | map(has("sealed_for") or has("withheld"))' <<<"$json"
	assert_output '[false,false]'
	grep -q 'weekly' <<<"$json" && fail "json shows a sealed text"
	true
}

@test "plan-show by a member without a key shows every sealed part as a marker, and no error" {
	sealed_plan
	unset CASUS_KEY
	[ ! -e "$HOME/.casus/id_ed25519" ]
	run --separate-stderr plan-show B-2026-017
	assert_success
	assert_equal "$stderr" ''
	assert_line --regexp '^      note: \[sealed for welzijn: .+\]$'
	assert_line --regexp '^  welzijn            \[sealed for welzijn: .+\] \(bram@welzijn.example\)$'
	refute_output --partial 'weekly'
	run --separate-stderr plan-show B-2026-017 --format json
	assert_success
	run jq -r '.domains.psychosocial.sealed_for' <<<"$output"
	assert_output welzijn
	# Writing still needs a key.
	run -2 plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/full.yaml"
	assert_output "plan-edit: cannot read key '$HOME/.casus/id_ed25519': it does not exist (make one with member-key --new, or set CASUS_KEY)"
}

@test "plan-show with a key it cannot use fails, and says why" {
	sealed_plan
	chmod 644 "$KEYS/ann"
	run --separate-stderr plan-show B-2026-017
	assert_failure 2
	assert_output ''
	assert_equal "$stderr" "plan-show: cannot read key '$KEYS/ann': permissions 0644 are too open (chmod 600 it)"
}
