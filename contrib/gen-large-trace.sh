#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# gen-large-trace.sh N ARCH [SEED]: print a large, realistic pgtctl text trace
# (pgtctl-trace(5)) of exactly N operations for ARCH (s390x, s390 or pae) on
# standard output.  The same N, ARCH and SEED (default 1) always give the same
# bytes, with any POSIX awk: the generator uses its own random numbers (the
# Park-Miller generator, exact in double precision), never awk's rand().
#
# The workload: a first process maps regions, faults them in, changes their
# protection and unmaps them; processes fork (up to 24 live at a time),
# switch, exit; threads come and go; address spaces are attached to and
# detached from 4 CPUs; madvise (hugepage, nohugepage, dontneed); on pae, kmap
# of kernel memory in the vmalloc area.  Regions live in 64 slots of 4 MiB
# spread over the user address space (on pae across the 1 GiB PDPT slots; on
# s390x two slots lie above 4 TiB, so the first mapping there upgrades the
# address space to 4 levels).  The generator keeps track of every process's
# regions, threads and CPUs, so every operation is valid for the trace format
# (an operation the kernel would fail, such as a write to a read-only region,
# is replayed as the kernel would, as in any real trace).
#
#   contrib/gen-large-trace.sh 3000 s390x 1 >traces/large-generated.trace
#   contrib/gen-large-trace.sh 10000000 pae 7 >/tmp/big.trace    # 10 M ops
#
# Exit status 2 with a message on bad arguments.

usage()
{
	echo "usage: gen-large-trace.sh N ARCH [SEED]  (N >= 1; ARCH s390x, s390 or pae; SEED >= 1)" >&2
	exit 2
}

test $# -ge 2 && test $# -le 3 || usage
n=$1
arch=$2
seed=${3:-1}
case $n in '' | *[!0-9]* | 0*) usage ;; esac
case $seed in '' | *[!0-9]* | 0*) usage ;; esac
case $arch in s390x | s390 | pae) ;; *) usage ;; esac
test ${#n} -le 9 || usage	# at most 999999999 operations
test ${#seed} -le 9 || usage

LC_ALL=C
export LC_ALL

exec awk -v N="$n" -v ARCH="$arch" -v SEED="$seed" '
# ---- random numbers: Park-Miller minimal standard, x in [1, 2^31 - 2] ----
function rnd(k)		# 0 .. k-1
{
	X = (X * 16807) % 2147483647
	return int(X / 2147483647 * k)
}
function pick(p)	# true with probability p percent
{
	return rnd(100) < p
}

# ---- numbers as the trace format wants them (no printf %d / %x: some awks
# limit those to 32 bits) ----
function hex(v,    s, d)
{
	if (v == 0)
		return "0x0"
	s = ""
	while (v > 0) {
		d = v % 16
		s = substr("0123456789abcdef", d + 1, 1) s
		v = (v - d) / 16
	}
	return "0x" s
}
function size(v)
{
	if (v % MB == 0)
		return (v / MB) "M"
	return (v / KB) "K"
}

# ---- the model of the generator: processes, regions, CPUs ----
# the live processes: LIVE[1..NLIVE], POS[m] = index of m in LIVE
function live_add(m)
{
	LIVE[++NLIVE] = m
	POS[m] = NLIVE
}
function live_del(m,    last)
{
	last = LIVE[NLIVE]
	LIVE[POS[m]] = last
	POS[last] = POS[m]
	delete LIVE[NLIVE--]
	delete POS[m]
}
function random_live()
{
	return LIVE[1 + rnd(NLIVE)]
}
function cpus_of(m,    c, k)
{
	k = 0
	for (c = 0; c < NCPU; c++)
		if (cpu_mm[c] == m)
			k++
	return k
}
function used_slot(m,    k, s)	# a random slot of mm m holding a region, or -1
{
	if (nreg[m] == 0)
		return -1
	k = rnd(nreg[m])
	for (s = 0; s < NSLOT; s++)
		if (len[m, s] > 0 && k-- == 0)
			return s
	return -1
}
function free_slot(m,    k, s, f)
{
	f = NSLOT - nreg[m]
	if (f == 0)
		return -1
	k = rnd(f)
	for (s = 0; s < NSLOT; s++)
		if (len[m, s] == 0 && k-- == 0)
			return s
	return -1
}
function random_len(    r)
{
	r = rnd(100)
	if (r < 45)
		return (1 + rnd(16)) * PAGE			# 4 KiB - 64 KiB
	if (r < 80)
		return (1 + rnd(16)) * 64 * KB			# 64 KiB - 1 MiB
	if (r < 95)
		return (1 + rnd(4)) * MB			# 1 - 4 MiB
	return SLOTSIZE
}
function random_prot(can_none,    r)
{
	r = rnd(100)
	if (r < 40)
		return "rw"
	if (r < 65)
		return "r"
	if (r < 80)
		return can_none ? "none" : "r"
	if (r < 90)
		return "rx"
	return "rwx"
}
# a random page-aligned subrange [SUB, SUB + SUBLEN) of region (m, s)
function subrange(m, s,    pages, a, b)
{
	pages = len[m, s] / PAGE
	a = rnd(pages)
	if (pick(25))
		a = 0
	b = a + 1 + rnd(pages - a > 64 ? 64 : pages - a)
	if (pick(15)) {
		a = 0
		b = pages
	}
	SUB = base[s] + a * PAGE
	SUBLEN = (b - a) * PAGE
}
function emit(line)
{
	print line
	OPS++
}

# ---- the operations; each returns 1 if it emitted one ----
function op_alloc(    s, l, kind)
{
	s = free_slot(CUR)
	if (s < 0)
		return 0
	l = random_len()
	kind = pick(10) ? " shared" : ""
	len[CUR, s] = l
	prot[CUR, s] = random_prot(1)
	nreg[CUR]++
	emit("alloc " hex(base[s]) " " size(l) " " prot[CUR, s] kind)
	return 1
}
function op_populate(    s, how)
{
	s = used_slot(CUR)
	if (s < 0 || prot[CUR, s] ~ /none/)
		return 0
	subrange(CUR, s)
	# like a program: writes only where it may write, no access to PROT_NONE
	how = prot[CUR, s] ~ /w/ && pick(70) ? "write" : "read"
	if (SUBLEN >= 64 * KB && pick(20))
		emit("populate " hex(SUB) " " size(SUBLEN) " " how " stride=" size(4 * PAGE * (1 + rnd(4))))
	else
		emit("populate " hex(SUB) " " size(SUBLEN) " " how)
	return 1
}
function op_protect(    s, p)
{
	s = used_slot(CUR)
	if (s < 0)
		return 0
	subrange(CUR, s)
	if (SUB == base[s] && SUBLEN == len[CUR, s])
		prot[CUR, s] = p = random_prot(1)
	else {
		# a part: never PROT_NONE; a region with parts of different
		# protections is only read (and not at all if a part is PROT_NONE)
		p = random_prot(0)
		if (prot[CUR, s] == "none" || prot[CUR, s] == "mixed-none")
			prot[CUR, s] = "mixed-none"
		else if (p != prot[CUR, s])
			prot[CUR, s] = "mixed"
	}
	emit("protect " hex(SUB) " " size(SUBLEN) " " p)
	return 1
}
function op_unmap(    s, keep)
{
	s = used_slot(CUR)
	if (s < 0)
		return 0
	keep = 0
	if (len[CUR, s] > PAGE && pick(50))
		keep = (1 + rnd(len[CUR, s] / PAGE - 1)) * PAGE
	if (keep) {
		emit("unmap " hex(base[s] + keep) " " size(len[CUR, s] - keep))
		len[CUR, s] = keep
	} else {
		emit("unmap " hex(base[s]) " " size(len[CUR, s]))
		len[CUR, s] = 0
		nreg[CUR]--
	}
	return 1
}
function op_advise(    s, r, what)
{
	s = used_slot(CUR)
	if (s < 0)
		return 0
	r = rnd(100)
	what = r < 40 ? "hugepage" : r < 60 ? "nohugepage" : "dontneed"
	if (what == "dontneed")
		subrange(CUR, s)
	else {
		SUB = base[s]
		SUBLEN = len[CUR, s]
	}
	emit("advise " hex(SUB) " " size(SUBLEN) " " what)
	return 1
}
function op_fork(    c, s)
{
	if (NLIVE >= MAXLIVE)
		return 0
	c = ++NMM
	live_add(c)
	threads[c] = 1
	nreg[c] = nreg[CUR]
	for (s = 0; s < NSLOT; s++) {
		len[c, s] = len[CUR, s]
		prot[c, s] = prot[CUR, s]
	}
	emit("fork " c)
	return 1
}
function op_switch(    m, c)
{
	m = random_live()
	if (m == CUR)
		return 0
	CUR = m
	if (cpus_of(m) == 0)
		cpu_mm[0] = m
	emit("mm " m)
	return 1
}
function op_exit(    m, c)
{
	if (NLIVE < 2)
		return 0
	emit("exit")
	live_del(CUR)
	for (c = 0; c < NCPU; c++)
		if (cpu_mm[c] == CUR)
			cpu_mm[c] = 0
	for (c = 0; c < NSLOT; c++) {
		delete len[CUR, c]
		delete prot[CUR, c]
	}
	m = random_live()
	CUR = m
	if (cpus_of(m) == 0)
		cpu_mm[0] = m
	emit("mm " m)
	return 2
}
function op_thread()
{
	if (threads[CUR] > 1 && pick(50)) {
		threads[CUR]--
		emit("thread -1")
	} else if (threads[CUR] < 8) {
		threads[CUR]++
		emit("thread +1")
	} else
		return 0
	return 1
}
function op_cpu(    c)
{
	c = rnd(NCPU)
	if (cpu_mm[c] == CUR) {
		if (cpus_of(CUR) < 2)
			return 0
		cpu_mm[c] = 0
		emit("cpu detach " c)
	} else {
		cpu_mm[c] = CUR
		emit("cpu attach " c)
	}
	return 1
}
function op_kmap(    a, l)
{
	a = VMALLOC + rnd(VMSLOTS) * 8 * PAGE
	l = (1 + rnd(8)) * PAGE
	emit("kmap " hex(a) " " size(l) " " (pick(70) ? "rw" : "r"))
	return 1
}

BEGIN {
	KB = 1024
	MB = 1024 * 1024
	PAGE = 4096
	SLOTSIZE = 4 * MB
	NSLOT = 64
	NCPU = 4
	MAXLIVE = 24
	X = SEED % 2147483647
	if (X == 0)
		X = 1
	for (i = 0; i < 10; i++)
		rnd(2)

	if (ARCH == "s390x") {
		for (s = 0; s < NSLOT - 2; s++)
			base[s] = 268435456 + s * 64 * MB	# 0x10000000 + s * 64 MiB
		base[NSLOT - 2] = 4398046511104			# 0x40000000000 = 4 TiB
		base[NSLOT - 1] = 4398046511104 + 64 * MB
		setline = "set cpus=" NCPU " thp=madvise"
	} else if (ARCH == "s390") {
		for (s = 0; s < NSLOT; s++)
			base[s] = 4 * MB + s * 32 * MB		# 0x00400000 .. below 2 GiB
		setline = "set cpus=" NCPU
	} else {
		for (s = 0; s < NSLOT; s++)
			base[s] = 128 * MB + s * 44 * MB	# 0x08000000 .. 0xb7000000
		setline = "set cpus=" NCPU " thp=madvise kernel-pmd=unshared"
		VMALLOC = 4160749568				# 0xf8000000
		VMSLOTS = 3800		# 0xf8000000 + 3800 * 32 KiB + 32 KiB < 0xff800000
	}

	print "# large-generated.trace: " N " operations of a generated " ARCH " workload: processes"
	print "# that map, fault in, mprotect, madvise and unmap regions, fork (up to " MAXLIVE " at a"
	print "# time), switch, exit, add and drop threads and move between " NCPU " CPUs" (ARCH == "pae" ? ", and kernel" : ".")
	if (ARCH == "pae")
		print "# kmap changes in the vmalloc area (kernel-pmd=unshared: copied into every pgd)."
	print "# A load and regression test for the engine (--check: invariants after every op)"
	print "# and the trace readers; not a hand-checked scenario.  Do not edit: regenerate."
	print "#"
	print "# Generated by: contrib/gen-large-trace.sh " N " " ARCH " " SEED
	print "#   contrib/gen-large-trace.sh " N " " ARCH " " SEED " >traces/large-generated.trace"
	print "#"
	print "# Checked by tests/cli/t1300-traces.sh (the file is regenerated and compared):"
	print "# expect summary: " N " operations, * 0 failed operations"
	print "pgtctl-trace 1"
	print "arch " ARCH
	print setline

	NMM = 1
	CUR = 1
	live_add(1)
	threads[1] = 1
	cpu_mm[0] = 1
	OPS = 0
	while (OPS < N) {
		left = N - OPS
		r = rnd(1000)
		done = 0
		if (nreg[CUR] == 0 || r < 140)
			done = op_alloc()
		else if (r < 440)
			done = op_populate()
		else if (r < 580)
			done = op_protect()
		else if (r < 680)
			done = op_unmap()
		else if (r < 730)
			done = op_advise()
		else if (r < 780)
			done = op_fork()
		else if (r < 860)
			done = op_switch()
		else if (r < 880 && left >= 2)
			done = op_exit()
		else if (r < 910)
			done = op_thread()
		else if (r < 950)
			done = op_cpu()
		else if (ARCH == "pae")
			done = op_kmap()
		if (!done)
			done = op_populate() || op_alloc() || op_protect() || op_unmap()
	}
}'
