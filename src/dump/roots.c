/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Which paging format a dump uses and where its page-table roots are,
 * without debuginfo: registers in the notes, VMCOREINFO, the content of
 * the candidate tables themselves.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "dump-priv.h"

#define EM_386_ 3
#define EM_S390_ 22
#define EM_X86_64_ 62

#define X86_CR0_PG (1ull << 31)
#define X86_CR4_PAE (1ull << 5)
/* PSW bit 15: problem state (s390 PoP, "Program-Status Word") */
#define PSW_MASK_PSTATE (1ull << 48)


int pgt_dump_roots_add(struct pgt_dump_roots *r,
		       const struct pgt_dump_root *root)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (r->v[i].value == root->value)
			return 0;	/* first source wins; see merge_source */
	if (r->n == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 16;
		struct pgt_dump_root *v = realloc(r->v, cap * sizeof(*v));

		if (!v)
			return -1;
		r->v = v;
		r->cap = cap;
	}
	r->v[r->n++] = *root;
	return 0;
}

void pgt_dump_roots_free(struct pgt_dump_roots *r)
{
	free(r->v);
	memset(r, 0, sizeof(*r));
}

static struct pgt_dump_root *find_value(struct pgt_dump_roots *r, uint64_t v)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (r->v[i].value == v)
			return &r->v[i];
	return NULL;
}

/* add, or append the source to the root that has the same value */
static int add_root(struct pgt_dump_roots *r, const struct pgt_dump_root *n)
{
	struct pgt_dump_root *old = find_value(r, n->value);

	if (!old)
		return pgt_dump_roots_add(r, n);
	if (strlen(old->source) + strlen(n->source) + 3 < sizeof(old->source)) {
		strcat(old->source, "; ");
		strcat(old->source, n->source);
	}
	old->kernel |= n->kernel;
	old->user |= n->user;
	return 0;
}

/* ---- arch ---- */

/* utsname.machine as the kdump writer spelled it (QEMU writes "S390X") */
static bool is_x86_name(const char *m)
{
	return !strcasecmp(m, "i386") || !strcasecmp(m, "i486") ||
	       !strcasecmp(m, "i586") || !strcasecmp(m, "i686") ||
	       !strcasecmp(m, "x86");
}

static bool vmcoreinfo_has(const struct pgt_dump *d, const char *key,
			   const char *want)
{
	char buf[64];
	const char *v = pgt_vmcoreinfo_get(d, key, buf, sizeof(buf));

	return v && (!want || !strcmp(v, want));
}

/* which family the container names: 'x' x86, 's' s390, 0 unknown */
static int family(const struct pgt_dump *d, char *how, size_t len)
{
	char buf[80];
	int i;

	if (d->elf_machine == EM_386_) {
		snprintf(how, len, "ELF e_machine EM_386");
		return 'x';
	}
	if (d->elf_machine == EM_S390_) {
		snprintf(how, len, "ELF e_machine EM_S390");
		return 's';
	}
	if (d->kdump_machine[0]) {
		snprintf(how, len, "kdump header machine '%s'",
			 d->kdump_machine);
		if (is_x86_name(d->kdump_machine))
			return 'x';
		if (!strncasecmp(d->kdump_machine, "s390", 4))
			return 's';
		return '?';
	}
	for (i = 0; i < d->ncpus; i++) {
		if (d->cpu[i].has_s390_cr) {
			snprintf(how, len, "s390 control-register notes (the kdump header's machine field is empty)");
			return 's';
		}
		if (d->cpu[i].has_x86_cr) {
			snprintf(how, len, "QEMU x86 CPU-state notes (the kdump header's machine field is empty)");
			return 'x';
		}
	}
	if (pgt_vmcoreinfo_get(d, "OSRELEASE", buf, sizeof(buf))) {
		snprintf(how, len, "VMCOREINFO OSRELEASE=%s", buf);
		if (strstr(buf, "s390"))
			return 's';
		if (strstr(buf, "686") || strstr(buf, "pae"))
			return 'x';
	}
	if (vmcoreinfo_has(d, "CONFIG_X86_PAE", "y")) {
		snprintf(how, len, "VMCOREINFO CONFIG_X86_PAE=y");
		return 'x';
	}
	return 0;
}

static const uint64_t x86_page_offsets[] = {
	0xc0000000ull,	/* VMSPLIT_3G, the default */
	0x80000000ull,	/* VMSPLIT_2G(_OPT) */
	0x78000000ull,
	0x40000000ull,	/* VMSPLIT_1G */
};

/* a PDPT as Linux writes it at pa (dump-priv.h) */
static bool pae_pdpt_at(const struct pgt_dump *d, uint64_t pa)
{
	uint8_t b[32];

	return !pgt_dump_read(d, pa, b, sizeof(b)) &&
	       pgt_pdpt_ok(d, &pgt_arch_pae, b);
}

/* swapper_pg_dir from VMCOREINFO as a physical address (x86) */
static bool x86_swapper(const struct pgt_dump *d, uint64_t *pa, uint64_t *off)
{
	char buf[40];
	uint64_t sym;
	size_t i;

	if (!pgt_vmcoreinfo_get(d, "SYMBOL(swapper_pg_dir)", buf, sizeof(buf)))
		return false;
	sym = strtoull(buf, NULL, 16);
	/* i386 SYMBOL() values are already KASLR-relocated and the image
	 * lies in the direct map: pa = va - PAGE_OFFSET (dumps README,
	 * pae-K1 surprise 1).  PAGE_OFFSET is not recorded: try the
	 * VMSPLIT choices and keep the one that lands on a PDPT. */
	for (i = 0; i < sizeof(x86_page_offsets) / sizeof(x86_page_offsets[0]); i++) {
		if (sym < x86_page_offsets[i])
			continue;
		if (pae_pdpt_at(d, sym - x86_page_offsets[i])) {
			*pa = sym - x86_page_offsets[i];
			*off = x86_page_offsets[i];
			return true;
		}
	}
	return false;
}

static int detect_x86(const struct pgt_dump *d, const struct pgt_arch **a,
		      char *how, size_t len, struct pgt_err *err)
{
	size_t n = strlen(how);
	uint64_t pa, off;
	int i;

	for (i = 0; i < d->ncpus; i++) {
		const struct pgt_dump_cpu *c = &d->cpu[i];

		if (!c->has_x86_cr || !(c->x86_cr[0] & X86_CR0_PG))
			continue;
		if (!(c->x86_cr[4] & X86_CR4_PAE))
			return pgt_fail(err, PGT_ERR_UNSUPPORTED,
					"%s: cpu %d has CR4.PAE clear (CR4 0x%" PRIx64 "): 2-level i386 paging is not supported; expected an x86 PAE dump",
					d->path, i, c->x86_cr[4]);
		snprintf(how + n, len - n, ", PAE from CR4 of cpu %d", i);
		*a = &pgt_arch_pae;
		return PGT_OK;
	}
	if (vmcoreinfo_has(d, "CONFIG_X86_PAE", "y")) {
		snprintf(how + n, len - n, ", PAE from VMCOREINFO CONFIG_X86_PAE=y");
		*a = &pgt_arch_pae;
		return PGT_OK;
	}
	if (x86_swapper(d, &pa, &off)) {
		snprintf(how + n, len - n, ", PAE from a trial walk: swapper_pg_dir at 0x%" PRIx64 " is a well-formed PDPT", pa);
		*a = &pgt_arch_pae;
		return PGT_OK;
	}
	return pgt_fail(err, PGT_ERR_UNSUPPORTED,
			"%s: an i386 dump without CR4, CONFIG_X86_PAE or a PAE swapper_pg_dir: only PAE paging is supported; use --arch pae to force it",
			d->path);
}

int pgt_dump_detect_arch(const struct pgt_dump *d, const char *forced,
			 const struct pgt_arch **a, char *how, size_t len,
			 struct pgt_err *err)
{
	int fam;

	if (forced) {
		*a = pgt_arch_find(forced);
		if (!*a)
			return pgt_fail(err, PGT_ERR_USAGE,
					"unknown --arch '%s'; expected pae, s390x or s390",
					forced);
		snprintf(how, len, "--arch %s", forced);
		return PGT_OK;
	}
	fam = family(d, how, len);
	/* An x86 container that is not EM_386 (a kdump: QEMU may leave its
	 * machine field empty) with the 64-bit register layout in
	 * NT_PRSTATUS was taken from an x86-64 machine: refuse it rather
	 * than walk 4-level tables as PAE */
	if (fam == 'x' && d->elf_machine != EM_386_ && d->ncpus &&
	    d->cpu[0].prstatus_size == 0x150)
		return pgt_fail(err, PGT_ERR_UNSUPPORTED,
				"%s: an x86-64 dump (%s, 64-bit NT_PRSTATUS): 4/5-level x86-64 paging is not supported (s390 and x86 PAE are)",
				d->path, how);
	if (fam == 'x')
		return detect_x86(d, a, how, len, err);
	if (fam == 's') {
		/* ELF class / header word size: 64-bit z/Architecture or
		 * the 31-bit ESA/390 format */
		*a = d->elf_class == 32 ? &pgt_arch_s390 : &pgt_arch_s390x;
		return PGT_OK;
	}
	if (d->elf_machine == EM_X86_64_ || !strcasecmp(d->kdump_machine, "x86_64"))
		return pgt_fail(err, PGT_ERR_UNSUPPORTED,
				"%s: an x86-64 dump: 4/5-level x86-64 paging is not supported (s390 and x86 PAE are)",
				d->path);
	if (fam == '?')
		return pgt_fail(err, PGT_ERR_UNSUPPORTED,
				"%s: %s: this architecture is not supported; expected s390x, s390 or i386 (PAE)",
				d->path, how);
	return pgt_fail(err, PGT_ERR_INPUT,
			"%s: nothing tells the architecture (no e_machine, empty kdump machine field, no CPU notes or VMCOREINFO); use --arch pae|s390x|s390",
			d->path);
}

/* ---- s390 ---- */

static bool is_s390(const struct pgt_arch *a)
{
	return !strncmp(a->name, "s390", 4);
}

/* The DT of the region/segment table at origin, from its entries' TT
 * fields (dump-priv.h), or -1 when no well-formed table is there */
static int s390x_infer_dt(const struct pgt_dump *d, const struct pgt_arch *a,
			  uint64_t origin)
{
	uint8_t *b = malloc(PGT_CRST_BYTES);
	unsigned valid;
	int dt = -1;

	if (b && !pgt_dump_read(d, origin, b, PGT_CRST_BYTES))
		dt = pgt_crst_type(d, a, b, &valid);
	free(b);
	return dt;
}

static void s390_cpu_roots(const struct pgt_dump *d, int i,
			   struct pgt_dump_roots *r)
{
	const struct pgt_dump_cpu *c = &d->cpu[i];
	bool problem = c->has_psw && (c->psw_mask & PSW_MASK_PSTATE);
	uint64_t user = problem ? c->s390_cr[1] : c->s390_cr[7];
	struct pgt_dump_root n = { .cpu = i, .score = 1000 };

	/* CR1 holds the user ASCE only in problem state; in the kernel
	 * (home-space mode) it holds the kernel ASCE and CR7 the user one
	 * (dumps README, s390x) */
	snprintf(n.name, sizeof(n.name), "cpu%d-user", i);
	snprintf(n.source, sizeof(n.source), "%s of cpu %d (%s)",
		 problem ? "CR1" : "CR7", i,
		 !c->has_psw ? "no PSW: CR7, the secondary ASCE" :
		 problem ? "PSW in problem state" :
			   "PSW in supervisor state: CR1 holds a kernel ASCE");
	n.user = true;
	n.value = user;
	if (user && user != c->s390_cr[13])
		add_root(r, &n);
	memset(&n, 0, sizeof(n));
	n.cpu = i;
	n.score = 1000;
	n.kernel = true;
	snprintf(n.name, sizeof(n.name), "cpu%d-kernel", i);
	snprintf(n.source, sizeof(n.source), "CR13 of cpu %d (home space)", i);
	n.value = c->s390_cr[13];
	if (n.value)
		add_root(r, &n);
}

static void s390_swapper(const struct pgt_dump *d, const struct pgt_arch *a,
			 struct pgt_dump_roots *r)
{
	struct pgt_dump_root n = { .cpu = -1, .kernel = true, .score = 1000 };
	char buf[40];
	uint64_t pa;
	size_t i;
	int dt;

	if (!pgt_vmcoreinfo_get(d, "SYMBOL(swapper_pg_dir)", buf, sizeof(buf)))
		return;
	/* s390 kernels of this era run the image identity-mapped:
	 * SYMBOL() values are physical addresses */
	pa = strtoull(buf, NULL, 16);
	for (i = 0; i < r->n; i++)
		if ((r->v[i].value & ~0xfffull) == pa) {
			snprintf(n.source, sizeof(n.source),
				 "VMCOREINFO SYMBOL(swapper_pg_dir)=%s", buf);
			n.value = r->v[i].value;
			strcpy(n.name, "kernel");
			add_root(r, &n);
			return;
		}
	if (strcmp(a->name, "s390x") || (dt = s390x_infer_dt(d, a, pa)) < 0)
		return;
	n.value = pa | (uint64_t)dt << 2 | 3;
	strcpy(n.name, "kernel");
	snprintf(n.source, sizeof(n.source),
		 "VMCOREINFO SYMBOL(swapper_pg_dir)=%s, DT from the table's entries",
		 buf);
	add_root(r, &n);
}

/* ---- x86 PAE ---- */

/* With PTI (32-bit too) the pgd is an 8 KiB pair: the kernel copy on
 * the even page, the user copy (+0x1000) whose user slots match and whose
 * kernel slot points to the PTI PMD (dumps README, pae-K1 surprise 3). */
static bool pti_partner(const struct pgt_dump *d, uint64_t cr3,
			uint64_t *partner, bool *partner_is_user)
{
	uint64_t t = cr3 & 0xffffffe0ull, p;
	uint8_t x[32], y[32];

	if (t & 0xfff)
		return false;	/* a slab PDPT: no PTI */
	p = t ^ 0x1000;
	if (pgt_dump_read(d, t, x, sizeof(x)) || pgt_dump_read(d, p, y, sizeof(y)) ||
	    !pgt_pdpt_ok(d, &pgt_arch_pae, y) ||
	    !pgt_pdpt_same_user(&pgt_arch_pae, x, y))
		return false;
	*partner = p;
	*partner_is_user = !(t & 0x1000);
	return true;
}

static void pae_cpu_roots(const struct pgt_dump *d, int i,
			  struct pgt_dump_roots *r)
{
	const struct pgt_dump_cpu *c = &d->cpu[i];
	struct pgt_dump_root n = { .cpu = i, .user = true, .score = 1000 };
	uint64_t partner;
	bool puser;

	if (!c->has_x86_cr || !(c->x86_cr[0] & X86_CR0_PG))
		return;
	n.value = c->x86_cr[3];
	snprintf(n.name, sizeof(n.name), "cpu%d", i);
	snprintf(n.source, sizeof(n.source), "CR3 of cpu %d (QEMU CPU-state note)", i);
	add_root(r, &n);
	if (!pti_partner(d, n.value, &partner, &puser))
		return;
	n.value = partner;
	snprintf(n.name, sizeof(n.name), "cpu%d-%s", i, puser ? "user" : "kernel");
	snprintf(n.source, sizeof(n.source),
		 "PTI %s copy of cpu %d's pgd (CR3 %s 0x1000; user slots equal)",
		 puser ? "user" : "kernel", i, puser ? "+" : "-");
	add_root(r, &n);
}

static void pae_swapper(const struct pgt_dump *d, struct pgt_dump_roots *r)
{
	struct pgt_dump_root n = { .cpu = -1, .kernel = true, .score = 1000 };
	uint64_t pa, off;
	char buf[40];

	if (!x86_swapper(d, &pa, &off))
		return;
	pgt_vmcoreinfo_get(d, "SYMBOL(swapper_pg_dir)", buf, sizeof(buf));
	n.value = pa;
	strcpy(n.name, "kernel");
	snprintf(n.source, sizeof(n.source),
		 "VMCOREINFO SYMBOL(swapper_pg_dir)=%s - PAGE_OFFSET 0x%" PRIx64,
		 buf, off);
	add_root(r, &n);
}

int pgt_dump_find_roots(const struct pgt_dump *d, const struct pgt_arch *a,
			struct pgt_dump_roots *r, struct pgt_err *err)
{
	int i;

	for (i = 0; i < d->ncpus; i++) {
		if (is_s390(a) && d->cpu[i].has_s390_cr)
			s390_cpu_roots(d, i, r);
		else if (!is_s390(a))
			pae_cpu_roots(d, i, r);
	}
	if (is_s390(a))
		s390_swapper(d, a, r);
	else
		pae_swapper(d, r);
	(void)err;
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

/* an ADDR for s390x without DT/TL bits: a table origin; take the type
 * from the table's own entries */
static int s390x_addr_root(const struct pgt_dump *d, const struct pgt_arch *a,
			   uint64_t v, uint64_t *root, struct pgt_err *err)
{
	int dt;

	if (v & 0xfff) {
		*root = v;
		return PGT_OK;
	}
	dt = s390x_infer_dt(d, a, v);
	if (dt < 0)
		return pgt_fail(err, PGT_ERR_INPUT,
				"--root 0x%" PRIx64 ": no well-formed region or segment table there; give a full ASCE (origin|DT<<2|TL)",
				v);
	*root = v | (uint64_t)dt << 2 | 3;
	return PGT_OK;
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
	if (!strcmp(a->name, "s390x"))
		return s390x_addr_root(d, a, v, root, err);
	*root = v;
	return PGT_OK;
}
