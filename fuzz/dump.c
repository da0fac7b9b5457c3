/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Harness: the dump openers (ELF, kdump, flattened kdump by content; any
 * other input as a raw image of each arch), the arch detection, the roots
 * from registers and VMCOREINFO, the scan for roots, the choice of a root
 * by each kind of --root spec, and every walk view of the roots found.
 *
 * Bounds: inputs above FUZZ_MAX_DUMP are skipped (a dump's work grows
 * with what it holds; the seeds are table-only slices well below), at
 * most FUZZ_MAX_ROOTS roots are walked per input, each walk reads at
 * most FUZZ_WALK_BYTES of tables.
 */
#include <string.h>
#include <unistd.h>
#include "fuzz.h"
#include "dump/dump.h"

#define FUZZ_MAX_DUMP (1u << 20)
#define FUZZ_MAX_ROOTS 4

/* --root specs of every kind (NULL: the default choice) */
static const char *const root_specs[] = {
	NULL, "kernel", "user", "cpu0", "cpu1-user", "scan0", "0x1000",
};

struct walked {
	uint64_t v[FUZZ_MAX_ROOTS];
	size_t n;
};

static void walk_root(struct walked *w, struct pgt_dump *d,
		      const struct pgt_arch *a, uint64_t root,
		      struct pgt_render *r, enum pgt_format fmt)
{
	static const uint64_t va[] = {
		0, 0x1000, 0x8048000, 0xc0000000, 0x3ffff000000ull,
		0xffffffffull, ~0ull,
	};
	struct pgt_view_src src = { 0 };
	size_t i;

	for (i = 0; i < w->n; i++)
		if (w->v[i] == root)
			return;
	if (w->n == FUZZ_MAX_ROOTS)
		return;
	w->v[w->n++] = root;
	src.arch = a;
	src.mem = &d->pm;
	src.root = root;
	src.name = "fuzz";
	src.data_check = true;
	fuzz_views(r, fmt, &src, va, sizeof(va) / sizeof(va[0]));
}

/* the views over every root walked (ptov, aliases, W+X) and read
 * through the first, over one budget (each walks every root) */
static void over_roots(const struct walked *w, struct pgt_dump *d,
		       const struct pgt_arch *a, struct pgt_render *r,
		       enum pgt_format fmt)
{
	static const uint64_t pas[] = { 0, 0x1000, 0x100000, 0x2200000 };
	struct pgt_view_root vr[FUZZ_MAX_ROOTS];
	struct pgt_view_src src = { .arch = a, .name = "fuzz",
				    .data_check = true };
	struct pgt_sink *s = pgt_render_sink(r);
	struct pgt_err err = { 0 };
	struct fuzz_mem m;
	uint64_t n;
	size_t i;

	for (i = 0; i < w->n; i++) {
		vr[i].name = "fuzz";
		vr[i].value = w->v[i];
	}
	fuzz_mem_init(&m, &d->pm, FUZZ_WALK_BYTES);
	src.mem = &m.pm;
	src.root = w->n ? w->v[0] : 0;
	if (pgt_render_can(fmt, PGT_VIEW_PTOV))
		pgt_view_ptov(s, &src, vr, w->n, pas,
			      sizeof(pas) / sizeof(pas[0]), &err);
	if (pgt_render_can(fmt, PGT_VIEW_ALIASES))
		pgt_view_aliases(s, &src, vr, w->n, &err);
	if (pgt_render_can(fmt, PGT_VIEW_WX))
		pgt_view_wx(s, &src, vr, w->n, &n, &err);
	if (w->n && pgt_render_can(fmt, PGT_VIEW_READ)) {
		pgt_view_read(s, &src, 0x8048000 - 8, 64, false, &n, &err);
		pgt_view_read(s, &src, 0xffff0, 32, true, &n, &err);
	}
}

static void roots(struct pgt_dump *d, const struct pgt_arch *a,
		  struct pgt_render *r, enum pgt_format fmt)
{
	struct pgt_dump_roots rs = { 0 };
	struct pgt_err err = { 0 };
	struct walked w = { .n = 0 };
	uint64_t root;
	size_t i;

	pgt_dump_find_roots(d, a, &rs, &err);
	pgt_dump_scan_roots(d, a, &rs, &err);
	for (i = 0; i < sizeof(root_specs) / sizeof(root_specs[0]); i++)
		if (!pgt_dump_pick_root(d, a, &rs, root_specs[i], &root, &err))
			walk_root(&w, d, a, root, r, fmt);
	for (i = 0; i < rs.n; i++)
		walk_root(&w, d, a, rs.v[i].value, r, fmt);
	over_roots(&w, d, a, r, fmt);
	pgt_dump_roots_free(&rs);
}

/* what the container told: VMCOREINFO keys, reads at range edges */
static void container(struct pgt_dump *d)
{
	uint8_t buf[16];
	char val[64];
	size_t i;

	pgt_vmcoreinfo_get(d, "SYMBOL(swapper_pg_dir)", val, sizeof(val));
	pgt_vmcoreinfo_get(d, "OSRELEASE", val, sizeof(val));
	for (i = 0; i < d->nranges && i < 64; i++) {
		pgt_phys_read(&d->pm, d->ranges[i].start, buf, sizeof(buf));
		pgt_phys_read(&d->pm, d->ranges[i].end - 8, buf, 8);
		if (d->pm.why)
			d->pm.why(&d->pm);
	}
}

static void one(int fd, const char *raw_arch, size_t size)
{
	/* raw images: at 0 or where the synthetic dumps put their RAM */
	struct pgt_dump_opts o = { .arch = raw_arch,
				   .phys_base = (size / 2) % 2 ? 0x100000 : 0 };
	const struct pgt_arch *a = NULL;
	struct pgt_err err = { 0 };
	struct pgt_render *r;
	enum pgt_format fmt;
	struct pgt_dump *d;
	char how[128];
	size_t narch = 0;

	if (pgt_dump_open_fd(&d, fd, "fuzz", &o, &err))
		return;
	while (pgt_arch_nth(narch))
		narch++;
	container(d);
	if (pgt_dump_detect_arch(d, raw_arch, &a, how, sizeof(how), &err))
		/* as --arch would force it */
		pgt_dump_detect_arch(d, pgt_arch_nth(size % narch)->name, &a,
				     how, sizeof(how), &err);
	r = fuzz_render(NULL, size, &fmt);
	if (a && r)
		roots(d, a, r, fmt);
	if (r)
		pgt_render_finish(r);
	pgt_dump_close(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64];
	size_t i;
	int fd;

	if (size > FUZZ_MAX_DUMP)
		return 0;
	fd = fuzz_memfd(data, size, path, sizeof(path));
	if (fd < 0)
		return 0;
	if (pgt_dump_sniff(data, size) >= 0)
		one(fd, NULL, size);
	else
		for (i = 0; pgt_arch_nth(i); i++)
			one(fd, pgt_arch_nth(i)->name, size);
	close(fd);
	return 0;
}
