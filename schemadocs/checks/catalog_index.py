"""What several rules derive from one catalog, worked out once per lint instead of once per rule.

In: a `Catalog`. Out: a `CatalogIndex` whose lookups are computed on first use and then shared
by every rule of the run (through `Context.index`): the relations sorted into the groups rules
walk (tables, heaps with statistics, those with policies, grants, triggers...), the primary and
declared foreign keys with what the key rules need (the constraints never validated, the
self-references, the graph of references), each relation's own indexes with the droppable,
partial and invalid ones, the index and constraint names near the length limit, and the
column facts (types by relation, distinct names and types, the uncommented columns, the
single-column primary keys).

Each group comes from one pass over one kind of object (relations, constraints, indexes,
columns) that reads every field the rules need while the object is at hand: at 10,000 tables
reading the objects, not the rules' logic, is most of the time, and a pass per rule would read
them all again.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from schemadocs.checks.index_key import backs_constraint, shape
from schemadocs.checks.names import NAME_LIMIT
from schemadocs.model import Catalog, Column, Constraint, ConstraintKind, ForeignKey, Index, Relation, RelationKind

TABLES = (RelationKind.TABLE, RelationKind.PARTITIONED_TABLE)
INDEXED = (*TABLES, RelationKind.MATERIALIZED_VIEW)
HEAPS = (RelationKind.TABLE, RelationKind.MATERIALIZED_VIEW)


@dataclass(frozen=True, eq=False)
class CatalogIndex:
    catalog: Catalog

    @property
    def tables(self) -> tuple[Relation, ...]:
        """Ordinary and partitioned tables, partitions included (catalog order)."""
        return self._relations.tables

    @property
    def top_tables(self) -> tuple[Relation, ...]:
        """Ordinary and partitioned tables, not partitions (they repeat their parent's columns)."""
        return self._relations.top_tables

    @property
    def heaps(self) -> tuple[Relation, ...]:
        """Ordinary tables and materialized views (what holds rows) that have statistics."""
        return self._relations.heaps

    @property
    def with_stats(self) -> tuple[Relation, ...]:
        """The relations that have statistics."""
        return self._relations.with_stats

    @property
    def uncommented_relations(self) -> tuple[Relation, ...]:
        """The relations documented on their own (not partitions) without a comment (none, or blanks only)."""
        return self._relations.uncommented

    @property
    def relation_names(self) -> tuple[str, ...]:
        """Every relation's name (catalog order)."""
        return self._relations.names

    @property
    def with_policies(self) -> tuple[Relation, ...]:
        """The relations that have row-level security policies."""
        return self._relations.with_policies

    @property
    def rls_enabled(self) -> tuple[Relation, ...]:
        """The relations with row-level security enabled."""
        return self._relations.rls_enabled

    @property
    def granted(self) -> tuple[Relation, ...]:
        """The relations with grants."""
        return self._relations.granted

    @property
    def views(self) -> tuple[Relation, ...]:
        """The plain views."""
        return self._relations.views

    @property
    def materialized_views(self) -> tuple[Relation, ...]:
        """The materialized views."""
        return self._relations.materialized_views

    @property
    def with_triggers(self) -> tuple[Relation, ...]:
        """The relations that have triggers."""
        return self._relations.with_triggers

    @property
    def constrained_others(self) -> tuple[Relation, ...]:
        """The relations other than tables that have constraints (a foreign table's checks)."""
        return self._relations.constrained_others

    @cached_property
    def _relations(self) -> _Relations:
        """The groups of relations above, from one pass over every relation (each relation read once,
        its fields while at hand: a pass per rule would read them all again)."""
        tables, top, heaps, stats, uncommented, names = [], [], [], [], [], []
        policies, rls, granted, views, materialized, triggers, others = [], [], [], [], [], [], []
        for r in self.catalog.relations:
            kind, top_level = r.kind, r.partition_of is None
            names.append(r.name)
            if kind in TABLES:
                tables.append(r)
                if top_level:
                    top.append(r)
            else:
                if kind is RelationKind.VIEW:
                    views.append(r)
                elif kind is RelationKind.MATERIALIZED_VIEW:
                    materialized.append(r)
                if r.constraints:
                    others.append(r)
            if r.stats is not None:
                stats.append(r)
                if kind in HEAPS:
                    heaps.append(r)
            if top_level and (not r.comment or r.comment.isspace()):
                uncommented.append(r)
            if r.policies:
                policies.append(r)
            if r.rls_enabled:
                rls.append(r)
            if r.grants:
                granted.append(r)
            if r.triggers:
                triggers.append(r)
        return _Relations(*map(tuple, (tables, top, heaps, stats, uncommented, names, policies, rls, granted, views,
                                       materialized, triggers, others)))

    @property
    def primary_keys(self) -> dict[tuple[str, str], Constraint]:
        """Each table's primary key, by the table's (schema, name)."""
        return self._constraints.primary_keys

    @property
    def table_foreign_keys(self) -> tuple[tuple[Relation, tuple[ForeignKey, ...]], ...]:
        """Each table with the foreign keys declared on it (not the clones PostgreSQL puts on partitions)."""
        return self._constraints.foreign_keys

    @property
    def not_validated(self) -> tuple[tuple[Relation, Constraint], ...]:
        """Each table's own constraints (not the clones on partitions) added NOT VALID and never validated."""
        return self._constraints.not_validated

    @property
    def self_references(self) -> tuple[tuple[Relation, ForeignKey], ...]:
        """The declared foreign keys that reference their own table."""
        return self._constraints.self_references

    @property
    def references(self) -> dict[tuple[str, str], set[tuple[str, str]]]:
        """For each table with declared foreign keys to other tables, those tables, as (schema, name)."""
        return self._constraints.references

    @cached_property
    def _constraints(self) -> _Constraints:
        """The keys above, the tables with an exclusion constraint, the constraints never validated,
        the self-references and the graph of references, from one pass over every table's constraints
        (each constraint is read once while it is at hand: a pass per rule would read them all again)."""
        keys: dict[tuple[str, str], Constraint] = {}
        declared = []
        excluding = set()
        not_validated = []
        selves = []
        references: dict[tuple[str, str], set[tuple[str, str]]] = {}
        long_names = []
        distinct = []
        for r in self.tables:
            fks = []
            columns: set[tuple[str, ...]] = set()  # of this table's keys: one finding per object
            table = r.schema, r.name
            for c in r.constraints:
                if not c.validated and not c.inherited:
                    not_validated.append((r, c))
                if len(c.name) >= NAME_LIMIT or not c.name.isascii():  # may_reach_limit, inline
                    long_names.append((r, c))
                if isinstance(c, ForeignKey):
                    if not c.inherited:
                        fks.append(c)
                        if c.columns not in columns:
                            columns.add(c.columns)
                            distinct.append((r, c))
                        target = c.ref_schema, c.ref_name
                        if target == table:
                            selves.append((r, c))
                        else:
                            references.setdefault(table, set()).add(target)
                elif c.kind is ConstraintKind.PRIMARY_KEY:
                    keys[table] = c
                elif c.kind is ConstraintKind.EXCLUSION:
                    excluding.add(table)
            if fks:
                declared.append((r, tuple(fks)))
        return _Constraints(keys, tuple(declared), frozenset(excluding), tuple(not_validated), tuple(selves), references,
                            tuple(long_names), tuple(distinct))

    @property
    def distinct_foreign_keys(self) -> tuple[tuple[Relation, ForeignKey], ...]:
        """Every table's declared foreign keys, one (table, key) pair each, skipping one with the same table and columns as one before it (one finding
        per object)."""
        return self._constraints.distinct_foreign_keys

    @property
    def key_columns(self) -> tuple[tuple[Relation, Column], ...]:
        """The column of each single-column primary key of `top_tables`."""
        return self._columns.key_columns

    @property
    def own_indexes(self) -> tuple[tuple[Relation, tuple[Index, ...]], ...]:
        """Each table (partitions included) and materialized view with its indexes, less those of a
        partition with the key of one of its parent's (PostgreSQL clones and attaches those: they
        are reported, if at all, on the parent)."""
        return self._indexes.own

    @property
    def shared_leads(self) -> tuple[tuple[Relation, tuple[Index, ...]], ...]:
        """`own_indexes`, only for the relations two of whose indexes have the same first key column:
        elsewhere no index duplicates another or leads it."""
        return self._indexes.shared_leads

    @property
    def plain_btrees(self) -> tuple[tuple[Relation, Index, str | None], ...]:
        """Each droppable B-tree (own, not unique, not backing a constraint) with the type of its first
        key column (None for an expression)."""
        return self._indexes.plain_btrees

    @property
    def partial_indexes(self) -> tuple[tuple[Relation, Index], ...]:
        """Each own index (as in `own_indexes`) with a predicate."""
        return self._indexes.partial

    @property
    def invalid_indexes(self) -> tuple[tuple[Relation, Index], ...]:
        """Every index, a partition's included, that is not valid."""
        return self._indexes.invalid

    @property
    def index_names_near_limit(self) -> tuple[tuple[Relation, Index], ...]:
        """Every index whose name may reach PostgreSQL's length limit (`names.may_reach_limit`)."""
        return self._indexes.long_names

    @property
    def constraint_names_near_limit(self) -> tuple[tuple[Relation, Constraint], ...]:
        """Every table's constraint (clones on partitions included) whose name may reach the limit."""
        return self._constraints.long_names

    @cached_property
    def _indexes(self) -> _Indexes:
        """The index facts above, from one pass over every index of the catalog (each index read
        once, its fields while at hand: a pass per rule would read them all again)."""
        types, excluding = self.column_types, self._constraints.excluding
        own_indexes, shared, btrees, partial, invalid, long_names = [], [], [], [], [], []
        for r in self.catalog.relations:
            indexes = r.indexes
            if r.kind not in INDEXED:
                invalid += [(r, i) for i in indexes if not i.valid]
                long_names += [(r, i) for i in indexes if len(i.name) >= NAME_LIMIT or not i.name.isascii()]
                continue
            parent = self.catalog.relation(r.partition_of) if r.partition_of is not None else None
            inherited = {shape(i) for i in parent.indexes} if parent is not None and parent.indexes else None
            own = tuple(i for i in indexes if shape(i) not in inherited) if inherited else indexes
            own_indexes.append((r, own))
            if not indexes:
                continue
            leads = set()
            for i in indexes:
                if not i.valid:
                    invalid.append((r, i))
                if len(i.name) >= NAME_LIMIT or not i.name.isascii():  # may_reach_limit, inline
                    long_names.append((r, i))
                leads.add(i.columns[:1])
            if len(leads) < len(indexes):  # two indexes share a first column
                shared.append((r, own))
            mine = types[r.schema, r.name]
            # A primary key or unique constraint has a unique index: a non-unique one can back only an exclusion constraint.
            checked = excluding and (r.schema, r.name) in excluding
            for i in own:
                if i.predicate is not None:
                    partial.append((r, i))
                if i.method == "btree" and not i.unique and not (checked and backs_constraint(r, i)):
                    btrees.append((r, i, mine.get(i.columns[0]) if i.columns else None))
        return _Indexes(tuple(own_indexes), tuple(shared), tuple(btrees), tuple(partial), tuple(invalid), tuple(long_names))

    @property
    def column_types(self) -> dict[tuple[str, str], dict[str, str]]:
        """For each relation (schema, name), its column types by column name."""
        return self._columns.types

    @property
    def column_names(self) -> frozenset[str]:
        """Every column name of the catalog, once (name rules check each distinct name once)."""
        return self._columns.names

    @property
    def column_types_spelled(self) -> frozenset[str]:
        """Every type a column of `top_tables` has, as spelled, once (type rules ask each once)."""
        return self._columns.spelled

    @property
    def uncommented(self) -> tuple[tuple[Relation, list[str]], ...]:
        """Each relation documented on its own (not a partition) with the names of its columns that
        have no comment (none, or blanks only), if it has such columns."""
        return self._columns.uncommented

    @cached_property
    def _columns(self) -> _Columns:
        """The column facts above, from one pass over every column of the catalog (its largest part:
        each further pass would read them all again)."""
        types: dict[tuple[str, str], dict[str, str]] = {}
        names: set[str] = set()
        spelled: set[str] = set()
        uncommented = []
        key_columns = []
        primary_keys = self.primary_keys
        for r in self.catalog.relations:
            if r.partition_of is not None:  # its parent's columns: no comments of their own to check
                mine = types[r.schema, r.name] = {c.name: c.type for c in r.columns}
                names.update(mine)
                continue
            mine = types[r.schema, r.name] = {}
            missing = []
            for c in r.columns:  # each column read once, its fields while at hand
                name, comment = c.name, c.comment
                mine[name] = c.type
                if not comment or comment.isspace():
                    missing.append(name)
            names.update(mine)
            if r.kind in TABLES:
                spelled.update(mine.values())
                pk = primary_keys.get((r.schema, r.name))
                if pk is not None and len(pk.columns) == 1:
                    key = pk.columns[0]
                    key_columns += [(r, c) for c in r.columns if c.name == key]  # the columns just read, again
            if missing:
                uncommented.append((r, missing))
        return _Columns(types, frozenset(names), frozenset(spelled), tuple(uncommented), tuple(key_columns))


@dataclass(frozen=True)
class _Relations:
    tables: tuple[Relation, ...]
    top_tables: tuple[Relation, ...]
    heaps: tuple[Relation, ...]
    with_stats: tuple[Relation, ...]
    uncommented: tuple[Relation, ...]
    names: tuple[str, ...]
    with_policies: tuple[Relation, ...]
    rls_enabled: tuple[Relation, ...]
    granted: tuple[Relation, ...]
    views: tuple[Relation, ...]
    materialized_views: tuple[Relation, ...]
    with_triggers: tuple[Relation, ...]
    constrained_others: tuple[Relation, ...]


@dataclass(frozen=True)
class _Constraints:
    primary_keys: dict[tuple[str, str], Constraint]
    foreign_keys: tuple[tuple[Relation, tuple[ForeignKey, ...]], ...]
    excluding: frozenset[tuple[str, str]]  # tables with an exclusion constraint
    not_validated: tuple[tuple[Relation, Constraint], ...]
    self_references: tuple[tuple[Relation, ForeignKey], ...]
    references: dict[tuple[str, str], set[tuple[str, str]]]
    long_names: tuple[tuple[Relation, Constraint], ...]
    distinct_foreign_keys: tuple[tuple[Relation, ForeignKey], ...]


@dataclass(frozen=True)
class _Indexes:
    own: tuple[tuple[Relation, tuple[Index, ...]], ...]
    shared_leads: tuple[tuple[Relation, tuple[Index, ...]], ...]
    plain_btrees: tuple[tuple[Relation, Index, str | None], ...]
    partial: tuple[tuple[Relation, Index], ...]
    invalid: tuple[tuple[Relation, Index], ...]
    long_names: tuple[tuple[Relation, Index], ...]


@dataclass(frozen=True)
class _Columns:
    types: dict[tuple[str, str], dict[str, str]]
    names: frozenset[str]
    spelled: frozenset[str]
    uncommented: tuple[tuple[Relation, list[str]], ...]
    key_columns: tuple[tuple[Relation, Column], ...]
