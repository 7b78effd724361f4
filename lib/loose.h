/*
 * loose.h: reading a store's loose objects (objects/<2 hex>/<38 hex>) with a bounded inflate,
 * in place of libgit2 1.5.1's own reading of them, which spins for ever on an object cut short:
 * its zlib loop takes the end of the input as a reason to try again (upstream issue 7342,
 * fixed after the version Debian 12 ships). loose.c says how.
 */
#ifndef CASUS_LOOSE_H
#define CASUS_LOOSE_H

struct git_odb_backend;

/*
 * Has b, libgit2's backend for the loose objects of objects_dir (git_odb_backend_loose()),
 * read them through this module: its read, read_header and read_prefix are replaced; its
 * writes, its exists and everything else stay libgit2's. An object cut short or damaged is
 * then an error naming it ("object <id> is damaged (...); git fsck tells more"), never a
 * hang. Call it before b is added to a database. b's free() forgets what this keeps of it.
 */
void loose_guard(struct git_odb_backend *b, const char *objects_dir);

#endif
