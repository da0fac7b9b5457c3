/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Unit test of the text trace reader and the canonical op format:
 * numbers, every op kind, header lines, the format round trip, and one
 * check per error class that the message names FILE:LINE and what was
 * expected.  Trace files are written to a private temporary directory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "trace/trace.h"
#include "../lib/tap.h"

#define HDR "pgtctl-trace 1\narch s390x\n"
#define MAX_OPS 64

static char tmpdir[64];
static char path[256];

/* Write `len` bytes to a file in the temp dir; the path goes to `path`. */
static const char *write_bytes(const char *name, const char *data, size_t len)
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

static const char *write_text(const char *name, const char *text)
{
	return write_bytes(name, text, strlen(text));
}

struct result {
	int status;
	struct pgt_err err;
	struct pgt_trace_header hdr;
	struct pgt_op ops[MAX_OPS];
	int nops;
};

/* Read a whole trace; stops at the first error. */
static void read_all(const char *p, struct result *res)
{
	struct pgt_trace_reader *r;
	int done = 0;

	memset(res, 0, sizeof(*res));
	res->status = pgt_trace_open(p, &r, &res->err);
	if (res->status)
		return;
	res->hdr = *pgt_trace_header(r);
	while (res->nops < MAX_OPS) {
		res->status = pgt_trace_next(r, &res->ops[res->nops], &done,
					     &res->err);
		if (res->status || done)
			break;
		res->nops++;
	}
	pgt_trace_close(r);
}

/* A trace that must parse; on failure show why. */
static void is_ok(const struct result *res, const char *what)
{
	if (!tap_ok(res->status == PGT_OK, what))
		printf("#   %s\n", res->err.msg);
}

static void parse_text(const char *text, struct result *res)
{
	read_all(write_text("t.trace", text), res);
	unlink(path);
}

/*
 * An error case: the status must be PGT_ERR_INPUT and the message must be
 * "PATH:LINE: ..." and contain `want` (the part naming the expectation).
 * line 0 means a message about the whole file: "PATH: ...".
 */
static void check_error_bytes(const char *what, const char *data, size_t len,
			      unsigned long line, const char *want)
{
	struct result res;
	char prefix[300];

	read_all(write_bytes("bad.trace", data, len), &res);
	if (line)
		snprintf(prefix, sizeof(prefix), "%s:%lu: ", path, line);
	else
		snprintf(prefix, sizeof(prefix), "%s: ", path);
	is_u64(res.status, PGT_ERR_INPUT, "%s: status is PGT_ERR_INPUT", what);
	ok(strncmp(res.err.msg, prefix, strlen(prefix)) == 0 &&
		   strstr(res.err.msg, want),
	   "%s: position and expectation", what);
	if (strncmp(res.err.msg, prefix, strlen(prefix)) != 0 ||
	    !strstr(res.err.msg, want))
		printf("#   got \"%s\"\n#   want \"%s...%s...\"\n", res.err.msg,
		       prefix, want);
	unlink(path);
}

static void check_error(const char *what, const char *text,
			unsigned long line, const char *want)
{
	check_error_bytes(what, text, strlen(text), line, want);
}

/* ---- numbers ---- */

static void test_numbers(void)
{
	static const struct {
		const char *s;
		uint64_t v;
	} good[] = {
		{ "0", 0 },
		{ "4096", 4096 },
		{ "0x1000", 0x1000 },
		{ "0X1f", 0x1f },
		{ "0xABCdef", 0xabcdef },
		{ "4K", 4096 },
		{ "4k", 4096 },
		{ "256K", 256 * 1024 },
		{ "1M", 1 << 20 },
		{ "2m", 2 << 20 },
		{ "1G", 1 << 30 },
		{ "3g", UINT64_C(3) << 30 },
		{ "1T", UINT64_C(1) << 40 },
		{ "5t", UINT64_C(5) << 40 },
		{ "0x10K", 16 * 1024 },
		{ "007", 7 },
		{ "16777215T", UINT64_C(16777215) << 40 },
		{ "18446744073709551615", UINT64_MAX },
		{ "0xffffffffffffffff", UINT64_MAX },
	};
	static const char *const bad[] = {
		"", "0x", "0X", "K", "12x", "1KK", "1KB", " 1", "1 ", "-1",
		"+1", "0x1z", "1.5M", "0b101", "16777216T", "0x40000000000000M",
		"18446744073709551616", "0x10000000000000000",
		"99999999999999999999999",
	};
	uint64_t v;
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		v = 12345;
		ok(pgt_parse_u64(good[i].s, &v) == 0, "parse '%s'", good[i].s);
		is_u64(v, good[i].v, "value of '%s'", good[i].s);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		v = 12345;
		ok(pgt_parse_u64(bad[i], &v) == -1 && v == 12345,
		   "reject '%s', output untouched", bad[i]);
	}
	ok(pgt_parse_u64(NULL, &v) == -1, "reject NULL");
}

/* ---- every op kind ---- */

static const char all_ops[] =
	"pgtctl-trace 1\n"
	"arch s390x\n"
	"set cpus=2 pgste=off\n"
	"alloc 0x10000000 256K rw\n"				/* 4 */
	"alloc 0x20000000 1M rx shared file\n"
	"alloc 0x30000000 0x2000 none file shared\n"
	"alloc 0x40000000 8192 wrx anon\n"
	"populate 0x10000000 256K write\n"			/* 8 */
	"populate 0x10000000 64K read stride=8K\n"
	"protect 0x10010000 64K r\n"
	"unmap 0x10020000 32K\n"
	"fork 2\n"						/* 12 */
	"mm 1000000\n"
	"advise 0x60400000 2M hugepage\n"
	"advise 0x60400000 2M nohugepage\n"
	"advise 0x60400000 4K dontneed\n"			/* 16 */
	"thread +1\n"
	"thread -1000000\n"
	"cpu attach 1\n"
	"cpu detach 63\n"					/* 20 */
	"exit\n"
	"sie\n"
	"essa 0x1000 4K stable\n"
	"essa 0x1000 4K unused\n"				/* 24 */
	"essa 0x1000 4K volatile\n"
	"essa 0x1000 4K pvolatile\n"
	"host 0x2000 8K discard\n"
	"host 0x2000 8K swapout\n"				/* 28 */
	"host 0x2000 8K swapin\n"
	"host 0x2000 8K access\n"
	"kmap 0xc0000000 2M w\n"
	"unmap 0xfffffffffffff000 4K\n"			/* 32: ends at 2^64 */
	"alloc 0 16777215T x\n";

static void test_all_ops(void)
{
	struct result res;
	struct pgt_op *o = res.ops;

	parse_text(all_ops, &res);
	is_ok(&res, "all ops: parsed");
	is_u64(res.nops, 30, "all ops: 30 operations");

	is_u64(o[0].kind, PGT_OP_ALLOC, "alloc: kind");
	is_u64(o[0].addr, 0x10000000, "alloc: addr");
	is_u64(o[0].len, 256 * 1024, "alloc: len");
	is_u64(o[0].prot, PGT_PROT_R | PGT_PROT_W, "alloc: prot rw");
	is_u64(o[0].flags, 0, "alloc: private anon by default");
	is_u64(o[0].line, 4, "alloc: line");
	is_u64(o[1].prot, PGT_PROT_R | PGT_PROT_X, "alloc: prot rx");
	is_u64(o[1].flags, PGT_MAP_SHARED | PGT_MAP_FILE, "alloc: shared file");
	is_u64(o[2].len, 0x2000, "alloc: hex len");
	is_u64(o[2].prot, 0, "alloc: prot none");
	is_u64(o[2].flags, PGT_MAP_SHARED | PGT_MAP_FILE,
	       "alloc: flags in either order");
	is_u64(o[3].len, 8192, "alloc: decimal len");
	is_u64(o[3].prot, PGT_PROT_R | PGT_PROT_W | PGT_PROT_X,
	       "alloc: prot letters in any order");
	is_u64(o[3].flags, 0, "alloc: explicit anon");

	is_u64(o[4].kind, PGT_OP_POPULATE, "populate: kind");
	is_u64(o[4].flags, 1, "populate: write");
	is_u64(o[4].stride, 0, "populate: no stride");
	is_u64(o[4].line, 8, "populate: line");
	is_u64(o[5].flags, 0, "populate: read");
	is_u64(o[5].stride, 8192, "populate: stride=8K");

	is_u64(o[6].kind, PGT_OP_PROTECT, "protect: kind");
	is_u64(o[6].addr, 0x10010000, "protect: addr");
	is_u64(o[6].len, 0x10000, "protect: len");
	is_u64(o[6].prot, PGT_PROT_R, "protect: prot");
	is_u64(o[7].kind, PGT_OP_UNMAP, "unmap: kind");
	is_u64(o[7].len, 32 * 1024, "unmap: len");

	is_u64(o[8].kind, PGT_OP_FORK, "fork: kind");
	is_u64(o[8].arg, 2, "fork: mm id");
	is_u64(o[8].line, 12, "fork: line");
	is_u64(o[9].kind, PGT_OP_MM, "mm: kind");
	is_u64(o[9].arg, 1000000, "mm: largest mm id");

	is_u64(o[10].kind, PGT_OP_ADVISE, "advise: kind");
	is_u64(o[10].sub, PGT_ADV_HUGEPAGE, "advise: hugepage");
	is_u64(o[11].sub, PGT_ADV_NOHUGEPAGE, "advise: nohugepage");
	is_u64(o[12].sub, PGT_ADV_DONTNEED, "advise: dontneed");

	is_u64(o[13].kind, PGT_OP_THREAD, "thread: kind");
	ok(o[13].arg == 1, "thread: +1");
	ok(o[14].arg == -1000000, "thread: -1000000");

	is_u64(o[15].kind, PGT_OP_CPU, "cpu: kind");
	is_u64(o[15].sub, PGT_CPU_ATTACH, "cpu: attach");
	is_u64(o[15].arg, 1, "cpu: 1");
	is_u64(o[16].sub, PGT_CPU_DETACH, "cpu: detach");
	is_u64(o[16].arg, 63, "cpu: 63");

	is_u64(o[17].kind, PGT_OP_EXIT, "exit: kind");
	is_u64(o[17].line, 21, "exit: line");
	is_u64(o[18].kind, PGT_OP_SIE, "sie: kind");

	is_u64(o[19].kind, PGT_OP_ESSA, "essa: kind");
	is_u64(o[19].sub, PGT_ESSA_STABLE, "essa: stable");
	is_u64(o[20].sub, PGT_ESSA_UNUSED, "essa: unused");
	is_u64(o[21].sub, PGT_ESSA_VOLATILE, "essa: volatile");
	is_u64(o[22].sub, PGT_ESSA_PVOLATILE, "essa: pvolatile");

	is_u64(o[23].kind, PGT_OP_HOST, "host: kind");
	is_u64(o[23].sub, PGT_HOST_DISCARD, "host: discard");
	is_u64(o[24].sub, PGT_HOST_SWAPOUT, "host: swapout");
	is_u64(o[25].sub, PGT_HOST_SWAPIN, "host: swapin");
	is_u64(o[26].sub, PGT_HOST_ACCESS, "host: access");
	is_u64(o[26].addr, 0x2000, "host: addr");
	is_u64(o[26].len, 0x2000, "host: len");

	is_u64(o[27].kind, PGT_OP_KMAP, "kmap: kind");
	is_u64(o[27].prot, PGT_PROT_W, "kmap: prot");
	is_u64(o[27].len, 2 << 20, "kmap: len");

	is_u64(o[28].addr, UINT64_C(0xfffffffffffff000), "range may end at 2^64");
	is_u64(o[29].len, UINT64_C(16777215) << 40, "largest T length");
	is_u64(o[29].line, 33, "last op: line");
}

/* ---- header, comments, blank lines ---- */

static void test_header(void)
{
	struct result res;

	parse_text("# a trace\n"
		   "\n"
		   "   \t \n"
		   "pgtctl-trace 1   # version\n"
		   "#arch pae\n"
		   "\tarch\tpae#no space before the comment\n"
		   "set cpus=4 kernel-pmd=shared\n"
		   "\n"
		   "set a1=x=y   # value may hold '='\n"
		   "alloc\t0x1000 4K  r#comment\n"
		   "# done\n"
		   "   # indented comment\n"
		   "exit    \n",
		   &res);
	is_ok(&res, "header: parsed");
	is_u64(res.hdr.version, 1, "header: version");
	is_str(res.hdr.arch, "pae", "header: arch");
	is_u64(res.hdr.arch_line, 6, "header: arch line");
	is_u64(res.hdr.noptions, 3, "header: 3 options");
	is_str(res.hdr.options[0].key, "cpus", "option 1 key");
	is_str(res.hdr.options[0].val, "4", "option 1 value");
	is_u64(res.hdr.options[0].line, 7, "option 1 line");
	is_str(res.hdr.options[1].key, "kernel-pmd", "option 2 key");
	is_str(res.hdr.options[1].val, "shared", "option 2 value");
	is_str(res.hdr.options[2].key, "a1", "option 3 key");
	is_str(res.hdr.options[2].val, "x=y", "option 3 value");
	is_u64(res.hdr.options[2].line, 9, "option 3 line");
	is_u64(res.nops, 2, "header: 2 ops");
	is_u64(res.ops[0].line, 10, "tabs and trailing comment: line");
	is_u64(res.ops[0].prot, PGT_PROT_R, "comment right after a token");
	is_u64(res.ops[1].kind, PGT_OP_EXIT, "trailing blanks");
	is_u64(res.ops[1].line, 13, "exit: line");

	parse_text("pgtctl-trace 1\r\narch s390\r\nunmap 0x1000 4K\r\n", &res);
	is_ok(&res, "CRLF lines accepted");
	is_str(res.hdr.arch, "s390", "CRLF: arch");
	is_u64(res.nops, 1, "CRLF: one op");

	parse_text(HDR, &res);
	is_u64(res.status, PGT_OK, "header only: no operations is fine");
	is_u64(res.nops, 0, "header only: 0 ops");

	parse_text("pgtctl-trace 1\narch s390x\nexit", &res);
	is_u64(res.nops, 1, "last line without a newline");
}

/* The first op is buffered by open, so the header is complete at once. */
static void test_streaming(void)
{
	struct pgt_trace_reader *r;
	struct pgt_err err;
	struct pgt_op op;
	int done = 0, ret;

	write_text("s.trace", HDR "set cpus=2\nfork 2\nmm 2\nfrob\nexit\n");
	ret = pgt_trace_open(path, &r, &err);
	is_u64(ret, PGT_OK, "stream: open");
	is_u64(pgt_trace_header(r)->noptions, 1, "stream: header complete");
	is_str(pgt_trace_path(r), path, "stream: path");
	ret = pgt_trace_next(r, &op, &done, &err);
	ok(ret == PGT_OK && !done && op.kind == PGT_OP_FORK,
	   "stream: first op");
	ret = pgt_trace_next(r, &op, &done, &err);
	ok(ret == PGT_OK && !done && op.kind == PGT_OP_MM && op.line == 5,
	   "stream: second op");
	ret = pgt_trace_next(r, &op, &done, &err);
	is_u64(ret, PGT_ERR_INPUT, "stream: error found by next");
	ok(strstr(err.msg, ":6: unknown operation 'frob'") != NULL,
	   "stream: error at line 6");
	memset(&err, 0, sizeof(err));
	ret = pgt_trace_next(r, &op, &done, &err);
	ok(ret == PGT_ERR_INPUT && done &&
	   strstr(err.msg, ":6: unknown operation 'frob'"),
	   "stream: the error is sticky");
	pgt_trace_close(r);
	unlink(path);

	write_text("s.trace", HDR "exit\n");
	pgt_trace_open(path, &r, &err);
	pgt_trace_next(r, &op, &done, &err);
	ret = pgt_trace_next(r, &op, &done, &err);
	ok(ret == PGT_OK && done, "stream: end");
	ret = pgt_trace_next(r, &op, &done, &err);
	ok(ret == PGT_OK && done, "stream: end again");
	pgt_trace_close(r);
	pgt_trace_close(NULL);
	unlink(path);
}

/* ---- canonical format ---- */

static void check_format(const char *line, const char *want)
{
	char text[256], buf[128];
	struct result res;
	int n;

	snprintf(text, sizeof(text), HDR "%s\n", line);
	parse_text(text, &res);
	if (res.status || res.nops != 1) {
		ok(0, "format '%s': parse failed", line);
		printf("#   %s\n", res.err.msg);
		return;
	}
	n = pgt_op_format(&res.ops[0], buf, sizeof(buf));
	is_str(buf, want, "format '%s'", line);
	is_u64(n, strlen(want), "format '%s': length", line);
}

static void test_format(void)
{
	char buf[32], small[8];
	struct pgt_op op;
	unsigned p;
	int n;

	check_format("alloc 0x10000000 262144 rw", "alloc 0x10000000 256K rw private anon");
	check_format("alloc 0X10000000 0x100000 xr file shared",
		     "alloc 0x10000000 1M rx shared file");
	check_format("alloc 0 4K none", "alloc 0x0 4K none private anon");
	check_format("populate 0xABC000 1536K write", "populate 0xabc000 1536K write");
	check_format("populate 4096 4G read stride=2097152",
		     "populate 0x1000 4G read stride=2M");
	check_format("protect 0x1000 0x1800000000 wx", "protect 0x1000 96G wx");
	check_format("unmap 0x1000 0x30000000000", "unmap 0x1000 3T");
	check_format("unmap 0x1000 0x10000000000000", "unmap 0x1000 4096T");
	check_format("fork 7", "fork 7");
	check_format("mm 1K", "mm 1024");
	check_format("advise 0x200000 2M nohugepage", "advise 0x200000 2M nohugepage");
	check_format("thread +3", "thread +3");
	check_format("thread -2", "thread -2");
	check_format("cpu detach 0x10", "cpu detach 16");
	check_format("exit", "exit");
	check_format("sie", "sie");
	check_format("essa 0x1000 4K pvolatile", "essa 0x1000 4K pvolatile");
	check_format("host 0x1000 12K swapin", "host 0x1000 12K swapin");
	check_format("kmap 0xc0000000 1G rwx", "kmap 0xc0000000 1G rwx");

	/* lengths the parser never produces still print exactly */
	memset(&op, 0, sizeof(op));
	op.kind = PGT_OP_UNMAP;
	op.addr = 0x1000;
	op.len = 0x1801;
	pgt_op_format(&op, buf, sizeof(buf));
	is_str(buf, "unmap 0x1000 0x1801", "format: odd length in hex");
	op.len = 3072;
	n = pgt_op_format(&op, small, sizeof(small));
	is_u64(n, strlen("unmap 0x1000 3K"), "format: returns the full length");
	is_str(small, "unmap 0", "format: truncated output is terminated");
	op.len = 0;
	pgt_op_format(&op, buf, sizeof(buf));
	is_str(buf, "unmap 0x1000 0", "format: zero length");

	op.kind = PGT_OP__COUNT;
	ok(pgt_op_format(&op, buf, sizeof(buf)) == -1, "format: bad kind");
	op.kind = PGT_OP_ESSA;
	op.sub = 4;
	ok(pgt_op_format(&op, buf, sizeof(buf)) == -1, "format: bad essa state");
	op.kind = PGT_OP_PROTECT;
	op.prot = 8;
	ok(pgt_op_format(&op, buf, sizeof(buf)) == -1, "format: bad prot bits");

	is_str(pgt_op_name(PGT_OP_ALLOC), "alloc", "name: alloc");
	is_str(pgt_op_name(PGT_OP_KMAP), "kmap", "name: kmap");
	ok(pgt_op_name(PGT_OP__COUNT) == NULL, "name: out of range");
	ok(pgt_op_name((enum pgt_op_kind)-1) == NULL, "name: negative");

	for (p = 0; p < 8; p++) {
		static const char *const want[] = {
			"none", "r", "w", "rw", "x", "rx", "wx", "rwx"
		};

		n = pgt_prot_format(p, buf, sizeof(buf));
		is_str(buf, want[p], "prot %u", p);
		is_u64(n, strlen(want[p]), "prot %u: length", p);
	}
	ok(pgt_prot_format(0x10, buf, sizeof(buf)) == -1, "prot: unknown bit");
}

static int same_op(const struct pgt_op *a, const struct pgt_op *b)
{
	return a->kind == b->kind && a->addr == b->addr && a->len == b->len &&
	       a->prot == b->prot && a->flags == b->flags &&
	       a->stride == b->stride && a->arg == b->arg && a->sub == b->sub;
}

/* parse -> format -> parse gives the same operations */
static void test_round_trip(void)
{
	static char text[MAX_OPS * 128 + 64];
	struct result first, second;
	size_t n;
	int i, same = 1;

	parse_text(all_ops, &first);
	n = snprintf(text, sizeof(text), HDR);
	for (i = 0; i < first.nops; i++) {
		pgt_op_format(&first.ops[i], text + n, sizeof(text) - n);
		n += strlen(text + n);
		n += snprintf(text + n, sizeof(text) - n, "\n");
	}
	parse_text(text, &second);
	is_ok(&second, "round trip: reparsed");
	is_u64(second.nops, first.nops, "round trip: same count");
	for (i = 0; i < first.nops && i < second.nops; i++) {
		if (!same_op(&first.ops[i], &second.ops[i])) {
			printf("# op %d differs\n", i);
			same = 0;
		}
	}
	ok(same, "round trip: equal operations");
}

/* ---- errors ---- */

static void test_op_errors(void)
{
	check_error("unknown op", HDR "# x\nprotec 0x1000 4K r\n", 4,
		    "unknown operation 'protec'; expected one of alloc, populate, protect, unmap, fork, mm, advise, thread, cpu, exit, sie, essa, host, kmap, exec, remap, collapse");
	check_error("unknown op, binary bytes quoted", HDR "\x01z\x7f\n", 3,
		    "unknown operation '\\x01z\\x7f'; expected one of");
	check_error("op names are lowercase", HDR "EXIT\n", 3,
		    "unknown operation 'EXIT'");

	check_error("missing LEN", HDR "alloc 0x1000\n", 3,
		    "missing argument LEN for 'alloc'; expected 'alloc ADDR LEN PROT [private|shared] [anon|file]'");
	check_error("missing ADDR", HDR "unmap\n", 3,
		    "missing argument ADDR for 'unmap'; expected 'unmap ADDR LEN'");
	check_error("missing PROT", HDR "protect 0x1000 4K\n", 3,
		    "missing argument PROT for 'protect'");
	check_error("missing access", HDR "populate 0 4K\n", 3,
		    "missing argument read|write for 'populate'");
	check_error("missing cpu number", HDR "cpu attach\n", 3,
		    "missing argument N for 'cpu'; expected 'cpu attach|detach|idle N'");
	check_error("missing mm", HDR "fork\n", 3,
		    "missing argument MM for 'fork'");
	check_error("missing advice", HDR "advise 0 4K\n", 3,
		    "missing argument advice for 'advise'; expected 'advise ADDR LEN hugepage|nohugepage|dontneed|free'");

	check_error("extra arg", HDR "unmap 0x1000 4K foo\n", 3,
		    "unexpected argument 'foo' after 'unmap ADDR LEN'");
	check_error("extra arg to exit", HDR "exit now\n", 3,
		    "unexpected argument 'now' after 'exit'");
	check_error("extra arg to populate", HDR "populate 0 4K read stride=4K x\n",
		    3, "unexpected argument 'x' after 'populate ADDR LEN read|write [stride=N]'");
	check_error("bad alloc word", HDR "alloc 0 4K r anonymous\n", 3,
		    "unexpected argument 'anonymous' for 'alloc'; expected private, shared, anon or file");
	check_error("repeated alloc word", HDR "alloc 0 4K r private file private\n",
		    3, "extra 'private' for 'alloc'; expected at most one of private|shared");
	check_error("conflicting alloc words", HDR "alloc 0 4K r anon file\n", 3,
		    "extra 'file' for 'alloc'; expected at most one of anon|file");

	check_error("bad number", HDR "alloc 0x1000 12x rw\n", 3,
		    "bad length '12x'; expected a number (decimal, 0x hex, K/M/G/T suffix)");
	check_error("bad address", HDR "unmap 0x 4K\n", 3,
		    "bad address '0x'; expected a number");
	check_error("number too large", HDR "unmap 0 18446744073709555712\n", 3,
		    "length '18446744073709555712' is too large; expected a number below 2^64");
	check_error("suffix overflow", HDR "unmap 0 16777216T\n", 3,
		    "length '16777216T' is too large; expected a number below 2^64");

	check_error("unaligned addr", HDR "unmap 0x1001 4K\n", 3,
		    "unaligned address '0x1001'; expected a multiple of 4096");
	check_error("unaligned len", HDR "protect 0x1000 1K r\n", 3,
		    "unaligned length '1K'; expected a multiple of 4096");
	check_error("zero length", HDR "unmap 0x1000 0\n", 3,
		    "zero length '0'; expected a length greater than 0");
	check_error("range overflow", HDR "unmap 0xfffffffffffff000 8K\n", 3,
		    "range 0xfffffffffffff000 + 8K goes past the end of the address space; expected ADDR+LEN <= 2^64");

	check_error("bad prot letter", HDR "protect 0 4K rq\n", 3,
		    "bad protection 'rq'; expected letters r, w, x (each at most once) or 'none'");
	check_error("uppercase prot", HDR "kmap 0 4K RW\n", 3,
		    "bad protection 'RW'");
	check_error("repeated prot letter", HDR "alloc 0 4K rwr\n", 3,
		    "repeated letter 'r' in protection 'rwr'; expected each of r, w, x at most once");

	check_error("stride zero", HDR "populate 0 4K read stride=0\n", 3,
		    "bad stride '0'; expected a positive multiple of 4096");
	check_error("stride unaligned", HDR "populate 0 4K read stride=100\n", 3,
		    "bad stride '100'; expected a positive multiple of 4096");
	check_error("stride not a number", HDR "populate 0 4K write stride=x\n", 3,
		    "bad stride 'x'; expected a number");
	check_error("stride misspelt", HDR "populate 0 4K write strides=4K\n", 3,
		    "unexpected argument 'strides=4K' for 'populate'; expected stride=N");

	check_error("bad access", HDR "populate 0 4K rw\n", 3,
		    "bad access 'rw'; expected read or write");
	check_error("bad advice", HDR "advise 0 4K huge\n", 3,
		    "bad advice 'huge'; expected hugepage, nohugepage, dontneed or free");
	check_error("bad essa state", HDR "essa 0 4K zero\n", 3,
		    "bad state 'zero'; expected stable, unused, volatile or pvolatile");
	check_error("bad host action", HDR "host 0 4K evict\n", 3,
		    "bad action 'evict'; expected discard, swapout, swapin or access");
	check_error("bad cpu action", HDR "cpu add 1\n", 3,
		    "bad cpu action 'add'; expected attach, detach or idle");
	check_error("cpu out of range", HDR "cpu attach 64\n", 3,
		    "cpu number '64' out of range; expected a number from 0 to 63");
	check_error("mm id zero", HDR "fork 0\n", 3,
		    "mm id '0' out of range; expected a number from 1 to 1000000");
	check_error("mm id too big", HDR "mm 1000001\n", 3,
		    "mm id '1000001' out of range; expected a number from 1 to 1000000");
	check_error("thread without sign", HDR "thread 1\n", 3,
		    "bad thread change '1'; expected +N or -N");
	check_error("thread zero", HDR "thread -0\n", 3,
		    "thread change '0' out of range; expected a number from 1 to 1000000");
	check_error("thread too many", HDR "thread +1000001\n", 3,
		    "out of range; expected a number from 1 to 1000000");
}

static void test_header_errors(void)
{
	char many[64 * 16 + 128], *p;
	int i;

	check_error("set after op", HDR "exit\n\nset cpus=2\n", 5,
		    "'set' must come before the first operation");
	check_error("arch after op", HDR "exit\narch pae\n", 4,
		    "'arch' must come before the first operation");
	check_error("set before arch", "pgtctl-trace 1\nset cpus=2\narch pae\n", 2,
		    "'set' before the 'arch' line; expected 'arch s390x|s390|pae' first");
	check_error("set without options", HDR "set\n", 3,
		    "missing key=value for 'set'; expected 'set key=value [key=value...]'");
	check_error("set without '='", HDR "set cpus\n", 3,
		    "bad option 'cpus'; expected key=value");
	check_error("set bad key", HDR "set Cpus=2\n", 3,
		    "bad option name 'Cpus'; expected lowercase letters, digits and '-'");
	check_error("set empty key", HDR "set =2\n", 3,
		    "bad option name ''");
	check_error("set empty value", HDR "set a=1 cpus=\n", 3,
		    "missing value for option 'cpus'; expected cpus=VALUE");
	check_error("set long key", HDR "set abcdefghijklmnopqrstuvwxyz012345=1\n", 3,
		    "too long; expected at most 31 characters");
	check_error("set long value",
		    HDR "set k=0123456789012345678901234567890123456789012345678901234567890123\n",
		    3, "value of option 'k' too long; expected at most 63 characters");

	p = many + sprintf(many, HDR "set");
	for (i = 0; i < PGT_TRACE_MAX_OPTIONS; i++)
		p += sprintf(p, " k%d=%d", i, i);
	sprintf(p, "\nset one=more\n");
	check_error("too many options", many, 4,
		    "too many options; expected at most 64 'set' options");

	check_error("missing header", "arch s390x\nexit\n", 1,
		    "expected 'pgtctl-trace 1' as the first line");
	check_error("missing header after comments", "# c\n\nalloc 0 4K r\n", 3,
		    "missing header before 'alloc'; expected 'pgtctl-trace 1' as the first line");
	check_error("empty file", "", 1,
		    "empty trace; expected 'pgtctl-trace 1' as the first line");
	check_error("only comments", "# nothing\n\n", 3,
		    "end of file before the header; expected 'pgtctl-trace 1' as the first line");
	check_error("wrong version", "pgtctl-trace 2\narch pae\n", 1,
		    "unsupported trace version 2 (expected 1)");
	check_error("bad version", "pgtctl-trace one\n", 1,
		    "bad trace version 'one'; expected 'pgtctl-trace 1'");
	check_error("missing version", "pgtctl-trace\n", 1,
		    "missing version after 'pgtctl-trace'; expected 'pgtctl-trace 1'");
	check_error("header junk", "pgtctl-trace 1 x\n", 1,
		    "unexpected argument 'x' after 'pgtctl-trace 1'");
	check_error("second header", HDR "pgtctl-trace 1\n", 3,
		    "second 'pgtctl-trace' line; expected it only as the first line");

	check_error("missing arch", "pgtctl-trace 1\n# ops\nalloc 0 4K r\n", 3,
		    "'alloc' before the 'arch' line; expected 'arch s390x|s390|pae' before the first operation");
	check_error("missing arch, no ops", "pgtctl-trace 1\n\n", 3,
		    "end of file before the 'arch' line; expected 'arch s390x|s390|pae'");
	check_error("unknown arch", "pgtctl-trace 1\narch x86_64\n", 2,
		    "unknown architecture 'x86_64'; expected s390x, s390 or pae");
	check_error("arch without name", "pgtctl-trace 1\narch\n", 2,
		    "missing architecture after 'arch'; expected s390x, s390 or pae");
	check_error("arch junk", "pgtctl-trace 1\narch pae 2\n", 2,
		    "unexpected argument '2' after 'arch pae'");
	check_error("second arch", HDR "arch pae\n", 3,
		    "second 'arch' line (the first is line 2); expected exactly one");
}

static void test_input_errors(void)
{
	static const char cbor[] = "\xd9\xd9\xf7\x83\x01\x65s390x\x80";
	static char text[8192];
	struct result res;
	size_t n;

	/* a 4096-byte line is fine, 4097 is not */
	n = sprintf(text, HDR "#");
	memset(text + n, 'a', 4095);
	strcpy(text + n + 4095, "\nexit\n");
	parse_text(text, &res);
	ok(res.status == PGT_OK && res.nops == 1, "4096-byte line accepted");
	strcpy(text + n + 4095, "a\nexit\n");
	check_error("too-long line", text, 3,
		    "line longer than 4096 bytes; expected at most 4096 bytes per line");

	check_error_bytes("CBOR input", cbor, sizeof(cbor) - 1, 0,
			  "byte 3: found an array of 3 entries; expected the header map");
	check_error_bytes("NUL first byte", "\0pgtctl-trace 1\n", 16, 0,
			  "not a text trace");
	check_error_bytes("NUL in a line", HDR "exit\0\n", sizeof(HDR) + 5, 3,
			  "NUL byte in the line; expected a text trace");

	memset(&res, 0, sizeof(res));
	snprintf(path, sizeof(path), "%s/no-such.trace", tmpdir);
	read_all(path, &res);
	is_u64(res.status, PGT_ERR_IO, "nonexistent file: PGT_ERR_IO");
	snprintf(text, sizeof(text), "cannot open %s: No such file or directory",
		 path);
	is_str(res.err.msg, text, "nonexistent file: message");

	read_all(tmpdir, &res);
	is_u64(res.status, PGT_ERR_IO, "directory: PGT_ERR_IO");
	ok(strstr(res.err.msg, "read error: Is a directory") != NULL,
	   "directory: message");
}

/*
 * The reader takes the input in 64 KiB blocks and parses lines where they
 * lie: lines across a block's end, the longest line there, a NUL or an
 * over-long line there, CRLF and a last line without a newline are read
 * as a byte-by-byte reader reads them.
 */
static void test_blocks(void)
{
	static char text[3 * 65536];
	struct result res;
	size_t n, at;
	unsigned long line;
	int i, ops = 0;

	/* comment lines of every length up to 4096 until past 2 blocks */
	n = (size_t)sprintf(text, HDR);
	for (i = 0; n < 2 * 65536 + 100; i++) {
		size_t len = (size_t)(i * 97) % 4097;

		if (i % 3 == 0) {
			n += (size_t)sprintf(text + n, "thread +1\r\n");
			ops++;
			continue;
		}
		memset(text + n, '#', len);
		n += len;
		text[n++] = '\n';
	}
	strcpy(text + n, "exit");	/* no newline at the end */
	parse_text(text, &res);
	ok(res.status == PGT_OK && res.nops == ops + 1 &&
	   res.ops[res.nops - 1].kind == PGT_OP_EXIT,
	   "lines across 64 KiB blocks, CRLF, a last line without a newline: %d ops", ops + 1);

	/* a 4096-byte line ending just past the first block, after short
	 * comment lines */
	n = (size_t)sprintf(text, HDR);
	line = 3;
	at = 65536 - 100;
	while (n < at) {
		size_t len = at - n > 100 ? 99 : at - n - 1;

		memset(text + n, '#', len);
		n += len;
		text[n++] = '\n';
		line++;
	}
	memset(text + at, '#', 4096);
	strcpy(text + at + 4096, "\nexit\n");
	parse_text(text, &res);
	ok(res.status == PGT_OK && res.nops == 1,
	   "a 4096-byte line across the end of a block");
	text[at + 4096] = '#';
	check_error("a 4097-byte line across the end of a block", text, line,
		    "line longer than 4096 bytes; expected at most 4096 bytes per line");
	text[at + 4096] = '\n';
	text[at + 200] = '\0';
	check_error_bytes("a NUL in a line across the end of a block", text,
			  at + 4096 + 6, line,
			  "NUL byte in the line; expected a text trace");
	/* a NUL as the 4097th byte of a line: found before its length */
	text[at + 200] = '#';
	text[at + 4096] = '\0';
	check_error_bytes("a NUL as a line's 4097th byte", text, at + 4096 + 6,
			  line, "NUL byte in the line; expected a text trace");
}

/* "-" reads stdin and names it "<stdin>" in messages. */
static void test_stdin(void)
{
	struct result res;

	write_text("in.trace", HDR "exit\nbogus\n");
	if (!freopen(path, "r", stdin)) {
		ok(0, "stdin: freopen");
		return;
	}
	read_all("-", &res);
	is_u64(res.nops, 1, "stdin: one op before the error");
	is_str(res.err.msg,
	       "<stdin>:4: unknown operation 'bogus'; expected one of alloc, populate, protect, unmap, fork, mm, advise, thread, cpu, exit, sie, essa, host, kmap, exec, remap, collapse",
	       "stdin: named <stdin>");
	unlink(path);
}

int main(void)
{
	const char *base = getenv("TMPDIR");

	snprintf(tmpdir, sizeof(tmpdir), "%s/t-trace-text.XXXXXX",
		 base && *base && strlen(base) < 32 ? base : "/tmp");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 99;
	}
	test_numbers();
	test_all_ops();
	test_header();
	test_streaming();
	test_format();
	test_round_trip();
	test_op_errors();
	test_blocks();
	test_header_errors();
	test_input_errors();
	test_stdin();
	rmdir(tmpdir);
	return done_testing();
}
