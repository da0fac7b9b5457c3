/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef PGT_CLI_SOURCE_H
#define PGT_CLI_SOURCE_H

#include "../dump/dump.h"
#include "../engine/engine.h"
#include "../walk/view.h"

/* the view source for an mm of a replayed engine (0: the current mm) */
int cli_engine_source(struct pgt_engine *e, int mm_id,
		      struct pgt_view_src *src, struct pgt_err *err);

/* The mm the views of a replayed state show, and what to say about it:
 * --mm, else the current mm, else (it has exited) the last live one;
 * with none alive src.arch is NULL and the state is empty.  st.note is
 * set when the mm shown is not simply the current one. */
struct cli_engine_pick {
	struct pgt_view_src src;
	struct pgt_rec_state st;
	char note[200];
};
int cli_engine_pick(struct cli_engine_pick *p, struct pgt_engine *e,
		    int mm_id, struct pgt_err *err);

/* A dump opened for the views: its arch, its roots and the chosen one. */
struct cli_dump {
	struct pgt_dump *d;
	const struct pgt_arch *arch;
	char arch_how[200];
	struct pgt_dump_roots roots;
	uint64_t root;
	double open_seconds;
};

struct cli_dump_opts {
	const char *arch;		/* --arch */
	uint64_t phys_base;		/* --phys-base */
	const char *root;		/* --root (NULL: the default) */
	bool scan;			/* --scan-roots */
	bool no_root_ok;		/* only listing roots: none is fine */
};

/* Is this file a memory dump (by content), rather than a trace? */
bool cli_is_dump(const char *path);
int cli_dump_open(struct cli_dump *cd, const char *path,
		  const struct cli_dump_opts *o, struct pgt_err *err);
void cli_dump_view_src(struct cli_dump *cd, struct pgt_view_src *src);
void cli_dump_close(struct cli_dump *cd);
double cli_now(void);

struct cli_args;
/* the source operand is a kind of file the command reads, else exit 2
 * with what it is and which command reads it */
int cli_check_kind(const struct cli_args *a);

#endif
