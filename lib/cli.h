/*
 * cli.h: the command-line frame every program shares: -C DIR, -h/--help, --version, the
 * --format values; output that never passes control characters from a file to a terminal
 * comes from quote.h, included here.
 */
#ifndef CASUS_CLI_H
#define CASUS_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "date.h"
/* out_text(), out_tsv() and text_ok(), which every program that prints uses. */
#include "quote.h"
#include "vocab.h"

/* Long options every program takes; put first in each program's option table. */
#define CLI_LONGOPTS \
	{ "help", no_argument, NULL, 'h' }, \
	{ "version", no_argument, NULL, 'V' }
/* Short options every program takes; prefix each program's optstring with it (":" first, so a
 * missing value is told apart from an unknown option). */
#define CLI_SHORTOPTS ":C:h"

enum cli_format { FMT_TEXT, FMT_YAML, FMT_JSON, FMT_TSV, FMT_ICS };

struct cli {
	const char *usage;      /* the full usage text, printed by -h */
	const char *dir;        /* -C DIR, or NULL */
	char **argv;
};

/*
 * Sets progname from argv[0] and the usage text, and arranges that a failed write to standard
 * output (a full disk, a closed pipe: SIGPIPE is ignored) is reported once at exit, as
 * "progname: cannot write to standard output: reason", with exit status 2.
 */
void cli_start(struct cli *c, int argc, char **argv, const char *usage);
/*
 * Handles an option common to all programs (C, h, V) or an unknown one ('?', ':'): -h prints
 * the usage on stdout and exits 0; --version prints "progname (casus) VERSION" and exits 0; an
 * unknown option prints the usage's first line on stderr and exits 2.
 */
void cli_option(struct cli *c, int opt);
/* Prints "progname: msg" and the usage's first line on stderr; exits 2. */
_Noreturn void cli_usage_error(const struct cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Parses a --format value among those allowed (a mask of 1 << FMT_*); exits 2 on others. */
enum cli_format cli_format(const struct cli *c, const char *arg, unsigned allowed);

/*
 * The value v of option --opt as a date; prints "progname: cannot use --opt 'v': not a valid
 * date (YYYY-MM-DD)" and exits 2 when it is not one.
 */
struct date cli_date(const char *opt, const char *v);
/*
 * The index of the word v of option --opt in t; prints "progname: cannot use --opt 'v': not
 * one of a, b or c" (vocab_list()) and exits 2 when it is not one of them.
 */
int cli_word(const char *opt, const char *v, const struct vocab *t);
/*
 * Sets the error of a --institution name that no case of the store is in: "cannot use
 * --institution 'name': no case is in that institution". A name no case uses is a typo more
 * often than an empty institution, and an empty answer would hide it (a cron job that falls
 * silent for good), so the programs that filter by institution fail on it; but not when a
 * case that could not be read may be the one (its own message says enough). Returns -1.
 */
int cli_institution_unused(const char *name);

#endif
