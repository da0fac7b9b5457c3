/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <string.h>
#include "status.h"

int pgt_vfail(struct pgt_err *err, int status, const char *fmt, va_list ap)
{
	if (err) {
		err->status = status;
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	}
	return status;
}

int pgt_fail(struct pgt_err *err, int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	pgt_vfail(err, status, fmt, ap);
	va_end(ap);
	return status;
}

void pgt_err_prefix(struct pgt_err *err, const char *fmt, ...)
{
	char head[PGT_ERR_MSG_MAX], old[PGT_ERR_MSG_MAX];
	va_list ap;

	if (!err)
		return;
	va_start(ap, fmt);
	vsnprintf(head, sizeof(head), fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof(old));
	/* "head: old", cut at the buffer's end */
	{
		size_t n = 0, i;
		const char *parts[3] = { head, ": ", old };

		for (i = 0; i < 3; i++) {
			size_t len = strlen(parts[i]);

			if (len > sizeof(err->msg) - 1 - n)
				len = sizeof(err->msg) - 1 - n;
			memcpy(err->msg + n, parts[i], len);
			n += len;
		}
		err->msg[n] = '\0';
	}
}

void pgt_err_clear(struct pgt_err *err)
{
	if (err) {
		err->status = PGT_OK;
		err->msg[0] = '\0';
	}
}
