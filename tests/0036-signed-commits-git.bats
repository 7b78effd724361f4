#!/usr/bin/env bats
# Signed commits, held against git and Debian's ssh-keygen (openssh-client), casus(7), KEYS:
# every commit casus makes carries a gpgsig header, an SSH signature in namespace "git", that
# `ssh-keygen -Y verify` accepts against the member's public-key line, and that plain git
# verifies in the store with nothing set up by hand (`git log --show-signature` prints
# 'Good "git" signature for <address>'). A commit altered after signing verifies with neither.

bats_require_minimum_version 1.5.0
load helpers

# The signature of commit $1 (its gpgsig header, unfolded) in sig, and what it signs (the
# commit object without that header) in payload, as git hands them to ssh-keygen.
split_commit() {
	git -C "$STORE" cat-file commit "$1" >"$BATS_TEST_TMPDIR/raw"
	awk '/^gpgsig /{s=1; sub(/^gpgsig /, ""); print; next} s && /^ /{sub(/^ /, ""); print; next} {s=0}' \
		"$BATS_TEST_TMPDIR/raw" >"$BATS_TEST_TMPDIR/sig"
	awk '/^gpgsig /{s=1; next} s && /^ /{next} {s=0; print}' \
		"$BATS_TEST_TMPDIR/raw" >"$BATS_TEST_TMPDIR/payload"
}

# An allowed-signers file of one line: address $1 with the key of the one running it.
allow() {
	printf '%s namespaces="git" %s\n' "$1" "$(member-key)" >"$BATS_TEST_TMPDIR/allowed"
}

@test "R2: a commit casus made verifies with ssh-keygen -Y verify against the member's key" {
	init_store
	new_case
	split_commit main
	assert_equal "$(head -1 "$BATS_TEST_TMPDIR/sig")" "-----BEGIN SSH SIGNATURE-----"
	assert_equal "$(tail -1 "$BATS_TEST_TMPDIR/sig")" "-----END SSH SIGNATURE-----"
	allow ann@brugge.example
	run ssh-keygen -Y verify -f "$BATS_TEST_TMPDIR/allowed" -I ann@brugge.example -n git \
		-s "$BATS_TEST_TMPDIR/sig" <"$BATS_TEST_TMPDIR/payload"
	assert_success
	assert_output "Good \"git\" signature for ann@brugge.example with ED25519 key $(member-key --fingerprint | cut -d' ' -f2)"
}

@test "R2: the signature is SHA-512 in namespace git, and it is not the key of someone else" {
	init_store
	new_case
	split_commit main
	run ssh-keygen -Y check-novalidate -n git -s "$BATS_TEST_TMPDIR/sig" <"$BATS_TEST_TMPDIR/payload"
	assert_success
	run ssh-keygen -Y check-novalidate -n file -s "$BATS_TEST_TMPDIR/sig" <"$BATS_TEST_TMPDIR/payload"
	assert_failure
	# The hash algorithm is named in the signature blob, after the namespace.
	run bash -c "sed '1d;\$d' '$BATS_TEST_TMPDIR/sig' | base64 -d | grep -ac sha512"
	assert_output 1
	as_bram
	allow ann@brugge.example
	run ssh-keygen -Y verify -f "$BATS_TEST_TMPDIR/allowed" -I ann@brugge.example -n git \
		-s "$BATS_TEST_TMPDIR/sig" <"$BATS_TEST_TMPDIR/payload"
	assert_failure
}

@test "R2: git log --show-signature in a store written by casus says who signed, set up by nothing" {
	init_store
	new_case
	as_bram
	member-add "Dina Wouters" dina@welzijn.example --partner welzijn --key "$KEYS/dina.pub"
	run git -C "$STORE" log --show-signature -1 --format='%an <%ae>' main
	assert_success
	assert_line --index 0 --regexp '^Good "git" signature for bram@welzijn.example with ED25519 key SHA256:[A-Za-z0-9+/]{43}$'
	assert_line --index 1 "Bram Claes <bram@welzijn.example>"
	run git -C "$STORE" log --format='%G? %GS %an' main
	assert_success
	assert_output "G bram@welzijn.example Bram Claes
G ann@brugge.example Ann Peeters
G ann@brugge.example Ann Peeters
G ann@brugge.example Ann Peeters
G ann@brugge.example Ann Peeters"
	run git -C "$STORE" verify-commit main
	assert_success
}

@test "R2: a commit altered after signing fails git verify-commit and ssh-keygen -Y verify" {
	init_store
	new_case
	split_commit main
	sed 's/^plan-new: /plan-gone: /' "$BATS_TEST_TMPDIR/raw" >"$BATS_TEST_TMPDIR/altered"
	refute [ "$(cmp -s "$BATS_TEST_TMPDIR/raw" "$BATS_TEST_TMPDIR/altered"; echo $?)" = 0 ]
	forged=$(git -C "$STORE" hash-object -t commit -w "$BATS_TEST_TMPDIR/altered")
	run git -C "$STORE" verify-commit "$forged"
	assert_failure 1
	assert_output --partial "Signature verification failed: incorrect signature"
	refute_output --partial "Good"
	run git -C "$STORE" log --format=%G? -1 "$forged"
	assert_output B
	split_commit "$forged"
	allow ann@brugge.example
	run ssh-keygen -Y verify -f "$BATS_TEST_TMPDIR/allowed" -I ann@brugge.example -n git \
		-s "$BATS_TEST_TMPDIR/sig" <"$BATS_TEST_TMPDIR/payload"
	assert_failure
	# ssh-keygen's log lines end in CR LF.
	output=${output//$'\r'/}
	assert_output "Signature verification failed: incorrect signature
Could not verify signature."
	# The store itself is untouched: the forged commit is on no branch.
	assert_store 4
}

@test "R2: after a key is replaced, the commits the old key signed still verify in git" {
	init_store
	new_case
	as_bram
	consent-record B-2026-017 --from welzijn --to dg-epi --categories psychosocial \
		--purpose casusoverleg --told consent-leaflet --language nl --informed >/dev/null
	old=$(head_commit)
	# Bram replaces his key today, by the clock, signing with the old one: the old key is
	# valid up to and including today.
	CASUS_TODAY=$(date -u +%F) member-key --register bram@welzijn.example "$KEYS/dirk.pub" -m "new key"
	run git -C "$STORE" log --format='%G? %GS' -1 main
	assert_output "G bram@welzijn.example"
	run git -C "$STORE" log --format='%G? %GS' -1 "$old"
	assert_output "G bram@welzijn.example"
	run git -C "$STORE" verify-commit "$old"
	assert_success
}
