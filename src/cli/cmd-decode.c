/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * pgtctl decode --arch A [--level L] VALUE...: what a raw entry means at
 * each level of the paging format (or at one): kind, the table or frame
 * it points to, the hardware view and every named bit.
 */
#include <getopt.h>
#include <stdlib.h>
#include <strings.h>
#include "commands.h"
#include "../arch/arch.h"
#include "../trace/trace.h"

static int level_by_name(const struct pgt_arch *a, const char *s)
{
	unsigned i;

	for (i = 0; i < a->nlevels; i++)
		if (!strcasecmp(s, a->levels[i].name) ||
		    !strcasecmp(s, a->levels[i].lname))
			return (int)i;
	return -1;
}

static int cmd_decode(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "arch", required_argument, NULL, 'a' },
		{ "level", required_argument, NULL, 'l' },
		{ "format", required_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	enum pgt_format fmt = PGT_FMT_TEXT;
	enum pgt_view view = PGT_VIEW_DECODE;
	const struct pgt_arch *a = NULL;
	struct pgt_render *r;
	const char *lname = NULL;
	int opt, level = -1, i;
	uint64_t v;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'a':
			if (!(a = pgt_arch_find(optarg)))
				return cli_usage_error("decode", "unknown --arch '%s'; expected pae, s390x or s390", optarg);
			break;
		case 'l': lname = optarg; break;
		case 'F':
			if (cli_parse_format("decode", optarg, &fmt))
				return EXIT_USAGE;
			break;
		case 'h':
			printf("Usage: pgtctl %s\n%s\n", pgt_cmd_decode.usage,
			       pgt_cmd_decode.summary);
			return 0;
		default:
			return cli_usage_error("decode", "bad option");
		}
	}
	if (!a)
		return cli_usage_error("decode", "expected --arch pae|s390x|s390");
	if (lname && (level = level_by_name(a, lname)) < 0)
		return cli_usage_error("decode", "unknown --level '%s' for %s", lname, a->name);
	if (optind >= argc)
		return cli_usage_error("decode", "expected at least one VALUE");
	for (i = optind; i < argc; i++)
		if (pgt_parse_u64(argv[i], &v))
			return cli_usage_error("decode", "bad value '%s'; expected a number (decimal or 0x hex)", argv[i]);
	if (cli_check_format("decode", fmt, &view, 1))
		return EXIT_USAGE;
	if (!(r = cli_render("decode", fmt)))
		return EXIT_USAGE;
	pgt_sink_begin(pgt_render_sink(r), PGT_VIEW_DECODE, a);
	for (i = optind; i < argc; i++) {
		pgt_parse_u64(argv[i], &v);
		pgt_view_decode(pgt_render_sink(r), a, level, v);
	}
	pgt_render_finish(r);
	return 0;
}

const struct pgt_cmd pgt_cmd_decode = {
	.name = "decode",
	.fn = cmd_decode,
	.usage = "decode --arch pae|s390x|s390 [--level LEVEL] [--format text|json|tsv] VALUE...",
	.summary = "decode a raw page-table entry at each level (or one) of a paging format",
};
