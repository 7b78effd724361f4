/*
 * scratch.h: the scratch folder of a unit test that drives git (after tap.h): made under
 * $TMPDIR (else /tmp), with a HOME of its own inside it and no git configuration of the system
 * or the user's; removed at the end when every check passed, kept and named when one failed.
 */
#ifndef CASUS_TESTS_SCRATCH_H
#define CASUS_TESTS_SCRATCH_H

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "mem.h"
#include "msg.h"

static char scratch[PATH_MAX];

/* path under the scratch folder (malloc'd). */
static inline char *
sub(const char *name)
{
	return xasprintf("%s/%s", scratch, name);
}

/* Makes the scratch folder of test name, and sets progname: false (said) when it cannot. */
static inline bool
scratch_open(const char *name)
{
	const char *tmp = getenv("TMPDIR");
	char *home;

	progname = name;
	snprintf(scratch, sizeof scratch, "%s/%s.XXXXXX", tmp != NULL && *tmp != '\0' ? tmp : "/tmp",
	    name);
	if (mkdtemp(scratch) == NULL) {
		perror(scratch);
		return false;
	}
	home = sub("home");
	sh("mkdir -p '%s'", home);
	setenv("HOME", home, 1);
	free(home);
	unsetenv("XDG_CONFIG_HOME");
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	return true;
}

/* Removes the scratch folder, or says where it is kept; prints the counts. The exit status. */
static inline int
scratch_close(void)
{
	if (nfail == 0)
		sh("rm -rf '%s'", scratch);
	else
		printf("# scratch kept in %s\n", scratch);
	printf("%d passed, %d failed\n", npass, nfail);
	return nfail == 0 ? 0 : 1;
}

#endif
