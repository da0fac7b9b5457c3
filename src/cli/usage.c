/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Messages, exit statuses and the help texts built from the command table. */
#include <stdarg.h>
#include <string.h>
#include "commands.h"
#include "../arch/arch.h"
#include "../dump/dump.h"
#include "../lib/outfile.h"
#include "../lib/status.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "0"
#endif

static const struct pgt_cmd *const table[] = {
	&pgt_cmd_replay,
	&pgt_cmd_dump,
	&pgt_cmd_translate,
	&pgt_cmd_ptov,
	&pgt_cmd_read,
	&pgt_cmd_decode,
	&pgt_cmd_diff,
	&pgt_cmd_convert,
	&pgt_cmd_import,
	&pgt_cmd_shell,
	&pgt_cmd_help,
	&pgt_cmd_version,
	&pgt_cmd_complete,
	&pgt_cmd_table,
	&pgt_cmd_read_trace,
	NULL,
};

const struct pgt_cmd *const *cli_commands(void)
{
	return table;
}

/* exact name first, then a unique prefix of a listed command */
const struct pgt_cmd *cli_find_cmd(const char *name)
{
	const struct pgt_cmd *const *c, *hit = NULL;
	size_t n = strlen(name), hits = 0;

	for (c = table; *c; c++) {
		if (!strcmp((*c)->name, name))
			return *c;
		if (!(*c)->hidden && n && !strncmp((*c)->name, name, n)) {
			hit = *c;
			hits++;
		}
	}
	return hits == 1 ? hit : NULL;
}

/* ---- messages: one line, "pgtctl: CMD: what went wrong" ---- */

/* set by the shell: a command's help is then 'help CMD' */
bool cli_in_shell;

static void vmessage(const char *cmd, const char *fmt, va_list ap)
{
	fflush(stdout);
	fprintf(stderr, "pgtctl: %s%s", cmd ? cmd : "", cmd ? ": " : "");
	vfprintf(stderr, fmt, ap);
}

void cli_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(cmd, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* still one line: the way to the help ends it */
int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(cmd, fmt, ap);
	va_end(ap);
	if (cli_in_shell)
		fprintf(stderr, "; try 'help%s%s'\n", cmd ? " " : "",
			cmd ? cmd : "");
	else
		fprintf(stderr, "; try 'pgtctl %s%s--help'\n", cmd ? cmd : "",
			cmd ? " " : "");
	return EXIT_USAGE;
}

/* a library's failure: its message, with the way to the help when the
 * library found the command line wrong (a bad --root, --phys-base ...) */
void cli_report(const char *cmd, int status, const char *msg)
{
	if (status == PGT_ERR_USAGE)
		cli_usage_error(cmd, "%s", msg);
	else
		cli_error(cmd, "%s", msg);
}

/* an output file that is one of the inputs: a usage error, before
 * anything is read or written (src/lib/outfile.h) */
int cli_check_output(const char *cmd, const char *out,
		     char *const *inputs, size_t n)
{
	struct pgt_err err = { 0 };
	size_t i;

	for (i = 0; out && i < n; i++)
		if (pgt_outfile_not_input(out, inputs[i], &err)) {
			cli_report(cmd, err.status, err.msg);
			return EXIT_USAGE;
		}
	return 0;
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

/* in the order of enum pgt_format: the parser, help and completion */
const char *const cli_format_words[] = { "text", "json", "tsv", "dot", NULL };
/* the same without dot, for commands with no tree to draw (same order:
 * cli_parse_format's index stays the enum's) */
const char *const cli_format_words_flat[] = { "text", "json", "tsv", NULL };

/* what --root takes besides addresses and the names a dump's roots have */
const char *const cli_root_words[] = { "user", "kernel", "cpu0", NULL };

/* "a, b or c" */
static const char *word_list(const char *const *w, char *buf, size_t len)
{
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; w[i] && n < len; i++)
		n += snprintf(buf + n, len - n, "%s%s",
			      !i ? "" : w[i + 1] ? ", " : " or ", w[i]);
	return buf;
}

int cli_parse_format(const char *cmd, const char *s, enum pgt_format *f)
{
	char list[80];
	size_t i;

	for (i = 0; cli_format_words[i]; i++)
		if (!strcmp(s, cli_format_words[i])) {
			*f = (enum pgt_format)i;
			return 0;
		}
	return cli_usage_error(cmd, "bad format '%s'; expected %s", s,
			       word_list(cli_format_words, list, sizeof(list)));
}

/* ---- help ---- */

static size_t join(char *buf, size_t len, size_t n, const char *sep,
		   const char *word)
{
	if (n < len)
		n += snprintf(buf + n, len - n, "%s%s", n ? sep : "", word);
	return n;
}

/* how help shows an option's value: its words, the arch names, or .arg */
const char *cli_opt_arg(const struct cli_opt *o, char *buf, size_t len)
{
	const struct pgt_arch *a;
	size_t i, n = 0;

	buf[0] = '\0';
	if (o->words && !o->open)
		for (i = 0; o->words[i]; i++)
			n = join(buf, len, n, "|", o->words[i]);
	else if (o->comp == CLI_COMP_ARCH || o->comp == CLI_COMP_ARCH_REPLAY)
		for (i = 0; (a = pgt_arch_nth(i)); i++)
			if (a->mm || o->comp == CLI_COMP_ARCH)
				n = join(buf, len, n, "|", a->name);
	return n ? buf : o->arg ? o->arg : "";
}

static const char *kinds_note(unsigned kinds)
{
	switch (kinds) {
	case CLI_SRC_TRACE:
		return " (traces)";
	case CLI_SRC_DUMP:
		return " (ELF and kdump dumps)";
	case CLI_SRC_RAW:
		return " (raw images)";
	case CLI_SRC_DUMP | CLI_SRC_RAW:
		return " (dumps)";
	default:
		return "";
	}
}

#define HELP_COL 30

static void print_opt(FILE *out, const struct pgt_cmd *cmd,
		      const struct cli_opt *o)
{
	char arg[120], left[200];

	snprintf(left, sizeof(left), "  %c%c%c --%s%s%s%s",
		 o->letter ? '-' : ' ', o->letter ? o->letter : ' ',
		 o->letter ? ',' : ' ', o->name,
		 !o->arg ? "" : o->optional ? "[=" : " ",
		 o->arg ? cli_opt_arg(o, arg, sizeof(arg)) : "",
		 o->arg && o->optional ? "]" : "");
	if (strlen(left) >= HELP_COL - 1)
		fprintf(out, "%s\n%*s", left, HELP_COL, "");
	else
		fprintf(out, "%-*s", HELP_COL, left);
	/* which sources it is for, when not all that the command reads */
	fprintf(out, "%s%s\n", o->help,
		o->sources && o->sources != cmd->sources ?
		kinds_note(o->sources) : "");
}

static void print_synopsis(FILE *out, const struct pgt_cmd *cmd)
{
	const struct cli_operand *p;

	fprintf(out, "Usage: %s%s [OPTIONS]", cli_in_shell ? "" : "pgtctl ",
		cmd->name);
	for (p = cmd->operands; p && p->name; p++)
		fprintf(out, " %s%s", p->name, p->repeat ? "..." : "");
	fputc('\n', out);
}

void cli_print_cmd_help(FILE *out, const struct pgt_cmd *cmd)
{
	const struct cli_opt *o;

	print_synopsis(out, cmd);
	fprintf(out, "%s\n\nOptions:\n", cmd->summary);
	for (o = cmd->opts; o && o->name; o++)
		print_opt(out, cmd, o);
	for (o = cli_common_opts; o->name; o++)
		print_opt(out, cmd, o);
	fputs("\nSee pgtctl(1).\n", out);
}

void cli_print_help(FILE *out)
{
	const struct pgt_cmd *const *c;
	const struct cli_opt *o;

	fputs("Usage: pgtctl COMMAND [OPTIONS] [ARGUMENTS]\n"
	      "Replay page tables under s390 and x86 PAE rules; walk them in memory dumps\n"
	      "(s390, x86 PAE, x86-64 4- and 5-level, i386).\n\n"
	      "Commands:\n", out);
	for (c = table; *c; c++)
		if (!(*c)->hidden)
			fprintf(out, "  %-10s %s\n", (*c)->name, (*c)->summary);
	fputs("\nOptions:\n", out);
	for (o = cli_common_opts; o->name; o++)
		print_opt(out, &pgt_cmd_help, o);
	fputs("\n'pgtctl COMMAND --help' (or 'pgtctl help COMMAND') lists the options\n"
	      "of a command.\n"
	      "Exit status: 0 success, 1 the answer is no (an invariant was violated,\n"
	      "diff found differences, --wx found W+X pages, read could not read every\n"
	      "byte), 2 usage or input error.  See pgtctl(1) and pgtctl-trace(5).\n", out);
}

void cli_print_version(FILE *out)
{
	char codecs[200];

	pgt_kdump_describe_codecs(codecs, sizeof(codecs));
	fprintf(out, "pgtctl %s\n%s\n", PACKAGE_VERSION, codecs);
}

/* ---- pgtctl help [COMMAND], pgtctl version ---- */

static int cmd_help(struct cli_args *a)
{
	const struct pgt_cmd *cmd;

	if (a->argc > 1)
		return cli_usage_error("help", "expected at most one COMMAND");
	if (!a->argc) {
		cli_print_help(stdout);
		return 0;
	}
	cmd = cli_find_cmd(a->argv[0]);
	if (!cmd)
		return cli_usage_error("help", "unknown command '%s'",
				       a->argv[0]);
	cli_print_cmd_help(stdout, cmd);
	return 0;
}

static const struct cli_operand help_operands[] = {
	{ .name = "[COMMAND]", .comp = CLI_COMP_COMMAND },
	{ NULL },
};

static const struct cli_opt no_opts[] = { { NULL } };

const struct pgt_cmd pgt_cmd_help = {
	.name = "help",
	.summary = "show the commands, or the options of one command",
	.operands = help_operands,
	.opts = no_opts,
	.exec = cmd_help,
};

static int cmd_version(struct cli_args *a)
{
	if (a->argc)
		return cli_usage_error("version", "expected no arguments");
	cli_print_version(stdout);
	return 0;
}

const struct pgt_cmd pgt_cmd_version = {
	.name = "version",
	.summary = "show the version of pgtctl",
	.opts = no_opts,
	.exec = cmd_version,
};
