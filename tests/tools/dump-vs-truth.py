#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Compare `pgtctl dump --pages --format tsv` with a dump's ground truth.

The truth files in ../shared/dumps come from libaddrxlat (an independent
walker) and the workloads' own pagemap.  Modes:
  units  TRUTH OURS   user pages: every present 4 KiB unit must have the
                      same pa and the same raw leaf entry, none missing,
                      none extra (2 MiB leaves are expanded on both sides)
  ranges TRUTH OURS   kernel half: our pages merged with the truth's rule
                      (VA and PA contiguous, same page size, same leaf
                      flag bits) must give the same list of ranges
Prints a summary line; exit 0 when identical, 1 otherwise.
"""
import sys

UNIT = 4096


def rows(path):
    """yield dicts of a TSV whose header is the first non-# line (or a
    '# '-prefixed header as pgtctl writes it)"""
    header = None
    with open(path) as f:
        for line in f:
            line = line.rstrip('\n')
            if not line:
                continue
            if line.startswith('# va\t'):
                header = line[2:].split('\t')
                continue
            if line.startswith('#'):
                continue
            if header is None:
                header = line.split('\t')
                continue
            yield dict(zip(header, line.split('\t')))


def size_of(s):
    s = s.strip()
    if s.endswith('K'):
        return int(s[:-1]) * 1024
    if s.endswith('M'):
        return int(s[:-1]) << 20
    return int(s, 0)


def truth_units(path):
    units = {}
    for r in rows(path):
        va, pa = int(r['va'], 16), int(r['pa'], 16)
        if 'pte_I' in r:                      # s390x: one row per PTE
            units[va] = (pa, int(r['pte'], 16))
            continue
        size = size_of(r.get('map_size') or r.get('size'))
        if 'leaf' in r:
            raw = int(r['leaf'], 16)
        else:
            raw = int(r['pte'] if r['pte'] != '-' else r['pde'], 16)
        if 'map_size' in r:                   # A1: already one row per 4 KiB
            units[va] = (pa, raw)
            continue
        for i in range(size // UNIT):
            units[va + i * UNIT] = (pa + i * UNIT, raw)
    return units


def our_units(path, lo=0, hi=1 << 64):
    units = {}
    for r in rows(path):
        va, pa, size = int(r['va'], 16), int(r['pa'], 16), int(r['size'])
        raw = int(r['raw'], 16)
        if 'r' not in r['flags'][:1]:
            continue                          # PROT_NONE: not present to the MMU
        for i in range(size // UNIT):
            v = va + i * UNIT
            if lo <= v < hi:
                units[v] = (pa + i * UNIT, raw)
    return units


def cmp_units(truth, ours):
    t, o = truth_units(truth), our_units(ours)
    bad = [v for v in t if v in o and t[v] != o[v]]
    missing = [v for v in t if v not in o]
    extra = [v for v in o if v not in t]
    for what, lst in (('differ', bad), ('missing', missing), ('extra', extra)):
        for v in sorted(lst)[:5]:
            print('%s va 0x%x truth %s ours %s' % (
                what, v, fmt(t.get(v)), fmt(o.get(v))))
    print('units: truth %d, ours %d, equal %d, differ %d, missing %d, extra %d'
          % (len(t), len(o), len(t) - len(bad) - len(missing), len(bad),
             len(missing), len(extra)))
    return 0 if not (bad or missing or extra) else 1


def fmt(x):
    return '-' if x is None else 'pa 0x%x raw 0x%x' % x


def truth_ranges(path):
    out = []
    for r in rows(path):
        start = int(r['va_start'], 16)
        if 'pa_end' in r:                     # s390x: end exclusive
            end = int(r['va_end'], 16)
            size = int(r['page_size'], 16)
            n = int(r['pages'])
        else:                                 # PAE: end inclusive
            end = int(r['va_end'], 16) + 1
            size = size_of(r['page_size'])
            n = int(r['npages'])
        out.append((start, end, int(r['pa_start'], 16), size, n))
    return out


def our_ranges(path, arch):
    """merge like the truth: contiguous VA and PA, same size, same leaf
    flag bits (PAE: low 12 bits and NX; s390x: the PTE's low 12 bits)"""
    mask = 0x8000000000000fff if arch == 'pae' else 0xfff
    out, cur = [], None
    for r in rows(path):
        va, pa, size = int(r['va'], 16), int(r['pa'], 16), int(r['size'])
        if 'r' not in r['flags'][:1]:
            continue                          # PROT_NONE-like: not mapped
        key = (size, int(r['raw'], 16) & mask)
        if cur and cur[1] == va and cur[2] + (cur[1] - cur[0]) == pa and \
                cur[5] == key:
            cur[1] += size
            cur[4] += 1
            continue
        if cur:
            out.append(tuple(cur[:5]))
        cur = [va, va + size, pa, size, 1, key]
    if cur:
        out.append(tuple(cur[:5]))
    return out


def cmp_ranges(truth, ours, arch, lo):
    t = truth_ranges(truth)
    o = [r for r in our_ranges(ours, arch) if r[0] >= lo]
    ts, os_ = set(t), set(o)
    for r in sorted(ts - os_)[:5]:
        print('truth only: 0x%x-0x%x pa 0x%x size 0x%x n %d' % r)
    for r in sorted(os_ - ts)[:5]:
        print('ours only:  0x%x-0x%x pa 0x%x size 0x%x n %d' % r)
    print('ranges: truth %d, ours %d, equal %d, pages truth %d ours %d'
          % (len(t), len(o), len(ts & os_), sum(r[4] * r[3] // UNIT for r in t),
             sum(r[4] * r[3] // UNIT for r in o)))
    return 0 if ts == os_ else 1


def main(argv):
    if len(argv) >= 4 and argv[1] == 'units':
        return cmp_units(argv[2], argv[3])
    if len(argv) >= 5 and argv[1] == 'ranges':
        lo = int(argv[5], 0) if len(argv) > 5 else 0
        return cmp_ranges(argv[2], argv[3], argv[4], lo)
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv))
