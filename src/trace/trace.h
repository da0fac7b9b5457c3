/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Trace I/O: the operations of a trace (src/op/op.h), independent of the
 * engine.
 * Text form (design.md "Text trace format"), read as a stream: the reader
 * hands out one operation at a time, so memory does not grow with the trace.
 */
#ifndef PGT_TRACE_H
#define PGT_TRACE_H

#include <stdint.h>
#include <stdio.h>
#include "../lib/status.h"
#include "../op/op.h"

/* "set key=value" options, in the order given */
struct pgt_trace_option {
	char key[32];
	char val[64];
	unsigned long line;
};

#define PGT_TRACE_MAX_OPTIONS 64

struct pgt_trace_header {
	int version;			/* 1 */
	char arch[16];			/* "s390x", "s390", "pae" */
	unsigned long arch_line;
	int noptions;
	struct pgt_trace_option options[PGT_TRACE_MAX_OPTIONS];
};

struct pgt_trace_reader;

/*
 * Open a trace file ("-" = stdin) and read its header (version, arch and
 * set lines up to the first operation).  Errors name file:line.
 */
int pgt_trace_open(const char *path, struct pgt_trace_reader **out,
		   struct pgt_err *err);
const struct pgt_trace_header *pgt_trace_header(const struct pgt_trace_reader *r);
const char *pgt_trace_path(const struct pgt_trace_reader *r);
/* Next operation: returns 1 with *op filled, 0 at end, or a negative... no:
 * returns PGT_OK with *op filled and *done = 0, or *done = 1 at the end. */
int pgt_trace_next(struct pgt_trace_reader *r, struct pgt_op *op, int *done,
		   struct pgt_err *err);
void pgt_trace_close(struct pgt_trace_reader *r);
/* bytes of the trace read so far, out of its size (0: not known, as for
 * standard input or a pipe), for progress */
void pgt_trace_progress(const struct pgt_trace_reader *r, uint64_t *done,
			uint64_t *total);

/* ---- CBOR form (trace-cbor.c; pgtctl-trace(5) "CBOR FORM") ---- */

enum pgt_trace_form { PGT_TRACE_TEXT, PGT_TRACE_CBOR };

/* The form pgt_trace_open detected. */
enum pgt_trace_form pgt_trace_form(const struct pgt_trace_reader *r);
/* "FILE:LINE" or "FILE: byte OFFSET" for a position (op->line, arch_line). */
int pgt_trace_where(const struct pgt_trace_reader *r, unsigned long pos,
		    char *buf, size_t len);

/* A CBOR trace starts with tag 55799 (self-describe), whose first byte is: */
#define PGT_CBOR_FIRST_BYTE 0xd9
#define PGT_CBOR_SELF_DESCRIBE 55799

/* Reader limits, per item of the sequence (the header or one op). */
#define PGT_CBOR_ITEM_MAX 65536		/* bytes in one item */
#define PGT_CBOR_DEPTH_MAX 4		/* containers around a data item */
#define PGT_CBOR_COUNT_MAX 64		/* entries of an array or a map */
#define PGT_CBOR_STRING_MAX 256		/* bytes in a text or byte string */

/* Keys of an operation map (enum pgt_cbor_key, op.h); keys >= this are ignored. */
#define PGT_CBOR_KEY_IGNORED 64

/* An operation as the values of its map keys. */
struct pgt_cbor_fields {
	unsigned keys;			/* bit k set: key k is present */
	uint64_t val[PGT_CK__COUNT];	/* DELTA: its absolute value */
	int neg;			/* DELTA is negative */
};

/*
 * op <-> fields.  pgt_cbor_from_op gives the canonical fields (optional
 * keys at their default left out) and never fails; pgt_cbor_to_op checks
 * every value and the key set of the op, and on error says why in `why`
 * and names in *bad_key the key whose value is wrong or that the op does
 * not take, or -1 when a key is missing.
 */
void pgt_cbor_from_op(const struct pgt_op *op, struct pgt_cbor_fields *f);
int pgt_cbor_to_op(const struct pgt_cbor_fields *f, struct pgt_op *op,
		   int *bad_key, char *why, size_t len);
const char *pgt_cbor_key_name(unsigned key);

/* NULL if key=val is a valid "set" option (both forms), else why not. */
const char *pgt_trace_option_problem(const char *key, const char *val);

/* The CBOR reader behind pgt_trace_open; fp stays the caller's. */
struct pgt_cbor_reader;
int pgt_cbor_open(FILE *fp, const char *path, struct pgt_trace_header *hdr,
		  struct pgt_cbor_reader **out, struct pgt_err *err);
int pgt_cbor_next(struct pgt_cbor_reader *c, struct pgt_op *op, int *done,
		  struct pgt_err *err);
void pgt_cbor_close(struct pgt_cbor_reader *c);
/* the file offset of the next byte to decode */
uint64_t pgt_cbor_offset(const struct pgt_cbor_reader *c);

/* ---- writers (trace-write.c): canonical text or canonical CBOR ---- */

struct pgt_trace_writer;
/* Write the header to fp (not closed by the writer); path names it in messages. */
int pgt_trace_writer_open(FILE *fp, const char *path, enum pgt_trace_form form,
			  const struct pgt_trace_header *h,
			  struct pgt_trace_writer **out, struct pgt_err *err);
int pgt_trace_write_op(struct pgt_trace_writer *w, const struct pgt_op *op,
		       struct pgt_err *err);
/* Flush and free (also after an error); returns the first write error. */
int pgt_trace_writer_close(struct pgt_trace_writer *w, struct pgt_err *err);

#endif
