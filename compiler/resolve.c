/* Name resolution: modules, declarations, types and members, from the
 * syntax trees into the checked model.  Broken items are poisoned, not
 * fatal, so one run reports every independent error. */
#include "check.h"
#include "consteval.h"
#include "resolve.h"
#include "spelling.h"

#include <stdlib.h>
#include <string.h>

/* ---- reserved words ----------------------------------------------------- */

/* Sorted (strcmp order) for bsearch. */
static const char *const c_keywords[] = {
	"_Alignas", "_Alignof", "_Atomic", "_BitInt", "_Bool", "_Complex",
	"_Decimal128", "_Decimal32", "_Decimal64", "_Generic", "_Imaginary",
	"_Noreturn", "_Static_assert", "_Thread_local", "alignas", "alignof",
	"auto", "bool", "break", "case", "char", "const", "constexpr",
	"continue", "default", "do", "double", "else", "enum", "extern",
	"false", "float", "for", "goto", "if", "inline", "int", "long",
	"nullptr", "register", "restrict", "return", "short", "signed",
	"sizeof", "static", "static_assert", "struct", "switch",
	"thread_local", "true", "typedef", "typeof", "typeof_unqual", "union",
	"unsigned", "void", "volatile", "while",
};

static const char *const cxx_keywords[] = {
	"and", "and_eq", "asm", "bitand", "bitor", "catch", "char16_t",
	"char32_t", "char8_t", "class", "co_await", "co_return", "co_yield",
	"compl", "concept", "const_cast", "consteval", "constinit", "decltype",
	"delete", "dynamic_cast", "explicit", "export", "friend", "mutable",
	"namespace", "new", "noexcept", "not", "not_eq", "operator", "or",
	"or_eq", "private", "protected", "public", "reinterpret_cast",
	"requires", "static_cast", "template", "this", "throw", "try",
	"typeid", "typename", "using", "virtual", "wchar_t", "xor", "xor_eq",
};

/* What the headers that generated C includes define (<stdint.h>,
 * <stddef.h>, <stdbool.h>), and <windows.h>'s `interface` macro: a field,
 * parameter or any other name spelled like one would be replaced or
 * shadowed in the header (doc/idl.md 9).  Unsorted: searched in order. */
#define RES_INT_NAMES_(n)                                                          \
	"int" #n "_t", "uint" #n "_t", "int_least" #n "_t", "uint_least" #n "_t",   \
	"int_fast" #n "_t", "uint_fast" #n "_t", "INT" #n "_MIN", "INT" #n "_MAX",  \
	"UINT" #n "_MAX", "INT_LEAST" #n "_MIN", "INT_LEAST" #n "_MAX",             \
	"UINT_LEAST" #n "_MAX", "INT_FAST" #n "_MIN", "INT_FAST" #n "_MAX",         \
	"UINT_FAST" #n "_MAX", "INT" #n "_C", "UINT" #n "_C"
static const char *const c_header_names[] = {
	RES_INT_NAMES_(8), RES_INT_NAMES_(16), RES_INT_NAMES_(32), RES_INT_NAMES_(64),
	"intptr_t", "uintptr_t", "intmax_t", "uintmax_t", "INTPTR_MIN", "INTPTR_MAX",
	"UINTPTR_MAX", "INTMAX_MIN", "INTMAX_MAX", "UINTMAX_MAX", "INTMAX_C", "UINTMAX_C",
	"PTRDIFF_MIN", "PTRDIFF_MAX", "SIZE_MAX", "SIG_ATOMIC_MIN", "SIG_ATOMIC_MAX",
	"WCHAR_MIN", "WCHAR_MAX", "WINT_MIN", "WINT_MAX",
	"NULL", "offsetof", "size_t", "ptrdiff_t", "max_align_t", "nullptr_t",
	"interface",
};

/* Macros GCC and clang predefine outside strict ISO modes (-std=gnu11,
 * their default). */
static const char *const c_predefined_macros[] = { "linux", "unix", "i386" };

/* Functions of the C standard library (C11, with the POSIX functions that
 * C libraries export under the same plain names): an export's symbol
 * spelled like one would replace it for the whole program, or be
 * replaced.  Unsorted: searched in order. */
static const char *const c_library_functions[] = {
	/* <string.h> */
	"memchr", "memcmp", "memcpy", "memmove", "memset", "strcat", "strchr", "strcmp",
	"strcoll", "strcpy", "strcspn", "strerror", "strlen", "strncat", "strncmp",
	"strncpy", "strpbrk", "strrchr", "strspn", "strstr", "strtok", "strxfrm", "strdup",
	"strndup", "strnlen", "memccpy",
	/* <stdlib.h> */
	"abort", "abs", "aligned_alloc", "at_quick_exit", "atexit", "atof", "atoi", "atol",
	"atoll", "bsearch", "calloc", "div", "exit", "free", "getenv", "labs", "ldiv",
	"llabs", "lldiv", "malloc", "mblen", "mbstowcs", "mbtowc", "qsort", "quick_exit",
	"rand", "realloc", "srand", "strtod", "strtof", "strtol", "strtold", "strtoll",
	"strtoul", "strtoull", "system", "wcstombs", "wctomb", "_Exit", "setenv", "unsetenv",
	"putenv",
	/* <stdio.h> */
	"clearerr", "fclose", "feof", "ferror", "fflush", "fgetc", "fgetpos", "fgets",
	"fopen", "fprintf", "fputc", "fputs", "fread", "freopen", "fscanf", "fseek",
	"fsetpos", "ftell", "fwrite", "getc", "getchar", "perror", "printf", "putc",
	"putchar", "puts", "remove", "rename", "rewind", "scanf", "setbuf", "setvbuf",
	"snprintf", "sprintf", "sscanf", "tmpfile", "tmpnam", "ungetc", "vfprintf",
	"vfscanf", "vprintf", "vscanf", "vsnprintf", "vsprintf", "vsscanf", "fdopen",
	"fileno", "popen", "pclose", "getline",
	/* <math.h>, <time.h>, <signal.h>, <setjmp.h>, <ctype.h>, <locale.h> */
	"sqrt", "pow", "exp", "log", "log2", "log10", "sin", "cos", "tan", "asin", "acos",
	"atan", "atan2", "sinh", "cosh", "tanh", "floor", "ceil", "round", "trunc", "fabs",
	"fmod", "fmin", "fmax", "hypot", "cbrt", "frexp", "ldexp", "modf", "nan",
	"clock", "time", "difftime", "mktime", "asctime", "ctime", "gmtime", "localtime",
	"strftime", "signal", "raise", "setjmp", "longjmp", "isalnum", "isalpha", "isdigit",
	"islower", "isspace", "isupper", "tolower", "toupper", "setlocale", "localeconv",
	/* POSIX <unistd.h>, <fcntl.h>, <dlfcn.h>, <pthread.h> */
	"read", "write", "open", "close", "lseek", "unlink", "access", "dup", "dup2", "pipe",
	"fork", "execv", "execvp", "getpid", "sleep", "usleep", "chdir", "getcwd", "mmap",
	"munmap", "dlopen", "dlsym", "dlclose", "dlerror", "pthread_create", "pthread_join",
	"select", "poll", "socket", "connect", "bind", "listen", "accept", "send", "recv",
	"kill", "wait", "stat", "fstat", "ioctl", "fcntl", "truncate", "sync",
	/* Windows' C runtime */
	"_exit", "main", "wmain", "DllMain", "WinMain",
};

/* Rust keywords that cannot be raw identifiers (r#self is invalid). */
static const char *const rust_unraw[] = { "Self", "_", "crate", "self", "super" };

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool
in_list(const char *name, const char *const *list, size_t n)
{
	return bsearch(&name, list, n, sizeof *list, cmp_str) != NULL;
}

bool
res_reserved_word(const char *name, const char **why)
{
	if (in_list(name, c_keywords, sizeof c_keywords / sizeof *c_keywords)) {
		*why = "it is a C keyword";
		return true;
	}
	if (in_list(name, cxx_keywords, sizeof cxx_keywords / sizeof *cxx_keywords)) {
		*why = "it is a C++ keyword";
		return true;
	}
	if (in_list(name, c_predefined_macros, sizeof c_predefined_macros / sizeof *c_predefined_macros)) {
		*why = "GCC and clang predefine it as a macro in their default GNU modes";
		return true;
	}
	if (in_list(name, rust_unraw, sizeof rust_unraw / sizeof *rust_unraw)) {
		*why = "Rust does not allow it as an identifier, even raw";
		return true;
	}
	{
		/* written in the headers' order, searched sorted */
		enum { N_HEADER_NAMES = sizeof c_header_names / sizeof *c_header_names };
		static const char *sorted[N_HEADER_NAMES];
		static bool ready;
		if (!ready) {
			memcpy(sorted, c_header_names, sizeof sorted);
			qsort(sorted, N_HEADER_NAMES, sizeof *sorted, cmp_str);
			ready = true;
		}
		if (in_list(name, sorted, N_HEADER_NAMES)) {
			*why = strcmp(name, "interface") == 0
			       ? "<windows.h> defines it as a macro, which would replace it in the C header"
			       : "the C headers that generated code includes (<stdint.h>, <stddef.h>) define it";
			return true;
		}
	}
	if (strncmp(name, "chitin_", 7) == 0 || strncmp(name, "CHITIN_", 7) == 0) {
		*why = "names beginning 'chitin_' or 'CHITIN_' are the C header's own";
		return true;
	}
	if (name[0] == '_' && ((name[1] >= 'A' && name[1] <= 'Z') || name[1] == '_')) {
		*why = "identifiers beginning with '_' and an uppercase letter or another '_' are reserved in C";
		return true;
	}
	if (strstr(name, "__")) {
		*why = "identifiers containing '__' are reserved in C++";
		return true;
	}
	return false;
}

/* Whether name is a function of the C library an export's symbol must
 * not take (doc/idl.md 9), with why set to say so. */
static bool
library_function(const char *name, const char **why)
{
	for (size_t i = 0; i < sizeof c_library_functions / sizeof *c_library_functions; i++) {
		if (strcmp(name, c_library_functions[i]) == 0) {
			*why = "the C library has a function of that name, which the symbol would replace or be replaced by";
			return true;
		}
	}
	return false;
}

/* Reports name if it cannot be an identifier of the generated code. */
static bool
check_identifier(struct resolver *r, const char *name, struct loc at,
		 const char *what)
{
	const char *why;
	/* Names repeat (every struct has its `name`), so each distinct
	 * name is looked up in the keyword lists once. */
	uint32_t known = symtab_get(&r->names, SCOPE_CHECKED_NAMES, name);
	if (known == 0)
		return true;
	if (!res_reserved_word(name, &why)) {
		symtab_put(&r->names, SCOPE_CHECKED_NAMES, name, 0);
		return true;
	}
	diag_error(r->d, at, "'%s' cannot name %s: %s", name, what, why);
	return false;
}

/* ---- modules ---------------------------------------------------------------- */

static bool
valid_module_name(const char *s)
{
	if (!(*s >= 'a' && *s <= 'z'))
		return false;
	for (s++; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
			return false;
	return true;
}

static struct m_version
attr_version(const struct ast_attr *a)
{
	struct m_version v;
	v.major = (uint16_t)a->major;
	v.minor = (uint16_t)a->minor;
	return v;
}

static void
make_modules(struct resolver *r)
{
	struct model *m = r->m;
	uint32_t i, j;

	for (i = 0; i < r->n_inputs; i++) {
		const struct ast_file *f = r->inputs[i].ast;
		struct m_module *mod;
		struct attr_set attrs;
		uint32_t prev;
		const char *why;

		r->module_of_input[i] = M_NONE;
		if (!f || !f->module)
			continue;
		if (!valid_module_name(f->module)) {
			diag_error(r->d, f->module_name_loc,
				   "module name '%s' must be a lowercase letter followed by lowercase letters and digits",
				   f->module);
		} else if (res_reserved_word(f->module, &why)) {
			diag_error(r->d, f->module_name_loc,
				   "'%s' cannot name a module: %s", f->module, why);
		} else if (strcmp(f->module, "chitin") == 0) {
			diag_error(r->d, f->module_name_loc,
				   "the module name 'chitin' is reserved for the runtime");
		}
		prev = symtab_put(&r->names, SCOPE_MODULE_NAMES, f->module, m->n_modules);
		if (prev != M_NONE) {
			diag_error(r->d, f->module_name_loc,
				   "module '%s' is declared by two files", f->module);
			diag_note(r->d, m->modules[prev].loc, "the other declaration is here");
			continue;
		}
		mod = &VEC_PUSH(m->modules, m->n_modules, m->cap_modules);
		memset(mod, 0, sizeof *mod);
		mod->name = f->module;
		mod->loc = f->module_name_loc;
		mod->doc = f->doc;
		mod->file = f->file;
		mod->version.major = 1;
		mod->version.minor = 0;
		mod->from_command_line = r->inputs[i].from_command_line;
		attrs_check(r->d, f->module_attrs, AT_MODULE, "a module", &attrs);
		if (attrs.by_kind[ATTR_VERSION])
			mod->version = attr_version(attrs.by_kind[ATTR_VERSION]);
		r->module_of_input[i] = m->n_modules - 1;
	}
	r->ast_of_module = xcalloc(m->n_modules ? m->n_modules : 1, sizeof *r->ast_of_module);
	for (i = 0; i < r->n_inputs; i++)
		if (r->module_of_input[i] != M_NONE)
			r->ast_of_module[r->module_of_input[i]] = r->inputs[i].ast;

	for (i = 0; i < r->n_inputs; i++) {
		uint32_t mi = r->module_of_input[i];
		struct m_module *mod;
		if (mi == M_NONE)
			continue;
		mod = &m->modules[mi];
		mod->imports = xcalloc(r->inputs[i].n_imports + 1, sizeof *mod->imports);
		for (j = 0; j < r->inputs[i].n_imports; j++) {
			uint32_t target = r->module_of_input[r->inputs[i].imports[j]];
			uint32_t k;
			bool dup = false;
			if (target == M_NONE || target == mi)
				continue;
			for (k = 0; k < mod->n_imports; k++)
				dup |= mod->imports[k].module == target;
			if (dup)
				continue;
			mod->imports[mod->n_imports].module = target;
			mod->imports[mod->n_imports].loc = r->inputs[i].import_locs[j];
			mod->n_imports++;
		}
	}
}

static const char *decl_what(enum decl_kind k);

/* ---- declarations ------------------------------------------------------------ */

static bool
is_builtin_name(const struct resolver *r, const char *name)
{
	size_t i;
	for (i = 0; i < sizeof r->builtin_names / sizeof *r->builtin_names; i++)
		if (r->builtin_names[i] == name)
			return true;
	return false;
}

static void
make_object(struct resolver *r)
{
	struct model *m = r->m;
	struct m_decl *d = &VEC_PUSH(m->decls, m->n_decls, m->cap_decls);
	memset(d, 0, sizeof *d);
	d->kind = DECL_INTERFACE;
	d->item.name = intern_str(m->intern, "object", 6);
	d->module = M_NONE;
	d->u.iface.base = M_NONE;
	d->u.iface.is_base = true;
	d->u.iface.threadsafe = true;
	m->object_decl = m->n_decls - 1;
	d->type = model_type(m, TY_NAMED, M_NONE, M_NONE, m->object_decl, 0, false);
}

static void
register_decls(struct resolver *r)
{
	struct model *m = r->m;
	uint32_t mi, total = m->n_decls;

	for (mi = 0; mi < m->n_modules; mi++)
		total += r->ast_of_module[mi]->n_decls;
	r->ast_of_decl = xcalloc(total, sizeof *r->ast_of_decl);
	r->scope_of_decl = xcalloc(total, sizeof *r->scope_of_decl);
	for (mi = 0; mi < m->n_modules; mi++) {
		const struct ast_file *f = r->ast_of_module[mi];
		const struct ast_decl *ad;
		m->modules[mi].first_decl = m->n_decls;
		for (ad = f->decls; ad; ad = ad->next) {
			struct m_decl *d;
			uint32_t idx = m->n_decls, prev;
			/* A declaration with a bad or repeated name is still
			 * resolved, so its members are checked too; it just
			 * cannot be found by that name. */
			if (is_builtin_name(r, ad->name))
				diag_error(r->d, ad->name_loc,
					   "'%s' is the name of a built-in type", ad->name);
			else
				check_identifier(r, ad->name, ad->name_loc, decl_what(ad->kind));
			prev = symtab_put(&r->names, mi + 1, ad->name, idx);
			if (prev != M_NONE) {
				diag_error(r->d, ad->name_loc, "'%s' is already declared in module '%s'",
					   ad->name, m->modules[mi].name);
				diag_note(r->d, m->decls[prev].item.loc,
					  "the previous declaration of '%s' is here", ad->name);
			}
			d = &VEC_PUSH(m->decls, m->n_decls, m->cap_decls);
			memset(d, 0, sizeof *d);
			d->duplicate = prev != M_NONE;
			d->kind = ad->kind;
			d->module = mi;
			d->item.name = ad->name;
			d->item.loc = ad->name_loc;
			d->item.doc = ad->doc;
			d->type = TYPE_ERROR;
			if (ad->kind != DECL_CONST && ad->kind != DECL_EXPORT)
				d->type = model_type(m, TY_NAMED, M_NONE, M_NONE, idx, 0, false);
			r->ast_of_decl[idx] = ad;
		}
		m->modules[mi].n_decls = m->n_decls - m->modules[mi].first_decl;
	}
}

/* Looks name up as a declaration visible in module mi: its own, then its
 * imports' (which must agree).  Reports and returns M_NONE on failure. */
uint32_t
res_lookup_decl(struct resolver *r, uint32_t mi, const char *qualifier,
	    const char *name, struct loc at, const char *what)
{
	const struct model *m = r->m;
	const struct m_module *mod = &m->modules[mi];
	uint32_t found = M_NONE, i;

	if (qualifier) {
		/* at spans `dep.Name`: point at the part that is wrong */
		struct loc qual_at = { at.file, at.begin, at.begin + (uint32_t)strlen(qualifier) };
		struct loc name_at = { at.file, at.end - (uint32_t)strlen(name), at.end };
		uint32_t target = symtab_get(&r->names, SCOPE_MODULE_NAMES, qualifier);
		bool visible = target == mi;
		for (i = 0; i < mod->n_imports && !visible; i++)
			visible = mod->imports[i].module == target;
		if (target == M_NONE || !visible) {
			diag_error(r->d, qual_at, "unknown module '%s'", qualifier);
			if (target != M_NONE)
				diag_note(r->d, m->modules[target].loc,
					  "module '%s' is declared here, but '%s' does not import it",
					  qualifier, mod->name);
			return M_NONE;
		}
		found = symtab_get(&r->names, target + 1, name);
		if (found == M_NONE)
			diag_error(r->d, name_at, "module '%s' has no declaration named '%s'",
				   qualifier, name);
		return found;
	}
	found = symtab_get(&r->names, mi + 1, name);
	if (found != M_NONE)
		return found;
	for (i = 0; i < mod->n_imports; i++) {
		uint32_t d = symtab_get(&r->names, mod->imports[i].module + 1, name);
		if (d == M_NONE)
			continue;
		if (found != M_NONE) {
			diag_error(r->d, at,
				   "'%s' is ambiguous: modules '%s' and '%s' both declare it; write %s.%s or %s.%s",
				   name, m->modules[m->decls[found].module].name,
				   m->modules[m->decls[d].module].name,
				   m->modules[m->decls[found].module].name, name,
				   m->modules[m->decls[d].module].name, name);
			return M_NONE;
		}
		found = d;
	}
	if (found == M_NONE)
		diag_error(r->d, at, "unknown %s '%s'", what, name);
	return found;
}

/* ---- types --------------------------------------------------------------------- */

enum { BUILTIN_SLICE = TY_PRIM_COUNT, BUILTIN_VEC, BUILTIN_OPTION, BUILTIN_RESULT,
       BUILTIN_OBJECT };

/* Whether module mi declares name, or one of the modules it imports does. */
static bool
visible_decl(struct resolver *r, uint32_t mi, const char *name)
{
	const struct m_module *mod = &r->m->modules[mi];
	uint32_t k;
	if (symtab_get(&r->names, mi + 1, name) != M_NONE)
		return true;
	for (k = 0; k < mod->n_imports; k++)
		if (symtab_get(&r->names, mod->imports[k].module + 1, name) != M_NONE)
			return true;
	return false;
}

static uint32_t
resolve_base_type(struct resolver *r, uint32_t mi, const struct ast_type *t)
{
	struct model *m = r->m;
	size_t i;

	if (!t->qualifier) {
		for (i = 0; i < sizeof r->builtin_names / sizeof *r->builtin_names; i++)
			if (r->builtin_names[i] == t->name)
				break;
		if (i < TY_PRIM_COUNT || i == BUILTIN_OBJECT) {
			if (t->n_args) {
				diag_error(r->d, t->name_loc, "'%s' takes no type arguments", t->name);
				return TYPE_ERROR;
			}
			return i == BUILTIN_OBJECT ? m->decls[m->object_decl].type : (uint32_t)i;
		}
		if (i < sizeof r->builtin_names / sizeof *r->builtin_names) {
			static const unsigned arity[] = { 1, 1, 1, 2 };
			static const enum type_kind kinds[] = { TY_SLICE, TY_VEC, TY_OPTION, TY_RESULT };
			uint32_t args[2] = { TYPE_ERROR, TYPE_ERROR };
			const struct ast_type *a;
			unsigned k = (unsigned)(i - BUILTIN_SLICE), n = 0;
			bool elem_const = false;
			if (t->n_args != arity[k]) {
				diag_error(r->d, t->name_loc, "'%s' takes %u type argument%s, not %u%s",
					   t->name, arity[k], arity[k] == 1 ? "" : "s", t->n_args,
					   arity[k] == 1 ? "" : ", as in result<T, E>");
				return TYPE_ERROR;
			}
			for (a = t->args; a; a = a->next, n++) {
				args[n] = res_type(r, mi, a);
				if (a->is_const && !a->n_pointers) {
					if (kinds[k] == TY_SLICE)
						elem_const = true;
					else
						diag_error(r->d, a->const_loc,
							   "'const' applies only to slice elements and pointer targets");
				}
			}
			if (args[0] == TYPE_ERROR || args[1 % arity[k]] == TYPE_ERROR)
				return TYPE_ERROR;
			return model_type(m, kinds[k], args[0], kinds[k] == TY_RESULT ? args[1] : M_NONE,
					  M_NONE, 0, elem_const);
		}
	}
	if (!t->qualifier) {
		/* Names people reach for from C or Rust get a pointed answer.
		 * C's words (`int`, `unsigned long`) are C keywords, which no
		 * module can declare; the other names might be declared. */
		const char *exact, *spelling;
		char why[160];
		if (t->n_pointers && strcmp(t->name, "char") == 0) {
			diag_error(r->d, t->name_loc,
				   "unknown type 'char'; a pointer to char is C's text, which chitin writes 'str' (borrowed) or 'string' (owned)");
			return TYPE_ERROR;
		}
		if (spell_c_words(t->name, &exact, why, sizeof why)) {
			diag_error(r->d, t->name_loc, "unknown type '%s'; %s", t->name, why);
			return TYPE_ERROR;
		}
		if (spell_type_name(t->name, &spelling) && !visible_decl(r, mi, t->name)) {
			if (spelling)
				diag_error(r->d, t->name_loc, "unknown type '%s'; chitin spells it '%s'",
					   t->name, spelling);
			else
				diag_error(r->d, t->name_loc,
					   "'%s' is not supported: 128-bit integers are aligned differently by different compilers and Rust versions",
					   t->name);
			return TYPE_ERROR;
		}
	}
	{
		uint32_t d = res_lookup_decl(r, mi, t->qualifier, t->name, t->name_loc, "type");
		if (d == M_NONE)
			return TYPE_ERROR;
		if (m->decls[d].kind == DECL_CONST || m->decls[d].kind == DECL_EXPORT) {
			diag_error(r->d, t->name_loc, "'%s' is %s, not a type", t->name,
				   m->decls[d].kind == DECL_CONST ? "a constant" : "an exported function");
			diag_note(r->d, m->decls[d].item.loc, "'%s' is declared here", t->name);
			return TYPE_ERROR;
		}
		if (t->n_args) {
			diag_error(r->d, t->name_loc, "'%s' takes no type arguments", t->name);
			return TYPE_ERROR;
		}
		return m->decls[d].type;
	}
}

uint32_t
res_type(struct resolver *r, uint32_t mi, const struct ast_type *t)
{
	struct model *m = r->m;
	uint32_t ty = resolve_base_type(r, mi, t), i;
	if (ty == TYPE_ERROR)
		return TYPE_ERROR;
	if (t->n_pointers > RES_MAX_POINTERS) {
		/* it bounds, with the nesting limit, every walk of a type */
		diag_error(r->d, t->loc, "a pointer of %u levels; at most %d are allowed", (unsigned)t->n_pointers,
			   RES_MAX_POINTERS);
		return TYPE_ERROR;
	}
	if (t->n_pointers) {
		const struct m_type *base = &m->types[ty];
		if (base->kind == TY_NAMED && m->decls[base->decl].kind == DECL_INTERFACE) {
			diag_error(r->d, t->loc,
				   "interface '%s' is already a reference; a pointer to it is not allowed",
				   m->decls[base->decl].item.name);
			return TYPE_ERROR;
		}
		for (i = 0; i < t->n_pointers; i++)
			ty = model_type(m, TY_POINTER, ty, M_NONE, M_NONE, 0, i == 0 && t->is_const);
	}
	return ty;
}

uint32_t
res_top_type(struct resolver *r, uint32_t mi, const struct ast_type *t)
{
	if (t->is_const && !t->n_pointers)
		diag_error(r->d, t->const_loc,
			   "'const' applies only to slice elements and pointer targets");
	return res_type(r, mi, t);
}

/* ---- member scopes ---------------------------------------------------------- */

static const char *
field_name(const struct model *m, uint32_t i)
{
	return m->fields[i].item.name;
}

static const char *
param_name(const struct model *m, uint32_t i)
{
	return m->params[i].name;
}

static const char *
variant_name(const struct model *m, uint32_t i)
{
	return m->variants[i].item.name;
}

const char *
res_method_name(const struct model *m, uint32_t i)
{
	return m->methods[i].item.name;
}

uint32_t
res_member_find(const struct resolver *r, uint32_t scope, uint32_t n_total,
		uint32_t first, uint32_t end, const char *name,
		const char *(*name_of)(const struct model *, uint32_t))
{
	uint32_t i;
	if (n_total > RES_SMALL_SCOPE)
		return symtab_get(&r->names, scope, name);
	for (i = first; i < end; i++)
		if (name_of(r->m, i) == name)
			return i;
	return M_NONE;
}

/* Adds member value (the next index after [first, value)) unless its name
 * is taken; returns the member that has it, or M_NONE. */
static uint32_t
member_put(struct resolver *r, uint32_t scope, uint32_t n_total, uint32_t first,
	   const char *name, uint32_t value,
	   const char *(*name_of)(const struct model *, uint32_t))
{
	if (n_total > RES_SMALL_SCOPE)
		return symtab_put(&r->names, scope, name, value);
	return res_member_find(r, scope, n_total, first, value, name, name_of);
}

/* The most dimensions an array may have. */
enum { MAX_DIMS = 32 };

/* ---- members -------------------------------------------------------------------- */

static void
fill_item(struct resolver *r, struct m_item *it, const struct attr_set *attrs)
{
	const struct ast_attr *a = attrs->by_kind[ATTR_DEPRECATED];
	(void)r;
	if (a)
		it->deprecated = a->arg_kind == ARG_STRING ? a->text : "";
	a = attrs->by_kind[ATTR_SINCE];
	if (a) {
		it->has_since = true;
		it->since = attr_version(a);
	}
}

/* Checks a [since] version against the module's version. */
static void
check_since(struct resolver *r, uint32_t mi, const struct attr_set *attrs)
{
	const struct ast_attr *a = attrs->by_kind[ATTR_SINCE];
	const struct m_module *mod = &r->m->modules[mi];
	if (!a)
		return;
	if (a->major != mod->version.major) {
		diag_error(r->d, a->arg_loc,
			   "since(%u.%u) is not a version of major %u; module '%s' is version %u.%u",
			   a->major, a->minor, mod->version.major, mod->name,
			   mod->version.major, mod->version.minor);
	} else if (a->minor > mod->version.minor) {
		diag_error(r->d, a->arg_loc,
			   "since(%u.%u) is newer than module '%s', which is version %u.%u",
			   a->major, a->minor, mod->name, mod->version.major, mod->version.minor);
	}
}

/* Resolves array dimensions around elem, innermost last written.  Sets
 * names[i] to the constant that dimension i is written as alone (a
 * constant's name, perhaps in parentheses), or M_NONE. */
static uint32_t
resolve_dims(struct resolver *r, uint32_t mi, const struct ast_file *f,
	     uint32_t elem, const struct ast_expr *dims, uint32_t n_dims,
	     const char *name, uint32_t *names)
{
	uint64_t counts[MAX_DIMS];
	uint64_t total = 1;
	uint32_t i;
	bool ok = true;
	if (n_dims > MAX_DIMS) {
		diag_error(r->d, dims[MAX_DIMS].loc, "array '%s' has more than %d dimensions",
			   name, MAX_DIMS);
		return TYPE_ERROR;
	}
	for (i = 0; i < n_dims; i++) {
		names[i] = M_NONE;
		if (!ce_eval(r, mi, f, dims[i], TY_U64, &counts[i])) {
			ok = false;
			continue;
		}
		/* evaluated, so the name is found as the evaluation found it */
		if (dims[i].count == 1 && f->ops[dims[i].first].kind == OP_NAME)
			names[i] = ce_lookup(r, mi, &f->ops[dims[i].first], false);
		if (counts[i] == 0) {
			diag_error(r->d, dims[i].loc, "array size must be greater than zero");
			ok = false;
		} else if (total > UINT64_MAX / counts[i]) {
			diag_error(r->d, dims[i].loc,
				   "array '%s' has too many elements: the count overflows 64 bits",
				   name);
			ok = false;
		} else {
			total *= counts[i];
		}
	}
	if (!ok || elem == TYPE_ERROR)
		return TYPE_ERROR;
	for (i = n_dims; i > 0; i--)
		elem = model_type(r->m, TY_ARRAY, elem, M_NONE, M_NONE, counts[i - 1], false);
	return elem;
}

static void
resolve_fields(struct resolver *r, uint32_t mi, const struct ast_file *f,
	       const struct ast_field *af, uint32_t n_total, uint32_t *first,
	       uint32_t *count, const char *owner_kind, const char *owner)
{
	struct model *m = r->m;
	uint32_t scope = r->next_scope++;
	*first = m->n_fields;
	for (; af; af = af->next) {
		struct m_field *fl;
		struct attr_set attrs;
		uint32_t prev, type, size_names[MAX_DIMS], i, named = 0;
		attrs_check(r->d, af->attrs, AT_FIELD, "a field", &attrs);
		check_since(r, mi, &attrs);
		check_identifier(r, af->name, af->name_loc, "a field");
		type = res_top_type(r, mi, af->type);
		if (af->n_dims) {
			type = resolve_dims(r, mi, f, type, af->dims, af->n_dims, af->name, size_names);
			for (i = 0; type != TYPE_ERROR && i < af->n_dims; i++)
				named += size_names[i] != M_NONE;
		}
		prev = member_put(r, scope, n_total, *first, af->name, m->n_fields, field_name);
		if (prev != M_NONE) {
			diag_error(r->d, af->name_loc, "%s '%s' already has a field named '%s'",
				   owner_kind, owner, af->name);
			diag_note(r->d, m->fields[prev].item.loc, "the previous field '%s' is here",
				  af->name);
			continue;
		}
		fl = &VEC_PUSH(m->fields, m->n_fields, m->cap_fields);
		memset(fl, 0, sizeof *fl);
		fl->item.name = af->name;
		fl->item.loc = af->name_loc;
		fl->item.doc = af->doc;
		fill_item(r, &fl->item, &attrs);
		fl->type = type;
		fl->type_loc = af->type->loc;
		fl->first_size_name = M_NONE;
		if (named) {
			fl->first_size_name = m->n_size_names;
			for (i = 0; i < af->n_dims; i++)
				VEC_PUSH(m->size_names, m->n_size_names, m->cap_size_names) = size_names[i];
		}
	}
	*count = m->n_fields - *first;
}

/* Resolves a method or signature into the model; returns its index. */
static uint32_t
resolve_sig(struct resolver *r, uint32_t mi, const struct ast_method *am,
	    const struct attr_set *attrs, const char *what)
{
	struct model *m = r->m;
	uint32_t scope = r->next_scope++, idx;
	const struct ast_param *ap;
	struct m_method *me;

	idx = m->n_methods;
	me = &VEC_PUSH(m->methods, m->n_methods, m->cap_methods);
	memset(me, 0, sizeof *me);
	me->item.name = am->name;
	me->item.loc = am->name_loc;
	me->item.doc = am->doc;
	if (attrs)
		fill_item(r, &me->item, attrs);
	me->ret = res_top_type(r, mi, am->ret);
	me->ret_loc = am->ret->loc;
	me->first_param = m->n_params;
	for (ap = am->params; ap; ap = ap->next) {
		struct attr_set pattrs;
		struct m_param *p;
		uint32_t prev, type;
		attrs_check(r->d, ap->attrs, AT_PARAM, "a parameter", &pattrs);
		check_identifier(r, ap->name, ap->name_loc, "a parameter");
		/* the lowered C signature has these names of its own */
		if (strcmp(ap->name, "ret") == 0)
			diag_error(r->d, ap->name_loc,
				   "'ret' cannot name a parameter: the lowered call returns its result through 'ret'");
		else if (strcmp(ap->name, "ctx") == 0 && strcmp(what, "callback") == 0)
			diag_error(r->d, ap->name_loc,
				   "'ctx' cannot name a parameter of a callback: its context is 'ctx'");
		type = res_top_type(r, mi, ap->type);
		if (ap->n_dims) {
			diag_error(r->d, ap->dims[0].loc,
				   "parameter '%s' is an array; arrays cannot be parameters (pass a slice)",
				   ap->name);
			type = TYPE_ERROR;
		}
		prev = member_put(r, scope, am->n_params, m->methods[idx].first_param,
				  ap->name, m->n_params, param_name);
		if (prev != M_NONE) {
			diag_error(r->d, ap->name_loc, "%s '%s' already has a parameter named '%s'",
				   what, am->name, ap->name);
			diag_note(r->d, m->params[prev].loc, "the previous parameter '%s' is here",
				  ap->name);
			continue;
		}
		p = &VEC_PUSH(m->params, m->n_params, m->cap_params);
		memset(p, 0, sizeof *p);
		p->name = ap->name;
		p->loc = ap->name_loc;
		p->doc = ap->doc;
		p->type = type;
		p->type_loc = ap->type->loc;
		p->dir = pattrs.by_kind[ATTR_OUT] ? DIR_OUT
			 : pattrs.by_kind[ATTR_INOUT] ? DIR_INOUT : DIR_IN;
	}
	me = &m->methods[idx];
	me->n_params = m->n_params - me->first_param;
	return idx;
}

static const char *
decl_what(enum decl_kind k)
{
	switch (k) {
	case DECL_CONST: return "a constant";
	case DECL_STRUCT: return "a struct";
	case DECL_UNION: return "a union";
	case DECL_ENUM: return "an enum";
	case DECL_CALLBACK: return "a callback";
	case DECL_INTERFACE: return "an interface";
	default: return "an export";
	}
}

static const enum attr_place decl_place[DECL_KIND_COUNT] = {
	AT_CONST, AT_STRUCT, AT_UNION, AT_ENUM, AT_CALLBACK, AT_INTERFACE, AT_EXPORT,
};

static void
resolve_enum(struct resolver *r, uint32_t di, const struct ast_decl *ad)
{
	struct model *m = r->m;
	struct m_decl *d = &m->decls[di];
	uint32_t mi = d->module, scope = r->next_scope++;
	const struct ast_file *f = r->ast_of_module[mi];
	const struct ast_variant *av;
	enum type_kind repr = TY_U32;
	uint64_t next = 0;
	bool next_ok = true, data = false, prev_failed = false;
	struct symtab values;   /* data enums: tag -> variant */
	char buf[48];

	if (ad->u.enm.repr) {
		uint32_t t = res_top_type(r, mi, ad->u.enm.repr);
		if (t != TYPE_ERROR && !(t < TY_PRIM_COUNT && type_is_integer((enum type_kind)t))) {
			diag_error(r->d, ad->u.enm.repr->loc,
				   "an enum's integer type must be one of i8, i16, i32, i64, u8, u16, u32, u64");
		} else if (t != TYPE_ERROR) {
			repr = (enum type_kind)t;
		}
	}
	for (av = ad->u.enm.variants; av; av = av->next)
		data |= av->has_payload;
	d = &m->decls[di];
	d->u.enm.repr = repr;
	d->u.enm.data = data;
	d->u.enm.first_variant = m->n_variants;
	if (!ad->u.enm.variants)
		diag_error(r->d, ad->name_loc, "enum '%s' has no values", ad->name);

	symtab_init(&values);
	for (av = ad->u.enm.variants; av; av = av->next) {
		struct attr_set attrs;
		struct m_variant *v;
		uint32_t prev, vi = m->n_variants;
		uint64_t value = 0;
		bool have_value = false;

		attrs_check(r->d, av->attrs, AT_VARIANT, data ? "a variant" : "an enum value", &attrs);
		check_since(r, mi, &attrs);
		check_identifier(r, av->name, av->name_loc, data ? "a variant" : "an enum value");
		if (av->has_value) {
			have_value = ce_eval(r, mi, f, av->value, repr, &value);
		} else if (next_ok) {
			have_value = true;
			value = next;
		} else if (!prev_failed) {
			diag_error(r->d, av->name_loc,
				   "the value of '%s' (one more than the previous value) does not fit in %s",
				   av->name, type_kind_names[repr]);
		}
		if (have_value) {
			/* one more, in the enum's type */
			unsigned bits = type_int_bits(repr);
			uint64_t mask = bits == 64 ? UINT64_MAX : ((uint64_t)1 << bits) - 1;
			uint64_t max = type_is_signed(repr) ? mask >> 1 : mask;
			/* patterns are sign-extended, so +1 is right for both
			 * signs; at the type's maximum there is no next */
			next = value + 1;
			next_ok = (value & mask) != max;
		} else {
			next_ok = false;
		}
		prev_failed = !have_value;
		prev = member_put(r, scope, ad->u.enm.n_variants, m->decls[di].u.enm.first_variant,
				  av->name, vi, variant_name);
		if (prev != M_NONE) {
			diag_error(r->d, av->name_loc, "enum '%s' already has %s named '%s'",
				   ad->name, data ? "a variant" : "a value", av->name);
			diag_note(r->d, m->variants[prev].item.loc, "the previous one is here");
			continue;
		}
		if (data && have_value) {
			/* Interned-pointer keys: use the value's decimal text. */
			const char *key = intern_str(m->intern, buf,
						     strlen(ce_format(value, repr, buf, sizeof buf)));
			uint32_t other = symtab_put(&values, 0, key, vi);
			if (other != M_NONE) {
				diag_error(r->d, av->name_loc,
					   "tag %s of '%s' is already the tag of '%s'", buf,
					   av->name, m->variants[other].item.name);
				diag_note(r->d, m->variants[other].item.loc, "'%s' is here",
					  m->variants[other].item.name);
			}
		}
		v = &VEC_PUSH(m->variants, m->n_variants, m->cap_variants);
		memset(v, 0, sizeof *v);
		v->item.name = av->name;
		v->item.loc = av->name_loc;
		v->item.doc = av->doc;
		fill_item(r, &v->item, &attrs);
		v->value = value;
		v->has_payload = av->has_payload;
		if (av->has_payload) {
			uint32_t first, count;
			if (!av->fields)
				diag_error(r->d, av->open_brace,
					   "variant '%s' has an empty payload; write a unit variant without braces",
					   av->name);
			resolve_fields(r, mi, f, av->fields, av->n_fields, &first, &count,
				       "variant", av->name);
			v = &m->variants[vi];
			v->first_field = first;
			v->n_fields = count;
		}
	}
	symtab_free(&values);
	d = &m->decls[di];
	d->u.enm.n_variants = m->n_variants - d->u.enm.first_variant;
}

static void
resolve_interface(struct resolver *r, uint32_t di, const struct ast_decl *ad,
		  const struct attr_set *attrs)
{
	struct model *m = r->m;
	struct m_decl *d = &m->decls[di];
	uint32_t mi = d->module, scope = r->next_scope++;
	const struct ast_method *am;
	const struct ast_attr *uuid = attrs->by_kind[ATTR_UUID];
	static const char *const header_names[] = { "query", "retain", "release", "header" };

	r->scope_of_decl[di] = scope;

	d->u.iface.base = m->object_decl;
	d->u.iface.is_base = attrs->by_kind[ATTR_BASE] != NULL;
	d->u.iface.threadsafe = attrs->by_kind[ATTR_THREADSAFE] != NULL;
	if (uuid && !uuid->text[0]) {
		diag_error(r->d, uuid->loc, "uuid() is empty; write the interface's uuid, as in uuid(6f1c2a4e-9b1d-4c55-8f00-5a1e0c9d7b21)");
	} else if (uuid) {
		if (attrs_parse_uuid(uuid->text, d->u.iface.uuid)) {
			d->u.iface.has_uuid = true;
		} else {
			char buf[64];
			diag_error(r->d, uuid->arg_loc,
				   "malformed uuid '%s': expected 8-4-4-4-12 hexadecimal digits, as in 6f1c2a4e-9b1d-4c55-8f00-5a1e0c9d7b21",
				   diag_quote(buf, sizeof buf, uuid->text, strlen(uuid->text)));
		}
	}
	if (ad->u.iface.base) {
		const struct ast_type *bt = ad->u.iface.base;
		uint32_t t = bt->n_args || bt->n_pointers || bt->is_const ? TYPE_ERROR
			     : res_type(r, mi, bt);
		if (bt->n_args || bt->n_pointers || bt->is_const) {
			diag_error(r->d, bt->loc, "the base of an interface is an interface name");
		} else if (t != TYPE_ERROR) {
			const struct m_type *ty = &m->types[t];
			if (ty->kind != TY_NAMED || m->decls[ty->decl].kind != DECL_INTERFACE) {
				char buf[128];
				diag_error(r->d, bt->loc, "'%s' is not an interface; an interface derives from an interface",
					   model_type_name(m, t, mi, buf, sizeof buf));
			} else {
				m->decls[di].u.iface.base = ty->decl;
			}
		}
	}
	d = &m->decls[di];
	d->u.iface.first_method = m->n_methods;
	for (am = ad->u.iface.methods; am; am = am->next) {
		struct attr_set mattrs;
		uint32_t idx, prev;
		size_t k;
		attrs_check(r->d, am->attrs, AT_METHOD, "a method", &mattrs);
		check_since(r, mi, &mattrs);
		check_identifier(r, am->name, am->name_loc, "a method");
		for (k = 0; k < 4; k++)
			if (strcmp(am->name, header_names[k]) == 0)
				diag_error(r->d, am->name_loc, k < 3
					   ? "'%s' cannot name a method: every interface has the object header's '%s'"
					   : "'%s' cannot name a method: a vtable's '%s' is the object header",
					   am->name, am->name);
		idx = resolve_sig(r, mi, am, &mattrs, "method");
		prev = member_put(r, scope, ad->u.iface.n_methods, m->decls[di].u.iface.first_method,
				  am->name, idx, res_method_name);
		if (prev != M_NONE) {
			diag_error(r->d, am->name_loc, "interface '%s' already has a method named '%s'",
				   ad->name, am->name);
			diag_note(r->d, m->methods[prev].item.loc, "the previous method '%s' is here",
				  am->name);
			m->n_methods--;     /* drop it; its params stay unreferenced */
		}
	}
	d = &m->decls[di];
	d->u.iface.n_methods = m->n_methods - d->u.iface.first_method;
}

static bool
valid_c_identifier(const char *s)
{
	if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_'))
		return false;
	for (s++; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_' ||
		      (*s >= '0' && *s <= '9')))
			return false;
	return true;
}

static void
resolve_decl(struct resolver *r, uint32_t di)
{
	struct model *m = r->m;
	const struct ast_decl *ad = r->ast_of_decl[di];
	struct m_decl *d = &m->decls[di];
	uint32_t mi = d->module;
	const struct ast_file *f = r->ast_of_module[mi];
	struct attr_set attrs;

	attrs_check(r->d, ad->attrs, decl_place[ad->kind], decl_what(ad->kind), &attrs);
	check_since(r, mi, &attrs);
	fill_item(r, &d->item, &attrs);
	switch (ad->kind) {
	case DECL_CONST:
		break;   /* evaluated earlier, in dependency order */
	case DECL_STRUCT:
	case DECL_UNION: {
		uint32_t first, count;
		const struct ast_attr *align = attrs.by_kind[ATTR_ALIGN];
		if (!ad->u.agg.fields)
			diag_error(r->d, ad->name_loc,
				   "%s '%s' is empty; empty %ss are 0 bytes in C and 1 in C++",
				   decl_kind_names[ad->kind], ad->name, decl_kind_names[ad->kind]);
		resolve_fields(r, mi, f, ad->u.agg.fields, ad->u.agg.n_fields, &first, &count,
			       decl_kind_names[ad->kind], ad->name);
		d = &m->decls[di];
		d->u.agg.first_field = first;
		d->u.agg.n_fields = count;
		d->u.agg.resilient = attrs.by_kind[ATTR_RESILIENT] != NULL;
		if (align) {
			uint64_t v = align->int_value;
			if (align->int_overflow || v == 0 || (v & (v - 1)) || v > 8192)
				diag_error(r->d, align->arg_loc,
					   "align(%llu) is not a power of two from 1 to 8192",
					   (unsigned long long)v);
			else
				d->u.agg.align = (uint32_t)v;
		}
		break;
	}
	case DECL_ENUM:
		resolve_enum(r, di, ad);
		break;
	case DECL_CALLBACK:
	case DECL_EXPORT: {
		uint32_t idx = resolve_sig(r, mi, ad->u.sig, NULL, decl_kind_names[ad->kind]);
		const struct ast_attr *sym = attrs.by_kind[ATTR_SYMBOL];
		d = &m->decls[di];
		d->u.sig.method = idx;
		m->methods[idx].item = d->item;
		if (sym) {
			const char *why;
			if (!valid_c_identifier(sym->text))
				diag_error(r->d, sym->arg_loc, "symbol \"%s\" is not a C identifier",
					   sym->text);
			else if (res_reserved_word(sym->text, &why) || library_function(sym->text, &why))
				diag_error(r->d, sym->arg_loc, "symbol \"%s\" cannot be used: %s",
					   sym->text, why);
			else
				d->u.sig.symbol = intern_str(m->intern, sym->text, strlen(sym->text));
		}
		if (d->kind == DECL_EXPORT && d->u.sig.symbol) {
			d->u.sig.symbol_given = true;
		} else if (d->kind == DECL_EXPORT) {
			/* the export's symbol is named once, here (doc/abi.md 8.1) */
			const char *mn = m->modules[mi].name;
			size_t n = strlen(mn) + 1 + strlen(d->item.name);
			char *buf = xmalloc(n + 1);
			snprintf(buf, n + 1, "%s_%s", mn, d->item.name);
			d->u.sig.symbol = intern_str(m->intern, buf, n);
			free(buf);
		}
		break;
	}
	case DECL_INTERFACE:
		resolve_interface(r, di, ad, &attrs);
		break;
	case DECL_KIND_COUNT:
		break;
	}
}

void
res_run(struct resolver *r)
{
	struct model *m = r->m;
	static const char *const generic_names[] = { "slice", "vec", "option", "result", "object" };
	uint32_t i;

	for (i = 0; i < TY_PRIM_COUNT; i++)
		r->builtin_names[i] = intern_str(m->intern, type_kind_names[i],
						 strlen(type_kind_names[i]));
	for (i = 0; i < 5; i++)
		r->builtin_names[TY_PRIM_COUNT + i] =
			intern_str(m->intern, generic_names[i], strlen(generic_names[i]));
	symtab_init(&r->names);
	r->module_of_input = xcalloc(r->n_inputs + 1, sizeof *r->module_of_input);
	r->ast_of_module = NULL;
	r->ast_of_decl = NULL;

	{
		/* The model's arrays, at the size the trees give them (and the
		 * built-in object's few), so that none is copied as it grows. */
		uint32_t decls = 16, fields = 16, variants = 16, methods = 16, params = 16;
		for (i = 0; i < r->n_inputs; i++) {
			const struct ast_file *f = r->inputs[i].ast;
			if (!f)
				continue;
			decls += f->n_decls;
			fields += f->counts.fields;
			variants += f->counts.variants;
			methods += f->counts.methods;
			params += f->counts.params;
		}
		VEC_RESERVE(m->decls, m->cap_decls, decls);
		VEC_RESERVE(m->fields, m->cap_fields, fields);
		VEC_RESERVE(m->variants, m->cap_variants, variants);
		VEC_RESERVE(m->methods, m->cap_methods, methods);
		VEC_RESERVE(m->params, m->cap_params, params);
	}
	make_modules(r);
	r->next_scope = m->n_modules + 1;
	make_object(r);
	register_decls(r);
	if (!diag_stopped(r->d))
		ce_eval_constants(r);
	for (i = 0; i < m->n_decls && !diag_stopped(r->d); i++)
		if (r->ast_of_decl[i])
			resolve_decl(r, i);
	if (!diag_stopped(r->d)) {
		chk_run(r);
		r->checked = true;
	}

	symtab_free(&r->names);
	free(r->module_of_input);
	free(r->ast_of_module);
	free(r->ast_of_decl);
	free(r->scope_of_decl);
	free(r->const_ready);
	free(r->borrowed_field);
}
