"""What the commands share to work on the project file's databases, one or each in turn.

In: the `databases:` of the project file, the `--database NAME` a command was given and
whether `--dsn`/`--snapshot` name a source explicitly. Out: the databases the command works on
(`chosen`), each database's catalog loaded by the command's own loader (`load_each`), lint
findings labelled with their database (`labelled`, `merged`), the snapshot files of a
site or snapshot directory (`snapshot_in`, `names_in`) and the folder of a built site holding
one database's `catalog.json` (`site_catalog`). With no `databases:` (or an explicit source) the
commands work as they always have.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

from schemadocs.checks.engine import Report
from schemadocs.errors import ConfigError
from schemadocs.model import Catalog
from schemadocs.project.databases import Database, dsn_of, pick
from schemadocs.site_snapshot import NAMES, snapshot_file

LABEL = "{name}:{object}"  # a finding's object in a project of several databases


def chosen(databases: tuple[Database, ...], name: str | None, explicit: bool) -> tuple[Database, ...]:
    """The databases a command works on: none when `--dsn` or `--snapshot` names the source
    (`explicit`; with `--database` too, an error), else the one `--database` names, else all."""
    if explicit and name is not None:
        raise ConfigError("pass either --database NAME (from the project file) or --dsn/--snapshot, not both")
    return () if explicit else pick(databases, name)


def one(databases: tuple[Database, ...], command: str) -> Database | None:
    """The single database a command that reads one works on (None: the usual sources)."""
    if len(databases) > 1:
        raise ConfigError(f"the project file lists {len(databases)} databases ({', '.join(d.name for d in databases)}); "
                          f"`{command}` reads one: pass --database NAME")
    return databases[0] if databases else None


def load_each(databases: tuple[Database, ...], load: Callable[[str | None, Path | None], Catalog]
              ) -> list[tuple[Database, Catalog]]:
    """Each database with its catalog, read by `load(dsn, snapshot)` (the command's loader)."""
    return [(db, load(dsn_of(db), db.snapshot)) for db in databases]


def labelled(report: Report, name: str) -> Report:
    """The report with each finding's object prefixed by its database (`name:schema.table`), so
    a baseline tells two databases' findings apart; the fingerprint is the same whether the
    database is linted alone (`--database`) or with the others."""
    findings = tuple(sorted(dataclasses.replace(f, object=LABEL.format(name=name, object=f.object))
                            for f in report.findings))
    return dataclasses.replace(report, findings=findings)


def merged(reports: list[Report]) -> Report:
    """One report of several databases' (labelled) reports."""
    return Report(findings=tuple(sorted(f for r in reports for f in r.findings)),
                  rules_run=tuple(sorted({rule for r in reports for rule in r.rules_run})),
                  skipped_no_stats=tuple(sorted({rule for r in reports for rule in r.skipped_no_stats})))


def snapshot_in(directory: Path, name: str) -> Path:
    """A database's snapshot in a directory: `<name>.json` (`snapshot --out DIR`) or
    `<name>/catalog.json` (a built site; `catalog.json.gz` on a large one)."""
    own = directory / f"{name}.json"
    found = own if own.is_file() else snapshot_file(directory / name)
    if found is not None:
        return found
    raise ConfigError(f"{directory} holds no snapshot of database {name!r} ({name}.json or {name}/catalog.json); "
                      "pass the directory `snapshot --out` wrote or a site built from the project")


def names_in(directories: tuple[Path, ...]) -> tuple[str, ...]:
    """The databases the snapshot directories hold (`<name>.json` or `<name>/catalog.json`)."""
    found = set()
    for directory in directories:
        found |= {p.stem for p in directory.glob("*.json")} | set(_databases_in(directory))
    return tuple(sorted(found))


def site_catalog(site: Path, name: str | None) -> Path:
    """The folder of a built site holding the `catalog.json` to serve: the site itself, or with
    `--database NAME` the database's folder; a site of several databases needs `--database`."""
    if name is not None:
        if snapshot_file(site / name) is None:
            known = _databases_in(site)
            raise ConfigError(f"unknown database {name!r} in the site {site}" +
                              (f"; it documents {', '.join(known)}" if known else "; it documents one database: "
                               "leave --database out"))
        return site / name
    if snapshot_file(site) is None:
        known = _databases_in(site)
        if known:
            raise ConfigError(f"the site {site} documents {len(known)} databases ({', '.join(known)}); "
                              "pass --database NAME")
    return site


def _databases_in(site: Path) -> tuple[str, ...]:
    """The databases of a site of several: the folders holding a snapshot."""
    return tuple(sorted({p.parent.name for p in site.glob("*/catalog.json*") if p.name in NAMES}))
