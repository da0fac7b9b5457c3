/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * kdump-rewrite: write a kdump-compressed file again with its pages in
 * another compression, or as a makedumpfile --split set, for the tests.
 *
 *   kdump-rewrite IN OUT COMP [--split N] [--damage PFN] [--stamp]
 *                 [--flag-only PFN]
 *
 * IN is a kdump in the standard or the flattened layout (its pages raw or
 * zlib); OUT is written in the standard layout with every dumped page
 * compressed with COMP (zlib, lzo, snappy, zstd or none), stored raw when
 * that does not make it smaller, as makedumpfile does, and the header's
 * status bits set to COMP (none: cleared).  --split N writes
 * OUT.1 .. OUT.N instead: the same header, notes and bitmaps in each, the
 * sub-header's split = 1 with start_pfn/end_pfn (and the 64-bit copies from
 * header version 6), each with the descriptors and data of its PFN range,
 * the ranges cut at equal numbers of dumped pages (makedumpfile.c,
 * write_kdump_header and setup_splitting).  --damage PFN spoils page PFN:
 * an lzo page loses its last 16 bytes (descriptor size too: the data ends
 * early), any other page gets its first 8 bytes overwritten.  --stamp
 * changes the header's timestamp by one second: the same machine dumped by
 * another run (a part of it is foreign to the first run's set).
 * --flag-only PFN needs no library: every page is zlib but page PFN, whose
 * raw bytes are stored flagged as COMP, which a pgtctl without COMP's
 * library must report as such (and one with it as bad data).
 *
 * Exit 77 when COMP's library was not built in (the tests skip), 2 on bad
 * input.  Independent of pgtctl's reader: the layout is spelled here from
 * makedumpfile's diskdump_mod.h and IMPLEMENTATION.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

#define F_ZLIB 0x1
#define F_LZO 0x2
#define F_SNAPPY 0x4
#define F_ZSTD 0x20

static const char *in_path;
static bool stamp;
static uint64_t flag_only = UINT64_MAX;

static uint32_t flag_of(const char *comp)
{
	return !strcmp(comp, "zlib") ? F_ZLIB : !strcmp(comp, "lzo") ? F_LZO :
	       !strcmp(comp, "snappy") ? F_SNAPPY :
	       !strcmp(comp, "zstd") ? F_ZSTD : 0;
}

static void die(const char *what)
{
	fprintf(stderr, "kdump-rewrite: %s: %s\n", in_path, what);
	exit(2);
}

/* ---- the input, in the standard layout in memory ---- */

static uint8_t *img;
static uint64_t img_len;
static bool be;
static int word;

static uint64_t get(uint64_t off, int size)
{
	uint64_t v = 0;
	int i;

	if (off + (uint64_t)size > img_len)
		die("a field past the end of the file");
	for (i = 0; i < size; i++)
		v |= (uint64_t)img[off + (uint64_t)(be ? size - 1 - i : i)]
		     << (8 * i);
	return v;
}

static void put(uint8_t *p, uint64_t v, int size)
{
	int i;

	for (i = 0; i < size; i++)
		p[be ? size - 1 - i : i] = (uint8_t)(v >> (8 * i));
}

static uint8_t *read_file(const char *path, uint64_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *b;
	long n;

	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET))
		die("cannot read");
	b = malloc((size_t)n + 1);
	if (!b || fread(b, 1, (size_t)n, f) != (size_t)n)
		die("cannot read");
	fclose(f);
	*len = (uint64_t)n;
	return b;
}

static uint64_t be64(const uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

/* a flattened file's records put where they belong */
static void unflatten(uint8_t *f, uint64_t n)
{
	uint64_t pos = 4096;

	img = NULL;
	img_len = 0;
	while (pos + 16 <= n) {
		uint64_t off = be64(f + pos), len = be64(f + pos + 8);

		if (off == UINT64_MAX)
			return;
		pos += 16;
		if (len > n - pos || off > (1ull << 40))
			die("flattened record past the end");
		if (off + len > img_len) {
			img = realloc(img, off + len);
			if (!img)
				die("out of memory");
			memset(img + img_len, 0, off + len - img_len);
			img_len = off + len;
		}
		memcpy(img + off, f + pos, len);
		pos += len;
	}
	die("flattened file without end marker");
}

/* ---- the layout: disk_dump_header, kdump_sub_header ---- */

static uint32_t version, block_size, sub_hdr_size, bitmap_blocks;
static unsigned status_off;
static uint64_t max_mapnr, bitmap2_off, desc_off;
/* sub-header field offsets (i386 packs 64-bit fields at 4) */
static unsigned s_split, s_start, s_end, s_start64, s_end64;

static void parse_layout(void)
{
	unsigned hdr;	/* where status is: after the timeval of two longs */

	be = get(8, 4) > 10;
	version = (uint32_t)get(8, 4);
	/* block_size is a power of two >= 512 at one of the two places */
	word = ((get(0x1a0, 4) & (get(0x1a0, 4) - 1)) == 0 &&
		get(0x1a0, 4) >= 512) ? 4 : 8;
	hdr = word == 4 ? 0x19c : 0x1a8;
	status_off = hdr;
	block_size = (uint32_t)get(hdr + 4, 4);
	sub_hdr_size = (uint32_t)get(hdr + 8, 4);
	bitmap_blocks = (uint32_t)get(hdr + 12, 4);
	max_mapnr = get(hdr + 16, 4);
	if (word == 8) {
		s_split = 12, s_start = 16, s_end = 24;
		s_start64 = 80, s_end64 = 88;
		if (version >= 6)
			max_mapnr = get(block_size + 96, 8);
	} else {
		s_split = 8, s_start = 12, s_end = 16;
		s_start64 = 56, s_end64 = 64;
		if (version >= 6)
			max_mapnr = get(block_size + 72, 8);
	}
	bitmap2_off = (1 + (uint64_t)sub_hdr_size + bitmap_blocks / 2) *
		      block_size;
	desc_off = (1 + (uint64_t)sub_hdr_size + bitmap_blocks) * block_size;
	if (memcmp(img, "KDUMP   ", 8) || block_size < 512 ||
	    block_size > (1u << 20) || desc_off > img_len)
		die("not a kdump-compressed file this tool reads");
}

static bool dumped(uint64_t pfn)
{
	return img[bitmap2_off + pfn / 8] >> (pfn % 8) & 1;
}

/* ---- pages ---- */

static void load_page(uint64_t desc, uint8_t *out)
{
	uint64_t off = get(desc, 8), size = get(desc + 8, 4);
	uint32_t flags = (uint32_t)get(desc + 12, 4);
	uLongf n = block_size;

	if (off > img_len || size > img_len - off)
		die("page data past the end of the file");
	if (!flags && size == block_size)
		memcpy(out, img + off, block_size);
	else if (flags != F_ZLIB ||
		 uncompress(out, &n, img + off, size) != Z_OK ||
		 n != block_size)
		die("a page neither raw nor good zlib");
}

/* COMP of page into out: its size and flags; 0 when it would not fit */
static size_t compress_page(const char *comp, const uint8_t *page,
			    uint8_t *out, size_t cap, uint32_t *flags)
{
	if (!strcmp(comp, "zlib")) {
		uLongf n = cap;

		*flags = F_ZLIB;
		return compress2(out, &n, page, block_size, 1) == Z_OK ? n : 0;
	}
#ifdef HAVE_LZO
	if (!strcmp(comp, "lzo")) {
		static uint8_t wrk[LZO1X_1_MEM_COMPRESS];
		lzo_uint n = cap;

		*flags = F_LZO;
		return lzo1x_1_compress(page, block_size, out, &n, wrk) ==
		       LZO_E_OK ? n : 0;
	}
#endif
#ifdef HAVE_SNAPPY
	if (!strcmp(comp, "snappy")) {
		size_t n = cap;

		*flags = F_SNAPPY;
		return snappy_compress((const char *)page, block_size,
				       (char *)out, &n) == SNAPPY_OK ? n : 0;
	}
#endif
#ifdef HAVE_ZSTD
	if (!strcmp(comp, "zstd")) {
		size_t n = ZSTD_compress(out, cap, page, block_size, 1);

		*flags = F_ZSTD;
		return ZSTD_isError(n) ? 0 : n;
	}
#endif
	*flags = 0;
	return 0;
}

static bool comp_built(const char *comp)
{
	return !strcmp(comp, "zlib") || !strcmp(comp, "none")
#ifdef HAVE_LZO
	       || !strcmp(comp, "lzo")
#endif
#ifdef HAVE_SNAPPY
	       || !strcmp(comp, "snappy")
#endif
#ifdef HAVE_ZSTD
	       || !strcmp(comp, "zstd")
#endif
	       ;
}

/* ---- writing ---- */

struct out {
	uint8_t *b;
	uint64_t n, cap;
};

static void out_put(struct out *o, uint64_t off, const void *p, uint64_t len)
{
	if (off + len > o->cap) {
		while (off + len > o->cap)
			o->cap = o->cap ? 2 * o->cap : 1 << 24;
		o->b = realloc(o->b, o->cap);
		if (!o->b)
			die("out of memory");
	}
	if (off > o->n)
		memset(o->b + o->n, 0, off - o->n);
	memcpy(o->b + off, p, len);
	if (off + len > o->n)
		o->n = off + len;
}

/* One file: pages [start, end) (the whole dump when !split). */
static void write_part(const char *path, const char *comp, bool split,
		       uint64_t start, uint64_t end, uint64_t damage)
{
	struct out o = { NULL, 0, 0 };
	uint64_t pfn, in_desc = desc_off, d = desc_off, data, n = 0;
	uint32_t status;
	static uint8_t page[1 << 20], buf[2 << 20];
	uint8_t desc[24];
	FILE *f;

	out_put(&o, 0, img, desc_off);
	/* the header's status says the compression asked for, as
	 * makedumpfile's write_kdump_header sets it */
	status = (uint32_t)get(status_off, 4) &
		 ~(uint32_t)(F_ZLIB | F_LZO | F_SNAPPY | F_ZSTD);
	put(o.b + status_off, status | flag_of(comp), 4);
	if (stamp)	/* tv_sec's lowest byte, after utsname */
		o.b[word == 4 ? 0x194 + (be ? 3 : 0) :
				0x198 + (be ? 7 : 0)] ^= 1;
	if (split) {
		put(o.b + block_size + s_split, 1, 4);
		put(o.b + block_size + s_start, start, word);
		put(o.b + block_size + s_end, end, word);
		if (version >= 6) {
			put(o.b + block_size + s_start64, start, 8);
			put(o.b + block_size + s_end64, end, 8);
		}
	}
	for (pfn = start; pfn < end; pfn++)
		n += dumped(pfn);
	data = desc_off + 24 * n;
	for (pfn = 0; pfn < end; pfn++) {
		uint32_t flags = 0;
		size_t size;

		if (!dumped(pfn))
			continue;
		in_desc += 24;
		if (pfn < start)
			continue;
		load_page(in_desc - 24, page);
		size = compress_page(flag_only == UINT64_MAX ? comp : "zlib",
				     page, buf, sizeof(buf), &flags);
		if (pfn == flag_only) {
			memcpy(buf, page, block_size);
			size = block_size;
			flags = flag_of(comp);
		} else if (!size || size >= block_size) {
			memcpy(buf, page, block_size);
			size = block_size;
			flags = 0;
		}
		if (pfn == damage) {
			if (flags == F_LZO && size > 16)
				size -= 16;
			else
				memset(buf, 0xee, 8);
		}
		memset(desc, 0, sizeof(desc));
		put(desc, data, 8);
		put(desc + 8, size, 4);
		put(desc + 12, flags, 4);
		out_put(&o, d, desc, 24);
		out_put(&o, data, buf, size);
		d += 24;
		data += size;
	}
	f = fopen(path, "wb");
	if (!f || fwrite(o.b, 1, o.n, f) != o.n || fclose(f)) {
		fprintf(stderr, "kdump-rewrite: %s: cannot write\n", path);
		exit(2);
	}
	free(o.b);
}

int main(int argc, char **argv)
{
	uint64_t n, nparts = 0, damage = UINT64_MAX, total = 0, pfn, k;
	const char *out, *comp;
	uint8_t *raw;
	char name[4096];
	int i;

	if (argc < 4) {
		fprintf(stderr, "usage: kdump-rewrite IN OUT zlib|lzo|snappy|zstd|none [--split N] [--damage PFN] [--stamp]\n");
		return 2;
	}
	in_path = argv[1];
	out = argv[2];
	comp = argv[3];
	for (i = 4; i < argc; i++)
		if (!strcmp(argv[i], "--stamp"))
			stamp = true;
		else if (i + 1 < argc && !strcmp(argv[i], "--split"))
			nparts = strtoull(argv[++i], NULL, 0);
		else if (i + 1 < argc && !strcmp(argv[i], "--damage"))
			damage = strtoull(argv[++i], NULL, 0);
		else if (i + 1 < argc && !strcmp(argv[i], "--flag-only"))
			flag_only = strtoull(argv[++i], NULL, 0);
	if (!comp_built(comp) && (flag_only == UINT64_MAX || !flag_of(comp))) {
		fprintf(stderr, "kdump-rewrite: %s pages: its library was not found by configure\n",
			comp);
		return 77;
	}
	raw = read_file(in_path, &n);
	if (n >= 12 && !memcmp(raw, "makedumpfile", 12)) {
		unflatten(raw, n);
		free(raw);
	} else {
		img = raw;
		img_len = n;
	}
	parse_layout();
	if (!nparts) {
		write_part(out, comp, false, 0, max_mapnr, damage);
		return 0;
	}
	if (version < 2)
		die("header version < 2 has no split fields");
	for (pfn = 0; pfn < max_mapnr; pfn++)
		total += dumped(pfn);
	/* part k ends where the k-th share of the dumped pages does */
	for (k = 1, pfn = 0; k <= nparts; k++) {
		uint64_t start = pfn, seen = 0, want = total * k / nparts;

		for (pfn = 0; pfn < max_mapnr && seen < want; pfn++)
			seen += dumped(pfn);
		if (k == nparts)
			pfn = max_mapnr;
		snprintf(name, sizeof(name), "%s.%llu", out,
			 (unsigned long long)k);
		write_part(name, comp, true, start, pfn, damage);
	}
	return 0;
}
