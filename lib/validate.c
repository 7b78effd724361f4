/*
 * validate.c: the check of a store's content, file by file (see validate.h). Reading and
 * checking are apart: a settings change reads each case once and checks it with the old and
 * the new settings; case-validate reads and checks once.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "caseid.h"
#include "case.h"
#include "consent.h"
#include "mem.h"
#include "msg.h"
#include "overleg.h"
#include "plan.h"
#include "quote.h"
#include "reintegration.h"
#include "schemas.h"
#include "validate.h"

/* The files a case folder may hold, and the entries the top of the store may hold. */
static const char *const case_files[] = {"plan.yaml", "reintegration.yaml", NULL};
/* The folders a case folder may hold, one file per event in each. */
static const char *const case_folders[] = {"consent", "overleg", NULL};
static const char *const root_entries[] = {CASUS_CONFIG, "cases", NULL};

/*
 * Whether a name from the tree is one casus could have written: a store written behind
 * casus's back may hold names with control characters, which must not reach the terminal
 * and which the store refuses to open.
 */
static bool
odd_name(const char *name)
{
	return !text_ok(name, strlen(name), false) || strcasecmp(name, ".git") == 0;
}

/* Reports an odd name found in the folder dir. */
static void
odd_entry(struct problems *ps, const char *dir, const char *name)
{
	char *n = quote_text_str(name);

	problems_add(ps, dir[0] ? dir : ".", 0, "", "unexpected entry '%s': a name casus never writes", n);
	free(n);
}

/*
 * Lists dir when it is a folder: 0 with its names, 1 when it is a file (nothing listed), -1 on
 * a store error, and for a link, a submodule or a file too large, which the caller reports as a
 * problem when it reads a file (check_file()), or fails on, with err_last() saying which. A
 * store that was written behind casus's back may hold anything anywhere.
 */
static int
list_dir(const struct view *v, const char *dir, char ***names, size_t *n)
{
	int r = view_list_folder(v, dir, names, n);

	return r == 1 && store_read_refused() ? -1 : r;
}

/* Reads path and checks it against the schema of kind; NULL (with problems) when it does not pass. */
static struct doc *
check_file(const struct view *v, const char *path, const char *kind, struct problems *ps, int *err)
{
	char *buf, **sub;
	size_t len, nsub;
	struct doc *d;
	int r = view_read(v, path, &buf, &len);

	if (r == STORE_NOTFOUND)
		return NULL;
	if (r < 0 && store_read_refused() && list_dir(v, path, &sub, &nsub) != 0) {
		/* Not a folder either: a link, a submodule, a file too large. Content, not a failure. */
		problems_add(ps, path, 0, "", "%s", err_last());
		err_clear();
		return NULL;
	}
	if (r < 0) {
		if (list_dir(v, path, &sub, &nsub) != 0) {
			*err = -1;
			return NULL;
		}
		store_list_free(sub, nsub);
		problems_add(ps, path, 0, "", "a folder where a file should be");
		return NULL;
	}
	d = casus_parse(buf, len, path, kind, ps);
	free(buf);
	return d;
}

/* A document of a case that passed its schema. */
struct case_file {
	char *path;
	enum { F_PLAN, F_REINTEGRATION, F_CONSENT, F_OVERLEG } kind;
	struct consent_record *rec;     /* F_CONSENT: owned by the records below */
	struct overleg *ov;             /* F_OVERLEG: owned by the consultations below */
};

struct case_files {
	char *id;
	struct case_file *v;
	size_t n, cap;
	struct records rs;              /* the case's consent records that decoded */
	bool rs_whole;                  /* and every entry of consent/ did, named as records_read() wants */
	struct overlegs o;              /* the case's consultations that decoded */
	struct plan *plan;              /* NULL when it is not valid */
	struct reintegration *reint;    /* NULL when there is none or it is not valid */
};

static void
add(struct case_files *cf, char *path, int kind, struct consent_record *rec, struct overleg *ov)
{
	xgrow((void **)&cf->v, &cf->cap, cf->n + 1, sizeof *cf->v);
	cf->v[cf->n++] = (struct case_file){.path = path, .kind = kind, .rec = rec, .ov = ov};
}

/* A document that passed its schema but not its decoder: reported, not trusted. */
static void
undecoded(const char *path, struct problems *ps)
{
	problems_add(ps, path, 0, "", "%s", err_last());
	err_clear();
}

/* An event's file is named after its key: "<id>.yaml", "<date>.yaml". Whether it is. */
static bool
named(struct problems *ps, const char *path, const char *name, const char *key, int line,
    const char *field)
{
	size_t klen = strlen(key);

	if (strncmp(name, key, klen) != 0 || strcmp(name + klen, ".yaml") != 0) {
		problems_add(ps, path, line, field, "'%s' does not match the file's name", key);
		return false;
	}
	return true;
}

/* Reads the records of one event folder (consent/ or overleg/) of case id. 0, or -1. */
static int
read_events(const struct view *v, const char *dir, const char *folder, struct case_files *cf,
    struct problems *ps)
{
	char *fdir = xasprintf("%s/%s", dir, folder), **names;
	size_t n;
	int err = 0, r = list_dir(v, fdir, &names, &n);
	bool consent = strcmp(folder, "consent") == 0;

	if (r != 0) {
		if (r == 1)
			problems_add(ps, fdir, 0, "", "a file where a folder should be");
		cf->rs_whole &= !consent || r == 0;
		free(fdir);
		return r < 0 ? -1 : 0;
	}
	for (size_t i = 0; i < n && err == 0; i++) {
		char *path = xasprintf("%s/%s", fdir, names[i]);
		struct consent_record *rec;
		struct overleg *ov;
		struct doc *d;

		if (odd_name(names[i])) {
			odd_entry(ps, fdir, names[i]);
			cf->rs_whole &= !consent;
			free(path);
			continue;
		}
		d = check_file(v, path, consent ? "consent" : "overleg", ps, &err);
		if (d == NULL) {
			cf->rs_whole &= !consent;
			free(path);
		} else if (consent && (rec = consent_decode(d)) != NULL) {
			/* records_read() refuses a record named otherwise, or of another case. */
			cf->rs_whole &= named(ps, path, names[i], rec->id, rec->id_line, "id") &&
			    strcmp(rec->case_id, cf->id) == 0;
			records_add(&cf->rs, rec);
			add(cf, path, F_CONSENT, rec, NULL);
		} else if (!consent && (ov = overleg_decode(d)) != NULL) {
			char day[11];

			named(ps, path, names[i], date_format(ov->date, day), ov->date_line, "date");
			if (strcmp(ov->case_id, cf->id) != 0)
				problems_add(ps, path, ov->case_id_line, "case_id",
				    "is '%s' but the case is '%s'", ov->case_id, cf->id);
			overlegs_add(&cf->o, ov);
			add(cf, path, F_OVERLEG, NULL, ov);
		} else {
			undecoded(path, ps);
			cf->rs_whole &= !consent;
			free(path);
		}
	}
	store_list_free(names, n);
	free(fdir);
	return err;
}

static void
read_plan(const struct view *v, const char *dir, struct case_files *cf, struct problems *ps,
    int *err)
{
	char *path = xasprintf("%s/plan.yaml", dir);
	struct doc *d = check_file(v, path, "plan", ps, err);

	if (d != NULL && (cf->plan = plan_decode(d)) == NULL)
		undecoded(path, ps);
	if (cf->plan != NULL)
		add(cf, path, F_PLAN, NULL, NULL);
	else
		free(path);
}

static void
read_reintegration(const struct view *v, const char *dir, struct case_files *cf,
    struct problems *ps, int *err)
{
	char *path = xasprintf("%s/reintegration.yaml", dir);
	struct doc *d = check_file(v, path, "reintegration", ps, err);

	if (d != NULL && (cf->reint = reintegration_decode(d)) == NULL)
		undecoded(path, ps);
	if (cf->reint != NULL)
		add(cf, path, F_REINTEGRATION, NULL, NULL);
	else
		free(path);
}

struct case_files *
case_files_read(const struct view *v, const char *dir, const char *id, char **names, size_t n,
    struct problems *ps)
{
	struct case_files *cf = xcalloc(1, sizeof *cf);
	bool has_plan = false;
	int err = 0;

	cf->id = xstrdup(id);
	cf->rs_whole = true;
	for (size_t i = 0; i < n && err == 0; i++) {
		has_plan |= strcmp(names[i], "plan.yaml") == 0;
		if (odd_name(names[i]))
			odd_entry(ps, dir, names[i]);
		else if (str_in_list(case_folders, names[i]))
			err = read_events(v, dir, names[i], cf, ps);
		else if (!str_in_list(case_files, names[i]))
			problems_add(ps, dir, 0, "", "unexpected file '%s'", names[i]);
	}
	if (err == 0 && !has_plan)
		problems_add(ps, dir, 0, "", "the case has no plan.yaml");
	if (err == 0 && has_plan)
		read_plan(v, dir, cf, ps, &err);
	if (err == 0)
		read_reintegration(v, dir, cf, ps, &err);
	if (err < 0) {
		case_files_free(cf);
		return NULL;
	}
	return cf;
}

void
case_files_check(const struct case_files *cf, const struct settings *cfg, struct problems *ps)
{
	struct case_data data = {.id = cf->id, .plan = cf->plan, .reint = cf->reint, .o = cf->o,
	    .rs = cf->rs};

	for (size_t i = 0; i < cf->n; i++) {
		const struct case_file *f = &cf->v[i];

		if (f->kind == F_PLAN && cfg)
			plan_check(cfg, cf->plan, cf->id, f->path, ps);
		else if (f->kind == F_REINTEGRATION && cfg)
			reintegration_check(cfg, cf->reint, cf->id, f->path, ps);
		else if (f->kind == F_CONSENT)
			consent_check(cfg, &data, f->rec, f->path, ps);
		else if (f->kind == F_OVERLEG && cfg)
			overleg_check(cfg, &data, f->ov, f->path, ps);
	}
}

void
case_files_free(struct case_files *cf)
{
	if (cf == NULL)
		return;
	for (size_t i = 0; i < cf->n; i++)
		free(cf->v[i].path);
	records_free(&cf->rs);
	overlegs_free(&cf->o);
	plan_free(cf->plan);
	reintegration_free(cf->reint);
	free(cf->v);
	free(cf->id);
	free(cf);
}

struct ranked {
	struct problem p;
	size_t i;
};

/* By file (the case's folder, then its files by path), else as they were found. */
static int
by_file(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;
	int c = strcmp(x->p.file ? x->p.file : "", y->p.file ? y->p.file : "");

	return c ? c : (x->i > y->i) - (x->i < y->i);
}

/* What is handed on of each case checked: case_checked_fn. */
struct checked {
	case_checked_fn fn;
	void *arg;
};

/*
 * Reads and checks the case id lying in the folder dir, whose entries are names, and hands it
 * on to c when it lies where its ID says (placed). 0 or -1.
 */
static int
check_case(const struct view *v, const struct settings *cfg, const char *dir, const char *id,
    char **names, size_t n, struct problems *ps, const struct checked *c, bool placed)
{
	size_t first = ps->n, k = 0;
	struct case_files *cf = case_files_read(v, dir, id, names, n, ps);
	struct ranked *r;
	int rc = 0;

	if (cf == NULL)
		return -1;
	case_files_check(cf, cfg, ps);
	if (c->fn != NULL && placed)
		rc = c->fn(c->arg, id, cf->rs_whole ? &cf->rs : NULL);
	case_files_free(cf);
	/*
	 * Reading comes before checking, so a file's schema problems and its check's would lie
	 * apart; each file's problems are told together, in the order of the paths.
	 */
	r = xcalloc(ps->n - first + 1, sizeof *r);
	for (size_t i = first; i < ps->n; i++, k++)
		r[k] = (struct ranked){ps->v[i], k};
	qsort(r, k, sizeof *r, by_file);
	for (size_t i = 0; i < k; i++)
		ps->v[first + i] = r[i].p;
	free(r);
	return rc < 0 ? -1 : 0;
}

static bool
hex2(const char *s)
{
	return strlen(s) == 2 && strchr("0123456789abcdef", s[0]) && strchr("0123456789abcdef", s[1]);
}

/* Checks one folder cases/<bucket>/<entry>: that it is a case, where its ID says, and valid. */
static int
check_entry(const struct view *v, const struct settings *cfg, const char *bdir, const char *name,
    struct problems *ps, const struct checked *c)
{
	char *dir, *want, **names;
	size_t n;
	int r;
	bool placed;

	if (odd_name(name)) {
		odd_entry(ps, bdir, name);
		return 0;
	}
	dir = xasprintf("%s/%s", bdir, name);
	r = list_dir(v, dir, &names, &n);
	if (r != 0) {
		if (r == 1)
			problems_add(ps, dir, 0, "", "unexpected file: cases/ holds only case folders");
		free(dir);
		return r < 0 ? -1 : 0;
	}
	if (case_id_check(name) < 0) {
		problems_add(ps, dir, 0, "", "'%s' is not a valid case ID", name);
		err_clear();
	} else {
		want = case_dir(name);
		placed = strcmp(want, dir) == 0;
		if (!placed)
			problems_add(ps, dir, 0, "", "case '%s' belongs in '%s'", name, want);
		free(want);
		r = check_case(v, cfg, dir, name, names, n, ps, c, placed);
	}
	store_list_free(names, n);
	free(dir);
	return r;
}

int
store_validate(const struct view *v, const struct settings *cfg, struct problems *ps,
    case_checked_fn fn, void *arg)
{
	const struct checked c = {fn, arg};
	char **top, **buckets, **ids;
	size_t ntop, nb, ni;
	int r;

	if (cfg != NULL)
		settings_check(cfg, CASUS_CONFIG, ps);
	if (view_list(v, "", &top, &ntop) < 0)
		return -1;
	for (size_t i = 0; i < ntop; i++)
		if (odd_name(top[i]))
			odd_entry(ps, "", top[i]);
		else if (!str_in_list(root_entries, top[i]))
			problems_add(ps, top[i], 0, "", "unexpected entry at the top of the store");
	store_list_free(top, ntop);
	r = list_dir(v, "cases", &buckets, &nb);
	if (r != 0) {
		if (r == 1)
			problems_add(ps, "cases", 0, "", "a file where the folder of cases should be");
		return r < 0 ? -1 : 0;
	}
	for (size_t b = 0; b < nb && r == 0; b++) {
		char *bdir;

		if (odd_name(buckets[b])) {
			odd_entry(ps, "cases", buckets[b]);
			continue;
		}
		bdir = xasprintf("cases/%s", buckets[b]);
		r = list_dir(v, bdir, &ids, &ni);
		if (r == 1 || (r == 0 && !hex2(buckets[b]))) {
			problems_add(ps, bdir, 0, "", "unexpected %s in cases/", r == 1 ? "file" : "folder");
			if (r == 0)
				store_list_free(ids, ni);
			r = 0;
		} else if (r == 0) {
			for (size_t i = 0; r == 0 && i < ni; i++)
				r = check_entry(v, cfg, bdir, ids[i], ps, &c);
			store_list_free(ids, ni);
		}
		free(bdir);
	}
	store_list_free(buckets, nb);
	return r;
}

int
case_validate(const struct view *v, const struct settings *cfg, const char *id,
    struct problems *ps, case_checked_fn fn, void *arg)
{
	const struct checked c = {fn, arg};
	char *dir = case_dir(id), **names;
	size_t n;
	int r = list_dir(v, dir, &names, &n);

	if (r == 0 && n == 0) {
		store_list_free(names, n);
		err_set("cannot find case '%s': no such case in this store", id);
		r = -1;
	} else if (r == 1) {
		problems_add(ps, dir, 0, "", "unexpected file: cases/ holds only case folders");
		r = 0;
	} else if (r == 0) {
		r = check_case(v, cfg, dir, id, names, n, ps, &c, true);
		store_list_free(names, n);
	}
	free(dir);
	return r;
}

/* Whether name is among the n names. */
static bool
listed(char **names, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return true;
	return false;
}

/*
 * Whether the entry name of the folder dir is still to be checked: it is in v (the change did
 * not remove it) and no earlier path led to it (seen). 1 yes, 0 no, -1 on error.
 */
static int
unchecked(const struct view *v, const char *dir, const char *name, char ***seen, size_t *nseen,
    size_t *cap)
{
	char *whole = xasprintf("%s%s%s", dir, *dir ? "/" : "", name), **names;
	size_t n;
	int r;

	if (listed(*seen, *nseen, whole)) {
		free(whole);
		return 0;
	}
	xgrow((void **)seen, cap, *nseen + 1, sizeof **seen);
	(*seen)[(*nseen)++] = whole;
	r = list_dir(v, dir, &names, &n);
	if (r != 0)
		return r < 0 ? -1 : 0;
	r = listed(names, n, name);
	store_list_free(names, n);
	return r;
}

/* The component of path that starts at *p, malloc'd; *p moves past it and its slash. */
static char *
component(const char **p)
{
	size_t n = strcspn(*p, "/");
	char *c = xstrndup(*p, n);

	*p += n + ((*p)[n] == '/');
	return c;
}

/* change_validate() for one path. */
static int
path_validate(const struct view *v, const struct settings *cfg, const char *path, char ***seen,
    size_t *nseen, size_t *cap, struct problems *ps)
{
	const char *p = path;
	char *top = component(&p), *bucket = NULL, *bdir = NULL, *name = NULL;
	int r = 0;

	if (strcmp(top, CASUS_CONFIG) == 0 || (r = unchecked(v, "", top, seen, nseen, cap)) != 1)
		goto out;
	if (odd_name(top)) {
		odd_entry(ps, "", top);
	} else if (strcmp(top, "cases") != 0) {
		problems_add(ps, top, 0, "", "unexpected entry at the top of the store");
	} else if (*p == '\0') {
		problems_add(ps, "cases", 0, "", "a file where the folder of cases should be");
	} else {
		/* Each entry of cases/ on the way is checked once, as store_validate() checks it. */
		(*nseen)--;
		free((*seen)[*nseen]);
		bucket = component(&p);
		bdir = xasprintf("cases/%s", bucket);
		if ((r = unchecked(v, "cases", bucket, seen, nseen, cap)) != 1)
			goto out;
		if (odd_name(bucket)) {
			odd_entry(ps, "cases", bucket);
		} else if (*p == '\0' || !hex2(bucket)) {
			problems_add(ps, bdir, 0, "", "unexpected %s in cases/", *p ? "folder" : "file");
		} else {
			(*nseen)--;
			free((*seen)[*nseen]);
			name = component(&p);
			if ((r = unchecked(v, bdir, name, seen, nseen, cap)) == 1)
				r = check_entry(v, cfg, bdir, name, ps, &(struct checked){0});
		}
	}
out:
	free(name);
	free(bdir);
	free(bucket);
	free(top);
	return r < 0 ? -1 : 0;
}

int
change_validate(const struct view *v, const struct settings *cfg, const char *const *paths,
    size_t n, struct problems *ps)
{
	char **seen = NULL;
	size_t nseen = 0, cap = 0;
	int r = 0;

	for (size_t i = 0; r == 0 && i < n; i++)
		r = path_validate(v, cfg, paths[i], &seen, &nseen, &cap, ps);
	store_list_free(seen, nseen);
	return r;
}
