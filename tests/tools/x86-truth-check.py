#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Compare `pgtctl dump --pages --format tsv --root TABLE` with the truth
gen-x86-dump.py wrote, root by root, page by page: every leaf (VA, PA,
size, flags, raw entry) must be in both.  Prints one line per root,
"ok NAME N" or "not ok NAME: ..." with the first differences; exit 1 if
any root differs.

With --addrxlat TOOL FORM, the truth is instead checked against
libaddrxlat (tests/tools/addrxlat-check): for every leaf the MMU uses, an
address inside it (the first byte, the middle, the last) translates to the
same offset in the truth's frame; a PROT_NONE leaf is not present."""
import subprocess
import sys


def rows(lines):
    out = set()
    for line in lines:
        line = line.strip()
        if not line or line.startswith('#'):
            continue
        va, pa, size, flags, raw = line.split('\t')[:5]
        out.add((int(va, 16), int(pa, 16), int(size), flags, int(raw, 16)))
    return out


def addrxlat(tool, form, dump, roots):
    bad = 0
    for name, table, lines in roots:
        want, vas = {}, []
        for va, pa, size, flags, raw in rows(lines):
            for off in (0, size // 2 + 0x123, size - 1):
                want[va + off] = pa + off if flags[0] == 'r' else None
                vas.append(va + off)
        p = subprocess.run([tool, dump, form, table], capture_output=True,
                           text=True, input=''.join('%x\n' % v for v in vas))
        if p.returncode:
            print('not ok %s: addrxlat-check exit %d: %s' % (name, p.returncode, p.stderr.strip()))
            bad += 1
            continue
        diff = []
        for line in p.stdout.splitlines():
            va, res = line.split(' ', 1)
            va = int(va, 16)
            got = None if res == '-' else int(res, 16) if res.startswith('0x') else res
            if got != want[va]:
                diff.append('0x%x: libaddrxlat %s, truth %s' % (
                    va, res, 'not present' if want[va] is None else hex(want[va])))
        if diff or len(p.stdout.splitlines()) != len(vas):
            bad += 1
            print('not ok %s: %s' % (name, '; '.join(diff[:3]) or 'short output'))
        else:
            print('ok %s %d addresses' % (name, len(vas)))
    return bad


def main():
    args = sys.argv[1:]
    tool = None
    if args[0] == '--addrxlat':
        tool, form = args[1:3]
        args = args[3:]
    pgtctl, dump, truth = args[:3]
    roots, cur = [], None
    with open(truth) as f:
        for line in f:
            if line.startswith('root '):
                _, name, table = line.split()
                cur = (name, table, [])
                roots.append(cur)
            else:
                cur[2].append(line)
    if tool:
        return 1 if addrxlat(tool, form, dump, roots) else 0
    bad = 0
    for name, table, lines in roots:
        want = rows(lines)
        p = subprocess.run([pgtctl, 'dump', dump, '--root', table, '--pages',
                            '--format', 'tsv'], capture_output=True, text=True)
        if p.returncode:
            print('not ok %s: exit %d: %s' % (name, p.returncode, p.stderr.strip()))
            bad += 1
            continue
        got = rows(p.stdout.splitlines())
        if got != want:
            bad += 1
            print('not ok %s: %d leaves, truth %d; missing %s; extra %s' % (
                name, len(got), len(want),
                sorted(want - got)[:3], sorted(got - want)[:3]))
        else:
            print('ok %s %d' % (name, len(want)))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
