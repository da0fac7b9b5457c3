/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * One option parser for every command, driven by the command's table:
 * --name, --name=VALUE, --name VALUE, a unique prefix of a long name,
 * -o VALUE, -oVALUE, clusters of short flags; operands may come anywhere
 * (as GNU getopt permutes them) and "--" ends the options.  Values are not
 * checked here: each command knows what its numbers mean and says so.
 */
#include <string.h>
#include "commands.h"
#include "cli-source.h"

/* the options every command takes (t0100 checks that the man page says so) */
const struct cli_opt cli_common_opts[] = {
	{ "help", 'h', .help = "show this help and exit" },
	{ "version", 'V', .help = "show the version of pgtctl and exit" },
	{ NULL },
};
#define OPT_HELP (&cli_common_opts[0])
#define OPT_VERSION (&cli_common_opts[1])

static const struct cli_opt *const *opt_lists(const struct pgt_cmd *cmd,
					      const struct cli_opt *l[3])
{
	l[0] = cmd->opts;
	l[1] = cli_common_opts;
	l[2] = NULL;
	return l;
}

/*
 * The option whose long name is name[0..len), or the one it is a unique
 * prefix of; NULL with *nhits > 1 when it is the prefix of several.
 */
const struct cli_opt *cli_find_opt(const struct pgt_cmd *cmd,
				   const char *name, size_t len, int *nhits)
{
	const struct cli_opt *l[3], *const *list, *o, *hit = NULL;

	*nhits = 0;
	if (!len)
		return NULL;
	for (list = opt_lists(cmd, l); *list; list++)
		for (o = *list; o->name; o++) {
			if (strncmp(o->name, name, len))
				continue;
			if (!o->name[len])
				return o;
			hit = o;
			++*nhits;
		}
	return *nhits == 1 ? hit : NULL;
}

const struct cli_opt *cli_find_letter(const struct pgt_cmd *cmd, char c)
{
	const struct cli_opt *l[3], *const *list, *o;

	for (list = opt_lists(cmd, l); *list; list++)
		for (o = *list; o->name; o++)
			if (o->letter == c)
				return o;
	return NULL;
}

static int ambiguous(const struct cli_args *a, const char *name, size_t len)
{
	const struct cli_opt *l[3], *const *list, *o;
	char buf[256] = "";
	size_t n = 0;

	for (list = opt_lists(a->cmd, l); *list; list++)
		for (o = *list; o->name; o++)
			if (!strncmp(o->name, name, len) && n < sizeof(buf))
				n += snprintf(buf + n, sizeof(buf) - n, "%s--%s",
					      n ? ", " : "", o->name);
	return cli_usage_error(a->cmd->name,
			       "ambiguous option '--%.*s'; could be %s",
			       (int)len, name, buf);
}

/* record an option (the last value wins); --help and --version act now */
static int take(struct cli_args *a, const struct cli_opt *o, const char *val)
{
	size_t i;

	if (o == OPT_HELP) {
		cli_print_cmd_help(stdout, a->cmd);
		return CLI_DONE;
	}
	if (o == OPT_VERSION) {
		cli_print_version(stdout);
		return CLI_DONE;
	}
	i = (size_t)(o - a->cmd->opts);
	a->val[i] = val;
	if (a->seen[i] < 255)
		a->seen[i]++;
	return 0;
}

static int needs_value(const struct cli_args *a, const struct cli_opt *o,
		       const char *spelled)
{
	char arg[120];

	return cli_usage_error(a->cmd->name, "%s needs a value: %s", spelled,
			       cli_opt_arg(o, arg, sizeof(arg)));
}

static int parse_long(struct cli_args *a, int argc, char **argv, int *i)
{
	const char *name = argv[*i] + 2, *eq = strchr(name, '=');
	size_t len = eq ? (size_t)(eq - name) : strlen(name);
	const struct cli_opt *o;
	int nhits;

	o = cli_find_opt(a->cmd, name, len, &nhits);
	if (!o && nhits > 1)
		return ambiguous(a, name, len);
	if (!o)
		return cli_usage_error(a->cmd->name, "unknown option '--%.*s'",
				       (int)len, name);
	if (!o->arg) {
		if (eq)
			return cli_usage_error(a->cmd->name,
					       "--%s takes no value", o->name);
		return take(a, o, NULL);
	}
	if (eq)
		return take(a, o, eq + 1);
	if (o->optional)
		return take(a, o, NULL);
	if (*i + 1 >= argc) {
		char spelled[80];

		snprintf(spelled, sizeof(spelled), "--%s", o->name);
		return needs_value(a, o, spelled);
	}
	return take(a, o, argv[++*i]);
}

static int parse_short(struct cli_args *a, int argc, char **argv, int *i)
{
	const char *p;
	int rc;

	for (p = argv[*i] + 1; *p; p++) {
		const struct cli_opt *o = cli_find_letter(a->cmd, *p);
		char spelled[3] = { '-', *p, 0 };

		if (!o)
			return cli_usage_error(a->cmd->name,
					       "unknown option '-%c'", *p);
		if (!o->arg) {
			if ((rc = take(a, o, NULL)))
				return rc;
			continue;
		}
		if (p[1])
			return take(a, o, p + 1);
		if (*i + 1 >= argc)
			return needs_value(a, o, spelled);
		return take(a, o, argv[++*i]);
	}
	return 0;
}

/*
 * Parse argv[1..argc) (argv[0] is the command's name) into a; the
 * operands end up in a->argv[0..a->argc), in their order.  0, an exit
 * status after a usage error, or CLI_DONE after --help or --version.
 */
int cli_parse(const struct pgt_cmd *cmd, int argc, char **argv,
	      struct cli_args *a)
{
	bool opts_done = false;
	int i, n = 0, rc;

	memset(a, 0, sizeof(*a));
	a->cmd = cmd;
	/* a table too long for struct cli_args fails every call, so that
	 * t0100 (which asks every command for its help) catches it */
	for (i = 0; cmd->opts[i].name; i++)
		;
	if (i > CLI_MAX_OPTS) {
		cli_error(cmd->name, "internal error: %d options, more than CLI_MAX_OPTS",
			  i);
		return EXIT_USAGE;
	}
	for (i = 1; i < argc; i++) {
		char *s = argv[i];

		if (opts_done || s[0] != '-' || !s[1]) {
			argv[n++] = s;	/* n < i: a slot already read */
			continue;
		}
		if (!strcmp(s, "--")) {
			opts_done = true;
			continue;
		}
		rc = s[1] == '-' ? parse_long(a, argc, argv, &i) :
				   parse_short(a, argc, argv, &i);
		if (rc)
			return rc;
	}
	a->argc = n;
	a->argv = argv;
	return 0;
}

/* ---- which options apply to the source given ---- */

/*
 * What the source operand of cmd is, told the way the commands open it:
 * a file with an ELF or kdump signature is a dump; any other file is a
 * trace for a command that reads traces, unless --arch makes it a raw
 * image (the only way a dump command reads it).
 */
unsigned cli_source_kind(const struct pgt_cmd *cmd, const char *path,
			 bool arch_given)
{
	if (pgt_source_is_dump(path))
		return CLI_SRC_DUMP;
	if ((cmd->sources & CLI_SRC_TRACE) && !arch_given)
		return CLI_SRC_TRACE;
	return CLI_SRC_RAW;
}

static const char *kind_name(unsigned kinds)
{
	switch (kinds) {
	case CLI_SRC_TRACE:
		return "a trace";
	case CLI_SRC_DUMP:
		return "an ELF or kdump dump";
	case CLI_SRC_RAW:
		return "a raw image";
	case CLI_SRC_DUMP | CLI_SRC_RAW:
		return "a memory dump";
	default:
		return "a trace or a memory dump";
	}
}

/* Every option given applies to a source of this kind, or a usage error
 * names the first that does not. */
int cli_check_source(const struct cli_args *a, const char *path,
		     unsigned kind)
{
	const struct cli_opt *o;

	for (o = a->cmd->opts; o->name; o++)
		if (a->seen[o - a->cmd->opts] && o->sources &&
		    !(o->sources & kind))
			return cli_usage_error(a->cmd->name,
					       "--%s does not apply to %s, %s; only to %s",
					       o->name, path, kind_name(kind),
					       kind_name(o->sources));
	return 0;
}
