#!/usr/bin/env bats
# case-index(1): brings the store's SQLite index (casus-index.db in the git directory) up to
# date with the branch, or rebuilds it with --rebuild, and writes git's commit-graph; --check
# compares it with an index built from scratch and prints each difference (exit 1). The index
# is derived from git: deleted, damaged or stale, every answer stays the same.

bats_require_minimum_version 1.5.0
load helpers

DB=casus-index.db

# Made once per file, copied per test: the team and cases B-2026-017 and B-2026-018. 5 commits.
setup_file() {
	(
		BATS_TEST_TMPDIR=$BATS_FILE_TMPDIR && setup && init_store && new_case >/dev/null &&
			new_case B-2026-018 >/dev/null && cp -a "$STORE" "$BATS_FILE_TMPDIR/two"
	)
}

two_store() {
	cp -a "$BATS_FILE_TMPDIR/two" "$STORE"
	export CASUS_REPO="$STORE"
}

# What the programs answer over every case, for comparing with and without the index.
answers() {
	overleg-schedule --within 12m --format tsv || true
	release-check --all --within 24m --format tsv || true
}

@test "case-index --help prints the usage" {
	run case-index --help
	assert_success
	assert_line --index 0 "usage: case-index [-C DIR] [--rebuild] [--check] [-v | -q]"
}

@test "case-index builds the index of a store, mode 0660, and says what it did" {
	two_store
	run case-index -v
	assert_success
	assert_line --index 0 "index of commit $(head_commit)"
	assert_line --index 1 "rebuilt: no index yet"
	assert_line --index 2 "5 commits added, 2 cases read"
	assert_line --index 3 "commit-graph written"
	assert_line --index 4 --regexp '^brought up to date in [0-9]+\.[0-9] ms$'
	assert_equal "$(stat -c %a "$STORE/$DB")" 660
	[ -e "$STORE/objects/info/commit-graphs/commit-graph-chain" ]
	run sqlite3 "$STORE/$DB" "SELECT id, ok, institution, status, detention_start, leave_eligible FROM cases"
	assert_output "B-2026-017|1|Brugge|open|2026-01-10|2027-05-31
B-2026-018|1|Brugge|open|2026-01-10|2027-05-31"
}

@test "a new index has pages of 16 KiB; one made with SQLite's 4 KiB keeps them, and works" {
	two_store
	case-index
	assert_equal "$(sqlite3 "$STORE/$DB" "PRAGMA page_size")" 16384
	# An index made before the page size was set: its rebuild and updates go on in 4 KiB.
	rm -f "$STORE/$DB"
	sqlite3 "$STORE/$DB" "PRAGMA page_size = 4096; PRAGMA journal_mode = WAL" >/dev/null
	chmod 660 "$STORE/$DB"
	run case-index -v
	assert_success
	assert_line --index 1 "rebuilt: no index yet"
	new_case B-2026-019 >/dev/null
	case-index
	case-index --check
	assert_equal "$(sqlite3 "$STORE/$DB" "PRAGMA page_size")" 4096
	run case-ls --format tsv
	assert_success
	assert_line --partial "B-2026-019"
}

@test "a commit that changes cases first, in the middle and last of their folders is read whole" {
	two_store
	local id
	for id in B-2026-020 B-2026-021 B-2026-022 B-2026-023 B-2026-024 B-2026-025; do
		new_case "$id" >/dev/null
	done
	case-index
	# In git's order of the folders: the first, a middle one and the last changed, the
	# second removed. Trees alike but for those, entries alike at both ends are passed over.
	sneak 'set -- $(printf "%s\n" cases/*/* | LC_ALL=C sort)
		for d in "$1" "$4" "${!#}"; do echo "# seen" >>"$d/plan.yaml"; done
		for f in $(git ls-files "$2"); do
			echo "${2##*/}|${f#"$2"/}|D" >>"$BATS_TEST_TMPDIR/want"
		done
		git rm -q -r "$2"
		for d in "$1" "$4" "${!#}"; do echo "${d##*/}|plan.yaml|M" >>"$BATS_TEST_TMPDIR/want"; done'
	case-index
	run sqlite3 "$STORE/$DB" "SELECT case_id, file, what FROM changes WHERE commit_id = '$(head_commit)' ORDER BY 1, 2"
	assert_output "$(LC_ALL=C sort "$BATS_TEST_TMPDIR/want")"
	[ "${#lines[@]}" -ge 4 ]
	case-index --check
}

@test "case-index is silent, and reads nothing when the index is current" {
	two_store
	run case-index
	assert_success
	assert_output ""
	run case-index -v
	assert_line --index 1 "0 commits added, 0 cases read"
	assert_line --index 2 "commit-graph not written"
}

@test "a commit of casus is taken in by reading its one case" {
	two_store
	case-index
	new_case B-2026-019 >/dev/null
	run case-index -v
	assert_line --index 1 "1 commits added, 1 cases read"
	run sqlite3 "$STORE/$DB" "SELECT case_id, file, what FROM changes WHERE commit_id = '$(head_commit)'"
	assert_output "B-2026-019|plan.yaml|A"
}

@test "a commit pushed with plain git is taken in, and the answers follow it" {
	two_store
	case-index
	sneak 'sed -i "s/^institution: Brugge/institution: Hasselt/" cases/*/B-2026-018/plan.yaml'
	run case-index -v
	assert_line --index 1 "1 commits added, 1 cases read"
	run sqlite3 "$STORE/$DB" "SELECT institution FROM cases WHERE id = 'B-2026-018'"
	assert_output Hasselt
	run overleg-schedule --institution Hasselt --within 12m
	assert_success
	assert_output --partial "B-2026-018"
	refute_output --partial "B-2026-017"
}

@test "a reset of the branch to an older commit rebuilds the index" {
	two_store
	case-index
	git -C "$STORE" update-ref refs/heads/main main~1
	run case-index -v
	assert_line --index 1 "rebuilt: the commit it reflects is not an ancestor of the tip"
	assert_line --index 2 "4 commits added, 1 cases read"
	run sqlite3 "$STORE/$DB" "SELECT id FROM cases"
	assert_output B-2026-017
}

# commit_on TREE: a commit of TREE on the tip, written with plain git as any object can be.
commit_on() {
	printf 'tree %s\nparent %s\nauthor A <a@example.org> 1700000000 +0000\ncommitter A <a@example.org> 1700000000 +0000\n\nx\n' \
		"$1" "$(git -C "$STORE" rev-parse main)" |
		git -C "$STORE" hash-object -t commit -w --literally --stdin
}

@test "a damaged tree, or a file where a tree should be, fails the update, which names it" {
	two_store
	case-index
	local old bad blob c
	old=$(git -C "$STORE" rev-parse main)
	bad=$(printf 'not a tree' | git -C "$STORE" hash-object -t tree -w --literally --stdin)
	git -C "$STORE" update-ref refs/heads/main "$(commit_on "$bad")"
	run case-index
	assert_failure 2
	assert_output "case-index: cannot read the store: tree $bad is damaged (an entry of it is not as git writes one); git fsck tells more"
	blob=$(echo text | git -C "$STORE" hash-object -w --stdin)
	git -C "$STORE" update-ref refs/heads/main "$old"
	c=$(commit_on "$blob")
	git -C "$STORE" update-ref refs/heads/main "$c"
	run case-index --rebuild
	assert_failure 2
	assert_output "case-index: cannot read the store: object $blob stands where a tree should, and is a blob"
	# Nothing half-written: the index still reflects the commit it had.
	assert_equal "$(sqlite3 "$STORE/$DB" "SELECT value FROM meta WHERE key = 'commit'")" "$old"
}

@test "an index of another version is rebuilt" {
	two_store
	case-index
	sqlite3 "$STORE/$DB" "PRAGMA user_version = 999"
	run case-index -v
	assert_line --index 1 "rebuilt: its version changed"
}

@test "--rebuild builds it again from scratch" {
	two_store
	case-index
	run case-index --rebuild -v
	assert_success
	assert_line --index 1 "rebuilt: asked to"
	assert_line --index 2 "5 commits added, 2 cases read"
}

@test "a rebuild lists the history from git's commit-graph, merges and later commits too" {
	two_store
	case-index
	[ -e "$STORE/objects/info/commit-graphs/commit-graph-chain" ]
	# Made after the graph was written: a case of casus, and a merge pushed with plain git.
	new_case B-2026-019 >/dev/null
	wt="$BATS_TEST_TMPDIR/wt"
	git clone -q "$STORE" "$wt"
	git -C "$wt" checkout -q -b side main~1
	sed -i "s/^institution: Brugge/institution: Hasselt/" "$wt"/cases/*/B-2026-018/plan.yaml
	git -C "$wt" -c user.name=M -c user.email=m@elsewhere.example commit -qam side
	git -C "$wt" checkout -q main
	git -C "$wt" -c user.name=M -c user.email=m@elsewhere.example merge -q --no-edit side
	git -C "$wt" push -q origin main
	with=$(answers)
	run case-index --rebuild -v
	assert_success
	assert_line --index 2 "8 commits added, 3 cases read"
	# --check builds in memory from libgit2's own listing of the commits.
	run case-index --check -v
	assert_success
	assert_line "0 differences from a rebuild"
	assert_equal "$(answers)" "$with"
	run sqlite3 "$STORE/$DB" "SELECT institution FROM cases WHERE id = 'B-2026-018'"
	assert_output Hasselt
	# A graph that cannot be read is left aside: the rebuild lists the commits without it.
	chmod u+w "$STORE"/objects/info/commit-graphs/*
	for f in "$STORE"/objects/info/commit-graphs/graph-*.graph; do printf 'XXXX' | dd of="$f" conv=notrunc status=none; done
	run case-index --rebuild --check -v
	assert_success
	assert_line --index 2 "8 commits added, 3 cases read"
	assert_line "0 differences from a rebuild"
}

@test "--check passes on an index kept up to date commit by commit" {
	two_store
	case-index
	new_case B-2026-019 >/dev/null
	overleg-schedule >/dev/null || true
	sneak 'sed -i "s/^status: open/status: closed/" cases/*/B-2026-017/plan.yaml'
	run case-index --check -v
	assert_success
	assert_line "0 differences from a rebuild"
}

@test "--check prints each difference from a rebuild and exits 1; -q only exits 1" {
	two_store
	case-index
	sqlite3 "$STORE/$DB" "UPDATE cases SET institution = 'Gent' WHERE id = 'B-2026-018';
		DELETE FROM changes WHERE case_id = 'B-2026-017'"
	run case-index --check
	assert_failure 1
	assert_line --index 0 "case B-2026-018: differs from a rebuild"
	assert_line --index 1 "case B-2026-017: commit $(git -C "$STORE" log --format=%H -1 main~1): file plan.yaml: in a rebuild, not in the index"
	assert_equal "${#lines[@]}" 2
	run case-index --check -q
	assert_failure 1
	assert_output ""
	run case-index --rebuild --check
	assert_success
}

@test "the answers are the same with the index, deleted, or kept in memory" {
	two_store
	new_case B-2026-019 >/dev/null
	with=$(answers)
	rm "$STORE/$DB"
	assert_equal "$(answers)" "$with"
	[ -e "$STORE/$DB" ]
	rm "$STORE/$DB"
	assert_equal "$(CASUS_INDEX=off answers)" "$with"
	[ ! -e "$STORE/$DB" ]
}

@test "a damaged index is thrown away and built again" {
	two_store
	with=$(answers)
	head -c 4096 /dev/urandom >"$STORE/$DB"
	assert_equal "$(answers)" "$with"
	run case-index -v
	assert_success
	assert_line --index 1 "0 commits added, 0 cases read"
	run sqlite3 "$STORE/$DB" "SELECT count(*) FROM cases"
	assert_output 2
}

@test "CASUS_INDEX=off builds the index in memory and leaves the file alone" {
	two_store
	CASUS_INDEX=off run case-index -v
	assert_success
	assert_line --index 1 "rebuilt: in memory, not kept"
	[ ! -e "$STORE/$DB" ]
}

@test "an index that cannot be written is built in memory: a folder in its place, a full disk" {
	two_store
	with=$(answers)
	rm "$STORE/$DB"*
	mkdir "$STORE/$DB"
	run case-index -v
	assert_success
	assert_line --index 1 "rebuilt: in memory, not kept"
	assert_equal "$(answers)" "$with"
	rmdir "$STORE/$DB"
	# Writes past 50 KB fail (EFBIG, its signal ignored), as on a disk that is full.
	run bash -c 'ulimit -f 100; trap "" XFSZ; case-index -v'
	assert_success
	assert_line --index 1 "rebuilt: in memory, not kept"
	assert_equal "$(bash -c 'ulimit -f 100; trap "" XFSZ; '"$(declare -f answers)"'; answers')" "$with"
	# And once there is room again, the index is built in its file.
	run case-index -v
	assert_line --index 1 --regexp "^rebuilt: "
	run case-index --check
	assert_success
}

@test "the index holds no text: a sealed note is in no table" {
	two_store
	plan-show B-2026-017 --format yaml |
		sed 's/^  psychosocial:$/  psychosocial:\n    note: fears for his brother abroad/' >"$BATS_TEST_TMPDIR/p.yaml"
	plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/p.yaml"
	plan-show B-2026-017 | grep -q "fears for his brother"
	case-index
	run sqlite3 "$STORE/$DB" .dump
	assert_success
	refute_output --partial "fears"
	refute_output --partial "sealed"
}

@test "case-index refuses arguments and -v with -q; a folder that is no store is an error" {
	two_store
	run case-index extra
	assert_failure 2
	assert_line --index 0 "case-index: unexpected argument 'extra'"
	run case-index -v -q
	assert_failure 2
	assert_line --index 0 "case-index: -v and -q go not together"
	run case-index -C "$BATS_TEST_TMPDIR"
	assert_failure 2
	assert_output --partial "case-index: cannot"
}
