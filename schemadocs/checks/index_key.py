"""What an index's key is, read from the model: the rules on keys and indexes share it.

In: a `Relation` and its `Index`es (their `definition`, pg_get_indexdef's text) or foreign keys.
Out: the shape two duplicates share, an index's key items with their options (opclass,
collation, DESC, NULLS), whether it backs a constraint, whether it serves a foreign key's lookups.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pglast import parse_sql
from pglast.parser import ParseError
from pglast.stream import RawStream

from schemadocs.model import Catalog, ConstraintKind, Index, Relation, RelationKind, qualified, quote_ident


def shape(index: Index) -> str:
    """The definition past its index and table names: `btree (a, b DESC) INCLUDE (c) WHERE ...`.
    pg_get_indexdef writes one canonical text, so two indexes of one table with the same shape
    have the same method, key, options and predicate."""
    m = _HEAD.match(index.definition)
    return index.definition[m.end():] if m else index.definition


_IDENT = r'(?:"(?:[^"]|"")*"|[^\s."]+)'
_HEAD = re.compile(rf"CREATE (?:UNIQUE )?INDEX {_IDENT} ON (?:ONLY )?{_IDENT}(?:\.{_IDENT})? USING ")


def key_items(index: Index) -> tuple[str, ...]:
    """Each key item as written, options included (`a`, `lower((b)::text) text_pattern_ops DESC`),
    normalised by pglast (slower than `shape`: for the few indexes that need it)."""
    return _items(index.definition)


def plain_key(relation: Relation, index: Index) -> bool:
    """True when `index` is written exactly `CREATE [UNIQUE] INDEX i ON [ONLY] s.t USING m (a, b)`:
    key items that are bare column names, no options, INCLUDE, WITH or WHERE. Two such indexes
    whose leading columns are the same have the same leading `key_items`, without a parse."""
    only = "ONLY " if relation.kind is RelationKind.PARTITIONED_TABLE else ""
    return index.definition == (f"CREATE {'UNIQUE ' if index.unique else ''}INDEX {quote_ident(index.name)} ON {only}"
                                f"{quote_ident(relation.schema)}.{quote_ident(relation.name)} USING {index.method} "
                                f"({', '.join(quote_ident(c) for c in index.columns)})")


@lru_cache(maxsize=1 << 14)
def _items(definition: str) -> tuple[str, ...]:
    try:
        stmt = parse_sql(definition)[0].stmt
    except ParseError:  # unreadable (a newer server's syntax): a prefix of no other index
        return (definition,)
    return tuple(RawStream()(e) for e in stmt.indexParams)  # a fresh stream each: a stream accumulates


def backs_constraint(relation: Relation, index: Index) -> bool:
    """True for the index of a primary key, unique or exclusion constraint (PostgreSQL names
    such an index after its constraint, and renaming one renames the other)."""
    if index.primary:
        return True
    for c in relation.constraints:  # a plain loop: this runs for every index of every table
        if c.name == index.name and c.kind in _BACKING:
            return True
    return False


_BACKING = (ConstraintKind.PRIMARY_KEY, ConstraintKind.UNIQUE, ConstraintKind.EXCLUSION)


def serves(index: Index, columns: tuple[str, ...]) -> bool:
    """True when `index` can find the rows by `columns` (a foreign key's): valid, not partial
    (but for `WHERE c IS NOT NULL` on a key column, which an equality lookup implies), a B-tree
    whose leading key columns are exactly those columns in any order (or a hash index on the
    single column)."""
    if not index.valid or (index.predicate is not None and not_null_column(index.predicate) not in columns):
        return False
    if index.method == "hash":
        return index.columns == columns and len(columns) == 1
    return index.method == "btree" and set(index.columns[:len(columns)]) == set(columns)


def lookup_served(catalog: Catalog, relation: Relation, columns: tuple[str, ...]) -> bool:
    """True when an index serves `columns` on `relation`, or, for a partitioned table, on
    every one of its partitions."""
    for i in relation.indexes:
        if i.columns and i.columns[0] in columns and serves(i, columns):  # led by a key column, first
            return True
    if relation.kind is not RelationKind.PARTITIONED_TABLE:
        return False
    parts = catalog.partitions_of.get(relation.qname, ())
    return bool(parts) and all(lookup_served(catalog, p, columns) for p in parts)


@lru_cache(maxsize=1 << 12)  # a large schema repeats a few predicates on thousands of indexes
def not_null_column(predicate: str | None) -> str | None:
    """The column of a predicate that is exactly `c IS NOT NULL` (as pg_get_expr writes it), else None."""
    m = _IS_NOT_NULL.fullmatch(predicate or "")
    return _unquote(m.group(1)) if m else None


_IS_NOT_NULL = re.compile(r'\(?((?:"(?:[^"]|"")+"|[a-z_][a-z0-9_$]*)) IS NOT NULL\)?')


def _unquote(ident: str) -> str:
    return ident[1:-1].replace('""', '"') if ident.startswith('"') else ident


def concurrently(relation: Relation) -> str:
    """`CONCURRENTLY ` for a fix's CREATE or DROP INDEX, except on a partitioned table (PostgreSQL
    refuses it there)."""
    return "" if relation.kind is RelationKind.PARTITIONED_TABLE else "CONCURRENTLY "


def index_name(relation: Relation, index: Index) -> str:
    """The `object` of an index finding: `s.i`."""
    return qualified(relation.schema, index.name)

