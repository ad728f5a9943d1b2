/* SHA-1 against the FIPS 180-2/180-4 example vectors, UUIDv5 against
 * RFC 9562, and chitin's own namespace, type ids and text forms. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "chitin/hash.h"

static void
hex_of(const uint8_t *bytes, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;
	for (i = 0; i < n; i++) {
		out[2 * i] = digits[bytes[i] >> 4];
		out[2 * i + 1] = digits[bytes[i] & 0x0f];
	}
	out[2 * n] = '\0';
}

static void
check_sha1(const void *data, size_t len, const char *want)
{
	uint8_t digest[CHITIN_SHA1_DIGEST_SIZE];
	char text[2 * CHITIN_SHA1_DIGEST_SIZE + 1];
	chitin_sha1(data, len, digest);
	hex_of(digest, sizeof digest, text);
	assert_string_equal(text, want);
}

static const char msg_448[] =
	"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
static const char msg_896[] =
	"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
	"hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";

static void
test_sha1_abc(void **state)
{
	(void)state;
	check_sha1("abc", 3, "a9993e364706816aba3e25717850c26c9cd0d89d");
}

static void
test_sha1_empty(void **state)
{
	(void)state;
	check_sha1("", 0, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
	check_sha1(NULL, 0, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
}

static void
test_sha1_448_bits(void **state)
{
	(void)state;
	assert_int_equal(strlen(msg_448) * 8, 448);
	check_sha1(msg_448, strlen(msg_448),
		   "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
}

static void
test_sha1_896_bits(void **state)
{
	(void)state;
	assert_int_equal(strlen(msg_896) * 8, 896);
	check_sha1(msg_896, strlen(msg_896),
		   "a49b2446a02c645bf419f995b67091253a04a259");
}

static void
test_sha1_million_a(void **state)
{
	enum { N = 1000000 };
	char *a = malloc(N);
	(void)state;
	assert_non_null(a);
	memset(a, 'a', N);
	check_sha1(a, N, "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
	free(a);
}

/* Lengths around the padding boundary (55, 56, 63, 64 bytes), where the
 * length field does or does not fit in the last block. */
static void
test_sha1_padding_boundaries(void **state)
{
	static const struct {
		size_t len;
		const char *want;
	} cases[] = {
		{ 55, "c1c8bbdc22796e28c0e15163d20899b65621d65a" },
		{ 56, "c2db330f6083854c99d4b5bfb6e8f29f201be699" },
		{ 63, "03f09f5b158a7a8cdad920bddc29b81c18a551f5" },
		{ 64, "0098ba824b5c16427bd7a1122a5a442a25ec644d" },
		{ 65, "11655326c708d70319be2610e8a57d9a5b959d3b" },
	};
	char a[65];
	size_t i;
	(void)state;
	memset(a, 'a', sizeof a);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		check_sha1(a, cases[i].len, cases[i].want);
}

/* Feeding a message in pieces of every size from 1 to 130 bytes gives the
 * digest of the whole. */
static void
test_sha1_incremental(void **state)
{
	uint8_t msg[1000], whole[CHITIN_SHA1_DIGEST_SIZE], parts[CHITIN_SHA1_DIGEST_SIZE];
	size_t i, step;
	(void)state;
	for (i = 0; i < sizeof msg; i++)
		msg[i] = (uint8_t)(i * 7 + 3);
	chitin_sha1(msg, sizeof msg, whole);
	for (step = 1; step <= 130; step++) {
		struct chitin_sha1_ctx ctx;
		chitin_sha1_init(&ctx);
		for (i = 0; i < sizeof msg; i += step) {
			size_t n = sizeof msg - i < step ? sizeof msg - i : step;
			chitin_sha1_update(&ctx, msg + i, n);
			chitin_sha1_update(&ctx, NULL, 0);
		}
		chitin_sha1_final(&ctx, parts);
		assert_memory_equal(parts, whole, sizeof whole);
	}
}

static void
test_hash128_is_sha1_prefix(void **state)
{
	/* The canonical form of i32 on x86_64-linux (doc/abi.md, 7.2). */
	static const uint8_t i32_form[28] = {
		'c', 'h', 'i', 't', 'i', 'n', '-', 'l', 'a', 'y', 'o', 'u', 't', '-', '1',
		4, 4, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0,
	};
	uint8_t digest[CHITIN_SHA1_DIGEST_SIZE];
	chitin_hash128 h;
	char hex[CHITIN_HEX128_TEXT_SIZE];
	(void)state;
	chitin_sha1("abc", 3, digest);
	chitin_hash128_of("abc", 3, &h);
	assert_memory_equal(h.bytes, digest, 16);
	chitin_hash128_of(i32_form, sizeof i32_form, &h);
	chitin_hash128_to_hex(&h, hex);
	assert_string_equal(hex, "9144d02820adb846ec150a232543d93e");
}

static const chitin_hash128 ns_dns = { { 0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1,
					 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8 } };
static const chitin_hash128 ns_url = { { 0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1,
					 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8 } };

/* RFC 9562, appendix A.4. */
static void
test_uuid_v5_rfc_example(void **state)
{
	chitin_hash128 id;
	char text[CHITIN_UUID_TEXT_SIZE];
	(void)state;
	chitin_uuid_v5(&ns_dns, "www.example.com", 15, &id);
	chitin_hash128_to_uuid(&id, text);
	assert_string_equal(text, "2ed6657d-e927-568b-95e1-2665a8aea6a2");
	assert_int_equal(id.bytes[6] >> 4, 5);
	assert_int_equal(id.bytes[8] >> 6, 2);
}

/* The derivation that hash.h states, done again. */
static void
test_namespace_id_derivation(void **state)
{
	static const chitin_hash128 from_macro = CHITIN_NAMESPACE_ID;
	chitin_hash128 id;
	char text[CHITIN_UUID_TEXT_SIZE];
	(void)state;
	chitin_uuid_v5(&ns_url, "chitin.dev/typeid", strlen("chitin.dev/typeid"), &id);
	assert_memory_equal(id.bytes, from_macro.bytes, 16);
	assert_memory_equal(id.bytes, chitin_namespace_id.bytes, 16);
	chitin_hash128_to_uuid(&id, text);
	assert_string_equal(text, "0f68c18e-fe66-5b64-94d7-c726e84f75bc");
}

static void
test_type_id(void **state)
{
	chitin_hash128 id, by_hand;
	char text[CHITIN_UUID_TEXT_SIZE];
	(void)state;
	chitin_type_id("audio", "Frame", 1, &id);
	chitin_uuid_v5(&chitin_namespace_id, "audio.Frame@1", 13, &by_hand);
	assert_memory_equal(id.bytes, by_hand.bytes, 16);
	chitin_hash128_to_uuid(&id, text);
	assert_string_equal(text, "2025bc7b-7123-5611-be3e-fb976da7736d");

	/* The major is decimal, without leading zeros. */
	chitin_type_id("audio", "Frame", 0, &id);
	chitin_uuid_v5(&chitin_namespace_id, "audio.Frame@0", 13, &by_hand);
	assert_memory_equal(id.bytes, by_hand.bytes, 16);
	chitin_type_id("audio", "Frame", 65535, &id);
	chitin_uuid_v5(&chitin_namespace_id, "audio.Frame@65535", 17, &by_hand);
	assert_memory_equal(id.bytes, by_hand.bytes, 16);
	chitin_type_id("audio", "Frame", 10, &id);
	chitin_uuid_v5(&chitin_namespace_id, "audio.Frame@10", 14, &by_hand);
	assert_memory_equal(id.bytes, by_hand.bytes, 16);

	/* The other vectors of doc/abi.md, section 7.1. */
	chitin_type_id("chitin", "object", 1, &id);
	chitin_hash128_to_uuid(&id, text);
	assert_string_equal(text, "0a13d8b4-b20f-583d-9867-bb84e0aba9ce");
	chitin_type_id("demo", "Pair", 2, &id);
	chitin_hash128_to_uuid(&id, text);
	assert_string_equal(text, "dfa15d67-02ed-5d06-950e-27f951797511");
	chitin_type_id("demo", "Point", 1, &id);
	chitin_hash128_to_uuid(&id, text);
	assert_string_equal(text, "46ce4172-213f-5cfc-817d-0924a4f4432e");

	/* Another major, another id. */
	chitin_type_id("audio", "Frame", 2, &by_hand);
	chitin_type_id("audio", "Frame", 1, &id);
	assert_memory_not_equal(id.bytes, by_hand.bytes, 16);
}

static void
test_text_forms(void **state)
{
	chitin_hash128 h;
	char uuid[CHITIN_UUID_TEXT_SIZE], hex[CHITIN_HEX128_TEXT_SIZE];
	size_t i;
	(void)state;
	for (i = 0; i < 16; i++)
		h.bytes[i] = (uint8_t)(i * 0x11);
	memset(uuid, 'x', sizeof uuid);
	memset(hex, 'x', sizeof hex);
	chitin_hash128_to_uuid(&h, uuid);
	chitin_hash128_to_hex(&h, hex);
	assert_string_equal(uuid, "00112233-4455-6677-8899-aabbccddeeff");
	assert_string_equal(hex, "00112233445566778899aabbccddeeff");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha1_abc),
		cmocka_unit_test(test_sha1_empty),
		cmocka_unit_test(test_sha1_448_bits),
		cmocka_unit_test(test_sha1_896_bits),
		cmocka_unit_test(test_sha1_million_a),
		cmocka_unit_test(test_sha1_padding_boundaries),
		cmocka_unit_test(test_sha1_incremental),
		cmocka_unit_test(test_hash128_is_sha1_prefix),
		cmocka_unit_test(test_uuid_v5_rfc_example),
		cmocka_unit_test(test_namespace_id_derivation),
		cmocka_unit_test(test_type_id),
		cmocka_unit_test(test_text_forms),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
