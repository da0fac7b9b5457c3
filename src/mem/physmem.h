/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Physical memory as the walker sees it: "read this physical range".
 * Two kinds exist: the engine's simulated store (simmem.c) and memory
 * dumps (src/dump/).  The walker knows nothing else about where bytes come from.
 */
#ifndef PGT_PHYSMEM_H
#define PGT_PHYSMEM_H

#include <stddef.h>
#include <stdint.h>

struct pgt_physmem {
	/*
	 * Copy len bytes at physical address pa into buf.  Returns 0, or -1
	 * when any part of the range is not backed by this memory.
	 */
	int (*read)(struct pgt_physmem *pm, uint64_t pa, void *buf, size_t len);
	/* highest physical address + 1 that may be backed (for "wild" checks) */
	uint64_t limit;
	void *priv;
	/*
	 * Optional (may be NULL): why the last read failed, when the memory
	 * knows better than "not backed" (a page excluded from a filtered
	 * dump, a corrupt compressed page at file offset N ...).
	 */
	const char *(*why)(struct pgt_physmem *pm);
	/*
	 * Set by a failing read when the failure is not "this memory has no
	 * such page" (a finding, the walk goes on) but input this build
	 * cannot read at all, e.g. a page compressed with lzo: a status
	 * (PGT_ERR_UNSUPPORTED) that stops the walk with why() as message.
	 */
	int fail_status;
	/*
	 * Optional (may be NULL): a pointer to len bytes at pa that stay
	 * valid while the memory is open, or NULL when they are not one
	 * contiguous mapped run (then read() copies).  Lets the walker look
	 * at tables of a mapped dump without copying them.
	 */
	const void *(*map)(struct pgt_physmem *pm, uint64_t pa, size_t len);
};

static inline int pgt_phys_read(struct pgt_physmem *pm, uint64_t pa, void *buf,
				size_t len)
{
	return pm->read(pm, pa, buf, len);
}

#endif
