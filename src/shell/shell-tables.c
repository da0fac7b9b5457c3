/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Moving around a page-table tree like a file system: ls, cd, up, pwd,
 * on a dump (the chosen root) and on a trace (the viewed mm at the
 * current position).  The path is kept as the entry indices followed
 * from the top table, and the tables are found again from the root each
 * time: on a trace the state changes under the path with every move, so
 * a path whose entry no longer points to a table is cut there (said on
 * stderr).  An entry is followed only when the arch decodes it as
 * pointing to a lower table.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "shell.h"
#include "../arch/arch.h"
#include "../lib/number.h"

/* a table on the way down from the root */
struct dir {
	int level;
	uint64_t table;		/* physical address */
	uint32_t entries;
	uint64_t va;		/* first address it maps, in the index space
				 * (pgt_va_index: x86-64's upper half is not
				 * sign-extended here; shown with va_shown) */
};

struct tree {
	struct pgt_engine_pick p;	/* arch, memory, root */
	struct dir d[PGT_MAX_LEVELS];
	int n;				/* d[0 .. n): the path, d[n-1] current */
};

/* entry idx of table d; -1 (said) when it cannot be read */
static int read_entry(const struct tree *t, const struct dir *d,
		      unsigned idx, uint64_t *raw, const char *cmd)
{
	const struct pgt_arch *a = t->p.src.arch;
	unsigned char buf[8];
	uint8_t es = a->levels[d->level].entsize;

	if (pgt_phys_read(t->p.src.mem, d->table + (uint64_t)idx * es, buf,
			  es)) {
		cli_error(cmd, "the %s at 0x%" PRIx64 " is not in the memory",
			  a->levels[d->level].name, d->table);
		return -1;
	}
	*raw = pgt_ent_load(a, d->level, buf);
	return 0;
}

static uint64_t entry_va(const struct tree *t, const struct dir *d,
			 unsigned idx)
{
	return d->va + ((uint64_t)idx << t->p.src.arch->levels[d->level].shift);
}

/* an address as the user sees and types it: canonical (sign-extended on
 * x86-64) */
static uint64_t va_shown(const struct tree *t, uint64_t va)
{
	return pgt_va_canon(t->p.src.arch, va);
}

/* the table entry idx of d points to, into *n; false if none */
static bool follow(const struct tree *t, const struct dir *d, unsigned idx,
		   uint64_t raw, struct dir *n)
{
	const struct pgt_arch *a = t->p.src.arch;
	struct pgt_ent_info ei = { 0 };

	a->entry_decode(d->level, raw, &ei);
	if (ei.kind != PGT_ENT_TABLE || d->level + 1 >= (int)a->nlevels)
		return false;
	n->level = d->level + 1;
	n->table = ei.next;
	n->entries = ei.next_entries ? ei.next_entries :
		     a->levels[n->level].nentries;
	n->va = entry_va(t, d, idx);
	return true;
}

/*
 * The tables of the path in the state shown now; the path is cut where
 * an entry no longer points to a table.  -1 (said) when there is no
 * tree: an empty state, a root that designates no table.
 */
static int resolve(struct shell *sh, const char *cmd, struct tree *t)
{
	struct pgt_root_info ri = { 0 };
	const struct pgt_arch *a;
	int i;

	if (shell_pick(sh, cmd, false, &t->p))
		return -1;
	if (!(a = t->p.src.arch)) {
		cli_error(cmd, "the state is empty: every mm has exited");
		return -1;
	}
	a->root_decode(t->p.src.root, &ri);
	if (ri.why) {
		cli_error(cmd, "the root 0x%" PRIx64 " designates no table: %s",
			  t->p.src.root, ri.why);
		return -1;
	}
	t->d[0].level = ri.top_level;
	t->d[0].table = ri.table;
	t->d[0].entries = ri.entries ? ri.entries :
			  a->levels[ri.top_level].nentries;
	t->d[0].va = 0;
	t->n = 1;
	for (i = 0; i < sh->depth; i++) {
		uint64_t raw;

		if (sh->path_idx[i] >= t->d[i].entries ||
		    read_entry(t, &t->d[i], sh->path_idx[i], &raw, cmd))
			break;
		if (!follow(t, &t->d[i], sh->path_idx[i], raw, &t->d[i + 1])) {
			fflush(stdout);
			fprintf(stderr, "pgtctl: %s: note: %s[%u] = 0x%" PRIx64 " points to no table now: the path ends above it\n",
				cmd, a->levels[t->d[i].level].name,
				sh->path_idx[i], raw);
			break;
		}
		t->n++;
	}
	sh->depth = t->n - 1;
	return 0;
}

/* "4K", "2M", "1G": a leaf's size */
static void size_text(uint64_t size, char *buf, size_t len)
{
	static const char unit[] = "KMGT";
	int u = -1;

	while (u < 3 && size >= 1024 && !(size % 1024)) {
		size /= 1024;
		u++;
	}
	if (u < 0)
		snprintf(buf, len, "%" PRIu64, size);
	else
		snprintf(buf, len, "%" PRIu64 "%c", size, unit[u]);
}

/* one entry, as is: index, address, raw value, decoded */
static void ls_one(const struct tree *t, const struct dir *d, unsigned i,
		   uint64_t raw)
{
	const struct pgt_arch *a = t->p.src.arch;
	char desc[200];

	if (raw == a->levels[d->level].empty)
		snprintf(desc, sizeof(desc), "empty");
	else
		a->entry_describe(d->level, raw, desc, sizeof(desc));
	printf("%u\t0x%" PRIx64 "\t0x%0*" PRIx64 "\t%s\n", i,
	       va_shown(t, entry_va(t, d, i)), a->levels[d->level].entsize * 2,
	       raw, desc);
}

/* may entry (raw, ei) extend a run of leaves ending with (prev, pe)?
 * the same rights and size, the next frame */
static bool same_run(const struct pgt_ent_info *pe, const struct pgt_ent_info *ei)
{
	return pe->kind == PGT_ENT_LEAF && ei->kind == PGT_ENT_LEAF &&
	       pe->hw == ei->hw && pe->size == ei->size &&
	       pe->linux_present == ei->linux_present &&
	       ei->pa == pe->pa + pe->size;
}

/* a run of n leaves from entry i: "[I-J] VA N x 4K rwuxadg pa A-B" */
static void ls_run(const struct tree *t, const struct dir *d, unsigned i,
		   unsigned n, const struct pgt_ent_info *first)
{
	char letters[8], size[24];

	pgt_flags_str(first->hw, letters);
	size_text(first->size, size, sizeof(size));
	printf("[%u-%u]\t0x%" PRIx64 "\t%u x %s %s\tpa 0x%" PRIx64 "-0x%" PRIx64 "\n",
	       i, i + n - 1, va_shown(t, entry_va(t, d, i)), n, size, letters,
	       first->pa,
	       first->pa + (uint64_t)n * first->size);
}

static void ls_empty(unsigned i, unsigned n)
{
	if (n == 1)
		printf("[%u]\tempty\n", i);
	else
		printf("[%u-%u]\tempty\n", i, i + n - 1);
}

/*
 * The entries of the current table, decoded.  Runs collapse as ptdump
 * collapses them: empty entries into "[I-J] empty", consecutive leaves
 * with the same rights and size mapping consecutive frames into one
 * line; every other entry (tables, not present, bad) has its own line,
 * as every entry has with --all.
 */
int shell_run_ls(struct shell *sh, struct cli_args *a)
{
	bool all = cli_has(a, 0);
	struct pgt_ent_info first = { 0 }, prev = { 0 }, ei;
	const struct pgt_arch *ar;
	const struct dir *d;
	unsigned i, used = 0, start = 0, run = 0;
	uint64_t raw = 0, first_raw = 0;
	struct tree t;

	if (a->argc)
		return cli_usage_error("ls", "expected no arguments");
	if (resolve(sh, "ls", &t))
		return EXIT_USAGE;
	ar = t.p.src.arch;
	d = &t.d[t.n - 1];
	for (i = 0; i <= d->entries; i++) {
		bool empty = false;

		memset(&ei, 0, sizeof(ei));
		if (i < d->entries) {
			if (read_entry(&t, d, i, &raw, "ls"))
				return EXIT_USAGE;
			empty = raw == ar->levels[d->level].empty;
			if (empty)
				ei.kind = PGT_ENT_EMPTY;
			else
				ar->entry_decode(d->level, raw, &ei);
			used += !empty;
			if (all) {
				ls_one(&t, d, i, raw);
				continue;
			}
			if (run && ((empty && prev.kind == PGT_ENT_EMPTY &&
				     first.kind == PGT_ENT_EMPTY) ||
				    same_run(&prev, &ei))) {
				run++;
				prev = ei;
				continue;
			}
		} else if (all) {
			break;
		}
		/* the run before entry i ends */
		if (run == 1 && first.kind != PGT_ENT_EMPTY)
			ls_one(&t, d, start, first_raw);
		else if (run && first.kind == PGT_ENT_EMPTY)
			ls_empty(start, run);
		else if (run)
			ls_run(&t, d, start, run, &first);
		if (ei.kind == PGT_ENT_TABLE)
			shell_seen_addr(sh, va_shown(&t, entry_va(&t, d, i)));
		first = prev = ei;
		first_raw = raw;
		start = i;
		run = 1;
	}
	printf("# %s at 0x%" PRIx64 ": %u of %u entries in use\n",
	       ar->levels[d->level].name, d->table, used, d->entries);
	return 0;
}

int shell_run_up(struct shell *sh, struct cli_args *a)
{
	struct tree t;

	if (a && a->argc)
		return cli_usage_error("up", "expected no arguments");
	if (resolve(sh, "up", &t))
		return EXIT_USAGE;
	if (!sh->depth) {
		cli_error("up", "already at the root's table");
		return EXIT_USAGE;
	}
	sh->depth--;
	return 0;
}

/* INDEX (below the table's entry count) or a VA inside the table's span;
 * a VA is canonical, as ls shows it (x86-64's upper half sign-extended) */
static int cd_index(struct shell *sh, const struct tree *t,
		    const struct dir *d, const char *arg, unsigned *idx)
{
	const struct pgt_arch *a = t->p.src.arch;
	const struct pgt_level *l = &a->levels[d->level];
	uint64_t v, iv;

	if (pgt_parse_u64(arg, &v))
		return cli_usage_error("cd", "bad index or address '%s'", arg);
	if (v < d->entries) {
		*idx = (unsigned)v;
		return 0;
	}
	iv = pgt_va_index(a, v);
	if (pgt_va_canon(a, iv) != v || iv < d->va ||
	    ((iv - d->va) >> l->shift) >= d->entries)
		return cli_usage_error("cd", "0x%" PRIx64 " is neither an index (0-%u) nor an address this %s maps",
				       v, d->entries - 1, l->name);
	shell_seen_addr(sh, v);
	*idx = (unsigned)((iv - d->va) >> l->shift);
	return 0;
}

int shell_run_cd(struct shell *sh, struct cli_args *a)
{
	const struct pgt_arch *ar;
	const struct dir *d;
	struct dir next;
	unsigned idx = 0;
	uint64_t raw;
	struct tree t;

	if (a->argc != 1)
		return cli_usage_error("cd", "expected INDEX, VA or ..");
	if (!strcmp(a->argv[0], ".."))
		return shell_run_up(sh, NULL);
	if (!strcmp(a->argv[0], "/")) {
		sh->depth = 0;
		return 0;
	}
	if (resolve(sh, "cd", &t))
		return EXIT_USAGE;
	ar = t.p.src.arch;
	d = &t.d[t.n - 1];
	if (cd_index(sh, &t, d, a->argv[0], &idx) ||
	    read_entry(&t, d, idx, &raw, "cd"))
		return EXIT_USAGE;
	if (!follow(&t, d, idx, raw, &next)) {
		cli_error("cd", "%s[%u] = 0x%" PRIx64 " points to no table",
			  ar->levels[d->level].name, idx, raw);
		return EXIT_USAGE;
	}
	sh->path_idx[sh->depth++] = idx;
	return 0;
}

/* "root cpu0 / PDPT 0x...[0] / PD 0x...[128] / PT 0x... (va 0x...)" */
int shell_run_pwd(struct shell *sh, struct cli_args *a)
{
	const struct pgt_arch *ar;
	struct tree t;
	int i;

	if (a->argc)
		return cli_usage_error("pwd", "expected no arguments");
	if (resolve(sh, "pwd", &t))
		return EXIT_USAGE;
	ar = t.p.src.arch;
	if (sh->ds)
		printf("root %s", shell_dump_root_name(sh));
	else
		printf("%s", t.p.src.name ? t.p.src.name : "mm");
	for (i = 0; i < t.n; i++) {
		printf(" / %s 0x%" PRIx64, ar->levels[t.d[i].level].name,
		       t.d[i].table);
		if (i + 1 < t.n)
			printf("[%u]", sh->path_idx[i]);
	}
	printf(" (va 0x%" PRIx64 ")\n", va_shown(&t, t.d[t.n - 1].va));
	return 0;
}
