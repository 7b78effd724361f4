#!/usr/bin/env bats
# plan-show --for PARTNER (plan-show(1)): the plan as one partner may see it on a date. A life
# domain's texts (its note, its goals' and their actions') belong to the domain's owner and its
# category, and are sealed for the partners the bases of the day allow (casus(7), SEALING); a
# member of PARTNER reads them if and only if share-check allows that owner to pass that
# category to the partner on the day they were sealed, and otherwise a "[sealed for OWNER:
# REASON]" marker stands in their place, with share-check's reason.

load helpers
bats_require_minimum_version 1.5.0

PARTNERS=(dg-epi welzijn justitiehuizen)
DOMAINS=(psychosocial education_employment mental_health social_context alternative_discourse)

# Who owns each life domain (and so holds its texts), its goal and its action: three
# different partners, in a different order for each domain.
declare -gA OWNERS=(
	[psychosocial]="welzijn dg-epi justitiehuizen"
	[education_employment]="welzijn justitiehuizen dg-epi"
	[mental_health]="justitiehuizen welzijn dg-epi"
	[social_context]="dg-epi justitiehuizen welzijn"
	[alternative_discourse]="dg-epi welzijn justitiehuizen"
)

# The story's member of partner $1: ann, bram or chris.
member_of() {
	case $1 in
	welzijn) echo bram ;;
	justitiehuizen) echo chris ;;
	*) echo ann ;;
	esac
}

# reseal DATE: the member of each partner stores the plan again as it is, on DATE: the domains
# its partner holds are sealed for the recipients the bases of that day allow. A commit for each
# partner whose domains' recipients change.
reseal() {
	local who
	for who in ann bram chris; do
		git -C "$STORE" show main:cases/e7/B-2026-017/plan.yaml >"$BATS_TEST_TMPDIR/reseal.yaml"
		CASUS_KEY="$KEYS/$who" CASUS_TODAY=$1 plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/reseal.yaml" 2>/dev/null
	done
}

# plan-show --for P "$@" run by P's member, whose key opens what is sealed for P.
show_for() {
	local p=$1
	shift
	CASUS_KEY="$KEYS/$(member_of "$p")" run plan-show B-2026-017 --for "$p" "$@"
}

# The plan of story 3 with, in each life domain, a note, one goal and one action, each with a
# text found nowhere else ("note of psychosocial", ...). Stored with plan-edit: 5 commits.
owned_plan() {
	local d note goal action
	{
		cat <<'EOF'
case_id: B-2026-017
institution: Brugge
status: open
dates:
  detention_start: '2026-01-10'
  leave_eligible: '2027-05-31'
  release_eligible: '2028-05-31'
  sentence_end: '2030-01-10'
team:
  dg-epi:
  - ann@brugge.example
  justitiehuizen:
  - chris@jh.example
  welzijn:
  - bram@welzijn.example
domains:
EOF
		for d in "${DOMAINS[@]}"; do
			read -r note goal action <<<"${OWNERS[$d]}"
			cat <<EOF
  $d:
    status: in-progress
    owner: $note
    note: note of $d
    goals:
    - text: goal of $d
      owner: $goal
      status: open
      actions:
      - text: action of $d
        owner: $action
        status: planned
EOF
		done
	} >"$BATS_TEST_TMPDIR/owned.yaml"
	plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/owned.yaml" -m "the partners' parts"
}

# The records of the scenario, and dg-epi sharing under art. 458ter: 14 commits in all.
#   psychosocial: c1 to dg-epi and justitiehuizen from 1 Feb, withdrawn on 15 March (story 4);
#     c2 to dg-epi alone from 15 March
#   mental_health: c3 to dg-epi and welzijn from 1 Feb; a refusal for dg-epi from 1 April
#   education_employment: c4 to welzijn and justitiehuizen, 1 Feb to 30 June
#   social_context: a prosecutor's basis for dg-epi and welzijn, May to December
#   alternative_discourse: c5 to everyone from 20 Feb, but for reintegration, not the case
#     consultation
scenario() {
	init_store
	new_case
	owned_plan
	as_bram
	c1=$(consent-record B-2026-017 --from dg-epi,welzijn,justitiehuizen --told consent-leaflet --language nl --to dg-epi,justitiehuizen --categories psychosocial \
		--purpose casusoverleg --date 2026-02-01 --until 2030-01-10 --evidence FORM-2026-0042 --informed)
	w1=$(consent-record B-2026-017 --withdraw "$c1" --date 2026-03-15)
	c2=$(consent-record B-2026-017 --from dg-epi,welzijn,justitiehuizen --told consent-leaflet --language nl --to dg-epi --categories psychosocial --purpose casusoverleg \
		--date 2026-03-15 --until 2030-01-10 --informed)
	c3=$(consent-record B-2026-017 --from dg-epi,welzijn,justitiehuizen --told consent-leaflet --language nl --to dg-epi,welzijn --categories mental_health \
		--purpose casusoverleg --date 2026-02-01 --informed)
	r1=$(consent-record B-2026-017 --from dg-epi,welzijn,justitiehuizen --told consent-leaflet --language nl --refused --to dg-epi --categories mental_health \
		--purpose casusoverleg --date 2026-04-01 --informed)
	c4=$(consent-record B-2026-017 --from dg-epi,welzijn,justitiehuizen --told consent-leaflet --language nl --to welzijn,justitiehuizen --categories education_employment \
		--purpose casusoverleg --date 2026-02-01 --until 2026-06-30 --informed)
	b1=$(consent-record B-2026-017 --basis prosecutor --reference "PK Brugge 2026/118" \
		--to dg-epi,welzijn --categories social_context --purpose integrity \
		--date 2026-05-01 --until 2026-12-31)
	c5=$(consent-record B-2026-017 --from dg-epi,welzijn,justitiehuizen --told consent-leaflet --language nl --to dg-epi,welzijn,justitiehuizen --categories alternative_discourse \
		--purpose reintegration --date 2026-02-20 --informed)
	as_ann
	shares_since dg-epi 2026-01-01
}

@test "plan-show --for shows an item if and only if share-check allows it, for every partner, domain and date" {
	scenario
	assert_store 14
	local date p d kind owner text out ans reason line head tail
	local -a bad=()
	local allowed=0 withheld=0 own=0
	for date in 2026-03-14 2026-06-01 2027-01-05; do
		reseal "$date"
		for p in "${PARTNERS[@]}"; do
			out=$(CASUS_KEY="$KEYS/$(member_of "$p")" plan-show B-2026-017 --for "$p" --date "$date") ||
				fail "plan-show --for $p --date $date failed"
			grep -Fxq "As $p may see it on $date" <<<"$out" || bad+=("$p $date: no 'As ... may see it' line")
			for d in "${DOMAINS[@]}"; do
				read -r -a owners <<<"${OWNERS[$d]}"
				# Every text of the domain is its owner's.
				owner=${owners[0]}
				for kind in note goal action; do
					case $kind in
					note) head="      note: " tail="" ;;
					goal) head="      goal: " tail=" [${owners[1]}, open]" ;;
					action) head="        action: " tail=" [${owners[2]}, planned]" ;;
					esac
					text="$kind of $d"
					if ans=$(share-check B-2026-017 --from "$owner" --to "$p" --category "$d" --date "$date"); then
						line="$head$text$tail"
						if [ "$owner" = "$p" ]; then own=$((own + 1)); else allowed=$((allowed + 1)); fi
					else
						[ $? -eq 1 ] || fail "share-check --from $owner --to $p --category $d --date $date: error"
						reason=${ans#no: }
						line="$head[sealed for $owner: $reason]$tail"
						withheld=$((withheld + 1))
						grep -Fq "$text" <<<"$out" && bad+=("$p $date: '$text' shown, but share-check says: $ans")
					fi
					grep -Fxq "$line" <<<"$out" || bad+=("$p $date: no line '$line'")
				done
			done
		done
	done
	if [ ${#bad[@]} -gt 0 ]; then
		printf '%s\n' "${bad[@]}"
		fail "${#bad[@]} of 135 items differ from share-check"
	fi
	# Every kind of answer was met: own items, items allowed by a record, items withheld.
	assert_equal "$own" 45
	[ "$allowed" -gt 0 ] || fail "no item was allowed by a consent or a basis"
	[ "$withheld" -gt 0 ] || fail "no item was withheld"
	assert_equal $((own + allowed + withheld)) 135
	[ "$(commits)" -gt 14 ] || fail "nothing was re-sealed"
}

@test "plan-show --for withholds from the justice houses from the withdrawal on, with the reason (story 4)" {
	scenario
	reseal 2026-03-14
	show_for justitiehuizen --date 2026-03-14
	assert_success
	assert_line '      goal: goal of psychosocial [dg-epi, open]'
	reseal 2026-03-15
	show_for justitiehuizen --date 2026-03-15
	assert_success
	assert_line "      note: [sealed for welzijn: consent $c1 was withdrawn on 2026-03-15 ($w1)]"
	assert_line "      goal: [sealed for welzijn: consent $c1 was withdrawn on 2026-03-15 ($w1)] [dg-epi, open]"
	# An action in welzijn's domain is welzijn's text, whoever carries it out.
	assert_line "        action: [sealed for welzijn: consent $c1 was withdrawn on 2026-03-15 ($w1)] [justitiehuizen, planned]"
	refute_output --partial 'note of psychosocial'
	refute_output --partial 'goal of psychosocial'
	# The prison administration still sees it, under the new consent.
	show_for dg-epi --date 2026-03-15
	assert_line '      note: note of psychosocial'
}

@test "plan-show --for withholds what only a consent for another purpose covers" {
	scenario
	# c1 and c5 each match two of recipient, category and purpose; the later one is named.
	reseal 2026-07-15
	show_for justitiehuizen --date 2026-07-15
	assert_success
	assert_line "      note: [sealed for dg-epi: consent $c5 is for purpose reintegration, not casusoverleg]"
	assert_line "      goal: [sealed for dg-epi: consent $c5 is for purpose reintegration, not casusoverleg] [welzijn, open]"
	assert_line "        action: [sealed for dg-epi: consent $c5 is for purpose reintegration, not casusoverleg] [justitiehuizen, planned]"
	refute_output --partial 'note of alternative_discourse'
	refute_output --partial 'goal of alternative_discourse'
}

@test "plan-show --for shows what an art. 458ter basis covers, to its participants only" {
	scenario
	reseal 2026-06-01
	show_for welzijn --date 2026-06-01
	assert_success
	assert_line '        action: action of social_context [welzijn, planned]'
	show_for justitiehuizen --date 2026-06-01
	assert_success
	assert_line "        action: [sealed for dg-epi: art. 458ter basis $b1 does not name justitiehuizen (the recipient) as a participant] [welzijn, planned]"
	reseal 2027-01-05
	show_for welzijn --date 2027-01-05
	assert_line "        action: [sealed for dg-epi: art. 458ter basis $b1 expired on 2027-01-01] [welzijn, planned]"
}

@test "plan-show --for --format json marks each withheld part with its holder and reason" {
	scenario
	reseal 2026-06-01
	CASUS_KEY="$KEYS/ann" run --separate-stderr plan-show B-2026-017 --for dg-epi --date 2026-06-01 --format json
	assert_success
	assert_equal "$stderr" ''
	json=$output
	run jq -r '.domains.mental_health | .note, .sealed_for, .withheld' <<<"$json"
	assert_output - <<EOF
[sealed for justitiehuizen: refused on 2026-04-01 ($r1)]
justitiehuizen
refused on 2026-04-01 ($r1)
EOF
	# The goal and the action are the domain's texts, marked with it.
	run jq -r '.domains.mental_health.goals[0] | .text, .owner, .actions[0].text, .actions[0].owner' <<<"$json"
	assert_output - <<EOF
[sealed for justitiehuizen: refused on 2026-04-01 ($r1)]
welzijn
[sealed for justitiehuizen: refused on 2026-04-01 ($r1)]
dg-epi
EOF
	# The note the new consent covers is whole and not marked.
	run jq -c '.domains.psychosocial | [.note, has("withheld"), has("sealed_for")]' <<<"$json"
	assert_output '["note of psychosocial",false,false]'
	# Each part marked in json is a domain marked in the text.
	run jq -r '[.. | objects | select(has("withheld"))] | length' <<<"$json"
	assert_output "$(CASUS_KEY="$KEYS/ann" plan-show B-2026-017 --for dg-epi --date 2026-06-01 | grep -c '^      note: \[sealed for ')"
	refute_output 0
	grep -q 'note of mental_health' <<<"$json" && fail "json shows a withheld note"
	true
}

@test "plan-show --for judges today's date without --date" {
	scenario
	show_for justitiehuizen
	assert_success
	assert_line 'As justitiehuizen may see it on 2026-11-29'
	assert_line "      note: [sealed for welzijn: consent $c1 was withdrawn on 2026-03-15 ($w1)]"
}

@test "plan-show --for withholds a note no partner holds from every partner but the writer's" {
	init_store
	new_case
	plan-show B-2026-017 --format yaml |
		sed 's/^  psychosocial:$/  psychosocial:\n    note: note without an owner/' >"$BATS_TEST_TMPDIR/p.yaml"
	plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/p.yaml"
	# Sealed for the partner of its writer, Ann, who reads it.
	run plan-show B-2026-017
	assert_line '      note: note without an owner'
	for p in welzijn justitiehuizen; do
		show_for "$p" --date 2026-06-01
		assert_success
		assert_line '      note: [sealed for dg-epi: no partner is recorded as holding it]'
		refute_output --partial 'note without an owner'
	done
	show_for dg-epi --date 2026-06-01
	assert_line '      note: note without an owner'
	assert_store 5
}

@test "plan-show --for a partner whose member runs it without a key marks every sealed part" {
	scenario
	unset CASUS_KEY
	run --separate-stderr plan-show B-2026-017 --for dg-epi --format json
	assert_success
	assert_equal "$stderr" ''
	run jq -r '[.domains[] | .withheld] | unique | join("|")' <<<"$output"
	assert_output 'you have no key to open it'
}

@test "plan-show --for an unknown partner fails and prints nothing" {
	init_store
	new_case
	run --separate-stderr plan-show B-2026-017 --for politie
	assert_failure 2
	assert_output ''
	assert_equal "$stderr" "plan-show: cannot show the plan for 'politie': unknown partner (known: dg-epi, justitiehuizen, welzijn)"
	assert_store 4
}

@test "plan-show --for with --format yaml is a usage error: the stored document is whole" {
	init_store
	new_case
	run --separate-stderr plan-show B-2026-017 --for welzijn --format yaml
	assert_failure 2
	assert_output ''
	[[ "$stderr" == *"--for shows text or json"* ]] || fail "stderr: $stderr"
	assert_store 4
}

@test "plan-show --date without --for, or with a bad date, fails" {
	init_store
	new_case
	run --separate-stderr plan-show B-2026-017 --date 2026-06-01
	assert_failure 2
	assert_output ''
	[[ "$stderr" == *"--date goes with --for"* ]] || fail "stderr: $stderr"
	run --separate-stderr plan-show B-2026-017 --for welzijn --date 2026-06-31
	assert_failure 2
	assert_output ''
	assert_equal "$stderr" "plan-show: cannot use --date '2026-06-31': not a valid date (YYYY-MM-DD)"
}
