/* doc_emit.c: document trees to YAML (one canonical form, by libyaml's emitter) and to JSON. */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "doc.h"
#include "utf8.h"
#include "mem.h"
#include "msg.h"

/*
 * Both writers walk the tree with a stack of open collections rather than recursion, so the
 * deepest tree the parser can be asked to build is also one they can write.
 */
struct walk {
	const struct doc *node;
	size_t i;               /* the next item or pair */
};

/*
 * A double in the fewest digits that read back as the same double, always with a '.' (or
 * as .inf/.nan) so that it reads back as a float and not an integer, in YAML 1.1 as well:
 * 1e+20 is a string to a YAML 1.1 reader, 1.0e+20 a float to both.
 */
static void
format_float(double f, char *out, size_t size)
{
	char tmp[40], *e;
	int prec;

	if (isnan(f)) {
		snprintf(out, size, ".nan");
		return;
	}
	if (isinf(f)) {
		snprintf(out, size, f < 0 ? "-.inf" : ".inf");
		return;
	}
	for (prec = 15; prec < 17; prec++) {
		snprintf(tmp, sizeof tmp, "%.*g", prec, f);
		if (strtod(tmp, NULL) == f)
			break;
	}
	snprintf(tmp, sizeof tmp, "%.*g", prec, f);
	if (strchr(tmp, '.') != NULL) {
		snprintf(out, size, "%s", tmp);
		return;
	}
	e = strchr(tmp, 'e');
	if (e == NULL)
		snprintf(out, size, "%s.0", tmp);
	else
		snprintf(out, size, "%.*s.0%s", (int)(e - tmp), tmp, e);
}

/* ---- YAML ---- */

static bool
ieq(const char *s, size_t len, const char *word)
{
	if (strlen(word) != len)
		return false;
	for (size_t i = 0; i < len; i++)
		if ((s[i] | 0x20) != word[i])
			return false;
	return true;
}

/*
 * Whether a string may be written plain: only when no reader, YAML 1.2 core schema or YAML 1.1,
 * would take the plain text for anything but this string. The rule is deliberately coarse:
 * - the empty string, "~", "<<" and "=" (1.1's merge and value keys) are quoted;
 * - the words null, true, false, yes, no, on, off, y, n are quoted in any letter case (1.1
 *   lists only three casings each; quoting a few more costs nothing);
 * - anything that starts with a digit, or with '.', '+' or '-' followed by a digit or '.', is
 *   quoted, and so are "." and .inf/.nan in any case: that covers every integer and float of
 *   both schemas (0o17, 0x1F, 1_000, 1:30, .inf, -.5, .nan) and 1.1's timestamps, so dates
 *   such as 2026-01-01 are written quoted ('2026-01-01') and stay strings for PyYAML and other
 *   1.1 readers too.
 * libyaml itself still decides whether plain is possible at all (": ", "#", leading "-", ...).
 */
static bool
plain_safe(const char *s, size_t len)
{
	static const char *const words[] = {
		"null", "true", "false", "yes", "no", "on", "off", "y", "n", NULL
	};
	char c;

	if (len == 0)
		return false;
	if ((len == 1 && s[0] == '~') || (len == 1 && s[0] == '=') ||
	    (len == 2 && s[0] == '<' && s[1] == '<'))
		return false;
	for (size_t i = 0; words[i] != NULL; i++)
		if (ieq(s, len, words[i]))
			return false;
	c = s[0];
	if (c >= '0' && c <= '9')
		return false;
	if (c == '.' && (len == 1 || ieq(s + 1, len - 1, "inf") || ieq(s + 1, len - 1, "nan")))
		return false;
	if ((c == '.' || c == '+' || c == '-') && len > 1 &&
	    ((s[1] >= '0' && s[1] <= '9') || s[1] == '.'))
		return false;
	return true;
}

static int
yaml_write(void *data, unsigned char *p, size_t n)
{
	buf_add(data, p, n);
	return 1;
}

static int
emit(yaml_emitter_t *em, yaml_event_t *ev)
{
	/* On success and on failure alike the emitter owns ev from here on. */
	if (!yaml_emitter_emit(em, ev)) {
		err_set("cannot emit YAML: %s", em->problem ? em->problem : "emitter error");
		return -1;
	}
	return 0;
}

static int
emit_text(yaml_emitter_t *em, const char *s, size_t len, bool plain, yaml_scalar_style_t style)
{
	yaml_event_t ev;

	if (!yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s, (int)len,
	    plain, 1, style)) {
		err_set("cannot emit YAML: a string is not valid UTF-8");
		return -1;
	}
	return emit(em, &ev);
}

/*
 * Multi-line strings are asked for as literal blocks, which read best in a diff; libyaml
 * falls back to quotes where a block cannot hold the string.
 */
static int
emit_scalar(yaml_emitter_t *em, const struct doc *d)
{
	char tmp[64];

	switch (d->type) {
	case DOC_NULL:
		return emit_text(em, "null", 4, true, YAML_PLAIN_SCALAR_STYLE);
	case DOC_BOOL:
		return d->b ? emit_text(em, "true", 4, true, YAML_PLAIN_SCALAR_STYLE) :
		    emit_text(em, "false", 5, true, YAML_PLAIN_SCALAR_STYLE);
	case DOC_INT:
		snprintf(tmp, sizeof tmp, "%lld", d->i);
		return emit_text(em, tmp, strlen(tmp), true, YAML_PLAIN_SCALAR_STYLE);
	case DOC_FLOAT:
		format_float(d->f, tmp, sizeof tmp);
		return emit_text(em, tmp, strlen(tmp), true, YAML_PLAIN_SCALAR_STYLE);
	default:
		if (d->len > (size_t)INT_MAX) {
			err_set("cannot emit YAML: a string is too long");
			return -1;
		}
		if (d->s == NULL || d->len == 0)
			return emit_text(em, "", 0, false, YAML_ANY_SCALAR_STYLE);
		return emit_text(em, d->s, d->len, plain_safe(d->s, d->len),
		    memchr(d->s, '\n', d->len) ? YAML_LITERAL_SCALAR_STYLE : YAML_ANY_SCALAR_STYLE);
	}
}

/* Emits d; a collection's start is emitted and pushed, to be filled by the caller's loop. */
static int
emit_node(yaml_emitter_t *em, const struct doc *d, struct walk **st, size_t *n, size_t *cap)
{
	yaml_event_t ev;

	if (d->type == DOC_SEQ)
		yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_SEQUENCE_STYLE);
	else if (d->type == DOC_MAP)
		yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE);
	else
		return emit_scalar(em, d);
	if (emit(em, &ev) < 0)
		return -1;
	xgrow((void **)st, cap, *n + 1, sizeof **st);
	(*st)[*n].node = d;
	(*st)[*n].i = 0;
	(*n)++;
	return 0;
}

static int
emit_tree(yaml_emitter_t *em, const struct doc *root)
{
	struct walk *st = NULL;
	size_t n = 0, cap = 0;
	int rc;

	rc = emit_node(em, root, &st, &n, &cap);
	while (rc == 0 && n > 0) {
		struct walk *w = &st[n - 1];
		const struct doc *d = w->node;
		yaml_event_t ev;

		if (w->i == d->n) {
			n--;
			if (d->type == DOC_SEQ)
				yaml_sequence_end_event_initialize(&ev);
			else
				yaml_mapping_end_event_initialize(&ev);
			rc = emit(em, &ev);
		} else if (d->type == DOC_SEQ) {
			rc = emit_node(em, d->items[w->i++], &st, &n, &cap);
		} else {
			const struct doc_pair *p = &d->pairs[w->i++];

			rc = emit_text(em, p->key, p->keylen, plain_safe(p->key, p->keylen),
			    YAML_ANY_SCALAR_STYLE);
			if (rc == 0)
				rc = emit_node(em, p->val, &st, &n, &cap);
		}
	}
	free(st);
	return rc;
}

int
doc_emit_yaml(const struct doc *d, char **out, size_t *outlen)
{
	yaml_emitter_t em;
	yaml_event_t ev;
	struct buf b = {0};
	int rc;

	*out = NULL;
	*outlen = 0;
	if (!yaml_emitter_initialize(&em)) {
		err_set("cannot emit YAML: out of memory");
		return -1;
	}
	yaml_emitter_set_output(&em, yaml_write, &b);
	yaml_emitter_set_width(&em, -1);
	yaml_emitter_set_unicode(&em, 1);
	yaml_emitter_set_break(&em, YAML_LN_BREAK);
	yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING);
	rc = emit(&em, &ev);
	if (rc == 0) {
		yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1);
		rc = emit(&em, &ev);
	}
	if (rc == 0)
		rc = emit_tree(&em, d);
	if (rc == 0) {
		yaml_document_end_event_initialize(&ev, 1);
		rc = emit(&em, &ev);
	}
	if (rc == 0) {
		yaml_stream_end_event_initialize(&ev);
		rc = emit(&em, &ev);
	}
	if (rc == 0 && !yaml_emitter_flush(&em)) {
		err_set("cannot emit YAML: %s", em.problem ? em.problem : "emitter error");
		rc = -1;
	}
	yaml_emitter_delete(&em);
	if (rc < 0) {
		buf_free(&b);
		return -1;
	}
	*outlen = b.len;
	*out = buf_detach(&b);
	return 0;
}

/* ---- JSON ---- */


/* DEL and the C1 controls are escaped too: JSON allows them raw, terminals do not deserve them. */
static int
json_string(struct buf *b, const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	buf_addc(b, '"');
	while (i < len) {
		unsigned char c = s[i];
		size_t n;

		switch (c) {
		case '"':
			buf_adds(b, "\\\"");
			break;
		case '\\':
			buf_adds(b, "\\\\");
			break;
		case '\n':
			buf_adds(b, "\\n");
			break;
		case '\t':
			buf_adds(b, "\\t");
			break;
		case '\r':
			buf_adds(b, "\\r");
			break;
		case '\b':
			buf_adds(b, "\\b");
			break;
		case '\f':
			buf_adds(b, "\\f");
			break;
		default:
			if (c < 0x20 || c == 0x7f) {
				buf_printf(b, "\\u%04x", c);
				break;
			}
			n = utf8_seq(s + i, len - i, NULL);
			if (n == 0) {
				err_set("cannot emit JSON: a string is not valid UTF-8");
				return -1;
			}
			if (n == 2 && c == 0xc2 && s[i + 1] <= 0x9f)
				buf_printf(b, "\\u%04x", s[i + 1]);
			else
				buf_add(b, s + i, n);
			i += n;
			continue;
		}
		i++;
	}
	buf_addc(b, '"');
	return 0;
}

static void
json_newline(struct buf *b, bool pretty, size_t depth)
{
	if (!pretty)
		return;
	buf_addc(b, '\n');
	for (size_t i = 0; i < depth; i++)
		buf_adds(b, "  ");
}

/* Writes a scalar or an empty collection whole; opens a non-empty collection and pushes it. */
static int
json_value(struct buf *b, const struct doc *d, struct walk **st, size_t *n, size_t *cap)
{
	char tmp[64];

	switch (d->type) {
	case DOC_NULL:
		buf_adds(b, "null");
		return 0;
	case DOC_BOOL:
		buf_adds(b, d->b ? "true" : "false");
		return 0;
	case DOC_INT:
		buf_printf(b, "%lld", d->i);
		return 0;
	case DOC_FLOAT:
		if (!isfinite(d->f)) {
			buf_adds(b, "null");
			return 0;
		}
		format_float(d->f, tmp, sizeof tmp);
		buf_adds(b, tmp);
		return 0;
	case DOC_STR:
		return json_string(b, d->s ? d->s : "", d->s ? d->len : 0);
	case DOC_SEQ:
	case DOC_MAP:
		break;
	}
	if (d->n == 0) {
		buf_adds(b, d->type == DOC_SEQ ? "[]" : "{}");
		return 0;
	}
	buf_addc(b, d->type == DOC_SEQ ? '[' : '{');
	xgrow((void **)st, cap, *n + 1, sizeof **st);
	(*st)[*n].node = d;
	(*st)[*n].i = 0;
	(*n)++;
	return 0;
}

int
doc_emit_json(const struct doc *d, bool pretty, char **out, size_t *outlen)
{
	struct buf b = {0};
	struct walk *st = NULL;
	size_t n = 0, cap = 0;
	int rc;

	*out = NULL;
	*outlen = 0;
	rc = json_value(&b, d, &st, &n, &cap);
	while (rc == 0 && n > 0) {
		struct walk *w = &st[n - 1];
		const struct doc *c = w->node;

		if (w->i == c->n) {
			n--;
			json_newline(&b, pretty, n);
			buf_addc(&b, c->type == DOC_SEQ ? ']' : '}');
			continue;
		}
		if (w->i > 0)
			buf_addc(&b, ',');
		json_newline(&b, pretty, n);
		if (c->type == DOC_SEQ) {
			rc = json_value(&b, c->items[w->i++], &st, &n, &cap);
		} else {
			const struct doc_pair *p = &c->pairs[w->i++];

			rc = json_string(&b, p->key, p->keylen);
			if (rc == 0) {
				buf_adds(&b, pretty ? ": " : ":");
				rc = json_value(&b, p->val, &st, &n, &cap);
			}
		}
	}
	free(st);
	if (rc < 0) {
		buf_free(&b);
		return -1;
	}
	if (pretty)
		buf_addc(&b, '\n');
	*outlen = b.len;
	*out = buf_detach(&b);
	return 0;
}
