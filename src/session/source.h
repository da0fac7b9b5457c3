/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Sources: what a file is, told by its content (never by its name), so
 * that a command given the wrong kind of file can say what the file is and
 * which command reads it, and a dump on a pipe can be read at all.
 */
#ifndef PGT_SOURCE_H
#define PGT_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "../lib/status.h"

enum pgt_source_kind {
	PGT_SOURCE_UNKNOWN,		/* nothing recognised */
	PGT_SOURCE_TRACE,		/* a text or CBOR trace */
	PGT_SOURCE_DUMP,		/* ELF vmcore, kdump, flattened kdump */
	PGT_SOURCE_STRACE,		/* an strace log: pgtctl import strace */
	PGT_SOURCE_OTHER,		/* recognised, and neither (gzip, PNG ...) */
};

struct pgt_source_id {
	enum pgt_source_kind kind;
	const char *what;	/* "a text trace", "an ELF memory dump" ... */
	const char *use;	/* the command that reads it, or NULL */
	const char *hint;	/* what to do first ("decompress it (gunzip -k)"), or NULL */
};

/* What the n bytes at the start of a file make it. */
void pgt_source_identify(const unsigned char *head, size_t n,
			 struct pgt_source_id *id);
/* The same for a file (not "-"); an error only when it cannot be read. */
int pgt_source_identify_path(const char *path, struct pgt_source_id *id,
			     struct pgt_err *err);

/*
 * Standard input copied to an unlinked temporary file in $TMPDIR (else
 * /tmp), for a reader that needs random access (a dump on a pipe):
 * *fd is the file, positioned at 0, *bytes its size, *copied true.
 * Nothing is copied when standard input is already a regular file: *fd
 * is a new descriptor for it, *copied false.
 */
int pgt_source_spool_stdin(int *fd, uint64_t *bytes, bool *copied,
			   struct pgt_err *err);

#endif
