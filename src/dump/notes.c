/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * ELF notes of memory dumps: the registers of each CPU and VMCOREINFO.
 *
 * A note is three 4-byte words (n_namesz, n_descsz, n_type) in the dump's
 * byte order, then the name and the descriptor, each padded to 4 bytes
 * (Elf32_Nhdr and Elf64_Nhdr are the same).  The note stream of a dump
 * holds, per CPU, an NT_PRSTATUS ("CORE") and on x86 QEMU's CPU state
 * ("QEMU", type 0), on s390 NT_S390_CTRS and NT_S390_PREFIX ("LINUX"),
 * plus one VMCOREINFO note ("VMCOREINFO", type 0) with KEY=VALUE lines.
 *
 * Each call validates the new bytes, appends them to d->notes and decodes
 * only them, going on with the per-kind counts in d->ns, so the k-th note
 * of a kind stays CPU k even when the notes come in more than one piece,
 * and a dump of thousands of PT_NOTE segments costs linear time (issue 11:
 * decoding everything again per segment was quadratic).
 */
#include <stdlib.h>
#include <string.h>
#include "dump.h"

#define NT_PRSTATUS	1
#define NT_S390_CTRS	0x304	/* 16 control registers */
#define NT_S390_PREFIX	0x305	/* the prefix register, 4 bytes */
#define EM_S390_NUM	22

#define NOTE_HDR	12

/*
 * struct elf_prstatus by descriptor size (include/linux/elfcore.h: pr_info,
 * pr_cursig, pr_sigpend, pr_sighold, then pr_pid, which follows two longs):
 * i386 0x90 bytes with pr_pid at 24; x86_64 and s390x 0x150 bytes with
 * pr_pid at 32 and pr_reg at 112.  s390x pr_reg (s390_regs) starts with
 * the PSW: mask, then address.  Checked on the pae-K1 vmcore (pids 0 and
 * 293 at 24) and the s390x-A1 QEMU dump (PSW 0x0705200180000000 at 112).
 */
#define PRSTATUS_I386_SIZE	0x90
#define PRSTATUS_I386_PID	24
#define PRSTATUS_64_SIZE	0x150
#define PRSTATUS_64_PID		32
#define PRSTATUS_S390X_PSW	112

/*
 * QEMU's x86 "QEMU" note is a QEMUCPUState (target/i386/arch_dump.c):
 * version and size (u32 each), 18 u64 general registers with rip and
 * rflags, 10 QEMUCPUSegment of 24 bytes, then cr[5] at 392 (so cr[3] at
 * 416, as in the pae-A1 dump), kernel_gs_base.  Version 1 is 440 bytes.
 */
#define QEMU_CPUSTATE_VERSION	1
#define QEMU_CPUSTATE_CR	392
#define QEMU_CPUSTATE_MIN	(QEMU_CPUSTATE_CR + 5 * 8)

struct note {
	uint32_t type;
	const char *name;	/* not NUL-terminated */
	size_t namelen;		/* n_namesz without trailing NULs */
	const uint8_t *desc;
	uint32_t descsz;
};

struct note_walk {
	const uint8_t *buf;
	size_t len, pos;
	bool big_endian;
};

static uint32_t get32(const uint8_t *p, bool be)
{
	if (be)
		return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		       (uint32_t)p[2] << 8 | p[3];
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[1] << 8 | p[0];
}

static uint64_t get64(const uint8_t *p, bool be)
{
	uint64_t hi = get32(p + (be ? 0 : 4), be);
	uint64_t lo = get32(p + (be ? 4 : 0), be);

	return hi << 32 | lo;
}

static uint64_t pad4(uint64_t n)
{
	return (n + 3) & ~(uint64_t)3;
}

static bool all_zero(const uint8_t *p, size_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

/*
 * The next note of w into *n: NOTE_NEXT, NOTE_END, or an error status
 * (the message only when path is set: walks over d->notes, validated
 * before, pass NULL).  The last note's descriptor may end unpadded at the
 * end of the buffer.
 */
#define NOTE_NEXT	(-2)
#define NOTE_END	PGT_OK

static int next_note(struct note_walk *w, struct note *n, const char *path,
		     uint64_t file_off, struct pgt_err *err)
{
	uint64_t left = w->len - w->pos, namesz, name_end, desc_end;
	const uint8_t *h = w->buf + w->pos;
	unsigned long long at = (unsigned long long)(file_off + w->pos);

	/* a short all-zero tail is padding of the segment, not a note */
	if (left == 0 || (left < NOTE_HDR && all_zero(h, left)))
		return NOTE_END;
	if (left < NOTE_HDR)
		return pgt_fail(path ? err : NULL, PGT_ERR_INPUT,
				"%s: offset 0x%llx: truncated note header: %llu bytes left in the note segment; expected 12 (namesz, descsz, type)",
				path, at, (unsigned long long)left);
	namesz = get32(h, w->big_endian);
	n->descsz = get32(h + 4, w->big_endian);
	n->type = get32(h + 8, w->big_endian);
	name_end = NOTE_HDR + pad4(namesz);
	desc_end = name_end + n->descsz;
	if (name_end > left || desc_end > left)
		return pgt_fail(path ? err : NULL, PGT_ERR_INPUT,
				"%s: offset 0x%llx: note (namesz %llu, descsz %u, type 0x%x) needs 0x%llx bytes but only 0x%llx are left in the note segment",
				path, at, (unsigned long long)namesz,
				n->descsz, n->type,
				(unsigned long long)desc_end,
				(unsigned long long)left);
	n->name = (const char *)h + NOTE_HDR;
	n->namelen = (size_t)namesz;
	while (n->namelen && !n->name[n->namelen - 1])
		n->namelen--;
	n->desc = h + name_end;
	desc_end = pad4(desc_end);
	w->pos += desc_end < left ? (size_t)desc_end : (size_t)left;
	return NOTE_NEXT;
}

static bool name_is(const struct note *n, const char *name)
{
	return n->namelen == strlen(name) && !memcmp(n->name, name, n->namelen);
}

/*
 * s390 register notes: the kernel's s390 crash_dump.c names them "LINUX"
 * (older kernels wrote "CORE" for every note), QEMU writes "LINUX".
 */
static bool is_s390_note(const struct note *n, uint32_t type)
{
	return n->type == type && (name_is(n, "LINUX") || name_is(n, "CORE"));
}

static bool is_prstatus(const struct note *n)
{
	return n->type == NT_PRSTATUS && name_is(n, "CORE");
}

static bool is_qemu_cpu(const struct note *n)
{
	return n->type == 0 && name_is(n, "QEMU");
}

static bool is_vmcoreinfo(const struct note *n)
{
	return n->type == 0 && name_is(n, "VMCOREINFO");
}

/* Bytes of buf that hold notes (the end of the last one), or an error. */
static int validate(const uint8_t *buf, size_t len, bool big_endian,
		    const char *path, uint64_t file_off, size_t *used,
		    struct pgt_err *err)
{
	struct note_walk w = { buf, len, 0, big_endian };
	struct note n;
	int rc;

	*used = 0;
	while ((rc = next_note(&w, &n, path, file_off, err)) == NOTE_NEXT)
		*used = w.pos;
	return rc;
}

/* Grow *p (of *cap elements of size sz) to hold n, doubling. */
static int grow(void **p, size_t *cap, size_t n, size_t sz)
{
	size_t c = *cap ? *cap : 16;
	void *np;

	if (n <= *cap)
		return 0;
	while (c < n)
		c = c > SIZE_MAX / 2 / sz ? n : 2 * c;
	if (c > SIZE_MAX / sz || !(np = realloc(*p, c * sz)))
		return -1;
	*p = np;
	*cap = c;
	return 0;
}

/* Append buf[0, used) to d->notes, padded to 4 so notes stay aligned. */
static int append_notes(struct pgt_dump *d, const uint8_t *buf, size_t used,
			struct pgt_err *err)
{
	size_t padded = (size_t)pad4(used);
	void *p = d->notes;

	if (grow(&p, &d->ns.notes_cap, d->notes_len + padded, 1))
		return pgt_fail(err, PGT_ERR_NOMEM,
				"%s: out of memory for 0x%zx bytes of notes",
				d->path, d->notes_len + padded);
	d->notes = p;
	memcpy(d->notes + d->notes_len, buf, used);
	memset(d->notes + d->notes_len + used, 0, padded - used);
	d->notes_len += padded;
	return PGT_OK;
}

/* How many notes of each per-CPU kind d->notes has from byte from on. */
struct note_counts {
	size_t prstatus, qemu, ctrs, prefix;
};

static void count_cpu_notes(const struct pgt_dump *d, size_t from,
			    struct note_counts *c)
{
	struct note_walk w = { d->notes, d->notes_len, from, d->big_endian };
	struct note n;

	while (next_note(&w, &n, NULL, 0, NULL) == NOTE_NEXT) {
		c->prstatus += is_prstatus(&n);
		c->qemu += is_qemu_cpu(&n);
		c->ctrs += is_s390_note(&n, NT_S390_CTRS);
		c->prefix += is_s390_note(&n, NT_S390_PREFIX);
	}
}

static size_t max4(size_t a, size_t b, size_t c, size_t e)
{
	size_t m = a > b ? a : b;

	m = m > c ? m : c;
	return m > e ? m : e;
}

/*
 * pr_pid.  QEMU up to 9.0 wrote the s390x pr_pid in the host's byte order
 * (target/s390x/arch_dump.c: "pid = id", fixed in 2024 by cpu_to_be32), so
 * the s390x-A1 dump holds 01 00 00 00 for CPU 1.  A value above the
 * kernel's PID_MAX_LIMIT (2^22) that is a valid pid byte-swapped is taken
 * swapped.
 */
#define PID_MAX_LIMIT	0x400000u

static int read_pid(const uint8_t *p, bool be)
{
	uint32_t pid = get32(p, be), swapped = get32(p, !be);

	if (pid > PID_MAX_LIMIT && swapped <= PID_MAX_LIMIT)
		pid = swapped;
	return (int32_t)pid;
}

static void decode_prstatus(struct pgt_dump_cpu *c, const struct note *n,
			    bool be, bool s390)
{
	c->has_prstatus = true;
	c->prstatus_size = n->descsz;
	if (n->descsz == PRSTATUS_I386_SIZE) {
		c->pid = read_pid(n->desc + PRSTATUS_I386_PID, be);
	} else if (n->descsz == PRSTATUS_64_SIZE) {
		c->pid = read_pid(n->desc + PRSTATUS_64_PID, be);
		if (s390) {
			c->psw_mask = get64(n->desc + PRSTATUS_S390X_PSW, be);
			c->psw_addr = get64(n->desc + PRSTATUS_S390X_PSW + 8,
					    be);
			c->has_psw = true;
		}
	}
}

/* A QEMUCPUState of another version or size is left undecoded. */
static void decode_qemu_cpu(struct pgt_dump_cpu *c, const struct note *n,
			    bool be)
{
	uint32_t version, size;
	int i;

	if (n->descsz < QEMU_CPUSTATE_MIN)
		return;
	version = get32(n->desc, be);
	size = get32(n->desc + 4, be);
	if (version != QEMU_CPUSTATE_VERSION || size < QEMU_CPUSTATE_MIN ||
	    size > n->descsz)
		return;
	for (i = 0; i < 5; i++)
		c->x86_cr[i] = get64(n->desc + QEMU_CPUSTATE_CR + 8 * i, be);
	c->has_x86_cr = true;
}

/* 16 control registers: 8 bytes each on s390x, 4 on 31-bit s390. */
static void decode_s390_ctrs(struct pgt_dump_cpu *c, const struct note *n,
			     bool be)
{
	int i;

	if (n->descsz != 16 * 8 && n->descsz != 16 * 4)
		return;
	for (i = 0; i < 16; i++)
		c->s390_cr[i] = n->descsz == 16 * 8 ?
				get64(n->desc + 8 * i, be) :
				get32(n->desc + 4 * i, be);
	c->has_s390_cr = true;
}

static void decode_s390_prefix(struct pgt_dump_cpu *c, const struct note *n,
			       bool be)
{
	if (n->descsz != 4)
		return;
	c->s390_prefix = get32(n->desc, be);
	c->has_s390_prefix = true;
}

/* Decode the notes of d->notes from byte from on into d->cpu, the k-th
 * note of a kind into CPU k (k going on from *k). */
static void decode_cpus(struct pgt_dump *d, size_t from,
			struct note_counts *k, bool s390)
{
	struct note_walk w = { d->notes, d->notes_len, from, d->big_endian };
	struct pgt_dump_cpu *cpu = d->cpu;
	bool be = d->big_endian;
	struct note n;

	while (next_note(&w, &n, NULL, 0, NULL) == NOTE_NEXT) {
		if (is_prstatus(&n))
			decode_prstatus(&cpu[k->prstatus++], &n, be, s390);
		else if (is_qemu_cpu(&n))
			decode_qemu_cpu(&cpu[k->qemu++], &n, be);
		else if (is_s390_note(&n, NT_S390_CTRS))
			decode_s390_ctrs(&cpu[k->ctrs++], &n, be);
		else if (is_s390_note(&n, NT_S390_PREFIX))
			decode_s390_prefix(&cpu[k->prefix++], &n, be);
	}
}

/* The CPUs of the notes from byte from on, after those decoded before. */
static int add_cpus(struct pgt_dump *d, size_t from, struct pgt_err *err)
{
	struct note_counts k = { d->ns.prstatus, d->ns.qemu, d->ns.ctrs,
				 d->ns.prefix }, c = k;
	size_t n, i, first = (size_t)d->ncpus;
	/* the PSW sits in NT_PRSTATUS only on s390; its notes tell too,
	 * for a caller that does not know e_machine */
	bool s390;
	void *p = d->cpu;

	count_cpu_notes(d, from, &c);
	n = max4(c.prstatus, c.qemu, c.ctrs, c.prefix);
	s390 = d->elf_machine == EM_S390_NUM || c.ctrs || c.prefix;
	if (n > (size_t)INT32_MAX)
		return pgt_fail(err, PGT_ERR_LIMIT,
				"%s: %zu CPU notes; at most %d CPUs are supported",
				d->path, n, INT32_MAX);
	if (grow(&p, &d->ns.cpu_cap, n, sizeof(*d->cpu)))
		return pgt_fail(err, PGT_ERR_NOMEM,
				"%s: out of memory for %zu CPUs", d->path, n);
	d->cpu = p;
	/* s390 told only now: the NT_PRSTATUS before need their PSW (once) */
	if (s390 && !d->ns.s390 && k.prstatus) {
		memset(&k, 0, sizeof(k));
		from = 0;
		first = 0;
	}
	for (i = first; i < n; i++) {
		memset(&d->cpu[i], 0, sizeof(d->cpu[i]));
		d->cpu[i].pid = -1;
	}
	decode_cpus(d, from, &k, s390);
	d->ns.prstatus = k.prstatus;
	d->ns.qemu = k.qemu;
	d->ns.ctrs = k.ctrs;
	d->ns.prefix = k.prefix;
	d->ns.s390 = s390;
	d->ncpus = (int)n;
	return PGT_OK;
}

/* The first VMCOREINFO note's text, when d has none yet. */
static int take_vmcoreinfo(struct pgt_dump *d, size_t from,
			   struct pgt_err *err)
{
	struct note_walk w = { d->notes, d->notes_len, from, d->big_endian };
	struct note n;

	if (d->vmcoreinfo)
		return PGT_OK;
	while (next_note(&w, &n, NULL, 0, NULL) == NOTE_NEXT)
		if (is_vmcoreinfo(&n))
			return pgt_dump_set_vmcoreinfo(d, (const char *)n.desc,
						       n.descsz, err);
	return PGT_OK;
}

int pgt_dump_parse_notes(struct pgt_dump *d, const uint8_t *buf, size_t len,
			 bool big_endian, uint64_t file_off,
			 struct pgt_err *err)
{
	size_t used, from = d->notes_len;
	int rc;

	if (d->notes_len && big_endian != d->big_endian)
		return pgt_fail(err, PGT_ERR_INPUT,
				"%s: offset 0x%llx: notes in %s byte order after notes in %s byte order",
				d->path, (unsigned long long)file_off,
				big_endian ? "big-endian" : "little-endian",
				d->big_endian ? "big-endian" : "little-endian");
	rc = validate(buf, len, big_endian, d->path, file_off, &used, err);
	if (rc || !used)
		return rc;	/* padding only: no note to decode */
	rc = append_notes(d, buf, used, err);
	if (rc)
		return rc;
	d->big_endian = big_endian;
	rc = add_cpus(d, from, err);
	if (rc)
		return rc;
	return take_vmcoreinfo(d, from, err);
}

int pgt_dump_set_vmcoreinfo(struct pgt_dump *d, const char *text, size_t len,
			    struct pgt_err *err)
{
	const char *nul = memchr(text, '\0', len);
	size_t n = nul ? (size_t)(nul - text) : len;
	char *copy = malloc(n + 1);

	if (!copy)
		return pgt_fail(err, PGT_ERR_NOMEM,
				"%s: out of memory for 0x%zx bytes of VMCOREINFO",
				d->path, n);
	memcpy(copy, text, n);
	copy[n] = '\0';
	free(d->vmcoreinfo);
	d->vmcoreinfo = copy;
	d->vmcoreinfo_len = n;
	return PGT_OK;
}

const char *pgt_vmcoreinfo_get(const struct pgt_dump *d, const char *key,
			       char *buf, size_t len)
{
	size_t klen = strlen(key);
	const char *line = d->vmcoreinfo;

	if (!line || !len)
		return NULL;
	while (*line) {
		const char *eol = strchr(line, '\n');
		size_t llen = eol ? (size_t)(eol - line) : strlen(line);

		if (llen > klen && line[klen] == '=' &&
		    !memcmp(line, key, klen)) {
			size_t vlen = llen - klen - 1;

			if (vlen > len - 1)
				vlen = len - 1;
			memcpy(buf, line + klen + 1, vlen);
			buf[vlen] = '\0';
			return buf;
		}
		if (!eol)
			break;
		line = eol + 1;
	}
	return NULL;
}
