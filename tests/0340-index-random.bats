#!/usr/bin/env bats
# The index (casus(7), THE INDEX) against the store itself: a long random sequence of
# operations, made with the programs and behind their back with plain git (pushes, a merge,
# broken and removed files, resets of the branch to an older commit, the index deleted, the
# day moving on). After every step the answers of overleg-schedule, release-check --all,
# case-ls and case-log from the index kept up to date step by step are the same as with
# CASUS_INDEX=off: overleg-schedule and release-check then read every case from git, the
# others build the index from scratch in memory. At the end case-index --check passes.
# INDEX_SEED and INDEX_STEPS replay or lengthen a run (tests/stress runs it longer).

bats_require_minimum_version 1.5.0
load helpers

MINUTES='present:
- partner: dg-epi
  member: ann@brugge.example
- partner: welzijn
  member: bram@welzijn.example
- partner: justitiehuizen
  member: chris@jh.example
decision:
  consensus: true
'

# The cases so far, and one of them at random.
ids() { git -C "$STORE" ls-tree -d --name-only main cases/ 2>/dev/null | while read -r d; do git -C "$STORE" ls-tree -d --name-only main "$d/"; done | sed 's|.*/||' | sort; }
pick() { local a; mapfile -t a < <(ids); [ ${#a[@]} -gt 0 ] && echo "${a[RANDOM % ${#a[@]}]}"; }
day() { printf '%04d-%02d-%02d' "$1" $((RANDOM % 12 + 1)) $((RANDOM % 28 + 1)); }

# Every answer the index gives, each with its exit status.
answers() {
	local id
	overleg-schedule --within 12m --format tsv; echo "exit $?"
	overleg-schedule --from 2026-01-01 --within 24m --format ics; echo "exit $?"
	release-check --all --within 24m --format tsv; echo "exit $?"
	release-check --all --for release --within 36m --format json; echo "exit $?"
	case-ls --format tsv; echo "exit $?"
	case-ls --closed --format tsv; echo "exit $?"
	case-ls --institution Gent --domain mental_health --status planned; echo "exit $?"
	case-ls --no-consent-for justitiehuizen --format tsv; echo "exit $?"
	case-ls --not-ready leave --format tsv; echo "exit $?"
	case-stats --format tsv; echo "exit $?"
	case-stats --by month --format json; echo "exit $?"
	for id in $(ids | head -3); do
		case-log "$id" --format tsv; echo "exit $?"
	done
}

# A plain git change in a clone, pushed: $1 the commands in the work tree.
plain() {
	local wt="$BATS_TEST_TMPDIR/wt"
	rm -rf "$wt"
	git clone -q "$STORE" "$wt" && (cd "$wt" && eval "$1") &&
		git -C "$wt" add -A && git -C "$wt" -c user.name=Mallory -c user.email=m@x.example commit -q -m plain &&
		git -C "$wt" push -q origin main
}

# Two plain branches, each changing another case, merged and pushed.
merged() {
	local wt="$BATS_TEST_TMPDIR/wt" a=$1 b=$2
	rm -rf "$wt"
	git clone -q "$STORE" "$wt" && cd "$wt" &&
		git checkout -q -b side &&
		sed -i 's/^institution: .*/institution: Gent/' cases/*/"$a"/plan.yaml &&
		git -c user.name=M -c user.email=m@x.example commit -qam side &&
		git checkout -q main &&
		sed -i 's/^institution: .*/institution: Brugge/' cases/*/"$b"/plan.yaml &&
		git -c user.name=M -c user.email=m@x.example commit -qam main &&
		git -c user.name=M -c user.email=m@x.example merge -q --no-edit side &&
		git push -q origin main
	cd - >/dev/null
}

# step [N]: one operation, drawn at random, or the one numbered N.
step() {
	local id=$(pick) n=${1:-$((RANDOM % 100))} k
	if [ -z "$id" ] || [ $n -lt 14 ]; then
		k=$((${#new} + 1)); new+=x
		echo "plan-new R-$k"
		plan-new "R-$k" --institution "$( ((RANDOM % 2)) && echo Brugge || echo Gent)" \
			--detention-start "$(day 2025)" --leave-eligible "$(day 2027)" \
			--release-eligible "$(day 2028)" --team dg-epi=ann@brugge.example \
			--team welzijn=bram@welzijn.example --team justitiehuizen=chris@jh.example >/dev/null
	elif [ $n -lt 32 ]; then
		local doms=(psychosocial education_employment mental_health social_context alternative_discourse)
		local sts=(to-assess no-need planned in-progress completed)
		local dom=${doms[RANDOM % 5]} st=${sts[RANDOM % 5]}
		echo "plan-edit $id $dom $st"
		plan-show "$id" --format yaml >"$BATS_TEST_TMPDIR/p.yaml" &&
			sed -i "/^  $dom:\$/{n;s/status: .*/status: $st/}" "$BATS_TEST_TMPDIR/p.yaml" &&
			plan-edit "$id" --file "$BATS_TEST_TMPDIR/p.yaml" || true
	elif [ $n -lt 38 ]; then
		echo "close $id"
		plan-show "$id" --format yaml | sed 's/^status: open/status: closed/' >"$BATS_TEST_TMPDIR/p.yaml" &&
			plan-edit "$id" --file "$BATS_TEST_TMPDIR/p.yaml" || true
	elif [ $n -lt 48 ]; then
		echo "consent $id"
		(as_bram && consent-record "$id" --from welzijn --to justitiehuizen --categories psychosocial \
			--purpose casusoverleg --told leaflet --language nl --informed --date "$CASUS_TODAY" >/dev/null) || true
	elif [ $n -lt 52 ]; then
		local cid
		cid=$(git -C "$STORE" ls-tree -r --name-only main | grep "/$id/consent/c-" | head -1 | sed 's|.*/||; s|\.yaml$||')
		echo "withdraw $id $cid"
		[ -n "$cid" ] && { (as_bram && consent-record "$id" --withdraw "$cid" >/dev/null) || true; }
	elif [ $n -lt 58 ]; then
		echo "overleg-schedule --commit"
		overleg-schedule --commit -q || true
	elif [ $n -lt 62 ]; then
		echo "overleg-record $id"
		printf '%s' "$MINUTES" | overleg-record "$id" --date "$CASUS_TODAY" --file - >/dev/null 2>&1 || true
	elif [ $n -lt 70 ]; then
		echo "plain: institution of $id"
		plain "sed -i 's/^institution: .*/institution: Gent/' cases/*/$id/plan.yaml"
	elif [ $n -lt 73 ]; then
		echo "plain: break the plan of $id"
		plain "echo 'status: [' >>cases/*/$id/plan.yaml"
	elif [ $n -lt 75 ]; then
		echo "plain: remove $id"
		plain "git rm -rq cases/*/$id"
	elif [ $n -lt 77 ]; then
		echo "plain: a file beside the cases"
		plain "mkdir -p cases/zz && echo x >cases/zz/notes.txt && echo y >cases/$RANDOM.txt"
	elif [ $n -lt 81 ]; then
		local other=$(pick)
		echo "plain: merge of $id and $other"
		[ "$id" != "$other" ] && merged "$id" "$other"
	elif [ $n -lt 86 ]; then
		k=$((RANDOM % 3 + 1))
		echo "reset main~$k"
		git -C "$STORE" update-ref refs/heads/main "main~$k" 2>/dev/null || true
	elif [ $n -lt 90 ]; then
		echo "index deleted"
		rm -f "$STORE/casus-index.db" "$STORE/casus-index.db-wal" "$STORE/casus-index.db-shm"
	else
		CASUS_TODAY=$(date -d "$CASUS_TODAY + $((RANDOM % 60 + 1)) days" +%F)
		echo "today $CASUS_TODAY"
	fi
}

@test "the index answers as the store does, step by step, through a random history" {
	init_store
	new_case >/dev/null
	new=""
	RANDOM=${INDEX_SEED:-1313}
	local steps=${INDEX_STEPS:-30} with without force
	for i in $(seq 1 "$steps"); do
		# Whatever the draw, a history goes through each kind of step git can bring.
		case $i in
		$((steps / 5))) force=73 ;;               # a case removed with plain git
		$((2 * steps / 5))) force=78 ;;           # a merge
		$((3 * steps / 5))) force=82 ;;           # a reset
		$((4 * steps / 5))) force=87 ;;           # the index deleted
		*) force= ;;
		esac
		step $force >>"$BATS_TEST_TMPDIR/steps" 2>&1 || echo "  (the step failed)" >>"$BATS_TEST_TMPDIR/steps"
		with=$(answers 2>&1)
		without=$(CASUS_INDEX=off answers 2>&1)
		if [ "$with" != "$without" ]; then
			echo "seed ${INDEX_SEED:-1313}, step $i; the steps:"
			cat "$BATS_TEST_TMPDIR/steps"
			diff <(echo "$with") <(echo "$without")
			false
		fi
	done
	run case-index --check
	assert_success
	assert_output ""
	# The history went through every kind of step.
	run cat "$BATS_TEST_TMPDIR/steps"
	assert_output --partial "plain: merge"
	assert_output --partial "plain: remove"
	assert_output --partial "reset main~"
	assert_output --partial "index deleted"
}
