"""Read a live catalog into the model, in a few bulk queries.

In: a DSN. Out: a `Catalog`, sorted and deterministic.
One query per object kind over all schemas (the `.sql` files in `queries/`), run in one
read-only REPEATABLE READ transaction; rows are grouped by relation OID in Python.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import cache
from importlib import resources
from typing import Any

import sqlalchemy

from introspect.connect import connect, first_line
from introspect.versions import SUPPORTED_MIN, versions
from schemadocs.errors import IntrospectionError
from schemadocs.model import (
    Catalog,
    Column,
    Constraint,
    ConstraintKind,
    EnumType,
    ForeignKey,
    Index,
    Policy,
    QualifiedName,
    Relation,
    RelationKind,
    RelationRead,
    Routine,
    Schema,
    Trigger,
)

Row = Any  # a SQLAlchemy Row: attribute access by column name


def introspect(dsn: str, *, statement_timeout_ms: int = 60_000, lock_timeout_ms: int = 2_000) -> Catalog:
    """Connect read-only and read the whole catalog."""
    with connect(dsn, statement_timeout_ms=statement_timeout_ms, lock_timeout_ms=lock_timeout_ms) as conn:
        return read_catalog(conn)


def read_catalog(conn: sqlalchemy.Connection) -> Catalog:
    """Read the catalog through an open (read-only) connection."""
    (db,) = run(conn, "database", {})
    if db.server_version_num < SUPPORTED_MIN:
        raise IntrospectionError(
            f"database {db.name!r} runs PostgreSQL {db.server_version}; schemadocs supports 14 and later"
        )
    frags = versions(db.server_version_num)
    rows = {name: run(conn, name, frags) for name in (
        "schemas", "relations", "columns", "constraints", "indexes", "triggers",
        "policies", "view_reads", "routines", "enums",
    )}
    return Catalog(
        database=db.name,
        server_version=db.server_version,
        schemas=tuple(sorted(
            (Schema(name=r.name, owner=r.owner, comment=r.comment) for r in rows["schemas"]),
            key=lambda s: s.name,
        )),
        relations=build_relations(rows),
        routines=tuple(sorted((build_routine(r) for r in rows["routines"]),
                              key=lambda f: (f.schema, f.name, f.arguments))),
        enums=tuple(sorted(
            (EnumType(schema=r.schema, name=r.name, labels=tuple(r.labels), comment=r.comment)
             for r in rows["enums"]),
            key=lambda e: (e.schema, e.name),
        )),
    )


def run(conn: sqlalchemy.Connection, name: str, frags: dict[str, str]) -> Sequence[Row]:
    """Run one query file from `queries/` with the version fragments filled in."""
    sql = query_text(name).format(**frags)
    try:
        return conn.exec_driver_sql(sql).all()
    except sqlalchemy.exc.DBAPIError as exc:
        raise IntrospectionError(
            f"catalog query {name}.sql failed: {first_line(exc.orig)}; "
            "if it timed out, raise --statement-timeout or --lock-timeout and retry"
        ) from None


@cache
def query_text(name: str) -> str:
    return resources.files("introspect").joinpath("queries", f"{name}.sql").read_text(encoding="utf-8")


def build_relations(rows: dict[str, Sequence[Row]]) -> tuple[Relation, ...]:
    by_rel = {kind: group_by_relid(rows[kind]) for kind in (
        "columns", "constraints", "indexes", "triggers", "policies", "view_reads")}
    relations = []
    for r in rows["relations"]:
        relations.append(Relation(
            schema=r.schema,
            name=r.name,
            kind=RELKINDS[r.relkind],
            comment=r.comment,
            owner=r.owner,
            columns=tuple(build_column(c) for c in sorted(by_rel["columns"][r.relid], key=lambda c: c.position)),
            constraints=tuple(sorted((build_constraint(c) for c in by_rel["constraints"][r.relid]),
                                     key=lambda c: (CONSTRAINT_ORDER[c.kind], c.name))),
            indexes=tuple(sorted((build_index(i) for i in by_rel["indexes"][r.relid]), key=lambda i: i.name)),
            triggers=tuple(sorted((build_trigger(t) for t in by_rel["triggers"][r.relid]), key=lambda t: t.name)),
            policies=tuple(sorted((build_policy(p) for p in by_rel["policies"][r.relid]), key=lambda p: p.name)),
            rls_enabled=r.rls_enabled,
            rls_forced=r.rls_forced,
            view_definition=r.view_definition,
            reads=tuple(sorted(
                (RelationRead(schema=v.ref_schema, name=v.ref_name, columns=tuple(sorted(v.columns)))
                 for v in by_rel["view_reads"][r.relid]),
                key=lambda v: (v.schema, v.name),
            )),
            populated=r.populated,
            partition_key=r.partition_key,
            partition_of=QualifiedName(r.parent_schema, r.parent_name) if r.parent_name else None,
            partition_bound=r.partition_bound,
        ))
    return tuple(sorted(relations, key=lambda rel: (rel.schema, rel.name)))


def group_by_relid(rows: Iterable[Row]) -> defaultdict[int, list[Row]]:
    grouped: defaultdict[int, list[Row]] = defaultdict(list)
    for row in rows:
        grouped[row.relid].append(row)
    return grouped


def build_column(c: Row) -> Column:
    return Column(
        name=c.name, type=c.type, nullable=c.nullable, default=c.default, comment=c.comment,
        position=c.position, identity=c.identity, generated=c.generated, collation=c.collation,
    )


def build_constraint(c: Row) -> Constraint:
    common = dict(
        name=c.name, kind=CONSTRAINT_KINDS[c.contype], columns=tuple(c.columns), definition=c.definition,
        comment=c.comment, deferrable=c.deferrable, deferred=c.deferred, validated=c.validated,
        inherited=c.inherited,
    )
    if c.contype != "f":
        return Constraint(**common)
    return ForeignKey(
        **common, ref_schema=c.ref_schema, ref_name=c.ref_name, ref_columns=tuple(c.ref_columns),
        on_update=FK_ACTIONS[c.on_update], on_delete=FK_ACTIONS[c.on_delete], match=FK_MATCH[c.match],
    )


def build_index(i: Row) -> Index:
    return Index(
        name=i.name, definition=i.definition, columns=tuple(i.columns), method=i.method, unique=i.unique,
        primary=i.primary, nulls_not_distinct=i.nulls_not_distinct, predicate=i.predicate, valid=i.valid,
        comment=i.comment,
    )


def build_trigger(t: Row) -> Trigger:
    tgtype = t.tgtype
    timing = "INSTEAD OF" if tgtype & 64 else "BEFORE" if tgtype & 2 else "AFTER"
    events = tuple(name for bit, name in ((4, "INSERT"), (16, "UPDATE"), (8, "DELETE"), (32, "TRUNCATE")) if tgtype & bit)
    return Trigger(
        name=t.name, function=QualifiedName(t.function_schema, t.function_name), timing=timing, events=events,
        level="ROW" if tgtype & 1 else "STATEMENT", enabled=TRIGGER_ENABLED[t.enabled],
        definition=t.definition, comment=t.comment,
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
        definition=r.definition, comment=r.comment,
    )


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
