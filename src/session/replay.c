/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Replaying a trace: the header's options, then the operations streamed
 * one at a time into the engine.  Errors carry the trace position.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "replay.h"

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
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
	e->check = o->check;
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
			uint64_t t0 = now_ns();

			rc = pgt_engine_apply(e, &op, err);
			o->kind_ns[op.kind] += now_ns() - t0;
			o->kind_n[op.kind]++;
		} else {
			rc = pgt_engine_apply(e, &op, err);
		}
		if (rc) {
			/* FILE:LINE for text, FILE: byte N for CBOR */
			pgt_trace_where(r, op.line, where, sizeof(where));
			pgt_err_prefix(err, "%s: op %lu", where, e->m.op_index);
			break;
		}
	}
out:
	pgt_trace_close(r);
	*out = e;
	return rc;
}
