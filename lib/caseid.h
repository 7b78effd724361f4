/*
 * caseid.h: where a case lives in a store: its ID, its folder, the list of cases, and the
 * generic reader of a case's event folders (consent/, overleg/) that the record modules decode.
 */
#ifndef CASUS_CASEID_H
#define CASUS_CASEID_H

#include <stddef.h>

#include "doc.h"
#include "store.h"

/*
 * Checks a case ID: 1 to 64 letters, digits, '-', '_' or '.', not starting with '.' or '-', no
 * "..". Returns 0, or -1 with err_set("cannot use case ID '...': ...") (the ID shown escaped).
 */
int case_id_check(const char *id);
/* "cases/<fan-out>/<id>": the fan-out is two hex digits of a hash of the ID, stable forever. */
char *case_dir(const char *id);
/* "cases/<fan-out>/<id>/<name>". */
char *case_path(const char *id, const char *name);

/*
 * Whether name, in the fan-out folder sub of cases/, is a case's folder: a valid case ID in
 * its own fan-out folder. What case_ids() lists; anything else case-validate reports.
 */
bool case_folder_ok(const char *sub, const char *name);
/*
 * The IDs of every case in the view, sorted; folders that are not valid case IDs in their right
 * fan-out folder, and anything but a folder where cases/ or a fan-out folder should be, are
 * left out (case-validate reports them). *ids is a malloc'd array of *n malloc'd strings
 * (store_list_free). 0, or -1 with err_set() when the store cannot be read.
 */
int case_ids(const struct view *v, char ***ids, size_t *n);
/*
 * Whether case id has a plan in the view: 1 yes; 0 no, with err_set("cannot find case '<id>':
 * no such case in this store"); -1 on a store error.
 */
int case_exists(const struct view *v, const char *id);
/*
 * Reads the event files of a case's folder ("consent", "overleg") in the view: each validated
 * with schema, named "<key>.yaml" after its field key, and of this case. *docs is a malloc'd
 * array of *n trees, in name order. 0, or -1 with err_set() naming the first bad file.
 */
int case_events_read(const struct view *v, const char *case_id, const char *folder,
    const char *schema, const char *key, struct doc ***docs, size_t *n);

#endif
