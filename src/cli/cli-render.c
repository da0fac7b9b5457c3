/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The renderer of a command's views, and which formats fit which views. */
#include "commands.h"

int cli_check_format(const char *cmd, enum pgt_format fmt,
		     const enum pgt_view *views, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (pgt_render_can(fmt, views[i]))
			continue;
		if (fmt == PGT_FMT_DOT)
			return cli_usage_error(cmd, "--format dot draws page-table trees only (--tree of replay, dump and shell; diff), not the %s view",
					       pgt_view_name(views[i]));
		return cli_usage_error(cmd, "--format %s: the %s view has no table form; use --format text or json",
				       pgt_format_name(fmt),
				       pgt_view_name(views[i]));
	}
	return 0;
}

struct pgt_render *cli_render(const char *cmd, enum pgt_format fmt)
{
	struct pgt_render *r = pgt_render_new(fmt, stdout, cmd);

	if (!r)
		cli_error(cmd, "out of memory");
	return r;
}
