/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Finding s390 dumps and their roots (discover.h): the family from
 * e_machine, the kdump machine field, the control-register notes or
 * OSRELEASE; 64-bit z/Architecture or 31-bit ESA/390 from the word size;
 * the ASCEs in CR1, CR7 and CR13 of each CPU; swapper_pg_dir from
 * VMCOREINFO with its designation type read from the table's entries;
 * the scan for region and segment tables.
 *
 * Notes (the kernel's s390 crash_dump.c names them "LINUX", older kernels
 * wrote "CORE" for every note; QEMU writes "LINUX"): NT_S390_CTRS holds the
 * 16 control registers (8 bytes each on s390x, 4 on 31-bit s390),
 * NT_S390_PREFIX the prefix register; the PSW is the start of pr_reg
 * (s390_regs: mask, then address) at 112 in the 0x150-byte NT_PRSTATUS.
 * Checked on the s390x-A1 QEMU dump (PSW 0x0705200180000000 at 112).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "arch.h"
#include "discover.h"
#include "s390-discover.h"

#define EM_S390 22
#define NT_S390_CTRS	0x304
#define NT_S390_PREFIX	0x305
#define PRSTATUS_64_SIZE	0x150
#define PRSTATUS_64_PID		32	/* pr_pid */
#define PRSTATUS_S390X_PSW	112

/* PSW bit 15: problem state (s390 PoP, "Program-Status Word") */
#define PSW_MASK_PSTATE (1ull << 48)

static bool s390_note(const struct pgt_dump_facts *f, int cpu, uint32_t type,
		      struct pgt_cpu_note *n)
{
	return pgt_facts_cpu_note(f, cpu, "LINUX", type, n) ||
	       pgt_facts_cpu_note(f, cpu, "CORE", type, n);
}

bool pgt_s390_cpu_cr(const struct pgt_dump_facts *f, int cpu, uint64_t cr[16])
{
	struct pgt_cpu_note n;
	int i;

	if (!s390_note(f, cpu, NT_S390_CTRS, &n) ||
	    (n.size != 16 * 8 && n.size != 16 * 4))
		return false;
	for (i = 0; i < 16; i++)
		cr[i] = n.size == 16 * 8 ? pgt_facts_get64(f, n.desc + 8 * i) :
					   pgt_facts_get32(f, n.desc + 4 * i);
	return true;
}

bool pgt_s390_cpu_prefix(const struct pgt_dump_facts *f, int cpu,
			 uint32_t *prefix)
{
	struct pgt_cpu_note n;

	if (!s390_note(f, cpu, NT_S390_PREFIX, &n) || n.size != 4)
		return false;
	*prefix = pgt_facts_get32(f, n.desc);
	return true;
}

bool pgt_s390_cpu_psw(const struct pgt_dump_facts *f, int cpu, uint64_t *mask,
		      uint64_t *addr)
{
	struct pgt_cpu_note n;

	/* x86-64's NT_PRSTATUS has the same size: an s390 dump only */
	if (f->elf_machine != EM_S390 &&
	    !s390_note(f, cpu, NT_S390_CTRS, &n) &&
	    !s390_note(f, cpu, NT_S390_PREFIX, &n))
		return false;
	if (!pgt_facts_cpu_note(f, cpu, "CORE", PGT_NT_PRSTATUS, &n) ||
	    n.size != PRSTATUS_64_SIZE)
		return false;
	*mask = pgt_facts_get64(f, n.desc + PRSTATUS_S390X_PSW);
	*addr = pgt_facts_get64(f, n.desc + PRSTATUS_S390X_PSW + 8);
	return true;
}

static bool s390_cpu_note(const char *name, size_t namelen, uint32_t type)
{
	return (type == NT_S390_CTRS || type == NT_S390_PREFIX) &&
	       ((namelen == 5 && !memcmp(name, "LINUX", 5)) ||
		(namelen == 4 && !memcmp(name, "CORE", 4)));
}

static bool s390_machine(const char *m)
{
	return !strncasecmp(m, "s390", 4);	/* QEMU writes "S390X" */
}

static bool s390_claims(const struct pgt_dump_facts *f, enum pgt_evidence ev,
			char *how, size_t len)
{
	uint64_t cr[16];
	char buf[80];
	int i;

	switch (ev) {
	case PGT_EV_ELF_MACHINE:
		if (f->elf_machine == EM_S390)
			snprintf(how, len, "ELF e_machine EM_S390");
		return f->elf_machine == EM_S390;
	case PGT_EV_CPU_NOTES:
		for (i = 0; i < f->ncpus; i++)
			if (pgt_s390_cpu_cr(f, i, cr)) {
				snprintf(how, len, "s390 control-register notes (the kdump header's machine field is empty)");
				return true;
			}
		return false;
	case PGT_EV_VMCOREINFO:
		if (f->vmcoreinfo(f->dump, "OSRELEASE", buf, sizeof(buf)) &&
		    strstr(buf, "s390")) {
			snprintf(how, len, "VMCOREINFO OSRELEASE=%s", buf);
			return true;
		}
		return false;
	default:
		return false;
	}
}

static int s390_select(const struct pgt_dump_facts *f,
		       const struct pgt_arch **a, char *how, size_t len,
		       struct pgt_err *err)
{
	(void)how;
	(void)len;
	(void)err;
	/* ELF class / header word size: 64-bit z/Architecture or the
	 * 31-bit ESA/390 format */
	*a = f->elf_class == 32 ? &pgt_arch_s390 : &pgt_arch_s390x;
	return PGT_OK;
}

int pgt_s390x_crst_type(const struct pgt_dump_facts *f,
			const struct pgt_arch *a, const uint8_t *b,
			unsigned *valid)
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
		    (!ei.next || (f->mem->limit && ei.next >= f->mem->limit)))
			return -1;
		(*valid)++;
	}
	return *valid ? tt : -1;
}

/* The DT of the region/segment table at origin, from its entries' TT
 * fields, or -1 when no well-formed table is there */
static int s390x_infer_dt(const struct pgt_dump_facts *f,
			  const struct pgt_arch *a, uint64_t origin)
{
	uint8_t *b = malloc(PGT_CRST_BYTES);
	unsigned valid;
	int dt = -1;

	if (b && !pgt_facts_read(f, origin, b, PGT_CRST_BYTES))
		dt = pgt_s390x_crst_type(f, a, b, &valid);
	free(b);
	return dt;
}

static void s390_cpu_roots(const struct pgt_dump_facts *f,
			   const struct pgt_arch *a, int i,
			   struct pgt_dump_roots *r)
{
	uint64_t cr[16], psw_mask = 0, psw_addr, user;
	bool has_psw = pgt_s390_cpu_psw(f, i, &psw_mask, &psw_addr);
	bool problem = has_psw && (psw_mask & PSW_MASK_PSTATE);
	struct pgt_dump_root n = { .cpu = i, .score = 1000 };

	(void)a;
	if (!pgt_s390_cpu_cr(f, i, cr))
		return;
	user = problem ? cr[1] : cr[7];
	/* CR1 holds the user ASCE only in problem state; in the kernel
	 * (home-space mode) it holds the kernel ASCE and CR7 the user one
	 * (dumps README, s390x) */
	snprintf(n.name, sizeof(n.name), "cpu%d-user", i);
	snprintf(n.source, sizeof(n.source), "%s of cpu %d (%s)",
		 problem ? "CR1" : "CR7", i,
		 !has_psw ? "no PSW: CR7, the secondary ASCE" :
		 problem ? "PSW in problem state" :
			   "PSW in supervisor state: CR1 holds a kernel ASCE");
	n.user = true;
	n.value = user;
	if (user && user != cr[13])
		pgt_dump_roots_merge(r, &n);
	memset(&n, 0, sizeof(n));
	n.cpu = i;
	n.score = 1000;
	n.kernel = true;
	snprintf(n.name, sizeof(n.name), "cpu%d-kernel", i);
	snprintf(n.source, sizeof(n.source), "CR13 of cpu %d (home space)", i);
	n.value = cr[13];
	if (n.value)
		pgt_dump_roots_merge(r, &n);
}

static void s390_kernel_root(const struct pgt_dump_facts *f,
			     const struct pgt_arch *a,
			     struct pgt_dump_roots *r)
{
	struct pgt_dump_root n = { .cpu = -1, .kernel = true, .score = 1000 };
	char buf[40];
	uint64_t pa;
	size_t i;
	int dt;

	if (!f->vmcoreinfo(f->dump, "SYMBOL(swapper_pg_dir)", buf, sizeof(buf)))
		return;
	/* s390 kernels of this era run the image identity-mapped:
	 * SYMBOL() values are physical addresses */
	pa = strtoull(buf, NULL, 16);
	for (i = 0; i < r->n; i++)
		if ((r->v[i].value & ~0xfffull) == pa) {
			snprintf(n.source, sizeof(n.source),
				 "VMCOREINFO SYMBOL(swapper_pg_dir)=%s", buf);
			n.value = r->v[i].value;
			strcpy(n.name, "kernel");
			pgt_dump_roots_merge(r, &n);
			return;
		}
	/* the 31-bit format's ASCE has no DT to infer */
	if (a != &pgt_arch_s390x || (dt = s390x_infer_dt(f, a, pa)) < 0)
		return;
	n.value = pa | (uint64_t)dt << 2 | 3;
	strcpy(n.name, "kernel");
	snprintf(n.source, sizeof(n.source),
		 "VMCOREINFO SYMBOL(swapper_pg_dir)=%s, DT from the table's entries",
		 buf);
	pgt_dump_roots_merge(r, &n);
}

/* an ADDR without DT/TL bits: a table origin; take the type from the
 * table's own entries */
static int s390x_addr_root(const struct pgt_dump_facts *f,
			   const struct pgt_arch *a, uint64_t v,
			   uint64_t *root, struct pgt_err *err)
{
	int dt;

	if (v & 0xfff) {
		*root = v;
		return PGT_OK;
	}
	dt = s390x_infer_dt(f, a, v);
	if (dt < 0)
		return pgt_fail(err, PGT_ERR_INPUT,
				"--root 0x%" PRIx64 ": no well-formed region or segment table there; give a full ASCE (origin|DT<<2|TL)",
				v);
	*root = v | (uint64_t)dt << 2 | 3;
	return PGT_OK;
}

/* An s390 dump: EM_S390, ELF64 for s390x, ELF32 for ESA/390 */
static void s390_dump_layout(const struct pgt_arch *a,
			     struct pgt_dump_layout *fmt)
{
	fmt->elf_machine = EM_S390;
	fmt->elf_class = a->va_bits > 31 ? 64 : 32;
	fmt->vmcoreinfo = "";
}

/*
 * A CPU in user mode on asce, as s390_cpu_roots reads it back: the PSW in
 * problem state (bit 15) with DAT on (bit 5), I/O, external and
 * machine-check interrupts enabled, primary space mode, 64-bit addressing
 * (EA, BA: bits 31, 32); CR1 (primary ASCE) and CR7 (secondary) the mm's
 * ASCE, CR13 (home space, the kernel's) 0: a replay has no kernel tables
 * (PoP, "Program-Status Word", "Control Registers").  64-bit layouts
 * only: dump_layout says ELF32 for ESA/390, which is not written.
 */
static int s390_write_cpu_notes(const struct pgt_arch *a, uint64_t asce,
				int pid, pgt_note_put_fn *put, void *ctx)
{
	uint8_t pr[PRSTATUS_64_SIZE] = { 0 };
	uint8_t cr[16 * 8] = { 0 };
	uint8_t prefix[4] = { 0 };
	bool be = a->big_endian;

	pgt_put32(pr + PRSTATUS_64_PID, (uint32_t)pid, be);
	pgt_put64(pr + PRSTATUS_S390X_PSW, 0x0705000180000000ull, be);
	if (put(ctx, "CORE", PGT_NT_PRSTATUS, pr, sizeof(pr)))
		return -1;
	pgt_put64(cr + 1 * 8, asce, be);
	pgt_put64(cr + 7 * 8, asce, be);
	if (put(ctx, "LINUX", NT_S390_CTRS, cr, sizeof(cr)))
		return -1;
	return put(ctx, "LINUX", NT_S390_PREFIX, prefix, sizeof(prefix));
}

const struct pgt_arch_discover pgt_s390x_discover = {
	.cpu_note = s390_cpu_note,
	.claims = s390_claims,
	.machine_is = s390_machine,
	.select = s390_select,
	.cpu_roots = s390_cpu_roots,
	.kernel_root = s390_kernel_root,
	.scan = pgt_s390x_scan,
	.addr_root = s390x_addr_root,
	.dump_layout = s390_dump_layout,
	.write_cpu_notes = s390_write_cpu_notes,
};

/* 31-bit ESA/390: the same evidence and registers, no scan */
const struct pgt_arch_discover pgt_s390_discover = {
	.cpu_note = s390_cpu_note,
	.claims = s390_claims,
	.machine_is = s390_machine,
	.select = s390_select,
	.cpu_roots = s390_cpu_roots,
	.kernel_root = s390_kernel_root,
	.dump_layout = s390_dump_layout,
};
