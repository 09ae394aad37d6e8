"""`check` and `suggest-relations` with the project file's databases (`comments` reads one:
`cli_sources.read_one`, where several without `--database` is an error).

In: the databases a command chose (`cli_sources.chosen_databases`: the one `--database NAME`
names, else all of them; none with `--dsn`/`--snapshot`) and what the command was given.
Out: what each command works on:

- `check` compares live databases with committed snapshots: `check_pairs` gives each database
  with its snapshot, the `--snapshot` file for one database, or `DIR/<name>.json` in a
  directory `snapshot --out DIR` wrote, one per database (each output labelled); a database
  the project file reads from a snapshot file has nothing live to compare and is left out
  (with a warning line; named alone, an error).
- `suggest-relations` runs on each database: `suggest_database` refuses `--check-data` for a
  database given by a snapshot file; `suggest_yaml.to_yaml_each` labels each database's candidates.
"""

from __future__ import annotations

from pathlib import Path

from schemadocs import progress
from schemadocs.errors import ConfigError
from schemadocs.multisite.commands import snapshot_in
from schemadocs.project.databases import Database


def check_pairs(chosen: tuple[Database, ...], snapshot: Path) -> list[tuple[Database, Path]]:
    """Each database `check` compares, with its committed snapshot (see the module's docstring)."""
    live = [d for d in chosen if d.snapshot is None]
    for d in chosen:
        if d.snapshot is not None and len(chosen) > 1:
            progress.warning(f"database {d.name!r} is read from the snapshot file {d.snapshot.name}: "
                             "nothing live to check; left out")
    if len(chosen) == 1 and not live:
        raise ConfigError(f"database {chosen[0].name!r} is read from the snapshot file {chosen[0].snapshot}: check "
                          "compares a live database with a snapshot; pass --database NAME of a database with a DSN")
    if not live:
        raise ConfigError("every database of the project file is read from a snapshot file: check compares live "
                          "databases; give them dsn: or dsn_env:")
    if snapshot.is_dir():
        return [(d, snapshot_in(snapshot, d.name)) for d in live]
    if len(live) > 1:
        raise ConfigError(f"the project file lists {len(live)} live databases ({', '.join(d.name for d in live)}); "
                          f"--snapshot {snapshot} is one snapshot: pass --database NAME, or --snapshot DIR (written "
                          "by `schemadocs snapshot --out DIR`) to check each against DIR/<name>.json")
    return [(live[0], snapshot)]


def suggest_database(database: Database, check_data: bool) -> None:
    """Refuse `--check-data` on a database the project file reads from a snapshot file."""
    if check_data and database.snapshot is not None:
        raise ConfigError(f"database {database.name!r} is read from the snapshot file {database.snapshot.name}; "
                          "--check-data reads rows: pass --database NAME of a database with a DSN, or leave "
                          "--check-data out")
