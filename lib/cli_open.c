/*
 * cli_open.c: the command-line frame's way into a store: open it, read its settings, and on
 * failure print why and exit 2. Only programs call these; the library below returns errors.
 */
#include <stdlib.h>

#include "change.h"
#include "msg.h"

struct store *
casus_open(const char *dir)
{
	struct store *s;

	if (store_open(&s, dir) < 0) {
		err_print();
		exit(EXIT_ERROR);
	}
	return s;
}

struct store *
casus_open_reader(const char *dir)
{
	struct store *s;

	if (store_open_reader(&s, dir) < 0) {
		err_print();
		exit(EXIT_ERROR);
	}
	return s;
}

struct settings *
casus_settings(struct store *s)
{
	struct settings *cfg = NULL;
	struct view *v;

	if (store_view(s, &v) == 0)
		cfg = settings_read(v, NULL);
	view_close(v);
	if (cfg == NULL) {
		err_print();
		exit(EXIT_ERROR);
	}
	return cfg;
}
