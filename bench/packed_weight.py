"""What packing the diagrams saves: a packed site's bytes beside the same site with inline SVG.

In: one or more sites built with packed diagrams (`build --diagrams packed`, or `auto` from
1,000 diagrams on; `bench.bench_site --keep DIR` leaves them), each with its table count
(`DIR=N`). Out: on stdout, per site and per kind of file (`bench.bench_site.page_kind`), the
bytes as built (packed) and with every packed element replaced by the SVG it inflates to,
which is the inline build's page byte for byte (tests/render/test_packed_diagrams.py), for the
default site and the lean one (`--no-markdown-copies --no-api-files`: without the `.md`
copies, `llms-full.txt` and the per-object `api/` files); the CPU time to pack one diagram
(zlib level 9, raw DEFLATE, base64) against reading its packed text back from the cache;
with two sites, everything extrapolated linearly to `--to` tables. Not a pytest test.

    .venv/bin/python -m bench.packed_weight /tmp/keep/1000-new=1000 /tmp/keep/2000-new=2000 --to 10000
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

from bench.bench_site import page_kind
from schemadocs.render.packed_diagrams import pack, unpack

PACKED = re.compile(r'<div class="sd-packed" data-z="([A-Za-z0-9+/=]*)"><noscript>[^<]*</noscript></div>')
LEAN_DROPS = re.compile(r"(\.md$|(^|/)llms-full\.txt$|(^|/)api/(relations|routines|types)/)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.packed_weight", description=__doc__.split("\n\n")[0])
    parser.add_argument("sites", nargs="+", metavar="DIR=N", help="a site built with packed diagrams, its table count")
    parser.add_argument("--to", type=int, default=10000, help="extrapolate to this many tables (default 10000)")
    args = parser.parse_args(argv)
    measured: list[tuple[int, dict[str, list[int]]]] = []
    for spec in args.sites:
        folder, _, tables = spec.rpartition("=")
        kinds, svgs = weigh(Path(folder))
        measured.append((int(tables), kinds))
        print(f"== {folder}: {int(tables):,} tables, {len(svgs):,} packed diagrams ==")
        print(table(kinds))
        print(timing(svgs))
        print()
    if len(measured) >= 2:
        (n1, k1), (n2, k2) = measured[0], measured[-1]
        print(f"== extrapolated to {args.to:,} tables (linear through {n1:,} and {n2:,}) ==")
        at = {kind: [max(b + (b - a) / (n2 - n1) * (args.to - n2), 0.0)
                     for a, b in zip(k1.get(kind, [0] * 5), k2.get(kind, [0] * 5))] for kind in set(k1) | set(k2)}
        print(table(at))
    return 0


def weigh(site: Path) -> tuple[dict[str, list[int]], list[str]]:
    """Per kind: [files, inline bytes, packed bytes, lean inline bytes, lean packed bytes]; and every packed SVG."""
    kinds: dict[str, list[int]] = {}
    svgs: list[str] = []
    for f in sorted(site.rglob("*")):
        if not f.is_file():
            continue
        path = f.relative_to(site).as_posix()
        packed = f.stat().st_size
        inline = packed
        if path.endswith(".html"):
            text = f.read_text(encoding="utf-8")
            found = [unpack(m.group(1)) for m in PACKED.finditer(text)]
            if found:
                svgs += found
                inline = len(PACKED.sub(lambda m: unpack(m.group(1)), text).encode("utf-8"))
        lean = 0 if LEAN_DROPS.search(path) else 1
        row = kinds.setdefault(page_kind(path), [0, 0, 0, 0, 0])
        for i, value in enumerate((1, inline, packed, inline * lean, packed * lean)):
            row[i] += value
    return kinds, svgs


def table(kinds: dict[str, list[float]] | dict[str, list[int]]) -> str:
    lines = [f"{'kind':<20}{'files':>8}{'inline MB':>11}{'packed MB':>11}{'lean inline':>13}{'lean packed':>13}"]
    totals = [0.0] * 5
    for kind, row in sorted(kinds.items(), key=lambda kv: -kv[1][1]):
        totals = [t + v for t, v in zip(totals, row)]
        lines.append(f"{kind:<20}{row[0]:>8,.0f}" + "".join(f"{v / 1e6:>{w}.1f}" for v, w in zip(row[1:], (11, 11, 13, 13))))
    lines.append(f"{'site':<20}{totals[0]:>8,.0f}" + "".join(f"{v / 1e6:>{w}.1f}" for v, w in zip(totals[1:], (11, 11, 13, 13))))
    return "\n".join(lines)


def timing(svgs: list[str]) -> str:
    """CPU time per diagram: packing it (what a cold build with an empty cache does) against
    reading its packed text from a cache file (a build over a warm cache)."""
    if not svgs:
        return "no packed diagrams"
    started = time.process_time()
    packed = [pack(svg) for svg in svgs]
    packing = time.process_time() - started
    with tempfile.TemporaryDirectory() as tmp:
        files = [Path(tmp) / f"{i}.z" for i in range(len(packed))]
        for f, text in zip(files, packed):
            f.write_text(text, encoding="ascii")
        started = time.process_time()
        for f in files:
            f.read_text(encoding="ascii")
        reading = time.process_time() - started
    size = sum(len(s.encode()) for s in svgs) / len(svgs)
    return (f"a diagram: {size / 1e3:.1f} KB of SVG, packed {sum(map(len, packed)) / len(packed) / 1e3:.1f} KB; "
            f"CPU per diagram: pack {packing / len(svgs) * 1e3:.2f} ms, read from the cache "
            f"{reading / len(svgs) * 1e3:.3f} ms ({packing / max(reading, 1e-9):.0f}x)")


if __name__ == "__main__":
    sys.exit(main())
