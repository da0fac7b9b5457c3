/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * pgtctl convert [--to text|cbor] IN OUT: a trace from one form to the
 * other, op by op, so memory does not grow with the trace.  IN's form is
 * detected from its content; OUT's comes from --to, else OUT's extension,
 * else it is the form IN is not.  OUT is opened by pgt_outfile_open
 * (src/lib/outfile.h): a regular file is replaced only once complete, so
 * a failed conversion never leaves a partial OUT behind; a FIFO, device
 * or - is written through, never replaced.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "commands.h"
#include "../lib/outfile.h"
#include "../trace/trace.h"

static int parse_form(const char *s, enum pgt_trace_form *form)
{
	if (!strcmp(s, "text"))
		*form = PGT_TRACE_TEXT;
	else if (!strcmp(s, "cbor"))
		*form = PGT_TRACE_CBOR;
	else
		return cli_usage_error("convert", "bad --to '%s'; expected text or cbor", s);
	return 0;
}

static int has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n > m && !strcmp(s + n - m, suffix);
}

/* OUT's extension says the form; otherwise convert to the other one. */
static enum pgt_trace_form guess_form(const char *out, enum pgt_trace_form in)
{
	if (has_suffix(out, ".cbor"))
		return PGT_TRACE_CBOR;
	if (has_suffix(out, ".trace"))
		return PGT_TRACE_TEXT;
	return in == PGT_TRACE_TEXT ? PGT_TRACE_CBOR : PGT_TRACE_TEXT;
}

/* Stream the ops of r into w. */
static int copy_ops(struct pgt_trace_reader *r, struct pgt_trace_writer *w,
		    struct pgt_err *err)
{
	struct pgt_op op;
	int rc, done = 0;

	for (;;) {
		rc = pgt_trace_next(r, &op, &done, err);
		if (rc || done)
			return rc;
		rc = pgt_trace_write_op(w, &op, err);
		if (rc)
			return rc;
	}
}

static int convert(const char *in, const char *out, int have_to,
		   enum pgt_trace_form to, struct pgt_err *err)
{
	struct pgt_trace_writer *w = NULL;
	struct pgt_trace_reader *r;
	struct pgt_outfile o;
	int rc, rc2;

	rc = pgt_trace_open(in, &r, err);
	if (rc)
		return rc;
	if (!have_to)
		to = guess_form(out, pgt_trace_form(r));
	rc = pgt_outfile_open(&o, out, err);
	if (rc)
		goto out;
	rc = pgt_trace_writer_open(o.fp, o.name, to, pgt_trace_header(r),
				   &w, err);
	if (!rc)
		rc = copy_ops(r, w, err);
	/* keep the first error: later ones are consequences */
	rc2 = pgt_trace_writer_close(w, rc ? NULL : err);
	rc = rc ? rc : rc2;
	rc2 = pgt_outfile_close(&o, !rc, rc ? NULL : err);
	rc = rc ? rc : rc2;
out:
	pgt_trace_close(r);
	return rc;
}

enum { O_TO };

static const char *const form_words[] = { "text", "cbor", NULL };

static const struct cli_opt convert_opts[] = {
	[O_TO] = { "to", .arg = "FORM", .comp = CLI_COMP_WORDS,
		   .words = form_words,
		   .help = "OUT's form (default: by its name, else the other)" },
	{ NULL },
};

static int cmd_convert(struct cli_args *a)
{
	enum pgt_trace_form to = PGT_TRACE_TEXT;
	struct pgt_err err = { 0 };
	const char *v = cli_val(a, O_TO);
	int rc;

	if (v && parse_form(v, &to))
		return EXIT_USAGE;
	if (a->argc != 2)
		return cli_usage_error("convert", "expected two arguments, IN and OUT");
	if (cli_check_output("convert", a->argv[1], a->argv, 1))
		return EXIT_USAGE;
	rc = convert(a->argv[0], a->argv[1], v != NULL, to, &err);
	if (rc)
		cli_report("convert", rc, err.msg);
	return cli_status_exit(rc);
}

static const struct cli_operand convert_operands[] = {
	{ .name = "IN", .comp = CLI_COMP_TRACE },
	{ .name = "OUT", .comp = CLI_COMP_FILE },
	{ NULL },
};

const struct pgt_cmd pgt_cmd_convert = {
	.name = "convert",
	.summary = "convert a trace between the text and CBOR forms, losslessly",
	.operands = convert_operands,
	.opts = convert_opts,
	.sources = CLI_SRC_TRACE,
	.exec = cmd_convert,
};
