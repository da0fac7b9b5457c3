/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A tiny TAP emitter for C unit tests (run by Automake's tap-driver.sh).
 * Each check prints "ok N - name" or "not ok N - name"; done_testing()
 * prints the plan and returns the exit status.
 */
#ifndef PGT_TAP_H
#define PGT_TAP_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

static inline int tap_ok(int cond, const char *name)
{
	tap_n++;
	if (!cond)
		tap_failed++;
	printf("%sok %d - %s\n", cond ? "" : "not ", tap_n, name);
	fflush(stdout);
	return cond;
}

#define ok(cond, ...)                                                         \
	do {                                                                  \
		char tap_name_[512];                                          \
		snprintf(tap_name_, sizeof(tap_name_), __VA_ARGS__);          \
		tap_ok(!!(cond), tap_name_);                                  \
	} while (0)

/* compare two unsigned 64-bit values, printing both on failure */
#define is_u64(got, want, ...)                                                \
	do {                                                                  \
		uint64_t g_ = (uint64_t)(got), w_ = (uint64_t)(want);         \
		char tap_name_[512];                                          \
		snprintf(tap_name_, sizeof(tap_name_), __VA_ARGS__);          \
		if (!tap_ok(g_ == w_, tap_name_))                             \
			printf("#   got 0x%" PRIx64 ", want 0x%" PRIx64 "\n",     \
			       g_, w_);                                       \
	} while (0)

#define is_str(got, want, ...)                                                \
	do {                                                                  \
		const char *g_ = (got), *w_ = (want);                         \
		char tap_name_[512];                                          \
		snprintf(tap_name_, sizeof(tap_name_), __VA_ARGS__);          \
		if (!tap_ok(g_ && w_ && strcmp(g_, w_) == 0, tap_name_))      \
			printf("#   got \"%s\", want \"%s\"\n",                   \
			       g_ ? g_ : "(null)", w_ ? w_ : "(null)");       \
	} while (0)

static inline int done_testing(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif
