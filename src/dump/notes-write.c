/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * ELF notes written: the encoding notes.c reads (a 12-byte header of
 * namesz, descsz and type in the dump's byte order, the name and the
 * descriptor each padded to 4 bytes).  What a note holds is the arch's
 * business (discover.h, write_cpu_notes): `replay --save-tables` hands
 * pgt_note_buf_put to it so that a replayed state's roots are found as a
 * real dump's are.
 */
#include <stdlib.h>
#include <string.h>
#include "dump.h"

#define NOTE_HDR 12

static size_t pad4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

static void put32(uint8_t *p, uint32_t v, bool be)
{
	int i;

	for (i = 0; i < 4; i++)
		p[be ? 3 - i : i] = (uint8_t)(v >> (8 * i));
}

int pgt_note_buf_put(void *ctx, const char *name, uint32_t type,
		     const void *desc, uint32_t size)
{
	struct pgt_note_buf *b = ctx;
	size_t namesz = strlen(name) + 1;
	size_t need = NOTE_HDR + pad4(namesz) + pad4(size);
	uint8_t *h;

	if (b->len + need > b->cap) {
		size_t cap = b->cap ? b->cap : 1024;
		uint8_t *p;

		while (cap < b->len + need)
			cap *= 2;
		if (!(p = realloc(b->p, cap)))
			return -1;
		b->p = p;
		b->cap = cap;
	}
	h = b->p + b->len;
	memset(h, 0, need);
	put32(h, (uint32_t)namesz, b->big_endian);
	put32(h + 4, size, b->big_endian);
	put32(h + 8, type, b->big_endian);
	memcpy(h + NOTE_HDR, name, namesz - 1);
	memcpy(h + NOTE_HDR + pad4(namesz), desc, size);
	b->len += need;
	return 0;
}
