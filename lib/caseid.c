/* caseid.c: case IDs, their folders, and reading a case's event folders (see caseid.h). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caseid.h"
#include "mem.h"
#include "msg.h"
#include "quote.h"
#include "schemas.h"

int
case_id_check(const char *id)
{
	size_t n = strlen(id);
	char *shown;

	/* Quoted only for a message: case_ids() checks every name in the store. */
	if (n == 0 || n > 64) {
		shown = quote_text_str(id);
		err_set("cannot use case ID '%s': it must be 1 to 64 characters", shown);
		free(shown);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		char c = id[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' || c == '.')) {
			shown = quote_text_str(id);
			err_set("cannot use case ID '%s': only letters, digits, '-', '_' and '.' are allowed", shown);
			free(shown);
			return -1;
		}
	}
	if (id[0] == '.' || id[0] == '-' || strstr(id, "..") != NULL) {
		err_set("cannot use case ID '%s': it may not start with '.' or '-' nor contain '..'", id);
		return -1;
	}
	return 0;
}

/*
 * The fan-out folder: the low byte of the 32-bit FNV-1a hash of the ID, in hex. It depends on
 * the ID alone, so a case never moves when it is transferred; it is part of the store format.
 */
static unsigned
fanout(const char *id)
{
	uint32_t h = 2166136261u;

	for (const unsigned char *p = (const unsigned char *)id; *p; p++)
		h = (h ^ *p) * 16777619u;
	return h & 0xff;
}

char *
case_dir(const char *id)
{
	return xasprintf("cases/%02x/%s", fanout(id), id);
}

char *
case_path(const char *id, const char *name)
{
	return xasprintf("cases/%02x/%s/%s", fanout(id), id, name);
}


static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct ids {
	char **ids;
	size_t n, cap;
};

bool
case_folder_ok(const char *sub, const char *name)
{
	char hex[3];

	if (case_id_check(name) < 0) {
		err_clear();
		return false;
	}
	snprintf(hex, sizeof hex, "%02x", fanout(name));
	/* Its first two characters, as ever: case-validate reports a folder named otherwise. */
	return strncmp(sub, hex, 2) == 0;
}

/* view_scan()'s callback: keeps name if it is a case's folder. */
static int
id_add(void *arg, const char *sub, const char *name)
{
	struct ids *l = arg;

	if (case_folder_ok(sub, name)) {
		xgrow((void **)&l->ids, &l->cap, l->n + 1, sizeof *l->ids);
		l->ids[l->n++] = xstrdup(name);
	}
	return 0;
}

int
case_ids(const struct view *v, char ***ids, size_t *n)
{
	struct ids l = {0};

	*ids = NULL;
	*n = 0;
	if (view_scan(v, "cases", id_add, &l) < 0) {
		store_list_free(l.ids, l.n);
		return -1;
	}
	err_clear();
	if (l.n > 1)
		qsort(l.ids, l.n, sizeof *l.ids, by_name);
	*ids = l.ids;
	*n = l.n;
	return 0;
}

int
case_events_read(const struct view *v, const char *case_id, const char *folder,
    const char *schema, const char *key, struct doc ***docs, size_t *n)
{
	char *dir = case_path(case_id, folder), **names = NULL, *path, *buf, *want;
	size_t nn = 0, len;
	int r;

	*docs = NULL;
	*n = 0;
	r = view_list(v, dir, &names, &nn);
	if (r < 0)
		goto fail;
	*docs = xcalloc(nn, sizeof **docs);
	for (size_t i = 0; i < nn; i++) {
		struct doc *d;

		path = xasprintf("%s/%s", dir, names[i]);
		r = view_read(v, path, &buf, &len);
		if (r != 0) {
			if (r > 0)
				err_set("cannot read '%s': not a file", path);
			free(path);
			goto fail;
		}
		d = casus_load(buf, len, path, schema);
		free(buf);
		if (d == NULL) {
			free(path);
			goto fail;
		}
		want = xasprintf("%s.yaml", doc_get_str(d, key));
		r = strcmp(names[i], want) != 0 || strcmp(doc_get_str(d, "case_id"), case_id) != 0;
		free(want);
		if (r) {
			err_set("cannot read '%s': its %s and case_id do not match the file's name and case", path, key);
			doc_free(d);
			free(path);
			goto fail;
		}
		(*docs)[(*n)++] = d;
		free(path);
	}
	store_list_free(names, nn);
	free(dir);
	return 0;
fail:
	for (size_t i = 0; i < *n; i++)
		doc_free((*docs)[i]);
	free(*docs);
	*docs = NULL;
	*n = 0;
	store_list_free(names, nn);
	free(dir);
	return -1;
}


int
case_exists(const struct view *v, const char *id)
{
	char *dir = case_dir(id), **names;
	size_t n;
	int r = view_list(v, dir, &names, &n);

	if (r == 0) {
		r = 0;
		for (size_t i = 0; i < n; i++)
			r |= strcmp(names[i], "plan.yaml") == 0;
		store_list_free(names, n);
		if (r == 0)
			err_set("cannot find case '%s': no such case in this store", id);
	}
	free(dir);
	return r;
}
