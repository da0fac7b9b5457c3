#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Write a synthetic memory dump whose page tables use the real encodings,
for pgtctl's dump tests and benchmarks (issue 4).

The dump holds a small "RAM": page-table pages and a pool of data frames
that every leaf aliases (so a dump mapping 4 GiB stays small), wrapped in
one of the containers pgtctl reads.  Written from the format facts only
(ELF gABI, QEMU's and the kernel's notes, makedumpfile's on-disk layouts),
no code of makedumpfile, QEMU or libkdumpfile.

Architectures (--arch):
  pae    x86 PAE: a 32-byte PDPT at a non-page-aligned address (a slab
         object, as Linux allocates it), four page directories, page tables;
         64-bit entries with P/RW/US/A/D, some NX, some 2 MiB PSE leaves.  A
         separate, page-aligned swapper_pg_dir maps the RAM at 0xc0000000
         with 2 MiB global leaves (the kernel root).
  s390x  z/Architecture as Linux 6.1 uses it: a region-third table (16 KiB,
         2048 entries), segment tables (16 KiB), 2 KiB page tables (two per
         4 KiB page), empty PTE 0x400, user ASCE origin|0x1c7, kernel ASCE
         origin|0x007 mapping the RAM 1:1 with 4 KiB pages.

Containers (--format):
  elf    ELF64 as QEMU's dump-guest-memory writes it (EM_386 little-endian
         or EM_S390 big-endian, one PT_NOTE, PT_LOADs with p_vaddr 0);
         --elf-class 32 gives the kernel's /proc/vmcore form for PAE (ELF32,
         p_vaddr = p_paddr + 0xc0000000).
  kdump  makedumpfile's standard layout: disk_dump_header in the word size
         and byte order of the dumped machine (i386 32-bit, s390x 64-bit
         big-endian), kdump_sub_header v6, notes, both bitmaps, page
         descriptors, zlib-compressed pages (a raw page when zlib does not
         shrink it), zero pages sharing one raw zero page.
  flat   the same file in makedumpfile's flattened layout: a 4096-byte
         header "makedumpfile", then big-endian (offset, size) records, out
         of file order as makedumpfile writes them, end marker (-1, -1).

Notes: NT_PRSTATUS per CPU; for PAE QEMU's CPU-state note ("QEMU", type 0,
QEMUCPUState version 1, cr[3] at descriptor offset 416); for s390x
NT_S390_PREFIX and NT_S390_CTRS (CR1 = CR7 = user ASCE, CR13 = kernel ASCE);
VMCOREINFO.  CPU 0 runs the process (CR3 / CR1 = the user root); CPU 1
idles in the kernel (CR3 = swapper_pg_dir; s390x: kernel ASCE in CR1, the
user ASCE still in CR7).

Mapping: --pages N present 4 KiB units (2 MiB leaves count 512), spread
over four PDPT slots (PAE) or four 2 GiB regions (s390x), contiguous in
each; the leaf of VA v is frame data_base + ((v >> 12) % F) * 4096.

Corruptions (--corrupt KIND), for the corrupt-input corpus:
  loop          a PMD / segment entry pointing back at its own table
  wild          a PMD entry (PAE) / region-third entry (s390x) pointing at
                PA 0x7_0000_0000, far outside the RAM
  reserved      reserved bits 1-2 in a PDPTE (PAE); table type 00 in a
                region-third entry (s390x)
  shared-table  two PMD / segment entries pointing at the same page table
  bad-zlib      kdump: the zlib stream of a page-table page is broken
  lzo           kdump: the root table's page descriptor is flagged lzo
  ptload-beyond-eof  elf: the last PT_LOAD runs 1 MiB past the end

Output:
  -o FILE                 the dump
  --print-boundaries      "name offset" per header boundary of the file
  --truncate-at NAME|N    cut the file at a named boundary or byte offset
  --print-expect          "key value" lines: root_user (CR3 / ASCE),
                          root_kernel, swapper_pg_dir; user_pages,
                          user_leaves, user_tables, user_findings (what a
                          walk of the user root gives after the corruption:
                          a table is walked once, a malformed, wild or
                          unreadable entry is a finding and its subtree is
                          skipped), user_pages_intact; the same kernel_*;
                          corrupt_kind, corrupt_entry (the entry's PA),
                          user_wx_pages / kernel_wx_pages (PAE: 4 KiB
                          units writable and executable through the PDE),
                          user_alias_groups, user_alias_mappings (PAE:
                          leaves of the root whose frames overlap),
                          corrupt_target, corrupt_page (bad-zlib, lzo);
                          user_va_range / kernel_va_range START END (the
                          mapped VAs, for addrxlat sweeps); ram_range.
Other options: --pages N, --ram-frames F (multiple of 512), --cpus N,
--elf-class 32, --qemu-header (QEMU 7.2's e_ehsize 8 and section headers in
host order), --kdump-word 32|64, --qemu-kdump (empty utsname.machine),
--exclude-zero (zero pages left out of a kdump, dump level 1).

Checked against libkdumpfile/libaddrxlat 0.5.1 (tests/bench/README.md):
every VA of the PAE ELF and kdump forms and of the s390x kdump form
translates to the frame given above, and the flattened form reassembles
(makedumpfile -R) into the standard form byte for byte.

Python 3 standard library only (struct, zlib).
"""

import argparse
import signal
import struct
import sys
import zlib

PAGE = 4096
MiB = 1 << 20
GiB = 1 << 30

# Far outside any RAM this tool writes, below the 44-bit PA limit of PAE
# Linux so that it is a plausible-looking but wild pointer.
WILD_PA = 0x7_0000_0000

PT_NULL, PT_LOAD, PT_NOTE = 0, 1, 4
ET_CORE = 4
EM_386, EM_S390 = 3, 22
NT_PRSTATUS = 1
NT_S390_CTRS = 0x304
NT_S390_PREFIX = 0x305

# makedumpfile's page-descriptor flags and header status bits
DUMP_DH_COMPRESSED_ZLIB = 0x1
DUMP_DH_COMPRESSED_LZO = 0x2

CORRUPTIONS = ("loop", "wild", "reserved", "shared-table", "bad-zlib", "lzo",
               "ptload-beyond-eof")


class Fail(Exception):
    pass


def align(x, a):
    return (x + a - 1) // a * a


# ---------------------------------------------------------------- memory

class Ram:
    """Physical memory: the ranges the dump holds, and the pages that are
    not all zero (everything else in a range reads as zeros)."""

    def __init__(self, big_endian):
        self.e = ">" if big_endian else "<"
        self.pages = {}          # pfn -> bytearray(PAGE)
        self.ranges = []         # [start, end), sorted, page aligned

    def page(self, pa):
        pfn = pa // PAGE
        p = self.pages.get(pfn)
        if p is None:
            p = self.pages[pfn] = bytearray(PAGE)
        return p

    def put64(self, pa, v):
        struct.pack_into(self.e + "Q", self.page(pa), pa % PAGE, v)

    def get64(self, pa):
        p = self.pages.get(pa // PAGE)
        return struct.unpack_from(self.e + "Q", p, pa % PAGE)[0] if p else 0

    def put_table(self, pa, values):
        """Write consecutive 64-bit entries (within one page)."""
        p = self.page(pa)
        struct.pack_into("%s%dQ" % (self.e, len(values)), p, pa % PAGE,
                         *values)

    def read(self, pa, n):
        out = bytearray()
        while n:
            p = self.pages.get(pa // PAGE)
            k = min(n, PAGE - pa % PAGE)
            out += p[pa % PAGE:pa % PAGE + k] if p else bytes(k)
            pa += k
            n -= k
        return bytes(out)

    def held(self, pa, n=1):
        return any(s <= pa and pa + n <= e for s, e in self.ranges)

    def max_pfn(self):
        return self.ranges[-1][1] // PAGE


class Alloc:
    """A bump allocator for table memory."""

    def __init__(self, base):
        self.next = base

    def take(self, size, alignment):
        self.next = align(self.next, alignment)
        pa = self.next
        self.next += size
        return pa


def split(n, parts):
    """n units over `parts` holders, the first ones one more."""
    return [n // parts + (1 if i < n % parts else 0) for i in range(parts)]


def fill_frames(ram, data_base, nframes):
    """The data frames: a recognisable first quadword (the frame's own PA)
    and a tag, so that compression has something to do and a reader that
    returns the wrong page shows it."""
    for i in range(nframes):
        pa = data_base + i * PAGE
        p = ram.page(pa)
        struct.pack_into(ram.e + "Q", p, 0, pa)
        p[8:24] = b"pgtctl-synth-pg\0"


# ---------------------------------------------------------------- PAE

PAE_P, PAE_RW, PAE_US, PAE_A, PAE_D, PAE_PS, PAE_G = 1, 2, 4, 0x20, 0x40, 0x80, 0x100
PAE_NX = 1 << 63
PAE_TABLE = PAE_P | PAE_RW | PAE_US | PAE_A | PAE_D   # Linux's _PAGE_TABLE
PAE_ADDR = 0x000f_ffff_ffff_f000
PAGE_OFFSET = 0xc0000000


def pae_pte_flags(vpn):
    """Varied but deterministic leaf flags: mostly private read-write
    dirty pages, some read-only, some no-exec (as kernel mappings use it;
    the pattern does not have to be what 6.1 gives user pages)."""
    f = PAE_P | PAE_US | PAE_A
    if vpn % 7 != 3:
        f |= PAE_RW | PAE_D
    if vpn % 5 == 1:
        f |= PAE_NX
    return f


class Model:
    """What the generator built, in terms a checker needs."""

    def __init__(self):
        self.arch = None
        self.ram = None
        self.user_root = None     # CR3 or ASCE
        self.kernel_root = None
        self.swapper = None       # PA of swapper_pg_dir
        self.va_ranges = []       # [start, end) holding user mappings
        self.kernel_va_ranges = []
        self.pte_blocks = []      # (table_pa, units, entry_pa, level_name)
        self.corrupt = {}         # what --corrupt changed
        self.unreadable = set()   # pfns a reader cannot decompress
        self.root_page = None     # pfn of the user root table
        self.data_base = None     # PA of the first data frame
        self.cpus = []            # per-CPU state for the notes
        self.vmcoreinfo = b""


def build_pae(o):
    m = Model()
    m.arch = "pae"
    ram = m.ram = Ram(False)
    al = Alloc(0x100000)        # tables above the first MiB, as on a PC

    # The user PDPT is a 32-byte slab object: not page aligned, like the
    # real dumps' 0x022022e0.  The rest of its slab page stays zero.
    slab = al.take(PAGE, PAGE)
    pdpt = slab + 0x2e0
    swapper = al.take(PAGE, PAGE)
    kpmd = al.take(PAGE, PAGE)
    pmds = [al.take(PAGE, PAGE) for _ in range(4)]

    n_slot = split(o.pages, 4)
    # per slot: blocks of 512 units (2 MiB); a full block with b % 16 == 1
    # is a PSE leaf, every other block gets a page table
    blocks = []                 # (slot, b, units, is_pse)
    for s in range(4):
        n = n_slot[s]
        b = 0
        while n > 0:
            u = min(512, n)
            blocks.append((s, b, u, u == 512 and b % 16 == 1))
            n -= u
            b += 1
    npt = sum(1 for x in blocks if not x[3])
    pt_base = al.take(npt * PAGE, PAGE)
    tables_end = al.next
    # Page tables in a scrambled order, as a buddy allocator hands them
    # out: a reader must not depend on tables being in address order.
    mult = 40503
    while npt > 1 and gcd(mult, npt) != 1:
        mult += 2
    data_base = max(align(tables_end, 2 * MiB), 2 * MiB)
    F = o.ram_frames
    data_end = data_base + F * PAGE
    if data_end > 768 * MiB:
        raise Fail("--ram-frames too large for the PAE direct map")

    def leaf_pa(va):
        return data_base + ((va >> 12) % F) * PAGE

    pmd_vals = [[0] * 512 for _ in range(4)]
    k = 0
    for (s, b, u, pse) in blocks:
        va = (s << 30) | (b << 21)
        if pse:
            v = leaf_pa(va) | PAE_TABLE | PAE_PS
            if b % 32 == 1:
                v |= PAE_NX
            pmd_vals[s][b] = v
            m.pte_blocks.append((None, 512, pmds[s] + 8 * b, "pmd-leaf", s, b))
            continue
        pt = pt_base + ((k * mult) % npt) * PAGE
        k += 1
        vals = [leaf_pa(va + (j << 12)) | pae_pte_flags((va >> 12) + j)
                for j in range(u)]
        ram.put_table(pt, vals)
        pmd_vals[s][b] = pt | PAE_TABLE
        m.pte_blocks.append((pt, u, pmds[s] + 8 * b, "pmd", s, b))
    for s in range(4):
        ram.put_table(pmds[s], pmd_vals[s])
        # Bit 5 (A) is what QEMU's walker leaves in every PDPTE of a real
        # dump (reserved on CPUs, never written by Linux): a reader must
        # tolerate it.
        ram.put64(pdpt + 8 * s, pmds[s] | PAE_P | PAE_A)
        if n_slot[s]:
            m.va_ranges.append((s << 30, (s << 30) + n_slot[s] * PAGE))

    # Kernel: swapper_pg_dir's 4th entry -> a PMD mapping the RAM at
    # PAGE_OFFSET with 2 MiB global leaves (the lowmem direct map); text
    # (the first 16 MiB) executable, the rest NX.
    kentries = align(data_end, 2 * MiB) // (2 * MiB)
    kvals = []
    for i in range(kentries):
        v = (i << 21) | PAE_P | PAE_RW | PAE_A | PAE_D | PAE_PS | PAE_G
        if i >= 8:
            v |= PAE_NX
        kvals.append(v)
    ram.put_table(kpmd, kvals)
    ram.put64(swapper + 24, kpmd | PAE_P)
    m.kernel_va_ranges.append((PAGE_OFFSET, PAGE_OFFSET + kentries * 2 * MiB))

    fill_frames(ram, data_base, F)
    # A PC's RAM: 640 KiB of low memory, then from 1 MiB; the gap between
    # the tables and the data frames is left out (a hole the dump does not
    # hold, as a PT_LOAD-less region).
    ram.ranges = [(0, 0xa0000), (0x100000, align(tables_end, PAGE)),
                  (data_base, data_end)]
    if ram.ranges[1][1] >= data_base:
        ram.ranges = [(0, 0xa0000), (0x100000, data_end)]

    m.data_base = data_base
    m.user_root = pdpt
    m.kernel_root = swapper
    m.swapper = swapper
    m.root_page = pdpt // PAGE
    m.pmds = pmds
    m.pdpt = pdpt
    m.n_slot = n_slot
    m.cpus = [{"pid": 1000, "user": True, "cr3": pdpt}]
    for c in range(1, o.cpus):
        m.cpus.append({"pid": 0, "user": False, "cr3": swapper})
    m.vmcoreinfo = (
        "OSRELEASE=6.1.0-synth-686-pae\n"
        "PAGESIZE=4096\n"
        "SYMBOL(swapper_pg_dir)=%x\n"
        "SYMBOL(_stext)=c1000000\n"
        "KERNELOFFSET=0\n"
        "CONFIG_X86_PAE=y\n" % (PAGE_OFFSET + swapper)).encode()
    return m


def gcd(a, b):
    while b:
        a, b = b, a % b
    return a


# ---------------------------------------------------------------- s390x

S_PTE_EMPTY = 0x400
S_SEG_EMPTY = 0x20
S_R3_EMPTY = 0x24
S_R3_LINK = 0x7            # TT=01 (region third) | TL=3
S_ASCE_USER = 0x1c0 | 0x4 | 0x3   # P S X | DT=01 | TL=3
S_ASCE_KERNEL = 0x4 | 0x3
# software bits: present 0x001, soft-dirty 0x002, young 0x004, dirty 0x008,
# read 0x010, write 0x020; hardware P 0x200, IEP (NX) 0x100
S_RW_DATA = 0x13f          # young dirty read write soft-dirty, NX
S_COW = 0x31f              # write-protected after fork (P), NX
S_TEXT = 0x215             # read-only executable
S_KERNEL = 0x13d           # kernel direct map: NX read write young dirty

# The user regions: (region-third index, offset of the first page): low
# text/data at 16 MiB, two full regions, and the top of the 4 TiB space
# where the stack lives.
S_REGIONS = ((0, 16 * MiB), (1, 0), (2, 0), (2047, GiB))


def s390_pte_flags(vpn):
    if vpn % 11 == 5:
        return S_TEXT
    if vpn % 7 == 3:
        return S_COW
    return S_RW_DATA


class Alloc2K:
    """Linux 6.1's page-table fragments: 2 KiB tables, two per 4 KiB page,
    the lower half first."""

    def __init__(self, al):
        self.al = al
        self.half = None

    def take(self):
        if self.half is not None:
            pa, self.half = self.half, None
            return pa
        pa = self.al.take(PAGE, PAGE)
        self.half = pa + 2048
        return pa


def build_s390x(o):
    m = Model()
    m.arch = "s390x"
    ram = m.ram = Ram(True)
    al = Alloc(0x100000)
    r3 = al.take(16384, 16384)
    kr3 = al.take(16384, 16384)
    pts = Alloc2K(al)

    n_reg = split(o.pages, 4)
    r3_vals = [S_R3_EMPTY] * 2048
    m.segtabs = {}
    for (ri, off), n in zip(S_REGIONS, n_reg):
        if n == 0:
            continue
        if off + n * PAGE > 2 * GiB:
            raise Fail("too many pages for region %d" % ri)
        st = al.take(16384, 16384)
        m.segtabs[ri] = st
        r3_vals[ri] = st | S_R3_LINK
        base = (ri << 31) + off
        m.va_ranges.append((base, base + n * PAGE))
    # page tables after all segment tables (fragments interleave regions)
    data_first = None
    m.r3 = r3
    seg_vals = {ri: [S_SEG_EMPTY] * 2048 for ri in m.segtabs}
    pending = []
    for (ri, off), n in zip(S_REGIONS, n_reg):
        if n == 0:
            continue
        va = (ri << 31) + off
        while n > 0:
            g = (va >> 20) & 2047
            first = (va >> 12) & 255
            u = min(256 - first, n)
            pt = pts.take()
            pending.append((pt, va, first, u))
            seg_vals[ri][g] = pt            # Linux 6.1: origin, no bits
            m.pte_blocks.append((pt, u, m.segtabs[ri] + 8 * g, "ste", ri, g))
            va += u * PAGE
            n -= u
    # the kernel's tables: one segment table for the first 2 GiB
    kst = al.take(16384, 16384)
    tables_mark = al.next
    # data_end depends on the number of kernel page tables, which depends
    # on data_end: size for the worst case (one PT per MiB of RAM)
    F = o.ram_frames
    est_end = align(tables_mark + (F * PAGE + tables_mark) // MiB * 2048
                    + 8 * PAGE, MiB)
    data_base = align(est_end, MiB)
    data_end = data_base + F * PAGE
    if data_end > 2 * GiB:
        raise Fail("--ram-frames too large")
    kpt = []
    for g in range(data_end // MiB):
        kpt.append(pts.take())
    tables_end = align(al.next, PAGE)
    if tables_end > data_base:
        raise Fail("internal: s390x tables overlap the data frames")

    def leaf_pa(va):
        return data_base + ((va >> 12) % F) * PAGE

    for (pt, va, first, u) in pending:
        vals = [S_PTE_EMPTY] * 256
        vpn0 = va >> 12
        for j in range(u):
            vals[first + j] = leaf_pa(va + j * PAGE) | s390_pte_flags(vpn0 + j)
        ram.put_table(pt, vals)
    for ri, st in m.segtabs.items():
        for q in range(4):      # 16 KiB: four pages of 512 entries
            ram.put_table(st + q * PAGE, seg_vals[ri][q * 512:(q + 1) * 512])
    for q in range(4):
        ram.put_table(r3 + q * PAGE, r3_vals[q * 512:(q + 1) * 512])

    # kernel: 1:1 map of [0, data_end) with 4 KiB pages (no EDAT under
    # TCG, as in the real dump); the first page (lowcore) executable
    kst_vals = [S_SEG_EMPTY] * 2048
    for g, pt in enumerate(kpt):
        vals = []
        for j in range(256):
            pa = (g << 20) | (j << 12)
            vals.append(pa | (0x03d if pa == 0 else S_KERNEL))
        ram.put_table(pt, vals)
        kst_vals[g] = pt
    for q in range(4):
        ram.put_table(kst + q * PAGE, kst_vals[q * 512:(q + 1) * 512])
    kr3_vals = [S_R3_EMPTY] * 2048
    kr3_vals[0] = kst | S_R3_LINK
    for q in range(4):
        ram.put_table(kr3 + q * PAGE, kr3_vals[q * 512:(q + 1) * 512])
    m.kernel_va_ranges.append((0, len(kpt) * MiB))

    fill_frames(ram, data_base, F)
    ram.ranges = [(0, data_end)]
    m.data_base = data_base
    m.user_root = r3 | S_ASCE_USER
    m.kernel_root = kr3 | S_ASCE_KERNEL
    m.swapper = kr3
    m.root_page = r3 // PAGE
    m.n_region = n_reg
    # lowcores (prefix areas) of the CPUs: 8 KiB each from 64 KiB
    m.cpus = [{"pid": 1000, "user": True, "prefix": 0x10000}]
    for c in range(1, o.cpus):
        m.cpus.append({"pid": 0, "user": False, "prefix": 0x10000 + c * 0x2000})
    m.vmcoreinfo = (
        "OSRELEASE=6.1.0-synth-s390x\n"
        "PAGESIZE=4096\n"
        "SYMBOL(swapper_pg_dir)=%x\n"
        "KERNELOFFSET=0\n" % kr3).encode()
    return m


# ---------------------------------------------------------------- corruption

def pick_blocks(m, count):
    """Deterministic choice of page-table blocks (not PSE leaves) from the
    second user slot/region when it has tables: entries other than a
    table's first (so that the entry's address differs from its table's),
    full tables before partial ones, from the middle of the run."""
    cands = [b for b in m.pte_blocks if b[0] is not None]
    if len(cands) < count:
        raise Fail("--pages too small for this corruption (need %d page tables)" % count)
    holders = sorted({b[4] for b in cands})
    want = holders[1] if len(holders) > 1 else holders[0]
    same = [b for b in cands if b[4] == want]
    if len(same) < count:
        same = cands
    full = 512 if m.arch == "pae" else 256
    mid = len(same) // 2
    order = sorted(range(len(same)),
                   key=lambda i: (same[i][5] == 0, same[i][1] != full,
                                  abs(i - mid), i))
    return sorted((same[i] for i in order[:count]), key=lambda b: b[2])


def corrupt_tree(m, kind):
    ram = m.ram
    c = m.corrupt
    c["kind"] = kind
    if kind == "loop":
        (pt, u, entry, lvl, h, i) = pick_blocks(m, 1)[0]
        table = entry - 8 * i
        # a PMD / segment entry naming its own table as a page table
        ram.put64(entry, table | (PAE_TABLE if m.arch == "pae" else 0))
        c.update(entry=entry, target=table)
    elif kind == "wild":
        if m.arch == "pae":
            (pt, u, entry, lvl, h, i) = pick_blocks(m, 1)[0]
            ram.put64(entry, WILD_PA | PAE_TABLE)
        else:
            ri = sorted(m.segtabs)[min(2, len(m.segtabs) - 1)]
            entry = m.r3 + 8 * ri
            ram.put64(entry, WILD_PA | S_R3_LINK)
        c.update(entry=entry, target=WILD_PA)
    elif kind == "reserved":
        if m.arch == "pae":
            s = max(i for i in range(4) if m.n_slot[i])
            entry = m.pdpt + 8 * s
            # RW and US: reserved in a PDPTE (a PAE CPU raises #GP when
            # CR3 is loaded with them), a classic 64-bit-paging mix-up
            ram.put64(entry, ram.get64(entry) | PAE_RW | PAE_US)
        else:
            ri = sorted(m.segtabs)[min(2, len(m.segtabs) - 1)]
            entry = m.r3 + 8 * ri
            # table type 00 (segment) in a region-third table
            ram.put64(entry, ram.get64(entry) & ~0xc)
        c.update(entry=entry, target=ram.get64(entry))
    elif kind == "shared-table":
        a, b = pick_blocks(m, 2)
        ram.put64(b[2], ram.get64(a[2]))
        c.update(entry=b[2], target=a[0], first_entry=a[2])
    elif kind == "bad-zlib":
        (pt, u, entry, lvl, h, i) = pick_blocks(m, 1)[0]
        m.unreadable.add(pt // PAGE)
        c.update(entry=entry, target=pt & ~(PAGE - 1), page=pt & ~(PAGE - 1))
    elif kind == "lzo":
        m.unreadable.add(m.root_page)
        c.update(entry=m.user_root & ~0xfff, target=m.root_page * PAGE,
                 page=m.root_page * PAGE)
    elif kind == "ptload-beyond-eof":
        pass
    else:
        raise Fail("unknown --corrupt %s" % kind)


# ---------------------------------------------------------------- self check

def self_walk(m, root):
    """Walk the final memory the way the dump README's rules and pgtctl's
    walker do: a table is walked once (a second reference is a finding), a
    table outside the RAM or unreadable is a finding, a malformed entry is a
    finding and its subtree is skipped.  Returns pages, leaves, tables,
    findings (the expected --summary of pgtctl)."""
    ram = m.ram
    limit = ram.ranges[-1][1]
    st = {"pages": 0, "leaves": 0, "tables": 0, "findings": 0,
          "wx_pages": 0, "frames": []}
    seen = set()

    def readable(pa, size):
        if not ram.held(pa, size):
            return False
        return all(p not in m.unreadable
                   for p in range(pa // PAGE, (pa + size - 1) // PAGE + 1))

    def table(pa, size):
        if pa in seen:
            st["findings"] += 1
            return None
        if not readable(pa, size):
            st["findings"] += 1
            return None
        seen.add(pa)
        st["tables"] += 1
        raw = ram.read(pa, size)
        return struct.unpack("%s%dQ" % (ram.e, size // 8), raw)

    def leaf(units, pa=None, wx=False):
        st["pages"] += units
        st["leaves"] += 1
        if wx:
            st["wx_pages"] += units
        if pa is not None:
            st["frames"].append((pa, pa + units * PAGE))

    if m.arch == "pae":
        top = table(root & ~0x1f, 32)
        for v in top or ():
            if not v or not v & PAE_P:
                continue
            if v & (0x1c6 | 0xfff0_0000_0000_0000):
                st["findings"] += 1
                continue
            nxt = v & PAE_ADDR
            if nxt >= limit:
                st["findings"] += 1
                continue
            for d in table(nxt, PAGE) or ():
                if not d & PAE_P:
                    continue
                if d & PAE_PS:
                    leaf(512, d & PAE_ADDR & ~(2 * MiB - 1),
                         bool(d & PAE_RW) and not d & PAE_NX)
                    continue
                nxt = d & PAE_ADDR
                if nxt >= limit:
                    st["findings"] += 1
                    continue
                for e in table(nxt, PAGE) or ():
                    if e & PAE_P:
                        # W and X through the PDE: both must allow it
                        leaf(1, e & PAE_ADDR,
                             bool(e & d & PAE_RW) and not (e | d) & PAE_NX)
    else:
        def seg(v):
            if v == S_SEG_EMPTY:
                return
            if v & 0xc or v & 0x20 or v & 0x1c2:
                st["findings"] += 1
                return
            nxt = v & ~0x7ff
            if nxt >= limit:
                st["findings"] += 1
                return
            for e in table(nxt, 2048) or ():
                if e != S_PTE_EMPTY and not e & 0x400 and e & 1:
                    leaf(1)

        for v in table(root & ~0xfff, 16384) or ():
            if v == S_R3_EMPTY:
                continue
            if (v >> 2) & 3 != 1 or v & 0x20 or v & 0x400:
                st["findings"] += 1
                continue
            nxt = v & ~0xfff
            if nxt >= limit:
                st["findings"] += 1
                continue
            for s in table(nxt, 16384) or ():
                seg(s)
    return st


def alias_groups(frames):
    """Groups of leaves of one root whose frames overlap, with more than
    one leaf: (groups, leaves in them), what pgtctl dump --aliases must
    find over that root alone."""
    groups = mappings = 0
    end = None
    size = 0
    for pa, e in sorted(frames) + [(None, None)]:
        if pa is not None and end is not None and pa < end:
            end = max(end, e)
            size += 1
            continue
        if size >= 2:
            groups += 1
            mappings += size
        end, size = e, 1
    return groups, mappings


# ---------------------------------------------------------------- notes

def note(e, name, ntype, desc):
    """One ELF note; Elf32_Nhdr and Elf64_Nhdr are the same three words,
    name and descriptor padded to 4 bytes (as QEMU and the kernel write
    them in ELF64 cores too)."""
    n = name.encode() + b"\0"
    out = struct.pack(e + "III", len(n), len(desc), ntype)
    out += n + bytes(align(len(n), 4) - len(n))
    out += desc + bytes(align(len(desc), 4) - len(desc))
    return out


def prstatus_i386(pid, user):
    # struct elf_prstatus for i386, 144 bytes: siginfo (12), cursig (2+2),
    # sigpend, sighold, pid, ppid, pgrp, sid (6 x 4), 4 timevals (32),
    # 17 registers, fpvalid
    d = bytearray(144)
    struct.pack_into("<I", d, 24, pid)
    regs = [0] * 17
    regs[12] = 0x08049000 if user else 0xc1000000      # eip
    regs[13] = 0x73 if user else 0x60                  # xcs
    regs[14] = 0x246                                   # eflags
    regs[15] = 0xbf800000 if user else 0xc1400000      # esp
    regs[16] = 0x7b if user else 0x68                  # xss
    struct.pack_into("<17I", d, 72, *regs)
    return bytes(d)


def qemu_cpustate(cr3):
    # QEMUCPUState v1: version, size, 16 GPRs, rip, rflags, 10 segments of
    # 24 bytes, cr[5], kernel_gs_base: 440 bytes; cr[0] at 392, cr[3] at 416
    d = bytearray(440)
    struct.pack_into("<II", d, 0, 1, 440)
    struct.pack_into("<5Q", d, 392, 0x80050033, 0, 0, cr3, 0x6b0)
    return bytes(d)


def prstatus_s390x(pid, user):
    # struct elf_prstatus for s390x, 336 bytes: the generic 64-bit header
    # (pid at 32), then s390_regs: PSW mask and address at 112, 16 GPRs,
    # 16 access registers, orig_gpr2; fpvalid
    d = bytearray(336)
    struct.pack_into(">I", d, 32, pid)
    # PSW: DAT, I/O, external, machine check; problem state (0x0001 << 48)
    # for the user CPU, the kernel's home-space mode for the idle one
    mask = 0x0705200180000000 if user else 0x0704c00180000000
    struct.pack_into(">QQ", d, 112, mask, 0x1000a00 if user else 0x100)
    return bytes(d)


def build_notes(m, be):
    e = ">" if be else "<"
    out = b""
    for c in m.cpus:
        if m.arch == "pae":
            out += note(e, "CORE", NT_PRSTATUS, prstatus_i386(c["pid"], c["user"]))
        else:
            out += note(e, "CORE", NT_PRSTATUS, prstatus_s390x(c["pid"], c["user"]))
            out += note(e, "LINUX", NT_S390_PREFIX, struct.pack(">I", c["prefix"]))
            cr = [0] * 16
            cr[0] = 0x14066a10
            cr[1] = m.user_root if c["user"] else m.kernel_root
            cr[7] = m.user_root
            cr[13] = m.kernel_root
            cr[14] = 0xdb000000
            out += note(e, "LINUX", NT_S390_CTRS, struct.pack(">16Q", *cr))
    if m.arch == "pae":
        for c in m.cpus:
            out += note(e, "QEMU", 0, qemu_cpustate(c["cr3"]))
    vmci_off = len(out) + 12 + align(len("VMCOREINFO") + 1, 4)
    out += note(e, "VMCOREINFO", 0, m.vmcoreinfo)
    return out, vmci_off


# ---------------------------------------------------------------- ELF

class Out:
    """The file being written, with named boundaries."""

    def __init__(self):
        self.chunks = []
        self.size = 0
        self.marks = []

    def mark(self, name, off=None):
        self.marks.append((name, self.size if off is None else off))

    def add(self, b):
        self.chunks.append(b)
        self.size += len(b)

    def bytes(self):
        return b"".join(self.chunks)


def write_elf(m, o):
    ram = m.ram
    be = m.arch == "s390x"
    e = ">" if be else "<"
    cls64 = o.elf_class == 64
    machine = EM_386 if m.arch == "pae" else EM_S390
    notes, _ = build_notes(m, be)
    loads = list(ram.ranges)
    phnum = 1 + len(loads)
    ehsize, phentsize = (64, 56) if cls64 else (52, 32)
    shnum = 2 if o.qemu_header else 0
    shoff = ehsize if o.qemu_header else 0
    phoff = ehsize + shnum * 64 if o.qemu_header else ehsize
    notes_off = phoff + phnum * phentsize
    data_off = notes_off + len(notes)    # QEMU: no alignment of PT_LOADs

    f = Out()
    ident = b"\x7fELF" + bytes([2 if cls64 else 1, 2 if be else 1, 1]) + bytes(9)
    f.mark("elf.e_ident")
    if cls64:
        hdr = ident + struct.pack(e + "HHIQQQIHHHHHH", ET_CORE, machine, 1, 0,
                                  phoff, shoff, 0,
                                  8 if o.qemu_header else ehsize,
                                  phentsize, phnum, 64 if shnum else 0,
                                  shnum, 1 if shnum else 0)
    else:
        hdr = ident + struct.pack(e + "HHIIIIIHHHHHH", ET_CORE, machine, 1, 0,
                                  phoff, 0, 0, ehsize, phentsize, phnum, 0, 0, 0)
    f.add(hdr)
    f.mark("elf.e_ident.inside", 7)
    f.mark("elf.e_ident.end", 16)
    f.mark("elf.ehdr.inside", 40)
    f.mark("elf.ehdr.end")
    if shnum:
        # QEMU 7.2: a null section and .shstrtab written in host (little-
        # endian) byte order whatever the guest's, e_ehsize 8
        f.add(bytes(64))
        f.add(struct.pack("<IIQQQQIIQQ", 1, 3, 0, 0, 0, 11, 0, 0, 0, 0))
        f.mark("elf.shdrs.end")
    phdrs = [(PT_NOTE, notes_off, 0, 0, len(notes), len(notes))]
    off = data_off
    for (s, end) in loads:
        va = (PAGE_OFFSET + s) if (not cls64 and m.arch == "pae") else 0
        phdrs.append((PT_LOAD, off, va, s, end - s, end - s))
        off += end - s
    if o.corrupt == "ptload-beyond-eof":
        t, po, va, pa, fs, ms = phdrs[-1]
        phdrs[-1] = (t, po, va, pa, fs + MiB, ms + MiB)
    for i, (t, po, va, pa, fs, ms) in enumerate(phdrs):
        f.mark("elf.phdr%d" % i)
        if cls64:
            f.add(struct.pack(e + "IIQQQQQQ", t, 7 if t == PT_LOAD else 0,
                              po, va, pa, fs, ms, 0))
        else:
            f.add(struct.pack(e + "IIIIIIII", t, po, va, pa, fs, ms,
                              7 if t == PT_LOAD else 0, 0))
        if i == 0:
            f.mark("elf.phdr0.inside", f.size - phentsize // 2)
    f.mark("elf.phdrs.end")
    f.mark("elf.notes")
    # every note's start, one cut inside the first note's header and one
    # inside its descriptor
    p = 0
    i = 0
    while p < len(notes):
        nsz, dsz, _ = struct.unpack_from(e + "III", notes, p)
        f.mark("elf.note%d" % i, notes_off + p)
        if i == 0:
            f.mark("elf.note0.header.inside", notes_off + p + 6)
            f.mark("elf.note0.desc.inside", notes_off + p + 12 + align(nsz, 4) + 20)
        p += 12 + align(nsz, 4) + align(dsz, 4)
        i += 1
    f.add(notes)
    f.mark("elf.notes.end")
    for i, (s, end) in enumerate(loads):
        f.mark("elf.load%d" % (i + 1))
        base = f.size
        for pa in range(s, end, PAGE):
            pg = ram.pages.get(pa // PAGE)
            f.add(bytes(pg) if pg is not None else bytes(PAGE))
        # cuts inside this PT_LOAD: inside a page, and at the root table's
        # page, a page table page and a data frame when they are in here
        f.mark("elf.load%d.inside" % (i + 1), base + PAGE + 100 if end - s > 2 * PAGE else base + 100)
        for name, pa in (("root", m.root_page * PAGE), ("pte", first_pt(m)),
                         ("frame", m.data_base)):
            if pa is not None and s <= pa < end:
                f.mark("elf.load%d.%s" % (i + 1, name), base + pa - s)
                f.mark("elf.load%d.%s.inside" % (i + 1, name), base + pa - s + 2000)
    f.mark("elf.eof-1", f.size - 1)
    return f


def first_pt(m):
    for b in m.pte_blocks:
        if b[0] is not None:
            return b[0] & ~(PAGE - 1)
    return None


# ---------------------------------------------------------------- kdump

def kdump_layout(m, o):
    """Build the standard-layout file as a list of (offset, bytes) pieces
    in the order makedumpfile writes them, plus marks."""
    ram = m.ram
    be = m.arch == "s390x"
    e = ">" if be else "<"
    word = o.kdump_word or (32 if m.arch == "pae" else 64)
    L = "I" if word == 32 else "Q"       # unsigned long
    bs = PAGE
    max_mapnr = ram.max_pfn()
    notes, vmci_in_notes = build_notes(m, be)
    pieces = []
    marks = []

    # disk_dump_header: signature, header_version, new_utsname (6 x 65),
    # timeval (long alignment), status, block_size, sub_hdr_size,
    # bitmap_blocks, max_mapnr, total_ram_blocks, device_blocks,
    # written_blocks, current_cpu, nr_cpus
    uts = b""
    machine = b"" if o.qemu_kdump else (b"i686" if m.arch == "pae" else b"s390x")
    for field in (b"Linux", b"synth", m.vmcoreinfo.split(b"\n")[0][10:],
                  b"#1 SMP synthetic", machine, b"(none)"):
        uts += field + bytes(65 - len(field))
    hdr = b"KDUMP   " + struct.pack(e + "i", 6) + uts
    hdr += bytes(align(len(hdr), word // 8) - len(hdr))
    hdr += struct.pack(e + L + L, 0x66000000, 0)        # timestamp
    bitmap_len = align((max_mapnr + 7) // 8, bs)
    bitmap_blocks = 2 * bitmap_len // bs

    # sub-header v6 with the notes and VMCOREINFO after it in the same
    # blocks, as makedumpfile places them
    if word == 32:
        # i386: 8-byte members are 4-byte aligned
        sub_fmt = e + "IiiII" + "qI" + "qI" + "qI" + "QQQ"
    else:
        sub_fmt = e + "QiiQQ" + "qQ" + "qQ" + "qQ" + "QQQ"
    sub_size = struct.calcsize(sub_fmt)
    notes_off = bs + sub_size
    vmci_off = notes_off + vmci_in_notes
    sub = struct.pack(sub_fmt, 0, 0, 0, 0, 0,
                      vmci_off, len(m.vmcoreinfo),
                      notes_off, len(notes),
                      0, 0,
                      0, max_mapnr, max_mapnr)
    sub_hdr_size = (sub_size + len(notes) + bs - 1) // bs
    status = DUMP_DH_COMPRESSED_ZLIB
    hdr += struct.pack(e + "Iii" + "I" * 6 + "i", status, bs,
                       sub_hdr_size, bitmap_blocks, min(max_mapnr, 0xffffffff),
                       0, 0, 0, 0, len(m.cpus))
    marks += [("kdump.header", 0), ("kdump.header.inside", 8),
              ("kdump.header.utsname", 12), ("kdump.header.status", len(hdr) - 40),
              ("kdump.header.end", len(hdr))]
    pieces.append((0, hdr))
    pieces.append((bs, sub))
    pieces.append((notes_off, notes))
    marks += [("kdump.subheader", bs), ("kdump.subheader.inside", bs + 20),
              ("kdump.subheader.end", bs + sub_size), ("kdump.notes", notes_off),
              ("kdump.notes.inside", notes_off + 30), ("kdump.vmcoreinfo", vmci_off),
              ("kdump.notes.end", notes_off + len(notes))]

    # bitmaps: the first says which PFNs are RAM, the second which pages
    # are in the file (the same here unless --exclude-zero)
    bm1 = bytearray(bitmap_len)
    bm2 = bytearray(bitmap_len)
    dumped = []
    for (s, end) in ram.ranges:
        for pfn in range(s // PAGE, end // PAGE):
            bm1[pfn >> 3] |= 1 << (pfn & 7)
            if o.exclude_zero and pfn not in ram.pages:
                continue
            bm2[pfn >> 3] |= 1 << (pfn & 7)
            dumped.append(pfn)
    bm_off = (1 + sub_hdr_size) * bs
    pieces.append((bm_off, bytes(bm1)))
    pieces.append((bm_off + bitmap_len, bytes(bm2)))
    marks += [("kdump.bitmap1", bm_off), ("kdump.bitmap1.inside", bm_off + 7),
              ("kdump.bitmap2", bm_off + bitmap_len),
              ("kdump.bitmap2.inside", bm_off + bitmap_len + 100)]

    desc_off = (1 + sub_hdr_size + bitmap_blocks) * bs
    data_off = desc_off + 24 * len(dumped)
    marks += [("kdump.descs", desc_off), ("kdump.descs.inside", desc_off + 30),
              ("kdump.descs.mid", desc_off + 24 * (len(dumped) // 2) + 12),
              ("kdump.descs.end", data_off), ("kdump.data", data_off)]
    # the shared zero page first (makedumpfile's pd_zero)
    pos = data_off
    zero_desc = None
    data_pieces = []
    descs = []
    if not o.exclude_zero:
        zero_desc = (pos, bs, 0)
        data_pieces.append((pos, bytes(bs)))
        pos += bs
    bad_page = None
    for pfn in dumped:
        pg = ram.pages.get(pfn)
        if pg is None:
            descs.append(zero_desc)
            continue
        z = zlib.compress(bytes(pg), 6)
        if len(z) < bs:
            flags = DUMP_DH_COMPRESSED_ZLIB
        else:
            z, flags = bytes(pg), 0
        if pfn in m.unreadable and o.corrupt == "bad-zlib":
            # BFINAL=1, BTYPE=11: a reserved block type right after the
            # zlib header, so inflate fails at once, whatever the reader
            z = bytearray(z)
            z[2] = 0xff
            z = bytes(z)
            flags = DUMP_DH_COMPRESSED_ZLIB
            bad_page = pos
        if pfn in m.unreadable and o.corrupt == "lzo":
            flags = DUMP_DH_COMPRESSED_LZO
            bad_page = pos
        if pfn == m.root_page:
            marks += [("kdump.data.root", pos), ("kdump.data.root.inside", pos + len(z) // 2)]
        if pfn * PAGE == first_pt(m):
            marks += [("kdump.data.pte", pos), ("kdump.data.pte.inside", pos + len(z) // 2)]
        if pfn * PAGE == m.data_base:
            marks += [("kdump.data.frame", pos)]
        descs.append((pos, len(z), flags))
        data_pieces.append((pos, z))
        pos += len(z)
    if bad_page is not None:
        marks.append(("kdump.data.corrupt", bad_page))
    last = data_pieces[-1][0] if data_pieces else data_off
    marks += [("kdump.data.last", last), ("kdump.eof-1", pos - 1)]
    desc_bytes = b"".join(struct.pack(e + "qIIQ", d[0], d[1], d[2], 0) for d in descs)
    # makedumpfile writes page data and descriptors in alternating
    # batches; keep that order for the flattened form (records out of file
    # order are legal and real)
    batch = 4096
    ordered = []
    if zero_desc:
        ordered.append(data_pieces[0])
        dp = data_pieces[1:]
    else:
        dp = data_pieces
    # data pieces are one per non-zero page, descriptors one per dumped page;
    # batch descriptors by count and data by the pages they describe
    di = 0
    for i in range(0, len(descs), batch):
        nz = sum(1 for d in descs[i:i + batch] if d is not zero_desc)
        ordered.extend(merge_pieces(dp[di:di + nz]))
        di += nz
        ordered.append((desc_off + 24 * i, desc_bytes[24 * i:24 * (i + batch)]))
    pieces.extend(ordered)
    return pieces, marks, pos, {"desc_off": desc_off, "data_off": data_off}


def merge_pieces(ps):
    """Adjacent pieces as one record, up to 1 MiB each."""
    out = []
    for off, b in ps:
        if out and out[-1][0] + len(out[-1][1]) == off and len(out[-1][1]) < MiB:
            out[-1] = (out[-1][0], out[-1][1] + b)
        else:
            out.append((off, b))
    return out


def write_kdump(m, o):
    pieces, marks, size, _ = kdump_layout(m, o)
    buf = bytearray(size)
    for off, b in pieces:
        buf[off:off + len(b)] = b
    f = Out()
    f.add(bytes(buf))
    f.marks = marks
    return f


def write_flat(m, o):
    pieces, kmarks, size, _ = kdump_layout(m, o)
    f = Out()
    # makedumpfile_header: signature, type (1 = flat header), version (1),
    # big-endian, padded to 4096 bytes
    hdr = b"makedumpfile" + bytes(4) + struct.pack(">qq", 1, 1)
    f.mark("flat.header")
    f.add(hdr + bytes(PAGE - len(hdr)))
    f.mark("flat.header.inside", 20)
    f.mark("flat.header.end")
    named = {0: "kdump_header", PAGE: "subheader"}
    for (name, off) in kmarks:
        if name in ("kdump.notes", "kdump.bitmap1", "kdump.bitmap2",
                    "kdump.descs", "kdump.data.root", "kdump.data.pte"):
            named.setdefault(off, name[6:].replace(".", "_"))
    for i, (off, b) in enumerate(pieces):
        label = named.get(off, None)
        if i < 4 or label:
            f.mark("flat.rec%d%s" % (i, "." + label if label else ""))
            f.mark("flat.rec%d.size" % i, f.size + 8)
            f.mark("flat.rec%d.data" % i, f.size + 16)
            if len(b) > 200:
                f.mark("flat.rec%d.data.inside" % i, f.size + 16 + len(b) // 2)
        f.add(struct.pack(">qq", off, len(b)))
        f.add(b)
    f.mark("flat.end_marker")
    f.mark("flat.end_marker.inside", f.size + 8)
    f.add(struct.pack(">qq", -1, -1))
    f.mark("flat.eof-1", f.size - 1)
    return f


# ---------------------------------------------------------------- main

def main(argv):
    # "| head" must not end in a traceback
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    ap = argparse.ArgumentParser(
        prog="gen-synth-dump.py",
        description="Write a synthetic memory dump with real page-table "
                    "encodings (see the module docstring).")
    ap.add_argument("--arch", choices=("pae", "s390x"), default="pae")
    ap.add_argument("--format", choices=("elf", "kdump", "flat"), default="elf")
    ap.add_argument("--pages", type=int, default=1048576,
                    help="present 4 KiB units in the user tree (default 1048576)")
    ap.add_argument("--ram-frames", type=int, default=16384,
                    help="data frames the leaves alias (multiple of 512; default 16384)")
    ap.add_argument("--cpus", type=int, default=2)
    ap.add_argument("--corrupt", choices=CORRUPTIONS)
    ap.add_argument("--elf-class", type=int, choices=(32, 64), default=64)
    ap.add_argument("--qemu-header", action="store_true",
                    help="ELF header as QEMU 7.2 writes it (e_ehsize 8, two section headers)")
    ap.add_argument("--kdump-word", type=int, choices=(32, 64),
                    help="word size of the kdump headers (default: the machine's)")
    ap.add_argument("--qemu-kdump", action="store_true",
                    help="empty utsname.machine in the kdump header, as QEMU writes it")
    ap.add_argument("--exclude-zero", action="store_true",
                    help="kdump: leave all-zero pages out (dump level 1)")
    ap.add_argument("-o", "--output")
    ap.add_argument("--print-boundaries", action="store_true")
    ap.add_argument("--print-expect", action="store_true")
    ap.add_argument("--truncate-at")
    o = ap.parse_args(argv)

    try:
        if not 0 <= o.pages <= 1048576:
            raise Fail("--pages must be 0..1048576 (4 GiB of 4 KiB pages)")
        if o.ram_frames <= 0 or o.ram_frames % 512:
            raise Fail("--ram-frames must be a positive multiple of 512")
        if o.cpus < 1:
            raise Fail("--cpus must be at least 1")
        if o.elf_class == 32 and (o.arch != "pae" or o.format != "elf"):
            raise Fail("--elf-class 32 is for --arch pae --format elf")
        if o.corrupt in ("bad-zlib", "lzo") and o.format == "elf":
            raise Fail("--corrupt %s needs --format kdump or flat" % o.corrupt)
        if o.corrupt == "ptload-beyond-eof" and o.format != "elf":
            raise Fail("--corrupt ptload-beyond-eof needs --format elf")
        if not (o.output or o.print_boundaries or o.print_expect):
            raise Fail("nothing to do: give -o FILE, --print-boundaries or --print-expect")

        m = build_pae(o) if o.arch == "pae" else build_s390x(o)
        intact = self_walk(m, m.user_root)
        if o.corrupt:
            corrupt_tree(m, o.corrupt)
        f = {"elf": write_elf, "kdump": write_kdump, "flat": write_flat}[o.format](m, o)
        data = f.bytes()
        marks = sorted(f.marks, key=lambda x: (x[1], x[0]))
        if o.truncate_at is not None:
            t = o.truncate_at
            if t.isdigit():
                cut = int(t)
            else:
                hits = [off for name, off in marks if name == t]
                if not hits:
                    raise Fail("no boundary named '%s' (see --print-boundaries)" % t)
                cut = hits[0]
            data = data[:cut]
        if o.output:
            with open(o.output, "wb") as fh:
                fh.write(data)
        if o.print_boundaries:
            for name, off in marks:
                if 0 < off < len(f.bytes()):
                    print("%s %d" % (name, off))
        if o.print_expect:
            user = self_walk(m, m.user_root)
            kern = self_walk(m, m.kernel_root)
            print("arch %s" % m.arch)
            print("format %s" % o.format)
            print("file_size %d" % len(data))
            print("root_user 0x%x" % m.user_root)
            print("root_kernel 0x%x" % m.kernel_root)
            print("swapper_pg_dir 0x%x" % m.swapper)
            print("cpus %d" % len(m.cpus))
            for k in ("pages", "leaves", "tables", "findings"):
                print("user_%s %d" % (k, user[k]))
            print("user_pages_intact %d" % intact["pages"])
            for k in ("pages", "leaves", "tables", "findings"):
                print("kernel_%s %d" % (k, kern[k]))
            if m.arch == "pae":
                for who, st in (("user", user), ("kernel", kern)):
                    g, n = alias_groups(st["frames"])
                    print("%s_wx_pages %d" % (who, st["wx_pages"]))
                    print("%s_alias_groups %d" % (who, g))
                    print("%s_alias_mappings %d" % (who, n))
            for k, v in sorted(m.corrupt.items()):
                print("corrupt_%s %s" % (k, v if isinstance(v, str) else "0x%x" % v))
            for s, e in m.va_ranges:
                print("user_va_range 0x%x 0x%x" % (s, e))
            for s, e in m.kernel_va_ranges:
                print("kernel_va_range 0x%x 0x%x" % (s, e))
            for s, e in m.ram.ranges:
                print("ram_range 0x%x 0x%x" % (s, e))
    except Fail as ex:
        print("gen-synth-dump.py: %s" % ex, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
