/* SPDX-License-Identifier: GPL-3.0-or-later */
/* --filter FLAGS and --range A-B, shared by the commands with views; --mm
 * and --until, which state of a trace they show. */
#include <stdlib.h>
#include <string.h>
#include "commands.h"
#include "../trace/trace.h"

static unsigned flag_bit(char c)
{
	switch (c) {
	case 'r': return PGT_HF_R;
	case 'w': return PGT_HF_W;
	case 'u': return PGT_HF_U;
	case 'x': return PGT_HF_X;
	case 'a': return PGT_HF_A;
	case 'd': return PGT_HF_D;
	case 'g': return PGT_HF_G;
	default: return 0;
	}
}

/* "w,x,u" = leaves with w and x and u; "!x" or "^x" = without x */
int cli_parse_filter(const char *cmd, const char *s, unsigned *want,
		     unsigned *deny)
{
	bool neg = false;
	const char *p;

	*want = *deny = 0;
	for (p = s; *p; p++) {
		unsigned bit;

		if (*p == ',' || *p == ' ')
			continue;
		if (*p == '!' || *p == '^') {
			neg = true;
			continue;
		}
		bit = flag_bit(*p);
		if (!bit)
			return cli_usage_error(cmd, "bad --filter '%s': '%c' is not a flag; expected letters of rwuxadg, '!' before a letter to exclude it (e.g. w,x or 'u,!x')",
					       s, *p);
		if (neg)
			*deny |= bit;
		else
			*want |= bit;
		neg = false;
	}
	if (!*want && !*deny)
		return cli_usage_error(cmd, "empty --filter; expected letters of rwuxadg");
	return 0;
}

/* A-B (B exclusive), or A+LEN */
int cli_parse_range(const char *cmd, const char *s, uint64_t *start,
		    uint64_t *end)
{
	char buf[80], *sep;
	uint64_t a, b;

	if (strlen(s) >= sizeof(buf))
		goto bad;
	strcpy(buf, s);
	sep = strpbrk(buf + 1, "-+");
	if (!sep)
		goto bad;
	b = *sep == '+';
	*sep = '\0';
	if (pgt_parse_u64(buf, &a) || pgt_parse_u64(sep + 1, end))
		goto bad;
	if (b)
		*end += a;
	if (*end <= a)
		goto bad;
	*start = a;
	return 0;
bad:
	return cli_usage_error(cmd, "bad --range '%s'; expected START-END (END exclusive) or START+LENGTH, e.g. 0-0xc0000000",
			       s);
}

int cli_parse_mm_id(const char *cmd, const char *opt, const char *s,
		    int *mm)
{
	uint64_t n;

	if (pgt_parse_u64(s, &n) || n == 0 || n > PGT_MAX_MM_ID)
		return cli_usage_error(cmd, "bad --%s '%s'; expected an mm id",
				       opt, s);
	*mm = (int)n;
	return 0;
}

int cli_parse_until(const char *cmd, const char *s, unsigned long *until)
{
	uint64_t n;

	if (pgt_parse_u64(s, &n) || n == 0)
		return cli_usage_error(cmd, "bad --until '%s'; expected a positive operation count",
				       s);
	*until = (unsigned long)n;
	return 0;
}
