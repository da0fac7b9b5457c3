/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The command table: one file per command (cmd-NAME.c) exporting one
 * struct pgt_cmd that declares its operands and options.  Everything the
 * user sees of a command comes from that declaration: option parsing
 * (args.c), pgtctl CMD --help and pgtctl --help (usage.c), "does not apply
 * to this source" errors (args.c) and bash completion (complete.c).  The
 * man page and the completion are checked against it by
 * tests/cli/t0100-cmdtable.sh through pgtctl __table.
 */
#ifndef PGT_COMMANDS_H
#define PGT_COMMANDS_H

#include <stdbool.h>
#include <stdio.h>
#include "../walk/view.h"
#include "../render/render.h"

#define EXIT_NO 1	/* the answer is "no": invariant violated ... */
#define EXIT_USAGE 2	/* usage or input error */

/* The kinds of source a command reads and an option applies to. */
#define CLI_SRC_TRACE	0x1u	/* a trace, text or CBOR */
#define CLI_SRC_DUMP	0x2u	/* a dump with headers: ELF, kdump */
#define CLI_SRC_RAW	0x4u	/* a raw image of physical memory (--arch) */

/* What an option's value or an operand is, for completion. */
enum cli_comp {
	CLI_COMP_NONE,		/* a number, an address, free text */
	CLI_COMP_WORDS,		/* one of the words of .words */
	CLI_COMP_ARCH,		/* a paging format of the arch registry */
	CLI_COMP_ARCH_REPLAY,	/* one of them that replays (has an mm) */
	CLI_COMP_LEVEL,		/* a level of the --arch given (any if none) */
	CLI_COMP_COMMAND,	/* a command of this table */
	CLI_COMP_FILE,		/* any file: a log, an output */
	CLI_COMP_TRACE,		/* a trace: *.trace, *.cbor */
	CLI_COMP_DUMP,		/* a memory dump: any name (vmcore, *.elf ...) */
	CLI_COMP_SOURCE,	/* a trace or a dump: any name */
};

struct cli_opt {
	const char *name;		/* long name, without "--" */
	char letter;			/* short name, or 0 */
	const char *arg;		/* its value's name; NULL: a flag.  Help
					 * shows the .words (unless .open) or
					 * the arch names instead */
	enum cli_comp comp;		/* what the value is */
	const char *const *words;	/* CLI_COMP_WORDS: NULL-terminated */
	bool open;			/* .words are examples: other values
					 * are taken too (help shows .arg) */
	bool optional;			/* the value may be left out: --name
					 * alone, or --name=VALUE (never the
					 * next word) */
	unsigned sources;		/* CLI_SRC_* it applies to; 0: all of
					 * the command's */
	const char *help;		/* one line, lowercase, no period */
};

struct cli_operand {
	const char *name;		/* "TRACE", "VA"; a literal word as is */
	enum cli_comp comp;
	const char *const *words;	/* CLI_COMP_WORDS */
	bool repeat;			/* one or more: the last operand */
};

struct cli_args;

struct pgt_cmd {
	const char *name;
	const char *summary;		/* one line, for pgtctl --help */
	const struct cli_operand *operands;	/* ends with .name NULL */
	const struct cli_opt *opts;		/* ends with .name NULL */
	unsigned sources;		/* CLI_SRC_* of its first operand;
					 * 0: it reads no source */
	bool hidden;			/* not listed, not completed */
	int (*exec)(struct cli_args *a);	/* returns the exit status */
};

/* Options and operands of one command line, as parsed from the table. */
#define CLI_MAX_OPTS 32
struct cli_args {
	const struct pgt_cmd *cmd;
	const char *val[CLI_MAX_OPTS];	/* the last value, per option */
	unsigned char seen[CLI_MAX_OPTS];	/* times given, per option */
	int argc;			/* the operands */
	char **argv;
};

extern const struct pgt_cmd pgt_cmd_replay;
extern const struct pgt_cmd pgt_cmd_translate;
extern const struct pgt_cmd pgt_cmd_ptov;
extern const struct pgt_cmd pgt_cmd_read;
extern const struct pgt_cmd pgt_cmd_convert;
extern const struct pgt_cmd pgt_cmd_import;
extern const struct pgt_cmd pgt_cmd_dump;
extern const struct pgt_cmd pgt_cmd_decode;
extern const struct pgt_cmd pgt_cmd_diff;
extern const struct pgt_cmd pgt_cmd_shell;
extern const struct pgt_cmd pgt_cmd_help;
extern const struct pgt_cmd pgt_cmd_version;
extern const struct pgt_cmd pgt_cmd_complete;
extern const struct pgt_cmd pgt_cmd_table;
extern const struct pgt_cmd pgt_cmd_read_trace;

/* words shared by several commands' options */
extern const char *const cli_format_words[];
extern const char *const cli_format_words_flat[];
extern const char *const cli_root_words[];

/* options that several commands take, the same way */
#define CLI_OPT_TREE { "tree", .help = "the page-table tree" }
#define CLI_OPT_RANGES { "ranges", .help = "the address ranges mapped alike, merged" }
#define CLI_OPT_PAGES { "pages", .help = "one line per present leaf mapping" }
#define CLI_OPT_FORMAT { "format", .arg = "FORMAT", .comp = CLI_COMP_WORDS, \
	.words = cli_format_words, .help = "the output format (default text)" }
/* for commands whose views have no tree: dot is not offered */
#define CLI_OPT_FORMAT_FLAT { "format", .arg = "FORMAT", .comp = CLI_COMP_WORDS, \
	.words = cli_format_words_flat, .help = "the output format (default text)" }
#define CLI_OPT_FILTER { "filter", .arg = "FLAGS", \
	.help = "only leaves with these of rwuxadg (!x: without x)" }
#define CLI_OPT_RANGE { "range", .arg = "A-B", \
	.help = "only addresses from A up to B (or A+LEN)" }
#define CLI_OPT_UNTIL { "until", .arg = "N", .sources = CLI_SRC_TRACE, \
	.help = "the state after the first N operations" }
#define CLI_OPT_MM { "mm", .arg = "N", .sources = CLI_SRC_TRACE, \
	.help = "address space N, not the current one" }
#define CLI_OPT_ROOT { "root", .arg = "ROOT", .comp = CLI_COMP_WORDS, \
	.words = cli_root_words, .open = true, \
	.sources = CLI_SRC_DUMP | CLI_SRC_RAW, \
	.help = "walk ROOT: ADDR, cpuN, user, kernel, NAME" }
#define CLI_OPT_PHYS_BASE { "phys-base", .arg = "PA", .sources = CLI_SRC_RAW, \
	.help = "where the image starts in memory" }

/* args.c */
#define CLI_DONE (-1)	/* cli_parse: --help or --version done, exit 0 */
int cli_parse(const struct pgt_cmd *cmd, int argc, char **argv,
	      struct cli_args *a);
static inline bool cli_has(const struct cli_args *a, int opt)
{
	return a->seen[opt];
}
static inline const char *cli_val(const struct cli_args *a, int opt)
{
	return a->val[opt];
}
const struct cli_opt *cli_find_opt(const struct pgt_cmd *cmd,
				   const char *name, size_t len, int *nhits);
const struct cli_opt *cli_find_letter(const struct pgt_cmd *cmd, char c);
extern const struct cli_opt cli_common_opts[];
unsigned cli_source_kind(const struct pgt_cmd *cmd, const char *path,
			 bool arch_given);
int cli_check_source(const struct cli_args *a, const char *path,
		     unsigned kind);

/* usage.c */
extern bool cli_in_shell;	/* messages and help of the shell's commands */
void cli_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int cli_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void cli_report(const char *cmd, int status, const char *msg);
int cli_check_output(const char *cmd, const char *out,
		     char *const *inputs, size_t n);

/*
 * Progress of a long replay or walk on stderr (cli-progress.c): drawn
 * only on a terminal, without --quiet, after PGTCTL_PROGRESS_DELAY
 * seconds (1).  cli_progress_draw is a pgt_progress_fn; clear the line
 * before writing anything else to stderr, and at the end.
 */
struct cli_progress {
	const char *cmd, *what;
	bool on;
	double start, last, delay;
	int width;		/* of the line on screen; 0: none */
};
void cli_progress_start(struct cli_progress *p, const char *cmd,
			const char *what, bool quiet);
void cli_progress_draw(void *arg, uint64_t done, uint64_t total);
void cli_progress_clear(struct cli_progress *p);
int cli_status_exit(int status);
int cli_parse_format(const char *cmd, const char *s, enum pgt_format *f);
void cli_print_help(FILE *out);
void cli_print_cmd_help(FILE *out, const struct pgt_cmd *cmd);
void cli_print_version(FILE *out);
const char *cli_opt_arg(const struct cli_opt *o, char *buf, size_t len);
const struct pgt_cmd *const *cli_commands(void);
const struct pgt_cmd *cli_find_cmd(const char *name);

/* cli-render.c: may fmt show every view asked?  (a usage error if not) */
int cli_check_format(const char *cmd, enum pgt_format fmt,
		     const enum pgt_view *views, size_t n);
/* a renderer on stdout, or exit-worthy NULL after a message */
struct pgt_render *cli_render(const char *cmd, enum pgt_format fmt);

/* cli-filter.c */
int cli_parse_filter(const char *cmd, const char *s, unsigned *want,
		     unsigned *deny);
int cli_parse_range(const char *cmd, const char *s, uint64_t *start,
		    uint64_t *end);
/* --OPT ID: an mm id of a trace (1 to PGT_MAX_MM_ID) */
int cli_parse_mm_id(const char *cmd, const char *opt, const char *s,
		    int *mm);
/* --until N: a positive operation count */
int cli_parse_until(const char *cmd, const char *s, unsigned long *until);

#endif
