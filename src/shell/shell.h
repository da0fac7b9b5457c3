/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * pgtctl shell: the interactive front end over a replay session.  Its
 * commands are declared the way the CLI's are (struct pgt_cmd, parsed by
 * args.c), in one shell table that drives dispatch, help and completion.
 * Front end: it prints; the session and the views it drives do not.
 */
#ifndef PGT_SHELL_H
#define PGT_SHELL_H

#include <signal.h>
#include <stdbool.h>
#include "../cli/commands.h"
#include "../session/session.h"
#include "../session/source.h"

struct shell;

/* what a command works on */
#define SHELL_TRACE 0x1u	/* a replay session */
#define SHELL_DUMP 0x2u		/* a memory dump */

/* a shell command: its declaration, and what runs it */
struct shell_cmd {
	struct pgt_cmd cmd;
	int (*run)(struct shell *sh, struct cli_args *a);
	unsigned modes;		/* SHELL_* it works on */
};

enum bp_kind { BP_OP, BP_FLUSH, BP_ADDR, BP_WATCH, BP_INVARIANT };

struct breakpoint {
	int id;			/* 1, 2, ... as `info breaks` numbers them */
	enum bp_kind kind;
	int what;		/* BP_OP: enum pgt_op_kind; BP_FLUSH: flush kind */
	uint64_t start, end;	/* BP_ADDR: [start, end); BP_WATCH: start */
	int mm;			/* BP_WATCH: whose walk (kernel entries too) */
	unsigned long hits;
};

/* an event kept for `events`, its text copied (the engine's is on its
 * stack) */
struct kept_event {
	struct pgt_event ev;
	unsigned long seq;	/* which step applied its op */
	char *text;
};

#define SHELL_MAX_BREAKS 64
#define SHELL_SEEN_ADDRS 64	/* addresses remembered for completion */
#define SHELL_KEEP_OPS 256	/* `events N` looks back at most this far */

struct shell {
	struct pgt_session *s;		/* a trace, or NULL */
	struct pgt_dump_source *ds;	/* a dump, or NULL */
	unsigned path_idx[PGT_MAX_LEVELS];	/* cd: the entries followed */
	int depth;			/* from the top table (0: at it) */
	const char *path;
	int mm_id;			/* `mm N`: the viewed mm (0: current) */
	bool interactive;
	bool timing;			/* --timing: each command's wall time */
	volatile sig_atomic_t stop;	/* read by the session before each op */
	volatile sig_atomic_t intr;	/* Ctrl-C: it was the user */
	bool breaks_on;			/* this move stops at breakpoints */
	struct breakpoint bp[SHELL_MAX_BREAKS];
	int nbp, next_bp;
	int hit;			/* index of the breakpoint hit, or -1 */
	unsigned long hit_op;
	char hit_why[512];		/* BP_INVARIANT: the violation */
	struct kept_event *kept;
	size_t nkept, ckept;
	unsigned long seq;		/* ops stepped with events so far */
	bool quit;
	int sourcing;			/* `source` nesting depth */
	uint64_t seen[SHELL_SEEN_ADDRS];	/* addresses typed or shown, */
	unsigned nseen;			/* the newest last, for completion */
};

/* shell-cmds.c */
const struct shell_cmd *const *shell_commands(void);
const struct shell_cmd *shell_find(const char *name);
int shell_pick(struct shell *sh, const char *cmd, bool note,
	       struct pgt_engine_pick *p);
int shell_count_arg(const struct cli_args *a, unsigned long def,
		    unsigned long *n);
int shell_no_args(const struct cli_args *a);

/* shell-breaks.c */
void shell_listen(void *arg, const struct pgt_event *ev);
void shell_forget_events(struct shell *sh);
void shell_describe_bp(const struct breakpoint *b, char *buf, size_t len);
void shell_show_cause(struct shell *sh, const struct breakpoint *b);
int shell_invariant_bp(const struct shell *sh);
void shell_info_breaks(struct shell *sh);
int shell_run_break(struct shell *sh, struct cli_args *a);
int shell_run_watch(struct shell *sh, struct cli_args *a);
int shell_run_delete(struct shell *sh, struct cli_args *a);

/* shell-dump.c */
int shell_dump_open(struct shell *sh, const char *path);
void shell_dump_close(struct shell *sh);
void shell_dump_prompt(struct shell *sh, char *buf, size_t len);
const char *shell_dump_root_name(struct shell *sh);
int shell_run_roots(struct shell *sh, struct cli_args *a);
int shell_run_root(struct shell *sh, struct cli_args *a);
int shell_dump_summary(struct shell *sh, const struct pgt_view_src *src,
		       enum pgt_format fmt);
int shell_run_findings(struct shell *sh, struct cli_args *a);

/* shell-diff.c */
int shell_run_diff(struct shell *sh, struct cli_args *a);

/* shell-tables.c */
int shell_run_ls(struct shell *sh, struct cli_args *a);
int shell_run_cd(struct shell *sh, struct cli_args *a);
int shell_run_up(struct shell *sh, struct cli_args *a);
int shell_run_pwd(struct shell *sh, struct cli_args *a);

/* shell-complete.c */
void shell_complete_init(struct shell *sh);
void shell_seen_addr(struct shell *sh, uint64_t va);
void shell_complete_print(struct shell *sh, const char *line);

/* shell.c */
void shell_print_where(struct shell *sh);
int shell_run_file(struct shell *sh, FILE *in);

#endif
