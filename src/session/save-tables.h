/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A replayed state as an ELF vmcore (`replay --save-tables`): the
 * simulated frames that hold page tables, reached by walking every live
 * mm from its root, as PT_LOADs at their simulated physical addresses;
 * one CPU per live mm, in mm id order, whose notes hold that mm's root
 * the way a real dump's do (x86: QEMU's CPU state with CR3, CR0.PG and
 * CR4.PAE; s390: NT_S390_CTRS with the ASCE in CR1 and CR7, the PSW in
 * problem state) and whose NT_PRSTATUS pr_pid is the mm id; VMCOREINFO
 * naming the trace, its digest, the position and each mm's root:
 *
 *   PAGESIZE=4096
 *   PGTCTL_REPLAY=traces/pae-fork.trace
 *   PGTCTL_REPLAY_DIGEST=fnv1a64:4c1f0e6d2b9a7730
 *   PGTCTL_REPLAY_POSITION=7
 *   PGTCTL_MM(1)=0x1001000
 *
 * so that pgtctl dump (roots cpu0, cpu1 ... or cpuN-user on s390),
 * pgtctl diff and libkdumpfile open it.  The frames' data pages are not
 * written: the simulated memory has no data.
 */
#ifndef PGT_SAVE_TABLES_H
#define PGT_SAVE_TABLES_H

#include <stdint.h>
#include "../engine/engine.h"

struct pgt_save_origin {
	const char *trace;		/* as the user named it */
	const char *digest;		/* "fnv1a64:..." or NULL (standard input) */
	unsigned long position;
};

struct pgt_save_result {
	size_t pages;			/* 4 KiB pages of tables written */
	int mms;			/* live mms: CPUs in the notes */
};

int pgt_engine_save_tables(struct pgt_engine *e, const char *path,
			   const struct pgt_save_origin *o,
			   struct pgt_save_result *res, struct pgt_err *err);

/* "fnv1a64:HEX" of a file's bytes (buf: at least 25 bytes) */
int pgt_file_digest(const char *path, char *buf, size_t len,
		    struct pgt_err *err);

#endif
