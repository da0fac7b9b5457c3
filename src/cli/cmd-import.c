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

enum { O_OUTPUT, O_ARCH, O_POPULATE, O_PID };

static const char *const populate_words[] = { "none", "all", "writes", NULL };

static const struct cli_opt import_opts[] = {
	[O_OUTPUT] = { "output", 'o', .arg = "OUT", .comp = CLI_COMP_FILE,
		       .help = "write the trace to OUT (default: stdout)" },
	[O_ARCH] = { "arch", .arg = "ARCH", .comp = CLI_COMP_ARCH_REPLAY,
		     .help = "the arch of the trace (default s390x)" },
	[O_POPULATE] = { "populate", .arg = "POLICY", .comp = CLI_COMP_WORDS,
			 .words = populate_words,
			 .help = "what to fault in (default none)" },
	[O_PID] = { "pid", .arg = "PID",
		    .help = "only the address spaces of process PID" },
	{ NULL },
};

static int parse_opts(struct cli_args *a, struct pgt_import_opts *io,
		      const char **out)
{
	const char *v;
	uint64_t n;

	if ((v = cli_val(a, O_OUTPUT)))
		*out = v;
	if ((v = cli_val(a, O_ARCH)))
		io->arch = v;
	if ((v = cli_val(a, O_POPULATE)) && pgt_populate_parse(v, &io->populate))
		return cli_usage_error(CMD, "bad --populate '%s'; expected none, all or writes",
				       v);
	if ((v = cli_val(a, O_PID))) {
		if (pgt_parse_u64(v, &n) || n == 0 || n > 0x7fffffff)
			return cli_usage_error(CMD, "bad --pid '%s'; expected a process id", v);
		io->pid = (long)n;
	}
	if (!a->argc)
		return cli_usage_error(CMD, "expected a log format and a FILE: 'import strace FILE'");
	if (strcmp(a->argv[0], "strace"))
		return cli_usage_error(CMD, "unknown log format '%s'; expected strace",
				       a->argv[0]);
	if (a->argc != 2)
		return cli_usage_error(CMD, "expected exactly one FILE after 'strace'");
	return 0;
}

static int cmd_import(struct cli_args *a)
{
	/* default: the first replayable arch registered (s390x) */
	struct pgt_import_opts io = { .arch = pgt_arch_default_replay()->name };
	const struct pgt_arch *arch;
	struct pgt_err err = { 0 };
	const char *out = "-";
	struct pgt_outfile o;
	int rc, rc2;

	if ((rc = parse_opts(a, &io, &out)))
		return rc;
	if (cli_check_output(CMD, out, a->argv + 1, 1))
		return EXIT_USAGE;
	arch = pgt_arch_find(io.arch);
	if (arch && !arch->mm)
		return cli_usage_error(CMD, "--arch %s is walk-only (its dumps can be walked, not replayed); a trace needs pae, s390x or s390",
				       io.arch);
	if (!arch)
		return cli_usage_error(CMD, "bad --arch '%s'; expected pae, s390x or s390",
				       io.arch);
	io.user_limit = arch->user_limit;
	io.limit_note = arch->user_limit_note;

	rc = pgt_outfile_open(&o, out, &err);
	if (!rc) {
		rc = pgt_import_strace(a->argv[1], o.fp, &io, NULL, &err);
		rc2 = pgt_outfile_close(&o, !rc, rc ? NULL : &err);
		rc = rc ? rc : rc2;
	}
	if (rc)
		cli_report(CMD, rc, err.msg);
	return cli_status_exit(rc);
}

static const char *const log_words[] = { "strace", NULL };

static const struct cli_operand import_operands[] = {
	{ .name = "strace", .comp = CLI_COMP_WORDS, .words = log_words },
	{ .name = "FILE", .comp = CLI_COMP_FILE },
	{ NULL },
};

const struct pgt_cmd pgt_cmd_import = {
	.name = "import",
	.summary = "turn an strace -f -e trace=%memory,%process log into a trace",
	.operands = import_operands,
	.opts = import_opts,
	.exec = cmd_import,
};
