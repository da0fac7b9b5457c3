#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The truth of a real x86-64 dump made by x86-real/make-dump.sh, from two
sources that do not involve pgtctl's walker:

  user:   every page the workload's /proc/self/pagemap called present (its
          "PM" console lines), with the PA libaddrxlat (addrxlat-check)
          finds for the same VA through the dump's CR3; the two must agree
          or this script fails;
  kernel: libaddrxlat's PA for the addresses listed in KERNEL-VAS (one hex
          VA a line: the caller picks them, e.g. three in each kernel leaf).

  x86-real-truth.py CONSOLE DUMP ROOT ADDRXLAT-CHECK [KERNEL-VAS] \
      >truth-user.tsv [3>truth-kernel.tsv]
Output (TSV, one header line): user "va pfn pa perm map", kernel "va pa"
("-" when libaddrxlat finds no page)."""
import os
import subprocess
import sys


def addrxlat(tool, dump, root, vas):
    p = subprocess.run([tool, dump, 'x86_64-4', root], capture_output=True,
                       text=True, check=True,
                       input=''.join('%x\n' % v for v in vas))
    out = {}
    for line in p.stdout.splitlines():
        va, pa = line.split()[:2]
        out[int(va, 16)] = None if pa in ('-', '!') else int(pa, 16)
    return out


def main():
    console, dump, root, tool = sys.argv[1:5]
    maps, pages = {}, []
    for line in open(console, errors='replace'):
        f = line.split()
        if len(f) > 2 and f[0] == 'MAPS' and f[1].isdigit():
            maps[int(f[1])] = (f[3], f[7] if len(f) > 7 else '-')
        elif f and f[0] == 'PM':
            kv = dict(x.split('=', 1) for x in f[1:] if '=' in x)
            if kv['present'] == '1':
                pages.append((int(kv['va'], 16), int(kv['pfn'], 16),
                              int(kv['map'])))
    if not pages:
        sys.exit('%s: no present PM lines' % console)
    pa = addrxlat(tool, dump, root, [va for va, _, _ in pages])
    print('# va\tpfn\tpa\tperm\tmap')
    bad = 0
    for va, pfn, m in pages:
        if pa[va] is None or pa[va] >> 12 != pfn:
            print('pagemap and libaddrxlat differ at 0x%x' % va, file=sys.stderr)
            bad += 1
        perm, name = maps[m]
        print('0x%x\t0x%x\t0x%x\t%s\t%s' % (va, pfn, pa[va] or 0, perm, name))
    if len(sys.argv) > 5:
        vas = [int(line, 16) for line in open(sys.argv[5]) if line.strip()]
        kpa = addrxlat(tool, dump, root, vas)
        with os.fdopen(3, 'w') as k:
            k.write('# va\tpa\n')
            for va in vas:
                k.write('0x%x\t%s\n' % (va, '-' if kpa[va] is None else '0x%x' % kpa[va]))
    sys.exit(1 if bad else 0)


main()
