/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Where the views read from: an mm of a replayed engine, or a dump. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>
#include "cli-source.h"
#include "commands.h"
#include "../session/source.h"

static char name_buf[32];

int cli_engine_source(struct pgt_engine *e, int mm_id,
		      struct pgt_view_src *src, struct pgt_err *err)
{
	struct pgt_mm *mm = mm_id ? pgt_engine_mm(e, mm_id) : e->cur;

	if (!mm || mm->dead)
		return pgt_fail(err, PGT_ERR_USAGE,
				"mm %d %s; expected a live mm of the trace",
				mm_id ? mm_id : (mm ? mm->id : 0),
				mm ? "has exited" : "does not exist");
	snprintf(name_buf, sizeof(name_buf), "mm %d", mm->id);
	src->arch = e->arch;
	src->mem = &e->mem.pm;
	src->root = e->rules->mm_root(e, mm);
	src->va_start = 0;
	src->va_end = e->arch->user_limit;
	src->name = name_buf;
	return PGT_OK;
}

/*
 * The mm the walks show: --mm, else the current one.  When the current
 * mm has exited (the trace ends with an exit), the last live mm, said
 * on stderr; with none alive the state is empty, and --until shows one
 * before the exits (p->src.arch NULL: nothing to walk).
 */
int cli_engine_pick(struct cli_engine_pick *p, struct pgt_engine *e, int mm_id,
		    struct pgt_err *err)
{
	size_t i;

	memset(p, 0, sizeof(*p));
	p->st.asked = mm_id;
	p->st.position = e->op_index;
	p->st.current = e->cur ? e->cur->id : 0;
	p->st.current_exited = e->cur && e->cur->dead;
	if (mm_id || (e->cur && !e->cur->dead)) {
		p->st.mm = mm_id ? mm_id : e->cur->id;
		return cli_engine_source(e, mm_id, &p->src, err);
	}
	for (i = e->nmms; i-- > 0;)
		if (e->mms[i] && !e->mms[i]->dead)
			break;
	if (i == (size_t)-1) {
		snprintf(p->note, sizeof(p->note),
			 "every mm has exited after %lu operations: the state is empty; --until N shows the state after N operations",
			 e->op_index);
		p->st.note = p->note;
		return PGT_OK;
	}
	p->st.mm = e->mms[i]->id;
	snprintf(p->note, sizeof(p->note),
		 "the current mm %d has exited: showing mm %d, the last live mm (--mm N for another)",
		 p->st.current, p->st.mm);
	p->st.note = p->note;
	return cli_engine_source(e, p->st.mm, &p->src, err);
}

/* ---- dumps ---- */

double cli_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

bool cli_is_dump(const char *path)
{
	struct pgt_err err = { 0 };
	struct pgt_source_id id;

	return !pgt_source_identify_path(path, &id, &err) &&
	       id.kind == PGT_SOURCE_DUMP;
}

/* "-": a dump on a pipe (makedumpfile -F ... |) is read from a copy */
static int open_stdin_dump(struct pgt_dump **d,
			   const struct pgt_dump_opts *dopts,
			   struct pgt_err *err)
{
	const char *tmp = getenv("TMPDIR");
	uint64_t bytes;
	bool copied;
	int fd, rc = pgt_source_spool_stdin(&fd, &bytes, &copied, err);

	if (rc)
		return rc;
	if (copied)
		fprintf(stderr, "pgtctl: dump: standard input (%llu bytes) copied to an unlinked temporary file in %s: a dump is read at random offsets\n",
			(unsigned long long)bytes, tmp && *tmp ? tmp : "/tmp");
	rc = pgt_dump_open_fd(d, fd, "<stdin>", dopts, err);
	close(fd);
	return rc;
}

int cli_dump_open(struct cli_dump *cd, const char *path,
		  const struct cli_dump_opts *o, struct pgt_err *err)
{
	struct pgt_dump_opts dopts = { o->arch, o->phys_base };
	double t0 = cli_now();
	int rc;

	memset(cd, 0, sizeof(*cd));
	if (!strcmp(path, "-"))
		rc = open_stdin_dump(&cd->d, &dopts, err);
	else
		rc = pgt_dump_open(&cd->d, path, &dopts, err);
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
	cd->open_seconds = cli_now() - t0;
	return rc;
}

void cli_dump_view_src(struct cli_dump *cd, struct pgt_view_src *src)
{
	memset(src, 0, sizeof(*src));
	src->arch = cd->arch;
	src->mem = &cd->d->pm;
	src->root = cd->root;
	src->name = cd->d->path;
	src->data_check = true;
}

void cli_dump_close(struct cli_dump *cd)
{
	pgt_dump_roots_free(&cd->roots);
	pgt_dump_close(cd->d);
	cd->d = NULL;
}

/* ---- the kind of file given ---- */

static bool arch_given(const struct cli_args *a)
{
	const struct cli_opt *o;

	for (o = a->cmd->opts; o && o->name; o++)
		if (!strcmp(o->name, "arch"))
			return a->seen[o - a->cmd->opts];
	return false;
}

/*
 * The source operand is a kind of file the command reads, or one line
 * saying what the file is and which command reads it (exit 2).  A file
 * recognised as nothing is left to the command's reader, whose message
 * names the position that is wrong; with --arch any bytes are a raw image.
 */
int cli_check_kind(const struct cli_args *a)
{
	const struct pgt_cmd *cmd = a->cmd;
	unsigned takes = cmd->sources;
	struct pgt_err err = { 0 };
	struct pgt_source_id id;
	const char *path;

	if (!takes || a->argc < 1 || !strcmp(a->argv[0], "-"))
		return 0;
	if ((takes & CLI_SRC_RAW) && arch_given(a))
		return 0;
	path = a->argv[0];
	if (pgt_source_identify_path(path, &id, &err))
		return 0;	/* the command says why it cannot open it */
	if (id.kind == PGT_SOURCE_UNKNOWN ||
	    (id.kind == PGT_SOURCE_TRACE && (takes & CLI_SRC_TRACE)) ||
	    (id.kind == PGT_SOURCE_DUMP && (takes & CLI_SRC_DUMP)))
		return 0;
	if (id.use)
		cli_error(cmd->name, "%s is %s: use %s", path, id.what, id.use);
	else if (id.hint)
		cli_error(cmd->name, "%s is %s: %s", path, id.what, id.hint);
	else
		cli_error(cmd->name, "%s is %s: neither a trace nor a memory dump",
			  path, id.what);
	return EXIT_USAGE;
}
