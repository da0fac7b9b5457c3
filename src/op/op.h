/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The operation vocabulary, defined once: what an operation is (struct
 * pgt_op), its name and text syntax, its sub-op words, the CBOR keys it
 * takes, and whether it belongs to one architecture only.  The trace
 * readers and writers parse and print with it; the engine applies ops and
 * names them with it.  Neither needs the other.
 */
#ifndef PGT_OP_H
#define PGT_OP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "../lib/number.h"

/* The values are the CBOR operation codes: never reorder (trace-cbor.c). */
enum pgt_op_kind {
	PGT_OP_ALLOC,		/* alloc ADDR LEN PROT [private|shared] [anon|file] */
	PGT_OP_POPULATE,	/* populate ADDR LEN read|write [stride=N] */
	PGT_OP_PROTECT,		/* protect ADDR LEN PROT */
	PGT_OP_UNMAP,		/* unmap ADDR LEN */
	PGT_OP_FORK,		/* fork MM */
	PGT_OP_MM,		/* mm MM */
	PGT_OP_ADVISE,		/* advise ADDR LEN hugepage|nohugepage|dontneed|free */
	PGT_OP_THREAD,		/* thread +N|-N */
	PGT_OP_CPU,		/* cpu attach|detach|idle N */
	PGT_OP_EXIT,		/* exit */
	PGT_OP_SIE,		/* sie (an arch's own) */
	PGT_OP_ESSA,		/* essa ADDR LEN stable|unused|volatile|pvolatile */
	PGT_OP_HOST,		/* host ADDR LEN discard|swapout|swapin|access */
	PGT_OP_KMAP,		/* kmap ADDR LEN PROT (an arch's own) */
	PGT_OP_EXEC,		/* exec */
	PGT_OP_REMAP,		/* remap ADDR OLDLEN NEWLEN [NEWADDR] */
	PGT_OP_COLLAPSE,	/* collapse ADDR LEN */
	PGT_OP__COUNT
};

/* prot bits; 0 means PROT_NONE ("none" in the text form) */
#define PGT_PROT_R 0x1u
#define PGT_PROT_W 0x2u
#define PGT_PROT_X 0x4u

/* the largest mm id a trace names (pgtctl-trace(5)); ids start at 1 */
#define PGT_MAX_MM_ID 1000000

/* remap flags: NEWADDR given (MREMAP_MAYMOVE | MREMAP_FIXED) */
#define PGT_REMAP_FIXED 0x1u

/* alloc flags */
#define PGT_MAP_SHARED 0x1u	/* default private */
#define PGT_MAP_FILE 0x2u	/* default anon */

enum pgt_advice { PGT_ADV_HUGEPAGE, PGT_ADV_NOHUGEPAGE, PGT_ADV_DONTNEED,
		  PGT_ADV_FREE };
enum pgt_cpu_action { PGT_CPU_ATTACH, PGT_CPU_DETACH, PGT_CPU_IDLE };
enum pgt_essa_state { PGT_ESSA_STABLE, PGT_ESSA_UNUSED, PGT_ESSA_VOLATILE,
		      PGT_ESSA_PVOLATILE };
enum pgt_host_action { PGT_HOST_DISCARD, PGT_HOST_SWAPOUT, PGT_HOST_SWAPIN,
		       PGT_HOST_ACCESS };

struct pgt_op {
	enum pgt_op_kind kind;
	uint64_t addr, len;
	unsigned prot;		/* alloc, protect, kmap */
	unsigned flags;		/* alloc: PGT_MAP_*; populate: 1 = write;
				   remap: PGT_REMAP_FIXED */
	uint64_t stride;	/* populate: 0 = every page (4096) */
	uint64_t newlen, newaddr;	/* remap (len: the old length) */
	int arg;		/* fork/mm: mm id; thread: delta; cpu: cpu number */
	int sub;		/* advise, cpu, essa, host: the enum value above */
	unsigned long line;	/* text: line number; CBOR: byte offset */
};

/* Keys of an operation's CBOR map (pgtctl-trace(5) "CBOR FORM"). */
enum pgt_cbor_key {
	PGT_CK_OP,		/* operation code: enum pgt_op_kind */
	PGT_CK_ADDR,
	PGT_CK_LEN,
	PGT_CK_PROT,		/* PGT_PROT_* bits */
	PGT_CK_MAP,		/* alloc: PGT_MAP_* bits; absent = 0 */
	PGT_CK_ACCESS,		/* populate: 0 read, 1 write */
	PGT_CK_STRIDE,		/* populate: absent = every page */
	PGT_CK_MM,		/* fork, mm: mm id */
	PGT_CK_DELTA,		/* thread: signed change */
	PGT_CK_CPU,		/* cpu: cpu number */
	PGT_CK_ACTION,		/* advise, cpu, essa, host: the sub-op enum */
	PGT_CK_NEWLEN,		/* remap: the new length */
	PGT_CK_NEWADDR,		/* remap: absent = may not move to a fixed address */
	PGT_CK__COUNT
};

/* Everything known about one kind of operation. */
struct pgt_op_info {
	const char *name;		/* text keyword */
	const char *syntax;		/* canonical text syntax, for messages */
	const char *const *words;	/* sub-op words indexed by op->sub */
	const char *word_what;		/* what those words are called */
	unsigned cbor_need;		/* CBOR keys it must have (1u << key) */
	unsigned cbor_may;		/* optional CBOR keys */
	/* valid only on an arch that lists it among its own operations
	 * (struct pgt_arch.ops); every arch takes the others */
	bool arch_only;
};

/* NULL for a kind that is not an operation. */
const struct pgt_op_info *pgt_op_info(enum pgt_op_kind kind);
const char *pgt_op_name(enum pgt_op_kind kind);
/* the kind named name, or -1 */
int pgt_op_find(const char *name);
/* words[sub], or NULL if sub is not an index of the op's words */
const char *pgt_op_word(enum pgt_op_kind kind, int sub);
/* how many sub-op words the op has (0: none) */
unsigned pgt_op_nwords(enum pgt_op_kind kind);

/*
 * Canonical text form of one op (no trailing newline).  Returns the length
 * of the full text, like snprintf (a result >= len means it was
 * truncated), or -1 for an op that has no text form.
 */
int pgt_op_format(const struct pgt_op *op, char *buf, size_t len);
/* "r", "rw", "rwx"..., always in rwx order, or "none"; -1 for unknown bits */
int pgt_prot_format(unsigned prot, char *buf, size_t len);

#endif
