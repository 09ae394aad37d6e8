"""The sizes a plan's estimates use, from a snapshot taken with statistics (`--sizes FILE`).

In: the path of a snapshot (`schemadocs snapshot`, typically of production). Out: the size
in bytes of every table (its total: heap, indexes and TOAST) and index, by quote_ident-
qualified name, and how the plan names their source ("the snapshot FILE taken at ...").
A snapshot taken with `--no-stats` holds no sizes: that is a `ConfigError`.
"""

from __future__ import annotations

from pathlib import Path

from schemadocs import snapshot
from schemadocs.errors import ConfigError
from schemadocs.model import QualifiedName


def snapshot_sizes(path: Path) -> tuple[dict[str, int], str]:
    catalog = snapshot.load(path)
    if catalog.database_stats is None:
        raise ConfigError(f"{path} was taken with --no-stats and holds no sizes; take one with statistics "
                          f"(`schemadocs snapshot -o {path.name}` on the production database) for --sizes")
    sizes: dict[str, int] = {}
    for rel in catalog.relations:
        if rel.stats is not None and rel.stats.total_size is not None:
            sizes[str(rel.qname)] = rel.stats.total_size
        for index in rel.indexes:
            if index.size is not None:
                sizes[str(QualifiedName(rel.schema, index.name))] = index.size
    taken = catalog.database_stats.read_at
    return sizes, f"the snapshot {path}" + (f" taken at {taken}" if taken else "")
