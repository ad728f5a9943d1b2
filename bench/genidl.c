/* genidl: writes a valid module of N declarations to stdout, the input of
 * the compiler's benchmarks.
 *
 * usage: genidl N
 *        genidl --peer chitin|widl|flatc N
 *        genidl --peer chitin [--shuffle] [--rename] N
 *
 * genidl N writes the mixed schema, a chitin module whose declarations
 * cycle through every kind (constants, structs, C-like and data enums,
 * callbacks, interfaces, exports) and refer only to earlier ones, so the
 * module has no cycles.  Choices come from a fixed-seed generator: the same
 * N gives the same file.
 *
 * genidl --peer LANG N writes the peer schema, the same N declarations in
 * the language of chitin, of Wine's widl or of flatbuffers' flatc, so that
 * the three compilers can be timed on equivalent input: declaration 2k is
 * struct T<k> of six primitive fields (u8, u16, u32, u64, f32, f64) and
 * declaration 2k + 1 is interface IFoo<k> of four methods m0 to m3 taking
 * (i32 a, f64 b), with a uuid of its own.
 *
 * --shuffle and --rename make the other versions of the chitin peer
 * schema that `chitin compat` is timed on against the descriptor of the
 * plain one: --shuffle writes the same declarations in an order drawn from
 * a fixed-seed generator (a compatible version: types and interfaces are
 * matched by name), --rename names them U<k> and IBar<k> (every item of
 * one version missing in the other). */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The largest N accepted; a million declarations are ~60 MB of text. */
#define MAX_DECLS 50000000UL

/* Indices of the declarations written so far, by what they may be used as. */
struct pool {
	unsigned long *at;
	size_t n;
};

struct gen {
	uint64_t rng;
	struct pool consts;
	struct pool owned;     /* structs without borrowed fields */
	struct pool structs;   /* every struct */
	struct pool cenums;
	struct pool denums;
	struct pool callbacks;
	struct pool bases;     /* [base] interfaces, which may be derived from */
	struct pool ifaces;
	unsigned long n_structs, n_ifaces;
};

static void
die(const char *msg)
{
	fprintf(stderr, "genidl: %s\n", msg);
	exit(2);
}

/* xorshift64*: small, fast, and the same on every platform. */
static uint64_t
next_random(struct gen *g)
{
	g->rng ^= g->rng >> 12;
	g->rng ^= g->rng << 25;
	g->rng ^= g->rng >> 27;
	return g->rng * 0x2545F4914F6CDD1DULL;
}

/* A number in [0, n); n > 0. */
static unsigned long
pick(struct gen *g, unsigned long n)
{
	return (unsigned long)(next_random(g) % n);
}

static unsigned long
pick_from(struct gen *g, const struct pool *p)
{
	return p->at[pick(g, p->n)];
}

static void
pool_init(struct pool *p, unsigned long cap)
{
	p->at = malloc((size_t)cap * sizeof *p->at);
	if (!p->at)
		die("out of memory");
	p->n = 0;
}

static void
pool_add(struct pool *p, unsigned long index)
{
	p->at[p->n++] = index;
}

static const char *const primitives[] = {
	"u8", "u16", "u32", "u64", "i8", "i16", "i32", "i64",
	"f32", "f64", "bool", "usize", "isize", "typeid",
};
#define N_PRIMITIVES (sizeof primitives / sizeof primitives[0])

static const char *
primitive(struct gen *g)
{
	return primitives[pick(g, N_PRIMITIVES)];
}

static void
doc_comment(unsigned long i, const char *what)
{
	if (i % 3 == 0)
		printf("/// Declaration %lu: %s.\n", i, what);
}

/* const u32 K<i> = <expression over earlier constants>; */
static void
gen_const(struct gen *g, unsigned long i)
{
	doc_comment(i, "a constant");
	if (g->consts.n == 0) {
		printf("const u32 K%lu = (1 << 4) + %lu;\n\n", i, i % 100);
	} else {
		/* Every constant lies in [1, 65521], so no expression
		 * overflows u32. */
		unsigned long last = g->consts.at[g->consts.n - 1];
		unsigned long other = pick_from(g, &g->consts);
		switch (pick(g, 3)) {
		case 0:
			printf("const u32 K%lu = (K%lu + K%lu * 3 + %lu) %% 65521 + 1;\n\n",
			       i, last, other, i % 1000);
			break;
		case 1:
			printf("const u32 K%lu = (K%lu ^ (K%lu << 2)) %% 4093 + 1;\n\n",
			       i, last, other);
			break;
		default:
			printf("const u32 K%lu = ((K%lu | 0x%lx) + K%lu / 2 - K%lu / 4) %% 65521 + 1;\n\n",
			       i, last, i % 256, other, other);
			break;
		}
	}
	pool_add(&g->consts, i);
}

/* One field; composite is set once a field holds an earlier aggregate by
 * value, so each struct holds at most one and sizes stay linear. */
static void
gen_field(struct gen *g, unsigned field, bool borrowed, bool *composite)
{
	for (;;) {
		switch (pick(g, 12)) {
		case 0:
		case 1:
		case 2:
			printf("    %s value%u;\n", primitive(g), field);
			return;
		case 3:
			printf("    u32 grid%u[%lu][%lu];\n", field, 1 + pick(g, 4),
			       1 + pick(g, 3));
			return;
		case 4:
			if (g->consts.n == 0)
				break;
			printf("    u16 items%u[K%lu %% 8 + 1];\n", field,
			       pick_from(g, &g->consts));
			return;
		case 5:
			printf("    option<%s> maybe%u;\n", primitive(g), field);
			return;
		case 6:
			if (*composite || g->owned.n == 0)
				break;
			*composite = true;
			printf("    option<S%lu> maybe%u;\n", pick_from(g, &g->owned),
			       field);
			return;
		case 7:
			if (*composite)
				break;
			if (borrowed && g->structs.n) {
				*composite = true;
				printf("    S%lu inner%u;\n", pick_from(g, &g->structs),
				       field);
				return;
			}
			if (g->owned.n == 0)
				break;
			*composite = true;
			printf("    S%lu inner%u;\n", pick_from(g, &g->owned), field);
			return;
		case 8:
			if (g->cenums.n == 0)
				break;
			printf("    E%lu mode%u;\n", pick_from(g, &g->cenums), field);
			return;
		case 9:
			if (*composite || g->denums.n == 0)
				break;
			*composite = true;
			printf("    D%lu event%u;\n", pick_from(g, &g->denums), field);
			return;
		case 10:
			printf("    string label%u;\n", field);
			return;
		default:
			printf("    vec<%s> list%u;\n", primitive(g), field);
			return;
		}
	}
}

/* struct S<i> { 3 to 6 fields }; every fourth one borrows (str, slice). */
static void
gen_struct(struct gen *g, unsigned long i)
{
	bool borrowed = g->n_structs % 4 == 3;
	bool composite = false;
	unsigned n_fields = 3 + (unsigned)pick(g, 4), f;

	doc_comment(i, borrowed ? "a struct that borrows" : "a struct");
	printf("struct S%lu {\n", i);
	for (f = 0; f < n_fields; f++) {
		if (borrowed && f == 0) {
			if (pick(g, 2))
				printf("    str name%u;\n", f);
			else
				printf("    slice<const %s> data%u;\n", primitive(g), f);
			continue;
		}
		gen_field(g, f, borrowed, &composite);
	}
	printf("};\n\n");
	pool_add(&g->structs, i);
	if (!borrowed)
		pool_add(&g->owned, i);
	g->n_structs++;
}

/* enum E<i> : u16 { A = 1, B, C }; */
static void
gen_cenum(struct gen *g, unsigned long i)
{
	static const char *const reprs[] = { "u8", "u16", "u32", "i32" };
	unsigned n_values = 3 + (unsigned)pick(g, 6), v;

	doc_comment(i, "a C-like enum");
	printf("enum E%lu : %s {\n", i, reprs[pick(g, 4)]);
	for (v = 0; v < n_values; v++) {
		if (v == 0)
			printf("    %c = %lu,\n", 'A' + v, 1 + pick(g, 4));
		else
			printf("    %c,\n", 'A' + v);
	}
	printf("};\n\n");
	pool_add(&g->cenums, i);
}

/* enum D<i> { None, Some { u32 v; }, Two { u8 a; u16 b; } }; */
static void
gen_denum(struct gen *g, unsigned long i)
{
	doc_comment(i, "an enum with data");
	printf("enum D%lu%s {\n", i, pick(g, 2) ? " : u32" : "");
	printf("    None,\n");
	printf("    Some { %s v; },\n", primitive(g));
	printf("    Two { u8 a; u16 b; },\n");
	if (g->owned.n && pick(g, 2))
		printf("    Pair { S%lu s; u64 t; },\n", pick_from(g, &g->owned));
	printf("};\n\n");
	pool_add(&g->denums, i);
}

/* callback void Cb<i>(u32 x); */
static void
gen_callback(struct gen *g, unsigned long i)
{
	doc_comment(i, "a callback");
	switch (pick(g, 3)) {
	case 0:
		printf("callback void Cb%lu(u32 x);\n\n", i);
		break;
	case 1:
		printf("callback void Cb%lu(u32 x, str note);\n\n", i);
		break;
	default:
		printf("callback u32 Cb%lu([in] slice<const %s> data);\n\n", i,
		       primitive(g));
		break;
	}
	pool_add(&g->callbacks, i);
}

/* Even interfaces are [base] ones with get, set and run; odd ones derive
 * from an earlier base and add methods of other names. */
static void
gen_interface(struct gen *g, unsigned long i)
{
	bool derived = g->n_ifaces % 2 == 1 && g->bases.n;

	doc_comment(i, "an interface");
	if (!derived) {
		printf("[base]\ninterface I%lu {\n", i);
		printf("    /// Reads the value.\n");
		printf("    u32 get();\n");
		printf("    void set([in] u32 v);\n");
		if (g->owned.n && g->structs.n)
			printf("    result<void, S%lu> run([in] slice<const S%lu> xs);\n",
			       pick_from(g, &g->owned), pick_from(g, &g->structs));
		else
			printf("    result<void, string> run([in] slice<const u32> xs);\n");
		pool_add(&g->bases, i);
	} else {
		printf("interface I%lu : I%lu {\n", i, pick_from(g, &g->bases));
		printf("    u64 size();\n");
		if (g->callbacks.n)
			printf("    void watch([in] Cb%lu cb);\n",
			       pick_from(g, &g->callbacks));
		if (g->owned.n)
			printf("    S%lu snapshot([in] str name);\n",
			       pick_from(g, &g->owned));
		printf("    result<u32, string> parse([in] str text);\n");
	}
	printf("};\n\n");
	pool_add(&g->ifaces, i);
	g->n_ifaces++;
}

/* export u32 f<i>([in] u32 x); */
static void
gen_export(struct gen *g, unsigned long i)
{
	doc_comment(i, "an exported function");
	unsigned long choice = pick(g, 3);
	if (choice == 0 && g->ifaces.n)
		printf("export I%lu f%lu([in] str name);\n\n",
		       pick_from(g, &g->ifaces), i);
	else if (choice != 2 && g->structs.n)
		printf("export bool f%lu([in] S%lu s, [in] u64 seed);\n\n", i,
		       pick_from(g, &g->structs));
	else
		printf("export u32 f%lu([in] u32 x);\n\n", i);
}

/* The peer schema's languages. */
enum peer { PEER_CHITIN, PEER_WIDL, PEER_FLATC };

/* The uuid of interface IFoo<k>: its last group is k, so each is distinct
 * and none is IUnknown's. */
static void
print_uuid(unsigned long k)
{
	printf("5eedc417-b3c4-4e5a-9b3d-%012lx", k);
}

/* The names of the peer schema's structs and interfaces: T<k> and
 * IFoo<k>, or U<k> and IBar<k> with --rename. */
static const char *struct_prefix = "T", *interface_prefix = "IFoo";

static void
peer_struct(enum peer lang, unsigned long k)
{
	switch (lang) {
	case PEER_CHITIN:
		printf("struct %s%lu {\n    u8 a;\n    u16 b;\n    u32 c;\n"
		       "    u64 d;\n    f32 e;\n    f64 f;\n};\n\n", struct_prefix, k);
		break;
	case PEER_WIDL:
		printf("typedef struct T%lu {\n    unsigned char a;\n"
		       "    unsigned short b;\n    unsigned int c;\n"
		       "    unsigned hyper d;\n    float e;\n    double f;\n"
		       "} T%lu;\n\n", k, k);
		break;
	case PEER_FLATC:
		printf("table T%lu {\n    a: ubyte;\n    b: ushort;\n    c: uint;\n"
		       "    d: ulong;\n    e: float;\n    f: double;\n}\n\n", k);
		break;
	}
}

static void
peer_interface(enum peer lang, unsigned long k)
{
	unsigned m;

	switch (lang) {
	case PEER_CHITIN:
		printf("[uuid(");
		print_uuid(k);
		printf(")]\ninterface %s%lu : object {\n", interface_prefix, k);
		for (m = 0; m < 4; m++)
			printf("    void m%u(i32 a, f64 b);\n", m);
		printf("};\n\n");
		break;
	case PEER_WIDL:
		printf("[object, uuid(");
		print_uuid(k);
		printf(")]\ninterface IFoo%lu : IUnknown {\n", k);
		for (m = 0; m < 4; m++)
			printf("    HRESULT m%u([in] int a, [in] double b);\n", m);
		printf("}\n\n");
		break;
	case PEER_FLATC:
		printf("rpc_service IFoo%lu {\n", k);
		for (m = 0; m < 4; m++)
			printf("    m%u(Args): Empty;\n", m);
		printf("}\n\n");
		break;
	}
}

/* What each language needs before the declarations: chitin a module, widl
 * the base interface (declared here rather than imported, so the schema
 * needs no include path; its types are already in the C headers the
 * output includes, hence the #if 0), flatc the methods' tables. */
static void
peer_preamble(enum peer lang, unsigned long n)
{
	switch (lang) {
	case PEER_CHITIN:
		printf("/// The peer schema of %lu declarations, for benchmarks.\n", n);
		printf("[version(1.0)]\nmodule bench;\n\n");
		break;
	case PEER_WIDL:
		printf("/* The peer schema of %lu declarations, for benchmarks. */\n\n", n);
		printf("cpp_quote(\"#if 0\")\n"
		       "typedef long HRESULT;\n"
		       "typedef unsigned long ULONG;\n"
		       "typedef struct _GUID {\n"
		       "    unsigned long Data1;\n"
		       "    unsigned short Data2;\n"
		       "    unsigned short Data3;\n"
		       "    unsigned char Data4[8];\n"
		       "} GUID;\n"
		       "typedef GUID *REFIID;\n"
		       "cpp_quote(\"#endif\")\n\n");
		printf("[object, local, uuid(00000000-0000-0000-C000-000000000046)]\n"
		       "interface IUnknown {\n"
		       "    HRESULT QueryInterface([in] REFIID riid, [out, iid_is(riid)] void **out);\n"
		       "    ULONG AddRef();\n"
		       "    ULONG Release();\n"
		       "}\n\n");
		break;
	case PEER_FLATC:
		printf("// The peer schema of %lu declarations, for benchmarks.\n\n", n);
		printf("namespace bench;\n\n");
		printf("table Args {\n    a: int;\n    b: double;\n}\n\n");
		printf("table Empty {}\n\n");
		break;
	}
}

/* Declaration i of the peer schema; 2k is struct k, 2k + 1 interface k. */
static void
peer_decl(enum peer lang, unsigned long i)
{
	if (i % 2 == 0)
		peer_struct(lang, i / 2);
	else
		peer_interface(lang, i / 2);
}

/* The peer schema's n declarations, in order or, with shuffle, in an
 * order drawn by Fisher-Yates from g's generator. */
static void
gen_peer(struct gen *g, enum peer lang, unsigned long n, bool shuffle)
{
	unsigned long *order, i;

	peer_preamble(lang, n);
	if (!shuffle) {
		for (i = 0; i < n; i++)
			peer_decl(lang, i);
		return;
	}
	order = malloc((size_t)(n ? n : 1) * sizeof *order);
	if (!order)
		die("out of memory");
	for (i = 0; i < n; i++)
		order[i] = i;
	for (i = n; i > 1; i--) {
		unsigned long j = pick(g, i), t = order[i - 1];
		order[i - 1] = order[j];
		order[j] = t;
	}
	for (i = 0; i < n; i++)
		peer_decl(lang, order[i]);
	free(order);
}

static void
usage(void)
{
	fprintf(stderr, "usage: genidl N\n"
	                "       genidl --peer chitin|widl|flatc N\n"
	                "       genidl --peer chitin [--shuffle] [--rename] N\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	static char buf[1 << 16];
	struct gen g = { .rng = 0x9E3779B97F4A7C15ULL };
	unsigned long n, i;
	const char *count;
	char *end;
	int peer = -1, arg;
	bool shuffle = false;

	if (argc >= 4 && strcmp(argv[1], "--peer") == 0) {
		if (strcmp(argv[2], "chitin") == 0)
			peer = PEER_CHITIN;
		else if (strcmp(argv[2], "widl") == 0)
			peer = PEER_WIDL;
		else if (strcmp(argv[2], "flatc") == 0)
			peer = PEER_FLATC;
		else
			usage();
		for (arg = 3; arg < argc - 1; arg++) {
			if (peer != PEER_CHITIN)
				usage();
			if (strcmp(argv[arg], "--shuffle") == 0) {
				shuffle = true;
			} else if (strcmp(argv[arg], "--rename") == 0) {
				struct_prefix = "U";
				interface_prefix = "IBar";
			} else {
				usage();
			}
		}
		count = argv[argc - 1];
	} else if (argc == 2) {
		count = argv[1];
	} else {
		usage();
	}
	errno = 0;
	n = strtoul(count, &end, 10);
	if (errno || end == count || *end || count[0] == '-' || n > MAX_DECLS)
		die("N must be a whole number from 0 to 50000000");

	if (peer >= 0) {
		setvbuf(stdout, buf, _IOFBF, sizeof buf);
		gen_peer(&g, (enum peer)peer, n, shuffle);
		if (fflush(stdout) != 0 || ferror(stdout)) {
			fprintf(stderr, "genidl: cannot write the output\n");
			return 1;
		}
		return 0;
	}

	pool_init(&g.consts, n + 1);
	pool_init(&g.owned, n + 1);
	pool_init(&g.structs, n + 1);
	pool_init(&g.cenums, n + 1);
	pool_init(&g.denums, n + 1);
	pool_init(&g.callbacks, n + 1);
	pool_init(&g.bases, n + 1);
	pool_init(&g.ifaces, n + 1);
	setvbuf(stdout, buf, _IOFBF, sizeof buf);

	printf("/// A generated module of %lu declarations, for benchmarks.\n", n);
	printf("[version(1.0)]\nmodule bench;\n\n");
	for (i = 0; i < n; i++) {
		switch (i % 10) {
		case 0:
		case 9: gen_const(&g, i); break;
		case 1:
		case 3:
		case 6: gen_struct(&g, i); break;
		case 2: gen_cenum(&g, i); break;
		case 4: gen_denum(&g, i); break;
		case 5: gen_callback(&g, i); break;
		case 7: gen_interface(&g, i); break;
		default: gen_export(&g, i); break;
		}
	}

	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "genidl: cannot write the output\n");
		return 1;
	}
	free(g.consts.at);
	free(g.owned.at);
	free(g.structs.at);
	free(g.cenums.at);
	free(g.denums.at);
	free(g.callbacks.at);
	free(g.bases.at);
	free(g.ifaces.at);
	return 0;
}
