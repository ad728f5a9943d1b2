/* What the descriptor tests (test_desc_codec, test_desc_compare) share: a
 * descriptor with every section, stand-in hashes, deep equality, and
 * encoding and decoding into memory of exactly the right size. */
#ifndef CHITIN_TEST_DESC_MODEL_H
#define CHITIN_TEST_DESC_MODEL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "chitin/descriptor.h"

/* The 128-bit hash of s; of prefix followed by name. */
chitin_hash128 hash_of(const char *s);
chitin_hash128 hash_of2(const char *prefix, const char *name);

/* A hash in the report's text form; valid until the next call with the
 * same buffer. */
struct hex {
	char s[CHITIN_HEX128_TEXT_SIZE];
};
const char *hex_of(struct hex *h, const char *hashed);

void *xmalloc(size_t n);
char *xstrdup(const char *s);

/* Module audio 1.2 on x86_64-linux, like the sample SDK of samples/audio.
 * Hashes are SHA-1 prefixes of readable stand-ins: the comparator only
 * compares them. */
struct model {
	struct chitin_desc_import imports[2];
	struct chitin_desc_field frame_fields[2];
	struct chitin_desc_field settings_fields[3];
	struct chitin_desc_field event_fields[2];
	struct chitin_desc_variant format_values[3];
	struct chitin_desc_variant event_variants[4];
	struct chitin_desc_type types[7];
	struct chitin_desc_method effect_methods[3];
	struct chitin_desc_method node_methods[1];
	struct chitin_desc_interface interfaces[2];
	struct chitin_desc_export exports[2];
	struct chitin_descriptor d;
};

enum { FRAME, SETTINGS, FORMAT, EVENT, LOGFN, EFFECT_TYPE, NODE_TYPE };
enum { EFFECT, NODE };

extern const chitin_hash128 effect_iid, node_iid;

void set_field(struct chitin_desc_field *f, const char *name, uint64_t offset,
	       uint64_t size, const char *type);

void model_init(struct model *m);
/* The same module as version 1.1 declared it: without the [since(1.2)]
 * items. */
void model_init_1_1(struct model *m);
/* The same module laid out as a 32-bit target would: other sizes, offsets,
 * layout and signature hashes, for targets (the same contents otherwise:
 * another layout class of the module). */
void model_init_32(struct model *m, const char *targets);
/* Makes t's layout hash differ from the model's, as a layout change does. */
void relayout(struct chitin_desc_type *t);

void assert_hash_equal(const chitin_hash128 *a, const chitin_hash128 *b);
void assert_desc_equal(const struct chitin_descriptor *a, const struct chitin_descriptor *b);

/* Class which of n classes as a blob in memory of exactly its size, so
 * that ASan sees any read past it; *common_size if not NULL. */
uint8_t *encode_classes_alloc(const struct chitin_descriptor *classes, uint32_t n,
			      uint32_t which, size_t *size, size_t *common_size);
/* d alone (one class). */
uint8_t *encode_alloc(const struct chitin_descriptor *d, size_t *size);

/* A decoded blob with its own scratch memory. */
struct decoded {
	void *scratch;
	struct chitin_descriptor d;
};

/* Decodes blob, asking for the scratch size first; checks the bound of
 * doc/descriptor.md section 7 on it. */
enum chitin_desc_status decode_alloc(const uint8_t *blob, size_t size, struct decoded *out);
void decoded_free(struct decoded *d);

/* chitin_desc_compare with work memory of exactly the size asked for, so
 * that ASan sees any write past it; compares twice, at two addresses of
 * which one is misaligned, and checks that the reports are the same. */
uint32_t compare_alloc(const struct chitin_descriptor *host,
		       const struct chitin_descriptor *plugin, uint16_t required_minor,
		       struct chitin_desc_report *report);

/* A copy of a descriptor with its items in another order, for checking
 * that the comparison does not depend on it: the lists matched by name
 * (imports, types, interfaces, the fields of a type that is not
 * resilient, the values and variants of an enum) in an order drawn from
 * seed, the positional ones (a resilient struct's fields, methods,
 * exports) as they are.  Strings and methods are shared with the
 * original. */
struct reordered {
	struct chitin_descriptor d;
	void *arrays[5];             /* what reordered_free frees */
};
void reorder(const struct chitin_descriptor *d, uint64_t seed, struct reordered *out);
void reordered_free(struct reordered *r);

/* The scratch bound of doc/descriptor.md section 7 for a blob of size
 * bytes. */
#define SCRATCH_BOUND(size) (11 * (size) + 64)

#endif
