/*
 * pack.h: the objects of a store's packs, read with pread(2) into memory of a bounded size,
 * in place of libgit2's reading of them, which maps each pack and its index whole; or, for a
 * reading of the whole history, through mappings of them too (pack_map()). pack.c says why
 * and what each costs.
 */
#ifndef CASUS_PACK_H
#define CASUS_PACK_H

struct git_repository;
struct git_odb_backend;
struct stat;

/* The largest object read, packed or loose (loose.c): no object of a store comes near. */
#define OBJECT_MAX ((size_t)1 << 30)

/*
 * Opens the file at path, one of a store's objects folder (a loose object, a pack, a
 * commit-graph, a list of alternates), to read, without waiting on a FIFO put in its place:
 * the descriptor (close-on-exec) and *st; -1 with errno when it cannot be opened (ENOENT:
 * there is none); -2 when it is no regular file (a folder, a FIFO, a device).
 */
int pack_file_open(const char *path, struct stat *st);

/*
 * Gives repo an object database of libgit2's backend for loose objects (which also takes every
 * write, do_fsync as libgit2's own does; its objects read through loose.h) and this module's
 * for the packs in objects/pack; and the same, never written to, for each folder of objects
 * that objects/info/alternates names, followed as git follows them (pack.c). Returns 0, or -1
 * with err_set() ("cannot open the store's objects: ...") and repo as it was.
 */
int pack_odb(struct git_repository *repo, int do_fsync);

/*
 * Adds the objects of objects_dir (and of the folders its info/alternates names) to repo's
 * database, read as pack_odb() reads a store's own, and never written to: a push's quarantine
 * (guard.h). Returns 0, or -1 with a git error for the caller to quote (objects_dir is not a
 * folder, an alternates list cannot be read).
 */
int pack_odb_alternate(struct git_repository *repo, const char *objects_dir);

/*
 * Opens the repository at gitdir (no search upwards) for reading, with pack_odb()'s database:
 * for modules that walk a store with a repository of their own (history.c, guard.c). 0 with
 * *out (git_repository_free()), or -1 with err_set() ("cannot open store '<gitdir>': ...").
 */
int pack_repo_open(struct git_repository **out, const char *gitdir);

/*
 * Has repo's database (pack_odb()) read its packs through mappings of them, whole, from now on:
 * for a reading of every object of the history (a full build of the index), where that is the
 * faster, and the memory no matter. Other repositories of the process that read the same packs
 * keep reading them with pread(). Call it while no other thread reads through repo. 0 (also
 * for a repository with libgit2's own database, which maps its packs anyway), or -1 with
 * err_set() and repo as it was.
 */
int pack_map(struct git_repository *repo);

/*
 * The backend alone, for the packs of objects_dir/pack: *out is owned by the database it is
 * added to (git_odb_add_backend()). 0, or -1 with err_set(). For tests (tests/pack-read.c).
 */
int pack_backend(struct git_odb_backend **out, const char *objects_dir);

#endif
