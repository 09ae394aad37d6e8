"""`serve --watch` over the project file's several databases: one site, rebuilt database by database.

In: the databases `serve` chose, the command's database options, the output folder, mkdocs.yml,
ER depth and the project file. Out: `LiveSite`, which builds the site of all the databases
once, says what to watch (each database: its catalog fingerprint for a DSN, its file for a
snapshot; and the project file), and after a change rebuilds only the part of the databases
that changed: only their catalogs are read again and only their pages rendered; the others'
rendered parts are kept in memory, so their pages are written unchanged and MkDocs renders
again only the changed pages and the home page (an incremental build, `schemadocs.incremental`,
when few pages changed). A change to the project file renders every database again with
its new settings (the databases themselves are the ones chosen when serving started).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from schemadocs import progress
from schemadocs.build import Rendered, check_output
from schemadocs.cli_build import ProjectSettings, project_settings, report_build
from schemadocs.cli_sources import read_database
from schemadocs.model import Catalog
from schemadocs.multisite.build import build_parts, render_part
from schemadocs.multisite.scope import check_named
from schemadocs.project.databases import Database, dsn_of
from schemadocs.watch import Source, database_source, file_source

if TYPE_CHECKING:
    from schemadocs.build import BuildResult

PROJECT = "the project file"


@dataclass
class LiveSite:
    """The site of several databases, kept with each database's catalog and rendered part."""

    db: dict[str, Any]  # the command's database options (timeouts, --include/--exclude, --stats)
    chosen: tuple[Database, ...]
    out_dir: Path
    mkdocs_file: Path | None
    er_depth: int
    config_file: Path | None
    catalogs: dict[str, Catalog] = field(default_factory=dict)
    parts: dict[str, Rendered] = field(default_factory=dict)
    diagrams: str = "auto"  # inline, packed or auto (render.packed_diagrams)

    def build(self, changed: tuple[str, ...] | None = None) -> BuildResult:
        """Build the site: every database (`changed` None, or the project file among it), else
        only the databases `changed` names (by `label`) read and rendered again."""
        import time

        started = time.perf_counter()
        settings = project_settings(self.config_file)
        again = {d.name for d in self.chosen} if changed is None or PROJECT in changed else \
            {d.name for d in self.chosen if label(d) in changed}
        catalogs = {**self.catalogs, **{d.name: read_database(self.db, d) for d in self.chosen if d.name in again}}
        loaded = [(d, catalogs[d.name]) for d in self.chosen]
        config_file, docs_dir = check_output(self.out_dir, self.mkdocs_file)
        check_named(settings.project, [(d.name, catalog) for d, catalog in loaded])
        parts = {**self.parts, **{d.name: self._render(d, catalogs[d.name], docs_dir, settings)
                                  for d in self.chosen if d.name in again}}
        if changed is not None:
            kept = [d.name for d in self.chosen if d.name not in again]
            progress.info(f"rendered again: {', '.join(sorted(again)) or 'nothing'}"
                          + (f"; kept as they were: {', '.join(kept)}" if kept else ""))
        result = build_parts(loaded, [parts[d.name] for d in self.chosen], self.out_dir, config_file, docs_dir,
                             diagrams=self.diagrams)
        self.catalogs, self.parts = catalogs, parts  # only once the site is built: a failed build keeps the last
        return report_build(result, started)

    def _render(self, database: Database, catalog: Catalog, docs_dir: Path, settings: ProjectSettings) -> Rendered:
        return render_part(database, catalog, docs_dir, None, self.er_depth, settings.checks, settings.virtual,
                           settings.project, settings.families)

    def sources(self, project_file: Path) -> list[Source]:
        """What to watch: each database (its catalog, or its snapshot file), then the project file."""
        return [*(one_source(self.db, d) for d in self.chosen), Source(PROJECT, file_source(project_file).fingerprint)]


def one_source(db: dict[str, Any], database: Database) -> Source:
    """A database of the project file as watched: its catalog's fingerprint, or its snapshot file."""
    if database.snapshot is not None:
        return Source(label(database), file_source(database.snapshot).fingerprint)
    return Source(label(database), database_source(dsn_of(database), round(db["lock_timeout"] * 1000)).fingerprint)


def label(database: Database) -> str:
    """How a watched database is named in the watch's messages."""
    return f"database {database.name}"
