/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Helpers shared by the engine unit tests (t-pae, t-s390): a started
 * engine from "key=val ..." options with --check on, and prot letters.
 * A setup failure is a broken harness: "Bail out!" and exit 99.
 */
#ifndef PGT_TEST_ENGINE_UTIL_H
#define PGT_TEST_ENGINE_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "engine/engine.h"

static inline struct pgt_engine *tu_engine(const char *arch, const char *opts,
					   pgt_event_fn *fn, void *arg)
{
	struct pgt_engine *e;
	struct pgt_err err = { 0 };
	char buf[256], *tok, *save = NULL;

	if (pgt_engine_new(arch, &e, &err)) {
		printf("Bail out! pgt_engine_new: %s\n", err.msg);
		exit(99);
	}
	snprintf(buf, sizeof(buf), "%s", opts ? opts : "");
	for (tok = strtok_r(buf, " ", &save); tok;
	     tok = strtok_r(NULL, " ", &save)) {
		char *eq = strchr(tok, '=');

		if (!eq || (*eq = '\0', pgt_engine_set(e, tok, eq + 1, &err))) {
			printf("Bail out! set %s: %s\n", tok,
			       eq ? err.msg : "expected key=value");
			exit(99);
		}
	}
	e->check = true;
	pgt_engine_on_event(e, fn, arg);
	if (pgt_engine_start(e, &err)) {
		printf("Bail out! pgt_engine_start: %s\n", err.msg);
		exit(99);
	}
	return e;
}

/* "rwx" letters (or "none" / "") to PGT_PROT_* bits */
static inline unsigned tu_prot(const char *s)
{
	unsigned p = 0;

	for (; *s; s++)
		p |= *s == 'r' ? PGT_PROT_R : *s == 'w' ? PGT_PROT_W :
		     *s == 'x' ? PGT_PROT_X : 0;
	return p;
}

#endif
