/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Output files that never destroy data: every command that writes a file
 * (convert, import -o, dump --save-tables) opens it here.
 *
 *   "-"                    standard output, written through
 *   FIFO, device           written through, in place (never replaced);
 *                          a socket cannot be opened: refused
 *   symlink                followed (up to 40 links); its target is
 *                          written as below, the link itself kept
 *   regular file or none   an unnamed file (O_TMPFILE, else a hidden
 *                          temporary file) beside it, renamed over it
 *                          only when complete: a failure or a kill leaves
 *                          the old file as it was; its mode is kept; a
 *                          file the user may not write, or one with
 *                          other hard links, is refused
 *   directory              refused
 */
#ifndef PGT_OUTFILE_H
#define PGT_OUTFILE_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>
#include "status.h"

struct pgt_outfile {
	const char *path;	/* as given */
	const char *name;	/* for messages: path, or "<stdout>" */
	char *target;		/* path with symlinks followed */
	char *tmp;		/* temporary file; NULL when written through */
	FILE *fp;		/* where to write */
	bool through;		/* written in place (stdout, FIFO, device) */
	bool unnamed;		/* O_TMPFILE: named tmp only when complete */
};

/* Open path for writing (see above). */
int pgt_outfile_open(struct pgt_outfile *o, const char *path,
		     struct pgt_err *err);
/*
 * ok: flush and sync, then rename the temporary file over the target (or
 * just flush a written-through output); !ok: remove the temporary file.
 * Standard output is flushed, not closed.  Returns the first error.
 */
int pgt_outfile_close(struct pgt_outfile *o, bool ok, struct pgt_err *err);

/*
 * Refuse an output that is the input in (the same file: same device and
 * inode, through symlinks and hard links): replacing it, or writing
 * through it, would destroy what is being read (a vmcore replaced by its
 * page-table slice, a trace by its own conversion).  "-" and an output
 * that does not exist yet pass.  PGT_ERR_USAGE naming both.
 */
int pgt_outfile_not_input(const char *path, const char *in,
			  struct pgt_err *err);

#endif
