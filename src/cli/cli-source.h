/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The CLI's side of sources (the library's: src/session/source.h). */
#ifndef PGT_CLI_SOURCE_H
#define PGT_CLI_SOURCE_H

#include "../lib/clock.h"
#include "../session/source.h"

/* pgt_dump_source_open, saying on stderr when standard input was copied */
int cli_dump_open(struct pgt_dump_source *cd, const char *path,
		  const struct pgt_dump_source_opts *o, struct pgt_err *err);
/* the files of a split kdump set (n == 1: cli_dump_open) */
int cli_dump_open_set(struct pgt_dump_source *cd, const char *const *paths,
		      size_t n, const struct pgt_dump_source_opts *o,
		      struct pgt_err *err);
/* PGTCTL_INFLATER=zlib|libdeflate: what inflates kdump zlib pages */
enum pgt_inflater cli_inflater(void);

struct cli_args;
/* the source operand is a kind of file the command reads, else exit 2
 * with what it is and which command reads it */
int cli_check_kind(const struct cli_args *a);

#endif
