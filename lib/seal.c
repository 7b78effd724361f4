/*
 * seal.c: sealed content (see seal.h). The one place that says which parts a document has,
 * who holds each, of what category and for what purpose (the judgements withhold.c made for
 * plan-show --for), who its recipients are on a day, and how a part is opened, viewed, sealed
 * and checked. The decision whether a partner may receive a part is share_decide()'s alone.
 *
 * Cryptography: a part has a content key of 32 random bytes; each of its fields is sealed
 * with XChaCha20-Poly1305 under that key, with a fresh 24-byte nonce and, as associated data,
 * "casus-seal-1" NUL case ID NUL file NUL field path, so that a sealed value copied to another
 * field, part, file or case does not open there. The content key is sealed for each
 * recipient's key with key_wrap(). Keys are wiped once used.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "mem.h"
#include "msg.h"
#include "seal.h"
#include "utf8.h"

/*
 * Role agreements and what a consultation agreed, decided or dissented belong to no life
 * domain: they are the course of the detention, which case-init's settings call "detention".
 */
#define CONTEXT_CATEGORY "detention"
#define AREA_CATEGORY "reintegration"
#define AD_MAGIC "casus-seal-1"
#define CKEY_SIZE crypto_aead_xchacha20poly1305_ietf_KEYBYTES
#define NONCE_SIZE crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define TAG_SIZE crypto_aead_xchacha20poly1305_ietf_ABYTES
/* The longest text a schema allows is 4000 characters of at most 4 bytes each. */
#define TEXT_MAX_BYTES (4000 * 4)
#define SEALED_MAX_BYTES (NONCE_SIZE + TEXT_MAX_BYTES + TAG_SIZE)
#define SEALED_MAX_B64 ((SEALED_MAX_BYTES + 2) / 3 * 4)
#define MARKER_PREFIX "[sealed for "

_Static_assert(CKEY_SIZE == 32, "a content key is 32 bytes");

bool
seal_is_value(const struct doc *node)
{
	return node != NULL && node->type == DOC_MAP && node->n == 1 &&
	    node->pairs[0].keylen == 6 && strcmp(node->pairs[0].key, "sealed") == 0 &&
	    node->pairs[0].val->type == DOC_STR;
}

const char *
seal_text(const struct doc *field)
{
	if (field != NULL && field->type == DOC_STR)
		return field->s;
	return seal_is_value(field) ? SEAL_CLOSED : NULL;
}

/* --- the parts of a document ---------------------------------------------------------------- */

/* A sealed field: the map that holds it, its key there, and its path in the document. */
struct field {
	struct doc *map;
	const char *key;
	char *path;
};

/*
 * A part: its map, its path, who holds it (strings in the tree; none: no partner is recorded
 * as holding it), the category of its information (NULL when the settings have none), what
 * purpose sharing it serves, and its fields that are there.
 */
struct part {
	struct doc *map;
	char *path;
	const char *holders[16];
	size_t nholders;
	bool many;                      /* holders beyond the 16 held: judged as none may see it */
	const char *category;
	enum purpose purpose;
	bool aftercare;                 /* the justice houses may also receive it for aftercare */
	struct field *fields;
	size_t nfields, cap;
};

struct parts {
	struct part *v;
	size_t n, cap;
};

static void
add_field(struct part *p, struct doc *map, const char *key, char *path)
{
	if (map == NULL || map->type != DOC_MAP || doc_get(map, key) == NULL) {
		free(path);
		return;
	}
	xgrow((void **)&p->fields, &p->cap, p->nfields + 1, sizeof *p->fields);
	p->fields[p->nfields++] = (struct field){map, key, path};
}

/* A new part at map (a map, else NULL) with the holder named at holder_key (NULL: none). */
static struct part *
add_part(struct parts *ps, struct doc *map, char *path, const char *holder_key,
    const char *category, enum purpose purpose)
{
	struct part *p;
	const char *h;

	if (map == NULL || map->type != DOC_MAP) {
		free(path);
		return NULL;
	}
	xgrow((void **)&ps->v, &ps->cap, ps->n + 1, sizeof *ps->v);
	p = &ps->v[ps->n++];
	memset(p, 0, sizeof *p);
	p->map = map;
	p->path = path;
	p->category = category;
	p->purpose = purpose;
	h = holder_key ? doc_get_str(map, holder_key) : NULL;
	if (h != NULL)
		p->holders[p->nholders++] = h;
	return p;
}

static void
parts_free(struct parts *ps)
{
	for (size_t i = 0; i < ps->n; i++) {
		for (size_t f = 0; f < ps->v[i].nfields; f++)
			free(ps->v[i].fields[f].path);
		free(ps->v[i].fields);
		free(ps->v[i].path);
	}
	free(ps->v);
	ps->v = NULL;
	ps->n = ps->cap = 0;
}

static size_t
seq_len(const struct doc *l)
{
	return l && l->type == DOC_SEQ ? l->n : 0;
}

/* The context category, if cfg has it. */
static const char *
category_if(const struct settings *cfg, const char *id)
{
	return cfg && settings_category(cfg, id) ? id : NULL;
}

/* plan.yaml: each life domain (its note, goals and actions), each role agreement. */
static void
plan_parts(struct doc *d, const struct settings *cfg, struct parts *ps)
{
	struct doc *domains = doc_get(d, "domains"), *roles = doc_get(d, "roles");
	const char *ctx = category_if(cfg, CONTEXT_CATEGORY);

	for (int i = 0; i < DOMAIN_N; i++) {
		const char *w = vocab_word(vocab_domains, i);
		const struct category_cfg *cat = cfg ? settings_domain_category(cfg, i) : NULL;
		struct doc *dom = doc_get(domains, w), *goals = doc_get(dom, "goals");
		struct part *p = add_part(ps, dom, xasprintf("domains.%s", w), "owner",
		    cat ? cat->id : NULL, PURPOSE_CASUSOVERLEG);

		if (p == NULL)
			continue;
		add_field(p, dom, "note", xasprintf("%s.note", p->path));
		for (size_t g = 0; g < seq_len(goals); g++) {
			struct doc *goal = goals->items[g], *acts = doc_get(goal, "actions");

			add_field(p, goal, "text", xasprintf("%s.goals[%zu].text", p->path, g));
			for (size_t a = 0; a < seq_len(acts); a++)
				add_field(p, acts->items[a], "text",
				    xasprintf("%s.goals[%zu].actions[%zu].text", p->path, g, a));
		}
	}
	for (size_t i = 0; i < seq_len(roles); i++) {
		struct part *p = add_part(ps, roles->items[i], xasprintf("roles[%zu]", i), "partner",
		    ctx, PURPOSE_CASUSOVERLEG);

		if (p)
			add_field(p, p->map, "agreement", xasprintf("%s.agreement", p->path));
	}
}

/*
 * reintegration.yaml: each area serves the life after release: the justice houses receive it
 * for their reintegration work or their aftercare, every other partner for reintegration.
 */
static void
reintegration_parts(struct doc *d, const struct settings *cfg, struct parts *ps)
{
	for (int i = 0; i < AREA_N; i++) {
		const char *w = vocab_word(vocab_areas, i);
		struct part *p = add_part(ps, doc_get(d, w), xstrdup(w), "owner",
		    category_if(cfg, AREA_CATEGORY), PURPOSE_REINTEGRATION);

		if (p) {
			p->aftercare = true;
			add_field(p, p->map, "note", xasprintf("%s.note", w));
		}
	}
}

/*
 * A decision (key names its text: "text" in each of the decisions, "note" in the old form):
 * everyone present decided it, so every partner present holds it; each point of dissent is
 * its partner's.
 */
static void
decision_parts(struct doc *dc, char *path, const char *key, const struct doc *present,
    const char *ctx, struct parts *ps)
{
	struct part *p = add_part(ps, dc, path, NULL, ctx, PURPOSE_CASUSOVERLEG);
	struct doc *dissent;

	if (p == NULL)
		return;
	for (size_t i = 0; i < seq_len(present); i++) {
		const char *h = doc_get_str(present->items[i], "partner");
		bool dup = false;

		for (size_t k = 0; h && k < p->nholders; k++)
			dup = dup || strcmp(p->holders[k], h) == 0;
		if (h == NULL || dup)
			continue;
		if (p->nholders == sizeof p->holders / sizeof p->holders[0])
			p->many = true;
		else
			p->holders[p->nholders++] = h;
	}
	add_field(p, dc, key, xasprintf("%s.%s", p->path, key));
	dissent = doc_get(dc, "dissent");
	for (size_t i = 0; i < seq_len(dissent); i++) {
		/* p moves as parts are added; path, the string it owns, does not. */
		struct part *q = add_part(ps, dissent->items[i], xasprintf("%s.dissent[%zu]", path, i), "partner",
		    ctx, PURPOSE_CASUSOVERLEG);
		if (q)
			add_field(q, q->map, "point", xasprintf("%s.point", q->path));
	}
}

/* overleg/<DATE>.yaml: each agreement, each decision and each point of dissent. */
static void
overleg_parts(struct doc *d, const struct settings *cfg, struct parts *ps)
{
	struct doc *agr = doc_get(d, "agreements"), *dcs = doc_get(d, "decisions");
	const struct doc *present = doc_get(d, "present");
	const char *ctx = category_if(cfg, CONTEXT_CATEGORY);

	for (size_t i = 0; i < seq_len(agr); i++) {
		struct part *p = add_part(ps, agr->items[i], xasprintf("agreements[%zu]", i), "owner",
		    ctx, PURPOSE_CASUSOVERLEG);

		if (p)
			add_field(p, p->map, "text", xasprintf("%s.text", p->path));
	}
	for (size_t i = 0; i < seq_len(dcs); i++)
		decision_parts(dcs->items[i], xasprintf("decisions[%zu]", i), "text", present, ctx, ps);
	decision_parts(doc_get(d, "decision"), xstrdup("decision"), "note", present, ctx, ps);
}

/* The parts of d, a document of kind, in document order. cfg may be NULL (no categories). */
static void
parts_of(struct doc *d, enum seal_kind kind, const struct settings *cfg, struct parts *ps)
{
	memset(ps, 0, sizeof *ps);
	if (d == NULL || d->type != DOC_MAP)
		return;
	if (kind == SEAL_PLAN)
		plan_parts(d, cfg, ps);
	else if (kind == SEAL_REINTEGRATION)
		reintegration_parts(d, cfg, ps);
	else
		overleg_parts(d, cfg, ps);
}

void
seal_fields(const struct doc *d, enum seal_kind kind, seal_field_fn fn, void *arg)
{
	struct parts ps;

	/* The tree is only read: parts_of() takes one it may point into. */
	parts_of((struct doc *)d, kind, NULL, &ps);
	for (size_t i = 0; i < ps.n; i++) {
		fn(arg, ps.v[i].path, ps.v[i].map, NULL);
		for (size_t f = 0; f < ps.v[i].nfields; f++)
			fn(arg, ps.v[i].path, ps.v[i].map, ps.v[i].fields[f].path);
	}
	parts_free(&ps);
}

static const struct part *
part_at(const struct parts *ps, const char *path)
{
	for (size_t i = 0; i < ps->n; i++)
		if (strcmp(ps->v[i].path, path) == 0)
			return &ps->v[i];
	return NULL;
}

static const struct field *
field_at(const struct part *p, const char *path)
{
	for (size_t i = 0; p && i < p->nfields; i++)
		if (strcmp(p->fields[i].path, path) == 0)
			return &p->fields[i];
	return NULL;
}

static struct doc *
field_value(const struct field *f)
{
	return doc_get(f->map, f->key);
}

/* Whether p is stored sealed: it has a seal list or a sealed value. */
static bool
part_sealed(const struct part *p)
{
	if (doc_get(p->map, "seal") != NULL)
		return true;
	for (size_t i = 0; i < p->nfields; i++)
		if (seal_is_value(field_value(&p->fields[i])))
			return true;
	return false;
}

static bool
holds(const struct part *p, const char *partner)
{
	for (size_t i = 0; partner && i < p->nholders; i++)
		if (strcmp(p->holders[i], partner) == 0)
			return true;
	return false;
}

/* "dg-epi, welzijn": the holders of p, for messages; with none, the partners of its seal list. */
static char *
holder_text(const struct part *p, const struct settings *cfg)
{
	struct buf b = {0};
	const struct doc *seal = doc_get(p->map, "seal");

	for (size_t i = 0; i < p->nholders; i++)
		buf_printf(&b, "%s%s", i ? ", " : "", p->holders[i]);
	for (size_t i = 0; p->nholders == 0 && i < seq_len(seal); i++) {
		const struct member *m = settings_member(cfg, doc_get_str(seal->items[i], "member"));
		bool seen = false;

		/* Each partner once: the members of one partner are listed apart or together. */
		for (size_t k = 0; m && k < i && !seen; k++) {
			const struct member *o = settings_member(cfg, doc_get_str(seal->items[k], "member"));

			seen = o && strcmp(o->partner, m->partner) == 0;
		}
		if (m && !seen)
			buf_printf(&b, "%s%s", b.len ? ", " : "", m->partner);
	}
	if (b.len == 0)
		buf_adds(&b, "nobody");
	return buf_detach(&b);
}

/* --- who may read a part ------------------------------------------------------------------ */

/*
 * Why partner may not receive p on c->on, as withhold.c judged it; NULL when it may: it holds
 * p, or share_decide() lets every holder pass p's category to it for p's purpose (or, for
 * the justice houses, aftercare too). malloc'd.
 */
static char *
refusal(const struct part *p, const struct seal_ctx *c, const char *partner)
{
	static const struct records no_records;

	if (holds(p, partner))
		return NULL;
	if (p->nholders == 0 || p->many)
		return xstrdup("no partner is recorded as holding it");
	if (p->category == NULL)
		return xstrdup("no information category is set for it in casus.yaml");
	for (size_t h = 0; h < p->nholders; h++) {
		enum purpose purposes[2] = {p->purpose, PURPOSE_AFTERCARE};
		size_t n = p->aftercare && strcmp(partner,
		    vocab_word(vocab_partners, PARTNER_JUSTITIEHUIZEN)) == 0 ? 2 : 1;
		char *why = NULL;
		bool ok = false;

		for (size_t i = 0; i < n && !ok; i++) {
			struct share_query q = {
				.from = p->holders[h], .to = partner, .category = p->category,
				.purpose = purposes[i], .date = c->on,
			};
			struct share_answer a;

			share_decide(c->cfg, c->rs ? c->rs : &no_records, &q, &a);
			ok = a.allowed;
			if (!ok && why == NULL) {
				why = a.reason;
				a.reason = NULL;
			}
			share_answer_free(&a);
		}
		if (!ok)
			return why;
		free(why);
	}
	return NULL;
}

/* A recipient: a member, their current key and its fingerprint. */
struct recip {
	const char *email;
	const unsigned char *pk;
	char fp[KEY_FINGERPRINT_SIZE];
};

struct recips {
	struct recip *v;
	size_t n, cap;
};

static int
recip_cmp(const void *a, const void *b)
{
	return strcmp(((const struct recip *)a)->email, ((const struct recip *)b)->email);
}

/*
 * The recipients of p on c->on, sorted by address: the active members with a current key of
 * each partner that holds it (holder: instead of p's, when p has none) and of each partner
 * refusal() lets receive it.
 */
static void
recipients(const struct part *p, const struct seal_ctx *c, const char *holder, struct recips *out)
{
	const struct settings *cfg = c->cfg;
	bool *allowed = xcalloc(cfg->npartners + 1, sizeof *allowed);
	struct part q = *p;

	memset(out, 0, sizeof *out);
	if (q.nholders == 0 && holder != NULL && !q.many)
		q.holders[q.nholders++] = holder;
	for (size_t i = 0; q.nholders > 0 && i < cfg->npartners; i++) {
		char *why = refusal(&q, c, cfg->partners[i].id);

		allowed[i] = why == NULL;
		free(why);
	}
	for (size_t i = 0; i < cfg->nmembers; i++) {
		const struct member *m = &cfg->members[i];
		const struct member_key *k = member_current_key(m);
		bool ok = false;

		for (size_t j = 0; j < cfg->npartners; j++)
			ok = ok || (allowed[j] && strcmp(cfg->partners[j].id, m->partner) == 0);
		if (!ok || k == NULL || !k->ok || !settings_member_active(cfg, m->email, c->on))
			continue;
		xgrow((void **)&out->v, &out->cap, out->n + 1, sizeof *out->v);
		out->v[out->n].email = m->email;
		out->v[out->n].pk = k->pk;
		key_fingerprint(k->pk, out->v[out->n].fp);
		out->n++;
	}
	if (out->n > 1)
		qsort(out->v, out->n, sizeof *out->v, recip_cmp);
	free(allowed);
}

/* Whether the seal list entry it names a recipient of rs (address and key). */
static bool
in_recips(const struct recips *rs, const struct doc *it)
{
	const char *m = doc_get_str(it, "member"), *k = doc_get_str(it, "key");

	for (size_t i = 0; m && k && i < rs->n; i++)
		if (strcmp(rs->v[i].email, m) == 0 && strcmp(rs->v[i].fp, k) == 0)
			return true;
	return false;
}

/* The entry of seal for address m and fingerprint fp, or NULL. */
static const struct doc *
seal_entry(const struct doc *seal, const char *m, const char *fp)
{
	for (size_t i = 0; i < seq_len(seal); i++) {
		const char *em = doc_get_str(seal->items[i], "member"), *k = doc_get_str(seal->items[i], "key");

		if (em && k && strcmp(k, fp) == 0 && (m == NULL || strcmp(em, m) == 0))
			return seal->items[i];
	}
	return NULL;
}

/* --- opening and sealing ------------------------------------------------------------------ */

/* The associated data of the field at path. */
static void
assoc(struct buf *b, const struct seal_ctx *c, const char *path)
{
	b->len = 0;
	buf_adds(b, AD_MAGIC);
	buf_addc(b, '\0');
	buf_adds(b, c->case_id ? c->case_id : "");
	buf_addc(b, '\0');
	buf_adds(b, c->file ? c->file : "");
	buf_addc(b, '\0');
	buf_adds(b, path);
}

/* The content key of the part whose seal list is seal, for key k (fingerprint fp), into ck. */
static int
content_key(const struct doc *seal, const struct key *k, const char *fp, unsigned char ck[CKEY_SIZE])
{
	const struct doc *it = k ? seal_entry(seal, NULL, fp) : NULL;
	const char *w = doc_get_str(it, "wrap");
	unsigned char *bin;
	size_t n;
	int r = -1;

	bin = w ? key_base64_decode(w, strlen(w), &n) : NULL;
	if (bin == NULL)
		return -1;
	if (n == CKEY_SIZE + KEY_WRAP_SIZE)
		r = key_unwrap(k, bin, n, ck);
	free(bin);
	return r;
}

/*
 * The content key of the part whose seal list is seal, for c's key or, failing that, the old key
 * c->also, into ck. 0, or -1 when neither is a recipient or the wrap does not open.
 */
static int
open_part(const struct doc *seal, const struct seal_ctx *c, unsigned char ck[CKEY_SIZE])
{
	char fp[KEY_FINGERPRINT_SIZE];

	if (c->key && content_key(seal, c->key, key_fingerprint(key_public(c->key), fp), ck) == 0)
		return 0;
	if (c->also && content_key(seal, c->also, key_fingerprint(key_public(c->also), fp), ck) == 0)
		return 0;
	return -1;
}

/* Whether seal names c's key or its old key as a recipient. */
static bool
sealed_for_us(const struct doc *seal, const struct seal_ctx *c)
{
	char fp[KEY_FINGERPRINT_SIZE];

	return (c->key && seal_entry(seal, NULL, key_fingerprint(key_public(c->key), fp))) ||
	    (c->also && seal_entry(seal, NULL, key_fingerprint(key_public(c->also), fp)));
}

/*
 * Whether the len bytes at s are a text the schemas allow (1 to 4000 characters of UTF-8) and
 * a casus file may hold (no control character but TAB and LF, as doc_limits_casus reads).
 */
static bool
text_ok(const char *s, size_t len)
{
	size_t n = 0;

	for (size_t i = 0, k; i < len; i += k, n++) {
		unsigned long cp;

		k = utf8_seq((const unsigned char *)s + i, len - i, &cp);
		if (k == 0 || (cp < 0x20 && cp != '\t' && cp != '\n') || (cp >= 0x7f && cp <= 0x9f))
			return false;
	}
	return n >= 1 && n <= 4000;
}

/* The text of sealed value v at path under ck, or NULL when it does not open. malloc'd. */
static char *
open_value(const struct doc *v, const unsigned char ck[CKEY_SIZE], const struct seal_ctx *c,
    const char *path)
{
	const struct doc *s = seal_is_value(v) ? v->pairs[0].val : NULL;
	unsigned char *bin;
	char *text = NULL;
	unsigned long long tlen;
	struct buf ad = {0};
	size_t n;

	/* Longer than any text the schemas allow can give: it does not open. */
	bin = s && s->len <= SEALED_MAX_B64 ? key_base64_decode(s->s, s->len, &n) : NULL;
	if (bin == NULL)
		return NULL;
	if (n >= NONCE_SIZE + TAG_SIZE) {
		text = xmalloc(n - NONCE_SIZE - TAG_SIZE + 1);
		assoc(&ad, c, path);
		if (crypto_aead_xchacha20poly1305_ietf_decrypt((unsigned char *)text, &tlen, NULL,
		    bin + NONCE_SIZE, n - NONCE_SIZE, (unsigned char *)ad.data, ad.len, bin, ck) != 0 ||
		    !text_ok(text, tlen)) {
			sodium_memzero(text, n - NONCE_SIZE - TAG_SIZE);
			free(text);
			text = NULL;
		} else {
			text[tlen] = '\0';
		}
	}
	buf_free(&ad);
	free(bin);
	return text;
}

/* {sealed: BASE64} of text at path under ck. */
static struct doc *
seal_value(const char *text, size_t len, const unsigned char ck[CKEY_SIZE],
    const struct seal_ctx *c, const char *path)
{
	unsigned char *bin = xmalloc(NONCE_SIZE + len + TAG_SIZE);
	unsigned long long clen;
	struct buf ad = {0};
	struct doc *v = doc_new(DOC_MAP);
	char *b64;

	randombytes_buf(bin, NONCE_SIZE);
	assoc(&ad, c, path);
	crypto_aead_xchacha20poly1305_ietf_encrypt(bin + NONCE_SIZE, &clen, (const unsigned char *)text,
	    len, (unsigned char *)ad.data, ad.len, NULL, bin, ck);
	b64 = key_base64(bin, NONCE_SIZE + (size_t)clen);
	doc_set(v, "sealed", doc_new_str(b64));
	free(b64);
	free(bin);
	buf_free(&ad);
	return v;
}

/* A seal list entry for r with ck wrapped for its key, or NULL with err_set(). */
static struct doc *
wrap_for(const struct recip *r, const unsigned char ck[CKEY_SIZE])
{
	unsigned char w[CKEY_SIZE + KEY_WRAP_SIZE];
	struct doc *it;
	char *b64;

	if (key_wrap(r->pk, ck, CKEY_SIZE, w) < 0)
		return NULL;
	it = doc_new(DOC_MAP);
	doc_set(it, "member", doc_new_str(r->email));
	doc_set(it, "key", doc_new_str(r->fp));
	b64 = key_base64(w, sizeof w);
	doc_set(it, "wrap", doc_new_str(b64));
	free(b64);
	return it;
}

/* --- views -------------------------------------------------------------------------------- */

/* The partner of the member whose current key is k's, or NULL. */
static const char *
key_partner(const struct seal_ctx *c)
{
	const struct member *m = c->key ? settings_member_by_key(c->cfg, key_public(c->key)) : NULL;

	return m ? m->partner : NULL;
}

/* Whether a member of partner is on p's seal list. */
static bool
recipient_partner(const struct part *p, const struct settings *cfg, const char *partner)
{
	const struct doc *seal = doc_get(p->map, "seal");

	for (size_t i = 0; partner && i < seq_len(seal); i++) {
		const struct member *m = settings_member(cfg, doc_get_str(seal->items[i], "member"));

		if (m && strcmp(m->partner, partner) == 0)
			return true;
	}
	return false;
}

/* Replaces every field of p with "[FORM HOLDER: WHY]" and marks p; takes why. */
static void
mark(struct part *p, const char *holder, char *why)
{
	char *marker = holder ? xasprintf(MARKER_PREFIX "%s: %s]", holder, why) :
	    xasprintf("[withheld: %s]", why);

	for (size_t i = 0; i < p->nfields; i++)
		doc_set(p->fields[i].map, p->fields[i].key, doc_new_str(marker));
	if (holder)
		doc_set(p->map, SEAL_MARK_HOLDER, doc_new_str(holder));
	doc_set(p->map, SEAL_MARK_WHY, doc_new_str(why));
	free(marker);
	free(why);
}

/* Why a sealed part the viewer may have does not open: the bases allow it, the seal does not. */
static char *
not_sealed_for(const char *whom, const char *holder)
{
	return xasprintf("not sealed for %s yet (a member of %s re-seals it with case-reseal)",
	    whom, holder);
}

/* Opens p for the viewer, or marks it. Returns 1 if marked. */
static size_t
view_sealed(struct part *p, const struct seal_ctx *c, const char *viewer)
{
	char *holder = holder_text(p, c->cfg), *why = NULL;
	unsigned char ck[CKEY_SIZE];
	char **texts;
	size_t marked = 0;

	if (c->key == NULL) {
		why = xstrdup("you have no key to open it");
	} else if (viewer == NULL) {
		why = xstrdup("your key is not registered to a member of this store");
	} else if (!recipient_partner(p, c->cfg, viewer)) {
		why = refusal(p, c, viewer);
		if (why == NULL)
			why = not_sealed_for(viewer, holder);
	} else if (open_part(doc_get(p->map, "seal"), c, ck) < 0) {
		why = not_sealed_for("your key", holder);
	}
	if (why) {
		mark(p, holder, why);
		free(holder);
		return 1;
	}
	texts = xcalloc(p->nfields + 1, sizeof *texts);
	for (size_t i = 0; i < p->nfields && why == NULL; i++) {
		struct doc *v = field_value(&p->fields[i]);

		if (seal_is_value(v) && (texts[i] = open_value(v, ck, c, p->fields[i].path)) == NULL)
			why = xstrdup("it does not open: it was moved from another field or case, or altered");
	}
	sodium_memzero(ck, sizeof ck);
	if (why) {
		mark(p, holder, why);
		marked = 1;
	}
	for (size_t i = 0; i < p->nfields; i++) {
		if (texts[i] && why == NULL)
			doc_set(p->fields[i].map, p->fields[i].key, doc_new_str(texts[i]));
		if (texts[i])
			sodium_memzero(texts[i], strlen(texts[i]));
		free(texts[i]);
	}
	free(texts);
	free(holder);
	return marked;
}

size_t
seal_view(struct doc *d, const struct seal_ctx *c)
{
	struct parts ps;
	const char *viewer = c->viewer ? c->viewer : key_partner(c);
	size_t n = 0;

	parts_of(d, c->kind, c->cfg, &ps);
	for (size_t i = 0; i < ps.n; i++) {
		struct part *p = &ps.v[i];
		char *why;

		if (p->nfields == 0)
			continue;
		if (part_sealed(p)) {
			n += view_sealed(p, c, viewer);
			continue;
		}
		why = c->viewer ? refusal(p, c, c->viewer) : NULL;
		if (why != NULL) {
			mark(p, NULL, why);
			n++;
		}
	}
	parts_free(&ps);
	return n;
}

void
seal_unmark(struct doc *d)
{
	if (d == NULL)
		return;
	if (d->type == DOC_SEQ)
		for (size_t i = 0; i < d->n; i++)
			seal_unmark(d->items[i]);
	if (d->type != DOC_MAP)
		return;
	doc_del(d, SEAL_MARK_HOLDER);
	doc_del(d, SEAL_MARK_WHY);
	for (size_t i = 0; i < d->n; i++)
		seal_unmark(d->pairs[i].val);
}

/* --- writing ------------------------------------------------------------------------------ */

static bool
is_marker(const struct doc *v)
{
	return v && v->type == DOC_STR && strncmp(v->s, MARKER_PREFIX, strlen(MARKER_PREFIX)) == 0;
}

/* Puts stored's seal list on p's map (or none, as stored). */
static void
copy_seal(struct part *p, const struct part *sp)
{
	const struct doc *seal = sp ? doc_get(sp->map, "seal") : NULL;

	if (seal)
		doc_set(p->map, "seal", doc_clone(seal));
	else
		doc_del(p->map, "seal");
}

/* Puts every field of p back as sp stores it, and its seal list. */
static void
restore(struct part *p, const struct part *sp)
{
	for (size_t i = 0; i < p->nfields; i++) {
		const struct field *sf = field_at(sp, p->fields[i].path);

		doc_set(p->fields[i].map, p->fields[i].key, doc_clone(field_value(sf)));
	}
	copy_seal(p, sp);
}

/*
 * Whether p's seal list is sp's: a marker says nothing of which part it stands for, the seal
 * list a view keeps does (its wraps are random), so that a part moved in a list (a role
 * agreement removed above it) is never taken for the one stored at its new place.
 */
static bool
same_seal(const struct part *p, const struct part *sp)
{
	const struct doc *a = doc_get(p->map, "seal"), *b = doc_get(sp->map, "seal");

	return a != NULL && b != NULL && doc_equal(a, b);
}

/*
 * A part closed to the writer: d must hold each of its fields as stored, or its marker, at the
 * same place, and no other; with a marker, the part's seal list as stored. Restores it from
 * stored, or -1 with err_set().
 */
static int
put_closed(struct part *p, const struct part *sp, const struct settings *cfg)
{
	bool same = p->nfields == sp->nfields;

	for (size_t i = 0; i < p->nfields && same; i++) {
		const struct field *sf = field_at(sp, p->fields[i].path);
		const struct doc *v = field_value(&p->fields[i]);

		same = sf != NULL && ((is_marker(v) && same_seal(p, sp)) || doc_equal(v, field_value(sf)));
	}
	if (!same) {
		char *h = holder_text(sp, cfg);

		err_set("%s: is sealed for %s and your key does not open it", p->path, h);
		free(h);
		return -1;
	}
	restore(p, sp);
	return 0;
}

/* The state of one field of a part being written. */
struct put_field {
	char *text;                     /* what it says (malloc'd, wiped) */
	size_t len;
	bool unchanged;                 /* as stored at its place */
	const struct doc *stored;       /* the stored value at its place, or NULL */
};

static void
put_fields_free(struct put_field *pf, size_t n)
{
	for (size_t i = 0; pf && i < n; i++) {
		if (pf[i].text)
			sodium_memzero(pf[i].text, pf[i].len);
		free(pf[i].text);
	}
	free(pf);
}

/*
 * Reads what each field of p says: its text, or, for a sealed value or a marker, the text
 * stored there (opened with ck when sp is sealed and opens). -1 with err_set() for a sealed
 * value that is not the one stored at its place.
 */
static int
put_texts(const struct part *p, const struct part *sp, bool opened, const unsigned char *ck,
    const struct seal_ctx *c, struct put_field *pf)
{
	for (size_t i = 0; i < p->nfields; i++) {
		const struct field *f = &p->fields[i], *sf = field_at(sp, f->path);
		const struct doc *v = field_value(f), *sv = sf ? field_value(sf) : NULL;
		char *stored_text = NULL;

		pf[i].stored = sv;
		if (sv && sv->type == DOC_STR)
			stored_text = xstrdup(sv->s);
		else if (sv && opened)
			stored_text = open_value(sv, ck, c, f->path);
		if (seal_is_value(v) || (is_marker(v) && sv && seal_is_value(sv))) {
			if (!seal_is_value(sv) || (!is_marker(v) && !doc_equal(v, sv)) ||
			    (is_marker(v) && !same_seal(p, sp)) || stored_text == NULL) {
				free(stored_text);
				err_set("%s: a sealed value is kept only where it was sealed", f->path);
				return -1;
			}
			pf[i].text = stored_text;
			pf[i].unchanged = true;
		} else if (v->type == DOC_STR) {
			pf[i].text = xstrdup(v->s);
			pf[i].unchanged = stored_text && strcmp(stored_text, v->s) == 0;
			free(stored_text);
		} else {
			free(stored_text);
			err_set("%s: is neither a text nor a sealed value", f->path);
			return -1;
		}
		pf[i].len = strlen(pf[i].text);
	}
	return 0;
}

/* Seals p for its recipients of the day; sp is what is stored there (NULL: nothing). */
static int
put_sealed(struct part *p, const struct part *sp, bool opened, unsigned char ck[CKEY_SIZE],
    struct put_field *pf, const struct seal_ctx *c, const char *writer)
{
	const struct doc *sseal = sp ? doc_get(sp->map, "seal") : NULL;
	struct recips rs;
	bool reuse = opened;
	struct doc *seal;

	recipients(p, c, writer, &rs);
	if (rs.n == 0) {
		char *h = p->nholders ? holder_text(p, c->cfg) : xstrdup(writer ? writer : "nobody");

		err_set("%s: cannot seal it: no active member of %s has a key", p->path, h);
		free(h);
		free(rs.v);
		return -1;
	}
	for (size_t i = 0; reuse && i < seq_len(sseal); i++)
		reuse = in_recips(&rs, sseal->items[i]);
	if (!reuse)
		randombytes_buf(ck, CKEY_SIZE);
	seal = doc_new(DOC_SEQ);
	for (size_t i = 0; i < rs.n; i++) {
		const struct doc *old = reuse ? seal_entry(sseal, rs.v[i].email, rs.v[i].fp) : NULL;
		struct doc *it = old ? doc_clone(old) : wrap_for(&rs.v[i], ck);

		if (it == NULL) {
			doc_free(seal);
			free(rs.v);
			return -1;
		}
		doc_push(seal, it);
	}
	free(rs.v);
	for (size_t i = 0; i < p->nfields; i++) {
		const struct field *f = &p->fields[i];

		if (reuse && pf[i].unchanged && seal_is_value(pf[i].stored))
			doc_set(f->map, f->key, doc_clone(pf[i].stored));
		else
			doc_set(f->map, f->key, seal_value(pf[i].text, pf[i].len, ck, c, f->path));
	}
	doc_set(p->map, "seal", seal);
	return 0;
}

/* Whether p and q have the same holders. */
static bool
same_holders(const struct part *p, const struct part *q)
{
	bool same = p->nholders == q->nholders && p->many == q->many;

	for (size_t i = 0; i < p->nholders && same; i++)
		same = holds(q, p->holders[i]);
	return same;
}

/* Whether every field of p is the value stored at its place in sp, and sp has no other. */
static bool
untouched(const struct part *p, const struct part *sp)
{
	bool same = p->nfields == sp->nfields;

	for (size_t i = 0; i < p->nfields && same; i++) {
		const struct field *sf = field_at(sp, p->fields[i].path);

		same = sf != NULL && doc_equal(field_value(&p->fields[i]), field_value(sf));
	}
	return same;
}

/* Whether p's seal list names exactly its recipients of c->on (a part without holder: any). */
static bool
sealed_for_today(const struct part *p, const struct seal_ctx *c)
{
	const struct doc *seal = doc_get(p->map, "seal");
	struct recips rs;
	bool same;

	if (p->nholders == 0)
		return true;
	recipients(p, c, NULL, &rs);
	same = rs.n == seq_len(seal);
	for (size_t i = 0; same && i < seq_len(seal); i++)
		same = in_recips(&rs, seal->items[i]);
	free(rs.v);
	return same;
}

/* Makes part p of d ready to store; sp is the part stored at its place, or NULL. */
static int
put_part(struct part *p, const struct part *sp, const struct seal_ctx *c, const char *writer)
{
	bool sealed = sp && part_sealed(sp), opened = false, changed, holder, moved;
	unsigned char ck[CKEY_SIZE];
	struct put_field *pf;
	int r = 0;

	doc_del(p->map, SEAL_MARK_HOLDER);
	doc_del(p->map, SEAL_MARK_WHY);
	if (p->nfields == 0) {
		doc_del(p->map, "seal");
		return 0;
	}
	/*
	 * The writer's to seal when their partner holds it, or held it as stored (giving it to
	 * another holder); a part whose holders changed is sealed again by whoever opens it.
	 */
	moved = sp && !same_holders(p, sp);
	holder = writer && (p->nholders == 0 || holds(p, writer) || (sp && holds(sp, writer)));
	if (sealed && !moved && untouched(p, sp) && (!holder || sealed_for_today(p, c))) {
		/* As stored, and either not the writer's to re-seal or sealed as it should be. */
		restore(p, sp);
		return 0;
	}
	if (sealed) {
		opened = open_part(doc_get(sp->map, "seal"), c, ck) == 0;
		if (!opened)
			return put_closed(p, sp, c->cfg);
	}
	pf = xcalloc(p->nfields, sizeof *pf);
	if (put_texts(p, sp, opened, ck, c, pf) < 0) {
		r = -1;
		goto done;
	}
	changed = sp == NULL || sp->nfields != p->nfields || moved;
	for (size_t i = 0; i < p->nfields; i++)
		changed = changed || !pf[i].unchanged;
	if (!changed && !holder)
		restore(p, sp);
	else
		r = put_sealed(p, sp, opened, ck, pf, c, writer);
done:
	sodium_memzero(ck, sizeof ck);
	put_fields_free(pf, p->nfields);
	return r;
}

int
seal_put(struct doc *d, const struct doc *stored, const struct seal_ctx *c)
{
	struct parts ps, ss;
	const char *writer = key_partner(c);
	int r = 0;

	if (sodium_init() < 0) {
		err_set("cannot use libsodium: it failed to initialise");
		return -1;
	}
	parts_of(d, c->kind, c->cfg, &ps);
	/* The stored tree is only read: parts_of() takes a tree it may point into. */
	parts_of((struct doc *)stored, c->kind, c->cfg, &ss);
	for (size_t i = 0; i < ps.n && r == 0; i++)
		r = put_part(&ps.v[i], part_at(&ss, ps.v[i].path), c, writer);
	parts_free(&ps);
	parts_free(&ss);
	return r;
}

/* --- checks ------------------------------------------------------------------------------- */

/* "a@x, b@y (an old key)": the members of seal, for messages. */
static char *
seal_members(const struct doc *seal, const struct settings *cfg)
{
	struct buf b = {0};

	for (size_t i = 0; i < seq_len(seal); i++) {
		const char *m = doc_get_str(seal->items[i], "member"), *k = doc_get_str(seal->items[i], "key");
		const struct member *mm = settings_member(cfg, m);
		const struct member_key *cur = mm ? member_current_key(mm) : NULL;
		char fp[KEY_FINGERPRINT_SIZE] = "";

		if (cur)
			key_fingerprint(cur->pk, fp);
		buf_printf(&b, "%s%s%s", i ? ", " : "", m ? m : "?",
		    k && strcmp(k, fp) != 0 ? " (an old key)" : "");
	}
	if (b.len == 0)
		buf_adds(&b, "nobody");
	return buf_detach(&b);
}

static char *
recips_text(const struct recips *rs)
{
	struct buf b = {0};

	for (size_t i = 0; i < rs->n; i++)
		buf_printf(&b, "%s%s", i ? ", " : "", rs->v[i].email);
	if (b.len == 0)
		buf_adds(&b, "nobody");
	return buf_detach(&b);
}

static void
check_part(const struct part *p, const struct seal_ctx *c, const char *file, struct problems *ps)
{
	const struct doc *seal = doc_get(p->map, "seal");
	unsigned char ck[CKEY_SIZE];
	struct recips rs;

	if (seal == NULL) {
		for (size_t i = 0; i < p->nfields; i++)
			if (seal_is_value(field_value(&p->fields[i])))
				problems_add(ps, file, field_value(&p->fields[i])->line, p->fields[i].path,
				    "is sealed but its part has no seal list");
		return;
	}
	for (size_t i = 0; i < seq_len(seal); i++) {
		char *path = xasprintf("%s.seal[%zu].member", p->path, i);

		settings_check_member(c->cfg, doc_get_str(seal->items[i], "member"), NULL, file,
		    seal->items[i]->line, path, ps);
		free(path);
	}
	if (sealed_for_us(seal, c)) {
		if (open_part(seal, c, ck) < 0) {
			problems_add(ps, file, seal->line, p->path,
			    "sealed value does not open: it was moved from another field or case, or altered");
		} else {
			for (size_t i = 0; i < p->nfields; i++) {
				const struct doc *v = field_value(&p->fields[i]);
				char *t = seal_is_value(v) ? open_value(v, ck, c, p->fields[i].path) : NULL;

				if (seal_is_value(v) && t == NULL)
					problems_add(ps, file, v->line, p->fields[i].path,
					    "sealed value does not open: it was moved from another field or case, or altered");
				if (t)
					sodium_memzero(t, strlen(t));
				free(t);
			}
			sodium_memzero(ck, sizeof ck);
		}
	}
	if (sealed_for_today(p, c))     /* a part without holder: never stale */
		return;
	recipients(p, c, NULL, &rs);
	{
		char *was = seal_members(seal, c->cfg), *now = recips_text(&rs), day[11];

		date_format(c->on, day);
		problems_add(ps, file, p->map->line, p->path,
		    "sealed for %s but the bases of %s allow %s: re-seal it (case-reseal)", was, day, now);
		free(was);
		free(now);
	}
	free(rs.v);
}

void
seal_check(const struct doc *stored, const struct seal_ctx *c, const char *path,
    struct problems *ps)
{
	struct parts parts;

	parts_of((struct doc *)stored, c->kind, c->cfg, &parts);
	for (size_t i = 0; i < parts.n; i++)
		if (parts.v[i].nfields > 0 && part_sealed(&parts.v[i]))
			check_part(&parts.v[i], c, path, ps);
	parts_free(&parts);
}

struct doc *
seal_mask(const struct doc *d, enum seal_kind kind, const char *partner)
{
	struct doc *copy = doc_clone(d);
	struct parts ps;

	parts_of(copy, kind, NULL, &ps);
	for (size_t i = 0; i < ps.n; i++) {
		struct part *p = &ps.v[i];

		if (p->nholders > 0 && !p->many && !holds(p, partner))
			continue;
		doc_del(p->map, "seal");
		for (size_t f = 0; f < p->nfields; f++)
			doc_del(p->fields[f].map, p->fields[f].key);
	}
	parts_free(&ps);
	return copy;
}
