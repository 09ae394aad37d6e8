"""Benchmark: the cold build's diagrams stage alone, this checkout beside a baseline, byte for byte.

In: a table count (`--tables 1000`) and optionally `--baseline DIR` (another checkout with its
own .venv). Out: on stdout, per side, the wall and CPU seconds (the drawing process's own CPU and
its `dot` children's) of `render_diagrams` drawing every diagram of the synthetic schema's site
into an empty cache, the peak memory of the process tree, and whether both caches hold the same
files with the same bytes. `--save-dots FILE` keeps the DOT sources (JSON) for later runs
(`--dots FILE` reads them instead of building a database). Not a pytest test.

    .venv/bin/python -m bench.bench_diagrams --tables 1000 --baseline /work/wt/base-r5
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def collect_dots(n: int, seed: int) -> list[str]:
    """The DOT source of every diagram a cold build of the N-table synthetic schema draws."""
    from bench.bench_site import load_synthetic, new_project
    from schemadocs import build as build_module
    from schemadocs.embedded import embedded
    from schemadocs.introspect.introspect import introspect
    from schemadocs.render import render_site

    dots: list[str] = []

    class Collected(Exception):
        pass

    def capture(diagrams: Any, cache_dir: Path) -> Any:
        dots.extend(d.dot for d in diagrams if d.dot)
        raise Collected

    render_site.render_diagrams = capture  # type: ignore[assignment]
    with embedded() as server, tempfile.TemporaryDirectory(prefix="bench-diagrams-") as tmp:
        dsn = load_synthetic(server, f"diagrams_{n}", n, seed)
        project = new_project(Path(tmp))
        try:
            build_module.build(introspect(dsn), project / "site", project / "mkdocs.yml")
        except Collected:
            pass
    return dots


def draw_child(dots_file: Path, cache_dir: Path) -> dict[str, float]:
    """In a child process (any checkout's Python): draw every diagram into `cache_dir`, timed."""
    from schemadocs.render.diagrams import Diagram, render_diagrams

    diagrams = [Diagram(dot=dot, mermaid="") for dot in json.loads(dots_file.read_text(encoding="utf-8"))]
    wall, cpu = time.perf_counter(), _cpu()
    render_diagrams(diagrams, cache_dir)
    return {"wall": time.perf_counter() - wall, "cpu": _cpu() - cpu}


def _cpu() -> float:
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def run_side(code: Path, dots_file: Path, cache_dir: Path) -> dict[str, float]:
    """One drawing run in a fresh process of `code`'s .venv; its figures and the tree's peak memory."""
    from bench.memory_sampler import sample_tree

    child = subprocess.Popen([str(code / ".venv" / "bin" / "python"), str(Path(__file__).resolve()), "--child",
                              str(dots_file), str(cache_dir)], stdout=subprocess.PIPE, text=True, cwd=code)
    stop, sampler, peaks = sample_tree(child.pid)
    stdout, _ = child.communicate()
    stop.set()
    sampler.join()
    if child.returncode != 0:
        raise SystemExit(f"error: the drawing run of {code} failed")
    return {**json.loads(stdout), "peak_mib": peaks.sum_rss / (1 << 20)}


def same_files(a: Path, b: Path) -> tuple[int, list[str]]:
    """How many files `a` holds, and the names that differ between `a` and `b` (missing or other bytes)."""
    names = sorted({p.name for p in a.iterdir()} | {p.name for p in b.iterdir()})
    differ = [n for n in names if not (a / n).exists() or not (b / n).exists()
              or (a / n).read_bytes() != (b / n).read_bytes()]
    return len(names), differ


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        print(json.dumps(draw_child(Path(sys.argv[2]), Path(sys.argv[3]))))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--dots", type=Path, help="read the DOT sources from this JSON file")
    parser.add_argument("--save-dots", type=Path, help="keep the DOT sources in this JSON file")
    parser.add_argument("--baseline", type=Path, metavar="DIR")
    parser.add_argument("--repeat", type=int, default=1, help="runs per side, alternating (default 1)")
    parsed = parser.parse_args()
    dots = json.loads(parsed.dots.read_text(encoding="utf-8")) if parsed.dots else collect_dots(parsed.tables, parsed.seed)
    with tempfile.TemporaryDirectory(prefix="bench-diagrams-") as tmp:
        dots_file = Path(tmp) / "dots.json"
        dots_file.write_text(json.dumps(dots), encoding="utf-8")
        if parsed.save_dots:
            parsed.save_dots.write_text(json.dumps(dots), encoding="utf-8")
        sides = [("new", ROOT), *([("baseline", parsed.baseline.resolve())] if parsed.baseline else [])]
        print(f"{len(dots)} diagrams")
        for run in range(parsed.repeat):
            for name, code in sides:
                cache = Path(tmp) / f"{name}-{run}"
                figures = run_side(code, dots_file, cache)
                print(f"{name:9} wall {figures['wall']:6.2f} s  cpu {figures['cpu']:6.2f} s  peak {figures['peak_mib']:6.0f} MiB")
            if parsed.baseline:
                count, differ = same_files(Path(tmp) / f"new-{run}", Path(tmp) / f"baseline-{run}")
                print(f"cache files: {count}, differing: {len(differ)}{' e.g. ' + differ[0] if differ else ''}")


if __name__ == "__main__":
    main()
