/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The shapes of Linux's top-level tables (dump-priv.h), judged entry by
 * entry with the arch's own decoder, so that the bit rules (reserved bits,
 * table types) live in one place: src/arch.
 */
#include <string.h>
#include "dump-priv.h"

int pgt_dump_read(const struct pgt_dump *d, uint64_t pa, void *buf, size_t len)
{
	struct pgt_physmem *pm = (struct pgt_physmem *)&d->pm;

	return pm->read(pm, pa, buf, len);
}

bool pgt_pdpt_ok(const struct pgt_dump *d, const struct pgt_arch *a,
		 const uint8_t *pdpt)
{
	uint64_t next[4];
	int i, j;

	for (i = 0; i < 4; i++) {
		uint64_t e = pgt_ent_load(a, 0, pdpt + 8 * i);
		struct pgt_ent_info ei;

		next[i] = 0;
		if (!e)
			continue;
		a->entry_decode(0, e, &ei);
		if (ei.kind != PGT_ENT_TABLE ||
		    (d->pm.limit && ei.next >= d->pm.limit))
			return false;
		next[i] = ei.next;
		for (j = 0; j < i; j++)
			if (next[j] == ei.next)
				return false;
	}
	return next[3] != 0;	/* the kernel slot is always present */
}

bool pgt_pdpt_same_user(const struct pgt_arch *a, const uint8_t *x,
			const uint8_t *y)
{
	int i;

	for (i = 0; i < 3; i++)
		if ((pgt_ent_load(a, 0, x + 8 * i) & ~0x20ull) !=
		    (pgt_ent_load(a, 0, y + 8 * i) & ~0x20ull))
			return false;
	return true;
}

int pgt_crst_type(const struct pgt_dump *d, const struct pgt_arch *a,
		  const uint8_t *b, unsigned *valid)
{
	int tt = -1, level = 0;
	unsigned i;

	*valid = 0;
	for (i = 0; i < PGT_CRST_ENTRIES; i++) {
		uint64_t e = pgt_ent_load(a, 0, b + 8 * i);
		struct pgt_ent_info ei;

		if (tt < 0) {
			/* every entry, empty ones too, carries its table's
			 * type (TT); s390x level index = segment (3) - TT */
			tt = (int)(e >> 2) & 3;
			level = 3 - tt;
		}
		if (e == a->levels[level].empty)
			continue;
		a->entry_decode(level, e, &ei);
		if (ei.kind != PGT_ENT_TABLE && ei.kind != PGT_ENT_LEAF)
			return -1;
		/* 0 is the lowcore, never a table Linux points at */
		if (ei.kind == PGT_ENT_TABLE &&
		    (!ei.next || (d->pm.limit && ei.next >= d->pm.limit)))
			return -1;
		(*valid)++;
	}
	return *valid ? tt : -1;
}
