/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * An independent oracle for pgtctl's x86 walks: translate virtual
 * addresses with libaddrxlat (libkdumpfile) through the page tables of a
 * dump, from a given root table and paging form.
 *
 *   addrxlat-check DUMP FORM ROOT < VAs
 *
 * FORM: x86_64-4 (4-level), x86_64-5 (5-level), ia32 (2-level), ia32-pae.
 * One VA per input line (hex); one output line each: "VA PA", or "VA -"
 * when the hardware walk finds no page (not present), or "VA ! message"
 * on any other error.  Built only when configure finds libaddrxlat.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libkdumpfile/kdumpfile.h>
#include <libkdumpfile/addrxlat.h>

static int form(const char *name, addrxlat_paging_form_t *pf)
{
	static const struct {
		const char *name;
		addrxlat_pte_format_t fmt;
		unsigned short n, sz[7];
	} forms[] = {
		{ "x86_64-4", ADDRXLAT_PTE_X86_64, 5, { 12, 9, 9, 9, 9 } },
		{ "x86_64-5", ADDRXLAT_PTE_X86_64, 6, { 12, 9, 9, 9, 9, 9 } },
		{ "ia32", ADDRXLAT_PTE_IA32, 3, { 12, 10, 10 } },
		{ "ia32-pae", ADDRXLAT_PTE_IA32_PAE, 4, { 12, 9, 9, 2 } },
	};
	size_t i;

	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++)
		if (!strcmp(name, forms[i].name)) {
			memset(pf, 0, sizeof(*pf));
			pf->pte_format = forms[i].fmt;
			pf->nfields = forms[i].n;
			memcpy(pf->fieldsz, forms[i].sz, sizeof(forms[i].sz));
			return 0;
		}
	return -1;
}

/* libaddrxlat reads the tables through this: a page of the dump's
 * physical memory, read by libkdumpfile (no OS-level set-up needed).
 * The library keeps a few pages at once: each gets its own buffer. */
#define PAGE 4096u

static void put_page(const addrxlat_buffer_t *buf)
{
	free(buf->priv);
}

static addrxlat_status get_page(const addrxlat_cb_t *cb,
				addrxlat_buffer_t *buf)
{
	kdump_ctx_t *ctx = cb->priv;
	size_t len = PAGE;
	void *page;

	buf->addr.addr &= ~(addrxlat_addr_t)(PAGE - 1);
	if (buf->addr.as != ADDRXLAT_MACHPHYSADDR || !(page = malloc(PAGE)))
		return ADDRXLAT_ERR_NODATA;
	if (kdump_read(ctx, KDUMP_MACHPHYSADDR, buf->addr.addr, page, &len) ||
	    len != PAGE) {
		free(page);
		return ADDRXLAT_ERR_NODATA;
	}
	buf->ptr = page;
	buf->priv = page;
	buf->size = PAGE;
	buf->byte_order = ADDRXLAT_LITTLE_ENDIAN;
	buf->put_page = put_page;
	return ADDRXLAT_OK;
}

static unsigned long read_caps(const addrxlat_cb_t *cb)
{
	(void)cb;
	return ADDRXLAT_CAPS(ADDRXLAT_MACHPHYSADDR);
}

int main(int argc, char **argv)
{
	kdump_ctx_t *ctx;
	addrxlat_ctx_t *xctx;
	addrxlat_meth_t meth;
	addrxlat_cb_t *cb;
	char line[128];
	int fd;

	if (argc != 4) {
		fprintf(stderr, "usage: %s DUMP FORM ROOT < VAs\n", argv[0]);
		return 2;
	}
	memset(&meth, 0, sizeof(meth));
	meth.kind = ADDRXLAT_PGT;
	meth.target_as = ADDRXLAT_MACHPHYSADDR;
	meth.param.pgt.root.as = ADDRXLAT_MACHPHYSADDR;
	meth.param.pgt.root.addr = strtoull(argv[3], NULL, 0);
	if (form(argv[2], &meth.param.pgt.pf)) {
		fprintf(stderr, "%s: unknown form %s\n", argv[0], argv[2]);
		return 2;
	}
	ctx = kdump_new();
	fd = open(argv[1], O_RDONLY);
	if (!ctx || fd < 0 || kdump_open_fd(ctx, fd)) {
		fprintf(stderr, "%s: %s: %s\n", argv[0], argv[1],
			ctx ? kdump_get_err(ctx) : "out of memory");
		return 1;
	}
	xctx = addrxlat_ctx_new();
	if (!xctx || !(cb = addrxlat_ctx_add_cb(xctx))) {
		fprintf(stderr, "%s: out of memory\n", argv[0]);
		return 1;
	}
	cb->priv = ctx;
	cb->get_page = get_page;
	cb->read_caps = read_caps;
	while (fgets(line, sizeof(line), stdin)) {
		unsigned long long va = strtoull(line, NULL, 16);
		addrxlat_step_t st;
		addrxlat_status s;

		memset(&st, 0, sizeof(st));
		st.ctx = xctx;
		st.sys = NULL;
		st.meth = &meth;
		st.base.as = ADDRXLAT_KVADDR;
		st.base.addr = va;
		s = addrxlat_walk(&st);
		if (s == ADDRXLAT_OK)
			printf("0x%llx 0x%llx\n", va, (unsigned long long)st.base.addr);
		else if (s == ADDRXLAT_ERR_NOTPRESENT)
			printf("0x%llx -\n", va);
		else
			printf("0x%llx ! %s\n", va, addrxlat_ctx_get_err(xctx));
		addrxlat_ctx_clear_err(xctx);
	}
	addrxlat_ctx_decref(xctx);
	close(fd);
	kdump_free(ctx);
	return 0;
}
