#!/usr/bin/env bats
# member-key(1): makes a team member's key pair, never replacing one, and prints its public-key
# line or its fingerprint as ssh-keygen does. The key is $CASUS_KEY, else ~/.casus/id_ed25519;
# a private key that others may read is refused, as ssh refuses it. The formats are held
# against Debian's ssh-keygen (openssh-client).

bats_require_minimum_version 1.5.0
load helpers

# The default place of the key, in this test's HOME.
default_key() {
	unset CASUS_KEY
	KEY="$HOME/.casus/id_ed25519"
}

@test "R2: --new makes the key in ~/.casus, folder 0700, key 0600, and prints its public line" {
	default_key
	run --separate-stderr member-key --new --comment ann@brugge.example
	assert_success
	assert_equal "$stderr" ""
	assert_output --regexp '^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI[A-Za-z0-9+/]{43} ann@brugge.example$'
	assert_equal "$(stat -c %a "$HOME/.casus")" 700
	assert_equal "$(stat -c %a "$KEY")" 600
	assert_equal "$(stat -c %a "$KEY.pub")" 644
	assert_equal "$(cat "$KEY.pub")" "$output"
	assert_equal "$(head -1 "$KEY")" "-----BEGIN OPENSSH PRIVATE KEY-----"
}

@test "R2: without options, member-key prints the public line of the key it made" {
	default_key
	new=$(member-key --new --comment ann@brugge.example)
	run --separate-stderr member-key
	assert_success
	assert_output "$new"
	assert_equal "$stderr" ""
}

@test "R2: CASUS_KEY names the key; its folder is not made for it" {
	export CASUS_KEY="$BATS_TEST_TMPDIR/mine/ann"
	run --separate-stderr member-key --new
	assert_failure 2
	assert_equal "$stderr" "member-key: cannot create key '$BATS_TEST_TMPDIR/mine/ann.pub': No such file or directory"
	mkdir "$BATS_TEST_TMPDIR/mine"
	run --separate-stderr member-key --new
	assert_success
	assert_output --regexp '^ssh-ed25519 [A-Za-z0-9+/]{68}$'
	assert [ -f "$CASUS_KEY" ]
	assert [ ! -e "$HOME/.casus" ]
}

@test "R2: --new never replaces a key, exit 2, the key unchanged" {
	default_key
	member-key --new --comment ann@brugge.example >/dev/null
	before=$(sha256sum "$KEY" "$KEY.pub")
	run --separate-stderr member-key --new --comment mallory@elsewhere.example
	assert_failure 2
	assert_output ""
	assert_equal "$stderr" "member-key: cannot create key '$KEY': it exists"
	assert_equal "$(sha256sum "$KEY" "$KEY.pub")" "$before"
}

@test "R2: a key that others may read is refused with ssh's reason" {
	default_key
	member-key --new >/dev/null
	chmod 644 "$KEY"
	run --separate-stderr member-key
	assert_failure 2
	assert_output ""
	assert_equal "$stderr" "member-key: cannot read key '$KEY': permissions 0644 are too open (chmod 600 it)"
	chmod 620 "$KEY"
	run --separate-stderr member-key --fingerprint
	assert_failure 2
	assert_equal "$stderr" "member-key: cannot read key '$KEY': permissions 0620 are too open (chmod 600 it)"
}

@test "R2: a missing key names member-key --new" {
	default_key
	run --separate-stderr member-key
	assert_failure 2
	assert_output ""
	assert_equal "$stderr" "member-key: cannot read key '$KEY': it does not exist (make one with member-key --new, or set CASUS_KEY)"
}

@test "R2: a comment with a control character is refused, no key made" {
	default_key
	run --separate-stderr member-key --new --comment $'ann@brugge.example\nssh-ed25519 AAAA'
	assert_failure 2
	assert_equal "$stderr" "member-key: cannot use the comment: it must be non-empty UTF-8 text without control characters"
	assert [ ! -e "$KEY" ]
}

@test "usage errors: --comment without --new, two modes, an operand" {
	default_key
	run --separate-stderr member-key --comment ann@brugge.example
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "member-key: --comment goes with --new"
	run --separate-stderr member-key --new --fingerprint
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "member-key: --new, --fingerprint, --registered and --register exclude each other"
	assert [ ! -e "$KEY" ]
	run --separate-stderr member-key ann
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "member-key: unexpected argument 'ann'"
}

# --- against Debian's ssh-keygen ------------------------------------------------------------

@test "R2: ssh-keygen -y reads a key member-key made and prints the same public line" {
	default_key
	line=$(member-key --new --comment ann@brugge.example)
	run ssh-keygen -y -f "$KEY"
	assert_success
	assert_output "$line"
}

@test "R2: --fingerprint prints what ssh-keygen -l prints" {
	default_key
	member-key --new --comment ann@brugge.example >/dev/null
	run --separate-stderr member-key --fingerprint
	assert_success
	assert_output --regexp '^256 SHA256:[A-Za-z0-9+/]{43} ann@brugge.example \(ED25519\)$'
	assert_equal "$output" "$(ssh-keygen -l -f "$KEY")"
	assert_equal "$output" "$(ssh-keygen -l -f "$KEY.pub")"
}

@test "R2: a key made by ssh-keygen is read the same" {
	export CASUS_KEY="$BATS_TEST_TMPDIR/ssh-made"
	ssh-keygen -q -t ed25519 -N "" -C bram@welzijn.example -f "$CASUS_KEY"
	run member-key
	assert_success
	assert_output "$(cat "$CASUS_KEY.pub")"
	run member-key --fingerprint
	assert_output "$(ssh-keygen -l -f "$CASUS_KEY")"
}

@test "R2: a key with a passphrase is refused, named as such" {
	export CASUS_KEY="$BATS_TEST_TMPDIR/locked"
	ssh-keygen -q -t ed25519 -N "secret words" -f "$CASUS_KEY"
	run --separate-stderr member-key
	assert_failure 2
	assert_equal "$stderr" "member-key: cannot read key '$CASUS_KEY': it is protected by a passphrase, which casus cannot ask for (make a key without one: member-key --new)"
}

# --- what a store knows: --registered, --register ------------------------------------------

# The fingerprint of the key the one running it holds.
my_fp() {
	member-key --fingerprint | cut -d' ' -f2
}

@test "R2: --registered shows the member whose current key is yours" {
	init_store
	as_bram
	run --separate-stderr member-key --registered
	assert_success
	assert_equal "$stderr" ""
	assert_output "name     Bram Claes
address  bram@welzijn.example
partner  welzijn
key      $(my_fp)
since    2026-11-29
active   yes"
}

@test "R2: --registered with a key registered to nobody: exit 1, and what your git address has" {
	init_store
	as_eve
	run --separate-stderr member-key --registered
	assert_failure 1
	assert_equal "$stderr" ""
	assert_output "no: your key $(my_fp) is registered to nobody in this store"
	bram_fp=$(as_bram && my_fp)
	GIT_AUTHOR_EMAIL=bram@welzijn.example run --separate-stderr member-key --registered
	assert_failure 1
	assert_output "no: your key $(my_fp) is registered to nobody in this store
bram@welzijn.example, your git address, has key $bram_fp since 2026-11-29"
}

@test "R2: --register replaces a lost key: the old one until today, the new since today, one commit" {
	init_store
	as_bram
	member-add "Dina Wouters" dina@welzijn.example --partner welzijn --key "$KEYS/dina.pub"
	n=$(commits)
	new=$(cat "$KEYS/dirk.pub")
	# Bram lost his key; Dina, his colleague at welfare, registers his new one.
	as_key dina
	CASUS_TODAY=2026-12-01 run --separate-stderr member-key --register bram@welzijn.example \
		"$KEYS/dirk.pub" -m "laptop lost"
	assert_success
	assert_output ""
	assert_equal "$stderr" ""
	assert_store $((n + 1))
	old=$(cat "$KEYS/bram.pub")
	run case-config members.1.keys
	assert_output "- key: $old
  since: '2026-11-29'
  until: '2026-12-01'
- key: $new
  since: '2026-12-01'"
	run git -C "$STORE" log -1 --format='%an|%s|%(trailers:key=Member,valueonly,separator=)|%(trailers:key=Key,valueonly,separator=)' main
	assert_output "Dina Wouters|member-key: register key|bram@welzijn.example|$(fingerprint dirk)"
	# The old key writes no more; the new one does.
	as_bram
	run --separate-stderr member-key --register dina@welzijn.example "$KEYS/dora.pub"
	assert_failure 2
	assert_equal "$stderr" "member-key: cannot write as '$(my_fp)': the key is not registered to a member of this store"
	assert_store $((n + 1))
	as_key dirk
	run member-key --registered
	assert_success
	assert_line --index 1 "address  bram@welzijn.example"
}

@test "R2: --register without KEY registers your own key; the one registered already makes no commit" {
	init_store
	n=$(commits)
	run --separate-stderr member-key --register ann@brugge.example
	assert_success
	assert_equal "$stderr" ""
	run --separate-stderr member-key --register ann@brugge.example "$(member-key)"
	assert_success
	assert_store "$n"
}

@test "R2: --register of a key registered to another member is refused, nothing stored" {
	init_store
	n=$(commits)
	before=$(head_commit)
	as_chris
	run --separate-stderr member-key --register chris@jh.example "$KEYS/bram.pub"
	assert_failure 1
	assert_output ""
	assert_equal "${stderr_lines[0]}" "member-key: casus.yaml: members[2].keys[1]: the key is also registered to 'bram@welzijn.example' (a key is one person's)"
	assert_equal "${stderr_lines[1]}" "member-key: cannot register key for 'chris@jh.example': 1 problem"
	assert_equal "$(head_commit)" "$before"
	assert_store "$n"
}

@test "R2: --register for an address nobody has, or a line that is no key: exit 2, nothing stored" {
	init_store
	n=$(commits)
	run --separate-stderr member-key --register dina@welzijn.example "$KEYS/dina.pub"
	assert_failure 2
	assert_equal "$stderr" "member-key: cannot register key for 'dina@welzijn.example': not a registered team member"
	run --separate-stderr member-key --register bram@welzijn.example "ssh-rsa AAAAB3NzaC1yc2E bram"
	assert_failure 2
	assert_equal "$stderr" "member-key: cannot register key 'ssh-rsa AAAAB3NzaC1yc2E bram': it is not an ssh-ed25519 public key"
	assert_store "$n"
}

@test "R2: a key line with a second line in it is refused whole, not cut to its first" {
	init_store
	n=$(commits)
	run --separate-stderr member-key --register bram@welzijn.example "$(cat "$KEYS/dina.pub")"$'\nssh-ed25519 AAAA'
	assert_failure 2
	assert_equal "$stderr" "member-key: cannot register key '$(cat "$KEYS/dina.pub")\\x0assh-ed25519 AAAA': it has a control character"
	assert_store "$n"
}

# A store made before keys existed: the keys taken out of the settings with plain git.
old_store() {
	init_store
	# Made before keys, and before administrators.
	sneak "awk '/^  keys:\$/{k=1; next} k && /^  (- key|  since|  until):/{next} /^  admin: true\$/{next} {k=0; print}' casus.yaml >x && mv x casus.yaml"
	[[ $(git -C "$STORE" show main:casus.yaml) != *key:* ]]
	[[ $(git -C "$STORE" show main:casus.yaml) != *admin:* ]]
}

@test "R2: a store made before keys: nobody writes until a member registers their own key" {
	old_store
	n=$(commits)
	run --separate-stderr member-key --registered
	assert_failure 1
	assert_output "no: your key $(my_fp) is registered to nobody in this store
ann@brugge.example, your git address, has no key registered
no member of this store has a key yet: register yours with member-key --register ADDRESS"
	run --separate-stderr member-key --register bram@welzijn.example "$KEYS/bram.pub"
	assert_failure 2
	assert_equal "$stderr" "member-key: cannot register key for 'bram@welzijn.example': no member of this store has a key yet, and the first must be your own (CASUS_KEY), registered to you"
	assert_store "$n"
}

@test "R2: the migration of a store made before keys adds the keys by new commits, rewriting nothing" {
	old_store
	n=$(commits)
	tip=$(head_commit)
	history=$(git -C "$STORE" log --format='%H %an %s' main)
	run --separate-stderr member-key --register ann@brugge.example -m "keys, from now on"
	assert_success
	assert_equal "$stderr" ""
	assert_store $((n + 1))
	assert_equal "$(git -C "$STORE" rev-parse main^)" "$tip"
	assert_equal "$(git -C "$STORE" log --format='%H %an %s' main^)" "$history"
	run git -C "$STORE" log --show-signature -1 --format=%an main
	assert_line --index 0 --regexp '^Good "git" signature for ann@brugge.example with ED25519 key '
	assert_line --index 1 "Ann Peeters"
	# The store's first key is judged by no earlier one: the history has nothing to say of it.
	run case-validate --history
	refute_output --partial "$(head_commit)"
	# Once is all: Bram cannot claim his own key now; Ann, who has a key, registers his.
	as_bram
	run --separate-stderr member-key --register bram@welzijn.example
	assert_failure 2
	assert_equal "$stderr" "member-key: cannot write as '$(fingerprint bram)': the key is not registered to a member of this store"
	# Nor may Ann, who is no administrator (the store is older than administrators): a
	# partner's members, keys included, are its own (casus(7), AUTHORITY). Nothing is stored.
	as_ann
	run --separate-stderr member-key --register bram@welzijn.example "$KEYS/bram.pub"
	assert_failure 1
	assert_equal "$stderr" "member-key: cannot change 'casus.yaml': the keys of member 'bram@welzijn.example' of welzijn are changed only by a member of welzijn, or by an administrator while welzijn has no other member with a key"
	assert_store $((n + 1))
	# Named the store's first administrator, she registers the keys of the partners that
	# have no member with a key yet; then Bram writes, and welfare's keys are welfare's again.
	case-config members.0.admin true -m "the store's administrator"
	run member-key --register bram@welzijn.example "$KEYS/bram.pub"
	assert_success
	assert_store $((n + 3))
	as_bram
	run member-key --registered
	assert_success
	# Bram's other settings stay welfare's own, whoever administers the store.
	as_ann
	run --separate-stderr case-config members.1.role coordinator
	assert_failure 1
	assert_equal "$stderr" "case-config: cannot change 'casus.yaml': member 'bram@welzijn.example' of welzijn is changed only by a member of welzijn"
	assert_store $((n + 3))
}
