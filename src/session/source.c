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
#include <time.h>
#include <unistd.h>
#include "source.h"
#include "../lib/clock.h"
#include "../dump/dump.h"
#include "../trace/trace.h"
#include "../engine/engine.h"
#include "../walk/view.h"

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

const char *pgt_source_spool_dir(void)
{
	const char *dir = getenv("TMPDIR");

	return dir && *dir ? dir : "/tmp";
}

int pgt_source_spool_stdin(int *fd, uint64_t *bytes, bool *copied,
			   struct pgt_err *err)
{
	const char *dir = pgt_source_spool_dir();
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

bool pgt_source_is_dump(const char *path)
{
	struct pgt_err err = { 0 };
	struct pgt_source_id id;

	return !pgt_source_identify_path(path, &id, &err) &&
	       id.kind == PGT_SOURCE_DUMP;
}


/* ---- replayed states ---- */

static int engine_view_src(struct pgt_engine *e, int mm_id,
			   struct pgt_view_src *src, char *name, size_t len,
			   struct pgt_err *err)
{
	struct pgt_mm *mm = mm_id ? pgt_engine_mm(e, mm_id) : e->m.cur;

	if (!mm || mm->dead)
		return pgt_fail(err, PGT_ERR_USAGE,
				"mm %d %s; expected a live mm of the trace",
				mm_id ? mm_id : (mm ? mm->id : 0),
				mm ? "has exited" : "does not exist");
	snprintf(name, len, "mm %d", mm->id);
	src->arch = e->m.arch;
	src->mem = &e->m.mem.pm;
	src->root = e->m.rules->mm_root(e, mm);
	src->va_start = 0;
	src->va_end = e->m.arch->user_limit;
	src->name = name;
	return PGT_OK;
}

/*
 * The mm the walks show: --mm, else the current one.  When the current
 * mm has exited (the trace ends with an exit), the last live mm, with a
 * note saying so; with none alive the state is empty, and --until shows one
 * before the exits (p->src.arch NULL: nothing to walk).
 */
int pgt_engine_pick(struct pgt_engine_pick *p, struct pgt_engine *e, int mm_id,
		    struct pgt_err *err)
{
	size_t i;

	memset(p, 0, sizeof(*p));
	p->st.asked = mm_id;
	p->st.position = e->m.op_index;
	p->st.current = e->m.cur ? e->m.cur->id : 0;
	p->st.current_exited = e->m.cur && e->m.cur->dead;
	if (mm_id || (e->m.cur && !e->m.cur->dead)) {
		p->st.mm = mm_id ? mm_id : e->m.cur->id;
		return engine_view_src(e, mm_id, &p->src, p->name,
				       sizeof(p->name), err);
	}
	for (i = e->m.nmms; i-- > 0;)
		if (e->m.mms[i] && !e->m.mms[i]->dead)
			break;
	if (i == (size_t)-1) {
		snprintf(p->note, sizeof(p->note),
			 "every mm has exited after %lu operations: the state is empty; --until N shows the state after N operations",
			 e->m.op_index);
		p->st.note = p->note;
		return PGT_OK;
	}
	p->st.mm = e->m.mms[i]->id;
	snprintf(p->note, sizeof(p->note),
		 "the current mm %d has exited: showing mm %d, the last live mm (--mm N for another)",
		 p->st.current, p->st.mm);
	p->st.note = p->note;
	return engine_view_src(e, p->st.mm, &p->src, p->name, sizeof(p->name),
			       err);
}

/* ---- dumps ---- */

/* "-": a dump on a pipe (makedumpfile -F ... |) is read from a copy */
static int open_stdin_dump(struct pgt_dump_source *ds,
			   const struct pgt_dump_opts *dopts,
			   struct pgt_err *err)
{
	bool copied;
	int fd, rc = pgt_source_spool_stdin(&fd, &ds->spooled, &copied, err);

	if (rc)
		return rc;
	if (!copied)
		ds->spooled = 0;
	rc = pgt_dump_open_fd(&ds->d, fd, "<stdin>", dopts, err);
	close(fd);
	return rc;
}

/* arch, roots and the chosen root of the dump cd->d opened with rc */
static int finish_open(struct pgt_dump_source *cd,
		       const struct pgt_dump_source_opts *o, int rc, double t0,
		       struct pgt_err *err)
{
	if (!rc)
		rc = pgt_dump_detect_arch(cd->d, o->arch, &cd->arch,
					  cd->arch_how, sizeof(cd->arch_how),
					  err);
	if (!rc)
		rc = pgt_dump_find_roots(cd->d, cd->arch, &cd->roots, err);
	if (!rc && o->scan)
		rc = pgt_dump_scan_roots(cd->d, cd->arch, &cd->roots, err);
	if (!rc)
		rc = pgt_dump_pick_root(cd->d, cd->arch, &cd->roots, o->root,
					&cd->root, err);
	if (rc == PGT_ERR_INPUT && o->no_root_ok && !o->root && cd->d &&
	    cd->arch && !cd->roots.n) {
		pgt_err_clear(err);	/* --roots alone: "none found" */
		rc = PGT_OK;
	}
	cd->open_seconds = pgt_now() - t0;
	return rc;
}

int pgt_dump_source_open(struct pgt_dump_source *cd, const char *path,
			 const struct pgt_dump_source_opts *o,
			 struct pgt_err *err)
{
	struct pgt_dump_opts dopts = { o->arch, o->phys_base };
	double t0 = pgt_now();
	int rc;

	memset(cd, 0, sizeof(*cd));
	if (!strcmp(path, "-"))
		rc = open_stdin_dump(cd, &dopts, err);
	else
		rc = pgt_dump_open(&cd->d, path, &dopts, err);
	return finish_open(cd, o, rc, t0, err);
}

int pgt_dump_source_open_fd(struct pgt_dump_source *cd, int fd,
			    const char *name,
			    const struct pgt_dump_source_opts *o,
			    struct pgt_err *err)
{
	struct pgt_dump_opts dopts = { o->arch, o->phys_base };
	double t0 = pgt_now();

	memset(cd, 0, sizeof(*cd));
	return finish_open(cd, o, pgt_dump_open_fd(&cd->d, fd, name, &dopts,
						   err), t0, err);
}

int pgt_source_identify_fd(int fd, struct pgt_source_id *id,
			   struct pgt_err *err)
{
	unsigned char head[HEAD_BYTES];
	ssize_t n = pread(fd, head, sizeof(head), 0);

	memset(id, 0, sizeof(*id));
	if (n < 0)
		return pgt_fail(err, PGT_ERR_IO, "<stdin>: %s", strerror(errno));
	pgt_source_identify(head, (size_t)n, id);
	return PGT_OK;
}

void pgt_dump_source_view(struct pgt_dump_source *cd, struct pgt_view_src *src)
{
	memset(src, 0, sizeof(*src));
	src->arch = cd->arch;
	src->mem = &cd->d->pm;
	src->root = cd->root;
	src->name = cd->d->path;
	src->data_check = true;
}

void pgt_dump_source_close(struct pgt_dump_source *cd)
{
	pgt_dump_roots_free(&cd->roots);
	pgt_dump_close(cd->d);
	cd->d = NULL;
}

void pgt_dump_source_roots(struct pgt_sink *s, const struct pgt_dump_source *ds)
{
	const struct pgt_dump_roots *r = &ds->roots;
	struct pgt_rec rec = { .kind = PGT_REC_ROOT };
	char desc[160];
	size_t i;

	pgt_sink_begin(s, PGT_VIEW_ROOTS, ds->arch);
	for (i = 0; i < r->n; i++) {
		const struct pgt_dump_root *x = &r->v[i];

		ds->arch->root_describe(x->value, desc, sizeof(desc));
		rec.u.root.name = x->name;
		rec.u.root.value = x->value;
		rec.u.root.kind = x->kernel ? "kernel" : x->user ? "user" : "-";
		rec.u.root.selected = x->value == ds->root;
		rec.u.root.decoded = desc;
		rec.u.root.source = x->source;
		rec.u.root.score = x->score;
		rec.u.root.evidence = x->evidence;
		pgt_sink_rec(s, &rec);
	}
	pgt_sink_end(s, PGT_VIEW_ROOTS);
}
