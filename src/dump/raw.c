/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Raw images: the file is physical memory from --phys-base on, byte for
 * byte (a /dev/mem copy, QEMU's pmemsave, a memory-backend file).  Read
 * through one read-only mapping, so a large image costs no copying.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include "dump.h"

struct raw_mem {
	const uint8_t *map;
	uint64_t size, base;
};

static int raw_read(struct pgt_physmem *pm, uint64_t pa, void *buf, size_t len)
{
	struct raw_mem *r = pm->priv;

	if (pa < r->base || pa - r->base > r->size ||
	    len > r->size - (pa - r->base))
		return -1;
	memcpy(buf, r->map + (pa - r->base), len);
	return 0;
}

static const void *raw_map(struct pgt_physmem *pm, uint64_t pa, size_t len)
{
	struct raw_mem *r = pm->priv;

	if (pa < r->base || pa - r->base > r->size ||
	    len > r->size - (pa - r->base))
		return NULL;
	return r->map + (pa - r->base);
}

static void raw_close(struct pgt_dump *d)
{
	struct raw_mem *r = d->pm.priv;

	if (r->size)
		munmap((void *)r->map, r->size);
	free(r);
}

int pgt_dump_open_raw(struct pgt_dump *d, int fd, uint64_t phys_base,
		      struct pgt_err *err)
{
	struct raw_mem *r;
	struct stat st;

	if (fstat(fd, &st))
		return pgt_fail(err, PGT_ERR_IO, "%s: %s", d->path,
				strerror(errno));
	if (st.st_size == 0)
		return pgt_fail(err, PGT_ERR_INPUT,
				"%s: offset 0x0: empty file; expected a raw memory image",
				d->path);
	if (phys_base & 0xfff)
		return pgt_fail(err, PGT_ERR_USAGE,
				"--phys-base 0x%llx is not page aligned",
				(unsigned long long)phys_base);
	if (phys_base + (uint64_t)st.st_size < phys_base)
		return pgt_fail(err, PGT_ERR_USAGE,
				"--phys-base 0x%llx + the file size overflows 64 bits",
				(unsigned long long)phys_base);
	r = calloc(1, sizeof(*r));
	d->ranges = calloc(1, sizeof(*d->ranges));
	if (!r || !d->ranges) {
		free(r);
		return pgt_fail(err, PGT_ERR_NOMEM, "out of memory");
	}
	r->map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (r->map == MAP_FAILED) {
		free(r);
		return pgt_fail(err, PGT_ERR_IO, "%s: mmap: %s", d->path,
				strerror(errno));
	}
	r->size = (uint64_t)st.st_size;
	r->base = phys_base;
	d->ranges[0].start = phys_base;
	d->ranges[0].end = phys_base + r->size;
	d->ranges[0].data_end = d->ranges[0].end;
	d->nranges = 1;
	d->pm.read = raw_read;
	d->pm.map = raw_map;
	d->pm.limit = phys_base + r->size;
	d->pm.priv = r;
	d->close = raw_close;
	return PGT_OK;
}
