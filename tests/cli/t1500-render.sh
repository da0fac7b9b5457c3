#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The renderers (src/render) over every command, view and kind of source:
# traces (text and CBOR, PAE and s390x), ELF dumps (the real-kernel slices
# in tests/data/slices), kdumps (compressed and flattened, made by
# tests/tools/gen-synth-dump.py) and raw images (tests/tools/elf2raw.py).
# * --format json: whatever views are asked, the output is ONE document
#   (python3 json.loads of the whole output) with the schema and command
#   of pgtctl(1) and exactly the views asked, each {"records": [...]}.
# * --format tsv: a '#' header, and every line has its columns.
# * --format tsv or dot on a view without that form: exit 2, saying so.
# * --format dot: a digraph whose edges join declared nodes; s390 2 KiB
#   page tables drawn as the halves of one page (checked by a small
#   parser: graphviz is not needed).

. "$top_srcdir/tests/lib/tap.sh"

: "${PYTHON:=python3}"
command -v "$PYTHON" >/dev/null 2>&1 || tap_skip_all "$PYTHON not found"

w=$TAP_WORKDIR
data=$top_srcdir/tests/data
gen=$top_srcdir/tests/tools/gen-synth-dump.py

# ---- the sources ----
cp "$data/pae-small.trace" "$w/pae.trace"
cp "$top_srcdir/traces/s390x-upgrade.trace" "$w/s390x.trace"
"$PGTCTL" convert "$w/pae.trace" "$w/pae.cbor" || tap_bail "convert failed"
for n in pae-A1 s390x-A1; do
	gzip -dc "$data/slices/$n.elf.gz" >"$w/$n.elf" ||
		tap_bail "cannot decompress $n.elf.gz"
done
"$PYTHON" "$gen" --arch pae --format kdump --pages 600 --ram-frames 512 \
	-o "$w/pae.kdump" >/dev/null 2>"$w/gen.err" ||
	tap_bail "gen-synth-dump.py failed: $(cat "$w/gen.err")"
"$PYTHON" "$gen" --arch s390x --format flat --pages 600 --ram-frames 512 \
	-o "$w/s390x.flat" >/dev/null 2>"$w/gen.err" ||
	tap_bail "gen-synth-dump.py failed: $(cat "$w/gen.err")"
"$PYTHON" "$top_srcdir/tests/tools/elf2raw.py" "$w/pae-A1.elf" "$w/pae.raw" 0 ||
	tap_bail "elf2raw.py failed"
raw="$w/pae.raw --arch pae --root 0x22022e0"
traces="pae.trace s390x.trace pae.cbor"
dumps="pae-A1.elf s390x-A1.elf pae.kdump s390x.flat"

# one_doc FILE COMMAND VIEW...: FILE is one JSON document of COMMAND with
# exactly these views (prints what is wrong)
one_doc()
{
	"$PYTHON" - "$@" <<'EOF'
import json, sys
path, command, views = sys.argv[1], sys.argv[2], sys.argv[3:]
try:
    d = json.loads(open(path).read())
except ValueError as e:
    sys.exit("not one JSON document: %s" % e)
if d.get("schema") != "pgtctl/1" or d.get("command") != command:
    sys.exit("schema/command: %r %r" % (d.get("schema"), d.get("command")))
keys = sorted(k for k in d if k not in ("schema", "command"))
if keys != sorted(views):
    sys.exit("views %s, expected %s" % (keys, sorted(views)))
for v in views:
    if not isinstance(d[v], dict):
        sys.exit("%s is not an object" % v)
    if v == "overview":
        continue
    recs = d[v].get("records")
    if not isinstance(recs, list):
        sys.exit("%s has no records list" % v)
    for r in recs:
        if not isinstance(r, dict) or "type" not in r:
            sys.exit("%s: a record without a type: %r" % (v, r))
EOF
}

# json NAME 'VIEW...' COMMAND ARG...: COMMAND --format json prints one
# document with exactly these views
json()
{
	j_name=$1 j_views=$2 j_cmd=$3
	shift 2
	"$PGTCTL" "$@" --format json >"$w/j.out" 2>"$w/j.err"
	j_rc=$?
	if test $j_rc != 0; then
		tap_ok $j_rc "json: $j_name" || tap_diag "$(cat "$w/j.err")"
		return
	fi
	# shellcheck disable=SC2086
	one_doc "$w/j.out" "$j_cmd" $j_views >"$w/j.why" 2>&1
	tap_ok $? "json: $j_name: one document, views $j_views" ||
		tap_diag "$(cat "$w/j.why")" "$(head -c 400 "$w/j.out")"
}

# ---- json: replay ----
for t in $traces; do
	for v in tree ranges pages events flushes transitions summary; do
		json "replay $t --$v" "$v" replay "$w/$t" "--$v"
	done
	json "replay $t (default)" "summary" replay "$w/$t"
	json "replay $t, all views" \
		"tree ranges pages events flushes transitions summary" \
		replay "$w/$t" --tree --ranges --pages --events --flushes \
		--transitions --summary
	json "replay $t --until 3 --pages --summary" "pages summary" \
		replay "$w/$t" --until 3 --pages --summary
done

# ---- json: dump ----
for d in $dumps; do
	for v in roots tree ranges pages summary findings; do
		json "dump $d --$v" "$v" dump "$w/$d" "--$v"
	done
	json "dump $d (overview)" "overview roots summary" dump "$w/$d"
	json "dump $d, all views" "roots tree ranges pages findings summary" \
		dump "$w/$d" --roots --tree --ranges --pages --summary --findings
done

# shellcheck disable=SC2086
for v in roots tree ranges pages summary findings; do
	json "dump pae.raw --$v" "$v" dump $raw "--$v"
done
# shellcheck disable=SC2086
json "dump pae.raw (overview)" "overview roots summary" dump $raw

# ---- json: translate, decode ----
for s in $traces; do
	json "translate $s" "translate" translate "$w/$s" 0x10000000 0x60400000
done
for d in $dumps; do
	json "translate $d" "translate" translate "$w/$d" 0x10000000 0x20100000
done
# shellcheck disable=SC2086
json "translate pae.raw" "translate" translate $raw 0x20100000
json "decode pae" "decode" decode --arch pae 0x8000000003c65067 0x2e000e5
json "decode s390x" "decode" decode --arch s390x --level pte 0x101171b

# ---- tsv: a header and its columns on every line ----
tsv_ok()	# NAME FILE
{
	awk -F '\t' 'NR == 1 { if ($0 !~ /^# /) { print "no # header: " $0; bad = 1 }
			       n = NF; next }
		     /^#/ { print "a second # line " NR; bad = 1 }
		     NF != n { print "line " NR ": " NF " columns, header " n ": " $0; bad = 1 }
		     END { if (NR == 0) { print "empty"; bad = 1 }; exit bad }' "$2" >"$w/t.why"
	tap_ok $? "tsv: $1: a '#' header and its columns on every line" ||
		tap_diag "$(head -n 5 "$w/t.why")"
	head -n 1 "$2" >>"$w/headers"
}
for v in tree ranges pages events flushes transitions summary; do
	"$PGTCTL" replay "$w/pae.trace" "--$v" --format tsv >"$w/t.out" 2>&1
	tsv_ok "replay --$v" "$w/t.out"
done
for v in roots tree ranges pages summary; do
	"$PGTCTL" dump "$w/s390x-A1.elf" "--$v" --format tsv >"$w/t.out" 2>&1
	tsv_ok "dump --$v" "$w/t.out"
done
"$PYTHON" "$gen" --arch pae --format elf --pages 600 --ram-frames 512 \
	--corrupt wild -o "$w/wild.elf" >/dev/null 2>&1 || tap_bail "gen --corrupt wild failed"
"$PGTCTL" dump "$w/wild.elf" --findings --format tsv >"$w/t.out" 2>&1
tsv_ok "dump --findings (a dump with a wild pointer)" "$w/t.out"
"$PGTCTL" translate "$w/pae.trace" 0x10001234 0x20000000 --format tsv >"$w/t.out" 2>&1
tsv_ok "translate" "$w/t.out"
"$PGTCTL" decode --arch s390x 0x101171b --format tsv >"$w/t.out" 2>&1
tsv_ok "decode" "$w/t.out"
tab=$(printf '\t')
"$PGTCTL" replay "$w/pae.trace" --pages --flushes --format tsv >"$w/t.out" 2>&1
tap_is "$(grep '^#' "$w/t.out" | tr "$tab" ' ')" "# va pa size flags raw
# op kind count reason" "tsv: the pages and flushes headers of design.md, one per view"

# every header is documented in pgtctl(1) OUTPUT FORMATS, as "a, b, c"
if MANDOC=${MANDOC:-$(command -v mandoc)} && test -n "$MANDOC"; then
	"$MANDOC" -Tutf8 "$top_srcdir/man/pgtctl.1" | col -b |
		sed -n '/^OUTPUT FORMATS/,/^OUTPUT FILES/p' | tr -s ' \t\n' ' ' >"$w/man"
	sort -u "$w/headers" | sed -e 's/^# //' -e 's/\t/, /g' >"$w/cols"
	while IFS= read -r cols; do
		grep -qF "$cols" "$w/man"
		tap_ok $? "pgtctl(1) documents the columns '$cols'"
	done <"$w/cols"
else
	tap_skip "mandoc not found" "pgtctl(1) documents the TSV columns"
fi

# ---- usage errors: a format on a view without that form ----
usage()		# NAME WANT CMD...
{
	u_name=$1 u_want=$2
	shift 2
	"$PGTCTL" "$@" >"$w/u.out" 2>"$w/u.err"
	tap_is "$?" 2 "usage: $u_name: exit 2"
	tap_ok "grep -q '$u_want' '$w/u.err' && test ! -s '$w/u.out'" \
		"usage: $u_name: says '$u_want', prints nothing on stdout" ||
		tap_diag "$(cat "$w/u.err")"
}
usage "dump --format tsv (the overview)" "overview view has no table form" \
	dump "$w/pae-A1.elf" --format tsv
usage "replay --format dot (the summary)" "draws page-table trees only" \
	replay "$w/pae.trace" --format dot
usage "replay --pages --format dot" "draws page-table trees only" \
	replay "$w/pae.trace" --pages --format dot
usage "replay --tree --pages --format dot" "draws page-table trees only" \
	replay "$w/pae.trace" --tree --pages --format dot
usage "translate --format dot" "draws page-table trees only" \
	translate "$w/pae.trace" --format dot 0x10000000
usage "decode --format dot" "draws page-table trees only" \
	decode --arch pae --format dot 0x67
usage "--format xml" "expected text, json, tsv or dot" \
	replay "$w/pae.trace" --format xml

# ---- dot ----
dot_ok()	# NAME FILE [HALVES]
{
	"$PYTHON" - "$2" "${3:-0}" >"$w/d.why" 2>&1 <<'EOF'
import re, sys
text = open(sys.argv[1]).read()
lines = text.strip().split("\n")
if not lines[0].startswith("digraph ") or not lines[0].endswith("{") or lines[-1] != "}":
    sys.exit("not one digraph { ... }")
ident = r'[A-Za-z_][A-Za-z0-9_]*'
attrs = r'(\s*\[(?:[^\]"]|"(?:[^"\\]|\\.)*")*\])?'
node_re = re.compile(r'^\s*(' + ident + r')' + attrs + r';$')
edge_re = re.compile(r'^\s*(' + ident + r')(:\w+)?\s*->\s*(' + ident + r')(:\w+)?' + attrs + r';$')
decl, used, ports = set(), set(), {}
for l in lines[1:-1]:
    if re.match(r'^\s*(rankdir=\w+|node|edge)\b', l):
        continue
    m = edge_re.match(l)
    if m:
        used.update([m.group(1), m.group(3)])
        for n, p in ((m.group(1), m.group(2)), (m.group(3), m.group(4))):
            if p:
                ports.setdefault(n, set()).add(p[1:])
        continue
    m = node_re.match(l)
    if not m:
        sys.exit("not a dot statement: " + l)
    decl.add(m.group(1))
    if "shape=record" in l:
        for p in ports.get(m.group(1), ()):
            if "<%s>" % p not in l:
                sys.exit("port %s not in %s" % (p, l))
missing = used - decl
if missing:
    sys.exit("edges to undeclared nodes: %s" % sorted(missing)[:5])
halves = [l for l in lines if "shape=record" in l and "<h0>" in l and "<h1>" in l]
if len(halves) < int(sys.argv[2]):
    sys.exit("%d pages drawn as two halves, expected %s" % (len(halves), sys.argv[2]))
EOF
	tap_ok $? "dot: $1" || tap_diag "$(cat "$w/d.why")"
}
for t in pae.trace s390x.trace; do
	"$PGTCTL" replay "$w/$t" --tree --format dot >"$w/d.out" 2>"$w/d.err"
	tap_ok $? "dot: replay $t --tree --format dot exits 0"
	dot_ok "replay $t: nodes, edges between declared nodes" "$w/d.out"
done
"$PGTCTL" replay "$w/s390x.trace" --tree --format dot >"$w/d.out" 2>&1
dot_ok "replay s390x.trace: the 2 KiB page tables as halves of their 4 pages" "$w/d.out" 2
"$PGTCTL" dump "$w/s390x-A1.elf" --tree --format dot >"$w/d.out" 2>&1
dot_ok "dump s390x-A1.elf: page-table halves drawn in their pages" "$w/d.out" 1
"$PGTCTL" dump "$w/pae-A1.elf" --tree --format dot >"$w/d.out" 2>&1
dot_ok "dump pae-A1.elf --tree --format dot" "$w/d.out"
tap_ok "grep -q 'color=\"red\"' '$w/d.out' && grep -q 'fillcolor=\"lightblue\"' '$w/d.out'" \
	"dot: writable runs have a red border, user runs a light blue fill"
if command -v dot >/dev/null 2>&1; then
	dot -Tsvg "$w/d.out" >/dev/null 2>"$w/d.err"
	tap_ok $? "dot: graphviz reads it" || tap_diag "$(cat "$w/d.err")"
else
	tap_skip "graphviz (dot) not installed; the structure was checked above" "dot: graphviz reads it"
fi

# ---- text from a dump is data: any bytes, quotes in file names ----
gzip -dc "$top_srcdir/tests/data/slices/pae-A1.elf.gz" >"$TAP_WORKDIR/u.elf"
"$PYTHON" - "$TAP_WORKDIR/u.elf" <<'PYEOF'
import sys
p = sys.argv[1]
b = bytearray(open(p, "rb").read())
i = b.find(b"OSRELEASE=")
b[i + 10:i + 13] = b"\xff\x1b\xe2"	# invalid UTF-8, an escape, a cut sequence
open(p, "wb").write(b)
PYEOF
"$PGTCTL" dump --format json "$TAP_WORKDIR/u.elf" >"$TAP_WORKDIR/u.json" 2>/dev/null
tap_ok "$PYTHON -c 'import json,sys; json.loads(open(sys.argv[1], \"rb\").read().decode(\"utf-8\"))' '$TAP_WORKDIR/u.json'" \
	"json: a dump's invalid UTF-8 and control bytes still give valid UTF-8 JSON"
cp "$TAP_WORKDIR/u.elf" "$TAP_WORKDIR/q\"uote.elf"
"$PGTCTL" dump --tree --format dot "$TAP_WORKDIR/q\"uote.elf" >"$TAP_WORKDIR/q.dot" 2>/dev/null
tap_ok "grep -q 'label=\"[^\"]*q\\\\\"uote.elf' '$TAP_WORKDIR/q.dot'" \
	"dot: a quote in the dump's file name is escaped in its label"

tap_done
