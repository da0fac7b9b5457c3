/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Opening a dump: the format is told by content (ELF magic, the kdump
 * signatures), never by the file name; a raw image is only taken when the
 * user names its arch.  The containers fill struct pgt_dump; this file owns
 * the fields they share.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "dump.h"

static const char *const format_names[] = {
	[PGT_DUMP_ELF] = "ELF vmcore",
	[PGT_DUMP_KDUMP] = "kdump-compressed (standard layout)",
	[PGT_DUMP_KDUMP_FLAT] = "kdump-compressed (flattened layout)",
	[PGT_DUMP_RAW] = "raw image",
	[PGT_DUMP_KDUMP_SPLIT] = "kdump-compressed (split set, makedumpfile --split)",
};

const char *pgt_dump_format_name(enum pgt_dump_format f)
{
	return f <= PGT_DUMP_KDUMP_SPLIT ? format_names[f] : "?";
}

static enum pgt_inflater inflater_of(const struct pgt_dump_opts *o)
{
	return o ? o->inflater : PGT_INFLATER_AUTO;
}

int pgt_dump_sniff(const unsigned char *b, size_t n)
{
	if (n >= 4 && !memcmp(b, "\177ELF", 4))
		return PGT_DUMP_ELF;
	if (n >= 8 && !memcmp(b, "KDUMP   ", 8))
		return PGT_DUMP_KDUMP;
	if (n >= 12 && !memcmp(b, "makedumpfile", 12))
		return PGT_DUMP_KDUMP_FLAT;
	return -1;
}

static int unknown_format(const char *path, const unsigned char *b, size_t n,
			  struct pgt_err *err)
{
	if (n >= 6 && !memcmp(b, "DISKDUMP", n < 8 ? n : 8))
		return pgt_fail(err, PGT_ERR_UNSUPPORTED,
				"%s: offset 0x0: a diskdump-format dump (signature DISKDUMP) is not supported; expected an ELF vmcore or a makedumpfile kdump",
				path);
	if (n >= 2 && b[0] == 0x1f && b[1] == 0x8b)
		return pgt_fail(err, PGT_ERR_INPUT,
				"%s: offset 0x0: a gzip file; decompress it first (gunzip -k); expected an ELF vmcore, a kdump-compressed file or --arch for a raw image",
				path);
	return pgt_fail(err, PGT_ERR_INPUT,
			"%s: offset 0x0: %s; expected an ELF vmcore (\\177ELF), a kdump-compressed file (KDUMP or makedumpfile signature), or --arch ARCH for a raw image",
			path, n ? "not a memory dump" : "empty file");
}

static int open_container(struct pgt_dump *d, int fd,
			  const struct pgt_dump_opts *o, struct pgt_err *err)
{
	unsigned char head[16];
	ssize_t n = pread(fd, head, sizeof(head), 0);
	int fmt;

	if (n < 0)
		return pgt_fail(err, PGT_ERR_IO, "%s: %s", d->path,
				strerror(errno));
	fmt = pgt_dump_sniff(head, (size_t)n);
	if (fmt < 0 && o && o->arch) {
		d->format = PGT_DUMP_RAW;
		return pgt_dump_open_raw(d, fd, o->phys_base, err);
	}
	if (fmt < 0)
		return unknown_format(d->path, head, (size_t)n, err);
	d->format = (enum pgt_dump_format)fmt;
	if (fmt == PGT_DUMP_ELF)
		return pgt_dump_open_elf(d, fd, err);
	return pgt_dump_open_kdump_parts(d, &(struct pgt_kdump_part){
		fd, d->path, fmt == PGT_DUMP_KDUMP_FLAT }, 1, inflater_of(o),
		err);
}

static int not_seekable(const char *name, struct pgt_err *err)
{
	return pgt_fail(err, PGT_ERR_INPUT,
			"%s: a pipe or character device; a dump is read at random offsets: save it to a file first, or give it as '-' (standard input is then copied to $TMPDIR)",
			name);
}

int pgt_dump_open(struct pgt_dump **dp, const char *path,
		  const struct pgt_dump_opts *o, struct pgt_err *err)
{
	struct stat st;
	int fd, rc;

	*dp = NULL;
	/* refused before opening: opening a FIFO waits for a writer */
	if (!stat(path, &st) && !S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode) &&
	    !S_ISDIR(st.st_mode))
		return not_seekable(path, err);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return pgt_fail(err, PGT_ERR_IO, "%s: %s", path,
				strerror(errno));
	rc = pgt_dump_open_fd(dp, fd, path, o, err);
	close(fd);
	return rc;
}

int pgt_dump_open_fd(struct pgt_dump **dp, int fd, const char *name,
		     const struct pgt_dump_opts *o, struct pgt_err *err)
{
	struct pgt_dump *d;
	struct stat st;
	int rc;

	*dp = NULL;
	if (fstat(fd, &st))
		return pgt_fail(err, PGT_ERR_IO, "%s: %s", name,
				strerror(errno));
	if (S_ISDIR(st.st_mode))
		return pgt_fail(err, PGT_ERR_IO,
				"%s: is a directory; expected a dump file", name);
	/* every container reads at offsets (a flattened kdump's records
	 * too, through its index): a pipe must be spooled first */
	if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode))
		return not_seekable(name, err);
	d = calloc(1, sizeof(*d));
	if (!d || !(d->path = strdup(name))) {
		free(d);
		return pgt_fail(err, PGT_ERR_NOMEM, "out of memory");
	}
	rc = open_container(d, fd, o, err);
	if (rc) {
		d->close = NULL;	/* the container released its own state */
		pgt_dump_close(d);
		return rc;
	}
	*dp = d;
	return PGT_OK;
}

/* One file of a split set: a kdump file we can read at offsets. */
static int open_part(const char *path, struct pgt_kdump_part *p,
		     struct pgt_err *err)
{
	unsigned char head[16];
	struct stat st;
	ssize_t n;
	int fmt;

	if (!stat(path, &st) && !S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode))
		return S_ISDIR(st.st_mode) ?
		       pgt_fail(err, PGT_ERR_IO,
				"%s: is a directory; expected a dump file",
				path) :
		       not_seekable(path, err);
	p->name = path;
	p->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (p->fd < 0)
		return pgt_fail(err, PGT_ERR_IO, "%s: %s", path,
				strerror(errno));
	n = pread(p->fd, head, sizeof(head), 0);
	if (n < 0)
		return pgt_fail(err, PGT_ERR_IO, "%s: %s", path,
				strerror(errno));
	fmt = pgt_dump_sniff(head, (size_t)n);
	if (fmt != PGT_DUMP_KDUMP && fmt != PGT_DUMP_KDUMP_FLAT)
		return pgt_fail(err, PGT_ERR_INPUT,
				"%s: offset 0x0: %s: only kdump-compressed files come in split sets; expected a file of a makedumpfile --split set (signature KDUMP), or one dump alone",
				path, fmt == PGT_DUMP_ELF ? "an ELF vmcore" :
				n ? "not a kdump-compressed file" : "empty file");
	p->flattened = fmt == PGT_DUMP_KDUMP_FLAT;
	return PGT_OK;
}

int pgt_dump_open_set(struct pgt_dump **dp, const char *const *paths,
		      size_t n, const struct pgt_dump_opts *o,
		      struct pgt_err *err)
{
	struct pgt_kdump_part *p;
	struct pgt_dump *d;
	size_t i, opened = 0;
	int rc = PGT_OK;

	*dp = NULL;
	if (n == 1)
		return pgt_dump_open(dp, paths[0], o, err);
	p = calloc(n, sizeof(*p));
	d = calloc(1, sizeof(*d));
	if (!p || !d || !(d->path = strdup(paths[0]))) {
		free(p);
		free(d);
		return pgt_fail(err, PGT_ERR_NOMEM, "out of memory");
	}
	for (i = 0; i < n; i++)
		p[i].fd = -1;
	for (i = 0; !rc && i < n; i++, opened++)
		rc = open_part(paths[i], &p[i], err);
	if (!rc) {
		d->format = PGT_DUMP_KDUMP_SPLIT;
		rc = pgt_dump_open_kdump_parts(d, p, n, inflater_of(o), err);
		if (rc)
			d->close = NULL;
	}
	for (i = 0; i < opened; i++)
		if (p[i].fd >= 0)
			close(p[i].fd);
	free(p);
	if (rc) {
		pgt_dump_close(d);
		return rc;
	}
	*dp = d;
	return PGT_OK;
}

void pgt_dump_clear_shared(struct pgt_dump *d)
{
	free(d->notes);
	free(d->vmcoreinfo);
	free(d->cpu);
	free(d->ranges);
	d->notes = NULL;
	d->notes_len = 0;
	d->vmcoreinfo = NULL;
	d->vmcoreinfo_len = 0;
	d->cpu = NULL;
	d->ncpus = 0;
	d->ranges = NULL;
	d->nranges = 0;
	memset(&d->ns, 0, sizeof(d->ns));
}

void pgt_dump_close(struct pgt_dump *d)
{
	if (!d)
		return;
	if (d->close)
		d->close(d);
	pgt_dump_clear_shared(d);
	free(d->path);
	free(d);
}
