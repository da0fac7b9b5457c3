/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * pgtctl translate SOURCE VA...: walk addresses level by level, in the
 * state a trace leaves (replayed) or in a memory dump (told by content).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "commands.h"
#include "cli-source.h"
#include "../session/replay.h"

static int cmd_translate(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'F' },
		{ "until", required_argument, NULL, 'u' },
		{ "mm", required_argument, NULL, 'm' },
		{ "root", required_argument, NULL, 'R' },
		{ "arch", required_argument, NULL, 'a' },
		{ "phys-base", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	enum pgt_format fmt = PGT_FMT_TEXT;
	struct pgt_replay_opts o = { 0 };
	struct pgt_view_src src = { 0 };
	struct pgt_engine *e = NULL;
	struct cli_dump_opts dopts = { 0 };
	struct cli_dump cd = { 0 };
	struct pgt_err err = { 0 };
	int opt, mm_id = 0, rc, i;
	uint64_t n;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'F':
			if (cli_parse_format("translate", optarg, &fmt))
				return EXIT_USAGE;
			break;
		case 'u':
			if (pgt_parse_u64(optarg, &n) || n == 0)
				return cli_usage_error("translate", "bad --until '%s'; expected a positive operation count", optarg);
			o.until = n;
			break;
		case 'm':
			if (pgt_parse_u64(optarg, &n) || n == 0 || n > 1000000)
				return cli_usage_error("translate", "bad --mm '%s'; expected an mm id", optarg);
			mm_id = (int)n;
			break;
		case 'R': dopts.root = optarg; break;
		case 'a': dopts.arch = optarg; break;
		case 'b':
			if (pgt_parse_u64(optarg, &dopts.phys_base))
				return cli_usage_error("translate", "bad --phys-base '%s'; expected a physical address", optarg);
			break;
		case 'h':
			printf("Usage: pgtctl %s\n%s\n", pgt_cmd_translate.usage,
			       pgt_cmd_translate.summary);
			return 0;
		default:
			return cli_usage_error("translate", "bad option");
		}
	}
	if (argc - optind < 2)
		return cli_usage_error("translate", "expected a TRACE or DUMP and at least one VA");
	for (i = optind + 1; i < argc; i++)
		if (pgt_parse_u64(argv[i], &n))
			return cli_usage_error("translate", "bad address '%s'; expected a number (decimal or 0x hex)", argv[i]);
	if (dopts.arch || cli_is_dump(argv[optind])) {
		rc = cli_dump_open(&cd, argv[optind], &dopts, &err);
		if (!rc)
			cli_dump_view_src(&cd, &src);
	} else {
		rc = pgt_replay(argv[optind], &o, &e, &err);
		if (!rc)
			rc = cli_engine_source(e, mm_id, &src, &err);
	}
	for (i = optind + 1; !rc && i < argc; i++) {
		pgt_parse_u64(argv[i], &n);
		rc = pgt_view_translate(stdout, fmt, &src, n, &err);
	}
	if (rc && cd.d && strncmp(err.msg, cd.d->path, strlen(cd.d->path)))
		pgt_err_prefix(&err, "%s", cd.d->path);
	if (rc)
		cli_error("translate", "%s", err.msg);
	pgt_engine_free(e);
	if (cd.d)
		cli_dump_close(&cd);
	return cli_status_exit(rc);
}

const struct pgt_cmd pgt_cmd_translate = {
	.name = "translate",
	.fn = cmd_translate,
	.usage = "translate [--format text|json|tsv] [--until N] [--mm N] TRACE VA...\n             translate [--format text|json|tsv] [--root R] [--arch A --phys-base PA] DUMP VA...",
	.summary = "walk addresses level by level in a replayed trace or a memory dump",
};
