/* cli.c: the option frame, usage errors and safe output shared by every program. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "msg.h"

#ifndef CASUS_VERSION
#define CASUS_VERSION "dev"
#endif

void
cli_start(struct cli *c, int argc, char **argv, const char *usage)
{
	const char *slash;

	(void)argc;
	memset(c, 0, sizeof *c);
	c->usage = usage;
	c->argv = argv;
	if (argv[0] != NULL) {
		slash = strrchr(argv[0], '/');
		progname = slash ? slash + 1 : argv[0];
	}
	/* Keep getopt quiet: cli_option() says what went wrong in the house form. */
	opterr = 0;
}

/* The synopsis (the usage up to its first blank line), then where to read more. */
static void
usage_line(const struct cli *c, FILE *f)
{
	const char *end = strstr(c->usage, "\n\n");

	fprintf(f, "%.*s\n", end ? (int)(end - c->usage) : (int)strcspn(c->usage, "\n"), c->usage);
	fprintf(f, "Try '%s --help' for more.\n", progname);
}

void
cli_usage_error(const struct cli *c, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	usage_line(c, stderr);
	exit(EXIT_ERROR);
}

void
cli_option(struct cli *c, int opt)
{
	switch (opt) {
	case 'C':
		c->dir = optarg;
		return;
	case 'h':
		fputs(c->usage, stdout);
		exit(EXIT_YES);
	case 'V':
		printf("%s (casus) %s\n", progname, CASUS_VERSION);
		exit(EXIT_YES);
	case ':':
		cli_usage_error(c, "option '%s' needs a value", c->argv[optind - 1]);
	default:
		/* getopt_long leaves optopt 0 for an unknown long option. */
		if (optopt && optopt != '?')
			cli_usage_error(c, "unknown option '-%c'", optopt);
		cli_usage_error(c, "unknown option '%s'", c->argv[optind - 1]);
	}
}

enum cli_format
cli_format(const struct cli *c, const char *arg, unsigned allowed)
{
	static const char *const names[] = {"text", "yaml", "json", "tsv", "ics"};

	for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++)
		if ((allowed & (1u << i)) && strcmp(arg, names[i]) == 0)
			return (enum cli_format)i;
	cli_usage_error(c, "cannot use format '%s': not one of this program's formats", arg);
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0 if it is not valid. */
static size_t
utf8_len(const unsigned char *s, size_t n)
{
	size_t len;
	unsigned long cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	/* C1 controls (U+0080..U+009F) act on terminals as much as C0 ones do. */
	if (len == 2 && cp < 0xa0)
		return 0;
	return len;
}

static void
out_escaped(FILE *f, const char *s, size_t len, const char *keep)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n;

	while (i < len) {
		n = p[i] >= 0x80 ? utf8_len(p + i, len - i) : 0;
		if (p[i] >= 0x20 && p[i] < 0x7f) {
			fputc(p[i++], f);
		} else if (p[i] < 0x80 && p[i] != 0 && strchr(keep, p[i]) != NULL) {
			fputc(p[i++], f);
		} else if (n > 0) {
			fwrite(p + i, 1, n, f);
			i += n;
		} else {
			fprintf(f, "\\x%02x", p[i++]);
		}
	}
}

void
out_text(FILE *f, const char *s, size_t len, bool keep_lf)
{
	out_escaped(f, s, len, keep_lf ? "\t\n" : "\t");
}

void
out_tsv(FILE *f, const char *s, size_t len)
{
	out_escaped(f, s, len, "");
}

bool
text_ok(const char *s, size_t len, bool allow_lf)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n;

	while (i < len) {
		n = p[i] >= 0x80 ? utf8_len(p + i, len - i) : 0;
		if ((p[i] >= 0x20 && p[i] < 0x7f) || p[i] == '\t' || (p[i] == '\n' && allow_lf))
			i++;
		else if (n > 0)
			i += n;
		else
			return false;
	}
	return true;
}
