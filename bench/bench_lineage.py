"""Benchmark lineage on the synthetic schema: column lineage and the whole graph.

    .venv/bin/python -m bench.bench_lineage --tables 1000 10000 --runs 3

For each size: load the synthetic schema into an embedded PostgreSQL, then time, median of
--runs runs, side by side in the same run:
- baseline: fetching the lineage inputs (view_rules.sql and rule_targets.sql) with psycopg;
- column lineage: parsing every view's ev_action and resolving it (what introspection adds);
- graph: `lineage_graph(catalog)` from the model (relations, columns, routines);
- the slowest single view (parse + resolve), against the 1 s target.
Targets (issue 4): whole graph including column lineage under 10 s at 10,000 tables;
never more than 1 s for one view.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

import psycopg

from bench.synthetic import synthetic_sql
from schemadocs.introspect.fetch import query_text
from schemadocs.introspect.introspect import column_lineage, introspect
from schemadocs.introspect.node_tree import node_tree
from schemadocs.introspect.versions import versions
from schemadocs.introspect.view_lineage import view_lineage
from schemadocs.lineage.lineage_graph import lineage_graph
from schemadocs.embedded import create_database, embedded

WHOLE_TARGET, VIEW_TARGET = 10.0, 1.0


def fetch(dsn: str) -> tuple[list, list]:
    with psycopg.connect(dsn) as conn:
        version = conn.info.server_version
        frags = versions(version)
        cur = conn.cursor(row_factory=psycopg.rows.namedtuple_row)
        rules = cur.execute(query_text("view_rules").format(**frags)).fetchall()
        targets = cur.execute(query_text("rule_targets").format(**frags)).fetchall()
    return rules, targets


def bench(n: int, runs: int) -> None:
    with embedded() as server:
        started = time.perf_counter()
        dsn = create_database(server, f"lineage_{n}", synthetic_sql(n))
        print(f"[{n}] loaded in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        catalog = introspect(dsn, stats=False)
        times: dict[str, list[float]] = {"baseline fetch": [], "column lineage": [], "graph": []}
        for _ in range(runs):
            t = time.perf_counter()
            rules, targets = fetch(dsn)
            times["baseline fetch"].append(time.perf_counter() - t)
            t = time.perf_counter()
            column_lineage(rules, targets)
            times["column lineage"].append(time.perf_counter() - t)
            t = time.perf_counter()
            graph = lineage_graph(catalog)
            times["graph"].append(time.perf_counter() - t)
        attnums = {t.relid: dict(zip(t.attnums, t.attnames)) for t in targets}
        slowest, slowest_name = 0.0, None
        for rule in rules:
            t = time.perf_counter()
            view_lineage(node_tree(rule.action), attnums)
            took = time.perf_counter() - t
            if took > slowest:
                slowest, slowest_name = took, rule.relid
    views = sum(1 for r in catalog.relations if r.kind.is_view)
    base = statistics.median(times["baseline fetch"])
    print(f"\n== {n} tables: {len(catalog.relations)} relations, {views} views/matviews, "
          f"{graph.number_of_nodes()} graph nodes, {graph.number_of_edges()} edges ({runs} runs)")
    print(f"{'step':<18}{'median s':>10}{'min s':>9}{'max s':>9}{'× baseline':>12}")
    for name, ts in times.items():
        print(f"{name:<18}{statistics.median(ts):>10.3f}{min(ts):>9.3f}{max(ts):>9.3f}{statistics.median(ts) / base:>12.2f}")
    whole = statistics.median(times["column lineage"]) + statistics.median(times["graph"])
    print(f"whole graph incl. column lineage: {whole:.2f} s (target < {WHOLE_TARGET:.0f} s: "
          f"{'met' if whole < WHOLE_TARGET else 'NOT met'})")
    print(f"slowest single view (OID {slowest_name}): {slowest * 1000:.1f} ms (target < {VIEW_TARGET:.0f} s: "
          f"{'met' if slowest < VIEW_TARGET else 'NOT met'})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    for n in args.tables:
        bench(n, args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
