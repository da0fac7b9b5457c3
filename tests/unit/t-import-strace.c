/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Unit test of the strace importer (src/trace/import-strace.c): every
 * syscall form, unfinished/resumed pairs, process events, the line
 * prefixes strace writes, the populate policies, --pid, and one check per
 * error class that the message names FILE:LINE and what was expected.
 * Logs are written to a private temporary directory; each trace produced
 * is also read back by the trace reader and, for the larger ones, replayed
 * with the invariant checks on.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "arch/arch.h"
#include "session/replay.h"
#include "trace/import.h"
#include "trace/trace.h"
#include "../lib/tap.h"

static char tmpdir[64];
static char logpath[256], tracepath[256];

struct res {
	int status;
	struct pgt_err err;
	char *out;
	size_t outlen;
	struct pgt_import_stats st;
	char ops[8192];		/* the operation lines, without comments */
};

static void write_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "w");

	if (!f || fwrite(data, 1, len, f) != len || fclose(f)) {
		perror(path);
		exit(99);
	}
}

/* Operation lines only: no header, arch or comment lines, no comments. */
static void extract_ops(struct res *r)
{
	const char *p = r->out ? r->out : "";
	size_t n = 0;

	r->ops[0] = '\0';
	while (*p) {
		const char *e = strchr(p, '\n'), *h;
		size_t len = e ? (size_t)(e - p) : strlen(p);

		h = memchr(p, '#', len);
		if (h)
			len = (size_t)(h - p);
		while (len && p[len - 1] == ' ')
			len--;
		if (len && strncmp(p, "pgtctl-trace ", 13) &&
		    strncmp(p, "arch ", 5) && n + len + 2 < sizeof(r->ops)) {
			memcpy(r->ops + n, p, len);
			n += len;
			r->ops[n++] = '\n';
			r->ops[n] = '\0';
		}
		p = e ? e + 1 : p + len;
	}
}

static void run_bytes(const char *log, size_t len, const char *arch,
		      enum pgt_populate pop, long pid, struct res *r)
{
	struct pgt_import_opts o = { .arch = arch, .populate = pop, .pid = pid,
				     .display = "t.strace" };
	FILE *m;

	free(r->out);
	memset(r, 0, sizeof(*r));
	o.user_limit = pgt_arch_find(arch)->user_limit;
	o.limit_note = pgt_arch_find(arch)->user_limit_note;
	write_file(logpath, log, len);
	m = open_memstream(&r->out, &r->outlen);
	if (!m) {
		perror("open_memstream");
		exit(99);
	}
	r->status = pgt_import_strace(logpath, m, &o, &r->st, &r->err);
	fclose(m);
	extract_ops(r);
}

static void run(const char *log, const char *arch, enum pgt_populate pop,
		long pid, struct res *r)
{
	run_bytes(log, strlen(log), arch, pop, pid, r);
}

static int okf(int cond, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int okf(int cond, const char *fmt, ...)
{
	char name[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	return tap_ok(cond, name);
}

static void is_ok(const struct res *r, const char *what)
{
	if (!tap_ok(r->status == PGT_OK, what))
		printf("#   %s\n", r->err.msg);
}

/* an error whose message contains `want`, and nothing written */
static void is_error(const struct res *r, const char *want, const char *what)
{
	int good = r->status == PGT_ERR_INPUT && strstr(r->err.msg, want) &&
		   r->outlen == 0;

	if (!tap_ok(good, what))
		printf("#   status %d, %zu bytes written, message: %s\n#   want: %s\n",
			r->status, r->outlen, r->err.msg, want);
}

static void has(const struct res *r, const char *want, const char *what)
{
	if (!tap_ok(r->out && strstr(r->out, want) != NULL, what))
		printf("#   '%s' not in the trace:\n%s", want, r->out ? r->out : "");
}

/* every line of the log is counted exactly once */
static void sums(const struct res *r, const char *what)
{
	const struct pgt_import_stats *s = &r->st;
	unsigned long sum = s->imported + s->failed + s->no_result +
			    s->not_modelled + s->ignored + s->unfinished +
			    s->signals + s->exits + s->messages + s->blank +
			    s->other_pid;

	if (!okf(sum == s->lines, "%s: the summary counts every line once", what))
		printf("#   %lu counted, %lu lines\n", sum, s->lines);
}

/* The trace reads back and, if asked, replays with --check. */
static void reads_back(const struct res *r, int replay, const char *what)
{
	struct pgt_trace_reader *tr;
	struct pgt_err err = { 0 };
	struct pgt_op op;
	unsigned long n = 0;
	int done = 0, rc;

	write_file(tracepath, r->out, r->outlen);
	rc = pgt_trace_open(tracepath, &tr, &err);
	while (!rc) {
		rc = pgt_trace_next(tr, &op, &done, &err);
		if (rc || done)
			break;
		n++;
	}
	if (!rc || tr)
		pgt_trace_close(tr);
	if (!okf(rc == PGT_OK && n == r->st.ops,
		    "%s: the trace reads back, %lu operations", what, r->st.ops))
		printf("#   %s (%lu operations read)\n", err.msg, n);
	if (replay) {
		struct pgt_replay_opts o = { .check = true };
		struct pgt_engine *e = NULL;

		pgt_err_clear(&err);
		rc = pgt_replay(tracepath, &o, &e, &err);
		if (!okf(rc == PGT_OK, "%s: replays with the invariant checks", what))
			printf("#   %s\n", err.msg);
		pgt_engine_free(e);
	}
	unlink(tracepath);
}

/* ------------------------------------------------------------------ */

static const char log_forms[] =
	"execve(\"/bin/x\", [\"x\"], 0x7ffe12345678 /* 1 var */) = 0\n"
	"brk(NULL)                               = 0x555555559000\n"
	"mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f0000000000\n"
	"mmap(NULL, 5000, PROT_READ, MAP_PRIVATE, 3, 0) = 0x7f0000010000\n"
	"mmap(0x7f0000020000, 4096, PROT_READ|PROT_EXEC, MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE, 3, 0x1000) = 0x7f0000020000\n"
	"mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_SHARED, 4, 0) = 0x7f0000030000\n"
	"mmap(NULL, 65536, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS, -1, 0) = 0x7f0000040000\n"
	"mmap2(NULL, 4096, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f0000050000\n"
	"mprotect(0x7f0000000000, 4096, PROT_READ) = 0\n"
	"pkey_mprotect(0x7f0000040000, 4096, PROT_NONE, 1) = 0\n"
	"munmap(0x7f0000010000, 5000)           = 0\n"
	"brk(0x55555557a000)                     = 0x55555557a000\n"
	"brk(0x555555569000)                     = 0x555555569000\n"
	"madvise(0x7f0000040000, 8192, MADV_DONTNEED) = 0\n"
	"madvise(0x7f0000040000, 65536, MADV_HUGEPAGE) = 0\n"
	"madvise(0x7f0000040000, 65536, MADV_NOHUGEPAGE) = 0\n"
	"madvise(0x7f0000040000, 4096, MADV_WILLNEED) = 0\n"
	"mprotect(0x400000, 4096, PROT_READ)     = 0\n"
	"mmap(NULL, 2097152, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB|21<<MAP_HUGE_SHIFT, -1, 0) = 0x7f0000200000\n"
	"exit_group(0)                           = ?\n"
	"+++ exited with 0 +++\n";

static void test_forms(void)
{
	struct res r = { 0 };

	run(log_forms, "s390x", PGT_POPULATE_NONE, 0, &r);
	is_ok(&r, "forms: a single-process log without pids imports");
	is_str(r.ops,
	       "alloc 0x7f0000000000 8K rw private anon\n"
	       "alloc 0x7f0000010000 8K r private file\n"
	       "alloc 0x7f0000020000 4K rx private file\n"
	       "alloc 0x7f0000030000 4K rw shared file\n"
	       "alloc 0x7f0000040000 64K rw shared anon\n"
	       "alloc 0x7f0000050000 4K none private anon\n"
	       "protect 0x7f0000000000 4K r\n"
	       "protect 0x7f0000040000 4K none\n"
	       "unmap 0x7f0000010000 8K\n"
	       "alloc 0x555555559000 132K rw private anon\n"
	       "unmap 0x555555569000 68K\n"
	       "advise 0x7f0000040000 8K dontneed\n"
	       "advise 0x7f0000040000 64K hugepage\n"
	       "advise 0x7f0000040000 64K nohugepage\n"
	       "protect 0x400000 4K r\n"
	       "alloc 0x7f0000200000 2M rw private anon\n"
	       "exit\n",
	       "forms: mmap/mmap2 (anon, file, shared, fixed, rounded), mprotect, pkey_mprotect, munmap, brk, madvise");
	has(&r, "alloc 0x7f0000000000 8K rw private anon    # L3 pid ? mmap\n",
	    "forms: each operation names its log line");
	has(&r, "# L17 pid ?: madvise MADV_WILLNEED: not modelled\n",
	    "forms: other madvise advice is a comment");
	has(&r, "# L18 pid ? mprotect (not all mapped by calls of the log",
	    "forms: an operation on execve's mappings says so");
	has(&r, "# L19 pid ? mmap MAP_HUGETLB, as 4 KiB pages",
	    "forms: MAP_HUGETLB is an ordinary mapping, with a comment");
	ok(r.st.imported == 18 && r.st.not_modelled == 1 && r.st.ignored == 1 &&
	   r.st.exits == 1 && r.st.ops == 17 && r.st.mms == 1,
	   "forms: counts (imported %lu, not modelled %lu, ignored %lu, ops %lu)",
	   r.st.imported, r.st.not_modelled, r.st.ignored, r.st.ops);
	has(&r, "#   1 calls of other syscalls, ignored:\n#     exit_group 1\n",
	    "forms: ignored syscalls are listed by name in the header");
	has(&r, "\narch s390x\n", "forms: the arch line follows the header comment");
	ok(!strstr(r.ops, "fork"), "forms: one process needs no template mm");
	sums(&r, "forms");
	reads_back(&r, 1, "forms");
	free(r.out);
}

static const char log_populate[] =
	"100 brk(NULL) = 0x1000000\n"
	"100 mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x2000000\n"
	"100 mmap(NULL, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x2010000\n"
	"100 mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x2020000\n"
	"100 mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE, 3, 0) = 0x2030000\n"
	"100 brk(0x1002000) = 0x1002000\n"
	"100 mremap(0x2000000, 8192, 16384, MREMAP_MAYMOVE) = 0x2040000\n"
	"100 mprotect(0x2020000, 4096, PROT_READ|PROT_WRITE) = 0\n";

static void test_populate(void)
{
	static const char *const base[] = {
		"alloc 0x2000000 8K rw private anon\n",
		"alloc 0x2010000 4K r private anon\n",
		"alloc 0x2020000 4K none private anon\n"
		"alloc 0x2030000 4K rw private file\n",
		"alloc 0x1000000 8K rw private anon\n",
		"remap 0x2000000 8K 16K 0x2040000\n",
		"protect 0x2020000 4K rw\n",
	};
	static const char *const all[] = {
		"populate 0x2000000 8K write\n",
		"populate 0x2010000 4K read\n",
		"",
		"populate 0x1000000 8K write\n",
		"populate 0x2042000 8K write\n",
		"",
	};
	char want[1024];
	struct res r = { 0 };
	enum pgt_populate pp;
	int pol, i;

	for (pol = PGT_POPULATE_NONE; pol <= PGT_POPULATE_WRITES; pol++) {
		const char *name = pgt_populate_name(pol);

		run(log_populate, "pae", pol, 0, &r);
		is_ok(&r, "populate: a 32-bit log imports for arch pae");
		want[0] = '\0';
		for (i = 0; i < 6; i++) {
			strcat(want, base[i]);
			if (pol == PGT_POPULATE_ALL ||
			    (pol == PGT_POPULATE_WRITES && strstr(all[i], "write")))
				strcat(want, all[i]);
		}
		is_str(r.ops, want, "--populate=%s: exactly the documented populate operations", name);
		has(&r, "\narch pae\n", "populate: arch pae");
		reads_back(&r, 1, name);
	}
	has(&r, "populate 0x2000000 8K write                # L2 pid 100 --populate=writes: new anonymous mapping\n",
	    "populate: the comment names the policy");
	ok(pgt_populate_parse("all", &pp) == 0 && pp == PGT_POPULATE_ALL &&
	   pgt_populate_parse("some", &pp) == -1,
	   "populate: the policy names parse");
	free(r.out);
}

static const char log_unfinished[] =
	"100  mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0 <unfinished ...>\n"
	"101  munmap(0x3000000, 4096 <unfinished ...>\n"
	"100  <... mmap resumed>)                = 0x2000000\n"
	"101  <... munmap resumed>)              = 0\n"
	"100  mprotect(0x2000000, 4096, PROT_READ <unfinished ...>\n"
	"100  <... mprotect resumed>)            = 0\n"
	"100  mmap(NULL, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0 <unfinished ...>\n"
	"100  <... mmap resumed> <unfinished ...>) = ?\n"
	"101  mmap(NULL, 4096, PROT_READ <unfinished ...>\n";

static void test_unfinished(void)
{
	struct res r = { 0 };

	run(log_unfinished, "s390x", PGT_POPULATE_NONE, 0, &r);
	is_ok(&r, "unfinished: split calls import");
	is_str(r.ops,
	       "fork 3\n"
	       "mm 3\n"
	       "fork 2\n"
	       "mm 1\n"
	       "alloc 0x2000000 8K rw private anon\n"
	       "mm 2\n"
	       "unmap 0x3000000 4K\n"
	       "mm 1\n"
	       "protect 0x2000000 4K r\n",
	       "unfinished: each call takes effect on its resumed line, in the right mm");
	has(&r, "alloc 0x2000000 8K rw private anon         # L3 pid 100 mmap\n",
	    "unfinished: the operation names the resumed line");
	has(&r, "# L8 pid 100: mmap = ?: no result in the log",
	    "unfinished: a call without a result is a comment");
	has(&r, "# pid 101: mmap of line 9 is unfinished at the end of the log: skipped",
	    "unfinished: a call left open at the end is a comment");
	has(&r, "# L2 pid 101: first seen here without a fork or clone in the log: a new address space (copy-on-write with its parent cannot be shown)",
	    "unfinished: a pid without a fork gets a new mm, with a comment");
	ok(r.st.unfinished == 5 && r.st.no_result == 1 && r.st.mms == 2,
	   "unfinished: counts (%lu unfinished, %lu no result, %lu mms)",
	   r.st.unfinished, r.st.no_result, r.st.mms);
	sums(&r, "unfinished");
	reads_back(&r, 1, "unfinished");

	run("100 mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, 3, 0) = 0x1000\n"
	    "100 <... munmap resumed>) = 0\n", "s390x", 0, 0, &r);
	is_error(&r, "t.strace:2: cannot parse '<... munmap resumed>': pid 100 has no unfinished 'munmap' call; expected an earlier 'munmap(... <unfinished ...>' line",
		 "unfinished: a resumed line without its start is an error");
	run("100 mmap(NULL, 4096, PROT_READ <unfinished ...>\n"
	    "100 <... munmap resumed>) = 0\n", "s390x", 0, 0, &r);
	is_error(&r, "t.strace:2: cannot parse '<... munmap resumed>': pid 100 has no unfinished 'munmap' call",
		 "unfinished: a resumed line of another call is an error");
	run("100 mmap(NULL, 4096, PROT_READ <unfinished ...>\n"
	    "101 brk(NULL) = 0x1000\n"
	    "100 munmap(0x1000, 4096) = 0\n", "s390x", 0, 0, &r);
	is_error(&r, "t.strace:3: pid 100 makes a new call while 'mmap' of line 1 is unfinished; expected '<... mmap resumed>' first",
		 "unfinished: a new call while one is unfinished is an error");
	free(r.out);
}

static const char log_procs[] =
	"200 execve(\"/bin/sh\", [\"sh\"], 0x7ffc00000000 /* 3 vars */) = 0\n"
	"200 mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f0000000000\n"
	"200 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f0000000a10) = 201\n"
	"201 munmap(0x7f0000000000, 4096) = 0\n"
	"200 clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM, exit_signal=0, stack=0x7f0000100000, stack_size=0x10000} => {parent_tid=[202]}, 88) = 202\n"
	"202 mmap(NULL, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f0000200000\n"
	"202 +++ exited with 0 +++\n"
	"201 execve(\"/bin/true\", [\"true\"], 0x7ffc00000000 /* 3 vars */) = 0\n"
	"201 brk(NULL) = 0x600000\n"
	"201 brk(0x621000) = 0x621000\n"
	"201 +++ killed by SIGKILL +++\n"
	"200 --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_KILLED, si_pid=201, si_uid=0, si_status=SIGKILL, si_utime=0, si_stime=0} ---\n"
	"200 vfork( <unfinished ...>\n"
	"203 execve(\"/bin/ls\", [\"ls\"], 0x7ffc00000000 /* 3 vars */ <unfinished ...>\n"
	"200 <... vfork resumed>)              = 203\n"
	"203 <... execve resumed>)             = 0\n"
	"203 exit_group(0) = ?\n"
	"203 +++ exited with 0 +++\n"
	"200 wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 203\n"
	"200 execve(\"/nonexistent\", [\"x\"], 0x7ffc00000000 /* 3 vars */) = -1 ENOENT (No such file or directory)\n"
	"200 exit_group(0) = ?\n"
	"200 +++ exited with 0 +++\n";

static void test_procs(void)
{
	struct res r = { 0 };

	run(log_procs, "s390x", PGT_POPULATE_NONE, 0, &r);
	is_ok(&r, "processes: a log with process events imports");
	is_str(r.ops,
	       "fork 4\n"
	       "alloc 0x7f0000000000 4K rw private anon\n"
	       "fork 2\n"
	       "mm 2\n"
	       "unmap 0x7f0000000000 4K\n"
	       "mm 1\n"
	       "thread +1\n"
	       "alloc 0x7f0000200000 4K r private anon\n"
	       "thread -1\n"
	       "mm 2\n"
	       "exec\n"
	       "alloc 0x600000 132K rw private anon\n"
	       "exit\n"
	       "mm 1\n"
	       "thread +1\n"
	       "thread -1\n"
	       "mm 4\n"
	       "fork 3\n"
	       "mm 3\n"
	       "exit\n"
	       "mm 1\n"
	       "exit\n",
	       "processes: fork, thread, exec (the mm replaced, same id), vfork+exec (new mm from the template), exits");
	has(&r, "fork 4                                     # an empty mm, kept to fork new address spaces from\n",
	    "processes: the template mm is the first operation");
	has(&r, "exec                                       # L8 pid 201 execve: a new address space replaces the old one\n",
	    "processes: the execve of a process alone in its mm is 'exec'");
	has(&r, "fork 2                                     # L3 pid 200 clone -> pid 201\n",
	    "processes: the fork names the child");
	has(&r, "thread +1                                  # L13 pid 200 vfork -> pid 203, sharing the mm\n",
	    "processes: vfork shares the mm from the line where it begins");
	has(&r, "# L20 pid 200: execve = -1 ENOENT: failed call, skipped\n",
	    "processes: a failed execve is a comment");
	ok(r.st.mms == 3 && r.st.processes == 4 && r.st.exits == 4 &&
	   r.st.signals == 1 && r.st.failed == 1,
	   "processes: counts (%lu mms, %lu tasks, %lu exits, %lu signals, %lu failed)",
	   r.st.mms, r.st.processes, r.st.exits, r.st.signals, r.st.failed);
	sums(&r, "processes");
	reads_back(&r, 1, "processes");

	/* --pid of a forked child: its inherited mappings come first */
	run(log_procs, "s390x", PGT_POPULATE_ALL, 201, &r);
	is_ok(&r, "--pid: imports");
	is_str(r.ops,
	       "alloc 0x7f0000000000 4K rw private anon\n"
	       "populate 0x7f0000000000 4K write\n"
	       "unmap 0x7f0000000000 4K\n"
	       "exec\n"
	       "alloc 0x600000 132K rw private anon\n"
	       "populate 0x600000 132K write\n"
	       "exit\n",
	       "--pid: only the child's address space, starting with what it inherited, then its exec");
	has(&r, "# L3 pid 200 inherited from the parent at the fork",
	    "--pid: the inherited mappings say so");
	ok(r.st.other_pid > 0, "--pid: the other processes' calls are counted (%lu)",
	   r.st.other_pid);
	sums(&r, "--pid");
	reads_back(&r, 1, "--pid");
	run(log_procs, "s390x", PGT_POPULATE_NONE, 999, &r);
	is_error(&r, "t.strace: pid 999 does not appear in the log",
		 "--pid: a pid not in the log is an error");
	run("mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, 3, 0) = 0x1000\n", "s390x",
	    PGT_POPULATE_NONE, 5, &r);
	is_error(&r, "t.strace:1: line without a pid, but --pid needs one on every line",
		 "--pid: needs a pid on every line");

	/* strace without -f: the children never appear */
	run("execve(\"/bin/sh\", [\"sh\"], 0x7ffc00000000 /* 1 var */) = 0\n"
	    "mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f0000000000\n"
	    "clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f0000000a10) = 501\n"
	    "wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 501\n"
	    "--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=501, si_uid=0, si_status=0, si_utime=0, si_stime=0} ---\n"
	    "munmap(0x7f0000000000, 4096) = 0\n"
	    "+++ exited with 0 +++\n", "s390x", 0, 0, &r);
	is_ok(&r, "no -f: a log whose children never appear imports");
	is_str(r.ops,
	       "alloc 0x7f0000000000 4K rw private anon\n"
	       "fork 2\n"
	       "unmap 0x7f0000000000 4K\n"
	       "exit\n",
	       "no -f: the lines without a pid stay with the parent");
	has(&r, "# pid 501: created by a clone, but no line of its own in the log (strace without -f?): its mm 2 is left as it is\n",
	    "no -f: the child that never appears is named at the end");
	sums(&r, "no -f");

	/* a thread whose only line is its exit, in a log without %process */
	run("10 mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, 3, 0) = 0x1000\n"
	    "11 +++ exited with 0 +++\n"
	    "10 +++ exited with 0 +++\n", "s390x", 0, 0, &r);
	is_str(r.ops, "alloc 0x1000 4K r private file\nexit\n",
	       "exit only: a task seen only at its exit gets no mm");
	ok(r.st.exits == 2 && r.st.processes == 2 && r.st.mms == 1,
	   "exit only: counted as an exit line and a task");
	sums(&r, "exit only");

	/* a thread other than the leader calls execve */
	run("400 mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x10000000\n"
	    "400 clone(child_stack=0x1, flags=CLONE_VM|CLONE_THREAD|CLONE_SIGHAND, tls=0x2) = 401\n"
	    "401 execve(\"/bin/x\", [\"x\"], NULL <pid changed to 400 ...>\n"
	    "400 +++ superseded by execve in pid 401 +++\n"
	    "400 <... execve resumed>) = 0\n"
	    "400 brk(NULL) = 0x20000000\n"
	    "400 +++ exited with 0 +++\n", "s390x", 0, 0, &r);
	is_ok(&r, "superseded: a thread's execve imports");
	is_str(r.ops,
	       "alloc 0x10000000 4K rw private anon\n"
	       "thread +1\n"
	       "thread -1\n"
	       "exec\n"
	       "exit\n",
	       "superseded: the leader leaves, the exec'ing thread, alone in the mm, replaces it ('exec')");
	sums(&r, "superseded");
	reads_back(&r, 1, "superseded");
	free(r.out);
}

static void test_prefixes(void)
{
	struct res r = { 0 };

	run("100   10:11:12.123456 mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, 3</usr/lib/libc.so.6>, 0) = 0x10000000 <0.000012>\n"
	    "[pid   100] 1700000000.123456 munmap(0x10000000, 4096) = 0 <0.000010>\n"
	    "100        0.000123 [00007f0000001234] mprotect(0x10001000, 4096, PROT_READ) = -1 ENOMEM (Cannot allocate memory) <0.000003>\n"
	    "\n"
	    "100<demo> brk(NULL) = 0x20000000\n"
	    "[ Process PID=100 runs in 32 bit mode. ]\n",
	    "s390x", 0, 0, &r);
	is_ok(&r, "prefixes: pids, timestamps, -i, -T, -y and --decode-pids=comm import");
	is_str(r.ops,
	       "alloc 0x10000000 4K r private file\n"
	       "unmap 0x10000000 4K\n",
	       "prefixes: the calls behind them");
	ok(r.st.failed == 1 && r.st.blank == 1 && r.st.messages == 1 &&
	   r.st.imported == 3, "prefixes: counts (%lu failed, %lu blank, %lu messages)",
	   r.st.failed, r.st.blank, r.st.messages);
	sums(&r, "prefixes");

	/* strace -f writing to stderr: no pid while one process runs, and
	 * its "Process N attached" in the middle of a line */
	run("execve(\"/bin/sh\", [\"sh\"], 0x7ffc00000000 /* 1 var */) = 0\n"
	    "mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f0000000000\n"
	    "clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLDstrace: Process 301 attached\n"
	    ", child_tidptr=0x7f0000000a10) = 301\n"
	    "[pid   301] munmap(0x7f0000000000, 4096) = 0\n"
	    "[pid   300] mmap(NULL, 8192, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f0000010000\n"
	    "[pid   301] +++ exited with 0 +++\n"
	    "mprotect(0x7f0000010000, 4096, PROT_NONE) = 0\n"
	    "+++ exited with 0 +++\n", "s390x", 0, 0, &r);
	is_ok(&r, "stderr form: imports");
	is_str(r.ops,
	       "alloc 0x7f0000000000 4K rw private anon\n"
	       "fork 2\n"
	       "mm 2\n"
	       "unmap 0x7f0000000000 4K\n"
	       "mm 1\n"
	       "alloc 0x7f0000010000 8K r private anon\n"
	       "mm 2\n"
	       "exit\n"
	       "mm 1\n"
	       "protect 0x7f0000010000 4K none\n"
	       "exit\n",
	       "stderr form: lines without a pid go to the only process alive");
	has(&r, "alloc 0x7f0000000000 4K rw private anon    # L2 pid 300 mmap\n",
	    "stderr form: the first process's pid, learnt later, names its early lines");
	has(&r, "fork 2                                     # L3 pid 300 clone -> pid 301\n",
	    "stderr form: a line cut by strace's message is joined");
	ok(r.st.messages == 1, "stderr form: the message is counted");
	sums(&r, "stderr form");
	reads_back(&r, 1, "stderr form");

	run("mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, 3, 0) = 0x1000\n"
	    "[pid 5] mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, 3, 0) = 0x2000\n",
	    "s390x", 0, 0, &r);
	is_error(&r, "t.strace:2: cannot tell whether pid 5 is the process of the lines without a pid above it or a new one",
		 "stderr form: an undecidable first pid is an error");
	run("10 mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, 3, 0) = 0x1000\n"
	    "11 mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, 3, 0) = 0x2000\n"
	    "mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, 3, 0) = 0x3000\n",
	    "s390x", 0, 0, &r);
	is_error(&r, "t.strace:3: line without a pid while 2 processes are traced; expected '[pid N]' or 'N ' before it",
		 "stderr form: a line without a pid among several processes is an error");
	free(r.out);
}

static void test_calls(void)
{
	struct res r = { 0 };

	run("100 mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x10000000\n"
	    "100 mremap(0x10000000, 8192, 8192, MREMAP_MAYMOVE|MREMAP_DONTUNMAP) = 0x20000000\n"
	    "100 mremap(0x30000000, 4096, 8192, MREMAP_MAYMOVE) = 0x40000000\n"
	    "100 mremap(0x20000000, 8192, 8192, 0) = 0x20000000\n"
	    "100 mremap(0x20000000, 8192, 4096, 0) = 0x20000000\n"
	    "100 mremap(0x20000000, 4096, 12288, 0) = 0x20000000\n"
	    "100 mremap(0x20000000, 12288, 16384, MREMAP_MAYMOVE|MREMAP_FIXED, 0x50000000) = 0x50000000\n"
	    "100 brk(0x1021000) = 0x1021000\n"
	    "100 brk(0x1042000) = 0x1042000\n"
	    "100 brk(0x9000000) = 0x1042000\n"
	    "100 brk(NULL) = 0x1042000\n"
	    "100 munmap(0x50000000, 0) = 0\n"
	    "100 mlock(0x50000000, 4096) = 0\n"
	    "100 mprotect(0x7ffd0000, 4096, PROT_READ|PROT_WRITE|PROT_EXEC|PROT_GROWSDOWN) = 0\n"
	    "100 mincore(0x50000000, 4096, [1]) = 0\n",
	    "pae", PGT_POPULATE_NONE, 0, &r);
	is_ok(&r, "calls: mremap and brk forms import");
	is_str(r.ops,
	       "alloc 0x10000000 8K rw private anon\n"
	       "advise 0x10000000 8K dontneed\n"
	       "alloc 0x20000000 8K rw private anon\n"
	       "unmap 0x30000000 4K\n"
	       "remap 0x20000000 8K 4K\n"
	       "remap 0x20000000 4K 12K\n"
	       "remap 0x20000000 12K 16K 0x50000000\n"
	       "alloc 0x1021000 132K rw private anon\n",
	       "calls: mremap = remap (shrink, growth in place, move to the address returned), brk from the first known break");
	has(&r, "# L3 pid 100: mremap moves a mapping that no call of the log created",
	    "calls: mremap of an unknown mapping is a comment");
	has(&r, "# L4 pid 100: mremap to the same size in place: no operation",
	    "calls: mremap to the same size is a comment");
	has(&r, "# L8 pid 100: brk: the break before this call is unknown",
	    "calls: a brk before any known break is a comment");
	has(&r, "# L10 pid 100: brk(0x9000000) failed: the break stays at 0x1042000",
	    "calls: a failed brk is a comment");
	has(&r, "# L12 pid 100: munmap of 0 bytes: no operation", "calls: empty ranges");
	has(&r, "# L13 pid 100: mlock: not modelled", "calls: mlock is a comment");
	has(&r, "# L14 pid 100: mprotect with PROT_GROWSDOWN/PROT_GROWSUP",
	    "calls: mprotect with PROT_GROWSDOWN is a comment");
	ok(r.st.not_modelled == 3 && r.st.failed == 1 && r.st.ignored == 1,
	   "calls: counts (%lu not modelled, %lu failed, %lu ignored)",
	   r.st.not_modelled, r.st.failed, r.st.ignored);
	sums(&r, "calls");
	reads_back(&r, 1, "calls");

	run("100 mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x10000000\n"
	    "100 madvise(0x10000000, 8192, MADV_FREE) = 0\n", "pae",
	    PGT_POPULATE_ALL, 0, &r);
	is_str(r.ops,
	       "alloc 0x10000000 8K rw private anon\n"
	       "populate 0x10000000 8K write\n"
	       "advise 0x10000000 8K free\n",
	       "calls: madvise MADV_FREE = advise free");
	reads_back(&r, 1, "MADV_FREE");
	free(r.out);
}

static void test_errors(void)
{
	static const char nul[] = "100 brk(NULL) = 0x1000\n100 mm\0ap\n";
	struct res r = { 0 };

	run("100 brk(NULL) = 0x1000\nhello world\n", "s390x", 0, 0, &r);
	is_error(&r, "t.strace:2: cannot parse 'hello world'; expected a line of strace -f output",
		 "errors: a line that is not strace output");
	run("100 mmap(NULL, 4096, PROT_READ, MAP_PRIVATE|MAP_BOGUS, 3, 0) = 0x1000\n",
	    "s390x", 0, 0, &r);
	is_error(&r, "t.strace:1: cannot parse the flags 'MAP_PRIVATE|MAP_BOGUS' of mmap: unknown 'MAP_BOGUS'; expected MAP_SHARED or MAP_PRIVATE",
		 "errors: an unknown mmap flag");
	run("100 mmap(NULL, 4096, PROT_READ|0x10, MAP_PRIVATE, 3, 0) = 0x1000\n",
	    "s390x", 0, 0, &r);
	is_error(&r, "t.strace:1: cannot parse the protection 'PROT_READ|0x10' of mmap: unknown '0x10'",
		 "errors: an unknown protection bit");
	run("100 mmap(NULL, 4096, PROT_READ, MAP_ANONYMOUS, -1, 0) = 0x1000\n",
	    "s390x", 0, 0, &r);
	is_error(&r, "t.strace:1: cannot parse the flags 'MAP_ANONYMOUS' of mmap; expected exactly one of MAP_SHARED",
		 "errors: mmap flags without a mapping type");
	run("100 mmap(NULL, 4096) = 0x1000\n", "s390x", 0, 0, &r);
	is_error(&r, "t.strace:1: cannot parse the arguments of mmap: 2 of them; expected 6 (addr, length, prot, flags, fd, offset)",
		 "errors: the wrong number of arguments");
	run("100 munmap(0x1234, 4096) = 0\n", "s390x", 0, 0, &r);
	is_error(&r, "t.strace:1: munmap of the unaligned address 0x1234 succeeded; expected a page-aligned address",
		 "errors: an unaligned address of a successful call");
	run("100 munmap(0x1000, lots) = 0\n", "s390x", 0, 0, &r);
	is_error(&r, "t.strace:1: cannot parse the length 'lots' of munmap; expected a number",
		 "errors: a length that is not a number");
	run("100 mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, 3, 0\n", "s390x", 0, 0, &r);
	is_error(&r, "t.strace:1: cannot parse 'mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, 3, 0'; expected the call's arguments to end with ')'",
		 "errors: a call without its closing parenthesis");
	run("100 munmap(0x1000, 4096)\n", "s390x", 0, 0, &r);
	is_error(&r, "t.strace:1: cannot parse 'munmap(0x1000, 4096)'; expected ' = RESULT' after the call",
		 "errors: a call without its result");
	run("100 munmap(0x1000, 4096) = lots\n", "s390x", 0, 0, &r);
	is_error(&r, "t.strace:1: cannot parse 'munmap(0x1000, 4096) = lots'; expected a number, '-1 ERRNO (text)' or '?' after '= '",
		 "errors: a result that is not a number");
	run("100 +++ vanished +++\n", "s390x", 0, 0, &r);
	is_error(&r, "t.strace:1: cannot parse '+++ vanished +++'; expected '+++ exited with N +++'",
		 "errors: an unknown exit line");
	run_bytes(nul, sizeof(nul) - 1, "s390x", 0, 0, &r);
	is_error(&r, "t.strace:2: cannot parse a line with a NUL byte; expected text",
		 "errors: a NUL byte");
	run("100 mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, 3, 0) = 0x7f1d4be4f000\n",
	    "pae", 0, 0, &r);
	is_error(&r, "t.strace:1: address 0x7f1d4be4f000 of mmap has more than 32 bits: this is the log of a 64-bit process, which arch pae cannot replay; expected the log of a 32-bit process (or --arch s390x for a 64-bit one)",
		 "errors: a 64-bit log for arch pae");
	run("100 mmap(NULL, 8192, PROT_READ, MAP_PRIVATE, 3, 0) = 0xbffff000\n",
	    "pae", 0, 0, &r);
	is_error(&r, "t.strace:1: range 0xbffff000+0x2000 of mmap ends above the user address space of arch pae (below 0xc0000000), as a 32-bit process on a 64-bit kernel may map; expected addresses below 0xc0000000",
		 "errors: a 32-bit address above the PAE user limit");
	run("100 mmap(NULL, 8192, PROT_READ, MAP_PRIVATE, 3, 0) = 0x7ffff000\n",
	    "s390", 0, 0, &r);
	is_error(&r, "t.strace:1: range 0x7ffff000+0x2000 of mmap ends above the user address space of arch s390 (below 0x80000000)",
		 "errors: arch s390 (31-bit) limit");
	run("100 mmap(NULL, 8192, PROT_READ, MAP_PRIVATE, 3, 0) = 0x7ffff000\n",
	    "s390x", 0, 0, &r);
	is_ok(&r, "errors: the same call fits arch s390x");
	run("100 clone(child_stack=NULL, SIGCHLD) = 101\n", "s390x", 0, 0, &r);
	is_error(&r, "t.strace:1: cannot parse the arguments 'child_stack=NULL, SIGCHLD' of clone; expected flags=CLONE_...",
		 "errors: a clone without flags");
	run("100 mremap(0x1000, 4096, 8192, MREMAP_SOMETIMES) = 0x1000\n",
	    "s390x", 0, 0, &r);
	is_error(&r, "t.strace:1: cannot parse the flags of mremap: unknown 'MREMAP_SOMETIMES'",
		 "errors: an unknown mremap flag");
	run("100 mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, 3, 0) = 0x1000\n"
	    "100 clone(child_stack=NULL, flags=SIGCHLD) = 100\n", "s390x", 0, 0, &r);
	is_error(&r, "t.strace:2: clone returns pid 100, which is still alive in the log",
		 "errors: a clone result that is a live pid");
	free(r.out);
}

int main(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/t-import-strace.XXXXXX");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 99;
	}
	snprintf(logpath, sizeof(logpath), "%s/t.strace", tmpdir);
	snprintf(tracepath, sizeof(tracepath), "%s/t.trace", tmpdir);
	test_forms();
	test_populate();
	test_unfinished();
	test_procs();
	test_prefixes();
	test_calls();
	test_errors();
	unlink(logpath);
	unlink(tracepath);
	rmdir(tmpdir);
	return done_testing();
}
