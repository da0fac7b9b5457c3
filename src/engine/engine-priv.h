/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Internal interfaces between the engine's files (not for the arch layer). */
#ifndef PGT_ENGINE_PRIV_H
#define PGT_ENGINE_PRIV_H

#include <errno.h>
#include "engine.h"

/* vma.c */
struct pgt_vma *vma_find(struct pgt_mm *mm, uint64_t addr);	/* containing */
size_t vma_index_from(struct pgt_mm *mm, uint64_t addr);	/* first end > addr */
int vma_insert(struct pgt_engine *e, struct pgt_mm *mm, uint64_t start,
	       uint64_t end, unsigned flags);
void vma_free_all(struct pgt_engine *e, struct pgt_mm *mm);
int vma_reserve(struct pgt_engine *e, struct pgt_mm *mm, size_t more);
int vma_split(struct pgt_engine *e, struct pgt_mm *mm, size_t i,
	      uint64_t at);
void vma_remove(struct pgt_mm *mm, size_t i, size_t n);
void vma_merge_around(struct pgt_mm *mm, size_t i);
bool vma_mergeable(const struct pgt_vma *a, const struct pgt_vma *b);
#define PGT_MAX_MAP_COUNT 65530

/* pgtable.c: walking and allocating the simulated tables */
void *pt_slot(struct pgt_engine *e, struct pgt_mm *mm, uint64_t va,
	      int level, int *stop_level);
void *pt_alloc(struct pgt_engine *e, struct pgt_mm *mm, uint64_t va,
	       int level, int *res);
static inline int pt_level_pte(const struct pgt_engine *e)
{
	return (int)e->m.arch->nlevels - 1;
}

static inline int pt_level_pmd(const struct pgt_engine *e)
{
	return (int)e->m.arch->nlevels - 2;
}
uint64_t pt_span(const struct pgt_engine *e, int level);
void *pt_pte_ptr(struct pgt_engine *e, uint64_t table, uint64_t va);
typedef int pt_pmd_fn(struct pgt_engine *e, void *arg, uint64_t va,
		      uint64_t end, void *pmd);
int pt_for_each_pmd(struct pgt_engine *e, struct pgt_mm *mm, uint64_t start,
		    uint64_t end, pt_pmd_fn *fn, void *arg);

/* thp.c */
bool thp_vma_eligible(struct pgt_engine *e, struct pgt_mm *mm,
		      struct pgt_vma *vma, uint64_t haddr);
int thp_fault(struct pgt_engine *e, struct pgt_mm *mm, struct pgt_vma *vma,
	      uint64_t va, void *pmd_slot, bool write);
int thp_wp_fault(struct pgt_engine *e, struct pgt_mm *mm, struct pgt_vma *vma,
		 uint64_t va, void *pmd_slot, bool *split);
void thp_split(struct pgt_engine *e, struct pgt_mm *mm, struct pgt_vma *vma,
	       uint64_t haddr, void *pmd_slot);
void thp_split_range_edges(struct pgt_engine *e, struct pgt_mm *mm,
			   uint64_t addr);
void thp_zap(struct pgt_engine *e, struct pgt_gather *g, uint64_t haddr,
	     void *pmd_slot);
int thp_copy(struct pgt_engine *e, struct pgt_mm *dst, struct pgt_mm *src,
	     uint64_t haddr, void *dslot, void *sslot);
uint64_t pmd_table_of(struct pgt_engine *e, void *slot);
void deposit_push(struct pgt_engine *e, struct pgt_mm *mm, uint64_t pmd_table,
		  uint64_t pt);
uint64_t deposit_pop(struct pgt_engine *e, struct pgt_mm *mm,
		     uint64_t pmd_table);
void deposit_drop_mm(struct pgt_engine *e, struct pgt_mm *mm);
long deposit_clone_mm(struct pgt_mm *dst, const struct pgt_mm *src);
size_t deposit_count(struct pgt_mm *mm, uint64_t pmd_table);
bool deposit_contains(struct pgt_mm *mm, uint64_t pt);

/* engine.c: a new order-0 page mapped once (pgt_page_alloc, pgt_page_get
 * and, when excl, pgt_page_set_exclusive in one); -ENOMEM */
int page_alloc_mapped(struct pgt_engine *e, bool excl, uint64_t *pfn);

/* mmap.c */
uint64_t vma_page_prot(struct pgt_engine *e, unsigned flags);
int vma_apply(struct pgt_engine *e, struct pgt_mm *mm, uint64_t start,
	      uint64_t end, unsigned (*newflags)(unsigned old, const void *arg),
	      int (*fn)(struct pgt_engine *e, struct pgt_vma *v,
			unsigned oldflags, const void *arg),
	      const void *arg);

/* ops */
int op_alloc(struct pgt_engine *e, const struct pgt_op *op);
int op_populate(struct pgt_engine *e, const struct pgt_op *op,
		uint64_t *fault_va);
int op_protect(struct pgt_engine *e, const struct pgt_op *op);
int op_unmap(struct pgt_engine *e, uint64_t addr, uint64_t len);
int op_dontneed(struct pgt_engine *e, uint64_t addr, uint64_t len);
int madvise_walk(struct pgt_engine *e, uint64_t addr, uint64_t len,
		 int (*refuse)(const struct pgt_vma *v),
		 void (*fn)(struct pgt_engine *e, struct pgt_gather *g,
			    struct pgt_vma *v, uint64_t s, uint64_t t));
int op_lazyfree(struct pgt_engine *e, uint64_t addr, uint64_t len);	/* lazyfree.c */
int op_remap(struct pgt_engine *e, const struct pgt_op *op,
	     struct pgt_err *err);	/* remap.c */
int op_collapse(struct pgt_engine *e, uint64_t addr, uint64_t len);	/* collapse.c */
int op_advise(struct pgt_engine *e, const struct pgt_op *op);
int op_fork(struct pgt_engine *e, int child_id, struct pgt_err *err);
void op_exit(struct pgt_engine *e, struct pgt_mm *mm);
int handle_fault(struct pgt_engine *e, struct pgt_mm *mm, uint64_t va,
		 bool write);

/* shared by unmap/exit */
void zap_range(struct pgt_engine *e, struct pgt_gather *g, uint64_t start,
	       uint64_t end, struct pgt_vma *vma);
void free_pgtables(struct pgt_gather *g, const struct pgt_vma *v, size_t n,
		   uint64_t floor, uint64_t ceiling);

/* mm.c */
struct pgt_mm *mm_new(struct pgt_engine *e, int id, struct pgt_mm *parent,
		      struct pgt_err *err);
void mm_free(struct pgt_engine *e, struct pgt_mm *mm);
void mm_load(struct pgt_engine *e, unsigned cpu, struct pgt_mm *mm);
unsigned mm_self(struct pgt_engine *e, struct pgt_mm *mm);
uint64_t mm_running(const struct pgt_engine *e, const struct pgt_mm *mm);
int op_exec(struct pgt_engine *e, struct pgt_err *err);

/* clone.c */
void engine_release(struct pgt_engine *e);

/* check.c */
int check_generic(struct pgt_engine *e, struct pgt_err *err);
/* before op: the scope of the check after it (e->m.check_scope) */
void check_scope_begin(struct pgt_engine *e, const struct pgt_op *op);
/* after op: add what changed beside it (VMAs, tops, new mms) */
void check_scope_end(struct pgt_engine *e);
/* a check passed (full: the state is the new baseline) or failed */
void check_done(struct pgt_engine *e, bool passed);
void check_state_free(struct pgt_check_state *s);

static inline uint64_t vm_prot_of(struct pgt_engine *e, unsigned flags)
{
	return e->m.rules->vm_prot(e, flags);
}

#endif
