/*
 * date.h: ISO 8601 calendar dates, month arithmetic clamped to month ends, "today", and the
 * monotonic clock.
 */
#ifndef CASUS_DATE_H
#define CASUS_DATE_H

#include <stdbool.h>
#include <stddef.h>

struct date {
	int y, m, d;
};

/* Durations as scripts write them: "14d", "6w", "3m". */
struct duration {
	int n;
	char unit;              /* 'd', 'w' or 'm' */
};

/*
 * The first year casus takes. A plan's dates are those of a sentence being served; a year
 * before 1000 is a typo (0026 for 2026, 0000 for an unknown date), not a date to plan by.
 */
#define DATE_YEAR_MIN 1000

/*
 * The one parser of casus's dates: every program, every record decoder and the schemas'
 * "format: date" call it, so a date the schema lets through is one the checks can read.
 * Parses exactly "YYYY-MM-DD" (len bytes) as a real calendar date, year DATE_YEAR_MIN..9999.
 * Returns 0, or -1 leaving *out untouched.
 */
int date_parse(const char *s, size_t len, struct date *out);
/*
 * The same grammar and calendar without casus's range: any RFC 3339 full-date, year
 * 0000..9999 (proleptic Gregorian). Only for the schema validator's RFC 3339 reading of
 * "format: date" and "date-time", which the JSON-Schema-Test-Suite holds it to. Returns 0 or -1.
 */
int date_parse_rfc3339(const char *s, size_t len, struct date *out);
/* A real calendar date in casus's range, as date_parse would accept it. */
bool date_valid(struct date d);
/* Writes "YYYY-MM-DD" and a NUL into buf (11 bytes). Returns buf. */
char *date_format(struct date d, char buf[11]);
int date_cmp(struct date a, struct date b);            /* <0, 0, >0 */
/* Days since 1970-01-01 and back. */
long date_to_days(struct date d);
struct date date_from_days(long days);
struct date date_add_days(struct date d, long n);
/* The day of t (seconds since the epoch) in the time zone offset minutes east of UTC. */
struct date date_of_time(long long t, int offset);
/* Adds n months (n may be negative), clamping the day to the end of the month: 2027-05-31 - 3m = 2027-02-28. */
struct date date_add_months(struct date d, int n);
/* Applies a duration (n may be negated by the caller with sign = -1). */
struct date date_add_duration(struct date d, struct duration dur, int sign);
int duration_parse(const char *s, struct duration *out);   /* 0, or -1 */
/* Today: CASUS_TODAY if set (which must be a valid date, else -1 with err_set), else the local date. */
int date_today(struct date *out);

/* The monotonic clock (CLOCK_MONOTONIC) in nanoseconds: for deadlines and timings, not dates. */
long long clock_ns(void);

#endif
