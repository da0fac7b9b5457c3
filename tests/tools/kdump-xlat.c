/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * kdump-xlat: an independent oracle for the tests (t5030): open a dump
 * with libkdumpfile and translate virtual addresses with libaddrxlat's
 * page-table walk from a given root, as a debugger built on them would.
 *
 *   kdump-xlat DUMP ARCH ROOT <VAS
 *
 * ARCH is libkdumpfile's name ("ia32", "s390x"), ROOT the root as the CPU
 * holds it: a PAE CR3 (the PDPT's address), an s390x ASCE (the top table's
 * origin, its designation type DT in bits 60-61 telling how many levels
 * the walk has: z/Architecture PoP, "Address-Space-Control Element").
 * The walk's paging form is set here (libaddrxlat's PTE format and the
 * split of an address), not taken from the dump: libaddrxlat reads the
 * tables, pgtctl only wrote them.
 * Each line of standard input holds one VA (0x hex); each line of output is
 * "VA PA" for a mapped address or "VA -" for one the walk finds not
 * present, both as 0x and at least 8 hex digits (as pgtctl's --pages).  Any other failure of the walk, or of opening
 * the dump, is a message on standard error and exit status 1 (2: usage).
 * Built only when configure finds libkdumpfile (pkg-config).
 */
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libkdumpfile/kdumpfile.h>
#include <libkdumpfile/addrxlat.h>

static int set_string(kdump_ctx_t *ctx, const char *key, const char *val)
{
	kdump_attr_t a;

	a.type = KDUMP_STRING;
	a.val.string = val;
	return kdump_set_attr(ctx, key, &a) != KDUMP_OK;
}

int main(int argc, char **argv)
{
	addrxlat_ctx_t *xctx;
	addrxlat_sys_t *xsys;	/* unused: the method is ours */
	addrxlat_meth_t meth;
	uint64_t root;
	kdump_ctx_t *ctx;
	char line[128];
	int fd;

	if (argc != 4) {
		fprintf(stderr, "usage: %s DUMP ARCH ROOT <VAS\n", argv[0]);
		return 2;
	}
	ctx = kdump_new();
	fd = open(argv[1], O_RDONLY);
	if (!ctx || fd < 0) {
		perror(argv[1]);
		return 1;
	}
	if (set_string(ctx, "arch.name", argv[2]) ||
	    kdump_open_fd(ctx, fd) != KDUMP_OK) {
		fprintf(stderr, "%s: open: %s\n", argv[1], kdump_get_err(ctx));
		return 1;
	}
	/* Linux: what lets libkdumpfile set up its translation context
	 * (the PAE state from VMCOREINFO); it may fail to find more (an
	 * s390x lowcore) without harm here: the walk method is ours */
	set_string(ctx, "addrxlat.ostype", "linux");
	if (kdump_get_addrxlat(ctx, &xctx, &xsys) != KDUMP_OK) {
		fprintf(stderr, "%s: addrxlat: %s\n", argv[1],
			kdump_get_err(ctx));
		return 1;
	}
	memset(&meth, 0, sizeof(meth));
	meth.kind = ADDRXLAT_PGT;
	meth.target_as = ADDRXLAT_MACHPHYSADDR;
	meth.param.pgt.root.as = ADDRXLAT_MACHPHYSADDR;
	root = strtoull(argv[3], NULL, 0);
	meth.param.pgt.root.addr = root;
	if (!strcmp(argv[2], "ia32")) {
		/* PAE: 2 + 9 + 9 index bits and a 12-bit page offset */
		static const unsigned short f[] = { 12, 9, 9, 2 };

		meth.param.pgt.pf.pte_format = ADDRXLAT_PTE_IA32_PAE;
		meth.param.pgt.pf.nfields = 4;
		memcpy(meth.param.pgt.pf.fieldsz, f, sizeof(f));
	} else if (!strcmp(argv[2], "s390x")) {
		/* page offset 12, page index 8, segment and three region
		 * indexes of 11 bits each */
		static const unsigned short f[] = { 12, 8, 11, 11, 11, 11 };
		unsigned dt = (unsigned)(root >> 2) & 3;	/* 0: SGT .. 3: R1 */

		meth.param.pgt.root.addr = root & ~0xfffull;
		meth.param.pgt.pf.pte_format = ADDRXLAT_PTE_S390X;
		meth.param.pgt.pf.nfields = 3 + dt;
		memcpy(meth.param.pgt.pf.fieldsz, f, sizeof(f));
	} else {
		fprintf(stderr, "%s: expected ARCH ia32 or s390x\n", argv[2]);
		return 2;
	}
	while (fgets(line, sizeof(line), stdin)) {
		addrxlat_step_t st;
		addrxlat_status s;
		uint64_t va = strtoull(line, NULL, 0);

		memset(&st, 0, sizeof(st));
		st.ctx = xctx;
		st.sys = NULL;
		st.meth = &meth;
		st.base.as = ADDRXLAT_KVADDR;
		st.base.addr = va;
		s = addrxlat_walk(&st);
		if (s == ADDRXLAT_OK)
			printf("0x%08" PRIx64 " 0x%08" PRIx64 "\n", va,
			       (uint64_t)st.base.addr);
		else if (s == ADDRXLAT_ERR_NOTPRESENT)
			printf("0x%08" PRIx64 " -\n", va);
		else {
			fprintf(stderr, "0x%" PRIx64 ": %s\n", va,
				addrxlat_ctx_get_err(xctx));
			return 1;
		}
		addrxlat_ctx_clear_err(xctx);
	}
	addrxlat_sys_decref(xsys);
	addrxlat_ctx_decref(xctx);
	kdump_free(ctx);
	return 0;
}
