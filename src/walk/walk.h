/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The walker: one per paging format, over any physical memory (the
 * engine's simulated store or a dump).  It decodes entries with the arch
 * layer and reports tables, leaves and findings (malformed entries, wild
 * pointers, tables reached twice); it can never loop: every table is
 * visited once and the depth is bounded by the arch's levels.
 */
#ifndef PGT_WALK_H
#define PGT_WALK_H

#include <stdio.h>
#include <string.h>
#include "../arch/arch.h"
#include "../lib/progress.h"
#include "../mem/physmem.h"

struct pgt_walk_leaf {
	uint64_t va;
	uint64_t pa;
	uint64_t size;
	uint64_t raw;
	unsigned flags;		/* effective PGT_HF_* (upper levels applied) */
	int level;
	bool linux_present;
	uint64_t slot;		/* physical address of the entry */
	const char *memtype;	/* "WB", "UC-" ..., NULL: the arch has none */
};

struct pgt_walk_table {
	int level;
	uint64_t pa;
	uint64_t va;		/* first address the table maps */
	uint32_t entries;
	int depth;		/* 0 = the root table */
	/* reached before in this walk and walked again because the arch
	 * says the kernel maps it more than once (table_shared): its
	 * entries are mappings again, its bytes are not counted again */
	bool again;
};

struct pgt_walker {
	const struct pgt_arch *arch;
	struct pgt_physmem *mem;
	uint64_t root;		/* CR3 / ASCE */
	uint64_t va_start, va_end;	/* end 0 = to the top */
	/* callbacks (may be NULL); a non-zero return stops the walk */
	int (*on_table)(void *arg, const struct pgt_walk_table *t);
	int (*on_table_end)(void *arg, const struct pgt_walk_table *t);
	int (*on_leaf)(void *arg, const struct pgt_walk_leaf *l);
	int (*on_entry)(void *arg, const struct pgt_walk_table *t,
			unsigned idx, uint64_t raw,
			const struct pgt_ent_info *ei);
	int (*on_finding)(void *arg, int level, uint64_t slot, uint64_t va,
			  uint64_t raw, const char *why);
	void *arg;
	void *finding_arg;	/* on_finding's argument (NULL: arg) */
	/* leaf filter: on_leaf sees only leaves whose effective flags hold
	 * every bit of want and none of deny (--filter) */
	unsigned want, deny;
	/* optional: the share of the root table's entries walked, in
	 * 1/4096ths of an entry (a table below the root counts as its
	 * share of its parent entry) */
	struct pgt_progress progress;
	/* statistics */
	uint64_t tables[PGT_MAX_LEVELS];
	uint64_t leaves[PGT_MAX_LEVELS];
	uint64_t findings;
	uint64_t pages;		/* 4 KiB units mapped by leaves the MMU uses */
	uint64_t protnone;	/* leaves present to Linux only */
};

int pgt_walk(struct pgt_walker *w, struct pgt_err *err);

/* one address, level by level (crash's vtop) */
struct pgt_xlate_step {
	int level;
	uint64_t table;		/* table address */
	unsigned index;
	uint64_t slot;		/* entry address */
	uint64_t raw;
	struct pgt_ent_info ei;
};

struct pgt_xlate {
	int nsteps;
	struct pgt_xlate_step step[PGT_MAX_LEVELS];
	bool mapped;
	uint64_t pa;		/* translation result when mapped */
	unsigned flags;
	const char *memtype;	/* of the leaf, NULL: none */
	char why[128];		/* why it stopped, when not mapped ("" else);
				 * an array, so that x can be copied */
};

int pgt_translate(const struct pgt_arch *a, struct pgt_physmem *mem,
		  uint64_t root, uint64_t va, struct pgt_xlate *x,
		  struct pgt_err *err);

/* "rwuxadg"-style letters of PGT_HF_* flags (design.md pages contract) */
void pgt_flags_str(unsigned flags, char out[8]);

/*
 * What to walk, as the views and the dump's root checks give it: the
 * memory, a root, a range, a leaf filter, where findings go.
 */
struct pgt_view_src {
	const struct pgt_arch *arch;
	struct pgt_physmem *mem;
	uint64_t root;
	uint64_t va_start, va_end;	/* end 0: to the top */
	const char *name;		/* "mm 1", a file name ... */
	unsigned want, deny;		/* leaf filter (--filter) */
	bool data_check;		/* translate: say whether the page's
					 * data is in the memory (dumps) */
	/* the named regions of the address space (--ranges), may be none */
	const struct pgt_region *regions;
	size_t nregions;
	/* findings of the walk (may be NULL: only counted) */
	int (*on_finding)(void *arg, int level, uint64_t slot, uint64_t va,
			  uint64_t raw, const char *why);
	void *finding_arg;
	struct pgt_progress progress;	/* of the walk (pgt_walker) */
};

/* a walker over src reporting to arg */
static inline void pgt_view_walker(struct pgt_walker *w,
				   const struct pgt_view_src *src, void *arg)
{
	memset(w, 0, sizeof(*w));
	w->arch = src->arch;
	w->mem = src->mem;
	w->root = src->root;
	w->va_start = src->va_start;
	w->va_end = src->va_end;
	w->want = src->want;
	w->deny = src->deny;
	w->on_finding = src->on_finding;
	w->finding_arg = src->finding_arg;
	w->progress = src->progress;
	w->arg = arg;
}

/* --summary of a walk: tables and leaves per level, pages, findings */
struct pgt_walk_stats {
	uint64_t tables[PGT_MAX_LEVELS], fragments[PGT_MAX_LEVELS];
	uint64_t table_bytes[PGT_MAX_LEVELS];
	uint64_t leaves[PGT_MAX_LEVELS], pages, notpresent, findings;
};
/* walk src and count (findings go to src->on_finding); no records */
int pgt_walk_stats_collect(const struct pgt_view_src *src,
			   struct pgt_walk_stats *st, struct pgt_err *err);

#endif
