#!/usr/bin/env bats
# member-add(1): registers a fixed team member and their public key, with which they may then
# write; one commit that names no one.

bats_require_minimum_version 1.5.0
load helpers

# A store made by case-init alone, Ann its only member; made once per file (in a subshell, so
# nothing leaks) and copied for every test, so each test still has a store of its own.
setup_file() {
	(BATS_TEST_TMPDIR=$BATS_FILE_TMPDIR && setup &&
		case-init "$STORE" --institution Brugge --partner dg-epi --role "psychosocial service" >/dev/null)
}

ann_store() {
	cp -a "$BATS_FILE_TMPDIR/store" "$STORE"
	export CASUS_REPO="$STORE"
}

add_bram() {
	member-add "Bram Claes" bram@welzijn.example --partner welzijn --role consultant --key "$KEYS/bram.pub" "$@"
}

@test "registers a member in one commit" {
	ann_store
	run --separate-stderr add_bram
	assert_success
	assert_output ""
	assert_equal "$stderr" ""
	assert_store 2
	run case-config members.1
	assert_success
	assert_output "email: bram@welzijn.example
name: Bram Claes
partner: welzijn
role: consultant
active: true
since: '2026-11-29'
keys:
- key: $(cat "$KEYS/bram.pub")
  since: '2026-11-29'"
	run case-config members.1.email
	assert_output bram@welzijn.example
	assert_equal "$(git -C "$STORE" log -1 --format='%an <%ae>|%s' main)" \
		"Ann Peeters <ann@brugge.example>|member-add: register team member"
}

@test "the commit names the member's e-mail and partner in trailers, never their name" {
	ann_store
	add_bram -m "new consultant for the psychosocial domain"
	assert_store 2
	run git -C "$STORE" log -1 --format='%(trailers:key=Member,valueonly)%(trailers:key=Partner,valueonly)%(trailers:key=Program,valueonly)' main
	assert_output "bram@welzijn.example
welzijn
member-add"
	run git -C "$STORE" log -1 --format=%b main
	assert_line --index 0 "new consultant for the psychosocial domain"
	run git -C "$STORE" log --format=%B main
	refute_output --partial "Bram"
	refute_output --partial "Claes"
}

@test "a new member can write at once" {
	ann_store
	add_bram
	as_bram
	# A colleague of the same partner: its members are its own to add (casus(7), AUTHORITY).
	run member-add "Dora Dewulf" dora@welzijn.example --partner welzijn --key "$KEYS/dora.pub"
	assert_success
	assert_store 3
	assert_equal "$(git -C "$STORE" log -1 --format='%an <%ae>' main)" "Bram Claes <bram@welzijn.example>"
	run case-config members.2.email
	assert_output dora@welzijn.example
}

@test "an e-mail already registered is refused" {
	ann_store
	add_bram
	run member-add "B. Claes" bram@welzijn.example --partner welzijn --key "$KEYS/bram.pub"
	assert_failure 2
	assert_output "member-add: cannot add member 'bram@welzijn.example': already registered"
	assert_store 2
	run case-config members.1.name
	assert_output "Bram Claes"
}

@test "an unknown partner is refused, with the partners it knows" {
	ann_store
	run member-add "Dirk Politie" dirk@politie.example --partner politie --key "$KEYS/dirk.pub"
	assert_failure 2
	assert_output --partial "unknown partner 'politie'"
	assert_output --partial "(known: dg-epi, justitiehuizen, welzijn)"
	assert_store 1
}

@test "an e-mail without @ is refused" {
	ann_store
	run member-add "Bram Claes" bram.welzijn.example --partner welzijn --key "$KEYS/dina.pub"
	assert_failure 2
	assert_output --partial "member-add: cannot add member"
	assert_output --partial "bram.welzijn.example"
	assert_store 1
	run case-config members.1
	assert_failure 1
}

@test "a name with control characters is refused" {
	ann_store
	run member-add "$(printf 'Bram\033[2J Claes')" bram@welzijn.example --partner welzijn --key "$KEYS/bram.pub"
	assert_failure 2
	assert_output --partial "control characters"
	run member-add "$(printf 'Bram\nClaes')" bram@welzijn.example --partner welzijn --key "$KEYS/bram.pub"
	assert_failure 2
	assert_output --partial "control characters"
	assert_store 1
}

@test "an e-mail with control characters is refused, and the store stays readable" {
	ann_store
	run member-add "Bram Claes" $'bram\e[2J@welzijn.example' --partner welzijn --key "$KEYS/dina.pub"
	assert_failure 2
	assert_output --partial "control characters"
	assert_store 1
	run case-config members.0.email
	assert_success
	assert_output ann@brugge.example
}

@test "a missing --partner is a usage error" {
	ann_store
	run --separate-stderr member-add "Bram Claes" bram@welzijn.example
	assert_failure 2
	assert_output ""
	[[ $stderr == *"--partner is required"* ]]
	[[ $stderr == *"usage: member-add"* ]]
	assert_store 1
}

@test "NAME and EMAIL are both needed, and nothing more" {
	ann_store
	run --separate-stderr member-add bram@welzijn.example --partner welzijn --key "$KEYS/bram.pub"
	assert_failure 2
	[[ $stderr == *"expected NAME and EMAIL"* ]]
	run --separate-stderr member-add Bram Claes bram@welzijn.example --partner welzijn --key "$KEYS/bram.pub"
	assert_failure 2
	[[ $stderr == *"expected NAME and EMAIL"* ]]
	assert_store 1
}

@test "someone who is not a member cannot register anyone, themselves included" {
	ann_store
	before=$(head_commit)
	as_eve
	run member-add "Eve Outsider" eve@elsewhere.example --partner welzijn --key "$KEYS/eve.pub"
	assert_failure 2
	assert_output "member-add: cannot write as '$(fingerprint eve)': the key is not registered to a member of this store"
	assert_store 1
	assert_equal "$(head_commit)" "$before"
	run case-config members.1
	assert_failure 1
}

@test "an e-mail already registered in other capitals is the same member" {
	ann_store
	add_bram
	run --separate-stderr member-add "Bram Claes" Bram@Welzijn.example --partner welzijn --key "$KEYS/bram.pub"
	assert_failure 2
	assert_equal "$stderr" "member-add: cannot add member 'Bram@Welzijn.example': already registered"
	assert_store 2
	# And the key decides who writes, whatever spelling git is told.
	as_bram
	GIT_AUTHOR_NAME="Bram Claes" GIT_AUTHOR_EMAIL=BRAM@welzijn.example run member-add "Dora Dewulf" dora@welzijn.example --partner welzijn --key "$KEYS/dora.pub"
	assert_success
	assert_store 3
	assert_equal "$(git -C "$STORE" log -1 --format='%an <%ae>')" "Bram Claes <bram@welzijn.example>"
}

@test "an e-mail git cannot write with is refused: '<' or '>' in it" {
	ann_store
	run member-add "Al Bert" 'a<b@x.example' --partner welzijn --key "$KEYS/dina.pub"
	assert_failure 2
	assert_output "member-add: casus.yaml: members[1]: cannot write as 'a<b@x.example': the address has '<' or '>'
member-add: cannot add member 'a<b@x.example': 1 problem"
	run member-add "Al Bert" 'al@x.example>' --partner welzijn --key "$KEYS/dina.pub"
	assert_failure 2
	assert_output --partial "cannot write as 'al@x.example>'"
	assert_store 1
	run case-config members.1.email
	assert_failure 1
}

@test "R2: --key is required: a member without a key cannot write" {
	ann_store
	run --separate-stderr member-add "Bram Claes" bram@welzijn.example --partner welzijn
	assert_failure 2
	assert_output ""
	[[ $stderr == "member-add: --key is required: a member without a key cannot write"* ]] ||
		fail "stderr: $stderr"
	assert_store 1
}

@test "R2: --key takes the public-key line itself as well as a file" {
	ann_store
	member-add "Bram Claes" bram@welzijn.example --partner welzijn --key "$(cat "$KEYS/bram.pub")"
	assert_equal "$(case-config members.1.keys.0.key)" "$(cat "$KEYS/bram.pub")"
	as_bram
	run member-add "Dora Dewulf" dora@welzijn.example --partner welzijn --key "$KEYS/dora.pub"
	assert_success
	assert_equal "$(git -C "$STORE" log -1 --format='%an <%ae>|%G?')" "Bram Claes <bram@welzijn.example>|G"
}

@test "R2: a key that is not an ssh-ed25519 public key is refused, nothing stored" {
	ann_store
	run --separate-stderr member-add "Bram Claes" bram@welzijn.example --partner welzijn \
		--key "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ bram@welzijn.example"
	assert_failure 2
	assert_equal "$stderr" "member-add: casus.yaml: members[1].keys[0]: the key cannot be read: it is not an ssh-ed25519 public key
member-add: cannot add member 'bram@welzijn.example': 1 problem"
	assert_store 1
}

@test "R2: a key already registered to another member is refused: a key is one person's" {
	ann_store
	run --separate-stderr member-add "Bram Claes" bram@welzijn.example --partner welzijn --key "$KEYS/ann.pub"
	assert_failure 2
	assert_equal "$stderr" "member-add: casus.yaml: members[1].keys[0]: the key is also registered to 'ann@brugge.example' (a key is one person's)
member-add: cannot add member 'bram@welzijn.example': 1 problem"
	assert_store 1
}

@test "R2: a --key file that cannot be read is refused before anything is written" {
	ann_store
	run --separate-stderr member-add "Bram Claes" bram@welzijn.example --partner welzijn --key "$BATS_TEST_TMPDIR/no.pub"
	assert_failure 2
	[[ $stderr == "member-add: cannot read '$BATS_TEST_TMPDIR/no.pub'"* ]] || fail "stderr: $stderr"
	assert_store 1
}
