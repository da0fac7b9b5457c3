#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The bytes an ELF memory dump holds at physical addresses, read straight
# from its PT_LOAD segments (p_paddr, p_offset, p_filesz): the oracle of
# pgtctl read (t3012).
#   elf-bytes.py DUMP PA LEN   one line per 16 bytes from PA: "0xADDR hex"
#                              (two hex digits a byte, "??" for a byte no
#                              PT_LOAD holds in the file)
import struct
import sys


def loads(f):
    ident = f.read(16)
    if ident[:4] != b"\x7fELF":
        raise SystemExit("not an ELF file")
    e = "<" if ident[5] == 1 else ">"
    if ident[4] == 2:
        f.seek(0x20)
        phoff, = struct.unpack(e + "Q", f.read(8))
        f.seek(0x36)
        phentsize, phnum = struct.unpack(e + "HH", f.read(4))
        fmt, names = e + "IIQQQQQQ", ("type", "flags", "off", "vaddr",
                                       "paddr", "filesz", "memsz", "align")
    else:
        f.seek(0x1c)
        phoff, = struct.unpack(e + "I", f.read(4))
        f.seek(0x2a)
        phentsize, phnum = struct.unpack(e + "HH", f.read(4))
        fmt, names = e + "IIIIIIII", ("type", "off", "vaddr", "paddr",
                                       "filesz", "memsz", "flags", "align")
    out = []
    for i in range(phnum):
        f.seek(phoff + i * phentsize)
        p = dict(zip(names, struct.unpack(fmt, f.read(struct.calcsize(fmt)))))
        if p["type"] == 1:
            out.append(p)
    return out


def byte_at(f, segs, pa):
    for p in segs:
        if p["paddr"] <= pa < p["paddr"] + p["filesz"]:
            f.seek(p["off"] + pa - p["paddr"])
            return "%02x" % f.read(1)[0]
    return "??"


def main():
    path, pa, n = sys.argv[1], int(sys.argv[2], 0), int(sys.argv[3], 0)
    with open(path, "rb") as f:
        segs = loads(f)
        for line in range(pa, pa + n, 16):
            k = min(16, pa + n - line)
            print("0x%08x %s" % (line, " ".join(byte_at(f, segs, line + i)
                                                for i in range(k))))


if __name__ == "__main__":
    main()
