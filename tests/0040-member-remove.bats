#!/usr/bin/env bats
# member-remove(1): marks a team member inactive; they can no longer write, their history stays.

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

@test "marks a member inactive from today, in one commit" {
	team_store
	as_bram
	export CASUS_TODAY=2027-02-01
	run --separate-stderr member-remove bram@welzijn.example -m "moved to another prison"
	assert_success
	assert_output ""
	assert_equal "$stderr" ""
	assert_store 4
	run case-config members.1
	assert_output "email: bram@welzijn.example
name: Bram Claes
partner: welzijn
role: consultant
active: false
since: '2026-11-29'
until: '2027-02-01'
keys:
- key: $(cat "$KEYS/bram.pub")
  since: '2026-11-29'"
	# The others are as they were.
	run case-config members.2.active
	assert_output true
	run git -C "$STORE" diff --numstat main~1 main
	assert_output "2	1	casus.yaml"
}

@test "the commit says who and why in its body and trailers, and names no one" {
	team_store
	as_bram
	member-remove bram@welzijn.example -m "moved to another prison"
	assert_store 4
	assert_equal "$(git -C "$STORE" log -1 --format='%an <%ae>|%s' main)" \
		"Bram Claes <bram@welzijn.example>|member-remove: deactivate team member"
	run git -C "$STORE" log -1 --format=%B main
	assert_output "member-remove: deactivate team member

moved to another prison

Member: bram@welzijn.example
Program: member-remove"
}

@test "a removed member can no longer write, and nothing changes" {
	team_store
	as_bram
	member-remove bram@welzijn.example
	before=$(head_commit)
	as_bram
	run new_case
	assert_failure 2
	assert_output --partial "cannot write as 'bram@welzijn.example': no longer an active team member"
	run member-add "Dora Dewulf" dora@welzijn.example --partner welzijn --key "$KEYS/dora.pub"
	assert_failure 2
	assert_output --partial "no longer an active team member"
	assert_store 4
	assert_equal "$(head_commit)" "$before"
	run case-config members.3
	assert_failure 1
}

@test "a removed member can still read" {
	team_store
	as_bram
	member-remove bram@welzijn.example
	as_bram
	run case-config members.1.active
	assert_success
	assert_output false
	assert_store 4
}

@test "removing a member who is already inactive succeeds without a commit" {
	team_store
	as_bram
	member-remove bram@welzijn.example
	as_ann
	export CASUS_TODAY=2027-03-01
	run --separate-stderr member-remove bram@welzijn.example -m "again"
	assert_success
	assert_output ""
	assert_equal "$stderr" ""
	assert_store 4
	run case-config members.1.until
	assert_output 2026-11-29
}

@test "an e-mail that is not registered is an error" {
	team_store
	run member-remove dora@welzijn.example
	assert_failure 2
	assert_output "member-remove: cannot remove member 'dora@welzijn.example': not a registered team member"
	assert_store 3
}

@test "the last active member cannot be removed" {
	team_store
	as_bram
	member-remove bram@welzijn.example
	as_chris
	member-remove chris@jh.example
	assert_store 5
	as_ann
	run member-remove ann@brugge.example
	assert_failure 2
	assert_output "member-remove: cannot remove member 'ann@brugge.example': the last active team member who can write"
	assert_store 5
	run case-config members.0.active
	assert_output true
}

@test "members may remove themselves while others remain" {
	team_store
	as_chris
	run member-remove chris@jh.example
	assert_success
	assert_store 4
	assert_equal "$(git -C "$STORE" log -1 --format='%ae' main)" chris@jh.example
	run member-remove bram@welzijn.example
	assert_failure 2
	assert_store 4
}

@test "their history stays: earlier commits keep them as author" {
	team_store
	as_bram
	member-add "Dora Dewulf" dora@welzijn.example --partner welzijn --key "$KEYS/dora.pub"
	member-remove bram@welzijn.example
	assert_store 5
	run git -C "$STORE" log --format='%an <%ae>|%s' main
	assert_output "Bram Claes <bram@welzijn.example>|member-remove: deactivate team member
Bram Claes <bram@welzijn.example>|member-add: register team member
Ann Peeters <ann@brugge.example>|member-add: register team member
Ann Peeters <ann@brugge.example>|member-add: register team member
Ann Peeters <ann@brugge.example>|case-init: create store"
	run case-config members.1.name
	assert_output "Bram Claes"
	# Dora, whom Bram registered, can still write.
	as_dora() { export GIT_AUTHOR_NAME="Dora Dewulf" GIT_AUTHOR_EMAIL=dora@welzijn.example CASUS_KEY="$KEYS/dora"; }
	as_dora
	run case-config members.3.role consultant
	assert_success
	assert_store 6
}

@test "someone who is not a member cannot remove anyone" {
	team_store
	as_eve
	run member-remove bram@welzijn.example
	assert_failure 2
	assert_output --partial "cannot write as '$(fingerprint eve)': the key is not registered to a member of this store"
	assert_store 3
	run case-config members.1.active
	assert_output true
}

@test "exactly one EMAIL is needed" {
	team_store
	run --separate-stderr member-remove
	assert_failure 2
	[[ $stderr == *"expected one EMAIL"* ]]
	run --separate-stderr member-remove bram@welzijn.example chris@jh.example
	assert_failure 2
	[[ $stderr == *"expected one EMAIL"* ]]
	assert_store 3
}

@test "member-remove names the member as registered, however the address was typed" {
	team_store
	as_bram
	run member-remove Bram@Welzijn.EXAMPLE
	assert_success
	run git -C "$STORE" log -1 --format=%B
	assert_line "Member: bram@welzijn.example"
	run case-config members.1.active
	assert_output false
}

@test "R2: the last active member with a key cannot be removed, though members without one are active" {
	team_store
	# Bram and Chris as registered before keys existed: no keys.
	sneak "sed -i '/^- email: bram@welzijn.example/,\$ { /^  keys:/,/^    since:/d }' casus.yaml"
	run member-remove ann@brugge.example
	assert_failure 2
	assert_output "member-remove: cannot remove member 'ann@brugge.example': the last active team member who can write"
	run case-config members.0.active false
	assert_failure 2
	assert_line "case-config: casus.yaml:39: members: no active member with a current key: nobody could write to the store"
	assert_store 4
	run case-config members.0.active
	assert_output true
}

@test "the last member who can write cannot be removed, though members git cannot write as are active" {
	team_store
	sneak "sed -i 's/^- email: bram@welzijn.example/- email: bram<x>@welzijn.example/; s/^- email: chris@jh.example/- email: chris@jh.example>/' casus.yaml"
	run member-remove ann@brugge.example
	assert_failure 2
	assert_output "member-remove: cannot remove member 'ann@brugge.example': the last active team member who can write"
	run case-config members.0.active false
	assert_failure 2
	assert_line "case-config: casus.yaml:39: members: no active member whose name and address git can write with: nobody could write to the store"
	assert_store 4
	run case-config members.0.active
	assert_output true
}
