"""Turn catalog rows into model objects: one function per object kind.

In: rows of the query files (named tuples). Out: the frozen dataclasses of
`schemadocs.model`, with PostgreSQL's one-letter codes spelled out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, NamedTuple

from schemadocs.argtypes import argument_types
from schemadocs.introspect.acl import grants
from schemadocs.model import (
    Column,
    CompositeType,
    Constraint,
    ConstraintKind,
    DatabaseStats,
    Domain,
    EnumType,
    Extension,
    ForeignKey,
    Index,
    Policy,
    QualifiedName,
    RelationKind,
    RelationRead,
    RelationStats,
    Routine,
    Schema,
    SequenceUse,
    Trigger,
)
from schemadocs.model import Sequence as SequenceModel

Row = Any  # a named tuple: attribute access by column name


def build_read(v: Row) -> RelationRead:
    return RelationRead(schema=v.ref_schema, name=v.ref_name, columns=tuple(sorted(v.columns)))


def build_column(c: Row) -> Column:
    return Column(
        name=c.name, type=c.type, nullable=c.nullable, default=c.default, comment=c.comment,
        position=c.position, identity=c.identity, generated=c.generated, collation=c.collation,
        inherited=c.inherited,
    )


# PostgreSQL's system columns by attribute number (a CHECK constraint may name tableoid).
SYSTEM_COLUMNS = {-1: "ctid", -2: "xmin", -3: "cmin", -4: "xmax", -5: "cmax", -6: "tableoid"}
AttributeNames = dict[int, dict[int, str]]  # relation OID -> attnum -> column name


def attribute_names(columns: dict[int, tuple[Column, ...]]) -> AttributeNames:
    """Per relation OID, its columns' names by attribute number (a column's position is its attnum)."""
    return {relid: {c.position: c.name for c in cols} for relid, cols in columns.items()}


def column_acls(rows: Iterable[Row]) -> dict[int, list[tuple[str, Sequence[str]]]]:
    """Per relation OID, (column name, ACL) for its columns that have privileges of their own."""
    found: dict[int, list[tuple[str, Sequence[str]]]] = {}
    for r in rows:
        if r.acl:
            found.setdefault(r.relid, []).append((r.name, r.acl))
    return found


def named(names: AttributeNames, relid: int, attnums: Sequence[int] | None) -> tuple[str, ...]:
    """The names of a relation's attributes, in the order given."""
    own = names.get(relid, {})
    return tuple(own.get(n) or SYSTEM_COLUMNS[n] for n in attnums or ())


def build_constraint(c: Row, names: AttributeNames) -> Constraint:
    common = dict(
        name=c.name, kind=CONSTRAINT_KINDS[c.contype], columns=named(names, c.relid, c.attnums),
        definition=c.definition,
        comment=c.comment, deferrable=c.deferrable, deferred=c.deferred, validated=c.validated,
        inherited=c.inherited, nulls_not_distinct=c.nulls_not_distinct,
    )
    if c.contype != "f":
        return Constraint(**common)
    return ForeignKey(
        **common, ref_schema=c.ref_schema, ref_name=c.ref_name,
        ref_columns=tuple(c.ref_columns) if c.ref_columns is not None else named(names, c.ref_relid, c.ref_attnums),
        on_update=FK_ACTIONS[c.on_update], on_delete=FK_ACTIONS[c.on_delete], match=FK_MATCH[c.match],
    )


class Sizes(NamedTuple):
    table_size: int | None  # None when the relation was dropped meanwhile
    index_size: int | None  # None for an index, or when a size of one of the table's indexes is unknown
    total_size: int | None
    main_size: int | None  # tables and materialized views: the heap's main fork


def relation_sizes(rows: Sequence[Row]) -> dict[int, Sizes]:
    """Per relation OID, its sizes from `sizes.sql`: an index's is its own; a table's index size
    is the sum over its indexes and its total the table's plus that, unless a size of one of its
    indexes is unknown (locked, or the relation dropped meanwhile: pg_table_size gives NULL),
    when both are unknown."""
    of_table: dict[int, list[int | None]] = {}
    for r in rows:
        if r.table_relid is not None:
            of_table.setdefault(r.table_relid, []).append(r.size)
    sizes = {}
    for r in rows:
        if r.table_relid is not None:
            sizes[r.relid] = Sizes(r.size, None, r.size, None)
        else:
            found = of_table.get(r.relid, [])
            index_size = sum(found) if len(found) == r.indexes and None not in found else None
            total = None if index_size is None or r.size is None else r.size + index_size
            sizes[r.relid] = Sizes(r.size, index_size, total, r.main_size)
    return sizes


def build_index(i: Row, names: AttributeNames, stat: Row | None, size: Sizes | None) -> Index:
    own = names.get(i.relid, {})
    columns = tuple(own[n] if n else i.texts[k] for k, n in enumerate(i.attnums))
    return Index(
        name=i.name, definition=i.definition, columns=columns[:i.key_count], include_columns=columns[i.key_count:],
        method=i.method, unique=i.unique, primary=i.primary, nulls_not_distinct=i.nulls_not_distinct,
        predicate=i.predicate, valid=i.valid, comment=i.comment,
        size=size.total_size if size else None, scans=stat.index_scans if stat else None,
    )


def build_stats(s: Row, size: Sizes | None) -> RelationStats:
    return RelationStats(
        estimated_rows=s.estimated_rows,
        table_size=size.table_size if size else None,
        index_size=size.index_size if size else None,
        total_size=size.total_size if size else None,
        seq_scans=s.seq_scan, index_scans=s.idx_scan,
        last_vacuum=_iso(s.last_vacuum), last_autovacuum=_iso(s.last_autovacuum),
        last_analyze=_iso(s.last_analyze), last_autoanalyze=_iso(s.last_autoanalyze),
        live_rows=s.live_rows, dead_rows=s.dead_rows, vacuum_count=s.vacuum_count, analyze_count=s.analyze_count,
        xid_age=s.xid_age, heap_blocks_hit=s.heap_blocks_hit, heap_blocks_read=s.heap_blocks_read,
        main_size=size.main_size if size else None, row_width=s.row_width,
    )


def build_database_stats(db: Row, sequences: Sequence[Row]) -> DatabaseStats:
    """The database's activity statistics and each sequence's last value (sorted by name)."""
    uses = sorted((SequenceUse(schema=r.schema, name=r.name, last_value=r.last_value) for r in sequences),
                  key=lambda u: (u.schema, u.name))
    return DatabaseStats(stats_reset=_iso(db.stats_reset), read_at=_iso(db.read_at), xid_age=db.xid_age,
                         blocks_hit=db.blocks_hit, blocks_read=db.blocks_read, sequences=tuple(uses))


def build_schema(r: Row) -> Schema:
    return Schema(name=r.name, owner=r.owner, comment=r.comment, grants=grants(r.acl), oid=r.oid)


def build_enum(r: Row) -> EnumType:
    return EnumType(schema=r.schema, name=r.name, labels=tuple(r.labels), comment=r.comment, oid=r.oid)


def build_composite_type(r: Row) -> CompositeType:
    return CompositeType(schema=r.schema, name=r.name, attributes=tuple((a, t) for a, t in r.attributes),
                         owner=r.owner, comment=r.comment)


def build_extension(r: Row) -> Extension:
    return Extension(name=r.name, version=r.version, schema=r.schema, comment=r.comment)


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
        grants=grants(r.acl),
    )


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
        grants=grants(r.acl), oid=r.oid, acl_empty=bool(r.acl_empty),
        argument_types=None if r.argument_types == argument_types(r.arguments) else r.argument_types,
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
