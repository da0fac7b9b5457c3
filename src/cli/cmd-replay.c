/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pgtctl replay TRACE: replay a trace and show the views asked for. */
#include <inttypes.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <string.h>
#include "commands.h"
#include "cli-source.h"
#include "../session/replay.h"
#include "../session/save-tables.h"

enum { V_TREE = 1, V_RANGES = 2, V_PAGES = 4, V_EVENTS = 8, V_FLUSHES = 16,
       V_TRANS = 32, V_SUMMARY = 64, V_ALIASES = 128, V_WX = 256 };

struct replay_cli {
	unsigned views;
	enum pgt_format fmt;
	uint64_t va_start, va_end;	/* --range */
	unsigned want, deny;		/* --filter */
	struct pgt_render *r;
	struct pgt_evout ev;
	uint64_t wx_pages;		/* --wx: found (exit 1) */
	const char *save;		/* --save-tables */
};

/* the views asked, in the order they are shown */
static const struct { unsigned bit; enum pgt_view v; } view_order[] = {
	{ V_EVENTS, PGT_VIEW_EVENTS }, { V_TREE, PGT_VIEW_TREE },
	{ V_RANGES, PGT_VIEW_RANGES }, { V_PAGES, PGT_VIEW_PAGES },
	{ V_ALIASES, PGT_VIEW_ALIASES }, { V_WX, PGT_VIEW_WX },
	{ V_FLUSHES, PGT_VIEW_FLUSHES }, { V_TRANS, PGT_VIEW_TRANSITIONS },
	{ V_SUMMARY, PGT_VIEW_SUMMARY },
};

static int check_format(struct replay_cli *c)
{
	enum pgt_view v[9];
	size_t i, n = 0;

	for (i = 0; i < sizeof(view_order) / sizeof(view_order[0]); i++)
		if (c->views & view_order[i].bit)
			v[n++] = view_order[i].v;
	return cli_check_format("replay", c->fmt, v, n);
}

static void install_events(void *arg, struct pgt_engine *e)
{
	struct replay_cli *c = arg;

	/* per-op flush records grow with the trace: keep them only when
	 * --flushes will show them (the totals are always kept) */
	e->flush_records = c->views & V_FLUSHES;
	if (!(c->views & V_EVENTS))
		return;
	c->ev.sink = pgt_render_sink(c->r);
	c->ev.arch = e->m.arch;
	pgt_sink_begin(c->ev.sink, PGT_VIEW_EVENTS, e->m.arch);
	pgt_engine_on_event(e, pgt_view_event, &c->ev);
}

static int walk_views(struct replay_cli *c, const struct pgt_engine_pick *p,
		      struct pgt_err *err)
{
	struct pgt_sink *s = pgt_render_sink(c->r);
	struct pgt_view_src src = p->src;
	int rc = 0;

	if (c->va_end) {
		src.va_start = c->va_start;
		src.va_end = c->va_end;
	}
	src.want = c->want;
	src.deny = c->deny;
	if (!src.arch) {
		/* the empty state: the views, with nothing in them */
		size_t i;

		for (i = 1; i < 4; i++)
			if (c->views & view_order[i].bit) {
				pgt_sink_begin(s, view_order[i].v, NULL);
				pgt_sink_end(s, view_order[i].v);
			}
		return PGT_OK;
	}
	if (c->views & V_TREE)
		rc = pgt_view_tree(s, &src, err);
	if (!rc && (c->views & V_RANGES))
		rc = pgt_view_ranges(s, &src, err);
	if (!rc && (c->views & V_PAGES))
		rc = pgt_view_pages(s, &src, err);
	return rc;
}

/* --aliases, --wx: over every live mm (only --mm's when given) */
static int every_mm_views(struct replay_cli *c, struct pgt_engine *e,
			  int mm_id, struct pgt_err *err)
{
	struct pgt_sink *s = pgt_render_sink(c->r);
	struct pgt_root_set rs;
	int rc = pgt_engine_root_set(&rs, e, mm_id, err);

	if (rc)
		return rc;
	if (c->va_end) {
		rs.src.va_start = c->va_start;
		rs.src.va_end = c->va_end;
	}
	rs.src.want = c->want;
	rs.src.deny = c->deny;
	if (c->views & V_ALIASES)
		rc = pgt_view_aliases(s, &rs.src, rs.v, rs.n, err);
	if (!rc && (c->views & V_WX))
		rc = pgt_view_wx(s, &rs.src, rs.v, rs.n, &c->wx_pages, err);
	pgt_root_set_free(&rs);
	return rc;
}

static int show_views(struct replay_cli *c, struct pgt_engine *e, int mm_id,
		      struct pgt_err *err)
{
	struct pgt_sink *s = pgt_render_sink(c->r);
	struct pgt_engine_pick p;
	int rc;

	rc = pgt_engine_pick(&p, e, mm_id, err);
	if (rc)
		return rc;
	if (p.st.note && (c->views & (V_TREE | V_RANGES | V_PAGES))) {
		fflush(stdout);
		fprintf(stderr, "pgtctl: replay: note: %s\n", p.st.note);
	}
	if (c->views & (V_TREE | V_RANGES | V_PAGES))
		rc = walk_views(c, &p, err);
	if (!rc && (c->views & (V_ALIASES | V_WX)))
		rc = every_mm_views(c, e, mm_id, err);
	if (!rc && (c->views & V_FLUSHES))
		pgt_view_flushes(s, e);
	if (!rc && (c->views & V_TRANS))
		pgt_view_transitions(s, e);
	if (!rc && (c->views & V_SUMMARY))
		pgt_view_summary(s, e, p.st.note ? &p.st : NULL);
	return rc;
}

/* --timing: wall and CPU time per operation kind and peak memory, on
 * stderr so that it never mixes with a view (tests/bench reads it) */
static void print_timing(const uint64_t *ns, const uint64_t *cpu,
			 const uint64_t *n, struct pgt_engine *e)
{
	struct rusage ru;
	int k;

	for (k = 0; k < PGT_OP__COUNT; k++)
		if (n[k])
			fprintf(stderr, "timing\t%s\t%" PRIu64 "\t%" PRIu64 "\t%" PRIu64 "\n",
				pgt_op_name(k), n[k], ns[k], cpu[k]);
	if (e)
		fprintf(stderr, "frames\t%" PRIu64 "\t%" PRIu64 "\n",
			e->m.mem.used, e->m.mem.peak);
	if (!getrusage(RUSAGE_SELF, &ru))
		fprintf(stderr, "maxrss_kib\t%ld\n", ru.ru_maxrss);
}

enum { O_TREE, O_RANGES, O_PAGES, O_ALIASES, O_WX, O_EVENTS, O_FLUSHES,
       O_TRANS, O_SUMMARY, O_FORMAT, O_FILTER, O_RANGE, O_UNTIL, O_MM,
       O_CHECK, O_TIMING, O_SAVE, O_QUIET };

static const char *const check_words[] = { "full", NULL };

static const struct cli_opt replay_opts[] = {
	[O_TREE] = CLI_OPT_TREE,
	[O_RANGES] = CLI_OPT_RANGES,
	[O_PAGES] = CLI_OPT_PAGES,
	[O_ALIASES] = { "aliases",
			.help = "frames mapped more than once, over every live mm" },
	[O_WX] = { "wx", .help = "W+X mappings of every live mm (exit 1 if any)" },
	[O_EVENTS] = { "events", .help = "tables, entries and flushes, op by op" },
	[O_FLUSHES] = { "flushes", .help = "the TLB flushes per operation and kind" },
	[O_TRANS] = { "transitions", .help = "counts of leaf entry state changes" },
	[O_SUMMARY] = { "summary", .help = "arch, ops, address spaces, totals (default)" },
	[O_FORMAT] = CLI_OPT_FORMAT,
	[O_FILTER] = CLI_OPT_FILTER,
	[O_RANGE] = CLI_OPT_RANGE,
	[O_UNTIL] = CLI_OPT_UNTIL,
	[O_MM] = CLI_OPT_MM,
	[O_CHECK] = { "check", .arg = "full", .comp = CLI_COMP_WORDS,
		      .words = check_words, .optional = true,
		      .help = "check the invariants after every operation" },
	[O_TIMING] = { "timing", .help = "time per operation kind and peak memory, on stderr" },
	[O_SAVE] = { "save-tables", .arg = "OUT.elf", .comp = CLI_COMP_FILE,
		     .help = "write the replayed tables as an ELF vmcore" },
	[O_QUIET] = { "quiet", .help = "no progress line on stderr during long replays" },
	{ NULL },
};

/* the views asked for, as bits */
static const unsigned view_bits[][2] = {
	{ O_TREE, V_TREE }, { O_RANGES, V_RANGES }, { O_PAGES, V_PAGES },
	{ O_ALIASES, V_ALIASES }, { O_WX, V_WX },
	{ O_EVENTS, V_EVENTS }, { O_FLUSHES, V_FLUSHES }, { O_TRANS, V_TRANS },
	{ O_SUMMARY, V_SUMMARY },
};

static int parse_opts(struct cli_args *a, struct replay_cli *c,
		      struct pgt_replay_opts *o, int *mm_id)
{
	const char *v;
	size_t i;

	for (i = 0; i < sizeof(view_bits) / sizeof(view_bits[0]); i++)
		if (cli_has(a, view_bits[i][0]))
			c->views |= view_bits[i][1];
	o->check = cli_has(a, O_CHECK);
	if ((v = cli_val(a, O_CHECK))) {
		if (strcmp(v, "full"))
			return cli_usage_error("replay", "bad --check '%s'; expected --check or --check=full", v);
		o->check_full = true;
	}
	if ((v = cli_val(a, O_FILTER)) &&
	    cli_parse_filter("replay", v, &c->want, &c->deny))
		return EXIT_USAGE;
	if ((v = cli_val(a, O_RANGE)) &&
	    cli_parse_range("replay", v, &c->va_start, &c->va_end))
		return EXIT_USAGE;
	if ((v = cli_val(a, O_FORMAT)) && cli_parse_format("replay", v, &c->fmt))
		return EXIT_USAGE;
	if ((v = cli_val(a, O_UNTIL)) && cli_parse_until("replay", v, &o->until))
		return EXIT_USAGE;
	if ((v = cli_val(a, O_MM)) && cli_parse_mm_id("replay", "mm", v, mm_id))
		return EXIT_USAGE;
	if (a->argc != 1)
		return cli_usage_error("replay", "expected exactly one TRACE argument");
	c->save = cli_val(a, O_SAVE);
	/* the vmcore is binary: no view may share standard output */
	if (c->save && !strcmp(c->save, "-") && c->views)
		return cli_usage_error("replay", "--save-tables - writes the vmcore to standard output; it cannot be combined with a view");
	return cli_check_output("replay", c->save, a->argv, 1);
}

/* --save-tables: the state as an ELF vmcore, its trace named in it */
static int save_tables(struct replay_cli *c, struct pgt_engine *e,
		       const char *trace, struct pgt_err *err)
{
	struct pgt_save_origin o = { .trace = trace, .position = e->m.op_index };
	struct pgt_save_result res;
	char digest[40];
	int rc;

	if (strcmp(trace, "-")) {
		if ((rc = pgt_file_digest(trace, digest, sizeof(digest), err)))
			return rc;
		o.digest = digest;
	}
	rc = pgt_engine_save_tables(e, c->save, &o, &res, err);
	if (!rc)
		fprintf(stderr, "pgtctl: %s: wrote %zu page-table pages (%zu KiB) of %d mm%s after %lu operations\n",
			c->save, res.pages, res.pages * 4, res.mms,
			res.mms == 1 ? "" : "s", e->m.op_index);
	return rc;
}

static int cmd_replay(struct cli_args *a)
{
	struct replay_cli c = { .fmt = PGT_FMT_TEXT };
	struct pgt_replay_opts o = { .on_engine = install_events, .arg = &c };
	struct pgt_engine *e = NULL;
	struct pgt_err err = { 0 };
	uint64_t kind_ns[PGT_OP__COUNT] = { 0 }, kind_n[PGT_OP__COUNT] = { 0 };
	uint64_t kind_cpu_ns[PGT_OP__COUNT] = { 0 };
	struct cli_progress progress;
	int mm_id = 0, rc;
	bool timing;

	if ((rc = parse_opts(a, &c, &o, &mm_id)))
		return rc;
	timing = cli_has(a, O_TIMING);
	if (!c.views && !c.save)
		c.views = V_SUMMARY;
	if (check_format(&c))
		return EXIT_USAGE;
	if (!(c.r = cli_render("replay", c.fmt)))
		return EXIT_USAGE;
	if (timing) {
		o.kind_ns = kind_ns;
		o.kind_cpu_ns = kind_cpu_ns;
		o.kind_n = kind_n;
	}
	cli_progress_start(&progress, "replay", "trace read",
			   cli_has(a, O_QUIET));
	o.progress.fn = cli_progress_draw;
	o.progress.arg = &progress;
	rc = pgt_replay(a->argv[0], &o, &e, &err);
	cli_progress_clear(&progress);
	if (timing)
		print_timing(kind_ns, kind_cpu_ns, kind_n, e);
	if (c.views & V_EVENTS && e) {
		pgt_engine_on_event(e, NULL, NULL);
		pgt_sink_end(pgt_render_sink(c.r), PGT_VIEW_EVENTS);
	}
	if (!rc && c.save)
		rc = save_tables(&c, e, a->argv[0], &err);
	if (!rc)
		rc = show_views(&c, e, mm_id, &err);
	pgt_render_finish(c.r);
	if (rc)
		cli_report("replay", rc, err.msg);
	pgt_engine_free(e);
	if (!rc && c.wx_pages)
		return EXIT_NO;		/* the W+X check failed */
	return cli_status_exit(rc);
}

static const struct cli_operand replay_operands[] = {
	{ .name = "TRACE", .comp = CLI_COMP_TRACE },
	{ NULL },
};

const struct pgt_cmd pgt_cmd_replay = {
	.name = "replay",
	.summary = "replay a trace under s390 or PAE rules and show the result",
	.operands = replay_operands,
	.opts = replay_opts,
	.sources = CLI_SRC_TRACE,
	.exec = cmd_replay,
};
