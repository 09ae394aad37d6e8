"""The context of a schema page, and of the subject-area pages of a large schema.

In: the catalog, its ER graph and a schema name. Out: `SchemaPage` (relations, functions,
types and sequences, each linked to its page; grants; the ER overview) and `AreaPage`s.
The ER overview stays readable at any size (ER_MODES): up to DETAILED_MAX tables one
diagram shows each table with its columns; up to COMPACT_MAX, one diagram of table names;
beyond, the tables are grouped into subject areas of at most AREA_MAX tables
(`lineage/areas.py`), the schema page draws a map of the areas and each area gets a page
with its own diagram: never one giant image.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import networkx as nx
from markupsafe import Markup

from schemadocs.lineage.areas import SchemaAreas, schema_areas
from schemadocs.model import Catalog, CompositeType, Domain, EnumType, QualifiedName, Relation
from schemadocs.render.contexts import GrantRow, Link, grant_rows, human_size
from schemadocs.render.slugs import (
    HOME_PAGE,
    area_page,
    column_anchor,
    relation_page,
    relative_html,
    routine_anchor,
    routine_page,
    schema_page,
    type_page,
)

DETAILED_MAX = 30  # tables drawn with their columns in one schema diagram
COMPACT_MAX = 100  # tables drawn as names in one schema diagram
AREA_MAX = 50  # tables per subject area beyond that
ER_MODES = ("detailed", "compact", "areas")


@dataclass(frozen=True)
class AreaRow:
    link: Link
    tables: int


@dataclass(frozen=True)
class RelationRow:
    link: Link
    kind: str
    comment: str | None
    rows: str = ""  # estimated rows, "" without statistics
    rows_sort: int = -1  # the same as a number to sort by (-1: unknown)
    size: str = ""  # total size on disk
    size_sort: int = -1
    columns: int = 0
    fk_out: int = 0  # foreign keys it declares
    fk_in: int = 0  # foreign keys pointing at it


@dataclass(frozen=True)
class RoutineRow:
    link: Link  # the signature, to its section on the routine's page
    kind: str
    returns: str | None
    language: str
    comment: str | None


@dataclass(frozen=True)
class TypeRow:
    link: Link  # the type's page
    kind: str
    detail: str
    comment: str | None


@dataclass(frozen=True)
class SequenceRow:
    name: str
    detail: str
    owned_by: Link | None
    comment: str | None


@dataclass(frozen=True)
class SchemaPage:
    path: str
    title: str
    home: Link
    comment: str | None
    owner: str | None
    relations: tuple[RelationRow, ...]
    routines: tuple[RoutineRow, ...]
    types: tuple[TypeRow, ...]  # enums, domains, composite types
    sequences: tuple[SequenceRow, ...]
    grants: tuple[GrantRow, ...]
    er_mode: str  # "" (no tables) | "detailed" | "compact" | "areas": see ER_MODES
    er_tables: tuple[QualifiedName, ...]  # what the one diagram draws (detailed and compact)
    areas: tuple[AreaRow, ...]  # the subject areas (areas mode)
    area_links: tuple[tuple[int, int, int], ...]  # (area, area, foreign keys between them)
    unconnected: tuple[Link, ...]  # tables in no area: no foreign key within the schema (areas mode)
    diagram: Markup = Markup("")
    project: Any = None  # the project file's owner, labels and description source (render.project_context)
    family: tuple[Link, int] | None = None  # the family this schema stands for, and its size (render.family_context)


@dataclass(frozen=True)
class AreaPage:
    path: str
    title: str
    home: Link
    schema: Link
    tables: tuple[RelationRow, ...]
    members: tuple[QualifiedName, ...]  # what its diagram draws
    diagram: Markup = Markup("")


def schema_page_context(catalog: Catalog, er: nx.MultiDiGraph, schema: str) -> tuple[SchemaPage, list[AreaPage]]:
    """One schema: its relations, routines, types and sequences, each linked to its page, and
    its ER overview (with the pages of its subject areas when it has too many tables)."""
    page = schema_page(schema)
    info = next(s for s in catalog.schemas if s.name == schema)
    tables = tuple(sorted(q for q in er if q.schema == schema))
    mode = "" if not tables else "detailed" if len(tables) <= DETAILED_MAX else "compact" if len(tables) <= COMPACT_MAX else "areas"
    found = schema_areas(er, schema, AREA_MAX) if mode == "areas" else SchemaAreas(areas=(), unconnected=(), links=())
    areas = area_pages(catalog, schema, found)
    return SchemaPage(
        path=page,
        title=schema,
        home=Link("Home", relative_html(page, HOME_PAGE)),
        comment=info.comment,
        owner=info.owner,
        relations=tuple(_relation_row(page, r, catalog) for r in catalog.in_schema(schema)),
        routines=tuple(
            RoutineRow(link=Link(f"{f.name}({f.arguments})", relative_html(page, routine_page(f.schema, f.name))
                                 + f"#{routine_anchor(f.name, f.arguments)}"),
                       kind=f.kind, returns=f.returns, language=f.language, comment=f.comment)
            for f in catalog.routines if f.schema == schema
        ),
        types=tuple(
            TypeRow(link=Link(t.name, relative_html(page, type_page(t.qname))), kind=kind, detail=_type_detail(t),
                    comment=t.comment)
            for kind, items in (("enum", catalog.enums), ("domain", catalog.domains),
                                ("composite", catalog.composite_types))
            for t in items if t.schema == schema
        ),
        sequences=tuple(
            SequenceRow(
                name=q.name, comment=q.comment,
                detail=f"{q.type}, start {q.start}, increment {q.increment}, {q.min_value}..{q.max_value}"
                       + (", cycle" if q.cycle else "") + (", identity" if q.identity else ""),
                owned_by=Link(f"{q.owned_by.name}.{q.owned_by_column}",
                              relative_html(page, relation_page(q.owned_by)) + f"#{column_anchor(q.owned_by_column or '')}")
                if q.owned_by and catalog.relation(q.owned_by) else None,
            )
            for q in catalog.sequences if q.schema == schema
        ),
        grants=grant_rows(info.grants),
        er_mode=mode,
        er_tables=tables if mode in ("detailed", "compact") else (),
        areas=tuple(AreaRow(link=Link(a.title, relative_html(page, a.path)), tables=len(a.members)) for a in areas),
        area_links=found.links,
        unconnected=tuple(Link(q.name, relative_html(page, relation_page(q))) for q in found.unconnected),
    ), areas


def area_pages(catalog: Catalog, schema: str, found: SchemaAreas) -> list[AreaPage]:
    """A page per subject area: its tables (linked, with their comments) and its diagram."""
    pages, packs = [], 0
    for area in found.areas:
        if area.hub is None:
            packs += 1
        title = f"{area.hub.name} and related tables" if area.hub else f"Small clusters {packs}"
        page = area_page(schema, area.hub.name if area.hub else None, packs)
        pages.append(AreaPage(
            path=page, title=title,
            home=Link("Home", relative_html(page, HOME_PAGE)),
            schema=Link(schema, relative_html(page, schema_page(schema))),
            tables=tuple(_relation_row(page, catalog.relation(q), catalog) for q in area.tables),  # type: ignore[arg-type]
            members=area.tables,
        ))
    return pages


def _relation_row(page: str, r: Relation, catalog: Catalog) -> RelationRow:
    """A relation in a schema's or area's list: what it is, how big, how connected."""
    s = r.stats
    rows = s.estimated_rows if s and s.estimated_rows is not None and s.estimated_rows >= 0 else None
    size = s.total_size if s and s.total_size is not None else None
    return RelationRow(link=Link(r.name, relative_html(page, relation_page(r.qname))),
                       kind=r.kind.label + (" (partition)" if r.partition_of else ""), comment=r.comment,
                       rows="" if rows is None else f"{rows:,}", rows_sort=-1 if rows is None else rows,
                       size=human_size(size), size_sort=-1 if size is None else size,
                       columns=len(r.columns), fk_out=len(r.declared_foreign_keys),
                       fk_in=len(catalog.referenced_by.get(r.qname, ())))


def _type_detail(t: EnumType | Domain | CompositeType) -> str:
    """A type in one line: an enum's labels, a domain's base type and rules, a composite's attributes."""
    if isinstance(t, EnumType):
        return ", ".join(t.labels)
    if isinstance(t, Domain):
        return " ".join(x for x in (t.base_type, "" if t.nullable else "NOT NULL",
                                    f"DEFAULT {t.default}" if t.default else "",
                                    *(check for _, check in t.constraints)) if x)
    return "(" + ", ".join(f"{a} {ty}" for a, ty in t.attributes) + ")"


