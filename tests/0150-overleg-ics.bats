#!/usr/bin/env bats
# overleg-schedule --format ics: an iCalendar file (RFC 5545) the secretariat imports. It is
# held against ical.js, a parser nobody here wrote (make deps installs it), through
# tests/ics-check.mjs, and checked byte by byte: CRLF line ends, lines folded at 75 octets
# without splitting a UTF-8 sequence, PRODID, DTSTAMP, stable UIDs, escaped text. Without node
# or ical.js these tests fail: `make test` installs them.

bats_require_minimum_version 1.5.0
load helpers

setup_file() {
	(BATS_TEST_TMPDIR=$BATS_FILE_TMPDIR && setup && init_store)
}

team_store() {
	cp -a "$BATS_FILE_TMPDIR/store" "$STORE"
	export CASUS_REPO="$STORE"
}

# open_case ID DETENTION-START [LEAVE-ELIGIBLE [INSTITUTION]]: a case with the team of story 1.
open_case() {
	local id=$1 start=$2 leave=${3:-} inst=${4:-Brugge}
	plan-new "$id" --institution "$inst" --detention-start "$start" ${leave:+--leave-eligible "$leave"} \
		--team dg-epi=ann@brugge.example --team welzijn=bram@welzijn.example \
		--team justitiehuizen=chris@jh.example >/dev/null
}

# ics FILE [ARGS...]: the calendar of overleg-schedule ARGS into FILE in the test's folder.
ics() {
	local f=$BATS_TEST_TMPDIR/$1
	shift
	overleg-schedule --format ics "$@" >"$f"
}

# ics_check FILE: runs tests/ics-check.mjs on it (ical.js parses it; the events are whole).
ics_check() {
	command -v node >/dev/null || fail "node is missing: run make deps"
	run --separate-stderr node "$BATS_TEST_DIRNAME/ics-check.mjs" "$BATS_TEST_TMPDIR/$1" \
		"$BATS_TEST_DIRNAME/../.deps/npm/node_modules/ical.js/dist/ical.js"
}

# The lines of FILE that do not end in CRLF, or hold a CR elsewhere, as "N: why".
bad_ends() {
	perl -ne 'print "$.: no CRLF\n" unless /\r\n\z/; print "$.: stray CR\n" if /\r(?!\n\z)/' \
		"$BATS_TEST_TMPDIR/$1"
}

# The lines of FILE longer than 75 octets without the CRLF, as "N: length".
long_lines() {
	perl -ne 's/\r\n\z//; print "$.: ", length($_), "\n" if length($_) > 75' "$BATS_TEST_TMPDIR/$1"
}

# The lines of FILE that are not valid UTF-8 on their own: a fold split a sequence there.
split_utf8() {
	perl -MEncode -ne 'eval { decode("UTF-8", $_, Encode::FB_CROAK); 1 } or print "$.\n"' \
		"$BATS_TEST_TMPDIR/$1"
}

# FILE's content lines unfolded (RFC 5545 3.1), with LF ends.
unfolded() {
	perl -0777 -pe 's/\r\n[ \t]//g; s/\r\n/\n/g' "$BATS_TEST_TMPDIR/$1"
}

@test "ics: ical.js parses the calendar; each event has its UID, its day and a summary of case and kind" {
	team_store
	open_case B-2026-017 2026-11-01 2027-05-31
	open_case A-2026-001 2026-11-08
	ics cal.ics --within 3m
	ics_check cal.ics
	assert_success
	assert_equal "$stderr" ''
	assert_output - <<-'EOF'
	calendar|-//casus//overleg-schedule 0.1.0//EN
	B-2026-017.periodic.20261213@casus|2026-12-13|casusoverleg B-2026-017 (periodic)|Brugge
	A-2026-001.periodic.20261220@casus|2026-12-20|casusoverleg A-2026-001 (periodic)|Brugge
	B-2026-017.periodic.20270124@casus|2027-01-24|casusoverleg B-2026-017 (periodic)|Brugge
	A-2026-001.periodic.20270131@casus|2027-01-31|casusoverleg A-2026-001 (periodic)|Brugge
	B-2026-017.pre-leave.20270228@casus|2027-02-28|casusoverleg B-2026-017 (pre-leave)|Brugge
	EOF
	assert_store 5
}

@test "ics: ics-check refuses what ical.js cannot parse and events that lack what the tests rely on" {
	printf 'BEGIN:VCALENDAR\r\nthis is not a content line\r\nEND:VCALENDAR\r\n' >"$BATS_TEST_TMPDIR/bad.ics"
	ics_check bad.ics
	assert_failure 1
	[[ "$stderr" == "ics-check: cannot parse"* ]] || fail "stderr: $stderr"
	printf '%s\r\n' BEGIN:VCALENDAR VERSION:2.0 PRODID:-//x//y//EN BEGIN:VEVENT UID:a@x \
		'DTSTART;VALUE=DATE:20270228' SUMMARY:x END:VEVENT END:VCALENDAR >"$BATS_TEST_TMPDIR/nostamp.ics"
	ics_check nostamp.ics
	assert_failure 1
	assert_equal "$stderr" "ics-check: event 'a@x': DTSTAMP is not a date-time"
	printf 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nLOCATION:\xc3\r\n \xa9\r\nEND:VCALENDAR\r\n' \
		>"$BATS_TEST_TMPDIR/split.ics"
	ics_check split.ics
	assert_failure 1
	[[ "$stderr" == "ics-check: cannot read"*"as UTF-8"* ]] || fail "stderr: $stderr"
	run split_utf8 split.ics
	assert_output $'4\n5'
}

@test "ics: every line ends in CRLF, and none is longer than 75 octets" {
	team_store
	open_case B-2026-017 2026-11-01 2027-05-31 "Penitentiair Complex Brugge, afdeling voor gedetineerden gevolgd voor radicalisering"
	ics cal.ics --within 3m
	run bad_ends cal.ics
	assert_output ''
	run long_lines cal.ics
	assert_output ''
	assert [ "$(grep -c $'\r$' "$BATS_TEST_TMPDIR/cal.ics")" -eq "$(wc -l <"$BATS_TEST_TMPDIR/cal.ics")" ]
	# The file ends with the calendar, and a CRLF.
	assert_equal "$(tail -c 15 "$BATS_TEST_TMPDIR/cal.ics" | od -An -c | tr -s ' ')" \
		" E N D : V C A L E N D A R \r \n"
}

@test "ics: a long line is folded at 75 octets, never inside a UTF-8 sequence, and unfolds to the value" {
	team_store
	# 16 octets of "LOCATION:Brugge " then 3- and 4-octet characters across every fold.
	inst="Brugge €€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€€ 𝄞𝄞𝄞𝄞𝄞𝄞𝄞𝄞𝄞𝄞𝄞𝄞𝄞𝄞𝄞𝄞𝄞𝄞𝄞𝄞𝄞𝄞𝄞𝄞𝄞 Ωé"
	open_case B-2026-017 2026-11-01 '' "$inst"
	ics cal.ics --within 14d
	run long_lines cal.ics
	assert_output ''
	run split_utf8 cal.ics
	assert_output ''
	# It was folded: continuation lines start with one space.
	assert [ "$(grep -c '^ ' "$BATS_TEST_TMPDIR/cal.ics")" -ge 3 ]
	run unfolded cal.ics
	assert_line "LOCATION:$inst"
	ics_check cal.ics
	assert_success
	assert_output - <<-EOF
	calendar|-//casus//overleg-schedule 0.1.0//EN
	B-2026-017.periodic.20261213@casus|2026-12-13|casusoverleg B-2026-017 (periodic)|$inst
	EOF
}

@test "ics: a line of exactly 75 octets is not folded, one of 76 is" {
	team_store
	# "LOCATION:" is 9 octets: 66 more make 75.
	i66=$(printf 'B%.0s' $(seq 66))
	open_case B-2026-017 2026-11-01 '' "$i66"
	open_case B-2026-018 2026-11-02 '' "${i66}C"
	ics cal.ics --within 15d
	run unfolded cal.ics
	assert_line "LOCATION:$i66"
	assert_line "LOCATION:${i66}C"
	run grep -c '^LOCATION:' "$BATS_TEST_TMPDIR/cal.ics"
	assert_output 2
	run grep -F -x -c "LOCATION:$i66"$'\r' "$BATS_TEST_TMPDIR/cal.ics"
	assert_output 2
	run grep -F -x $' C\r' "$BATS_TEST_TMPDIR/cal.ics"
	assert_success
}

@test "ics: commas, semicolons and backslashes in the institution are escaped" {
	team_store
	open_case B-2026-017 2026-11-01 '' 'Brugge, vleugel A; cel \4'
	ics cal.ics --within 14d
	run grep -F -x 'LOCATION:Brugge\, vleugel A\; cel \\4'$'\r' "$BATS_TEST_TMPDIR/cal.ics"
	assert_success
	ics_check cal.ics
	assert_success
	assert_line --index 1 'B-2026-017.periodic.20261213@casus|2026-12-13|casusoverleg B-2026-017 (periodic)|Brugge, vleugel A; cel \4'
}

@test "ics: PRODID and VERSION once, and every event has a DTSTAMP in UTC" {
	team_store
	open_case B-2026-017 2026-11-01 2027-05-31
	ics cal.ics --within 3m
	run grep -c $'^PRODID:-//casus//overleg-schedule 0.1.0//EN\r$' "$BATS_TEST_TMPDIR/cal.ics"
	assert_output 1
	run grep -c $'^VERSION:2.0\r$' "$BATS_TEST_TMPDIR/cal.ics"
	assert_output 1
	events=$(grep -c $'^BEGIN:VEVENT\r$' "$BATS_TEST_TMPDIR/cal.ics")
	assert_equal "$events" 3
	# With CASUS_TODAY the stamp is that day, so the file is the same on every run.
	assert_equal "$(grep -c $'^DTSTAMP:20261129T000000Z\r$' "$BATS_TEST_TMPDIR/cal.ics")" "$events"
	# Without it, the time of the run.
	unset CASUS_TODAY
	ics now.ics --from 2026-11-29 --until 2027-03-01
	assert_equal "$(grep -c -E $'^DTSTAMP:[0-9]{8}T[0-9]{6}Z\r$' "$BATS_TEST_TMPDIR/now.ics")" "$events"
	ics_check now.ics
	assert_success
}

@test "ics: one all-day event per consultation, ending the next day, even across a leap day" {
	team_store
	export CASUS_TODAY=2028-02-01
	open_case B-2026-017 2027-12-20 2028-05-31
	ics cal.ics --within 30d --case B-2026-017
	run grep -E '^DT(START|END)' "$BATS_TEST_TMPDIR/cal.ics"
	assert_output - <<-EOF
	DTSTART;VALUE=DATE:20280131$(printf '\r')
	DTEND;VALUE=DATE:20280201$(printf '\r')
	DTSTART;VALUE=DATE:20280229$(printf '\r')
	DTEND;VALUE=DATE:20280301$(printf '\r')
	EOF
	ics_check cal.ics
	assert_success
	assert_line --index 1 'B-2026-017.periodic.20280131@casus|2028-01-31|casusoverleg B-2026-017 (periodic)|Brugge'
	assert_line --index 2 'B-2026-017.pre-leave.20280229@casus|2028-02-29|casusoverleg B-2026-017 (pre-leave)|Brugge'
}

@test "ics: the UID of a consultation stays the same across runs, days and --commit" {
	team_store
	open_case B-2026-017 2026-11-01 2027-05-31
	ics one.ics --within 3m
	ics two.ics --within 3m
	cmp "$BATS_TEST_TMPDIR/one.ics" "$BATS_TEST_TMPDIR/two.ics"
	uids() { grep '^UID:' "$BATS_TEST_TMPDIR/$1" | tr -d '\r'; }
	export CASUS_TODAY=2026-12-01
	ics later.ics --until 2027-02-28
	overleg-schedule --commit -q --until 2027-02-28
	ics planned.ics --until 2027-02-28
	assert_equal "$(uids later.ics)" "$(uids one.ics)"
	assert_equal "$(uids planned.ics)" "$(uids one.ics)"
	assert_equal "$(grep -c '^CATEGORIES:casusoverleg,planned' "$BATS_TEST_TMPDIR/planned.ics")" 3
}

@test "ics: UIDs differ per case and per consultation, also on the same day" {
	team_store
	open_case B-2026-017 2026-11-01
	open_case B-2026-018 2026-11-01
	# Three cases on 2026-12-13 and 2027-01-24, and one of them also on 2027-02-28 (pre-leave).
	open_case B-2026-019 2026-11-01 2027-05-31
	ics cal.ics --until 2027-03-01
	run sh -c "grep '^UID:' '$BATS_TEST_TMPDIR/cal.ics' | sort | uniq -d"
	assert_output ''
	assert_equal "$(grep -c '^UID:' "$BATS_TEST_TMPDIR/cal.ics")" 7
	ics_check cal.ics
	assert_success
}

@test "ics: the summary names only the case ID and the kind, and nothing of the team" {
	team_store
	open_case B-2026-017 2026-08-01 2026-12-29
	ics cal.ics --within 1d
	run grep '^SUMMARY:' "$BATS_TEST_TMPDIR/cal.ics"
	assert_output $'SUMMARY:casusoverleg B-2026-017 (periodic)\r\nSUMMARY:casusoverleg B-2026-017 (pre-leave)\r'
	run grep -E -c 'ann|bram|chris|example' "$BATS_TEST_TMPDIR/cal.ics"
	assert_output 0
	# Overdue ones are on the calendar too, marked so.
	run grep '^CATEGORIES:' "$BATS_TEST_TMPDIR/cal.ics"
	assert_output $'CATEGORIES:casusoverleg,overdue\r\nCATEGORIES:casusoverleg,overdue\r'
}

@test "ics: a calendar with nothing due still parses, and the exit status says nothing is due" {
	team_store
	run ics empty.ics --within 14d
	assert_failure 1
	ics_check empty.ics
	assert_success
	assert_output 'calendar|-//casus//overleg-schedule 0.1.0//EN'
	run bad_ends empty.ics
	assert_output ''
}
