/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Which paging format a dump uses and where its page-table roots are,
 * without debuginfo.  This layer knows no arch: it gives the facts of the
 * container (struct pgt_dump_facts: e_machine, the kdump machine string,
 * VMCOREINFO, each CPU's notes raw, memory) to the arch files' root
 * discovery (arch/discover.h), which read registers and tables.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dump.h"
#include "../arch/arch.h"
#include "../walk/walk.h"

/* ---- the facts ---- */

static const char *facts_vmcoreinfo(const void *dump, const char *key,
				    char *buf, size_t len)
{
	return pgt_vmcoreinfo_get(dump, key, buf, len);
}

static size_t facts_cpu_notes(const void *dump, int cpu,
			      struct pgt_cpu_note *v, size_t max)
{
	return pgt_dump_cpu_notes(dump, cpu, v, max);
}

/* Only memory the file has bytes for is scanned (data_end): the zeros a
 * PT_LOAD adds past its p_filesz hold no table, and a p_memsz of 2^62
 * must not mean 2^50 pages to look at. */
static bool facts_run(const void *dump, size_t i, uint64_t *start,
		      uint64_t *end)
{
	const struct pgt_dump *d = dump;

	if (i >= d->nranges)
		return false;
	*start = d->ranges[i].start;
	*end = d->ranges[i].data_end;
	return true;
}

static void facts_trial_walk(const void *dump, const struct pgt_arch *a,
			     uint64_t root, uint64_t va_end, uint64_t *pages,
			     uint64_t *findings)
{
	const struct pgt_dump *d = dump;
	struct pgt_view_src src = {
		.arch = a, .mem = (struct pgt_physmem *)&d->pm, .root = root,
		.va_end = va_end,
	};
	struct pgt_walk_stats st;
	struct pgt_err err = { 0 };

	memset(&st, 0, sizeof(st));
	if (pgt_walk_stats_collect(&src, &st, &err))
		st.findings++;
	*pages = st.pages;
	*findings = st.findings;
}

void pgt_dump_facts(const struct pgt_dump *d, struct pgt_dump_facts *f)
{
	memset(f, 0, sizeof(*f));
	f->path = d->path;
	f->mem = (struct pgt_physmem *)&d->pm;
	f->elf_machine = d->elf_machine;
	f->elf_class = d->elf_class;
	f->big_endian = d->big_endian;
	f->kdump_machine = d->kdump_machine;
	f->ncpus = d->ncpus;
	f->dump = d;
	f->vmcoreinfo = facts_vmcoreinfo;
	f->cpu_notes = facts_cpu_notes;
	f->run = facts_run;
	f->trial_walk = facts_trial_walk;
}

/* ---- arch ---- */

/* the first registered arch whose family evidence ev names (how says
 * what it was), or NULL */
static const struct pgt_arch *claimed(const struct pgt_dump_facts *f,
				      enum pgt_evidence ev, char *how,
				      size_t len)
{
	const struct pgt_arch *a;
	size_t i;

	for (i = 0; (a = pgt_arch_nth(i)); i++)
		if (a->discover && a->discover->claims(f, ev, how, len))
			return a;
	return NULL;
}

static const struct pgt_arch *machine_names(const struct pgt_dump_facts *f)
{
	const struct pgt_arch *a;
	size_t i;

	for (i = 0; (a = pgt_arch_nth(i)); i++)
		if (a->discover && a->discover->machine_is(f->kdump_machine))
			return a;
	return NULL;
}

int pgt_dump_detect_arch(const struct pgt_dump *d, const char *forced,
			 const struct pgt_arch **a, char *how, size_t len,
			 struct pgt_err *err)
{
	const struct pgt_arch *fam;
	struct pgt_dump_facts f;
	char names[80];

	if (forced) {
		*a = pgt_arch_find(forced);
		if (!*a)
			return pgt_fail(err, PGT_ERR_USAGE,
					"unknown --arch '%s'; expected %s",
					forced, pgt_arch_names(names, sizeof(names), ""));
		snprintf(how, len, "--arch %s", forced);
		return PGT_OK;
	}
	pgt_dump_facts(d, &f);
	fam = claimed(&f, PGT_EV_ELF_MACHINE, how, len);
	if (!fam && d->kdump_machine[0]) {
		snprintf(how, len, "kdump header machine '%s'", d->kdump_machine);
		fam = machine_names(&f);
		if (!fam)
			return pgt_fail(err, PGT_ERR_UNSUPPORTED,
					"%s: %s: this architecture is not supported; expected %s",
					d->path, how, pgt_arch_names(names, sizeof(names), ""));
	}
	if (!fam)
		fam = claimed(&f, PGT_EV_CPU_NOTES, how, len);
	if (!fam)
		fam = claimed(&f, PGT_EV_VMCOREINFO, how, len);
	if (fam)
		return fam->discover->select(&f, a, how, len, err);
	return pgt_fail(err, PGT_ERR_INPUT,
			"%s: nothing tells the architecture (no e_machine, empty kdump machine field, no CPU notes or VMCOREINFO); use --arch NAME (%s)",
			d->path, pgt_arch_names(names, sizeof(names), ""));
}

/* ---- roots ---- */

int pgt_dump_find_roots(const struct pgt_dump *d, const struct pgt_arch *a,
			struct pgt_dump_roots *r, struct pgt_err *err)
{
	struct pgt_dump_facts f;
	int i;

	(void)err;
	if (!a->discover)
		return PGT_OK;
	pgt_dump_facts(d, &f);
	for (i = 0; i < d->ncpus; i++)
		a->discover->cpu_roots(&f, a, i, r);
	a->discover->kernel_root(&f, a, r);
	return PGT_OK;
}

/* ---- --root ---- */

static const struct pgt_dump_root *by_name(const struct pgt_dump_roots *r,
					   const char *name)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (!strcmp(r->v[i].name, name))
			return &r->v[i];
	return NULL;
}

static const struct pgt_dump_root *first_where(const struct pgt_dump_roots *r,
					       bool kernel)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (kernel ? r->v[i].kernel : (r->v[i].user && !r->v[i].kernel))
			return &r->v[i];
	return NULL;
}

int pgt_dump_pick_root(const struct pgt_dump *d, const struct pgt_arch *a,
		       const struct pgt_dump_roots *r, const char *spec,
		       uint64_t *root, struct pgt_err *err)
{
	const struct pgt_dump_root *hit = NULL;
	char name[32];
	char *end;
	uint64_t v;

	if (!spec) {
		/* default: the first CPU's user root, else the kernel's */
		hit = first_where(r, false);
		if (!hit)
			hit = first_where(r, true);
		if (!hit && r->n)
			hit = &r->v[0];
		if (!hit)
			return pgt_fail(err, PGT_ERR_INPUT,
					"%s: no page-table root found (no CR3/ASCE in the notes, no swapper_pg_dir in VMCOREINFO%s); use --root ADDR%s",
					d->path,
					r->scanned ? ", none by --scan-roots" : "",
					r->scanned ? "" : " or --scan-roots");
		*root = hit->value;
		return PGT_OK;
	}
	if (!strcmp(spec, "user") || !strcmp(spec, "kernel")) {
		hit = first_where(r, spec[0] == 'k');
		if (!hit)
			return pgt_fail(err, PGT_ERR_INPUT,
					"%s: no %s root in this dump (see --roots%s)",
					d->path, spec,
					r->scanned ? "" : "; --scan-roots may find user roots");
	} else if (!(hit = by_name(r, spec)) && !strncmp(spec, "cpu", 3)) {
		snprintf(name, sizeof(name), "%s-user", spec);
		hit = by_name(r, name);
		if (!hit)
			return pgt_fail(err, PGT_ERR_INPUT,
					"%s: no root for %s (see --roots)",
					d->path, spec);
	}
	if (hit) {
		*root = hit->value;
		return PGT_OK;
	}
	v = strtoull(spec, &end, 0);
	if (*end || end == spec)
		return pgt_fail(err, PGT_ERR_USAGE,
				"bad --root '%s'; expected an address, cpuN, user, kernel or a name from --roots",
				spec);
	if (a->discover && a->discover->addr_root) {
		struct pgt_dump_facts f;

		pgt_dump_facts(d, &f);
		return a->discover->addr_root(&f, a, v, root, err);
	}
	*root = v;
	return PGT_OK;
}
