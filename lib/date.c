/* date.c: calendar dates without time zones; "three months before" is calendar arithmetic. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "date.h"
#include "msg.h"

static bool
leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
mdays(int y, int m)
{
	static const int n[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	return m == 2 && leap(y) ? 29 : n[m - 1];
}

static bool
calendar_day(struct date d)
{
	return d.y >= 0 && d.y <= 9999 && d.m >= 1 && d.m <= 12 && d.d >= 1 && d.d <= mdays(d.y, d.m);
}

bool
date_valid(struct date d)
{
	return d.y >= DATE_YEAR_MIN && calendar_day(d);
}

static int
digits(const char *s, size_t n)
{
	int v = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int
date_parse_rfc3339(const char *s, size_t len, struct date *out)
{
	struct date d;

	if (len != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	d.y = digits(s, 4);
	d.m = digits(s + 5, 2);
	d.d = digits(s + 8, 2);
	if (d.y < 0 || d.m < 0 || d.d < 0 || !calendar_day(d))
		return -1;
	*out = d;
	return 0;
}

int
date_parse(const char *s, size_t len, struct date *out)
{
	struct date d;

	if (date_parse_rfc3339(s, len, &d) < 0 || d.y < DATE_YEAR_MIN)
		return -1;
	*out = d;
	return 0;
}

char *
date_format(struct date d, char buf[11])
{
	/* Unsigned and reduced, so the compiler can see the text fits 10 bytes. */
	snprintf(buf, 11, "%04u-%02u-%02u", (unsigned)d.y % 10000, (unsigned)d.m % 100,
	    (unsigned)d.d % 100);
	return buf;
}

int
date_cmp(struct date a, struct date b)
{
	if (a.y != b.y)
		return a.y < b.y ? -1 : 1;
	if (a.m != b.m)
		return a.m < b.m ? -1 : 1;
	if (a.d != b.d)
		return a.d < b.d ? -1 : 1;
	return 0;
}

/* Days from civil, after H. Hinnant's well-known algorithm (proleptic Gregorian). */
long
date_to_days(struct date d)
{
	long y = d.y - (d.m <= 2);
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long mp = (d.m + 9) % 12;
	long doy = (153 * mp + 2) / 5 + d.d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

struct date
date_from_days(long z)
{
	struct date d;
	long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d.d = (int)(doy - (153 * mp + 2) / 5 + 1);
	d.m = (int)(mp < 10 ? mp + 3 : mp - 9);
	d.y = (int)(yoe + era * 400 + (d.m <= 2));
	return d;
}

struct date
date_of_time(long long t, int offset)
{
	t += (long long)offset * 60;
	return date_from_days((long)(t >= 0 ? t / 86400 : (t - 86399) / 86400));
}

struct date
date_add_days(struct date d, long n)
{
	return date_from_days(date_to_days(d) + n);
}

struct date
date_add_months(struct date d, int n)
{
	long m = (long)d.y * 12 + (d.m - 1) + n;
	struct date r;

	r.y = (int)(m >= 0 ? m / 12 : (m - 11) / 12);
	r.m = (int)(m - (long)r.y * 12) + 1;
	r.d = d.d;
	if (r.d > mdays(r.y, r.m))
		r.d = mdays(r.y, r.m);
	return r;
}

struct date
date_add_duration(struct date d, struct duration dur, int sign)
{
	switch (dur.unit) {
	case 'm':
		return date_add_months(d, sign * dur.n);
	case 'w':
		return date_add_days(d, (long)sign * dur.n * 7);
	default:
		return date_add_days(d, (long)sign * dur.n);
	}
}

int
duration_parse(const char *s, struct duration *out)
{
	size_t n = strlen(s);
	int v;

	/* Up to four digits: a duration of more than 9999 units is a typo, not a plan. */
	if (n < 2 || n > 5 || (s[n - 1] != 'd' && s[n - 1] != 'w' && s[n - 1] != 'm'))
		return -1;
	v = digits(s, n - 1);
	if (v < 0)
		return -1;
	out->n = v;
	out->unit = s[n - 1];
	return 0;
}

int
date_today(struct date *out)
{
	const char *env = getenv("CASUS_TODAY");
	struct tm tm;
	time_t now;

	if (env != NULL && env[0] != '\0') {
		if (date_parse(env, strlen(env), out) < 0) {
			err_set("cannot use CASUS_TODAY '%s': not a valid date (YYYY-MM-DD)", env);
			return -1;
		}
		return 0;
	}
	now = time(NULL);
	if (localtime_r(&now, &tm) == NULL) {
		err_set("cannot read the clock: localtime failed");
		return -1;
	}
	out->y = tm.tm_year + 1900;
	out->m = tm.tm_mon + 1;
	out->d = tm.tm_mday;
	return 0;
}

long long
clock_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}
