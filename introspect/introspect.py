"""Read a live catalog into the model, in a few bulk queries.

In: a DSN. Out: a `Catalog`, sorted and deterministic.
One query per object kind over all schemas (the `.sql` files in `queries/`, run by
`fetch.py`) in one read-only REPEATABLE READ transaction; `builders.py` turns rows into
model objects, grouped by relation OID, while the next query runs.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import sqlalchemy

from schemadocs.introspect.builders import (
    CONSTRAINT_ORDER,
    RELKINDS,
    attribute_names,
    build_column,
    build_composite_type,
    build_constraint,
    build_database_stats,
    build_domain,
    build_enum,
    build_extension,
    build_index,
    build_policy,
    build_read,
    build_routine,
    build_schema,
    build_sequence,
    build_stats,
    build_trigger,
    column_acls,
    relation_sizes,
)
from schemadocs.introspect.acl import grants
from schemadocs.introspect.connect import connect
from schemadocs.introspect.fetch import CatalogChanged, CatalogLocked, fetch_in_background, run
from schemadocs.introspect.node_tree import node_tree
from schemadocs.introspect.unqualify import unqualified_rows
from schemadocs.introspect.view_lineage import view_lineage
from schemadocs.introspect.versions import SUPPORTED_MIN, versions
from schemadocs import progress
from schemadocs.errors import IntrospectionError
from schemadocs.gc_pause import gc_paused
from schemadocs.model import (
    Catalog,
    ColumnLineage,
    ColumnRef,
    QualifiedName,
    Relation,
    RelationKind,
)

Row = Any  # a named tuple: attribute access by column name


def introspect(dsn: str, *, statement_timeout_ms: int = 60_000, lock_timeout_ms: int = 2_000,
               stats: bool = True) -> Catalog:
    """Connect read-only and read the whole catalog (with statistics unless `stats` is False).

    If an object is dropped between the transaction's snapshot and a catalog function that
    needs it (pg_get_viewdef and friends read the live catalog), PostgreSQL raises an error;
    the read is then retried in a fresh transaction, whose snapshot no longer has the object.
    The deparsing functions (pg_get_indexdef, pg_get_viewdef, ...) also take ACCESS SHARE
    locks; when a migration holds a relation, lock_timeout cancels the read and it is retried
    after a pause, then given up with a clear message: introspection never queues for long.
    """
    with gc_paused():  # about a million small objects and no cycles: collecting only costs time
        return _introspect(dsn, statement_timeout_ms, lock_timeout_ms, stats)


def _introspect(dsn: str, statement_timeout_ms: int, lock_timeout_ms: int, stats: bool) -> Catalog:
    for attempt in range(1, ATTEMPTS + 1):
        try:
            with connect(dsn, statement_timeout_ms=statement_timeout_ms, lock_timeout_ms=lock_timeout_ms) as conn:
                return read_catalog(conn, stats=stats)
        except CatalogChanged:
            continue
        except CatalogLocked as exc:
            if attempt == ATTEMPTS:
                raise IntrospectionError(
                    f"{exc}: another session (a migration?) held a lock for the whole of {ATTEMPTS} attempts; "
                    "rerun when it has finished, or raise --lock-timeout"
                ) from None
            time.sleep(attempt)
    raise IntrospectionError(
        f"the catalog kept changing while it was read ({ATTEMPTS} attempts); retry once the migrations are done"
    )


def read_catalog(conn: sqlalchemy.Connection, *, stats: bool = True) -> Catalog:
    """Read the catalog through an open read-only connection (`connect`): the server's facts,
    then every query in `query_order`, each result built into model objects as it arrives,
    then the catalog assembled."""
    db, public_hidden = server_facts(conn)
    parts: dict[str, Any] = {}
    order = query_order(stats)
    with progress.stage("introspect", total=len(order)) as stage:
        for name, rows in fetch_in_background(conn, versions(db.server_version_num), order):
            # PostgreSQL leaves `public` off the pinned search_path when the role has no USAGE
            # on it, and the deparsers then qualify its names: take that qualifier out again.
            BUILDERS[name](unqualified_rows(name, rows) if public_hidden else rows, parts)
            stage.advance(step=name)
    return assemble(db, parts)


def server_facts(conn: sqlalchemy.Connection) -> tuple[Row, bool]:
    """The database row (name, version, starting search_path), checked for a supported
    version, and whether `public` exists but is hidden from this role's search_path."""
    (db,) = run(conn, "database", {})
    if db.server_version_num < SUPPORTED_MIN:
        raise IntrospectionError(
            f"database {db.name!r} runs PostgreSQL {db.server_version}; schemadocs supports 14 and later"
        )
    public_hidden = conn.exec_driver_sql(
        "SELECT to_regnamespace('public') IS NOT NULL AND NOT 'public' = ANY(current_schemas(false))").scalar()
    return db, bool(public_hidden)


def query_order(stats: bool) -> tuple[str, ...]:
    """The queries in the order they run. They run one after another in a worker thread
    while this thread turns the results already in into model objects, so the Python work
    hides behind server time. The lineage inputs come first, as parsing query trees is the
    largest Python cost, and the slow size query right after, so it runs while those trees
    are parsed; columns before constraints and indexes, which name their columns by attnum.
    Relations come last: every other result is built by then, so only assembling remains."""
    return ("rule_targets", "view_rules", *(("sizes", "stats") if stats else ()), "columns", "constraints",
            "indexes", "triggers", "policies", "view_reads", "schemas", "routines", "enums", "domains",
            "composite_types", "sequences", "extensions", "relations")


def assemble(db: Row, parts: dict[str, Any]) -> Catalog:
    """The catalog from the database row and the model objects built from every query."""
    relations = parts["relations"]
    skipped = tuple(sorted(
        r.qname for r in relations if r.stats and r.kind in SIZED and r.stats.total_size is None
    ))
    return Catalog(
        database=db.name,
        server_version=db.server_version,
        search_path=db.search_path,
        schemas=parts["schemas"],
        relations=relations,
        routines=parts["routines"],
        enums=parts["enums"],
        domains=parts["domains"],
        composite_types=parts["composite_types"],
        sequences=parts["sequences"],
        extensions=parts["extensions"],
        skipped_sizes=skipped,
        database_stats=build_database_stats(db, parts["sequence_rows"]) if "stats" in parts else None,
        outside=parts["outside"],
    )


# -- one builder per query: its rows -> model objects in `parts` ----------------------------

Parts = dict[str, Any]


def _columns(rows: Sequence[Row], parts: Parts) -> None:
    parts["columns"] = per_relation(rows, build_column, lambda c: c.position)
    parts["attnames"] = attribute_names(parts["columns"])
    parts["column_acls"] = column_acls(rows)


def _constraints(rows: Sequence[Row], parts: Parts) -> None:
    names = parts["attnames"]
    parts["constraints"] = per_relation(rows, lambda c: build_constraint(c, names),
                                        lambda c: (CONSTRAINT_ORDER[c.kind], c.name))
    # the query names the referenced columns itself only for an extension's tables
    parts["outside"] = tuple(sorted({QualifiedName(r.ref_schema, r.ref_name) for r in rows if r.ref_columns is not None}))


def _indexes(rows: Sequence[Row], parts: Parts) -> None:
    names, stat, size = parts["attnames"], parts.get("stats", {}), parts.get("sizes", {})
    parts["indexes"] = per_relation(
        rows, lambda i: build_index(i, names, stat.get(i.indexrelid), size.get(i.indexrelid)), lambda i: i.name)


def _per_relation(name: str, build: Callable[[Row], Any], key: Callable[[Any], Any]) -> Callable[[Sequence[Row], Parts], None]:
    def builder(rows: Sequence[Row], parts: Parts) -> None:
        parts[name] = per_relation(rows, build, key)
    return builder


def _catalog_wide(name: str, build: Callable[[Row], Any], key: Callable[[Any], Any]) -> Callable[[Sequence[Row], Parts], None]:
    def builder(rows: Sequence[Row], parts: Parts) -> None:
        parts[name] = tuple(sorted(map(build, rows), key=key))
    return builder


def _sequences(rows: Sequence[Row], parts: Parts) -> None:
    parts["sequences"] = tuple(sorted(map(build_sequence, rows), key=lambda q: (q.schema, q.name)))
    parts["sequence_rows"] = rows  # their last values are statistics (database_stats)


BUILDERS: dict[str, Callable[[Sequence[Row], Parts], None]] = {
    "rule_targets": lambda rows, parts: parts.update(rule_targets=rows),
    "view_rules": lambda rows, parts: parts.update(lineage=column_lineage(rows, parts["rule_targets"])),
    "stats": lambda rows, parts: parts.update(stats={r.relid: r for r in rows}),
    "sizes": lambda rows, parts: parts.update(sizes=relation_sizes(rows)),
    "columns": _columns,
    "constraints": _constraints,
    "indexes": _indexes,
    "triggers": _per_relation("triggers", build_trigger, lambda t: t.name),
    "policies": _per_relation("policies", build_policy, lambda p: p.name),
    "view_reads": _per_relation("view_reads", build_read, lambda v: (v.schema, v.name)),
    "schemas": _catalog_wide("schemas", build_schema, lambda s: s.name),
    "routines": _catalog_wide("routines", build_routine, lambda f: (f.schema, f.name, f.arguments)),
    "enums": _catalog_wide("enums", build_enum, lambda e: (e.schema, e.name)),
    "domains": _catalog_wide("domains", build_domain, lambda d: (d.schema, d.name)),
    "composite_types": _catalog_wide("composite_types", build_composite_type, lambda t: (t.schema, t.name)),
    "sequences": _sequences,
    "extensions": _catalog_wide("extensions", build_extension, lambda e: e.name),
    "relations": lambda rows, parts: parts.update(relations=build_relations(rows, parts)),
}


def build_relations(rows: Sequence[Row], parts: dict[str, Any]) -> tuple[Relation, ...]:
    """Assemble relations from their rows and the per-relation objects built beforehand."""
    lineage, stats, sizes = parts["lineage"], parts.get("stats", {}), parts.get("sizes", {})
    relations = []
    for r in rows:
        relations.append(Relation(
            schema=r.schema,
            name=r.name,
            kind=RELKINDS[r.relkind],
            comment=r.comment,
            owner=r.owner,
            columns=parts["columns"].get(r.relid, ()),
            constraints=parts["constraints"].get(r.relid, ()),
            indexes=parts["indexes"].get(r.relid, ()),
            triggers=parts["triggers"].get(r.relid, ()),
            policies=parts["policies"].get(r.relid, ()),
            rls_enabled=r.rls_enabled,
            rls_forced=r.rls_forced,
            view_definition=r.view_definition,
            reads=parts["view_reads"].get(r.relid, ()),
            column_lineage=lineage[r.relid][0] if r.relid in lineage else (),
            filter_columns=lineage[r.relid][1] if r.relid in lineage else (),
            lineage_unresolved=lineage[r.relid][2] if r.relid in lineage else (),
            populated=r.populated,
            partition_key=r.partition_key,
            partition_of=QualifiedName(r.parent_schema, r.parent_name) if r.parent_name else None,
            partition_bound=r.partition_bound,
            inherits=tuple(QualifiedName(schema, name) for schema, name in r.inherits),
            foreign_server=r.foreign_server,
            foreign_options=tuple(r.foreign_options or ()),
            grants=grants(r.acl, parts["column_acls"].get(r.relid, ())),
            oid=r.relid,
            options=tuple(r.options),
            stats=build_stats(stats[r.relid], sizes.get(r.relid)) if r.relid in stats else None,
        ))
    return tuple(sorted(relations, key=lambda rel: (rel.schema, rel.name)))


def column_lineage(
    rules: Sequence[Row], targets: Sequence[Row]
) -> dict[int, tuple[tuple[ColumnLineage, ...], tuple[ColumnRef, ...], tuple[str, ...]]]:
    """Per view OID: its column lineage, filter columns and unresolved parts (from ev_action)."""
    attnums = {t.relid: dict(zip(t.attnums, t.attnames)) for t in targets}
    names = {t.relid: (t.schema, t.name) for t in targets}
    unknown: list[str] = []

    def ref(key: tuple[int, int]) -> ColumnRef | None:
        relid, attnum = key
        if relid in names and attnum in attnums[relid]:
            return ColumnRef(*names[relid], attnums[relid][attnum])
        unknown.append(f"column {attnum} of relation OID {relid}")
        return None

    def refs(keys: Iterable[tuple[int, int]]) -> tuple[ColumnRef, ...]:
        return tuple(sorted({r for r in map(ref, keys) if r is not None}))

    result = {}
    for rule in rules:
        unknown.clear()
        found = view_lineage(node_tree(rule.action), attnums)
        columns = tuple(ColumnLineage(column=name, sources=refs(keys)) for name, keys in found.columns)
        result[rule.relid] = (columns, refs(found.filter), tuple(sorted(set(found.unresolved + unknown))))
    return result


def group_by_relid(rows: Iterable[Row]) -> defaultdict[int, list[Row]]:
    grouped: defaultdict[int, list[Row]] = defaultdict(list)
    for row in rows:
        grouped[row.relid].append(row)
    return grouped


def per_relation(rows: Sequence[Row], build: Callable[[Row], Any], key: Callable[[Any], Any]) -> dict[int, tuple[Any, ...]]:
    """Model objects per relation OID, each group sorted by `key`."""
    return {relid: tuple(sorted(map(build, group), key=key)) for relid, group in group_by_relid(rows).items()}


ATTEMPTS = 3
SIZED = (RelationKind.TABLE, RelationKind.MATERIALIZED_VIEW)
