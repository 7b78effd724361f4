#!/usr/bin/env bats
# case-log(1): the history of one case, newest first: per commit its date, author, the partner
# of the member whose key signed it, the program, whether its signature verified, and what
# changed in words a reviewer reads, never sealed text nor free text. Text, tsv or json; the
# same with the index and without it. Exit 0, or 2 on an error. It changes nothing.

bats_require_minimum_version 1.5.0
load helpers

PLAN=cases/e7/B-2026-017/plan.yaml

# Made once per file, copied per test: the team, and case B-2026-017 written by every kind of
# program, 13 commits:
#   plan-new (ann); plan-edit: mental_health in progress (ann); consent-record: welzijn's
#   psychosocial information for dg-epi (bram); plan-edit: psychosocial in progress, owned by
#   welzijn, with a note (sealed for ann and bram) (bram); plan-edit: the note changed (bram);
#   consent-record --withdraw (bram); overleg-record of 2026-11-20 (ann); case-reseal: ann is
#   no recipient any more (bram); plan-new B-2026-018 (ann); and a commit made with plain git
#   by Mallory, dated 2026-01-05: social_context planned.
setup_file() {
	(
		BATS_TEST_TMPDIR=$BATS_FILE_TMPDIR && setup && init_store && new_case >/dev/null &&
			plan-show B-2026-017 --format yaml |
			sed '/^  mental_health:$/,/^  social_context:$/s/status: to-assess/status: in-progress/' |
				plan-edit B-2026-017 --file - &&
			as_bram &&
			consent-record B-2026-017 --from welzijn --to dg-epi --categories psychosocial \
				--purpose casusoverleg --told leaflet --language nl --informed --date 2026-11-01 \
				>"$BATS_FILE_TMPDIR/consent-id" &&
			plan-show B-2026-017 --format yaml | sed '/^  psychosocial:$/,/^  education_employment:$/{
s/^    status: to-assess$/    status: in-progress\
    owner: welzijn\
    note: talks about the zeppelin he built with his father/
}' | plan-edit B-2026-017 --file - &&
			VISUAL='sed -i "s/the zeppelin he built/the zeppelin they built/"' plan-edit B-2026-017 &&
			consent-record B-2026-017 --withdraw "$(cat "$BATS_FILE_TMPDIR/consent-id")" \
				--date 2026-11-15 2>/dev/null >"$BATS_FILE_TMPDIR/withdrawal-id" &&
			as_ann &&
			printf '%s\n' 'present:' '- {partner: dg-epi, member: ann@brugge.example}' \
				'- {partner: welzijn, member: bram@welzijn.example}' \
				'absent: [{partner: justitiehuizen, reason: on leave}]' \
				'agreements: [{text: Bram looks for a welding course, owner: welzijn, due: 2027-01-31}]' \
				'decision: {consensus: true}' |
				overleg-record B-2026-017 --date 2026-11-20 --file - &&
			as_bram && case-reseal -q B-2026-017 &&
			as_ann && new_case B-2026-018 >/dev/null &&
			unset GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL &&
			GIT_AUTHOR_DATE=2026-01-05T10:00:00Z GIT_COMMITTER_DATE=2026-01-05T10:00:00Z \
				sneak "sed -i '/^  social_context:/,/^  alternative/s/status: to-assess/status: planned/' $PLAN" &&
			cp -a "$STORE" "$BATS_FILE_TMPDIR/story"
	)
}

story() {
	cp -a "$BATS_FILE_TMPDIR/story" "$STORE"
	export CASUS_REPO="$STORE"
}

# The header line case-log prints for commit REV of the story, with the columns as wide as the
# story makes them: the longest address (Mallory's, else EMAIL_WIDTH), partner and program.
header() {
	local rev=$1 email=$2 partner=$3 program=$4 sig=$5 id date
	id=$(git -C "$STORE" rev-parse "$rev" | cut -c1-12)
	date=$(git -C "$STORE" log -1 --date=short --format=%ad "$rev")
	printf '%s  %s  %-*s  %-7s  %-14s  %s\n' "$id" "$date" "${EMAIL_WIDTH:-25}" "$email" "$partner" \
		"$program" "$sig"
}

# The whole story as case-log tells it; $1: the consent's ID.
story_text() {
	local c w
	c=$(cat "$BATS_FILE_TMPDIR/consent-id")
	header main~2 bram@welzijn.example welzijn case-reseal verified
	echo '    note of psychosocial re-sealed'
	echo '    psychosocial no longer sealed for ann@brugge.example'
	header main~3 ann@brugge.example dg-epi overleg-record verified
	echo '    consultation 2026-11-20 held'
	header main~4 bram@welzijn.example welzijn consent-record verified
	echo "    consent $c withdrawn"
	header main~5 bram@welzijn.example welzijn plan-edit verified
	echo '    note of psychosocial changed (sealed)'
	header main~6 bram@welzijn.example welzijn plan-edit verified
	echo '    domains.psychosocial.status: to-assess → in-progress'
	echo '    domains.psychosocial.owner: welzijn added'
	echo '    note of psychosocial added (sealed)'
	echo '    psychosocial sealed for ann@brugge.example, bram@welzijn.example'
	header main~7 bram@welzijn.example welzijn consent-record verified
	echo "    consent $c given"
	header main~8 ann@brugge.example dg-epi plan-edit verified
	echo '    domains.mental_health.status: to-assess → in-progress'
	header main~9 ann@brugge.example dg-epi plan-new verified
	echo '    plan created'
	header main mallory@elsewhere.example - - 'NOT VERIFIED: it is not signed'
	echo '    domains.social_context.status: to-assess → planned'
}

@test "case-log: the story, newest first, each commit with what changed; nothing changes" {
	story
	run case-log B-2026-017
	assert_success
	assert_output "$(story_text)"
	assert_store 13
}

@test "case-log: a status changed by plan-edit, in words" {
	story
	run case-log B-2026-017
	assert_line --index 16 "$(header main~8 ann@brugge.example dg-epi plan-edit verified)"
	assert_line --index 17 '    domains.mental_health.status: to-assess → in-progress'
}

@test "case-log: a consent given and its withdrawal, by the ID it withdraws" {
	story
	c=$(cat "$BATS_FILE_TMPDIR/consent-id")
	run case-log B-2026-017
	assert_line "    consent $c given"
	assert_line "    consent $c withdrawn"
	refute_line --partial "$(cat "$BATS_FILE_TMPDIR/withdrawal-id")"
}

@test "case-log: a consultation recorded as held; its minutes are not told" {
	story
	run case-log B-2026-017
	assert_line --index 3 "$(header main~3 ann@brugge.example dg-epi overleg-record verified)"
	assert_line --index 4 '    consultation 2026-11-20 held'
	refute_output --partial 'welding'
	refute_output --partial 'on leave'
}

@test "case-log: a sealed note changes '(sealed)'; neither its text nor its ciphertext shows, in any format" {
	story
	cipher=$(git -C "$STORE" show "main~5:$PLAN" | sed -n 's/^ *sealed: //p')
	[ -n "$cipher" ]
	for f in text tsv json; do
		run case-log B-2026-017 --format "$f"
		assert_success
		assert_output --partial 'note of psychosocial changed (sealed)'
		refute_output --partial zeppelin
		refute_output --partial father
		refute_output --partial "${cipher:0:16}"
		refute_output --partial 'wrap'
		refute_output --partial 'SHA256:'
	done
}

@test "case-log: a commit made with plain git is NOT VERIFIED, and has no partner" {
	story
	run case-log B-2026-017
	assert_line --index 20 "$(header main mallory@elsewhere.example - - 'NOT VERIFIED: it is not signed')"
	assert_line --index 21 '    domains.social_context.status: to-assess → planned'
}

@test "case-log: another case's commits are not in the log, and its own log has them" {
	story
	run case-log B-2026-018
	assert_success
	assert_output "$(git -C "$STORE" rev-parse main~1 | cut -c1-12)  $(git -C "$STORE" log -1 --date=short --format=%ad main~1)  ann@brugge.example  dg-epi  plan-new  verified
    plan created"
}

@test "case-log: a case removed with plain git keeps its history" {
	story
	unset GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL
	sneak 'git rm -qr cases/96/B-2026-018'
	run case-log B-2026-018
	assert_success
	assert_line --index 0 --partial '  mallory@elsewhere.example  -       -         NOT VERIFIED: it is not signed'
	assert_line --index 1 '    plan removed'
	assert_line --index 3 '    plan created'
}

@test "case-log: files written with plain git that casus cannot read are named, not compared" {
	story
	unset GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL
	sneak 'ln -s /etc/passwd cases/e7/B-2026-017/notes.txt
		printf "case_id: [\n" >cases/e7/B-2026-017/reintegration.yaml
		printf "x: 1\n" >cases/e7/B-2026-017/overleg/2026-11-20.yaml
		sed -i "s/^status: open/status: [open/" cases/e7/B-2026-017/plan.yaml'
	run case-log B-2026-017
	assert_success
	assert_line --index 0 --partial '  mallory@elsewhere.example  -        -               NOT VERIFIED: it is not signed'
	assert_line --index 1 '    notes.txt added (not a file casus reads)'
	assert_line --index 2 '    overleg/2026-11-20.yaml changed (not a valid consultation)'
	assert_line --index 3 '    plan.yaml changed (not a valid plan)'
	assert_line --index 4 '    reintegration.yaml added (not a valid reintegration plan)'
	refute_output --partial 'root:'
}

@test "case-log --since: the commits of that day and later, by the commit's own date" {
	story
	run case-log B-2026-017 --since 2026-01-05
	assert_success
	assert_output "$(story_text)"
	run case-log B-2026-017 --since 2026-01-06
	assert_success
	assert_output "$(EMAIL_WIDTH=20 story_text | head -n 20)"
	run case-log B-2026-017 --since 9999-12-31
	assert_success
	assert_output ''
}

@test "case-log --format tsv: a header, then one row per change line" {
	story
	run case-log B-2026-017 --format tsv
	assert_success
	assert_line --index 0 $'commit\tdate\tauthor\tpartner\tprogram\tsignature\tfile\tchange'
	assert_equal "${#lines[@]}" 14
	assert_line --index 13 "$(git -C "$STORE" rev-parse main)"$'\t2026-01-05\tmallory@elsewhere.example\t-\t-\tNOT VERIFIED: it is not signed\tplan.yaml\tdomains.social_context.status: to-assess → planned'
	assert_line --index 4 "$(git -C "$STORE" rev-parse main~4)"$'\t'"$(git -C "$STORE" log -1 --date=short --format=%ad main~4)"$'\tbram@welzijn.example\twelzijn\tconsent-record\tverified\tconsent/'"$(cat "$BATS_FILE_TMPDIR/withdrawal-id").yaml"$'\tconsent '"$(cat "$BATS_FILE_TMPDIR/consent-id") withdrawn"
}

@test "case-log --format json: one object per commit, its changes per file" {
	story
	run case-log B-2026-017 --format json
	assert_success
	run jq -c 'length, .[0].changes, (.[8] | del(.time, .date, .commit))' <<<"$output"
	assert_success
	assert_line --index 0 9
	assert_line --index 1 '[{"file":"plan.yaml","what":"changed","words":["note of psychosocial re-sealed","psychosocial no longer sealed for ann@brugge.example"]}]'
	assert_line --index 2 '{"author":"Mallory","email":"mallory@elsewhere.example","partner":null,"program":null,"signature":"not verified","reason":"it is not signed","changes":[{"file":"plan.yaml","what":"changed","words":["domains.social_context.status: to-assess → planned"]}]}'
	run sh -c 'case-log B-2026-017 --format json | jq -r ".[8].time, .[0].commit"'
	assert_line --index 0 2026-01-05T10:00:00+00:00
	assert_line --index 1 "$(git -C "$STORE" rev-parse main~2)"
}

@test "case-log: the same answers with the index, without it, and with it deleted" {
	story
	for f in text tsv json; do
		with=$(case-log B-2026-017 --since 2026-01-01 --format "$f")
		[ -f "$STORE/casus-index.db" ]
		without=$(CASUS_INDEX=off case-log B-2026-017 --since 2026-01-01 --format "$f")
		assert_equal "$without" "$with"
		rm "$STORE/casus-index.db"
		again=$(case-log B-2026-017 --since 2026-01-01 --format "$f")
		assert_equal "$again" "$with"
	done
	assert_equal "$(CASUS_INDEX=off case-log B-2026-017)" "$(story_text)"
}

@test "case-log: errors: a bad case ID, an unknown case, a bad date, a bad format" {
	story
	run case-log '../B-2026-017'
	assert_failure 2
	assert_output "case-log: cannot use case ID '../B-2026-017': only letters, digits, '-', '_' and '.' are allowed"
	run case-log B-2026-099
	assert_failure 2
	assert_output "case-log: cannot find case 'B-2026-099': no such case in this store"
	run case-log B-2026-017 --since 2026-02-30
	assert_failure 2
	assert_output "case-log: cannot use --since '2026-02-30': not a valid date (YYYY-MM-DD)"
	run case-log B-2026-017 --format yaml
	assert_failure 2
	assert_line --index 0 "case-log: cannot use format 'yaml': not one of this program's formats"
	run case-log
	assert_failure 2
	assert_line --index 0 'case-log: expected one CASE-ID'
	assert_line --index 1 'usage: case-log [-C DIR] CASE-ID [--since DATE] [--format text|tsv|json]'
	run case-log -C "$BATS_TEST_TMPDIR/nowhere" B-2026-017
	assert_failure 2
	assert_output --partial "case-log: cannot open store"
	assert_store 13
}

@test "case-log --help: the usage, exit 0" {
	run case-log --help
	assert_success
	assert_line --index 0 'usage: case-log [-C DIR] CASE-ID [--since DATE] [--format text|tsv|json]'
}
