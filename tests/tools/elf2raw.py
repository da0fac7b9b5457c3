#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""elf2raw.py ELF RAW BASE: write the PT_LOAD memory of an ELF vmcore as a
raw image whose byte 0 is physical address BASE (sparse: holes stay holes).
Segments below BASE are left out.  A test helper for raw images; it reads
the ELF with its own few lines of struct, independent of pgtctl's reader."""
import struct
import sys


def segments(data):
    if data[:4] != b'\x7fELF':
        raise SystemExit('not an ELF file')
    cls, end = data[4], '<' if data[5] == 1 else '>'
    if cls == 2:
        phoff, = struct.unpack_from(end + 'Q', data, 32)
        phentsize, phnum = struct.unpack_from(end + 'HH', data, 54)
        for i in range(phnum):
            p_type, _, off, _, paddr, filesz, _, _ = struct.unpack_from(
                end + 'IIQQQQQQ', data, phoff + i * phentsize)
            if p_type == 1:
                yield paddr, data[off:off + filesz]
    else:
        phoff, = struct.unpack_from(end + 'I', data, 28)
        phentsize, phnum = struct.unpack_from(end + 'HH', data, 42)
        for i in range(phnum):
            p_type, off, _, paddr, filesz = struct.unpack_from(
                end + 'IIIII', data, phoff + i * phentsize)
            if p_type == 1:
                yield paddr, data[off:off + filesz]


def main(argv):
    data = open(argv[1], 'rb').read()
    base = int(argv[3], 0)
    with open(argv[2], 'wb') as out:
        for paddr, chunk in segments(data):
            if paddr < base:
                continue
            out.seek(paddr - base)
            out.write(chunk)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
