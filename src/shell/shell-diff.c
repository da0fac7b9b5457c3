/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * diff N in the shell: what changed between position N and now, leaf by
 * leaf, with the diff library (src/session/diff.c) and the renderer of
 * `pgtctl diff`, so that at position M it prints what `pgtctl diff
 * TRACE@N TRACE@M` prints.  The state now is copied (pgt_engine_clone),
 * the session goes to N through a checkpoint, the two are compared, and
 * the session comes back to M the same way: no replay from the start.
 * --explain needs the op that last changed each entry, which only a
 * replay from the start with events can tell: it opens the trace twice,
 * as `pgtctl diff --explain` does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "shell.h"
#include "../lib/number.h"
#include "../session/diff.h"

enum { O_FORMAT, O_FILTER, O_RANGE, O_MM_A, O_MM_B, O_EXPLAIN };

struct side {
	char which;			/* 'A' (position N), 'B' (now) */
	struct pgt_session *s;		/* --explain: a session of its own */
	struct pgt_engine *copy;	/* the state now, copied */
	struct pgt_engine_pick pick;
	unsigned long pos;
	int mm_id;
	char name[4200];
	struct pgt_diff_side d;
};

static int parse_mm(const struct cli_args *a, int opt, int def, int *mm)
{
	const char *v = cli_val(a, opt);

	*mm = def;
	return v ? cli_parse_mm_id("diff", opt == O_MM_A ? "mm-a" : "mm-b",
				   v, mm) : 0;
}

static int parse_opts(struct shell *sh, const struct cli_args *a,
		      enum pgt_format *fmt, struct pgt_diff_opts *o,
		      struct side *x)
{
	enum pgt_view view = PGT_VIEW_DIFF;
	const char *v;
	uint64_t n;

	if ((v = cli_val(a, O_FORMAT)) && cli_parse_format("diff", v, fmt))
		return EXIT_USAGE;
	if (*fmt == PGT_FMT_DOT)
		return cli_usage_error("diff", "--format dot: diff cannot draw its union tree yet; use --format text, json or tsv");
	if (cli_check_format("diff", *fmt, &view, 1))
		return EXIT_USAGE;
	if ((v = cli_val(a, O_FILTER)) &&
	    cli_parse_filter("diff", v, &o->want, &o->deny))
		return EXIT_USAGE;
	if ((v = cli_val(a, O_RANGE)) &&
	    cli_parse_range("diff", v, &o->va_start, &o->va_end))
		return EXIT_USAGE;
	if (o->va_end)
		shell_seen_addr(sh, o->va_start);
	if (parse_mm(a, O_MM_A, sh->mm_id, &x[0].mm_id) ||
	    parse_mm(a, O_MM_B, sh->mm_id, &x[1].mm_id))
		return EXIT_USAGE;
	if (a->argc != 1)
		return cli_usage_error("diff", "expected one position N (compared with now)");
	if (pgt_parse_u64(a->argv[0], &n) || n > pgt_session_length(sh->s))
		return cli_usage_error("diff", "bad position '%s'; expected an operation count from 0 to %lu",
				       a->argv[0], pgt_session_length(sh->s));
	x[0].pos = (unsigned long)n;
	x[1].pos = pgt_session_pos(sh->s);
	return 0;
}

/* the side's view and name, as pgtctl diff names a trace side */
static int finish_side(struct shell *sh, struct side *x, struct pgt_engine *e,
		       struct pgt_err *err)
{
	const char *path = pgt_session_path(sh->s);
	int rc = pgt_engine_pick(&x->pick, e, x->mm_id, err);

	if (rc)
		return rc;
	if (x->pick.st.note) {
		fflush(stdout);
		fprintf(stderr, "pgtctl: diff: note: %c: %s\n", x->which,
			x->pick.st.note);
	}
	x->d.src = x->pick.src;
	x->d.mm = x->pick.st.mm;
	if (x->pick.st.mm)
		snprintf(x->name, sizeof(x->name), "%s@%lu mm %d", path,
			 x->pos, x->pick.st.mm);
	else
		snprintf(x->name, sizeof(x->name), "%s@%lu", path, x->pos);
	return PGT_OK;
}

/* --explain: a session of its own, stepped to the side's position with
 * a history listening */
static int open_explained(struct shell *sh, struct side *x,
			  struct pgt_err *err)
{
	struct pgt_session_opts so = { .stop = &sh->stop };
	unsigned long moved = 0;
	int rc;

	if ((rc = pgt_session_open(pgt_session_path(sh->s), &so, &x->s, err)) ||
	    (rc = pgt_diff_history_new(x->s, &x->d.hist, err)) ||
	    (rc = pgt_session_step(x->s, x->pos, &moved, err)))
		return rc;
	if (moved != x->pos)
		return pgt_fail(err, PGT_ERR_USAGE, "interrupted");
	return finish_side(sh, x, pgt_session_engine(x->s), err);
}

/* the state now copied (B), the session at N (A) */
static int open_both(struct shell *sh, struct side *x, struct pgt_err *err)
{
	int rc;

	x[1].copy = pgt_engine_clone(pgt_session_engine(sh->s),
				     PGT_CLONE_NO_FLUSH_RECS, NULL, err);
	if (!x[1].copy)
		return err->status ? err->status : PGT_ERR_NOMEM;
	if ((rc = pgt_session_goto(sh->s, x[0].pos, err)) ||
	    (rc = finish_side(sh, &x[0], pgt_session_engine(sh->s), err)))
		return rc;
	return finish_side(sh, &x[1], x[1].copy, err);
}

static void close_side(struct side *x)
{
	pgt_diff_history_free(x->d.hist);
	if (x->s)
		pgt_session_close(x->s);
	if (x->copy)
		pgt_engine_free(x->copy);
}

int shell_run_diff(struct shell *sh, struct cli_args *a)
{
	struct side x[2];
	enum pgt_format fmt = PGT_FMT_TEXT;
	/* one trace at two points: the frames are the same memory */
	struct pgt_diff_opts o = { .compare_pa = true };
	struct pgt_diff_result res;
	struct pgt_render *r = NULL;
	struct pgt_err err = { 0 }, gerr = { 0 };
	unsigned long now = pgt_session_pos(sh->s);
	int rc, grc;

	memset(x, 0, sizeof(x));
	x[0].which = 'A';
	x[1].which = 'B';
	x[0].d.kind = x[1].d.kind = "replay";
	x[0].d.name = x[0].name;
	x[1].d.name = x[1].name;
	if (parse_opts(sh, a, &fmt, &o, x))
		return EXIT_USAGE;
	if (cli_has(a, O_EXPLAIN)) {
		rc = open_explained(sh, &x[0], &err);
		if (!rc)
			rc = open_explained(sh, &x[1], &err);
	} else {
		rc = open_both(sh, x, &err);
	}
	if (!rc && !(r = cli_render("diff", fmt)))
		rc = pgt_fail(&err, PGT_ERR_NOMEM, "out of memory");
	if (!rc)
		rc = pgt_diff(pgt_render_sink(r), &x[0].d, &x[1].d, &o, &res,
			      &err);
	pgt_render_finish(r);
	close_side(&x[0]);
	close_side(&x[1]);
	/* back to where the user was */
	grc = pgt_session_pos(sh->s) == now ? PGT_OK :
	      pgt_session_goto(sh->s, now, &gerr);
	if (rc)
		cli_report("diff", rc, err.msg);
	if (grc)
		cli_report("diff", grc, gerr.msg);
	/* differences are the answer, not a failure of the command */
	return cli_status_exit(rc ? rc : grc);
}
