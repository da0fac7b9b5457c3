/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Names of the views and record kinds (the JSON keys and "type"s). */
#include "record.h"

static const char *const view_names[PGT_VIEW__COUNT] = {
	[PGT_VIEW_OVERVIEW] = "overview",
	[PGT_VIEW_ROOTS] = "roots",
	[PGT_VIEW_TREE] = "tree",
	[PGT_VIEW_RANGES] = "ranges",
	[PGT_VIEW_PAGES] = "pages",
	[PGT_VIEW_EVENTS] = "events",
	[PGT_VIEW_FLUSHES] = "flushes",
	[PGT_VIEW_TRANSITIONS] = "transitions",
	[PGT_VIEW_SUMMARY] = "summary",
	[PGT_VIEW_FINDINGS] = "findings",
	[PGT_VIEW_TRANSLATE] = "translate",
	[PGT_VIEW_DECODE] = "decode",
	[PGT_VIEW_DIFF] = "diff",
	[PGT_VIEW_PTOV] = "ptov",
	[PGT_VIEW_ALIASES] = "aliases",
	[PGT_VIEW_WX] = "wx",
	[PGT_VIEW_READ] = "read",
};

static const struct {
	const char *name;
	bool row;
} kinds[PGT_REC__COUNT] = {
	[PGT_REC_PAGE] = { "page", true },
	[PGT_REC_RANGE] = { "range", true },
	[PGT_REC_TABLE] = { "table", true },
	[PGT_REC_ENTRY] = { "entry", true },
	[PGT_REC_LEVELS] = { "counts", false },
	[PGT_REC_EVENT] = { "event", true },
	[PGT_REC_FLUSH] = { "flush", true },
	[PGT_REC_TALLY] = { "tally", false },	/* keyed by its own key */
	[PGT_REC_TRANSITION] = { "transition", true },
	[PGT_REC_RUN] = { "run", false },
	[PGT_REC_MM] = { "mm", true },
	[PGT_REC_FRAMES] = { "frames", false },
	[PGT_REC_STATE] = { "state", false },
	[PGT_REC_LEVEL] = { "level", true },
	[PGT_REC_WALK] = { "walk", false },
	[PGT_REC_ROOT] = { "root", true },
	[PGT_REC_FINDING] = { "finding", true },
	[PGT_REC_STEP] = { "step", true },
	[PGT_REC_XLATE] = { "result", true },
	[PGT_REC_DECODE] = { "decode", true },
	[PGT_REC_OVERVIEW] = { "dump", false },
	[PGT_REC_SOURCE] = { "source", false },
	[PGT_REC_DIFF] = { "difference", true },
	[PGT_REC_DIFF_A] = { "a", false },
	[PGT_REC_DIFF_B] = { "b", false },
	[PGT_REC_DIFF_RESULT] = { "result", false },
	[PGT_REC_PTOV] = { "mapping", true },
	[PGT_REC_ALIAS] = { "mapping", true },
	[PGT_REC_ALIAS_RESULT] = { "result", false },
	[PGT_REC_WX] = { "wx", true },
	[PGT_REC_WX_RESULT] = { "result", false },
	[PGT_REC_BYTES] = { "bytes", true },
	[PGT_REC_HOLE] = { "hole", true },
};

bool pgt_rec_is_row(enum pgt_rec_kind k)
{
	return kinds[k].row;
}

const char *pgt_rec_name(enum pgt_rec_kind k)
{
	return kinds[k].name;
}

const char *pgt_view_name(enum pgt_view v)
{
	return v < PGT_VIEW__COUNT ? view_names[v] : "?";
}
