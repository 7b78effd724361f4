#!/usr/bin/env bats
# The acceptance scenario of stories 5 and 6, replayed day by day with CASUS_TODAY: a cron job
# each Monday plans the consultations due within two weeks and writes the calendar the
# secretariat imports; the chair records each consultation; the pre-leave one for leave
# eligibility on 2027-05-31 turns up in time for 2027-02-28, is held, and the next periodic one
# is counted from it. Every calendar parses with ical.js.

bats_require_minimum_version 1.5.0
load helpers

CASE=cases/e7/B-2026-017

# The Monday job: overleg-schedule -q --within 14d --commit && notify, where notify writes the
# calendar, checks it with ical.js, and logs its events; a quiet week logs "-".
cron() {
	local day=$1 st=0
	export CASUS_TODAY=$day
	overleg-schedule -q --within 14d --commit || st=$?
	[ "$st" -le 1 ] || fail "overleg-schedule exit $st on $day"
	if [ "$st" -eq 0 ]; then
		overleg-schedule --within 14d --format ics >"$BATS_TEST_TMPDIR/$day.ics"
		node "$BATS_TEST_DIRNAME/ics-check.mjs" "$BATS_TEST_TMPDIR/$day.ics" \
			"$BATS_TEST_DIRNAME/../.deps/npm/node_modules/ical.js/dist/ical.js" >"$BATS_TEST_TMPDIR/ics.out" ||
			fail "the calendar of $day does not parse"
		sed -n "2,\$s/^/$day /p" "$BATS_TEST_TMPDIR/ics.out" >>"$BATS_TEST_TMPDIR/log"
	else
		echo "$day -" >>"$BATS_TEST_TMPDIR/log"
	fi
}

# held DATE [DAY]: the chair (Bram) records the consultation of DATE, on DAY (default DATE).
held() {
	export CASUS_TODAY=${2:-$1}
	as_bram
	overleg-record B-2026-017 --date "$1" --file "$BATS_TEST_TMPDIR/minutes.yaml" ||
		fail "cannot record the consultation of $1"
	as_ann
}

minutes() {
	cat >"$BATS_TEST_TMPDIR/minutes.yaml" <<-'EOF'
	present:
	- partner: dg-epi
	  member: ann@brugge.example
	- partner: welzijn
	  member: bram@welzijn.example
	- partner: justitiehuizen
	  member: chris@jh.example
	decision:
	  consensus: true
	shared:
	- category: psychosocial
	  from: welzijn
	  to: [dg-epi, justitiehuizen]
	EOF
}

@test "story 6: the Monday job finds the pre-leave consultation in time for 28 February, and counts on from it" {
	command -v node >/dev/null || fail "node is missing: run make deps"
	init_store
	new_case >/dev/null
	as_bram
	consent-record B-2026-017 --from welzijn --told consent-leaflet --language nl --to dg-epi,justitiehuizen --categories psychosocial \
		--purpose casusoverleg --date 2026-02-01 --until 2030-01-10 --informed >/dev/null
	minutes
	held 2026-11-20
	assert_store 6
	for d in 2026-11-23 2026-11-30 2026-12-07 2026-12-14 2026-12-21 2026-12-28; do cron $d; done
	held 2027-01-01
	for d in 2027-01-04 2027-01-11 2027-01-18 2027-01-25 2027-02-01 2027-02-08; do cron $d; done
	held 2027-02-12
	for d in 2027-02-15 2027-02-22; do cron $d; done
	# Held on the Sunday, recorded on Monday morning before the night's job.
	cat >>"$BATS_TEST_TMPDIR/minutes.yaml" <<-'EOF'
	agreements:
	- text: housing with the family
	  owner: justitiehuizen
	  due: 2027-05-01
	- text: a job through the local employment service
	  owner: justitiehuizen
	EOF
	held 2027-02-28 2027-03-01
	for d in 2027-03-01 2027-03-08 2027-03-15 2027-03-22 2027-03-29 2027-04-05; do cron $d; done
	run cat "$BATS_TEST_TMPDIR/log"
	assert_output - <<-'EOF'
	2026-11-23 -
	2026-11-30 -
	2026-12-07 -
	2026-12-14 -
	2026-12-21 B-2026-017.periodic.20270101@casus|2027-01-01|casusoverleg B-2026-017 (periodic)|Brugge
	2026-12-28 B-2026-017.periodic.20270101@casus|2027-01-01|casusoverleg B-2026-017 (periodic)|Brugge
	2027-01-04 -
	2027-01-11 -
	2027-01-18 -
	2027-01-25 -
	2027-02-01 B-2026-017.periodic.20270212@casus|2027-02-12|casusoverleg B-2026-017 (periodic)|Brugge
	2027-02-08 B-2026-017.periodic.20270212@casus|2027-02-12|casusoverleg B-2026-017 (periodic)|Brugge
	2027-02-15 B-2026-017.pre-leave.20270228@casus|2027-02-28|casusoverleg B-2026-017 (pre-leave)|Brugge
	2027-02-22 B-2026-017.pre-leave.20270228@casus|2027-02-28|casusoverleg B-2026-017 (pre-leave)|Brugge
	2027-03-01 -
	2027-03-08 -
	2027-03-15 -
	2027-03-22 -
	2027-03-29 B-2026-017.periodic.20270411@casus|2027-04-11|casusoverleg B-2026-017 (periodic)|Brugge
	2027-04-05 B-2026-017.periodic.20270411@casus|2027-04-11|casusoverleg B-2026-017 (periodic)|Brugge
	EOF
	# One commit per consultation planned (the second Monday changes nothing), one per record.
	assert_store 13
	run git -C "$STORE" log --reverse --format='%an|%s|%(trailers:key=Overleg-Date,valueonly,separator=)' main
	assert_output - <<-'EOF'
	Ann Peeters|case-init: create store|
	Ann Peeters|member-add: register team member|
	Ann Peeters|member-add: register team member|
	Ann Peeters|plan-new: open case B-2026-017|
	Bram Claes|consent-record: record consent B-2026-017|
	Bram Claes|overleg-record: record consultation B-2026-017|2026-11-20
	Ann Peeters|overleg-schedule: plan consultations|
	Bram Claes|overleg-record: record consultation B-2026-017|2027-01-01
	Ann Peeters|overleg-schedule: plan consultations|
	Bram Claes|overleg-record: record consultation B-2026-017|2027-02-12
	Ann Peeters|overleg-schedule: plan consultations|
	Bram Claes|overleg-record: record consultation B-2026-017|2027-02-28
	Ann Peeters|overleg-schedule: plan consultations|
	EOF
	run git -C "$STORE" ls-tree --name-only main -- "$CASE/overleg/"
	assert_output - <<-EOF
	$CASE/overleg/2026-11-20.yaml
	$CASE/overleg/2027-01-01.yaml
	$CASE/overleg/2027-02-12.yaml
	$CASE/overleg/2027-02-28.yaml
	$CASE/overleg/2027-04-11.yaml
	EOF
	run git -C "$STORE" show "main:$CASE/overleg/2027-02-28.yaml"
	assert_line --index 2 'kind: pre-leave'
	assert_line --index 3 'status: held'
	run git -C "$STORE" show "main:$CASE/overleg/2027-04-11.yaml"
	assert_output $'case_id: B-2026-017\ndate: \'2027-04-11\'\nkind: periodic\nstatus: planned'
	# What plan-show makes of it on the day after.
	export CASUS_TODAY=2027-04-06
	run sh -c "plan-show B-2026-017 --format json | jq -c '[.overleg.last.date, .overleg.last.kind, .overleg.next, [.overleg.open_agreements[].id]]'"
	assert_output '["2027-02-28","pre-leave",{"date":"2027-04-11","kind":"periodic","status":"planned"},["2027-02-28#1","2027-02-28#2"]]'
	# Consent records are append-only: no commit of the scenario changed or deleted one.
	run git -C "$STORE" log --diff-filter=MD --name-only --format= main -- 'cases/*/*/consent/*'
	assert_success
	assert_output ''
}

@test "story 5: the night job of several days plans once, minutes without basis are refused, then recorded" {
	command -v node >/dev/null || fail "node is missing: run make deps"
	init_store
	new_case >/dev/null
	plan-new B-2026-031 --institution Brugge --detention-start 2026-10-20 \
		--team dg-epi=ann@brugge.example --team welzijn=bram@welzijn.example >/dev/null
	as_bram
	consent-record B-2026-017 --from welzijn --told consent-leaflet --language nl --to dg-epi,justitiehuizen --categories psychosocial \
		--purpose casusoverleg --date 2026-02-01 --until 2030-01-10 --informed >/dev/null
	minutes
	held 2026-11-20
	assert_store 7
	# Two nights: each night the job runs twice (a retry by cron); only the first writes.
	export CASUS_TODAY=2026-11-25
	run overleg-schedule --within 14d --commit --format tsv
	assert_success
	assert_output $'date\tcase\tkind\tstatus\tinstitution\n2026-12-01\tB-2026-031\tperiodic\tplanned\tBrugge'
	run overleg-schedule --within 14d --commit -q
	assert_success
	assert_store 8
	export CASUS_TODAY=2026-11-26
	run overleg-schedule --within 14d --commit -q
	assert_success
	assert_store 8
	overleg-schedule --within 14d --format ics >"$BATS_TEST_TMPDIR/cal.ics"
	run node "$BATS_TEST_DIRNAME/ics-check.mjs" "$BATS_TEST_TMPDIR/cal.ics" \
		"$BATS_TEST_DIRNAME/../.deps/npm/node_modules/ical.js/dist/ical.js"
	assert_success
	assert_line --index 1 'B-2026-031.periodic.20261201@casus|2026-12-01|casusoverleg B-2026-031 (periodic)|Brugge'
	# The consultation of B-2026-031: the minutes list psychosocial information shared
	# without consent.
	cat >"$BATS_TEST_TMPDIR/m31.yaml" <<-'EOF'
	present:
	- partner: dg-epi
	  member: ann@brugge.example
	- partner: welzijn
	  member: bram@welzijn.example
	decision:
	  consensus: false
	  dissent:
	  - partner: dg-epi
	    point: the training course waits
	shared:
	- category: psychosocial
	  from: welzijn
	  to: [dg-epi]
	EOF
	export CASUS_TODAY=2026-12-01
	as_bram
	run --separate-stderr overleg-record B-2026-031 --date 2026-12-01 --file "$BATS_TEST_TMPDIR/m31.yaml"
	assert_failure 1
	[[ "$stderr" == *"shared[0]: psychosocial from welzijn to dg-epi has no basis"* ]] || fail "stderr: $stderr"
	assert_store 8
	consent-record B-2026-031 --from welzijn,justitiehuizen --told consent-leaflet --language nl --to dg-epi --categories psychosocial --purpose casusoverleg \
		--date 2026-11-15 --informed >/dev/null
	run overleg-record B-2026-031 --date 2026-12-01 --file "$BATS_TEST_TMPDIR/m31.yaml"
	assert_success
	assert_store 10
	# The next night: B-2026-031's next one counts from 2026-12-01, B-2026-017's is 2027-01-01.
	export CASUS_TODAY=2026-12-02
	run overleg-schedule --until 2027-01-31 --format tsv
	assert_success
	assert_output - <<-'EOF'
	date	case	kind	status	institution
	2027-01-01	B-2026-017	periodic	due	Brugge
	2027-01-12	B-2026-031	periodic	due	Brugge
	EOF
	# The point of dissent is sealed for dg-epi, whose key opens it (without its recipients).
	run sh -c "CASUS_KEY='$KEYS/ann' plan-show B-2026-031 --format json | jq -c '.overleg.last.decision | del(.dissent[].seal)'"
	assert_output '{"consensus":false,"dissent":[{"partner":"dg-epi","point":"the training course waits"}]}'
	# Consent records are append-only: no commit of the scenario changed or deleted one.
	run git -C "$STORE" log --diff-filter=MD --name-only --format= main -- 'cases/*/*/consent/*'
	assert_success
	assert_output ''
}
