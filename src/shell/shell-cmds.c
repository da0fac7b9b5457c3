/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The shell's commands: movement over the session, the views at the
 * current point (the CLI's views, names and options, rendered by the same
 * renderers, so that `pages` after `goto N` prints what `pgtctl replay
 * --until N --pages` prints), decode, information, help.  The
 * breakpoints are in shell-breaks.c, diff in shell-diff.c, ls/cd/pwd in
 * shell-tables.c, the dump's own commands in shell-dump.c.  One table
 * (shell_table) drives dispatch, `help` and completion.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "shell.h"
#include "../arch/arch.h"
#include "../lib/number.h"
#include "../session/source.h"

static const struct cli_opt no_opts[] = { { NULL } };

static const char *name_of(const struct cli_args *a)
{
	return a->cmd->name;
}

/* at most one operand, a count (default def) */
int shell_count_arg(const struct cli_args *a, unsigned long def,
		     unsigned long *n)
{
	uint64_t v;

	*n = def;
	if (a->argc > 1)
		return cli_usage_error(name_of(a), "expected at most one count");
	if (!a->argc)
		return 0;
	if (pgt_parse_u64(a->argv[0], &v) || v > (uint64_t)-1 / 2)
		return cli_usage_error(name_of(a), "bad count '%s'; expected a number",
				       a->argv[0]);
	*n = (unsigned long)v;
	return 0;
}

int shell_no_args(const struct cli_args *a)
{
	if (a->argc)
		return cli_usage_error(name_of(a), "expected no arguments");
	return 0;
}

/* ---- movement ---- */

/* after a move from position from: why it stopped short, if it did, and
 * where it is (unless a failed move went nowhere) */
static int moved(struct shell *sh, const char *cmd, unsigned long from,
		 int rc, struct pgt_err *err)
{
	char what[120];

	if (sh->hit >= 0) {
		const struct breakpoint *b = &sh->bp[sh->hit];

		shell_describe_bp(b, what, sizeof(what));
		printf("stopped at op %lu: breakpoint %d, %s\n", sh->hit_op,
		       b->id, b->kind == BP_INVARIANT ? sh->hit_why : what);
		shell_show_cause(sh, b);
	} else if (sh->intr) {
		printf("interrupted at op %lu\n", pgt_session_pos(sh->s));
	}
	sh->hit = -1;
	sh->breaks_on = false;
	if (!rc || pgt_session_pos(sh->s) != from)
		shell_print_where(sh);
	if (rc) {
		cli_report(cmd, rc, err->msg);
		return cli_status_exit(rc);
	}
	return 0;
}

/* n ops forward, with events; stopping at breakpoints when asked (with
 * `break invariant`, the session checks the invariants after each op) */
static int forward(struct shell *sh, const char *cmd, unsigned long n,
		   bool breaks)
{
	unsigned long from = pgt_session_pos(sh->s);
	int inv = breaks ? shell_invariant_bp(sh) : -1;
	struct pgt_err err = { 0 };
	int rc;

	sh->hit = -1;
	sh->breaks_on = breaks;
	pgt_session_check_steps(sh->s, inv >= 0);
	rc = pgt_session_step(sh->s, n, NULL, &err);
	pgt_session_check_steps(sh->s, false);
	if (rc == PGT_ERR_INVARIANT && inv >= 0) {
		/* the op applied, and broke an invariant: a stop, no error */
		sh->hit = inv;
		sh->hit_op = pgt_session_pos(sh->s);
		sh->bp[inv].hits++;
		snprintf(sh->hit_why, sizeof(sh->hit_why), "%s", err.msg);
		rc = PGT_OK;
	}
	return moved(sh, cmd, from, rc, &err);
}

static int run_step(struct shell *sh, struct cli_args *a)
{
	unsigned long n;

	if (shell_count_arg(a, 1, &n))
		return EXIT_USAGE;
	return forward(sh, "step", n, true);
}

static int run_continue(struct shell *sh, struct cli_args *a)
{
	if (shell_no_args(a))
		return EXIT_USAGE;
	if (!sh->nbp)
		printf("no breakpoints: running to the end\n");
	return forward(sh, "continue", (unsigned long)-1, true);
}

static int run_run(struct shell *sh, struct cli_args *a)
{
	if (shell_no_args(a))
		return EXIT_USAGE;
	return forward(sh, "run", (unsigned long)-1, false);
}

static int run_back(struct shell *sh, struct cli_args *a)
{
	struct pgt_err err = { 0 };
	unsigned long n, from;
	int rc;

	if (shell_count_arg(a, 1, &n))
		return EXIT_USAGE;
	from = pgt_session_pos(sh->s);
	rc = pgt_session_back(sh->s, n, NULL, &err);
	return moved(sh, "back", from, rc, &err);
}

static int run_goto(struct shell *sh, struct cli_args *a)
{
	struct pgt_err err = { 0 };
	unsigned long n, from;
	int rc;

	if (a->argc != 1)
		return cli_usage_error("goto", "expected one position N");
	if (shell_count_arg(a, 0, &n))
		return EXIT_USAGE;
	from = pgt_session_pos(sh->s);
	rc = pgt_session_goto(sh->s, n, &err);
	return moved(sh, "goto", from, rc, &err);
}

static int run_restart(struct shell *sh, struct cli_args *a)
{
	struct pgt_err err = { 0 };
	unsigned long from;
	int rc;

	if (shell_no_args(a))
		return EXIT_USAGE;
	from = pgt_session_pos(sh->s);
	rc = pgt_session_goto(sh->s, 0, &err);
	shell_forget_events(sh);
	return moved(sh, "restart", from, rc, &err);
}

static int run_where(struct shell *sh, struct cli_args *a)
{
	if (shell_no_args(a))
		return EXIT_USAGE;
	shell_print_where(sh);
	return 0;
}

/* ---- views ---- */

enum { O_FORMAT, O_FILTER, O_RANGE };

static const struct cli_opt view_opts[] = {
	[O_FORMAT] = CLI_OPT_FORMAT,
	[O_FILTER] = CLI_OPT_FILTER,
	[O_RANGE] = CLI_OPT_RANGE,
	{ NULL },
};

struct view_args {
	enum pgt_format fmt;
	unsigned want, deny;
	uint64_t va_start, va_end;
};

static int view_opts_parse(const struct cli_args *a, enum pgt_view v,
			   struct view_args *va)
{
	const char *cmd = name_of(a), *s;

	memset(va, 0, sizeof(*va));
	va->fmt = PGT_FMT_TEXT;
	if ((s = cli_val(a, O_FORMAT)) && cli_parse_format(cmd, s, &va->fmt))
		return EXIT_USAGE;
	if ((s = cli_val(a, O_FILTER)) &&
	    cli_parse_filter(cmd, s, &va->want, &va->deny))
		return EXIT_USAGE;
	if ((s = cli_val(a, O_RANGE)) &&
	    cli_parse_range(cmd, s, &va->va_start, &va->va_end))
		return EXIT_USAGE;
	return cli_check_format(cmd, va->fmt, &v, 1);
}

/* what the views walk: the viewed mm as replay --mm picks it, or the
 * dump's chosen root; a note on stderr when asked */
int shell_pick(struct shell *sh, const char *cmd, bool note,
	       struct pgt_engine_pick *p)
{
	struct pgt_err err = { 0 };
	int rc;

	if (sh->ds) {
		memset(p, 0, sizeof(*p));
		pgt_dump_source_view(sh->ds, &p->src);
		rc = PGT_OK;
	} else {
		rc = pgt_engine_pick(p, pgt_session_engine(sh->s), sh->mm_id,
				     &err);
	}
	if (rc) {
		cli_report(cmd, rc, err.msg);
		return cli_status_exit(rc);
	}
	if (note && p->st.note) {
		fflush(stdout);
		fprintf(stderr, "pgtctl: %s: note: %s\n", cmd, p->st.note);
	}
	return 0;
}

/* shell_pick, with the --range and --filter of a view */
static int pick(struct shell *sh, const char *cmd, bool note,
		struct pgt_engine_pick *p, const struct view_args *va)
{
	int rc;

	if ((rc = shell_pick(sh, cmd, note, p)))
		return rc;
	if (va->va_end) {
		shell_seen_addr(sh, va->va_start);
		p->src.va_start = va->va_start;
		p->src.va_end = va->va_end;
	}
	p->src.want = va->want;
	p->src.deny = va->deny;
	return 0;
}

static int walk_view(struct pgt_sink *s, enum pgt_view v,
		     const struct pgt_view_src *src, struct pgt_err *err)
{
	if (!src->arch) {
		/* the empty state: the view, with nothing in it */
		pgt_sink_begin(s, v, NULL);
		pgt_sink_end(s, v);
		return PGT_OK;
	}
	switch (v) {
	case PGT_VIEW_TREE:
		return pgt_view_tree(s, src, err);
	case PGT_VIEW_RANGES:
		return pgt_view_ranges(s, src, err);
	default:
		return pgt_view_pages(s, src, err);
	}
}

static enum pgt_view view_of(const char *name)
{
	static const struct { const char *name; enum pgt_view v; } map[] = {
		{ "tree", PGT_VIEW_TREE }, { "ranges", PGT_VIEW_RANGES },
		{ "pages", PGT_VIEW_PAGES }, { "flushes", PGT_VIEW_FLUSHES },
		{ "transitions", PGT_VIEW_TRANSITIONS },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(map[i].name, name))
			return map[i].v;
	return PGT_VIEW_SUMMARY;
}

/* tree, ranges, pages, flushes, transitions, summary */
static int run_view(struct shell *sh, struct cli_args *a)
{
	enum pgt_view v = view_of(name_of(a));
	struct pgt_engine *e = sh->s ? pgt_session_engine(sh->s) : NULL;
	bool walks = v == PGT_VIEW_TREE || v == PGT_VIEW_RANGES ||
		     v == PGT_VIEW_PAGES;
	struct pgt_err err = { 0 };
	struct pgt_engine_pick p;
	struct view_args va;
	struct pgt_render *r;
	int rc;

	if (shell_no_args(a) || view_opts_parse(a, v, &va))
		return EXIT_USAGE;
	if ((rc = pick(sh, name_of(a), walks, &p, &va)))
		return rc;
	if (sh->ds && v == PGT_VIEW_SUMMARY)
		return shell_dump_summary(sh, &p.src, va.fmt);
	/* the renderer of `pgtctl replay` (`dump`): the same output */
	if (!(r = cli_render(sh->ds ? "dump" : "replay", va.fmt)))
		return EXIT_USAGE;
	rc = PGT_OK;
	if (walks)
		rc = walk_view(pgt_render_sink(r), v, &p.src, &err);
	else if (v == PGT_VIEW_FLUSHES)
		pgt_view_flushes(pgt_render_sink(r), e);
	else if (v == PGT_VIEW_TRANSITIONS)
		pgt_view_transitions(pgt_render_sink(r), e);
	else
		pgt_view_summary(pgt_render_sink(r), e,
				 p.st.note ? &p.st : NULL);
	pgt_render_finish(r);
	if (rc)
		cli_report(name_of(a), rc, err.msg);
	return cli_status_exit(rc);
}

static int run_translate(struct shell *sh, struct cli_args *a)
{
	struct pgt_err err = { 0 };
	struct pgt_engine_pick p;
	struct view_args va;
	struct pgt_render *r;
	struct pgt_sink *s;
	uint64_t n;
	int i, rc;

	if (view_opts_parse(a, PGT_VIEW_TRANSLATE, &va))
		return EXIT_USAGE;
	if (!a->argc)
		return cli_usage_error("translate", "expected at least one VA");
	for (i = 0; i < a->argc; i++) {
		if (pgt_parse_u64(a->argv[i], &n))
			return cli_usage_error("translate", "bad address '%s'; expected a number (decimal or 0x hex)",
					       a->argv[i]);
		shell_seen_addr(sh, n);
	}
	if ((rc = pick(sh, "translate", true, &p, &va)))
		return rc;
	if (!(r = cli_render("translate", va.fmt)))
		return EXIT_USAGE;
	s = pgt_render_sink(r);
	pgt_sink_begin(s, PGT_VIEW_TRANSLATE, p.src.arch);
	for (i = 0, rc = PGT_OK; !rc && i < a->argc; i++) {
		pgt_parse_u64(a->argv[i], &n);
		if (p.src.arch) {
			rc = pgt_view_translate(s, &p.src, n, &err);
		} else {
			struct pgt_rec rec = { .kind = PGT_REC_XLATE };

			rec.u.xlate.va = n;
			rec.u.xlate.why = "the state is empty: every mm has exited";
			pgt_sink_rec(s, &rec);
		}
	}
	pgt_render_finish(r);
	if (rc)
		cli_report("translate", rc, err.msg);
	return cli_status_exit(rc);
}

/* decode [--arch A] [--level L] VALUE...: as pgtctl decode, the arch
 * of the source open by default */
static int run_decode(struct shell *sh, struct cli_args *a)
{
	const struct pgt_arch *arch = sh->ds ? sh->ds->arch :
				      pgt_session_engine(sh->s)->m.arch;
	enum pgt_format fmt = PGT_FMT_TEXT;
	enum pgt_view view = PGT_VIEW_DECODE;
	const char *v, *lname = cli_val(a, 1);
	struct pgt_render *r;
	int level = -1, i;
	uint64_t n;

	if ((v = cli_val(a, 0)) && !(arch = pgt_arch_find(v))) {
		char names[120];

		return cli_usage_error("decode", "unknown --arch '%s'; expected %s",
				       v, pgt_arch_names(names, sizeof(names), ""));
	}
	if ((v = cli_val(a, 2)) && cli_parse_format("decode", v, &fmt))
		return EXIT_USAGE;
	if (lname && (level = pgt_arch_level_find(arch, lname)) < 0)
		return cli_usage_error("decode", "unknown --level '%s' for %s",
				       lname, arch->name);
	if (!a->argc)
		return cli_usage_error("decode", "expected at least one VALUE");
	for (i = 0; i < a->argc; i++)
		if (pgt_parse_u64(a->argv[i], &n))
			return cli_usage_error("decode", "bad value '%s'; expected a number (decimal or 0x hex)",
					       a->argv[i]);
	if (cli_check_format("decode", fmt, &view, 1) ||
	    !(r = cli_render("decode", fmt)))
		return EXIT_USAGE;
	pgt_sink_begin(pgt_render_sink(r), PGT_VIEW_DECODE, arch);
	for (i = 0; i < a->argc; i++) {
		pgt_parse_u64(a->argv[i], &n);
		pgt_view_decode(pgt_render_sink(r), arch, level, n);
	}
	pgt_render_finish(r);
	return 0;
}

/* the events of the last N ops stepped (not those of back or goto,
 * which replay from a checkpoint silently) */
static int run_events(struct shell *sh, struct cli_args *a)
{
	struct pgt_evout o;
	struct view_args va;
	struct pgt_render *r;
	unsigned long n;
	size_t i;

	if (shell_count_arg(a, 1, &n) ||
	    view_opts_parse(a, PGT_VIEW_EVENTS, &va))
		return EXIT_USAGE;
	if (n > SHELL_KEEP_OPS)
		return cli_usage_error("events", "the shell keeps the events of the last %d ops stepped",
				       SHELL_KEEP_OPS);
	if (!(r = cli_render("replay", va.fmt)))
		return EXIT_USAGE;
	o.sink = pgt_render_sink(r);
	o.arch = pgt_session_engine(sh->s)->m.arch;
	pgt_sink_begin(o.sink, PGT_VIEW_EVENTS, o.arch);
	for (i = 0; i < sh->nkept; i++) {
		struct pgt_event ev = sh->kept[i].ev;

		if (sh->kept[i].seq + n <= sh->seq)
			continue;
		ev.text = sh->kept[i].text;
		pgt_view_event(&o, &ev);
	}
	pgt_sink_end(o.sink, PGT_VIEW_EVENTS);
	pgt_render_finish(r);
	return 0;
}

static int run_mm(struct shell *sh, struct cli_args *a)
{
	unsigned long n;

	if (shell_count_arg(a, (unsigned long)-1, &n))
		return EXIT_USAGE;
	if (n == (unsigned long)-1) {
		if (sh->mm_id)
			printf("viewing mm %d\n", sh->mm_id);
		else
			printf("viewing the current mm\n");
		return 0;
	}
	if (n > PGT_MAX_MM_ID)
		return cli_usage_error("mm", "bad mm '%s'; expected an mm id (0: the current one)",
				       a->argv[0]);
	if (sh->mm_id != (int)n)
		sh->depth = 0;	/* another tree: cd starts at its top */
	sh->mm_id = (int)n;
	return 0;
}

static void info_session(struct shell *sh)
{
	struct pgt_session_stats st;

	pgt_session_stats(sh->s, &st);
	printf("trace\t%s\n", pgt_session_path(sh->s));
	printf("position\t%lu/%lu\n", pgt_session_pos(sh->s),
	       pgt_session_length(sh->s));
	printf("checkpoints\t%lu\n", st.checkpoints);
	printf("checkpoint_bytes\t%zu\n", st.checkpoint_bytes);
	printf("spacing\t%lu\n", st.spacing);
	printf("budget\t%zu\n", st.budget);
	printf("trace_bytes\t%zu\n", st.trace_bytes);
	printf("flush_log_bytes\t%zu\n", st.flush_log_bytes);
	printf("frontier\t%lu\n", st.frontier);
	printf("restores\t%lu\n", st.restores);
	printf("replayed\t%lu\n", st.replayed);
}

static int run_info(struct shell *sh, struct cli_args *a)
{
	if (a->argc == 1 && !strcmp(a->argv[0], "breaks"))
		shell_info_breaks(sh);
	else if (a->argc == 1 && !strcmp(a->argv[0], "session"))
		info_session(sh);
	else
		return cli_usage_error("info", "expected breaks or session");
	return 0;
}

/* ---- help, quit ---- */

static int run_help(struct shell *sh, struct cli_args *a)
{
	const struct shell_cmd *const *c;
	const struct shell_cmd *sc;

	if (a->argc > 1)
		return cli_usage_error("help", "expected at most one COMMAND");
	if (a->argc) {
		if (!(sc = shell_find(a->argv[0])))
			return cli_usage_error("help", "unknown command '%s'",
					       a->argv[0]);
		cli_print_cmd_help(stdout, &sc->cmd);
		return 0;
	}
	printf("Commands on %s:\n", sh->ds ? "a dump" : "a trace");
	for (c = shell_commands(); *c; c++)
		if (((*c)->modes & (sh->ds ? SHELL_DUMP : SHELL_TRACE)) &&
		    !(*c)->cmd.hidden)
			printf("  %-12s %s\n", (*c)->cmd.name,
			       (*c)->cmd.summary);
	printf("\n'help COMMAND' lists the options of a command.\n");
	return 0;
}

/* __complete WORD...: what Tab offers for the last word ("" for an empty
 * one), one a line: completion seen from a script (tests) */
static int run_complete(struct shell *sh, struct cli_args *a)
{
	char line[1024];
	size_t n = 0;
	int i;

	line[0] = '\0';
	for (i = 0; i < a->argc && n < sizeof(line); i++)
		n += (size_t)snprintf(line + n, sizeof(line) - n, "%s%s",
				      i ? " " : "",
				      strcmp(a->argv[i], "\"\"") ? a->argv[i] : "");
	if (n >= sizeof(line))
		return cli_usage_error("__complete", "the line is too long");
	shell_complete_print(sh, line);
	return 0;
}

#define MAX_SOURCE_DEPTH 16	/* a file that sources itself ends here */

static int run_source(struct shell *sh, struct cli_args *a)
{
	FILE *f;
	int rc;

	if (a->argc != 1)
		return cli_usage_error("source", "expected one FILE");
	if (sh->sourcing >= MAX_SOURCE_DEPTH) {
		cli_error("source", "%s: more than %d files sourced inside each other",
			  a->argv[0], MAX_SOURCE_DEPTH);
		return EXIT_USAGE;
	}
	if (!(f = fopen(a->argv[0], "r"))) {
		cli_error("source", "%s: %s", a->argv[0], strerror(errno));
		return EXIT_USAGE;
	}
	sh->sourcing++;
	rc = shell_run_file(sh, f);
	sh->sourcing--;
	fclose(f);
	return rc;
}

static int run_quit(struct shell *sh, struct cli_args *a)
{
	if (shell_no_args(a))
		return EXIT_USAGE;
	sh->quit = true;
	return 0;
}

/* ---- the table ---- */

static const char *const bp_words[] = { "op", "flush", "addr", "invariant",
					NULL };
static const char *const info_words[] = { "breaks", "session", NULL };

static const struct cli_operand count_operand[] = {
	{ .name = "[N]" }, { NULL },
};
static const struct cli_operand pos_operand[] = {
	{ .name = "N" }, { NULL },
};
static const struct cli_operand va_operand[] = {
	{ .name = "VA", .repeat = true }, { NULL },
};
static const struct cli_operand one_va_operand[] = {
	{ .name = "VA" }, { NULL },
};
static const struct cli_operand break_operands[] = {
	{ .name = "op|flush|addr|invariant", .comp = CLI_COMP_WORDS,
	  .words = bp_words },
	{ .name = "[KIND|A[-B]]" },
	{ NULL },
};
static const struct cli_operand info_operands[] = {
	{ .name = "breaks|session", .comp = CLI_COMP_WORDS, .words = info_words },
	{ NULL },
};
static const struct cli_operand root_operand[] = {
	{ .name = "R", .comp = CLI_COMP_WORDS, .words = cli_root_words },
	{ NULL },
};
static const struct cli_operand cd_operand[] = {
	{ .name = "INDEX|VA|..|/" }, { NULL },
};
static const struct cli_opt ls_opts[] = {
	{ "all", 'a', .help = "every entry on its own line, empty ones too" },
	{ NULL },
};
static const struct cli_operand decode_operands[] = {
	{ .name = "VALUE", .repeat = true }, { NULL },
};
static const struct cli_opt decode_opts[] = {
	{ "arch", .arg = "ARCH", .comp = CLI_COMP_ARCH,
	  .help = "the paging format (default: the source's)" },
	{ "level", .arg = "LEVEL", .comp = CLI_COMP_LEVEL,
	  .help = "only this level (its name or Linux's)" },
	CLI_OPT_FORMAT,
	{ NULL },
};
static const struct cli_opt diff_opts[] = {
	{ "format", .arg = "FORMAT", .comp = CLI_COMP_WORDS,
	  .words = cli_format_words,
	  .help = "the output format (default text; not dot)" },
	CLI_OPT_FILTER,
	CLI_OPT_RANGE,
	{ "mm-a", .arg = "N", .help = "side A (position N): address space N" },
	{ "mm-b", .arg = "N", .help = "side B (now): address space N" },
	{ "explain",
	  .help = "the op that last changed each difference (replays the trace)" },
	{ NULL },
};
static const struct cli_operand file_operand[] = {
	{ .name = "FILE", .comp = CLI_COMP_FILE }, { NULL },
};
static const struct cli_operand help_operands[] = {
	{ .name = "[COMMAND]", .comp = CLI_COMP_COMMAND }, { NULL },
};

#define SHELL_CMD(n, ops, o, fn, m, s) \
	static const struct shell_cmd sh_##n = { \
		.cmd = { .name = #n, .summary = s, .operands = ops, \
			 .opts = o }, \
		.run = fn, \
		.modes = m, \
	}
#define T SHELL_TRACE
#define D SHELL_DUMP

SHELL_CMD(step, count_operand, no_opts, run_step, T,
	  "apply the next N operations (1), stopping at breakpoints");
SHELL_CMD(back, count_operand, no_opts, run_back, T,
	  "go back N operations (1), through a checkpoint");
SHELL_CMD(goto, pos_operand, no_opts, run_goto, T,
	  "go to position N: the state after the first N operations");
SHELL_CMD(continue, NULL, no_opts, run_continue, T,
	  "apply operations up to the next breakpoint");
SHELL_CMD(run, NULL, no_opts, run_run, T,
	  "apply every operation left, ignoring breakpoints");
SHELL_CMD(restart, NULL, no_opts, run_restart, T, "go back to position 0");
SHELL_CMD(where, NULL, no_opts, run_where, T,
	  "the position, the last operation applied and its trace line");
SHELL_CMD(tree, NULL, view_opts, run_view, T | D, "the page-table tree");
SHELL_CMD(ranges, NULL, view_opts, run_view, T | D,
	  "the address ranges mapped alike, merged");
SHELL_CMD(pages, NULL, view_opts, run_view, T | D,
	  "one line per present leaf mapping");
SHELL_CMD(translate, va_operand, view_opts, run_translate, T | D,
	  "walk addresses level by level");
SHELL_CMD(flushes, NULL, view_opts, run_view, T,
	  "the TLB flushes per operation and kind so far");
SHELL_CMD(transitions, NULL, view_opts, run_view, T,
	  "counts of leaf entry state changes so far");
SHELL_CMD(summary, NULL, view_opts, run_view, T | D,
	  "arch, ops, address spaces, totals (a dump: the walk's, per level)");
SHELL_CMD(findings, NULL, view_opts, shell_run_findings, D,
	  "every finding of the walk of the root");
SHELL_CMD(decode, decode_operands, decode_opts, run_decode, T | D,
	  "decode raw entries at each level (or --level) of the paging format");
SHELL_CMD(diff, pos_operand, diff_opts, shell_run_diff, T,
	  "what changed between position N and now, leaf by leaf");
SHELL_CMD(events, count_operand, view_opts, run_events, T,
	  "the events of the last N operations stepped (1)");
SHELL_CMD(mm, count_operand, no_opts, run_mm, T,
	  "show address space N in the views (0: the current one)");
SHELL_CMD(break, break_operands, no_opts, shell_run_break, T,
	  "stop at an op kind, a flush kind, an address range, a broken invariant");
SHELL_CMD(watch, one_va_operand, no_opts, shell_run_watch, T,
	  "stop when an entry on the walk of VA changes");
SHELL_CMD(delete, count_operand, no_opts, shell_run_delete, T,
	  "delete breakpoint or watch N, or all of them");
SHELL_CMD(info, info_operands, no_opts, run_info, T,
	  "the breakpoints, or the session's checkpoints and counts");
SHELL_CMD(roots, NULL, view_opts, shell_run_roots, D,
	  "the page-table roots found in the dump");
SHELL_CMD(root, root_operand, no_opts, shell_run_root, D,
	  "walk root R from now on: ADDR, cpuN, user, kernel, NAME");
SHELL_CMD(ls, NULL, ls_opts, shell_run_ls, T | D,
	  "the entries of the current table, decoded, runs collapsed");
SHELL_CMD(cd, cd_operand, no_opts, shell_run_cd, T | D,
	  "into the table entry INDEX (or VA's entry) points to; .. up; / top");
SHELL_CMD(up, NULL, no_opts, shell_run_up, T | D, "to the table above");
SHELL_CMD(pwd, NULL, no_opts, shell_run_pwd, T | D,
	  "the path of tables and indices from the root");
SHELL_CMD(source, file_operand, no_opts, run_source, T | D,
	  "run the commands of FILE, one a line");
SHELL_CMD(help, help_operands, no_opts, run_help, T | D,
	  "the commands, or the options of one");
SHELL_CMD(quit, NULL, no_opts, run_quit, T | D,
	  "leave the shell (Ctrl-D too)");
static const struct cli_operand complete_operands[] = {
	{ .name = "WORD", .repeat = true }, { NULL },
};
static const struct shell_cmd sh___complete = {
	.cmd = { .name = "__complete", .operands = complete_operands,
		 .opts = no_opts, .hidden = true,
		 .summary = "what Tab offers for the last WORD" },
	.run = run_complete,
	.modes = T | D,
};

static const struct shell_cmd *const shell_table[] = {
	&sh_step, &sh_back, &sh_goto, &sh_continue, &sh_run, &sh_restart,
	&sh_where, &sh_tree, &sh_ranges, &sh_pages, &sh_translate,
	&sh_flushes, &sh_transitions, &sh_summary, &sh_findings, &sh_decode,
	&sh_diff, &sh_events, &sh_mm,
	&sh_break, &sh_watch, &sh_delete, &sh_info,
	&sh_roots, &sh_root, &sh_ls, &sh_cd, &sh_up, &sh_pwd,
	&sh_source, &sh_help, &sh_quit, &sh___complete,
	NULL,
};

const struct shell_cmd *const *shell_commands(void)
{
	return shell_table;
}

/* exact name first, then a unique prefix */
const struct shell_cmd *shell_find(const char *name)
{
	const struct shell_cmd *const *c, *hit = NULL;
	size_t n = strlen(name), hits = 0;

	for (c = shell_table; *c; c++) {
		if (!strcmp((*c)->cmd.name, name))
			return *c;
		if (n && !strncmp((*c)->cmd.name, name, n)) {
			hit = *c;
			hits++;
		}
	}
	return hits == 1 ? hit : NULL;
}
