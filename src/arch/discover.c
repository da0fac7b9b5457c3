/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The helpers every arch's root discovery shares (discover.h). */
#include <stdlib.h>
#include <string.h>
#include "arch.h"
#include "discover.h"

bool pgt_arch_cpu_note(const char *name, size_t namelen, uint32_t type)
{
	const struct pgt_arch *a;
	size_t i;

	if (type == PGT_NT_PRSTATUS && namelen == 4 && !memcmp(name, "CORE", 4))
		return true;
	for (i = 0; (a = pgt_arch_nth(i)); i++)
		if (a->discover && a->discover->cpu_note &&
		    a->discover->cpu_note(name, namelen, type))
			return true;
	return false;
}

bool pgt_note_name_is(const struct pgt_cpu_note *n, const char *name)
{
	return n->namelen == strlen(name) && !memcmp(n->name, name, n->namelen);
}

bool pgt_facts_cpu_note(const struct pgt_dump_facts *f, int cpu,
			const char *name, uint32_t type,
			struct pgt_cpu_note *out)
{
	struct pgt_cpu_note v[16];
	size_t n = f->cpu_notes ? f->cpu_notes(f->dump, cpu, v, 16) : 0, i;

	for (i = 0; i < n; i++)
		if (v[i].type == type && pgt_note_name_is(&v[i], name)) {
			*out = v[i];
			return true;
		}
	return false;
}

uint32_t pgt_facts_get32(const struct pgt_dump_facts *f, const uint8_t *p)
{
	if (f->big_endian)
		return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		       (uint32_t)p[2] << 8 | p[3];
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[1] << 8 | p[0];
}

uint64_t pgt_facts_get64(const struct pgt_dump_facts *f, const uint8_t *p)
{
	uint64_t hi = pgt_facts_get32(f, p + (f->big_endian ? 0 : 4));
	uint64_t lo = pgt_facts_get32(f, p + (f->big_endian ? 4 : 0));

	return hi << 32 | lo;
}

void pgt_put32(uint8_t *p, uint32_t v, bool big_endian)
{
	int i;

	for (i = 0; i < 4; i++)
		p[big_endian ? 3 - i : i] = (uint8_t)(v >> (8 * i));
}

void pgt_put64(uint8_t *p, uint64_t v, bool big_endian)
{
	pgt_put32(p + (big_endian ? 0 : 4), (uint32_t)(v >> 32), big_endian);
	pgt_put32(p + (big_endian ? 4 : 0), (uint32_t)v, big_endian);
}

bool pgt_facts_vmcoreinfo_has(const struct pgt_dump_facts *f,
			      const char *key, const char *want)
{
	char buf[64];
	const char *v = f->vmcoreinfo ?
			f->vmcoreinfo(f->dump, key, buf, sizeof(buf)) : NULL;

	return v && (!want || !strcmp(v, want));
}

int pgt_dump_roots_add(struct pgt_dump_roots *r,
		       const struct pgt_dump_root *root)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (r->v[i].value == root->value)
			return 0;	/* first source wins; see merge */
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

int pgt_dump_roots_merge(struct pgt_dump_roots *r,
			 const struct pgt_dump_root *n)
{
	struct pgt_dump_root *old = NULL;
	size_t i;

	for (i = 0; i < r->n && !old; i++)
		if (r->v[i].value == n->value)
			old = &r->v[i];
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

void pgt_dump_roots_free(struct pgt_dump_roots *r)
{
	free(r->v);
	memset(r, 0, sizeof(*r));
}
