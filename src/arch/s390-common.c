/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Parts shared by the s390 formats: machine options, the per-mm
 * pgtable_list of page-table pages with a free fragment (s390.md §3.2),
 * CRST table allocation and the messages of invariant violations.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>
#include "s390-priv.h"
#include "../lib/options.h"

/* ---- options ---- */

/* the default machine: a recent z/Architecture CPU as in the real dump,
 * with NX (130), EDAT-1 (8) and IDTE (3); vm.allocate_pgste off */
void s390_priv_defaults(struct s390_priv *p)
{
	p->configured = true;
	p->nx = true;
	p->edat = true;
	p->idte = true;
	p->pgste = false;
}

int s390_set_option(struct pgt_engine *e, const char *key, const char *val,
		    struct pgt_err *err)
{
	struct s390_priv *p = s390_priv(e);
	bool *b = NULL;

	if (!strcmp(key, "nx"))
		b = &p->nx;
	else if (!strcmp(key, "edat"))
		b = &p->edat;
	else if (!strcmp(key, "idte"))
		b = &p->idte;
	else if (!strcmp(key, "pgste"))
		b = &p->pgste;
	if (!b)
		return pgt_fail(err, PGT_ERR_INPUT,
				"unknown option '%s' for arch s390x; expected one of profile, cpus, mem, thp, thp-zero-page, nx, edat, idte, pgste",
				key);
	if (pgt_parse_on_off(val, b))
		return pgt_fail(err, PGT_ERR_INPUT,
				"bad %s '%s' for arch s390x; expected on or off",
				key, val);
	return PGT_OK;
}

int s390_set_option31(struct pgt_engine *e, const char *key, const char *val,
		      struct pgt_err *err)
{
	return pgt_fail(err, PGT_ERR_INPUT,
			"unknown option '%s' for arch s390; expected one of profile, cpus, mem, thp, thp-zero-page (the 31-bit machine has no NX, EDAT, IDTE or PGSTEs)",
			key);
}

const char *s390_describe_options(struct pgt_engine *e)
{
	static char buf[96];
	struct s390_priv *p = s390_priv(e);

	snprintf(buf, sizeof(buf), "nx=%s edat=%s idte=%s pgste=%s",
		 p->nx ? "on" : "off", p->edat ? "on" : "off",
		 p->idte ? "on" : "off", p->pgste ? "on" : "off");
	return buf;
}

/* ---- pgtable_list: a small array, [0] is list_first_entry ---- */

static ssize_t list_find(const struct s390_mm *sm, uint64_t page)
{
	size_t i;

	for (i = 0; i < sm->nlist; i++)
		if (sm->list[i] == page)
			return (ssize_t)i;
	return -1;
}

bool s390_list_has(const struct s390_mm *sm, uint64_t page)
{
	return list_find(sm, page) >= 0;
}

void s390_list_del(struct s390_mm *sm, uint64_t page)
{
	ssize_t i = list_find(sm, page);

	if (i < 0)
		return;
	memmove(&sm->list[i], &sm->list[i + 1],
		(sm->nlist - (size_t)i - 1) * sizeof(*sm->list));
	sm->nlist--;
}

/* list_add (head) or list_add_tail; a page already listed moves */
void s390_list_add(struct s390_mm *sm, uint64_t page, bool tail)
{
	s390_list_del(sm, page);
	if (sm->nlist == sm->clist) {
		size_t c = sm->clist ? sm->clist * 2 : 16;
		uint64_t *l = realloc(sm->list, c * sizeof(*l));

		if (!l)
			return;	/* the page is simply not reused */
		sm->list = l;
		sm->clist = c;
	}
	if (tail) {
		sm->list[sm->nlist++] = page;
		return;
	}
	memmove(&sm->list[1], &sm->list[0], sm->nlist * sizeof(*sm->list));
	sm->list[0] = page;
	sm->nlist++;
}

void s390_mm_priv_free(struct pgt_mm *mm)
{
	struct s390_mm *sm = S390_MM(mm);

	free(sm->list);
	sm->list = NULL;
	sm->nlist = sm->clist = 0;
}

/* a checkpoint's copy of the pgtable_list (the rest is plain bytes) */
long s390_mm_priv_clone(struct pgt_mm *dst, const struct pgt_mm *src)
{
	const struct s390_mm *s = src->arch;
	struct s390_mm *d = S390_MM(dst);

	d->list = NULL;
	d->clist = 0;
	if (!s->nlist) {
		d->nlist = 0;
		return 0;
	}
	d->list = malloc(s->nlist * sizeof(*d->list));
	if (!d->list) {
		d->nlist = 0;
		return -1;
	}
	memcpy(d->list, s->list, s->nlist * sizeof(*d->list));
	d->clist = d->nlist = s->nlist;
	return (long)(s->nlist * sizeof(*d->list));
}

/* ---- tables ---- */

void s390_fill(void *mem, size_t n, unsigned entsize, uint64_t val)
{
	uint8_t *p = mem;
	size_t done, total = n * entsize;

	if (!total)
		return;
	if (entsize == 8)
		be64_st(p, val);
	else
		be32_st(p, (uint32_t)val);
	/* doubling copies: a 16 KiB CRST table in 11 memcpys instead of
	 * 2,048 (one per entry was most of the time of a fork) */
	for (done = entsize; done < total; done *= 2)
		memcpy(p + done, p, done <= total - done ? done : total - done);
}

/* crst_table_alloc + crst_table_init: every entry the level's empty value */
int s390_crst_alloc(struct pgt_engine *e, struct pgt_mm *mm, int level,
		    unsigned order, uint64_t *pa)
{
	const struct pgt_level *L = &pgt_mach(e)->arch->levels[level];

	if (simmem_alloc(&pgt_mach(e)->mem, order, true, pa))
		return -ENOMEM;
	s390_fill(pgt_phys(e, *pa), L->nentries, L->entsize, L->empty);
	mm->nr_tables[level]++;
	pgt_ev_table(e, mm, true, level, *pa, L->table_size, -1);
	return 0;
}

void s390_crst_free(struct pgt_engine *e, struct pgt_mm *mm, int level,
		    uint64_t pa)
{
	pgt_ev_table(e, mm, false, level, pa, pgt_mach(e)->arch->levels[level].table_size,
		     -1);
	simmem_free(&pgt_mach(e)->mem, pa);
}

/* ---- findings ---- */

/* remember the first violation seen where no error can be returned */
void s390_note_bad(struct pgt_engine *e, const char *fmt, ...)
{
	struct s390_priv *p = s390_priv(e);
	va_list ap;

	if (p->bad[0])
		return;
	va_start(ap, fmt);
	vsnprintf(p->bad, sizeof(p->bad), fmt, ap);
	va_end(ap);
}

int s390_inv(struct pgt_engine *e, struct pgt_err *err, const char *id,
	     int mm, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return pgt_fail(err, PGT_ERR_INVARIANT,
			"invariant %s violated after op %lu (mm %d): %s", id,
			pgt_mach(e)->op_index, mm, msg);
}
