/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The operation vocabulary (op.h): one table, and the canonical text form. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "op.h"

static const char *const advice_words[] = {
	[PGT_ADV_HUGEPAGE] = "hugepage",
	[PGT_ADV_NOHUGEPAGE] = "nohugepage",
	[PGT_ADV_DONTNEED] = "dontneed",
	[PGT_ADV_FREE] = "free",
	NULL
};

static const char *const cpu_words[] = {
	[PGT_CPU_ATTACH] = "attach",
	[PGT_CPU_DETACH] = "detach",
	[PGT_CPU_IDLE] = "idle",
	NULL
};

static const char *const essa_words[] = {
	[PGT_ESSA_STABLE] = "stable",
	[PGT_ESSA_UNUSED] = "unused",
	[PGT_ESSA_VOLATILE] = "volatile",
	[PGT_ESSA_PVOLATILE] = "pvolatile",
	NULL
};

static const char *const host_words[] = {
	[PGT_HOST_DISCARD] = "discard",
	[PGT_HOST_SWAPOUT] = "swapout",
	[PGT_HOST_SWAPIN] = "swapin",
	[PGT_HOST_ACCESS] = "access",
	NULL
};

#define K(key) (1u << PGT_CK_##key)
#define RANGE (K(ADDR) | K(LEN))

static const struct pgt_op_info op_table[PGT_OP__COUNT] = {
	[PGT_OP_ALLOC] = { "alloc",
		"alloc ADDR LEN PROT [private|shared] [anon|file]",
		NULL, NULL, RANGE | K(PROT), K(MAP), false },
	[PGT_OP_POPULATE] = { "populate",
		"populate ADDR LEN read|write [stride=N]",
		NULL, NULL, RANGE | K(ACCESS), K(STRIDE), false },
	[PGT_OP_PROTECT] = { "protect", "protect ADDR LEN PROT",
		NULL, NULL, RANGE | K(PROT), 0, false },
	[PGT_OP_UNMAP] = { "unmap", "unmap ADDR LEN",
		NULL, NULL, RANGE, 0, false },
	[PGT_OP_FORK] = { "fork", "fork MM", NULL, NULL, K(MM), 0, false },
	[PGT_OP_MM] = { "mm", "mm MM", NULL, NULL, K(MM), 0, false },
	[PGT_OP_ADVISE] = { "advise",
		"advise ADDR LEN hugepage|nohugepage|dontneed|free",
		advice_words, "advice", RANGE | K(ACTION), 0, false },
	[PGT_OP_THREAD] = { "thread", "thread +N|-N",
		NULL, NULL, K(DELTA), 0, false },
	[PGT_OP_CPU] = { "cpu", "cpu attach|detach|idle N",
		cpu_words, "action", K(CPU) | K(ACTION), 0, false },
	[PGT_OP_EXIT] = { "exit", "exit", NULL, NULL, 0, 0, false },
	[PGT_OP_SIE] = { "sie", "sie", NULL, NULL, 0, 0, true },
	[PGT_OP_ESSA] = { "essa",
		"essa ADDR LEN stable|unused|volatile|pvolatile",
		essa_words, "state", RANGE | K(ACTION), 0, true },
	[PGT_OP_HOST] = { "host",
		"host ADDR LEN discard|swapout|swapin|access",
		host_words, "action", RANGE | K(ACTION), 0, true },
	[PGT_OP_KMAP] = { "kmap", "kmap ADDR LEN PROT",
		NULL, NULL, RANGE | K(PROT), 0, true },
	[PGT_OP_EXEC] = { "exec", "exec", NULL, NULL, 0, 0, false },
	[PGT_OP_REMAP] = { "remap", "remap ADDR OLDLEN NEWLEN [NEWADDR]",
		NULL, NULL, RANGE | K(NEWLEN), K(NEWADDR), false },
	[PGT_OP_COLLAPSE] = { "collapse", "collapse ADDR LEN",
		NULL, NULL, RANGE, 0, false },
};

const struct pgt_op_info *pgt_op_info(enum pgt_op_kind kind)
{
	if ((unsigned)kind >= PGT_OP__COUNT)
		return NULL;
	return &op_table[kind];
}

const char *pgt_op_name(enum pgt_op_kind kind)
{
	const struct pgt_op_info *i = pgt_op_info(kind);

	return i ? i->name : NULL;
}

int pgt_op_find(const char *name)
{
	int i;

	for (i = 0; i < PGT_OP__COUNT; i++)
		if (!strcmp(op_table[i].name, name))
			return i;
	return -1;
}

unsigned pgt_op_nwords(enum pgt_op_kind kind)
{
	const struct pgt_op_info *i = pgt_op_info(kind);
	unsigned n = 0;

	if (i && i->words)
		while (i->words[n])
			n++;
	return n;
}

const char *pgt_op_word(enum pgt_op_kind kind, int sub)
{
	if (sub < 0 || (unsigned)sub >= pgt_op_nwords(kind))
		return NULL;
	return op_table[kind].words[sub];
}

/* ---- canonical text form ---- */

/* A bounded string builder; the canonical form of an op is short. */
struct strbuf {
	char s[160];
	size_t n;
};

static void __attribute__((format(printf, 2, 3)))
sb_add(struct strbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->n >= sizeof(b->s))
		return;
	va_start(ap, fmt);
	n = vsnprintf(b->s + b->n, sizeof(b->s) - b->n, fmt, ap);
	va_end(ap);
	if (n > 0)
		b->n += (size_t)n;
}

/* Lengths read best with the largest exact binary suffix: 256K, 2M, 1G. */
static void sb_add_len(struct strbuf *b, uint64_t v)
{
	static const char suffix[] = "KMGT";
	int i;

	if (v == 0) {
		sb_add(b, "0");
		return;
	}
	if (v % 1024) {
		sb_add(b, "0x%" PRIx64, v);
		return;
	}
	for (i = 3; i > 0; i--)
		if (v % (UINT64_C(1) << (10 * (i + 1))) == 0)
			break;
	sb_add(b, "%" PRIu64 "%c", v >> (10 * (i + 1)), suffix[i]);
}

static void sb_add_range(struct strbuf *b, const struct pgt_op *op)
{
	sb_add(b, " 0x%" PRIx64 " ", op->addr);
	sb_add_len(b, op->len);
}

static int sb_add_prot(struct strbuf *b, unsigned prot)
{
	char s[8];

	if (pgt_prot_format(prot, s, sizeof(s)) < 0)
		return -1;
	sb_add(b, " %s", s);
	return 0;
}

static int sb_add_word(struct strbuf *b, const struct pgt_op *op)
{
	const char *w = pgt_op_word(op->kind, op->sub);

	if (!w)
		return -1;
	sb_add(b, " %s", w);
	return 0;
}

static int format_args(struct strbuf *b, const struct pgt_op *op)
{
	switch (op->kind) {
	case PGT_OP_ALLOC:
		sb_add_range(b, op);
		if (sb_add_prot(b, op->prot))
			return -1;
		sb_add(b, " %s %s", op->flags & PGT_MAP_SHARED ? "shared" : "private",
		       op->flags & PGT_MAP_FILE ? "file" : "anon");
		return 0;
	case PGT_OP_POPULATE:
		sb_add_range(b, op);
		sb_add(b, " %s", op->flags & 1 ? "write" : "read");
		if (op->stride) {
			sb_add(b, " stride=");
			sb_add_len(b, op->stride);
		}
		return 0;
	case PGT_OP_PROTECT:
	case PGT_OP_KMAP:
		sb_add_range(b, op);
		return sb_add_prot(b, op->prot);
	case PGT_OP_UNMAP:
	case PGT_OP_COLLAPSE:
		sb_add_range(b, op);
		return 0;
	case PGT_OP_REMAP:
		sb_add_range(b, op);
		sb_add(b, " ");
		sb_add_len(b, op->newlen);
		if (op->flags & PGT_REMAP_FIXED)
			sb_add(b, " 0x%" PRIx64, op->newaddr);
		return 0;
	case PGT_OP_FORK:
	case PGT_OP_MM:
		sb_add(b, " %d", op->arg);
		return 0;
	case PGT_OP_ADVISE:
	case PGT_OP_ESSA:
	case PGT_OP_HOST:
		sb_add_range(b, op);
		return sb_add_word(b, op);
	case PGT_OP_THREAD:
		sb_add(b, " %+d", op->arg);
		return 0;
	case PGT_OP_CPU:
		if (sb_add_word(b, op))
			return -1;
		sb_add(b, " %d", op->arg);
		return 0;
	case PGT_OP_EXIT:
	case PGT_OP_SIE:
	case PGT_OP_EXEC:
		return 0;
	default:
		return -1;
	}
}

int pgt_op_format(const struct pgt_op *op, char *buf, size_t len)
{
	struct strbuf b = { .n = 0 };
	const char *name = pgt_op_name(op->kind);

	if (!name)
		return -1;
	sb_add(&b, "%s", name);
	if (format_args(&b, op))
		return -1;
	return snprintf(buf, len, "%s", b.s);
}

int pgt_prot_format(unsigned prot, char *buf, size_t len)
{
	char s[4];
	int n = 0;

	if (prot & ~(PGT_PROT_R | PGT_PROT_W | PGT_PROT_X))
		return -1;
	if (prot & PGT_PROT_R)
		s[n++] = 'r';
	if (prot & PGT_PROT_W)
		s[n++] = 'w';
	if (prot & PGT_PROT_X)
		s[n++] = 'x';
	s[n] = '\0';
	return snprintf(buf, len, "%s", n ? s : "none");
}
