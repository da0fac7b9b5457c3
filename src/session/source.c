/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What a file is, by content (source.h).  Only a positive recognition
 * counts: a file that is recognised as nothing is left to the reader of
 * the kind the command expects, whose message names the line or offset
 * that is wrong.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "source.h"
#include "../dump/dump.h"
#include "../trace/trace.h"

#define HEAD_BYTES 4096

/* Files people pass by mistake, by their leading bytes. */
static const struct magic {
	const char *bytes;
	size_t len;
	const char *what, *hint;
} magics[] = {
	{ "\x1f\x8b", 2, "a gzip-compressed file", "decompress it first (gunzip -k)" },
	{ "\xfd" "7zXZ\0", 6, "an xz-compressed file", "decompress it first (unxz -k)" },
	{ "\x28\xb5\x2f\xfd", 4, "a zstd-compressed file", "decompress it first (unzstd)" },
	{ "BZh", 3, "a bzip2-compressed file", "decompress it first (bunzip2 -k)" },
	{ "\x04\x22\x4d\x18", 4, "an lz4-compressed file", "decompress it first (unlz4)" },
	{ "PK\x03\x04", 4, "a zip archive", "extract the file from it first" },
	{ "\x89PNG\r\n\x1a\n", 8, "a PNG image", NULL },
	{ "\xff\xd8\xff", 3, "a JPEG image", NULL },
	{ "%PDF-", 5, "a PDF document", NULL },
	{ "DISKDUMP", 8, "a diskdump-format dump (not supported)", NULL },
};

static const char *dump_what(int fmt)
{
	switch (fmt) {
	case PGT_DUMP_ELF:
		return "an ELF memory dump";
	case PGT_DUMP_KDUMP:
		return "a kdump-compressed memory dump";
	default:
		return "a flattened kdump-compressed memory dump";
	}
}

/* the first line that is neither blank nor a comment, or NULL */
static const char *first_line(const unsigned char *b, size_t n, size_t *len)
{
	size_t i = 0;

	while (i < n) {
		size_t end = i;

		while (end < n && b[end] != '\n')
			end++;
		while (i < end && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r'))
			i++;
		if (i < end && b[i] != '#') {
			*len = end - i;
			return (const char *)b + i;
		}
		i = end + 1;
	}
	return NULL;
}

/* "[PID ]name(..." as strace -f writes every line */
static bool strace_line(const char *s, size_t len)
{
	size_t i = 0, name;

	while (i < len && isdigit((unsigned char)s[i]))
		i++;
	if (i && (i == len || (s[i] != ' ' && s[i] != '\t')))
		return false;
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	name = i;
	while (i < len && (isalnum((unsigned char)s[i]) || s[i] == '_'))
		i++;
	return i > name && i < len && s[i] == '(' && memchr(s + i, '=', len - i);
}

static bool is_text(const unsigned char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!b[i] || (b[i] < 0x20 && !isspace(b[i])))
			return false;
	return true;
}

void pgt_source_identify(const unsigned char *b, size_t n,
			 struct pgt_source_id *id)
{
	const char *line;
	size_t i, len;
	int fmt;

	memset(id, 0, sizeof(*id));
	if ((fmt = pgt_dump_sniff(b, n)) >= 0) {
		*id = (struct pgt_source_id){ PGT_SOURCE_DUMP, dump_what(fmt),
					      "pgtctl dump", NULL };
		return;
	}
	if (n >= 3 && b[0] == PGT_CBOR_FIRST_BYTE && b[1] == 0xd9 &&
	    b[2] == 0xf7) {
		*id = (struct pgt_source_id){ PGT_SOURCE_TRACE, "a CBOR trace",
					      "pgtctl replay", NULL };
		return;
	}
	for (i = 0; i < sizeof(magics) / sizeof(magics[0]); i++)
		if (n >= magics[i].len &&
		    !memcmp(b, magics[i].bytes, magics[i].len)) {
			*id = (struct pgt_source_id){ PGT_SOURCE_OTHER,
						      magics[i].what, NULL,
						      magics[i].hint };
			return;
		}
	if (!is_text(b, n) || !(line = first_line(b, n, &len)))
		return;
	if (len >= 12 && !memcmp(line, "pgtctl-trace", 12))
		*id = (struct pgt_source_id){ PGT_SOURCE_TRACE, "a text trace",
					      "pgtctl replay", NULL };
	else if (strace_line(line, len))
		*id = (struct pgt_source_id){ PGT_SOURCE_STRACE,
					      "an strace log",
					      "pgtctl import strace", NULL };
}

int pgt_source_identify_path(const char *path, struct pgt_source_id *id,
			     struct pgt_err *err)
{
	unsigned char head[HEAD_BYTES];
	struct stat st;
	ssize_t n;
	int fd;

	memset(id, 0, sizeof(*id));
	/* a FIFO or a device is read by the command itself, once: not even
	 * opened here (opening a FIFO would take its writer's data away) */
	if (stat(path, &st))
		return pgt_fail(err, PGT_ERR_IO, "%s: %s", path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return PGT_OK;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return pgt_fail(err, PGT_ERR_IO, "%s: %s", path, strerror(errno));
	n = pread(fd, head, sizeof(head), 0);
	close(fd);
	if (n < 0)
		return pgt_fail(err, PGT_ERR_IO, "%s: %s", path, strerror(errno));
	pgt_source_identify(head, (size_t)n, id);
	return PGT_OK;
}

static int spool_fail(int fd, const char *what, struct pgt_err *err)
{
	int rc = pgt_fail(err, PGT_ERR_IO,
			  "<stdin>: %s while copying standard input to a temporary file (set TMPDIR to a directory with room): %s",
			  what, strerror(errno ? errno : EIO));

	if (fd >= 0)
		close(fd);
	return rc;
}

int pgt_source_spool_stdin(int *fd, uint64_t *bytes, bool *copied,
			   struct pgt_err *err)
{
	const char *dir = getenv("TMPDIR");
	static unsigned char buf[1 << 16];
	char path[4096];
	struct stat st;
	ssize_t n;
	int out;

	*copied = false;
	if (!fstat(0, &st) && S_ISREG(st.st_mode)) {
		*fd = fcntl(0, F_DUPFD_CLOEXEC, 3);
		*bytes = (uint64_t)st.st_size;
		return *fd < 0 ? spool_fail(-1, "dup", err) : PGT_OK;
	}
	if (!dir || !*dir)
		dir = "/tmp";
	snprintf(path, sizeof(path), "%s/pgtctl-stdin.XXXXXX", dir);
	out = mkstemp(path);
	if (out < 0)
		return spool_fail(-1, "cannot create the file", err);
	unlink(path);	/* gone when closed, whatever happens */
	*bytes = 0;
	for (;;) {
		n = read(0, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return spool_fail(out, "read error", err);
		if (!n)
			break;
		for (ssize_t w = 0, k; w < n; w += k) {
			k = write(out, buf + w, (size_t)(n - w));
			if (k < 0 && errno == EINTR)
				k = 0;
			else if (k <= 0)
				return spool_fail(out, "write error", err);
		}
		*bytes += (uint64_t)n;
	}
	if (lseek(out, 0, SEEK_SET) < 0)
		return spool_fail(out, "seek", err);
	*fd = out;
	*copied = true;
	return PGT_OK;
}
