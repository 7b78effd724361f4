#!/usr/bin/env bats
# case-validate(1) --pre-receive, the guard of a central store: as git's pre-receive hook it
# judges a push as a whole and refuses it, printing every reason (git shows each as a
# "remote:" line) with exit 1, when it updates any ref but refs/heads/main, deletes main or is
# not a fast-forward of it, or brings a merge commit; a commit whose signature does not verify
# against the key its author had registered at its parent, whose author line is not that
# member's registered name and address, or whose member was not active there; a change
# outside its author's authority; or a file that fails the checks case-validate makes. It
# accepts everything else. case-init --hook installs it.

load helpers
bats_require_minimum_version 1.5.0

# A central store with story 2's case and the guard installed, and a clone of it in $WT.
guarded() {
	init_store
	new_case
	run case-init --hook "$STORE"
	assert_success
	WT="$BATS_TEST_TMPDIR/wt"
	git clone -q "$STORE" "$WT"
	git -C "$WT" config user.name "Ann Peeters"
	git -C "$WT" config user.email ann@brugge.example
}

# push ARGS...: git push from the clone; $output keeps only the lines the hook printed.
push() {
	run git -C "$WT" push -q origin "$@"
	remote=$(printf '%s\n' "$output" | sed -n 's/^remote: //p' | sed 's/[[:space:]]*$//')
}

short() {
	git -C "$WT" rev-parse --short=7 "${1:-HEAD}"
}

@test "R2: case-init --hook installs the guard: a shell script of mode 0750 that runs case-validate by its absolute path" {
	init_store
	run case-init --hook "$STORE"
	assert_success
	assert_output "$STORE/hooks/pre-receive"
	assert_equal "$(stat -c %a "$STORE/hooks/pre-receive")" 750
	assert_equal "$(tail -n 1 "$STORE/hooks/pre-receive")" "exec '$(command -v case-validate)' --pre-receive"
	assert_store 3
}

@test "R2: case-init --hook makes a new store guarded from its first commit" {
	run case-init "$STORE" --institution Brugge --partner dg-epi --hook
	assert_success
	assert_output "$STORE"
	assert [ -x "$STORE/hooks/pre-receive" ]
	assert_store 1
}

@test "R2: case-init --hook replaces its own hook but not one casus did not write" {
	init_store
	case-init --hook "$STORE" >/dev/null
	run case-init --hook "$STORE"
	assert_success
	printf '#!/bin/sh\nexit 0\n' >"$STORE/hooks/pre-receive"
	run case-init --hook "$STORE"
	assert_failure 2
	assert_output "case-init: cannot install hook '$STORE/hooks/pre-receive': it exists and casus did not write it"
	assert_equal "$(cat "$STORE/hooks/pre-receive")" "$(printf '#!/bin/sh\nexit 0')"
}

@test "R2: case-init --hook refuses a folder that is not a casus store" {
	mkdir "$BATS_TEST_TMPDIR/empty"
	run case-init --hook "$BATS_TEST_TMPDIR/empty"
	assert_failure 2
	assert_output "case-init: cannot open store '$BATS_TEST_TMPDIR/empty': not a casus store (no git repository)"
}

@test "R2: a push to another branch than main is refused" {
	guarded
	before=$(head_commit)
	push main:topic
	assert_failure 1
	assert_equal "$remote" "refs/heads/topic: a casus store has one branch, refs/heads/main: nothing else may be pushed"
	assert_equal "$(git -C "$STORE" for-each-ref --format='%(refname)')" refs/heads/main
	assert_equal "$(head_commit)" "$before"
}

@test "R2: the deletion of main is refused" {
	guarded
	before=$(head_commit)
	push :main
	assert_failure 1
	assert_equal "$remote" "refs/heads/main: the branch of a store cannot be deleted"
	assert_equal "$(head_commit)" "$before"
}

@test "R2: a history rewrite (a force push that is not a fast-forward) is refused" {
	guarded
	before=$(head_commit)
	git -C "$WT" reset -q --hard HEAD~1
	git -C "$WT" commit -q --allow-empty -m rewrite
	push --force main
	assert_failure 1
	assert_equal "$remote" "refs/heads/main: not a fast-forward of $(git -C "$STORE" rev-parse --short=7 main): the history of a store is never rewritten"
	assert_equal "$(head_commit)" "$before"
}

@test "R2: a commit made with plain git commit, unsigned, is refused" {
	guarded
	before=$(head_commit)
	git -C "$WT" commit -q --allow-empty -m unsigned
	push main
	assert_failure 1
	assert_equal "$remote" "commit $(short): it is not signed"
	assert_equal "$(head_commit)" "$before"
	assert_store 4
}

# key NAME: a new key pair at $BATS_TEST_TMPDIR/NAME (lib/key.c's, as member-key makes them).
key() {
	"$BATS_TEST_DIRNAME/../${B:-build}/tests/key-tool" new "$BATS_TEST_TMPDIR/$1" "$1" >/dev/null
}

# signed KEYFILE ARGS...: git commit in the clone, signed with KEYFILE as git signs with SSH;
# the author line is GIT_AUTHOR_* (as_ann, as_bram...).
signed() {
	local k=$1
	shift
	git -C "$WT" -c gpg.format=ssh -c user.signingkey="$k" commit -q -S "$@"
}

@test "R2: a commit signed by a key no member has registered is refused" {
	guarded
	before=$(head_commit)
	key eve
	signed "$BATS_TEST_TMPDIR/eve" --allow-empty -m unregistered
	push main
	assert_failure 1
	assert_equal "$remote" "commit $(short): it is signed by a key no member has registered"
	assert_equal "$(head_commit)" "$before"
}

@test "R2: a merge commit is refused: the history of a store is linear" {
	guarded
	before=$(head_commit)
	git -C "$WT" checkout -q -b side HEAD~1
	git -C "$WT" commit -q --allow-empty -m side
	git -C "$WT" checkout -q main
	git -C "$WT" merge -q --no-edit side
	push main
	assert_failure 1
	assert_equal "$remote" "commit $(short side): it is not signed
commit $(short): a merge commit: the history of a store is linear (rebase the change onto main)"
	assert_equal "$(head_commit)" "$before"
}

@test "R2: a commit breaking a schema is refused, naming the file and the rule" {
	guarded
	before=$(head_commit)
	sed -i 's/^status: open$/status: half-open/' "$WT/cases/e7/B-2026-017/plan.yaml"
	signed "$KEYS/ann" -am schema
	push main
	assert_failure 1
	assert_equal "$remote" "commit $(short): cases/e7/B-2026-017/plan.yaml:3: status: \"half-open\" is not one of open, closed"
	assert_equal "$(head_commit)" "$before"
}

@test "R2: the guard reads a push kept as a pack in git's quarantine" {
	guarded
	git -C "$STORE" config receive.unpackLimit 1
	before=$(head_commit)
	git -C "$WT" commit -q --allow-empty -m one
	git -C "$WT" commit -q --allow-empty -m two
	push main
	assert_failure 1
	assert_equal "$remote" "commit $(short HEAD~1): it is not signed
commit $(short): it is not signed"
	assert_equal "$(head_commit)" "$before"
}

@test "R10: a push changing a domain the author's partner does not own is refused" {
	init_store
	new_case
	as_bram
	git -C "$STORE" show main:cases/e7/B-2026-017/plan.yaml |
		sed '/^  psychosocial:$/a\    owner: welzijn' >"$BATS_TEST_TMPDIR/plan.yaml"
	plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/plan.yaml" -m "welfare takes psychosocial support"
	run case-init --hook "$STORE"
	assert_success
	WT="$BATS_TEST_TMPDIR/wt"
	git clone -q "$STORE" "$WT"
	git -C "$WT" config user.name "Chris Maes"
	git -C "$WT" config user.email chris@jh.example
	before=$(head_commit)
	as_chris
	sed -i '/^  psychosocial:$/,/^  [a-z]/s/status: to-assess/status: in-progress/' \
		"$WT/cases/e7/B-2026-017/plan.yaml"
	signed "$KEYS/chris" -am "psychosocial under way"
	push main
	assert_failure 1
	assert_equal "$remote" "commit $(short): cases/e7/B-2026-017/plan.yaml: domains.psychosocial is changed only by its owner, welzijn (propose it at the case consultation)"
	assert_equal "$(head_commit)" "$before"
}

@test "R2: case-validate --pre-receive refuses input that is not OLD NEW REF lines" {
	init_store
	run case-validate -C "$STORE" --pre-receive <<<"nonsense"
	assert_failure 2
	assert_output "case-validate: cannot read the update 'nonsense': expected OLD NEW REF"
	head -c 3000000 /dev/zero | tr '\0' a >"$BATS_TEST_TMPDIR/long"
	run case-validate -C "$STORE" --pre-receive <"$BATS_TEST_TMPDIR/long"
	assert_failure 2
	assert_output "case-validate: cannot read the update: a line of 3000000 bytes, not OLD NEW REF"
	run case-validate -C "$STORE" --pre-receive B-2026-017 </dev/null
	assert_failure 2
	assert_line -n 0 "case-validate: --pre-receive takes no CASE-ID and no --history"
}

@test "R2: a commit that removes the settings is refused" {
	guarded
	before=$(head_commit)
	git -C "$WT" rm -q casus.yaml
	signed "$KEYS/ann" -m "no settings"
	push main
	assert_failure 1
	assert_equal "$remote" "commit $(short): casus.yaml: member 'bram@welzijn.example' of welzijn is changed only by a member of welzijn
commit $(short): casus.yaml: member 'chris@jh.example' of justitiehuizen is changed only by a member of justitiehuizen
commit $(short): casus.yaml: cannot read 'casus.yaml': the store has no settings (was it made with case-init?)"
	assert_equal "$(head_commit)" "$before"
}

@test "R2: a push of commits casus made is accepted, and main moves to them" {
	guarded
	local="$BATS_TEST_TMPDIR/local"
	git clone -q --bare "$STORE" "$local"
	CASUS_REPO="$local" new_case B-2026-018
	as_bram
	CASUS_REPO="$local" consent-record B-2026-017 --from welzijn,justitiehuizen \
		--told consent-leaflet --language nl --to dg-epi --categories psychosocial \
		--purpose casusoverleg --date 2026-02-01 --informed >/dev/null
	run git -C "$local" push -q "$STORE" main
	assert_success
	assert_output ""
	assert_equal "$(head_commit)" "$(git -C "$local" rev-parse main)"
	assert_store 6
	run git -C "$STORE" verify-commit main
	assert_success
}

@test "R2: a store with a loose object cut short refuses a push at once, naming the object" {
	guarded
	local="$BATS_TEST_TMPDIR/local"
	git clone -q --bare "$STORE" "$local"
	CASUS_REPO="$local" new_case B-2026-018
	# The tip's cases/ tree in the central store, cut in half (libgit2 1.5.1 would spin on it).
	tree=$(git -C "$STORE" rev-parse main:cases)
	cut_object "$STORE" "$tree"
	old=$(head_commit)
	run timeout 60 git -C "$local" push -q "$STORE" main
	assert_failure 1
	assert_output --partial "object $tree is damaged (it is cut short); git fsck tells more"
	assert_equal "$(head_commit)" "$old"
}

@test "R2: case-validate --pre-receive run by hand in the store judges the commits of a range" {
	init_store
	new_case
	cd "$STORE"
	run case-validate --pre-receive <<<"$(git rev-parse main~2) $(git rev-parse main) refs/heads/main"
	assert_success
	assert_output ""
}

@test "R2: a commit signed by one member with another member's author line is refused" {
	guarded
	before=$(head_commit)
	as_bram
	signed "$KEYS/ann" --allow-empty -m "as bram"
	push main
	assert_failure 1
	assert_equal "$remote" "commit $(short): it is signed by the key of 'ann@brugge.example' but its author line is not that member's registered name and address"
	assert_equal "$(head_commit)" "$before"
}

@test "R2: a commit by a member who was no longer active at its parent is refused" {
	guarded
	as_bram
	member-remove bram@welzijn.example -m "moved to another prison"
	git -C "$WT" pull -q --ff-only
	before=$(head_commit)
	signed "$KEYS/bram" --allow-empty -m late
	push main
	assert_failure 1
	assert_equal "$remote" "commit $(short): cannot write as 'bram@welzijn.example': no longer an active team member of this store"
	assert_equal "$(head_commit)" "$before"
}

@test "R2: a commit altered after it was signed is refused by the guard" {
	guarded
	before=$(head_commit)
	signed "$KEYS/ann" --allow-empty -m "signed as it was"
	altered=$(git -C "$WT" cat-file commit HEAD | sed 's/^signed as it was$/altered after signing/' |
		git -C "$WT" hash-object -t commit -w --stdin)
	git -C "$WT" update-ref refs/heads/main "$altered"
	push main
	assert_failure 1
	assert_equal "$remote" "commit $(short): its signature does not verify: the signature does not match the content"
	assert_equal "$(head_commit)" "$before"
}

# alter_tip: replaces the store's tip with a copy whose message says otherwise, its gpgsig
# header kept, as someone with write access to the files of the store could; prints its ID.
alter_tip() {
	local tip new
	tip=$(head_commit)
	new=$(git -C "$STORE" cat-file commit "$tip" | sed 's/^Program: plan-new$/Program: plan-edit/' |
		git -C "$STORE" hash-object -t commit -w --stdin)
	git -C "$STORE" update-ref refs/heads/main "$new" "$tip"
	printf '%s\n' "$new"
}

@test "R2: case-validate --history reports a commit altered after signing, which git verify-commit refuses too" {
	init_store
	new_case
	run git -C "$STORE" verify-commit main
	assert_success
	run case-validate --history
	assert_success
	altered=$(alter_tip)
	run git -C "$STORE" verify-commit "$altered"
	assert_failure
	run case-validate --history
	assert_failure 1
	assert_output "commit $altered: its signature does not verify: the signature does not match the content"
	assert_store 4
}
