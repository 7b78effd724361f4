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
	export CASUS_KEY="$BATS_TEST_TMPDIR/keys/ann"
	run --separate-stderr member-key --new
	assert_failure 2
	assert_equal "$stderr" "member-key: cannot create key '$BATS_TEST_TMPDIR/keys/ann.pub': No such file or directory"
	mkdir "$BATS_TEST_TMPDIR/keys"
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
	assert_equal "${stderr_lines[0]}" "member-key: --new and --fingerprint exclude each other"
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
