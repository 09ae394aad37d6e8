"""Where a built site's bytes go: per kind of file, and per part of a relation page.

In: one or more built sites (`bench.bench_site --keep DIR` leaves them), each with the number
of tables its schema had (`SITE=N`). Out: on stdout, for each site, the bytes and file count
per kind of file (`bench.bench_site.page_kind`) and, averaged over its relation pages, the
bytes of each part of the page (the head, the theme's header, the navigation, the table of
contents, the inline SVG, the HTML tables, the scripts, the footer, the rest of the content);
with two sites of different sizes, each kind extrapolated linearly to `--to` tables (the
fixed part and the per-table part solved from the two). Not a pytest test.

    .venv/bin/python -m bench.site_weight /tmp/keep/1000-new=1000 /tmp/keep/2000-new=2000 --to 10000
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from bench.bench_site import page_kind

# (part, opening pattern, closing tag): the outermost element of each part of a Material page
PARTS: tuple[tuple[str, str, str], ...] = (
    ("head", "<head>", "</head>"),
    ("theme header", '<header class="md-header', "</header>"),
    ("navigation", '<nav class="md-nav md-nav--primary"', "</nav>"),
    ("table of contents", '<nav class="md-nav md-nav--secondary"', "</nav>"),
    ("inline SVG", "<svg", "</svg>"),
    ("packed diagrams", '<div class="sd-packed"', "</div>"),  # render.packed_diagrams
    ("HTML tables", "<table", "</table>"),
    ("scripts", "<script", "</script>"),
    ("footer", '<footer class="md-footer', "</footer>"),
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.site_weight", description=__doc__.split("\n\n")[0])
    parser.add_argument("sites", nargs="+", metavar="DIR=N", help="a built site and its table count")
    parser.add_argument("--to", type=int, default=10000, help="extrapolate to this many tables (default 10000)")
    args = parser.parse_args(argv)
    measured = []
    for spec in args.sites:
        folder, _, tables = spec.rpartition("=")
        kinds = kind_bytes(Path(folder))
        measured.append((int(tables), kinds))
        print(f"== {folder}: {int(tables):,} tables, {sum(b for b, _ in kinds.values()) / 1e6:.1f} MB ==")
        print(f"{'kind':<22}{'files':>8}{'MB':>9}{'KB/file':>9}")
        for kind, (size, count) in sorted(kinds.items(), key=lambda kv: -kv[1][0]):
            print(f"{kind:<22}{count:>8,}{size / 1e6:>9.2f}{size / count / 1e3:>9.1f}")
        parts, pages = relation_parts(Path(folder))
        print(f"-- a relation page, averaged over {pages:,} --")
        for part, size in parts.items():
            print(f"{part:<22}{size / 1e3:>9.1f} KB")
        print()
    if len(measured) >= 2:
        print(extrapolate(measured[0], measured[-1], args.to))
    return 0


def kind_bytes(site: Path) -> dict[str, tuple[int, int]]:
    """Bytes and file count per kind of file."""
    kinds: dict[str, tuple[int, int]] = {}
    for f in site.rglob("*"):
        if f.is_file():
            kind = page_kind(f.relative_to(site).as_posix())
            size, count = kinds.get(kind, (0, 0))
            kinds[kind] = (size + f.stat().st_size, count + 1)
    return kinds


def relation_parts(site: Path) -> tuple[dict[str, float], int]:
    """Average bytes per part of a relation page (PARTS, in UTF-8 bytes), and how many pages."""
    totals: dict[str, int] = {part: 0 for part, _, _ in PARTS}
    totals["rest of the content"] = 0
    totals["whole page"] = 0
    pages = [f for f in site.rglob("*.html") if page_kind(f.relative_to(site).as_posix()) == "relation page"]
    for f in pages:
        html = f.read_text(encoding="utf-8")
        sizes = page_parts(html)
        for part, size in sizes.items():
            totals[part] += size
        totals["whole page"] += len(html.encode())
        totals["rest of the content"] += len(html.encode()) - sum(sizes.values())
    return {part: size / max(len(pages), 1) for part, size in totals.items()}, len(pages)


def page_parts(html: str) -> dict[str, int]:
    """Bytes of each part: every outermost occurrence of its element, measured once (an SVG
    inside a table counts as SVG, a script in the head as head)."""
    taken: list[tuple[int, int]] = []
    sizes: dict[str, int] = {}
    for part, opening, closing in PARTS:
        sizes[part] = 0
        for match in re.finditer(re.escape(opening), html):
            start = match.start()
            if any(a <= start < b for a, b in taken):
                continue
            end = _close(html, start, opening.split()[0].lstrip("<"), closing)
            taken.append((start, end))
            sizes[part] += len(html[start:end].encode())
    return sizes


def _close(html: str, start: int, tag: str, closing: str) -> int:
    """The end of the element opened at `start`, nested elements of the same tag counted."""
    depth, at = 0, start
    opener = re.compile(rf"<{tag}[\s>]|{re.escape(closing)}")
    for match in opener.finditer(html, start):
        depth += -1 if match.group(0) == closing else 1
        at = match.end()
        if depth == 0:
            return at
    return len(html)


def extrapolate(small: tuple[int, dict[str, tuple[int, int]]], large: tuple[int, dict[str, tuple[int, int]]],
                to: int) -> str:
    """Each kind's bytes at `to` tables: a + b * tables through the two measured sites."""
    (n1, k1), (n2, k2) = small, large
    lines = [f"== extrapolated to {to:,} tables (linear through {n1:,} and {n2:,}) ==",
             f"{'kind':<22}{'MB':>9}"]
    total = 0.0
    for kind in sorted(set(k1) | set(k2), key=lambda k: -k2.get(k, (0, 0))[0]):
        b1, b2 = k1.get(kind, (0, 0))[0], k2.get(kind, (0, 0))[0]
        slope = (b2 - b1) / (n2 - n1)
        size = max(b2 + slope * (to - n2), 0.0)
        total += size
        lines.append(f"{kind:<22}{size / 1e6:>9.1f}")
    lines.append(f"{'site':<22}{total / 1e6:>9.1f}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
