/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The flattened kdump layout (makedumpfile -F, QEMU dump-guest-memory -z
 * and friends): a 4096-byte header ("makedumpfile", big-endian int64 type
 * and version), then records of a big-endian int64 offset, an int64 size
 * and size bytes that belong at that offset of the standard layout, up to
 * a record whose offset is -1.  Writers emit records out of order (QEMU
 * fills page descriptors and page data through two caches) and may write a
 * place twice; the later record wins, as it would when the stream is
 * written out with seek+write (makedumpfile -R).
 *
 * Instead of reassembling, we index the records once (sorted by offset,
 * overlaps resolved) and serve every read of the standard layout from the
 * file.  Holes between records read as zeros, like the sparse file that
 * makedumpfile -R would produce.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "kdump-priv.h"

#define FLAT_HDR_SIZE 4096
#define FLAT_SIG "makedumpfile"
#define FLAT_TYPE 1
#define FLAT_VERSION 1
#define FLAT_END (-1)

struct flat_rec {
	uint64_t off, len, file_off;
	size_t seq;		/* position in the stream: later wins */
};

struct flat_recs {
	struct flat_rec *v;
	size_t n, cap;
};

static int64_t get_be64(const unsigned char *p)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return (int64_t)v;
}

/* pread all of it; KD_READ_SHORT at end of file */
static int read_full(int fd, uint64_t off, void *buf, size_t len)
{
	unsigned char *p = buf;

	while (len) {
		ssize_t n = pread(fd, p, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return KD_READ_IO;
		if (n == 0)
			return KD_READ_SHORT;
		p += n;
		off += (uint64_t)n;
		len -= (size_t)n;
	}
	return KD_READ_OK;
}

static int flat_io_fail(const struct kd_src *s, uint64_t off,
			struct pgt_err *err)
{
	return pgt_fail(err, PGT_ERR_IO, "%s: offset 0x%llx: %s", s->path,
			(unsigned long long)off, strerror(errno));
}

static int check_header(const struct kd_src *s, struct pgt_err *err)
{
	unsigned char h[32];
	int64_t type, version;

	if (s->file_size < FLAT_HDR_SIZE)
		return pgt_fail(err, PGT_ERR_INPUT,
				"%s: offset 0x%llx: flattened kdump header: file ends there: expected %d bytes",
				s->path, (unsigned long long)s->file_size,
				FLAT_HDR_SIZE);
	if (read_full(s->fd, 0, h, sizeof(h)) != KD_READ_OK)
		return flat_io_fail(s, 0, err);
	if (memcmp(h, FLAT_SIG, strlen(FLAT_SIG)))
		return pgt_fail(err, PGT_ERR_INPUT,
				"%s: offset 0x0: bad signature: expected \"%s\"",
				s->path, FLAT_SIG);
	type = get_be64(h + 16);
	version = get_be64(h + 24);
	if (type != FLAT_TYPE || version != FLAT_VERSION)
		return pgt_fail(err, PGT_ERR_UNSUPPORTED,
				"%s: offset 0x10: flattened header type %lld version %lld: not supported: expected type %d version %d",
				s->path, (long long)type, (long long)version,
				FLAT_TYPE, FLAT_VERSION);
	return PGT_OK;
}

static int recs_add(struct flat_recs *r, uint64_t off, uint64_t len,
		    uint64_t file_off)
{
	if (r->n == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 256;
		struct flat_rec *v = realloc(r->v, cap * sizeof(*v));

		if (!v)
			return -1;
		r->v = v;
		r->cap = cap;
	}
	r->v[r->n] = (struct flat_rec){ off, len, file_off, r->n };
	r->n++;
	return 0;
}

/* One record header at pos: append it, or *end when it is the end mark. */
static int read_record(const struct kd_src *s, uint64_t pos,
		       struct flat_recs *r, uint64_t *next, bool *end,
		       struct pgt_err *err)
{
	unsigned char h[16];
	int64_t off, size;
	int rc;

	if (pos == s->file_size)
		return pgt_fail(err, PGT_ERR_INPUT,
				"%s: offset 0x%llx: end of file: expected a record header or the end marker (offset -1) of the flattened stream",
				s->path, (unsigned long long)pos);
	rc = read_full(s->fd, pos, h, sizeof(h));
	if (rc == KD_READ_IO)
		return flat_io_fail(s, pos, err);
	if (rc == KD_READ_SHORT)
		return pgt_fail(err, PGT_ERR_INPUT,
				"%s: offset 0x%llx: flattened record header cut off by the end of the file: expected 16 bytes",
				s->path, (unsigned long long)pos);
	off = get_be64(h);
	size = get_be64(h + 8);
	if (off == FLAT_END) {
		*end = true;
		return PGT_OK;
	}
	if (off < 0 || size < 0 || off > INT64_MAX - size)
		return pgt_fail(err, PGT_ERR_INPUT,
				"%s: offset 0x%llx: flattened record for offset %lld of size %lld: expected a non-negative offset and size whose sum fits in 63 bits",
				s->path, (unsigned long long)pos,
				(long long)off, (long long)size);
	if ((uint64_t)size > s->file_size - pos - sizeof(h))
		return pgt_fail(err, PGT_ERR_INPUT,
				"%s: offset 0x%llx: flattened record of %lld bytes runs past the end of the file (0x%llx): expected at most %llu bytes",
				s->path, (unsigned long long)pos,
				(long long)size,
				(unsigned long long)s->file_size,
				(unsigned long long)(s->file_size - pos -
						     sizeof(h)));
	*next = pos + sizeof(h) + (uint64_t)size;
	if (size && recs_add(r, (uint64_t)off, (uint64_t)size,
			     pos + sizeof(h)))
		return pgt_fail(err, PGT_ERR_NOMEM, "out of memory");
	return PGT_OK;
}

static int rec_cmp(const void *a, const void *b)
{
	const struct flat_rec *x = a, *y = b;

	if (x->off != y->off)
		return x->off < y->off ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* ---- overlaps: a sweep over the record boundaries, latest record on top */

struct heap {
	size_t *v, n;
	const struct flat_rec *rec;
};

static bool heap_above(const struct heap *h, size_t i, size_t j)
{
	return h->rec[h->v[i]].seq > h->rec[h->v[j]].seq;
}

static void heap_swap(struct heap *h, size_t i, size_t j)
{
	size_t t = h->v[i];

	h->v[i] = h->v[j];
	h->v[j] = t;
}

static void heap_push(struct heap *h, size_t idx)
{
	size_t i = h->n++;

	h->v[i] = idx;
	while (i && heap_above(h, i, (i - 1) / 2)) {
		heap_swap(h, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

static void heap_pop(struct heap *h)
{
	size_t i = 0;

	h->v[0] = h->v[--h->n];
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, top = i;

		if (l < h->n && heap_above(h, l, top))
			top = l;
		if (r < h->n && heap_above(h, r, top))
			top = r;
		if (top == i)
			return;
		heap_swap(h, i, top);
		i = top;
	}
}

static void piece_add(struct kd_src *s, uint64_t off, uint64_t len,
		      uint64_t file_off)
{
	struct kd_piece *last = s->npieces ? &s->piece[s->npieces - 1] : NULL;

	if (last && last->off + last->len == off &&
	    last->file_off + last->len == file_off) {
		last->len += len;
		return;
	}
	s->piece[s->npieces++] = (struct kd_piece){ off, len, file_off };
}

/*
 * Records sorted by offset, some overlapping: cut the offset axis at every
 * record boundary; each slice comes from the latest record covering it.
 */
static int resolve_overlaps(struct kd_src *s, const struct flat_recs *r)
{
	size_t nb = 0, i, j = 0;
	uint64_t *b = malloc(2 * r->n * sizeof(*b));
	struct heap h = { malloc(r->n * sizeof(size_t)), 0, r->v };

	s->piece = malloc(2 * r->n * sizeof(*s->piece));
	if (!b || !h.v || !s->piece) {
		free(b);
		free(h.v);
		return -1;
	}
	for (i = 0; i < r->n; i++) {
		b[nb++] = r->v[i].off;
		b[nb++] = r->v[i].off + r->v[i].len;
	}
	qsort(b, nb, sizeof(*b), u64_cmp);
	for (i = 0; i + 1 < nb; i++) {
		const struct flat_rec *top;

		if (b[i] == b[i + 1])
			continue;
		while (j < r->n && r->v[j].off <= b[i])
			heap_push(&h, j++);
		while (h.n && r->v[h.v[0]].off + r->v[h.v[0]].len <= b[i])
			heap_pop(&h);
		if (!h.n)
			continue;
		top = &r->v[h.v[0]];
		piece_add(s, b[i], b[i + 1] - b[i],
			  top->file_off + (b[i] - top->off));
	}
	free(b);
	free(h.v);
	return 0;
}

static int build_pieces(struct kd_src *s, struct flat_recs *r)
{
	uint64_t end = 0;
	bool overlap = false;
	size_t i;

	if (r->n)
		qsort(r->v, r->n, sizeof(*r->v), rec_cmp);
	for (i = 0; i < r->n; i++) {
		if (r->v[i].off < end)
			overlap = true;
		if (r->v[i].off + r->v[i].len > end)
			end = r->v[i].off + r->v[i].len;
	}
	s->size = end;
	if (overlap)
		return resolve_overlaps(s, r);
	s->piece = malloc((r->n ? r->n : 1) * sizeof(*s->piece));
	if (!s->piece)
		return -1;
	for (i = 0; i < r->n; i++)
		piece_add(s, r->v[i].off, r->v[i].len, r->v[i].file_off);
	return 0;
}

int kd_flat_index(struct kd_src *s, struct pgt_err *err)
{
	struct flat_recs r = { NULL, 0, 0 };
	uint64_t pos = FLAT_HDR_SIZE;
	bool end = false;
	int rc = check_header(s, err);

	/* every record takes at least 17 bytes of the file: r is bounded */
	while (!rc && !end)
		rc = read_record(s, pos, &r, &pos, &end, err);
	if (!rc && build_pieces(s, &r))
		rc = pgt_fail(err, PGT_ERR_NOMEM, "out of memory");
	free(r.v);
	return rc;
}

/* The last piece starting at or before off (or the first one). */
static size_t piece_find(const struct kd_src *s, uint64_t off)
{
	size_t lo = 0, hi = s->npieces;

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->piece[mid].off <= off)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

static int flat_read(const struct kd_src *s, uint64_t off, unsigned char *p,
		     size_t len)
{
	size_t i = piece_find(s, off);

	while (len) {
		const struct kd_piece *pc =
			i < s->npieces ? &s->piece[i] : NULL;
		uint64_t n;
		int rc;

		if (pc && off >= pc->off + pc->len) {
			i++;
			continue;
		}
		if (pc && off >= pc->off) {
			n = pc->off + pc->len - off;
			n = n < len ? n : len;
			rc = read_full(s->fd, pc->file_off + (off - pc->off),
				       p, (size_t)n);
			if (rc)
				return rc;
		} else {
			/* a hole up to the next piece */
			n = pc ? pc->off - off : len;
			n = n < len ? n : len;
			memset(p, 0, (size_t)n);
		}
		p += n;
		off += n;
		len -= (size_t)n;
	}
	return KD_READ_OK;
}

int kd_src_read(const struct kd_src *s, uint64_t off, void *buf, size_t len)
{
	if (len > s->size || off > s->size - len)
		return KD_READ_SHORT;
	if (!s->flat)
		return read_full(s->fd, off, buf, len);
	return flat_read(s, off, buf, len);
}

uint64_t kd_src_next_data(const struct kd_src *s, uint64_t off)
{
	const struct kd_piece *pc;
	size_t i;
	off_t d;

	if (off >= s->size)
		return s->size;
	if (!s->flat) {
		/* a hole of a sparse file reads as zeros; a file system
		 * that cannot tell (EINVAL) has data everywhere */
		d = lseek(s->fd, (off_t)off, SEEK_DATA);
		if (d >= 0)
			return (uint64_t)d > off ? (uint64_t)d : off;
		return errno == ENXIO ? s->size : off;
	}
	if (!s->npieces)
		return s->size;
	for (i = piece_find(s, off); i < s->npieces; i++) {
		pc = &s->piece[i];
		if (off < pc->off + pc->len)
			return off > pc->off ? off : pc->off;
	}
	return s->size;
}

bool kd_src_file_off(const struct kd_src *s, uint64_t off, uint64_t *file_off)
{
	const struct kd_piece *pc;

	if (!s->flat) {
		*file_off = off;
		return off < s->size;
	}
	if (!s->npieces)
		return false;
	pc = &s->piece[piece_find(s, off)];
	if (off < pc->off || off >= pc->off + pc->len)
		return false;
	*file_off = pc->file_off + (off - pc->off);
	return true;
}

void kd_src_free(struct kd_src *s)
{
	free(s->piece);
	s->piece = NULL;
	s->npieces = 0;
}
