/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The low bits of an x86 entry, named (x86-entry.h).
 */
#include <stdio.h>
#include "x86-entry.h"

size_t pgt_x86_low_bit_names(uint64_t v, bool pte, const char *protnone,
			     char *buf, size_t len, size_t n)
{
	static const char *const names[] = { "P", "RW", "US", "PWT", "PCD",
					     "A", "D", "PS", "G", "SPECIAL",
					     "SW2", "SW3" };
	unsigned i;

	for (i = 0; i < 12; i++) {
		const char *nm = names[i];

		if (!(v & (1ull << i)))
			continue;
		if (i == 7 && pte)
			nm = "PAT";
		if (i == 8 && !(v & X86_P) && protnone)
			nm = protnone;
		n += (size_t)snprintf(buf + n, n < len ? len - n : 0, "%s%s",
				      n ? " " : "", nm);
	}
	return n;
}
