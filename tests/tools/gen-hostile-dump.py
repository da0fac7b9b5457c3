#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Write small memory dumps made to hurt a reader: each claims far more
than it holds, or is shaped so that a careless reader does too much work
(issue 11).  For tests/cli/t3101-dump-hostile.sh; every file is a few
KiB to a few MiB of real data (the kdump files are sparse).

Kinds (--kind), all ELF64 ET_CORE (EM_386 little-endian for --arch pae,
EM_S390 big-endian for s390x) unless named kdump:
  pad-note      a PT_NOTE holding only 8 bytes of zero padding, and one
                PT_LOAD of 16 zero pages: no note, no root
  huge-load     a PT_LOAD at PA 0 with p_filesz 0 and p_memsz 2^62, and
                one of 16 zero pages above it: --scan-roots must not visit
                memory that the file does not hold
  many-notes    --count PT_NOTE segments, each with --per distinct empty
                notes (12 bytes each): notes must be parsed in linear time
  alias-notes   --count PT_NOTE segments that all point at the same
                --per notes: more note bytes than the file holds
  alias-loads   --count PT_LOADs at distinct physical addresses that all
                point at the same 16 pages of the file: more load bytes
                than the file holds (a scan would read them --count times)
  kdump-huge    a kdump-compressed file (i686, 32-bit header, version 6)
                whose header claims --pages pages (bitmaps of pages/8 bytes
                each, left as holes of a sparse file); pages 0-3 and the
                last page are dumped, all pointing at one raw zero page

Python 3 standard library only.  Written from the format facts (ELF gABI,
makedumpfile's disk_dump_header and kdump_sub_header layouts).
"""

import argparse
import struct
import sys

PAGE = 4096
PT_LOAD, PT_NOTE = 1, 4
ET_CORE = 4
EM_386, EM_S390 = 3, 22


def elf(arch, notes, loads):
    """An ELF64 core: notes is a list of (offset or None, bytes) -- None
    places the bytes after the headers, an offset points at bytes placed
    before; loads a list of (paddr, filesz, memsz[, offset]) -- with an
    offset, the bytes placed there before; returns the file."""
    be = arch == "s390x"
    e = ">" if be else "<"
    machine = EM_S390 if be else EM_386
    phnum = len(notes) + len(loads)
    data_off = 64 + 56 * phnum
    body = []
    size = 0
    phdrs = []
    for off, b in notes:
        if off is None:
            off = data_off + size
            body.append(b)
            size += len(b)
        phdrs.append(struct.pack(e + "IIQQQQQQ", PT_NOTE, 0, off, 0, 0,
                                 len(b), len(b), 0))
    for load in loads:
        pa, filesz, memsz = load[:3]
        if len(load) > 3:
            off = load[3]
        else:
            off = data_off + size
            body.append(bytes(filesz))
            size += filesz
        phdrs.append(struct.pack(e + "IIQQQQQQ", PT_LOAD, 7, off, 0, pa,
                                 filesz, memsz, 0))
    ident = b"\x7fELF" + bytes([2, 2 if be else 1, 1]) + bytes(9)
    hdr = ident + struct.pack(e + "HHIQQQIHHHHHH", ET_CORE, machine, 1, 0,
                              64, 0, 0, 64, 56, phnum, 0, 0, 0)
    return hdr + b"".join(phdrs) + b"".join(body)


def empty_notes(arch, n, first=0):
    """n notes without name or descriptor, of distinct types"""
    e = ">" if arch == "s390x" else "<"
    return b"".join(struct.pack(e + "III", 0, 0, 0x1000 + first + i)
                    for i in range(n))


def write_kdump(path, pages):
    """A sparse i686 kdump claiming `pages` pages (see the docstring)."""
    e = "<"
    bs = PAGE
    half = (pages + 7) // 8
    half = (half + bs - 1) // bs * bs
    bitmap_blocks = 2 * half // bs
    uts = b""
    for field in (b"Linux", b"hostile", b"6.1.0", b"#1", b"i686", b"(none)"):
        uts += field + bytes(65 - len(field))
    hdr = b"KDUMP   " + struct.pack(e + "i", 6) + uts
    hdr += bytes((len(hdr) + 3) // 4 * 4 - len(hdr))
    hdr += struct.pack(e + "II", 0x66000000, 0)          # timestamp
    hdr += struct.pack(e + "Iii" + "I" * 6 + "i", 1, bs, 1, bitmap_blocks,
                       min(pages, 0xffffffff), 0, 0, 0, 0, 1)
    # kdump_sub_header v6, i386 alignment: no notes, no VMCOREINFO
    sub = struct.pack(e + "IiiII" + "qI" + "qI" + "qI" + "QQQ",
                      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, pages, pages)
    bm_off = 2 * bs
    dumped = [0, 1, 2, 3, pages - 1]
    desc_off = bm_off + 2 * half
    data_off = desc_off + 24 * len(dumped)
    with open(path, "wb") as f:
        f.write(hdr)
        f.seek(bs)
        f.write(sub)
        # the same bits in bitmap 1 (RAM) and bitmap 2 (dumped)
        bits = {}
        for pfn in dumped:
            bits[pfn // 8] = bits.get(pfn // 8, 0) | 1 << (pfn % 8)
        for base in (bm_off, bm_off + half):
            for at, v in sorted(bits.items()):
                f.seek(base + at)
                f.write(bytes([v]))
        f.seek(desc_off)
        for _ in dumped:
            f.write(struct.pack(e + "qIIQ", data_off, bs, 0, 0))
        f.write(bytes(bs))


def main(argv):
    ap = argparse.ArgumentParser(prog="gen-hostile-dump.py")
    ap.add_argument("--kind", required=True,
                    choices=("pad-note", "huge-load", "many-notes",
                             "alias-notes", "alias-loads",
                             "kdump-huge"))
    ap.add_argument("--arch", choices=("pae", "s390x"), default="pae")
    ap.add_argument("--count", type=int, default=2000)
    ap.add_argument("--per", type=int, default=64)
    ap.add_argument("--pages", type=int, default=1 << 33)
    ap.add_argument("-o", "--output", required=True)
    o = ap.parse_args(argv)

    ram = [(0x100000, 16 * PAGE, 16 * PAGE)]
    if o.kind == "kdump-huge":
        if o.pages < 64:
            print("gen-hostile-dump.py: --pages must be at least 64",
                  file=sys.stderr)
            return 2
        write_kdump(o.output, o.pages)
        return 0
    if o.kind == "pad-note":
        data = elf(o.arch, [(None, bytes(8))], ram)
    elif o.kind == "huge-load":
        data = elf(o.arch, [(None, bytes(8))],
                   [(0, 0, 1 << 62), (1 << 62, 16 * PAGE, 16 * PAGE)])
    elif o.kind == "many-notes":
        data = elf(o.arch, [(None, empty_notes(o.arch, o.per, i * o.per))
                            for i in range(o.count)], ram)
    elif o.kind == "alias-loads":
        first = 64 + 56 * (1 + o.count) + 8
        data = elf(o.arch, [(None, bytes(8))],
                   ram + [(0x100000 + k * 16 * PAGE, 16 * PAGE, 16 * PAGE,
                           first) for k in range(1, o.count)])
    else:
        # every PT_NOTE at the notes the first one places
        phnum = o.count + len(ram)
        first = 64 + 56 * phnum
        notes = empty_notes(o.arch, o.per)
        data = elf(o.arch, [(None, notes)] +
                   [(first, notes)] * (o.count - 1), ram)
    with open(o.output, "wb") as f:
        f.write(data)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
