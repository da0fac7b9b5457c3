/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Engine lifecycle, options, operation dispatch and the accounting
 * services the arch layer reports into (flushes, events, data pages).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../lib/options.h"
#include "engine-priv.h"

/* Physical memory starts at 16 MiB so that table addresses look real. */
#define SIM_BASE 0x1000000ull
#define SIM_DEFAULT_SIZE (64ull << 30)
/*
 * Host memory the simulated tables and frames may take (issue 11): every
 * table frame is held on the host, so a small trace could otherwise take
 * the machine (a 120-byte s390x trace grew to 12 GB).  1 GiB keeps a
 * 24 GiB machine alive with room for a few replays side by side.
 */
#define HOST_DEFAULT_LIMIT (1ull << 30)
#define HOST_MAX_LIMIT (1ull << 50)

/* "1 GiB", "1536 MiB", "40000 KiB": the largest unit that divides n */
static void size_str(uint64_t n, char *buf, size_t len)
{
	static const char *const unit[] = { "bytes", "KiB", "MiB", "GiB",
					    "TiB" };
	unsigned u = 0;

	while (u < 4 && n && !(n & 1023)) {
		n >>= 10;
		u++;
	}
	snprintf(buf, len, "%llu %s", (unsigned long long)n, unit[u]);
}

/*
 * The most host memory a replay may take: PGTCTL_MAX_HOST_MEM from the
 * environment (the user's word, unlike a trace's), else 1 GiB, which a
 * 24 GiB machine survives with room for other work.
 */
static uint64_t host_mem_ceiling(void)
{
	const char *v = getenv("PGTCTL_MAX_HOST_MEM");
	uint64_t n;

	if (v && !pgt_parse_u64(v, &n) && n >= (16ull << 20) &&
	    n <= HOST_MAX_LIMIT)
		return n;
	return HOST_DEFAULT_LIMIT;
}

int pgt_engine_new(const char *arch, struct pgt_engine **out,
		   struct pgt_err *err)
{
	const struct pgt_arch *a = pgt_arch_find(arch);
	struct pgt_engine *e;
	char names[80];

	if (!a)
		return pgt_fail(err, PGT_ERR_INPUT,
				"unknown arch '%s'; expected %s", arch,
				pgt_arch_replay_names(names, sizeof(names), ""));
	if (!a->mm)
		return pgt_fail(err, PGT_ERR_UNSUPPORTED,
				"arch %s is walk-only: its dumps can be walked (pgtctl dump), but pgtctl has no mm rules to replay it",
				arch);
	e = calloc(1, sizeof(*e));
	if (!e)
		return pgt_fail(err, PGT_ERR_NOMEM, "out of memory");
	e->m.arch = a;
	e->m.rules = a->mm;
	e->m.ncpus = 1;
	e->thp = PGT_THP_ALWAYS;	/* Debian 12: TRANSPARENT_HUGEPAGE_ALWAYS=y */
	e->thp_zero_page = true;
	e->mem_size = SIM_DEFAULT_SIZE;
	e->max_host_mem = e->host_mem_ceiling = host_mem_ceiling();
	e->flush_records = true;
	if (a->mm->priv_size && !(e->m.arch_priv = calloc(1, a->mm->priv_size))) {
		free(e);
		return pgt_fail(err, PGT_ERR_NOMEM, "out of memory");
	}
	*out = e;
	return PGT_OK;
}

int pgt_engine_set(struct pgt_engine *e, const char *key, const char *val,
		   struct pgt_err *err)
{
	const struct pgt_arch *a = e->m.arch;
	const struct pgt_mm_rules *r = e->m.rules;
	uint64_t n;
	int i;

	if (e->started)
		return pgt_fail(err, PGT_ERR_INPUT,
				"option '%s' must be set before the first operation",
				key);
	if (!strcmp(key, "profile")) {
		for (i = 0; r->profiles[i]; i++)
			if (!strcmp(r->profiles[i], val)) {
				e->m.profile = i;
				return PGT_OK;
			}
		{
			char list[256] = "";

			for (i = 0; r->profiles[i]; i++) {
				strncat(list, i ? ", " : "", sizeof(list) - strlen(list) - 1);
				strncat(list, r->profiles[i], sizeof(list) - strlen(list) - 1);
			}
			return pgt_fail(err, PGT_ERR_INPUT,
					"unknown profile '%s' for arch %s; expected one of %s",
					val, a->name, list);
		}
	}
	if (!strcmp(key, "cpus")) {
		if (pgt_parse_u64(val, &n) || n < 1 || n > PGT_MAX_CPUS)
			return pgt_fail(err, PGT_ERR_INPUT,
					"bad cpus '%s'; expected 1..%d", val,
					PGT_MAX_CPUS);
		e->m.ncpus = (unsigned)n;
		return PGT_OK;
	}
	if (!strcmp(key, "thp")) {
		if (!strcmp(val, "always"))
			e->thp = PGT_THP_ALWAYS;
		else if (!strcmp(val, "madvise"))
			e->thp = PGT_THP_MADVISE;
		else if (!strcmp(val, "never"))
			e->thp = PGT_THP_NEVER;
		else
			return pgt_fail(err, PGT_ERR_INPUT,
					"bad thp '%s'; expected always, madvise or never",
					val);
		return PGT_OK;
	}
	if (!strcmp(key, "thp-zero-page")) {
		if (pgt_parse_on_off(val, &e->thp_zero_page))
			return pgt_fail(err, PGT_ERR_INPUT,
					"bad thp-zero-page '%s'; expected on or off",
					val);
		return PGT_OK;
	}
	if (!strcmp(key, "mem")) {
		if (pgt_parse_u64(val, &n) || n < (16ull << 20) ||
		    n > (1ull << 43))
			return pgt_fail(err, PGT_ERR_INPUT,
					"bad mem '%s'; expected a size from 16M to 8T",
					val);
		e->mem_size = n;
		return PGT_OK;
	}
	if (!strcmp(key, "max-host-mem")) {
		char lim[32];

		if (pgt_parse_u64(val, &n) || n < (16ull << 20) ||
		    n > HOST_MAX_LIMIT)
			return pgt_fail(err, PGT_ERR_INPUT,
					"bad max-host-mem '%s'; expected a size from 16M to 1024T",
					val);
		/* a trace is input: it may lower the limit, not lift the
		 * guard against itself */
		if (n > e->host_mem_ceiling) {
			size_str(e->host_mem_ceiling, lim, sizeof(lim));
			return pgt_fail(err, PGT_ERR_LIMIT,
					"max-host-mem=%s is above the %s a trace may set; expected at most that, or PGTCTL_MAX_HOST_MEM=SIZE in the environment to allow more",
					val, lim);
		}
		e->max_host_mem = n;
		return PGT_OK;
	}
	if (r->set_option)
		return r->set_option(e, key, val, err);
	return pgt_fail(err, PGT_ERR_INPUT, "unknown option '%s' for arch %s",
			key, a->name);
}

void pgt_engine_on_event(struct pgt_engine *e, pgt_event_fn *fn, void *arg)
{
	e->m.nev = 0;
	if (fn) {
		e->ev[0].fn = fn;
		e->ev[0].arg = arg;
		e->m.nev = 1;
	}
}

int pgt_listener_add(struct pgt_listener *v, unsigned *n, pgt_event_fn *fn,
		     void *arg, struct pgt_err *err)
{
	if (*n == PGT_MAX_LISTENERS)
		return pgt_fail(err, PGT_ERR_LIMIT,
				"too many event listeners (at most %d)",
				PGT_MAX_LISTENERS);
	v[*n].fn = fn;
	v[*n].arg = arg;
	++*n;
	return PGT_OK;
}

void pgt_listener_remove(struct pgt_listener *v, unsigned *n,
			 pgt_event_fn *fn, void *arg)
{
	unsigned i;

	for (i = 0; i < *n; i++)
		if (v[i].fn == fn && v[i].arg == arg) {
			memmove(&v[i], &v[i + 1], (*n - i - 1) * sizeof(*v));
			--*n;
			return;
		}
}

int pgt_engine_listen(struct pgt_engine *e, pgt_event_fn *fn, void *arg,
		      struct pgt_err *err)
{
	return pgt_listener_add(e->ev, &e->m.nev, fn, arg, err);
}

void pgt_engine_unlisten(struct pgt_engine *e, pgt_event_fn *fn, void *arg)
{
	pgt_listener_remove(e->ev, &e->m.nev, fn, arg);
}

void pgt_ev_emit(struct pgt_engine *e, const struct pgt_event *ev)
{
	unsigned i;

	for (i = 0; i < e->m.nev; i++)
		e->ev[i].fn(e->ev[i].arg, ev);
}

const char *pgt_engine_profile(const struct pgt_engine *e)
{
	return e->m.rules->profiles[e->m.profile];
}

/*
 * The host memory limit stopped an allocation: whatever the operation
 * made of that (ENOMEM, a failed fork) is replaced by an error naming
 * the limit, since the simulated kernel did not run out of anything.
 */
static bool host_limit_hit(struct pgt_engine *e, struct pgt_err *err)
{
	size_t i, live = 0, vmas = 0;
	char lim[32];

	if (!e->m.mem.host_over)
		return false;
	for (i = 0; i < e->m.nmms; i++)
		if (e->m.mms[i] && !e->m.mms[i]->dead) {
			live++;
			vmas += e->m.mms[i]->nvma;
		}
	size_str(e->max_host_mem, lim, sizeof(lim));
	pgt_fail(err, PGT_ERR_LIMIT,
		 "host memory limit reached: %s would take more than max-host-mem=%s of this machine's memory (%zu live mms, %zu VMAs); expected a smaller trace, or raise the limit with PGTCTL_MAX_HOST_MEM=SIZE in the environment",
		 e->m.mem.host_over, lim, live, vmas);
	return true;
}

/* exec of the first process: mm 1, running on CPU 0 */
int pgt_engine_start(struct pgt_engine *e, struct pgt_err *err)
{
	struct pgt_mm *mm;
	int rc;

	if (e->started)
		return PGT_OK;
	e->started = true;
	simmem_init(&e->m.mem, SIM_BASE, e->mem_size);
	e->m.mem.host_limit = e->max_host_mem;
	rc = e->m.rules->init(e, err);
	if (rc)
		return host_limit_hit(e, err) ? err->status : rc;
	mm = mm_new(e, 1, NULL, err);
	if (!mm) {
		host_limit_hit(e, err);
		return err->status;
	}
	e->m.cur = mm;
	mm_load(e, 0, mm);
	e->m.self = 0;
	return PGT_OK;
}

void pgt_engine_free(struct pgt_engine *e)
{
	size_t i;

	if (!e)
		return;
	if (simmem_frozen(&e->m.mem)) {
		engine_release(e);	/* a checkpoint: nothing to tear down */
		return;
	}
	e->m.nev = 0;	/* tearing down is not part of the replay */
	for (i = 0; i < e->m.nmms; i++)
		if (e->m.mms[i])
			mm_free(e, e->m.mms[i]);
	free(e->m.mms);
	if (e->started && e->m.rules->fini)
		e->m.rules->fini(e);
	if (e->started)
		simmem_fini(&e->m.mem);
	if (e->m.rules->priv_free)
		e->m.rules->priv_free(e);
	free(e->m.arch_priv);
	free(e->flush);
	check_state_free(e->chk);
	free(e);
}

struct pgt_mm *pgt_engine_mm(struct pgt_engine *e, int id)
{
	if (id < 0 || (size_t)id >= e->m.nmms)
		return NULL;
	return e->m.mms[id];
}

/* ---- accounting services ---- */

void pgt_flush(struct pgt_engine *e, enum pgt_flush_kind kind, uint64_t n,
	       const char *reason)
{
	struct pgt_flush_rec *r = NULL;
	size_t i;

	if (!n)
		return;
	e->flush_total[kind] += n;
	if (!e->flush_records)
		goto event;
	/* records of the running op are at the end of the array */
	for (i = e->nflush; i-- > 0 && e->flush[i].op == e->m.op_index;)
		if (e->flush[i].kind == kind) {
			r = &e->flush[i];
			break;
		}
	if (!r) {
		if (e->nflush == e->cflush) {
			size_t c = e->cflush ? e->cflush * 2 : 64;
			struct pgt_flush_rec *p = realloc(e->flush, c * sizeof(*p));

			if (!p)
				return;	/* accounting is best effort under OOM */
			e->flush = p;
			e->cflush = c;
		}
		r = &e->flush[e->nflush++];
		memset(r, 0, sizeof(*r));
		r->op = e->m.op_index;
		r->kind = kind;
	}
	r->count += n;
	for (i = 0; i < PGT_FLUSH_REASONS; i++) {
		if (r->reason[i] == reason)
			break;
		if (!r->reason[i]) {
			r->reason[i] = reason;
			break;
		}
	}
event:
	if (pgt_ev_on(e)) {
		struct pgt_event ev = {
			.type = PGT_EV_FLUSH, .op = e->m.op_index,
			.mm = e->m.cur ? e->m.cur->id : 0, .kind = kind,
			.count = n, .text = reason, .half = -1,
		};
		pgt_ev_emit(e, &ev);
	}
}

void *pgt_phys(struct pgt_engine *e, uint64_t pa)
{
	return simmem_ptr(&e->m.mem, pa);
}

uint64_t pgt_slot_pa(struct pgt_engine *e, const void *slot)
{
	return simmem_host_to_pa(&e->m.mem, slot);
}

void pgt_ev_entry_emit(struct pgt_engine *e, struct pgt_mm *mm, int level,
		       uint64_t va, const void *slot, uint64_t old,
		       uint64_t new)
{
	struct pgt_event ev = {
		.type = PGT_EV_ENTRY, .op = e->m.op_index, .mm = mm ? mm->id : 0,
		.level = level, .va = va, .old = old, .new = new, .half = -1,
	};

	if (!pgt_ev_on(e) || old == new)
		return;
	ev.pa = slot ? pgt_slot_pa(e, slot) : 0;
	pgt_ev_emit(e, &ev);
}

void pgt_ev_table(struct pgt_engine *e, struct pgt_mm *mm, bool alloc,
		  int level, uint64_t pa, uint32_t size, int half)
{
	struct pgt_event ev = {
		.type = alloc ? PGT_EV_TABLE_ALLOC : PGT_EV_TABLE_FREE,
		.op = e->m.op_index, .mm = mm ? mm->id : 0, .level = level,
		.pa = pa, .size = size, .half = half,
	};

	e->tables_changed = true;
	if (pgt_ev_on(e))
		pgt_ev_emit(e, &ev);
}

void pgt_ev_note(struct pgt_engine *e, struct pgt_mm *mm, const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	struct pgt_event ev = {
		.type = PGT_EV_NOTE, .op = e->m.op_index, .mm = mm ? mm->id : 0,
		.half = -1, .text = buf,
	};

	if (!pgt_ev_on(e))
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	pgt_ev_emit(e, &ev);
}

/* ---- data pages ---- */

int pgt_page_alloc(struct pgt_engine *e, unsigned order, uint64_t *pfn)
{
	uint64_t pa, i;

	if (simmem_alloc(&e->m.mem, order, false, &pa))
		return -ENOMEM;
	*pfn = pa >> SIM_PAGE_SHIFT;
	if (order) {
		struct sim_frame *f = simmem_frame(&e->m.mem, pa);

		for (i = 0; i < (1ull << order); i++)
			f[i].flags |= SIMF_COMPOUND;
	}
	return 0;
}

int page_alloc_mapped(struct pgt_engine *e, bool excl, uint64_t *pfn)
{
	struct sim_frame *f;

	if (simmem_alloc_data0(&e->m.mem, pfn, &f))
		return -ENOMEM;
	f->refs = 1;
	if (excl)
		f->flags |= SIMF_ANON_EXCL;
	return 0;
}

static struct sim_frame *page_head(struct pgt_engine *e, uint64_t pfn,
				   struct sim_frame **sub)
{
	struct sim_frame *f = simmem_frame(&e->m.mem, pfn << SIM_PAGE_SHIFT);
	uint64_t n;

	*sub = f;
	if (!f || !(f->flags & SIMF_COMPOUND))
		return f;
	n = 1ull << e->m.rules->thp_order;
	return simmem_frame(&e->m.mem, (pfn & ~(n - 1)) << SIM_PAGE_SHIFT);
}

/*
 * refs counts mappings of each 4 KiB frame; for a compound page the head's
 * tag counts the mappings of all its parts, and the block is freed when
 * that reaches zero (the THP is freed when its last mapping goes away).
 */
void pgt_page_get(struct pgt_engine *e, uint64_t pfn)
{
	struct sim_frame *sub, *head = page_head(e, pfn, &sub);

	if (!head)
		return;
	sub->refs++;
	if (head != sub || (head->flags & SIMF_COMPOUND))
		head->tag++;
}

void pgt_page_put(struct pgt_engine *e, uint64_t pfn)
{
	struct sim_frame *sub, *head = page_head(e, pfn, &sub);

	if (!head || !sub->refs || (head->flags & SIMF_ZERO))
		return;
	sub->refs--;
	if (head->flags & SIMF_COMPOUND) {
		if (--head->tag == 0)
			simmem_free(&e->m.mem, (uint64_t)(head - e->m.mem.frames +
					e->m.mem.base_pfn) << SIM_PAGE_SHIFT);
	} else if (!sub->refs) {
		simmem_free(&e->m.mem, pfn << SIM_PAGE_SHIFT);
	}
}

bool pgt_page_anon_exclusive(struct pgt_engine *e, uint64_t pfn)
{
	struct sim_frame *f = simmem_frame(&e->m.mem, pfn << SIM_PAGE_SHIFT);

	return f && (f->flags & SIMF_ANON_EXCL);
}

void pgt_page_set_exclusive(struct pgt_engine *e, uint64_t pfn, bool excl)
{
	struct sim_frame *f = simmem_frame(&e->m.mem, pfn << SIM_PAGE_SHIFT);

	if (!f)
		return;
	if (excl)
		f->flags |= SIMF_ANON_EXCL;
	else
		f->flags &= ~SIMF_ANON_EXCL;
}

unsigned pgt_page_refs(struct pgt_engine *e, uint64_t pfn)
{
	struct sim_frame *sub, *head = page_head(e, pfn, &sub);

	if (!head)
		return 0;
	return (head->flags & SIMF_COMPOUND) ? head->tag : sub->refs;
}

/* ---- operation dispatch ---- */

static void ev_result(struct pgt_engine *e, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void ev_result(struct pgt_engine *e, int rc, const char *fmt, ...)
{
	char buf[160];
	va_list ap;
	struct pgt_event ev = {
		.type = PGT_EV_RESULT, .op = e->m.op_index,
		.mm = e->m.cur ? e->m.cur->id : 0, .kind = rc, .half = -1,
		.text = buf,
	};

	if (rc)
		e->nr_errors++;
	if (!pgt_ev_on(e))
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	pgt_ev_emit(e, &ev);
}

static const char *errno_name(int rc)
{
	switch (-rc) {
	case 0: return "0";
	case ENOMEM: return "ENOMEM";
	case EINVAL: return "EINVAL";
	case EACCES: return "EACCES";
	case EFAULT: return "SIGSEGV";
	case EEXIST: return "EEXIST";
	case EPERM: return "EPERM";
	case EBUSY: return "EBUSY";
	default: return "error";
	}
}

static int need_mm(struct pgt_engine *e, const struct pgt_op *op,
		   struct pgt_err *err)
{
	if (!e->m.cur || e->m.cur->dead)
		return pgt_fail(err, PGT_ERR_INPUT,
				"'%s' needs a live address space, but mm %d has exited; expected 'mm N' first",
				pgt_op_name(op->kind), e->m.cur ? e->m.cur->id : 0);
	return PGT_OK;
}

static int check_user_range(struct pgt_engine *e, const struct pgt_op *op,
			    struct pgt_err *err)
{
	uint64_t lim = e->m.arch->user_limit;

	if (op->addr >= lim || op->len > lim - op->addr)
		return pgt_fail(err, PGT_ERR_INPUT,
				"range 0x%llx+0x%llx of '%s' is outside the user address space of %s (below 0x%llx)",
				(unsigned long long)op->addr,
				(unsigned long long)op->len,
				pgt_op_name(op->kind), e->m.arch->name,
				(unsigned long long)lim);
	return PGT_OK;
}

static int cpu_on_cur(struct pgt_engine *e, unsigned cpu, struct pgt_err *err)
{
	if (e->m.cpu_mm[cpu] != e->m.cur)
		return pgt_fail(err, PGT_ERR_INPUT,
				"mm %d is not active on cpu %u",
				e->m.cur->id, cpu);
	return PGT_OK;
}

/* the CPUs that run the current mm must keep one: ops run there */
static int cpu_not_last(struct pgt_engine *e, unsigned cpu, const char *what,
			struct pgt_err *err)
{
	if (mm_running(e, e->m.cur) == (1ull << cpu))
		return pgt_fail(err, PGT_ERR_INPUT,
				"cpu %u is the last CPU running mm %d; it cannot %s",
				cpu, e->m.cur->id, what);
	return PGT_OK;
}

/*
 * cpu idle N: CPU N switches to the idle task, a kernel thread without
 * an mm, so context_switch only calls enter_lazy_tlb and the mm stays
 * loaded there (x86: still in mm_cpumask, cpu_tlbstate_shared.is_lazy
 * set; s390: still in cpu_attach_mask).  The flush rules of each arch
 * read pgt_mach(e)->cpu_idle.
 */
static int cpu_idle(struct pgt_engine *e, unsigned cpu, struct pgt_err *err)
{
	int rc;

	if ((rc = cpu_on_cur(e, cpu, err)))
		return rc;
	if (e->m.cpu_idle & (1ull << cpu))
		return pgt_fail(err, PGT_ERR_INPUT,
				"cpu %u is already idle; expected 'cpu attach %u' first",
				cpu, cpu);
	if ((rc = cpu_not_last(e, cpu, "go idle", err)))
		return rc;
	e->m.cpu_idle |= 1ull << cpu;
	pgt_ev_note(e, e->m.cur, "cpu %u idle: mm %d stays loaded (lazy TLB)",
		    cpu, e->m.cur->id);
	return PGT_OK;
}

static int op_cpu(struct pgt_engine *e, const struct pgt_op *op,
		  struct pgt_err *err)
{
	unsigned cpu = (unsigned)op->arg;
	int rc = PGT_OK;

	if (cpu >= e->m.ncpus)
		return pgt_fail(err, PGT_ERR_INPUT,
				"cpu %u does not exist; expected 0..%u (set cpus=N)",
				cpu, e->m.ncpus - 1);
	switch (op->sub) {
	case PGT_CPU_ATTACH:
		/* also ends the idle task of a CPU holding the mm lazily */
		mm_load(e, cpu, e->m.cur);
		break;
	case PGT_CPU_DETACH:
		if (!(rc = cpu_on_cur(e, cpu, err)) &&
		    !(rc = cpu_not_last(e, cpu, "be detached", err)))
			mm_load(e, cpu, NULL);
		break;
	default:
		rc = cpu_idle(e, cpu, err);
		break;
	}
	e->m.self = mm_self(e, e->m.cur);
	return rc;
}

static int op_mm(struct pgt_engine *e, const struct pgt_op *op,
		 struct pgt_err *err)
{
	struct pgt_mm *mm = pgt_engine_mm(e, op->arg);

	if (!mm || mm->dead)
		return pgt_fail(err, PGT_ERR_INPUT,
				"mm %d does not exist%s; expected an mm created by 'fork'",
				op->arg, mm ? " any more (it exited)" : "");
	e->m.cur = mm;
	/* a process not running anywhere is scheduled on CPU 0 (a CPU
	 * holding it lazily in the idle task does not run it) */
	if (!mm_running(e, mm))
		mm_load(e, 0, mm);
	e->m.self = mm_self(e, mm);
	return PGT_OK;
}

/* the names of the generic operations, or of the arch's own ones */
static void list_ops(char *buf, size_t len, const struct pgt_arch *a,
		     bool own)
{
	const struct pgt_arch_op *o;
	size_t n = 0;
	int k;

	buf[0] = 0;
	for (k = 0; k < PGT_OP__COUNT && !own; k++)
		if (!pgt_op_info((enum pgt_op_kind)k)->arch_only && n < len)
			n += (size_t)snprintf(buf + n, len - n, "%s%s",
					      n ? ", " : "",
					      pgt_op_name((enum pgt_op_kind)k));
	for (o = a->mm->ops; own && o && o->apply && n < len; o++)
		n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? ", " : "",
				      pgt_op_name(o->kind));
}

/* an operation of some arch's own: this one's, or an input error */
static int apply_arch_op(struct pgt_engine *e, const struct pgt_op *op,
			 struct pgt_err *err)
{
	const struct pgt_arch_op *o;
	char generic[160], own[80];

	for (o = e->m.rules->ops; o && o->apply; o++)
		if (o->kind == op->kind)
			return o->apply(e, op, err);
	if (!pgt_op_info(op->kind))
		return pgt_fail(err, PGT_ERR_INPUT, "unknown operation %d",
				(int)op->kind);
	list_ops(generic, sizeof(generic), e->m.arch, false);
	list_ops(own, sizeof(own), e->m.arch, true);
	if (!own[0])
		return pgt_fail(err, PGT_ERR_INPUT,
				"'%s' is not valid for arch %s; expected a generic operation (%s)",
				pgt_op_name(op->kind), e->m.arch->name, generic);
	return pgt_fail(err, PGT_ERR_INPUT,
			"'%s' is not valid for arch %s; expected a generic operation (%s) or one of %s's own (%s)",
			pgt_op_name(op->kind), e->m.arch->name, generic,
			e->m.arch->name, own);
}

static int run_checks(struct pgt_engine *e, struct pgt_err *err);

static int apply_op(struct pgt_engine *e, const struct pgt_op *op,
		    struct pgt_err *err)
{
	uint64_t fva = 0;
	int rc;

	switch (op->kind) {
	case PGT_OP_MM:
		return op_mm(e, op, err);
	case PGT_OP_CPU:
		if ((rc = need_mm(e, op, err)))
			return rc;
		return op_cpu(e, op, err);
	default:
		break;
	}
	if ((rc = need_mm(e, op, err)))
		return rc;
	switch (op->kind) {
	case PGT_OP_ALLOC:
		if ((rc = check_user_range(e, op, err)))
			return rc;
		rc = op_alloc(e, op);
		ev_result(e, rc, "%s", errno_name(rc));
		return PGT_OK;
	case PGT_OP_POPULATE:
		rc = op_populate(e, op, &fva);
		if (rc == -EFAULT)
			ev_result(e, rc, "SIGSEGV at 0x%llx", (unsigned long long)fva);
		else
			ev_result(e, rc, "%s", errno_name(rc));
		return PGT_OK;
	case PGT_OP_PROTECT:
		rc = op_protect(e, op);
		ev_result(e, rc, "%s", errno_name(rc));
		return PGT_OK;
	case PGT_OP_UNMAP:
		rc = op_unmap(e, op->addr, op->len);
		ev_result(e, rc, "%s", errno_name(rc));
		return PGT_OK;
	case PGT_OP_ADVISE:
		rc = op_advise(e, op);
		ev_result(e, rc, "%s", errno_name(rc));
		return PGT_OK;
	case PGT_OP_FORK:
		return op_fork(e, op->arg, err);
	case PGT_OP_THREAD:
		if (e->m.cur->users + op->arg < 1)
			return pgt_fail(err, PGT_ERR_INPUT,
					"mm %d has %d users; 'thread %+d' would leave none (use 'exit')",
					e->m.cur->id, e->m.cur->users, op->arg);
		e->m.cur->users += op->arg;
		return PGT_OK;
	case PGT_OP_EXIT:
		op_exit(e, e->m.cur);
		return PGT_OK;
	case PGT_OP_EXEC:
		return op_exec(e, err);
	case PGT_OP_COLLAPSE:
		if ((rc = check_user_range(e, op, err)))
			return rc;
		rc = op_collapse(e, op->addr, op->len);
		ev_result(e, rc, "%s", errno_name(rc));
		return PGT_OK;
	case PGT_OP_REMAP:
		if ((rc = check_user_range(e, op, err)))
			return rc;
		rc = op_remap(e, op, err);
		if (rc > 0)
			return rc;	/* not modelled, or an input error */
		ev_result(e, rc, "%s", errno_name(rc));
		return PGT_OK;
	default:
		return apply_arch_op(e, op, err);
	}
}

int pgt_engine_apply(struct pgt_engine *e, const struct pgt_op *op,
		     struct pgt_err *err)
{
	int rc;

	if (simmem_frozen(&e->m.mem))
		return pgt_fail(err, PGT_ERR_USAGE,
				"a checkpoint does not run operations; expected a copy of it (pgt_engine_clone)");
	if (!e->started && (rc = pgt_engine_start(e, err)))
		return rc;
	e->m.op_index++;
	e->m.op = op;
	e->tables_changed = false;
	e->deposits_changed = false;
	if (e->check)
		check_scope_begin(e, op);
	else if (e->chk)
		check_done(e, false);	/* an op nobody checked */
	if (pgt_ev_on(e)) {
		char buf[160];
		struct pgt_event ev = {
			.type = PGT_EV_OP, .op = e->m.op_index,
			.mm = e->m.cur ? e->m.cur->id : 0, .half = -1, .text = buf,
		};

		pgt_op_format(op, buf, sizeof(buf));
		pgt_ev_emit(e, &ev);
	}
	rc = apply_op(e, op, err);
	if (host_limit_hit(e, err))
		rc = err->status;
	if (e->check && !rc) {
		check_scope_end(e);
		rc = run_checks(e, err);
	} else if (e->chk) {
		check_done(e, false);	/* changed, not checked */
	}
	e->m.op = NULL;
	return rc;
}

/* the checks of e->m.check_scope, generic then the arch's */
static int run_checks(struct pgt_engine *e, struct pgt_err *err)
{
	int rc = check_generic(e, err);

	if (!rc && e->m.rules->check)
		rc = e->m.rules->check(e, err);
	check_done(e, !rc);
	return rc;
}

int pgt_engine_check(struct pgt_engine *e, struct pgt_err *err)
{
	e->m.check_scope.all = true;
	e->m.check_scope.n = 0;
	return run_checks(e, err);
}
