"""The overlay: what the project file adds to the catalog, applied in one named step.

In: a `Catalog` (what the database says, left unchanged) and a `Project` (what the team
curates). Out: `Annotated`: the catalog, each object's effective description with where it
came from, owners (inherited downwards), labels, the viewpoints resolved to their tables, and
(hook, filled by `schemadocs.project.relations`) the virtual foreign keys. An object the file
names that the catalog lacks is an error naming the file and line, unless it is `optional` (or
outside the part of the catalog --include/--exclude selected).

Precedence, per object and field: a description is the database's comment when there is one,
else the file's; `override: true` makes the file's win for that object. Owners and labels come
from the file only. The overlay never enters a snapshot, a diff or a check.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from functools import cached_property
from typing import Any

from schemadocs.errors import ConfigError
from schemadocs.model import Catalog, QualifiedName, Relation, Routine
from schemadocs.project.spec import Entry, Kind, Project, Viewpoint

# ("schema", s) | ("relation", s, r) | ("column", s, r, c) | ("routine", s, name, arguments) | ("type", s, name)
ObjectKey = tuple[str, ...]
DATABASE = "database"
FILE = "project file"


@dataclass(frozen=True)
class Description:
    text: str
    source: str  # DATABASE or FILE
    where: str | None = None  # "FILE line N" when it came from the file
    shadowed: bool = False  # the file had one too, and the database's comment won


@dataclass(frozen=True)
class Owner:
    name: str
    inherited_from: str | None = None  # the schema it was inherited from


@dataclass(frozen=True)
class ResolvedViewpoint:
    viewpoint: Viewpoint
    tables: tuple[QualifiedName, ...]  # sorted


@dataclass(frozen=True)
class Annotated:
    catalog: Catalog  # the truth, unchanged
    project: Project
    descriptions: Mapping[ObjectKey, Description] = field(default_factory=dict)  # effective, for objects with one
    owners: Mapping[ObjectKey, Owner] = field(default_factory=dict)  # schemas and relations
    labels: Mapping[ObjectKey, tuple[str, ...]] = field(default_factory=dict)
    viewpoints: tuple[ResolvedViewpoint, ...] = ()
    virtual_foreign_keys: tuple[Any, ...] = ()  # filled by schemadocs.project.relations (see apply)

    @cached_property
    def display(self) -> Catalog:
        """The catalog as the site shows it: each comment replaced by the effective description.
        For rendering only; never snapshot, diff or lint this."""
        return display_catalog(self.catalog, self.descriptions)

    @cached_property
    def by_label(self) -> dict[str, tuple[ObjectKey, ...]]:
        found: dict[str, list[ObjectKey]] = {}
        for key, labels in self.labels.items():
            for label in labels:
                found.setdefault(label, []).append(key)
        return {label: tuple(sorted(keys)) for label, keys in sorted(found.items())}

    @cached_property
    def by_owner(self) -> dict[str, tuple[ObjectKey, ...]]:
        found: dict[str, list[ObjectKey]] = {}
        for key, owner in self.owners.items():
            found.setdefault(owner.name, []).append(key)
        return {name: tuple(sorted(keys)) for name, keys in sorted(found.items())}


def apply(catalog: Catalog, project: Project) -> Annotated:
    """The catalog annotated with the project; errors for objects the catalog lacks."""
    found = _Objects(catalog)
    descriptions: dict[ObjectKey, Description] = {k: Description(c, DATABASE) for k, c in found.comments.items() if c}
    labels: dict[ObjectKey, tuple[str, ...]] = {}
    own: dict[ObjectKey, str] = {}
    for entry in project.entries:
        keys = found.resolve(entry)
        for key in keys:
            if entry.description is not None:
                database = descriptions.get(key)
                if database is None or entry.override:
                    descriptions[key] = Description(entry.description, FILE, entry.description_where)
                else:
                    descriptions[key] = dataclasses.replace(database, shadowed=True)
            if entry.labels:
                labels[key] = entry.labels
            if entry.owner:
                own[key] = entry.owner
    owners = {key: Owner(name) for key, name in own.items()}
    for rel in catalog.relations:
        key = ("relation", rel.schema, rel.name)
        if key not in owners and ("schema", rel.schema) in own:
            owners[key] = Owner(own[("schema", rel.schema)], inherited_from=rel.schema)
    annotated = Annotated(catalog=catalog, project=project, descriptions=descriptions, owners=owners, labels=labels,
                          viewpoints=tuple(_viewpoint(catalog, v, labels) for v in project.viewpoints))
    # Hook: virtual foreign keys. schemadocs.project.relations turns project.relations into
    # ForeignKeys marked virtual (unknown tables or columns are errors) and sets them here:
    #     annotated = dataclasses.replace(annotated, virtual_foreign_keys=virtual_keys(catalog, project))
    return annotated


def display_catalog(catalog: Catalog, descriptions: Mapping[ObjectKey, Description]) -> Catalog:
    """`catalog` with the comments of the objects the file describes replaced by their description."""
    from_file = {k: d.text for k, d in descriptions.items() if d.source == FILE}
    if not from_file:
        return catalog

    def comment(key: ObjectKey, current: str | None) -> str | None:
        return from_file.get(key, current)

    touched = {(k[1], k[2]) for k in from_file if k[0] in ("relation", "column")}

    def relation(rel: Relation) -> Relation:
        if (rel.schema, rel.name) not in touched:  # most relations: kept as they are, and cheaply
            return rel
        columns = tuple(dataclasses.replace(c, comment=comment(("column", rel.schema, rel.name, c.name), c.comment))
                        for c in rel.columns)
        return dataclasses.replace(rel, comment=comment(("relation", rel.schema, rel.name), rel.comment),
                                   columns=columns)

    def typed(objects: Iterable[Any]) -> tuple[Any, ...]:
        return tuple(dataclasses.replace(t, comment=comment(("type", t.schema, t.name), t.comment)) for t in objects)

    return dataclasses.replace(
        catalog,
        schemas=tuple(dataclasses.replace(s, comment=comment(("schema", s.name), s.comment)) for s in catalog.schemas),
        relations=tuple(relation(r) for r in catalog.relations),
        routines=tuple(dataclasses.replace(r, comment=comment(routine_key(r), r.comment)) for r in catalog.routines),
        enums=typed(catalog.enums), domains=typed(catalog.domains), composite_types=typed(catalog.composite_types))


def routine_key(routine: Routine) -> ObjectKey:
    return ("routine", routine.schema, routine.name, routine.arguments)


class _Objects:
    """The catalog's describable objects by key, with their comments."""

    def __init__(self, catalog: Catalog) -> None:
        self.database = catalog.database
        self.selected = catalog.selected
        self.comments: dict[ObjectKey, str | None] = {("schema", s.name): s.comment for s in catalog.schemas}
        for rel in catalog.relations:
            self.comments[("relation", rel.schema, rel.name)] = rel.comment
            for col in rel.columns:
                self.comments[("column", rel.schema, rel.name, col.name)] = col.comment
        self.routines: dict[tuple[str, str], list[Routine]] = {}
        for routine in catalog.routines:
            self.comments[routine_key(routine)] = routine.comment
            self.routines.setdefault((routine.schema, routine.name), []).append(routine)
        for t in (*catalog.enums, *catalog.domains, *catalog.composite_types):
            self.comments[("type", t.schema, t.name)] = t.comment

    def resolve(self, entry: Entry) -> tuple[ObjectKey, ...]:
        """The catalog objects `entry` names; none when it is optional and missing, else an error."""
        keys = self._keys(entry)
        if keys or entry.optional or self._unselected(entry):
            return keys
        known = [".".join(k[1:]) for k in self.comments if k[0] == entry.kind.value]
        if entry.kind is Kind.ROUTINE:
            known = [f"{s}.{n}" for s, n in self.routines] + [".".join(k[1:3]) + f"({k[3]})" for k in self.comments
                                                            if k[0] == "routine"]
        close = difflib.get_close_matches(".".join(entry.path), known, n=1)
        hint = f" (did you mean {close[0]}?)" if close else ""
        raise ConfigError(f"{entry.where}: {entry.label} is not in the database {self.database!r}{hint}; "
                          "fix the name, or mark it `optional: true` when it may be missing")

    def _unselected(self, entry: Entry) -> bool:
        """--include/--exclude left the entry's schema or relation out of the catalog: not checked."""
        if not self.selected:
            return False
        if ("schema", entry.path[0]) not in self.comments:
            return True
        return entry.kind is Kind.COLUMN and ("relation", *entry.path[:2]) not in self.comments or \
            entry.kind is Kind.RELATION

    def _keys(self, entry: Entry) -> tuple[ObjectKey, ...]:
        if entry.kind is Kind.ROUTINE:
            schema, name = entry.path
            if name.endswith(")") and "(" in name:
                base, arguments = name[:-1].split("(", 1)
                wanted = _normal_arguments(arguments)
                return tuple(routine_key(r) for r in self.routines.get((schema, base), ())
                             if _normal_arguments(r.arguments) == wanted)
            return tuple(routine_key(r) for r in self.routines.get((schema, name), ()))
        key = (entry.kind.value, *entry.path)
        return (key,) if key in self.comments else ()


def _normal_arguments(arguments: str) -> str:
    return ", ".join(a.strip() for a in arguments.split(",") if a.strip())


def _viewpoint(catalog: Catalog, viewpoint: Viewpoint, labels: Mapping[ObjectKey, tuple[str, ...]]) -> ResolvedViewpoint:
    """The tables a viewpoint selects: named, matched by a glob, or labelled; selecting none is an error."""
    chosen: set[QualifiedName] = set()
    for pattern in viewpoint.tables:
        schema_glob, _, name_glob = pattern.partition(".")
        matched = {r.qname for r in catalog.relations
                   if fnmatchcase(r.schema, schema_glob) and fnmatchcase(r.name, name_glob or "*")}
        if not matched:
            raise ConfigError(f"{viewpoint.where}: viewpoint {viewpoint.name!r}: {pattern!r} matches no relation in "
                              f"{catalog.database!r}; fix the name or glob (schema.table)")
        chosen |= matched
    for label in viewpoint.labels:
        matched = {QualifiedName(k[1], k[2]) for k, ls in labels.items() if k[0] == "relation" and label in ls}
        if not matched:
            raise ConfigError(f"{viewpoint.where}: viewpoint {viewpoint.name!r}: no relation has the label {label!r}; "
                              "label some relations, or fix the label")
        chosen |= matched
    if not chosen:
        raise ConfigError(f"{viewpoint.where}: viewpoint {viewpoint.name!r} selects nothing; give it `tables:` "
                          "(names or globs) or `labels:`")
    return ResolvedViewpoint(viewpoint, tuple(sorted(chosen)))
