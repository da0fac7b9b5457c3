/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * kdump-compressed dumps: makedumpfile's "diskdump" format, in its standard
 * layout or flattened (kdump-flat.c), as makedumpfile and QEMU's
 * dump-guest-memory -z write them.
 *
 * Standard layout, in blocks of block_size bytes (the dumped machine's page
 * size): block 0 the disk_dump_header, then sub_hdr_size blocks holding the
 * kdump_sub_header (plus the notes and VMCOREINFO it points to), then
 * bitmap_blocks blocks of two bitmaps of equal size (1: pages that exist,
 * 2: pages dumped), then one 24-byte page descriptor per bit set in bitmap
 * 2, in PFN order, then the page data.  Every number is in the dumped
 * machine's byte order, and "long" fields are its word size, so both are
 * told from the header itself.
 *
 * Reading a page: its descriptor index is the number of bitmap-2 bits
 * before it (the count kept with its bitmap word + one popcount), its data
 * is decompressed (kdump-comp.c: zlib, lzo, snappy, zstd, whichever this
 * build has) into a small LRU of pages, so walking page tables costs one
 * decompression per table page.  A page in a compression this build lacks
 * cannot be read, like a corrupt one: the walk makes it a finding.
 *
 * Split sets (makedumpfile --split): several files, each the same header,
 * bitmaps, notes and VMCOREINFO, but the descriptors and data of one PFN
 * range only (sub-header split = 1, start_pfn/end_pfn, the 64-bit copies
 * in version 6); a part's first descriptor is that of the first dumped PFN
 * >= its start_pfn (makedumpfile.c, reassemble_kdump_pages).  They are read
 * as one dump once they are shown to belong together: the same main header
 * byte for byte (what makedumpfile --reassemble checks), the same bitmap 2, and
 * ranges that cover 0 .. max_mapnr exactly once.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "dump.h"
#include "kdump-priv.h"

#define KD_SIG "KDUMP   "
#define KD_SIG_LEN 8
#define KD_VERSION_MAX 6	/* the newest header this file reads */
#define KD_VERSION_SANE 10	/* beyond this, header_version is garbage */
#define KD_UTS_LEN 65
#define KD_UTS_MACHINE (12 + 4 * KD_UTS_LEN)
#define KD_BLOCK_MIN 512
#define KD_BLOCK_MAX (1u << 20)
#define KD_CPUS_MAX 65536
#define KD_DESC_SIZE 24

/* header status bits and page descriptor flags (same values) */
#define KD_ZLIB 0x1
#define KD_LZO 0x2
#define KD_SNAPPY 0x4
#define KD_INCOMPLETE 0x8
#define KD_EXCL_VMEMMAP 0x10
#define KD_ZSTD 0x20
#define KD_ANY_COMP (KD_ZLIB | KD_LZO | KD_SNAPPY | KD_ZSTD)
#define KD_PARTS_MAX 256	/* files of a split set */

/* the page cache: 256 pages, but no more than 4 MiB of big pages */
#define KD_CACHE_PAGES 256
#define KD_CACHE_BYTES (4u << 20)
#define KD_CACHE_MIN 8
#define KD_HASH_BITS 9		/* 512 buckets for 256 pages */

/* Where the disk_dump_header fields are for one word size: the timeval
 * before them is two longs. */
struct kd_hdr_layout {
	int word;
	unsigned timestamp, status, block_size, sub_hdr_size, bitmap_blocks;
	unsigned max_mapnr, nr_cpus, len;
};

static const struct kd_hdr_layout hdr32 = {
	4, 0x194, 0x19c, 0x1a0, 0x1a4, 0x1a8, 0x1ac, 0x1c0, 0x1c4
};
static const struct kd_hdr_layout hdr64 = {
	8, 0x198, 0x1a8, 0x1ac, 0x1b0, 0x1b4, 0x1b8, 0x1cc, 0x1d0
};
#define KD_HDR_MAX 0x1d0

/* Where the kdump_sub_header fields are: word size, and on 32-bit also
 * the ABI's alignment of its 64-bit fields (off_t, u64). */
struct kd_sub_layout {
	unsigned split, start_pfn, end_pfn, off_vmci, size_vmci, off_note;
	unsigned size_note, start_pfn_64, end_pfn_64, max_mapnr_64, len;
};

/* i386 aligns 64-bit fields to 4; QEMU writes its 32-bit one packed */
static const struct kd_sub_layout sub32 = {
	8, 12, 16, 20, 28, 32, 40, 56, 64, 72, 80
};
/* other 32-bit ABIs (arm, s390 31-bit) align them to 8 */
static const struct kd_sub_layout sub32a = {
	8, 12, 16, 24, 32, 40, 48, 72, 80, 88, 96
};
static const struct kd_sub_layout sub64 = {
	12, 16, 24, 32, 40, 48, 56, 80, 88, 96, 104
};

struct kd_hdr {
	const struct kd_hdr_layout *hl;
	const struct kd_sub_layout *sl;
	int version;
	uint32_t status, block_size, sub_hdr_size, bitmap_blocks;
	uint64_t max_mapnr;
	int32_t nr_cpus;
	char machine[KD_UTS_LEN + 1];
	uint64_t off_vmci, size_vmci, off_note, size_note;
	bool be;			/* byte order */
	bool split;
	uint64_t start_pfn, end_pfn;	/* split: the part's pages */
	uint8_t raw[KD_HDR_MAX];	/* the main header as read */
};

/* a word of bitmap 2 that is not zero */
struct kd_word {
	uint64_t idx;		/* PFNs idx * 64 .. idx * 64 + 63 */
	uint64_t bits;
	uint64_t before;	/* bits set in the words before */
};

/* one decompressed page of the LRU */
struct kd_page {
	uint64_t pfn;
	bool hashed;
	struct kd_page *prev, *next;	/* LRU, most recent first */
	struct kd_page *hnext;		/* hash chain */
	uint8_t *data;
};

/* One file of the dump: the whole of it, or one part of a split set. */
struct kd_file {
	struct kd_src src;	/* src.path: its name, owned */
	struct kd_hdr h;
	uint64_t start_pfn, end_pfn;	/* the pages it has descriptors of */
	uint64_t first_index;	/* bitmap-2 bits before start_pfn */
	dev_t dev;
	ino_t ino;
};

struct kd_state {
	struct kd_file *file;	/* by start_pfn once open */
	size_t nfiles;
	struct kd_file *cur;	/* the file messages are about */
	bool be;
	int word;
	uint32_t block_size;
	uint64_t max_mapnr;
	uint64_t bitmap1_off, desc_off;	/* standard-layout offsets */
	/* bitmap 2: its words that are not zero, by index (bit p%64 of word
	 * p/64 = PFN p), each with the number of bits before it.  Only what
	 * the file holds: a header may claim 2^35 pages of bitmap in a
	 * sparse file of a few KiB (issue 11) */
	struct kd_word *bw;
	size_t nbw, bw_cap;
	uint64_t ndumped;
	/* the LRU of decompressed pages */
	struct kd_page page[KD_CACHE_PAGES];
	size_t npages, cache_cap;
	struct kd_page *hash[1u << KD_HASH_BITS];
	struct kd_page *head, *tail;
	uint8_t *cbuf;			/* one page's compressed bytes */
	struct kd_codec *codec;
	char why[320];
	int fail_status;	/* for pm.fail_status: unsupported pages */
};

/* ---- bytes ---- */

static uint32_t get32(const struct kd_state *st, const uint8_t *p)
{
	if (st->be)
		return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		       (uint32_t)p[2] << 8 | p[3];
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[1] << 8 | p[0];
}

static uint64_t get64(const struct kd_state *st, const uint8_t *p)
{
	uint64_t hi = get32(st, st->be ? p : p + 4);
	uint64_t lo = get32(st, st->be ? p + 4 : p);

	return hi << 32 | lo;
}

/* a C "long" of the dumped machine */
static uint64_t get_word(const struct kd_state *st, const uint8_t *p)
{
	return st->word == 8 ? get64(st, p) : get32(st, p);
}

static bool is_pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

/* ---- messages ---- */

/* "offset 0x..", saying where a flattened file holds that layout offset */
static void where(const struct kd_src *s, uint64_t off, char *buf,
		  size_t len)
{
	uint64_t fo;

	if (!s->flat)
		snprintf(buf, len, "offset 0x%llx", (unsigned long long)off);
	else if (kd_src_file_off(s, off, &fo))
		snprintf(buf, len, "offset 0x%llx (standard-layout offset 0x%llx)",
			 (unsigned long long)fo, (unsigned long long)off);
	else
		snprintf(buf, len,
			 "standard-layout offset 0x%llx (in no flattened record)",
			 (unsigned long long)off);
}

/* bytes as text for a message, \xNN for what is not printable */
static const char *printable(const uint8_t *p, size_t n, char *buf,
			     size_t len)
{
	size_t i, o = 0;

	for (i = 0; i < n && o + 5 <= len; i++) {
		if (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '"' && p[i] != '\\')
			buf[o++] = (char)p[i];
		else
			o += (size_t)snprintf(buf + o, len - o, "\\x%02x",
					      p[i]);
	}
	buf[o] = '\0';
	return buf;
}

static int kd_fail(const struct kd_state *st, struct pgt_err *err,
		   int status, uint64_t off, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* "FILE: offset 0x..: what: expected ..." */
static int kd_fail(const struct kd_state *st, struct pgt_err *err,
		   int status, uint64_t off, const char *fmt, ...)
{
	char what[PGT_ERR_MSG_MAX], at[96];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	where(&st->cur->src, off, at, sizeof(at));
	return pgt_fail(err, status, "%s: %s: %s", st->cur->src.path, at, what);
}

/* Read a structure of the standard layout; name it when the file ends. */
static int kd_read(const struct kd_state *st, uint64_t off, void *buf,
		   size_t len, const char *what, struct pgt_err *err)
{
	int rc = kd_src_read(&st->cur->src, off, buf, len);

	if (rc == KD_READ_IO)
		return kd_fail(st, err, PGT_ERR_IO, off, "%s: %s", what,
			       strerror(errno));
	if (rc == KD_READ_SHORT)
		return kd_fail(st, err, PGT_ERR_INPUT, off,
			       "%s: the file ends at 0x%llx: expected %zu bytes (truncated file?)",
			       what, (unsigned long long)st->cur->src.size, len);
	return PGT_OK;
}

/* ---- the headers ---- */

/* Could the header's fields sit where layout l says? */
static bool hdr_plausible(const struct kd_state *st, const uint8_t *b,
			  const struct kd_hdr_layout *l)
{
	uint32_t bs = get32(st, b + l->block_size);

	/* misread at the other word size, sub_hdr_size is 0 (a timeval's
	 * upper half, total_ram_blocks) in every writer we know */
	return is_pow2(bs) && bs >= KD_BLOCK_MIN && bs <= KD_BLOCK_MAX &&
	       get32(st, b + l->sub_hdr_size) >= 1 &&
	       get32(st, b + l->bitmap_blocks) >= 2;
}

static bool hdr_bitmap_fits(const struct kd_state *st, const uint8_t *b,
			    const struct kd_hdr_layout *l)
{
	uint64_t bs = get32(st, b + l->block_size);
	uint64_t bits = get32(st, b + l->bitmap_blocks) / 2 * bs * 8;

	return get32(st, b + l->max_mapnr) <= bits;
}

static int detect_order(struct kd_state *st, const uint8_t *b,
			struct kd_hdr *h, struct pgt_err *err)
{
	uint32_t v;

	st->be = false;
	v = get32(st, b + 8);
	if (v < 1 || v > KD_VERSION_SANE) {
		st->be = true;
		v = get32(st, b + 8);
	}
	if (v < 1 || v > KD_VERSION_SANE)
		return kd_fail(st, err, PGT_ERR_INPUT, 8,
			       "header_version 0x%08x: expected 1 to %d in either byte order",
			       get32(st, b + 8), KD_VERSION_MAX);
	if (v > KD_VERSION_MAX)
		return kd_fail(st, err, PGT_ERR_UNSUPPORTED, 8,
			       "header_version %u: not supported: expected 1 to %d",
			       v, KD_VERSION_MAX);
	h->version = (int)v;
	return PGT_OK;
}

/* The dumped machine's word size: where block_size makes sense. */
static int detect_word(struct kd_state *st, const uint8_t *b,
		       struct kd_hdr *h, struct pgt_err *err)
{
	bool p32 = hdr_plausible(st, b, &hdr32);
	bool p64 = hdr_plausible(st, b, &hdr64);

	if (p32 && p64) {
		p32 = hdr_bitmap_fits(st, b, &hdr32);
		p64 = hdr_bitmap_fits(st, b, &hdr64);
	}
	if (p32 == p64)
		return kd_fail(st, err, PGT_ERR_INPUT, hdr32.block_size,
			       "block_size 0x%x (32-bit header) / 0x%x (64-bit header at 0x%x): %s: expected a power of two from %u to %u, sub_hdr_size >= 1 and bitmap_blocks >= 2 at exactly one of the two places",
			       get32(st, b + hdr32.block_size),
			       get32(st, b + hdr64.block_size),
			       hdr64.block_size,
			       p32 ? "both fit" : "neither fits",
			       KD_BLOCK_MIN, KD_BLOCK_MAX);
	h->hl = p32 ? &hdr32 : &hdr64;
	st->word = h->hl->word;
	return PGT_OK;
}

/* The header's compression bits only say how the writer was asked to
 * compress; each page's descriptor says how it is stored. */
static int check_status(const struct kd_state *st, uint32_t status,
			struct pgt_err *err)
{
	uint32_t known = KD_ANY_COMP | KD_INCOMPLETE | KD_EXCL_VMEMMAP;
	unsigned off = st->word == 8 ? hdr64.status : hdr32.status;

	if (status & KD_INCOMPLETE)
		return kd_fail(st, err, PGT_ERR_UNSUPPORTED, off,
			       "status 0x%x: the dump is marked incomplete (its writer stopped early): not supported: expected a complete dump",
			       status);
	if (status & ~known)
		return kd_fail(st, err, PGT_ERR_UNSUPPORTED, off,
			       "status 0x%x: unknown flags 0x%x: not supported: expected only 0x1 (zlib), 0x2 (lzo), 0x4 (snappy), 0x20 (zstd) and 0x10 (vmemmap excluded)",
			       status, status & ~known);
	return PGT_OK;
}

static int read_main_header(struct kd_state *st, struct kd_hdr *h,
			    struct pgt_err *err)
{
	uint8_t *b = h->raw;
	char sig[4 * KD_SIG_LEN + 1];
	const struct kd_hdr_layout *l;
	int rc = kd_read(st, 0, b, KD_HDR_MAX, "kdump header", err);

	if (rc)
		return rc;
	if (memcmp(b, KD_SIG, KD_SIG_LEN))
		return kd_fail(st, err, PGT_ERR_INPUT, 0,
			       "bad signature \"%s\": expected \"%s\"",
			       printable(b, KD_SIG_LEN, sig, sizeof(sig)),
			       KD_SIG);
	rc = detect_order(st, b, h, err);
	if (!rc)
		rc = detect_word(st, b, h, err);
	if (rc)
		return rc;
	l = h->hl;
	h->be = st->be;
	h->status = get32(st, b + l->status);
	h->block_size = get32(st, b + l->block_size);
	h->sub_hdr_size = get32(st, b + l->sub_hdr_size);
	h->bitmap_blocks = get32(st, b + l->bitmap_blocks);
	h->max_mapnr = get32(st, b + l->max_mapnr);
	h->nr_cpus = (int32_t)get32(st, b + l->nr_cpus);
	memcpy(h->machine, b + KD_UTS_MACHINE, KD_UTS_LEN);
	h->machine[KD_UTS_LEN] = '\0';
	return check_status(st, h->status, err);
}

/* A blob (notes, VMCOREINFO) after the main header and inside the file */
static bool blob_sane(const struct kd_state *st, const struct kd_hdr *h,
		      uint64_t off, uint64_t len)
{
	return !len || (off >= h->block_size && off <= st->cur->src.size &&
			len <= st->cur->src.size - off);
}

/* Do the sub-header's fields make sense at layout l? */
static bool sub_consistent(const struct kd_state *st, const struct kd_hdr *h,
			   const uint8_t *b, const struct kd_sub_layout *l)
{
	uint64_t mm64;

	if (h->version >= 3 &&
	    !blob_sane(st, h, get64(st, b + l->off_vmci),
		       get_word(st, b + l->size_vmci)))
		return false;
	if (h->version >= 4 &&
	    !blob_sane(st, h, get64(st, b + l->off_note),
		       get_word(st, b + l->size_note)))
		return false;
	if (h->version >= 6) {
		/* every version-6 writer sets it, and caps the 32-bit
		 * max_mapnr at UINT32_MAX */
		mm64 = get64(st, b + l->max_mapnr_64);
		if (mm64 != h->max_mapnr &&
		    !(h->max_mapnr == UINT32_MAX && mm64 > UINT32_MAX))
			return false;
	}
	return true;
}

static const struct kd_sub_layout *pick_sub_layout(const struct kd_state *st,
						   const struct kd_hdr *h,
						   const uint8_t *b)
{
	if (st->word == 8)
		return &sub64;
	if (!sub_consistent(st, h, b, &sub32) &&
	    sub_consistent(st, h, b, &sub32a))
		return &sub32a;
	return &sub32;
}

static int read_sub_header(struct kd_state *st, struct kd_hdr *h,
			   struct pgt_err *err)
{
	uint8_t b[104];
	uint64_t off = h->block_size;
	const struct kd_sub_layout *l;
	size_t len = st->word == 8 ? sub64.len : sub32a.len;
	int rc = kd_read(st, off, b, len, "kdump sub-header", err);

	if (rc)
		return rc;
	h->sl = l = pick_sub_layout(st, h, b);
	if (h->version >= 2 && get32(st, b + l->split)) {
		h->split = true;
		h->start_pfn = get_word(st, b + l->start_pfn);
		h->end_pfn = get_word(st, b + l->end_pfn);
	}
	if (h->split && h->version >= 6) {
		h->start_pfn = get64(st, b + l->start_pfn_64);
		h->end_pfn = get64(st, b + l->end_pfn_64);
	}
	if (h->version >= 3) {
		h->off_vmci = get64(st, b + l->off_vmci);
		h->size_vmci = get_word(st, b + l->size_vmci);
	}
	if (h->version >= 4) {
		h->off_note = get64(st, b + l->off_note);
		h->size_note = get_word(st, b + l->size_note);
	}
	if (h->version >= 6 && get64(st, b + l->max_mapnr_64))
		h->max_mapnr = get64(st, b + l->max_mapnr_64);
	return PGT_OK;
}

/* ---- where the bitmaps and descriptors are ---- */

static int check_geometry(struct kd_state *st, const struct kd_hdr *h,
			  struct pgt_err *err)
{
	uint64_t bs = h->block_size;
	uint64_t bm_off = (1 + (uint64_t)h->sub_hdr_size) * bs;
	uint64_t half = (uint64_t)h->bitmap_blocks / 2 * bs;
	uint64_t end = bm_off + (uint64_t)h->bitmap_blocks * bs;
	unsigned at = h->hl->bitmap_blocks;

	if (h->bitmap_blocks % 2)
		return kd_fail(st, err, PGT_ERR_INPUT, at,
			       "bitmap_blocks %u: expected an even number (two bitmaps of equal size)",
			       h->bitmap_blocks);
	/* bounds what we allocate for bitmap 2 by what the file holds */
	if (end > st->cur->src.size || end - bm_off > st->cur->src.file_size)
		return kd_fail(st, err, PGT_ERR_INPUT, at,
			       "bitmap_blocks %u: the bitmaps would end at 0x%llx, the file ends at 0x%llx: expected bitmaps that fit in the file",
			       h->bitmap_blocks, (unsigned long long)end,
			       (unsigned long long)st->cur->src.size);
	if (!h->max_mapnr || h->max_mapnr > half * 8 ||
	    h->max_mapnr > UINT64_MAX / bs)
		return kd_fail(st, err, PGT_ERR_INPUT, h->hl->max_mapnr,
			       "max_mapnr %llu: expected 1 to %llu (the pages bitmaps of %u blocks of %llu bytes describe)",
			       (unsigned long long)h->max_mapnr,
			       (unsigned long long)(half * 8), h->bitmap_blocks,
			       (unsigned long long)bs);
	st->block_size = h->block_size;
	st->cache_cap = KD_CACHE_BYTES / bs;
	if (st->cache_cap > KD_CACHE_PAGES)
		st->cache_cap = KD_CACHE_PAGES;
	if (st->cache_cap < KD_CACHE_MIN)
		st->cache_cap = KD_CACHE_MIN;
	st->max_mapnr = h->max_mapnr;
	st->bitmap1_off = bm_off;
	st->desc_off = end;
	return PGT_OK;
}

/* bitmap bytes -> words, bit p%64 of word p/64 = PFN p, whatever the host */
static void bytes_to_words(uint64_t *w, size_t nwords)
{
	size_t i;
	int j;

	for (i = 0; i < nwords; i++) {
		uint8_t b[8];
		uint64_t v = 0;

		memcpy(b, &w[i], 8);
		for (j = 7; j >= 0; j--)
			v = v << 8 | b[j];
		w[i] = v;
	}
}

static int add_word(struct kd_state *st, uint64_t idx, uint64_t bits)
{
	if (st->nbw == st->bw_cap) {
		size_t cap = st->bw_cap ? 2 * st->bw_cap : 256;
		struct kd_word *v = realloc(st->bw, cap * sizeof(*v));

		if (!v)
			return -1;
		st->bw = v;
		st->bw_cap = cap;
	}
	st->bw[st->nbw++] = (struct kd_word){ idx, bits, st->ndumped };
	st->ndumped += (uint64_t)__builtin_popcountll(bits);
	return 0;
}

#define KD_BM_CHUNK (1u << 20)	/* bytes of bitmap 2 read at a time */

/* Bytes [pos, pos + n) of bitmap 2 (pos a multiple of 8) into st->bw. */
static int load_bitmap_chunk(struct kd_state *st, uint64_t pos, size_t n,
			     uint64_t *buf, struct pgt_err *err)
{
	uint64_t half = (st->desc_off - st->bitmap1_off) / 2;
	uint64_t last = (st->max_mapnr - 1) / 64;
	size_t i, nw = (n + 7) / 8;
	int rc;

	buf[nw - 1] = 0;
	rc = kd_read(st, st->bitmap1_off + half + pos, buf, n,
		     "bitmap 2 (pages dumped)", err);
	if (rc)
		return rc;
	bytes_to_words(buf, nw);
	for (i = 0; i < nw; i++) {
		uint64_t idx = pos / 8 + i, bits = buf[i];

		/* bits past max_mapnr describe no page */
		if (idx == last && st->max_mapnr % 64)
			bits &= (UINT64_C(1) << (st->max_mapnr % 64)) - 1;
		if (bits && add_word(st, idx, bits))
			return pgt_fail(err, PGT_ERR_NOMEM, "out of memory");
	}
	return PGT_OK;
}

/*
 * Bitmap 2 in chunks, skipping what the file does not hold (holes of a
 * sparse file, bytes no flattened record covers: zeros), so the work and
 * the memory follow the file's real data, not the header's max_mapnr.
 */
static int load_bitmap2(struct kd_state *st, struct pgt_err *err)
{
	uint64_t base = st->bitmap1_off + (st->desc_off - st->bitmap1_off) / 2;
	uint64_t nbytes = (st->max_mapnr + 7) / 8, pos = 0;
	uint64_t *buf = malloc(KD_BM_CHUNK);
	int rc = PGT_OK;

	if (!buf)
		return pgt_fail(err, PGT_ERR_NOMEM, "out of memory");
	while (!rc && pos < nbytes) {
		uint64_t data = kd_src_next_data(&st->cur->src, base + pos);
		size_t n;

		if (data >= base + nbytes)
			break;
		if (data > base + pos)
			pos = (data - base) & ~(uint64_t)7;
		n = nbytes - pos < KD_BM_CHUNK ? (size_t)(nbytes - pos) :
						 KD_BM_CHUNK;
		rc = load_bitmap_chunk(st, pos, n, buf, err);
		pos += n;
	}
	free(buf);
	return rc;
}

/* The index in st->bw of the first word whose index is >= idx. */
static size_t word_at_or_after(const struct kd_state *st, uint64_t idx)
{
	size_t lo = 0, hi = st->nbw;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (st->bw[mid].idx < idx)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* bitmap-2 word idx, or NULL when it is zero */
static const struct kd_word *word_of(const struct kd_state *st, uint64_t idx)
{
	size_t i = word_at_or_after(st, idx);

	return i < st->nbw && st->bw[i].idx == idx ? &st->bw[i] : NULL;
}

static bool dumped(const struct kd_state *st, uint64_t pfn)
{
	const struct kd_word *w = word_of(st, pfn / 64);

	return w && (w->bits >> (pfn % 64) & 1);
}

/* the descriptor index of a dumped PFN: bitmap-2 bits before it */
static uint64_t desc_index(const struct kd_state *st, uint64_t pfn)
{
	const struct kd_word *w = word_of(st, pfn / 64);
	uint64_t below = w->bits & ((UINT64_C(1) << (pfn % 64)) - 1);

	return w->before + (uint64_t)__builtin_popcountll(below);
}

/* bitmap-2 bits before pfn (any pfn up to max_mapnr) */
static uint64_t rank(const struct kd_state *st, uint64_t pfn)
{
	size_t i = word_at_or_after(st, pfn / 64);
	const struct kd_word *w;

	if (i == st->nbw)
		return st->ndumped;
	w = &st->bw[i];
	if (w->idx != pfn / 64)
		return w->before;
	return w->before + (uint64_t)__builtin_popcountll(
		w->bits & ((UINT64_C(1) << (pfn % 64)) - 1));
}

static uint64_t cap_pfn(const struct kd_state *st, uint64_t pfn)
{
	return pfn < st->max_mapnr ? pfn : st->max_mapnr;
}

/* first PFN >= pfn whose bitmap-2 bit is set, or max_mapnr */
static uint64_t next_set(const struct kd_state *st, uint64_t pfn)
{
	size_t i;

	if (pfn >= st->max_mapnr)
		return st->max_mapnr;
	for (i = word_at_or_after(st, pfn / 64); i < st->nbw; i++) {
		uint64_t bits = st->bw[i].bits;

		if (st->bw[i].idx == pfn / 64)
			bits &= ~UINT64_C(0) << (pfn % 64);
		if (bits)
			return cap_pfn(st, st->bw[i].idx * 64 +
					   (uint64_t)__builtin_ctzll(bits));
	}
	return st->max_mapnr;
}

/* first PFN >= pfn whose bitmap-2 bit is clear, or max_mapnr */
static uint64_t next_clear(const struct kd_state *st, uint64_t pfn)
{
	while (pfn < st->max_mapnr) {
		const struct kd_word *w = word_of(st, pfn / 64);
		uint64_t bits;

		if (!w)
			return pfn;
		bits = ~w->bits >> (pfn % 64);
		if (bits)
			return cap_pfn(st, pfn + (uint64_t)__builtin_ctzll(bits));
		pfn = (pfn / 64 + 1) * 64;
	}
	return st->max_mapnr;
}

/* first PFN >= pfn whose bitmap-2 bit is `set`, or max_mapnr */
static uint64_t next_bit(const struct kd_state *st, uint64_t pfn, bool set)
{
	return set ? next_set(st, pfn) : next_clear(st, pfn);
}

/* the descriptors of the file's pages (all, or a split part's) */
static uint64_t file_pages(const struct kd_state *st, const struct kd_file *f)
{
	return rank(st, f->end_pfn) - f->first_index;
}

static int check_desc_room(const struct kd_state *st, struct pgt_err *err)
{
	uint64_t total = file_pages(st, st->cur);

	if (total > (st->cur->src.size - st->desc_off) / KD_DESC_SIZE)
		return kd_fail(st, err, PGT_ERR_INPUT, st->desc_off,
			       "page descriptors: bitmap 2 has %llu pages%s, the file ends at 0x%llx: expected %llu bytes of descriptors (truncated file?)",
			       (unsigned long long)total,
			       st->cur->h.split ? " in this part's range" : "",
			       (unsigned long long)st->cur->src.size,
			       (unsigned long long)(total * KD_DESC_SIZE));
	return PGT_OK;
}

/*
 * All page data must be in the file: a dump cut short fails to open rather
 * than on whichever page a walk happens to need.  One pass over the
 * descriptors, in chunks; the data's flags are checked when it is read.
 */
#define KD_DESC_CHUNK 4096

static int check_desc_chunk(const struct kd_state *st, const uint8_t *b,
			    uint64_t first, uint64_t n, uint64_t *pfn,
			    struct pgt_err *err)
{
	uint64_t i;

	for (i = 0; i < n; i++, b += KD_DESC_SIZE) {
		uint64_t off = get64(st, b), size = get32(st, b + 8);

		*pfn = next_bit(st, *pfn + 1, true);
		if (off <= st->cur->src.size && size <= st->cur->src.size - off)
			continue;
		return kd_fail(st, err, PGT_ERR_INPUT,
			       st->desc_off + (first + i) * KD_DESC_SIZE,
			       "descriptor of page 0x%llx: %llu bytes of page data at 0x%llx, the file ends at 0x%llx: expected page data inside the file (truncated file?)",
			       (unsigned long long)*pfn,
			       (unsigned long long)size,
			       (unsigned long long)off,
			       (unsigned long long)st->cur->src.size);
	}
	return PGT_OK;
}

static int check_page_data(const struct kd_state *st, struct pgt_err *err)
{
	uint8_t *buf = malloc(KD_DESC_CHUNK * KD_DESC_SIZE);
	/* next_bit(pfn + 1) is the file's first page (wraps for PFN 0) */
	uint64_t i, n, pfn = st->cur->start_pfn - 1;
	uint64_t total = file_pages(st, st->cur);
	int rc = PGT_OK;

	if (!buf)
		return pgt_fail(err, PGT_ERR_NOMEM, "out of memory");
	for (i = 0; !rc && i < total; i += n) {
		n = total - i < KD_DESC_CHUNK ? total - i : KD_DESC_CHUNK;
		rc = kd_read(st, st->desc_off + i * KD_DESC_SIZE, buf,
			     (size_t)n * KD_DESC_SIZE, "page descriptors", err);
		if (!rc)
			rc = check_desc_chunk(st, buf, i, n, &pfn, err);
	}
	free(buf);
	return rc;
}

/* d->ranges: the runs of dumped pages */
static int make_ranges(const struct kd_state *st, struct pgt_dump *d,
		       struct pgt_err *err)
{
	uint64_t bs = st->block_size, pfn, end;
	size_t n = 0;

	for (pfn = next_bit(st, 0, true); pfn < st->max_mapnr;
	     pfn = next_bit(st, end, true)) {
		end = next_bit(st, pfn, false);
		n++;
	}
	d->ranges = calloc(n ? n : 1, sizeof(*d->ranges));
	if (!d->ranges)
		return pgt_fail(err, PGT_ERR_NOMEM, "out of memory");
	for (pfn = next_bit(st, 0, true); pfn < st->max_mapnr;
	     pfn = next_bit(st, end, true)) {
		end = next_bit(st, pfn, false);
		d->ranges[d->nranges].start = pfn * bs;
		d->ranges[d->nranges].data_end = end * bs;
		d->ranges[d->nranges++].end = end * bs;
	}
	return PGT_OK;
}

/* ---- notes, VMCOREINFO, CPUs ---- */

/* A blob the sub-header points to, bounded by the file before allocating */
static int read_blob(const struct kd_state *st, uint64_t off, uint64_t len,
		     unsigned field, const char *what, uint8_t **out,
		     struct pgt_err *err)
{
	if (off > st->cur->src.size || len > st->cur->src.size - off ||
	    len > st->cur->src.file_size)
		return kd_fail(st, err, PGT_ERR_INPUT, st->block_size + field,
			       "%s of %llu bytes at 0x%llx: expected it inside the file (0x%llx bytes)",
			       what, (unsigned long long)len,
			       (unsigned long long)off,
			       (unsigned long long)st->cur->src.size);
	*out = malloc((size_t)len + 1);
	if (!*out)
		return pgt_fail(err, PGT_ERR_NOMEM, "out of memory");
	return kd_read(st, off, *out, (size_t)len, what, err);
}

static int load_vmcoreinfo(const struct kd_state *st, struct pgt_dump *d,
			   const struct kd_hdr *h, struct pgt_err *err)
{
	uint8_t *buf = NULL;
	int rc;

	if (!h->size_vmci)
		return PGT_OK;
	rc = read_blob(st, h->off_vmci, h->size_vmci, h->sl->off_vmci,
		       "VMCOREINFO", &buf, err);
	if (!rc)
		rc = pgt_dump_set_vmcoreinfo(d, (const char *)buf,
					     (size_t)h->size_vmci, err);
	free(buf);
	return rc;
}

static int load_notes(const struct kd_state *st, struct pgt_dump *d,
		      const struct kd_hdr *h, struct pgt_err *err)
{
	uint8_t *buf = NULL;
	uint64_t fo = h->off_note;
	int rc;

	if (!h->size_note)
		return PGT_OK;
	rc = read_blob(st, h->off_note, h->size_note, h->sl->off_note,
		       "notes", &buf, err);
	kd_src_file_off(&st->cur->src, h->off_note, &fo);
	if (!rc)
		rc = pgt_dump_parse_notes(d, buf, (size_t)h->size_note, st->be,
					  fo, err);
	free(buf);
	return rc;
}

/* Without notes, the header's nr_cpus still tells how many CPUs. */
static int header_cpus(const struct kd_state *st, struct pgt_dump *d,
		       const struct kd_hdr *h, struct pgt_err *err)
{
	int i;

	if (d->ncpus || !h->nr_cpus)
		return PGT_OK;
	if (h->nr_cpus < 0 || h->nr_cpus > KD_CPUS_MAX)
		return kd_fail(st, err, PGT_ERR_INPUT, h->hl->nr_cpus,
			       "nr_cpus %d: expected 0 to %d", h->nr_cpus,
			       KD_CPUS_MAX);
	d->cpu = calloc((size_t)h->nr_cpus, sizeof(*d->cpu));
	if (!d->cpu)
		return pgt_fail(err, PGT_ERR_NOMEM, "out of memory");
	for (i = 0; i < h->nr_cpus; i++)
		d->cpu[i].pid = -1;
	d->ncpus = h->nr_cpus;
	return PGT_OK;
}

/* ---- the page cache ---- */

static size_t hash_of(uint64_t pfn)
{
	return (size_t)((pfn * UINT64_C(0x9e3779b97f4a7c15)) >>
			(64 - KD_HASH_BITS));
}

static void lru_unlink(struct kd_state *st, struct kd_page *e)
{
	if (e->prev)
		e->prev->next = e->next;
	else
		st->head = e->next;
	if (e->next)
		e->next->prev = e->prev;
	else
		st->tail = e->prev;
	e->prev = e->next = NULL;
}

static void lru_push_front(struct kd_state *st, struct kd_page *e)
{
	e->prev = NULL;
	e->next = st->head;
	if (st->head)
		st->head->prev = e;
	else
		st->tail = e;
	st->head = e;
}

static void lru_push_back(struct kd_state *st, struct kd_page *e)
{
	e->next = NULL;
	e->prev = st->tail;
	if (st->tail)
		st->tail->next = e;
	else
		st->head = e;
	st->tail = e;
}

static struct kd_page *cache_find(struct kd_state *st, uint64_t pfn)
{
	struct kd_page *e;

	for (e = st->hash[hash_of(pfn)]; e; e = e->hnext)
		if (e->pfn == pfn)
			return e;
	return NULL;
}

static void hash_remove(struct kd_state *st, struct kd_page *e)
{
	struct kd_page **pp = &st->hash[hash_of(e->pfn)];

	while (*pp != e)
		pp = &(*pp)->hnext;
	*pp = e->hnext;
	e->hashed = false;
}

/* A page buffer to fill: a new one until the cache is full, then the LRU's
 * oldest, taken out of the cache. */
static struct kd_page *cache_victim(struct kd_state *st)
{
	struct kd_page *e;

	if (st->npages < st->cache_cap) {
		e = &st->page[st->npages];
		e->data = malloc(st->block_size);
		if (!e->data)
			return NULL;
		st->npages++;
		return e;
	}
	e = st->tail;
	lru_unlink(st, e);
	if (e->hashed)
		hash_remove(st, e);
	return e;
}

static void cache_insert(struct kd_state *st, struct kd_page *e,
			 uint64_t pfn)
{
	size_t h = hash_of(pfn);

	e->pfn = pfn;
	e->hnext = st->hash[h];
	st->hash[h] = e;
	e->hashed = true;
	lru_push_front(st, e);
}

/* ---- reading pages ---- */

static void set_why(struct kd_state *st, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void set_why(struct kd_state *st, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(st->why, sizeof(st->why), fmt, ap);
	va_end(ap);
}

/* "file offset 0x.." of a standard-layout offset, for whys; which file
 * too when the dump is a split set */
static const char *file_off_str(const struct kd_state *st,
				const struct kd_file *f, uint64_t off,
				char *buf, size_t len)
{
	char name[160] = "";
	uint64_t fo;

	if (st->nfiles > 1)
		snprintf(name, sizeof(name), "%s, ", f->src.path);
	if (f->src.flat && kd_src_file_off(&f->src, off, &fo))
		snprintf(buf, len, "%sfile offset 0x%llx, standard-layout offset 0x%llx",
			 name, (unsigned long long)fo, (unsigned long long)off);
	else if (f->src.flat)
		snprintf(buf, len, "%sstandard-layout offset 0x%llx", name,
			 (unsigned long long)off);
	else
		snprintf(buf, len, "%sfile offset 0x%llx", name,
			 (unsigned long long)off);
	return buf;
}

/* Why a PFN without a bitmap-2 bit cannot be read: bitmap 1 tells (every
 * part of a split set holds the whole of it). */
static void why_absent(struct kd_state *st, uint64_t pfn)
{
	uint8_t b = 0;

	if (kd_src_read(&st->file[0].src, st->bitmap1_off + pfn / 8, &b, 1) ==
	    KD_READ_OK && (b >> (pfn % 8) & 1))
		set_why(st, "page 0x%llx: excluded from the dump (filtered out when it was written)",
			(unsigned long long)pfn);
	else
		set_why(st, "page 0x%llx: no memory there (outside the RAM the dump describes)",
			(unsigned long long)pfn);
}

/* The file holding a dumped PFN's descriptor: the split part whose range
 * holds it (the ranges cover 0 .. max_mapnr once, by start_pfn). */
static const struct kd_file *file_of(const struct kd_state *st, uint64_t pfn)
{
	size_t lo = 0, hi = st->nfiles;

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (st->file[mid].start_pfn <= pfn)
			lo = mid;
		else
			hi = mid;
	}
	return &st->file[lo];
}

struct kd_desc {
	const struct kd_file *f;
	/* standard-layout offsets of the descriptor and the page data */
	uint64_t at, off;
	uint32_t size, flags;
};

static int read_desc(struct kd_state *st, uint64_t pfn, struct kd_desc *pd)
{
	uint8_t b[KD_DESC_SIZE];
	char fo[200];
	int rc;

	pd->f = file_of(st, pfn);
	pd->at = st->desc_off +
		 (desc_index(st, pfn) - pd->f->first_index) * KD_DESC_SIZE;
	rc = kd_src_read(&pd->f->src, pd->at, b, sizeof(b));
	if (rc) {
		set_why(st, "page 0x%llx: page descriptor (%s): %s",
			(unsigned long long)pfn,
			file_off_str(st, pd->f, pd->at, fo, sizeof(fo)),
			rc == KD_READ_IO ? strerror(errno) : "truncated");
		return -1;
	}
	pd->off = get64(st, b);
	pd->size = get32(st, b + 8);
	pd->flags = get32(st, b + 12);
	return 0;
}

/* the compression of a page's flags: exactly one bit, or none (-1) */
static int page_comp(uint32_t flags)
{
	switch (flags) {
	case KD_ZLIB:
		return KD_COMP_ZLIB;
	case KD_LZO:
		return KD_COMP_LZO;
	case KD_SNAPPY:
		return KD_COMP_SNAPPY;
	case KD_ZSTD:
		return KD_COMP_ZSTD;
	default:
		return -1;
	}
}

/*
 * Is the descriptor one we can read?  Sets the why when not.  Unknown
 * flags stop the walk (the format grew: nothing after it can be trusted);
 * a compression this build lacks is only this page.
 */
static int check_desc(struct kd_state *st, uint64_t pfn,
		      const struct kd_desc *pd)
{
	unsigned long long p = pfn;
	uint32_t bs = st->block_size;
	int comp = page_comp(pd->flags);
	char fo[200];

	file_off_str(st, pd->f, pd->off, fo, sizeof(fo));
	if (pd->flags && comp < 0) {
		set_why(st, "page 0x%llx: unknown page flags 0x%x (%s): not supported: expected one of 0x1 (zlib), 0x2 (lzo), 0x4 (snappy), 0x20 (zstd) or none",
			p, pd->flags, fo);
		st->fail_status = PGT_ERR_UNSUPPORTED;
	} else if (comp >= 0 && kd_comp_missing((enum kd_comp)comp))
		set_why(st, "page 0x%llx: compressed with %s (%s, %u bytes): this pgtctl was built without %s",
			p, kd_comp_name((enum kd_comp)comp), fo, pd->size,
			kd_comp_missing((enum kd_comp)comp));
	else if (!pd->flags && pd->size != bs)
		set_why(st, "page 0x%llx: uncompressed page of %u bytes (%s): expected block_size %u",
			p, pd->size, fo, bs);
	else if (!pd->size || pd->size > 2 * bs)
		set_why(st, "page 0x%llx: %s data of %u bytes (%s): expected 1 to %u bytes",
			p, kd_comp_name((enum kd_comp)comp), pd->size, fo,
			2 * bs);
	else if (pd->off > pd->f->src.size ||
		 pd->size > pd->f->src.size - pd->off)
		set_why(st, "page 0x%llx: %u bytes of page data (%s) run past the end of the file (0x%llx): truncated file?",
			p, pd->size, fo, (unsigned long long)pd->f->src.size);
	else
		return 0;
	return -1;
}

/* The page's bytes as stored (check_desc bounded them by the file). */
static int read_data(struct kd_state *st, uint64_t pfn,
		     const struct kd_desc *pd, uint8_t *buf)
{
	char fo[200];
	int rc = kd_src_read(&pd->f->src, pd->off, buf, pd->size);

	if (rc)
		set_why(st, "page 0x%llx: page data (%s): %s",
			(unsigned long long)pfn,
			file_off_str(st, pd->f, pd->off, fo, sizeof(fo)),
			rc == KD_READ_IO ? strerror(errno) : "truncated");
	return rc ? -1 : 0;
}

static int decompress_page(struct kd_state *st, uint64_t pfn,
			   const struct kd_desc *pd, uint8_t *out)
{
	enum kd_comp comp = (enum kd_comp)page_comp(pd->flags);
	char fo[200], why[160];

	if (!st->cbuf && !(st->cbuf = malloc(2 * (size_t)st->block_size))) {
		set_why(st, "page 0x%llx: out of memory",
			(unsigned long long)pfn);
		return -1;
	}
	if (read_data(st, pfn, pd, st->cbuf))
		return -1;
	if (!kd_decompress(st->codec, comp, st->cbuf, pd->size, out,
			   st->block_size, why, sizeof(why)))
		return 0;
	set_why(st, "page 0x%llx: bad %s data (%s, %u bytes): %s",
		(unsigned long long)pfn, kd_comp_name(comp),
		file_off_str(st, pd->f, pd->off, fo, sizeof(fo)), pd->size,
		why);
	return -1;
}

/* Fill out with page pfn (dumped). */
static int load_page(struct kd_state *st, uint64_t pfn, uint8_t *out)
{
	struct kd_desc pd;

	if (read_desc(st, pfn, &pd) || check_desc(st, pfn, &pd))
		return -1;
	if (pd.flags)
		return decompress_page(st, pfn, &pd, out);
	return read_data(st, pfn, &pd, out);
}

static const uint8_t *get_page(struct kd_state *st, uint64_t pfn)
{
	struct kd_page *e = cache_find(st, pfn);

	if (e) {
		lru_unlink(st, e);
		lru_push_front(st, e);
		return e->data;
	}
	if (!dumped(st, pfn)) {
		why_absent(st, pfn);
		return NULL;
	}
	e = cache_victim(st);
	if (!e) {
		set_why(st, "page 0x%llx: out of memory",
			(unsigned long long)pfn);
		return NULL;
	}
	if (load_page(st, pfn, e->data)) {
		/* unhashed at the tail: the next victim */
		lru_push_back(st, e);
		return NULL;
	}
	cache_insert(st, e, pfn);
	return e->data;
}

static int kd_pm_read(struct pgt_physmem *pm, uint64_t pa, void *buf,
		      size_t len)
{
	struct kd_state *st = pm->priv;
	uint64_t bs = st->block_size;
	uint8_t *out = buf;

	st->why[0] = '\0';
	st->fail_status = 0;
	pm->fail_status = 0;
	if (!len)
		return 0;
	if (pa >= pm->limit || len > pm->limit - pa) {
		uint64_t pfn = pa / bs;

		set_why(st, "page 0x%llx: beyond max_mapnr (0x%llx pages)",
			(unsigned long long)(pfn > st->max_mapnr ?
					     pfn : st->max_mapnr),
			(unsigned long long)st->max_mapnr);
		return -1;
	}
	while (len) {
		size_t in = (size_t)(pa % bs);
		size_t n = bs - in < len ? bs - in : len;
		const uint8_t *page = get_page(st, pa / bs);

		if (!page) {
			pm->fail_status = st->fail_status;
			return -1;
		}
		memcpy(out, page + in, n);
		out += n;
		pa += n;
		len -= n;
	}
	return 0;
}

static const char *kd_pm_why(struct pgt_physmem *pm)
{
	struct kd_state *st = pm->priv;

	return st->why[0] ? st->why : NULL;
}

/* ---- open and close ---- */

static void file_close(struct kd_file *f)
{
	kd_src_free(&f->src);
	if (f->src.fd >= 0)
		close(f->src.fd);
	free((char *)f->src.path);
}

static void state_free(struct kd_state *st)
{
	size_t i;

	if (!st)
		return;
	for (i = 0; i < st->npages; i++)
		free(st->page[i].data);
	free(st->cbuf);
	kd_codec_free(st->codec);
	free(st->bw);
	for (i = 0; i < st->nfiles; i++)
		file_close(&st->file[i]);
	free(st->file);
	free(st);
}

static void kd_close(struct pgt_dump *d)
{
	state_free(d->pm.priv);
	d->pm.priv = NULL;
}

static int open_src(struct kd_file *f, const struct pgt_kdump_part *p,
		    struct pgt_err *err)
{
	struct stat sb;

	if (!(f->src.path = strdup(p->name ? p->name : "(kdump)")))
		return pgt_fail(err, PGT_ERR_NOMEM, "out of memory");
	f->src.flat = p->flattened;
	if (fstat(p->fd, &sb) ||
	    (f->src.fd = fcntl(p->fd, F_DUPFD_CLOEXEC, 0)) < 0)
		return pgt_fail(err, PGT_ERR_IO, "%s: %s", f->src.path,
				strerror(errno));
	f->dev = sb.st_dev;
	f->ino = sb.st_ino;
	f->src.file_size = sb.st_size > 0 ? (uint64_t)sb.st_size : 0;
	f->src.size = f->src.file_size;
	return p->flattened ? kd_flat_index(&f->src, err) : PGT_OK;
}

/* ---- split sets ---- */

/* The disk_dump_header field at byte off, for "the headers differ" */
static const char *hdr_field_name(const struct kd_hdr_layout *l, unsigned off)
{
	static const char *const uts[] = { "sysname", "nodename", "release",
					   "version", "machine",
					   "domainname" };
	static char buf[32];
	const unsigned *f = &l->status;
	static const char *const after[] = {
		"status", "block_size", "sub_hdr_size", "bitmap_blocks",
		"max_mapnr", "total_ram_blocks", "device_blocks",
		"written_blocks", "current_cpu", "nr_cpus",
	};

	if (off < KD_SIG_LEN)
		return "signature";
	if (off < 12)
		return "header_version";
	if (off < 12 + 6 * KD_UTS_LEN) {
		snprintf(buf, sizeof(buf), "utsname.%s",
			 uts[(off - 12) / KD_UTS_LEN]);
		return buf;
	}
	if (off < l->timestamp)
		return "padding";
	if (off < *f)
		return "timestamp";
	/* status, block_size ... follow each other, 4 bytes each */
	return (off - *f) / 4 < sizeof(after) / sizeof(after[0]) ?
	       after[(off - *f) / 4] : "padding";
}

/* A part of the same dump has the first part's main header byte for byte
 * (makedumpfile --reassemble compares them so, timestamp included). */
static int same_header(struct kd_state *st, const struct kd_file *f,
		       const struct kd_file *first, struct pgt_err *err)
{
	unsigned i, len = first->h.hl->len;

	if (f->h.be != first->h.be || f->h.hl != first->h.hl)
		return kd_fail(st, err, PGT_ERR_INPUT, 8,
			       "a %d-bit %s-endian kdump header, that of %s is %d-bit %s-endian: not a part of the same dump; expected the files of one makedumpfile --split run",
			       f->h.hl->word * 8, f->h.be ? "big" : "little",
			       first->src.path, first->h.hl->word * 8,
			       first->h.be ? "big" : "little");
	for (i = 0; i < len && f->h.raw[i] == first->h.raw[i]; i++)
		;
	if (i == len)
		return PGT_OK;
	return kd_fail(st, err, PGT_ERR_INPUT, i,
		       "kdump header field %s differs from that of %s: not a part of the same dump; expected the files of one makedumpfile --split run",
		       hdr_field_name(first->h.hl, i), first->src.path);
}

/* Bitmap 2 of a later part, read as the first part's was, must be the
 * same (every part holds the whole bitmap). */
static int same_bitmap2(struct kd_state *st, const struct kd_file *first,
			struct pgt_err *err)
{
	struct kd_word *bw = st->bw;
	size_t nbw = st->nbw, cap = st->bw_cap, i;
	uint64_t ndumped = st->ndumped;
	int rc;

	st->bw = NULL;
	st->nbw = st->bw_cap = 0;
	st->ndumped = 0;
	rc = load_bitmap2(st, err);
	for (i = 0; !rc && i < nbw && i < st->nbw; i++)
		if (st->bw[i].idx != bw[i].idx || st->bw[i].bits != bw[i].bits)
			break;
	if (!rc && (i < nbw || i < st->nbw)) {
		uint64_t w = i < nbw && i < st->nbw ?
			     (bw[i].idx < st->bw[i].idx ? bw[i].idx :
							  st->bw[i].idx) :
			     i < nbw ? bw[i].idx : st->bw[i].idx;

		rc = kd_fail(st, err, PGT_ERR_INPUT,
			     st->bitmap1_off +
			     (st->desc_off - st->bitmap1_off) / 2 + w * 8,
			     "bitmap 2 (pages dumped) differs from that of %s at pages 0x%llx-0x%llx: not a part of the same dump; expected the files of one makedumpfile --split run",
			     first->src.path, (unsigned long long)(w * 64),
			     (unsigned long long)(w * 64 + 63));
	}
	free(st->bw);
	st->bw = bw;
	st->nbw = nbw;
	st->bw_cap = cap;
	st->ndumped = ndumped;
	return rc;
}

/* by start_pfn, an empty part before the one that starts where it is */
static int by_start_pfn(const void *a, const void *b)
{
	const struct kd_file *x = a, *y = b;

	if (x->start_pfn != y->start_pfn)
		return x->start_pfn < y->start_pfn ? -1 : 1;
	return x->end_pfn < y->end_pfn ? -1 : x->end_pfn > y->end_pfn;
}

/*
 * The parts, by start_pfn, must cover 0 .. max_mapnr exactly once, as
 * makedumpfile --reassemble requires (check_splitting_info): a gap is a part not
 * given, an overlap a part given twice.
 */
static int check_coverage(struct kd_state *st, struct pgt_err *err)
{
	uint64_t next = 0;
	size_t i;

	qsort(st->file, st->nfiles, sizeof(*st->file), by_start_pfn);
	for (i = 0; i < st->nfiles; i++) {
		const struct kd_file *f = &st->file[i], *p = i ? f - 1 : NULL;

		if (p && p->dev == f->dev && p->ino == f->ino)
			return pgt_fail(err, PGT_ERR_INPUT,
					"%s: the same file as %s, given twice; expected each part of the split set once",
					f->src.path, p->src.path);
		if (f->start_pfn < next)
			return pgt_fail(err, PGT_ERR_INPUT,
					"%s: split part of pages 0x%llx-0x%llx overlaps %s (pages 0x%llx-0x%llx): a part given twice? expected each part of the split set once",
					f->src.path,
					(unsigned long long)f->start_pfn,
					(unsigned long long)f->end_pfn,
					p->src.path,
					(unsigned long long)p->start_pfn,
					(unsigned long long)p->end_pfn);
		if (f->start_pfn > next)
			return pgt_fail(err, PGT_ERR_INPUT,
					"%s: split part of pages 0x%llx-0x%llx: pages 0x%llx-0x%llx before it are in none of the files given: a part of the split set is missing; expected parts covering pages 0x0-0x%llx (max_mapnr)",
					f->src.path,
					(unsigned long long)f->start_pfn,
					(unsigned long long)f->end_pfn,
					(unsigned long long)next,
					(unsigned long long)f->start_pfn,
					(unsigned long long)st->max_mapnr);
		next = f->end_pfn;
	}
	if (next < st->max_mapnr)
		return pgt_fail(err, PGT_ERR_INPUT,
				"%s: split part of pages 0x%llx-0x%llx: pages 0x%llx-0x%llx after it are in none of the files given: a part of the split set is missing; expected parts covering pages 0x0-0x%llx (max_mapnr)",
				st->file[i - 1].src.path,
				(unsigned long long)st->file[i - 1].start_pfn,
				(unsigned long long)next,
				(unsigned long long)next,
				(unsigned long long)st->max_mapnr,
				(unsigned long long)st->max_mapnr);
	return PGT_OK;
}

/* The split fields: a part of a set given with others, a range inside
 * max_mapnr. */
static int check_part(struct kd_state *st, struct kd_file *f,
		      struct pgt_err *err)
{
	const struct kd_hdr *h = &f->h;
	unsigned at = st->block_size +
		      (h->version >= 6 ? h->sl->start_pfn_64 : h->sl->start_pfn);

	if (!h->split && st->nfiles > 1)
		return kd_fail(st, err, PGT_ERR_INPUT,
			       st->block_size + h->sl->split,
			       "split 0: a whole dump, not a part of a split set; give it alone, or expected the files of one makedumpfile --split run");
	f->start_pfn = h->split ? h->start_pfn : 0;
	f->end_pfn = h->split ? h->end_pfn : st->max_mapnr;
	if (f->start_pfn > f->end_pfn || f->end_pfn > st->max_mapnr)
		return kd_fail(st, err, PGT_ERR_INPUT, at,
			       "split part of pages start_pfn 0x%llx to end_pfn 0x%llx: expected start_pfn <= end_pfn <= max_mapnr 0x%llx",
			       (unsigned long long)f->start_pfn,
			       (unsigned long long)f->end_pfn,
			       (unsigned long long)st->max_mapnr);
	return PGT_OK;
}

/* ---- opening ---- */

/* Headers and bitmap 2 of file i (the first one's are the dump's). */
static int open_file(struct kd_state *st, size_t i,
		     const struct pgt_kdump_part *p, struct pgt_err *err)
{
	struct kd_file *f = &st->file[i];
	int rc;

	st->cur = f;
	rc = open_src(f, p, err);
	if (!rc)
		rc = read_main_header(st, &f->h, err);
	if (!rc && i)
		rc = same_header(st, f, &st->file[0], err);
	if (!rc)
		rc = read_sub_header(st, &f->h, err);
	if (!rc && i && f->h.max_mapnr != st->file[0].h.max_mapnr)
		rc = kd_fail(st, err, PGT_ERR_INPUT,
			     st->block_size + f->h.sl->max_mapnr_64,
			     "max_mapnr_64 0x%llx, that of %s is 0x%llx: not a part of the same dump; expected the files of one makedumpfile --split run",
			     (unsigned long long)f->h.max_mapnr,
			     st->file[0].src.path,
			     (unsigned long long)st->file[0].h.max_mapnr);
	if (!rc)
		rc = check_geometry(st, &f->h, err);
	if (!rc)
		rc = check_part(st, f, err);
	if (!rc)
		rc = i ? same_bitmap2(st, &st->file[0], err) :
			 load_bitmap2(st, err);
	return rc;
}

/* Each file has the descriptors and the data of its pages. */
static int check_files(struct kd_state *st, struct pgt_err *err)
{
	size_t i;
	int rc = PGT_OK;

	for (i = 0; !rc && i < st->nfiles; i++) {
		st->cur = &st->file[i];
		st->cur->first_index = rank(st, st->cur->start_pfn);
		rc = check_desc_room(st, err);
		if (!rc)
			rc = check_page_data(st, err);
	}
	st->cur = &st->file[0];
	return rc;
}

static int open_layout(struct kd_state *st, const struct pgt_kdump_part *p,
		       struct pgt_err *err)
{
	size_t i;
	int rc = PGT_OK;

	for (i = 0; !rc && i < st->nfiles; i++)
		rc = open_file(st, i, &p[i], err);
	if (!rc)
		rc = check_coverage(st, err);
	if (!rc)
		rc = check_files(st, err);
	return rc;
}

/* A split set's name: its files by their pages, "a + b + c" */
static int set_name(const struct kd_state *st, struct pgt_dump *d,
		    struct pgt_err *err)
{
	size_t i, len = 1;
	char *name;

	for (i = 0; i < st->nfiles; i++)
		len += strlen(st->file[i].src.path) + 3;
	if (!(name = malloc(len)))
		return pgt_fail(err, PGT_ERR_NOMEM, "out of memory");
	name[0] = '\0';
	for (i = 0; i < st->nfiles; i++) {
		if (i)
			strcat(name, " + ");
		strcat(name, st->file[i].src.path);
	}
	free(d->path);
	d->path = name;
	return PGT_OK;
}

static int fill_dump(struct kd_state *st, struct pgt_dump *d,
		     struct pgt_err *err)
{
	const struct kd_hdr *h = &st->file[0].h;
	int rc = make_ranges(st, d, err);

	st->cur = &st->file[0];
	/* the separate VMCOREINFO first: a note's copy does not replace it */
	if (!rc)
		rc = load_vmcoreinfo(st, d, h, err);
	if (!rc)
		rc = load_notes(st, d, h, err);
	if (!rc)
		rc = header_cpus(st, d, h, err);
	if (!rc && st->nfiles > 1)
		rc = set_name(st, d, err);
	if (rc)
		return rc;
	memcpy(d->kdump_machine, h->machine, sizeof(h->machine));
	d->big_endian = st->be;
	d->elf_class = st->word * 8;
	d->format = st->nfiles > 1 ? PGT_DUMP_KDUMP_SPLIT :
		    st->cur->src.flat ? PGT_DUMP_KDUMP_FLAT : PGT_DUMP_KDUMP;
	d->pm.read = kd_pm_read;
	d->pm.why = kd_pm_why;
	d->pm.limit = st->max_mapnr * st->block_size;
	d->pm.priv = st;
	d->close = kd_close;
	return PGT_OK;
}

/* Undo what a failed open put into d (it came to us zeroed). */
static void unfill_dump(struct pgt_dump *d)
{
	pgt_dump_clear_shared(d);
}

int pgt_dump_open_kdump_parts(struct pgt_dump *d,
			      const struct pgt_kdump_part *parts, size_t n,
			      enum pgt_inflater how, struct pgt_err *err)
{
	struct kd_state *st;
	size_t i;
	int rc;

	if (!n || n > KD_PARTS_MAX)
		return pgt_fail(err, PGT_ERR_USAGE,
				"%zu files of a split kdump set: expected 1 to %d",
				n, KD_PARTS_MAX);
	if (!pgt_kdump_inflater_built(how))
		return pgt_fail(err, PGT_ERR_UNSUPPORTED,
				"libdeflate was asked to inflate zlib pages, but this pgtctl was built without it (configure --with-libdeflate)");
	st = calloc(1, sizeof(*st));
	if (!st || !(st->file = calloc(n, sizeof(*st->file))) ||
	    !(st->codec = kd_codec_new(how))) {
		state_free(st);
		return pgt_fail(err, PGT_ERR_NOMEM, "out of memory");
	}
	st->nfiles = n;
	for (i = 0; i < n; i++)
		st->file[i].src.fd = -1;
	rc = open_layout(st, parts, err);
	if (!rc)
		rc = fill_dump(st, d, err);
	if (rc) {
		unfill_dump(d);
		state_free(st);
	}
	return rc;
}

int pgt_dump_open_kdump(struct pgt_dump *d, int fd, bool flattened,
			struct pgt_err *err)
{
	struct pgt_kdump_part p = { fd, d->path, flattened };

	return pgt_dump_open_kdump_parts(d, &p, 1, PGT_INFLATER_AUTO, err);
}
