/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A replayed state written as an ELF vmcore (save-tables.h): the table
 * pages are collected by walking each live mm (the whole address space:
 * kernel tables a trace changed, PAE kmap, are tables too), the CPU notes
 * are made from the arch's registers for a root (arch.h, root_regs), and
 * the ELF writer of `dump --save-tables` (src/dump/elf-write.c) writes
 * them.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "save-tables.h"
#include "../dump/dump.h"
#include "../walk/walk.h"

struct pagelist {
	uint64_t *v;
	size_t n, cap;
	bool oom;
	const struct pgt_arch *arch;
};

/* every 4 KiB page a table touches (16 KiB CRSTs are four) */
static int collect_table(void *arg, const struct pgt_walk_table *t)
{
	struct pagelist *p = arg;
	uint64_t end = t->pa +
		       (uint64_t)t->entries * p->arch->levels[t->level].entsize;
	uint64_t pg;

	for (pg = t->pa & ~0xfffull; pg < end; pg += 4096) {
		if (p->n == p->cap) {
			size_t cap = p->cap ? 2 * p->cap : 256;
			uint64_t *v = realloc(p->v, cap * sizeof(*v));

			if (!v) {
				p->oom = true;
				return 1;
			}
			p->v = v;
			p->cap = cap;
		}
		p->v[p->n++] = pg;
	}
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int collect_mm(struct pgt_engine *e, uint64_t root, struct pagelist *p,
		      struct pgt_err *err)
{
	struct pgt_walker w;

	memset(&w, 0, sizeof(w));
	w.arch = e->arch;
	w.mem = &e->mem.pm;
	w.root = root;
	w.on_table = collect_table;
	w.arg = p;
	int rc = pgt_walk(&w, err);

	if (rc)
		return rc;
	return p->oom ? pgt_fail(err, PGT_ERR_NOMEM, "out of memory") : PGT_OK;
}

/* VMCOREINFO: where the state came from, each mm's root */
static char *make_vmcoreinfo(struct pgt_engine *e,
			     const struct pgt_save_origin *o,
			     const struct pgt_root_regs *regs)
{
	const char *mode = regs->vmcoreinfo ? regs->vmcoreinfo : "";
	size_t cap = 512 + strlen(mode) + strlen(o->trace) + 48 * e->nmms, n;
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
	for (i = 0; i < e->nmms && n < cap; i++) {
		struct pgt_mm *mm = e->mms[i];

		if (mm && !mm->dead)
			n += (size_t)snprintf(s + n, cap - n,
					      "PGTCTL_MM(%d)=0x%" PRIx64 "\n",
					      mm->id, e->rules->mm_root(e, mm));
	}
	return s;
}

/* the CPUs and the table pages of every live mm */
static int collect(struct pgt_engine *e, struct pgt_dump_cpu *cpu, int *ncpu,
		   struct pagelist *p, struct pgt_root_regs *regs,
		   struct pgt_err *err)
{
	size_t i, k = 0;
	int rc;

	for (i = 0; i < e->nmms; i++) {
		struct pgt_mm *mm = e->mms[i];
		struct pgt_dump_cpu *c;
		uint64_t root;

		if (!mm || mm->dead)
			continue;
		root = e->rules->mm_root(e, mm);
		if ((rc = collect_mm(e, root, p, err)))
			return rc;
		e->arch->root_regs(root, regs);
		c = &cpu[k++];
		memset(c, 0, sizeof(*c));
		c->pid = mm->id;
		c->has_prstatus = true;
		c->has_x86_cr = regs->has_x86_cr;
		memcpy(c->x86_cr, regs->x86_cr, sizeof(c->x86_cr));
		c->has_s390_cr = regs->has_s390_cr;
		memcpy(c->s390_cr, regs->s390_cr, sizeof(c->s390_cr));
		c->has_psw = regs->has_s390_cr;
		c->psw_mask = regs->psw_mask;
		c->psw_addr = regs->psw_addr;
	}
	*ncpu = (int)k;
	return PGT_OK;
}

int pgt_engine_save_tables(struct pgt_engine *e, const char *path,
			   const struct pgt_save_origin *o,
			   struct pgt_save_result *res, struct pgt_err *err)
{
	struct pagelist p = { .arch = e->arch };
	struct pgt_root_regs regs = { 0 };
	struct pgt_dump_cpu *cpu = NULL;
	struct pgt_elf_core c = { .pm = &e->mem.pm };
	uint8_t *notes = NULL;
	size_t notes_len = 0, i, n = 0;
	char *vmci = NULL;
	int ncpu = 0, rc;

	memset(res, 0, sizeof(*res));
	if (!e->arch->root_regs)
		return pgt_fail(err, PGT_ERR_UNSUPPORTED,
				"%s: --save-tables: no CPU register layout is known for %s",
				path, e->arch->name);
	e->arch->root_regs(0, &regs);
	if (regs.elf_class != 64)
		return pgt_fail(err, PGT_ERR_UNSUPPORTED,
				"%s: --save-tables: %s dumps are ELF%d; only ELF64 vmcores are written",
				path, e->arch->name, regs.elf_class);
	if (!(cpu = calloc(e->nmms ? e->nmms : 1, sizeof(*cpu))))
		return pgt_fail(err, PGT_ERR_NOMEM, "out of memory");
	rc = collect(e, cpu, &ncpu, &p, &regs, err);
	if (!rc && !ncpu)
		rc = pgt_fail(err, PGT_ERR_INPUT,
			      "%s: --save-tables: every mm has exited after %lu operations: no table to write; --until N saves an earlier state",
			      path, e->op_index);
	if (!rc)
		rc = pgt_dump_cpu_notes(cpu, ncpu, regs.elf_machine,
					e->arch->big_endian, &notes,
					&notes_len, err);
	if (!rc && !(vmci = make_vmcoreinfo(e, o, &regs)))
		rc = pgt_fail(err, PGT_ERR_NOMEM, "out of memory");
	if (!rc) {
		qsort(p.v, p.n, sizeof(*p.v), cmp_u64);
		for (i = 0; i < p.n; i++)
			if (!n || p.v[n - 1] != p.v[i])
				p.v[n++] = p.v[i];
		c.elf_machine = regs.elf_machine;
		c.big_endian = e->arch->big_endian;
		c.notes = notes;
		c.notes_len = notes_len;
		c.notes_big_endian = e->arch->big_endian;
		c.vmcoreinfo = vmci;
		c.vmcoreinfo_len = strlen(vmci);
		rc = pgt_elf_core_write(&c, path, p.v, n, err);
	}
	if (!rc) {
		res->pages = n;
		res->mms = ncpu;
	}
	free(vmci);
	free(notes);
	free(cpu);
	free(p.v);
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
