/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Output files that never destroy data (outfile.h).  The rule: only a
 * regular file (or a name that does not exist yet) is ever replaced, and
 * only atomically; anything else is written through or refused.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE		/* mkostemp */
#endif
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "outfile.h"

/* as the kernel's MAXSYMLINKS: a longer chain is a loop for our purpose */
#define OUTFILE_MAX_LINKS 40

static int oom(struct pgt_err *err, const char *path)
{
	return pgt_fail(err, PGT_ERR_NOMEM, "%s: out of memory", path);
}

/* link's target, relative to the directory holding link */
static char *link_target(const char *link, struct pgt_err *err)
{
	const char *slash = strrchr(link, '/');
	size_t dirlen = slash ? (size_t)(slash - link + 1) : 0;
	char buf[PATH_MAX];
	ssize_t n = readlink(link, buf, sizeof(buf) - 1);
	char *t;

	if (n < 0) {
		pgt_fail(err, PGT_ERR_IO, "%s: cannot read the symbolic link: %s",
			 link, strerror(errno));
		return NULL;
	}
	buf[n] = 0;
	if (buf[0] == '/')
		dirlen = 0;
	t = malloc(dirlen + (size_t)n + 1);
	if (!t) {
		oom(err, link);
		return NULL;
	}
	memcpy(t, link, dirlen);
	memcpy(t + dirlen, buf, (size_t)n + 1);
	return t;
}

/*
 * Follow symlinks from o->path: o->target is the first name that is not
 * a link, *st its status (st_mode 0: it does not exist).
 */
static int resolve(struct pgt_outfile *o, struct stat *st,
		   struct pgt_err *err)
{
	char *p = strdup(o->path);
	int hops;

	if (!p)
		return oom(err, o->path);
	for (hops = 0;; hops++) {
		char *next;

		if (lstat(p, st)) {
			if (errno != ENOENT) {
				pgt_fail(err, PGT_ERR_IO, "%s: %s", p,
					 strerror(errno));
				free(p);
				return PGT_ERR_IO;
			}
			st->st_mode = 0;
			break;
		}
		if (!S_ISLNK(st->st_mode))
			break;
		if (hops == OUTFILE_MAX_LINKS) {
			free(p);
			return pgt_fail(err, PGT_ERR_IO,
					"%s: more than %d symbolic links to follow (a loop?)",
					o->path, OUTFILE_MAX_LINKS);
		}
		next = link_target(p, err);
		free(p);
		if (!next)
			return err->status;
		p = next;
	}
	o->target = p;
	return PGT_OK;
}

/* FIFO, device, socket: write to the node itself, never replace it */
static int open_through(struct pgt_outfile *o, struct pgt_err *err)
{
	struct stat st;
	int fd = open(o->target, O_WRONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		return pgt_fail(err, PGT_ERR_IO, "%s: cannot write: %s",
				o->path, strerror(errno));
	/* it changed into a regular file since lstat: writing in place
	 * would leave stale bytes after ours */
	if (fstat(fd, &st) || S_ISREG(st.st_mode) || S_ISDIR(st.st_mode)) {
		close(fd);
		return pgt_fail(err, PGT_ERR_IO,
				"%s: changed while being opened; not written",
				o->path);
	}
	o->fp = fdopen(fd, "w");
	if (!o->fp) {
		close(fd);
		return oom(err, o->path);
	}
	o->through = true;
	return PGT_OK;
}

/* ".NAME.XXXXXX" beside the target: rename() is atomic only within a
 * file system, and a hidden name keeps it out of the user's way */
static int open_temp(struct pgt_outfile *o, const struct stat *st,
		     struct pgt_err *err)
{
	const char *slash = strrchr(o->target, '/');
	int dirlen = slash ? (int)(slash - o->target + 1) : 0;
	mode_t mode, mask;
	int fd;

	o->tmp = malloc(strlen(o->target) + sizeof("..XXXXXX"));
	if (!o->tmp)
		return oom(err, o->path);
	sprintf(o->tmp, "%.*s.%s.XXXXXX", dirlen, o->target,
		o->target + dirlen);
	fd = mkostemp(o->tmp, O_CLOEXEC);
	if (fd < 0) {
		pgt_fail(err, PGT_ERR_IO,
			 "%s: cannot create a temporary file beside it: %s",
			 o->path, strerror(errno));
		free(o->tmp);
		o->tmp = NULL;
		return PGT_ERR_IO;
	}
	/* the replaced file's mode (and owner, where we may), else the
	 * mode a plain create would give (mkstemp makes it 0600) */
	if (st->st_mode) {
		mode = st->st_mode & 07777;
		if (fchown(fd, st->st_uid, st->st_gid))
			(void)0;	/* not ours to give away: keep ours */
	} else {
		mask = umask(0);
		umask(mask);
		mode = 0666 & ~mask;
	}
	if (fchmod(fd, mode))
		(void)0;	/* keep 0600: still a correct file */
	o->fp = fdopen(fd, "w");
	if (!o->fp) {
		close(fd);
		unlink(o->tmp);
		free(o->tmp);
		o->tmp = NULL;
		return oom(err, o->path);
	}
	return PGT_OK;
}

int pgt_outfile_open(struct pgt_outfile *o, const char *path,
		     struct pgt_err *err)
{
	struct stat st;
	int rc;

	memset(o, 0, sizeof(*o));
	o->path = o->name = path;
	if (!strcmp(path, "-")) {
		o->name = "<stdout>";
		o->fp = stdout;
		o->through = true;
		return PGT_OK;
	}
	rc = resolve(o, &st, err);
	if (rc)
		return rc;
	if (S_ISDIR(st.st_mode))
		rc = pgt_fail(err, PGT_ERR_IO, "%s: is a directory", path);
	else if (!st.st_mode || S_ISREG(st.st_mode))
		rc = open_temp(o, &st, err);
	else
		rc = open_through(o, err);
	if (rc) {
		free(o->target);
		o->target = NULL;
	}
	return rc;
}

static int write_error(struct pgt_outfile *o, struct pgt_err *err)
{
	return pgt_fail(err, PGT_ERR_IO, "%s: write error: %s", o->name,
			strerror(errno ? errno : EIO));
}

/* fsync a written-through node only where it means something */
static bool sync_failed(struct pgt_outfile *o)
{
	if (!fsync(fileno(o->fp)))
		return false;
	return !(o->through && (errno == EINVAL || errno == EROFS ||
				errno == ENOTSUP));
}

int pgt_outfile_close(struct pgt_outfile *o, bool ok, struct pgt_err *err)
{
	int rc = PGT_OK;

	if (!o->fp)
		return PGT_OK;
	errno = 0;
	if (ok && (fflush(o->fp) || ferror(o->fp) || sync_failed(o)))
		rc = write_error(o, err);
	if (o->fp != stdout && fclose(o->fp) && ok && !rc)
		rc = write_error(o, err);
	o->fp = NULL;
	if (o->tmp) {
		if (ok && !rc && rename(o->tmp, o->target))
			rc = pgt_fail(err, PGT_ERR_IO,
				      "%s: cannot rename the temporary file %s over it: %s",
				      o->path, o->tmp, strerror(errno));
		if (!ok || rc)
			unlink(o->tmp);
	}
	free(o->tmp);
	free(o->target);
	o->tmp = o->target = NULL;
	return rc;
}
