"""Benchmark: a multi-tenant database of identical schemas against its one schema alone.

In: how many tenant schemas (`--tenants 2000`), tables per tenant (`--tables 40`), and how many
tenants to create for real (`--real 50`). Out: a side-by-side table on stdout (progress on
stderr), optionally the figures as JSON (`--json FILE`). Not a pytest test.

On a fresh embedded PostgreSQL, in one run:

  single    one schema of the tenant's tables, introspected, built into a site.
  real      `--real` tenant schemas created in PostgreSQL and introspected: detection on a
            real catalog (it must find one family of them all), with its time.
  families  `--tenants` schemas of the same tables: the single schema's catalog copied under each
            tenant's name (`schemadocs.families.structure.renamed`, the rewriting detection
            itself undoes), since creating 80,000 tables here takes longer than the benchmark
            should, each tenant then given OIDs, row counts, sizes and scan counts of its own
            (`own_statistics`), as a real database has them. Built with families on: one
            representative, a family page, the member list, `catalog.json` holding the family once.
  unfolded  with `--unfolded K`: K tenants built with families off, the site without this
            feature, to show what each tenant would otherwise cost.

Each build is `schemadocs.build.build` in this process into a fresh project dir (after one
warm-up build of the single schema, not reported, so that imports count for neither), timed whole;
reported: build time (and, for families, the detection's share), generated pages, the site's
HTML pages and size, and its snapshot (which every site keeps for `--previous`; format 2 holds
each family once): `catalog.json`, or `catalog.json.gz` on a site of 1,000 relations or more,
its size on disk and its JSON's. The ratio families/single is the issue's target:
"about the time of a single schema plus the list". The load average at the start and the end is
printed too: the machine may be shared.

Measured (issue 14, second round; 2 shared cores, load average 11-13 throughout):

  before (the first families version, this benchmark):   single 10.2 s, 2,000 tenants 111.5 s (10.9x),
                                                          catalog.json 280.1 MB, detection 19.7 s
  after (compact snapshot, faster statistics rules):      single 7.6 s, 2,000 tenants 50.8 s (6.6x),
                                                          catalog.json 14.6 MB, detection 13.6 s
  third round, before (main at 3a501a7; load 6):          single 6.3 s (CPU 2.8 s), 2,000 tenants 40.6 s (6.4x;
                                                          CPU 18.5 s, 6.7x)
  third round, after (detection once, compact list-wide): single 4.3 s (CPU 2.7 s), 2,000 tenants 26.2 s (6.1x;
                                                          CPU 17.9 s, 6.7x), load 6-7; catalog.json byte-identical
  fourth round, side by side (--baseline main at 54b5bd0; load 13-19, wall times 5-10x the CPU):
                                                          baseline single CPU 2.9 s, 2,000 tenants CPU 22.5 s (7.76x);
                                                          this round (family page tables lifted out of MkDocs):
                                                          single CPU 2.8 s, 2,000 tenants CPU 20.9 s (7.56x)
  fifth round, side by side (--baseline main at d6f7cb0; load 1.7-2.0, wall and CPU agree):
                                                          baseline single CPU 1.2 s, 2,000 tenants CPU 9.7 s (7.85x);
                                                          this round (compact snapshot proven by detection, the
                                                          catalog frozen for the build): single CPU 1.1 s,
                                                          2,000 tenants CPU 5.6 s (4.96x); wall 10.0 s -> 5.7 s
  (README "Schema families", Measured, has the table and where the rest goes; CPU time is the
  steadier figure on a shared machine. `--profile FILE` writes a cProfile of the families build.)

    .venv/bin/python -m bench.bench_families --tenants 2000 --tables 40 --real 50 [--unfolded 50] [--json out.json]
        [--profile families.prof] [--baseline DIR]

`--baseline DIR` (a checkout with its own .venv, e.g. `git -C /work/main archive main | tar -x -C DIR`):
that code's single and families builds too, each in a process of its own on the same catalog
(pickled), alternating with this code's; reported beside them with their ratio.
"""

from __future__ import annotations

import argparse
import cProfile
import gzip
import json
import os
import pickle
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import orjson

from schemadocs.embedded import create_database, embedded
from schemadocs.gc_pause import gc_paused

ROOT = Path(__file__).resolve().parents[1]


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def tenant_sql(schema: str, tables: int) -> str:
    """One tenant: `tables` tables in `schema`, each with a key, 6 columns of mixed types, a
    foreign key to the one before, an index on it and a comment (deterministic)."""
    q = '"' + schema.replace('"', '""') + '"'
    out = [f"CREATE SCHEMA {q};"]
    for i in range(tables):
        ref = f",\n  parent_id integer REFERENCES {q}.t{i - 1:02d}" if i else ""
        out.append(f"""CREATE TABLE {q}.t{i:02d} (
  id serial PRIMARY KEY,
  name text NOT NULL,
  status varchar(20) NOT NULL DEFAULT 'new',
  amount numeric(12,2),
  created_at timestamptz NOT NULL DEFAULT now(),
  payload jsonb{ref}
);""")
        if i:
            out.append(f"CREATE INDEX t{i:02d}_parent_idx ON {q}.t{i:02d} (parent_id);")
        out.append(f"COMMENT ON TABLE {q}.t{i:02d} IS 'Table {i} of tenant {schema.replace(chr(39), chr(39) * 2)}';")
    return "\n".join(out)


def new_project(parent: Path, name: str) -> Path:
    project = parent / name
    (project / "site_src").mkdir(parents=True)
    (project / "mkdocs.yml").write_text(f"INHERIT: {ROOT / 'schemadocs' / 'default_mkdocs.yml'}\n"
                                        "site_name: bench\ndocs_dir: site_src\n", encoding="utf-8")
    return project


def site_figures(site: Path) -> dict[str, Any]:
    """HTML pages and bytes of a built site, and its snapshot: `catalog.json`, or `catalog.json.gz` on a
    site of 1,000 relations or more (`site_snapshot`): its name, its bytes and its JSON's bytes."""
    from schemadocs.site_snapshot import snapshot_file

    files = [p for p in site.rglob("*") if p.is_file()]
    snapshot = snapshot_file(site)
    raw = snapshot.read_bytes() if snapshot is not None else b""
    return {"html_pages": sum(p.suffix == ".html" for p in files), "site_bytes": sum(p.stat().st_size for p in files),
            "snapshot_file": snapshot.name if snapshot is not None else None, "snapshot_bytes": len(raw),
            "snapshot_json_bytes": len(gzip.decompress(raw)) if raw[:2] == b"\x1f\x8b" else len(raw)}


def timed_build(catalog: Any, parent: Path, name: str, families: Any = None,
                profile: Path | None = None) -> dict[str, Any]:
    from schemadocs.build import build

    project = new_project(parent, name)
    profiler = cProfile.Profile() if profile is not None else None
    started, cpu = time.perf_counter(), time.process_time()
    if profiler is not None:
        profiler.enable()
    result = build(catalog, project / "site", project / "mkdocs.yml", families=families)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(profile)
        log(f"[{name}] profile written to {profile} (read it with `python -m pstats {profile}`)")
    figures = {"build_s": round(seconds, 2), "cpu_s": round(cpu, 2), "generated_pages": result.generated_pages, **site_figures(project / "site")}
    log(f"[{name}] built in {seconds:.1f} s: {figures}")
    return figures


def copies(single: Any, schema: str, tenants: int) -> Any:
    """The catalog of `tenants` schemas, each the single schema's objects under a tenant's name."""
    from schemadocs.families.structure import renamed
    from schemadocs.model import Catalog
    from schemadocs.snapshot import dump_bytes, from_plain

    part = renamed(single, schema, "\x00tenant")  # one rewrite; then plain byte replacement per tenant
    doc = orjson.loads(dump_bytes(part))
    template = {k: orjson.dumps(doc[k]) for k in ("schemas", "relations", "sequences")}
    placeholder = orjson.dumps("\x00tenant")[1:-1]
    lists: dict[str, list[bytes]] = {k: [] for k in template}
    for i in range(1, tenants + 1):
        name = f"tenant_{i:04d}".encode()
        for k, body in template.items():
            lists[k].append(body.replace(b'\\"' + placeholder + b'\\"', name).replace(placeholder, name)[1:-1])
    whole = orjson.loads(dump_bytes(single))
    whole["schemas"] = [s for s in whole["schemas"] if s["name"] != schema]
    whole["relations"] = [r for r in whole["relations"] if r["schema"] != schema]
    whole["sequences"] = [s for s in whole["sequences"] if s["schema"] != schema]
    text = orjson.dumps(whole)
    for k, items in lists.items():
        joined = b",".join(i for i in items if i)
        existing = orjson.dumps(whole[k])[1:-1]
        text = text.replace(f'"{k}":'.encode() + orjson.dumps(whole[k]),
                            f'"{k}":['.encode() + (existing + b"," if existing else b"") + joined + b"]", 1)
    with gc_paused():
        result: Catalog = from_plain(Catalog, orjson.loads(text))  # not `snapshot.loads`: its checks take minutes here
    return own_statistics(result, schema)


def own_statistics(catalog: Any, schema: str) -> Any:
    """Each tenant with OIDs, row counts, sizes and scan counts of its own, as a real database has
    them (the copies would otherwise be byte-identical but for their names); `schema` kept as is."""
    import dataclasses

    from schemadocs.model import RelationStats

    def tenant(name: str) -> int:
        return int(name.rsplit("_", 1)[1]) if name.rsplit("_", 1)[-1].isdigit() else 0

    def own(rel: Any) -> Any:
        n = tenant(rel.schema)
        if not n:
            return rel
        stats = rel.stats or RelationStats()
        stats = dataclasses.replace(stats, estimated_rows=(n * 37 + len(rel.name)) % 5000, total_size=8192 * (n % 50 + 2),
                                    seq_scans=n % 13, index_scans=n % 7)
        indexes = tuple(dataclasses.replace(i, size=8192 * (n % 5 + 1), scans=n % 11) for i in rel.indexes)
        return dataclasses.replace(rel, oid=(rel.oid or 0) + 100_000 * n, stats=stats, indexes=indexes)

    with gc_paused():  # 80,000 relations made anew: collections would walk them over and over
        schemas = tuple(dataclasses.replace(s, oid=(s.oid or 0) + 100_000 * tenant(s.name)) for s in catalog.schemas)
        return dataclasses.replace(catalog, schemas=schemas, relations=tuple(map(own, catalog.relations)))


_BASELINE_CHILD = """
import json, pickle, sys
from pathlib import Path
from bench.bench_families import timed_build
catalog_file, single_file, parent, name = sys.argv[1:5]
single = pickle.loads(Path(single_file).read_bytes())
timed_build(single, Path(parent), name + "-warm-up")
catalog = single if catalog_file == single_file else pickle.loads(Path(catalog_file).read_bytes())
print(json.dumps(timed_build(catalog, Path(parent), name)))
"""


def baseline_build(baseline: Path, catalog_file: Path, single_file: Path, parent: Path, name: str) -> dict[str, Any]:
    """One build by the code in `baseline` (a checkout with its own `.venv`), in a process of its
    own: the catalog unpickled there (the model is the same), a warm-up build of the single schema
    first, as here; its figures as `timed_build` gives them."""
    out = subprocess.run([str(baseline / ".venv" / "bin" / "python"), "-c", _BASELINE_CHILD, str(catalog_file),
                          str(single_file), str(parent), name], cwd=baseline, check=True, capture_output=True,
                         text=True, env={**os.environ, "PYTHONPATH": str(baseline)})
    for line in out.stderr.splitlines():
        log(f"  {line}")
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    return {**figures, **site_figures(parent / name / "site")}  # the snapshot as this code reads it, whichever file


def run(tenants: int, tables: int, real: int, unfolded: int, profile: Path | None = None,
        baseline: Path | None = None) -> dict[str, Any]:
    from schemadocs.families.detect import detect
    from schemadocs.families.settings import FamilySettings
    from schemadocs.introspect.introspect import introspect

    res: dict[str, Any] = {"tenants": tenants, "tables": tables, "real": real, "load_start": os.getloadavg()[0]}
    with embedded() as server, tempfile.TemporaryDirectory(prefix="bench-families-") as tmp:
        parent = Path(tmp)
        started = time.perf_counter()
        single = introspect(create_database(server, "single", tenant_sql("app", tables)))
        log(f"[single] created and introspected in {time.perf_counter() - started:.1f} s")
        if real:
            started = time.perf_counter()
            sql = "\n".join(tenant_sql(f"tenant_{i:04d}", tables) for i in range(1, real + 1))
            catalog = introspect(create_database(server, "real", sql))
            log(f"[real] {real} tenants created and introspected in {time.perf_counter() - started:.1f} s")
            started = time.perf_counter()
            found = detect(catalog)
            res["real_detect_s"] = round(time.perf_counter() - started, 3)
            res["real_families"] = [(f.name, f.size) for f in found.families]
            ok = len(found.families) == 1 and found.families[0].size == real
            res["real_ok"] = ok
            log(f"[real] detection {res['real_detect_s']} s: {res['real_families']} ({'ok' if ok else 'WRONG'})")
        started = time.perf_counter()
        many = copies(single, "app", tenants)
        log(f"[families] {len(many.relations)} relations synthesised in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        found = detect(many)
        res["detect_s"] = round(time.perf_counter() - started, 2)
        assert len(found.families) == 1 and found.families[0].size == tenants, found.families
        log(f"[families] detection {res['detect_s']} s")
        timed_build(single, parent, "warm-up")  # imports, templates and the diagram program, loaded once
        if baseline is not None:  # the baseline's builds alternate with this code's, under the same load
            single_file, many_file = parent / "single.pickle", parent / "many.pickle"
            single_file.write_bytes(pickle.dumps(single, protocol=pickle.HIGHEST_PROTOCOL))
            many_file.write_bytes(pickle.dumps(many, protocol=pickle.HIGHEST_PROTOCOL))
            res["baseline_single"] = baseline_build(baseline, single_file, single_file, parent, "baseline-single")
        res["single"] = timed_build(single, parent, "single")
        if baseline is not None:
            res["baseline_families"] = baseline_build(baseline, many_file, single_file, parent, "baseline-families")
        res["families"] = timed_build(many, parent, "families", profile=profile)
        if unfolded:
            few = copies(single, "app", unfolded)
            res["unfolded"] = {"tenants": unfolded, **timed_build(few, parent, "unfolded", FamilySettings(enable=False))}
    res["ratio"] = round(res["families"]["build_s"] / res["single"]["build_s"], 2)
    res["cpu_ratio"] = round(res["families"]["cpu_s"] / res["single"]["cpu_s"], 2)  # steadier on a shared machine
    if baseline is not None:
        res["baseline_ratio"] = round(res["baseline_families"]["build_s"] / res["baseline_single"]["build_s"], 2)
        res["baseline_cpu_ratio"] = round(res["baseline_families"]["cpu_s"] / res["baseline_single"]["cpu_s"], 2)
    res["load_end"] = os.getloadavg()[0]
    return res


def report(res: dict[str, Any]) -> str:
    rows = [("single schema", res["single"]), (f"{res['tenants']} tenants, families", res["families"])]
    if "baseline_single" in res:
        rows = [("single schema, baseline", res["baseline_single"]),
                (f"{res['tenants']} tenants, families, baseline", res["baseline_families"]), *rows]
    if "unfolded" in res:
        rows.append((f"{res['unfolded']['tenants']} tenants, families off", res["unfolded"]))
    lines = [f"{res['tenants']} tenant schemas of {res['tables']} tables "
             f"({res['tenants'] * res['tables']:,} tables) against one schema of {res['tables']}:",
             f"{'':34} {'build s':>8} {'CPU s':>7} {'gen. pages':>10} {'HTML pages':>10} {'site MB':>8} "
             f"{'snapshot MB (file, JSON)':>28}"]
    for label, r in rows:
        snapshot = f"{r['snapshot_bytes'] / 1e6:.2f} {r.get('snapshot_file') or '-'}, {r.get('snapshot_json_bytes', 0) / 1e6:.1f}"
        lines.append(f"{label:34} {r['build_s']:8.1f} {r.get('cpu_s', 0):7.1f} {r['generated_pages']:10} {r['html_pages']:10} "
                     f"{r['site_bytes'] / 1e6:8.1f} {snapshot:>28}")
    lines.append(f"families / single build time: {res['ratio']}x, CPU time {res['cpu_ratio']}x "
                 f"(detection {res['detect_s']} s of it)")
    if "baseline_ratio" in res:
        lines.append(f"baseline: families / single build time {res['baseline_ratio']}x, CPU time {res['baseline_cpu_ratio']}x")
    lines.append(f"load average (1 min) {res['load_start']:.1f} at the start, {res['load_end']:.1f} at the end")
    if res.get("real"):
        lines.append(f"real introspection of {res['real']} tenants: {res['real_families']} found in "
                     f"{res['real_detect_s']} s ({'ok' if res['real_ok'] else 'WRONG'})")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_families", description=__doc__.split("\n\n")[0])
    parser.add_argument("--tenants", type=int, default=2000, help="tenant schemas (default 2000)")
    parser.add_argument("--tables", type=int, default=40, help="tables per tenant (default 40)")
    parser.add_argument("--real", type=int, default=50, help="tenants created in PostgreSQL for the detection check (default 50; 0: none)")
    parser.add_argument("--unfolded", type=int, default=0, help="also build this many tenants with families off")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the figures as JSON")
    parser.add_argument("--profile", type=Path, metavar="FILE",
                        help="also profile the families build (cProfile; its time then counts the profiler too)")
    parser.add_argument("--baseline", type=Path, metavar="DIR",
                        help="also build single and families with the code in DIR (a checkout with its own .venv), "
                             "alternating with this code's builds in the same run")
    args = parser.parse_args(argv)
    if args.baseline is not None and not (args.baseline / ".venv" / "bin" / "python").exists():
        parser.error(f"--baseline {args.baseline}: no .venv/bin/python there (python3 -m venv .venv && .venv/bin/pip install -e .)")
    res = run(args.tenants, args.tables, args.real, args.unfolded, args.profile, args.baseline)
    print(report(res))
    if args.json:
        args.json.write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
