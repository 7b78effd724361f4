/*
 * change.c: writing as a team member. casus_change() refuses anyone who is not an active
 * registered member before anything is staged.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "authority.h"
#include "change.h"
#include "cli.h"
#include "mem.h"
#include "msg.h"

struct member_check {
	casus_fn fn;
	void *arg;
	bool unauthorised;      /* authority_txn() refused the last attempt */
};

static int
as_member(struct txn *t, void *arg)
{
	struct member_check *mc = arg;
	struct casus_tx c = {.t = t};
	const char *email = txn_author_email(t);
	int r;

	c.v = txn_view(t);
	c.cfg = settings_read(c.v, NULL);
	if (c.cfg == NULL)
		return -1;
	if (member_may_write(c.cfg, txn_author_name(t), email) < 0) {
		settings_free(c.cfg);
		return -1;
	}
	r = mc->fn(&c, mc->arg);
	/* Judged once staged and before the commit: what is judged is what would be stored. */
	mc->unauthorised = false;
	if (r == 0) {
		r = authority_txn(t, c.cfg);
		mc->unauthorised = r == STORE_REFUSED;
	}
	settings_free(c.cfg);
	return r;
}

int
casus_may_write(struct store *s, const struct settings *cfg)
{
	struct settings *read = NULL;
	char *name = NULL, *email = NULL;
	int r = -1;

	if (cfg == NULL) {
		struct view *v;

		if (store_view(s, &v) == 0) {
			cfg = read = settings_read(v, NULL);
			view_close(v);
		}
	}
	if (cfg != NULL && store_identity(s, &name, &email) == 0)
		r = member_may_write(cfg, name, email);
	settings_free(read);
	free(name);
	free(email);
	return r;
}

int
casus_change(struct store *s, casus_fn fn, void *arg)
{
	struct member_check mc = {fn, arg, false};
	int r = store_change(s, as_member, &mc);

	return r == STORE_REFUSED && mc.unauthorised ? CASUS_UNAUTHORISED : r;
}

int
casus_exit(int r)
{
	switch (r) {
	case STORE_COMMITTED:
	case STORE_UNCHANGED:
		return EXIT_YES;
	case STORE_REFUSED:
		return EXIT_NO;
	case CASUS_UNAUTHORISED:
		err_print();
		return EXIT_NO;
	default:
		err_print();
		return EXIT_ERROR;
	}
}

void
casus_message(struct txn *t, const char *what, const char *case_id, const char *reason)
{
	char *subject = case_id ? xasprintf("%s: %s %s", progname, what, case_id)
	    : xasprintf("%s: %s", progname, what);

	txn_message(t, subject, reason);
	if (case_id)
		txn_trailer(t, "Case-Id", case_id);
	free(subject);
}

int
casus_reason_check(const char *reason)
{
	/* git's cut line; a scissors line is the reader's core.commentChar, a space and this. */
	static const char cut[] = "------------------------ >8 ------------------------";

	if (reason == NULL)
		return 0;
	if (reason[0] == '\0' || !text_ok(reason, strlen(reason), true)) {
		err_set("cannot use the reason: it must be non-empty UTF-8 text without control characters");
		return -1;
	}
	/*
	 * The reason is the body and casus's trailers follow it as the last paragraph, so a reason
	 * that ends in "Key: value" lines, or has "# " lines, is just text to git 2.39. What is
	 * not text is a line that ends the message early and makes the paragraph above it the
	 * trailers: `git interpret-trailers --parse` stops at a line of "---" (the patch divider,
	 * where git am stops too), and it and `git log --format=%(trailers)` ignore everything
	 * below a scissors line, whatever the comment character. "x\n\nCase-Id: B-1\n---" made
	 * interpret-trailers report Case-Id B-1 and nothing of casus's; a scissors line did the
	 * same to both.
	 */
	for (const char *line = reason, *nl; line != NULL; line = nl ? nl + 1 : NULL) {
		nl = strchr(line, '\n');
		if (strncmp(line, "---", 3) == 0) {
			err_set("cannot use the reason: a line starting with '---' ends a commit message for git");
			return -1;
		}
	}
	if (strstr(reason, cut) != NULL) {
		err_set("cannot use the reason: git ignores a commit message below a scissors line");
		return -1;
	}
	return 0;
}
