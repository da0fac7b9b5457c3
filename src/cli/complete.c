/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Completion from the command table, for contrib/completion/pgtctl.bash:
 *
 *   pgtctl __complete -- CWORD WORD0 WORD1 ...
 *
 * prints the candidates for word CWORD of the command line WORD0 WORD1 ...
 * (WORD0 is pgtctl itself), one a line, only those that start with that
 * word.  A line ":files" asks the shell for file names instead, ":files
 * EXT|EXT" for those with one of these extensions (and directories).  Candidates
 * for --name=VALUE are printed whole, --name= included.  Options that do
 * not apply to the source already on the line are not offered.
 *
 * pgtctl __table prints the table itself, one line per command and per
 * option, for the tests that check the man page and the completion.
 */
#include <string.h>
#include <unistd.h>
#include "commands.h"
#include "../arch/arch.h"
#include "../lib/number.h"

struct line {
	const struct pgt_cmd *cmd;
	const char *cur;	/* the word being completed */
	const char *prefix;	/* printed before each candidate ("--to=") */
	const char *arch;	/* the value of --arch, if given */
	const char *source;	/* the first operand, if given */
	int nops;		/* operands before the word */
	bool opts_done;		/* after "--" */
};

static void offer(const struct line *l, const char *word)
{
	if (!strncmp(word, l->cur, strlen(l->cur)))
		printf("%s%s\n", l->prefix, word);
}

static void offer_words(const struct line *l, const char *const *w)
{
	for (; w && *w; w++)
		offer(l, *w);
}

static void offer_commands(const struct line *l)
{
	const struct pgt_cmd *const *c;

	for (c = cli_commands(); *c; c++)
		if (!(*c)->hidden)
			offer(l, (*c)->name);
}

/* the level names of --arch's format, or of every format */
static void offer_levels(const struct line *l)
{
	const struct pgt_arch *only = l->arch ? pgt_arch_find(l->arch) : NULL;
	const char *seen[64];
	size_t i, j, k, n = 0;
	const struct pgt_arch *a;

	for (i = 0; (a = pgt_arch_nth(i)); i++) {
		if (only && a != only)
			continue;
		for (j = 0; j < 2 * a->nlevels; j++) {
			const char *name = j & 1 ? a->levels[j / 2].lname :
						   a->levels[j / 2].name;

			for (k = 0; k < n && strcmp(seen[k], name); k++)
				;
			if (k < n || n == sizeof(seen) / sizeof(seen[0]))
				continue;
			seen[n++] = name;
			offer(l, name);
		}
	}
}

static void offer_value(const struct line *l, enum cli_comp comp,
			const char *const *words)
{
	const struct pgt_arch *a;
	size_t i;

	switch (comp) {
	case CLI_COMP_NONE:
		break;
	case CLI_COMP_WORDS:
		offer_words(l, words);
		break;
	case CLI_COMP_ARCH:
		for (i = 0; (a = pgt_arch_nth(i)); i++)
			offer(l, a->name);
		break;
	case CLI_COMP_ARCH_REPLAY:
		for (i = 0; (a = pgt_arch_nth(i)); i++)
			if (a->mm)
				offer(l, a->name);
		break;
	case CLI_COMP_LEVEL:
		offer_levels(l);
		break;
	case CLI_COMP_COMMAND:
		offer_commands(l);
		break;
	case CLI_COMP_TRACE:
		puts(":files trace|cbor");
		break;
	case CLI_COMP_FILE:
	case CLI_COMP_DUMP:
	case CLI_COMP_SOURCE:
		puts(":files");
		break;
	}
}

/* does o apply to the source on the line (any, while none is there)? */
static bool applies(const struct line *l, const struct cli_opt *o)
{
	unsigned kind;

	if (!o->sources || !l->cmd->sources || !l->source ||
	    access(l->source, R_OK))
		return true;
	kind = cli_source_kind(l->cmd, l->source, l->arch != NULL);
	return o->sources & kind;
}

static void offer_options(const struct line *l)
{
	const struct cli_opt *o;
	char name[80];

	for (o = l->cmd->opts; o->name; o++) {
		snprintf(name, sizeof(name), "--%s", o->name);
		if (applies(l, o))
			offer(l, name);
	}
	for (o = cli_common_opts; o->name; o++) {
		snprintf(name, sizeof(name), "--%s", o->name);
		offer(l, name);
	}
}

static const struct cli_opt *long_opt(const struct pgt_cmd *cmd,
				      const char *w, const char **val)
{
	const char *eq = strchr(w + 2, '=');
	int nhits;

	*val = eq ? eq + 1 : NULL;
	return cli_find_opt(cmd, w + 2, eq ? (size_t)(eq - w - 2) :
			    strlen(w + 2), &nhits);
}

/* the option of a cluster -abc that takes a value, and the value if it is
 * in the cluster (-oOUT) */
static const struct cli_opt *short_opt(const struct pgt_cmd *cmd,
				       const char *w, const char **val)
{
	const struct cli_opt *o;
	const char *p;

	*val = NULL;
	for (p = w + 1; *p; p++) {
		o = cli_find_letter(cmd, *p);
		if (o && o->arg && !o->optional) {
			*val = p[1] ? p + 1 : NULL;
			return o;
		}
	}
	return NULL;
}

/* Read words [2, cword) of the line; the option whose value is the word
 * being completed, if it is one. */
static const struct cli_opt *scan(struct line *l, char **w, int cword)
{
	const struct cli_opt *o;
	const char *val;
	int i;

	for (i = 2; i < cword; i++) {
		if (l->opts_done || w[i][0] != '-' || !w[i][1]) {
			if (!l->nops++)
				l->source = w[i];
			continue;
		}
		if (!strcmp(w[i], "--")) {
			l->opts_done = true;
			continue;
		}
		o = w[i][1] == '-' ? long_opt(l->cmd, w[i], &val) :
				     short_opt(l->cmd, w[i], &val);
		if (!o || !o->arg || (o->optional && !val))
			continue;
		if (!val) {
			if (i + 1 == cword)
				return o;
			val = w[++i];
		}
		if (o->comp == CLI_COMP_ARCH || o->comp == CLI_COMP_ARCH_REPLAY)
			l->arch = val;
	}
	return NULL;
}

static void complete_operand(struct line *l)
{
	const struct cli_operand *p = l->cmd->operands;
	int i;

	if (!p)
		return;
	/* the last operand may repeat: VA... */
	for (i = 0; p->name && i < l->nops; i++)
		if (!p->repeat)
			p++;
	if (p->name)
		offer_value(l, p->comp, p->words);
}

static void complete(struct line *l, char **w, int cword)
{
	const struct cli_opt *o;
	const char *eq;
	char prefix[80];

	o = scan(l, w, cword);
	if (o) {
		offer_value(l, o->comp, o->words);
		return;
	}
	if (l->opts_done || l->cur[0] != '-') {
		complete_operand(l);
		return;
	}
	eq = strchr(l->cur, '=');
	if (l->cur[1] == '-' && eq) {
		o = long_opt(l->cmd, l->cur, &l->cur);
		if (!o || !o->arg ||
		    (size_t)(eq - w[cword]) + 2 > sizeof(prefix))
			return;
		snprintf(prefix, (size_t)(eq - w[cword]) + 2, "%s", w[cword]);
		l->prefix = prefix;
		offer_value(l, o->comp, o->words);
		return;
	}
	offer_options(l);
}

static int cmd_complete(struct cli_args *a)
{
	struct line l = { .prefix = "" };
	uint64_t cword;
	char **w = a->argv + 1;

	/* a broken call completes nothing, quietly: it runs under a prompt */
	if (a->argc < 2 || pgt_parse_u64(a->argv[0], &cword) ||
	    cword >= (uint64_t)a->argc - 1 || cword == 0)
		return 0;
	l.cur = w[cword];
	if (cword == 1) {
		if (l.cur[0] == '-') {
			offer(&l, "--help");
			offer(&l, "--version");
		} else {
			offer_commands(&l);
		}
		return 0;
	}
	l.cmd = cli_find_cmd(w[1]);
	if (l.cmd && !l.cmd->hidden)
		complete(&l, w, (int)cword);
	return 0;
}

static const struct cli_opt no_opts[] = { { NULL } };

const struct pgt_cmd pgt_cmd_complete = {
	.name = "__complete",
	.summary = "candidates for a word of a command line (for the shell)",
	.opts = no_opts,
	.hidden = true,
	.exec = cmd_complete,
};

/* ---- pgtctl __table ---- */

static void table_opt(const char *cmd, const struct cli_opt *o)
{
	static const char *const kinds[] = { "trace", "dump", "raw" };
	char arg[120], src[40] = "-";
	size_t i, n = 0;

	for (i = 0; i < 3; i++)
		if (o->sources & (1u << i))
			n += snprintf(src + n, sizeof(src) - n, "%s%s",
				      n ? "," : "", kinds[i]);
	printf("%s\t--%s\t", cmd, o->name);
	if (o->letter)
		printf("-%c", o->letter);
	else
		putchar('-');
	printf("\t%s\t%s\n", o->arg ? cli_opt_arg(o, arg, sizeof(arg)) : "-",
	       src);
}

/* "CMD" for each command, then "CMD --NAME -L ARG SOURCES" per option */
static int cmd_table(struct cli_args *a)
{
	const struct pgt_cmd *const *c;
	const struct cli_opt *o;

	for (c = cli_commands(); *c; c++) {
		if ((*c)->hidden)
			continue;
		printf("%s\n", (*c)->name);
		for (o = (*c)->opts; o->name; o++)
			table_opt((*c)->name, o);
		for (o = cli_common_opts; o->name; o++)
			table_opt((*c)->name, o);
	}
	return 0;
}

const struct pgt_cmd pgt_cmd_table = {
	.name = "__table",
	.summary = "the command table, for the tests",
	.opts = no_opts,
	.hidden = true,
	.exec = cmd_table,
};
