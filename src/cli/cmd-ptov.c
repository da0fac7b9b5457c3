/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * pgtctl ptov SOURCE PA...: every (root, VA) that maps each physical
 * address, over every root of a dump (found, and scanned with
 * --scan-roots) or every live mm of a replayed trace, like crash's ptov
 * and WinDbg's !ptov.  Large pages covering the address count.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "commands.h"
#include "cli-source.h"
#include "../session/replay.h"

enum { O_FORMAT, O_ROOT, O_SCAN, O_RANGE, O_UNTIL, O_MM, O_ARCH,
       O_PHYS_BASE };

static const struct cli_opt ptov_opts[] = {
	[O_FORMAT] = CLI_OPT_FORMAT_FLAT,
	[O_ROOT] = { "root", .arg = "ROOT", .comp = CLI_COMP_WORDS,
		     .words = cli_root_words, .open = true,
		     .sources = CLI_SRC_DUMP | CLI_SRC_RAW,
		     .help = "only ROOT: ADDR, cpuN, user, kernel, NAME" },
	[O_SCAN] = { "scan-roots", .sources = CLI_SRC_DUMP | CLI_SRC_RAW,
		     .help = "also the roots a scan of the memory finds" },
	[O_RANGE] = CLI_OPT_RANGE,
	[O_UNTIL] = CLI_OPT_UNTIL,
	[O_MM] = { "mm", .arg = "N", .sources = CLI_SRC_TRACE,
		   .help = "only address space N, not every live one" },
	[O_ARCH] = { "arch", .arg = "ARCH", .comp = CLI_COMP_ARCH,
		     .sources = CLI_SRC_DUMP | CLI_SRC_RAW,
		     .help = "the paging format (a raw image needs it)" },
	[O_PHYS_BASE] = CLI_OPT_PHYS_BASE,
	{ NULL },
};

struct ptov_cli {
	enum pgt_format fmt;
	struct pgt_replay_opts o;
	struct pgt_dump_source_opts dopts;
	int mm_id;
	uint64_t va_start, va_end;
	uint64_t *pas;
	size_t npas;
};

static int parse_opts(struct cli_args *a, struct ptov_cli *c)
{
	const char *v;
	int i;

	if ((v = cli_val(a, O_FORMAT)) && cli_parse_format("ptov", v, &c->fmt))
		return EXIT_USAGE;
	if ((v = cli_val(a, O_UNTIL)) && cli_parse_until("ptov", v, &c->o.until))
		return EXIT_USAGE;
	if ((v = cli_val(a, O_MM)) && cli_parse_mm_id("ptov", "mm", v, &c->mm_id))
		return EXIT_USAGE;
	if ((v = cli_val(a, O_RANGE)) &&
	    cli_parse_range("ptov", v, &c->va_start, &c->va_end))
		return EXIT_USAGE;
	c->dopts.root = cli_val(a, O_ROOT);
	c->dopts.scan = cli_has(a, O_SCAN);
	c->dopts.arch = cli_val(a, O_ARCH);
	if ((v = cli_val(a, O_PHYS_BASE)) &&
	    pgt_parse_u64(v, &c->dopts.phys_base))
		return cli_usage_error("ptov", "bad --phys-base '%s'; expected a physical address", v);
	if (a->argc < 2)
		return cli_usage_error("ptov", "expected a TRACE or DUMP and at least one PA");
	c->npas = (size_t)a->argc - 1;
	if (!(c->pas = calloc(c->npas, sizeof(*c->pas))))
		return cli_usage_error("ptov", "out of memory");
	for (i = 1; i < a->argc; i++)
		if (pgt_parse_u64(a->argv[i], &c->pas[i - 1]))
			return cli_usage_error("ptov", "bad physical address '%s'; expected a number (decimal or 0x hex)", a->argv[i]);
	return cli_check_source(a, a->argv[0],
				cli_source_kind(a->cmd, a->argv[0],
						c->dopts.arch != NULL));
}

static int run(struct ptov_cli *c, struct pgt_root_set *rs,
	       struct pgt_err *err)
{
	struct pgt_render *r;
	enum pgt_view view = PGT_VIEW_PTOV;
	int rc;

	if (cli_check_format("ptov", c->fmt, &view, 1))
		return PGT_ERR_USAGE;
	if (!(r = cli_render("ptov", c->fmt)))
		return pgt_fail(err, PGT_ERR_NOMEM, "out of memory");
	rs->src.va_start = c->va_start;
	if (c->va_end)
		rs->src.va_end = c->va_end;
	rc = pgt_view_ptov(pgt_render_sink(r), &rs->src, rs->v, rs->n, c->pas,
			   c->npas, err);
	pgt_render_finish(r);
	return rc;
}

static int cmd_ptov(struct cli_args *a)
{
	struct ptov_cli c = { .fmt = PGT_FMT_TEXT };
	struct pgt_engine *e = NULL;
	struct pgt_dump_source cd = { 0 };
	struct pgt_root_set rs = { 0 };
	struct pgt_err err = { 0 };
	const char *path = a->argv[0];
	int rc;

	if ((rc = parse_opts(a, &c))) {
		free(c.pas);
		return rc;
	}
	if (c.dopts.arch || pgt_source_is_dump(path)) {
		rc = cli_dump_open(&cd, path, &c.dopts, &err);
		if (!rc)
			rc = pgt_dump_root_set(&rs, &cd, c.dopts.root != NULL,
					       &err);
	} else {
		rc = pgt_replay(path, &c.o, &e, &err);
		if (!rc)
			rc = pgt_engine_root_set(&rs, e, c.mm_id, &err);
	}
	if (!rc && !rs.src.arch)
		rc = pgt_fail(&err, PGT_ERR_USAGE, "the state is empty: every mm has exited");
	if (!rc)
		rc = run(&c, &rs, &err);
	if (rc == PGT_ERR_USAGE && !err.msg[0])
		rc = EXIT_USAGE;	/* said by cli_check_format */
	else if (rc) {
		if (cd.d && strncmp(err.msg, cd.d->path, strlen(cd.d->path)))
			pgt_err_prefix(&err, "%s", cd.d->path);
		cli_report("ptov", rc, err.msg);
		rc = cli_status_exit(rc);
	}
	pgt_root_set_free(&rs);
	pgt_engine_free(e);
	if (cd.d)
		pgt_dump_source_close(&cd);
	free(c.pas);
	return rc;
}

static const struct cli_operand ptov_operands[] = {
	{ .name = "SOURCE", .comp = CLI_COMP_SOURCE },
	{ .name = "PA", .comp = CLI_COMP_NONE, .repeat = true },
	{ NULL },
};

const struct pgt_cmd pgt_cmd_ptov = {
	.name = "ptov",
	.summary = "which (root, VA) map physical addresses, over every root",
	.operands = ptov_operands,
	.opts = ptov_opts,
	.sources = CLI_SRC_TRACE | CLI_SRC_DUMP | CLI_SRC_RAW,
	.exec = cmd_ptov,
};
