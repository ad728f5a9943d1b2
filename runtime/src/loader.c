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

#include "atomics.h"

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

/* The longest path and detail an error keeps of the system's messages. */
#define CHITIN_LOAD_DETAIL 256

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

/* What a failed load says (doc/runtime.md 5.3).  Made by the library, so
 * that it may grow without breaking a host built against an older one:
 * hosts reach it only through the accessors.  library points at the copy
 * of the path stored after the struct. */
struct chitin_load_error {
	chitin_load_reason reason;
	const char *library;
	char module[CHITIN_DESC_TEXT];
	char detail[CHITIN_LOAD_DETAIL];
	struct chitin_desc_report report;
};

/* What a load whose error could not be allocated says; never freed. */
static chitin_load_error no_memory_error = { CHITIN_LOAD_NO_MEMORY, "", "", "", { 0, 0, { { 0 } } } };

/* A new error about library, or NULL when there is no memory. */
static chitin_load_error *
new_error(const char *library)
{
	size_t n = strlen(library) + 1;
	chitin_load_error *err = (chitin_load_error *)malloc(sizeof *err + n);
	if (!err)
		return NULL;
	memset(err, 0, sizeof *err);
	memcpy((char *)(err + 1), library, n);
	err->library = (const char *)(err + 1);
	return err;
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

/* What every load does last: hands the error to the caller (*errp) when
 * the load failed, or frees it. */
static chitin_status
finish(chitin_status st, chitin_load_error *err, chitin_load_error **errp)
{
	if (st == CHITIN_OK) {
		free(err);
		err = NULL;
	} else if (!err) {
		err = &no_memory_error;
	}
	if (errp)
		*errp = err;
	else if (err != &no_memory_error)
		free(err);
	return st;
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
	    uint16_t required_minor, const void **exports, uint16_t *minor, chitin_load_error *err)
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
	if (result == CHITIN_OK) {
		*exports = entry->exports;
		*minor = plugin.d.minor;
	}
	free(plugin.scratch);
	return result;
}

/* One spin lock for the registry, the libraries loaded and the cache of
 * hosts' descriptors: what it guards is brief to look through and rarely
 * changes. */
static uint32_t registry_lock;

static void
lock(void)
{
	while (chitin_atomic_exchange_acquire(&registry_lock, 1))
		;
}

static void
unlock(void)
{
	chitin_atomic_store_release(&registry_lock, 0);
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

/* What every load does first: the arguments, the error the load may
 * hand back (*err, NULL when not wanted or when there is no memory), and
 * the host's own descriptor decoded. */
static chitin_status
begin(const char *library, const uint8_t *host_descriptor, bool outs_given, bool cache, bool want_error,
      chitin_load_error **err, struct decoded *host)
{
	enum chitin_desc_status st;
	bool no_memory;
	host->scratch = NULL;
	*err = want_error ? new_error(library ? library : "") : NULL;
	if (want_error && !*err)
		return CHITIN_NO_MEMORY;
	if (!library || !host_descriptor || !outs_given)
		return fail(*err, CHITIN_LOAD_INVALID_ARG, "a NULL argument");
	st = cache ? host_decoded(host_descriptor, host, &no_memory)
		   : decode(host_descriptor, SIZE_MAX, host, &no_memory);
	if (no_memory)
		return fail(*err, CHITIN_LOAD_NO_MEMORY, "");
	if (st != CHITIN_DESC_OK)
		return fail(*err, CHITIN_LOAD_BAD_HOST_DESCRIPTOR, chitin_desc_status_text(st));
	if (*err)
		copy_text((*err)->module, sizeof (*err)->module, host->d.module);
	return CHITIN_OK;
}

/* ---- the libraries loaded ------------------------------------------------------ */

/* A library loaded and checked, found again by its entry: a library stays
 * loaded, so its entry and what the entry points at stay where they are
 * (doc/abi.md 8.5).  The path and module are copies, stored after it. */
struct chitin_plugin {
	const chitin_module *entry;
	const char *path;
	const char *module;
	uint16_t major, minor;
	struct chitin_plugin *next;
};

static struct chitin_plugin *plugins;

/* The record of the library whose entry is entry, made on its first
 * successful load; NULL when there is no memory. */
static const chitin_plugin *
plugin_record(const chitin_module *entry, const char *path, const struct chitin_descriptor *host,
	      uint16_t minor)
{
	struct chitin_plugin *p;
	size_t path_n = strlen(path) + 1, module_n = strlen(host->module) + 1;
	lock();
	for (p = plugins; p && p->entry != entry; p = p->next)
		;
	unlock();
	if (p)
		return p;
	p = (struct chitin_plugin *)malloc(sizeof *p + path_n + module_n);
	if (!p)
		return NULL;
	p->entry = entry;
	p->path = memcpy((char *)(p + 1), path, path_n);
	/* the same module as the host's, or the check would have failed */
	p->module = memcpy((char *)(p + 1) + path_n, host->module, module_n);
	p->major = host->major;
	p->minor = minor;
	lock();
	{
		struct chitin_plugin *q;
		for (q = plugins; q && q->entry != entry; q = q->next)
			;
		if (q) {   /* another thread made it meanwhile */
			unlock();
			free(p);
			return q;
		}
	}
	p->next = plugins;
	plugins = p;
	unlock();
	return p;
}

/* check_entry for a library that stays: on success, its record in
 * *plugin. */
static chitin_status
checked(const chitin_module *entry, size_t limit, const char *path, const struct chitin_descriptor *host,
	uint16_t required_minor, const chitin_plugin **plugin, chitin_load_error *err)
{
	const chitin_plugin *p;
	const void *exports;
	uint16_t minor = 0;
	chitin_status st = check_entry(entry, limit, host, required_minor, &exports, &minor, err);
	if (st != CHITIN_OK)
		return st;
	p = plugin_record(entry, path, host, minor);
	if (!p)
		return fail(err, CHITIN_LOAD_NO_MEMORY, "");
	*plugin = p;
	return CHITIN_OK;
}

const void *
chitin_plugin_exports(const chitin_plugin *plugin)
{
	return plugin ? plugin->entry->exports : NULL;
}

const uint8_t *
chitin_plugin_descriptor(const chitin_plugin *plugin)
{
	return plugin ? plugin->entry->descriptor : NULL;
}

const char *
chitin_plugin_path(const chitin_plugin *plugin)
{
	return plugin ? plugin->path : "";
}

const char *
chitin_plugin_module(const chitin_plugin *plugin)
{
	return plugin ? plugin->module : "";
}

uint16_t
chitin_plugin_major(const chitin_plugin *plugin)
{
	return plugin ? plugin->major : 0;
}

uint16_t
chitin_plugin_minor(const chitin_plugin *plugin)
{
	return plugin ? plugin->minor : 0;
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
chitin_load(const char *path, const uint8_t *host_descriptor, uint16_t required_minor,
	    const chitin_plugin **plugin, chitin_load_error **errp)
{
	struct decoded host;
	char *symbol;
	char detail[CHITIN_LOAD_DETAIL] = "";
	chitin_load_reason reason = CHITIN_LOAD_OK;
	const chitin_module *entry;
	chitin_load_error *err;
	chitin_status st;
	size_t n;
	if (plugin)
		*plugin = NULL;
	st = begin(path, host_descriptor, plugin != NULL, true, errp != NULL, &err, &host);
	if (st != CHITIN_OK) {
		free(host.scratch);
		return finish(st, err, errp);
	}
	n = sizeof ENTRY_PREFIX + strlen(host.d.module);
	symbol = (char *)malloc(n);
	if (!symbol) {
		free(host.scratch);
		return finish(fail(err, CHITIN_LOAD_NO_MEMORY, ""), err, errp);
	}
	snprintf(symbol, n, ENTRY_PREFIX "%s", host.d.module);
	/* libraries stay loaded whatever happens: their constructors ran,
	 * and what they made may point into them (doc/abi.md 8.5) */
	entry = (const chitin_module *)open_symbol(path, symbol, &reason, detail, sizeof detail);
	if (!entry)
		st = fail(err, reason, detail);
	else
		st = checked(entry, readable_extent(entry->descriptor), path, &host.d, required_minor, plugin,
			     err);
	free(symbol);
	free(host.scratch);
	return finish(st, err, errp);
}

chitin_status
chitin_module_check(const chitin_module *entry, size_t descriptor_limit, const uint8_t *host_descriptor,
		    uint16_t required_minor, const void **exports, chitin_load_error **errp)
{
	struct decoded host;
	chitin_load_error *err;
	uint16_t minor;
	chitin_status st;
	if (exports)
		*exports = NULL;
	st = begin("(entry)", host_descriptor, entry && exports, false, errp != NULL, &err, &host);
	if (st == CHITIN_OK)
		st = check_entry(entry, descriptor_limit, &host.d, required_minor, exports, &minor, err);
	free(host.scratch);
	return finish(st, err, errp);
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
		       const chitin_plugin **plugin, chitin_load_error **errp)
{
	struct decoded host;
	const chitin_module *entry = NULL;
	chitin_load_error *err;
	size_t i;
	chitin_status st;
	if (plugin)
		*plugin = NULL;
	st = begin(module, host_descriptor, plugin != NULL, true, errp != NULL, &err, &host);
	if (st == CHITIN_OK && strcmp(module, host.d.module) != 0)
		st = fail(err, CHITIN_LOAD_INVALID_ARG, "the host's descriptor is of another module");
	if (st != CHITIN_OK) {
		free(host.scratch);
		return finish(st, err, errp);
	}
	lock();
	for (i = 0; i < n_registered; i++)
		if (strcmp(registry[i].module, module) == 0)
			entry = registry[i].entry;
	unlock();
	if (!entry)
		st = fail(err, CHITIN_LOAD_NOT_REGISTERED, "");
	else
		st = checked(entry, readable_extent(entry->descriptor), module, &host.d, required_minor, plugin,
			     err);
	free(host.scratch);
	return finish(st, err, errp);
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

/* append for a NUL-terminated text. */
static void
append_text(char *buf, size_t size, size_t *len, const char *text)
{
	append(buf, size, len, text, strlen(text));
}

size_t
chitin_load_error_format(const chitin_load_error *err, char *buf, size_t size)
{
	char line[3 * CHITIN_LOAD_DETAIL];
	size_t len = 0, n;
	uint32_t i;
	if (size)
		buf[0] = '\0';
	if (!err || err->reason == CHITIN_LOAD_OK)
		return 0;
	/* the first line piece by piece: the library's path has no bound */
	append_text(buf, size, &len, "cannot load '");
	append_text(buf, size, &len, err->library);
	append_text(buf, size, &len, "' as module ");
	append_text(buf, size, &len, err->module[0] ? err->module : "?");
	append_text(buf, size, &len, ": ");
	append_text(buf, size, &len, chitin_load_reason_text(err->reason));
	if (err->detail[0]) {
		append_text(buf, size, &len, ": ");
		append_text(buf, size, &len, err->detail);
	}
	append_text(buf, size, &len, "\n");
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

/* ---- the error's parts ------------------------------------------------------------ */

void
chitin_load_error_free(chitin_load_error *err)
{
	if (err != &no_memory_error)
		free(err);
}

chitin_load_reason
chitin_load_error_reason(const chitin_load_error *err)
{
	return err ? err->reason : CHITIN_LOAD_OK;
}

const char *
chitin_load_error_library(const chitin_load_error *err)
{
	return err ? err->library : "";
}

const char *
chitin_load_error_module(const chitin_load_error *err)
{
	return err ? err->module : "";
}

const char *
chitin_load_error_detail(const chitin_load_error *err)
{
	return err ? err->detail : "";
}

uint32_t
chitin_load_error_problem_count(const chitin_load_error *err)
{
	if (!err || err->reason != CHITIN_LOAD_INCOMPATIBLE)
		return 0;
	return err->report.n_problems < CHITIN_DESC_MAX_PROBLEMS ? err->report.n_problems
								  : CHITIN_DESC_MAX_PROBLEMS;
}

const struct chitin_desc_problem *
chitin_load_error_problem(const chitin_load_error *err, uint32_t i)
{
	return i < chitin_load_error_problem_count(err) ? &err->report.problems[i] : NULL;
}

int
chitin_load_error_more(const chitin_load_error *err)
{
	return err && err->reason == CHITIN_LOAD_INCOMPATIBLE && err->report.more;
}
