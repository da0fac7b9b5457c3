/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * host-mm: the host kernel's cost of the bulk operations that
 * tests/bench/gen-bulk.sh asks pgtctl to replay, per PTE.
 *
 *   host-mm [RUNS [SIZE]]      RUNS default 3, SIZE default 1G (K/M/G suffix)
 *
 * Each run: mmap SIZE bytes private anonymous read-write, MADV_NOHUGEPAGE
 * (4 KiB PTEs, as in the replay with thp=never), write one byte to every
 * page (populate), mprotect(PROT_READ) the whole range (protect-ro),
 * mprotect(PROT_READ|PROT_WRITE) back (protect-rw), munmap (unmap).  Each
 * step is timed with CLOCK_MONOTONIC.  The median over the runs, divided
 * by the number of pages, is printed on stdout as TSV lines
 *
 *   host<TAB>OP<TAB>NS_PER_PTE
 *
 * after a '#' header line naming the columns.  Diagnostics go to stderr.
 * Exit status: 0 success, 2 usage error, 1 a system call failed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

enum { OP_POPULATE, OP_PROTECT_RO, OP_PROTECT_RW, OP_UNMAP, OP__COUNT };

static const char *const op_names[OP__COUNT] = {
	"populate", "protect-ro", "protect-rw", "unmap",
};

#define MAX_RUNS 1000

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int parse_size(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;
	unsigned shift = 0;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno)
		return -1;
	switch (*end) {
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	case 't': case 'T': shift = 40; end++; break;
	default: break;
	}
	if (*end || v == 0 || v > (UINT64_MAX >> shift))
		return -1;
	*out = (uint64_t)v << shift;
	return 0;
}

/* AnonHugePages of the mapping at addr, from /proc/self/smaps, in KiB;
 * -1 when it cannot be read */
static long anon_huge_kib(const void *addr)
{
	char line[512], want[32];
	long kib = -1;
	int in = 0;
	FILE *f = fopen("/proc/self/smaps", "r");

	if (!f)
		return -1;
	snprintf(want, sizeof(want), "%lx-", (unsigned long)(uintptr_t)addr);
	while (fgets(line, sizeof(line), f)) {
		/* a VMA line: "START-END perms ..." */
		size_t h = strspn(line, "0123456789abcdef");

		if (h > 0 && line[h] == '-') {
			in = !strncmp(line, want, strlen(want));
			continue;
		}
		if (in && !strncmp(line, "AnonHugePages:", 14)) {
			kib = strtol(line + 14, NULL, 10);
			break;
		}
	}
	fclose(f);
	return kib;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

static uint64_t median(uint64_t *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_u64);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int main(int argc, char **argv)
{
	static uint64_t ns[OP__COUNT][MAX_RUNS];
	uint64_t size = 1ull << 30, npages, t0, t1, i;
	long pagesz = sysconf(_SC_PAGESIZE);
	int runs = 3, r, k;

	if (argc > 3 || (argc > 1 && !strcmp(argv[1], "--help"))) {
		fprintf(stderr, "usage: host-mm [RUNS [SIZE]]\n");
		return 2;
	}
	if (argc > 1) {
		char *end;
		long v = strtol(argv[1], &end, 10);

		if (*argv[1] == '\0' || *end || v < 1 || v > MAX_RUNS) {
			fprintf(stderr, "host-mm: bad RUNS '%s'; expected 1 to %d\n",
				argv[1], MAX_RUNS);
			return 2;
		}
		runs = (int)v;
	}
	if (argc > 2 && parse_size(argv[2], &size)) {
		fprintf(stderr, "host-mm: bad SIZE '%s'; expected a number with an optional K/M/G/T suffix\n",
			argv[2]);
		return 2;
	}
	if (pagesz <= 0 || size % (uint64_t)pagesz) {
		fprintf(stderr, "host-mm: SIZE %" PRIu64 " is not a multiple of the page size %ld\n",
			size, pagesz);
		return 2;
	}
	npages = size / (uint64_t)pagesz;
	if (pagesz != 4096)
		fprintf(stderr, "host-mm: warning: page size is %ld, not 4096\n", pagesz);

	for (r = 0; r < runs; r++) {
		volatile char *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
					MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED) {
			perror("host-mm: mmap");
			return 1;
		}
		if (madvise((void *)p, size, MADV_NOHUGEPAGE))
			perror("host-mm: warning: madvise(MADV_NOHUGEPAGE)");

		t0 = now_ns();
		for (i = 0; i < npages; i++)
			p[i * (uint64_t)pagesz] = 1;
		t1 = now_ns();
		ns[OP_POPULATE][r] = t1 - t0;

		if (r == 0) {
			long huge = anon_huge_kib((const void *)p);

			if (huge > 0)
				fprintf(stderr, "host-mm: warning: %ld KiB of the mapping are huge pages despite MADV_NOHUGEPAGE\n",
					huge);
		}

		t0 = now_ns();
		if (mprotect((void *)p, size, PROT_READ)) {
			perror("host-mm: mprotect(PROT_READ)");
			return 1;
		}
		t1 = now_ns();
		ns[OP_PROTECT_RO][r] = t1 - t0;

		t0 = now_ns();
		if (mprotect((void *)p, size, PROT_READ | PROT_WRITE)) {
			perror("host-mm: mprotect(PROT_READ|PROT_WRITE)");
			return 1;
		}
		t1 = now_ns();
		ns[OP_PROTECT_RW][r] = t1 - t0;

		t0 = now_ns();
		if (munmap((void *)p, size)) {
			perror("host-mm: munmap");
			return 1;
		}
		t1 = now_ns();
		ns[OP_UNMAP][r] = t1 - t0;
	}

	printf("# source\top\tns_per_pte\n");
	for (k = 0; k < OP__COUNT; k++)
		printf("host\t%s\t%.3f\n", op_names[k],
		       (double)median(ns[k], runs) / (double)npages);
	return ferror(stdout) || fflush(stdout) ? 1 : 0;
}
