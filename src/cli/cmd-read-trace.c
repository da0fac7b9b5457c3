/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * pgtctl __read-trace TRACE (hidden): decode every operation of a trace,
 * text or CBOR, and replay none; print how many there were.  For the
 * benchmarks (tests/bench/speed-goals.sh), which compare the readers
 * without the replay's cost on top.  Errors are the readers' own.
 */
#include <inttypes.h>
#include <stdio.h>
#include "../trace/trace.h"
#include "commands.h"

static int cmd_read_trace(struct cli_args *a)
{
	struct pgt_trace_reader *r;
	struct pgt_err err = { 0 };
	struct pgt_op op;
	uint64_t n = 0;
	int done = 0, rc;

	if (a->argc != 1)
		return cli_usage_error("__read-trace", "expected one TRACE");
	rc = pgt_trace_open(a->argv[0], &r, &err);
	if (!rc) {
		while (!(rc = pgt_trace_next(r, &op, &done, &err)) && !done)
			n++;
		pgt_trace_close(r);
	}
	if (rc) {
		cli_report("__read-trace", rc, err.msg);
		return cli_status_exit(rc);
	}
	printf("%" PRIu64 " operations\n", n);
	return 0;
}

static const struct cli_operand read_trace_operands[] = {
	{ .name = "TRACE", .comp = CLI_COMP_TRACE },
	{ NULL },
};

static const struct cli_opt no_opts[] = { { NULL } };

const struct pgt_cmd pgt_cmd_read_trace = {
	.name = "__read-trace",
	.summary = "decode a trace without replaying it (for the benchmarks)",
	.operands = read_trace_operands,
	.opts = no_opts,
	.sources = CLI_SRC_TRACE,
	.hidden = true,
	.exec = cmd_read_trace,
};
