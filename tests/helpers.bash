# helpers.bash: what every bats file of casus shares. Each test runs isolated: its own HOME,
# no system or global git config but its own, a fixed CASUS_TODAY, the people's keys, and a
# store in $BATS_TEST_TMPDIR.

# casus_load_library NAME: the library NAME of BATS_LIB_PATH, as bats_load_library loads it,
# but with each file its load.bash names sourced from here. That load.bash finds its own
# folder with $(dirname ...), a process a file: bats-support and bats-assert cost 15 processes
# and 160 ms a test on a 2-core VM (50 empty tests: 11.9 s, 3.8 s without them). A load.bash
# with a line of any other kind is left to bats_load_library.
casus_load_library() {
	local prefix='source "$(dirname "${BASH_SOURCE[0]}")/' d dir= line files=()
	local -a dirs
	IFS=: read -ra dirs <<<"${BATS_LIB_PATH:-/usr/lib/bats}"
	for d in "${dirs[@]}"; do
		[ -f "$d/$1/load.bash" ] && { dir=$d/$1; break; }
	done
	[ -n "$dir" ] || { bats_load_library "$1"; return; }
	while IFS= read -r line; do
		case $line in
		'' | '#'*) ;;
		"$prefix"*'"') line=${line#"$prefix"}; files+=("$dir/${line%\"}") ;;
		*) bats_load_library "$1"; return ;;
		esac
	done <"$dir/load.bash"
	for d in "${files[@]}"; do
		# shellcheck disable=SC1090
		source "$d" || return
	done
}
casus_load_library bats-support
casus_load_library bats-assert

setup() {
	export HOME="$BATS_TEST_TMPDIR/home"
	export GIT_CONFIG_NOSYSTEM=1
	export GIT_CONFIG_GLOBAL="$HOME/.gitconfig"
	unset CASUS_REPO VISUAL EDITOR GIT_DIR GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL NO_COLOR
	export CASUS_TODAY=2026-11-29
	# Durability is measured in `make bench`; tests need not wait for the disk.
	export CASUS_FSYNC=0
	export TZ=UTC
	STORE="$BATS_TEST_TMPDIR/store"
	# The editor's file is made in a folder of one's own under it (see edit.h): one per test.
	export XDG_RUNTIME_DIR="$BATS_TEST_TMPDIR/run"
	EDIT_DIR="$XDG_RUNTIME_DIR/casus-$EUID"
	# The fixed test keys of tests/keys, private ones 0600 as key_load() demands (git does
	# not keep modes but the executable bit).
	export KEYS="$BATS_TEST_TMPDIR/keys"
	mkdir -p -m 700 "$HOME" "$KEYS" "$XDG_RUNTIME_DIR"
	install -m 600 "$BATS_TEST_DIRNAME"/keys/* "$KEYS"/
	chmod 644 "$KEYS"/*.pub
	as_ann
}

# as_key NAME: run as that person of tests/keys: their key, and GIT_AUTHOR_* left as they are.
as_key() {
	export CASUS_KEY="$KEYS/$1"
}

# fingerprint NAME: NAME's key as ssh-keygen -l names it, "SHA256:...", for messages.
fingerprint() {
	ssh-keygen -lf "$KEYS/$1.pub" | cut -d' ' -f2
}

# pubkey NAME: the file with NAME's public-key line, for member-add --key.
pubkey() {
	printf '%s\n' "$KEYS/$1.pub"
}

# The people of the stories: invented names, invented addresses. The key decides who writes
# (casus(7), KEYS); GIT_AUTHOR_* are set as a person's git would have them, and decide nothing.
as_ann() {    # psychosocial service, prison administration
	export GIT_AUTHOR_NAME="Ann Peeters" GIT_AUTHOR_EMAIL=ann@brugge.example CASUS_KEY="$KEYS/ann"
}
as_bram() {   # consultant, welfare services
	export GIT_AUTHOR_NAME="Bram Claes" GIT_AUTHOR_EMAIL=bram@welzijn.example CASUS_KEY="$KEYS/bram"
}
as_chris() {  # justice assistant, justice houses
	export GIT_AUTHOR_NAME="Chris Maes" GIT_AUTHOR_EMAIL=chris@jh.example CASUS_KEY="$KEYS/chris"
}
as_eve() {    # nobody the store knows
	export GIT_AUTHOR_NAME="Eve Outsider" GIT_AUTHOR_EMAIL=eve@elsewhere.example CASUS_KEY="$KEYS/eve"
}

# A store with the three fixed team members of story 1.
init_store() {
	as_ann
	case-init "$STORE" --institution Brugge --partner dg-epi --role "psychosocial service" >/dev/null
	member-add -C "$STORE" "Bram Claes" bram@welzijn.example --partner welzijn --role consultant \
		--key "$KEYS/bram.pub"
	member-add -C "$STORE" "Chris Maes" chris@jh.example --partner justitiehuizen \
		--role "justice assistant" --key "$KEYS/chris.pub"
	export CASUS_REPO="$STORE"
}

# Case B-2026-017 of story 2, with the team and the registry's dates.
new_case() {
	local id=${1:-B-2026-017}
	plan-new "$id" --institution Brugge --detention-start 2026-01-10 \
		--leave-eligible 2027-05-31 --release-eligible 2028-05-31 --sentence-end 2030-01-10 \
		--team dg-epi=ann@brugge.example --team welzijn=bram@welzijn.example \
		--team justitiehuizen=chris@jh.example
}

# cut_object STORE ID: the loose object ID of STORE cut to half its length, as a disk that
# filled up leaves it; copied first, so that a clone sharing the file by a hard link keeps it.
cut_object() {
	local f="$1/objects/${2:0:2}/${2:2}"
	cp "$f" "$f.new" && mv -f "$f.new" "$f" && chmod u+w "$f" &&
		truncate -s $(($(stat -c %s "$f") / 2)) "$f"
}

commits() {
	git -C "$STORE" rev-list --count main
}

head_commit() {
	git -C "$STORE" rev-parse main
}

# shares_since P DATE: partner P shares under art. 458ter from DATE on: the setting is dated
# (R11), so it is switched on that day, by a member of P, who alone may (casus(7), AUTHORITY):
# the story's one of P, in a subshell so the test's identity stays.
shares_since() {
	(
		case $1 in
		welzijn) as_bram ;;
		justitiehuizen) as_chris ;;
		*) as_ann ;;
		esac
		CASUS_TODAY=$2 case-config partners.$1.shares_under_458ter true
	)
}

# The store is consistent and has exactly n commits.
assert_store() {
	local n=$1
	run git -C "$STORE" fsck --strict --no-progress
	assert_success
	assert_equal "$(commits)" "$n"
}

# A change behind casus's back, with the git CLI in a temporary clone: the commands in $1 run
# in the clone's work tree, then one commit is pushed to the store.
sneak() {
	local wt="$BATS_TEST_TMPDIR/wt"
	rm -rf "$wt"
	git clone -q "$STORE" "$wt"
	(cd "$wt" && eval "$1")
	git -C "$wt" add -A
	git -C "$wt" -c user.name=Mallory -c user.email=mallory@elsewhere.example commit -q -m sneak
	git -C "$wt" push -q origin main
}

# member_leaves EMAIL [ARGS...]: member-remove run by a member of the leaving member's own
# partner, the story's one (ann, bram or chris): a partner's members are its own to change
# (casus(7), AUTHORITY). In a subshell: the test's identity stays as it was.
member_leaves() {
	(
		case $1 in
		*@welzijn.example) as_bram ;;
		*@jh.example) as_chris ;;
		*) as_ann ;;
		esac
		member-remove "$@"
	)
}
