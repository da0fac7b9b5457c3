/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Streaming reader for the CBOR trace form (pgtctl-trace(5) "CBOR FORM"):
 * an RFC 8742 CBOR sequence of the header, wrapped in the self-describe
 * tag 55799, then one map per operation with small unsigned-integer keys.
 *
 * The only decoder used is libcbor's stateless cbor_stream_decode(): it
 * decodes one data item head (with the bytes of a string) from a buffer,
 * allocates nothing and reports through callbacks.  This file walks the
 * structure itself, so each limit is checked before the data it guards is
 * read.  cbor_load() is never used: it allocates whatever a declared length
 * promises (20 GB and 71 s for the 5 bytes 9a 9a 9a 9a 54 in libcbor 0.8.0).
 *
 * Memory is fixed: one buffer of PGT_CBOR_ITEM_MAX bytes holds the item
 * being decoded, whatever the length of the trace.  Every error names
 * "FILE: byte OFFSET", what was wrong and what was expected; the first
 * error is sticky.
 */
#include <cbor.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "../arch/arch.h"
#include "trace.h"

#define PAGE_SIZE_4K 4096u
#define MAX_THREAD_DELTA 1000000
#define MAX_CPU 63

/*
 * The format's codes are the values of the enums in trace.h: stop the
 * build if those ever move, since files written before would change
 * meaning.
 */
_Static_assert(PGT_OP_ALLOC == 0 && PGT_OP_POPULATE == 1 &&
	       PGT_OP_PROTECT == 2 && PGT_OP_UNMAP == 3 && PGT_OP_FORK == 4 &&
	       PGT_OP_MM == 5 && PGT_OP_ADVISE == 6 && PGT_OP_THREAD == 7 &&
	       PGT_OP_CPU == 8 && PGT_OP_EXIT == 9 && PGT_OP_SIE == 10 &&
	       PGT_OP_ESSA == 11 && PGT_OP_HOST == 12 && PGT_OP_KMAP == 13 &&
	       PGT_OP_EXEC == 14 && PGT_OP_REMAP == 15 &&
	       PGT_OP_COLLAPSE == 16 && PGT_OP__COUNT == 17, "CBOR operation codes are fixed");
_Static_assert(PGT_ADV_HUGEPAGE == 0 && PGT_ADV_NOHUGEPAGE == 1 &&
	       PGT_ADV_DONTNEED == 2 && PGT_ADV_FREE == 3 &&
	       PGT_CPU_ATTACH == 0 &&
	       PGT_CPU_DETACH == 1 && PGT_CPU_IDLE == 2 &&
	       PGT_ESSA_STABLE == 0 &&
	       PGT_ESSA_UNUSED == 1 && PGT_ESSA_VOLATILE == 2 &&
	       PGT_ESSA_PVOLATILE == 3 && PGT_HOST_DISCARD == 0 &&
	       PGT_HOST_SWAPOUT == 1 && PGT_HOST_SWAPIN == 2 &&
	       PGT_HOST_ACCESS == 3, "CBOR action codes are fixed");
_Static_assert(PGT_PROT_R == 1 && PGT_PROT_W == 2 && PGT_PROT_X == 4 &&
	       PGT_MAP_SHARED == 1 && PGT_MAP_FILE == 2,
	       "CBOR prot and map bits are fixed");
_Static_assert(PGT_CK_NEWLEN == 11 && PGT_CK_NEWADDR == 12 &&
	       PGT_CK__COUNT == 13, "CBOR keys are fixed");

/* ---- operations as key/value fields ---- */

#define K(key) (1u << PGT_CK_##key)
static const char *const key_names[PGT_CK__COUNT] = {
	"op", "addr", "len", "prot", "map", "access", "stride", "mm",
	"delta", "cpu", "action", "newlen", "newaddr",
};

const char *pgt_cbor_key_name(unsigned key)
{
	if (key < PGT_CK__COUNT)
		return key_names[key];
	return key >= PGT_CBOR_KEY_IGNORED ? "ignored" : "unknown";
}

/* The value op carries for a key; *neg only for DELTA. */
static uint64_t op_value(const struct pgt_op *op, unsigned key, int *neg)
{
	switch (key) {
	case PGT_CK_OP:
		return (uint64_t)op->kind;
	case PGT_CK_ADDR:
		return op->addr;
	case PGT_CK_LEN:
		return op->len;
	case PGT_CK_PROT:
		return op->prot;
	case PGT_CK_MAP:
	case PGT_CK_ACCESS:
		return op->flags;
	case PGT_CK_STRIDE:
		return op->stride;
	case PGT_CK_NEWLEN:
		return op->newlen;
	case PGT_CK_NEWADDR:
		return op->newaddr;
	case PGT_CK_DELTA:
		*neg = op->arg < 0;
		return op->arg < 0 ? (uint64_t)-(int64_t)op->arg :
				     (uint64_t)op->arg;
	case PGT_CK_MM:
	case PGT_CK_CPU:
		return (uint64_t)(int64_t)op->arg;	/* negative: out of range */
	default:
		return (uint64_t)(int64_t)op->sub;
	}
}

/* Canonical: the keys the op needs, optional ones only when not default. */
void pgt_cbor_from_op(const struct pgt_op *op, struct pgt_cbor_fields *f)
{
	const struct pgt_op_info *d;
	unsigned key, keys;

	memset(f, 0, sizeof(*f));
	f->keys = K(OP);
	f->val[PGT_CK_OP] = (unsigned)op->kind;
	if ((unsigned)op->kind >= PGT_OP__COUNT)
		return;			/* pgt_cbor_to_op says why */
	d = pgt_op_info(op->kind);
	keys = d->cbor_need;
	if ((d->cbor_may & K(MAP)) && op->flags)
		keys |= K(MAP);
	if ((d->cbor_may & K(STRIDE)) && op->stride)
		keys |= K(STRIDE);
	if ((d->cbor_may & K(NEWADDR)) && (op->flags & PGT_REMAP_FIXED))
		keys |= K(NEWADDR);
	for (key = 1; key < PGT_CK__COUNT; key++)
		if (keys & (1u << key))
			f->val[key] = op_value(op, key, &f->neg);
	f->keys |= keys;
}

/* "0 (op), 1 (addr) and 2 (len)" */
static void key_list(char *buf, size_t len, unsigned keys)
{
	unsigned key, left = keys;
	size_t n = 0;

	buf[0] = '\0';
	for (key = 0; key < PGT_CK__COUNT && n < len; key++) {
		if (!(keys & (1u << key)))
			continue;
		left &= ~(1u << key);
		n += snprintf(buf + n, len - n, "%s%u (%s)",
			      n == 0 ? "" : left ? ", " : " and ", key,
			      key_names[key]);
	}
}

/* The key set of an op: nothing missing, nothing it does not use. */
static int check_keys(const struct pgt_cbor_fields *f, int *bad_key,
		      char *why, size_t len)
{
	const struct pgt_op_info *d =
		pgt_op_info((enum pgt_op_kind)f->val[PGT_CK_OP]);
	unsigned extra = f->keys & ~(d->cbor_need | d->cbor_may | K(OP));
	unsigned missing = d->cbor_need & ~f->keys, key;
	const char *name;
	char list[160], opt[64];

	if (!extra && !missing)
		return PGT_OK;
	name = pgt_op_name((enum pgt_op_kind)f->val[PGT_CK_OP]);
	key_list(list, sizeof(list), d->cbor_need | K(OP));
	key_list(opt, sizeof(opt), d->cbor_may);
	/* a key that should not be there has an offset to show; report it first */
	for (key = 0; !((extra ? extra : missing) & (1u << key)); key++)
		;
	*bad_key = extra ? (int)key : -1;
	snprintf(why, len, "'%s' %s key %u (%s); expected keys %s%s%s", name,
		 extra ? "does not take" : "without", key, key_names[key], list,
		 d->cbor_may ? " and optionally " : "", d->cbor_may ? opt : "");
	return PGT_ERR_INPUT;
}

/* ADDR LEN: page aligned, not empty, not past the end of a 64-bit space. */
static int check_range(uint64_t addr, uint64_t len, int *bad_key, char *why,
		       size_t wlen)
{
	*bad_key = PGT_CK_ADDR;
	if (addr % PAGE_SIZE_4K) {
		snprintf(why, wlen, "unaligned addr 0x%" PRIx64 "; expected a multiple of 4096",
			 addr);
		return PGT_ERR_INPUT;
	}
	*bad_key = PGT_CK_LEN;
	if (len == 0 || len % PAGE_SIZE_4K) {
		snprintf(why, wlen, "len 0x%" PRIx64 "; expected a positive multiple of 4096",
			 len);
		return PGT_ERR_INPUT;
	}
	if (len - 1 > UINT64_MAX - addr) {
		snprintf(why, wlen, "range 0x%" PRIx64 " + 0x%" PRIx64 " goes past the end of the address space; expected addr + len <= 2^64",
			 addr, len);
		return PGT_ERR_INPUT;
	}
	return PGT_OK;
}

/* A key's value, 0 when the key is absent. */
static uint64_t field(const struct pgt_cbor_fields *f, unsigned key)
{
	return f->keys & (1u << key) ? f->val[key] : 0;
}

/* One value in [min, max]. */
static int check_bounds(const struct pgt_cbor_fields *f, unsigned key,
			uint64_t min, uint64_t max, int *bad_key, char *why,
			size_t len)
{
	uint64_t v = f->val[key];

	if (v >= min && v <= max)
		return PGT_OK;
	*bad_key = (int)key;
	snprintf(why, len, "key %u (%s) is %s%" PRIu64 "; expected %s%" PRIu64
		 " to %" PRIu64, key, key_names[key],
		 key == PGT_CK_DELTA && f->neg ? "-" : "", v,
		 key == PGT_CK_DELTA ? "+/-" : "", min, max);
	return PGT_ERR_INPUT;
}

/* The largest value each integer key may take (ADDR, LEN: all of uint64). */
static uint64_t key_max(unsigned key, enum pgt_op_kind kind)
{
	switch (key) {
	case PGT_CK_PROT:
		return PGT_PROT_R | PGT_PROT_W | PGT_PROT_X;
	case PGT_CK_MAP:
		return PGT_MAP_SHARED | PGT_MAP_FILE;
	case PGT_CK_ACCESS:
		return 1;
	case PGT_CK_MM:
		return PGT_MAX_MM_ID;
	case PGT_CK_DELTA:
		return MAX_THREAD_DELTA;
	case PGT_CK_CPU:
		return MAX_CPU;
	case PGT_CK_ACTION:
		return pgt_op_nwords(kind) - 1;
	default:
		return UINT64_MAX;
	}
}

static uint64_t key_min(unsigned key)
{
	return key == PGT_CK_MM || key == PGT_CK_DELTA ? 1 : 0;
}

/* remap: a new length and address as the text form takes them */
static int check_remap(const struct pgt_cbor_fields *f, int *bad_key,
		       char *why, size_t len)
{
	uint64_t n = f->val[PGT_CK_NEWLEN], a = field(f, PGT_CK_NEWADDR);

	if (n == 0 || n % PAGE_SIZE_4K) {
		*bad_key = PGT_CK_NEWLEN;
		snprintf(why, len, "newlen 0x%" PRIx64 "; expected a positive multiple of 4096",
			 n);
		return PGT_ERR_INPUT;
	}
	if (!(f->keys & K(NEWADDR)))
		return PGT_OK;
	if (a % PAGE_SIZE_4K || n - 1 > UINT64_MAX - a) {
		*bad_key = PGT_CK_NEWADDR;
		snprintf(why, len, "newaddr 0x%" PRIx64 " + newlen 0x%" PRIx64 "; expected a multiple of 4096 with newaddr+newlen <= 2^64",
			 a, n);
		return PGT_ERR_INPUT;
	}
	return PGT_OK;
}

static int check_values(const struct pgt_cbor_fields *f, int *bad_key,
			char *why, size_t len)
{
	enum pgt_op_kind kind = (enum pgt_op_kind)f->val[PGT_CK_OP];
	uint64_t stride = field(f, PGT_CK_STRIDE);
	unsigned key, keys;
	int ret;

	if (f->keys & K(ADDR)) {
		ret = check_range(f->val[PGT_CK_ADDR], f->val[PGT_CK_LEN],
				  bad_key, why, len);
		if (ret)
			return ret;
	}
	if ((f->keys & K(STRIDE)) && (stride == 0 || stride % PAGE_SIZE_4K)) {
		*bad_key = PGT_CK_STRIDE;
		snprintf(why, len, "stride 0x%" PRIx64 "; expected a positive multiple of 4096 (leave key 6 out for every page)",
			 stride);
		return PGT_ERR_INPUT;
	}
	if (f->keys & K(NEWLEN)) {
		ret = check_remap(f, bad_key, why, len);
		if (ret)
			return ret;
	}
	/* the keys present from PROT on; STRIDE and remap's (checked
	 * above) aside */
	for (keys = f->keys & ~(K(OP) | K(ADDR) | K(LEN) | K(STRIDE) |
				K(NEWLEN) | K(NEWADDR));
	     keys; keys &= keys - 1) {
		key = (unsigned)__builtin_ctz(keys);
		ret = check_bounds(f, key, key_min(key), key_max(key, kind),
				   bad_key, why, len);
		if (ret)
			return ret;
	}
	return PGT_OK;
}

int pgt_cbor_to_op(const struct pgt_cbor_fields *f, struct pgt_op *op,
		   int *bad_key, char *why, size_t len)
{
	uint64_t code = f->val[PGT_CK_OP];
	int ret, neg = f->neg, delta;

	*bad_key = -1;
	if (!(f->keys & K(OP))) {
		snprintf(why, len, "operation without key 0 (op); expected the operation code under key 0");
		return PGT_ERR_INPUT;
	}
	if (code >= PGT_OP__COUNT) {
		*bad_key = PGT_CK_OP;
		snprintf(why, len, "unknown operation code %" PRIu64 "; expected 0 (alloc) to %d (%s)",
			 code, PGT_OP__COUNT - 1,
			 pgt_op_name((enum pgt_op_kind)(PGT_OP__COUNT - 1)));
		return PGT_ERR_INPUT;
	}
	ret = check_keys(f, bad_key, why, len);
	if (!ret)
		ret = check_values(f, bad_key, why, len);
	if (ret)
		return ret;
	/* the key set is right: each field comes from one key or stays 0 */
	memset(op, 0, sizeof(*op));
	op->kind = (enum pgt_op_kind)code;
	op->addr = field(f, PGT_CK_ADDR);
	op->len = field(f, PGT_CK_LEN);
	op->prot = (unsigned)field(f, PGT_CK_PROT);
	op->flags = (unsigned)(field(f, PGT_CK_MAP) | field(f, PGT_CK_ACCESS));
	op->stride = field(f, PGT_CK_STRIDE);
	op->arg = (int)(field(f, PGT_CK_MM) | field(f, PGT_CK_CPU));
	delta = (int)field(f, PGT_CK_DELTA);
	if (f->keys & K(DELTA))
		op->arg = neg ? -delta : delta;
	op->sub = (int)field(f, PGT_CK_ACTION);
	op->newlen = field(f, PGT_CK_NEWLEN);
	op->newaddr = field(f, PGT_CK_NEWADDR);
	if (f->keys & K(NEWADDR))
		op->flags |= PGT_REMAP_FIXED;
	return PGT_OK;
}

/* ---- header options (shared with the writers) ---- */

static int option_key_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
	       ch == '-';
}

/* A value must survive the text form: one token, no comment. */
static int option_val_char(char ch)
{
	return ch > ' ' && ch < 0x7f && ch != '#';
}

const char *pgt_trace_option_problem(const char *key, const char *val)
{
	const struct pgt_trace_option *o = NULL;
	const char *s;

	if (!*key)
		return "empty option name; expected lowercase letters, digits and '-'";
	for (s = key; *s; s++)
		if (!option_key_char(*s))
			return "bad option name; expected lowercase letters, digits and '-'";
	if (strlen(key) >= sizeof(o->key))
		return "option name too long; expected at most 31 characters";
	if (!*val)
		return "empty option value; expected 1 to 63 characters";
	if (strlen(val) >= sizeof(o->val))
		return "option value too long; expected at most 63 characters";
	for (s = val; *s; s++)
		if (!option_val_char(*s))
			return "bad character in option value; expected printable ASCII without blanks or '#'";
	return NULL;
}

/* ---- the decoder: one token (a data item head) at a time ---- */

enum tok_type {
	T_UINT, T_NEGINT, T_BYTES, T_TEXT, T_ARRAY, T_MAP, T_TAG, T_FLOAT,
	T_SIMPLE, T_INDEF, T_BREAK
};

struct tok {
	enum tok_type type;
	uint64_t val;			/* integer (NEGINT: -1 - val), tag,
					 * entry count or string length */
	const unsigned char *str;	/* T_BYTES, T_TEXT: in the buffer */
	uint64_t off;			/* byte offset of the head */
};

static void set_tok(void *ctx, enum tok_type type, uint64_t val)
{
	struct tok *t = ctx;

	t->type = type;
	t->val = val;
}

static void on_uint8(void *c, uint8_t v) { set_tok(c, T_UINT, v); }
static void on_uint16(void *c, uint16_t v) { set_tok(c, T_UINT, v); }
static void on_uint32(void *c, uint32_t v) { set_tok(c, T_UINT, v); }
static void on_uint64(void *c, uint64_t v) { set_tok(c, T_UINT, v); }
static void on_neg8(void *c, uint8_t v) { set_tok(c, T_NEGINT, v); }
static void on_neg16(void *c, uint16_t v) { set_tok(c, T_NEGINT, v); }
static void on_neg32(void *c, uint32_t v) { set_tok(c, T_NEGINT, v); }
static void on_neg64(void *c, uint64_t v) { set_tok(c, T_NEGINT, v); }
static void on_array(void *c, size_t n) { set_tok(c, T_ARRAY, n); }
static void on_map(void *c, size_t n) { set_tok(c, T_MAP, n); }
static void on_tag(void *c, uint64_t v) { set_tok(c, T_TAG, v); }
static void on_float(void *c, float v) { set_tok(c, T_FLOAT, 0); }
static void on_double(void *c, double v) { set_tok(c, T_FLOAT, 0); }
static void on_simple(void *c) { set_tok(c, T_SIMPLE, 0); }
static void on_bool(void *c, bool v) { set_tok(c, T_SIMPLE, v); }
static void on_indef(void *c) { set_tok(c, T_INDEF, 0); }
static void on_break(void *c) { set_tok(c, T_BREAK, 0); }

static void on_bytes(void *c, cbor_data s, size_t n)
{
	set_tok(c, T_BYTES, n);
	((struct tok *)c)->str = s;
}

static void on_text(void *c, cbor_data s, size_t n)
{
	set_tok(c, T_TEXT, n);
	((struct tok *)c)->str = s;
}

static const struct cbor_callbacks callbacks = {
	.uint8 = on_uint8,
	.uint16 = on_uint16,
	.uint32 = on_uint32,
	.uint64 = on_uint64,
	.negint8 = on_neg8,
	.negint16 = on_neg16,
	.negint32 = on_neg32,
	.negint64 = on_neg64,
	.byte_string = on_bytes,
	.byte_string_start = on_indef,
	.string = on_text,
	.string_start = on_indef,
	.array_start = on_array,
	.indef_array_start = on_indef,
	.map_start = on_map,
	.indef_map_start = on_indef,
	.tag = on_tag,
	.float2 = on_float,
	.float4 = on_float,
	.float8 = on_double,
	.undefined = on_simple,
	.null = on_simple,
	.boolean = on_bool,
	.indef_break = on_break,
};

struct pgt_cbor_reader {
	FILE *fp;
	const char *path;		/* as shown in messages */
	uint64_t base;			/* file offset of buf[0] */
	size_t pos, fill;		/* next byte to decode; bytes held */
	size_t item;			/* where the item being read starts */
	int eof, at_end, failed;
	struct pgt_err saved;		/* the sticky error */
	struct tok tok;			/* the token decoded last */
	unsigned char buf[PGT_CBOR_ITEM_MAX];
};

/* ---- errors ---- */

static int __attribute__((format(printf, 4, 5)))
fail_at(struct pgt_cbor_reader *r, struct pgt_err *err, uint64_t off,
	const char *fmt, ...)
{
	char what[PGT_ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	pgt_fail(&r->saved, PGT_ERR_INPUT, "%s: byte %" PRIu64 ": %s",
		 r->path, off, what);
	r->failed = 1;
	if (err)
		*err = r->saved;
	return PGT_ERR_INPUT;
}

static int read_error(struct pgt_cbor_reader *r, struct pgt_err *err)
{
	pgt_fail(&r->saved, PGT_ERR_IO, "%s: read error: %s", r->path,
		 strerror(errno));
	r->failed = 1;
	if (err)
		*err = r->saved;
	return PGT_ERR_IO;
}

/* Room for a string quoted in a message. */
struct quotebuf {
	char s[72];
};

/* Bounded, non-printable bytes as \xNN: garbage cannot flood a terminal. */
static const char *quote(struct quotebuf *b, const unsigned char *s, size_t n)
{
	size_t i, o = 0, max = sizeof(b->s) - 8;

	for (i = 0; i < n && o < max; i++) {
		if (s[i] >= 0x20 && s[i] < 0x7f && s[i] != '"')
			b->s[o++] = (char)s[i];
		else
			o += snprintf(b->s + o, 5, "\\x%02x", s[i]);
	}
	if (i < n)
		o += snprintf(b->s + o, 4, "...");
	b->s[o] = '\0';
	return b->s;
}

/* What a token is, for "found X; expected Y". */
static const char *tok_desc(char *buf, size_t len, const struct tok *t)
{
	switch (t->type) {
	case T_UINT:
		snprintf(buf, len, "the unsigned integer %" PRIu64, t->val);
		break;
	case T_NEGINT:	/* -1 - val, which may be -2^64 */
		if (t->val == UINT64_MAX)
			snprintf(buf, len, "the negative integer -18446744073709551616");
		else
			snprintf(buf, len, "the negative integer -%" PRIu64,
				 t->val + 1);
		break;
	case T_BYTES:
		snprintf(buf, len, "a byte string of %" PRIu64 " byte%s", t->val,
			 t->val == 1 ? "" : "s");
		break;
	case T_TEXT:
		snprintf(buf, len, "a text string of %" PRIu64 " byte%s", t->val,
			 t->val == 1 ? "" : "s");
		break;
	case T_ARRAY:
		snprintf(buf, len, "an array of %" PRIu64 " entr%s", t->val,
			 t->val == 1 ? "y" : "ies");
		break;
	case T_MAP:
		snprintf(buf, len, "a map of %" PRIu64 " pair%s", t->val,
			 t->val == 1 ? "" : "s");
		break;
	case T_TAG:
		snprintf(buf, len, "tag %" PRIu64, t->val);
		break;
	case T_FLOAT:
		snprintf(buf, len, "a floating-point number");
		break;
	default:
		snprintf(buf, len, "a simple value (false, true, null or undefined)");
		break;
	}
	return buf;
}

static int wrong_type(struct pgt_cbor_reader *r, struct pgt_err *err,
		      const char *what)
{
	char found[80];

	return fail_at(r, err, r->tok.off, "found %s; expected %s",
		       tok_desc(found, sizeof(found), &r->tok), what);
}

/* ---- input ---- */

/*
 * Read more of the file behind the bytes held.  The item being read is
 * first moved to the front, so that an item of up to the whole buffer
 * fits; *more = 0 when nothing was added (end of file or buffer full).
 */
static int refill(struct pgt_cbor_reader *r, int *more, struct pgt_err *err)
{
	size_t n;

	*more = 0;
	if (r->item) {
		memmove(r->buf, r->buf + r->item, r->fill - r->item);
		r->base += r->item;
		r->pos -= r->item;
		r->fill -= r->item;
		r->item = 0;
	}
	if (r->eof || r->fill == sizeof(r->buf))
		return PGT_OK;
	n = fread(r->buf + r->fill, 1, sizeof(r->buf) - r->fill, r->fp);
	if (n == 0 && ferror(r->fp))
		return read_error(r, err);
	r->eof = n == 0;
	r->fill += n;
	*more = n > 0;
	return PGT_OK;
}

/* The item does not fit in the buffer, or the file ends inside it. */
static int short_item(struct pgt_cbor_reader *r, const char *what,
		      struct pgt_err *err)
{
	if (r->fill == sizeof(r->buf))
		return fail_at(r, err, r->base + r->item,
			       "item longer than %d bytes; expected at most %d bytes per item (the header or one operation)",
			       PGT_CBOR_ITEM_MAX, PGT_CBOR_ITEM_MAX);
	return fail_at(r, err, r->tok.off,
		       "end of file inside the item that starts at byte %" PRIu64 " (truncated trace); expected %s",
		       r->base + r->item, what);
}

/*
 * The bytes of a string are not all here yet: check the length its head
 * declares before reading any more.  With the major type bits cleared,
 * libcbor decodes the head's argument as an unsigned integer, the declared
 * length; its `required` count is not used, as it wraps near 2^64.
 */
static int check_declared_length(struct pgt_cbor_reader *r, const char *what,
				 struct pgt_err *err)
{
	struct cbor_decoder_result res;
	struct tok len = { .type = T_SIMPLE };
	unsigned char head[9];
	size_t n = r->fill - r->pos;
	unsigned major;

	if (n == 0)
		return PGT_OK;
	major = r->buf[r->pos] >> 5;
	if (major != 2 && major != 3)
		return PGT_OK;
	if (n > sizeof(head))
		n = sizeof(head);
	memcpy(head, r->buf + r->pos, n);
	head[0] &= 0x1f;
	res = cbor_stream_decode(head, n, &callbacks, &len);
	if (res.status != CBOR_DECODER_FINISHED || len.type != T_UINT ||
	    len.val <= PGT_CBOR_STRING_MAX)
		return PGT_OK;		/* the head itself is incomplete */
	return fail_at(r, err, r->tok.off,
		       "%s string declaring %" PRIu64 " bytes, more than the limit of %d; expected %s",
		       major == 3 ? "text" : "byte", len.val,
		       PGT_CBOR_STRING_MAX, what);
}

/* Indefinite lengths are not part of the format, wherever they are. */
static int check_definite(struct pgt_cbor_reader *r, const char *what,
			  struct pgt_err *err)
{
	const struct tok *t = &r->tok;

	if (t->type == T_INDEF)
		return fail_at(r, err, t->off,
			       "indefinite-length item (initial byte 0x%02x); expected %s with a definite length",
			       r->buf[t->off - r->base], what);
	if (t->type == T_BREAK)
		return fail_at(r, err, t->off,
			       "break (0xff) outside an indefinite-length item; expected %s",
			       what);
	return PGT_OK;
}

/*
 * The size limits, checked before a container's entries are read.  (A
 * string is whole in the buffer by now, longer ones were refused unread
 * by check_declared_length, so this is about the limit, not safety.)
 */
static int check_limits(struct pgt_cbor_reader *r, const char *what,
			struct pgt_err *err)
{
	const struct tok *t = &r->tok;
	uint64_t max = PGT_CBOR_COUNT_MAX;
	const char *kind, *unit;

	switch (t->type) {
	case T_ARRAY:
		kind = "array", unit = "entries";
		break;
	case T_MAP:
		kind = "map", unit = "pairs";
		break;
	case T_BYTES:
	case T_TEXT:
		kind = t->type == T_TEXT ? "text string" : "byte string";
		unit = "bytes";
		max = PGT_CBOR_STRING_MAX;
		break;
	default:
		return PGT_OK;
	}
	if (t->val <= max)
		return PGT_OK;
	return fail_at(r, err, t->off,
		       "%s of %" PRIu64 " %s, more than the limit of %" PRIu64 "; expected %s",
		       kind, t->val, unit, max, what);
}

/*
 * Decode the next token into r->tok, reading more of the file while it
 * is incomplete.  `what` is what belongs there, for the messages.  A
 * string's bytes stay valid only until the next call.
 */
static int next_tok(struct pgt_cbor_reader *r, const char *what,
		    struct pgt_err *err)
{
	struct cbor_decoder_result res;
	int ret, more;

	for (;;) {
		r->tok.off = r->base + r->pos;
		res = cbor_stream_decode(r->buf + r->pos, r->fill - r->pos,
					 &callbacks, &r->tok);
		if (res.status == CBOR_DECODER_FINISHED) {
			r->pos += res.read;
			return check_definite(r, what, err);
		}
		if (res.status == CBOR_DECODER_ERROR)
			return fail_at(r, err, r->tok.off,
				       "malformed CBOR: reserved or unassigned initial byte 0x%02x; expected %s",
				       r->buf[r->pos], what);
		ret = check_declared_length(r, what, err);
		if (!ret)
			ret = refill(r, &more, err);
		if (ret)
			return ret;
		if (!more)
			return short_item(r, what, err);
	}
}

static int expect_type(struct pgt_cbor_reader *r, enum tok_type type,
		       const char *what, struct pgt_err *err)
{
	int ret = next_tok(r, what, err);

	if (ret)
		return ret;
	if (r->tok.type != type)
		return wrong_type(r, err, what);
	return check_limits(r, what, err);
}

/* A text string without NUL bytes, copied to out (PGT_CBOR_STRING_MAX + 1). */
static int get_text(struct pgt_cbor_reader *r, const char *what, char *out,
		    struct pgt_err *err)
{
	int ret = expect_type(r, T_TEXT, what, err);
	size_t n = (size_t)r->tok.val;

	if (ret)
		return ret;
	if (memchr(r->tok.str, '\0', n))
		return fail_at(r, err, r->tok.off,
			       "text string with a NUL byte; expected %s", what);
	memcpy(out, r->tok.str, n);
	out[n] = '\0';
	return PGT_OK;
}

/*
 * Read past one data item whose key is ignored.  The limits still apply:
 * an ignored item can be as hostile as any other.
 */
static int skip_item(struct pgt_cbor_reader *r, int depth, struct pgt_err *err)
{
	static const char what[] = "the value of an ignored key";
	uint64_t n, i;
	int ret = next_tok(r, what, err);

	if (ret)
		return ret;
	if (depth > PGT_CBOR_DEPTH_MAX)
		return fail_at(r, err, r->tok.off,
			       "item nested %d levels deep; expected at most %d levels of arrays, maps and tags",
			       depth, PGT_CBOR_DEPTH_MAX);
	ret = check_limits(r, what, err);
	if (ret)
		return ret;
	switch (r->tok.type) {
	case T_ARRAY:
		n = r->tok.val;
		break;
	case T_MAP:
		n = 2 * r->tok.val;
		break;
	case T_TAG:
		n = 1;
		break;
	default:
		return PGT_OK;
	}
	for (i = 0; i < n && !ret; i++)
		ret = skip_item(r, depth + 1, err);
	return ret;
}

/* ---- the header ---- */

enum { H_VERSION = 1, H_ARCH = 2, H_OPTIONS = 4 };


static int read_version(struct pgt_cbor_reader *r, struct pgt_trace_header *h,
			struct pgt_err *err)
{
	int ret = expect_type(r, T_UINT,
			      "the format version 1 (an unsigned integer)", err);

	if (ret)
		return ret;
	if (r->tok.val != 1)
		return fail_at(r, err, r->tok.off,
			       "unsupported trace version %" PRIu64 "; expected 1",
			       r->tok.val);
	h->version = 1;
	return PGT_OK;
}

static int read_arch(struct pgt_cbor_reader *r, struct pgt_trace_header *h,
		     struct pgt_err *err)
{
	static const char what[] = "the architecture's name";
	char s[PGT_CBOR_STRING_MAX + 1], names[80];
	struct quotebuf b;
	int ret = get_text(r, what, s, err);

	if (ret)
		return ret;
	if (!pgt_arch_find(s))
		return fail_at(r, err, r->tok.off,
			       "unknown architecture \"%s\"; expected %s",
			       quote(&b, (const unsigned char *)s, strlen(s)),
			       pgt_arch_replay_names(names, sizeof(names), "\""));
	snprintf(h->arch, sizeof(h->arch), "%s", pgt_arch_find(s)->name);
	h->arch_line = (unsigned long)r->tok.off;
	return PGT_OK;
}

/* ["key", "value"], at nesting depth 3 */
static int read_option(struct pgt_cbor_reader *r, struct pgt_trace_header *h,
		       struct pgt_err *err)
{
	static const char pair[] = "an option [\"key\", \"value\"]";
	char key[PGT_CBOR_STRING_MAX + 1], val[PGT_CBOR_STRING_MAX + 1];
	struct pgt_trace_option *o = &h->options[h->noptions];
	struct quotebuf b;
	const char *why;
	uint64_t off;
	int ret;

	ret = expect_type(r, T_ARRAY, pair, err);
	if (ret)
		return ret;
	off = r->tok.off;
	if (r->tok.val != 2)
		return wrong_type(r, err, pair);
	ret = get_text(r, "the option's key, a text string", key, err);
	if (!ret)
		ret = get_text(r, "the option's value, a text string", val, err);
	if (ret)
		return ret;
	why = pgt_trace_option_problem(key, val);
	if (why)
		return fail_at(r, err, off, "option \"%s\": %s",
			       quote(&b, (const unsigned char *)key, strlen(key)),
			       why);
	/* lengths checked by pgt_trace_option_problem */
	memcpy(o->key, key, strlen(key) + 1);
	memcpy(o->val, val, strlen(val) + 1);
	o->line = (unsigned long)off;
	h->noptions++;
	return PGT_OK;
}

static int read_options(struct pgt_cbor_reader *r, struct pgt_trace_header *h,
			struct pgt_err *err)
{
	uint64_t n, i;
	int ret = expect_type(r, T_ARRAY,
			      "the options, an array of [\"key\", \"value\"]", err);

	if (ret)
		return ret;
	n = r->tok.val;
	if (n > PGT_TRACE_MAX_OPTIONS)
		return fail_at(r, err, r->tok.off,
			       "%" PRIu64 " options; expected at most %d",
			       n, PGT_TRACE_MAX_OPTIONS);
	for (i = 0; i < n && !ret; i++)
		ret = read_option(r, h, err);
	return ret;
}

/* The value of one header key; unknown keys are ignored. */
static int header_value(struct pgt_cbor_reader *r, struct pgt_trace_header *h,
			const char *key, unsigned *seen, struct pgt_err *err)
{
	static const char *const known[] = { "pgtctl-trace", "arch", "options" };
	unsigned bit;
	int i;

	for (i = 0; i < 3 && strcmp(key, known[i]); i++)
		;
	if (i == 3)
		return skip_item(r, 2, err);
	bit = 1u << i;
	if (*seen & bit)
		return fail_at(r, err, r->tok.off,
			       "second header key \"%s\"; expected each key once",
			       key);
	*seen |= bit;
	if (bit == H_VERSION)
		return read_version(r, h, err);
	if (bit == H_ARCH)
		return read_arch(r, h, err);
	return read_options(r, h, err);
}

/*
 * Tag 55799 around {"pgtctl-trace": 1, "arch": ..., "options": [...]}.
 * The version comes first, so that a later version's header is refused
 * for its version and not for whatever else changed.
 */
static int read_header(struct pgt_cbor_reader *r, struct pgt_trace_header *h,
		       struct pgt_err *err)
{
	static const char map[] = "the header map {\"pgtctl-trace\": 1, \"arch\": ..., \"options\": [...]}";
	char key[PGT_CBOR_STRING_MAX + 1];
	unsigned seen = 0;
	struct quotebuf b;
	uint64_t n, i, off;
	int ret;

	ret = expect_type(r, T_TAG, "tag 55799 (d9 d9 f7), which starts a CBOR trace",
			  err);
	if (!ret && r->tok.val != PGT_CBOR_SELF_DESCRIBE)
		ret = wrong_type(r, err, "tag 55799 (d9 d9 f7), which starts a CBOR trace");
	if (!ret)
		ret = expect_type(r, T_MAP, map, err);
	if (ret)
		return ret;
	off = r->tok.off;
	n = r->tok.val;
	for (i = 0; i < n && !ret; i++) {
		ret = get_text(r, "a header key (a text string)", key, err);
		if (!ret && i == 0 && strcmp(key, "pgtctl-trace"))
			return fail_at(r, err, r->tok.off,
				       "first header key \"%s\"; expected \"pgtctl-trace\" (the version) first",
				       quote(&b, (const unsigned char *)key,
					     strlen(key)));
		if (!ret)
			ret = header_value(r, h, key, &seen, err);
	}
	if (ret)
		return ret;
	if (!(seen & H_VERSION))
		return fail_at(r, err, off, "empty header map; expected %s", map);
	if (!(seen & H_ARCH))
		return fail_at(r, err, off,
			       "header without \"arch\"; expected \"arch\": \"s390x\", \"s390\" or \"pae\"");
	return PGT_OK;
}

/* ---- operations ---- */

/* What each key's value is, for messages (built once: this is the hot path). */
static const char *const field_what[PGT_CK__COUNT] = {
	"the value of key 0 (op), an unsigned integer",
	"the value of key 1 (addr), an unsigned integer",
	"the value of key 2 (len), an unsigned integer",
	"the value of key 3 (prot), an unsigned integer",
	"the value of key 4 (map), an unsigned integer",
	"the value of key 5 (access), an unsigned integer",
	"the value of key 6 (stride), an unsigned integer",
	"the value of key 7 (mm), an unsigned integer",
	"the value of key 8 (delta), an integer",
	"the value of key 9 (cpu), an unsigned integer",
	"the value of key 10 (action), an unsigned integer",
	"the value of key 11 (newlen), an unsigned integer",
	"the value of key 12 (newaddr), an unsigned integer",
};

/* The value of one key; only DELTA may be negative. */
static int read_field(struct pgt_cbor_reader *r, unsigned key,
		      struct pgt_cbor_fields *f, struct pgt_err *err)
{
	const char *what = field_what[key];
	int ret;

	ret = next_tok(r, what, err);
	if (ret)
		return ret;
	if (r->tok.type == T_NEGINT && key == PGT_CK_DELTA) {
		f->neg = 1;
		/* -1 - val; keep it out of range rather than wrap */
		f->val[key] = r->tok.val == UINT64_MAX ? UINT64_MAX :
			      r->tok.val + 1;
	} else if (r->tok.type == T_UINT) {
		f->val[key] = r->tok.val;
	} else {
		return wrong_type(r, err, what);
	}
	f->keys |= 1u << key;
	return PGT_OK;
}

/* One key and its value; *off gets the value's offset. */
static int read_pair(struct pgt_cbor_reader *r, struct pgt_cbor_fields *f,
		     uint64_t *off, struct pgt_err *err)
{
	static const char what[] = "an operation key (an unsigned integer)";
	uint64_t key;
	int ret = expect_type(r, T_UINT, what, err);

	if (ret)
		return ret;
	key = r->tok.val;
	if (key >= PGT_CBOR_KEY_IGNORED)
		return skip_item(r, 1, err);
	if (key >= PGT_CK__COUNT)
		return fail_at(r, err, r->tok.off,
			       "unknown critical key %" PRIu64 "; expected keys 0 to %d (keys %d and above are ignored)",
			       key, PGT_CK__COUNT - 1, PGT_CBOR_KEY_IGNORED);
	if (f->keys & (1u << key))
		return fail_at(r, err, r->tok.off,
			       "second key %" PRIu64 " (%s); expected each key once",
			       key, key_names[key]);
	ret = read_field(r, (unsigned)key, f, err);
	off[key] = r->tok.off;
	return ret;
}

/*
 * The common operation read straight from the buffer, without a decoder
 * call per data item (issue 13): a map head of fewer than 24 pairs, keys
 * 0 to PGT_CK__COUNT - 1 (12, remap's newaddr) each in one byte, each
 * value an unsigned integer (a negative one for key 8, delta), all of it
 * already in the buffer, and a valid
 * operation.  Anything else returns 0 with nothing consumed, and read_op
 * decodes the item the general way, which finds and reports whatever is
 * wrong exactly as before.  Accepts what the general way accepts: every
 * head form of an integer, minimal or not.
 */
static int fast_op(struct pgt_cbor_reader *r, struct pgt_op *op)
{
	const unsigned char *p = r->buf + r->pos, *end = r->buf + r->fill;
	struct pgt_cbor_fields f;
	unsigned n, i, j;
	char why[300];
	int bad;

	if (p == end || (*p & 0xe0) != 0xa0 || (*p & 0x1f) >= 24)
		return 0;
	/* val[k] is read only for the keys present, val[OP] aside */
	f.keys = 0;
	f.neg = 0;
	f.val[PGT_CK_OP] = 0;
	n = *p++ & 0x1fu;
	for (i = 0; i < n; i++) {
		unsigned key, major, info, size;
		uint64_t v;

		if (end - p < 2 || *p >= PGT_CK__COUNT || (f.keys & (1u << *p)))
			return 0;
		key = *p++;
		major = *p >> 5;
		info = *p++ & 0x1fu;
		if (major > 1 || (major == 1 && key != PGT_CK_DELTA))
			return 0;
		if (info < 24) {
			v = info;
		} else if (info <= 27) {
			size = 1u << (info - 24);
			if ((size_t)(end - p) < size)
				return 0;
			for (v = 0, j = 0; j < size; j++)
				v = v << 8 | p[j];
			p += size;
		} else {
			return 0;
		}
		if (major == 1) {
			f.neg = 1;
			v = v == UINT64_MAX ? UINT64_MAX : v + 1;
		}
		f.val[key] = v;
		f.keys |= 1u << key;
	}
	if (pgt_cbor_to_op(&f, op, &bad, why, sizeof(why)))
		return 0;
	op->line = (unsigned long)(r->base + r->pos);
	r->pos = (size_t)(p - r->buf);
	return 1;
}

/* An operation decoded item by item, every check and message on the way. */
static int read_op_general(struct pgt_cbor_reader *r, struct pgt_op *op,
			   struct pgt_err *err)
{
	struct pgt_cbor_fields f = { 0 };
	uint64_t off[PGT_CK__COUNT], item, n, i;
	char why[300];
	int ret, bad;

	item = r->base + r->pos;
	ret = expect_type(r, T_MAP, "an operation map {0: code, ...}", err);
	if (ret)
		return ret;
	n = r->tok.val;
	for (i = 0; i < n && !ret; i++)
		ret = read_pair(r, &f, off, err);
	if (ret)
		return ret;
	if (pgt_cbor_to_op(&f, op, &bad, why, sizeof(why)))
		return fail_at(r, err, bad < 0 ? item : off[bad], "%s", why);
	op->line = (unsigned long)item;
	return PGT_OK;
}

static int read_op(struct pgt_cbor_reader *r, struct pgt_op *op,
		   struct pgt_err *err)
{
	r->item = r->pos;
	if (fast_op(r, op))
		return PGT_OK;
	return read_op_general(r, op, err);
}

/* ---- the reader ---- */

int pgt_cbor_open(FILE *fp, const char *path, struct pgt_trace_header *hdr,
		  struct pgt_cbor_reader **out, struct pgt_err *err)
{
	struct pgt_cbor_reader *r;
	int ret;

	*out = NULL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return pgt_fail(err, PGT_ERR_NOMEM, "out of memory opening %s",
				path);
	r->fp = fp;
	r->path = path;
	ret = read_header(r, hdr, err);
	if (ret) {
		free(r);
		return ret;
	}
	*out = r;
	return PGT_OK;
}

/* Is there another item?  The sequence may end only between items. */
static int more_items(struct pgt_cbor_reader *r, int *more,
		      struct pgt_err *err)
{
	r->item = r->pos;
	*more = r->pos < r->fill;
	if (*more)
		return PGT_OK;
	return refill(r, more, err);
}

/*
 * After an error every further call returns the same error (and *done = 1,
 * so a careless loop still ends): the rest of a broken trace is not read.
 */
int pgt_cbor_next(struct pgt_cbor_reader *r, struct pgt_op *op, int *done,
		  struct pgt_err *err)
{
	int ret, more;

	*done = 1;
	if (r->failed) {
		if (err)
			*err = r->saved;
		return r->saved.status;
	}
	if (r->at_end)
		return PGT_OK;
	ret = more_items(r, &more, err);
	if (ret)
		return ret;
	if (!more) {
		r->at_end = 1;
		return PGT_OK;
	}
	ret = read_op(r, op, err);
	if (!ret)
		*done = 0;
	return ret;
}

uint64_t pgt_cbor_offset(const struct pgt_cbor_reader *r)
{
	return r->base + r->pos;
}

void pgt_cbor_close(struct pgt_cbor_reader *r)
{
	free(r);
}

int pgt_trace_where(const struct pgt_trace_reader *r, unsigned long pos,
		    char *buf, size_t len)
{
	if (pgt_trace_form(r) == PGT_TRACE_CBOR)
		return snprintf(buf, len, "%s: byte %lu", pgt_trace_path(r),
				pos);
	return snprintf(buf, len, "%s:%lu", pgt_trace_path(r), pos);
}
