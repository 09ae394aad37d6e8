"""Benchmark: is linting a small part of the work next to taking the snapshot?

    .venv/bin/python -m bench.bench_lint --tables 1000 10000 --runs 3 [--dsn DSN]

For each size: load the synthetic schema into an embedded PostgreSQL (or use --dsn, a
database already holding it), ANALYZE, then, median of --runs runs side by side in the same
run: the snapshot (`introspect` + `dump_bytes`, what `schemadocs snapshot` does), loading
that snapshot back (`snapshot.loads`), and `lint` on the loaded catalog with every rule.
Target (issue 11): lint under 10 % of the snapshot's own time at 10,000 tables. Loading the
snapshot is shown apart: every offline command (build, diff, lint) pays it alike.

    .venv/bin/python -m bench.bench_lint --tables 1000 10000 --runs 3 --baseline ../main

With --baseline CHECKOUT, another checkout's lint (e.g. main's) is timed on the same snapshots in
the same run, so a change is judged against it under the same load.

Last measured on an idle machine (2 cores, load average below 1.2; median of 3; every rule),
with `--baseline` a checkout of the code before the slotted model (3a501a7):

    tables  relations  findings  snapshot  load      lint     lint / snapshot  baseline lint
    10,000     13,035    26,720  13.813 s  13.185 s  1.137 s   8.2 %           1.466 s (10.6 %)
    10,000     13,035    26,720  12.775 s  13.245 s  1.044 s   8.2 %           1.212 s (9.5 %)   (a second run)

Target met at 10,000 tables. The slotted model objects make the snapshot's dump_bytes some
0.6 s slower (orjson reads slots field by field); without that the share would be 8.6 %.
Most of lint is reading the objects (~13,000 relations, 200,000 columns, 33,000 indexes,
29,000 constraints) and making the 26,720 findings (12,218 column-coverage, 9,137 unindexed
foreign keys on the synthetic schema). Splitting the rules over two forked processes was
measured earlier and was slower (1.37 s against 1.16 s).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import psycopg

from bench.synthetic import synthetic_sql
from schemadocs import snapshot
from schemadocs.checks.engine import lint
from schemadocs.embedded import create_database, embedded
from schemadocs.introspect.introspect import introspect

TARGET = 0.10


def bench(dsn: str, runs: int, baseline: Path | None = None) -> dict[str, float]:
    times: dict[str, list[float]] = {"snapshot": [], "load": [], "lint": []}
    if baseline is not None:
        times["baseline lint"] = []
    findings = Counter[str]()
    for _ in range(runs):
        t0 = time.perf_counter()
        data = snapshot.dump_bytes(introspect(dsn))
        t1 = time.perf_counter()
        catalog = snapshot.loads(data)
        t2 = time.perf_counter()
        report = lint(catalog)
        t3 = time.perf_counter()
        times["snapshot"].append(t1 - t0)
        times["load"].append(t2 - t1)
        times["lint"].append(t3 - t2)
        findings = Counter(f.rule for f in report.findings)
        if baseline is not None:
            times["baseline lint"].append(_baseline_lint(baseline, data, len(report.findings)))
    medians = {k: statistics.median(v) for k, v in times.items()}
    print(f"  relations {len(catalog.relations):,}, findings {sum(findings.values()):,} from {len(findings)} rules",
          flush=True)
    for key, value in medians.items():
        print(f"  {key:<9} {value:7.3f} s  ({value / medians['snapshot']:.1%} of the snapshot)", flush=True)
    verdict = "MET" if medians["lint"] <= TARGET * medians["snapshot"] else "NOT MET"
    print(f"  lint / snapshot = {medians['lint'] / medians['snapshot']:.1%}; target <= {TARGET:.0%}: {verdict}")
    if baseline is not None:
        print(f"  lint / baseline lint = {medians['lint'] / medians['baseline lint']:.1%}")
    return medians


def _baseline_lint(checkout: Path, data: bytes, expected: int) -> float:
    """Seconds `lint` takes in another checkout of schemadocs (its own `snapshot.loads` and rules),
    on the same snapshot, in a fresh interpreter that imports that checkout's package first (after
    one untimed run, so its imports and caches are as warm as this process's)."""
    with tempfile.NamedTemporaryFile(suffix=".json") as f:
        f.write(data)
        f.flush()
        out = subprocess.run([sys.executable, "-c", _BASELINE, str(checkout.resolve()), f.name],
                             check=True, capture_output=True, text=True).stdout.split()
    seconds, found = float(out[0]), int(out[1])
    if found != expected:
        raise SystemExit(f"error: the baseline found {found} findings, this checkout {expected}: not the same rules")
    return seconds


# Run in the baseline's interpreter: that checkout's package first, not an editable install's finder.
_BASELINE = """
import sys, time
sys.meta_path[:] = [f for f in sys.meta_path if "editable" not in repr(f)]
sys.path.insert(0, sys.argv[1])
from schemadocs import snapshot
from schemadocs.checks.engine import lint
data = open(sys.argv[2], "rb").read()
lint(snapshot.loads(data))  # a first run, untimed: imports and caches warm, as in the runs after the first here
catalog = snapshot.loads(data)
t = time.perf_counter()
report = lint(catalog)
print(time.perf_counter() - t, len(report.findings))
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_lint", description=__doc__.split("\n")[0])
    parser.add_argument("--tables", type=int, nargs="+", default=[1000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--dsn", help="a database already holding the synthetic schema (one size)")
    parser.add_argument("--baseline", type=Path, metavar="CHECKOUT",
                        help="another checkout of the repository (e.g. a `git worktree` of main): its lint is "
                             "timed on the same snapshots, in the same run")
    args = parser.parse_args(argv)
    if args.baseline is not None and not (args.baseline / "schemadocs" / "checks" / "engine.py").is_file():
        parser.error(f"--baseline {args.baseline}: not a checkout of schemadocs (no schemadocs/checks/engine.py)")
    if args.dsn:
        print(f"== {args.dsn.split()[1] if ' ' in args.dsn else 'given database'} ==")
        bench(args.dsn, args.runs, args.baseline)
        return 0
    for n in args.tables:
        with embedded() as server:
            dsn = create_database(server, f"lint_{n}", synthetic_sql(n))
            with psycopg.connect(dsn, autocommit=True) as conn:
                conn.execute("ANALYZE")
            print(f"== {n} tables ==", flush=True)
            bench(dsn, args.runs, args.baseline)
    return 0


if __name__ == "__main__":
    sys.exit(main())
