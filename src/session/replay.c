/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Replaying a trace: the header's options, then the operations streamed
 * one at a time into the engine.  Errors carry the trace position.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "replay.h"

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint64_t now_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

/* the CPU time of this thread: what the op cost whatever else runs */
static uint64_t cpu_ns(void)
{
	return clock_ns(CLOCK_THREAD_CPUTIME_ID);
}

int pgt_engine_from_header(struct pgt_trace_reader *r, struct pgt_engine **e,
			   struct pgt_err *err)
{
	const struct pgt_trace_header *h = pgt_trace_header(r);
	char where[300];
	int i, rc;

	rc = pgt_engine_new(h->arch, e, err);
	if (rc) {
		pgt_trace_where(r, h->arch_line, where, sizeof(where));
		pgt_err_prefix(err, "%s", where);
		return rc;
	}
	for (i = 0; i < h->noptions; i++) {
		rc = pgt_engine_set(*e, h->options[i].key, h->options[i].val,
				    err);
		if (rc) {
			pgt_trace_where(r, h->options[i].line, where,
					sizeof(where));
			pgt_err_prefix(err, "%s", where);
			return rc;
		}
	}
	return PGT_OK;
}

int pgt_replay(const char *path, const struct pgt_replay_opts *o,
	       struct pgt_engine **out, struct pgt_err *err)
{
	struct pgt_trace_reader *r;
	struct pgt_engine *e = NULL;
	struct pgt_op op;
	char where[300];
	int done = 0, rc;

	*out = NULL;
	rc = pgt_trace_open(path, &r, err);
	if (rc)
		return rc;
	rc = pgt_engine_from_header(r, &e, err);
	if (rc)
		goto out;
	e->check = o->check || o->check_full;
	e->check_full = o->check_full;
	if (o->on_engine)
		o->on_engine(o->arg, e);
	rc = pgt_engine_start(e, err);
	if (rc) {
		pgt_err_prefix(err, "%s", pgt_trace_path(r));
		goto out;
	}
	while (!o->until || e->m.op_index < o->until) {
		rc = pgt_trace_next(r, &op, &done, err);
		if (rc || done)
			break;
		if (o->kind_ns) {
			uint64_t t0 = now_ns(), c0 = o->kind_cpu_ns ? cpu_ns() : 0;

			rc = pgt_engine_apply(e, &op, err);
			o->kind_ns[op.kind] += now_ns() - t0;
			if (o->kind_cpu_ns)
				o->kind_cpu_ns[op.kind] += cpu_ns() - c0;
			o->kind_n[op.kind]++;
		} else {
			rc = pgt_engine_apply(e, &op, err);
		}
		if (o->progress.fn && !(e->m.op_index & 1023)) {
			uint64_t done, total;

			pgt_trace_progress(r, &done, &total);
			pgt_progress_report(&o->progress, done, total);
		}
		if (rc) {
			/* FILE:LINE for text, FILE: byte N for CBOR */
			pgt_trace_where(r, op.line, where, sizeof(where));
			pgt_err_prefix(err, "%s: op %lu", where, e->m.op_index);
			break;
		}
	}
	/* the incremental checks saw what each op changed; once more all */
	if (!rc && e->check && !e->check_full &&
	    (rc = pgt_engine_check(e, err)))
		pgt_err_prefix(err, "%s: the final check", pgt_trace_path(r));
out:
	pgt_trace_close(r);
	*out = e;
	return rc;
}
