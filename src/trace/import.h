/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Importers: turn logs recorded on a real system into text traces.
 *
 * strace: the output of `strace -f -e trace=%memory[,%process] -o LOG`
 * (mmap, mmap2, munmap, mprotect, pkey_mprotect, brk, mremap, madvise with
 * their results; clone, clone3, fork, vfork, execve, execveat; exits) of
 * any number of processes.  The rules are stated in pgtctl(1), IMPORTING
 * STRACE LOGS, and again in the header comment of every trace written.
 *
 * The library never prints a message: a failure leaves "FILE:LINE: what;
 * expected what" in the struct pgt_err.  The log is read and checked in
 * full before the first byte of the trace is written, so a failing import
 * writes nothing to `out`.
 */
#ifndef PGT_IMPORT_H
#define PGT_IMPORT_H

#include <stdint.h>
#include <stdio.h>
#include "../lib/status.h"

/* What to fault in, since strace does not see page faults. */
enum pgt_populate {
	PGT_POPULATE_NONE,	/* VMAs only: no populate operation */
	PGT_POPULATE_ALL,	/* every new anonymous mapping: write if writable,
				 * read if only readable or executable */
	PGT_POPULATE_WRITES,	/* every new writable anonymous mapping: write */
};

struct pgt_import_opts {
	const char *arch;	/* the trace's arch line: "s390x", "s390", "pae" */
	uint64_t user_limit;	/* that arch's user address limit (TASK_SIZE):
				 * every range must end at or below it */
	const char *limit_note;	/* why a log may go past it (arch's
				 * user_limit_note), or NULL */
	enum pgt_populate populate;
	long pid;		/* > 0: only the address spaces of this process */
	const char *display;	/* the log's name in messages and in the header;
				 * NULL: the path */
};

/* Where the lines of the log went; every line is counted exactly once. */
struct pgt_import_stats {
	unsigned long lines;		/* lines in the log */
	unsigned long imported;		/* calls that became operations */
	unsigned long ops;		/* operations in the trace (incl. mm/fork/exit) */
	unsigned long failed;		/* failed calls of imported syscalls (comments) */
	unsigned long no_result;	/* imported syscalls without a result ("= ?") */
	unsigned long not_modelled;	/* memory calls the trace cannot express (comments) */
	unsigned long ignored;		/* other syscalls, by name in the header */
	unsigned long unfinished;	/* "<unfinished ...>" halves of split calls */
	unsigned long signals;		/* "--- SIG... ---" */
	unsigned long exits;		/* "+++ exited/killed/superseded ... +++" */
	unsigned long messages;		/* strace's own messages */
	unsigned long blank;		/* empty lines */
	unsigned long other_pid;	/* lines of processes left out by --pid */
	unsigned long processes;	/* pids seen */
	unsigned long mms;		/* address spaces in the trace */
};

/*
 * Convert the strace log at `path` ("-" = standard input) into a text
 * trace written to `out`.  `st` (may be NULL) receives the counts.
 * Returns PGT_OK, PGT_ERR_INPUT (a line that cannot be parsed or imported,
 * named FILE:LINE), PGT_ERR_IO or PGT_ERR_NOMEM.
 */
int pgt_import_strace(const char *path, FILE *out,
		      const struct pgt_import_opts *o,
		      struct pgt_import_stats *st, struct pgt_err *err);

/* "none", "all", "writes" <-> the enum; -1 / NULL for anything else. */
int pgt_populate_parse(const char *s, enum pgt_populate *p);
const char *pgt_populate_name(enum pgt_populate p);

#endif
