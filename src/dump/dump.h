/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A memory dump as physical memory plus what the container tells about the
 * machine (notes, registers, VMCOREINFO).  Three containers sit behind one
 * struct pgt_dump: ELF vmcores (elf.c), kdump-compressed files in the
 * standard and the flattened layout (kdump.c) and raw images (raw.c).
 * dump.c detects the format by content and opens the right one; roots.c
 * and scan.c find page-table roots in it.  The walker only sees d->pm.
 */
#ifndef PGT_DUMP_H
#define PGT_DUMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "../lib/status.h"
#include "../mem/physmem.h"
#include "../arch/discover.h"

enum pgt_dump_format {
	PGT_DUMP_ELF,
	PGT_DUMP_KDUMP,		/* makedumpfile's standard layout ("KDUMP   ") */
	PGT_DUMP_KDUMP_FLAT,	/* flattened layout ("makedumpfile" records) */
	PGT_DUMP_RAW,
};

/* Types of per-CPU notes a dump may have; more are ignored */
#define PGT_DUMP_NOTE_KINDS 16

/* One CPU as the notes describe it (its notes: the k-th of each kind). */
struct pgt_dump_cpu {
	int pid;			/* pr_pid of NT_PRSTATUS, -1 unknown */
	bool has_prstatus;
	uint32_t prstatus_size;		/* its descriptor size: the layout
					 * (0x90 with 4-byte longs, 0x150
					 * with 8-byte longs) */
	/* where its note of kind k starts in d->notes, + 1 (0: none);
	 * pgt_dump_cpu_notes gives them, the arch reads the registers */
	size_t note[PGT_DUMP_NOTE_KINDS];
};

/* A run of physical memory the dump holds: [start, end); the file has
 * bytes for [start, data_end), the rest reads as zeros (an ELF PT_LOAD
 * whose p_memsz is larger than its p_filesz) */
struct pgt_dump_range {
	uint64_t start, end;
	uint64_t data_end;
};

/* notes.c's place in d->notes: what it has decoded so far, so that each
 * new piece of notes is decoded once (CPU k is the k-th note of a kind) */
struct pgt_dump_note_state {
	size_t notes_cap, cpu_cap;	/* allocated d->notes, d->cpu */
	struct {
		uint32_t type;
		size_t count, seen;	/* notes of the kind decoded, counted */
	} kind[PGT_DUMP_NOTE_KINDS];
	size_t nkinds;
};

struct pgt_dump {
	struct pgt_physmem pm;		/* pm.priv is the container's state */
	char *path;
	enum pgt_dump_format format;

	/* what the container says about the machine (0/"" when unknown) */
	int elf_machine;		/* EM_386, EM_S390 ... */
	int elf_class;			/* 32 or 64 */
	bool big_endian;
	char kdump_machine[66];		/* kdump header utsname.machine */

	/* notes as found, in the file's byte order (for --save-tables) */
	uint8_t *notes;
	size_t notes_len;
	/* VMCOREINFO text, NUL-terminated (NULL when absent) */
	char *vmcoreinfo;
	size_t vmcoreinfo_len;

	int ncpus;
	struct pgt_dump_cpu *cpu;	/* ncpus entries */
	struct pgt_dump_note_state ns;

	/* physical memory held, sorted, non-overlapping; pages that a
	 * filtered kdump excluded are not in any range */
	struct pgt_dump_range *ranges;
	size_t nranges;

	/* container teardown (frees pm.priv and what it mapped) */
	void (*close)(struct pgt_dump *d);
};

/* Options for opening: raw images need an arch and a base. */
struct pgt_dump_opts {
	const char *arch;		/* --arch: required for raw images */
	uint64_t phys_base;		/* --phys-base: PA of the raw file's byte 0 */
};

/* Detect the format by content and open it.  *dp is freed with
 * pgt_dump_close.  Errors name the file, the byte offset and what was
 * expected (PGT_ERR_INPUT, PGT_ERR_UNSUPPORTED, PGT_ERR_IO). */
int pgt_dump_open(struct pgt_dump **dp, const char *path,
		  const struct pgt_dump_opts *o, struct pgt_err *err);
/* As pgt_dump_open, from an open regular file (the caller closes fd; the
 * dump holds what it needs), named name in messages. */
int pgt_dump_open_fd(struct pgt_dump **dp, int fd, const char *name,
		     const struct pgt_dump_opts *o, struct pgt_err *err);
void pgt_dump_close(struct pgt_dump *d);
const char *pgt_dump_format_name(enum pgt_dump_format f);
/* Free and zero the fields the containers share (notes, VMCOREINFO,
 * CPUs, ranges): pgt_dump_close, and a container undoing a failed open. */
void pgt_dump_clear_shared(struct pgt_dump *d);
/* The container the first bytes (at least 12) of a file announce: an
 * enum pgt_dump_format, or -1 (not a dump we know; maybe a raw image) */
int pgt_dump_sniff(const unsigned char *b, size_t n);

/* Containers: fill d (pm, machine fields, notes, cpus, ranges, close). */
int pgt_dump_open_elf(struct pgt_dump *d, int fd, struct pgt_err *err);
int pgt_dump_open_kdump(struct pgt_dump *d, int fd, bool flattened,
			struct pgt_err *err);
int pgt_dump_open_raw(struct pgt_dump *d, int fd, uint64_t phys_base,
		      struct pgt_err *err);

/*
 * Notes (notes.c): parse a buffer of ELF notes (Elf32_Nhdr and Elf64_Nhdr
 * have the same layout) in the given byte order.  Fills d->cpu/ncpus from
 * NT_PRSTATUS, QEMU's CPU state, NT_S390_CTRS, NT_S390_PREFIX, and
 * d->vmcoreinfo from a VMCOREINFO note (when not set already); keeps a copy
 * of the raw bytes in d->notes.  file_off is where buf starts in the file,
 * for messages.  Notes of unknown types are skipped.
 */
int pgt_dump_parse_notes(struct pgt_dump *d, const uint8_t *buf, size_t len,
			 bool big_endian, uint64_t file_off,
			 struct pgt_err *err);
/* The notes of CPU cpu, raw (struct pgt_dump_facts.cpu_notes) */
size_t pgt_dump_cpu_notes(const struct pgt_dump *d, int cpu,
			  struct pgt_cpu_note *v, size_t max);
/* Set d->vmcoreinfo from a VMCOREINFO blob (kdump's offset_vmcoreinfo). */
int pgt_dump_set_vmcoreinfo(struct pgt_dump *d, const char *text, size_t len,
			    struct pgt_err *err);
/* The value of KEY=VALUE in VMCOREINFO, or NULL (KEY like "SYMBOL(x)") */
const char *pgt_vmcoreinfo_get(const struct pgt_dump *d, const char *key,
			       char *buf, size_t len);

/*
 * An ELF64 vmcore (elf-write.c) of the given 4 KiB pages of pm (sorted,
 * unique, page-aligned PAs; pages pm cannot read are left out) as PT_LOADs
 * with p_vaddr 0 (one per run of contiguous pages), the notes as they are
 * (they must be in the file's byte order) plus a VMCOREINFO note unless
 * they hold one.  Written in file order through src/lib/outfile.h ("-":
 * standard output; a regular file is replaced atomically).
 */
struct pgt_elf_core {
	struct pgt_physmem *pm;
	int elf_machine;		/* e_machine: EM_386, EM_S390 */
	bool big_endian;
	const uint8_t *notes;
	size_t notes_len;
	bool notes_big_endian;
	const char *vmcoreinfo;		/* NULL: none */
	size_t vmcoreinfo_len;
};
int pgt_elf_core_write(const struct pgt_elf_core *c, const char *path,
		       const uint64_t *pages, size_t npages,
		       struct pgt_err *err);

/*
 * Notes being written (notes-write.c), in the byte order big_endian:
 * pgt_note_buf_put (a pgt_note_put_fn) appends one; p is malloc'd, len
 * bytes used.  Returns -1 when out of memory (the buffer is kept).
 */
struct pgt_note_buf {
	uint8_t *p;
	size_t len, cap;
	bool big_endian;
};
int pgt_note_buf_put(void *ctx, const char *name, uint32_t type,
		     const void *desc, uint32_t size);

/*
 * A table-only slice (elf-write.c): write an ELF64 vmcore (EM_386 or
 * EM_S390, the dump's byte order) holding the given 4 KiB pages of d (sorted,
 * unique, page-aligned PAs; pages d cannot read are left out) as PT_LOADs
 * with p_vaddr 0 (one per run of contiguous pages), plus d's notes and a
 * VMCOREINFO note.  Writes to a temp file beside path and renames.
 */
int pgt_dump_write_slice(const struct pgt_dump *d, const char *path,
			 int elf_machine, bool big_endian,
			 const uint64_t *pages, size_t npages,
			 struct pgt_err *err);

/*
 * Arch and roots (roots.c).  A root is what the walker takes: a CR3 value
 * or an ASCE (struct pgt_dump_root, arch/discover.h).  The arch files find
 * them (struct pgt_arch_discover) from the facts this layer gives them:
 * registers in the notes, VMCOREINFO, a scan of memory.
 */
/* d's facts for the arch's root discovery */
void pgt_dump_facts(const struct pgt_dump *d, struct pgt_dump_facts *f);

/* The paging format of d: forced (--arch NAME) or from e_machine, the
 * kdump header, CR4.PAE, VMCOREINFO.  how[] says what decided. */
int pgt_dump_detect_arch(const struct pgt_dump *d, const char *forced,
			 const struct pgt_arch **a, char *how, size_t howlen,
			 struct pgt_err *err);
/* Roots from registers and VMCOREINFO, in a stable order. */
int pgt_dump_find_roots(const struct pgt_dump *d, const struct pgt_arch *a,
			struct pgt_dump_roots *r, struct pgt_err *err);
/* Roots found by scanning memory (scan.c), ranked by score. */
int pgt_dump_scan_roots(const struct pgt_dump *d, const struct pgt_arch *a,
			struct pgt_dump_roots *r, struct pgt_err *err);
/* --root SPEC: ADDR | cpuN | user | kernel | a root's name; NULL: default */
int pgt_dump_pick_root(const struct pgt_dump *d, const struct pgt_arch *a,
		       const struct pgt_dump_roots *r, const char *spec,
		       uint64_t *root, struct pgt_err *err);

#endif
