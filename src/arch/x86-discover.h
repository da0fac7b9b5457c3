/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Inside the x86 root discovery (x86-discover.c, pae-scan.c). */
#ifndef PGT_X86_DISCOVER_H
#define PGT_X86_DISCOVER_H

#include "discover.h"

/* CR0-CR4 of cpu from QEMU's CPU-state note; false without one */
bool pgt_x86_cpu_cr(const struct pgt_dump_facts *f, int cpu, uint64_t cr[5]);
/* PAE: 32 bytes at pdpt are a PDPT as Linux writes it: every entry empty
 * or a table in memory, the kernel slot (3) a table, the tables distinct */
bool pgt_pae_pdpt_ok(const struct pgt_dump_facts *f, const uint8_t *pdpt);
/* PAE: the user slots (0-2) of two PDPTs are equal, the accessed bit
 * aside (QEMU's walker sets it in the copy the CPU used) */
bool pgt_pae_same_user(const uint8_t *x, const uint8_t *y);
int pgt_pae_scan(const struct pgt_dump_facts *f, const struct pgt_arch *a,
		 const struct pgt_dump_roots *r, pgt_scan_found_fn *found,
		 void *ctx, struct pgt_err *err);

/* x86-64 and i386 (x86-64-roots.c): CR3 and its PTI partner, the
 * kernel's pgd from VMCOREINFO, the scan for PML4s / PML5s */
void pgt_x86_cpu_roots(const struct pgt_dump_facts *f,
		       const struct pgt_arch *a, int cpu,
		       struct pgt_dump_roots *r);
void pgt_x86_64_kernel_root(const struct pgt_dump_facts *f,
			    const struct pgt_arch *a, struct pgt_dump_roots *r);
void pgt_i386_kernel_root(const struct pgt_dump_facts *f,
			  const struct pgt_arch *a, struct pgt_dump_roots *r);
int pgt_x86_64_scan(const struct pgt_dump_facts *f, const struct pgt_arch *a,
		    const struct pgt_dump_roots *r, pgt_scan_found_fn *found,
		    void *ctx, struct pgt_err *err);

extern const struct pgt_arch_discover pgt_pae_discover;
extern const struct pgt_arch_discover pgt_x86_64_discover;
extern const struct pgt_arch_discover pgt_i386_discover;

#endif
