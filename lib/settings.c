/*
 * settings.c: casus.yaml decoded (see settings.h). The schema has checked every field's type
 * and form before the decoder runs; the decoder still refuses a tree without that shape
 * rather than trust it, since it is also handed trees built in memory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mem.h"
#include "msg.h"
#include "schemas.h"
#include "settings.h"
#include "vocab.h"

static int
bad(const char *what)
{
	err_set("cannot read '%s': %s is not as the schema says", CASUS_CONFIG, what);
	return -1;
}

/* A date field: {0} when absent; the schema has checked its form. */
static struct date
date_of(const struct doc *map, const char *key)
{
	const struct doc *v = doc_get(map, key);
	struct date d = {0};

	if (v && v->type == DOC_STR)
		date_parse(v->s, v->len, &d);
	return d;
}

/*
 * shares_under_458ter: a list of periods, or the form written before it was dated (R11), a
 * boolean. false is no period; true is one period, open, from the store's beginning: the
 * setting then answered yes for every day, and reading it so keeps every answer it gave.
 */
static int
decode_shares(struct partner_cfg *pc, const struct doc *s)
{
	if (s == NULL)
		return 0;
	pc->shares_line = s->line;
	if (s->type == DOC_BOOL) {
		pc->shares = xcalloc(1, sizeof *pc->shares);
		pc->nshares = s->b;
		pc->shares[0].line = s->line;
		return 0;
	}
	if (s->type != DOC_SEQ)
		return bad("a partner's shares_under_458ter");
	pc->shares = xcalloc(s->n ? s->n : 1, sizeof *pc->shares);
	for (size_t i = 0; i < s->n; i++) {
		const struct doc *it = s->items[i];

		if (it->type != DOC_MAP)
			return bad("a partner's shares_under_458ter");
		pc->shares[i].since = date_of(it, "since");
		pc->shares[i].until = date_of(it, "until");
		pc->shares[i].line = it->line;
		pc->nshares++;
	}
	return 0;
}

static int
decode_partners(struct settings *cfg, const struct doc *p)
{
	if (p == NULL || p->type != DOC_MAP)
		return bad("partners");
	cfg->partners = xcalloc(p->n ? p->n : 1, sizeof *cfg->partners);
	for (size_t i = 0; i < p->n; i++) {
		const struct doc *v = p->pairs[i].val;
		struct partner_cfg *pc = &cfg->partners[cfg->npartners++];

		pc->id = p->pairs[i].key;
		pc->name = doc_get_str(v, "name");
		pc->line = pc->shares_line = p->pairs[i].line;
		if (pc->name == NULL)
			return bad("a partner");
		if (decode_shares(pc, doc_get(v, "shares_under_458ter")) < 0)
			return -1;
	}
	return 0;
}

static int
decode_categories(struct settings *cfg, const struct doc *c)
{
	if (c == NULL || c->type != DOC_MAP)
		return bad("categories");
	cfg->categories = xcalloc(c->n ? c->n : 1, sizeof *cfg->categories);
	for (size_t i = 0; i < c->n; i++) {
		const struct doc *v = c->pairs[i].val;
		struct category_cfg *cc = &cfg->categories[cfg->ncategories++];

		cc->id = c->pairs[i].key;
		cc->description = doc_get_str(v, "description");
		cc->domain = vocab_find(vocab_domains, doc_get_str(v, "domain"));
		cc->line = c->pairs[i].line;
		if (cc->description == NULL || (doc_get(v, "domain") && cc->domain < 0))
			return bad("a category");
	}
	return 0;
}

/*
 * A member's keys. A line that does not parse is kept with ok false, for settings_check() to
 * report with key_public_parse()'s reason; nothing matches it.
 */
static int
decode_keys(struct member *mb, const struct doc *k)
{
	const char *why;

	if (k == NULL)
		return 0;
	if (k->type != DOC_SEQ)
		return bad("a member's keys");
	mb->keys = xcalloc(k->n ? k->n : 1, sizeof *mb->keys);
	for (size_t i = 0; i < k->n; i++) {
		const struct doc *it = k->items[i];
		struct member_key *mk = &mb->keys[mb->nkeys++];

		mk->text = doc_get_str(it, "key");
		if (it->type != DOC_MAP || mk->text == NULL)
			return bad("a member's keys");
		mk->ok = key_public_parse(mk->text, mk->pk, &why) == 0;
		mk->since = date_of(it, "since");
		mk->until = date_of(it, "until");
		mk->line = it->line;
	}
	return 0;
}

static int
decode_members(struct settings *cfg, const struct doc *m)
{
	if (m == NULL || m->type != DOC_SEQ)
		return bad("members");
	cfg->members_line = m->line;
	cfg->members = xcalloc(m->n ? m->n : 1, sizeof *cfg->members);
	for (size_t i = 0; i < m->n; i++) {
		const struct doc *it = m->items[i], *a = doc_get(it, "active"), *p = doc_get(it, "partner");
		struct member *mb = &cfg->members[cfg->nmembers++];

		mb->email = doc_get_str(it, "email");
		mb->name = doc_get_str(it, "name");
		mb->partner = doc_get_str(it, "partner");
		mb->role = doc_get_str(it, "role");
		mb->active = a && a->type == DOC_BOOL && a->b;
		mb->admin = doc_get(it, "admin") && doc_get(it, "admin")->type == DOC_BOOL &&
		    doc_get(it, "admin")->b;
		mb->since = date_of(it, "since");
		mb->until = date_of(it, "until");
		mb->line = it->line;
		mb->partner_line = p ? p->line : it->line;
		if (mb->email == NULL || mb->name == NULL || mb->partner == NULL || a == NULL ||
		    a->type != DOC_BOOL)
			return bad("a member");
		if (decode_keys(mb, doc_get(it, "keys")) < 0)
			return -1;
	}
	return 0;
}

static int
decode_duration(const struct doc *o, const char *key, struct duration *out)
{
	const char *v = doc_get_str(o, key);

	if (v == NULL || duration_parse(v, out) < 0)
		return bad("overleg");
	return 0;
}

struct settings *
settings_decode(struct doc *d)
{
	struct settings *cfg = xcalloc(1, sizeof *cfg);
	const struct doc *o = doc_get(d, "overleg");

	cfg->doc = d;
	cfg->institution = doc_get_str(d, "institution");
	if (d == NULL || d->type != DOC_MAP || cfg->institution == NULL) {
		bad("the file");
		goto fail;
	}
	if (decode_partners(cfg, doc_get(d, "partners")) < 0 ||
	    decode_categories(cfg, doc_get(d, "categories")) < 0 ||
	    decode_members(cfg, doc_get(d, "members")) < 0 ||
	    decode_duration(o, "cadence", &cfg->cadence) < 0 ||
	    decode_duration(o, "pre_leave_lead", &cfg->pre_leave_lead) < 0)
		goto fail;
	return cfg;
fail:
	settings_free(cfg);
	return NULL;
}

void
settings_free(struct settings *cfg)
{
	if (cfg == NULL)
		return;
	doc_free(cfg->doc);
	for (size_t i = 0; i < cfg->npartners; i++)
		free(cfg->partners[i].shares);
	free(cfg->partners);
	free(cfg->categories);
	for (size_t i = 0; i < cfg->nmembers; i++)
		free(cfg->members[i].keys);
	free(cfg->members);
	free(cfg);
}

struct settings *
settings_read(const struct view *v, struct problems *ps)
{
	struct problems own = {0};
	struct doc *d;
	char *buf;
	size_t len;
	int r = view_read(v, CASUS_CONFIG, &buf, &len);

	if (r == STORE_NOTFOUND) {
		err_set("cannot read '%s': the store has no settings (was it made with case-init?)", CASUS_CONFIG);
		return NULL;
	}
	if (r < 0)
		return NULL;
	d = casus_parse(buf, len, CASUS_CONFIG, "casus", ps ? ps : &own);
	free(buf);
	if (d == NULL) {
		if (ps)
			err_set("cannot read '%s': it is not valid", CASUS_CONFIG);
		else
			problems_to_error(&own, "read", CASUS_CONFIG);
		problems_free(&own);
		return NULL;
	}
	return settings_decode(d);
}

const struct member *
settings_member(const struct settings *cfg, const char *email)
{
	/* Mail systems treat addresses without regard to case, and so does casus. */
	for (size_t i = 0; email && i < cfg->nmembers; i++)
		if (strcasecmp(cfg->members[i].email, email) == 0)
			return &cfg->members[i];
	return NULL;
}

const struct member_key *
member_current_key(const struct member *m)
{
	for (size_t i = 0; i < m->nkeys; i++)
		if (m->keys[i].ok && !date_valid(m->keys[i].until))
			return &m->keys[i];
	return NULL;
}

const struct member *
settings_member_by_key(const struct settings *cfg, const unsigned char pk[KEY_PUBLIC_SIZE])
{
	for (size_t i = 0; i < cfg->nmembers; i++) {
		const struct member_key *k = member_current_key(&cfg->members[i]);

		if (k != NULL && memcmp(k->pk, pk, KEY_PUBLIC_SIZE) == 0)
			return &cfg->members[i];
	}
	return NULL;
}

struct doc *
settings_key_item(const char *key, const char *since)
{
	struct doc *k = doc_new(DOC_MAP);

	doc_set(k, "key", doc_new_str(key));
	doc_set(k, "since", doc_new_str(since));
	return k;
}

struct doc *
settings_member_item(const char *email, const char *name, const char *partner,
    const char *role, const char *key, const char *since)
{
	struct doc *m = doc_new(DOC_MAP), *keys = doc_new(DOC_SEQ);

	doc_set(m, "email", doc_new_str(email));
	doc_set(m, "name", doc_new_str(name));
	doc_set(m, "partner", doc_new_str(partner));
	if (role != NULL)
		doc_set(m, "role", doc_new_str(role));
	doc_set(m, "active", doc_new_bool(true));
	doc_set(m, "since", doc_new_str(since));
	/* R2: the key is what lets them write; settings_check() says why a line will not do. */
	doc_push(keys, settings_key_item(key, since));
	doc_set(m, "keys", keys);
	return m;
}

bool
settings_has_keys(const struct settings *cfg)
{
	for (size_t i = 0; i < cfg->nmembers; i++)
		if (cfg->members[i].nkeys > 0)
			return true;
	return false;
}

/* d as ssh-keygen's YYYYMMDD, moved by days. */
static const char *
signers_date(struct date d, int days, char buf[9])
{
	char iso[11];

	date_format(date_add_days(d, days), iso);
	snprintf(buf, 9, "%.4s%.2s%.2s", iso, iso + 5, iso + 8);
	return buf;
}

char *
settings_allowed_signers(const struct settings *cfg)
{
	struct buf b = {0};
	char a[9], u[9];

	buf_printf(&b, "%s", "");
	for (size_t i = 0; i < cfg->nmembers; i++) {
		const struct member *m = &cfg->members[i];

		for (size_t j = 0; j < m->nkeys; j++) {
			const struct member_key *k = &m->keys[j];
			struct date until = k->until;
			char *line;

			if (!k->ok)
				continue;
			/* A key is good up to the member's last day, whichever ends first. */
			if (date_valid(m->until) && (!date_valid(until) || date_cmp(m->until, until) < 0))
				until = m->until;
			line = key_public_line(k->pk, NULL);
			/*
			 * git gives ssh-keygen the commit's committer time as the moment to verify
			 * at, and ssh-keygen reads YYYYMMDD as midnight of the verifier's time zone.
			 * since is the writer's day (CASUS_TODAY or the local date), so a key
			 * registered at 00:30 in Brussels signs at 23:30 UTC the day before: from
			 * the day before since, no such commit reads as "not yet valid" anywhere.
			 * valid-before is exclusive and until is the last day, so the day after it.
			 */
			buf_printf(&b, "%s namespaces=\"git\",valid-after=\"%s\"", m->email,
			    signers_date(k->since, -1, a));
			if (date_valid(until))
				buf_printf(&b, ",valid-before=\"%s\"", signers_date(until, 1, u));
			buf_printf(&b, " %s\n", line);
			free(line);
		}
	}
	return buf_detach(&b);
}

const struct partner_cfg *
settings_partner(const struct settings *cfg, const char *id)
{
	for (size_t i = 0; id && i < cfg->npartners; i++)
		if (strcmp(cfg->partners[i].id, id) == 0)
			return &cfg->partners[i];
	return NULL;
}

const struct category_cfg *
settings_category(const struct settings *cfg, const char *id)
{
	for (size_t i = 0; id && i < cfg->ncategories; i++)
		if (strcmp(cfg->categories[i].id, id) == 0)
			return &cfg->categories[i];
	return NULL;
}

const struct category_cfg *
settings_domain_category(const struct settings *cfg, int d)
{
	const struct category_cfg *same = settings_category(cfg, vocab_word(vocab_domains, d));

	if (same != NULL)
		return same;
	for (size_t i = 0; i < cfg->ncategories; i++)
		if (cfg->categories[i].domain == d)
			return &cfg->categories[i];
	return NULL;
}

/* Periods are half-open, [since, until), as members' are: switched off on a day, off that day. */
static bool
period_holds(const struct period_458ter *p, struct date on)
{
	return (!date_valid(p->since) || date_cmp(p->since, on) <= 0) &&
	    (!date_valid(p->until) || date_cmp(on, p->until) < 0);
}

bool
settings_shares_458ter(const struct settings *cfg, const char *partner, struct date on)
{
	const struct partner_cfg *p = settings_partner(cfg, partner);

	for (size_t i = 0; p && i < p->nshares; i++)
		if (period_holds(&p->shares[i], on))
			return true;
	return false;
}

const char *
period_458ter_text(const struct period_458ter *p, char buf[64])
{
	char s[11], u[11];

	snprintf(buf, 64, "since %s%s%s", date_valid(p->since) ? date_format(p->since, s) :
	    "the store's beginning", date_valid(p->until) ? " until " : "",
	    date_valid(p->until) ? date_format(p->until, u) : "");
	return buf;
}

static struct doc *
period_doc(struct date since, struct date until)
{
	struct doc *m = doc_new(DOC_MAP);
	char d[11];

	if (date_valid(since))
		doc_set(m, "since", doc_new_str(date_format(since, d)));
	if (date_valid(until))
		doc_set(m, "until", doc_new_str(date_format(until, d)));
	return m;
}

int
settings_switch_458ter(struct doc *d, const struct settings *cfg, const char *partner, bool on,
    struct date today)
{
	const struct partner_cfg *p = settings_partner(cfg, partner);
	struct doc *pm = doc_get(doc_get(d, "partners"), partner), *l;
	bool open = p && p->nshares && !date_valid(p->shares[p->nshares - 1].until);

	if (p == NULL || pm == NULL || pm->type != DOC_MAP) {
		err_set("cannot switch art. 458ter sharing for '%s': unknown partner", partner);
		return -1;
	}
	if (open == on)
		return 0;
	/* Rebuilt from the decoded periods, so the old boolean form becomes the list form. */
	l = doc_new(DOC_SEQ);
	for (size_t i = 0; i < p->nshares; i++)
		doc_push(l, period_doc(p->shares[i].since, i + 1 == p->nshares && !on ? today :
		    p->shares[i].until));
	if (on)
		doc_push(l, period_doc(today, (struct date){0}));
	doc_set(pm, "shares_under_458ter", l);
	return 1;
}

char *
settings_partner_list(const struct settings *cfg)
{
	struct buf b = {0};

	for (size_t i = 0; i < cfg->npartners; i++)
		buf_printf(&b, "%s%s", i ? ", " : "", cfg->partners[i].id);
	return buf_detach(&b);
}

char *
settings_category_list(const struct settings *cfg)
{
	struct buf b = {0};

	for (size_t i = 0; i < cfg->ncategories; i++)
		buf_printf(&b, "%s%s", i ? ", " : "", cfg->categories[i].id);
	return buf_detach(&b);
}

bool
settings_check_partner(const struct settings *cfg, const char *partner, const char *file,
    int line, const char *path, struct problems *ps)
{
	char *known;

	if (partner == NULL || settings_partner(cfg, partner) != NULL)
		return true;
	known = settings_partner_list(cfg);
	problems_add(ps, file, line, path, "unknown partner '%s' (known: %s)", partner, known);
	free(known);
	return false;
}

bool
settings_check_category(const struct settings *cfg, const char *category, const char *file,
    int line, const char *path, struct problems *ps)
{
	char *known;

	if (category == NULL || settings_category(cfg, category) != NULL)
		return true;
	known = settings_category_list(cfg);
	problems_add(ps, file, line, path, "unknown category '%s' (known: %s)", category, known);
	free(known);
	return false;
}

bool
settings_check_member(const struct settings *cfg, const char *email, const char *for_partner,
    const char *file, int line, const char *path, struct problems *ps)
{
	const struct member *m;

	if (email == NULL)
		return true;
	m = settings_member(cfg, email);
	if (m == NULL) {
		problems_add(ps, file, line, path, "'%s' is not a registered team member", email);
		return false;
	}
	if (for_partner && strcmp(m->partner, for_partner) != 0) {
		problems_add(ps, file, line, path, "'%s' is a member for %s, not %s", email, m->partner,
		    for_partner);
		return false;
	}
	return true;
}

bool
settings_member_active(const struct settings *cfg, const char *email, struct date day)
{
	const struct member *m = email ? settings_member(cfg, email) : NULL;

	if (m == NULL || m->active)
		return true;
	/* Left on until: a consultation held that day, before the removal, still had them. */
	return date_valid(day) && date_valid(m->until) && date_cmp(day, m->until) <= 0;
}

bool
settings_check_active(const struct settings *cfg, const char *email, struct date day,
    const char *file, int line, const char *path, struct problems *ps)
{
	const struct member *m;
	char d[11];

	if (settings_member_active(cfg, email, day))
		return true;
	m = settings_member(cfg, email);
	if (date_valid(m->until))
		problems_add(ps, file, line, path, "'%s' left the team on %s", email,
		    date_format(m->until, d));
	else
		problems_add(ps, file, line, path, "'%s' is no longer an active team member", email);
	return false;
}

int
member_ident_check(const struct member *m)
{
	/*
	 * The rule is the writer's own, store_ident_check(): a member counts as able to write
	 * exactly when the store would accept their name and address in a commit (libgit2
	 * refuses '<' and '>', and a control character would forge a header).
	 */
	const char *why = store_ident_check(m->name, m->email);

	if (why == NULL)
		return 0;
	/* Quoted whole: messages and problems are escaped where they are printed. */
	err_set("cannot write as '%s': %s", m->email, why);
	return -1;
}

bool
member_can_write(const struct settings *cfg, const struct member *m)
{
	bool ok = m->active && member_ident_check(m) == 0 &&
	    (member_current_key(m) != NULL || !settings_has_keys(cfg));

	err_clear();
	return ok;
}

size_t
settings_writers(const struct settings *cfg)
{
	size_t n = 0;

	for (size_t i = 0; i < cfg->nmembers; i++)
		n += member_can_write(cfg, &cfg->members[i]);
	return n;
}

int
member_may_write(const struct settings *cfg, const unsigned char pk[KEY_PUBLIC_SIZE],
    const struct member **out)
{
	const struct member *m = settings_member_by_key(cfg, pk);
	char fp[KEY_FINGERPRINT_SIZE];

	*out = NULL;
	/*
	 * R2, R9: the key decides who writes, and the author line is then the member's registered
	 * name and address, whole: nothing the writer's environment says (GIT_AUTHOR_*,
	 * user.name) can put words in another member's name. A store made before keys existed
	 * has nobody who can prove who they are, so nobody writes until a key is registered.
	 */
	if (!settings_has_keys(cfg)) {
		err_set("cannot write as '%s': no member of this store has a key registered yet "
		    "(register yours with member-key --register)", key_fingerprint(pk, fp));
		return -1;
	}
	if (m == NULL) {
		err_set("cannot write as '%s': the key is not registered to a member of this store",
		    key_fingerprint(pk, fp));
		return -1;
	}
	if (!m->active) {
		err_set("cannot write as '%s': no longer an active team member of this store", m->email);
		return -1;
	}
	*out = m;
	return 0;
}

/* Keys (R2): each parses, ends after it begins, one is current, and none is two people's. */
static void
check_keys(const struct settings *cfg, size_t i, const char *file, struct problems *ps)
{
	const struct member *m = &cfg->members[i];
	char a[11], b[11];
	size_t open = 0;

	for (size_t j = 0; j < m->nkeys; j++) {
		const struct member_key *k = &m->keys[j];
		char *path = xasprintf("members[%zu].keys[%zu]", i, j);
		unsigned char pk[KEY_PUBLIC_SIZE];
		const char *why;

		if (key_public_parse(k->text, pk, &why) < 0)
			problems_add(ps, file, k->line, path, "the key cannot be read: %s", why);
		if (date_valid(k->until) && date_cmp(k->until, k->since) < 0)
			problems_add(ps, file, k->line, path, "until %s is before since %s",
			    date_format(k->until, a), date_format(k->since, b));
		if (!date_valid(k->until) && ++open == 2)
			problems_add(ps, file, k->line, path,
			    "a second current key (without until): a member has at most one");
		for (size_t o = 0; k->ok && o < i; o++)
			for (size_t q = 0; q < cfg->members[o].nkeys; q++)
				if (cfg->members[o].keys[q].ok &&
				    memcmp(cfg->members[o].keys[q].pk, k->pk, KEY_PUBLIC_SIZE) == 0)
					problems_add(ps, file, k->line, path,
					    "the key is also registered to '%s' (a key is one person's)",
					    cfg->members[o].email);
		free(path);
	}
}

/* R11: a partner's periods follow one another, so each day has one answer. */
static void
check_periods(const struct partner_cfg *p, const char *file, struct problems *ps)
{
	char a[11], b[11];

	for (size_t i = 0; i < p->nshares; i++) {
		const struct period_458ter *cur = &p->shares[i], *prev = i ? &p->shares[i - 1] : NULL;
		char *path = xasprintf("partners.%s.shares_under_458ter[%zu]", p->id, i);

		if (date_valid(cur->since) && date_valid(cur->until) && date_cmp(cur->until, cur->since) < 0)
			problems_add(ps, file, cur->line, path, "until %s is before since %s",
			    date_format(cur->until, a), date_format(cur->since, b));
		else if (prev && !date_valid(prev->until))
			problems_add(ps, file, cur->line, path,
			    "overlaps the period before it, which is still open (no until)");
		else if (prev && !date_valid(cur->since))
			problems_add(ps, file, cur->line, path,
			    "overlaps the period before it: only the first may hold from the store's beginning (no since)");
		else if (prev && date_cmp(cur->since, prev->until) < 0)
			problems_add(ps, file, cur->line, path,
			    "since %s overlaps the period before it, which holds until %s",
			    date_format(cur->since, a), date_format(prev->until, b));
		free(path);
	}
}

void
settings_check(const struct settings *cfg, const char *file, struct problems *ps)
{
	size_t active = 0, keyed = 0;

	for (size_t i = 0; i < cfg->npartners; i++)
		check_periods(&cfg->partners[i], file, ps);

	for (size_t i = 0; i < cfg->nmembers; i++) {
		const struct member *m = &cfg->members[i];
		char *path = xasprintf("members[%zu]", i);

		if (settings_partner(cfg, m->partner) == NULL)
			problems_add(ps, file, m->partner_line, path, "unknown partner '%s'", m->partner);
		if (member_ident_check(m) < 0) {
			problems_add(ps, file, m->line, path, "%s", err_last());
			err_clear();
		}
		for (size_t j = 0; j < i; j++)
			if (strcasecmp(cfg->members[j].email, m->email) == 0)
				problems_add(ps, file, m->line, path,
				    "'%s' is registered twice (also members[%zu])", m->email, j);
		check_keys(cfg, i, file, ps);
		active += m->active;
		keyed += m->active && member_current_key(m) != NULL;
		free(path);
	}
	if (active == 0)
		problems_add(ps, file, cfg->members_line, "members",
		    "no active member: nobody could write to the store");
	else if (keyed == 0 && settings_has_keys(cfg))
		problems_add(ps, file, cfg->members_line, "members",
		    "no active member with a current key: nobody could write to the store");
	else if (settings_writers(cfg) == 0)
		problems_add(ps, file, cfg->members_line, "members",
		    "no active member whose name and address git can write with: nobody could write to the store");
}

/*
 * R2: a registered key is history, as a 458ter period is. Commits signed with it are verified
 * by its dates (the allowed-signers file), so a key removed, moved to another member, or
 * dated otherwise would make good commits bad or forged ones good; and a store whose keys were
 * all removed would take the migration of a store made before keys (member-key --register)
 * from anyone again. So each key of old stays with its member, its since unchanged; a closed
 * one keeps its until; an open one is closed from today on; a new one begins today or later.
 */
static void
keys_history_check(const struct settings *old, const struct settings *cfg, struct date today,
    const char *file, struct problems *ps)
{
	char fp[KEY_FINGERPRINT_SIZE], t[11];

	for (size_t i = 0; i < old->nmembers; i++) {
		const struct member *was = &old->members[i], *now = settings_member(cfg, was->email);
		size_t nnow, in;

		/* An address changed in place is the same member, keys and all. */
		if (now == NULL && i < cfg->nmembers && settings_member(old, cfg->members[i].email) == NULL)
			now = &cfg->members[i];
		nnow = now ? now->nkeys : 0;
		in = now ? (size_t)(now - cfg->members) : 0;
		int line = now ? now->line : cfg->members_line;

		for (size_t k = 0; k < was->nkeys; k++) {
			const struct member_key *w = &was->keys[k], *n = k < nnow ? &now->keys[k] : NULL;
			char *path = now ? xasprintf("members[%zu].keys[%zu]", in, k) : xstrdup("members");
			bool closed = date_valid(w->until);

			key_fingerprint(w->pk, fp);
			if (n == NULL || strcmp(n->text, w->text) != 0 || date_cmp(n->since, w->since) != 0)
				problems_add(ps, file, n ? n->line : line, path,
				    "the key %s of '%s' is history and cannot be removed, replaced or "
				    "moved: register a new one (member-key --register)", fp, was->email);
			else if (closed && date_cmp(n->until, w->until) != 0)
				problems_add(ps, file, n->line, path,
				    "the key %s of '%s' was closed on %s and cannot be reopened or "
				    "redated", fp, was->email, date_format(w->until, t));
			else if (!closed && date_valid(n->until) && date_cmp(n->until, today) < 0)
				problems_add(ps, file, n->line, path,
				    "the key %s of '%s' can be closed from today (%s) on, not before",
				    fp, was->email, date_format(today, t));
			free(path);
		}
	}
	for (size_t i = 0; i < cfg->nmembers; i++) {
		const struct member *now = &cfg->members[i], *was = settings_member(old, now->email);

		for (size_t k = was ? was->nkeys : 0; k < now->nkeys; k++) {
			const struct member_key *n = &now->keys[k];
			char *path;

			if (date_valid(n->since) && date_cmp(n->since, today) >= 0)
				continue;
			path = xasprintf("members[%zu].keys[%zu]", i, k);
			problems_add(ps, file, n->line, path, "a new key cannot be registered before "
			    "today (%s)", date_format(today, t));
			free(path);
		}
	}
}

void
settings_history_check(const struct settings *old, const struct settings *cfg,
    struct date today, const char *file, struct problems *ps)
{
	char t[11], pt[64];

	keys_history_check(old, cfg, today, file, ps);

	for (size_t i = 0; i < old->npartners; i++) {
		const struct partner_cfg *was = &old->partners[i], *now = settings_partner(cfg, was->id);
		size_t nnow = now ? now->nshares : 0;
		int line = now ? now->shares_line : 0;
		char *path = xasprintf("partners.%s.shares_under_458ter", was->id);

		for (size_t k = 0; k < was->nshares; k++) {
			const struct period_458ter *w = &was->shares[k], *n = k < nnow ? &now->shares[k] : NULL;
			bool closed = date_valid(w->until);

			if (closed && (n == NULL || date_cmp(n->since, w->since) != 0 ||
			    date_cmp(n->until, w->until) != 0))
				problems_add(ps, file, n ? n->line : line, path,
				    "the period %s is closed and cannot be changed or removed", period_458ter_text(w, pt));
			else if (!closed && (n == NULL || date_cmp(n->since, w->since) != 0))
				problems_add(ps, file, n ? n->line : line, path,
				    "the open period %s cannot be removed or moved: switch it off to close it",
				    period_458ter_text(w, pt));
			else if (!closed && date_valid(n->until) && date_cmp(n->until, today) < 0)
				problems_add(ps, file, n->line, path,
				    "the period %s can be closed from today (%s) on, not before", period_458ter_text(n, pt),
				    date_format(today, t));
		}
		free(path);
	}
	for (size_t i = 0; i < cfg->npartners; i++) {
		const struct partner_cfg *now = &cfg->partners[i], *was = settings_partner(old, now->id);

		for (size_t k = was ? was->nshares : 0; k < now->nshares; k++) {
			const struct period_458ter *n = &now->shares[k];
			char *path;

			if (date_valid(n->since) && date_cmp(n->since, today) >= 0)
				continue;
			path = xasprintf("partners.%s.shares_under_458ter", now->id);
			problems_add(ps, file, n->line, path, "a new period cannot begin before today (%s): %s",
			    date_format(today, t), period_458ter_text(n, pt));
			free(path);
		}
	}
}

struct settings *
settings_validate(const struct doc *d, const char *file, struct problems *ps)
{
	size_t before = ps->n;
	struct settings *cfg;

	if (!schema_validate(casus_schema("casus"), d, file, ps))
		return NULL;
	cfg = settings_decode(doc_clone(d));
	if (cfg == NULL)
		return NULL;
	settings_check(cfg, file, ps);
	if (ps->n > before) {
		settings_free(cfg);
		return NULL;
	}
	return cfg;
}
