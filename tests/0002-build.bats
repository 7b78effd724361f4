#!/usr/bin/env bats
# The Makefile: a build folder remembers the flags it was built with and builds again when they
# change (so `make test` compiles with -Werror after a plain `make`); objects know their headers
# (-MMD -MP); without the libraries, make stops at once and says what to install.

load helpers
bats_require_minimum_version 1.5.0

mk() {
	make -s -C "$BATS_TEST_DIRNAME/.." --no-print-directory B="$BATS_TEST_TMPDIR/b" "$@"
}

@test "without a library, make names it and make deps, and builds nothing" {
	run -2 mk all PKGS='yaml-0.1 libnope-1'
	assert_output --partial "cannot build: missing libnope-1; run 'make deps' as root to install them"
	refute_output --partial "cc "
	[ ! -e "$BATS_TEST_TMPDIR/b/libcasus.a" ]
}

@test "the flags of a build folder are recorded, and a change of flags rebuilds every object" {
	mk -n all CFLAGS='-O0 -g' >/dev/null
	run cat "$BATS_TEST_TMPDIR/b/flags"
	assert_output --regexp ' -O0 -g '
	run mk -n all CFLAGS='-O1 -g -Werror'
	assert_output --partial "-Werror -MMD -MP -Ilib -c -o $BATS_TEST_TMPDIR/b/lib/store.o lib/store.c"
	run cat "$BATS_TEST_TMPDIR/b/flags"
	assert_output --regexp ' -O1 -g -Werror '
}

@test "the orchestrating goals leave the flags of the build folder alone" {
	mk -n all CFLAGS='-O1 -g -Werror' >/dev/null
	before=$(cat "$BATS_TEST_TMPDIR/b/flags")
	mk print-progs >/dev/null
	mk -n clean >/dev/null
	assert_equal "$(cat "$BATS_TEST_TMPDIR/b/flags")" "$before"
}
