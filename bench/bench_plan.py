"""Benchmark: how many bytes a second does PostgreSQL rewrite, and scan, for a migration?

    .venv/bin/python -m bench.bench_plan --sizes 20 100 300 --runs 3 [--dsn DSN]

In: table sizes in MB (of the heap) and a run count. Out: a table per size on stdout
(progress on stderr) and the constants for `schemadocs/plan/throughput.py`, which the
plan's duration estimates divide sizes by. Not a pytest test.

For each size: a source table `(id integer, a integer, b text, c timestamptz)` filled to
the size, VACUUM (FREEZE, ANALYZE)d (no hint bits left for the first scan to write). Then
`--runs` rounds, in each of which every operation runs once, side by side, so server and
machine drift hit them all alike:

  copy      baseline: `CREATE TABLE r AS SELECT * FROM src`; bytes = the source's heap.
  rewrite   on that copy, given a primary key on id and one more index (untimed) and frozen:
            `ALTER TABLE r ALTER COLUMN id TYPE bigint` (heap rewritten, both indexes
            rebuilt); bytes = pg_total_relation_size(r) before.
  count     baseline: `SELECT count(*) FROM src`, parallel workers off (VALIDATE is one
            backend too); bytes = pg_relation_size(src).
  validate  `ALTER TABLE src VALIDATE CONSTRAINT` of a `CHECK (a >= 0)` added NOT VALID
            just before (untimed); bytes = pg_relation_size(src).

Throughput is bytes / median seconds; the ratios (rewrite/copy, validate/count) are what
carries over to another machine, the absolute figures are this machine's. The tables are
in the server's cache after loading, so the scans read memory, not disk: a production
table bigger than its server's RAM scans at the disk's speed instead. The constants
printed are the slowest size's median, rounded down to two significant figures.

Last measured (2026-12-01, 2 shared vCPUs, other sessions' work running (load ~2.3); embedded
PostgreSQL 16.2 (pgserver), default settings (shared_buffers 128 MB); median of 3; MB = 10^6
bytes; heap = pg_relation_size, total = pg_total_relation_size of the rewritten copy):

    heap MB  total MB   copy MB/s  rewrite MB/s  rw/copy   count MB/s  validate MB/s  val/count
         20        27          81            46     0.57         1011            638       0.63
         99       134         137            48     0.35         1492           1587       1.06
        297       402          95            52     0.55          885            847       0.96

Constants: REWRITE_BYTES_PER_SECOND = 45_000_000 (rewrite about half a plain copy's speed:
the heap is written, WAL-logged, and both indexes are built again), SCAN_BYTES_PER_SECOND =
630_000_000 (validating about as fast as count(*): one expression per row). The smallest
size's scan is the slowest because a fixed ~20 ms per statement weighs most there.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

import psycopg

from schemadocs.embedded import create_database, embedded

MB = 1_000_000
SOURCE = "bench_plan_src"
COPY = "bench_plan_copy"
COLUMNS = "id integer NOT NULL, a integer NOT NULL, b text NOT NULL, c timestamptz NOT NULL"
ROWS = "SELECT g, g % 1000, md5(g::text), timestamptz '2026-01-01' + g * interval '1 second' FROM generate_series({lo}, {hi}) g"


@dataclass(frozen=True)
class Result:
    """One size's medians, in bytes per second, and the bytes each operation moved."""

    heap_bytes: int
    total_bytes: int
    copy: float
    rewrite: float
    count: float
    validate: float


def bench(dsn: str, heap_mb: int, runs: int) -> Result:
    """Fill the source table to `heap_mb`, then time the four operations `runs` times each."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("SET max_parallel_workers_per_gather = 0")
        heap = fill(conn, heap_mb * MB)
        seconds: dict[str, list[float]] = {"copy": [], "rewrite": [], "count": [], "validate": []}
        total = 0
        for run in range(runs):
            conn.execute(f"DROP TABLE IF EXISTS {COPY}")
            seconds["copy"].append(timed(conn, f"CREATE TABLE {COPY} AS SELECT * FROM {SOURCE}"))
            conn.execute(f"ALTER TABLE {COPY} ADD PRIMARY KEY (id)")
            conn.execute(f"CREATE INDEX ON {COPY} (a)")
            conn.execute(f"VACUUM (FREEZE, ANALYZE) {COPY}")
            conn.execute("CHECKPOINT")  # no checkpoint of the setup's writes lands inside the timing
            total = size(conn, f"pg_total_relation_size('{COPY}')")
            seconds["rewrite"].append(timed(conn, f"ALTER TABLE {COPY} ALTER COLUMN id TYPE bigint"))
            conn.execute(f"DROP TABLE {COPY}")
            seconds["count"].append(timed(conn, f"SELECT count(*) FROM {SOURCE}"))
            conn.execute(f"ALTER TABLE {SOURCE} ADD CONSTRAINT bench_plan_check CHECK (a >= 0) NOT VALID")
            seconds["validate"].append(timed(conn, f"ALTER TABLE {SOURCE} VALIDATE CONSTRAINT bench_plan_check"))
            conn.execute(f"ALTER TABLE {SOURCE} DROP CONSTRAINT bench_plan_check")
            print(f"  run {run + 1}: " + ", ".join(f"{k} {v[-1]:.2f} s" for k, v in seconds.items()),
                  file=sys.stderr, flush=True)
        conn.execute(f"DROP TABLE {SOURCE}")
    medians = {k: statistics.median(v) for k, v in seconds.items()}
    return Result(heap_bytes=heap, total_bytes=total, copy=heap / medians["copy"], rewrite=total / medians["rewrite"],
                  count=heap / medians["count"], validate=heap / medians["validate"])


def fill(conn: psycopg.Connection, target: int) -> int:
    """Create and fill the source table until its heap holds about `target` bytes; its size."""
    conn.execute(f"DROP TABLE IF EXISTS {SOURCE}")
    conn.execute(f"CREATE TABLE {SOURCE} ({COLUMNS})")
    conn.execute(f"INSERT INTO {SOURCE} {ROWS.format(lo=1, hi=10_000)}")
    per_row = size(conn, f"pg_relation_size('{SOURCE}')") / 10_000
    rows = max(10_000, int(target / per_row))
    if rows > 10_000:
        conn.execute(f"INSERT INTO {SOURCE} {ROWS.format(lo=10_001, hi=rows)}")
    conn.execute(f"VACUUM (FREEZE, ANALYZE) {SOURCE}")
    conn.execute("CHECKPOINT")
    return size(conn, f"pg_relation_size('{SOURCE}')")


def timed(conn: psycopg.Connection, sql: str) -> float:
    started = time.perf_counter()
    cursor = conn.execute(sql)
    if cursor.description is not None:
        cursor.fetchall()
    return time.perf_counter() - started


def size(conn: psycopg.Connection, expression: str) -> int:
    row = conn.execute(f"SELECT {expression}").fetchone()
    assert row is not None
    return int(row[0])


def constant(rates: list[float]) -> float:
    """The slowest rate, rounded down to two significant figures: estimates err long."""
    slowest = min(rates)
    unit = 10 ** (math.floor(math.log10(slowest)) - 1)
    return math.floor(slowest / unit) * unit


def report(results: list[Result], server: str) -> str:
    """The table of the docstring, and the constants to use."""
    lines = [f"server: {server}",
             "    heap MB  total MB   copy MB/s  rewrite MB/s  rw/copy   count MB/s  validate MB/s  val/count"]
    for r in results:
        lines.append(f"    {r.heap_bytes / MB:7.0f}  {r.total_bytes / MB:8.0f}  {r.copy / MB:10.0f}  {r.rewrite / MB:12.0f}"
                     f"  {r.rewrite / r.copy:7.2f}  {r.count / MB:11.0f}  {r.validate / MB:13.0f}"
                     f"  {r.validate / r.count:9.2f}")
    rewrite, scan = constant([r.rewrite for r in results]), constant([r.validate for r in results])
    lines += ["", "schemadocs/plan/throughput.py:",
              f"REWRITE_BYTES_PER_SECOND = {rewrite:_.1f}",
              f"SCAN_BYTES_PER_SECOND = {scan:_.1f}"]
    return "\n".join(lines)


def run_all(dsn: str, sizes: list[int], runs: int, log: Callable[[str], None]) -> list[Result]:
    results = []
    for mb in sizes:
        log(f"== heap {mb} MB ==")
        results.append(bench(dsn, mb, runs))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_plan", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20, 100, 300], metavar="MB",
                        help="heap sizes of the table, in MB")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--dsn", help="a database to create (and drop) the bench_plan_* tables in, "
                                      "instead of an embedded server")
    args = parser.parse_args(argv)

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    if args.dsn:
        results = run_all(args.dsn, args.sizes, args.runs, log)
        print(report(results, server_version(args.dsn)))
        return 0
    with embedded() as server:
        dsn = create_database(server, "bench_plan")
        results = run_all(dsn, args.sizes, args.runs, log)
        print(report(results, server_version(dsn)))
    return 0


def server_version(dsn: str) -> str:
    with psycopg.connect(dsn) as conn:
        row = conn.execute("SELECT version()").fetchone()
    return str(row[0]) if row else "?"


if __name__ == "__main__":
    sys.exit(main())
