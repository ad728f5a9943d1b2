/* Validation of attribute lists against the attribute table. */
#include "attrs.h"

#include <chitin/hash.h>

#include <string.h>

struct attr_info {
	const char *name;
	enum attr_arg_kind arg;
	bool optional;
	unsigned places;
};

static const struct attr_info attr_table[ATTR_COUNT] = {
#define X(k, name, arg, optional, places) { name, arg, optional, places },
	ATTRS(X)
#undef X
};

static const char *const place_names[] = {
	"module", "constant", "struct", "union", "enum", "callback",
	"interface", "export", "field", "enum value or variant", "method",
	"parameter",
};

static const char *const place_plurals[] = {
	"modules", "constants", "structs", "unions", "enums", "callbacks",
	"interfaces", "exports", "fields", "enum values and variants", "methods",
	"parameters",
};

const char *
attrs_place_name(enum attr_place place)
{
	unsigned i;
	for (i = 0; i < sizeof place_names / sizeof *place_names; i++)
		if (place == 1u << i)
			return place_names[i];
	return "item";
}

/* "structs and unions", "constants, structs, ... and methods" */
static void
places_text(unsigned places, char *buf, size_t size)
{
	unsigned i, n = 0, total = 0;
	size_t o = 0;
	if (places == (AT_DECLS | AT_FIELD | AT_VARIANT | AT_METHOD)) {
		snprintf(buf, size, "declarations, fields, enum values, variants and methods");
		return;
	}
	for (i = 0; i < sizeof place_names / sizeof *place_names; i++)
		if (places & (1u << i))
			total++;
	buf[0] = '\0';
	for (i = 0; i < sizeof place_names / sizeof *place_names; i++) {
		if (!(places & (1u << i)))
			continue;
		n++;
		o += (size_t)snprintf(buf + o, o < size ? size - o : 0, "%s%s",
				      n == 1 ? "" : n == total ? " and " : ", ",
				      place_plurals[i]);
	}
}

static const char *
arg_text(enum attr_arg_kind k)
{
	switch (k) {
	case ARG_NONE: return "no argument";
	case ARG_INT: return "an integer";
	case ARG_VERSION: return "a version (MAJOR.MINOR)";
	case ARG_STRING: return "a string";
	case ARG_UUID: return "a uuid";
	case ARG_IDENT: return "a name";
	}
	return "an argument";
}

static const char *
example(enum attr_kind k)
{
	switch (k) {
	case ATTR_VERSION: return "[version(1.0)]";
	case ATTR_UUID: return "[uuid(6f1c2a4e-9b1d-4c55-8f00-5a1e0c9d7b21)]";
	case ATTR_SINCE: return "[since(1.1)]";
	case ATTR_DEPRECATED: return "[deprecated(\"use X instead\")]";
	case ATTR_SYMBOL: return "[symbol(\"my_function\")]";
	case ATTR_ALIGN: return "[align(16)]";
	default: return NULL;
	}
}

bool
attrs_check(struct diag *d, const struct ast_attr *list, enum attr_place place,
	    const char *what, struct attr_set *out)
{
	bool ok = true;
	const struct ast_attr *a;

	memset(out, 0, sizeof *out);
	for (a = list; a; a = a->next) {
		int k;
		const struct attr_info *info;
		for (k = 0; k < ATTR_COUNT; k++)
			if (strcmp(attr_table[k].name, a->name) == 0)
				break;
		if (k == ATTR_COUNT) {
			diag_error(d, a->name_loc, "unknown attribute '%s'", a->name);
			ok = false;
			continue;
		}
		info = &attr_table[k];
		if (!(info->places & place)) {
			char buf[160];
			places_text(info->places, buf, sizeof buf);
			diag_error(d, a->name_loc,
				   "attribute '%s' does not apply to %s; it applies only to %s",
				   a->name, what, buf);
			ok = false;
			continue;
		}
		if (a->arg_kind != info->arg &&
		    !(a->arg_kind == ARG_NONE && info->optional)) {
			const char *ex = example((enum attr_kind)k);
			if (info->arg == ARG_NONE)
				diag_error(d, a->arg_loc, "attribute '%s' takes no argument",
					   a->name);
			else if (a->arg_kind == ARG_NONE)
				diag_error(d, a->loc, "attribute '%s' needs %s%s%s", a->name,
					   arg_text(info->arg), ex ? ", as in " : "", ex ? ex : "");
			else
				diag_error(d, a->arg_loc, "attribute '%s' takes %s, not %s%s%s",
					   a->name, arg_text(info->arg), arg_text(a->arg_kind),
					   ex ? ", as in " : "", ex ? ex : "");
			ok = false;
			continue;
		}
		if (out->by_kind[k]) {
			diag_error(d, a->name_loc, "attribute '%s' is given twice", a->name);
			diag_note(d, out->by_kind[k]->name_loc, "first given here");
			ok = false;
			continue;
		}
		out->by_kind[k] = a;
	}
	/* Directions exclude each other. */
	{
		const struct ast_attr *dirs[3] = { out->by_kind[ATTR_IN],
			out->by_kind[ATTR_OUT], out->by_kind[ATTR_INOUT] };
		int i, first = -1;
		for (i = 0; i < 3; i++) {
			if (!dirs[i])
				continue;
			if (first < 0) {
				first = i;
				continue;
			}
			diag_error(d, dirs[i]->name_loc,
				   "a parameter has one direction; '%s' conflicts with '%s'",
				   dirs[i]->name, dirs[first]->name);
			out->by_kind[ATTR_IN + i] = NULL;
			ok = false;
		}
	}
	return ok;
}

bool
attrs_parse_uuid(const char *text, uint8_t out[16])
{
	chitin_hash128 h;
	if (!chitin_hash128_from_uuid(text, strlen(text), &h))
		return false;
	memcpy(out, h.bytes, 16);
	return true;
}
