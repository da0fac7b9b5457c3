/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The shell on a memory dump: its roots, one of them chosen, and a walk
 * down the tree like a file system (ls, cd, up, pwd).  The path is a stack
 * of tables from the root's top table; an entry is followed only when the
 * arch decodes it as pointing to a lower table.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "shell.h"
#include "../cli/cli-source.h"
#include "../lib/number.h"

/* back to the root's top table (or nowhere, for a malformed root) */
static void dir_reset(struct shell *sh)
{
	struct pgt_root_info ri = { 0 };

	sh->depth = 0;
	sh->ds->arch->root_decode(sh->ds->root, &ri);
	if (ri.why)
		return;
	sh->dir[0].level = ri.top_level;
	sh->dir[0].table = ri.table;
	sh->dir[0].entries = ri.entries ? ri.entries :
			     sh->ds->arch->levels[ri.top_level].nentries;
	sh->dir[0].va = 0;
	sh->dir[0].idx = 0;
	sh->depth = 1;
}

int shell_dump_open(struct shell *sh, const char *path)
{
	struct pgt_dump_source_opts o = { 0 };
	struct pgt_err err = { 0 };
	int rc;

	sh->ds = calloc(1, sizeof(*sh->ds));
	if (!sh->ds) {
		cli_error("shell", "out of memory");
		return EXIT_USAGE;
	}
	rc = cli_dump_open(sh->ds, path, &o, &err);
	if (rc) {
		cli_report("shell", rc, err.msg);
		free(sh->ds);
		sh->ds = NULL;
		return cli_status_exit(rc);
	}
	dir_reset(sh);
	return 0;
}

void shell_dump_close(struct shell *sh)
{
	if (!sh->ds)
		return;
	pgt_dump_source_close(sh->ds);
	free(sh->ds);
	sh->ds = NULL;
}

/* the chosen root's name, or its value */
static const char *root_name(struct shell *sh, char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < sh->ds->roots.n; i++)
		if (sh->ds->roots.v[i].value == sh->ds->root)
			return sh->ds->roots.v[i].name;
	snprintf(buf, len, "0x%" PRIx64, sh->ds->root);
	return buf;
}

/* "pae dump root cpu0>" */
void shell_dump_prompt(struct shell *sh, char *buf, size_t len)
{
	char name[24];

	snprintf(buf, len, "%s dump root %s> ", sh->ds->arch->name,
		 root_name(sh, name, sizeof(name)));
}

/* the records of `pgtctl dump --roots` */
int shell_run_roots(struct shell *sh, struct cli_args *a)
{
	enum pgt_format fmt = PGT_FMT_TEXT;
	enum pgt_view v = PGT_VIEW_ROOTS;
	struct pgt_render *rr;
	struct pgt_sink *s;
	const char *f;

	if (a->argc)
		return cli_usage_error("roots", "expected no arguments");
	if ((f = cli_val(a, 0)) && cli_parse_format("roots", f, &fmt))
		return EXIT_USAGE;
	if (cli_check_format("roots", fmt, &v, 1) ||
	    !(rr = cli_render("dump", fmt)))
		return EXIT_USAGE;
	s = pgt_render_sink(rr);
	pgt_dump_source_roots(s, sh->ds);
	pgt_render_finish(rr);
	return 0;
}

int shell_run_root(struct shell *sh, struct cli_args *a)
{
	struct pgt_err err = { 0 };
	uint64_t root;
	char name[24];
	int rc;

	if (a->argc != 1)
		return cli_usage_error("root", "expected one root R");
	rc = pgt_dump_pick_root(sh->ds->d, sh->ds->arch, &sh->ds->roots,
				a->argv[0], &root, &err);
	if (rc) {
		cli_report("root", rc, err.msg);
		return cli_status_exit(rc);
	}
	sh->ds->root = root;
	dir_reset(sh);
	printf("root %s\n", root_name(sh, name, sizeof(name)));
	return 0;
}

static const struct shell_dir *cwd(struct shell *sh)
{
	return sh->depth ? &sh->dir[sh->depth - 1] : NULL;
}

/* entry idx of the current table; -1 (said) when it cannot be read */
static int read_entry(struct shell *sh, const struct shell_dir *d,
		      unsigned idx, uint64_t *raw, const char *cmd)
{
	const struct pgt_arch *a = sh->ds->arch;
	struct pgt_view_src src;
	unsigned char buf[8];
	uint8_t es = a->levels[d->level].entsize;

	pgt_dump_source_view(sh->ds, &src);
	if (pgt_phys_read(src.mem, d->table + (uint64_t)idx * es, buf, es)) {
		cli_error(cmd, "the table at 0x%" PRIx64 " is not in the dump",
			  d->table);
		return -1;
	}
	*raw = pgt_ent_load(a, d->level, buf);
	return 0;
}

static uint64_t entry_va(struct shell *sh, const struct shell_dir *d,
			 unsigned idx)
{
	return d->va + ((uint64_t)idx << sh->ds->arch->levels[d->level].shift);
}

/* the non-empty entries: index, address, raw value, decoded */
int shell_run_ls(struct shell *sh, struct cli_args *a)
{
	const struct pgt_arch *ar = sh->ds->arch;
	const struct shell_dir *d = cwd(sh);
	char desc[200];
	uint64_t raw;
	unsigned i, shown = 0;

	if (a->argc)
		return cli_usage_error("ls", "expected no arguments");
	if (!d) {
		cli_error("ls", "the root 0x%" PRIx64 " designates no table",
			  sh->ds->root);
		return EXIT_USAGE;
	}
	for (i = 0; i < d->entries; i++) {
		if (read_entry(sh, d, i, &raw, "ls"))
			return EXIT_USAGE;
		if (raw == ar->levels[d->level].empty)
			continue;
		ar->entry_describe(d->level, raw, desc, sizeof(desc));
		printf("%u\t0x%" PRIx64 "\t0x%0*" PRIx64 "\t%s\n", i,
		       entry_va(sh, d, i), ar->levels[d->level].entsize * 2,
		       raw, desc);
		shown++;
	}
	printf("# %s at 0x%" PRIx64 ": %u of %u entries in use\n",
	       ar->levels[d->level].name, d->table, shown, d->entries);
	return 0;
}

int shell_run_up(struct shell *sh, struct cli_args *a)
{
	if (a && a->argc)
		return cli_usage_error("up", "expected no arguments");
	if (sh->depth <= 1) {
		cli_error("up", "already at the root's table");
		return EXIT_USAGE;
	}
	sh->depth--;
	return 0;
}

/* INDEX (below the table's entry count) or a VA inside the table's span */
static int cd_index(struct shell *sh, const struct shell_dir *d,
		    const char *arg, unsigned *idx)
{
	const struct pgt_level *l = &sh->ds->arch->levels[d->level];
	uint64_t v;

	if (pgt_parse_u64(arg, &v))
		return cli_usage_error("cd", "bad index or address '%s'", arg);
	if (v < d->entries) {
		*idx = (unsigned)v;
		return 0;
	}
	if (v < d->va || ((v - d->va) >> l->shift) >= d->entries)
		return cli_usage_error("cd", "0x%" PRIx64 " is neither an index (0-%u) nor an address this %s maps",
				       v, d->entries - 1, l->name);
	*idx = (unsigned)((v - d->va) >> l->shift);
	return 0;
}

int shell_run_cd(struct shell *sh, struct cli_args *a)
{
	const struct pgt_arch *ar = sh->ds->arch;
	const struct shell_dir *d = cwd(sh);
	struct pgt_ent_info ei = { 0 };
	struct shell_dir *n;
	uint64_t raw;
	unsigned idx = 0;

	if (a->argc != 1)
		return cli_usage_error("cd", "expected INDEX, VA or ..");
	if (!strcmp(a->argv[0], ".."))
		return shell_run_up(sh, NULL);
	if (!d) {
		cli_error("cd", "the root designates no table");
		return EXIT_USAGE;
	}
	if (cd_index(sh, d, a->argv[0], &idx))
		return EXIT_USAGE;
	if (read_entry(sh, d, idx, &raw, "cd"))
		return EXIT_USAGE;
	ar->entry_decode(d->level, raw, &ei);
	if (ei.kind != PGT_ENT_TABLE || d->level + 1 >= (int)ar->nlevels) {
		cli_error("cd", "%s[%u] = 0x%" PRIx64 " points to no table",
			  ar->levels[d->level].name, idx, raw);
		return EXIT_USAGE;
	}
	sh->dir[sh->depth - 1].idx = idx;
	n = &sh->dir[sh->depth++];
	n->level = d->level + 1;
	n->table = ei.next;
	n->entries = ei.next_entries ? ei.next_entries :
		     ar->levels[n->level].nentries;
	n->va = entry_va(sh, d, idx);
	n->idx = 0;
	return 0;
}

/* "root cpu0 0x... / PDPT 0x...[0] / PD 0x...[128] / PT 0x..." */
int shell_run_pwd(struct shell *sh, struct cli_args *a)
{
	const struct pgt_arch *ar = sh->ds->arch;
	char name[24];
	int i;

	if (a->argc)
		return cli_usage_error("pwd", "expected no arguments");
	printf("root %s", root_name(sh, name, sizeof(name)));
	for (i = 0; i < sh->depth; i++) {
		printf(" / %s 0x%" PRIx64, ar->levels[sh->dir[i].level].name,
		       sh->dir[i].table);
		if (i + 1 < sh->depth)
			printf("[%u]", sh->dir[i].idx);
	}
	if (sh->depth)
		printf(" (va 0x%" PRIx64 ")", sh->dir[sh->depth - 1].va);
	putchar('\n');
	return 0;
}
