/* vocab.c: the closed vocabularies, one table each (see vocab.h). */
#include <string.h>

#include "mem.h"
#include "vocab.h"

const struct vocab vocab_partners[] = {
	{"dg-epi", "DG EPI, prison administration, including its psychosocial service"},
	{"welzijn", "Afdeling Welzijn en Samenleving, Flemish welfare services"},
	{"justitiehuizen", "Afdeling Justitiehuizen, justice houses"},
	{NULL, NULL},
};

const struct vocab vocab_domains[] = {
	{"psychosocial", "psychosocial support"},
	{"education_employment", "education and employment"},
	{"mental_health", "mental health"},
	{"social_context", "social context"},
	{"alternative_discourse", "alternative discourse"},
	{NULL, NULL},
};

const struct vocab vocab_domain_status[] = {
	{"to-assess", "to assess"}, {"no-need", "no need"}, {"planned", "planned"},
	{"in-progress", "in progress"}, {"completed", "completed"}, {NULL, NULL},
};

const struct vocab vocab_goal_status[] = {
	{"open", "open"}, {"achieved", "achieved"}, {"dropped", "dropped"}, {NULL, NULL},
};

const struct vocab vocab_action_status[] = {
	{"planned", "planned"}, {"in-progress", "in progress"}, {"done", "done"},
	{"dropped", "dropped"}, {NULL, NULL},
};

const struct vocab vocab_aims[] = {
	{"identity", "identity"}, {"future", "future"}, {"disengagement", "disengagement"},
	{"restoration", "restoration"}, {"reintegration", "reintegration"}, {NULL, NULL},
};

const struct vocab vocab_plan_status[] = {{"open", "open"}, {"closed", "closed"}, {NULL, NULL}};

const struct vocab vocab_plan_dates[] = {
	{"detention_start", "detention start"}, {"leave_eligible", "leave eligible"},
	{"release_eligible", "release eligible"}, {"sentence_end", "sentence end"}, {NULL, NULL},
};

const struct vocab vocab_areas[] = {
	{"housing", "housing"}, {"work", "work or income"}, {"network", "social network"},
	{"care", "continuity of care"}, {NULL, NULL},
};

const struct vocab vocab_area_status[] = {
	{"to-arrange", "to arrange"}, {"in-progress", "in progress"}, {"arranged", "arranged"},
	{"not-needed", "not needed"}, {NULL, NULL},
};

const struct vocab vocab_record_kinds[] = {
	{"consent", "consent"}, {"refusal", "refusal"}, {"withdrawal", "withdrawal"},
	{"basis", "legal basis"}, {NULL, NULL},
};

const struct vocab vocab_purposes[] = {
	{"casusoverleg", "the case consultation"}, {"reintegration", "reintegration"},
	{"aftercare", "aftercare"}, {NULL, NULL},
};

const struct vocab vocab_basis_purposes[] = {
	{"integrity", "the integrity of persons"}, {"terrorism", "terrorist offences"},
	{"criminal-organisation", "a criminal organisation"}, {NULL, NULL},
};

const struct vocab vocab_basis_kinds[] = {
	{"law", "the law (art. 458ter)"}, {"prosecutor", "the public prosecutor"}, {NULL, NULL},
};

const struct vocab vocab_how[] = {
	{"written", "written"}, {"oral", "oral"}, {"interpreter", "through an interpreter"},
	{NULL, NULL},
};

const struct vocab vocab_overleg_kinds[] = {
	{"periodic", "periodic"}, {"pre-leave", "before leave"}, {NULL, NULL},
};

const struct vocab vocab_overleg_status[] = {
	{"planned", "planned"}, {"held", "held"}, {"cancelled", "cancelled"}, {NULL, NULL},
};

const struct vocab vocab_closings[] = {{"done", "done"}, {"dropped", "dropped"}, {NULL, NULL}};

int
vocab_find(const struct vocab *t, const char *word)
{
	if (word == NULL)
		return -1;
	for (int i = 0; t[i].word; i++)
		if (strcmp(t[i].word, word) == 0)
			return i;
	return -1;
}

const char *
vocab_word(const struct vocab *t, int i)
{
	return t[i].word;
}

const char *
vocab_label(const struct vocab *t, int i)
{
	return t[i].label;
}

char *
vocab_list(const struct vocab *t)
{
	struct buf b = {0};

	for (size_t i = 0; t[i].word; i++) {
		if (i)
			buf_adds(&b, ", ");
		buf_adds(&b, t[i].word);
	}
	return buf_detach(&b);
}

size_t
vocab_count(const struct vocab *t)
{
	size_t n = 0;

	while (t[n].word)
		n++;
	return n;
}
