/*
 * edit.c: replacement documents from files and from the user's editor. The editor's file lives
 * in a folder of the user's own (see edit_dir()) with mode 0600, and is removed unless the
 * caller keeps it, also when a hangup, an interrupt or a termination ends the program.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "edit.h"
#include "mem.h"
#include "msg.h"

/* Invalid saves after which the editor is not opened again; see edit.h. */
enum { EDIT_ROUNDS = 5 };

static int
read_stream(FILE *f, const char *name, size_t max, char **buf, size_t *len)
{
	struct buf b = {0};
	char chunk[65536];
	size_t n;

	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (b.len + n > max) {
			err_set("cannot read '%s': larger than %zu bytes", name, max);
			buf_free(&b);
			return -1;
		}
		buf_add(&b, chunk, n);
	}
	if (ferror(f)) {
		err_set("cannot read '%s': %s", name, strerror(errno));
		buf_free(&b);
		return -1;
	}
	if (b.data == NULL)
		buf_add(&b, "", 0);
	*len = b.len;
	*buf = buf_detach(&b);
	return 0;
}

int
read_input(const char *path, size_t max, char **buf, size_t *len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	const char *name = strcmp(path, "-") == 0 ? "standard input" : path;
	int r;

	if (f == NULL) {
		err_set("cannot read '%s': %s", name, strerror(errno));
		return -1;
	}
	r = read_stream(f, name, max, buf, len);
	if (f != stdin)
		fclose(f);
	return r;
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

/*
 * The editor's file, and what removes it when a signal ends the program. The handler may use
 * only what is async-signal-safe, so the path is a static array, set before the file exists.
 */
struct edit_file {
	char *dir;              /* the folder of one's own, for messages */
	int dfd;                /* the folder, held open: every access below goes through it */
	char name[32];          /* the file's name in the folder */
	char *path;             /* dir/name, for the editor and for messages */
};

static const int caught[] = {SIGHUP, SIGINT, SIGTERM};
static struct sigaction caught_was[3];
static char sig_path[PATH_MAX];
static volatile sig_atomic_t sig_armed;
static volatile pid_t sig_owner;

static void
on_signal(int sig)
{
	int e = errno;
	struct sigaction dfl = {.sa_handler = SIG_DFL};

	/* Not in a child between fork() and exec(): the file is the parent's to remove. */
	if (sig_armed && getpid() == sig_owner)
		unlink(sig_path);
	sigemptyset(&dfl.sa_mask);
	sigaction(sig, &dfl, NULL);
	/* Blocked while this runs; delivered, with the default action, when it returns. */
	raise(sig);
	errno = e;
}

static void
catch_signals(void)
{
	struct sigaction sa = {.sa_handler = on_signal};

	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof caught / sizeof caught[0]; i++) {
		sigaction(caught[i], NULL, &caught_was[i]);
		/* Started with it ignored (nohup): it stays ignored. */
		if (caught_was[i].sa_handler != SIG_IGN)
			sigaction(caught[i], &sa, NULL);
	}
}

static void
release_signals(void)
{
	for (size_t i = 0; i < sizeof caught / sizeof caught[0]; i++)
		sigaction(caught[i], &caught_was[i], NULL);
}

/*
 * Where the editor's file is made: $XDG_RUNTIME_DIR, else $TMPDIR, else /tmp, in a folder
 * "casus-UID" of the user's own. Not in the store: its git directory is group-writable (2770)
 * without the sticky bit, so another member can rename a folder of ours there and put a
 * symbolic link in its place while the editor runs (tried: uid 1001 renamed uid 1000's 0700
 * folder), and the editor, which opens the file by its name, would follow it. Here every
 * folder on the way is the system's or ours, or sticky like /tmp, so the name leads where it
 * led when the file was made. The content does not leave the store's protection: only its
 * owner, who may read the store anyway, and root can read it, fewer than can read the store;
 * $XDG_RUNTIME_DIR, the usual case, is also in memory only and emptied at logout.
 */
static int
edit_dir(struct edit_file *ef)
{
	const char *base = getenv("XDG_RUNTIME_DIR");
	char *real, *p;
	struct stat st;
	uid_t me = geteuid();
	int e;

	if (base == NULL || base[0] == '\0')
		base = getenv("TMPDIR");
	if (base == NULL || base[0] == '\0')
		base = "/tmp";
	real = realpath(base, NULL);
	if (real == NULL) {
		err_set("cannot make the editor's file in '%s': %s", base, strerror(errno));
		return -1;
	}
	ef->dir = xasprintf("%s/casus-%lu", strcmp(real, "/") == 0 ? "" : real, (unsigned long)me);
	/* Each folder from the root down: a folder others may change could have it replaced. */
	for (p = real;; p = strchr(p + 1, '/')) {
		char *sub = xstrndup(real, p == NULL ? strlen(real) : p == real ? 1 : (size_t)(p - real));
		int bad = lstat(sub, &st) < 0 || !S_ISDIR(st.st_mode) ||
		    (st.st_uid != 0 && st.st_uid != me) ||
		    ((st.st_mode & (S_IWGRP | S_IWOTH)) && !(st.st_mode & S_ISVTX));

		if (bad)
			err_set("cannot make the editor's file in '%s': '%s' can be changed by others",
			    ef->dir, sub);
		free(sub);
		if (bad) {
			free(real);
			return -1;
		}
		if (p == NULL)
			break;
	}
	free(real);
	if (mkdir(ef->dir, 0700) < 0 && errno != EEXIST) {
		err_set("cannot make the editor's file in '%s': %s", ef->dir, strerror(errno));
		return -1;
	}
	/* Made by us just now, or left by an earlier run; or someone else's trap. */
	ef->dfd = open(ef->dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	e = errno;
	if (ef->dfd < 0 && (e == ELOOP || e == ENOTDIR) && lstat(ef->dir, &st) == 0 &&
	    S_ISLNK(st.st_mode)) {
		err_set("cannot make the editor's file in '%s': a symbolic link, not a folder of your own",
		    ef->dir);
		return -1;
	}
	if (ef->dfd < 0 && e != ENOTDIR) {
		err_set("cannot make the editor's file in '%s': %s", ef->dir, strerror(e));
		return -1;
	}
	if (ef->dfd < 0 || fstat(ef->dfd, &st) < 0 || !S_ISDIR(st.st_mode) || st.st_uid != me ||
	    (st.st_mode & 077) != 0) {
		err_set("cannot make the editor's file in '%s': not a folder of your own with mode 0700",
		    ef->dir);
		return -1;
	}
	return 0;
}

/* Makes the file anew, mode 0600, never through a link, and writes text into it. */
static int
write_file(struct edit_file *ef, const char *text, size_t len)
{
	int fd = openat(ef->dfd, ef->name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	size_t done = 0;
	int e;

	/* A umask of 0777 would leave the user a file they cannot open. */
	if (fd < 0 || fchmod(fd, 0600) < 0)
		goto fail;
	while (done < len) {
		ssize_t n = write(fd, text + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto fail;
		done += (size_t)n;
	}
	if (close(fd) < 0) {
		fd = -1;
		goto fail;
	}
	return 0;
fail:
	e = errno;
	err_set("cannot write '%s': %s", ef->path, strerror(e));
	if (fd >= 0)
		close(fd);
	errno = e;
	return -1;
}

/* The file anew for the next round: the editor may have left a new file of another mode. */
static int
rewrite_file(struct edit_file *ef, const char *text, size_t len)
{
	if (unlinkat(ef->dfd, ef->name, 0) < 0 && errno != ENOENT) {
		err_set("cannot write '%s': %s", ef->path, strerror(errno));
		return -1;
	}
	return write_file(ef, text, len);
}

/* Makes the file with a name of its own in the folder, armed for removal on a signal. */
static int
make_file(struct edit_file *ef, const char *text, size_t len)
{
	static const char set[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

	for (int tries = 0; tries < 100; tries++) {
		unsigned char r[6];
		char *path;

		if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r) {
			err_set("cannot make the editor's file in '%s': %s", ef->dir, strerror(errno));
			return -1;
		}
		snprintf(ef->name, sizeof ef->name, "casus-edit-%c%c%c%c%c%c.yaml",
		    set[r[0] % 62], set[r[1] % 62], set[r[2] % 62], set[r[3] % 62], set[r[4] % 62],
		    set[r[5] % 62]);
		path = xasprintf("%s/%s", ef->dir, ef->name);
		if (strlen(path) >= sizeof sig_path) {
			err_set("cannot make the editor's file in '%s': %s", ef->dir, strerror(ENAMETOOLONG));
			free(path);
			return -1;
		}
		free(ef->path);
		ef->path = path;
		memcpy(sig_path, path, strlen(path) + 1);
		sig_owner = getpid();
		sig_armed = 1;
		if (write_file(ef, text, len) == 0)
			return 0;
		sig_armed = 0;
		if (errno != EEXIST) {
			unlinkat(ef->dfd, ef->name, 0);
			return -1;
		}
	}
	err_set("cannot make the editor's file in '%s': %s", ef->dir, strerror(EEXIST));
	return -1;
}

/* Reads the file as the editor left it, which may be a new file by the same name. */
static int
read_file(struct edit_file *ef, char **buf, size_t *len)
{
	int fd = openat(ef->dfd, ef->name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	FILE *f;
	int r;

	if (fd < 0) {
		err_set("cannot read '%s': %s", ef->path,
		    errno == ELOOP ? "a symbolic link, not the file" : strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		err_set("cannot read '%s': not a regular file", ef->path);
		close(fd);
		return -1;
	}
	f = fdopen(fd, "rb");
	if (f == NULL) {
		err_set("cannot read '%s': %s", ef->path, strerror(errno));
		close(fd);
		return -1;
	}
	r = read_stream(f, ef->path, 8 << 20, buf, len);
	fclose(f);
	return r;
}

static int
run_editor(const char *path)
{
	const char *ed = getenv("VISUAL");
	struct sigaction ign = {.sa_handler = SIG_IGN}, int_was, quit_was;
	pid_t pid;
	int st;

	if (ed == NULL || ed[0] == '\0')
		ed = getenv("EDITOR");
	if (ed == NULL || ed[0] == '\0')
		ed = "vi";
	/*
	 * As git does: while the editor runs, an interrupt or quit from the terminal is the
	 * editor's (vi takes ^C to cancel a command), and the editor's end decides ours.
	 */
	sigemptyset(&ign.sa_mask);
	sigaction(SIGINT, &ign, &int_was);
	sigaction(SIGQUIT, &ign, &quit_was);
	pid = fork();
	if (pid == 0) {
		/* The dispositions the program started with; handlers would go at exec anyway. */
		for (size_t i = 0; i < sizeof caught / sizeof caught[0]; i++)
			sigaction(caught[i], &caught_was[i], NULL);
		sigaction(SIGQUIT, &quit_was, NULL);
		/* cli_start() ignores SIGPIPE for our own output; the editor gets the default back. */
		signal(SIGPIPE, SIG_DFL);
		/* Like git: the editor setting is a shell command, the file its argument. */
		execl("/bin/sh", "sh", "-c", "eval \"$0\" '\"$1\"'", ed, path, (char *)NULL);
		_exit(127);
	}
	while (pid > 0 && waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	sigaction(SIGINT, &int_was, NULL);
	sigaction(SIGQUIT, &quit_was, NULL);
	if (pid < 0) {
		err_set("cannot start the editor: %s", strerror(errno));
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

const char *
edit_aborted(int r)
{
	return r == EDIT_EMPTY ? "the file was left empty" : "the file was saved unchanged";
}

int
edit_loop(const char *label, const char *text, size_t len, edit_check_fn check, void *arg,
    char **out, size_t *outlen, char **tmppath)
{
	struct edit_file ef = {.dfd = -1};
	struct buf shown = {0};
	char *got = NULL;
	size_t gotlen, off;
	bool keep = false;
	int r = -1;

	catch_signals();
	if (edit_dir(&ef) < 0 || make_file(&ef, text, len) < 0)
		goto out;
	buf_add(&shown, text, len);
	for (int round = 1;; round++) {
		struct problems ps = {0};

		if ((round > 1 && rewrite_file(&ef, shown.data, shown.len) < 0) || run_editor(ef.path) < 0)
			break;
		free(got);
		got = NULL;
		if (read_file(&ef, &got, &gotlen) < 0)
			break;
		off = skip_notes(got, gotlen);
		if (blank(got + off, gotlen - off)) {
			r = EDIT_EMPTY;
			break;
		}
		/* Saved as we showed it, problems and all: the user gives up, as git takes it. */
		if (gotlen == shown.len && memcmp(got, shown.data, gotlen) == 0) {
			r = EDIT_UNCHANGED;
			break;
		}
		if (check(got + off, gotlen - off, &ps, arg) == 0 && ps.n == 0) {
			*outlen = gotlen - off;
			*out = xstrndup(got + off, *outlen);
			r = 0;
			break;
		}
		/* An editor that saves something invalid every time would be opened for ever. */
		if (round == EDIT_ROUNDS) {
			problems_free(&ps);
			err_set("cannot use the edit: still not valid after %d saves; your work is kept in '%s'",
			    EDIT_ROUNDS, ef.path);
			keep = true;
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
out:
	if (tmppath && r == 0) {
		*tmppath = ef.path;
		ef.path = NULL;
	} else if (!keep && ef.path) {
		unlinkat(ef.dfd, ef.name, 0);
	}
	sig_armed = 0;
	release_signals();
	if (ef.dfd >= 0)
		close(ef.dfd);
	free(got);
	buf_free(&shown);
	free(ef.path);
	free(ef.dir);
	return r;
}
