/*
 * casus.h: everything a program of casus uses, in one include. The modules, from the bottom:
 * the store and its views (store.h); documents, schemas and case folders (doc.h, schemas.h,
 * caseid.h); the decoded settings and vocabularies (settings.h, vocab.h); one module per kind
 * of record with its check (plan.h, reintegration.h, consent.h, overleg.h); a case as a whole
 * and the settings that must keep it valid (case.h); the rules over a case (readiness.h); and
 * writing as a team member (change.h).
 */
#ifndef CASUS_CASUS_H
#define CASUS_CASUS_H

#include "case.h"
#include "caseid.h"
#include "change.h"
#include "consent.h"
#include "date.h"
#include "doc.h"
#include "overleg.h"
#include "plan.h"
#include "problem.h"
#include "reintegration.h"
#include "schemas.h"
#include "settings.h"
#include "store.h"
#include "vocab.h"

#endif
