/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Output files of the commands that write one (convert, import): written
 * to a temporary file beside OUT and renamed over it only when complete,
 * so a failure never leaves a partial OUT (or a stray temporary file).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "outfile.h"

/* ".NAME.XXXXXX" beside OUT: rename() is atomic only within a file system. */
int cli_output_open(struct cli_output *o, struct pgt_err *err)
{
	const char *slash = strrchr(o->path, '/');
	int dirlen = slash ? (int)(slash - o->path + 1) : 0;
	mode_t mask;
	int fd;

	o->name = o->path;
	if (!strcmp(o->path, "-")) {
		o->name = "<stdout>";
		o->fp = stdout;
		return PGT_OK;
	}
	o->tmp = malloc(strlen(o->path) + sizeof(".XXXXXX") + 1);
	if (!o->tmp)
		return pgt_fail(err, PGT_ERR_NOMEM, "out of memory writing %s",
				o->path);
	sprintf(o->tmp, "%.*s.%s.XXXXXX", dirlen, o->path, o->path + dirlen);
	fd = mkstemp(o->tmp);
	if (fd < 0) {
		pgt_fail(err, PGT_ERR_IO, "cannot create a temporary file for %s: %s",
			 o->path, strerror(errno));
		free(o->tmp);
		o->tmp = NULL;
		return PGT_ERR_IO;
	}
	/* mkstemp makes it 0600; give OUT the mode a plain create would */
	mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask))
		(void)0;	/* keep 0600: still a correct file */
	o->fp = fdopen(fd, "w");
	if (!o->fp) {
		close(fd);
		unlink(o->tmp);
		free(o->tmp);
		o->tmp = NULL;
		return pgt_fail(err, PGT_ERR_IO, "cannot write %s: %s", o->path,
				strerror(errno));
	}
	return PGT_OK;
}

/* Rename the complete file over OUT, or remove it after a failure. */
int cli_output_close(struct cli_output *o, int ok, struct pgt_err *err)
{
	int rc = PGT_OK;

	if (!o->tmp)
		return PGT_OK;		/* stdout: main() checks it on exit */
	if (ok && (fflush(o->fp) || ferror(o->fp) || fsync(fileno(o->fp))))
		rc = pgt_fail(err, PGT_ERR_IO, "%s: write error: %s", o->path,
			      strerror(errno ? errno : EIO));
	if (fclose(o->fp) && ok && !rc)
		rc = pgt_fail(err, PGT_ERR_IO, "%s: write error: %s", o->path,
			      strerror(errno));
	if (ok && !rc && rename(o->tmp, o->path))
		rc = pgt_fail(err, PGT_ERR_IO, "cannot rename %s to %s: %s",
			      o->tmp, o->path, strerror(errno));
	if (!ok || rc)
		unlink(o->tmp);
	free(o->tmp);
	o->tmp = NULL;
	return rc;
}
