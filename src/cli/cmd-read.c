/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * pgtctl read SOURCE ADDR [LEN]: the bytes of a memory dump at a virtual
 * address, through the page tables of a root (or at a physical address
 * with --phys), as a hex dump like crash's rd.  What the dump cannot give
 * is said per stretch: not mapped (and why), or not in the dump (a page
 * filtered out of a kdump, outside every PT_LOAD).  Exit 1 when any byte
 * could not be read.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "commands.h"
#include "cli-source.h"

#define READ_DEFAULT 64
#define READ_MAX (16ull << 20)

enum { O_PHYS, O_ROOT, O_SCAN, O_FORMAT, O_ARCH, O_PHYS_BASE };

static const struct cli_opt read_opts[] = {
	[O_PHYS] = { "phys", .help = "ADDR is a physical address" },
	[O_ROOT] = CLI_OPT_ROOT,
	[O_SCAN] = { "scan-roots", .help = "also scan the memory for roots (for --root scanN)" },
	[O_FORMAT] = CLI_OPT_FORMAT_FLAT,
	[O_ARCH] = { "arch", .arg = "ARCH", .comp = CLI_COMP_ARCH,
		     .help = "the paging format (a raw image needs it)" },
	[O_PHYS_BASE] = CLI_OPT_PHYS_BASE,
	{ NULL },
};

static int parse_opts(struct cli_args *a, struct pgt_dump_source_opts *o,
		      enum pgt_format *fmt, uint64_t *addr, uint64_t *len)
{
	const char *v;

	if ((v = cli_val(a, O_FORMAT)) && cli_parse_format("read", v, fmt))
		return EXIT_USAGE;
	o->root = cli_val(a, O_ROOT);
	o->scan = cli_has(a, O_SCAN);
	o->arch = cli_val(a, O_ARCH);
	if ((v = cli_val(a, O_PHYS_BASE)) && pgt_parse_u64(v, &o->phys_base))
		return cli_usage_error("read", "bad --phys-base '%s'; expected a physical address", v);
	if (a->argc < 2 || a->argc > 3)
		return cli_usage_error("read", "expected a DUMP, an address and an optional length");
	if (pgt_parse_u64(a->argv[1], addr))
		return cli_usage_error("read", "bad address '%s'; expected a number (decimal or 0x hex)", a->argv[1]);
	*len = READ_DEFAULT;
	if (a->argc == 3 && (pgt_parse_u64(a->argv[2], len) || !*len ||
			     *len > READ_MAX))
		return cli_usage_error("read", "bad length '%s'; expected 1 to 16M bytes", a->argv[2]);
	if (cli_has(a, O_PHYS) && o->root)
		return cli_usage_error("read", "--phys reads physical memory: no --root to walk");
	return cli_check_source(a, a->argv[0],
				cli_source_kind(a->cmd, a->argv[0],
						o->arch != NULL));
}

static int cmd_read(struct cli_args *a)
{
	enum pgt_format fmt = PGT_FMT_TEXT;
	enum pgt_view view = PGT_VIEW_READ;
	struct pgt_dump_source_opts o = { 0 };
	struct pgt_dump_source cd = { 0 };
	struct pgt_view_src src;
	struct pgt_render *r = NULL;
	struct pgt_err err = { 0 };
	uint64_t addr, len, missing = 0;
	bool phys = cli_has(a, O_PHYS);
	int rc;

	if ((rc = parse_opts(a, &o, &fmt, &addr, &len)))
		return rc;
	if (cli_check_format("read", fmt, &view, 1))
		return EXIT_USAGE;
	/* --phys needs no root: a dump without one can still be read */
	o.no_root_ok = phys;
	rc = cli_dump_open(&cd, a->argv[0], &o, &err);
	if (!rc && !(r = cli_render("read", fmt)))
		rc = pgt_fail(&err, PGT_ERR_NOMEM, "out of memory");
	if (!rc) {
		pgt_dump_source_view(&cd, &src);
		rc = pgt_view_read(pgt_render_sink(r), &src, addr, len, phys,
				   &missing, &err);
	}
	pgt_render_finish(r);
	if (rc && cd.d && strncmp(err.msg, cd.d->path, strlen(cd.d->path)))
		pgt_err_prefix(&err, "%s", cd.d->path);
	if (rc)
		cli_report("read", rc, err.msg);
	if (cd.d)
		pgt_dump_source_close(&cd);
	if (!rc && missing) {
		fflush(stdout);
		fprintf(stderr, "pgtctl: read: %" PRIu64 " of %" PRIu64 " bytes could not be read\n",
			missing, len);
		return EXIT_NO;
	}
	return cli_status_exit(rc);
}

static const struct cli_operand read_operands[] = {
	{ .name = "DUMP", .comp = CLI_COMP_DUMP },
	{ .name = "ADDR", .comp = CLI_COMP_NONE },
	{ .name = "[LEN]", .comp = CLI_COMP_NONE },
	{ NULL },
};

const struct pgt_cmd pgt_cmd_read = {
	.name = "read",
	.summary = "the bytes of a memory dump at an address, through the page tables",
	.operands = read_operands,
	.opts = read_opts,
	.sources = CLI_SRC_DUMP | CLI_SRC_RAW,
	.exec = cmd_read,
};
