/* SHA-1 as FIPS 180-4 section 6.1 specifies it, and the ids and hashes
 * chitin builds on it: UUIDv5 (RFC 9562 section 5.5), type ids, 128-bit
 * hashes and their text forms. */
/* part of libchitin: its functions are the library's exports */
#define CHITIN_BUILDING_RUNTIME 1
#include "chitin/hash.h"

#include <string.h>

const chitin_hash128 chitin_namespace_id = CHITIN_NAMESPACE_ID;

/* ROTL^n of FIPS 180-4 section 3.2; n is 1 to 31. */
static uint32_t
rotl32(uint32_t x, unsigned n)
{
	return (uint32_t)(x << n) | (x >> (32 - n));
}

static uint32_t
load_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static void
store_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* Section 6.1.2, steps 1 to 4, for one 512-bit block. */
static void
sha1_block(uint32_t state[5], const uint8_t *block)
{
	uint32_t w[80];
	uint32_t a, b, c, d, e;
	unsigned t;

	for (t = 0; t < 16; t++)
		w[t] = load_be32(block + 4 * t);
	for (t = 16; t < 80; t++)
		w[t] = rotl32(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1);

	a = state[0];
	b = state[1];
	c = state[2];
	d = state[3];
	e = state[4];
	for (t = 0; t < 80; t++) {
		/* f_t and K_t of sections 4.1.1 and 4.2.1: Ch, Parity, Maj,
		 * Parity, each for 20 rounds. */
		uint32_t f, k, temp;
		if (t < 20) {
			f = (b & c) ^ (~b & d);
			k = 0x5a827999u;
		} else if (t < 40) {
			f = b ^ c ^ d;
			k = 0x6ed9eba1u;
		} else if (t < 60) {
			f = (b & c) ^ (b & d) ^ (c & d);
			k = 0x8f1bbcdcu;
		} else {
			f = b ^ c ^ d;
			k = 0xca62c1d6u;
		}
		temp = rotl32(a, 5) + f + e + k + w[t];
		e = d;
		d = c;
		c = rotl32(b, 30);
		b = a;
		a = temp;
	}
	state[0] += a;
	state[1] += b;
	state[2] += c;
	state[3] += d;
	state[4] += e;
}

void
chitin_sha1_init(struct chitin_sha1_ctx *ctx)
{
	/* H^(0) of section 5.3.1. */
	ctx->state[0] = 0x67452301u;
	ctx->state[1] = 0xefcdab89u;
	ctx->state[2] = 0x98badcfeu;
	ctx->state[3] = 0x10325476u;
	ctx->state[4] = 0xc3d2e1f0u;
	ctx->n_bytes = 0;
	memset(ctx->block, 0, sizeof ctx->block);
}

void
chitin_sha1_update(struct chitin_sha1_ctx *ctx, const void *data, size_t len)
{
	const uint8_t *p = (const uint8_t *)data;
	size_t used;

	if (len == 0)
		return;
	used = (size_t)(ctx->n_bytes % CHITIN_SHA1_BLOCK_SIZE);
	ctx->n_bytes += len;
	if (used > 0) {
		size_t take = CHITIN_SHA1_BLOCK_SIZE - used;
		if (take > len)
			take = len;
		memcpy(ctx->block + used, p, take);
		p += take;
		len -= take;
		if (used + take < CHITIN_SHA1_BLOCK_SIZE)
			return;
		sha1_block(ctx->state, ctx->block);
	}
	while (len >= CHITIN_SHA1_BLOCK_SIZE) {
		sha1_block(ctx->state, p);
		p += CHITIN_SHA1_BLOCK_SIZE;
		len -= CHITIN_SHA1_BLOCK_SIZE;
	}
	if (len > 0)
		memcpy(ctx->block, p, len);
}

void
chitin_sha1_final(struct chitin_sha1_ctx *ctx,
		  uint8_t digest[CHITIN_SHA1_DIGEST_SIZE])
{
	/* Section 5.1.1: a 1 bit, zeros up to 448 bits modulo 512, then the
	 * message length in bits as a 64-bit big-endian integer. */
	uint64_t n_bits = ctx->n_bytes * 8;
	size_t used = (size_t)(ctx->n_bytes % CHITIN_SHA1_BLOCK_SIZE);
	unsigned i;

	ctx->block[used++] = 0x80;
	if (used > 56) {
		memset(ctx->block + used, 0, CHITIN_SHA1_BLOCK_SIZE - used);
		sha1_block(ctx->state, ctx->block);
		used = 0;
	}
	memset(ctx->block + used, 0, 56 - used);
	store_be32(ctx->block + 56, (uint32_t)(n_bits >> 32));
	store_be32(ctx->block + 60, (uint32_t)n_bits);
	sha1_block(ctx->state, ctx->block);

	for (i = 0; i < 5; i++)
		store_be32(digest + 4 * i, ctx->state[i]);
	memset(ctx, 0, sizeof *ctx);
}

void
chitin_sha1(const void *data, size_t len,
	    uint8_t digest[CHITIN_SHA1_DIGEST_SIZE])
{
	struct chitin_sha1_ctx ctx;
	chitin_sha1_init(&ctx);
	chitin_sha1_update(&ctx, data, len);
	chitin_sha1_final(&ctx, digest);
}

void
chitin_hash128_of(const void *data, size_t len, chitin_hash128 *out)
{
	uint8_t digest[CHITIN_SHA1_DIGEST_SIZE];
	chitin_sha1(data, len, digest);
	memcpy(out->bytes, digest, sizeof out->bytes);
}

/* Ends a UUIDv5 whose namespace and name went into ctx. */
static void
uuid_v5_final(struct chitin_sha1_ctx *ctx, chitin_hash128 *out)
{
	uint8_t digest[CHITIN_SHA1_DIGEST_SIZE];
	chitin_sha1_final(ctx, digest);
	memcpy(out->bytes, digest, sizeof out->bytes);
	/* Octet 6 holds the version in its high nibble, octet 8 the variant
	 * in its two high bits (RFC 9562 sections 4.1, 4.2 and 5.5). */
	out->bytes[6] = (uint8_t)((out->bytes[6] & 0x0f) | 0x50);
	out->bytes[8] = (uint8_t)((out->bytes[8] & 0x3f) | 0x80);
}

void
chitin_uuid_v5(const chitin_hash128 *namespace_id, const void *name,
	       size_t len, chitin_hash128 *out)
{
	struct chitin_sha1_ctx ctx;
	chitin_sha1_init(&ctx);
	chitin_sha1_update(&ctx, namespace_id->bytes, sizeof namespace_id->bytes);
	chitin_sha1_update(&ctx, name, len);
	uuid_v5_final(&ctx, out);
}

void
chitin_type_id(const char *module, const char *name, uint16_t major,
	       chitin_hash128 *out)
{
	char digits[5];
	size_t n_digits = 0, i;
	unsigned v = major;
	struct chitin_sha1_ctx ctx;

	/* The decimal digits of major, least significant first. */
	do {
		digits[n_digits++] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);

	chitin_sha1_init(&ctx);
	chitin_sha1_update(&ctx, chitin_namespace_id.bytes,
			   sizeof chitin_namespace_id.bytes);
	chitin_sha1_update(&ctx, module, strlen(module));
	chitin_sha1_update(&ctx, ".", 1);
	chitin_sha1_update(&ctx, name, strlen(name));
	chitin_sha1_update(&ctx, "@", 1);
	for (i = n_digits; i > 0; i--)
		chitin_sha1_update(&ctx, &digits[i - 1], 1);
	uuid_v5_final(&ctx, out);
}

static const char hex_digits[] = "0123456789abcdef";

void
chitin_hash128_to_uuid(const chitin_hash128 *h, char text[CHITIN_UUID_TEXT_SIZE])
{
	size_t i, at = 0;
	for (i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			text[at++] = '-';
		text[at++] = hex_digits[h->bytes[i] >> 4];
		text[at++] = hex_digits[h->bytes[i] & 0x0f];
	}
	text[at] = '\0';
}

static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
chitin_hash128_from_uuid(const char *text, size_t len, chitin_hash128 *out)
{
	chitin_hash128 h;
	size_t i, at = 0;
	if (!text || !out || len != CHITIN_UUID_TEXT_SIZE - 1)
		return 0;
	for (i = 0; i < 16; i++) {
		int hi, lo;
		if ((i == 4 || i == 6 || i == 8 || i == 10) && text[at++] != '-')
			return 0;
		hi = hex_value(text[at]);
		lo = hex_value(text[at + 1]);
		if (hi < 0 || lo < 0)
			return 0;
		h.bytes[i] = (uint8_t)(hi << 4 | lo);
		at += 2;
	}
	*out = h;
	return 1;
}

void
chitin_hash128_to_hex(const chitin_hash128 *h, char text[CHITIN_HEX128_TEXT_SIZE])
{
	size_t i;
	for (i = 0; i < 16; i++) {
		text[2 * i] = hex_digits[h->bytes[i] >> 4];
		text[2 * i + 1] = hex_digits[h->bytes[i] & 0x0f];
	}
	text[32] = '\0';
}
