/*
 * changes.h: what changed in one file of a case folder between two versions, in the words a
 * reviewer reads (case-log): "domains.mental_health.status: to-assess → in-progress",
 * "consent c-20261101-ab12cd given", "note of education_employment changed (sealed)".
 *
 * The words show structure only. A value is shown only when it is one word (a status, a date,
 * an ID, a partner, an address, a number: printable ASCII without spaces, at most
 * CHANGES_WORD_MAX bytes) and is not substantive text; any other value is named by its path
 * alone ("institution changed"). The substantive text of a case (seal.h: domain notes, goals,
 * actions, role agreements, area notes, what a consultation agreed, decided or dissented) is
 * never shown, in clear or sealed, nor is a sealed value's ciphertext or a part's content key.
 * Nothing is opened: the words are the same for every reader.
 */
#ifndef CASUS_CHANGES_H
#define CASUS_CHANGES_H

#include <stddef.h>

/* The longest value shown as it is. */
#define CHANGES_WORD_MAX 64

/*
 * Called once per change, in document order: words is one line without a newline, valid during
 * the call. It may hold what the file held (a file name, a key of a map, a one-word value), so
 * quote it for its audience (quote.h). fn returns 0 to go on, or -1 (with err_set()) to stop.
 */
typedef int (*change_words_fn)(void *arg, const char *words);

/*
 * Calls fn with what changed in file, a path inside a case folder ("plan.yaml",
 * "reintegration.yaml", "consent/<ID>.yaml", "overleg/<DATE>.yaml"; anything else is named by
 * its path alone), from old (oldlen bytes; NULL: the file was added) to new (newlen bytes;
 * NULL: it was removed). Each side is parsed with doc.h's limits and validated with the file's
 * schema; a side that does not pass (a file written with plain git) is not compared: "plan.yaml
 * changed (not a valid plan)". Lists are compared by position, or by their key where items
 * have one (team members and the values of a list of words by value, those present at a
 * consultation by member, closed agreements by agreement). The words:
 *   - a file added: "plan created", "reintegration plan created", "consultation 2027-03-01
 *     planned" (held, cancelled), "consent c-... given", "refusal r-... recorded", "basis b-...
 *     recorded", "consent c-... withdrawn" or "basis b-... ended" (a withdrawal: what it
 *     withdraws);
 *   - a file removed: "plan removed", "reintegration plan removed", "consultation 2027-03-01
 *     removed", "record c-... removed";
 *   - a consultation's status: "consultation 2027-03-01 held" (its minutes, new with it, are
 *     not listed), "cancelled", "planned";
 *   - a value: "dates.leave_eligible: 2027-05-31 → 2027-06-30", "domains.psychosocial.owner:
 *     welzijn added", "dates.sentence_end: 2030-01-10 removed", "institution changed",
 *     "domains.psychosocial.goals[1] added", "team of welzijn: dan@welzijn.example added",
 *     "aims: identity removed";
 *   - sealable text: "note of psychosocial changed (sealed)", "... added (sealed)", "...
 *     sealed" (stored in clear before), "... re-sealed" (the part has a new content key: every
 *     sealed value changes, so whether the text did cannot be told), "... changed" (in clear);
 *     a part's recipients: "psychosocial sealed for chris@jh.example", "psychosocial no longer
 *     sealed for chris@jh.example", "psychosocial sealed for a new key of bram@welzijn.example";
 *   - a file whose bytes changed and whose content did not: "plan rewritten, same content".
 * The words of the reintegration plan, a consultation and a record start with what they are
 * about: "reintegration plan: housing.status: to-arrange → arranged", "consultation 2027-03-01:
 * agreements[1] added", "record c-...: until: 2027-01-31 → 2027-06-30".
 * old and new equal, or both NULL: no call. Returns 0, or -1 when fn returned -1.
 */
int case_file_changes(const char *file, const char *old, size_t oldlen, const char *new,
    size_t newlen, change_words_fn fn, void *arg);

#endif
