/* SPDX-License-Identifier: GPL-3.0-or-later */
#ifndef PGT_OPTIONS_H
#define PGT_OPTIONS_H

#include <stdbool.h>

/* on/off (also yes/no, 1/0): 0, or -1 for anything else */
int pgt_parse_on_off(const char *val, bool *out);

#endif
