/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What the x86 paging formats (pae.c, x86-64.c, i386.c) share in an
 * entry: the low twelve bits (Intel SDM Vol 3A §4.3, §4.4, §4.5: P 0,
 * R/W 1, U/S 2, PWT 3, PCD 4, A 5, D 6, PS 7 / PAT in a PTE, G 8, 11:9
 * ignored, Linux's SPECIAL and software bits) and XD 63 (PAE and 4/5-level
 * only; a 2-level entry is 32 bits wide, so it reads as clear).
 */
#ifndef PGT_ARCH_X86_ENTRY_H
#define PGT_ARCH_X86_ENTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "arch.h"

#define X86_P 0x001ull
#define X86_RW 0x002ull
#define X86_US 0x004ull
#define X86_A 0x020ull
#define X86_D 0x040ull
#define X86_G 0x100ull
#define X86_NX (1ull << 63)

/* the hardware view of a leaf, branch-free: this runs once per leaf of
 * every walk */
static inline __attribute__((always_inline)) unsigned
pgt_x86_hw_flags(uint64_t v)
{
	unsigned f = PGT_HF_R |
		     (unsigned)((v & X86_RW) ? PGT_HF_W : 0) |
		     (unsigned)((v & X86_US) ? PGT_HF_U : 0) |
		     (unsigned)((v & X86_NX) ? 0 : PGT_HF_X) |
		     (unsigned)((v & X86_A) ? PGT_HF_A : 0) |
		     (unsigned)((v & X86_D) ? PGT_HF_D : 0) |
		     (unsigned)((v & X86_G) ? PGT_HF_G : 0);

	return (v & X86_P) ? f : 0;
}

/*
 * The names of the low twelve bits set in v, space-separated, appended
 * at buf + n (snprintf's rules: what would have been written counts);
 * the new n.  Bit 7 is PAT in a PTE (pte); bit 8 with P clear is named
 * protnone when protnone is not NULL (Linux's _PAGE_PROTNONE).
 */
size_t pgt_x86_low_bit_names(uint64_t v, bool pte, const char *protnone,
			     char *buf, size_t len, size_t n);

#endif
