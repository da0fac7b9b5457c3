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
#include "dump.h"

/* Flattened: standard-layout bytes [off, off + len) are at file_off. */
struct kd_piece {
	uint64_t off, len, file_off;
};

struct kd_src {
	int fd;
	const char *path;	/* for messages (kdump.c: its own copy) */
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

/* kdump-comp.c: the compressions of pages (descriptor flags 0x1, 0x2, 0x4,
 * 0x20), whichever this build can decompress */
enum kd_comp { KD_COMP_ZLIB, KD_COMP_LZO, KD_COMP_SNAPPY, KD_COMP_ZSTD,
	       KD_NCOMP };
struct kd_codec;

struct kd_codec *kd_codec_new(enum pgt_inflater how);
void kd_codec_free(struct kd_codec *c);
/* "lzo" */
const char *kd_comp_name(enum kd_comp c);
/* NULL when this build decompresses c, else the library it lacks and how
 * to get it */
const char *kd_comp_missing(enum kd_comp c);
/* "zlib" or "libdeflate": which inflates zlib pages */
const char *kd_codec_inflater(const struct kd_codec *c);
/* One page: n stored bytes to exactly want bytes.  0, or -1 with why[]
 * saying what is wrong with the data (or which library is missing). */
int kd_decompress(struct kd_codec *c, enum kd_comp comp, const uint8_t *in,
		  size_t n, uint8_t *out, size_t want, char *why, size_t len);

#endif
