/* `chitin inspect`: finds a binary's descriptor sections, walks each to
 * its blobs (doc/descriptor.md 7), decodes them with the bounds-checked
 * reader, and lists them or compares them with a JSON descriptor.  The
 * blobs may be hostile: their strings are written escaped, whatever the
 * bytes. */
#include "inspect.h"

#include "describe.h"
#include "model.h"
#include "objfile.h"

#include <chitin/descriptor.h>

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A decoded blob and where it was. */
struct blob {
	const struct obj_section *section;
	size_t offset;                /* from the start of the file */
	size_t size;
	struct chitin_descriptor d;
	void *scratch;                /* d's arrays */
};

struct inspection {
	const struct insp_options *o;
	struct outbuf *out, *err;
	struct obj_file file;
	struct blob *blobs;
	uint32_t n_blobs, cap_blobs;
	int status;
};

static void error(struct inspection *in, const char *fmt, ...) DIAG_PRINTF(2, 3);

static void
error(struct inspection *in, const char *fmt, ...)
{
	va_list ap;
	char buf[512];
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	ob_printf(in->err, "%s: error: %s\n", in->o->file_name, buf);
	in->status = 1;
}

/* ---- reading ------------------------------------------------------------------ */

/* Decodes the blobs of section s, keeping those that decode. */
static void
read_section(struct inspection *in, const struct obj_section *s)
{
	size_t at = 0, size = 0, need = 0;
	enum chitin_desc_status st = CHITIN_DESC_OK;
	uint32_t found = 0;

	while (obj_next_blob(s->data, s->size, &at, &size, &st)) {
		struct blob b;
		if (st != CHITIN_DESC_OK) {
			/* without a size there is no next blob to go on to */
			error(in, "section %s: at offset 0x%zx, where a descriptor must start: %s",
			      s->name, s->offset + at, chitin_desc_status_text(st));
			return;
		}
		memset(&b, 0, sizeof b);
		b.section = s;
		b.offset = s->offset + at;
		b.size = size;
		st = chitin_desc_decode(s->data + at, size, NULL, 0, &b.d, &need);
		if (st == CHITIN_DESC_SCRATCH_TOO_SMALL) {
			b.scratch = xmalloc(need ? need : 1);
			st = chitin_desc_decode(s->data + at, size, b.scratch, need, &b.d, NULL);
		}
		if (st != CHITIN_DESC_OK) {
			error(in, "section %s: the descriptor at offset 0x%zx (%zu bytes) is %s",
			      s->name, b.offset, size, chitin_desc_status_text(st));
			free(b.scratch);
		} else {
			VEC_PUSH(in->blobs, in->n_blobs, in->cap_blobs) = b;
		}
		found++;
		at += size;
	}
	if (!found)
		error(in, "section %s at offset 0x%zx holds no descriptor (%zu zero bytes)",
		      s->name, s->offset, s->size);
}

/* ---- text --------------------------------------------------------------------- */

/* Appends s, a string of a descriptor, as its UTF-8 where it is valid and
 * printable: other bytes as \xNN in text, and in JSON (quoted) as
 * U+FFFD, or \u00NN for control characters. */
static void
put_str(struct outbuf *out, const char *s, bool json)
{
	const unsigned char *p = (const unsigned char *)s;
	if (json)
		ob_putc(out, '"');
	while (*p) {
		unsigned c = *p;
		size_t n = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3
			   : (c & 0xf8) == 0xf0 ? 4 : 0;
		size_t i;
		uint32_t cp = n == 1 ? c : n == 2 ? c & 0x1f : n == 3 ? c & 0x0f : c & 0x07;
		for (i = 1; i < n; i++) {
			if ((p[i] & 0xc0) != 0x80)
				break;
			cp = cp << 6 | (p[i] & 0x3fu);
		}
		/* valid: complete, shortest form, a scalar value */
		if (n && i == n &&
		    !(n == 2 && cp < 0x80) && !(n == 3 && cp < 0x800) && !(n == 4 && cp < 0x10000) &&
		    cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff) && cp >= 0x20 && cp != 0x7f) {
			if (json && (c == '"' || c == '\\'))
				ob_putc(out, '\\');
			ob_put(out, (const char *)p, n);
			p += n;
			continue;
		}
		if (!json)
			ob_printf(out, "\\x%02x", c);
		else if (c < 0x20 || c == 0x7f)
			ob_printf(out, "\\u%04x", c);
		else
			ob_puts(out, "\\ufffd");
		p++;
	}
	if (json)
		ob_putc(out, '"');
}

static void
put_uuid(struct outbuf *out, const chitin_hash128 *h)
{
	char text[CHITIN_UUID_TEXT_SIZE];
	chitin_hash128_to_uuid(h, text);
	ob_puts(out, text);
}

static void
put_hex(struct outbuf *out, const chitin_hash128 *h)
{
	char text[CHITIN_HEX128_TEXT_SIZE];
	chitin_hash128_to_hex(h, text);
	ob_puts(out, text);
}

static bool
is_zero(const chitin_hash128 *h)
{
	static const chitin_hash128 zero;
	return chitin_hash128_equal(h, &zero);
}

/* The flag bits with a meaning, on any item. */
#define KNOWN_FLAGS (CHITIN_DESC_SINCE | CHITIN_DESC_RESILIENT | CHITIN_DESC_BASE | \
		     CHITIN_DESC_THREADSAFE | CHITIN_DESC_PAYLOAD | CHITIN_DESC_SIGNED)

/* The flags an item's line or object names, but SINCE (with its version)
 * and PAYLOAD (which a variant says its own way): the word in text,
 * the key in JSON (those of `chitin gen --json`). */
static const struct {
	uint32_t bit;
	const char *word, *key;
} flag_names[] = {
	{ CHITIN_DESC_RESILIENT, "resilient", "resilient" },
	{ CHITIN_DESC_SIGNED, "signed", "signed" },
	{ CHITIN_DESC_BASE, "base", "is_base" },
	{ CHITIN_DESC_THREADSAFE, "threadsafe", "threadsafe" },
};

/* An item's flags: " [resilient] [since 1.1] [flags 0x40]" in text,
 * ", \"resilient\": true, \"since\": \"1.1\", \"other_flags\": 64" in JSON. */
static void
put_flags(struct outbuf *out, const struct chitin_descriptor *d, uint32_t flags, uint16_t since,
	  bool json)
{
	uint32_t other = flags & ~(uint32_t)KNOWN_FLAGS;
	size_t i;
	for (i = 0; i < sizeof flag_names / sizeof flag_names[0]; i++)
		if (flags & flag_names[i].bit)
			ob_printf(out, json ? ", \"%s\": true" : " [%s]",
				  json ? flag_names[i].key : flag_names[i].word);
	if (flags & CHITIN_DESC_SINCE)
		ob_printf(out, json ? ", \"since\": \"%u.%u\"" : " [since %u.%u]", d->major, since);
	if (other && json)
		ob_printf(out, ", \"other_flags\": %" PRIu32, other);
	else if (other)
		ob_printf(out, " [flags 0x%" PRIx32 "]", other);
}

static const char *
kind_name(enum chitin_desc_kind k)
{
	return named_kind_names[k];   /* the decoder checked 1 to 6 */
}

/* A variant's value: signed types' are their two's complement. */
static void
put_value(struct outbuf *out, const struct chitin_desc_type *t, uint64_t v)
{
	if (t->flags & CHITIN_DESC_SIGNED)
		ob_printf(out, "%" PRId64, (int64_t)v);
	else
		ob_u64(out, v);
}

static void
text_type(struct outbuf *out, const struct chitin_descriptor *d, const struct chitin_desc_type *t)
{
	uint32_t i;
	ob_printf(out, "    %s ", kind_name(t->kind));
	put_str(out, t->name, false);
	ob_printf(out, ": size %" PRIu64 ", align %" PRIu32, t->size, t->align);
	put_flags(out, d, t->flags, t->since_minor, false);
	ob_puts(out, "\n      type id ");
	put_uuid(out, &t->type_id);
	ob_puts(out, ", layout hash ");
	put_hex(out, &t->layout_hash);
	if (!is_zero(&t->signature_hash)) {
		ob_puts(out, ", signature hash ");
		put_hex(out, &t->signature_hash);
	}
	ob_putc(out, '\n');
	for (i = 0; i < t->n_fields; i++) {
		const struct chitin_desc_field *f = &t->fields[i];
		ob_puts(out, "      field ");
		put_str(out, f->name, false);
		ob_printf(out, ": offset %" PRIu64 ", size %" PRIu64, f->offset, f->size);
		put_flags(out, d, f->flags, f->since_minor, false);
		ob_putc(out, '\n');
	}
	for (i = 0; i < t->n_variants; i++) {
		const struct chitin_desc_variant *v = &t->variants[i];
		ob_puts(out, t->kind == CHITIN_DESC_ENUM ? "      value " : "      variant ");
		put_str(out, v->name, false);
		ob_puts(out, " = ");
		put_value(out, t, v->value);
		if (v->flags & CHITIN_DESC_PAYLOAD)
			ob_puts(out, ", with a payload");
		put_flags(out, d, v->flags & ~(uint32_t)CHITIN_DESC_PAYLOAD, v->since_minor, false);
		ob_putc(out, '\n');
	}
}

static void
text_descriptor(struct outbuf *out, const struct blob *b)
{
	const struct chitin_descriptor *d = &b->d;
	uint32_t i, j;

	ob_puts(out, "\nmodule ");
	put_str(out, d->module, false);
	ob_printf(out, " %u.%u: %zu bytes at offset 0x%zx, format %u\n", d->major, d->minor, b->size,
		  b->offset, d->format);
	ob_puts(out, "  targets: ");
	put_str(out, d->targets, false);
	ob_putc(out, '\n');
	if (d->n_imports) {
		ob_puts(out, "  imports:\n");
		for (i = 0; i < d->n_imports; i++) {
			ob_puts(out, "    ");
			put_str(out, d->imports[i].module, false);
			ob_printf(out, " %u.%u\n", d->imports[i].major, d->imports[i].minor);
		}
	}
	if (d->n_types) {
		ob_puts(out, "  types:\n");
		for (i = 0; i < d->n_types; i++)
			text_type(out, d, &d->types[i]);
	}
	if (d->n_interfaces) {
		ob_puts(out, "  interfaces:\n");
		for (i = 0; i < d->n_interfaces; i++) {
			const struct chitin_desc_interface *it = &d->interfaces[i];
			ob_puts(out, "    ");
			put_str(out, it->name, false);
			ob_puts(out, ": base ");
			put_str(out, it->base, false);
			put_flags(out, d, it->flags, it->since_minor, false);
			ob_puts(out, "\n      iid ");
			put_uuid(out, &it->iid);
			ob_putc(out, '\n');
			for (j = 0; j < it->n_methods; j++) {
				ob_printf(out, "      slot %" PRIu32 ": ", j);
				put_str(out, it->methods[j].name, false);
				put_flags(out, d, it->methods[j].flags, it->methods[j].since_minor, false);
				ob_putc(out, '\n');
			}
		}
	}
	if (d->n_exports) {
		ob_puts(out, "  exports:\n");
		for (i = 0; i < d->n_exports; i++) {
			const struct chitin_desc_export *e = &d->exports[i];
			ob_printf(out, "    %" PRIu32 ": ", i);
			put_str(out, e->name, false);
			ob_puts(out, ", symbol ");
			put_str(out, e->symbol, false);
			put_flags(out, d, e->flags, e->since_minor, false);
			ob_putc(out, '\n');
		}
	}
}

static void
text_listing(struct inspection *in)
{
	struct outbuf *out = in->out;
	const struct obj_section *last = NULL;
	uint32_t i;

	put_str(out, in->o->file_name, false);
	ob_printf(out, ": %s\n", in->file.format);
	for (i = 0; i < in->n_blobs; i++) {
		const struct blob *b = &in->blobs[i];
		if (b->section != last) {
			const struct obj_section *s = b->section;
			uint32_t n = 0, k;
			for (k = i; k < in->n_blobs && in->blobs[k].section == s; k++)
				n++;
			ob_printf(out, "\nsection %s", s->name);
			/* inside an architecture or an archive member */
			if (strcmp(s->container, in->file.format) != 0)
				ob_printf(out, " of %s", s->container);
			ob_printf(out, ": %zu bytes at offset 0x%zx, %" PRIu32 " descriptor%s\n",
				  s->size, s->offset, n, n == 1 ? "" : "s");
			last = s;
		}
		text_descriptor(out, b);
	}
}

/* ---- JSON (doc/descriptor.md 13) ---------------------------------------------- */

static void
json_key(struct outbuf *out, const char *key)
{
	ob_printf(out, ", \"%s\": ", key);
}

static void
json_str(struct outbuf *out, const char *key, const char *s)
{
	json_key(out, key);
	put_str(out, s, true);
}

static void
json_hash(struct outbuf *out, const char *key, const chitin_hash128 *h, bool uuid)
{
	json_key(out, key);
	ob_putc(out, '"');
	if (uuid)
		put_uuid(out, h);
	else
		put_hex(out, h);
	ob_putc(out, '"');
}

static void
json_u64(struct outbuf *out, const char *key, uint64_t v)
{
	json_key(out, key);
	ob_u64(out, v);
}

/* "targets": the names of the space-separated list, as an array. */
static void
json_targets(struct outbuf *out, const char *list)
{
	const char *p = list;
	bool first = true;
	ob_puts(out, ", \"targets\": [");
	while (*p) {
		size_t n = strcspn(p, " ");
		if (n) {
			char *name = xmalloc(n + 1);
			memcpy(name, p, n);
			name[n] = '\0';
			ob_puts(out, first ? "" : ", ");
			put_str(out, name, true);
			free(name);
			first = false;
		}
		p += n + (p[n] == ' ');
	}
	ob_putc(out, ']');
}

static void
json_type(struct outbuf *out, const struct chitin_descriptor *d, const struct chitin_desc_type *t)
{
	uint32_t i;
	ob_puts(out, "{\"name\": ");
	put_str(out, t->name, true);
	json_str(out, "kind", kind_name(t->kind));
	put_flags(out, d, t->flags, t->since_minor, true);
	json_hash(out, "typeid", &t->type_id, true);
	json_u64(out, "size", t->size);
	json_u64(out, "align", t->align);
	json_hash(out, "layout_hash", &t->layout_hash, false);
	if (!is_zero(&t->signature_hash))
		json_hash(out, "signature_hash", &t->signature_hash, false);
	ob_puts(out, ", \"fields\": [");
	for (i = 0; i < t->n_fields; i++) {
		const struct chitin_desc_field *f = &t->fields[i];
		ob_puts(out, i ? ", {\"name\": " : "{\"name\": ");
		put_str(out, f->name, true);
		json_u64(out, "offset", f->offset);
		json_u64(out, "size", f->size);
		if (!is_zero(&f->type_hash))   /* a data enum's payload has none */
			json_hash(out, "type_hash", &f->type_hash, false);
		put_flags(out, d, f->flags, f->since_minor, true);
		ob_putc(out, '}');
	}
	ob_puts(out, "], \"variants\": [");
	for (i = 0; i < t->n_variants; i++) {
		const struct chitin_desc_variant *v = &t->variants[i];
		ob_puts(out, i ? ", {\"name\": " : "{\"name\": ");
		put_str(out, v->name, true);
		json_key(out, "value");
		put_value(out, t, v->value);
		if (v->flags & CHITIN_DESC_PAYLOAD)
			json_hash(out, "payload_hash", &v->payload_hash, false);
		put_flags(out, d, v->flags & ~(uint32_t)CHITIN_DESC_PAYLOAD, v->since_minor, true);
		ob_putc(out, '}');
	}
	ob_puts(out, "]}");
}

static void
json_descriptor(struct outbuf *out, const struct blob *b)
{
	const struct chitin_descriptor *d = &b->d;
	uint32_t i, j;

	ob_puts(out, "    {\"section\": ");
	put_str(out, b->section->name, true);
	json_str(out, "container", b->section->container);
	json_u64(out, "offset", b->offset);
	json_u64(out, "size", b->size);
	json_u64(out, "format", d->format);
	json_str(out, "module", d->module);
	ob_printf(out, ", \"version\": \"%u.%u\"", d->major, d->minor);
	json_targets(out, d->targets);
	ob_puts(out, ",\n     \"imports\": [");
	for (i = 0; i < d->n_imports; i++) {
		ob_puts(out, i ? ", {\"module\": " : "{\"module\": ");
		put_str(out, d->imports[i].module, true);
		ob_printf(out, ", \"version\": \"%u.%u\"}", d->imports[i].major, d->imports[i].minor);
	}
	ob_puts(out, "],\n     \"types\": [");
	for (i = 0; i < d->n_types; i++) {
		ob_puts(out, i ? ",\n       " : "\n       ");
		json_type(out, d, &d->types[i]);
	}
	ob_puts(out, "],\n     \"interfaces\": [");
	for (i = 0; i < d->n_interfaces; i++) {
		const struct chitin_desc_interface *it = &d->interfaces[i];
		ob_puts(out, i ? ",\n       {\"name\": " : "\n       {\"name\": ");
		put_str(out, it->name, true);
		json_hash(out, "iid", &it->iid, true);
		json_str(out, "base", it->base);
		put_flags(out, d, it->flags, it->since_minor, true);
		ob_puts(out, ", \"slots\": [");
		for (j = 0; j < it->n_methods; j++) {
			const struct chitin_desc_method *m = &it->methods[j];
			ob_puts(out, j ? ", {\"name\": " : "{\"name\": ");
			put_str(out, m->name, true);
			json_hash(out, "signature_hash", &m->signature_hash, false);
			put_flags(out, d, m->flags, m->since_minor, true);
			ob_putc(out, '}');
		}
		ob_puts(out, "]}");
	}
	ob_puts(out, "],\n     \"exports\": [");
	for (i = 0; i < d->n_exports; i++) {
		const struct chitin_desc_export *e = &d->exports[i];
		ob_puts(out, i ? ",\n       {\"name\": " : "\n       {\"name\": ");
		put_str(out, e->name, true);
		json_str(out, "symbol", e->symbol);
		json_hash(out, "signature_hash", &e->signature_hash, false);
		put_flags(out, d, e->flags, e->since_minor, true);
		ob_putc(out, '}');
	}
	ob_puts(out, "]}");
}

static void
json_listing(struct inspection *in)
{
	struct outbuf *out = in->out;
	uint32_t i;
	ob_puts(out, "{\n  \"file\": ");
	put_str(out, in->o->file_name, true);
	json_str(out, "file_format", in->file.format);
	ob_puts(out, ",\n  \"descriptors\": [");
	for (i = 0; i < in->n_blobs; i++) {
		ob_puts(out, i ? ",\n" : "\n");
		json_descriptor(out, &in->blobs[i]);
	}
	ob_puts(out, in->n_blobs ? "\n  ]\n}\n" : "]\n}\n");
}

/* ---- --against ---------------------------------------------------------------- */

/* Compares every descriptor of the JSON document's module with the JSON
 * one on each of its targets, the JSON one as the host's. */
static void
against(struct inspection *in)
{
	const struct insp_options *o = in->o;
	const struct jv *module = jv_get(o->against, "module");
	struct outbuf report, last, one;
	uint32_t i, n_problems = 0, n_compared = 0;
	char err[256];

	if (!module || module->kind != JV_STRING) {
		ob_printf(in->err, "%s: error: not a JSON descriptor: module: expected a string\n",
			  o->against_name);
		in->status = 1;
		return;
	}
	ob_init(&report);
	ob_init(&last);
	ob_init(&one);
	for (i = 0; i < in->n_blobs && in->status == 0; i++) {
		const struct chitin_descriptor *plugin = &in->blobs[i].d;
		const char *p = plugin->targets;
		uint32_t n_targets = 0;
		if (strcmp(plugin->module, module->str) != 0)
			continue;
		n_compared++;
		while (*p && in->status == 0) {
			size_t n = strcspn(p, " ");
			char *target;
			struct chitin_descriptor host;
			struct chitin_desc_report r;
			uint32_t found;
			if (n == 0) {
				p++;
				continue;
			}
			target = arena_strndup(o->arena, p, n);
			p += n + (p[n] == ' ');
			n_targets++;
			if (!desc_from_json(&host, o->arena, o->against, target, err, sizeof err)) {
				ob_printf(in->err, "%s: error: not a JSON descriptor: %s\n", o->against_name, err);
				in->status = 1;
				break;
			}
			/* the loader's check, with the minor version it
			 * requires by default (doc/abi.md 8.5) */
			found = desc_compare(&host, plugin, 0, &r);
			n_problems += found;
			one.len = 0;
			if (found)
				desc_put_report(&one, &r, "  ");
			desc_put_target_report(&report, &last, target, &one);
		}
		if (n_targets == 0 && in->status == 0)
			error(in, "the descriptor at offset 0x%zx names no target to compare on",
			      in->blobs[i].offset);
	}
	if (in->status == 0 && n_compared == 0) {
		error(in, "no descriptor of module '%s', which %s describes", module->str, o->against_name);
	} else if (in->status == 0 && n_problems) {
		ob_printf(in->err, "chitin: %s is not compatible with %s:\n%s", o->file_name,
			  o->against_name, report.data);
		in->status = 1;
	} else if (in->status == 0) {
		ob_printf(in->out, "%s is compatible with %s\n", o->file_name, o->against_name);
	}
	ob_free(&report);
	ob_free(&last);
	ob_free(&one);
}

int
insp_file(const uint8_t *file, size_t len, const struct insp_options *o, struct outbuf *out,
	  struct outbuf *err)
{
	struct inspection in;
	char why[OBJ_TEXT + 128];
	uint32_t i;

	memset(&in, 0, sizeof in);
	in.o = o;
	in.out = out;
	in.err = err;
	if (!obj_read(file, len, &in.file, why, sizeof why)) {
		error(&in, "%s", why);
	} else if (in.file.n_sections == 0) {
		error(&in, "no chitin descriptor: %s %s", in.file.format,
		      strncmp(in.file.format, "ar ", 3) == 0 ? "whose members have no descriptor section"
		      : strncmp(in.file.format, "Mach-O", 6) == 0 ? "without a section __DATA,__chitin"
		      : "without a section .chitin");
	} else {
		for (i = 0; i < in.file.n_sections; i++)
			read_section(&in, &in.file.sections[i]);
		if (o->against)
			against(&in);
		else if (o->json)
			json_listing(&in);
		else
			text_listing(&in);
	}
	for (i = 0; i < in.n_blobs; i++)
		free(in.blobs[i].scratch);
	free(in.blobs);
	obj_free(&in.file);
	return in.status;
}
