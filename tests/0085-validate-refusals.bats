#!/usr/bin/env bats
# case-validate(1): checks every file of the store, or the named cases, against the schemas
# and each other; prints "path:line: message" per problem; exit 0 clean, 1 problems, 2 error.
# It never changes the store.
#
# One test per kind of content a writer refuses (issue 9, acceptance 3): the refused content
# is committed with plain git (sneak), case-validate must report it, and the writer refuses the
# same content by the same rule: the check function of the record's kind, which the writer and
# case-validate both call. The two tests marked "(history)" are rules about a change, not about
# content (a member put on a team after leaving it; a held consultation changed): the tip
# cannot show them, `case-validate --history` does not check them yet, and they are skipped
# with the reason.

load helpers
bats_require_minimum_version 1.5.0

CASE=cases/e7/B-2026-017
PLAN=$CASE/plan.yaml
REINT=$CASE/reintegration.yaml
HELD=$CASE/overleg/2026-02-20.yaml

# Made once per file, copied per test: the team, case B-2026-017 of story 2, Bram's consent
# of story 4 (psychosocial, to the prison administration and the justice houses, from
# 2026-02-01), the consultation held on 2026-02-20 with one agreement (2026-02-20#1, owned by
# the justice houses, its text sealed: the sharing is on line 24) and one sharing under that
# consent, and a reintegration plan. 7 commits.
setup_file() {
	(
		BATS_TEST_TMPDIR=$BATS_FILE_TMPDIR && setup && init_store && new_case >/dev/null && as_bram &&
			consent-record B-2026-017 --from welzijn --told consent-leaflet --language nl --to dg-epi,justitiehuizen --categories psychosocial \
				--purpose casusoverleg --date 2026-02-01 --informed >"$BATS_FILE_TMPDIR/consent-id" &&
			printf '%s\n' 'present:' '- partner: welzijn' '  member: bram@welzijn.example' \
				'absent:' '- partner: dg-epi' '  reason: on leave' '- partner: justitiehuizen' \
				'  reason: in court' \
				'agreements:' '- text: housing with the family' '  owner: justitiehuizen' \
				'decision:' '  consensus: true' 'shared:' '- category: psychosocial' \
				'  from: welzijn' '  to: [dg-epi]' |
			overleg-record B-2026-017 --date 2026-02-20 --file - &&
			printf '%s\n' 'case_id: B-2026-017' 'housing:' '  status: to-arrange' 'work:' \
				'  status: to-arrange' 'network:' '  status: to-arrange' 'care:' '  status: to-arrange' |
			plan-edit B-2026-017 --reintegration --file -
	)
}

case_store() {
	cp -a "$BATS_FILE_TMPDIR/store" "$STORE"
	export CASUS_REPO="$STORE"
	CID=$(cat "$BATS_FILE_TMPDIR/consent-id")
	M=$BATS_TEST_TMPDIR/minutes.yaml
	as_bram
}

# case-validate exits 1 and prints exactly the lines on stdin, nothing on stderr, and leaves
# the store as it was: the same tip, n commits, fsck clean.
validate_reports() {
	local n=$1 expected before
	expected=$(cat)
	before=$(head_commit)
	run --separate-stderr case-validate </dev/null
	assert_failure 1
	assert_output "$expected"
	assert_equal "$stderr" ''
	assert_equal "$(head_commit)" "$before"
	assert_store "$n"
}

# The file at path in the tip, changed by the sed script $2, into $BATS_TEST_TMPDIR/$3, for
# giving a writer the content that was committed behind its back.
changed() {
	git -C "$STORE" show "main:$1" | sed "$2" >"$BATS_TEST_TMPDIR/$3"
}

# The minutes in $M stored as overleg-record stores them for the date $1 (four lines before
# them: case_id, date, kind, status), with $2 appended (the covered_by of a sharing), with git.
sneak_held() {
	local f=$BATS_TEST_TMPDIR/held.yaml
	{
		printf 'case_id: B-2026-017\ndate: %s\nkind: periodic\nstatus: held\n' "$1"
		cat "$M"
		printf '%s' "${2:-}"
	} >"$f"
	sneak "cp '$f' $CASE/overleg/$1.yaml"
}

# Minutes with Bram present, the other two partners of the team absent with a reason (R5, on
# one line), and a decision: $1 before the decision, $2 after it.
minutes() {
	printf 'present:\n- partner: welzijn\n  member: bram@welzijn.example\n%s%sdecision:\n  consensus: true\n%s' \
		"$ABSENT" "${1:-}" "${2:-}" >"$M"
}
ABSENT=$'absent: [{partner: dg-epi, reason: on leave}, {partner: justitiehuizen, reason: in court}]\n'

# A record put in consent/ with git, named by its ID $1; the lines $2... follow id and case_id.
sneak_record() {
	local id=$1 f=$BATS_TEST_TMPDIR/record.yaml
	shift
	{ printf 'id: %s\ncase_id: B-2026-017\n' "$id"; printf '%s\n' "$@"; } >"$f"
	sneak "cp '$f' $CASE/consent/$id.yaml"
}

@test "the base store of this file passes case-validate" {
	case_store
	run --separate-stderr case-validate
	assert_success
	assert_output ''
	assert_store 7
}

# --- casus.yaml: case-init, case-config, member-add, member-remove ---------------------------

@test "settings: what the schema of casus.yaml refuses (case-config, case-init)" {
	case_store
	run case-config overleg.cadence 6x
	assert_failure 2
	assert_line 'case-config: casus.yaml:36: overleg.cadence: "6x" is not a duration such as 14d, 6w or 3m'
	assert_store 7
	sneak "sed -i \"s/^  cadence: '6w'/  cadence: '6x'/\" casus.yaml"
	validate_reports 8 <<-'EOF'
	casus.yaml:36: overleg.cadence: "6x" is not a duration such as 14d, 6w or 3m
	EOF
}

@test "settings: a member of an unknown partner (settings_check; member-add, case-config)" {
	case_store
	run case-config members.1.partner police
	assert_failure 2
	assert_line "case-config: casus.yaml:51: members[1]: unknown partner 'police'"
	run member-add "Dan Smet" dan@brugge.example --partner police --key "$KEYS/dan.pub"
	assert_failure 2
	assert_output "member-add: cannot add member: unknown partner 'police' (known: dg-epi, justitiehuizen, welzijn)"
	assert_store 7
	sneak "sed -i 's/^  partner: welzijn/  partner: police/' casus.yaml"
	validate_reports 8 <<-EOF
	casus.yaml:51: members[1]: unknown partner 'police'
	$HELD:6: present[0]: 'bram@welzijn.example' is not a registered team member for welzijn
	$PLAN:15: team.welzijn[0]: 'bram@welzijn.example' is a member for police, not welzijn
	EOF
}

@test "settings: a member whose address git cannot write with (member_ident_check; case-config)" {
	case_store
	run case-config members.1.email 'bram<x>@welzijn.example'
	assert_failure 2
	assert_line "case-config: casus.yaml:49: members[1]: cannot write as 'bram<x>@welzijn.example': the address has '<' or '>'"
	assert_store 7
	sneak "sed -i 's/^- email: bram@welzijn.example/- email: bram<x>@welzijn.example/' casus.yaml"
	validate_reports 8 <<-EOF
	casus.yaml:49: members[1]: cannot write as 'bram<x>@welzijn.example': the address has '<' or '>'
	$HELD:6: present[0]: 'bram@welzijn.example' is not a registered team member for welzijn
	$PLAN:15: team.welzijn[0]: 'bram@welzijn.example' is not a registered team member
	EOF
}

@test "settings: an address registered twice (settings_check; member-add, case-config)" {
	case_store
	run case-config members.2.email Bram@welzijn.example
	assert_failure 2
	assert_line "case-config: casus.yaml:58: members[2]: 'Bram@welzijn.example' is registered twice (also members[1])"
	run member-add "Bram Claes" bram@welzijn.example --partner welzijn --key "$KEYS/bram.pub"
	assert_failure 2
	assert_output "member-add: cannot add member 'bram@welzijn.example': already registered"
	assert_store 7
	sneak "sed -i 's/^- email: chris@jh.example/- email: Bram@welzijn.example/' casus.yaml"
	validate_reports 8 <<-EOF
	casus.yaml:58: members[2]: 'Bram@welzijn.example' is registered twice (also members[1])
	$PLAN:13: team.justitiehuizen[0]: 'chris@jh.example' is not a registered team member
	$HELD:18: agreements[0].seal[0].member: 'chris@jh.example' is not a registered team member
	$HELD:14: agreements[0]: sealed for chris@jh.example (an old key) but the bases of 2026-11-29 allow Bram@welzijn.example: re-seal it (case-reseal)
	EOF
}

@test "settings: no active member (settings_check; case-config)" {
	case_store
	changed casus.yaml 's/^  active: true/  active: false/' settings.yaml
	run case-config --file "$BATS_TEST_TMPDIR/settings.yaml"
	assert_failure 2
	assert_line "case-config: casus.yaml:39: members: no active member: nobody could write to the store"
	assert_store 7
	sneak "cp '$BATS_TEST_TMPDIR/settings.yaml' casus.yaml"
	# Without an until date, a member who is not active is gone on every day (R9).
	validate_reports 8 <<-EOF
	casus.yaml:39: members: no active member: nobody could write to the store
	$HELD:6: present[0]: 'bram@welzijn.example' is no longer an active team member
	$HELD:14: agreements[0]: sealed for chris@jh.example but the bases of 2026-11-29 allow nobody: re-seal it (case-reseal)
	EOF
}

@test "settings: no active member git can write as (settings_check, settings_writers; member-remove, case-config)" {
	case_store
	as_ann
	member_leaves bram@welzijn.example
	member_leaves chris@jh.example
	run member-remove ann@brugge.example
	assert_failure 2
	assert_output "member-remove: cannot remove member 'ann@brugge.example': the last active team member who can write"
	run case-config members.0.email 'ann<x>@brugge.example'
	assert_failure 2
	assert_line "case-config: casus.yaml:39: members: no active member whose name and address git can write with: nobody could write to the store"
	assert_store 9
	sneak "sed -i 's/^- email: ann@brugge.example/- email: ann<x>@brugge.example/' casus.yaml"
	validate_reports 10 <<-EOF
	casus.yaml:39: members[0]: cannot write as 'ann<x>@brugge.example': the address has '<' or '>'
	casus.yaml:39: members: no active member whose name and address git can write with: nobody could write to the store
	$PLAN:11: team.dg-epi[0]: 'ann@brugge.example' is not a registered team member
	EOF
}

@test "settings: R11: art. 458ter periods that end before they begin or overlap (settings_check; case-config)" {
	case_store
	run case-config partners.welzijn.shares_under_458ter "[{since: 2026-12-10, until: 2026-12-01}]"
	assert_failure 2
	assert_line "case-config: casus.yaml:12: partners.welzijn.shares_under_458ter[0]: until 2026-12-01 is before since 2026-12-10"
	run case-config partners.welzijn.shares_under_458ter "[{since: 2026-12-01, until: 2026-12-10}, {since: 2026-12-05}]"
	assert_failure 2
	assert_line "case-config: casus.yaml:12: partners.welzijn.shares_under_458ter[1]: since 2026-12-05 overlaps the period before it, which holds until 2026-12-10"
	assert_store 7
	sneak "sed -i '/^  welzijn:/,/shares_under_458ter/ s/shares_under_458ter: false/shares_under_458ter:\\n    - {since: 2026-03-01, until: 2026-02-01}\\n    - {since: 2026-04-01}\\n    - {since: 2026-05-01}/' casus.yaml"
	validate_reports 8 <<-'EOF'
	casus.yaml:13: partners.welzijn.shares_under_458ter[0]: until 2026-02-01 is before since 2026-03-01
	casus.yaml:15: partners.welzijn.shares_under_458ter[2]: overlaps the period before it, which is still open (no until)
	EOF
}

@test "settings: a change that breaks a case (casus_put_config; case-config)" {
	case_store
	run case-config members.1.partner justitiehuizen
	assert_failure 2
	assert_line "case-config: $PLAN:15: team.welzijn[0]: 'bram@welzijn.example' is a member for justitiehuizen, not welzijn"
	assert_line "case-config: cannot change the settings: 1 case would no longer pass case-validate (B-2026-017), nothing stored"
	assert_store 7
	sneak "sed -i 's/^  partner: welzijn/  partner: justitiehuizen/' casus.yaml"
	validate_reports 8 <<-EOF
	$HELD:6: present[0]: 'bram@welzijn.example' is not a registered team member for welzijn
	$PLAN:15: team.welzijn[0]: 'bram@welzijn.example' is a member for justitiehuizen, not welzijn
	$HELD:14: agreements[0]: sealed for chris@jh.example but the bases of 2026-11-29 allow bram@welzijn.example, chris@jh.example: re-seal it (case-reseal)
	EOF
}

@test "settings: a category removed that a consent names (casus_put_config; case-config)" {
	case_store
	changed casus.yaml '/^  psychosocial:/,+2d' settings.yaml
	run case-config --file "$BATS_TEST_TMPDIR/settings.yaml"
	assert_failure 2
	assert_line "case-config: $CASE/consent/$CID.yaml:17: categories: unknown category 'psychosocial' (known: alternative_discourse, detention, education_employment, mental_health, reintegration, security, social_context)"
	assert_line "case-config: cannot change the settings: 1 case would no longer pass case-validate (B-2026-017), nothing stored"
	assert_store 7
	sneak "cp '$BATS_TEST_TMPDIR/settings.yaml' casus.yaml"
	validate_reports 8 <<-EOF
	$CASE/consent/$CID.yaml:17: categories: unknown category 'psychosocial' (known: alternative_discourse, detention, education_employment, mental_health, reintegration, security, social_context)
		$HELD:24: shared[0]: unknown category 'psychosocial'
	EOF
}

@test "R2: settings: a key that is not an ssh-ed25519 public key (settings_check; member-add, case-config)" {
	case_store
	run case-config members.1.keys.0.key "ssh-rsa AAAAB3NzaC1yc2E bram"
	assert_failure 2
	assert_line "case-config: casus.yaml:56: members[1].keys[0]: the key cannot be read: it is not an ssh-ed25519 public key"
	assert_store 7
	sneak "sed -i 's/^  - key: ssh-ed25519 [^ ]* bram@welzijn.example/  - key: ssh-rsa AAAAB3NzaC1yc2E bram/' casus.yaml"
	validate_reports 8 <<-EOF
	casus.yaml:56: members[1].keys[0]: the key cannot be read: it is not an ssh-ed25519 public key
	EOF
}

@test "R2: settings: a key registered to two members (settings_check; member-add, case-config)" {
	case_store
	run case-config members.2.keys.0.key "$(cat "$KEYS/bram.pub")"
	assert_failure 2
	assert_line "case-config: casus.yaml:65: members[2].keys[0]: the key is also registered to 'bram@welzijn.example' (a key is one person's)"
	assert_store 7
	sneak "sed -i 's|^  - key: ssh-ed25519 [^ ]* chris@jh.example|  - key: $(cat "$KEYS/bram.pub")|' casus.yaml"
	validate_reports 8 <<-EOF
	casus.yaml:65: members[2].keys[0]: the key is also registered to 'bram@welzijn.example' (a key is one person's)
	$HELD:14: agreements[0]: sealed for chris@jh.example (an old key) but the bases of 2026-11-29 allow chris@jh.example: re-seal it (case-reseal)
	EOF
}

@test "R2: settings: two current keys, and a key that ends before it begins (settings_check; case-config)" {
	case_store
	changed casus.yaml "/^  - key: ssh-ed25519 [^ ]* bram@welzijn.example/{n;s|\$|\\n  - key: $(cat "$KEYS/dina.pub")\\n    since: '2026-11-29'|}" settings.yaml
	run case-config --file "$BATS_TEST_TMPDIR/settings.yaml"
	assert_failure 2
	assert_line "case-config: casus.yaml:58: members[1].keys[1]: a second current key (without until): a member has at most one"
	changed casus.yaml "/^  - key: ssh-ed25519 [^ ]* bram@welzijn.example/{n;s|\$|\\n    until: '2026-01-01'|}" settings.yaml
	run case-config --file "$BATS_TEST_TMPDIR/settings.yaml"
	assert_failure 2
	assert_line "case-config: casus.yaml:56: members[1].keys[0]: until 2026-01-01 is before since 2026-11-29"
	assert_store 7
	sneak "cp '$BATS_TEST_TMPDIR/settings.yaml' casus.yaml"
	validate_reports 8 <<-EOF
	casus.yaml:56: members[1].keys[0]: until 2026-01-01 is before since 2026-11-29
	EOF
}

# --- commits: every writer signs them (R2) ----------------------------------------------------

@test "R2: commit (history): a commit made with plain git is not signed (commit_verify; every writer, the guard)" {
	case_store
	sneak "sed -i 's/^  status: to-arrange$/  status: in-progress/' $REINT"
	run case-validate
	assert_success
	run case-validate --history
	assert_failure 1
	assert_output "commit $(head_commit): it is not signed"
	run case-validate --history B-2026-017
	assert_success
}

# --- plan.yaml: plan-new, plan-edit --------------------------------------------------------

@test "plan: what the schema of plan.yaml refuses (plan-edit)" {
	case_store
	changed "$PLAN" 's/^status: open/status: done/' plan.yaml
	sneak "cp '$BATS_TEST_TMPDIR/plan.yaml' $PLAN"
	validate_reports 8 <<-EOF
	$PLAN:3: status: "done" is not one of open, closed
	EOF
	run plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/plan.yaml"
	assert_failure 2
	assert_line "plan-edit: $BATS_TEST_TMPDIR/plan.yaml:3: status: \"done\" is not one of open, closed"
}

@test "plan: a case_id that is not the case's (plan_check; plan-edit)" {
	case_store
	changed "$PLAN" 's/^case_id: B-2026-017/case_id: B-2026-018/' plan.yaml
	sneak "cp '$BATS_TEST_TMPDIR/plan.yaml' $PLAN"
	validate_reports 8 <<-EOF
	$PLAN:1: case_id: is 'B-2026-018' but the case is 'B-2026-017'
	EOF
	run plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/plan.yaml"
	assert_failure 2
	assert_line "plan-edit: $BATS_TEST_TMPDIR/plan.yaml:1: case_id: is 'B-2026-018' but the case is 'B-2026-017'"
}

@test "plan: dates out of order (plan_check; plan-new, plan-edit)" {
	case_store
	changed "$PLAN" 's/2028-05-31/2027-01-01/' plan.yaml
	sneak "cp '$BATS_TEST_TMPDIR/plan.yaml' $PLAN"
	validate_reports 8 <<-EOF
	$PLAN:7: dates.release_eligible: release_eligible 2027-01-01 is before leave_eligible 2027-05-31
	EOF
	run plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/plan.yaml"
	assert_failure 2
	assert_line "plan-edit: $BATS_TEST_TMPDIR/plan.yaml:7: dates.release_eligible: release_eligible 2027-01-01 is before leave_eligible 2027-05-31"
	run plan-new B-2026-018 --institution Brugge --detention-start 2026-01-10 \
		--leave-eligible 2027-05-31 --release-eligible 2027-01-01
	assert_failure 2
	assert_output "plan-new: cannot use --release-eligible 2027-01-01: it is before --leave-eligible 2027-05-31"
}

@test "plan: a team partner that is not a known partner (plan_check; plan-new, plan-edit)" {
	case_store
	changed "$PLAN" 's/^  welzijn:/  police:/' plan.yaml
	sneak "cp '$BATS_TEST_TMPDIR/plan.yaml' $PLAN"
	# The consultation held before the team changed is not judged by today's team.
	validate_reports 8 <<-EOF
	$PLAN:14: team: unknown partner 'police' (known: dg-epi, justitiehuizen, welzijn)
	EOF
	run plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/plan.yaml"
	assert_failure 2
	assert_line "plan-edit: $BATS_TEST_TMPDIR/plan.yaml:14: team: unknown partner 'police' (known: dg-epi, justitiehuizen, welzijn)"
	run plan-new B-2026-018 --institution Brugge --detention-start 2026-01-10 --team police=bram@welzijn.example
	assert_failure 2
	assert_output "plan-new: cannot store the plan of 'B-2026-018': team: unknown partner 'police' (known: dg-epi, justitiehuizen, welzijn)"
}

@test "plan: a team member who is not registered (plan_check; plan-new, plan-edit)" {
	case_store
	changed "$PLAN" 's/chris@jh.example/eve@jh.example/' plan.yaml
	sneak "cp '$BATS_TEST_TMPDIR/plan.yaml' $PLAN"
	validate_reports 8 <<-EOF
	$PLAN:13: team.justitiehuizen[0]: 'eve@jh.example' is not a registered team member
	EOF
	run plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/plan.yaml"
	assert_failure 2
	assert_line "plan-edit: $BATS_TEST_TMPDIR/plan.yaml:13: team.justitiehuizen[0]: 'eve@jh.example' is not a registered team member"
	run plan-new B-2026-018 --institution Brugge --detention-start 2026-01-10 --team justitiehuizen=eve@jh.example
	assert_failure 2
	assert_output "plan-new: cannot store the plan of 'B-2026-018': team.justitiehuizen[0]: 'eve@jh.example' is not a registered team member"
}

@test "plan: a team member registered for another partner (plan_check; plan-new, plan-edit)" {
	case_store
	changed "$PLAN" 's/chris@jh.example/ann@brugge.example/' plan.yaml
	sneak "cp '$BATS_TEST_TMPDIR/plan.yaml' $PLAN"
	validate_reports 8 <<-EOF
	$PLAN:13: team.justitiehuizen[0]: 'ann@brugge.example' is a member for dg-epi, not justitiehuizen
	EOF
	run plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/plan.yaml"
	assert_failure 2
	assert_line "plan-edit: $BATS_TEST_TMPDIR/plan.yaml:13: team.justitiehuizen[0]: 'ann@brugge.example' is a member for dg-epi, not justitiehuizen"
	run plan-new B-2026-018 --institution Brugge --detention-start 2026-01-10 --team justitiehuizen=ann@brugge.example
	assert_failure 2
	assert_output "plan-new: cannot store the plan of 'B-2026-018': team.justitiehuizen[0]: 'ann@brugge.example' is a member for dg-epi, not justitiehuizen"
}

@test "plan: a role of an unknown partner, or of a member not registered (plan_check; plan-edit)" {
	case_store
	git -C "$STORE" show "main:$PLAN" >"$BATS_TEST_TMPDIR/plan.yaml"
	printf 'roles:\n- partner: police\n  member: eve@jh.example\n  agreement: visits\n' >>"$BATS_TEST_TMPDIR/plan.yaml"
	sneak "cp '$BATS_TEST_TMPDIR/plan.yaml' $PLAN"
	validate_reports 8 <<-EOF
	$PLAN:28: roles[0]: unknown partner 'police'
	$PLAN:29: roles[0]: 'eve@jh.example' is not a registered team member
	EOF
	run plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/plan.yaml"
	assert_failure 2
	assert_line "plan-edit: $BATS_TEST_TMPDIR/plan.yaml:28: roles[0]: unknown partner 'police'"
	assert_line "plan-edit: $BATS_TEST_TMPDIR/plan.yaml:29: roles[0]: 'eve@jh.example' is not a registered team member"
}

@test "plan: an owner that is not a known partner (plan_check; plan-edit)" {
	case_store
	changed "$PLAN" '/^  psychosocial:/a\    owner: police' plan.yaml
	sneak "cp '$BATS_TEST_TMPDIR/plan.yaml' $PLAN"
	validate_reports 8 <<-EOF
	$PLAN:18: domains.psychosocial: unknown partner 'police' (known: dg-epi, justitiehuizen, welzijn)
	EOF
	run plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/plan.yaml"
	assert_failure 2
	assert_line "plan-edit: $BATS_TEST_TMPDIR/plan.yaml:18: domains.psychosocial: unknown partner 'police' (known: dg-epi, justitiehuizen, welzijn)"
}

@test "plan: a file larger than a file may be (store_read, casus_dump; plan-edit)" {
	case_store
	git -C "$STORE" show "main:$PLAN" >"$BATS_TEST_TMPDIR/plan.yaml"
	head -c 1048576 /dev/zero | tr '\0' '#' >>"$BATS_TEST_TMPDIR/plan.yaml"
	size=$(stat -c %s "$BATS_TEST_TMPDIR/plan.yaml")
	sneak "cp '$BATS_TEST_TMPDIR/plan.yaml' $PLAN"
	validate_reports 8 <<-EOF
	$PLAN: cannot read '$PLAN': file of $size bytes, larger than the limit of 1048576 bytes
	EOF
	run plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/plan.yaml"
	assert_failure 2
	assert_output "plan-edit: cannot read '$BATS_TEST_TMPDIR/plan.yaml': larger than 1048576 bytes"
}

@test "plan (history): a member no longer active put on a case's team (plan_team_inactive; plan-new, plan-edit)" {
	case_store
	as_ann
	member-add "Dan Smet" dan@brugge.example --partner dg-epi --key "$KEYS/dan.pub"
	member-remove dan@brugge.example
	changed "$PLAN" 's/^  - ann@brugge.example/  - ann@brugge.example\n  - dan@brugge.example/' plan.yaml
	run plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/plan.yaml"
	assert_failure 2
	assert_output "plan-edit: cannot store the plan of 'B-2026-017': team member 'dan@brugge.example' is no longer active"
	sneak "cp '$BATS_TEST_TMPDIR/plan.yaml' $PLAN"
	run case-validate --history
	assert_failure 1
	assert_output "commit $(head_commit): case B-2026-017: team member 'dan@brugge.example' is no longer active
commit $(head_commit): it is not signed"
	assert_store 10
}

@test "plan (history): a new case whose team names a member no longer active (plan_team_inactive; plan-new)" {
	case_store
	as_ann
	member-add "Dan Smet" dan@brugge.example --partner dg-epi --key "$KEYS/dan.pub"
	member-remove dan@brugge.example
	run plan-new B-2026-018 --institution 'Gevangenis Brugge' --detention-start 2026-01-05 \
		--team dg-epi=dan@brugge.example
	assert_failure 2
	assert_output "plan-new: cannot create case 'B-2026-018': team member 'dan@brugge.example' is no longer active"
	git -C "$STORE" show main:$PLAN |
		sed -e 's/^case_id: B-2026-017/case_id: B-2026-018/' \
		    -e 's/^  - ann@brugge.example/  - dan@brugge.example/' >"$BATS_TEST_TMPDIR/plan.yaml"
	sneak "mkdir -p cases/96/B-2026-018 && cp '$BATS_TEST_TMPDIR/plan.yaml' cases/96/B-2026-018/plan.yaml"
	run case-validate --history
	assert_failure 1
	assert_output "commit $(head_commit): case B-2026-018: team member 'dan@brugge.example' is no longer active
commit $(head_commit): it is not signed"
}

@test "R1: a revocation of the detention plan's refusal before the refusal (plan_check; plan-edit)" {
	case_store
	changed "$PLAN" "3a refusals:\n- since: '2026-03-01'\n  revoked: '2026-02-01'" plan.yaml
	sneak "cp '$BATS_TEST_TMPDIR/plan.yaml' $PLAN"
	validate_reports 8 <<-EOF
	$PLAN:6: refusals[0]: revoked 2026-02-01 is before the refusal of 2026-03-01
	EOF
	run plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/plan.yaml"
	assert_failure 2
	assert_line "plan-edit: $BATS_TEST_TMPDIR/plan.yaml:6: refusals[0]: revoked 2026-02-01 is before the refusal of 2026-03-01"
}

@test "R1: a second refusal of the detention plan while the first holds (plan_check; plan-edit)" {
	case_store
	changed "$PLAN" "3a refusals:\n- since: '2026-02-01'\n- since: '2026-03-01'" plan.yaml
	sneak "cp '$BATS_TEST_TMPDIR/plan.yaml' $PLAN"
	validate_reports 8 <<-EOF
	$PLAN:6: refusals[1]: refused 2026-03-01 while the refusal of 2026-02-01 is not revoked
	EOF
	run plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/plan.yaml"
	assert_failure 2
	assert_line "plan-edit: $BATS_TEST_TMPDIR/plan.yaml:6: refusals[1]: refused 2026-03-01 while the refusal of 2026-02-01 is not revoked"
}

@test "R1: a refusal of the detention plan before the revocation of the one before it (plan_check; plan-edit)" {
	case_store
	changed "$PLAN" "3a refusals:\n- since: '2026-02-01'\n  revoked: '2026-04-01'\n- since: '2026-03-01'" plan.yaml
	sneak "cp '$BATS_TEST_TMPDIR/plan.yaml' $PLAN"
	validate_reports 8 <<-EOF
	$PLAN:7: refusals[1]: refused 2026-03-01, before the revocation of 2026-04-01
	EOF
	run plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/plan.yaml"
	assert_failure 2
	assert_line "plan-edit: $BATS_TEST_TMPDIR/plan.yaml:7: refusals[1]: refused 2026-03-01, before the revocation of 2026-04-01"
}

@test "R1: the old form of a refusal beside the list of refusals (plan_check; plan-edit)" {
	case_store
	changed "$PLAN" "3a refusals:\n- since: '2026-02-01'\nrefusal:\n  since: '2026-02-01'" plan.yaml
	sneak "cp '$BATS_TEST_TMPDIR/plan.yaml' $PLAN"
	validate_reports 8 <<-EOF
	$PLAN:7: refusal: the old form beside refusals: make it the first item of refusals
	EOF
	run plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/plan.yaml"
	assert_failure 2
	assert_line "plan-edit: $BATS_TEST_TMPDIR/plan.yaml:7: refusal: the old form beside refusals: make it the first item of refusals"
}

# --- reintegration.yaml: plan-edit --reintegration -----------------------------------------

@test "reintegration: what the schema refuses (plan-edit --reintegration)" {
	case_store
	changed "$REINT" 's/^  status: to-arrange/  status: sorted/' reint.yaml
	sneak "cp '$BATS_TEST_TMPDIR/reint.yaml' $REINT"
	validate_reports 8 <<-EOF
	$REINT:3: housing.status: "sorted" is not one of to-arrange, in-progress, arranged, not-needed
	$REINT:5: work.status: "sorted" is not one of to-arrange, in-progress, arranged, not-needed
	$REINT:7: network.status: "sorted" is not one of to-arrange, in-progress, arranged, not-needed
	$REINT:9: care.status: "sorted" is not one of to-arrange, in-progress, arranged, not-needed
	EOF
	run plan-edit B-2026-017 --reintegration --file "$BATS_TEST_TMPDIR/reint.yaml"
	assert_failure 2
	assert_line "plan-edit: $BATS_TEST_TMPDIR/reint.yaml:3: housing.status: \"sorted\" is not one of to-arrange, in-progress, arranged, not-needed"
}

@test "reintegration: a case_id that is not the case's (reintegration_check; plan-edit --reintegration)" {
	case_store
	changed "$REINT" 's/^case_id: B-2026-017/case_id: B-2026-018/' reint.yaml
	sneak "cp '$BATS_TEST_TMPDIR/reint.yaml' $REINT"
	validate_reports 8 <<-EOF
	$REINT:1: case_id: is 'B-2026-018' but the case is 'B-2026-017'
	EOF
	run plan-edit B-2026-017 --reintegration --file "$BATS_TEST_TMPDIR/reint.yaml"
	assert_failure 2
	assert_line "plan-edit: $BATS_TEST_TMPDIR/reint.yaml:1: case_id: is 'B-2026-018' but the case is 'B-2026-017'"
}

@test "reintegration: an area's owner that is not a known partner (plan_check; plan-edit --reintegration)" {
	case_store
	changed "$REINT" '/^housing:/a\  owner: police' reint.yaml
	sneak "cp '$BATS_TEST_TMPDIR/reint.yaml' $REINT"
	validate_reports 8 <<-EOF
	$REINT:3: housing: unknown partner 'police' (known: dg-epi, justitiehuizen, welzijn)
	EOF
	run plan-edit B-2026-017 --reintegration --file "$BATS_TEST_TMPDIR/reint.yaml"
	assert_failure 2
	assert_line "plan-edit: $BATS_TEST_TMPDIR/reint.yaml:3: housing: unknown partner 'police' (known: dg-epi, justitiehuizen, welzijn)"
}

@test "reintegration: a follow-up member not registered, or not of the justice houses (reintegration_check)" {
	case_store
	git -C "$STORE" show "main:$REINT" >"$BATS_TEST_TMPDIR/reint.yaml"
	printf 'follow_up:\n  justice_house: Justitiehuis Brugge\n  member: ann@brugge.example\n' >>"$BATS_TEST_TMPDIR/reint.yaml"
	sed 's/ann@brugge.example/eve@jh.example/' "$BATS_TEST_TMPDIR/reint.yaml" >"$BATS_TEST_TMPDIR/reint2.yaml"
	sneak "cp '$BATS_TEST_TMPDIR/reint.yaml' $REINT"
	validate_reports 8 <<-EOF
	$REINT:12: follow_up.member: 'ann@brugge.example' is a member for dg-epi, not justitiehuizen
	EOF
	run plan-edit B-2026-017 --reintegration --file "$BATS_TEST_TMPDIR/reint.yaml"
	assert_failure 2
	assert_line "plan-edit: $BATS_TEST_TMPDIR/reint.yaml:12: follow_up.member: 'ann@brugge.example' is a member for dg-epi, not justitiehuizen"
	sneak "cp '$BATS_TEST_TMPDIR/reint2.yaml' $REINT"
	validate_reports 9 <<-EOF
	$REINT:12: follow_up.member: 'eve@jh.example' is not a registered team member
	EOF
	run plan-edit B-2026-017 --reintegration --file "$BATS_TEST_TMPDIR/reint2.yaml"
	assert_failure 2
	assert_line "plan-edit: $BATS_TEST_TMPDIR/reint2.yaml:12: follow_up.member: 'eve@jh.example' is not a registered team member"
}

@test "reintegration: a need of an unknown category or from an unknown partner (reintegration_check)" {
	case_store
	git -C "$STORE" show "main:$REINT" >"$BATS_TEST_TMPDIR/reint.yaml"
	printf 'needs:\n- category: gossip\n  from: police\n' >>"$BATS_TEST_TMPDIR/reint.yaml"
	sneak "cp '$BATS_TEST_TMPDIR/reint.yaml' $REINT"
	validate_reports 8 <<-EOF
	$REINT:11: needs[0]: unknown category 'gossip'
	$REINT:12: needs[0]: unknown partner 'police'
	EOF
	run plan-edit B-2026-017 --reintegration --file "$BATS_TEST_TMPDIR/reint.yaml"
	assert_failure 2
	assert_line "plan-edit: $BATS_TEST_TMPDIR/reint.yaml:11: needs[0]: unknown category 'gossip'"
	assert_line "plan-edit: $BATS_TEST_TMPDIR/reint.yaml:12: needs[0]: unknown partner 'police'"
}

@test "reintegration: a reintegration plan in a case without a plan (plan-edit --reintegration)" {
	case_store
	sneak "mkdir -p cases/96/B-2026-018 && sed 's/B-2026-017/B-2026-018/' $REINT >cases/96/B-2026-018/reintegration.yaml"
	validate_reports 8 <<-'EOF'
	cases/96/B-2026-018: the case has no plan.yaml
	EOF
	git -C "$STORE" show "main:cases/96/B-2026-018/reintegration.yaml" >"$BATS_TEST_TMPDIR/reint.yaml"
	run plan-edit B-2026-018 --reintegration --file "$BATS_TEST_TMPDIR/reint.yaml"
	assert_failure 2
	assert_output "plan-edit: cannot find case 'B-2026-018': no such case in this store"
}

# --- consent/: consent-record --------------------------------------------------------------

@test "consent: what the schema of a record refuses (consent-record)" {
	case_store
	run consent-record B-2026-017 --from welzijn,justitiehuizen --told consent-leaflet --language nl --to dg-epi,dg-epi --categories psychosocial --purpose casusoverleg --date 2026-03-01
	assert_failure 2
	assert_output "consent-record: cannot record: partner 'dg-epi' is named twice"
	assert_store 7
	sneak_record c-20260301-aaaaaa 'kind: consent' 'date: 2026-03-01' 'recorded: 2026-11-29' \
		'how: written' 'informed: true' 'to: [dg-epi, dg-epi]' 'categories: [psychosocial]' \
		'purpose: casusoverleg'
	validate_reports 8 <<-EOF
	$CASE/consent/c-20260301-aaaaaa.yaml:8: to[1]: items [0] and [1] are the same; items must be unique
	EOF
	# A record that does not pass its schema stops every writer of the case, this one too.
	run consent-record B-2026-017 --from welzijn,justitiehuizen --told consent-leaflet --language nl --to dg-epi --categories psychosocial --purpose casusoverleg --date 2026-03-01
	assert_failure 2
	assert_output "consent-record: cannot read '$CASE/consent/c-20260301-aaaaaa.yaml': line 8: to[1]: items [0] and [1] are the same; items must be unique"
}

@test "consent: an unknown partner or category (consent_check; consent-record)" {
	case_store
	sneak_record c-20260301-aaaaaa 'kind: consent' 'date: 2026-03-01' 'recorded: 2026-11-29' \
		'how: written' 'informed: true' 'to: [police]' 'categories: [gossip]' 'purpose: casusoverleg'
	validate_reports 8 <<-EOF
	$CASE/consent/c-20260301-aaaaaa.yaml:8: to: unknown partner 'police' (known: dg-epi, justitiehuizen, welzijn)
	$CASE/consent/c-20260301-aaaaaa.yaml:9: categories: unknown category 'gossip' (known: alternative_discourse, detention, education_employment, mental_health, psychosocial, reintegration, security, social_context)
	EOF
	run consent-record B-2026-017 --from dg-epi,welzijn,justitiehuizen --told consent-leaflet --language nl --to police --categories psychosocial --purpose casusoverleg --date 2026-03-01
	assert_failure 2
	assert_output "consent-record: cannot record: unknown partner 'police' (known: dg-epi, justitiehuizen, welzijn)"
	run consent-record B-2026-017 --from welzijn,justitiehuizen --told consent-leaflet --language nl --to dg-epi --categories gossip --purpose casusoverleg --date 2026-03-01
	assert_failure 2
	assert_output --partial "consent-record: cannot record: unknown category 'gossip' (known: "
}

@test "R10: consent: a partner whose information it covers that casus.yaml does not know (consent_check; consent-record --from)" {
	case_store
	sneak_record c-20260301-aaaaaa 'kind: consent' 'date: 2026-03-01' 'recorded: 2026-11-29' \
		'how: written' 'informed: true' 'told: leaflet' 'language: nl' 'from: [police]' \
		'to: [dg-epi]' 'categories: [psychosocial]' 'purpose: casusoverleg'
	validate_reports 8 <<-EOF
	$CASE/consent/c-20260301-aaaaaa.yaml:10: from: unknown partner 'police' (known: dg-epi, justitiehuizen, welzijn)
	EOF
	run consent-record B-2026-017 --from police --told leaflet --language nl --to dg-epi \
		--categories psychosocial --purpose casusoverleg --date 2026-03-01 --informed
	assert_failure 2
	assert_output "consent-record: cannot record: unknown partner 'police' (known: dg-epi, justitiehuizen, welzijn)"
	assert_store 8
}

@test "R10: consent: a record that names from without what was told and in which language (schema; consent-record)" {
	case_store
	sneak_record c-20260301-aaaaaa 'kind: consent' 'date: 2026-03-01' 'recorded: 2026-11-29' \
		'how: written' 'informed: true' 'from: [welzijn]' 'to: [dg-epi]' \
		'categories: [psychosocial]' 'purpose: casusoverleg'
	validate_reports 8 <<-EOF
	$CASE/consent/c-20260301-aaaaaa.yaml:1: missing property 'told', required when 'from' is present
	$CASE/consent/c-20260301-aaaaaa.yaml:1: missing property 'language', required when 'from' is present
	EOF
	run consent-record B-2026-017 --from welzijn --to dg-epi --categories psychosocial \
		--purpose casusoverleg --date 2026-03-01 --informed
	assert_failure 2
	assert_line --index 0 "consent-record: --from, --told and --language are required: whose information, what the detainee was told, and in which language"
	assert_store 8
}

@test "R10: consent: a sharing stored under a consent changed to not informed has no basis (share_decide; overleg-record)" {
	case_store
	sneak "sed -i 's/^informed: true/informed: false/' $CASE/consent/$CID.yaml"
	validate_reports 8 <<-EOF
	$HELD:24: shared[0]: psychosocial from welzijn to dg-epi has no basis: consent $CID was given without being informed that refusing or withdrawing has no consequences (recorded without --informed), so it is no basis
	EOF
}

@test "R10: consent: a consent stored before from existed still reads, and covers no one's information (share_decide)" {
	case_store
	sneak "sed -i -e '/^told:/d' -e '/^language:/d' -e '/^from:/,/^to:/{/^to:/!d}' $CASE/consent/$CID.yaml"
	run git -C "$STORE" show "main:$CASE/consent/$CID.yaml"
	refute_output --partial 'from:'
	validate_reports 8 <<-EOF
	$HELD:24: shared[0]: psychosocial from welzijn to dg-epi has no basis: consent $CID does not say whose information it covers (it was recorded before consents named it), so it covers no one's: record it again with --from
	EOF
}

@test "consent: a legal basis naming an unknown participant (consent_check; consent-record --basis)" {
	case_store
	sneak_record b-20260301-aaaaaa 'kind: basis' 'date: 2026-03-01' 'recorded: 2026-11-29' \
		'basis: prosecutor' 'reference: PK 1' 'participants: [dg-epi, police]' \
		'categories: [psychosocial]' 'purpose: terrorism'
	validate_reports 8 <<-EOF
	$CASE/consent/b-20260301-aaaaaa.yaml:8: participants: unknown partner 'police' (known: dg-epi, justitiehuizen, welzijn)
	EOF
	run consent-record B-2026-017 --basis prosecutor --reference 'PK 1' --to dg-epi,police \
		--categories psychosocial --purpose terrorism --date 2026-03-01
	assert_failure 2
	assert_output "consent-record: cannot record: unknown partner 'police' (known: dg-epi, justitiehuizen, welzijn)"
}

@test "consent: a withdrawal of a record the case does not have (consent_check; consent-record --withdraw)" {
	case_store
	sneak_record w-20260301-aaaaaa 'kind: withdrawal' 'date: 2026-03-01' 'recorded: 2026-11-29' \
		'withdraws: c-20260101-000000'
	validate_reports 8 <<-EOF
	$CASE/consent/w-20260301-aaaaaa.yaml:6: withdraws: case 'B-2026-017' has no consent 'c-20260101-000000'
	EOF
	run consent-record B-2026-017 --withdraw c-20260101-000000 --date 2026-03-01
	assert_failure 2
	assert_output "consent-record: cannot record the withdrawal: case 'B-2026-017' has no consent 'c-20260101-000000'"
}

@test "consent: a record whose ID is not its file's name, or whose case_id is another case's" {
	case_store
	sneak "sed 's/^case_id: B-2026-017/case_id: B-2026-018/' $CASE/consent/$CID.yaml >$CASE/consent/c-20260201-000000.yaml"
	validate_reports 8 <<-EOF
	$CASE/consent/c-20260201-000000.yaml:1: id: '$CID' does not match the file's name
	$CASE/consent/c-20260201-000000.yaml:2: case_id: is 'B-2026-018' but the case is 'B-2026-017'
	EOF
}

@test "consent: a withdrawal of a record withdrawn already (consent_check; consent-record)" {
	case_store
	wid=$(consent-record B-2026-017 --withdraw "$CID" --date 2026-03-01)
	run consent-record B-2026-017 --withdraw "$CID" --date 2026-03-02
	assert_failure 2
	assert_output "consent-record: cannot record the withdrawal: consent '$CID' was withdrawn already ($wid)"
	sneak_record w-20260302-aaaaaa 'kind: withdrawal' 'date: 2026-03-02' 'recorded: 2026-11-29' \
		"withdraws: $CID"
	validate_reports 9 <<-EOF
	$CASE/consent/w-20260302-aaaaaa.yaml:6: withdraws: consent '$CID' was withdrawn already ($wid)
	EOF
}

@test "consent: a withdrawal dated before the record took effect (consent_check; consent-record)" {
	case_store
	run consent-record B-2026-017 --withdraw "$CID" --date 2026-01-15
	assert_failure 2
	assert_output "consent-record: cannot record the withdrawal: 2026-01-15 is before the consent took effect (2026-02-01)"
	sneak_record w-20260115-aaaaaa 'kind: withdrawal' 'date: 2026-01-15' 'recorded: 2026-11-29' \
		"withdraws: $CID"
	validate_reports 8 <<-EOF
	$CASE/consent/w-20260115-aaaaaa.yaml:6: withdraws: 2026-01-15 is before the consent took effect (2026-02-01)
	$HELD:24: shared[0]: psychosocial from welzijn to dg-epi has no basis: consent $CID was withdrawn on 2026-01-15 (w-20260115-aaaaaa)
	EOF
}

@test "consent: a consent that ends before it begins (consent_check; consent-record)" {
	case_store
	run consent-record B-2026-017 --from welzijn,justitiehuizen --told consent-leaflet --language nl --to dg-epi --categories psychosocial --purpose casusoverleg \
		--date 2026-03-01 --until 2026-02-01
	assert_failure 2
	assert_output "consent-record: cannot record: --until 2026-02-01 is before --date 2026-03-01"
	sneak_record c-20260301-aaaaaa 'kind: consent' 'date: 2026-03-01' 'recorded: 2026-11-29' \
		'how: written' 'informed: true' 'to: [dg-epi]' 'categories: [psychosocial]' \
		'purpose: casusoverleg' 'until: 2026-02-01'
	validate_reports 8 <<-EOF
	$CASE/consent/c-20260301-aaaaaa.yaml:11: until: 2026-02-01 is before the date it holds from (2026-03-01)
	EOF
}

@test "consent: a consent dated after the day it was recorded (consent_check; consent-record)" {
	case_store
	run consent-record B-2026-017 --from welzijn,justitiehuizen --told consent-leaflet --language nl --to dg-epi --categories psychosocial --purpose casusoverleg --date 2026-12-01
	assert_failure 2
	assert_output "consent-record: cannot record: --date 2026-12-01 is after today (2026-11-29)"
	sneak_record c-20261201-aaaaaa 'kind: consent' 'date: 2026-12-01' 'recorded: 2026-11-29' \
		'how: written' 'informed: true' 'to: [dg-epi]' 'categories: [psychosocial]' \
		'purpose: casusoverleg'
	validate_reports 8 <<-EOF
	$CASE/consent/c-20261201-aaaaaa.yaml:4: date: 2026-12-01 is after the day it was recorded (2026-11-29)
	EOF
}

# --- overleg/: overleg-record, overleg-schedule --commit ------------------------------------

@test "consultation: what the schema of a consultation refuses (overleg-record, overleg-schedule)" {
	case_store
	sneak "sed -i 's/^kind: periodic/kind: yearly/' $HELD &&
		printf 'case_id: B-2026-017\ndate: 2026-04-03\nkind: periodic\nstatus: planned\nabsent: [dg-epi]\n' >$CASE/overleg/2026-04-03.yaml"
	validate_reports 8 <<-EOF
	$HELD:3: kind: "yearly" is not one of periodic, pre-leave
	$CASE/overleg/2026-04-03.yaml:5: property name 'absent': "absent" is not one of case_id, date, kind, status
	EOF
	ABSENT=$'absent: [{partner: dg-epi, reason: ill}, {partner: dg-epi, reason: ill}]\n' minutes
	run overleg-record B-2026-017 --date 2026-03-10 --file "$M"
	assert_failure 2
}

@test "consultation: a date that is not its file's name, or a case_id that is another case's" {
	case_store
	sneak "sed -i 's/^date: .2026-02-20./date: 2026-02-21/; s/^case_id: B-2026-017/case_id: B-2026-018/' $HELD"
	validate_reports 8 <<-EOF
	$HELD:2: date: '2026-02-21' does not match the file's name
	$HELD:1: case_id: is 'B-2026-018' but the case is 'B-2026-017'
	EOF
}

@test "consultation: a consultation held before the detention start (overleg_check; overleg-record)" {
	case_store
	minutes
	run overleg-record B-2026-017 --date 2026-01-05 --file "$M"
	assert_failure 2
	assert_output "overleg-record: cannot record the consultation of B-2026-017 on 2026-01-05: before the detention start"
	sneak_held 2026-01-05
	validate_reports 8 <<-EOF
	$CASE/overleg/2026-01-05.yaml:2: date: before the detention start
	EOF
}

@test "consultation: a consultation held after today (overleg_after_today; overleg-record)" {
	case_store
	minutes
	run overleg-record B-2026-017 --date 2026-12-01 --file "$M"
	assert_failure 2
	assert_output "overleg-record: cannot record the consultation of B-2026-017 on 2026-12-01: that is after today"
	sneak_held 2026-12-01
	validate_reports 8 <<-EOF
	$CASE/overleg/2026-12-01.yaml:2: date: 2026-12-01 is after today
	EOF
}

@test "consultation: R6 a pre-leave consultation held outside the pre-leave window (overleg_check; overleg-record)" {
	case_store
	export CASUS_TODAY=2027-06-01
	minutes
	# overleg-record gives the kind itself: the day before leave eligibility is a periodic one.
	overleg-record B-2026-017 --date 2027-05-30 --file "$M"
	run git -C "$STORE" show "main:$CASE/overleg/2027-05-30.yaml"
	assert_line --index 2 'kind: periodic'
	assert_store 8
	sneak_held 2027-05-29
	sneak "sed -i 's/^kind: periodic/kind: pre-leave/' $CASE/overleg/2027-05-29.yaml"
	validate_reports 10 <<-EOF
	$CASE/overleg/2027-05-29.yaml:3: kind: pre-leave, but not held in the pre-leave window (2027-02-14 to 2027-03-14)
	EOF
}

@test "consultation: a partner present that is not a known partner (overleg_check; overleg-record)" {
	case_store
	ABSENT=$'- partner: police\n  member: bram@welzijn.example\n'$ABSENT minutes
	run overleg-record B-2026-017 --date 2026-03-10 --file "$M"
	assert_failure 2
	assert_line "overleg-record: $M:4: present[1]: unknown partner 'police'"
	sneak_held 2026-03-10
	validate_reports 8 <<-EOF
	$CASE/overleg/2026-03-10.yaml:8: present[1]: unknown partner 'police'
	EOF
}

@test "consultation: a member present who is not registered for the partner (overleg_check; overleg-record)" {
	case_store
	ABSENT=$'- partner: welzijn\n  member: chris@jh.example\n'$ABSENT minutes
	run overleg-record B-2026-017 --date 2026-03-10 --file "$M"
	assert_failure 2
	assert_line "overleg-record: $M:4: present[1]: 'chris@jh.example' is not a registered team member for welzijn"
	sneak_held 2026-03-10
	validate_reports 8 <<-EOF
	$CASE/overleg/2026-03-10.yaml:8: present[1]: 'chris@jh.example' is not a registered team member for welzijn
	EOF
}

@test "consultation: a partner absent that is not on the case's team (overleg_check; overleg-record)" {
	case_store
	ABSENT=${ABSENT%]*}$', {partner: police, reason: none}]\n' minutes
	run overleg-record B-2026-017 --date 2026-03-10 --file "$M"
	assert_failure 2
	assert_line "overleg-record: $M:4: absent[2]: 'police' is not a partner of the case's fixed team"
	sneak_held 2026-03-10
	validate_reports 8 <<-EOF
	$CASE/overleg/2026-03-10.yaml:8: absent[2]: 'police' is not a partner of the case's fixed team
	EOF
}

@test "consultation: a partner both absent and present (overleg_check; overleg-record)" {
	case_store
	ABSENT=${ABSENT%]*}$', {partner: welzijn, reason: late}]\n' minutes
	run overleg-record B-2026-017 --date 2026-03-10 --file "$M"
	assert_failure 2
	assert_line "overleg-record: $M:4: absent[2]: 'welzijn' is also listed as present"
	sneak_held 2026-03-10
	validate_reports 8 <<-EOF
	$CASE/overleg/2026-03-10.yaml:8: absent[2]: 'welzijn' is also listed as present
	EOF
}

@test "consultation: an agreement owned by an unknown partner (overleg_check; overleg-record)" {
	case_store
	minutes $'agreements:\n- text: visits\n  owner: police\n'
	run overleg-record B-2026-017 --date 2026-03-10 --file "$M"
	assert_failure 2
	assert_line "overleg-record: $M:7: agreements[0].owner: unknown partner 'police'"
	sneak_held 2026-03-10
	validate_reports 8 <<-EOF
	$CASE/overleg/2026-03-10.yaml:11: agreements[0].owner: unknown partner 'police'
	EOF
}

@test "consultation: closing an agreement no earlier consultation made (overleg_check; overleg-record)" {
	case_store
	minutes $'closes:\n- agreement: 2026-03-01#1\n  status: done\n'
	run overleg-record B-2026-017 --date 2026-03-10 --file "$M"
	assert_failure 2
	assert_line "overleg-record: $M:6: closes[0]: no agreement '2026-03-01#1' in an earlier consultation"
	sneak_held 2026-03-10
	validate_reports 8 <<-EOF
	$CASE/overleg/2026-03-10.yaml:10: closes[0]: no agreement '2026-03-01#1' in an earlier consultation
	EOF
}

@test "consultation: closing an agreement made by a later consultation (overleg_check; overleg-record)" {
	case_store
	minutes $'closes:\n- agreement: 2026-02-20#1\n  status: done\n'
	run overleg-record B-2026-017 --date 2026-02-15 --file "$M"
	assert_failure 2
	assert_line "overleg-record: $M:6: closes[0]: no agreement '2026-02-20#1' in an earlier consultation"
	sneak_held 2026-02-15
	validate_reports 8 <<-EOF
	$CASE/overleg/2026-02-15.yaml:10: closes[0]: no agreement '2026-02-20#1' in an earlier consultation
	EOF
}

@test "consultation: closing an agreement that is closed already (overleg_check; overleg-record)" {
	case_store
	minutes $'closes:\n- agreement: 2026-02-20#1\n  status: done\n'
	overleg-record B-2026-017 --date 2026-03-10 --file "$M"
	minutes $'closes:\n- agreement: 2026-02-20#1\n  status: dropped\n'
	run overleg-record B-2026-017 --date 2026-04-11 --file "$M"
	assert_failure 2
	assert_line "overleg-record: $M:6: closes[0]: agreement '2026-02-20#1' is done already"
	sneak_held 2026-04-10
	validate_reports 9 <<-EOF
	$CASE/overleg/2026-04-10.yaml:10: closes[0]: agreement '2026-02-20#1' is done already
	EOF
}

@test "consultation: closing an agreement twice in the same minutes (overleg_check; overleg-record)" {
	case_store
	minutes $'closes:\n- agreement: 2026-02-20#1\n  status: done\n- agreement: 2026-02-20#1\n  status: dropped\n'
	run overleg-record B-2026-017 --date 2026-03-10 --file "$M"
	assert_failure 2
	assert_line "overleg-record: $M:8: closes[1]: agreement '2026-02-20#1' is closed twice in these minutes"
	sneak_held 2026-03-10
	validate_reports 8 <<-EOF
	$CASE/overleg/2026-03-10.yaml:12: closes[1]: agreement '2026-02-20#1' is closed twice in these minutes
	EOF
}

@test "consultation: a dissent of an unknown partner (overleg_check; overleg-record)" {
	case_store
	minutes '' $'  dissent:\n  - partner: police\n    point: too early\n'
	run overleg-record B-2026-017 --date 2026-03-10 --file "$M"
	assert_failure 2
	assert_line "overleg-record: $M:8: decision.dissent[0].partner: unknown partner 'police'"
	sneak_held 2026-03-10
	validate_reports 8 <<-EOF
	$CASE/overleg/2026-03-10.yaml:12: decision.dissent[0].partner: unknown partner 'police'
	EOF
}

@test "consultation: R7 a dissent of a partner not present (overleg_check; overleg-record)" {
	case_store
	minutes '' $'  dissent:\n  - partner: dg-epi\n    point: too early\n'
	run overleg-record B-2026-017 --date 2026-03-10 --file "$M"
	assert_failure 2
	assert_line "overleg-record: $M:8: decision.dissent[0].partner: 'dg-epi' dissents but was not present"
	assert_store 7
	sneak_held 2026-03-10
	validate_reports 8 <<-EOF
	$CASE/overleg/2026-03-10.yaml:12: decision.dissent[0].partner: 'dg-epi' dissents but was not present
	EOF
}

@test "consultation: information shared from or to an unknown partner, or of an unknown category (overleg_check; overleg-record)" {
	case_store
	minutes '' $'shared:\n- category: gossip\n  from: police\n  to: [dg-epi, police]\n'
	run overleg-record B-2026-017 --date 2026-03-10 --file "$M"
	assert_failure 2
	assert_line "overleg-record: $M:9: shared[0]: unknown partner 'police'"
	assert_line "overleg-record: $M:10: shared[0]: unknown partner 'police'"
	assert_line "overleg-record: $M:8: shared[0]: unknown category 'gossip'"
	sneak_held 2026-03-10 $'  covered_by:\n    dg-epi: own\n    police: own\n'
	validate_reports 8 <<-EOF
	$CASE/overleg/2026-03-10.yaml:13: shared[0]: unknown partner 'police'
	$CASE/overleg/2026-03-10.yaml:14: shared[0]: unknown partner 'police'
	$CASE/overleg/2026-03-10.yaml:12: shared[0]: unknown category 'gossip'
	EOF
}

@test "consultation: information shared that no consent or legal basis covers (overleg_check; overleg-record)" {
	case_store
	minutes '' $'shared:\n- category: reintegration\n  from: welzijn\n  to: [dg-epi]\n'
	run overleg-record B-2026-017 --date 2026-03-10 --file "$M"
	assert_failure 1
	assert_line "overleg-record: $M:8: shared[0]: reintegration from welzijn to dg-epi has no basis: consent $CID does not cover category reintegration"
	sneak_held 2026-03-10 $'  covered_by:\n    dg-epi: own\n'
	validate_reports 8 <<-EOF
	$CASE/overleg/2026-03-10.yaml:12: shared[0]: reintegration from welzijn to dg-epi has no basis: consent $CID does not cover category reintegration
	EOF
}

@test "consultation (history): a held consultation changed or removed (history_records_check; overleg-record, overleg-schedule)" {
	case_store
	minutes
	run overleg-record B-2026-017 --date 2026-02-20 --file "$M"
	assert_failure 2
	assert_output "overleg-record: cannot record the consultation of B-2026-017 on 2026-02-20: it is recorded already"
	# By someone other than its recorder, Bram: his own would be a correction (casus(7), AUTHORITY).
	(as_ann && sneak "sed -i 's/^  consensus: true/&\\n  note: changed afterwards/' $HELD")
	run case-validate --history
	assert_failure 1
	assert_output "commit $(head_commit): case B-2026-017: consultation 2026-02-20 was changed
commit $(head_commit): it is not signed"
	sneak "git rm -q $HELD"
	run case-validate --history
	assert_failure 1
	assert_line "commit $(head_commit): case B-2026-017: consultation 2026-02-20 was removed"
}
