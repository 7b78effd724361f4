/* cli.c: the option frame and usage errors shared by every program. */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "msg.h"
#include "quote.h"

#ifndef CASUS_VERSION
#define CASUS_VERSION "dev"
#endif

/*
 * Run at exit: output that never reached its file is an error, whatever main() returned, as
 * git's run_builtin and gnulib's close_stdout see it. A record ID printed into a full disk or a
 * closed pipe is lost to the script that asked for it, so the program must not say 0. stdio
 * reports a failed write only when the buffer is flushed, which for a file or a pipe is often
 * here, at exit; so this is the one place that checks, for every program and for --help too.
 */
static void
stdout_check(void)
{
	int e;

	errno = 0;
	if (fflush(stdout) == 0 && !ferror(stdout) && fclose(stdout) == 0)
		return;
	e = errno;
	fprintf(stderr, "%s: cannot write to standard output: %s\n", progname,
	    e != 0 ? strerror(e) : "write error");
	_exit(EXIT_ERROR);
}

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
	/*
	 * A closed pipe is a failed write like any other, reported by stdout_check() with exit 2,
	 * rather than a silent death by SIGPIPE. A program that runs another (the editor) gives it
	 * back the default.
	 */
	signal(SIGPIPE, SIG_IGN);
	atexit(stdout_check);
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

	va_start(ap, fmt);
	msg_vprint(fmt, ap);
	va_end(ap);
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

struct date
cli_date(const char *opt, const char *v)
{
	struct date d;

	if (date_parse(v, strlen(v), &d) < 0)
		die("cannot use --%s '%s': not a valid date (YYYY-MM-DD)", opt, v);
	return d;
}

int
cli_institution_unused(const char *name)
{
	char *q = quote_text_str(name);

	err_set("cannot use --institution '%s': no case is in that institution", q);
	free(q);
	return -1;
}

int
cli_word(const char *opt, const char *v, const struct vocab *t)
{
	int i = vocab_find(t, v);

	if (i < 0) {
		char *all = vocab_list(t);

		err_set("cannot use --%s '%s': not one of %s", opt, v, all);
		free(all);
		err_print();
		exit(EXIT_ERROR);
	}
	return i;
}
