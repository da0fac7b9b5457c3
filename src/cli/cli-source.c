/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Where the views read from: an mm of a replayed engine, or a dump. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>
#include "cli-source.h"
#include "commands.h"

/* ---- dumps ---- */

/* PGTCTL_INFLATER: what inflates kdump zlib pages (libdeflate or zlib;
 * unset or anything else: the fastest built) */
enum pgt_inflater cli_inflater(void)
{
	const char *v = getenv("PGTCTL_INFLATER");

	if (v && !strcmp(v, "zlib"))
		return PGT_INFLATER_ZLIB;
	if (v && !strcmp(v, "libdeflate"))
		return PGT_INFLATER_LIBDEFLATE;
	return PGT_INFLATER_AUTO;
}

/* the library's dump source, and the copy of standard input said */
int cli_dump_open(struct pgt_dump_source *cd, const char *path,
		  const struct pgt_dump_source_opts *o, struct pgt_err *err)
{
	return cli_dump_open_set(cd, &path, 1, o, err);
}

int cli_dump_open_set(struct pgt_dump_source *cd, const char *const *paths,
		      size_t n, const struct pgt_dump_source_opts *o,
		      struct pgt_err *err)
{
	struct pgt_dump_source_opts oi = *o;
	int rc;

	if (oi.inflater == PGT_INFLATER_AUTO)
		oi.inflater = cli_inflater();
	rc = pgt_dump_source_open_set(cd, paths, n, &oi, err);

	if (cd->spooled)
		fprintf(stderr, "pgtctl: dump: standard input (%llu bytes) copied to an unlinked temporary file in %s: a dump is read at random offsets\n",
			(unsigned long long)cd->spooled,
			pgt_source_spool_dir());
	return rc;
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
