"""The commands that serve a site on localhost: `demo` (an embedded PostgreSQL with the demo
schema, built and served) and `serve` (a database's or a snapshot's site, with `--watch`
rebuilding it as the schema changes).

In: the command's options. Out: the site built into `--out` and served until Ctrl-C; errors are
raised as `SchemadocsError`s, which `cli.main` alone turns into exit codes.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import click

from schemadocs import progress
from schemadocs.cli_build import build_chosen, build_one, diagrams_option, project_settings
from schemadocs.cli_conventions import feedback_options
from schemadocs.cli_sources import (
    Seconds,
    chosen_databases,
    database_option,
    database_options,
    project_option,
    read_catalog,
)
from schemadocs.errors import ConfigError


@click.command()
@feedback_options
@click.option("--serve/--no-serve", default=True, show_default=True, help="Serve the site until Ctrl-C.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--out", "out_dir", default="site", show_default=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("--mkdocs-config", "config_file", type=click.Path(dir_okay=False, path_type=Path),
              help="mkdocs.yml to build with. Default: ./mkdocs.yml, else the bundled one.")
def demo(serve: bool, host: str, port: int, out_dir: Path, config_file: Path | None) -> None:
    """Start an embedded PostgreSQL, load the demo schema, build its site and serve it."""
    from schemadocs.embedded import DEMO_DATABASE, create_database, demo_sql, embedded
    from schemadocs.serve import bind, serve_forever

    from schemadocs.build import check_output

    check_output(out_dir, config_file)  # fail fast when --out is refused
    server = bind(host, port) if serve else None  # fail fast when the port is busy
    try:
        started = time.perf_counter()
        with embedded() as server_dsn:
            dsn = create_database(server_dsn, DEMO_DATABASE, demo_sql())
            progress.info(f"loaded the demo schema into an embedded PostgreSQL ({time.perf_counter() - started:.1f}s)")
            catalog = read_catalog({"dsn": dsn})
        result = build_one(catalog, out_dir, config_file)
        if server is not None:
            progress.info(f"serving {result.out_dir} on http://{host}:{server.server_address[1]}/ (Ctrl-C to stop)")
            serve_forever(server, result.out_dir)
    finally:
        if server is not None:
            server.server_close()


@click.command("serve")
@database_options
@feedback_options
@click.option("--snapshot", "snapshot_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Serve the site of a snapshot file instead of a database.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port to serve on (0: any free port, printed).")
@click.option("--out", "out_dir", default="site", show_default=True, type=click.Path(file_okay=False, path_type=Path),
              help="Directory the site is built into.")
@click.option("--mkdocs-config", "mkdocs_file", type=click.Path(dir_okay=False, path_type=Path),
              help="mkdocs.yml to build with. Default: ./mkdocs.yml, else the bundled one.")
@project_option
@click.option("--er-depth", default=1, show_default=True, type=click.IntRange(1, 3),
              help="Foreign-key hops each table's ER diagram reaches.")
@click.option("--watch", is_flag=True, help="Rebuild when the schema (--dsn), the snapshot file, one of the "
              "project file's databases or the project file changes; open pages reload by themselves.")
@click.option("--interval", default=2.0, show_default=True, type=Seconds(0.1, 3600),
              help="Seconds between two looks for changes (--watch).")
@diagrams_option
@database_option
def serve_command(snapshot_file: Path | None, host: str, port: int, out_dir: Path, mkdocs_file: Path | None,
                  config_file: Path | None, er_depth: int, watch: bool, interval: float, diagrams: str,
                  database: str | None, **db: Any) -> None:
    """Build the site and serve it on localhost until Ctrl-C; with --watch, follow the schema as it changes."""
    from schemadocs.build import check_output
    from schemadocs.multisite.live import LiveSite, one_source
    from schemadocs.project.file import DEFAULT
    from schemadocs.serve import LiveReload, bind, serve_in_background
    from schemadocs.watch import Source, database_source, file_source, fingerprints, watch as watch_sources

    if snapshot_file is not None and db.get("dsn"):
        raise ConfigError("pass either --dsn or --snapshot, not both")
    check_output(out_dir, mkdocs_file)  # fail fast when --out is refused
    project_settings(config_file)  # and when the project file is bad
    chosen = chosen_databases(config_file, database, snapshot_file is not None or bool(db.get("dsn")))
    server = bind(host, port)  # and when the port is busy
    live = LiveReload() if watch else None
    several = LiveSite(db, chosen, out_dir, mkdocs_file, er_depth, config_file, diagrams=diagrams) \
        if len(chosen) > 1 else None

    def build_once(changed: tuple[str, ...] | None = None) -> Path:
        if several is not None:  # several databases: only the changed ones are read and rendered again
            return several.build(changed).out_dir
        return build_chosen(db, chosen, snapshot_file, out_dir, mkdocs_file, None, er_depth,
                            project_settings(config_file), diagrams=diagrams).out_dir

    sources: list[Source] = []
    if live is not None:  # what to watch, read before the first build: a change made during it is seen
        from schemadocs.introspect.connect import resolve_dsn

        if several is not None:
            sources = several.sources(config_file or DEFAULT)
        elif chosen:  # the project file's one database
            sources = [one_source(db, chosen[0]), file_source(config_file or DEFAULT)]
        else:
            sources = [file_source(snapshot_file) if snapshot_file is not None
                       else database_source(resolve_dsn(db.get("dsn")), round(db["lock_timeout"] * 1000))]
            sources.append(file_source(config_file or DEFAULT))
    baseline = fingerprints(sources)
    thread = None
    try:
        site = build_once()
        thread = serve_in_background(server, site, live)
        progress.info(f"serving {site} on http://{host}:{server.server_address[1]}/ (Ctrl-C to stop)")
        progress.current().settle()
        if live is None:
            threading.Event().wait()  # until Ctrl-C
        else:
            def rebuild(changed: tuple[str, ...]) -> None:
                build_once(changed)
                live.bump()
                progress.info(f"rebuilt; open pages reload (version {live.version})")
                progress.current().settle()
            watch_sources(sources, rebuild, interval, baseline=baseline, ready=lambda: progress.info(
                f"watching {', '.join(s.label for s in sources[:-1])} every {interval:g}s"))
    except KeyboardInterrupt:
        progress.info("stopped")
    finally:
        if thread is not None:
            server.shutdown()
        server.server_close()
