/*
 * date-test: calendar dates, month arithmetic clamped to month ends, durations, CASUS_TODAY,
 * and the schemas' "format: date" reading dates as date_parse does.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "doc.h"
#include "schema.h"

static int npass, nfail;

static void
ok(int cond, const char *what)
{
	if (cond)
		npass++;
	else
		nfail++;
	printf("%s %d - %s\n", cond ? "ok" : "not ok", npass + nfail, what);
}

static int
is(const char *s, const char *want)
{
	struct date d;
	char buf[11];

	return date_parse(s, strlen(s), &d) == 0 && strcmp(date_format(d, buf), want) == 0;
}

static int
months(const char *s, int n, const char *want)
{
	struct date d;
	char buf[11];

	if (date_parse(s, strlen(s), &d) < 0)
		return 0;
	return strcmp(date_format(date_add_months(d, n), buf), want) == 0;
}

static int
bad(const char *s)
{
	struct date d;

	return date_parse(s, strlen(s), &d) < 0;
}

/*
 * Does the schema {type: string, format: date}, compiled as casus compiles its own, take s
 * (or, with rfc3339 set, as the JSON-Schema-Test-Suite runs it)?
 */
static bool
schema_takes(const char *s, bool rfc3339)
{
	struct schema_opts opts = { .assert_format = true, .rfc3339_dates = rfc3339 };
	struct doc *root = doc_new(DOC_MAP), *v = doc_new_str(s);
	struct schema *sc;
	bool r;

	doc_set(root, "type", doc_new_str("string"));
	doc_set(root, "format", doc_new_str("date"));
	sc = schema_compile(root, "date", &opts);
	r = sc && schema_validate(sc, v, "test.yaml", NULL);
	schema_free(sc);
	doc_free(root);
	doc_free(v);
	return r;
}

/* The schema's "format: date" and date_parse give one verdict on each of these. */
static void
one_parser(void)
{
	static const char *const dates[] = {
		"0000-05-31", "0001-01-01", "0400-02-29", "0999-12-31", "1000-01-01", "9999-12-31",
		"2026-02-29", "2028-02-29", "2026-11-29", "2026-1-01", "20260-1-01", "", NULL,
	};
	struct date d;

	for (int i = 0; dates[i]; i++) {
		char what[80];

		snprintf(what, sizeof what, "format: date and date_parse agree on '%s'", dates[i]);
		ok(schema_takes(dates[i], false) == (date_parse(dates[i], strlen(dates[i]), &d) == 0), what);
	}
	ok(!schema_takes("0000-05-31", false), "format: date refuses year 0000");
	ok(schema_takes("0001-01-01", true) && schema_takes("0400-02-29", true) &&
	    !schema_takes("0100-02-29", true) && !schema_takes("2026-02-30", true),
	    "the RFC 3339 reading takes years 0000..0999, on the same calendar");
	ok(date_parse_rfc3339("0000-05-31", 10, &d) == 0 && d.y == 0 && d.m == 5 && d.d == 31,
	    "date_parse_rfc3339 reads year 0000");
	d.y = 7;
	ok(date_parse("0000-05-31", 10, &d) < 0 && bad("0999-12-31") && d.y == 7,
	    "date_parse refuses years before 1000 and leaves the date alone");
	ok(is("1000-01-01", "1000-01-01") && is("9999-12-31", "9999-12-31"), "years 1000 and 9999");
}

int
main(void)
{
	struct duration dur;
	struct date d;
	char buf[11];

	ok(is("2026-11-29", "2026-11-29"), "a plain date parses");
	ok(is("2028-02-29", "2028-02-29"), "29 February in a leap year");
	ok(is("2000-02-29", "2000-02-29"), "29 February 2000 (divisible by 400)");
	ok(bad("2026-02-29"), "29 February 2026 is refused");
	ok(bad("1900-02-29"), "29 February 1900 is refused (century)");
	ok(bad("2026-02-30"), "30 February is refused");
	ok(bad("2026-04-31"), "31 April is refused");
	ok(bad("2026-13-01") && bad("2026-00-10") && bad("2026-01-00"), "month 13, month 0, day 0");
	ok(bad("2026-1-01") && bad("26-01-01") && bad("2026/01/01") && bad("2026-01-01x"), "other shapes");
	ok(bad("") && bad("+026-01-01") && bad("2026-0a-01"), "empty and non-digits");
	ok(months("2027-05-31", -3, "2027-02-28"), "31 May - 3 months = 28 February");
	ok(months("2028-05-31", -3, "2028-02-29"), "31 May 2028 - 3 months = 29 February (leap)");
	ok(months("2027-01-15", -3, "2026-10-15"), "across a year boundary backwards");
	ok(months("2026-11-30", 3, "2027-02-28"), "across a year boundary forwards, clamped");
	ok(months("2026-01-31", 1, "2026-02-28"), "31 January + 1 month");
	ok(months("2026-03-31", -1, "2026-02-28"), "31 March - 1 month");
	ok(months("2026-06-15", -18, "2024-12-15"), "minus 18 months");
	ok(months("2026-06-15", 0, "2026-06-15"), "zero months");
	date_parse("2026-12-31", 10, &d);
	ok(strcmp(date_format(date_add_days(d, 1), buf), "2027-01-01") == 0, "31 December + 1 day");
	date_parse("2028-02-28", 10, &d);
	ok(strcmp(date_format(date_add_days(d, 1), buf), "2028-02-29") == 0, "28 February 2028 + 1 day");
	date_parse("1970-01-01", 10, &d);
	ok(date_to_days(d) == 0, "1970-01-01 is day 0");
	date_parse("2026-11-29", 10, &d);
	ok(date_cmp(date_from_days(date_to_days(d)), d) == 0, "days round trip");
	ok(duration_parse("14d", &dur) == 0 && dur.n == 14 && dur.unit == 'd', "14d");
	ok(duration_parse("6w", &dur) == 0 && dur.n == 6 && dur.unit == 'w', "6w");
	ok(duration_parse("3m", &dur) == 0 && dur.n == 3 && dur.unit == 'm', "3m");
	ok(duration_parse("3", &dur) < 0 && duration_parse("m", &dur) < 0 && duration_parse("3y", &dur) < 0 &&
	    duration_parse("-3m", &dur) < 0 && duration_parse("99999d", &dur) < 0, "bad durations");
	date_parse("2026-11-29", 10, &d);
	duration_parse("6w", &dur);
	ok(strcmp(date_format(date_add_duration(d, dur, 1), buf), "2027-01-10") == 0, "+6 weeks");
	setenv("CASUS_TODAY", "2027-02-28", 1);
	ok(date_today(&d) == 0 && strcmp(date_format(d, buf), "2027-02-28") == 0, "CASUS_TODAY overrides today");
	setenv("CASUS_TODAY", "2027-02-30", 1);
	ok(date_today(&d) < 0, "an impossible CASUS_TODAY is an error");
	unsetenv("CASUS_TODAY");
	ok(date_today(&d) == 0 && date_valid(d), "today without CASUS_TODAY");
	setenv("CASUS_TODAY", "0000-05-31", 1);
	ok(date_today(&d) < 0, "a CASUS_TODAY in year 0000 is an error");
	unsetenv("CASUS_TODAY");
	one_parser();
	printf("%d passed, %d failed\n", npass, nfail);
	return nfail ? 1 : 0;
}
