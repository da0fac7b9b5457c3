/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * libFuzzer harnesses over the library (src/libpgt.a), never the CLI.
 * Each harness is one file defining LLVMFuzzerTestOneInput; it is linked
 * either with libFuzzer (./configure --enable-fuzzing: fuzz/fuzz-NAME) or
 * with replay.c, a main() that feeds it the files of fuzz/corpus/NAME
 * (make check: fuzz/replay-NAME), so both run the same code.
 *
 * A harness never prints: views are rendered into /dev/null, errors stay
 * in their struct pgt_err.  Work per input is bounded (see the limits
 * below and in each harness), so that a valid but huge input cannot make
 * the fuzzer time out or run out of memory.
 */
#ifndef PGT_FUZZ_H
#define PGT_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include "render/render.h"
#include "walk/view.h"

/* operations replayed per input: a trace of 2,000 ops already covers
 * every op in every state the seeds reach, and replay time grows with it */
#define FUZZ_MAX_OPS 2000
/* host memory of the simulated tables (the engine's max-host-mem): a
 * populate that fills 64 MiB took 1-12 s under ASan on a loaded machine,
 * 16 MiB covers every table shape at a quarter of that */
#define FUZZ_MAX_HOST_MEM (16ull << 20)
/* events rendered per input: one populate can change millions of
 * entries, each an event */
#define FUZZ_MAX_EVENTS 20000
/* the invariant check walks every table of every mm with the engine's
 * own walker, unbudgeted: only over states up to this much host memory */
#define FUZZ_CHECK_HOST_MEM (4ull << 20)
/* simulated memory (the engine's mem=): the frame array is sized by it */
#define FUZZ_MAX_SIM_MEM (4ull << 30)
/* bytes of page tables one walk may read: walks cost time in proportion
 * to the tables they visit, and a small kdump can decompress to far more
 * tables than its size (pages sharing one compressed copy) */
#define FUZZ_WALK_BYTES (2ull << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* the input as a file: an anonymous memfd, its path in path ("/proc/self/
 * fd/N", for the readers that take a path); -1 when that fails */
int fuzz_memfd(const uint8_t *data, size_t size, char *path, size_t len);
/* /dev/null, opened once: the renderers' output */
FILE *fuzz_devnull(void);
/* a renderer of a format chosen by the input (all four get exercised) */
struct pgt_render *fuzz_render(const uint8_t *data, size_t size,
			       enum pgt_format *fmt);

/* Physical memory that reads through another one until a budget of bytes
 * is spent, then reports every page as not backed: the walk goes on, but
 * its cost is bounded (FUZZ_WALK_BYTES). */
struct fuzz_mem {
	struct pgt_physmem pm;
	struct pgt_physmem *inner;
	uint64_t left;
};
void fuzz_mem_init(struct fuzz_mem *m, struct pgt_physmem *inner,
		   uint64_t budget);

/* Every walk view of src that fmt can show (tree, ranges, pages, walk
 * summary, translate of the nva addresses va[], the leaf iterator), each
 * over a fresh budget. */
void fuzz_views(struct pgt_render *r, enum pgt_format fmt,
		const struct pgt_view_src *src, const uint64_t *va,
		size_t nva);

/* Replay a trace (text or CBOR) through the engine, bounded, and show
 * every view of the result; shared by the two trace harnesses. */
void fuzz_replay(const uint8_t *data, size_t size);

#endif
