"""Benchmark: building the docs site from a synthetic schema, cold and after a one-table migration.

In: table counts (`--tables 1000 10000`). Out: one table per size on stdout, stages side by
side (progress on stderr), optionally the figures as JSON (`--json FILE`). Not a pytest test.

For each size: a fresh embedded PostgreSQL, a database loaded with `bench.synthetic` and
ANALYZEd, then three builds with `schemadocs.build.build`, each in a fresh child process (so
peak memory is the build's own, as a `schemadocs build` run would see it), its stage
functions wrapped in timers:

  cold     an empty project dir and diagram cache. Stages: introspect (catalog → model),
           graph (ER and lineage graphs), pages (page contexts and templates: `render_site`
           less the diagrams), diagrams (every diagram drawn by Graphviz, nothing cached),
           write (pages into the docs dir), mkdocs (MkDocs build and the swap of the site),
           other (the rest of `build`: snapshot, diff against the previous build).
  first    after `ALTER TABLE ... ADD COLUMN` on one table with foreign-key neighbours, in
           the same project dir.
  rebuild  after the same migration on another table: a second sample, reported stage by
           stage against the cold build. Both report how many pages changed on disk, how
           many diagrams were drawn anew (cache misses) and how many files MkDocs rendered.

Each build also reports the site's size, the search index's size and its size per 1,000
pages, the bytes per kind of file and the peak memory: the peak of the sum of the build and
every process it started alive at once, sampled every 0.2 s (`bench.memory_sampler`), with the
build alone, each child, and the build's RSS as each stage ends (`--cold-only`: no rebuilds;
`BENCH_SITE_PROFILE=1`: what the build still references when MkDocs starts). With `--baseline DIR` (another checkout with its own .venv, e.g. a worktree of
the previous release) the same builds run with that code too, on the same database states,
and the targets of issue 15 are compared side by side: at 10,000 tables a site of at most
400 MB, a cold build of at most 90 s, a rebuild of at most 10 % of the cold build, a peak of
at most 1.5 GiB. `--keep DIR` keeps the built sites (for `bench.bench_first_paint`).

    .venv/bin/python -m bench.bench_site --tables 1000 10000 [--baseline DIR] [--keep DIR] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psycopg

from schemadocs.embedded import create_database, embedded

ROOT = Path(__file__).resolve().parents[1]
COLD_TARGET = 90.0  # seconds at 10,000 tables (issue 15)
REBUILD_TARGET = 0.10  # of the cold build
SITE_TARGET = 400 * 1000 * 1000  # bytes
MEMORY_TARGET = 1.5 * (1 << 30)  # bytes, the build and its MkDocs processes
STAGES = ("introspect", "graph", "pages", "diagrams", "write", "mkdocs")
REPORTED = (*STAGES, "other")  # other: the rest of build(): snapshot, diff against the previous build
ADDED_COLUMN = "bench_added_note"


# -- one build, in a child process ------------------------------------------------------

def child_build(dsn: str, project: Path) -> dict[str, Any]:
    """Introspect, then run `schemadocs.build.build` in `project` (mkdocs.yml + site_src/) with
    each stage's function wrapped in a timer; return the figures."""
    from schemadocs.introspect.introspect import introspect
    from schemadocs import build as build_module
    from schemadocs.render import render_site as render_module

    times: dict[str, float] = {name: 0.0 for name in STAGES}
    cpu_times: dict[str, float] = {name: 0.0 for name in STAGES}  # this process's CPU time per stage
    counts: dict[str, int] = {}
    overhead: dict[str, float] = {"count": 0.0}

    marks: list[tuple[str, float, float, int]] = []  # (stage, start, end as time.time(), VmRSS at its end)

    def timed(module: Any, function: str, stage: str) -> None:
        original = getattr(module, function)

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started, wall, cpu_started = time.perf_counter(), time.time(), time.process_time()
            if stage == "mkdocs" and os.environ.get("BENCH_SITE_PROFILE"):
                counts["profile"] = memory_profile(sys._getframe(1))  # type: ignore[assignment]
            try:
                return original(*args, **kwargs)
            finally:
                times[stage] += time.perf_counter() - started
                marks.append((stage, wall, time.time(), _vm_kib("VmRSS") * 1024))
                cpu_times[stage] += time.process_time() - cpu_started
        setattr(module, function, wrapper)

    original_sync = build_module.sync_pages

    def write(docs_dir: Path, files: dict[str, str]) -> list[str]:
        started = time.perf_counter()
        counts["pages_changed"] = sum(1 for path, text in files.items() if path.endswith(".md") and (
            not (docs_dir / path).exists() or (docs_dir / path).read_text(encoding="utf-8") != text))
        overhead["count"] = time.perf_counter() - started  # the count is the benchmark's: not timed
        started = time.perf_counter()
        hand_written = original_sync(docs_dir, files)
        times["write"] += time.perf_counter() - started
        return hand_written

    build_module.sync_pages = write
    timed(render_module, "build_graphs", "graph")
    timed(render_module, "page_contexts", "pages")
    timed(render_module, "render_pages", "pages")
    timed(render_module, "with_diagrams", "diagrams")
    timed(build_module, "run_mkdocs", "mkdocs")

    cache = project / ".schemadocs-cache" / "diagrams"
    cached_before = set(cache.glob("*.svg")) if cache.exists() else set()
    started = time.perf_counter()
    catalog = introspect(dsn)
    times["introspect"] = time.perf_counter() - started
    started, cpu_started = time.perf_counter(), _cpu_seconds()
    result = build_module.build(catalog, project / "site", project / "mkdocs.yml")
    total = times["introspect"] + time.perf_counter() - started - overhead["count"]
    cpu = _cpu_seconds() - cpu_started  # the build's CPU time (its own and its waited-for children's): load does not change it
    times["other"] = total - sum(times[name] for name in STAGES)

    out = project / "site"
    index = out / "search" / "search_index.json"
    docs = json.loads(index.read_text(encoding="utf-8"))["docs"]
    return {
        "seconds": times,
        "total": total,
        "cpu_seconds": cpu,
        "cpu_stage_seconds": cpu_times,
        "relations": len(catalog.relations),
        "pages": sum(1 for _ in (project / "site_src").rglob("*.md")),
        "pages_changed": counts.get("pages_changed", 0),
        "rebuilt_files": result.rebuilt_files,
        "rendered_pages": getattr(result, "rendered_pages", None),  # a baseline's BuildResult may not have it
        "diagrams": len(list(cache.glob("*.svg"))),
        "diagrams_drawn": len(set(cache.glob("*.svg")) - cached_before),
        "site_bytes": sum(f.stat().st_size for f in out.rglob("*") if f.is_file()),
        "index_bytes": index.stat().st_size,
        "index_docs": len(docs),
        "index_pages": len({d["location"].split("#")[0] for d in docs}),
        "column_index_bytes": max(f.stat().st_size for f in [out / "columns.html", *(out / "columns").glob("*.html")]),
        "peak_rss_bytes": _vm_hwm_kib() * 1024,
        "marks": marks,
        "profile": counts.get("profile"),
        "peak_child_rss_bytes": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024,
        "kinds": page_kinds(out),
    }


def page_kind(path: str) -> str:
    """What a site file is, for the size report."""
    parts = path.split("/")
    if path.endswith(".html"):
        if parts[0] == "schemas":
            return ("schema page" if parts[-1] == "index.html" else "area page" if "areas" in parts
                    else "routine/type page" if parts[-2] in ("routines", "types", "functions") or len(parts) > 3
                    else "relation page")
        return {"columns": "column index", "health": "health page"}.get(parts[0], "other page")
    if parts[0] == "api":
        return "api/ JSON"
    if path.endswith(".md"):
        return "clean .md copies"
    return {"assets": "theme assets", "search": "search index"}.get(parts[0], "other files")


def page_kinds(site: Path) -> dict[str, list[int]]:
    """Bytes and file count per kind of file (`page_kind`)."""
    kinds: dict[str, list[int]] = {}
    for f in site.rglob("*"):
        if f.is_file():
            entry = kinds.setdefault(page_kind(f.relative_to(site).as_posix()), [0, 0])
            entry[0] += f.stat().st_size
            entry[1] += 1
    return kinds


def _cpu_seconds() -> float:
    """User and system CPU time of this process and of its children that were waited for."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _vm_hwm_kib() -> int:
    return _vm_kib("VmHWM")


def _vm_kib(field: str) -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        return next(int(line.split()[1]) for line in status if line.startswith(field + ":"))


def memory_profile(frame: Any) -> dict[str, Any]:
    """What the build holds when MkDocs starts (BENCH_SITE_PROFILE=1): the process's RSS, the
    characters of the rendered files and pages still referenced by the caller of run_mkdocs,
    and the most numerous object types the collector tracks."""
    import gc
    from collections import Counter

    held: dict[str, int] = {}
    for name, value in frame.f_locals.items():
        files = getattr(value, "files", None) if not isinstance(value, dict) else value
        if isinstance(files, dict) and files and all(isinstance(v, str) for v in list(files.values())[:5]):
            held[f"{name} (files, chars)"] = sum(len(v) for v in files.values())
        pages = getattr(getattr(value, "site", value), "pages", None)
        if isinstance(pages, dict):
            held[f"{name} (site pages, chars)"] = sum(len(v) for v in pages.values() if isinstance(v, str))
    types = Counter(type(o).__name__ for o in gc.get_objects())
    return {"rss": _vm_kib("VmRSS") * 1024, "locals": sorted(frame.f_locals), "held": held,
            "tracked_objects": sum(types.values()), "top_types": types.most_common(20)}


def run_child(dsn: str, project: Path, code: Path | None = None) -> dict[str, Any]:
    """One build in a fresh process: this checkout's code, or `code` (another checkout with its
    own .venv, e.g. the baseline), which then runs this file as a script over its own schemadocs."""
    from bench.memory_sampler import sample_tree  # here: a baseline's child process runs this file alone

    python = str(code / ".venv" / "bin" / "python") if code else sys.executable
    child = subprocess.Popen([python, str(Path(__file__).resolve()), "--child", dsn, str(project)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=code or ROOT)
    stop, sampler, peaks = sample_tree(child.pid)
    stdout, stderr = child.communicate()
    stop.set()
    sampler.join()
    if child.returncode != 0:
        raise RuntimeError(f"build child failed: {stderr.strip()[-3000:]}")
    figures = json.loads(stdout.strip().splitlines()[-1])
    figures["memory"] = peaks.as_dict()  # the peak of the sum over every process alive at once
    return figures


# -- the migration -------------------------------------------------------------------------

def migrate_one_table(dsn: str, nth: int) -> str:
    """Add a column to the `nth` plain table that has foreign keys both ways; return its name."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        (qname,) = conn.execute("""
            SELECT format('%%I.%%I', n.nspname, c.relname)
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind = 'r' AND NOT c.relispartition AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
              AND EXISTS (SELECT FROM pg_constraint k WHERE k.contype = 'f' AND k.conrelid = c.oid)
              AND EXISTS (SELECT FROM pg_constraint k WHERE k.contype = 'f' AND k.confrelid = c.oid)
            ORDER BY n.nspname, c.relname LIMIT 1 OFFSET %s""", (nth,)).fetchone()
        conn.execute(f"ALTER TABLE {qname} ADD COLUMN {ADDED_COLUMN} text")
        conn.execute(f"COMMENT ON COLUMN {qname}.{ADDED_COLUMN} IS 'Added by the benchmark migration.'")
    return qname


# -- running -------------------------------------------------------------------------------

def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def new_project(parent: Path, code: Path | None = None) -> Path:
    project = parent / "project"
    (project / "site_src").mkdir(parents=True)
    (project / "mkdocs.yml").write_text(f"INHERIT: {(code or ROOT) / 'schemadocs' / 'default_mkdocs.yml'}\n"
                                        "site_name: bench\ndocs_dir: site_src\n", encoding="utf-8")
    return project


def load_synthetic(server: str, name: str, n: int, seed: int) -> str:
    """Create database `name` on `server` holding `bench.synthetic`'s N tables, ANALYZEd; return its DSN."""
    from bench.synthetic import synthetic_sql  # here: a baseline's child process runs this file alone

    started = time.perf_counter()
    dsn = create_database(server, name, synthetic_sql(n, seed))
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("ANALYZE")
    log(f"[{n}] loaded and analyzed in {time.perf_counter() - started:.1f} s")
    return dsn


def bench_size(n: int, seed: int, baseline: Path | None = None, keep: Path | None = None,
               first: bool = True, rebuild: bool = True) -> dict[str, Any]:
    """Cold build, first rebuild and rebuild of this checkout and, side by side in the same run
    and on the same database states, of `baseline` (another checkout with its own .venv)."""
    result: dict[str, Any] = {"tables_requested": n, "seed": seed}
    versions = [("new", None), *([("baseline", baseline)] if baseline else [])]
    with embedded() as server, tempfile.TemporaryDirectory(prefix=f"bench-site-{n}-") as tmp:
        dsn = load_synthetic(server, f"site_{n}", n, seed)
        projects = {name: new_project(Path(tmp) / name, code) for name, code in versions}
        runs: dict[str, dict[str, Any]] = {name: {} for name, _ in versions}
        steps = [("cold", None), *([("first_rebuild", 0)] if first else []), *([("rebuild", 1)] if rebuild else [])]
        for step, nth in steps:
            if nth is not None:
                result["first_migrated" if nth == 0 else "migrated"] = migrate_one_table(dsn, nth)
            for name, code in versions:
                runs[name][step] = run_child(dsn, projects[name], code)
                log(f"[{n}] {name}: {step} {runs[name][step]['total']:.1f} s")
        if keep is not None:
            for name, project in projects.items():
                target = keep / f"{n}-{name}"
                shutil.rmtree(target, ignore_errors=True)
                shutil.copytree(project / "site", target, symlinks=True)
    result.update(runs["new"])
    if baseline:
        result["baseline"] = runs["baseline"]
    return result


def report(res: dict[str, Any], label: str = "") -> str:
    cold, warm = res["cold"], res.get("rebuild")
    if warm is None:  # --cold-only
        return "\n".join([f"== {label + ': ' if label else ''}{res['tables_requested']:,} tables, cold build only: "
                          f"{cold['relations']:,} relations, {cold['pages']:,} pages, {cold['total']:.1f} s "
                          f"(mkdocs {cold['seconds']['mkdocs']:.1f} s) ==", *memory_lines(cold, "cold"),
                          f"site {cold['site_bytes'] / 1e6:.1f} MB"])
    first = res.get("first_rebuild")
    mib = 1 << 20
    lines = [
        f"== {label + ': ' if label else ''}{res['tables_requested']:,} tables: {cold['relations']:,} relations, {cold['pages']:,} pages, "
        f"{cold['diagrams']:,} diagrams (seed {res['seed']}) ==",
        f"{'stage':<12}{'cold s':>9}{'share':>8}{'rebuild s':>11}{'x cold':>8}",
    ]
    for name in REPORTED:
        c, w = cold["seconds"][name], warm["seconds"][name]
        lines.append(f"{name:<12}{c:>9.2f}{c / cold['total']:>8.0%}{w:>11.2f}{w / c if c > 0.005 else 0:>8.2f}")
    lines.append(f"{'total':<12}{cold['total']:>9.2f}{1:>8.0%}{warm['total']:>11.2f}{warm['total'] / cold['total']:>8.2f}")
    per_k = cold["index_bytes"] / cold["index_pages"] * 1000 / 1e6

    def rebuilt(b: dict[str, Any]) -> str:
        if b["rebuilt_files"] is None:
            return "all (full build)"
        if b.get("rendered_pages") is None:  # a baseline that counts pages and copied files together
            return f"{b['rebuilt_files']} files"
        return f"{b['rendered_pages']} pages (and copied {b['rebuilt_files'] - b['rendered_pages']} changed files)"
    lines += [
        f"peak RSS: cold {cold['peak_rss_bytes'] / mib:.0f} MiB (largest child process "
        f"{cold.get('peak_child_rss_bytes', 0) / mib:.0f} MiB), rebuild {warm['peak_rss_bytes'] / mib:.0f} MiB",
        *memory_lines(cold, "cold"), *memory_lines(warm, "rebuild"),
        f"site {cold['site_bytes'] / 1e6:.1f} MB (largest column index page {cold['column_index_bytes'] / 1e6:.1f} MB); "
        f"search index {cold['index_bytes'] / 1e6:.2f} MB, {cold['index_docs']:,} entries over "
        f"{cold['index_pages']:,} pages = {per_k:.2f} MB per 1,000 pages",
        *([f"first migration (ADD COLUMN on {res['first_migrated']}): {first['pages_changed']} pages "
           f"changed, {first['diagrams_drawn']} diagrams drawn anew, MkDocs rendered {rebuilt(first)}; "
           f"{first['total']:.1f} s = {first['total'] / cold['total']:.0%} of cold"] if first else []),
        f"migration (ADD COLUMN on {res['migrated']}): {warm['pages_changed']} of {warm['pages']:,} pages changed, "
        f"{warm['diagrams_drawn']} of {warm['diagrams']:,} diagrams drawn anew, MkDocs rendered {rebuilt(warm)}; "
        f"rebuild {warm['total']:.1f} s = {warm['total'] / cold['total']:.0%} of the cold build",
        *([f"CPU time (build, without introspection): cold {cold['cpu_seconds']:.1f} s, rebuild "
           f"{warm['cpu_seconds']:.1f} s = {warm['cpu_seconds'] / cold['cpu_seconds']:.0%}; this process's, by stage, "
           "cold/rebuild: " + ", ".join(f"{k} {cold['cpu_stage_seconds'][k]:.1f}/{warm['cpu_stage_seconds'][k]:.1f}"
                                        for k in STAGES if k != "introspect")] if "cpu_seconds" in cold else []),
    ]
    return "\n".join(lines)


def peak(run: dict[str, Any]) -> int:
    """The build's peak memory: the largest sum of the RSS of the build and every process it
    started, alive at the same moment (`bench.memory_sampler`). (Before, this was the build's own
    peak plus its largest child's, which over-counts when they peak apart and under-counts when
    several MkDocs processes run at once; kept as the fallback for figures without a sample.)"""
    if run.get("memory", {}).get("sum_rss"):
        return int(run["memory"]["sum_rss"])
    return int(run["peak_rss_bytes"] + run.get("peak_child_rss_bytes", 0))


def stage_at(run: dict[str, Any], when: float) -> str:
    """The timed stage running at `when` (time.time()), else "other"."""
    inner = [m for m in run.get("marks", []) if m[1] <= when <= m[2]]
    return min(inner, key=lambda m: m[2] - m[1])[0] if inner else "other"


def memory_lines(run: dict[str, Any], label: str) -> list[str]:
    """The sampled memory of one build: the peak of the sum, of the build alone, of each child."""
    mem = run.get("memory")
    if not mem or not mem.get("sum_rss"):
        return []
    mib = 1 << 20
    at = ", ".join(f"{k} {v / mib:.0f}" for k, v in mem["at_peak"].items())
    each = ", ".join(f"{k} {v / mib:.0f} MiB (at most {mem['most_at_once'].get(k, 1)} at once)"
                     for k, v in sorted(mem["others"].items(), key=lambda kv: -kv[1])[:3])
    marks = "; ".join(f"{m[0]} ends at {m[3] / mib:.0f}" for m in run.get("marks", []))
    return [f"memory, {label}: peak of the sum {mem['sum_rss'] / mib:.0f} MiB RSS ({mem['sum_pss'] / mib:.0f} MiB PSS) "
            f"during {stage_at(run, mem['at'])} (MiB: {at}); the build alone {mem['root'] / mib:.0f} MiB; "
            f"each child: {each or 'none'}",
            f"  build RSS (MiB) as stages end: {marks}"]


def compare(res: dict[str, Any]) -> str:
    """The four targets of issue 15, baseline against new, and the bytes per kind of file."""
    base, new = res["baseline"], res
    mib = 1 << 20
    rows = [
        ("site size", f"{base['cold']['site_bytes'] / 1e6:.0f} MB", f"{new['cold']['site_bytes'] / 1e6:.0f} MB",
         new["cold"]["site_bytes"] <= SITE_TARGET),
        ("cold build", f"{base['cold']['total']:.1f} s", f"{new['cold']['total']:.1f} s",
         new["cold"]["total"] <= COLD_TARGET),
        *([("rebuild / cold", f"{base['rebuild']['total'] / base['cold']['total']:.0%}",
            f"{new['rebuild']['total'] / new['cold']['total']:.0%}",
            new["rebuild"]["total"] <= REBUILD_TARGET * new["cold"]["total"]),
           ("rebuild CPU", f"{base['rebuild']['cpu_seconds'] / base['cold']['cpu_seconds']:.0%}",
            f"{new['rebuild']['cpu_seconds'] / new['cold']['cpu_seconds']:.0%}",
            new["rebuild"]["cpu_seconds"] <= REBUILD_TARGET * new["cold"]["cpu_seconds"])] if "rebuild" in new else []),
        ("peak memory", f"{peak(base['cold']) / mib:.0f} MiB", f"{peak(new['cold']) / mib:.0f} MiB",
         peak(new["cold"]) <= MEMORY_TARGET),
    ]
    lines = [f"== {res['tables_requested']:,} tables, baseline vs new, same run ==",
             f"{'':<16}{'baseline':>12}{'new':>12}  target (issue 15, at 10,000 tables)"]
    lines += [f"{name:<16}{b:>12}{n:>12}  {'met' if ok else 'NOT met'}" for name, b, n, ok in rows]
    lines.append(f"{'kind':<20}{'files':>8}{'baseline MB':>13}{'new MB':>9}{'KB/file before':>16}{'after':>8}")
    kinds_b, kinds_n = base["cold"]["kinds"], new["cold"]["kinds"]
    for kind in sorted(set(kinds_b) | set(kinds_n), key=lambda k: -kinds_b.get(k, [0, 0])[0]):
        (bb, bc), (nb, nc) = kinds_b.get(kind, [0, 0]), kinds_n.get(kind, [0, 0])
        lines.append(f"{kind:<20}{nc:>8,}{bb / 1e6:>13.1f}{nb / 1e6:>9.1f}{bb / max(bc, 1) / 1e3:>16.1f}"
                     f"{nb / max(nc, 1) / 1e3:>8.1f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["--child"]:
        print(json.dumps(child_build(args[1], Path(args[2]))))
        return 0
    parser = argparse.ArgumentParser(prog="python -m bench.bench_site", description=__doc__.split("\n\n")[0])
    parser.add_argument("--tables", type=int, nargs="+", default=[1000], metavar="N", help="table counts (default 1000)")
    parser.add_argument("--seed", type=int, default=0, help="synthetic schema seed (default 0)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the figures as JSON")
    parser.add_argument("--baseline", type=Path, metavar="DIR",
                        help="another checkout (with its own .venv) built side by side, e.g. a git worktree of main")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="keep the built sites in DIR (N-new, N-baseline)")
    parser.add_argument("--no-first-rebuild", action="store_true",
                        help="one migration and rebuild after the cold build instead of two")
    parser.add_argument("--cold-only", action="store_true", help="the cold build alone, no migration or rebuild")
    parsed = parser.parse_args(args)
    results = []
    for n in parsed.tables:
        results.append(bench_size(n, parsed.seed, parsed.baseline, parsed.keep,
                                  not parsed.no_first_rebuild and not parsed.cold_only, not parsed.cold_only))
        if parsed.json:  # rewritten after each size, so a long run keeps what it has
            parsed.json.write_text(json.dumps({"results": results}, indent=1) + "\n", encoding="utf-8")
        if parsed.baseline:
            print(report({**results[-1], **results[-1]["baseline"]}, "baseline") + "\n", flush=True)
        print(report(results[-1], "new") + "\n", flush=True)
        if parsed.baseline:
            print(compare(results[-1]) + "\n", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
