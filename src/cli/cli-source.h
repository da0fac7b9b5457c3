/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef PGT_CLI_SOURCE_H
#define PGT_CLI_SOURCE_H

#include "../engine/engine.h"
#include "../walk/view.h"

/* the view source for an mm of a replayed engine (0: the current mm) */
int cli_engine_source(struct pgt_engine *e, int mm_id,
		      struct pgt_view_src *src, struct pgt_err *err);

#endif
