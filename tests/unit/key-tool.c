/*
 * key-tool: lib/key.c from the command line, for tests/0265-key-format.bats to hold it against
 * ssh-keygen: `key-tool new PATH [COMMENT]`, `key-tool public PATH`, `key-tool sign PATH NS`
 * (signs stdin, prints the signature), `key-tool verify NS SIGFILE` (verifies stdin, prints
 * the signer's public-key line; exit 1 with the reason when it does not verify),
 * `key-tool parse LINE` (prints the fingerprint).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "edit.h"
#include "key.h"
#include "msg.h"

static int
fail(void)
{
	fprintf(stderr, "key-tool: %s\n", err_last());
	return 2;
}

int
main(int argc, char **argv)
{
	struct key *k;
	char *in = NULL, *sig = NULL, *line;
	size_t inlen, siglen;
	int r = 0;

	if (argc >= 3 && strcmp(argv[1], "new") == 0) {
		if (key_generate(&k) < 0 || key_save(k, argv[2], argc > 3 ? argv[3] : NULL) < 0)
			return fail();
		key_free(k);
	} else if (argc == 3 && strcmp(argv[1], "public") == 0) {
		if (key_load(&k, argv[2]) < 0)
			return fail();
		line = key_public_line(key_public(k), NULL);
		puts(line);
		free(line);
		key_free(k);
	} else if (argc == 4 && strcmp(argv[1], "sign") == 0) {
		if (key_load(&k, argv[2]) < 0 || read_input("-", 1 << 24, &in, &inlen) < 0 ||
		    sshsig_sign(k, argv[3], in, inlen, &sig) < 0)
			return fail();
		puts(sig);
		key_free(k);
	} else if (argc == 4 && strcmp(argv[1], "verify") == 0) {
		unsigned char pk[KEY_PUBLIC_SIZE];
		const char *why;

		if (read_input(argv[3], 1 << 16, &sig, &siglen) < 0 ||
		    read_input("-", 1 << 24, &in, &inlen) < 0)
			return fail();
		if (sshsig_verify(sig, siglen, argv[2], in, inlen, pk, &why) < 0) {
			fprintf(stderr, "key-tool: %s\n", why);
			r = 1;
		} else {
			line = key_public_line(pk, NULL);
			puts(line);
			free(line);
		}
	} else if (argc == 3 && strcmp(argv[1], "parse") == 0) {
		unsigned char pk[KEY_PUBLIC_SIZE];
		char fp[KEY_FINGERPRINT_SIZE];
		const char *why;

		if (key_public_parse(argv[2], pk, &why) < 0) {
			fprintf(stderr, "key-tool: %s\n", why);
			return 1;
		}
		puts(key_fingerprint(pk, fp));
	} else {
		fprintf(stderr, "usage: key-tool new|public|sign|verify|parse ...\n");
		return 2;
	}
	free(in);
	free(sig);
	return r;
}
