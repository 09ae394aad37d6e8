"""The home page of a site of several databases: the databases side by side.

In: per database, its project-file entry, the catalog its pages show and its lint report.
Out: `DatabasesPage`, the context of `databases.md.j2` (the site's `index.md`): one column per
database, and rows for the objects by kind, the documentation coverage and the health findings
by level, each database's name linking to its own home page (`<name>/index.md`) and its health
counts to its Health page.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from schemadocs.checks.engine import Report
from schemadocs.checks.finding import Level
from schemadocs.model import Catalog
from schemadocs.project.databases import Database
from schemadocs.render.contexts import Link, coverage, home_page
from schemadocs.render.slugs import HEALTH_PAGE, HOME_PAGE, UNDOCUMENTED_PAGE, relative_html


@dataclass(frozen=True)
class DatabaseColumn:
    link: Link  # to the database's home page
    database: str  # the name PostgreSQL gives it
    server_version: str
    source: str  # where it was read from, never a DSN
    description: str | None


@dataclass(frozen=True)
class CompareRow:
    label: str
    cells: tuple[Link, ...]  # one per database, in the columns' order; href None: plain text


@dataclass(frozen=True)
class DatabasesPage:
    path: str
    databases: tuple[DatabaseColumn, ...]
    objects: tuple[CompareRow, ...]
    coverage: tuple[CompareRow, ...]
    health: tuple[CompareRow, ...]


def databases_page(parts: list[tuple[Database, Catalog, Report]]) -> DatabasesPage:
    """The comparison of `parts` (database entry, the catalog its pages show, its lint report)."""
    columns = tuple(DatabaseColumn(Link(db.name, relative_html(HOME_PAGE, f"{db.name}/{HOME_PAGE}")), catalog.database,
                                   catalog.server_version, db.shown_source, db.description)
                    for db, catalog, _ in parts)
    counts = [dict(home_page(catalog).counts) for _, catalog, _ in parts]
    labels = list(dict.fromkeys(label for found in counts for label in found))
    objects = tuple(CompareRow(label, tuple(Link(str(found.get(label, 0)), None) for found in counts))
                    for label in labels)
    covered = [{what: (documented, total) for what, documented, total, _ in coverage(catalog)} for _, catalog, _ in parts]
    undocumented = [relative_html(HOME_PAGE, f"{db.name}/{UNDOCUMENTED_PAGE}") for db, _, _ in parts]
    coverage_rows = tuple(
        CompareRow(what, tuple(Link(_share(*found.get(what, (0, 0))), href) for found, href in zip(covered, undocumented)))
        for what in dict.fromkeys(what for found in covered for what in found))
    per_level = [Counter(f.level for f in report.findings) for _, _, report in parts]
    health_pages = [relative_html(HOME_PAGE, f"{db.name}/{HEALTH_PAGE}") for db, _, _ in parts]
    health = tuple(CompareRow(level.value, tuple(Link(str(found[level]), href) for found, href in zip(per_level, health_pages)))
                   for level in Level)
    return DatabasesPage(HOME_PAGE, columns, objects, coverage_rows, health)


def _share(documented: int, total: int) -> str:
    """`3 of 4 (75%)`; `none` when there is nothing to document."""
    return f"{documented} of {total} ({documented * 100 // total}%)" if total else "none"
