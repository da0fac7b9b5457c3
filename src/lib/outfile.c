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
#include <time.h>
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

/*
 * The name the complete file gets beside the target before the rename:
 * ".NAME.XXXXXX" (rename() is atomic only within a file system, and a
 * hidden name keeps it out of the user's way), or ".pgtctl.XXXXXX" where
 * NAME is too long for one more prefix and suffix.
 */
static int temp_template(struct pgt_outfile *o, struct pgt_err *err)
{
	const char *slash = strrchr(o->target, '/');
	int dirlen = slash ? (int)(slash - o->target + 1) : 0;
	const char *base = o->target + dirlen;

	if (strlen(base) + sizeof("..XXXXXX") > NAME_MAX)
		base = "pgtctl";
	o->tmp = malloc((size_t)dirlen + strlen(base) + sizeof("..XXXXXX"));
	if (!o->tmp)
		return oom(err, o->path);
	sprintf(o->tmp, "%.*s.%s.XXXXXX", dirlen, o->target, base);
	return PGT_OK;
}

/*
 * An unnamed file in the target's directory (O_TMPFILE): killed before
 * it is complete, the command leaves nothing behind.  -1 where the file
 * system has no unnamed files.
 */
static int open_unnamed(const struct pgt_outfile *o)
{
	const char *slash = strrchr(o->target, '/');
	char *dir;
	int fd;

	if (!slash)
		return open(".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
	dir = strndup(o->target, slash == o->target ? 1 :
				 (size_t)(slash - o->target));
	if (!dir)
		return -1;
	fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
	free(dir);
	return fd;
}

/* the replaced file's mode (and owner, where we may), else the mode a
 * plain create would give (mkstemp and O_TMPFILE here make it 0600) */
static void give_mode(int fd, const struct stat *st)
{
	mode_t mode, mask;

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
}

static int open_temp(struct pgt_outfile *o, const struct stat *st,
		     struct pgt_err *err)
{
	int fd, rc = temp_template(o, err);

	if (rc)
		return rc;
	fd = open_unnamed(o);
	o->unnamed = fd >= 0;
	if (fd < 0)
		fd = mkostemp(o->tmp, O_CLOEXEC);
	if (fd < 0) {
		pgt_fail(err, PGT_ERR_IO,
			 "%s: cannot create a temporary file beside it: %s",
			 o->path, strerror(errno));
		free(o->tmp);
		o->tmp = NULL;
		return PGT_ERR_IO;
	}
	give_mode(fd, st);
	o->fp = fdopen(fd, "w");
	if (!o->fp) {
		close(fd);
		if (!o->unnamed)
			unlink(o->tmp);
		free(o->tmp);
		o->tmp = NULL;
		return oom(err, o->path);
	}
	return PGT_OK;
}

/* A regular file that may be replaced: one the user could write, with no
 * other name that would keep the old content. */
static int check_replace(const struct pgt_outfile *o, const struct stat *st,
			 struct pgt_err *err)
{
	if (!st->st_mode)
		return PGT_OK;
	if (access(o->target, W_OK))
		return pgt_fail(err, PGT_ERR_IO, "%s: not writable: %s",
				o->path, strerror(errno));
	if (st->st_nlink > 1)
		return pgt_fail(err, PGT_ERR_IO,
				"%s: has %lu hard links: replacing it would leave the other names with the old content; expected a file with one name (write to another name)",
				o->path, (unsigned long)st->st_nlink);
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
	else if (!st.st_mode || S_ISREG(st.st_mode)) {
		rc = check_replace(o, &st, err);
		if (!rc)
			rc = open_temp(o, &st, err);
	}
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

/*
 * Give the complete unnamed file the temporary name: a unique one (EEXIST:
 * another try), made as mkstemp would but by linking.
 */
static int name_unnamed(struct pgt_outfile *o, struct pgt_err *err)
{
	static const char chars[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	char proc[40], *x = o->tmp + strlen(o->tmp) - 6;
	unsigned long r = (unsigned long)getpid() * 2654435761ul;
	int tries, i;

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fileno(o->fp));
	for (tries = 0; tries < 100; tries++) {
		r = r * 6364136223846793005ul + 1442695040888963407ul +
		    (unsigned long)clock();
		for (i = 0; i < 6; i++)
			x[i] = chars[(r >> (8 * i + 3)) % (sizeof(chars) - 1)];
		if (!linkat(AT_FDCWD, proc, AT_FDCWD, o->tmp,
			    AT_SYMLINK_FOLLOW))
			return PGT_OK;
		if (errno != EEXIST)
			break;
	}
	return pgt_fail(err, PGT_ERR_IO, "%s: cannot name the complete file %s: %s",
			o->path, o->tmp, strerror(errno));
}

int pgt_outfile_close(struct pgt_outfile *o, bool ok, struct pgt_err *err)
{
	bool named = false;
	int rc = PGT_OK;

	if (!o->fp)
		return PGT_OK;
	errno = 0;
	if (ok && (fflush(o->fp) || ferror(o->fp) || sync_failed(o)))
		rc = write_error(o, err);
	if (ok && !rc && o->unnamed) {
		rc = name_unnamed(o, err);
		named = !rc;
	}
	if (o->fp != stdout && fclose(o->fp) && ok && !rc)
		rc = write_error(o, err);
	o->fp = NULL;
	if (o->tmp && (!o->unnamed || named)) {
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

int pgt_outfile_not_input(const char *path, const char *in,
			  struct pgt_err *err)
{
	struct stat so, si;

	if (!strcmp(path, "-") || !strcmp(in, "-"))
		return 0;
	if (stat(path, &so) || stat(in, &si))
		return 0;	/* no output yet; an input error is said later */
	if (so.st_dev != si.st_dev || so.st_ino != si.st_ino)
		return 0;
	return pgt_fail(err, PGT_ERR_USAGE,
			"%s is the input %s: writing it would destroy the input; expected another output file",
			path, in);
}
