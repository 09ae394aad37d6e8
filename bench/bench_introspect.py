"""Benchmark: how fast is `schemadocs snapshot` next to the cost of just reading the catalog?

In: table counts (`--tables 1000 10000`) and a run count. Out: a table per size on stdout
(progress on stderr), optionally the figures as JSON (`--json FILE`). Not a pytest test.

For each size: a fresh embedded PostgreSQL, a database loaded with `bench.synthetic`,
ANALYZE, one untimed warm-up of the cheap methods, then `--runs` rounds in which every
method runs once, side by side (so server and machine drift hit them all alike):

  raw       the catalog queries schemadocs runs (introspect/queries/*.sql with the version
            fragments filled in), in the same read-only transaction, fetched with plain
            psycopg `cursor.fetchall()`: no SQLAlchemy, no model. The floor.
  snapshot  `introspect.introspect.introspect(dsn)` + `schemadocs.snapshot.dump_bytes(catalog)`,
            i.e. `schemadocs snapshot` without the file write; its two halves are shown too.
  per-table SQLAlchemy Inspector, one call per object: for every table (partitions
            included) get_columns, get_pk_constraint, get_foreign_keys, get_indexes,
            get_unique_constraints, get_check_constraints, get_table_comment; for every
            view and materialized view get_view_definition and get_columns.
  batched   SQLAlchemy 2.x get_multi_* per schema (kind=ObjectKind.ANY): columns, pk,
            foreign keys, indexes, unique, check, table comment.

Ratios are median / median of the raw floor measured in the same invocation. Peak memory
of the snapshot path is the ru_maxrss of a fresh child process that only introspects and
dumps, so nothing else measured here inflates it.

    .venv/bin/python -m bench.bench_introspect --tables 1000 10000 --runs 3 [--slow-runs 1] [--json out.json]

Last measured (2 shared vCPUs, system PostgreSQL 15.18, medians of 3, machine otherwise idle;
constraint and index key columns named in Python, privileges parsed from aclitem text,
extension members excluded through one hashed set):

    tables  raw floor  lean floor  snapshot               introspect()  dump_bytes()  batched  peak RSS
     1,000     0.34 s      0.35 s  0.42 s (1.23x / 1.22x)       0.39 s        0.02 s    1.30x    87 MiB
    10,000     4.04 s      4.09 s  4.34 s (1.07x / 1.06x)       4.03 s        0.20 s    1.86x   391 MiB

The lean floor (bench/lean_queries/) equals the raw one today: no leaner query is known. Before
this round the same 10,000 tables took constraints.sql 1.56 s and indexes.sql 1.40 s (now 0.57 s
and 0.81 s); the snapshot's own time fell from 5.67 s to 3.46 s without statistics.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import psycopg
import sqlalchemy
from sqlalchemy.engine.reflection import ObjectKind
from sqlalchemy.pool import NullPool

from bench.synthetic import synthetic_sql
from schemadocs.introspect.fetch import query_text
from schemadocs.introspect.introspect import introspect
from schemadocs.introspect.versions import versions
from schemadocs.embedded import create_database, embedded
from schemadocs.snapshot import dump_bytes

SNAPSHOT_TARGET = 1.25  # snapshot path may take at most this multiple of the raw floor
MEMORY_TARGET = 1 << 30  # bytes of peak RSS
USER_SCHEMA = "n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'"
ROOT = Path(__file__).resolve().parents[1]
LEAN = ROOT / "bench" / "lean_queries"

LABELS = {
    "raw": "raw floor: catalog queries, psycopg fetchall",
    "lean": "lean floor: cheapest equivalent queries",
    "snapshot": "schemadocs snapshot: introspect + dump_bytes",
    "introspect": "  introspect() alone",
    "dumps": "  dump_bytes() alone",
    "per_table": "SQLAlchemy Inspector, per-table loop",
    "batched": "SQLAlchemy get_multi_* per schema",
}


def catalog_queries() -> list[str]:
    """The query files introspection runs: every `introspect/queries/*.sql`, database first."""
    names = sorted(p.name[:-4] for p in resources.files("schemadocs.introspect").joinpath("queries").iterdir()
                   if p.name.endswith(".sql"))
    names.remove("database")
    return names


# -- the measured methods -------------------------------------------------------------------

def raw_floor(dsn: str) -> dict[str, Any]:
    """The same catalog queries in the same kind of transaction, rows fetched and dropped."""
    return _run_queries(dsn, query_text)


def lean_floor(dsn: str) -> dict[str, Any]:
    """The second floor: the cheapest queries we know for the same information
    (`bench/lean_queries/NAME.sql` where one exists, else schemadocs' own query)."""
    return _run_queries(dsn, lambda name: (LEAN / f"{name}.sql").read_text(encoding="utf-8")
                        if (LEAN / f"{name}.sql").is_file() else query_text(name))


def _run_queries(dsn: str, text: Callable[[str], str]) -> dict[str, Any]:
    rows = 0
    with psycopg.connect(dsn, application_name="schemadocs-bench", connect_timeout=10) as conn:
        cur = conn.cursor()
        cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cur.execute("SELECT set_config('search_path', 'public', true)")
        cur.execute("SELECT set_config('statement_timeout', %s, true), set_config('lock_timeout', %s, true)",
                    ("60000ms", "2000ms"))
        cur.execute(query_text("database").format())
        frags = versions(cur.fetchone()[2])
        per_query = {}
        for name in catalog_queries():
            t = time.perf_counter()
            cur.execute(text(name).format(**frags))
            rows += len(cur.fetchall())
            per_query[name] = time.perf_counter() - t
        conn.rollback()
    return {"rows": rows, "per_query_seconds": per_query}


def snapshot_path(dsn: str) -> dict[str, Any]:
    t0 = time.perf_counter()
    catalog = introspect(dsn)
    t1 = time.perf_counter()
    data = dump_bytes(catalog)  # what `schemadocs snapshot` writes
    t2 = time.perf_counter()
    return {"introspect": t1 - t0, "dumps": t2 - t1, "json_bytes": len(data),
            "relations": len(catalog.relations)}


def _engine(dsn: str) -> sqlalchemy.Engine:
    return sqlalchemy.create_engine(
        "postgresql+psycopg://", poolclass=NullPool,
        creator=lambda: psycopg.connect(dsn, application_name="schemadocs-bench", connect_timeout=10),
    )


def _user_schemas(insp: sqlalchemy.Inspector) -> list[str]:
    return [s for s in insp.get_schema_names() if not s.startswith("pg_") and s != "information_schema"]


def sa_per_table(dsn: str) -> dict[str, Any]:
    """SQLAlchemy's classic reflection: one Inspector call per object and aspect."""
    engine = _engine(dsn)
    calls = 0
    try:
        with engine.connect() as conn:
            insp = sqlalchemy.inspect(conn)  # a fresh Inspector: its info_cache starts empty
            for schema in _user_schemas(insp):
                for table in insp.get_table_names(schema):
                    insp.get_columns(table, schema)
                    insp.get_pk_constraint(table, schema)
                    insp.get_foreign_keys(table, schema)
                    insp.get_indexes(table, schema)
                    insp.get_unique_constraints(table, schema)
                    insp.get_check_constraints(table, schema)
                    insp.get_table_comment(table, schema)
                    calls += 7
                for view in insp.get_view_names(schema) + insp.get_materialized_view_names(schema):
                    insp.get_view_definition(view, schema)
                    insp.get_columns(view, schema)
                    calls += 2
    finally:
        engine.dispose()
    return {"calls": calls}


def sa_batched(dsn: str) -> dict[str, Any]:
    """SQLAlchemy 2.x batched reflection: one get_multi_* call per aspect and schema."""
    engine = _engine(dsn)
    objects = 0
    try:
        with engine.connect() as conn:
            insp = sqlalchemy.inspect(conn)
            for schema in _user_schemas(insp):
                kw = {"schema": schema, "kind": ObjectKind.ANY}
                objects += len(insp.get_multi_columns(**kw))
                insp.get_multi_pk_constraint(**kw)
                insp.get_multi_foreign_keys(**kw)
                insp.get_multi_indexes(**kw)
                insp.get_multi_unique_constraints(**kw)
                insp.get_multi_check_constraints(**kw)
                insp.get_multi_table_comment(**kw)
    finally:
        engine.dispose()
    return {"objects": objects}


CHILD = """
import json, resource, sys, time
from schemadocs.introspect.introspect import introspect
from schemadocs.snapshot import dump_bytes

def vm_hwm_kib():  # this process image's own RSS high-water mark (Linux), None elsewhere
    try:
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        return None

base = vm_hwm_kib()
t = time.perf_counter()
catalog = introspect(sys.argv[1])
after_introspect = vm_hwm_kib()
text = dump_bytes(catalog)
seconds = time.perf_counter() - t
print(json.dumps({"hwm_kib": vm_hwm_kib(), "baseline_kib": base, "after_introspect_kib": after_introspect, "seconds": seconds, "json_bytes": len(text),
                  "ru_maxrss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


def peak_memory(dsn: str) -> dict[str, Any]:
    """Peak RSS of a fresh process that only runs the snapshot path.

    Linux keeps ru_maxrss across fork/exec, so a child's ru_maxrss starts at the RSS this
    (large) parent had when it spawned it; /proc/self/status VmHWM belongs to the child's own
    address space, so it is used when present (ru_maxrss is kept in the JSON for reference).
    """
    done = subprocess.run([sys.executable, "-c", CHILD, dsn], capture_output=True, text=True, cwd=ROOT, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"memory child failed: {done.stderr.strip()[-2000:]}")
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    peak_kib = figures["hwm_kib"] or figures["ru_maxrss_kib"]
    return {"peak_bytes": peak_kib * 1024, "baseline_bytes": (figures["baseline_kib"] or 0) * 1024,
            "after_introspect_bytes": (figures["after_introspect_kib"] or 0) * 1024,
            "source": "VmHWM" if figures["hwm_kib"] else "ru_maxrss",
            "ru_maxrss_bytes": figures["ru_maxrss_kib"] * 1024, "seconds": figures["seconds"]}


# -- the schema ---------------------------------------------------------------------------

def schema_counts(dsn: str) -> dict[str, int]:
    with psycopg.connect(dsn, autocommit=True) as conn:
        rel = conn.execute(f"""
            SELECT count(DISTINCT n.oid),
                   count(*) FILTER (WHERE c.relkind = 'r' AND NOT c.relispartition),
                   count(*) FILTER (WHERE c.relkind = 'p'),
                   count(*) FILTER (WHERE c.relispartition AND c.relkind IN ('r', 'p')),
                   count(*) FILTER (WHERE c.relkind = 'v'),
                   count(*) FILTER (WHERE c.relkind = 'm'),
                   count(*) FILTER (WHERE c.relkind IN ('i', 'I'))
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE {USER_SCHEMA} AND c.relkind IN ('r', 'p', 'v', 'm', 'i', 'I')""").fetchone()
        (columns,) = conn.execute(f"""
            SELECT count(*) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE {USER_SCHEMA} AND a.attnum > 0 AND NOT a.attisdropped
              AND c.relkind IN ('r', 'p', 'v', 'm', 'f')""").fetchone()
        (fks, fks_declared) = conn.execute(f"""
            SELECT count(*), count(*) FILTER (WHERE k.conparentid = 0)
            FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace WHERE {USER_SCHEMA} AND k.contype = 'f'""").fetchone()
        (comments,) = conn.execute("SELECT count(*) FROM pg_description WHERE classoid = 'pg_class'::regclass "
                                   "AND objoid >= 16384").fetchone()
    keys = ("schemas", "tables", "partitioned_tables", "partitions", "views", "materialized_views", "indexes")
    return {**dict(zip(keys, rel)), "columns": columns, "foreign_keys": fks,
            "foreign_keys_declared": fks_declared, "comments": comments}


# -- running ------------------------------------------------------------------------------

def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def timed(fn: Callable[[str], dict[str, Any]], dsn: str) -> tuple[float, dict[str, Any]]:
    gc.collect()
    t = time.perf_counter()
    info = fn(dsn)
    return time.perf_counter() - t, info


def bench_size(n: int, runs: int, slow_runs: int, seed: int) -> dict[str, Any]:
    result: dict[str, Any] = {"tables_requested": n, "seed": seed}
    t = time.perf_counter()
    sql = synthetic_sql(n, seed)
    result["generate_seconds"] = time.perf_counter() - t
    log(f"[{n}] generated {len(sql) / 1e6:.1f} MB of DDL in {result['generate_seconds']:.2f} s; starting PostgreSQL")
    with embedded() as server:
        t = time.perf_counter()
        dsn = create_database(server, f"synthetic_{n}", sql)
        result["load_seconds"] = time.perf_counter() - t
        del sql
        t = time.perf_counter()
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute("ANALYZE")
        result["analyze_seconds"] = time.perf_counter() - t
        result["counts"] = schema_counts(dsn)
        with psycopg.connect(dsn, autocommit=True) as conn:
            result["server_version"] = conn.execute("SHOW server_version").fetchone()[0]
        log(f"[{n}] loaded in {result['load_seconds']:.1f} s, ANALYZE {result['analyze_seconds']:.1f} s: {result['counts']}")

        log(f"[{n}] warm-up (untimed): raw, snapshot, batched")
        for fn in (raw_floor, lean_floor, snapshot_path, sa_batched):
            fn(dsn)

        times: dict[str, list[float]] = {k: [] for k in LABELS}
        info: dict[str, Any] = {}
        for r in range(runs):
            plan: list[tuple[str, Callable[[str], dict[str, Any]]]] = [
                ("raw", raw_floor), ("lean", lean_floor), ("snapshot", snapshot_path), ("batched", sa_batched)]
            if r < slow_runs:
                plan.append(("per_table", sa_per_table))
            for key, fn in plan:
                seconds, info[key] = timed(fn, dsn)
                times[key].append(seconds)
                if key == "snapshot":
                    times["introspect"].append(info[key]["introspect"])
                    times["dumps"].append(info[key]["dumps"])
                log(f"[{n}] run {r + 1}/{runs} {key}: {seconds:.3f} s")
        result["details"] = info
        log(f"[{n}] peak memory child")
        result["memory"] = peak_memory(dsn)

    floor = statistics.median(times["raw"])
    lean = statistics.median(times["lean"])
    result["methods"] = {
        key: {"label": LABELS[key].strip(), "runs": len(ts), "seconds": ts, "median": statistics.median(ts),
              "min": min(ts), "max": max(ts), "ratio_to_raw": statistics.median(ts) / floor,
              "ratio_to_lean": statistics.median(ts) / lean}
        for key, ts in times.items() if ts
    }
    paired = [s / f for s, f in zip(times["snapshot"], times["raw"])]
    result["snapshot_vs_raw"] = {
        "ratio_of_medians": result["methods"]["snapshot"]["ratio_to_raw"],
        "median_paired_ratio": statistics.median(paired),
        "target": SNAPSHOT_TARGET,
        "met": result["methods"]["snapshot"]["ratio_to_raw"] <= SNAPSHOT_TARGET,
    }
    result["snapshot_vs_lean"] = {
        "ratio_of_medians": result["methods"]["snapshot"]["ratio_to_lean"],
        "median_paired_ratio": statistics.median(s / f for s, f in zip(times["snapshot"], times["lean"])),
        "target": SNAPSHOT_TARGET,
        "met": result["methods"]["snapshot"]["ratio_to_lean"] <= SNAPSHOT_TARGET,
    }
    result["memory"]["target_bytes"] = MEMORY_TARGET
    result["memory"]["met"] = result["memory"]["peak_bytes"] < MEMORY_TARGET
    return result


def report(res: dict[str, Any]) -> str:
    c = res["counts"]
    d = res["details"]
    lines = [
        f"== {res['tables_requested']} tables (seed {res['seed']}, PostgreSQL {res['server_version']}) ==",
        f"schema: {c['schemas']} schemas, {c['tables']:,} tables + {c['partitioned_tables']} partitioned "
        f"({c['partitions']} partitions), {c['views']:,} views, {c['materialized_views']} materialized views; "
        f"{c['columns']:,} columns, {c['foreign_keys']:,} foreign keys ({c['foreign_keys_declared']:,} declared), "
        f"{c['indexes']:,} indexes, {c['comments']:,} relation/column comments",
        f"setup: DDL generated in {res['generate_seconds']:.2f} s, loaded in {res['load_seconds']:.1f} s, "
        f"ANALYZE {res['analyze_seconds']:.1f} s; raw floor fetches {d['raw']['rows']:,} rows; "
        f"snapshot JSON {d['snapshot']['json_bytes'] / 1e6:.1f} MB, {d['snapshot']['relations']:,} relations",
        "",
        f"{'method':<46}{'runs':>5}{'median s':>10}{'min s':>9}{'max s':>9}{'x raw':>8}{'x lean':>8}",
    ]
    for key, m in res["methods"].items():
        runs = f"{m['runs']}" + (" run" if m["runs"] == 1 else "")
        lines.append(f"{LABELS[key]:<46}{runs:>5}{m['median']:>10.3f}{m['min']:>9.3f}{m['max']:>9.3f}"
                     f"{m['ratio_to_raw']:>7.2f}x{m['ratio_to_lean']:>7.2f}x")
    slowest = sorted(d["raw"]["per_query_seconds"].items(), key=lambda kv: -kv[1])[:5]
    lines.append("  (raw floor, slowest queries in the last run: "
                 + ", ".join(f"{name}.sql {sec:.3f} s" for name, sec in slowest) + ")")
    if "per_table" in d:
        lines.append(f"  (per-table loop: {d['per_table']['calls']:,} Inspector calls per run)")
    s = res["snapshot_vs_raw"]
    lines.append(f"snapshot / raw floor: {s['ratio_of_medians']:.2f}x (median of paired runs {s['median_paired_ratio']:.2f}x); "
                 f"target <= {s['target']}x: {'MET' if s['met'] else 'NOT MET'}")
    s = res["snapshot_vs_lean"]
    lines.append(f"snapshot / lean floor: {s['ratio_of_medians']:.2f}x (median of paired runs {s['median_paired_ratio']:.2f}x); "
                 f"target <= {s['target']}x: {'MET' if s['met'] else 'NOT MET'}")
    mem = res["memory"]
    lines.append(f"peak RSS of snapshot path (fresh process, {mem['source']}): {mem['peak_bytes'] / 2**20:.0f} MiB "
                 f"(after imports {mem['baseline_bytes'] / 2**20:.0f} MiB, after introspect "
                 f"{mem['after_introspect_bytes'] / 2**20:.0f} MiB; took {mem['seconds']:.2f} s); "
                 f"target < 1 GiB: {'MET' if mem['met'] else 'NOT MET'}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_introspect",
                                     description="Time schemadocs introspection against the raw catalog queries and SQLAlchemy.")
    parser.add_argument("--tables", type=int, nargs="+", default=[1000], metavar="N", help="table counts (default 1000)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per method (median reported; default 3)")
    parser.add_argument("--slow-runs", type=int, default=None,
                        help="runs of the SQLAlchemy per-table loop (default: --runs)")
    parser.add_argument("--skip-slow", action="store_true", help="leave out the SQLAlchemy per-table loop")
    parser.add_argument("--seed", type=int, default=0, help="synthetic schema seed (default 0)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the figures as JSON")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    slow_runs = 0 if args.skip_slow else min(args.runs, args.slow_runs if args.slow_runs is not None else args.runs)

    results = []
    for n in args.tables:
        res = bench_size(n, args.runs, slow_runs, args.seed)
        results.append(res)
        print(report(res) + "\n", flush=True)
        if args.json:  # rewritten after each size, so a long run keeps what it has
            args.json.write_text(json.dumps({"python": sys.version.split()[0], "sqlalchemy": sqlalchemy.__version__,
                                             "psycopg": psycopg.__version__, "results": results}, indent=1) + "\n",
                                 encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
