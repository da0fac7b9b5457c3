/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Root discovery: which paging format a memory dump uses and where its
 * page-table roots are, decided by the arch files from neutral facts the
 * dump layer hands them (struct pgt_dump_facts): the ELF header's machine,
 * class and byte order, the kdump header's machine string, VMCOREINFO
 * lookups, each CPU's notes as raw bytes, physical memory reads and a
 * trial walk.  The dump layer (src/dump) knows no arch; an arch knows no
 * container.  Each paging format that can be found in dumps has a struct
 * pgt_arch_discover (pgt_arch.discover).
 */
#ifndef PGT_ARCH_DISCOVER_H
#define PGT_ARCH_DISCOVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "../lib/status.h"
#include "../mem/physmem.h"

struct pgt_arch;

/* One note of one CPU as the dump holds it (its byte order) */
struct pgt_cpu_note {
	const char *name;	/* not NUL-terminated */
	size_t namelen;		/* without trailing NULs */
	uint32_t type;
	const uint8_t *desc;
	uint32_t size;
};

#define PGT_NT_PRSTATUS 1	/* "CORE": struct elf_prstatus, any arch */

/* What a dump tells about the machine, in terms no arch owns. */
struct pgt_dump_facts {
	const char *path;		/* for messages */
	struct pgt_physmem *mem;
	int elf_machine;		/* ELF e_machine, 0 unknown */
	int elf_class;			/* 32 or 64 (kdump: header word size) */
	bool big_endian;
	const char *kdump_machine;	/* utsname.machine, "" unknown */
	int ncpus;			/* CPUs the notes describe */

	const void *dump;		/* the callbacks' first argument */
	/* VMCOREINFO's value of KEY (e.g. "SYMBOL(swapper_pg_dir)"), or NULL */
	const char *(*vmcoreinfo)(const void *dump, const char *key,
				  char *buf, size_t len);
	/* the notes of CPU cpu (the k-th note of each kind is CPU k's) into
	 * v[0..max): how many */
	size_t (*cpu_notes)(const void *dump, int cpu,
			    struct pgt_cpu_note *v, size_t max);
	/* the i-th run of memory the file has bytes for: false past the last */
	bool (*run)(const void *dump, size_t i, uint64_t *start,
		    uint64_t *end);
	/* a trial walk of root over [0, va_end) (0: the arch's whole space):
	 * pages mapped and findings; a walk that fails counts one finding */
	void (*trial_walk)(const void *dump, const struct pgt_arch *a,
			   uint64_t root, uint64_t va_end, uint64_t *pages,
			   uint64_t *findings);
};

static inline int pgt_facts_read(const struct pgt_dump_facts *f, uint64_t pa,
				 void *buf, size_t len)
{
	return f->mem->read(f->mem, pa, buf, len);
}

/* the note of cpu named name with type type, or false */
bool pgt_facts_cpu_note(const struct pgt_dump_facts *f, int cpu,
			const char *name, uint32_t type,
			struct pgt_cpu_note *out);
bool pgt_note_name_is(const struct pgt_cpu_note *n, const char *name);
uint32_t pgt_facts_get32(const struct pgt_dump_facts *f, const uint8_t *p);
uint64_t pgt_facts_get64(const struct pgt_dump_facts *f, const uint8_t *p);
/* a per-CPU note for some registered arch (or NT_PRSTATUS)? */
bool pgt_arch_cpu_note(const char *name, size_t namelen, uint32_t type);
/* VMCOREINFO KEY equals want (any value: want NULL) */
bool pgt_facts_vmcoreinfo_has(const struct pgt_dump_facts *f,
			      const char *key, const char *want);

/*
 * A root: what the walker takes (a CR3 value, an ASCE), where it came from.
 */
struct pgt_dump_root {
	char name[24];		/* "cpu0", "cpu1-user", "kernel", "scan3" */
	uint64_t value;		/* CR3 / ASCE as the walker takes it */
	char source[160];	/* where it came from */
	char evidence[240];	/* scanned roots: why it looks like one */
	bool user;		/* maps user space (x86: any process pgd) */
	bool kernel;		/* the kernel's own root (swapper_pg_dir) */
	int cpu;		/* CPU whose register held it, -1 none */
	long score;		/* scanned roots: plausibility, higher first */
};

struct pgt_dump_roots {
	struct pgt_dump_root *v;
	size_t n, cap;
	bool scanned;		/* --scan-roots looked (messages say so) */
};

/* append (0, or -1 out of memory); a value already there is not added
 * again: the first source wins */
int pgt_dump_roots_add(struct pgt_dump_roots *r,
		       const struct pgt_dump_root *root);
/* add, or append the source to the root that has the same value */
int pgt_dump_roots_merge(struct pgt_dump_roots *r,
			 const struct pgt_dump_root *n);
void pgt_dump_roots_free(struct pgt_dump_roots *r);

/* The evidence that names a dump's architecture, strongest first. */
enum pgt_evidence {
	PGT_EV_ELF_MACHINE,	/* ELF e_machine */
	PGT_EV_CPU_NOTES,	/* register notes only this arch writes */
	PGT_EV_VMCOREINFO,	/* OSRELEASE and CONFIG_ lines */
	PGT_EV__COUNT
};

/* a root found by a scan, with what it is ("PAE PDPT (page)") */
typedef int pgt_scan_found_fn(void *ctx, struct pgt_dump_root *n,
			      const char *what);

/*
 * The other way round, for `replay --save-tables`: a replayed state written
 * as a dump of this format, so that our discovery (and libkdumpfile, crash)
 * finds each mm's root as it finds a real kernel's.
 */
struct pgt_dump_layout {
	int elf_machine;	/* e_machine of such a dump */
	int elf_class;		/* 32 or 64 */
	/* VMCOREINFO lines a kernel of this format writes that tell a
	 * reader the paging mode ("KEY=VALUE\n"...), or "" */
	const char *vmcoreinfo;
};

/* one note appended to a dump being written: desc already in the dump's
 * byte order; -1 when out of memory */
typedef int pgt_note_put_fn(void *ctx, const char *name, uint32_t type,
			    const void *desc, uint32_t size);

/* stores in a dump's byte order, for the notes an arch writes */
void pgt_put32(uint8_t *p, uint32_t v, bool big_endian);
void pgt_put64(uint8_t *p, uint64_t v, bool big_endian);

/*
 * An arch's root discovery.  The arches of one family (s390x and s390;
 * the x86 formats) answer claims alike and one select picks among them.
 */
struct pgt_arch_discover {
	/* is a note of this name and type one of the per-CPU register notes
	 * this family's dumps hold (beside NT_PRSTATUS, which every dump
	 * may have)?  The dump gives the k-th of each to CPU k. */
	bool (*cpu_note)(const char *name, size_t namelen, uint32_t type);
	/* does evidence ev say the dump is of this arch's family?  how:
	 * the evidence, for messages ("ELF e_machine EM_386") */
	bool (*claims)(const struct pgt_dump_facts *f, enum pgt_evidence ev,
		       char *how, size_t len);
	/* does the kdump header's machine string name this family? */
	bool (*machine_is)(const char *machine);
	/* the format within the family; how (already naming the evidence)
	 * may be extended; PGT_ERR_UNSUPPORTED with a message when the
	 * family's dump is of a format not supported */
	int (*select)(const struct pgt_dump_facts *f, const struct pgt_arch **a,
		      char *how, size_t len, struct pgt_err *err);
	/* roots from the registers of CPU cpu, merged into r */
	void (*cpu_roots)(const struct pgt_dump_facts *f,
			  const struct pgt_arch *a, int cpu,
			  struct pgt_dump_roots *r);
	/* the kernel's root from VMCOREINFO, merged into r */
	void (*kernel_root)(const struct pgt_dump_facts *f,
			    const struct pgt_arch *a, struct pgt_dump_roots *r);
	/* --scan-roots: every well-formed top-level table, each through
	 * found with a score and evidence; r holds the roots known so far
	 * (NULL: the arch has no scan) */
	int (*scan)(const struct pgt_dump_facts *f, const struct pgt_arch *a,
		    const struct pgt_dump_roots *r, pgt_scan_found_fn *found,
		    void *ctx, struct pgt_err *err);
	/* --root ADDR as a root value (NULL: the address is the root) */
	int (*addr_root)(const struct pgt_dump_facts *f,
			 const struct pgt_arch *a, uint64_t v, uint64_t *root,
			 struct pgt_err *err);

	/* optional (NULL: replay --save-tables is refused): the container
	 * a dump of format a has, and the per-CPU notes of a CPU running
	 * user code on root (pr_pid pid), each through put, exactly as
	 * cpu_roots reads them back */
	void (*dump_layout)(const struct pgt_arch *a,
			    struct pgt_dump_layout *fmt);
	int (*write_cpu_notes)(const struct pgt_arch *a, uint64_t root,
			       int pid, pgt_note_put_fn *put, void *ctx);
};

#endif
