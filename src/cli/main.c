/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pgtctl: dispatch a command from the table; check stdout on the way out. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "commands.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "0"
#endif

static const struct pgt_cmd *find(const char *name)
{
	const struct pgt_cmd *const *c, *hit = NULL;
	size_t n = strlen(name), hits = 0;

	for (c = cli_commands(); *c; c++) {
		if (!strcmp((*c)->name, name))
			return *c;
		if (!strncmp((*c)->name, name, n)) {
			hit = *c;
			hits++;
		}
	}
	return hits == 1 ? hit : NULL;
}

static int close_stdout(int rc)
{
	int bad = ferror(stdout);

	if (fclose(stdout) || bad) {
		fprintf(stderr, "pgtctl: writing output failed: %s\n",
			strerror(errno ? errno : EIO));
		return rc ? rc : EXIT_USAGE;
	}
	return rc;
}

int main(int argc, char **argv)
{
	const struct pgt_cmd *cmd;

	if (argc < 2)
		return cli_usage_error(NULL, "missing command");
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "help")) {
		cli_print_help(stdout);
		return close_stdout(0);
	}
	if (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version") ||
	    !strcmp(argv[1], "version")) {
		printf("pgtctl %s\n", PACKAGE_VERSION);
		return close_stdout(0);
	}
	cmd = find(argv[1]);
	if (!cmd)
		return cli_usage_error(NULL, "unknown command '%s'", argv[1]);
	return close_stdout(cmd->fn(argc - 1, argv + 1));
}
