/* Deep equality of descriptors, naming the first difference. */
#include "desc_equal.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* Where the walk is, for the message: "types[2] (Frame).fields[1] (len)". */
struct where {
	char *why;
	size_t size;
	char path[512];
};

static void
enter(struct where *w, size_t *mark, const char *list, uint32_t i, const char *name)
{
	size_t n = strlen(w->path);
	*mark = n;
	snprintf(w->path + n, sizeof w->path - n, "%s%s[%" PRIu32 "] (%s)", n ? "." : "", list, i,
		 name);
}

static void
leave(struct where *w, size_t mark)
{
	w->path[mark] = '\0';
}

static bool
differ(struct where *w, const char *what, const char *a, const char *b)
{
	snprintf(w->why, w->size, "%s%s%s: %s != %s", w->path, *w->path ? "." : "", what, a, b);
	return false;
}

static bool
same_u64(struct where *w, const char *what, uint64_t a, uint64_t b)
{
	char ta[24], tb[24];
	if (a == b)
		return true;
	snprintf(ta, sizeof ta, "%" PRIu64, a);
	snprintf(tb, sizeof tb, "%" PRIu64, b);
	return differ(w, what, ta, tb);
}

static bool
same_str(struct where *w, const char *what, const char *a, const char *b)
{
	return strcmp(a, b) == 0 || differ(w, what, a, b);
}

static bool
same_hash(struct where *w, const char *what, const chitin_hash128 *a, const chitin_hash128 *b)
{
	char ta[33], tb[33];
	int i;
	if (chitin_hash128_equal(a, b))
		return true;
	for (i = 0; i < 16; i++) {
		snprintf(ta + 2 * i, 3, "%02x", a->bytes[i]);
		snprintf(tb + 2 * i, 3, "%02x", b->bytes[i]);
	}
	return differ(w, what, ta, tb);
}

/* What every item has: its flags and the minor version it came in. */
static bool
same_item(struct where *w, uint32_t fa, uint32_t fb, uint16_t sa, uint16_t sb)
{
	return same_u64(w, "flags", fa, fb) && same_u64(w, "since_minor", sa, sb);
}

static bool
same_type(struct where *w, const struct chitin_desc_type *a, const struct chitin_desc_type *b)
{
	uint32_t k;
	size_t mark;
	if (!same_str(w, "name", a->name, b->name) || !same_u64(w, "kind", a->kind, b->kind) ||
	    !same_item(w, a->flags, b->flags, a->since_minor, b->since_minor) ||
	    !same_hash(w, "type_id", &a->type_id, &b->type_id) ||
	    !same_hash(w, "layout_hash", &a->layout_hash, &b->layout_hash) ||
	    !same_hash(w, "signature_hash", &a->signature_hash, &b->signature_hash) ||
	    !same_u64(w, "size", a->size, b->size) || !same_u64(w, "align", a->align, b->align) ||
	    !same_u64(w, "n_fields", a->n_fields, b->n_fields) ||
	    !same_u64(w, "n_variants", a->n_variants, b->n_variants))
		return false;
	for (k = 0; k < a->n_fields; k++) {
		const struct chitin_desc_field *fa = &a->fields[k], *fb = &b->fields[k];
		enter(w, &mark, "fields", k, fa->name);
		if (!same_str(w, "name", fa->name, fb->name) ||
		    !same_u64(w, "offset", fa->offset, fb->offset) ||
		    !same_u64(w, "size", fa->size, fb->size) ||
		    !same_hash(w, "type_hash", &fa->type_hash, &fb->type_hash) ||
		    !same_item(w, fa->flags, fb->flags, fa->since_minor, fb->since_minor))
			return false;
		leave(w, mark);
	}
	for (k = 0; k < a->n_variants; k++) {
		const struct chitin_desc_variant *va = &a->variants[k], *vb = &b->variants[k];
		enter(w, &mark, "variants", k, va->name);
		if (!same_str(w, "name", va->name, vb->name) ||
		    !same_u64(w, "value", va->value, vb->value) ||
		    !same_hash(w, "payload_hash", &va->payload_hash, &vb->payload_hash) ||
		    !same_item(w, va->flags, vb->flags, va->since_minor, vb->since_minor))
			return false;
		leave(w, mark);
	}
	return true;
}

static bool
same_interface(struct where *w, const struct chitin_desc_interface *a,
	       const struct chitin_desc_interface *b)
{
	uint32_t k;
	size_t mark;
	if (!same_str(w, "name", a->name, b->name) || !same_str(w, "base", a->base, b->base) ||
	    !same_hash(w, "iid", &a->iid, &b->iid) ||
	    !same_item(w, a->flags, b->flags, a->since_minor, b->since_minor) ||
	    !same_u64(w, "n_methods", a->n_methods, b->n_methods))
		return false;
	for (k = 0; k < a->n_methods; k++) {
		const struct chitin_desc_method *ma = &a->methods[k], *mb = &b->methods[k];
		enter(w, &mark, "methods", k, ma->name);
		if (!same_str(w, "name", ma->name, mb->name) ||
		    !same_hash(w, "signature_hash", &ma->signature_hash, &mb->signature_hash) ||
		    !same_item(w, ma->flags, mb->flags, ma->since_minor, mb->since_minor))
			return false;
		leave(w, mark);
	}
	return true;
}

bool
desc_equal(const struct chitin_descriptor *a, const struct chitin_descriptor *b, bool targets,
	   char *why, size_t why_size)
{
	struct where w;
	uint32_t i;
	size_t mark;

	w.why = why;
	w.size = why_size;
	w.path[0] = '\0';
	if (!same_str(&w, "module", a->module, b->module) ||
	    !same_u64(&w, "major", a->major, b->major) || !same_u64(&w, "minor", a->minor, b->minor) ||
	    (targets && !same_str(&w, "targets", a->targets, b->targets)) ||
	    !same_u64(&w, "n_imports", a->n_imports, b->n_imports) ||
	    !same_u64(&w, "n_types", a->n_types, b->n_types) ||
	    !same_u64(&w, "n_interfaces", a->n_interfaces, b->n_interfaces) ||
	    !same_u64(&w, "n_exports", a->n_exports, b->n_exports))
		return false;
	for (i = 0; i < a->n_imports; i++) {
		const struct chitin_desc_import *ia = &a->imports[i], *ib = &b->imports[i];
		enter(&w, &mark, "imports", i, ia->module);
		if (!same_str(&w, "module", ia->module, ib->module) ||
		    !same_u64(&w, "major", ia->major, ib->major) ||
		    !same_u64(&w, "minor", ia->minor, ib->minor))
			return false;
		leave(&w, mark);
	}
	for (i = 0; i < a->n_types; i++) {
		enter(&w, &mark, "types", i, a->types[i].name);
		if (!same_type(&w, &a->types[i], &b->types[i]))
			return false;
		leave(&w, mark);
	}
	for (i = 0; i < a->n_interfaces; i++) {
		enter(&w, &mark, "interfaces", i, a->interfaces[i].name);
		if (!same_interface(&w, &a->interfaces[i], &b->interfaces[i]))
			return false;
		leave(&w, mark);
	}
	for (i = 0; i < a->n_exports; i++) {
		const struct chitin_desc_export *ea = &a->exports[i], *eb = &b->exports[i];
		enter(&w, &mark, "exports", i, ea->name);
		if (!same_str(&w, "name", ea->name, eb->name) ||
		    !same_str(&w, "symbol", ea->symbol, eb->symbol) ||
		    !same_hash(&w, "signature_hash", &ea->signature_hash, &eb->signature_hash) ||
		    !same_item(&w, ea->flags, eb->flags, ea->since_minor, eb->since_minor))
			return false;
		leave(&w, mark);
	}
	if (why_size)
		why[0] = '\0';
	return true;
}
