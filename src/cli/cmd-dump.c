/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * pgtctl dump FILE: open a memory dump (ELF, kdump, raw), find its roots
 * and show the views of one of them.  Without a view: an overview (format,
 * arch and how it was told, memory, CPUs, roots) and the walk's summary.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "commands.h"
#include "cli-source.h"
#include "../trace/trace.h"

enum { V_TREE = 1, V_RANGES = 2, V_PAGES = 4, V_SUMMARY = 8, V_FINDINGS = 16,
       V_ROOTS = 32 };

#define FINDINGS_ON_STDERR 50

struct dump_cli {
	unsigned views;
	enum pgt_format fmt;
	struct cli_dump_opts o;
	const char *save;
	bool timing;
	uint64_t va_start, va_end;
	unsigned want, deny;
	/* findings */
	const char *path;
	const struct pgt_arch *arch;
	uint64_t nfindings;
	bool findings_done;	/* reported by an earlier view's walk */
	unsigned long nlisted;
};

static int on_finding(void *arg, int level, uint64_t slot, uint64_t va,
		      uint64_t raw, const char *why)
{
	struct dump_cli *c = arg;
	const struct pgt_level *L = &c->arch->levels[level];

	if (c->findings_done)
		return 0;
	c->nfindings++;
	if (c->views & V_FINDINGS) {
		if (c->fmt == PGT_FMT_JSON) {
			fprintf(stdout, "%s\n  {\"level\": \"%s\", \"at\": \"0x%" PRIx64 "\", \"va\": \"0x%" PRIx64
				"\", \"raw\": \"0x%016" PRIx64 "\", \"why\": ",
				c->nlisted++ ? "," : "", L->lname, slot, va, raw);
			pgt_json_str(stdout, why);
			fputc('}', stdout);
		} else {
			fprintf(stdout, c->fmt == PGT_FMT_TSV ?
				"%s\t0x%" PRIx64 "\t0x%" PRIx64 "\t0x%016" PRIx64 "\t%s\n" :
				"%-4s entry at 0x%09" PRIx64 " va 0x%08" PRIx64 " raw 0x%016" PRIx64 ": %s\n",
				L->lname, slot, va, raw, why);
		}
		return 0;
	}
	if (c->nfindings <= FINDINGS_ON_STDERR) {
		fflush(stdout);
		fprintf(stderr, "pgtctl: %s: finding: %s entry at 0x%" PRIx64 " (va 0x%" PRIx64 ", raw 0x%" PRIx64 "): %s\n",
			c->path, L->lname, slot, va, raw, why);
	}
	return 0;
}

static void findings_end(struct dump_cli *c)
{
	if (c->findings_done)
		return;
	c->findings_done = true;
	if (!(c->views & V_FINDINGS) && c->nfindings > FINDINGS_ON_STDERR)
		fprintf(stderr, "pgtctl: %s: finding: ... %" PRIu64 " findings in all (the first %d shown; --findings lists every one)\n",
			c->path, c->nfindings, FINDINGS_ON_STDERR);
}

/* ---- roots ---- */

static void print_roots(struct dump_cli *c, struct cli_dump *cd)
{
	const struct pgt_dump_roots *r = &cd->roots;
	char desc[160];
	size_t i;

	if (c->fmt == PGT_FMT_JSON)
		fputs("[", stdout);
	else if (c->fmt == PGT_FMT_TSV)
		fputs("# name\tvalue\tkind\tdecoded\tsource\tscore\tevidence\n", stdout);
	for (i = 0; i < r->n; i++) {
		const struct pgt_dump_root *x = &r->v[i];
		const char *kind = x->kernel ? "kernel" : x->user ? "user" : "-";

		cd->arch->root_describe(x->value, desc, sizeof(desc));
		if (c->fmt == PGT_FMT_JSON) {
			printf("%s\n  {\"name\": \"%s\", \"value\": \"0x%" PRIx64 "\", \"kind\": \"%s\", \"selected\": %s, \"decoded\": ",
			       i ? "," : "", x->name, x->value, kind,
			       x->value == cd->root ? "true" : "false");
			pgt_json_str(stdout, desc);
			fputs(", \"source\": ", stdout);
			pgt_json_str(stdout, x->source);
			printf(", \"score\": %ld, \"evidence\": ", x->score);
			pgt_json_str(stdout, x->evidence);
			fputc('}', stdout);
		} else if (c->fmt == PGT_FMT_TSV) {
			printf("%s\t0x%" PRIx64 "\t%s\t%s\t%s\t%ld\t%s\n", x->name,
			       x->value, kind, desc, x->source, x->score,
			       x->evidence[0] ? x->evidence : "-");
		} else {
			printf("%c %-12s 0x%-10" PRIx64 " %-6s %s\n    %s\n",
			       x->value == cd->root ? '*' : ' ', x->name,
			       x->value, kind, desc, x->source);
			if (x->evidence[0])
				printf("    evidence: %s\n", x->evidence);
		}
	}
	if (c->fmt == PGT_FMT_JSON)
		fputs(r->n ? "\n]\n" : "]\n", stdout);
	else if (c->fmt == PGT_FMT_TEXT && !r->n)
		puts("no roots found (use --scan-roots, or --root ADDR)");
}

/* ---- overview ---- */

static void print_overview(struct cli_dump *cd)
{
	const struct pgt_dump *d = cd->d;
	uint64_t held = 0;
	char buf[80];
	size_t i;

	for (i = 0; i < d->nranges; i++)
		held += d->ranges[i].end - d->ranges[i].start;
	printf("dump:    %s: %s", d->path, pgt_dump_format_name(d->format));
	if (d->elf_class)
		printf(", %d-bit %s-endian", d->elf_class,
		       d->big_endian ? "big" : "little");
	if (d->elf_machine)
		printf(", e_machine %d", d->elf_machine);
	printf("\narch:    %s (%s)\n", cd->arch->name, cd->arch_how);
	printf("memory:  %zu range%s, %" PRIu64 " KiB held, up to 0x%" PRIx64 "\n",
	       d->nranges, d->nranges == 1 ? "" : "s", held >> 10, d->pm.limit);
	printf("cpus:    %d", d->ncpus);
	for (i = 0; i < (size_t)d->ncpus && i < 16; i++)
		if (d->cpu[i].pid >= 0)
			printf("%s cpu%zu pid %d", i ? "," : ":", i,
			       d->cpu[i].pid);
	putchar('\n');
	if (pgt_vmcoreinfo_get(d, "OSRELEASE", buf, sizeof(buf)))
		printf("kernel:  %s (VMCOREINFO)\n", buf);
	else
		printf("kernel:  no VMCOREINFO\n");
	puts("roots:");
}

/* ---- --save-tables ---- */

struct pagelist {
	uint64_t *v;
	size_t n, cap;
	bool oom;
};

struct collect_ctx {
	struct pagelist p;
	const struct pgt_arch *arch;
};

/* every 4 KiB page a table touches (16 KiB CRSTs are four) */
static int collect_table(void *arg, const struct pgt_walk_table *t)
{
	struct collect_ctx *cc = arg;
	struct pagelist *p = &cc->p;
	const struct pgt_arch *a = cc->arch;
	uint64_t end = t->pa + (uint64_t)t->entries * a->levels[t->level].entsize;
	uint64_t pg;

	for (pg = t->pa & ~0xfffull; pg < end; pg += 4096) {
		if (p->n == p->cap) {
			size_t cap = p->cap ? 2 * p->cap : 256;
			uint64_t *v = realloc(p->v, cap * sizeof(*v));

			if (!v) {
				p->oom = true;
				return 1;
			}
			p->v = v;
			p->cap = cap;
		}
		p->v[p->n++] = pg;
	}
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int collect_root(struct collect_ctx *cc, struct cli_dump *cd,
			uint64_t root, struct pgt_err *err)
{
	struct pgt_view_src src;
	struct pgt_walker w;

	cli_dump_view_src(cd, &src);
	src.root = root;
	pgt_view_walker(&w, &src, cc);
	w.on_table = collect_table;
	if (pgt_walk(&w, err))
		return -1;
	return cc->p.oom ? pgt_fail(err, PGT_ERR_NOMEM, "out of memory") : 0;
}

static int save_tables(struct dump_cli *c, struct cli_dump *cd,
		       struct pgt_err *err)
{
	struct collect_ctx cc = { .arch = cd->arch };
	size_t i, n = 0, nroots = 1;
	int rc = collect_root(&cc, cd, cd->root, err);

	/* every root found (registers, VMCOREINFO, the scan) goes in, so
	 * the slice lists the same roots as the dump */
	for (i = 0; !rc && i < cd->roots.n; i++) {
		struct pgt_err e2 = { 0 };

		if (cd->roots.v[i].value == cd->root)
			continue;
		nroots++;
		if (collect_root(&cc, cd, cd->roots.v[i].value, &e2) &&
		    e2.status == PGT_ERR_NOMEM)
			rc = pgt_fail(err, PGT_ERR_NOMEM, "out of memory");
	}
	if (rc) {
		free(cc.p.v);
		return rc;
	}
	qsort(cc.p.v, cc.p.n, sizeof(uint64_t), cmp_u64);
	for (i = 0; i < cc.p.n; i++)
		if (!n || cc.p.v[n - 1] != cc.p.v[i])
			cc.p.v[n++] = cc.p.v[i];
	rc = pgt_dump_write_slice(cd->d, c->save,
				  cd->arch->big_endian ? 22 : 3,
				  cd->arch->big_endian, cc.p.v, n, err);
	if (!rc)
		fprintf(stderr, "pgtctl: %s: wrote %zu page-table pages (%zu KiB) from %zu root%s\n",
			c->save, n, n * 4, nroots, nroots == 1 ? "" : "s");
	free(cc.p.v);
	return rc;
}

/* ---- views ---- */

/* the chosen root with the walk options of the command line */
static void dump_src(struct dump_cli *c, struct cli_dump *cd,
		     struct pgt_view_src *src)
{
	cli_dump_view_src(cd, src);
	src->va_start = c->va_start;
	src->va_end = c->va_end;
	src->want = c->want;
	src->deny = c->deny;
	src->on_finding = on_finding;
	src->finding_arg = c;
}

static int show_views(struct dump_cli *c, struct cli_dump *cd,
		      struct pgt_err *err)
{
	struct pgt_view_src src;
	struct pgt_walk_stats st;
	double t0;
	int rc = 0;

	dump_src(c, cd, &src);
	if (c->views & V_TREE) {
		rc = pgt_view_tree(stdout, c->fmt, &src, err);
		findings_end(c);
	}
	if (!rc && (c->views & V_RANGES)) {
		rc = pgt_view_ranges(stdout, c->fmt, &src, err);
		findings_end(c);
	}
	if (!rc && (c->views & V_PAGES)) {
		rc = pgt_view_pages(stdout, c->fmt, &src, err);
		findings_end(c);
	}
	if (!rc && (c->views & V_FINDINGS) && c->fmt == PGT_FMT_JSON)
		fputs("[", stdout);
	if (!rc && (c->views & (V_SUMMARY | V_FINDINGS) || c->timing)) {
		t0 = cli_now();
		rc = pgt_view_walk_summary(c->views & V_SUMMARY ? stdout : NULL,
					   c->fmt, &src, &st, err);
		findings_end(c);
		if (!rc && c->timing) {
			double t = cli_now() - t0;

			fprintf(stderr, "timing: open %.6f s, walk %.6f s, %" PRIu64 " pages, %.0f pages/s\n",
				cd->open_seconds, t, st.pages,
				t > 0 ? (double)st.pages / t : 0.0);
		}
	}
	if (!rc && (c->views & V_FINDINGS) && c->fmt == PGT_FMT_JSON)
		fputs(c->nlisted ? "\n]\n" : "]\n", stdout);
	return rc;
}

static int overview(struct dump_cli *c, struct cli_dump *cd,
		    struct pgt_err *err)
{
	struct pgt_view_src src;
	char desc[160];

	print_overview(cd);
	print_roots(c, cd);
	cd->arch->root_describe(cd->root, desc, sizeof(desc));
	printf("walk of root 0x%" PRIx64 " (%s):\n", cd->root, desc);
	dump_src(c, cd, &src);
	return pgt_view_walk_summary(stdout, PGT_FMT_TEXT, &src, NULL, err);
}

/* ---- options ---- */

static const struct option longopts[] = {
	{ "arch", required_argument, NULL, 'a' },
	{ "phys-base", required_argument, NULL, 'b' },
	{ "root", required_argument, NULL, 'R' },
	{ "roots", no_argument, NULL, 'L' },
	{ "scan-roots", no_argument, NULL, 'S' },
	{ "tree", no_argument, NULL, 't' },
	{ "ranges", no_argument, NULL, 'r' },
	{ "pages", no_argument, NULL, 'p' },
	{ "summary", no_argument, NULL, 's' },
	{ "findings", no_argument, NULL, 'f' },
	{ "format", required_argument, NULL, 'F' },
	{ "filter", required_argument, NULL, 'i' },
	{ "range", required_argument, NULL, 'g' },
	{ "save-tables", required_argument, NULL, 'o' },
	{ "timing", no_argument, NULL, 'T' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int parse_opts(struct dump_cli *c, int argc, char **argv)
{
	int opt;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'a': c->o.arch = optarg; break;
		case 'b':
			if (pgt_parse_u64(optarg, &c->o.phys_base))
				return cli_usage_error("dump", "bad --phys-base '%s'; expected a physical address", optarg);
			break;
		case 'R': c->o.root = optarg; break;
		case 'L': c->views |= V_ROOTS; break;
		case 'S': c->o.scan = true; break;
		case 't': c->views |= V_TREE; break;
		case 'r': c->views |= V_RANGES; break;
		case 'p': c->views |= V_PAGES; break;
		case 's': c->views |= V_SUMMARY; break;
		case 'f': c->views |= V_FINDINGS; break;
		case 'F':
			if (cli_parse_format("dump", optarg, &c->fmt))
				return EXIT_USAGE;
			break;
		case 'i':
			if (cli_parse_filter("dump", optarg, &c->want, &c->deny))
				return EXIT_USAGE;
			break;
		case 'g':
			if (cli_parse_range("dump", optarg, &c->va_start, &c->va_end))
				return EXIT_USAGE;
			break;
		case 'o': c->save = optarg; break;
		case 'T': c->timing = true; break;
		case 'h':
			printf("Usage: pgtctl %s\n%s\n", pgt_cmd_dump.usage,
			       pgt_cmd_dump.summary);
			exit(0);
		default:
			return cli_usage_error("dump", "bad option");
		}
	}
	if (argc - optind != 1)
		return cli_usage_error("dump", "expected one dump FILE");
	return 0;
}

static int cmd_dump(int argc, char **argv)
{
	struct dump_cli c = { .fmt = PGT_FMT_TEXT };
	struct pgt_err err = { 0 };
	struct cli_dump cd;
	int rc;

	if ((rc = parse_opts(&c, argc, argv)))
		return rc;
	c.path = argv[optind];
	/* the slice is binary: no text view may share standard output */
	if (c.save && !strcmp(c.save, "-") && c.views)
		return cli_usage_error("dump", "--save-tables - writes the slice to standard output; it cannot be combined with a view");
	c.o.no_root_ok = c.views == V_ROOTS && !c.save;
	rc = cli_dump_open(&cd, c.path, &c.o, &err);
	c.arch = cd.arch;
	if (!rc && (c.views & V_ROOTS))
		print_roots(&c, &cd);
	if (!rc && c.save)
		rc = save_tables(&c, &cd, &err);
	if (!rc && (c.views & ~V_ROOTS))
		rc = show_views(&c, &cd, &err);
	else if (!rc && !c.views && !c.save)
		rc = overview(&c, &cd, &err);
	findings_end(&c);
	if (rc && strncmp(err.msg, c.path, strlen(c.path)) &&
	    rc != PGT_ERR_USAGE)
		pgt_err_prefix(&err, "%s", c.path);
	if (rc)
		cli_error(NULL, "%s", err.msg);
	cli_dump_close(&cd);
	return cli_status_exit(rc);
}

const struct pgt_cmd pgt_cmd_dump = {
	.name = "dump",
	.fn = cmd_dump,
	.usage = "dump [--roots] [--scan-roots] [--root ADDR|cpuN|user|kernel|NAME] [--tree] [--ranges] [--pages] [--summary] [--findings] [--format text|json|tsv] [--filter FLAGS] [--range A-B] [--save-tables OUT.elf] [--timing] [--arch A --phys-base PA] FILE",
	.summary = "find the page-table roots of a memory dump (ELF vmcore, kdump, raw) and show the tree",
};
