/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * read: memory contents through the page tables, as crash's rd shows
 * them: lines of up to 16 bytes, and for what cannot be read one hole per
 * stretch, saying why (the address is not mapped, or the memory does not
 * hold the frame: a page filtered out of a kdump, outside every PT_LOAD;
 * the memory's message for the first byte of the stretch).  A line never
 * mixes bytes read with bytes missing.
 */
#include <inttypes.h>
#include "view.h"

struct reader {
	struct pgt_sink *s;
	struct pgt_physmem *mem;
	uint64_t missing;
	/* the open line of bytes */
	struct pgt_rec line;
	/* the open hole */
	bool in_hole;
	struct pgt_rec hole;
	char why[160];
};

static void line_flush(struct reader *r)
{
	if (r->line.u.bytes.n)
		pgt_sink_rec(r->s, &r->line);
	r->line.u.bytes.n = 0;
	r->line.u.bytes.held = 0;
}

static void hole_flush(struct reader *r)
{
	if (r->in_hole)
		pgt_sink_rec(r->s, &r->hole);
	r->in_hole = false;
}

/* n bytes at addr (physical pa) were read into buf */
static void got(struct reader *r, uint64_t addr, uint64_t pa,
		const uint8_t *buf, size_t n)
{
	struct pgt_rec_bytes *b = &r->line.u.bytes;
	size_t i;

	hole_flush(r);
	for (i = 0; i < n; i++) {
		if (b->n && (b->addr + b->n != addr + i || b->n == 16))
			line_flush(r);
		if (!b->n) {
			b->addr = addr + i;
			b->pa = pa + i;
		}
		b->data[b->n] = buf[i];
		b->held |= (uint16_t)(1u << b->n);
		b->n++;
	}
}

/* [addr, addr + n) cannot be read, for this reason */
static void lost(struct reader *r, uint64_t addr, uint64_t n, const char *why,
		 bool unmapped)
{
	struct pgt_rec_hole *h = &r->hole.u.hole;

	line_flush(r);
	r->missing += n;
	/* a stretch not held is one hole whatever page each message names
	 * (it keeps the first); an unmapped one changes with the reason */
	if (r->in_hole && h->end == addr && h->unmapped == unmapped &&
	    (!unmapped || !strcmp(h->why, why))) {
		h->end += n;
		return;
	}
	hole_flush(r);
	snprintf(r->why, sizeof(r->why), "%s", why);
	*h = (struct pgt_rec_hole){ .addr = addr, .end = addr + n,
				    .why = r->why, .unmapped = unmapped };
	r->in_hole = true;
}

static const char *not_held(struct pgt_physmem *m)
{
	const char *why = m->why ? m->why(m) : NULL;

	return why ? why : "not in the memory the dump holds";
}

/* n bytes at physical pa (addr as the user sees them), n <= 16 */
static void read_line(struct reader *r, uint64_t addr, uint64_t pa, size_t n)
{
	uint8_t buf[16];
	uint8_t one;
	size_t i;

	if (!r->mem->read(r->mem, pa, buf, n)) {
		got(r, addr, pa, buf, n);
		return;
	}
	/* a PT_LOAD may end inside a line: byte by byte only then */
	if (n > 1 && r->mem->read(r->mem, pa, &one, 1) &&
	    r->mem->read(r->mem, pa + n - 1, &one, 1)) {
		lost(r, addr, n, not_held(r->mem), false);
		return;
	}
	for (i = 0; i < n; i++) {
		if (!r->mem->read(r->mem, pa + i, &one, 1))
			got(r, addr + i, pa + i, &one, 1);
		else
			lost(r, addr + i, 1, not_held(r->mem), false);
	}
}

/* [addr, addr + n) maps to physical pa onwards */
static int read_span(struct reader *r, uint64_t addr, uint64_t pa, uint64_t n)
{
	uint8_t page[4096];

	while (n) {
		uint64_t in_page = 4096 - (pa & 4095), k = n < in_page ? n : in_page;
		uint64_t off;

		if (r->mem->fail_status)
			return r->mem->fail_status;
		if (!r->mem->read(r->mem, pa, page, (size_t)k)) {
			got(r, addr, pa, page, (size_t)k);
		} else {
			if (r->mem->fail_status)
				return r->mem->fail_status;
			for (off = 0; off < k; off += 16)
				read_line(r, addr + off, pa + off,
					  (size_t)(k - off < 16 ? k - off : 16));
		}
		addr += k;
		pa += k;
		n -= k;
	}
	return PGT_OK;
}

int pgt_view_read(struct pgt_sink *s, const struct pgt_view_src *src,
		  uint64_t addr, uint64_t len, bool phys, uint64_t *missing,
		  struct pgt_err *err)
{
	struct reader r = { .s = s, .mem = src->mem };
	uint64_t end = addr + len;
	int rc = PGT_OK;

	r.line.kind = PGT_REC_BYTES;
	r.hole.kind = PGT_REC_HOLE;
	if (end < addr)
		end = 0;	/* to the top of the address space */
	pgt_sink_begin(s, PGT_VIEW_READ, src->arch);
	while (!rc && addr != end) {
		uint64_t left = end - addr, n;
		struct pgt_xlate x;

		if (phys) {
			rc = read_span(&r, addr, addr, left);
			break;
		}
		rc = pgt_translate(src->arch, src->mem, src->root, addr, &x, err);
		if (rc)
			break;
		if (x.nsteps || x.mapped) {
			const struct pgt_xlate_step *st = &x.step[x.nsteps - 1];
			uint64_t span = x.mapped ? st->ei.size :
					1ull << src->arch->levels[st->level].shift;

			n = span - (addr & (span - 1));
		} else {
			n = left;	/* beyond the top table */
		}
		if (n > left || !n)
			n = left;
		if (x.mapped)
			rc = read_span(&r, addr, x.pa, n);
		else
			lost(&r, addr, n, x.why, true);
		addr += n;
	}
	if (rc && rc != PGT_OK && !err->msg[0])
		pgt_fail(err, rc, "%s", not_held(src->mem));
	line_flush(&r);
	hole_flush(&r);
	pgt_sink_end(s, PGT_VIEW_READ);
	*missing = r.missing;
	return rc;
}
