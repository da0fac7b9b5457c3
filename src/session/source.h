/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Sources: what a file is, told by its content (never by its name), so
 * that a command given the wrong kind of file can say what the file is and
 * which command reads it; a dump opened with its arch and roots (also from
 * a pipe); the mm of a replayed state to show.  Each gives the views a
 * struct pgt_view_src whose name it owns.
 */
#ifndef PGT_SOURCE_H
#define PGT_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "../lib/status.h"
#include "../dump/dump.h"
#include "../walk/view.h"

struct pgt_engine;

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
/* where pgt_source_spool_stdin copies to: $TMPDIR, else /tmp */
const char *pgt_source_spool_dir(void);
int pgt_source_spool_stdin(int *fd, uint64_t *bytes, bool *copied,
			   struct pgt_err *err);

/* Is this file a memory dump, by content (a FIFO is never opened)? */
bool pgt_source_is_dump(const char *path);

/*
 * The mm the views of a replayed state show, and what to say about it:
 * mm_id, else the current mm, else (it has exited) the last live one;
 * with none alive src.arch is NULL and the state is empty.  st.note is
 * set when the mm shown is not simply the current one.
 */
struct pgt_engine_pick {
	struct pgt_view_src src;
	struct pgt_rec_state st;
	char note[200];
	char name[24];		/* src.name: "mm N" */
};
int pgt_engine_pick(struct pgt_engine_pick *p, struct pgt_engine *e,
		    int mm_id, struct pgt_err *err);

/* A dump opened for the views: its arch, its roots and the chosen one. */
struct pgt_dump_source {
	struct pgt_dump *d;
	const struct pgt_arch *arch;
	char arch_how[200];
	struct pgt_dump_roots roots;
	uint64_t root;
	double open_seconds;
	uint64_t spooled;	/* bytes of standard input copied ("-"), 0: none */
};

struct pgt_dump_source_opts {
	const char *arch;		/* --arch */
	uint64_t phys_base;		/* --phys-base */
	const char *root;		/* --root (NULL: the default) */
	bool scan;			/* --scan-roots */
	bool no_root_ok;		/* only listing roots: none is fine */
};

/* path ("-": standard input, copied to $TMPDIR when it is a pipe) */
int pgt_dump_source_open(struct pgt_dump_source *ds, const char *path,
			 const struct pgt_dump_source_opts *o,
			 struct pgt_err *err);
/* the same from an open file (a copy of standard input: the caller
 * closes fd), named name in messages */
int pgt_dump_source_open_fd(struct pgt_dump_source *ds, int fd,
			    const char *name,
			    const struct pgt_dump_source_opts *o,
			    struct pgt_err *err);
/* what the file open as fd is, by its first bytes (pread: the offset
 * does not move) */
int pgt_source_identify_fd(int fd, struct pgt_source_id *id,
			   struct pgt_err *err);
void pgt_dump_source_view(struct pgt_dump_source *ds,
			  struct pgt_view_src *src);
void pgt_dump_source_close(struct pgt_dump_source *ds);
/* the roots view: every root found, the chosen one marked */
void pgt_dump_source_roots(struct pgt_sink *s, const struct pgt_dump_source *ds);

#endif
