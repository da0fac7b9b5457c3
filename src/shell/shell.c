/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * pgtctl shell TRACE|DUMP: the read-eval loop.  On a terminal it reads with GNU
 * readline (a prompt saying where the session is, history kept across
 * sessions, completion from the shell's command table); on anything else
 * it reads plain lines and prints no prompt, so that a script piped in
 * gives output that can be diffed.  Each line is split into words and
 * dispatched through the shell's table (shell-cmds.c); ';' separates
 * commands, '#' starts a comment.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <readline/readline.h>
#include <readline/history.h>
#include "shell.h"
#include "../lib/clock.h"

#define MAX_WORDS 64
#define HISTORY_LINES 1000

/* the signal handler's way to the flags the session reads */
static struct shell *sig_shell;

static void on_sigint(int sig)
{
	(void)sig;
	if (sig_shell) {
		sig_shell->stop = 1;
		sig_shell->intr = 1;
	}
}

/* SIGINT stops a long move at the next op boundary instead of killing
 * the shell; no SA_RESTART, so that a blocking read sees it too */
static void catch_sigint(struct shell *sh)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigint;
	sigemptyset(&sa.sa_mask);
	sig_shell = sh;
	sigaction(SIGINT, &sa, NULL);
}

/* ---- where the session is ---- */

static int viewed_mm(struct shell *sh)
{
	struct pgt_engine *e = pgt_session_engine(sh->s);

	if (sh->mm_id)
		return sh->mm_id;
	return e->m.cur ? e->m.cur->id : 0;
}

/* "op 12/40 populate 0x10000000 64K write (FILE:LINE)" */
void shell_print_where(struct shell *sh)
{
	unsigned long pos = pgt_session_pos(sh->s);
	unsigned long len = pgt_session_length(sh->s);
	const struct pgt_op *op = pgt_session_op(sh->s, pos);
	char text[200], where[300];

	if (!pos || !op) {
		printf("op 0/%lu (before the first operation)\n", len);
		return;
	}
	if (op->len)
		shell_seen_addr(sh, op->addr);
	if (pgt_op_format(op, text, sizeof(text)) < 0)
		snprintf(text, sizeof(text), "%s", pgt_op_name(op->kind));
	pgt_session_where(sh->s, pos, where, sizeof(where));
	printf("op %lu/%lu %s (%s)\n", pos, len, text, where);
}

static void make_prompt(struct shell *sh, char *buf, size_t len)
{
	char mmtext[24] = "-";
	int mm;

	if (sh->ds) {
		shell_dump_prompt(sh, buf, len);
		return;
	}
	mm = viewed_mm(sh);

	if (mm)
		snprintf(mmtext, sizeof(mmtext), "%d", mm);
	snprintf(buf, len, "%s op %lu/%lu mm %s> ",
		 pgt_session_header(sh->s)->arch, pgt_session_pos(sh->s),
		 pgt_session_length(sh->s), mmtext);
}

/* ---- history: $XDG_STATE_HOME/pgtctl/history, never fatal ---- */

static int mkdir_p(char *path)
{
	char *p;

	for (p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0700) && errno != EEXIST) {
			*p = '/';
			return -1;
		}
		*p = '/';
	}
	return mkdir(path, 0700) && errno != EEXIST ? -1 : 0;
}

/* the history file, created (with its folders) if missing; NULL when
 * there is none to be had: the shell then keeps history in memory only */
static char *history_path(void)
{
	const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	char dir[4096], *path;
	int fd;

	if (state && *state == '/')
		snprintf(dir, sizeof(dir), "%s/pgtctl", state);
	else if (home && *home)
		snprintf(dir, sizeof(dir), "%s/.local/state/pgtctl", home);
	else
		return NULL;
	if (mkdir_p(dir))
		goto fail;
	if (asprintf(&path, "%s/history", dir) < 0)
		return NULL;
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0600);
	if (fd < 0) {
		free(path);
		goto fail;
	}
	close(fd);
	return path;
fail:
	fprintf(stderr, "pgtctl: shell: note: no history file in %s: %s\n",
		dir, strerror(errno));
	return NULL;
}

/* ---- one line ---- */

static int run_words(struct shell *sh, int argc, char **argv)
{
	const struct shell_cmd *sc = shell_find(argv[0]);
	struct cli_args a;
	double t0;
	int rc;

	if (!sc) {
		cli_error(NULL, "unknown command '%s'; try 'help'", argv[0]);
		return EXIT_USAGE;
	}
	if (!(sc->modes & (sh->ds ? SHELL_DUMP : SHELL_TRACE))) {
		cli_error(sc->cmd.name, "works on %s; %s is %s",
			  sh->ds ? "a trace" : "a memory dump", sh->path,
			  sh->ds ? "a memory dump" : "a trace");
		return EXIT_USAGE;
	}
	if (sc->cmd.hidden) {
		/* __complete: its words are the line completed, options
		 * included, not its own */
		memset(&a, 0, sizeof(a));
		a.cmd = &sc->cmd;
		a.argc = argc - 1;
		a.argv = argv + 1;
	} else if ((rc = cli_parse(&sc->cmd, argc, argv, &a))) {
		return rc == CLI_DONE ? 0 : rc;
	}
	sh->stop = 0;
	sh->intr = 0;
	t0 = pgt_now();
	rc = sc->run(sh, &a);
	sh->stop = 0;
	sh->intr = 0;	/* a Ctrl-C is for the command it stopped */
	fflush(stdout);
	if (sh->timing)
		fprintf(stderr, "timing\t%s\t%.6f\n", sc->cmd.name,
			pgt_now() - t0);
	return rc;
}

/* split at blanks and ';', drop a '#' comment; the status of the last
 * command that failed (0: none) */
static int run_line(struct shell *sh, char *line)
{
	char *argv[MAX_WORDS + 1], *p = line;
	int argc = 0, rc, last = 0;

	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			*p++ = '\0';
		if (!*p || *p == '#' || *p == ';') {
			char end = *p;

			*p++ = '\0';	/* ends the last word too */
			if (argc) {
				argv[argc] = NULL;
				if ((rc = run_words(sh, argc, argv)))
					last = rc;
				argc = 0;
			}
			if (end != ';' || sh->quit)
				return last;
			continue;
		}
		if (argc == MAX_WORDS) {
			cli_error(NULL, "more than %d words in one command",
				  MAX_WORDS);
			return EXIT_USAGE;
		}
		argv[argc++] = p;
		while (*p && !strchr(" \t\r\n;#", *p))
			p++;
	}
}

static void trim_end(char *line)
{
	size_t n = strlen(line);

	while (n && (line[n - 1] == ' ' || line[n - 1] == '\t'))
		line[--n] = '\0';
}

/* Ctrl-C at the prompt: drop the line being typed and prompt again, as
 * shells do (readline calls this when a signal interrupts its read) */
static int on_prompt_signal(void)
{
	if (!sig_shell || !sig_shell->intr)
		return 0;
	sig_shell->intr = 0;
	sig_shell->stop = 0;
	rl_replace_line("", 0);
	rl_crlf();
	rl_on_new_line();
	rl_redisplay();
	return 0;
}

/* a terminal: readline, prompt, history */
static int loop_readline(struct shell *sh)
{
	char prompt[160], *line, *hist = history_path();

	shell_complete_init(sh);
	rl_signal_event_hook = on_prompt_signal;
	using_history();
	if (hist)
		read_history(hist);
	while (!sh->quit) {
		make_prompt(sh, prompt, sizeof(prompt));
		line = readline(prompt);
		if (!line) {
			putchar('\n');	/* Ctrl-D: end the prompt's line */
			break;
		}
		trim_end(line);	/* completion leaves a blank: not history */
		if (*line) {
			add_history(line);
			if (hist)
				append_history(1, hist);
		}
		run_line(sh, line);	/* it said what failed */
		free(line);
	}
	if (hist)
		history_truncate_file(hist, HISTORY_LINES);
	free(hist);
	return 0;	/* an interactive session ends well with quit or EOF */
}

/* anything else: plain lines, no prompt; the status of the last failure
 * (also `source FILE`) */
int shell_run_file(struct shell *sh, FILE *in)
{
	char *line = NULL;
	size_t cap = 0;
	int rc, last = 0;

	while (!sh->quit && getline(&line, &cap, in) >= 0)
		if ((rc = run_line(sh, line)))
			last = rc;
	free(line);
	return last;
}

/* ---- pgtctl shell ---- */

static int open_trace(struct shell *sh, const struct pgt_session_opts *o)
{
	struct pgt_err err = { 0 };
	int rc;

	rc = pgt_session_open(sh->path, o, &sh->s, &err);
	if (!rc)
		rc = pgt_session_listen(sh->s, shell_listen, sh, &err);
	if (rc) {
		cli_report("shell", rc, err.msg);
		if (sh->s)
			pgt_session_close(sh->s);
		sh->s = NULL;
		return cli_status_exit(rc);
	}
	return 0;
}

enum { O_COMMAND, O_TIMING };

static const struct cli_opt shell_opts[] = {
	[O_COMMAND] = { "command", 'c', .arg = "CMDS",
			.help = "run these commands (';' between them) and exit" },
	[O_TIMING] = { "timing",
		       .help = "the wall time of each command, on stderr" },
	{ NULL },
};

static int cmd_shell(struct cli_args *a)
{
	struct shell sh = { .hit = -1 };
	struct pgt_session_opts o = { .stop = &sh.stop };
	const char *cmds = cli_val(a, O_COMMAND);
	int rc;

	if (a->argc != 1)
		return cli_usage_error("shell", "expected one TRACE or DUMP");
	sh.path = a->argv[0];
	if (!strcmp(sh.path, "-") && !cmds)
		return cli_usage_error("shell", "the trace cannot be standard input: the shell reads its commands there");
	if (pgt_source_is_dump(sh.path)) {
		if ((rc = shell_dump_open(&sh, sh.path)))
			return rc;
	} else if ((rc = open_trace(&sh, &o))) {
		return rc;
	}
	sh.timing = cli_has(a, O_TIMING);
	cli_in_shell = true;
	catch_sigint(&sh);
	if (cmds) {
		char *copy = strdup(cmds);

		rc = copy ? run_line(&sh, copy) : EXIT_USAGE;
		free(copy);
	} else if (isatty(STDIN_FILENO)) {
		sh.interactive = true;
		rc = loop_readline(&sh);
	} else {
		rc = shell_run_file(&sh, stdin);
	}
	sig_shell = NULL;
	shell_forget_events(&sh);
	if (sh.s)
		pgt_session_close(sh.s);
	shell_dump_close(&sh);
	return rc;
}

static const struct cli_operand shell_operands[] = {
	{ .name = "SOURCE", .comp = CLI_COMP_SOURCE },
	{ NULL },
};

const struct pgt_cmd pgt_cmd_shell = {
	.name = "shell",
	.summary = "step through a trace or walk a dump interactively",
	.operands = shell_operands,
	.opts = shell_opts,
	.sources = CLI_SRC_TRACE | CLI_SRC_DUMP,
	.exec = cmd_shell,
};
