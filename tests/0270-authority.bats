#!/usr/bin/env bats
# casus(7), AUTHORITY: who may change what, one table kept by one function on every change.
#   1  a partner's own settings: its art. 458ter setting and its members, by a member of that
#      partner; an administrator adds the first member of a partner with no active member, and
#      registers the keys of a member whose partner has no other member with a key (R10)
#   2  the store-wide settings, and who is an administrator, by an administrator; in a store
#      without an active one, any active member names the first (R2)
#   3  a life domain's or reintegration area's content by the partner that owns it; an unowned
#      one by any member; its owner only by the owner (R10)
#   4  the rest of a plan by any member; a plan is never removed (R9, R2)
#   5  consent records only added (R10)
#   6  a held consultation never changed, but corrected by whoever recorded it, and re-sealed
#      by a member of a partner holding a part of it (R5, R7, R2)
#   7  any other file by an administrator (R2)
# A refused change stores nothing, exits 1, and names the rule and who may make it.

bats_require_minimum_version 1.5.0
load helpers

setup_file() {
	(BATS_TEST_TMPDIR=$BATS_FILE_TMPDIR && setup && init_store && new_case >/dev/null)
}

case_store() {
	cp -a "$BATS_FILE_TMPDIR/store" "$STORE"
	export CASUS_REPO="$STORE"
	P=$BATS_TEST_TMPDIR/plan.yaml
}

# refused CMD...: runs CMD, which must exit 1 with exactly the line on stdin, storing nothing.
refused() {
	local before
	before=$(head_commit)
	run --separate-stderr "$@"
	assert_failure 1
	assert_output ''
	assert_equal "$stderr" "$(cat)"
	assert_equal "$(head_commit)" "$before"
}

@test "R10: row 1: a partner's art. 458ter setting is switched only by a member of that partner" {
	case_store
	refused case-config partners.welzijn.shares_under_458ter true <<-EOF
	case-config: cannot change 'casus.yaml': partners.welzijn.shares_under_458ter is changed only by a member of welzijn
	EOF
	as_bram
	run case-config partners.welzijn.shares_under_458ter true
	assert_success
	assert_store 5
}

@test "R10: row 1: a partner's members are added and removed only by its own members" {
	case_store
	refused member-add "Dora Dewulf" dora@welzijn.example --partner welzijn --key "$KEYS/dora.pub" <<-EOF
	member-add: cannot change 'casus.yaml': a member of welzijn is added only by a member of welzijn, or by an administrator while welzijn has no active member
	EOF
	refused member-remove bram@welzijn.example <<-EOF
	member-remove: cannot change 'casus.yaml': member 'bram@welzijn.example' of welzijn is changed only by a member of welzijn
	EOF
	refused case-config members.1.role director <<-EOF
	case-config: cannot change 'casus.yaml': member 'bram@welzijn.example' of welzijn is changed only by a member of welzijn
	EOF
	as_bram
	run member-add "Dora Dewulf" dora@welzijn.example --partner welzijn --key "$KEYS/dora.pub"
	assert_success
	assert_store 5
}

@test "R10: row 1: an administrator adds the first member of a partner with no active member" {
	as_ann
	case-init "$STORE" --institution Brugge --partner dg-epi >/dev/null
	export CASUS_REPO=$STORE
	run member-add "Bram Claes" bram@welzijn.example --partner welzijn --key "$KEYS/bram.pub"
	assert_success
	assert_store 2
}

@test "R10: row 1: an administrator registers the key of a partner's only keyholder, no other's" {
	case_store
	# Bram lost his key; welfare has no other member with one, so nobody of welfare can write.
	n=$(commits)
	run member-key --register bram@welzijn.example "$KEYS/dora.pub" -m "Bram's key was lost"
	assert_success
	assert_store $((n + 1))
	assert_equal "$(case-config members.1.keys.1.key)" "$(cat "$KEYS/dora.pub")"
	export CASUS_KEY=$KEYS/dora
	run member-key --registered
	assert_success
	assert_line --index 1 --partial "bram@welzijn.example"
	# With a colleague of his own who has a key, welfare registers its keys itself.
	member-add "Dirk Wouters" dirk@welzijn.example --partner welzijn --key "$KEYS/dirk.pub"
	as_ann
	refused member-key --register bram@welzijn.example "$KEYS/eve.pub" <<-EOF
	member-key: cannot change 'casus.yaml': the keys of member 'bram@welzijn.example' of welzijn are changed only by a member of welzijn, or by an administrator while welzijn has no other member with a key
	EOF
}

@test "R2: row 2: the store-wide settings are changed only by an administrator" {
	case_store
	as_bram
	refused case-config institution Gent <<-EOF
	case-config: cannot change 'casus.yaml': institution is changed only by an administrator (ann@brugge.example)
	EOF
	refused case-config members.1.admin true <<-EOF
	case-config: cannot change 'casus.yaml': whether 'bram@welzijn.example' is an administrator is changed only by an administrator (ann@brugge.example)
	EOF
	as_ann
	run case-config institution Gent
	assert_success
	run case-config members.1.admin true
	assert_success
	assert_store 6
}

@test "R2: row 2: a store made before administrators names its first one by any active member, once" {
	case_store
	sneak "sed -i '/^  admin: true$/d' casus.yaml"
	as_bram
	refused case-config institution Gent <<-EOF
	case-config: cannot change 'casus.yaml': institution is changed only by an administrator, and this store has none: name one first (case-config members.N.admin true)
	EOF
	run case-config members.1.admin true
	assert_success
	as_chris
	refused case-config members.2.admin true <<-EOF
	case-config: cannot change 'casus.yaml': whether 'chris@jh.example' is an administrator is changed only by an administrator (bram@welzijn.example)
	EOF
}

@test "R10: row 3: a life domain is changed only by its owner, who alone changes its owner" {
	case_store
	as_bram
	plan-show B-2026-017 --format yaml | sed 's/^  psychosocial:$/&\n    owner: welzijn/' >"$P"
	run plan-edit B-2026-017 --file "$P"
	assert_success
	as_ann
	sed -i '/^    owner: welzijn$/a\    note: seen weekly' "$P"
	refused plan-edit B-2026-017 --file "$P" <<-EOF
	plan-edit: cannot change 'B-2026-017': domains.psychosocial is changed only by its owner, welzijn (propose it at the case consultation)
	EOF
	sed -i 's/^    owner: welzijn$/    owner: dg-epi/; /^    note: seen weekly$/d' "$P"
	refused plan-edit B-2026-017 --file "$P" <<-EOF
	plan-edit: cannot change 'B-2026-017': domains.psychosocial is changed only by its owner, welzijn (propose it at the case consultation)
	EOF
	# An unowned domain, and the rest of the plan (row 4), are any member's.
	plan-show B-2026-017 --format yaml | sed 's/^  mental_health:$/&\n    owner: dg-epi/' >"$P"
	run plan-edit B-2026-017 --file "$P"
	assert_success
	assert_store 6
}

@test "R10: row 3: a reintegration area is changed only by its owner" {
	case_store
	as_chris
	printf '%s\n' 'case_id: B-2026-017' 'housing:' '  status: to-arrange' '  owner: justitiehuizen' 'work:' \
		'  status: to-arrange' 'network:' '  status: to-arrange' 'care:' '  status: to-arrange' >"$P"
	run plan-edit B-2026-017 --reintegration --file "$P"
	assert_success
	as_bram
	sed -i 's/^  owner: justitiehuizen$/&\n  note: with the family/' "$P"
	refused plan-edit B-2026-017 --reintegration --file "$P" <<-EOF
	plan-edit: cannot change 'B-2026-017': housing is changed only by its owner, justitiehuizen (propose it at the case consultation)
	EOF
}

minutes() {
	M=$BATS_TEST_TMPDIR/m.yaml
	printf 'present:\n- partner: welzijn\n  member: bram@welzijn.example\n- partner: dg-epi\n  member: ann@brugge.example\nabsent:\n- partner: justitiehuizen\n  reason: ill\ndecisions:\n- text: %s\n  consensus: true\n' "$1" >"$M"
}

@test "R7: row 6: a held consultation is corrected only by whoever recorded it" {
	case_store
	as_bram
	minutes "the plan stands"
	overleg-record B-2026-017 --date 2026-11-20 --file "$M"
	assert_equal "$(git -C "$STORE" show main:cases/e7/B-2026-017/overleg/2026-11-20.yaml | tail -n 1)" \
		"recorded_by: bram@welzijn.example"
	minutes "the plan stands, leave from the spring"
	as_ann
	refused overleg-record B-2026-017 --correct 2026-11-20 --file "$M" <<-EOF
	overleg-record: cannot change 'B-2026-017': overleg/2026-11-20.yaml was held and is corrected only by whoever recorded it, bram@welzijn.example (overleg-record --correct)
	EOF
	as_bram
	run overleg-record B-2026-017 --correct 2026-11-20 --file "$M"
	assert_success
	assert_equal "$(git -C "$STORE" log -1 --format=%s main)" "overleg-record: correct consultation B-2026-017"
	run case-validate --history
	assert_success
	run overleg-record B-2026-017 --correct 2026-11-21 --file "$M"
	assert_failure 2
	assert_output "overleg-record: cannot correct the consultation of B-2026-017 on 2026-11-21: none was recorded as held that day"
}

@test "R7: row 6: a held consultation stored without its recorder is corrected by nobody" {
	case_store
	as_bram
	minutes "the plan stands"
	overleg-record B-2026-017 --date 2026-11-20 --file "$M"
	sneak "sed -i '/^recorded_by:/d' cases/e7/B-2026-017/overleg/2026-11-20.yaml"
	refused overleg-record B-2026-017 --correct 2026-11-20 --file "$M" <<-EOF
	overleg-record: cannot change 'B-2026-017': overleg/2026-11-20.yaml was held and is never changed or removed
	EOF
}
