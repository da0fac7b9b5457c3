/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The compressions of kdump pages (makedumpfile's page descriptor flags,
 * diskdump_mod.h): zlib (-c, and QEMU's -z), lzo (-l, lzo1x_1), snappy (-p)
 * and zstd (-z), each one whole page compressed in one buffer.  zlib is
 * always built; the others when configure found their library, and a page
 * in a compression this build lacks is a "cannot read this page" naming
 * the library (kd_comp_missing).
 *
 * zlib pages are inflated by libdeflate when it is built (whole-buffer
 * decompression, several times faster than zlib's streaming inflate on
 * 4 KiB pages), else by zlib; PGT_INFLATER_ZLIB forces zlib (tests, bench).
 * Both check the Adler-32 of the stream.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#ifdef HAVE_LIBDEFLATE
#include <libdeflate.h>
#endif
#ifdef HAVE_LZO
#include <lzo/lzo1x.h>
#endif
#ifdef HAVE_SNAPPY
#include <snappy-c.h>
#endif
#ifdef HAVE_ZSTD
#include <zstd.h>
#endif
#include "dump.h"
#include "kdump-priv.h"

struct kd_codec {
	bool use_libdeflate;
	z_stream zs;			/* reused: inflateReset, not Init */
	bool zs_ready;
#ifdef HAVE_LIBDEFLATE
	struct libdeflate_decompressor *ld;
#endif
#ifdef HAVE_ZSTD
	ZSTD_DCtx *zd;
#endif
};

static const struct {
	const char *name;	/* as makedumpfile's options say it */
	const char *library;	/* NULL: not in this build */
	const char *missing;	/* how to get it */
} comps[KD_NCOMP] = {
	[KD_COMP_ZLIB] = { "zlib", "zlib", NULL },
#ifdef HAVE_LZO
	[KD_COMP_LZO] = { "lzo", "liblzo2", NULL },
#else
	[KD_COMP_LZO] = { "lzo", NULL,
			  "liblzo2 (Debian liblzo2-dev, configure --with-lzo)" },
#endif
#ifdef HAVE_SNAPPY
	[KD_COMP_SNAPPY] = { "snappy", "libsnappy", NULL },
#else
	[KD_COMP_SNAPPY] = { "snappy", NULL,
			     "libsnappy (Debian libsnappy-dev, configure --with-snappy)" },
#endif
#ifdef HAVE_ZSTD
	[KD_COMP_ZSTD] = { "zstd", "libzstd", NULL },
#else
	[KD_COMP_ZSTD] = { "zstd", NULL,
			   "libzstd (Debian libzstd-dev, configure --with-zstd)" },
#endif
};

const char *kd_comp_name(enum kd_comp c)
{
	return comps[c].name;
}

const char *kd_comp_missing(enum kd_comp c)
{
	return comps[c].library ? NULL : comps[c].missing;
}

bool pgt_kdump_inflater_built(enum pgt_inflater how)
{
#ifdef HAVE_LIBDEFLATE
	return true;
#else
	return how != PGT_INFLATER_LIBDEFLATE;
#endif
}

void pgt_kdump_describe_codecs(char *buf, size_t len)
{
	size_t i, o;
	bool none_missing = true;

	o = (size_t)snprintf(buf, len, "kdump page compressions: zlib (inflated by %s)",
#ifdef HAVE_LIBDEFLATE
			     "libdeflate, else zlib"
#else
			     "zlib"
#endif
			     );
	for (i = 1; i < KD_NCOMP && o < len; i++)
		if (comps[i].library)
			o += (size_t)snprintf(buf + o, len - o, ", %s",
					      comps[i].name);
	for (i = 1; i < KD_NCOMP && o < len; i++)
		if (!comps[i].library) {
			o += (size_t)snprintf(buf + o, len - o, "%s%s",
					      none_missing ? "; not built: " :
							     ", ",
					      comps[i].name);
			none_missing = false;
		}
}

struct kd_codec *kd_codec_new(enum pgt_inflater how)
{
	struct kd_codec *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
#ifdef HAVE_LIBDEFLATE
	c->use_libdeflate = how != PGT_INFLATER_ZLIB;
#endif
	return c;
}

void kd_codec_free(struct kd_codec *c)
{
	if (!c)
		return;
	if (c->zs_ready)
		inflateEnd(&c->zs);
#ifdef HAVE_LIBDEFLATE
	if (c->ld)
		libdeflate_free_decompressor(c->ld);
#endif
#ifdef HAVE_ZSTD
	if (c->zd)
		ZSTD_freeDCtx(c->zd);
#endif
	free(c);
}

const char *kd_codec_inflater(const struct kd_codec *c)
{
	return c->use_libdeflate ? "libdeflate" : "zlib";
}

#if defined(HAVE_LZO) || defined(HAVE_SNAPPY) || defined(HAVE_ZSTD)
/* "decompresses to N bytes: expected block_size M" */
static int short_page(size_t got, size_t want, char *why, size_t len)
{
	snprintf(why, len, "decompresses to %zu bytes: expected block_size %zu",
		 got, want);
	return -1;
}
#endif

static int short_zlib(size_t got, size_t want, char *why, size_t len)
{
	snprintf(why, len, "inflates to %zu bytes: expected block_size %zu",
		 got, want);
	return -1;
}

/*
 * One zlib stream (as makedumpfile's compress2 writes it) through zlib's
 * inflate.  The z_stream is set up once and reset per page: initialising
 * it for every page (what uncompress() does) cost a third of a table walk.
 */
static int zlib_inflate(struct kd_codec *c, const uint8_t *in, size_t n,
			uint8_t *out, size_t want, char *why, size_t len)
{
	int rc;

	if (!c->zs_ready) {
		memset(&c->zs, 0, sizeof(c->zs));
		if (inflateInit(&c->zs) != Z_OK) {
			snprintf(why, len, "out of memory");
			return -1;
		}
		c->zs_ready = true;
	} else if (inflateReset(&c->zs) != Z_OK) {
		snprintf(why, len, "zlib: inflateReset failed");
		return -1;
	}
	c->zs.next_in = (Bytef *)(uintptr_t)in;
	c->zs.avail_in = (uInt)n;
	c->zs.next_out = out;
	c->zs.avail_out = (uInt)want;
	rc = inflate(&c->zs, Z_FINISH);
	if (rc == Z_STREAM_END)
		return c->zs.total_out == want ? 0 :
		       short_zlib(c->zs.total_out, want, why, len);
	if (rc == Z_OK || rc == Z_BUF_ERROR)
		snprintf(why, len, "%s",
			 c->zs.avail_out ? "cut short (the stream ends early)" :
					   "inflates to more than block_size");
	else
		snprintf(why, len, "%s",
			 c->zs.msg ? c->zs.msg : zError(rc));
	return -1;
}

#ifdef HAVE_LIBDEFLATE
static int deflate_inflate(struct kd_codec *c, const uint8_t *in, size_t n,
			   uint8_t *out, size_t want, char *why, size_t len)
{
	size_t got = 0;
	enum libdeflate_result r;

	if (!c->ld && !(c->ld = libdeflate_alloc_decompressor())) {
		snprintf(why, len, "out of memory");
		return -1;
	}
	r = libdeflate_zlib_decompress(c->ld, in, n, out, want, &got);
	if (r == LIBDEFLATE_SUCCESS)
		return got == want ? 0 : short_zlib(got, want, why, len);
	snprintf(why, len, "%s",
		 r == LIBDEFLATE_INSUFFICIENT_SPACE ?
		 "inflates to more than block_size" :
		 "not a valid zlib stream, or cut short, or a bad checksum (libdeflate)");
	return -1;
}
#endif

#ifdef HAVE_LZO
static int lzo_page(const uint8_t *in, size_t n, uint8_t *out, size_t want,
		    char *why, size_t len)
{
	static int ready;	/* lzo_init only checks the ABI: idempotent */
	lzo_uint got = want;
	int r;

	if (!ready && lzo_init() != LZO_E_OK) {
		snprintf(why, len, "liblzo2 does not match the headers it was built with");
		return -1;
	}
	ready = 1;
	r = lzo1x_decompress_safe(in, n, out, &got, NULL);
	if (r == LZO_E_OK)
		return got == want ? 0 : short_page(got, want, why, len);
	snprintf(why, len, "%s (lzo error %d)",
		 r == LZO_E_INPUT_OVERRUN ? "cut short (the data ends early)" :
		 r == LZO_E_OUTPUT_OVERRUN ? "decompresses to more than block_size" :
		 r == LZO_E_INPUT_NOT_CONSUMED ? "bytes left over after the page" :
		 "corrupt data", r);
	return -1;
}
#endif

#ifdef HAVE_SNAPPY
static int snappy_page(const uint8_t *in, size_t n, uint8_t *out,
		       size_t want, char *why, size_t len)
{
	size_t got = 0;

	if (snappy_uncompressed_length((const char *)in, n, &got) !=
	    SNAPPY_OK) {
		snprintf(why, len, "no valid length at its start");
		return -1;
	}
	if (got != want)
		return short_page(got, want, why, len);
	if (snappy_uncompress((const char *)in, n, (char *)out, &got) !=
	    SNAPPY_OK) {
		snprintf(why, len, "corrupt or cut short");
		return -1;
	}
	return got == want ? 0 : short_page(got, want, why, len);
}
#endif

#ifdef HAVE_ZSTD
static int zstd_page(struct kd_codec *c, const uint8_t *in, size_t n,
		     uint8_t *out, size_t want, char *why, size_t len)
{
	size_t got;

	if (!c->zd && !(c->zd = ZSTD_createDCtx())) {
		snprintf(why, len, "out of memory");
		return -1;
	}
	got = ZSTD_decompressDCtx(c->zd, out, want, in, n);
	if (ZSTD_isError(got)) {
		snprintf(why, len, "%s", ZSTD_getErrorName(got));
		return -1;
	}
	return got == want ? 0 : short_page(got, want, why, len);
}
#endif

int kd_decompress(struct kd_codec *c, enum kd_comp comp, const uint8_t *in,
		  size_t n, uint8_t *out, size_t want, char *why, size_t len)
{
	switch (comp) {
	case KD_COMP_ZLIB:
#ifdef HAVE_LIBDEFLATE
		if (c->use_libdeflate)
			return deflate_inflate(c, in, n, out, want, why, len);
#endif
		return zlib_inflate(c, in, n, out, want, why, len);
#ifdef HAVE_LZO
	case KD_COMP_LZO:
		return lzo_page(in, n, out, want, why, len);
#endif
#ifdef HAVE_SNAPPY
	case KD_COMP_SNAPPY:
		return snappy_page(in, n, out, want, why, len);
#endif
#ifdef HAVE_ZSTD
	case KD_COMP_ZSTD:
		return zstd_page(c, in, n, out, want, why, len);
#endif
	default:
		snprintf(why, len, "this pgtctl was built without %s",
			 comp < KD_NCOMP && comps[comp].missing ?
			 comps[comp].missing : "its decompressor");
		return -1;
	}
}
