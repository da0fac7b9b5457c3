/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Inside the s390 root discovery (s390-discover.c, s390-scan.c). */
#ifndef PGT_S390_DISCOVER_H
#define PGT_S390_DISCOVER_H

#include "discover.h"

#define PGT_CRST_BYTES 16384u
#define PGT_CRST_ENTRIES 2048u

/* the registers of cpu from its notes; false without them */
bool pgt_s390_cpu_cr(const struct pgt_dump_facts *f, int cpu, uint64_t cr[16]);
bool pgt_s390_cpu_prefix(const struct pgt_dump_facts *f, int cpu,
			 uint32_t *prefix);
bool pgt_s390_cpu_psw(const struct pgt_dump_facts *f, int cpu, uint64_t *mask,
		      uint64_t *addr);
/* s390x: the designation type (0 segment .. 3 region-first) of a 16 KiB
 * CRST at b whose every entry is its level's empty value or a valid entry
 * of one table type pointing into memory; -1 if it is not one.  *valid:
 * the entries in use. */
int pgt_s390x_crst_type(const struct pgt_dump_facts *f,
			const struct pgt_arch *a, const uint8_t *b,
			unsigned *valid);
int pgt_s390x_scan(const struct pgt_dump_facts *f, const struct pgt_arch *a,
		   const struct pgt_dump_roots *r, pgt_scan_found_fn *found,
		   void *ctx, struct pgt_err *err);

extern const struct pgt_arch_discover pgt_s390x_discover;
extern const struct pgt_arch_discover pgt_s390_discover;

#endif
