"""What a project file says about the database's objects, as a model.

In: a `ProjectFile` (loaded and validated by `file.py`). Out: a `Project`: one `Entry` per
schema, relation, column, routine and type the file names (with its description, owner,
labels, `override`, `optional` and where in which file it was given), the label
descriptions and the viewpoints, sorted. Whether the named objects exist is decided later,
against a catalog, by `overlay.apply`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from schemadocs.project.file import DataPath, ProjectFile


class Kind(StrEnum):
    SCHEMA = "schema"
    RELATION = "relation"
    COLUMN = "column"
    ROUTINE = "routine"
    TYPE = "type"


@dataclass(frozen=True, order=True)
class Entry:
    """One object the file describes. `path`: (schema,), (schema, relation), (schema, relation,
    column), (schema, routine name or `name(identity arguments)`), (schema, type)."""

    kind: Kind
    path: tuple[str, ...]
    where: str  # "FILE line N", for errors and provenance
    description: str | None = None
    description_where: str | None = None
    owner: str | None = None
    labels: tuple[str, ...] = ()
    override: bool = False
    optional: bool = False

    @property
    def label(self) -> str:
        """How messages name it: `table app.orders`."""
        kind = {Kind.RELATION: "table", Kind.ROUTINE: "function"}.get(self.kind, self.kind.value)
        return f"{kind} {'.'.join(self.path)}"


@dataclass(frozen=True)
class Viewpoint:
    name: str
    where: str
    description: str | None = None
    tables: tuple[str, ...] = ()  # schema.table names or globs
    labels: tuple[str, ...] = ()


@dataclass(frozen=True)
class Project:
    source: str
    entries: tuple[Entry, ...] = ()
    label_descriptions: tuple[tuple[str, str], ...] = ()  # (label, Markdown), sorted
    viewpoints: tuple[Viewpoint, ...] = ()  # sorted by name
    relations: tuple[tuple[dict[str, Any], str], ...] = ()  # virtual relations (data, where): schemadocs.project.relations

    @property
    def empty(self) -> bool:
        return not (self.entries or self.label_descriptions or self.viewpoints or self.relations)


def read(file: ProjectFile) -> Project:
    """The project the file describes."""
    data = file.data
    entries: list[Entry] = []
    for schema, s in (data.get("schemas") or {}).items():
        s = s or {}
        top = _entry(file, Kind.SCHEMA, (schema,), ("schemas", schema), s, False)
        entries.append(top)
        for table, t in (s.get("tables") or {}).items():
            rel = _entry(file, Kind.RELATION, (schema, table), ("schemas", schema, "tables", table), t, top.optional)
            entries.append(rel)
            for column, c in ((t or {}).get("columns") or {}).items():
                entries.append(_entry(file, Kind.COLUMN, (schema, table, column),
                                      ("schemas", schema, "tables", table, "columns", column), c, rel.optional))
        for routine, r in (s.get("functions") or {}).items():
            entries.append(_entry(file, Kind.ROUTINE, (schema, routine), ("schemas", schema, "functions", routine), r,
                                  top.optional))
        for type_, t in (s.get("types") or {}).items():
            entries.append(_entry(file, Kind.TYPE, (schema, type_), ("schemas", schema, "types", type_), t,
                                  top.optional))
    labels = tuple(sorted((name, d["description"]) for name, d in (data.get("labels") or {}).items()
                          if (d or {}).get("description")))
    viewpoints = tuple(Viewpoint(name, file.where(("viewpoints", name, "<key>")), (v or {}).get("description"),
                                 tuple((v or {}).get("tables", ())), tuple((v or {}).get("labels", ())))
                       for name, v in sorted((data.get("viewpoints") or {}).items()))
    relations = tuple((r, file.where(("relations", i))) for i, r in enumerate(data.get("relations") or ()))
    return Project(file.source, tuple(sorted(entries)), labels, viewpoints, relations)


def _shown(file: ProjectFile, where: str) -> str:
    """`FILE line N` with FILE relative to the main file's folder: what the site shows (never
    the absolute path of someone's checkout)."""
    name, _, line = where.rpartition(" line ")
    return f"{os.path.relpath(name, os.path.dirname(file.source) or '.')} line {line}"


def _entry(file: ProjectFile, kind: Kind, path: tuple[str, ...], at: DataPath, value: dict[str, Any] | None,
           parent_optional: bool) -> Entry:
    """One entry; an optional schema or table makes what it holds optional too."""
    value = value or {}
    description = value.get("description")
    return Entry(kind=kind, path=path, where=file.where((*at, "<key>")),
                 description=description if description else None,
                 description_where=_shown(file, file.where((*at, "description"))) if description else None,
                 owner=value.get("owner"), labels=tuple(dict.fromkeys(value.get("labels", ()))),
                 override=bool(value.get("override", False)),
                 optional=parent_optional or bool(value.get("optional", False)))
