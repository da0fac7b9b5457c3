/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * CPU notes written back: the inverse of notes.c for the fields it reads
 * (pr_pid, the s390 PSW, QEMU's x86 control registers, the s390 control
 * registers and prefix), with the same layouts (notes.c says where each
 * comes from).  Everything else in a note is zero: a register nobody
 * recorded.  Used by `replay --save-tables` to make a replayed state's
 * roots findable as a real dump's are.
 */
#include <stdlib.h>
#include <string.h>
#include "dump.h"

#define NT_PRSTATUS	1
#define NT_S390_CTRS	0x304
#define NT_S390_PREFIX	0x305
#define EM_386_NUM	3
#define NOTE_HDR	12

/* struct elf_prstatus: i386 0x90 bytes, pr_pid at 24; 64-bit 0x150,
 * pr_pid at 32, pr_reg at 112 (on s390x the PSW mask and address) */
#define PRSTATUS_I386_SIZE	0x90
#define PRSTATUS_I386_PID	24
#define PRSTATUS_64_SIZE	0x150
#define PRSTATUS_64_PID		32
#define PRSTATUS_S390X_PSW	112
/* QEMUCPUState version 1: version, size, ..., cr[5] at 392; 440 bytes */
#define QEMU_CPUSTATE_VERSION	1
#define QEMU_CPUSTATE_SIZE	440
#define QEMU_CPUSTATE_CR	392

struct note_buf {
	uint8_t *p;
	size_t len, cap;
	bool be;
};

static void put32(uint8_t *p, uint32_t v, bool be)
{
	int i;

	for (i = 0; i < 4; i++)
		p[be ? 3 - i : i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v, bool be)
{
	put32(p + (be ? 0 : 4), (uint32_t)(v >> 32), be);
	put32(p + (be ? 4 : 0), (uint32_t)v, be);
}

static size_t pad4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

/* a zeroed note of descsz bytes appended; its descriptor, or NULL */
static uint8_t *add_note(struct note_buf *b, const char *name, uint32_t type,
			 size_t descsz)
{
	size_t namesz = strlen(name) + 1;
	size_t need = NOTE_HDR + pad4(namesz) + pad4(descsz);
	uint8_t *h;

	if (b->len + need > b->cap) {
		size_t cap = b->cap ? b->cap : 1024;
		uint8_t *p;

		while (cap < b->len + need)
			cap *= 2;
		if (!(p = realloc(b->p, cap)))
			return NULL;
		b->p = p;
		b->cap = cap;
	}
	h = b->p + b->len;
	memset(h, 0, need);
	put32(h, (uint32_t)namesz, b->be);
	put32(h + 4, (uint32_t)descsz, b->be);
	put32(h + 8, type, b->be);
	memcpy(h + NOTE_HDR, name, namesz - 1);
	b->len += need;
	return h + NOTE_HDR + pad4(namesz);
}

static bool cpu_notes(struct note_buf *b, const struct pgt_dump_cpu *c,
		      int elf_machine)
{
	bool i386 = elf_machine == EM_386_NUM;
	uint8_t *d;
	int i;

	d = add_note(b, "CORE", NT_PRSTATUS,
		     i386 ? PRSTATUS_I386_SIZE : PRSTATUS_64_SIZE);
	if (!d)
		return false;
	put32(d + (i386 ? PRSTATUS_I386_PID : PRSTATUS_64_PID),
	      (uint32_t)c->pid, b->be);
	if (!i386 && c->has_psw) {
		put64(d + PRSTATUS_S390X_PSW, c->psw_mask, b->be);
		put64(d + PRSTATUS_S390X_PSW + 8, c->psw_addr, b->be);
	}
	if (c->has_x86_cr) {
		if (!(d = add_note(b, "QEMU", 0, QEMU_CPUSTATE_SIZE)))
			return false;
		put32(d, QEMU_CPUSTATE_VERSION, b->be);
		put32(d + 4, QEMU_CPUSTATE_SIZE, b->be);
		for (i = 0; i < 5; i++)
			put64(d + QEMU_CPUSTATE_CR + 8 * i, c->x86_cr[i], b->be);
	}
	if (c->has_s390_cr) {
		if (!(d = add_note(b, "LINUX", NT_S390_CTRS, 16 * 8)))
			return false;
		for (i = 0; i < 16; i++)
			put64(d + 8 * i, c->s390_cr[i], b->be);
		if (!(d = add_note(b, "LINUX", NT_S390_PREFIX, 4)))
			return false;
		put32(d, c->s390_prefix, b->be);
	}
	return true;
}

int pgt_dump_cpu_notes(const struct pgt_dump_cpu *cpu, int ncpus,
		       int elf_machine, bool be, uint8_t **out, size_t *len,
		       struct pgt_err *err)
{
	struct note_buf b = { *out, *len, *len, be };
	int i;

	for (i = 0; i < ncpus; i++)
		if (!cpu_notes(&b, &cpu[i], elf_machine)) {
			free(b.p);
			*out = NULL;
			*len = 0;
			return pgt_fail(err, PGT_ERR_NOMEM,
					"out of memory for the notes of %d CPUs",
					ncpus);
		}
	*out = b.p;
	*len = b.len;
	return PGT_OK;
}
