/* Arenas, string interning and the checked allocation helpers. */
#include <config.h>

#include "arena.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(HAVE_SYS_MMAN_H) && defined(HAVE_MMAP)
#include <sys/mman.h>
#endif
#if defined(MAP_ANONYMOUS)
#define ARENA_MMAP 1
#else
#define ARENA_MMAP 0
#endif

struct arena_block {
	struct arena_block *next;
	size_t used, size;
	size_t mapped;           /* bytes mapped for the block, 0: malloc'd */
	max_align_t data[];
};

/* Blocks start small, so that small compilations stay small; once an arena
 * holds more than GROW_AT bytes, blocks are HUGE_SIZE, mapped on their own
 * and (where the system has transparent huge pages) backed by huge pages:
 * a large compilation then takes one page fault per 2 MiB, not one per
 * 4 KiB, which on virtual machines is most of its time. */
enum {
	BLOCK_SIZE = 64 * 1024,
	HUGE_SIZE = 2 * 1024 * 1024,
	GROW_AT = 1024 * 1024,
};
/* Advises the kernel to back the huge-page-aligned interior of a large
 * allocation with huge pages: the model's arrays and the hash tables of
 * a large compilation are tens of megabytes, each written soon after it
 * is made, and a fault per 4 KiB of them costs more than writing them. */
static void *
advise_large(void *p, size_t n)
{
#if ARENA_MMAP && defined(HAVE_MADVISE) && defined(MADV_HUGEPAGE)
	if (n >= 2 * (size_t)HUGE_SIZE) {
		uintptr_t from = ((uintptr_t)p + HUGE_SIZE - 1) & ~(uintptr_t)(HUGE_SIZE - 1);
		uintptr_t to = ((uintptr_t)p + n) & ~(uintptr_t)(HUGE_SIZE - 1);
		if (to > from)
			madvise((void *)from, (size_t)(to - from), MADV_HUGEPAGE);
	}
#else
	(void)n;
#endif
	return p;
}

/* Every allocation that fails ends here: a clean exit with status 2 (an
 * I/O or resource error, as a file that cannot be read is), not abort()'s
 * core dump.  Outputs are renamed into place only once written whole, so
 * none is replaced by a half-written one. */
static void
out_of_memory(void)
{
	fputs("chitin: error: out of memory\n", stderr);
	exit(2);
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		out_of_memory();
	return advise_large(p, n);
}

void *
xcalloc(size_t count, size_t size)
{
	void *p = calloc(count ? count : 1, size ? size : 1);
	if (!p)
		out_of_memory();
	return advise_large(p, count * size);
}

void *
xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		out_of_memory();
	return advise_large(p, n);
}

/* A zeroed block of at least size bytes of data. */
static struct arena_block *
block_new(size_t size)
{
	struct arena_block *b;
	size_t want = sizeof *b + size;
#if ARENA_MMAP
	if (want >= HUGE_SIZE) {
		/* Mapped with a huge page's worth to spare, so that the block
		 * can start on a huge page boundary; mapped memory is zero.
		 * Its length is whole small pages, not whole huge pages, so
		 * that a large allocation's block wastes at most a page. */
		size_t len = (want + 4095) / 4096 * 4096;
		char *p = mmap(NULL, len + HUGE_SIZE, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p != MAP_FAILED) {
			uintptr_t at = ((uintptr_t)p + HUGE_SIZE - 1) & ~(uintptr_t)(HUGE_SIZE - 1);
			size_t head = (size_t)(at - (uintptr_t)p);
			if (head)
				munmap(p, head);
			if (HUGE_SIZE - head)
				munmap((char *)at + len, HUGE_SIZE - head);
#ifdef MADV_HUGEPAGE
			madvise((void *)at, len, MADV_HUGEPAGE);
#endif
			b = (struct arena_block *)at;
			b->size = len - sizeof *b;
			b->mapped = len;
			return b;
		}
	}
#endif
	b = xcalloc(1, want);
	b->size = size;
	b->mapped = 0;
	return b;
}

static void
block_free(struct arena_block *b)
{
#if ARENA_MMAP
	if (b->mapped) {
		munmap(b, b->mapped);
		return;
	}
#endif
	free(b);
}

void
arena_init(struct arena *a)
{
	a->head = NULL;
	a->total = 0;
}

void *
arena_alloc(struct arena *a, size_t n)
{
	/* Nothing in a compilation needs more than 8-byte alignment. */
	const size_t align = 8;
	struct arena_block *b = a->head;
	void *p;

	n = (n + align - 1) / align * align;
	if (!b || b->size - b->used < n) {
		size_t block = a->total < GROW_AT ? BLOCK_SIZE : HUGE_SIZE - sizeof *b;
		bool own = n > block / 2;
		b = block_new(own ? n : block);
		b->used = 0;
		a->total += sizeof *b + b->size;
		/* A large allocation gets a block of its own behind the current
		 * one, so the current block's free space is not wasted. */
		if (own && a->head) {
			b->next = a->head->next;
			a->head->next = b;
		} else {
			b->next = a->head;
			a->head = b;
		}
	}
	/* Blocks are zeroed when made and never reused. */
	p = (char *)b->data + b->used;
	b->used += n;
	return p;
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void
arena_free(struct arena *a)
{
	struct arena_block *b = a->head, *next;
	for (; b; b = next) {
		next = b->next;
		block_free(b);
	}
	a->head = NULL;
	a->total = 0;
}

uint32_t
hash_bytes(const void *p, size_t n, uint32_t seed)
{
	const unsigned char *s = p;
	uint32_t h = 2166136261u ^ seed;
	size_t i;
	for (i = 0; i < n; i++) {
		h ^= s[i];
		h *= 16777619u;
	}
	return h;
}

static uint64_t
mix64(uint64_t h)
{
	h ^= h >> 32;
	h *= 0xD6E8FEB86659FD93u;
	h ^= h >> 32;
	h *= 0xD6E8FEB86659FD93u;
	h ^= h >> 32;
	return h;
}

uint64_t
hash_fast(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 0x9E3779B97F4A7C15u ^ (uint64_t)n, w;
	for (; n >= 8; s += 8, n -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xBF58476D1CE4E5B9u;
		h ^= h >> 31;
	}
	if (n) {
		w = 0;
		memcpy(&w, s, n);
		h = (h ^ w) * 0x94D049BB133111EBu;
	}
	return mix64(h);
}

void
intern_init(struct intern *in, struct arena *a)
{
	in->arena = a;
	in->cap = 1024;
	in->count = 0;
	in->slots = xcalloc(in->cap, sizeof *in->slots);
	in->hashes = xcalloc(in->cap, sizeof *in->hashes);
}

static void
intern_grow(struct intern *in)
{
	size_t cap = in->cap * 2, i;
	const char **slots = xcalloc(cap, sizeof *slots);
	uint32_t *hashes = xcalloc(cap, sizeof *hashes);
	for (i = 0; i < in->cap; i++) {
		size_t j;
		if (!in->slots[i])
			continue;
		for (j = in->hashes[i] & (cap - 1); slots[j]; j = (j + 1) & (cap - 1))
			;
		slots[j] = in->slots[i];
		hashes[j] = in->hashes[i];
	}
	free(in->slots);
	free(in->hashes);
	in->slots = slots;
	in->hashes = hashes;
	in->cap = cap;
}

const char *
intern_str(struct intern *in, const char *s, size_t n)
{
	uint32_t h = (uint32_t)hash_fast(s, n);
	size_t i;

	if (2 * (in->count + 1) > in->cap)
		intern_grow(in);
	for (i = h & (in->cap - 1); in->slots[i]; i = (i + 1) & (in->cap - 1)) {
		if (in->hashes[i] == h && strncmp(in->slots[i], s, n) == 0 &&
		    in->slots[i][n] == '\0')
			return in->slots[i];
	}
	in->slots[i] = arena_strndup(in->arena, s, n);
	in->hashes[i] = h;
	in->count++;
	return in->slots[i];
}

void
intern_free(struct intern *in)
{
	free(in->slots);
	free(in->hashes);
	in->slots = NULL;
	in->hashes = NULL;
	in->cap = in->count = 0;
}
