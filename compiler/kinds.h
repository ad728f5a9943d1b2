/* The kinds of top-level declaration, shared by the syntax tree and the
 * checked model (neither includes the other). */
#ifndef CHITIN_KINDS_H
#define CHITIN_KINDS_H

/* One list, so the enum and the names used in messages cannot drift. */
#define DECL_KINDS(X)                     \
	X(DECL_CONST, "constant")         \
	X(DECL_STRUCT, "struct")          \
	X(DECL_UNION, "union")            \
	X(DECL_ENUM, "enum")              \
	X(DECL_CALLBACK, "callback")      \
	X(DECL_INTERFACE, "interface")    \
	X(DECL_EXPORT, "export")

enum decl_kind {
#define X(k, s) k,
	DECL_KINDS(X)
#undef X
	DECL_KIND_COUNT
};
extern const char *const decl_kind_names[DECL_KIND_COUNT];

#endif
