/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * s390x arch operations: 'sie' (s390_enable_sie), 'essa' (a KVM guest's
 * ESSA requests as the host emulates them) and 'host' (what the host does
 * to the guest's pages), on the state model of s390.md §7: each 4 KiB
 * page of the mm has a usage state (S U V P, kept in the PGSTE's GPS
 * USAGE bits) and a content state derived from the PTE and the PGSTE:
 *   r  resident       the PTE is present (valid, or old/protnone: the
 *                     frame is in memory either way)
 *   p  preserved      the PTE is a swap entry
 *   z  logically 0    PGSTE ZERO set, or no backing at all (PTE none)
 * (s390.md §7.4 gives "r <=> PTE valid"; an old PTE has I set on s390
 * yet its page is resident, so presence is used.)  A state is reported as
 * its ESSA result byte (s390.md §7.3): usage 0x0c, content 0x03.  The
 * impossible states Up Vp Pp Pz can never be produced: every transition
 * below is one of the allowed ones of s390.md §7.2.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include "s390-priv.h"

#define U_S 0x00u	/* stable */
#define U_U 0x04u	/* unused */
#define U_P 0x08u	/* potentially volatile */
#define U_V 0x0cu	/* volatile */
#define C_R 0x00u
#define C_P 0x02u
#define C_Z 0x03u

/* GPS USAGE values: 0 stable, 1 unused, 2 potentially volatile,
 * 3 volatile, i.e. the ESSA usage code >> 2 */
static inline unsigned usage_of(uint64_t pgste)
{
	return (unsigned)((pgste & PGSTE_USAGE) >> PGSTE_USAGE_SHIFT) << 2;
}

static inline uint64_t with_usage(uint64_t pgste, unsigned u)
{
	return (pgste & ~PGSTE_USAGE) |
	       ((uint64_t)(u >> 2) << PGSTE_USAGE_SHIFT);
}

static inline bool is_swap(uint64_t pte)
{
	return pte != PTE_EMPTY && (pte & (PTE_P | SW_PRESENT)) == PTE_P;
}

static unsigned content_of(uint64_t pte, uint64_t pgste)
{
	if (pte & SW_PRESENT)
		return C_R;
	if (is_swap(pte))
		return C_P;
	return C_Z;
}

static const char *state_str(unsigned s, char *buf)
{
	buf[0] = "SUPV"[s >> 2];
	buf[1] = "r?pz"[s & 3];
	buf[2] = '\0';
	return buf;
}

static bool impossible(unsigned s)
{
	unsigned u = s & 0x0c, c = s & 3;

	return (c == C_P && u != U_S) || (u == U_P && c != C_R);
}

/* one guest page: where its PTE and PGSTE are */
struct gpage {
	struct pgt_mm *mm;
	struct pgt_vma *vma;
	uint64_t va;
	uint8_t *pte;		/* NULL: no page table yet */
	uint64_t ptev, pgstev;
};

static struct pgt_vma *find_vma(struct pgt_mm *mm, uint64_t va)
{
	size_t lo = 0, hi = mm->nvma;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (mm->vma[mid].end <= va)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < mm->nvma && mm->vma[lo].start <= va)
		return &mm->vma[lo];
	return NULL;
}

/* get_locked_pte: the PTE slot of va, allocating tables if asked */
static uint8_t *pte_slot(struct pgt_engine *e, struct pgt_mm *mm, uint64_t va,
			 bool alloc, int *rc)
{
	const struct pgt_arch *a = pgt_mach(e)->arch;
	uint64_t table = mm->top, next;
	int l;

	*rc = 0;
	for (l = mm->top_level; l < L_PT; l++) {
		const struct pgt_level *L = &a->levels[l];
		uint8_t *slot = (uint8_t *)pgt_phys(e, table) +
				((va >> L->shift) & (L->nentries - 1u)) * 8u;
		enum pgt_ent_kind k = a->mm->upper_kind(e, l, be64_ld(slot), &next);

		if (k == PGT_ENT_LEAF) {
			*rc = -EBUSY;	/* no huge PMDs once has_pgste */
			return NULL;
		}
		if (k != PGT_ENT_TABLE) {
			if (!alloc)
				return NULL;
			if (a->mm->table_alloc(e, mm, l + 1, &next)) {
				*rc = -ENOMEM;
				return NULL;
			}
			a->mm->upper_populate(e, mm, l, va, slot, next);
		}
		table = next;
	}
	return (uint8_t *)pgt_phys(e, table) + ((va >> 12) & 255) * 8u;
}

static int gpage_get(struct pgt_engine *e, struct gpage *g, uint64_t va,
		     bool alloc)
{
	int rc;

	g->va = va;
	g->pte = pte_slot(e, g->mm, va, alloc, &rc);
	g->ptev = g->pte ? be64_ld(g->pte) : PTE_EMPTY;
	g->pgstev = g->pte ? be64_ld(g->pte + 2048) : 0;
	return rc;
}

static unsigned gpage_state(const struct gpage *g)
{
	return usage_of(g->pgstev) | content_of(g->ptev, g->pgstev);
}

static void ev_pagestate(struct pgt_engine *e, struct gpage *g, unsigned from,
			 unsigned to)
{
	char a[3], b[3], text[16];
	struct pgt_event ev = {
		.type = PGT_EV_PAGESTATE, .op = pgt_mach(e)->op_index, .mm = g->mm->id,
		.level = L_PT, .va = g->va, .old = from, .new = to,
		.half = -1, .text = text,
	};

	if (!pgt_ev_on(e) || from == to)
		return;
	snprintf(text, sizeof(text), "%s -> %s", state_str(from, a),
		 state_str(to, b));
	pgt_ev_emit(e, &ev);
}

static void put_pgste(struct pgt_engine *e, struct gpage *g, uint64_t v)
{
	uint64_t old = be64_ld(g->pte + 2048);

	be64_st(g->pte + 2048, v);
	g->pgstev = v;
	pgt_ev_entry(e, g->mm, L_PGSTE, g->va, g->pte + 2048, old, v);
}

static void put_pte(struct pgt_engine *e, struct gpage *g, uint64_t v)
{
	uint64_t old = g->ptev;

	v = s390x_store_mask(e, v);
	be64_st(g->pte, v);
	g->ptev = v;
	s390x_pgste_commit(e, g->mm, g->pte, v);
	g->pgstev = be64_ld(g->pte + 2048);
	pgt_ev_entry(e, g->mm, L_PT, g->va, g->pte, old, v);
	pgt_trans(e, pgt_mach(e)->rules->leaf_state(e, L_PT, old),
		  pgt_mach(e)->rules->leaf_state(e, L_PT, v));
}

/* the host drops the content: swap slot or frame gone, logically zero */
static void discard(struct pgt_engine *e, struct gpage *g, unsigned usage)
{
	uint64_t old = g->ptev;

	if (old & SW_PRESENT) {
		/* try_to_unmap_one: ptep_clear_flush, the direct path */
		s390x_pte_flush_direct(e, g->mm, old);
		/* the zero page is not counted (zap_pte_range) */
		if (!(old & SW_SPECIAL)) {
			pgt_page_put(e, s390x_pte_pfn_of(old));
			g->mm->rss--;
		}
	}
	if (old != PTE_EMPTY)
		put_pte(e, g, PTE_EMPTY);
	put_pgste(e, g, with_usage(g->pgstev & ~PGSTE_GC, usage) | PGSTE_ZERO);
}

/* the host pages a resident page out: a swap entry, content preserved;
 * the change bit (our PTE dirty bit) is kept in the PGSTE's GC */
static void swap_out(struct pgt_engine *e, struct gpage *g)
{
	struct s390_priv *p = s390_priv(e);
	uint64_t old = g->ptev, pfn = s390x_pte_pfn_of(old), swp;
	bool excl = pgt_page_anon_exclusive(e, pfn);

	s390x_pte_flush_direct(e, g->mm, old);
	pgt_page_put(e, pfn);
	g->mm->rss--;
	swp = (p->swap_next++ << 12) | PTE_I | PTE_P |
	      (old & SW_SOFT_DIRTY) | (excl ? PTE_BIT52 : 0);
	put_pte(e, g, swp);
	put_pgste(e, g, with_usage(g->pgstev & ~(PGSTE_GC | PGSTE_ZERO), U_S) |
			   ((old & SW_DIRTY) ? PGSTE_GC : 0));
}

/* a fresh frame for the page: swap-in or first touch of a zero page;
 * an mm with PGSTEs never maps the shared zero page (UNVERIFIED: 6.1's
 * mm_forbids_zeropage is assumed to cover has_pgste mms) */
static int make_resident(struct pgt_engine *e, struct gpage *g)
{
	const struct pgt_arch *a = pgt_mach(e)->arch;
	uint64_t old = g->ptev, pfn, pte;
	bool was_swap = is_swap(old);

	if (pgt_page_alloc(e, 0, &pfn))
		return -ENOMEM;
	pgt_page_get(e, pfn);
	pte = a->mm->mk_pte(e, pfn, a->mm->vm_prot(e, g->vma->flags));
	if (was_swap) {
		/* do_swap_page for a read access: young, not writable */
		pgt_page_set_exclusive(e, pfn, old & PTE_BIT52);
		pte |= old & SW_SOFT_DIRTY;
	} else {
		/* do_anonymous_page: a new anonymous page */
		pgt_page_set_exclusive(e, pfn, true);
		if (g->vma->flags & VM_WRITE)
			pte = a->mm->pte_mkwrite(a->mm->pte_mkdirty(pte));
	}
	g->mm->rss++;
	put_pte(e, g, pte);
	put_pgste(e, g, g->pgstev & ~(PGSTE_ZERO | PGSTE_GC));
	return 0;
}

/* ---- the guest: ESSA set requests (s390.md §7.2 first table) ---- */

static unsigned essa_target(const struct gpage *g, int req)
{
	unsigned s = gpage_state(g), c = s & 3;

	switch (req) {
	case PGT_ESSA_STABLE:
		return U_S | c;
	case PGT_ESSA_UNUSED:
		return U_U | (c == C_R ? C_R : C_Z);
	case PGT_ESSA_VOLATILE:
		return U_V | (c == C_R ? C_R : C_Z);
	default:	/* potentially volatile */
		if (c == C_R)
			return U_P | C_R;
		if (c == C_P && (g->pgstev & PGSTE_GC))
			return U_S | C_P;	/* changed: kept preserved */
		return U_V | C_Z;		/* the guest cannot make Pz */
	}
}

static void essa_apply(struct pgt_engine *e, struct gpage *g, unsigned to)
{
	unsigned from = gpage_state(g);

	if ((to & 3) == C_Z && (from & 3) != C_Z)
		discard(e, g, to & 0x0c);	/* Sp -> Uz / Vz */
	else if ((to & 3) == C_Z && (to & 0x0c) != U_S)
		/* unused/volatile on a page without content: reported for
		 * discard and marked ZERO (pgste_perform_essa, s390.md §7.4) */
		put_pgste(e, g, with_usage(g->pgstev, to & 0x0c) | PGSTE_ZERO);
	else
		put_pgste(e, g, with_usage(g->pgstev, to & 0x0c));
}

/* ---- the host (s390.md §7.2 host-initiated and access tables) ---- */

static const char *const host_names[] = {
	[PGT_HOST_DISCARD] = "discard", [PGT_HOST_SWAPOUT] = "swapout",
	[PGT_HOST_SWAPIN] = "swapin", [PGT_HOST_ACCESS] = "access",
};

static const char *const host_expect[] = {
	[PGT_HOST_DISCARD] = "Ur, Vr or Pr",
	[PGT_HOST_SWAPOUT] = "Sr or Pr",
	[PGT_HOST_SWAPIN] = "Sp",
	[PGT_HOST_ACCESS] = "any state",
};

static bool host_allowed(const struct gpage *g, int act)
{
	unsigned s = gpage_state(g);

	switch (act) {
	case PGT_HOST_DISCARD:
		return s == (U_U | C_R) || s == (U_V | C_R) || s == (U_P | C_R);
	case PGT_HOST_SWAPOUT:
		/* the shared zero page is never swapped out */
		return (s == (U_S | C_R) || s == (U_P | C_R)) &&
		       !(g->ptev & SW_SPECIAL);
	case PGT_HOST_SWAPIN:
		return s == (U_S | C_P);
	default:
		return true;
	}
}

/* a potentially-volatile page: dirty -> preserved (Sp), clean -> Vz */
static void evict_pv(struct pgt_engine *e, struct gpage *g)
{
	if (g->ptev & SW_DIRTY)
		swap_out(e, g);
	else
		discard(e, g, U_V);
}

static int host_apply(struct pgt_engine *e, struct gpage *g, int act)
{
	unsigned s = gpage_state(g);

	switch (act) {
	case PGT_HOST_DISCARD:
		if ((s & 0x0c) == U_P)
			evict_pv(e, g);
		else
			discard(e, g, s & 0x0c);	/* Ur -> Uz, Vr -> Vz */
		return 0;
	case PGT_HOST_SWAPOUT:
		if ((s & 0x0c) == U_P)
			evict_pv(e, g);
		else
			swap_out(e, g);			/* Sr -> Sp */
		return 0;
	case PGT_HOST_SWAPIN:
		return make_resident(e, g);		/* Sp -> Sr */
	default:
		break;
	}
	/* access */
	if (s == (U_S | C_Z) || s == (U_S | C_P))
		return make_resident(e, g);		/* Sz, Sp -> Sr */
	if (s == (U_V | C_Z))
		pgt_ev_note(e, g->mm, "access to va 0x%llx in state Vz: discard fault (program interruption 0x1a) to the guest",
			    (unsigned long long)g->va);
	else if ((s & 0x0c) == U_U)
		pgt_ev_note(e, g->mm, "access to va 0x%llx in an unused state: addressing exception",
			    (unsigned long long)g->va);
	return 0;
}

/* ---- the operations ---- */

static bool any_huge(struct pgt_engine *e, int level, uint64_t table,
		     uint64_t base, uint64_t *where)
{
	const struct pgt_level *L = &pgt_mach(e)->arch->levels[level];
	uint8_t *p = pgt_phys(e, table);
	unsigned i;

	for (i = 0; i < L->nentries; i++) {
		uint64_t v = be64_ld(p + 8 * i), next;
		uint64_t va = base + ((uint64_t)i << L->shift);
		enum pgt_ent_kind k = pgt_mach(e)->rules->upper_kind(e, level, v, &next);

		if (k == PGT_ENT_LEAF) {
			*where = va;
			return true;
		}
		if (k == PGT_ENT_TABLE && level + 1 < L_PT &&
		    any_huge(e, level + 1, next, va, where))
			return true;
	}
	return false;
}

/* s390_enable_sie: the mm must have 4 KiB tables (alloc_pgste) */
static int op_sie(struct pgt_engine *e, const struct pgt_op *op,
		  struct pgt_err *err)
{
	struct pgt_mm *mm = pgt_mach(e)->cur;
	struct s390_mm *sm = S390_MM(mm);
	uint64_t where;

	if (!sm->alloc_pgste)
		return pgt_fail(err, PGT_ERR_INPUT,
				"sie needs pgste=on (vm.allocate_pgste): mm %d has 2 KiB page tables without PGSTEs; expected 'set pgste=on' before the first operation",
				mm->id);
	if (sm->has_pgste)
		return PGT_OK;
	if (any_huge(e, mm->top_level, mm->top, 0, &where))
		return pgt_fail(err, PGT_ERR_UNSUPPORTED,
				"sie: mm %d maps a transparent huge page at 0x%llx; splitting THPs in s390_enable_sie (thp_split_mm) is not modelled; expected 'set thp=never' or 'advise ... nohugepage' before populating",
				mm->id, (unsigned long long)where);
	sm->has_pgste = true;
	pgt_ev_note(e, mm, "s390_enable_sie: mm %d runs KVM guests (has_pgste); no THP from now on",
		    mm->id);
	return PGT_OK;
}

static int check_range(struct pgt_engine *e, const struct pgt_op *op,
		       struct pgt_err *err, uint64_t *start, uint64_t *end)
{
	const char *name = pgt_op_name(op->kind);
	uint64_t va;

	if (!S390_MM(pgt_mach(e)->cur)->has_pgste)
		return pgt_fail(err, PGT_ERR_INPUT,
				"%s needs a KVM guest: mm %d has not run 'sie'; expected 'sie' first",
				name, pgt_mach(e)->cur->id);
	*start = op->addr & ~0xfffull;
	*end = (op->addr + op->len + 0xfff) & ~0xfffull;
	if (*end <= *start)
		return pgt_fail(err, PGT_ERR_INPUT, "%s: empty or wrapping range 0x%llx+0x%llx",
				name, (unsigned long long)op->addr,
				(unsigned long long)op->len);
	for (va = *start; va < *end; va += 4096)
		if (!find_vma(pgt_mach(e)->cur, va))
			return pgt_fail(err, PGT_ERR_INPUT,
					"%s: guest page 0x%llx is not mapped by mm %d (no VMA); expected guest memory allocated with 'alloc'",
					name, (unsigned long long)va,
					pgt_mach(e)->cur->id);
	return PGT_OK;
}

static int op_essa(struct pgt_engine *e, const struct pgt_op *op,
		   struct pgt_err *err)
{
	struct gpage g = { .mm = pgt_mach(e)->cur };
	uint64_t start, end, va;
	char a[3], b[3];
	int rc = check_range(e, op, err, &start, &end);

	for (va = start; !rc && va < end; va += 4096) {
		unsigned from, to;

		g.vma = find_vma(g.mm, va);
		if (gpage_get(e, &g, va, true))
			return pgt_fail(err, PGT_ERR_LIMIT,
					"essa: no page table for 0x%llx (out of simulated memory)",
					(unsigned long long)va);
		from = gpage_state(&g);
		to = essa_target(&g, op->sub);
		if (impossible(to))
			return pgt_fail(err, PGT_ERR_INVARIANT,
					"invariant S14 violated after op %lu (mm %d): essa would make page 0x%llx %s -> %s",
					pgt_mach(e)->op_index, g.mm->id,
					(unsigned long long)va, state_str(from, a),
					state_str(to, b));
		essa_apply(e, &g, to);
		ev_pagestate(e, &g, from, gpage_state(&g));
	}
	return rc;
}

static int op_host(struct pgt_engine *e, const struct pgt_op *op,
		   struct pgt_err *err)
{
	struct gpage g = { .mm = pgt_mach(e)->cur };
	uint64_t start, end, va;
	char a[3];
	int rc = check_range(e, op, err, &start, &end);

	/* first every page, so that a refused action changes nothing */
	for (va = start; !rc && va < end; va += 4096) {
		g.vma = find_vma(g.mm, va);
		gpage_get(e, &g, va, false);
		if (!host_allowed(&g, op->sub))
			return pgt_fail(err, PGT_ERR_INPUT,
					"host %s is not allowed for guest page 0x%llx in state %s%s; expected %s",
					host_names[op->sub],
					(unsigned long long)va,
					state_str(gpage_state(&g), a),
					op->sub == PGT_HOST_SWAPOUT &&
					(g.ptev & SW_SPECIAL) ?
					" (the shared zero page)" : "",
					host_expect[op->sub]);
	}
	for (va = start; !rc && va < end; va += 4096) {
		unsigned from;

		g.vma = find_vma(g.mm, va);
		if (gpage_get(e, &g, va, true))
			return pgt_fail(err, PGT_ERR_LIMIT,
					"host: no page table for 0x%llx (out of simulated memory)",
					(unsigned long long)va);
		from = gpage_state(&g);
		if (host_apply(e, &g, op->sub))
			return pgt_fail(err, PGT_ERR_LIMIT,
					"host %s: out of simulated memory at 0x%llx",
					host_names[op->sub],
					(unsigned long long)va);
		ev_pagestate(e, &g, from, gpage_state(&g));
	}
	return rc;
}

const struct pgt_arch_op s390x_ops[] = {
	{ PGT_OP_SIE, op_sie },
	{ PGT_OP_ESSA, op_essa },
	{ PGT_OP_HOST, op_host },
	{ PGT_OP__COUNT, NULL },
};
