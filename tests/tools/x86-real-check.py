#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check pgtctl's walk of a real x86-64 dump (or its table-only slice)
against the truth x86-real-truth.py wrote (pagemap + libaddrxlat):

  x86-real-check.py PGTCTL DUMP ROOT TRUTH-USER TRUTH-KERNEL

Prints TAP-friendly lines "ok WHAT N" / "not ok WHAT: first differences",
one per check; exit 1 if any fails.  Checks:
  pages     `dump --pages --root ROOT`: the present 4 KiB units below
            0x800000000000 are exactly the truth's, each at its PA;
  kernel    every truth kernel VA lies in a leaf of the same walk, at
            the truth's PA;
  translate `translate --format tsv` of every user truth VA: its PA;
  ptov      `ptov --root ROOT` of every user truth PA lists (ROOT, VA);
  ranges    `dump --ranges --format tsv`: the user ranges hold as many
            present pages as the truth."""
import bisect
import subprocess
import sys

USER_END = 0x800000000000


def run(*args):
    p = subprocess.run(args, capture_output=True, text=True)
    if p.returncode:
        raise SystemExit('not ok %s: exit %d: %s' % (' '.join(args[1:3]), p.returncode,
                                                     p.stderr.strip()[:300]))
    return p.stdout


def tsv(text):
    for line in text.splitlines():
        if line and not line.startswith('#'):
            yield line.split('\t')


def report(name, bad, n):
    if bad:
        print('not ok %s: %d of %d differ: %s' % (name, len(bad), n, '; '.join(bad[:5])))
        return 1
    print('ok %s %d' % (name, n))
    return 0


def main():
    pgtctl, dump, root, tuser, tkern = sys.argv[1:6]
    user = {int(f[0], 16): int(f[2], 16) for f in tsv(open(tuser).read())}
    for f in tsv(open(tuser).read()):
        if int(f[1], 16) << 12 != int(f[2], 16):
            raise SystemExit('not ok truth: pagemap and libaddrxlat differ at %s' % f[0])
    kern = [(int(f[0], 16), None if f[1] == '-' else int(f[1], 16))
            for f in tsv(open(tkern).read())]
    fails = 0

    leaves = [(int(f[0], 16), int(f[1], 16), int(f[2]), f[3])
              for f in tsv(run(pgtctl, 'dump', dump, '--root', root, '--pages',
                               '--format', 'tsv'))]
    units = {}
    for va, pa, size, flags in leaves:
        if va < USER_END and flags[0] == 'r':
            for off in range(0, size, 4096):
                units[va + off] = pa + off
    bad = ['0x%x: pgtctl %s, truth %s' % (va, hex(units[va]) if va in units else 'none',
                                         hex(user[va]) if va in user else 'none')
           for va in sorted(set(units) | set(user)) if units.get(va) != user.get(va)]
    fails += report('pages', bad, len(user))

    leaves.sort()
    starts = [va for va, _, _, _ in leaves]
    bad = []
    for va, pa in kern:
        i = bisect.bisect_right(starts, va) - 1
        got = None
        if i >= 0:
            lva, lpa, size, flags = leaves[i]
            if va < lva + size and flags[0] == 'r':
                got = lpa + va - lva
        if got != pa:
            bad.append('0x%x: pgtctl %s, truth %s' % (va, got and hex(got), pa and hex(pa)))
    fails += report('kernel', bad, len(kern))

    vas = sorted(user)
    got = {int(f[0], 16): int(f[2], 16) for f in
           tsv(run(pgtctl, 'translate', '--format', 'tsv', '--root', root, dump,
                   *['0x%x' % v for v in vas])) if f[1] == 'page'}
    bad = ['0x%x: %s' % (v, got.get(v)) for v in vas if got.get(v) != user[v]]
    fails += report('translate', bad, len(vas))

    pas = sorted(set(user.values()))
    seen = set()
    for f in tsv(run(pgtctl, 'ptov', '--format', 'tsv', '--root', root, dump,
                     *['0x%x' % p for p in pas])):
        seen.add((int(f[0], 16), int(f[1], 16)))
    bad = ['0x%x->0x%x' % (p, v) for v, p in user.items() if (p, v) not in seen]
    fails += report('ptov', bad, len(user))

    pages = 0
    for f in tsv(run(pgtctl, 'dump', dump, '--root', root, '--ranges', '--format', 'tsv')):
        # start end pages page_size level flags ...
        if int(f[0], 16) < USER_END and f[5][0] == 'r':
            pages += int(f[2]) * int(f[3]) // 4096
    fails += report('ranges', [] if pages == len(user) else
                    ['%d pages in the user ranges' % pages], len(user))
    sys.exit(1 if fails else 0)


main()
