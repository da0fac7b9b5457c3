/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Simulated physical memory.  Allocation is deterministic (same trace,
 * same addresses): freed blocks are reused last-in first-out, as the
 * kernel's per-CPU page lists hand back the hottest page first; new blocks
 * come from a naturally aligned bump pointer.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "simmem.h"

/*
 * The per-frame metadata and the order-0 free list are reserved for the
 * whole simulated memory at once (address space only, MAP_NORESERVE):
 * host pages are touched as frames are first used, and nothing is ever
 * copied by a realloc while a GiB is being populated.
 */
static void *reserve(size_t bytes)
{
	void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static int sim_read(struct pgt_physmem *pm, uint64_t pa, void *buf, size_t len)
{
	struct simmem *sm = pm->priv;
	uint8_t *out = buf;

	while (len) {
		size_t off = pa & (SIM_PAGE_SIZE - 1);
		size_t n = SIM_PAGE_SIZE - off;
		uint8_t *src = simmem_ptr(sm, pa);

		if (n > len)
			n = len;
		if (!src)
			return -1;
		memcpy(out, src, n);
		out += n;
		pa += n;
		len -= n;
	}
	return 0;
}

int simmem_init(struct simmem *sm, uint64_t base, uint64_t size)
{
	memset(sm, 0, sizeof(*sm));
	sm->base_pfn = base >> SIM_PAGE_SHIFT;
	sm->limit_pfn = (base + size) >> SIM_PAGE_SHIFT;
	sm->next_pfn = sm->base_pfn;
	sm->pm.read = sim_read;
	sm->pm.limit = base + size;
	sm->pm.priv = sm;
	sm->reserved = sm->limit_pfn - sm->base_pfn;
	if (sm->reserved >= (1ull << 32))
		return -1;	/* frame indexes must fit the free stack */
	sm->frames = reserve(sm->reserved * sizeof(*sm->frames));
	if (!sm->frames) {
		sm->reserved = 0;	/* fall back to a growing array */
		return 0;
	}
	sm->nframes = sm->reserved;
	return 0;
}

static void frozen_fini(struct simmem *sm);

void simmem_fini(struct simmem *sm)
{
	size_t i;

	if (sm->pool) {
		frozen_fini(sm);
		return;
	}
	/* only frames below the bump pointer were ever handed out */
	for (i = 0; i < sm->nframes && i < simmem_frames_used(sm); i++)
		if (sm->frames[i].mem && (sm->frames[i].flags & SIMF_HEAD))
			free(sm->frames[i].mem);
	/* blocks on the free lists keep their host memory too */
	for (i = 0; i <= SIM_MAX_ORDER; i++) {
		struct sim_freelist *fl = &sm->free_backed[i];
		size_t j;

		for (j = 0; j < fl->n; j++)
			free(sm->frames[fl->pfn[j] - sm->base_pfn].mem);
		free(fl->pfn);
	}
	for (i = 0; i < SIM_MAX_ORDER + 10; i++)
		free(sm->free_data[i].pfn);
	if (sm->reserved) {
		munmap(sm->frames, sm->reserved * sizeof(*sm->frames));
	} else {
		free(sm->frames);
	}
	free(sm->hostmap);
	memset(sm, 0, sizeof(*sm));
}

/* host page -> pfn map; keys are host page numbers, values pfn + 1 */
static size_t hm_slot(uint64_t key, size_t cap)
{
	return (size_t)((key * 0x9e3779b97f4a7c15ull) >> 17) & (cap - 1);
}

static int hm_put(struct simmem *sm, uint64_t key, uint64_t pfn);

static int hm_grow(struct simmem *sm)
{
	size_t cap = sm->hostmap_cap ? sm->hostmap_cap * 2 : 1024, i;
	uint64_t *old = sm->hostmap, oldcap = sm->hostmap_cap;

	sm->hostmap = calloc(cap * 2, sizeof(uint64_t));
	if (!sm->hostmap) {
		sm->hostmap = old;
		return -1;
	}
	sm->hostmap_cap = cap;
	sm->hostmap_n = 0;
	for (i = 0; i < oldcap; i++)
		if (old[2 * i + 1])
			hm_put(sm, old[2 * i], old[2 * i + 1] - 1);
	free(old);
	return 0;
}

static int hm_put(struct simmem *sm, uint64_t key, uint64_t pfn)
{
	size_t i;

	if (2 * (sm->hostmap_n + 1) > sm->hostmap_cap && hm_grow(sm))
		return -1;
	for (i = hm_slot(key, sm->hostmap_cap);; i = (i + 1) & (sm->hostmap_cap - 1))
		if (!sm->hostmap[2 * i + 1]) {
			sm->hostmap[2 * i] = key;
			sm->hostmap[2 * i + 1] = pfn + 1;
			sm->hostmap_n++;
			return 0;
		}
}

uint64_t simmem_host_to_pa(const struct simmem *sm, const void *p)
{
	uint64_t key = (uint64_t)(uintptr_t)p >> SIM_PAGE_SHIFT;
	size_t i;

	if (!sm->hostmap_cap)
		return 0;
	for (i = hm_slot(key, sm->hostmap_cap); sm->hostmap[2 * i + 1];
	     i = (i + 1) & (sm->hostmap_cap - 1))
		if (sm->hostmap[2 * i] == key)
			return ((sm->hostmap[2 * i + 1] - 1) << SIM_PAGE_SHIFT) |
			       ((uintptr_t)p & (SIM_PAGE_SIZE - 1));
	return 0;
}

static int grow_frames(struct simmem *sm, uint64_t upto_pfn)
{
	size_t need = upto_pfn - sm->base_pfn, cap = sm->nframes;
	struct sim_frame *f;

	if (need <= sm->nframes)
		return 0;
	if (sm->reserved)
		return -1;	/* beyond the reservation: memory is full */
	if (cap < 1024)
		cap = 1024;
	while (cap < need)
		cap *= 2;
	f = realloc(sm->frames, cap * sizeof(*f));
	if (!f)
		return -1;
	memset(f + sm->nframes, 0, (cap - sm->nframes) * sizeof(*f));
	sm->frames = f;
	sm->nframes = cap;
	return 0;
}

int simmem_freelist_grow(struct sim_freelist *fl)
{
	size_t cap = fl->cap ? fl->cap * 2 : 64;
	uint64_t *p = realloc(fl->pfn, cap * sizeof(*p));

	if (!p)
		return -1;
	fl->pfn = p;
	fl->cap = cap;
	return 0;
}

static int fl_push(struct sim_freelist *fl, uint64_t pfn)
{
	if (fl->n == fl->cap && simmem_freelist_grow(fl))
		return -1;
	fl->pfn[fl->n++] = pfn;
	return 0;
}

static void mark_block(struct simmem *sm, uint64_t pfn, unsigned order,
		       uint8_t flags)
{
	uint64_t i, n = 1ull << order;

	for (i = 0; i < n; i++) {
		struct sim_frame *f = &sm->frames[pfn - sm->base_pfn + i];

		f->flags = flags | SIMF_ALLOCATED;
		f->refs = 0;
		f->tag = 0;
		f->order = order;
	}
	sm->frames[pfn - sm->base_pfn].flags |= SIMF_HEAD;
	sm->used += n;
	if (sm->used > sm->peak)
		sm->peak = sm->used;
}

int simmem_alloc(struct simmem *sm, unsigned order, bool backed, uint64_t *pa)
{
	struct sim_freelist *fl = backed ? &sm->free_backed[order]
					 : &sm->free_data[order];
	uint64_t n = 1ull << order, pfn;

	if (order > (backed ? SIM_MAX_ORDER : SIM_MAX_ORDER + 9))
		return -1;
	if (!backed && !order && sm->free0) {
		uint32_t idx = sm->free0 - 1;

		sm->free0 = sm->frames[idx].refs;
		pfn = sm->base_pfn + idx;
	} else if (fl->n) {
		pfn = fl->pfn[--fl->n];
	} else {
		pfn = (sm->next_pfn + n - 1) & ~(n - 1);
		if (pfn + n > sm->limit_pfn || grow_frames(sm, pfn + n))
			return -1;
		/* frames skipped for alignment become free data frames */
		while (sm->next_pfn < pfn) {
			uint64_t skip = sm->next_pfn++;

			sm->used++;	/* simmem_free_data0 counts it back */
			simmem_free_data0(sm, &sm->frames[skip - sm->base_pfn],
					  skip);
		}
		sm->next_pfn = pfn + n;
		if (backed) {
			uint8_t *mem = aligned_alloc(SIM_PAGE_SIZE,
						     n * SIM_PAGE_SIZE);
			uint64_t i;

			if (!mem)
				return -1;
			for (i = 0; i < n; i++) {
				uint8_t *m = mem + i * SIM_PAGE_SIZE;

				sm->frames[pfn - sm->base_pfn + i].mem = m;
				if (hm_put(sm, (uintptr_t)m >> SIM_PAGE_SHIFT,
					   pfn + i))
					return -1;
			}
		}
	}
	if (backed)
		memset(sm->frames[pfn - sm->base_pfn].mem, 0, n * SIM_PAGE_SIZE);
	mark_block(sm, pfn, order, backed ? SIMF_TABLE : 0);
	*pa = pfn << SIM_PAGE_SHIFT;
	return 0;
}

void simmem_free(struct simmem *sm, uint64_t pa)
{
	struct sim_frame *f = simmem_frame(sm, pa);
	uint64_t pfn = pa >> SIM_PAGE_SHIFT, i, n;
	unsigned order;
	bool backed;

	if (!f || !(f->flags & SIMF_HEAD))
		return;
	order = f->order;
	backed = f->mem != 0;
	n = 1ull << order;
	for (i = 0; i < n; i++) {
		f[i].flags = 0;
		f[i].refs = 0;
		f[i].tag = 0;
	}
	if (!backed && !order) {
		sm->used--;
		f->refs = sm->free0;
		sm->free0 = (uint32_t)(pfn - sm->base_pfn + 1);
		return;
	}
	sm->used -= n;
	fl_push(backed ? &sm->free_backed[order] : &sm->free_data[order], pfn);
}

/* ---- copies (engine checkpoints) ---- */

/*
 * One frame of a frozen copy: immutable once made, shared by the frozen
 * copies of one pool whose frame holds the same bytes, freed with the
 * last of them.
 */
struct sim_page {
	uint32_t refs;
	uint8_t data[SIM_PAGE_SIZE];
};

static struct sim_page *page_of(uint8_t *mem)
{
	return (struct sim_page *)(mem - offsetof(struct sim_page, data));
}

static int fl_copy(struct sim_freelist *d, const struct sim_freelist *s)
{
	d->pfn = NULL;
	d->n = d->cap = 0;
	if (!s->n)
		return 0;
	d->pfn = malloc(s->n * sizeof(*d->pfn));
	if (!d->pfn)
		return -1;
	memcpy(d->pfn, s->pfn, s->n * sizeof(*d->pfn));
	d->n = d->cap = s->n;
	return 0;
}

/* everything but the frames' bytes: *d = *s owning nothing, then copies
 * of the metadata of the frames handed out (mem NULL until copied) and
 * of the free lists.  frames[] is a reservation as simmem_init makes it
 * unless compact. */
static int copy_meta(struct simmem *d, const struct simmem *s, bool compact)
{
	size_t used = simmem_frames_used(s), i;

	*d = *s;
	d->pm.priv = d;
	d->frames = NULL;
	d->hostmap = NULL;
	d->hostmap_cap = d->hostmap_n = 0;
	d->pool = NULL;
	for (i = 0; i <= SIM_MAX_ORDER; i++)
		d->free_backed[i] = (struct sim_freelist){ 0 };
	for (i = 0; i < SIM_MAX_ORDER + 10; i++)
		d->free_data[i] = (struct sim_freelist){ 0 };
	if (s->reserved && !compact)
		d->frames = reserve(s->reserved * sizeof(*d->frames));
	if (!d->frames) {
		/* the growing array of simmem_init's fallback, exactly used */
		d->reserved = 0;
		d->nframes = used;
		d->frames = malloc((used ? used : 1) * sizeof(*d->frames));
		if (!d->frames) {
			d->nframes = 0;
			return -1;
		}
	}
	memcpy(d->frames, s->frames, used * sizeof(*d->frames));
	for (i = 0; i < used; i++)
		d->frames[i].mem = NULL;
	for (i = 0; i <= SIM_MAX_ORDER; i++)
		if (fl_copy(&d->free_backed[i], &s->free_backed[i]))
			return -1;
	for (i = 0; i < SIM_MAX_ORDER + 10; i++)
		if (fl_copy(&d->free_data[i], &s->free_data[i]))
			return -1;
	return 0;
}

/* a new host block for the backed block at frame index i, filled page by
 * page (a frozen source keeps its pages apart), and its keys in the
 * host -> pa map (keyed by host addresses: a copy cannot share it) */
static int copy_block(struct simmem *d, const struct simmem *s, size_t i,
		      unsigned order)
{
	size_t n = (size_t)1 << order, k;
	uint8_t *mem = aligned_alloc(SIM_PAGE_SIZE, n * SIM_PAGE_SIZE);

	if (!mem)
		return -1;
	for (k = 0; k < n; k++) {
		uint8_t *m = mem + k * SIM_PAGE_SIZE;

		memcpy(m, s->frames[i + k].mem, SIM_PAGE_SIZE);
		d->frames[i + k].mem = m;
		if (hm_put(d, (uintptr_t)m >> SIM_PAGE_SHIFT,
			   d->base_pfn + i + k))
			return -1;
	}
	return 0;
}

int simmem_clone(struct simmem *d, const struct simmem *s)
{
	size_t used = simmem_frames_used(s), i, j;

	if (copy_meta(d, s, false))
		goto fail;
	if (s->hostmap_cap) {
		d->hostmap = calloc(s->hostmap_cap * 2, sizeof(uint64_t));
		if (!d->hostmap)
			goto fail;
		d->hostmap_cap = s->hostmap_cap;
	}
	/* backed blocks in use, then those on the free lists (they keep
	 * their host memory for reuse) */
	for (i = 0; i < used; i++)
		if (s->frames[i].mem && (s->frames[i].flags & SIMF_HEAD) &&
		    copy_block(d, s, i, s->frames[i].order))
			goto fail;
	for (i = 0; i <= SIM_MAX_ORDER; i++)
		for (j = 0; j < s->free_backed[i].n; j++)
			if (copy_block(d, s, s->free_backed[i].pfn[j] -
				       s->base_pfn, (unsigned)i))
				goto fail;
	return 0;
fail:
	simmem_fini(d);
	return -1;
}

/* what a frozen copy holds besides its pages */
static size_t frozen_meta_bytes(const struct simmem *sm)
{
	size_t bytes = simmem_frames_used(sm) * sizeof(*sm->frames), i;

	for (i = 0; i <= SIM_MAX_ORDER; i++)
		bytes += sm->free_backed[i].n * sizeof(uint64_t);
	for (i = 0; i < SIM_MAX_ORDER + 10; i++)
		bytes += sm->free_data[i].n * sizeof(uint64_t);
	return bytes;
}

int simmem_freeze(struct simmem *d, const struct simmem *s,
		  const struct simmem *prev, struct sim_pool *pool)
{
	size_t used = simmem_frames_used(s), pused, i;

	if (copy_meta(d, s, true)) {
		simmem_fini(d);
		return -1;
	}
	d->pool = pool;
	pool->bytes += frozen_meta_bytes(d);
	pused = prev && prev->pool == pool ? simmem_frames_used(prev) : 0;
	for (i = 0; i < used; i++) {
		const uint8_t *src = s->frames[i].mem;
		struct sim_page *pg;

		if (!src)
			continue;
		if (i < pused && prev->frames[i].mem &&
		    !memcmp(prev->frames[i].mem, src, SIM_PAGE_SIZE)) {
			pg = page_of(prev->frames[i].mem);
			pg->refs++;
		} else {
			pg = malloc(sizeof(*pg));
			if (!pg) {
				simmem_fini(d);
				return -1;
			}
			pg->refs = 1;
			memcpy(pg->data, src, SIM_PAGE_SIZE);
			pool->bytes += sizeof(*pg);
		}
		d->frames[i].mem = pg->data;
	}
	return 0;
}

/* simmem_fini of a frozen copy: its pages are per frame and shared */
static void frozen_fini(struct simmem *sm)
{
	size_t used = simmem_frames_used(sm), i;

	for (i = 0; i < sm->nframes && i < used; i++) {
		struct sim_page *pg;

		if (!sm->frames[i].mem)
			continue;
		pg = page_of(sm->frames[i].mem);
		if (--pg->refs)
			continue;
		free(pg);
		sm->pool->bytes -= sizeof(*pg);
	}
	sm->pool->bytes -= frozen_meta_bytes(sm);
	for (i = 0; i <= SIM_MAX_ORDER; i++)
		free(sm->free_backed[i].pfn);
	for (i = 0; i < SIM_MAX_ORDER + 10; i++)
		free(sm->free_data[i].pfn);
	free(sm->frames);
	memset(sm, 0, sizeof(*sm));
}

size_t simmem_bytes(const struct simmem *sm)
{
	size_t used = simmem_frames_used(sm), bytes, i;

	/* frames[]: the pages touched of a reservation, else the array */
	bytes = sm->reserved ? (used * sizeof(*sm->frames) + SIM_PAGE_SIZE - 1) &
			       ~(size_t)(SIM_PAGE_SIZE - 1)
			     : sm->nframes * sizeof(*sm->frames);
	for (i = 0; i < used; i++)
		if (sm->frames[i].mem)
			bytes += SIM_PAGE_SIZE;
	for (i = 0; i <= SIM_MAX_ORDER; i++)
		bytes += sm->free_backed[i].cap * sizeof(uint64_t);
	for (i = 0; i < SIM_MAX_ORDER + 10; i++)
		bytes += sm->free_data[i].cap * sizeof(uint64_t);
	return bytes + sm->hostmap_cap * 2 * sizeof(uint64_t);
}
