/*
 * key: lib/key.c's readers of text others give: public-key lines (casus.yaml, member-add
 * --key), armoured SSH signatures (a commit's gpgsig header, pushed to the guard) and private
 * key files. The input is read as each. A public line that parses gives back the same key
 * through key_public_line(); a signature that verifies a fixed message names a signer, and
 * the same text then never verifies another message; a key file that loads signs what it
 * verifies. Besides, the input itself is signed with a fixed key and must verify, and must not
 * once one byte of it is changed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "fuzz.h"
#include "key.h"
#include "msg.h"

static char *keyfile;

static void
as_line(const char *s, size_t size)
{
	unsigned char pk[KEY_PUBLIC_SIZE], again[KEY_PUBLIC_SIZE];
	const char *why;
	char *line;

	if (key_public_parse(s, pk, &why) < 0)
		return;
	line = key_public_line(pk, "x@y");
	FUZZ_ASSERT(key_public_parse(line, again, &why) == 0, s, size);
	FUZZ_ASSERT(memcmp(pk, again, sizeof pk) == 0, s, size);
	free(line);
}

static void
as_signature(const char *s, size_t size)
{
	unsigned char pk[KEY_PUBLIC_SIZE];
	const char *why;

	if (sshsig_verify(s, size, "git", "m", 1, pk, &why) == 0)
		FUZZ_ASSERT(sshsig_verify(s, size, "git", "n", 1, pk, &why) < 0, s, size);
	else
		FUZZ_ASSERT(why != NULL, s, size);
}

static void
as_key_file(const char *s, size_t size)
{
	struct key *k;
	char *sig;
	unsigned char pk[KEY_PUBLIC_SIZE];
	const char *why;
	FILE *f;

	if (keyfile == NULL) {
		char dir[] = "/tmp/casus-fuzz-key.XXXXXX";

		if (mkdtemp(dir) == NULL)
			return;
		keyfile = malloc(strlen(dir) + 4);
		sprintf(keyfile, "%s/id", dir);
	}
	f = fopen(keyfile, "w");
	if (f == NULL)
		return;
	fwrite(s, 1, size, f);
	fclose(f);
	chmod(keyfile, 0600);
	if (key_load(&k, keyfile) < 0) {
		err_clear();
		return;
	}
	FUZZ_ASSERT(sshsig_sign(k, "git", s, size, &sig) == 0, s, size);
	FUZZ_ASSERT(sshsig_verify(sig, strlen(sig), "git", s, size, pk, &why) == 0, s, size);
	FUZZ_ASSERT(memcmp(pk, key_public(k), sizeof pk) == 0, s, size);
	free(sig);
	key_free(k);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct key *fixed;
	const char *s = (const char *)data;
	char *copy = malloc(size + 1), *sig;
	unsigned char pk[KEY_PUBLIC_SIZE];
	const char *why;

	memcpy(copy, data, size);
	copy[size] = '\0';
	as_line(copy, size);
	as_signature(s, size);
	as_key_file(s, size);

	if (fixed == NULL && key_generate(&fixed) < 0)
		abort();
	FUZZ_ASSERT(sshsig_sign(fixed, "git", s, size, &sig) == 0, s, size);
	FUZZ_ASSERT(sshsig_verify(sig, strlen(sig), "git", s, size, pk, &why) == 0, s, size);
	if (size > 0) {
		copy[size / 2] ^= 1;
		FUZZ_ASSERT(sshsig_verify(sig, strlen(sig), "git", copy, size, pk, &why) < 0, s, size);
	}
	free(sig);
	free(copy);
	return 0;
}
