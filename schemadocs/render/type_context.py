"""The context of a type page: an enum, a domain or a composite type.

In: the catalog. Out: `TypePage`s: what the type is (ordered enum labels, a domain's base
type, default and CHECK constraints, a composite type's attributes), its comment, and where
it is used: the columns of that type (arrays included), the composite types holding it, and
the functions that take or return it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from schemadocs.model import Catalog, CompositeType, Domain, EnumType, QualifiedName
from schemadocs.render.contexts import Link
from schemadocs.render.slugs import (
    HOME_PAGE,
    column_anchor,
    relation_page,
    relative_html,
    routine_anchor,
    routine_page,
    schema_page,
    type_page,
)

UserType = EnumType | Domain | CompositeType


@dataclass(frozen=True)
class TypeItem:
    name: str  # an enum label, a domain constraint's name, a composite attribute
    detail: str  # its position, CHECK definition or type
    type: Link | None = None  # a composite attribute's type, when it is the database's own


@dataclass(frozen=True)
class TypePage:
    path: str
    title: str  # schema.name
    kind: str  # enum | domain | composite type
    home: Link
    schema: Link
    owner: str | None
    comment: str | None
    definition: str  # enum: its labels; domain: base type, NOT NULL, DEFAULT; composite: (a type, ...)
    items_title: str  # "Labels", "Constraints", "Attributes"
    items: tuple[TypeItem, ...]
    columns: tuple[Link, ...]  # relation.column of this type (or an array of it)
    routines: tuple[Link, ...]  # functions taking or returning it
    project: Any = None  # the project file's labels and description source (render.project_context)
    used_by: tuple[UsedByRow, ...] = ()  # the same columns, one row per relation, by schema and relation


@dataclass(frozen=True)
class UsedByRow:
    schema: str
    relation: Link
    columns: tuple[Link, ...]  # its columns of the type, in table order


def used_by_rows(page: str, columns: list[tuple[QualifiedName, str]]) -> tuple[UsedByRow, ...]:
    """The columns of a type grouped by relation, sorted by schema and relation."""
    by_relation: dict[QualifiedName, list[str]] = {}
    for rel, col in columns:
        by_relation.setdefault(rel, []).append(col)
    return tuple(UsedByRow(schema=rel.schema, relation=Link(rel.name, relative_html(page, relation_page(rel))),
                           columns=tuple(Link(col, relative_html(page, relation_page(rel)) + f"#{column_anchor(col)}")
                                         for col in cols))
                 for rel, cols in sorted(by_relation.items()))


def type_pages(catalog: Catalog) -> list[TypePage]:
    """A page per enum, domain and composite type, with where each is used."""
    users = type_uses(catalog)
    return [type_page_context(catalog, t, users.get(t.qname, ([], [])))
            for t in (*catalog.enums, *catalog.domains, *catalog.composite_types)]


def type_uses(catalog: Catalog) -> dict[QualifiedName, tuple[list[tuple[QualifiedName, str]], list[tuple[str, str, str]]]]:
    """For each of the database's own types: the (relation, column) pairs of that type, and
    the (schema, name, arguments) of the routines that take or return it. Partitions are left
    out: their columns are their parent's."""
    known = catalog.user_types
    columns: dict[QualifiedName, list[tuple[QualifiedName, str]]] = {}
    routines: dict[QualifiedName, list[tuple[str, str, str]]] = {}
    for rel in catalog.documented:
        for c in rel.columns:
            if (qname := catalog.user_type(c.type)) is not None:
                columns.setdefault(qname, []).append((rel.qname, c.name))
    for f in catalog.routines:
        mentioned = {known[word] for word in _type_words(f"{f.arguments},{f.returns or ''}") if word in known}
        for qname in sorted(mentioned):
            routines.setdefault(qname, []).append((f.schema, f.name, f.arguments))
    return {q: (columns.get(q, []), routines.get(q, [])) for q in {*columns, *routines}}


def type_page_context(catalog: Catalog, t: UserType,
                      uses: tuple[list[tuple[QualifiedName, str]], list[tuple[str, str, str]]]) -> TypePage:
    """One type's page."""
    page = type_page(t.qname)

    def type_link(spelled: str) -> Link | None:
        target = catalog.user_type(spelled)
        return Link(spelled, relative_html(page, type_page(target))) if target else None

    if isinstance(t, EnumType):
        kind, items_title = "enum", "Labels"
        definition = "ENUM (" + ", ".join(_literal(label) for label in t.labels) + ")"
        items = tuple(TypeItem(name=label, detail=str(i)) for i, label in enumerate(t.labels, 1))
    elif isinstance(t, Domain):
        kind, items_title = "domain", "Constraints"
        definition = " ".join(x for x in (t.base_type, "" if t.nullable else "NOT NULL",
                                          f"DEFAULT {t.default}" if t.default else "") if x)
        items = tuple(TypeItem(name=name, detail=check) for name, check in t.constraints)
    else:
        kind, items_title = "composite type", "Attributes"
        definition = "(" + ", ".join(f"{a} {ty}" for a, ty in t.attributes) + ")"
        items = tuple(TypeItem(name=a, detail=ty, type=type_link(ty)) for a, ty in t.attributes)
    columns, routines = uses
    return TypePage(
        path=page,
        title=f"{t.schema}.{t.name}",
        kind=kind,
        home=Link("Home", relative_html(page, HOME_PAGE)),
        schema=Link(t.schema, relative_html(page, schema_page(t.schema))),
        owner=getattr(t, "owner", None),
        comment=t.comment,
        definition=definition,
        items_title=items_title,
        items=items,
        columns=tuple(Link(f"{rel}.{col}", relative_html(page, relation_page(rel)) + f"#{column_anchor(col)}")
                      for rel, col in columns),
        routines=tuple(Link(f"{schema}.{name}({args})",
                            relative_html(page, routine_page(schema, name)) + f"#{routine_anchor(name, args)}")
                       for schema, name, args in routines),
        used_by=used_by_rows(page, columns),
    )


def _type_words(signature: str) -> list[str]:
    """The type names a function signature may mention: its comma-separated pieces, each
    stripped of argument mode, name, array brackets and SETOF (best effort, for 'used by')."""
    words = []
    for piece in re.split(r",|\bSETOF\b", signature):
        piece = piece.strip().removesuffix("[]")
        words += [piece, piece.split(" ", 1)[-1], piece.rsplit(" ", 1)[-1]]
    return words


def _literal(label: str) -> str:
    return "'" + label.replace("'", "''") + "'"
