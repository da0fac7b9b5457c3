/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * pgtctl import strace FILE [-o OUT] [--arch ARCH] [--populate=POLICY]
 * [--pid PID]: a log of strace -f -e trace=%memory[,%process] becomes a
 * text trace (src/trace/import-strace.c; rules in pgtctl(1), IMPORTING
 * STRACE LOGS).  OUT is written to a temporary file in its own directory
 * and renamed over OUT only once complete; with no -o, or -o -, the trace
 * goes to standard output, where nothing at all is written if the log is
 * refused (the importer checks all of it before writing).
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "commands.h"
#include "../arch/arch.h"
#include "../trace/import.h"
#include "../trace/trace.h"

#define CMD "import"

struct output {
	const char *path;	/* OUT as given; "-" is stdout */
	char *tmp;		/* the temporary file; NULL for stdout */
	FILE *fp;
};

/* ".NAME.XXXXXX" beside OUT: rename() is atomic only within a file system. */
static int open_output(struct output *o, struct pgt_err *err)
{
	const char *slash = strrchr(o->path, '/');
	int dirlen = slash ? (int)(slash - o->path + 1) : 0;
	mode_t mask;
	int fd;

	if (!strcmp(o->path, "-")) {
		o->fp = stdout;
		return PGT_OK;
	}
	o->tmp = malloc(strlen(o->path) + sizeof(".XXXXXX") + 1);
	if (!o->tmp)
		return pgt_fail(err, PGT_ERR_NOMEM, "out of memory writing %s",
				o->path);
	sprintf(o->tmp, "%.*s.%s.XXXXXX", dirlen, o->path, o->path + dirlen);
	fd = mkstemp(o->tmp);
	if (fd < 0) {
		pgt_fail(err, PGT_ERR_IO, "cannot create a temporary file for %s: %s",
			 o->path, strerror(errno));
		free(o->tmp);
		o->tmp = NULL;
		return PGT_ERR_IO;
	}
	/* mkstemp makes it 0600; give OUT the mode a plain create would */
	mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask))
		(void)0;	/* keep 0600: still a correct file */
	o->fp = fdopen(fd, "w");
	if (!o->fp) {
		close(fd);
		unlink(o->tmp);
		free(o->tmp);
		o->tmp = NULL;
		return pgt_fail(err, PGT_ERR_IO, "cannot write %s: %s", o->path,
				strerror(errno));
	}
	return PGT_OK;
}

/* Rename the complete file over OUT, or remove it after a failure. */
static int close_output(struct output *o, int ok, struct pgt_err *err)
{
	int rc = PGT_OK;

	if (!o->tmp)
		return PGT_OK;		/* stdout: main() checks it on exit */
	if (ok && (fflush(o->fp) || ferror(o->fp) || fsync(fileno(o->fp))))
		rc = pgt_fail(err, PGT_ERR_IO, "%s: write error: %s", o->path,
			      strerror(errno ? errno : EIO));
	if (fclose(o->fp) && ok && !rc)
		rc = pgt_fail(err, PGT_ERR_IO, "%s: write error: %s", o->path,
			      strerror(errno));
	if (ok && !rc && rename(o->tmp, o->path))
		rc = pgt_fail(err, PGT_ERR_IO, "cannot rename %s to %s: %s",
			      o->tmp, o->path, strerror(errno));
	if (!ok || rc)
		unlink(o->tmp);
	free(o->tmp);
	o->tmp = NULL;
	return rc;
}

static int cmd_import(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "arch", required_argument, NULL, 'a' },
		{ "populate", required_argument, NULL, 'P' },
		{ "pid", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct pgt_import_opts io = { .arch = "s390x" };
	const struct pgt_arch *arch;
	struct pgt_err err = { 0 };
	struct output o = { .path = "-" };
	uint64_t n;
	int opt, rc, rc2;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "ho:", longopts, NULL)) != -1) {
		switch (opt) {
		case 'o':
			o.path = optarg;
			break;
		case 'a':
			io.arch = optarg;
			break;
		case 'P':
			if (pgt_populate_parse(optarg, &io.populate))
				return cli_usage_error(CMD, "bad --populate '%s'; expected none, all or writes",
						       optarg);
			break;
		case 'p':
			if (pgt_parse_u64(optarg, &n) || n == 0 || n > 0x7fffffff)
				return cli_usage_error(CMD, "bad --pid '%s'; expected a process id", optarg);
			io.pid = (long)n;
			break;
		case 'h':
			printf("Usage: pgtctl %s\n%s\n", pgt_cmd_import.usage,
			       pgt_cmd_import.summary);
			return 0;
		default:
			return cli_usage_error(CMD, "bad option");
		}
	}
	if (optind >= argc)
		return cli_usage_error(CMD, "expected a log format and a FILE: 'import strace FILE'");
	if (strcmp(argv[optind], "strace"))
		return cli_usage_error(CMD, "unknown log format '%s'; expected strace",
				       argv[optind]);
	if (optind + 2 != argc)
		return cli_usage_error(CMD, "expected exactly one FILE after 'strace'");
	arch = pgt_arch_find(io.arch);
	if (!arch)
		return cli_usage_error(CMD, "bad --arch '%s'; expected pae, s390x or s390",
				       io.arch);
	io.user_limit = arch->user_limit;

	rc = open_output(&o, &err);
	if (!rc) {
		rc = pgt_import_strace(argv[optind + 1], o.fp, &io, NULL, &err);
		if (!rc && ferror(o.fp))
			rc = pgt_fail(&err, PGT_ERR_IO, "%s: write error",
				      o.tmp ? o.path : "<stdout>");
		rc2 = close_output(&o, !rc, rc ? NULL : &err);
		rc = rc ? rc : rc2;
	}
	if (rc)
		cli_error(CMD, "%s", err.msg);
	return cli_status_exit(rc);
}

const struct pgt_cmd pgt_cmd_import = {
	.name = "import",
	.fn = cmd_import,
	.usage = "import strace FILE [-o OUT] [--arch pae|s390x|s390] [--populate=none|all|writes] [--pid PID]",
	.summary = "turn an strace -f -e trace=%memory,%process log into a trace",
};
