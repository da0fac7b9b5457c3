/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * pgtctl import strace FILE [-o OUT] [--arch ARCH] [--populate=POLICY]
 * [--pid PID]: a log of strace -f -e trace=%memory[,%process] becomes a
 * text trace (src/trace/import-strace.c; rules in pgtctl(1), IMPORTING
 * STRACE LOGS).  OUT is opened by pgt_outfile_open (src/lib/outfile.h):
 * a regular file is replaced only once complete; with no -o, or -o -, the trace
 * goes to standard output, where nothing at all is written if the log is
 * refused (the importer checks all of it before writing).
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "commands.h"
#include "../lib/outfile.h"
#include "../arch/arch.h"
#include "../trace/import.h"
#include "../trace/trace.h"

#define CMD "import"

static int cmd_import(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "arch", required_argument, NULL, 'a' },
		{ "populate", required_argument, NULL, 'P' },
		{ "pid", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct pgt_import_opts io = { .arch = "s390x" };
	const struct pgt_arch *arch;
	struct pgt_err err = { 0 };
	const char *out = "-";
	struct pgt_outfile o;
	uint64_t n;
	int opt, rc, rc2;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "ho:", longopts, NULL)) != -1) {
		switch (opt) {
		case 'o':
			out = optarg;
			break;
		case 'a':
			io.arch = optarg;
			break;
		case 'P':
			if (pgt_populate_parse(optarg, &io.populate))
				return cli_usage_error(CMD, "bad --populate '%s'; expected none, all or writes",
						       optarg);
			break;
		case 'p':
			if (pgt_parse_u64(optarg, &n) || n == 0 || n > 0x7fffffff)
				return cli_usage_error(CMD, "bad --pid '%s'; expected a process id", optarg);
			io.pid = (long)n;
			break;
		case 'h':
			printf("Usage: pgtctl %s\n%s\n", pgt_cmd_import.usage,
			       pgt_cmd_import.summary);
			return 0;
		default:
			return cli_usage_error(CMD, "bad option");
		}
	}
	if (optind >= argc)
		return cli_usage_error(CMD, "expected a log format and a FILE: 'import strace FILE'");
	if (strcmp(argv[optind], "strace"))
		return cli_usage_error(CMD, "unknown log format '%s'; expected strace",
				       argv[optind]);
	if (optind + 2 != argc)
		return cli_usage_error(CMD, "expected exactly one FILE after 'strace'");
	arch = pgt_arch_find(io.arch);
	if (!arch)
		return cli_usage_error(CMD, "bad --arch '%s'; expected pae, s390x or s390",
				       io.arch);
	io.user_limit = arch->user_limit;

	rc = pgt_outfile_open(&o, out, &err);
	if (!rc) {
		rc = pgt_import_strace(argv[optind + 1], o.fp, &io, NULL, &err);
		rc2 = pgt_outfile_close(&o, !rc, rc ? NULL : &err);
		rc = rc ? rc : rc2;
	}
	if (rc)
		cli_error(CMD, "%s", err.msg);
	return cli_status_exit(rc);
}

const struct pgt_cmd pgt_cmd_import = {
	.name = "import",
	.fn = cmd_import,
	.usage = "import strace FILE [-o OUT] [--arch pae|s390x|s390] [--populate=none|all|writes] [--pid PID]",
	.summary = "turn an strace -f -e trace=%memory,%process log into a trace",
};
