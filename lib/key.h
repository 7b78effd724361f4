/*
 * key.h: a member's Ed25519 key, in the formats OpenSSH and git read, and the SSH signatures
 * git verifies (the SSHSIG format of OpenSSH's PROTOCOL.sshsig). All cryptography is
 * libsodium's: Ed25519, SHA-512/SHA-256, base64 and random bytes. Nothing here reads a store.
 */
#ifndef CASUS_KEY_H
#define CASUS_KEY_H

#include <stddef.h>

#define KEY_PUBLIC_SIZE 32              /* an Ed25519 public key */
#define KEY_FINGERPRINT_SIZE 64         /* "SHA256:" and 43 base64 characters, with room */
#define KEY_WRAP_SIZE 48                /* what key_wrap() adds to a secret (crypto_box_SEALBYTES) */

struct key;                             /* a key pair; the secret half never leaves it */

/*
 * Where the program's key is: $CASUS_KEY when set and not empty, else ~/.casus/id_ed25519
 * ($HOME, else the password database). Returns a malloc'd path, or NULL with err_set().
 */
char *key_path(void);

/* A new key pair from libsodium's random source. Returns 0 and *out, or -1 with err_set(). */
int key_generate(struct key **out);

/*
 * The key pair whose seed (the secret half's first 32 bytes, as OpenSSH keeps it) is seed:
 * the same seed always gives the same key. For tests and fuzz targets that need a fixed key.
 * Returns 0 and *out, or -1 with err_set().
 */
int key_from_seed(const unsigned char seed[32], struct key **out);

/*
 * Writes k to path as an OpenSSH private key without passphrase (what `ssh-keygen -t ed25519
 * -N ""` writes, which ssh-keygen and git read), mode 0600, and its public-key line to
 * path.pub. The file appears whole or not at all, and an existing file is never replaced:
 * -1 with err_set("cannot create key '<path>': it exists") then. comment: the key's comment
 * (the member's address), or NULL. Returns 0 or -1 with err_set().
 */
int key_save(const struct key *k, const char *path, const char *comment);

/*
 * Reads the private key at path, refusing, as ssh does, a file that anyone but its owner may
 * read or write ("permissions 0644 are too open"), a key protected by a passphrase, a key of
 * another type than Ed25519 and a file that is not an OpenSSH private key. Returns 0 and *out,
 * or -1 with err_set("cannot read key '<path>': <why>").
 */
int key_load(struct key **out, const char *path);
void key_free(struct key *k);            /* wipes the secret; NULL is allowed */

/* The public half, KEY_PUBLIC_SIZE bytes, valid while k is. */
const unsigned char *key_public(const struct key *k);

/*
 * The public-key line "ssh-ed25519 AAAA... comment" (no newline) of pk, as in an
 * authorized_keys or allowed-signers file; comment NULL or "": none. malloc'd.
 */
char *key_public_line(const unsigned char pk[KEY_PUBLIC_SIZE], const char *comment);

/*
 * Parses a public-key line "ssh-ed25519 <base64> [comment]" into pk. Returns 0, or -1 with
 * *why set to a static reason ("it is not an ssh-ed25519 key"); never err_set().
 */
int key_public_parse(const char *line, unsigned char pk[KEY_PUBLIC_SIZE], const char **why);

/* "SHA256:..." as `ssh-keygen -l` prints it, in buf; returns buf. */
const char *key_fingerprint(const unsigned char pk[KEY_PUBLIC_SIZE],
    char buf[KEY_FINGERPRINT_SIZE]);

/*
 * Signs len bytes of msg in namespace ns ("git" for commits) with SHA-512, as `ssh-keygen -Y
 * sign -n ns` does. Returns 0 with *armored, a malloc'd "-----BEGIN SSH SIGNATURE-----" block
 * without a final newline (libgit2 adds one to the gpgsig header), or -1 with err_set().
 */
int sshsig_sign(const struct key *k, const char *ns, const void *msg, size_t len, char **armored);

/*
 * Verifies an armored SSH signature (alen bytes; a final newline or none) of msg in namespace
 * ns, made with SHA-512 or SHA-256 by an Ed25519 key. Returns 0 with the signer's public key
 * in signer when it is a good signature, else -1 with *why a static reason ("the signature
 * does not match the content", "it is not an SSH signature"); never err_set(). Whose key it
 * is, and whether that key may sign, is the caller's question.
 */
int sshsig_verify(const char *armored, size_t alen, const char *ns, const void *msg, size_t len,
    unsigned char signer[KEY_PUBLIC_SIZE], const char **why);

/*
 * Seals len bytes of secret (a content key) for the holder of the Ed25519 public key pk:
 * the key converted to X25519, then libsodium's crypto_box_seal (an ephemeral key pair, so
 * only pk's holder can open it and nobody can tell who sealed it). out has room for len +
 * KEY_WRAP_SIZE bytes. Returns 0, or -1 with err_set() when pk is not a valid public key.
 */
int key_wrap(const unsigned char pk[KEY_PUBLIC_SIZE], const unsigned char *secret, size_t len,
    unsigned char *out);
/*
 * Opens wrap (wlen bytes, made by key_wrap() for k's public key) into out, which has room for
 * wlen - KEY_WRAP_SIZE bytes. The converted secret is wiped. Returns 0, or -1 when it does not
 * open (made for another key, altered, or shorter than KEY_WRAP_SIZE); never err_set().
 */
int key_unwrap(const struct key *k, const unsigned char *wrap, size_t wlen, unsigned char *out);

/* The base64 (RFC 4648, with padding, no line breaks) of n bytes at p. malloc'd. */
char *key_base64(const void *p, size_t n);
/*
 * Decodes s (len bytes) when it is the one base64 encoding of some bytes (with padding, no
 * blank space, no other text that decodes to the same bytes). Returns a malloc'd buffer (at
 * least 1 byte) and *n, or NULL.
 */
unsigned char *key_base64_decode(const char *s, size_t len, size_t *n);

#endif
