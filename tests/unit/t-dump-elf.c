/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Unit test of ELF vmcores (src/dump/elf.c, notes.c, elf-write.c): small
 * ELF files built here by an independent emitter (ELF32 and ELF64, both
 * byte orders) read back at the right physical addresses, across adjacent
 * segments, with p_memsz > p_filesz zero fill and holes failing; every
 * note kind decoded (i386/x86_64/s390x NT_PRSTATUS, QEMU's CPU state,
 * NT_S390_CTRS, NT_S390_PREFIX, VMCOREINFO); every error class, a
 * truncation at every byte and random corruption; QEMU 7.2's broken header
 * of big-endian guests; slices written by pgt_dump_write_slice read back
 * in both byte orders.  With $SHARED/dumps (the real dumps), also the
 * registers and VMCOREINFO of pae-A1, s390x-A1 (and its broken-header
 * form) and pae-K1, from the headers and notes of each .gz.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include "dump/dump.h"
#include "arch/discover.h"
#include "arch/s390-discover.h"
#include "arch/x86-discover.h"
#include "../lib/tap.h"

/* the registers of a CPU as the arch reads them from the dump's notes
 * (src/arch: the dump layer keeps the notes raw); ~0 when absent */
static bool has_x86_cr(const struct pgt_dump *d, int cpu)
{
	struct pgt_dump_facts f;
	uint64_t cr[5];

	pgt_dump_facts(d, &f);
	return pgt_x86_cpu_cr(&f, cpu, cr);
}

static uint64_t x86_cr(const struct pgt_dump *d, int cpu, int i)
{
	struct pgt_dump_facts f;
	uint64_t cr[5];

	pgt_dump_facts(d, &f);
	return pgt_x86_cpu_cr(&f, cpu, cr) ? cr[i] : ~0ull;
}

static bool has_s390_cr(const struct pgt_dump *d, int cpu)
{
	struct pgt_dump_facts f;
	uint64_t cr[16];

	pgt_dump_facts(d, &f);
	return pgt_s390_cpu_cr(&f, cpu, cr);
}

static uint64_t s390_cr(const struct pgt_dump *d, int cpu, int i)
{
	struct pgt_dump_facts f;
	uint64_t cr[16];

	pgt_dump_facts(d, &f);
	return pgt_s390_cpu_cr(&f, cpu, cr) ? cr[i] : ~0ull;
}

static bool has_s390_prefix(const struct pgt_dump *d, int cpu)
{
	struct pgt_dump_facts f;
	uint32_t p;

	pgt_dump_facts(d, &f);
	return pgt_s390_cpu_prefix(&f, cpu, &p);
}

static uint64_t s390_prefix(const struct pgt_dump *d, int cpu)
{
	struct pgt_dump_facts f;
	uint32_t p;

	pgt_dump_facts(d, &f);
	return pgt_s390_cpu_prefix(&f, cpu, &p) ? p : ~0ull;
}

static bool has_psw(const struct pgt_dump *d, int cpu)
{
	struct pgt_dump_facts f;
	uint64_t m, a;

	pgt_dump_facts(d, &f);
	return pgt_s390_cpu_psw(&f, cpu, &m, &a);
}

static uint64_t psw_mask(const struct pgt_dump *d, int cpu)
{
	struct pgt_dump_facts f;
	uint64_t m, a;

	pgt_dump_facts(d, &f);
	return pgt_s390_cpu_psw(&f, cpu, &m, &a) ? m : ~0ull;
}

static uint64_t psw_addr(const struct pgt_dump *d, int cpu)
{
	struct pgt_dump_facts f;
	uint64_t m, a;

	pgt_dump_facts(d, &f);
	return pgt_s390_cpu_psw(&f, cpu, &m, &a) ? a : ~0ull;
}

static char tmpdir[64];

/* ---- TAP helpers ---- */

static void skip(const char *why)
{
	tap_n++;
	printf("ok %d # SKIP %s\n", tap_n, why);
}

/* ---- byte order ---- */

static void st16(uint8_t *p, uint64_t v, bool be)
{
	p[be ? 0 : 1] = (uint8_t)(v >> 8);
	p[be ? 1 : 0] = (uint8_t)v;
}

static void st32(uint8_t *p, uint64_t v, bool be)
{
	int i;

	for (i = 0; i < 4; i++)
		p[be ? 3 - i : i] = (uint8_t)(v >> (8 * i));
}

static void st64(uint8_t *p, uint64_t v, bool be)
{
	int i;

	for (i = 0; i < 8; i++)
		p[be ? 7 - i : i] = (uint8_t)(v >> (8 * i));
}

/* The byte every test memory holds at physical address pa. */
static uint8_t pat(uint64_t pa)
{
	return (uint8_t)(pa ^ (pa >> 8) ^ (pa >> 16) ^ 0x5a);
}

static bool is_pattern(const uint8_t *b, uint64_t pa, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (b[i] != pat(pa + i))
			return false;
	return true;
}

static bool is_zero(const uint8_t *b, size_t len)
{
	while (len--)
		if (*b++)
			return false;
	return true;
}

/* ---- notes ---- */

struct notes {
	uint8_t b[16384];
	size_t n;
	bool be;
};

static void note_add(struct notes *ns, const char *name, uint32_t type,
		     const void *desc, size_t descsz)
{
	size_t namesz = strlen(name) + 1;
	uint8_t *p = ns->b + ns->n;

	st32(p, namesz, ns->be);
	st32(p + 4, descsz, ns->be);
	st32(p + 8, type, ns->be);
	memset(p + 12, 0, (namesz + 3) & ~3u);
	memcpy(p + 12, name, namesz);
	p += 12 + ((namesz + 3) & ~3u);
	memset(p, 0, (descsz + 3) & ~3u);
	memcpy(p, desc, descsz);
	ns->n += 12 + ((namesz + 3) & ~3u) + ((descsz + 3) & ~3u);
}

/* i386 elf_prstatus: 0x90 bytes, pr_pid at 24 */
static void add_prstatus_i386(struct notes *ns, int pid)
{
	uint8_t d[0x90] = { 0 };

	st32(d + 24, (uint32_t)pid, ns->be);
	note_add(ns, "CORE", 1, d, sizeof(d));
}

/* x86_64/s390x elf_prstatus: 0x150 bytes, pr_pid at 32, pr_reg at 112 */
static void add_prstatus_64(struct notes *ns, int pid, uint64_t psw_mask,
			    uint64_t psw_addr, bool pid_swapped)
{
	uint8_t d[0x150] = { 0 };

	st32(d + 32, (uint32_t)pid, pid_swapped ? !ns->be : ns->be);
	st64(d + 112, psw_mask, ns->be);
	st64(d + 120, psw_addr, ns->be);
	note_add(ns, "CORE", 1, d, sizeof(d));
}

/* QEMUCPUState: version, size, ..., cr[5] at 392; 440 bytes in v1 */
static void add_qemu_cpu(struct notes *ns, uint32_t version, uint64_t cr3)
{
	uint8_t d[440] = { 0 };
	int i;

	st32(d, version, ns->be);
	st32(d + 4, sizeof(d), ns->be);
	for (i = 0; i < 5; i++)
		st64(d + 392 + 8 * i, i == 3 ? cr3 : 0x100u * i + 0x33, ns->be);
	note_add(ns, "QEMU", 0, d, sizeof(d));
}

static void add_s390_cpu(struct notes *ns, int pid, uint64_t base)
{
	uint8_t ctrs[128], prefix[4], fpregs[0x88] = { 0 };
	int i;

	add_prstatus_64(ns, pid, 0x0705200180000000ULL, base + 0xaa, false);
	note_add(ns, "CORE", 2, fpregs, sizeof(fpregs));	/* NT_FPREGSET */
	st32(prefix, base + 0x7e000, ns->be);
	note_add(ns, "LINUX", 0x305, prefix, sizeof(prefix));
	for (i = 0; i < 16; i++)
		st64(ctrs + 8 * i, base + (uint64_t)i, ns->be);
	note_add(ns, "LINUX", 0x304, ctrs, sizeof(ctrs));
}

static const char vmcoreinfo[] =
	"OSRELEASE=6.1.0-test\n"
	"SYMBOL(swapper_pg_dir_x)=1\n"
	"SYMBOL(swapper_pg_dir)=cbe98000\n"
	"PAGESIZE=4096\n"
	"EMPTY=\n"
	"LAST=end";

static void add_vmcoreinfo(struct notes *ns)
{
	note_add(ns, "VMCOREINFO", 0, vmcoreinfo, strlen(vmcoreinfo));
}

/* ---- a tiny ELF emitter ---- */

struct seg {
	uint32_t type;
	uint64_t paddr, vaddr, filesz, memsz;
	const uint8_t *data;	/* NULL: the pattern of paddr */
	uint64_t offset;	/* where build() put the data */
};

struct spec {
	int cls;		/* 32 or 64 */
	bool be;
	uint16_t type, machine;
	struct seg seg[8];
	int nseg;
	int qemu_sections;	/* 1: QEMU's 2 sections; 2: QEMU 7.2's bug */
	uint64_t phoff;		/* set by build() */
};

struct image {
	uint8_t *b;
	size_t n;
};

static void spec_init(struct spec *s, int cls, bool be, uint16_t machine)
{
	memset(s, 0, sizeof(*s));
	s->cls = cls;
	s->be = be;
	s->type = 4;		/* ET_CORE */
	s->machine = machine;
}

static void spec_add(struct spec *s, uint32_t type, uint64_t paddr,
		     uint64_t filesz, uint64_t memsz, const uint8_t *data)
{
	struct seg *g = &s->seg[s->nseg++];

	memset(g, 0, sizeof(*g));
	g->type = type;
	g->paddr = paddr;
	/* ELF32 like the kernel (PAGE_OFFSET + pa), ELF64 like QEMU (0) */
	g->vaddr = type == 1 && s->cls == 32 ? paddr + 0xc0000000u : 0;
	g->filesz = filesz;
	g->memsz = memsz;
	g->data = data;
}

static void put_phdr(uint8_t *p, const struct spec *s, const struct seg *g)
{
	bool be = s->be;

	if (s->cls == 64) {
		st32(p, g->type, be);
		st32(p + 4, 7, be);
		st64(p + 8, g->offset, be);
		st64(p + 16, g->vaddr, be);
		st64(p + 24, g->paddr, be);
		st64(p + 32, g->filesz, be);
		st64(p + 40, g->memsz, be);
		st64(p + 48, 0, be);
	} else {
		st32(p, g->type, be);
		st32(p + 4, g->offset, be);
		st32(p + 8, g->vaddr, be);
		st32(p + 12, g->paddr, be);
		st32(p + 16, g->filesz, be);
		st32(p + 20, g->memsz, be);
		st32(p + 24, 7, be);
		st32(p + 28, 0, be);
	}
}

/* QEMU's section headers: 0 empty, 1 .shstrtab (QEMU 7.2 for a BE guest:
 * little-endian fields, and e_ehsize 8) */
static void put_qemu_sections(uint8_t *b, const struct spec *s,
			      uint64_t strtab)
{
	bool be = s->qemu_sections == 2 ? false : s->be;
	uint8_t *sh = b + 64 + 64;

	st32(sh, 1, be);
	st32(sh + 4, 3, be);		/* SHT_STRTAB */
	st64(sh + 24, strtab, be);
	st64(sh + 32, 11, be);
	memcpy(b + strtab, "\0.shstrtab", 11);
}

static void put_ehdr(uint8_t *b, const struct spec *s)
{
	bool be = s->be, q = s->qemu_sections;

	memcpy(b, "\177ELF", 4);
	b[4] = s->cls == 64 ? 2 : 1;
	b[5] = be ? 2 : 1;
	b[6] = 1;
	st16(b + 16, s->type, be);
	st16(b + 18, s->machine, be);
	st32(b + 20, 1, be);
	if (s->cls == 64) {
		st64(b + 32, s->phoff, be);
		st64(b + 40, q ? 64 : 0, be);
		st16(b + 52, s->qemu_sections == 2 ? 8 : 64, be);
		st16(b + 54, 56, be);
		st16(b + 56, (uint64_t)s->nseg, be);
		st16(b + 58, q ? 64 : 0, be);
		st16(b + 60, q ? 2 : 0, be);
		st16(b + 62, q ? 1 : 0, be);
	} else {
		st32(b + 28, s->phoff, be);
		st16(b + 40, 52, be);
		st16(b + 42, 32, be);
		st16(b + 44, (uint64_t)s->nseg, be);
	}
}

/* Lay out and emit: headers, then each segment's data 16-byte aligned. */
static struct image build(struct spec *s)
{
	size_t phentsize = s->cls == 64 ? 56 : 32, off, i, strtab = 0;
	struct image im;

	s->phoff = s->qemu_sections ? 64 + 2 * 64 : (s->cls == 64 ? 64 : 52);
	off = s->phoff + s->nseg * phentsize;
	for (i = 0; i < (size_t)s->nseg; i++) {
		off = (off + 15) & ~(size_t)15;
		s->seg[i].offset = off;
		off += s->seg[i].filesz;
	}
	if (s->qemu_sections) {
		strtab = off;
		off += 11;
	}
	im.n = off;
	im.b = calloc(1, off);
	if (!im.b)
		exit(99);
	put_ehdr(im.b, s);
	for (i = 0; i < (size_t)s->nseg; i++) {
		const struct seg *g = &s->seg[i];
		uint64_t k;

		put_phdr(im.b + s->phoff + i * phentsize, s, g);
		if (g->data)
			memcpy(im.b + g->offset, g->data, g->filesz);
		else
			for (k = 0; k < g->filesz; k++)
				im.b[g->offset + k] = pat(g->paddr + k);
	}
	if (s->qemu_sections)
		put_qemu_sections(im.b, s, strtab);
	return im;
}

/* ---- files and opening ---- */

static const char *tmp_path(const char *name)
{
	static char p[16][320];
	static int k;

	k = (k + 1) % 16;
	snprintf(p[k], sizeof(p[k]), "%s/%s", tmpdir, name);
	return p[k];
}

static const char *write_file(const char *name, const void *b, size_t n)
{
	const char *p = tmp_path(name);
	FILE *f = fopen(p, "wb");

	if (!f || (n && fwrite(b, 1, n, f) != n) || fclose(f)) {
		perror(p);
		exit(99);
	}
	return p;
}

/* pgt_dump_open_elf as pgt_dump_open calls it: d zeroed but d->path */
static int open_dump(struct pgt_dump *d, const char *path,
		     struct pgt_err *err)
{
	int fd, rc;

	memset(d, 0, sizeof(*d));
	pgt_err_clear(err);
	d->path = strdup(path);
	fd = open(path, O_RDONLY);
	if (!d->path || fd < 0)
		exit(99);
	rc = pgt_dump_open_elf(d, fd, err);
	close(fd);
	return rc;
}

/* What pgt_dump_close does, without the rest of dump.c. */
static void close_dump(struct pgt_dump *d)
{
	if (d->close)
		d->close(d);
	free(d->path);
	free(d->notes);
	free(d->vmcoreinfo);
	free(d->cpu);
	free(d->ranges);
	memset(d, 0, sizeof(*d));
}

static int open_image(struct pgt_dump *d, const char *name,
		      const struct image *im, struct pgt_err *err)
{
	return open_dump(d, write_file(name, im->b, im->n), err);
}

static int rd(struct pgt_dump *d, uint64_t pa, void *buf, size_t len)
{
	return pgt_phys_read(&d->pm, pa, buf, len);
}

/* The error contract: a status, the file name and "offset" in the text. */
static bool good_error(int rc, const struct pgt_err *err, const char *path,
		       int want)
{
	return rc != 0 && err->status == rc && (!want || rc == want) &&
	       strstr(err->msg, path) && strstr(err->msg, "offset");
}

static void expect_error(const char *what, const struct image *im, int want,
			 const char *needle)
{
	struct pgt_dump d;
	struct pgt_err err = { 0 };
	const char *p = write_file("bad.elf", im->b, im->n);
	int rc = open_dump(&d, p, &err);

	ok(good_error(rc, &err, p, want) &&
	   (!needle || strstr(err.msg, needle)),
	   "error: %s (status %d, \"%.200s\")", what, rc, err.msg);
	ok(!d.notes && !d.cpu && !d.ranges && !d.pm.priv && !d.close,
	   "error: %s: the open released what it allocated", what);
	close_dump(&d);
}

/* ---- memory ---- */

/*
 * Loads listed out of order: C (0x10000, 0x800 in the file, 0x2000 in
 * memory), B (0x4000-0x5000), A (0x2000-0x4000, adjacent to B).
 */
static struct image memory_image(struct spec *s, int cls, bool be)
{
	static struct notes ns;

	spec_init(s, cls, be, be ? 22 : 3);
	memset(&ns, 0, sizeof(ns));
	ns.be = be;
	add_vmcoreinfo(&ns);
	spec_add(s, 4, 0, ns.n, ns.n, ns.b);
	spec_add(s, 1, 0x10000, 0x800, 0x2000, NULL);
	spec_add(s, 1, 0x4000, 0x1000, 0x1000, NULL);
	spec_add(s, 1, 0x2000, 0x2000, 0x2000, NULL);
	return build(s);
}

static void test_memory(int cls, bool be)
{
	const char *what = be ? "big-endian" : "little-endian";
	struct pgt_dump d;
	struct pgt_err err = { 0 };
	struct spec s;
	struct image im = memory_image(&s, cls, be);
	uint8_t b[0x300];
	char buf[32];
	int rc = open_dump(&d, write_file("mem.elf", im.b, im.n), &err);

	ok(rc == 0, "ELF%d %s: opens (%.200s)", cls, what, err.msg);
	if (rc) {
		free(im.b);
		return;
	}
	is_u64(d.elf_class, cls, "ELF%d %s: elf_class", cls, what);
	is_u64(d.big_endian, be, "ELF%d %s: big_endian", cls, what);
	is_u64(d.elf_machine, be ? 22 : 3, "ELF%d %s: elf_machine", cls, what);
	ok(rd(&d, 0x2ff8, b, 16) == 0 && is_pattern(b, 0x2ff8, 16),
	   "ELF%d %s: bytes at PA 0x2ff8", cls, what);
	ok(rd(&d, 0x3ff0, b, 0x20) == 0 && is_pattern(b, 0x3ff0, 0x20),
	   "ELF%d %s: a read across two adjacent segments", cls, what);
	ok(rd(&d, 0x2000, b, 0x300) == 0 && is_pattern(b, 0x2000, 0x300) &&
	   rd(&d, 0x4f00, b, 0x100) == 0 && is_pattern(b, 0x4f00, 0x100),
	   "ELF%d %s: segment starts and ends", cls, what);
	ok(rd(&d, 0x4ff0, b, 0x20) != 0, "ELF%d %s: a read running into a hole fails",
	   cls, what);
	ok(rd(&d, 0x1000, b, 4) != 0 && rd(&d, 0x8000, b, 4) != 0 &&
	   rd(&d, 0x12000, b, 1) != 0 && rd(&d, ~0ULL, b, 1) != 0,
	   "ELF%d %s: reads in holes and beyond the end fail", cls, what);
	ok(d.pm.why && strstr(d.pm.why(&d.pm), "0xffffffffffffffff"),
	   "ELF%d %s: why() names the address", cls, what);
	ok(rd(&d, 0x10700, b, 0x200) == 0 && is_pattern(b, 0x10700, 0x100) &&
	   is_zero(b + 0x100, 0x100),
	   "ELF%d %s: p_memsz > p_filesz: file bytes, then zeros", cls, what);
	ok(rd(&d, 0x11ff0, b, 0x10) == 0 && is_zero(b, 0x10) &&
	   rd(&d, 0x11ff8, b, 0x10) != 0,
	   "ELF%d %s: zeros up to p_memsz, not beyond", cls, what);
	ok(d.nranges == 2 && d.ranges[0].start == 0x2000 &&
	   d.ranges[0].end == 0x5000 && d.ranges[1].start == 0x10000 &&
	   d.ranges[1].end == 0x12000,
	   "ELF%d %s: ranges sorted and merged", cls, what);
	is_u64(d.pm.limit, 0x12000, "ELF%d %s: pm.limit", cls, what);
	is_str(pgt_vmcoreinfo_get(&d, "SYMBOL(swapper_pg_dir)", buf,
				  sizeof(buf)), "cbe98000",
	       "ELF%d %s: VMCOREINFO", cls, what);
	close_dump(&d);
	free(im.b);
}

/* ---- notes ---- */

static int open_notes(struct pgt_dump *d, const struct notes *ns, int cls,
		      uint16_t machine, struct pgt_err *err)
{
	struct spec s;
	struct image im;
	int rc;

	spec_init(&s, cls, ns->be, machine);
	spec_add(&s, 4, 0, ns->n, ns->n, ns->b);
	spec_add(&s, 1, 0x1000, 0x100, 0x100, NULL);
	im = build(&s);
	rc = open_image(d, "notes.elf", &im, err);
	free(im.b);
	return rc;
}

static void test_notes_x86(void)
{
	static struct notes ns;
	struct pgt_dump d;
	struct pgt_err err = { 0 };
	char buf[64];
	int rc;

	/* QEMU's order on x86: all NT_PRSTATUS, then all QEMU notes */
	memset(&ns, 0, sizeof(ns));
	add_prstatus_i386(&ns, 0);
	add_prstatus_i386(&ns, 293);
	add_prstatus_i386(&ns, 7);
	add_qemu_cpu(&ns, 1, 0x022022e0);
	add_qemu_cpu(&ns, 1, 0x1234000);
	add_qemu_cpu(&ns, 2, 0x5555000);	/* unknown version */
	add_vmcoreinfo(&ns);
	rc = open_notes(&d, &ns, 64, 3, &err);
	ok(rc == 0 && d.ncpus == 3, "x86 notes: 3 CPUs (%.200s)", err.msg);
	if (rc || d.ncpus != 3)
		return;
	ok(d.cpu[0].has_prstatus && d.cpu[0].pid == 0 && d.cpu[1].pid == 293 &&
	   d.cpu[2].pid == 7, "x86 notes: i386 pr_pid of each CPU");
	ok(has_x86_cr(&d, 0) && has_x86_cr(&d, 1) && !has_x86_cr(&d, 2),
	   "x86 notes: QEMUCPUState v1 decoded, another version not");
	is_u64(x86_cr(&d, 0, 3), 0x022022e0, "x86 notes: CPU 0 CR3");
	is_u64(x86_cr(&d, 1, 3), 0x1234000, "x86 notes: CPU 1 CR3");
	is_u64(x86_cr(&d, 1, 4), 0x433, "x86 notes: CPU 1 CR4");
	ok(!has_psw(&d, 0) && !has_s390_cr(&d, 0), "x86 notes: no s390 state");
	is_u64(d.notes_len, ns.n, "x86 notes: raw notes kept");
	ok(d.notes && !memcmp(d.notes, ns.b, ns.n), "x86 notes: raw bytes equal");
	is_str(d.vmcoreinfo, vmcoreinfo, "x86 notes: VMCOREINFO text");
	is_u64(d.vmcoreinfo_len, strlen(vmcoreinfo), "x86 notes: VMCOREINFO length");
	is_str(pgt_vmcoreinfo_get(&d, "SYMBOL(swapper_pg_dir)", buf, sizeof(buf)),
	       "cbe98000", "vmcoreinfo_get: exact key, not a longer one first");
	is_str(pgt_vmcoreinfo_get(&d, "OSRELEASE", buf, sizeof(buf)),
	       "6.1.0-test", "vmcoreinfo_get: the first line");
	is_str(pgt_vmcoreinfo_get(&d, "LAST", buf, sizeof(buf)), "end",
	       "vmcoreinfo_get: the last line without newline");
	is_str(pgt_vmcoreinfo_get(&d, "EMPTY", buf, sizeof(buf)), "",
	       "vmcoreinfo_get: an empty value");
	ok(!pgt_vmcoreinfo_get(&d, "SYMBOL(swapper_pg", buf, sizeof(buf)) &&
	   !pgt_vmcoreinfo_get(&d, "NOPE", buf, sizeof(buf)),
	   "vmcoreinfo_get: a key prefix or an absent key is NULL");
	is_str(pgt_vmcoreinfo_get(&d, "OSRELEASE", buf, 4), "6.1",
	       "vmcoreinfo_get: cut to the buffer");
	close_dump(&d);

	/* x86_64 NT_PRSTATUS (0x150): pr_pid at 32, no PSW on EM_386 */
	memset(&ns, 0, sizeof(ns));
	add_prstatus_64(&ns, 4242, 1, 2, false);
	rc = open_notes(&d, &ns, 32, 3, &err);
	ok(rc == 0 && d.ncpus == 1 && d.cpu[0].pid == 4242 &&
	   !has_psw(&d, 0) && !has_x86_cr(&d, 0) && !d.vmcoreinfo,
	   "x86_64 NT_PRSTATUS: pr_pid at 32, no PSW (%.200s)", err.msg);
	close_dump(&d);
}

static void test_notes_s390(void)
{
	static struct notes ns;
	struct pgt_dump d;
	struct pgt_err err = { 0 };
	int rc, i;
	bool crs = true;

	/* s390: each CPU's notes together; CPU 1 with QEMU's LE pr_pid */
	memset(&ns, 0, sizeof(ns));
	ns.be = true;
	add_s390_cpu(&ns, 1, 0x1000000);
	add_prstatus_64(&ns, 2, 0x0400000180000000ULL, 0x2000bb, true);
	{
		uint8_t ctrs[128], prefix[4];

		st32(prefix, 0x2000000, true);
		note_add(&ns, "CORE", 0x305, prefix, 4);	/* old kernels */
		for (i = 0; i < 16; i++)
			st64(ctrs + 8 * i, 0x2000000 + (uint64_t)i, true);
		note_add(&ns, "LINUX", 0x304, ctrs, sizeof(ctrs));
	}
	rc = open_notes(&d, &ns, 64, 22, &err);
	ok(rc == 0 && d.ncpus == 2, "s390 notes: 2 CPUs (%.200s)", err.msg);
	if (rc || d.ncpus != 2)
		return;
	for (i = 0; i < 16; i++)
		crs = crs && s390_cr(&d, 0, i) == 0x1000000 + (uint64_t)i &&
		      s390_cr(&d, 1, i) == 0x2000000 + (uint64_t)i;
	ok(has_s390_cr(&d, 0) && has_s390_cr(&d, 1) && crs,
	   "s390 notes: 16 control registers per CPU");
	ok(has_s390_prefix(&d, 0) && s390_prefix(&d, 0) == 0x107e000 &&
	   has_s390_prefix(&d, 1) && s390_prefix(&d, 1) == 0x2000000,
	   "s390 notes: prefix per CPU (name LINUX or CORE)");
	ok(has_psw(&d, 0) && psw_mask(&d, 0) == 0x0705200180000000ULL &&
	   psw_addr(&d, 0) == 0x10000aa && psw_addr(&d, 1) == 0x2000bb,
	   "s390 notes: PSW mask and address from NT_PRSTATUS");
	ok(d.cpu[0].pid == 1 && d.cpu[1].pid == 2,
	   "s390 notes: pr_pid, also when QEMU wrote it little-endian");
	ok(!has_x86_cr(&d, 0), "s390 notes: no x86 state");
	close_dump(&d);
}

/* Two PT_NOTE segments: CPU numbering goes on across them. */
static void test_two_note_segments(void)
{
	static struct notes a, b;
	struct pgt_dump d;
	struct pgt_err err = { 0 };
	struct spec s;
	struct image im;
	int rc;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	a.be = b.be = true;
	add_s390_cpu(&a, 1, 0x1000000);
	add_s390_cpu(&b, 2, 0x3000000);
	add_vmcoreinfo(&b);
	spec_init(&s, 64, true, 22);
	spec_add(&s, 4, 0, a.n, a.n, a.b);
	spec_add(&s, 1, 0, 0x100, 0x100, NULL);
	spec_add(&s, 4, 0, b.n, b.n, b.b);
	im = build(&s);
	rc = open_image(&d, "two-notes.elf", &im, &err);
	ok(rc == 0 && d.ncpus == 2 && s390_cr(&d, 1, 13) == 0x300000d &&
	   d.cpu[1].pid == 2 && d.notes_len == a.n + b.n && d.vmcoreinfo,
	   "two PT_NOTE segments: CPUs numbered across them (%.200s)", err.msg);
	close_dump(&d);
	free(im.b);
}

/* ---- errors ---- */

static struct image small_image(int cls, bool be, struct spec *s)
{
	static struct notes ns;

	memset(&ns, 0, sizeof(ns));
	ns.be = be;
	add_prstatus_i386(&ns, 5);
	add_vmcoreinfo(&ns);
	spec_init(s, cls, be, 3);
	spec_add(s, 4, 0, ns.n, ns.n, ns.b);
	spec_add(s, 1, 0x1000, 0x40, 0x40, NULL);
	spec_add(s, 1, 0x3000, 0x40, 0x80, NULL);
	return build(s);
}

/* Every truncation of a valid file fails with a good message. */
static void test_truncations(int cls, bool be)
{
	struct spec s;
	struct image im = small_image(cls, be, &s);
	const char *p = tmp_path("trunc.elf");
	size_t len, bad = 0, first_bad = 0;

	for (len = 0; len < im.n; len++) {
		struct pgt_dump d;
		struct pgt_err err = { 0 };
		int rc;

		write_file("trunc.elf", im.b, len);
		rc = open_dump(&d, p, &err);
		if (!good_error(rc, &err, p, PGT_ERR_INPUT) || d.pm.priv) {
			if (!bad++)
				first_bad = len;
		}
		close_dump(&d);
	}
	ok(bad == 0, "ELF%d %s: each of the %zu truncations fails with file and offset (first bad: %zu)",
	   cls, be ? "BE" : "LE", im.n, first_bad);
	free(im.b);
}

static void expect_truncated(const char *what, struct image *im, size_t len,
			     const char *needle)
{
	struct image t = { im->b, len };

	expect_error(what, &t, PGT_ERR_INPUT, needle);
}

static void test_errors(void)
{
	struct spec s;
	struct image im = small_image(64, false, &s);
	size_t ph1 = s.phoff + 56;
	uint8_t save[8];

	expect_truncated("empty file", &im, 0, "e_ident");
	expect_truncated("truncated in e_ident", &im, 10, "e_ident");
	expect_truncated("truncated in the ELF header", &im, 40, "ELF header");
	expect_truncated("truncated before the program headers", &im, 64,
			 "program header 0 ");
	expect_truncated("truncated in program header 1", &im, ph1 + 20,
			 "program header 1 ");
	expect_truncated("truncated in program header 2", &im, ph1 + 56 + 55,
			 "program header 2 ");
	expect_truncated("truncated in the notes", &im, s.seg[0].offset + 30,
			 "PT_NOTE data");
	expect_truncated("PT_LOAD past the end of the file", &im, im.n - 1,
			 "program header 2: PT_LOAD data");

	/* a note longer than its segment, at its own offset */
	memcpy(save, im.b + s.seg[0].offset + 4, 4);
	st32(im.b + s.seg[0].offset + 4, 0x1000, false);
	{
		char where[64];

		snprintf(where, sizeof(where), "offset 0x%llx: note",
			 (unsigned long long)s.seg[0].offset);
		expect_error("a note overrunning its segment", &im,
			     PGT_ERR_INPUT, where);
	}
	st32(im.b + s.seg[0].offset + 4, 0x7ffffff0, false);
	expect_error("a note with a huge descsz", &im, PGT_ERR_INPUT, "note");
	memcpy(im.b + s.seg[0].offset + 4, save, 4);

	im.b[1] = 'X';
	expect_error("bad magic", &im, PGT_ERR_INPUT, "magic");
	im.b[1] = 'E';
	im.b[4] = 3;
	expect_error("bad EI_CLASS", &im, PGT_ERR_INPUT, "EI_CLASS");
	im.b[4] = 2;
	im.b[5] = 0;
	expect_error("bad EI_DATA", &im, PGT_ERR_INPUT, "EI_DATA");
	im.b[5] = 1;
	st16(im.b + 18, 183, false);
	expect_error("e_machine EM_AARCH64", &im, PGT_ERR_UNSUPPORTED,
		     "e_machine 183 (EM_AARCH64");
	st16(im.b + 18, 3, false);
	st16(im.b + 16, 2, false);
	expect_error("e_type ET_EXEC", &im, PGT_ERR_UNSUPPORTED, "ET_EXEC");
	st16(im.b + 16, 4, false);
	st16(im.b + 54, 32, false);
	expect_error("e_phentsize 32 in ELF64", &im, PGT_ERR_INPUT,
		     "e_phentsize");
	st16(im.b + 54, 56, false);
	st64(im.b + 32, 0x100000, false);
	expect_error("e_phoff beyond the file", &im, PGT_ERR_INPUT, "e_phoff");
	st64(im.b + 32, 64, false);

	/* PT_LOAD 2 moved onto PT_LOAD 1 */
	memcpy(save, im.b + ph1 + 56 + 24, 8);
	st64(im.b + ph1 + 56 + 24, 0x1020, false);
	expect_error("overlapping PT_LOADs", &im, PGT_ERR_INPUT, "overlaps");
	st64(im.b + ph1 + 56 + 24, ~0ULL - 0x10, false);
	expect_error("p_paddr + p_memsz beyond 2^64", &im, PGT_ERR_INPUT,
		     "2^64");
	memcpy(im.b + ph1 + 56 + 24, save, 8);
	st64(im.b + ph1 + 32, 0x41, false);
	expect_error("p_filesz > p_memsz", &im, PGT_ERR_INPUT, "p_memsz");
	st64(im.b + ph1 + 32, 0x40, false);
	st64(im.b + ph1 + 8, ~0ULL - 0x10, false);
	expect_error("p_offset + p_filesz beyond 2^64", &im, PGT_ERR_INPUT,
		     "beyond the end of the file");
	free(im.b);
}

/* Random corruption: no crash, every failure well formed. */
static void test_fuzz(void)
{
	struct spec s;
	struct image im = small_image(64, true, &s), m;
	const char *p = tmp_path("fuzz.elf");
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	int i, k, opened = 0, bad = 0;

	m.n = im.n;
	m.b = malloc(im.n);
	for (i = 0; i < 3000; i++) {
		struct pgt_dump d;
		struct pgt_err err = { 0 };
		uint8_t b[64];
		int rc;

		memcpy(m.b, im.b, im.n);
		for (k = 0; k < 1 + i % 4; k++) {
			x = x * 6364136223846793005ULL + 1442695040888963407ULL;
			/* odd rounds: the headers only */
			m.b[(x >> 33) % (i % 2 ? 256 : m.n)] =
				(uint8_t)(x >> 20);
		}
		write_file("fuzz.elf", m.b, m.n);
		rc = open_dump(&d, p, &err);
		if (rc == 0) {
			opened++;
			rd(&d, 0x1000, b, sizeof(b));
			rd(&d, 0x3070, b, 0x20);
		} else if (!good_error(rc, &err, p, 0)) {
			if (!bad++)
				printf("# bad error: %d \"%s\"\n", rc, err.msg);
		}
		close_dump(&d);
	}
	ok(bad == 0, "3000 corrupted files: no crash, every failure names the file and offset (%d opened)",
	   opened);
	free(m.b);
	free(im.b);
}

/* ---- QEMU 7.2's broken header of a big-endian guest ---- */

static void test_qemu_header_bug(void)
{
	static struct notes ns;
	struct pgt_dump d;
	struct pgt_err err = { 0 };
	struct spec s;
	struct image im;
	int rc, form;

	memset(&ns, 0, sizeof(ns));
	ns.be = true;
	add_s390_cpu(&ns, 1, 0x2694000);
	for (form = 1; form <= 2; form++) {
		const char *what = form == 2 ? "QEMU 7.2's broken BE header (e_ehsize 8, LE .shstrtab)" :
					       "QEMU's BE header with sections";

		spec_init(&s, 64, true, 22);
		s.qemu_sections = form;
		spec_add(&s, 4, 0, ns.n, ns.n, ns.b);
		spec_add(&s, 1, 0, 0x1000, 0x1000, NULL);
		im = build(&s);
		rc = open_image(&d, "qemu-be.elf", &im, &err);
		ok(rc == 0 && d.ncpus == 1 &&
		   s390_cr(&d, 0, 1) == 0x2694001 &&
		   d.nranges == 1 && d.ranges[0].end == 0x1000,
		   "%s: opens, notes and memory right (%.200s)", what, err.msg);
		close_dump(&d);
		free(im.b);
	}
}

/* ---- the real dumps ---- */

static const char *shared_dir(void)
{
	static char dir[512];
	const char *s = getenv("SHARED"), *top = getenv("abs_top_srcdir");

	if (s && *s)
		return s;
	snprintf(dir, sizeof(dir), "%s/../shared", top && *top ? top : "..");
	return dir;
}

/*
 * The headers and notes of a .gz dump: its first `head` bytes, then a
 * hole up to the full size (gzip's ISIZE), so the program headers hold
 * and only the page data past `head` reads as zeros.
 */
static const char *gunzip_head(const char *gz, const char *name, size_t head)
{
	static uint8_t buf[1 << 16];
	const char *out = tmp_path(name);
	uint8_t isize[4];
	size_t done = 0;
	FILE *f = fopen(gz, "rb");
	gzFile z;
	int fd, n = 0;

	if (!f)
		return NULL;
	if (fseek(f, -4, SEEK_END) || fread(isize, 1, 4, f) != 4)
		exit(99);
	fclose(f);
	z = gzopen(gz, "rb");
	fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (!z || fd < 0)
		exit(99);
	while (done < head && (n = gzread(z, buf, sizeof(buf))) > 0) {
		if (write(fd, buf, (size_t)n) != n)
			exit(99);
		done += (size_t)n;
	}
	gzclose(z);
	if (ftruncate(fd, (off_t)((uint32_t)isize[0] | (uint32_t)isize[1] << 8 |
				  (uint32_t)isize[2] << 16 |
				  (uint32_t)isize[3] << 24)) || close(fd))
		exit(99);
	return out;
}

/* The path of the dump's head in tmpdir (in out), or NULL and why. */
static const char *real_dump(const char *rel, const char *name, char *out,
			     char *why, size_t whylen)
{
	char gz[768];
	const char *p;

	snprintf(gz, sizeof(gz), "%s/dumps/%s", shared_dir(), rel);
	p = access(gz, R_OK) ? NULL : gunzip_head(gz, name, 4 << 20);
	if (!p) {
		snprintf(why, whylen, "%s not found", gz);
		return NULL;
	}
	snprintf(out, 256, "%s", p);
	return out;
}

/* The same bytes at PA pa in the dump as at offset off of its file. */
static bool same_as_file(struct pgt_dump *d, uint64_t pa, uint64_t off)
{
	uint8_t a[64], b[64];
	int fd = open(d->path, O_RDONLY);
	bool same = fd >= 0 && pread(fd, b, sizeof(b), (off_t)off) == 64 &&
		    rd(d, pa, a, sizeof(a)) == 0 && !memcmp(a, b, 64);

	if (fd >= 0)
		close(fd);
	return same;
}

static void test_real_pae_a1(void)
{
	struct pgt_dump d;
	struct pgt_err err = { 0 };
	char why[800], buf[64], path[256];
	const char *p = real_dump("pae-A1/A1.elf.gz", "pae-A1.elf", path, why,
				  sizeof(why));
	int rc;

	if (!p) {
		skip(why);
		return;
	}
	rc = open_dump(&d, p, &err);
	ok(rc == 0 && d.elf_class == 64 && d.elf_machine == 3 && !d.big_endian,
	   "pae-A1: ELF64 EM_386 little-endian (%.200s)", err.msg);
	if (rc) {
		close_dump(&d);
		return;
	}
	ok(d.ncpus == 1 && has_x86_cr(&d, 0) &&
	   x86_cr(&d, 0, 3) == 0x022022e0,
	   "pae-A1: CR3 0x022022e0 from the QEMU note");
	ok(x86_cr(&d, 0, 4) & 0x20, "pae-A1: CR4.PAE");
	ok(d.nranges == 2 && d.ranges[0].start == 0 &&
	   d.ranges[0].end == 0x4000000 && d.ranges[1].start == 0xfffc0000 &&
	   d.ranges[1].end == 0x100000000ULL,
	   "pae-A1: RAM 0-64 MiB and the BIOS ROM below 4 GiB");
	ok(same_as_file(&d, 0x1000, 0xf14 + 0x1000),
	   "pae-A1: PA 0x1000 is file offset 0x1f14 (p_offset 0xf14)");
	is_str(pgt_vmcoreinfo_get(&d, "SYMBOL(swapper_pg_dir)", buf, sizeof(buf)),
	       "c1e98000", "pae-A1: VMCOREINFO swapper_pg_dir");
	close_dump(&d);
}

static void check_s390_a1(struct pgt_dump *d, const char *what)
{
	const struct pgt_dump_cpu *c = d->cpu;
	struct pgt_dump *dd = d;

	ok(d->ncpus == 1 && has_s390_cr(dd, 0) && s390_cr(dd, 0, 1) == 0x26941c7 &&
	   s390_cr(dd, 0, 7) == 0x26941c7 && s390_cr(dd, 0, 13) == 0x1290007,
	   "%s: CR1 = CR7 = 0x26941c7, CR13 = 0x1290007", what);
	ok(d->ncpus == 1 && has_s390_prefix(dd, 0) && s390_prefix(dd, 0) == 0x197e000,
	   "%s: prefix 0x197e000", what);
	ok(d->ncpus == 1 && has_psw(dd, 0) &&
	   psw_mask(dd, 0) == 0x0705200180000000ULL &&
	   psw_addr(dd, 0) == 0x10009aa,
	   "%s: PSW 0x0705200180000000 0x10009aa", what);
	ok(d->ncpus == 1 && c->pid == 1, "%s: pr_pid 1", what);
	ok(d->nranges == 1 && d->ranges[0].end == 0x4000000 &&
	   same_as_file(d, 0x1000, 0x608 + 0x1000),
	   "%s: 64 MiB at p_offset 0x608", what);
}

/* QEMU 7.2's header of a BE guest, as the README tells: e_ehsize 8 and
 * .shstrtab's sh_name, sh_type, sh_offset, sh_size little-endian */
static void break_header(const char *p)
{
	uint8_t ehsize[2] = { 0, 8 }, sh[40] = { 0 };
	int fd = open(p, O_WRONLY);

	st32(sh, 1, false);
	st32(sh + 4, 3, false);
	st64(sh + 24, 0x4000608, false);
	st64(sh + 32, 11, false);
	if (fd < 0 || pwrite(fd, ehsize, 2, 52) != 2 ||
	    pwrite(fd, sh, 40, 128) != 40 || close(fd))
		exit(99);
}

static void test_real_s390_a1(void)
{
	struct pgt_dump d;
	struct pgt_err err = { 0 };
	char why[800], path[256];
	const char *p = real_dump("s390x-A1/A1.elf.gz", "s390x-A1.elf", path,
				  why, sizeof(why));
	int rc;

	if (!p) {
		skip(why);
		return;
	}
	rc = open_dump(&d, p, &err);
	ok(rc == 0 && d.elf_class == 64 && d.elf_machine == 22 && d.big_endian,
	   "s390x-A1: ELF64 EM_S390 big-endian (%.200s)", err.msg);
	if (!rc)
		check_s390_a1(&d, "s390x-A1");
	close_dump(&d);
	break_header(p);
	rc = open_dump(&d, p, &err);
	ok(rc == 0, "s390x-A1 with QEMU 7.2's broken header: opens (%.200s)",
	   err.msg);
	if (!rc)
		check_s390_a1(&d, "s390x-A1 broken header");
	close_dump(&d);
}

static void test_real_pae_k1(void)
{
	struct pgt_dump d;
	struct pgt_err err = { 0 };
	char why[800], buf[64], path[256];
	const char *p = real_dump("pae-K1/K1-vmcore.elf.gz", "pae-K1.elf", path,
				  why, sizeof(why));
	uint8_t b[32];
	int rc;

	if (!p) {
		skip(why);
		return;
	}
	rc = open_dump(&d, p, &err);
	ok(rc == 0 && d.elf_class == 32 && d.elf_machine == 3,
	   "pae-K1: ELF32 EM_386 (%.200s)", err.msg);
	if (rc) {
		close_dump(&d);
		return;
	}
	ok(d.ncpus == 2 && d.cpu[0].pid == 0 && d.cpu[1].pid == 293 &&
	   !has_x86_cr(&d, 0), "pae-K1: two NT_PRSTATUS, pids 0 and 293, no CR3");
	is_str(pgt_vmcoreinfo_get(&d, "SYMBOL(swapper_pg_dir)", buf, sizeof(buf)),
	       "cbe98000", "pae-K1: VMCOREINFO swapper_pg_dir");
	is_str(pgt_vmcoreinfo_get(&d, "CONFIG_X86_PAE", buf, sizeof(buf)), "y",
	       "pae-K1: VMCOREINFO CONFIG_X86_PAE");
	ok(d.nranges == 3 && d.ranges[0].start == 0x1000 &&
	   d.ranges[0].end == 0x9fc00 && d.ranges[2].end == 0xffdd000,
	   "pae-K1: three ranges, the first ending inside a page at 0x9fbff");
	ok(rd(&d, 0x9fbe0, b, 0x20) == 0 && rd(&d, 0x9fbf0, b, 0x20) != 0,
	   "pae-K1: reads up to 0x9fbff succeed, past it fail");
	ok(same_as_file(&d, 0x1000, 0x2000),
	   "pae-K1: PA 0x1000 is file offset 0x2000 (p_vaddr 0xc0001000 ignored)");
	close_dump(&d);
}

/* ---- slices ---- */

/* A dump whose memory is pat() except in a few unreadable pages. */
struct fake_mem {
	uint64_t lo, hi;	/* [lo, hi) readable ... */
	uint64_t hole;		/* ... except this page */
	uint64_t extra;		/* and this page too */
};

static int fake_read(struct pgt_physmem *pm, uint64_t pa, void *buf,
		     size_t len)
{
	const struct fake_mem *m = pm->priv;
	uint8_t *b = buf;
	size_t i;

	for (i = 0; i < len; i++) {
		uint64_t a = pa + i;

		if (!((a >= m->lo && a < m->hi && (a & ~0xfffULL) != m->hole) ||
		      (a & ~0xfffULL) == m->extra))
			return -1;
		b[i] = pat(a);
	}
	return 0;
}

static bool phdrs_as_documented(const char *p, size_t *nload)
{
	int fd = open(p, O_RDONLY);
	Elf *e;
	size_t n, i;
	bool good = true;

	*nload = 0;
	elf_version(EV_CURRENT);
	e = fd < 0 ? NULL : elf_begin(fd, ELF_C_READ, NULL);
	if (!e || elf_getphdrnum(e, &n) || n == 0)
		good = false;
	for (i = 0; good && i < n; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(e, (int)i, &ph) ||
		    ph.p_type != (i ? PT_LOAD : PT_NOTE))
			good = false;
		else if (i && (ph.p_vaddr || ph.p_offset % 4096 ||
			       ph.p_align != 4096 || ph.p_filesz != ph.p_memsz))
			good = false;
		*nload += i > 0;
	}
	elf_end(e);
	if (fd >= 0)
		close(fd);
	return good;
}

static void fake_dump(struct pgt_dump *d, struct fake_mem *m,
		      const struct notes *ns, const char *vmci)
{
	memset(d, 0, sizeof(*d));
	m->lo = 0x100000;
	m->hi = 0x110000;
	m->hole = 0x105000;
	m->extra = 0x200000;
	d->path = "fake";
	d->pm.read = fake_read;
	d->pm.priv = m;
	d->pm.limit = 0x201000;
	d->big_endian = ns->be;
	d->notes = (uint8_t *)ns->b;
	d->notes_len = ns->n;
	d->vmcoreinfo = (char *)vmci;
	d->vmcoreinfo_len = vmci ? strlen(vmci) : 0;
}

static void check_slice(const char *what, const char *p, bool be,
			int machine, size_t notes_len)
{
	struct pgt_dump d;
	struct pgt_err err = { 0 };
	uint8_t b[4096];
	uint64_t pa;
	bool pages = true;
	char buf[64];
	size_t nload;
	int rc = open_dump(&d, p, &err);

	ok(rc == 0 && d.elf_class == 64 && d.big_endian == be &&
	   d.elf_machine == machine, "%s: reads back as ELF64 (%.200s)", what,
	   err.msg);
	if (rc)
		return;
	for (pa = 0x100000; pa < 0x110000; pa += 4096)
		if (pa != 0x105000)
			pages = pages && rd(&d, pa, b, 4096) == 0 &&
				is_pattern(b, pa, 4096);
	ok(pages && rd(&d, 0x200000, b, 4096) == 0 &&
	   is_pattern(b, 0x200000, 4096), "%s: every readable page round-trips",
	   what);
	ok(rd(&d, 0x105000, b, 1) != 0 && rd(&d, 0x300000, b, 1) != 0,
	   "%s: pages the dump could not read are left out", what);
	ok(d.nranges == 3 && d.ranges[0].end == 0x105000 &&
	   d.ranges[1].start == 0x106000 && d.ranges[2].start == 0x200000,
	   "%s: one PT_LOAD per run", what);
	ok(phdrs_as_documented(p, &nload) && nload == 3,
	   "%s: PT_NOTE first, PT_LOADs with p_vaddr 0, page-aligned p_offset, p_align 0x1000",
	   what);
	is_u64(d.notes_len, notes_len, "%s: notes length", what);
	is_str(pgt_vmcoreinfo_get(&d, "SYMBOL(swapper_pg_dir)", buf, sizeof(buf)),
	       "cbe98000", "%s: VMCOREINFO", what);
	if (machine == 22)
		ok(d.ncpus == 1 && s390_cr(&d, 0, 13) == 0x290000d &&
		   has_psw(&d, 0), "%s: s390 registers", what);
	else
		ok(d.ncpus == 1 && x86_cr(&d, 0, 3) == 0x7000 &&
		   d.cpu[0].pid == 77, "%s: x86 registers", what);
	close_dump(&d);
}

static const uint64_t slice_pages[] = {
	0x100000, 0x101000, 0x102000, 0x103000, 0x104000, 0x105000, 0x106000,
	0x107000, 0x108000, 0x109000, 0x10a000, 0x10b000, 0x10c000, 0x10d000,
	0x10e000, 0x10f000, 0x200000, 0x300000,
};
#define NSLICE (sizeof(slice_pages) / sizeof(slice_pages[0]))

static void test_slices(void)
{
	static struct notes ns;
	struct pgt_dump d;
	struct fake_mem m;
	struct pgt_err err = { 0 };
	size_t vmci_note = 12 + 12 + ((strlen(vmcoreinfo) + 3) & ~3u);
	char p[256];
	int rc;

	snprintf(p, sizeof(p), "%s", tmp_path("slice.elf"));
	/* little-endian EM_386; VMCOREINFO only in d->vmcoreinfo: appended */
	memset(&ns, 0, sizeof(ns));
	add_prstatus_i386(&ns, 77);
	add_qemu_cpu(&ns, 1, 0x7000);
	fake_dump(&d, &m, &ns, vmcoreinfo);
	rc = pgt_dump_write_slice(&d, p, 3, false, slice_pages, NSLICE, &err);
	ok(rc == 0, "slice LE: written (%.200s)", err.msg);
	check_slice("slice LE", p, false, 3, ns.n + vmci_note);

	/* big-endian EM_S390; VMCOREINFO already a note: not twice */
	memset(&ns, 0, sizeof(ns));
	ns.be = true;
	add_s390_cpu(&ns, 1, 0x2900000);
	add_vmcoreinfo(&ns);
	fake_dump(&d, &m, &ns, vmcoreinfo);
	rc = pgt_dump_write_slice(&d, p, 22, true, slice_pages, NSLICE, &err);
	ok(rc == 0, "slice BE: written (%.200s)", err.msg);
	check_slice("slice BE", p, true, 22, ns.n);

	/* failures leave the old file and no temporary file */
	write_file("slice.elf", "keep", 4);
	{
		uint64_t unsorted[2] = { 0x200000, 0x100000 };

		rc = pgt_dump_write_slice(&d, p, 22, true, unsorted, 2, &err);
		ok(rc != 0 && strstr(err.msg, p), "slice: unsorted pages refused (%.200s)",
		   err.msg);
	}
	rc = pgt_dump_write_slice(&d, p, 3, false, slice_pages, NSLICE, &err);
	ok(rc == PGT_ERR_UNSUPPORTED, "slice: notes in the other byte order refused (%.200s)",
	   err.msg);
	{
		struct stat st;

		ok(stat(p, &st) == 0 && st.st_size == 4,
		   "slice: a failed write leaves the old file alone");
	}
	rc = pgt_dump_write_slice(&d, tmp_path("no/such/dir.elf"), 22, true,
				  slice_pages, NSLICE, &err);
	ok(rc == PGT_ERR_IO, "slice: an unwritable path is an I/O error (%.200s)",
	   err.msg);

	/* nothing readable: PT_NOTE only, still a dump */
	memset(&ns, 0, sizeof(ns));
	fake_dump(&d, &m, &ns, NULL);
	rc = pgt_dump_write_slice(&d, p, 3, false, slice_pages + 17, 1, &err);
	ok(rc == 0, "slice: no readable page: written (%.200s)", err.msg);
	rc = open_dump(&d, p, &err);
	ok(rc == 0 && d.nranges == 0 && d.ncpus == 0 && !d.vmcoreinfo,
	   "slice: no readable page: opens with no memory (%.200s)", err.msg);
	close_dump(&d);
	unlink(p);
}

/* ---- main ---- */

static void remove_tmp(void)
{
	DIR *dir = opendir(tmpdir);
	struct dirent *e;
	int left = 0;

	while (dir && (e = readdir(dir))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (strstr(e->d_name, ".elf."))
			left++;	/* a temporary file a slice left */
		unlink(tmp_path(e->d_name));
	}
	if (dir)
		closedir(dir);
	ok(left == 0, "no temporary files left behind");
	if (rmdir(tmpdir))
		printf("# leftover files in %s\n", tmpdir);
}

int main(void)
{
	const char *base = getenv("TMPDIR");

	snprintf(tmpdir, sizeof(tmpdir), "%s/t-dump-elf.XXXXXX",
		 base && *base && strlen(base) < 32 ? base : "/tmp");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 99;
	}
	test_memory(64, false);
	test_memory(64, true);
	test_memory(32, false);
	test_memory(32, true);
	test_notes_x86();
	test_notes_s390();
	test_two_note_segments();
	test_truncations(64, false);
	test_truncations(32, true);
	test_errors();
	test_fuzz();
	test_qemu_header_bug();
	test_slices();
	test_real_pae_a1();
	test_real_s390_a1();
	test_real_pae_k1();
	remove_tmp();
	return done_testing();
}
