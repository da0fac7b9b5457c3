/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * pgtctl translate SOURCE VA...: walk addresses level by level, in the
 * state a trace leaves (replayed) or in a memory dump (told by content).
 */
#include <stdio.h>
#include <string.h>
#include "commands.h"
#include "cli-source.h"
#include "../session/replay.h"

enum { O_FORMAT, O_UNTIL, O_MM, O_ROOT, O_ARCH, O_PHYS_BASE };

static const struct cli_opt translate_opts[] = {
	[O_FORMAT] = CLI_OPT_FORMAT_FLAT,
	[O_UNTIL] = CLI_OPT_UNTIL,
	[O_MM] = CLI_OPT_MM,
	[O_ROOT] = CLI_OPT_ROOT,
	[O_ARCH] = { "arch", .arg = "ARCH", .comp = CLI_COMP_ARCH,
		     .sources = CLI_SRC_DUMP | CLI_SRC_RAW,
		     .help = "the paging format (a raw image needs it)" },
	[O_PHYS_BASE] = CLI_OPT_PHYS_BASE,
	{ NULL },
};

static int parse_opts(struct cli_args *a, enum pgt_format *fmt,
		      struct pgt_replay_opts *o, int *mm_id,
		      struct pgt_dump_source_opts *dopts)
{
	const char *v;
	uint64_t n;
	int i;

	if ((v = cli_val(a, O_FORMAT)) && cli_parse_format("translate", v, fmt))
		return EXIT_USAGE;
	if ((v = cli_val(a, O_UNTIL)) && cli_parse_until("translate", v, &o->until))
		return EXIT_USAGE;
	if ((v = cli_val(a, O_MM)) && cli_parse_mm_id("translate", "mm", v, mm_id))
		return EXIT_USAGE;
	dopts->root = cli_val(a, O_ROOT);
	dopts->arch = cli_val(a, O_ARCH);
	if ((v = cli_val(a, O_PHYS_BASE)) && pgt_parse_u64(v, &dopts->phys_base))
		return cli_usage_error("translate", "bad --phys-base '%s'; expected a physical address", v);
	if (a->argc < 2)
		return cli_usage_error("translate", "expected a TRACE or DUMP and at least one VA");
	for (i = 1; i < a->argc; i++)
		if (pgt_parse_u64(a->argv[i], &n))
			return cli_usage_error("translate", "bad address '%s'; expected a number (decimal or 0x hex)", a->argv[i]);
	return cli_check_source(a, a->argv[0],
				cli_source_kind(a->cmd, a->argv[0],
						dopts->arch != NULL));
}

/* the mm a trace leaves (its last live one when the current has exited,
 * said on stderr) */
static int trace_src(struct pgt_engine *e, int mm_id, struct pgt_view_src *src,
		     struct pgt_err *err)
{
	struct pgt_engine_pick p;
	int rc = pgt_engine_pick(&p, e, mm_id, err);

	if (rc)
		return rc;
	if (p.st.note)
		fprintf(stderr, "pgtctl: translate: note: %s\n", p.st.note);
	*src = p.src;
	return PGT_OK;
}

/* every mm has exited: no address is mapped */
static void not_mapped(struct pgt_sink *s, uint64_t va)
{
	struct pgt_rec rec = { .kind = PGT_REC_XLATE };

	rec.u.xlate.va = va;
	rec.u.xlate.why = "the state is empty: every mm has exited";
	pgt_sink_rec(s, &rec);
}

static int cmd_translate(struct cli_args *a)
{
	enum pgt_format fmt = PGT_FMT_TEXT;
	enum pgt_view view = PGT_VIEW_TRANSLATE;
	struct pgt_render *r = NULL;
	struct pgt_replay_opts o = { 0 };
	struct pgt_view_src src = { 0 };
	struct pgt_engine *e = NULL;
	struct pgt_dump_source_opts dopts = { 0 };
	struct pgt_dump_source cd = { 0 };
	struct pgt_err err = { 0 };
	int mm_id = 0, rc, i, argc = a->argc;
	char **argv = a->argv;
	uint64_t n;

	if ((rc = parse_opts(a, &fmt, &o, &mm_id, &dopts)))
		return rc;
	if (cli_check_format("translate", fmt, &view, 1))
		return EXIT_USAGE;
	if (dopts.arch || pgt_source_is_dump(argv[0])) {
		rc = cli_dump_open(&cd, argv[0], &dopts, &err);
		if (!rc)
			pgt_dump_source_view(&cd, &src);
	} else {
		rc = pgt_replay(argv[0], &o, &e, &err);
		if (!rc)
			rc = trace_src(e, mm_id, &src, &err);
	}
	if (!rc && !(r = cli_render("translate", fmt)))
		rc = pgt_fail(&err, PGT_ERR_NOMEM, "out of memory");
	if (!rc)
		pgt_sink_begin(pgt_render_sink(r), PGT_VIEW_TRANSLATE, src.arch);
	for (i = 1; !rc && i < argc; i++) {
		pgt_parse_u64(argv[i], &n);
		if (src.arch)
			rc = pgt_view_translate(pgt_render_sink(r), &src, n, &err);
		else
			not_mapped(pgt_render_sink(r), n);
	}
	pgt_render_finish(r);
	if (rc && cd.d && strncmp(err.msg, cd.d->path, strlen(cd.d->path)))
		pgt_err_prefix(&err, "%s", cd.d->path);
	if (rc)
		cli_report("translate", rc, err.msg);
	pgt_engine_free(e);
	if (cd.d)
		pgt_dump_source_close(&cd);
	return cli_status_exit(rc);
}

static const struct cli_operand translate_operands[] = {
	{ .name = "SOURCE", .comp = CLI_COMP_SOURCE },
	{ .name = "VA", .comp = CLI_COMP_NONE, .repeat = true },
	{ NULL },
};

const struct pgt_cmd pgt_cmd_translate = {
	.name = "translate",
	.summary = "walk addresses level by level in a replayed trace or a memory dump",
	.operands = translate_operands,
	.opts = translate_opts,
	.sources = CLI_SRC_TRACE | CLI_SRC_DUMP | CLI_SRC_RAW,
	.exec = cmd_translate,
};
