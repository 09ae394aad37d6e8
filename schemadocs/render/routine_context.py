"""The context of a function or procedure page: one page per name, one section per overload.

In: the catalog and its lineage graph. Out: `RoutinePage`s: for each overload its signature,
return type, language, properties, comment, grants, body, the tables it reads and writes
(parsed from the body by `lineage/routine_lineage.py`, with what could not be resolved), and
the triggers that call it.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby
from typing import Any

import networkx as nx

from schemadocs.lineage.edges import Edge
from schemadocs.lineage.lineage_graph import RoutineKey
from schemadocs.model import Catalog, QualifiedName, Routine
from schemadocs.render.health_context import FindingRow
from schemadocs.render.contexts import GrantRow, Link, grant_rows, relation_link
from schemadocs.render.slugs import (
    HOME_PAGE,
    relation_page,
    relative_html,
    routine_anchor,
    routine_page,
    schema_page,
    type_page,
)


@dataclass(frozen=True)
class RoutineSection:
    anchor: str
    signature: str
    kind: str  # function | procedure | aggregate | window
    returns: str | None
    returns_type: Link | None  # the page of the returned type, when it is the database's own
    language: str
    facts: str  # volatility, SECURITY DEFINER, settings
    owner: str | None
    comment: str | None
    definition: str | None
    code_language: str  # how the body is highlighted
    grants: tuple[GrantRow, ...]
    reads: tuple[Link, ...]
    writes: tuple[Link, ...]
    triggers: tuple[Link, ...]  # "table: trigger", linking to the table's triggers
    unresolved: tuple[str, ...]  # why parts of the body could not be followed
    project: Any = None  # the project file's labels and description source (render.project_context)


@dataclass(frozen=True)
class RoutinePage:
    path: str
    qname: QualifiedName  # the schema and name the overloads share
    title: str  # schema.name
    kind: str  # what the page documents: "function", "procedure", "functions" (overloads of mixed kinds)
    home: Link
    schema: Link
    overloads: tuple[RoutineSection, ...]
    health: tuple[FindingRow, ...] = ()  # the health findings of these routines (render.health_context)


def routine_pages(catalog: Catalog, lineage: nx.DiGraph) -> list[RoutinePage]:
    """A page per (schema, routine name), in catalog order (routines are sorted by schema, name)."""
    return [routine_page_context(catalog, lineage, tuple(group))
            for _, group in groupby(catalog.routines, key=lambda f: (f.schema, f.name))]


def routine_page_context(catalog: Catalog, lineage: nx.DiGraph, overloads: tuple[Routine, ...]) -> RoutinePage:
    """The page of the overloads of one routine name."""
    first = overloads[0]
    page = routine_page(first.schema, first.name)

    def link(qname: QualifiedName, anchor: str = "") -> Link:
        return relation_link(catalog, page, qname, anchor, schema=first.schema)

    def section(f: Routine) -> RoutineSection:
        key = RoutineKey(f.schema, f.name, f.arguments)
        known = key in lineage
        returned = catalog.user_type(f.returns or "")
        return RoutineSection(
            anchor=routine_anchor(f.name, f.arguments),
            signature=f"{f.name}({f.arguments})",
            kind=f.kind,
            returns=f.returns,
            returns_type=Link(str(returned), relative_html(page, type_page(returned))) if returned else None,
            language=f.language,
            facts=" · ".join(x for x in (f.volatility if f.kind == "function" else "",
                                         "SECURITY DEFINER" if f.security_definer else "",
                                         *(f"SET {setting}" for setting in f.settings)) if x),
            owner=f.owner,
            comment=f.comment,
            definition=f.definition,
            code_language=f.language if f.language in ("sql", "plpgsql") else "text",
            grants=grant_rows(f.grants),
            reads=tuple(link(t) for t, _, kind in (lineage.in_edges(key, data="kind") if known else ())
                        if kind is Edge.ROUTINE_READS),
            writes=tuple(link(t) for _, t, kind in (lineage.out_edges(key, data="kind") if known else ())
                         if kind is Edge.ROUTINE_WRITES),
            triggers=tuple(Link(f"{link(rel.qname).text}: {trigger.name}", link(rel.qname, "triggers").href)
                           for rel, trigger in catalog.triggers_calling.get(QualifiedName(f.schema, f.name), ())),
            unresolved=tuple(lineage.nodes[key].get("unresolved", ())) if known else (),
        )

    kinds = {f.kind for f in overloads}
    return RoutinePage(
        path=page,
        qname=QualifiedName(first.schema, first.name),
        title=f"{first.schema}.{first.name}",
        kind=kinds.pop() if len(kinds) == 1 else "routines",
        home=Link("Home", relative_html(page, HOME_PAGE)),
        schema=Link(first.schema, relative_html(page, schema_page(first.schema))),
        overloads=tuple(section(f) for f in overloads),
    )
