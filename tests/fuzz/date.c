/*
 * date: the date parser and date arithmetic. The input is a date, then optionally a space and
 * up to eight words, each a duration or a date. Every accepted date formats back to exactly
 * its text; every sum is a real calendar date the right number of days or months away, and
 * reads back as itself when it is in the parser's range.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "fuzz.h"
#include "msg.h"

static int
mdays(int y, int m)
{
	static const int n[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : n[m - 1];
}

/* A calendar date, whatever its year. */
static int
calendar(struct date d)
{
	return d.m >= 1 && d.m <= 12 && d.d >= 1 && d.d <= mdays(d.y, d.m);
}

static void
same(struct date a, struct date b, const char *what)
{
	if (date_cmp(a, b) != 0) {
		fprintf(stderr, "fuzz: %d-%d-%d against %d-%d-%d\n", a.y, a.m, a.d, b.y, b.m, b.d);
		fuzz_broken(what, NULL, 0);
	}
}

/* A sum's result: a calendar date that, if in range, formats and parses back to itself. */
static void
result(struct date r, const char *text)
{
	char buf[11];
	struct date back;

	FUZZ_ASSERT(calendar(r), text, strlen(text));
	date_format(r, buf);
	if (date_valid(r)) {
		FUZZ_ASSERT(date_parse(buf, strlen(buf), &back) == 0, buf, strlen(buf));
		same(back, r, "parse(format(d)) == d");
	} else {
		/* Out of range, the text is cut to four digits of year: it must not read as a date. */
		FUZZ_ASSERT(date_parse(buf, strlen(buf), &back) < 0, buf, strlen(buf));
	}
}

static void
with_duration(struct date d, struct duration u, const char *word)
{
	for (int sign = -1; sign <= 1; sign += 2) {
		struct date r = date_add_duration(d, u, sign);

		result(r, word);
		if (u.unit == 'm') {
			long months = ((long)r.y * 12 + r.m) - ((long)d.y * 12 + d.m);
			int want = d.d < mdays(r.y, r.m) ? d.d : mdays(r.y, r.m);

			FUZZ_ASSERT(months == (long)sign * u.n && r.d == want, word, strlen(word));
		} else {
			long days = date_to_days(r) - date_to_days(d);

			FUZZ_ASSERT(days == (long)sign * u.n * (u.unit == 'w' ? 7 : 1), word, strlen(word));
		}
	}
}

static void
with_date(struct date d, struct date e)
{
	long dd = date_to_days(d), de = date_to_days(e);
	int c = date_cmp(d, e);

	FUZZ_ASSERT((c < 0) == (dd < de) && (c == 0) == (dd == de), NULL, 0);
	same(date_add_days(d, de - dd), e, "d + (e - d) == e");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	char text[11], *copy, *word, *save;
	struct date d, e;
	struct duration u;
	size_t n;

	/* The whole input as a date: accepted exactly when it is its own formatting. */
	if (date_parse(buf, size, &d) == 0) {
		FUZZ_ASSERT(date_valid(d), buf, size);
		FUZZ_ASSERT(size == 10 && memcmp(date_format(d, text), buf, 10) == 0, buf, size);
	}
	copy = malloc(size + 1);
	memcpy(copy, buf, size);
	copy[size] = '\0';
	/* CASUS_TODAY is read with the same parser. */
	if (strlen(copy) == size && setenv("CASUS_TODAY", copy, 1) == 0) {
		int ok = date_parse(buf, size, &d) == 0;

		FUZZ_ASSERT((date_today(&e) == 0) == (ok || size == 0), buf, size);
		if (ok)
			same(e, d, "date_today() == date_parse(CASUS_TODAY)");
		err_clear();
		unsetenv("CASUS_TODAY");
	}
	if (duration_parse(copy, &u) == 0)
		FUZZ_ASSERT(u.n >= 0 && u.n <= 9999 && strchr("dwm", u.unit) != NULL, buf, size);
	n = strcspn(copy, " ");
	if (date_parse(copy, n, &d) < 0) {
		free(copy);
		return 0;
	}
	same(date_from_days(date_to_days(d)), d, "from_days(to_days(d)) == d");
	e = date_add_days(d, 1);
	FUZZ_ASSERT(date_cmp(d, e) < 0 && calendar(e), buf, size);
	same(date_add_days(e, -1), d, "d + 1 - 1 == d");
	save = copy + n;
	for (int i = 0; i < 8 && (word = strtok_r(save, " ", &save)) != NULL; i++) {
		if (duration_parse(word, &u) == 0)
			with_duration(d, u, word);
		else if (date_parse(word, strlen(word), &e) == 0)
			with_date(d, e);
	}
	free(copy);
	return 0;
}
