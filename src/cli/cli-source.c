/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Where the views read from: an mm of a replayed engine, or a dump. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "cli-source.h"

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


/* ---- dumps ---- */

double cli_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

bool cli_is_dump(const char *path)
{
	unsigned char b[12];
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f)
		return false;
	n = fread(b, 1, sizeof(b), f);
	fclose(f);
	return pgt_dump_sniff(b, n) >= 0;
}

int cli_dump_open(struct cli_dump *cd, const char *path,
		  const struct cli_dump_opts *o, struct pgt_err *err)
{
	struct pgt_dump_opts dopts = { o->arch, o->phys_base };
	double t0 = cli_now();
	int rc;

	memset(cd, 0, sizeof(*cd));
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
