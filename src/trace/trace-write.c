/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Trace writers: the canonical text form and the canonical CBOR form
 * (pgtctl-trace(5)), one operation at a time, so that a conversion streams.
 *
 * Canonical means the same input always gives the same bytes: in text, one
 * "set" line per option and pgt_op_format's spelling of each op, comments
 * dropped; in CBOR, libcbor's encoders (which use the shortest encoding of
 * every integer and length), map keys in a fixed order, and optional keys
 * left out when they hold their default.  Every op is checked before it is
 * written, so that a writer never produces a trace its readers refuse.
 */
#include <cbor.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "../arch/arch.h"
#include "trace.h"

/* Big enough for the largest header: 64 options of 31 + 63 bytes. */
#define HEADER_MAX 8192
/* Big enough for any op: a map head and 11 keys with 9-byte values. */
#define OP_MAX 128
#define TEXT_OP_MAX 256

struct pgt_trace_writer {
	FILE *fp;
	char *path;			/* as shown in messages */
	enum pgt_trace_form form;
	unsigned long nops;		/* ops written so far */
	int failed;
	struct pgt_err saved;		/* the sticky error */
};

/* A bounded output buffer; libcbor's encoders return 0 when it is full. */
struct cbuf {
	unsigned char *b;
	size_t size, n;
	int full;
};

static void put(struct cbuf *c, size_t n)
{
	if (!n)
		c->full = 1;
	c->n += n;
}

#define ROOM(c) ((c)->b + (c)->n), ((c)->size - (c)->n)

static void put_uint(struct cbuf *c, uint64_t v)
{
	put(c, cbor_encode_uint(v, ROOM(c)));
}

static void put_text(struct cbuf *c, const char *s)
{
	size_t len = strlen(s);

	put(c, cbor_encode_string_start(len, ROOM(c)));
	if (c->full || len > c->size - c->n) {
		c->full = 1;
		return;
	}
	memcpy(c->b + c->n, s, len);
	c->n += len;
}

/* ---- errors ---- */

static int __attribute__((format(printf, 4, 5)))
writer_fail(struct pgt_trace_writer *w, struct pgt_err *err, int status,
	    const char *fmt, ...)
{
	char what[PGT_ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	pgt_fail(&w->saved, status, "%s: %s", w->path, what);
	w->failed = 1;
	if (err)
		*err = w->saved;
	return status;
}

static int write_error(struct pgt_trace_writer *w, struct pgt_err *err)
{
	return writer_fail(w, err, PGT_ERR_IO, "write error: %s",
			   strerror(errno ? errno : EIO));
}

static int emit(struct pgt_trace_writer *w, const void *p, size_t n,
		struct pgt_err *err)
{
	if (fwrite(p, 1, n, w->fp) != n)
		return write_error(w, err);
	return PGT_OK;
}

/* ---- the header ---- */

static int check_header(struct pgt_trace_writer *w,
			const struct pgt_trace_header *h, struct pgt_err *err)
{
	const char *why;
	char names[80];
	int i;

	if (!pgt_arch_find(h->arch))
		return writer_fail(w, err, PGT_ERR_INPUT,
				   "cannot write architecture '%.15s'; expected %s",
				   h->arch, pgt_arch_replay_names(names, sizeof(names), ""));
	if (h->noptions < 0 || h->noptions > PGT_TRACE_MAX_OPTIONS)
		return writer_fail(w, err, PGT_ERR_INPUT,
				   "cannot write %d options; expected at most %d",
				   h->noptions, PGT_TRACE_MAX_OPTIONS);
	for (i = 0; i < h->noptions; i++) {
		why = pgt_trace_option_problem(h->options[i].key,
					       h->options[i].val);
		if (why)
			return writer_fail(w, err, PGT_ERR_INPUT,
					   "cannot write option %d: %s", i + 1,
					   why);
	}
	return PGT_OK;
}

/* 55799({"pgtctl-trace": 1, "arch": A, "options": [[K, V], ...]}) */
static int cbor_header(struct pgt_trace_writer *w,
		       const struct pgt_trace_header *h, struct pgt_err *err)
{
	unsigned char buf[HEADER_MAX];
	struct cbuf c = { .b = buf, .size = sizeof(buf) };
	int i;

	put(&c, cbor_encode_tag(PGT_CBOR_SELF_DESCRIBE, ROOM(&c)));
	put(&c, cbor_encode_map_start(3, ROOM(&c)));
	put_text(&c, "pgtctl-trace");
	put_uint(&c, 1);
	put_text(&c, "arch");
	put_text(&c, h->arch);
	put_text(&c, "options");
	put(&c, cbor_encode_array_start((size_t)h->noptions, ROOM(&c)));
	for (i = 0; i < h->noptions; i++) {
		put(&c, cbor_encode_array_start(2, ROOM(&c)));
		put_text(&c, h->options[i].key);
		put_text(&c, h->options[i].val);
	}
	if (c.full)	/* cannot happen with checked options; be safe */
		return writer_fail(w, err, PGT_ERR_LIMIT,
				   "header larger than %d bytes", HEADER_MAX);
	return emit(w, buf, c.n, err);
}

static int text_header(struct pgt_trace_writer *w,
		       const struct pgt_trace_header *h, struct pgt_err *err)
{
	int i;

	if (fprintf(w->fp, "pgtctl-trace 1\narch %s\n", h->arch) < 0)
		return write_error(w, err);
	for (i = 0; i < h->noptions; i++)
		if (fprintf(w->fp, "set %s=%s\n", h->options[i].key,
			    h->options[i].val) < 0)
			return write_error(w, err);
	return PGT_OK;
}

/* ---- operations ---- */

/* {0: code, key: value, ...}, keys ascending */
static int cbor_op(struct pgt_trace_writer *w, const struct pgt_cbor_fields *f,
		   struct pgt_err *err)
{
	unsigned char buf[OP_MAX];
	struct cbuf c = { .b = buf, .size = sizeof(buf) };
	unsigned key, n = 0;

	for (key = 0; key < PGT_CK__COUNT; key++)
		n += !!(f->keys & (1u << key));
	put(&c, cbor_encode_map_start(n, ROOM(&c)));
	for (key = 0; key < PGT_CK__COUNT; key++) {
		if (!(f->keys & (1u << key)))
			continue;
		put_uint(&c, key);
		if (key == PGT_CK_DELTA && f->neg)
			put(&c, cbor_encode_negint(f->val[key] - 1, ROOM(&c)));
		else
			put_uint(&c, f->val[key]);
	}
	if (c.full)	/* cannot happen: OP_MAX covers every key */
		return writer_fail(w, err, PGT_ERR_LIMIT,
				   "op %lu larger than %d bytes", w->nops + 1,
				   OP_MAX);
	return emit(w, buf, c.n, err);
}

static int text_op(struct pgt_trace_writer *w, const struct pgt_op *op,
		   struct pgt_err *err)
{
	char line[TEXT_OP_MAX];
	int n = pgt_op_format(op, line, sizeof(line));

	if (n < 0 || (size_t)n >= sizeof(line))
		return writer_fail(w, err, PGT_ERR_INPUT,
				   "op %lu has no text form", w->nops + 1);
	line[n++] = '\n';
	return emit(w, line, (size_t)n, err);
}

int pgt_trace_write_op(struct pgt_trace_writer *w, const struct pgt_op *op,
		       struct pgt_err *err)
{
	struct pgt_cbor_fields f;
	struct pgt_op check;
	char why[300];
	int ret, bad;

	if (w->failed) {
		if (err)
			*err = w->saved;
		return w->saved.status;
	}
	/* both forms: only what the readers accept, so a round trip holds */
	pgt_cbor_from_op(op, &f);
	if (pgt_cbor_to_op(&f, &check, &bad, why, sizeof(why)))
		return writer_fail(w, err, PGT_ERR_INPUT,
				   "cannot write op %lu: %s", w->nops + 1, why);
	if (w->form == PGT_TRACE_CBOR)
		ret = cbor_op(w, &f, err);
	else
		ret = text_op(w, &check, err);
	if (!ret)
		w->nops++;
	return ret;
}

/* ---- the writer ---- */

int pgt_trace_writer_open(FILE *fp, const char *path, enum pgt_trace_form form,
			  const struct pgt_trace_header *h,
			  struct pgt_trace_writer **out, struct pgt_err *err)
{
	struct pgt_trace_writer *w;
	int ret;

	*out = NULL;
	w = calloc(1, sizeof(*w));
	if (w)
		w->path = strdup(path);
	if (!w || !w->path) {
		free(w);
		return pgt_fail(err, PGT_ERR_NOMEM, "out of memory writing %s",
				path);
	}
	w->fp = fp;
	w->form = form;
	ret = check_header(w, h, err);
	if (!ret)
		ret = form == PGT_TRACE_CBOR ? cbor_header(w, h, err) :
					       text_header(w, h, err);
	if (ret) {
		free(w->path);
		free(w);
		return ret;
	}
	*out = w;
	return PGT_OK;
}

int pgt_trace_writer_close(struct pgt_trace_writer *w, struct pgt_err *err)
{
	int ret = PGT_OK;

	if (!w)
		return PGT_OK;
	errno = 0;
	if (fflush(w->fp) || ferror(w->fp))
		ret = w->failed ? w->saved.status : write_error(w, err);
	else if (w->failed)
		ret = w->saved.status;
	if (ret && err)
		*err = w->saved;
	free(w->path);
	free(w);
	return ret;
}
