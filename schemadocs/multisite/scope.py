"""The project file's annotations scoped to one database of several.

In: the project (descriptions, owners, labels, viewpoints), the virtual foreign keys and one
database's catalog. Out: what of them applies to that database. Descriptions, owners and
labels are given by name, and a name one database lacks is another's: every entry becomes
optional (`overlay.apply` skips what the catalog lacks). A viewpoint goes to the databases
where each of its table names or globs matches a relation and each of its labels is on an
object of the database; a virtual foreign key to the databases holding both its tables.
`check_named` keeps the house rule that a name the file gives must exist: each entry that is
not `optional:` must name an object of at least one of the databases.
"""

from __future__ import annotations

import dataclasses
from fnmatch import fnmatchcase

from schemadocs.errors import ConfigError
from schemadocs.model import Catalog, QualifiedName
from schemadocs.project.relations import VirtualRelation
from schemadocs.project.spec import Entry, Kind, Project, Viewpoint


def project_for(project: Project | None, catalog: Catalog) -> Project | None:
    """The project as it applies to `catalog` (see the module's docstring)."""
    if project is None or project.empty:
        return project
    entries = tuple(dataclasses.replace(e, optional=True) for e in project.entries)
    labelled = {label for e in entries if _present(e.kind, e.path, catalog) for label in e.labels}
    viewpoints = tuple(v for v in project.viewpoints if _applies(v, catalog, labelled))
    return dataclasses.replace(project, entries=entries, viewpoints=viewpoints)


def check_named(project: Project | None, catalogs: list[tuple[str, Catalog]]) -> None:
    """A `ConfigError` for the first entry (not `optional:`) that names an object no database holds."""
    for entry in project.entries if project is not None else ():
        if not entry.optional and not any(_holds(catalog, entry) for _, catalog in catalogs):
            names = ", ".join(name for name, _ in catalogs)
            raise ConfigError(f"{entry.where}: {entry.label} is in none of the databases ({names}); fix the name, "
                              "or mark it optional: true")


def virtual_for(catalog: Catalog, virtual: tuple[VirtualRelation, ...]) -> tuple[VirtualRelation, ...]:
    """The virtual foreign keys whose two tables `catalog` holds."""
    return tuple(v for v in virtual if catalog.relation(v.source) is not None and catalog.relation(v.target) is not None)


def _applies(viewpoint: Viewpoint, catalog: Catalog, labelled: set[str]) -> bool:
    for pattern in viewpoint.tables:
        schema_glob, _, name_glob = pattern.partition(".")
        if not any(fnmatchcase(r.schema, schema_glob) and fnmatchcase(r.name, name_glob or "*") for r in catalog.relations):
            return False
    return all(label in labelled for label in viewpoint.labels)


def _present(kind: Kind, path: tuple[str, ...], catalog: Catalog) -> bool:
    """Whether the relation an entry labels is in the catalog (labels select relations only)."""
    return kind is Kind.RELATION and catalog.relation(QualifiedName(path[0], path[1])) is not None


def _holds(catalog: Catalog, entry: Entry) -> bool:
    """Whether `catalog` has the object `entry` names (routines and types: their schema)."""
    schema = entry.path[0]
    if entry.kind is Kind.SCHEMA or entry.kind in (Kind.ROUTINE, Kind.TYPE):
        return any(s.name == schema for s in catalog.schemas)
    relation = catalog.relation(QualifiedName(schema, entry.path[1]))
    if relation is None:
        return False
    return entry.kind is Kind.RELATION or any(c.name == entry.path[2] for c in relation.columns)
