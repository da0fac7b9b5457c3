/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * pgtctl decode --arch A [--level L] VALUE...: what a raw entry means at
 * each level of the paging format (or at one): kind, the table or frame
 * it points to, the hardware view and every named bit.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <strings.h>
#include "commands.h"
#include "../arch/arch.h"
#include "../trace/trace.h"

static const char *const kind_names[] = {
	[PGT_ENT_EMPTY] = "empty",
	[PGT_ENT_TABLE] = "table",
	[PGT_ENT_LEAF] = "leaf",
	[PGT_ENT_NOTPRESENT] = "not-present",
	[PGT_ENT_BAD] = "malformed",
};

static int level_by_name(const struct pgt_arch *a, const char *s)
{
	unsigned i;

	for (i = 0; i < a->nlevels; i++)
		if (!strcasecmp(s, a->levels[i].name) ||
		    !strcasecmp(s, a->levels[i].lname))
			return (int)i;
	return -1;
}

static void decode_one(const struct pgt_arch *a, enum pgt_format fmt,
		       int level, uint64_t v, bool first)
{
	struct pgt_ent_info ei;
	char desc[200], fl[8], where[64] = "";

	a->entry_decode(level, v, &ei);
	a->entry_describe(level, v, desc, sizeof(desc));
	pgt_flags_str(ei.kind == PGT_ENT_LEAF ? ei.hw : 0, fl);
	if (ei.kind == PGT_ENT_TABLE)
		snprintf(where, sizeof(where), "table 0x%" PRIx64, ei.next);
	else if (ei.kind == PGT_ENT_LEAF)
		snprintf(where, sizeof(where), "frame 0x%" PRIx64 " size %" PRIu64,
			 ei.pa, ei.size);
	switch (fmt) {
	case PGT_FMT_JSON:
		printf("%s\n  {\"value\": \"0x%016" PRIx64 "\", \"level\": \"%s\", \"name\": \"%s\", \"kind\": \"%s\", \"flags\": \"%s\", \"decoded\": ",
		       first ? "" : ",", v, a->levels[level].lname,
		       a->levels[level].name, kind_names[ei.kind], fl);
		pgt_json_str(stdout, desc);
		if (ei.kind == PGT_ENT_TABLE)
			printf(", \"table\": \"0x%" PRIx64 "\"", ei.next);
		if (ei.kind == PGT_ENT_LEAF)
			printf(", \"pa\": \"0x%" PRIx64 "\", \"size\": %" PRIu64, ei.pa, ei.size);
		if (ei.why) {
			fputs(", \"why\": ", stdout);
			pgt_json_str(stdout, ei.why);
		}
		putchar('}');
		break;
	case PGT_FMT_TSV:
		printf("0x%016" PRIx64 "\t%s\t%s\t%s\t%s\t%s\n", v,
		       a->levels[level].lname, kind_names[ei.kind], fl,
		       where[0] ? where : "-", ei.why ? ei.why : desc);
		break;
	default:
		printf("  %-4s %-4s %-11s %s  %s%s%s\n", a->levels[level].name,
		       a->levels[level].lname, kind_names[ei.kind],
		       ei.kind == PGT_ENT_LEAF ? fl : "       ", desc,
		       ei.why ? "  !! " : where[0] ? "  -> " : "",
		       ei.why ? ei.why : where);
	}
}

enum { O_ARCH, O_LEVEL, O_FORMAT };

static const struct cli_opt decode_opts[] = {
	[O_ARCH] = { "arch", .arg = "ARCH", .comp = CLI_COMP_ARCH,
		     .help = "the paging format (required)" },
	[O_LEVEL] = { "level", .arg = "LEVEL", .comp = CLI_COMP_LEVEL,
		      .help = "only this level (its name or Linux's)" },
	[O_FORMAT] = CLI_OPT_FORMAT,
	{ NULL },
};

static int parse_opts(struct cli_args *a, const struct pgt_arch **arch,
		      int *level, enum pgt_format *fmt)
{
	const char *v, *lname = cli_val(a, O_LEVEL);
	uint64_t n;
	int i;

	if ((v = cli_val(a, O_ARCH)) && !(*arch = pgt_arch_find(v)))
		return cli_usage_error("decode", "unknown --arch '%s'; expected pae, s390x or s390", v);
	if ((v = cli_val(a, O_FORMAT)) && cli_parse_format("decode", v, fmt))
		return EXIT_USAGE;
	if (!*arch)
		return cli_usage_error("decode", "expected --arch pae|s390x|s390");
	if (lname && (*level = level_by_name(*arch, lname)) < 0)
		return cli_usage_error("decode", "unknown --level '%s' for %s", lname, (*arch)->name);
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
	const struct pgt_arch *arch = NULL;
	int rc, level = -1, i, l;
	bool first = true;
	uint64_t v;

	if ((rc = parse_opts(a, &arch, &level, &fmt)))
		return rc;
	if (fmt == PGT_FMT_JSON)
		putchar('[');
	else if (fmt == PGT_FMT_TSV)
		puts("# value\tlevel\tkind\tflags\tpoints_to\tdecoded");
	for (i = 0; i < a->argc; i++) {
		pgt_parse_u64(a->argv[i], &v);
		if (fmt == PGT_FMT_TEXT)
			printf("0x%016" PRIx64 "\n", v);
		for (l = 0; l < (int)arch->nlevels; l++) {
			if (level >= 0 && l != level)
				continue;
			decode_one(arch, fmt, l, v, first);
			first = false;
		}
	}
	if (fmt == PGT_FMT_JSON)
		puts("\n]");
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
