/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Unit test of the kdump-compressed reader (src/dump/kdump.c and
 * kdump-flat.c): small dumps built here by an independent writer, with
 * 32- and 64-bit header words, both byte orders, the standard and the
 * flattened layout (records out of order, holes, overlapping records where
 * the later one wins), pages stored raw and zlib-compressed, a page
 * filtered out (bitmap 1 only), runs that cross a prefix-count group, and
 * more pages than the page cache holds.  Then one check per error class:
 * truncation at every structure boundary, bad signature, absurd
 * bitmap_blocks / max_mapnr, a bad zlib stream, lzo/snappy/zstd pages
 * (real ones read back when the library is built, garbage ones failing
 * with the library's error, or naming the library this build lacks), a
 * split part alone, an incomplete dump, flattened records past the end of
 * the file and a stream without end marker; every message names the file.
 * zlib pages are read through both inflaters (libdeflate when built, and
 * zlib).
 *
 * The writer spells the header offsets from the C struct rules (utsname,
 * then a timeval of two longs), not from the reader's tables.
 */
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#ifdef HAVE_LZO
#include <lzo/lzo1x.h>
#endif
#ifdef HAVE_SNAPPY
#include <snappy-c.h>
#endif
#ifdef HAVE_ZSTD
#include <zstd.h>
#endif
#include "dump/dump.h"
#include "../lib/tap.h"

#define BS 4096u

static char tmpdir[64];
static char path[256];

/* ---- a growable image ---- */

struct img {
	uint8_t *b;
	size_t n, cap;
};

static void img_reserve(struct img *m, size_t end)
{
	if (end > m->cap) {
		size_t cap = m->cap ? m->cap : 65536;

		while (cap < end)
			cap *= 2;
		m->b = realloc(m->b, cap);
		if (!m->b)
			exit(99);
		memset(m->b + m->cap, 0, cap - m->cap);
		m->cap = cap;
	}
	if (end > m->n)
		m->n = end;
}

static void put(struct img *m, size_t off, const void *p, size_t len)
{
	img_reserve(m, off + len);
	memcpy(m->b + off, p, len);
}

static void put_uint(struct img *m, size_t off, uint64_t v, int size, bool be)
{
	uint8_t b[8];
	int i;

	for (i = 0; i < size; i++)
		b[be ? size - 1 - i : i] = (uint8_t)(v >> (8 * i));
	put(m, off, b, (size_t)size);
}

static void put_be64(struct img *m, size_t off, uint64_t v)
{
	put_uint(m, off, v, 8, true);
}

/* ---- what a test dump holds ---- */

enum kind {
	K_NONE,		/* no memory there */
	K_FILTERED,	/* bitmap 1 only */
	K_RAW,
	K_ZLIB,
	K_BADZLIB,	/* a corrupt zlib stream */
	K_SHORTZLIB,	/* inflates to 100 bytes */
	K_LZO,		/* garbage stored as an lzo page */
	K_SNAPPY,
	K_ZSTD,
	K_GOOD_LZO,	/* real ones (when the library is built) */
	K_GOOD_SNAPPY,
	K_GOOD_ZSTD,
};

struct spec {
	int word;		/* 4 or 8 */
	bool be;
	bool align8;		/* 32-bit ABI aligning 64-bit fields to 8 */
	int version;
	uint32_t status;
	uint32_t split;
	uint64_t start_pfn, end_pfn;	/* split: the part's pages */
	uint64_t max_mapnr;
	uint8_t *kind;		/* max_mapnr entries */
	int32_t nr_cpus;
	uint32_t bitmap_blocks;	/* 0: what max_mapnr needs */
	uint32_t hdr_max_mapnr;	/* 0: from max_mapnr */
	uint64_t max_mapnr_64;	/* 0: max_mapnr */
};

/* where the writer put things, for the truncation tests */
struct layout {
	size_t sub, notes, bitmaps, descs, data, end;
	uint64_t badzlib_off;	/* where the K_BADZLIB page's data is */
};

static const char vmcoreinfo[] = "OSRELEASE=6.1.0-test\nPAGESIZE=4096\n";

static void page_bytes(uint64_t pfn, enum kind k, uint8_t *p)
{
	uint32_t x = (uint32_t)pfn * 2654435761u + 1;
	size_t i;

	for (i = 0; i < BS; i++) {
		if (k == K_RAW) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			p[i] = (uint8_t)x;
		} else {
			/* compressible, different for every PFN */
			p[i] = (uint8_t)(i % 512 < 8 ? pfn >> (8 * (i % 8)) :
					 (pfn + i / 256) & 0x0f);
		}
	}
}

static const uint32_t kind_flags[] = {
	[K_RAW] = 0, [K_ZLIB] = 1, [K_BADZLIB] = 1, [K_SHORTZLIB] = 1,
	[K_LZO] = 2, [K_SNAPPY] = 4, [K_ZSTD] = 0x20,
	[K_GOOD_LZO] = 2, [K_GOOD_SNAPPY] = 4, [K_GOOD_ZSTD] = 0x20,
};

/* a page in a real lzo / snappy / zstd encoding: its size, 0 unbuilt */
static size_t compress_other(enum kind k, const uint8_t *page, uint8_t *out)
{
#ifdef HAVE_LZO
	static uint8_t wrk[LZO1X_1_MEM_COMPRESS];
	lzo_uint ln = 2 * BS;
#endif
	size_t n = 2 * BS;

	(void)page;
	(void)out;
	(void)n;
	switch (k) {
#ifdef HAVE_LZO
	case K_GOOD_LZO:
		return lzo1x_1_compress(page, BS, out, &ln, wrk) == LZO_E_OK ?
		       ln : 0;
#endif
#ifdef HAVE_SNAPPY
	case K_GOOD_SNAPPY:
		return snappy_compress((const char *)page, BS, (char *)out,
				       &n) == SNAPPY_OK ? n : 0;
#endif
#ifdef HAVE_ZSTD
	case K_GOOD_ZSTD:
		n = ZSTD_compress(out, 2 * BS, page, BS, 1);
		return ZSTD_isError(n) ? 0 : n;
#endif
	default:
		return 0;
	}
}

/* one page's stored bytes; returns their size */
static size_t page_stored(uint64_t pfn, enum kind k, uint8_t *out)
{
	uint8_t page[BS];
	uLongf n = 2 * BS;

	page_bytes(pfn, k, page);
	if (k == K_RAW) {
		memcpy(out, page, BS);
		return BS;
	}
	if (k >= K_GOOD_LZO && (n = compress_other(k, page, out)))
		return n;
	if (k >= K_LZO) {
		memset(out, 0x5a, 100);
		return 100;
	}
	if (compress2(out, &n, page, k == K_SHORTZLIB ? 100 : BS, 6) != Z_OK)
		exit(99);
	if (k == K_BADZLIB)
		memset(out + 2, 0xff, 8);
	return n;
}

/* header field offsets: utsname ends at 12 + 6 * 65 = 402, then a
 * timeval of two longs aligned to a long, then 32-bit fields */
static size_t hdr_field(const struct spec *s, int index)
{
	size_t tv = (402 + (size_t)s->word - 1) / (size_t)s->word *
		    (size_t)s->word;

	return tv + 2 * (size_t)s->word + 4 * (size_t)index;
}

enum { H_STATUS, H_BLOCK_SIZE, H_SUB_HDR_SIZE, H_BITMAP_BLOCKS, H_MAX_MAPNR,
       H_TOTAL_RAM, H_DEVICE, H_WRITTEN, H_CURRENT_CPU, H_NR_CPUS };

static void write_header(struct img *m, const struct spec *s,
			 uint32_t bitmap_blocks)
{
	put(m, 0, "KDUMP   ", 8);
	put_uint(m, 8, (uint64_t)s->version, 4, s->be);
	put(m, 12, "Linux", 5);
	put(m, 12 + 4 * 65, "testarch", 8);
	put_uint(m, hdr_field(s, H_STATUS), s->status, 4, s->be);
	put_uint(m, hdr_field(s, H_BLOCK_SIZE), BS, 4, s->be);
	put_uint(m, hdr_field(s, H_SUB_HDR_SIZE), 1, 4, s->be);
	put_uint(m, hdr_field(s, H_BITMAP_BLOCKS), bitmap_blocks, 4, s->be);
	put_uint(m, hdr_field(s, H_MAX_MAPNR),
		 s->hdr_max_mapnr ? s->hdr_max_mapnr : s->max_mapnr, 4, s->be);
	put_uint(m, hdr_field(s, H_NR_CPUS), (uint32_t)s->nr_cpus, 4, s->be);
}

/* kdump_sub_header, field by field with the ABI's alignment */
static size_t write_sub(struct img *m, const struct spec *s, size_t notes,
			size_t notes_len, size_t vmci)
{
	size_t w = (size_t)s->word, a64 = s->word == 8 || s->align8 ? 8 : 4;
	size_t o = BS;
	struct {
		uint64_t v;
		size_t size;
	} f[] = {
		{ 0, w }, { 0, 4 }, { s->split, 4 }, { s->start_pfn, w },
		{ s->end_pfn, w },
		{ vmci, 8 }, { sizeof(vmcoreinfo) - 1, w },
		{ notes, 8 }, { notes_len, w }, { 0, 8 }, { 0, w },
		{ s->start_pfn, 8 }, { s->end_pfn, 8 },
		{ s->max_mapnr_64 ? s->max_mapnr_64 : s->max_mapnr, 8 },
	};
	size_t i;

	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		size_t al = f[i].size == 8 ? a64 : f[i].size;

		o = (o + al - 1) / al * al;
		put_uint(m, o, f[i].v, (int)f[i].size, s->be);
		o += f[i].size;
	}
	return (o + a64 - 1) / a64 * a64;
}

static size_t write_notes(struct img *m, const struct spec *s, size_t off)
{
	/* one note of a type nobody knows: kept, skipped */
	put_uint(m, off, 5, 4, s->be);
	put_uint(m, off + 4, 8, 4, s->be);
	put_uint(m, off + 8, 0x7777, 4, s->be);
	put(m, off + 12, "TEST", 5);
	put(m, off + 20, "abcdefgh", 8);
	return 28;
}

static void set_bit(struct img *m, size_t base, uint64_t pfn)
{
	img_reserve(m, base + pfn / 8 + 1);
	m->b[base + pfn / 8] |= (uint8_t)(1u << (pfn % 8));
}

/* the pages whose descriptors and data the file holds */
static bool in_part(const struct spec *s, uint64_t pfn)
{
	return !s->split || s->version < 2 ||
	       (pfn >= s->start_pfn && pfn < s->end_pfn);
}

static void write_pages(struct img *m, const struct spec *s, struct layout *l,
			uint64_t ndumped)
{
	uint8_t buf[2 * BS];
	size_t d = l->descs, data = l->descs + 24 * ndumped;
	uint64_t pfn;

	l->data = data;
	for (pfn = 0; pfn < s->max_mapnr; pfn++) {
		enum kind k = (enum kind)s->kind[pfn];
		size_t n;

		if (k < K_RAW || !in_part(s, pfn))
			continue;
		n = page_stored(pfn, k, buf);
		if (k == K_BADZLIB)
			l->badzlib_off = data;
		put_uint(m, d, data, 8, s->be);
		put_uint(m, d + 8, n, 4, s->be);
		put_uint(m, d + 12, kind_flags[k], 4, s->be);
		put_uint(m, d + 16, 0, 8, s->be);
		put(m, data, buf, n);
		d += 24;
		data += n;
	}
	l->end = data;
}

/* The standard layout of s. */
static struct img make_std(const struct spec *s, struct layout *l)
{
	struct img m = { NULL, 0, 0 };
	uint64_t bmbytes = (s->max_mapnr + 7) / 8, ndumped = 0, pfn;
	uint32_t half = (uint32_t)((bmbytes + BS - 1) / BS);
	uint32_t bmb = s->bitmap_blocks ? s->bitmap_blocks : 2 * half;
	size_t notes_len;

	memset(l, 0, sizeof(*l));
	write_header(&m, s, bmb);
	l->sub = BS;
	l->notes = write_sub(&m, s, 0, 0, 0);
	notes_len = write_notes(&m, s, l->notes);
	put(&m, l->notes + notes_len, vmcoreinfo, sizeof(vmcoreinfo) - 1);
	write_sub(&m, s, l->notes, notes_len, l->notes + notes_len);
	l->bitmaps = 2 * BS;
	img_reserve(&m, l->bitmaps + 2 * (size_t)half * BS);
	for (pfn = 0; pfn < s->max_mapnr; pfn++) {
		if (s->kind[pfn] >= K_FILTERED)
			set_bit(&m, l->bitmaps, pfn);
		if (s->kind[pfn] >= K_RAW) {
			set_bit(&m, l->bitmaps + (size_t)half * BS, pfn);
			ndumped += in_part(s, pfn);
		}
	}
	l->descs = l->bitmaps + 2 * (size_t)half * BS;
	write_pages(&m, s, l, ndumped);
	return m;
}

/* ---- the flattened layout of a standard image ---- */

#define CHUNK 1500

static void flat_rec(struct img *f, const void *data, uint64_t off,
		     uint64_t len)
{
	size_t at = f->n;

	put_be64(f, at, off);
	put_be64(f, at + 8, len);
	put(f, at + 16, data, (size_t)len);
}

static bool all_zero(const uint8_t *p, size_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

/*
 * Records out of order (odd chunks first), zero chunks left out (holes),
 * garbage written first and overwritten by later records, a record
 * straddling chunk boundaries, the header block rewritten at the end.
 */
static struct img make_flat(const struct img *std, const struct layout *l,
			    bool end_marker)
{
	struct img f = { NULL, 0, 0 };
	uint8_t junk[600];
	size_t nch = (std->n + CHUNK - 1) / CHUNK, i, pass;

	put(&f, 0, "makedumpfile", 12);
	put_be64(&f, 16, 1);
	put_be64(&f, 24, 1);
	img_reserve(&f, 4096);
	memset(junk, 0xa5, sizeof(junk));
	flat_rec(&f, junk, 0, 0x1d0);
	flat_rec(&f, junk, l->descs, 48);
	for (pass = 0; pass < 2; pass++)
		for (i = 1 - pass; i < nch; i += 2) {
			size_t off = i * CHUNK;
			size_t len = std->n - off;

			len = len < CHUNK ? len : CHUNK;

			if (!all_zero(std->b + off, len))
				flat_rec(&f, std->b + off, off, len);
		}
	flat_rec(&f, std->b + 100, 100, 5000);
	flat_rec(&f, std->b, 0, BS);
	if (end_marker) {
		put_be64(&f, f.n, UINT64_MAX);
		put_be64(&f, f.n, UINT64_MAX);
	}
	return f;
}

/* ---- files and opening ---- */

static const char *write_file(const char *name, const void *data, size_t len)
{
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	f = fopen(path, "w");
	if (!f || fwrite(data, 1, len, f) != len || fclose(f)) {
		perror(path);
		exit(99);
	}
	return path;
}

/* what pgt_dump_close does, without linking the rest of the dump layer */
static void dump_free(struct pgt_dump *d)
{
	if (d->close)
		d->close(d);
	free(d->path);
	free(d->notes);
	free(d->vmcoreinfo);
	free(d->cpu);
	free(d->ranges);
	memset(d, 0, sizeof(*d));
}

static int open_file(struct pgt_dump *d, const char *p, bool flat,
		     struct pgt_err *err)
{
	int fd = open(p, O_RDONLY), rc;

	if (fd < 0)
		exit(99);
	memset(d, 0, sizeof(*d));
	d->path = strdup(p);
	pgt_err_clear(err);
	rc = pgt_dump_open_kdump(d, fd, flat, err);
	close(fd);
	return rc;
}

static int open_with(struct pgt_dump *d, const char *p, enum pgt_inflater how,
		     struct pgt_err *err)
{
	struct pgt_kdump_part part = { open(p, O_RDONLY), p, false };
	int rc;

	if (part.fd < 0)
		exit(99);
	memset(d, 0, sizeof(*d));
	d->path = strdup(p);
	pgt_err_clear(err);
	rc = pgt_dump_open_kdump_parts(d, &part, 1, how, err);
	close(part.fd);
	return rc;
}

static int open_img(struct pgt_dump *d, const char *name,
		    const struct img *m, bool flat, struct pgt_err *err)
{
	return open_file(d, write_file(name, m->b, m->n), flat, err);
}

/* open must fail with status and a message naming the file and `what` */
static void expect_fail(const char *name, const struct img *m, bool flat,
			int status, const char *what)
{
	struct pgt_dump d;
	struct pgt_err err;
	int rc = open_img(&d, name, m, flat, &err);

	ok(rc == status && strstr(err.msg, path) && strstr(err.msg, what),
	   "%s: open fails (status %d) naming the file and \"%s\"", name,
	   status, what);
	if (rc != status || !strstr(err.msg, what))
		printf("#   got %d: %s\n", rc, err.msg);
	if (!rc)
		dump_free(&d);
	else
		free(d.path);
	ok(!d.ranges && !d.notes && !d.cpu && !d.vmcoreinfo && !d.close,
	   "%s: a failed open leaves nothing in d", name);
	unlink(path);
}

static bool read_ok(struct pgt_dump *d, uint64_t pfn, enum kind k)
{
	uint8_t want[BS], got[BS];

	page_bytes(pfn, k, want);
	return d->pm.read(&d->pm, pfn * BS, got, BS) == 0 &&
	       !memcmp(got, want, BS);
}

/* Does reading [pa, pa + len) fail with a why holding a and b? */
static bool read_fails(struct pgt_dump *d, uint64_t pa, size_t len,
		       const char *a, const char *b)
{
	static uint8_t buf[4 * BS];
	const char *w;

	if (d->pm.read(&d->pm, pa, buf, len) == 0) {
		printf("#   the read at 0x%llx succeeded\n",
		       (unsigned long long)pa);
		return false;
	}
	w = d->pm.why ? d->pm.why(&d->pm) : NULL;
	if (w && strstr(w, a) && (!b || strstr(w, b)))
		return true;
	printf("#   why: %s\n", w ? w : "(none)");
	return false;
}

/* ---- a typical dump ---- */

#define NPFN 5000

static struct spec base_spec(int word, bool be)
{
	static uint8_t kind[NPFN];
	struct spec s;
	uint64_t p;

	memset(kind, K_NONE, sizeof(kind));
	for (p = 0; p < 4; p++)
		kind[p] = p % 2 ? K_ZLIB : K_RAW;
	kind[4] = K_FILTERED;
	kind[5] = K_ZLIB;
	for (p = 100; p < 110; p++)
		kind[p] = K_FILTERED;
	/* a run across the first 64-word group of prefix counts */
	for (p = 4090; p < 4100; p++)
		kind[p] = p % 3 ? K_ZLIB : K_RAW;
	kind[NPFN - 1] = K_ZLIB;
	memset(&s, 0, sizeof(s));
	s.word = word;
	s.be = be;
	s.version = 6;
	s.status = 1;
	s.max_mapnr = NPFN;
	s.kind = kind;
	s.nr_cpus = 3;
	return s;
}

static void check_ranges(struct pgt_dump *d, const char *name)
{
	static const uint64_t want[][2] = {
		{ 0, 4 }, { 5, 6 }, { 4090, 4100 }, { NPFN - 1, NPFN },
	};
	bool same = d->nranges == 4;
	size_t i;

	for (i = 0; same && i < 4; i++)
		same = d->ranges[i].start == want[i][0] * BS &&
		       d->ranges[i].end == want[i][1] * BS;
	ok(same, "%s: ranges are the runs of bitmap 2", name);
}

static void check_reads(struct pgt_dump *d, const struct spec *s,
			const char *name)
{
	uint8_t buf[4 * BS], want[BS];
	uint64_t p;
	bool all = true;

	for (p = 0; p < s->max_mapnr; p++)
		if (s->kind[p] >= K_RAW && !read_ok(d, p, s->kind[p]))
			all = false;
	ok(all, "%s: every dumped page reads back byte-identical", name);
	/* a read across pages 4090..4093 starting mid-page */
	ok(d->pm.read(&d->pm, 4090 * BS + 100, buf, 3 * BS) == 0,
	   "%s: a read spanning 4 pages", name);
	page_bytes(4091, s->kind[4091], want);
	ok(!memcmp(buf + BS - 100, want, BS),
	   "%s: ... has page 4091 at its place", name);
	ok(read_fails(d, 4 * BS, 8, "excluded from the dump", "page 0x4:"),
	   "%s: a filtered page fails", name);
	ok(read_fails(d, 3 * BS + 4000, 200, "excluded", "page 0x4:"),
	   "%s: a read running into a filtered page fails", name);
	ok(read_fails(d, 50 * BS, 8, "no memory there", "page 0x32:"),
	   "%s: a page in neither bitmap fails", name);
	ok(read_fails(d, (uint64_t)NPFN * BS, 8, "beyond max_mapnr", NULL),
	   "%s: a read past max_mapnr fails", name);
	ok(read_fails(d, (uint64_t)NPFN * BS - 4, 8, "beyond max_mapnr", NULL),
	   "%s: a read running past max_mapnr fails", name);
	ok(read_fails(d, UINT64_MAX - 3, 8, "beyond max_mapnr", NULL),
	   "%s: a read wrapping around 2^64 fails", name);
}

static void check_dump(const struct spec *s, bool flat, const char *name)
{
	struct layout l;
	struct img std = make_std(s, &l), m = std;
	struct pgt_dump d;
	struct pgt_err err;
	int rc;

	if (flat)
		m = make_flat(&std, &l, true);
	rc = open_img(&d, name, &m, flat, &err);
	ok(rc == 0, "%s: opens", name);
	if (rc) {
		printf("#   %s\n", err.msg);
		goto out;
	}
	is_u64(d.elf_class, s->word * 8, "%s: elf_class", name);
	is_u64(d.big_endian, s->be, "%s: byte order", name);
	is_str(d.kdump_machine, "testarch", "%s: utsname.machine", name);
	is_u64(d.pm.limit, (uint64_t)NPFN * BS, "%s: limit = max_mapnr pages",
	       name);
	is_u64(d.format, flat ? PGT_DUMP_KDUMP_FLAT : PGT_DUMP_KDUMP,
	       "%s: format", name);
	ok(d.vmcoreinfo && strstr(d.vmcoreinfo, "OSRELEASE=6.1.0-test") &&
	   strstr(d.vmcoreinfo, "PAGESIZE=4096"), "%s: VMCOREINFO", name);
	is_u64(d.notes_len, 28, "%s: the notes' bytes", name);
	ok(d.notes && !memcmp(d.notes + 20, "abcdefgh", 8),
	   "%s: ... as in the file", name);
	is_u64(d.ncpus, 3, "%s: ncpus from nr_cpus when no note says", name);
	ok(d.cpu && d.cpu[2].pid == -1, "%s: cpu[] allocated, pid unknown",
	   name);
	check_ranges(&d, name);
	check_reads(&d, s, name);
	dump_free(&d);
out:
	unlink(path);
	if (flat)
		free(m.b);
	free(std.b);
}

static void test_layouts(void)
{
	static const struct {
		int word;
		bool be, align8;
	} v[] = {
		{ 4, false, false }, { 4, true, false }, { 4, true, true },
		{ 8, false, false }, { 8, true, false },
	};
	char name[64];
	size_t i;
	int flat;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		for (flat = 0; flat < 2; flat++) {
			struct spec s = base_spec(v[i].word, v[i].be);

			s.align8 = v[i].align8;
			snprintf(name, sizeof(name), "%d-bit-%s%s%s.kdump",
				 v[i].word * 8, v[i].be ? "be" : "le",
				 v[i].align8 ? "-align8" : "",
				 flat ? "-flat" : "");
			check_dump(&s, flat, name);
		}
}

/* header version 1: no notes, no VMCOREINFO, no split field */
static void test_old_version(void)
{
	struct spec s = base_spec(8, false);
	struct layout l;
	struct img m;
	struct pgt_dump d;
	struct pgt_err err;
	int rc;

	s.version = 1;
	s.split = 1;	/* not there in version 1: ignored */
	m = make_std(&s, &l);
	rc = open_img(&d, "v1.kdump", &m, false, &err);
	ok(rc == 0, "header version 1 opens");
	if (!rc) {
		ok(!d.vmcoreinfo && !d.notes,
		   "version 1: no notes or VMCOREINFO read");
		ok(read_ok(&d, 4095, s.kind[4095]), "version 1: pages read");
		dump_free(&d);
	} else {
		printf("#   %s\n", err.msg);
	}
	unlink(path);
	free(m.b);
}

/* more dumped pages than the cache holds, read in two orders */
static void test_cache(void)
{
	static uint8_t kind[2000];
	struct spec s = base_spec(8, true);
	struct layout l;
	struct img m;
	struct pgt_dump d;
	struct pgt_err err;
	bool all = true;
	int round;
	uint64_t p;

	for (p = 0; p < 2000; p++)
		kind[p] = p % 3 ? K_ZLIB : K_RAW;
	s.kind = kind;
	s.max_mapnr = 2000;
	m = make_std(&s, &l);
	if (open_img(&d, "cache.kdump", &m, false, &err)) {
		ok(0, "cache.kdump opens: %.200s", err.msg);
		goto out;
	}
	for (round = 0; round < 3; round++)
		for (p = 0; p < 2000; p++) {
			uint64_t pfn = round == 1 ? 1999 - p : (p * 7) % 2000;

			if (!read_ok(&d, pfn, kind[pfn]))
				all = false;
		}
	ok(all, "2000 pages read in three orders (the cache evicts right)");
	dump_free(&d);
out:
	unlink(path);
	free(m.b);
}

/* ---- errors ---- */

static void test_truncation(void)
{
	struct spec s = base_spec(8, false);
	struct layout l;
	struct img m = make_std(&s, &l), t = m;
	struct pgt_dump d;
	struct pgt_err err;
	const struct {
		size_t at;
		const char *what;
	} cut[] = {
		{ 0, "kdump header" }, { 100, "kdump header" },
		{ 0x1d0 - 1, "kdump header" }, { BS, "sub-header" },
		{ BS + 50, "sub-header" }, { l.bitmaps, "bitmap" },
		{ l.bitmaps + 700, "bitmap" }, { l.descs, "descriptors" },
		{ l.descs + 30, "descriptors" }, { l.data, "page data" },
		{ l.data + 5000, "page data" }, { l.end - 1, "page 0x1387" },
	};
	char name[64];
	size_t i;

	for (i = 0; i < sizeof(cut) / sizeof(cut[0]); i++) {
		t.n = cut[i].at;
		snprintf(name, sizeof(name), "cut-at-0x%zx.kdump", cut[i].at);
		expect_fail(name, &t, false, PGT_ERR_INPUT, cut[i].what);
	}
	/* the file shrinks after the open: reads fail, nothing crashes */
	if (open_img(&d, "shrinks.kdump", &m, false, &err) == 0) {
		ok(read_ok(&d, 0, s.kind[0]), "shrinking file: page 0 reads");
		ok(truncate(path, (off_t)l.data + 100) == 0, "shrinking file: cut");
		ok(read_fails(&d, (NPFN - 1) * (uint64_t)BS, 8, "page 0x1387",
			      "truncated"),
		   "shrinking file: the last page fails");
		ok(read_ok(&d, 0, s.kind[0]), "shrinking file: page 0 is cached");
		dump_free(&d);
	} else {
		ok(0, "shrinks.kdump opens: %.200s", err.msg);
	}
	unlink(path);
	free(m.b);
}

static void test_header_errors(void)
{
	struct spec s = base_spec(4, false);
	struct layout l;
	struct img m = make_std(&s, &l);
	uint8_t save[8];

	memcpy(save, m.b, 8);
	memcpy(m.b, "KDUMQ   ", 8);
	expect_fail("bad-sig.kdump", &m, false, PGT_ERR_INPUT, "bad signature");
	memcpy(m.b, save, 8);

	put_uint(&m, 8, 7, 4, false);
	expect_fail("version7.kdump", &m, false, PGT_ERR_UNSUPPORTED,
		    "header_version 7");
	put_uint(&m, 8, 0x12345678, 4, false);
	expect_fail("version-garbage.kdump", &m, false, PGT_ERR_INPUT,
		    "header_version");
	put_uint(&m, 8, 6, 4, false);

	put_uint(&m, hdr_field(&s, H_BLOCK_SIZE), 3000, 4, false);
	expect_fail("block-size.kdump", &m, false, PGT_ERR_INPUT, "block_size");
	put_uint(&m, hdr_field(&s, H_BLOCK_SIZE), BS, 4, false);

	put_uint(&m, hdr_field(&s, H_NR_CPUS), 0x7fffffff, 4, false);
	expect_fail("nr-cpus.kdump", &m, false, PGT_ERR_INPUT, "nr_cpus");
	put_uint(&m, hdr_field(&s, H_NR_CPUS), 3, 4, false);
	free(m.b);
}

static void test_absurd_sizes(void)
{
	struct spec s = base_spec(8, true);
	struct layout l;
	struct img m;

	s.bitmap_blocks = 0x7ffffffe;
	m = make_std(&s, &l);
	expect_fail("bitmap-blocks.kdump", &m, false, PGT_ERR_INPUT,
		    "bitmap_blocks 2147483646");
	free(m.b);

	s = base_spec(8, true);
	s.bitmap_blocks = 3;
	m = make_std(&s, &l);
	expect_fail("bitmap-odd.kdump", &m, false, PGT_ERR_INPUT, "even");
	free(m.b);

	s = base_spec(8, true);
	s.hdr_max_mapnr = UINT32_MAX;
	s.max_mapnr_64 = UINT64_C(1) << 40;
	m = make_std(&s, &l);
	expect_fail("max-mapnr.kdump", &m, false, PGT_ERR_INPUT,
		    "max_mapnr 1099511627776");
	free(m.b);

	s = base_spec(4, false);
	s.hdr_max_mapnr = 1u << 30;
	s.version = 5;
	m = make_std(&s, &l);
	expect_fail("max-mapnr32.kdump", &m, false, PGT_ERR_INPUT, "max_mapnr");
	free(m.b);
}

static void test_unsupported(void)
{
	static const struct {
		uint32_t status;
		const char *what;
	} st[] = {
		{ 0x1 | 0x8, "incomplete" }, { 0x41, "unknown flags 0x40" },
	};
	static const uint32_t comp_status[] = { 0x2, 0x4, 0x20 };
	struct spec s;
	struct layout l;
	struct img m;
	struct pgt_dump d;
	struct pgt_err err;
	char name[64];
	size_t i;

	/* the header's compression says what the writer was asked for; the
	 * pages say how they are stored (here zlib and raw) */
	for (i = 0; i < 3; i++) {
		s = base_spec(8, i % 2);
		s.status = comp_status[i];
		m = make_std(&s, &l);
		snprintf(name, sizeof(name), "status-%x.kdump", comp_status[i]);
		if (open_img(&d, name, &m, false, &err) == 0) {
			ok(read_ok(&d, 4091, s.kind[4091]),
			   "%s: opens, its zlib pages read", name);
			dump_free(&d);
		} else {
			ok(0, "%s opens: %.200s", name, err.msg);
		}
		unlink(path);
		free(m.b);
	}
	for (i = 0; i < sizeof(st) / sizeof(st[0]); i++) {
		s = base_spec(8, i % 2);
		s.status = st[i].status;
		m = make_std(&s, &l);
		snprintf(name, sizeof(name), "status-%x.kdump", st[i].status);
		expect_fail(name, &m, false, PGT_ERR_UNSUPPORTED, st[i].what);
		free(m.b);
	}
	/* split = 1 with start_pfn = end_pfn = 0: a part holding nothing */
	s = base_spec(4, false);
	s.split = 1;
	m = make_std(&s, &l);
	expect_fail("split.kdump", &m, false, PGT_ERR_INPUT,
		    "pages 0x0-0x1388 after it are in none of the files given: a part of the split set is missing");
	free(m.b);
}

/*
 * Split sets built by this writer, in every header layout (the split
 * fields sit at other offsets for 32-bit, 32-bit aligned and 64-bit, both
 * byte orders): the parts in reverse order read back every page, an empty
 * part at a boundary is no gap, and a missing part is refused.
 */
static void test_split_sets(void)
{
	static const struct {
		int word;
		bool be, align8;
	} v[] = {
		{ 4, false, false }, { 4, true, true }, { 8, true, false },
	};
	/* 5000 pages in parts [0,5) [5,5) [5,4095) [4095,5000) */
	static const uint64_t cut[] = { 0, 5, 5, 4095, NPFN };
	char names[4][256];
	int fds[4];
	size_t i, j;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		struct pgt_kdump_part parts[4];
		struct pgt_dump d;
		struct pgt_err err;
		char name[64];
		int rc;

		for (j = 0; j < 4; j++) {
			struct spec s = base_spec(v[i].word, v[i].be);
			struct layout l;
			struct img m;

			s.align8 = v[i].align8;
			s.split = 1;
			s.start_pfn = cut[j];
			s.end_pfn = cut[j + 1];
			m = make_std(&s, &l);
			snprintf(name, sizeof(name), "split-%zu.%zu", i, j);
			snprintf(names[j], sizeof(names[j]), "%s",
				 write_file(name, m.b, m.n));
			free(m.b);
			/* given last part first */
			parts[3 - j].fd = fds[j] = open(names[j], O_RDONLY);
			parts[3 - j].name = names[j];
			parts[3 - j].flattened = false;
		}
		memset(&d, 0, sizeof(d));
		d.path = strdup("set");
		rc = pgt_dump_open_kdump_parts(&d, parts, 4, PGT_INFLATER_AUTO,
					       &err);
		snprintf(name, sizeof(name), "%d-bit %s%s split set",
			 v[i].word * 8, v[i].be ? "be" : "le",
			 v[i].align8 ? " align8" : "");
		ok(rc == 0, "%s of 4 parts (one empty), reversed: opens", name);
		if (!rc) {
			struct spec s = base_spec(v[i].word, v[i].be);

			is_u64(d.format, PGT_DUMP_KDUMP_SPLIT, "%s: format", name);
			ok(strstr(d.path, "split-") &&
			   strstr(d.path, ".0 + ") && strstr(d.path, ".3"),
			   "%s: named by its parts in page order: %s", name,
			   d.path);
			check_ranges(&d, name);
			check_reads(&d, &s, name);
			dump_free(&d);
		} else {
			printf("#   %s\n", err.msg);
			free(d.path);
		}
		/* without the part of pages 5..4094 */
		memset(&d, 0, sizeof(d));
		d.path = strdup("set");
		/* parts[1] is file 2 (pages 5..4094): dropped */
		parts[1] = parts[2];
		parts[2] = parts[3];
		rc = pgt_dump_open_kdump_parts(&d, parts, 3, PGT_INFLATER_AUTO,
					       &err);
		ok(rc == PGT_ERR_INPUT &&
		   strstr(err.msg, "pages 0x5-0xfff before it are in none of the files given"),
		   "%s: a missing part is named by its pages", name);
		if (rc != PGT_ERR_INPUT)
			printf("#   %d %s\n", rc, err.msg);
		if (!rc)
			dump_free(&d);
		else
			free(d.path);
		for (j = 0; j < 4; j++) {
			close(fds[j]);
			unlink(names[j]);
		}
	}
}

/* What a page in a compression this build has or lacks says. */
static const char *comp_why(const char *comp, const char *lib, bool built,
			    char *buf, size_t len)
{
	if (built)
		snprintf(buf, len, "bad %s data", comp);
	else
		snprintf(buf, len, "compressed with %s (file offset", comp);
	(void)lib;
	return buf;
}

#ifdef HAVE_LZO
#define BUILT_LZO true
#else
#define BUILT_LZO false
#endif
#ifdef HAVE_SNAPPY
#define BUILT_SNAPPY true
#else
#define BUILT_SNAPPY false
#endif
#ifdef HAVE_ZSTD
#define BUILT_ZSTD true
#else
#define BUILT_ZSTD false
#endif

/*
 * Real lzo, snappy and zstd pages read back byte-identical when the
 * library is built, else each fails naming the page and the library (and
 * the pages around it still read: a finding, not the end of the walk);
 * zlib pages the same through both inflaters.
 */
static void test_compressions(void)
{
	static uint8_t kind[400];
	static const struct {
		enum kind k;
		bool built;
		const char *lib;
	} c[] = {
		{ K_GOOD_LZO, BUILT_LZO, "liblzo2" },
		{ K_GOOD_SNAPPY, BUILT_SNAPPY, "libsnappy" },
		{ K_GOOD_ZSTD, BUILT_ZSTD, "libzstd" },
	};
	static const enum pgt_inflater inflaters[] = {
		PGT_INFLATER_AUTO, PGT_INFLATER_ZLIB, PGT_INFLATER_LIBDEFLATE,
	};
	static const char *const inflater_name[] = { "auto", "zlib",
						     "libdeflate" };
	struct spec s = base_spec(8, false);
	struct layout l;
	struct img m;
	struct pgt_dump d;
	struct pgt_err err;
	const char *p;
	size_t i, j;
	uint64_t pfn;

	for (pfn = 0; pfn < 400; pfn++)
		kind[pfn] = pfn < 100 ? K_ZLIB : c[pfn / 100 - 1].k;
	s.kind = kind;
	s.max_mapnr = 400;
	m = make_std(&s, &l);
	p = write_file("comps.kdump", m.b, m.n);
	for (j = 0; j < 3; j++) {
		bool all = true;
		int rc;

		if (!pgt_kdump_inflater_built(inflaters[j])) {
			rc = open_with(&d, p, inflaters[j], &err);
			ok(rc == PGT_ERR_UNSUPPORTED &&
			   strstr(err.msg, "built without it"),
			   "inflater %s: not built: the open says so",
			   inflater_name[j]);
			free(d.path);
			continue;
		}
		if ((rc = open_with(&d, p, inflaters[j], &err))) {
			ok(0, "comps.kdump opens: %.200s", err.msg);
			continue;
		}
		for (pfn = 0; pfn < 100; pfn++)
			all = all && read_ok(&d, pfn, K_ZLIB);
		ok(all, "inflater %s: 100 zlib pages read back",
		   inflater_name[j]);
		for (i = 0; j == 0 && i < 3; i++) {
			char want[80], page[32];

			for (all = true, pfn = 100 * (i + 1);
			     pfn < 100 * (i + 2); pfn++)
				if (!read_ok(&d, pfn, c[i].k) && all) {
					all = false;
					printf("#   page 0x%llx: %s\n", (unsigned long long)pfn, d.pm.why(&d.pm) ? d.pm.why(&d.pm) : "(read, differs)");
				}
			if (c[i].built) {
				ok(all, "100 %s pages read back byte-identical",
				   c[i].lib);
				continue;
			}
			snprintf(page, sizeof(page), "page 0x%llx: ",
				 (unsigned long long)(100 * (i + 1) + 7));
			snprintf(want, sizeof(want),
				 "this pgtctl was built without %s", c[i].lib);
			ok(read_fails(&d, (100 * (i + 1) + 7) * BS, 8, page,
				      want) && d.pm.fail_status == 0,
			   "%s not built: a page fails naming it and the library (a finding)",
			   c[i].lib);
		}
		ok(read_ok(&d, 99, K_ZLIB), "inflater %s: still reads after",
		   inflater_name[j]);
		dump_free(&d);
	}
	unlink(p);
	free(m.b);
}

static void test_bad_pages(void)
{
	static uint8_t kind[64];
	struct spec s = base_spec(4, true);
	struct layout l;
	struct img m;
	struct pgt_dump d;
	struct pgt_err err;
	char want[64];
	char why[3][64];
	const struct {
		uint64_t pfn;
		const char *what;
	} bad[] = {
		{ 0x21, comp_why("lzo", "liblzo2", BUILT_LZO, why[0], 64) },
		{ 0x22, comp_why("snappy", "libsnappy", BUILT_SNAPPY, why[1],
				 64) },
		{ 0x23, comp_why("zstd", "libzstd", BUILT_ZSTD, why[2], 64) },
		{ 0x24, "inflates to 100 bytes" },
	};
	size_t i;

	memset(kind, K_RAW, sizeof(kind));
	kind[0x20] = K_BADZLIB;
	kind[0x21] = K_LZO;
	kind[0x22] = K_SNAPPY;
	kind[0x23] = K_ZSTD;
	kind[0x24] = K_SHORTZLIB;
	s.kind = kind;
	s.max_mapnr = 64;
	m = make_std(&s, &l);
	if (open_img(&d, "bad-pages.kdump", &m, false, &err)) {
		ok(0, "bad-pages.kdump opens: %.200s", err.msg);
		goto out;
	}
	snprintf(want, sizeof(want), "file offset 0x%llx",
		 (unsigned long long)l.badzlib_off);
	ok(read_fails(&d, 0x20 * BS, 8, "page 0x20: bad zlib data", want),
	   "a bad zlib stream fails naming the PFN and offset");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(want, sizeof(want), "page 0x%llx",
			 (unsigned long long)bad[i].pfn);
		ok(read_fails(&d, bad[i].pfn * BS, 8, want, bad[i].what),
		   "page 0x%llx fails: %s", (unsigned long long)bad[i].pfn,
		   bad[i].what);
	}
	ok(read_ok(&d, 0x25, K_RAW) && read_ok(&d, 0x1f, K_RAW),
	   "the pages around them still read");
	ok(read_fails(&d, 0x20 * BS, 8, "page 0x20", NULL),
	   "a bad page fails again (not cached)");
	dump_free(&d);
out:
	unlink(path);
	free(m.b);
}

static void test_flat_errors(void)
{
	struct spec s = base_spec(8, false);
	struct layout l;
	struct img std = make_std(&s, &l), f, t;
	struct img h = { NULL, 0, 0 };

	f = make_flat(&std, &l, false);
	expect_fail("no-end.flat", &f, true, PGT_ERR_INPUT, "end marker");
	t = f;
	t.n -= 10;
	expect_fail("rec-past-eof.flat", &t, true, PGT_ERR_INPUT,
		    "runs past the end of the file");
	t.n = 4096 + 8;
	expect_fail("cut-rec-hdr.flat", &t, true, PGT_ERR_INPUT,
		    "record header");
	t.n = 4000;
	expect_fail("cut-flat-hdr.flat", &t, true, PGT_ERR_INPUT,
		    "flattened kdump header");
	free(f.b);

	put(&h, 0, "makedumpfile", 12);
	put_be64(&h, 16, 2);
	put_be64(&h, 24, 1);
	img_reserve(&h, 4096);
	put_be64(&h, 4096, UINT64_MAX);
	put_be64(&h, 4104, UINT64_MAX);
	expect_fail("flat-type2.flat", &h, true, PGT_ERR_UNSUPPORTED, "type 2");
	put_be64(&h, 16, 1);
	expect_fail("flat-empty.flat", &h, true, PGT_ERR_INPUT, "kdump header");
	put_be64(&h, 4096, 0);
	put_be64(&h, 4104, (uint64_t)-5);
	put_be64(&h, 4112, UINT64_MAX);
	put_be64(&h, 4120, UINT64_MAX);
	expect_fail("flat-negative.flat", &h, true, PGT_ERR_INPUT,
		    "non-negative");
	free(h.b);
	free(std.b);
}

int main(void)
{
	const char *base = getenv("TMPDIR");

	snprintf(tmpdir, sizeof(tmpdir), "%s/t-dump-kdump.XXXXXX",
		 base && *base && strlen(base) < 32 ? base : "/tmp");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 99;
	}
	test_layouts();
	test_old_version();
	test_cache();
	test_truncation();
	test_header_errors();
	test_absurd_sizes();
	test_unsupported();
	test_bad_pages();
	test_compressions();
	test_split_sets();
	test_flat_errors();
	if (rmdir(tmpdir))
		printf("# leftover files in %s\n", tmpdir);
	return done_testing();
}
