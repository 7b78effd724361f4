/*
 * key-test: lib/key.c on its own: keys written and read back, signatures that verify and
 * every way one must not (another message, namespace, key, a flipped byte anywhere), and
 * public-key lines and key files that must be refused. The formats against ssh-keygen are
 * tested in tests/0035-member-key.bats through tests/unit/key-tool.c.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "key.h"
#include "mem.h"
#include "msg.h"
#include "tap.h"
#include "scratch.h"

static bool
verifies(const char *sig, const char *ns, const char *msg, const unsigned char *pk)
{
	unsigned char got[KEY_PUBLIC_SIZE];
	const char *why = NULL;

	if (sshsig_verify(sig, strlen(sig), ns, msg, strlen(msg), got, &why) < 0)
		return false;
	return why == NULL && memcmp(got, pk, sizeof got) == 0;
}

static bool
parse_fails(const char *line, const char *want)
{
	unsigned char pk[KEY_PUBLIC_SIZE];
	const char *why = NULL;

	return key_public_parse(line, pk, &why) < 0 && why != NULL && strstr(why, want) != NULL;
}

static bool
load_fails(const char *path, const char *text, mode_t mode, const char *want)
{
	struct key *k = NULL;
	FILE *f;
	int r;

	unlink(path);
	f = fopen(path, "w");
	if (f == NULL)
		return false;
	fputs(text, f);
	fclose(f);
	chmod(path, mode);
	r = key_load(&k, path);
	key_free(k);
	return r < 0 && strstr(err_last(), want) != NULL;
}

int
main(void)
{
	char *path, *line, *sig, *sig2, *text;
	unsigned char pk[KEY_PUBLIC_SIZE];
	char fp[KEY_FINGERPRINT_SIZE], fp2[KEY_FINGERPRINT_SIZE];
	struct key *a, *b, *a2;
	const char *why;
	size_t len;

	if (!scratch_open("key-test"))
		return 2;
	path = sub("id");
	check(key_generate(&a) == 0 && key_generate(&b) == 0, "two keys are made");
	check(memcmp(key_public(a), key_public(b), KEY_PUBLIC_SIZE) != 0, "they differ");

	check(key_save(a, path, "ann@x") == 0, "a key is saved");
	check(key_save(b, path, NULL) < 0 && strstr(err_last(), "it exists") != NULL,
	    "an existing key file is never replaced");
	check(key_load(&a2, path) == 0 && memcmp(key_public(a2), key_public(a), KEY_PUBLIC_SIZE) == 0,
	    "the saved key reads back as the same key");
	{
		struct stat st;

		check(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600, "the key file is mode 0600");
	}

	line = key_public_line(key_public(a), "ann@x");
	check(strncmp(line, "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI", 37) == 0,
	    "a public line starts as ssh-keygen's do");
	check(key_public_parse(line, pk, &why) == 0 && memcmp(pk, key_public(a), sizeof pk) == 0,
	    "a public line parses back to its key");
	key_fingerprint(pk, fp);
	key_fingerprint(key_public(a2), fp2);
	check(strncmp(fp, "SHA256:", 7) == 0 && strlen(fp) == 50 && strcmp(fp, fp2) == 0,
	    "a fingerprint is SHA256: and 43 characters");
	free(line);

	check(parse_fails("ssh-rsa AAAAB3NzaC1yc2E= x", "not an ssh-ed25519"), "an RSA line is refused");
	check(parse_fails("ssh-ed25519", "not an ssh-ed25519"), "a type alone is refused");
	check(parse_fails("ssh-ed25519 !!!!", "not base64"), "a key that is not base64 is refused");
	check(parse_fails("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5", "not an Ed25519"),
	    "a truncated key is refused");
	check(parse_fails("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBKNWXnZclIREiMlBWwZIFBje6sCR6UrObd/j7Xhoon/AA==",
	    "not"), "a key with trailing bytes is refused");
	line = key_public_line(key_public(a), "a\tb");
	check(parse_fails(line, "control character"), "a comment with a control character is refused");
	free(line);

	check(sshsig_sign(a2, "git", "tree 1\n", 7, &sig) == 0, "a message is signed");
	check(strncmp(sig, "-----BEGIN SSH SIGNATURE-----\n", 30) == 0 &&
	    sig[strlen(sig) - 1] == '-', "the signature is armoured, without a final newline");
	check(verifies(sig, "git", "tree 1\n", key_public(a)), "it verifies, naming the signer");
	{
		char *nl = xasprintf("%s\n", sig);

		check(verifies(nl, "git", "tree 1\n", key_public(a)), "with a final newline too");
		free(nl);
	}
	check(!verifies(sig, "git", "tree 2\n", key_public(a)), "another message does not verify");
	check(!verifies(sig, "file", "tree 1\n", key_public(a)), "another namespace does not verify");
	check(!verifies(sig, "git", "tree 1\n", key_public(b)), "it names its signer, not another key");
	{
		/*
		 * Another letter in each base64 character of the body: never a good signature. The
		 * one before the "=" padding too: its low bits are padding, which the decoder
		 * ignores, so only the encoder's own text is accepted.
		 */
		char *body = strchr(sig, '\n') + 1, *end = strstr(sig, "-----END");
		int bad = 0, tried = 0;

		for (char *c = body; c < end; c++) {
			char was = *c;

			if (*c == '\n' || *c == '=')
				continue;
			*c = *c == 'A' ? 'B' : 'A';
			tried++;
			if (verifies(sig, "git", "tree 1\n", key_public(a)))
				bad++;
			*c = was;
		}
		check(tried > 200 && bad == 0, "no changed character of the signature verifies");
	}
	check(sshsig_sign(b, "git", "tree 1\n", 7, &sig2) == 0 &&
	    !verifies(sig2, "git", "tree 1\n", key_public(a)), "b's signature is not a's");
	free(sig2);
	len = strlen(sig);
	check(sshsig_verify(sig, len / 2, "git", "x", 1, pk, &why) < 0 &&
	    strcmp(why, "it is not an SSH signature") == 0, "half a signature is not one");
	check(sshsig_verify("", 0, "git", "x", 1, pk, &why) < 0, "nothing is not a signature");
	check(sshsig_verify("-----BEGIN PGP SIGNATURE-----\nabc\n-----END PGP SIGNATURE-----", 58,
	    "git", "x", 1, pk, &why) < 0 && strcmp(why, "it is not an SSH signature") == 0,
	    "a PGP signature is not an SSH signature");
	free(sig);

	check(load_fails(path, "", 0600, "not an OpenSSH private key"), "an empty file is not a key");
	check(load_fails(path, "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n"
	    "-----END OPENSSH PRIVATE KEY-----\n", 0600, "not an OpenSSH private key"),
	    "a short key is refused");
	check(load_fails(path, "x", 0640, "permissions 0640 are too open"),
	    "a key the group may read is refused");
	check(load_fails(path, "x", 0602, "permissions 0602 are too open"),
	    "a key others may write is refused");
	unlink(path);
	key_free(b);
	check(key_load(&b, path) < 0 && strstr(err_last(), "does not exist") != NULL,
	    "a missing key says so");
	{
		/* A key file whose secret half belongs to another public half. */
		char *p2 = sub("id2"), *t;
		struct key *c;
		FILE *f;
		long n;

		key_generate(&c);
		key_save(c, p2, NULL);
		f = fopen(p2, "r");
		t = xcalloc(1, 4096);
		n = f != NULL ? (long)fread(t, 1, 4095, f) : 0;
		if (f != NULL)
			fclose(f);
		text = t;
		check(n > 100, "a second key is saved");
		/* The public blob's key bytes start at a fixed place in the base64 text. */
		text[36 + 100] = text[36 + 100] == 'A' ? 'B' : 'A';
		check(load_fails(p2, text, 0600, "key '"), "a changed key file is refused");
		unlink(p2);
		free(t);
		free(p2);
		key_free(c);
	}
	{
		unsigned char secret[32], wrap[32 + KEY_WRAP_SIZE], back[32];
		size_t n;
		char *enc;
		unsigned char *dec;
		struct key *other;

		key_generate(&other);
		memset(secret, 7, sizeof secret);
		check(key_wrap(key_public(a), secret, sizeof secret, wrap) == 0, "a secret is wrapped for a key");
		check(key_unwrap(a, wrap, sizeof wrap, back) == 0 && memcmp(back, secret, sizeof back) == 0,
		    "the key's holder unwraps it");
		check(key_unwrap(other, wrap, sizeof wrap, back) < 0, "another key does not unwrap it");
		key_free(other);
		wrap[40] ^= 1;
		check(key_unwrap(a, wrap, sizeof wrap, back) < 0, "a flipped byte does not unwrap");
		check(key_unwrap(a, wrap, KEY_WRAP_SIZE - 1, back) < 0, "a short wrap does not unwrap");
		enc = key_base64(secret, 31);
		dec = key_base64_decode(enc, strlen(enc), &n);
		check(dec != NULL && n == 31 && memcmp(dec, secret, 31) == 0, "base64 reads back");
		free(dec);
		enc[strlen(enc) - 2] ^= 1;      /* padding bits set: decodes to the same bytes */
		dec = key_base64_decode(enc, strlen(enc), &n);
		check(dec == NULL || memcmp(dec, secret, 31) != 0, "only the canonical base64 reads");
		free(dec);
		check(key_base64_decode("AAA A", 5, &n) == NULL && key_base64_decode("AA", 2, &n) == NULL,
		    "base64 with blank space or without padding does not read");
		free(enc);
	}
	key_free(a);
	key_free(a2);
	key_free(b);
	free(path);
	return scratch_close();
}
