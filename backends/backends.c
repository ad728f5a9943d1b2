/* The backend table. */
#include "backends/backend.h"
#include "backends/c.h"
#include "backends/c_names.h"
#include "backends/desc.h"
#include "backends/json.h"
#include "backends/rust.h"

static const struct backend_option rust_options[] = {
	{
		.flag = "--rust-parent",
		.arg = "PATH",
		.help = "the Rust path of the modules an imported module's types\n"
			"are found in (default: super, for sibling module files)",
		.set = rust_set_parent,
	},
	{ .flag = NULL },
};

const struct backend backends[] = {
	{
		.name = "C header",
		.flag = "--c",
		.suffix = ".h",
		.help = "the C header (C11 and C++11)",
		.emit = be_c_header,
		.check_names = c_check_names,
	},
	{
		.name = "descriptor source",
		.flag = "--desc-c",
		.suffix = "_desc.c",
		.help = "the binary descriptor, to compile into the\n"
			"libraries that use (as it is) or implement (with\n"
			"MODULE_IMPLEMENTATION defined) the module",
		.emit = be_desc_source,
		.hashes = true,
		/* it spells only names the C header does */
		.check_names = NULL,
	},
	{
		.name = "JSON descriptor",
		.flag = "--json",
		.suffix = ".json",
		.help = "the JSON descriptor (doc/abi.md), the\n"
			"baseline chitin compat reads",
		.emit = be_json_descriptor,
		.hashes = true,
		.check_names = NULL,
	},
	{
		.name = "Rust module",
		.flag = "--rust",
		.suffix = ".rs",
		.help = "the module for Rust, on the crate chitin (doc/rust.md)",
		.emit = be_rust,
		.hashes = true,
		.check_names = rust_check_names,
		.options = rust_options,
	},
};

const uint32_t n_backends = sizeof backends / sizeof *backends;

void
be_name_checks(struct compile_options *o)
{
	static compile_name_check checks[sizeof backends / sizeof *backends];
	uint32_t i, n = 0;
	for (i = 0; i < n_backends; i++)
		if (backends[i].check_names)
			checks[n++] = backends[i].check_names;
	o->name_checks = checks;
	o->n_name_checks = n;
}
