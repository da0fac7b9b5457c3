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
/*
 * frames[] of the live store, which populate fills entry after entry,
 * is asked for in 2 MiB pages where the host has transparent huge pages
 * (madvise mode): populating a GiB otherwise took a host page fault per
 * 256 frames, a fifth of its time in perf (issue 13).  Best effort:
 * without THP nothing changes.  Not for checkpoints' copies (many, each
 * a little used, would each hold 2 MiB) nor for the table arena: 24,000
 * forked s390x mms took 2.6 times as long with it (the kernel zeroing
 * and compacting huge pages for tables written a few bytes each).
 */
static void host_huge(void *p, size_t bytes)
{
#ifdef MADV_HUGEPAGE
	madvise(p, bytes, MADV_HUGEPAGE);
#else
	(void)p;
	(void)bytes;
#endif
}

static void *reserve(size_t bytes)
{
	void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/*
 * Host pages of backed frames come from large mapped chunks, carved in
 * order: an aligned_alloc per table costs glibc up to a page more for the
 * alignment (a forked s390x mm held 48 KiB of host memory for 36 KiB of
 * tables) and slows every later allocation.  Blocks are never given back
 * one by one: freed backed blocks wait on free_backed with their memory.
 * The arena belongs to the simmem whose address it records: a byte copy
 * of a simmem (a checkpoint) neither carves from it nor unmaps it, and
 * blocks of such a copy that are not in its own arena are free()d.
 */
#define ARENA_MIN (256u << 10)
#define ARENA_MAX (64u << 20)

struct sim_arena {
	const struct simmem *owner;
	uint8_t *next;		/* carved up to here in the last chunk */
	size_t left;
	struct { uint8_t *base; size_t len; } *chunk;
	size_t n, cap;
};

static struct sim_arena *arena_of(struct simmem *sm)
{
	struct sim_arena *a = sm->arena;

	if (a && a->owner == sm)
		return a;
	a = calloc(1, sizeof(*a));
	if (a)
		a->owner = sm;
	sm->arena = a;
	return a;
}

static bool in_arena(const struct simmem *sm, const void *p)
{
	const struct sim_arena *a = sm->arena;
	const uint8_t *q = p;
	size_t i;

	if (!a || a->owner != sm)
		return false;
	for (i = 0; i < a->n; i++)
		if (q >= a->chunk[i].base && q < a->chunk[i].base + a->chunk[i].len)
			return true;
	return false;
}

static int arena_chunk(struct sim_arena *a, size_t need)
{
	size_t len = a->n ? a->chunk[a->n - 1].len * 2 : ARENA_MIN;
	void *p;

	if (len > ARENA_MAX)
		len = ARENA_MAX;
	if (len < need)
		len = need;
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 16;
		void *c = realloc(a->chunk, cap * sizeof(*a->chunk));

		if (!c)
			return -1;
		a->chunk = c;
		a->cap = cap;
	}
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		 -1, 0);
	if (p == MAP_FAILED)
		return -1;
	a->chunk[a->n].base = p;
	a->chunk[a->n++].len = len;
	a->next = p;
	a->left = len;
	return 0;
}

/* n page-aligned host pages for a backed block */
static uint8_t *arena_alloc(struct simmem *sm, size_t n)
{
	struct sim_arena *a = arena_of(sm);
	size_t bytes = n * SIM_PAGE_SIZE;
	uint8_t *p;

	if (!a || (a->left < bytes && arena_chunk(a, bytes)))
		return NULL;
	p = a->next;
	a->next += bytes;
	a->left -= bytes;
	return p;
}

static void arena_free(struct simmem *sm)
{
	struct sim_arena *a = sm->arena;
	size_t i;

	if (!a || a->owner != sm)
		return;
	for (i = 0; i < a->n; i++)
		munmap(a->chunk[i].base, a->chunk[i].len);
	free(a->chunk);
	free(a);
	sm->arena = NULL;
}

static void free_block(struct simmem *sm, uint8_t *mem)
{
	if (mem && !in_arena(sm, mem))
		free(mem);
}

/* host memory the store is about to take: refused past the limit */
static int host_take(struct simmem *sm, uint64_t bytes, const char *what)
{
	if (sm->host_limit && (sm->host_bytes + bytes > sm->host_limit ||
			       sm->host_bytes + bytes < sm->host_bytes)) {
		sm->host_over = what;
		return -1;
	}
	sm->host_bytes += bytes;
	return 0;
}

int simmem_host_charge(struct simmem *sm, int64_t delta, const char *what)
{
	if (delta >= 0)
		return host_take(sm, (uint64_t)delta, what);
	sm->host_bytes -= (uint64_t)-delta <= sm->host_bytes ?
			  (uint64_t)-delta : sm->host_bytes;
	return 0;
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
	host_huge(sm->frames, sm->reserved * sizeof(*sm->frames));
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
			free_block(sm, sm->frames[i].mem);
	/* blocks on the free lists keep their host memory too */
	for (i = 0; i <= SIM_MAX_ORDER; i++) {
		struct sim_freelist *fl = &sm->free_backed[i];
		size_t j;

		for (j = 0; j < fl->n; j++)
			free_block(sm, sm->frames[fl->pfn[j] - sm->base_pfn].mem);
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
	arena_free(sm);
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
	/* counted, not refused: at most 64 bytes per backed page, checked
	 * with the pages themselves */
	sm->host_bytes += (cap - oldcap) * 2 * sizeof(uint64_t);
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

/* simmem_freelist_grow, counted (at most 8 bytes per frame freed) */
static int fl_grow(struct simmem *sm, struct sim_freelist *fl)
{
	size_t cap = fl->cap;

	if (simmem_freelist_grow(fl))
		return -1;
	sm->host_bytes += (fl->cap - cap) * sizeof(*fl->pfn);
	return 0;
}

static int fl_push(struct simmem *sm, struct sim_freelist *fl, uint64_t pfn)
{
	if (fl->n == fl->cap && fl_grow(sm, fl))
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
		uint64_t host;

		pfn = (sm->next_pfn + n - 1) & ~(n - 1);
		if (pfn + n > sm->limit_pfn)
			return -1;
		/* frames[] entries are touched from here on, and a backed
		 * block takes its pages: both count against the limit */
		host = (pfn + n - sm->next_pfn) * sizeof(*sm->frames) +
		       (backed ? n * SIM_PAGE_SIZE : 0);
		if (host_take(sm, host, backed ?
			      "page-table frames and their metadata" :
			      "the metadata of data frames"))
			return -1;
		if (grow_frames(sm, pfn + n)) {
			sm->host_bytes -= host;
			return -1;
		}
		/* frames skipped for alignment become free data frames */
		while (sm->next_pfn < pfn) {
			uint64_t skip = sm->next_pfn++;

			sm->used++;	/* simmem_free_data0 counts it back */
			simmem_free_data0(sm, &sm->frames[skip - sm->base_pfn],
					  skip);
		}
		sm->next_pfn = pfn + n;
		if (backed) {
			uint8_t *mem = arena_alloc(sm, n);
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

int simmem_alloc_data0_slow(struct simmem *sm, uint64_t *pfn,
			    struct sim_frame **f)
{
	uint64_t p;

	if (simmem_alloc(sm, 0, false, &p))
		return -1;
	*pfn = p >> SIM_PAGE_SHIFT;
	*f = &sm->frames[*pfn - sm->base_pfn];
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
	fl_push(sm, backed ? &sm->free_backed[order] : &sm->free_data[order],
		pfn);
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

/* a free list with the same capacity (the host memory charged for it
 * stays true); a frozen one never grows: it holds just its n entries,
 * but keeps the capacity its copies will have */
static int fl_copy(struct sim_freelist *d, const struct sim_freelist *s,
		   bool frozen)
{
	size_t alloc = frozen ? s->n : s->cap;

	d->pfn = NULL;
	d->n = 0;
	d->cap = frozen ? s->cap : 0;
	if (!alloc)
		return 0;
	d->pfn = malloc(alloc * sizeof(*d->pfn));
	if (!d->pfn)
		return -1;
	if (s->n)	/* a frozen list of capacity only has no array */
		memcpy(d->pfn, s->pfn, s->n * sizeof(*d->pfn));
	d->n = s->n;
	d->cap = s->cap;
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
	d->arena = NULL;	/* s's; d carves its own when it needs one */
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
		if (fl_copy(&d->free_backed[i], &s->free_backed[i], compact))
			return -1;
	for (i = 0; i < SIM_MAX_ORDER + 10; i++)
		if (fl_copy(&d->free_data[i], &s->free_data[i], compact))
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
	uint8_t *mem = arena_alloc(d, n);

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
	/* the map at the size hm_put's growth gives for the backed frames
	 * (a frozen source has none), already counted in host_bytes */
	for (i = j = 0; i < used; i++)
		j += s->frames[i].mem != NULL;
	if (j) {
		size_t cap = 1024;

		while (cap < 2 * j)
			cap *= 2;
		d->hostmap = calloc(cap * 2, sizeof(uint64_t));
		if (!d->hostmap)
			goto fail;
		d->hostmap_cap = cap;
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
