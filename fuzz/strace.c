/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Harness: the strace importer (src/trace/import.h), its trace written
 * into /dev/null, for each arch and populate policy (chosen by the
 * input's length).  Bounded by the input: the importer's searches are
 * logarithmic and it keeps one record per live mapping.
 */
#include <unistd.h>
#include "fuzz.h"
#include "arch/arch.h"
#include "trace/import.h"

/* the number the log starts with ("1234 mmap(..."), else 1 */
static long first_pid(const uint8_t *data, size_t size)
{
	long pid = 0;
	size_t i;

	for (i = 0; i < size && i < 9 && data[i] >= '0' && data[i] <= '9'; i++)
		pid = pid * 10 + (data[i] - '0');
	return pid > 0 ? pid : 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum pgt_populate pop[] = {
		PGT_POPULATE_NONE, PGT_POPULATE_ALL, PGT_POPULATE_WRITES,
	};
	const struct pgt_arch *a;
	struct pgt_import_opts o = { 0 };
	struct pgt_import_stats st;
	struct pgt_err err = { 0 };
	char path[64];
	int fd;

	size_t narch = 0;

	while (pgt_arch_nth(narch))
		narch++;
	a = pgt_arch_nth(size % narch);
	if (!a || !a->mm || !fuzz_devnull())
		return 0;
	fd = fuzz_memfd(data, size, path, sizeof(path));
	if (fd < 0)
		return 0;
	o.arch = a->name;
	o.user_limit = a->user_limit;
	o.limit_note = a->user_limit_note;
	o.populate = pop[(size / 3) % 3];
	/* one input in four: --pid, the pid the log starts with */
	if ((size / 9) % 4 == 0)
		o.pid = first_pid(data, size);
	o.display = "fuzz";
	pgt_import_strace(path, fuzz_devnull(), &o, &st, &err);
	close(fd);
	return 0;
}
