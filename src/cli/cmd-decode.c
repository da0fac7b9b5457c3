/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * pgtctl decode --arch A [--level L] VALUE...: what a raw entry means at
 * each level of the paging format (or at one): kind, the table or frame
 * it points to, the hardware view and every named bit.
 */
#include <stdio.h>
#include <stdlib.h>
#include "commands.h"
#include "../arch/arch.h"
#include "../trace/trace.h"

/* "PD (pgd) or PT (pte)": what --level takes for this arch */
static const char *level_names(const struct pgt_arch *a, char *buf, size_t len)
{
	size_t n = 0;
	unsigned i;

	buf[0] = '\0';
	for (i = 0; i < a->nlevels && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%s%s (%s)",
				      !i ? "" : i + 1 < a->nlevels ? ", " : " or ",
				      a->levels[i].name, a->levels[i].lname);
	return buf;
}

enum { O_ARCH, O_LEVEL, O_FORMAT };

static const struct cli_opt decode_opts[] = {
	[O_ARCH] = { "arch", .arg = "ARCH", .comp = CLI_COMP_ARCH,
		     .help = "the paging format (required)" },
	[O_LEVEL] = { "level", .arg = "LEVEL", .comp = CLI_COMP_LEVEL,
		      .help = "only this level (its name or Linux's)" },
	[O_FORMAT] = CLI_OPT_FORMAT_FLAT,
	{ NULL },
};

static int parse_opts(struct cli_args *a, const struct pgt_arch **arch,
		      int *level, enum pgt_format *fmt)
{
	const char *v, *lname = cli_val(a, O_LEVEL);
	uint64_t n;
	int i;

	char names[120];

	pgt_arch_names(names, sizeof(names), "");
	if ((v = cli_val(a, O_ARCH)) && !(*arch = pgt_arch_find(v)))
		return cli_usage_error("decode", "unknown --arch '%s'; expected %s", v, names);
	if ((v = cli_val(a, O_FORMAT)) && cli_parse_format("decode", v, fmt))
		return EXIT_USAGE;
	if (!*arch)
		return cli_usage_error("decode", "expected --arch NAME (%s)", names);
	if (lname && (*level = pgt_arch_level_find(*arch, lname)) < 0)
		return cli_usage_error("decode", "unknown --level '%s' for %s; expected %s",
				       lname, (*arch)->name,
				       level_names(*arch, names, sizeof(names)));
	if (!a->argc)
		return cli_usage_error("decode", "expected at least one VALUE");
	for (i = 0; i < a->argc; i++)
		if (pgt_parse_u64(a->argv[i], &n))
			return cli_usage_error("decode", "bad value '%s'; expected a number (decimal or 0x hex)", a->argv[i]);
	return 0;
}

static int cmd_decode(struct cli_args *a)
{
	enum pgt_format fmt = PGT_FMT_TEXT;
	enum pgt_view view = PGT_VIEW_DECODE;
	const struct pgt_arch *arch = NULL;
	struct pgt_render *r;
	int rc, level = -1, i;
	uint64_t v;

	if ((rc = parse_opts(a, &arch, &level, &fmt)))
		return rc;
	if (cli_check_format("decode", fmt, &view, 1))
		return EXIT_USAGE;
	if (!(r = cli_render("decode", fmt)))
		return EXIT_USAGE;
	pgt_sink_begin(pgt_render_sink(r), PGT_VIEW_DECODE, arch);
	for (i = 0; i < a->argc; i++) {
		pgt_parse_u64(a->argv[i], &v);
		pgt_view_decode(pgt_render_sink(r), arch, level, v);
	}
	pgt_render_finish(r);
	return 0;
}

static const struct cli_operand decode_operands[] = {
	{ .name = "VALUE", .comp = CLI_COMP_NONE, .repeat = true },
	{ NULL },
};

const struct pgt_cmd pgt_cmd_decode = {
	.name = "decode",
	.summary = "decode raw page-table entries at each level of a paging format",
	.operands = decode_operands,
	.opts = decode_opts,
	.exec = cmd_decode,
};
