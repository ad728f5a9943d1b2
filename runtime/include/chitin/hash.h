/* SHA-1 and the 128-bit values chitin builds on it: UUIDv5 type ids, layout
 * hashes and signature hashes.  Shared by the chitin compiler and libchitin.
 * Freestanding: needs only <stddef.h> and <stdint.h>, never allocates. */
#ifndef CHITIN_HASH_H
#define CHITIN_HASH_H

#include <stddef.h>
#include <stdint.h>

#include "api.h"

#ifdef __cplusplus
extern "C" {
#endif


/* 128-bit ids and hashes, in RFC 9562 byte order (the order of the text
 * form, most significant byte first). */
typedef struct chitin_hash128 {
	uint8_t bytes[16];
} chitin_hash128;

/* Whether two hashes are the same 16 bytes. */
static inline int
chitin_hash128_equal(const chitin_hash128 *a, const chitin_hash128 *b)
{
	int i;
	for (i = 0; i < 16; i++)
		if (a->bytes[i] != b->bytes[i])
			return 0;
	return 1;
}

#define CHITIN_SHA1_DIGEST_SIZE 20
#define CHITIN_SHA1_BLOCK_SIZE 64

/* The state of an incremental SHA-1 (FIPS 180-4).  Plain data: it may be
 * copied to fork a hash of a common prefix.  Named apart from the
 * one-shot chitin_sha1, which C++ would otherwise read as hiding the
 * struct's constructor (g++ -Wshadow). */
struct chitin_sha1_ctx {
	uint32_t state[5];
	uint64_t n_bytes;                          /* message bytes so far */
	uint8_t block[CHITIN_SHA1_BLOCK_SIZE];     /* n_bytes % 64 of them */
};

CHITIN_RUNTIME_API void chitin_sha1_init(struct chitin_sha1_ctx *ctx);
/* Appends len bytes at data (data may be NULL when len is 0).  Messages
 * are limited to 2^61 - 1 bytes, as FIPS 180-4 says. */
CHITIN_RUNTIME_API void chitin_sha1_update(struct chitin_sha1_ctx *ctx, const void *data, size_t len);
/* Writes the digest of everything appended, then wipes ctx; it must be
 * initialised again before reuse. */
CHITIN_RUNTIME_API void chitin_sha1_final(struct chitin_sha1_ctx *ctx,
		       uint8_t digest[CHITIN_SHA1_DIGEST_SIZE]);
/* One-shot SHA-1 of len bytes at data. */
CHITIN_RUNTIME_API void chitin_sha1(const void *data, size_t len,
		 uint8_t digest[CHITIN_SHA1_DIGEST_SIZE]);

/* The 128-bit hash of chitin: the first 16 bytes of the SHA-1 of len bytes
 * at data.  Layout and signature hashes are this function over their
 * canonical forms (doc/abi.md). */
CHITIN_RUNTIME_API void chitin_hash128_of(const void *data, size_t len, chitin_hash128 *out);

/* The name-based UUID of RFC 9562 section 5.5: SHA-1 over the 16 bytes of
 * namespace_id followed by len bytes of name, cut to 16 bytes, with the
 * version nibble set to 5 and the variant bits to 10. */
CHITIN_RUNTIME_API void chitin_uuid_v5(const chitin_hash128 *namespace_id, const void *name,
		    size_t len, chitin_hash128 *out);

/* chitin's namespace for type ids: the UUIDv5 of the name
 * "chitin.dev/typeid" in the URL namespace of RFC 9562
 * (6ba7b811-9dad-11d1-80b4-00c04fd430c8), that is
 * 0f68c18e-fe66-5b64-94d7-c726e84f75bc.  Fixed forever: every type id
 * derives from it.  tests/unit/test_hash.c derives it again.
 *
 * CHITIN_NAMESPACE_ID is an initializer, usable in C and C++:
 *     static const chitin_hash128 ns = CHITIN_NAMESPACE_ID;
 * chitin_namespace_id is the same value as an object. */
#define CHITIN_NAMESPACE_ID                                             \
	{ { 0x0f, 0x68, 0xc1, 0x8e, 0xfe, 0x66, 0x5b, 0x64,             \
	    0x94, 0xd7, 0xc7, 0x26, 0xe8, 0x4f, 0x75, 0xbc } }
CHITIN_RUNTIME_API extern const chitin_hash128 chitin_namespace_id;

/* The type id of a named type that is not an interface with a [uuid]:
 * the UUIDv5 under CHITIN_NAMESPACE_ID of "module.name@major", the major
 * version in decimal without leading zeros ("audio.Frame@1").  module and
 * name are NUL-terminated; name is the bare name ("Frame"). */
CHITIN_RUNTIME_API void chitin_type_id(const char *module, const char *name, uint16_t major,
		    chitin_hash128 *out);

/* Text forms, NUL-terminated: the 8-4-4-4-12 form of RFC 9562 in lower
 * case (36 characters), and 32 lower-case hex digits. */
#define CHITIN_UUID_TEXT_SIZE 37
#define CHITIN_HEX128_TEXT_SIZE 33
CHITIN_RUNTIME_API void chitin_hash128_to_uuid(const chitin_hash128 *h,
			    char text[CHITIN_UUID_TEXT_SIZE]);
/* Parses the len bytes at text, exactly the 36-character UUID form, in
 * either case, into *out: 1, or 0 and *out untouched. */
CHITIN_RUNTIME_API int chitin_hash128_from_uuid(const char *text, size_t len, chitin_hash128 *out);
CHITIN_RUNTIME_API void chitin_hash128_to_hex(const chitin_hash128 *h,
			   char text[CHITIN_HEX128_TEXT_SIZE]);

#ifdef __cplusplus
}
#endif

#endif
