/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * An ELF64 vmcore of chosen 4 KiB pages of a physical memory, with notes
 * and VMCOREINFO: a table-only slice of a dump (the page tables of a walk,
 * its notes; small enough to keep beside a bug report), or a replayed
 * state's table frames with CPU notes made for its roots.
 *
 * Layout, as in the kernel's /proc/vmcore: the ELF header, the program
 * headers (PT_NOTE first, then one PT_LOAD per run of contiguous pages,
 * p_vaddr 0 as QEMU writes), the notes, then the page data from the next
 * page boundary on.  No section headers, except two empty ones when more
 * than 65534 program headers need the PN_XNUM escape (see elf(5)).
 *
 * libelf lays out the ELF header and program headers (ELF_F_LAYOUT: our
 * own offsets; it converts the byte order) in an anonymous memory file;
 * they are copied from there, then the notes and the pages follow, one
 * page at a time and strictly in file order: a slice of any size costs
 * one page of memory, and it can be written to a pipe or standard output
 * as well as to a file (src/lib/outfile.h says which outputs are written
 * through and which are replaced).  Pages are read twice (first to learn
 * which ones d can read, which fixes the program header count, then to
 * write them).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE		/* memfd_create */
#endif
#include <errno.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "dump.h"
#include "../lib/outfile.h"

#define SLICE_PAGE	4096ULL
#define NOTE_HDR	12

/* A run of contiguous readable pages: one PT_LOAD. */
struct slice_run {
	uint64_t pa;
	uint64_t npages;
	uint64_t offset;	/* p_offset */
};

struct slice {
	const struct pgt_elf_core *c;
	const char *path;	/* the final name, for messages */
	int machine;
	bool big_endian;
	uint8_t *notes;		/* PT_NOTE contents */
	size_t notes_len;
	struct slice_run *run;
	size_t nruns;
	size_t nphdrs;		/* 1 + nruns */
	uint64_t shoff;		/* section 0 for PN_XNUM, else 0 */
	uint64_t notes_off;
	FILE *out;		/* written in file order only */
	uint64_t pos;		/* bytes written so far */
	uint8_t page[SLICE_PAGE];
};

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

static void put32(uint8_t *p, uint32_t v, bool be)
{
	int i;

	for (i = 0; i < 4; i++)
		p[be ? 3 - i : i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get32(const uint8_t *p, bool be)
{
	uint32_t v = 0;
	int i;

	for (i = 0; i < 4; i++)
		v |= (uint32_t)p[be ? 3 - i : i] << (8 * i);
	return v;
}

/* Whether the notes of c (in its byte order) hold a VMCOREINFO note. */
static bool has_vmcoreinfo_note(const struct pgt_elf_core *d)
{
	static const char name[] = "VMCOREINFO";
	size_t pos = 0;

	while (d->notes_len - pos >= NOTE_HDR) {
		const uint8_t *h = d->notes + pos;
		uint64_t namesz = get32(h, d->notes_big_endian);
		uint64_t descsz = get32(h + 4, d->notes_big_endian);
		uint64_t next = NOTE_HDR + align_up(namesz, 4) +
				align_up(descsz, 4);

		if (next > d->notes_len - pos)
			break;
		if (get32(h + 8, d->notes_big_endian) == 0 && namesz >= 10 &&
		    namesz <= sizeof(name) && !memcmp(h + NOTE_HDR, name, 10))
			return true;
		pos += (size_t)next;
	}
	return false;
}

/* c's notes as they are, plus a VMCOREINFO note when they lack one. */
static int build_notes(struct slice *s, struct pgt_err *err)
{
	const struct pgt_elf_core *d = s->c;
	bool add = d->vmcoreinfo && !has_vmcoreinfo_note(d);
	size_t vlen = add ? d->vmcoreinfo_len : 0;
	size_t extra = add ? NOTE_HDR + 12 + (size_t)align_up(vlen, 4) : 0;
	uint8_t *p;

	if (d->notes_len && d->notes_big_endian != s->big_endian)
		return pgt_fail(err, PGT_ERR_UNSUPPORTED,
				"%s: the dump's notes are %s but the slice is to be %s; notes are copied as they are",
				s->path,
				d->notes_big_endian ? "big-endian" : "little-endian",
				s->big_endian ? "big-endian" : "little-endian");
	if (vlen > UINT32_MAX)
		return pgt_fail(err, PGT_ERR_LIMIT,
				"%s: VMCOREINFO of 0x%zx bytes does not fit in a note",
				s->path, vlen);
	s->notes_len = d->notes_len + extra;
	s->notes = calloc(1, s->notes_len ? s->notes_len : 1);
	if (!s->notes)
		return pgt_fail(err, PGT_ERR_NOMEM,
				"%s: out of memory for 0x%zx bytes of notes",
				s->path, s->notes_len);
	if (d->notes_len)
		memcpy(s->notes, d->notes, d->notes_len);
	if (add) {
		p = s->notes + d->notes_len;
		/* name "VMCOREINFO\0" (11, padded to 12), type 0, the text
		 * without its NUL as the kernel writes it */
		put32(p, 11, s->big_endian);
		put32(p + 4, (uint32_t)vlen, s->big_endian);
		put32(p + 8, 0, s->big_endian);
		memcpy(p + NOTE_HDR, "VMCOREINFO", 10);
		memcpy(p + NOTE_HDR + 12, d->vmcoreinfo, vlen);
	}
	return PGT_OK;
}

static int check_pages(const struct slice *s, const uint64_t *pages,
		       size_t npages, struct pgt_err *err)
{
	size_t i;

	for (i = 0; i < npages; i++) {
		if (pages[i] % SLICE_PAGE)
			return pgt_fail(err, PGT_ERR_USAGE,
					"%s: slice page %zu: 0x%llx is not 4 KiB aligned",
					s->path, i,
					(unsigned long long)pages[i]);
		if (i && pages[i] <= pages[i - 1])
			return pgt_fail(err, PGT_ERR_USAGE,
					"%s: slice page %zu: 0x%llx does not follow 0x%llx; expected sorted, unique pages",
					s->path, i,
					(unsigned long long)pages[i],
					(unsigned long long)pages[i - 1]);
	}
	return PGT_OK;
}

/* Pass 1: the runs of pages d can read. */
static int find_runs(struct slice *s, const uint64_t *pages, size_t npages,
		     struct pgt_err *err)
{
	struct pgt_physmem *pm = s->c->pm;
	size_t i;

	s->run = calloc(npages ? npages : 1, sizeof(*s->run));
	if (!s->run)
		return pgt_fail(err, PGT_ERR_NOMEM,
				"%s: out of memory for %zu pages", s->path,
				npages);
	for (i = 0; i < npages; i++) {
		struct slice_run *last = s->nruns ? &s->run[s->nruns - 1] :
						    NULL;

		if (pgt_phys_read(pm, pages[i], s->page, SLICE_PAGE))
			continue;	/* not in d: left out */
		if (last && last->pa + last->npages * SLICE_PAGE == pages[i])
			last->npages++;
		else
			s->run[s->nruns++] =
				(struct slice_run){ pages[i], 1, 0 };
	}
	return PGT_OK;
}

/* Offsets: headers, notes, then the runs from a page boundary on. */
static void lay_out(struct slice *s)
{
	uint64_t off;
	size_t i;

	s->nphdrs = 1 + s->nruns;
	off = sizeof(Elf64_Ehdr) + s->nphdrs * sizeof(Elf64_Phdr);
	if (s->nphdrs >= PN_XNUM) {
		s->shoff = off;
		off += 2 * sizeof(Elf64_Shdr);
	}
	s->notes_off = off;
	off = align_up(off + s->notes_len, SLICE_PAGE);
	for (i = 0; i < s->nruns; i++) {
		s->run[i].offset = off;
		off += s->run[i].npages * SLICE_PAGE;
	}
}

static void fill_phdrs(const struct slice *s, Elf *e)
{
	GElf_Phdr ph;
	size_t i;

	memset(&ph, 0, sizeof(ph));
	ph.p_type = PT_NOTE;
	ph.p_offset = s->notes_off;
	ph.p_filesz = ph.p_memsz = s->notes_len;
	ph.p_align = 4;
	gelf_update_phdr(e, 0, &ph);
	for (i = 0; i < s->nruns; i++) {
		memset(&ph, 0, sizeof(ph));
		ph.p_type = PT_LOAD;
		ph.p_flags = PF_R | PF_W | PF_X;
		ph.p_offset = s->run[i].offset;
		ph.p_paddr = s->run[i].pa;
		ph.p_vaddr = 0;		/* physical only, like QEMU */
		ph.p_filesz = ph.p_memsz = s->run[i].npages * SLICE_PAGE;
		ph.p_align = SLICE_PAGE;
		gelf_update_phdr(e, (int)(i + 1), &ph);
	}
}

/*
 * Beyond 65534 program headers, e_phnum is PN_XNUM and the count goes in
 * section 0's sh_info (elf(5)); gelf_newphdr does that, but elfutils 0.188
 * writes section 0 only beside a real section.  Section 1 is an inactive
 * SHT_NULL entry placed at the section header table itself: an sh_offset
 * of 0 would make elf_update fill the ELF header with zeros.
 */
static bool add_xnum_section(const struct slice *s, Elf *e)
{
	Elf_Scn *scn = elf_newscn(e);
	GElf_Shdr sh;

	if (!scn || !gelf_getshdr(scn, &sh))
		return false;
	sh.sh_type = SHT_NULL;
	sh.sh_offset = s->shoff;
	sh.sh_size = 0;
	return gelf_update_shdr(scn, &sh);
}

/* The ELF header and program headers, laid out by libelf into fd. */
static int build_headers(const struct slice *s, int fd, struct pgt_err *err)
{
	GElf_Ehdr eh;
	Elf *e;
	int rc = PGT_OK;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return pgt_fail(err, PGT_ERR_UNSUPPORTED, "libelf: %s",
				elf_errmsg(-1));
	e = elf_begin(fd, ELF_C_WRITE, NULL);
	/* gelf_newphdr sets e_phnum (or PN_XNUM and section 0's sh_info),
	 * so the header is filled in after it */
	if (!e || !gelf_newehdr(e, ELFCLASS64))
		goto fail;
	if (s->shoff && !add_xnum_section(s, e))
		goto fail;
	if (!gelf_newphdr(e, s->nphdrs) || !gelf_getehdr(e, &eh))
		goto fail;
	eh.e_ident[EI_DATA] = s->big_endian ? ELFDATA2MSB : ELFDATA2LSB;
	eh.e_ident[EI_OSABI] = ELFOSABI_NONE;
	eh.e_type = ET_CORE;
	eh.e_machine = (GElf_Half)s->machine;
	eh.e_version = EV_CURRENT;
	eh.e_phoff = sizeof(Elf64_Ehdr);
	eh.e_shoff = s->shoff;
	eh.e_ehsize = sizeof(Elf64_Ehdr);
	eh.e_phentsize = sizeof(Elf64_Phdr);
	eh.e_shentsize = s->shoff ? sizeof(Elf64_Shdr) : 0;
	if (!gelf_update_ehdr(e, &eh))
		goto fail;
	elf_flagelf(e, ELF_C_SET, ELF_F_LAYOUT);
	fill_phdrs(s, e);
	if (elf_update(e, ELF_C_WRITE) < 0)
		goto fail;
	elf_end(e);
	return PGT_OK;
fail:
	rc = pgt_fail(err, PGT_ERR_IO, "%s: writing the ELF headers: %s",
		      s->path, elf_errmsg(-1));
	elf_end(e);
	return rc;
}

static int put_bytes(struct slice *s, const void *buf, size_t len,
		     struct pgt_err *err)
{
	errno = 0;
	if (len && fwrite(buf, 1, len, s->out) != len)
		return pgt_fail(err, PGT_ERR_IO, "%s: write at offset 0x%llx: %s",
				s->path, (unsigned long long)s->pos,
				strerror(errno ? errno : EIO));
	s->pos += len;
	return PGT_OK;
}

/* zeros up to off: the layout's only gap is before the first page */
static int pad_to(struct slice *s, uint64_t off, struct pgt_err *err)
{
	static const uint8_t zero[SLICE_PAGE];
	int rc = PGT_OK;

	while (!rc && s->pos < off) {
		uint64_t n = off - s->pos;

		rc = put_bytes(s, zero, n < SLICE_PAGE ? (size_t)n : SLICE_PAGE,
			       err);
	}
	return rc;
}

/* Copy the headers libelf laid out in an anonymous memory file. */
static int write_headers(struct slice *s, struct pgt_err *err)
{
	int fd = memfd_create("pgtctl-elf-headers", MFD_CLOEXEC);
	uint8_t *buf = NULL;
	off_t size;
	int rc;

	if (fd < 0)
		return pgt_fail(err, PGT_ERR_IO, "%s: memfd_create: %s",
				s->path, strerror(errno));
	rc = build_headers(s, fd, err);
	size = rc ? 0 : lseek(fd, 0, SEEK_END);
	if (!rc && (size <= 0 || !(buf = malloc((size_t)size))))
		rc = pgt_fail(err, PGT_ERR_NOMEM, "%s: out of memory", s->path);
	if (!rc && pread(fd, buf, (size_t)size, 0) != size)
		rc = pgt_fail(err, PGT_ERR_IO, "%s: reading the ELF headers back: %s",
			      s->path, strerror(errno ? errno : EIO));
	if (!rc)
		rc = put_bytes(s, buf, (size_t)size, err);
	free(buf);
	close(fd);
	return rc;
}

/* Pass 2: the notes and every page of every run, in file order. */
static int write_data(struct slice *s, struct pgt_err *err)
{
	struct pgt_physmem *pm = s->c->pm;
	size_t i;
	uint64_t k;
	int rc = pad_to(s, s->notes_off, err);

	if (!rc)
		rc = put_bytes(s, s->notes, s->notes_len, err);
	for (i = 0; i < s->nruns && !rc; i++) {
		rc = pad_to(s, s->run[i].offset, err);
		for (k = 0; k < s->run[i].npages && !rc; k++) {
			uint64_t pa = s->run[i].pa + k * SLICE_PAGE;

			if (pgt_phys_read(pm, pa, s->page, SLICE_PAGE))
				return pgt_fail(err, PGT_ERR_IO,
						"%s: page 0x%llx of the memory could be read once but not a second time",
						s->path,
						(unsigned long long)pa);
			rc = put_bytes(s, s->page, SLICE_PAGE, err);
		}
	}
	return rc;
}

static int write_file(struct slice *s, struct pgt_err *err)
{
	struct pgt_outfile o;
	int rc, rc2;

	rc = pgt_outfile_open(&o, s->path, err);
	if (rc)
		return rc;
	s->out = o.fp;
	rc = write_headers(s, err);
	if (!rc)
		rc = write_data(s, err);
	rc2 = pgt_outfile_close(&o, !rc, rc ? NULL : err);
	return rc ? rc : rc2;
}

int pgt_elf_core_write(const struct pgt_elf_core *c, const char *path,
		       const uint64_t *pages, size_t npages,
		       struct pgt_err *err)
{
	struct slice *s = calloc(1, sizeof(*s));
	int rc;

	if (!s)
		return pgt_fail(err, PGT_ERR_NOMEM, "%s: out of memory", path);
	s->c = c;
	s->path = path;
	s->machine = c->elf_machine;
	s->big_endian = c->big_endian;
	rc = check_pages(s, pages, npages, err);
	if (!rc)
		rc = build_notes(s, err);
	if (!rc)
		rc = find_runs(s, pages, npages, err);
	if (!rc) {
		lay_out(s);
		rc = write_file(s, err);
	}
	free(s->notes);
	free(s->run);
	free(s);
	return rc;
}

int pgt_dump_write_slice(const struct pgt_dump *d, const char *path,
			 int elf_machine, bool big_endian,
			 const uint64_t *pages, size_t npages,
			 struct pgt_err *err)
{
	struct pgt_elf_core c = {
		.pm = (struct pgt_physmem *)&d->pm,
		.elf_machine = elf_machine,
		.big_endian = big_endian,
		.notes = d->notes,
		.notes_len = d->notes_len,
		.notes_big_endian = d->big_endian,
		.vmcoreinfo = d->vmcoreinfo,
		.vmcoreinfo_len = d->vmcoreinfo_len,
	};

	return pgt_elf_core_write(&c, path, pages, npages, err);
}
