/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The engine's simulated physical memory: a frame allocator over a bounded
 * physical range.  Frames holding page tables are backed by host memory
 * (they hold real entries the walker reads); frames standing for user data
 * pages are only numbers with a little metadata (mapcount, anon-exclusive),
 * so populating a GiB costs no GiB of host memory.
 */
#ifndef PGT_SIMMEM_H
#define PGT_SIMMEM_H

#include <stdbool.h>
#include <stdint.h>
#include "physmem.h"

#define SIM_PAGE_SHIFT 12
#define SIM_PAGE_SIZE 4096u
#define SIM_MAX_ORDER 4

/* per-frame metadata */
struct sim_frame {
	uint8_t *mem;		/* host copy of a backed frame, NULL for data */
	uint32_t refs;		/* data page: number of PTE/PMD mappings */
	uint8_t flags;		/* SIMF_* */
	uint8_t order;		/* order of the block this frame heads */
	uint16_t tag;		/* owner's use (e.g. s390 fragment bits) */
};

#define SIMF_ALLOCATED 0x01
#define SIMF_HEAD 0x02		/* first frame of an allocated block */
#define SIMF_TABLE 0x04		/* holds a page table (backed) */
#define SIMF_ANON_EXCL 0x08	/* anonymous page mapped by exactly one mm */
#define SIMF_ZERO 0x10		/* a (possibly coloured or huge) zero page */
#define SIMF_COMPOUND 0x20	/* part of a huge (THP) page */

/* the host memory of frozen copies that share frames */
struct sim_pool {
	size_t bytes;
};

struct sim_freelist {
	uint64_t *pfn;
	size_t n, cap;
};

struct sim_arena;

struct simmem {
	uint64_t base_pfn;	/* first frame handed out */
	uint64_t limit_pfn;	/* one past the last frame (memory size) */
	uint64_t next_pfn;	/* bump pointer for never-used frames */
	struct sim_frame *frames;	/* indexed by pfn - base_pfn */
	size_t nframes;		/* entries valid in frames[] */
	size_t reserved;	/* frames[] mapped for this many */
	uint32_t free0;		/* free order-0 data frames: an intrusive
				 * stack through frames[].refs, index + 1 */
	struct sim_freelist free_backed[SIM_MAX_ORDER + 1];
	struct sim_freelist free_data[SIM_MAX_ORDER + 10];
	uint64_t used, peak;	/* frames in use */
	uint64_t *hostmap;	/* host page address >> 12 -> pfn + 1 (hash) */
	size_t hostmap_cap, hostmap_n;
	struct pgt_physmem pm;	/* read interface for the walker */
	struct sim_pool *pool;	/* frozen copy (simmem_freeze), or NULL */
	/*
	 * Host memory: what the store holds (backed frames, frames[] entries
	 * below the bump pointer, the host map, the free lists, and what the
	 * owner charges with simmem_host_charge), and the limit past which
	 * allocations fail (0: none).  host_over names what failed to grow.
	 */
	uint64_t host_bytes, host_limit;
	const char *host_over;
	/* host pages of backed frames, owned by the simmem at the address
	 * it records: a byte copy neither carves from it nor unmaps it
	 * (simmem_clone gives the copy its own), so a simmem that owns an
	 * arena must not be moved */
	struct sim_arena *arena;
};

int simmem_init(struct simmem *sm, uint64_t base, uint64_t size);
void simmem_fini(struct simmem *sm);
/*
 * Allocate 2^order contiguous, naturally aligned frames.  Backed frames
 * are filled with zero bytes.  Returns 0 or -1 when memory is exhausted.
 */
int simmem_alloc(struct simmem *sm, unsigned order, bool backed, uint64_t *pa);
void simmem_free(struct simmem *sm, uint64_t pa);
int simmem_alloc_data0_slow(struct simmem *sm, uint64_t *pfn,
			    struct sim_frame **f);
/*
 * A deep copy of src into dst (not initialised): the metadata of every
 * frame handed out, the free lists, a new host copy of every backed frame
 * (in use or free), the host -> pa map rebuilt for those copies; dst->pm
 * reads dst.  Costs simmem_bytes(src), about: 16 bytes per frame below
 * the bump pointer + 4 KiB per backed frame + the free lists.  src may be
 * frozen.  Returns 0 or -1 when host memory runs out (dst is then empty).
 */
int simmem_clone(struct simmem *dst, const struct simmem *src);
/*
 * A frozen copy (a checkpoint): to be read (pm works) and copied by
 * simmem_clone, never allocated from or written.  Its frames are shared
 * with prev (a frozen copy in the same pool, may be NULL) wherever they
 * hold the same bytes; pool counts the host memory of all its copies,
 * exactly, sharing included: 16 bytes per frame handed out + 8 per free
 * list entry per copy, 4 KiB (+8) per distinct frame.  No host -> pa map.
 * simmem_fini frees it.  Returns 0 or -1 (dst is then empty).
 */
int simmem_freeze(struct simmem *dst, const struct simmem *src,
		  const struct simmem *prev, struct sim_pool *pool);
static inline bool simmem_frozen(const struct simmem *sm)
{
	return sm->pool != 0;
}
/* host bytes a live sm holds (what a clone of it costs) */
size_t simmem_bytes(const struct simmem *sm);
/*
 * Count delta bytes of host memory the owner holds beside the store (what
 * names it in a failure); -1 and host_over set when the limit forbids it.
 * A negative delta (memory given back) always succeeds.
 */
int simmem_host_charge(struct simmem *sm, int64_t delta, const char *what);
/* physical address of a host pointer into a backed frame, or 0 */
uint64_t simmem_host_to_pa(const struct simmem *sm, const void *p);

static inline struct sim_frame *simmem_frame(struct simmem *sm, uint64_t pa)
{
	uint64_t pfn = pa >> SIM_PAGE_SHIFT;

	if (pfn < sm->base_pfn || pfn - sm->base_pfn >= sm->nframes)
		return 0;
	return &sm->frames[pfn - sm->base_pfn];
}

int simmem_freelist_grow(struct sim_freelist *fl);

/*
 * Free one order-0 data frame (the hot path of munmap): no backing, no
 * compound page, so only the metadata and the free list change.
 */
static inline void simmem_free_data0(struct simmem *sm, struct sim_frame *f,
				     uint64_t pfn)
{
	/* the free stack runs through the metadata that is already in the
	 * cache: freeing touches no other memory */
	f->flags = 0;
	f->tag = 0;
	f->refs = sm->free0;
	sm->free0 = (uint32_t)(pfn - sm->base_pfn + 1);
	sm->used--;
}

/*
 * simmem_alloc(sm, 0, false, ...) for the hot path of populate: the same
 * frame simmem_alloc would hand out (the free stack, then the free list,
 * then the bump pointer), its metadata in *f; 0 or -1.  Inline: the
 * common cases are a few instructions, the rest is simmem_alloc's.
 */
static inline int simmem_alloc_data0(struct simmem *sm, uint64_t *pfn,
				     struct sim_frame **f)
{
	uint64_t idx;

	if (sm->free0) {
		idx = sm->free0 - 1;
		sm->free0 = sm->frames[idx].refs;
	} else if (!sm->free_data[0].n && sm->next_pfn < sm->limit_pfn &&
		   sm->next_pfn - sm->base_pfn < sm->nframes &&
		   (!sm->host_limit || sm->host_bytes + sizeof(**f) <=
					       sm->host_limit)) {
		/* the bump pointer within frames[] as it is; its entry
		 * counts against the host limit as in simmem_alloc */
		sm->host_bytes += sizeof(**f);
		idx = sm->next_pfn++ - sm->base_pfn;
	} else {
		return simmem_alloc_data0_slow(sm, pfn, f);
	}
	*f = &sm->frames[idx];
	(*f)->flags = SIMF_ALLOCATED | SIMF_HEAD;
	(*f)->refs = 0;
	(*f)->tag = 0;
	(*f)->order = 0;
	if (++sm->used > sm->peak)
		sm->peak = sm->used;
	*pfn = sm->base_pfn + idx;
	return 0;
}

/* frames[] entries ever handed out (the rest of the reservation is
 * untouched address space: loops must stop here) */
static inline size_t simmem_frames_used(const struct simmem *sm)
{
	return (size_t)(sm->next_pfn - sm->base_pfn);
}

/* host pointer to a backed physical address, or NULL */
static inline void *simmem_ptr(struct simmem *sm, uint64_t pa)
{
	struct sim_frame *f = simmem_frame(sm, pa);

	return f && f->mem ? f->mem + (pa & (SIM_PAGE_SIZE - 1)) : 0;
}

#endif
