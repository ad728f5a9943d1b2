/* A hand-written C translation of tests/layout/corpus.idl and
 * tests/layout/dep.idl, held against `chitin layout --json` by
 * tests/run-layout-conformance.sh.
 *
 * It is written from the representation rules of doc/abi.md (section 2),
 * not from chitin's output or from any generated header, so the compilers
 * are an independent oracle.  Freestanding C11: only <stdint.h>,
 * <stddef.h> and <stdbool.h>.
 *
 * Names: IDL type `Name` of module `m` is `struct m_Name` (`union m_Name`
 * for unions, a typedef `m_Name` of the integer type for C-like enums);
 * members are named after the IDL fields.  A data enum is
 * `struct m_Name { TAG tag; union { struct m_Name_Variant Variant; ... }
 * payload; }`, one named struct per variant with a payload.  A resilient
 * struct starts with `record`, the pointer to its layout record.  An
 * interface reference is `struct m_Name *`.  [align(N)] is _Alignas(N) on
 * the first member, which raises the alignment of the whole aggregate and
 * moves nothing.  Instantiations of generic types are anonymous structs
 * spelled through the LT_ macros below (a layout needs no names). */
#ifndef CHITIN_TESTS_LAYOUT_CORPUS_H
#define CHITIN_TESTS_LAYOUT_CORPUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* How many named types each module declares: the generated assertions
 * check that chitin reported every one of them on every target. */
#define CORPUS_TYPE_COUNT 64
#define DEP_TYPE_COUNT 4

/* ---- Built-in types ---- */

/* typeid: 16 bytes, RFC 9562 byte order, alignment 1. */
struct lt_typeid {
	uint8_t bytes[16];
};

/* str: borrowed UTF-8, not NUL-terminated. */
struct lt_str {
	const uint8_t *ptr;
	size_t len;
};

/* string: an owned buffer; release frees it with its own allocator. */
struct lt_string {
	uint8_t *ptr;
	size_t len;
	size_t cap;
	void (*release)(uint8_t *ptr, size_t len, size_t cap);
};

/* slice<T>; slice<const T> is LT_SLICE(const T). */
#define LT_SLICE(T) struct { T *ptr; size_t len; }

/* vec<T>: as string, with elements of type T.  release takes void * so
 * that T may itself be an anonymous struct (one declared inside a
 * parameter list would be a different, invisible type). */
#define LT_VEC(T) \
	struct { T *ptr; size_t len; size_t cap; void (*release)(void *ptr, size_t len, size_t cap); }

/* option<T> without a niche: tag 0 none, 1 some.  The niches are written
 * out where they occur: option<bool> is uint8_t, option<Interface> the
 * pointer, option<Callback> the callback struct. */
#define LT_OPTION(T) struct { uint8_t tag; T value; }

/* result<T, E>: tag 0 ok, 1 err, then a union of the non-void arms;
 * result<void, void> is a bare uint8_t. */
#define LT_RESULT(T, E) struct { uint8_t tag; union { T ok; E err; } arm; }
#define LT_RESULT_OK(T) struct { uint8_t tag; union { T ok; } arm; }
#define LT_RESULT_ERR(E) struct { uint8_t tag; union { E err; } arm; }

/* ---- module dep ---- */

typedef uint16_t dep_Level;

struct dep_Pair {
	uint8_t first;
	uint64_t second;
};

struct dep_Sink;

struct dep_Notify {
	int32_t (*call)(void *ctx, uint32_t code);
	void *ctx;
	void (*release)(void *ctx);
};

/* ---- module corpus ---- */

#define CORPUS_THREE 3
#define CORPUS_SEVEN 7

/* Interfaces: only ever handled through pointers. */
struct corpus_Thing;
struct corpus_BaseThing;
struct corpus_Derived;

/* Resilient: referred to by pointer before its definition. */
struct corpus_Settings;

/* C-like enums: their integer type, never a C enum. */
typedef uint16_t corpus_Small;
typedef int8_t corpus_Tiny;
typedef uint64_t corpus_Wide;
typedef uint32_t corpus_Plain;
typedef int64_t corpus_Extreme;
typedef uint8_t corpus_Byte;
typedef int16_t corpus_Short;
typedef int32_t corpus_Long;

/* -- Scalars and padding traps -- */

struct corpus_Primitives {
	bool flag;
	int64_t big_signed;
	uint8_t small;
	uint64_t big;
	int8_t tiny_signed;
	double real;
	uint16_t half;
	int16_t half_signed;
	uint32_t word;
	float single;
	int32_t word_signed;
	size_t size;
	uint8_t after_size;
	ptrdiff_t diff;
	struct lt_typeid id;
	uint8_t last;
};

struct corpus_U8ThenU64 {
	uint8_t a;
	uint64_t b;
};

struct corpus_U8ThenTypeid {
	uint8_t a;
	struct lt_typeid id;
	uint8_t z;
};

struct corpus_BoolThenF64 {
	bool b;
	double d;
};

struct corpus_F64ThenU8 {
	double d;
	uint8_t tail;
};

struct corpus_OnlyU64 {
	uint64_t value;
};

struct corpus_TypeidPair {
	struct lt_typeid first;
	struct lt_typeid second;
	bool flag;
};

struct corpus_Sizes {
	uint8_t a;
	size_t b;
	uint16_t c;
	ptrdiff_t d;
	uint32_t e;
};

/* -- Callbacks and the types they need -- */

struct corpus_Error {
	int32_t code;
	struct lt_string message;
};

/* Every call returns a chitin_status (int32_t). */
struct corpus_OnEvent {
	int32_t (*call)(void *ctx, uint32_t code, struct lt_str message);
	void *ctx;
	void (*release)(void *ctx);
};

struct lt_slice_const_f64 {
	const double *ptr;
	size_t len;
};

struct lt_result_u32_Error {
	uint8_t tag;
	union {
		uint32_t ok;
		struct corpus_Error err;
	} arm;
};

/* A non-void result comes back through a trailing pointer. */
struct corpus_Compute {
	int32_t (*call)(void *ctx, struct lt_slice_const_f64 input,
			struct lt_result_u32_Error *ret);
	void *ctx;
	void (*release)(void *ctx);
};

/* -- Unions (before the structs that hold them) -- */

union corpus_Mixed {
	uint8_t byte;
	uint64_t big;
	float single;
	uint8_t raw[13];
};

union corpus_WithBuffers {
	struct lt_str text;
	struct lt_typeid id;
	uint16_t half;
};

union corpus_Aligned16Union {
	_Alignas(16) uint8_t byte;
	uint32_t word;
};

union corpus_CacheLine {
	_Alignas(64) uint8_t bytes[3];
	double real;
};

/* -- [align(N)] structs -- */

struct corpus_Aligned16 {
	_Alignas(16) uint8_t a;
	uint32_t b;
};

struct corpus_Aligned64 {
	_Alignas(64) uint64_t x;
	uint8_t y;
};

struct corpus_Aligned8 {
	_Alignas(8) uint64_t value;
	uint8_t tail;
};

struct corpus_Aligned2 {
	_Alignas(2) uint8_t a;
	uint8_t b;
	uint8_t c;
};

struct corpus_AlignedTypeid {
	_Alignas(16) struct lt_typeid id;
	uint8_t x;
};

struct corpus_HoldsAligned {
	uint8_t lead;
	struct corpus_Aligned16 a16;
	uint8_t mid;
	struct corpus_Aligned64 a64;
	uint8_t tail;
	union corpus_Aligned16Union u16s;
	struct corpus_Aligned2 a2;
	union corpus_CacheLine line;
	struct corpus_Aligned8 a8;
	struct corpus_Aligned16 a16s[3];
	struct corpus_Aligned2 a2s[3];
	union corpus_CacheLine lines[2];
};

/* -- Nesting -- */

struct corpus_Inner {
	uint8_t a;
	uint32_t b;
};

struct corpus_Middle {
	uint8_t lead;
	struct corpus_Inner inner;
	uint8_t trail;
	struct corpus_Inner more[2];
};

struct corpus_Outer {
	struct corpus_Middle middle;
	uint8_t byte;
	struct corpus_U8ThenU64 deep;
	struct corpus_Middle tail;
	bool flag;
	struct dep_Pair pair;
	uint8_t last;
};

/* -- Data enums -- */

struct corpus_Shape_Dot {
	uint8_t size;
	uint64_t weight;
};

struct corpus_Shape_Line {
	double length;
	bool dashed;
};

struct corpus_Shape_Named {
	struct lt_str name;
	struct lt_typeid id;
};

/* Empty and Nothing are unit variants: a tag, no payload. */
struct corpus_Shape {
	uint8_t tag;
	union {
		struct corpus_Shape_Dot Dot;
		struct corpus_Shape_Line Line;
		struct corpus_Shape_Named Named;
	} payload;
};

/* A union that holds a data enum, so after Shape. */
union corpus_WithAggregates {
	struct corpus_Inner inner;
	struct corpus_U8ThenTypeid odd;
	LT_OPTION(uint64_t) maybe;
	struct corpus_Shape shape;
	double real;
};

struct corpus_Event16_Data {
	LT_SLICE(const uint8_t) bytes;
};

struct corpus_Event16_Fail {
	int32_t code;
	struct lt_string message;
};

struct corpus_Event16 {
	uint16_t tag;
	union {
		struct corpus_Event16_Data Data;
		struct corpus_Event16_Fail Fail;
	} payload;
};

struct corpus_Big64_First {
	uint8_t a;
};

struct corpus_Big64_Second {
	uint16_t b;
	uint8_t c[3];
};

struct corpus_Big64 {
	uint64_t tag;
	union {
		struct corpus_Big64_First First;
		struct corpus_Big64_Second Second;
	} payload;
};

struct corpus_SignedTag_Minus {
	double x;
};

struct corpus_SignedTag_Plus {
	uint8_t y;
};

struct corpus_SignedTag {
	int8_t tag;
	union {
		struct corpus_SignedTag_Minus Minus;
		struct corpus_SignedTag_Plus Plus;
	} payload;
};

struct corpus_DefaultTag_Real {
	double value;
};

struct corpus_DefaultTag_Byte {
	uint8_t value;
};

struct corpus_DefaultTag {
	uint32_t tag;
	union {
		struct corpus_DefaultTag_Real Real;
		struct corpus_DefaultTag_Byte Byte;
	} payload;
};

struct corpus_Deep_Holds {
	struct corpus_Shape shape;
	union corpus_Mixed mixed;
	struct corpus_Aligned16 aligned;
};

struct corpus_Deep_Optional {
	LT_OPTION(struct corpus_Shape) shape;
	LT_RESULT(uint8_t, struct corpus_Shape) outcome;
};

struct corpus_Deep_Grid {
	uint8_t cells[2][CORPUS_THREE];
	struct corpus_Inner inners[2];
};

struct corpus_Deep {
	uint8_t tag;
	union {
		struct corpus_Deep_Holds Holds;
		struct corpus_Deep_Optional Optional;
		struct corpus_Deep_Grid Grid;
	} payload;
};

struct corpus_WithAligned_Big {
	struct corpus_Aligned64 block;
	uint8_t after;
};

struct corpus_WithAligned {
	uint8_t tag;
	union {
		struct corpus_WithAligned_Big Big;
	} payload;
};

struct corpus_References_Object {
	struct corpus_Thing *thing;
};

struct corpus_References_Call {
	struct corpus_OnEvent handler;
	uint8_t flag;
};

struct corpus_References_Maybe {
	struct corpus_Thing *thing;    /* option<Thing>: null is none */
	struct dep_Sink *sink;
};

struct corpus_References_Raw {
	const void *address;
};

struct corpus_References {
	uint16_t tag;
	union {
		struct corpus_References_Object Object;
		struct corpus_References_Call Call;
		struct corpus_References_Maybe Maybe;
		struct corpus_References_Raw Raw;
	} payload;
};

struct corpus_Versioned_Old {
	uint64_t value;
};

struct corpus_Versioned_New {
	uint32_t a;
	uint32_t b;
};

struct corpus_Versioned {
	uint8_t tag;
	union {
		struct corpus_Versioned_Old Old;
		struct corpus_Versioned_New New;
	} payload;
};

struct corpus_Tag16_Pair {
	struct dep_Pair pair;
	dep_Level level;
};

struct corpus_Tag16 {
	int16_t tag;
	union {
		struct corpus_Tag16_Pair Pair;
	} payload;
};

struct corpus_Tag32_Value {
	int64_t value;
	uint8_t extra;
};

struct corpus_Tag32 {
	int32_t tag;
	union {
		struct corpus_Tag32_Value Value;
	} payload;
};

struct corpus_HoldsEnums {
	uint8_t lead;
	struct corpus_Shape shape;
	struct corpus_Big64 big;
	uint8_t mid;
	struct corpus_SignedTag signed_tag;
	struct corpus_Versioned versioned;
	struct corpus_Event16 event;
	struct corpus_Tag32 tag32;
};

/* -- Borrowed and owned buffers -- */

struct corpus_Strings {
	uint8_t lead;
	struct lt_str text;
	uint8_t mid;
	struct lt_string owned;
	uint16_t tail;
};

struct corpus_Slices {
	LT_SLICE(uint8_t) bytes;
	LT_SLICE(const uint64_t) words;
	uint8_t gap;
	LT_SLICE(struct dep_Pair) pairs;
	LT_SLICE(const struct lt_str) names;
	LT_SLICE(LT_OPTION(uint8_t)) maybes;
	LT_SLICE(const struct corpus_Shape) shapes;
};

struct corpus_Vecs {
	bool lead;
	LT_VEC(uint8_t) bytes;
	LT_VEC(struct lt_string) strings;
	LT_VEC(LT_VEC(double)) nested;
	LT_VEC(struct corpus_U8ThenU64) records;
	LT_VEC(struct corpus_Thing *) things;   /* option<Thing>: the pointer */
};

/* -- Pointers, interfaces, callbacks -- */

struct corpus_Pointers {
	uint8_t lead;
	void *raw;
	const void *raw_const;
	uint8_t mid;
	uint32_t *words;
	const struct corpus_U8ThenU64 *record;
	struct corpus_Settings *settings;
	const uint8_t **indirect;
	struct lt_str *text;
};

struct corpus_Handles {
	uint8_t lead;
	struct corpus_Thing *thing;
	struct corpus_OnEvent on_event;
	uint8_t mid;
	struct dep_Sink *sink;
	struct dep_Notify notify;
	struct corpus_Derived *derived;
	struct corpus_Compute compute;
};

/* -- option<T> -- */

struct corpus_OptionScalars {
	uint8_t maybe_flag;                     /* option<bool>: 2 is none */
	LT_OPTION(uint8_t) maybe_byte;
	LT_OPTION(uint64_t) maybe_big;
	struct corpus_Thing *maybe_thing;       /* null is none */
	struct corpus_OnEvent maybe_callback;   /* null call is none */
	LT_OPTION(uint16_t) maybe_half;
	LT_OPTION(double) maybe_real;
	LT_OPTION(struct lt_typeid) maybe_id;
	LT_OPTION(size_t) maybe_size;
	LT_OPTION(int32_t) maybe_word;
};

struct corpus_OptionAggregates {
	LT_OPTION(struct lt_str) maybe_text;
	LT_OPTION(struct lt_string) maybe_owned;
	LT_OPTION(LT_SLICE(const uint8_t)) maybe_slice;
	LT_OPTION(LT_VEC(uint32_t)) maybe_vec;
	LT_OPTION(uint8_t *) maybe_pointer;     /* pointers have no niche */
	LT_OPTION(struct corpus_U8ThenU64) maybe_struct;
	LT_OPTION(corpus_Small) maybe_enum;
	LT_OPTION(struct corpus_Shape) maybe_data_enum;
	LT_OPTION(union corpus_Mixed) maybe_union;
	LT_OPTION(struct corpus_Aligned16) maybe_aligned;
	LT_OPTION(struct dep_Pair) maybe_dep;
	LT_OPTION(dep_Level) maybe_level;
};

/* A niche belongs to the listed type itself: an option around an option
 * is always tagged. */
struct corpus_OptionNested {
	LT_OPTION(LT_OPTION(uint8_t)) twice;
	LT_OPTION(uint8_t) twice_flag;          /* the inner option<bool> is a uint8_t */
	LT_OPTION(struct corpus_Thing *) twice_thing;
	LT_OPTION(struct corpus_OnEvent) twice_callback;
	LT_OPTION(LT_OPTION(LT_OPTION(uint64_t))) thrice;
	struct dep_Sink *maybe_sink;
	struct dep_Notify maybe_notify;
	LT_OPTION(LT_RESULT(uint8_t, uint64_t)) maybe_result;
	LT_OPTION(uint8_t) maybe_status;        /* result<void, void> is its tag */
};

/* -- result<T, E> -- */

struct corpus_Results {
	LT_RESULT_ERR(struct corpus_Error) void_ok;
	LT_RESULT_OK(uint64_t) void_err;
	LT_RESULT(uint8_t, uint64_t) both;
	uint8_t neither;
	LT_RESULT(struct lt_typeid, bool) align_one;
	LT_RESULT(struct lt_string, struct corpus_Error) owned;
	LT_RESULT(struct corpus_Thing *, uint8_t) interface_ok;
	LT_RESULT(LT_OPTION(uint8_t), LT_OPTION(uint64_t)) options;
	LT_RESULT_OK(LT_RESULT(uint8_t, uint16_t)) nested;
	LT_RESULT(double, struct dep_Pair) imported;
	LT_RESULT_ERR(uint8_t) small_err;
	LT_RESULT_OK(bool) flag_only;
	LT_RESULT(struct corpus_OnEvent, struct corpus_Shape) callback_or_enum;
};

/* -- Arrays -- */

struct corpus_Arrays {
	uint8_t bytes[CORPUS_SEVEN];
	uint64_t words[CORPUS_THREE];
	uint8_t grid[2][CORPUS_THREE];
	double cube[2][2][2];
	struct corpus_U8ThenU64 records[2];
	struct lt_typeid ids[2];
	uint8_t odd[1];
	struct lt_str texts[2];
	LT_OPTION(uint8_t) maybes[CORPUS_THREE];
	bool flags[5];
	corpus_Small smalls[CORPUS_THREE];
	struct corpus_Thing *things[2];
	struct corpus_OnEvent callbacks[2];
	struct corpus_Shape shapes[2];
	union corpus_Mixed unions[2];
	uint8_t maybe_flags[CORPUS_THREE];      /* option<bool> */
	struct corpus_Thing *maybe_things[2];   /* option<Thing> */
	LT_RESULT_ERR(uint64_t) outcomes[2];
	uint16_t after;
};

struct corpus_ArrayOfStructs {
	struct corpus_Primitives items[2];
	uint8_t end;
};

/* -- C-like enums as fields -- */

struct corpus_Enums {
	uint8_t lead;
	corpus_Wide wide;
	corpus_Tiny tiny;
	corpus_Small small;
	corpus_Plain plain;
	corpus_Byte byte;
	corpus_Extreme extreme;
	corpus_Short short_one;
	dep_Level level;
	corpus_Long long_one;
	corpus_Tiny last;
};

/* -- Resilient structs: the record pointer, then every field of the
 * version at hand, [since] fields included -- */

struct corpus_Settings {
	const void *record;
	uint8_t mode;
	uint64_t limit;
	LT_OPTION(uint32_t) timeout;
};

struct corpus_Flagged {
	const void *record;
	bool flag;
};

struct corpus_Rich {
	const void *record;
	struct lt_typeid id;
	struct lt_str name;
	struct corpus_Shape shape;
	struct corpus_Aligned64 block;
	LT_VEC(struct corpus_Error) errors;
};

struct corpus_AlignedResilient {
	_Alignas(32) const void *record;
	uint8_t a;
	uint16_t b;
};

#endif
