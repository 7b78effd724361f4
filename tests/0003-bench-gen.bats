#!/usr/bin/env bats
# bench/gen STORE N: the benchmark's stores are stores casus would have written: every case
# passes case-validate, the all-case queries answer on them, every commit is one event of one
# case by a registered member on its team, with the programs' subjects and trailers, and the
# same N gives the same cases. Behaviour only: bench/run measures, no test times anything.

bats_require_minimum_version 1.5.0
load helpers

N=120

# One store of $N cases for the whole file: made by case-init, filled by bench/gen.
setup_file() {
	(
		BATS_TEST_TMPDIR=$BATS_FILE_TMPDIR && setup &&
			case-init "$STORE" --institution Bench --partner dg-epi >/dev/null &&
			"$BATS_TEST_DIRNAME/../bench/gen" "$STORE" "$N"
	)
}

gen_store() {
	STORE=$BATS_FILE_TMPDIR/store
}

@test "every generated case passes case-validate, and the whole store does" {
	gen_store
	run case-validate -C "$STORE"
	assert_success
	assert_output ''
	[ "$(git -C "$STORE" ls-tree -r --name-only main | grep -c '/plan\.yaml$')" = "$N" ]
	git -C "$STORE" fsck --strict --no-progress
}

@test "overleg-schedule and release-check --all answer on a generated store" {
	gen_store
	run overleg-schedule -C "$STORE" --within 90d --format tsv
	assert_success
	[ "${#lines[@]}" -gt 0 ]
	run release-check -C "$STORE" --all --format tsv
	[ "$status" -le 1 ]
}

@test "a case has the events of the programs: plan, edits, consents, consultations" {
	gen_store
	run git -C "$STORE" log --format=%s main
	assert_success
	for s in "plan-new: open case" "plan-edit: edit plan" "consent-record: record consent" \
		"consent-record: record refusal" "overleg-record: record consultation" \
		"overleg-schedule: plan consultations" "member-add: register team member"; do
		assert_line --partial "$s"
	done
	# Each case commit names its case in the subject and in the Case-Id trailer.
	run bash -c "git -C '$STORE' log --format='%s%x09%(trailers:key=Case-Id,valueonly,separator=)%x09%(trailers:key=Program,valueonly,separator=)' main |
		awk -F'\t' '\$1 ~ /CASE-/ && (\$1 !~ (\$2 \"\$\") || index(\$1, \$3 \":\") != 1)'"
	assert_success
	assert_output ''
}

@test "every author of a generated commit is a registered member; of a case commit, on its team" {
	gen_store
	members=$(git -C "$STORE" show main:casus.yaml | sed -n 's/^- email: //p' | sort)
	authors=$(git -C "$STORE" log --format=%ae main | sort -u)
	run comm -13 <(printf '%s\n' "$members") <(printf '%s\n' "$authors")
	assert_output ''
	# CASE-000001's commits, by members of its team.
	dir=$(printf 'CASE-000001\n' | "$BATS_TEST_DIRNAME/../${B:-build}/tests/case-path")
	team=$(git -C "$STORE" show "main:$dir/plan.yaml" | sed -n 's/^  - //p' | sort)
	run comm -13 <(printf '%s\n' "$team") <(git -C "$STORE" log --format=%ae main -- "$dir" | sort -u)
	assert_output ''
}

@test "the same number of cases gives the same cases, commit for commit" {
	gen_store
	other=$BATS_TEST_TMPDIR/other
	case-init "$other" --institution Bench --partner dg-epi >/dev/null
	"$BATS_TEST_DIRNAME/../bench/gen" "$other" "$N"
	assert_equal "$(git -C "$other" rev-parse main:cases)" "$(git -C "$STORE" rev-parse main:cases)"
	assert_equal "$(git -C "$other" log --format='%an %ae %at %B' main -- cases | md5sum)" \
		"$(git -C "$STORE" log --format='%an %ae %at %B' main -- cases | md5sum)"
}

@test "case-index --rebuild leaves each table's pages together in the file, as they are read mapped" {
	gen_store
	cp -a "$STORE" "$BATS_TEST_TMPDIR/s"
	case-index -C "$BATS_TEST_TMPDIR/s"
	case-index -C "$BATS_TEST_TMPDIR/s" --rebuild
	run sqlite3 "$BATS_TEST_TMPDIR/s/casus-index.db" \
	    "SELECT name FROM dbstat WHERE path != '/' GROUP BY name
	     HAVING max(pageno) - min(pageno) + 1 != count(*)"
	assert_success
	assert_output ''
	# (Each table's first page, its root, stays where the table was made.) Tables of many
	# pages, or the check above would hold of any layout.
	run sqlite3 "$BATS_TEST_TMPDIR/s/casus-index.db" \
	    "SELECT count(*) >= 8 FROM dbstat WHERE name IN ('commits', 'changes') GROUP BY name"
	assert_output $'1\n1'
}

@test "a full build reads the newer commits in a second process, and gives what one process gives" {
	gen_store
	[ "$(nproc)" -ge 2 ] || skip "one core: the history is read in one process"
	cp -a "$STORE" "$BATS_TEST_TMPDIR/s"
	n=$(git -C "$BATS_TEST_TMPDIR/s" rev-list --count main)
	[ "$n" -ge 512 ]        # SPLIT_MIN (index.c)
	run case-index -C "$BATS_TEST_TMPDIR/s" --rebuild -v
	assert_success
	assert_line "$n commits added, $N cases read"
	assert_line "$((n - n * 40 / 100)) of the commits read by a second process"
	# --check builds the index in memory, in one process, and compares
	run case-index -C "$BATS_TEST_TMPDIR/s" --check -v
	assert_success
	assert_line "0 differences from a rebuild"
	# The second process's file was unnamed from the start: nothing is left beside the index.
	run find "$BATS_TEST_TMPDIR/s" -maxdepth 1 -name 'casus-index-*'
	assert_output ''
}

# A copy of the store at $s, indexed at commit $old; then, after a build that failed, the index
# still at $old and nothing left beside it.
indexed_copy() {
	gen_store
	s=$BATS_TEST_TMPDIR/s
	cp -a "$STORE" "$s"
	case-index -C "$s"
	old=$(git -C "$s" rev-parse main)
}

index_kept() {
	assert_equal "$(sqlite3 "$s/casus-index.db" "SELECT value FROM meta WHERE key = 'commit'")" "$old"
	run find "$s" -maxdepth 1 -name 'casus-index-*'
	assert_output ''
}

@test "a commit that cannot be read among the newer ones fails the full build, and the index stays" {
	indexed_copy
	# A commit of a tree that is in no pack: the tip, so the second process reads it.
	bad=$(printf 'tree %s\nparent %s\nauthor A <a@example.org> 1700000000 +0000\ncommitter A <a@example.org> 1700000000 +0000\n\nbroken\n' \
		0123456789abcdef0123456789abcdef01234567 "$old" |
		git -C "$s" hash-object -t commit -w --literally --stdin)
	git -C "$s" update-ref refs/heads/main "$bad"
	run case-index -C "$s" --rebuild
	assert_failure 2
	assert_output --regexp "^case-index: cannot read commit '$bad': "
	index_kept
}

@test "a tree that cannot be read among the older commits fails the full build; the index stays" {
	indexed_copy
	n=$(git -C "$s" rev-list --count main)
	pack=$(ls "$s"/objects/pack/*.pack)
	# The cases/ tree of an older commit, which this process reads while the second reads the
	# newer ones: the first that is no object's delta base (offset and length in the pack).
	git -C "$s" verify-pack -v "${pack%.pack}.idx" |
		awk 'NF == 7 { base[$7] = 1 } NF >= 5 { print $1, $5, $4, ($1 in base) }' >"$BATS_TEST_TMPDIR/objects"
	for c in $(git -C "$s" rev-list --reverse main | sed -n "10,$((n * 40 / 100 - 10))p"); do
		t=$(git -C "$s" rev-parse -q --verify "$c:cases") || continue
		set -- $(awk -v t="$t" '$1 == t && $4 == 0 { print $2, $3 }' "$BATS_TEST_TMPDIR/objects")
		[ "$#" = 2 ] && break
	done
	[ "$#" = 2 ]
	chmod u+w "$pack"
	printf '\377\377\377\377' | dd of="$pack" bs=1 seek=$(($1 + $2 / 2)) conv=notrunc status=none
	run case-index -C "$s" --rebuild
	assert_failure 2
	assert_output "case-index: cannot read tree '$t': pack $(basename "$pack") is damaged (an object's data does not inflate); git fsck tells more"
	index_kept
}

@test "the generated store is packed as git gc leaves it: one pack, no loose object" {
	gen_store
	run git -C "$STORE" count-objects -v
	assert_success
	assert_line "count: 0"
	assert_line "packs: 1"
}
