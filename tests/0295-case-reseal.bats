#!/usr/bin/env bats
# case-reseal(1): seal the parts of a case again for those the bases allow today, as far as the
# runner's key opens them; one signed commit per case; exit 1 when a part that needs it is left.

load helpers
bats_require_minimum_version 1.5.0

PLAN=cases/e7/B-2026-017/plan.yaml
PLAN18=cases/96/B-2026-018/plan.yaml

as_dora() {   # consultant, welfare services, registered after the notes were sealed
	export GIT_AUTHOR_NAME="Dora Dewulf" GIT_AUTHOR_EMAIL=dora@welzijn.example CASUS_KEY="$KEYS/dora"
}

# welfare's psychosocial life domain of case $1, with note $2 and one goal, written by Bram:
# sealed for welzijn alone, since no basis lets it go to another partner.
welfare_note() {
	local id=$1 note=$2 file="$BATS_TEST_TMPDIR/plan-$1.yaml"
	plan-show "$id" --format yaml |
		sed -e '/^  psychosocial:$/,/^  [a-z_]*:$/s/^    status: to-assess$/    status: in-progress\n    owner: welzijn\n    note: '"$note"'\n    goals:\n    - text: Vindt werk\n      owner: welzijn\n      status: open/' \
			-e '/^overleg:/,$d' -e '/^reintegration:/d' >"$file"
	(as_bram && plan-edit "$id" --file "$file" -m "welfare's assessment" >/dev/null)
}

# The team store with two cases, each with welfare's sealed note: 7 commits. Made once per file
# (in a subshell, so nothing leaks) and copied for every test.
setup_file() {
	(
		BATS_TEST_TMPDIR=$BATS_FILE_TMPDIR && setup && init_store &&
			new_case >/dev/null && new_case B-2026-018 >/dev/null &&
			welfare_note B-2026-017 'Werkloos sinds maart' &&
			welfare_note B-2026-018 'Schulden bij de huisbaas'
	)
}

sealed_store() {
	cp -a "$BATS_FILE_TMPDIR/store" "$STORE"
	export CASUS_REPO="$STORE"
}

# consent ID: the detainee consents that welfare's psychosocial information goes to the prison's
# psychosocial service (dg-epi) for the case consultation. Prints the record's ID.
consent() {
	(as_bram && consent-record "${1:-B-2026-017}" --from welzijn --to dg-epi --categories psychosocial \
		--purpose casusoverleg --told consent-leaflet --language nl --informed)
}

# ann_reads ID: the psychosocial note of case ID as Ann sees it in plan-show.
ann_reads() {
	(as_ann && plan-show "${1:-B-2026-017}" "${@:2}" | grep '^      note: ')
}

@test "--help prints the usage on stdout" {
	run --separate-stderr case-reseal --help
	assert_success
	assert_line --index 0 "usage: case-reseal [-C DIR] [-n] [-q] [-m REASON] [--old-key FILE] (CASE-ID... | --all)"
	assert_output --partial "  -n, --dry-run        list the parts that would be re-sealed; store nothing"
	assert_equal "$stderr" ""
}

@test "case-reseal(1) gives the synopsis of the usage, and a crontab line" {
	man=$BATS_TEST_DIRNAME/../man/man1/case-reseal.1
	run bash -c "mandoc -Tutf8 '$man' | col -b"
	assert_line "     case-reseal [-C dir] [-n] [-q] [-m reason] [--old-key file] case-id ..."
	assert_line "     case-reseal [-C dir] [-n] [-q] [-m reason] [--old-key file] --all"
	run grep -c '^30 2 \* \* \*  case-reseal -C /srv/casus/brugge --all' "$man"
	assert_output 1
}

@test "bad usage: exit 2, the reason and the usage's first line" {
	sealed_store
	run -2 --separate-stderr case-reseal
	assert_output ""
	assert_equal "$stderr" "case-reseal: expected CASE-ID... or --all
usage: case-reseal [-C DIR] [-n] [-q] [-m REASON] [--old-key FILE] (CASE-ID... | --all)
Try 'case-reseal --help' for more."
	run -2 --separate-stderr case-reseal --all B-2026-017
	assert_equal "${stderr_lines[0]}" "case-reseal: --all takes no CASE-ID"
	run -2 --separate-stderr case-reseal --everything
	assert_equal "${stderr_lines[0]}" "case-reseal: unknown option '--everything'"
	assert_store 7
}

@test "a case ID with a path in it, and a case that does not exist: exit 2, nothing stored" {
	sealed_store
	run -2 case-reseal ../B-2026-017
	assert_output "case-reseal: cannot use case ID '../B-2026-017': only letters, digits, '-', '_' and '.' are allowed"
	run -2 case-reseal 'cases/e7/B-2026-017'
	assert_output "case-reseal: cannot use case ID 'cases/e7/B-2026-017': only letters, digits, '-', '_' and '.' are allowed"
	run -2 case-reseal ..
	assert_output --partial "case-reseal: cannot use case ID '..': "
	as_bram
	run -2 case-reseal B-2026-099
	assert_output "case-reseal: cannot find case 'B-2026-099': no such case in this store"
	assert_store 7
}

@test "a case that does not exist does not keep the others from being re-sealed" {
	sealed_store
	consent >/dev/null
	as_bram
	run -2 --separate-stderr case-reseal B-2026-099 B-2026-017
	assert_output "B-2026-017: re-sealed 1 part"
	assert_equal "$stderr" "case-reseal: cannot find case 'B-2026-099': no such case in this store"
	assert_store 9
}

@test "nothing to do: exit 0, no output, no commit; a part the key does not open but that needs nothing is no failure" {
	sealed_store
	as_bram
	run --separate-stderr case-reseal B-2026-017
	assert_success
	assert_output ""
	assert_equal "$stderr" ""
	as_ann
	run --separate-stderr case-reseal --all
	assert_success
	assert_output ""
	assert_equal "$stderr" ""
	assert_store 7
}

@test "after a consent, the holder's re-seal lets the recipient read the part" {
	sealed_store
	consent >/dev/null
	assert_store 8
	# The consent alone opens nothing: the part is sealed for welzijn still.
	run ann_reads
	assert_output --regexp '^      note: \[sealed for welzijn: .*\]$'
	as_bram
	run --separate-stderr case-reseal B-2026-017
	assert_success
	assert_output "B-2026-017: re-sealed 1 part"
	assert_equal "$stderr" ""
	assert_store 9
	run ann_reads
	assert_output "      note: Werkloos sinds maart"
	# Only the plan changed, and the other case not at all.
	run git -C "$STORE" diff --name-only main~1 main
	assert_output "$PLAN"
	# Nothing more to do.
	run case-reseal B-2026-017
	assert_success
	assert_output ""
	assert_store 9
}

@test "the recipient cannot re-seal what their key does not open: exit 1 with the list, nothing stored" {
	sealed_store
	consent >/dev/null
	as_ann
	run -1 --separate-stderr case-reseal B-2026-017
	assert_output ""
	assert_equal "$stderr" "case-reseal: B-2026-017: plan.yaml: domains.psychosocial: sealed for welzijn; your key does not open it"
	assert_store 8
}

@test "after a withdrawal, the re-seal closes the next version; the old one still opens in the history" {
	sealed_store
	cid=$(consent)
	as_bram
	case-reseal B-2026-017 >/dev/null
	export CASUS_TODAY=2026-12-01
	(as_bram && consent-record B-2026-017 --withdraw "$cid" >/dev/null)
	assert_store 10
	# Withdrawn, but not re-sealed yet: what was readable stays so.
	run ann_reads
	assert_output "      note: Werkloos sinds maart"
	cp -a "$STORE" "$BATS_TEST_TMPDIR/before"
	old=$(git -C "$STORE" rev-parse "main:$PLAN")
	as_bram
	run case-reseal B-2026-017
	assert_success
	assert_output "B-2026-017: re-sealed 1 part"
	assert_store 11
	run ann_reads
	assert_output --regexp '^      note: \[sealed for welzijn: .*\]$'
	(as_bram && plan-show B-2026-017 | grep -qx '      note: Werkloos sinds maart')
	# A new content key: no sealed value of the new version is one of the old.
	run bash -c "git -C '$STORE' show main:$PLAN | grep -c 'sealed: ' | grep -vx 0 >/dev/null &&
		comm -12 <(git -C '$STORE' show $old | grep -o 'sealed: .*' | sort) <(git -C '$STORE' show main:$PLAN | grep -o 'sealed: .*' | sort)"
	assert_success
	assert_output ""
	# The version before is in the history, and opens for Ann as it did.
	git -C "$STORE" cat-file -e "$old"
	run ann_reads B-2026-017 -C "$BATS_TEST_TMPDIR/before"
	assert_output "      note: Werkloos sinds maart"
}

@test "--all re-seals every case, one commit each, and --dry-run stores nothing" {
	sealed_store
	consent B-2026-017 >/dev/null
	consent B-2026-018 >/dev/null
	as_bram
	run --separate-stderr case-reseal --dry-run --all
	assert_success
	assert_output "B-2026-017: plan.yaml: domains.psychosocial: would be re-sealed
B-2026-018: plan.yaml: domains.psychosocial: would be re-sealed"
	assert_equal "$stderr" ""
	assert_store 9
	run ann_reads B-2026-018
	assert_output --regexp '^      note: \[sealed for welzijn: .*\]$'
	run case-reseal --all
	assert_success
	assert_output "B-2026-017: re-sealed 1 part
B-2026-018: re-sealed 1 part"
	assert_store 11
	run git -C "$STORE" log -2 --format=%s main
	assert_output "case-reseal: re-seal B-2026-018
case-reseal: re-seal B-2026-017"
	run ann_reads B-2026-018
	assert_output "      note: Schulden bij de huisbaas"
	run case-reseal -n --all
	assert_success
	assert_output ""
}

@test "-q prints no line for the cases re-sealed" {
	sealed_store
	consent >/dev/null
	as_bram
	run --separate-stderr case-reseal -q B-2026-017
	assert_success
	assert_output ""
	assert_equal "$stderr" ""
	assert_store 9
	run ann_reads
	assert_output "      note: Werkloos sinds maart"
}

@test "a member whose key opens nothing gets exit 1 and the list; a member who can re-seals for them" {
	sealed_store
	(as_bram && member-add "Dora Dewulf" dora@welzijn.example --partner welzijn --role consultant \
		--key "$KEYS/dora.pub" >/dev/null)
	assert_store 8
	as_dora
	run -1 --separate-stderr case-reseal --all
	assert_output ""
	assert_equal "$stderr" "case-reseal: B-2026-017: plan.yaml: domains.psychosocial: sealed for welzijn; your key does not open it
case-reseal: B-2026-018: plan.yaml: domains.psychosocial: sealed for welzijn; your key does not open it"
	assert_store 8
	as_bram
	run case-reseal B-2026-017
	assert_output "B-2026-017: re-sealed 1 part"
	as_dora
	run plan-show B-2026-017
	assert_line "      note: Werkloos sinds maart"
	run -1 --separate-stderr case-reseal --all
	assert_equal "$stderr" "case-reseal: B-2026-018: plan.yaml: domains.psychosocial: sealed for welzijn; your key does not open it"
}

@test "each commit is the runner's, signed with their key, and names the case and nothing of its content" {
	sealed_store
	consent >/dev/null
	as_bram
	case-reseal B-2026-017 -m "nightly re-seal" >/dev/null
	assert_store 9
	assert_equal "$(git -C "$STORE" log -1 --format='%an <%ae>|%G?' main)" "Bram Claes <bram@welzijn.example>|G"
	run git -C "$STORE" log -1 --format=%B main
	assert_output "case-reseal: re-seal B-2026-017

nightly re-seal

Case-Id: B-2026-017
Program: case-reseal"
	run git -C "$STORE" verify-commit main
	assert_success
}

@test "the sealed words are nowhere in clear in the store, before or after a re-seal" {
	sealed_store
	consent >/dev/null
	as_bram
	case-reseal --all >/dev/null
	run git -C "$STORE" grep -e Werkloos -e Schulden -e 'Vindt werk' main
	assert_failure 1
	run bash -c "git -C '$STORE' log -p --all | grep -c -e Werkloos -e Schulden"
	assert_output 0
}

@test "a reason with a control character is refused before anything is read" {
	sealed_store
	as_bram
	run -2 case-reseal -m $'nightly\033[31m' B-2026-017
	assert_output --partial "case-reseal: cannot use the reason: "
	assert_store 7
}

@test "someone who is not a team member cannot re-seal" {
	sealed_store
	consent >/dev/null
	as_eve
	run -2 case-reseal B-2026-017
	assert_output --partial "case-reseal: cannot write as "
	assert_store 8
}

@test "a held consultation: a member of the holder re-seals its parts, nothing else of it changes" {
	sealed_store
	as_bram
	printf 'present:\n- partner: welzijn\n  member: bram@welzijn.example\nabsent:\n- partner: dg-epi\n  reason: on leave\n- partner: justitiehuizen\n  reason: in court\nagreements:\n- text: Zoekt een woonst\n  owner: welzijn\ndecisions:\n- text: Verder opvolgen\n  consensus: true\n' |
		overleg-record B-2026-017 --date 2026-02-20 --file - >/dev/null
	(as_bram && consent-record B-2026-017 --from welzijn --to dg-epi --categories detention \
		--purpose casusoverleg --told consent-leaflet --language nl --informed >/dev/null)
	assert_store 9
	as_ann
	run -1 --separate-stderr case-reseal B-2026-017
	assert_equal "$stderr" "case-reseal: B-2026-017: overleg/2026-02-20.yaml: agreements[0]: sealed for welzijn; your key does not open it
case-reseal: B-2026-017: overleg/2026-02-20.yaml: decisions[0]: sealed for welzijn; your key does not open it"
	as_bram
	run case-reseal -n B-2026-017
	assert_output "B-2026-017: overleg/2026-02-20.yaml: agreements[0]: would be re-sealed
B-2026-017: overleg/2026-02-20.yaml: decisions[0]: would be re-sealed"
	before=$(git -C "$STORE" show main:cases/e7/B-2026-017/overleg/2026-02-20.yaml)
	run case-reseal B-2026-017
	assert_success
	assert_output "B-2026-017: re-sealed 2 parts"
	assert_store 10
	# Only the seal lists changed: the sealed values of a recipient added are kept as they were.
	run diff <(printf '%s\n' "$before") <(git -C "$STORE" show main:cases/e7/B-2026-017/overleg/2026-02-20.yaml)
	refute_line --regexp '^[<>] .*sealed: '
	assert_line --regexp '^> *- member: ann@brugge\.example$'
	as_ann
	run case-reseal B-2026-017
	assert_success
	assert_output ""
}

@test "a sealed value moved by hand is not re-sealed: an error that names it, nothing stored, the other cases re-sealed" {
	sealed_store
	# The note's sealed value in place of the goal's: the same part and content key, another field.
	sneak "awk '/^ *sealed: /{n++; if (n == 1) v = \$2; else if (n == 2) sub(/sealed: .*/, \"sealed: \" v)} {print}' $PLAN >p && mv p $PLAN"
	consent B-2026-017 >/dev/null
	consent B-2026-018 >/dev/null
	assert_store 10
	as_bram
	run -2 --separate-stderr case-reseal --all
	assert_output "B-2026-018: re-sealed 1 part"
	assert_equal "$stderr" "case-reseal: cannot re-seal 'cases/e7/B-2026-017/plan.yaml': domains.psychosocial.goals[0].text: a sealed value is kept only where it was sealed"
	assert_store 11
	run git -C "$STORE" diff --name-only main~1 main
	assert_output "$PLAN18"
}

@test "a recipient who does not hold the part cannot re-seal it either: exit 1, the stale part named" {
	sealed_store
	cid=$(consent)
	(as_bram && case-reseal B-2026-017 >/dev/null)
	export CASUS_TODAY=2026-12-01
	(as_bram && consent-record B-2026-017 --withdraw "$cid" >/dev/null)
	as_ann
	run -1 --separate-stderr case-reseal B-2026-017
	assert_output ""
	assert_equal "$stderr" "case-reseal: B-2026-017: plan.yaml: domains.psychosocial: sealed for ann@brugge.example, bram@welzijn.example but the bases of 2026-12-01 allow bram@welzijn.example: re-seal it (case-reseal)"
	assert_store 10
}

@test "re-sealing while others write: every write lands, and so does the re-seal" {
	sealed_store
	consent >/dev/null
	consent B-2026-018 >/dev/null
	local i pids=() base
	base=$(git -C "$STORE" rev-parse main)
	# Ann changes the institution of B-2026-018 five times while Bram re-seals both cases, in
	# the same seconds: each waits for the store's lock or tries again on the new tip.
	for i in 1 2 3 4 5; do
		plan-show B-2026-018 --format yaml | sed "s/^institution: .*/institution: Brugge $i/" \
			>"$BATS_TEST_TMPDIR/inst-$i.yaml"
	done
	for i in 1 2 3 4 5; do
		(as_ann && exec plan-edit B-2026-018 --file "$BATS_TEST_TMPDIR/inst-$i.yaml" -m "turn $i") \
			>"$BATS_TEST_TMPDIR/edit-$i.out" 2>&1 &
		pids+=($!)
	done
	(as_bram && exec case-reseal --all) >"$BATS_TEST_TMPDIR/reseal.out" 2>&1 &
	pids+=($!)
	for i in "${pids[@]}"; do
		wait "$i" || { cat "$BATS_TEST_TMPDIR"/*.out; false; }
	done
	# Each edit that changed something is one commit; the re-seal is one commit per case.
	run git -C "$STORE" log --format=%s "$base..main"
	assert_equal "$(grep -c '^plan-edit: ' <<<"$output")" "$(grep -L 'no change' "$BATS_TEST_TMPDIR"/edit-*.out | wc -l)"
	assert_equal "$(grep -c '^case-reseal: re-seal B-2026-01[78]$' <<<"$output")" 2
	# The re-seal was not lost under the edits, nor did it undo one: Ann reads both notes,
	# and the institution is the last edit's.
	run ann_reads B-2026-017
	assert_output "      note: Werkloos sinds maart"
	run ann_reads B-2026-018
	assert_output "      note: Schulden bij de huisbaas"
	run git -C "$STORE" show main:$PLAN18
	assert_line --regexp '^institution: Brugge [1-5]$'
	run case-validate
	assert_success
	run git -C "$STORE" fsck --strict --no-progress
	assert_success
}

@test "a replaced key: what was sealed for it alone is re-sealed for the new one with --old-key" {
	sealed_store
	local old=$KEYS/bram new=$KEYS/ram
	# Bram registers a new key while his old one is current; from now on he writes with it.
	(as_bram && member-key --register bram@welzijn.example "$new.pub" >/dev/null)
	export GIT_AUTHOR_NAME="Bram Claes" GIT_AUTHOR_EMAIL=bram@welzijn.example CASUS_KEY=$new
	run plan-show B-2026-017
	assert_line "      note: [sealed for welzijn: not sealed for your key yet (a member of welzijn re-seals it with case-reseal)]"
	# His new key opens nothing of it, and nobody else holds it: only the old key can.
	run -1 --separate-stderr case-reseal B-2026-017
	assert_equal "$stderr" "case-reseal: B-2026-017: plan.yaml: domains.psychosocial: sealed for welzijn; your key does not open it"
	# The old key must be one of his, replaced: not another member's, not the current one.
	run -2 --separate-stderr case-reseal --old-key "$KEYS/ann" B-2026-017
	assert_equal "$stderr" "case-reseal: cannot use old key '$KEYS/ann': it is not a key bram@welzijn.example replaced"
	run -2 --separate-stderr case-reseal --old-key "$new" B-2026-017
	assert_equal "$stderr" "case-reseal: cannot use old key '$new': it is not a key bram@welzijn.example replaced"
	run -2 --separate-stderr case-reseal --old-key "$BATS_TEST_TMPDIR/none" B-2026-017
	assert_equal "${stderr_lines[0]}" "case-reseal: cannot read key '$BATS_TEST_TMPDIR/none': it does not exist (make one with member-key --new, or set CASUS_KEY)"
	run --separate-stderr case-reseal --all --old-key "$old"
	assert_success
	assert_output "B-2026-017: re-sealed 1 part
B-2026-018: re-sealed 1 part"
	# Sealed for his new key alone now, signed by it; his old key opens nothing of it any more.
	run plan-show B-2026-017
	assert_line "      note: Werkloos sinds maart"
	run git -C "$STORE" show main:$PLAN
	assert_output --partial "key: $(fingerprint ram)"
	refute_output --partial "key: $(fingerprint bram)"
	run git -C "$STORE" log -1 --format='%an <%ae> %G?' 
	assert_output "Bram Claes <bram@welzijn.example> G"
	run case-validate
	assert_success
}
