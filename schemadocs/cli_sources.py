"""What a command reads: the options that name a database, a snapshot or the project file,
and the catalog they give.

In: a command's parsed options (`--dsn` and the timeouts, `--snapshot`, `--config`,
`--database`). Out: click decorators for those options, the project file's databases the
command works on, and the `Catalog` of one of them (read-only introspection or a snapshot,
selected by `--include`/`--exclude`), with progress on stderr.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

import click

from schemadocs import progress
from schemadocs.errors import ConfigError
from schemadocs.model import Catalog


def read_one(db: dict[str, Any], snapshot_file: Path | None, config_file: Path | None, database: str | None,
                 command: str) -> Catalog:
    """The catalog of a command that reads one database: --dsn/--snapshot, else the project
    file's database --database names (or its only one), else the usual default DSN."""
    from schemadocs.multisite.commands import one

    picked = one(chosen_databases(config_file, database, snapshot_file is not None or bool(db.get("dsn"))), command)
    return read_database(db, picked) if picked is not None else read_catalog(db, snapshot_file)


def read_catalog(db: dict[str, Any], snapshot_file: Path | None = None, *, stats: bool | None = None,
          strict: bool = True) -> Catalog:
    """The catalog of a command's --snapshot or database options, selected by --include and
    --exclude (`load_catalog`); says what was read from a database, and which sizes were skipped."""
    from schemadocs.load import Source, load_catalog
    from schemadocs.project.selection import Selection

    if snapshot_file is not None and db.get("dsn"):
        raise ConfigError("pass either --dsn or --snapshot, not both")
    source = Source(dsn=db.get("dsn"), snapshot=snapshot_file,
                    stats=db.get("stats", True) if stats is None else stats,
                    statement_timeout=db.get("statement_timeout", 60.0), lock_timeout=db.get("lock_timeout", 2.0))
    started = time.perf_counter()
    selection = Selection(tuple(db.get("include", ())), tuple(db.get("exclude", ())), strict)
    if snapshot_file is not None:
        with progress.stage("load snapshot"):
            return load_catalog(source, selection)
    catalog = load_catalog(source, selection)  # introspection reports its own stage, query by query
    progress.info(f"read {len(catalog.relations)} relations in {len(catalog.schemas)} schemas from "
                  f"{catalog.database!r} ({time.perf_counter() - started:.2f}s)")
    if catalog.skipped_sizes:
        shown = ", ".join(str(q) for q in catalog.skipped_sizes[:5])
        more = f" and {len(catalog.skipped_sizes) - 5} more" if len(catalog.skipped_sizes) > 5 else ""
        progress.warning(f"sizes skipped for {len(catalog.skipped_sizes)} relations locked by another session "
                         f"({shown}{more}); rerun later for complete sizes")
    return catalog


def database_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """--dsn and the timeouts, shared by every command that reads a database."""
    @click.option("--dsn", help="Database to document (URI or 'key=value' string). "
                  "Default: $DATABASE_URL, then libpq's PG* variables.")
    @click.option("--statement-timeout", default=60.0, show_default=True, type=Seconds(0.1),
                  help="Seconds any one catalog query may run.")
    @click.option("--lock-timeout", default=2.0, show_default=True, type=Seconds(0.01),
                  help="Seconds to wait for a lock before giving up (never queue behind a migration).")
    @click.option("--stats/--no-stats", default=True, show_default=True,
                  help="Read row estimates, sizes, vacuum/analyze times and scan counts (never column values).")
    @click.option("--include", multiple=True, metavar="GLOB",
                  help="Only these schemas (GLOB) or relations (SCHEMA_GLOB.NAME_GLOB); repeatable.")
    @click.option("--exclude", multiple=True, metavar="GLOB",
                  help="Leave out these schemas or relations (same syntax); repeatable; wins over --include.")
    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return fn(*args, **kwargs)
    return wrapper


def database_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    """--database NAME: one of the project file's `databases:` (schemadocs.multisite.commands)."""
    return click.option("--database", "database", metavar="NAME",
                        help="Work on this database of the project file's databases: (default: all of them, "
                             "where the command takes several).")(fn)


def chosen_databases(config_file: Path | None, name: str | None, explicit: bool,
                     project: Any = None) -> tuple[Any, ...]:
    """The project file's databases the command works on (`multisite.commands.chosen`); with
    --dsn or --snapshot alone, none, and the project file is not read for them. `project`: the
    file as the command already loaded it (`project.file.load`), not read again."""
    from schemadocs.multisite.commands import chosen
    from schemadocs.project.databases import load as load_databases
    from schemadocs.project.file import load

    if explicit and name is None:
        return ()
    return chosen(load_databases(project if project is not None else load(config_file)), name, explicit)


def read_database(db: dict[str, Any], database: Any, **kwargs: Any) -> Catalog:
    """The catalog of one of the project file's databases, read with the command's options."""
    from schemadocs.project.databases import dsn_of

    if database.snapshot is not None:
        return read_catalog({**db, "dsn": None}, database.snapshot, **kwargs)
    return read_catalog({**db, "dsn": dsn_of(database)}, **kwargs)


def project_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    """--config FILE, the project file (`schemadocs.yml`), shared by every command that reads it;
    `--project` is its old name, kept as a hidden alias."""
    @click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path),
                  help="Project file (descriptions, owners, labels, viewpoints, checks). "
                       "Default: ./schemadocs.yml when it exists.")
    @click.option("--project", "project_alias", hidden=True, type=click.Path(dir_okay=False, path_type=Path))
    @wraps(fn)
    def wrapper(*args: Any, project_alias: Path | None = None, **kwargs: Any) -> Any:
        if project_alias is not None:
            if kwargs.get("config_file") is not None:
                raise ConfigError("pass the project file once, with --config (--project is its old name)")
            kwargs["config_file"] = project_alias
        return fn(*args, **kwargs)
    return wrapper


class Seconds(click.ParamType):
    """A finite number of seconds within [low, high] (PostgreSQL keeps timeouts as int milliseconds)."""

    name = "seconds"

    def __init__(self, low: float, high: float = 2_147_483.0) -> None:
        self.low, self.high = low, high

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> float:
        try:
            seconds = float(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a number of seconds", param, ctx)
        if not (math.isfinite(seconds) and self.low <= seconds <= self.high):
            self.fail(f"{value} is not between {self.low:g} and {self.high:.0f} seconds", param, ctx)
        return seconds
