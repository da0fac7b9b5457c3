#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Re-make the real x86-64 fixtures of tests/data/x86_64-real and
# tests/data/slices/x86_64-*.elf.gz (not run by make check): boot Debian
# 12's amd64 kernel under QEMU TCG from a busybox initramfs running
# pgwork-x86_64.c, dump the guest with QEMU's monitor while the workload
# spins in user space, write the truth (pagemap + libaddrxlat,
# ../x86-real-truth.py) and the table-only slices.  See
# tests/data/x86_64-real/README.md.  Needs (Debian 12): qemu-system-x86,
# busybox-static, gcc, libkdumpfile-dev, python3, apt-get download.
# Run from the top build directory (after make):
#   sh tests/tools/x86-real/make-dump.sh [SRCDIR [WORKDIR]]
# Writes into SRCDIR/tests/data; keeps the full dumps in WORKDIR.
set -eu
src=${1:-.}
work=${2:-$(mktemp -d)}
here=$src/tests/tools/x86-real
kpkg=${KPKG:-linux-image-6.1.0-50-amd64}
kver=6.1.0-50-amd64
pgtctl=$PWD/src/pgtctl
data=$src/tests/data/x86_64-real
mkdir -p "$work" "$data"
cd "$work"

# the kernel (modules: only qemu_fw_cfg, which hands QEMU's -device
# vmcoreinfo the address of the kernel's VMCOREINFO note)
test -f kpkg/boot/vmlinuz-$kver || {
	apt-get download "$kpkg"
	dpkg -x "$kpkg"_*_amd64.deb kpkg
}
gcc -static -O2 -Wall -o pgwork "$here/pgwork-x86_64.c"
gcc -O2 -o addrxlat-check "$src/tests/tools/addrxlat-check.c" -lkdumpfile -laddrxlat
rm -rf root && mkdir -p root/bin root/lib
cp /bin/busybox root/bin/busybox
cp pgwork root/pgwork
cp kpkg/lib/modules/$kver/kernel/drivers/firmware/qemu_fw_cfg.ko root/lib/
cp "$here/init-x86_64" root/init
chmod +x root/init
(cd root && find . | busybox cpio -o -H newc 2>/dev/null) | gzip -9n >initrd.gz

# monitor command(s) over the unix socket; prints the answers
mon()
{
	python3 - "$@" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.settimeout(600)
def answer():
    buf = b''
    while not buf.endswith(b'(qemu) '):
        d = s.recv(65536)
        if not d:
            break
        buf += d
    return buf.decode(errors='replace')
answer()
for c in sys.argv[2:]:
    s.sendall((c + '\n').encode())
    print(answer().replace('(qemu) ', ''))
PY
}

# NAME "kernel args": boot, wait for READY, dump ELF and kdump, quit
boot_and_dump()
{
	n=$1
	rm -f "mon-$n.sock" "console-$n.log" "$n.elf" "$n.kdump-zlib.flat"
	qemu-system-x86_64 -machine pc -accel tcg -m 128M -smp 1 -nographic \
		-kernel kpkg/boot/vmlinuz-$kver -initrd initrd.gz \
		-append "console=ttyS0 panic=-1 $2" -device vmcoreinfo -no-reboot \
		-monitor "unix:mon-$n.sock,server,nowait" \
		-serial "file:console-$n.log" >"qemu-$n.out" 2>&1 &
	i=0
	until grep -q '^READY' "console-$n.log" 2>/dev/null; do
		i=$((i + 1))
		test $i -lt 600 || { echo "$n: no READY in 600 s" >&2; exit 1; }
		sleep 1
	done
	mon "mon-$n.sock" stop "info registers" >"regs-$n.txt"
	mon "mon-$n.sock" "dump-guest-memory $work/$n.elf" \
		"dump-guest-memory -z $work/$n.kdump-zlib.flat" quit >/dev/null
	wait
}

# NAME: truth and slice
truth_and_slice()
{
	n=$1
	root=$(sed -n 's/.*CR3=0*\([0-9a-f]*\).*/0x\1/p' "regs-$n.txt")
	# kernel addresses to ask libaddrxlat: the middle of every kernel
	# leaf pgtctl walks, one ESPFIX alias in 61
	"$pgtctl" dump "$n.elf" --pages --format tsv | python3 -c '
import sys
for l in sys.stdin:
    if l.startswith("#") or not l.strip(): continue
    f = l.split("\t"); va = int(f[0], 16); sz = int(f[2])
    if va < 0x800000000000: continue
    if 0xffffff0000000000 <= va < 0xffffff8000000000 and (va >> 16) % 61: continue
    print("%x" % (va + sz // 2 + 0x123))' >"kvas-$n.txt"
	python3 "$src/tests/tools/x86-real-truth.py" "console-$n.log" "$n.elf" \
		"$root" ./addrxlat-check "kvas-$n.txt" >"truth-$n-user.tsv" 3>"truth-$n-kernel.tsv"
	gzip -9n <"truth-$n-user.tsv" >"$data/$n-truth-user.tsv.gz"
	gzip -9n <"truth-$n-kernel.tsv" >"$data/$n-truth-kernel.tsv.gz"
	grep -aE '^(INIT|INFO|BEGIN|OP|OPS_DONE|MAPS|PM_END|PMCHECK|READY)' "console-$n.log" |
		gzip -9n >"$data/$n-console.log.gz"
	grep -E '^(RIP|CR0|CS |EFER)' "regs-$n.txt" >"$data/$n-regs.txt"
	rm -f "slice-$n.elf"
	"$pgtctl" dump "$n.elf" --save-tables "slice-$n.elf"
	gzip -9n <"slice-$n.elf" >"$src/tests/data/slices/x86_64-$n.elf.gz"
}

boot_and_dump X1 nokaslr
boot_and_dump K2 ""
truth_and_slice X1
truth_and_slice K2
ls -l "$data" "$src"/tests/data/slices/x86_64-*
