/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * pgtctl import strace: an strace log (strace -f -e trace=%memory[,%process])
 * becomes a text trace.  The rules are pgtctl(1), IMPORTING STRACE LOGS; the
 * header comment written by write_header() states them again in every
 * trace, and the two must say the same thing.
 *
 * Three passes over the log, all with the same reader (lexing, attribution
 * of a line to a task, pairing of "<unfinished ...>" with "<... resumed>"):
 *   1. syntax: every line parses; the child pid of every successful
 *      clone/fork/vfork is noted by the line that started the call, because
 *      the child's own lines can come before the parent's "resumed" line
 *      (vfork always does this) and the child must exist by then;
 *   2. semantics, writing nothing: every rule that can refuse the log
 *      (arch limits, unknown flags ...) runs here, and the counts for the
 *      header, and whether an empty template mm is needed, are learnt;
 *   3. the same as 2, writing the trace.
 * So a failing log writes nothing at all.  Memory: the tasks alive at a
 * time, their mappings, and one entry per clone of the log.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE		/* getline */
#endif
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "import.h"
#include "trace.h"

#define PAGE 4096ull
#define LINE_MAX_BYTES (1u << 20)	/* longer lines are an error */
#define NAME_LEN 31			/* syscall names */
#define MAX_ARGS 8
#define COMMENT_COL 44			/* where an op's "# L..." comment starts */
/*
 * Mappings held at once by all the address spaces of the log: each fork
 * copies its parent's, so 60,000 mappings forked 80,000 times would take
 * hundreds of GB.  8M nodes take 384 MiB.
 */
#define MAX_MAPPINGS (8u << 20)

#define EXPECT_LINE "a line of strace -f output: [PID] syscall(args) = result, " \
	"'syscall(args <unfinished ...>', '<... syscall resumed>args) = result', " \
	"'+++ exited with N +++' or '--- SIGNAL {...} ---'"

/* ------------------------------------------------------------------ */
/* state                                                               */

struct vma {
	uint64_t start, end;
	unsigned prot;		/* PGT_PROT_* */
	unsigned mflags;	/* PGT_MAP_* */
};

/*
 * A node of an address space's mappings: a treap (a binary search tree by
 * start address, a heap by a priority drawn independently of the
 * addresses), so that a log of 100,000 mmaps, in whatever address order,
 * costs O(log n) per call instead of a search and a move of the array.
 */
struct vnode {
	struct vma v;
	uint64_t prio;
	struct vnode *l, *r;
};

/*
 * The nodes of all address spaces, against MAX_MAPPINGS: from chunks of
 * NODE_CHUNK, freed ones reused (a node is 48 bytes, not malloc's 64).
 */
#define NODE_CHUNK 4096

struct budget {
	size_t n;
	bool over;		/* a mapping was refused */
	struct vnode *free;	/* linked through l */
	struct vnode *next;	/* the rest of the last chunk */
	size_t left;
	struct vnode **chunk;
	size_t nchunk, cchunk;
};

/* An address space of the log. */
struct imm {
	int id;			/* mm id in the trace; 0: not in the trace */
	int users;		/* live tasks using it */
	bool selected;		/* its operations are written (--pid) */
	bool dirty;		/* an operation was written for it */
	bool brk_known;
	uint64_t brk;
	struct vnode *vt;	/* the mappings: a treap by start address */
	size_t nv;
	struct budget *held;	/* mappings of all mms: imp.vmas */
	uint64_t seq;		/* draws the nodes' priorities */
	struct imm *next;	/* every mm, for freeing */
};

struct task {
	long pid;		/* -1: the first process before its pid is seen */
	size_t slot;		/* its index in imp.t */
	long tgid;
	bool set_up;		/* the semantic pass has given it an mm */
	bool seen;		/* a line of its own was read (a child is
				 * made where its clone begins, before) */
	struct imm *mm;
	char *pend;		/* "NAME(" + the arguments of an unfinished call */
	char pend_name[NAME_LEN + 1];
	unsigned long pend_line;
};

enum ev_kind { EV_CALL, EV_START, EV_EXIT, EV_SUPERSEDED, EV_SIGNAL,
	       EV_MESSAGE, EV_BLANK };
enum res_kind { RES_VALUE, RES_ERROR, RES_UNKNOWN };

struct call {
	char name[NAME_LEN + 1];
	const char *args;	/* between the parentheses */
	size_t args_len;
	enum res_kind res;
	uint64_t value;		/* RES_VALUE */
	char errname[24];	/* RES_ERROR: "ENOMEM" */
};

struct event {
	enum ev_kind kind;
	unsigned long line;
	unsigned long start_line;	/* EV_CALL: the line the call began on */
	struct task *t;
	struct call c;			/* EV_CALL; EV_START: name and args so far */
	long pid2;			/* EV_SUPERSEDED: the thread that exec'd */
	const char *text;		/* EV_EXIT: "exited with 0" */
};

struct clone_res {
	unsigned long start_line;
	long child;
};

struct ignored {
	char name[NAME_LEN + 1];
	unsigned long n;
};

/*
 * pid -> value, open addressing: the tasks alive by pid, and the set of
 * pids announced (80,000 processes of a log were a linear search each).
 */
struct pidmap {
	long *key;
	void **val;		/* NULL: the slot is empty */
	size_t n, cap;
};

struct imp {
	const struct pgt_import_opts *o;
	const char *name;		/* the log, in messages */
	struct pgt_err *err;
	int pass;			/* 1, 2, 3 */
	FILE *out;			/* pass 3 */

	/* reader */
	struct task **t;		/* in creation order; NULL: dropped */
	size_t nt, capt, ndead;
	struct pidmap by_pid;		/* the tasks of t[] with a pid */
	bool have_first;
	struct task *unbound;		/* the first process, pid not seen yet */
	struct pidmap ann;		/* pids announced as new (clone results,
					 * "Process N attached") */
	struct clone_res *cl;		/* pass 1 -> 2, 3 */
	size_t ncl, capcl;
	char *scratch;			/* a resumed call put back together */
	size_t scap;
	char *joined;			/* a line cut by an strace message, joined */
	size_t jcap;

	/* semantics */
	struct imm *mms;
	bool id1_used;
	int next_id;
	int template_id;		/* pass 3: the empty mm to fork from */
	bool need_template;		/* learnt in pass 2 */
	int cur;			/* current mm of the trace written */
	bool pid_seen;			/* --pid appeared */
	long first_pid;			/* the first process's pid (pass 1) */
	struct pgt_import_stats st;
	struct budget vmas;		/* mappings of all mms */
	unsigned long line;		/* the line being read */
	struct ignored *ig;
	size_t nig, capig;
};

static int fail(struct imp *c, unsigned long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct imp *c, unsigned long line, const char *fmt, ...)
{
	char what[PGT_ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return pgt_fail(c->err, PGT_ERR_INPUT, "%s:%lu: %s", c->name, line, what);
}

static int nomem(struct imp *c)
{
	if (c->vmas.over)
		return pgt_fail(c->err, PGT_ERR_LIMIT,
				"%s:%lu: the log's address spaces would hold more than %u mappings at once (the importer's limit: each fork copies its parent's); expected a log with fewer mappings or processes alive at a time",
				c->name, c->line, MAX_MAPPINGS);
	return pgt_fail(c->err, PGT_ERR_NOMEM, "%s: out of memory", c->name);
}

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
	size_t n;
	void *q;

	if (need <= *cap)
		return 0;
	n = *cap ? *cap * 2 : 16;
	while (n < need)
		n *= 2;
	q = realloc(*p, n * size);
	if (!q)
		return -1;
	*p = q;
	*cap = n;
	return 0;
}

/* A piece of the log quoted in a message: at most 60 bytes, printable. */
static const char *quote(const char *s, size_t n, char *buf, size_t size)
{
	size_t i, k = 0;

	for (i = 0; i < n && k + 4 < size && i < 60; i++)
		buf[k++] = isprint((unsigned char)s[i]) ? s[i] : '?';
	if (i < n && k + 4 < size) {
		memcpy(buf + k, "...", 3);
		k += 3;
	}
	buf[k] = '\0';
	return buf;
}

static bool is_ident_char(int ch)
{
	return isalnum(ch) || ch == '_';
}

static const char *skip_blanks(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

static bool starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool name_in(const char *name, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(name, *list))
			return true;
	return false;
}

static const char *const clone_names[] = { "clone", "clone2", "clone3",
					   "fork", "vfork", NULL };
static const char *const exec_names[] = { "execve", "execveat", NULL };
/* memory calls that change the layout or the pages, which a trace cannot
 * express: a comment each */
static const char *const unmodelled_names[] = {
	"mlock", "mlock2", "munlock", "mlockall", "munlockall", "shmat",
	"shmdt", "map_shadow_stack", "process_madvise", "remap_file_pages",
	"mseal", "subpage_prot", NULL
};

/* ------------------------------------------------------------------ */
/* numbers and argument lists                                          */

/* An strace number: decimal, 0x hex, or NULL; the whole token. */
static bool parse_num(const char *s, size_t n, uint64_t *out)
{
	uint64_t v = 0;
	unsigned base = 10, d;
	size_t i = 0;

	if (n == 4 && !memcmp(s, "NULL", 4)) {
		*out = 0;
		return true;
	}
	if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	}
	if (i >= n)
		return false;
	for (; i < n; i++) {
		int ch = (unsigned char)s[i];

		if (ch >= '0' && ch <= '9')
			d = ch - '0';
		else if (base == 16 && ch >= 'a' && ch <= 'f')
			d = ch - 'a' + 10;
		else if (base == 16 && ch >= 'A' && ch <= 'F')
			d = ch - 'A' + 10;
		else
			return false;
		if (v > (UINT64_MAX - d) / base)
			return false;
		v = v * base + d;
	}
	*out = v;
	return true;
}

struct arg {
	const char *s;
	size_t n;
};

/*
 * Scan an argument text up to the ')' closing the call (or the end),
 * splitting at top-level commas.  Strings ("..." with \ escapes) and
 * comments are skipped.  Returns the number of arguments, -1 if the
 * brackets do not balance.  *end gets the offset of the closing ')'
 * (len if none).
 */
static int scan_args(const char *s, size_t len, struct arg *a, int max,
		     size_t *end)
{
	char stack[64];
	int depth = 0, n = 0;
	size_t i, begin = 0;

	for (i = 0; i < len; i++) {
		char ch = s[i];

		if (ch == '"') {
			for (i++; i < len && s[i] != '"'; i++)
				if (s[i] == '\\')
					i++;
			if (i >= len)
				return -1;
		} else if (ch == '/' && i + 1 < len && s[i + 1] == '*') {
			const char *e = strstr(s + i + 2, "*/");

			if (!e || (size_t)(e - s) >= len)
				return -1;
			i = (size_t)(e - s) + 1;
		} else if (ch == '<' && i > 0 && isdigit((unsigned char)s[i - 1]) &&
			   i + 1 < len && s[i + 1] != '<') {
			/* -y: "3</usr/lib/libc.so.6>", the path of an fd */
			const char *e = memchr(s + i, '>', len - i);

			if (!e)
				return -1;
			i = (size_t)(e - s);
		} else if (ch == '(' || ch == '[' || ch == '{') {
			if (depth == (int)sizeof(stack))
				return -1;
			stack[depth++] = ch == '(' ? ')' : ch == '[' ? ']' : '}';
		} else if (ch == ')' || ch == ']' || ch == '}') {
			if (depth == 0) {
				if (ch != ')')
					return -1;
				break;
			}
			if (stack[--depth] != ch)
				return -1;
		} else if (ch == ',' && depth == 0) {
			if (n < max) {
				a[n].s = s + begin;
				a[n].n = i - begin;
			}
			n++;
			begin = i + 1;
		}
	}
	if (depth)
		return -1;
	*end = i;
	/* the last argument; "f()" has none */
	if (n < max) {
		a[n].s = s + begin;
		a[n].n = i - begin;
	}
	n++;
	for (depth = 0; depth < n && depth < max; depth++) {
		while (a[depth].n && isspace((unsigned char)a[depth].s[0])) {
			a[depth].s++;
			a[depth].n--;
		}
		while (a[depth].n &&
		       isspace((unsigned char)a[depth].s[a[depth].n - 1]))
			a[depth].n--;
	}
	if (n == 1 && a[0].n == 0)
		n = 0;
	return n;
}

/*
 * "NAME(ARGS) = RESULT [...]": fills c.  Returns 0, or -1 with *why set
 * to what was expected.
 */
static int parse_call(const char *s, struct call *c, const char **why)
{
	const char *p = s, *q;
	struct arg dummy[1];
	size_t n, end;

	memset(c, 0, sizeof(*c));
	while (is_ident_char((unsigned char)*p))
		p++;
	n = (size_t)(p - s);
	if (n == 0 || n > NAME_LEN || *p != '(' || isdigit((unsigned char)*s)) {
		*why = EXPECT_LINE;
		return -1;
	}
	memcpy(c->name, s, n);
	c->name[n] = '\0';
	p++;
	if (scan_args(p, strlen(p), dummy, 0, &end) < 0 || p[end] != ')') {
		*why = "the call's arguments to end with ')', with balanced brackets and quotes";
		return -1;
	}
	c->args = p;
	c->args_len = end;
	p = skip_blanks(p + end + 1);
	if (*p != '=') {
		*why = "' = RESULT' after the call";
		return -1;
	}
	p = skip_blanks(p + 1);
	if (*p == '?') {
		c->res = RES_UNKNOWN;
		return 0;
	}
	for (q = p; *q && *q != ' ' && *q != '\t'; q++)
		;
	if (q - p == 2 && p[0] == '-' && p[1] == '1' &&
	    (q = skip_blanks(q), isupper((unsigned char)*q))) {
		const char *e = q;

		while (isupper((unsigned char)*e) || isdigit((unsigned char)*e) ||
		       *e == '_')
			e++;
		c->res = RES_ERROR;
		n = (size_t)(e - q) < sizeof(c->errname) ? (size_t)(e - q) :
		    sizeof(c->errname) - 1;
		memcpy(c->errname, q, n);
		c->errname[n] = '\0';
		return 0;
	}
	if (p[0] == '-' && p[1] == '1' && (p[2] == ' ' || !p[2])) {
		/* "-1 (errno 512)" */
		c->res = RES_ERROR;
		snprintf(c->errname, sizeof(c->errname), "errno");
		return 0;
	}
	if (*p == '-') {
		/* other negative results (lseek...) never come from an imported call */
		c->res = RES_VALUE;
		c->value = 0;
		if (parse_num(p + 1, (size_t)(q - p - 1), &c->value))
			c->value = (uint64_t)0 - c->value;
		else {
			*why = "a number after '= '";
			return -1;
		}
		return 0;
	}
	c->res = RES_VALUE;
	if (!parse_num(p, (size_t)(q - p), &c->value)) {
		*why = "a number, '-1 ERRNO (text)' or '?' after '= '";
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* the reader: tasks, attribution, unfinished/resumed pairs            */

static size_t pm_slot(long pid, size_t cap)
{
	return (size_t)(((uint64_t)pid * 0x9e3779b97f4a7c15ull) >> 32) &
	       (cap - 1);
}

static void *pm_get(const struct pidmap *m, long pid)
{
	size_t i;

	if (!m->cap)
		return NULL;
	for (i = pm_slot(pid, m->cap); m->val[i]; i = (i + 1) & (m->cap - 1))
		if (m->key[i] == pid)
			return m->val[i];
	return NULL;
}

static int pm_put(struct pidmap *m, long pid, void *val);

static int pm_grow(struct pidmap *m)
{
	struct pidmap old = *m;
	size_t i;

	m->cap = old.cap ? old.cap * 2 : 64;
	m->n = 0;
	m->key = malloc(m->cap * sizeof(*m->key));
	m->val = calloc(m->cap, sizeof(*m->val));
	if (!m->key || !m->val) {
		free(m->key);
		free(m->val);
		*m = old;
		return -1;
	}
	for (i = 0; i < old.cap; i++)
		if (old.val[i])
			pm_put(m, old.key[i], old.val[i]);
	free(old.key);
	free(old.val);
	return 0;
}

static int pm_put(struct pidmap *m, long pid, void *val)
{
	size_t i;

	if (2 * (m->n + 1) > m->cap && pm_grow(m))
		return -1;
	for (i = pm_slot(pid, m->cap); m->val[i]; i = (i + 1) & (m->cap - 1))
		if (m->key[i] == pid) {
			m->val[i] = val;
			return 0;
		}
	m->key[i] = pid;
	m->val[i] = val;
	m->n++;
	return 0;
}

/* linear probing's deletion: later entries of the run move back */
static void pm_del(struct pidmap *m, long pid)
{
	size_t i, j, k, mask = m->cap - 1;

	if (!m->cap)
		return;
	for (i = pm_slot(pid, m->cap); m->val[i] && m->key[i] != pid;
	     i = (i + 1) & mask)
		;
	if (!m->val[i])
		return;
	m->val[i] = NULL;
	m->n--;
	for (j = (i + 1) & mask; m->val[j]; j = (j + 1) & mask) {
		k = pm_slot(m->key[j], m->cap);
		/* j's entry stays unless its home k lies cyclically in (i, j] */
		if (i <= j ? (i < k && k <= j) : (i < k || k <= j))
			continue;
		m->key[i] = m->key[j];
		m->val[i] = m->val[j];
		m->val[j] = NULL;
		i = j;
	}
}

static void pm_clear(struct pidmap *m)
{
	if (m->cap)
		memset(m->val, 0, m->cap * sizeof(*m->val));
	m->n = 0;
}

static void pm_free(struct pidmap *m)
{
	free(m->key);
	free(m->val);
	memset(m, 0, sizeof(*m));
}

static struct task *task_find(struct imp *c, long pid)
{
	return pm_get(&c->by_pid, pid);
}

/* t's pid becomes pid (the first process's, learnt late; a leader's) */
static int task_set_pid(struct imp *c, struct task *t, long pid)
{
	if (t->pid != -1 && task_find(c, t->pid) == t)
		pm_del(&c->by_pid, t->pid);
	t->pid = pid;
	return pm_put(&c->by_pid, pid, t);
}

static void task_compact(struct imp *c);

static struct task *task_new(struct imp *c, long pid)
{
	struct task *t;

	if (c->ndead > c->nt / 2)
		task_compact(c);
	if (grow((void **)&c->t, &c->capt, c->nt + 1, sizeof(*c->t)))
		return NULL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->pid = pid;
	t->tgid = pid;
	if (pid != -1 && pm_put(&c->by_pid, pid, t)) {
		free(t);
		return NULL;
	}
	t->slot = c->nt;
	c->t[c->nt++] = t;
	return t;
}

/* dropped tasks leave a hole in t[], closed by the next task_new once
 * holes are the majority: the creation order stays, a drop is not a move
 * of the array, and loops over t[] that drop tasks see no move either */
static void task_compact(struct imp *c)
{
	size_t i, k = 0;

	for (i = 0; i < c->nt; i++)
		if (c->t[i]) {
			c->t[i]->slot = k;
			c->t[k++] = c->t[i];
		}
	c->nt = k;
	c->ndead = 0;
}

static void task_drop(struct imp *c, struct task *t)
{
	if (t->slot < c->nt && c->t[t->slot] == t) {
		c->t[t->slot] = NULL;
		c->ndead++;
	}
	if (t->pid != -1 && task_find(c, t->pid) == t)
		pm_del(&c->by_pid, t->pid);
	if (c->unbound == t)
		c->unbound = NULL;
	free(t->pend);
	free(t);
}

static bool announced(struct imp *c, long pid)
{
	return pm_get(&c->ann, pid) != NULL;
}

static int announce(struct imp *c, long pid)
{
	if (pm_put(&c->ann, pid, c))
		return nomem(c);
	return 0;
}

/* What a line's body is, before attribution. */
enum body { B_CALL, B_START, B_RESUMED, B_EXIT, B_SUPERSEDED, B_SIGNAL };

struct lexed {
	bool has_pid;
	long pid;
	enum body body;
	const char *p;			/* the body */
	char rname[NAME_LEN + 1];	/* B_RESUMED: the call's name */
	const char *rest;		/* B_RESUMED: after "resumed>" */
	size_t start_len;		/* B_START: length of "NAME(args" */
	long pid2;			/* B_SUPERSEDED */
	bool message;			/* strace's own message */
};

/* "[pid  123] " or "123 " (strace -o) or "123<comm> " (--decode-pids=comm) */
static const char *lex_pid(const char *p, bool *has, long *pid)
{
	const char *q = p;
	long v = 0;

	*has = false;
	if (starts(q, "[pid")) {
		q = skip_blanks(q + 4);
		if (!isdigit((unsigned char)*q))
			return p;
		while (isdigit((unsigned char)*q) && v < 100000000)
			v = v * 10 + (*q++ - '0');
		if (*q != ']')
			return p;
		*has = true;
		*pid = v;
		return skip_blanks(q + 1);
	}
	if (!isdigit((unsigned char)*q))
		return p;
	while (isdigit((unsigned char)*q) && v < 100000000)
		v = v * 10 + (*q++ - '0');
	if (*q == '<') {
		const char *e = strstr(q, "> ");

		if (!e)
			return p;
		q = e + 1;
	}
	if (*q != ' ' && *q != '\t')
		return p;
	*has = true;
	*pid = v;
	return skip_blanks(q);
}

/* -t, -tt, -ttt, -r timestamps and the -i instruction pointer */
static const char *lex_stamps(const char *p)
{
	for (;;) {
		const char *q = p;

		if (isdigit((unsigned char)q[0]) && isdigit((unsigned char)q[1]) &&
		    q[2] == ':') {
			while (isdigit((unsigned char)*q) || *q == ':' || *q == '.')
				q++;
		} else if (isdigit((unsigned char)*q)) {
			while (isdigit((unsigned char)*q))
				q++;
			if (*q != '.')
				return p;
			q++;
			while (isdigit((unsigned char)*q))
				q++;
		} else if (*q == '[' && isxdigit((unsigned char)q[1])) {
			q++;
			while (isxdigit((unsigned char)*q))
				q++;
			if (*q != ']')
				return p;
			q++;
		} else {
			return p;
		}
		if (*q != ' ' && *q != '\t')
			return p;
		p = skip_blanks(q);
	}
}

/* Returns 0 (lx->message for a line of strace's own, that belongs to no
 * task) or an error status. */
static int lex(struct imp *c, char *s, unsigned long line, struct lexed *lx)
{
	const char *p = skip_blanks(s), *q;
	char qb[80];
	size_t n;

	memset(lx, 0, sizeof(*lx));
	if (starts(p, "strace: ")) {
		long pid;

		lx->message = true;
		if (sscanf(p, "strace: Process %ld attached", &pid) == 1)
			return announce(c, pid);
		return 0;
	}
	if (starts(p, "[ Process PID=")) {
		lx->message = true;
		return 0;
	}
	p = lex_pid(p, &lx->has_pid, &lx->pid);
	p = lex_stamps(p);
	lx->p = p;
	n = strlen(p);
	if (starts(p, "+++ ") && n >= 8 && !strcmp(p + n - 4, " +++")) {
		if (sscanf(p, "+++ superseded by execve in pid %ld +++",
			   &lx->pid2) == 1) {
			lx->body = B_SUPERSEDED;
			return 0;
		}
		if (starts(p, "+++ exited with ") || starts(p, "+++ killed by ")) {
			lx->body = B_EXIT;
			return 0;
		}
		return fail(c, line, "cannot parse '%s'; expected '+++ exited with N +++', '+++ killed by SIG... +++' or '+++ superseded by execve in pid N +++'",
			    quote(p, n, qb, sizeof(qb)));
	}
	if (starts(p, "--- ") && n >= 8 && !strcmp(p + n - 4, " ---")) {
		lx->body = B_SIGNAL;
		return 0;
	}
	if (starts(p, "<... ")) {
		q = p + 5;
		while (is_ident_char((unsigned char)*q))
			q++;
		n = (size_t)(q - (p + 5));
		if (n == 0 || n > NAME_LEN || !starts(q, " resumed>"))
			return fail(c, line, "cannot parse '%s'; expected '<... SYSCALL resumed>'",
				    quote(p, strlen(p), qb, sizeof(qb)));
		memcpy(lx->rname, p + 5, n);
		lx->rname[n] = '\0';
		lx->rest = q + 9;
		lx->body = B_RESUMED;
		return 0;
	}
	/* "NAME(args <unfinished ...>" or "... <pid changed to N ...>" */
	n = strlen(p);
	if (n > 16 && !strcmp(p + n - 16, "<unfinished ...>"))
		lx->start_len = n - 16;
	else if ((q = strstr(p, "<pid changed to ")) && !strcmp(p + n - 5, " ...>"))
		lx->start_len = (size_t)(q - p);
	if (lx->start_len) {
		while (lx->start_len && p[lx->start_len - 1] == ' ')
			lx->start_len--;
		q = p;
		while (is_ident_char((unsigned char)*q))
			q++;
		if (q == p || *q != '(' || isdigit((unsigned char)*p))
			return fail(c, line, "cannot parse '%s'; expected 'SYSCALL(args <unfinished ...>'",
				    quote(p, n, qb, sizeof(qb)));
		lx->body = B_START;
		return 0;
	}
	lx->body = B_CALL;
	return 0;
}

/*
 * The tasks alive that strace has shown: an exit line removes its task,
 * and a child made at its clone (pass 2, 3) counts from its first line on,
 * as in pass 1 (and as for strace without -f, which never shows them).
 */
static size_t live_tasks(struct imp *c, struct task **only)
{
	size_t i, n = 0;

	/* lines without a pid after many exits must not each pass the
	 * holes the exits left */
	if (c->ndead > c->nt / 2)
		task_compact(c);
	*only = NULL;
	for (i = 0; i < c->nt; i++) {
		if (c->t[i] && c->t[i]->seen) {
			*only = c->t[i];
			n++;
		}
	}
	return n;
}

/* Which task a line belongs to (pgtctl(1): lines without a pid). */
static int attribute(struct imp *c, const struct lexed *lx, unsigned long line,
		     struct task **out)
{
	struct task *t;
	size_t n;

	if (c->o->pid > 0 && !lx->has_pid)
		return fail(c, line, "line without a pid, but --pid needs one on every line; expected a log written with 'strace -f -o FILE'");
	if (lx->has_pid) {
		if (c->o->pid > 0 && lx->pid == c->o->pid)
			c->pid_seen = true;
		t = task_find(c, lx->pid);
		if (t)
			goto found;
		if (!c->have_first) {
			c->have_first = true;
			goto new_task;
		}
		if (c->unbound) {
			t = c->unbound;
			if (lx->body == B_RESUMED && t->pend &&
			    !strcmp(t->pend_name, lx->rname)) {
				if (task_set_pid(c, t, lx->pid))
					return nomem(c);
				t->tgid = lx->pid;
				c->unbound = NULL;
				c->first_pid = lx->pid;
				goto found;
			}
			if (announced(c, lx->pid) ||
			    (t->pend && name_in(t->pend_name, clone_names)))
				goto new_task;
			if (c->ann.n) {
				/* new pids are announced in this log: one
				 * that was not is the first process */
				if (task_set_pid(c, t, lx->pid))
					return nomem(c);
				t->tgid = lx->pid;
				c->unbound = NULL;
				c->first_pid = lx->pid;
				goto found;
			}
			return fail(c, line, "cannot tell whether pid %ld is the process of the lines without a pid above it or a new one; expected a log written with 'strace -f -o FILE' (a pid on every line) or with process events (-e trace=%%memory,%%process)",
				    lx->pid);
		}
new_task:
		t = task_new(c, lx->pid);
		if (!t)
			return nomem(c);
		goto found;
	}
	if (!c->have_first) {
		c->have_first = true;
		t = task_new(c, -1);
		if (!t)
			return nomem(c);
		c->unbound = t;
		goto found;
	}
	n = live_tasks(c, &t);
	if (n != 1)
		return fail(c, line, "line without a pid while %zu processes are traced; expected '[pid N]' or 'N ' before it (record with 'strace -f -o FILE')",
			    n);
found:
	t->seen = true;
	*out = t;
	return 0;
}

static int put_scratch_to(struct imp *c, const char *a, const char *b)
{
	size_t an = strlen(a), bn = strlen(b);

	if (grow((void **)&c->joined, &c->jcap, an + bn + 1, 1))
		return nomem(c);
	memcpy(c->joined, a, an);
	memcpy(c->joined + an, b, bn + 1);
	return 0;
}

static int put_scratch(struct imp *c, const char *a, size_t an, const char *b)
{
	size_t bn = strlen(b);

	if (grow((void **)&c->scratch, &c->scap, an + bn + 1, 1))
		return nomem(c);
	memcpy(c->scratch, a, an);
	memcpy(c->scratch + an, b, bn + 1);
	return 0;
}

/* One line -> one event (or none for a blank line or a message). */
static int read_event(struct imp *c, char *s, unsigned long line,
		      struct event *ev)
{
	struct lexed lx;
	const char *why;
	char qb[80];
	int rc;

	memset(ev, 0, sizeof(*ev));
	ev->line = ev->start_line = line;
	if (!*skip_blanks(s)) {
		ev->kind = EV_BLANK;
		return 0;
	}
	if ((rc = lex(c, s, line, &lx)))
		return rc;
	if (lx.message) {
		ev->kind = EV_MESSAGE;
		return 0;
	}
	if (!*lx.p)
		return fail(c, line, "cannot parse a pid alone; expected %s",
			    EXPECT_LINE);
	if (lx.body == B_CALL) {
		/* syntax first, so that a garbage line is reported as such */
		if (parse_call(lx.p, &ev->c, &why))
			return fail(c, line, "cannot parse '%s'; expected %s",
				    quote(lx.p, strlen(lx.p), qb, sizeof(qb)),
				    why);
	}
	if ((rc = attribute(c, &lx, line, &ev->t)))
		return rc;
	switch (lx.body) {
	case B_CALL:
		if (ev->t->pend)
			return fail(c, line, "pid %ld makes a new call while '%s' of line %lu is unfinished; expected '<... %s resumed>' first",
				    ev->t->pid, ev->t->pend_name,
				    ev->t->pend_line, ev->t->pend_name);
		ev->kind = EV_CALL;
		return 0;
	case B_START:
		if (ev->t->pend)
			return fail(c, line, "pid %ld starts a call while '%s' of line %lu is unfinished; expected '<... %s resumed>' first",
				    ev->t->pid, ev->t->pend_name,
				    ev->t->pend_line, ev->t->pend_name);
		ev->t->pend = malloc(lx.start_len + 1);
		if (!ev->t->pend)
			return nomem(c);
		memcpy(ev->t->pend, lx.p, lx.start_len);
		ev->t->pend[lx.start_len] = '\0';
		{
			size_t k = strcspn(ev->t->pend, "(");

			if (k > NAME_LEN)
				return fail(c, line, "cannot parse a syscall name of %zu characters; expected at most %d",
					    k, NAME_LEN);
			memcpy(ev->t->pend_name, ev->t->pend, k);
			ev->t->pend_name[k] = '\0';
			memcpy(ev->c.name, ev->t->pend, k + 1);
			ev->c.name[k] = '\0';
			ev->c.args = ev->t->pend + k + 1;
			ev->c.args_len = strlen(ev->c.args);
		}
		ev->t->pend_line = line;
		ev->kind = EV_START;
		return 0;
	case B_RESUMED:
		if (!ev->t->pend || strcmp(ev->t->pend_name, lx.rname))
			return fail(c, line, "cannot parse '<... %s resumed>': pid %ld has no unfinished '%s' call; expected an earlier '%s(... <unfinished ...>' line of that pid",
				    lx.rname, ev->t->pid, lx.rname, lx.rname);
		if ((rc = put_scratch(c, ev->t->pend, strlen(ev->t->pend),
				      lx.rest)))
			return rc;
		ev->start_line = ev->t->pend_line;
		free(ev->t->pend);
		ev->t->pend = NULL;
		if (parse_call(c->scratch, &ev->c, &why))
			return fail(c, line, "cannot parse '<... %s resumed>%s' (the end of the call of line %lu); expected %s",
				    lx.rname,
				    quote(lx.rest, strlen(lx.rest), qb, sizeof(qb)),
				    ev->start_line, why);
		ev->kind = EV_CALL;
		return 0;
	case B_EXIT:
		ev->kind = EV_EXIT;
		ev->text = lx.p + 4;
		return 0;
	case B_SUPERSEDED:
		if (!task_find(c, lx.pid2))
			return fail(c, line, "pid %ld is superseded by an execve in pid %ld, which is not a live task; expected a pid of this log",
				    ev->t->pid, lx.pid2);
		ev->kind = EV_SUPERSEDED;
		ev->pid2 = lx.pid2;
		return 0;
	case B_SIGNAL:
		ev->kind = EV_SIGNAL;
		return 0;
	}
	return 0;
}

/* After the semantic pass has seen the event: tasks that are gone. */
static void reader_post(struct imp *c, struct event *ev)
{
	struct task *t;
	long leader;

	if (ev->kind == EV_EXIT) {
		task_drop(c, ev->t);
	} else if (ev->kind == EV_SUPERSEDED) {
		/* the thread that exec'd continues under the leader's pid */
		leader = ev->t->pid;
		t = task_find(c, ev->pid2);
		task_drop(c, ev->t);
		/* out of memory, the thread is not found by the leader's
		 * pid: its next line starts a new task */
		if (t)
			task_set_pid(c, t, leader);
	}
}

/* ------------------------------------------------------------------ */
/* address spaces and their mappings (the importer's own copy)          */

static struct imm *mm_new(struct imp *c, long owner)
{
	struct imm *mm = calloc(1, sizeof(*mm));

	if (!mm)
		return NULL;
	mm->selected = c->o->pid <= 0 || owner == c->o->pid;
	mm->held = &c->vmas;
	mm->next = c->mms;
	c->mms = mm;
	return mm;
}

/* splitmix64 of a counter: priorities that no address order can skew */
static uint64_t vn_prio(struct imm *mm)
{
	uint64_t z = (mm->seq += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* t into the nodes starting below key (*a) and the others (*b) */
static void vt_split(struct vnode *t, uint64_t key, struct vnode **a,
		     struct vnode **b)
{
	if (!t) {
		*a = *b = NULL;
	} else if (t->v.start < key) {
		vt_split(t->r, key, &t->r, b);
		*a = t;
	} else {
		vt_split(t->l, key, a, &t->l);
		*b = t;
	}
}

/* every node of a starts below every node of b */
static struct vnode *vt_merge(struct vnode *a, struct vnode *b)
{
	if (!a)
		return b;
	if (!b)
		return a;
	if (a->prio > b->prio) {
		a->r = vt_merge(a->r, b);
		return a;
	}
	b->l = vt_merge(a, b->l);
	return b;
}

static struct vnode *vn_alloc(struct budget *b)
{
	struct vnode *n = b->free;

	if (n) {
		b->free = n->l;
		return n;
	}
	if (!b->left) {
		if (grow((void **)&b->chunk, &b->cchunk, b->nchunk + 1,
			 sizeof(*b->chunk)))
			return NULL;
		b->next = malloc(NODE_CHUNK * sizeof(*b->next));
		if (!b->next)
			return NULL;
		b->chunk[b->nchunk++] = b->next;
		b->left = NODE_CHUNK;
	}
	b->left--;
	return b->next++;
}

static void vn_free(struct budget *b, struct vnode *n)
{
	n->l = b->free;
	b->free = n;
}

static void budget_free(struct budget *b)
{
	size_t i;

	for (i = 0; i < b->nchunk; i++)
		free(b->chunk[i]);
	free(b->chunk);
	memset(b, 0, sizeof(*b));
}

static void vt_free(struct imm *mm, struct vnode *t)
{
	if (!t)
		return;
	vt_free(mm, t->l);
	vt_free(mm, t->r);
	vn_free(mm->held, t);
	mm->nv--;
	mm->held->n--;
}

/* room for n more mappings under MAX_MAPPINGS */
static int vma_hold(struct imm *mm, size_t n)
{
	if (mm->held->n + n > MAX_MAPPINGS) {
		mm->held->over = true;
		return -1;
	}
	mm->held->n += n;
	return 0;
}

/* the mapping containing addr */
static struct vnode *vt_at(struct vnode *t, uint64_t addr)
{
	struct vnode *best = NULL;

	while (t) {
		if (t->v.start <= addr) {
			best = t;
			t = t->r;
		} else {
			t = t->l;
		}
	}
	return best && addr < best->v.end ? best : NULL;
}

/* the first mapping starting at or above addr */
static const struct vma *vma_from(const struct imm *mm, uint64_t addr)
{
	const struct vnode *t = mm->vt, *best = NULL;

	while (t) {
		if (t->v.start >= addr) {
			best = t;
			t = t->l;
		} else {
			t = t->r;
		}
	}
	return best ? &best->v : NULL;
}

static int vma_insert(struct imm *mm, struct vma v)
{
	struct vnode *n, *a, *b;

	if (vma_hold(mm, 1))
		return -1;
	n = vn_alloc(mm->held);
	if (!n) {
		mm->held->n--;
		return -1;
	}
	n->v = v;
	n->prio = vn_prio(mm);
	n->l = n->r = NULL;
	vt_split(mm->vt, v.start, &a, &b);
	mm->vt = vt_merge(vt_merge(a, n), b);
	mm->nv++;
	return 0;
}

/* split so that no mapping straddles addr */
static int vma_split(struct imm *mm, uint64_t addr)
{
	struct vnode *t = vt_at(mm->vt, addr);
	struct vma tail;

	if (!t || t->v.start == addr)
		return 0;
	tail = t->v;
	tail.start = addr;
	if (vma_insert(mm, tail))
		return -1;
	t->v.end = addr;
	return 0;
}

/* the nodes starting in [start, end) taken out: *mid; put back with
 * vt_join */
static void vt_cut(struct imm *mm, uint64_t start, uint64_t end,
		   struct vnode **lo, struct vnode **mid, struct vnode **hi)
{
	struct vnode *rest;

	vt_split(mm->vt, start, lo, &rest);
	vt_split(rest, end, mid, hi);
}

static void vt_join(struct imm *mm, struct vnode *lo, struct vnode *mid,
		    struct vnode *hi)
{
	mm->vt = vt_merge(vt_merge(lo, mid), hi);
}

static int vma_remove(struct imm *mm, uint64_t start, uint64_t end)
{
	struct vnode *lo, *mid, *hi;

	if (vma_split(mm, start) || vma_split(mm, end))
		return -1;
	vt_cut(mm, start, end, &lo, &mid, &hi);
	vt_free(mm, mid);
	vt_join(mm, lo, NULL, hi);
	return 0;
}

static int vma_add(struct imm *mm, uint64_t start, uint64_t end, unsigned prot,
		   unsigned mflags)
{
	if (vma_remove(mm, start, end))
		return -1;
	return vma_insert(mm, (struct vma){ start, end, prot, mflags });
}

static void vt_set_prot(struct vnode *t, unsigned prot)
{
	if (!t)
		return;
	t->v.prot = prot;
	vt_set_prot(t->l, prot);
	vt_set_prot(t->r, prot);
}

static int vma_protect(struct imm *mm, uint64_t start, uint64_t end,
		       unsigned prot)
{
	struct vnode *lo, *mid, *hi;

	if (vma_split(mm, start) || vma_split(mm, end))
		return -1;
	vt_cut(mm, start, end, &lo, &mid, &hi);
	vt_set_prot(mid, prot);
	vt_join(mm, lo, mid, hi);
	return 0;
}

static const struct vma *vma_at(const struct imm *mm, uint64_t addr)
{
	const struct vnode *t = vt_at(mm->vt, addr);

	return t ? &t->v : NULL;
}

/* Is all of [start, end) mapped by calls seen in the log? */
static bool vma_covers(const struct imm *mm, uint64_t start, uint64_t end)
{
	while (start < end) {
		const struct vma *v = vma_at(mm, start);

		if (!v)
			return false;
		start = v->end;
	}
	return true;
}

/* a tree that was never counted (a failed copy) */
static void vt_drop(struct budget *b, struct vnode *t)
{
	if (!t)
		return;
	vt_drop(b, t->l);
	vt_drop(b, t->r);
	vn_free(b, t);
}

static struct vnode *vt_copy(struct budget *b, const struct vnode *t,
			     bool *fail)
{
	struct vnode *n;

	if (!t || *fail)
		return NULL;
	n = vn_alloc(b);
	if (!n) {
		*fail = true;
		return NULL;
	}
	*n = *t;
	n->l = vt_copy(b, t->l, fail);
	n->r = vt_copy(b, t->r, fail);
	return n;
}

static void vma_free_all(struct imm *mm)
{
	vt_free(mm, mm->vt);
	mm->vt = NULL;
}

static int vma_copy(struct imm *dst, const struct imm *src)
{
	bool fail = false;

	vma_free_all(dst);
	if (vma_hold(dst, src->nv))
		return -1;
	dst->vt = vt_copy(dst->held, src->vt, &fail);
	dst->nv = src->nv;
	dst->seq = src->seq;
	if (fail) {
		vt_drop(dst->held, dst->vt);
		dst->vt = NULL;
		dst->nv = 0;
		dst->held->n -= src->nv;
		return -1;
	}
	return 0;
}

#define NOT_IN_LOG " (not all mapped by calls of the log: execve's own mappings?)"

/* ------------------------------------------------------------------ */
/* writing                                                              */

/* The first process's pid may show only after its first lines; pass 1 has
 * learnt it for the passes after. */
static const char *pidstr(const struct imp *c, const struct task *t, char *buf,
			  size_t n)
{
	if (t && t->pid >= 0)
		snprintf(buf, n, "pid %ld", t->pid);
	else if (t && c->first_pid > 0)
		snprintf(buf, n, "pid %ld", c->first_pid);
	else
		snprintf(buf, n, "pid ?");
	return buf;
}

static void out(struct imp *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void out(struct imp *c, const char *fmt, ...)
{
	va_list ap;

	if (!c->out)
		return;
	va_start(ap, fmt);
	vfprintf(c->out, fmt, ap);
	va_end(ap);
}

/* "# L12 pid 345: what", for a call that becomes no operation */
static void note(struct imp *c, const struct imm *mm, const struct event *ev,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void note(struct imp *c, const struct imm *mm, const struct event *ev,
		 const char *fmt, ...)
{
	char pb[32];
	va_list ap;

	if (!c->out || (mm && !mm->selected))
		return;
	fprintf(c->out, "# L%lu %s: ", ev->line, pidstr(c, ev->t, pb, sizeof(pb)));
	va_start(ap, fmt);
	vfprintf(c->out, fmt, ap);
	va_end(ap);
	fputc('\n', c->out);
}

static void switch_to(struct imp *c, int id)
{
	if (c->cur == id)
		return;
	out(c, "mm %d\n", id);
	c->cur = id;
	c->st.ops++;
}

static bool is_range_op(enum pgt_op_kind k)
{
	return k == PGT_OP_ALLOC || k == PGT_OP_POPULATE ||
	       k == PGT_OP_PROTECT || k == PGT_OP_UNMAP || k == PGT_OP_ADVISE;
}

/* The arch rule of pgtctl(1): every range inside the user address space. */
static int check_range(struct imp *c, const struct pgt_op *op,
		       unsigned long line, const char *what)
{
	uint64_t lim = c->o->user_limit, end = op->addr + op->len;
	const uint64_t four_g = UINT64_C(1) << 32;

	if (end < op->addr)
		return fail(c, line, "range 0x%" PRIx64 "+0x%" PRIx64 " of %s wraps around 2^64; expected a range inside the address space",
			    op->addr, op->len, what);
	if (lim <= four_g && (op->addr >= four_g || end > four_g))
		return fail(c, line, "address 0x%" PRIx64 " of %s has more than 32 bits: this is the log of a 64-bit process, which arch %s cannot replay; expected the log of a 32-bit process (or --arch s390x for a 64-bit one)",
			    end > four_g && op->addr < four_g ? end - 1 : op->addr,
			    what, c->o->arch);
	if (end > lim)
		return fail(c, line, "range 0x%" PRIx64 "+0x%" PRIx64 " of %s ends above the user address space of arch %s (below 0x%" PRIx64 ")%s%s; expected addresses below 0x%" PRIx64,
			    op->addr, op->len, what, c->o->arch, lim,
			    c->o->limit_note ? ", " : "",
			    c->o->limit_note ? c->o->limit_note : "", lim);
	return 0;
}

/* Write one operation of mm (nothing if --pid leaves mm out). */
static int put_op(struct imp *c, struct imm *mm, struct pgt_op *op,
		  const struct event *ev, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static int put_op(struct imp *c, struct imm *mm, struct pgt_op *op,
		  const struct event *ev, const char *fmt, ...)
{
	char text[160], what[160], pb[32];
	va_list ap;
	int rc;

	if (!mm->selected)
		return 0;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (is_range_op(op->kind) && (rc = check_range(c, op, ev->line, what)))
		return rc;
	switch_to(c, mm->id);
	op->line = ev->line;
	if (pgt_op_format(op, text, sizeof(text)) < 0)
		return pgt_fail(c->err, PGT_ERR_INPUT,
				"%s:%lu: internal error: '%s' has no text form",
				c->name, ev->line, pgt_op_name(op->kind));
	out(c, "%-*s # L%lu %s %s\n", COMMENT_COL - 2, text, ev->line,
	    pidstr(c, ev->t, pb, sizeof(pb)), what);
	c->st.ops++;
	mm->dirty = true;
	return 0;
}

static int range_op(struct imp *c, struct imm *mm, enum pgt_op_kind kind,
		    uint64_t addr, uint64_t len, unsigned prot, unsigned flags,
		    int sub, const struct event *ev, const char *what)
{
	struct pgt_op op = { .kind = kind, .addr = addr, .len = len,
			     .prot = prot, .flags = flags, .sub = sub };

	return put_op(c, mm, &op, ev, "%s", what);
}

/* Give a new address space an mm id; a fresh one after mm 1 is forked
 * from the empty template mm (pgtctl(1)). */
static int materialize(struct imp *c, struct imm *mm, const struct event *ev,
		       const char *why)
{
	char pb[32], text[32];

	if (!mm->selected || mm->id)
		return 0;
	c->st.mms++;
	if (!c->id1_used) {
		c->id1_used = true;
		mm->id = 1;
		out(c, "# L%lu %s: mm 1 (%s)\n", ev->line,
		    pidstr(c, ev->t, pb, sizeof(pb)), why);
		return 0;
	}
	if (c->next_id >= PGT_MAX_MM_ID)
		return fail(c, ev->line, "more than %d address spaces; expected fewer processes",
			    PGT_MAX_MM_ID - 2);
	mm->id = c->next_id++;
	c->need_template = true;
	switch_to(c, c->template_id);
	snprintf(text, sizeof(text), "fork %d", mm->id);
	out(c, "%-*s # L%lu %s %s: a new, empty address space, forked from the empty mm %d\n",
	    COMMENT_COL - 2, text, ev->line, pidstr(c, ev->t, pb, sizeof(pb)),
	    why, c->template_id);
	c->st.ops++;
	return 0;
}

/* ------------------------------------------------------------------ */
/* processes                                                            */

/* A task's first line, without a clone in the log that made it. */
static int setup_task(struct imp *c, struct task *t, const struct event *ev)
{
	bool first = !c->st.processes;
	struct imm *mm;

	t->set_up = true;
	c->st.processes++;
	mm = mm_new(c, t->pid);
	if (!mm)
		return nomem(c);
	mm->users = 1;
	t->mm = mm;
	if (first)
		return materialize(c, mm, ev, "the first process of the log");
	note(c, mm, ev, "first seen here without a fork or clone in the log: a new address space (copy-on-write with its parent cannot be shown)");
	return materialize(c, mm, ev, "a pid without a fork in the log");
}

/* The task leaves its mm: "thread -1", or "exit" for the last user. */
static int release(struct imp *c, struct task *t, const struct event *ev,
		   const char *why)
{
	struct imm *mm = t->mm;
	struct pgt_op op = { .kind = PGT_OP_EXIT };

	if (!mm)
		return 0;
	t->mm = NULL;
	mm->users--;
	if (mm->users > 0) {
		op.kind = PGT_OP_THREAD;
		op.arg = -1;
	}
	if (mm->id)
		return put_op(c, mm, &op, ev, "%s", why);
	return 0;
}

/* where a call line goes in the summary */
enum cat { CAT_IMPORTED, CAT_FAILED, CAT_NO_RESULT, CAT_NOT_MODELLED,
	   CAT_IGNORED };

#define CL_VM 1u
#define CL_THREAD 2u

static int clone_flags(struct imp *c, const struct event *ev, unsigned *fl)
{
	const char *nm = ev->c.name, *p, *e;
	char qb[80];
	size_t n;

	*fl = 0;
	if (!strcmp(nm, "fork"))
		return 0;
	if (!strcmp(nm, "vfork")) {
		*fl = CL_VM;
		return 0;
	}
	for (p = ev->c.args; p && (size_t)(p - ev->c.args) < ev->c.args_len;
	     p++) {
		if (!strncmp(p, "flags=", 6) &&
		    (p == ev->c.args || !is_ident_char((unsigned char)p[-1])))
			break;
	}
	if (!p || (size_t)(p - ev->c.args) >= ev->c.args_len)
		return fail(c, ev->start_line, "cannot parse the arguments '%s' of %s; expected flags=CLONE_...",
			    quote(ev->c.args, ev->c.args_len, qb, sizeof(qb)),
			    nm);
	p += 6;
	while ((size_t)(p - ev->c.args) < ev->c.args_len && *p != ',' &&
	       *p != '}' && *p != ')' && *p != ' ') {
		for (e = p; is_ident_char((unsigned char)*e); e++)
			;
		n = (size_t)(e - p);
		if (n == 8 && !strncmp(p, "CLONE_VM", 8))
			*fl |= CL_VM;
		else if (n == 12 && !strncmp(p, "CLONE_THREAD", 12))
			*fl |= CL_THREAD;
		p = e;
		if (*p == '|')
			p++;
		else if (!n)
			p++;
	}
	return 0;
}

static int populate_new(struct imp *c, struct imm *mm, uint64_t addr,
			uint64_t len, unsigned prot, unsigned mflags,
			const struct event *ev, const char *what);

/* clone/fork/vfork of t succeeded with child pid `child`. */
static int do_clone(struct imp *c, struct task *t, const struct event *ev,
		    long child)
{
	struct imm *pm = t->mm, *mm;
	struct task *ch;
	struct pgt_op op = { 0 };
	unsigned fl;
	const struct vma *v;
	int rc;

	if ((rc = clone_flags(c, ev, &fl)))
		return rc;
	if (task_find(c, child))
		return fail(c, ev->line, "%s returns pid %ld, which is still alive in the log; expected a new pid (is a '+++ exited' line missing?)",
			    ev->c.name, child);
	ch = task_new(c, child);
	if (!ch)
		return nomem(c);
	ch->set_up = true;
	c->st.processes++;
	if (fl & CL_VM) {
		ch->mm = pm;
		ch->tgid = (fl & CL_THREAD) ? t->tgid : child;
		op.kind = PGT_OP_THREAD;
		op.arg = 1;
		if (pm->id && (rc = put_op(c, pm, &op, ev, "%s -> pid %ld, %s",
					   ev->c.name, child,
					   (fl & CL_THREAD) ? "a thread" : "sharing the mm")))
			return rc;
		pm->users++;
		return 0;
	}
	mm = mm_new(c, child);
	if (!mm || vma_copy(mm, pm))
		return nomem(c);
	mm->users = 1;
	mm->brk_known = pm->brk_known;
	mm->brk = pm->brk;
	ch->mm = mm;
	if (!mm->selected)
		return 0;
	if (pm->selected && pm->id) {
		if (c->next_id >= PGT_MAX_MM_ID)
			return fail(c, ev->line, "more than %d address spaces; expected fewer processes",
				    PGT_MAX_MM_ID - 2);
		mm->id = c->next_id++;
		c->st.mms++;
		op.kind = PGT_OP_FORK;
		op.arg = mm->id;
		return put_op(c, pm, &op, ev, "%s -> pid %ld", ev->c.name,
			      child);
	}
	/* --pid: the parent is left out; its mappings are allocated afresh */
	if ((rc = materialize(c, mm, ev, "forked from a process left out by --pid")))
		return rc;
	for (v = vma_from(mm, 0); v; v = vma_from(mm, v->end)) {
		if ((rc = range_op(c, mm, PGT_OP_ALLOC, v->start,
				   v->end - v->start, v->prot, v->mflags, 0, ev,
				   "inherited from the parent at the fork")) ||
		    (rc = populate_new(c, mm, v->start, v->end - v->start,
				       v->prot, v->mflags, ev,
				       "inherited from the parent")))
			return rc;
	}
	return 0;
}

/* execve succeeded: the other threads go, the process gets a new mm. */
static int do_exec(struct imp *c, struct task *t, const struct event *ev)
{
	struct imm *mm, *nm;
	size_t i;
	int rc;

	/* the threads of a process share its mm: with one user, no other
	 * thread is left to end (and 80,000 processes that exec do not
	 * each look at every task) */
	for (i = 0; t->mm && t->mm->users > 1 && i < c->nt; i++) {
		struct task *u = c->t[i];

		if (u && u != t && u->set_up && u->tgid == t->tgid) {
			if ((rc = release(c, u, ev, "execve: the other threads of the process end")))
				return rc;
			task_drop(c, u);
		}
	}
	mm = t->mm;
	if (mm->users == 1 && !mm->dirty && mm->nv == 0 &&
	    mm->selected == (c->o->pid <= 0 || t->pid == c->o->pid)) {
		/* nothing happened in this mm yet: it serves as the new one */
		mm->brk_known = false;
		return 0;
	}
	nm = mm_new(c, t->pid);
	if (!nm)
		return nomem(c);
	nm->users = 1;
	if (mm->users == 1 && mm->id && nm->selected) {
		/* the process alone in its mm: 'exec' replaces it, same id */
		struct pgt_op op = { .kind = PGT_OP_EXEC };

		if ((rc = put_op(c, mm, &op, ev, "execve: a new address space replaces the old one")))
			return rc;
		nm->id = mm->id;
		nm->dirty = true;
		mm->id = 0;
		mm->users = 0;
		t->mm = nm;
		t->tgid = t->pid;
		return 0;
	}
	/* a vfork child shares its parent's mm: the parent keeps it */
	if ((rc = release(c, t, ev, "execve: the old address space is released")))
		return rc;
	t->mm = nm;
	t->tgid = t->pid;
	return materialize(c, nm, ev, "execve");
}

/* ------------------------------------------------------------------ */
/* memory calls                                                         */

static int page_up(struct imp *c, const struct event *ev, uint64_t len,
		   uint64_t *out_len)
{
	if (len > UINT64_MAX - (PAGE - 1))
		return fail(c, ev->line, "length %" PRIu64 " of %s does not fit in the address space; expected a smaller length",
			    len, ev->c.name);
	*out_len = (len + PAGE - 1) & ~(PAGE - 1);
	return 0;
}

static int arg_num(struct imp *c, const struct event *ev, const struct arg *a,
		   const char *what, uint64_t *v)
{
	char qb[80];

	if (parse_num(a->s, a->n, v))
		return 0;
	return fail(c, ev->line, "cannot parse the %s '%s' of %s; expected a number",
		    what, quote(a->s, a->n, qb, sizeof(qb)), ev->c.name);
}

static int arg_addr(struct imp *c, const struct event *ev, const struct arg *a,
		    uint64_t *v)
{
	int rc = arg_num(c, ev, a, "address", v);

	if (!rc && (*v & (PAGE - 1)))
		return fail(c, ev->line, "%s of the unaligned address 0x%" PRIx64 " succeeded; expected a page-aligned address (the kernel refuses others)",
			    ev->c.name, *v);
	return rc;
}

static int get_args(struct imp *c, const struct event *ev, struct arg *a,
		    int min, int max, const char *names)
{
	size_t end;
	int n = scan_args(ev->c.args, ev->c.args_len, a, MAX_ARGS, &end);

	if (n < min || n > max)
		return fail(c, ev->line, "cannot parse the arguments of %s: %d of them; expected %s",
			    ev->c.name, n < 0 ? 0 : n, names);
	return 0;
}

/* Split "A|B|C" and call fn on each token; fn returns 0 or an error. */
typedef int (*flag_fn)(struct imp *c, const struct event *ev,
		       const char *tok, size_t n, void *arg);

static int each_flag(struct imp *c, const struct event *ev, const struct arg *a,
		     flag_fn fn, void *arg)
{
	size_t i = 0, j;
	int rc;

	while (i <= a->n) {
		for (j = i; j < a->n && a->s[j] != '|'; j++)
			;
		while (i < j && isspace((unsigned char)a->s[i]))
			i++;
		{
			size_t e = j;

			while (e > i && isspace((unsigned char)a->s[e - 1]))
				e--;
			if ((rc = fn(c, ev, a->s + i, e - i, arg)))
				return rc;
		}
		i = j + 1;
	}
	return 0;
}

static bool tok_is(const char *tok, size_t n, const char *word)
{
	return strlen(word) == n && !memcmp(tok, word, n);
}

struct prot_res {
	unsigned prot;
	bool grows;		/* PROT_GROWSDOWN or PROT_GROWSUP */
	const struct arg *a;
};

static int prot_tok(struct imp *c, const struct event *ev, const char *tok,
		    size_t n, void *arg)
{
	struct prot_res *r = arg;
	char qb[80], qt[80];

	if (tok_is(tok, n, "PROT_READ"))
		r->prot |= PGT_PROT_R;
	else if (tok_is(tok, n, "PROT_WRITE"))
		r->prot |= PGT_PROT_W;
	else if (tok_is(tok, n, "PROT_EXEC"))
		r->prot |= PGT_PROT_X;
	else if (tok_is(tok, n, "PROT_NONE") || tok_is(tok, n, "0") ||
		 tok_is(tok, n, "PROT_SEM"))
		;
	else if (tok_is(tok, n, "PROT_GROWSDOWN") || tok_is(tok, n, "PROT_GROWSUP"))
		r->grows = true;
	else
		return fail(c, ev->line, "cannot parse the protection '%s' of %s: unknown '%s'; expected PROT_NONE or PROT_READ, PROT_WRITE, PROT_EXEC joined by '|'",
			    quote(r->a->s, r->a->n, qb, sizeof(qb)), ev->c.name,
			    quote(tok, n, qt, sizeof(qt)));
	return 0;
}

static int arg_prot(struct imp *c, const struct event *ev, const struct arg *a,
		    struct prot_res *r)
{
	memset(r, 0, sizeof(*r));
	r->a = a;
	return each_flag(c, ev, a, prot_tok, r);
}

struct mflags_res {
	unsigned mflags;	/* PGT_MAP_* */
	int types;		/* MAP_SHARED/PRIVATE seen */
	bool anon, hugetlb;
	const struct arg *a;
};

static int mflag_tok(struct imp *c, const struct event *ev, const char *tok,
		     size_t n, void *arg)
{
	/* flags that change nothing in the trace (pgtctl(1)) */
	static const char *const neutral[] = {
		"MAP_FIXED", "MAP_FIXED_NOREPLACE", "MAP_DENYWRITE",
		"MAP_EXECUTABLE", "MAP_NORESERVE", "MAP_POPULATE", "MAP_LOCKED",
		"MAP_NONBLOCK", "MAP_STACK", "MAP_GROWSDOWN", "MAP_32BIT",
		"MAP_UNINITIALIZED", "MAP_SYNC", "MAP_FILE", "MAP_ABOVE4G", NULL
	};
	struct mflags_res *r = arg;
	char qb[80], qt[80];
	size_t k;

	if (tok_is(tok, n, "MAP_PRIVATE")) {
		r->types++;
	} else if (tok_is(tok, n, "MAP_SHARED") ||
		   tok_is(tok, n, "MAP_SHARED_VALIDATE")) {
		r->types++;
		r->mflags |= PGT_MAP_SHARED;
	} else if (tok_is(tok, n, "MAP_ANONYMOUS") || tok_is(tok, n, "MAP_ANON")) {
		r->anon = true;
	} else if (tok_is(tok, n, "MAP_HUGETLB")) {
		r->hugetlb = true;
	} else if ((n > 9 && !memcmp(tok, "MAP_HUGE_", 9)) ||
		   (n > 16 && !memcmp(tok + n - 16, "<<MAP_HUGE_SHIFT", 16))) {
		;	/* the huge page size of MAP_HUGETLB */
	} else {
		for (k = 0; neutral[k]; k++)
			if (tok_is(tok, n, neutral[k]))
				return 0;
		return fail(c, ev->line, "cannot parse the flags '%s' of %s: unknown '%s'; expected MAP_SHARED or MAP_PRIVATE and the MAP_* flags listed in pgtctl(1)",
			    quote(r->a->s, r->a->n, qb, sizeof(qb)), ev->c.name,
			    quote(tok, n, qt, sizeof(qt)));
	}
	return 0;
}

static int populate_new(struct imp *c, struct imm *mm, uint64_t addr,
			uint64_t len, unsigned prot, unsigned mflags,
			const struct event *ev, const char *what)
{
	char buf[96];
	bool write;

	if (mflags & PGT_MAP_FILE)
		return 0;
	switch (c->o->populate) {
	case PGT_POPULATE_ALL:
		write = prot & PGT_PROT_W;
		if (!write && !(prot & (PGT_PROT_R | PGT_PROT_X)))
			return 0;
		break;
	case PGT_POPULATE_WRITES:
		if (!(prot & PGT_PROT_W))
			return 0;
		write = true;
		break;
	default:
		return 0;
	}
	snprintf(buf, sizeof(buf), "--populate=%s: %s",
		 pgt_populate_name(c->o->populate), what);
	return range_op(c, mm, PGT_OP_POPULATE, addr, len, 0, write ? 1 : 0, 0,
			ev, buf);
}

static int h_mmap(struct imp *c, struct task *t, const struct event *ev,
		int *cat)
{
	struct arg a[MAX_ARGS];
	struct prot_res pr;
	struct mflags_res mf = { 0 };
	uint64_t len, addr = ev->c.value;
	char what[64];
	int rc;

	(void)cat;	/* always imported, or an error */
	if ((rc = get_args(c, ev, a, 6, 6, "6 (addr, length, prot, flags, fd, offset)")) ||
	    (rc = arg_num(c, ev, &a[1], "length", &len)) ||
	    (rc = arg_prot(c, ev, &a[2], &pr)))
		return rc;
	mf.a = &a[3];
	if ((rc = each_flag(c, ev, &a[3], mflag_tok, &mf)))
		return rc;
	if (mf.types != 1) {
		char qb[80];

		return fail(c, ev->line, "cannot parse the flags '%s' of %s; expected exactly one of MAP_SHARED, MAP_SHARED_VALIDATE, MAP_PRIVATE",
			    quote(a[3].s, a[3].n, qb, sizeof(qb)), ev->c.name);
	}
	if (!mf.anon)
		mf.mflags |= PGT_MAP_FILE;
	if (pr.grows)
		return fail(c, ev->line, "%s with PROT_GROWSDOWN/PROT_GROWSUP succeeded; expected PROT_READ, PROT_WRITE, PROT_EXEC (the kernel refuses those in mmap)",
			    ev->c.name);
	if (len == 0)
		return fail(c, ev->line, "%s of length 0 succeeded; expected a positive length (the kernel refuses 0)",
			    ev->c.name);
	if (addr & (PAGE - 1))
		return fail(c, ev->line, "%s returned the unaligned address 0x%" PRIx64 "; expected a page-aligned address",
			    ev->c.name, addr);
	if ((rc = page_up(c, ev, len, &len)))
		return rc;
	snprintf(what, sizeof(what), "%s%s", ev->c.name,
		 mf.hugetlb ? " MAP_HUGETLB, as 4 KiB pages" : "");
	if ((rc = range_op(c, t->mm, PGT_OP_ALLOC, addr, len, pr.prot,
			   mf.mflags, 0, ev, what)))
		return rc;
	if (vma_add(t->mm, addr, addr + len, pr.prot, mf.mflags))
		return nomem(c);
	return populate_new(c, t->mm, addr, len, pr.prot, mf.mflags, ev,
			    "new anonymous mapping");
}

static int h_munmap(struct imp *c, struct task *t, const struct event *ev,
		int *cat)
{
	struct arg a[MAX_ARGS];
	uint64_t addr, len;
	int rc;

	(void)cat;	/* always imported, or an error */
	if ((rc = get_args(c, ev, a, 2, 2, "2 (addr, length)")) ||
	    (rc = arg_addr(c, ev, &a[0], &addr)) ||
	    (rc = arg_num(c, ev, &a[1], "length", &len)) ||
	    (rc = page_up(c, ev, len, &len)))
		return rc;
	if (!len) {
		note(c, t->mm, ev, "%s of 0 bytes: no operation", ev->c.name);
		return 0;
	}
	if ((rc = range_op(c, t->mm, PGT_OP_UNMAP, addr, len, 0, 0, 0, ev,
			   ev->c.name)))
		return rc;
	return vma_remove(t->mm, addr, addr + len) ? nomem(c) : 0;
}

static int h_mprotect(struct imp *c, struct task *t, const struct event *ev,
		int *cat)
{
	struct arg a[MAX_ARGS];
	struct prot_res pr;
	uint64_t addr, len;
	bool pkey = !strcmp(ev->c.name, "pkey_mprotect");
	char what[128];
	int rc;

	if ((rc = get_args(c, ev, a, pkey ? 4 : 3, pkey ? 4 : 3,
			   pkey ? "4 (addr, length, prot, pkey)" :
				  "3 (addr, length, prot)")) ||
	    (rc = arg_addr(c, ev, &a[0], &addr)) ||
	    (rc = arg_num(c, ev, &a[1], "length", &len)) ||
	    (rc = arg_prot(c, ev, &a[2], &pr)) ||
	    (rc = page_up(c, ev, len, &len)))
		return rc;
	if (pr.grows) {
		note(c, t->mm, ev, "%s with PROT_GROWSDOWN/PROT_GROWSUP reaches to the end of a stack mapping the log does not show: not modelled",
		     ev->c.name);
		*cat = CAT_NOT_MODELLED;
		return 0;
	}
	if (!len) {
		note(c, t->mm, ev, "%s of 0 bytes: no operation", ev->c.name);
		return 0;
	}
	snprintf(what, sizeof(what), "%s%s", ev->c.name,
		 vma_covers(t->mm, addr, addr + len) ? "" : NOT_IN_LOG);
	if ((rc = range_op(c, t->mm, PGT_OP_PROTECT, addr, len, pr.prot, 0, 0,
			   ev, what)))
		return rc;
	return vma_protect(t->mm, addr, addr + len, pr.prot) ? nomem(c) : 0;
}

static int h_madvise(struct imp *c, struct task *t, const struct event *ev,
		int *cat)
{
	struct arg a[MAX_ARGS];
	uint64_t addr, len;
	int rc, sub;
	char qb[80];

	if ((rc = get_args(c, ev, a, 3, 3, "3 (addr, length, advice)")) ||
	    (rc = arg_addr(c, ev, &a[0], &addr)) ||
	    (rc = arg_num(c, ev, &a[1], "length", &len)) ||
	    (rc = page_up(c, ev, len, &len)))
		return rc;
	if (tok_is(a[2].s, a[2].n, "MADV_DONTNEED"))
		sub = PGT_ADV_DONTNEED;
	else if (tok_is(a[2].s, a[2].n, "MADV_HUGEPAGE"))
		sub = PGT_ADV_HUGEPAGE;
	else if (tok_is(a[2].s, a[2].n, "MADV_NOHUGEPAGE"))
		sub = PGT_ADV_NOHUGEPAGE;
	else if (tok_is(a[2].s, a[2].n, "MADV_FREE"))
		sub = PGT_ADV_FREE;
	else {
		note(c, t->mm, ev, "madvise %s: not modelled",
		     quote(a[2].s, a[2].n, qb, sizeof(qb)));
		*cat = CAT_NOT_MODELLED;
		return 0;
	}
	if (!len) {
		note(c, t->mm, ev, "madvise of 0 bytes: no operation");
		return 0;
	}
	snprintf(qb, sizeof(qb), "madvise%s",
		 vma_covers(t->mm, addr, addr + len) ? "" : NOT_IN_LOG);
	return range_op(c, t->mm, PGT_OP_ADVISE, addr, len, 0, 0, sub, ev, qb);
}

static int h_brk(struct imp *c, struct task *t, const struct event *ev,
		int *cat)
{
	struct imm *mm = t->mm;
	struct arg a[MAX_ARGS];
	uint64_t want, now = ev->c.value, old, po = 0, pn = 0;
	int rc;

	if ((rc = get_args(c, ev, a, 1, 1, "1 (the new break)")) ||
	    (rc = arg_num(c, ev, &a[0], "break", &want)))
		return rc;
	if (!mm->brk_known) {
		mm->brk_known = true;
		mm->brk = now;
		if (want)
			note(c, mm, ev, "brk: the break before this call is unknown (no brk(NULL) since the process began): taken as 0x%" PRIx64 ", no operation",
			     now);
		return 0;
	}
	old = mm->brk;
	if (!want) {
		if (now != old)
			note(c, mm, ev, "brk(NULL) returns 0x%" PRIx64 ", not the break 0x%" PRIx64 " of the calls before: taken as the break from here on, no operation",
			     now, old);
		mm->brk = now;
		return 0;
	}
	if (want != now) {
		note(c, mm, ev, "brk(0x%" PRIx64 ") failed: the break stays at 0x%" PRIx64,
		     want, now);
		*cat = CAT_FAILED;
	}
	mm->brk = now;
	if ((rc = page_up(c, ev, old, &po)) || (rc = page_up(c, ev, now, &pn)))
		return rc;
	if (pn > po) {
		if ((rc = range_op(c, mm, PGT_OP_ALLOC, po, pn - po,
				   PGT_PROT_R | PGT_PROT_W, 0, 0, ev,
				   "brk: the heap grows")))
			return rc;
		if (vma_add(mm, po, pn, PGT_PROT_R | PGT_PROT_W, 0))
			return nomem(c);
		return populate_new(c, mm, po, pn - po, PGT_PROT_R | PGT_PROT_W,
				    0, ev, "heap growth");
	}
	if (pn < po) {
		if ((rc = range_op(c, mm, PGT_OP_UNMAP, pn, po - pn, 0, 0, 0, ev,
				   "brk: the heap shrinks")))
			return rc;
		if (vma_remove(mm, pn, po))
			return nomem(c);
	}
	return 0;
}

/* remap ADDR OLDLEN NEWLEN [NEWADDR]: NEWADDR where the kernel put it */
static int remap_op(struct imp *c, struct imm *mm, uint64_t old,
		    uint64_t olen, uint64_t nlen, uint64_t to,
		    const struct event *ev, const char *what)
{
	struct pgt_op op = { .kind = PGT_OP_REMAP, .addr = old, .len = olen,
			     .newlen = nlen, .newaddr = to,
			     .flags = to ? PGT_REMAP_FIXED : 0 };
	/* both ranges inside the user address space, as put_op checks
	 * the range of alloc & co */
	struct pgt_op span = { .kind = PGT_OP_UNMAP, .addr = to ? to : old,
			       .len = nlen };
	int rc;

	if ((rc = check_range(c, &span, ev->line, what)) ||
	    (rc = check_range(c, &op, ev->line, what)))
		return rc;
	return put_op(c, mm, &op, ev, "%s", what);
}

#define MR_MAYMOVE 1u
#define MR_FIXED 2u
#define MR_DONTUNMAP 4u

static int mremap_tok(struct imp *c, const struct event *ev, const char *tok,
		      size_t n, void *arg)
{
	unsigned *fl = arg;
	char qt[80];

	if (tok_is(tok, n, "MREMAP_MAYMOVE"))
		*fl |= MR_MAYMOVE;
	else if (tok_is(tok, n, "MREMAP_FIXED"))
		*fl |= MR_FIXED;
	else if (tok_is(tok, n, "MREMAP_DONTUNMAP"))
		*fl |= MR_DONTUNMAP;
	else if (!tok_is(tok, n, "0"))
		return fail(c, ev->line, "cannot parse the flags of mremap: unknown '%s'; expected 0 or MREMAP_MAYMOVE, MREMAP_FIXED, MREMAP_DONTUNMAP joined by '|'",
			    quote(tok, n, qt, sizeof(qt)));
	return 0;
}

static int h_mremap(struct imp *c, struct task *t, const struct event *ev,
		int *cat)
{
	struct imm *mm = t->mm;
	struct arg a[MAX_ARGS];
	uint64_t old, olen, nlen, to = ev->c.value;
	const struct vma *src;
	struct vma sv = { 0 };
	unsigned fl = 0;
	int rc;

	if ((rc = get_args(c, ev, a, 4, 5, "4 or 5 (old address, old length, new length, flags[, new address])")) ||
	    (rc = arg_addr(c, ev, &a[0], &old)) ||
	    (rc = arg_num(c, ev, &a[1], "old length", &olen)) ||
	    (rc = arg_num(c, ev, &a[2], "new length", &nlen)) ||
	    (rc = each_flag(c, ev, &a[3], mremap_tok, &fl)) ||
	    (rc = page_up(c, ev, olen, &olen)) ||
	    (rc = page_up(c, ev, nlen, &nlen)))
		return rc;
	if (to & (PAGE - 1))
		return fail(c, ev->line, "mremap returned the unaligned address 0x%" PRIx64 "; expected a page-aligned address",
			    to);
	if (!nlen)
		return fail(c, ev->line, "mremap to length 0 succeeded; expected a positive new length (the kernel refuses 0)");
	src = vma_at(mm, old);
	if (src)
		sv = *src;
	if (to == old && !(fl & MR_DONTUNMAP)) {
		if (nlen < olen) {
			if ((rc = remap_op(c, mm, old, olen, nlen, 0, ev,
					   "mremap in place: the tail unmapped")))
				return rc;
			return vma_remove(mm, old + nlen, old + olen) ? nomem(c) : 0;
		}
		if (nlen == olen) {
			note(c, mm, ev, "mremap to the same size in place: no operation");
			return 0;
		}
		if (!src) {
			note(c, mm, ev, "mremap grows a mapping that no call of the log created (one of execve's?): its protection is unknown, the new tail 0x%" PRIx64 "+0x%" PRIx64 " is not allocated",
			     old + olen, nlen - olen);
			*cat = CAT_NOT_MODELLED;
			return 0;
		}
		if ((rc = remap_op(c, mm, old, olen, nlen, 0, ev,
				   "mremap grows in place")))
			return rc;
		if (vma_add(mm, old + olen, old + nlen, sv.prot, sv.mflags))
			return nomem(c);
		return populate_new(c, mm, old + olen, nlen - olen, sv.prot,
				    sv.mflags, ev, "mremap growth");
	}
	if (src && olen && !(fl & MR_DONTUNMAP) &&
	    vma_covers(mm, old, old + olen)) {
		/* a move: the page-table entries go with it */
		if ((rc = remap_op(c, mm, old, olen, nlen, to, ev,
				   "mremap moves the mapping")))
			return rc;
		if (vma_remove(mm, old, old + olen) ||
		    vma_add(mm, to, to + nlen, sv.prot, sv.mflags))
			return nomem(c);
		return nlen > olen ?
		       populate_new(c, mm, to + olen, nlen - olen, sv.prot,
				    sv.mflags, ev, "mremap growth") : 0;
	}
	if (fl & MR_DONTUNMAP) {
		if ((rc = range_op(c, mm, PGT_OP_ADVISE, old, olen, 0, 0,
				   PGT_ADV_DONTNEED, ev,
				   "mremap MREMAP_DONTUNMAP: the old range stays, emptied")))
			return rc;
	} else if (olen) {
		if ((rc = range_op(c, mm, PGT_OP_UNMAP, old, olen, 0, 0, 0, ev,
				   "mremap moves: unmap of the old range")))
			return rc;
		if (vma_remove(mm, old, old + olen))
			return nomem(c);
	}
	if (!src) {
		note(c, mm, ev, "mremap moves a mapping that no call of the log created (one of execve's?): its protection is unknown, the new range 0x%" PRIx64 "+0x%" PRIx64 " is not allocated",
		     to, nlen);
		*cat = CAT_NOT_MODELLED;
		return 0;
	}
	if ((rc = range_op(c, mm, PGT_OP_ALLOC, to, nlen, sv.prot, sv.mflags, 0,
			   ev, "mremap moves: alloc of the new range")))
		return rc;
	if (vma_add(mm, to, to + nlen, sv.prot, sv.mflags))
		return nomem(c);
	return populate_new(c, mm, to, nlen, sv.prot, sv.mflags, ev,
			    "mremap'ed anonymous mapping");
}

/* ------------------------------------------------------------------ */
/* events                                                               */

static int count_ignored(struct imp *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->nig; i++) {
		if (!strcmp(c->ig[i].name, name)) {
			c->ig[i].n++;
			return 0;
		}
	}
	if (grow((void **)&c->ig, &c->capig, c->nig + 1, sizeof(*c->ig)))
		return nomem(c);
	snprintf(c->ig[c->nig].name, sizeof(c->ig[c->nig].name), "%s", name);
	c->ig[c->nig++].n = 1;
	return 0;
}

static bool is_modelled(const char *nm)
{
	static const char *const mem[] = { "mmap", "mmap2", "munmap", "mprotect",
					   "pkey_mprotect", "brk", "mremap",
					   "madvise", NULL };

	return name_in(nm, mem) || name_in(nm, clone_names) ||
	       name_in(nm, exec_names);
}

static const struct clone_res *clone_at(const struct imp *c,
					unsigned long start_line)
{
	size_t lo = 0, hi = c->ncl;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (c->cl[mid].start_line == start_line)
			return &c->cl[mid];
		if (c->cl[mid].start_line < start_line)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int sem_call(struct imp *c, struct task *t, struct event *ev)
{
	const char *nm = ev->c.name;
	bool sel = t->mm->selected;
	int cat = CAT_IMPORTED, rc = 0;

	if (is_modelled(nm) && ev->c.res == RES_ERROR) {
		note(c, t->mm, ev, "%s = -1 %s: failed call, skipped", nm,
		     ev->c.errname);
		cat = CAT_FAILED;
	} else if (is_modelled(nm) && ev->c.res == RES_UNKNOWN) {
		note(c, t->mm, ev, "%s = ?: no result in the log (the task ended during the call), skipped",
		     nm);
		cat = CAT_NO_RESULT;
	} else if (name_in(nm, clone_names)) {
		/* a call split over two lines was done where it began */
		if (ev->start_line == ev->line && ev->c.value > 0 &&
		    ev->c.value < 0x7fffffff)
			rc = do_clone(c, t, ev, (long)ev->c.value);
		else if (ev->c.value == 0 || ev->c.value >= 0x7fffffff)
			return fail(c, ev->line, "%s returns %" PRIu64 "; expected the pid of the child",
				    nm, ev->c.value);
	} else if (name_in(nm, exec_names)) {
		if (ev->c.value != 0)
			return fail(c, ev->line, "%s returns %" PRIu64 "; expected 0 or -1 ERRNO",
				    nm, ev->c.value);
		rc = do_exec(c, t, ev);
	} else if (!strcmp(nm, "mmap") || !strcmp(nm, "mmap2")) {
		rc = h_mmap(c, t, ev, &cat);
	} else if (!strcmp(nm, "munmap")) {
		rc = h_munmap(c, t, ev, &cat);
	} else if (!strcmp(nm, "mprotect") || !strcmp(nm, "pkey_mprotect")) {
		rc = h_mprotect(c, t, ev, &cat);
	} else if (!strcmp(nm, "madvise")) {
		rc = h_madvise(c, t, ev, &cat);
	} else if (!strcmp(nm, "brk")) {
		rc = h_brk(c, t, ev, &cat);
	} else if (!strcmp(nm, "mremap")) {
		rc = h_mremap(c, t, ev, &cat);
	} else if (name_in(nm, unmodelled_names)) {
		note(c, t->mm, ev, "%s: not modelled (the trace has no such operation)",
		     nm);
		cat = CAT_NOT_MODELLED;
	} else {
		cat = CAT_IGNORED;
	}
	if (rc)
		return rc;
	if (!sel) {
		c->st.other_pid++;
		return 0;
	}
	switch (cat) {
	case CAT_IMPORTED:
		c->st.imported++;
		break;
	case CAT_FAILED:
		c->st.failed++;
		break;
	case CAT_NO_RESULT:
		c->st.no_result++;
		break;
	case CAT_NOT_MODELLED:
		c->st.not_modelled++;
		break;
	default:
		c->st.ignored++;
		return count_ignored(c, nm);
	}
	return 0;
}

static int sem_event(struct imp *c, struct event *ev)
{
	struct task *t = ev->t;
	const struct clone_res *cr;
	char why[96];
	int rc;

	switch (ev->kind) {
	case EV_BLANK:
		c->st.blank++;
		return 0;
	case EV_MESSAGE:
		c->st.messages++;
		return 0;
	default:
		break;
	}
	switch (ev->kind) {
	case EV_SIGNAL:
		c->st.signals++;
		return 0;
	case EV_EXIT:
	case EV_SUPERSEDED:
		if (t->set_up)
			break;
		/* a task whose only line is its exit (a thread that made no
		 * memory call, in a log without process events) */
		c->st.exits++;
		c->st.processes++;
		return 0;
	default:
		if (!t->set_up && (rc = setup_task(c, t, ev)))
			return rc;
		break;
	}
	switch (ev->kind) {
	case EV_EXIT:
		c->st.exits++;
		if (t->pend && is_modelled(t->pend_name))
			note(c, t->mm, ev, "%s of line %lu never finished: skipped",
			     t->pend_name, t->pend_line);
		snprintf(why, sizeof(why), "%.*s", (int)strlen(ev->text) - 4,
			 ev->text);
		return release(c, t, ev, why);
	case EV_SUPERSEDED:
		c->st.exits++;
		snprintf(why, sizeof(why), "superseded by the execve of its thread %ld",
			 ev->pid2);
		return release(c, t, ev, why);
	case EV_START:
		c->st.unfinished++;
		if (name_in(ev->c.name, clone_names) &&
		    (cr = clone_at(c, ev->line)))
			return do_clone(c, t, ev, cr->child);
		return 0;
	case EV_CALL:
		return sem_call(c, t, ev);
	default:
		return 0;
	}
}

/* pass 1: note the child of every clone that succeeded */
static int pass1_event(struct imp *c, struct event *ev)
{
	if (ev->kind != EV_CALL || !name_in(ev->c.name, clone_names) ||
	    ev->c.res != RES_VALUE || ev->c.value == 0 ||
	    ev->c.value >= 0x7fffffff)
		return 0;
	if (grow((void **)&c->cl, &c->capcl, c->ncl + 1, sizeof(*c->cl)))
		return nomem(c);
	c->cl[c->ncl].start_line = ev->start_line;
	c->cl[c->ncl++].child = (long)ev->c.value;
	return 0;
}

/* ------------------------------------------------------------------ */
/* passes                                                               */

static void reset(struct imp *c)
{
	size_t i;

	for (i = 0; i < c->nt; i++) {
		if (!c->t[i])
			continue;
		free(c->t[i]->pend);
		free(c->t[i]);
	}
	c->nt = c->ndead = 0;
	pm_clear(&c->by_pid);
	c->have_first = false;
	c->unbound = NULL;
	pm_clear(&c->ann);
	while (c->mms) {
		struct imm *mm = c->mms;

		c->mms = mm->next;
		vma_free_all(mm);
		free(mm);
	}
	c->vmas.n = 0;
	c->vmas.over = false;
	c->id1_used = false;
	c->next_id = 2;
	c->cur = 1;
	c->nig = 0;
	memset(&c->st, 0, sizeof(c->st));
}

static int cmp_clone(const void *a, const void *b)
{
	const struct clone_res *x = a, *y = b;

	return x->start_line < y->start_line ? -1 : x->start_line > y->start_line;
}

static int one_line(struct imp *c, char *line, unsigned long ln)
{
	struct event ev;
	int rc;

	c->line = ln;
	if ((rc = read_event(c, line, ln, &ev)))
		return rc;
	/* a clone's result announces the child's pid (attribute()) */
	if (ev.kind == EV_CALL && name_in(ev.c.name, clone_names) &&
	    ev.c.res == RES_VALUE && ev.c.value > 0 && ev.c.value < 0x7fffffff &&
	    (rc = announce(c, (long)ev.c.value)))
		return rc;
	rc = c->pass == 1 ? pass1_event(c, &ev) : sem_event(c, &ev);
	if (!rc)
		reader_post(c, &ev);
	return rc;
}

/*
 * strace -f writing to stderr prints "strace: Process N attached" where it
 * is, even in the middle of a line:
 *   clone(child_stack=NULL, flags=...|SIGCHLDstrace: Process 9409 attached
 *   , child_tidptr=0x7fd149699a10) = 9409
 * The message is counted, the pid announced, and the text before it kept
 * to be joined with the next line.  Returns 1 for such a line, 0 for any
 * other, -1 on error.
 */
static int split_message(struct imp *c, char *line, char **carry,
			 size_t *have, unsigned long *carry_line,
			 unsigned long ln)
{
	char *m = NULL, *p = line, tail[16];
	size_t keep;
	long pid;
	int len = 0;

	while ((p = strstr(p, "strace: Process ")))
		m = p++;
	if (!m || m == line ||
	    sscanf(m, "strace: Process %ld %15s%n", &pid, tail, &len) != 2 ||
	    m[len] || (strcmp(tail, "attached") && strcmp(tail, "detached")))
		return 0;
	if (!strcmp(tail, "attached") && announce(c, pid))
		return -1;
	c->st.messages++;
	keep = (size_t)(m - line);
	if (!*carry)
		*have = 0;
	/* the pieces form one line: bounded as one */
	if (*have + keep > LINE_MAX_BYTES) {
		fail(c, ln, "cannot parse a line of more than %u bytes (joined around strace's messages since line %lu); expected at most %u",
		     LINE_MAX_BYTES, *carry ? *carry_line : ln, LINE_MAX_BYTES);
		return -1;
	}
	p = realloc(*carry, *have + keep + 1);
	if (!p) {
		nomem(c);
		return -1;
	}
	memcpy(p + *have, line, keep);
	*have += keep;
	p[*have] = '\0';
	if (!*carry)
		*carry_line = ln;
	*carry = p;
	return 1;
}

static int join_carry(struct imp *c, char **carry, const char *line)
{
	int rc = put_scratch_to(c, *carry, line);

	free(*carry);
	*carry = NULL;
	return rc;
}

static int run_pass(struct imp *c, FILE *in)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	unsigned long ln = 0, carry_line = 0;
	size_t carry_len = 0;
	char *carry = NULL;
	int rc = 0;

	reset(c);
	if (fseek(in, 0, SEEK_SET))
		return pgt_fail(c->err, PGT_ERR_IO, "%s: cannot read it again: %s",
				c->name, strerror(errno));
	while ((n = getline(&line, &cap, in)) >= 0) {
		ln++;
		if (memchr(line, '\0', (size_t)n)) {
			rc = fail(c, ln, "cannot parse a line with a NUL byte; expected text");
			break;
		}
		if ((size_t)n > LINE_MAX_BYTES) {
			rc = fail(c, ln, "cannot parse a line of %zd bytes; expected at most %u",
				  n, LINE_MAX_BYTES);
			break;
		}
		while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if ((rc = split_message(c, line, &carry, &carry_len,
					&carry_line, ln)) < 0) {
			rc = c->err->status;
			break;
		}
		if (rc) {
			rc = 0;
			continue;	/* the line goes on in the next one */
		}
		if (carry) {
			rc = join_carry(c, &carry, line);
			if (rc)
				break;
			rc = one_line(c, c->joined, carry_line);
		} else {
			rc = one_line(c, line, ln);
		}
		if (rc)
			break;
	}
	if (!rc && ferror(in))
		rc = pgt_fail(c->err, PGT_ERR_IO, "%s: read error: %s", c->name,
			      strerror(errno));
	if (!rc && carry)
		rc = one_line(c, carry, carry_line);
	free(carry);
	free(line);
	if (rc)
		return rc;
	c->st.lines = ln;
	if (c->pass > 1) {
		size_t i;

		for (i = 0; i < c->nt; i++) {
			struct task *t = c->t[i];
			char pb[32];

			if (!t)
				continue;
			if (t->pend && is_modelled(t->pend_name) && t->mm &&
			    t->mm->selected)
				out(c, "# %s: %s of line %lu is unfinished at the end of the log: skipped\n",
				    pidstr(c, t, pb, sizeof(pb)), t->pend_name,
				    t->pend_line);
			if (!t->seen && t->mm && t->mm->selected)
				out(c, "# %s: created by a clone, but no line of its own in the log (strace without -f?): its mm %d is left as it is\n",
				    pidstr(c, t, pb, sizeof(pb)), t->mm->id);
		}
	}
	return 0;
}

static int cmp_ignored(const void *a, const void *b)
{
	const struct ignored *x = a, *y = b;

	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* The rules (pgtctl(1), IMPORTING STRACE LOGS) and the summary. */
static void write_header(struct imp *c, const struct pgt_import_stats *s,
			 unsigned long ops)
{
	static const char *const rules[] = {
		"One address space (mm) per process: mm 1 is the first process of the log.",
		"fork, vfork, clone and clone3 without CLONE_VM: 'fork N' of the parent's mm;",
		"with CLONE_VM (threads, vfork): 'thread +1' of the parent's mm.",
		"execve: alone in its mm, the process replaces it by a new, empty one",
		"('exec', same mm id); sharing it (vfork), it leaves it ('thread -1') and",
		"gets a new, empty one (unless nothing happened in the old).",
		"A pid first seen without a fork or clone in the log gets a new, empty mm:",
		"the trace cannot show copy-on-write between it and its parent.",
		"New empty mms after mm 1 are forked from an mm kept empty for that.",
		"'+++ exited' or '+++ killed': 'thread -1', or 'exit' for the last task.",
		"Only successful calls become operations; failed ones are comments.",
		"Lengths are rounded up to 4 KiB pages.",
		"mmap, mmap2: 'alloc' at the returned address; PROT_* give the protection,",
		"MAP_SHARED shared, MAP_PRIVATE private, MAP_ANONYMOUS anon, else file.",
		"munmap: 'unmap'.  mprotect, pkey_mprotect: 'protect'.",
		"brk: 'alloc ... rw private anon' or 'unmap' of the heap between the old",
		"and the new break; a process's first break comes from a brk call's result.",
		"mremap: 'remap' (a move goes to the address the kernel returned, and the",
		"page-table entries go with it); of a mapping no call of the log made, or",
		"with MREMAP_DONTUNMAP: 'unmap'/'advise dontneed' of the old range and",
		"'alloc' of the new one, contents not carried over.",
		"madvise MADV_DONTNEED, MADV_FREE, MADV_HUGEPAGE, MADV_NOHUGEPAGE: 'advise'; other",
		"advice, mlock, shmat and the like: comments (not modelled).",
		"Mappings made by execve itself (program, loader, stack, vdso) are not in",
		"the log, so they are not in the trace.",
		NULL
	};
	struct ignored *ig = c->ig;
	size_t i;
	int col;

	out(c, "pgtctl-trace 1\n");
	out(c, "# Imported by 'pgtctl import strace' from %s\n", c->name);
	out(c, "# (--arch %s --populate=%s", c->o->arch,
	    pgt_populate_name(c->o->populate));
	if (c->o->pid > 0)
		out(c, " --pid %ld", c->o->pid);
	out(c, "); the rules are in pgtctl(1), IMPORTING STRACE LOGS:\n#\n");
	for (i = 0; rules[i]; i++)
		out(c, "#   %s\n", rules[i]);
	switch (c->o->populate) {
	case PGT_POPULATE_NONE:
		out(c, "#   --populate=none: no 'populate' at all (strace does not see page\n"
		       "#   faults): the trace builds the VMAs but maps no page.\n");
		break;
	case PGT_POPULATE_ALL:
		out(c, "#   --populate=all: after each new anonymous mapping (mmap with\n"
		       "#   MAP_ANONYMOUS, heap growth, the new part of an mremap'ed one),\n"
		       "#   'populate ... write' over all of it if writable, 'populate ... read'\n"
		       "#   if only readable or executable; none for PROT_NONE or file mappings.\n");
		break;
	case PGT_POPULATE_WRITES:
		out(c, "#   --populate=writes: after each new writable anonymous mapping (mmap\n"
		       "#   with MAP_ANONYMOUS, heap growth, the new part of an mremap'ed one),\n"
		       "#   'populate ... write' over all of it; nothing for other mappings.\n");
		break;
	}
	if (c->o->pid > 0)
		out(c, "#   --pid %ld: only the address spaces of that process; one it got by\n"
		       "#   fork starts with an 'alloc' of each mapping it inherited.\n",
		    c->o->pid);
	out(c, "#   Each operation ends with '# L<line> pid <pid> <why>': its line in the log.\n");
	out(c, "#\n# The %lu lines of the log:\n", s->lines);
	out(c, "#   %lu calls imported, as %lu operations in %lu address space%s%s\n",
	    s->imported, ops, s->mms, s->mms == 1 ? "" : "s",
	    c->need_template ? " (and the empty one)" : "");
	out(c, "#   %lu failed calls skipped, %lu calls without a result, %lu not modelled\n",
	    s->failed, s->no_result, s->not_modelled);
	out(c, "#   %lu '<unfinished ...>' lines (each completed by its '<... resumed>' line)\n",
	    s->unfinished);
	out(c, "#   %lu exit lines, %lu signal lines, %lu strace messages, %lu empty lines\n",
	    s->exits, s->signals, s->messages, s->blank);
	if (c->o->pid > 0)
		out(c, "#   %lu calls of processes left out by --pid\n", s->other_pid);
	out(c, "#   %lu calls of other syscalls, ignored", s->ignored);
	if (c->nig)
		qsort(ig, c->nig, sizeof(*ig), cmp_ignored);
	col = 80;
	for (i = 0; i < c->nig; i++) {
		char item[64];
		int len = snprintf(item, sizeof(item), "%s %lu", ig[i].name, ig[i].n);

		if (col + len + 2 > 78) {
			out(c, "%s\n#     ", i ? "," : ":");
			col = 6;
		} else {
			out(c, ", ");
			col += 2;
		}
		out(c, "%s", item);
		col += len;
	}
	out(c, "\n#   (%lu tasks seen)\n", s->processes);
	out(c, "arch %s\n", c->o->arch);
}

int pgt_import_strace(const char *path, FILE *outf,
		      const struct pgt_import_opts *o,
		      struct pgt_import_stats *st, struct pgt_err *err)
{
	struct imp c = { .o = o, .err = err };
	struct pgt_import_stats saved;
	FILE *in;
	int rc;

	c.name = o->display ? o->display : path;
	if (!strcmp(path, "-")) {
		char buf[65536];
		size_t n;

		in = tmpfile();
		if (!in)
			return pgt_fail(err, PGT_ERR_IO, "%s: cannot make a temporary copy: %s",
					c.name, strerror(errno));
		while ((n = fread(buf, 1, sizeof(buf), stdin)) > 0)
			if (fwrite(buf, 1, n, in) != n) {
				fclose(in);
				return pgt_fail(err, PGT_ERR_IO, "%s: cannot copy: %s",
						c.name, strerror(errno));
			}
		if (ferror(stdin)) {
			fclose(in);
			return pgt_fail(err, PGT_ERR_IO, "%s: read error: %s",
					c.name, strerror(errno));
		}
	} else {
		in = fopen(path, "r");
		if (!in)
			return pgt_fail(err, PGT_ERR_IO, "%s: %s", c.name,
					strerror(errno));
	}

	c.pass = 1;
	rc = run_pass(&c, in);
	if (!rc && o->pid > 0 && !c.pid_seen)
		rc = pgt_fail(err, PGT_ERR_INPUT,
			      "%s: pid %ld does not appear in the log; expected one of its pids",
			      c.name, o->pid);
	if (!rc) {
		if (c.ncl)
			qsort(c.cl, c.ncl, sizeof(*c.cl), cmp_clone);
		c.pass = 2;
		c.template_id = PGT_MAX_MM_ID + 1;	/* no mm has this id */
		rc = run_pass(&c, in);
	}
	if (!rc) {
		saved = c.st;
		c.template_id = c.next_id;
		if (c.template_id > PGT_MAX_MM_ID)
			rc = pgt_fail(err, PGT_ERR_INPUT,
				      "%s: more than %d address spaces; expected fewer processes",
				      c.name, PGT_MAX_MM_ID - 1);
	}
	if (!rc) {
		bool tmpl = c.need_template;

		c.pass = 3;
		c.out = outf;
		write_header(&c, &saved, saved.ops + (tmpl ? 1 : 0));
		if (tmpl) {
			char text[32];

			snprintf(text, sizeof(text), "fork %d", c.template_id);
			out(&c, "%-*s # an empty mm, kept to fork new address spaces from\n",
			    COMMENT_COL - 2, text);
		}
		rc = run_pass(&c, in);
		c.st.ops += tmpl ? 1 : 0;
	}
	if (!rc && st)
		*st = c.st;
	fclose(in);
	reset(&c);
	free(c.t);
	pm_free(&c.by_pid);
	pm_free(&c.ann);
	budget_free(&c.vmas);
	free(c.cl);
	free(c.scratch);
	free(c.joined);
	free(c.ig);
	return rc;
}

int pgt_populate_parse(const char *s, enum pgt_populate *p)
{
	if (!strcmp(s, "none"))
		*p = PGT_POPULATE_NONE;
	else if (!strcmp(s, "all"))
		*p = PGT_POPULATE_ALL;
	else if (!strcmp(s, "writes"))
		*p = PGT_POPULATE_WRITES;
	else
		return -1;
	return 0;
}

const char *pgt_populate_name(enum pgt_populate p)
{
	switch (p) {
	case PGT_POPULATE_NONE:
		return "none";
	case PGT_POPULATE_ALL:
		return "all";
	case PGT_POPULATE_WRITES:
		return "writes";
	}
	return NULL;
}
