/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Messages, exit statuses and the help text built from the command table. */
#include <stdarg.h>
#include <string.h>
#include "commands.h"
#include "../lib/status.h"

static const struct pgt_cmd *const table[] = {
	&pgt_cmd_replay,
	&pgt_cmd_dump,
	&pgt_cmd_translate,
	&pgt_cmd_decode,
	&pgt_cmd_convert,
	&pgt_cmd_import,
	NULL,
};

const struct pgt_cmd *const *cli_commands(void)
{
	return table;
}

void cli_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "pgtctl: %s%s", cmd ? cmd : "", cmd ? ": " : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "pgtctl: %s%s", cmd ? cmd : "", cmd ? ": " : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'pgtctl --help' for more information.\n", stderr);
	return EXIT_USAGE;
}

/* library status -> exit status (design.md: 1 "no", 2 input/usage) */
int cli_status_exit(int status)
{
	switch (status) {
	case PGT_OK:
		return 0;
	case PGT_ERR_INVARIANT:
		return EXIT_NO;
	default:
		return EXIT_USAGE;
	}
}

int cli_parse_format(const char *cmd, const char *s, enum pgt_format *f)
{
	if (!strcmp(s, "text"))
		*f = PGT_FMT_TEXT;
	else if (!strcmp(s, "json"))
		*f = PGT_FMT_JSON;
	else if (!strcmp(s, "tsv"))
		*f = PGT_FMT_TSV;
	else if (!strcmp(s, "dot"))
		*f = PGT_FMT_DOT;
	else
		return cli_usage_error(cmd, "bad format '%s'; expected text, json, tsv or dot", s);
	return 0;
}

void cli_print_help(FILE *out)
{
	const struct pgt_cmd *const *c;

	fputs("Usage: pgtctl COMMAND [OPTIONS] ...\n"
	      "Inspect and replay s390 and x86 PAE page tables.\n\n"
	      "Commands:\n", out);
	for (c = table; *c; c++)
		fprintf(out, "  %-10s %s\n             %s\n", (*c)->name,
			(*c)->summary, (*c)->usage);
	fputs("\nOptions:\n"
	      "  -h, --help       show this help\n"
	      "  -V, --version    show the version\n\n"
	      "Exit status: 0 success, 1 the answer is no (an invariant was violated),\n"
	      "2 usage or input error.  See pgtctl(1) and pgtctl-trace(5).\n", out);
}
