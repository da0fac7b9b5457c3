/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Numbers as users write them in traces and on the command line:
 * decimal ("4096"), hex ("0x1000", "0X1000"), either with an optional
 * binary suffix K, M, G or T (any case; 1K = 1024).
 *
 * Unlike strtoull() nothing is skipped or guessed: no leading blanks, no
 * sign, no octal, no trailing junk, and overflow is an error rather than a
 * silent UINT64_MAX.  On failure errno tells the caller why (EINVAL for a
 * malformed number, ERANGE for one that does not fit in 64 bits), so error
 * messages can say which.
 */
#include <errno.h>
#include <stdint.h>
#include "number.h"

static int digit_value(char c, unsigned base)
{
	unsigned v;

	if (c >= '0' && c <= '9')
		v = c - '0';
	else if (c >= 'a' && c <= 'f')
		v = c - 'a' + 10;
	else if (c >= 'A' && c <= 'F')
		v = c - 'A' + 10;
	else
		return -1;
	return v < base ? (int)v : -1;
}

/* log2 of the multiplier of a suffix letter, or -1 if it is none */
static int suffix_shift(char c)
{
	switch (c) {
	case 'K': case 'k':
		return 10;
	case 'M': case 'm':
		return 20;
	case 'G': case 'g':
		return 30;
	case 'T': case 't':
		return 40;
	}
	return -1;
}

static int fail(int e)
{
	errno = e;
	return -1;
}

int pgt_parse_u64(const char *s, uint64_t *out)
{
	unsigned base = 10;
	uint64_t v = 0;
	const char *digits;
	int d, shift;

	if (!s)
		return fail(EINVAL);
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	digits = s;
	for (; (d = digit_value(*s, base)) >= 0; s++) {
		if (v > (UINT64_MAX - d) / base)
			return fail(ERANGE);
		v = v * base + d;
	}
	if (s == digits)	/* "", "0x", "K" */
		return fail(EINVAL);
	if (*s) {
		shift = suffix_shift(*s++);
		if (shift < 0 || *s)
			return fail(EINVAL);
		if (v > UINT64_MAX >> shift)
			return fail(ERANGE);
		v <<= shift;
	}
	*out = v;
	return 0;
}
