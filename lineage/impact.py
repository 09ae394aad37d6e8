"""What breaks if a column is dropped or its type changed, exactly as PostgreSQL decides.

In: the catalog and one table column. Out: `Impact`: the views and materialized views
that depend on the column directly (PostgreSQL's own column dependencies from pg_depend,
kept in `Relation.reads`) and those that would go with them, transitively, because they
read a dropped view. That is the set `ALTER TABLE ... DROP COLUMN ... CASCADE` drops and
the set that makes `ALTER COLUMN ... TYPE` fail.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from schemadocs.model import Catalog, ColumnRef, QualifiedName


@dataclass(frozen=True)
class Impact:
    column: ColumnRef
    direct: tuple[QualifiedName, ...]
    transitive: tuple[QualifiedName, ...]  # not direct, reached through dropped views

    @property
    def all(self) -> tuple[QualifiedName, ...]:
        return tuple(sorted(set(self.direct) | set(self.transitive)))


def impact(catalog: Catalog, column: ColumnRef) -> Impact:
    """The views and materialized views a change to `column` breaks."""
    direct = {
        view.qname
        for view in catalog.relations
        for read in view.reads
        if read.target == column.relation and column.column in read.columns
    }
    return Impact(column=column, direct=tuple(sorted(direct)), transitive=tuple(sorted(readers(catalog, direct) - direct)))


def readers(catalog: Catalog, relations: Iterable[QualifiedName]) -> set[QualifiedName]:
    """Every view and materialized view that reads one of `relations`, directly or through
    other views (`Catalog.read_by`, PostgreSQL's own dependencies), transitively."""
    todo = list(relations)
    seen: set[QualifiedName] = set()
    while todo:
        for reader in catalog.read_by.get(todo.pop(), ()):
            if reader.qname not in seen:
                seen.add(reader.qname)
                todo.append(reader.qname)
    return seen
