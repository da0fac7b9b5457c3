/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Breakpoints and watches: the session's listener keeps the events of
 * the last ops stepped (for `events` and for showing a stop) and checks
 * each event against the breakpoints; a hit stops the move after the op
 * (the session reads sh->stop before each op).  `break invariant` is the
 * session's own check (pgt_session_check_steps), turned on by the moves
 * that stop at breakpoints (shell-cmds.c, forward).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "shell.h"
#include "../arch/arch.h"
#include "../lib/number.h"

/* ---- events and breakpoints: the session's listener ---- */

static bool op_touches(const struct pgt_op *op, uint64_t start, uint64_t end)
{
	return op && op->len && op->addr < end && start < op->addr + op->len;
}

/* does the entry of ev lie on the walk of va: does its span hold va? */
static bool on_walk(struct shell *sh, const struct pgt_event *ev, uint64_t va)
{
	const struct pgt_arch *a = pgt_session_engine(sh->s)->m.arch;
	uint64_t span;

	if (ev->level < 0 || (unsigned)ev->level >= (unsigned)a->nlevels)
		return false;
	span = 1ull << a->levels[ev->level].shift;
	return (va & ~(span - 1)) == (ev->va & ~(span - 1));
}

static bool bp_matches(struct shell *sh, const struct breakpoint *b,
		       const struct pgt_event *ev)
{
	const struct pgt_op *op = pgt_session_op(sh->s, ev->op);

	switch (b->kind) {
	case BP_OP:
		return ev->type == PGT_EV_OP && op &&
		       op->kind == (enum pgt_op_kind)b->what;
	case BP_FLUSH:
		return ev->type == PGT_EV_FLUSH && ev->kind == b->what;
	case BP_ADDR:
		if (ev->type == PGT_EV_OP)
			return op_touches(op, b->start, b->end);
		return ev->type == PGT_EV_ENTRY && ev->va >= b->start &&
		       ev->va < b->end;
	case BP_WATCH:
		return ev->type == PGT_EV_ENTRY &&
		       (ev->mm == b->mm || !ev->mm) && on_walk(sh, ev, b->start);
	case BP_INVARIANT:
		return false;	/* the session's check says (forward) */
	}
	return false;
}

/* drop the events of ops more than SHELL_KEEP_OPS steps back */
static void trim_events(struct shell *sh)
{
	size_t i, n = 0;

	if (sh->nkept < sh->ckept || sh->seq <= SHELL_KEEP_OPS)
		return;
	for (i = 0; i < sh->nkept; i++) {
		if (sh->kept[i].seq + SHELL_KEEP_OPS <= sh->seq) {
			free(sh->kept[i].text);
			continue;
		}
		sh->kept[n++] = sh->kept[i];
	}
	sh->nkept = n;
}

static void keep_event(struct shell *sh, const struct pgt_event *ev)
{
	struct kept_event *k;

	trim_events(sh);
	if (sh->nkept == sh->ckept) {
		size_t c = sh->ckept ? 2 * sh->ckept : 256;

		k = realloc(sh->kept, c * sizeof(*k));
		if (!k)
			return;	/* `events` will show fewer: not worth failing */
		sh->kept = k;
		sh->ckept = c;
	}
	k = &sh->kept[sh->nkept++];
	k->ev = *ev;
	k->seq = sh->seq;
	k->text = ev->text ? strdup(ev->text) : NULL;
	k->ev.text = NULL;
}

void shell_listen(void *arg, const struct pgt_event *ev)
{
	struct shell *sh = arg;
	int i;

	if (ev->type == PGT_EV_OP)
		sh->seq++;
	keep_event(sh, ev);
	if (!sh->breaks_on || sh->hit >= 0)
		return;
	for (i = 0; i < sh->nbp; i++)
		if (bp_matches(sh, &sh->bp[i], ev)) {
			sh->hit = i;
			sh->hit_op = ev->op;
			sh->bp[i].hits++;
			sh->stop = 1;	/* the move ends after this op */
			return;
		}
}

void shell_forget_events(struct shell *sh)
{
	size_t i;

	for (i = 0; i < sh->nkept; i++)
		free(sh->kept[i].text);
	free(sh->kept);
	sh->kept = NULL;
	sh->nkept = sh->ckept = 0;
}

void shell_describe_bp(const struct breakpoint *b, char *buf, size_t len)
{
	switch (b->kind) {
	case BP_OP:
		snprintf(buf, len, "op %s", pgt_op_name(b->what));
		break;
	case BP_FLUSH:
		snprintf(buf, len, "flush %s", pgt_flush_kind_name(b->what));
		break;
	case BP_ADDR:
		snprintf(buf, len, "addr 0x%" PRIx64 "-0x%" PRIx64, b->start,
			 b->end);
		break;
	case BP_WATCH:
		snprintf(buf, len, "watch 0x%" PRIx64 " in mm %d", b->start,
			 b->mm);
		break;
	case BP_INVARIANT:
		snprintf(buf, len, "invariant");
		break;
	}
}

#define CAUSE_LINES 16	/* events shown with a stop; `events` has all */

/* the op a breakpoint stopped after, and the events of it that hit the
 * breakpoint (all of them for an invariant: the op as a whole broke it) */
void shell_show_cause(struct shell *sh, const struct breakpoint *b)
{
	struct pgt_render *r = cli_render("replay", PGT_FMT_TEXT);
	unsigned long more = 0, shown = 0;
	struct pgt_evout o;
	size_t i;

	if (!r)
		return;
	o.sink = pgt_render_sink(r);
	o.arch = pgt_session_engine(sh->s)->m.arch;
	pgt_sink_begin(o.sink, PGT_VIEW_EVENTS, o.arch);
	for (i = 0; i < sh->nkept; i++) {
		struct pgt_event ev = sh->kept[i].ev;

		if (sh->kept[i].seq != sh->seq)
			continue;
		ev.text = sh->kept[i].text;
		if (ev.type != PGT_EV_OP && b->kind != BP_INVARIANT &&
		    !bp_matches(sh, b, &ev))
			continue;
		if (ev.type != PGT_EV_OP && shown++ >= CAUSE_LINES) {
			more++;
			continue;
		}
		pgt_view_event(&o, &ev);
	}
	pgt_sink_end(o.sink, PGT_VIEW_EVENTS);
	pgt_render_finish(r);
	if (more)
		printf("  ... and %lu more ('events' shows them all)\n", more);
}

int shell_invariant_bp(const struct shell *sh)
{
	int i;

	for (i = 0; i < sh->nbp; i++)
		if (sh->bp[i].kind == BP_INVARIANT)
			return i;
	return -1;
}

/* ---- breakpoints ---- */

static int find_flush_kind(const char *name)
{
	int k;

	for (k = 0; k < PGT_FL__COUNT; k++)
		if (!strcmp(pgt_flush_kind_name(k), name))
			return k;
	return -1;
}

/* "A", "A-B" (B exclusive) or "A+LEN" into [*start, *end); -1 if bad */
static int parse_addr_range(const char *arg, uint64_t *start, uint64_t *end)
{
	const char *sep = strpbrk(arg, "-+");
	char first[64];
	uint64_t n;

	if (!sep) {
		if (pgt_parse_u64(arg, start) || *start == UINT64_MAX)
			return -1;
		*end = *start + 1;
		return 0;
	}
	if ((size_t)(sep - arg) >= sizeof(first))
		return -1;
	snprintf(first, sizeof(first), "%.*s", (int)(sep - arg), arg);
	if (pgt_parse_u64(first, start) || pgt_parse_u64(sep + 1, &n))
		return -1;
	if (*sep == '+')
		n = *start + n < *start ? UINT64_MAX : *start + n;
	*end = n;
	return *end > *start ? 0 : -1;
}

static int parse_bp(const struct cli_args *a, struct breakpoint *b)
{
	const char *what = a->argv[0], *arg = a->argv[1];

	if (!strcmp(what, "op")) {
		b->kind = BP_OP;
		if ((b->what = pgt_op_find(arg)) < 0)
			return cli_usage_error("break", "unknown operation '%s'", arg);
	} else if (!strcmp(what, "flush")) {
		b->kind = BP_FLUSH;
		if ((b->what = find_flush_kind(arg)) < 0)
			return cli_usage_error("break", "unknown flush kind '%s'", arg);
	} else if (!strcmp(what, "addr")) {
		b->kind = BP_ADDR;
		if (parse_addr_range(arg, &b->start, &b->end))
			return cli_usage_error("break", "bad address range '%s'; expected A, A-B (B exclusive) or A+LEN",
					       arg);
	} else {
		return cli_usage_error("break", "unknown breakpoint '%s'; expected op, flush, addr or invariant",
				       what);
	}
	return 0;
}

static int add_bp(struct shell *sh, struct breakpoint *b)
{
	char what[120];

	if (sh->nbp == SHELL_MAX_BREAKS)
		return cli_usage_error(b->kind == BP_WATCH ? "watch" : "break",
				       "at most %d breakpoints and watches; delete N frees one (info breaks lists them)",
				       SHELL_MAX_BREAKS);
	b->id = ++sh->next_bp;
	sh->bp[sh->nbp++] = *b;
	shell_describe_bp(b, what, sizeof(what));
	printf("breakpoint %d: %s\n", b->id, what);
	return 0;
}

int shell_run_break(struct shell *sh, struct cli_args *a)
{
	struct breakpoint b = { 0 };

	if (a->argc == 1 && !strcmp(a->argv[0], "invariant")) {
		if (shell_invariant_bp(sh) >= 0)
			return cli_usage_error("break", "there is a breakpoint on the invariants already");
		b.kind = BP_INVARIANT;
		return add_bp(sh, &b);
	}
	if (a->argc != 2)
		return cli_usage_error("break", "expected op KIND, flush KIND, addr A[-B] or invariant");
	if (parse_bp(a, &b))
		return EXIT_USAGE;
	if (b.kind == BP_ADDR)
		shell_seen_addr(sh, b.start);
	return add_bp(sh, &b);
}

/* stop when an entry on the walk of VA changes, in the mm viewed now */
int shell_run_watch(struct shell *sh, struct cli_args *a)
{
	struct pgt_engine *e = pgt_session_engine(sh->s);
	struct breakpoint b = { .kind = BP_WATCH };

	if (a->argc != 1)
		return cli_usage_error("watch", "expected one VA");
	if (pgt_parse_u64(a->argv[0], &b.start))
		return cli_usage_error("watch", "bad address '%s'; expected a number (decimal or 0x hex)",
				       a->argv[0]);
	b.mm = sh->mm_id ? sh->mm_id : e->m.cur ? e->m.cur->id : 0;
	shell_seen_addr(sh, b.start);
	return add_bp(sh, &b);
}

int shell_run_delete(struct shell *sh, struct cli_args *a)
{
	unsigned long id;
	int i;

	if (!a->argc) {
		sh->nbp = 0;
		return 0;
	}
	if (shell_count_arg(a, 0, &id))
		return EXIT_USAGE;
	for (i = 0; i < sh->nbp; i++)
		if ((unsigned long)sh->bp[i].id == id) {
			memmove(&sh->bp[i], &sh->bp[i + 1],
				(size_t)(sh->nbp - i - 1) * sizeof(sh->bp[0]));
			sh->nbp--;
			return 0;
		}
	cli_error("delete", "no breakpoint %lu", id);
	return EXIT_USAGE;
}

void shell_info_breaks(struct shell *sh)
{
	char what[120];
	int i;

	if (!sh->nbp)
		printf("no breakpoints\n");
	for (i = 0; i < sh->nbp; i++) {
		shell_describe_bp(&sh->bp[i], what, sizeof(what));
		printf("%d\t%s\thits %lu\n", sh->bp[i].id, what,
		       sh->bp[i].hits);
	}
}

