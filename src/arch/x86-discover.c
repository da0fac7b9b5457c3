/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Finding x86 dumps and their roots (discover.h): which x86 paging format
 * a dump uses (CR4.PAE of the CPU notes, VMCOREINFO, a trial look at
 * swapper_pg_dir), the roots in the CPUs' CR3 (with the PTI partner
 * copy), swapper_pg_dir from VMCOREINFO, and the scan for PAE PDPTs.
 *
 * Registers come from QEMU's "QEMU" CPU-state note (QEMUCPUState,
 * target/i386/arch_dump.c): version and size (u32 each), 18 u64 general
 * registers with rip and rflags, 10 QEMUCPUSegment of 24 bytes, then
 * cr[5] at 392 (so cr[3] at 416, as in the pae-A1 dump), kernel_gs_base.
 * Version 1 is 440 bytes.  A Linux kdump has no control registers.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "arch.h"
#include "discover.h"
#include "x86-discover.h"

#define EM_386 3
#define EM_X86_64 62

#define X86_CR0_PG (1ull << 31)
#define X86_CR4_PAE (1ull << 5)
#define X86_CR4_LA57 (1ull << 12)

#define QEMU_CPUSTATE_VERSION	1
#define QEMU_CPUSTATE_CR	392
#define QEMU_CPUSTATE_MIN	(QEMU_CPUSTATE_CR + 5 * 8)
#define QEMU_CPUSTATE_V1_SIZE	440

/* i386's struct elf_prstatus: 0x90 bytes, pr_pid at 24 */
#define PRSTATUS_I386_SIZE	0x90
#define PRSTATUS_I386_PID	24

#define PRSTATUS_64_SIZE 0x150	/* x86-64's struct elf_prstatus */

bool pgt_x86_cpu_cr(const struct pgt_dump_facts *f, int cpu, uint64_t cr[5])
{
	struct pgt_cpu_note n;
	uint32_t version, size;
	int i;

	if (!pgt_facts_cpu_note(f, cpu, "QEMU", 0, &n) ||
	    n.size < QEMU_CPUSTATE_MIN)
		return false;
	version = pgt_facts_get32(f, n.desc);
	size = pgt_facts_get32(f, n.desc + 4);
	if (version != QEMU_CPUSTATE_VERSION || size < QEMU_CPUSTATE_MIN ||
	    size > n.size)
		return false;	/* another version: left undecoded */
	for (i = 0; i < 5; i++)
		cr[i] = pgt_facts_get64(f, n.desc + QEMU_CPUSTATE_CR + 8 * i);
	return true;
}

static bool x86_cpu_note(const char *name, size_t namelen, uint32_t type)
{
	return type == 0 && namelen == 4 && !memcmp(name, "QEMU", 4);
}

/* utsname.machine as the kdump writer spelled it */
static bool x86_machine(const char *m)
{
	return !strcasecmp(m, "i386") || !strcasecmp(m, "i486") ||
	       !strcasecmp(m, "i586") || !strcasecmp(m, "i686") ||
	       !strcasecmp(m, "x86") || !strcasecmp(m, "x86_64");
}

static bool x86_claims(const struct pgt_dump_facts *f, enum pgt_evidence ev,
		       char *how, size_t len)
{
	uint64_t cr[5];
	char buf[80];
	int i;

	switch (ev) {
	case PGT_EV_ELF_MACHINE:
		if (f->elf_machine == EM_386)
			snprintf(how, len, "ELF e_machine EM_386");
		if (f->elf_machine == EM_X86_64)
			snprintf(how, len, "ELF e_machine EM_X86_64");
		return f->elf_machine == EM_386 || f->elf_machine == EM_X86_64;
	case PGT_EV_CPU_NOTES:
		for (i = 0; i < f->ncpus; i++)
			if (pgt_x86_cpu_cr(f, i, cr)) {
				snprintf(how, len, "QEMU x86 CPU-state notes (the kdump header's machine field is empty)");
				return true;
			}
		return false;
	case PGT_EV_VMCOREINFO:
		if (f->vmcoreinfo(f->dump, "OSRELEASE", buf, sizeof(buf)) &&
		    (strstr(buf, "686") || strstr(buf, "pae") ||
		     strstr(buf, "amd64") || strstr(buf, "x86_64"))) {
			snprintf(how, len, "VMCOREINFO OSRELEASE=%s", buf);
			return true;
		}
		if (pgt_facts_vmcoreinfo_has(f, "CONFIG_X86_PAE", "y")) {
			snprintf(how, len, "VMCOREINFO CONFIG_X86_PAE=y");
			return true;
		}
		if (pgt_facts_vmcoreinfo_has(f, "SYMBOL(init_top_pgt)", NULL)) {
			snprintf(how, len, "VMCOREINFO SYMBOL(init_top_pgt)");
			return true;
		}
		return false;
	default:
		return false;
	}
}

static const uint64_t x86_page_offsets[] = {
	0xc0000000ull,	/* VMSPLIT_3G, the default */
	0x80000000ull,	/* VMSPLIT_2G(_OPT) */
	0x78000000ull,
	0x40000000ull,	/* VMSPLIT_1G */
};

bool pgt_pae_pdpt_ok(const struct pgt_dump_facts *f, const uint8_t *pdpt)
{
	const struct pgt_arch *a = &pgt_arch_pae;
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
		    (f->mem->limit && ei.next >= f->mem->limit))
			return false;
		next[i] = ei.next;
		for (j = 0; j < i; j++)
			if (next[j] == ei.next)
				return false;
	}
	return next[3] != 0;	/* the kernel slot is always present */
}

bool pgt_pae_same_user(const uint8_t *x, const uint8_t *y)
{
	const struct pgt_arch *a = &pgt_arch_pae;
	int i;

	for (i = 0; i < 3; i++)
		if ((pgt_ent_load(a, 0, x + 8 * i) & ~0x20ull) !=
		    (pgt_ent_load(a, 0, y + 8 * i) & ~0x20ull))
			return false;
	return true;
}

/* a PDPT as Linux writes it at pa */
static bool pae_pdpt_at(const struct pgt_dump_facts *f, uint64_t pa)
{
	uint8_t b[32];

	return !pgt_facts_read(f, pa, b, sizeof(b)) && pgt_pae_pdpt_ok(f, b);
}

/* swapper_pg_dir from VMCOREINFO as a physical address (i386) */
static bool x86_swapper(const struct pgt_dump_facts *f, uint64_t *pa,
			uint64_t *off)
{
	char buf[40];
	uint64_t sym;
	size_t i;

	if (!f->vmcoreinfo(f->dump, "SYMBOL(swapper_pg_dir)", buf, sizeof(buf)))
		return false;
	sym = strtoull(buf, NULL, 16);
	/* i386 SYMBOL() values are already KASLR-relocated and the image
	 * lies in the direct map: pa = va - PAGE_OFFSET (dumps README,
	 * pae-K1 surprise 1).  PAGE_OFFSET is not recorded: try the
	 * VMSPLIT choices and keep the one that lands on a PDPT. */
	for (i = 0; i < sizeof(x86_page_offsets) / sizeof(x86_page_offsets[0]); i++) {
		if (sym < x86_page_offsets[i])
			continue;
		if (pae_pdpt_at(f, sym - x86_page_offsets[i])) {
			*pa = sym - x86_page_offsets[i];
			*off = x86_page_offsets[i];
			return true;
		}
	}
	return false;
}

/* what says the dump is of a 64-bit kernel (into why), or false */
static bool x86_64_evidence(const struct pgt_dump_facts *f, char *why,
			    size_t len)
{
	struct pgt_cpu_note pr;

	if (f->elf_machine == EM_X86_64)
		snprintf(why, len, "e_machine EM_X86_64");
	else if (!strcasecmp(f->kdump_machine, "x86_64"))
		snprintf(why, len, "machine x86_64");
	else if (f->elf_machine != EM_386 && f->ncpus &&
		 pgt_facts_cpu_note(f, 0, "CORE", PGT_NT_PRSTATUS, &pr) &&
		 pr.size == PRSTATUS_64_SIZE)
		snprintf(why, len, "64-bit NT_PRSTATUS");
	else if (pgt_facts_vmcoreinfo_has(f, "SYMBOL(init_top_pgt)", NULL))
		snprintf(why, len, "VMCOREINFO SYMBOL(init_top_pgt)");
	else
		return false;
	return true;
}

/* the first CPU with paging on: its control registers, or -1 */
static int paging_cpu(const struct pgt_dump_facts *f, uint64_t cr[5])
{
	int i;

	for (i = 0; i < f->ncpus; i++)
		if (pgt_x86_cpu_cr(f, i, cr) && (cr[0] & X86_CR0_PG))
			return i;
	return -1;
}

/* 4- or 5-level: CR4.LA57, else VMCOREINFO NUMBER(pgtable_l5_enabled)
 * (arch/x86/kernel/crash_core_64.c writes it), else 4-level */
static int select_64(const struct pgt_dump_facts *f, const struct pgt_arch **a,
		     char *how, size_t len, const char *why)
{
	size_t n = strlen(how);
	char buf[16], ev[64];
	uint64_t cr[5];
	int i = paging_cpu(f, cr);

	/* the evidence for 64 bits, unless how names it already */
	snprintf(ev, sizeof(ev), strstr(how, why) ? "" : " (%s)", why);
	why = ev;
	if (i >= 0) {
		*a = cr[4] & X86_CR4_LA57 ? &pgt_arch_x86_64_la57 : &pgt_arch_x86_64;
		snprintf(how + n, len - n, ", x86-64%s, %s-level from CR4.LA57 of cpu %d",
			 why, cr[4] & X86_CR4_LA57 ? "5" : "4", i);
	} else if (f->vmcoreinfo(f->dump, "NUMBER(pgtable_l5_enabled)", buf,
				 sizeof(buf))) {
		*a = !strcmp(buf, "1") ? &pgt_arch_x86_64_la57 : &pgt_arch_x86_64;
		snprintf(how + n, len - n, ", x86-64%s, %s-level from VMCOREINFO NUMBER(pgtable_l5_enabled)=%s",
			 why, !strcmp(buf, "1") ? "5" : "4", buf);
	} else {
		*a = &pgt_arch_x86_64;
		snprintf(how + n, len - n, ", x86-64%s, 4-level (no CR4 or pgtable_l5_enabled says LA57)",
			 why);
	}
	return PGT_OK;
}

static int x86_select(const struct pgt_dump_facts *f,
		      const struct pgt_arch **a, char *how, size_t len,
		      struct pgt_err *err)
{
	size_t n = strlen(how);
	uint64_t pa, off, cr[5];
	char why[48], buf[80];
	int i;

	if (x86_64_evidence(f, why, sizeof(why)))
		return select_64(f, a, how, len, why);
	if ((i = paging_cpu(f, cr)) >= 0) {
		*a = cr[4] & X86_CR4_PAE ? &pgt_arch_pae : &pgt_arch_i386;
		snprintf(how + n, len - n, cr[4] & X86_CR4_PAE ?
			 ", PAE from CR4 of cpu %d" :
			 ", 2-level from CR4 of cpu %d (PAE clear)", i);
		return PGT_OK;
	}
	if (pgt_facts_vmcoreinfo_has(f, "CONFIG_X86_PAE", "y")) {
		snprintf(how + n, len - n, ", PAE from VMCOREINFO CONFIG_X86_PAE=y");
		*a = &pgt_arch_pae;
		return PGT_OK;
	}
	if (x86_swapper(f, &pa, &off)) {
		snprintf(how + n, len - n, ", PAE from a trial walk: swapper_pg_dir at 0x%" PRIx64 " is a well-formed PDPT", pa);
		*a = &pgt_arch_pae;
		return PGT_OK;
	}
	/* an i386 kernel's VMCOREINFO says CONFIG_X86_PAE=y whenever it is
	 * PAE (arch/x86/kernel/crash_core_32.c) */
	if (f->vmcoreinfo(f->dump, "OSRELEASE", buf, sizeof(buf))) {
		snprintf(how + n, len - n, ", 2-level: VMCOREINFO has no CONFIG_X86_PAE=y");
		*a = &pgt_arch_i386;
		return PGT_OK;
	}
	return pgt_fail(err, PGT_ERR_UNSUPPORTED,
			"%s: an i386 dump without CR4 or VMCOREINFO: PAE or 2-level paging cannot be told; use --arch pae or --arch i386",
			f->path);
}

/* With PTI (32-bit too) the pgd is an 8 KiB pair: the kernel copy on
 * the even page, the user copy (+0x1000) whose user slots match and whose
 * kernel slot points to the PTI PMD (dumps README, pae-K1 surprise 3). */
static bool pti_partner(const struct pgt_dump_facts *f, uint64_t cr3,
			uint64_t *partner, bool *partner_is_user)
{
	uint64_t t = cr3 & 0xffffffe0ull, p;
	uint8_t x[32], y[32];

	if (t & 0xfff)
		return false;	/* a slab PDPT: no PTI */
	p = t ^ 0x1000;
	if (pgt_facts_read(f, t, x, sizeof(x)) ||
	    pgt_facts_read(f, p, y, sizeof(y)) ||
	    !pgt_pae_pdpt_ok(f, y) || !pgt_pae_same_user(x, y))
		return false;
	*partner = p;
	*partner_is_user = !(t & 0x1000);
	return true;
}

static void pae_cpu_roots(const struct pgt_dump_facts *f,
			  const struct pgt_arch *a, int i,
			  struct pgt_dump_roots *r)
{
	struct pgt_dump_root n = { .cpu = i, .user = true, .score = 1000 };
	uint64_t partner, cr[5];
	bool puser;

	(void)a;
	if (!pgt_x86_cpu_cr(f, i, cr) || !(cr[0] & X86_CR0_PG))
		return;
	n.value = cr[3];
	snprintf(n.name, sizeof(n.name), "cpu%d", i);
	snprintf(n.source, sizeof(n.source), "CR3 of cpu %d (QEMU CPU-state note)", i);
	pgt_dump_roots_merge(r, &n);
	if (!pti_partner(f, n.value, &partner, &puser))
		return;
	n.value = partner;
	snprintf(n.name, sizeof(n.name), "cpu%d-%s", i, puser ? "user" : "kernel");
	snprintf(n.source, sizeof(n.source),
		 "PTI %s copy of cpu %d's pgd (CR3 %s 0x1000; user slots equal)",
		 puser ? "user" : "kernel", i, puser ? "+" : "-");
	pgt_dump_roots_merge(r, &n);
}

static void pae_kernel_root(const struct pgt_dump_facts *f,
			    const struct pgt_arch *a, struct pgt_dump_roots *r)
{
	struct pgt_dump_root n = { .cpu = -1, .kernel = true, .score = 1000 };
	uint64_t pa, off;
	char buf[40];

	(void)a;
	if (!x86_swapper(f, &pa, &off))
		return;
	f->vmcoreinfo(f->dump, "SYMBOL(swapper_pg_dir)", buf, sizeof(buf));
	n.value = pa;
	strcpy(n.name, "kernel");
	snprintf(n.source, sizeof(n.source),
		 "VMCOREINFO SYMBOL(swapper_pg_dir)=%s - PAGE_OFFSET 0x%" PRIx64,
		 buf, off);
	pgt_dump_roots_merge(r, &n);
}

/*
 * A dump of a PAE machine as we write one: EM_386 in an ELF64 container,
 * as QEMU writes guests with memory above 4 GiB; VMCOREINFO says PAE as an
 * i386 kernel's does (kernel/crash_core.c: VMCOREINFO_CONFIG(X86_PAE)).
 */
static void pae_dump_layout(const struct pgt_arch *a,
			    struct pgt_dump_layout *fmt)
{
	(void)a;
	fmt->elf_machine = EM_386;
	fmt->elf_class = 64;
	fmt->vmcoreinfo = "CONFIG_X86_PAE=y\n";
}

/*
 * A CPU in user mode on cr3: NT_PRSTATUS with its pid, and QEMU's CPU
 * state (version 1) with CR0.PE and CR0.PG (bits 0, 31), CR3 and CR4.PAE
 * (bit 5) (Intel SDM vol. 3, 2.5 "Control registers"): what
 * pae_cpu_roots reads back.
 */
static int pae_write_cpu_notes(const struct pgt_arch *a, uint64_t cr3,
			       int pid, pgt_note_put_fn *put, void *ctx)
{
	uint8_t pr[PRSTATUS_I386_SIZE] = { 0 };
	uint8_t qs[QEMU_CPUSTATE_V1_SIZE] = { 0 };
	bool be = a->big_endian;

	pgt_put32(pr + PRSTATUS_I386_PID, (uint32_t)pid, be);
	if (put(ctx, "CORE", PGT_NT_PRSTATUS, pr, sizeof(pr)))
		return -1;
	pgt_put32(qs, QEMU_CPUSTATE_VERSION, be);
	pgt_put32(qs + 4, sizeof(qs), be);
	pgt_put64(qs + QEMU_CPUSTATE_CR, X86_CR0_PG | 1, be);
	pgt_put64(qs + QEMU_CPUSTATE_CR + 3 * 8, cr3, be);
	pgt_put64(qs + QEMU_CPUSTATE_CR + 4 * 8, X86_CR4_PAE, be);
	return put(ctx, "QEMU", 0, qs, sizeof(qs));
}

const struct pgt_arch_discover pgt_pae_discover = {
	.cpu_note = x86_cpu_note,
	.claims = x86_claims,
	.machine_is = x86_machine,
	.select = x86_select,
	.cpu_roots = pae_cpu_roots,
	.kernel_root = pae_kernel_root,
	.scan = pgt_pae_scan,
	.dump_layout = pae_dump_layout,
	.write_cpu_notes = pae_write_cpu_notes,
};

/* the same evidence (one select picks among the x86 formats) */
const struct pgt_arch_discover pgt_x86_64_discover = {
	.cpu_note = x86_cpu_note,
	.claims = x86_claims,
	.machine_is = x86_machine,
	.select = x86_select,
	.cpu_roots = pgt_x86_cpu_roots,
	.kernel_root = pgt_x86_64_kernel_root,
	.scan = pgt_x86_64_scan,
};

const struct pgt_arch_discover pgt_i386_discover = {
	.cpu_note = x86_cpu_note,
	.claims = x86_claims,
	.machine_is = x86_machine,
	.select = x86_select,
	.cpu_roots = pgt_x86_cpu_roots,
	.kernel_root = pgt_i386_kernel_root,
};
