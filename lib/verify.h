/*
 * verify.h: casus's one verification of a commit's signature (R2: every change accountable).
 * A commit is by a member when its gpgsig header holds an SSH signature, in namespace "git",
 * of the commit exactly as it is, made by the key the member had registered at its parent, and
 * its author line is that member's registered name and address. The guard of a central store
 * (case-validate --pre-receive) refuses a commit that fails it; case-validate --history
 * reports one. The cryptography is key.h's.
 */
#ifndef CASUS_VERIFY_H
#define CASUS_VERIFY_H

#include "settings.h"

struct git_repository;
struct git_oid;

enum {
	VERIFY_GOOD = 0,        /* signed by the key of the member its author line names */
	VERIFY_BAD = 1,         /* anything else: unsigned, altered, another key, another author */
};

/*
 * Judges commit id of repo by cfg, the settings at its parent (for the store's first commit,
 * its own settings). Returns VERIFY_GOOD with *author the member (pointing into cfg) whose
 * current key (settings_member_by_key()) signed it and whose registered name and address its author line is; VERIFY_BAD with *why, a
 * malloc'd reason that quotes nothing of the commit but a registered address, such as "it is
 * not signed", "its signature does not verify: the signature does not match the content" or
 * "it is signed by a key no member has registered"; or -1 with err_set() when the commit cannot
 * be read. Whether the member was active is not judged here (member_may_write() says it).
 * *author is NULL and *why NULL unless set.
 */
int commit_verify(struct git_repository *repo, const struct git_oid *id, const struct settings *cfg,
    const struct member **author, char **why);

#endif
