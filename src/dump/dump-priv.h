/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Inside the dump layer: what Linux's top-level tables look like, used by
 * the roots found from registers and VMCOREINFO (roots.c) and by the scan
 * of memory (scan.c).  The entry rules themselves are the arch's
 * (entry_decode); these only say which shapes of table Linux builds.
 */
#ifndef PGT_DUMP_PRIV_H
#define PGT_DUMP_PRIV_H

#include "dump.h"
#include "../arch/arch.h"

#define PGT_CRST_BYTES 16384u
#define PGT_CRST_ENTRIES 2048u

/* d's memory, read through a const dump */
int pgt_dump_read(const struct pgt_dump *d, uint64_t pa, void *buf,
		  size_t len);
/* PAE: 32 bytes at pdpt are a PDPT as Linux writes it: every entry empty
 * or a table in memory, the kernel slot (3) a table, the tables distinct */
bool pgt_pdpt_ok(const struct pgt_dump *d, const struct pgt_arch *a,
		 const uint8_t *pdpt);
/* PAE: the user slots (0-2) of two PDPTs are equal, the accessed bit
 * aside (QEMU's walker sets it in the copy the CPU used) */
bool pgt_pdpt_same_user(const struct pgt_arch *a, const uint8_t *x,
			const uint8_t *y);
/* s390x: the designation type (0 segment .. 3 region-first) of a 16 KiB
 * CRST at b whose every entry is its level's empty value or a valid entry
 * of one table type pointing into memory; -1 if it is not one.  *valid:
 * the entries in use. */
int pgt_crst_type(const struct pgt_dump *d, const struct pgt_arch *a,
		  const uint8_t *b, unsigned *valid);

#endif
