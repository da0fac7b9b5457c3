/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Arch detection and roots from what a dump's container says, on fake
 * dumps whose memory is a buffer: which facts decide the arch (e_machine,
 * the kdump machine field in any case, CPU notes, VMCOREINFO, CR4.PAE,
 * NT_PRSTATUS's layout), which CR is the user ASCE (PSW problem state:
 * CR1, else CR7; dumps README), the PTI partner of a CR3 and how --root is
 * resolved.
 */
#include <stdlib.h>
#include <string.h>
#include "arch/arch.h"
#include "dump/dump.h"
#include "../lib/tap.h"

#define MEM (256u << 20)	/* pae-K1's swapper_pg_dir is at 0xbe98000 */

static uint8_t *mem;

static int buf_read(struct pgt_physmem *pm, uint64_t pa, void *b, size_t len)
{
	if (pa >= MEM || len > MEM - pa)
		return -1;
	memcpy(b, mem + pa, len);
	return 0;
}

static void put64le(uint64_t pa, uint64_t v)
{
	memcpy(mem + pa, &v, 8);
}

static void put64be(uint64_t pa, uint64_t v)
{
	v = __builtin_bswap64(v);
	memcpy(mem + pa, &v, 8);
}

static struct pgt_dump d;

/* the notes of the fake dump, built here (ELF note layout) and parsed by
 * the dump layer: the arch reads the registers from them */
static uint8_t notes[4096];
static size_t nnotes;
static bool notes_be;

static void st(uint8_t *p, uint64_t v, int bytes)
{
	int i;

	for (i = 0; i < bytes; i++)
		p[notes_be ? bytes - 1 - i : i] = (uint8_t)(v >> (8 * i));
}

static void note(const char *name, uint32_t type, const uint8_t *desc,
		 uint32_t size)
{
	uint32_t namesz = (uint32_t)strlen(name) + 1;
	uint8_t *p = notes + nnotes;

	st(p, namesz, 4);
	st(p + 4, size, 4);
	st(p + 8, type, 4);
	memcpy(p + 12, name, namesz);
	p += 12 + ((namesz + 3) & ~3u);
	memcpy(p, desc, size);
	nnotes += 12 + ((namesz + 3) & ~3u) + ((size + 3) & ~3u);
}

/* QEMUCPUState v1: cr[] at 392 */
static void qemu_cpu(uint64_t cr0, uint64_t cr3, uint64_t cr4)
{
	uint8_t b[440] = { 0 };

	st(b, 1, 4);
	st(b + 4, sizeof(b), 4);
	st(b + 392, cr0, 8);
	st(b + 392 + 24, cr3, 8);
	st(b + 392 + 32, cr4, 8);
	note("QEMU", 0, b, sizeof(b));
}

static void prstatus(uint32_t size, uint64_t psw_mask)
{
	uint8_t b[0x150] = { 0 };

	if (size == 0x150)
		st(b + 112, psw_mask, 8);
	note("CORE", 1, b, size);
}

static void s390_ctrs(uint64_t cr1, uint64_t cr7, uint64_t cr13)
{
	uint8_t b[128] = { 0 };

	st(b + 8, cr1, 8);
	st(b + 56, cr7, 8);
	st(b + 104, cr13, 8);
	note("LINUX", 0x304, b, sizeof(b));
}

/* parse the notes built so far into d's CPUs */
static void notes_done(void)
{
	struct pgt_err err = { 0 };

	if (pgt_dump_parse_notes(&d, notes, nnotes, notes_be, 0, &err)) {
		fprintf(stderr, "notes: %s\n", err.msg);
		exit(99);
	}
}

static void fresh(enum pgt_dump_format f, int machine, const char *kmachine,
		  int ncpus)
{
	(void)ncpus;
	pgt_dump_clear_shared(&d);
	memset(&d, 0, sizeof(d));
	nnotes = 0;
	notes_be = machine == 22;
	free(mem);
	mem = calloc(1, MEM);	/* fresh zero pages, touched only where used */
	if (!mem)
		exit(99);
	d.path = "fake";
	d.format = f;
	d.elf_machine = machine;
	snprintf(d.kdump_machine, sizeof(d.kdump_machine), "%s", kmachine);
	d.pm.read = buf_read;
	d.pm.limit = MEM;
}

static const char *arch_of(struct pgt_err *err)
{
	const struct pgt_arch *a = NULL;
	char how[200];

	memset(err, 0, sizeof(*err));
	if (pgt_dump_detect_arch(&d, NULL, &a, how, sizeof(how), err))
		return NULL;
	return a->name;
}

static uint64_t pick(const char *spec, const struct pgt_arch *a)
{
	struct pgt_dump_roots r = { 0 };
	struct pgt_err err = { 0 };
	uint64_t root = 0;

	pgt_dump_find_roots(&d, a, &r, &err);
	if (pgt_dump_pick_root(&d, a, &r, spec, &root, &err))
		root = ~0ull;
	pgt_dump_roots_free(&r);
	return root;
}

static void test_arch(void)
{
	struct pgt_err err;
	const char *n;

	fresh(PGT_DUMP_ELF, 3, "", 1);
	qemu_cpu(0x80050033, 0, 0x6b0);	/* pae-A1: PAE set */
	notes_done();
	ok((n = arch_of(&err)) && !strcmp(n, "pae"), "EM_386 + CR4.PAE -> pae");
	fresh(PGT_DUMP_ELF, 3, "", 1);
	qemu_cpu(0x80050033, 0, 0x690);
	notes_done();
	ok((n = arch_of(&err)) && !strcmp(n, "i386"),
	   "EM_386 with CR4.PAE clear -> 2-level i386");

	fresh(PGT_DUMP_KDUMP_FLAT, 0, "S390X", 1);
	d.elf_class = 64;
	ok((n = arch_of(&err)) && !strcmp(n, "s390x"),
	   "kdump machine 'S390X' (QEMU's spelling) -> s390x");
	d.elf_class = 32;
	ok((n = arch_of(&err)) && !strcmp(n, "s390"), "s390 with 32-bit header words -> 31-bit s390");

	fresh(PGT_DUMP_KDUMP_FLAT, 0, "", 1);
	prstatus(0x90, 0);
	qemu_cpu(0x80000011, 0, 0x20);
	notes_done();
	ok((n = arch_of(&err)) && !strcmp(n, "pae"),
	   "empty kdump machine, QEMU x86 note, i386 NT_PRSTATUS -> pae");
	fresh(PGT_DUMP_KDUMP_FLAT, 0, "", 1);
	prstatus(0x150, 0);
	qemu_cpu(0x80000011, 0, 0x20);
	notes_done();
	ok((n = arch_of(&err)) && !strcmp(n, "x86-64"),
	   "empty kdump machine, x86-64 NT_PRSTATUS, CR4.LA57 clear -> x86-64 (4-level)");
	fresh(PGT_DUMP_KDUMP_FLAT, 0, "", 1);
	prstatus(0x150, 0);
	qemu_cpu(0x80000011, 0, 0x1020);	/* LA57 (bit 12) */
	notes_done();
	ok((n = arch_of(&err)) && !strcmp(n, "x86-64-la57"),
	   "x86-64 NT_PRSTATUS, CR4.LA57 set -> x86-64-la57 (5-level)");
	fresh(PGT_DUMP_KDUMP, 0, "x86_64", 0);
	pgt_dump_set_vmcoreinfo(&d, "NUMBER(pgtable_l5_enabled)=1\n", 29, NULL);
	ok((n = arch_of(&err)) && !strcmp(n, "x86-64-la57"),
	   "kdump machine x86_64, VMCOREINFO pgtable_l5_enabled=1 -> x86-64-la57");
	fresh(PGT_DUMP_KDUMP, 0, "i686", 0);
	pgt_dump_set_vmcoreinfo(&d, "OSRELEASE=6.1.0-686\n", 20, NULL);
	ok((n = arch_of(&err)) && !strcmp(n, "i386"),
	   "kdump machine i686, VMCOREINFO without CONFIG_X86_PAE=y -> i386");
	fresh(PGT_DUMP_KDUMP, 0, "i686", 0);
	ok(!arch_of(&err) && err.status == PGT_ERR_UNSUPPORTED && strstr(err.msg, "--arch i386"),
	   "kdump machine i686 and nothing else: PAE or 2-level cannot be told");

	fresh(PGT_DUMP_KDUMP_FLAT, 0, "", 1);
	s390_ctrs(0, 0, 0x1290007);
	notes_done();
	d.elf_class = 64;
	ok((n = arch_of(&err)) && !strcmp(n, "s390x"),
	   "empty kdump machine, s390 control-register note -> s390x");

	fresh(PGT_DUMP_KDUMP, 0, "", 0);
	ok(!arch_of(&err) && err.status == PGT_ERR_INPUT && strstr(err.msg, "--arch"),
	   "nothing tells the arch -> an error suggesting --arch");
	fresh(PGT_DUMP_KDUMP, 0, "mips", 0);
	ok(!arch_of(&err) && err.status == PGT_ERR_UNSUPPORTED && strstr(err.msg, "'mips'"),
	   "an unknown kdump machine -> refused, naming it");
	fresh(PGT_DUMP_ELF, 62, "", 0);
	ok((n = arch_of(&err)) && !strcmp(n, "x86-64"), "EM_X86_64 -> x86-64");
}

static void test_s390_roots(void)
{
	const struct pgt_arch *a = pgt_arch_find("s390x");

	fresh(PGT_DUMP_ELF, 22, "", 1);
	/* dumps README: user ASCE in CR1 and CR7, kernel ASCE in CR13 */
	prstatus(0x150, 0x0705200180000000ull);	/* problem state */
	s390_ctrs(0x26941c7, 0x26941c7, 0x1290007);
	notes_done();
	ok(pick(NULL, a) == 0x26941c7, "s390: the default root is the user ASCE");
	ok(pick("kernel", a) == 0x1290007, "s390: --root kernel is CR13");
	ok(pick("cpu0", a) == 0x26941c7, "s390: --root cpu0 is cpu0's user ASCE");

	/* kmode: CR1 holds the kernel ASCE, the user one is in CR7 */
	fresh(PGT_DUMP_ELF, 22, "", 1);
	prstatus(0x150, 0x0404c00180000000ull);	/* supervisor state */
	s390_ctrs(0x1290007, 0x26941c7, 0x1290007);
	notes_done();
	ok(pick("user", a) == 0x26941c7, "s390 in the kernel: the user ASCE comes from CR7");

	/* an origin without DT/TL: typed from the table's entries (TT) */
	put64be(0x2694000, 0x2678007);		/* an R3 entry: TT 01 */
	for (int i = 1; i < 2048; i++)
		put64be(0x2694000 + 8 * i, a->levels[2].empty);
	ok(pick("0x2694000", a) == 0x2694007,
	   "s390: --root ORIGIN takes DT from the entries' TT (region-third, TL 3)");
	ok(pick("0x3000000", a) == ~0ull, "s390: --root ORIGIN of no table is an error");
}

static void test_pae_roots(void)
{
	const struct pgt_arch *a = pgt_arch_find("pae");
	static const char vmci[] = "OSRELEASE=6.1.0-50-686-pae\nSYMBOL(swapper_pg_dir)=cbe98000\nCONFIG_X86_PAE=y\n";

	fresh(PGT_DUMP_KDUMP, 0, "i686", 0);
	pgt_dump_set_vmcoreinfo(&d, vmci, sizeof(vmci) - 1, NULL);
	/* swapper_pg_dir's PDPT at 0xbe98000 (pae-K1): kernel slot only */
	put64le(0xbe98000 + 24, 0xbe94001);
	ok(pick(NULL, a) == 0xbe98000,
	   "PAE, no CR3 anywhere: the default root is swapper_pg_dir - 0xc0000000");
	ok(pick("user", a) == ~0ull, "PAE without registers: --root user is an error");

	/* a CPU's CR3 on a PTI pair: kernel copy 0x1efc000, user +0x1000 */
	fresh(PGT_DUMP_ELF, 3, "", 1);
	qemu_cpu(0x80000011, 0x1efd000, 0x20);	/* the user copy is loaded */
	notes_done();
	put64le(0x1efc000, 0x1ef5001);
	put64le(0x1efc000 + 24, 0x1cf2001);
	put64le(0x1efd000, 0x1ef5021);		/* bit 5 set by QEMU's walker */
	put64le(0x1efd000 + 24, 0x1cf3001);	/* the PTI PMD */
	ok(pick("cpu0", a) == 0x1efd000, "PAE: cpu0 is its CR3");
	ok(pick("cpu0-kernel", a) == 0x1efc000,
	   "PAE PTI: the partner of a user copy is the kernel copy 0x1000 below");
	put64le(0x1efc000, 0x1ee5001);		/* user slots differ: no pair */
	ok(pick("cpu0-kernel", a) == ~0ull, "PAE: no partner when the user slots differ");
	ok(pick("0x22022e0", a) == 0x22022e0, "PAE: --root ADDR is taken as a CR3");
	ok(pick("bogus", a) == ~0ull, "--root bogus is a usage error");
}

int main(void)
{
	test_arch();
	test_s390_roots();
	test_pae_roots();
	pgt_dump_clear_shared(&d);
	free(mem);
	return done_testing();
}
