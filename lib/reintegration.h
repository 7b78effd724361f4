/* reintegration.h: a case's reintegration plan (reintegration.yaml; R4, R8, R10). */
#ifndef CASUS_REINTEGRATION_H
#define CASUS_REINTEGRATION_H

#include "doc.h"
#include "problem.h"
#include "settings.h"

/*
 * Checks what the schema cannot in a reintegration plan: its case ID, owners and the partners
 * it names are known, the follow-up member is registered for justitiehuizen, and the
 * categories it needs exist.
 */
void reintegration_check(const struct settings *cfg, const struct doc *r, const char *id,
    const char *file, struct problems *ps);

#endif
