"""The context of a table or view page: everything its template shows, computed from the model.

In: the catalog, the lineage graph and one relation. Out: `RelationPage`: columns with
badges and FK links, constraints, indexes, relationships, partitions, inheritance parents and
children, triggers, policies, grants, statistics, the view definition and its lineage, and per
column what depends on it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import networkx as nx
from markupsafe import Markup

from schemadocs.lineage.closure import base_sources, downstream_levels
from schemadocs.model import Catalog, ColumnRef, ConstraintKind, ForeignKey, Index, Policy, QualifiedName, Relation, Trigger
from schemadocs.render.health_context import FindingRow
from schemadocs.render.contexts import GrantRow, Link, grant_rows, human_size, relation_link
from schemadocs.render.slugs import (
    HOME_PAGE,
    column_anchor,
    relation_page,
    relative_html,
    routine_page,
    schema_page,
    type_page,
)

HUB_MIN = 15  # incoming foreign keys beyond which a table is a hub: listed grouped, in a disclosure
MAX_LISTED = 12  # dependents of a column shown open; more are listed in full inside a disclosure


def relation_page_context(catalog: Catalog, lineage: nx.DiGraph, rel: Relation) -> RelationPage:
    """One table or view: columns, keys, indexes, relationships, partitions, SQL, lineage."""
    page = relation_page(rel.qname)
    links = PageLinks(catalog, page, rel.schema)
    link = links.relation
    return RelationPage(
        path=page,
        title=str(rel.qname),
        kind=rel.kind.label,
        schema=Link(rel.schema, relative_html(page, schema_page(rel.schema))),
        home=Link("Home", relative_html(page, HOME_PAGE)),
        comment=rel.comment,
        owner=rel.owner,
        columns=column_rows(rel, links),
        constraints=tuple(ConstraintRow(name=k.name, kind=k.kind.value.replace("_", " "), definition=k.definition,
                                        comment=k.comment) for k in rel.constraints if not k.virtual),
        indexes=tuple(map(index_row, rel.indexes)),
        references=tuple(relationship_row(link(fk.target), fk) for fk in rel.foreign_keys),
        referenced_by=tuple(relationship_row(link(src.qname), fk)
                            for src, fk in catalog.referenced_by.get(rel.qname, ())),
        referencing=referencing_groups(catalog.referenced_by.get(rel.qname, ()), link),
        triggers=tuple(trigger_row(t, links) for t in rel.triggers),
        policies=tuple(map(policy_row, rel.policies)),
        rls=("enabled and forced" if rel.rls_forced else "enabled") if rel.rls_enabled else None,
        partition_key=rel.partition_key,
        partition_of=link(rel.partition_of) if rel.partition_of else None,
        partition_bound=rel.partition_bound,
        partitions=tuple(ReadRow(relation=link(p.qname), columns=p.partition_bound or "")
                         for p in catalog.partitions_of.get(rel.qname, ())),
        inherits=tuple(link(parent) for parent in rel.inherits),
        inherited_by=tuple(link(child.qname) for child in catalog.inherited_by.get(rel.qname, ())),
        view_definition=rel.view_definition,
        reads=tuple(ReadRow(relation=link(r.target), columns=", ".join(r.columns)) for r in rel.reads),
        read_by=tuple(link(v.qname) for v in catalog.read_by.get(rel.qname, ())),
        foreign_table=foreign_table(rel),
        populated=None if rel.populated is None else ("populated" if rel.populated else "not populated (WITH NO DATA)"),
        stats=stats_rows(rel),
        grants=grant_rows(rel.grants),
        column_lineage=tuple(LineageRow(column=c.column, anchor=column_anchor(c.column),
                                        sources=tuple(map(links.column, c.sources)),
                                        base=_base_links(lineage, rel, c.column, c.sources, links))
                             for c in rel.column_lineage),
        filter_columns=tuple(map(links.column, rel.filter_columns)),
        dependents=dependents_rows(lineage, rel, links.column, link, links.routine),
    )


@dataclass(frozen=True)
class PageLinks:
    """Links from the page of a relation in `schema` to relations, columns, types and routines."""

    catalog: Catalog
    page: str
    schema: str

    def relation(self, qname: QualifiedName, anchor: str = "") -> Link:
        return relation_link(self.catalog, self.page, qname, anchor, schema=self.schema)

    def column(self, ref: ColumnRef) -> Link:
        target = self.relation(ref.relation, column_anchor(ref.column))
        return Link(f"{target.text}.{ref.column}", target.href)

    def type_href(self, spelled: str) -> str | None:
        target = self.catalog.user_type(spelled)
        return relative_html(self.page, type_page(target)) if target else None

    def routine(self, qname: QualifiedName) -> Link:
        known = bool(self.catalog.routines_named(qname))
        return Link(str(qname), relative_html(self.page, routine_page(qname.schema, qname.name)) if known else None)


def _base_links(lineage: nx.DiGraph, rel: Relation, column: str, direct: tuple[ColumnRef, ...],
                links: PageLinks) -> tuple[Link, ...]:
    """The base columns of a view column (`lineage.closure.base_sources`), when not its direct sources."""
    ref = ColumnRef(rel.schema, rel.name, column)
    base = base_sources(lineage, ref) if ref in lineage else ()
    return () if set(base) == set(direct) else tuple(map(links.column, base))


def column_rows(rel: Relation, links: PageLinks) -> tuple[ColumnRow, ...]:
    """The columns with their badges, the columns their foreign keys reference, and type links."""
    pk = set(rel.primary_key.columns) if rel.primary_key else set()
    unique = {c for k in rel.constraints if k.kind is ConstraintKind.UNIQUE for c in k.columns}
    fk_by_column: dict[str, list[Link]] = {}
    declared = {c for fk in rel.foreign_keys if not fk.virtual for c in fk.columns}
    for fk in rel.foreign_keys:
        for col, ref_col in zip(fk.columns, fk.ref_columns):
            fk_by_column.setdefault(col, []).append(links.column(ColumnRef(fk.ref_schema, fk.ref_name, ref_col)))
    return tuple(
        ColumnRow(
            name=c.name, anchor=column_anchor(c.name), type=c.type, nullable=c.nullable, default=c.default,
            comment=c.comment,
            badges=tuple(b for b, on in (("PK", c.name in pk), ("FK", c.name in declared),
                                         ("virtual-FK", c.name in fk_by_column and c.name not in declared),
                                         ("unique", c.name in unique), ("identity", bool(c.identity)),
                                         ("generated", bool(c.generated)), ("inherited", c.inherited)) if on),
            references=tuple(fk_by_column.get(c.name, ())),
            type_href=links.type_href(c.type),
        )
        for c in rel.columns
    )


def index_row(i: Index) -> IndexRow:
    notes = ("" if i.valid else "INVALID", "NULLS NOT DISTINCT" if i.nulls_not_distinct else "")
    return IndexRow(name=i.name, definition=i.definition, comment=i.comment, size=human_size(i.size),
                    scans="" if i.scans is None else str(i.scans), notes=", ".join(x for x in notes if x))


def referencing_groups(incoming: Iterable[tuple[Relation, ForeignKey]],
                       link: Callable[[QualifiedName], Link]) -> tuple[ReferencingGroup, ...]:
    """A hub's incoming foreign keys grouped by referencing table (sorted), when there are more
    than HUB_MIN of them; else () and the Relationships table lists each one."""
    incoming = list(incoming)
    if len(incoming) <= HUB_MIN:
        return ()
    by_table: dict[QualifiedName, list[ForeignKey]] = {}
    for src, fk in incoming:
        by_table.setdefault(src.qname, []).append(fk)
    return tuple(ReferencingGroup(relation=link(q), keys=tuple(
        ReferencingKey(columns=", ".join(fk.columns), ref_columns=", ".join(fk.ref_columns), constraint=fk.name)
        for fk in sorted(fks, key=lambda k: k.name))) for q, fks in sorted(by_table.items()))


def relationship_row(other: Link, fk: ForeignKey) -> RelationshipRow:
    return RelationshipRow(relation=other, columns=", ".join(fk.columns), ref_columns=", ".join(fk.ref_columns),
                           constraint=fk.name, virtual=fk.virtual, note=fk.comment if fk.virtual else None)


TRIGGER_STATES = {"ORIGIN": "enabled", "DISABLED": "disabled", "REPLICA": "replica only", "ALWAYS": "always"}


def trigger_row(t: Trigger, links: PageLinks) -> TriggerRow:
    return TriggerRow(name=t.name, when=f"{t.timing} {' OR '.join(t.events)} FOR EACH {t.level}",
                      condition=t.condition, function=links.routine(t.function), enabled=TRIGGER_STATES[t.enabled],
                      comment=t.comment)


def policy_row(p: Policy) -> PolicyRow:
    return PolicyRow(name=p.name, command=p.command, roles=", ".join(p.roles),
                     permissive="permissive" if p.permissive else "restrictive",
                     using=p.using, with_check=p.with_check, comment=p.comment)


def foreign_table(rel: Relation) -> str | None:
    if not rel.foreign_server:
        return None
    options = f" OPTIONS ({', '.join(rel.foreign_options)})" if rel.foreign_options else ""
    return f"server {rel.foreign_server}{options}"


def dependents_rows(lineage: nx.DiGraph, rel: Relation, column_link: Callable[[ColumnRef], Link],
                    link: Callable[[QualifiedName], Link],
                    routine_link: Callable[[QualifiedName], Link]) -> tuple[DependentsRow, ...]:
    """Per column of `rel`, everything downstream of it (what `schemadocs lineage --downstream`
    lists), by depth: the view columns computed from it, the views filtering on it, and what
    reads those, out to the last view."""
    rows, successors = [], lineage.succ  # the adjacency dict: most columns have no dependents, so look them up cheaply
    for col in rel.columns:
        ref = ColumnRef(rel.schema, rel.name, col.name)
        if not successors.get(ref):
            continue
        levels = tuple(tuple(_node_link(n, column_link, link, routine_link) for n in level)
                       for level in downstream_levels(lineage, ref))
        if levels:
            total = sum(map(len, levels))
            rows.append(DependentsRow(column=col.name, anchor=column_anchor(col.name),
                                      levels=tuple(DependentsLevel(depth=i, items=items)
                                                   for i, items in enumerate(levels, 1)),
                                      total=total, collapsed=total > MAX_LISTED))
    return tuple(rows)


def _node_link(node: object, column_link: Callable[[ColumnRef], Link], link: Callable[[QualifiedName], Link],
               routine_link: Callable[[QualifiedName], Link]) -> Link:
    if isinstance(node, ColumnRef):
        return column_link(node)
    if isinstance(node, QualifiedName):
        return link(node)
    target = routine_link(QualifiedName(node.schema, node.name))  # type: ignore[attr-defined]
    return Link(str(node), target.href)


@dataclass(frozen=True)
class ColumnRow:
    name: str
    anchor: str
    type: str
    nullable: bool
    default: str | None
    comment: str | None
    badges: tuple[str, ...]
    references: tuple[Link, ...]
    type_href: str | None = None  # the page of the column's type, when it is the database's own


@dataclass(frozen=True)
class ConstraintRow:
    name: str
    kind: str
    definition: str
    comment: str | None


@dataclass(frozen=True)
class IndexRow:
    name: str
    definition: str
    comment: str | None
    size: str
    scans: str
    notes: str  # invalid, include columns...


@dataclass(frozen=True)
class RelationshipRow:
    relation: Link
    columns: str
    ref_columns: str
    constraint: str
    virtual: bool = False  # declared by the project file, not the database
    note: str | None = None  # a virtual key's note


@dataclass(frozen=True)
class ReferencingKey:
    columns: str
    ref_columns: str
    constraint: str


@dataclass(frozen=True)
class ReferencingGroup:
    relation: Link  # a table referencing the hub
    keys: tuple[ReferencingKey, ...]  # its foreign keys to the hub


@dataclass(frozen=True)
class ReadRow:
    relation: Link
    columns: str


@dataclass(frozen=True)
class TriggerRow:
    name: str
    when: str
    condition: str | None
    function: Link  # to the function's page
    enabled: str
    comment: str | None


@dataclass(frozen=True)
class LineageRow:
    column: str
    anchor: str
    sources: tuple[Link, ...]  # the columns of the relations it reads directly
    base: tuple[Link, ...] = ()  # the base columns it ultimately comes from, when they differ from `sources`


@dataclass(frozen=True)
class DependentsLevel:
    depth: int  # 1: reads the column directly; 2: reads what reads it; ...
    items: tuple[Link, ...]  # view columns, views (that filter on it or read a view that does), routines


@dataclass(frozen=True)
class DependentsRow:
    column: str
    anchor: str
    levels: tuple[DependentsLevel, ...]  # the whole downstream closure, nothing left out
    total: int
    collapsed: bool  # more than MAX_LISTED: shown in a disclosure


@dataclass(frozen=True)
class PolicyRow:
    name: str
    command: str
    roles: str
    permissive: str
    using: str | None
    with_check: str | None
    comment: str | None


@dataclass(frozen=True)
class RelationPage:
    path: str
    title: str
    kind: str
    schema: Link
    home: Link
    comment: str | None
    owner: str | None
    columns: tuple[ColumnRow, ...]
    constraints: tuple[ConstraintRow, ...]
    indexes: tuple[IndexRow, ...]
    references: tuple[RelationshipRow, ...]
    referenced_by: tuple[RelationshipRow, ...]
    referencing: tuple[ReferencingGroup, ...]  # a hub's referenced_by, grouped by table (else empty)
    triggers: tuple[TriggerRow, ...]
    policies: tuple[PolicyRow, ...]
    rls: str | None
    partition_key: str | None
    partition_of: Link | None
    partition_bound: str | None
    partitions: tuple[ReadRow, ...]
    inherits: tuple[Link, ...]  # INHERITS parents, in declaration order
    inherited_by: tuple[Link, ...]  # tables that INHERIT from this one
    view_definition: str | None
    reads: tuple[ReadRow, ...]
    read_by: tuple[Link, ...]
    foreign_table: str | None
    populated: str | None
    stats: tuple[tuple[str, str], ...]
    grants: tuple[GrantRow, ...]
    column_lineage: tuple[LineageRow, ...]
    filter_columns: tuple[Link, ...]
    dependents: tuple[DependentsRow, ...]
    lineage_diagram: Markup = Markup("")
    diagram: Markup = Markup("")  # filled in once diagrams are rendered: inline SVG or Mermaid
    changed: Link | None = None  # "changed in this build", linking to the Changes page (render.changes)
    health: tuple[FindingRow, ...] = ()  # this relation's health findings (render.health_context)
    project: Any = None  # the project file's owner, labels and description sources (render.project_context)


def stats_rows(rel: Relation) -> tuple[tuple[str, str], ...]:
    s = rel.stats
    if s is None:
        return ()
    facts = (
        ("estimated rows", f"{s.estimated_rows:,}" if s.estimated_rows is not None else "never analyzed"),
        ("table size", human_size(s.table_size)), ("index size", human_size(s.index_size)),
        ("total size", human_size(s.total_size)),
        ("sequential scans", str(s.seq_scans) if s.seq_scans is not None else ""),
        ("index scans", str(s.index_scans) if s.index_scans is not None else ""),
        ("last vacuum", s.last_vacuum or s.last_autovacuum or "never"),
        ("last analyze", s.last_analyze or s.last_autoanalyze or "never"),
    )
    return tuple((k, v) for k, v in facts if v)
