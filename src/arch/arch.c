/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The registry of paging formats and the names of shared enums. */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "arch.h"

static const struct pgt_arch *const arches[] = {
	&pgt_arch_s390x,
	&pgt_arch_s390,
	&pgt_arch_pae,
	&pgt_arch_x86_64,
	&pgt_arch_x86_64_la57,
	&pgt_arch_i386,
};

const struct pgt_arch *pgt_arch_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(arches) / sizeof(arches[0]); i++)
		if (!strcmp(arches[i]->name, name))
			return arches[i];
	return NULL;
}

int pgt_arch_level_find(const struct pgt_arch *a, const char *s)
{
	unsigned i;

	for (i = 0; i < a->nlevels; i++)
		if (!strcasecmp(s, a->levels[i].name) ||
		    !strcasecmp(s, a->levels[i].lname))
			return (int)i;
	return -1;
}

/* the i-th registered format (NULL past the last): for listing them */
const struct pgt_arch *pgt_arch_nth(size_t i)
{
	return i < sizeof(arches) / sizeof(arches[0]) ? arches[i] : NULL;
}

const struct pgt_arch *pgt_arch_default_replay(void)
{
	size_t i;

	for (i = 0; i < sizeof(arches) / sizeof(arches[0]); i++)
		if (arches[i]->mm)
			return arches[i];
	return NULL;
}

/* the names of the registered formats (with replay rules only: replay) */
static const char *names(char *buf, size_t len, const char *q, bool replay)
{
	size_t i, n = 0, k = 0, at = 0;

	for (i = 0; i < sizeof(arches) / sizeof(arches[0]); i++)
		n += !replay || arches[i]->mm;
	buf[0] = 0;
	for (i = 0; i < sizeof(arches) / sizeof(arches[0]) && at < len; i++) {
		if (replay && !arches[i]->mm)
			continue;
		at += (size_t)snprintf(buf + at, len - at, "%s%s%s%s",
				       !k ? "" : k + 1 == n ? " or " : ", ",
				       q, arches[i]->name, q);
		k++;
	}
	return buf;
}

const char *pgt_arch_names(char *buf, size_t len, const char *q)
{
	return names(buf, len, q, false);
}

const char *pgt_arch_replay_names(char *buf, size_t len, const char *q)
{
	return names(buf, len, q, true);
}

static const char *const flush_names[PGT_FL__COUNT] = {
	[PGT_FL_IPTE] = "ipte",
	[PGT_FL_IPTE_LOCAL] = "ipte-local",
	[PGT_FL_IPTE_RANGE] = "ipte-range",
	[PGT_FL_IDTE] = "idte",
	[PGT_FL_IDTE_LOCAL] = "idte-local",
	[PGT_FL_IDTE_ASCE] = "idte-asce",
	[PGT_FL_CSP] = "csp",
	[PGT_FL_PTLB] = "ptlb",
	[PGT_FL_RDP] = "rdp",
	[PGT_FL_RDP_LOCAL] = "rdp-local",
	[PGT_FL_INVLPG] = "invlpg",
	[PGT_FL_FLUSH_ALL] = "flush-all",
	[PGT_FL_FLUSH_GLOBAL] = "flush-global",
	[PGT_FL_IPI] = "ipi",
};

const char *pgt_flush_kind_name(enum pgt_flush_kind k)
{
	return (unsigned)k < PGT_FL__COUNT ? flush_names[k] : "?";
}

static const char *const pstate_names[PGT_PS__COUNT] = {
	[PGT_PS_NONE] = "none",
	[PGT_PS_ZERO] = "zero",
	[PGT_PS_RO] = "ro",
	[PGT_PS_RW] = "rw",
	[PGT_PS_PROTNONE] = "prot-none",
	[PGT_PS_SWAP] = "swap",
	[PGT_PS_HZERO] = "huge-zero",
	[PGT_PS_HRO] = "huge-ro",
	[PGT_PS_HRW] = "huge-rw",
	[PGT_PS_HPROTNONE] = "huge-prot-none",
};

const char *pgt_pstate_name(enum pgt_pstate s)
{
	return (unsigned)s < PGT_PS__COUNT ? pstate_names[s] : "?";
}
