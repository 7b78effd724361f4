/*
 * index.c: the SQLite index of a store (index.h). Two halves: the tables and their update,
 * which compares trees and walks commits with libgit2, and the readers, which give back what
 * the tables hold in the structures the rules read.
 *
 * The tables hold what the decoders read from the files (plan_read(), overlegs_read(),
 * records_read()), nothing computed from a date or from the settings: those are applied when
 * a question is asked, by the same functions as without the index, so that the index can
 * never hold an answer that has gone stale while no commit was made.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <git2.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "caseid.h"
#include "graph.h"
#include "index.h"
#include "mem.h"
#include "msg.h"
#include "pack.h"

extern char **environ;

/*
 * The version of the tables. An index of another version is built again from scratch, so
 * change it with every change to the tables or to what is read into them.
 */
#define INDEX_VERSION 3

/*
 * How long a program waits for another to finish updating the index: an update reads only
 * what changed, but a rebuild of a big store takes seconds (3 s at 10,000 cases is the aim).
 */
#define INDEX_BUSY_MS 60000

/*
 * SQLite's page cache while the index is updated, and after. Its default, 2,000 KiB, is far
 * below what a rebuild writes (23 MB at 10,000 cases and 73,630 commits), so pages that the
 * transaction made dirty were spilled to the WAL and read back, again and again, as the
 * inserts in commit and case order land all over the tables' B-trees: 15% of a rebuild's
 * CPU went to sqlite3PcacheFetchStress() and pread()/pwrite() (perf). The cache grows only
 * as pages are used, and goes back to the default once the update is committed.
 */
#define UPDATE_CACHE "-131072"  /* 128 MiB */
#define READ_CACHE "-2000"

/*
 * Pages are read from the file mapped (PRAGMA mmap_size) rather than copied into the page
 * cache: overleg-schedule reads the cases and consultations of every case, 3 MB of pages at
 * 10,000 cases, and each page copied had to be faulted into the cache first. Measured at
 * 10,000 cases (perf stat -r 30, task-clock): 50.3 -> 40.7 ms, peak memory 12.6 -> 13.3 MiB.
 * Only the first INDEX_MMAP bytes are mapped, so that a reader's memory stays bounded as the
 * store grows: mapped without a bound, overleg-schedule took 34 MiB at 50,000 cases against
 * 18, and a reader of the history keeps every page of it it touched. And the kernel
 * maps a page's neighbours with it, so the tables that every listing reads are made first and
 * a rebuild ends with a VACUUM (vacuum_due), which writes each table whole, in the order they
 * were made: the cases, their consultations and records at the front of the file. Without it
 * a rebuild writes the history first, and into the old tables' freed pages, interleaved: the
 * run above took 48.4 ms and 28.4 MiB. The VACUUM takes 0.08-0.09 s at 10,000 cases, of a
 * rebuild of 2.8 s, with pages of 16 KiB (INDEX_PAGE; 0.2 s of 6 s when this was measured).
 * Without it, at 16 KiB, overleg-schedule took 49-51 ms against 43-46 (perf stat -r 15).
 * (auto_vacuum = INCREMENTAL, which would give the freed pages back inside the rebuild's own
 * transaction, made the rebuild 3 s slower: 6.0 -> 9.2 s.)
 */
#define INDEX_MMAP "16777216"          /* 16 MiB */

/*
 * The size of the index's pages, set when its file is made (an index made with another keeps
 * it until it is deleted: SQLite cannot change it in WAL mode). With SQLite's 4 KiB, a full
 * build at 10,000 cases made 48,659 pwrite() calls and 63,540 pread() (strace -c): it writes
 * its 23 MB to the WAL at its COMMIT, to a temporary file and the WAL again in its VACUUM,
 * then to the file in its checkpoint, a page a call (a WAL frame two: header and page). At
 * 16 KiB, 12,026 and 50,897 (pack.c's reads are among them). Rebuilds at 10,000 cases and
 * 73,629 commits, four each, interleaved, medians: 16 KiB 2.92 s against 3.06 s (32 KiB
 * 2.87 s, 64 KiB 2.90 s, with 9 and 17 MB more of peak memory). The cost is in small updates,
 * which write whole pages to the WAL: the update after one commit took 7.0 ms against 6.2
 * (ten each). overleg-schedule and release-check --all read as fast or faster (perf stat
 * -r 20: 43.3 against 44.0 ms, 139-144 against 152-154 ms).
 */
#define INDEX_PAGE "16384"

/* How many commits may be added after git's commit-graph was last written before it is again. */
#define GRAPH_EVERY 256

/* Below a case's folder, how deep the history looks for files (consent/<id>.yaml is 2). */
#define CASE_DEPTH 4

struct index {
	struct store *s;
	git_repository *repo;
	sqlite3 *db;
	bool memory;
	bool snapshot;                  /* a read transaction is open */
	bool graph_due;                 /* update() found git's commit-graph due */
	/*
	 * The last failure was the index's own (SQLite's, its files', the child's end), not the
	 * store's: an index in memory may still answer (index_open()). Set by one thread at a
	 * time: the tables' thread is joined before another reads it.
	 */
	bool own_failure;
	bool vacuum_due;                /* a rebuild is to be written again in order (INDEX_MMAP) */
	char commit[GIT_OID_HEXSZ + 1];
};

static int
db_fail(struct index *ix, const char *what)
{
	ix->own_failure = true;
	return err_set("cannot %s the index: %s", what, sqlite3_errmsg(ix->db)), -1;
}

static int
exec(struct index *ix, const char *sql)
{
	return sqlite3_exec(ix->db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : db_fail(ix, "update");
}

static sqlite3_stmt *
prepare(struct index *ix, const char *sql)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(ix->db, sql, -1, &st, NULL) != SQLITE_OK) {
		db_fail(ix, "read");
		return NULL;
	}
	return st;
}

/* Steps a statement that returns no row, and resets it for the next use. */
static int
run(struct index *ix, sqlite3_stmt *st)
{
	int r = sqlite3_step(st);

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return r == SQLITE_DONE ? 0 : db_fail(ix, "update");
}

static void
bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

static void
bind_date(sqlite3_stmt *st, int i, struct date d)
{
	char buf[11];

	if (date_valid(d))
		sqlite3_bind_text(st, i, date_format(d, buf), 10, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

static const char *
column_text(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

static struct date
column_date(sqlite3_stmt *st, int i)
{
	const char *s = column_text(st, i);
	struct date d = {0};

	if (s && date_parse(s, strlen(s), &d) < 0) {
		err_clear();
		d = (struct date){0};
	}
	return d;
}

static int
column_word(sqlite3_stmt *st, int i, const struct vocab *t)
{
	int w = vocab_find(t, column_text(st, i));

	return w < 0 ? 0 : w;
}

/* The tables. */

/*
 * The columns of a case after its status, each followed by suffix: its plan's key dates, then
 * (with domains) each life domain's status and holder, the day since which every domain has
 * been assessed (case_assessed()) and the day a closed plan was closed (closed_on()). The
 * table, its select (cases_select()) and what reads a row (case_row()) or writes one
 * (case_write()) all take them in this order.
 */
static void
case_columns(struct buf *b, const char *suffix, bool domains)
{
	for (int i = 0; i < PD_N; i++)
		buf_printf(b, ", \"%s\"%s", vocab_word(vocab_plan_dates, i), suffix);
	for (int i = 0; domains && i < DOMAIN_N; i++)
		buf_printf(b, ", \"%s\"%s, \"%s_owner\"%s", vocab_word(vocab_domains, i), suffix,
		    vocab_word(vocab_domains, i), suffix);
	if (domains)
		buf_printf(b, ", assessed%s, closed%s", suffix, suffix);
}

/*
 * The columns of a case: its plan's key dates and its life domains, one column each, named
 * after the words of vocab.h, so that a reader with sqlite3 sees what the files say.
 */
static char *
cases_table(void)
{
	struct buf b = {0};

	buf_adds(&b, "CREATE TABLE cases(id TEXT PRIMARY KEY, ok INTEGER NOT NULL, "
	    "institution TEXT, status TEXT");
	case_columns(&b, " TEXT", true);
	buf_adds(&b, ") WITHOUT ROWID;");
	return buf_detach(&b);
}

/* After the cases (cases_table()), and in this order, as create_tables() makes them. */
static const char tables[] =
    "CREATE TABLE overlegs(case_id TEXT NOT NULL, date TEXT NOT NULL, kind TEXT NOT NULL, "
    "  status TEXT NOT NULL, PRIMARY KEY(case_id, date)) WITHOUT ROWID;"
    "CREATE TABLE records(case_id TEXT NOT NULL, id TEXT NOT NULL, kind TEXT NOT NULL, "
    "  date TEXT, withdraws TEXT, PRIMARY KEY(case_id, id)) WITHOUT ROWID;"
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;"
    /* gen: 1 + the highest gen of its parents, so that the order of a log is the graph's. */
    "CREATE TABLE commits(id TEXT PRIMARY KEY, parent TEXT, gen INTEGER NOT NULL, "
    "  time INTEGER NOT NULL, offset INTEGER NOT NULL, author TEXT NOT NULL, "
    "  email TEXT NOT NULL, program TEXT) WITHOUT ROWID;"
    /* blob: the file's ID after the change, NULL when it was deleted (case_assessed()). */
    "CREATE TABLE changes(case_id TEXT NOT NULL, commit_id TEXT NOT NULL, file TEXT NOT NULL, "
    "  what TEXT NOT NULL, blob TEXT, PRIMARY KEY(case_id, commit_id, file)) WITHOUT ROWID;";

static int
create_tables(struct index *ix)
{
	char *cases = cases_table(), *v;
	int r;

	r = exec(ix, "DROP TABLE IF EXISTS meta; DROP TABLE IF EXISTS commits;"
	    "DROP TABLE IF EXISTS changes; DROP TABLE IF EXISTS cases;"
	    "DROP TABLE IF EXISTS overlegs; DROP TABLE IF EXISTS records;");
	/* The cases' tables first: a VACUUM writes them at the front of the file (INDEX_MMAP). */
	if (r == 0)
		r = exec(ix, cases);
	if (r == 0)
		r = exec(ix, tables);
	ix->vacuum_due = r == 0 && !ix->memory;
	free(cases);
	if (r == 0) {
		v = xasprintf("PRAGMA user_version = %d;", INDEX_VERSION);
		r = exec(ix, v);
		free(v);
	}
	return r;
}

static int
meta_get(struct index *ix, const char *key, char *out, size_t size)
{
	sqlite3_stmt *st = prepare(ix, "SELECT value FROM meta WHERE key = ?");
	int r;

	out[0] = '\0';
	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	r = sqlite3_step(st);
	if (r == SQLITE_ROW)
		snprintf(out, size, "%s", column_text(st, 0) ? column_text(st, 0) : "");
	sqlite3_finalize(st);
	return r == SQLITE_ROW || r == SQLITE_DONE ? 0 : db_fail(ix, "read");
}

static int
meta_set(struct index *ix, const char *key, const char *value)
{
	sqlite3_stmt *st = prepare(ix, "INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)");
	int r;

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
	r = run(ix, st);
	sqlite3_finalize(st);
	return r;
}

static int
user_version(struct index *ix)
{
	sqlite3_stmt *st = prepare(ix, "PRAGMA user_version");
	int v = -1;

	if (st && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* Writing the cases. */

struct writer {
	struct index *ix;
	const struct view *v;
	sqlite3_stmt *del_case, *del_overlegs, *del_records, *case_row, *overleg_row, *record_row;
	sqlite3_stmt *plan_versions, *plan_last;
	size_t cases;
	bool fresh;                     /* the tables are empty: a full build (case_scan()) */
};

static int
writer_start(struct writer *w, struct index *ix, const struct view *v)
{
	struct buf b = {0};
	char *sql;

	*w = (struct writer){.ix = ix, .v = v};
	buf_adds(&b, "INSERT INTO cases VALUES(?, ?, ?, ?");
	for (int i = 0; i < PD_N + 2 * DOMAIN_N + 2; i++)
		buf_adds(&b, ", ?");
	buf_adds(&b, ")");
	sql = buf_detach(&b);
	w->del_case = prepare(ix, "DELETE FROM cases WHERE id = ?");
	w->del_overlegs = prepare(ix, "DELETE FROM overlegs WHERE case_id = ?");
	w->del_records = prepare(ix, "DELETE FROM records WHERE case_id = ?");
	w->case_row = prepare(ix, sql);
	w->overleg_row = prepare(ix, "INSERT INTO overlegs VALUES(?, ?, ?, ?)");
	w->record_row = prepare(ix, "INSERT INTO records VALUES(?, ?, ?, ?, ?)");
	/* Newest first in the graph: in a history without merges, version after version. */
	w->plan_versions = prepare(ix, "SELECT x.blob, c.time, c.offset FROM changes x "
	    "JOIN commits c ON c.id = x.commit_id WHERE x.case_id = ?1 AND x.file = 'plan.yaml' "
	    "ORDER BY c.gen DESC, c.id");
	/* The newest change of the plan in case-log's order (index_case_log()), not a deletion. */
	w->plan_last = prepare(ix, "SELECT c.time, c.offset FROM changes x "
	    "JOIN commits c ON c.id = x.commit_id WHERE x.case_id = ?1 AND x.file = 'plan.yaml' "
	    "AND x.what != 'D' ORDER BY c.time DESC, c.gen DESC, c.id LIMIT 1");
	free(sql);
	return w->del_case && w->del_overlegs && w->del_records && w->case_row && w->overleg_row &&
	    w->record_row && w->plan_versions && w->plan_last ? 0 : -1;
}

static void
writer_end(struct writer *w)
{
	sqlite3_finalize(w->del_case);
	sqlite3_finalize(w->del_overlegs);
	sqlite3_finalize(w->del_records);
	sqlite3_finalize(w->case_row);
	sqlite3_finalize(w->overleg_row);
	sqlite3_finalize(w->record_row);
	sqlite3_finalize(w->plan_versions);
	sqlite3_finalize(w->plan_last);
}

static int
case_delete(struct writer *w, const char *id)
{
	sqlite3_stmt *del[] = {w->del_case, w->del_overlegs, w->del_records};

	for (size_t i = 0; i < sizeof del / sizeof *del; i++) {
		sqlite3_bind_text(del[i], 1, id, -1, SQLITE_STATIC);
		if (run(w->ix, del[i]) < 0)
			return -1;
	}
	return 0;
}

/* A case as read for the index: what its files hold, or ok false when one does not read. */
struct got {
	bool ok;
	struct plan *plan;
	struct overlegs o;
	struct records rs;
	/*
	 * Of a plan with every life domain assessed: its versions, newest first (plan_versions(),
	 * hex "" for a deletion), and then since when it has had them all (case_assessed()), or
	 * why that could not be read (err, malloc'd).
	 */
	struct version {
		char hex[GIT_OID_HEXSZ + 1];
		long long time;
		int offset;
	} *v;
	size_t nv, vcap;
	struct date assessed;
	char *err;
};

/*
 * Reads case id through v as the programs read it without the index. A case that does not
 * read (a file not valid) is ok = false: the programs then read it from git and say what is
 * wrong, as without the index. Touches nothing but g: a full build calls it from two
 * threads (struct scan).
 */
static void
case_get(const struct view *v, const char *id, struct got *g)
{
	*g = (struct got){.plan = plan_read(v, id)};
	g->ok = g->plan && overlegs_read(v, id, &g->o) == 0 && records_read(v, id, &g->rs) == 0;
	if (!g->ok)
		err_clear();
}

static void
got_free(struct got *g)
{
	plan_free(g->plan);
	overlegs_free(&g->o);
	records_free(&g->rs);
	free(g->v);
	free(g->err);
}

/* Whether case_assessed() has to walk the versions of g's plan: it has every domain assessed. */
static bool
got_assessed(const struct got *g)
{
	return g->ok && plan_assessed(g->plan);
}

/*
 * The versions of the plan of case id, newest first in the graph (in a history without
 * merges, version after version), into g, for case_assessed().
 */
static int
plan_versions(struct writer *w, const char *id, struct got *g)
{
	sqlite3_stmt *st = w->plan_versions;
	int rc;

	g->nv = 0;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *hex = column_text(st, 0);

		xgrow((void **)&g->v, &g->vcap, g->nv + 1, sizeof *g->v);
		snprintf(g->v[g->nv].hex, sizeof g->v[g->nv].hex, "%s", hex ? hex : "");
		g->v[g->nv].time = sqlite3_column_int64(st, 1);
		g->v[g->nv].offset = sqlite3_column_int(st, 2);
		g->nv++;
		if (hex == NULL)
			break;          /* deleted: no plan before it */
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(w->ix, "read");
}

/*
 * Whether the plan of case id in blob hex (40 hex digits), an earlier version, has every life
 * domain assessed (R3, plan_assessed()); a plan that does not read has not.
 */
static int
version_assessed(const struct view *v, const char *id, const char *hex, bool *yes)
{
	struct problems ignore = {0};
	struct plan *p;
	char *buf, *path = case_path(id, "plan.yaml");
	size_t len;

	*yes = false;
	if (view_read_blob(v, hex, path, &buf, &len) < 0) {
		free(path);
		if (!store_read_refused())
			return -1;
		err_clear();
		return 0;       /* larger than a plan may be: no plan */
	}
	p = plan_parse(buf, len, "plan.yaml", &ignore);
	*yes = p && plan_assessed(p);
	plan_free(p);
	problems_free(&ignore);
	free(buf);
	free(path);
	err_clear();
	return 0;
}

/*
 * The day since which the plan of case id, which has every life domain assessed now, has had
 * them all: the author date of the oldest of its newest versions that all had, walked back
 * through the commits that changed plan.yaml (g->v, plan_versions(); the newest, the tip's,
 * is not read again). What case-stats counts as the day the plan was complete. The index
 * holds each change's blob for this: a version is read without the trees above it.
 */
static void
case_assessed(const struct view *v, const char *id, struct got *g)
{
	bool yes = true;

	g->assessed = (struct date){0};
	for (size_t i = 0; i < g->nv && g->v[i].hex[0]; i++) {
		if (i > 0 && version_assessed(v, id, g->v[i].hex, &yes) < 0) {
			g->err = xstrdup(err_last());
			err_clear();
			return;
		}
		if (!yes)
			return;
		g->assessed = date_of_time(g->v[i].time, g->v[i].offset);
	}
}

/*
 * The day the closed plan of case id was closed, for case-stats: a plan is closed by a change
 * of plan.yaml, so the author date of the newest change of it (the closing, unless the plan
 * was changed again after), in the commit's own time zone. {0} when the index has none.
 */
static int
closed_on(struct writer *w, const char *id, struct date *out)
{
	sqlite3_stmt *st = w->plan_last;
	int rc;

	*out = (struct date){0};
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = date_of_time(sqlite3_column_int64(st, 0), sqlite3_column_int(st, 1));
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(w->ix, "read");
}

/* Writes what case id holds (g), in place of what the index held of it. */
static int
case_write(struct writer *w, const char *id, const struct got *g)
{
	sqlite3_stmt *st = w->case_row;
	struct date closed = {0};
	int col = 5, r = 0;

	/* A full build writes into empty tables (create_tables()): nothing to delete. */
	if (!w->fresh && case_delete(w, id) < 0)
		return -1;
	w->cases++;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, g->ok);
	if (!g->ok)
		return run(w->ix, st);
	bind_text(st, 3, g->plan->institution);
	bind_text(st, 4, vocab_word(vocab_plan_status, g->plan->status));
	for (int i = 0; i < PD_N; i++)
		bind_date(st, col++, g->plan->dates[i]);
	for (int i = 0; i < DOMAIN_N; i++) {
		bind_text(st, col++, vocab_word(vocab_domain_status, g->plan->domains[i].status));
		bind_text(st, col++, g->plan->domains[i].owner);
	}
	if (g->err) {
		err_set("%s", g->err);
		sqlite3_reset(st);
		return -1;
	}
	if (g->plan->status == PLAN_CLOSED && closed_on(w, id, &closed) < 0) {
		sqlite3_reset(st);
		return -1;
	}
	bind_date(st, col++, g->assessed);
	bind_date(st, col++, closed);
	r = run(w->ix, st);
	for (size_t i = 0; r == 0 && i < g->o.n; i++) {
		st = w->overleg_row;
		sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
		bind_date(st, 2, g->o.v[i]->date);
		bind_text(st, 3, vocab_word(vocab_overleg_kinds, g->o.v[i]->kind));
		bind_text(st, 4, vocab_word(vocab_overleg_status, g->o.v[i]->status));
		r = run(w->ix, st);
	}
	for (size_t i = 0; r == 0 && i < g->rs.n; i++) {
		st = w->record_row;
		sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
		bind_text(st, 2, g->rs.v[i]->id);
		bind_text(st, 3, vocab_word(vocab_record_kinds, g->rs.v[i]->kind));
		bind_date(st, 4, g->rs.v[i]->date);
		bind_text(st, 5, g->rs.v[i]->withdraws);
		r = run(w->ix, st);
	}
	return r;
}

/* Writes case id as read into g (case_get()), with the day its plan was complete. */
static int
case_finish(struct writer *w, const char *id, struct got *g)
{
	int r = got_assessed(g) ? plan_versions(w, id, g) : 0;

	if (r == 0 && g->nv)
		case_assessed(w->v, id, g);
	if (r == 0)
		r = case_write(w, id, g);
	return r;
}

static int
case_put(struct writer *w, const char *id)
{
	struct got g;
	int r;

	case_get(w->v, id, &g);
	r = case_finish(w, id, &g);
	got_free(&g);
	return r;
}

/*
 * The cases of a full build, read by a thread of their own ahead of this one, which writes
 * them in order of ID and reads ahead too while the next to write is still being read.
 * Reading the cases was 2.4 s of a 5.8 s full build at 10,000 cases and 73,629 commits:
 * 1.3 s reading them, 256 at a time in two threads, then 1.0 s in this thread alone
 * listing and reading the earlier versions of complete plans and writing; and while this
 * thread wrote the child's part of the history (history_join(), 0.55 s), the other core
 * waited. The reader now begins then (scan_start()), and goes on while this thread writes.
 * Full build, six runs each, interleaved, median: 5.39 -> 4.95 s, 6.9 -> 6.7 s of user CPU,
 * peak memory the same (145 MB).
 *
 * At most SCAN_AHEAD cases wait to be written: a case as read is ~20 KB (2,048 of them took
 * the build's peak from 145 to 197 MB; 512, to 155 MB, for 0.1 s more). A thread sleeps only
 * when it has nothing to read: the reader when that many wait, the writer when the case it
 * needs is the reader's. (A writer that slept until the reader had read its next case:
 * 100,000 context switches, 7.1 s.) What the reader read, the reader frees as it reuses the
 * slot, and this thread what it read: glibc's malloc gives each thread an arena of its own,
 * and a free() from another thread waits for that arena's lock (90% of the 90,000 context
 * switches that were left). The reader has a handle on the store of its own (view_twin()),
 * begun after the history's child was forked: a process forked with a second thread running
 * would hold locks of libgit2 that nobody could let go in it.
 */
#define SCAN_AHEAD 256

struct scan {
	struct store *s;
	char tip[GIT_OID_HEXSZ + 1];
	struct view *v;                 /* this thread's, at tip; NULL until scan_view() */
	char **ids;
	size_t n;
	struct slot {                   /* case i at slot[i % SCAN_AHEAD] */
		struct got got;
		bool ready;             /* it holds case i, read */
		bool theirs;            /* read by the reader */
		bool stale;             /* the reader's, and written: for the reader to free */
	} *slot;                        /* SCAN_AHEAD of them once scan_view() has listed the IDs */
	struct got *trash;              /* the reader's, taken off slots by the writer: to free */
	size_t ntrash, trashcap;
	size_t next;                    /* the next case to read, by either thread */
	size_t done;                    /* the cases written */
	bool stop;
	pthread_mutex_t lock;
	pthread_cond_t room, read;      /* for the reader: a case written; for the writer: read */
	bool reader_waits, writer_waits;
	struct store *ts;               /* the reader's handle on the store, and its view */
	struct view *tv;
	pthread_t thread;
	bool started;
};

/* The cases of commit tip of s, for case_scan(): nothing read yet. */
static void
scan_open(struct scan *sc, struct store *s, const git_oid *tip)
{
	*sc = (struct scan){.s = s};
	git_oid_tostr(sc->tip, sizeof sc->tip, tip);
}

/*
 * The view of the tip and its cases, read when first needed: what cannot be read of the
 * history is said before what cannot be read of the tip, as in a build without the reader.
 * Returns 0 or -1.
 */
static int
scan_view(struct scan *sc)
{
	if (sc->slot)
		return 0;       /* the IDs are read (none, maybe: a store with no case) */
	if (sc->v == NULL && store_view_commit(sc->s, sc->tip, &sc->v) < 0)
		return -1;
	if (case_ids(sc->v, &sc->ids, &sc->n) < 0)
		return -1;
	sc->slot = xcalloc(SCAN_AHEAD, sizeof *sc->slot);
	pthread_mutex_init(&sc->lock, NULL);
	pthread_cond_init(&sc->room, NULL);
	pthread_cond_init(&sc->read, NULL);
	return 0;
}

/* Reads the next case through v, unlocked meanwhile; with sc locked, if one is there to read. */
static bool
scan_one(struct scan *sc, const struct view *v)
{
	struct slot *sl;
	size_t i;

	if (sc->next >= sc->n || sc->next >= sc->done + SCAN_AHEAD)
		return false;
	i = sc->next++;
	sl = &sc->slot[i % SCAN_AHEAD];
	if (sl->stale && v != sc->tv) {
		xgrow((void **)&sc->trash, &sc->trashcap, sc->ntrash + 1, sizeof *sc->trash);
		sc->trash[sc->ntrash++] = sl->got;
		sl->stale = false;
	}
	if (v == sc->tv && sc->ntrash) {
		struct got *t = sc->trash;
		size_t nt = sc->ntrash;

		sc->trash = NULL;
		sc->ntrash = sc->trashcap = 0;
		pthread_mutex_unlock(&sc->lock);
		for (size_t k = 0; k < nt; k++)
			got_free(&t[k]);
		free(t);
	} else {
		pthread_mutex_unlock(&sc->lock);
	}
	if (sl->stale)
		got_free(&sl->got);
	case_get(v, sc->ids[i], &sl->got);
	pthread_mutex_lock(&sc->lock);
	sl->stale = false;
	sl->theirs = v == sc->tv;
	sl->ready = true;
	if (sc->writer_waits)
		pthread_cond_signal(&sc->read);
	return true;
}

static void *
scan_ahead(void *arg)
{
	struct scan *sc = arg;

	pthread_mutex_lock(&sc->lock);
	while (!sc->stop && sc->next < sc->n) {
		if (scan_one(sc, sc->tv))
			continue;
		sc->reader_waits = true;
		pthread_cond_wait(&sc->room, &sc->lock);
		sc->reader_waits = false;
	}
	pthread_mutex_unlock(&sc->lock);
	/* The thread's last error is its own (msg.c): case_get() kept what it needed of it. */
	err_clear();
	return NULL;
}

/*
 * Starts the reader, once, where a second core and a second handle on the store are to be
 * had; where not, this thread reads every case itself, as it can at any time.
 */
static void
scan_start(struct scan *sc)
{
	if (sc->started || sysconf(_SC_NPROCESSORS_ONLN) < 2 ||
	    !(git_libgit2_features() & GIT_FEATURE_THREADS))
		return;
	if (scan_view(sc) < 0) {
		err_clear();    /* said again by case_scan(), when it comes to the cases */
		return;
	}
	if (sc->n < 2)
		return;
	if (view_twin(sc->v, &sc->ts, &sc->tv) < 0) {
		err_clear();
		return;
	}
	sc->started = pthread_create(&sc->thread, NULL, scan_ahead, sc) == 0;
	if (!sc->started) {
		view_close(sc->tv);
		store_close(sc->ts);
	}
}

/* Case i, the next to write, as read: by the reader, or by this thread, now. */
static struct got *
scan_take(struct scan *sc, size_t i)
{
	struct slot *sl = &sc->slot[i % SCAN_AHEAD];

	pthread_mutex_lock(&sc->lock);
	while (!sl->ready) {
		if (scan_one(sc, sc->v))
			continue;
		sc->writer_waits = true;
		pthread_cond_wait(&sc->read, &sc->lock);
		sc->writer_waits = false;
	}
	sl->ready = false;
	pthread_mutex_unlock(&sc->lock);
	return &sl->got;
}

/* Case i is written: its slot is free again, and the reader may go on. */
static void
scan_done(struct scan *sc, size_t i)
{
	struct slot *sl = &sc->slot[i % SCAN_AHEAD];

	if (!sl->theirs)
		got_free(&sl->got);
	pthread_mutex_lock(&sc->lock);
	sl->stale = sl->theirs;
	sc->done = i + 1;
	if (sc->reader_waits)
		pthread_cond_signal(&sc->room);
	pthread_mutex_unlock(&sc->lock);
}

/* Stops the reader and frees what was read and not written. */
static void
scan_close(struct scan *sc)
{
	if (sc->started) {
		pthread_mutex_lock(&sc->lock);
		sc->stop = true;
		pthread_cond_signal(&sc->room);
		pthread_mutex_unlock(&sc->lock);
		pthread_join(sc->thread, NULL);
		view_close(sc->tv);
		store_close(sc->ts);
		sc->started = false;
	}
	view_close(sc->v);
	sc->v = NULL;
	if (sc->slot == NULL)
		return;
	for (size_t k = 0; k < SCAN_AHEAD; k++)
		if (sc->slot[k].ready || sc->slot[k].stale)
			got_free(&sc->slot[k].got);
	for (size_t k = 0; k < sc->ntrash; k++)
		got_free(&sc->trash[k]);
	free(sc->trash);
	free(sc->slot);
	store_list_free(sc->ids, sc->n);
	pthread_mutex_destroy(&sc->lock);
	pthread_cond_destroy(&sc->room);
	pthread_cond_destroy(&sc->read);
	sc->ids = NULL;
	sc->slot = NULL;
}

/* Every case of sc (scan_view() has read which), written in order of ID. */
static int
case_scan(struct writer *w, struct scan *sc)
{
	int r = 0;

	w->fresh = true;
	scan_start(sc);
	for (size_t i = 0; r == 0 && i < sc->n; i++) {
		r = case_finish(w, sc->ids[i], scan_take(sc, i));
		scan_done(sc, i);
	}
	return r;
}

/* Comparing trees. */

/*
 * The trees a walk of the history has read, by where they stand. Each commit is compared with
 * its parent, and the parent's tree at a path is the one the walk read there when a commit
 * last changed that path: the commit before for the root and cases/, an earlier one for a
 * fan-out folder or a case's folder. libgit2 caches only small trees, and only up to
 * CACHE_MAX of them (store.c), so each was read from the pack again, twice per path a commit
 * changed. Kept here in a slot by the hash of its path (checked by its ID, so a slot that
 * holds another path's tree or an older one is only a miss), the parent's side is read
 * from the pack only where the history is not linear.
 * At most MEMO_SLOTS trees are held: a bench/gen store of 10,000 cases has ~30,000 folders.
 * A walk of n commits, which changes a few folders each, has memo_slots(n): the update after
 * one commit had all 32,768 slots (900 KB) allocated, faulted in and swept at its end, 14% of
 * the whole case-index run (perf, 30 updates at 10,000 cases).
 */
#define MEMO_SLOTS 32768
struct memo {
	struct memo_slot {
		git_oid id;
		git_odb_object *tree;
	} *slot;                        /* nslots, allocated on first use */
	size_t nslots;                  /* a power of two */
};

/* A memo for a walk of n commits: eight folders a commit, from 64 to MEMO_SLOTS slots. */
static size_t
memo_slots(size_t n)
{
	size_t k = 64;

	while (k < MEMO_SLOTS && k < n * 8)
		k *= 2;
	return k;
}

static void
memo_free(struct memo *m)
{
	for (size_t i = 0; m->slot && i < m->nslots; i++)
		git_odb_object_free(m->slot[i].tree);
	free(m->slot);
	*m = (struct memo){0};
}

/* FNV-1a of name, on from the hash h of the folder it stands in (0: the root). */
static unsigned
path_hash(unsigned h, const char *name, size_t len)
{
	h = (h ? h : 2166136261u) ^ '/';
	h *= 16777619u;
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)name[i];
		h *= 16777619u;
	}
	return h;
}

/*
 * Trees are compared as git stores them, without libgit2's git_tree: a compare reads a few
 * entries of each tree it reads, and git_tree_lookup() parsed every entry of each into an array
 * (the 256 of cases/ for every commit of the history) and kept the tree in libgit2's object
 * cache.
 */

/* An entry of a tree: "MODE NAME\0" and the 20 bytes of its ID. */
struct entry {
	const char *name;               /* len bytes, then a NUL */
	size_t len;
	unsigned mode;
	const git_oid *id;
};

/*
 * A tree being read: its object (NULL: no tree, an empty one, and obj for messages), and
 * where its next entry is.
 */
struct tree_cursor {
	git_odb_object *obj;
	const char *p, *end;
};

static void
tree_start(struct tree_cursor *t, git_odb_object *obj)
{
	t->obj = obj;
	t->p = obj ? git_odb_object_data(obj) : NULL;
	t->end = obj ? t->p + git_odb_object_size(obj) : NULL;
}

/* The next entry of t into e: 1, 0 at the end, -1 (err_set()) when t is no tree as git writes. */
static int
entry_next(struct tree_cursor *t, struct entry *e)
{
	const char *s = t->p, *nul;
	unsigned mode = 0;

	if (s == t->end)
		return 0;
	while (s < t->end && *s >= '0' && *s <= '7' && mode <= 0177777)
		mode = mode * 8 + (unsigned)(*s++ - '0');
	if (s == t->p || s == t->end || *s++ != ' ' ||
	    (nul = memchr(s, '\0', (size_t)(t->end - s))) == NULL || nul == s ||
	    t->end - nul - 1 < GIT_OID_RAWSZ) {
		char hex[GIT_OID_HEXSZ + 1];

		git_oid_tostr(hex, sizeof hex, git_odb_object_id(t->obj));
		err_set("cannot read the store: tree %s is damaged (an entry of it is not as git "
		    "writes one); git fsck tells more", hex);
		return -1;
	}
	*e = (struct entry){s, (size_t)(nul - s), mode, (const git_oid *)(const void *)(nul + 1)};
	t->p = nul + 1 + GIT_OID_RAWSZ;
	return 1;
}

/* libgit2's git_tree_entry_type() and git_tree_entry_filemode(), on the mode as written. */
static bool
entry_folder(const struct entry *e)
{
	return (e->mode & 0170000) == 0040000;
}

static unsigned
entry_mode(const struct entry *e)
{
	unsigned type = e->mode & 0170000;

	return type == 0040000 ? 0040000 : (e->mode & 0111) ? 0100755 : type == 0160000 ? 0160000 :
	    type == 0120000 ? 0120000 : 0100644;
}

/* git's order of the entries of a tree: by name, a folder's as if it ended with '/'. */
static int
entry_cmp(const struct entry *a, const struct entry *b)
{
	size_t n = a->len < b->len ? a->len : b->len;
	int c = memcmp(a->name, b->name, n);
	unsigned char ca, cb;

	if (c != 0)
		return c;
	ca = n < a->len ? (unsigned char)a->name[n] : entry_folder(a) ? '/' : '\0';
	cb = n < b->len ? (unsigned char)b->name[n] : entry_folder(b) ? '/' : '\0';
	return (ca > cb) - (ca < cb);
}

/*
 * The tree id, which stands at the path of hash h, from m when it is there (m may be NULL):
 * a reference the caller frees with git_odb_object_free().
 */
static int
tree_lookup(git_odb *odb, struct memo *m, unsigned h, const git_oid *id, git_odb_object **out)
{
	struct memo_slot *slot = NULL;

	*out = NULL;
	if (m) {
		if (m->slot == NULL)
			m->slot = xcalloc(m->nslots, sizeof *m->slot);
		slot = &m->slot[h & (m->nslots - 1)];
		if (slot->tree && git_oid_equal(&slot->id, id))
			return git_odb_object_dup(out, slot->tree), 0;
	}
	if (git_odb_read(out, odb, id) < 0)
		return store_git_fail("read tree", git_oid_tostr_s(id));
	if (git_odb_object_type(*out) != GIT_OBJECT_TREE) {
		char hex[GIT_OID_HEXSZ + 1];

		/* Said here, not by libgit2: commit_fail() leaves it as it is. */
		git_error_clear();
		err_set("cannot read the store: object %s stands where a tree should, and is a %s",
		    git_oid_tostr(hex, sizeof hex, id), git_object_type2string(git_odb_object_type(*out)));
		git_odb_object_free(*out);
		*out = NULL;
		return -1;
	}
	if (slot == NULL)
		return 0;
	git_odb_object_free(slot->tree);
	git_oid_cpy(&slot->id, id);
	return git_odb_object_dup(&slot->tree, *out), 0;
}

/*
 * What a compare reports: a case folder that differs (files false: once, with file NULL), or
 * each file of it that differs (files true), with 'A', 'M' or 'D' and the file's ID after
 * (NULL when deleted, or files false).
 */
struct compare {
	git_odb *odb;
	bool files;
	int (*fn)(void *arg, const char *case_id, const char *file, char what, const git_oid *blob);
	void *arg;
	struct memo *memo;              /* the trees read before, or NULL */
};

/* The tree of e (NULL when e is none or no folder), which stands at the path of hash h. */
static int
tree_of(struct compare *c, const struct entry *e, unsigned h, git_odb_object **out)
{
	*out = NULL;
	if (e == NULL || !entry_folder(e))
		return 0;
	return tree_lookup(c->odb, c->memo, h, e->id, out);
}

static bool
same(const struct entry *a, const struct entry *b)
{
	return a && b && git_oid_equal(a->id, b->id) && entry_mode(a) == entry_mode(b);
}

/*
 * One step of the merge of two trees' entries, both sorted by git (entry_cmp()): *ea and *eb
 * are set to the entry of each side with the next name (NULL on the side that lacks it), and
 * the side or sides they came from move on. 1, 0 when both are at their end, -1 when either
 * is no tree.
 *
 * The entries that two trees begin with byte for byte, and end with, are the same on both
 * sides, and the merge passes over them unread: a commit changes one entry of cases/ and
 * of a fan-out folder, and comparing the other 255 entries of cases/, name and ID, was a
 * fifth of the instructions of a full build at 2,000 cases (callgrind: 7.44 -> 5.94 G, the
 * child's part of the history 2.22 -> 1.33 G). The first NUL after an entry's start ends its
 * name (its mode and name hold none) and its ID follows, so the entries within the bytes
 * alike are found without reading them. A damaged entry among them is damaged in both: it
 * was read, and said, where it first differed from its parent's.
 */
struct merge {
	struct tree_cursor a, b;
	struct entry na, nb;
	int ha, hb;                     /* 1: na (nb) holds the next entry; 0: at the end */
	const char *sa, *sb;            /* where na and nb begin */
	size_t tail;                    /* the bytes both trees end with alike */
};

/* How many bytes a and b begin with alike, of the first n. */
static size_t
alike_head(const char *a, const char *b, size_t n)
{
	size_t k = 0;

	while (n - k >= 64 && memcmp(a + k, b + k, 64) == 0)
		k += 64;
	while (k < n && a[k] == b[k])
		k++;
	return k;
}

/* How many bytes the n bytes before a and b end with alike. */
static size_t
alike_tail(const char *a, const char *b, size_t n)
{
	size_t k = 0;

	while (n - k >= 64 && memcmp(a - k - 64, b - k - 64, 64) == 0)
		k += 64;
	while (k < n && a[-(ptrdiff_t)k - 1] == b[-(ptrdiff_t)k - 1])
		k++;
	return k;
}

/* The next entry of each side into na and nb, where both have one. */
static void
merge_read(struct merge *m, bool a, bool b)
{
	if (a) {
		m->sa = m->a.p;
		m->ha = entry_next(&m->a, &m->na);
	}
	if (b && m->ha >= 0) {
		m->sb = m->b.p;
		m->hb = entry_next(&m->b, &m->nb);
	}
	/* The rest the same on both sides, from the same entries' starts: nothing more differs. */
	if (m->ha > 0 && m->hb > 0 && m->a.end - m->sa == m->b.end - m->sb &&
	    (size_t)(m->a.end - m->sa) <= m->tail)
		m->ha = m->hb = 0;
}

static int
merge_start(struct merge *m, git_odb_object *old, git_odb_object *new)
{
	tree_start(&m->a, old);
	tree_start(&m->b, new);
	m->ha = m->hb = 0;
	m->tail = 0;
	if (old && new) {
		size_t la = (size_t)(m->a.end - m->a.p), lb = (size_t)(m->b.end - m->b.p);
		const char *s = m->a.p, *lim = s + alike_head(m->a.p, m->b.p, la < lb ? la : lb);
		const char *nul;

		while ((nul = memchr(s, '\0', (size_t)(lim - s))) != NULL &&
		    lim - nul - 1 >= GIT_OID_RAWSZ)
			s = nul + 1 + GIT_OID_RAWSZ;
		m->b.p += s - m->a.p;
		m->a.p = s;
		la = (size_t)(m->a.end - m->a.p);
		lb = (size_t)(m->b.end - m->b.p);
		m->tail = alike_tail(m->a.end, m->b.end, la < lb ? la : lb);
	}
	merge_read(m, old != NULL, new != NULL);
	return m->ha < 0 || m->hb < 0 ? -1 : 0;
}

static int
merge_next(struct merge *m, struct entry *a, struct entry *b, const struct entry **ea,
    const struct entry **eb)
{
	int cmp;

	if (!m->ha && !m->hb)
		return 0;
	cmp = !m->ha ? 1 : !m->hb ? -1 : entry_cmp(&m->na, &m->nb);
	*ea = *eb = NULL;
	if (cmp <= 0) {
		*a = m->na;
		*ea = a;
	}
	if (cmp >= 0) {
		*b = m->nb;
		*eb = b;
	}
	merge_read(m, cmp <= 0, cmp >= 0);
	return m->ha < 0 || m->hb < 0 ? -1 : 1;
}

/* The files below a case folder that differ, at most CASE_DEPTH deep. */
static int
compare_files(struct compare *c, git_odb_object *old, git_odb_object *new, const char *id,
    const char *prefix, unsigned h, int depth)
{
	struct merge m;
	struct entry a, b;
	const struct entry *ea, *eb;
	int r, more = 0;

	if ((r = merge_start(&m, old, new)) < 0)
		return r;
	while (r == 0 && (more = merge_next(&m, &a, &b, &ea, &eb)) > 0) {
		const struct entry *e = ea ? ea : eb;
		bool ta = ea && entry_folder(ea), tb = eb && entry_folder(eb);
		char *path;

		if (same(ea, eb))
			continue;
		path = *prefix ? xasprintf("%s/%s", prefix, e->name) : xstrdup(e->name);
		if (ta || tb) {
			git_odb_object *os = NULL, *ns = NULL;
			unsigned hs = path_hash(h, e->name, e->len);

			if (depth < CASE_DEPTH && (r = tree_of(c, ea, hs, &os)) == 0 &&
			    (r = tree_of(c, eb, hs, &ns)) == 0)
				r = compare_files(c, os, ns, id, path, hs, depth + 1);
			git_odb_object_free(os);
			git_odb_object_free(ns);
		}
		/* A file that became a folder, or the other way round, is both. */
		if (r == 0 && ((ea && !ta) || (eb && !tb)))
			r = c->fn(c->arg, id, path, ea && !ta && eb && !tb ? 'M' : ea && !ta ? 'D' : 'A',
			    eb && !tb ? eb->id : NULL);
		free(path);
	}
	return r < 0 ? r : more;
}

/*
 * Compares two trees of the store (NULL: empty) at one level below the root: level 0 the
 * root (only cases/ matters), 1 cases/ (its fan-out folders), 2 a fan-out folder (its cases).
 * Equal subtrees are skipped by their IDs, so a commit that touches one case costs a few tree
 * reads whatever the size of the store.
 */
static int
compare_level(struct compare *c, git_odb_object *old, git_odb_object *new, int level,
    const char *sub, unsigned h)
{
	struct merge m;
	struct entry a, b;
	const struct entry *ea, *eb;
	int r, more = 0;

	if ((r = merge_start(&m, old, new)) < 0)
		return r;
	while (r == 0 && (more = merge_next(&m, &a, &b, &ea, &eb)) > 0) {
		const struct entry *e = ea ? ea : eb;
		git_odb_object *os = NULL, *ns = NULL;
		char name[256];
		unsigned hs;

		if (same(ea, eb) || (level == 0 && (e->len != 5 || memcmp(e->name, "cases", 5) != 0)))
			continue;
		/* Below cases/, a name longer than any case ID is no case folder. */
		if (e->len >= sizeof name)
			continue;
		memcpy(name, e->name, e->len + 1);
		if (level == 2 && !case_folder_ok(sub, name))
			continue;
		hs = path_hash(h, e->name, e->len);
		if ((r = tree_of(c, ea, hs, &os)) == 0 && (r = tree_of(c, eb, hs, &ns)) == 0) {
			if (level < 2)
				r = compare_level(c, os, ns, level + 1, name, hs);
			else if (!c->files)
				/* What is no folder at the tip is no case (case_ids()): gone. */
				r = c->fn(c->arg, name, NULL, ns ? 'M' : 'D', NULL);
			else
				r = compare_files(c, os, ns, name, "", hs, 0);
		}
		git_odb_object_free(os);
		git_odb_object_free(ns);
	}
	return r < 0 ? r : more;
}

/* Cases. */

/* The case folders that differ between two trees, and whether each is gone ('D'). */
struct changed {
	char **ids;
	char *what;
	size_t n, cap, wcap;
};

static int
changed_add(void *arg, const char *id, const char *file, char what, const git_oid *blob)
{
	struct changed *ch = arg;

	(void)file;
	(void)blob;
	xgrow((void **)&ch->ids, &ch->cap, ch->n + 1, sizeof *ch->ids);
	xgrow((void **)&ch->what, &ch->wcap, ch->n + 1, sizeof *ch->what);
	ch->what[ch->n] = what;
	ch->ids[ch->n++] = xstrdup(id);
	return 0;
}

/* The root tree of commit (NULL: none, an empty tree) into *out. */
static int
tree_at(struct index *ix, git_odb *odb, const git_oid *commit, git_odb_object **out)
{
	git_commit *c = NULL;
	int r;

	*out = NULL;
	if (commit == NULL)
		return 0;
	if (git_commit_lookup(&c, ix->repo, commit) < 0)
		return store_git_fail("read commit", git_oid_tostr_s(commit));
	r = tree_lookup(odb, NULL, 0, git_commit_tree_id(c), out);
	git_commit_free(c);
	return r;
}

/*
 * Brings the cases from what commit from shows to what tip shows; from NULL: from nothing,
 * every case of sc (scan_open() of tip).
 */
static int
cases_update(struct index *ix, const git_oid *from, const git_oid *tip, struct scan *sc,
    struct index_stats *st)
{
	struct compare c = {.fn = changed_add};
	struct changed ch = {0};
	struct writer w;
	struct view *v = NULL;
	git_odb_object *old = NULL, *new = NULL;
	char hex[GIT_OID_HEXSZ + 1];
	int r;

	git_oid_tostr(hex, sizeof hex, tip);
	if (from == NULL) {
		if (scan_view(sc) < 0)
			return -1;
	} else if (store_view_commit(ix->s, hex, &v) < 0) {
		return -1;
	}
	if (writer_start(&w, ix, from ? v : sc->v) < 0) {
		view_close(v);
		writer_end(&w);
		return -1;
	}
	if (from == NULL) {
		r = case_scan(&w, sc);
	} else {
		c.arg = &ch;
		r = git_repository_odb(&c.odb, ix->repo) < 0 ? store_git_fail("read the store", NULL) :
		    tree_at(ix, c.odb, from, &old) < 0 || tree_at(ix, c.odb, tip, &new) < 0 ? -1 :
		    compare_level(&c, old, new, 0, "", 0);
		for (size_t i = 0; r == 0 && i < ch.n; i++)
			r = ch.what[i] == 'D' ? case_delete(&w, ch.ids[i]) : case_put(&w, ch.ids[i]);
	}
	if (st)
		st->cases = w.cases;
	store_list_free(ch.ids, ch.n);
	free(ch.what);
	git_odb_object_free(old);
	git_odb_object_free(new);
	git_odb_free(c.odb);
	writer_end(&w);
	view_close(v);
	return r;
}

/* Commits. */

/*
 * A commit as the history records it: what commit_read() finds in git, which commit_store()
 * writes to the tables. In between it may pass from one process to another (history_split()).
 */
#define COMMIT_PARENTS 32       /* more is no commit of casus: each past the 32nd is left out */

struct change_seen {
	char *case_id, *file;
	char what;
	char blob[GIT_OID_HEXSZ + 1];   /* "" when deleted */
	unsigned seen;                  /* the parents it was found against, a bit each */
};

struct commit_rec {
	char hex[GIT_OID_HEXSZ + 1];
	char parent[COMMIT_PARENTS][GIT_OID_HEXSZ + 1];
	unsigned np;
	long long time;
	int offset;
	char *author, *email, *program; /* program: NULL when there is none */
	/* The changes; of a merge, only those found against every parent. */
	struct change_seen *ch;
	size_t n, cap;
};

static void
commit_rec_clear(struct commit_rec *rec)
{
	for (size_t i = 0; i < rec->n; i++) {
		free(rec->ch[i].case_id);
		free(rec->ch[i].file);
	}
	free(rec->author);
	free(rec->email);
	free(rec->program);
	rec->author = rec->email = rec->program = NULL;
	rec->n = 0;
}

static void
commit_rec_free(struct commit_rec *rec)
{
	commit_rec_clear(rec);
	free(rec->ch);
	rec->ch = NULL;
	rec->cap = 0;
}

/*
 * The generation of each commit an update has written, by ID, for commit_store(): a commit's
 * parents are nearly always among them, and a SELECT of each parent's was 0.2 s of the 2.4 s
 * that reading and writing the history took in one process (10,000 cases, 73,629 commits).
 * Open addressing, at most three quarters full (3 MB at 73,629 commits); gen 0 marks a free
 * slot (every gen is 1 or more).
 */
struct gens {
	struct gen_slot {
		git_oid id;
		uint32_t gen;
	} *slot;
	size_t mask;
};

static void
gens_init(struct gens *g, size_t n)
{
	size_t k = 16;

	while (k < n + n / 3 + 1)
		k *= 2;
	g->slot = xcalloc(k, sizeof *g->slot);
	g->mask = k - 1;
}

static struct gen_slot *
gens_slot(const struct gens *g, const git_oid *id)
{
	size_t i = ((size_t)id->id[0] << 24 | (size_t)id->id[1] << 16 | (size_t)id->id[2] << 8 |
	    id->id[3]) & g->mask;

	while (g->slot[i].gen != 0 && !git_oid_equal(&g->slot[i].id, id))
		i = (i + 1) & g->mask;
	return &g->slot[i];
}

struct history {
	struct index *ix;
	git_odb *odb;
	struct memo memo;
	struct gens gens;               /* of the n commits of the update, and no more */
	sqlite3_stmt *commit_row, *change_row, *gen_of;
	struct commit_rec *rec;         /* the commit being compared */
	unsigned parent;                /* with its parent number parent */
	/*
	 * The commit read last and its tree: in a linear history the parent of the next, whose
	 * tree is then known without reading the parent again.
	 */
	git_oid last, last_tree;
	bool have_last;
};

static int
change_found(void *arg, const char *case_id, const char *file, char what, const git_oid *blob)
{
	struct history *h = arg;
	struct commit_rec *rec = h->rec;

	for (size_t i = 0; i < rec->n; i++)
		if (strcmp(rec->ch[i].case_id, case_id) == 0 && strcmp(rec->ch[i].file, file) == 0) {
			rec->ch[i].seen |= 1u << h->parent;
			return 0;
		}
	if (h->parent > 0)
		return 0;       /* not against the first parent: not a change of the merge */
	xgrow((void **)&rec->ch, &rec->cap, rec->n + 1, sizeof *rec->ch);
	rec->ch[rec->n] = (struct change_seen){xstrdup(case_id), xstrdup(file), what, "", 1};
	if (blob)
		git_oid_tostr(rec->ch[rec->n].blob, sizeof rec->ch[rec->n].blob, blob);
	rec->n++;
	return 0;
}

/* Trailers a script reads: "Program: plan-edit". NULL when there is none. */
static char *
program_of(const git_commit *c)
{
	git_message_trailer_array t = {0};
	char *p = NULL;

	if (git_message_trailers(&t, git_commit_message(c)) < 0)
		return NULL;
	for (size_t i = 0; i < t.count && p == NULL; i++)
		if (strcmp(t.trailers[i].key, "Program") == 0)
			p = xstrdup(t.trailers[i].value);
	git_message_trailer_array_free(&t);
	return p;
}

/*
 * A failure to read commit hex: libgit2's, named for the commit (store_git_fail()); or, when
 * libgit2 said nothing (git_error_last() NULL), one casus said itself, left as it is.
 */
static int
commit_fail(const char *verb, const char *hex)
{
	return git_error_last() ? store_git_fail(verb, hex) : -1;
}

/* Reads commit id into rec: its author, date, parents, and the case files it changed. */
static int
commit_read(struct history *h, const git_oid *id, struct commit_rec *rec)
{
	struct compare c = {
		.odb = h->odb, .files = true, .fn = change_found, .arg = h, .memo = &h->memo,
	};
	git_commit *commit = NULL;
	git_odb_object *tree = NULL, *ptree = NULL;
	const git_signature *a;
	unsigned np, all;
	size_t k = 0;
	int r = 0;

	commit_rec_clear(rec);
	h->rec = rec;
	git_oid_tostr(rec->hex, sizeof rec->hex, id);
	if (git_commit_lookup(&commit, h->ix->repo, id) < 0)
		return store_git_fail("read commit", rec->hex);
	np = git_commit_parentcount(commit);
	rec->np = np < COMMIT_PARENTS ? np : COMMIT_PARENTS;
	/*
	 * Each parent's tree is looked up before the commit's own: both stand at the root's slot
	 * of the memo, and the commit's is to stay there for the next commit, its child.
	 */
	for (unsigned p = 0; r == 0 && p < (rec->np ? rec->np : 1); p++) {
		git_commit *pc = NULL;
		const git_oid *pid, *ptid = NULL;

		h->parent = p;
		if (np > 0) {
			pid = git_commit_parent_id(commit, p);
			git_oid_tostr(rec->parent[p], sizeof rec->parent[p], pid);
			if (h->have_last && git_oid_equal(pid, &h->last))
				ptid = &h->last_tree;
			else if (git_commit_parent(&pc, commit, p) == 0)
				ptid = git_commit_tree_id(pc);
			if (ptid == NULL || tree_lookup(h->odb, &h->memo, 0, ptid, &ptree) < 0)
				r = commit_fail("read the parent of commit", rec->hex);
		}
		if (r == 0 && tree == NULL &&
		    tree_lookup(h->odb, &h->memo, 0, git_commit_tree_id(commit), &tree) < 0)
			r = commit_fail("read commit", rec->hex);
		if (r == 0)
			r = compare_level(&c, ptree, tree, 0, "", 0);
		git_odb_object_free(ptree);
		git_commit_free(pc);
		ptree = NULL;
	}
	git_oid_cpy(&h->last, id);
	git_oid_cpy(&h->last_tree, git_commit_tree_id(commit));
	h->have_last = true;
	/* Of a merge, what differs from every parent (as git log -c shows it). */
	all = rec->np > 1 ? (rec->np < COMMIT_PARENTS ? (1u << rec->np) - 1 : ~0u) : 1;
	for (size_t i = 0; i < rec->n; i++) {
		if ((rec->ch[i].seen & all) == all) {
			rec->ch[k++] = rec->ch[i];
			continue;
		}
		free(rec->ch[i].case_id);
		free(rec->ch[i].file);
	}
	rec->n = k;
	a = git_commit_author(commit);
	rec->time = a->when.time;
	rec->offset = a->when.offset;
	rec->author = xstrdup(a->name);
	rec->email = xstrdup(a->email);
	rec->program = program_of(commit);
	git_odb_object_free(tree);
	git_commit_free(commit);
	return r;
}

/* Writes rec to the tables, its generation one above its parents' highest (there already). */
static int
commit_store(struct history *h, const struct commit_rec *rec)
{
	sqlite3_stmt *st = h->commit_row;
	struct gen_slot *slot;
	long long gen = 0;
	git_oid id;
	int r;

	for (unsigned p = 0; p < rec->np; p++) {
		if (git_oid_fromstr(&id, rec->parent[p]) == 0 &&
		    (slot = gens_slot(&h->gens, &id))->gen != 0) {
			gen = (long long)slot->gen > gen ? (long long)slot->gen : gen;
			continue;
		}
		sqlite3_bind_text(h->gen_of, 1, rec->parent[p], -1, SQLITE_STATIC);
		if (sqlite3_step(h->gen_of) == SQLITE_ROW && sqlite3_column_int64(h->gen_of, 0) > gen)
			gen = sqlite3_column_int64(h->gen_of, 0);
		sqlite3_reset(h->gen_of);
	}
	sqlite3_bind_text(st, 1, rec->hex, -1, SQLITE_STATIC);
	bind_text(st, 2, rec->np ? rec->parent[0] : NULL);
	sqlite3_bind_int64(st, 3, gen + 1);
	sqlite3_bind_int64(st, 4, rec->time);
	sqlite3_bind_int(st, 5, rec->offset);
	bind_text(st, 6, rec->author);
	bind_text(st, 7, rec->email);
	bind_text(st, 8, rec->program);
	r = run(h->ix, st);
	for (size_t i = 0; r == 0 && i < rec->n; i++) {
		st = h->change_row;
		sqlite3_bind_text(st, 1, rec->ch[i].case_id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, rec->hex, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, rec->ch[i].file, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, (char[]){rec->ch[i].what, '\0'}, 1, SQLITE_TRANSIENT);
		bind_text(st, 5, rec->ch[i].blob[0] ? rec->ch[i].blob : NULL);
		r = run(h->ix, st);
	}
	if (r == 0 && gen < UINT32_MAX - 1 && git_oid_fromstr(&id, rec->hex) == 0) {
		slot = gens_slot(&h->gens, &id);
		slot->id = id;
		slot->gen = (uint32_t)(gen + 1);
	}
	return r;
}

/*
 * The everyday case of commits_new(): a few commits, each with one parent, from from to tip.
 * Then those are exactly the commits reachable from tip and not from from, and from is an
 * ancestor: found by following parents from the tip, up to LINEAR_MAX, without a revwalk,
 * which prepares a limited walk (1.2 to 2.4 ms of a 10 ms update after one commit at
 * 10,000 cases). false, and nothing in *ids, when the history is not such a line.
 */
#define LINEAR_MAX 64

static bool
linear_since(struct index *ix, const git_oid *from, const git_oid *tip, git_oid **ids, size_t *n)
{
	git_oid line[LINEAR_MAX], at = *tip;
	size_t k = 0;

	while (k < LINEAR_MAX && !git_oid_equal(&at, from)) {
		git_commit *c = NULL;
		bool one;

		if (git_commit_lookup(&c, ix->repo, &at) < 0) {
			git_error_clear();
			return false;
		}
		one = git_commit_parentcount(c) == 1;
		line[k++] = at;
		if (one)
			git_oid_cpy(&at, git_commit_parent_id(c, 0));
		git_commit_free(c);
		if (!one)
			return false;
	}
	if (!git_oid_equal(&at, from))
		return false;
	*ids = xcalloc(k ? k : 1, sizeof **ids);
	for (size_t i = 0; i < k; i++)
		(*ids)[i] = line[k - 1 - i];
	*n = k;
	return true;
}

/*
 * The commits reachable from tip and not from from (NULL: every one), oldest first, in *ids
 * (malloc'd, *n of them). *ancestor: whether from is an ancestor of tip, which holds exactly
 * when one of them has from for a parent: libgit2's git_graph_descendant_of() computes a
 * merge base, a walk of the whole history (about 25 ms at 15,000 commits) where this reads
 * only the commits that are new.
 */
static int
commits_new(struct index *ix, const git_oid *from, const git_oid *tip, git_oid **ids, size_t *n,
    bool *ancestor)
{
	git_revwalk *walk = NULL;
	size_t cap = 0;
	git_oid id;
	int r;

	*ids = NULL;
	*n = 0;
	*ancestor = from == NULL;
	if (from && linear_since(ix, from, tip, ids, n)) {
		*ancestor = true;
		return 0;
	}
	/*
	 * All of them, for a rebuild: from git's commit-graph where it can (graph.c), but not for
	 * the index kept in memory, which --check compares with: its listing is libgit2's own.
	 */
	if (from == NULL && !ix->memory && (r = graph_history(ix->repo, tip, ids, n)) != 0)
		return r < 0 ? -1 : 0;
	if (git_revwalk_new(&walk, ix->repo) < 0 ||
	    git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE) < 0 ||
	    git_revwalk_push(walk, tip) < 0 || (from && git_revwalk_hide(walk, from) < 0)) {
		git_revwalk_free(walk);
		return store_git_fail("walk the history of the store", NULL);
	}
	while ((r = git_revwalk_next(&id, walk)) == 0) {
		xgrow((void **)ids, &cap, *n + 1, sizeof **ids);
		git_oid_cpy(&(*ids)[(*n)++], &id);
		if (from && !*ancestor) {
			git_commit *c = NULL;

			if (git_commit_lookup(&c, ix->repo, &id) < 0)
				break;
			for (unsigned p = 0; p < git_commit_parentcount(c); p++)
				*ancestor = *ancestor || git_oid_equal(git_commit_parent_id(c, p), from);
			git_commit_free(c);
		}
	}
	git_revwalk_free(walk);
	if (r == GIT_ITEROVER)
		return 0;
	free(*ids);
	*ids = NULL;
	*n = 0;
	return store_git_fail("walk the history of the store", NULL);
}

/*
 * Reading the history in two processes. A full build spends most of its time reading the
 * history (at 10,000 cases and 73,629 commits, 3.1 s of 5.9), and libgit2 cannot read one
 * store from two threads at speed: every object read takes the locks of the pack, which
 * libgit2 shares between repositories (read in threads, view_each() with chunks of 1,024
 * commits, the full build took 6.5 s instead of 5.9, with 8.3 s of user CPU instead of 6.3
 * and 1.6 s of system instead of 0.5). A child process shares nothing with this one but the
 * files: it reads the newer part of the commits and writes what it found to a file of its
 * own (history_put()), which this one writes to the tables (history_get()) once it has read
 * and written the older part, as the child writes it: it no longer waits for the child to
 * end first (2.3-2.7 s from the split to the last record written, against 2.5-2.8, at
 * 10,000 cases and 73,629 commits). Only the writer of a file-backed index, with more than
 * one core and SPLIT_MIN commits or more to read, splits; the index kept in memory, which
 * --check builds to compare with, reads the history in one process.
 *
 * SPLIT_SHARE: the share of the commits this process reads itself, in percent. It writes all
 * of them to the tables, which costs about a quarter of reading them (perf): reading 40%, it
 * has written its part and caught up with the child at about the time the child ends (the
 * child took 1.7-2.6 s, of a run with 38%; with 45% this process had ended its part first
 * in one run of three).
 */
#define SPLIT_MIN 512
#define SPLIT_SHARE 40

/*
 * Whether the child must be forked with no other thread running: under AddressSanitizer or
 * ThreadSanitizer (make check), whose allocators, unlike glibc's malloc, do not take their
 * locks across fork(). A child forked while the tables' thread held one of them waited for it
 * for ever: a make check run hung so, once, in 0003-bench-gen.bats (gdb: the child in
 * __sanitizer::Mutex::Lock under free(), the parent polling for its records). The tables are
 * then made before the fork, which only costs time.
 */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define FORK_ALONE 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define FORK_ALONE 1
#endif
#endif
#ifndef FORK_ALONE
#define FORK_ALONE 0
#endif

/* The records of the child's file: NUL-ended fields, a record's type first. */
static void
field(FILE *f, const char *s)
{
	fputs(s, f);
	putc('\0', f);
}

static void
field_num(FILE *f, long long n)
{
	fprintf(f, "%lld", n);
	putc('\0', f);
}

/* "C" hex np parents... time offset author email has-program [program] nchanges changes... */
static void
history_put(FILE *f, const struct commit_rec *rec)
{
	field(f, "C");
	field(f, rec->hex);
	field_num(f, rec->np);
	for (unsigned p = 0; p < rec->np; p++)
		field(f, rec->parent[p]);
	field_num(f, rec->time);
	field_num(f, rec->offset);
	field(f, rec->author);
	field(f, rec->email);
	field(f, rec->program ? "1" : "0");
	if (rec->program)
		field(f, rec->program);
	field_num(f, (long long)rec->n);
	for (size_t i = 0; i < rec->n; i++) {
		field(f, rec->ch[i].case_id);
		field(f, rec->ch[i].file);
		field(f, (char[]){rec->ch[i].what, '\0'});
		field(f, rec->ch[i].blob);
	}
}

/* The child: reads ids and writes each commit to fd, then "Z"; or "E" and why. Never returns. */
static void
history_child(struct history *h, const git_oid *ids, size_t n, int fd)
{
	FILE *f = fdopen(fd, "w");
	struct commit_rec rec = {0};
	int r = f ? 0 : -1;

	for (size_t i = 0; r == 0 && i < n; i++)
		if ((r = commit_read(h, &ids[i], &rec)) == 0)
			history_put(f, &rec);
	commit_rec_free(&rec);
	if (f && r == 0) {
		field(f, "Z");
	} else if (f) {
		field(f, "E");
		field(f, err_last()[0] ? err_last() : "cannot read the history of the store");
	}
	/* _exit(): nothing of this process's (stdio buffers, SQLite, libgit2) is undone twice. */
	_exit(f && fflush(f) == 0 && !ferror(f) && r == 0 ? 0 : 1);
}

/* The child's file, read back: the next field, or NULL at its end. */
struct history_in {
	FILE *f;
	pid_t pid;                      /* the child that writes it */
	bool reaped;                    /* it has ended, with status */
	bool said;                      /* it wrote why it failed (its "E" record) */
	int status;
	char *buf;
	size_t cap;
	struct buf field;
	bool bad;
};

/*
 * After the end of what the child has written so far: whether more may come. Not once the
 * child has ended (after one more look: what it wrote before it ended is there).
 */
static bool
history_more(struct history_in *in)
{
	pid_t p;

	if (in->reaped)
		return false;
	while ((p = waitpid(in->pid, &in->status, WNOHANG)) < 0 && errno == EINTR)
		;
	if (p != 0) {
		in->reaped = true;
		if (p < 0)
			in->status = 1 << 8;    /* as if it had failed: exit 1 */
		return true;
	}
	nanosleep(&(struct timespec){0, 1000000}, NULL);
	return true;
}

/* The next field, once the child has written it whole; NULL at the end, or on an error. */
static const char *
field_get(struct history_in *in)
{
	in->field.len = 0;
	for (;;) {
		ssize_t n = getdelim(&in->buf, &in->cap, '\0', in->f);

		if (n > 0)
			buf_add(&in->field, in->buf, (size_t)n);
		if (n > 0 && in->buf[n - 1] == '\0')
			return in->field.data;
		if (ferror(in->f) || !history_more(in)) {
			in->bad = true;
			return NULL;
		}
		clearerr(in->f);
	}
}

static bool
field_num_get(struct history_in *in, long long lo, long long hi, long long *out)
{
	const char *s = field_get(in);
	char *end;

	if (s == NULL)
		return false;
	errno = 0;
	*out = strtoll(s, &end, 10);
	if (errno || end == s || *end || *out < lo || *out > hi)
		in->bad = true;
	return !in->bad;
}

static bool
field_copy(struct history_in *in, char *out, size_t size)
{
	const char *s = field_get(in);

	if (s == NULL || strlen(s) >= size)
		return !(in->bad = true);
	memcpy(out, s, strlen(s) + 1);
	return true;
}

static char *
field_dup(struct history_in *in)
{
	const char *s = field_get(in);

	return s ? xstrdup(s) : NULL;
}

/* The next record into rec: 1 a commit, 0 the end ("Z"), -1 an error, with err_set(). */
static int
history_get(struct history_in *in, struct commit_rec *rec)
{
	const char *type = field_get(in);
	long long np, off, n;

	commit_rec_clear(rec);
	if (type && strcmp(type, "Z") == 0)
		return 0;
	if (type && strcmp(type, "E") == 0) {
		const char *why = field_get(in);

		in->said = why != NULL;
		err_set("%s", why ? why : "cannot read the history of the store");
		return -1;
	}
	if (type == NULL || strcmp(type, "C") != 0 || !field_copy(in, rec->hex, sizeof rec->hex) ||
	    !field_num_get(in, 0, COMMIT_PARENTS, &np))
		goto bad;
	rec->np = (unsigned)np;
	for (unsigned p = 0; p < rec->np; p++)
		if (!field_copy(in, rec->parent[p], sizeof rec->parent[p]))
			goto bad;
	if (!field_num_get(in, LLONG_MIN, LLONG_MAX, &rec->time) ||
	    !field_num_get(in, INT_MIN, INT_MAX, &off) ||
	    (rec->author = field_dup(in)) == NULL || (rec->email = field_dup(in)) == NULL ||
	    (type = field_get(in)) == NULL)
		goto bad;
	rec->offset = (int)off;
	if (strcmp(type, "1") == 0 && (rec->program = field_dup(in)) == NULL)
		goto bad;
	if (!field_num_get(in, 0, LLONG_MAX, &n))
		goto bad;
	for (long long i = 0; i < n; i++) {
		struct change_seen c = {0};
		const char *what;

		xgrow((void **)&rec->ch, &rec->cap, rec->n + 1, sizeof *rec->ch);
		if ((c.case_id = field_dup(in)) == NULL || (c.file = field_dup(in)) == NULL ||
		    (what = field_get(in)) == NULL || strlen(what) != 1) {
			free(c.case_id);
			free(c.file);
			goto bad;
		}
		c.what = what[0];
		rec->ch[rec->n++] = c;
		if (!field_copy(in, rec->ch[rec->n - 1].blob, sizeof rec->ch[rec->n - 1].blob))
			goto bad;
	}
	return 1;
bad:
	err_set("cannot read the history of the store: "
	    "its second reader's file is cut short or damaged");
	return -1;
}

/*
 * Starts the child on ids[*m..n) and sets *m to where this process stops; *m = n, and no
 * child, when the history is not split (a failure to start one included: it is only slower).
 * *fd: this process's way to read the child's file, with an offset of its own, as it is
 * written.
 */
static void
history_split(struct history *h, const git_oid *ids, size_t n, size_t *m, pid_t *pid, int *fd)
{
	pid_t parent;
	size_t mine;
	char *tmp;
	int wfd;

	*m = n;
	*pid = -1;
	*fd = -1;
	if (h->ix->memory || n < SPLIT_MIN || sysconf(_SC_NPROCESSORS_ONLN) < 2)
		return;
	/* In the git directory beside the index, as private as it (0600), unnamed at once. */
	tmp = xasprintf("%s/casus-index-XXXXXX", store_path(h->ix->s));
	if ((wfd = mkstemp(tmp)) >= 0) {
		*fd = open(tmp, O_RDONLY | O_CLOEXEC);
		unlink(tmp);
	}
	free(tmp);
	if (*fd < 0) {
		if (wfd >= 0)
			close(wfd);
		return;
	}
	fflush(NULL);
	parent = getpid();
	mine = n * SPLIT_SHARE / 100;
	*pid = fork();
	if (*pid == 0) {
		/* Ended with this process, however it ends: no orphan goes on reading. */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
			_exit(1);
		close(*fd);
		history_child(h, ids + mine, n - mine, wfd);
	}
	close(wfd);
	if (*pid < 0) {
		close(*fd);
		*fd = -1;
		return;
	}
	*m = mine;
}

/*
 * Writes what the child read to the tables, as it writes it, and waits for it to end; unless
 * r says this process failed already: the child is then stopped. r, or what the child's file
 * gave.
 */
static int
history_join(struct history *h, int r, pid_t pid, int fd, struct index_stats *st)
{
	struct history_in in = {.pid = pid};
	struct commit_rec rec = {0};
	int got = 0;
	bool stopped = false;

	if (r == 0 && (in.f = fdopen(fd, "r")) == NULL) {
		err_set("cannot read the history of the store: %s", strerror(errno));
		h->ix->own_failure = true;
		r = -1;
	}
	while (r == 0 && (got = history_get(&in, &rec)) > 0) {
		r = commit_store(h, &rec);
		if (r == 0 && st) {
			st->commits++;
			st->split++;
		}
	}
	if (!in.reaped) {
		if (r != 0 || got < 0) {
			kill(pid, SIGTERM);
			stopped = true;
		}
		while (waitpid(pid, &in.status, 0) < 0 && errno == EINTR)
			;
	}
	/*
	 * What the child said of its failure, if it could (the store's); else how it ended, which
	 * is this build's own failure (its file cut short: a full disk; the child killed).
	 */
	if (r == 0 && got < 0) {
		r = -1;
		h->ix->own_failure = h->ix->own_failure || !in.said;
	}
	if ((r == 0 || got < 0) && !stopped && WIFSIGNALED(in.status)) {
		err_set("cannot read the history of the store: "
		    "its second reader was killed by signal %d", WTERMSIG(in.status));
		h->ix->own_failure = true;
		r = -1;
	} else if (r == 0 && !(WIFEXITED(in.status) && WEXITSTATUS(in.status) == 0)) {
		err_set("cannot read the history of the store: its second reader failed");
		h->ix->own_failure = true;
		r = -1;
	}
	commit_rec_free(&rec);
	free(in.buf);
	buf_free(&in.field);
	if (in.f)
		fclose(in.f);
	else
		close(fd);
	return r;
}

/*
 * A rebuild drops the tables and makes them anew (create_tables()) in a thread of its own
 * while this one lists the commits (commits_new()) and starts the child that reads the newer
 * part of the history (history_split()): none touches what the others do. At 10,000 cases and
 * 73,629 commits dropping takes 0.14-0.21 s, and listing took 0.64 s with libgit2's revwalk;
 * from git's commit-graph (graph.c) it takes 0.03 s, and the child then waited for the drop.
 * The child is forked with this thread running: it holds none of libgit2's locks nor pack.c's
 * (it only works SQLite's, which the child never uses), and glibc's fork() takes malloc's;
 * the sanitizers' allocators do not, and there the thread is joined first (FORK_ALONE).
 */
struct tables_job {
	struct index *ix;
	pthread_t thread;
	bool running;                   /* the thread is to be joined (tables_wait()) */
	int r;
	char *err;                      /* malloc'd: the thread's error is its own (msg.c) */
};

static void *
tables_run(void *arg)
{
	struct tables_job *job = arg;

	if ((job->r = create_tables(job->ix)) < 0)
		job->err = xstrdup(err_last());
	err_clear();
	return NULL;
}

/* Makes the tables anew, in a thread (*job running) or, failing that, here: 0, or -1. */
static int
tables_start(struct tables_job *job, struct index *ix)
{
	*job = (struct tables_job){.ix = ix};
	job->running = pthread_create(&job->thread, NULL, tables_run, job) == 0;
	return job->running ? 0 : create_tables(ix);
}

/* Waits for the thread of job, if it runs: 0, or -1 with its error. */
static int
tables_wait(struct tables_job *job)
{
	int r = 0;

	if (job == NULL || !job->running)
		return 0;
	pthread_join(job->thread, NULL);
	job->running = false;
	if (job->r < 0) {
		err_set("%s", job->err);
		r = -1;
	}
	free(job->err);
	job->err = NULL;
	return r;
}

/*
 * Records the commits ids (oldest first): their authors, dates, and the case files they
 * changed. sc, when not NULL, the cases of a full build, whose reader begins once this
 * process has read its part of the history (scan_start()); job, when not NULL, the thread
 * making the tables, waited for once the child is started.
 */
static int
commits_update(struct index *ix, const git_oid *ids, size_t n, struct scan *sc,
    struct tables_job *job, struct index_stats *st)
{
	struct history h = {.ix = ix, .memo.nslots = memo_slots(n)};
	struct commit_rec rec = {0};
	size_t m = n;
	pid_t pid = -1;
	int fd = -1, r = 0;

	gens_init(&h.gens, n);
	if (git_repository_odb(&h.odb, ix->repo) < 0)
		r = store_git_fail("read the store", NULL);
	if (FORK_ALONE && r == 0 && tables_wait(job) < 0)
		r = -1;
	if (r == 0)
		history_split(&h, ids, n, &m, &pid, &fd);
	if (tables_wait(job) < 0)
		r = -1;
	if (r == 0) {
		h.commit_row = prepare(ix,
		    "INSERT OR REPLACE INTO commits VALUES(?, ?, ?, ?, ?, ?, ?, ?)");
		h.change_row = prepare(ix, "INSERT OR REPLACE INTO changes VALUES(?, ?, ?, ?, ?)");
		h.gen_of = prepare(ix, "SELECT gen FROM commits WHERE id = ?");
		if (h.commit_row == NULL || h.change_row == NULL || h.gen_of == NULL)
			r = -1;
	}
	for (size_t i = 0; r == 0 && i < m; i++) {
		if ((r = commit_read(&h, &ids[i], &rec)) == 0)
			r = commit_store(&h, &rec);
		if (r == 0 && st)
			st->commits++;
	}
	if (pid > 0) {
		if (r == 0 && sc)
			scan_start(sc);
		r = history_join(&h, r, pid, fd, st);
	}
	commit_rec_free(&rec);
	memo_free(&h.memo);
	free(h.gens.slot);
	git_odb_free(h.odb);
	sqlite3_finalize(h.commit_row);
	sqlite3_finalize(h.change_row);
	sqlite3_finalize(h.gen_of);
	return r;
}

/* git's commit-graph. */

/* Whether the store has a commit-graph of git's, whole or split. */
static bool
graph_exists(struct index *ix)
{
	const char *dir = store_path(ix->s);
	char *a = xasprintf("%s/objects/info/commit-graph", dir);
	char *b = xasprintf("%s/objects/info/commit-graphs/commit-graph-chain", dir);
	bool yes = access(a, F_OK) == 0 || access(b, F_OK) == 0;

	free(a);
	free(b);
	return yes;
}

/*
 * Writes git's commit-graph with changed-path Bloom filters, as a new layer on the split
 * chain: what makes a reviewer's `git log -- <case folder>` fast (5.2 s to 1.5 s at 50,000
 * cases). libgit2 1.5 cannot write Bloom filters, so the git command does it; where there is
 * no git command, or it fails (another is writing the graph), the store goes on without.
 */
static bool
graph_write(struct index *ix)
{
	char *dir = xasprintf("--git-dir=%s", store_path(ix->s));
	char *argv[] = {"git", dir, "commit-graph", "write", "--reachable", "--changed-paths",
	    "--split", "--no-progress", NULL};
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int status = -1;
	bool ok = false;

	if (posix_spawn_file_actions_init(&fa) != 0) {
		free(dir);
		return false;
	}
	posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
	if (posix_spawnp(&pid, "git", &fa, NULL, argv, environ) == 0) {
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
	}
	posix_spawn_file_actions_destroy(&fa);
	free(dir);
	return ok;
}

/* Opening and updating. */

/* The tip of the branch, or *unborn. */
static int
tip_of(struct index *ix, git_oid *tip, bool *unborn)
{
	int r = git_reference_name_to_id(tip, ix->repo, "refs/heads/main");

	*unborn = r == GIT_ENOTFOUND;
	return r == 0 || *unborn ? 0 : store_git_fail("read the branch of the store", NULL);
}

/*
 * The update, in a write transaction (BEGIN IMMEDIATE: one updater at a time, the others wait
 * and then find nothing left to do). Readers keep the snapshot they began with meanwhile (WAL).
 */
static int
update(struct index *ix, unsigned flags, struct index_stats *st, const git_oid *want)
{
	char rec[GIT_OID_HEXSZ + 1], count[32];
	git_oid tip, from;
	bool unborn, rebuild = flags & INDEX_REBUILD, graph;
	const char *why = rebuild ? "asked to" : NULL;
	long long n;
	git_oid *ids = NULL;
	size_t nids = 0;
	bool ancestor;
	struct tables_job job = {0};
	int r;

	if (exec(ix, "PRAGMA cache_size = " UPDATE_CACHE "; BEGIN IMMEDIATE") < 0)
		return -1;
	if (user_version(ix) != INDEX_VERSION) {
		why = user_version(ix) == 0 ? "no index yet" : "its version changed";
		rebuild = true;
	}
	r = tip_of(ix, &tip, &unborn);
	if (want) {
		tip = *want;
		unborn = false;
	}
	if (r == 0 && !rebuild)
		r = meta_get(ix, "commit", rec, sizeof rec);
	if (r == 0 && !rebuild) {
		git_commit *c = NULL;

		if (unborn ? rec[0] != '\0' : git_oid_fromstr(&from, rec) < 0) {
			why = rec[0] ? "the commit it reflects is gone" : "it reflects no commit";
			rebuild = !unborn || rec[0];
		} else if (unborn) {
			/* empty store, empty index */
		} else if (git_oid_equal(&from, &tip)) {
			goto done;
		} else if (git_commit_lookup(&c, ix->repo, &from) < 0) {
			why = "the commit it reflects is gone";
			rebuild = true;
		} else if ((r = commits_new(ix, &from, &tip, &ids, &nids, &ancestor)) == 0 && !ancestor) {
			why = "the commit it reflects is not an ancestor of the tip";
			rebuild = true;
		}
		git_commit_free(c);
		if (r == 0)
			git_error_clear();
	}
	/*
	 * A rebuild reads every object of the history, 400,000 at 10,000 cases, and reading the
	 * packs mapped is the faster for that (pack_map()): 4.1-4.4 s against 6.9-7.7 s with
	 * pack.c's pread()s (a third of it in the kernel), for 140 MB against 75 (/usr/bin/time,
	 * two runs each, interleaved, at 73,629 commits, a loaded machine; quiet, mapped takes
	 * 3.4-3.6 s).
	 */
	if (r == 0 && rebuild && !unborn)
		r = pack_map(ix->repo);
	if (r == 0 && rebuild) {
		free(ids);
		ids = NULL;
		if (unborn)
			r = create_tables(ix);
		else if ((r = tables_start(&job, ix)) == 0 &&
		    (r = commits_new(ix, NULL, &tip, &ids, &nids, &ancestor)) < 0)
			tables_wait(&job);
	}
	if (r == 0 && !unborn) {
		struct scan sc = {0};

		if (rebuild)
			scan_open(&sc, ix->s, &tip);
		r = commits_update(ix, ids, nids, rebuild ? &sc : NULL, &job, st);
		if (r == 0)
			r = cases_update(ix, rebuild ? NULL : &from, &tip, &sc, st);
		scan_close(&sc);
	}
	free(ids);
	if (r == 0)
		r = meta_set(ix, "commit", unborn ? "" : git_oid_tostr(rec, sizeof rec, &tip));
	/*
	 * git's commit-graph: due when GRAPH_EVERY commits were added since it was last written
	 * (after a rebuild: since then). Writing the first one is case-index's, since it takes
	 * seconds in a big store; from then on each layer takes only the new commits.
	 */
	graph = false;
	if (r == 0 && !ix->memory && !unborn) {
		/* Meta "graph": the commits added since git's commit-graph was last written. */
		if (!rebuild)
			r = meta_get(ix, "graph", count, sizeof count);
		n = rebuild ? 0 : atoll(count) + (long long)nids;
		graph = r == 0 && n >= GRAPH_EVERY && graph_exists(ix);
		snprintf(count, sizeof count, "%lld", graph ? 0 : n);
		if (r == 0)
			r = meta_set(ix, "graph", count);
	}
	/*
	 * A rebuild is written to the WAL twice, committed and then VACUUMed. The checkpoint
	 * SQLite makes after a commit of more than 1,000 pages (wal_autocheckpoint), which copies
	 * them into the file, is left to after the VACUUM: the file is written once, not twice.
	 * At 10,000 cases, COMMIT, VACUUM and checkpoint took 0.44-0.47 s against 0.49-0.57
	 * (four runs each, interleaved, pages of 4 KiB); with 16 KiB, 0.23-0.26 s, of it 93 ms
	 * the fsync() of the WAL by the checkpoint (strace -T).
	 */
	if (ix->vacuum_due)
		sqlite3_exec(ix->db, "PRAGMA wal_autocheckpoint = 0", NULL, NULL, NULL);
	if (r == 0 && exec(ix, "COMMIT; PRAGMA cache_size = " READ_CACHE) == 0) {
		if (st) {
			st->rebuilt = rebuild;
			st->reason = ix->memory ? "in memory, not kept" : why;
		}
		ix->graph_due = graph;
		/*
		 * Outside the update's transaction, as VACUUM must be: the answers are the
		 * same without it, so a VACUUM that fails (another program updating, a full
		 * disk) leaves only the layout as it was.
		 */
		if (ix->vacuum_due)
			sqlite3_exec(ix->db, "VACUUM", NULL, NULL, NULL);
	} else {
		sqlite3_exec(ix->db, "ROLLBACK; PRAGMA cache_size = " READ_CACHE, NULL, NULL, NULL);
		r = -1;
	}
	/*
	 * Back to SQLite's default. A checkpoint kept from copying some pages by another program's
	 * read is no failure: the pages are copied by a later one.
	 */
	if (ix->vacuum_due)
		sqlite3_exec(ix->db, "PRAGMA wal_autocheckpoint = 1000; PRAGMA wal_checkpoint(PASSIVE)",
		    NULL, NULL, NULL);
	ix->vacuum_due = false;
	return r;
done:
	return exec(ix, "COMMIT; PRAGMA cache_size = " READ_CACHE);
}

/* Begins the read snapshot that every answer comes from, and notes its commit. */
static int
snapshot(struct index *ix)
{
	if (exec(ix, "BEGIN") < 0)
		return -1;
	ix->snapshot = true;
	ix->commit[0] = '\0';
	/* A file of another version, or new, has no tables to read: it is to be built. */
	if (user_version(ix) != INDEX_VERSION)
		return 0;
	return meta_get(ix, "commit", ix->commit, sizeof ix->commit);
}

/* Whether the snapshot is of the tip: then nothing is to be updated. */
static int
current(struct index *ix, bool *yes)
{
	git_oid tip;
	bool unborn;
	char hex[GIT_OID_HEXSZ + 1];

	*yes = false;
	if (user_version(ix) != INDEX_VERSION)
		return 0;
	if (tip_of(ix, &tip, &unborn) < 0)
		return -1;
	*yes = strcmp(ix->commit, unborn ? "" : git_oid_tostr(hex, sizeof hex, &tip)) == 0;
	return 0;
}

static void
end_snapshot(struct index *ix)
{
	if (ix->snapshot)
		sqlite3_exec(ix->db, "COMMIT", NULL, NULL, NULL);
	ix->snapshot = false;
}

static int
db_setup(struct index *ix)
{
	sqlite3_busy_timeout(ix->db, INDEX_BUSY_MS);
	/*
	 * WAL: readers go on while one updates. synchronous=NORMAL: a crash may lose the last
	 * update, never the file's consistency, and the index is rebuilt from git in any case.
	 */
	if (exec(ix, "PRAGMA page_size = " INDEX_PAGE) < 0 ||
	    (!ix->memory && exec(ix, "PRAGMA journal_mode = WAL") < 0))
		return -1;
	return exec(ix, "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = OFF;"
	    "PRAGMA mmap_size = " INDEX_MMAP);
}

/*
 * Opens the file; it is created 0660 before SQLite sees it, since SQLite creates files 0644
 * less the umask, and the group that shares the store must be able to update it (the WAL and
 * shared-memory files take the database file's mode).
 */
static int
db_open(struct index *ix)
{
	char *path = xasprintf("%s/%s", store_path(ix->s), INDEX_FILE);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0660), r = -1;

	if (fd >= 0) {
		close(fd);
		if (sqlite3_open_v2(path, &ix->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) ==
		    SQLITE_OK)
			r = db_setup(ix);
	}
	/* On failure ix->db stays open for db_drop() to tell why. */
	if (r < 0)
		ix->own_failure = true;
	free(path);
	return r;
}

static int
memory_open(struct index *ix)
{
	ix->memory = true;
	if (sqlite3_open_v2(":memory:", &ix->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
	    NULL) != SQLITE_OK) {
		err_set("cannot open an index in memory: %s", sqlite3_errmsg(ix->db));
		return -1;
	}
	return db_setup(ix);
}

/* Brings ix up to date and begins the snapshot. */
static int
bring_up(struct index *ix, unsigned flags, struct index_stats *st)
{
	bool yes = false;

	if (!(flags & INDEX_REBUILD)) {
		if (snapshot(ix) < 0 || current(ix, &yes) < 0)
			return -1;
		if (yes)
			return 0;
		end_snapshot(ix);
	}
	if (update(ix, flags, st, NULL) < 0)
		return -1;
	return snapshot(ix);
}

/* Closes ix's database after a failure; whether SQLite found the file damaged or not its own. */
static bool
db_drop(struct index *ix)
{
	int code = ix->db ? sqlite3_errcode(ix->db) : SQLITE_OK;

	end_snapshot(ix);
	sqlite3_close(ix->db);
	ix->db = NULL;
	return code == SQLITE_CORRUPT || code == SQLITE_NOTADB;
}

/* Removes a damaged index, with its WAL and shared-memory files: the next open builds it again. */
static void
db_remove(struct index *ix)
{
	static const char *const ext[] = {"", "-wal", "-shm"};

	for (size_t i = 0; i < sizeof ext / sizeof *ext; i++) {
		char *path = xasprintf("%s/%s%s", store_path(ix->s), INDEX_FILE, ext[i]);

		unlink(path);
		free(path);
	}
}

bool
index_off(void)
{
	const char *env = getenv("CASUS_INDEX");

	return env && strcmp(env, "off") == 0;
}

int
index_open(struct store *s, unsigned flags, struct index **out, struct index_stats *st)
{
	long long start = clock_ns();
	struct index *ix = xcalloc(1, sizeof *ix);
	bool memory = (flags & INDEX_MEMORY) || index_off();

	*out = NULL;
	ix->s = s;
	ix->repo = store_git(s);
	for (int attempt = 0; !memory && attempt < 2; attempt++) {
		if (st)
			*st = (struct index_stats){0};
		ix->own_failure = false;
		if (db_open(ix) == 0 && bring_up(ix, flags, st) == 0) {
			if (st)
				st->ms = (clock_ns() - start) / 1e6;
			/* After the update is committed: git takes its own lock, and its time. */
			if ((ix->graph_due || ((flags & INDEX_GRAPH) && (!graph_exists(ix) ||
			    (flags & INDEX_REBUILD)))) && ix->commit[0]) {
				bool written = graph_write(ix);

				if (st)
					st->graph = written;
			}
			*out = ix;
			return 0;
		}
		if (!db_drop(ix))
			break;
		/* Derived, so thrown away: a damaged file is built again. */
		db_remove(ix);
	}
	/*
	 * An index that cannot be written (a read-only mount, a full disk) is built in memory
	 * instead: slower, the same answers. A store that cannot be read would only fail again,
	 * after reading the whole history a second time: it fails now, with what it said first.
	 */
	if (!memory && !ix->own_failure) {
		index_close(ix);
		return -1;
	}
	err_clear();
	if (st)
		*st = (struct index_stats){0};
	if (memory_open(ix) < 0 || bring_up(ix, flags | INDEX_REBUILD, st) < 0) {
		index_close(ix);
		return -1;
	}
	if (st)
		st->ms = (clock_ns() - start) / 1e6;
	*out = ix;
	return 0;
}

void
index_close(struct index *ix)
{
	if (ix == NULL)
		return;
	end_snapshot(ix);
	sqlite3_close(ix->db);
	free(ix);
}

const char *
index_commit(const struct index *ix)
{
	return ix->commit;
}

int
index_view(struct index *ix, struct view **out)
{
	if (ix->commit[0] == '\0')
		return store_view(ix->s, out);
	return store_view_commit(ix->s, ix->commit, out);
}

/* Reading the cases. */

/*
 * A case as cases_read() hands it over: its strings borrowed from the statements' rows and from
 * a buffer kept from case to case, its arrays kept too. A scan over 10,000 cases did ~15
 * mallocs a case (strdup of every column) before: 18% of overleg-schedule (perf, dwarf).
 */
struct reader {
	struct index_case c;
	size_t ocap, rcap;
	struct buf text;                /* the records' IDs, NUL-separated; c.records point in */
	/*
	 * Where each record's ID and withdrawn ID (SIZE_MAX: none) start in text, until the
	 * case is read whole and text grows no more: then records_place() makes them pointers.
	 */
	struct record_at {
		size_t id, withdraws;
	} *at;
	size_t atcap;
};

/*
 * The select of the cases (one, with id, or all by ID), with the domains' columns or without:
 * malloc'd. Without them, overleg-schedule reads a third of the columns it did (SELECT *), and
 * five fewer words a case to look up.
 */
static char *
cases_select(bool one, bool domains)
{
	struct buf b = {0};

	buf_adds(&b, "SELECT id, ok, institution, status");
	case_columns(&b, "", domains);
	buf_adds(&b, one ? " FROM cases WHERE id = ?1" : " FROM cases ORDER BY id");
	return buf_detach(&b);
}

/* The columns of cases_select(), in c: its domains only when the select has them. */
static void
case_row(sqlite3_stmt *st, struct index_case *c, bool domains)
{
	int col = 4;

	c->id = (char *)column_text(st, 0);
	c->ok = sqlite3_column_int(st, 1) != 0;
	c->institution = (char *)column_text(st, 2);
	c->status = column_word(st, 3, vocab_plan_status);
	for (int i = 0; i < PD_N; i++)
		c->dates[i] = column_date(st, col++);
	for (int i = 0; domains && i < DOMAIN_N; i++) {
		c->domain_status[i] = column_word(st, col++, vocab_domain_status);
		c->domain_owner[i] = (char *)column_text(st, col++);
	}
	if (domains) {
		c->assessed = column_date(st, col++);
		c->closed = column_date(st, col++);
	}
}

static void
overleg_row(sqlite3_stmt *st, struct reader *rd)
{
	struct index_case *c = &rd->c;

	xgrow((void **)&c->overlegs, &rd->ocap, c->noverlegs + 1, sizeof *c->overlegs);
	c->overlegs[c->noverlegs++] = (struct index_overleg){
		.date = column_date(st, 1), .kind = column_word(st, 2, vocab_overleg_kinds),
		.status = column_word(st, 3, vocab_overleg_status),
	};
}

/* A record's strings go to rd->text, and where they start to rd->at: records_place() ends it. */
static void
record_row(sqlite3_stmt *st, struct reader *rd)
{
	struct index_case *c = &rd->c;
	const char *id = column_text(st, 1), *w = column_text(st, 4);
	size_t n = c->nrecords;

	xgrow((void **)&c->records, &rd->rcap, n + 1, sizeof *c->records);
	xgrow((void **)&rd->at, &rd->atcap, n + 1, sizeof *rd->at);
	rd->at[n].id = rd->text.len;
	buf_add(&rd->text, id, strlen(id) + 1);
	rd->at[n].withdraws = w ? rd->text.len : SIZE_MAX;
	if (w)
		buf_add(&rd->text, w, strlen(w) + 1);
	c->records[n] = (struct index_record){
		.kind = column_word(st, 2, vocab_record_kinds), .date = column_date(st, 3),
	};
	c->nrecords++;
}

static void
records_place(struct reader *rd)
{
	for (size_t i = 0; i < rd->c.nrecords; i++) {
		struct index_record *r = &rd->c.records[i];

		r->id = rd->text.data + rd->at[i].id;
		r->withdraws = rd->at[i].withdraws == SIZE_MAX ? NULL :
		    rd->text.data + rd->at[i].withdraws;
	}
}

/* Records are kept in the order records_read() gives: by date, then by ID. */
static int
record_cmp(const void *a, const void *b)
{
	const struct index_record *x = a, *y = b;
	int c = date_cmp(x->date, y->date);

	return c ? c : strcmp(x->id, y->id);
}

/*
 * Reads every case, or the one case id, from up to three ordered selects walked side by side:
 * the cases, and as parts asks their consultations and their records, each sorted by case ID.
 */
static int
cases_read(struct index *ix, const char *id, unsigned parts, index_case_fn fn, void *arg,
    bool *found)
{
	static const char *const sql[2][3] = {
		{NULL,
		    "SELECT case_id, date, kind, status FROM overlegs ORDER BY case_id, date",
		    "SELECT case_id, id, kind, date, withdraws FROM records ORDER BY case_id"},
		{NULL,
		    "SELECT case_id, date, kind, status FROM overlegs WHERE case_id = ?1 ORDER BY date",
		    "SELECT case_id, id, kind, date, withdraws FROM records WHERE case_id = ?1"},
	};
	bool want[3] = {true, parts & INDEX_OVERLEGS, parts & INDEX_RECORDS};
	bool domains = parts & INDEX_DOMAINS;
	char *select = cases_select(id != NULL, domains);
	sqlite3_stmt *st[3] = {NULL};
	int more[3] = {SQLITE_DONE, SQLITE_DONE, SQLITE_DONE}, r = 0;
	struct reader rd = {0};

	*found = false;
	for (int i = 0; i < 3; i++) {
		if (!want[i])
			continue;
		if ((st[i] = prepare(ix, i == 0 ? select : sql[id != NULL][i])) == NULL) {
			r = -1;
			goto done;
		}
		if (id)
			sqlite3_bind_text(st[i], 1, id, -1, SQLITE_STATIC);
		more[i] = sqlite3_step(st[i]);
	}
	while (r == 0 && more[0] == SQLITE_ROW) {
		struct index_case *c = &rd.c;

		case_row(st[0], c, domains);
		c->noverlegs = c->nrecords = 0;
		rd.text.len = 0;
		*found = true;
		/* Rows of a case that the cases table lacks cannot be written; passed over. */
		while (more[1] == SQLITE_ROW && strcmp(column_text(st[1], 0), c->id) <= 0) {
			if (strcmp(column_text(st[1], 0), c->id) == 0)
				overleg_row(st[1], &rd);
			more[1] = sqlite3_step(st[1]);
		}
		while (more[2] == SQLITE_ROW && strcmp(column_text(st[2], 0), c->id) <= 0) {
			if (strcmp(column_text(st[2], 0), c->id) == 0)
				record_row(st[2], &rd);
			more[2] = sqlite3_step(st[2]);
		}
		records_place(&rd);
		if (c->nrecords > 1)
			qsort(c->records, c->nrecords, sizeof *c->records, record_cmp);
		r = fn(arg, c);
		more[0] = sqlite3_step(st[0]);
	}
	for (int i = 0; r == 0 && i < 3; i++)
		if (more[i] != SQLITE_ROW && more[i] != SQLITE_DONE)
			r = db_fail(ix, "read");
done:
	free(select);
	free(rd.c.overlegs);
	free(rd.c.records);
	free(rd.at);
	buf_free(&rd.text);
	for (int i = 0; i < 3; i++)
		sqlite3_finalize(st[i]);
	return r;
}

int
index_cases(struct index *ix, unsigned parts, index_case_fn fn, void *arg)
{
	bool found;

	return cases_read(ix, NULL, parts, fn, arg, &found);
}

void
index_case_free(struct index_case *c)
{
	if (c == NULL)
		return;
	free(c->id);
	free(c->institution);
	for (int i = 0; i < DOMAIN_N; i++)
		free(c->domain_owner[i]);
	free(c->overlegs);
	for (size_t i = 0; i < c->nrecords; i++) {
		free(c->records[i].id);
		free(c->records[i].withdraws);
	}
	free(c->records);
	free(c);
}

static char *
dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

/* The one case, copied out of what cases_read() lends. */
static int
keep_case(void *arg, const struct index_case *c)
{
	struct index_case **out = arg, *k = xcalloc(1, sizeof *k);

	*k = *c;
	k->id = xstrdup(c->id);
	k->institution = dup_or_null(c->institution);
	for (int i = 0; i < DOMAIN_N; i++)
		k->domain_owner[i] = dup_or_null(c->domain_owner[i]);
	k->overlegs = c->noverlegs ? xcalloc(c->noverlegs, sizeof *k->overlegs) : NULL;
	if (c->noverlegs)
		memcpy(k->overlegs, c->overlegs, c->noverlegs * sizeof *k->overlegs);
	k->records = c->nrecords ? xcalloc(c->nrecords, sizeof *k->records) : NULL;
	for (size_t i = 0; i < c->nrecords; i++) {
		k->records[i] = c->records[i];
		k->records[i].id = xstrdup(c->records[i].id);
		k->records[i].withdraws = dup_or_null(c->records[i].withdraws);
	}
	*out = k;
	return 0;
}

int
index_case(struct index *ix, const char *id, struct index_case **out)
{
	bool found;

	*out = NULL;
	if (cases_read(ix, id, INDEX_DOMAINS | INDEX_OVERLEGS | INDEX_RECORDS, keep_case, out,
	    &found) < 0) {
		index_case_free(*out);
		*out = NULL;
		return -1;
	}
	return found ? 0 : STORE_NOTFOUND;
}

void
index_case_plan(const struct index_case *c, struct plan *out)
{
	*out = (struct plan){.case_id = c->id, .institution = c->institution ? c->institution : "",
	    .status = c->status};
	memcpy(out->dates, c->dates, sizeof out->dates);
	for (int i = 0; i < DOMAIN_N; i++) {
		out->domains[i].status = c->domain_status[i];
		out->domains[i].owner = c->domain_owner[i];
	}
}

void
index_case_overlegs(const struct index_case *c, struct overlegs *out)
{
	*out = (struct overlegs){0};
	for (size_t i = 0; i < c->noverlegs; i++) {
		struct overleg *ov = xcalloc(1, sizeof *ov);

		ov->date = c->overlegs[i].date;
		ov->kind = c->overlegs[i].kind;
		ov->status = c->overlegs[i].status;
		overlegs_add(out, ov);
	}
}

/* A case's history. */

int
index_case_log(struct index *ix, const char *id, const struct date *since, index_commit_fn fn,
    void *arg)
{
	/*
	 * One row per file changed, grouped by commit: ordered by date, then by generation (the
	 * later in the graph first), then by ID, so that a rebuilt index gives the same order.
	 */
	sqlite3_stmt *st = prepare(ix,
	    "SELECT c.id, c.parent, c.time, c.offset, c.author, c.email, c.program, x.file, x.what"
	    " FROM changes x JOIN commits c ON c.id = x.commit_id"
	    " WHERE x.case_id = ?1 AND c.time + 60 * c.offset >= ?2"
	    " ORDER BY c.time DESC, c.gen DESC, c.id, x.file");
	struct index_change *ch = NULL;
	size_t n = 0, cap = 0;
	struct index_commit c = {0};
	long long from = LLONG_MIN;
	int r = 0, step;

	if (st == NULL)
		return -1;
	if (since)
		from = (long long)date_to_days(*since) * 86400;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, from);
	step = sqlite3_step(st);
	while (r == 0 && step == SQLITE_ROW) {
		char *cid = xstrdup(column_text(st, 0)), *parent = NULL, *author, *email, *program = NULL;

		if (column_text(st, 1))
			parent = xstrdup(column_text(st, 1));
		c.time = sqlite3_column_int64(st, 2);
		c.offset = sqlite3_column_int(st, 3);
		author = xstrdup(column_text(st, 4));
		email = xstrdup(column_text(st, 5));
		if (column_text(st, 6))
			program = xstrdup(column_text(st, 6));
		n = 0;
		do {
			xgrow((void **)&ch, &cap, n + 1, sizeof *ch);
			ch[n].file = xstrdup(column_text(st, 7));
			ch[n].what = column_text(st, 8)[0];
			n++;
			step = sqlite3_step(st);
		} while (step == SQLITE_ROW && strcmp(column_text(st, 0), cid) == 0);
		c.id = cid;
		c.parent = parent;
		c.author = author;
		c.email = email;
		c.program = program;
		c.changes = ch;
		c.nchanges = n;
		r = fn(arg, &c);
		for (size_t i = 0; i < n; i++)
			free((char *)ch[i].file);
		free(cid);
		free(parent);
		free(author);
		free(email);
		free(program);
	}
	free(ch);
	if (r == 0 && step != SQLITE_ROW && step != SQLITE_DONE)
		r = db_fail(ix, "read");
	sqlite3_finalize(st);
	return r < 0 ? -1 : 0;
}

/* Checking. */

/* A table as index_check() compares it: its rows by key, and how a difference is named. */
static const struct table {
	const char *select;
	int keys;               /* the key's columns, first */
	const char *name;       /* printf format of the key's columns, in order */
} check_tables[] = {
	{"SELECT * FROM cases ORDER BY id", 1, "case %s"},
	{"SELECT * FROM overlegs ORDER BY case_id, date", 2, "case %s: consultation %s"},
	{"SELECT * FROM records ORDER BY case_id, id", 2, "case %s: record %s"},
	{"SELECT * FROM commits ORDER BY id", 1, "commit %s"},
	{"SELECT * FROM changes ORDER BY case_id, commit_id, file", 3, "case %s: commit %s: file %s"},
};

/* The row's key and the whole row, columns apart by 0x1f, NULL as 0x1e. */
static void
row_text(sqlite3_stmt *st, int keys, struct buf *key, struct buf *row)
{
	for (int i = 0; i < sqlite3_column_count(st); i++) {
		const char *v = column_text(st, i);
		struct buf *b = i < keys ? key : row;

		if (i > 0)
			buf_addc(b, '\x1f');
		buf_adds(b, v ? v : "\x1e");
	}
}

static char *
row_name(const struct table *t, sqlite3_stmt *st)
{
	const char *k[3] = {"", "", ""};

	for (int i = 0; i < t->keys && i < 3; i++)
		k[i] = column_text(st, i) ? column_text(st, i) : "";
	return xasprintf(t->name, k[0], k[1], k[2]);
}

static void
differ(void (*fn)(void *, const char *), void *arg, char *name, const char *how, long *n)
{
	char *line = xasprintf("%s: %s", name, how);

	fn(arg, line);
	free(line);
	free(name);
	(*n)++;
}

static int
table_check(struct index *ix, struct index *fresh, const struct table *t,
    void (*fn)(void *, const char *), void *arg, long *n)
{
	sqlite3_stmt *a = prepare(ix, t->select), *b = prepare(fresh, t->select);
	int ra, rb, r = 0;

	if (a == NULL || b == NULL) {
		sqlite3_finalize(a);
		sqlite3_finalize(b);
		return -1;
	}
	ra = sqlite3_step(a);
	rb = sqlite3_step(b);
	while (ra == SQLITE_ROW || rb == SQLITE_ROW) {
		struct buf ka = {0}, kb = {0}, va = {0}, vb = {0};
		int c;

		if (ra == SQLITE_ROW)
			row_text(a, t->keys, &ka, &va);
		if (rb == SQLITE_ROW)
			row_text(b, t->keys, &kb, &vb);
		c = ra != SQLITE_ROW ? 1 : rb != SQLITE_ROW ? -1 : strcmp((ka.data ? ka.data : ""), (kb.data ? kb.data : ""));
		if (c < 0)
			differ(fn, arg, row_name(t, a), "in the index, not in a rebuild", n);
		else if (c > 0)
			differ(fn, arg, row_name(t, b), "in a rebuild, not in the index", n);
		else if (strcmp((va.data ? va.data : ""), (vb.data ? vb.data : "")) != 0)
			differ(fn, arg, row_name(t, a), "differs from a rebuild", n);
		buf_free(&ka);
		buf_free(&kb);
		buf_free(&va);
		buf_free(&vb);
		if (c <= 0)
			ra = sqlite3_step(a);
		if (c >= 0)
			rb = sqlite3_step(b);
	}
	if ((ra != SQLITE_DONE && ra != SQLITE_ROW) || (rb != SQLITE_DONE && rb != SQLITE_ROW))
		r = db_fail(ix, "read");
	sqlite3_finalize(a);
	sqlite3_finalize(b);
	return r;
}

long
index_check(struct index *ix, void (*fn)(void *arg, const char *difference), void *arg)
{
	struct index fresh = {.s = ix->s, .repo = ix->repo};
	git_oid want;
	long n = 0;
	int r;

	r = memory_open(&fresh);
	if (r == 0 && ix->commit[0] && git_oid_fromstr(&want, ix->commit) < 0)
		err_set("cannot check the index: it reflects no commit"), r = -1;
	if (r == 0)
		r = update(&fresh, INDEX_REBUILD, NULL, ix->commit[0] ? &want : NULL);
	if (r == 0)
		r = snapshot(&fresh);
	for (size_t i = 0; r == 0 && i < sizeof check_tables / sizeof *check_tables; i++)
		r = table_check(ix, &fresh, &check_tables[i], fn, arg, &n);
	end_snapshot(&fresh);
	sqlite3_close(fresh.db);
	return r < 0 ? -1 : n;
}
