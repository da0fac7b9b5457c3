/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Unit test of the CBOR trace form: the writer's exact bytes for a known
 * trace (the example of pgtctl-trace(5)), round trips of every op kind,
 * every field and option on every arch (text -> CBOR -> ops, and CBOR ->
 * CBOR byte-identical), the canonical text writer, op offsets, streaming
 * across buffer refills and stdin, the unknown-key rules, every limit at
 * and just past its edge, and one check per error class that the message
 * is "FILE: byte OFFSET: ...; expected ...".
 *
 * The test builds its CBOR with its own tiny encoder below (not libcbor),
 * so the reader and writer are checked against an independent spelling.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "trace/trace.h"
#include "../lib/tap.h"

#define MAX_OPS 64

static char tmpdir[64];
static char path[256];

/* ---- files ---- */

static const char *write_bytes(const char *name, const void *data, size_t len)
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

/* The whole content of a file, malloc'd; *len its size. */
static unsigned char *slurp(const char *p, size_t *len)
{
	FILE *f = fopen(p, "rb");
	unsigned char *buf;
	long n;

	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET))
		exit(99);
	buf = malloc((size_t)n + 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n)
		exit(99);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* ---- an independent CBOR spelling ---- */

struct bytes {
	unsigned char b[300000];
	size_t n;
};

static void b_head(struct bytes *b, unsigned major, uint64_t v)
{
	int size = v < 24 ? 0 : v <= 0xff ? 1 : v <= 0xffff ? 2 :
		   v <= 0xffffffffu ? 4 : 8;
	int ai = size == 0 ? (int)v : size == 1 ? 24 : size == 2 ? 25 :
		 size == 4 ? 26 : 27;

	b->b[b->n++] = (unsigned char)(major << 5 | (unsigned)ai);
	while (size--)
		b->b[b->n++] = (unsigned char)(v >> (8 * size));
}

static void b_uint(struct bytes *b, uint64_t v) { b_head(b, 0, v); }
static void b_neg(struct bytes *b, uint64_t v) { b_head(b, 1, v); }
static void b_array(struct bytes *b, uint64_t n) { b_head(b, 4, n); }
static void b_map(struct bytes *b, uint64_t n) { b_head(b, 5, n); }

static void b_text(struct bytes *b, const char *s)
{
	b_head(b, 3, strlen(s));
	memcpy(b->b + b->n, s, strlen(s));
	b->n += strlen(s);
}

/* "d9 d9 f7"-style hex, blanks ignored */
static void b_hex(struct bytes *b, const char *hex)
{
	unsigned v;

	for (; *hex; hex++) {
		if (*hex == ' ')
			continue;
		sscanf(hex, "%2x", &v);
		b->b[b->n++] = (unsigned char)v;
		hex++;
	}
}

/* tag 55799, {"pgtctl-trace": 1, "arch": arch, "options": []}: 36 bytes for pae */
static void b_header(struct bytes *b, const char *arch)
{
	b->n = 0;
	b_hex(b, "d9d9f7");
	b_map(b, 3);
	b_text(b, "pgtctl-trace");
	b_uint(b, 1);
	b_text(b, "arch");
	b_text(b, arch);
	b_text(b, "options");
	b_array(b, 0);
}

#define PAE_HDR_LEN 36

/* {0: 9}: exit */
static void b_exit(struct bytes *b)
{
	b_map(b, 1);
	b_uint(b, 0);
	b_uint(b, PGT_OP_EXIT);
}

/* ---- reading ---- */

struct result {
	int status;
	struct pgt_err err;
	struct pgt_trace_header hdr;
	enum pgt_trace_form form;
	struct pgt_op ops[MAX_OPS];
	int nops;
};

static void read_all(const char *p, struct result *res)
{
	struct pgt_trace_reader *r;
	int done = 0;

	memset(res, 0, sizeof(*res));
	res->status = pgt_trace_open(p, &r, &res->err);
	if (res->status)
		return;
	res->hdr = *pgt_trace_header(r);
	res->form = pgt_trace_form(r);
	while (res->nops < MAX_OPS) {
		res->status = pgt_trace_next(r, &res->ops[res->nops], &done,
					     &res->err);
		if (res->status || done)
			break;
		res->nops++;
	}
	pgt_trace_close(r);
}

static void read_bytes(const struct bytes *b, struct result *res)
{
	read_all(write_bytes("t.cbor", b->b, b->n), res);
	unlink(path);
}

static void __attribute__((format(printf, 2, 3)))
is_ok(const struct result *res, const char *fmt, ...)
{
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (!tap_ok(res->status == PGT_OK, what))
		printf("#   %s\n", res->err.msg);
}

/* An error: PGT_ERR_INPUT, "PATH: byte OFF: ..." containing want. */
static void check_error(const char *what, const struct bytes *b,
			unsigned long off, const char *want)
{
	struct result res;
	char prefix[300];
	int good;

	read_all(write_bytes("bad.cbor", b->b, b->n), &res);
	snprintf(prefix, sizeof(prefix), "%s: byte %lu: ", path, off);
	is_u64(res.status, PGT_ERR_INPUT, "%s: status is PGT_ERR_INPUT", what);
	good = strncmp(res.err.msg, prefix, strlen(prefix)) == 0 &&
	       strstr(res.err.msg, want) && strstr(res.err.msg, "expected");
	if (!tap_ok(good, what))
		printf("#   got \"%s\"\n#   want \"%s...%s...\"\n", res.err.msg,
		       prefix, want);
	unlink(path);
}

/* ---- writing ---- */

/* Write hdr and ops in a form to a file; returns the status. */
static int write_trace(const char *name, enum pgt_trace_form form,
		       const struct pgt_trace_header *hdr,
		       const struct pgt_op *ops, int nops, struct pgt_err *err)
{
	struct pgt_trace_writer *w;
	FILE *f;
	int i, ret, ret2;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	f = fopen(path, "wb");
	if (!f)
		exit(99);
	ret = pgt_trace_writer_open(f, path, form, hdr, &w, err);
	for (i = 0; !ret && i < nops; i++)
		ret = pgt_trace_write_op(w, &ops[i], err);
	ret2 = w ? pgt_trace_writer_close(w, ret ? NULL : err) : 0;
	fclose(f);
	return ret ? ret : ret2;
}

/* Remove files of the temp dir, NULL-terminated list. */
static void remove_files(const char *name, ...)
{
	char p[300];
	va_list ap;

	va_start(ap, name);
	for (; name; name = va_arg(ap, const char *)) {
		snprintf(p, sizeof(p), "%s/%s", tmpdir, name);
		unlink(p);
	}
	va_end(ap);
}

/* Read a text trace given as a string. */
static void parse_text(const char *text, struct result *res)
{
	read_all(write_bytes("in.trace", text, strlen(text)), res);
	unlink(path);
}

/* ---- the exact bytes of the man page example ---- */

static const char example_text[] =
	"pgtctl-trace 1\n"
	"arch s390x\n"
	"set cpus=2\n"
	"alloc 0x10000000 256K rw\n"
	"populate 0x10000000 256K write\n"
	"thread -1\n"
	"exit\n";

static const char example_hex[] =
	"d9d9f7 a3 6c7067746374 6c2d7472616365 01 6461726368 657333393078"
	" 676f7074696f6e73 81 82 6463707573 6132"			/* 46 */
	" a4 0000 01 1a10000000 02 1a00040000 03 03"			/* 63 */
	" a4 0001 01 1a10000000 02 1a00040000 05 01"			/* 80 */
	" a2 0007 08 20"						/* 85 */
	" a1 0009";							/* 88 */

static void test_exact_bytes(void)
{
	static const unsigned long offsets[] = { 46, 63, 80, 85 };
	static struct bytes want;
	struct result res, back;
	unsigned char *got;
	size_t len;
	int i;

	want.n = 0;
	b_hex(&want, example_hex);
	parse_text(example_text, &res);
	is_ok(&res, "example: text parses");
	is_u64(write_trace("ex.cbor", PGT_TRACE_CBOR, &res.hdr, res.ops,
			   res.nops, &res.err), PGT_OK, "example: written");
	got = slurp(path, &len);
	ok(len == want.n && !memcmp(got, want.b, len),
	   "example: the exact bytes of pgtctl-trace(5)");
	free(got);
	read_all(path, &back);
	is_ok(&back, "example: CBOR reads back");
	is_u64(back.form, PGT_TRACE_CBOR, "example: detected as CBOR");
	is_u64(back.nops, 4, "example: 4 ops");
	for (i = 0; i < 4; i++)
		is_u64(back.ops[i].line, offsets[i],
		       "example: op %d's line is its byte offset", i + 1);
	is_u64(back.hdr.arch_line, 23, "example: arch_line is the arch value's offset");
	is_u64(back.hdr.options[0].line, 38, "example: option line is the pair's offset");
	is_u64(back.ops[2].arg, (uint64_t)-1, "example: thread -1 read back");
	unlink(path);
}

/* ---- round trips ---- */

static const char *const all_ops_body =
	"alloc 0x10000000 256K rw\n"
	"alloc 0x20000000 1M rx shared file\n"
	"alloc 0x30000000 0x2000 none file shared\n"
	"alloc 0x40000000 8192 rwx anon\n"
	"alloc 0x50000000 8192 w shared\n"
	"populate 0x10000000 256K write\n"
	"populate 0x10000000 64K read stride=8K\n"
	"populate 0x10000000 64K read stride=0x7fffffffffff000\n"
	"protect 0x10010000 64K r\n"
	"protect 0x10010000 64K x\n"
	"unmap 0x10020000 32K\n"
	"fork 2\n"
	"mm 1000000\n"
	"mm 1\n"
	"advise 0x60400000 2M hugepage\n"
	"advise 0x60400000 2M nohugepage\n"
	"advise 0x60400000 4K dontneed\n"
	"thread +1\n"
	"thread -1\n"
	"thread +23\n"
	"thread -24\n"
	"thread +1000000\n"
	"thread -1000000\n"
	"cpu attach 0\n"
	"cpu detach 63\n"
	"exit\n"
	"sie\n"
	"essa 0x1000 4K stable\n"
	"essa 0x1000 4K unused\n"
	"essa 0x1000 4K volatile\n"
	"essa 0x1000 4K pvolatile\n"
	"host 0x2000 8K discard\n"
	"host 0x2000 8K swapout\n"
	"host 0x2000 8K swapin\n"
	"host 0x2000 8K access\n"
	"kmap 0xc0000000 2M w\n"
	"unmap 0xfffffffffffff000 4K\n"
	"alloc 0 16777215T x\n"
	"unmap 0x17000 0xff000\n"
	"unmap 0x100000000 0x100000000\n"
	"advise 0x60400000 4K free\n"
	"exec\n"
	"collapse 0x60400000 2M\n"
	"cpu idle 5\n"
	"remap 0x10000000 64K 128K\n"
	"remap 0x10000000 64K 32K 0x70000000\n"
	"remap 0x10000000 4K 8K 0xffffffffffffe000\n";

static int same_op(const struct pgt_op *a, const struct pgt_op *b)
{
	return a->kind == b->kind && a->addr == b->addr && a->len == b->len &&
	       a->prot == b->prot && a->flags == b->flags &&
	       a->stride == b->stride && a->arg == b->arg && a->sub == b->sub &&
	       a->newlen == b->newlen && a->newaddr == b->newaddr;
}

static int same_header(const struct pgt_trace_header *a,
		       const struct pgt_trace_header *b)
{
	int i;

	if (a->version != b->version || strcmp(a->arch, b->arch) ||
	    a->noptions != b->noptions)
		return 0;
	for (i = 0; i < a->noptions; i++)
		if (strcmp(a->options[i].key, b->options[i].key) ||
		    strcmp(a->options[i].val, b->options[i].val))
			return 0;
	return 1;
}

/* text -> CBOR -> ops equal; CBOR -> CBOR and text -> text byte-identical. */
static void round_trip(const char *arch, const char *sets)
{
	static char text[8192];
	struct result in, back, again;
	unsigned char *c1, *c2, *t1, *t2;
	size_t n1, n2, m1, m2;
	int i, same = 1;

	snprintf(text, sizeof(text), "pgtctl-trace 1\n# a comment\narch %s\n%s%s",
		 arch, sets, all_ops_body);
	parse_text(text, &in);
	is_ok(&in, "%s: the text parses", arch);
	is_u64(write_trace("a.cbor", PGT_TRACE_CBOR, &in.hdr, in.ops, in.nops,
			   &in.err), PGT_OK, "%s: CBOR written", arch);
	read_all(path, &back);
	is_ok(&back, "%s: CBOR reads back", arch);
	ok(same_header(&in.hdr, &back.hdr), "%s: header (arch, %d options) round trips",
	   arch, in.hdr.noptions);
	is_u64(back.nops, in.nops, "%s: every op read back", arch);
	for (i = 0; i < in.nops && i < back.nops; i++) {
		if (!same_op(&in.ops[i], &back.ops[i])) {
			printf("#   op %d differs\n", i + 1);
			same = 0;
		}
	}
	ok(same, "%s: every op and every field round trips", arch);
	c1 = slurp(path, &n1);

	/* CBOR -> CBOR, text -> text: the same bytes */
	write_trace("b.cbor", PGT_TRACE_CBOR, &back.hdr, back.ops, back.nops,
		    &back.err);
	c2 = slurp(path, &n2);
	ok(n1 == n2 && !memcmp(c1, c2, n1), "%s: CBOR -> CBOR byte-identical", arch);
	write_trace("a.trace", PGT_TRACE_TEXT, &in.hdr, in.ops, in.nops, &in.err);
	t1 = slurp(path, &m1);
	write_trace("b.trace", PGT_TRACE_TEXT, &back.hdr, back.ops, back.nops,
		    &back.err);
	t2 = slurp(path, &m2);
	ok(m1 == m2 && !memcmp(t1, t2, m1),
	   "%s: text -> CBOR -> text equals the canonical text", arch);
	read_all(path, &again);
	ok(again.status == PGT_OK && again.nops == in.nops &&
	   same_header(&in.hdr, &again.hdr),
	   "%s: the canonical text reads back", arch);
	free(c1);
	free(c2);
	free(t1);
	free(t2);
	remove_files("a.cbor", "b.cbor", "a.trace", "b.trace", NULL);
}

static void test_round_trips(void)
{
	round_trip("s390x", "set cpus=2 pgste=off\nset thp=always edat=on\n"
		   "set profile=s390-5.10 mem=64M thp-zero-page=on\n");
	round_trip("s390", "");
	round_trip("pae", "set nx=on user-nx=off kernel-pmd=unshared pti=on\n"
		   "set a-very-long-option-name-0123=0123456789012345678901234567890123456789012345678901234567890!!\n");
}

/* The canonical text: comments and blanks dropped, one option a line. */
static void test_canonical_text(void)
{
	static const char in[] =
		"# comment\n\npgtctl-trace 1\narch pae   # the arch\n"
		"set cpus=2 nx=on\n"
		"alloc 0x10000000 0x40000 wr\n"
		"populate 268435456 64k write stride=4096\n"
		"thread +3\n";
	static const char want[] =
		"pgtctl-trace 1\narch pae\nset cpus=2\nset nx=on\n"
		"alloc 0x10000000 256K rw private anon\n"
		"populate 0x10000000 64K write stride=4K\n"
		"thread +3\n";
	struct result res;
	unsigned char *got;
	size_t len;

	parse_text(in, &res);
	write_trace("c.trace", PGT_TRACE_TEXT, &res.hdr, res.ops, res.nops,
		    &res.err);
	got = slurp(path, &len);
	got[len] = '\0';
	is_str((char *)got, want, "canonical text form");
	free(got);
	unlink(path);
}

/* ---- streaming ---- */

#define LONG_OPS 12000

/* Enough ops to cross several buffer refills, at varying alignments. */
static void test_streaming(void)
{
	static unsigned long offs[LONG_OPS];
	static struct bytes b;
	static struct result res;
	struct pgt_trace_reader *r;
	struct pgt_err err;
	struct pgt_op op;
	unsigned long n = 0, bad = 0;
	int done = 0, ret;
	uint64_t i;

	b_header(&b, "pae");
	for (i = 0; i < LONG_OPS; i++) {
		offs[i] = b.n;
		b_map(&b, 3);
		b_uint(&b, 0);
		b_uint(&b, PGT_OP_MM);
		b_uint(&b, 7);
		b_uint(&b, i + 1);
		b_uint(&b, 64 + i);	/* ignored key, varying sizes */
		b_uint(&b, i * i * i);
	}
	write_bytes("long.cbor", b.b, b.n);
	ok(b.n > 2 * PGT_CBOR_ITEM_MAX, "long trace: %zu bytes, > 2 buffers", b.n);
	ret = pgt_trace_open(path, &r, &err);
	while (!ret) {
		ret = pgt_trace_next(r, &op, &done, &err);
		if (ret || done)
			break;
		if (n >= LONG_OPS || op.kind != PGT_OP_MM ||
		    op.arg != (int)n + 1 || op.line != offs[n])
			bad++;
		n++;
	}
	is_u64(ret, PGT_OK, "long trace: read to the end");
	is_u64(n, LONG_OPS, "long trace: every op");
	is_u64(bad, 0, "long trace: every op's value and byte offset");
	pgt_trace_close(r);

	/* the same from stdin */
	if (!freopen(path, "r", stdin)) {
		ok(0, "stdin: freopen");
		return;
	}
	read_all("-", &res);
	ok(res.status == PGT_OK && res.form == PGT_TRACE_CBOR &&
	   res.nops == MAX_OPS, "stdin: CBOR from '-'");
	b.n = 20;
	write_bytes("short.cbor", b.b, b.n);
	if (freopen(path, "r", stdin)) {
		read_all("-", &res);
		ok(strncmp(res.err.msg, "<stdin>: byte 18: ", 18) == 0,
		   "stdin: named <stdin> in messages");
	}
	remove_files("long.cbor", "short.cbor", NULL);
}

/* ---- the unknown-key rules ---- */

static void test_unknown_keys(void)
{
	static struct bytes b;
	struct result res;

	/* header: unknown keys ignored, in any order after the version */
	b.n = 0;
	b_hex(&b, "d9d9f7");
	b_map(&b, 5);
	b_text(&b, "pgtctl-trace");
	b_uint(&b, 1);
	b_text(&b, "x-future");
	b_array(&b, 2);		/* depth 2, 3, 4: the limit */
	b_array(&b, 1);
	b_array(&b, 0);
	b_map(&b, 0);
	b_text(&b, "options");
	b_array(&b, 1);
	b_array(&b, 2);
	b_text(&b, "cpus");
	b_text(&b, "4");
	b_text(&b, "created-by");
	b_hex(&b, "f6");	/* null */
	b_text(&b, "arch");
	b_text(&b, "s390");
	/* op: keys >= 64 ignored, whatever their value */
	b_map(&b, 6);
	b_uint(&b, 64);
	b_text(&b, "a note");
	b_uint(&b, 0);
	b_uint(&b, PGT_OP_FORK);
	b_uint(&b, UINT64_MAX);
	b_hex(&b, "fb3ff0000000000000");	/* 1.0 */
	b_uint(&b, 7);
	b_uint(&b, 3);
	b_uint(&b, 100);
	b_hex(&b, "c1 1a 5f5e1000");	/* tag 1 around a number */
	b_uint(&b, 65);
	b_hex(&b, "a1 80 a0");	/* {[]: {}} */
	read_bytes(&b, &res);
	is_ok(&res, "unknown header keys and op keys >= 64 are ignored");
	ok(res.nops == 1 && res.ops[0].kind == PGT_OP_FORK &&
	   res.ops[0].arg == 3, "the op around ignored keys reads right");
	ok(!strcmp(res.hdr.arch, "s390") && res.hdr.noptions == 1 &&
	   !strcmp(res.hdr.options[0].val, "4"), "the header around ignored keys");

	b_header(&b, "pae");
	b_map(&b, 2);
	b_uint(&b, 0);
	b_uint(&b, PGT_OP_EXIT);
	b_uint(&b, 63);
	b_uint(&b, 0);
	check_error("key 63 is critical", &b, PAE_HDR_LEN + 3,
		    "unknown critical key 63; expected keys 0 to 12 (keys 64 and above are ignored)");
	b_header(&b, "pae");
	b_map(&b, 1);
	b_uint(&b, 0);
	b_uint(&b, 17);
	check_error("op 17 is unknown", &b, PAE_HDR_LEN + 2,
		    "unknown operation code 17; expected 0 (alloc) to 16 (collapse)");
}

/* ---- limits, each at and just past its edge ---- */

static void string_of(struct bytes *b, unsigned major, size_t n)
{
	b_head(b, major, n);
	memset(b->b + b->n, 'a', n);
	b->n += n;
}

/* {0: 9, 64: v} with v appended by the caller; returns v's offset */
static size_t exit_with_ignored(struct bytes *b)
{
	b_header(b, "pae");
	b_map(b, 2);
	b_uint(b, 0);
	b_uint(b, PGT_OP_EXIT);
	b_uint(b, 64);
	return b->n;
}

static void test_limits(void)
{
	static struct bytes b;
	struct result res;
	size_t off;
	int i;

	exit_with_ignored(&b);
	string_of(&b, 3, PGT_CBOR_STRING_MAX);
	read_bytes(&b, &res);
	is_ok(&res, "a 256-byte string is fine");
	off = exit_with_ignored(&b);
	string_of(&b, 2, PGT_CBOR_STRING_MAX + 1);
	check_error("a 257-byte string is not", &b, off,
		    "byte string of 257 bytes, more than the limit of 256");
	off = exit_with_ignored(&b);
	b_hex(&b, "7a 00010000");	/* declared, bytes absent */
	check_error("declared string length", &b, off,
		    "text string declaring 65536 bytes, more than the limit of 256");

	exit_with_ignored(&b);
	b_array(&b, PGT_CBOR_COUNT_MAX);
	for (i = 0; i < PGT_CBOR_COUNT_MAX; i++)
		b_uint(&b, i);
	read_bytes(&b, &res);
	is_ok(&res, "an array of 64 entries is fine");
	off = exit_with_ignored(&b);
	b_array(&b, PGT_CBOR_COUNT_MAX + 1);
	check_error("an array of 65 is not", &b, off,
		    "array of 65 entries, more than the limit of 64");
	off = exit_with_ignored(&b);
	b_hex(&b, "9b ffffffffffffffff");
	check_error("array of 2^64-1", &b, off,
		    "array of 18446744073709551615 entries, more than the limit of 64");
	b_header(&b, "pae");
	b_hex(&b, "bb ffffffffffffffff");
	check_error("op map of 2^64-1", &b, PAE_HDR_LEN,
		    "map of 18446744073709551615 pairs, more than the limit of 64");

	/* op values are at depth 1: three more arrays reach depth 4 */
	exit_with_ignored(&b);
	b_hex(&b, "81 81 81 00");
	read_bytes(&b, &res);
	is_ok(&res, "nesting depth 4 is fine");
	off = exit_with_ignored(&b);
	b_hex(&b, "81 81 81 81 00");
	check_error("nesting depth 5 is not", &b, off + 4,
		    "item nested 5 levels deep; expected at most 4");
	off = exit_with_ignored(&b);
	b_hex(&b, "c1 c1 c1 c1 00");
	check_error("tags count as nesting", &b, off + 4,
		    "item nested 5 levels deep");

	/* an item longer than the buffer: 64 arrays of 4 x 256 bytes */
	off = exit_with_ignored(&b);
	b_array(&b, 64);
	for (i = 0; i < 64; i++) {
		b_array(&b, 4);
		string_of(&b, 2, 256);
		string_of(&b, 2, 256);
		string_of(&b, 2, 256);
		string_of(&b, 2, 256);
	}
	check_error("an item longer than 64 KiB", &b, PAE_HDR_LEN,
		    "item longer than 65536 bytes; expected at most 65536 bytes per item");
	(void)off;
}

/* ---- errors, one per class ---- */

static void test_errors(void)
{
	static struct bytes b;
	struct result res;

	b.n = 0;
	b_hex(&b, "d9d9");
	check_error("truncated tag", &b, 0, "end of file inside the item that starts at byte 0");
	b_header(&b, "pae");
	b.n = 20;
	check_error("truncated header", &b, 18, "(truncated trace); expected a header key");
	b_header(&b, "pae");
	b_hex(&b, "a3 00 03 01 1a 1000");
	check_error("truncated op", &b, PAE_HDR_LEN + 4,
		    "end of file inside the item that starts at byte 36 (truncated trace); expected the value of key 1 (addr)");
	b.n = 0;
	b_hex(&b, "d9d9f8");
	check_error("wrong tag", &b, 0, "found tag 55800; expected tag 55799");
	b.n = 0;
	b_hex(&b, "d9d9f7");
	b_map(&b, 1);
	b_text(&b, "arch");
	check_error("version not first", &b, 4,
		    "first header key \"arch\"; expected \"pgtctl-trace\" (the version) first");
	b.n = 0;
	b_hex(&b, "d9d9f7");
	b_map(&b, 1);
	b_text(&b, "pgtctl-trace");
	b_uint(&b, 2);
	check_error("version 2", &b, 17, "unsupported trace version 2; expected 1");
	b.n = 0;
	b_hex(&b, "d9d9f7");
	b_map(&b, 1);
	b_text(&b, "pgtctl-trace");
	b_uint(&b, 1);
	check_error("no arch", &b, 3, "header without \"arch\"");
	b_header(&b, "x86");
	check_error("unknown arch", &b, 23, "unknown architecture \"x86\"");
	b_header(&b, "pae");
	b.n -= 1;
	b_array(&b, 1);
	b_array(&b, 2);
	b_text(&b, "Cpus");
	b_text(&b, "2");
	check_error("bad option name", &b, 36, "option \"Cpus\": bad option name");
	b_header(&b, "pae");
	b_hex(&b, "a2 00 03 01 61 31");
	check_error("addr as text", &b, PAE_HDR_LEN + 4,
		    "found a text string of 1 byte; expected the value of key 1 (addr), an unsigned integer");
	b_header(&b, "pae");
	b_hex(&b, "a3 00 03 01 00 02 3b ffffffffffffffff");
	check_error("len negative", &b, PAE_HDR_LEN + 6,
		    "found the negative integer -18446744073709551616");
	b_header(&b, "pae");
	b_map(&b, 2);
	b_uint(&b, 0);
	b_uint(&b, PGT_OP_THREAD);
	b_uint(&b, PGT_CK_DELTA);
	b_neg(&b, 4);
	read_bytes(&b, &res);
	ok(res.status == PGT_OK && res.nops == 1 && res.ops[0].arg == -5,
	   "a negative integer -1-4 is thread -5");
	b_header(&b, "pae");
	b_hex(&b, "a2 00 07 08 3b ffffffffffffffff");
	check_error("thread -2^64", &b, PAE_HDR_LEN + 4,
		    "key 8 (delta) is -18446744073709551615; expected +/-1 to 1000000");
	b_header(&b, "pae");
	b_hex(&b, "a2 00 03 01 00");
	check_error("missing len", &b, PAE_HDR_LEN,
		    "'unmap' without key 2 (len); expected keys 0 (op), 1 (addr) and 2 (len)");
	b_header(&b, "pae");
	b_hex(&b, "a4 00 03 01 00 02 19 1000 06 19 1000");
	check_error("stride on unmap", &b, PAE_HDR_LEN + 10,
		    "'unmap' does not take key 6 (stride)");
	b_header(&b, "pae");
	b_hex(&b, "a5 00 01 01 00 02 19 1000 05 00 06 00");
	check_error("stride 0", &b, PAE_HDR_LEN + 12, "stride 0x0; expected a positive multiple of 4096");
	b_header(&b, "pae");
	b_hex(&b, "a4 00 00 01 1b fffffffffffff000 02 19 2000 03 03");
	check_error("range past 2^64", &b, PAE_HDR_LEN + 14,
		    "goes past the end of the address space");
	b_header(&b, "pae");
	b_hex(&b, "a3 00 03 02 19 1000 02 19 1000");
	check_error("duplicate key", &b, PAE_HDR_LEN + 7, "second key 2 (len); expected each key once");
	b_header(&b, "pae");
	b_hex(&b, "a3 00 08 09 18 40 0a 00");
	check_error("cpu 64", &b, PAE_HDR_LEN + 4, "key 9 (cpu) is 64; expected 0 to 63");
	b_header(&b, "pae");
	b_hex(&b, "a2 00 05 07 00");
	check_error("mm 0", &b, PAE_HDR_LEN + 4, "key 7 (mm) is 0; expected 1 to 1000000");
	/* remap's keys 11 (newlen) and 12 (newaddr): the fast decoder takes
	 * them as the general one does, non-minimal heads too, and leaves
	 * what is wrong to the general one's message */
	b_header(&b, "pae");
	b_hex(&b, "a5 00 0f 01 1a 10000000 02 19 1000 0b 1b 0000000000002000 0c 1a 70000000");
	read_bytes(&b, &res);
	ok(res.status == PGT_OK && res.nops == 1 &&
	   res.ops[0].kind == PGT_OP_REMAP && res.ops[0].newlen == 0x2000 &&
	   res.ops[0].newaddr == 0x70000000 &&
	   (res.ops[0].flags & PGT_REMAP_FIXED),
	   "remap with an 8-byte newlen head and newaddr reads as remap 0x10000000 4K 8K 0x70000000");
	b_header(&b, "pae");
	b_hex(&b, "a4 00 0f 01 1a 10000000 02 19 1000 0b 00");
	check_error("remap newlen 0", &b, PAE_HDR_LEN + 14,
		    "newlen 0x0; expected a positive multiple of 4096");
	b_header(&b, "pae");
	b_hex(&b, "a5 00 0f 01 1a 10000000 02 19 1000 0b 19 1000 0c 19 0800");
	check_error("remap newaddr unaligned", &b, PAE_HDR_LEN + 18,
		    "newaddr 0x800 + newlen 0x1000; expected a multiple of 4096");
	b_header(&b, "pae");
	b_hex(&b, "a3 00 0f 01 1a 10000000 02 19 1000");
	check_error("remap without newlen", &b, PAE_HDR_LEN, "'remap' without key 11 (newlen)");
	b_header(&b, "pae");
	b_hex(&b, "a2 00 0e 01 00");
	check_error("exec with an addr", &b, PAE_HDR_LEN + 4, "'exec' does not take key 1 (addr)");
	b_header(&b, "pae");
	b_hex(&b, "a3 00 08 09 01 0a 03");
	check_error("cpu action 3", &b, PAE_HDR_LEN + 6, "key 10 (action) is 3; expected 0 to 2");
	b_header(&b, "pae");
	b_hex(&b, "bf 00 09 ff");
	check_error("indefinite map", &b, PAE_HDR_LEN,
		    "indefinite-length item (initial byte 0xbf)");
	b_header(&b, "pae");
	b_exit(&b);
	b_hex(&b, "ff");
	check_error("stray break", &b, PAE_HDR_LEN + 3, "break (0xff) outside an indefinite-length item");
	b_header(&b, "pae");
	b_exit(&b);
	b_hex(&b, "1c");
	check_error("reserved initial byte", &b, PAE_HDR_LEN + 3,
		    "malformed CBOR: reserved or unassigned initial byte 0x1c");
	b.n = 0;
	b_hex(&b, "9a9a9a9a54");
	check_error("the 5 bytes that cost cbor_load 20 GB", &b, 0,
		    "not a text trace nor a CBOR trace (first byte 0x9a)");
	b_header(&b, "pae");
	b_hex(&b, "9a9a9a9a54");
	check_error("the same 5 bytes as an op", &b, PAE_HDR_LEN,
		    "found an array of 2593823316 entries; expected an operation map");

	/* the error is sticky */
	{
		struct pgt_trace_reader *r;
		struct pgt_err e1, e2;
		struct pgt_op op;
		int done = 0;

		b_header(&b, "pae");
		b_exit(&b);
		b_hex(&b, "ff");
		b_exit(&b);
		write_bytes("sticky.cbor", b.b, b.n);
		pgt_trace_open(path, &r, &e1);
		pgt_trace_next(r, &op, &done, &e1);
		pgt_trace_next(r, &op, &done, &e1);
		ok(pgt_trace_next(r, &op, &done, &e2) == PGT_ERR_INPUT &&
		   done && !strcmp(e1.msg, e2.msg), "the first error is sticky");
		pgt_trace_close(r);
		unlink(path);
	}
}

/* ---- fields and writer checks ---- */

static void test_fields(void)
{
	struct pgt_op op = { .kind = PGT_OP_ALLOC, .addr = 0x1000,
			     .len = 0x1000, .prot = 3 }, back;
	struct pgt_trace_header h = { .version = 1, .arch = "pae" };
	struct pgt_cbor_fields f;
	struct pgt_err err;
	char why[300];
	int bad;

	pgt_cbor_from_op(&op, &f);
	is_u64(f.keys, 0xf, "alloc private anon: keys 0-3, no key 4 (map)");
	op.flags = PGT_MAP_SHARED | PGT_MAP_FILE;
	pgt_cbor_from_op(&op, &f);
	is_u64(f.keys, 0x1f, "alloc shared file: key 4 (map) too");
	ok(pgt_cbor_to_op(&f, &back, &bad, why, sizeof(why)) == 0 &&
	   same_op(&op, &back), "fields -> op");
	op.prot = 9;
	pgt_cbor_from_op(&op, &f);
	ok(pgt_cbor_to_op(&f, &back, &bad, why, sizeof(why)) == PGT_ERR_INPUT &&
	   bad == PGT_CK_PROT, "prot 9 is refused, key 3 named");
	is_str(pgt_cbor_key_name(PGT_CK_ACTION), "action", "key 10 is 'action'");
	is_str(pgt_cbor_key_name(64), "ignored", "key 64 is ignored");

	is_u64(write_trace("w.cbor", PGT_TRACE_CBOR, &h, &op, 1, &err),
	       PGT_ERR_INPUT, "the writer refuses an invalid op");
	ok(strstr(err.msg, "cannot write op 1: key 3 (prot) is 9") != NULL,
	   "... and says which and why");
	unlink(path);
	snprintf(h.arch, sizeof(h.arch), "x86");
	is_u64(write_trace("w.cbor", PGT_TRACE_CBOR, &h, NULL, 0, &err),
	       PGT_ERR_INPUT, "the writer refuses an unknown arch");
	unlink(path);
	snprintf(h.arch, sizeof(h.arch), "pae");
	h.noptions = 1;
	snprintf(h.options[0].key, sizeof(h.options[0].key), "cpus");
	snprintf(h.options[0].val, sizeof(h.options[0].val), "2 4");
	is_u64(write_trace("w.trace", PGT_TRACE_TEXT, &h, NULL, 0, &err),
	       PGT_ERR_INPUT, "the writer refuses an option value with a blank");
	unlink(path);
	ok(pgt_trace_option_problem("cpus", "2") == NULL &&
	   pgt_trace_option_problem("cpus", "#") &&
	   pgt_trace_option_problem("", "1") &&
	   pgt_trace_option_problem("cpus", ""), "option checks");
}

static void test_where(void)
{
	struct pgt_trace_reader *r;
	static struct bytes b;
	struct pgt_err err;
	char buf[300], want[300];

	b_header(&b, "pae");
	write_bytes("w.cbor", b.b, b.n);
	if (pgt_trace_open(path, &r, &err)) {
		ok(0, "where: open");
		return;
	}
	pgt_trace_where(r, 36, buf, sizeof(buf));
	snprintf(want, sizeof(want), "%s: byte 36", path);
	is_str(buf, want, "pgt_trace_where names the byte offset in CBOR");
	pgt_trace_close(r);
	write_bytes("w.trace", "pgtctl-trace 1\narch pae\n", 24);
	if (pgt_trace_open(path, &r, &err)) {
		ok(0, "where: open text");
		return;
	}
	pgt_trace_where(r, 2, buf, sizeof(buf));
	snprintf(want, sizeof(want), "%s:2", path);
	is_str(buf, want, "pgt_trace_where names the line in text");
	is_u64(pgt_trace_form(r), PGT_TRACE_TEXT, "text detected as text");
	pgt_trace_close(r);
	unlink(path);
	snprintf(path, sizeof(path), "%s/w.cbor", tmpdir);
	unlink(path);
}

int main(void)
{
	const char *base = getenv("TMPDIR");

	snprintf(tmpdir, sizeof(tmpdir), "%s/t-trace-cbor.XXXXXX",
		 base && *base && strlen(base) < 32 ? base : "/tmp");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 99;
	}
	test_exact_bytes();
	test_round_trips();
	test_canonical_text();
	test_streaming();
	test_unknown_keys();
	test_limits();
	test_errors();
	test_fields();
	test_where();
	if (rmdir(tmpdir))
		printf("# leftover files in %s\n", tmpdir);
	return done_testing();
}
