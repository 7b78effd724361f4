/*
 * seal.h: a case's substantive text stored so that only the members who may read it can
 * (R10, R11; casus(7) SEALING). This file is the one place that says which fields are sealed,
 * who holds each part, of what category and for what purpose, and who its recipients are.
 *
 * A part is a map in a case document whose text belongs to one holder: a life domain (its
 * note, its goals' and actions' texts), a role agreement, a reintegration area's note, a
 * consultation's agreement, decision, or point of dissent. Stored, each sealed field of a part
 * is a map {sealed: BASE64} (a 24-byte nonce, then the text encrypted with
 * XChaCha20-Poly1305 under the part's content key, with "casus-seal-1", the case ID, the file
 * and the field's path as associated data), and the part has a list "seal" of its recipients:
 * {member: ADDRESS, key: FINGERPRINT, wrap: BASE64}, the content key sealed for that member's
 * key with crypto_box_seal (Ed25519 converted to X25519), sorted by address. A part whose text
 * is plain strings is stored in clear: made before sealing, it stays readable by all until
 * someone who holds it re-seals it.
 *
 * The recipients of a part on a day are the active members with a current key of each
 * partner that holds it, and of each partner that share_decide() lets every holder pass the
 * part's category to, for its purpose, on that day.
 */
#ifndef CASUS_SEAL_H
#define CASUS_SEAL_H

#include <stdbool.h>
#include <stddef.h>

#include "consent.h"
#include "date.h"
#include "doc.h"
#include "key.h"
#include "problem.h"
#include "settings.h"

/* The documents that have sealed parts. */
enum seal_kind { SEAL_PLAN, SEAL_REINTEGRATION, SEAL_OVERLEG };

/* The keys seal_view() adds to a part it marks: for whom it is sealed, and why not for you. */
#define SEAL_MARK_HOLDER "sealed_for"
#define SEAL_MARK_WHY "withheld"

/* What a decoder reads in place of a sealed value it cannot show: a static string. */
#define SEAL_CLOSED "[sealed]"

/*
 * The text of a field for decoders: the string of a DOC_STR, SEAL_CLOSED for a sealed value
 * ({sealed: BASE64}), NULL for anything else or NULL.
 */
const char *seal_text(const struct doc *field);
/* Whether node is a sealed value: a map whose one key "sealed" holds a string. */
bool seal_is_value(const struct doc *node);

/*
 * The sealable parts of d, a document of kind (any tree: what it lacks is passed over), in
 * document order, as seal_view() and seal_put() find them: fn(arg, part, map, NULL) for each
 * part, part its path ("domains.psychosocial", "roles[0]", "housing", "decisions[1].dissent[0]")
 * and map its node, then fn(arg, part, map, field) for each of its fields that d has, field the
 * path of a text in clear or a sealed value ("domains.psychosocial.goals[0].text"). Paths name
 * list items from 0, as problems do. The strings are valid during the call only. For readers
 * of the structure of a document (changes.h) that must know which values are substantive text.
 */
typedef void (*seal_field_fn)(void *arg, const char *part, const struct doc *map,
    const char *field);
void seal_fields(const struct doc *d, enum seal_kind kind, seal_field_fn fn, void *arg);

/*
 * Where and as whom a document is opened, viewed or sealed. file is the document's name in
 * its case folder, which the associated data holds: "plan.yaml", "reintegration.yaml",
 * "overleg/2026-12-01.yaml". cfg, rs and on are the settings, the case's records and the day
 * the bases are judged on. key is the running member's key, or NULL (nothing opens). viewer is
 * the partner a view is for (plan-show --for), or NULL for the key's own member's partner.
 */
struct seal_ctx {
	enum seal_kind kind;
	const char *case_id;
	const char *file;
	const struct settings *cfg;
	const struct records *rs;
	struct date on;
	const struct key *key;
	const char *viewer;
	/*
	 * Another key of the same member that opens what is sealed for it, or NULL: the key they
	 * replaced (case-reseal --old-key), tried when key does not open a part. It never signs.
	 */
	const struct key *also;
};

/*
 * The view of d (a stored document's tree, schema-valid) for the viewer: every sealed value
 * that key opens and whose part the viewer's partner is a recipient of becomes its text; every
 * other sealed value becomes "[sealed for HOLDER: WHY]", and its part gets "sealed_for:
 * HOLDER" and "withheld: WHY", WHY being share_decide()'s reason, or, when the bases allow it,
 * that the part is not (yet) sealed for the viewer or for this key. With c->viewer set, a part
 * in clear the viewer has no basis for becomes "[withheld: WHY]" with "withheld: WHY", as
 * before sealing. Each part's "seal" list is left as it is. Returns the number of parts marked.
 * Decode the tree again afterwards: strings the old struct pointed to are freed.
 */
size_t seal_view(struct doc *d, const struct seal_ctx *c);

/*
 * Makes d, a document about to be stored, ready to store: d is a view (seal_view()) or a tree
 * made or edited by a program, stored is what the store holds at its place now (the raw tree;
 * NULL when new), c->key is the writer's key and c->on the day. For each part:
 *   - closed to the writer (stored sealed, key does not open it): d must keep it as stored
 *     or as its markers, at the same place; its values and seal are restored from stored.
 *     Otherwise -1, "PATH: is sealed for HOLDER and your key does not open it";
 *   - a sealed value in d that is not the one stored at its place: -1, "PATH: a sealed
 *     value is kept only where it was sealed";
 *   - text unchanged and the writer not of a holder: kept byte for byte as stored (a part
 *     stored in clear stays in clear: only a holder seals it);
 *   - otherwise sealed for the recipients of the day: the stored content key and wraps are
 *     kept while no recipient is removed (a new recipient gets a wrap), a new key is made
 *     when one is; a field whose text and place did not change keeps its stored bytes.
 * The "sealed_for" and "withheld" keys of a view are taken out. Returns 0, or -1 with
 * err_set("PATH: reason") and d in an unspecified state.
 */
int seal_put(struct doc *d, const struct doc *stored, const struct seal_ctx *c);

/*
 * Takes the keys a view adds to a part (SEAL_MARK_HOLDER, SEAL_MARK_WHY) out of every map of d,
 * a tree handed back after a view (plan-show's json, an editor), before its schema sees it.
 * d may be NULL.
 */
void seal_unmark(struct doc *d);

/*
 * case-validate's check of stored (a raw tree, file named path in problems), appended to ps:
 *   - a sealed value in a part that key is a recipient of which does not open: "sealed
 *     value does not open: it was moved from another field or case, or altered";
 *   - a part whose recipients are not those of c->on: "sealed for X but the bases of DATE
 *     allow Y: re-seal it (case-reseal)";
 *   - a sealed value in a part with no seal list, a recipient that is not a registered member.
 * Needs no key for all but the first.
 */
void seal_check(const struct doc *stored, const struct seal_ctx *c, const char *path,
    struct problems *ps);

/*
 * A copy of d with the sealed values and seal lists of every part partner holds taken out:
 * authority compares two versions of a held consultation through it, so that re-sealing by
 * a holder is the only change allowed there. Caller frees.
 */
struct doc *seal_mask(const struct doc *d, enum seal_kind kind, const char *partner);

#endif
