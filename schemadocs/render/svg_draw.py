"""Drawing diagrams into the SVG cache: batches of DOT sources in, one finished SVG file per diagram out.

In: batches of (key, DOT source) pairs, the Graphviz program and the cache directory. Out:
`<key>.svg` in the cache for each, as `render.diagrams` shows it: `dot` draws a batch in one
process, then each drawing is made independent of its batch (`_alone`), cleaned (`_clean_svg`),
given its colour classes (`diagram_theme.themed`) and trimmed (`svg_trim.trim_svg`).

Batches are drawn by threads: the `dot` processes run on every core, the post-processing
(Python) on one. Worker processes for the post-processing were tried and measured (README,
"Seventh round: diagrams"): at 1,000 tables they did not pay, so they are not used.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from schemadocs.atomic import write_atomic
from schemadocs.errors import BuildError
from schemadocs.render.diagram_theme import themed
from schemadocs.render.svg_trim import trim_svg

Batch = list[tuple[str, str]]  # (key, DOT source)


def draw_batches(batches: Sequence[Batch], dot_exe: str, cache_dir: Path, advance: Callable[[int], object]) -> None:
    """Every batch drawn into `cache_dir` by threads of this process (`dot` runs on every core;
    the post-processing holds the GIL); `advance(n)` after each batch of n diagrams."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        list(pool.map(lambda batch: (draw(batch, dot_exe, cache_dir), advance(len(batch))), batches))


def draw(batch: Batch, dot_exe: str, cache_dir: Path) -> None:
    """Draw (key, DOT source) pairs into the cache with one `dot` process (a graph after another).

    When a batch fails, each of its diagrams is drawn alone, so the error names the one at fault.
    """
    try:
        done = subprocess.run([dot_exe, "-Tsvg"], input="\n".join(src for _, src in batch).encode("utf-8"),
                              capture_output=True, timeout=120, check=True)
        svgs = re.findall(r"<\?xml.*?</svg>", done.stdout.decode("utf-8"), flags=re.S)
        if len(svgs) != len(batch):
            raise subprocess.CalledProcessError(0, dot_exe, stderr=f"{len(svgs)} drawings for {len(batch)} graphs".encode())
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
        if len(batch) > 1:
            for one in batch:
                draw([one], dot_exe, cache_dir)
            return
        detail = getattr(exc, "stderr", b"") or b""
        raise BuildError(f"Graphviz failed to draw a diagram ({detail.decode(errors='replace').strip() or exc}); "
                         f"check {dot_exe}, or set SCHEMADOCS_DOT to another Graphviz program") from None
    for (key, _), svg in zip(batch, svgs):
        cached = cache_dir / f"{key}.svg"
        write_atomic(cached, trim_svg(themed(_clean_svg(_alone(svg)))))


def _alone(svg: str) -> str:
    """The drawing as `dot` makes it of that graph alone. In a batch, a later graph's id is
    "page0,N_graph0", and the numbers of its HTML-label anchors ("a_node1_0") go on from the
    graphs before it: they are counted from 0 again, so a drawing never depends on its batch."""
    svg = re.sub(r'<g id="page\d+,\d+_graph0" class="graph"', '<g id="graph0" class="graph"', svg, count=1)
    numbers = [int(n) for n in re.findall(r'id="a_[^"]*?_(\d+)"', svg)]
    if not numbers or min(numbers) == 0:
        return svg
    offset = min(numbers)
    return re.sub(r'(id="a_[^"]*?_)(\d+)"', lambda m: f'{m.group(1)}{int(m.group(2)) - offset}"', svg)


def _clean_svg(svg: str) -> str:
    """Inline-ready SVG: no XML prolog, doctype or comments; scales down to the page width."""
    svg = re.sub(r"<\?xml.*?\?>|<!DOCTYPE.*?>|<!--.*?-->", "", svg, flags=re.S)
    svg = re.sub(r'<svg width="[^"]*" height="[^"]*"', '<svg class="sd-er" style="max-width:100%;height:auto"', svg, count=1)
    return "\n".join(line for line in svg.splitlines() if line.strip())
