/*
 * casus.c: the domain rules every program shares. Writes go through casus_change(), which
 * refuses anyone who is not an active team member before anything is staged.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "casus.h"
#include "cli.h"
#include "mem.h"
#include "msg.h"

const char *const casus_domains[] = {
	"psychosocial", "education_employment", "mental_health", "social_context",
	"alternative_discourse", NULL,
};

const char *const casus_partners[] = {"dg-epi", "welzijn", "justitiehuizen", NULL};

static struct {
	const char *name;
	struct schema *s;
} schemas[8];

static void
free_schemas(void)
{
	for (size_t i = 0; i < sizeof schemas / sizeof schemas[0]; i++)
		schema_free(schemas[i].s);
}

/*
 * Puts every other built-in schema that root refers to ("plan.schema.yaml#...") under its
 * $defs, where its own $id makes it a resource of the compound document (JSON Schema 2020-12,
 * 9.3): one schema can build on another without the validator fetching anything.
 */
static void
bundle(struct doc *root, const struct casus_file *self)
{
	struct doc *defs = doc_get(root, "$defs");

	for (const struct casus_file *f = casus_schema_files; f->name; f++) {
		struct problems ps = {0};
		char *uri, *key;
		struct doc *d;

		if (f == self)
			continue;
		uri = xasprintf("\"%s.schema.yaml#", f->name);
		if (strstr(self->data, uri) == NULL) {      /* the embedded text ends in a NUL */
			free(uri);
			continue;
		}
		free(uri);
		if (doc_parse(f->data, f->len, f->name, &doc_limits_casus, &d, &ps) < 0)
			die("cannot load schema '%s': %s", f->name, ps.n ? ps.v[0].msg : "parse error");
		if (defs == NULL) {
			defs = doc_new(DOC_MAP);
			doc_set(root, "$defs", defs);
		}
		key = xasprintf("bundled-%s", f->name);
		doc_set(defs, key, d);
		free(key);
	}
}

const struct schema *
casus_schema(const char *name)
{
	static const struct schema_opts opts = {.assert_format = true};
	const struct casus_file *f;
	struct problems ps = {0};
	struct doc *d = NULL;
	size_t i;

	for (i = 0; i < sizeof schemas / sizeof schemas[0] && schemas[i].name; i++)
		if (strcmp(schemas[i].name, name) == 0)
			return schemas[i].s;
	if (i == sizeof schemas / sizeof schemas[0])
		die("cannot load schema '%s': too many schemas", name);
	for (f = casus_schema_files; f->name; f++)
		if (strcmp(f->name, name) == 0)
			break;
	if (f->name == NULL)
		die("cannot load schema '%s': not built in", name);
	if (doc_parse(f->data, f->len, f->name, &doc_limits_casus, &d, &ps) < 0)
		die("cannot load schema '%s': %s", name, ps.n ? ps.v[0].msg : "parse error");
	bundle(d, f);
	schemas[i].s = schema_compile(d, f->name, &opts);
	doc_free(d);
	if (schemas[i].s == NULL)
		die("cannot load schema '%s': %s", name, err_last());
	schemas[i].name = f->name;
	if (i == 0)
		atexit(free_schemas);
	return schemas[i].s;
}

/* The first 64 bytes of an ID from the command line, anything unprintable shown as '?'. */
static void
shown_id(const char *id, char out[68])
{
	size_t i;

	for (i = 0; id[i] && i < 64; i++)
		out[i] = id[i] >= 0x20 && id[i] < 0x7f ? id[i] : '?';
	strcpy(out + i, id[i] ? "..." : "");
}

int
case_id_check(const char *id)
{
	size_t n = strlen(id);
	char shown[68];

	shown_id(id, shown);
	if (n == 0 || n > 64) {
		err_set("cannot use case ID '%s': it must be 1 to 64 characters", shown);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		char c = id[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' || c == '.')) {
			err_set("cannot use case ID '%s': only letters, digits, '-', '_' and '.' are allowed", shown);
			return -1;
		}
	}
	if (id[0] == '.' || id[0] == '-' || strstr(id, "..") != NULL) {
		err_set("cannot use case ID '%s': it may not start with '.' or '-' nor contain '..'", id);
		return -1;
	}
	return 0;
}

/*
 * The fan-out folder: the low byte of the 32-bit FNV-1a hash of the ID, in hex. It depends on
 * the ID alone, so a case never moves when it is transferred; it is part of the store format.
 */
static unsigned
fanout(const char *id)
{
	uint32_t h = 2166136261u;

	for (const unsigned char *p = (const unsigned char *)id; *p; p++)
		h = (h ^ *p) * 16777619u;
	return h & 0xff;
}

char *
case_dir(const char *id)
{
	return xasprintf("cases/%02x/%s", fanout(id), id);
}

char *
case_path(const char *id, const char *name)
{
	return xasprintf("cases/%02x/%s/%s", fanout(id), id, name);
}

struct doc *
casus_parse(const char *buf, size_t len, const char *file, const char *schema,
    struct problems *ps)
{
	struct doc *d;

	if (doc_parse(buf, len, file, &doc_limits_casus, &d, ps) < 0)
		return NULL;
	if (!schema_validate(casus_schema(schema), d, file, ps)) {
		doc_free(d);
		return NULL;
	}
	return d;
}

int
casus_dump(struct doc *d, const char *schema, char **out, size_t *len)
{
	schema_canonicalize(casus_schema(schema), d);
	if (doc_emit_yaml(d, out, len) < 0)
		return -1;
	/*
	 * What casus writes it must be able to read. Block style can be far larger than the flow
	 * style it was given (16 KiB of nested flow sequences emit as 1 MiB; a 966,022-byte plan
	 * of multi-line texts was stored as 3,847,142 bytes), and a stored file over the reader's
	 * limit made the case unreadable to every program.
	 */
	if (*len > doc_limits_casus.max_bytes) {
		err_set("cannot write the %s document: %zu bytes as casus writes it, more than the "
		    "%zu a file may have", schema, *len, doc_limits_casus.max_bytes);
		free(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

const struct doc *
config_member(const struct doc *cfg, const char *email)
{
	const struct doc *m = doc_get(cfg, "members");

	/* Mail systems treat addresses without regard to case, and so does casus. */
	for (size_t i = 0; m && m->type == DOC_SEQ && i < m->n; i++) {
		const char *e = doc_get_str(m->items[i], "email");

		if (e && strcasecmp(e, email) == 0)
			return m->items[i];
	}
	return NULL;
}

bool
config_member_active(const struct doc *cfg, const char *email)
{
	const struct doc *m = config_member(cfg, email);
	const struct doc *a = m ? doc_get(m, "active") : NULL;

	return a && a->type == DOC_BOOL && a->b;
}

bool
config_partner(const struct doc *cfg, const char *partner)
{
	return doc_get(doc_get(cfg, "partners"), partner) != NULL;
}

bool
config_category(const struct doc *cfg, const char *category)
{
	return doc_get(doc_get(cfg, "categories"), category) != NULL;
}

char *
config_list(const struct doc *cfg, const char *key)
{
	const struct doc *m = doc_get(cfg, key);
	struct buf b = {0};

	for (size_t i = 0; m && m->type == DOC_MAP && i < m->n; i++) {
		if (i)
			buf_adds(&b, ", ");
		buf_adds(&b, m->pairs[i].key);
	}
	return buf_detach(&b);
}

int
member_ident_check(const struct doc *member)
{
	const char *name = doc_get_str(member, "name"), *email = doc_get_str(member, "email");
	const char *why;

	/*
	 * The rule is the writer's own, store_ident_check(): a member counts as able to write
	 * exactly when the store would accept their name and address in a commit (libgit2
	 * refuses '<' and '>', and a control character would forge a header).
	 */
	if (name == NULL || email == NULL)
		return 0;       /* the schema requires both; nothing to add here */
	why = store_ident_check(name, email);
	if (why == NULL)
		return 0;
	/* Quoted whole: messages and problems are escaped where they are printed. */
	err_set("cannot write as '%s': %s", email, why);
	return -1;
}

/* An active member whose name and address git can write with: someone who can still write. */
static bool
writer(const struct doc *member)
{
	const struct doc *a = doc_get(member, "active");

	return a && a->type == DOC_BOOL && a->b && member_ident_check(member) == 0;
}

size_t
config_writers(const struct doc *cfg)
{
	const struct doc *m = doc_get(cfg, "members");
	size_t n = 0;

	for (size_t i = 0; m && m->type == DOC_SEQ && i < m->n; i++)
		n += writer(m->items[i]);
	err_clear();
	return n;
}

void
config_check(const struct doc *cfg, const char *file, struct problems *ps)
{
	const struct doc *m = doc_get(cfg, "members");
	size_t active = 0;
	char path[64];

	for (size_t i = 0; m && m->type == DOC_SEQ && i < m->n; i++) {
		const struct doc *p = doc_get(m->items[i], "partner");
		const char *email = doc_get_str(m->items[i], "email");
		const struct doc *a = doc_get(m->items[i], "active");

		snprintf(path, sizeof path, "members[%zu]", i);
		if (p && p->type == DOC_STR && !config_partner(cfg, p->s))
			problems_add(ps, file, p->line, path, "unknown partner '%s'", p->s);
		if (member_ident_check(m->items[i]) < 0) {
			problems_add(ps, file, m->items[i]->line, path, "%s", err_last());
			err_clear();
		}
		for (size_t j = 0; email && j < i; j++) {
			const char *e = doc_get_str(m->items[j], "email");

			if (e && strcasecmp(e, email) == 0)
				problems_add(ps, file, m->items[i]->line, path,
				    "'%s' is registered twice (also members[%zu])", email, j);
		}
		active += a && a->type == DOC_BOOL && a->b;
	}
	if (m && m->type == DOC_SEQ && active == 0)
		problems_add(ps, file, m->line, "members", "no active member: nobody could write to the store");
	else if (m && m->type == DOC_SEQ && config_writers(cfg) == 0)
		problems_add(ps, file, m->line, "members",
		    "no active member whose name and address git can write with: nobody could write to the store");
}

static void
check_owner(const struct doc *cfg, const struct doc *node, const char *path, const char *file,
    struct problems *ps)
{
	const struct doc *o = doc_get(node, "owner");

	if (o && o->type == DOC_STR && !config_partner(cfg, o->s)) {
		char *known = config_list(cfg, "partners");

		problems_add(ps, file, o->line, path, "unknown partner '%s' (known: %s)", o->s, known);
		free(known);
	}
}

static void
check_dates(const struct doc *plan, const char *file, struct problems *ps)
{
	static const char *const order[] = {
		"detention_start", "leave_eligible", "release_eligible", "sentence_end",
	};
	const struct doc *dates = doc_get(plan, "dates");
	const struct doc *prev = NULL;
	const char *prevname = NULL;
	struct date a, b;

	for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
		const struct doc *d = doc_get(dates, order[i]);

		if (d == NULL || d->type != DOC_STR || date_parse(d->s, d->len, &b) < 0)
			continue;
		if (prev && date_parse(prev->s, prev->len, &a) == 0 && date_cmp(a, b) > 0) {
			char path[64];

			snprintf(path, sizeof path, "dates.%s", order[i]);
			problems_add(ps, file, d->line, path, "%s %s is before %s %s", order[i], d->s,
			    prevname, prev->s);
		}
		prev = d;
		prevname = order[i];
	}
}

void
plan_check(const struct doc *cfg, const struct doc *plan, const char *id, const char *file,
    struct problems *ps)
{
	const struct doc *cid = doc_get(plan, "case_id");
	const struct doc *team = doc_get(plan, "team");
	const struct doc *domains = doc_get(plan, "domains");
	const struct doc *roles = doc_get(plan, "roles");
	char path[256];

	if (id && cid && cid->type == DOC_STR && strcmp(cid->s, id) != 0)
		problems_add(ps, file, cid->line, "case_id", "is '%s' but the case is '%s'", cid->s, id);
	check_dates(plan, file, ps);
	for (size_t i = 0; team && team->type == DOC_MAP && i < team->n; i++) {
		const struct doc_pair *p = &team->pairs[i];

		if (!config_partner(cfg, p->key)) {
			char *known = config_list(cfg, "partners");

			problems_add(ps, file, p->line, "team", "unknown partner '%s' (known: %s)", p->key, known);
			free(known);
			continue;
		}
		for (size_t j = 0; p->val->type == DOC_SEQ && j < p->val->n; j++) {
			const struct doc *e = p->val->items[j];
			const struct doc *m = e->type == DOC_STR ? config_member(cfg, e->s) : NULL;
			const char *mp = m ? doc_get_str(m, "partner") : NULL;

			snprintf(path, sizeof path, "team.%s[%zu]", p->key, j);
			if (e->type != DOC_STR)
				continue;
			if (m == NULL)
				problems_add(ps, file, e->line, path, "'%s' is not a registered team member", e->s);
			else if (mp && strcmp(mp, p->key) != 0)
				problems_add(ps, file, e->line, path, "'%s' is a member for %s, not %s", e->s, mp, p->key);
		}
	}
	for (size_t i = 0; roles && roles->type == DOC_SEQ && i < roles->n; i++) {
		const struct doc *r = roles->items[i];
		const struct doc *p = doc_get(r, "partner");
		const char *member = doc_get_str(r, "member");

		snprintf(path, sizeof path, "roles[%zu]", i);
		if (p && p->type == DOC_STR && !config_partner(cfg, p->s))
			problems_add(ps, file, p->line, path, "unknown partner '%s'", p->s);
		if (member && config_member(cfg, member) == NULL)
			problems_add(ps, file, doc_get(r, "member")->line, path,
			    "'%s' is not a registered team member", member);
	}
	for (size_t i = 0; domains && domains->type == DOC_MAP && i < domains->n; i++) {
		const struct doc_pair *dp = &domains->pairs[i];
		const struct doc *goals = doc_get(dp->val, "goals");

		snprintf(path, sizeof path, "domains.%s", dp->key);
		check_owner(cfg, dp->val, path, file, ps);
		for (size_t g = 0; goals && goals->type == DOC_SEQ && g < goals->n; g++) {
			const struct doc *actions = doc_get(goals->items[g], "actions");

			snprintf(path, sizeof path, "domains.%s.goals[%zu]", dp->key, g);
			check_owner(cfg, goals->items[g], path, file, ps);
			for (size_t a = 0; actions && actions->type == DOC_SEQ && a < actions->n; a++) {
				snprintf(path, sizeof path, "domains.%s.goals[%zu].actions[%zu]", dp->key, g, a);
				check_owner(cfg, actions->items[a], path, file, ps);
			}
		}
	}
}

void
reintegration_check(const struct doc *cfg, const struct doc *r, const char *id,
    const char *file, struct problems *ps)
{
	static const char *const areas[] = {"housing", "work", "network", "care", NULL};
	const struct doc *cid = doc_get(r, "case_id"), *fu = doc_get(r, "follow_up");
	const struct doc *needs = doc_get(r, "needs");
	char path[64];

	if (id && cid && cid->type == DOC_STR && strcmp(cid->s, id) != 0)
		problems_add(ps, file, cid->line, "case_id", "is '%s' but the case is '%s'", cid->s, id);
	for (int i = 0; areas[i]; i++)
		check_owner(cfg, doc_get(r, areas[i]), areas[i], file, ps);
	if (fu) {
		const struct doc *m = doc_get(fu, "member");
		const struct doc *reg = m && m->type == DOC_STR ? config_member(cfg, m->s) : NULL;
		const char *p = reg ? doc_get_str(reg, "partner") : NULL;

		if (m && m->type == DOC_STR && reg == NULL)
			problems_add(ps, file, m->line, "follow_up.member", "'%s' is not a registered team member", m->s);
		else if (p && strcmp(p, "justitiehuizen") != 0)
			problems_add(ps, file, m->line, "follow_up.member", "'%s' is a member for %s, not justitiehuizen",
			    m->s, p);
	}
	for (size_t i = 0; needs && needs->type == DOC_SEQ && i < needs->n; i++) {
		const struct doc *c = doc_get(needs->items[i], "category");
		const struct doc *f = doc_get(needs->items[i], "from");

		snprintf(path, sizeof path, "needs[%zu]", i);
		if (c && c->type == DOC_STR && !config_category(cfg, c->s))
			problems_add(ps, file, c->line, path, "unknown category '%s'", c->s);
		if (f && f->type == DOC_STR && !config_partner(cfg, f->s))
			problems_add(ps, file, f->line, path, "unknown partner '%s'", f->s);
	}
}

/* The names in the list field key of d that cfg does not know, by ok. */
static void
known(const struct doc *cfg, const struct doc *d, const char *key,
    bool (*ok)(const struct doc *, const char *), const char *what, const char *file,
    struct problems *ps)
{
	const struct doc *l = doc_get(d, key);

	for (size_t i = 0; l && l->type == DOC_SEQ && i < l->n; i++)
		if (l->items[i]->type == DOC_STR && !ok(cfg, l->items[i]->s))
			problems_add(ps, file, l->items[i]->line, key, "unknown %s '%s'", what, l->items[i]->s);
}

void
event_check(const struct doc *cfg, const struct doc *d, const char *file, struct problems *ps)
{
	known(cfg, d, "to", config_partner, "partner", file, ps);
	known(cfg, d, "participants", config_partner, "partner", file, ps);
	known(cfg, d, "categories", config_category, "category", file, ps);
}

/* Parses and validates a file read from the store; on failure sets the first problem as error. */
static struct doc *
load(const char *buf, size_t len, const char *file, const char *schema)
{
	struct problems ps = {0};
	struct doc *d = casus_parse(buf, len, file, schema, &ps);

	if (d == NULL) {
		err_set("cannot read '%s': line %d: %s%s%s", file, ps.n ? ps.v[0].line : 0,
		    ps.n && ps.v[0].path[0] ? ps.v[0].path : "", ps.n && ps.v[0].path[0] ? ": " : "",
		    ps.n ? ps.v[0].msg : "invalid");
	}
	problems_free(&ps);
	return d;
}

struct doc *
config_read(struct store *s, struct problems *ps)
{
	char *buf;
	size_t len;
	struct doc *d;
	int r = store_read(s, CASUS_CONFIG, &buf, &len);

	if (r == STORE_NOTFOUND) {
		err_set("cannot read '%s': the store has no settings (was it made with case-init?)", CASUS_CONFIG);
		return NULL;
	}
	if (r < 0)
		return NULL;
	if (ps) {
		d = casus_parse(buf, len, CASUS_CONFIG, "casus", ps);
		if (d == NULL)
			err_set("cannot read '%s': it is not valid", CASUS_CONFIG);
	} else {
		d = load(buf, len, CASUS_CONFIG, "casus");
	}
	free(buf);
	return d;
}

struct doc *
txn_config(struct txn *t)
{
	char *buf;
	size_t len;
	struct doc *d;
	int r = txn_read(t, CASUS_CONFIG, &buf, &len);

	if (r == STORE_NOTFOUND) {
		err_set("cannot read '%s': the store has no settings (was it made with case-init?)", CASUS_CONFIG);
		return NULL;
	}
	if (r < 0)
		return NULL;
	d = load(buf, len, CASUS_CONFIG, "casus");
	free(buf);
	return d;
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
case_ids(struct store *s, struct txn *t, char ***ids, size_t *n)
{
	char **buckets = NULL, **names;
	size_t nb = 0, nn, cap = 0;

	*ids = NULL;
	*n = 0;
	if ((s ? store_list(s, "cases", &buckets, &nb) : txn_list(t, "cases", &buckets, &nb)) < 0)
		return -1;
	for (size_t b = 0; b < nb; b++) {
		char *dir = xasprintf("cases/%s", buckets[b]);
		int r = s ? store_list(s, dir, &names, &nn) : txn_list(t, dir, &names, &nn);

		free(dir);
		if (r < 0) {
			store_list_free(buckets, nb);
			store_list_free(*ids, *n);
			*ids = NULL;
			*n = 0;
			return -1;
		}
		for (size_t i = 0; i < nn; i++) {
			char *want;

			if (case_id_check(names[i]) < 0) {
				free(names[i]);
				continue;
			}
			want = case_dir(names[i]);
			if (strncmp(want + 6, buckets[b], 2) == 0 && want[8] == '/') {
				xgrow((void **)ids, &cap, *n + 1, sizeof **ids);
				(*ids)[(*n)++] = names[i];
			} else {
				free(names[i]);
			}
			free(want);
		}
		free(names);
	}
	err_clear();
	store_list_free(buckets, nb);
	if (*n > 1)
		qsort(*ids, *n, sizeof **ids, by_name);
	return 0;
}

int
case_events_read(struct store *s, struct txn *t, const char *case_id, const char *folder,
    const char *schema, const char *key, struct doc ***docs, size_t *n)
{
	char *dir = case_path(case_id, folder), **names = NULL, *path, *buf, *want;
	size_t nn = 0, len;
	int r;

	*docs = NULL;
	*n = 0;
	r = s ? store_list(s, dir, &names, &nn) : txn_list(t, dir, &names, &nn);
	if (r < 0)
		goto fail;
	*docs = xcalloc(nn, sizeof **docs);
	for (size_t i = 0; i < nn; i++) {
		struct doc *d;

		path = xasprintf("%s/%s", dir, names[i]);
		r = s ? store_read(s, path, &buf, &len) : txn_read(t, path, &buf, &len);
		if (r != 0) {
			if (r > 0)
				err_set("cannot read '%s': not a file", path);
			free(path);
			goto fail;
		}
		d = load(buf, len, path, schema);
		free(buf);
		if (d == NULL) {
			free(path);
			goto fail;
		}
		want = xasprintf("%s.yaml", doc_get_str(d, key));
		r = strcmp(names[i], want) != 0 || strcmp(doc_get_str(d, "case_id"), case_id) != 0;
		free(want);
		if (r) {
			err_set("cannot read '%s': its %s and case_id do not match the file's name and case", path, key);
			doc_free(d);
			free(path);
			goto fail;
		}
		(*docs)[(*n)++] = d;
		free(path);
	}
	store_list_free(names, nn);
	free(dir);
	return 0;
fail:
	for (size_t i = 0; i < *n; i++)
		doc_free((*docs)[i]);
	free(*docs);
	*docs = NULL;
	*n = 0;
	store_list_free(names, nn);
	free(dir);
	return -1;
}

struct doc *
plan_read(struct store *s, struct txn *t, const char *id)
{
	char *path = case_path(id, "plan.yaml");
	char *buf;
	size_t len;
	struct doc *d = NULL;
	int r = s ? store_read(s, path, &buf, &len) : txn_read(t, path, &buf, &len);

	if (r == STORE_NOTFOUND)
		err_set("cannot find case '%s': no such case in this store", id);
	else if (r == 0) {
		d = load(buf, len, path, "plan");
		free(buf);
	}
	free(path);
	return d;
}


int
txn_put_case_doc(struct txn *t, const struct doc *cfg, struct doc *d, const char *id,
    const char *kind)
{
	struct problems ps = {0};
	char *name = xasprintf("%s.yaml", kind);
	char *path = case_path(id, name);
	char *out;
	size_t len;
	int r = -1;

	if (!schema_validate(casus_schema(kind), d, path, &ps))
		goto done;
	if (strcmp(kind, "plan") == 0)
		plan_check(cfg, d, id, path, &ps);
	else
		reintegration_check(cfg, d, id, path, &ps);
	if (ps.n)
		goto done;
	if (casus_dump(d, kind, &out, &len) < 0)
		goto done;
	r = txn_write(t, path, out, len);
	free(out);
done:
	if (ps.n)
		err_set("cannot store the %s of '%s': %s%s%s",
		    strcmp(kind, "plan") == 0 ? "plan" : "reintegration plan", id, ps.v[0].path,
		    ps.v[0].path[0] ? ": " : "", ps.v[0].msg);
	problems_free(&ps);
	free(path);
	free(name);
	return r;
}

/*
 * The documents of one case that the settings are checked against, as stored, each with its
 * path and its check. A file that does not pass its schema is left out: case-validate reports
 * it, and no settings make it better or worse.
 */
struct case_doc {
	struct doc *d;
	char *path;
	enum { PLAN_DOC, REINTEGRATION_DOC, EVENT_DOC } kind;
};

struct case_docs {
	struct case_doc *v;
	size_t n, cap;
};

static void
case_docs_free(struct case_docs *cd)
{
	for (size_t i = 0; i < cd->n; i++) {
		doc_free(cd->v[i].d);
		free(cd->v[i].path);
	}
	free(cd->v);
	cd->v = NULL;
	cd->n = cd->cap = 0;
}

/* Adds the document at path (taking path) if it is there and valid. 0, or -1 on a store error. */
static int
case_doc_add(struct txn *t, char *path, const char *schema, int kind, struct case_docs *cd)
{
	struct problems ignore = {0};
	struct doc *d;
	char *buf;
	size_t len;
	int r = txn_read(t, path, &buf, &len);

	if (r != 0) {
		free(path);
		return r < 0 ? -1 : 0;
	}
	d = casus_parse(buf, len, path, schema, &ignore);
	problems_free(&ignore);
	free(buf);
	if (d == NULL) {
		free(path);
		return 0;
	}
	xgrow((void **)&cd->v, &cd->cap, cd->n + 1, sizeof *cd->v);
	cd->v[cd->n++] = (struct case_doc){.d = d, .path = path, .kind = kind};
	return 0;
}

/*
 * Reads the plans and event records of case id as staged in t. 0 or -1 (err_set). The case's
 * folder is listed once and only what is there is read: each lookup walks the tree from the
 * root again, and at 10,000 cases reading objects is nearly all the cost (YAML is 3%).
 */
static int
case_docs_read(struct txn *t, const char *id, struct case_docs *cd)
{
	char *dir = case_dir(id), **names;
	size_t n;
	int r = txn_list(t, dir, &names, &n);

	if (r < 0) {
		free(dir);
		return -1;
	}
	for (size_t i = 0; r == 0 && i < n; i++) {
		char *path = xasprintf("%s/%s", dir, names[i]), **events;
		size_t ne;

		if (strcmp(names[i], "plan.yaml") == 0) {
			r = case_doc_add(t, path, "plan", PLAN_DOC, cd);
		} else if (strcmp(names[i], "reintegration.yaml") == 0) {
			r = case_doc_add(t, path, "reintegration", REINTEGRATION_DOC, cd);
		} else if (strcmp(names[i], "consent") == 0 || strcmp(names[i], "overleg") == 0) {
			r = txn_list(t, path, &events, &ne);
			if (r == 0) {
				for (size_t e = 0; r == 0 && e < ne; e++)
					r = case_doc_add(t, xasprintf("%s/%s", path, events[e]), names[i],
					    EVENT_DOC, cd);
				store_list_free(events, ne);
			}
			free(path);
		} else {
			free(path);     /* not a file casus writes: case-validate reports it */
		}
	}
	store_list_free(names, n);
	free(dir);
	return r;
}

/* The cross-checks of case-validate that read the settings, run on a case's documents with cfg. */
static void
case_docs_check(const struct case_docs *cd, const struct doc *cfg, const char *id,
    struct problems *ps)
{
	for (size_t i = 0; i < cd->n; i++) {
		const struct case_doc *c = &cd->v[i];

		if (c->kind == PLAN_DOC)
			plan_check(cfg, c->d, id, c->path, ps);
		else if (c->kind == REINTEGRATION_DOC)
			reintegration_check(cfg, c->d, id, c->path, ps);
		else
			event_check(cfg, c->d, c->path, ps);
	}
}

/*
 * Whether every name the cross-checks can look up in old means the same in cfg: each partner
 * and category of old is still there, and each member of old is still registered, for the same
 * partner. Each check only asks whether a name is known or which partner a member is of, so a
 * case that passes them with old passes them with cfg, and nothing need be read. This makes
 * member-add, member-remove and most settings changes free on a store of any size.
 */
static bool
config_keeps(const struct doc *cfg, const struct doc *old)
{
	static const char *const keys[] = {"partners", "categories"};
	const struct doc *m = doc_get(old, "members");

	for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
		const struct doc *o = doc_get(old, keys[k]), *n = doc_get(cfg, keys[k]);

		for (size_t i = 0; o && o->type == DOC_MAP && i < o->n; i++)
			if (doc_get(n, o->pairs[i].key) == NULL)
				return false;
	}
	for (size_t i = 0; m && m->type == DOC_SEQ && i < m->n; i++) {
		const char *email = doc_get_str(m->items[i], "email");
		const char *partner = doc_get_str(m->items[i], "partner");
		const struct doc *now = email ? config_member(cfg, email) : NULL;
		const char *p = now ? doc_get_str(now, "partner") : NULL;

		if (email && (now == NULL || (partner && (p == NULL || strcmp(p, partner) != 0))))
			return false;
	}
	return true;
}

/* How much of a refusal is shown: the problems of the first cases, and the IDs of a few more. */
enum { BROKEN_CASES_SHOWN = 10, BROKEN_PROBLEMS_SHOWN = 20 };

/*
 * Refuses settings cfg that would make a case that passes the cross-checks with old fail them.
 * A case that fails them already is left to case-validate: it is not made worse, and refusing
 * for it would also refuse the settings change that repairs it.
 */
static int
config_cases_check(struct txn *t, const struct doc *old, const struct doc *cfg, const char *what,
    struct problems *ps)
{
	struct buf ids = {0};
	char **cases;
	size_t n, broken = 0, added = 0, total = 0;
	int r = 0;

	if (old == NULL || config_keeps(cfg, old))
		return 0;
	if (case_ids(NULL, t, &cases, &n) < 0)
		return -1;
	for (size_t i = 0; i < n && r == 0; i++) {
		struct case_docs cd = {0};
		struct problems now = {0}, before = {0};

		r = case_docs_read(t, cases[i], &cd);
		if (r == 0)
			case_docs_check(&cd, cfg, cases[i], &now);
		if (now.n)
			case_docs_check(&cd, old, cases[i], &before);
		if (now.n && before.n == 0) {
			if (broken < BROKEN_CASES_SHOWN)
				buf_printf(&ids, "%s%s", broken ? ", " : "", cases[i]);
			for (size_t p = 0; p < now.n; p++, total++)
				if (broken < BROKEN_CASES_SHOWN && added < BROKEN_PROBLEMS_SHOWN) {
					problems_add(ps, now.v[p].file, now.v[p].line, now.v[p].path, "%s",
					    now.v[p].msg);
					added++;
				}
			broken++;
		}
		problems_free(&now);
		problems_free(&before);
		case_docs_free(&cd);
	}
	store_list_free(cases, n);
	if (r == 0 && total > added)
		problems_add(ps, NULL, 0, NULL, "%zu more problem%s not shown", total - added,
		    total - added == 1 ? "" : "s");
	if (r == 0 && broken) {
		if (broken > BROKEN_CASES_SHOWN)
			buf_printf(&ids, " and %zu more", broken - BROKEN_CASES_SHOWN);
		err_set("cannot %s: %zu case%s would no longer pass case-validate (%s)", what, broken,
		    broken == 1 ? "" : "s", ids.len ? ids.data : "");
		r = STORE_REFUSED;
	}
	buf_free(&ids);
	return r;
}

int
casus_put_config(struct txn *t, const struct doc *old, struct doc *cfg, const char *what,
    struct problems *ps)
{
	struct doc *back;
	char *out;
	size_t len;
	int r;

	if (schema_validate(casus_schema("casus"), cfg, CASUS_CONFIG, ps))
		config_check(cfg, CASUS_CONFIG, ps);
	if (ps->n) {
		err_set("cannot %s: %zu problem%s", what, ps->n, ps->n == 1 ? "" : "s");
		return STORE_REFUSED;
	}
	r = config_cases_check(t, old, cfg, what, ps);
	if (r != 0)
		return r;
	if (casus_dump(cfg, "casus", &out, &len) < 0)
		return -1;
	/* Store only what every program can read back: a bad byte here would lock the team out. */
	back = casus_parse(out, len, CASUS_CONFIG, "casus", ps);
	if (back == NULL) {
		err_set("cannot %s: %zu problem%s", what, ps->n, ps->n == 1 ? "" : "s");
		free(out);
		return STORE_REFUSED;
	}
	doc_free(back);
	r = txn_write(t, CASUS_CONFIG, out, len);
	free(out);
	return r;
}

struct member_check {
	casus_fn fn;
	void *arg;
};

static int
as_member(struct txn *t, void *arg)
{
	struct member_check *mc = arg;
	struct casus_tx c = {.t = t};
	const char *email = txn_author_email(t);
	int r;

	c.cfg = txn_config(t);
	if (c.cfg == NULL)
		return -1;
	if (member_may_write(c.cfg, email) < 0) {
		doc_free(c.cfg);
		return -1;
	}
	r = mc->fn(&c, mc->arg);
	doc_free(c.cfg);
	return r;
}

int
member_may_write(const struct doc *cfg, const char *email)
{
	if (config_member_active(cfg, email))
		return 0;
	err_set("cannot write as '%s': %s", email, config_member(cfg, email)
	    ? "no longer an active team member of this store"
	    : "not a registered team member of this store (see member-add)");
	return -1;
}

int
casus_may_write(struct store *s, const struct doc *cfg)
{
	struct doc *read = cfg ? NULL : config_read(s, NULL);
	char *name = NULL, *email = NULL;
	int r = -1;

	if (cfg == NULL)
		cfg = read;
	if (cfg != NULL && store_identity(s, &name, &email) == 0)
		r = member_may_write(cfg, email);
	doc_free(read);
	free(name);
	free(email);
	return r;
}

int
casus_change(struct store *s, casus_fn fn, void *arg)
{
	struct member_check mc = {fn, arg};

	return store_change(s, as_member, &mc);
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

bool
str_in_list(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (strcmp(*list, s) == 0)
			return true;
	return false;
}

struct store *
casus_open(const char *dir)
{
	struct store *s;

	if (store_open(&s, dir) < 0) {
		err_print();
		exit(EXIT_ERROR);
	}
	return s;
}
