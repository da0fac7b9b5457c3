#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Regenerates the bad-CBOR corpus in this directory (see README.md):
#   python3 tests/data/cbor-bad/gen.py tests/data/cbor-bad
# The files are committed; this script only documents how each was made.
# The CBOR is spelled out by hand (no CBOR library), byte by byte, so that
# every file is exactly the malformation it is named after.

import os
import sys


def head(major, n):
    """An item head: major type and argument, shortest form."""
    if n < 24:
        return bytes([major << 5 | n])
    for ai, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if n < 1 << (8 * size):
            return bytes([major << 5 | ai]) + n.to_bytes(size, 'big')
    raise ValueError(n)


def uint(n):
    return head(0, n)


def neg(n):             # the integer -1 - n
    return head(1, n)


def text(s):
    b = s.encode()
    return head(3, len(b)) + b


def array(*items):
    return head(4, len(items)) + b''.join(items)


def cmap(*pairs):
    return head(5, len(pairs)) + b''.join(k + v for k, v in pairs)


TAG = bytes.fromhex('d9d9f7')


def header(arch='pae', options=(), version=uint(1), extra=()):
    pairs = [(text('pgtctl-trace'), version), (text('arch'), arch),
             (text('options'), array(*(array(text(k), text(v))
                                       for k, v in options)))]
    return TAG + cmap(*pairs, *extra)


HDR = header(text('pae'))           # 36 bytes: the first op is at byte 36
EXIT = cmap((uint(0), uint(9)))
RANDOM = bytes.fromhex(
    'f1503a5069199600b33a6e70bd3c259a9b222b4182409b93efcc2c774ed9f72e'
    '94505a4badd7153a889f45efe720dd34f018554bdbbbf4e8028361b84be1a165'
    '2b8c1e8bc824c01382fa598c6c8231eec3e3881965b99249053fd53a4bcecf51')
FF8 = b'\xff' * 8


def unmap(*extra):
    return cmap((uint(0), uint(3)), (uint(1), uint(0x10000000)),
                (uint(2), uint(4096)), *extra)


FILES = {
    # truncated items
    'truncated-tag.cbor': TAG[:2],
    'truncated-header.cbor': HDR[:20],
    'truncated-op.cbor': HDR + unmap()[:7],
    'truncated-string.cbor': HDR[:30],
    # wrong types and values in the header
    'not-tagged.cbor': HDR[3:],
    'wrong-tag.cbor': bytes.fromhex('d9d9f8') + HDR[3:],
    'header-array.cbor': TAG + array(uint(1), text('s390x'), array()),
    'version-text.cbor': header(text('pae'), version=text('1')),
    'version-2.cbor': header(text('pae'), version=uint(2)),
    'first-key-arch.cbor': TAG + cmap((text('arch'), text('pae')),
                                      (text('pgtctl-trace'), uint(1))),
    'no-arch.cbor': TAG + cmap((text('pgtctl-trace'), uint(1))),
    'arch-int.cbor': header(uint(1)),
    'arch-unknown.cbor': header(text('x86')),
    'option-blank.cbor': header(text('pae'), options=[('cpus', '2 4')]),
    'option-triple.cbor': TAG + cmap(
        (text('pgtctl-trace'), uint(1)), (text('arch'), text('pae')),
        (text('options'), array(array(text('a'), text('b'), text('c'))))),
    # huge declared lengths: refused before anything is read or allocated
    'huge-text-arch.cbor': TAG + cmap((text('pgtctl-trace'), uint(1)),
                                      (text('arch'), b'\x7b' + FF8)),
    'huge-bytes-ignored.cbor': HDR + cmap((uint(0), uint(9)),
                                          (uint(64), b'\x5b' + FF8)),
    'huge-array.cbor': HDR + cmap((uint(0), uint(9)),
                                  (uint(64), b'\x9b' + FF8)),
    'huge-map.cbor': HDR + cmap((uint(0), uint(9)),
                                (uint(64), b'\xbb' + FF8)),
    'huge-op-map.cbor': HDR + b'\xbb' + FF8,
    'huge-options.cbor': TAG + cmap((text('pgtctl-trace'), uint(1)),
                                    (text('arch'), text('pae')),
                                    (text('options'), b'\x9a\xff\xff\xff\xff')),
    'load-bomb.bin': bytes.fromhex('9a9a9a9a54'),
    'load-bomb-op.cbor': HDR + bytes.fromhex('9a9a9a9a54'),
    # nesting deeper than 4
    'deep-op.cbor': HDR + cmap((uint(0), uint(9)), (uint(64), array(array(
        array(array(array(uint(0)))))))),
    'deep-header.cbor': header(text('pae'), extra=[(text('x-note'), array(
        array(array(uint(0)))))]),
    # operations
    'op-array.cbor': HDR + array(uint(9)),
    'unknown-op.cbor': HDR + cmap((uint(0), uint(99))),
    'unknown-critical-key.cbor': HDR + cmap((uint(0), uint(9)),
                                            (uint(13), uint(0))),
    'missing-key.cbor': HDR + cmap((uint(0), uint(3)),
                                   (uint(1), uint(0x10000000))),
    'extra-key.cbor': HDR + cmap((uint(0), uint(9)), (uint(3), uint(1))),
    'duplicate-key.cbor': HDR + cmap((uint(0), uint(9)), (uint(0), uint(9))),
    'addr-text.cbor': HDR + cmap((uint(0), uint(3)), (uint(1), text('0x1000')),
                                 (uint(2), uint(4096))),
    'addr-negative.cbor': HDR + cmap((uint(0), uint(3)), (uint(1), neg(0)),
                                     (uint(2), uint(4096))),
    'len-float.cbor': HDR + cmap((uint(0), uint(3)), (uint(1), uint(4096)),
                                 (uint(2), bytes.fromhex('fb40b0000000000000'))),
    'addr-bignum.cbor': HDR + cmap((uint(0), uint(3)), (uint(1), bytes.fromhex(
        'c249010000000000000000')), (uint(2), uint(4096))),
    'unaligned-addr.cbor': HDR + cmap((uint(0), uint(3)), (uint(1), uint(0x123)),
                                      (uint(2), uint(4096))),
    'prot-8.cbor': HDR + cmap((uint(0), uint(2)), (uint(1), uint(0)),
                              (uint(2), uint(4096)), (uint(3), uint(8))),
    'delta-zero.cbor': HDR + cmap((uint(0), uint(7)), (uint(8), uint(0))),
    'action-5.cbor': HDR + cmap((uint(0), uint(6)), (uint(1), uint(0)),
                                (uint(2), uint(4096)), (uint(10), uint(5))),
    'indefinite-map.cbor': HDR + bytes.fromhex('bf0009ff'),
    'indefinite-string.cbor': TAG + cmap((text('pgtctl-trace'), uint(1)),
                                         (text('arch'), bytes.fromhex(
                                             '7f63706165ff'))),
    'stray-break.cbor': HDR + EXIT + b'\xff',
    'reserved-byte.cbor': HDR + EXIT + b'\x1c',
    # garbage
    'random.bin': RANDOM,
    'random-after-tag.cbor': TAG + RANDOM,
    'random-after-header.cbor': HDR + EXIT + RANDOM,
    # text traces with a NUL byte
    'text-nul-first.trace': b'\0pgtctl-trace 1\narch pae\nexit\n',
    'text-nul.trace': b'pgtctl-trace 1\narch pae\nex\0it\n',
}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(__file__)
    for name, data in sorted(FILES.items()):
        with open(os.path.join(out, name), 'wb') as f:
            f.write(data)


if __name__ == '__main__':
    main()
