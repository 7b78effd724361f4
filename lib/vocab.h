/*
 * vocab.h: the closed vocabularies of casus, one table each, with the words the files use and
 * the labels the programs print. A program that lists allowed values, a decoder that turns a
 * word into an enum and a check that names what it expected all read the same table. The
 * schemas state the same words for validation; a unit test (vocab-test) holds each table
 * equal to its schema's enum, so the two cannot drift.
 */
#ifndef CASUS_VOCAB_H
#define CASUS_VOCAB_H

#include <stddef.h>

struct vocab {
	const char *word;       /* as written in files and on the command line */
	const char *label;      /* as shown to a person */
};

/* The core partners (R9), which every store's settings must have. */
enum partner { PARTNER_DG_EPI, PARTNER_WELZIJN, PARTNER_JUSTITIEHUIZEN, PARTNER_N };
extern const struct vocab vocab_partners[PARTNER_N + 1];

/* The minimum life domains of a detention plan (R3). */
enum domain {
	DOMAIN_PSYCHOSOCIAL, DOMAIN_EDUCATION_EMPLOYMENT, DOMAIN_MENTAL_HEALTH,
	DOMAIN_SOCIAL_CONTEXT, DOMAIN_ALTERNATIVE_DISCOURSE, DOMAIN_N
};
extern const struct vocab vocab_domains[DOMAIN_N + 1];
enum domain_status { DS_TO_ASSESS, DS_NO_NEED, DS_PLANNED, DS_IN_PROGRESS, DS_COMPLETED, DS_N };
extern const struct vocab vocab_domain_status[DS_N + 1];
enum goal_status { GOAL_OPEN, GOAL_ACHIEVED, GOAL_DROPPED, GOAL_N };
extern const struct vocab vocab_goal_status[GOAL_N + 1];
enum action_status { ACTION_PLANNED, ACTION_IN_PROGRESS, ACTION_DONE, ACTION_DROPPED, ACTION_N };
extern const struct vocab vocab_action_status[ACTION_N + 1];
/* The aims of the trajectory (R1). */
enum aim { AIM_IDENTITY, AIM_FUTURE, AIM_DISENGAGEMENT, AIM_RESTORATION, AIM_REINTEGRATION, AIM_N };
extern const struct vocab vocab_aims[AIM_N + 1];
enum plan_status { PLAN_OPEN, PLAN_CLOSED, PLAN_STATUS_N };
extern const struct vocab vocab_plan_status[PLAN_STATUS_N + 1];
/* The key dates of a plan, in the order they must fall. */
enum plan_date { PD_DETENTION_START, PD_LEAVE_ELIGIBLE, PD_RELEASE_ELIGIBLE, PD_SENTENCE_END, PD_N };
extern const struct vocab vocab_plan_dates[PD_N + 1];

/* The areas of a reintegration plan (R4). */
enum area { AREA_HOUSING, AREA_WORK, AREA_NETWORK, AREA_CARE, AREA_N };
extern const struct vocab vocab_areas[AREA_N + 1];
enum area_status { AS_TO_ARRANGE, AS_IN_PROGRESS, AS_ARRANGED, AS_NOT_NEEDED, AS_N };
extern const struct vocab vocab_area_status[AS_N + 1];

/* Consent and legal-basis records (R10, R11). */
enum record_kind { RK_CONSENT, RK_REFUSAL, RK_WITHDRAWAL, RK_BASIS, RK_N };
extern const struct vocab vocab_record_kinds[RK_N + 1];
/* What a consent may be given for. */
enum purpose { PURPOSE_CASUSOVERLEG, PURPOSE_REINTEGRATION, PURPOSE_AFTERCARE, PURPOSE_N };
extern const struct vocab vocab_purposes[PURPOSE_N + 1];
/* The purposes of an art. 458ter basis. */
enum basis_purpose { BP_INTEGRITY, BP_TERRORISM, BP_CRIMINAL_ORGANISATION, BP_N };
extern const struct vocab vocab_basis_purposes[BP_N + 1];
enum basis_kind { BASIS_LAW, BASIS_PROSECUTOR, BASIS_N };
extern const struct vocab vocab_basis_kinds[BASIS_N + 1];
enum consent_how { HOW_WRITTEN, HOW_ORAL, HOW_INTERPRETER, HOW_N };
extern const struct vocab vocab_how[HOW_N + 1];

/* Consultations (R5, R6, R7). */
enum overleg_kind { OK_PERIODIC, OK_PRE_LEAVE, OK_N };
extern const struct vocab vocab_overleg_kinds[OK_N + 1];
/* Cancelled: planned once, no longer due; kept so the calendar can cancel it (overleg-schedule). */
enum overleg_status { OS_PLANNED, OS_HELD, OS_CANCELLED, OS_N };
extern const struct vocab vocab_overleg_status[OS_N + 1];
enum closing { CLOSE_DONE, CLOSE_DROPPED, CLOSE_N };
extern const struct vocab vocab_closings[CLOSE_N + 1];

/* The index of word in table t (terminated by a NULL word), or -1. word may be NULL (-1). */
int vocab_find(const struct vocab *t, const char *word);
/* The word of index i of t; i must be in range. */
const char *vocab_word(const struct vocab *t, int i);
/* The label of index i of t. */
const char *vocab_label(const struct vocab *t, int i);
/* "a, b or c": the words of t for a message listing the allowed values; malloc'd. */
char *vocab_list(const struct vocab *t);
/* The number of entries of t. */
size_t vocab_count(const struct vocab *t);

#endif
