"""`check` and `suggest-relations` with the project file's databases (`comments` reads one:
`cli_sources.read_one`, where several without `--database` is an error).

In: the databases a command chose (`cli_sources.chosen_databases`: the one `--database NAME`
names, else all of them; none with `--dsn`/`--snapshot`) and what the command was given.
Out: what each command works on:

- `check` compares live databases with committed snapshots (`check_each`): `check_pairs` gives each database
  with its snapshot, the `--snapshot` file for one database, or `DIR/<name>.json` in a
  directory `snapshot --out DIR` wrote, one per database (each output labelled); a database
  the project file reads from a snapshot file has nothing live to compare and is left out
  (with a warning line; named alone, an error).
- `suggest-relations` runs on each database (`suggest_each`): `suggest_database` refuses
  `--check-data` for a database given by a snapshot file; `suggest_yaml.to_yaml_each` labels
  each database's candidates.
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path
from typing import Any

from schemadocs import progress
from schemadocs.errors import ChangesFound, ConfigError
from schemadocs.multisite.commands import snapshot_in
from schemadocs.project.databases import Database, dsn_of


def check_each(db: dict[str, Any], chosen: tuple[Database, ...], snapshot: Path, fmt: str,
               database: str | None) -> None:
    """`check`: print the diff of each database that no longer matches its snapshot (labelled
    with its database when checked against a directory), then `ChangesFound`; `chosen` empty:
    the one database of --dsn (or the default) against the one file, as always."""
    from schemadocs.cli_sources import read_catalog, read_database
    from schemadocs.diff.diff import diff
    from schemadocs.diff.render import render
    from schemadocs.introspect.connect import redact, resolve_dsn
    from schemadocs.multisite.diff_dirs import compared

    if not chosen and snapshot.is_dir():
        raise ConfigError(f"--snapshot {snapshot} is a directory; pass the snapshot file to check the database "
                          "against (a directory of snapshots goes with the project file's databases:)")
    named = bool(chosen) and snapshot.is_dir()  # a directory of snapshots: each output labelled
    changed = []
    for each, committed_file in check_pairs(chosen, snapshot) if chosen else [(None, snapshot)]:
        committed = read_catalog({**db, "dsn": None}, committed_file)
        if each is None:
            live = read_catalog(db, stats=False, strict=False)  # a dropped schema is a change to report
            label = redact(resolve_dsn(db["dsn"])).strip("'")
        else:
            live, label = read_database(db, each, stats=False, strict=False), f"database {each.name}"
        result = dataclasses.replace(diff(committed, live), old=str(committed_file), new=label)
        if result:
            changed.append((each.name if each is not None and named else None, committed_file, result))
        else:
            progress.info(f"{committed_file} matches " + ("the database" if each is None else label))
    if not changed:
        return
    sys.stdout.write(compared([(name, r, render(r, fmt)) for name, _, r in changed], fmt))
    sys.stdout.flush()
    changes, breaking = sum(len(r.changes) for *_, r in changed), sum(len(r.breaking) for *_, r in changed)
    count = f"{changes} change{'s' if changes != 1 else ''}, {breaking} breaking"
    if not named:
        raise ChangesFound(f"the database no longer matches {changed[0][1]} ({count}); regenerate it with "
                           f"`schemadocs snapshot --no-stats -o {changed[0][1]}` and commit it")
    names = ", ".join(str(name) for name, _, _ in changed)
    again = f"schemadocs snapshot --no-stats --out {snapshot}" + (f" --database {database}" if database else "")
    raise ChangesFound(f"database{'s' if len(changed) != 1 else ''} {names} no longer "
                       f"match{'es' if len(changed) == 1 else ''} {snapshot} ({count}); regenerate with `{again}` "
                       "and commit it")


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


def suggest_each(db: dict[str, Any], chosen: tuple[Database, ...], snapshot: Path | None, patterns: tuple[str, ...],
                 known: list[tuple[Any, tuple[str, ...]]], check_data: bool, sample: int,
                 data_timeout: float) -> tuple[str, int, int]:
    """`suggest-relations` on each database `chosen` (none: --dsn, --snapshot or the default):
    the YAML to print, how many candidates, in how many databases."""
    from schemadocs.cli_sources import read_catalog, read_database
    from schemadocs.introspect.connect import resolve_dsn
    from schemadocs.project.orphans import count_orphans
    from schemadocs.project.suggest import suggest
    from schemadocs.project.suggest_yaml import to_yaml, to_yaml_each

    for each in chosen:  # --check-data on a snapshot fails before anything is read
        suggest_database(each, check_data)
    found = []  # (database name, candidates, orphans, database as the server names it), one per database
    for each in chosen or (None,):
        catalog = read_catalog(db, snapshot, stats=False) if each is None else read_database(db, each, stats=False)
        candidates = suggest(catalog, patterns, known)
        orphans = None
        if check_data and candidates:
            orphans = count_orphans(resolve_dsn(db.get("dsn")) if each is None else dsn_of(each), candidates, sample,
                                    statement_timeout_ms=int(data_timeout * 1000),
                                    lock_timeout_ms=int(db.get("lock_timeout", 2.0) * 1000))
        found.append(("" if each is None else each.name, candidates, orphans, catalog.database))
    text = to_yaml(*found[0][1:]) if len(found) == 1 else to_yaml_each(found)
    return text, sum(len(candidates) for _, candidates, _, _ in found), len(found)


def suggest_database(database: Database, check_data: bool) -> None:
    """Refuse `--check-data` on a database the project file reads from a snapshot file."""
    if check_data and database.snapshot is not None:
        raise ConfigError(f"database {database.name!r} is read from the snapshot file {database.snapshot.name}; "
                          "--check-data reads rows: pass --database NAME of a database with a DSN, or leave "
                          "--check-data out")
