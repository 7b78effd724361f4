#!/usr/bin/env bats
# case-config(1): reads the store's settings by dotted path, and changes them, validated whole,
# in one commit or not at all.

bats_require_minimum_version 1.5.0
load helpers

# The team store of helpers.bash is made once per file (in a subshell, so nothing leaks) and
# copied for every test: each test still has its own store, at a third of the cost.
setup_file() {
	(BATS_TEST_TMPDIR=$BATS_FILE_TMPDIR && setup && init_store)
}

team_store() {
	cp -a "$BATS_FILE_TMPDIR/store" "$STORE"
	export CASUS_REPO="$STORE"
}

settings() {
	git -C "$STORE" show main:casus.yaml
}

# The line of casus.yaml at the tip that matches a fixed string (the first one).
line_of() {
	settings | grep -n -F -m 1 -- "$1" | cut -d: -f1
}

# A copy of the settings at the tip, changed by a sed script, in $BATS_TEST_TMPDIR/new.yaml.
edited() {
	settings | sed "$1" >"$BATS_TEST_TMPDIR/new.yaml"
}

# An editor for --edit that breaks the file the first time it runs and saves it unchanged
# after that, as a user who gives up does. It counts its runs in $BATS_TEST_TMPDIR/runs.
breaking_editor() {
	cat >"$BATS_TEST_TMPDIR/editor" <<-'EOF'
	#!/bin/sh
	runs=$(cat "$BATS_TEST_TMPDIR/runs" 2>/dev/null || echo 0)
	runs=$((runs + 1))
	echo "$runs" >"$BATS_TEST_TMPDIR/runs"
	cp "$1" "$BATS_TEST_TMPDIR/shown.$runs"
	[ "$runs" -eq 1 ] && sed -i 's/^  cadence: .*/  cadence: 6x/' "$1"
	exit 0
	EOF
	chmod +x "$BATS_TEST_TMPDIR/editor"
	export BATS_TEST_TMPDIR
	export EDITOR="$BATS_TEST_TMPDIR/editor"
}

@test "without KEY it prints the whole file" {
	team_store
	run --separate-stderr case-config
	assert_success
	assert_output "$(settings)"
	assert_line "institution: Brugge"
	assert_equal "$stderr" ""
	assert_store 3
}

@test "with KEY it prints one value" {
	team_store
	run case-config overleg.cadence
	assert_success
	assert_output 6w
	run case-config partners.welzijn.shares_under_458ter
	assert_success
	assert_output false
	run case-config members.0.email
	assert_success
	assert_output ann@brugge.example
	run case-config members.2.partner
	assert_success
	assert_output justitiehuizen
	assert_store 3
}

@test "a KEY that names a map prints it as YAML" {
	team_store
	run case-config overleg
	assert_success
	assert_output "cadence: '6w'
pre_leave_lead: '3m'"
}

@test "an unknown KEY exits 1 and prints nothing" {
	team_store
	run --separate-stderr case-config overleg.nope
	assert_failure 1
	assert_output ""
	assert_equal "$stderr" ""
	run --separate-stderr case-config members.9.email
	assert_failure 1
	assert_output ""
	assert_equal "$stderr" ""
	assert_store 3
}

@test "a KEY with an empty part or another character is refused, read or set, and nothing stored" {
	team_store
	for key in overleg..cadence .overleg.cadence overleg.cadence. . '' 'overleg.cad ence' \
		$'overleg.cadence\nCase-Id: X'; do
		run -2 --separate-stderr case-config "$key" 8w
		assert_output ""
		assert_regex "$stderr" "^case-config: cannot use key '.*': it must be names or list indexes of letters, digits, '-' and '_', joined by single dots$"
		run -2 case-config "$key"
	done
	assert_store 3
}

@test "KEY VALUE sets it in one commit with the key in a trailer" {
	team_store
	run --separate-stderr case-config overleg.cadence 8w
	assert_success
	assert_output ""
	assert_store 4
	run case-config overleg.cadence
	assert_output 8w
	assert_equal "$(git -C "$STORE" log -1 --format=%s main)" "case-config: set setting"
	assert_equal "$(git -C "$STORE" log -1 --format='%(trailers:key=Setting,valueonly)' main)" overleg.cadence
	assert_equal "$(git -C "$STORE" log -1 --format='%(trailers:key=Program,valueonly)' main)" case-config
	assert_equal "$(git -C "$STORE" log -1 --format='%an <%ae>' main)" "Ann Peeters <ann@brugge.example>"
	# Only the one line changed.
	run git -C "$STORE" diff --numstat main~1 main
	assert_output "1	1	casus.yaml"
}

@test "-m puts the reason in the body of the commit" {
	team_store
	run case-config overleg.cadence 4w -m "the team meets more often during the first year"
	assert_success
	assert_store 4
	assert_equal "$(git -C "$STORE" log -1 --format=%b main | head -n 1)" \
		"the team meets more often during the first year"
}

@test "R11: true for shares_under_458ter is the switch, not text: a period since today" {
	team_store
	run case-config partners.dg-epi.shares_under_458ter true
	assert_success
	assert_store 4
	run case-config partners.dg-epi.shares_under_458ter
	assert_output "- since: '2026-11-29'"
	run settings
	assert_output --partial "$(printf 'dg-epi:\n    name: DG EPI, prison administration, including its psychosocial service\n    shares_under_458ter:\n    - since:')"
	refute_output --partial "shares_under_458ter: 'true'"
}

@test "true for a text setting is stored as the text 'true'" {
	team_store
	run case-config partners.welzijn.name true
	assert_success
	assert_store 4
	run case-config partners.welzijn.name
	assert_output true
	run settings
	assert_line "    name: 'true'"
}

@test "an invalid cadence is refused with its path and line, and nothing is stored" {
	team_store
	line=$(line_of "cadence:")
	before=$(head_commit)
	run case-config overleg.cadence 6x
	assert_failure 2
	assert_output --partial "case-config: casus.yaml:$line: overleg.cadence: \"6x\""
	assert_output --partial "nothing stored"
	assert_store 3
	assert_equal "$(head_commit)" "$before"
	run case-config overleg.cadence
	assert_output 6w
}

@test "another version is refused with its path, and nothing is stored" {
	team_store
	run case-config version 2
	assert_failure 2
	assert_output --partial "casus.yaml:1: version: must be 1"
	assert_store 3
	run case-config version
	assert_output 1
}

@test "a new unknown top-level key is refused, and nothing is stored" {
	team_store
	run case-config colour blue
	assert_failure 2
	assert_output --partial "unexpected property 'colour'"
	assert_output --partial "nothing stored"
	assert_store 3
	run case-config colour
	assert_failure 1
}

@test "a member's e-mail that is not one is refused with the member's path" {
	team_store
	line=$(line_of "email: bram@")
	run case-config members.1.email bram.welzijn.example
	assert_failure 2
	assert_output --partial "casus.yaml:$line: members[1].email: \"bram.welzijn.example\""
	assert_store 3
	run case-config members.1.email
	assert_output bram@welzijn.example
}

@test "setting the value it already has makes no commit" {
	team_store
	run case-config overleg.cadence 6w -m "no change"
	assert_success
	assert_output ""
	assert_store 3
}

@test "--file replaces the whole file in one commit" {
	team_store
	edited 's/^  cadence: .*/  cadence: 8w/; s/^institution: Brugge/institution: Brugge-Oost/'
	run case-config --file "$BATS_TEST_TMPDIR/new.yaml" -m "new building"
	assert_success
	assert_output ""
	assert_store 4
	run case-config institution
	assert_output Brugge-Oost
	run case-config overleg.cadence
	assert_output 8w
	assert_equal "$(git -C "$STORE" log -1 --format=%s main)" "case-config: replace settings"
	assert_equal "$(git -C "$STORE" log -1 --format=%b main | head -n 1)" "new building"
}

@test "--file with the same settings makes no commit" {
	team_store
	settings >"$BATS_TEST_TMPDIR/same.yaml"
	run case-config --file "$BATS_TEST_TMPDIR/same.yaml"
	assert_success
	assert_store 3
}

@test "--file stores the canonical form, not the bytes given" {
	team_store
	# The same settings with the keys in another order and a comment.
	{ echo "# from the coordinator"; settings | sed -n '/^members:/,$p'; settings | sed '/^members:/,$d'; } \
		>"$BATS_TEST_TMPDIR/reordered.yaml"
	run case-config --file "$BATS_TEST_TMPDIR/reordered.yaml"
	assert_success
	assert_store 3
}

@test "--file - reads the settings from standard input" {
	team_store
	edited 's/^  pre_leave_lead: .*/  pre_leave_lead: 2m/'
	run case-config --file - <"$BATS_TEST_TMPDIR/new.yaml"
	assert_success
	assert_store 4
	run case-config overleg.pre_leave_lead
	assert_output 2m
}

@test "--file with YAML that does not parse is refused with its line" {
	team_store
	edited 's/^version: 1/version: [1/'
	run case-config --file "$BATS_TEST_TMPDIR/new.yaml"
	assert_failure 2
	assert_output --regexp "case-config: casus\.yaml:[0-9]+: "
	assert_output --partial "cannot replace the settings: 1 problem, nothing stored"
	assert_store 3
}

@test "--file with a duplicate key is refused with its line" {
	team_store
	edited 's/^institution: Brugge/institution: Brugge\ninstitution: Gent/'
	run case-config --file "$BATS_TEST_TMPDIR/new.yaml"
	assert_failure 2
	assert_output --partial "casus.yaml:3: duplicate key 'institution'"
	assert_store 3
	run case-config institution
	assert_output Brugge
}

@test "--file with an anchor or an alias is refused with its line" {
	team_store
	edited 's/^  cadence: .*/  cadence: \&c 6w/; s/^  pre_leave_lead: .*/  pre_leave_lead: *c/'
	run case-config --file "$BATS_TEST_TMPDIR/new.yaml"
	assert_failure 2
	assert_output --partial "casus.yaml:$(line_of "cadence:"): overleg.cadence: anchors are not allowed"
	edited 's/^  pre_leave_lead: .*/  pre_leave_lead: *c/'
	run case-config --file "$BATS_TEST_TMPDIR/new.yaml"
	assert_failure 2
	assert_output --partial "casus.yaml:$(line_of "pre_leave_lead:"): overleg.pre_leave_lead: aliases are not allowed"
	assert_store 3
}

@test "--file with a member of an unknown partner is refused with the member's line" {
	team_store
	edited 's/^  partner: welzijn/  partner: politie/'
	run case-config --file "$BATS_TEST_TMPDIR/new.yaml"
	assert_failure 2
	assert_output --partial "casus.yaml:$(line_of "partner: welzijn"): members[1]: unknown partner 'politie'"
	assert_store 3
}

@test "--file with no active member is refused: nobody could write again" {
	team_store
	edited 's/^  active: true/  active: false/'
	run case-config --file "$BATS_TEST_TMPDIR/new.yaml"
	assert_failure 2
	assert_output --partial "casus.yaml:$(line_of "- email: ann@"): members: no active member"
	assert_store 3
}

@test "--edit stores what the editor saved, in one commit" {
	team_store
	export EDITOR="sed -i s/6w/8w/"
	run case-config --edit -m "meet more often"
	assert_success
	assert_store 4
	run case-config overleg.cadence
	assert_output 8w
	assert_equal "$(git -C "$STORE" log -1 --format=%s main)" "case-config: replace settings"
	assert_equal "$(git -C "$STORE" log -1 --format=%b main | head -n 1)" "meet more often"
	# The file it edited is gone.
	run find "$STORE" "$XDG_RUNTIME_DIR" -name 'casus-edit-*'
	assert_output ""
}

@test "--edit that breaks the file and then gives up stores nothing and exits 1" {
	team_store
	breaking_editor
	run case-config --edit
	assert_failure 1
	assert_output --partial "case-config: cannot replace the settings: the file was saved unchanged, nothing stored"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/runs")" 2
	# The second time the editor was shown the problem above the file.
	run head -n 2 "$BATS_TEST_TMPDIR/shown.2"
	assert_line --index 0 --partial "#! case-config: casus.yaml is not valid"
	assert_line --index 1 --partial "overleg.cadence"
	assert_store 3
	run case-config overleg.cadence
	assert_output 6w
	run find "$STORE" "$XDG_RUNTIME_DIR" -name 'casus-edit-*'
	assert_output ""
}

@test "--edit with an editor that fails stores nothing" {
	team_store
	export EDITOR="sed -i s/6w/8w/ \"\$1\"; false"
	run case-config --edit
	assert_failure 2
	assert_output --partial "the editor"
	assert_store 3
	run case-config overleg.cadence
	assert_output 6w
}

@test "someone who is not a member cannot change the settings" {
	team_store
	as_eve
	run case-config overleg.cadence 8w
	assert_failure 2
	assert_output --partial "cannot write as '$(fingerprint eve)': the key is not registered to a member of this store"
	assert_store 3
	edited 's/6w/8w/'
	run case-config --file "$BATS_TEST_TMPDIR/new.yaml"
	assert_failure 2
	assert_output "case-config: cannot write as '$(fingerprint eve)': the key is not registered to a member of this store"
	assert_store 3
}

@test "someone who may not write is refused before the editor opens" {
	team_store
	export EDITOR="touch '$BATS_TEST_TMPDIR/editor-ran'; sed -i s/6w/8w/"
	as_eve
	run case-config --edit
	assert_failure 2
	assert_output "case-config: cannot write as '$(fingerprint eve)': the key is not registered to a member of this store"
	[ ! -e "$BATS_TEST_TMPDIR/editor-ran" ]
	assert_store 3
	run find "$STORE" "$XDG_RUNTIME_DIR" -name 'casus-edit-*'
	assert_output ""
}

@test "a member who is no longer active cannot change the settings" {
	team_store
	as_bram
	member-remove bram@welzijn.example
	assert_store 4
	as_bram
	run case-config overleg.cadence 8w
	assert_failure 2
	assert_output --partial "cannot write as 'bram@welzijn.example': no longer an active team member"
	assert_store 4
	run case-config overleg.cadence
	assert_output 6w
}

@test "reading needs no membership" {
	team_store
	as_eve
	run case-config overleg.cadence
	assert_success
	assert_output 6w
	run case-config
	assert_success
	assert_line "institution: Brugge"
	assert_store 3
}

@test "a value with control characters is refused" {
	team_store
	run case-config institution "$(printf 'Brugge\033[2J')"
	assert_failure 2
	assert_output --partial "cannot set 'institution'"
	assert_store 3
}

@test "case-config --edit never overwrites a change made while the editor was open, and keeps the edit" {
	team_store
	cat >"$BATS_TEST_TMPDIR/ed" <<ED
#!/bin/sh
sed -i 's/6w/8w/' "\$1"
CASUS_KEY="$KEYS/chris" member-add "Dana Wouters" dana@jh.example --partner justitiehuizen -C "$STORE" --key "$KEYS/dana.pub"
ED
	chmod +x "$BATS_TEST_TMPDIR/ed"
	run --separate-stderr env EDITOR="$BATS_TEST_TMPDIR/ed" case-config --edit
	assert_failure 2
	assert_output ''
	[[ "$stderr" == *"cannot replace the settings: someone else changed them while you edited them"* ]]
	[[ "$stderr" == *"your version is kept in '"* ]]
	kept=$(printf '%s\n' "$stderr" | sed -n "s/.*your version is kept in '\(.*\)'/\1/p")
	grep -q "cadence: '8w'" "$kept"
	rm "$kept"
	run case-config members.3.email
	assert_output dana@jh.example
	run case-config overleg.cadence
	assert_output 6w
	assert_store 4
}

@test "a change that would make a stored plan fail case-validate is refused, naming the case and the problem" {
	team_store
	new_case
	run case-config members.1.partner justitiehuizen
	assert_failure 2
	assert_output "case-config: cases/e7/B-2026-017/plan.yaml:15: team.welzijn[0]: 'bram@welzijn.example' is a member for justitiehuizen, not welzijn
case-config: cannot change the settings: 1 case would no longer pass case-validate (B-2026-017), nothing stored"
	assert_store 4
	run case-config members.1.partner
	assert_output welzijn
	run case-validate
	assert_success
}

@test "--file that drops a category a consent record names is refused" {
	team_store
	new_case
	as_bram
	consent-record B-2026-017 --from welzijn,justitiehuizen --told consent-leaflet --language nl --to dg-epi --categories security --purpose casusoverleg \
		--date 2026-02-01 --informed >/dev/null
	edited '/^  security:$/,+1d'
	run case-config --file "$BATS_TEST_TMPDIR/new.yaml"
	assert_failure 2
	assert_line --regexp "^case-config: cases/e7/B-2026-017/consent/c-20260201-[0-9a-f]{6}\.yaml:[0-9]+: categories: unknown category 'security' \(known: [a-z_, ]+\)$"
	assert_line "case-config: cannot change the settings: 1 case would no longer pass case-validate (B-2026-017), nothing stored"
	assert_store 5
	run case-validate
	assert_success
}

@test "a change that breaks no case is stored, even where cases are read to know it" {
	team_store
	new_case
	case-config partners.politie.name 'federal police'
	edited '/^  politie:$/,+1d'
	run case-config --file "$BATS_TEST_TMPDIR/new.yaml"
	assert_success
	assert_output ''
	assert_store 6
}

@test "a case that fails case-validate already does not block a change" {
	team_store
	new_case
	new_case B-2026-018
	sneak "sed -i 's/- chris@jh.example/- eve@elsewhere.example/' cases/*/B-2026-018/plan.yaml"
	# A member's own settings are their partner's to change (casus(7), AUTHORITY).
	as_bram
	run case-config members.1.email bram@welzijn.example.org
	assert_failure 2
	assert_output --partial "(B-2026-017)"
	git -C "$STORE" show main:cases/e7/B-2026-017/plan.yaml >"$BATS_TEST_TMPDIR/plan.yaml"
	sed -i '/^  welzijn:$/,+1d' "$BATS_TEST_TMPDIR/plan.yaml"
	plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/plan.yaml"
	run case-config members.1.email bram@welzijn.example.org
	assert_success
	assert_store 8
	run case-validate
	assert_failure 1
	assert_output --partial "B-2026-018/plan.yaml"
}

@test "a refusal shows the problems of ten cases and counts the rest" {
	team_store
	for i in $(seq -w 1 12); do
		plan-new "B-2026-1$i" --institution Brugge --detention-start 2026-01-10 \
			--team welzijn=bram@welzijn.example
	done
	run case-config members.1.partner dg-epi
	assert_failure 2
	assert_equal "${#lines[@]}" 12
	assert_line --index 0 --regexp "^case-config: cases/[0-9a-f]{2}/B-2026-101/plan\.yaml:[0-9]+: team\.welzijn\[0\]: 'bram@welzijn\.example' is a member for dg-epi, not welzijn$"
	assert_line --index 10 "case-config: 2 more problems not shown"
	assert_line --index 11 "case-config: cannot change the settings: 12 cases would no longer pass case-validate (B-2026-101, B-2026-102, B-2026-103, B-2026-104, B-2026-105, B-2026-106, B-2026-107, B-2026-108, B-2026-109, B-2026-110 and 2 more), nothing stored"
	assert_store 15
}
