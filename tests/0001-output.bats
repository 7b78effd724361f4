#!/usr/bin/env bats
# Every program (the command-line frame of lib/cli.c): a write to standard output that fails,
# into a full disk or a closed pipe, is reported once at exit as "PROG: cannot write to
# standard output: REASON" with exit 2, whatever the program was doing; --help and --version
# included. What was committed stays committed, but the program does not say it succeeded
# when the answer it printed was lost.

load helpers
bats_require_minimum_version 1.5.0

# Runs "$@" with a standard output whose reading end is already closed: every write fails with
# EPIPE, deterministically (a pipe into a program that may or may not have exited yet would not).
closed_pipe() {
	python3 -c 'import os, subprocess, sys
r, w = os.pipe()
os.close(r)
sys.exit(subprocess.run(sys.argv[1:], stdout=w).returncode)' "$@"
}

@test "--help and --version into a full disk: exit 2, one message, for every program" {
	for prog in $(make -s -C "$BATS_TEST_DIRNAME/.." --no-print-directory print-progs); do
		run -2 --separate-stderr bash -c "$prog --help >/dev/full"
		assert_equal "$stderr" "$prog: cannot write to standard output: No space left on device"
		run -2 --separate-stderr bash -c "$prog --version >/dev/full"
		assert_equal "$stderr" "$prog: cannot write to standard output: No space left on device"
	done
}

@test "--help into a closed pipe: exit 2 and a message, not a silent death by SIGPIPE" {
	run -2 --separate-stderr closed_pipe plan-show --help
	assert_equal "$stderr" "plan-show: cannot write to standard output: Broken pipe"
}

@test "consent-record whose printed ID is lost exits 2; the record is stored and the ID is in the log" {
	init_store
	new_case
	as_bram
	run -2 --separate-stderr bash -c 'consent-record B-2026-017 --from welzijn,justitiehuizen --told consent-leaflet --language nl --to dg-epi --categories psychosocial \
		--purpose casusoverleg --informed >/dev/full'
	assert_equal "$stderr" "consent-record: cannot write to standard output: No space left on device"
	assert_store 5
	run git -C "$STORE" log -1 --format='%(trailers:key=Record-Id,valueonly)'
	assert_output --regexp '^c-20261129-[0-9a-f]{6}$'
}

@test "readers into a closed pipe: exit 2 and one message" {
	init_store
	new_case
	for cmd in "plan-show B-2026-017" "plan-show B-2026-017 --format json" "consent-show B-2026-017" \
		"release-check B-2026-017" "overleg-schedule --within 52w" "case-config institution"; do
		run -2 --separate-stderr closed_pipe $cmd
		assert_equal "$stderr" "${cmd%% *}: cannot write to standard output: Broken pipe"
	done
}

@test "a program that fails before it prints says only why it failed" {
	init_store
	run -2 --separate-stderr bash -c 'plan-show NOPE >/dev/full'
	assert_equal "$stderr" "plan-show: cannot find case 'NOPE': no such case in this store"
}
