/* The plugin loader (doc/abi.md 8.5, 8.6): opens a library, finds its
 * entry symbol, decodes its descriptor with the bounds-checked reader and
 * compares it with the host's own before handing out the exports table.
 * The registry of modules linked in stands in for the opening in static
 * builds. */
#define _GNU_SOURCE 1   /* dl_iterate_phdr */
#define CHITIN_BUILDING_RUNTIME 1
#include <chitin/runtime.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(_WIN32)
#include <windows.h>
#elif defined(__wasi__)
/* no dynamic loading, no <dlfcn.h>: modules are linked in and registered */
#else
#include <dlfcn.h>
#if defined(__ELF__)
#include <link.h>
#endif
#endif

static size_t readable_extent(const void *p);

/* The entry symbol is the module's name after this prefix. */
#define ENTRY_PREFIX "chitin_module_"

static const char *const reason_texts[] = {
#define CHITIN_LOAD_REASON_TEXT_(name, text) text,
	CHITIN_LOAD_REASONS(CHITIN_LOAD_REASON_TEXT_)
#undef CHITIN_LOAD_REASON_TEXT_
};

const char *
chitin_load_reason_text(chitin_load_reason reason)
{
	if ((unsigned)reason >= CHITIN_LOAD_N_REASONS)
		return "unknown reason";
	return reason_texts[reason];
}

/* Copies src into dst of size bytes, ending a text that does not fit in
 * "...", as the comparison's report does. */
static void
copy_text(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);
	if (n < size) {
		memcpy(dst, src, n + 1);
		return;
	}
	memcpy(dst, src, size - 4);
	memcpy(dst + size - 4, "...", 4);
}

static chitin_status
fail(chitin_load_error *err, chitin_load_reason reason, const char *detail)
{
	if (err) {
		err->reason = reason;
		copy_text(err->detail, sizeof err->detail, detail ? detail : "");
	}
	return reason == CHITIN_LOAD_NO_MEMORY ? CHITIN_NO_MEMORY
	       : reason == CHITIN_LOAD_INVALID_ARG ? CHITIN_INVALID_ARG : CHITIN_FAILED;
}

/* A decoded descriptor and the scratch its arrays live in. */
struct decoded {
	struct chitin_descriptor d;
	void *scratch;
};

/* Decodes the blob at blob, whose size its header says, within its first
 * limit bytes (SIZE_MAX for the host's own); the reader checks the rest
 * against that size. */
static enum chitin_desc_status
decode(const uint8_t *blob, size_t limit, struct decoded *out, bool *no_memory)
{
	size_t size, need = 0;
	enum chitin_desc_status st;
	*no_memory = false;
	out->scratch = NULL;
	memset(&out->d, 0, sizeof out->d);
	if (!blob)
		return CHITIN_DESC_TRUNCATED;
	st = chitin_desc_probe(blob, limit, &size);
	if (st != CHITIN_DESC_OK)
		return st;
	/* one pass: the scratch a blob needs is less than 11 times its size
	 * and 64 bytes (doc/descriptor.md 7); a pass to measure first would
	 * read the blob twice */
	need = size <= (SIZE_MAX - 64) / 11 ? 11 * size + 64 : SIZE_MAX;
	out->scratch = need < SIZE_MAX ? malloc(need) : NULL;
	if (!out->scratch) {
		*no_memory = true;
		return CHITIN_DESC_SCRATCH_TOO_SMALL;
	}
	return chitin_desc_decode(blob, size, out->scratch, need, &out->d, NULL);
}

/* Checks the library's entry against the host's descriptor, already
 * decoded as host. */
static chitin_status
check_entry(const chitin_module *entry, size_t limit, const struct chitin_descriptor *host,
	    uint16_t required_minor, const void **exports, chitin_load_error *err)
{
	struct decoded plugin;
	enum chitin_desc_status st;
	bool no_memory;
	chitin_status result = CHITIN_OK;
	uint32_t problems;
	size_t work_size;
	void *work;

	st = decode(entry->descriptor, limit, &plugin, &no_memory);
	if (no_memory)
		return fail(err, CHITIN_LOAD_NO_MEMORY, "");
	if (st != CHITIN_DESC_OK) {
		free(plugin.scratch);
		return fail(err, CHITIN_LOAD_BAD_DESCRIPTOR, chitin_desc_status_text(st));
	}
	/* the comparison's tables of names (doc/descriptor.md 11) */
	work_size = chitin_desc_compare_work_size(host, &plugin.d);
	work = work_size < SIZE_MAX ? malloc(work_size ? work_size : 1) : NULL;
	if (!work) {
		free(plugin.scratch);
		return fail(err, CHITIN_LOAD_NO_MEMORY, "");
	}
	problems = chitin_desc_compare(host, &plugin.d, required_minor, err ? &err->report : NULL,
				       work, work_size);
	free(work);
	if (problems) {
		result = fail(err, CHITIN_LOAD_INCOMPATIBLE, "");
	} else if (plugin.d.n_exports > 0) {
		/* the table must hold every export the library's descriptor
		 * lists (doc/abi.md 8.3) */
		const uint32_t *table = (const uint32_t *)entry->exports;
		size_t want = 8 + (size_t)plugin.d.n_exports * sizeof(void (*)(void));
		char detail[CHITIN_LOAD_DETAIL];
		if (!table) {
			result = fail(err, CHITIN_LOAD_BAD_EXPORTS, "the entry has no exports table");
		} else if ((uintptr_t)table % sizeof(void *) != 0 || readable_extent(table) < want) {
			/* read nothing of a table outside the library's memory */
			result = fail(err, CHITIN_LOAD_BAD_EXPORTS,
				      "the exports table is misaligned or not in the library's memory");
		} else if (table[0] < want) {
			snprintf(detail, sizeof detail,
				 "the table is %lu bytes, its %lu exports need %lu",
				 (unsigned long)table[0], (unsigned long)plugin.d.n_exports,
				 (unsigned long)want);
			result = fail(err, CHITIN_LOAD_BAD_EXPORTS, detail);
		}
	}
	if (result == CHITIN_OK)
		*exports = entry->exports;
	free(plugin.scratch);
	return result;
}

/* One spin lock for the registry and the cache of hosts' descriptors:
 * what it guards is brief to look through and rarely changes. */
static int registry_lock;

static void
lock(void)
{
	while (__atomic_exchange_n(&registry_lock, 1, __ATOMIC_ACQUIRE))
		;
}

static void
unlock(void)
{
	__atomic_store_n(&registry_lock, 0, __ATOMIC_RELEASE);
}

/* The hosts' own descriptors, decoded once each: a host loads its plugins
 * against the same few blobs.  Each is decoded from a copy the cache
 * keeps, and found again by its address and its bytes, so that a blob
 * freed or changed by the host is never mistaken for the one cached. */
struct cached_host {
	const uint8_t *blob;
	uint8_t *copy;
	size_t size;
	struct chitin_descriptor d;
	void *scratch;
	struct cached_host *next;
};

static struct cached_host *cached_hosts;

/* The host's descriptor decoded into *host, from the cache or decoded now
 * (and cached); host->scratch is what the caller frees (NULL when the
 * cache keeps it). */
static enum chitin_desc_status
host_decoded(const uint8_t *blob, struct decoded *host, bool *no_memory)
{
	struct cached_host *c;
	enum chitin_desc_status st;
	size_t size;
	*no_memory = false;
	host->scratch = NULL;
	st = chitin_desc_probe(blob, SIZE_MAX, &size);
	if (st != CHITIN_DESC_OK)
		return st;
	lock();
	for (c = cached_hosts; c; c = c->next)
		if (c->blob == blob && c->size == size && memcmp(c->copy, blob, size) == 0)
			break;
	unlock();
	if (c) {
		host->d = c->d;
		return CHITIN_DESC_OK;
	}
	c = (struct cached_host *)malloc(sizeof *c);
	if (c)
		c->copy = (uint8_t *)malloc(size);
	if (!c || !c->copy) {
		free(c);
		return decode(blob, SIZE_MAX, host, no_memory);   /* used once, uncached */
	}
	memcpy(c->copy, blob, size);
	st = decode(c->copy, size, host, no_memory);
	if (st != CHITIN_DESC_OK) {
		free(c->copy);
		free(c);
		return st;
	}
	c->blob = blob;
	c->size = size;
	c->d = host->d;
	c->scratch = host->scratch;
	lock();
	c->next = cached_hosts;
	cached_hosts = c;
	unlock();
	host->scratch = NULL;
	return st;
}

/* What every load does first: the arguments, and the host's own
 * descriptor decoded. */
static chitin_status
begin(const char *library, const uint8_t *host_descriptor, bool cache, const void **exports,
      chitin_load_error *err, struct decoded *host)
{
	enum chitin_desc_status st;
	bool no_memory;
	host->scratch = NULL;
	if (err) {
		memset(err, 0, sizeof *err);
		copy_text(err->library, sizeof err->library, library ? library : "");
	}
	if (exports)
		*exports = NULL;
	if (!library || !host_descriptor || !exports)
		return fail(err, CHITIN_LOAD_INVALID_ARG, "a NULL argument");
	st = cache ? host_decoded(host_descriptor, host, &no_memory)
		   : decode(host_descriptor, SIZE_MAX, host, &no_memory);
	if (no_memory)
		return fail(err, CHITIN_LOAD_NO_MEMORY, "");
	if (st != CHITIN_DESC_OK)
		return fail(err, CHITIN_LOAD_BAD_HOST_DESCRIPTOR, chitin_desc_status_text(st));
	if (err)
		copy_text(err->module, sizeof err->module, host->d.module);
	return CHITIN_OK;
}

/* ---- opening libraries ------------------------------------------------------- */

#if !defined(_WIN32) && defined(__ELF__)
struct extent_query {
	uintptr_t at;
	size_t extent;
};

static int
find_segment(struct dl_phdr_info *info, size_t size, void *data)
{
	struct extent_query *q = (struct extent_query *)data;
	size_t i;
	(void)size;
	for (i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		uintptr_t start = (uintptr_t)info->dlpi_addr + (uintptr_t)ph->p_vaddr;
		if (ph->p_type == PT_LOAD && q->at >= start && q->at - start < ph->p_memsz) {
			q->extent = (size_t)(ph->p_memsz - (q->at - start));
			return 1;
		}
	}
	return 0;
}
#endif

/* How many bytes from p on are mapped in the segment that holds p, or
 * SIZE_MAX where the system does not say. */
static size_t
readable_extent(const void *p)
{
#if defined(_WIN32)
	MEMORY_BASIC_INFORMATION info;
	if (p && VirtualQuery(p, &info, sizeof info) == sizeof info && info.State == MEM_COMMIT)
		return (size_t)((const char *)info.BaseAddress + info.RegionSize - (const char *)p);
	return 0;
#elif defined(__ELF__)
	struct extent_query q;
	q.at = (uintptr_t)p;
	q.extent = 0;
	if (!p || dl_iterate_phdr(find_segment, &q) == 0)
		return 0;   /* in no loaded object: not a descriptor of one */
	return q.extent;
#elif defined(__wasm__)
	/* one linear memory, all of it readable: from p to its end (in
	 * 64 bits, as 65536 pages of 64 KiB are 4 GiB) */
	uint64_t end = (uint64_t)__builtin_wasm_memory_size(0) * 65536u, n;
	if (!p || (uint64_t)(uintptr_t)p >= end)
		return 0;
	n = end - (uint64_t)(uintptr_t)p;
	return n < SIZE_MAX ? (size_t)n : SIZE_MAX;
#else
	(void)p;
	return SIZE_MAX;
#endif
}

#if defined(_WIN32)

/* Opens path (UTF-8) and finds symbol in it; on failure, says why. */
static const void *
open_symbol(const char *path, const char *symbol, chitin_load_reason *reason, char *detail, size_t size)
{
	HMODULE lib;
	FARPROC sym;
	wchar_t *wide;
	int n = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, path, -1, NULL, 0);
	DWORD flags = 0;
	if (n <= 0) {
		*reason = CHITIN_LOAD_OPEN;
		snprintf(detail, size, "the path is not valid UTF-8");
		return NULL;
	}
	wide = (wchar_t *)malloc((size_t)n * sizeof *wide);
	if (!wide) {
		*reason = CHITIN_LOAD_NO_MEMORY;
		return NULL;
	}
	MultiByteToWideChar(CP_UTF8, 0, path, -1, wide, n);
	/* a path with a directory, made absolute (the flag's documented
	 * use): the library's dependencies are then found beside it */
	if (strchr(path, '/') || strchr(path, '\\')) {
		DWORD full_n = GetFullPathNameW(wide, 0, NULL, NULL);
		wchar_t *full = full_n ? (wchar_t *)malloc((size_t)full_n * sizeof *full) : NULL;
		if (full && GetFullPathNameW(wide, full_n, full, NULL) > 0 &&
		    GetFullPathNameW(wide, full_n, full, NULL) < full_n) {
			free(wide);
			wide = full;
			flags = LOAD_WITH_ALTERED_SEARCH_PATH;
		} else {
			free(full);
		}
	}
	lib = LoadLibraryExW(wide, NULL, flags);
	if (!lib) {
		DWORD code = GetLastError();
		char text[160];
		DWORD len = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL,
					   code, 0, text, (DWORD)sizeof text, NULL);
		while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r' || text[len - 1] == ' '))
			text[--len] = '\0';
		free(wide);
		*reason = CHITIN_LOAD_OPEN;
		snprintf(detail, size, "LoadLibraryExW failed with error %lu%s%s", (unsigned long)code,
			 len ? ": " : "", len ? text : "");
		return NULL;
	}
	free(wide);
	sym = GetProcAddress(lib, symbol);
	if (!sym) {
		*reason = CHITIN_LOAD_NO_ENTRY;
		snprintf(detail, size, "no symbol %s", symbol);
		return NULL;
	}
	/* GetProcAddress gives a function pointer for data symbols too */
	return (const void *)(uintptr_t)sym;
}

#elif defined(__wasi__)

/* WASI has no dynamic loading: a path never opens. */
static const void *
open_symbol(const char *path, const char *symbol, chitin_load_reason *reason, char *detail, size_t size)
{
	(void)path;
	(void)symbol;
	*reason = CHITIN_LOAD_OPEN;
	snprintf(detail, size, "this system has no dynamic loading; register the module (chitin_module_register)");
	return NULL;
}

#else

static const void *
open_symbol(const char *path, const char *symbol, chitin_load_reason *reason, char *detail, size_t size)
{
	void *lib, *sym;
	const char *why;
	lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!lib) {
		why = dlerror();
		*reason = CHITIN_LOAD_OPEN;
		snprintf(detail, size, "%s", why ? why : "dlopen failed");
		return NULL;
	}
	dlerror();
	sym = dlsym(lib, symbol);
	if (!sym) {
		*reason = CHITIN_LOAD_NO_ENTRY;
		snprintf(detail, size, "no symbol %s", symbol);
		return NULL;
	}
	return sym;
}

#endif

chitin_status
chitin_load(const char *path, const uint8_t *host_descriptor, uint16_t required_minor, const void **exports,
	    chitin_load_error *err)
{
	struct decoded host;
	char *symbol;
	char detail[CHITIN_LOAD_DETAIL] = "";
	chitin_load_reason reason = CHITIN_LOAD_OK;
	const chitin_module *entry;
	chitin_status st = begin(path, host_descriptor, true, exports, err, &host);
	size_t n;
	if (st != CHITIN_OK) {
		free(host.scratch);
		return st;
	}
	n = sizeof ENTRY_PREFIX + strlen(host.d.module);
	symbol = (char *)malloc(n);
	if (!symbol) {
		free(host.scratch);
		return fail(err, CHITIN_LOAD_NO_MEMORY, "");
	}
	snprintf(symbol, n, ENTRY_PREFIX "%s", host.d.module);
	/* libraries stay loaded whatever happens: their constructors ran,
	 * and what they made may point into them (doc/abi.md 8.5) */
	entry = (const chitin_module *)open_symbol(path, symbol, &reason, detail, sizeof detail);
	if (!entry)
		st = fail(err, reason, detail);
	else
		st = check_entry(entry, readable_extent(entry->descriptor), &host.d, required_minor,
				 exports, err);
	free(symbol);
	free(host.scratch);
	return st;
}

chitin_status
chitin_module_check(const chitin_module *entry, size_t descriptor_limit, const uint8_t *host_descriptor,
		    uint16_t required_minor, const void **exports, chitin_load_error *err)
{
	struct decoded host;
	chitin_status st = begin("(entry)", host_descriptor, false, exports, err, &host);
	if (st == CHITIN_OK && !entry)
		st = fail(err, CHITIN_LOAD_INVALID_ARG, "a NULL entry");
	if (st == CHITIN_OK)
		st = check_entry(entry, descriptor_limit, &host.d, required_minor, exports, err);
	free(host.scratch);
	return st;
}

/* ---- the registry of modules linked in -------------------------------------- */

struct registered {
	char *module;   /* a copy */
	const chitin_module *entry;
};

static struct registered *registry;
static size_t n_registered, registry_cap;

chitin_status
chitin_module_register(const char *module, const chitin_module *entry)
{
	size_t i, len;
	chitin_status st = CHITIN_OK;
	if (!module || !entry)
		return CHITIN_INVALID_ARG;
	len = strlen(module);
	if (len == 0)
		return CHITIN_INVALID_ARG;
	lock();
	for (i = 0; i < n_registered && strcmp(registry[i].module, module) != 0; i++)
		;
	if (i == n_registered) {
		if (n_registered == registry_cap) {
			size_t cap = registry_cap ? 2 * registry_cap : 8;
			struct registered *grown = (struct registered *)realloc(registry, cap * sizeof *grown);
			if (!grown)
				st = CHITIN_NO_MEMORY;
			else
				registry = grown, registry_cap = cap;
		}
		if (st == CHITIN_OK) {
			registry[i].module = (char *)malloc(len + 1);
			if (!registry[i].module)
				st = CHITIN_NO_MEMORY;
			else
				memcpy(registry[i].module, module, len + 1), n_registered++;
		}
	}
	if (st == CHITIN_OK)
		registry[i].entry = entry;
	unlock();
	return st;
}

chitin_status
chitin_load_registered(const char *module, const uint8_t *host_descriptor, uint16_t required_minor,
		       const void **exports, chitin_load_error *err)
{
	struct decoded host;
	const chitin_module *entry = NULL;
	size_t i;
	chitin_status st = begin(module, host_descriptor, true, exports, err, &host);
	if (st == CHITIN_OK && strcmp(module, host.d.module) != 0)
		st = fail(err, CHITIN_LOAD_INVALID_ARG, "the host's descriptor is of another module");
	if (st != CHITIN_OK) {
		free(host.scratch);
		return st;
	}
	lock();
	for (i = 0; i < n_registered; i++)
		if (strcmp(registry[i].module, module) == 0)
			entry = registry[i].entry;
	unlock();
	if (!entry)
		st = fail(err, CHITIN_LOAD_NOT_REGISTERED, "");
	else
		st = check_entry(entry, readable_extent(entry->descriptor), &host.d, required_minor,
				 exports, err);
	free(host.scratch);
	return st;
}

/* ---- the report ----------------------------------------------------------------- */

/* Appends n bytes of text to buf as snprintf would, at *len. */
static void
append(char *buf, size_t size, size_t *len, const char *text, size_t n)
{
	if (*len < size) {
		size_t room = size - *len - 1, k = n < room ? n : room;
		memcpy(buf + *len, text, k);
		buf[*len + k] = '\0';
	}
	*len += n;
}

size_t
chitin_load_error_format(const chitin_load_error *err, char *buf, size_t size)
{
	char line[3 * CHITIN_LOAD_DETAIL];
	size_t len = 0, n;
	uint32_t i;
	int w;
	if (size)
		buf[0] = '\0';
	if (!err)
		return 0;
	w = snprintf(line, sizeof line, "cannot load '%s' as module %s: %s%s%s\n", err->library,
		     err->module[0] ? err->module : "?", chitin_load_reason_text(err->reason),
		     err->detail[0] ? ": " : "", err->detail);
	append(buf, size, &len, line, w > 0 ? (size_t)w : 0);
	if (err->reason != CHITIN_LOAD_INCOMPATIBLE)
		return len;
	for (i = 0; i < err->report.n_problems && i < CHITIN_DESC_MAX_PROBLEMS; i++) {
		n = chitin_desc_format_problem(&err->report.problems[i], line, sizeof line);
		append(buf, size, &len, "  ", 2);
		append(buf, size, &len, line, n < sizeof line ? n : sizeof line - 1);
		append(buf, size, &len, "\n", 1);
	}
	if (err->report.more)
		append(buf, size, &len, "  (more problems not shown)\n", 28);
	return len;
}
