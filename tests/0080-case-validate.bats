#!/usr/bin/env bats
# case-validate(1): checks every file of the store, or the named cases, against the schemas
# and each other; prints "path:line: message" per problem; exit 0 clean, 1 problems, 2 error.
# It never changes the store.

load helpers
bats_require_minimum_version 1.5.0

PLAN=cases/e7/B-2026-017/plan.yaml

@test "case-validate of a clean store exits 0 and prints nothing" {
	init_store
	new_case
	new_case B-2026-018
	run --separate-stderr case-validate
	assert_success
	assert_output ''
	assert_equal "$stderr" ''
	assert_store 5
}

@test "case-validate of a store without cases exits 0" {
	init_store
	run case-validate
	assert_success
	assert_output ''
	assert_store 3
}

@test "case-validate checks the named cases" {
	init_store
	new_case
	new_case B-2026-018
	run case-validate B-2026-017 B-2026-018
	assert_success
	assert_output ''
	assert_store 5
}

@test "case-validate refuses a case that does not exist with exit 2" {
	init_store
	new_case
	run --separate-stderr case-validate B-2026-017 B-2026-999
	assert_failure 2
	assert_output ''
	assert_equal "$stderr" "case-validate: cannot find case 'B-2026-999': no such case in this store"
	assert_store 4
}

@test "case-validate refuses an argument that is not a case ID" {
	init_store
	new_case
	run case-validate ../casus.yaml
	assert_failure 2
	assert_output --partial "cannot use case ID"
	assert_store 4
}

@test "case-validate reports a plan broken behind casus's back as path:line: message" {
	init_store
	new_case
	new_case B-2026-018
	sneak "sed -i 's/^status: open/status: done/; s/2027-05-31/2027-02-30/' $PLAN"
	assert_store 6
	run --separate-stderr case-validate
	assert_failure 1
	assert_output - <<EOF
$PLAN:3: status: "done" is not one of open, closed
$PLAN:6: dates.leave_eligible: "2027-02-30" is not a valid date
EOF
	assert_equal "$stderr" ''
	assert_store 6
}

@test "case-validate reports year 0000 in a plan committed with git, as the date parser reads it" {
	init_store
	new_case
	sneak "sed -i 's/2027-05-31/0000-05-31/' $PLAN"
	assert_store 5
	run --separate-stderr case-validate
	assert_failure 1
	assert_output "$PLAN:6: dates.leave_eligible: \"0000-05-31\" is not a valid date"
	assert_equal "$stderr" ''
	assert_store 5
}

@test "case-validate reports a plan committed with git in UTF-16 or with a byte-order mark" {
	init_store
	new_case
	new_case B-2026-018
	sneak "iconv -f UTF-8 -t UTF-16 $PLAN >x && mv x $PLAN &&
		{ printf '\xef\xbb\xbf'; cat cases/96/B-2026-018/plan.yaml; } >x && mv x cases/96/B-2026-018/plan.yaml"
	assert_store 6
	run --separate-stderr case-validate
	assert_failure 1
	assert_output - <<EOF
cases/96/B-2026-018/plan.yaml:1: a byte-order mark (U+FEFF) is not accepted
$PLAN:1: UTF-16 text is not accepted, only UTF-8
EOF
	assert_equal "$stderr" ''
	assert_store 6
}

@test "case-validate prints at most 100 problems of a file, then how many more there are" {
	init_store
	new_case
	new_case B-2026-018
	sneak "seq -f 'k%g: 1' 5000 >>$PLAN && seq -f 'k%g: 1' 101 >>cases/96/B-2026-018/plan.yaml"
	assert_store 6
	run --separate-stderr case-validate
	assert_failure 1
	assert_equal "$stderr" ''
	assert_equal "${#lines[@]}" 202
	assert_equal "${lines[0]}" "cases/96/B-2026-018/plan.yaml:27: unexpected property 'k1'"
	assert_equal "${lines[99]}" "cases/96/B-2026-018/plan.yaml:126: unexpected property 'k100'"
	assert_equal "${lines[100]}" "cases/96/B-2026-018/plan.yaml: ... and 1 more problem"
	assert_equal "${lines[101]}" "$PLAN:27: unexpected property 'k1'"
	assert_equal "${lines[200]}" "$PLAN:126: unexpected property 'k100'"
	assert_equal "${lines[201]}" "$PLAN: ... and 4900 more problems"
	run case-validate -q
	assert_failure 1
	assert_output ''
	assert_store 6
}

@test "case-validate of named cases reports only their problems" {
	init_store
	new_case
	new_case B-2026-018
	sneak "sed -i 's/^status: open/status: done/' $PLAN"
	run case-validate B-2026-018
	assert_success
	assert_output ''
	run case-validate B-2026-018 B-2026-017
	assert_failure 1
	assert_output "$PLAN:3: status: \"done\" is not one of open, closed"
	assert_store 6
}

@test "case-validate reports YAML that does not parse, with its line" {
	init_store
	new_case
	sneak "printf 'foo: [\n' >>$PLAN"
	run case-validate
	assert_failure 1
	assert_output "$PLAN:28: foo[0]: did not find expected node content"
}

@test "case-validate reports what only the cross-references can see" {
	init_store
	new_case
	sneak "sed -i 's/chris@jh.example/eve@jh.example/; s/2028-05-31/2027-01-01/' $PLAN"
	run case-validate
	assert_failure 1
	assert_output - <<EOF
$PLAN:7: dates.release_eligible: release_eligible 2027-01-01 is before leave_eligible 2027-05-31
$PLAN:13: team.justitiehuizen[0]: 'eve@jh.example' is not a registered team member
EOF
}

@test "case-validate reports a plan whose case_id is not its folder's" {
	init_store
	new_case
	sneak "sed -i 's/^case_id: B-2026-017/case_id: B-2026-018/' $PLAN"
	run case-validate
	assert_failure 1
	assert_output "$PLAN:1: case_id: is 'B-2026-018' but the case is 'B-2026-017'"
}

@test "case-validate reports a case in the wrong fan-out folder and checks it where it lies" {
	init_store
	new_case
	sneak "git mv cases/e7 cases/00 && sed -i 's/^status: open/status: done/' cases/00/B-2026-017/plan.yaml"
	run case-validate
	assert_failure 1
	assert_output - <<'EOF'
cases/00/B-2026-017: case 'B-2026-017' belongs in 'cases/e7/B-2026-017'
cases/00/B-2026-017/plan.yaml:3: status: "done" is not one of open, closed
EOF
	assert_store 5
}

@test "case-validate reports an unexpected file in a case folder" {
	init_store
	new_case
	sneak "echo 'religion: none' >cases/e7/B-2026-017/notes.txt"
	run case-validate
	assert_failure 1
	assert_output "cases/e7/B-2026-017: unexpected file 'notes.txt'"
	run case-validate B-2026-017
	assert_failure 1
	assert_output "cases/e7/B-2026-017: unexpected file 'notes.txt'"
}

@test "case-validate reports a case folder without a plan" {
	init_store
	new_case
	sneak "mkdir -p cases/74/C-1 && echo x >cases/74/C-1/notes.txt"
	run case-validate
	assert_failure 1
	assert_output - <<'EOF'
cases/74/C-1: unexpected file 'notes.txt'
cases/74/C-1: the case has no plan.yaml
EOF
}

@test "case-validate reports a file where a case folder should be, once" {
	init_store
	new_case
	sneak "echo x >cases/e7/stray.txt"
	run case-validate
	assert_failure 1
	assert_output "cases/e7/stray.txt: unexpected file: cases/ holds only case folders"
}

@test "case-validate reports unexpected entries at the top and in cases/" {
	init_store
	new_case
	sneak "echo x >README && echo x >cases/README && mkdir -p cases/zz/B-1 && echo x >cases/zz/B-1/plan.yaml"
	run case-validate
	assert_failure 1
	assert_output - <<'EOF'
README: unexpected entry at the top of the store
cases/README: unexpected file in cases/
cases/zz: unexpected folder in cases/
EOF
}

@test "case-validate reports a folder that is not a valid case ID" {
	init_store
	new_case
	sneak "mkdir -p 'cases/e7/B 1' && echo x >'cases/e7/B 1/plan.yaml'"
	run case-validate
	assert_failure 1
	assert_output "cases/e7/B 1: 'B 1' is not a valid case ID"
}

@test "case-validate reports a name with an escape sequence without echoing it" {
	init_store
	new_case
	sneak "echo x >\"cases/e7/B-2026-017/n\$(printf '\\033')[2J\""
	git -C "$STORE" ls-tree -z --name-only -r main | grep -qz $'\033'
	run --separate-stderr case-validate
	assert_failure 1
	assert_output "cases/e7/B-2026-017: unexpected entry 'n\\x1b[2J': a name casus never writes"
	refute_output --partial $'\033'
	assert_equal "$stderr" ''
}

@test "case-validate reports broken settings in casus.yaml with their line" {
	init_store
	new_case
	sneak "sed -i 's/^  partner: welzijn/  partner: police/' casus.yaml"
	run case-validate
	assert_failure 1
	assert_line --regexp "^casus.yaml:[0-9]+: members\\[1\\]: unknown partner 'police'\$"
}

@test "case-validate reports a member address git cannot write with" {
	init_store
	sneak "sed -i 's/^- email: bram@welzijn.example/- email: bram<x>@welzijn.example/' casus.yaml"
	run case-validate
	assert_failure 1
	assert_output "casus.yaml:49: members[1]: cannot write as 'bram<x>@welzijn.example': the address has '<' or '>'"
}

@test "case-validate reports a member name git cannot write, with the rule the writers use" {
	init_store
	sneak "sed -i 's/^  name: Bram Claes/  name: \"Bram\\\\u202eClaes\"/' casus.yaml"
	run case-validate
	assert_failure 1
	assert_output --regexp "^casus.yaml:[0-9]+: members\\[1\\]: cannot write as 'bram@welzijn.example': the name has a control character\$"
}

@test "case-validate -q prints nothing but exits 1 on problems" {
	init_store
	new_case
	sneak "sed -i 's/^status: open/status: done/' $PLAN"
	run --separate-stderr case-validate -q
	assert_failure 1
	assert_output ''
	assert_equal "$stderr" ''
	run case-validate --quiet B-2026-017
	assert_failure 1
	assert_output ''
}

@test "case-validate -q exits 0 on a clean store" {
	init_store
	new_case
	run case-validate -q
	assert_success
	assert_output ''
}

@test "case-validate changes nothing, even when it finds problems" {
	init_store
	new_case
	sneak "sed -i 's/^status: open/status: done/' $PLAN && echo x >README"
	before=$(head_commit)
	ls -la "$STORE" >"$BATS_TEST_TMPDIR/before"
	run case-validate
	assert_failure 1
	assert_equal "$(head_commit)" "$before"
	ls -la "$STORE" >"$BATS_TEST_TMPDIR/after"
	run diff "$BATS_TEST_TMPDIR/before" "$BATS_TEST_TMPDIR/after"
	assert_success
	assert_store 5
}

@test "case-validate may be run by someone who is not a team member" {
	init_store
	new_case
	as_eve
	run case-validate -C "$STORE"
	assert_success
	assert_output ''
	assert_store 4
}

# A case with a consent, a withdrawal, a consultation held and a reintegration plan.
full_case() {
	init_store
	new_case
	as_bram
	cid=$(consent-record B-2026-017 --from welzijn --told consent-leaflet --language nl --to dg-epi,justitiehuizen --categories psychosocial \
		--purpose casusoverleg --date 2026-02-01 --informed)
	consent-record B-2026-017 --withdraw "$cid" --date 2026-03-15 2>/dev/null >/dev/null
	printf 'present:\n- partner: welzijn\n  member: bram@welzijn.example\nabsent:\n- partner: dg-epi\n  reason: on leave\n- partner: justitiehuizen\n  reason: in court\ndecision:\n  consensus: true\n' |
		overleg-record B-2026-017 --date 2026-02-20 --file -
	printf 'case_id: B-2026-017\nhousing:\n  status: to-arrange\nwork:\n  status: to-arrange\nnetwork:\n  status: to-arrange\ncare:\n  status: to-arrange\n' |
		plan-edit B-2026-017 --reintegration --file -
}

@test "case-validate checks consents, consultations and the reintegration plan, and passes them when sound" {
	full_case
	run --separate-stderr case-validate
	assert_success
	assert_output ''
	assert_store 8
}

@test "case-validate reports a consent record broken behind casus's back" {
	full_case
	sneak "sed -i 's/^purpose: casusoverleg/purpose: gossip/' cases/e7/B-2026-017/consent/c-*.yaml"
	run case-validate
	assert_failure 1
	assert_output --regexp "^cases/e7/B-2026-017/consent/c-20260201-[0-9a-f]{6}\.yaml:[0-9]+: purpose: \"gossip\" is not one of casusoverleg, reintegration, aftercare"
}

@test "case-validate reports a record whose name, case or withdrawn record do not match" {
	full_case
	sneak "cd cases/e7/B-2026-017/consent && w=\$(ls w-*) && sed -i 's/^withdraws: c-.*/withdraws: c-20260101-000000/' \$w && mv \$w w-20260315-aaaaaa.yaml"
	run case-validate
	assert_failure 1
	assert_line --regexp "^cases/e7/B-2026-017/consent/w-20260315-aaaaaa\.yaml:1: id: 'w-20260315-[0-9a-f]{6}' does not match the file's name$"
	assert_line --regexp "^cases/e7/B-2026-017/consent/w-20260315-aaaaaa\.yaml:[0-9]+: withdraws: case 'B-2026-017' has no consent 'c-20260101-000000'$"
}

@test "case-validate reports a consultation and a reintegration plan broken behind casus's back" {
	full_case
	sneak "sed -i 's/^kind: periodic/kind: yearly/' cases/e7/B-2026-017/overleg/2026-02-20.yaml &&
		printf 'follow_up:\n  justice_house: Justitiehuis Brugge\n  member: ann@brugge.example\n' >> cases/e7/B-2026-017/reintegration.yaml"
	run case-validate
	assert_failure 1
	assert_line --regexp '^cases/e7/B-2026-017/overleg/2026-02-20\.yaml:3: kind: "yearly" is not one of periodic, pre-leave$'
	assert_line "cases/e7/B-2026-017/reintegration.yaml:12: follow_up.member: 'ann@brugge.example' is a member for dg-epi, not justitiehuizen"
}

@test "case-validate --history of a history that never changed a record exits 0" {
	full_case
	run --separate-stderr case-validate --history
	assert_success
	assert_output ''
	assert_equal "$stderr" ''
	assert_store 8
}

@test "case-validate --history reports a consent record removed with plain git" {
	full_case
	sneak "git rm -q cases/e7/B-2026-017/consent/$cid.yaml"
	run case-validate --history
	assert_failure 1
	assert_line "commit $(head_commit): case B-2026-017: record $cid was removed"
	assert_store 9
}

@test "case-validate --history reports a consent record changed with plain git" {
	full_case
	sneak "sed -i 's/^informed: true/informed: false/' cases/e7/B-2026-017/consent/$cid.yaml"
	run case-validate --history
	assert_failure 1
	# A commit made with plain git is not signed by a member's key either (R2).
	assert_output "commit $(head_commit): case B-2026-017: record $cid was changed
commit $(head_commit): it is not signed"
	run case-validate
	assert_success
}

@test "case-validate --history reports a record changed and later restored, which the tip cannot show" {
	full_case
	sneak "sed -i 's/^informed: true/informed: false/' cases/e7/B-2026-017/consent/$cid.yaml"
	changed=$(head_commit)
	sneak "git checkout -q HEAD~1 -- cases/e7/B-2026-017/consent/$cid.yaml"
	run case-validate
	assert_success
	run case-validate --history
	assert_failure 1
	assert_output "commit $changed: case B-2026-017: record $cid was changed
commit $changed: it is not signed
commit $(head_commit): case B-2026-017: record $cid was changed
commit $(head_commit): it is not signed"
	run case-validate --history B-2026-018
	assert_failure 2
	new_case B-2026-018
	run case-validate --history B-2026-018
	assert_success
}

@test "case-validate --history reports records and a held consultation dropped by a merge" {
	full_case
	# A merge with the store as it was before the consent, taking the older tree whole.
	merge=$(git -C "$STORE" -c user.name=Mallory -c user.email=mallory@elsewhere.example \
		commit-tree -p main -p main~4 -m merge "main~4^{tree}")
	git -C "$STORE" update-ref refs/heads/main "$merge"
	run case-validate --history
	assert_failure 1
	assert_line "commit $merge: case B-2026-017: record $cid was removed"
	assert_line "commit $merge: case B-2026-017: consultation 2026-02-20 was removed"
	assert_line "commit $merge: it is not signed"
	assert_equal "$(printf '%s\n' "$output" | grep -c "^commit ")" 4
}

@test "a plan that is a symbolic link is reported, not read through, even when its target is a valid plan" {
	init_store
	new_case
	sneak "cp $PLAN copy.yaml && rm $PLAN && ln -s ../../../copy.yaml $PLAN"
	run -1 case-validate
	assert_line "$PLAN: cannot read '$PLAN': a symbolic link, not a file"
	run -2 plan-show B-2026-017
	assert_output "plan-show: cannot read '$PLAN': a symbolic link, not a file"
	git -C "$STORE" show main:copy.yaml | sed 's/^institution: Brugge/institution: Gent/' >"$BATS_TEST_TMPDIR/p.yaml"
	run -2 plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/p.yaml"
	assert_store 5
}

# --- sealed parts (casus(7) SEALING): what seal_check() finds, with the runner's key ---

PLAN18=cases/96/B-2026-018/plan.yaml

# welfare's psychosocial life domain of case $1, with note $2 and one goal, written by Bram:
# sealed for welzijn alone, since no basis lets it go to another partner.
welfare_note() {
	local id=$1 note=$2 file="$BATS_TEST_TMPDIR/plan-$1.yaml"
	plan-show "$id" --format yaml |
		sed -e '/^  psychosocial:$/,/^  [a-z_]*:$/s/^    status: to-assess$/    status: in-progress\n    owner: welzijn\n    note: '"$note"'\n    goals:\n    - text: Vindt werk\n      owner: welzijn\n      status: open/' >"$file"
	(as_bram && plan-edit "$id" --file "$file" -m "welfare's assessment" >/dev/null)
}

# Two cases with welfare's sealed notes: 7 commits.
sealed_cases() {
	init_store
	new_case >/dev/null
	new_case B-2026-018 >/dev/null
	welfare_note B-2026-017 'Werkloos sinds maart'
	welfare_note B-2026-018 'Schulden bij de huisbaas'
}

# The detainee consents that welfare's psychosocial information of case B-2026-017 goes to dg-epi.
psychosocial_consent() {
	(as_bram && consent-record B-2026-017 --from welzijn --to dg-epi --categories psychosocial \
		--purpose casusoverleg --told consent-leaflet --language nl --informed >/dev/null)
}

@test "sealing: parts sealed as the bases allow pass, whoever runs case-validate" {
	sealed_cases
	for who in as_ann as_bram as_eve; do
		$who
		run --separate-stderr case-validate
		assert_success
		assert_output ''
		assert_equal "$stderr" ''
	done
	assert_store 7
}

@test "sealing: a part left stale by a consent is listed; once re-sealed it is not" {
	sealed_cases
	psychosocial_consent
	run case-validate
	assert_failure 1
	assert_output "$PLAN:18: domains.psychosocial: sealed for bram@welzijn.example but the bases of 2026-11-29 allow ann@brugge.example, bram@welzijn.example: re-seal it (case-reseal)"
	run case-validate B-2026-018
	assert_success
	as_bram
	case-reseal B-2026-017 >/dev/null
	assert_store 9
	run case-validate
	assert_success
	assert_output ''
}

@test "sealing: a stale part is told after the case's other problems, and not when a consent record does not read" {
	sealed_cases
	psychosocial_consent
	sneak "echo x >${PLAN%/plan.yaml}/notes.txt"
	run case-validate
	assert_failure 1
	assert_equal "${#lines[@]}" 2
	assert_line --index 0 "cases/e7/B-2026-017: unexpected file 'notes.txt'"
	assert_line --index 1 "$PLAN:18: domains.psychosocial: sealed for bram@welzijn.example but the bases of 2026-11-29 allow ann@brugge.example, bram@welzijn.example: re-seal it (case-reseal)"
	run case-validate B-2026-018 B-2026-017
	assert_failure 1
	assert_equal "${#lines[@]}" 2
	assert_line --index 1 "$PLAN:18: domains.psychosocial: sealed for bram@welzijn.example but the bases of 2026-11-29 allow ann@brugge.example, bram@welzijn.example: re-seal it (case-reseal)"
	# A record named otherwise than its ID: the bases cannot be read, so the parts are not judged.
	sneak "cd ${PLAN%/plan.yaml}/consent && mv c-*.yaml c-20261129-000000.yaml"
	run case-validate
	assert_failure 1
	assert_equal "${#lines[@]}" 2
	assert_line --index 0 "cases/e7/B-2026-017: unexpected file 'notes.txt'"
	assert_line --index 1 --regexp "^cases/e7/B-2026-017/consent/c-20261129-000000\.yaml:1: id: 'c-[0-9]{8}-[0-9a-f]{6}' does not match the file's name$"
}

@test "sealing: the guard accepts the consent that leaves parts stale" {
	sealed_cases
	psychosocial_consent
	run bash -c "cd '$STORE' && echo \"\$(git rev-parse main~1) \$(git rev-parse main) refs/heads/main\" |
		case-validate --pre-receive"
	assert_success
	assert_output ''
}

@test "sealing: a sealed value copied by hand into another field does not open, and is reported" {
	sealed_cases
	# The note's sealed value in place of the goal's: the same part and content key, another field.
	sneak "awk '/^ *sealed: /{n++; if (n == 1) v = \$2; else if (n == 2) sub(/sealed: .*/, \"sealed: \" v)} {print}' $PLAN >p && mv p $PLAN"
	as_bram
	run case-validate
	assert_failure 1
	assert_output "$PLAN:24: domains.psychosocial.goals[0].text: sealed value does not open: it was moved from another field or case, or altered"
	# Whose key it is not sealed for cannot tell.
	as_ann
	run case-validate
	assert_success
}

@test "sealing: a sealed value copied by hand into another case does not open, and is reported" {
	sealed_cases
	sneak "v=\$(grep -m1 'sealed: ' $PLAN | sed 's/.*sealed: //') && sed -i \"0,/sealed: .*/s||sealed: \$v|\" $PLAN18"
	as_bram
	run case-validate
	assert_failure 1
	assert_output "$PLAN18:21: domains.psychosocial.note: sealed value does not open: it was moved from another field or case, or altered"
	run case-validate B-2026-017
	assert_success
	run case-validate B-2026-018
	assert_failure 1
}

@test "sealing: a member who joins the holder leaves its parts stale until a member re-seals them" {
	sealed_cases
	(as_bram && member-add "Dora Dewulf" dora@welzijn.example --partner welzijn --role consultant \
		--key "$KEYS/dora.pub" >/dev/null)
	run case-validate
	assert_failure 1
	assert_output "$PLAN18:18: domains.psychosocial: sealed for bram@welzijn.example but the bases of 2026-11-29 allow bram@welzijn.example, dora@welzijn.example: re-seal it (case-reseal)
$PLAN:18: domains.psychosocial: sealed for bram@welzijn.example but the bases of 2026-11-29 allow bram@welzijn.example, dora@welzijn.example: re-seal it (case-reseal)"
	(as_bram && case-reseal --all >/dev/null)
	run case-validate
	assert_success
	assert_output ''
}

@test "sealing: a key that cannot be read is said, and the store is checked without opening" {
	init_store
	new_case >/dev/null
	chmod 644 "$KEYS/ann"
	run --separate-stderr case-validate
	assert_success
	assert_output ""
	assert_equal "$stderr" "case-validate: cannot read key '$KEYS/ann': permissions 0644 are too open (chmod 600 it); sealed values are checked without opening them"
}

@test "a store packed by git gc reads the same as with loose objects" {
	full_case
	new_case B-2026-018
	sneak "sed -i 's/^purpose: casusoverleg/purpose: gossip/' cases/e7/B-2026-017/consent/c-*.yaml"
	run case-validate
	assert_failure 1
	loose=$output
	run plan-show B-2026-018
	assert_success
	shown=$output
	# Every object packed, as deltas on one another where git finds them alike.
	git -C "$STORE" repack -a -d -f -q --depth=50
	git -C "$STORE" prune-packed
	assert_equal "$(find "$STORE/objects" -path '*/objects/??/*' -type f | wc -l)" 0
	run case-validate
	assert_failure 1
	assert_output "$loose"
	run plan-show B-2026-018
	assert_success
	assert_output "$shown"
	assert_store 10
}

@test "a damaged pack is reported by name, with git fsck to tell more" {
	full_case
	git -C "$STORE" repack -a -d -f -q
	git -C "$STORE" prune-packed
	pack=$(ls "$STORE"/objects/pack/pack-*.pack)
	chmod u+w "$pack"
	size=$(stat -c %s "$pack")
	# Zeroes over everything after the pack's header but its last 20 bytes (its hash).
	head -c $((size - 32)) /dev/zero | dd of="$pack" bs=1 seek=12 conv=notrunc status=none
	run --separate-stderr case-validate
	assert_failure 2
	assert_output ''
	assert_regex "$stderr" "^case-validate: cannot .*: pack pack-[0-9a-f]{40}\.pack is damaged \(.*\); git fsck tells more$"
}
