/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * pgtctl: find the command in the table, parse its options from the
 * table, run it; check stdout on the way out.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "cli-source.h"
#include "commands.h"

static int close_stdout(const char *cmd, int rc)
{
	int bad = ferror(stdout);

	if (fclose(stdout) || bad) {
		cli_error(cmd, "writing output failed: %s",
			  strerror(errno ? errno : EIO));
		return rc ? rc : EXIT_USAGE;
	}
	return rc;
}

int main(int argc, char **argv)
{
	const struct pgt_cmd *cmd;
	struct cli_args a;
	int rc;

	if (argc < 2)
		return cli_usage_error(NULL, "missing command");
	/* the global options are those of "help" and "version" */
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))
		cmd = &pgt_cmd_help;
	else if (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version"))
		cmd = &pgt_cmd_version;
	else if (argv[1][0] == '-')
		return cli_usage_error(NULL, "unknown option '%s'", argv[1]);
	else if (!(cmd = cli_find_cmd(argv[1])))
		return cli_usage_error(NULL, "unknown command '%s'", argv[1]);
	rc = cli_parse(cmd, argc - 1, argv + 1, &a);
	if (!rc)
		rc = cli_check_kind(&a);
	if (!rc)
		rc = cmd->exec(&a);
	return close_stdout(cmd->name, rc == CLI_DONE ? 0 : rc);
}
