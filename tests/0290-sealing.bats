#!/usr/bin/env bats
# The acceptance scenario of sealing (casus(7), SEALING): three members of three partners, each
# in a home of their own with their own key (~/.casus/id_ed25519, no CASUS_KEY) and their own
# git identity, work on one store. Each reads, through plan-show, exactly what the bases allow;
# nothing of what they wrote is in clear anywhere in the store, whatever git command reads it;
# a consent lets the recipient read the part once its holder re-seals it; after a withdrawal
# and a re-seal the next version is closed to them, while history keeps what they could read.
# A sealed value copied by hand into another field or case does not open, and case-validate
# says so.

load helpers
bats_require_minimum_version 1.5.0

PLAN=cases/e7/B-2026-017/plan.yaml
REINT=cases/e7/B-2026-017/reintegration.yaml
PLAN18=cases/96/B-2026-018/plan.yaml
# The words each partner wrote, found nowhere else: welzijn's psychosocial note, goal and
# action, dg-epi's role agreement, the justice houses' housing note.
WORDS=(zeppelin ocelot marimba tamarind juniper)
# Why a value sealed for one's key does not open.
MOVED='it does not open: it was moved from another field or case, or altered'

# home NAME FULL-NAME ADDRESS: NAME's own home, as on their own Unix account: their key in
# ~/.casus/id_ed25519 (0600, in a folder of their own) and their name in ~/.gitconfig.
home() {
	local h="$BATS_TEST_TMPDIR/home-$1"
	mkdir -p "$h/.casus"
	chmod 700 "$h" "$h/.casus"
	cp "$BATS_TEST_DIRNAME/keys/$1" "$h/.casus/id_ed25519"
	cp "$BATS_TEST_DIRNAME/keys/$1.pub" "$h/.casus/id_ed25519.pub"
	chmod 600 "$h/.casus/id_ed25519"
	printf '[user]\n\tname = %s\n\temail = %s\n' "$2" "$3" >"$h/.gitconfig"
}

# as NAME: work as NAME from now on: their HOME, their git config, no CASUS_KEY and no
# GIT_AUTHOR_* (the programs find the key and the name where NAME's own account has them).
as() {
	unset CASUS_KEY GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL
	export HOME="$BATS_TEST_TMPDIR/home-$1" GIT_CONFIG_GLOBAL="$BATS_TEST_TMPDIR/home-$1/.gitconfig"
}

# The part of plan-show's text of case $1 (default B-2026-017) where the sealed parts are: from
# the role agreements (or the life domains) to the end of the reintegration plan.
parts() {
	plan-show "${1:-B-2026-017}" | awk '/^(Role agreements|Life domains)$/ { on = 1 } /^Case consultations$/ { on = 0 } on'
}

# The recipients of a part in the stored file $1 (git's "main:PATH"), lines between the
# patterns $2 and $3: "ADDRESS KEY" per recipient.
recipients() {
	git -C "$STORE" show "$1" | sed -n "/$2/,/$3/p" |
		awk '/^ *- member: / { m = $3 } /^ *key: / && m != "" { print m, $2; m = "" }'
}

# The psychosocial domain of a stored plan (git's "REV:PATH"), as stored.
psychosocial() {
	git -C "$STORE" show "$1" | sed -n '/^  psychosocial:$/,/^  education_employment:$/{/^  education_employment:$/!p}'
}

# The store of story 1 made by Ann, case B-2026-017 with the team, and the partners' parts:
# Bram's psychosocial note, goal and action, Ann's role agreement, Chris's housing note. Each
# writes from a view of the plan in which the others' parts are sealed. 7 commits.
scenario() {
	home ann "Ann Peeters" ann@brugge.example
	home bram "Bram Claes" bram@welzijn.example
	home chris "Chris Maes" chris@jh.example
	as ann
	case-init "$STORE" --institution Brugge --partner dg-epi --role "psychosocial service" >/dev/null
	export CASUS_REPO="$STORE"
	member-add "Bram Claes" bram@welzijn.example --partner welzijn --role consultant \
		--key "$BATS_TEST_TMPDIR/home-bram/.casus/id_ed25519.pub"
	member-add "Chris Maes" chris@jh.example --partner justitiehuizen --role "justice assistant" \
		--key "$BATS_TEST_TMPDIR/home-chris/.casus/id_ed25519.pub"
	new_case >/dev/null
	as bram
	plan-show B-2026-017 --format yaml | sed '/^  psychosocial:$/,/^  education_employment:$/{
		s/^    status: to-assess$/    status: in-progress\
    owner: welzijn\
    note: talks about the zeppelin he built with his father\
    goals:\
    - text: trust the ocelot keeper again\
      owner: welzijn\
      status: open\
      actions:\
      - text: weekly lessons on the marimba\
        owner: welzijn\
        status: planned/
	}' >"$BATS_TEST_TMPDIR/bram.yaml"
	plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/bram.yaml" -m "psychosocial goals"
	as ann
	plan-show B-2026-017 --format yaml | sed 's/^domains:$/roles:\
- partner: dg-epi\
  member: ann@brugge.example\
  agreement: coordinates the plan from the tamarind wing\
domains:/' >"$BATS_TEST_TMPDIR/ann.yaml"
	plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/ann.yaml" -m "role agreements"
	as chris
	cat >"$BATS_TEST_TMPDIR/reint.yaml" <<-'EOF'
	case_id: B-2026-017
	housing:
	  status: in-progress
	  owner: justitiehuizen
	  note: a room at the juniper hostel
	work:
	  status: to-arrange
	network:
	  status: to-arrange
	care:
	  status: to-arrange
	EOF
	plan-edit B-2026-017 --reintegration --file "$BATS_TEST_TMPDIR/reint.yaml" -m "housing"
}

# no_words_in_store WORD...: none of the words, in any letter case, in any commit's files, in
# any commit message or diff, nor in any object of the store, reachable or not.
no_words_in_store() {
	local w args=()
	for w in "$@"; do args+=(-e "$w"); done
	run git -C "$STORE" grep -i "${args[@]}" $(git -C "$STORE" rev-list --all)
	assert_failure 1
	assert_output ''
	run sh -c 'git -C "$1" log -p --all --format=%B | grep -Eci "$2"' sh "$STORE" "$(IFS='|'; echo "$*")"
	assert_output 0
	run sh -c 'git -C "$1" cat-file --batch-all-objects --batch | grep -aEci "$2"' sh "$STORE" \
		"$(IFS='|'; echo "$*")"
	assert_output 0
}

no_basis() {    # no_basis CATEGORY FROM TO [DATE]: share_decide()'s reason when nothing covers it
	echo "no consent or legal basis covers $1 from $2 to $3 on ${4:-2026-11-29}"
}

@test "each member reads, from their own home and key, exactly their own parts; the others are sealed" {
	scenario
	assert_store 7
	run git -C "$STORE" log --format='%an <%ae> %G? | %s' main
	assert_output - <<-'EOF'
	Chris Maes <chris@jh.example> G | plan-edit: edit reintegration plan B-2026-017
	Ann Peeters <ann@brugge.example> G | plan-edit: edit plan B-2026-017
	Bram Claes <bram@welzijn.example> G | plan-edit: edit plan B-2026-017
	Ann Peeters <ann@brugge.example> G | plan-new: open case B-2026-017
	Ann Peeters <ann@brugge.example> G | member-add: register team member
	Ann Peeters <ann@brugge.example> G | member-add: register team member
	Ann Peeters <ann@brugge.example> G | case-init: create store
	EOF
	as ann
	run parts
	assert_success
	assert_output - <<-EOF
	Role agreements
	  dg-epi             coordinates the plan from the tamarind wing (ann@brugge.example)

	Life domains
	  psychosocial           in-progress  owner welzijn
	      note: [sealed for welzijn: $(no_basis psychosocial welzijn dg-epi)]
	      goal: [sealed for welzijn: $(no_basis psychosocial welzijn dg-epi)] [welzijn, open]
	        action: [sealed for welzijn: $(no_basis psychosocial welzijn dg-epi)] [welzijn, planned]
	  education_employment   to-assess
	  mental_health          to-assess
	  social_context         to-assess
	  alternative_discourse  to-assess

	Reintegration plan
	  housing            in-progress [justitiehuizen]: [sealed for justitiehuizen: $(no_basis reintegration justitiehuizen dg-epi)]
	  work or income     to-arrange
	  social network     to-arrange
	  continuity of care to-arrange
	  follow-up          not yet arranged
	EOF
	as bram
	run parts
	assert_success
	assert_output - <<-EOF
	Role agreements
	  dg-epi             [sealed for dg-epi: $(no_basis detention dg-epi welzijn)] (ann@brugge.example)

	Life domains
	  psychosocial           in-progress  owner welzijn
	      note: talks about the zeppelin he built with his father
	      goal: trust the ocelot keeper again [welzijn, open]
	        action: weekly lessons on the marimba [welzijn, planned]
	  education_employment   to-assess
	  mental_health          to-assess
	  social_context         to-assess
	  alternative_discourse  to-assess

	Reintegration plan
	  housing            in-progress [justitiehuizen]: [sealed for justitiehuizen: $(no_basis reintegration justitiehuizen welzijn)]
	  work or income     to-arrange
	  social network     to-arrange
	  continuity of care to-arrange
	  follow-up          not yet arranged
	EOF
	as chris
	run parts
	assert_success
	assert_output - <<-EOF
	Role agreements
	  dg-epi             [sealed for dg-epi: $(no_basis detention dg-epi justitiehuizen)] (ann@brugge.example)

	Life domains
	  psychosocial           in-progress  owner welzijn
	      note: [sealed for welzijn: $(no_basis psychosocial welzijn justitiehuizen)]
	      goal: [sealed for welzijn: $(no_basis psychosocial welzijn justitiehuizen)] [welzijn, open]
	        action: [sealed for welzijn: $(no_basis psychosocial welzijn justitiehuizen)] [welzijn, planned]
	  education_employment   to-assess
	  mental_health          to-assess
	  social_context         to-assess
	  alternative_discourse  to-assess

	Reintegration plan
	  housing            in-progress [justitiehuizen]: a room at the juniper hostel
	  work or income     to-arrange
	  social network     to-arrange
	  continuity of care to-arrange
	  follow-up          not yet arranged
	EOF
	# The JSON says the same, with the holder and the reason on the part.
	run sh -c "plan-show B-2026-017 --format json | jq -c '.domains.psychosocial | [.sealed_for, .withheld, .note]'"
	assert_output "[\"welzijn\",\"$(no_basis psychosocial welzijn justitiehuizen)\",\"[sealed for welzijn: $(no_basis psychosocial welzijn justitiehuizen)]\"]"
	run sh -c "plan-show B-2026-017 --format json | jq -r '.reintegration.housing.note'"
	assert_output 'a room at the juniper hostel'
	# Each part is sealed for its own partner's member alone, with that member's key.
	run recipients "main:$PLAN" '^  psychosocial:$' '^  education_employment:$'
	assert_output "bram@welzijn.example $(fingerprint bram)"
	run recipients "main:$PLAN" '^roles:$' '^domains:$'
	assert_output "ann@brugge.example $(fingerprint ann)"
	run recipients "main:$REINT" '^housing:$' '^work:$'
	assert_output "chris@jh.example $(fingerprint chris)"
	# Ann's edit kept Bram's part, which she cannot open, byte for byte.
	assert_equal "$(psychosocial main~1:$PLAN)" "$(psychosocial main~2:$PLAN)"
	# Nobody's key is in the store, no program ever asked for a CASUS_KEY, and the store is
	# whole and valid for each of them.
	for p in ann bram chris; do
		as $p
		run case-validate
		assert_success
		assert_output ''
	done
	assert_store 7
}

@test "git show, git grep, git log -p and every object of the store find none of the sealed words" {
	scenario
	no_words_in_store "${WORDS[@]}"
	# What git shows of a sealed field is a sealed value, never the text.
	run sh -c "git -C '$STORE' show main:$PLAN | sed -n '/^    note:\$/,/^    goals:\$/p' | sed 's/: .*/: X/'"
	assert_output - <<-'EOF'
	    note:
	      sealed: X
	    goals:
	EOF
	run sh -c "git -C '$STORE' show main:$REINT | sed -n '/^  note:\$/{n;s/: .*/: X/;p}'"
	assert_output '    sealed: X'
	assert_store 7
}

@test "after a consent and Bram's re-seal Chris reads the part; after a withdrawal and a re-seal the next version is closed to him, and history keeps what he could read" {
	scenario
	# The detainee agrees that welzijn's psychosocial information goes to the justice houses.
	as bram
	c=$(consent-record B-2026-017 --from welzijn --to justitiehuizen --categories psychosocial \
		--purpose casusoverleg --date 2026-11-29 --told consent-leaflet --language nl --informed)
	# The bases allow it, but the part is not sealed for Chris yet: case-validate says so, to
	# anyone, with or without a key that opens it.
	yet='[sealed for welzijn: not sealed for justitiehuizen yet (a member of welzijn re-seals it with case-reseal)]'
	as chris
	run parts
	assert_line "      note: $yet"
	assert_line "      goal: $yet [welzijn, open]"
	assert_line "        action: $yet [welzijn, planned]"
	refute_output --partial zeppelin
	# (The line of a part is that of its first key.)
	line=$(($(git -C "$STORE" show "main:$PLAN" | grep -n '^  psychosocial:$' | cut -d: -f1) + 1))
	run case-validate
	assert_failure 1
	assert_output "$PLAN:$line: domains.psychosocial: sealed for bram@welzijn.example but the bases of 2026-11-29 allow bram@welzijn.example, chris@jh.example: re-seal it (case-reseal)"
	# Chris cannot re-seal it: his key does not open it. Nothing is stored.
	before=$(head_commit)
	run --separate-stderr case-reseal B-2026-017
	assert_failure 1
	assert_output ''
	assert_equal "$stderr" 'case-reseal: B-2026-017: plan.yaml: domains.psychosocial: sealed for welzijn; your key does not open it'
	assert_equal "$(head_commit)" "$before"
	# Bram, whose partner holds it, re-seals: the content key is wrapped for Chris too.
	as bram
	run --separate-stderr case-reseal B-2026-017
	assert_success
	assert_output 'B-2026-017: re-sealed 1 part'
	assert_equal "$stderr" ''
	run git -C "$STORE" log -1 --format='%an | %s' main
	assert_output 'Bram Claes | case-reseal: re-seal B-2026-017'
	run recipients "main:$PLAN" '^  psychosocial:$' '^  education_employment:$'
	assert_output - <<-EOF
	bram@welzijn.example $(fingerprint bram)
	chris@jh.example $(fingerprint chris)
	EOF
	as chris
	run parts
	assert_success
	assert_line '      note: talks about the zeppelin he built with his father'
	assert_line '      goal: trust the ocelot keeper again [welzijn, open]'
	assert_line '        action: weekly lessons on the marimba [welzijn, planned]'
	run case-validate
	assert_success
	assert_output ''
	# Ann's partner has no basis: still sealed for her.
	as ann
	run parts
	assert_line "      note: [sealed for welzijn: consent $c does not name dg-epi as a recipient]"
	refute_output --partial zeppelin
	readable=$(git -C "$STORE" rev-parse main)

	# On 10 December the detainee withdraws the consent; Bram records it and re-seals.
	export CASUS_TODAY=2026-12-10
	as bram
	w=$(consent-record B-2026-017 --withdraw "$c" --date 2026-12-10)
	run case-validate
	assert_failure 1
	assert_output "$PLAN:$line: domains.psychosocial: sealed for bram@welzijn.example, chris@jh.example but the bases of 2026-12-10 allow bram@welzijn.example: re-seal it (case-reseal)"
	run case-reseal B-2026-017
	assert_success
	assert_output 'B-2026-017: re-sealed 1 part'
	run recipients "main:$PLAN" '^  psychosocial:$' '^  education_employment:$'
	assert_output "bram@welzijn.example $(fingerprint bram)"
	# The next version is closed to Chris, with the reason.
	gone="[sealed for welzijn: consent $c was withdrawn on 2026-12-10 ($w)]"
	as chris
	run parts
	assert_success
	assert_line "      note: $gone"
	assert_line "      goal: $gone [welzijn, open]"
	assert_line "        action: $gone [welzijn, planned]"
	refute_output --partial zeppelin
	# So is what Bram writes next.
	as bram
	plan-show B-2026-017 --format json |
		jq '.domains.psychosocial.note = "talks about the xylophone he tuned with his father"' \
		>"$BATS_TEST_TMPDIR/next.json"
	plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/next.json" -m "after the withdrawal"
	run parts
	assert_line '      note: talks about the xylophone he tuned with his father'
	as chris
	run parts
	assert_line "      note: $gone"
	refute_output --partial xylophone
	# The version Chris could read still opens for him, in a copy of the store at that commit:
	# a withdrawal stops future sharing, it does not take back the past.
	git clone -q --bare "$STORE" "$BATS_TEST_TMPDIR/then.git"
	git -C "$BATS_TEST_TMPDIR/then.git" update-ref refs/heads/main "$readable"
	CASUS_REPO="$BATS_TEST_TMPDIR/then.git" run parts
	assert_success
	assert_line '      note: talks about the zeppelin he built with his father'
	# None of it, then or now, is in clear in the store.
	no_words_in_store "${WORDS[@]}" xylophone
	run git -C "$STORE" log --format='%an | %s' -5 main
	assert_output - <<-'EOF'
	Bram Claes | plan-edit: edit plan B-2026-017
	Bram Claes | case-reseal: re-seal B-2026-017
	Bram Claes | consent-record: record withdrawal B-2026-017
	Bram Claes | case-reseal: re-seal B-2026-017
	Bram Claes | consent-record: record consent B-2026-017
	EOF
	as bram
	run case-validate
	assert_success
	assert_output ''
	assert_store 12
}

# sealed_values FILE: the sealed values of the psychosocial domain of FILE (in the store at
# main), in order: its note, its goal's text, its action's text.
sealed_values() {
	psychosocial "main:$1" | sed -n 's/^ *sealed: //p'
}

@test "a sealed value copied by hand into another field does not open, and case-validate reports it" {
	scenario
	as bram
	vals=($(sealed_values "$PLAN"))
	assert_equal "${#vals[@]}" 3
	note=${vals[0]}
	# The note's sealed value, with git alone, in place of the goal's: the same part, the same
	# content key, another field. (Values are stored as YAML scalars: quoted or not, as is.)
	git -C "$STORE" show "main:$PLAN" | awk -v v="$note" '
		/^        sealed: / && !done { print "        sealed: " v; done = 1; next } 1' \
		>"$BATS_TEST_TMPDIR/moved.yaml"
	sneak "cp '$BATS_TEST_TMPDIR/moved.yaml' $PLAN"
	run git -C "$STORE" show "main:$PLAN"
	assert_output --partial "$(printf '    - text:\n        sealed: %s\n' "$note")"
	line=$(grep -nF "sealed: $note" <<<"$output" | sed -n '2s/:.*//p')
	run parts
	assert_success
	assert_line "      goal: [sealed for welzijn: $MOVED] [welzijn, open]"
	refute_line '      goal: talks about the zeppelin he built with his father [welzijn, open]'
	refute_output --partial 'ocelot'
	run --separate-stderr case-validate
	assert_failure 1
	assert_output "$PLAN:$line: domains.psychosocial.goals[0].text: sealed value does not open: it was moved from another field or case, or altered"
	assert_equal "$stderr" ''
	assert_store 8
}

@test "a sealed value copied by hand into another case does not open, and case-validate reports it" {
	scenario
	as ann
	plan-new B-2026-018 --institution Brugge --detention-start 2026-02-01 \
		--team dg-epi=ann@brugge.example --team welzijn=bram@welzijn.example >/dev/null
	as bram
	# Bram's whole psychosocial part of B-2026-017, its seal list with it, put in B-2026-018
	# with git alone: Bram's key opens its content key, but the values were sealed for the
	# other case.
	psychosocial "main:$PLAN" >"$BATS_TEST_TMPDIR/part"
	git -C "$STORE" show "main:$PLAN18" | awk -v part="$BATS_TEST_TMPDIR/part" '
		/^  psychosocial:$/ { while ((getline l <part) > 0) print l; skip = 1; next }
		/^  [a-z_]+:$/ { skip = 0 }
		!skip' >"$BATS_TEST_TMPDIR/plan18.yaml"
	sneak "cp '$BATS_TEST_TMPDIR/plan18.yaml' $PLAN18"
	assert_equal "$(psychosocial "main:$PLAN18")" "$(psychosocial "main:$PLAN")"
	n=$(git -C "$STORE" show "main:$PLAN18" | grep -n '^ *sealed: ' | cut -d: -f1 | tr '\n' ' ')
	read -r l1 l2 l3 <<<"$n"
	run parts B-2026-018
	assert_success
	assert_output - <<-EOF
	Life domains
	  psychosocial           in-progress  owner welzijn
	      note: [sealed for welzijn: $MOVED]
	      goal: [sealed for welzijn: $MOVED] [welzijn, open]
	        action: [sealed for welzijn: $MOVED] [welzijn, planned]
	  education_employment   to-assess
	  mental_health          to-assess
	  social_context         to-assess
	  alternative_discourse  to-assess
	EOF
	# In its own case it still opens.
	run parts
	assert_line '      note: talks about the zeppelin he built with his father'
	run --separate-stderr case-validate
	assert_failure 1
	assert_output - <<-EOF
	$PLAN18:$l1: domains.psychosocial.note: sealed value does not open: it was moved from another field or case, or altered
	$PLAN18:$l2: domains.psychosocial.goals[0].text: sealed value does not open: it was moved from another field or case, or altered
	$PLAN18:$l3: domains.psychosocial.goals[0].actions[0].text: sealed value does not open: it was moved from another field or case, or altered
	EOF
	assert_equal "$stderr" ''
	assert_store 9
}
