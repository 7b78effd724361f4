#!/usr/bin/env bats
# The author of a change (issue 10, "The team"):
#   R2  the plan changes over time, and every change is accountable: who changed what, and
#       why, must be traceable.
#   R9  fixed team members and role agreements for each case, in an open, confidential, safe
#       context.
# The author line of every commit casus makes is one registered member, whole: the address
# decides who writes, and the name beside it must be the name registered for that address
# (casus(7), IDENTITY). A different name is refused, never mixed into one line.
bats_require_minimum_version 1.5.0
load helpers

@test "R9: a GIT_AUTHOR_NAME other than the registered name is refused, nothing stored" {
	init_store
	n=$(commits)
	GIT_AUTHOR_NAME="Mallory" run --separate-stderr new_case
	assert_failure 2
	assert_equal "$stderr" "plan-new: cannot write as 'ann@brugge.example': the author name is not the name registered for this address, 'Ann Peeters' (set GIT_AUTHOR_NAME or user.name to it)"
	assert_store "$n"
}

@test "R9: a colleague's name with one's own address is refused, not mixed into one line" {
	init_store
	new_case
	n=$(commits)
	as_bram
	GIT_AUTHOR_NAME="Ann Peeters" run --separate-stderr member-add "Dina Wouters" dina@welzijn.example --partner welzijn
	assert_failure 2
	assert_equal "$stderr" "member-add: cannot write as 'bram@welzijn.example': the author name is not the name registered for this address, 'Bram Claes' (set GIT_AUTHOR_NAME or user.name to it)"
	assert_store "$n"
	run git -C "$STORE" log --format='%an <%ae>'
	refute_output --partial "Ann Peeters <bram@welzijn.example>"
}

@test "R9: user.name from git config is held to the registered name too" {
	init_store
	n=$(commits)
	unset GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL
	git config --global user.name "A. Peeters"
	git config --global user.email ann@brugge.example
	run --separate-stderr new_case
	assert_failure 2
	assert_equal "$stderr" "plan-new: cannot write as 'ann@brugge.example': the author name is not the name registered for this address, 'Ann Peeters' (set GIT_AUTHOR_NAME or user.name to it)"
	assert_store "$n"
	git config --global user.name "Ann Peeters"
	run new_case
	assert_success
	assert_store $((n + 1))
}

@test "R2: each commit's author line is the registered name and address of one member" {
	init_store
	new_case
	as_bram
	member-add "Dina Wouters" dina@welzijn.example --partner welzijn
	run git -C "$STORE" log --format='%an <%ae>' -2
	assert_output "Bram Claes <bram@welzijn.example>
Ann Peeters <ann@brugge.example>"
}

@test "R9: a name that differs only in case or spacing is a different name" {
	init_store
	n=$(commits)
	GIT_AUTHOR_NAME="ann peeters" run new_case
	assert_failure 2
	assert_output --partial "the author name is not the name registered for this address, 'Ann Peeters'"
	GIT_AUTHOR_NAME="Ann  Peeters" run new_case
	assert_failure 2
	assert_store "$n"
}
