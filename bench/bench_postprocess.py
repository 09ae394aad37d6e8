"""Benchmark: a cold build of one snapshot by a baseline checkout and by this one, alternating.

In: a snapshot file (`schemadocs snapshot`, e.g. a kept `bench.bench_site` site's
`catalog.json.gz`), a baseline source tree (`--baseline DIR`: a checkout whose `schemadocs/`
is imported instead of this one's, with this venv), `--pairs N`. Out: per build the CPU time
of the MkDocs stage (`build.run_mkdocs`, MkDocs in this process: SCHEMADOCS_JOBS=1) and of the
whole build (the child's user+system time), the ms per page, the CPU of our own parts per page
(`inline_diagrams` and `frame`'s `on_post_page`, `fragments.lift_tables` with its fragment
writes, timed around those functions in both trees), the median of each side and their
ratio; and whether the two sites are byte-identical (every file but the build record, which
holds the project folder). Not a pytest test.

    .venv/bin/python -m bench.bench_postprocess --snapshot catalog.json.gz --baseline DIR [--pairs 3]
"""

from __future__ import annotations

import argparse
import ast
import filecmp
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

RUNNER = """
import sys, time
from schemadocs import build
run, spent = build.run_mkdocs, []
def timed(*args, **kwargs):
    start = time.process_time()
    try:
        return run(*args, **kwargs)
    finally:
        spent.append(time.process_time() - start)
        open(out, "w").write(repr(sum(spent)))  # here: the command may leave with os._exit
build.run_mkdocs = timed
from schemadocs import frame, inline_diagrams
from schemadocs.render import page_cache
parts = {}
def part(owner, name, label):
    original = getattr(owner, name)
    def wrapped(*args, **kwargs):
        start = time.process_time()
        try:
            return original(*args, **kwargs)
        finally:
            parts[label] = parts.get(label, 0.0) + time.process_time() - start
            open(out + ".parts", "w").write(repr(parts))
    setattr(owner, name, wrapped)
part(inline_diagrams.InlineDiagrams, "on_post_page", "inline_diagrams")
part(frame.SharedFrame, "on_post_page", "frame")
part(page_cache, "lift_tables", "lift_tables")
from schemadocs.cli import main
out, sys.argv = sys.argv[1], ["schemadocs", *sys.argv[2:]]
main()
"""
RECORD = ".schemadocs-build.json"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--snapshot", type=Path, required=True)
    parser.add_argument("--baseline", type=Path, required=True, help="a source tree holding the baseline's schemadocs/")
    parser.add_argument("--pairs", type=int, default=3)
    args = parser.parse_args(argv)
    here = Path(__file__).resolve().parent.parent
    rows: dict[str, list[tuple[float, float, int]]] = {"baseline": [], "new": []}
    parts: dict[str, list[dict[str, float]]] = {"baseline": [], "new": []}
    with tempfile.TemporaryDirectory(prefix="bench-postprocess-") as tmp:
        for pair in range(args.pairs):
            for side, tree in (("baseline", args.baseline), ("new", here)):
                rows[side].append(_build(args.snapshot.resolve(), Path(tree).resolve(), Path(tmp) / side / str(pair)))
                mk, total, pages = rows[side][-1]
                parts[side].append(ast.literal_eval((Path(tmp) / side / str(pair) / "mkdocs-cpu.parts").read_text()))
                each = ", ".join(f"{k} {1000 * v / pages:.2f}" for k, v in sorted(parts[side][-1].items()))
                print(f"pair {pair + 1} {side:8s} mkdocs {mk:6.2f} s CPU ({1000 * mk / pages:5.2f} ms a page), "
                      f"build {total:6.2f} s CPU, {pages} pages; ms a page: {each}", file=sys.stderr, flush=True)
        same = _same(Path(tmp) / "baseline" / "0" / "site", Path(tmp) / "new" / "0" / "site")
    result = {"pairs": args.pairs, "byte_identical": same}
    for side, samples in rows.items():
        pages = samples[0][2]
        result[side] = {"mkdocs_cpu_s": [round(s[0], 2) for s in samples], "build_cpu_s": [round(s[1], 2) for s in samples],
                        "pages": pages, "mkdocs_ms_per_page": round(1000 * statistics.median(s[0] for s in samples) / pages, 2),
                        "parts_ms_per_page": {k: round(1000 * statistics.median(p[k] for p in parts[side]) / pages, 3)
                                              for k in sorted(parts[side][0])}}
    result["mkdocs_ratio"] = round(statistics.median(s[0] for s in rows["new"]) / statistics.median(s[0] for s in rows["baseline"]), 3)
    result["build_ratio"] = round(statistics.median(s[1] for s in rows["new"]) / statistics.median(s[1] for s in rows["baseline"]), 3)
    print(json.dumps(result, indent=2))
    return 0 if same else 1


def _build(snapshot: Path, tree: Path, work: Path) -> tuple[float, float, int]:
    """One cold build of `snapshot` with `tree`'s schemadocs in `work`: (MkDocs CPU, build CPU, pages)."""
    work.mkdir(parents=True)
    env = {**os.environ, "PYTHONPATH": str(tree), "SCHEMADOCS_JOBS": "1"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([sys.executable, "-c", RUNNER, str(work / "mkdocs-cpu"), "build", "--quiet", "--snapshot", str(snapshot),
                    "--out", str(work / "site"), "--timings", str(work / "timings.json")], cwd=work, env=env, check=True, stdout=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    stages = json.loads((work / "timings.json").read_text())["stages"]
    pages = next(stage["done"] for stage in stages if stage["name"] == "mkdocs")  # the pages MkDocs built
    return (float((work / "mkdocs-cpu").read_text()), after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime, pages)


def _same(a: Path, b: Path) -> bool:
    """Whether every file of `a` and `b` but the build record has the same bytes."""
    def walk(left: Path, right: Path) -> bool:
        cmp = filecmp.dircmp(left, right)
        if cmp.left_only or cmp.right_only or cmp.funny_files:
            return False
        _, mismatch, errors = filecmp.cmpfiles(left, right, [f for f in cmp.common_files if f != RECORD], shallow=False)
        return not mismatch and not errors and all(walk(left / d, right / d) for d in cmp.common_dirs)
    return walk(a, b)


if __name__ == "__main__":
    sys.exit(main())
