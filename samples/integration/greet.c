/* greet.c: the C program of the build-integration samples (doc/build.md).
 * It implements greeter's interface Greeter, calls it through the
 * generated helper and prints the greeting, which libchitin made. */
#include "greeter.h"

#include <chitin/descriptor.h>
#include <chitin/runtime.h>

#include <stdint.h>
#include <stdio.h>

/* A Greeter with one part and no state: a static object, whose retain
 * and release have nothing to count. */
static const chitin_query_entry greeter_parts[] = {
	{ greeter_Greeter_IID, 0 },
};

static chitin_object *CHITIN_CALL
greeter_query(chitin_object *self, const chitin_typeid *iid)
{
	return chitin_query_table(self, iid, greeter_parts, 1);
}

static void CHITIN_CALL
greeter_retain(chitin_object *self)
{
	(void)self;
}

static void CHITIN_CALL
greeter_release(chitin_object *self)
{
	(void)self;
}

static chitin_status CHITIN_CALL
greeter_greet(greeter_Greeter *self, names_Name who, chitin_string *ret)
{
	char text[128];
	int n = snprintf(text, sizeof text, "%s, %.*s.", who.formal ? "Good day" : "Hello",
			 (int)who.first.len, (const char *)who.first.ptr);
	(void)self;
	if (n < 0 || (size_t)n >= sizeof text)
		return CHITIN_INVALID_ARG;
	return chitin_string_from(text, (size_t)n, ret);
}

static const greeter_Greeter_vtbl greeter_vtbl = {
	CHITIN_VTABLE_HEADER(greeter_Greeter, greeter_query, greeter_retain, greeter_release),
	greeter_greet,
};

static greeter_Greeter the_greeter = { &greeter_vtbl };

int
main(int argc, char **argv)
{
	names_Name who = { chitin_str_from_cstr(argc > 1 ? argv[1] : "world"), argc > 2 };
	chitin_string greeting;
	chitin_status st = greeter_Greeter_greet(&the_greeter, who, &greeting);
	size_t size = 0;

	if (st != CHITIN_OK) {
		fprintf(stderr, "greet: %s\n", chitin_status_text(st));
		return 1;
	}
	printf("%.*s\n", (int)greeting.len, (const char *)greeting.ptr);
	chitin_string_release(&greeting);

	/* greeter_desc.c, compiled in, holds the module's descriptor: what a
	 * host compares its plugins with */
	if (chitin_desc_probe(greeter_descriptor(), SIZE_MAX, &size) != CHITIN_DESC_OK) {
		fprintf(stderr, "greet: greeter's descriptor is invalid\n");
		return 1;
	}
	printf("greeter's descriptor: %zu bytes\n", size);
	return 0;
}
