#!/usr/bin/env bats
# casus(7), the store: a change either lands as exactly one commit on main or leaves the
# branch as it was, and what was acknowledged is there. Attacked here through the programs:
# a full disk, hostile identities, a ref lock that is not yet stale, a huge file, a store the
# user may not read, a repository that is not a store, and the fsync of new object folders.

load helpers
bats_require_minimum_version 1.5.0

PLAN=cases/e7/B-2026-017/plan.yaml

# "$@" is refused with exit 2 and message $msg on stderr, nothing on stdout, and the store
# keeps its $n commits and passes git fsck.
refused() {
	local n=$1 msg=$2
	shift 2
	run --separate-stderr "$@"
	assert_failure 2
	assert_output ''
	[[ "$stderr" == *"$msg"* ]] || fail "stderr lacks '$msg': $stderr"
	assert_store "$n"
}

# --- identities git cannot write -----------------------------------------------------------

# case-init as the current identity is refused with $1 and leaves no store behind.
init_refused() {
	run --separate-stderr case-init "$STORE" --institution Brugge --partner dg-epi
	assert_failure 2
	assert_output ''
	assert_equal "$stderr" "case-init: cannot use the identity from $1"
	[ ! -e "$STORE" ]
}

@test "case-init refuses a newline, CR or ESC in GIT_AUTHOR_NAME and makes no store" {
	GIT_AUTHOR_NAME=$'Ann\ncommitter Mallory <m@evil.example> 0 +0000' \
		init_refused "GIT_AUTHOR_NAME and GIT_AUTHOR_EMAIL: the name has a control character"
	GIT_AUTHOR_NAME=$'Ann\rPeeters' \
		init_refused "GIT_AUTHOR_NAME and GIT_AUTHOR_EMAIL: the name has a control character"
	GIT_AUTHOR_NAME=$'Ann\e[2J Peeters' \
		init_refused "GIT_AUTHOR_NAME and GIT_AUTHOR_EMAIL: the name has a control character"
	# C1 CSI (U+009B) and DEL, and a right-to-left override that makes a name read backwards.
	GIT_AUTHOR_NAME=$'Ann\xc2\x9b2J' \
		init_refused "GIT_AUTHOR_NAME and GIT_AUTHOR_EMAIL: the name has a control character"
	GIT_AUTHOR_NAME=$'Ann\x7f' \
		init_refused "GIT_AUTHOR_NAME and GIT_AUTHOR_EMAIL: the name has a control character"
	GIT_AUTHOR_NAME=$'Ann \xe2\x80\xaesreteeP' \
		init_refused "GIT_AUTHOR_NAME and GIT_AUTHOR_EMAIL: the name has a control character"
	GIT_AUTHOR_NAME=$'Ann\xff' \
		init_refused "GIT_AUTHOR_NAME and GIT_AUTHOR_EMAIL: the name is not UTF-8"
}

@test "case-init refuses a control character, '<' or '>' in the address" {
	GIT_AUTHOR_EMAIL=$'ann@brugge.example\nparent 0000' \
		init_refused "GIT_AUTHOR_NAME and GIT_AUTHOR_EMAIL: the address has a control character"
	GIT_AUTHOR_EMAIL='ann@brugge.example> <m@evil.example' \
		init_refused "GIT_AUTHOR_NAME and GIT_AUTHOR_EMAIL: the address has '<' or '>'"
	GIT_AUTHOR_NAME='Ann <Peeters>' \
		init_refused "GIT_AUTHOR_NAME and GIT_AUTHOR_EMAIL: the name has '<' or '>'"
	GIT_AUTHOR_NAME='   ' \
		init_refused "GIT_AUTHOR_NAME and GIT_AUTHOR_EMAIL: the name is empty"
}

@test "a control character in user.name or user.email from git config is refused too" {
	unset GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL
	git config --global user.name $'Ann\rPeeters'
	git config --global user.email ann@brugge.example
	init_refused "user.name and user.email: the name has a control character"
	git config --global user.name 'Ann Peeters'
	git config --global user.email $'ann@brugge.example\e]0;x\a'
	init_refused "user.name and user.email: the address has a control character"
}

@test "plan-edit refuses a newline, CR or ESC in the author's name and stores nothing" {
	init_store
	new_case
	git -C "$STORE" show "main:$PLAN" | sed 's/status: open/status: closed/' >"$BATS_TEST_TMPDIR/p.yaml"
	for name in $'Ann\ncommitter Mallory' $'Ann\rPeeters' $'Ann\e[2J'; do
		GIT_AUTHOR_NAME=$name refused 4 \
			"plan-edit: cannot use the identity from GIT_AUTHOR_NAME and GIT_AUTHOR_EMAIL: the name has a control character" \
			plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/p.yaml"
	done
	# No object with the injected header was written, not even one the branch does not use.
	run git -C "$STORE" fsck --strict --unreachable --no-progress
	assert_success
	assert_output ''
	run plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/p.yaml"
	assert_success
	assert_store 5
}
