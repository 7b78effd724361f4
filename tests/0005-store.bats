#!/usr/bin/env bats
# casus(7), the store: a change either lands as exactly one commit on main or leaves the
# branch as it was, and what was acknowledged is there. Attacked here through the programs:
# a full disk, hostile identities, a ref lock that is not yet stale, a huge file, a store the
# user may not read, a repository that is not a store, the fsync of new object folders, and a
# store that borrows objects from another (git clone --shared).

load helpers
bats_require_minimum_version 1.5.0

PLAN=cases/e7/B-2026-017/plan.yaml

# "$@" is refused with exit 2 and message $msg on stderr, nothing on stdout, and the store
# keeps its $n commits and passes git fsck.
refused() {
	local n=$1 msg=$2
	shift 2
	run --separate-stderr "$@"
	assert_failure 2
	assert_output ''
	[[ "$stderr" == *"$msg"* ]] || fail "stderr lacks '$msg': $stderr"
	assert_store "$n"
}

# --- identities git cannot write -----------------------------------------------------------

# case-init as the current identity is refused with $1 and leaves no store behind.
init_refused() {
	run --separate-stderr case-init "$STORE" --institution Brugge --partner dg-epi
	assert_failure 2
	assert_output ''
	assert_equal "$stderr" "case-init: cannot use the identity from $1"
	[ ! -e "$STORE" ]
}

@test "case-init refuses a newline, CR or ESC in GIT_AUTHOR_NAME and makes no store" {
	GIT_AUTHOR_NAME=$'Ann\ncommitter Mallory <m@evil.example> 0 +0000' \
		init_refused "GIT_AUTHOR_NAME and GIT_AUTHOR_EMAIL: the name has a control character"
	GIT_AUTHOR_NAME=$'Ann\rPeeters' \
		init_refused "GIT_AUTHOR_NAME and GIT_AUTHOR_EMAIL: the name has a control character"
	GIT_AUTHOR_NAME=$'Ann\e[2J Peeters' \
		init_refused "GIT_AUTHOR_NAME and GIT_AUTHOR_EMAIL: the name has a control character"
	# C1 CSI (U+009B) and DEL, and a right-to-left override that makes a name read backwards.
	GIT_AUTHOR_NAME=$'Ann\xc2\x9b2J' \
		init_refused "GIT_AUTHOR_NAME and GIT_AUTHOR_EMAIL: the name has a control character"
	GIT_AUTHOR_NAME=$'Ann\x7f' \
		init_refused "GIT_AUTHOR_NAME and GIT_AUTHOR_EMAIL: the name has a control character"
	GIT_AUTHOR_NAME=$'Ann \xe2\x80\xaesreteeP' \
		init_refused "GIT_AUTHOR_NAME and GIT_AUTHOR_EMAIL: the name has a control character"
	GIT_AUTHOR_NAME=$'Ann\xff' \
		init_refused "GIT_AUTHOR_NAME and GIT_AUTHOR_EMAIL: the name is not UTF-8"
}

@test "case-init refuses a control character, '<' or '>' in the address" {
	GIT_AUTHOR_EMAIL=$'ann@brugge.example\nparent 0000' \
		init_refused "GIT_AUTHOR_NAME and GIT_AUTHOR_EMAIL: the address has a control character"
	GIT_AUTHOR_EMAIL='ann@brugge.example> <m@evil.example' \
		init_refused "GIT_AUTHOR_NAME and GIT_AUTHOR_EMAIL: the address has '<' or '>'"
	GIT_AUTHOR_NAME='Ann <Peeters>' \
		init_refused "GIT_AUTHOR_NAME and GIT_AUTHOR_EMAIL: the name has '<' or '>'"
	GIT_AUTHOR_NAME='   ' \
		init_refused "GIT_AUTHOR_NAME and GIT_AUTHOR_EMAIL: the name is empty"
}

@test "a control character in user.name or user.email from git config is refused too" {
	unset GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL
	git config --global user.name $'Ann\rPeeters'
	git config --global user.email ann@brugge.example
	init_refused "user.name and user.email: the name has a control character"
	git config --global user.name 'Ann Peeters'
	git config --global user.email $'ann@brugge.example\e]0;x\a'
	init_refused "user.name and user.email: the address has a control character"
}

@test "R2: a newline, CR or ESC in GIT_AUTHOR_NAME reaches no commit: the key decides the author" {
	init_store
	new_case
	git -C "$STORE" show "main:$PLAN" | sed 's/status: open/status: closed/' >"$BATS_TEST_TMPDIR/p.yaml"
	GIT_AUTHOR_NAME=$'Ann\ncommitter Mallory <m@evil.example> 0 +0000' \
		GIT_AUTHOR_EMAIL=$'m@evil.example\e[2J' run plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/p.yaml"
	assert_success
	assert_store 5
	assert_equal "$(git -C "$STORE" log -1 --format='%an <%ae>|%cn <%ce>')" \
		"Ann Peeters <ann@brugge.example>|Ann Peeters <ann@brugge.example>"
	# No object with the injected header was written, not even one the branch does not use.
	run git -C "$STORE" fsck --strict --unreachable --no-progress
	assert_success
	assert_output ''
	run git -C "$STORE" cat-file commit main
	refute_output --partial Mallory
}

# --- a full disk ---------------------------------------------------------------------------

# Puts the store on a tmpfs of its own, small enough to fill in an instant; skips unless root.
small_disk() {
	[ "$(id -u)" -eq 0 ] || skip "mounting a small tmpfs needs root (run the tests as root to check a full disk)"
	DISK=$BATS_TEST_TMPDIR/disk
	mkdir -p "$DISK"
	mount -t tmpfs -o size=2m,mode=0700 tmpfs "$DISK" || skip "cannot mount a tmpfs here"
	STORE=$DISK/store
}

teardown() {
	if [ -n "${DISK:-}" ] && mountpoint -q "$DISK"; then
		umount "$DISK"
	fi
}

# Fills the disk but for $1 KiB (tmpfs hands out 4 KiB pages: one page per small object).
fill_but() {
	rm -f "$DISK/fill"
	dd if=/dev/zero of="$DISK/fill" bs=4k status=none 2>/dev/null || true
	truncate -s "-$(($1 * 1024))" "$DISK/fill"
}

# Runs "$@" with 0, 4, ... 60 KiB free, so that every write of a change (each blob, each tree,
# the commit, the ref) is in turn the one that finds the disk full. Each run must either store
# its change and say so (exit 0, one commit more, $check "$output" succeeds) or say it failed
# (exit 2, nothing on stdout, not one commit more). After each, the disk is freed and git fsck
# must be clean. Sets $acknowledged and $failed.
each_free_size() {
	local check=$1 n
	shift
	n=$(commits)
	acknowledged=0 failed=0
	for kib in $(seq 0 4 60); do
		fill_but "$kib"
		run --separate-stderr "$@"
		rm -f "$DISK/fill"
		if [ "$status" -eq 0 ]; then
			local said=$output
			n=$((n + 1))
			acknowledged=$((acknowledged + 1))
			"$check" "$said" || fail "acknowledged with $kib KiB free but not stored: $said"
			assert_store "$n"
		else
			assert_failure 2
			assert_output ''
			[[ $stderr == *": cannot "* ]] || fail "no reason given with $kib KiB free: $stderr"
			failed=$((failed + 1))
			assert_store "$n"
		fi
	done
	# Both happened: the disk was full for some runs, and it was not the end of the store.
	[ "$failed" -gt 0 ] || fail "the disk never ran full"
	[ "$acknowledged" -gt 0 ] || fail "no run got through once there was room"
}

consent_stored() {
	git -C "$STORE" cat-file -e "main:cases/e7/B-2026-017/consent/$1.yaml"
}

@test "on a full disk consent-record never prints a record ID it did not store" {
	small_disk
	init_store
	new_case
	as_bram
	each_free_size consent_stored consent-record B-2026-017 --from welzijn,justitiehuizen --told consent-leaflet --language nl --to dg-epi --categories psychosocial \
		--purpose casusoverleg --date 2026-02-01 --informed
	# With room again, the next write goes through: no lock was left behind.
	run consent-record B-2026-017 --from welzijn,justitiehuizen --told consent-leaflet --language nl --to dg-epi --categories psychosocial --purpose casusoverleg \
		--date 2026-02-01 --informed
	assert_success
}

# Stores the plan with a note of its own (round N, counted in a file: run is a subshell), so
# that each run is a change.
plan_note() {
	local note=$(($(cat "$BATS_TEST_TMPDIR/round" 2>/dev/null || echo 0) + 1))
	echo "$note" >"$BATS_TEST_TMPDIR/round"
	# The institution, not a note: a note is stored sealed, and this looks for it at the tip.
	git -C "$STORE" show "main:$PLAN" |
		sed "s/^institution: .*/institution: Brugge round $note/" >"$BATS_TEST_TMPDIR/p.yaml"
	plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/p.yaml"
}

plan_stored() {
	git -C "$STORE" show "main:$PLAN" | grep -qx "institution: Brugge round $(cat "$BATS_TEST_TMPDIR/round")"
}

@test "on a full disk plan-edit never reports a change it did not store" {
	small_disk
	init_store
	new_case
	each_free_size plan_stored plan_note
	run plan_note
	assert_success
}

# --- durability of new object folders --------------------------------------------------------

@test "with fsync on, the objects folder is flushed when a commit adds a fan-out folder to it" {
	command -v strace >/dev/null || skip "strace is not installed"
	strace -o /dev/null true 2>/dev/null || skip "strace cannot trace here (ptrace not permitted)"
	# LeakSanitizer (make check) cannot run under ptrace.
	export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
	init_store
	# A new case writes objects whose objects/xx folders do not exist yet.
	CASUS_FSYNC=1 run strace -f -y -e trace=fsync -o "$BATS_TEST_TMPDIR/trace" plan-new B-2026-017 \
		--institution Brugge --detention-start 2026-01-10 --team dg-epi=ann@brugge.example
	assert_success
	assert_store 4
	run grep -c "fsync([0-9]*<$STORE/objects>)" "$BATS_TEST_TMPDIR/trace"
	assert_output 1
	# Once every objects/xx folder exists, no change adds one and objects/ is left alone.
	for i in $(seq 0 255); do
		mkdir -p "$STORE/objects/$(printf %02x "$i")"
	done
	CASUS_FSYNC=1 run strace -f -y -e trace=fsync -o "$BATS_TEST_TMPDIR/trace" plan-edit B-2026-017 \
		--file <(git -C "$STORE" show "main:$PLAN" | sed 's/status: open/status: closed/')
	assert_success
	assert_store 5
	run grep -c "fsync([0-9]*<$STORE/objects>)" "$BATS_TEST_TMPDIR/trace"
	assert_output 0
	run grep -c "fsync([0-9]*<$STORE/refs/heads>)" "$BATS_TEST_TMPDIR/trace"
	assert_output 1
	# Without fsync, nothing is flushed at all.
	CASUS_FSYNC=0 run strace -f -y -e trace=fsync -o "$BATS_TEST_TMPDIR/trace" plan-edit B-2026-017 \
		--file <(git -C "$STORE" show "main:$PLAN" | sed 's/status: closed/status: open/')
	assert_success
	assert_store 6
	run grep -c fsync "$BATS_TEST_TMPDIR/trace"
	assert_output 0
}

# --- what plain git can put in a store -----------------------------------------------------

# Runs "$@" under /usr/bin/time and sets $rss to its largest resident set, in KiB.
measured() {
	local t="$BATS_TEST_TMPDIR/time"
	[ -x /usr/bin/time ] || skip "/usr/bin/time is not installed"
	run --separate-stderr /usr/bin/time -f %M -o "$t" "$@"
	rss=$(tail -n 1 "$t")
}

@test "a 40 MiB file is refused by its size, before it is read" {
	init_store
	new_case
	sneak "head -c 41943040 /dev/zero | tr '\\0' a >$PLAN"
	msg="cannot read '$PLAN': file of 41943040 bytes, larger than the limit of 1048576 bytes"
	for prog in case-validate "plan-show B-2026-017"; do
		measured $prog
		if [ "$prog" = case-validate ]; then
			# A finding about what the store holds: a problem, exit 1.
			assert_failure 1
			assert_output "$PLAN: $msg"
		else
			assert_failure 2
			assert_output ''
			assert_equal "$stderr" "${prog%% *}: $msg"
		fi
		# Reading it whole took 90 MB; a program that does not stays below the file's size
		# (9 MB; 29 MB with AddressSanitizer).
		[ "$rss" -lt 40960 ] || fail "$prog used $rss KiB"
	done
	# Packed, as after git gc, it is refused the same way.
	git -C "$STORE" gc -q
	measured plan-show B-2026-017
	assert_failure 2
	assert_equal "$stderr" "plan-show: $msg"
	[ "$rss" -lt 40960 ] || fail "plan-show used $rss KiB on a packed file"
}

# --- a store the user may not read, a repository that is not a store ------------------------

@test "a store its group alone may enter is reported as permission denied to others" {
	[ "$(id -u)" -eq 0 ] || skip "needs root to run a program as another user (nobody)"
	command -v runuser >/dev/null || skip "runuser is not installed"
	init_store
	# As on a server: anyone may reach the folder the store is in, only its group the store
	# (2770). Search permission only, on the test's own folders.
	d=$STORE
	while d=$(dirname "$d") && [ "$d" != / ]; do
		chmod o+x "$d"
	done
	mkdir -m 777 "$BATS_TEST_TMPDIR/elsewhere"
	as_nobody() {
		runuser -u nobody -- env HOME="$BATS_TEST_TMPDIR/elsewhere" \
			GIT_CONFIG_GLOBAL="$BATS_TEST_TMPDIR/elsewhere/.gitconfig" "$@"
	}
	run --separate-stderr as_nobody case-validate -C "$STORE"
	assert_failure 2
	assert_output ''
	assert_equal "$stderr" "case-validate: cannot open store '$STORE': Permission denied"
	run --separate-stderr as_nobody plan-show -C "$STORE" B-2026-017
	assert_failure 2
	assert_equal "$stderr" "plan-show: cannot open store '$STORE': Permission denied"
	# What is not there is still no repository.
	run --separate-stderr as_nobody case-validate -C "$BATS_TEST_TMPDIR/elsewhere"
	assert_failure 2
	assert_equal "$stderr" "case-validate: cannot open store '$BATS_TEST_TMPDIR/elsewhere': not a casus store (no git repository)"
}

@test "a refused write into a git repository that is not a store leaves nothing there" {
	# One with a commit of its own and one with none, both bare, as case-init would not make them.
	git init -q --bare -b main "$STORE"
	git init -q -b main "$BATS_TEST_TMPDIR/wt"
	echo hello >"$BATS_TEST_TMPDIR/wt/README"
	git -C "$BATS_TEST_TMPDIR/wt" add README
	git -C "$BATS_TEST_TMPDIR/wt" -c user.name=Someone -c user.email=someone@elsewhere.example \
		commit -q -m first
	git -C "$BATS_TEST_TMPDIR/wt" push -q "$STORE" main
	git init -q --bare -b main "$BATS_TEST_TMPDIR/empty.git"
	before=$(cd "$STORE" && find . | sort)
	msg="cannot read 'casus.yaml': the store has no settings (was it made with case-init?)"
	refused 1 "member-add: $msg" member-add -C "$STORE" "Bram Claes" bram@welzijn.example \
		--partner welzijn --key "$KEYS/bram.pub"
	refused 1 "plan-new: $msg" plan-new -C "$STORE" B-2026-017 --institution Brugge \
		--detention-start 2026-01-10
	assert_equal "$(cd "$STORE" && find . | sort)" "$before"
	[ ! -e "$STORE/casus.lock" ]
	STORE=$BATS_TEST_TMPDIR/empty.git
	run --separate-stderr member-add -C "$STORE" "Bram Claes" bram@welzijn.example --partner welzijn --key "$KEYS/bram.pub"
	assert_failure 2
	assert_equal "$stderr" "member-add: $msg"
	[ ! -e "$STORE/casus.lock" ]
}

@test "a store made by case-init has its casus.lock from the start, and a clone gets one" {
	init_store
	[ -f "$STORE/casus.lock" ]
	run stat -c %a "$STORE/casus.lock"
	assert_output 660
	# A bare clone of a store is a store: its first write makes the lock.
	git clone -q --bare "$STORE" "$BATS_TEST_TMPDIR/clone.git"
	[ ! -e "$BATS_TEST_TMPDIR/clone.git/casus.lock" ]
	run plan-new -C "$BATS_TEST_TMPDIR/clone.git" B-2026-017 --institution Brugge \
		--detention-start 2026-01-10 --team dg-epi=ann@brugge.example
	assert_success
	[ -f "$BATS_TEST_TMPDIR/clone.git/casus.lock" ]
}

@test "a store cloned with --shared reads the objects it borrows, writes its own, and fails on one cut short" {
	init_store
	new_case
	git -C "$STORE" gc -q
	# A loose object in the store too: the plan edited after the gc.
	plan-show B-2026-017 --format yaml | sed 's/^  leave_eligible: .*/  leave_eligible: 2027-05-01/' |
		plan-edit B-2026-017 --file - >/dev/null
	shared=$BATS_TEST_TMPDIR/shared.git
	git clone -q --bare --shared "$STORE" "$shared"
	[ -f "$shared/objects/info/alternates" ]
	[ -z "$(find "$shared/objects" -type f ! -path '*/info/*')" ]
	run plan-show -C "$shared" B-2026-017 --format yaml
	assert_success
	assert_line "  leave_eligible: '2027-05-01'"
	run case-validate -C "$shared"
	assert_success
	# The plan's loose object in the store it borrows from, cut short (a disk that filled up):
	# an error that names it, at once, where libgit2 1.5.1 would spin for ever.
	blob=$(git -C "$STORE" rev-parse main:$PLAN)
	file=$STORE/objects/${blob:0:2}/${blob:2}
	[ -f "$file" ]
	cp "$file" "$BATS_TEST_TMPDIR/blob"
	cut_object "$STORE" "$blob"
	run --separate-stderr timeout 20 plan-show -C "$shared" B-2026-017
	assert_failure 2
	assert_output ''
	[[ "$stderr" == "plan-show: "*"object $blob is damaged"* ]] || fail "stderr: $stderr"
	cp "$BATS_TEST_TMPDIR/blob" "$file"
	# A write: the new objects are the clone's own; the store lent them, and is as it was.
	before=$(find "$STORE/objects" -type f | sort)
	plan-show -C "$shared" B-2026-017 --format yaml |
		sed 's/^  release_eligible: .*/  release_eligible: 2029-01-01/' >"$BATS_TEST_TMPDIR/plan.yaml"
	run plan-edit -C "$shared" B-2026-017 --file "$BATS_TEST_TMPDIR/plan.yaml"
	assert_success
	[ -n "$(find "$shared/objects" -type f ! -path '*/info/*')" ]
	assert_equal "$(find "$STORE/objects" -type f | sort)" "$before"
	run git -C "$shared" fsck --strict --no-progress
	assert_success
	run plan-show -C "$shared" B-2026-017 --format yaml
	assert_line "  release_eligible: '2029-01-01'"
}
