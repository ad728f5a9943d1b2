/* The command line: `chitin check` and friends (README, "Usage"). */
#include <config.h>

#include "ast.h"
#include "backends/backend.h"
#include "backends/json.h"
#include "backends/layout_print.h"
#include "checked.h"
#include "describe.h"
#include "diag.h"
#include "inspect.h"
#include "jsonread.h"
#include "outbuf.h"
#include "output.h"
#include "target.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* chitin --help: this, gen's line (which names every backend's output),
 * then usage_tail. */
static const char usage_head[] =
	"usage: chitin COMMAND [OPTION]... FILE.idl...\n"
	"\n"
	"Commands:\n"
	"  check    check IDL files and report every error\n"
	"  layout   show the layout of a module's types on each target\n";

static const char usage_tail[] =
	"  compat   check that a new version of a module is compatible with an old one\n"
	"  inspect  list the descriptors a built library or object file carries\n"
	"  targets  list the targets chitin lays types out for\n"
	"\n"
	"Options for every command:\n"
	"  --help       show help (chitin COMMAND --help for a command)\n"
	"  --version    show the version\n";

static const char check_help[] =
	"usage: chitin check [-I DIR]... [--display-name NAME] FILE.idl...\n"
	"\n"
	"Checks IDL files and the files they import, and reports every error\n"
	"as FILE:LINE:COLUMN: error: MESSAGE on standard error.\n"
	"\n"
	"  -I DIR               search DIR for imported files (after the\n"
	"                       importing file's own directory); repeatable\n"
	"  -                    read a file from standard input\n"
	"  --display-name NAME  name standard input NAME in diagnostics\n"
	"  --max-errors N       stop after N errors (default 50; 0: no limit)\n"
	"  --dump-ast           print the syntax tree of each file\n"
	"  --dump-model         print the checked model\n"
	"\n"
	"Exit status: 0 valid, 1 errors in the input, 2 usage or I/O error.\n";

static const char layout_help[] =
	"usage: chitin layout [-I DIR]... [--target TARGET|all] [--json] FILE.idl\n"
	"\n"
	"Checks FILE.idl and prints the size, alignment and field offsets of\n"
	"each of its types on each target, padding included.\n"
	"\n"
	"  -I DIR             search DIR for imported files; repeatable\n"
	"  --target TARGET    one target (default: all of them; chitin targets\n"
	"                     lists them)\n"
	"  --json             print JSON (the format of doc/abi.md) instead\n"
	"  --display-name NAME, --max-errors N: as for chitin check\n"
	"\n"
	"Exit status: 0 ok, 1 errors in the input, 2 usage or I/O error.\n";

/* chitin gen --help: this, a line per backend, then gen_help_tail. */
static const char gen_help_head[] =
	"usage: chitin gen [-I DIR]... [-o DIR] [OUTPUT FLAG]...\n"
	"                  [-MD -MF FILE [-MT TARGET] [-MP]]\n"
	"                  [--verify] FILE.idl...\n"
	"\n"
	"Checks the files and writes, for each module named on the command line,\n"
	"its outputs into DIR (default: the current directory).  Without an\n"
	"output flag, every output is written.  A file is written whole or not\n"
	"at all, and not rewritten when its content is unchanged.\n"
	"\n"
	"  -I DIR       search DIR for imported files; repeatable\n"
	"  -o DIR       write outputs into DIR, made (with its parents) if missing\n";

static const char gen_help_tail[] =
	"  -MD          also write a make dependency file (with -MF FILE), its\n"
	"               names escaped for make as GCC escapes them\n"
	"  -MF FILE     the dependency file\n"
	"  -MT TARGET   the target of the dependency rule (default: the outputs)\n"
	"  -MP          also a rule with no prerequisites for each file but the\n"
	"               first, so make does not stop when an imported file is gone\n"
	"  --verify     write nothing; exit 1 if an output would change\n"
	"  --display-name NAME, --max-errors N: as for chitin check\n"
	"\n"
	"Exit status: 0 ok, 1 errors in the input (or, with --verify, an output\n"
	"out of date), 2 usage or I/O error.\n";

static const char targets_help[] =
	"usage: chitin targets\n"
	"\n"
	"Prints the targets chitin lays types out for, one per line, with four\n"
	"fields separated by tabs: chitin's name (what --target takes), the\n"
	"clang triple whose layouts chitin's match, the Rust target, and the C\n"
	"preprocessor condition that is true exactly when compiling for it.\n"
	"\n"
	"Exit status: 0 ok, 2 usage or I/O error.\n";

static const char compat_help[] =
	"usage: chitin compat [-I DIR]... [--target TARGET|all] OLD.json NEW.idl\n"
	"\n"
	"Compares the module of NEW.idl with the descriptor OLD.json that\n"
	"`chitin gen --json` wrote for an earlier version, as the loader would:\n"
	"both a host built against the old version loading a plugin built\n"
	"against the new one, and the other way round.  Reports every\n"
	"difference that breaks either, naming the type, field or slot.\n"
	"\n"
	"  -I DIR             search DIR for files NEW.idl imports; repeatable\n"
	"  --target TARGET    compare on one target only (default: all)\n"
	"\n"
	"Exit status: 0 compatible, 1 incompatible or errors in the input,\n"
	"2 usage or I/O error.\n";

static const char inspect_help[] =
	"usage: chitin inspect [--json | --against MODULE.json] FILE\n"
	"\n"
	"Reads the descriptors that FILE, a built library, plugin, program or\n"
	"object file (ELF, PE, COFF or Mach-O, universal too, or an ar archive\n"
	"of them), carries in its descriptor section, without loading it, and\n"
	"lists each: its module, version and targets, the modules it imports,\n"
	"its types with their layouts, its interfaces with their slots, and its\n"
	"exports.\n"
	"\n"
	"  --json              print JSON instead (doc/descriptor.md 13)\n"
	"  --against M.json    compare the descriptors of the module of M.json,\n"
	"                      which `chitin gen --json` wrote, with it as the\n"
	"                      loader compares a plugin with its host, on each\n"
	"                      of their targets, and report what breaks\n"
	"  -                   read FILE from standard input\n"
	"\n"
	"Exit status: 0 ok (with --against, compatible), 1 no descriptor, a\n"
	"malformed file or descriptor (or, with --against, incompatible), 2 usage\n"
	"or I/O error.\n";

struct cli {
	bool compat;           /* the command takes --target, OLD.json */
	bool gen;              /* the command takes -o, the output flags, -M*, --verify */
	const char *out_dir;
	bool verify, dep_file_on, dep_phony;
	const char *dep_file, *dep_target;
	bool layout;           /* the command takes --target and --json */
	uint32_t backend_mask; /* gen: bit i selects backends[i] */
	unsigned target_mask;
	bool json;             /* layout: print JSON */
	const char **include_dirs;
	uint32_t n_include_dirs, cap_include_dirs;
	const char **files;
	uint32_t n_files, cap_files;
	const char *display_name;
	unsigned max_errors;
	bool dump_ast, dump_model;
};

static const char *usage_command = "chitin";
static int usage_error(const char *fmt, ...) DIAG_PRINTF(1, 2);

static int
usage_error(const char *fmt, ...)
{
	va_list ap;
	fputs("chitin: error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help'.\n", usage_command);
	return 2;
}

/* An option's value: "--opt=V", "--opt V", "-IV", "-I V". */
static const char *
option_value(int argc, char **argv, int *i, const char *name)
{
	size_t n = strlen(name);
	const char *a = argv[*i];
	if (strncmp(a, name, n) == 0 && a[n] == '=')
		return a + n + 1;
	if (strncmp(a, name, n) == 0 && a[n] == '\0') {
		if (*i + 1 >= argc)
			return NULL;
		return argv[++*i];
	}
	if (n == 2 && strncmp(a, name, 2) == 0)
		return a + 2;   /* -IDIR */
	return NULL;
}

/* The index of the backend whose flag is flag, or -1. */
static int
backend_named(const char *flag)
{
	uint32_t i;
	for (i = 0; i < n_backends; i++)
		if (strcmp(backends[i].flag, flag) == 0)
			return (int)i;
	return -1;
}

/* The backend option whose flag is flag, or NULL. */
static const struct backend_option *
backend_option_named(const char *flag)
{
	uint32_t i;
	const struct backend_option *o;
	for (i = 0; i < n_backends; i++)
		for (o = backends[i].options; o && o->flag; o++)
			if (strcmp(o->flag, flag) == 0)
				return o;
	return NULL;
}

static int
parse_args(struct cli *cli, int argc, char **argv, int first, void (*help)(void))
{
	int i;
	bool only_files = false;
	cli->max_errors = 50;
	for (i = first; i < argc; i++) {
		const char *a = argv[i];
		if (only_files || a[0] != '-' || strcmp(a, "-") == 0) {
			VEC_PUSH(cli->files, cli->n_files, cli->cap_files) = a;
		} else if (strcmp(a, "--") == 0) {
			only_files = true;
		} else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			help();
			return 0;
		} else if (strncmp(a, "-I", 2) == 0) {
			const char *v = option_value(argc, argv, &i, "-I");
			struct stat st;
			if (!v || !*v)
				return usage_error("option '%s' needs a directory", "-I");
			VEC_PUSH(cli->include_dirs, cli->n_include_dirs, cli->cap_include_dirs) = v;
			/* a typo in a directory would otherwise show up only as a
			 * missing import, if at all */
			if (stat(v, &st) != 0)
				fprintf(stderr, "chitin: warning: -I %s: %s\n", v, strerror(errno));
			else if (!S_ISDIR(st.st_mode))
				fprintf(stderr, "chitin: warning: -I %s: not a directory\n", v);
		} else if (strncmp(a, "--display-name", 14) == 0 && (a[14] == '\0' || a[14] == '=')) {
			cli->display_name = option_value(argc, argv, &i, "--display-name");
			if (!cli->display_name)
				return usage_error("option '%s' needs a name", "--display-name");
		} else if (strncmp(a, "--max-errors", 12) == 0 && (a[12] == '\0' || a[12] == '=')) {
			const char *v = option_value(argc, argv, &i, "--max-errors");
			char *end;
			unsigned long n;
			if (!v)
				return usage_error("option '%s' needs a number", "--max-errors");
			n = strtoul(v, &end, 10);
			if (*end || !*v || n > 1000000)
				return usage_error("invalid number of errors '%s'", v);
			cli->max_errors = n ? (unsigned)n : UINT32_MAX;
		} else if ((cli->layout || cli->compat) && strncmp(a, "--target", 8) == 0 && (a[8] == '\0' || a[8] == '=')) {
			const char *v = option_value(argc, argv, &i, "--target");
			int t;
			if (!v)
				return usage_error("option '%s' needs a target", "--target");
			if (strcmp(v, "all") == 0) {
				cli->target_mask = TARGET_ALL;
			} else if ((t = target_find(v)) < 0) {
				return usage_error("unknown target '%s' (chitin targets lists them)", v);
			} else {
				cli->target_mask = 1u << t;
			}
		} else if (cli->layout && strcmp(a, "--json") == 0) {
			cli->json = true;
		} else if (cli->gen && strncmp(a, "-o", 2) == 0) {
			const char *v = option_value(argc, argv, &i, "-o");
			if (!v || !*v)
				return usage_error("option '%s' needs a directory", "-o");
			if (cli->out_dir)
				return usage_error("option '-o' is given twice ('%s', then '%s')", cli->out_dir, v);
			cli->out_dir = v;
		} else if (cli->gen && backend_named(a) >= 0) {
			cli->backend_mask |= 1u << backend_named(a);
		} else if (cli->gen && backend_option_named(a)) {
			const struct backend_option *bo = backend_option_named(a);
			const char *v = option_value(argc, argv, &i, bo->flag);
			if (!v || !*v)
				return usage_error("option '%s' needs a value", bo->flag);
			bo->set(v);
		} else if (cli->gen && strcmp(a, "--verify") == 0) {
			cli->verify = true;
		} else if (cli->gen && strcmp(a, "-MD") == 0) {
			cli->dep_file_on = true;
		} else if (cli->gen && strcmp(a, "-MP") == 0) {
			cli->dep_phony = true;
		} else if (cli->gen && strcmp(a, "-MF") == 0) {
			cli->dep_file = option_value(argc, argv, &i, "-MF");
			if (!cli->dep_file)
				return usage_error("option '%s' needs a file", "-MF");
		} else if (cli->gen && strcmp(a, "-MT") == 0) {
			cli->dep_target = option_value(argc, argv, &i, "-MT");
			if (!cli->dep_target)
				return usage_error("option '%s' needs a target", "-MT");
		} else if (strcmp(a, "--dump-ast") == 0) {
			cli->dump_ast = true;
		} else if (strcmp(a, "--dump-model") == 0) {
			cli->dump_model = true;
		} else {
			return usage_error("unknown option '%s'", a);
		}
	}
	if (cli->n_files == 0)
		return usage_error("%s", "no input files");
	if (cli->gen && cli->dep_file_on && !cli->dep_file)
		return usage_error("%s", "-MD needs -MF FILE");
	return -1;
}

/* Builds the checked program of files with the command line's options
 * and every backend's name rules; returns what ck_build does. */
static int
build(struct checked *ck, const struct cli *cli, const char *const *files, uint32_t n_files,
      enum ck_stage stage)
{
	struct compile_options o;
	memset(&o, 0, sizeof o);
	o.include_dirs = cli->include_dirs;
	o.n_include_dirs = cli->n_include_dirs;
	o.display_name = cli->display_name;
	o.max_errors = cli->max_errors;
	o.keep_ast = cli->dump_ast;
	be_name_checks(&o);
	return ck_build(ck, stderr, &o, files, n_files, stage);
}

/* The end of every command: what it allocated for the command line, and
 * a failed write to standard output turned into status 2. */
static int
finish(struct cli *cli, int status)
{
	free(cli->files);
	free(cli->include_dirs);
	return status;
}

/* The help's widest line: every --help fits a terminal of 80 columns
 * (tests/run-help.sh). */
enum { HELP_COLUMNS = 80 };

/* Prints text to f after prefix, its words wrapped at HELP_COLUMNS, each
 * line after the first indented by indent spaces. */
static void
print_wrapped(FILE *f, const char *prefix, int indent, const char *text)
{
	size_t col = strlen(prefix);
	const char *word = text;
	fputs(prefix, f);
	while (*word) {
		size_t len = strcspn(word, " ");
		if (word != text && col + 1 + len > HELP_COLUMNS)
			col = (size_t)fprintf(f, "\n%*s", indent, "") - 1;
		else if (word != text)
			col += (size_t)fprintf(f, " ");
		col += (size_t)fprintf(f, "%.*s", (int)len, word);
		word += len;
		word += *word == ' ';
	}
	fputs("\n", f);
}

/* Prints `chitin --help` to f; gen's line names each backend's output. */
static void
print_usage(FILE *f)
{
	char outputs[256];
	size_t len = 0;
	uint32_t i;
	len += (size_t)snprintf(outputs, sizeof outputs, "generate a module's");
	for (i = 0; i < n_backends && len < sizeof outputs; i++)
		len += (size_t)snprintf(outputs + len, sizeof outputs - len, "%s%s",
					i == 0 ? " " : i + 1 == n_backends ? " and " : ", ",
					backends[i].name);
	fputs(usage_head, f);
	print_wrapped(f, "  gen      ", 11, outputs);
	fputs(usage_tail, f);
}

static void help_check(void) { fputs(check_help, stdout); }
static void help_layout(void) { fputs(layout_help, stdout); }
static void help_compat(void) { fputs(compat_help, stdout); }

static void
help_gen(void)
{
	uint32_t i;
	fputs(gen_help_head, stdout);
	for (i = 0; i < n_backends; i++) {
		const char *line = backends[i].help, *nl;
		/* "  --desc-c     MODULE_desc.c: first line\n", continuations
		 * under it */
		printf("  %-12s MODULE%s: ", backends[i].flag, backends[i].suffix);
		for (; (nl = strchr(line, '\n')); line = nl + 1)
			printf("%.*s\n               ", (int)(nl - line), line);
		printf("%s\n", line);
	}
	for (i = 0; i < n_backends; i++) {
		const struct backend_option *o;
		for (o = backends[i].options; o && o->flag; o++) {
			const char *line = o->help, *nl;
			char head[64];
			snprintf(head, sizeof head, "%s %s", o->flag, o->arg);
			printf("  %s\n               ", head);
			for (; (nl = strchr(line, '\n')); line = nl + 1)
				printf("%.*s\n               ", (int)(nl - line), line);
			printf("%s\n", line);
		}
	}
	fputs(gen_help_tail, stdout);
}

static int
cmd_check(int argc, char **argv)
{
	struct cli cli;
	struct checked ck;
	int status, i;

	memset(&cli, 0, sizeof cli);
	usage_command = "chitin check";
	status = parse_args(&cli, argc, argv, 2, help_check);
	if (status >= 0)
		goto done;
	status = build(&ck, &cli, cli.files, cli.n_files, CK_LAYOUT);
	if (cli.dump_ast)
		for (i = 0; i < (int)ck.comp.n_files; i++)
			if (compile_ast(&ck.comp, (uint32_t)i))
				ast_dump(stdout, compile_ast(&ck.comp, (uint32_t)i));
	if (cli.dump_model && status == 0)
		model_dump(stdout, ck.m);
	ck_free(&ck);
done:
	return finish(&cli, status);
}

static int
cmd_layout(int argc, char **argv)
{
	struct cli cli;
	struct checked ck;
	int status;
	uint32_t mi;

	memset(&cli, 0, sizeof cli);
	cli.layout = true;
	cli.target_mask = TARGET_ALL;
	usage_command = "chitin layout";
	status = parse_args(&cli, argc, argv, 2, help_layout);
	if (status >= 0)
		goto done;
	if (cli.n_files != 1) {
		status = usage_error("%s", "chitin layout takes one file");
		goto done;
	}
	status = build(&ck, &cli, cli.files, cli.n_files, cli.json ? CK_IDS : CK_LAYOUT);
	if (status == 0) {
		struct outbuf out;
		ob_init(&out);
		for (mi = 0; mi < ck.m->n_modules; mi++) {
			if (!ck.m->modules[mi].from_command_line)
				continue;
			if (cli.json)
				be_json_layout(&out, &ck, mi, cli.target_mask);
			else
				be_layout_text(&out, &ck, mi, cli.target_mask);
		}
		fwrite(out.data, 1, out.len, stdout);
		ob_free(&out);
	}
	ck_free(&ck);
done:
	return finish(&cli, status);
}

/* Compares old (JSON) and new (model) on one target in both directions;
 * appends the problems to report.  Returns the number found. */
static uint32_t
compat_target(struct outbuf *report, const struct chitin_descriptor *old_d,
	      const struct chitin_descriptor *new_d)
{
	struct chitin_desc_report r;
	uint32_t n = 0, k;
	static const char *const what[2] = {
		"a host built against the old version, loading a plugin built against the new one",
		"a host built against the new version, loading a plugin built against the old one",
	};
	for (k = 0; k < 2; k++) {
		uint32_t found = k == 0 ? desc_compare(old_d, new_d, old_d->minor, &r)
				 : desc_compare(new_d, old_d, 0, &r);
		if (!found)
			continue;
		n += found;
		ob_printf(report, "  %s:\n", what[k]);
		desc_put_report(report, &r, "    ");
	}
	return n;
}

static int
cmd_compat(int argc, char **argv)
{
	struct cli cli;
	struct checked ck;
	int status;
	char *text = NULL;
	size_t len;

	memset(&cli, 0, sizeof cli);
	cli.compat = true;
	cli.target_mask = TARGET_ALL;
	usage_command = "chitin compat";
	status = parse_args(&cli, argc, argv, 2, help_compat);
	if (status >= 0)
		goto done;
	if (cli.n_files != 2) {
		status = usage_error("%s", "chitin compat takes OLD.json and NEW.idl");
		goto done;
	}
	if (!compile_read_file(cli.files[0], &text, &len)) {
		fprintf(stderr, "chitin: error: cannot read '%s': %s\n", cli.files[0], strerror(errno));
		status = 2;
		goto done;
	}
	status = build(&ck, &cli, cli.files + 1, 1, CK_IDS);
	if (status == 0) {
		char err[256];
		struct arena *arena = &ck.comp.arena;
		struct jv *root = json_parse(arena, text, len, err, sizeof err);
		if (!root) {
			fprintf(stderr, "%s: error: not a JSON descriptor: %s\n", cli.files[0], err);
			status = 1;
		} else {
			struct outbuf report, last;
			unsigned ti;
			uint32_t mi, total = 0;
			ob_init(&report);
			ob_init(&last);
			for (mi = 0; mi < ck.m->n_modules && !ck.m->modules[mi].from_command_line; mi++)
				;
			for (ti = 0; ti < TARGET_COUNT && status == 0; ti++) {
				struct chitin_descriptor old_d, new_d;
				struct outbuf one;
				if (!(cli.target_mask & (1u << ti)))
					continue;
				if (!desc_from_json(&old_d, arena, root, targets[ti].name, err, sizeof err)) {
					fprintf(stderr, "%s: error: not a JSON descriptor: %s\n", cli.files[0], err);
					status = 1;
					break;
				}
				desc_from_model(&new_d, arena, &ck, mi, ti);
				ob_init(&one);
				total += compat_target(&one, &old_d, &new_d);
				desc_put_target_report(&report, &last, targets[ti].name, &one);
				ob_free(&one);
			}
			if (status == 0 && total) {
				fprintf(stderr, "chitin: %s is not compatible with %s:\n%s", cli.files[1],
					cli.files[0], report.data);
				status = 1;
			} else if (status == 0) {
				printf("%s is compatible with %s\n", cli.files[1], cli.files[0]);
			}
			ob_free(&report);
			ob_free(&last);
		}
	}
	ck_free(&ck);
done:
	free(text);
	return finish(&cli, status);
}

/* path as make reads it back, as GCC writes dependency files: a space
 * or tab after a backslash and the backslashes before it, '#' escaped
 * with a backslash, '$' doubled; so a file name cannot split a rule or
 * run a command. */
static void
put_make_path(struct outbuf *b, const char *path)
{
	const char *p;
	size_t backslashes = 0;
	for (p = path; *p; p++) {
		switch (*p) {
		case ' ':
		case '\t':
			for (; backslashes; backslashes--)
				ob_putc(b, '\\');
			ob_putc(b, '\\');
			break;
		case '#': ob_putc(b, '\\'); break;
		case '$': ob_putc(b, '$'); break;
		default: break;
		}
		backslashes = *p == '\\' ? backslashes + 1 : 0;
		ob_putc(b, *p);
	}
}

/* The make rule naming every file the outputs were made from; -MT's
 * target is written as given, as GCC's is.  With -MP, as GCC's -MP, a rule
 * without prerequisites follows for every file but the first, so that a
 * make reading the file does not stop at an imported file since removed. */
static void
dep_rule(struct output_set *deps, const struct output_set *outs, const struct checked *ck,
	 const struct cli *cli)
{
	struct outbuf *b = out_add(deps, cli->dep_file);
	const struct diag *d = &ck->comp.diag;
	uint32_t i;
	if (cli->dep_target) {
		ob_puts(b, cli->dep_target);
	} else {
		for (i = 0; i < outs->n_files; i++) {
			if (i)
				ob_putc(b, ' ');
			put_make_path(b, cli->out_dir ? cli->out_dir : ".");
			ob_putc(b, '/');
			put_make_path(b, outs->files[i]->name);
		}
	}
	ob_putc(b, ':');
	for (i = 0; i < d->n_files; i++)
		if (d->files[i]->path) {
			ob_putc(b, ' ');
			put_make_path(b, d->files[i]->path);
		}
	ob_putc(b, '\n');
	for (i = 1; cli->dep_phony && i < d->n_files; i++)
		if (d->files[i]->path) {
			ob_putc(b, '\n');
			put_make_path(b, d->files[i]->path);
			ob_puts(b, ":\n");
		}
}

static int
cmd_gen(int argc, char **argv)
{
	struct cli cli;
	struct checked ck;
	enum ck_stage stage = CK_CLASSES;
	uint32_t bi;
	int status;

	memset(&cli, 0, sizeof cli);
	cli.gen = true;
	usage_command = "chitin gen";
	status = parse_args(&cli, argc, argv, 2, help_gen);
	if (status >= 0)
		goto done;
	if (!cli.backend_mask)
		cli.backend_mask = (1u << n_backends) - 1;  /* no flag: every output */
	for (bi = 0; bi < n_backends; bi++)
		if ((cli.backend_mask & (1u << bi)) && backends[bi].hashes)
			stage = CK_IDS;
	status = build(&ck, &cli, cli.files, cli.n_files, stage);
	if (status == 0) {
		struct output_set outs;
		uint32_t mi;
		out_init(&outs);
		status = out_stream(&outs, cli.out_dir ? cli.out_dir : ".", cli.verify, &ck.comp.diag);
		for (mi = 0; mi < ck.m->n_modules && status == 0; mi++) {
			const struct m_module *mod = &ck.m->modules[mi];
			if (!mod->from_command_line)
				continue;
			for (bi = 0; bi < n_backends; bi++) {
				size_t n = strlen(mod->name) + strlen(backends[bi].suffix) + 1;
				char *name;
				if (!(cli.backend_mask & (1u << bi)))
					continue;
				name = xmalloc(n);
				snprintf(name, n, "%s%s", mod->name, backends[bi].suffix);
				backends[bi].emit(out_add(&outs, name), &ck, mi);
				free(name);
			}
		}
		if (status == 0)
			status = out_commit(&outs);
		if (status == 0 && cli.dep_file_on) {
			struct output_set deps;
			out_init(&deps);
			dep_rule(&deps, &outs, &ck, &cli);
			/* the dependency file is named as given, not in -o */
			status = out_write(&deps, ".", cli.verify, &ck.comp.diag);
			out_free(&deps);
		}
		out_free(&outs);
	}
	ck_free(&ck);
done:
	return finish(&cli, status);
}

static int
cmd_inspect(int argc, char **argv)
{
	const char *file = NULL, *against_path = NULL;
	bool json = false, only_files = false;
	char *bytes = NULL, *against_text = NULL;
	size_t len, against_len;
	struct arena arena;
	struct insp_options o;
	struct outbuf out, err;
	int i, status;

	usage_command = "chitin inspect";
	for (i = 2; i < argc; i++) {
		const char *a = argv[i];
		if (only_files || a[0] != '-' || strcmp(a, "-") == 0) {
			if (file)
				return usage_error("%s", "chitin inspect takes one file");
			file = a;
		} else if (strcmp(a, "--") == 0) {
			only_files = true;
		} else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			fputs(inspect_help, stdout);
			return 0;
		} else if (strcmp(a, "--json") == 0) {
			json = true;
		} else if (strncmp(a, "--against", 9) == 0 && (a[9] == '\0' || a[9] == '=')) {
			against_path = option_value(argc, argv, &i, "--against");
			if (!against_path || !*against_path)
				return usage_error("option '%s' needs a file", "--against");
		} else {
			return usage_error("unknown option '%s'", a);
		}
	}
	if (!file)
		return usage_error("%s", "no input file");
	if (json && against_path)
		return usage_error("%s", "--json and --against do not go together");
	if (against_path && strcmp(file, "-") == 0 && strcmp(against_path, "-") == 0)
		return usage_error("%s", "FILE and --against cannot both be standard input");
	if (!compile_read_file(file, &bytes, &len)) {
		fprintf(stderr, "chitin: error: cannot read '%s': %s\n", file,
			errno == EFBIG ? "file is larger than 1 GiB" : strerror(errno));
		return 2;
	}
	if (against_path && !compile_read_file(against_path, &against_text, &against_len)) {
		fprintf(stderr, "chitin: error: cannot read '%s': %s\n", against_path, strerror(errno));
		free(bytes);
		return 2;
	}
	arena_init(&arena);
	memset(&o, 0, sizeof o);
	o.file_name = strcmp(file, "-") == 0 ? "<stdin>" : file;
	o.json = json;
	o.against_name = against_path;
	o.arena = &arena;
	ob_init(&out);
	ob_init(&err);
	status = 0;
	if (against_path) {
		char why[256];
		o.against = json_parse(&arena, against_text, against_len, why, sizeof why);
		if (!o.against) {
			fprintf(stderr, "%s: error: not a JSON descriptor: %s\n", against_path, why);
			status = 1;
		}
	}
	if (status == 0)
		status = insp_file((const uint8_t *)bytes, len, &o, &out, &err);
	fwrite(out.data, 1, out.len, stdout);
	fwrite(err.data, 1, err.len, stderr);
	ob_free(&out);
	ob_free(&err);
	arena_free(&arena);
	free(against_text);
	free(bytes);
	return status;
}

static int
cmd_targets(int argc, char **argv)
{
	unsigned ti;
	usage_command = "chitin targets";
	if (argc == 3 && (strcmp(argv[2], "--help") == 0 || strcmp(argv[2], "-h") == 0)) {
		fputs(targets_help, stdout);
		return 0;
	}
	if (argc > 2)
		return usage_error("unexpected argument '%s'", argv[2]);
	for (ti = 0; ti < TARGET_COUNT; ti++)
		printf("%s\t%s\t%s\t%s\n", targets[ti].name, targets[ti].clang_triple,
		       targets[ti].rust_target, targets[ti].c_guard);
	return 0;
}

/* Runs the command argv names. */
static int
run_command(int argc, char **argv)
{
	if (argc < 2) {
		print_usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("%s\n", PACKAGE_STRING);
		return 0;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		print_usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "check") == 0)
		return cmd_check(argc, argv);
	if (strcmp(argv[1], "layout") == 0)
		return cmd_layout(argc, argv);
	if (strcmp(argv[1], "gen") == 0)
		return cmd_gen(argc, argv);
	if (strcmp(argv[1], "compat") == 0)
		return cmd_compat(argc, argv);
	if (strcmp(argv[1], "inspect") == 0)
		return cmd_inspect(argc, argv);
	if (strcmp(argv[1], "targets") == 0)
		return cmd_targets(argc, argv);
	return usage_error("unknown command '%s'", argv[1]);
}

/* Every command's output to stdout ends here: a write that failed at any
 * point (a full disk, a closed stdout; stdio remembers it in the stream's
 * error flag even after later flushes succeed) and the final close make
 * the exit status 2, whatever the command said.  A closed stdout that
 * nothing was written to is no error (as GNU's close_stdout has it). */
int
main(int argc, char **argv)
{
	int status = run_command(argc, argv);
	int flushed = fflush(stdout), failed = ferror(stdout), closed;
	errno = 0;
	closed = fclose(stdout);
	if ((closed != 0 && errno != EBADF) || flushed != 0 || failed) {
		fprintf(stderr, "chitin: error: cannot write the standard output\n");
		if (status < 2)
			status = 2;
	}
	return status;
}
