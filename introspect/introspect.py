"""Read a live catalog into the model, in a few bulk queries.

In: a DSN. Out: a `Catalog`, sorted and deterministic.
One query per object kind over all schemas (the `.sql` files in `queries/`), run in one
read-only REPEATABLE READ transaction; rows are grouped by relation OID in Python.
"""

from __future__ import annotations

import gc
import queue
import re
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from functools import cache
from importlib import resources
from typing import Any

import psycopg
import sqlalchemy
from psycopg.rows import namedtuple_row

from introspect.connect import connect, first_line
from introspect.node_tree import node_tree
from introspect.view_lineage import view_lineage
from introspect.versions import SUPPORTED_MIN, versions
from schemadocs.errors import IntrospectionError
from schemadocs.model import (
    Catalog,
    Column,
    ColumnLineage,
    ColumnRef,
    CompositeType,
    Constraint,
    ConstraintKind,
    Domain,
    EnumType,
    Extension,
    ForeignKey,
    Grant,
    Index,
    Policy,
    QualifiedName,
    Relation,
    RelationKind,
    RelationRead,
    RelationStats,
    Routine,
    Schema,
    Trigger,
)
from schemadocs.model import Sequence as SequenceModel

Row = Any  # a SQLAlchemy Row: attribute access by column name


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


class CatalogChanged(IntrospectionError):
    """An object vanished between the snapshot and a catalog function call (concurrent DDL)."""


class CatalogLocked(IntrospectionError):
    """A catalog function waited longer than lock_timeout for a lock another session holds."""


def read_catalog(conn: sqlalchemy.Connection, *, stats: bool = True) -> Catalog:
    """Read the catalog through an open (read-only) connection."""
    gc_was_enabled = gc.isenabled()
    gc.disable()  # hundreds of thousands of small objects and no cycles: collection only costs time
    try:
        return _read_catalog(conn, stats=stats)
    finally:
        if gc_was_enabled:
            gc.enable()


def _read_catalog(conn: sqlalchemy.Connection, *, stats: bool) -> Catalog:
    # Deparsed text (defaults, constraint and view definitions, type names) leaves out the
    # schema of whatever is on search_path, so a role's own setting (ALTER ROLE ... SET
    # search_path) would change the snapshot. Pin it for this transaction.
    conn.exec_driver_sql("SELECT set_config('search_path', 'public', true)")
    (db,) = run(conn, "database", {})
    if db.server_version_num < SUPPORTED_MIN:
        raise IntrospectionError(
            f"database {db.name!r} runs PostgreSQL {db.server_version}; schemadocs supports 14 and later"
        )
    frags = versions(db.server_version_num)
    # The queries run one after another in a worker thread while this thread turns the
    # results already in into model objects: the Python work hides behind server time.
    # The lineage inputs come first, as parsing query trees is the largest Python cost, and
    # the slow size query right after, so it runs while those trees are parsed.
    names = ("rule_targets", "view_rules", *(("sizes", "stats") if stats else ()), "columns", "schemas",
             "relations", "constraints", "indexes", "triggers", "policies", "view_reads", "routines", "enums",
             "domains", "composite_types", "sequences", "extensions")
    rows: dict[str, Sequence[Row]] = {"stats": (), "sizes": ()}
    parts: dict[str, Any] = {}  # per-relation model objects, built as their query's rows arrive
    for name, result in fetch_in_background(conn, frags, names):
        rows[name] = result
        if name == "view_rules":
            parts["lineage"] = column_lineage(result, rows["rule_targets"])
        elif name in ("stats", "sizes"):
            parts[name] = {r.relid: r for r in result}
        elif name == "indexes":
            stat, size = parts.get("stats", {}), parts.get("sizes", {})
            parts[name] = per_relation(result, lambda i: build_index(i, stat.get(i.indexrelid), size.get(i.indexrelid)),
                                       lambda i: i.name)
        elif name in PER_RELATION:
            parts[name] = per_relation(result, *PER_RELATION[name])
    relations = build_relations(rows["relations"], parts)
    skipped = tuple(sorted(
        r.qname for r in relations if r.stats and r.kind in SIZED and r.stats.total_size is None
    ))
    return Catalog(
        database=db.name,
        server_version=db.server_version,
        schemas=tuple(sorted(
            (Schema(name=r.name, owner=r.owner, comment=r.comment, grants=grants(r.grants), oid=r.oid)
             for r in rows["schemas"]),
            key=lambda s: s.name,
        )),
        relations=relations,
        routines=tuple(sorted((build_routine(r) for r in rows["routines"]),
                              key=lambda f: (f.schema, f.name, f.arguments))),
        enums=tuple(sorted(
            (EnumType(schema=r.schema, name=r.name, labels=tuple(r.labels), comment=r.comment, oid=r.oid)
             for r in rows["enums"]),
            key=lambda e: (e.schema, e.name),
        )),
        domains=tuple(sorted((build_domain(r) for r in rows["domains"]), key=lambda d: (d.schema, d.name))),
        composite_types=tuple(sorted(
            (CompositeType(schema=r.schema, name=r.name, attributes=tuple((a, t) for a, t in r.attributes),
                           owner=r.owner, comment=r.comment) for r in rows["composite_types"]),
            key=lambda t: (t.schema, t.name),
        )),
        sequences=tuple(sorted((build_sequence(r) for r in rows["sequences"]), key=lambda q: (q.schema, q.name))),
        extensions=tuple(sorted(
            (Extension(name=r.name, version=r.version, schema=r.schema, comment=r.comment) for r in rows["extensions"]),
            key=lambda e: e.name,
        )),
        skipped_sizes=skipped,
    )


def fetch_in_background(conn: sqlalchemy.Connection, frags: dict[str, str],
                        names: Sequence[str]) -> Iterator[tuple[str, Sequence[Row]]]:
    """Run the named queries in order in a worker thread; yield each result as it arrives.

    Only the worker touches the connection until it is done; if the consumer stops early
    (an error, Ctrl-C), the running query is cancelled and the worker joined first.
    """
    results: queue.Queue[tuple[str, Sequence[Row]] | BaseException | None] = queue.Queue()

    def work() -> None:
        try:
            for name in names:
                results.put((name, read_sizes(conn, frags) if name == "sizes" else run(conn, name, frags)))
            results.put(None)
        except BaseException as exc:  # handed to the consumer, which raises it
            results.put(exc)

    worker = threading.Thread(target=work, name="schemadocs-catalog-reader", daemon=True)
    worker.start()
    finished = False
    try:
        while (item := results.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            yield item
        finished = True
    finally:
        if not finished and worker.is_alive():
            conn.connection.driver_connection.cancel()  # type: ignore[union-attr]
        worker.join()


def read_sizes(conn: sqlalchemy.Connection, frags: dict[str, str]) -> Sequence[Row]:
    """Relation sizes, never waiting behind a migration's lock.

    Relations with an ACCESS EXCLUSIVE lock held or requested are left out by the query
    itself (and reported in `Catalog.skipped_sizes`); if a lock is taken between that check
    and the size call, lock_timeout cancels the query inside a savepoint and it is retried.
    After three tries all sizes are skipped.
    """
    for _ in range(3):
        savepoint = conn.begin_nested()
        try:
            result = run(conn, "sizes", frags)
        except CatalogLocked:
            savepoint.rollback()
            continue
        savepoint.commit()
        return result
    return ()


def run(conn: sqlalchemy.Connection, name: str, frags: dict[str, str]) -> Sequence[Row]:
    """Run one query file from `queries/` with the version fragments filled in.

    Rows are fetched through the psycopg cursor underneath SQLAlchemy's connection (same
    transaction): SQLAlchemy's Result layer costs measurable time on 200,000-row reads.
    """
    sql = query_text(name).format(**frags)
    cursor = conn.connection.driver_connection.cursor(row_factory=namedtuple_row)  # type: ignore[union-attr]
    try:
        cursor.execute(sql)
        return cursor.fetchall()
    except psycopg.Error as exc:
        if CONCURRENT_DDL.search(str(exc)):
            raise CatalogChanged(f"an object was dropped while {name}.sql ran: {first_line(exc)}") from None
        if isinstance(exc, psycopg.errors.LockNotAvailable):
            raise CatalogLocked(f"catalog query {name}.sql could not get a lock") from None
        raise IntrospectionError(
            f"catalog query {name}.sql failed: {first_line(exc)}; "
            "if it timed out, raise --statement-timeout or --lock-timeout and retry"
        ) from None
    finally:
        cursor.close()


@cache
def query_text(name: str) -> str:
    return resources.files("introspect").joinpath("queries", f"{name}.sql").read_text(encoding="utf-8")


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
            foreign_server=r.foreign_server,
            foreign_options=tuple(r.foreign_options or ()),
            grants=grants(r.grants, r.column_grants),
            oid=r.relid,
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


def build_read(v: Row) -> RelationRead:
    return RelationRead(schema=v.ref_schema, name=v.ref_name, columns=tuple(sorted(v.columns)))


def build_column(c: Row) -> Column:
    return Column(
        name=c.name, type=c.type, nullable=c.nullable, default=c.default, comment=c.comment,
        position=c.position, identity=c.identity, generated=c.generated, collation=c.collation,
    )


def build_constraint(c: Row) -> Constraint:
    common = dict(
        name=c.name, kind=CONSTRAINT_KINDS[c.contype], columns=tuple(c.columns), definition=c.definition,
        comment=c.comment, deferrable=c.deferrable, deferred=c.deferred, validated=c.validated,
        inherited=c.inherited, nulls_not_distinct=c.nulls_not_distinct,
    )
    if c.contype != "f":
        return Constraint(**common)
    return ForeignKey(
        **common, ref_schema=c.ref_schema, ref_name=c.ref_name, ref_columns=tuple(c.ref_columns),
        on_update=FK_ACTIONS[c.on_update], on_delete=FK_ACTIONS[c.on_delete], match=FK_MATCH[c.match],
    )


def build_index(i: Row, stat: Row | None, size: Row | None) -> Index:
    return Index(
        name=i.name, definition=i.definition, columns=tuple(i.columns), include_columns=tuple(i.include_columns),
        method=i.method, unique=i.unique, primary=i.primary, nulls_not_distinct=i.nulls_not_distinct,
        predicate=i.predicate, valid=i.valid, comment=i.comment,
        size=size.total_size if size else None, scans=stat.index_scans if stat else None,
    )


def build_stats(s: Row, size: Row | None) -> RelationStats:
    return RelationStats(
        estimated_rows=s.estimated_rows,
        table_size=size.table_size if size else None,
        index_size=size.index_size if size else None,
        total_size=size.total_size if size else None,
        seq_scans=s.seq_scan, index_scans=s.idx_scan,
        last_vacuum=_iso(s.last_vacuum), last_autovacuum=_iso(s.last_autovacuum),
        last_analyze=_iso(s.last_analyze), last_autoanalyze=_iso(s.last_autoanalyze),
    )


def build_domain(r: Row) -> Domain:
    return Domain(
        schema=r.schema, name=r.name, base_type=r.base_type, nullable=r.nullable, default=r.default,
        constraints=tuple((n, d) for n, d in r.constraints), owner=r.owner, comment=r.comment,
    )


def build_sequence(r: Row) -> SequenceModel:
    return SequenceModel(
        schema=r.schema, name=r.name, type=r.type, start=r.start, increment=r.increment, min_value=r.min_value,
        max_value=r.max_value, cache=r.cache, cycle=r.cycle,
        owned_by=QualifiedName(r.owned_by_schema, r.owned_by_table) if r.owned_by_table else None,
        owned_by_column=r.owned_by_column, identity=bool(r.identity), owner=r.owner, comment=r.comment,
        grants=grants(r.grants),
    )


def grants(table_level: Iterable[Sequence[str]], column_level: Iterable[Sequence[str]] = ()) -> tuple[Grant, ...]:
    """Grants from aclexplode rows: [grantee, privilege, grantable] and [column, grantee, ...]."""
    found = [Grant(grantee=g, privilege=p, grantable=ok == "true") for g, p, ok in table_level or ()]
    found += [Grant(grantee=g, privilege=p, grantable=ok == "true", column=c) for c, g, p, ok in column_level or ()]
    return tuple(sorted(set(found), key=lambda g: (g.grantee, g.privilege, g.column or "", g.grantable)))


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def trigger_condition(definition: str) -> str | None:
    """The WHEN (...) condition of a trigger, cut from pg_get_triggerdef's fixed layout.

    PostgreSQL has no function that deparses tgqual alone (its OLD/NEW references defeat
    pg_get_expr), so the balanced parenthesis after ' WHEN ' is taken, minding quotes.
    """
    start = definition.find(" WHEN (", definition.find(" FOR EACH "))
    if start < 0:
        return None
    depth, quote = 0, ""
    for i in range(start + 6, len(definition)):
        c = definition[i]
        if quote:
            quote = "" if c == quote else quote
        elif c in "'\"":
            quote = c
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return definition[start + 7:i]
    return None


def build_trigger(t: Row) -> Trigger:
    tgtype = t.tgtype
    timing = "INSTEAD OF" if tgtype & 64 else "BEFORE" if tgtype & 2 else "AFTER"
    events = tuple(name for bit, name in ((4, "INSERT"), (16, "UPDATE"), (8, "DELETE"), (32, "TRUNCATE")) if tgtype & bit)
    return Trigger(
        name=t.name, function=QualifiedName(t.function_schema, t.function_name), timing=timing, events=events,
        level="ROW" if tgtype & 1 else "STATEMENT", enabled=TRIGGER_ENABLED[t.enabled],
        condition=trigger_condition(t.definition or ""), definition=t.definition, comment=t.comment,
    )


def build_policy(p: Row) -> Policy:
    return Policy(
        name=p.name, command=POLICY_COMMANDS[p.command], roles=tuple(p.roles), permissive=p.permissive,
        using=p.using, with_check=p.with_check, comment=p.comment,
    )


def build_routine(r: Row) -> Routine:
    return Routine(
        schema=r.schema, name=r.name, arguments=r.arguments, kind=ROUTINE_KINDS[r.prokind], returns=r.returns,
        language=r.language, volatility=VOLATILITY[r.volatility], security_definer=r.security_definer,
        definition=r.definition, comment=r.comment, owner=r.owner, settings=tuple(r.settings),
        grants=grants(r.grants), oid=r.oid,
    )


PER_RELATION: dict[str, tuple[Callable[[Row], Any], Callable[[Any], Any]]] = {
    "columns": (build_column, lambda c: c.position),
    "constraints": (build_constraint, lambda c: (CONSTRAINT_ORDER[c.kind], c.name)),
    "triggers": (build_trigger, lambda t: t.name),
    "policies": (build_policy, lambda p: p.name),
    "view_reads": (build_read, lambda v: (v.schema, v.name)),
}
ATTEMPTS = 3
CONCURRENT_DDL = re.compile(r"could not open relation with OID|cache lookup failed")
SIZED = (RelationKind.TABLE, RelationKind.MATERIALIZED_VIEW)
RELKINDS = {
    "r": RelationKind.TABLE, "p": RelationKind.PARTITIONED_TABLE, "v": RelationKind.VIEW,
    "m": RelationKind.MATERIALIZED_VIEW, "f": RelationKind.FOREIGN_TABLE,
}
CONSTRAINT_KINDS = {
    "p": ConstraintKind.PRIMARY_KEY, "f": ConstraintKind.FOREIGN_KEY, "u": ConstraintKind.UNIQUE,
    "c": ConstraintKind.CHECK, "x": ConstraintKind.EXCLUSION,
}
CONSTRAINT_ORDER = {kind: i for i, kind in enumerate(ConstraintKind)}
FK_ACTIONS = {"a": "NO ACTION", "r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT"}
FK_MATCH = {"s": "SIMPLE", "f": "FULL", "p": "PARTIAL"}
TRIGGER_ENABLED = {"O": "ORIGIN", "D": "DISABLED", "R": "REPLICA", "A": "ALWAYS"}
POLICY_COMMANDS = {"*": "ALL", "r": "SELECT", "a": "INSERT", "w": "UPDATE", "d": "DELETE"}
ROUTINE_KINDS = {"f": "function", "p": "procedure", "a": "aggregate", "w": "window"}
VOLATILITY = {"i": "immutable", "s": "stable", "v": "volatile"}
