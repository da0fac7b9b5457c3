#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# pgtctl ptov against the truth of a real dump (libaddrxlat's page lists):
#
#   ptov-check.py pas TRUTH...          the frames of every present user
#                                       page of the truth files, one a line
#   ptov-check.py check PTOV.tsv ARCH KERNEL-TRUTH ROOT=TRUTH...
#                                       (ROOT=kernel: a kernel root, all
#                                       its rows judged by the kernel truth)
#
# check: for every present user page (va, pa) of each ROOT's truth, the
# ptov rows of pa hold (ROOT, va); and every row ptov gives of a root named
# here is true: a user address is a truth row of that root mapping it to
# that frame, a kernel address lies in a range of the kernel truth that
# maps it to that frame.  Rows of other roots (scanned candidates that no
# truth file describes) are counted, not judged.  One summary line last.
import sys

USER_LIMIT = {"pae": 0xC0000000, "s390x": 1 << 64}


def rows(path):
    """the data rows of a truth TSV as dicts (comment lines skipped)"""
    head = None
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if head is None and line.startswith("# ") and "\t" in line:
                line = line[2:]       # pgtctl's TSV header
            elif not line or line.startswith("#"):
                continue
            cols = line.split("\t")
            if head is None:
                head = cols
                continue
            yield dict(zip(head, cols))


def present(r):
    if "P" in r:                      # x86: the present bit
        return r["P"] == "1"
    return r.get("pte_I") == "0"      # s390: hardware-valid


def user_pages(path):
    return [(int(r["va"], 16), int(r["pa"], 16)) for r in rows(path)
            if present(r)]


def kernel_ranges(path):
    out = []
    for r in rows(path):
        vs, ve, ps = (int(r[k], 16) for k in ("va_start", "va_end", "pa_start"))
        if ve & 0xFFF == 0xFFF:       # inclusive end
            ve += 1
        out.append((vs, ve, ps))
    out.sort()
    return out


def in_kernel(ranges, va, pa):
    import bisect
    i = bisect.bisect_right(ranges, (va, 1 << 70, 0)) - 1
    if i < 0:
        return False
    vs, ve, ps = ranges[i]
    return vs <= va < ve and ps + (va - vs) == pa


def main():
    if sys.argv[1] == "pas":
        pas = set()
        for t in sys.argv[2:]:
            pas.update(pa for _, pa in user_pages(t))
        for pa in sorted(pas):
            print(hex(pa))
        return 0
    _, _, out, arch, ktruth, *specs = sys.argv
    limit = USER_LIMIT[arch]
    truth = {}
    kernel_roots = set()
    for s in specs:
        name, path = s.split("=", 1)
        if path == "kernel":          # a kernel root: the kernel truth
            kernel_roots.add(name)
            truth[name] = []
        else:
            truth[name] = user_pages(path)
    kranges = kernel_ranges(ktruth)
    got = {}                          # pa -> set of (root, va)
    bad = []
    other = 0
    n = 0
    for r in rows(out):
        n += 1
        if r["va"] == "-":
            continue
        pa, va, root = int(r["pa"], 16), int(r["va"], 16), r["root"]
        got.setdefault(pa, set()).add((root, va))
        if root not in truth:
            other += 1
    all_pages = {}
    for name, pages in truth.items():
        for va, pa in pages:
            all_pages.setdefault(name, {})[va] = pa
    for r in rows(out):
        if r["va"] == "-":
            continue
        pa, va, root = int(r["pa"], 16), int(r["va"], 16), r["root"]
        if root not in truth:
            continue
        if va < limit and root not in kernel_roots:
            if all_pages.get(root, {}).get(va & ~0xFFF) != pa & ~0xFFF:
                bad.append("false: %s maps 0x%x at 0x%x, not in its truth" % (root, pa, va))
        elif not in_kernel(kranges, va, pa):
            bad.append("false: kernel va 0x%x -> 0x%x (via %s) not in the kernel truth" % (va, pa, root))
    missing = 0
    for name, pages in truth.items():
        for va, pa in pages:
            if (name, va) not in got.get(pa, ()):
                missing += 1
                if missing <= 20:
                    bad.append("missing: %s 0x%x -> 0x%x" % (name, va, pa))
    for b in bad[:40]:
        print(b)
    total = sum(len(p) for p in truth.values())
    print("%d present user pages of %d roots, %d ptov rows (%d of other roots), %d missing, %d wrong"
          % (total, len(truth), n, other, missing, len(bad) - min(missing, 20)))
    return 1 if bad or not total else 0


if __name__ == "__main__":
    sys.exit(main())
