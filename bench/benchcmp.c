/* benchcmp: times the loader's check of a plugin's descriptor, decoding its
 * blob and comparing it with the host's descriptor, for the benchmarks.
 *
 * usage: benchcmp [-t SECONDS] [-w DIR] N in-order|shuffled|renamed
 *
 * Builds in memory the descriptor of a module of N types (per ten: four
 * structs of six fields, the first of them [resilient], two C-like enums
 * of six values, a data enum of four variants, a callback and two
 * interfaces of four methods each) and N / 4 exports: the host's.  The
 * plugin's is the same module (in-order), the same with its types, its
 * interfaces and each enum's values in an order drawn from a fixed-seed
 * generator (shuffled: compatible, since they are matched by name), or
 * with every type, interface and export renamed (renamed: each one missing
 * on the other side).  Encodes the plugin's as a blob, then decodes and
 * compares it repeatedly (the comparison's work memory allocated once, its
 * size asked on every run), for SECONDS (0.5 unless told) or 1000 runs,
 * whichever comes first, and at least once; then times libchitin's
 * chitin_load_registered on the same plugin, registered with the blob in
 * the program's image, against the host's blob (what chitin_load does
 * after dlopen: the host's descriptor decoded once and kept, the plugin's
 * decoded, the two compared, the exports table checked), and prints one
 * line:
 *   BLOB_BYTES DECODE_S COMPARE_S RUNS PROBLEMS LOAD_S
 * the blob's size, the least decode time and the least compare time of a
 * run in seconds, the runs made, the problems the comparison found and
 * the least time of a whole check.  With -w DIR it also writes the two
 * blobs to DIR/host.blob and DIR/plugin.blob, for bench/rbenchcmp.rs, the
 * same timing of the Rust crate's decoder and comparison. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "chitin/descriptor.h"
#include "chitin/runtime.h"

/* The plugin's blob and exports table as a library's would be: in the
 * program's image, where the loader finds the segment that bounds them. */
static uint8_t image_blob[64u << 20];
static union {
	uint32_t size;
	void *entries[1u << 19];
} image_table;

#define MAX_TYPES 10000000UL
#define MAX_RUNS 1000

static void
die(const char *msg)
{
	fprintf(stderr, "benchcmp: %s\n", msg);
	exit(2);
}

static void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);
	if (!p)
		die("out of memory");
	return p;
}

static double
now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* xorshift64*, as genidl's. */
static uint64_t rng = 0x9E3779B97F4A7C15ULL;

static unsigned long
pick(unsigned long n)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (unsigned long)((rng * 0x2545F4914F6CDD1DULL) % n);
}

/* Shuffles n items of size bytes (Fisher-Yates); tmp holds one item. */
static void
shuffle(void *items, size_t n, size_t size, void *tmp)
{
	char *base = items;
	size_t i;
	for (i = n; i > 1; i--) {
		size_t j = pick(i);
		memcpy(tmp, base + (i - 1) * size, size);
		memcpy(base + (i - 1) * size, base + j * size, size);
		memcpy(base + j * size, tmp, size);
	}
}

/* A stand-in hash, distinct for each (what, i). */
static chitin_hash128
hash_of(unsigned what, unsigned long i)
{
	chitin_hash128 h;
	unsigned k;
	for (k = 0; k < 16; k++)
		h.bytes[k] = (uint8_t)((i >> (8 * (k % 8))) ^ (what * 37u + k));
	h.bytes[0] |= 1;
	return h;
}

/* The memory of one descriptor: one block, handed out in order. */
struct pool {
	char *base;
	size_t used, cap;
};

/* Room for a descriptor of n types: at most an interface, 6 fields or
 * variants (or 2 fields and 4 variants), 4 methods and a name each, and
 * n / 4 exports of 2 names, every piece rounded up to 16 bytes. */
static void
pool_init(struct pool *p, unsigned long n)
{
	size_t member = sizeof(struct chitin_desc_field) > sizeof(struct chitin_desc_variant)
			? sizeof(struct chitin_desc_field) : sizeof(struct chitin_desc_variant);
	size_t per_type = sizeof(struct chitin_desc_type) + sizeof(struct chitin_desc_interface) +
			  6 * member + 4 * sizeof(struct chitin_desc_method) + 32 + 5 * 16;
	size_t per_export = sizeof(struct chitin_desc_export) + 2 * 32 + 3 * 16;
	p->cap = (n + 1) * per_type + (n / 4 + 1) * per_export + 3 * 16;
	p->base = xcalloc(p->cap, 1);
	p->used = 0;
}

static void *
pool_alloc(struct pool *p, size_t n, size_t size)
{
	void *at = p->base + p->used;
	size_t bytes = (n * size + 15) / 16 * 16;
	if (bytes > p->cap - p->used)
		die("out of pool memory");
	p->used += bytes;
	return at;
}

/* "<prefix><i>", in pool. */
static const char *
name_of(struct pool *pool, const char *prefix, unsigned long i)
{
	char *s = pool_alloc(pool, 32, 1);
	snprintf(s, 32, "%s%lu", prefix, i);
	return s;
}

static const char *const field_names[6] = { "a", "b", "c", "d", "e", "f" };
static const char *const value_names[6] = { "Red", "Green", "Blue", "Cyan", "Magenta", "Yellow" };
static const char *const variant_names[4] = { "None", "Some", "Two", "Pair" };
static const char *const method_names[4] = { "get", "set", "run", "stop" };

/* The module's descriptor, its memory in pool. */
static struct chitin_descriptor
build(struct pool *pool, unsigned long n, int renamed, int shuffled)
{
	struct chitin_descriptor d;
	struct chitin_desc_type *types = pool_alloc(pool, n, sizeof *types);
	struct chitin_desc_interface *ifaces = pool_alloc(pool, n / 5 + 2, sizeof *ifaces);
	struct chitin_desc_export *exports = pool_alloc(pool, n / 4 + 1, sizeof *exports);
	unsigned long i, n_ifaces = 0;
	const char *type_prefix = renamed ? "R" : "T";
	union {
		struct chitin_desc_type t;
		struct chitin_desc_interface in;
		struct chitin_desc_variant v;
	} tmp;

	memset(&d, 0, sizeof d);
	d.format = CHITIN_DESC_FORMAT;
	d.module = "bench";
	d.major = 1;
	d.targets = "x86_64-linux";
	for (i = 0; i < n; i++) {
		struct chitin_desc_type *t = &types[i];
		unsigned k;
		t->name = name_of(pool, type_prefix, i);
		t->type_id = hash_of(1, i);
		t->layout_hash = hash_of(2, i);
		switch (i % 10) {
		case 0: case 1: case 2: case 3: {
			struct chitin_desc_field *f = pool_alloc(pool, 6, sizeof *f);
			for (k = 0; k < 6; k++) {
				f[k].name = field_names[k];
				f[k].offset = 8 * k;
				f[k].size = 8;
				f[k].type_hash = hash_of(3, k);
			}
			t->kind = CHITIN_DESC_STRUCT;
			if (i % 10 == 0)
				t->flags = CHITIN_DESC_RESILIENT;
			t->size = 48;
			t->align = 8;
			t->fields = f;
			t->n_fields = 6;
			break;
		}
		case 4: case 5: {
			struct chitin_desc_variant *v = pool_alloc(pool, 6, sizeof *v);
			for (k = 0; k < 6; k++) {
				v[k].name = value_names[k];
				v[k].value = k + 1;
			}
			if (shuffled)
				shuffle(v, 6, sizeof *v, &tmp);
			t->kind = CHITIN_DESC_ENUM;
			t->size = t->align = 4;
			t->variants = v;
			t->n_variants = 6;
			break;
		}
		case 6: {
			struct chitin_desc_field *f = pool_alloc(pool, 2, sizeof *f);
			struct chitin_desc_variant *v = pool_alloc(pool, 4, sizeof *v);
			f[0].name = "tag";
			f[0].size = 4;
			f[0].type_hash = hash_of(3, 2);
			f[1].name = "payload";
			f[1].offset = 8;
			f[1].size = 16;
			f[1].type_hash = hash_of(4, i);
			for (k = 0; k < 4; k++) {
				v[k].name = variant_names[k];
				v[k].value = k;
				if (k > 0) {
					v[k].flags = CHITIN_DESC_PAYLOAD;
					v[k].payload_hash = hash_of(5, k);
				}
			}
			t->kind = CHITIN_DESC_DATA_ENUM;
			t->size = 24;
			t->align = 8;
			t->fields = f;
			t->n_fields = 2;
			t->variants = v;
			t->n_variants = 4;
			break;
		}
		case 7:
			t->kind = CHITIN_DESC_CALLBACK;
			t->size = 24;
			t->align = 8;
			t->signature_hash = hash_of(6, i);
			break;
		default: {
			struct chitin_desc_interface *in = &ifaces[n_ifaces++];
			struct chitin_desc_method *m = pool_alloc(pool, 4, sizeof *m);
			for (k = 0; k < 4; k++) {
				m[k].name = method_names[k];
				m[k].signature_hash = hash_of(7, k);
			}
			t->kind = CHITIN_DESC_INTERFACE;
			t->size = t->align = 8;
			in->name = t->name;
			in->iid = t->type_id;
			in->base = "object";
			in->methods = m;
			in->n_methods = 4;
			break;
		}
		}
	}
	for (i = 0; i < n / 4; i++) {
		exports[i].name = name_of(pool, renamed ? "g" : "f", i);
		exports[i].symbol = name_of(pool, renamed ? "bench_g" : "bench_f", i);
		exports[i].signature_hash = hash_of(8, i);
	}
	if (shuffled) {
		shuffle(types, n, sizeof *types, &tmp);
		shuffle(ifaces, n_ifaces, sizeof *ifaces, &tmp);
	}
	d.types = types;
	d.n_types = (uint32_t)n;
	d.interfaces = ifaces;
	d.n_interfaces = (uint32_t)n_ifaces;
	d.exports = exports;
	d.n_exports = (uint32_t)(n / 4);
	return d;
}

static void
usage(void)
{
	fprintf(stderr, "usage: benchcmp [-t SECONDS] [-w DIR] N in-order|shuffled|renamed\n");
	exit(2);
}

/* Writes the n bytes at bytes to DIR/NAME. */
static int
write_blob(const char *dir, const char *name, const uint8_t *bytes, size_t n)
{
	char path[4096];
	FILE *f;
	int ok;
	if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >= sizeof path)
		return 0;
	if (!(f = fopen(path, "wb")))
		return 0;
	ok = fwrite(bytes, 1, n, f) == n;
	return fclose(f) == 0 && ok;
}

int
main(int argc, char **argv)
{
	struct chitin_descriptor host, plugin, decoded;
	struct chitin_desc_report report;
	struct pool host_pool, plugin_pool;
	double budget = 0.5, spent = 0, best_decode = 0, best_compare = 0;
	unsigned long n;
	size_t work_size, size, scratch_size = 0, compare_work_size;
	uint8_t *blob;
	void *work, *scratch, *compare_work;
	uint32_t problems = 0;
	int runs, arg = 1, renamed, shuffled;
	char *end;
	const char *write_dir = NULL;

	if (argc > arg + 1 && strcmp(argv[arg], "-t") == 0) {
		errno = 0;
		budget = strtod(argv[arg + 1], &end);
		if (errno || end == argv[arg + 1] || *end || !(budget >= 0))
			usage();
		arg += 2;
	}
	if (argc > arg + 1 && strcmp(argv[arg], "-w") == 0) {
		write_dir = argv[arg + 1];
		arg += 2;
	}
	if (argc - arg != 2)
		usage();
	errno = 0;
	n = strtoul(argv[arg], &end, 10);
	if (errno || end == argv[arg] || *end || argv[arg][0] == '-' || n > MAX_TYPES)
		die("N must be a whole number from 0 to 10000000");
	renamed = strcmp(argv[arg + 1], "renamed") == 0;
	shuffled = strcmp(argv[arg + 1], "shuffled") == 0;
	if (!renamed && !shuffled && strcmp(argv[arg + 1], "in-order") != 0)
		usage();

	pool_init(&host_pool, n);
	pool_init(&plugin_pool, n);
	host = build(&host_pool, n, 0, 0);
	plugin = build(&plugin_pool, n, renamed, shuffled);
	work_size = chitin_desc_encode_work_size(&plugin, 1);
	work = xcalloc(work_size, 1);
	size = chitin_desc_encode(&plugin, 1, 0, NULL, 0, NULL, work, work_size);
	if (size == 0)
		die("cannot encode the plugin's descriptor");
	blob = xcalloc(size, 1);
	if (chitin_desc_encode(&plugin, 1, 0, blob, size, NULL, work, work_size) != size)
		die("cannot encode the plugin's descriptor");
	free(work);
	switch (chitin_desc_decode(blob, size, NULL, 0, &decoded, &scratch_size)) {
	case CHITIN_DESC_OK:
	case CHITIN_DESC_SCRATCH_TOO_SMALL:
		break;
	default:
		die("cannot decode the plugin's descriptor");
	}
	scratch = xcalloc(scratch_size, 1);
	if (chitin_desc_decode(blob, size, scratch, scratch_size, &decoded, NULL) != CHITIN_DESC_OK)
		die("cannot decode the plugin's descriptor");
	compare_work_size = chitin_desc_compare_work_size(&host, &decoded);
	compare_work = xcalloc(compare_work_size, 1);

	for (runs = 0; runs < MAX_RUNS && (runs == 0 || spent < budget); runs++) {
		double t0 = now(), t1, t2;
		if (chitin_desc_decode(blob, size, scratch, scratch_size, &decoded, NULL) !=
		    CHITIN_DESC_OK)
			die("cannot decode the plugin's descriptor");
		t1 = now();
		if (chitin_desc_compare_work_size(&host, &decoded) > compare_work_size)
			die("the comparison needs more work memory than it did");
		problems = chitin_desc_compare(&host, &decoded, 0, &report, compare_work,
					       compare_work_size);
		t2 = now();
		if (runs == 0 || t1 - t0 < best_decode)
			best_decode = t1 - t0;
		if (runs == 0 || t2 - t1 < best_compare)
			best_compare = t2 - t1;
		spent += t2 - t0;
	}
	{
		uint8_t *host_blob;
		size_t host_size;
		chitin_module entry;
		chitin_load_error *err;
		const chitin_plugin *loaded;
		double best_load = 0;
		int k;
		work_size = chitin_desc_encode_work_size(&host, 1);
		work = xcalloc(work_size, 1);
		host_size = chitin_desc_encode(&host, 1, 0, NULL, 0, NULL, work, work_size);
		host_blob = xcalloc(host_size ? host_size : 1, 1);
		if (host_size == 0 ||
		    chitin_desc_encode(&host, 1, 0, host_blob, host_size, NULL, work, work_size) != host_size)
			die("cannot encode the host's descriptor");
		free(work);
		if (size > sizeof image_blob || 8 + plugin.n_exports * sizeof(void *) > sizeof image_table.entries)
			die("the module is too large for the image's buffers");
		memcpy(image_blob, blob, size);
		image_table.size = (uint32_t)(8 + plugin.n_exports * sizeof(void *));
		entry.descriptor = image_blob;
		entry.exports = &image_table;
		if (chitin_module_register(host.module, &entry) != CHITIN_OK)
			die("cannot register the plugin");
		for (k = 0; k < (runs < 100 ? runs : 100); k++) {
			double t0 = now(), t1;
			chitin_status st = chitin_load_registered(host.module, host_blob, 0, &loaded, &err);
			t1 = now();
			if ((st == CHITIN_OK) != (problems == 0) ||
			    (st != CHITIN_OK && chitin_load_error_reason(err) != CHITIN_LOAD_INCOMPATIBLE))
				die("the loader's check disagrees with the comparison");
			chitin_load_error_free(err);
			if (k == 0 || t1 - t0 < best_load)
				best_load = t1 - t0;
		}
		if (write_dir && (!write_blob(write_dir, "host.blob", host_blob, host_size) ||
				  !write_blob(write_dir, "plugin.blob", blob, size)))
			die("cannot write the blobs");
		free(host_blob);
		printf("%zu %.6f %.6f %d %lu %.6f\n", size, best_decode, best_compare, runs,
		       (unsigned long)problems, best_load);
	}
	free(compare_work);
	free(scratch);
	free(blob);
	free(host_pool.base);
	free(plugin_pool.base);
	return fflush(stdout) == 0 ? 0 : 2;
}
