/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef PGT_NUMBER_H
#define PGT_NUMBER_H

#include <stdint.h>

/*
 * Numbers as users write them in traces and on the command line: decimal,
 * 0x hex, either with a binary suffix K/M/G/T.  Returns 0, or -1 with
 * errno EINVAL (malformed) or ERANGE (does not fit in 64 bits).
 */
int pgt_parse_u64(const char *s, uint64_t *out);

#endif
