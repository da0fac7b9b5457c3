/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Harness: the CBOR trace reader, its operations written again by the
 * trace writer (text or CBOR, into /dev/null), and the replay through the
 * engine with every view, bounded as in trace-text.c (FUZZ_MAX_OPS ops
 * read and replayed, FUZZ_MAX_HOST_MEM of simulated tables).
 */
#include <unistd.h>
#include "fuzz.h"
#include "trace/trace.h"

/* read every op (up to the bound) and hand it to a writer */
static void rewrite(const char *path, enum pgt_trace_form form)
{
	struct pgt_trace_reader *r;
	struct pgt_trace_writer *w = NULL;
	struct pgt_err err = { 0 };
	struct pgt_op op;
	unsigned long n;
	int done = 0;

	if (pgt_trace_open(path, &r, &err))
		return;
	if (pgt_trace_writer_open(fuzz_devnull(), "fuzz", form,
				  pgt_trace_header(r), &w, &err))
		w = NULL;
	for (n = 0; n < FUZZ_MAX_OPS && !done; n++) {
		if (pgt_trace_next(r, &op, &done, &err) || done)
			break;
		if (w && pgt_trace_write_op(w, &op, &err))
			break;
	}
	if (w)
		pgt_trace_writer_close(w, &err);
	pgt_trace_close(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64];
	int fd;

	/* text traces have their own harness (trace-text.c) */
	if (!size || data[0] != PGT_CBOR_FIRST_BYTE || !fuzz_devnull())
		return 0;
	fd = fuzz_memfd(data, size, path, sizeof(path));
	if (fd < 0)
		return 0;
	rewrite(path, size % 2 ? PGT_TRACE_TEXT : PGT_TRACE_CBOR);
	close(fd);
	fuzz_replay(data, size);
	return 0;
}
