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
	char *shown = quote_text_str(id);

	if (n == 0 || n > 64) {
		err_set("cannot use case ID '%s': it must be 1 to 64 characters", shown);
		free(shown);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		char c = id[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' || c == '.')) {
			err_set("cannot use case ID '%s': only letters, digits, '-', '_' and '.' are allowed", shown);
			free(shown);
			return -1;
		}
	}
	free(shown);
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

/*
 * Lists folder dir of v into *names: 0; 1 with nothing listed when something else stands
 * there (a file, a link: case-validate reports it, and no case lies in it); -1 on a failure
 * to read the store.
 */
static int
list_folder(const struct view *v, const char *dir, char ***names, size_t *n)
{
	char *buf;
	size_t len;
	int r;

	*names = NULL;
	*n = 0;
	if (view_list(v, dir, names, n) == 0)
		return 0;
	r = view_read(v, dir, &buf, &len);
	if (r == 0)
		free(buf);
	if (r == 0 || r == STORE_NOTFOUND || store_read_refused()) {
		*names = NULL;
		*n = 0;
		err_clear();
		return 1;
	}
	return -1;
}

int
case_ids(const struct view *v, char ***ids, size_t *n)
{
	char **buckets = NULL, **names;
	size_t nb = 0, nn, cap = 0;
	int r = list_folder(v, "cases", &buckets, &nb);

	*ids = NULL;
	*n = 0;
	if (r < 0)
		return -1;
	for (size_t b = 0; b < nb; b++) {
		char *dir = xasprintf("cases/%s", buckets[b]);

		r = list_folder(v, dir, &names, &nn);
		free(dir);
		if (r < 0) {
			store_list_free(buckets, nb);
			store_list_free(*ids, *n);
			*ids = NULL;
			*n = 0;
			return -1;
		}
		for (size_t i = 0; i < nn; i++) {
			char *want;

			if (case_id_check(names[i]) < 0) {
				free(names[i]);
				continue;
			}
			want = case_dir(names[i]);
			if (strncmp(want + 6, buckets[b], 2) == 0 && want[8] == '/') {
				xgrow((void **)ids, &cap, *n + 1, sizeof **ids);
				(*ids)[(*n)++] = names[i];
			} else {
				free(names[i]);
			}
			free(want);
		}
		free(names);
	}
	err_clear();
	store_list_free(buckets, nb);
	if (*n > 1)
		qsort(*ids, *n, sizeof **ids, by_name);
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
