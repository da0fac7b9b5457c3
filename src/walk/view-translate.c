/* SPDX-License-Identifier: GPL-3.0-or-later */
/* translate: one address, every level (like crash's vtop). */
#include <inttypes.h>
#include "view.h"

int pgt_view_translate(FILE *out, enum pgt_format fmt,
		       const struct pgt_view_src *src, uint64_t va,
		       struct pgt_err *err)
{
	const struct pgt_arch *a = src->arch;
	struct pgt_xlate x;
	char fl[8], desc[160];
	int i, rc;

	rc = pgt_translate(a, src->mem, src->root, va, &x, err);
	if (rc)
		return rc;
	pgt_flags_str(x.flags, fl);
	if (fmt == PGT_FMT_JSON) {
		fprintf(out, "{\"va\": \"0x%" PRIx64 "\", \"root\": \"0x%" PRIx64 "\", \"steps\": [",
			va, src->root);
		for (i = 0; i < x.nsteps; i++) {
			struct pgt_xlate_step *s = &x.step[i];

			a->entry_describe(s->level, s->raw, desc, sizeof(desc));
			fprintf(out, "%s{\"level\": \"%s\", \"table\": \"0x%" PRIx64
				"\", \"index\": %u, \"entry\": \"0x%" PRIx64 "\", \"raw\": \"0x%016" PRIx64 "\", \"decoded\": ",
				i ? ", " : "", a->levels[s->level].lname, s->table,
				s->index, s->slot, s->raw);
			pgt_json_str(out, desc);
			fputc('}', out);
		}
		if (x.mapped)
			fprintf(out, "], \"pa\": \"0x%" PRIx64 "\", \"flags\": \"%s\"}\n",
				x.pa, fl);
		else {
			fputs("], \"pa\": null, \"why\": ", out);
			pgt_json_str(out, x.why);
			fputs("}\n", out);
		}
		return PGT_OK;
	}
	if (fmt == PGT_FMT_TSV) {
		for (i = 0; i < x.nsteps; i++) {
			struct pgt_xlate_step *s = &x.step[i];

			a->entry_describe(s->level, s->raw, desc, sizeof(desc));
			fprintf(out, "0x%" PRIx64 "\t%s\t0x%" PRIx64 "\t%u\t0x%" PRIx64 "\t0x%016" PRIx64 "\t%s\n",
				va, a->levels[s->level].lname, s->table,
				s->index, s->slot, s->raw, desc);
		}
		if (x.mapped)
			fprintf(out, "0x%" PRIx64 "\tpage\t0x%" PRIx64 "\t\t\t\t%s\n",
				va, x.pa, fl);
		return PGT_OK;
	}
	fprintf(out, "VIRTUAL 0x%" PRIx64 " (root 0x%" PRIx64 ")\n", va, src->root);
	for (i = 0; i < x.nsteps; i++) {
		struct pgt_xlate_step *s = &x.step[i];

		a->entry_describe(s->level, s->raw, desc, sizeof(desc));
		fprintf(out, "  %-4s %-4s table 0x%09" PRIx64 " [%4u] at 0x%09" PRIx64 " = 0x%016" PRIx64 "  %s\n",
			a->levels[s->level].name, a->levels[s->level].lname,
			s->table, s->index, s->slot, s->raw, desc);
	}
	if (x.mapped) {
		uint8_t byte;

		fprintf(out, "  PAGE 0x%" PRIx64 "  %s", x.pa, fl);
		if (src->data_check && src->mem->read(src->mem, x.pa, &byte, 1))
			fputs("  (data not in this dump)", out);
		fputc('\n', out);
	} else
		fprintf(out, "  not mapped: %s\n", x.why ? x.why : "?");
	return PGT_OK;
}
