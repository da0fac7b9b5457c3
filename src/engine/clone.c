/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Deep copies of the engine between two operations: the checkpoints a
 * session restores to move backwards.  Everything the next operation can
 * read is copied (simulated memory, allocator and free lists, mms with
 * VMAs and deposit lists, arch state, counters, flush records); nothing
 * is shared, so a copy and its original live and die independently.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "engine-priv.h"

/* the heap an mm owns (not the struct), without any arch teardown */
static void mm_drop_heap(const struct pgt_arch *a, struct pgt_mm *mm)
{
	deposit_drop_mm(NULL, mm);
	if (mm->arch && a->mm->mm_priv_free)
		a->mm->mm_priv_free(mm);
	free(mm->arch);
	free(mm->vma);
}

/* what a copy owns on the heap: for copies that failed half way and
 * checkpoints */
static void mm_release(const struct pgt_arch *a, struct pgt_mm *mm)
{
	mm_drop_heap(a, mm);
	free(mm);
}

/*
 * A dead mm in a checkpoint: an exited mm never changes again (no op
 * reaches it, its id is never reused), so checkpoints share it and the
 * pool counts it once.  A long trace leaves thousands of them.
 */
struct frozen_mm {
	unsigned refs;
	size_t bytes;
	struct pgt_mm mm;
};

static struct frozen_mm *frozen_mm_of(struct pgt_mm *mm)
{
	return (struct frozen_mm *)((char *)mm -
				    offsetof(struct frozen_mm, mm));
}

static void frozen_mm_put(const struct pgt_arch *a, struct sim_pool *pool,
			  struct pgt_mm *mm)
{
	struct frozen_mm *f = frozen_mm_of(mm);

	if (--f->refs)
		return;
	pool->bytes -= f->bytes;
	mm_drop_heap(a, mm);
	free(f);
}

/* a checkpoint keeps plain-bytes arch state packed (clone_priv) */
static bool priv_packed(const struct pgt_engine *e)
{
	return simmem_frozen(&e->m.mem) && !e->m.rules->priv_clone;
}

/* pgt_engine_free of a checkpoint, or of a copy that failed half way:
 * no arch teardown, which would write into frames a checkpoint shares */
void engine_release(struct pgt_engine *e)
{
	bool frozen = simmem_frozen(&e->m.mem), packed = priv_packed(e);
	size_t i;

	for (i = 0; i < e->m.nmms; i++) {
		if (!e->m.mms[i])
			continue;
		if (frozen && e->m.mms[i]->dead)
			frozen_mm_put(e->m.arch, e->m.mem.pool, e->m.mms[i]);
		else
			mm_release(e->m.arch, e->m.mms[i]);
	}
	free(e->m.mms);
	simmem_fini(&e->m.mem);
	if (e->m.arch_priv && e->m.rules->priv_free && !packed)
		e->m.rules->priv_free(e);
	free(e->m.arch_priv);
	free(e->flush);
	free(e);
}

/*
 * m (allocated) becomes a copy of s; on failure m owns no heap.  The VMA
 * array keeps its capacity (the host memory charged for it stays true),
 * but holds only its entries where it can never grow: in a checkpoint
 * and in an exited mm.
 */
static int mm_fill(const struct pgt_arch *a, struct pgt_mm *m,
		   const struct pgt_mm *s, bool frozen, size_t *bytes)
{
	size_t nv = frozen || s->dead ? s->nvma : s->cap;
	long b;

	*m = *s;
	m->vma = NULL;
	m->nvma = 0;
	m->dep = NULL;
	m->ndep = m->cdep = 0;
	m->arch = NULL;
	m->cap = s->cap;
	if (nv) {
		m->vma = malloc(nv * sizeof(*m->vma));
		if (!m->vma)
			goto fail;
		if (s->nvma)	/* a frozen copy's may have no array */
			memcpy(m->vma, s->vma, s->nvma * sizeof(*m->vma));
		m->nvma = s->nvma;
	}
	b = deposit_clone_mm(m, s);
	if (b < 0)
		goto fail;
	*bytes += sizeof(*m) + nv * sizeof(*m->vma) + (size_t)b;
	if (!a->mm->mm_priv_size)
		return 0;
	m->arch = malloc(a->mm->mm_priv_size);
	if (!m->arch)
		goto fail;
	memcpy(m->arch, s->arch, a->mm->mm_priv_size);
	b = a->mm->mm_priv_clone ? a->mm->mm_priv_clone(m, s) : 0;
	if (b < 0)
		goto fail;
	*bytes += a->mm->mm_priv_size + (size_t)b;
	return 0;
fail:
	mm_drop_heap(a, m);
	return -1;
}

static struct pgt_mm *mm_clone(const struct pgt_arch *a,
			       const struct pgt_mm *s, bool frozen,
			       size_t *bytes)
{
	struct pgt_mm *m = malloc(sizeof(*m));

	if (m && mm_fill(a, m, s, frozen, bytes)) {
		free(m);
		m = NULL;
	}
	return m;
}

/* dead mm s in a checkpoint: prev's (p, the same mm) shared, or a copy */
static struct pgt_mm *frozen_dead(const struct pgt_arch *a,
				  const struct pgt_mm *s, struct pgt_mm *p,
				  struct sim_pool *pool)
{
	struct frozen_mm *f;

	if (p && p->dead && p->id == s->id) {
		frozen_mm_of(p)->refs++;
		return p;
	}
	f = malloc(sizeof(*f));
	if (!f)
		return NULL;
	f->refs = 1;
	f->bytes = sizeof(*f) - sizeof(f->mm);
	if (mm_fill(a, &f->mm, s, true, &f->bytes)) {
		free(f);
		return NULL;
	}
	pool->bytes += f->bytes;
	return &f->mm;
}

static struct pgt_mm *map_mm(const struct pgt_engine *d,
			     const struct pgt_mm *s)
{
	return s ? d->m.mms[s->id] : NULL;
}

/* prev: a checkpoint in pool to share dead mms with (may be NULL) */
static int clone_mms(struct pgt_engine *d, const struct pgt_engine *s,
		     const struct pgt_engine *prev, struct sim_pool *pool,
		     size_t *bytes)
{
	size_t i;

	if (!s->m.nmms)
		return 0;
	d->m.mms = calloc(s->m.nmms, sizeof(*d->m.mms));
	if (!d->m.mms)
		return -1;
	d->m.nmms = s->m.nmms;
	*bytes += s->m.nmms * sizeof(*d->m.mms);
	if (prev && prev->m.mem.pool != pool)
		prev = NULL;
	for (i = 0; i < s->m.nmms; i++) {
		if (!s->m.mms[i])
			continue;
		if (pool && s->m.mms[i]->dead)
			d->m.mms[i] = frozen_dead(d->m.arch, s->m.mms[i],
						prev && i < prev->m.nmms ?
						prev->m.mms[i] : NULL, pool);
		else
			d->m.mms[i] = mm_clone(d->m.arch, s->m.mms[i], pool != NULL,
					     bytes);
		if (!d->m.mms[i])
			return -1;
	}
	d->m.cur = map_mm(d, s->m.cur);
	for (i = 0; i < PGT_MAX_CPUS; i++)
		d->m.cpu_mm[i] = map_mm(d, s->m.cpu_mm[i]);
	return 0;
}

/*
 * A checkpoint keeps plain-bytes arch state packed: only its 64-byte
 * blocks that hold a non-zero byte, after a map of them (PAE's pgd slab
 * table takes 183 KiB, nearly all zeros while few mms live).  Archs
 * with priv_clone own heap state: theirs is copied as it is.
 */
#define PACK_BLOCK 64

static const uint8_t *zero_block(void)
{
	static const uint8_t zero[PACK_BLOCK];

	return zero;
}

static size_t block_len(size_t i, size_t size)
{
	size_t off = i * PACK_BLOCK;

	return size - off < PACK_BLOCK ? size - off : PACK_BLOCK;
}

static void *priv_pack(const uint8_t *p, size_t size, size_t *bytes)
{
	size_t nb = (size + PACK_BLOCK - 1) / PACK_BLOCK, i, used = 0;
	size_t mapb = (nb + 7) / 8;
	uint8_t *out, *map, *data;

	for (i = 0; i < nb; i++)
		used += !!memcmp(p + i * PACK_BLOCK, zero_block(),
				 block_len(i, size));
	out = malloc(mapb + used * PACK_BLOCK);
	if (!out)
		return NULL;
	map = out;
	data = out + mapb;
	memset(map, 0, mapb);
	for (i = 0; i < nb; i++) {
		size_t len = block_len(i, size);

		if (!memcmp(p + i * PACK_BLOCK, zero_block(), len))
			continue;
		map[i / 8] |= (uint8_t)(1u << (i % 8));
		memcpy(data, p + i * PACK_BLOCK, len);
		data += PACK_BLOCK;
	}
	*bytes += mapb + used * PACK_BLOCK;
	return out;
}

static void priv_unpack(uint8_t *p, const uint8_t *packed, size_t size)
{
	size_t nb = (size + PACK_BLOCK - 1) / PACK_BLOCK, i;
	const uint8_t *data = packed + (nb + 7) / 8;

	memset(p, 0, size);
	for (i = 0; i < nb; i++)
		if (packed[i / 8] & (1u << (i % 8))) {
			memcpy(p + i * PACK_BLOCK, data, block_len(i, size));
			data += PACK_BLOCK;
		}
}

static int clone_priv(struct pgt_engine *d, const struct pgt_engine *s,
		      bool pack, size_t *bytes)
{
	const struct pgt_arch *a = s->m.arch;
	size_t size = a->mm->priv_size;
	long b;

	if (!size)
		return 0;
	if (pack && !a->mm->priv_clone) {
		d->m.arch_priv = priv_pack(s->m.arch_priv, size, bytes);
		return d->m.arch_priv ? 0 : -1;
	}
	d->m.arch_priv = malloc(size);
	if (!d->m.arch_priv)
		return -1;
	if (priv_packed(s))
		priv_unpack(d->m.arch_priv, s->m.arch_priv, size);
	else
		memcpy(d->m.arch_priv, s->m.arch_priv, size);
	b = a->mm->priv_clone ? a->mm->priv_clone(d, s) : 0;
	if (b < 0)
		return -1;
	*bytes += size + (size_t)b;
	return 0;
}

int pgt_engine_set_flush_records(struct pgt_engine *e,
				 const struct pgt_flush_rec *recs, size_t n,
				 struct pgt_err *err)
{
	struct pgt_flush_rec *p = NULL;

	if (n && !(p = malloc(n * sizeof(*p))))
		return pgt_fail(err, PGT_ERR_NOMEM, "out of memory");
	if (n)
		memcpy(p, recs, n * sizeof(*p));
	free(e->flush);
	e->flush = p;
	e->nflush = e->cflush = n;
	return PGT_OK;
}

static struct pgt_engine *copy_engine(const struct pgt_engine *s,
				      unsigned flags,
				      const struct pgt_engine *prev,
				      struct sim_pool *pool, size_t *bytes,
				      struct pgt_err *err)
{
	struct pgt_engine *d;
	size_t b = sizeof(*d);
	int rc = 0;

	if (s->m.op) {
		pgt_fail(err, PGT_ERR_USAGE,
			 "the engine is copied between operations, not during op %lu",
			 s->m.op_index);
		return NULL;
	}
	d = malloc(sizeof(*d));
	if (!d)
		goto nomem;
	/* the scalars and counters as they are; d owns nothing yet */
	*d = *s;
	d->m.nev = 0;	/* a copy is silent until someone listens to it */
	memset(&d->m.mem, 0, sizeof(d->m.mem));
	d->m.arch_priv = NULL;
	d->m.mms = NULL;
	d->m.nmms = 0;
	d->m.cur = NULL;
	memset(d->m.cpu_mm, 0, sizeof(d->m.cpu_mm));
	d->flush = NULL;
	d->nflush = d->cflush = 0;
	if (s->started && pool)
		rc = simmem_freeze(&d->m.mem, &s->m.mem, prev ? &prev->m.mem : NULL,
				   pool);
	else if (s->started)
		rc = simmem_clone(&d->m.mem, &s->m.mem);
	if (rc)
		goto fail;
	if (s->started && !pool)
		b += simmem_bytes(&d->m.mem);
	/* after the memory: a packed state belongs to a frozen copy */
	if (clone_priv(d, s, s->started && pool, &b))
		goto fail;
	if (clone_mms(d, s, prev, pool, &b))
		goto fail;
	if (!(flags & PGT_CLONE_NO_FLUSH_RECS) &&
	    pgt_engine_set_flush_records(d, s->flush, s->nflush, err))
		goto fail;
	b += d->nflush * sizeof(*d->flush);
	if (bytes)
		*bytes = b;
	return d;
fail:
	engine_release(d);
nomem:
	pgt_fail(err, PGT_ERR_NOMEM, "out of memory copying the engine state");
	return NULL;
}

struct pgt_engine *pgt_engine_clone(const struct pgt_engine *e,
				    unsigned flags, size_t *bytes,
				    struct pgt_err *err)
{
	return copy_engine(e, flags, NULL, NULL, bytes, err);
}

struct pgt_engine *pgt_engine_checkpoint(const struct pgt_engine *e,
					 const struct pgt_engine *prev,
					 struct sim_pool *pool, size_t *bytes,
					 struct pgt_err *err)
{
	return copy_engine(e, PGT_CLONE_NO_FLUSH_RECS, prev, pool, bytes, err);
}
