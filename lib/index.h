/*
 * index.h: the SQLite index of a store, derived from git and thrown away at will. It holds,
 * for the commit it reflects, the clear-text structure of every case (institution, status, key
 * dates, life-domain statuses and owners, consultations, consent records: never sealed
 * content, opened or not), and for every commit of the branch the case files it changed, so
 * that questions over all cases and the history of one case are queries.
 *
 * The index lives in the store's git directory (INDEX_FILE), in WAL mode, mode 0660 like the
 * rest of the store. Before answering, index_open() brings it up to date with the tip: it
 * compares the trees of the commit it reflects and of the tip, skipping equal subtrees, reads
 * the cases that changed, and records the commits in between; it rebuilds from scratch when
 * that commit is gone or is not an ancestor of the tip (a reset, a forced push) or the schema
 * version changed. Every answer is the same with the index deleted: the index is then built
 * again, or, with CASUS_INDEX=off or where it cannot be written, built in memory and dropped.
 */
#ifndef CASUS_INDEX_H
#define CASUS_INDEX_H

#include <stdbool.h>
#include <stddef.h>

#include "consent.h"
#include "date.h"
#include "overleg.h"
#include "plan.h"
#include "store.h"
#include "vocab.h"

#define INDEX_FILE "casus-index.db"

struct index;

/* A consultation as the index keeps it: no minutes. */
struct index_overleg {
	struct date date;
	enum overleg_kind kind;
	enum overleg_status status;
};

/* A consent record as the index keeps it: what it is and when, not what it covers. */
struct index_record {
	char *id;
	enum record_kind kind;
	struct date date;
	char *withdraws;                /* a withdrawal: the ID it ends; NULL otherwise */
};

/*
 * One case at the index's commit. ok is false when its plan, a consultation or a consent
 * record could not be read (a file not valid, written with plain git): then only id is set,
 * and a program reads the case from git, as without the index, to say what is wrong.
 */
struct index_case {
	char *id;
	bool ok;
	char *institution;
	enum plan_status status;
	struct date dates[PD_N];        /* {0}: not in the plan */
	enum domain_status domain_status[DOMAIN_N];
	char *domain_owner[DOMAIN_N];   /* NULL: none */
	struct date assessed;           /* since when every life domain has been assessed (R3,
	                                 * plan_assessed()): the author date of the oldest of the
	                                 * plan's newest versions that all had them; {0}: not now */
	struct date closed;             /* a closed plan: the author date of the newest change of
	                                 * plan.yaml, the closing unless it changed again; else {0} */
	struct index_overleg *overlegs; /* by date */
	size_t noverlegs;
	struct index_record *records;   /* by date, then ID */
	size_t nrecords;
};

enum {
	INDEX_REBUILD = 1 << 0,         /* index_open(): build from scratch, whatever is there */
	INDEX_MEMORY = 1 << 1,          /* index_open(): build in memory, leave the file alone */
	INDEX_GRAPH = 1 << 2,           /* index_open(): write git's commit-graph when there is none,
	                                 * or with INDEX_REBUILD; else only when due */
};

/* What index_open() did, for case-index -v and the tests. */
struct index_stats {
	bool rebuilt;                   /* built from scratch (why: reason) */
	const char *reason;             /* static: "no index yet", "the commit it reflects is gone", ... */
	size_t commits;                 /* commits added */
	size_t split;                   /* of them, read by a second process (a full build) */
	size_t cases;                   /* cases read */
	bool graph;                     /* git's commit-graph was written */
	double ms;                      /* how long bringing the index up to date took, from
	                                 * opening the file to the read snapshot (not the
	                                 * commit-graph): what bench/run reports */
};

/*
 * Opens the index of s and brings it up to date with the tip of the branch, in one
 * transaction (BEGIN IMMEDIATE; readers meanwhile keep reading the index as it was), then
 * holds a read snapshot: every answer through ix is of index_commit(ix), whatever writers do
 * meanwhile. With CASUS_INDEX=off in the environment, or INDEX_MEMORY, or when the file cannot
 * be created or written (a store on a read-only mount, a full disk), the index is built in
 * memory. A store that git cannot read (an object damaged or missing) is not tried again in
 * memory: the error is the first one met. st may be NULL. Returns 0 with *out (free with
 * index_close()), or -1 with err_set().
 */
int index_open(struct store *s, unsigned flags, struct index **out, struct index_stats *st);
/*
 * Whether CASUS_INDEX=off: then a program that can answer by reading every case from git
 * (overleg-schedule, release-check --all) does so, as it did before the index, which is what
 * the index's answers are tested against; the others build the index in memory.
 */
bool index_off(void);
void index_close(struct index *ix);                    /* NULL is allowed */

/* The commit the answers are of: 40 hex digits, or "" for a store without commits. */
const char *index_commit(const struct index *ix);
/*
 * A view of the store at index_commit() (an empty view for a store without commits), so that
 * what a program reads from git beside the index is of the same commit. Free with view_close().
 */
int index_view(struct index *ix, struct view **out);

/*
 * Calls fn for every case, in the order of case_ids() (sorted by ID); c and all it points to
 * are valid during the call only (lent from the index's rows). parts says what else fn needs:
 * INDEX_DOMAINS (else every domain_status is 0, every domain_owner NULL, assessed and closed {0}),
 * INDEX_OVERLEGS, INDEX_RECORDS (else c has none). fn returns 0 to go on, or -1 (err_set) to
 * stop. Returns 0, or -1 with err_set().
 */
enum {
	INDEX_OVERLEGS = 1 << 0,        /* index_cases(): each case's consultations */
	INDEX_RECORDS = 1 << 1,         /* index_cases(): each case's consent records */
	INDEX_DOMAINS = 1 << 2,         /* index_cases(): each life domain's status and holder,
	                                 * since when all are assessed, and when a plan was closed */
};
typedef int (*index_case_fn)(void *arg, const struct index_case *c);
int index_cases(struct index *ix, unsigned parts, index_case_fn fn, void *arg);
/*
 * The case id, with its consultations and records: 0 with *out (its own copy: free with
 * index_case_free()), STORE_NOTFOUND when there is no such
 * case, or -1 with err_set().
 */
int index_case(struct index *ix, const char *id, struct index_case **out);
void index_case_free(struct index_case *c);            /* NULL is allowed */

/*
 * The plan the rules of scheduling and the scope of readiness read (overleg_due(),
 * milestone_date()), from c, in *out: case_id, institution, status, dates and its domains'
 * statuses and owners (as c has them: read with INDEX_DOMAINS, or 0 and NULL); no team, no
 * goals, no text, no doc. *out borrows c's strings: it is
 * valid while c is and is not for plan_free(). c must be ok. Building no tree and decoding
 * nothing, it costs nothing per case: overleg-schedule over 10,000 cases took ~15% of its time
 * in index_case_plan() while it built a tree and decoded it (perf, dwarf call graphs).
 */
void index_case_plan(const struct index_case *c, struct plan *out);
/*
 * The consultations of c: each date, kind and status. Free with overlegs_free(); they stay
 * valid after c is freed.
 */
void index_case_overlegs(const struct index_case *c, struct overlegs *out);

/* A commit that changed files of a case. */
struct index_change {
	const char *file;               /* in the case folder: "plan.yaml", "consent/c-....yaml" */
	char what;                      /* 'A' added, 'M' changed, 'D' removed */
};
struct index_commit {
	const char *id;                 /* 40 hex digits */
	const char *parent;             /* the first parent, or NULL for the store's first commit */
	long long time;                 /* the author date, seconds since the epoch */
	int offset;                     /* its time zone, minutes east of UTC */
	const char *author, *email;     /* as the commit says: not verified here */
	const char *program;            /* its Program: trailer, or NULL */
	const struct index_change *changes;
	size_t nchanges;
};

/*
 * Calls fn for every commit of the branch that changed a file of case id, newest first (by
 * author date, then the later in the graph first, then by ID), those dated before since left
 * out (since NULL: all). A commit with two or more parents counts only for the files it
 * holds differently from every parent. fn returns 0 to go on, 1 to stop, -1 (err_set) to fail.
 * Returns 0, or -1 with err_set().
 */
typedef int (*index_commit_fn)(void *arg, const struct index_commit *c);
int index_case_log(struct index *ix, const char *id, const struct date *since, index_commit_fn fn,
    void *arg);

/*
 * Compares ix with an index built from scratch in memory: calls fn with one line per
 * difference ("case B-2026-017: institution differs"), and returns how many, or -1 with
 * err_set().
 */
long index_check(struct index *ix, void (*fn)(void *arg, const char *difference), void *arg);

#endif
