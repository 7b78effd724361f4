/*
 * edit.c: replacement documents from files and from the user's editor. The editor's file lives
 * inside the store's git directory with mode 0600, and is removed unless the caller keeps it.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "edit.h"
#include "mem.h"
#include "msg.h"

int
read_input(const char *path, size_t max, char **buf, size_t *len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	const char *name = strcmp(path, "-") == 0 ? "standard input" : path;
	struct buf b = {0};
	char chunk[65536];
	size_t n;

	if (f == NULL) {
		err_set("cannot read '%s': %s", name, strerror(errno));
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (b.len + n > max) {
			err_set("cannot read '%s': larger than %zu bytes", name, max);
			goto fail;
		}
		buf_add(&b, chunk, n);
	}
	if (ferror(f)) {
		err_set("cannot read '%s': %s", name, strerror(errno));
		goto fail;
	}
	if (f != stdin)
		fclose(f);
	if (b.data == NULL)
		buf_add(&b, "", 0);
	*len = b.len;
	*buf = buf_detach(&b);
	return 0;
fail:
	if (f != stdin)
		fclose(f);
	buf_free(&b);
	return -1;
}

int
read_checked(const char *path, size_t max, edit_check_fn check, void *arg, char **buf,
    size_t *len, struct problems *ps)
{
	const char *shown = strcmp(path, "-") == 0 ? "<stdin>" : path;

	if (read_input(path, max, buf, len) < 0)
		return -1;
	if (check(*buf, *len, ps, arg) == 0 && ps->n == 0)
		return 0;
	for (size_t i = 0; i < ps->n; i++) {
		free(ps->v[i].file);
		ps->v[i].file = xstrdup(shown);
	}
	return -1;
}

static int
write_file(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (f == NULL || fwrite(text, 1, len, f) != len || fclose(f) != 0) {
		err_set("cannot write '%s': %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

static int
run_editor(const char *path)
{
	const char *ed = getenv("VISUAL");
	pid_t pid;
	int st;

	if (ed == NULL || ed[0] == '\0')
		ed = getenv("EDITOR");
	if (ed == NULL || ed[0] == '\0')
		ed = "vi";
	pid = fork();
	if (pid < 0) {
		err_set("cannot start the editor: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		/* Like git: the editor setting is a shell command, the file its argument. */
		execl("/bin/sh", "sh", "-c", "eval \"$0\" '\"$1\"'", ed, path, (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR) {
			err_set("cannot wait for the editor: %s", strerror(errno));
			return -1;
		}
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		err_set("cannot use the edit: the editor '%s' failed", ed);
		return -1;
	}
	return 0;
}

/* Skips the "#!" lines edit_loop() put at the top of the file. */
static size_t
skip_notes(const char *s, size_t len)
{
	size_t i = 0;

	while (len - i >= 2 && s[i] == '#' && s[i + 1] == '!') {
		const char *nl = memchr(s + i, '\n', len - i);

		i = nl ? (size_t)(nl - s) + 1 : len;
	}
	return i;
}

static bool
blank(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
			return false;
	return true;
}

int
edit_loop(const char *dir, const char *label, const char *text, size_t len,
    edit_check_fn check, void *arg, char **out, size_t *outlen, char **tmppath)
{
	char *path = xasprintf("%s/casus-edit-XXXXXX.yaml", dir);
	struct buf shown = {0};
	char *got = NULL;
	size_t gotlen, off;
	int fd, r = -1;

	fd = mkstemps(path, 5);
	if (fd < 0) {
		err_set("cannot make a file to edit in '%s': %s", dir, strerror(errno));
		free(path);
		return -1;
	}
	fchmod(fd, 0600);
	close(fd);
	buf_add(&shown, text, len);
	for (;;) {
		struct problems ps = {0};

		if (write_file(path, shown.data, shown.len) < 0 || run_editor(path) < 0)
			break;
		free(got);
		got = NULL;
		if (read_input(path, 8 << 20, &got, &gotlen) < 0)
			break;
		off = skip_notes(got, gotlen);
		if (blank(got + off, gotlen - off)) {
			r = 1;
			break;
		}
		/* Saved as we showed it, problems and all: the user gives up. */
		if (shown.len != len && gotlen == shown.len && memcmp(got, shown.data, gotlen) == 0) {
			r = 1;
			break;
		}
		if (check(got + off, gotlen - off, &ps, arg) == 0 && ps.n == 0) {
			*outlen = gotlen - off;
			*out = xstrndup(got + off, *outlen);
			r = 0;
			break;
		}
		buf_free(&shown);
		buf_printf(&shown, "#! %s: %s is not valid; fix it, or save it unchanged (or empty) to give up.\n",
		    progname, label);
		/* Lines as the user will see them, below the notes. */
		for (size_t i = 0; i < ps.n; i++) {
			buf_printf(&shown, "#! line %d: %s%s%s\n", ps.v[i].line + (int)ps.n + 1,
			    ps.v[i].path, ps.v[i].path[0] ? ": " : "", ps.v[i].msg);
		}
		problems_free(&ps);
		buf_add(&shown, got + off, gotlen - off);
	}
	free(got);
	buf_free(&shown);
	if (tmppath && r == 0)
		*tmppath = path;
	else {
		unlink(path);
		free(path);
	}
	return r;
}
