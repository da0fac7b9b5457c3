/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * x86-64 4-level and 5-level paging, walk only (no replay rules).
 *
 * Intel SDM Vol 3A §4.5 ("4-Level Paging and 5-Level Paging"), Tables
 * 4-12 to 4-20: CR3 bits M-1:12 hold the top table (PML4, or PML5 with
 * CR4.LA57), bits 11:0 the PCID when CR4.PCIDE (else PWT 3, PCD 4); every
 * table is 512 8-byte entries.  Entry bits: P 0, R/W 1, U/S 2, PWT 3,
 * PCD 4, A 5, D 6, PS 7 (PAT in a PTE), G 8, bits 11:9 and 58:52 ignored
 * (Linux's software bits), 62:59 the protection key of a leaf (CR4.PKE),
 * XD 63 (IA32_EFER.NXE, which Linux sets wherever the CPU has NX).
 * Reserved (must be 0): bits 51:M (M = MAXPHYADDR; 52 is taken, the
 * architectural maximum, so no address bit is reserved), PS in a PML5E or
 * PML4E, bits 29:13 of a 1 GiB PDPTE and 20:13 of a 2 MiB PDE (bit 12 is
 * their PAT).  Linux (arch/x86/include/asm/pgtable*.h): PROT_NONE is
 * _PAGE_PROTNONE = _PAGE_GLOBAL with P clear, and a non-present non-zero
 * entry stores its frame inverted (L1TF, __pte_needs_invert).
 *
 * VAs are canonical: the top table's upper half maps the sign-extended
 * addresses (0xffff8000_00000000 up with 4 levels), hence va_signed.
 * CR3 does not say whether LA57 is on, so the two depths are two formats
 * ("x86-64", "x86-64-la57") of one file; root discovery (x86-discover.c)
 * picks one from CR4.LA57 or VMCOREINFO.
 */
#include <stdio.h>
#include <string.h>
#include "arch.h"
#include "x86-discover.h"
#include "x86-entry.h"

#define PTE_P 0x001ull
#define PTE_RW 0x002ull
#define PTE_US 0x004ull
#define PTE_PS 0x080ull		/* PAT in a PTE */
#define PTE_G 0x100ull
#define PTE_PROTNONE PTE_G	/* when P is clear */
#define PTE_PAT_LARGE 0x1000ull
#define PTE_NX (1ull << 63)
#define PKEY_SHIFT 59
#define PKEY_MASK (0xfull << PKEY_SHIFT)
#define PFN_MASK 0x000ffffffffff000ull	/* bits 51:12, M = 52 */
#define PFN_2M 0x000fffffffe00000ull
#define PFN_1G 0x000fffffc0000000ull
#define RSVD_2M 0x1fe000ull		/* bits 20:13 */
#define RSVD_1G 0x3fffe000ull		/* bits 29:13 */

/*
 * Linux's ESPFIX area (arch/x86/kernel/espfix_64.c): the 512 GiB from
 * ESPFIX_BASE_ADDR = -2 << P4D_SHIFT, P4D/PML4 slot 510 with 4 and 5
 * levels alike, maps each espfix page 65536 times through shared tables:
 * ESPFIX_PUD_CLONES (4) PUD entries point at one PMD table whose
 * ESPFIX_PMD_CLONES (512) entries all point at one page table holding
 * ESPFIX_PTE_CLONES (32) PTEs, one every PTE_STRIDE (16).  Seen in a real
 * Debian 6.1 dump (tests/data/x86_64-real): PMD 0x4854000 and PT
 * 0x4855000 reached 4 and 2048 times.
 */
#define ESPFIX_BASE 0xffffff0000000000ull
#define ESPFIX_END 0xffffff8000000000ull

static bool espfix_shared(int level, uint64_t va)
{
	(void)level;
	return va >= ESPFIX_BASE && va < ESPFIX_END;
}

/* depth from the bottom: 0 PT, 1 PD, 2 PDPT, 3 PML4, 4 PML5 */
enum { D_PT, D_PD, D_PDPT, D_PML4, D_PML5 };

static const struct pgt_level l4_levels[] = {
	{ "PML4", "pgd", 39, 512, 8, 4096, 0 },
	{ "PDPT", "pud", 30, 512, 8, 4096, 0 },
	{ "PD", "pmd", 21, 512, 8, 4096, 0 },
	{ "PT", "pte", 12, 512, 8, 4096, 0 },
};

static const struct pgt_level l5_levels[] = {
	{ "PML5", "pgd", 48, 512, 8, 4096, 0 },
	{ "PML4", "p4d", 39, 512, 8, 4096, 0 },
	{ "PDPT", "pud", 30, 512, 8, 4096, 0 },
	{ "PD", "pmd", 21, 512, 8, 4096, 0 },
	{ "PT", "pte", 12, 512, 8, 4096, 0 },
};

static const char *const depth_name[] = { "PTE", "PDE", "PDPTE", "PML4E",
					  "PML5E" };

/* "reserved bit N set in a ...": one string per bit, as findings name
 * the bit and keep a constant message */
#define BITS13_29(w) \
	w(13) w(14) w(15) w(16) w(17) w(18) w(19) w(20) w(21) w(22) w(23) \
	w(24) w(25) w(26) w(27) w(28) w(29)
#define WHY_1G(n) [n] = "reserved bit " #n " set in a 1 GiB PDPTE",
#define WHY_2M(n) [n] = "reserved bit " #n " set in a 2 MiB PDE",
static const char *const why_1g[30] = { BITS13_29(WHY_1G) };
static const char *const why_2m[30] = { BITS13_29(WHY_2M) };

/* L1TF: a non-zero entry without P stores its frame inverted */
static inline uint64_t frame_of(uint64_t v, uint64_t mask)
{
	return (v && !(v & PTE_P) ? ~v : v) & mask;
}

static void leaf(struct pgt_ent_info *ei, uint64_t v, uint64_t mask,
		 uint64_t size)
{
	ei->kind = PGT_ENT_LEAF;
	ei->linux_present = true;
	ei->pa = frame_of(v, mask);
	ei->size = size;
	ei->hw = pgt_x86_hw_flags(v);
}

/* the lowest reserved bit set in v & rsvd, named */
static const char *reserved_why(const char *const *why, uint64_t bits)
{
	return why[__builtin_ctzll(bits)];
}

static void decode_depth(int depth, uint64_t v, struct pgt_ent_info *ei)
{
	/* the common case first: a present 4 KiB PTE */
	if (depth == D_PT && (v & PTE_P)) {
		*ei = (struct pgt_ent_info){
			.kind = PGT_ENT_LEAF, .linux_present = true,
			.pa = v & PFN_MASK, .size = 4096, .hw = pgt_x86_hw_flags(v),
		};
		return;
	}
	memset(ei, 0, sizeof(*ei));
	if (!v) {
		ei->kind = PGT_ENT_EMPTY;
		return;
	}
	if (depth == D_PT) {
		/* P clear: PROT_NONE is a page to Linux, anything else a
		 * swap or migration entry */
		if (v & PTE_PROTNONE)
			leaf(ei, v, PFN_MASK, 4096);
		else
			ei->kind = PGT_ENT_NOTPRESENT;
		return;
	}
	if ((depth == D_PD || depth == D_PDPT) && (v & PTE_PS)) {
		uint64_t rsvd = depth == D_PD ? RSVD_2M : RSVD_1G;

		/* a huge page, present or PROT_NONE (invalidated) */
		if ((v & PTE_P) && (v & rsvd)) {
			ei->kind = PGT_ENT_BAD;
			ei->why = reserved_why(depth == D_PD ? why_2m : why_1g,
					       v & rsvd);
			return;
		}
		if (depth == D_PD)
			leaf(ei, v, PFN_2M, 2u << 20);
		else
			leaf(ei, v, PFN_1G, 1u << 30);
		return;
	}
	if (!(v & PTE_P)) {
		ei->kind = PGT_ENT_NOTPRESENT;
		return;
	}
	if (v & PTE_PS) {	/* PML4E, PML5E */
		ei->kind = PGT_ENT_BAD;
		ei->why = depth == D_PML4 ? "reserved bit 7 (PS) set in a PML4E" :
					    "reserved bit 7 (PS) set in a PML5E";
		return;
	}
	ei->kind = PGT_ENT_TABLE;
	ei->next = v & PFN_MASK;
	/* SDM §4.6: rights are the intersection along the path */
	ei->deny = (v & PTE_RW ? 0 : PGT_HF_W) | (v & PTE_US ? 0 : PGT_HF_U) |
		   (v & PTE_NX ? PGT_HF_X : 0);
}

static void l4_entry_decode(int level, uint64_t v, struct pgt_ent_info *ei)
{
	decode_depth(3 - level, v, ei);
}

static void l5_entry_decode(int level, uint64_t v, struct pgt_ent_info *ei)
{
	decode_depth(4 - level, v, ei);
}

static int describe_depth(int depth, uint64_t v, char *buf, size_t len)
{
	bool large = (depth == D_PD || depth == D_PDPT) && (v & PTE_PS);
	uint64_t mask = depth == D_PD && large ? PFN_2M :
			depth == D_PDPT && large ? PFN_1G : PFN_MASK;
	size_t n;

#define OUT(...) (n += (size_t)snprintf(buf + n, n < len ? len - n : 0, __VA_ARGS__))
	if (!v)
		return snprintf(buf, len, "empty");
	n = pgt_x86_low_bit_names(v, depth == D_PT, "PROTNONE", buf, len, 0);
	if (large && (v & PTE_PAT_LARGE))
		OUT(" PAT");
	if ((large || depth == D_PT) && (v & PKEY_MASK))
		OUT(" PKEY=%u", (unsigned)((v & PKEY_MASK) >> PKEY_SHIFT));
	if (v & PTE_NX)
		OUT(" NX");
	if (large || depth == D_PT)
		OUT(" frame=0x%llx", (unsigned long long)frame_of(v, mask));
	else
		OUT(" table=0x%llx", (unsigned long long)(v & PFN_MASK));
	if ((v & PTE_P) && !large && depth >= D_PML4 && (v & PTE_PS))
		OUT(" (bit 7 reserved in a %s)", depth_name[depth]);
#undef OUT
	return (int)n;
}

static int l4_entry_describe(int level, uint64_t v, char *buf, size_t len)
{
	return describe_depth(3 - level, v, buf, len);
}

static int l5_entry_describe(int level, uint64_t v, char *buf, size_t len)
{
	return describe_depth(4 - level, v, buf, len);
}

static void root_decode(uint64_t cr3, struct pgt_root_info *ri)
{
	memset(ri, 0, sizeof(*ri));
	ri->top_level = 0;
	ri->table = cr3 & PFN_MASK;
	ri->entries = 512;
	/* bit 63 is taken by MOV to CR3 (keep the PCID's TLB entries) and
	 * never read back; 62:52 are reserved (SDM Table 4-12) */
	if (cr3 & 0xfff0000000000000ull)
		ri->why = "reserved bits 52-63 set in CR3";
}

static void describe_root(const char *top, uint64_t cr3, char *buf,
			  size_t len)
{
	unsigned low = (unsigned)(cr3 & 0xfff);

	if (!low)
		snprintf(buf, len, "%s at 0x%llx", top,
			 (unsigned long long)(cr3 & PFN_MASK));
	else
		snprintf(buf, len,
			 "%s at 0x%llx, low bits 0x%03x (PCID with CR4.PCIDE, else PWT bit 3, PCD bit 4)",
			 top, (unsigned long long)(cr3 & PFN_MASK), low);
}

static void l4_root_describe(uint64_t cr3, char *buf, size_t len)
{
	describe_root("PML4", cr3, buf, len);
}

static void l5_root_describe(uint64_t cr3, char *buf, size_t len)
{
	describe_root("PML5", cr3, buf, len);
}

/* decode_depth at D_PT, counted: P set -> a page; P clear with PROTNONE
 * -> present to Linux only; PTEs have no reserved bits with M = 52 */
static bool count_leaves(const uint8_t *buf, uint32_t n, uint64_t *leaves,
			 uint64_t *pages, uint64_t *protnone)
{
	uint64_t p = 0, pn = 0;
	uint32_t i;

	for (i = 0; i < n; i++) {
		uint64_t v;

		memcpy(&v, buf + 8 * (size_t)i, 8);
		p += v & PTE_P;
		pn += !(v & PTE_P) && (v & PTE_PROTNONE);
	}
	*leaves += p + pn;
	*pages += p;
	*protnone += pn;
	return true;
}

const struct pgt_arch pgt_arch_x86_64 = {
	.name = "x86-64",
	.va_bits = 48,
	.va_signed = true,
	.nlevels = 4,
	.levels = l4_levels,
	.big_endian = false,
	.elf_machine = 62 /* EM_X86_64 */,
	/* TASK_SIZE_MAX: (1 << 47) - PAGE_SIZE (arch/x86 page_64_types.h) */
	.user_limit = 0x00007ffffffff000ull,
	.root_decode = root_decode,
	.root_describe = l4_root_describe,
	.table_shared = espfix_shared,
	.entry_decode = l4_entry_decode,
	.entry_describe = l4_entry_describe,
	.count_leaves = count_leaves,
	.discover = &pgt_x86_64_discover,
	.mm = NULL,	/* walk only */
};

const struct pgt_arch pgt_arch_x86_64_la57 = {
	.name = "x86-64-la57",
	.va_bits = 57,
	.va_signed = true,
	.nlevels = 5,
	.levels = l5_levels,
	.big_endian = false,
	.elf_machine = 62 /* EM_X86_64 */,
	/* (1 << 56) - PAGE_SIZE with 5-level paging */
	.user_limit = 0x00fffffffffff000ull,
	.root_decode = root_decode,
	.root_describe = l5_root_describe,
	.table_shared = espfix_shared,
	.entry_decode = l5_entry_decode,
	.entry_describe = l5_entry_describe,
	.count_leaves = count_leaves,
	.discover = &pgt_x86_64_discover,
	.mm = NULL,	/* walk only */
};
