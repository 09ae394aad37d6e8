"""Profile of the incremental rebuild after a one-table migration (issue 15).

In: a table count (`--tables 300`). Out: on stdout, the rebuild's time per part (cumulative
seconds of the functions that make it up under cProfile, and their share of the rebuild),
then cProfile's top functions by cumulative time. Not a pytest test; a profile slows every
Python call, so the shares, not the seconds, are what it says.

A fresh embedded PostgreSQL gets `bench.synthetic`'s schema (ANALYZEd); a cold build, then
`ALTER TABLE ... ADD COLUMN` on one table (`bench.bench_site.migrate_one_table`) and the
rebuild under the profiler, both with `schemadocs.build.build` in this process.

    .venv/bin/python -m bench.profile_rebuild --tables 300 [--top 40]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import tempfile
import time
from pathlib import Path

# (label, module path fragment, function name): the parts of a rebuild, as cProfile names them
PARTS = (
    ("whole rebuild", "schemadocs/build.py", "build"),
    ("lint, contexts, diagrams, pages (render_database)", "schemadocs/build.py", "render_database"),
    ("  page contexts", "render/render_site.py", "page_contexts"),
    ("  pages (templates or page cache)", "render/render_site.py", "render_pages"),
    ("  clean .md copies", "render/render_site.py", "clean_pages"),
    ("  api/ files", "schemadocs/api/static.py", "api_files"),
    ("write pages (sync_pages)", "schemadocs/build.py", "sync_pages"),
    ("files for machines (llms)", "render/llms.py", "machine_files"),
    ("MkDocs and swap (run_mkdocs)", "schemadocs/build.py", "run_mkdocs"),
    ("  plan (hash the docs dir)", "schemadocs/incremental.py", "plan"),
    ("  prepare (previous site into staging)", "schemadocs/incremental.py", "prepare"),
    ("  MkDocs' dirty build", "mkdocs/commands/build.py", "build"),
    ("  merge the search index", "schemadocs/incremental.py", "merge_search_index"),
    ("  write the files for machines", "schemadocs/build.py", "write_extra"),
    ("  build record", "schemadocs/incremental.py", "write_stamp"),
    ("  switch", "schemadocs/swap.py", "switch"),
    ("  remove the work folder", "schemadocs/swap.py", "_remove"),
    ("  hand the old site to the detached remover", "schemadocs/detached_remove.py", "remove_later"),
)


def part_times(stats: pstats.Stats) -> list[tuple[str, float]]:
    """Cumulative seconds of each part in `PARTS` (0 when it did not run)."""
    found: dict[str, float] = {}
    for (filename, _, name), (_, _, _, cumulative, _) in stats.stats.items():  # type: ignore[attr-defined]
        for label, fragment, function in PARTS:
            if name == function and filename.replace("\\", "/").endswith(fragment):
                found[label] = found.get(label, 0.0) + cumulative
    return [(label, found.get(label, 0.0)) for label, _, _ in PARTS]


def main(argv: list[str] | None = None) -> int:
    from bench.bench_site import load_synthetic, migrate_one_table, new_project
    from schemadocs.build import build
    from schemadocs.embedded import embedded
    from schemadocs.introspect.introspect import introspect

    parser = argparse.ArgumentParser(prog="python -m bench.profile_rebuild", description=__doc__.split("\n\n")[0])
    parser.add_argument("--tables", type=int, default=300)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args(argv)
    with embedded() as server, tempfile.TemporaryDirectory(prefix="profile-rebuild-") as tmp:
        dsn = load_synthetic(server, f"profile_{args.tables}", args.tables, args.seed)
        project = new_project(Path(tmp))
        started = time.perf_counter()
        build(introspect(dsn), project / "site", project / "mkdocs.yml")
        cold = time.perf_counter() - started
        migrate_one_table(dsn, 1)
        catalog = introspect(dsn)
        profiler = cProfile.Profile()
        started = time.perf_counter()
        profiler.enable()
        result = build(catalog, project / "site", project / "mkdocs.yml")
        profiler.disable()
        rebuild = time.perf_counter() - started
    stats = pstats.Stats(profiler)
    parts = part_times(stats)
    whole = parts[0][1] or 1.0
    print(f"{args.tables} tables: cold build {cold:.1f} s; rebuild {rebuild:.1f} s under the profiler; "
          f"MkDocs rendered {result.rendered_pages} pages")
    for label, seconds in parts:
        print(f"{label:<52}{seconds:>8.2f} s{seconds / whole:>7.0%}")
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(args.top)
    print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
