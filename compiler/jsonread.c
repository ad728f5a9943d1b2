/* The JSON reader: recursive descent with a depth limit. */
#include "jsonread.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_DEPTH = 64 };

struct jp {
	struct arena *a;
	const char *s, *end;
	unsigned line;
	char *err;
	size_t err_size;
	bool failed;
};

static void
fail(struct jp *p, const char *why)
{
	if (!p->failed)
		snprintf(p->err, p->err_size, "line %u: %s", p->line, why);
	p->failed = true;
}

static void
skip_ws(struct jp *p)
{
	while (p->s < p->end && (*p->s == ' ' || *p->s == '\t' || *p->s == '\n' || *p->s == '\r')) {
		if (*p->s == '\n')
			p->line++;
		p->s++;
	}
}

int
json_hex_digit(char c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

/* Appends code point cp as UTF-8. */
static size_t
put_utf8(char *o, uint32_t cp)
{
	if (cp < 0x80) { o[0] = (char)cp; return 1; }
	if (cp < 0x800) { o[0] = (char)(0xC0 | cp >> 6); o[1] = (char)(0x80 | (cp & 0x3F)); return 2; }
	if (cp < 0x10000) {
		o[0] = (char)(0xE0 | cp >> 12); o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (char)(0x80 | (cp & 0x3F)); return 3;
	}
	o[0] = (char)(0xF0 | cp >> 18); o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); o[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

static const char *
parse_string(struct jp *p)
{
	const char *start = ++p->s;   /* past the quote */
	char *out, *o;
	size_t n = 0;
	while (p->s < p->end && *p->s != '"') {
		if ((unsigned char)*p->s < 0x20) {
			fail(p, "control character in a string");
			return NULL;
		}
		if (*p->s == '\\')
			p->s++;
		p->s++;
		n++;
	}
	if (p->s >= p->end) {
		fail(p, "unterminated string");
		return NULL;
	}
	/* each escape shrinks; \uXXXX yields at most 4 bytes for 6 in */
	out = o = arena_alloc(p->a, (size_t)(p->s - start) + 1);
	(void)n;
	for (p->s = start; *p->s != '"'; ) {
		char c = *p->s++;
		if (c != '\\') {
			*o++ = c;
			continue;
		}
		c = *p->s++;
		switch (c) {
		case '"': case '\\': case '/': *o++ = c; break;
		case 'b': *o++ = '\b'; break;
		case 'f': *o++ = '\f'; break;
		case 'n': *o++ = '\n'; break;
		case 'r': *o++ = '\r'; break;
		case 't': *o++ = '\t'; break;
		case 'u': {
			uint32_t cp = 0;
			int k;
			for (k = 0; k < 4; k++) {
				int h = p->s + k < p->end ? json_hex_digit(p->s[k]) : -1;
				if (h < 0) {
					fail(p, "bad \\u escape");
					return NULL;
				}
				cp = cp << 4 | (uint32_t)h;
			}
			p->s += 4;
			if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF)) {
				fail(p, "unsupported \\u escape (NUL or surrogate)");
				return NULL;
			}
			o += put_utf8(o, cp);
			break;
		}
		default:
			fail(p, "unknown escape in a string");
			return NULL;
		}
	}
	p->s++;
	*o = '\0';
	return out;
}

static bool parse_value(struct jp *p, struct jv *v, unsigned depth);

/* Collects the items of an array or object into arena arrays: values are
 * parsed into a growing malloc'd buffer first, then copied. */
static bool
parse_list(struct jp *p, struct jv *v, bool object, unsigned depth)
{
	struct jv *items = NULL;
	const char **keys = NULL;
	uint32_t n = 0, cap = 0, cap_keys = 0;
	char close = object ? '}' : ']';
	p->s++;
	skip_ws(p);
	if (p->s < p->end && *p->s == close) {
		p->s++;
		v->n = 0;
		return true;
	}
	for (;;) {
		skip_ws(p);
		if (object) {
			const char *key;
			if (p->s >= p->end || *p->s != '"') {
				fail(p, "expected a key");
				break;
			}
			key = parse_string(p);
			if (!key)
				break;
			skip_ws(p);
			if (p->s >= p->end || *p->s != ':') {
				fail(p, "expected ':'");
				break;
			}
			p->s++;
			VEC_PUSH(keys, n, cap_keys) = key;
			n--;
		}
		VEC_GROW(items, n, cap);
		if (!parse_value(p, &items[n], depth + 1))
			break;
		n++;
		skip_ws(p);
		if (p->s < p->end && *p->s == ',') {
			p->s++;
			continue;
		}
		if (p->s < p->end && *p->s == close) {
			p->s++;
			v->n = n;
			v->items = arena_alloc(p->a, (n ? n : 1) * sizeof *v->items);
			memcpy(v->items, items, n * sizeof *items);
			if (object) {
				v->keys = arena_alloc(p->a, (n ? n : 1) * sizeof *v->keys);
				memcpy(v->keys, keys, n * sizeof *keys);
			}
			free(items);
			free(keys);
			return true;
		}
		fail(p, object ? "expected ',' or '}'" : "expected ',' or ']'");
		break;
	}
	free(items);
	free(keys);
	return false;
}

static bool
parse_value(struct jp *p, struct jv *v, unsigned depth)
{
	memset(v, 0, sizeof *v);
	if (depth > MAX_DEPTH) {
		fail(p, "nested too deeply");
		return false;
	}
	skip_ws(p);
	if (p->s >= p->end) {
		fail(p, "unexpected end of input");
		return false;
	}
	switch (*p->s) {
	case '{':
		v->kind = JV_OBJECT;
		return parse_list(p, v, true, depth);
	case '[':
		v->kind = JV_ARRAY;
		return parse_list(p, v, false, depth);
	case '"':
		v->kind = JV_STRING;
		v->str = parse_string(p);
		return v->str != NULL;
	default:
		break;
	}
	if (p->end - p->s >= 4 && memcmp(p->s, "null", 4) == 0) {
		p->s += 4;
		v->kind = JV_NULL;
		return true;
	}
	if (p->end - p->s >= 4 && memcmp(p->s, "true", 4) == 0) {
		p->s += 4;
		v->kind = JV_BOOL;
		v->truth = true;
		return true;
	}
	if (p->end - p->s >= 5 && memcmp(p->s, "false", 5) == 0) {
		p->s += 5;
		v->kind = JV_BOOL;
		return true;
	}
	if (*p->s == '-' || (*p->s >= '0' && *p->s <= '9')) {
		uint64_t mag = 0;
		bool any = false;
		v->kind = JV_INT;
		if (*p->s == '-') {
			v->negative = true;
			p->s++;
		}
		while (p->s < p->end && *p->s >= '0' && *p->s <= '9') {
			unsigned dgt = (unsigned)(*p->s - '0');
			if (mag > (UINT64_MAX - dgt) / 10) {
				fail(p, "integer too large");
				return false;
			}
			mag = mag * 10 + dgt;
			any = true;
			p->s++;
		}
		if (!any || (p->s < p->end && (*p->s == '.' || *p->s == 'e' || *p->s == 'E'))) {
			fail(p, "expected an integer");
			return false;
		}
		v->magnitude = mag;
		return true;
	}
	fail(p, "unexpected character");
	return false;
}

struct jv *
json_parse(struct arena *a, const char *text, size_t len, char *err, size_t err_size)
{
	struct jp p;
	struct jv *root = arena_alloc(a, sizeof *root);
	memset(&p, 0, sizeof p);
	p.a = a;
	p.s = text;
	p.end = text + len;
	p.line = 1;
	p.err = err;
	p.err_size = err_size;
	if (!parse_value(&p, root, 0))
		return NULL;
	skip_ws(&p);
	if (p.s != p.end) {
		fail(&p, "text after the document");
		return NULL;
	}
	return root;
}

const struct jv *
jv_get(const struct jv *o, const char *key)
{
	uint32_t i;
	if (!o || o->kind != JV_OBJECT)
		return NULL;
	for (i = 0; i < o->n; i++)
		if (strcmp(o->keys[i], key) == 0)
			return &o->items[i];
	return NULL;
}
