#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Turn a dump's truth TSV (or pgtctl's own page list) into pgtctl's
`--pages --format tsv` form, restricted to the regions a trace allocates,
optionally with the physical addresses masked out so that a replay can be
compared with the real kernel's tree.

Inputs (INPUT, '-' for stdin):
  default       a truth TSV from ../shared/dumps: pae-A1/truth-A1.tsv (one
                row per present 4 KiB unit, 2 MiB pages expanded to 512 rows)
                or s390x-A1/truth-A1.tsv (one row per non-empty PTE); the
                kind is recognised from its header row.
  --from-pages  pgtctl's `--pages --format tsv` output: '#' header line, then
                va, pa, size, flags, raw (design.md).

Outputs:
  default       the `--pages --format tsv` contract: one line per present leaf
                (a 2 MiB PAE page is ONE line of size 2097152), sorted by va:
                va  pa  size  flags  raw
  --mask        va  size  flags  rawflags   (no physical address: rawflags is
                the leaf with its frame bits zeroed; flags re-spelt as the
                seven positions r w x u a d g)
  --summary     count of leaves per region, size, flags and rawflags
  --count       the number of present 4 KiB pages (a 2 MiB leaf counts 512)
  --list-regions  the regions (start, length) the trace allocates

Regions: the [addr, addr+len) of every `alloc` of --trace FILE (all of them,
or the one starting at --region ADDR); --all keeps every leaf.  A leaf is
kept when it overlaps a region.  Truth rows kept must belong to an anonymous
VMA (the workload's regions are anonymous), else it is an error.

Flags (the hardware's view, one letter or '-', in the order r w x u a d g):
  pae    r = P, w = RW of the leaf and of the PDE above it (truth: eff_RW),
         x = NX clear along the walk (truth: eff_NX), u = US (eff_US),
         a = A, d = D, g = G
  s390   r = PTE invalid bit 0x400 clear, w = r and no protection bit at
         page (0x200), segment or region level, x = r and no IEP bit (0x100)
         at any level, u = '-', a = software young 0x004,
         d = software dirty 0x008, g = '-'
Frame bits masked by --mask:
  pae    4 KiB: raw & ~0x000ffffffffff000; 2 MiB: raw & ~0x000fffffffe00000
         (bit 12 of a 2 MiB PDE is PAT, not frame: kept)
  s390   4 KiB: raw & 0xfff; 1 MiB: raw & 0xfffff; 2 GiB: raw & 0x7fffffff

Typical use (the reality tests):
  diff <(truth2pages.py --trace T --mask truth-A1.tsv) \\
       <(pgtctl replay --pages --format tsv T | truth2pages.py --trace T --mask --from-pages -)

Exit status: 0 success, 2 bad input (message names the file and line).
"""

import argparse
import re
import sys

PROG = "truth2pages"
K4, M1, M2, G2 = 0x1000, 0x100000, 0x200000, 0x80000000
LETTERS = "rwxuadg"

PAE_FRAME = {K4: 0x000ffffffffff000, M2: 0x000fffffffe00000}
S390_KEEP = {K4: 0xfff, M1: 0xfffff, G2: 0x7fffffff}


class InputError(Exception):
    pass


def parse_num(s, where="number"):
    """Decimal, 0x hex, optional K/M/G/T suffix (the trace format's numbers)."""
    m = re.fullmatch(r"(0[xX][0-9a-fA-F]+|[0-9]+)([KMGT]?)", s)
    if not m:
        raise InputError("%s: '%s' is not a number" % (where, s))
    v = int(m.group(1), 0) if m.group(1)[:2].lower() == "0x" else int(m.group(1))
    return v << {"": 0, "K": 10, "M": 20, "G": 30, "T": 40}[m.group(2)]


def norm_arch(a):
    if a in ("s390x", "s390"):
        return "s390"
    if a == "pae":
        return "pae"
    raise InputError("unknown arch '%s' (expected pae, s390x or s390)" % a)


def read_trace(path):
    """(arch, [(addr, len), ...]) from a pgtctl text trace."""
    arch, regions = None, []
    try:
        f = open(path, encoding="utf-8")
    except OSError as e:
        raise InputError("%s: %s" % (path, e.strerror)) from None
    with f:
        for n, line in enumerate(f, 1):
            w = line.split("#", 1)[0].split()
            if not w:
                continue
            where = "%s:%d" % (path, n)
            if w[0] == "arch" and len(w) == 2:
                arch = norm_arch(w[1])
            elif w[0] == "alloc":
                if len(w) < 4:
                    raise InputError("%s: alloc needs ADDR LEN PROT" % where)
                regions.append((parse_num(w[1], where), parse_num(w[2], where)))
    if arch is None:
        raise InputError("%s: no 'arch' line" % path)
    if not regions:
        raise InputError("%s: no 'alloc' operation" % path)
    return arch, regions


def canon_flags(letters):
    return "".join(c if c in letters else "-" for c in LETTERS)


def mask_raw(arch, size, raw, where):
    if arch == "pae":
        if size not in PAE_FRAME:
            raise InputError("%s: size %d is not a PAE leaf size" % (where, size))
        return raw & ~PAE_FRAME[size] & 0xffffffffffffffff
    if size not in S390_KEEP:
        raise InputError("%s: size %d is not an s390 leaf size" % (where, size))
    return raw & S390_KEEP[size]


class Leaf:
    __slots__ = ("va", "pa", "size", "flags", "raw", "anon", "where")

    def __init__(self, va, pa, size, flags, raw, anon, where):
        self.va, self.pa, self.size, self.flags = va, pa, size, flags
        self.raw, self.anon, self.where = raw, anon, where


def rows(f, path):
    """(line number, list of fields) of the non-comment lines."""
    for n, line in enumerate(f, 1):
        line = line.rstrip("\r\n")
        if not line or line.startswith("#"):
            continue
        yield n, line.split("\t")


def bit(raw, mask):
    return 1 if raw & mask else 0


def check_col(cols, name, want, where):
    if name in cols and cols[name] not in ("-", "") and int(cols[name]) != want:
        raise InputError("%s: column %s = %s disagrees with the raw entry"
                         % (where, name, cols[name]))


def read_truth(f, path):
    """(arch, leaves) from a truth TSV; the arch comes from the header row."""
    it = rows(f, path)
    try:
        n, head = next(it)
    except StopIteration:
        raise InputError("%s: empty" % path) from None
    if head[:4] == ["va", "pa", "map_size", "pdpte"]:
        return "pae", read_truth_pae(it, head, path)
    if head[:4] == ["va", "pa", "pfn", "top"]:
        return "s390", read_truth_s390(it, head, path)
    raise InputError("%s:%d: not a known truth header (va pa map_size pdpte ... or "
                     "va pa pfn top ...)" % (path, n))


def need(head, names, path):
    miss = [c for c in names if c not in head]
    if miss:
        raise InputError("%s: header lacks column%s %s" % (
            path, "s" if len(miss) > 1 else "", ", ".join(miss)))


def read_truth_pae(it, head, path):
    need(head, ["va", "pa", "map_size", "pde", "pte", "P", "A", "D", "G",
                "eff_RW", "eff_US", "eff_NX", "vma_name"], path)
    leaves, huge = [], {}
    for n, f in it:
        where = "%s:%d" % (path, n)
        if len(f) != len(head):
            raise InputError("%s: %d fields, header has %d" % (where, len(f), len(head)))
        c = dict(zip(head, f))
        va, pa = int(c["va"], 16), int(c["pa"], 16)
        size = {"4K": K4, "2M": M2}.get(c["map_size"])
        if size is None:
            raise InputError("%s: map_size %s (expected 4K or 2M)" % (where, c["map_size"]))
        if size == K4:
            if c["pte"] == "-":
                raise InputError("%s: 4K row without a pte" % where)
            raw = int(c["pte"], 16)
        else:
            if c["pte"] != "-":
                raise InputError("%s: 2M row with a pte" % where)
            raw = int(c["pde"], 16)
            if not raw & 0x80:
                raise InputError("%s: 2M row but the PDE has no PS bit" % where)
        for col, m in (("P", 0x1), ("RW", 0x2), ("US", 0x4), ("PWT", 0x8),
                       ("PCD", 0x10), ("A", 0x20), ("D", 0x40), ("G", 0x100),
                       ("NX", 1 << 63)):
            check_col(c, col, bit(raw, m), where)
        if c["P"] != "1":
            raise InputError("%s: row not present" % where)
        letters = "r"
        letters += "w" if c["eff_RW"] == "1" else ""
        letters += "x" if c["eff_NX"] == "0" else ""
        letters += "u" if c["eff_US"] == "1" else ""
        letters += "a" if c["A"] == "1" else ""
        letters += "d" if c["D"] == "1" else ""
        letters += "g" if c["G"] == "1" else ""
        anon = c["vma_name"] == "-"
        if size == K4:
            leaves.append(Leaf(va, pa, size, canon_flags(letters), raw, anon, where))
            continue
        # a 2 MiB page expanded into 512 rows of 4 KiB: collapse to one leaf
        base = va & ~(M2 - 1)
        frame = raw & PAE_FRAME[M2]
        if pa != frame + (va - base):
            raise InputError("%s: pa %s is not the PDE frame + offset" % (where, c["pa"]))
        h = huge.get(base)
        if h is None:
            h = huge[base] = Leaf(base, frame, M2, canon_flags(letters), raw, anon, where)
            h.anon = [anon, {va}]
            leaves.append(h)
        else:
            if h.raw != raw or h.flags != canon_flags(letters):
                raise InputError("%s: 2M page at 0x%x: rows disagree (%s)"
                                 % (where, base, h.where))
            if va in h.anon[1]:
                raise InputError("%s: 0x%x listed twice" % (where, va))
            h.anon[1].add(va)
            h.anon[0] = h.anon[0] and anon
    for h in huge.values():
        if len(h.anon[1]) != M2 // K4:
            raise InputError("%s: 2M page at 0x%x has %d rows, not 512"
                             % (h.where, h.va, len(h.anon[1])))
        h.anon = h.anon[0]
    return leaves


def read_truth_s390(it, head, path):
    need(head, ["va", "pa", "pte", "pte_I", "pte_P", "pte_NX", "ste_P", "ste_NX",
                "ste_FC", "region_P", "region_NX", "vma"], path)
    leaves = []
    for n, f in it:
        where = "%s:%d" % (path, n)
        if len(f) != len(head):
            raise InputError("%s: %d fields, header has %d" % (where, len(f), len(head)))
        c = dict(zip(head, f))
        va, pa, raw = int(c["va"], 16), int(c["pa"], 16), int(c["pte"], 16)
        if c["ste_FC"] != "0":
            raise InputError("%s: large segment (ste_FC=1) rows are not supported" % where)
        for col, m in (("pte_I", 0x400), ("pte_P", 0x200), ("pte_NX", 0x100)):
            check_col(c, col, bit(raw, m), where)
        if raw & 0x400:
            continue        # not valid for the hardware: not a present leaf
        prot = raw & 0x200 or c["ste_P"] == "1" or c["region_P"] == "1"
        nx = raw & 0x100 or c["ste_NX"] == "1" or c["region_NX"] == "1"
        letters = "r" + ("" if prot else "w") + ("" if nx else "x")
        letters += "a" if raw & 0x004 else ""
        letters += "d" if raw & 0x008 else ""
        # vma: "perm" for anonymous, "perm:name" otherwise; MAP_SHARED|MAP_ANONYMOUS
        # is shmem, named "/dev/zero (deleted)"
        name = c["vma"].split(":", 1)[1] if ":" in c["vma"] else ""
        anon = name in ("", "/dev/zero (deleted)")
        leaves.append(Leaf(va, pa, K4, canon_flags(letters), raw, anon, where))
    return leaves


def read_pages(f, path, arch):
    """Leaves from pgtctl's --pages --format tsv output."""
    leaves, last = [], None
    for n, fl in rows(f, path):
        where = "%s:%d" % (path, n)
        if len(fl) != 5:
            raise InputError("%s: %d fields, expected va pa size flags raw" % (where, len(fl)))
        try:
            va, pa, raw = (int(x, 16) if x.lower().startswith("0x") else None
                           for x in (fl[0], fl[1], fl[4]))
            size = int(fl[2], 10)
        except ValueError:
            raise InputError("%s: bad number" % where) from None
        if va is None or pa is None or raw is None:
            raise InputError("%s: va, pa and raw must be 0x hex" % where)
        letters = fl[3]
        bad = [c for c in letters if c not in LETTERS + "-"]
        dup = [c for c in set(letters) if c != "-" and letters.count(c) > 1]
        if bad or dup or not letters:
            raise InputError("%s: flags '%s': expected letters of %s or '-'"
                             % (where, letters, LETTERS))
        if va % size:
            raise InputError("%s: va 0x%x not aligned to its size %d" % (where, va, size))
        mask_raw(arch, size, raw, where)        # checks the size
        if last is not None:
            if va == last.va:
                raise InputError("%s: va 0x%x listed twice (several address spaces "
                                 "in the output?)" % (where, va))
            if va < last.va:
                raise InputError("%s: not sorted by va" % where)
            if va < last.va + last.size:
                raise InputError("%s: va 0x%x overlaps the leaf at 0x%x"
                                 % (where, va, last.va))
        last = Leaf(va, pa, size, canon_flags(letters), raw, True, where)
        leaves.append(last)
    return leaves


def main(argv=None):
    ap = argparse.ArgumentParser(
        prog="truth2pages.py",
        description="Truth TSV or pgtctl pages -> pgtctl --pages TSV for the trace's "
        "regions, optionally with physical addresses masked.")
    ap.add_argument("input", nargs="?", help="truth TSV or (--from-pages) pgtctl output; '-' = stdin")
    ap.add_argument("--trace", metavar="FILE", help="trace whose alloc regions are kept (and arch)")
    ap.add_argument("--arch", help="pae or s390x (default: the trace's, or the truth's)")
    ap.add_argument("--from-pages", action="store_true",
                    help="INPUT is pgtctl --pages --format tsv output")
    ap.add_argument("--region", metavar="ADDR", help="keep only the alloc region starting at ADDR")
    ap.add_argument("--all", action="store_true", help="keep every leaf (no region filter)")
    out = ap.add_mutually_exclusive_group()
    out.add_argument("--mask", action="store_true", help="va size flags rawflags, no pa")
    out.add_argument("--summary", action="store_true",
                     help="leaf count per region, size, flags and rawflags")
    out.add_argument("--count", action="store_true", help="number of present 4 KiB pages")
    out.add_argument("--list-regions", action="store_true", help="the trace's regions")
    args = ap.parse_args(argv)

    try:
        arch = norm_arch(args.arch) if args.arch else None
        regions = None
        if args.trace:
            tarch, regions = read_trace(args.trace)
            if arch and arch != tarch:
                raise InputError("--arch %s but %s says arch %s" % (args.arch, args.trace, tarch))
            arch = tarch
        if args.list_regions:
            if regions is None:
                raise InputError("--list-regions needs --trace")
            for a, ln in regions:
                print("0x%08x 0x%x" % (a, ln))
            return 0
        if args.region is not None:
            if regions is None:
                raise InputError("--region needs --trace")
            start = parse_num(args.region, "--region")
            regions = [r for r in regions if r[0] == start]
            if not regions:
                raise InputError("--region %s: no alloc at that address in %s"
                                 % (args.region, args.trace))
        if regions is None and not args.all:
            raise InputError("give --trace FILE (regions) or --all")
        if args.all:
            regions = None
        if args.input is None:
            raise InputError("no INPUT file")
        path = "stdin" if args.input == "-" else args.input
        try:
            f = sys.stdin if args.input == "-" else open(args.input, encoding="utf-8")
        except OSError as e:
            raise InputError("%s: %s" % (args.input, e.strerror)) from None
        with f:
            if args.from_pages:
                if arch is None:
                    raise InputError("--from-pages needs --arch or --trace")
                leaves = read_pages(f, path, arch)
            else:
                tarch, leaves = read_truth(f, path)
                if arch and arch != tarch:
                    raise InputError("%s is a %s truth but the arch is %s"
                                     % (path, tarch, arch))
                arch = tarch

        def region_of(lf):
            for a, ln in regions:
                if lf.va < a + ln and lf.va + lf.size > a:
                    return a
            return None

        kept = []
        for lf in leaves:
            reg = region_of(lf) if regions is not None else None
            if regions is not None and reg is None:
                continue
            if regions is not None and not lf.anon:
                raise InputError("%s: 0x%x is in the region at 0x%x but its VMA is not "
                                 "anonymous" % (lf.where, lf.va, reg))
            kept.append((reg, lf))
        kept.sort(key=lambda t: t[1].va)

        w = sys.stdout.write
        if args.count:
            w("%d\n" % sum(lf.size // K4 for _, lf in kept))
        elif args.summary:
            counts = {}
            for reg, lf in kept:
                key = (reg if reg is not None else -1, lf.size, lf.flags,
                       mask_raw(arch, lf.size, lf.raw, lf.where))
                counts[key] = counts.get(key, 0) + 1
            w("# region\tsize\tflags\trawflags\tleaves\n")
            for (reg, size, flags, rf), cnt in sorted(counts.items()):
                w("%s\t%d\t%s\t0x%03x\t%d\n" % ("-" if reg < 0 else "0x%08x" % reg,
                                                size, flags, rf, cnt))
        elif args.mask:
            w("# va\tsize\tflags\trawflags\n")
            for _, lf in kept:
                w("0x%08x\t%d\t%s\t0x%03x\n" % (lf.va, lf.size, lf.flags,
                                               mask_raw(arch, lf.size, lf.raw, lf.where)))
        else:
            w("# va\tpa\tsize\tflags\traw\n")
            for _, lf in kept:
                w("0x%08x\t0x%08x\t%d\t%s\t0x%016x\n" % (lf.va, lf.pa, lf.size,
                                                        lf.flags, lf.raw))
    except InputError as e:
        print("%s: %s" % (PROG, e), file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
