/*
 * verify.c: the verification of a commit's signature by the keys a store's settings register
 * (see verify.h). git writes the signature of a commit into its gpgsig header; libgit2 hands
 * back the header and the commit without it, which is what was signed.
 */
#include <git2.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "key.h"
#include "mem.h"
#include "msg.h"
#include "store.h"
#include "verify.h"

/* Whether the author line of c is m's registered name and address, as git would compare them. */
static bool
author_is(const git_commit *c, const struct member *m)
{
	const git_signature *a = git_commit_author(c);

	return a != NULL && a->name != NULL && a->email != NULL && strcmp(a->name, m->name) == 0 &&
	    strcasecmp(a->email, m->email) == 0;
}

int
commit_verify(struct git_repository *repo, const struct git_oid *id, const struct settings *cfg,
    const struct member **author, char **why)
{
	git_buf sig = {0}, data = {0};
	git_commit *c = NULL;
	unsigned char signer[KEY_PUBLIC_SIZE];
	const struct member *m;
	const char *reason;
	char hex[GIT_OID_HEXSZ + 1];
	int rc;

	*author = NULL;
	*why = NULL;
	git_oid_tostr(hex, sizeof hex, id);
	if (git_commit_lookup(&c, repo, id) < 0)
		return store_git_fail("read commit", hex);
	rc = git_commit_extract_signature(&sig, &data, repo, (git_oid *)id, NULL);
	if (rc == GIT_ENOTFOUND) {
		/* libgit2 says "not found" for a commit without the header too. */
		*why = xstrdup("it is not signed");
		rc = VERIFY_BAD;
		goto out;
	}
	if (rc < 0) {
		rc = store_git_fail("read the signature of commit", hex);
		goto out;
	}
	rc = VERIFY_BAD;
	if (sshsig_verify(sig.ptr, sig.size, "git", data.ptr, data.size, signer, &reason) < 0) {
		*why = xasprintf("its signature does not verify: %s", reason);
		goto out;
	}
	m = settings_member_by_key(cfg, signer);
	if (m == NULL) {
		*why = xstrdup("it is signed by a key no member has registered");
		goto out;
	}
	if (!author_is(c, m)) {
		*why = xasprintf("it is signed by the key of '%s' but its author line is not that "
		    "member's registered name and address", m->email);
		goto out;
	}
	*author = m;
	rc = VERIFY_GOOD;
out:
	git_buf_dispose(&sig);
	git_buf_dispose(&data);
	git_commit_free(c);
	return rc;
}
