/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * pgtctl dump FILE...: open a memory dump (ELF, kdump, raw; the files of a
 * split kdump set, in any order), find its roots
 * and show the views of one of them.  Without a view: an overview (format,
 * arch and how it was told, memory, CPUs, roots) and the walk's summary.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "commands.h"
#include "cli-source.h"
#include "../walk/table-pages.h"
#include "../trace/trace.h"

enum { V_TREE = 1, V_RANGES = 2, V_PAGES = 4, V_SUMMARY = 8, V_FINDINGS = 16,
       V_ROOTS = 32, V_ALIASES = 64, V_WX = 128 };

#define FINDINGS_ON_STDERR 50

struct dump_cli {
	unsigned views;
	enum pgt_format fmt;
	struct pgt_dump_source_opts o;
	const char *save;
	bool timing;
	uint64_t va_start, va_end;
	unsigned want, deny;
	bool root_given;	/* --root: the views over every root use it only */
	uint64_t wx_pages;	/* --wx: W+X pages found (exit 1) */
	struct pgt_render *r;
	/* findings */
	const char *path;
	const struct pgt_arch *arch;
	uint64_t nfindings;
	bool findings_done;	/* reported by an earlier view's walk */
	bool listing;		/* the findings view is open: records */
	struct cli_progress progress;	/* of the walks, on stderr */
};

/*
 * A finding of a walk: a record while the findings view is open (its own
 * walk), else, without --findings, the first few on stderr (from the
 * first walk only: every view walks the same tree).
 */
static int on_finding(void *arg, int level, uint64_t slot, uint64_t va,
		      uint64_t raw, const char *why)
{
	struct dump_cli *c = arg;
	const struct pgt_level *L = &c->arch->levels[level];
	struct pgt_rec rec = { .kind = PGT_REC_FINDING };

	if (c->listing) {
		rec.u.finding.level = L->lname;
		rec.u.finding.at = slot;
		rec.u.finding.va = va;
		rec.u.finding.raw = raw;
		rec.u.finding.why = why;
		pgt_sink_rec(pgt_render_sink(c->r), &rec);
		return 0;
	}
	if (c->findings_done || (c->views & V_FINDINGS))
		return 0;
	c->nfindings++;
	if (c->nfindings <= FINDINGS_ON_STDERR) {
		cli_progress_clear(&c->progress);
		fflush(stdout);
		fprintf(stderr, "pgtctl: %s: finding: %s entry at 0x%" PRIx64 " (va 0x%" PRIx64 ", raw 0x%" PRIx64 "): %s\n",
			c->path, L->lname, slot, va, raw, why);
	}
	return 0;
}

static void findings_end(struct dump_cli *c)
{
	if (c->findings_done)
		return;
	c->findings_done = true;
	cli_progress_clear(&c->progress);
	if (!(c->views & V_FINDINGS) && c->nfindings > FINDINGS_ON_STDERR)
		fprintf(stderr, "pgtctl: %s: finding: ... %" PRIu64 " findings in all (the first %d shown; --findings lists every one)\n",
			c->path, c->nfindings, FINDINGS_ON_STDERR);
}

/* ---- roots ---- */

static void show_roots(struct dump_cli *c, struct pgt_dump_source *cd)
{
	pgt_dump_source_roots(pgt_render_sink(c->r), cd);
}

/* ---- overview ---- */

static void show_overview(struct dump_cli *c, struct pgt_dump_source *cd)
{
	const struct pgt_dump *d = cd->d;
	struct pgt_sink *s = pgt_render_sink(c->r);
	struct pgt_rec rec = { .kind = PGT_REC_OVERVIEW };
	struct pgt_rec_overview *v = &rec.u.overview;
	int pids[16];
	char buf[80], trace[4096], pos[32], replay[4200];
	size_t i;

	/* what the file holds: zeros a segment only claims are not held
	 * (and a claim of 2^62 bytes would overflow the sum) */
	for (i = 0; i < d->nranges; i++)
		v->held += d->ranges[i].data_end - d->ranges[i].start;
	v->path = d->path;
	v->format = pgt_dump_format_name(d->format);
	v->elf_class = d->elf_class;
	v->big_endian = d->big_endian;
	v->machine = d->elf_machine;
	v->arch = cd->arch->name;
	v->arch_how = cd->arch_how;
	v->ranges = d->nranges;
	v->limit = d->pm.limit;
	v->ncpus = d->ncpus;
	for (i = 0; i < (size_t)d->ncpus && i < 16; i++)
		pids[i] = d->cpu[i].pid;
	v->npids = (int)i;
	v->pids = pids;
	v->vmcoreinfo = d->vmcoreinfo != NULL;
	if (pgt_vmcoreinfo_get(d, "OSRELEASE", buf, sizeof(buf)))
		v->kernel = buf;
	else if (pgt_vmcoreinfo_get(d, "PGTCTL_REPLAY", trace, sizeof(trace)) &&
		 pgt_vmcoreinfo_get(d, "PGTCTL_REPLAY_POSITION", pos,
				    sizeof(pos))) {
		snprintf(replay, sizeof(replay), "%s after %s operations",
			 trace, pos);
		v->replay = replay;
	}
	pgt_sink_begin(s, PGT_VIEW_OVERVIEW, cd->arch);
	pgt_sink_rec(s, &rec);
	pgt_sink_end(s, PGT_VIEW_OVERVIEW);
}

/* ---- --save-tables ---- */

static int collect_root(struct pgt_page_set *p, struct pgt_dump_source *cd,
			uint64_t root, struct pgt_err *err)
{
	struct pgt_view_src src;
	struct pgt_walker w;

	pgt_dump_source_view(cd, &src);
	src.root = root;
	pgt_view_walker(&w, &src, NULL);
	return pgt_page_set_add_tables(p, &w, err);
}

/* the kernel data the region names come from (--ranges of the slice);
 * the pages added that are no table page */
static int add_layout_pages(struct pgt_page_set *p, struct pgt_dump_source *cd,
			    size_t *added, struct pgt_err *err)
{
	uint64_t pages[8];
	size_t i, n = pgt_dump_source_layout_pages(cd, pages, 8), before;

	before = pgt_page_set_unique(p);
	for (i = 0; i < n; i++)
		if (pgt_page_set_add(p, pages[i]))
			return pgt_fail(err, PGT_ERR_NOMEM, "out of memory");
	*added = pgt_page_set_unique(p) - before;
	return PGT_OK;
}

static int save_tables(struct dump_cli *c, struct pgt_dump_source *cd,
		       struct pgt_err *err)
{
	struct pgt_page_set p = { 0 };
	size_t i, data = 0, nroots = 1;
	int rc = collect_root(&p, cd, cd->root, err);

	/* every root found (registers, VMCOREINFO, the scan) goes in, so
	 * the slice lists the same roots as the dump */
	for (i = 0; !rc && i < cd->roots.n; i++) {
		struct pgt_err e2 = { 0 };

		if (cd->roots.v[i].value == cd->root)
			continue;
		nroots++;
		if (collect_root(&p, cd, cd->roots.v[i].value, &e2) &&
		    e2.status == PGT_ERR_NOMEM)
			rc = pgt_fail(err, PGT_ERR_NOMEM, "out of memory");
	}
	if (!rc)
		rc = add_layout_pages(&p, cd, &data, err);
	if (!rc)
		rc = pgt_dump_write_slice(cd->d, c->save,
					  cd->arch->elf_machine,
					  cd->arch->big_endian, p.v, p.n, err);
	if (!rc && !data)
		fprintf(stderr, "pgtctl: %s: wrote %zu page-table pages (%zu KiB) from %zu root%s\n",
			c->save, p.n, p.n * 4, nroots, nroots == 1 ? "" : "s");
	else if (!rc)
		fprintf(stderr, "pgtctl: %s: wrote %zu pages (%zu KiB): %zu page-table pages from %zu root%s, %zu kernel data page%s the region names come from\n",
			c->save, p.n, p.n * 4, p.n - data, nroots,
			nroots == 1 ? "" : "s", data, data == 1 ? "" : "s");
	pgt_page_set_free(&p);
	return rc;
}

/* ---- views ---- */

/* the chosen root with the walk options of the command line */
static void dump_src(struct dump_cli *c, struct pgt_dump_source *cd,
		     struct pgt_view_src *src)
{
	pgt_dump_source_view(cd, src);
	src->va_start = c->va_start;
	src->va_end = c->va_end;
	src->want = c->want;
	src->deny = c->deny;
	src->on_finding = on_finding;
	src->finding_arg = c;
	src->progress.fn = cli_progress_draw;
	src->progress.arg = &c->progress;
}

/* the views a walk of the root shows, in order */
static const struct { unsigned bit; enum pgt_view v; } view_order[] = {
	{ V_ROOTS, PGT_VIEW_ROOTS }, { V_TREE, PGT_VIEW_TREE },
	{ V_RANGES, PGT_VIEW_RANGES }, { V_PAGES, PGT_VIEW_PAGES },
	{ V_ALIASES, PGT_VIEW_ALIASES }, { V_WX, PGT_VIEW_WX },
	{ V_FINDINGS, PGT_VIEW_FINDINGS }, { V_SUMMARY, PGT_VIEW_SUMMARY },
};

static int check_format(struct dump_cli *c)
{
	enum pgt_view v[10];
	size_t i, n = 0;

	for (i = 0; i < sizeof(view_order) / sizeof(view_order[0]); i++)
		if (c->views & view_order[i].bit)
			v[n++] = view_order[i].v;
	if (!c->views && !c->save)
		v[n++] = PGT_VIEW_OVERVIEW;	/* the overview */
	return cli_check_format("dump", c->fmt, v, n);
}

/* --findings and --summary: one walk that counts (and lists) */
static int show_counts(struct dump_cli *c, struct pgt_dump_source *cd,
		       const struct pgt_view_src *src, struct pgt_err *err)
{
	struct pgt_sink *s = pgt_render_sink(c->r);
	struct pgt_walk_stats st;
	double t0 = pgt_now();
	int rc;

	if (c->views & V_FINDINGS) {
		pgt_sink_begin(s, PGT_VIEW_FINDINGS, cd->arch);
		c->listing = true;
	}
	rc = pgt_walk_stats_collect(src, &st, err);
	if (c->listing) {
		c->listing = false;
		pgt_sink_end(s, PGT_VIEW_FINDINGS);
	}
	findings_end(c);
	if (!rc && c->timing) {
		double t = pgt_now() - t0;

		cli_progress_clear(&c->progress);
		fprintf(stderr, "timing: open %.6f s, walk %.6f s, %" PRIu64 " pages, %.0f pages/s\n",
			cd->open_seconds, t, st.pages,
			t > 0 ? (double)st.pages / t : 0.0);
	}
	if (!rc && (c->views & V_SUMMARY))
		pgt_view_walk_summary(s, src, &st);
	return rc;
}

/* --aliases, --wx: over every root found (only --root's when given) */
static int show_every_root(struct dump_cli *c, struct pgt_dump_source *cd,
			   const struct pgt_view_src *src, struct pgt_err *err)
{
	struct pgt_sink *s = pgt_render_sink(c->r);
	struct pgt_root_set rs;
	int rc = pgt_dump_root_set(&rs, cd, c->root_given, err);

	if (rc)
		return rc;
	rs.src = *src;
	if (c->views & V_ALIASES) {
		rc = pgt_view_aliases(s, &rs.src, rs.v, rs.n, err);
		findings_end(c);
	}
	if (!rc && (c->views & V_WX)) {
		rc = pgt_view_wx(s, &rs.src, rs.v, rs.n, &c->wx_pages, err);
		findings_end(c);
	}
	pgt_root_set_free(&rs);
	return rc;
}

static int show_views(struct dump_cli *c, struct pgt_dump_source *cd,
		      struct pgt_err *err)
{
	struct pgt_sink *s = pgt_render_sink(c->r);
	struct pgt_view_src src;
	int rc = 0;

	dump_src(c, cd, &src);
	if (c->views & V_TREE) {
		rc = pgt_view_tree(s, &src, err);
		findings_end(c);
	}
	if (!rc && (c->views & V_RANGES)) {
		rc = pgt_view_ranges(s, &src, err);
		findings_end(c);
	}
	if (!rc && (c->views & V_PAGES)) {
		rc = pgt_view_pages(s, &src, err);
		findings_end(c);
	}
	if (!rc && (c->views & (V_ALIASES | V_WX)))
		rc = show_every_root(c, cd, &src, err);
	if (!rc && (c->views & (V_SUMMARY | V_FINDINGS) || c->timing))
		rc = show_counts(c, cd, &src, err);
	return rc;
}

/* no view asked: the dump, its roots and the walk of the chosen one */
static int overview(struct dump_cli *c, struct pgt_dump_source *cd,
		    struct pgt_err *err)
{
	struct pgt_view_src src;
	struct pgt_walk_stats st;
	int rc;

	show_overview(c, cd);
	show_roots(c, cd);
	dump_src(c, cd, &src);
	rc = pgt_walk_stats_collect(&src, &st, err);
	findings_end(c);
	if (!rc)
		pgt_view_walk_summary(pgt_render_sink(c->r), &src, &st);
	return rc;
}

/* ---- options ---- */

enum { O_ARCH, O_PHYS_BASE, O_ROOT, O_ROOTS, O_SCAN, O_TREE, O_RANGES,
       O_PAGES, O_ALIASES, O_WX, O_SUMMARY, O_FINDINGS, O_FORMAT, O_FILTER,
       O_RANGE, O_SAVE, O_TIMING, O_QUIET };

static const struct cli_opt dump_opts[] = {
	[O_ARCH] = { "arch", .arg = "ARCH", .comp = CLI_COMP_ARCH,
		     .help = "the paging format (a raw image needs it)" },
	[O_PHYS_BASE] = CLI_OPT_PHYS_BASE,
	[O_ROOT] = CLI_OPT_ROOT,
	[O_ROOTS] = { "roots", .help = "list the page-table roots found" },
	[O_SCAN] = { "scan-roots", .help = "also scan the memory for roots" },
	[O_TREE] = CLI_OPT_TREE,
	[O_RANGES] = CLI_OPT_RANGES,
	[O_PAGES] = CLI_OPT_PAGES,
	[O_ALIASES] = { "aliases",
			.help = "frames mapped more than once, over every root" },
	[O_WX] = { "wx",
		   .help = "W+X mappings of every root (exit 1 if any)" },
	[O_SUMMARY] = { "summary", .help = "the totals of the walk, per level" },
	[O_FINDINGS] = { "findings", .help = "every finding of the walk, on stdout" },
	[O_FORMAT] = CLI_OPT_FORMAT,
	[O_FILTER] = CLI_OPT_FILTER,
	[O_RANGE] = CLI_OPT_RANGE,
	[O_SAVE] = { "save-tables", .arg = "OUT.elf", .comp = CLI_COMP_FILE,
		     .help = "write the page-table pages to an ELF slice" },
	[O_TIMING] = { "timing", .help = "open and walk times, on stderr" },
	[O_QUIET] = { "quiet", .help = "no progress line on stderr during long walks" },
	{ NULL },
};

static const unsigned view_bits[][2] = {
	{ O_ROOTS, V_ROOTS }, { O_TREE, V_TREE }, { O_RANGES, V_RANGES },
	{ O_PAGES, V_PAGES }, { O_ALIASES, V_ALIASES }, { O_WX, V_WX },
	{ O_SUMMARY, V_SUMMARY },
	{ O_FINDINGS, V_FINDINGS },
};

static int parse_opts(struct dump_cli *c, struct cli_args *a)
{
	const char *v;
	size_t i;

	for (i = 0; i < sizeof(view_bits) / sizeof(view_bits[0]); i++)
		if (cli_has(a, view_bits[i][0]))
			c->views |= view_bits[i][1];
	c->o.arch = cli_val(a, O_ARCH);
	if ((v = cli_val(a, O_PHYS_BASE)) && pgt_parse_u64(v, &c->o.phys_base))
		return cli_usage_error("dump", "bad --phys-base '%s'; expected a physical address", v);
	c->o.root = cli_val(a, O_ROOT);
	c->root_given = c->o.root != NULL;
	c->o.scan = cli_has(a, O_SCAN);
	if ((v = cli_val(a, O_FORMAT)) && cli_parse_format("dump", v, &c->fmt))
		return EXIT_USAGE;
	if ((v = cli_val(a, O_FILTER)) &&
	    cli_parse_filter("dump", v, &c->want, &c->deny))
		return EXIT_USAGE;
	if ((v = cli_val(a, O_RANGE)) &&
	    cli_parse_range("dump", v, &c->va_start, &c->va_end))
		return EXIT_USAGE;
	c->save = cli_val(a, O_SAVE);
	c->timing = cli_has(a, O_TIMING);
	cli_progress_start(&c->progress, "dump", "walked",
			   cli_has(a, O_QUIET));
	if (a->argc < 1)
		return cli_usage_error("dump", "expected a dump FILE (or the files of a split kdump set)");
	c->path = a->argv[0];
	c->o.inflater = cli_inflater();
	for (i = 0; i < (size_t)a->argc; i++) {
		if (a->argc > 1 && !strcmp(a->argv[i], "-"))
			return cli_usage_error("dump", "'-' (standard input) is one whole dump; the files of a split set are named");
		if (cli_check_source(a, a->argv[i],
				     cli_source_kind(a->cmd, a->argv[i],
						     c->o.arch != NULL)))
			return EXIT_USAGE;
	}
	return 0;
}

static int cmd_dump(struct cli_args *a)
{
	struct dump_cli c = { .fmt = PGT_FMT_TEXT };
	struct pgt_err err = { 0 };
	struct pgt_dump_source cd;
	int rc;

	if ((rc = parse_opts(&c, a)))
		return rc;
	/* the slice is binary: no text view may share standard output */
	if (c.save && !strcmp(c.save, "-") && c.views)
		return cli_usage_error("dump", "--save-tables - writes the slice to standard output; it cannot be combined with a view");
	if (check_format(&c))
		return EXIT_USAGE;
	if (cli_check_output("dump", c.save, a->argv, (size_t)a->argc))
		return EXIT_USAGE;
	c.o.no_root_ok = c.views == V_ROOTS && !c.save;
	if (!(c.r = cli_render("dump", c.fmt)))
		return EXIT_USAGE;
	rc = cli_dump_open_set(&cd, (const char *const *)a->argv,
			       (size_t)a->argc, &c.o, &err);
	if (cd.d)
		c.path = cd.d->path;	/* a set: its files by their pages */
	c.arch = cd.arch;
	if (!rc && (c.views & V_ROOTS))
		show_roots(&c, &cd);
	if (!rc && c.save)
		rc = save_tables(&c, &cd, &err);
	if (!rc && (c.views & ~V_ROOTS))
		rc = show_views(&c, &cd, &err);
	else if (!rc && !c.views && !c.save)
		rc = overview(&c, &cd, &err);
	findings_end(&c);
	cli_progress_clear(&c.progress);
	pgt_render_finish(c.r);
	/* a set's messages name the file they are about */
	if (rc && strncmp(err.msg, c.path, strlen(c.path)) &&
	    rc != PGT_ERR_USAGE && (a->argc == 1 || cd.d))
		pgt_err_prefix(&err, "%s", c.path);
	if (rc)
		cli_report("dump", rc, err.msg);
	pgt_dump_source_close(&cd);
	if (!rc && c.wx_pages)
		return EXIT_NO;		/* the W+X check failed */
	return cli_status_exit(rc);
}

static const struct cli_operand dump_operands[] = {
	{ .name = "FILE", .comp = CLI_COMP_DUMP, .repeat = true },
	{ NULL },
};

const struct pgt_cmd pgt_cmd_dump = {
	.name = "dump",
	.summary = "show the page tables of a memory dump (ELF vmcore, kdump, raw)",
	.operands = dump_operands,
	.opts = dump_opts,
	.sources = CLI_SRC_DUMP | CLI_SRC_RAW,
	.exec = cmd_dump,
};
