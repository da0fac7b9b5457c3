#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# fuzz/make-corpus.sh [SRCDIR]: (re)write the seed corpora fuzz/corpus/NAME/
# of the harnesses from what the tree already holds: the scenario traces
# (traces/), the fixtures of tests/data (text and bad-CBOR traces, strace
# logs, the table-only slices of the real dumps, decompressed) and small
# synthetic and hostile dumps (tests/tools/gen-synth-dump.py,
# gen-hostile-dump.py), the headers of the real dumps in $SHARED/dumps
# (default ../shared) when present.  Only small seeds: the corpus is committed and
# distributed (keep it under ~3 MB).  Regression inputs (files named
# crash-*, leak-*, slow-*) are kept.  Needs python3.

set -eu
src=${1:-$(dirname "$0")/..}
out=$src/fuzz/corpus
tools=$src/tests/tools
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

for h in dump strace trace-cbor trace-text walk; do
	mkdir -p "$out/$h"
	find "$out/$h" -type f ! -name 'crash-*' ! -name 'leak-*' \
		! -name 'slow-*' -exec rm -f {} +
done

small()	# FILE MAX -> true when FILE has at most MAX bytes
{
	test "$(wc -c <"$1")" -le "$2"
}

# ---- traces: text and CBOR, by their first byte ----
for f in "$src"/traces/* "$src"/tests/data/*.trace "$src"/tests/data/cbor-bad/*; do
	case $f in *.md|*.py) continue ;; esac
	small "$f" 16384 || continue
	b=$(basename "$f")
	if test "$(head -c 1 "$f" | od -An -tx1 | tr -d ' ')" = d9; then
		cp "$f" "$out/trace-cbor/$b"
	else
		cp "$f" "$out/trace-text/$b"
	fi
done
# the hostile traces of issue 11: bounded by the harness, not refused
printf 'pgtctl-trace 1\narch s390x\nset thp=never mem=8T\nalloc 0x100000 0x3ffff000000 rw\npopulate 0x100000 0x3ffff000000 write stride=1M\n' \
	>"$out/trace-text/hostile-populate.trace"
{
	printf 'pgtctl-trace 1\narch pae\n'
	i=2
	while test $i -le 400; do
		printf 'fork %d\nmm %d\n' $i $i
		i=$((i + 1))
	done
} >"$out/trace-text/hostile-fork-chain.trace"

# ---- strace logs ----
for f in "$src"/tests/data/strace/*.strace; do
	cp "$f" "$out/strace/$(basename "$f")"
done

# ---- dumps: slices, synthetic containers, hostile headers, raw ----
for f in "$src"/tests/data/slices/pae-A1.elf.gz "$src"/tests/data/slices/s390x-A1.elf.gz; do
	gzip -dc "$f" >"$out/dump/slice-$(basename "$f" .gz)"
done
for a in pae s390x; do
	for fmt in kdump flat; do
		python3 "$tools/gen-synth-dump.py" --arch $a --format $fmt \
			--pages 1024 --ram-frames 512 --cpus 2 \
			-o "$out/dump/synth-$a.$fmt"
	done
	# an ELF, and its RAM from 0x100000 as a raw image (only the first
	# 128 KiB, where the tables are: the seeds stay small)
	python3 "$tools/gen-synth-dump.py" --arch $a --format elf \
		--pages 1024 --ram-frames 512 -o "$tmp/$a.elf"
	python3 "$tools/elf2raw.py" "$tmp/$a.elf" "$tmp/$a.img" 0
	dd if="$tmp/$a.img" of="$tmp/$a.raw" bs=4096 skip=256 count=32 2>/dev/null
	cp "$tmp/$a.raw" "$out/dump/synth-$a.raw"
	python3 "$tools/gen-synth-dump.py" --arch $a --format elf \
		--pages 1024 --ram-frames 512 --truncate-at 4096 \
		-o "$out/dump/synth-$a-truncated.elf" 2>/dev/null || true
done
# the corrupt and hostile kinds once each (they differ in the container,
# not in the arch)
python3 "$tools/gen-synth-dump.py" --arch pae --format kdump \
	--pages 1024 --ram-frames 512 --exclude-zero \
	-o "$out/dump/synth-pae-exclude-zero.kdump"
for c in loop wild bad-zlib lzo; do
	python3 "$tools/gen-synth-dump.py" --arch pae --format kdump \
		--pages 256 --ram-frames 512 --corrupt $c \
		-o "$out/dump/synth-pae-$c.kdump"
done
for k in pad-note huge-load; do
	python3 "$tools/gen-hostile-dump.py" --kind $k --arch s390x \
		-o "$out/dump/hostile-s390x-$k.elf"
done
for k in many-notes alias-notes; do
	python3 "$tools/gen-hostile-dump.py" --kind $k --arch pae \
		--count 20 --per 4 -o "$out/dump/hostile-pae-$k.elf"
done
python3 "$tools/gen-hostile-dump.py" --kind kdump-huge --pages 4096 \
	-o "$out/dump/hostile-kdump-huge.kdump"
# pages in every compression, and a split set's part, where the build
# has tests/tools/kdump-rewrite (make check builds it) and the library
rewrite=${KDUMP_REWRITE:-$src/tests/tools/kdump-rewrite}
if test -x "$rewrite"; then
	python3 "$tools/gen-synth-dump.py" --arch pae --format kdump \
		--pages 16 --ram-frames 512 -o "$tmp/pae.kdump"
	for c in lzo snappy zstd; do
		"$rewrite" "$tmp/pae.kdump" "$out/dump/synth-pae-pages-$c.kdump" \
			$c 2>/dev/null || rm -f "$out/dump/synth-pae-pages-$c.kdump"
	done
	"$rewrite" "$tmp/pae.kdump" "$tmp/part" zlib --split 2 &&
		cp "$tmp/part.2" "$out/dump/synth-pae-split-part2.kdump"
fi

# the headers of the real dumps (../shared/dumps, when present): the
# first 16 KiB of each container, notes and VMCOREINFO included
shared=${SHARED:-$src/../shared}/dumps
head16()	# OUT FILE [gz]
{
	if test -n "${3:-}"; then
		gzip -dc "$2" | head -c 16384 >"$out/dump/$1" || true
	else
		head -c 16384 "$2" >"$out/dump/$1"
	fi
}
if test -d "$shared"; then
	head16 real-pae-A1-head.elf "$shared/pae-A1/A1.elf.gz" gz
	head16 real-pae-A1-head.flat "$shared/pae-A1/A1.kdump-zlib.flat"
	head16 real-pae-K1-head.kdump "$shared/pae-K1/K1-vmcore-c-d31.kdump"
	head16 real-pae-K1-head.elf "$shared/pae-K1/K1-vmcore.elf.gz" gz
	head16 real-s390x-A1-head.flat "$shared/s390x-A1/A1-kmode.kdump.flat"
fi

# ---- walk: header (fuzz/walk.c) + the synthetic RAM at 0x100000 ----
walk_seed()	# ARCH-INDEX ROOT VA RAW OUT
{
	python3 - "$@" <<'PY'
import struct, sys
arch, root, va, raw, out = sys.argv[1:]
mem = open(raw, 'rb').read()[:32768]
hdr = struct.pack('<BQQI', int(arch), int(root, 0), int(va, 0), 0x100000 >> 12)
open(out, 'wb').write(hdr + mem)
PY
}
# arch indexes as src/arch/arch.c registers them: s390x 0, s390 1, pae 2;
# roots as the synthetic dumps' registers hold them
walk_seed 2 0x1002e0 0x08048000 "$tmp/pae.raw" "$out/walk/pae-user"
walk_seed 130 0x101000 0xc0000000 "$tmp/pae.raw" "$out/walk/pae-kernel-map"
walk_seed 0 0x1001c7 0x10000000 "$tmp/s390x.raw" "$out/walk/s390x-user"
walk_seed 128 0x104007 0x00100000 "$tmp/s390x.raw" "$out/walk/s390x-kernel-map"
walk_seed 1 0x100000 0x00400000 "$tmp/s390x.raw" "$out/walk/s390-31bit"

du -sh "$out"
