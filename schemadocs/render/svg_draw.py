"""Drawing diagrams into the SVG cache: batches of DOT sources in, one finished SVG file per diagram out.

In: batches of (key, DOT source) pairs, the Graphviz program and the cache directory. Out:
`<key>.svg` in the cache for each, as `render.diagrams` shows it: `dot` draws a batch in one
process, then each drawing is made independent of its batch (`_alone`), cleaned (`_clean_svg`),
given its colour classes (`diagram_theme.themed`) and trimmed (`svg_trim.trim_svg`).

That post-processing is Python and holds the GIL, so with many batches they are shared
between worker processes, one per core (`python -m schemadocs.render.svg_draw`): each reads its
batches (JSON) on stdin, writes the cache files itself and prints a line per batch done, which
advances the build's progress. A worker imports only this module's few dependencies. A failure
in a worker is the same one-line `BuildError` as in the build's own process; on any error or
Ctrl-C every worker is stopped and waited for.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from schemadocs.atomic import write_atomic
from schemadocs.errors import BuildError
from schemadocs.render.diagram_theme import themed
from schemadocs.render.svg_trim import trim_svg

Batch = list[tuple[str, str]]  # (key, DOT source)
WORKERS_FROM = 4  # batches from which worker processes pay for their start (fewer: threads in this process)


def draw_batches(batches: Sequence[Batch], dot_exe: str, cache_dir: Path, advance: Callable[[int], object],
                 workers: int | None = None) -> None:
    """Every batch drawn into `cache_dir`; `advance(n)` after each batch of n diagrams.

    `workers` processes share the batches (default: one per core, when there are at least
    WORKERS_FROM batches); with 0 or 1 core, or few batches, threads of this process draw them."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    cores = workers if workers is not None else (os.cpu_count() or 1) if len(batches) >= WORKERS_FROM else 0
    if cores < 2 or len(batches) < 2:
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            list(pool.map(lambda batch: (draw(batch, dot_exe, cache_dir), advance(len(batch))), batches))
        return
    shares = [list(batches[i::cores]) for i in range(min(cores, len(batches)))]
    procs: list[subprocess.Popen[bytes]] = []
    errors = [tempfile.TemporaryFile() for _ in shares]  # a file: a pipe left unread could fill and block a worker
    try:
        for share, error in zip(shares, errors):
            procs.append(subprocess.Popen([sys.executable, "-m", "schemadocs.render.svg_draw", dot_exe, str(cache_dir)],
                                          stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=error))
        readers = [threading.Thread(target=_follow, args=(proc, procs, advance), daemon=True) for proc in procs]
        for proc, share, reader in zip(procs, shares, readers):
            reader.start()
            assert proc.stdin is not None
            try:
                proc.stdin.write(json.dumps(share).encode("utf-8"))
                proc.stdin.close()
            except BrokenPipeError:  # it has ended already: its exit status says why
                pass
        for reader in readers:
            reader.join()
        reports = []
        for proc, error in zip(procs, errors):
            if proc.wait() != 0:
                error.seek(0)
                reports.append(error.read().decode(errors="replace"))
        if reports:  # the error a worker reported, rather than the others' being stopped
            raise BuildError(_worker_error(sorted(reports, key=lambda r: not r.startswith(_ERROR))[0]))
    finally:
        for proc in procs:  # an error or Ctrl-C: none is left behind
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            for stream in (proc.stdin, proc.stdout):
                if stream is not None:
                    stream.close()
        for error in errors:
            error.close()


def _follow(proc: subprocess.Popen[bytes], procs: list[subprocess.Popen[bytes]], advance: Callable[[int], object]) -> None:
    """Advance the progress by each count the worker prints, until it ends; if it failed, stop the others."""
    assert proc.stdout is not None
    for line in proc.stdout:
        advance(int(line))
    if proc.wait() != 0:
        for other in procs:
            if other.poll() is None:
                other.kill()


def _worker_error(stderr: str) -> str:
    """The message of the error a worker reports (its BuildError's own), or one saying it failed."""
    if stderr.startswith(_ERROR):
        return str(json.loads(stderr[len(_ERROR):].splitlines()[0]))
    last = stderr.strip().splitlines()[-1] if stderr.strip() else "it was stopped"
    return f"a diagram worker failed ({last}); run the build again, or set SCHEMADOCS_DOT to another Graphviz program"


_ERROR = "schemadocs-error: "  # how a worker reports a BuildError on stderr: then its message as JSON


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


def _worker(dot_exe: str, cache_dir: Path) -> int:
    """A worker process: draw the batches read on stdin, print each one's size when it is done."""
    try:
        for batch in json.load(sys.stdin):
            draw([(key, source) for key, source in batch], dot_exe, cache_dir)
            print(len(batch), flush=True)
    except BuildError as exc:
        print(_ERROR + json.dumps(str(exc)), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(_worker(sys.argv[1], Path(sys.argv[2])))
