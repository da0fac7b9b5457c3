/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * pgtctl __read-trace TRACE (hidden): decode every operation of a trace,
 * text or CBOR, and replay none; print how many there were and the CPU
 * time the reading took.  For the benchmarks (tests/bench/speed-goals.sh),
 * which compare the readers without the replay's cost on top, on a
 * machine where wall time is shared.  Errors are the readers' own.
 */
#include <inttypes.h>
#include <stdio.h>
#include <time.h>
#include "../trace/trace.h"
#include "commands.h"

static double cpu_seconds(void)
{
	struct timespec t;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int cmd_read_trace(struct cli_args *a)
{
	double t0 = cpu_seconds();
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
	printf("%" PRIu64 " operations, %.6f s of CPU time\n", n,
	       cpu_seconds() - t0);
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
