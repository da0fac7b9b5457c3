/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Tab completion in the shell, from the shell's command table: command
 * names (those that work on the source open), a command's options, an option's values (formats), an operand's
 * words (op, flush, addr; breaks, session; command names), and what
 * follows `break op` and `break flush`: the operation and flush kinds.
 * Only the FILE of `source` falls back to readline's file names.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <readline/readline.h>
#include "shell.h"
#include "../arch/arch.h"

#define MAX_CANDIDATES 64

/* the candidates of the word being completed, for the generator */
static const char *cand[MAX_CANDIDATES];
static size_t ncand;
static unsigned modes;	/* SHELL_TRACE or SHELL_DUMP: the commands offered */
static bool want_files;	/* the word is a file name: readline's own completion */

static void add(const char *w)
{
	if (ncand < MAX_CANDIDATES)
		cand[ncand++] = w;
}

static void add_words(const char *const *w)
{
	for (; w && *w; w++)
		add(*w);
}

static void add_commands(void)
{
	const struct shell_cmd *const *c;

	for (c = shell_commands(); *c; c++)
		if ((*c)->modes & modes)
			add((*c)->cmd.name);
}

static void add_options(const struct pgt_cmd *cmd)
{
	static char names[MAX_CANDIDATES][40];
	const struct cli_opt *o;
	size_t n = 0;

	for (o = cmd->opts; o->name && n < MAX_CANDIDATES; o++, n++) {
		snprintf(names[n], sizeof(names[n]), "--%s", o->name);
		add(names[n]);
	}
	add("--help");
}

static void add_kinds(const char *what)
{
	int k;

	if (!strcmp(what, "op"))
		for (k = 0; k < PGT_OP__COUNT; k++)
			add(pgt_op_name(k));
	else if (!strcmp(what, "flush"))
		for (k = 0; k < PGT_FL__COUNT; k++)
			add(pgt_flush_kind_name(k));
}

static void add_operand(const struct pgt_cmd *cmd, char **ops, int nops)
{
	const struct cli_operand *p = cmd->operands;
	int i;

	if (!strcmp(cmd->name, "break") && nops == 1) {
		add_kinds(ops[0]);
		return;
	}
	for (i = 0; p && p->name && i < nops; i++)
		if (!p->repeat)
			p++;
	if (!p || !p->name)
		return;
	if (p->comp == CLI_COMP_WORDS)
		add_words(p->words);
	else if (p->comp == CLI_COMP_COMMAND)
		add_commands();
	else if (p->comp == CLI_COMP_FILE)
		want_files = true;
}

/* the candidates for the word at start, from the words before it */
static void collect(const char *line, int start)
{
	char *copy = strndup(line, (size_t)start), *w[64], *p;
	const struct shell_cmd *sc;
	const struct cli_opt *o = NULL;
	int n = 0, nops = 0, nhits, i;
	char *ops[64];

	ncand = 0;
	want_files = false;
	if (!copy)
		return;
	for (p = strtok(copy, " \t"); p && n < 64; p = strtok(NULL, " \t"))
		w[n++] = p;
	if (!n) {
		add_commands();
		goto out;
	}
	if (!(sc = shell_find(w[0])))
		goto out;
	for (i = 1; i < n; i++) {
		o = NULL;
		if (w[i][0] == '-' && w[i][1] == '-' && !strchr(w[i], '=')) {
			o = cli_find_opt(&sc->cmd, w[i] + 2, strlen(w[i] + 2),
					 &nhits);
			if (o && !o->arg)
				o = NULL;
			if (o && i + 1 < n) {
				i++;	/* its value */
				o = NULL;
			}
		} else if (w[i][0] != '-') {
			ops[nops++] = w[i];
		}
	}
	if (o)
		add_words(o->words);
	else if (line[start] == '-')
		add_options(&sc->cmd);
	else
		add_operand(&sc->cmd, ops, nops);
out:
	free(copy);
}

static char *generate(const char *text, int state)
{
	static size_t i;
	size_t len = strlen(text);

	if (!state)
		i = 0;
	while (i < ncand) {
		const char *w = cand[i++];

		if (!strncmp(w, text, len))
			return strdup(w);
	}
	return NULL;
}

static char **complete(const char *text, int start, int end)
{
	(void)end;
	collect(rl_line_buffer, start);
	if (want_files)
		return NULL;	/* readline completes file names */
	rl_attempted_completion_over = 1;	/* no file names */
	return rl_completion_matches(text, generate);
}

void shell_complete_init(unsigned mode)
{
	modes = mode;
	rl_readline_name = "pgtctl";
	rl_attempted_completion_function = complete;
}
