# tests/hostile/lib.bash: what the commands of cases.tsv may use. Each case runs in its own
# folder $W with its own copy of the template store in $STORE (CASUS_REPO points at it), as
# Ann Peeters (dg-epi), on CASUS_TODAY=2026-11-29. Inputs are made before `run`; the store's
# state is taken at `run`, so a case may first damage the store with plain git.

CASE=cases/e7/B-2026-017

# run PROG ARG...: runs the program under test, once per case, under a time limit and with
# the umask of a careless user (the store must not care).
run() {
	[ -e "$W/.ran" ] && { fail "run twice"; return; }
	: >"$W/.ran"
	echo "$STORE" >"$W/.store"
	# git fsck is the slow part: the template is clean, so it runs before only on a store
	# damaged by hand, and after only when an object or a ref changed.
	if [ -e "$W/.damaged" ]; then fsck >"$W/.fsck0"; else echo fsck-clean >"$W/.fsck0"; fi
	state >"$W/.before"
	local st=0
	(umask 022; exec timeout -k 5 "${LIMIT:-20}" "$@") >"$W/out" 2>"$W/err" || st=$?
	echo "$st" >"$W/.status"
	state >"$W/.after"
	local a b
	a=$(<"$W/.before") b=$(<"$W/.after")
	if [ "$a" = "$b" ]; then echo "$(<"$W/.fsck0")" >"$W/.fsck1"; else fsck >"$W/.fsck1"; fi
}

fsck() {
	if git -C "$STORE" fsck --strict --no-progress >/dev/null 2>&1; then echo fsck-clean; else echo fsck-unclean; fi
}

# The store's state: where main points, then every file with its mode (and an object's size).
state() {
	local h=none
	[ -f "$STORE/refs/heads/main" ] && read -r h <"$STORE/refs/heads/main"
	echo "$h"
	find "$STORE" -mindepth 1 ! -type l -printf '%m %P %s\n' 2>/dev/null | LC_ALL=C sort -k 2
}

# The store was changed by hand: git fsck must run before the program too.
damaged() { : >"$W/.damaged"; }

# fail REASON: a check of the case's own failed.
fail() {
	echo "$*" >>"$W/.fail"
}

# After run: standard output has (or has not) a line matching an extended regex.
stderr_lines_at_most() { [ "$(wc -l <"$W/err")" -le "$1" ] || fail "$(wc -l <"$W/err") lines on stderr, more than $1"; }
stdout_has() { grep -Eq -- "$1" "$W/out" || fail "stdout has no line matching $1"; }
stdout_lacks() { ! grep -Eq -- "$1" "$W/out" || fail "stdout has a line matching $1"; }
# After run: no terminal control (C0 but tab and newline, DEL, C1, ESC, bidi overrides, line
# separators) in standard output.
# The trailers git parses from the new commit are casus's own, whatever the reason said.
trailers_are_casus() {
	local got
	got=$(git -C "$STORE" log -1 --format=%B main | git interpret-trailers --parse | cut -d: -f1 | sort | tr '\n' ' ')
	[ "$got" = "Case-Id Program Record-Id " ] || fail "git parses the trailers $got"
	[ "$(git -C "$STORE" log -1 --format='%(trailers:key=Record-Id,valueonly)' main)" != c-20990101-ffffff ] ||
		fail "the reason's Record-Id was taken for casus's"
}

stdout_clean() {
	! LC_ALL=C grep -Pq '[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xa8-\xae]|\xe2\x81[\xa6-\xa9]' "$W/out" ||
		fail "raw control characters on stdout"
}

# The documents of the template store, valid as they are.
plan() { git -C "$STORE" show "main:$CASE/plan.yaml"; }
settings() { git -C "$STORE" show main:casus.yaml; }
minutes() {
	printf 'present:\n- partner: welzijn\n  member: bram@welzijn.example\nabsent: [{partner: dg-epi, reason: on leave}, {partner: justitiehuizen, reason: in court}]\ndecision:\n  consensus: true\n'
}
reintegration() {
	printf 'case_id: B-2026-017\nhousing:\n  status: to-arrange\nwork:\n  status: to-arrange\n'
	printf 'network:\n  status: to-arrange\ncare:\n  status: to-arrange\n'
}

# Big inputs are made once per run, in $CACHE, and copied.
cached() {    # cached NAME COMMAND...: the path of a file holding COMMAND's output
	[ -f "$CACHE/$1" ] || "${@:2}" >"$CACHE/$1"
	echo "$CACHE/$1"
}
repeat() {    # repeat N STRING: STRING N times
	local n=$1 s=$2
	head -c "$n" /dev/zero | tr '\0' x | sed "s/x/$s/g"
}
nest_flow() { head -c "$1" /dev/zero | tr '\0' '['; }            # [[[[... N levels, unclosed
nest_block() {    # N levels of block mappings, each indented one more
	awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++) printf "%*sa:\n", i, "" }'
}
huge_note() {     # the plan with a psychosocial note of N bytes
	plan | sed '/^  psychosocial:$/q'
	printf '    note: '
	head -c "$1" /dev/zero | tr '\0' y
	printf '\n'
	plan | sed '1,/^  psychosocial:$/d'
}
with_note() {     # the plan with the psychosocial note given, as a YAML scalar
	plan | sed '/^  psychosocial:$/q'
	printf '    note: %s\n' "$1"
	plan | sed '1,/^  psychosocial:$/d'
}
seal_note() {     # Bram stores the psychosocial note, owned by welzijn, sealed: one commit
	{
		plan | sed '/^  psychosocial:$/q'
		printf '    owner: welzijn\n    note: %s\n' "$1"
		plan | sed '1,/^  psychosocial:$/d'
	} >"$W/sealed-note.yaml" && CASUS_KEY=$KEYS/bram plan-edit B-2026-017 --file "$W/sealed-note.yaml" >/dev/null
}
lines_of() {      # a file of N lines "kN: v", each one key the schema does not allow
	awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++) printf "k%d: v\n", i }'
}

# Plain git on the store, as someone who edits it by hand. Each call is one commit on main.
hand_git() {
	damaged
	GIT_COMMITTER_NAME=Mallory GIT_COMMITTER_EMAIL=mallory@evil.example \
		GIT_AUTHOR_NAME=Mallory GIT_AUTHOR_EMAIL=mallory@evil.example git -C "$STORE" "$@"
}
# hand_begin, hand_entry..., hand_commit: one commit on main made from a scratch index.
hand_begin() {
	rm -f "$W/index"
	GIT_INDEX_FILE=$W/index hand_git read-tree main
}
hand_entry() {    # hand_entry MODE OID PATH: set an entry (any mode, any object); mode 0 removes
	printf '%s %s\t%s\n' "$1" "$2" "$3" | GIT_INDEX_FILE=$W/index hand_git update-index --index-info
}
unindex() {       # unindex PATH...: remove entries
	local p
	for p; do hand_entry 0 0000000000000000000000000000000000000000 "$p" || return; done
}
hand_commit() {
	local tree commit
	tree=$(GIT_INDEX_FILE=$W/index hand_git write-tree --missing-ok) &&
		commit=$(hand_git commit-tree "$tree" -p main -m "changed by hand") &&
		hand_git update-ref refs/heads/main "$commit"
}
put() {           # put PATH [MODE]: store standard input at PATH with MODE (100644)
	local blob
	blob=$(hand_git hash-object -w --stdin) || return
	hand_begin && unindex "$1" && hand_entry "${2:-100644}" "$blob" "$1" && hand_commit
}
put_raw() {       # put_raw PATH MODE OID: an entry pointing at any object, even a missing one
	hand_begin && unindex "$1" && hand_entry "$2" "$3" "$1" && hand_commit
}
first_version() { # first_version PATH: the object at PATH in the commit that made the case's plan
	git -C "$STORE" rev-parse "$(git -C "$STORE" rev-list --reverse main -- "$CASE/plan.yaml" | head -1):$1"
}
remove() {        # remove PATH...: delete PATHs from main
	hand_begin && unindex "$@" && hand_commit
}

# Damage a loose object on disk: corrupt flips bytes in its middle, truncate_object cuts it.
object_file() { echo "$STORE/objects/${1:0:2}/${1:2}"; }
corrupt() {
	local f
	damaged
	f=$(object_file "$1")
	chmod u+w "$f" && printf '\xde\xad\xbe\xef\xde\xad\xbe\xef' |
		dd of="$f" bs=1 seek=$(($(stat -c %s "$f") / 2)) conv=notrunc status=none
}
truncate_object() {
	local f
	damaged
	f=$(object_file "$1")
	cp "$f" "$f.new" && mv -f "$f.new" "$f" && chmod u+w "$f" && truncate -s $(($(stat -c %s "$f") / 2)) "$f"
}

# editor BODY: an editor (a sh script with BODY) in $EDITOR, and no $VISUAL.
editor() {
	printf '#!/bin/sh\n%s\n' "$1" >"$W/ed"
	chmod 700 "$W/ed"
	unset VISUAL
	export EDITOR="$W/ed"
}

# The case changes the store's files outside objects/ on purpose (a stale lock removed).
files_may_change() { : >"$W/.files-may-change"; }

# run_denied PROG ARG...: run as someone who may not read the store. As root, as nobody;
# otherwise the store is made unreadable for the run.
run_denied() {
	local prog
	prog=$(command -v "$1") || { fail "no $1"; return; }
	shift
	if [ "$(id -u)" = 0 ]; then
		# The store's folders may be passed through, as on a server: the refusal must come
		# from the store itself.
		local d=$STORE
		while d=$(dirname "$d") && [ "$d" != / ]; do [ -O "$d" ] && chmod o+x "$d"; done
		run setpriv --reuid=65534 --regid=65534 --clear-groups "$prog" "$@"
	else
		chmod 0 "$STORE"
		run "$prog" "$@"
		chmod 2770 "$STORE"
	fi
}
