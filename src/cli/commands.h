/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The command table: one file per command (cmd-NAME.c) exporting one
 * struct pgt_cmd; main.c dispatches, and --help lists, from the table.
 */
#ifndef PGT_COMMANDS_H
#define PGT_COMMANDS_H

#include <stdio.h>
#include "../walk/view.h"
#include "../render/render.h"

#define EXIT_NO 1	/* the answer is "no": invariant violated ... */
#define EXIT_USAGE 2	/* usage or input error */

struct pgt_cmd {
	const char *name;
	int (*fn)(int argc, char **argv);	/* returns the exit status */
	const char *usage;
	const char *summary;
};

extern const struct pgt_cmd pgt_cmd_replay;
extern const struct pgt_cmd pgt_cmd_translate;
extern const struct pgt_cmd pgt_cmd_convert;
extern const struct pgt_cmd pgt_cmd_import;
extern const struct pgt_cmd pgt_cmd_dump;
extern const struct pgt_cmd pgt_cmd_decode;

/* usage.c */
void cli_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int cli_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int cli_status_exit(int status);
int cli_parse_format(const char *cmd, const char *s, enum pgt_format *f);
void cli_print_help(FILE *out);
const struct pgt_cmd *const *cli_commands(void);

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

#endif
