/* schema_format.c: the formats "format" can assert, and ECMA-262 regex translation. */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "date.h"
#include "mem.h"
#include "schema.h"
#include "schema_int.h"

const char *const schema_formats[] = {
	"date", "date-time", "time", "email", "ipv4", "ipv6", "uuid", NULL
};


static bool
isdig(char c)
{
	return c >= '0' && c <= '9';
}

static bool
isxdig(char c)
{
	return isdig(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool
isalnumc(char c)
{
	return isdig(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Reads exactly n ASCII digits at s into *v. */
static bool
digits(const char *s, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdig(s[i]))
			return false;
		*v = *v * 10 + (s[i] - '0');
	}
	return true;
}

/*
 * "format: date" is casus's date, read by date.c's one parser, so the schema and the checks
 * that compare dates can never disagree on what a date is (a year 0000 that passed here once
 * left the date-order checks nothing to compare). The RFC 3339 reading, with years 0000..0999,
 * is for the JSON-Schema-Test-Suite; the grammar and the calendar are the same code.
 */
static bool
is_date(const char *s, size_t len, bool rfc3339)
{
	struct date d;

	return (rfc3339 ? date_parse_rfc3339(s, len, &d) : date_parse(s, len, &d)) == 0;
}

/* RFC 3339 full-time: "HH:MM:SS[.frac](Z|+HH:MM|-HH:MM)"; a leap second only at 23:59 UTC. */
static bool
is_time(const char *s, size_t len)
{
	int h, m, sec, oh = 0, om = 0, sign = 0;
	size_t i = 8;

	if (len < 9 || s[2] != ':' || s[5] != ':')
		return false;
	if (!digits(s, 2, &h) || !digits(s + 3, 2, &m) || !digits(s + 6, 2, &sec))
		return false;
	if (i < len && s[i] == '.') {
		size_t start = ++i;

		while (i < len && isdig(s[i]))
			i++;
		if (i == start)
			return false;
	}
	if (i + 1 == len && (s[i] == 'Z' || s[i] == 'z')) {
		sign = 0;
	} else if (i + 6 == len && (s[i] == '+' || s[i] == '-') && s[i + 3] == ':') {
		sign = s[i] == '+' ? 1 : -1;
		if (!digits(s + i + 1, 2, &oh) || !digits(s + i + 4, 2, &om))
			return false;
		if (oh > 23 || om > 59)
			return false;
	} else {
		return false;
	}
	if (h > 23 || m > 59 || sec > 60)
		return false;
	if (sec == 60) {
		int utc = ((h * 60 + m - sign * (oh * 60 + om)) % 1440 + 1440) % 1440;

		if (utc != 23 * 60 + 59)
			return false;
	}
	return true;
}

static bool
is_date_time(const char *s, size_t len)
{
	if (len < 11 || (s[10] != 'T' && s[10] != 't'))
		return false;
	return is_date(s, 10, true) && is_time(s + 11, len - 11);
}

static bool
is_ipv4(const char *s, size_t len)
{
	size_t i = 0;

	for (int part = 0; part < 4; part++) {
		size_t start = i;
		int v = 0;

		if (part > 0) {
			if (i >= len || s[i] != '.')
				return false;
			start = ++i;
		}
		while (i < len && isdig(s[i]) && i - start < 3)
			v = v * 10 + (s[i++] - '0');
		/* Leading zeros would read as octal to some parsers, so they are refused. */
		if (i == start || v > 255 || (s[start] == '0' && i - start > 1))
			return false;
	}
	return i == len;
}

static bool
is_ipv6(const char *s, size_t len)
{
	int groups = 0;
	bool gap = false;
	size_t i = 0;

	if (len >= 2 && s[0] == ':' && s[1] == ':') {
		gap = true;
		i = 2;
	} else if (len >= 1 && s[0] == ':') {
		return false;
	}
	while (i < len) {
		size_t start = i, j = i;

		while (j < len && isxdig(s[j]) && j - start < 5)
			j++;
		if (j < len && s[j] == '.') {
			/* A trailing dotted IPv4 stands for the last two groups. */
			if (!is_ipv4(s + start, len - start))
				return false;
			groups += 2;
			i = len;
			break;
		}
		if (j == start || j - start > 4)
			return false;
		groups++;
		i = j;
		if (i == len)
			break;
		if (s[i] != ':')
			return false;
		i++;
		if (i < len && s[i] == ':') {
			if (gap)
				return false;
			gap = true;
			i++;
		} else if (i == len) {
			return false;
		}
	}
	return gap ? groups < 8 : groups == 8;
}

/* A DNS host name: dot-separated labels of letters, digits and inner hyphens. */
static bool
is_hostname(const char *s, size_t len)
{
	size_t label = 0;

	if (len == 0 || len > 253)
		return false;
	for (size_t i = 0; i <= len; i++) {
		if (i == len || s[i] == '.') {
			if (label == 0 || label > 63 || s[i - 1] == '-' || s[i - label] == '-')
				return false;
			label = 0;
		} else if (isalnumc(s[i]) || s[i] == '-') {
			label++;
		} else {
			return false;
		}
	}
	return true;
}

/* RFC 5321 Mailbox: a dot-atom or quoted local part, then a host name or address literal. */
static bool
is_email(const char *s, size_t len)
{
	static const char atext[] = "!#$%&'*+-/=?^_`{|}~";
	size_t i = 0, at;

	if (len > 0 && s[0] == '"') {
		for (i = 1; i < len && s[i] != '"'; i++) {
			if (s[i] == '\\')
				i++;
			else if (s[i] < 32 || s[i] > 126)
				return false;
		}
		if (i >= len)
			return false;
		i++;
	} else {
		size_t start = 0;

		for (; i < len && s[i] != '@'; i++) {
			if (s[i] == '.') {
				if (i == start || s[i - 1] == '.')
					return false;
			} else if (s[i] == '\0' || (!isalnumc(s[i]) && strchr(atext, s[i]) == NULL)) {
				return false;
			}
		}
		if (i == 0 || s[i - 1] == '.')
			return false;
	}
	if (i >= len || s[i] != '@')
		return false;
	at = i + 1;
	if (at < len && s[at] == '[') {
		if (s[len - 1] != ']')
			return false;
		if (len - at - 2 >= 5 && memcmp(s + at + 1, "IPv6:", 5) == 0)
			return is_ipv6(s + at + 6, len - at - 7);
		return is_ipv4(s + at + 1, len - at - 2);
	}
	return is_hostname(s + at, len - at);
}

static bool
is_uuid(const char *s, size_t len)
{
	if (len != 36)
		return false;
	for (size_t i = 0; i < len; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (dash ? s[i] != '-' : !isxdig(s[i]))
			return false;
	}
	return true;
}

int
schema_format_check(const char *fmt, const char *s, size_t len, bool rfc3339_dates)
{
	if (strcmp(fmt, "date") == 0)
		return is_date(s, len, rfc3339_dates);
	if (strcmp(fmt, "date-time") == 0)
		return is_date_time(s, len);
	if (strcmp(fmt, "time") == 0)
		return is_time(s, len);
	if (strcmp(fmt, "email") == 0)
		return is_email(s, len);
	if (strcmp(fmt, "ipv4") == 0)
		return is_ipv4(s, len);
	if (strcmp(fmt, "ipv6") == 0)
		return is_ipv6(s, len);
	if (strcmp(fmt, "uuid") == 0)
		return is_uuid(s, len);
	return -1;
}

/* ECMA-262 WhiteSpace and LineTerminator, written for PCRE2 with PCRE2_ALT_BSUX. */
#define ECMA_SPACE "\\t\\n\\x0b\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff"

/* ECMA-262 names Unicode properties by their long names too; PCRE2 10.42 knows only the short ones. */
static const struct {
	const char *ecma, *pcre;
} property_names[] = {
	{ "Letter", "L" }, { "Cased_Letter", "L&" }, { "Uppercase_Letter", "Lu" },
	{ "Lowercase_Letter", "Ll" }, { "Titlecase_Letter", "Lt" }, { "Modifier_Letter", "Lm" },
	{ "Other_Letter", "Lo" }, { "Mark", "M" }, { "Nonspacing_Mark", "Mn" },
	{ "Spacing_Mark", "Mc" }, { "Enclosing_Mark", "Me" }, { "Number", "N" },
	{ "Decimal_Number", "Nd" }, { "digit", "Nd" }, { "Letter_Number", "Nl" },
	{ "Other_Number", "No" }, { "Punctuation", "P" }, { "punct", "P" },
	{ "Connector_Punctuation", "Pc" }, { "Dash_Punctuation", "Pd" },
	{ "Open_Punctuation", "Ps" }, { "Close_Punctuation", "Pe" },
	{ "Initial_Punctuation", "Pi" }, { "Final_Punctuation", "Pf" },
	{ "Other_Punctuation", "Po" }, { "Symbol", "S" }, { "Math_Symbol", "Sm" },
	{ "Currency_Symbol", "Sc" }, { "Modifier_Symbol", "Sk" }, { "Other_Symbol", "So" },
	{ "Separator", "Z" }, { "Space_Separator", "Zs" }, { "Line_Separator", "Zl" },
	{ "Paragraph_Separator", "Zp" }, { "Other", "C" }, { "Control", "Cc" }, { "cntrl", "Cc" },
	{ "Format", "Cf" }, { "Unassigned", "Cn" }, { "Private_Use", "Co" }, { "Surrogate", "Cs" },
};

/* Writes the body of \p{...} (name, len bytes) as PCRE2 reads it. */
static void
add_property(struct buf *out, const char *name, size_t len)
{
	static const char *const prefixes[] = { "General_Category=", "gc=", "Script=", "sc=" };

	for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
		size_t pl = strlen(prefixes[i]);

		if (len > pl && memcmp(name, prefixes[i], pl) == 0) {
			name += pl;
			len -= pl;
			break;
		}
	}
	for (size_t i = 0; i < sizeof property_names / sizeof property_names[0]; i++) {
		if (strlen(property_names[i].ecma) == len && memcmp(name, property_names[i].ecma, len) == 0) {
			buf_adds(out, property_names[i].pcre);
			return;
		}
	}
	buf_add(out, name, len);
}

void
schema_regex_translate(const char *pat, size_t len, struct buf *out)
{
	bool inclass = false;

	for (size_t i = 0; i < len; i++) {
		char c = pat[i];

		if (c == '\\' && i + 1 < len) {
			char e = pat[++i];
			const char *close = NULL;

			if ((e == 'p' || e == 'P') && i + 2 < len && pat[i + 1] == '{')
				close = memchr(pat + i + 2, '}', len - i - 2);
			if (close) {
				buf_addc(out, c);
				buf_addc(out, e);
				buf_addc(out, '{');
				add_property(out, pat + i + 2, (size_t)(close - (pat + i + 2)));
				buf_addc(out, '}');
				i = (size_t)(close - pat);
			} else if (e == 's')
				buf_adds(out, inclass ? ECMA_SPACE : "[" ECMA_SPACE "]");
			else if (e == 'S' && !inclass)
				buf_adds(out, "[^" ECMA_SPACE "]");
			else {
				buf_addc(out, c);
				buf_addc(out, e);
			}
			continue;
		}
		if (c == '[' && !inclass)
			inclass = true;
		else if (c == ']' && inclass)
			inclass = false;
		buf_addc(out, c);
	}
}
