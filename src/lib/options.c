/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Values of "set key=value" options shared by the engine and the arches. */
#include <string.h>
#include "options.h"

int pgt_parse_on_off(const char *val, bool *out)
{
	if (!strcmp(val, "on") || !strcmp(val, "yes") || !strcmp(val, "1"))
		*out = true;
	else if (!strcmp(val, "off") || !strcmp(val, "no") ||
		 !strcmp(val, "0"))
		*out = false;
	else
		return -1;
	return 0;
}
