/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Tab completion in the shell, from the shell's command table: command
 * names (those that work on the source open), a command's options, an
 * option's values (formats, arches, the levels of the arch), an
 * operand's words (op, flush, addr, invariant; breaks, session; command
 * names), and what only the session knows: the op and flush kinds after
 * `break op` and `break flush`, the mm ids of the state (`mm`, --mm-a,
 * --mm-b), the names of the dump's roots (`root`), and the addresses
 * already seen -- typed (translate, watch, break addr, cd, --range) or
 * shown (the op `where` and the stops print, the tables `ls` lists) -- for
 * a VA operand, `break addr` and --range.  Only the FILE of `source`
 * falls back to readline's file names.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <readline/readline.h>
#include "shell.h"
#include "../arch/arch.h"

#define MAX_CANDIDATES 256
#define MADE_LEN 24	/* "0x" and 16 digits, an mm id */

/* the candidates of the word being completed, for the generator */
static const char *cand[MAX_CANDIDATES];
static size_t ncand;
static char made[MAX_CANDIDATES][MADE_LEN];	/* those printed here */
static size_t nmade;
static struct shell *shell;	/* whose state is offered */
static bool want_files;	/* the word is a file name: readline's own completion */

static void add(const char *w)
{
	size_t i;

	for (i = 0; i < ncand; i++)
		if (!strcmp(cand[i], w))
			return;	/* a root named as a generic word too */
	if (ncand < MAX_CANDIDATES)
		cand[ncand++] = w;
}

static void add_words(const char *const *w)
{
	for (; w && *w; w++)
		add(*w);
}

static void add_made(const char *fmt, uint64_t v)
{
	if (nmade == MAX_CANDIDATES)
		return;
	snprintf(made[nmade], MADE_LEN, fmt, v);
	add(made[nmade++]);
}

static unsigned modes(void)
{
	return shell->ds ? SHELL_DUMP : SHELL_TRACE;
}

static void add_commands(void)
{
	const struct shell_cmd *const *c;

	for (c = shell_commands(); *c; c++)
		if (((*c)->modes & modes()) && !(*c)->cmd.hidden)
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

/* remember an address for completion: the newest last, no repeats */
void shell_seen_addr(struct shell *sh, uint64_t va)
{
	unsigned i;

	for (i = 0; i < sh->nseen; i++)
		if (sh->seen[i] == va) {
			memmove(&sh->seen[i], &sh->seen[i + 1],
				(sh->nseen - i - 1) * sizeof(sh->seen[0]));
			sh->nseen--;
			break;
		}
	if (sh->nseen == SHELL_SEEN_ADDRS) {
		memmove(&sh->seen[0], &sh->seen[1],
			(SHELL_SEEN_ADDRS - 1) * sizeof(sh->seen[0]));
		sh->nseen--;
	}
	sh->seen[sh->nseen++] = va;
}

/* the addresses seen, the newest first */
static void add_addresses(void)
{
	unsigned i;

	for (i = shell->nseen; i-- > 0;)
		add_made("0x%" PRIx64, shell->seen[i]);
}

/* the ids of the mms of the state now, exited ones too (views show them) */
static void add_mms(void)
{
	struct pgt_engine *e;
	size_t i;

	if (!shell->s)
		return;
	e = pgt_session_engine(shell->s);
	for (i = 0; i < e->m.nmms; i++)
		if (e->m.mms[i])
			add_made("%" PRIu64, (uint64_t)e->m.mms[i]->id);
}

/* the dump's roots by name, then the generic ones (user, kernel, ...) */
static void add_roots(void)
{
	size_t i;

	for (i = 0; shell->ds && i < shell->ds->roots.n; i++)
		if (shell->ds->roots.v[i].name[0])
			add(shell->ds->roots.v[i].name);
	add_words(cli_root_words);
}

static const struct pgt_arch *source_arch(void)
{
	return shell->ds ? shell->ds->arch : pgt_session_engine(shell->s)->m.arch;
}

static void add_levels(const struct pgt_arch *a)
{
	unsigned i;

	for (i = 0; i < a->nlevels; i++) {
		add(a->levels[i].name);
		if (strcmp(a->levels[i].name, a->levels[i].lname))
			add(a->levels[i].lname);
	}
}

/* the values of option o (arch: the --arch given on the line, if any) */
static void add_values(const struct cli_opt *o, const struct pgt_arch *arch)
{
	const struct pgt_arch *a;
	unsigned i;

	switch (o->comp) {
	case CLI_COMP_WORDS:
		add_words(o->words);
		return;
	case CLI_COMP_ARCH:
	case CLI_COMP_ARCH_REPLAY:
		for (i = 0; (a = pgt_arch_nth(i)); i++)
			if (a->mm || o->comp == CLI_COMP_ARCH)
				add(a->name);
		return;
	case CLI_COMP_LEVEL:
		add_levels(arch ? arch : source_arch());
		return;
	default:
		break;
	}
	if (!strcmp(o->name, "range"))
		add_addresses();
	else if (!strncmp(o->name, "mm", 2))
		add_mms();
}

static void add_operand(const struct pgt_cmd *cmd, char **ops, int nops)
{
	const struct cli_operand *p = cmd->operands;
	int i;

	if (!strcmp(cmd->name, "break") && nops == 1) {
		if (!strcmp(ops[0], "addr"))
			add_addresses();
		else
			add_kinds(ops[0]);
		return;
	}
	if (!strcmp(cmd->name, "mm")) {
		add_mms();
		return;
	}
	for (i = 0; p && p->name && i < nops; i++)
		if (!p->repeat)
			p++;
	if (!p || !p->name)
		return;
	if (!strcmp(cmd->name, "root"))
		add_roots();
	else if (p->comp == CLI_COMP_WORDS)
		add_words(p->words);
	else if (p->comp == CLI_COMP_COMMAND)
		add_commands();
	else if (p->comp == CLI_COMP_FILE)
		want_files = true;
	else if (strstr(p->name, "VA"))
		add_addresses();
}

/* the candidates for the word at start, from the words before it */
static void collect(const char *line, int start)
{
	char *copy = strndup(line, (size_t)start), *w[64], *p;
	const struct pgt_arch *arch = NULL;
	const struct shell_cmd *sc;
	const struct cli_opt *o = NULL;
	int n = 0, nops = 0, nhits, i;
	char *ops[64];

	ncand = nmade = 0;
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
				if (o->comp == CLI_COMP_ARCH)
					arch = pgt_arch_find(w[i + 1]);
				i++;	/* its value */
				o = NULL;
			}
		} else if (w[i][0] != '-') {
			ops[nops++] = w[i];
		}
	}
	if (o)
		add_values(o, arch);
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

void shell_complete_init(struct shell *sh)
{
	shell = sh;
	rl_readline_name = "pgtctl";
	rl_attempted_completion_function = complete;
}

/* the candidates, one a line, for `pgtctl shell` scripts and tests:
 * what Tab offers after LINE (its last word being completed) */
void shell_complete_print(struct shell *sh, const char *line)
{
	const char *last = strrchr(line, ' ');
	int start = last ? (int)(last - line + 1) : 0;
	size_t i, len = strlen(line + start);

	shell = sh;
	collect(line, start);
	if (want_files) {
		printf(":files\n");
		return;
	}
	for (i = 0; i < ncand; i++)
		if (!strncmp(cand[i], line + start, len))
			printf("%s\n", cand[i]);
}
