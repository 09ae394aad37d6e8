"""Model objects as plain data: the one shape the static JSON API and the MCP server share.

In: a `Catalog`, with its graphs and the health report, gathered once into `Sources`. Out:
for a relation, the overloads of a routine name, or a type, a JSON-ready dict (str keys;
str, int, bool, None, lists and dicts only), deterministic (sorted as the model is).
`api.schema.json` beside this module documents the shape; `static.py` writes it into the
site as `api/...json`, `mcp_server.py` answers `describe` with it. Links (`href`) are
relative to the site root (the folder holding `api/`): every object names its JSON file
and its HTML page the same way the site names them (`paths.py`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from schemadocs.api.paths import ObjectKind, object_links, routine_overload_links
from schemadocs.checks.engine import Report
from schemadocs.checks.finding import Finding
from schemadocs.lineage.edges import Edge
from schemadocs.lineage.er_graph import partition_root
from schemadocs.lineage.graphs import Graphs, build_graphs
from schemadocs.lineage.lineage_graph import RoutineKey
from schemadocs.model import (
    Catalog,
    ColumnRef,
    CompositeType,
    Domain,
    EnumType,
    ForeignKey,
    QualifiedName,
    Relation,
    Routine,
)
from schemadocs.render.type_context import type_uses

Data = dict[str, Any]
UserType = EnumType | Domain | CompositeType
API_VERSION = 1


@dataclass(frozen=True, eq=False)
class Sources:
    """What every object's data is made from: built once per build or server (compared and
    hashed by identity, so what is derived from it can be cached per instance)."""

    catalog: Catalog
    graphs: Graphs
    report: Report | None = None

    def links(self, kind: ObjectKind, qname: QualifiedName) -> dict[str, str] | None:
        """The object's JSON file and page, or None when the catalog does not hold it (a
        relation of an extension or outside --include), so every link resolves."""
        held = {ObjectKind.RELATION: self.catalog.by_name, ObjectKind.ROUTINE: self.routine_names,
                ObjectKind.TYPE: self.types}[kind]
        return object_links(kind, qname) if qname in held else None

    @cached_property
    def findings(self) -> dict[QualifiedName, tuple[Finding, ...]]:
        """The health findings of each relation and routine name (their `subject`)."""
        found: dict[QualifiedName, list[Finding]] = {}
        for f in self.report.findings if self.report else ():
            if f.subject is not None:
                found.setdefault(f.subject, []).append(f)
        return {q: tuple(fs) for q, fs in found.items()}

    @cached_property
    def type_uses(self) -> dict[QualifiedName, tuple[list[tuple[QualifiedName, str]], list[tuple[str, str, str]]]]:
        return type_uses(self.catalog)

    @cached_property
    def types(self) -> dict[QualifiedName, UserType]:
        return {t.qname: t for t in (*self.catalog.enums, *self.catalog.domains, *self.catalog.composite_types)}

    @cached_property
    def routine_names(self) -> dict[QualifiedName, tuple[Routine, ...]]:
        names: dict[QualifiedName, list[Routine]] = {}
        for f in self.catalog.routines:
            names.setdefault(QualifiedName(f.schema, f.name), []).append(f)
        return {q: tuple(fs) for q, fs in names.items()}


def sources(catalog: Catalog, report: Report | None = None, graphs: Graphs | None = None) -> Sources:
    """The sources of every object's data: the catalog, its graphs (built here unless given)
    and the health report (None: no health checks ran, so objects carry no `health` key)."""
    return Sources(catalog=catalog, graphs=graphs or build_graphs(catalog), report=report)


def relation_data(src: Sources, rel: Relation) -> Data:
    """A relation: columns, keys, indexes, constraints, foreign keys both ways, size and
    statistics, lineage (value and filter apart), what depends on it, its health findings."""
    catalog = src.catalog
    pk = rel.primary_key
    fk_columns = {c for fk in rel.foreign_keys for c in fk.columns}
    data: Data = {
        "api_version": API_VERSION,
        "kind": ObjectKind.RELATION.value,
        "relation_kind": rel.kind.value,
        "schema": rel.schema,
        "name": rel.name,
        "qualified_name": str(rel.qname),
        "comment": rel.comment,
        "owner": rel.owner,
        "links": object_links(ObjectKind.RELATION, rel.qname),
        "columns": [{
            "name": c.name,
            "position": c.position,
            "type": c.type,
            "nullable": c.nullable,
            "default": c.default,
            "comment": c.comment,
            "identity": c.identity,
            "generated": c.generated,
            "primary_key": pk is not None and c.name in pk.columns,
            "foreign_key": c.name in fk_columns,
            "user_type": None if (t := catalog.user_type(c.type)) is None else _ref(src, t, ObjectKind.TYPE),
        } for c in rel.columns],
        "primary_key": None if pk is None else {"name": pk.name, "columns": list(pk.columns)},
        "constraints": [{
            "name": c.name, "kind": c.kind.value, "columns": list(c.columns), "definition": c.definition,
            "comment": c.comment, "deferrable": c.deferrable, "validated": c.validated,
        } for c in rel.constraints],
        "indexes": [{
            "name": i.name, "columns": list(i.columns), "include_columns": list(i.include_columns),
            "method": i.method, "unique": i.unique, "primary": i.primary, "predicate": i.predicate,
            "valid": i.valid, "definition": i.definition, "comment": i.comment, "size": i.size, "scans": i.scans,
        } for i in rel.indexes],
        "foreign_keys": [foreign_key(src, fk) for fk in rel.declared_foreign_keys],
        "referenced_by": [{**foreign_key(src, fk), "from": _ref(src, other.qname)}
                          for other, fk in catalog.referenced_by.get(rel.qname, ())],
        "triggers": [{
            "name": t.name, "timing": t.timing, "events": list(t.events), "level": t.level, "enabled": t.enabled,
            "function": _ref(src, t.function, ObjectKind.ROUTINE), "comment": t.comment,
        } for t in rel.triggers],
        "view_definition": rel.view_definition,
        "partition_of": None if rel.partition_of is None else _ref(src, rel.partition_of),
        "partition_key": rel.partition_key,
        "stats": None if rel.stats is None else {k: v for k, v in dataclasses.asdict(rel.stats).items() if v is not None},
        "lineage": relation_lineage(src, rel),
        "dependents": dependents(src, rel),
    }
    if src.report is not None:
        data["health"] = [finding(f) for f in src.findings.get(rel.qname, ())]
    return data


def foreign_key(src: Sources, fk: ForeignKey) -> Data:
    """One foreign key: its columns and the referenced relation's (a virtual one marked)."""
    return {"name": fk.name, "columns": list(fk.columns), "references": {**_ref(src, fk.target), "columns": list(fk.ref_columns)},
            "on_update": fk.on_update, "on_delete": fk.on_delete, "virtual": fk.virtual}


def relation_lineage(src: Sources, rel: Relation) -> Data:
    """Where a view's data comes from, directly: the relations it reads (PostgreSQL's own
    dependencies), each output column's value sources, and the columns it only filters,
    joins, groups or orders on (kept apart: they shape which rows, not the values)."""
    return {
        "reads": [{**_ref(src, r.target), "columns": list(r.columns)} for r in rel.reads],
        "columns": [{"column": c.column, "value_from": [_column(s) for s in c.sources]} for c in rel.column_lineage],
        "filter_columns": [_column(c) for c in rel.filter_columns],
        "unresolved": list(rel.lineage_unresolved),
    }


def dependents(src: Sources, rel: Relation) -> Data:
    """What reads or writes this relation: views (directly), the view columns each of its
    columns feeds (value) or filters (filter), routines reading and writing it, trigger functions."""
    graph = src.graphs.lineage
    node = partition_root(src.catalog, rel.qname)
    views = sorted({v.qname for v in src.catalog.read_by.get(rel.qname, ())})
    value: list[Data] = []
    filters: list[Data] = []
    routines: dict[str, set[RoutineKey]] = {"reading": set(), "writing": set(), "triggers": set()}
    if node in graph and node == rel.qname:
        for c in rel.columns:
            ref = ColumnRef(rel.schema, rel.name, c.name)
            if ref not in graph:
                continue
            outs = sorted(graph.out_edges(ref, data="kind"), key=lambda e: (type(e[1]).__name__, e[1]))
            targets = [t for _, t, k in outs if k is Edge.VALUE]
            filtered = [t for _, t, k in outs if k is Edge.FILTER]
            if targets:
                value.append({"column": c.name, "to": [_column(t) for t in targets]})
            if filtered:
                filters.append({"column": c.name, "views": [_ref(src, t) for t in filtered]})
        for _, target, kind in graph.out_edges(node, data="kind"):
            if kind is Edge.ROUTINE_READS:
                routines["reading"].add(target)
            elif kind is Edge.TRIGGER:
                routines["triggers"].add(target)
        routines["writing"] = {s for s, _, k in graph.in_edges(node, data="kind") if k is Edge.ROUTINE_WRITES}
    return {
        "views": [_ref(src, v) for v in views],
        "value": value,
        "filter": filters,
        "routines_reading": [_routine(src, k) for k in sorted(routines["reading"])],
        "routines_writing": [_routine(src, k) for k in sorted(routines["writing"])],
        "trigger_functions": [_routine(src, k) for k in sorted(routines["triggers"])],
    }


def routine_data(src: Sources, qname: QualifiedName) -> Data:
    """A routine name and its overloads: signature, returns, language, properties, body,
    the tables each reads and writes, the triggers calling it; the name's health findings."""
    graph = src.graphs.lineage
    overloads = []
    for f in src.routine_names.get(qname, ()):
        key = RoutineKey(f.schema, f.name, f.arguments)
        edges = [*graph.in_edges(key, data="kind"), *graph.out_edges(key, data="kind")] if key in graph else []
        overloads.append({
            "signature": f.signature, "arguments": f.arguments, "routine_kind": f.kind, "returns": f.returns,
            "language": f.language, "volatility": f.volatility, "security_definer": f.security_definer,
            "settings": list(f.settings), "comment": f.comment, "owner": f.owner, "definition": f.definition,
            "links": routine_overload_links(f.schema, f.name, f.arguments),
            "reads": [_ref(src, s) for s, _, k in sorted(edges, key=_edge_key) if k is Edge.ROUTINE_READS],
            "writes": [_ref(src, t) for _, t, k in sorted(edges, key=_edge_key) if k is Edge.ROUTINE_WRITES],
            "triggers": [{**_ref(src, rel.qname), "trigger": t.name} for rel, t in src.catalog.triggers_calling.get(qname, ())],
            "unresolved": list(graph.nodes[key].get("unresolved", ())) if key in graph else [],
        })
    data: Data = {"api_version": API_VERSION, "kind": ObjectKind.ROUTINE.value, "schema": qname.schema,
                  "name": qname.name, "qualified_name": str(qname),
                  "links": object_links(ObjectKind.ROUTINE, qname), "overloads": overloads}
    if src.report is not None:
        data["health"] = [finding(f) for f in src.findings.get(qname, ())]
    return data


def type_data(src: Sources, t: UserType) -> Data:
    """An enum (its labels in order), a domain (base type, NOT NULL, default, CHECKs) or a
    composite type (its attributes), and where it is used."""
    columns, routines = src.type_uses.get(t.qname, ([], []))
    detail: Data
    if isinstance(t, EnumType):
        detail = {"type_kind": "enum", "labels": list(t.labels), "owner": None}
    elif isinstance(t, Domain):
        detail = {"type_kind": "domain", "base_type": t.base_type, "nullable": t.nullable, "default": t.default,
                  "checks": [{"name": n, "definition": d} for n, d in t.constraints], "owner": t.owner}
    else:
        detail = {"type_kind": "composite", "owner": t.owner,
                  "attributes": [{"name": n, "type": ty} for n, ty in t.attributes]}
    return {"api_version": API_VERSION, "kind": ObjectKind.TYPE.value, "schema": t.schema, "name": t.name,
            "qualified_name": str(t.qname), "comment": t.comment, "links": object_links(ObjectKind.TYPE, t.qname), **detail,
            "used_by_columns": [_column(ColumnRef(q.schema, q.name, c)) for q, c in columns],
            "used_by_routines": [{"schema": s, "name": n, "arguments": a,
                                  "links": routine_overload_links(s, n, a)} for s, n, a in routines]}


def finding(f: Finding) -> Data:
    return {"rule": f.rule, "level": f.level.value, "category": f.category.value, "object": f.object,
            "message": f.message, "fix": f.fix}


def _ref(src: Sources, qname: QualifiedName, kind: ObjectKind = ObjectKind.RELATION) -> Data:
    return {"schema": qname.schema, "name": qname.name, "links": src.links(kind, qname)}


def _column(ref: ColumnRef) -> Data:
    """A column of a relation (its relation's links are in the index: repeating them per column would double the file)."""
    return {"schema": ref.schema, "name": ref.name, "column": ref.column}


def _routine(src: Sources, key: RoutineKey) -> Data:
    return {"schema": key.schema, "name": key.name, "arguments": key.arguments,
            "links": routine_overload_links(key.schema, key.name, key.arguments)}


def _edge_key(edge: tuple[Any, Any, Any]) -> tuple[str, Any, str, Any]:
    s, t, _ = edge
    return (type(s).__name__, s, type(t).__name__, t)
