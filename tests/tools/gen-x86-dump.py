#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Write a synthetic x86 ELF vmcore (x86-64 4-level, 5-level, 2-level
i386, or PAE with slab-allocated pgds: see pae_slab) with page tables in the real encodings, and its truth: the leaves
every root maps, computed here from the list of mappings the tables were
built from (not by walking them).  For pgtctl's x86 dump tests and bench.

Encodings (Intel SDM Vol 3A §4.3 32-bit paging, §4.5 4/5-level paging;
Linux arch/x86 for the software conventions):
  x86-64  512 8-byte entries per table; P 0, RW 1, US 2, A 5, D 6, PS 7
          (PAT in a PTE), G 8, PKEY 59-62, NX 63; 1 GiB PDPTE and 2 MiB PDE
          leaves; PROT_NONE = G with P clear, its frame inverted (L1TF);
          canonical VAs (the upper half is sign-extended).  PTI: a process
          pgd is a pair, kernel copy on the even page, user copy +0x1000 with
          the same user half (NX set on the kernel copy's user entries) and a
          kernel half holding one entry.
  i386    1024 4-byte entries; 4 MiB PDE leaves (PS) with PSE-36 address
          bits 39:32 in PDE bits 20:13; no NX; PROT_NONE = G with P clear,
          frame not inverted.

Roots: CPU 0 runs a process (CR3 = its user copy with PTI, with PCID bits
for x86-64), CPU 1 idles on the kernel's pgd; QEMU's CPU-state note
(QEMUCPUState v1, cr[] at 392) per CPU unless --no-cpu-notes; VMCOREINFO
as the kernel writes it (x86-64: SYMBOL(init_top_pgt), NUMBER(phys_base),
NUMBER(pgtable_l5_enabled), KERNELOFFSET; i386: SYMBOL(swapper_pg_dir), no
CONFIG_X86_PAE).  --procs N adds N more processes (scan targets).

--reserved sets a reserved bit in one large leaf (a finding for pgtctl;
the truth is then not written).

Truth (--truth FILE): for each root, lines "root NAME 0xTABLE" then one
"VA PA SIZE FLAGS RAW" line per leaf Linux calls present (pgtctl's pages
TSV columns; FLAGS rwuxadg with the rights of every level applied).
"""
import argparse
import struct
import sys

P, RW, US, PWT, PCD, A, D, PS, G = 1, 2, 4, 8, 16, 0x20, 0x40, 0x80, 0x100
NX = 1 << 63
START_KERNEL_MAP = 0xffffffff80000000


class Mem:
    """Physical pages of the dump: a bump allocator of zeroed 4 KiB pages."""

    def __init__(self, base):
        self.pages = {}
        self.next = base

    def alloc(self, n=1, align=1):
        pa = (self.next + align * 4096 - 1) // (align * 4096) * (align * 4096)
        for i in range(n):
            self.pages[pa + i * 4096] = bytearray(4096)
        self.next = pa + n * 4096
        return pa

    def put(self, pa, val, size):
        pg = self.pages[pa & ~0xfff]
        fmt = '<Q' if size == 8 else '<I'
        struct.pack_into(fmt, pg, pa & 0xfff, val)

    def get(self, pa, size):
        pg = self.pages[pa & ~0xfff]
        return struct.unpack_from('<Q' if size == 8 else '<I', pg, pa & 0xfff)[0]


class Paging:
    def __init__(self, mode):
        self.mode = mode
        if mode == 'i386':
            self.shifts = [22, 12]
            self.esize, self.nent, self.vabits = 4, 1024, 32
            self.user_limit = 0xc0000000
        else:
            self.shifts = [48, 39, 30, 21, 12] if mode == '5' else [39, 30, 21, 12]
            self.esize, self.nent = 8, 512
            self.vabits = 57 if mode == '5' else 48
            self.user_limit = (1 << (self.vabits - 1)) - 4096
        self.user_slots = ((self.user_limit - 1) >> self.shifts[0]) + 1

    def index(self, va, level):
        return (va >> self.shifts[level]) & (self.nent - 1)


def table_entry(pg, pa, flags):
    """An entry pointing at a lower table: P RW US A (+ NX where asked)."""
    return pa | flags


def insert(mem, pg, top, va, pa, size, leaf_flags, table_flags, nx_tables=()):
    """Map [va, va+size) at pa with a leaf at the level whose span is size,
    allocating lower tables with table_flags."""
    level = 0
    table = top
    while (1 << pg.shifts[level]) != size:
        slot = table + pg.index(va, level) * pg.esize
        e = mem.get(slot, pg.esize)
        if not e:
            new = mem.alloc()
            tf = table_flags | (NX if level in nx_tables else 0)
            mem.put(slot, table_entry(pg, new, tf), pg.esize)
            e = mem.get(slot, pg.esize)
        table = e & (0x000ffffffffff000 if pg.esize == 8 else 0xfffff000)
        level += 1
    val = encode_leaf(pg, level, pa, leaf_flags)
    mem.put(table + pg.index(va, level) * pg.esize, val, pg.esize)
    return val


def encode_leaf(pg, level, pa, flags):
    large = level < len(pg.shifts) - 1
    if pg.mode == 'i386':
        v = flags | (PS if large else 0)
        if large:
            v |= (pa & 0xffc00000) | ((pa >> 32) & 0xff) << 13
        else:
            v |= pa
        return v
    v = flags | (PS if large else 0) | pa
    if not (v & P):         # L1TF: non-present entries store ~frame
        mask = {30: 0x000fffffc0000000, 21: 0x000fffffffe00000,
                12: 0x000ffffffffff000}[pg.shifts[level]]
        v = (v & ~mask) | (~pa & mask)
    return v


def bulk_map(mem, pg, top, n, tflags):
    """n present 4 KiB pages from VA 16 TiB (i386: 256 MiB), for the bench;
    whole page tables at a time; frames cycle through 16 MiB at 1 GiB."""
    va0 = 0x100000000000 if pg.esize == 8 else 0x10000000
    leaf = P | RW | US | A | D
    mask = 0x000ffffffffff000 if pg.esize == 8 else 0xfffff000
    for k in range(0, n, pg.nent):
        va = va0 + k * 4096
        insert(mem, pg, top, va, 0x40000000, 4096, leaf, tflags)
        table = top
        for level in range(len(pg.shifts) - 1):
            table = mem.get(table + pg.index(va, level) * pg.esize, pg.esize) & mask
        cnt = min(pg.nent, n - k)
        vals = [(0x40000000 + ((k + i) % 4096) * 4096) | leaf for i in range(cnt)]
        struct.pack_into('<%d%s' % (cnt, 'Q' if pg.esize == 8 else 'I'),
                         mem.pages[table], 0, *vals)


def flags_str(leaf, rights_w, rights_u, rights_x):
    if not (leaf & P):
        return '-------'
    return ''.join([
        'r',
        'w' if (leaf & RW) and rights_w else '-',
        'u' if (leaf & US) and rights_u else '-',
        'x' if not (leaf & NX) and rights_x else '-',
        'a' if leaf & A else '-',
        'd' if leaf & D else '-',
        'g' if leaf & G else '-',
    ])


def canon(pg, va):
    if pg.mode != 'i386' and va >> (pg.vabits - 1) & 1:
        va |= ~((1 << pg.vabits) - 1) & 0xffffffffffffffff
    return va


def build(args):
    pg = Paging(args.mode)
    mem = Mem(0x2000000)   # above phys_base: the pgds lie in the kernel image
    maps = {}       # root name -> list of (va, pa, size, leaf raw, w, u, x)
    x64 = pg.mode != 'i386'
    big = 1 << 30
    tflags_u = P | RW | US | A
    tflags_k = P | RW | A

    def mapping(root_names, top, va, pa, size, flags, tflags=None, nx_tables=()):
        tf = tflags if tflags is not None else (tflags_u if va < pg.user_limit else tflags_k)
        if not x64:
            flags &= ~NX        # no NX without PAE
        raw = insert(mem, pg, top, va, pa, size, flags, tf, nx_tables)
        rw = bool(tf & RW)
        ru = bool(tf & US)
        rx = not nx_tables
        for rn in root_names:
            maps.setdefault(rn, []).append((canon(pg, va), pa, size, raw, rw, ru, rx))

    # the kernel's pgd, with its kernel half
    ktop = mem.alloc(2, align=2)        # init_top_pgt (+ its PTI copy)
    kernel_half = []
    if x64:
        dmap = 0xff11000000000000 if pg.mode == '5' else 0xffff888000000000
        # the direct map with 1 GiB pages, global, NX
        for i in range(4):
            kernel_half.append((dmap + i * big, i * big, big, P | RW | A | D | G | NX))
        # the kernel image at __START_KERNEL_map with 2 MiB pages
        phys_base = 0x1000000
        kernel_half.append((START_KERNEL_MAP, phys_base, 2 << 20, P | A | G))
        for i in range(1, 4):
            kernel_half.append((START_KERNEL_MAP + i * (2 << 20),
                                phys_base + i * (2 << 20), 2 << 20, P | RW | A | D | G | NX))
        # vmalloc: one 4 KiB page
        kernel_half.append((canon(pg, 0xffffc90000000000 if pg.mode == '4' else 0xffa0000000000000),
                            0x5432000, 4096, P | RW | A | D | G | NX))
    else:
        phys_base = 0
        for i in range(8):  # lowmem at PAGE_OFFSET with 4 MiB pages
            kernel_half.append((0xc0000000 + i * (4 << 20), i * (4 << 20), 4 << 20, P | RW | A | D | G))
        # a 4 MiB page above 4 GiB (PSE-36: PA bits 39:32 in bits 20:13)
        kernel_half.append((0xe0000000, 0x3_4040_0000 & ~((4 << 20) - 1), 4 << 20, P | RW | A | G))
        kernel_half.append((0xf0000000, 0x123000, 4096, P | RW | A | D | G))
    for va, pa, size, fl in kernel_half:
        mapping(['kernel'], ktop, va, pa, size, fl)
    kslots = range(pg.user_slots, pg.nent)

    def copy_kernel_half(dst):
        for i in kslots:
            e = mem.get(ktop + i * pg.esize, pg.esize)
            mem.put(dst + i * pg.esize, e, pg.esize)

    procs = []
    for p in range(1 + args.procs):
        pti = args.pti and x64
        top = mem.alloc(2 if pti else 1, align=2 if pti else 1)
        user = top + 4096 if pti else top
        names = ['proc%d' % p] + (['proc%d-user' % p] if pti else [])
        copy_kernel_half(top)
        for va, pa, size, fl in kernel_half:
            maps.setdefault(names[0], []).append(
                (canon(pg, va), pa, size, encode_leaf(pg, [s for s in range(len(pg.shifts)) if (1 << pg.shifts[s]) == size][0], pa, fl),
                 True, False, not (fl & NX) or True))
        # the user half: 4 KiB pages of every kind, large pages
        base = 0x400000 + p * 0x1000000
        d = 0x8000000 + p * 0x100000
        pages = [
            (base, d, 4096, P | RW | US | A | D),
            (base + 0x1000, d + 0x1000, 4096, P | US | A),                 # read-only, exec
            (base + 0x2000, d + 0x2000, 4096, P | RW | US | A | D | NX),
            (base + 0x3000, d + 0x3000, 4096, P | RW | US),                 # not accessed
            (base + 0x5000, d + 0x5000, 4096, G | US | A | RW),             # PROT_NONE
            (base + 0x6000, d + 0x6000, 4096, P | RW | US | A | D | PCD | PWT),
        ]
        if x64:
            pages += [
                (0x40000000 * (p + 1), big * (8 + p), big, P | RW | US | A | D),          # 1 GiB
                (0x7f0000000000 + p * (4 << 20), 0x20000000 + p * (4 << 20), 2 << 20,
                 P | RW | US | A | D | NX | (5 << 59)),                                    # 2 MiB, PKEY 5
                (0x7f0000200000 + p * (4 << 20), 0x20200000 + p * (4 << 20), 2 << 20,
                 G | US | A | PS),                                                         # PROT_NONE 2 MiB
                (pg.user_limit - 4096, d + 0x7000, 4096, P | RW | US | A | D | NX | (3 << 59)),
            ]
        else:
            pages += [
                (0x08000000 + p * (4 << 22), 0x02000000 + p * (4 << 22), 4 << 20, P | RW | US | A | D),
                (0xbffff000, d + 0x7000, 4096, P | RW | US | A | D),
            ]
        for va, pa, size, fl in pages:
            fl &= ~PS
            mapping(names, top, va, pa, size, fl)
        if args.bulk and p == 0:
            bulk_map(mem, pg, top, args.bulk, tflags_u)
        # a swap entry: non-zero, P clear, G clear: no page
        insert(mem, pg, top, base + 0x4000, 0x0, 4096, 0, tflags_u)
        # PTI: the user copy shares the user half; the kernel copy's user
        # entries get NX (pti_set_user_pgtbl); the user copy's kernel half
        # maps one page (the entry trampoline)
        if pti:
            for i in range(pg.user_slots):
                e = mem.get(top + i * pg.esize, pg.esize)
                if e:
                    mem.put(user + i * pg.esize, e | A, pg.esize)
                    mem.put(top + i * pg.esize, e | NX, pg.esize)
            tramp = canon(pg, 0xfffffe0000000000 if pg.mode == '4' else 0xfffffe0000000000)
            mapping([names[1]], user, tramp, 0x1c00000, 4096, P | A | G, tflags=tflags_k)
        procs.append((top, user, names))
    return pg, mem, maps, ktop, procs, phys_base


def walk_rights(mem, pg, top, va):
    """RW / US / X of the upper levels on the path to va (generator's own
    tables: the truth of what it built)."""
    w = u = x = True
    table = top
    for level in range(len(pg.shifts)):
        e = mem.get(table + pg.index(va, level) * pg.esize, pg.esize)
        last = level == len(pg.shifts) - 1 or \
            (e & PS and pg.shifts[level] in (30, 22, 21))
        if last:
            return w, u, x, e
        w &= bool(e & RW)
        u &= bool(e & US)
        x &= not (e & NX)
        table = e & (0x000ffffffffff000 if pg.esize == 8 else 0xfffff000)
    return w, u, x, 0


def truth(pg, mem, maps, roots):
    out = []
    for name, top in roots:
        out.append('root %s 0x%x' % (name, top))
        key = name if name in maps else None
        rows = []
        for va, pa, size, raw, _, _, _ in maps.get(key, []):
            w, u, x, e = walk_rights(mem, pg, top, va)
            if not (raw & P) and not (raw & G):
                continue
            rows.append((va, pa, size, flags_str(raw, w, u, x), raw))
        rows.sort()
        for va, pa, size, fl, raw in rows:
            out.append('0x%0*x\t0x%08x\t%d\t%s\t0x%0*x' % (
                16 if pg.mode != 'i386' else 8, va, pa, size, fl,
                16 if pg.esize == 8 else 8, raw))
    return '\n'.join(out) + '\n'


def qemu_note(cr0, cr3, cr4):
    d = bytearray(440)
    struct.pack_into('<II', d, 0, 1, 440)
    struct.pack_into('<5Q', d, 392, cr0, 0, 0, cr3, cr4)
    return note(b'QEMU', 0, bytes(d))


def prstatus(x64, pid):
    d = bytearray(0x150 if x64 else 0x90)
    struct.pack_into('<I', d, 32 if x64 else 24, pid)
    return note(b'CORE', 1, bytes(d))


def note(name, typ, desc):
    name = name + b'\0'
    pad = lambda b: b + b'\0' * (-len(b) % 4)
    return struct.pack('<III', len(name), len(desc), typ) + pad(name) + pad(desc)


def write_elf(path, x64, mem, notes):
    pas = sorted(mem.pages)
    runs = []
    for pa in pas:
        if runs and runs[-1][1] == pa:
            runs[-1][1] = pa + 4096
        else:
            runs.append([pa, pa + 4096])
    phnum = 1 + len(runs)
    off = 64 + 56 * phnum
    hdr = bytearray()
    hdr += b'\x7fELF' + bytes([2, 1, 1, 0]) + b'\0' * 8
    hdr += struct.pack('<HHIQQQIHHHHHH', 4, 62 if x64 else 3, 1, 0, 64, 0, 0,
                       64, 56, phnum, 0, 0, 0)
    ph = bytearray()
    ph += struct.pack('<IIQQQQQQ', 4, 0, off, 0, 0, len(notes), 0, 0)
    data_off = (off + len(notes) + 4095) // 4096 * 4096
    body = bytearray()
    for s, e in runs:
        ph += struct.pack('<IIQQQQQQ', 1, 7, data_off + len(body), 0, s,
                          e - s, e - s, 4096)
        for pa in range(s, e, 4096):
            body += mem.pages[pa]
    with open(path, 'wb') as f:
        f.write(hdr + ph + notes)
        f.write(b'\0' * (data_off - off - len(notes)))
        f.write(body)


def pae_slab(args):
    """--mode pae-slab: a PAE kernel without PTI (SHARED_KERNEL_PMD) whose
    processes' pgds are 32-byte objects of the pgd_cache slab, eight live
    ones packed in two 4 KiB slab pages beside freed objects as Linux
    leaves them (pae.md §4.2; arch/x86/mm/pgtable.c, mm/slub.c):
    exit_mmap's free_pgtables and pgd_free's mop-up clear the user PDPT
    entries, the kernel entry (swapper's shared kernel PMD) stays, and SLUB
    writes its free pointer in the middle of the object (offset 16, the
    low word of slot 2; 5.7+): NULL at the end of the free list, else the
    address of the next free object, or that XORed with a random value and
    the byte-swapped slot address (CONFIG_SLAB_FREELIST_HARDENED).  No CPU
    notes: a kdump vmcore, the kernel root from VMCOREINFO.
    Truth: "live PA PAGES" per live pgd, "stale PA WHY" per freed object."""
    mem = Mem(0x1000000)
    page_offset = 0xc0000000
    kpmd = mem.alloc()
    for i in range(8):          # lowmem at 0xc0000000, 2 MiB global pages
        mem.put(kpmd + 8 * i, (i << 21) | P | RW | A | D | PS | G, 8)
    swapper = mem.alloc()
    mem.put(swapper + 24, kpmd | P, 8)
    slab = [mem.alloc(), mem.alloc()]
    live_at = [slab[0] + 32 * i for i in (1, 3, 5, 8)] + \
        [slab[1] + 32 * i for i in (0, 2, 9, 127)]
    # which user slots each live process has (a live mm maps its stack,
    # slot 2, and its program, slot 0 or 1)
    shapes = [(0, 2), (0, 1, 2), (1, 2), (0, 2), (2,), (0, 1, 2), (0, 2), (1, 2)]
    truth = []
    pmds = []
    for n, (pgd, slots) in enumerate(zip(live_at, shapes)):
        pages = 0
        for slot in slots:
            pmd = mem.alloc()
            pmds.append(pmd)
            pt = mem.alloc()
            mem.put(pmd + 8 * 0x1ff, pt | P | RW | US | A | D, 8)
            for k in range(3 + n):      # the top 2 MiB of the slot's GiB
                mem.put(pt + 8 * (511 - k), (0x30000000 + (n * 16 + k) * 4096) | P | RW | US | A | D, 8)
                pages += 1
            mem.put(pgd + 8 * slot, pmd | P, 8)
        mem.put(pgd + 24, kpmd | P, 8)
        truth.append('live 0x%x %d' % (pgd, pages))
    # freed objects: user slots cleared, kernel slot kept, SLUB's free
    # pointer in the low word of slot 2
    free = [(slab[0] + 32 * 0, 0, 'NULL free pointer (the end of the free list)'),
            (slab[0] + 32 * 2, page_offset + slab[0] + 32 * 4, 'free pointer to the next free object'),
            (slab[0] + 32 * 4, 0x5a3c91e7, 'hardened free pointer (random bits)'),
            (slab[0] + 32 * 6, 0, 'NULL free pointer'),
            (slab[1] + 32 * 1, 0x7f3e12a9, 'hardened free pointer (random bits)'),
            # the unlucky hardened pointer whose bits look like a PDPTE
            # to another live process's PMD page
            (slab[1] + 32 * 3, pmds[0] | P, 'hardened free pointer that looks like a PDPTE')]
    for pa, fp, why in free:
        mem.put(pa + 24, kpmd | P, 8)
        mem.put(pa + 16, fp, 4)
        truth.append('stale 0x%x %s' % (pa, why))
    vmci = ('OSRELEASE=6.1.0-18-686-pae\nPAGESIZE=4096\n'
            'SYMBOL(swapper_pg_dir)=%x\nCONFIG_X86_PAE=y\n' % (swapper + page_offset))
    notes = prstatus(False, 0) + prstatus(False, 0) + note(b'VMCOREINFO', 0, vmci.encode())
    write_elf(args.o, False, mem, notes)
    if args.truth:
        with open(args.truth, 'w') as f:
            f.write('kernel 0x%x\n' % swapper + '\n'.join(truth) + '\n')


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--mode', choices=['4', '5', 'i386', 'pae-slab'], required=True)
    ap.add_argument('--pti', action='store_true')
    ap.add_argument('--procs', type=int, default=0)
    ap.add_argument('--no-cpu-notes', action='store_true')
    ap.add_argument('--no-vmcoreinfo', action='store_true')
    ap.add_argument('--reserved', action='store_true',
                    help='set a reserved bit in a large leaf of process 0 '
                    '(x86-64: bit 15 of a 2 MiB PDE; i386: bit 21 of a 4 MiB PDE)')
    ap.add_argument('--bulk', type=int, default=0,
                    help='also map N 4 KiB pages from 16 TiB in process 0 '
                    '(for the benchmark; no truth is written)')
    ap.add_argument('-o', required=True)
    ap.add_argument('--truth')
    args = ap.parse_args()
    if args.mode == 'pae-slab':
        return pae_slab(args)
    pg, mem, maps, ktop, procs, phys_base = build(args)
    x64 = pg.mode != 'i386'
    top0, user0, names0 = procs[0]
    if args.reserved:
        va, bit = (0x7f0000000000, 15) if x64 else (0x08000000, 21)
        table = top0
        for level in range(len(pg.shifts)):
            slot = table + pg.index(va, level) * pg.esize
            e = mem.get(slot, pg.esize)
            if e & PS and pg.shifts[level] in (21, 22):
                mem.put(slot, e | 1 << bit, pg.esize)
                break
            table = e & (0x000ffffffffff000 if x64 else 0xfffff000)
    roots = [('kernel', ktop)]
    for top, user, names in procs:
        roots.append((names[0], top))
        if len(names) > 1:
            roots.append((names[1], user))
    # the user copy's user half is the process's: its mapping list is the
    # kernel copy's user part plus the trampoline
    for top, user, names in procs:
        if len(names) > 1:
            maps[names[1]] = [m for m in maps[names[0]] if m[0] < pg.user_limit] + \
                [m for m in maps.get(names[1], []) if m[0] >= pg.user_limit]
    notes = b''
    cr0 = 0x80050033
    if x64:
        cr4 = 0x3606e0 | (0x1000 if pg.mode == '5' else 0)   # PAE, PGE, PCIDE ...
        cr3_0 = (user0 if args.pti else top0) | (0x801 if args.pti else 0x1)
    else:
        cr4 = 0x90                                            # PSE, PGE; PAE clear
        cr3_0 = top0
    notes += prstatus(x64, 4242) + prstatus(x64, 0)
    if not args.no_cpu_notes:
        notes += qemu_note(cr0, cr3_0, cr4) + qemu_note(cr0, ktop, cr4)
    if not args.no_vmcoreinfo:
        if x64:
            sym = ktop - phys_base + START_KERNEL_MAP
            vmci = ('OSRELEASE=6.1.0-13-amd64\nPAGESIZE=4096\n'
                    'SYMBOL(swapper_pg_dir)=%x\nSYMBOL(init_top_pgt)=%x\n'
                    'NUMBER(phys_base)=%d\nNUMBER(pgtable_l5_enabled)=%d\n'
                    'KERNELOFFSET=1c000000\n' % (sym, sym, phys_base, 1 if pg.mode == '5' else 0))
        else:
            vmci = ('OSRELEASE=6.1.0-13-686\nPAGESIZE=4096\n'
                    'SYMBOL(swapper_pg_dir)=%x\n' % (ktop + 0xc0000000))
        notes += note(b'VMCOREINFO', 0, vmci.encode())
    write_elf(args.o, x64, mem, notes)
    if args.truth and not args.reserved and not args.bulk:
        with open(args.truth, 'w') as f:
            f.write(truth(pg, mem, maps, roots))


if __name__ == '__main__':
    main()
