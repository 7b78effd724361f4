/*
 * key.c: Ed25519 keys in OpenSSH's formats and SSH signatures, with libsodium.
 *
 * The formats are OpenSSH's, byte for byte, so that ssh-keygen and git read what casus writes
 * and casus reads what they write: the private key file of PROTOCOL.key ("openssh-key-v1"),
 * the public-key blob of RFC 4253 6.6 with RFC 8709's ssh-ed25519, and the signature of
 * PROTOCOL.sshsig. Every length-prefixed field is an SSH "string": a big-endian uint32 length,
 * then the bytes. tests/unit/key.c checks each against ssh-keygen from Debian's openssh-client.
 */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "key.h"
#include "mem.h"
#include "msg.h"

#define KEY_TYPE "ssh-ed25519"
#define PRIV_MAGIC "openssh-key-v1"         /* with its NUL: 15 bytes */
#define PRIV_BEGIN "-----BEGIN OPENSSH PRIVATE KEY-----"
#define PRIV_END "-----END OPENSSH PRIVATE KEY-----"
#define SIG_MAGIC "SSHSIG"                  /* without a NUL: 6 bytes */
#define SIG_BEGIN "-----BEGIN SSH SIGNATURE-----"
#define SIG_END "-----END SSH SIGNATURE-----"
#define SIG_VERSION 1
/* Both armours wrap base64 at 70 characters, as OpenSSH's sshbuf_dtob64() does. */
#define WRAP 70
/* A key file is a few hundred bytes; a longer one is not a key. */
#define KEY_FILE_MAX 16384

struct key {
	unsigned char pk[crypto_sign_PUBLICKEYBYTES];
	unsigned char sk[crypto_sign_SECRETKEYBYTES];   /* the seed, then pk, as OpenSSH keeps it */
	/* pk as X25519, for key_unwrap(): converting it costs as much as opening a wrap. */
	unsigned char xpk[crypto_box_PUBLICKEYBYTES];
	bool xpk_ok;
};

/* Fills k's X25519 public key once its pk is set. */
static void
key_convert(struct key *k)
{
	k->xpk_ok = crypto_sign_ed25519_pk_to_curve25519(k->xpk, k->pk) == 0;
}

_Static_assert(KEY_WRAP_SIZE == crypto_box_SEALBYTES, "KEY_WRAP_SIZE is crypto_box_SEALBYTES");

/* libsodium must be initialised once before its random source is used; it is idempotent. */
static int
sodium_ready(void)
{
	if (sodium_init() < 0) {
		err_set("cannot use libsodium: it failed to initialise");
		return -1;
	}
	return 0;
}

/* --- SSH wire encoding --------------------------------------------------------------- */

static void
put_u32(struct buf *b, uint32_t v)
{
	unsigned char c[4] = {v >> 24, v >> 16, v >> 8, v};

	buf_add(b, c, 4);
}

static void
put_string(struct buf *b, const void *p, size_t n)
{
	put_u32(b, (uint32_t)n);
	buf_add(b, p, n);
}

static void
put_cstring(struct buf *b, const char *s)
{
	put_string(b, s, strlen(s));
}

/* A reader of wire-encoded bytes: every get fails, and stays failed, past the end. */
struct rd {
	const unsigned char *p;
	size_t n;
	bool bad;
};

static uint32_t
get_u32(struct rd *r)
{
	uint32_t v;

	if (r->bad || r->n < 4) {
		r->bad = true;
		return 0;
	}
	v = (uint32_t)r->p[0] << 24 | (uint32_t)r->p[1] << 16 | (uint32_t)r->p[2] << 8 | r->p[3];
	r->p += 4;
	r->n -= 4;
	return v;
}

/* A string's bytes (not NUL-terminated) and length, or NULL when the input is short. */
static const unsigned char *
get_string(struct rd *r, size_t *len)
{
	const unsigned char *s;
	uint32_t n = get_u32(r);

	if (r->bad || n > r->n) {
		r->bad = true;
		*len = 0;
		return NULL;
	}
	s = r->p;
	r->p += n;
	r->n -= n;
	*len = n;
	return s;
}

/* Whether the next string is exactly s. */
static bool
get_is(struct rd *r, const char *s)
{
	size_t n;
	const unsigned char *p = get_string(r, &n);

	return p != NULL && n == strlen(s) && memcmp(p, s, n) == 0;
}

/* The public-key blob: string "ssh-ed25519", string pk. */
static void
put_pubblob(struct buf *b, const unsigned char pk[KEY_PUBLIC_SIZE])
{
	put_cstring(b, KEY_TYPE);
	put_string(b, pk, KEY_PUBLIC_SIZE);
}

static int
get_pubblob(struct rd *r, unsigned char pk[KEY_PUBLIC_SIZE])
{
	size_t n;
	const unsigned char *p;

	if (!get_is(r, KEY_TYPE))
		return -1;
	p = get_string(r, &n);
	if (p == NULL || n != KEY_PUBLIC_SIZE)
		return -1;
	memcpy(pk, p, n);
	return 0;
}

/* --- base64 and armour ------------------------------------------------------------------ */

static char *
b64(const void *p, size_t n, int variant)
{
	size_t cap = sodium_base64_ENCODED_LEN(n, variant);
	char *s = xmalloc(cap);

	return sodium_bin2base64(s, cap, p, n, variant);
}

/* begin, the base64 of p wrapped at WRAP, end; no final newline. */
static char *
armour(const char *begin, const void *p, size_t n, const char *end)
{
	char *s = b64(p, n, sodium_base64_VARIANT_ORIGINAL);
	struct buf b = {0};
	size_t len = strlen(s);

	buf_adds(&b, begin);
	buf_addc(&b, '\n');
	for (size_t i = 0; i < len; i += WRAP) {
		buf_add(&b, s + i, len - i < WRAP ? len - i : WRAP);
		buf_addc(&b, '\n');
	}
	buf_adds(&b, end);
	free(s);
	return buf_detach(&b);
}

/*
 * Whether the base64 text from b to e (blank space aside) is the one encoding of bin. The
 * decoder ignores the padding bits of the last character, so several texts decode to the same
 * bytes: a signature in a commit could then be rewritten, and the commit's ID changed, without
 * making it invalid. Only the text the encoder gives is accepted.
 */
static bool
canonical(const char *b, const char *e, const unsigned char *bin, size_t n)
{
	char *enc = b64(bin, n, sodium_base64_VARIANT_ORIGINAL), *q = enc;
	bool same = true;

	for (; b < e && same; b++) {
		if (*b == ' ' || *b == '\t' || *b == '\r' || *b == '\n')
			continue;
		same = *q != '\0' && *q++ == *b;
	}
	same = same && *q == '\0';
	free(enc);
	return same;
}

/*
 * The bytes between a begin and an end line of text (len bytes, any line endings, leading
 * and trailing blank space allowed), decoded. Returns a malloc'd buffer and *out_len, or NULL.
 */
static unsigned char *
unarmour(const char *text, size_t len, const char *begin, const char *end, size_t *out_len)
{
	const char *p = text, *stop = text + len, *b, *e;
	unsigned char *bin;
	size_t blen = strlen(begin), elen = strlen(end), max;

	while (p < stop && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	if ((size_t)(stop - p) < blen || memcmp(p, begin, blen) != 0)
		return NULL;
	b = p + blen;
	for (e = b; e + elen <= stop; e++)
		if (*e == '-' && memcmp(e, end, elen) == 0)
			break;
	if (e + elen > stop)
		return NULL;
	for (p = e + elen; p < stop; p++)
		if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
			return NULL;
	max = (size_t)(e - b) / 4 * 3 + 3;
	bin = xmalloc(max ? max : 1);
	if (sodium_base642bin(bin, max, b, (size_t)(e - b), " \t\r\n", out_len, &p,
	    sodium_base64_VARIANT_ORIGINAL) != 0 || p != e || !canonical(b, e, bin, *out_len)) {
		free(bin);
		return NULL;
	}
	return bin;
}

char *
key_base64(const void *p, size_t n)
{
	return b64(p, n, sodium_base64_VARIANT_ORIGINAL);
}

unsigned char *
key_base64_decode(const char *s, size_t len, size_t *n)
{
	size_t max = len / 4 * 3 + 3;
	unsigned char *bin = xmalloc(max);
	const char *end;

	if (sodium_base642bin(bin, max, s, len, NULL, n, &end, sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    end != s + len || !canonical(s, s + len, bin, *n)) {
		free(bin);
		*n = 0;
		return NULL;
	}
	return bin;
}

/* --- keys ----------------------------------------------------------------------------------- */

char *
key_path(void)
{
	const char *env = getenv("CASUS_KEY"), *home = getenv("HOME");

	if (env != NULL && *env != '\0')
		return xstrdup(env);
	if (home == NULL || *home == '\0') {
		struct passwd *pw = getpwuid(getuid());

		home = pw != NULL ? pw->pw_dir : NULL;
	}
	if (home == NULL || *home == '\0') {
		err_set("cannot find your key: neither CASUS_KEY nor HOME is set");
		return NULL;
	}
	return xasprintf("%s/.casus/id_ed25519", home);
}

int
key_generate(struct key **out)
{
	struct key *k;

	*out = NULL;
	if (sodium_ready() < 0)
		return -1;
	k = xcalloc(1, sizeof *k);
	if (crypto_sign_keypair(k->pk, k->sk) != 0) {
		key_free(k);
		err_set("cannot make a key: libsodium failed");
		return -1;
	}
	key_convert(k);
	*out = k;
	return 0;
}

int
key_from_seed(const unsigned char seed[32], struct key **out)
{
	struct key *k;

	*out = NULL;
	if (sodium_ready() < 0)
		return -1;
	k = xcalloc(1, sizeof *k);
	if (crypto_sign_seed_keypair(k->pk, k->sk, seed) != 0) {
		key_free(k);
		err_set("cannot make a key: libsodium failed");
		return -1;
	}
	key_convert(k);
	*out = k;
	return 0;
}

void
key_free(struct key *k)
{
	if (k == NULL)
		return;
	sodium_memzero(k, sizeof *k);
	free(k);
}

const unsigned char *
key_public(const struct key *k)
{
	return k->pk;
}

char *
key_public_line(const unsigned char pk[KEY_PUBLIC_SIZE], const char *comment)
{
	struct buf blob = {0};
	char *s, *line;

	put_pubblob(&blob, pk);
	s = b64(blob.data, blob.len, sodium_base64_VARIANT_ORIGINAL);
	line = comment != NULL && *comment != '\0' ? xasprintf("%s %s %s", KEY_TYPE, s, comment)
	    : xasprintf("%s %s", KEY_TYPE, s);
	free(s);
	buf_free(&blob);
	return line;
}

int
key_public_parse(const char *line, unsigned char pk[KEY_PUBLIC_SIZE], const char **why)
{
	size_t tlen = strlen(KEY_TYPE), n, blen;
	const char *p, *end;
	unsigned char bin[128];
	struct rd r;

	if (strncmp(line, KEY_TYPE, tlen) != 0 || line[tlen] != ' ') {
		*why = "it is not an ssh-ed25519 public key";
		return -1;
	}
	p = line + tlen;
	while (*p == ' ')
		p++;
	for (end = p; *end != '\0' && *end != ' '; end++)
		;
	n = (size_t)(end - p);
	if (sodium_base642bin(bin, sizeof bin, p, n, NULL, &blen, NULL,
	    sodium_base64_VARIANT_ORIGINAL) != 0) {
		*why = "its key is not base64";
		return -1;
	}
	r = (struct rd){bin, blen, false};
	if (get_pubblob(&r, pk) < 0 || r.n != 0) {
		*why = "its key is not an Ed25519 public key";
		return -1;
	}
	for (p = end; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f) {
			*why = "it has a control character";
			return -1;
		}
	return 0;
}

const char *
key_fingerprint(const unsigned char pk[KEY_PUBLIC_SIZE], char buf[KEY_FINGERPRINT_SIZE])
{
	struct buf blob = {0};
	unsigned char h[crypto_hash_sha256_BYTES];

	put_pubblob(&blob, pk);
	crypto_hash_sha256(h, (const unsigned char *)blob.data, blob.len);
	buf_free(&blob);
	memcpy(buf, "SHA256:", 7);
	sodium_bin2base64(buf + 7, KEY_FINGERPRINT_SIZE - 7, h, sizeof h,
	    sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
	return buf;
}

/* The private-key file's bytes for k (PROTOCOL.key, unencrypted), armoured. */
static char *
private_text(const struct key *k, const char *comment)
{
	struct buf b = {0}, priv = {0};
	uint32_t check;
	char *text;

	randombytes_buf(&check, sizeof check);
	put_u32(&priv, check);
	put_u32(&priv, check);
	put_pubblob(&priv, k->pk);
	put_string(&priv, k->sk, sizeof k->sk);
	put_cstring(&priv, comment != NULL ? comment : "");
	/* Padded to the cipher's block size, 8 for "none", with the bytes 1, 2, 3, ... */
	for (unsigned char pad = 1; priv.len % 8 != 0; pad++)
		buf_add(&priv, &pad, 1);

	buf_add(&b, PRIV_MAGIC, sizeof PRIV_MAGIC);     /* with its NUL */
	put_cstring(&b, "none");                        /* cipher */
	put_cstring(&b, "none");                        /* kdf */
	put_string(&b, "", 0);                          /* kdf options */
	put_u32(&b, 1);                                 /* one key */
	{
		struct buf pub = {0};

		put_pubblob(&pub, k->pk);
		put_string(&b, pub.data, pub.len);
		buf_free(&pub);
	}
	put_string(&b, priv.data, priv.len);
	text = armour(PRIV_BEGIN, b.data, b.len, PRIV_END);
	sodium_memzero(priv.data, priv.len);
	sodium_memzero(b.data, b.len);
	buf_free(&priv);
	buf_free(&b);
	return text;
}

/*
 * Writes text and a newline to path, whole or not at all, never replacing a file: written to
 * a temporary file beside it, flushed, then linked to its name (link(2) fails on an existing
 * name, where rename(2) would replace it).
 */
static int
write_new(const char *path, const char *text, mode_t mode)
{
	char *tmp = xasprintf("%s.XXXXXX", path);
	size_t len = strlen(text);
	int fd, r = -1;

	fd = mkstemp(tmp);
	if (fd == -1) {
		err_set("cannot create key '%s': %s", path, strerror(errno));
		free(tmp);
		return -1;
	}
	if (fchmod(fd, mode) == -1 || write(fd, text, len) != (ssize_t)len ||
	    write(fd, "\n", 1) != 1 || fsync(fd) == -1) {
		err_set("cannot create key '%s': %s", path, strerror(errno));
	} else if (link(tmp, path) == -1) {
		if (errno == EEXIST)
			err_set("cannot create key '%s': it exists", path);
		else
			err_set("cannot create key '%s': %s", path, strerror(errno));
	} else {
		r = 0;
	}
	close(fd);
	unlink(tmp);
	free(tmp);
	return r;
}

int
key_save(const struct key *k, const char *path, const char *comment)
{
	char *text = private_text(k, comment), *pub = xasprintf("%s.pub", path), *line;
	int r;

	/* The public file first: when the private one then exists, both do. */
	line = key_public_line(k->pk, comment);
	r = access(path, F_OK) == 0 ? (err_set("cannot create key '%s': it exists", path), -1) : 0;
	if (r == 0) {
		unlink(pub);
		r = write_new(pub, line, 0644);
	}
	if (r == 0 && (r = write_new(path, text, 0600)) < 0)
		unlink(pub);
	sodium_memzero(text, strlen(text));
	free(text);
	free(line);
	free(pub);
	return r;
}

/* Parses the decoded private-key file into k; a static reason on failure. */
static const char *
private_parse(const unsigned char *p, size_t n, struct key *k)
{
	struct rd r = {p, n, false}, pr;
	unsigned char pk[KEY_PUBLIC_SIZE], seedpk[crypto_sign_PUBLICKEYBYTES];
	unsigned char seedsk[crypto_sign_SECRETKEYBYTES];
	const unsigned char *priv, *sk;
	size_t plen, sklen, clen;
	bool cipher_none;

	if (n < sizeof PRIV_MAGIC || memcmp(p, PRIV_MAGIC, sizeof PRIV_MAGIC) != 0)
		return "it is not an OpenSSH private key";
	r.p += sizeof PRIV_MAGIC;
	r.n -= sizeof PRIV_MAGIC;
	cipher_none = get_is(&r, "none");
	if (!r.bad && !cipher_none)
		return "it is protected by a passphrase, which casus cannot ask for "
		    "(make a key without one: member-key --new)";
	if (!get_is(&r, "none") || get_string(&r, &clen) == NULL)
		return "it is not an OpenSSH private key";
	if (get_u32(&r) != 1)
		return "it does not hold exactly one key";
	{
		size_t bl;
		const unsigned char *blob = get_string(&r, &bl);
		struct rd br = {blob, bl, blob == NULL};

		if (blob == NULL || get_pubblob(&br, pk) < 0 || br.n != 0)
			return "it is not an Ed25519 key";
	}
	priv = get_string(&r, &plen);
	if (priv == NULL || r.n != 0)
		return "it is not an OpenSSH private key";
	pr = (struct rd){priv, plen, false};
	if (get_u32(&pr) != get_u32(&pr) || pr.bad)
		return "it is damaged (its check numbers differ)";
	if (get_pubblob(&pr, k->pk) < 0 || memcmp(k->pk, pk, sizeof pk) != 0)
		return "it is not an Ed25519 key";
	sk = get_string(&pr, &sklen);
	if (sk == NULL || sklen != crypto_sign_SECRETKEYBYTES)
		return "it is not an Ed25519 key";
	get_string(&pr, &clen);
	if (pr.bad)
		return "it is damaged";
	/* The secret half must be the one of the public half: derive it again from the seed. */
	crypto_sign_seed_keypair(seedpk, seedsk, sk);
	if (memcmp(seedpk, k->pk, sizeof seedpk) != 0 || memcmp(sk + 32, k->pk, 32) != 0) {
		sodium_memzero(seedsk, sizeof seedsk);
		return "its public and private halves do not belong together";
	}
	memcpy(k->sk, seedsk, sizeof seedsk);
	sodium_memzero(seedsk, sizeof seedsk);
	key_convert(k);
	return NULL;
}

int
key_load(struct key **out, const char *path)
{
	struct stat st;
	char text[KEY_FILE_MAX + 1];
	unsigned char *bin = NULL;
	const char *why = NULL;
	size_t blen = 0;
	ssize_t n;
	struct key *k;
	int fd;

	*out = NULL;
	if (sodium_ready() < 0)
		return -1;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd == -1) {
		if (errno == ENOENT)
			err_set("cannot read key '%s': it does not exist (make one with "
			    "member-key --new, or set CASUS_KEY)", path);
		else
			err_set("cannot read key '%s': %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == -1) {
		err_set("cannot read key '%s': %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		err_set("cannot read key '%s': it is not a regular file", path);
		close(fd);
		return -1;
	}
	/* As ssh: a private key others may read or write is no longer only yours. */
	if ((st.st_mode & 077) != 0) {
		err_set("cannot read key '%s': permissions %04o are too open (chmod 600 it)", path,
		    (unsigned)(st.st_mode & 07777));
		close(fd);
		return -1;
	}
	n = read(fd, text, sizeof text);
	close(fd);
	if (n < 0) {
		err_set("cannot read key '%s': %s", path, strerror(errno));
		return -1;
	}
	if (n > KEY_FILE_MAX) {
		err_set("cannot read key '%s': it is too large to be a key", path);
		return -1;
	}
	k = xcalloc(1, sizeof *k);
	bin = unarmour(text, (size_t)n, PRIV_BEGIN, PRIV_END, &blen);
	why = bin == NULL ? "it is not an OpenSSH private key" : private_parse(bin, blen, k);
	if (bin != NULL) {
		sodium_memzero(bin, blen);
		free(bin);
	}
	sodium_memzero(text, sizeof text);
	if (why != NULL) {
		err_set("cannot read key '%s': %s", path, why);
		key_free(k);
		return -1;
	}
	*out = k;
	return 0;
}

/* --- signatures ------------------------------------------------------------------------------ */

/* The bytes an SSH signature signs: the magic, the namespace, reserved, the hash and H(msg). */
static void
signed_data(struct buf *b, const char *ns, const char *hash, const unsigned char *h, size_t hlen)
{
	buf_add(b, SIG_MAGIC, strlen(SIG_MAGIC));
	put_cstring(b, ns);
	put_string(b, "", 0);
	put_cstring(b, hash);
	put_string(b, h, hlen);
}

int
sshsig_sign(const struct key *k, const char *ns, const void *msg, size_t len, char **armored)
{
	unsigned char h[crypto_hash_sha512_BYTES], sig[crypto_sign_BYTES];
	struct buf data = {0}, sigblob = {0}, out = {0}, pub = {0};

	*armored = NULL;
	if (sodium_ready() < 0)
		return -1;
	crypto_hash_sha512(h, msg, len);
	signed_data(&data, ns, "sha512", h, sizeof h);
	crypto_sign_detached(sig, NULL, (const unsigned char *)data.data, data.len, k->sk);

	put_cstring(&sigblob, KEY_TYPE);
	put_string(&sigblob, sig, sizeof sig);
	put_pubblob(&pub, k->pk);
	buf_add(&out, SIG_MAGIC, strlen(SIG_MAGIC));
	put_u32(&out, SIG_VERSION);
	put_string(&out, pub.data, pub.len);
	put_cstring(&out, ns);
	put_string(&out, "", 0);
	put_cstring(&out, "sha512");
	put_string(&out, sigblob.data, sigblob.len);
	*armored = armour(SIG_BEGIN, out.data, out.len, SIG_END);
	buf_free(&data);
	buf_free(&sigblob);
	buf_free(&pub);
	buf_free(&out);
	return 0;
}

int
sshsig_verify(const char *armored, size_t alen, const char *ns, const void *msg, size_t len,
    unsigned char signer[KEY_PUBLIC_SIZE], const char **why)
{
	unsigned char *bin, h[crypto_hash_sha512_BYTES], pk[KEY_PUBLIC_SIZE];
	const unsigned char *pub, *sns, *hash, *sig, *raw;
	size_t blen, publen, nslen, hashlen, siglen, rawlen;
	struct buf data = {0};
	struct rd r;
	int ret = -1;

	if (sodium_ready() < 0) {
		*why = "libsodium failed to initialise";
		return -1;
	}
	bin = unarmour(armored, alen, SIG_BEGIN, SIG_END, &blen);
	if (bin == NULL || blen < 6 || memcmp(bin, SIG_MAGIC, 6) != 0) {
		*why = "it is not an SSH signature";
		goto out;
	}
	r = (struct rd){bin + 6, blen - 6, false};
	if (get_u32(&r) != SIG_VERSION) {
		*why = "it is not an SSH signature of version 1";
		goto out;
	}
	pub = get_string(&r, &publen);
	sns = get_string(&r, &nslen);
	get_string(&r, &rawlen);                        /* reserved */
	hash = get_string(&r, &hashlen);
	sig = get_string(&r, &siglen);
	if (r.bad || r.n != 0) {
		*why = "it is not an SSH signature";
		goto out;
	}
	{
		struct rd pr = {pub, publen, false};

		if (get_pubblob(&pr, pk) < 0 || pr.n != 0) {
			*why = "it was not made with an Ed25519 key";
			goto out;
		}
	}
	if (nslen != strlen(ns) || memcmp(sns, ns, nslen) != 0) {
		*why = "it was made for another purpose (its namespace differs)";
		goto out;
	}
	{
		struct rd sr = {sig, siglen, false};

		if (!get_is(&sr, KEY_TYPE) || (raw = get_string(&sr, &rawlen)) == NULL ||
		    rawlen != crypto_sign_BYTES || sr.n != 0) {
			*why = "it is not an Ed25519 signature";
			goto out;
		}
	}
	if (hashlen == 6 && memcmp(hash, "sha512", 6) == 0) {
		crypto_hash_sha512(h, msg, len);
		signed_data(&data, ns, "sha512", h, crypto_hash_sha512_BYTES);
	} else if (hashlen == 6 && memcmp(hash, "sha256", 6) == 0) {
		crypto_hash_sha256(h, msg, len);
		signed_data(&data, ns, "sha256", h, crypto_hash_sha256_BYTES);
	} else {
		*why = "it uses a hash other than SHA-512 or SHA-256";
		goto out;
	}
	if (crypto_sign_verify_detached(raw, (const unsigned char *)data.data, data.len, pk) != 0) {
		*why = "the signature does not match the content";
		goto out;
	}
	memcpy(signer, pk, sizeof pk);
	ret = 0;
out:
	buf_free(&data);
	free(bin);
	return ret;
}

/* --- wrapping a secret for a key ------------------------------------------------------------ */

int
key_wrap(const unsigned char pk[KEY_PUBLIC_SIZE], const unsigned char *secret, size_t len,
    unsigned char *out)
{
	unsigned char xpk[crypto_box_PUBLICKEYBYTES];

	if (sodium_ready() < 0)
		return -1;
	if (crypto_sign_ed25519_pk_to_curve25519(xpk, pk) != 0) {
		err_set("cannot seal for a key: it is not a valid Ed25519 public key");
		return -1;
	}
	if (crypto_box_seal(out, secret, len, xpk) != 0) {
		err_set("cannot seal for a key: it is not a valid Ed25519 public key");
		return -1;
	}
	return 0;
}

int
key_unwrap(const struct key *k, const unsigned char *wrap, size_t wlen, unsigned char *out)
{
	unsigned char xsk[crypto_box_SECRETKEYBYTES];
	int r = -1;

	if (wlen < KEY_WRAP_SIZE || !k->xpk_ok || sodium_init() < 0)
		return -1;
	if (crypto_sign_ed25519_sk_to_curve25519(xsk, k->sk) == 0)
		r = crypto_box_seal_open(out, wrap, wlen, k->xpk, xsk) == 0 ? 0 : -1;
	sodium_memzero(xsk, sizeof xsk);
	return r;
}
