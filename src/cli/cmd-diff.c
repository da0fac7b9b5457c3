/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * pgtctl diff A B: two states compared leaf by leaf (src/session/diff.c).
 * A side is a trace (TRACE@N: the state after op N; the end without @N)
 * or a memory dump (DUMP@ROOT, ROOT as dump --root takes it; a raw image
 * with --arch), and one of them may be "-", standard input (copied to a
 * temporary file first: what it is is told by its content).  Exit 0
 * when equal, 1 when they differ, 2 on error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "commands.h"
#include "cli-source.h"
#include "../session/diff.h"
#include "../session/save-tables.h"

enum { O_FORMAT, O_FILTER, O_RANGE, O_MM_A, O_MM_B, O_EXPLAIN, O_SAME,
       O_ARCH, O_PHYS_BASE, O_ROOT };

static const struct cli_opt diff_opts[] = {
	[O_FORMAT] = { "format", .arg = "FORMAT", .comp = CLI_COMP_WORDS,
		       .words = cli_format_words,
		       .help = "the output format (default text; dot: union tree)" },
	[O_FILTER] = CLI_OPT_FILTER,
	[O_RANGE] = CLI_OPT_RANGE,
	[O_MM_A] = { "mm-a", .arg = "N",
		     .help = "side A, a trace: address space N" },
	[O_MM_B] = { "mm-b", .arg = "N",
		     .help = "side B, a trace: address space N" },
	[O_EXPLAIN] = { "explain",
			.help = "the op that last changed each difference (traces)" },
	[O_SAME] = { "same-memory",
		     .help = "two dumps of one machine: compare frames too" },
	[O_ARCH] = { "arch", .arg = "ARCH", .comp = CLI_COMP_ARCH,
		     .help = "the paging format of a dump side (raw images)" },
	[O_PHYS_BASE] = { "phys-base", .arg = "PA",
			  .help = "where a raw image side starts in memory" },
	[O_ROOT] = { "root", .arg = "ROOT", .comp = CLI_COMP_WORDS,
		     .words = cli_root_words, .open = true,
		     .help = "the root of a dump side without @ROOT" },
	{ NULL },
};

/* one side, opened */
struct side {
	char which;			/* 'A', 'B' */
	const char *arg;		/* the operand as given */
	char path[4096];
	const char *at;			/* after '@', or NULL */
	bool dump;
	bool raw;			/* a raw image (--arch) */
	int stdin_fd;			/* "-": the copy of standard input */
	uint64_t spooled;		/* its bytes, 0: not copied */
	unsigned long pos;		/* a trace: the position walked */
	struct stat st;
	int mm_id;			/* --mm-a / --mm-b */
	struct pgt_session *s;
	struct pgt_engine_pick pick;
	struct pgt_dump_source ds;
	char name[4200];
	struct pgt_diff_side d;
};

/* "FILE@SPEC": a file named with an '@' is taken whole when it exists */
static int split(struct side *x)
{
	const char *at = strrchr(x->arg, '@');
	size_t n;

	if (!at || !stat(x->arg, &x->st)) {
		snprintf(x->path, sizeof(x->path), "%s", x->arg);
		return 0;
	}
	n = (size_t)(at - x->arg);
	if (n >= sizeof(x->path) || !n || !at[1])
		return cli_usage_error("diff", "bad side '%s'; expected TRACE[@N] or DUMP[@ROOT]",
				       x->arg);
	memcpy(x->path, x->arg, n);
	x->path[n] = '\0';
	x->at = at + 1;
	return 0;
}

/* "-": standard input copied once, told by its content; a trace is read
 * from the copy as standard input */
static int spool(struct side *x, struct pgt_source_id *id, bool arch_given)
{
	struct pgt_err err = { 0 };
	bool copied;
	int fd;

	if (pgt_source_spool_stdin(&fd, &x->spooled, &copied, &err) ||
	    pgt_source_identify_fd(fd, id, &err) || fstat(fd, &x->st)) {
		cli_error("diff", "%s", err.msg[0] ? err.msg : "<stdin>: cannot read");
		return EXIT_USAGE;
	}
	if (!copied)
		x->spooled = 0;
	if (x->spooled)
		fprintf(stderr, "pgtctl: diff: %c: standard input (%llu bytes) copied to an unlinked temporary file in %s\n",
			x->which, (unsigned long long)x->spooled,
			pgt_source_spool_dir());
	/* a dump (a raw image with --arch) is opened from the copy's fd */
	if (id->kind != PGT_SOURCE_DUMP &&
	    !(id->kind == PGT_SOURCE_UNKNOWN && arch_given)) {
		/* the trace reader reads standard input: make it the copy */
		if (dup2(fd, 0) < 0) {
			cli_error("diff", "<stdin>: cannot read its copy back");
			close(fd);
			return EXIT_USAGE;
		}
		close(fd);
		fd = -1;
	}
	x->stdin_fd = fd;
	return 0;
}

/* what the file is: a dump, a trace, or a usage error saying what */
static int kind(struct side *x, bool arch_given)
{
	struct pgt_source_id id;
	struct pgt_err err = { 0 };
	int rc;

	x->stdin_fd = -1;
	if (!strcmp(x->path, "-")) {
		if ((rc = spool(x, &id, arch_given)))
			return rc;
	} else if (stat(x->path, &x->st) ||
		   pgt_source_identify_path(x->path, &id, &err)) {
		return 0;	/* the reader says why it cannot open it */
	}
	x->dump = id.kind == PGT_SOURCE_DUMP;
	/* bytes that are nothing else are a raw image when --arch says so */
	if (id.kind == PGT_SOURCE_UNKNOWN && arch_given)
		x->dump = x->raw = true;
	if (id.kind == PGT_SOURCE_OTHER || id.kind == PGT_SOURCE_STRACE) {
		cli_error("diff", "%s is %s; expected a trace or a memory dump%s%s",
			  x->path, id.what, id.hint ? ": " : "",
			  id.hint ? id.hint : "");
		return EXIT_USAGE;
	}
	if (x->dump && x->mm_id)
		return cli_usage_error("diff", "--mm-%c does not apply to %s, a memory dump",
				       x->which == 'A' ? 'a' : 'b', x->path);
	return 0;
}

static int open_trace(struct side *x, bool explain, struct pgt_err *err)
{
	struct pgt_session_opts so = { 0 };
	unsigned long pos, moved = 0;
	uint64_t n;
	int rc;

	if ((rc = pgt_session_open(x->path, &so, &x->s, err)))
		return rc;
	pos = pgt_session_length(x->s);
	if (x->at) {
		if (pgt_parse_u64(x->at, &n) || n > pos)
			return pgt_fail(err, PGT_ERR_USAGE,
					"%s: bad position '%s'; expected an operation count from 0 to %lu",
					x->arg, x->at, pos);
		pos = (unsigned long)n;
	}
	x->pos = pos;
	if (explain) {
		if ((rc = pgt_diff_history_new(x->s, &x->d.hist, err)))
			return rc;
		/* step, not goto: the history listens to the moves */
		rc = pgt_session_step(x->s, pos, &moved, err);
	} else {
		rc = pgt_session_goto(x->s, pos, err);
	}
	if (!rc)
		rc = pgt_engine_pick(&x->pick, pgt_session_engine(x->s),
				     x->mm_id, err);
	if (rc)
		return rc;
	if (x->pick.st.note)
		fprintf(stderr, "pgtctl: diff: note: %c: %s\n", x->which,
			x->pick.st.note);
	x->d.src = x->pick.src;
	x->d.mm = x->pick.st.mm;
	x->d.kind = "replay";
	if (x->pick.st.mm)
		snprintf(x->name, sizeof(x->name), "%s@%lu mm %d", x->path,
			 pos, x->pick.st.mm);
	else
		snprintf(x->name, sizeof(x->name), "%s@%lu", x->path, pos);
	return PGT_OK;
}

static int open_dump(struct side *x, const struct pgt_dump_source_opts *dflt,
		     struct pgt_err *err)
{
	struct pgt_dump_source_opts o = *dflt;
	int rc;

	if (x->at)
		o.root = x->at;
	if (x->stdin_fd >= 0) {
		rc = pgt_dump_source_open_fd(&x->ds, x->stdin_fd, "<stdin>", &o,
					     err);
		close(x->stdin_fd);
		x->stdin_fd = -1;
	} else {
		rc = cli_dump_open(&x->ds, x->path, &o, err);
	}
	if (rc)
		return rc;
	pgt_dump_source_view(&x->ds, &x->d.src);
	x->d.kind = x->raw ? "raw image" : "dump";
	snprintf(x->name, sizeof(x->name), "%s@0x%llx",
		 strcmp(x->path, "-") ? x->path : "<stdin>",
		 (unsigned long long)x->ds.root);
	return PGT_OK;
}

static int open_side(struct side *x, bool explain,
		     const struct pgt_dump_source_opts *dflt, struct pgt_err *err)
{
	int rc;

	x->d.name = x->name;
	rc = x->dump ? open_dump(x, dflt, err) : open_trace(x, explain, err);
	if (rc && !strstr(err->msg, x->path))
		pgt_err_prefix(err, "%s", x->arg);
	return rc;
}

/* the paging format of a side, also when its state is empty */
static const struct pgt_arch *side_arch(const struct side *x)
{
	return x->dump ? x->ds.arch : pgt_session_engine(x->s)->m.arch;
}

static int check_arch(const struct side *a, const struct side *b,
		      struct pgt_err *err)
{
	const struct pgt_arch *x = side_arch(a), *y = side_arch(b);

	if (x == y)
		return PGT_OK;
	return pgt_fail(err, PGT_ERR_USAGE,
			"%s is %s, %s is %s; expected two states of one paging format",
			a->arg, x->name, b->arg, y->name);
}

static void close_side(struct side *x)
{
	if (x->stdin_fd >= 0)
		close(x->stdin_fd);
	pgt_diff_history_free(x->d.hist);
	if (x->s)
		pgt_session_close(x->s);
	if (x->ds.d)
		pgt_dump_source_close(&x->ds);
}

/* a dump written by replay --save-tables: VMCOREINFO names its trace */
static bool saved_replay(const struct side *x, char *digest, size_t dlen,
			 unsigned long *pos)
{
	char buf[32];

	if (!x->dump || !x->ds.d ||
	    !pgt_vmcoreinfo_get(x->ds.d, "PGTCTL_REPLAY_POSITION", buf,
				sizeof(buf)))
		return false;
	*pos = strtoul(buf, NULL, 10);
	if (!pgt_vmcoreinfo_get(x->ds.d, "PGTCTL_REPLAY_DIGEST", digest, dlen))
		digest[0] = '\0';
	return true;
}

/* a replay and the tables it saved: frames of one simulated memory */
static const char *saved_note(const struct side *t, const struct side *d,
			      bool *same)
{
	char want[80], have[40];
	unsigned long pos;
	struct pgt_err err = { 0 };

	if (!saved_replay(d, want, sizeof(want), &pos))
		return "physical addresses were not compared: a replay's frames are not a dump's";
	if (!strcmp(t->path, "-") || !want[0] ||
	    pgt_file_digest(t->path, have, sizeof(have), &err))
		return "physical addresses were not compared: the trace read cannot be matched with the one the dump was saved from (--same-memory if it is)";
	if (strcmp(want, have) || pos != t->pos)
		return "physical addresses were not compared: the dump was saved by replay --save-tables from another trace or position";
	*same = true;
	return NULL;
}

/* the same memory: one replay at two points, one dump at two roots, a
 * replay and the tables it saved */
static const char *pa_note(const struct side *a, const struct side *b,
			   bool *same)
{
	*same = a->dump == b->dump && a->st.st_dev == b->st.st_dev &&
		a->st.st_ino == b->st.st_ino;
	if (*same)
		return NULL;
	if (a->dump != b->dump)
		return a->dump ? saved_note(b, a, same) : saved_note(a, b, same);
	return a->dump ?
	       "physical addresses were not compared: two different dumps" :
	       "physical addresses were not compared: two different traces";
}

/* --same-memory: two dumps, or a replay and a dump it saved */
static int check_same(const struct side *x)
{
	char digest[80];
	unsigned long pos;

	if (x[0].dump && x[1].dump)
		return 0;
	if (!x[0].dump && !x[1].dump)
		return cli_usage_error("diff", "--same-memory is for two memory dumps (or a replay and a dump it saved); two points of one trace are compared as one memory already");
	if (saved_replay(x[0].dump ? &x[0] : &x[1], digest, sizeof(digest), &pos))
		return 0;
	return cli_usage_error("diff", "--same-memory: %s was not saved by replay --save-tables; a replay's frames are its own",
			       x[0].dump ? x[0].arg : x[1].arg);
}

static int parse_mm(struct cli_args *a, int opt, int *mm)
{
	const char *v = cli_val(a, opt);

	return v ? cli_parse_mm_id("diff", diff_opts[opt].name, v, mm) : 0;
}

static int parse_opts(struct cli_args *a, enum pgt_format *fmt,
		      struct pgt_diff_opts *o, struct side *x)
{
	enum pgt_view view = PGT_VIEW_DIFF;
	const char *v;
	int rc;

	if ((v = cli_val(a, O_FORMAT)) && cli_parse_format("diff", v, fmt))
		return EXIT_USAGE;
	o->union_tree = *fmt == PGT_FMT_DOT;
	if (cli_check_format("diff", *fmt, &view, 1))
		return EXIT_USAGE;
	if ((v = cli_val(a, O_FILTER)) &&
	    cli_parse_filter("diff", v, &o->want, &o->deny))
		return EXIT_USAGE;
	if ((v = cli_val(a, O_RANGE)) &&
	    cli_parse_range("diff", v, &o->va_start, &o->va_end))
		return EXIT_USAGE;
	if ((rc = parse_mm(a, O_MM_A, &x[0].mm_id)) ||
	    (rc = parse_mm(a, O_MM_B, &x[1].mm_id)))
		return rc;
	if (a->argc != 2)
		return cli_usage_error("diff", "expected two sides, A and B (TRACE[@N] or DUMP[@ROOT])");
	x[0].arg = a->argv[0];
	x[1].arg = a->argv[1];
	if (!strcmp(x[0].arg, "-") + !strcmp(x[1].arg, "-") +
	    !strncmp(x[0].arg, "-@", 2) + !strncmp(x[1].arg, "-@", 2) > 1)
		return cli_usage_error("diff", "both sides are standard input ('-'); at most one can be");
	if ((rc = split(&x[0])) || (rc = split(&x[1])) ||
	    (rc = kind(&x[0], cli_has(a, O_ARCH))) ||
	    (rc = kind(&x[1], cli_has(a, O_ARCH))))
		return rc;
	if (cli_has(a, O_ARCH) && !x[0].dump && !x[1].dump)
		return cli_usage_error("diff", "--arch applies to a memory dump side; both are traces");
	if (cli_has(a, O_PHYS_BASE) && !x[0].raw && !x[1].raw)
		return cli_usage_error("diff", "--phys-base applies to a raw image side; neither side is one");
	if (cli_has(a, O_EXPLAIN) && x[0].dump && x[1].dump)
		return cli_usage_error("diff", "--explain needs a trace side; both are memory dumps");
	return 0;
}

static int cmd_diff(struct cli_args *a)
{
	static struct side x[2] = { { .which = 'A' }, { .which = 'B' } };
	enum pgt_format fmt = PGT_FMT_TEXT;
	struct pgt_diff_opts o = { 0 };
	struct pgt_diff_result res;
	struct pgt_render *r = NULL;
	struct pgt_err err = { 0 };
	bool explain = cli_has(a, O_EXPLAIN);
	struct pgt_dump_source_opts dopts = { .arch = cli_val(a, O_ARCH),
					      .root = cli_val(a, O_ROOT),
					      /* a side on stdin too */
					      .inflater = cli_inflater() };
	const char *v;
	int rc;

	if ((v = cli_val(a, O_PHYS_BASE)) && pgt_parse_u64(v, &dopts.phys_base))
		return cli_usage_error("diff", "bad --phys-base '%s'; expected a physical address", v);
	if ((rc = parse_opts(a, &fmt, &o, x)))
		return rc;
	rc = open_side(&x[0], explain, &dopts, &err);
	if (!rc)
		rc = open_side(&x[1], explain, &dopts, &err);
	if (!rc)
		rc = check_arch(&x[0], &x[1], &err);
	if (!rc && cli_has(a, O_SAME) && check_same(x)) {
		close_side(&x[0]);
		close_side(&x[1]);
		return EXIT_USAGE;
	}
	o.note = pa_note(&x[0], &x[1], &o.compare_pa);
	/* one dump file: its frames hold the same bytes for both roots */
	o.same_frames = x[0].dump && x[1].dump && o.compare_pa &&
			!x[0].spooled && !x[1].spooled;
	if (cli_has(a, O_SAME)) {
		o.compare_pa = true;	/* the user knows: one machine */
		o.note = NULL;
	}
	if (!rc && !(r = cli_render("diff", fmt)))
		rc = pgt_fail(&err, PGT_ERR_NOMEM, "out of memory");
	if (!rc)
		rc = pgt_diff(pgt_render_sink(r), &x[0].d, &x[1].d, &o, &res,
			      &err);
	pgt_render_finish(r);
	if (rc)
		cli_report("diff", rc, err.msg);
	close_side(&x[0]);
	close_side(&x[1]);
	if (rc)
		return EXIT_USAGE;
	return res.rows ? EXIT_NO : 0;
}

static const struct cli_operand diff_operands[] = {
	{ .name = "A", .comp = CLI_COMP_SOURCE },
	{ .name = "B", .comp = CLI_COMP_SOURCE },
	{ NULL },
};

const struct pgt_cmd pgt_cmd_diff = {
	.name = "diff",
	.summary = "compare two states (replayed traces, dump roots) leaf by leaf",
	.operands = diff_operands,
	.opts = diff_opts,
	.sources = CLI_SRC_TRACE | CLI_SRC_DUMP | CLI_SRC_RAW,
	.exec = cmd_diff,
};
