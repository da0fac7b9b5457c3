/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Streaming reader for the text trace format (design.md "Text trace
 * format"), and the canonical text form of one operation.
 *
 * Memory use is fixed: one line buffer of PGT_TRACE_LINE_MAX bytes and the
 * header, whatever the size of the trace.  Every error names FILE:LINE,
 * what was wrong and what was expected; the first error is sticky.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE		/* getc_unlocked */
#endif
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "../arch/arch.h"
#include "trace.h"

#define PGT_TRACE_LINE_MAX 4096		/* bytes per line, newline excluded */
#define TEXT_BUF_SIZE 65536		/* > PGT_TRACE_LINE_MAX + 1 */
#define PAGE_SIZE_4K 4096u
#define MAX_THREAD_DELTA 1000000
#define MAX_CPU 63

#define NUMBER_FORMS "a number (decimal, 0x hex, K/M/G/T suffix)"

struct pgt_trace_reader {
	FILE *fp;
	int owns_fp;			/* 0 for stdin: not ours to close */
	char *path;			/* as shown in messages */
	unsigned long lineno;		/* lines read so far */
	int seen_header, seen_op;
	int have_pending, at_eof, failed;
	struct pgt_op pending;		/* first op, read by pgt_trace_open */
	struct pgt_err saved;		/* the sticky error */
	struct pgt_trace_header hdr;
	struct pgt_cbor_reader *cbor;	/* CBOR form: ops come from here */
	char *line;			/* the line read last, NUL-terminated
					 * in place in buf */
	/* the input read ahead in blocks: lines are parsed where they lie,
	 * never copied (issue 13).  buf[pos, fill) is unread; a line that
	 * does not end in it is moved to the front before reading more */
	size_t pos, fill;
	uint64_t offset;		/* file offset of buf[0] */
	uint64_t size;			/* of a regular file, else 0 */
	int eof;
	char buf[TEXT_BUF_SIZE + 1];	/* + 1: a NUL after a last line
					 * without a newline */
};

/* One line being parsed: a cursor over its tokens plus error context. */
struct line_ctx {
	struct pgt_trace_reader *r;
	struct pgt_err *err;
	char *p;			/* next unread character */
	const struct pgt_op_info *desc;	/* set while parsing an operation */
};

/* Room for a token quoted in a message. */
struct tokbuf {
	char s[72];
};

static const char *const access_words[] = { "read", "write", NULL };

/* ---- errors ---- */

/*
 * Quote a token for a message: bounded, and with non-printable bytes as
 * \xNN, so a binary or garbage line cannot flood or garble the terminal.
 */
static const char *quote(struct tokbuf *b, const char *tok)
{
	size_t n = 0, max = sizeof(b->s) - 8;
	unsigned char ch;

	for (; *tok && n < max; tok++) {
		ch = (unsigned char)*tok;
		if (ch >= 0x20 && ch < 0x7f)
			b->s[n++] = ch;
		else
			n += snprintf(b->s + n, 5, "\\x%02x", ch);
	}
	if (*tok)
		n += snprintf(b->s + n, 4, "...");
	b->s[n] = '\0';
	return b->s;
}

static int reader_vfail(struct pgt_trace_reader *r, struct pgt_err *err,
			int status, unsigned long line, const char *fmt,
			va_list ap)
{
	char what[PGT_ERR_MSG_MAX];

	vsnprintf(what, sizeof(what), fmt, ap);
	if (line)
		pgt_fail(&r->saved, status, "%s:%lu: %s", r->path, line, what);
	else
		pgt_fail(&r->saved, status, "%s: %s", r->path, what);
	r->failed = 1;
	if (err)
		*err = r->saved;
	return status;
}

/* Error at a given line (0: the file as a whole). */
static int __attribute__((format(printf, 5, 6)))
reader_fail(struct pgt_trace_reader *r, struct pgt_err *err, int status,
	    unsigned long line, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = reader_vfail(r, err, status, line, fmt, ap);
	va_end(ap);
	return ret;
}

/* Input error at the line being parsed. */
static int __attribute__((format(printf, 2, 3)))
ctx_fail(struct line_ctx *c, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = reader_vfail(c->r, c->err, PGT_ERR_INPUT, c->r->lineno, fmt, ap);
	va_end(ap);
	return ret;
}

/* "a, b or c" from a NULL-terminated word list */
static const char *word_list(char *buf, size_t len, const char *const *w,
			     const char *last_sep)
{
	size_t n = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; w[i] && n < len; i++)
		n += snprintf(buf + n, len - n, "%s%s",
			      i == 0 ? "" : w[i + 1] ? ", " : last_sep, w[i]);
	return buf;
}

/* ---- tokens ---- */

static int is_blank(char ch)
{
	return ch == ' ' || ch == '\t';
}

/* Next blank-separated token of the line, NUL-terminated in place. */
static char *next_token(struct line_ctx *c)
{
	char *tok;

	while (is_blank(*c->p))
		c->p++;
	if (!*c->p)
		return NULL;
	tok = c->p;
	while (*c->p && !is_blank(*c->p))
		c->p++;
	if (*c->p)
		*c->p++ = '\0';
	return tok;
}

/* A required argument of the current op, named `what` in the usage. */
static int need_arg(struct line_ctx *c, const char *what, char **tok)
{
	*tok = next_token(c);
	if (*tok)
		return PGT_OK;
	return ctx_fail(c, "missing argument %s for '%s'; expected '%s'",
			what, c->desc->name, c->desc->syntax);
}

/* Nothing may follow the last argument. */
static int end_of_args(struct line_ctx *c)
{
	struct tokbuf b;
	char *tok = next_token(c);

	if (!tok)
		return PGT_OK;
	return ctx_fail(c, "unexpected argument '%s' after '%s'",
			quote(&b, tok), c->desc->syntax);
}

static int find_word(const char *const *words, const char *tok)
{
	int i;

	for (i = 0; words[i]; i++)
		if (strcmp(words[i], tok) == 0)
			return i;
	return -1;
}

/* One word out of a list, e.g. read|write; its index goes to *idx. */
static int parse_word(struct line_ctx *c, const char *tok,
		      const char *const *words, const char *what, int *idx)
{
	char list[128];
	struct tokbuf b;

	*idx = find_word(words, tok);
	if (*idx >= 0)
		return PGT_OK;
	return ctx_fail(c, "bad %s '%s'; expected %s", what, quote(&b, tok),
			word_list(list, sizeof(list), words, " or "));
}

/* ---- numbers, ranges, protections ---- */

static int parse_number(struct line_ctx *c, const char *tok, const char *what,
			uint64_t *v)
{
	struct tokbuf b;

	if (pgt_parse_u64(tok, v) == 0)
		return PGT_OK;
	if (errno == ERANGE)
		return ctx_fail(c, "%s '%s' is too large; expected a number below 2^64",
				what, quote(&b, tok));
	return ctx_fail(c, "bad %s '%s'; expected " NUMBER_FORMS,
			what, quote(&b, tok));
}

/* A number in [min, max], e.g. an mm id or a CPU number. */
static int parse_bounded(struct line_ctx *c, const char *tok, const char *what,
			 uint64_t min, uint64_t max, uint64_t *v)
{
	struct tokbuf b;
	int ret = parse_number(c, tok, what, v);

	if (ret)
		return ret;
	if (*v < min || *v > max)
		return ctx_fail(c, "%s '%s' out of range; expected a number from %" PRIu64
				" to %" PRIu64, what, quote(&b, tok), min, max);
	return PGT_OK;
}

static int parse_page_multiple(struct line_ctx *c, const char *tok,
			       const char *what, uint64_t *v)
{
	struct tokbuf b;
	int ret = parse_number(c, tok, what, v);

	if (ret)
		return ret;
	if (*v % PAGE_SIZE_4K)
		return ctx_fail(c, "unaligned %s '%s'; expected a multiple of 4096",
				what, quote(&b, tok));
	return PGT_OK;
}

/* ADDR LEN: page aligned, not empty, not past the end of a 64-bit space. */
static int parse_range(struct line_ctx *c, struct pgt_op *op)
{
	char *atok, *ltok;
	struct tokbuf b;
	int ret;

	ret = need_arg(c, "ADDR", &atok);
	if (!ret)
		ret = parse_page_multiple(c, atok, "address", &op->addr);
	if (!ret)
		ret = need_arg(c, "LEN", &ltok);
	if (!ret)
		ret = parse_page_multiple(c, ltok, "length", &op->len);
	if (ret)
		return ret;
	if (op->len == 0)
		return ctx_fail(c, "zero length '%s'; expected a length greater than 0",
				quote(&b, ltok));
	/* addr + len may be exactly 2^64, so compare the last byte */
	if (op->len - 1 > UINT64_MAX - op->addr)
		return ctx_fail(c, "range %s + %s goes past the end of the address space; expected ADDR+LEN <= 2^64",
				atok, ltok);
	return PGT_OK;
}

static int prot_bit(char ch)
{
	switch (ch) {
	case 'r':
		return PGT_PROT_R;
	case 'w':
		return PGT_PROT_W;
	case 'x':
		return PGT_PROT_X;
	}
	return 0;
}

/* "none", or the letters r w x in any order, each at most once */
static int parse_prot(struct line_ctx *c, const char *tok, unsigned *prot)
{
	struct tokbuf b;
	const char *s;
	unsigned bit;

	*prot = 0;
	if (strcmp(tok, "none") == 0)
		return PGT_OK;
	for (s = tok; *s; s++) {
		bit = prot_bit(*s);
		if (!bit)
			return ctx_fail(c, "bad protection '%s'; expected letters r, w, x (each at most once) or 'none'",
					quote(&b, tok));
		if (*prot & bit)
			return ctx_fail(c, "repeated letter '%c' in protection '%s'; expected each of r, w, x at most once",
					*s, quote(&b, tok));
		*prot |= bit;
	}
	return PGT_OK;
}

/* ---- operations ---- */

static int parse_none(struct line_ctx *c, struct pgt_op *op)
{
	return end_of_args(c);
}

static int parse_unmap(struct line_ctx *c, struct pgt_op *op)
{
	int ret = parse_range(c, op);

	return ret ? ret : end_of_args(c);
}

/* remap: ADDR OLDLEN NEWLEN [NEWADDR] */
static int parse_remap(struct line_ctx *c, struct pgt_op *op)
{
	struct tokbuf b;
	char *tok;
	int ret = parse_range(c, op);

	if (!ret)
		ret = need_arg(c, "NEWLEN", &tok);
	if (!ret)
		ret = parse_page_multiple(c, tok, "length", &op->newlen);
	if (ret)
		return ret;
	if (op->newlen == 0)
		return ctx_fail(c, "zero length '%s'; expected a length greater than 0",
				quote(&b, tok));
	tok = next_token(c);
	if (!tok)
		return PGT_OK;
	ret = parse_page_multiple(c, tok, "address", &op->newaddr);
	if (ret)
		return ret;
	if (op->newlen - 1 > UINT64_MAX - op->newaddr)
		return ctx_fail(c, "range %s + NEWLEN goes past the end of the address space; expected NEWADDR+NEWLEN <= 2^64",
				quote(&b, tok));
	op->flags |= PGT_REMAP_FIXED;
	return end_of_args(c);
}

/* protect, kmap: ADDR LEN PROT */
static int parse_range_prot(struct line_ctx *c, struct pgt_op *op)
{
	char *tok;
	int ret;

	ret = parse_range(c, op);
	if (!ret)
		ret = need_arg(c, "PROT", &tok);
	if (!ret)
		ret = parse_prot(c, tok, &op->prot);
	return ret ? ret : end_of_args(c);
}

/* advise, essa, host: ADDR LEN WORD */
static int parse_range_word(struct line_ctx *c, struct pgt_op *op)
{
	char *tok;
	int ret;

	ret = parse_range(c, op);
	if (!ret)
		ret = need_arg(c, c->desc->word_what, &tok);
	if (!ret)
		ret = parse_word(c, tok, c->desc->words, c->desc->word_what,
				 &op->sub);
	return ret ? ret : end_of_args(c);
}

/* One optional alloc word: private|shared or anon|file, each at most once. */
static int parse_alloc_flag(struct line_ctx *c, const char *tok,
			    struct pgt_op *op, unsigned *seen)
{
	static const char *const share[] = { "private", "shared", NULL };
	static const char *const backing[] = { "anon", "file", NULL };
	const char *const *pair = share;
	unsigned bit = PGT_MAP_SHARED;
	struct tokbuf b;
	int i = find_word(share, tok);

	if (i < 0) {
		pair = backing;
		bit = PGT_MAP_FILE;
		i = find_word(backing, tok);
	}
	if (i < 0)
		return ctx_fail(c, "unexpected argument '%s' for 'alloc'; expected private, shared, anon or file after PROT",
				quote(&b, tok));
	if (*seen & bit)
		return ctx_fail(c, "extra '%s' for 'alloc'; expected at most one of %s|%s",
				tok, pair[0], pair[1]);
	*seen |= bit;
	if (i)
		op->flags |= bit;
	return PGT_OK;
}

static int parse_alloc(struct line_ctx *c, struct pgt_op *op)
{
	unsigned seen = 0;
	char *tok;
	int ret;

	ret = parse_range(c, op);
	if (!ret)
		ret = need_arg(c, "PROT", &tok);
	if (!ret)
		ret = parse_prot(c, tok, &op->prot);
	while (!ret && (tok = next_token(c)))
		ret = parse_alloc_flag(c, tok, op, &seen);
	return ret;
}

static int parse_stride(struct line_ctx *c, const char *tok, uint64_t *stride)
{
	static const char key[] = "stride=";
	struct tokbuf b;
	int ret;

	if (strncmp(tok, key, sizeof(key) - 1) != 0)
		return ctx_fail(c, "unexpected argument '%s' for 'populate'; expected stride=N or the end of the line",
				quote(&b, tok));
	ret = parse_number(c, tok + sizeof(key) - 1, "stride", stride);
	if (ret)
		return ret;
	if (*stride == 0 || *stride % PAGE_SIZE_4K)
		return ctx_fail(c, "bad stride '%s'; expected a positive multiple of 4096",
				quote(&b, tok + sizeof(key) - 1));
	return PGT_OK;
}

static int parse_populate(struct line_ctx *c, struct pgt_op *op)
{
	char *tok;
	int ret, write;

	ret = parse_range(c, op);
	if (!ret)
		ret = need_arg(c, "read|write", &tok);
	if (!ret)
		ret = parse_word(c, tok, access_words, "access", &write);
	if (ret)
		return ret;
	op->flags = write;
	tok = next_token(c);
	if (tok)
		ret = parse_stride(c, tok, &op->stride);
	return ret ? ret : end_of_args(c);
}

/* fork, mm: an mm id */
static int parse_mm_id(struct line_ctx *c, struct pgt_op *op)
{
	uint64_t v;
	char *tok;
	int ret;

	ret = need_arg(c, "MM", &tok);
	if (!ret)
		ret = parse_bounded(c, tok, "mm id", 1, PGT_MAX_MM_ID, &v);
	if (ret)
		return ret;
	op->arg = (int)v;
	return end_of_args(c);
}

/* +N or -N: the sign is required, so the line reads as a change */
static int parse_thread(struct line_ctx *c, struct pgt_op *op)
{
	struct tokbuf b;
	uint64_t v;
	char *tok;
	int ret;

	ret = need_arg(c, "+N|-N", &tok);
	if (ret)
		return ret;
	if (tok[0] != '+' && tok[0] != '-')
		return ctx_fail(c, "bad thread change '%s'; expected +N or -N",
				quote(&b, tok));
	ret = parse_bounded(c, tok + 1, "thread change", 1, MAX_THREAD_DELTA,
			    &v);
	if (ret)
		return ret;
	op->arg = tok[0] == '-' ? -(int)v : (int)v;
	return end_of_args(c);
}

static int parse_cpu(struct line_ctx *c, struct pgt_op *op)
{
	uint64_t v;
	char *tok;
	int ret;

	ret = need_arg(c, "attach|detach|idle", &tok);
	if (!ret)
		ret = parse_word(c, tok, c->desc->words, "cpu action", &op->sub);
	if (!ret)
		ret = need_arg(c, "N", &tok);
	if (!ret)
		ret = parse_bounded(c, tok, "cpu number", 0, MAX_CPU, &v);
	if (ret)
		return ret;
	op->arg = (int)v;
	return end_of_args(c);
}

/* The text syntax of each operation's arguments (names: src/op/op.c). */
typedef int op_parser(struct line_ctx *c, struct pgt_op *op);
static op_parser *const parsers[PGT_OP__COUNT] = {
	[PGT_OP_ALLOC] = parse_alloc,
	[PGT_OP_POPULATE] = parse_populate,
	[PGT_OP_PROTECT] = parse_range_prot,
	[PGT_OP_UNMAP] = parse_unmap,
	[PGT_OP_FORK] = parse_mm_id,
	[PGT_OP_MM] = parse_mm_id,
	[PGT_OP_ADVISE] = parse_range_word,
	[PGT_OP_THREAD] = parse_thread,
	[PGT_OP_CPU] = parse_cpu,
	[PGT_OP_EXIT] = parse_none,
	[PGT_OP_SIE] = parse_none,
	[PGT_OP_ESSA] = parse_range_word,
	[PGT_OP_HOST] = parse_range_word,
	[PGT_OP_KMAP] = parse_range_prot,
	[PGT_OP_EXEC] = parse_none,
	[PGT_OP_REMAP] = parse_remap,
	[PGT_OP_COLLAPSE] = parse_unmap,
};

static int unknown_op(struct line_ctx *c, const char *tok)
{
	char list[256];
	struct tokbuf b;
	size_t n = 0;
	int i;

	for (i = 0; i < PGT_OP__COUNT; i++)
		n += snprintf(list + n, sizeof(list) - n, "%s%s",
			      i ? ", " : "", pgt_op_name((enum pgt_op_kind)i));
	return ctx_fail(c, "unknown operation '%s'; expected one of %s",
			quote(&b, tok), list);
}

static int parse_op(struct line_ctx *c, const char *kw, struct pgt_op *op)
{
	struct pgt_trace_reader *r = c->r;
	int kind = pgt_op_find(kw);

	if (kind < 0)
		return unknown_op(c, kw);
	c->desc = pgt_op_info((enum pgt_op_kind)kind);
	if (!r->hdr.arch[0])
		return ctx_fail(c, "'%s' before the 'arch' line; expected 'arch s390x|s390|pae' before the first operation",
				kw);
	memset(op, 0, sizeof(*op));
	op->kind = (enum pgt_op_kind)kind;
	op->line = r->lineno;
	return parsers[kind](c, op);
}

/* ---- header lines ---- */

static int parse_version(struct line_ctx *c)
{
	static const char expect[] = "expected 'pgtctl-trace 1'";
	struct tokbuf b;
	char *tok = next_token(c), *extra;
	uint64_t v;

	if (!tok)
		return ctx_fail(c, "missing version after 'pgtctl-trace'; %s", expect);
	if (strspn(tok, "0123456789") != strlen(tok) || pgt_parse_u64(tok, &v))
		return ctx_fail(c, "bad trace version '%s'; %s", quote(&b, tok),
				expect);
	if (v != 1)
		return ctx_fail(c, "unsupported trace version %s (expected 1)", tok);
	extra = next_token(c);
	if (extra)
		return ctx_fail(c, "unexpected argument '%s' after 'pgtctl-trace 1'",
				quote(&b, extra));
	c->r->hdr.version = 1;
	c->r->seen_header = 1;
	return PGT_OK;
}

static int parse_arch(struct line_ctx *c)
{
	struct pgt_trace_header *h = &c->r->hdr;
	struct tokbuf b;
	char *tok, *extra, names[80];

	if (c->r->seen_op)
		return ctx_fail(c, "'arch' must come before the first operation");
	if (h->arch[0])
		return ctx_fail(c, "second 'arch' line (the first is line %lu); expected exactly one",
				h->arch_line);
	tok = next_token(c);
	if (!tok)
		return ctx_fail(c, "missing architecture after 'arch'; expected %s",
				pgt_arch_replay_names(names, sizeof(names), ""));
	if (!pgt_arch_find(tok))
		return ctx_fail(c, "unknown architecture '%s'; expected %s",
				quote(&b, tok),
				pgt_arch_replay_names(names, sizeof(names), ""));
	extra = next_token(c);
	if (extra)
		return ctx_fail(c, "unexpected argument '%s' after 'arch %s'",
				quote(&b, extra), tok);
	snprintf(h->arch, sizeof(h->arch), "%s", pgt_arch_find(tok)->name);
	h->arch_line = c->r->lineno;
	return PGT_OK;
}

static int valid_key(const char *key)
{
	return *key && strspn(key, "abcdefghijklmnopqrstuvwxyz0123456789-") ==
		       strlen(key);
}

/* key=value; the key's meaning is the engine's business, not ours */
static int parse_option(struct line_ctx *c, char *tok)
{
	struct pgt_trace_header *h = &c->r->hdr;
	struct pgt_trace_option *o;
	char *eq = strchr(tok, '=');
	struct tokbuf b;

	if (!eq)
		return ctx_fail(c, "bad option '%s'; expected key=value",
				quote(&b, tok));
	*eq = '\0';
	if (!valid_key(tok))
		return ctx_fail(c, "bad option name '%s'; expected lowercase letters, digits and '-'",
				quote(&b, tok));
	if (strlen(tok) >= sizeof(o->key))
		return ctx_fail(c, "option name '%s' too long; expected at most %zu characters",
				quote(&b, tok), sizeof(o->key) - 1);
	if (!eq[1])
		return ctx_fail(c, "missing value for option '%s'; expected %s=VALUE",
				tok, tok);
	if (strlen(eq + 1) >= sizeof(o->val))
		return ctx_fail(c, "value of option '%s' too long; expected at most %zu characters",
				tok, sizeof(o->val) - 1);
	if (h->noptions >= PGT_TRACE_MAX_OPTIONS)
		return ctx_fail(c, "too many options; expected at most %d 'set' options",
				PGT_TRACE_MAX_OPTIONS);
	o = &h->options[h->noptions++];
	snprintf(o->key, sizeof(o->key), "%s", tok);
	snprintf(o->val, sizeof(o->val), "%s", eq + 1);
	o->line = c->r->lineno;
	return PGT_OK;
}

static int parse_set(struct line_ctx *c)
{
	char *tok;
	int ret = PGT_OK;

	if (c->r->seen_op)
		return ctx_fail(c, "'set' must come before the first operation");
	if (!c->r->hdr.arch[0])
		return ctx_fail(c, "'set' before the 'arch' line; expected 'arch s390x|s390|pae' first");
	tok = next_token(c);
	if (!tok)
		return ctx_fail(c, "missing key=value for 'set'; expected 'set key=value [key=value...]'");
	for (; !ret && tok; tok = next_token(c))
		ret = parse_option(c, tok);
	return ret;
}

/* ---- lines ---- */

/* Keep the unread bytes, at the front of buf, and read more after them. */
static int refill(struct pgt_trace_reader *r, struct pgt_err *err)
{
	size_t n;

	memmove(r->buf, r->buf + r->pos, r->fill - r->pos);
	r->offset += r->pos;
	r->fill -= r->pos;
	r->pos = 0;
	n = fread(r->buf + r->fill, 1, TEXT_BUF_SIZE - r->fill, r->fp);
	if (n == 0 && ferror(r->fp))
		return reader_fail(r, err, PGT_ERR_IO, 0, "read error: %s",
				   strerror(errno));
	r->eof = n == 0;
	r->fill += n;
	return PGT_OK;
}

/*
 * The next line, as r->line (newline and a final CR removed), in place.
 * *eof is set instead at the end of the input.  A NUL byte among the
 * first PGT_TRACE_LINE_MAX + 1 bytes of a line is reported before the
 * line's length, as a byte-by-byte reader finds them.
 */
static int read_line(struct pgt_trace_reader *r, int *eof, struct pgt_err *err)
{
	for (;;) {
		char *s = r->buf + r->pos, *nl;
		size_t avail = r->fill - r->pos, n;
		int ret;

		nl = memchr(s, '\n', avail);
		n = nl ? (size_t)(nl - s) : avail;
		if (memchr(s, '\0', n <= PGT_TRACE_LINE_MAX ? n :
				    PGT_TRACE_LINE_MAX + 1))
			return reader_fail(r, err, PGT_ERR_INPUT, r->lineno + 1,
					   "NUL byte in the line; expected a text trace");
		if (n > PGT_TRACE_LINE_MAX)
			return reader_fail(r, err, PGT_ERR_INPUT, r->lineno + 1,
					   "line longer than %d bytes; expected at most %d bytes per line",
					   PGT_TRACE_LINE_MAX, PGT_TRACE_LINE_MAX);
		if (nl || r->eof) {
			*eof = !nl && n == 0;
			if (*eof)
				return PGT_OK;
			r->pos += n + (nl ? 1 : 0);
			r->lineno++;
			if (n && s[n - 1] == '\r')	/* tolerate CRLF files */
				n--;
			s[n] = '\0';
			r->line = s;
			return PGT_OK;
		}
		if ((ret = refill(r, err)))
			return ret;
	}
}

/*
 * Parse the line in r->line: header, arch, set, or an operation, which
 * is stored in *op with *is_op = 1.
 */
static int parse_line(struct pgt_trace_reader *r, struct pgt_op *op,
		      int *is_op, struct pgt_err *err)
{
	struct line_ctx c = { .r = r, .err = err, .p = r->line };
	struct tokbuf b;
	char *hash = strchr(r->line, '#'), *kw;
	int ret;

	*is_op = 0;
	if (hash)
		*hash = '\0';
	kw = next_token(&c);
	if (!kw)
		return PGT_OK;
	if (!r->seen_header) {
		if (strcmp(kw, "pgtctl-trace") == 0)
			return parse_version(&c);
		return ctx_fail(&c, "missing header before '%s'; expected 'pgtctl-trace 1' as the first line",
				quote(&b, kw));
	}
	if (strcmp(kw, "pgtctl-trace") == 0)
		return ctx_fail(&c, "second 'pgtctl-trace' line; expected it only as the first line");
	if (strcmp(kw, "arch") == 0)
		return parse_arch(&c);
	if (strcmp(kw, "set") == 0)
		return parse_set(&c);
	ret = parse_op(&c, kw, op);
	if (ret)
		return ret;
	r->seen_op = 1;
	*is_op = 1;
	return PGT_OK;
}

/* Read lines until an operation (*done = 0) or the end (*done = 1). */
static int read_op(struct pgt_trace_reader *r, struct pgt_op *op, int *done,
		   struct pgt_err *err)
{
	int ret, eof, is_op;

	for (;;) {
		ret = read_line(r, &eof, err);
		if (ret)
			return ret;
		if (eof) {
			*done = 1;
			return PGT_OK;
		}
		ret = parse_line(r, op, &is_op, err);
		if (ret)
			return ret;
		if (is_op) {
			*done = 0;
			return PGT_OK;
		}
	}
}

/* ---- the reader ---- */

static int open_file(struct pgt_trace_reader *r, const char *path,
		     struct pgt_err *err)
{
	int stdin_path = strcmp(path, "-") == 0;
	struct stat st;

	r->path = strdup(stdin_path ? "<stdin>" : path);
	if (!r->path)
		return pgt_fail(err, PGT_ERR_NOMEM, "out of memory opening %s",
				path);
	if (stdin_path) {
		r->fp = stdin;
		return PGT_OK;
	}
	r->fp = fopen(path, "r");
	if (!r->fp)
		return pgt_fail(err, PGT_ERR_IO, "cannot open %s: %s", path,
				strerror(errno));
	r->owns_fp = 1;
	if (!fstat(fileno(r->fp), &st) && S_ISREG(st.st_mode))
		r->size = (uint64_t)st.st_size;
	return PGT_OK;
}

/*
 * A text trace starts with printable ASCII (or a comment / blank line);
 * the CBOR form with tag 55799, whose first byte 0xd9 (*cbor = 1) no text
 * starts with.  Any other NUL or top-bit-set first byte is neither.
 */
static int check_text(struct pgt_trace_reader *r, int *cbor,
		      struct pgt_err *err)
{
	int ch = getc(r->fp);

	*cbor = 0;
	if (ch == EOF) {
		if (ferror(r->fp))
			return reader_fail(r, err, PGT_ERR_IO, 0,
					   "read error: %s", strerror(errno));
		return PGT_OK;
	}
	if (ch == 0 || (ch >= 0x80 && ch != PGT_CBOR_FIRST_BYTE))
		return reader_fail(r, err, PGT_ERR_INPUT, 0,
				   "byte 0: not a text trace nor a CBOR trace (first byte 0x%02x); expected printable text or 0x%02x (CBOR tag 55799)",
				   ch, PGT_CBOR_FIRST_BYTE);
	*cbor = ch == PGT_CBOR_FIRST_BYTE;
	ungetc(ch, r->fp);
	return PGT_OK;
}

/* At the end of the input, the header must be complete. */
static int check_header_at_eof(struct pgt_trace_reader *r, struct pgt_err *err)
{
	unsigned long line = r->lineno + 1;

	if (!r->seen_header && r->lineno == 0)
		return reader_fail(r, err, PGT_ERR_INPUT, 1,
				   "empty trace; expected 'pgtctl-trace 1' as the first line");
	if (!r->seen_header)
		return reader_fail(r, err, PGT_ERR_INPUT, line,
				   "end of file before the header; expected 'pgtctl-trace 1' as the first line");
	if (!r->hdr.arch[0])
		return reader_fail(r, err, PGT_ERR_INPUT, line,
				   "end of file before the 'arch' line; expected 'arch s390x|s390|pae'");
	return PGT_OK;
}

int pgt_trace_open(const char *path, struct pgt_trace_reader **out,
		   struct pgt_err *err)
{
	struct pgt_trace_reader *r;
	int ret, done = 0, cbor = 0;

	*out = NULL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return pgt_fail(err, PGT_ERR_NOMEM, "out of memory opening %s",
				path);
	ret = open_file(r, path, err);
	if (!ret)
		ret = check_text(r, &cbor, err);
	/* the CBOR reader reads the header item; ops come from it later */
	if (!ret && cbor)
		ret = pgt_cbor_open(r->fp, r->path, &r->hdr, &r->cbor, err);
	/* read through the first op, so the header is complete on return */
	else if (!ret)
		ret = read_op(r, &r->pending, &done, err);
	if (!ret && done)
		ret = check_header_at_eof(r, err);
	if (ret) {
		pgt_trace_close(r);
		return ret;
	}
	r->have_pending = !done;
	r->at_eof = done;
	*out = r;
	return PGT_OK;
}

const struct pgt_trace_header *pgt_trace_header(const struct pgt_trace_reader *r)
{
	return &r->hdr;
}

const char *pgt_trace_path(const struct pgt_trace_reader *r)
{
	return r->path;
}

enum pgt_trace_form pgt_trace_form(const struct pgt_trace_reader *r)
{
	return r->cbor ? PGT_TRACE_CBOR : PGT_TRACE_TEXT;
}

/*
 * After an error every further call returns the same error (and *done = 1,
 * so a careless loop still ends): the rest of a broken trace is not read.
 */
int pgt_trace_next(struct pgt_trace_reader *r, struct pgt_op *op, int *done,
		   struct pgt_err *err)
{
	int ret;

	if (r->cbor)
		return pgt_cbor_next(r->cbor, op, done, err);
	*done = 1;
	if (r->failed) {
		if (err)
			*err = r->saved;
		return r->saved.status;
	}
	if (r->have_pending) {
		*op = r->pending;
		r->have_pending = 0;
		*done = 0;
		return PGT_OK;
	}
	if (r->at_eof)
		return PGT_OK;
	ret = read_op(r, op, done, err);
	if (ret)
		*done = 1;
	else if (*done)
		r->at_eof = 1;
	return ret;
}

void pgt_trace_progress(const struct pgt_trace_reader *r, uint64_t *done,
			uint64_t *total)
{
	*done = r->cbor ? pgt_cbor_offset(r->cbor) : r->offset + r->pos;
	*total = r->size;
}

void pgt_trace_close(struct pgt_trace_reader *r)
{
	if (!r)
		return;
	pgt_cbor_close(r->cbor);
	if (r->owns_fp)
		fclose(r->fp);
	free(r->path);
	free(r);
}
