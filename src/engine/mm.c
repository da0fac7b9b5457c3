/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Address spaces: creation (exec or fork), destruction, CPU switches. */
#include <stdlib.h>
#include <string.h>
#include "engine-priv.h"

struct pgt_mm *mm_new(struct pgt_engine *e, int id, struct pgt_mm *parent,
		      struct pgt_err *err)
{
	struct pgt_mm *mm;

	if (id < 1 || id > PGT_MAX_MM_ID) {
		pgt_fail(err, PGT_ERR_INPUT, "bad mm id %d; expected 1..%d",
			 id, PGT_MAX_MM_ID);
		return NULL;
	}
	if ((size_t)id >= e->m.nmms) {
		/* doubling: growing by 16 ids copied the array every 16
		 * forks, a quadratic cost in a run of 100,000 */
		size_t n = e->m.nmms ? e->m.nmms * 2 : 16;
		struct pgt_mm **p;

		while (n <= (size_t)id)
			n *= 2;
		p = realloc(e->m.mms, n * sizeof(*p));

		if (!p) {
			pgt_fail(err, PGT_ERR_NOMEM, "out of memory");
			return NULL;
		}
		memset(p + e->m.nmms, 0, (n - e->m.nmms) * sizeof(*p));
		e->m.mms = p;
		e->m.nmms = n;
	}
	if (e->m.mms[id]) {
		pgt_fail(err, PGT_ERR_INPUT,
			 "mm %d already exists; expected a new mm id", id);
		return NULL;
	}
	mm = calloc(1, sizeof(*mm));
	if (!mm || (e->m.rules->mm_priv_size &&
		    !(mm->arch = calloc(1, e->m.rules->mm_priv_size)))) {
		free(mm);
		pgt_fail(err, PGT_ERR_NOMEM, "out of memory");
		return NULL;
	}
	mm->id = id;
	mm->users = 1;
	if (e->m.rules->mm_init(e, mm, parent, err)) {
		free(mm->arch);
		free(mm);
		return NULL;
	}
	e->m.mms[id] = mm;
	return mm;
}

void mm_free(struct pgt_engine *e, struct pgt_mm *mm)
{
	unsigned cpu;

	for (cpu = 0; cpu < PGT_MAX_CPUS; cpu++)
		if (e->m.cpu_mm[cpu] == mm)
			e->m.cpu_mm[cpu] = NULL;
	if (!mm->dead)
		e->m.rules->mm_destroy(e, mm);
	deposit_drop_mm(e, mm);
	e->m.mms[mm->id] = NULL;
	vma_free_all(e, mm);
	if (e->m.rules->mm_priv_free)
		e->m.rules->mm_priv_free(mm);
	free(mm->arch);
	free(mm);
}

/*
 * context switch on cpu to mm (NULL: the CPU runs something else).  A
 * switch ends the idle task; back to the mm an idle CPU held lazily, the
 * arch sees switch_mm(mm, mm), as the kernel's context_switch calls it.
 */
void mm_load(struct pgt_engine *e, unsigned cpu, struct pgt_mm *mm)
{
	struct pgt_mm *prev = e->m.cpu_mm[cpu];
	bool was_idle = e->m.cpu_idle & (1ull << cpu);

	e->m.cpu_idle &= ~(1ull << cpu);
	if (prev == mm) {
		if (was_idle && mm)
			e->m.rules->switch_mm(e, cpu, mm, mm);
		return;
	}
	if (prev)
		prev->cpu_attach &= ~(1ull << cpu);
	e->m.cpu_mm[cpu] = mm;
	if (mm)
		mm->cpu_attach |= 1ull << cpu;
	e->m.rules->switch_mm(e, cpu, prev, mm);
}

void pgt_cpu_drop_lazy_mm(struct pgt_engine *e, unsigned cpu)
{
	mm_load(e, cpu, NULL);
	e->m.cpu_idle |= 1ull << cpu;	/* still the idle task */
}

/* CPUs that run mm now (an idle CPU holding it lazily does not) */
uint64_t mm_running(const struct pgt_engine *e, const struct pgt_mm *mm)
{
	return mm->cpu_attach & ~e->m.cpu_idle;
}

unsigned mm_self(struct pgt_engine *e, struct pgt_mm *mm)
{
	uint64_t run = mm_running(e, mm);
	unsigned cpu;

	for (cpu = 0; cpu < e->m.ncpus; cpu++)
		if (run & (1ull << cpu))
			return cpu;
	return 0;
}

/*
 * execve of the current process (fs/exec.c on 6.1): bprm_mm_init builds
 * the new mm first (mm_alloc: a new pgd; on s390 init_new_context starts
 * an exec'd mm with 3 levels, asce_limit 4 TiB), de_thread ends the other
 * threads, exec_mmap switches this CPU to the new mm (activate_mm) and
 * drops the old one, whose exit_mmap then runs as for `exit` but with the
 * mm no longer loaded here: x86 flushes nothing locally for it, s390
 * still purges it by ASCE.  The new mm keeps the process's mm id and
 * starts empty (the stack and the binary's mappings are the trace's
 * business: `alloc`).
 */
int op_exec(struct pgt_engine *e, struct pgt_err *err)
{
	struct pgt_mm *old = e->m.cur, *mm;
	unsigned self = e->m.self, cpu;
	int id = old->id;

	e->m.mms[id] = NULL;	/* the id passes to the new mm */
	mm = mm_new(e, id, NULL, err);
	if (!mm) {
		e->m.mms[id] = old;
		return err->status;
	}
	for (cpu = 0; cpu < e->m.ncpus; cpu++)	/* de_thread */
		if (cpu != self && e->m.cpu_mm[cpu] == old &&
		    !(e->m.cpu_idle & (1ull << cpu)))
			mm_load(e, cpu, NULL);
	old->users = 1;
	mm_load(e, self, mm);	/* activate_mm */
	e->m.cur = mm;
	op_exit(e, old);	/* mmput: exit_mmap, then pgd_free */
	mm_free(e, old);
	e->m.mms[id] = mm;
	e->m.self = mm_self(e, mm);
	return PGT_OK;
}
