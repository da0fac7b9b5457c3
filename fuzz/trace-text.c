/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Harness: the text trace reader, the replay of what it reads through the
 * engine (at most FUZZ_MAX_OPS operations, FUZZ_MAX_HOST_MEM of simulated
 * tables: a valid trace of a million operations or a terabyte populate
 * stays within libFuzzer's time and memory) and every view of the state
 * it reaches, rendered into /dev/null.
 */
#include "fuzz.h"
#include "trace/trace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* CBOR traces have their own harness (trace-cbor.c) */
	if (size && data[0] == PGT_CBOR_FIRST_BYTE)
		return 0;
	fuzz_replay(data, size);
	return 0;
}
