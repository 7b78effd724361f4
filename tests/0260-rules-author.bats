#!/usr/bin/env bats
# The author of a change (issue 10, "The team"; issue 11, "Keys"):
#   R2  the plan changes over time, and every change is accountable: who changed what, and
#       why, must be traceable.
#   R9  fixed team members and role agreements for each case, in an open, confidential, safe
#       context.
# The key decides who writes (casus(7), KEYS): the author line of every commit casus makes is
# the registered name and address of the member whose current key the program holds, whole.
# GIT_AUTHOR_* and user.name/user.email decide nothing; a key registered to nobody, or to a
# member who left, writes nothing.
bats_require_minimum_version 1.5.0
load helpers

@test "R9: GIT_AUTHOR_* naming someone else still give the key's registered author line" {
	init_store
	GIT_AUTHOR_NAME="Mallory" GIT_AUTHOR_EMAIL=bram@welzijn.example run --separate-stderr new_case
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(git -C "$STORE" log -1 --format='%an <%ae>|%cn <%ce>')" \
		"Ann Peeters <ann@brugge.example>|Ann Peeters <ann@brugge.example>"
	run git -C "$STORE" log --format='%an <%ae>'
	refute_output --partial Mallory
	refute_output --partial "Bram Claes"
}

@test "R9: a colleague's address in GIT_AUTHOR_EMAIL does not write in their name" {
	init_store
	new_case
	as_bram
	GIT_AUTHOR_NAME="Ann Peeters" GIT_AUTHOR_EMAIL=ann@brugge.example \
		member-add "Dina Wouters" dina@welzijn.example --partner welzijn --key "$KEYS/dina.pub"
	assert_equal "$(git -C "$STORE" log -1 --format='%an <%ae>')" "Bram Claes <bram@welzijn.example>"
}

@test "R9: user.name and user.email from git config decide nothing either" {
	init_store
	unset GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL
	git config --global user.name "A. Peeters"
	git config --global user.email chris@jh.example
	run new_case
	assert_success
	assert_equal "$(git -C "$STORE" log -1 --format='%an <%ae>')" "Ann Peeters <ann@brugge.example>"
}

@test "R2: each commit's author line is the registered name and address of one member" {
	init_store
	new_case
	as_bram
	member-add "Dina Wouters" dina@welzijn.example --partner welzijn --key "$KEYS/dina.pub"
	run git -C "$STORE" log --format='%an <%ae>' -2
	assert_output "Bram Claes <bram@welzijn.example>
Ann Peeters <ann@brugge.example>"
}

@test "R2: a key registered to nobody writes nothing, with the key's fingerprint" {
	init_store
	n=$(commits)
	before=$(head_commit)
	as_eve
	run --separate-stderr new_case
	assert_failure 2
	assert_output ""
	assert_equal "$stderr" "plan-new: cannot write as '$(fingerprint eve)': the key is not registered to a member of this store"
	assert_store "$n"
	assert_equal "$(head_commit)" "$before"
}

@test "R2: Eve with Ann's address and name but her own key writes nothing" {
	init_store
	n=$(commits)
	GIT_AUTHOR_NAME="Ann Peeters" GIT_AUTHOR_EMAIL=ann@brugge.example CASUS_KEY="$KEYS/eve" \
		run --separate-stderr new_case
	assert_failure 2
	assert_equal "$stderr" "plan-new: cannot write as '$(fingerprint eve)': the key is not registered to a member of this store"
	assert_store "$n"
}

@test "R9: the key of a member who left writes nothing" {
	init_store
	new_case
	member_leaves bram@welzijn.example
	n=$(commits)
	as_bram
	run --separate-stderr member-add "Dina Wouters" dina@welzijn.example --partner welzijn --key "$KEYS/dina.pub"
	assert_failure 2
	assert_output ""
	assert_equal "$stderr" "member-add: cannot write as 'bram@welzijn.example': no longer an active team member of this store"
	assert_store "$n"
}

@test "R2: a key that others may read is refused before anything is written" {
	init_store
	n=$(commits)
	chmod 644 "$KEYS/ann"
	run --separate-stderr new_case
	assert_failure 2
	assert_output ""
	assert_equal "$stderr" "plan-new: cannot read key '$KEYS/ann': permissions 0644 are too open (chmod 600 it)"
	assert_store "$n"
}

@test "R2: without a key nothing is written, and the message says how to make one" {
	init_store
	n=$(commits)
	export CASUS_KEY="$BATS_TEST_TMPDIR/none"
	run --separate-stderr new_case
	assert_failure 2
	assert_output ""
	assert_equal "$stderr" "plan-new: cannot read key '$BATS_TEST_TMPDIR/none': it does not exist (make one with member-key --new, or set CASUS_KEY)"
	assert_store "$n"
	unset CASUS_KEY
	cp "$KEYS/ann" "$HOME/id"
	run --separate-stderr new_case
	assert_failure 2
	assert_equal "$stderr" "plan-new: cannot read key '$HOME/.casus/id_ed25519': it does not exist (make one with member-key --new, or set CASUS_KEY)"
	mkdir -m 700 "$HOME/.casus"
	cp -p "$KEYS/ann" "$HOME/.casus/id_ed25519"
	run new_case
	assert_success
	assert_store $((n + 1))
}

@test "R2: a store made before keys existed refuses every write and says how to register" {
	init_store
	n=$(commits)
	sneak 'sed -i "/^  keys:/,/^    since:/d" casus.yaml'
	run case-validate
	assert_success
	run --separate-stderr new_case
	assert_failure 2
	assert_equal "$stderr" "plan-new: cannot write as '$(fingerprint ann)': no member of this store has a key registered yet (register yours with member-key --register)"
	assert_store $((n + 1))
}

@test "R2: a commit casus made verifies with git: git log --show-signature and git verify-commit" {
	init_store
	new_case
	run git -C "$STORE" log -1 --show-signature --format='%an'
	assert_success
	assert_output "Good \"git\" signature for ann@brugge.example with ED25519 key $(fingerprint ann)
Ann Peeters"
	as_bram
	member-add "Dina Wouters" dina@welzijn.example --partner welzijn --key "$KEYS/dina.pub"
	run git -C "$STORE" verify-commit main
	assert_success
	assert_output "Good \"git\" signature for bram@welzijn.example with ED25519 key $(fingerprint bram)"
	# Every commit of the store, the first one case-init made included.
	run git -C "$STORE" log --format='%G? %GS'
	assert_output "G bram@welzijn.example
G ann@brugge.example
G ann@brugge.example
G ann@brugge.example
G ann@brugge.example"
}

@test "R2: a commit altered after signing fails git's verification" {
	init_store
	forged=$(git -C "$STORE" cat-file commit main | sed 's/^author Ann Peeters/author Bram Claes/' |
		git -C "$STORE" hash-object -t commit -w --stdin)
	run git -C "$STORE" verify-commit "$forged"
	assert_failure
	assert_output --partial "Could not verify signature"
}

@test "R2: the allowed-signers file: one line per key with its dates, mode 0660, in the git config" {
	init_store
	run cat "$STORE/casus-allowed-signers"
	assert_output "ann@brugge.example namespaces=\"git\",valid-after=\"20261128\" $(cut -d' ' -f1,2 "$KEYS/ann.pub")
bram@welzijn.example namespaces=\"git\",valid-after=\"20261128\" $(cut -d' ' -f1,2 "$KEYS/bram.pub")
chris@jh.example namespaces=\"git\",valid-after=\"20261128\" $(cut -d' ' -f1,2 "$KEYS/chris.pub")"
	assert_equal "$(stat -c %a "$STORE/casus-allowed-signers")" 660
	assert_equal "$(git -C "$STORE" config gpg.ssh.allowedSignersFile)" "$(cd "$STORE" && pwd -P)/casus-allowed-signers"
	# A member who leaves: their key is good up to and including their last day.
	CASUS_TODAY=2026-12-01 member_leaves chris@jh.example
	run grep chris@ "$STORE/casus-allowed-signers"
	assert_output "chris@jh.example namespaces=\"git\",valid-after=\"20261128\",valid-before=\"20261202\" $(cut -d' ' -f1,2 "$KEYS/chris.pub")"
}

@test "R2: a missing allowed-signers file is written again by the next change" {
	init_store
	rm "$STORE/casus-allowed-signers"
	git -C "$STORE" config --unset gpg.ssh.allowedSignersFile
	new_case
	[ -f "$STORE/casus-allowed-signers" ]
	run git -C "$STORE" verify-commit main
	assert_success
}

@test "R2: ssh-keygen -Y verify accepts the signature of a commit casus made, and not of one altered" {
	init_store
	new_case
	# The gpgsig header, unfolded, and the commit without it: what the signature covers.
	git -C "$STORE" cat-file commit main | awk '
		/^gpgsig / { sig = 1; sub(/^gpgsig /, ""); print > "/dev/stderr"; next }
		sig && /^ / { sub(/^ /, ""); print > "/dev/stderr"; next }
		{ sig = 0; print }' >"$BATS_TEST_TMPDIR/payload" 2>"$BATS_TEST_TMPDIR/sig"
	run ssh-keygen -Y verify -f "$STORE/casus-allowed-signers" -I ann@brugge.example -n git \
		-s "$BATS_TEST_TMPDIR/sig" <"$BATS_TEST_TMPDIR/payload"
	assert_success
	assert_output "Good \"git\" signature for ann@brugge.example with ED25519 key $(fingerprint ann)"
	sed -i 's/^author Ann Peeters/author Bram Claes/' "$BATS_TEST_TMPDIR/payload"
	run ssh-keygen -Y verify -f "$STORE/casus-allowed-signers" -I ann@brugge.example -n git \
		-s "$BATS_TEST_TMPDIR/sig" <"$BATS_TEST_TMPDIR/payload"
	assert_failure
}

@test "R2: a registered key is history: it is not removed, redated, or closed before today" {
	init_store
	as_bram
	case-config >"$BATS_TEST_TMPDIR/c.yaml"
	n=$(commits)
	# Bram's key removed: the commits it signed would no longer verify.
	awk '/^- email:/ {b = /bram@welzijn/} b && /^  keys:$/ {k = 1; next}
		k && /^  (- key|  since|  until):/ {next} {k = 0; print}' \
		"$BATS_TEST_TMPDIR/c.yaml" >"$BATS_TEST_TMPDIR/d.yaml"
	run --separate-stderr case-config --file "$BATS_TEST_TMPDIR/d.yaml"
	assert_failure 2
	assert_equal "$stderr" "case-config: casus.yaml:49: members[1].keys[0]: the key $(fingerprint bram) of 'bram@welzijn.example' is history and cannot be removed, replaced or moved: register a new one (member-key --register)
case-config: cannot change the settings: 1 problem, nothing stored"
	# Its date moved back: it would vouch for commits made before it was registered.
	sed '/bram@welzijn/,/chris@jh/ s/^    since: .2026-11-29.$/    since: 2026-11-01/' \
		"$BATS_TEST_TMPDIR/c.yaml" >"$BATS_TEST_TMPDIR/e.yaml"
	run --separate-stderr case-config --file "$BATS_TEST_TMPDIR/e.yaml"
	assert_failure 2
	assert_equal "$stderr" "case-config: casus.yaml:56: members[1].keys[0]: the key $(fingerprint bram) of 'bram@welzijn.example' is history and cannot be removed, replaced or moved: register a new one (member-key --register)
case-config: cannot change the settings: 1 problem, nothing stored"
	# Closed before today: the commits it signed since would turn bad.
	CASUS_TODAY=2026-11-30 run --separate-stderr case-config members.1.keys.0.until 2026-11-29
	assert_failure 2
	assert_equal "$stderr" "case-config: casus.yaml:56: members[1].keys[0]: the key $(fingerprint bram) of 'bram@welzijn.example' can be closed from today (2026-11-30) on, not before
case-config: cannot change the settings: 1 problem, nothing stored"
	assert_store "$n"
	# Closed from today on, it is: it stays valid up to and including that day.
	CASUS_TODAY=2026-11-30 run case-config members.1.keys.0.until 2026-11-30
	assert_success
	assert_store $((n + 1))
}
