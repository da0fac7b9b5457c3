/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * x86 32-bit (2-level, non-PAE) paging, walk only (no replay rules).
 *
 * Intel SDM Vol 3A §4.3 ("32-Bit Paging"), Tables 4-4 to 4-6: CR3 bits
 * 31:12 hold the page directory (PWT 3, PCD 4); a page directory and a
 * page table are 1024 4-byte entries.  Entry bits: P 0, R/W 1, U/S 2,
 * PWT 3, PCD 4, A 5, D 6, PS 7 in a PDE (a 4 MiB page with CR4.PSE, which
 * Linux sets wherever the CPU has PSE; PAT in a PTE), G 8, 11:9 ignored.
 * A 4 MiB PDE holds address bits 31:22 in 31:22 and, with PSE-36, address
 * bits 39:32 in bits 20:13 (M - 1:32 with M = 40 at most); bit 21 is
 * reserved, bit 12 is PAT.  No NX without PAE.  Linux
 * (arch/x86/include/asm/pgtable-2level*.h): PROT_NONE is _PAGE_GLOBAL with
 * P clear; frames are not inverted (no L1TF inversion on 2-level tables).
 */
#include <stdio.h>
#include <string.h>
#include "arch.h"
#include "x86-discover.h"
#include "x86-entry.h"

#define PTE_P 0x001u
#define PTE_RW 0x002u
#define PTE_US 0x004u
#define PTE_PS 0x080u		/* PAT in a PTE */
#define PTE_G 0x100u
#define PTE_PROTNONE PTE_G	/* when P is clear */
#define PTE_PAT_LARGE 0x1000u
#define FRAME 0xfffff000u
#define FRAME_4M 0xffc00000u
#define PSE36_BITS 0x1fe000u	/* bits 20:13: address bits 39:32 */
#define RSVD_4M 0x200000u	/* bit 21 */

#define L_PD 0
#define L_PT 1

static const struct pgt_level i386_levels[] = {
	{ "PD", "pgd", 22, 1024, 4, 4096, 0 },
	{ "PT", "pte", 12, 1024, 4, 4096, 0 },
};

/* the frame of a 4 MiB PDE: bits 31:22, PSE-36 bits 39:32 */
static uint64_t frame_4m(uint64_t v)
{
	return (v & FRAME_4M) | ((v & PSE36_BITS) >> 13) << 32;
}

static void i386_entry_decode(int level, uint64_t v, struct pgt_ent_info *ei)
{
	memset(ei, 0, sizeof(*ei));
	if (!v) {
		ei->kind = PGT_ENT_EMPTY;
		return;
	}
	if (level == L_PD && (v & PTE_PS)) {
		if ((v & PTE_P) && (v & RSVD_4M)) {
			ei->kind = PGT_ENT_BAD;
			ei->why = "reserved bit 21 set in a 4 MiB PDE";
			return;
		}
		ei->kind = PGT_ENT_LEAF;
		ei->linux_present = true;
		ei->pa = frame_4m(v);
		ei->size = 4u << 20;
		ei->hw = pgt_x86_hw_flags(v);
		return;
	}
	if (!(v & PTE_P)) {
		if (level == L_PT && (v & PTE_PROTNONE)) {
			ei->kind = PGT_ENT_LEAF;
			ei->linux_present = true;
			ei->pa = v & FRAME;
			ei->size = 4096;
			return;
		}
		ei->kind = PGT_ENT_NOTPRESENT;	/* swap entry */
		return;
	}
	if (level == L_PD) {
		ei->kind = PGT_ENT_TABLE;
		ei->next = v & FRAME;
		ei->deny = (v & PTE_RW ? 0 : PGT_HF_W) |
			   (v & PTE_US ? 0 : PGT_HF_U);
		return;
	}
	ei->kind = PGT_ENT_LEAF;
	ei->linux_present = true;
	ei->pa = v & FRAME;
	ei->size = 4096;
	ei->hw = pgt_x86_hw_flags(v);
}

static int i386_entry_describe(int level, uint64_t v, char *buf, size_t len)
{
	bool large = level == L_PD && (v & PTE_PS);
	size_t n;

	if (!v)
		return snprintf(buf, len, "empty");
	n = pgt_x86_low_bit_names(v, level == L_PT, "PROTNONE", buf, len, 0);
	if (large && (v & PTE_PAT_LARGE))
		n += (size_t)snprintf(buf + n, n < len ? len - n : 0, " PAT");
	n += (size_t)snprintf(buf + n, n < len ? len - n : 0, " %s=0x%llx",
			      large || level == L_PT ? "frame" : "table",
			      (unsigned long long)(large ? frame_4m(v) : v & FRAME));
	return (int)n;
}

static void i386_root_decode(uint64_t cr3, struct pgt_root_info *ri)
{
	memset(ri, 0, sizeof(*ri));
	ri->top_level = L_PD;
	ri->table = cr3 & FRAME;
	ri->entries = 1024;
	if (cr3 >> 32)
		ri->why = "32-bit CR3 above 4 GiB";
}

static void i386_root_describe(uint64_t cr3, char *buf, size_t len)
{
	snprintf(buf, len, "page directory at 0x%llx%s%s",
		 (unsigned long long)(cr3 & FRAME), cr3 & 8 ? " PWT" : "",
		 cr3 & 16 ? " PCD" : "");
}

const struct pgt_arch pgt_arch_i386 = {
	.name = "i386",
	.va_bits = 32,
	.nlevels = 2,
	.levels = i386_levels,
	.big_endian = false,
	.elf_machine = 3 /* EM_386 */,
	/* TASK_SIZE = PAGE_OFFSET of the default 3G/1G split */
	.user_limit = 0xc0000000ull,
	.root_decode = i386_root_decode,
	.root_describe = i386_root_describe,
	.entry_decode = i386_entry_decode,
	.entry_describe = i386_entry_describe,
	.discover = &pgt_i386_discover,
	.mm = NULL,	/* walk only */
};
