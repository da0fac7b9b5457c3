/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The walker's counting fast path (arch count_leaves) must classify the
 * entries of a page table exactly as entry_decode does, or give up (false)
 * so that the full decode reports the malformed entry.  Checked on random
 * tables mixing the entry kinds each arch has (present, PROT_NONE, swap,
 * empty, malformed) and on all-random entries.
 */
#include <stdlib.h>
#include <string.h>
#include "arch/arch.h"
#include "../lib/tap.h"

static uint64_t rnd(void)
{
	return ((uint64_t)rand() << 42) ^ ((uint64_t)rand() << 21) ^ (uint64_t)rand();
}

/* the reference: entry_decode, as the walker's leaf path counts */
static bool decode_counts(const struct pgt_arch *a, int level,
			  const uint8_t *buf, uint32_t n, uint64_t c[3])
{
	uint32_t i;

	for (i = 0; i < n; i++) {
		uint64_t v = pgt_ent_load(a, level, buf + 8 * i);
		struct pgt_ent_info ei;

		if (v == a->levels[level].empty)
			continue;
		a->entry_decode(level, v, &ei);
		if (ei.kind == PGT_ENT_BAD)
			return false;
		if (ei.kind != PGT_ENT_LEAF)
			continue;
		c[0]++;
		if (ei.hw & PGT_HF_R)
			c[1] += ei.size >> 12;
		else
			c[2]++;
	}
	return true;
}

static uint64_t pick(const uint64_t *kinds, size_t nk, bool wild)
{
	uint64_t v = kinds[(size_t)rand() % nk];

	if (wild && rand() % 4 == 0)
		return rnd();
	return v | ((rnd() & 0xffffff) << 12);	/* some frame */
}

static void check_arch(const char *name, const uint64_t *kinds, size_t nk,
		       size_t ngood)
{
	const struct pgt_arch *a = pgt_arch_find(name);
	int level = (int)a->nlevels - 1, round, agree = 0, gave_up = 0;
	int wrong = 0;
	uint8_t buf[8 * 512];

	for (round = 0; round < 2000; round++) {
		uint32_t n = 1 + (uint32_t)rand() % 512, i;
		uint64_t want[3] = { 0 }, got[3] = { 0 };
		bool ok_ref, ok_fast;

		for (i = 0; i < n; i++)
			pgt_ent_store(a, level, buf + 8 * i,
				      rand() % 3 ? a->levels[level].empty :
				      /* even rounds: well-formed kinds only */
				      pick(kinds, round % 2 ? nk : ngood,
					   round % 2));
		ok_ref = decode_counts(a, level, buf, n, want);
		ok_fast = a->count_leaves(buf, n, &got[0], &got[1], &got[2]);
		if (!ok_fast) {
			gave_up++;
			if (got[0] || got[1] || got[2])
				wrong++;	/* counters must stay untouched */
			continue;
		}
		if (!ok_ref || memcmp(want, got, sizeof(want)))
			wrong++;
		else
			agree++;
	}
	ok(wrong == 0, "%s: count_leaves agrees with entry_decode (%d tables agree, %d left to the full decode)",
	   name, agree, gave_up);
	ok(agree >= 1000, "%s: the fast path takes every well-formed table (%d of 2000)", name, agree);
	if (ngood < nk)	/* the arch has malformed PTEs (PAE's have none) */
		ok(gave_up > 0,
		   "%s: tables with malformed entries are left to the full decode (%d)",
		   name, gave_up);
}

int main(void)
{
	/* PAE PTEs (pae.md §2): present rw, present ro+NX, PROT_NONE, swap */
	static const uint64_t pae[] = { 0x067, 0x8000000000000025ull, 0x120,
					0x100, 0x2ull << 32 | 0x40 };
	/* s390x PTEs (s390.md §3): 0x13f, 0x31f, 0x355, PROT_NONE-like
	 * invalid+present, swap (I|P, no present), then the malformed:
	 * bit 52 set in a valid PTE */
	static const uint64_t s390x[] = { 0x13f, 0x31f, 0x355, 0x401, 0x600,
					  0x602, 0x813 };

	srand(42);
	check_arch("pae", pae, sizeof(pae) / sizeof(pae[0]), 5);
	check_arch("s390x", s390x, sizeof(s390x) / sizeof(s390x[0]), 6);
	return done_testing();
}
