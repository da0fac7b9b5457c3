/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * pgwork-x86_64.c - deterministic page-table workload for x86-64 dump test data
 * (derived from pgwork-pae.c: same operations, plus regions in other PGD/P4D
 * and PUD slots, one crossing a 1 GiB boundary).
 *
 * Runs as the only real process (child of the busybox /init) in a QEMU guest.
 * Performs a fixed, table-driven sequence of memory operations (variant "A"
 * or "B", chosen by argv[1]) and prints every operation as one
 * machine-readable console line starting with "OP ".  Afterwards it prints
 * its /proc/self/maps ("MAPS " lines), one "PM " line per page of every
 * mapping from /proc/self/pagemap, a consistency re-check ("PMCHECK"),
 * then "READY", and finally spins in a pure user-space loop forever so
 * that a dump taken while the guest is stopped has CR3 = this process.
 *
 * Build: gcc -static -O2 -Wall -o pgwork pgwork-x86_64.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define PG 4096UL

enum optype {
	O_END = 0,
	O_MMAP,      /* addr len prot              */
	O_MADVISE,   /* addr len advice            */
	O_TOUCH,     /* addr len stride write(0/1) */
	O_MPROTECT,  /* addr len prot              */
	O_MUNMAP,    /* addr len                   */
	O_FORK,      /* fork; child sleeps forever */
};

#define R  PROT_READ
#define RW (PROT_READ | PROT_WRITE)
#define NONE PROT_NONE

struct op {
	enum optype type;
	unsigned long addr;
	unsigned long len;
	int prot;          /* mmap/mprotect */
	unsigned long stride; /* touch */
	int write;         /* touch: 1 = write, 0 = read */
	int advice;        /* madvise */
	const char *note;  /* free-text tag printed as note=... */
};

/*
 * Variant A.  Addresses (PDPT slot = VA >> 30):
 *   0x10000000 R1  64 pages rw, fully written, middle mprotect r, hole munmap  (slot 0)
 *   0x20100000 S   4 MiB sparse, every 8th page written, crosses 2 MiB
 *                  boundaries 0x20200000 and 0x20400000                      (slot 0)
 *   0x30000000 N   32 pages PROT_NONE, pages 8..15 -> rw and written           (slot 0)
 *   0x38000000 Z   16 pages rw, read-only touch (zero page), then page 3 written (slot 0)
 *   0x60000000 P1  16 pages rw written                                         (slot 1)
 *   0x60400000 T   2 MiB THP (MADV_HUGEPAGE), one write -> huge PMD            (slot 1)
 *   0x90000000 Q   8 pages PROT_READ, read touch (zero page)                   (slot 2)
 *   0xbf000000 P2  16 pages rw written                                         (slot 2)
 *   fork; parent re-writes R1 pages 0..2, S page at 0x20200000, P1 page 0,
 *   P2 page 15.  THP T is NOT re-written (stays a write-protected huge PMD).
 */
static const struct op variant_a[] = {
	{ O_MMAP,     0x10000000, 64 * PG, RW,   0, 0, 0, "R1" },
	{ O_MADVISE,  0x10000000, 64 * PG, 0,    0, 0, MADV_NOHUGEPAGE, "R1" },
	{ O_TOUCH,    0x10000000, 64 * PG, 0,   PG, 1, 0, "R1-fill" },
	{ O_MPROTECT, 0x10010000, 16 * PG, R,    0, 0, 0, "R1-middle-ro" },
	{ O_MUNMAP,   0x10028000,  8 * PG, 0,    0, 0, 0, "R1-hole" },
	{ O_MMAP,     0x20100000, 0x400000, RW,  0, 0, 0, "S" },
	{ O_MADVISE,  0x20100000, 0x400000, 0,   0, 0, MADV_NOHUGEPAGE, "S" },
	{ O_TOUCH,    0x20100000, 0x400000, 0, 8 * PG, 1, 0, "S-sparse" },
	{ O_MMAP,     0x30000000, 32 * PG, NONE, 0, 0, 0, "N" },
	{ O_MPROTECT, 0x30008000,  8 * PG, RW,   0, 0, 0, "N-part-rw" },
	{ O_TOUCH,    0x30008000,  8 * PG, 0,   PG, 1, 0, "N-part-fill" },
	{ O_MMAP,     0x38000000, 16 * PG, RW,   0, 0, 0, "Z" },
	{ O_MADVISE,  0x38000000, 16 * PG, 0,    0, 0, MADV_NOHUGEPAGE, "Z" },
	{ O_TOUCH,    0x38000000, 16 * PG, 0,   PG, 0, 0, "Z-read-zeropage" },
	{ O_TOUCH,    0x38003000,  1 * PG, 0,   PG, 1, 0, "Z-write-page3" },
	{ O_MMAP,     0x60000000, 16 * PG, RW,   0, 0, 0, "P1" },
	{ O_MADVISE,  0x60000000, 16 * PG, 0,    0, 0, MADV_NOHUGEPAGE, "P1" },
	{ O_TOUCH,    0x60000000, 16 * PG, 0,   PG, 1, 0, "P1-fill" },
	{ O_MMAP,     0x60400000, 0x200000, RW,  0, 0, 0, "T" },
	{ O_MADVISE,  0x60400000, 0x200000, 0,   0, 0, MADV_HUGEPAGE, "T" },
	{ O_TOUCH,    0x60400000, 1 * PG, 0,    PG, 1, 0, "T-thp-fault" },
	{ O_MMAP,     0x90000000,  8 * PG, R,    0, 0, 0, "Q" },
	{ O_MADVISE,  0x90000000,  8 * PG, 0,    0, 0, MADV_NOHUGEPAGE, "Q" },
	{ O_TOUCH,    0x90000000,  8 * PG, 0,   PG, 0, 0, "Q-read-zeropage" },
	{ O_MMAP,     0xbf000000, 16 * PG, RW,   0, 0, 0, "P2" },
	{ O_MADVISE,  0xbf000000, 16 * PG, 0,    0, 0, MADV_NOHUGEPAGE, "P2" },
	{ O_TOUCH,    0xbf000000, 16 * PG, 0,   PG, 1, 0, "P2-fill" },
	{ O_MMAP,     0x3ff00000, 0x200000, RW,  0, 0, 0, "G" },
	{ O_MADVISE,  0x3ff00000, 0x200000, 0,   0, 0, MADV_NOHUGEPAGE, "G" },
	{ O_TOUCH,    0x3ff00000, 0x200000, 0, 16 * PG, 1, 0, "G-cross-1GiB" },
	{ O_MMAP,     0x100000000000UL, 16 * PG, RW, 0, 0, 0, "H1" },
	{ O_MADVISE,  0x100000000000UL, 16 * PG, 0, 0, 0, MADV_NOHUGEPAGE, "H1" },
	{ O_TOUCH,    0x100000000000UL, 16 * PG, 0, PG, 1, 0, "H1-fill" },
	{ O_MMAP,     0x7f0000000000UL, 8 * PG, RW, 0, 0, 0, "H2" },
	{ O_MADVISE,  0x7f0000000000UL, 8 * PG, 0, 0, 0, MADV_NOHUGEPAGE, "H2" },
	{ O_TOUCH,    0x7f0000000000UL, 8 * PG, 0, PG, 1, 0, "H2-fill" },
	{ O_MPROTECT, 0x7f0000004000UL, 4 * PG, R, 0, 0, 0, "H2-upper-ro" },
	{ O_FORK,     0, 0, 0, 0, 0, 0, "cow" },
	{ O_TOUCH,    0x10000000,  3 * PG, 0,   PG, 1, 0, "R1-cow-rewrite" },
	{ O_TOUCH,    0x20200000,  1 * PG, 0,   PG, 1, 0, "S-cow-rewrite" },
	{ O_TOUCH,    0x60000000,  1 * PG, 0,   PG, 1, 0, "P1-cow-rewrite" },
	{ O_TOUCH,    0xbf00f000,  1 * PG, 0,   PG, 1, 0, "P2-cow-rewrite" },
	{ O_TOUCH,    0x100000000000UL, 1 * PG, 0, PG, 1, 0, "H1-cow-rewrite" },
	{ O_END,      0, 0, 0, 0, 0, 0, NULL },
};

static char outbuf[1 << 16];

static const char *protstr(int p)
{
	switch (p) {
	case NONE: return "none";
	case R: return "r";
	case RW: return "rw";
	default: return "?";
	}
}

static void die(const char *what, unsigned long addr)
{
	printf("FAIL %s addr=0x%012lx errno=%d (%s)\n", what, addr, errno,
	       strerror(errno));
	fflush(stdout);
	for (;;)
		pause();
}

static unsigned long seqno;

static void run_op(const struct op *o, const char *variant)
{
	unsigned long a, n = 0;
	volatile uint32_t *w;
	uint32_t sum = 0;
	void *p;
	pid_t pid;

	seqno++;
	switch (o->type) {
	case O_MMAP:
		p = mmap((void *)o->addr, o->len, o->prot,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
		if (p == MAP_FAILED || (unsigned long)p != o->addr)
			die("mmap", o->addr);
		printf("OP %lu mmap addr=0x%012lx len=0x%lx prot=%s flags=private|anon|fixed_noreplace result=0x%012lx note=%s\n",
		       seqno, o->addr, o->len, protstr(o->prot), (unsigned long)p, o->note);
		break;
	case O_MADVISE:
		if (madvise((void *)o->addr, o->len, o->advice))
			die("madvise", o->addr);
		printf("OP %lu madvise addr=0x%012lx len=0x%lx advice=%s note=%s\n",
		       seqno, o->addr, o->len,
		       o->advice == MADV_HUGEPAGE ? "hugepage" : "nohugepage", o->note);
		break;
	case O_TOUCH:
		for (a = o->addr; a < o->addr + o->len; a += o->stride, n++) {
			w = (volatile uint32_t *)a;
			if (o->write) {
				/* word0 = VA of the page, word1 = op seq, word2 = variant,
				 * word3 = magic; rest of page untouched (but the whole
				 * page is of course allocated by the write fault). */
				w[0] = (uint32_t)a;
				w[4] = (uint32_t)(a >> 32);
				w[1] = (uint32_t)seqno;
				w[2] = (uint32_t)variant[0];
				w[3] = 0x50414521; /* "PAE!" kept from pgwork-pae.c */
			} else {
				sum += w[0];
			}
		}
		printf("OP %lu touch addr=0x%012lx len=0x%lx stride=0x%lx write=%d pages=%lu readsum=0x%x note=%s\n",
		       seqno, o->addr, o->len, o->stride, o->write, n, sum, o->note);
		break;
	case O_MPROTECT:
		if (mprotect((void *)o->addr, o->len, o->prot))
			die("mprotect", o->addr);
		printf("OP %lu mprotect addr=0x%012lx len=0x%lx prot=%s note=%s\n",
		       seqno, o->addr, o->len, protstr(o->prot), o->note);
		break;
	case O_MUNMAP:
		if (munmap((void *)o->addr, o->len))
			die("munmap", o->addr);
		printf("OP %lu munmap addr=0x%012lx len=0x%lx note=%s\n",
		       seqno, o->addr, o->len, o->note);
		break;
	case O_FORK:
		fflush(stdout);
		pid = fork();
		if (pid < 0)
			die("fork", 0);
		if (pid == 0) {
			/* child: touch nothing, sleep forever */
			for (;;)
				pause();
		}
		printf("OP %lu fork child_pid=%d parent_pid=%d note=%s\n",
		       seqno, (int)pid, (int)getpid(), o->note);
		break;
	case O_END:
		break;
	}
	fflush(stdout);
}

/* ---- /proc/self/maps + pagemap snapshot ---- */

#define MAXMAPS 128
#define MAXPAGES 16384
static char mapsbuf[32768];
static unsigned long map_start[MAXMAPS], map_end[MAXMAPS];
static char *map_line[MAXMAPS];
static int nmaps;
static uint64_t pm1[MAXPAGES], pm2[MAXPAGES];
static unsigned long pm_va[MAXPAGES];
static int pm_map[MAXPAGES];
static int npages;

static void read_maps(void)
{
	int fd = open("/proc/self/maps", O_RDONLY);
	ssize_t r, tot = 0;
	char *s;

	if (fd < 0)
		die("open maps", 0);
	while ((r = read(fd, mapsbuf + tot, sizeof(mapsbuf) - 1 - tot)) > 0)
		tot += r;
	close(fd);
	mapsbuf[tot] = 0;
	nmaps = 0;
	for (s = mapsbuf; *s && nmaps < MAXMAPS;) {
		char *nl = strchr(s, '\n');
		if (nl)
			*nl = 0;
		map_line[nmaps] = s;
		map_start[nmaps] = strtoul(s, NULL, 16);
		map_end[nmaps] = strtoul(strchr(s, '-') + 1, NULL, 16);
		/* [vsyscall] lies above TASK_SIZE: pagemap has no entries there */
		if (map_start[nmaps] < 0x800000000000UL)
			nmaps++;
		else
			printf("MAPS_SKIP %s\n", s);
		if (!nl)
			break;
		s = nl + 1;
	}
}

static void snapshot(uint64_t *dst)
{
	int fd = open("/proc/self/pagemap", O_RDONLY);
	int i, k = 0;
	unsigned long va;

	if (fd < 0)
		die("open pagemap", 0);
	for (i = 0; i < nmaps; i++) {
		unsigned long np = (map_end[i] - map_start[i]) / PG;
		if (k + np > MAXPAGES)
			die("too many pages", map_start[i]);
		if (pread(fd, &dst[k], np * 8, (off_t)(map_start[i] / PG) * 8) != (ssize_t)(np * 8))
			die("pread pagemap", map_start[i]);
		for (va = map_start[i]; va < map_end[i]; va += PG, k++) {
			pm_va[k] = va;
			pm_map[k] = i;
		}
	}
	npages = k;
	close(fd);
}

/* Write to (and so COW-break / fault in) a generous amount of stack so that
 * later printing does not change the stack's page table entries. */
static void __attribute__((noinline)) pretouch_stack(void)
{
	volatile char buf[48 * 1024];
	unsigned i;

	for (i = 0; i < sizeof(buf); i += 512)
		buf[i] = (char)i;
}

static void print_pm(const char *tag, int k, uint64_t e)
{
	printf("%s va=0x%012lx map=%d present=%d pfn=0x%llx swap=%d file_or_shanon=%d excl=%d softdirty=%d raw=0x%016llx\n",
	       tag, pm_va[k], pm_map[k], (int)((e >> 63) & 1),
	       (e >> 63) & 1 ? (unsigned long long)(e & ((1ULL << 55) - 1)) : 0ULL,
	       (int)((e >> 62) & 1), (int)((e >> 61) & 1), (int)((e >> 56) & 1),
	       (int)((e >> 55) & 1), (unsigned long long)e);
}

int main(int argc, char **argv)
{
	const char *variant = argc > 1 ? argv[1] : "A";
	const struct op *ops = variant_a;
	int i, changed = 0, npresent = 0;

	setvbuf(stdout, outbuf, _IOFBF, sizeof(outbuf));
	printf("BEGIN pgwork variant=%s pid=%d pagesize=%ld\n", variant,
	       (int)getpid(), sysconf(_SC_PAGESIZE));
	fflush(stdout);

	for (; ops->type != O_END; ops++)
		run_op(ops, variant);
	printf("OPS_DONE count=%lu\n", seqno);
	fflush(stdout);

	/* Pre-fault all buffers used from now on (they may be COW-shared with
	 * the child after fork), then read maps, print them (this also
	 * exercises the printf paths once), snapshot pagemap. */
	memset(outbuf, 0, sizeof(outbuf)); /* stdio buffer is empty after fflush */
	memset(mapsbuf, 0, sizeof(mapsbuf));
	memset(pm1, 0, sizeof(pm1));
	memset(pm2, 0, sizeof(pm2));
	memset(pm_va, 0, sizeof(pm_va));
	memset(pm_map, 0, sizeof(pm_map));
	pretouch_stack();
	read_maps();
	for (i = 0; i < nmaps; i++)
		printf("MAPS %d %s\n", i, map_line[i]);
	printf("MAPS_END count=%d\n", nmaps);
	fflush(stdout);
	pretouch_stack();
	snapshot(pm1);
	for (i = 0; i < npages; i++) {
		print_pm("PM", i, pm1[i]);
		npresent += (int)(pm1[i] >> 63);
	}
	printf("PM_END pages=%d present=%d\n", npages, npresent);
	fflush(stdout);
	/* Re-check: anything that changed while printing is reported. */
	snapshot(pm2);
	for (i = 0; i < npages; i++)
		if (pm1[i] != pm2[i]) {
			changed++;
			print_pm("PM2", i, pm2[i]);
		}
	printf("PMCHECK changed=%d\n", changed);
	printf("READY\n");
	fflush(stdout);
	/* Pure user-space busy loop: registers only, no memory, no syscalls. */
	for (;;)
		__asm__ __volatile__("" ::: "memory");
	return 0;
}
