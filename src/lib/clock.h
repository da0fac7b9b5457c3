/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef PGT_CLOCK_H
#define PGT_CLOCK_H

#include <time.h>

/* seconds on the monotonic clock, for --timing and open times */
static inline double pgt_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

#endif
