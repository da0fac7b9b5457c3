/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Records: what the views produce.  A view (tree, pages, events ...) turns
 * a walk or the engine's accounting into a stream of small structs, one
 * kind per line of output, and hands them to a sink; it never formats.
 * The renderers (src/render) are sinks that write one format each; a
 * comparison (diff) or a test can be a sink too.
 *
 * A view's stream is bracketed by begin and end.  Between them, a view
 * emits "rows" (the lines of its table: the TSV rows, the JSON "records"
 * array) and "parts" (one-off figures such as totals: a key of the view's
 * JSON object and a line of text, never a TSV row).  Rows come in one
 * contiguous run.  Strings in a record live only during the call.
 */
#ifndef PGT_RECORD_H
#define PGT_RECORD_H

#include <stdbool.h>
#include <stdint.h>
#include "../arch/arch.h"

enum pgt_view {
	PGT_VIEW_OVERVIEW,	/* dump: the file, arch, memory, CPUs */
	PGT_VIEW_ROOTS,
	PGT_VIEW_TREE,
	PGT_VIEW_RANGES,
	PGT_VIEW_PAGES,
	PGT_VIEW_EVENTS,
	PGT_VIEW_FLUSHES,
	PGT_VIEW_TRANSITIONS,
	PGT_VIEW_SUMMARY,	/* replay: the engine; dump: the walk */
	PGT_VIEW_FINDINGS,
	PGT_VIEW_TRANSLATE,
	PGT_VIEW_DECODE,
	PGT_VIEW_DIFF,
	PGT_VIEW_PTOV,		/* which (root, va) map these frames */
	PGT_VIEW_ALIASES,	/* frames mapped more than once */
	PGT_VIEW_WX,		/* writable and executable mappings */
	PGT_VIEW_READ,		/* memory contents, through the tables */
	PGT_VIEW__COUNT
};

enum pgt_rec_kind {
	PGT_REC_PAGE,		/* pages: one present leaf */
	PGT_REC_RANGE,		/* ranges: leaves merged */
	PGT_REC_TABLE,		/* tree: a table */
	PGT_REC_ENTRY,		/* tree: a pointer or a run of similar entries */
	PGT_REC_LEVELS,		/* part: tables and leaves per level */
	PGT_REC_EVENT,		/* events */
	PGT_REC_FLUSH,		/* flushes: one op and kind */
	PGT_REC_TALLY,		/* part: named counters (flush totals ...) */
	PGT_REC_TRANSITION,
	PGT_REC_RUN,		/* part: engine summary head */
	PGT_REC_MM,		/* engine summary: one mm */
	PGT_REC_FRAMES,		/* part: simulated memory */
	PGT_REC_STATE,		/* part: which mm the views show, and why */
	PGT_REC_LEVEL,		/* walk summary: one level */
	PGT_REC_WALK,		/* part: walk summary totals */
	PGT_REC_ROOT,
	PGT_REC_FINDING,
	PGT_REC_STEP,		/* translate: one level of one address */
	PGT_REC_XLATE,		/* translate: the result for one address */
	PGT_REC_DECODE,		/* decode: one value at one level */
	PGT_REC_OVERVIEW,	/* part: a dump */
	PGT_REC_SOURCE,		/* part: what a walk reads (name, root) */
	PGT_REC_DIFF,		/* diff: a run of equal differences */
	PGT_REC_DIFF_A,		/* part: diff, side A (struct pgt_rec_side) */
	PGT_REC_DIFF_B,		/* part: diff, side B */
	PGT_REC_DIFF_RESULT,	/* part: diff totals */
	PGT_REC_PTOV,		/* ptov: one mapping of a frame asked */
	PGT_REC_ALIAS,		/* aliases: one mapping of a shared frame */
	PGT_REC_ALIAS_RESULT,	/* part: aliases totals */
	PGT_REC_WX,		/* wx: a run of W+X leaves of one root */
	PGT_REC_WX_RESULT,	/* part: the kernel-style verdict */
	PGT_REC_BYTES,		/* read: up to 16 bytes of one line */
	PGT_REC_HOLE,		/* read: a stretch that cannot be read */
	PGT_REC__COUNT
};

struct pgt_rec_page {
	uint64_t va, pa, size, raw;
	unsigned flags;
	const char *memtype;	/* "WB", "UC-" ..., NULL: the arch has none */
};

struct pgt_rec_range {
	uint64_t start, end, pa, pages, page_size;
	unsigned flags;
	bool contiguous;	/* pa is meaningful */
	const char *level;
	const char *memtype;	/* as in pgt_rec_page */
	const char *region;	/* the ptdump region it lies in, or NULL */
};

struct pgt_rec_table {
	int depth;
	const char *level, *name;	/* Linux and hardware names */
	uint64_t pa, va, span;		/* span: bytes the table maps */
	uint32_t entries, bytes;
	const char *note;		/* arch note on its page, or NULL */
	/* diff's union tree: PGT_DIFF_ONLY_A or _B when one side only has
	 * the table (pa is that side's), else 0 and pa_b is B's */
	unsigned diff;
	uint64_t pa_b;
};

struct pgt_rec_entry {
	int depth;
	const char *level;
	enum pgt_ent_kind kind;
	unsigned first, last;		/* index range of the run */
	uint64_t va, end;
	uint64_t raw;			/* the first entry */
	uint64_t next;			/* TABLE: the lower table */
	uint64_t pa, size;		/* LEAF: first frame, bytes per entry */
	unsigned flags;			/* LEAF: hardware flags */
	const char *decoded;
	/* diff's union tree: what differs (PGT_DIFF_*, 0: equal); flags
	 * and size are A's where A has the entry, flags_b B's */
	unsigned diff;
	unsigned flags_b;
};

struct pgt_rec_levels {			/* per level of the arch */
	unsigned n;
	const char *level[PGT_MAX_LEVELS];
	uint64_t tables[PGT_MAX_LEVELS], leaves[PGT_MAX_LEVELS];
};

struct pgt_rec_event {
	unsigned long op;
	int mm;
	const char *event;		/* "op", "entry", "flush" ... */
	int level;			/* arch level index, or -1 */
	const char *lname, *hwname;	/* "-" when none */
	uint64_t va, pa, old, new, count;
	uint32_t size;
	int half;
	bool kernel;
	const char *text;		/* flush: the kind */
	const char *reason;		/* flush: the rule, else NULL */
};

#define PGT_REC_REASONS 4
struct pgt_rec_flush {
	unsigned long op;
	const char *kind;
	uint64_t count;
	const char *reason[PGT_REC_REASONS];	/* NULL-terminated */
};

struct pgt_rec_tally {
	const char *key;		/* "flushes" */
	unsigned n;
	const char *const *names;
	const uint64_t *vals;
};

struct pgt_rec_transition {
	const char *from, *to;
	uint64_t count;
};

struct pgt_rec_run {
	const char *arch, *profile, *options;
	unsigned long operations;
	uint64_t faults, failed;
};

struct pgt_rec_mm {
	int id;
	bool live;
	uint64_t vmas, pages;
	long deposited;
	unsigned nlevels;
	const char *level[PGT_MAX_LEVELS];
	long tables[PGT_MAX_LEVELS];
};

struct pgt_rec_frames {
	uint64_t used, peak;
};

struct pgt_rec_state {
	int mm;			/* the mm shown, 0: none */
	int asked;		/* the mm asked for (0: the current one) */
	int current;		/* the trace's current mm at that point */
	bool current_exited;
	unsigned long position;	/* operations replayed */
	const char *note;	/* what the user should know, or NULL */
};

struct pgt_rec_level {
	const char *level, *name;
	uint64_t tables, bytes, unaligned, leaves;
};

struct pgt_rec_walk {
	uint64_t root;
	const char *arch, *root_decoded;
	uint64_t tables, leaves, pages, protnone, findings;
};

struct pgt_rec_root {
	const char *name, *kind, *decoded, *source, *evidence;
	uint64_t value;
	long score;
	bool selected;
};

struct pgt_rec_finding {
	const char *level;
	uint64_t at, va, raw;
	const char *why;
};

struct pgt_rec_step {
	uint64_t va, root;
	const char *level, *name;
	uint64_t table, entry, raw;
	unsigned index;
	const char *decoded;
};

struct pgt_rec_xlate {
	uint64_t va, root, pa;
	bool mapped;
	bool data_missing;	/* a dump without the page's data */
	unsigned flags;
	const char *memtype;	/* of the page, NULL: none */
	const char *why;
};

struct pgt_rec_decode {
	uint64_t value;
	const char *level, *name, *kind, *decoded, *why;
	bool first_level;	/* the first line for this value */
	enum pgt_ent_kind ekind;
	unsigned flags;
	uint64_t table, pa, size;
	const char *memtype;	/* LEAF: its memory type, NULL: none */
};

struct pgt_rec_overview {
	const char *path, *format, *arch, *arch_how, *kernel;
	/* kernel NULL: what VMCOREINFO says instead; replay, "TRACE after N
	 * operations" of a state replay --save-tables wrote, or NULL */
	bool vmcoreinfo;
	const char *replay;
	int elf_class, machine;
	bool big_endian;
	uint64_t ranges, held, limit;
	int ncpus, npids;
	const int *pids;		/* per CPU, -1: unknown; npids of them */
};

struct pgt_rec_source {
	const char *name;	/* "mm 1", a dump's path */
	uint64_t root;
	const char *root_decoded;	/* may be NULL */
};

/* what differs in a diff row (several may be set) */
#define PGT_DIFF_ONLY_A 0x01u	/* mapped in A only */
#define PGT_DIFF_ONLY_B 0x02u
#define PGT_DIFF_SIZE 0x04u	/* both map it, with other page sizes */
#define PGT_DIFF_RIGHTS 0x08u	/* the hardware letters differ */
#define PGT_DIFF_PA 0x10u	/* the frames differ (same memory only) */
#define PGT_DIFF_RAW 0x20u	/* only bits the letters do not show */

struct pgt_rec_diff {
	uint64_t start, end;
	unsigned what;			/* PGT_DIFF_* */
	uint64_t pages_a, pages_b;	/* leaves of each side in the run */
	uint64_t size_a, size_b;	/* their size (0: none on that side) */
	unsigned flags_a, flags_b;
	bool pa_compared;		/* pa_* and raw_* are meaningful */
	uint64_t pa_a, pa_b, raw_a, raw_b;	/* of the first leaves */
	unsigned long op_a, op_b;	/* --explain: the last op, 0: none */
	const char *explain_a, *explain_b;	/* its text, or NULL */
};

struct pgt_rec_side {
	const char *name;		/* "T.trace@5 mm 1", a dump and root */
	const char *kind;		/* "replay", "dump" */
	uint64_t root;
	bool empty;			/* no live mm: nothing to walk */
	unsigned n;
	const char *level[PGT_MAX_LEVELS];
	uint64_t tables[PGT_MAX_LEVELS], leaves[PGT_MAX_LEVELS];
	uint64_t pages;			/* 4 KiB units the MMU maps */
};

struct pgt_rec_diff_result {
	bool equal;
	bool pa_compared;
	const char *note;		/* why PAs were not compared, or NULL */
	uint64_t start, end;		/* the addresses compared (end 0: top) */
	uint64_t rows, only_a, only_b, changed;	/* rows; leaves */
};

/* a leaf of some root that maps a frame (ptov, aliases) */
struct pgt_rec_mapping {
	uint64_t pa;		/* ptov: the address asked; aliases: leaf's */
	bool mapped;		/* ptov: false: no root maps pa */
	uint64_t va;		/* the virtual address of pa (ptov) or of
				 * the leaf (aliases) */
	uint64_t size;		/* the leaf's page size */
	const char *root;	/* the root's name */
	uint64_t root_value;
	unsigned roots;		/* roots sharing this mapping (kernel half) */
	const char *level;
	unsigned flags;
	const char *memtype;
	unsigned long group;	/* aliases: frames overlapping, 1-based */
	bool mixed;		/* aliases: the group's memory types differ */
};

struct pgt_rec_alias_result {
	uint64_t groups, mappings, mixed, roots;
};

struct pgt_rec_wx {
	const char *root;
	uint64_t root_value;
	unsigned roots;
	uint64_t start, end, pages, page_size;
	const char *level;
	unsigned flags;
	const char *region;
};

struct pgt_rec_wx_result {
	const char *prefix;	/* "x86/mm: ", "" or NULL (arch->wx_prefix) */
	bool period;		/* the kernel's line ends with '.' */
	uint64_t pages;		/* 4 KiB pages W+X */
	uint64_t roots;		/* roots checked */
};

struct pgt_rec_bytes {
	uint64_t addr;		/* the first byte's address (VA or PA) */
	uint64_t pa;		/* its physical address (phys: = addr) */
	unsigned n;		/* bytes on this line, <= 16 */
	uint8_t data[16];
	uint16_t held;		/* bit i: data[i] was read */
};

struct pgt_rec_hole {
	uint64_t addr, end;	/* [addr, end) */
	const char *why;
	bool unmapped;		/* no translation (else: data not held) */
};

struct pgt_rec {
	enum pgt_rec_kind kind;
	union {
		struct pgt_rec_page page;
		struct pgt_rec_range range;
		struct pgt_rec_table table;
		struct pgt_rec_entry entry;
		struct pgt_rec_levels levels;
		struct pgt_rec_event event;
		struct pgt_rec_flush flush;
		struct pgt_rec_tally tally;
		struct pgt_rec_transition transition;
		struct pgt_rec_run run;
		struct pgt_rec_mm mm;
		struct pgt_rec_frames frames;
		struct pgt_rec_state state;
		struct pgt_rec_level level;
		struct pgt_rec_walk walk;
		struct pgt_rec_root root;
		struct pgt_rec_finding finding;
		struct pgt_rec_step step;
		struct pgt_rec_xlate xlate;
		struct pgt_rec_decode decode;
		struct pgt_rec_overview overview;
		struct pgt_rec_source source;
		struct pgt_rec_diff diff;
		struct pgt_rec_side side;
		struct pgt_rec_diff_result diff_result;
		struct pgt_rec_mapping mapping;
		struct pgt_rec_alias_result alias_result;
		struct pgt_rec_wx wx;
		struct pgt_rec_wx_result wx_result;
		struct pgt_rec_bytes bytes;
		struct pgt_rec_hole hole;
	} u;
};

/* Is this kind a row of its view's table (else a part)? */
bool pgt_rec_is_row(enum pgt_rec_kind k);
/* the kind's name: the "type" of a JSON record, the key of a part */
const char *pgt_rec_name(enum pgt_rec_kind k);
/* the view's name: --NAME on the command line, its JSON key */
const char *pgt_view_name(enum pgt_view v);

/* Where a view's records go.  arch may be NULL (a view over no paging
 * format); the renderers take level widths and names from it. */
struct pgt_sink {
	void (*begin)(void *arg, enum pgt_view v, const struct pgt_arch *arch);
	void (*rec)(void *arg, const struct pgt_rec *r);
	void (*end)(void *arg, enum pgt_view v);
	void *arg;
};

static inline void pgt_sink_begin(struct pgt_sink *s, enum pgt_view v,
				  const struct pgt_arch *arch)
{
	if (s->begin)
		s->begin(s->arg, v, arch);
}

static inline void pgt_sink_rec(struct pgt_sink *s, const struct pgt_rec *r)
{
	s->rec(s->arg, r);
}

static inline void pgt_sink_end(struct pgt_sink *s, enum pgt_view v)
{
	if (s->end)
		s->end(s->arg, v);
}

#endif
