"""The Undocumented page: what has no comment, so a team knows what to write next.

In: the catalog. Out: `UndocumentedPage`: the tables and views without a comment, per
table or view its columns without one, and the functions and procedures without one, each
linked to its place on the site. It counts what the home page's coverage counts (partitions
aside: their columns are their parent's), and the home page links each coverage line here.
"""

from __future__ import annotations

from dataclasses import dataclass

from schemadocs.model import Catalog
from schemadocs.render.contexts import Link
from schemadocs.render.slugs import (
    HOME_PAGE,
    UNDOCUMENTED_PAGE,
    column_anchor,
    relation_page,
    relative_html,
    routine_anchor,
    routine_page,
)


def undocumented_page(catalog: Catalog) -> UndocumentedPage:
    """Every table, view, column and routine without a comment, sorted, each linked."""
    page = UNDOCUMENTED_PAGE

    def rel_href(r) -> str:  # type: ignore[no-untyped-def]
        return relative_html(page, relation_page(r.qname))

    documented = sorted(catalog.documented, key=lambda r: r.qname)
    columns = tuple(
        UndocumentedColumns(relation=Link(str(r.qname), rel_href(r)), kind=r.kind.label,
                            columns=tuple(Link(c.name, f"{rel_href(r)}#{column_anchor(c.name)}")
                                          for c in r.columns if not c.comment))
        for r in documented if any(not c.comment for c in r.columns))
    return UndocumentedPage(
        path=page,
        home=Link("Home", relative_html(page, HOME_PAGE)),
        relations=tuple(UndocumentedRelation(link=Link(str(r.qname), rel_href(r)), kind=r.kind.label)
                        for r in documented if not r.comment),
        relations_total=len(documented),
        columns=columns,
        columns_missing=sum(len(row.columns) for row in columns),
        columns_total=sum(len(r.columns) for r in documented),
        routines=tuple(Link(f"{f.schema}.{f.name}({f.arguments})",
                            relative_html(page, routine_page(f.schema, f.name)) + f"#{routine_anchor(f.name, f.arguments)}")
                       for f in sorted(catalog.routines, key=lambda f: (f.schema, f.name, f.arguments)) if not f.comment),
        routines_total=len(catalog.routines),
    )


@dataclass(frozen=True)
class UndocumentedRelation:
    link: Link
    kind: str


@dataclass(frozen=True)
class UndocumentedColumns:
    relation: Link
    kind: str
    columns: tuple[Link, ...]  # its columns without a comment, in table order


@dataclass(frozen=True)
class UndocumentedPage:
    path: str
    home: Link
    relations: tuple[UndocumentedRelation, ...]  # tables and views without a comment
    relations_total: int
    columns: tuple[UndocumentedColumns, ...]  # per table or view, its columns without a comment
    columns_missing: int
    columns_total: int
    routines: tuple[Link, ...]  # functions and procedures without a comment
    routines_total: int
