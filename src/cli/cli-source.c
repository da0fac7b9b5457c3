/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Where the views of a replay read from: an mm of the engine. */
#include <stdio.h>
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
	src->root = e->arch->mm_root(e, mm);
	src->va_start = 0;
	src->va_end = e->arch->user_limit;
	src->name = name_buf;
	return PGT_OK;
}

