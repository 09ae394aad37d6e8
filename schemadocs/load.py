"""The one entry point from a source to a catalog.

In: a `Source` (a DSN read live and read-only, or a snapshot file) and a `Selection`
(--include/--exclude). Out: the selected `Catalog`. Every command gets its catalog here, so
the selection is applied in one place and everything after works from the model alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from schemadocs.model import Catalog
from schemadocs.project.selection import Selection, select


@dataclass(frozen=True)
class Source:
    """Where a catalog comes from: `snapshot` when set, else the database at `dsn` (None:
    DATABASE_URL, else libpq's PG* variables), read with these timeouts and statistics."""

    dsn: str | None = None
    snapshot: Path | None = None
    stats: bool = True
    statement_timeout: float = 60.0  # seconds
    lock_timeout: float = 2.0


def load_catalog(source: Source, selection: Selection = Selection()) -> Catalog:
    """The catalog of `source`, restricted to `selection`."""
    if source.snapshot is not None:
        from schemadocs import snapshot

        return select(snapshot.load(source.snapshot), selection)
    from schemadocs.introspect.connect import resolve_dsn
    from schemadocs.introspect.introspect import introspect

    catalog = introspect(resolve_dsn(source.dsn), statement_timeout_ms=int(source.statement_timeout * 1000),
                         lock_timeout_ms=int(source.lock_timeout * 1000), stats=source.stats)
    return select(catalog, selection)
