/* libchitin's values (runtime/include/chitin/runtime.h): type ids as text,
 * status texts, text and buffers made and released by the library,
 * reference counts, query tables and the loader's report. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "chitin/runtime.h"

static const chitin_typeid object_iid = CHITIN_OBJECT_IID;

static void
test_typeid_text(void **state)
{
	char text[CHITIN_TYPEID_TEXT];
	chitin_typeid id, back;
	(void)state;
	chitin_typeid_format(&object_iid, text);
	assert_string_equal(text, "0a13d8b4-b20f-583d-9867-bb84e0aba9ce");
	assert_int_equal(chitin_typeid_parse(text, strlen(text), &back), CHITIN_OK);
	assert_true(chitin_typeid_equal(&back, &object_iid));
	assert_int_equal(chitin_typeid_parse("0A13D8B4-B20F-583D-9867-BB84E0ABA9CE", 36, &id), CHITIN_OK);
	assert_true(chitin_typeid_equal(&id, &object_iid));
	/* every malformed form is refused and leaves *out alone */
	memset(&id, 0x55, sizeof id);
	back = id;
	assert_int_equal(chitin_typeid_parse(text, 35, &id), CHITIN_INVALID_ARG);
	assert_int_equal(chitin_typeid_parse("0a13d8b4-b20f-583d-9867-bb84e0aba9cg", 36, &id), CHITIN_INVALID_ARG);
	assert_int_equal(chitin_typeid_parse("0a13d8b4b-20f-583d-9867-bb84e0aba9ce", 36, &id), CHITIN_INVALID_ARG);
	assert_int_equal(chitin_typeid_parse("0a13d8b4-b20f-583d-9867-bb84e0aba9c", 36, &id), CHITIN_INVALID_ARG);
	assert_int_equal(chitin_typeid_parse(NULL, 36, &id), CHITIN_INVALID_ARG);
	assert_memory_equal(&id, &back, sizeof id);
}

static void
test_typeid_order(void **state)
{
	chitin_typeid a = object_iid, b = object_iid;
	(void)state;
	assert_int_equal(chitin_typeid_compare(&a, &b), 0);
	assert_int_equal(chitin_typeid_hash(&a), chitin_typeid_hash(&b));
	b.bytes[15]++;
	assert_int_equal(chitin_typeid_compare(&a, &b), -1);
	assert_int_equal(chitin_typeid_compare(&b, &a), 1);
	assert_false(chitin_typeid_equal(&a, &b));
	assert_int_not_equal(chitin_typeid_hash(&a), chitin_typeid_hash(&b));
	/* the hash is fixed across processes and builds: bytes i ^ (15 - i),
	 * i from 0 to 7, most significant first (computed by hand from
	 * object's id) */
	assert_int_equal(chitin_typeid_hash(&a), UINT64_C(0xc4ba735436b43fa5));
}

static void
test_status_text(void **state)
{
	(void)state;
	assert_string_equal(chitin_status_text(CHITIN_OK), "ok");
	assert_string_equal(chitin_status_text(CHITIN_UNAVAILABLE), "unavailable");
	assert_string_equal(chitin_status_text(CHITIN_PANIC), "panic");
	assert_string_equal(chitin_status_text(CHITIN_INVALID_ARG), "invalid argument");
	assert_string_equal(chitin_status_text(CHITIN_NO_MEMORY), "out of memory");
	assert_string_equal(chitin_status_text(CHITIN_FAILED), "failed");
	assert_string_equal(chitin_status_text(77), "unknown status");
}

static void
test_str(void **state)
{
	chitin_str s = chitin_str_from_cstr("héllo");
	(void)state;
	assert_int_equal(s.len, 6);
	assert_memory_equal(s.ptr, "héllo", 6);
	s = chitin_str_from_cstr(NULL);
	assert_null(s.ptr);
	assert_int_equal(s.len, 0);
	s = chitin_str_from("abc", 2);
	assert_int_equal(s.len, 2);
}

static void
test_string(void **state)
{
	chitin_string s;
	(void)state;
	assert_int_equal(chitin_string_from_cstr("owned", &s), CHITIN_OK);
	assert_int_equal(s.len, 5);
	assert_true(s.cap >= 5);
	assert_memory_equal(s.ptr, "owned", 5);
	assert_ptr_equal(s.release, chitin_string_free);
	chitin_string_release(&s);
	assert_null(s.ptr);
	assert_null(s.release);
	chitin_string_release(&s);   /* a second release does nothing */
	assert_int_equal(chitin_string_from("", 0, &s), CHITIN_OK);
	assert_null(s.release);
	assert_int_equal(chitin_string_from(NULL, 3, &s), CHITIN_INVALID_ARG);
	assert_null(s.ptr);
	assert_int_equal(chitin_string_from("x", 1, NULL), CHITIN_INVALID_ARG);
}

static void
test_vec(void **state)
{
	chitin_vec_u64 v;
	chitin_vec_string names;
	(void)state;
	assert_int_equal(chitin_vec_u64_make(4, &v), CHITIN_OK);
	assert_int_equal(v.cap, 4);
	assert_int_equal(v.len, 0);
	assert_int_equal((uintptr_t)v.ptr % _Alignof(uint64_t), 0);
	v.ptr[v.len++] = 1;
	v.ptr[v.len++] = 2;
	chitin_vec_u64_release(&v);
	assert_null(v.ptr);
	assert_int_equal(chitin_vec_u64_make(0, &v), CHITIN_OK);
	assert_null(v.ptr);
	chitin_vec_u64_release(&v);
	assert_int_equal(chitin_vec_u64_make(SIZE_MAX / 2, &v), CHITIN_NO_MEMORY);
	assert_null(v.release);
	/* a vec of strings releases each string (ASan finds a leak if not) */
	assert_int_equal(chitin_vec_string_make(2, &names), CHITIN_OK);
	assert_int_equal(chitin_string_from_cstr("a", &names.ptr[0]), CHITIN_OK);
	assert_int_equal(chitin_string_from_cstr("bc", &names.ptr[1]), CHITIN_OK);
	names.len = 2;
	chitin_vec_string_release(&names);
	assert_null(names.ptr);
}

static void
test_alloc(void **state)
{
	void *p = chitin_alloc(100, 256);
	(void)state;
	assert_non_null(p);
	assert_int_equal((uintptr_t)p % 256, 0);
	chitin_free(p);
	assert_null(chitin_alloc(8, 3));
	chitin_free(NULL);
}

static void
test_refcount(void **state)
{
	chitin_refcount rc;
	(void)state;
	chitin_refcount_init(&rc, 1);
	chitin_refcount_retain(&rc);
	assert_int_equal(chitin_refcount_get(&rc), 2);
	assert_false(chitin_refcount_release(&rc));
	assert_true(chitin_refcount_release(&rc));
	assert_int_equal(chitin_refcount_get(&rc), 0);
}

/* An object of two parts: a "reader" part (which also answers its base
 * "source") and a "writer" part, with one count. */
struct two_parts {
	chitin_object reader;
	chitin_object writer;
	chitin_refcount rc;
};

static const chitin_typeid reader_iid = { { 1, 1 } }, source_iid = { { 2, 2 } },
			   writer_iid = { { 3, 3 } }, other_iid = { { 4, 4 } };

static void CHITIN_CALL
reader_retain(chitin_object *self)
{
	chitin_refcount_retain(&((struct two_parts *)(void *)self)->rc);
}

static void CHITIN_CALL
writer_retain(chitin_object *self)
{
	chitin_refcount_retain(&((struct two_parts *)(void *)((char *)self - offsetof(struct two_parts, writer)))->rc);
}

static void CHITIN_CALL
no_release(chitin_object *self)
{
	(void)self;
}

static const chitin_query_entry parts[] = {
	{ { { 1, 1 } }, offsetof(struct two_parts, reader) },
	{ { { 2, 2 } }, offsetof(struct two_parts, reader) },
	{ { { 3, 3 } }, offsetof(struct two_parts, writer) },
};

static chitin_object *CHITIN_CALL
query(chitin_object *self, const chitin_typeid *iid)
{
	return chitin_query_table(self, iid, parts, 3);
}

static void
test_query_table(void **state)
{
	static const chitin_vtable_header reader_vtbl = { sizeof reader_vtbl, 0, { { 1, 1 } }, query,
							  reader_retain, no_release };
	static const chitin_vtable_header writer_vtbl = { sizeof writer_vtbl, 0, { { 3, 3 } }, query,
							  writer_retain, no_release };
	struct two_parts o;
	(void)state;
	o.reader.vtbl = &reader_vtbl;
	o.writer.vtbl = &writer_vtbl;
	chitin_refcount_init(&o.rc, 1);
	assert_ptr_equal(query(&o.reader, &writer_iid), &o.writer);
	assert_ptr_equal(query(&o.writer, &reader_iid), &o.reader);
	assert_ptr_equal(query(&o.writer, &source_iid), &o.reader);
	assert_ptr_equal(query(&o.writer, &writer_iid), &o.writer);
	/* identity: object is the first row's part, from either part */
	assert_ptr_equal(query(&o.writer, &object_iid), &o.reader);
	assert_ptr_equal(query(&o.reader, &object_iid), &o.reader);
	assert_int_equal(chitin_refcount_get(&o.rc), 7);   /* each answer retained */
	assert_null(query(&o.reader, &other_iid));
	assert_int_equal(chitin_refcount_get(&o.rc), 7);
	assert_null(chitin_query_table(&o.reader, &writer_iid, parts, 0));
}

/* A record of one field at offset 40, whole as a record pointer points. */
static const struct {
	chitin_layout_record head;
	uint32_t offsets[1];
} one_field = { { 48, 8, 1 }, { 40 } }, other_version = { { 48, 8, 1 }, { 40 } };

static void
test_field_paths(void **state)
{
	union {
		const void *record;
		unsigned char bytes[64];
	} value;
	const chitin_layout_record *own = (const chitin_layout_record *)(const void *)&one_field;
	const chitin_layout_record *other = (const chitin_layout_record *)(const void *)&other_version;
	(void)state;
	value.record = own;
	/* the direct path: the accessor's own offset, not the record's */
	assert_ptr_equal(chitin_field_const(&value, own, 0, 8), value.bytes + 8);
	assert_ptr_equal(chitin_field(&value, own, 0, 8), value.bytes + 8);
	/* another record: its offset, or absent beyond its fields */
	assert_ptr_equal(chitin_field_const(&value, other, 0, 8), value.bytes + 40);
	assert_null(chitin_field_const(&value, other, 1, 8));
	assert_null(chitin_field(&value, other, 5, 8));
}

static void
test_resilient_alloc(void **state)
{
	const chitin_layout_record *own = (const chitin_layout_record *)(const void *)&one_field;
	unsigned char *p = (unsigned char *)chitin_resilient_alloc(own);
	size_t i;
	(void)state;
	assert_non_null(p);
	assert_int_equal((uintptr_t)p % 8, 0);
	for (i = 0; i < 48; i++)
		assert_int_equal(p[i], 0);
	chitin_free(p);
	assert_null(chitin_resilient_alloc(NULL));
}

/* A blob of module "audio" 1.minor whose one type, Frame { left, right },
 * has right at right_offset; in buf, of cap bytes.  Returns its size. */
static size_t
audio_blob(uint16_t minor, uint64_t right_offset, uint8_t *buf, size_t cap)
{
	static uint8_t work[1 << 14];
	struct chitin_desc_field fields[2];
	struct chitin_desc_type type;
	struct chitin_descriptor d;
	size_t size;
	memset(fields, 0, sizeof fields);
	memset(&type, 0, sizeof type);
	memset(&d, 0, sizeof d);
	fields[0].name = "left";
	fields[0].size = 4;
	fields[1].name = "right";
	fields[1].offset = right_offset;
	fields[1].size = 4;
	type.name = "Frame";
	type.kind = CHITIN_DESC_STRUCT;
	type.size = right_offset + 4;
	type.align = 4;
	type.layout_hash.bytes[0] = (uint8_t)right_offset;
	type.fields = fields;
	type.n_fields = 2;
	d.module = "audio";
	d.major = 1;
	d.minor = minor;
	d.targets = "x86_64-linux";
	d.types = &type;
	d.n_types = 1;
	size = chitin_desc_encode(&d, 1, 0, buf, cap, NULL, work, sizeof work);
	assert_true(size > 0 && size <= cap);
	return size;
}

static void
test_load_error(void **state)
{
	uint8_t host[1024], plugin[1024];
	static const uint32_t table[2] = { 8, 0 };
	chitin_module entry;
	chitin_load_error *err = (chitin_load_error *)&err;
	const chitin_plugin *loaded = (const chitin_plugin *)&loaded;
	const void *exports = &exports;
	const struct chitin_desc_problem *p;
	char buf[1024], small[20];
	size_t n;
	(void)state;
	audio_blob(0, 4, host, sizeof host);
	entry.descriptor = plugin;
	entry.exports = table;

	/* a compatible entry: the exports, no error */
	audio_blob(1, 4, plugin, sizeof plugin);
	assert_int_equal(chitin_module_check(&entry, sizeof plugin, host, 0, &exports, &err), CHITIN_OK);
	assert_ptr_equal(exports, table);
	assert_null(err);

	/* an incompatible one: the error's parts and its report */
	audio_blob(1, 8, plugin, sizeof plugin);
	assert_int_equal(chitin_module_check(&entry, sizeof plugin, host, 0, &exports, &err), CHITIN_FAILED);
	assert_null(exports);
	assert_non_null(err);
	assert_int_equal(chitin_load_error_reason(err), CHITIN_LOAD_INCOMPATIBLE);
	assert_string_equal(chitin_load_error_library(err), "(entry)");
	assert_string_equal(chitin_load_error_module(err), "audio");
	assert_string_equal(chitin_load_error_detail(err), "");
	assert_int_equal(chitin_load_error_more(err), 0);
	/* the size and the offset of right differ, in that order */
	assert_int_equal(chitin_load_error_problem_count(err), 2);
	p = chitin_load_error_problem(err, 1);
	assert_non_null(p);
	assert_int_equal(p->kind, CHITIN_DESC_P_FIELD_OFFSET);
	assert_int_equal(p->item_kind, CHITIN_DESC_ITEM_TYPE);
	assert_string_equal(p->item, "audio.Frame");
	assert_string_equal(p->member, "right");
	assert_string_equal(p->expected, "4");
	assert_string_equal(p->found, "8");
	assert_null(chitin_load_error_problem(err, 2));
	n = chitin_load_error_format(err, buf, sizeof buf);
	assert_non_null(strstr(buf, "cannot load '(entry)' as module audio: the library is not compatible with the host\n"));
	assert_non_null(strstr(buf, "\n  type 'audio.Frame': field 'right' is at offset 4 in the host, 8 in the plugin\n"));
	assert_int_equal(n, strlen(buf));
	/* like snprintf: the whole length, the text cut */
	assert_int_equal(chitin_load_error_format(err, small, sizeof small), n);
	assert_int_equal(strlen(small), sizeof small - 1);
	chitin_load_error_free(err);

	/* refused for its version: one problem, no more */
	audio_blob(0, 4, plugin, sizeof plugin);
	assert_int_equal(chitin_module_check(&entry, sizeof plugin, host, 1, &exports, &err), CHITIN_FAILED);
	assert_int_equal(chitin_load_error_problem_count(err), 1);
	assert_int_equal(chitin_load_error_problem(err, 0)->kind, CHITIN_DESC_P_MINOR);
	chitin_load_error_free(err);

	/* a truncated descriptor: a detail, no problems */
	assert_int_equal(chitin_module_check(&entry, 16, host, 0, &exports, &err), CHITIN_FAILED);
	assert_int_equal(chitin_load_error_reason(err), CHITIN_LOAD_BAD_DESCRIPTOR);
	assert_string_equal(chitin_load_error_detail(err), "truncated");
	assert_int_equal(chitin_load_error_problem_count(err), 0);
	assert_null(chitin_load_error_problem(err, 0));
	chitin_load_error_format(err, buf, sizeof buf);
	assert_string_equal(buf, "cannot load '(entry)' as module audio: the library's descriptor is invalid: truncated\n");
	chitin_load_error_free(err);

	/* no error wanted: the status alone */
	assert_int_equal(chitin_module_check(&entry, 16, host, 0, &exports, NULL), CHITIN_FAILED);

	/* a library that cannot be opened: the system's words, and no record */
	assert_int_equal(chitin_load("./no/such/library.so", host, 0, &loaded, &err), CHITIN_FAILED);
	assert_null(loaded);
	assert_int_equal(chitin_load_error_reason(err), CHITIN_LOAD_OPEN);
	assert_string_equal(chitin_load_error_library(err), "./no/such/library.so");
	assert_true(strlen(chitin_load_error_detail(err)) > 0);
	chitin_load_error_free(err);

	/* NULL arguments */
	assert_int_equal(chitin_load(NULL, host, 0, &loaded, &err), CHITIN_INVALID_ARG);
	assert_int_equal(chitin_load_error_reason(err), CHITIN_LOAD_INVALID_ARG);
	assert_string_equal(chitin_load_error_library(err), "");
	chitin_load_error_free(err);
	assert_int_equal(chitin_load("x.so", host, 0, NULL, &err), CHITIN_INVALID_ARG);
	chitin_load_error_free(err);
	/* a NULL out-argument is refused before the host's descriptor is read */
	memset(plugin, 0, 64);
	assert_int_equal(chitin_load("x.so", plugin, 0, NULL, &err), CHITIN_INVALID_ARG);
	assert_int_equal(chitin_load_error_reason(err), CHITIN_LOAD_INVALID_ARG);
	chitin_load_error_free(err);
	assert_int_equal(chitin_module_check(&entry, 16, plugin, 0, NULL, &err), CHITIN_INVALID_ARG);
	chitin_load_error_free(err);

	/* the accessors take NULL */
	chitin_load_error_free(NULL);
	assert_int_equal(chitin_load_error_reason(NULL), CHITIN_LOAD_OK);
	assert_string_equal(chitin_load_error_library(NULL), "");
	assert_int_equal(chitin_load_error_format(NULL, buf, sizeof buf), 0);
	assert_string_equal(buf, "");
	assert_null(chitin_plugin_exports(NULL));
	assert_int_equal(chitin_plugin_minor(NULL), 0);
	assert_string_equal(chitin_load_reason_text(CHITIN_LOAD_N_REASONS), "unknown reason");
}

/* A registered module: a record per entry, which a second load gives
 * again, with the plugin's own minor version. */
static void
test_registered_record(void **state)
{
	static uint8_t host[1024], plugin[1024];
	static const uint32_t table[2] = { 8, 0 };
	static chitin_module entry;
	const chitin_plugin *a = NULL, *b = NULL;
	chitin_load_error *err = NULL;
	(void)state;
	audio_blob(0, 4, host, sizeof host);
	audio_blob(3, 4, plugin, sizeof plugin);
	entry.descriptor = plugin;
	entry.exports = table;
	assert_int_equal(chitin_module_register("audio", &entry), CHITIN_OK);
	assert_int_equal(chitin_load_registered("audio", host, 2, &a, &err), CHITIN_OK);
	assert_null(err);
	assert_non_null(a);
	assert_int_equal(chitin_load_registered("audio", host, 0, &b, NULL), CHITIN_OK);
	assert_ptr_equal(a, b);
	assert_ptr_equal(chitin_plugin_exports(a), table);
	assert_ptr_equal(chitin_plugin_descriptor(a), plugin);
	assert_string_equal(chitin_plugin_path(a), "audio");
	assert_string_equal(chitin_plugin_module(a), "audio");
	assert_int_equal(chitin_plugin_major(a), 1);
	assert_int_equal(chitin_plugin_minor(a), 3);
	assert_int_equal(chitin_load_registered("audio", host, 4, &b, &err), CHITIN_FAILED);
	assert_null(b);
	assert_int_equal(chitin_load_error_reason(err), CHITIN_LOAD_INCOMPATIBLE);
	chitin_load_error_free(err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_typeid_text),
		cmocka_unit_test(test_typeid_order),
		cmocka_unit_test(test_status_text),
		cmocka_unit_test(test_str),
		cmocka_unit_test(test_string),
		cmocka_unit_test(test_vec),
		cmocka_unit_test(test_alloc),
		cmocka_unit_test(test_refcount),
		cmocka_unit_test(test_query_table),
		cmocka_unit_test(test_field_paths),
		cmocka_unit_test(test_resilient_alloc),
		cmocka_unit_test(test_load_error),
		cmocka_unit_test(test_registered_record),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
