/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A replayed state written as an ELF vmcore (save-tables.h): the table
 * pages are collected by walking each live mm (the whole address space:
 * kernel tables a trace changed, PAE kmap, are tables too), the CPU notes
 * of a CPU running on each mm's root are the arch's (discover.h,
 * write_cpu_notes: the inverse of its root discovery), and the ELF writer of `dump --save-tables` (src/dump/elf-write.c) writes
 * them.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "save-tables.h"
#include "../arch/discover.h"
#include "../dump/dump.h"
#include "../walk/table-pages.h"

static int collect_mm(struct pgt_engine *e, uint64_t root,
		      struct pgt_page_set *p, struct pgt_err *err)
{
	struct pgt_walker w;

	memset(&w, 0, sizeof(w));
	w.arch = e->m.arch;
	w.mem = &e->m.mem.pm;
	w.root = root;
	return pgt_page_set_add_tables(p, &w, err);
}

/* VMCOREINFO: where the state came from, each mm's root */
static char *make_vmcoreinfo(struct pgt_engine *e,
			     const struct pgt_save_origin *o,
			     const struct pgt_dump_layout *fmt)
{
	const char *mode = fmt->vmcoreinfo ? fmt->vmcoreinfo : "";
	size_t cap = 512 + strlen(mode) + strlen(o->trace) + 48 * e->m.nmms, n;
	char *s = malloc(cap);
	size_t i;

	if (!s)
		return NULL;
	n = (size_t)snprintf(s, cap, "PAGESIZE=4096\n%sPGTCTL_REPLAY=%s\n",
			     mode, o->trace);
	if (n < cap && o->digest)
		n += (size_t)snprintf(s + n, cap - n,
				      "PGTCTL_REPLAY_DIGEST=%s\n", o->digest);
	if (n < cap)
		n += (size_t)snprintf(s + n, cap - n,
				      "PGTCTL_REPLAY_POSITION=%lu\n",
				      o->position);
	for (i = 0; i < e->m.nmms && n < cap; i++) {
		struct pgt_mm *mm = e->m.mms[i];

		if (mm && !mm->dead)
			n += (size_t)snprintf(s + n, cap - n,
					      "PGTCTL_MM(%d)=0x%" PRIx64 "\n",
					      mm->id, e->m.rules->mm_root(e, mm));
	}
	return s;
}

/* the table pages of every live mm, and a CPU running on each */
static int collect(struct pgt_engine *e, struct pgt_note_buf *notes,
		   int *ncpu, struct pgt_page_set *p, struct pgt_err *err)
{
	const struct pgt_arch_discover *dis = e->m.arch->discover;
	size_t i;
	int k = 0, rc;

	for (i = 0; i < e->m.nmms; i++) {
		struct pgt_mm *mm = e->m.mms[i];
		uint64_t root;

		if (!mm || mm->dead)
			continue;
		root = e->m.rules->mm_root(e, mm);
		if ((rc = collect_mm(e, root, p, err)))
			return rc;
		if (dis->write_cpu_notes(e->m.arch, root, mm->id,
					 pgt_note_buf_put, notes))
			return pgt_fail(err, PGT_ERR_NOMEM, "out of memory");
		k++;
	}
	*ncpu = k;
	return PGT_OK;
}

int pgt_engine_save_tables(struct pgt_engine *e, const char *path,
			   const struct pgt_save_origin *o,
			   struct pgt_save_result *res, struct pgt_err *err)
{
	const struct pgt_arch *a = e->m.arch;
	struct pgt_page_set p = { 0 };
	struct pgt_dump_layout fmt = { 0 };
	struct pgt_note_buf notes = { .big_endian = a->big_endian };
	struct pgt_elf_core c = { .pm = &e->m.mem.pm };
	size_t n = 0;
	char *vmci = NULL;
	int ncpu = 0, rc;

	memset(res, 0, sizeof(*res));
	if (a->discover && a->discover->dump_layout)
		a->discover->dump_layout(a, &fmt);
	if (fmt.elf_class && fmt.elf_class != 64)
		return pgt_fail(err, PGT_ERR_UNSUPPORTED,
				"%s: --save-tables: %s dumps are ELF%d; only ELF64 vmcores are written",
				path, a->name, fmt.elf_class);
	if (!fmt.elf_class || !a->discover->write_cpu_notes)
		return pgt_fail(err, PGT_ERR_UNSUPPORTED,
				"%s: --save-tables: no CPU register layout is known for %s",
				path, a->name);
	rc = collect(e, &notes, &ncpu, &p, err);
	if (!rc && !ncpu)
		rc = pgt_fail(err, PGT_ERR_INPUT,
			      "%s: --save-tables: every mm has exited after %lu operations: no table to write; --until N saves an earlier state",
			      path, e->m.op_index);
	if (!rc && !(vmci = make_vmcoreinfo(e, o, &fmt)))
		rc = pgt_fail(err, PGT_ERR_NOMEM, "out of memory");
	if (!rc) {
		n = pgt_page_set_unique(&p);
		c.elf_machine = fmt.elf_machine;
		c.big_endian = a->big_endian;
		c.notes = notes.p;
		c.notes_len = notes.len;
		c.notes_big_endian = a->big_endian;
		c.vmcoreinfo = vmci;
		c.vmcoreinfo_len = strlen(vmci);
		rc = pgt_elf_core_write(&c, path, p.v, n, err);
	}
	if (!rc) {
		res->pages = n;
		res->mms = ncpu;
	}
	free(vmci);
	free(notes.p);
	pgt_page_set_free(&p);
	return rc;
}

int pgt_file_digest(const char *path, char *buf, size_t len,
		    struct pgt_err *err)
{
	uint64_t h = 0xcbf29ce484222325ull;	/* FNV-1a, 64-bit */
	unsigned char b[65536];
	FILE *f = fopen(path, "rb");
	size_t n, i;

	if (!f)
		return pgt_fail(err, PGT_ERR_IO, "%s: %s", path,
				strerror(errno));
	while ((n = fread(b, 1, sizeof(b), f)) > 0)
		for (i = 0; i < n; i++)
			h = (h ^ b[i]) * 0x100000001b3ull;
	if (ferror(f)) {
		fclose(f);
		return pgt_fail(err, PGT_ERR_IO, "%s: read error", path);
	}
	fclose(f);
	snprintf(buf, len, "fnv1a64:%016" PRIx64, h);
	return PGT_OK;
}
