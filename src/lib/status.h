/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Status codes and the error-message buffer shared by every library layer.
 * The library never prints: a failing call returns a status and leaves a
 * one-line message (file:position: what was expected) in a struct pgt_err.
 * Only the CLI prints it and chooses the exit status.
 */
#ifndef PGT_STATUS_H
#define PGT_STATUS_H

#include <stdarg.h>

enum pgt_status {
	PGT_ERR_CUSTOM = -1,	/* keeps the enum signed */
	PGT_OK = 0,
	PGT_ERR_INPUT,		/* malformed trace or dump: exit 2 */
	PGT_ERR_USAGE,		/* bad option or argument: exit 2 */
	PGT_ERR_NOMEM,		/* host allocation failed */
	PGT_ERR_LIMIT,		/* a modelled limit was exceeded (memory, tables) */
	PGT_ERR_IO,		/* read/write of a file failed */
	PGT_ERR_INVARIANT,	/* --check found a violated invariant: exit 1 */
	PGT_ERR_UNSUPPORTED,	/* valid input that this build cannot handle */
};

#define PGT_ERR_MSG_MAX 512

struct pgt_err {
	int status;
	char msg[PGT_ERR_MSG_MAX];
};

/* Record a formatted message and return the status (for `return pgt_fail(...)`). */
int pgt_fail(struct pgt_err *err, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int pgt_vfail(struct pgt_err *err, int status, const char *fmt, va_list ap);
/* Prefix the existing message with "prefix: " (adds context while unwinding). */
void pgt_err_prefix(struct pgt_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void pgt_err_clear(struct pgt_err *err);

#endif
