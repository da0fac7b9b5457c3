/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Progress of long work (replays, walks): the library reports how much
 * is done, whoever asked draws it (the library never prints).  fn gets
 * done out of total, in the same units (total 0: unknown), every few
 * thousand units of work at most, so that it can afford to look at the
 * clock and decide itself whether to draw.
 */
#ifndef PGT_PROGRESS_H
#define PGT_PROGRESS_H

#include <stdint.h>

typedef void pgt_progress_fn(void *arg, uint64_t done, uint64_t total);

struct pgt_progress {
	pgt_progress_fn *fn;	/* NULL: nobody asked */
	void *arg;
};

static inline void pgt_progress_report(const struct pgt_progress *p,
				       uint64_t done, uint64_t total)
{
	if (p->fn)
		p->fn(p->arg, done, total);
}

#endif
