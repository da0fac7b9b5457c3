/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef PGT_OUTFILE_H
#define PGT_OUTFILE_H

#include <stdio.h>
#include "../lib/status.h"

struct cli_output {
	const char *path;	/* OUT as given; "-" is stdout */
	const char *name;	/* as shown in messages ("<stdout>" for -) */
	char *tmp;		/* the temporary file; NULL for stdout */
	FILE *fp;
};

/* open OUT's temporary file (or take stdout for "-") */
int cli_output_open(struct cli_output *o, struct pgt_err *err);
/* ok: flush, sync and rename over OUT; !ok: remove the temporary file */
int cli_output_close(struct cli_output *o, int ok, struct pgt_err *err);

#endif
