/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Drawing the progress the library reports (struct pgt_progress) on
 * stderr: one line, rewritten in place with \r, only when stderr is a
 * terminal, the user did not ask for --quiet, and the work has gone on
 * for a while (1 s; PGTCTL_PROGRESS_DELAY=SECONDS changes it, 0 for
 * the tests).  The line is cleared before anything else goes to stderr
 * and at the end, so that it never stays in a message or a log.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../lib/clock.h"
#include "commands.h"

#define REDRAW_SECONDS 0.1	/* at most ten lines a second */

static double progress_delay(void)
{
	const char *v = getenv("PGTCTL_PROGRESS_DELAY");
	char *end;
	double d;

	if (!v || !*v)
		return 1.0;
	d = strtod(v, &end);
	return *end || d < 0 || d > 3600 ? 1.0 : d;
}

void cli_progress_start(struct cli_progress *p, const char *cmd,
			const char *what, bool quiet)
{
	memset(p, 0, sizeof(*p));
	p->cmd = cmd;
	p->what = what;
	p->on = !quiet && isatty(STDERR_FILENO);
	p->start = pgt_now();
	p->delay = progress_delay();
}

void cli_progress_draw(void *arg, uint64_t done, uint64_t total)
{
	struct cli_progress *p = arg;
	double now;
	int n;

	if (!p->on)
		return;
	now = pgt_now();
	if (now - p->start < p->delay ||
	    (p->width && now - p->last < REDRAW_SECONDS))
		return;
	p->last = now;
	if (total)
		n = fprintf(stderr, "\rpgtctl: %s: %s %3u%% (%.0f s)", p->cmd,
			    p->what, (unsigned)(done >= total ? 100 :
						done * 100 / total),
			    now - p->start);
	else
		n = fprintf(stderr, "\rpgtctl: %s: %s %.1f MB (%.0f s)",
			    p->cmd, p->what, (double)done / 1e6,
			    now - p->start);
	/* a shorter line than the last: blank the rest */
	if (n > 0 && n - 1 < p->width)
		fprintf(stderr, "%*s", p->width - (n - 1), "");
	if (n > 0 && n - 1 > p->width)
		p->width = n - 1;
	fflush(stderr);
}

void cli_progress_clear(struct cli_progress *p)
{
	if (!p->width)
		return;
	fprintf(stderr, "\r%*s\r", p->width, "");
	fflush(stderr);
	p->width = 0;
}
