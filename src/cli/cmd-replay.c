/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pgtctl replay TRACE: replay a trace and show the views asked for. */
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <string.h>
#include "commands.h"
#include "cli-source.h"
#include "../session/replay.h"

enum { V_TREE = 1, V_RANGES = 2, V_PAGES = 4, V_EVENTS = 8, V_FLUSHES = 16,
       V_TRANS = 32, V_SUMMARY = 64 };

struct replay_cli {
	unsigned views;
	enum pgt_format fmt;
	uint64_t va_start, va_end;	/* --range */
	unsigned want, deny;		/* --filter */
	struct pgt_evout ev;
};

static void install_events(void *arg, struct pgt_engine *e)
{
	struct replay_cli *c = arg;

	/* per-op flush records grow with the trace: keep them only when
	 * --flushes will show them (the totals are always kept) */
	e->flush_records = c->views & V_FLUSHES;
	if (!(c->views & V_EVENTS))
		return;
	c->ev.out = stdout;
	c->ev.fmt = c->fmt;
	c->ev.arch = e->arch;
	pgt_view_events_begin(&c->ev);
	pgt_engine_on_event(e, pgt_view_event, &c->ev);
}

static int show_views(struct replay_cli *c, struct pgt_engine *e, int mm_id,
		      struct pgt_err *err)
{
	struct pgt_view_src src = { 0 };
	int rc = 0;

	if (c->views & (V_TREE | V_RANGES | V_PAGES)) {
		rc = cli_engine_source(e, mm_id, &src, err);
		if (rc)
			return rc;
		if (c->va_end) {
			src.va_start = c->va_start;
			src.va_end = c->va_end;
		}
		src.want = c->want;
		src.deny = c->deny;
	}
	if (!rc && (c->views & V_TREE))
		rc = pgt_view_tree(stdout, c->fmt, &src, err);
	if (!rc && (c->views & V_RANGES))
		rc = pgt_view_ranges(stdout, c->fmt, &src, err);
	if (!rc && (c->views & V_PAGES))
		rc = pgt_view_pages(stdout, c->fmt, &src, err);
	if (!rc && (c->views & V_FLUSHES))
		pgt_view_flushes(stdout, c->fmt, e);
	if (!rc && (c->views & V_TRANS))
		pgt_view_transitions(stdout, c->fmt, e);
	if (!rc && (c->views & V_SUMMARY))
		pgt_view_summary(stdout, c->fmt, e);
	return rc;
}

/* --timing: wall time per operation kind and peak memory, on stderr so
 * that it never mixes with a view (tests/bench reads it) */
static void print_timing(const uint64_t *ns, const uint64_t *n,
			 struct pgt_engine *e)
{
	struct rusage ru;
	int k;

	for (k = 0; k < PGT_OP__COUNT; k++)
		if (n[k])
			fprintf(stderr, "timing\t%s\t%" PRIu64 "\t%" PRIu64 "\n",
				pgt_op_name(k), n[k], ns[k]);
	if (e)
		fprintf(stderr, "frames\t%" PRIu64 "\t%" PRIu64 "\n",
			e->mem.used, e->mem.peak);
	if (!getrusage(RUSAGE_SELF, &ru))
		fprintf(stderr, "maxrss_kib\t%ld\n", ru.ru_maxrss);
}

static int cmd_replay(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "tree", no_argument, NULL, 't' },
		{ "ranges", no_argument, NULL, 'r' },
		{ "pages", no_argument, NULL, 'p' },
		{ "events", no_argument, NULL, 'e' },
		{ "flushes", no_argument, NULL, 'f' },
		{ "transitions", no_argument, NULL, 'T' },
		{ "summary", no_argument, NULL, 's' },
		{ "format", required_argument, NULL, 'F' },
		{ "until", required_argument, NULL, 'u' },
		{ "mm", required_argument, NULL, 'm' },
		{ "check", no_argument, NULL, 'c' },
		{ "timing", no_argument, NULL, 'S' },
		{ "filter", required_argument, NULL, 'i' },
		{ "range", required_argument, NULL, 'g' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct replay_cli c = { .fmt = PGT_FMT_TEXT };
	struct pgt_replay_opts o = { .on_engine = install_events, .arg = &c };
	struct pgt_engine *e = NULL;
	struct pgt_err err = { 0 };
	uint64_t kind_ns[PGT_OP__COUNT] = { 0 }, kind_n[PGT_OP__COUNT] = { 0 };
	int opt, mm_id = 0, rc;
	bool timing = false;
	uint64_t n;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (opt) {
		case 't': c.views |= V_TREE; break;
		case 'r': c.views |= V_RANGES; break;
		case 'p': c.views |= V_PAGES; break;
		case 'e': c.views |= V_EVENTS; break;
		case 'f': c.views |= V_FLUSHES; break;
		case 'T': c.views |= V_TRANS; break;
		case 's': c.views |= V_SUMMARY; break;
		case 'c': o.check = true; break;
		case 'S': timing = true; break;
		case 'i':
			if (cli_parse_filter("replay", optarg, &c.want, &c.deny))
				return EXIT_USAGE;
			break;
		case 'g':
			if (cli_parse_range("replay", optarg, &c.va_start, &c.va_end))
				return EXIT_USAGE;
			break;
		case 'F':
			if (cli_parse_format("replay", optarg, &c.fmt))
				return EXIT_USAGE;
			break;
		case 'u':
			if (pgt_parse_u64(optarg, &n) || n == 0)
				return cli_usage_error("replay", "bad --until '%s'; expected a positive operation count", optarg);
			o.until = n;
			break;
		case 'm':
			if (pgt_parse_u64(optarg, &n) || n == 0 || n > 1000000)
				return cli_usage_error("replay", "bad --mm '%s'; expected an mm id", optarg);
			mm_id = (int)n;
			break;
		case 'h':
			printf("Usage: pgtctl %s\n%s\n", pgt_cmd_replay.usage,
			       pgt_cmd_replay.summary);
			return 0;
		default:
			return cli_usage_error("replay", "bad option");
		}
	}
	if (optind != argc - 1)
		return cli_usage_error("replay", "expected exactly one TRACE argument");
	if (!c.views)
		c.views = V_SUMMARY;
	if (timing) {
		o.kind_ns = kind_ns;
		o.kind_n = kind_n;
	}
	rc = pgt_replay(argv[optind], &o, &e, &err);
	if (timing)
		print_timing(kind_ns, kind_n, e);
	if (c.views & V_EVENTS && e) {
		pgt_engine_on_event(e, NULL, NULL);
		pgt_view_events_end(&c.ev);
	}
	if (!rc)
		rc = show_views(&c, e, mm_id, &err);
	if (rc)
		cli_error("replay", "%s", err.msg);
	pgt_engine_free(e);
	return cli_status_exit(rc);
}

const struct pgt_cmd pgt_cmd_replay = {
	.name = "replay",
	.fn = cmd_replay,
	.usage = "replay [--tree] [--ranges] [--pages] [--events] [--flushes] [--transitions] [--summary] [--format text|json|tsv] [--filter FLAGS] [--range A-B] [--until N] [--mm N] [--check] [--timing] TRACE",
	.summary = "replay a trace under s390 or PAE rules and show the result",
};
