/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Private to kdump.c and kdump-flat.c: the bytes of a kdump-compressed
 * file as its standard layout has them, whether the file is in that layout
 * or in the flattened one (a stream of records "these bytes belong at
 * offset X of the standard layout").  kdump.c only ever asks for
 * standard-layout offsets; a flattened file is served from an index of its
 * records, never reassembled.
 */
#ifndef PGT_KDUMP_PRIV_H
#define PGT_KDUMP_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "../lib/status.h"

/* Flattened: standard-layout bytes [off, off + len) are at file_off. */
struct kd_piece {
	uint64_t off, len, file_off;
};

struct kd_src {
	int fd;
	const char *path;	/* for messages; only used while opening */
	uint64_t file_size;	/* of fd */
	/* size of the standard layout: file_size, or the end of the furthest
	 * record of a flattened file (bytes no record holds read as zero) */
	uint64_t size;
	bool flat;
	struct kd_piece *piece;	/* flattened: sorted by off, disjoint */
	size_t npieces;
};

/* kd_src_read results */
enum {
	KD_READ_IO = -1,	/* the file could not be read (errno) */
	KD_READ_OK = 0,
	KD_READ_SHORT = 1,	/* the range reaches past s->size */
};

/* Check the flattened header and index the records of s->fd. */
int kd_flat_index(struct kd_src *s, struct pgt_err *err);
/* Copy len bytes at standard-layout offset off. */
int kd_src_read(const struct kd_src *s, uint64_t off, void *buf, size_t len);
/* The first standard-layout offset >= off that may hold a byte other than
 * zero (a hole of a sparse file, or no record of a flattened one, reads as
 * zeros); s->size when there is none. */
uint64_t kd_src_next_data(const struct kd_src *s, uint64_t off);
/* Where standard-layout offset off is in the file; false when in no record */
bool kd_src_file_off(const struct kd_src *s, uint64_t off, uint64_t *file_off);
void kd_src_free(struct kd_src *s);

#endif
