/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Harness: random page tables for each arch.  The input is a header and
 * physical memory; the walker (tree, ranges, pages, walk summary, the
 * leaf iterator) and translate run from the header's root over it:
 *
 *   byte 0      arch (modulo the archs registered); bit 7: the memory
 *               offers map() (the walker's no-copy path) besides read()
 *   bytes 1-8   the root (CR3 / ASCE), little-endian
 *   bytes 9-16  an address to translate, little-endian
 *   bytes 17-20 the physical address of the memory's first byte >> 12
 *   the rest    the memory (at most FUZZ_MAX_MEM bytes)
 *
 * The walker visits each table once, so the work is bounded by the
 * memory's size.
 */
#include <string.h>
#include "fuzz.h"

#define FUZZ_HDR 21
#define FUZZ_MAX_MEM (256u << 10)

struct input_mem {
	struct pgt_physmem pm;
	const uint8_t *b;
	uint64_t base, len;
};

static bool inside(const struct input_mem *m, uint64_t pa, size_t len)
{
	return pa >= m->base && pa - m->base <= m->len &&
	       len <= m->len - (pa - m->base);
}

static int in_read(struct pgt_physmem *pm, uint64_t pa, void *buf,
		   size_t len)
{
	struct input_mem *m = pm->priv;

	if (!inside(m, pa, len))
		return -1;
	memcpy(buf, m->b + (pa - m->base), len);
	return 0;
}

static const void *in_map(struct pgt_physmem *pm, uint64_t pa, size_t len)
{
	struct input_mem *m = pm->priv;

	return inside(m, pa, len) ? m->b + (pa - m->base) : NULL;
}

static uint64_t le(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input_mem m;
	struct pgt_view_src src = { 0 };
	const struct pgt_arch *a;
	struct pgt_render *r;
	enum pgt_format fmt;
	uint64_t va[3];
	size_t narch = 0;

	if (size < FUZZ_HDR || size - FUZZ_HDR > FUZZ_MAX_MEM)
		return 0;
	while (pgt_arch_nth(narch))
		narch++;
	memset(&m, 0, sizeof(m));
	a = pgt_arch_nth((data[0] & 0x7f) % narch);
	m.b = data + FUZZ_HDR;
	m.len = size - FUZZ_HDR;
	m.base = le(data + 17, 4) << 12;
	m.pm.read = in_read;
	m.pm.map = data[0] & 0x80 ? in_map : NULL;
	m.pm.limit = m.base + m.len;
	m.pm.priv = &m;
	src.arch = a;
	src.mem = &m.pm;
	src.root = le(data + 1, 8);
	src.name = "fuzz";
	va[0] = le(data + 9, 8);
	va[1] = 0;
	va[2] = a->user_limit - 1;
	r = fuzz_render(data, size, &fmt);
	if (!r)
		return 0;
	fuzz_views(r, fmt, &src, va, 3);
	pgt_render_finish(r);
	return 0;
}
