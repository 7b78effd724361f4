#!/usr/bin/env bats
# case-stats(1): counts over every case of the store, from the index, for knowledge management
# and phenomenon analysis: cases open, opened and closed, life-domain statuses, consents given,
# refused and withdrawn, the consultations due, held by then, later or not, and the plans
# complete by the days from detention start to the day they were; grouped by
# institution, domain, month or year. A count from 1 to 4 is shown as <5, and one that would
# let a <5 be worked out by subtraction as x, so that no single detainee can be singled out.
# Exit 0 when done, 2 on an error. It changes nothing.

bats_require_minimum_version 1.5.0
load helpers

# Made once per file, copied per test:
#   seven cases of Brugge, B-2026-001 to -007, their detention starting from 5 January to
#   14 April, and two of Gent, G-2026-001 and -002, on 1 and 2 May; -006 and -007 closed
#   (by the commits of this run: counted on CASUS_TODAY, 29 November); psychosocial planned
#   for -001 to -005; consents given for -001 to -005 in March, refused by G-2026-001 in May,
#   -001's withdrawn in June; one consultation held for -001 on 14 February. 27 commits.
setup_file() {
	(
		BATS_TEST_TMPDIR=$BATS_FILE_TMPDIR && setup && init_store && make_cases &&
			cp -a "$STORE" "$BATS_FILE_TMPDIR/stats"
	) >&3 2>&3
}

make_cases() {
	local i=0 start id
	for start in 2026-01-05 2026-01-20 2026-02-03 2026-02-17 2026-03-02 2026-03-30 2026-04-14; do
		i=$((i + 1))
		plan-new B-2026-00$i --institution Brugge --detention-start $start \
			--team dg-epi=ann@brugge.example --team welzijn=bram@welzijn.example
	done
	plan-new G-2026-001 --institution Gent --detention-start 2026-05-01 --team dg-epi=ann@brugge.example
	plan-new G-2026-002 --institution Gent --detention-start 2026-05-02 --team dg-epi=ann@brugge.example
	for id in B-2026-006 B-2026-007; do
		VISUAL='sed -i "s/^status: open/status: closed/"' plan-edit $id -m released
	done
	for i in 1 2 3 4 5; do
		VISUAL='sed -i "/^  psychosocial:/{n;s/to-assess/planned/}"' plan-edit B-2026-00$i
	done
	as_bram
	for i in 1 2 3 4 5; do
		consent-record B-2026-00$i --from welzijn --told consent-leaflet --language nl --to dg-epi \
			--categories psychosocial --purpose casusoverleg --date 2026-03-0$i --informed >"$BATS_TEST_TMPDIR/c$i"
	done
	consent-record G-2026-001 --from welzijn --told consent-leaflet --language nl --to dg-epi \
		--categories psychosocial --purpose casusoverleg --date 2026-05-10 --refused >/dev/null
	consent-record B-2026-001 --withdraw "$(cat "$BATS_TEST_TMPDIR/c1")" --date 2026-06-01 >/dev/null 2>&1
	printf 'present:\n- partner: welzijn\n  member: bram@welzijn.example\nabsent:\n- partner: dg-epi\n  reason: on leave\ndecision:\n  consensus: true\n' |
		overleg-record B-2026-001 --date 2026-02-14 --file -
	as_ann
}

# The store made once, for this test.
stats_store() {
	cp -a "$BATS_FILE_TMPDIR/stats" "$STORE"
	export CASUS_REPO="$STORE"
}

# derivable: reads case-stats --format tsv and prints every line of a table (a row or a
# column whose total is printed) that leaves a hidden count to one value by subtraction: a
# line with one entry hidden, or whose hidden counts can only all be at their least (<5 as 1,
# x as 5: a reader knows an x is at least 5) or all at their most (<5 as 4).
derivable() {
	awk -F'\t' '
	NR > 1 {
		for (k = 0; k < 2; k++) {
			line = $1 " " (k ? "column" : "row") " " (k ? $3 : $2)
			istotal = k ? ($2 == "total") : ($3 == "total")
			if (istotal) {
				has[line] = 1
				if ($4 ~ /^[0-9]+$/) tot[line] = $4; else tothid[line] = 1
			}
			if ($4 == "<5") { n[line]++; if (!istotal) { lo[line] += 1; hi[line] += 4 } }
			else if ($4 == "x") { n[line]++; if (!istotal) { lo[line] += 5; xs[line] = 1 } }
			else if (!istotal) shown[line] += $4
		}
	}
	END {
		for (line in has) {
			if (n[line] == 1) print line
			else if (n[line] > 0 && !(line in tothid)) {
				r = tot[line] - shown[line]
				if (r == lo[line] || (!(line in xs) && r == hi[line])) print line
			}
		}
	}'
}

# Every way to ask: each grouping, all institutions and each one.
every_way() {
	local by inst
	for by in institution domain month year; do
		for inst in "" Brugge Gent; do
			echo "--by $by${inst:+ --institution $inst}"
		done
	done
}

@test "case-stats prints the five tables by institution, every count from 1 to 4 as <5" {
	stats_store
	run case-stats
	assert_success
	assert_output - <<-'EOF'
	cases
	institution  open  closed  total
	Brugge          x      <5      x
	Gent           <5       0     <5
	total           7      <5      x

	consents
	institution  given  refused  withdrawn  total
	Brugge           x        0         <5      x
	Gent             0       <5          0     <5
	total            x       <5         <5      x

	consultations
	institution  held by then  held later  not held  total
	Brugge                 <5           0         x      x
	Gent                    0           0        <5     <5
	total                  <5           0         x     10

	plans
	institution  within 90 days  91-180 days  181-365 days  later  total
	Brugge                    0            0             0      0      0
	Gent                      0            0             0      0      0
	total                     0            0             0      0      0

	domains
	domain                 to-assess  no-need  planned  in-progress  completed  total
	psychosocial                  <5        0        x            0          0      7
	education_employment           7        0        0            0          0      7
	mental_health                  7        0        0            0          0      7
	social_context                 7        0        0            0          0      7
	alternative_discourse          7        0        0            0          0      7
	total                          x        0        x            0          0     35
	EOF
}

# complete_plans: with plain git, each commit dated (GIT_AUTHOR_DATE), the plans of Brugge
# made complete (every life domain assessed) after 11 to 244 days; B-2026-001's is complete on
# 1 February, then not (its mental health to assess again) on 1 March, then again on 15 April.
complete_plans() {
	local id day
	while read -r id day; do
		GIT_AUTHOR_DATE="${day}T12:00:00+0000" \
			sneak "sed -i 's/status: to-assess/status: planned/' cases/*/$id/plan.yaml"
	done <<-EOF
	B-2026-001 2026-02-01
	B-2026-002 2026-03-01
	B-2026-003 2026-04-01
	B-2026-004 2026-07-01
	B-2026-005 2026-11-01
	B-2026-006 2026-04-10
	B-2026-007 2026-05-01
	EOF
	GIT_AUTHOR_DATE=2026-03-01T12:00:00+0000 \
		sneak "sed -i '/^  mental_health:/{n;s/planned/to-assess/}' cases/*/B-2026-001/plan.yaml"
	GIT_AUTHOR_DATE=2026-04-15T12:00:00+0000 \
		sneak "sed -i 's/status: to-assess/status: planned/' cases/*/B-2026-001/plan.yaml"
}

@test "plans: a complete plan counts by the days from detention start to when it was complete" {
	stats_store
	complete_plans
	# Since when each plan has been complete, as the index keeps it.
	case-index
	run sqlite3 "$STORE/casus-index.db" "SELECT id || ' ' || coalesce(assessed, '-') FROM cases ORDER BY id"
	assert_output - <<-'EOF'
	B-2026-001 2026-04-15
	B-2026-002 2026-03-01
	B-2026-003 2026-04-01
	B-2026-004 2026-07-01
	B-2026-005 2026-11-01
	B-2026-006 2026-04-10
	B-2026-007 2026-05-01
	G-2026-001 -
	G-2026-002 -
	EOF
	# Brugge: 4 within 90 days (-002, -003, -006, -007), 2 in 91-180 (-001 from 15 April,
	# -004), 1 in 181-365 (-005): each <5, their total, 7, shown.
	run case-stats
	assert_success
	assert_output --partial - <<-'EOF'
	plans
	institution  within 90 days  91-180 days  181-365 days  later  total
	Brugge                   <5           <5            <5      0      7
	Gent                      0            0             0      0      0
	total                    <5           <5            <5      0      7
	EOF
	# By the month each was complete: April has -003 and -006 within 90 days, -001 in 91-180.
	run case-stats --by month --format tsv
	assert_line $'plans\t2026-04\twithin 90 days\t<5'
	assert_line $'plans\t2026-04\t91-180 days\t<5'
	assert_line $'plans\t2026-04\ttotal\t<5'
	assert_line $'plans\ttotal\ttotal\t7'
	# The same without the index, no count 1 to 4, none to be worked out, and the index as
	# a rebuild makes it.
	local way out
	while read -r way; do
		# shellcheck disable=SC2086
		out=$(case-stats $way --format tsv)
		# shellcheck disable=SC2086
		assert_equal "$(CASUS_INDEX=off case-stats $way --format tsv)" "$out"
		assert_equal "$(awk -F'\t' 'NR > 1 && $4 ~ /^[1-4]$/' <<<"$out")" ""
		assert_equal "$(derivable <<<"$out")" ""
	done < <(every_way)
	run case-index --check
	assert_success
}

@test "an earlier version of a complete plan gone from the store fails the update, which names it" {
	stats_store
	complete_plans
	case-index
	local dir old blob
	# B-2026-002's plan as made, before it was complete: the version the update reads back.
	dir=$(git -C "$STORE" ls-tree -r --name-only main | grep '/B-2026-002/plan\.yaml$')
	dir=${dir%/plan.yaml}
	old=$(git -C "$STORE" log --format=%H -2 main -- "$dir/plan.yaml" | tail -1)
	blob=$(git -C "$STORE" rev-parse "$old:$dir/plan.yaml")
	rm "$STORE/objects/${blob:0:2}/${blob:2}"
	run case-index --rebuild
	assert_failure 2
	assert_output "case-index: cannot read an earlier version of '$dir/plan.yaml': object not found - cannot read header for ($blob)"
	assert_equal "$(sqlite3 "$STORE/casus-index.db" "SELECT value FROM meta WHERE key = 'commit'")" \
		"$(git -C "$STORE" rev-parse main)"
}

@test "a <5 alone in its row or column takes a second count with it, shown as x" {
	stats_store
	run case-stats --format tsv
	assert_success
	# Brugge: 5 open and 2 closed; the 2 is <5, so the 5 beside it is hidden, and with it
	# Gent's 2 open below (the open total, 7, stays: the domains table shows it too).
	assert_line "$(printf 'cases\tBrugge\topen\tx')"
	assert_line "$(printf 'cases\tBrugge\tclosed\t<5')"
	assert_line "$(printf 'cases\tGent\topen\t<5')"
	assert_line "$(printf 'cases\ttotal\topen\t7')"
	# Psychosocial: 2 to assess (Gent's), 5 planned: the 5 goes, and the columns' totals.
	assert_line "$(printf 'domains\tpsychosocial\tplanned\tx')"
	assert_line "$(printf 'domains\ttotal\tto-assess\tx')"
}

@test "--by month: cases opened and closed per month, from the first to today's" {
	stats_store
	run case-stats --by month
	assert_success
	assert_equal "$(printf '%s\n' "$output" | sed -n '1,14p')" "$(cat <<-'EOF'
	cases
	month    opened  closed
	2026-01      <5       0
	2026-02      <5       0
	2026-03      <5       0
	2026-04      <5       0
	2026-05      <5       0
	2026-06       0       0
	2026-07       0       0
	2026-08       0       0
	2026-09       0       0
	2026-10       0       0
	2026-11       0      <5
	total         x      <5
	EOF
	)"
	# The consents by the month of their date: five given in March, one refused in May, one
	# withdrawn in June.
	assert_line 'consents'
	assert_line '2026-03      x        0          0      x'
	assert_line '2026-05      0       <5          0     <5'
	assert_line '2026-06      0        0         <5     <5'
	# The consultations due: -001's first on 16 February, held on the 14th; the others' not held.
	assert_line '2026-02            <5           0         0     <5'
}

@test "--by year --format tsv: one count a line, named by table, row and column" {
	stats_store
	run case-stats --by year --format tsv
	assert_success
	assert_equal "$(printf '%s\n' "$output" | sed -n '1,13p')" "$(printf '%s\n' \
		'table	row	column	count' \
		'cases	2026	opened	x' \
		'cases	2026	closed	<5' \
		'cases	total	opened	x' \
		'cases	total	closed	<5' \
		'consents	2026	given	x' \
		'consents	2026	refused	<5' \
		'consents	2026	withdrawn	<5' \
		'consents	2026	total	x' \
		'consents	total	given	x' \
		'consents	total	refused	<5' \
		'consents	total	withdrawn	<5' \
		'consents	total	total	x')"
}

@test "--by domain: the life-domain statuses alone" {
	stats_store
	run case-stats --by domain
	assert_success
	assert_output - <<-'EOF'
	domains
	domain                 to-assess  no-need  planned  in-progress  completed  total
	psychosocial                  <5        0        x            0          0      7
	education_employment           7        0        0            0          0      7
	mental_health                  7        0        0            0          0      7
	social_context                 7        0        0            0          0      7
	alternative_discourse          7        0        0            0          0      7
	total                          x        0        x            0          0     35
	EOF
}

@test "--institution Gent: its two cases, every count <5 or hidden, the domains' totals too" {
	stats_store
	run case-stats --institution Gent --by domain
	assert_success
	assert_output - <<-'EOF'
	domains
	domain                 to-assess  no-need  planned  in-progress  completed  total
	psychosocial                  <5        0        0            0          0     <5
	education_employment          <5        0        0            0          0     <5
	mental_health                 <5        0        0            0          0     <5
	social_context                <5        0        0            0          0     <5
	alternative_discourse         <5        0        0            0          0     <5
	total                          x        0        0            0          0      x
	EOF
}

@test "--format json: a count shown is a number, one suppressed the string <5 or x" {
	stats_store
	run case-stats --format json
	assert_success
	assert_equal "$(jq -c '[.date, .by, .institution, [.tables[].name]]' <<<"$output")" \
		'["2026-11-29","institution",null,["cases","consents","consultations","plans","domains"]]'
	assert_equal "$(jq -c '.tables[0] | [.rows, .columns, .data[0], .total]' <<<"$output")" \
		'["institution",["open","closed"],{"row":"Brugge","counts":{"open":"x","closed":"<5","total":"x"}},{"open":7,"closed":"<5","total":"x"}]'
}

@test "no count from 1 to 4 is printed, in any format, grouping or institution" {
	stats_store
	local way out
	while read -r way; do
		# shellcheck disable=SC2086
		out=$(case-stats $way --format tsv)
		assert_equal "$(awk -F'\t' 'NR > 1 && $4 ~ /^[1-4]$/' <<<"$out")" ""
		assert_equal "$(awk -F'\t' 'NR > 1 && $4 !~ /^([0-9]+|<5|x)$/' <<<"$out")" ""
		# shellcheck disable=SC2086
		out=$(case-stats $way --format json)
		assert_equal "$(jq '[.tables[] | (.data[].counts, .total) | .[] | numbers | select(. >= 1 and . <= 4)] | length' <<<"$out")" 0
		# shellcheck disable=SC2086
		out=$(case-stats $way)
		assert_equal "$(grep -E '(^| )[1-4]( |$)' <<<"$out")" ""
	done < <(every_way)
}

@test "no suppressed count can be worked out by subtraction from any line of any table" {
	stats_store
	local way
	while read -r way; do
		# shellcheck disable=SC2086
		run derivable < <(case-stats $way --format tsv)
		assert_success
		assert_output ''
	done < <(every_way)
	# The check itself finds a line with one count hidden.
	run derivable < <(printf 'table\trow\tcolumn\tcount\nt\ta\tp\t<5\nt\ta\tq\t7\nt\ta\ttotal\t9\n')
	assert_output 't row a'
	run derivable < <(printf 'table\trow\tcolumn\tcount\nt\ta\tp\t<5\nt\ta\tq\tx\nt\ta\ttotal\t6\n')
	assert_output 't row a'
}

# across: reads lines "RUN<TAB>tsv line" of the table of all institutions (RUN "all") and of
# each one's, and prints every count that the others give away: by month, year or domain, a
# count of all is the sum of the institutions' (a line with one hidden); by institution, an
# institution's row in the table of all is its own table's.
across() {
	awk -F'\t' '
	$2 == "table" { next }
	{
		key = $2 SUBSEP $3 SUBSEP $4
		if ($1 == "all") { all[key] = $5 } else { n[key]++; own[$1 SUBSEP key] = $5 }
		if ($5 == "<5" || $5 == "x") hid[key]++
		runs[$1] = 1
	}
	END {
		for (key in all)
			if (key in n && hid[key] == 1) { split(key, k, SUBSEP); print k[1], k[2], k[3] }
		for (rk in own) {
			split(rk, k, SUBSEP)
			key = k[2] SUBSEP k[3] SUBSEP k[4]
			if (k[3] == k[1] && (key in all) && all[key] != own[rk]) print k[2], k[3], k[4], all[key], own[rk]
		}
	}'
}

@test "two outputs cannot be set against each other: each institution's is cut from the table of all" {
	stats_store
	local by inst
	for by in month year domain; do
		run across < <(for inst in all Brugge Gent; do
			# shellcheck disable=SC2046
			case-stats --by $by $([ $inst = all ] || echo --institution $inst) --format tsv | sed "s/^/$inst\t/"
		done)
		assert_success
		assert_output ''
	done
	run across < <(for inst in all Brugge Gent; do
		# shellcheck disable=SC2046
		case-stats $([ $inst = all ] || echo --institution $inst) --format tsv | sed "s/^/$inst\t/"
	done)
	assert_output ''
	# The check itself finds a count that the table of all and another institution's give away.
	run across < <(printf 'all\tcases\t2026\topened\t9\nB\tcases\t2026\topened\t7\nG\tcases\t2026\topened\t<5\n')
	assert_output 'cases 2026 opened'
	# Brugge's 5 open cases: hidden in its own table as in the table of all, where they would
	# give its 2 closed by subtraction from its total.
	run case-stats --institution Brugge --format tsv
	assert_line "$(printf 'cases\tBrugge\topen\tx')"
}

@test "a case the index cannot read is left out, and said by its ID" {
	stats_store
	sneak 'sed -i "s/^status: open/status: bogus/" cases/*/G-2026-002/plan.yaml'
	run --separate-stderr case-stats --by domain
	assert_success
	assert_equal "$stderr" "case-stats: case 'G-2026-002' left out: its files cannot be read; case-validate says why"
	assert_line 'psychosocial                  <5        0        x            0          0      x'
	# The case left out may be of the institution asked for: no case seen in it is no error.
	run --separate-stderr case-stats --institution Bruge
	assert_success
	assert_equal "$stderr" "case-stats: case 'G-2026-002' left out: its files cannot be read; case-validate says why"
}

@test "case-stats changes nothing in the store" {
	stats_store
	case-stats >/dev/null
	case-stats --by month --format json >/dev/null
	assert_store 27
}

@test "case-stats refuses what it does not know, with exit 2" {
	stats_store
	run --separate-stderr case-stats --by week
	assert_failure 2
	assert_equal "${stderr%%$'\n'*}" "case-stats: cannot use --by 'week': not institution, domain, month or year"
	run --separate-stderr case-stats B-2026-001
	assert_failure 2
	assert_equal "${stderr%%$'\n'*}" "case-stats: unexpected argument 'B-2026-001'"
	run --separate-stderr case-stats --format yaml
	assert_failure 2
	# An institution no case is in: a typo, as case-ls and overleg-schedule have it.
	run --separate-stderr case-stats --institution Bruge
	assert_failure 2
	assert_equal "$stderr" "case-stats: cannot use --institution 'Bruge': no case is in that institution"
	assert_output ''
	run --separate-stderr case-stats --institution $'Gent\e[31m'
	assert_failure 2
	assert_equal "$stderr" "case-stats: cannot use --institution 'Gent\\x1b[31m': no case is in that institution"
	run case-stats --help
	assert_success
	assert_line --index 0 'usage: case-stats [-C DIR] [--institution NAME] [--by institution|domain|month|year]'
}
