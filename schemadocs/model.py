"""The catalog model: plain, frozen, sorted data in PostgreSQL's own vocabulary.

In: nothing (introspection builds it, the snapshot loader rebuilds it).
Out: `Catalog`, the single value every later stage (lineage, pages, diagrams) works from.
Identity is always a `QualifiedName`; a bare relation name is never enough.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property, lru_cache
from typing import ClassVar, TypeVar

from pglast.keywords import COL_NAME_KEYWORDS, RESERVED_KEYWORDS, TYPE_FUNC_NAME_KEYWORDS

from schemadocs.argtypes import argument_types

K = TypeVar("K")
V = TypeVar("V")

FORMAT_VERSION = 1


_KEYWORDS = RESERVED_KEYWORDS | COL_NAME_KEYWORDS | TYPE_FUNC_NAME_KEYWORDS
_PLAIN = re.compile("[a-z_][a-z0-9_]*")  # what quote_ident leaves unquoted (keywords aside)


@lru_cache(maxsize=1 << 16)  # the same names are quoted over and over when pages are built
def quote_ident(name: str) -> str:
    """Quote an identifier exactly as PostgreSQL's quote_ident() does."""
    if _PLAIN.fullmatch(name) and name not in _KEYWORDS:
        return name
    return '"' + name.replace('"', '""') + '"'


class RelationKind(StrEnum):
    TABLE = "table"
    PARTITIONED_TABLE = "partitioned_table"
    VIEW = "view"
    MATERIALIZED_VIEW = "materialized_view"
    FOREIGN_TABLE = "foreign_table"

    @property
    def is_view(self) -> bool:
        return self in (RelationKind.VIEW, RelationKind.MATERIALIZED_VIEW)

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


class ConstraintKind(StrEnum):
    PRIMARY_KEY = "primary_key"
    FOREIGN_KEY = "foreign_key"
    UNIQUE = "unique"
    CHECK = "check"
    EXCLUSION = "exclusion"


@lru_cache(maxsize=1 << 16)  # the same names are written over and over by the rules and pages
def qualified(schema: str, name: str) -> str:
    """`s.t`, each part quoted as quote_ident() does: how a schema-qualified name is written."""
    return f"{quote_ident(schema)}.{quote_ident(name)}"


@dataclass(frozen=True, order=True, init=False)
class QualifiedName:
    schema: str
    name: str

    def __init__(self, schema: str, name: str) -> None:
        # Frozen: both fields are set here, once, straight into the instance's dict; dataclass's own
        # __init__ goes through object.__setattr__ per field, three times slower, and qualified
        # names are made by the hundred thousand (every relation's `qname`, every lookup by name).
        fields = self.__dict__
        fields["schema"], fields["name"] = schema, name

    def __str__(self) -> str:
        return qualified(self.schema, self.name)


class SchemaObject:
    """Mixin for objects that live in a schema: their `qname` is their identity. (Not cached on the
    object: a relation is slotted, with no room for it, and orjson writes the other kinds from
    their __dict__, so a cached value would enter the snapshot.)"""

    __slots__ = ()  # a slotted subclass (Relation) stays without a per-object dict
    schema: str
    name: str

    @property
    def qname(self) -> QualifiedName:
        return QualifiedName(self.schema, self.name)


@dataclass(frozen=True, order=True, slots=True)
class Grant:
    """One privilege held by one role (PUBLIC included), optionally on one column only."""

    grantee: str
    privilege: str
    grantable: bool = False
    column: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class RelationStats:
    """Planner and activity statistics; of pg_stats only null_frac and avg_width, never column
    values. Sizes are None when skipped."""

    estimated_rows: int | None = None
    table_size: int | None = None
    index_size: int | None = None
    total_size: int | None = None
    seq_scans: int | None = None
    index_scans: int | None = None
    last_vacuum: str | None = None
    last_autovacuum: str | None = None
    last_analyze: str | None = None
    last_autoanalyze: str | None = None
    live_rows: int | None = None  # pg_stat_all_tables.n_live_tup
    dead_rows: int | None = None  # n_dead_tup
    vacuum_count: int | None = None  # vacuum_count + autovacuum_count
    analyze_count: int | None = None  # analyze_count + autoanalyze_count
    xid_age: int | None = None  # age(relfrozenxid), the older of the table's and its TOAST table's
    heap_blocks_hit: int | None = None  # pg_statio_all_tables.heap_blks_hit
    heap_blocks_read: int | None = None  # heap_blks_read
    main_size: int | None = None  # pg_relation_size(oid, 'main'): the heap alone; None when skipped
    row_width: int | None = None  # ceil(sum of (1 - null_frac) * avg_width) over pg_stats; None unless every column has one


@dataclass(frozen=True, kw_only=True)
class SequenceUse:
    """How far one sequence has gone: pg_sequence_last_value (None if never used or not readable)."""

    schema: str
    name: str
    last_value: int | None = None


@dataclass(frozen=True, kw_only=True)
class DatabaseStats:
    """Database-wide activity statistics, read only with statistics on (None with --no-stats)."""

    stats_reset: str | None = None  # pg_stat_database.stats_reset, ISO
    read_at: str | None = None  # now() of the reading transaction, ISO
    xid_age: int | None = None  # age(pg_database.datfrozenxid)
    blocks_hit: int | None = None  # pg_stat_database.blks_hit
    blocks_read: int | None = None  # blks_read
    sequences: tuple[SequenceUse, ...] = ()  # sorted by (schema, name)


@dataclass(frozen=True, kw_only=True, slots=True)
class Column:
    name: str
    type: str
    nullable: bool
    default: str | None = None
    comment: str | None = None
    position: int = 0
    identity: str | None = None  # "always" | "by default"
    generated: str | None = None  # expression of a GENERATED ALWAYS AS (...) STORED column
    collation: str | None = None  # only when not the type's default
    inherited: bool = False  # from an INHERITS parent (attinhcount > 0); never set on partitions


@dataclass(frozen=True, kw_only=True, slots=True)
class Constraint:
    name: str
    kind: ConstraintKind
    columns: tuple[str, ...] = ()
    definition: str = ""
    comment: str | None = None
    deferrable: bool = False
    deferred: bool = False
    validated: bool = True
    inherited: bool = False  # a partition's copy of its partitioned parent's constraint
    nulls_not_distinct: bool = False  # UNIQUE NULLS NOT DISTINCT (PostgreSQL 15+)
    # True only on a project file's virtual foreign key (`project/relations.py`), never in a
    # snapshot: a class attribute, not a field, so it is never serialized.
    virtual: ClassVar[bool] = False


@dataclass(frozen=True, kw_only=True, slots=True)
class ForeignKey(Constraint):
    ref_schema: str
    ref_name: str
    ref_columns: tuple[str, ...]
    on_update: str = "NO ACTION"
    on_delete: str = "NO ACTION"
    match: str = "SIMPLE"

    @property
    def target(self) -> QualifiedName:
        return QualifiedName(self.ref_schema, self.ref_name)


@dataclass(frozen=True, kw_only=True, slots=True)
class Index:
    name: str
    definition: str
    columns: tuple[str, ...] = ()  # key columns; expressions appear as their text
    include_columns: tuple[str, ...] = ()  # INCLUDE (...) columns
    method: str = "btree"
    unique: bool = False
    primary: bool = False
    nulls_not_distinct: bool = False
    predicate: str | None = None
    valid: bool = True
    comment: str | None = None
    size: int | None = None
    scans: int | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class Trigger:
    name: str
    function: QualifiedName
    timing: str  # BEFORE | AFTER | INSTEAD OF
    events: tuple[str, ...]
    level: str  # ROW | STATEMENT
    enabled: str = "ORIGIN"  # ORIGIN | DISABLED | REPLICA | ALWAYS
    condition: str | None = None
    definition: str = ""
    comment: str | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class Policy:
    name: str
    command: str  # ALL | SELECT | INSERT | UPDATE | DELETE
    roles: tuple[str, ...]
    permissive: bool = True
    using: str | None = None
    with_check: str | None = None
    comment: str | None = None


@dataclass(frozen=True, kw_only=True)
class RelationRead:
    """One relation a view reads, with the columns PostgreSQL recorded it using (pg_depend)."""

    schema: str
    name: str
    columns: tuple[str, ...] = ()

    @property
    def target(self) -> QualifiedName:
        return QualifiedName(self.schema, self.name)


@dataclass(frozen=True, order=True)
class ColumnRef:
    """One column of one relation."""

    schema: str
    name: str
    column: str

    @property
    def relation(self) -> QualifiedName:
        return QualifiedName(self.schema, self.name)

    def __str__(self) -> str:
        return f"{self.relation}.{quote_ident(self.column)}"


@dataclass(frozen=True, kw_only=True)
class ColumnLineage:
    """Where one output column of a view gets its value: columns of the relations it reads directly."""

    column: str
    sources: tuple[ColumnRef, ...] = ()


@dataclass(frozen=True, kw_only=True, slots=True)
class Relation(SchemaObject):
    schema: str
    name: str
    kind: RelationKind
    comment: str | None = None
    owner: str | None = None
    columns: tuple[Column, ...] = ()
    constraints: tuple[Constraint, ...] = ()
    indexes: tuple[Index, ...] = ()
    triggers: tuple[Trigger, ...] = ()
    policies: tuple[Policy, ...] = ()
    rls_enabled: bool = False
    rls_forced: bool = False
    view_definition: str | None = None
    reads: tuple[RelationRead, ...] = ()
    column_lineage: tuple[ColumnLineage, ...] = ()  # views: per output column, its value sources
    filter_columns: tuple[ColumnRef, ...] = ()  # views: columns used only in WHERE, JOIN, GROUP BY, ...
    lineage_unresolved: tuple[str, ...] = ()  # parts of the query tree that could not be followed
    populated: bool | None = None  # materialized views only
    partition_key: str | None = None
    partition_of: QualifiedName | None = None
    partition_bound: str | None = None
    inherits: tuple[QualifiedName, ...] = ()  # INHERITS parents, in declaration order (pg_inherits.inhseqno)
    foreign_server: str | None = None
    foreign_options: tuple[str, ...] = ()
    grants: tuple[Grant, ...] = ()
    stats: RelationStats | None = None
    oid: int | None = None  # pg_class.oid: same object across renames, in this database only
    options: tuple[str, ...] = ()  # reloptions as PostgreSQL stores them, e.g. "security_invoker=true"

    @property
    def foreign_keys(self) -> tuple[ForeignKey, ...]:
        return tuple(c for c in self.constraints if isinstance(c, ForeignKey))

    @property
    def declared_foreign_keys(self) -> tuple[ForeignKey, ...]:
        """The foreign keys declared on this relation: not a partition's copies of its parent's."""
        return tuple(fk for fk in self.foreign_keys if not fk.inherited)

    @property
    def primary_key(self) -> Constraint | None:
        return next((c for c in self.constraints if c.kind is ConstraintKind.PRIMARY_KEY), None)


@dataclass(frozen=True, kw_only=True)
class Schema:
    name: str
    owner: str | None = None
    comment: str | None = None
    grants: tuple[Grant, ...] = ()
    oid: int | None = None  # pg_namespace.oid


@dataclass(frozen=True, kw_only=True)
class Routine:
    schema: str
    name: str
    arguments: str  # pg_get_function_identity_arguments
    kind: str  # function | procedure | aggregate | window
    returns: str | None
    language: str
    volatility: str = "volatile"
    security_definer: bool = False
    definition: str | None = None
    comment: str | None = None
    owner: str | None = None
    settings: tuple[str, ...] = ()  # proconfig, e.g. "search_path=pg_catalog, public"
    grants: tuple[Grant, ...] = ()
    oid: int | None = None  # pg_proc.oid
    acl_empty: bool = False  # proacl is an explicit empty ACL ({}): nobody, not even the owner, may execute
    # oidvectortypes(proargtypes), only where it is not `arguments` read without modes and names
    # (argtypes.py: an ordered-set aggregate's, say); None otherwise, and in older snapshots
    argument_types: str | None = None

    @property
    def default_acl(self) -> bool:
        """proacl is NULL: the built-in default applies (EXECUTE for PUBLIC and the owner), unlisted in grants."""
        return not self.grants and not self.acl_empty

    @property
    def signature(self) -> str:
        """`s.f(a integer, b text)`: the name with the identity arguments, names included."""
        return f"{QualifiedName(self.schema, self.name)}({self.arguments})"

    @property
    def argtypes(self) -> str:
        """The argument types alone, as oidvectortypes(proargtypes) writes them: `integer, text`."""
        return argument_types(self.arguments) if self.argument_types is None else self.argument_types

    @property
    def identity(self) -> str:
        """`s.f(integer, text)`: the name with the argument types alone, as DDL identifies a routine
        (the `object` of its findings)."""
        return f"{qualified(self.schema, self.name)}({self.argtypes})"

    @property
    def keyword(self) -> str:
        """How DDL names this kind (COMMENT ON / ALTER ...): FUNCTION (window functions too), PROCEDURE, AGGREGATE."""
        return {"procedure": "PROCEDURE", "aggregate": "AGGREGATE"}.get(self.kind, "FUNCTION")


@dataclass(frozen=True, kw_only=True)
class EnumType(SchemaObject):
    schema: str
    name: str
    labels: tuple[str, ...]
    comment: str | None = None
    oid: int | None = None  # pg_type.oid


@dataclass(frozen=True, kw_only=True)
class Domain(SchemaObject):
    schema: str
    name: str
    base_type: str
    nullable: bool = True
    default: str | None = None
    constraints: tuple[tuple[str, str], ...] = ()  # (name, CHECK definition)
    owner: str | None = None
    comment: str | None = None


@dataclass(frozen=True, kw_only=True)
class CompositeType(SchemaObject):
    schema: str
    name: str
    attributes: tuple[tuple[str, str], ...]  # (name, type)
    owner: str | None = None
    comment: str | None = None


@dataclass(frozen=True, kw_only=True)
class Sequence(SchemaObject):
    schema: str
    name: str
    type: str
    start: int
    increment: int
    min_value: int
    max_value: int
    cache: int = 1
    cycle: bool = False
    owned_by: QualifiedName | None = None  # the owning table
    owned_by_column: str | None = None
    identity: bool = False  # backs an identity column
    owner: str | None = None
    comment: str | None = None
    grants: tuple[Grant, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Extension:
    name: str
    version: str
    schema: str
    comment: str | None = None


@dataclass(frozen=True, kw_only=True)
class Catalog:
    format_version: int = FORMAT_VERSION
    database: str
    server_version: str
    search_path: str = "public"  # sessions' starting search_path, role settings aside
    schemas: tuple[Schema, ...] = ()
    relations: tuple[Relation, ...] = ()
    routines: tuple[Routine, ...] = ()
    enums: tuple[EnumType, ...] = ()
    domains: tuple[Domain, ...] = ()
    composite_types: tuple[CompositeType, ...] = ()
    sequences: tuple[Sequence, ...] = ()
    extensions: tuple[Extension, ...] = ()
    skipped_sizes: tuple[QualifiedName, ...] = ()  # relations whose size was skipped (locked)
    database_stats: DatabaseStats | None = None  # left out of the snapshot when None (--no-stats)
    # Relations foreign keys reference that are not documented: an extension's tables (left
    # out of the snapshot when empty).
    outside: tuple[QualifiedName, ...] = ()
    selected: bool = False  # a part chosen by --include/--exclude: its foreign keys may point elsewhere

    @cached_property
    def by_name(self) -> dict[QualifiedName, Relation]:
        return {r.qname: r for r in self.relations}

    def relation(self, qname: QualifiedName) -> Relation | None:
        return self.by_name.get(qname)

    def in_schema(self, schema: str) -> tuple[Relation, ...]:
        return tuple(r for r in self.relations if r.schema == schema)

    @cached_property
    def triggers_calling(self) -> dict[QualifiedName, tuple[tuple[Relation, Trigger], ...]]:
        """For each routine name (a trigger names its function without arguments), the
        (relation, trigger) pairs that call it."""
        return _grouped((t.function, (rel, t)) for rel in self.relations for t in rel.triggers)

    @cached_property
    def documented(self) -> tuple[Relation, ...]:
        """The relations that are documented on their own: all but partitions, which follow their parent."""
        return tuple(r for r in self.relations if r.partition_of is None)

    @cached_property
    def referenced_by(self) -> dict[QualifiedName, tuple[tuple[Relation, ForeignKey], ...]]:
        """For each relation, the (relation, declared foreign key) pairs that point at it."""
        return _grouped((fk.target, (rel, fk)) for rel in self.relations for fk in rel.declared_foreign_keys)

    @cached_property
    def read_by(self) -> dict[QualifiedName, tuple[Relation, ...]]:
        """For each relation, the views and materialized views that read it."""
        return _grouped((read.target, rel) for rel in self.relations for read in rel.reads)

    @cached_property
    def _routines_by_name(self) -> dict[QualifiedName, tuple[Routine, ...]]:
        return _grouped((QualifiedName(f.schema, f.name), f) for f in self.routines)

    def routines_named(self, qname: QualifiedName) -> tuple[Routine, ...]:
        """The overloads of one routine name (what a trigger names: no arguments)."""
        return self._routines_by_name.get(qname, ())

    @cached_property
    def user_types(self) -> dict[str, QualifiedName]:
        """The database's own enums, domains and composite types, keyed by how column and
        argument types spell them: format_type() with search_path pinned to `public` (as
        introspection pins it), so a type in `public` is unqualified, any other qualified."""
        found: dict[str, QualifiedName] = {}
        for t in (*self.enums, *self.domains, *self.composite_types):
            spelled = quote_ident(t.name) if t.schema == "public" else f"{quote_ident(t.schema)}.{quote_ident(t.name)}"
            found[spelled] = t.qname
        return found

    def user_type(self, spelled: str) -> QualifiedName | None:
        """The database's own type a column, argument or return type names, arrays and SETOF included."""
        return self.user_types.get(spelled.removeprefix("SETOF ").removesuffix("[]"))

    @cached_property
    def inherited_by(self) -> dict[QualifiedName, tuple[Relation, ...]]:
        """For each table that others INHERIT from, its direct children (by name)."""
        return _grouped((parent, rel) for rel in self.relations for parent in rel.inherits)

    @cached_property
    def partitions_of(self) -> dict[QualifiedName, tuple[Relation, ...]]:
        """For each partitioned table, its direct partitions (in catalog order)."""
        return _grouped((rel.partition_of, rel) for rel in self.relations if rel.partition_of is not None)


def _grouped(pairs: Iterable[tuple[K, V]]) -> dict[K, tuple[V, ...]]:
    """(key, value) pairs as {key: values in the order they came}: the catalog's reverse lookups."""
    found: dict[K, list[V]] = {}
    for key, value in pairs:
        found.setdefault(key, []).append(value)
    return {k: tuple(v) for k, v in found.items()}
