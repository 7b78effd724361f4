#!/usr/bin/env bats
# case-init(1): creates a store, registers the runner, and leaves nothing behind when it fails.

bats_require_minimum_version 1.5.0
load helpers

init() {
	case-init "$STORE" --institution Brugge --partner dg-epi --role "psychosocial service" "$@"
}

# The settings as stored at the tip of the branch.
settings() {
	git -C "$STORE" show main:casus.yaml
}

@test "creates a bare store and prints its path" {
	run --separate-stderr init
	assert_success
	assert_output "$STORE"
	assert_equal "$stderr" ""
	assert_equal "$(git -C "$STORE" rev-parse --is-bare-repository)" true
	assert_equal "$(git -C "$STORE" symbolic-ref HEAD)" refs/heads/main
	assert_equal "$(git -C "$STORE" ls-tree --name-only main)" casus.yaml
	assert_store 1
}

@test "casus.yaml holds the institution and the three partners, none sharing under 458ter" {
	init >/dev/null
	assert_store 1
	run case-config -C "$STORE" institution
	assert_success
	assert_output Brugge
	run case-config -C "$STORE" version
	assert_output 1
	for p in dg-epi welzijn justitiehuizen; do
		run case-config -C "$STORE" partners.$p.shares_under_458ter
		assert_success
		assert_output false
		run case-config -C "$STORE" partners.$p.name
		assert_success
		refute_output ""
	done
	run case-config -C "$STORE" partners
	assert_equal "$(printf '%s\n' "$output" | grep -c '^[a-z]')" 3
	run settings
	assert_equal "$(printf '%s\n' "$output" | grep -c 'shares_under_458ter: false$')" 3
	refute_output --partial 'shares_under_458ter: true'
}

@test "casus.yaml holds a category per life domain plus detention, security and reintegration" {
	init >/dev/null
	assert_store 1
	for d in psychosocial education_employment mental_health social_context alternative_discourse; do
		run case-config -C "$STORE" categories.$d.domain
		assert_success
		assert_output "$d"
	done
	for c in detention security reintegration; do
		run case-config -C "$STORE" categories.$c.description
		assert_success
		refute_output ""
		run case-config -C "$STORE" categories.$c.domain
		assert_failure 1
		assert_output ""
	done
	run case-config -C "$STORE" categories
	assert_equal "$(printf '%s\n' "$output" | grep -c '^[a-z]')" 8
}

@test "casus.yaml holds the overleg cadence and a pre-leave lead of 3 months" {
	init >/dev/null
	assert_store 1
	run case-config -C "$STORE" overleg.cadence
	assert_success
	assert_output 6w
	run case-config -C "$STORE" overleg.pre_leave_lead
	assert_success
	assert_output 3m
}

@test "the runner is the first and only member, active since today, an administrator, with their key" {
	init >/dev/null
	assert_store 1
	run case-config -C "$STORE" members
	assert_success
	assert_output "- email: ann@brugge.example
  name: Ann Peeters
  partner: dg-epi
  role: psychosocial service
  active: true
  admin: true
  since: '2026-11-29'
  keys:
  - key: $(cat "$KEYS/ann.pub")
    since: '2026-11-29'"
}

@test "R2: the first member's key is the running user's, with the git identity as name and address" {
	export CASUS_KEY="$KEYS/gina"
	GIT_AUTHOR_NAME="Gina Globaal" GIT_AUTHOR_EMAIL=gina@brugge.example init >/dev/null
	assert_equal "$(case-config -C "$STORE" members.0.keys.0.key)" \
		"$(cut -d' ' -f1,2 "$KEYS/gina.pub") gina@brugge.example"
	run git -C "$STORE" verify-commit main
	assert_success
	assert_output "Good \"git\" signature for gina@brugge.example with ED25519 key $(fingerprint gina)"
}

@test "R2: without a key case-init says how to make one and leaves no directory behind" {
	export CASUS_KEY="$BATS_TEST_TMPDIR/none"
	run --separate-stderr init
	assert_failure 2
	assert_output ""
	assert_equal "$stderr" "case-init: cannot read key '$BATS_TEST_TMPDIR/none': it does not exist (make one with member-key --new, or set CASUS_KEY)"
	[ ! -e "$STORE" ]
}

@test "R2: a key others may read is refused by case-init and no directory is left behind" {
	chmod 640 "$KEYS/ann"
	run --separate-stderr init
	assert_failure 2
	assert_equal "$stderr" "case-init: cannot read key '$KEYS/ann': permissions 0640 are too open (chmod 600 it)"
	[ ! -e "$STORE" ]
}

@test "one commit, by the runner, with subject and trailers and no name" {
	init >/dev/null
	assert_store 1
	assert_equal "$(git -C "$STORE" log -1 --format='%an <%ae>|%cn <%ce>' main)" \
		"Ann Peeters <ann@brugge.example>|Ann Peeters <ann@brugge.example>"
	assert_equal "$(git -C "$STORE" log -1 --format=%s main)" "case-init: create store"
	run git -C "$STORE" log -1 --format='%(trailers:key=Program,valueonly)' main
	assert_output case-init
	run git -C "$STORE" log -1 --format=%B main
	refute_output --partial "Ann Peeters"
	refute_output --partial "Brugge"
}

@test "nothing in the store is world-readable, even with umask 000" {
	umask 000
	run init
	assert_success
	assert_store 1
	# A few more writes under the same umask, and git's own repacking.
	as_ann
	member-add -C "$STORE" "Bram Claes" bram@welzijn.example --partner welzijn --key "$KEYS/bram.pub"
	git -C "$STORE" gc --quiet
	umask 022
	assert_store 2
	run find "$STORE" -perm /o=rwx
	assert_success
	assert_output ""
	run find "$STORE" ! -type l -perm /o=r
	assert_output ""
	run stat -c %a "$STORE"
	assert_output 2770
}

@test "an existing directory that is not empty is refused and left untouched" {
	mkdir "$STORE"
	echo notes >"$STORE/notes.txt"
	run init
	assert_failure 2
	assert_output --partial "case-init: cannot create store '$STORE'"
	assert_output --partial "not empty"
	assert_equal "$(ls -A "$STORE")" notes.txt
	assert_equal "$(cat "$STORE/notes.txt")" notes
}

@test "an existing empty directory becomes the store" {
	mkdir "$STORE"
	run init
	assert_success
	assert_output "$STORE"
	assert_store 1
	run case-config -C "$STORE" members.0.email
	assert_output ann@brugge.example
}

@test "an unknown partner is refused and no directory is left behind" {
	run case-init "$STORE" --institution Brugge --partner police
	assert_failure 2
	assert_output --partial "case-init: cannot use partner 'police'"
	assert_output --partial "dg-epi, welzijn, justitiehuizen"
	[ ! -e "$STORE" ]
}

@test "with no git identity at all it says how to set one and leaves no directory behind" {
	unset GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL
	rm -f "$HOME/.gitconfig"
	run --separate-stderr init
	assert_failure 2
	assert_output ""
	[[ $stderr == *"case-init: cannot find who you are"* ]]
	[[ $stderr == *"GIT_AUTHOR_NAME"* ]]
	[[ $stderr == *"user.name"* ]]
	[ ! -e "$STORE" ]
}

@test "with no git identity an existing empty directory is emptied again, not removed" {
	unset GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL
	mkdir "$STORE"
	run init
	assert_failure 2
	assert_output --partial "cannot find who you are"
	[ -d "$STORE" ]
	assert_equal "$(ls -A "$STORE")" ""
}

@test "the identity comes from git config when GIT_AUTHOR_* are unset" {
	unset GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL
	git config --global user.name "Gina Globaal"
	git config --global user.email gina@brugge.example
	run init
	assert_success
	assert_output "$STORE"
	assert_store 1
	assert_equal "$(git -C "$STORE" log -1 --format='%an <%ae>' main)" "Gina Globaal <gina@brugge.example>"
	run case-config -C "$STORE" members.0.email
	assert_output gina@brugge.example
	run case-config -C "$STORE" members.0.name
	assert_output "Gina Globaal"
}

@test "GIT_AUTHOR_* win over git config" {
	git config --global user.name "Gina Globaal"
	git config --global user.email gina@brugge.example
	run init
	assert_success
	assert_store 1
	assert_equal "$(git -C "$STORE" log -1 --format='%an <%ae>' main)" "Ann Peeters <ann@brugge.example>"
}

@test "an institution or role with control characters is refused before anything is made" {
	run case-init "$STORE" --institution "$(printf 'Brugge\033[2J')" --partner dg-epi
	assert_failure 2
	assert_output --partial "control characters"
	[ ! -e "$STORE" ]
	run case-init "$STORE" --institution Brugge --partner dg-epi --role "$(printf 'psy\001')"
	assert_failure 2
	assert_output --partial "control characters"
	[ ! -e "$STORE" ]
}

@test "a git identity with control characters is refused and no directory is left behind" {
	export GIT_AUTHOR_NAME=$'Ann\e[2J Peeters'
	run init
	assert_failure 2
	assert_output "case-init: cannot use the identity from GIT_AUTHOR_NAME and GIT_AUTHOR_EMAIL: the name has a control character"
	[ ! -e "$STORE" ]
}

@test "-C is refused: the new store is DIR" {
	run --separate-stderr case-init -C "$BATS_TEST_TMPDIR/other" "$STORE" --institution Brugge --partner dg-epi
	assert_failure 2
	assert_output ""
	[[ $stderr == *"-C is not for case-init"* ]]
	[ ! -e "$STORE" ]
	[ ! -e "$BATS_TEST_TMPDIR/other" ]
}

@test "a missing --institution is a usage error on stderr" {
	run --separate-stderr case-init "$STORE" --partner dg-epi
	assert_failure 2
	assert_output ""
	[[ $stderr == *"--institution"* ]]
	[[ $stderr == *"usage: case-init DIR"* ]]
	[ ! -e "$STORE" ]
}

@test "--help prints the usage on stdout" {
	run --separate-stderr case-init --help
	assert_success
	assert_line --index 0 --partial "usage: case-init DIR --institution NAME --partner PARTNER"
	assert_output --partial "--role ROLE"
	assert_equal "$stderr" ""
	[ ! -e "$STORE" ]
}

@test "--version prints the program and the version" {
	run --separate-stderr case-init --version
	assert_success
	assert_output --regexp '^case-init \(casus\) [0-9]+\.[0-9]+\.[0-9]+$'
	assert_equal "$stderr" ""
}
