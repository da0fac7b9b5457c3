/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * ELF vmcores: QEMU's dump-guest-memory output and the kernel's
 * /proc/vmcore.  An ET_CORE file, ELF32 or ELF64 in either byte order,
 * whose PT_LOAD segments are physical memory at p_paddr and whose PT_NOTE
 * segments hold the CPUs' registers and VMCOREINFO.
 *
 * libelf reads the ELF header and the program headers (and converts their
 * byte order); this file never looks at sections.  That is on purpose:
 * QEMU 7.2 writes e_ehsize 8 in every dump (sizeof a pointer, not of the
 * header; the pae-A1 dump has it too) and, for big-endian guests, section
 * header 1 (.shstrtab) in little-endian byte order, which readelf and
 * libkdumpfile refuse.  A vmcore needs no sections, and libelf (elfutils
 * 0.188) opens such a file and returns correct program headers; e_ehsize
 * is not used either (the header size follows from EI_CLASS).
 *
 * Memory is read through one read-only mapping of the whole file, so a
 * multi-GB dump costs no copying and no heap.
 */
#include <errno.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "dump.h"
#include "../arch/arch.h"

/* One PT_LOAD: [start, end) of physical memory, data below file_end. */
struct elf_segment {
	uint64_t start;		/* p_paddr */
	uint64_t file_end;	/* p_paddr + p_filesz */
	uint64_t end;		/* p_paddr + p_memsz, zero past file_end */
	const uint8_t *data;	/* the file's bytes at p_offset */
	size_t phdr;		/* program header index, for messages */
};

struct elf_mem {
	const uint8_t *map;
	size_t map_len;
	struct elf_segment *seg;	/* sorted by start, not overlapping */
	size_t nseg;
	size_t hint;		/* last read's segment: walks stay near */
	uint64_t failed_pa;
	char why[160];
	const char *path;	/* d->path, for why() */
};

/* What the open found in the headers before the data is mapped. */
struct elf_layout {
	uint64_t file_size;
	int class;		/* ELFCLASS32 / ELFCLASS64 */
	bool big_endian;
	int machine;		/* e_machine */
	struct elf_segment *seg;	/* data is the p_offset until mapped */
	size_t nseg;
	uint64_t *note_off, *note_len;	/* PT_NOTE segments */
	size_t nnotes;
	uint64_t note_bytes;		/* their p_filesz summed */
	uint64_t load_bytes;		/* the PT_LOADs' p_filesz summed */
};

/* ---- reading memory ---- */

/* The segment holding pa, or m->nseg. */
static size_t find_segment(const struct elf_mem *m, uint64_t pa)
{
	size_t lo = 0, hi = m->nseg;

	if (m->hint < m->nseg && pa >= m->seg[m->hint].start &&
	    pa < m->seg[m->hint].end)
		return m->hint;
	/* the last segment whose start is <= pa */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (m->seg[mid].start <= pa)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0 || pa >= m->seg[lo - 1].end)
		return m->nseg;
	return lo - 1;
}

/* Copy n bytes at pa from s: file data, then zeros up to p_memsz. */
static void copy_from_segment(const struct elf_segment *s, uint64_t pa,
			      uint8_t *out, size_t n)
{
	uint64_t in_file = pa < s->file_end ? s->file_end - pa : 0;
	size_t from_file = in_file < n ? (size_t)in_file : n;

	if (from_file)
		memcpy(out, s->data + (pa - s->start), from_file);
	memset(out + from_file, 0, n - from_file);
}

static int elf_read(struct pgt_physmem *pm, uint64_t pa, void *buf, size_t len)
{
	struct elf_mem *m = pm->priv;
	uint8_t *out = buf;
	size_t i;

	if (!len)
		return 0;
	i = find_segment(m, pa);
	for (;;) {
		const struct elf_segment *s;
		size_t n;

		/* a range may go on in the next, adjacent segment */
		if (i == m->nseg || pa < m->seg[i].start) {
			m->failed_pa = pa;
			return -1;
		}
		s = &m->seg[i];
		n = s->end - pa < len ? (size_t)(s->end - pa) : len;
		copy_from_segment(s, pa, out, n);
		m->hint = i;
		len -= n;
		if (!len)
			return 0;
		out += n;
		pa += n;
		i++;
	}
}

/* zero-copy access for the walker: only inside one segment's file bytes */
static const void *elf_map(struct pgt_physmem *pm, uint64_t pa, size_t len)
{
	struct elf_mem *m = pm->priv;
	const struct elf_segment *s;
	size_t i = find_segment(m, pa);

	if (i == m->nseg || pa < m->seg[i].start)
		return NULL;
	s = &m->seg[i];
	if (pa >= s->file_end || len > s->file_end - pa)
		return NULL;
	m->hint = i;
	return s->data + (pa - s->start);
}

static const char *elf_why(struct pgt_physmem *pm)
{
	struct elf_mem *m = pm->priv;

	snprintf(m->why, sizeof(m->why),
		 "%s: physical address 0x%llx is in no PT_LOAD segment",
		 m->path, (unsigned long long)m->failed_pa);
	return m->why;
}

static void elf_close(struct pgt_dump *d)
{
	struct elf_mem *m = d->pm.priv;

	if (!m)
		return;
	if (m->map)
		munmap((void *)m->map, m->map_len);
	free(m->seg);
	free(m);
	d->pm.priv = NULL;
}

/* ---- the ELF header ---- */

static const char *machine_name(unsigned m)
{
	switch (m) {
	case EM_386: return "EM_386, i386";
	case EM_S390: return "EM_S390, s390";
	case EM_X86_64: return "EM_X86_64, x86-64";
	case EM_AARCH64: return "EM_AARCH64, AArch64";
	case EM_ARM: return "EM_ARM, 32-bit Arm";
	case EM_PPC: return "EM_PPC, 32-bit PowerPC";
	case EM_PPC64: return "EM_PPC64, 64-bit PowerPC";
	case EM_MIPS: return "EM_MIPS, MIPS";
	case EM_SPARCV9: return "EM_SPARCV9, SPARC V9";
	case 243: return "EM_RISCV, RISC-V";
	case 258: return "EM_LOONGARCH, LoongArch";
	default: return "an unknown machine";
	}
}

/* a registered paging format's dumps have e_machine m */
static bool machine_known(unsigned m)
{
	const struct pgt_arch *a;
	size_t i;

	for (i = 0; (a = pgt_arch_nth(i)); i++)
		if (a->elf_machine == m)
			return true;
	return false;
}

/* "EM_386 (3), EM_S390 (22) or EM_X86_64 (62)": the registered ones */
static const char *machines_known(char *buf, size_t len)
{
	unsigned seen[16], n = 0, k, j;
	const struct pgt_arch *a;
	size_t i, at = 0;

	for (i = 0; (a = pgt_arch_nth(i)) && n < 16; i++) {
		for (j = 0; j < n && seen[j] != a->elf_machine; j++)
			;
		if (j == n)
			seen[n++] = a->elf_machine;
	}
	buf[0] = 0;
	for (k = 0; k < n && at < len; k++) {
		const char *nm = machine_name(seen[k]);

		at += (size_t)snprintf(buf + at, len - at, "%s%.*s (%u)",
				       !k ? "" : k + 1 == n ? " or " : ", ",
				       (int)strcspn(nm, ","), nm, seen[k]);
	}
	return buf;
}

static const char *type_name(unsigned t)
{
	switch (t) {
	case ET_NONE: return "ET_NONE, no file type";
	case ET_REL: return "ET_REL, a relocatable object";
	case ET_EXEC: return "ET_EXEC, an executable";
	case ET_DYN: return "ET_DYN, a shared object or PIE";
	default: return "an unknown type";
	}
}

/* e_ident: magic, class, byte order, version. */
static int check_ident(const char *path, int fd, struct elf_layout *l,
		       struct pgt_err *err)
{
	unsigned char id[EI_NIDENT];
	ssize_t n;

	if (l->file_size < EI_NIDENT)
		return pgt_fail(err, PGT_ERR_INPUT,
				"%s: offset 0x%llx: the file ends inside e_ident; expected %d bytes of ELF identification",
				path, (unsigned long long)l->file_size,
				EI_NIDENT);
	n = pread(fd, id, sizeof(id), 0);
	if (n != (ssize_t)sizeof(id))
		return pgt_fail(err, PGT_ERR_IO, "%s: offset 0x0: read: %s",
				path, n < 0 ? strerror(errno) : "short read");
	if (memcmp(id, ELFMAG, SELFMAG))
		return pgt_fail(err, PGT_ERR_INPUT,
				"%s: offset 0x0: bad magic %02x %02x %02x %02x; expected 7f 45 4c 46 (\\177ELF)",
				path, id[0], id[1], id[2], id[3]);
	if (id[EI_CLASS] != ELFCLASS32 && id[EI_CLASS] != ELFCLASS64)
		return pgt_fail(err, PGT_ERR_INPUT,
				"%s: offset 0x%x: EI_CLASS %u; expected 1 (ELFCLASS32) or 2 (ELFCLASS64)",
				path, EI_CLASS, id[EI_CLASS]);
	if (id[EI_DATA] != ELFDATA2LSB && id[EI_DATA] != ELFDATA2MSB)
		return pgt_fail(err, PGT_ERR_INPUT,
				"%s: offset 0x%x: EI_DATA %u; expected 1 (little-endian) or 2 (big-endian)",
				path, EI_DATA, id[EI_DATA]);
	if (id[EI_VERSION] != EV_CURRENT)
		return pgt_fail(err, PGT_ERR_INPUT,
				"%s: offset 0x%x: EI_VERSION %u; expected 1 (EV_CURRENT)",
				path, EI_VERSION, id[EI_VERSION]);
	l->class = id[EI_CLASS];
	l->big_endian = id[EI_DATA] == ELFDATA2MSB;
	return PGT_OK;
}

/* e_type, e_machine, the program header table's place and entry size. */
static int check_ehdr(const char *path, const GElf_Ehdr *eh,
		      const struct elf_layout *l, struct pgt_err *err)
{
	size_t phentsize = l->class == ELFCLASS64 ? sizeof(Elf64_Phdr) :
						    sizeof(Elf32_Phdr);
	char names[120];

	if (eh->e_type != ET_CORE)
		return pgt_fail(err, PGT_ERR_UNSUPPORTED,
				"%s: offset 0x10: e_type %u (%s), not a core file; expected ET_CORE (4), a vmcore",
				path, eh->e_type, type_name(eh->e_type));
	if (!machine_known(eh->e_machine))
		return pgt_fail(err, PGT_ERR_UNSUPPORTED,
				"%s: offset 0x12: e_machine %u (%s) is not supported; expected %s",
				path, eh->e_machine,
				machine_name(eh->e_machine),
				machines_known(names, sizeof(names)));
	if (eh->e_phentsize != phentsize)
		return pgt_fail(err, PGT_ERR_INPUT,
				"%s: offset 0x%x: e_phentsize %u; expected %zu for ELFCLASS%d",
				path, l->class == ELFCLASS64 ? 0x36 : 0x2a,
				eh->e_phentsize, phentsize,
				l->class == ELFCLASS64 ? 64 : 32);
	return PGT_OK;
}

/* The whole program header table must lie in the file. */
static int check_phdr_table(const char *path, const GElf_Ehdr *eh,
			    size_t phnum, const struct elf_layout *l,
			    struct pgt_err *err)
{
	uint64_t size = l->file_size, i;

	if (eh->e_phoff > size)
		return pgt_fail(err, PGT_ERR_INPUT,
				"%s: offset 0x%llx: e_phoff 0x%llx is beyond the end of the file (size 0x%llx); expected the program header table",
				path,
				l->class == ELFCLASS64 ? 0x20ULL : 0x1cULL,
				(unsigned long long)eh->e_phoff,
				(unsigned long long)size);
	/* phnum <= 2^32 - 1 and e_phentsize <= 56: no overflow */
	if ((uint64_t)phnum * eh->e_phentsize <= size - eh->e_phoff)
		return PGT_OK;
	i = (size - eh->e_phoff) / eh->e_phentsize;
	return pgt_fail(err, PGT_ERR_INPUT,
			"%s: offset 0x%llx: the file ends inside program header %llu of %zu (size 0x%llx); expected %u bytes",
			path,
			(unsigned long long)(eh->e_phoff + i * eh->e_phentsize),
			(unsigned long long)i, phnum, (unsigned long long)size,
			eh->e_phentsize);
}

/* ---- program headers ---- */

static int check_data(const char *path, uint64_t at, size_t i,
		      const char *what, const GElf_Phdr *ph, uint64_t size,
		      struct pgt_err *err)
{
	if (ph->p_offset <= size && ph->p_filesz <= size - ph->p_offset)
		return PGT_OK;
	return pgt_fail(err, PGT_ERR_INPUT,
			"%s: offset 0x%llx: program header %zu: %s data 0x%llx+0x%llx beyond the end of the file (size 0x%llx)",
			path, (unsigned long long)at, i, what,
			(unsigned long long)ph->p_offset,
			(unsigned long long)ph->p_filesz,
			(unsigned long long)size);
}

/*
 * Segments of one type that do not overlap fit in the file: more is the
 * same bytes again, which would cost memory and time out of all
 * proportion to the file (notes decoded again, a scan reading the same
 * pages at many addresses: issue 11).
 */
static int count_data(const char *path, uint64_t at, size_t i,
		      const char *what, const GElf_Phdr *ph, uint64_t *total,
		      uint64_t size, struct pgt_err *err)
{
	*total += ph->p_filesz;		/* each <= size: no overflow */
	if (*total <= size)
		return PGT_OK;
	return pgt_fail(err, PGT_ERR_INPUT,
			"%s: offset 0x%llx: program header %zu: the %s segments so far hold 0x%llx bytes, more than the file's 0x%llx: expected %s segments that do not overlap",
			path, (unsigned long long)at, i, what,
			(unsigned long long)*total, (unsigned long long)size,
			what);
}

static int add_load(const char *path, uint64_t at, size_t i,
		    const GElf_Phdr *ph, struct elf_layout *l,
		    struct pgt_err *err)
{
	struct elf_segment *s;
	int rc = check_data(path, at, i, "PT_LOAD", ph, l->file_size, err);

	if (!rc)
		rc = count_data(path, at, i, "PT_LOAD", ph, &l->load_bytes,
				l->file_size, err);
	if (rc)
		return rc;
	if (ph->p_filesz > ph->p_memsz)
		return pgt_fail(err, PGT_ERR_INPUT,
				"%s: offset 0x%llx: program header %zu: PT_LOAD p_filesz 0x%llx is larger than p_memsz 0x%llx; expected p_filesz <= p_memsz",
				path, (unsigned long long)at, i,
				(unsigned long long)ph->p_filesz,
				(unsigned long long)ph->p_memsz);
	if (ph->p_paddr + ph->p_memsz < ph->p_paddr)
		return pgt_fail(err, PGT_ERR_INPUT,
				"%s: offset 0x%llx: program header %zu: PT_LOAD p_paddr 0x%llx + p_memsz 0x%llx is beyond 2^64",
				path, (unsigned long long)at, i,
				(unsigned long long)ph->p_paddr,
				(unsigned long long)ph->p_memsz);
	if (!ph->p_memsz)
		return PGT_OK;		/* holds no memory */
	s = &l->seg[l->nseg++];
	s->start = ph->p_paddr;
	s->file_end = ph->p_paddr + ph->p_filesz;
	s->end = ph->p_paddr + ph->p_memsz;
	s->data = (const uint8_t *)(uintptr_t)ph->p_offset;
	s->phdr = i;
	return PGT_OK;
}

static int add_note(const char *path, uint64_t at, size_t i,
		    const GElf_Phdr *ph, struct elf_layout *l,
		    struct pgt_err *err)
{
	int rc = check_data(path, at, i, "PT_NOTE", ph, l->file_size, err);

	if (rc || !ph->p_filesz)
		return rc;
	rc = count_data(path, at, i, "PT_NOTE", ph, &l->note_bytes,
			l->file_size, err);
	if (rc)
		return rc;
	l->note_off[l->nnotes] = ph->p_offset;
	l->note_len[l->nnotes++] = ph->p_filesz;
	return PGT_OK;
}

static int read_phdrs(const char *path, Elf *e, const GElf_Ehdr *eh,
		      size_t phnum, struct elf_layout *l, struct pgt_err *err)
{
	size_t i;
	int rc = PGT_OK;

	/* phnum is bounded by the file size (check_phdr_table) */
	l->seg = calloc(phnum ? phnum : 1, sizeof(*l->seg));
	l->note_off = calloc(phnum ? phnum : 1, sizeof(*l->note_off));
	l->note_len = calloc(phnum ? phnum : 1, sizeof(*l->note_len));
	if (!l->seg || !l->note_off || !l->note_len)
		return pgt_fail(err, PGT_ERR_NOMEM,
				"%s: out of memory for %zu program headers",
				path, phnum);
	for (i = 0; i < phnum && !rc; i++) {
		uint64_t at = eh->e_phoff + (uint64_t)i * eh->e_phentsize;
		GElf_Phdr ph;

		if (!gelf_getphdr(e, (int)i, &ph))
			return pgt_fail(err, PGT_ERR_INPUT,
					"%s: offset 0x%llx: program header %zu: %s",
					path, (unsigned long long)at, i,
					elf_errmsg(-1));
		/* QEMU writes p_vaddr 0, the kernel p_paddr + PAGE_OFFSET:
		 * p_paddr is the physical address in both */
		if (ph.p_type == PT_LOAD)
			rc = add_load(path, at, i, &ph, l, err);
		else if (ph.p_type == PT_NOTE)
			rc = add_note(path, at, i, &ph, l, err);
	}
	return rc;
}

static int by_start(const void *a, const void *b)
{
	const struct elf_segment *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

static int overlap_error(const char *path, const GElf_Ehdr *eh,
			 const struct elf_segment *a,
			 const struct elf_segment *b, struct pgt_err *err)
{
	uint64_t at = eh->e_phoff + (uint64_t)b->phdr * eh->e_phentsize;

	return pgt_fail(err, PGT_ERR_INPUT,
			"%s: offset 0x%llx: program header %zu: PT_LOAD at physical 0x%llx-0x%llx overlaps program header %zu (0x%llx-0x%llx); expected disjoint segments",
			path, (unsigned long long)at, b->phdr,
			(unsigned long long)b->start,
			(unsigned long long)b->end, a->phdr,
			(unsigned long long)a->start,
			(unsigned long long)a->end);
}

/* Sorted by physical address, so that a read can binary-search. */
static int sort_segments(const char *path, const GElf_Ehdr *eh,
			 struct elf_layout *l, struct pgt_err *err)
{
	size_t i;

	qsort(l->seg, l->nseg, sizeof(*l->seg), by_start);
	for (i = 1; i < l->nseg; i++)
		if (l->seg[i].start < l->seg[i - 1].end)
			return overlap_error(path, eh, &l->seg[i - 1],
					     &l->seg[i], err);
	return PGT_OK;
}

/*
 * e_phnum, or with PN_XNUM (0xffff) section 0's sh_info as libelf reads it.
 * Taken from the header first: libelf refuses a table that the file cuts
 * short with a bare "invalid data", check_phdr_table says where.
 */
static int count_phdrs(const char *path, Elf *e, const GElf_Ehdr *eh,
		       const struct elf_layout *l, size_t *phnum,
		       struct pgt_err *err)
{
	*phnum = eh->e_phnum;
	if (eh->e_phnum != PN_XNUM || !elf_getphdrnum(e, phnum))
		return PGT_OK;
	return pgt_fail(err, PGT_ERR_INPUT,
			"%s: offset 0x%x: e_phnum PN_XNUM, but section 0 (e_shoff 0x%llx) gives no program header count: %s",
			path, l->class == ELFCLASS64 ? 0x38 : 0x2c,
			(unsigned long long)eh->e_shoff, elf_errmsg(-1));
}

/* Read and check the ELF header and the program headers through libelf. */
static int read_headers(const char *path, int fd, struct elf_layout *l,
			struct pgt_err *err)
{
	size_t ehsize, phnum;
	GElf_Ehdr eh;
	Elf *e;
	int rc;

	ehsize = l->class == ELFCLASS64 ? sizeof(Elf64_Ehdr) :
					  sizeof(Elf32_Ehdr);
	if (l->file_size < ehsize)
		return pgt_fail(err, PGT_ERR_INPUT,
				"%s: offset 0x%llx: the file ends inside the ELF header; expected %zu bytes for ELFCLASS%d",
				path, (unsigned long long)l->file_size, ehsize,
				l->class == ELFCLASS64 ? 64 : 32);
	if (elf_version(EV_CURRENT) == EV_NONE)
		return pgt_fail(err, PGT_ERR_UNSUPPORTED, "libelf: %s",
				elf_errmsg(-1));
	e = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (!e || elf_kind(e) != ELF_K_ELF || !gelf_getehdr(e, &eh)) {
		rc = pgt_fail(err, PGT_ERR_INPUT,
			      "%s: offset 0x0: libelf cannot read the ELF header: %s",
			      path, elf_errmsg(-1));
		elf_end(e);
		return rc;
	}
	rc = check_ehdr(path, &eh, l, err);
	l->machine = eh.e_machine;
	if (!rc)
		rc = count_phdrs(path, e, &eh, l, &phnum, err);
	if (!rc)
		rc = check_phdr_table(path, &eh, phnum, l, err);
	if (!rc)
		rc = read_phdrs(path, e, &eh, phnum, l, err);
	if (!rc)
		rc = sort_segments(path, &eh, l, err);
	elf_end(e);
	return rc;
}

/* ---- the dump ---- */

static int map_file(const char *path, int fd, struct elf_layout *l,
		    struct elf_mem *m, struct pgt_err *err)
{
	size_t i;
	void *p;

	if (l->file_size > SIZE_MAX)
		return pgt_fail(err, PGT_ERR_UNSUPPORTED,
				"%s: 0x%llx bytes do not fit in this host's address space",
				path, (unsigned long long)l->file_size);
	p = mmap(NULL, (size_t)l->file_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		return pgt_fail(err, PGT_ERR_IO, "%s: mmap: %s", path,
				strerror(errno));
	m->map = p;
	m->map_len = (size_t)l->file_size;
	for (i = 0; i < l->nseg; i++)
		l->seg[i].data = m->map + (uintptr_t)l->seg[i].data;
	m->seg = l->seg;
	m->nseg = l->nseg;
	l->seg = NULL;
	return PGT_OK;
}

/* d->ranges: the segments with adjacent ones merged (not after a zero
 * tail: a range's file data is one run). */
static int build_ranges(struct pgt_dump *d, const struct elf_mem *m,
			struct pgt_err *err)
{
	size_t i, n = 0;

	d->ranges = calloc(m->nseg ? m->nseg : 1, sizeof(*d->ranges));
	if (!d->ranges)
		return pgt_fail(err, PGT_ERR_NOMEM,
				"%s: out of memory for %zu ranges", d->path,
				m->nseg);
	for (i = 0; i < m->nseg; i++) {
		struct pgt_dump_range *r = &d->ranges[n - (n > 0)];

		if (n && r->end == m->seg[i].start && r->data_end == r->end) {
			r->end = m->seg[i].end;
			r->data_end = m->seg[i].file_end;
			continue;
		}
		d->ranges[n].start = m->seg[i].start;
		d->ranges[n].data_end = m->seg[i].file_end;
		d->ranges[n++].end = m->seg[i].end;
	}
	d->nranges = n;
	d->pm.limit = n ? d->ranges[n - 1].end : 0;
	return PGT_OK;
}

static int parse_all_notes(struct pgt_dump *d, const struct elf_mem *m,
			   const struct elf_layout *l, struct pgt_err *err)
{
	size_t i;
	int rc = PGT_OK;

	for (i = 0; i < l->nnotes && !rc; i++)
		rc = pgt_dump_parse_notes(d, m->map + l->note_off[i],
					  (size_t)l->note_len[i],
					  l->big_endian, l->note_off[i], err);
	return rc;
}

static void free_layout(struct elf_layout *l)
{
	free(l->seg);
	free(l->note_off);
	free(l->note_len);
}

/* Undo what a failed open put into d. */
static void drop_partial(struct pgt_dump *d)
{
	elf_close(d);
	pgt_dump_clear_shared(d);
	memset(&d->pm, 0, sizeof(d->pm));
	d->close = NULL;
}

static int open_elf(struct pgt_dump *d, int fd, struct elf_layout *l,
		    struct elf_mem *m, struct pgt_err *err)
{
	struct stat st;
	int rc;

	if (fstat(fd, &st))
		return pgt_fail(err, PGT_ERR_IO, "%s: %s", d->path,
				strerror(errno));
	l->file_size = (uint64_t)st.st_size;
	rc = check_ident(d->path, fd, l, err);
	if (!rc)
		rc = read_headers(d->path, fd, l, err);
	if (!rc)
		rc = map_file(d->path, fd, l, m, err);
	if (rc)
		return rc;
	d->pm.read = elf_read;
	d->pm.why = elf_why;
	d->pm.map = elf_map;
	d->pm.priv = m;
	d->close = elf_close;
	d->elf_machine = l->machine;
	d->elf_class = l->class == ELFCLASS64 ? 64 : 32;
	d->big_endian = l->big_endian;
	rc = build_ranges(d, m, err);
	if (!rc)
		rc = parse_all_notes(d, m, l, err);
	return rc;
}

int pgt_dump_open_elf(struct pgt_dump *d, int fd, struct pgt_err *err)
{
	struct elf_layout l;
	struct elf_mem *m;
	int rc;

	memset(&l, 0, sizeof(l));
	m = calloc(1, sizeof(*m));
	if (!m)
		return pgt_fail(err, PGT_ERR_NOMEM, "%s: out of memory",
				d->path);
	m->path = d->path;
	rc = open_elf(d, fd, &l, m, err);
	if (rc) {
		if (d->pm.priv != m) {
			if (m->map)
				munmap((void *)m->map, m->map_len);
			free(m->seg);
			free(m);
		}
		drop_partial(d);
	}
	free_layout(&l);
	return rc;
}
