#!/usr/bin/env bats
# plan-edit(1): replaces a plan from a file or stdin, or lets the user edit it in $VISUAL or
# $EDITOR. What is stored is valid and canonical, one commit by the runner; unchanged content
# makes no commit; anything refused names the problem and stores nothing.

load helpers
bats_require_minimum_version 1.5.0

PLAN=cases/e7/B-2026-017/plan.yaml

# The plan of the new case with two domains under way, in casus's canonical form.
canonical() {
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
  psychosocial:
    status: in-progress
    owner: welzijn
    note: talks with "the family", weekly
    goals:
    - text: psychosocial support
      owner: welzijn
      actions:
      - text: weekly conversation
        owner: welzijn
        due: '2027-01-31'
  education_employment:
    status: planned
    owner: dg-epi
  mental_health:
    status: to-assess
  social_context:
    status: to-assess
  alternative_discourse:
    status: to-assess
EOF
}

# canonical() or reordered() without the texts of psychosocial, which are stored sealed: what
# plan-edit stores of it is exactly what was written.
clear() {
	sed -e '/^    note: /d' -e '/^    goals: \[/d' -e '/^    goals:$/,/^        due: /d'
}

# The same data as canonical(), in flow style, keys in another order, other quotes.
reordered() {
	cat <<'EOF'
domains:
  alternative_discourse: {status: to-assess}
  social_context: {status: to-assess}
  mental_health: {status: to-assess}
  education_employment: {owner: dg-epi, status: planned}
  psychosocial:
    goals: [{actions: [{due: "2027-01-31", owner: welzijn, text: weekly conversation}], owner: welzijn, text: psychosocial support}]
    note: "talks with \"the family\", weekly"
    owner: welzijn
    status: in-progress
team: {welzijn: [bram@welzijn.example], justitiehuizen: [chris@jh.example], dg-epi: [ann@brugge.example]}
dates: {sentence_end: "2030-01-10", release_eligible: "2028-05-31", leave_eligible: "2027-05-31", detention_start: "2026-01-10"}
status: "open"
institution: Brugge
case_id: B-2026-017
EOF
}

# The stored plan of the new case with one line changed by sed expression $1, into file $2.
variant() {
	git -C "$STORE" show "main:$PLAN" | sed "$1" >"$2"
}

# An editor: a shell script with body $1, run as $EDITOR with the file as $1; $D is the test's
# folder.
editor() {
	export D=$BATS_TEST_TMPDIR
	printf '#!/bin/sh\nset -e\n%s\n' "$1" >"$D/ed"
	chmod +x "$D/ed"
	export EDITOR="$D/ed"
}

# Nothing is left of the editor's file, in its folder or in the store's git directory.
assert_no_edit_file() {
	run find "$STORE" "$XDG_RUNTIME_DIR" -name 'casus-edit-*'
	assert_output ''
}

# The process ID of plan-edit, from its editor: the editor's parent is the shell it runs.
PLAN_EDIT_PID='$(awk "{ print \$4 }" /proc/$PPID/stat)'

# plan-edit --file refuses $1 (exit 2), the message contains $2, and nothing is stored.
assert_refused() {
	local file=$1 msg=$2
	before=$(head_commit)
	run timeout 20 plan-edit B-2026-017 --file "$file"
	assert_failure 2
	assert_output --partial "$msg"
	assert_line "plan-edit: cannot store the plan of 'B-2026-017': 1 problem, nothing stored"
	assert_equal "$(head_commit)" "$before"
	assert_store 4
}

@test "plan-edit --file replaces the plan in one commit by the runner" {
	init_store
	new_case
	canonical >"$BATS_TEST_TMPDIR/plan.yaml"
	as_bram
	run plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/plan.yaml"
	assert_success
	assert_output ''
	assert_store 5
	assert_equal "$(git -C "$STORE" log -1 --format='%an <%ae>' main)" "Bram Claes <bram@welzijn.example>"
	run git -C "$STORE" log -1 --format=%B main
	assert_output - <<'EOF'
plan-edit: edit plan B-2026-017

Case-Id: B-2026-017
Program: plan-edit
EOF
	run git -C "$STORE" diff-tree --no-commit-id --name-status -r main
	assert_output "M	$PLAN"
}

@test "plan-edit --file stores exactly what was written when it is canonical" {
	init_store
	new_case
	canonical | clear >"$BATS_TEST_TMPDIR/plan.yaml"
	plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/plan.yaml"
	plan-show B-2026-017 --format yaml >"$BATS_TEST_TMPDIR/shown"
	run cmp "$BATS_TEST_TMPDIR/shown" "$BATS_TEST_TMPDIR/plan.yaml"
	assert_success
	assert_store 5
}

@test "plan-edit -m puts the reason in the body of the message" {
	init_store
	new_case
	canonical >"$BATS_TEST_TMPDIR/plan.yaml"
	run plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/plan.yaml" -m "goals agreed at the consultation"
	assert_success
	run git -C "$STORE" log -1 --format=%B main
	assert_output - <<'EOF'
plan-edit: edit plan B-2026-017

goals agreed at the consultation

Case-Id: B-2026-017
Program: plan-edit
EOF
	assert_store 5
}

# The trailers git parses from the last commit, by both of git's readers, are exactly casus's.
assert_own_trailers() {
	local want=$'Case-Id: B-2026-017\nProgram: plan-edit'
	assert_equal "$(git -C "$STORE" log -1 --format=%B main | git interpret-trailers --parse)" "$want"
	for cc in '#' ';'; do
		assert_equal "$(git -C "$STORE" -c core.commentChar="$cc" log -1 --format='%(trailers)' main)" "$want"
	done
}

@test "plan-edit -m refuses a reason that git would read as the end of the message" {
	init_store
	new_case
	variant 's/^status: open/status: closed/' "$BATS_TEST_TMPDIR/plan.yaml"
	# Each would have made git report a Case-Id and Record-Id of the author's choosing.
	local forged=$'x\n\nCase-Id: B-2026-999\nRecord-Id: 20260101-forged'
	for reason in "$forged"$'\n---' "$forged"$'\n--- ' "$forged"$'\n---\nmore' $'---\nx' \
		"$forged"$'\n# ------------------------ >8 ------------------------' \
		"$forged"$'\n; ------------------------ >8 ------------------------'; do
		run plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/plan.yaml" -m "$reason"
		assert_failure 2
		assert_output --regexp "^plan-edit: cannot use the reason: (a line starting with '---' ends a commit message for git|git ignores a commit message below a scissors line)\$"
		assert_store 4
	done
	run plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/plan.yaml" -m $'x\r\nCase-Id: B-2026-999'
	assert_failure 2
	assert_output "plan-edit: cannot use the reason: it must be non-empty UTF-8 text without control characters"
	assert_store 4
}

@test "plan-edit -m keeps a reason that only looks like trailers as text, under casus's own" {
	init_store
	new_case
	local n=0
	for reason in $'Case-Id: B-2026-999\nRecord-Id: 20260101-forged' \
		$'x\n\nCase-Id: B-2026-999\n\n' $'x\n# Case-Id: B-2026-999' $'x\n\nKey: value\n# comment' \
		$'x\n -- >8 --\nCase-Id: B-2026-999' $'x\n-- \n--x'; do
		n=$((n + 1))
		variant "s/^institution: Brugge/institution: Brugge $n/" "$BATS_TEST_TMPDIR/plan.yaml"
		run plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/plan.yaml" -m "$reason"
		assert_success
		assert_store $((4 + n))
		assert_own_trailers
	done
}

@test "plan-edit stores an equal but differently written file in the canonical form" {
	init_store
	new_case
	reordered | clear >"$BATS_TEST_TMPDIR/reordered.yaml"
	canonical | clear >"$BATS_TEST_TMPDIR/canonical.yaml"
	run plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/reordered.yaml"
	assert_success
	assert_store 5
	git -C "$STORE" show "main:$PLAN" >"$BATS_TEST_TMPDIR/stored"
	run cmp "$BATS_TEST_TMPDIR/stored" "$BATS_TEST_TMPDIR/canonical.yaml"
	assert_success
}

@test "plan-edit makes no commit when the same file is given again" {
	init_store
	new_case
	# By welzijn, which holds psychosocial: its key opens what it sealed, unchanged.
	as_bram
	canonical >"$BATS_TEST_TMPDIR/plan.yaml"
	plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/plan.yaml"
	before=$(head_commit)
	run plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/plan.yaml" -m "again"
	assert_success
	assert_output "plan-edit: no change to the plan of 'B-2026-017'; nothing stored"
	assert_equal "$(head_commit)" "$before"
	assert_store 5
}

@test "plan-edit makes no commit for equal data in another key order" {
	init_store
	new_case
	as_bram
	canonical >"$BATS_TEST_TMPDIR/plan.yaml"
	plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/plan.yaml"
	reordered >"$BATS_TEST_TMPDIR/reordered.yaml"
	run plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/reordered.yaml"
	assert_success
	assert_output "plan-edit: no change to the plan of 'B-2026-017'; nothing stored"
	assert_store 5
}

@test "plan-edit makes no commit when the stored plan is given back as it is" {
	init_store
	new_case
	run sh -c 'plan-show B-2026-017 --format yaml | plan-edit B-2026-017 --file -'
	assert_success
	assert_output "plan-edit: no change to the plan of 'B-2026-017'; nothing stored"
	assert_store 4
}

@test "plan-edit --file - reads the plan from standard input" {
	init_store
	new_case
	canonical | clear >"$BATS_TEST_TMPDIR/plan.yaml"
	run plan-edit B-2026-017 --file - <"$BATS_TEST_TMPDIR/plan.yaml"
	assert_success
	assert_store 5
	git -C "$STORE" show "main:$PLAN" >"$BATS_TEST_TMPDIR/stored"
	run cmp "$BATS_TEST_TMPDIR/stored" "$BATS_TEST_TMPDIR/plan.yaml"
	assert_success
}

@test "plan-edit --file names the file it cannot read" {
	init_store
	new_case
	run plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/missing.yaml"
	assert_failure 2
	assert_output "plan-edit: cannot read '$BATS_TEST_TMPDIR/missing.yaml': No such file or directory"
	assert_store 4
}

@test "plan-edit refuses a case that does not exist, even with a valid plan for it" {
	init_store
	new_case
	variant 's/B-2026-017/B-2026-018/' "$BATS_TEST_TMPDIR/plan.yaml"
	run plan-edit B-2026-018 --file "$BATS_TEST_TMPDIR/plan.yaml"
	assert_failure 2
	assert_output "plan-edit: cannot find case 'B-2026-018': no such case in this store"
	assert_store 4
	run git -C "$STORE" ls-tree -r --name-only main
	refute_output --partial B-2026-018
}

@test "plan-edit refuses a runner who is not a registered team member" {
	init_store
	new_case
	canonical >"$BATS_TEST_TMPDIR/plan.yaml"
	as_eve
	run plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/plan.yaml"
	assert_failure 2
	assert_output "plan-edit: cannot write as '$(fingerprint eve)': the key is not registered to a member of this store"
	assert_store 4
}

@test "plan-edit refuses a runner who is no longer active" {
	init_store
	new_case
	member_leaves bram@welzijn.example
	canonical >"$BATS_TEST_TMPDIR/plan.yaml"
	as_bram
	run plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/plan.yaml"
	assert_failure 2
	assert_output "plan-edit: cannot write as 'bram@welzijn.example': no longer an active team member of this store"
	assert_store 5
}

# The editor.

@test "plan-edit in the editor stores what the editor saved, in one commit" {
	init_store
	new_case
	editor 'sed -i "s/^status: open/status: closed/" "$1"'
	as_chris
	run plan-edit B-2026-017 -m "released"
	assert_success
	assert_output ''
	assert_store 5
	assert_equal "$(git -C "$STORE" log -1 --format='%ae %s' main)" "chris@jh.example plan-edit: edit plan B-2026-017"
	run plan-show B-2026-017 --format yaml
	assert_line --index 2 "status: closed"
	assert_no_edit_file
}

@test "plan-edit runs \$EDITOR as a shell command with the file as its last argument" {
	init_store
	new_case
	export EDITOR='sed -i "s/^institution: Brugge/institution: Brugge Centrum/"'
	run plan-edit B-2026-017
	assert_success
	assert_store 5
	run plan-show B-2026-017 --format yaml
	assert_line --index 1 "institution: Brugge Centrum"
}

@test "plan-edit prefers \$VISUAL to \$EDITOR" {
	init_store
	new_case
	export EDITOR=false
	export VISUAL='sed -i "s/^status: open/status: closed/"'
	run plan-edit B-2026-017
	assert_success
	assert_store 5
}

@test "plan-edit refuses a runner who may not write before opening the editor" {
	init_store
	new_case
	member_leaves chris@jh.example
	editor 'touch "$D/ran"; sed -i "s/^status: open/status: closed/" "$1"'
	for who in as_eve as_chris; do
		$who
		run plan-edit B-2026-017
		assert_failure 2
		assert_output --partial "plan-edit: cannot write as '"
		[ ! -e "$BATS_TEST_TMPDIR/ran" ]
	done
	assert_no_edit_file
	assert_store 5
}

@test "plan-edit shows the editor the stored plan" {
	init_store
	new_case
	editor 'cp "$1" "$D/seen"'
	run plan-edit B-2026-017
	assert_failure 1
	assert_output "plan-edit: cannot store the plan of 'B-2026-017': the file was saved unchanged, nothing stored"
	git -C "$STORE" show "main:$PLAN" >"$BATS_TEST_TMPDIR/stored"
	run cmp "$BATS_TEST_TMPDIR/seen" "$BATS_TEST_TMPDIR/stored"
	assert_success
	assert_store 4
}

@test "plan-edit reopens the editor with the problems on top until the plan is valid" {
	init_store
	new_case
	editor '
n=$(cat "$D/count" 2>/dev/null || echo 0); n=$((n + 1)); echo $n >"$D/count"
cp "$1" "$D/seen.$n"
if [ $n = 1 ]; then sed -i "s/^status: open/status: bogus/" "$1"
else sed -i "/^#!/d; s/^status: bogus/status: closed/" "$1"; fi'
	run plan-edit B-2026-017
	assert_success
	assert_output ''
	assert_equal "$(cat "$BATS_TEST_TMPDIR/count")" 2
	assert_store 5
	run head -n 5 "$BATS_TEST_TMPDIR/seen.2"
	assert_output - <<'EOF'
#! plan-edit: the plan is not valid; fix it, or save it unchanged (or empty) to give up.
#! line 5: status: "bogus" is not one of open, closed
case_id: B-2026-017
institution: Brugge
status: bogus
EOF
	run plan-show B-2026-017 --format yaml
	assert_line --index 2 "status: closed"
	refute_output --partial '#!'
	assert_no_edit_file
}

@test "plan-edit ignores the problem notes if the user leaves them in the fixed file" {
	init_store
	new_case
	editor '
n=$(cat "$D/count" 2>/dev/null || echo 0); n=$((n + 1)); echo $n >"$D/count"
if [ $n = 1 ]; then sed -i "s/^status: open/status: bogus/" "$1"
else sed -i "s/^status: bogus/status: closed/" "$1"; fi'
	run plan-edit B-2026-017
	assert_success
	assert_store 5
	run git -C "$STORE" show "main:$PLAN"
	assert_line --index 0 "case_id: B-2026-017"
	assert_line --index 2 "status: closed"
}

@test "plan-edit gives up without a commit, exit 1, when the editor saves an empty file" {
	init_store
	new_case
	editor ': >"$1"'
	run plan-edit B-2026-017
	assert_failure 1
	assert_output "plan-edit: cannot store the plan of 'B-2026-017': the file was left empty, nothing stored"
	assert_store 4
	assert_no_edit_file
}

@test "plan-edit gives up without a commit, exit 1, when the file is saved unchanged after problems" {
	init_store
	new_case
	editor '
n=$(cat "$D/count" 2>/dev/null || echo 0); n=$((n + 1)); echo $n >"$D/count"
if [ $n = 1 ]; then sed -i "s/^status: open/status: bogus/" "$1"; fi'
	run plan-edit B-2026-017
	assert_failure 1
	assert_output "plan-edit: cannot store the plan of 'B-2026-017': the file was saved unchanged, nothing stored"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/count")" 2
	assert_store 4
	assert_no_edit_file
}

@test "plan-edit gives up when only the problem notes are left in the file" {
	init_store
	new_case
	editor '
n=$(cat "$D/count" 2>/dev/null || echo 0); n=$((n + 1)); echo $n >"$D/count"
if [ $n = 1 ]; then sed -i "s/^status: open/status: bogus/" "$1"; else sed -i "/^#!/!d" "$1"; fi'
	run plan-edit B-2026-017
	assert_failure 1
	assert_output "plan-edit: cannot store the plan of 'B-2026-017': the file was left empty, nothing stored"
	assert_store 4
	assert_no_edit_file
}

@test "plan-edit fails with exit 2 and no commit when the editor fails" {
	init_store
	new_case
	export EDITOR=false
	run plan-edit B-2026-017
	assert_failure 2
	assert_output "plan-edit: cannot use the edit: the editor 'false' failed"
	assert_store 4
	assert_no_edit_file
}

@test "plan-edit stores nothing when the editor changed the file and then failed" {
	init_store
	new_case
	editor 'sed -i "s/^status: open/status: closed/" "$1"; exit 3'
	run plan-edit B-2026-017
	assert_failure 2
	assert_output --partial "the editor '$BATS_TEST_TMPDIR/ed' failed"
	assert_store 4
	assert_no_edit_file
}

@test "plan-edit's file is mode 0600 in a folder of one's own, mode 0700, and removed after" {
	init_store
	new_case
	editor '
stat -c "%a %u" "$1" >>"$D/modes"
stat -c "%a %u" "$(dirname "$1")" >>"$D/modes"
dirname "$1" >"$D/dir"
sed -i "s/^status: open/status: closed/" "$1"'
	run plan-edit B-2026-017
	assert_success
	assert_equal "$(cat "$BATS_TEST_TMPDIR/modes")" "$(printf '600 %s\n700 %s' "$(id -u)" "$(id -u)")"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/dir")" "$EDIT_DIR"
	assert_no_edit_file
	assert_store 5
}

@test "plan-edit makes its folder in \$TMPDIR without \$XDG_RUNTIME_DIR" {
	init_store
	new_case
	unset XDG_RUNTIME_DIR
	export TMPDIR="$BATS_TEST_TMPDIR/tmp"
	mkdir "$TMPDIR"
	editor 'dirname "$1" >"$D/dir"; sed -i "s/^status: open/status: closed/" "$1"'
	run plan-edit B-2026-017
	assert_success
	assert_equal "$(cat "$BATS_TEST_TMPDIR/dir")" "$TMPDIR/casus-$(id -u)"
	assert_equal "$(stat -c %a "$TMPDIR/casus-$(id -u)")" 700
	run find "$TMPDIR" -type f
	assert_output ''
	assert_store 5
}

# Another member of the store's group lays traps where the editor's file goes: none is followed.

@test "plan-edit does not follow a symbolic link planted as its folder" {
	init_store
	new_case
	mkdir -m 700 "$BATS_TEST_TMPDIR/victim"
	echo precious >"$BATS_TEST_TMPDIR/victim/file"
	ln -s "$BATS_TEST_TMPDIR/victim" "$EDIT_DIR"
	editor 'touch "$D/ran"; sed -i "s/^status: open/status: closed/" "$1"'
	run plan-edit B-2026-017
	assert_failure 2
	assert_output "plan-edit: cannot make the editor's file in '$EDIT_DIR': a symbolic link, not a folder of your own"
	[ ! -e "$BATS_TEST_TMPDIR/ran" ]
	run ls -A "$BATS_TEST_TMPDIR/victim"
	assert_output file
	assert_equal "$(cat "$BATS_TEST_TMPDIR/victim/file")" precious
	assert_no_edit_file
	assert_store 4
}

@test "plan-edit refuses a folder made beforehand that others may write to" {
	init_store
	new_case
	mkdir "$EDIT_DIR"
	chmod 770 "$EDIT_DIR"
	editor 'touch "$D/ran"; sed -i "s/^status: open/status: closed/" "$1"'
	run plan-edit B-2026-017
	assert_failure 2
	assert_output "plan-edit: cannot make the editor's file in '$EDIT_DIR': not a folder of your own with mode 0700"
	[ ! -e "$BATS_TEST_TMPDIR/ran" ]
	run ls -A "$EDIT_DIR"
	assert_output ''
	assert_store 4
}

@test "plan-edit refuses a folder made beforehand by someone else" {
	[ "$(id -u)" = 0 ] || skip "only root can give a folder to another user"
	init_store
	new_case
	mkdir -m 700 "$EDIT_DIR"
	chown 1001:1001 "$EDIT_DIR"
	editor 'touch "$D/ran"; sed -i "s/^status: open/status: closed/" "$1"'
	run plan-edit B-2026-017
	assert_failure 2
	assert_output "plan-edit: cannot make the editor's file in '$EDIT_DIR': not a folder of your own with mode 0700"
	[ ! -e "$BATS_TEST_TMPDIR/ran" ]
	run ls -A "$EDIT_DIR"
	assert_output ''
	assert_store 4
}

@test "plan-edit refuses a folder inside one that others may change, unless it is sticky" {
	init_store
	new_case
	export XDG_RUNTIME_DIR="$BATS_TEST_TMPDIR/shared"
	mkdir "$XDG_RUNTIME_DIR"
	chmod 777 "$XDG_RUNTIME_DIR"
	editor 'sed -i "s/^status: open/status: closed/" "$1"'
	run plan-edit B-2026-017
	assert_failure 2
	assert_output "plan-edit: cannot make the editor's file in '$XDG_RUNTIME_DIR/casus-$(id -u)': '$XDG_RUNTIME_DIR' can be changed by others"
	assert_store 4
	# Sticky, as /tmp is: nobody can rename or remove another's folder in it.
	chmod 1777 "$XDG_RUNTIME_DIR"
	run plan-edit B-2026-017
	assert_success
	assert_no_edit_file
	assert_store 5
}

@test "plan-edit makes nothing in the store's git directory" {
	init_store
	new_case
	editor '{ ls -A "'"$STORE"'" | grep -c casus-edit || :; } >"$D/in-store"; sed -i "s/^status: open/status: closed/" "$1"'
	run plan-edit B-2026-017
	assert_success
	assert_equal "$(cat "$BATS_TEST_TMPDIR/in-store")" 0
	assert_store 5
}

@test "plan-edit reads back the file itself, not a symbolic link the editor left" {
	init_store
	new_case
	variant 's/^status: open/status: closed/' "$BATS_TEST_TMPDIR/other.yaml"
	editor 'rm "$1"; ln -s "$D/other.yaml" "$1"'
	run plan-edit B-2026-017
	assert_failure 2
	assert_output --regexp "^plan-edit: cannot read '$EDIT_DIR/casus-edit-[A-Za-z0-9]+\\.yaml': a symbolic link, not the file\$"
	assert_no_edit_file
	assert_store 4
}

# A signal that ends plan-edit while its editor is open leaves no file and stores nothing.
# The signals are given their default first: a shell that runs the tests in the background
# (nohup, or `make test &`) starts them ignored, and an ignored signal stays ignored, as git
# leaves it too.

@test "plan-edit removes its file when SIGTERM or SIGHUP ends it in the editor" {
	init_store
	new_case
	for sig in TERM HUP; do
		editor 'echo "$1" >"$D/path"; sed -i "s/^status: open/status: closed/" "$1"; kill -'$sig' '"$PLAN_EDIT_PID"
		run env --default-signal=HUP,INT,TERM plan-edit B-2026-017
		assert_equal "$status" $((128 + $(kill -l $sig)))
		[ -n "$(cat "$BATS_TEST_TMPDIR/path")" ]
		[ ! -e "$(cat "$BATS_TEST_TMPDIR/path")" ]
		assert_no_edit_file
		assert_store 4
	done
}

@test "plan-edit leaves an interrupt while the editor runs to the editor" {
	init_store
	new_case
	editor 'kill -INT '"$PLAN_EDIT_PID"'; sed -i "s/^status: open/status: closed/" "$1"'
	run env --default-signal=HUP,INT,TERM plan-edit B-2026-017
	assert_success
	assert_no_edit_file
	assert_store 5
	# An editor that an interrupt ends has failed: nothing is stored, and the file is gone.
	editor 'sed -i "s/^status: closed/status: open/" "$1"; kill -INT $$'
	run env --default-signal=HUP,INT,TERM plan-edit B-2026-017
	assert_failure 2
	assert_output "plan-edit: cannot use the edit: the editor '$BATS_TEST_TMPDIR/ed' failed"
	assert_no_edit_file
	assert_store 5
}

@test "plan-edit gives up after five saves that are not valid, and keeps the last" {
	init_store
	new_case
	editor '
n=$(cat "$D/count" 2>/dev/null || echo 0); n=$((n + 1)); echo $n >"$D/count"
printf "case_id: B-2026-017\nstatus: [open $n\n" >"$1"'
	run timeout 20 plan-edit B-2026-017
	assert_failure 2
	assert_output --regexp "^plan-edit: cannot use the edit: still not valid after 5 saves; your work is kept in '$EDIT_DIR/casus-edit-[A-Za-z0-9]+\\.yaml'\$"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/count")" 5
	kept=$(find "$EDIT_DIR" -name 'casus-edit-*')
	assert_equal "$(stat -c %a "$kept")" 600
	assert_equal "$(cat "$kept")" "$(printf 'case_id: B-2026-017\nstatus: [open 5')"
	assert_store 4
}

@test "plan-edit's file stays mode 0600 each time the editor reopens" {
	init_store
	new_case
	editor '
stat -c %a "$1" >>"$D/modes"
n=$(wc -l <"$D/modes")
if [ $n = 1 ]; then sed -i "s/^status: open/status: bogus/" "$1"; else : >"$1"; fi'
	umask 000
	run plan-edit B-2026-017
	assert_failure 1
	assert_equal "$(cat "$BATS_TEST_TMPDIR/modes")" "$(printf '600\n600')"
	assert_no_edit_file
	assert_store 4
}

@test "plan-edit refuses to overwrite a plan that someone else changed during the edit, and keeps the work" {
	init_store
	new_case
	variant 's/^institution: Brugge/institution: Gent/' "$BATS_TEST_TMPDIR/other.yaml"
	editor '
CASUS_KEY="$KEYS/bram" plan-edit B-2026-017 --file "$D/other.yaml"
sed -i "s/^status: open/status: closed/" "$1"'
	run plan-edit B-2026-017
	assert_failure 2
	assert_line --index 0 "plan-edit: cannot store the plan of 'B-2026-017': someone else changed it while you edited it"
	assert_line --index 1 --regexp "^plan-edit: your version is kept in '$EDIT_DIR/casus-edit-[A-Za-z0-9]+\\.yaml'\$"
	assert_store 5
	assert_equal "$(git -C "$STORE" log -1 --format=%ae main)" bram@welzijn.example
	run plan-show B-2026-017 --format yaml
	assert_line "institution: Gent"
	assert_line "status: open"
	kept=$(find "$EDIT_DIR" -name 'casus-edit-*')
	assert_equal "$(stat -c %a "$kept")" 600
	run grep -c "status: closed" "$kept"
	assert_output 1
}

# Input that is refused: exit 2, the problem named, nothing stored.

@test "plan-edit refuses malformed YAML" {
	init_store
	new_case
	variant 's/^status: open/status: [open/' "$BATS_TEST_TMPDIR/bad.yaml"
	assert_refused "$BATS_TEST_TMPDIR/bad.yaml" "bad.yaml:4: status[1]: did not find expected ',' or ']'"
}

@test "plan-edit refuses an anchor and an alias" {
	init_store
	new_case
	variant 's/^institution: Brugge/institution: \&a Brugge/; s/^status: open/status: *a/' "$BATS_TEST_TMPDIR/bad.yaml"
	assert_refused "$BATS_TEST_TMPDIR/bad.yaml" "bad.yaml:2: institution: anchors are not allowed"
	variant 's/^status: open/status: *a/' "$BATS_TEST_TMPDIR/alias.yaml"
	assert_refused "$BATS_TEST_TMPDIR/alias.yaml" "alias.yaml:3: status: aliases are not allowed"
}

@test "plan-edit refuses a tag" {
	init_store
	new_case
	variant 's/^institution: Brugge/institution: !!str Brugge/' "$BATS_TEST_TMPDIR/bad.yaml"
	assert_refused "$BATS_TEST_TMPDIR/bad.yaml" "bad.yaml:2: institution: tags are not allowed"
}

@test "plan-edit refuses 10,000 levels of nesting quickly" {
	init_store
	new_case
	{
		printf 'institution: '
		printf '[%.0s' $(seq 10000)
		printf ']%.0s' $(seq 10000)
		echo
	} >"$BATS_TEST_TMPDIR/deep.yaml"
	assert_refused "$BATS_TEST_TMPDIR/deep.yaml" "nesting deeper than 64 levels"
}

@test "plan-edit refuses a 50 MB file without reading it all" {
	init_store
	new_case
	{
		git -C "$STORE" show "main:$PLAN"
		yes '# padding'
	} | head -c 50000000 >"$BATS_TEST_TMPDIR/big.yaml"
	assert_equal "$(stat -c %s "$BATS_TEST_TMPDIR/big.yaml")" 50000000
	SECONDS=0
	run timeout 20 plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/big.yaml"
	assert_failure 2
	assert_output "plan-edit: cannot read '$BATS_TEST_TMPDIR/big.yaml': larger than 1048576 bytes"
	[ "$SECONDS" -lt 5 ]
	assert_store 4
}

@test "plan-edit refuses an endless standard input instead of hanging" {
	init_store
	new_case
	run timeout 20 sh -c 'yes "# more" | plan-edit B-2026-017 --file -'
	assert_failure 2
	assert_output "plan-edit: cannot read 'standard input': larger than 1048576 bytes"
	assert_store 4
}

@test "plan-edit refuses invalid UTF-8" {
	init_store
	new_case
	variant "s/^institution: Brugge/institution: Br$(printf '\xff')gge/" "$BATS_TEST_TMPDIR/bad.yaml"
	assert_refused "$BATS_TEST_TMPDIR/bad.yaml" "bad.yaml:2: invalid UTF-8"
}

@test "plan-edit refuses a UTF-8 byte-order mark, at the start or at the start of a line" {
	init_store
	new_case
	{ printf '\xef\xbb\xbf'; git -C "$STORE" show "main:$PLAN"; } >"$BATS_TEST_TMPDIR/bom.yaml"
	assert_refused "$BATS_TEST_TMPDIR/bom.yaml" "bom.yaml:1: a byte-order mark (U+FEFF) is not accepted"
	variant "s/^status: open/$(printf '\xef\xbb\xbf')status: open/" "$BATS_TEST_TMPDIR/inner.yaml"
	assert_refused "$BATS_TEST_TMPDIR/inner.yaml" "inner.yaml:3: a byte-order mark (U+FEFF) is not accepted"
}

@test "plan-edit refuses UTF-16 and UTF-32, with or without a byte-order mark" {
	init_store
	new_case
	for enc in UTF-16 UTF-16LE UTF-16BE UTF-32 UTF-32LE UTF-32BE; do
		git -C "$STORE" show "main:$PLAN" | sed 's/^status: open/status: closed/' |
			iconv -f UTF-8 -t $enc >"$BATS_TEST_TMPDIR/$enc.yaml"
		assert_refused "$BATS_TEST_TMPDIR/$enc.yaml" "$enc.yaml:1: ${enc:0:6} text is not accepted, only UTF-8"
	done
}

@test "plan-edit refuses a duplicate key" {
	init_store
	new_case
	variant 's/^status: open/&\ninstitution: Gent/' "$BATS_TEST_TMPDIR/bad.yaml"
	assert_refused "$BATS_TEST_TMPDIR/bad.yaml" "bad.yaml:4: duplicate key 'institution'"
}

@test "plan-edit refuses a duplicate key deep inside the plan" {
	init_store
	new_case
	variant 's/^    status: to-assess$/&\n    status: planned/' "$BATS_TEST_TMPDIR/bad.yaml"
	assert_refused "$BATS_TEST_TMPDIR/bad.yaml" "duplicate key 'status'"
}

@test "plan-edit refuses a value of the wrong type" {
	init_store
	new_case
	variant 's/^status: open/status: 5/' "$BATS_TEST_TMPDIR/bad.yaml"
	assert_refused "$BATS_TEST_TMPDIR/bad.yaml" "bad.yaml:3: status: 5 is not one of open, closed"
}

@test "plan-edit refuses a list where the team should be" {
	init_store
	new_case
	variant 's/^team:$/team: [ann@brugge.example]\nxteam:/' "$BATS_TEST_TMPDIR/bad.yaml"
	run plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/bad.yaml"
	assert_failure 2
	assert_line --partial "bad.yaml:9: team: expected object, got array"
	assert_store 4
}

@test "plan-edit refuses 2026-02-30 as a date and names the line and field" {
	init_store
	new_case
	variant "s/'2027-05-31'/'2026-02-30'/" "$BATS_TEST_TMPDIR/bad.yaml"
	assert_refused "$BATS_TEST_TMPDIR/bad.yaml" \
		'bad.yaml:6: dates.leave_eligible: "2026-02-30" is not a valid date'
}

@test "plan-edit refuses 2026-02-30 as a date written without quotes" {
	init_store
	new_case
	variant "s/'2027-05-31'/2026-02-30/" "$BATS_TEST_TMPDIR/bad.yaml"
	assert_refused "$BATS_TEST_TMPDIR/bad.yaml" \
		'bad.yaml:6: dates.leave_eligible: "2026-02-30" is not a valid date'
}

@test "plan-edit refuses year 0000, which no check could compare with another date" {
	init_store
	new_case
	variant "s/'2027-05-31'/'0000-05-31'/" "$BATS_TEST_TMPDIR/bad.yaml"
	assert_refused "$BATS_TEST_TMPDIR/bad.yaml" \
		'bad.yaml:6: dates.leave_eligible: "0000-05-31" is not a valid date'
	variant "s/'2026-01-10'/'0999-12-31'/" "$BATS_TEST_TMPDIR/bad.yaml"
	assert_refused "$BATS_TEST_TMPDIR/bad.yaml" \
		'bad.yaml:5: dates.detention_start: "0999-12-31" is not a valid date'
}

@test "plan-edit's messages show a value's bidirectional override escaped" {
	init_store
	new_case
	variant 's/^status: open/status: "\\u202eopen\\u2028"/' "$BATS_TEST_TMPDIR/bad.yaml"
	assert_refused "$BATS_TEST_TMPDIR/bad.yaml" 'bad.yaml:3: status: "\u202eopen\u2028" is not one of open, closed'
	refute_output --partial $'\u202e'
	refute_output --partial $'\u2028'
	run plan-edit B-2026-017 --file $'nowhere\u202e.yaml'
	assert_failure 2
	assert_output "plan-edit: cannot read 'nowhere\u202e.yaml': No such file or directory"
	assert_store 4
}

@test "plan-edit prints at most 100 problems of a file, then how many more there are" {
	init_store
	new_case
	{ git -C "$STORE" show "main:$PLAN"; seq -f 'k%g: 1' 5000; } >"$BATS_TEST_TMPDIR/many.yaml"
	run --separate-stderr plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/many.yaml"
	assert_failure 2
	assert_output ''
	output=$stderr lines=("${stderr_lines[@]}")
	assert_equal "${#lines[@]}" 102
	assert_equal "${lines[0]}" "plan-edit: $BATS_TEST_TMPDIR/many.yaml:27: unexpected property 'k1'"
	assert_equal "${lines[99]}" "plan-edit: $BATS_TEST_TMPDIR/many.yaml:126: unexpected property 'k100'"
	assert_equal "${lines[100]}" "plan-edit: $BATS_TEST_TMPDIR/many.yaml: ... and 4900 more problems"
	assert_equal "${lines[101]}" "plan-edit: cannot store the plan of 'B-2026-017': 5000 problems, nothing stored"
	assert_store 4
}

@test "plan-edit refuses a second document" {
	init_store
	new_case
	git -C "$STORE" show "main:$PLAN" >"$BATS_TEST_TMPDIR/bad.yaml"
	printf -- '---\n' >>"$BATS_TEST_TMPDIR/bad.yaml"
	git -C "$STORE" show "main:$PLAN" >>"$BATS_TEST_TMPDIR/bad.yaml"
	assert_refused "$BATS_TEST_TMPDIR/bad.yaml" "bad.yaml:27: more than one document"
}

@test "plan-edit refuses an unknown property" {
	init_store
	new_case
	variant '0,/^    status: to-assess$/s//&\n    religion: none/' "$BATS_TEST_TMPDIR/bad.yaml"
	assert_refused "$BATS_TEST_TMPDIR/bad.yaml" "unexpected property 'religion'"
	run plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/bad.yaml"
	assert_output --partial "bad.yaml:19: domains.psychosocial: unexpected property 'religion'"
}

@test "plan-edit refuses a NUL from a \\0 escape in a quoted string" {
	init_store
	new_case
	variant 's/^institution: Brugge/institution: "Bru\\0gge"/' "$BATS_TEST_TMPDIR/bad.yaml"
	grep -q 'institution: "Bru\\0gge"' "$BATS_TEST_TMPDIR/bad.yaml"
	assert_refused "$BATS_TEST_TMPDIR/bad.yaml" \
		"bad.yaml:2: institution: control character U+0000 is not allowed in a string"
}

@test "plan-edit refuses an escape sequence in a quoted string" {
	init_store
	new_case
	variant 's/^institution: Brugge/institution: "\\e[31mBrugge"/' "$BATS_TEST_TMPDIR/bad.yaml"
	assert_refused "$BATS_TEST_TMPDIR/bad.yaml" \
		"bad.yaml:2: institution: control character U+001B is not allowed in a string"
	refute_output --partial $'\033'
}

@test "plan-edit refuses a team member who is not registered" {
	init_store
	new_case
	variant 's/chris@jh.example/eve@jh.example/' "$BATS_TEST_TMPDIR/bad.yaml"
	assert_refused "$BATS_TEST_TMPDIR/bad.yaml" \
		"bad.yaml:13: team.justitiehuizen[0]: 'eve@jh.example' is not a registered team member"
}

@test "plan-edit refuses a team member under another partner" {
	init_store
	new_case
	variant 's/- chris@jh.example/- ann@brugge.example/' "$BATS_TEST_TMPDIR/bad.yaml"
	assert_refused "$BATS_TEST_TMPDIR/bad.yaml" \
		"team.justitiehuizen[0]: 'ann@brugge.example' is a member for dg-epi, not justitiehuizen"
}

@test "plan-edit refuses an owner that is not a known partner" {
	init_store
	new_case
	variant 's/^  mental_health:$/&\n    owner: police/' "$BATS_TEST_TMPDIR/bad.yaml"
	assert_refused "$BATS_TEST_TMPDIR/bad.yaml" \
		"domains.mental_health: unknown partner 'police' (known: dg-epi, justitiehuizen, welzijn)"
}

@test "plan-edit refuses dates out of order" {
	init_store
	new_case
	variant "s/'2028-05-31'/'2027-05-30'/" "$BATS_TEST_TMPDIR/bad.yaml"
	assert_refused "$BATS_TEST_TMPDIR/bad.yaml" \
		"bad.yaml:7: dates.release_eligible: release_eligible 2027-05-30 is before leave_eligible 2027-05-31"
}

@test "plan-edit refuses a case_id different from the case" {
	init_store
	new_case
	variant 's/^case_id: B-2026-017/case_id: B-2026-018/' "$BATS_TEST_TMPDIR/bad.yaml"
	assert_refused "$BATS_TEST_TMPDIR/bad.yaml" \
		"bad.yaml:1: case_id: is 'B-2026-018' but the case is 'B-2026-017'"
}

@test "plan-edit refuses a plan without its life domains" {
	init_store
	new_case
	variant '/^  mental_health:$/,+1d' "$BATS_TEST_TMPDIR/bad.yaml"
	assert_refused "$BATS_TEST_TMPDIR/bad.yaml" "bad.yaml:17: domains: missing required property 'mental_health'"
}

@test "plan-edit refuses an empty file" {
	init_store
	new_case
	: >"$BATS_TEST_TMPDIR/empty.yaml"
	run plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/empty.yaml"
	assert_failure 2
	assert_line --index 0 "plan-edit: $BATS_TEST_TMPDIR/empty.yaml: expected object, got null"
	assert_line "plan-edit: cannot store the plan of 'B-2026-017': 1 problem, nothing stored"
	assert_store 4
}

@test "plan-edit names <stdin> for problems in standard input" {
	init_store
	new_case
	variant 's/^status: open/status: 5/' "$BATS_TEST_TMPDIR/bad.yaml"
	run plan-edit B-2026-017 --file - <"$BATS_TEST_TMPDIR/bad.yaml"
	assert_failure 2
	assert_line "plan-edit: <stdin>:3: status: 5 is not one of open, closed"
	assert_store 4
}

@test "plan-edit in the editor refuses what --file refuses, and stores nothing when given up" {
	init_store
	new_case
	editor '
n=$(cat "$D/count" 2>/dev/null || echo 0); n=$((n + 1)); echo $n >"$D/count"
cp "$1" "$D/seen.$n"
if [ $n = 1 ]; then sed -i "s/^institution: Brugge/institution: \\&a Brugge/" "$1"; else : >"$1"; fi'
	run plan-edit B-2026-017
	assert_failure 1
	assert_output "plan-edit: cannot store the plan of 'B-2026-017': the file was left empty, nothing stored"
	run grep -c '^#! line 4: institution: anchors are not allowed$' "$BATS_TEST_TMPDIR/seen.2"
	assert_output 1
	assert_store 4
}

@test "plan-edit refuses a plan that would be stored larger than a file may be read (1 MiB)" {
	init_store
	new_case
	# 300 KB of short texts in flow style that casus writes as 1.3 MB, each sealed in block
	# style: stored, the case could no longer be read by any program.
	git -C "$STORE" show "main:$PLAN" | python3 -c '
import sys
lines = sys.stdin.read().rstrip("\n").split("\n")
out = []
for l in lines:
    out.append(l)
    if l == "  mental_health:":
        out.append("    goals: [{text: g, owner: dg-epi, actions: [" + ", ".join(
            "{text: a, owner: dg-epi}" for _ in range(12000)) + "]}]")
print("\n".join(out))' >"$BATS_TEST_TMPDIR/big.yaml"
	[ "$(wc -c <"$BATS_TEST_TMPDIR/big.yaml")" -lt 1048576 ]
	run -2 plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/big.yaml"
	assert_output --regexp "^plan-edit: cannot write the plan document: [0-9]+ bytes as casus writes it, more than the 1048576 a file may have$"
	assert_store 4
	run plan-show B-2026-017
	assert_success
}

@test "a message is never cut, however long what it names" {
	init_store
	new_case
	# 3000 bytes of path: under PATH_MAX, so open() says ENOENT, and far over any buffer.
	long=$(printf 'folder-%04d/' $(seq 250))plan.yaml
	[ "${#long}" -gt 3000 ]
	run -2 plan-edit B-2026-017 --file "$long"
	assert_output "plan-edit: cannot read '$long': No such file or directory"
	refute_output --partial "..."
	assert_store 4
}

# --- sealed parts (casus(7), SEALING) ---

# The block of life domain $1 in the stored plan of commit $2 (default main).
domain_block() {
	git -C "$STORE" show "${2:-main}:$PLAN" |
		awk -v d="  $1:" '$0 == d { f = 1; print; next } f && /^  [^ -]/ { f = 0 } f'
}

# The new case with canonical()'s plan stored by Bram: welzijn holds psychosocial, sealed for
# welzijn alone (no consent lets it pass to the others). 5 commits.
sealed_case() {
	init_store
	new_case
	canonical >"$BATS_TEST_TMPDIR/plan.yaml"
	(as_bram && plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/plan.yaml")
}

NOBASIS="no consent or legal basis covers psychosocial from welzijn to dg-epi on 2026-11-29"

@test "plan-edit stores a life domain's texts sealed, and git finds none of their words" {
	sealed_case
	assert_store 5
	for word in 'talks with' 'weekly conversation'; do
		run git -C "$STORE" grep -F "$word" $(git -C "$STORE" rev-list --all)
		assert_failure 1
		assert_output ''
	done
	run grep -c 'sealed: ' <(git -C "$STORE" show "main:$PLAN")
	assert_output 3
	# Bram's key opens them.
	as_bram
	run plan-show B-2026-017
	assert_line '      note: talks with "the family", weekly'
}

@test "plan-edit in the editor shows a part the key does not open as its marker" {
	sealed_case
	editor 'cp "$1" "$D/seen"'
	run plan-edit B-2026-017
	assert_failure 1
	run grep -E '^ *(- )?(note|text|sealed_for|withheld):' "$BATS_TEST_TMPDIR/seen"
	assert_output - <<EOF
    note: '[sealed for welzijn: $NOBASIS]'
    - text: '[sealed for welzijn: $NOBASIS]'
      - text: '[sealed for welzijn: $NOBASIS]'
    sealed_for: welzijn
    withheld: $NOBASIS
EOF
	assert_store 5
}

@test "plan-edit never drops or alters a part the writer's key does not open" {
	sealed_case
	domain_block psychosocial >"$BATS_TEST_TMPDIR/before"
	grep -q 'sealed: ' "$BATS_TEST_TMPDIR/before"
	# Ann, of the prison administration, edits around welzijn's domain.
	editor 'sed -i -e "s/^institution: Brugge$/institution: Brugge Centrum/" -e "s/^  mental_health:$/&\n    note: the prison doctor follows it/" "$1"'
	run plan-edit B-2026-017
	assert_success
	assert_store 6
	domain_block psychosocial >"$BATS_TEST_TMPDIR/after"
	run cmp "$BATS_TEST_TMPDIR/before" "$BATS_TEST_TMPDIR/after"
	assert_success
	run plan-show B-2026-017 --format yaml
	assert_line 'institution: Brugge Centrum'
	refute_output --partial 'sealed_for'
	refute_output --partial 'withheld'
	# Welzijn still reads its own, whole.
	as_bram
	run plan-show B-2026-017
	assert_line '      note: talks with "the family", weekly'
	assert_line '      goal: psychosocial support [welzijn, open]'
	assert_line '        action: weekly conversation [welzijn, planned, due 2027-01-31]'
}

@test "plan-edit refuses a marker changed in the editor, and keeps the work" {
	sealed_case
	editor 'sed -i "s/^    note: .\[sealed for welzijn: .*/    note: rewritten by the prison/" "$1"'
	run plan-edit B-2026-017
	assert_failure 2
	assert_line --index 0 "plan-edit: cannot store the plan of 'B-2026-017': domains.psychosocial: is sealed for welzijn and your key does not open it"
	assert_line --index 1 --regexp "^plan-edit: your version is kept in '$EDIT_DIR/casus-edit-[A-Za-z0-9]+\\.yaml'\$"
	assert_store 5
	run git -C "$STORE" grep -F 'rewritten' main
	assert_failure 1
}

@test "plan-edit --file of the stored plan, sealed values and all, changes nothing" {
	sealed_case
	plan-show B-2026-017 --format yaml >"$BATS_TEST_TMPDIR/stored.yaml"
	run plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/stored.yaml"
	assert_success
	assert_output "plan-edit: no change to the plan of 'B-2026-017'; nothing stored"
	assert_store 5
}

@test "plan-edit --file refuses a sealed value moved to another field" {
	sealed_case
	git -C "$STORE" show "main:$PLAN" >"$BATS_TEST_TMPDIR/p.yaml"
	sealed=$(grep -m1 -o 'sealed: .*' "$BATS_TEST_TMPDIR/p.yaml")
	sed -i "s|^  mental_health:\$|&\n    note: {$sealed}|" "$BATS_TEST_TMPDIR/p.yaml"
	run plan-edit B-2026-017 --file "$BATS_TEST_TMPDIR/p.yaml"
	assert_failure 2
	assert_output "plan-edit: cannot store the plan of 'B-2026-017': domains.mental_health.note: a sealed value is kept only where it was sealed"
	assert_store 5
}
