/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * ELF notes of memory dumps: the notes of each CPU and VMCOREINFO.
 *
 * A note is three 4-byte words (n_namesz, n_descsz, n_type) in the dump's
 * byte order, then the name and the descriptor, each padded to 4 bytes
 * (Elf32_Nhdr and Elf64_Nhdr are the same).  The note stream of a dump
 * holds, per CPU, an NT_PRSTATUS ("CORE") and whatever register notes the
 * writer adds for the machine (QEMU's CPU state, s390 control registers
 * ...), plus one VMCOREINFO note ("VMCOREINFO", type 0) with KEY=VALUE
 * lines.  The notes the arches name as per-CPU (and NT_PRSTATUS) are
 * grouped by type: the k-th note of a type belongs to CPU k.  What the registers
 * in them mean is the arch's to say (src/arch, struct pgt_dump_facts):
 * this file only records where each CPU's notes are, and the pid of
 * NT_PRSTATUS, whose place depends only on the word size.
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

#define NOTE_HDR	12

/*
 * struct elf_prstatus by descriptor size (include/linux/elfcore.h: pr_info,
 * pr_cursig, pr_sigpend, pr_sighold, then pr_pid, which follows two longs):
 * 0x90 bytes with 4-byte longs, pr_pid at 24; 0x150 bytes with 8-byte
 * longs, pr_pid at 32.  Checked on the pae-K1 vmcore (pids 0 and 293 at
 * 24) and the s390x-A1 QEMU dump.
 */
#define PRSTATUS_32_SIZE	0x90
#define PRSTATUS_32_PID		24
#define PRSTATUS_64_SIZE	0x150
#define PRSTATUS_64_PID		32

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

static bool is_prstatus(const struct note *n)
{
	return n->type == NT_PRSTATUS && name_is(n, "CORE");
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

/* The kind (index into d->ns.kind) of a per-CPU note, added when new;
 * -1 for a note no arch keeps per CPU and past PGT_DUMP_NOTE_KINDS kinds.
 * A kind is a note type: writers do not agree on names (the s390 kernel
 * once wrote "CORE" where it now writes "LINUX"), and a dump may mix them. */
static int note_kind(struct pgt_dump_note_state *ns, const struct note *n)
{
	size_t i;

	if (!pgt_arch_cpu_note(n->name, n->namelen, n->type))
		return -1;
	for (i = 0; i < ns->nkinds; i++)
		if (ns->kind[i].type == n->type)
			return (int)i;
	if (ns->nkinds == PGT_DUMP_NOTE_KINDS)
		return -1;
	ns->kind[i].type = n->type;
	ns->kind[i].count = 0;
	return (int)ns->nkinds++;
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
			    bool be)
{
	c->has_prstatus = true;
	c->prstatus_size = n->descsz;
	if (n->descsz == PRSTATUS_32_SIZE)
		c->pid = read_pid(n->desc + PRSTATUS_32_PID, be);
	else if (n->descsz == PRSTATUS_64_SIZE)
		c->pid = read_pid(n->desc + PRSTATUS_64_PID, be);
}

/* The CPUs of the notes from byte from on, after those decoded before:
 * the k-th note of a kind goes to CPU k. */
static int add_cpus(struct pgt_dump *d, size_t from, struct pgt_err *err)
{
	struct pgt_dump_note_state *ns = &d->ns;
	struct note_walk w = { d->notes, d->notes_len, from, d->big_endian };
	size_t n = (size_t)d->ncpus, i, k;
	struct note note;
	void *p = d->cpu;
	int kind;

	/* first count, so that d->cpu grows once */
	for (k = 0; k < ns->nkinds; k++)
		ns->kind[k].seen = ns->kind[k].count;
	while (next_note(&w, &note, NULL, 0, NULL) == NOTE_NEXT)
		if ((kind = note_kind(ns, &note)) >= 0 &&
		    ++ns->kind[kind].seen > n)
			n = ns->kind[kind].seen;
	if (n > (size_t)INT32_MAX)
		return pgt_fail(err, PGT_ERR_LIMIT,
				"%s: %zu CPU notes; at most %d CPUs are supported",
				d->path, n, INT32_MAX);
	if (grow(&p, &ns->cpu_cap, n, sizeof(*d->cpu)))
		return pgt_fail(err, PGT_ERR_NOMEM,
				"%s: out of memory for %zu CPUs", d->path, n);
	d->cpu = p;
	for (i = (size_t)d->ncpus; i < n; i++) {
		memset(&d->cpu[i], 0, sizeof(d->cpu[i]));
		d->cpu[i].pid = -1;
	}
	w.pos = from;
	while (next_note(&w, &note, NULL, 0, NULL) == NOTE_NEXT) {
		struct pgt_dump_cpu *c;

		if ((kind = note_kind(ns, &note)) < 0)
			continue;
		c = &d->cpu[ns->kind[kind].count++];
		/* where the note starts in d->notes, + 1 (0: none) */
		c->note[kind] = (size_t)((const uint8_t *)note.name - NOTE_HDR -
					 d->notes) + 1;
		if (is_prstatus(&note))
			decode_prstatus(c, &note, d->big_endian);
	}
	d->ncpus = (int)n;
	return PGT_OK;
}

size_t pgt_dump_cpu_notes(const struct pgt_dump *d, int cpu,
			  struct pgt_cpu_note *v, size_t max)
{
	size_t k, n = 0;

	if (cpu < 0 || cpu >= d->ncpus)
		return 0;
	for (k = 0; k < d->ns.nkinds && n < max; k++) {
		size_t at = d->cpu[cpu].note[k];
		struct note_walk w;
		struct note note;

		if (!at)
			continue;
		w = (struct note_walk){ d->notes, d->notes_len, at - 1,
					d->big_endian };
		if (next_note(&w, &note, NULL, 0, NULL) != NOTE_NEXT)
			continue;
		v[n].name = note.name;
		v[n].namelen = note.namelen;
		v[n].type = note.type;
		v[n].desc = note.desc;
		v[n].size = note.descsz;
		n++;
	}
	return n;
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
