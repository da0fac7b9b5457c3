/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The shell on a memory dump: its roots, one of them chosen (ls, cd and
 * pwd walk its tables: shell-tables.c), and the views only a dump has:
 * the walk's summary per level and its findings, as `pgtctl dump
 * --summary` and `--findings` show them.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "shell.h"
#include "../cli/cli-source.h"
#include "../lib/number.h"

int shell_dump_open(struct shell *sh, const char *path)
{
	struct pgt_dump_source_opts o = { 0 };
	struct pgt_err err = { 0 };
	int rc;

	sh->ds = calloc(1, sizeof(*sh->ds));
	if (!sh->ds) {
		cli_error("shell", "out of memory");
		return EXIT_USAGE;
	}
	rc = cli_dump_open(sh->ds, path, &o, &err);
	if (rc) {
		cli_report("shell", rc, err.msg);
		free(sh->ds);
		sh->ds = NULL;
		return cli_status_exit(rc);
	}
	sh->depth = 0;
	return 0;
}

void shell_dump_close(struct shell *sh)
{
	if (!sh->ds)
		return;
	pgt_dump_source_close(sh->ds);
	free(sh->ds);
	sh->ds = NULL;
}

/* the chosen root's name, or its value */
const char *shell_dump_root_name(struct shell *sh)
{
	static char buf[24];
	size_t i;

	for (i = 0; i < sh->ds->roots.n; i++)
		if (sh->ds->roots.v[i].value == sh->ds->root)
			return sh->ds->roots.v[i].name;
	snprintf(buf, sizeof(buf), "0x%" PRIx64, sh->ds->root);
	return buf;
}

/* "pae dump root cpu0>" */
void shell_dump_prompt(struct shell *sh, char *buf, size_t len)
{
	snprintf(buf, len, "%s dump root %s> ", sh->ds->arch->name,
		 shell_dump_root_name(sh));
}

/* the records of `pgtctl dump --roots` */
int shell_run_roots(struct shell *sh, struct cli_args *a)
{
	enum pgt_format fmt = PGT_FMT_TEXT;
	enum pgt_view v = PGT_VIEW_ROOTS;
	struct pgt_render *rr;
	struct pgt_sink *s;
	const char *f;

	if (a->argc)
		return cli_usage_error("roots", "expected no arguments");
	if ((f = cli_val(a, 0)) && cli_parse_format("roots", f, &fmt))
		return EXIT_USAGE;
	if (cli_check_format("roots", fmt, &v, 1) ||
	    !(rr = cli_render("dump", fmt)))
		return EXIT_USAGE;
	s = pgt_render_sink(rr);
	pgt_dump_source_roots(s, sh->ds);
	pgt_render_finish(rr);
	return 0;
}

int shell_run_root(struct shell *sh, struct cli_args *a)
{
	struct pgt_err err = { 0 };
	uint64_t root;
	int rc;

	if (a->argc != 1)
		return cli_usage_error("root", "expected one root R");
	rc = pgt_dump_pick_root(sh->ds->d, sh->ds->arch, &sh->ds->roots,
				a->argv[0], &root, &err);
	if (rc) {
		cli_report("root", rc, err.msg);
		return cli_status_exit(rc);
	}
	sh->ds->root = root;
	sh->depth = 0;
	printf("root %s\n", shell_dump_root_name(sh));
	return 0;
}

/* dump --summary: the walk's totals per level (src: --range, --filter) */
int shell_dump_summary(struct shell *sh, const struct pgt_view_src *src,
		       enum pgt_format fmt)
{
	struct pgt_err err = { 0 };
	struct pgt_walk_stats st;
	struct pgt_render *r;
	int rc;

	(void)sh;
	if (!(r = cli_render("dump", fmt)))
		return EXIT_USAGE;
	rc = pgt_walk_stats_collect(src, &st, &err);
	if (!rc)
		pgt_view_walk_summary(pgt_render_sink(r), src, &st);
	pgt_render_finish(r);
	if (rc)
		cli_report("summary", rc, err.msg);
	return cli_status_exit(rc);
}

struct finding_out {
	struct pgt_sink *s;
	const struct pgt_arch *arch;
};

static int on_finding(void *arg, int level, uint64_t slot, uint64_t va,
		      uint64_t raw, const char *why)
{
	struct finding_out *f = arg;
	struct pgt_rec rec = { .kind = PGT_REC_FINDING };

	rec.u.finding.level = f->arch->levels[level].lname;
	rec.u.finding.at = slot;
	rec.u.finding.va = va;
	rec.u.finding.raw = raw;
	rec.u.finding.why = why;
	pgt_sink_rec(f->s, &rec);
	return 0;
}

/* dump --findings: every finding of the walk of the chosen root */
int shell_run_findings(struct shell *sh, struct cli_args *a)
{
	enum pgt_view v = PGT_VIEW_FINDINGS;
	enum pgt_format fmt = PGT_FMT_TEXT;
	struct pgt_err err = { 0 };
	struct pgt_view_src src;
	struct pgt_walk_stats st;
	struct finding_out f;
	struct pgt_render *r;
	const char *s;
	int rc;

	if (a->argc)
		return cli_usage_error("findings", "expected no arguments");
	pgt_dump_source_view(sh->ds, &src);
	if ((s = cli_val(a, 0)) && cli_parse_format("findings", s, &fmt))
		return EXIT_USAGE;
	if ((s = cli_val(a, 1)) &&
	    cli_parse_filter("findings", s, &src.want, &src.deny))
		return EXIT_USAGE;
	if ((s = cli_val(a, 2)) &&
	    cli_parse_range("findings", s, &src.va_start, &src.va_end))
		return EXIT_USAGE;
	if (cli_check_format("findings", fmt, &v, 1) ||
	    !(r = cli_render("dump", fmt)))
		return EXIT_USAGE;
	f.s = pgt_render_sink(r);
	f.arch = src.arch;
	src.on_finding = on_finding;
	src.finding_arg = &f;
	pgt_sink_begin(f.s, PGT_VIEW_FINDINGS, src.arch);
	rc = pgt_walk_stats_collect(&src, &st, &err);
	pgt_sink_end(f.s, PGT_VIEW_FINDINGS);
	pgt_render_finish(r);
	if (rc)
		cli_report("findings", rc, err.msg);
	return cli_status_exit(rc);
}
