"""Rules on keys and constraints."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from schemadocs.checks.finding import Category, Level
from schemadocs.checks.index_key import concurrently, lookup_served
from schemadocs.checks.names import column_list, member
from schemadocs.checks.registry import Context, Hit, rule
from schemadocs.model import ConstraintKind, ForeignKey, QualifiedName, Relation, qualified, quote_ident


@rule("no-primary-key", level=Level.WARNING, category=Category.KEYS,
      title="An ordinary table without a primary key",
      why="Without a primary key rows cannot be addressed reliably: replication (logical, UPDATE/DELETE), "
          "ORMs and deduplication need one, and foreign keys have nothing to point at.",
      fix="ALTER TABLE ... ADD PRIMARY KEY (...) on a column set that is unique and NOT NULL (build a unique "
          "index CONCURRENTLY first, then ADD PRIMARY KEY USING INDEX, to avoid a long lock).",
      traps="A partition whose partitioned parent has a key inherits it, and views, materialized views and "
            "foreign tables cannot have one: none of them is reported.")
def no_primary_key(ctx: Context) -> Iterator[Hit]:
    keyed = ctx.index.primary_keys
    for r in ctx.index.tables:
        if (r.schema, r.name) in keyed:
            continue
        if r.partition_of is not None and _root(ctx, r.partition_of) in keyed:
            continue
        yield Hit(object=str(r.qname), message=f"table {r.qname} has no primary key", subject=r.qname)


def _root(ctx: Context, qname: QualifiedName) -> tuple[str, str]:
    """The top partitioned table above a partition, as (schema, name)."""
    while (rel := ctx.catalog.relation(qname)) is not None and rel.partition_of is not None:
        qname = rel.partition_of
    return qname.schema, qname.name


@rule("fk-without-index", level=Level.WARNING, category=Category.KEYS,
      title="A foreign key whose columns do not lead a valid, non-partial index",
      why="Deleting or updating a referenced row makes PostgreSQL look up the referencing rows: without an "
          "index on the key that is a sequential scan of the referencing table per row, under lock, and "
          "joins along the key cannot use an index either.",
      fix="CREATE INDEX CONCURRENTLY ON s.t (key columns); (on a partitioned table: CREATE INDEX ON ONLY the "
          "parent, then CREATE INDEX CONCURRENTLY on each partition and ALTER INDEX ... ATTACH PARTITION).",
      traps="Any order of the key's columns in the leading positions counts (a composite index led by them "
            "serves the key); a key column elsewhere in the index, a partial or invalid index do not, except "
            "a partial index WHERE c IS NOT NULL on a key column (the key's lookups imply it). A "
            "partitioned table is served when every partition has such an index. Keys cloned onto "
            "partitions are checked once, on the partitioned table. Virtual foreign keys (the project "
            "file's relations:) are checked too, and the finding says the key is virtual.")
def fk_without_index(ctx: Context) -> Iterator[Hit]:
    catalog = ctx.catalog
    for r, fk in ctx.index.distinct_foreign_keys:
        if not lookup_served(catalog, r, fk.columns):  # most keys of a large schema: each name made once, as text
            table, keys = qualified(r.schema, r.name), fk.columns
            listed = quote_ident(keys[0]) if len(keys) == 1 else None
            yield Hit(f"{table}.{listed or ','.join(map(quote_ident, keys))}",
                      f"{_key(fk)} ({listed or column_list(keys)}) → {qualified(fk.ref_schema, fk.ref_name)} has no "
                      "index led by its columns",
                      f"CREATE INDEX {concurrently(r)}ON {table} ({listed or column_list(keys)});", r.qname)


_INT_BYTES = {"smallint": 2, "integer": 4, "bigint": 8}


@rule("fk-type-mismatch", level=Level.WARNING, category=Category.KEYS,
      title="A foreign key column whose type differs from the referenced column's",
      why="A referencing integer narrower than its bigint key fails once keys outgrow it (an error); other "
          "differences make every join and lookup along the key cast, and can keep indexes from being used.",
      fix="ALTER TABLE s.t ALTER COLUMN c TYPE <the referenced column's type>; (rewrites the table under an "
          "ACCESS EXCLUSIVE lock: plan it, or add a new column, backfill and swap).",
      traps="Domains are compared by their base types; a typmod-only difference (varchar(20) → varchar(40)) "
            "is reported at info level; keys to relations outside the catalog are not checked; keys cloned "
            "onto partitions are checked once, on the partitioned table.")
def fk_type_mismatch(ctx: Context) -> Iterator[Hit]:
    seen: set[tuple[str, str, str]] = set()
    types = ctx.index.column_types
    bases: dict[str | None, str | None] = {}  # spelled -> base type, resolved once each
    for r, fks in ctx.index.table_foreign_keys:
        mine = types[r.schema, r.name]
        for fk in fks:
            target = types.get((fk.ref_schema, fk.ref_name))
            if target is None:
                continue
            columns, refs = fk.columns, fk.ref_columns
            if len(columns) == 1 and mine.get(columns[0]) == target.get(refs[0]):  # most keys: one column, alike
                continue
            for col, ref in zip(columns, refs):
                spelled, ref_spelled = mine.get(col), target.get(ref)
                if spelled == ref_spelled:  # the same type, spelled alike (most keys)
                    continue
                for t in (spelled, ref_spelled):
                    if t not in bases:
                        bases[t] = _base_type(ctx, t)
                base, theirs = bases[spelled], bases[ref_spelled]
                if base is None or theirs is None or base == theirs or (r.schema, r.name, col) in seen:
                    continue
                seen.add((r.schema, r.name, col))
                yield Hit(object=member(r, (col,)), subject=r.qname, level=_mismatch_level(base, theirs),
                          message=f"{col} is {spelled} but references {fk.target}.{ref}, {ref_spelled}"
                                  + (f" ({_key(fk)})" if fk.virtual else ""),
                          fix=f"ALTER TABLE {r.qname} ALTER COLUMN {column_list((col,))} TYPE {ref_spelled};")


def _mismatch_level(mine: str, theirs: str) -> Level:
    """Error when a narrower integer references a wider one, info for a typmod-only difference."""
    if _INT_BYTES.get(mine, 99) < _INT_BYTES.get(theirs, 0):
        return Level.ERROR
    return Level.INFO if _TYPMOD.sub("", mine) == _TYPMOD.sub("", theirs) else Level.WARNING


_TYPMOD = re.compile(r"\(\d+(,\d+)?\)")


def _base_type(ctx: Context, spelled: str | None) -> str | None:
    """A column's type with domains resolved to their base type."""
    seen = 0
    while spelled is not None and (qname := ctx.catalog.user_type(spelled)) is not None and seen < 10:
        domain = next((d for d in ctx.catalog.domains if d.qname == qname), None)
        if domain is None or spelled.endswith("[]"):
            break
        spelled, seen = domain.base_type, seen + 1
    return spelled


@rule("not-valid-constraint", level=Level.WARNING, category=Category.KEYS,
      title="A constraint added NOT VALID and never validated",
      why="Rows that existed before the constraint was added were never checked: the constraint promises "
          "less than it says, and the planner cannot rely on it.",
      fix="ALTER TABLE s.t VALIDATE CONSTRAINT name; (takes only a SHARE UPDATE EXCLUSIVE lock; fix the "
          "violating rows first).",
      traps="Constraints cloned onto partitions are reported once, on the partitioned table.")
def not_valid_constraint(ctx: Context) -> Iterator[Hit]:
    for r, c in ctx.index.not_validated:
        yield Hit(object=member(r, (c.name,)), subject=r.qname,
                  message=f"{c.kind.value.replace('_', ' ')} constraint {c.name} is NOT VALID",
                  fix=f"ALTER TABLE {r.qname} VALIDATE CONSTRAINT {quote_ident(c.name)};")


@rule("self-fk-without-delete-rule", level=Level.INFO, category=Category.KEYS,
      title="A self-referencing foreign key with no ON DELETE action",
      why="Deleting a row that other rows of the same table point at (a parent in a tree) fails, so "
          "deleting a subtree needs the rows removed in the right order by hand.",
      fix="ALTER TABLE s.t DROP CONSTRAINT name, ADD CONSTRAINT name FOREIGN KEY (...) REFERENCES s.t (...) "
          "ON DELETE CASCADE (or SET NULL) NOT VALID; then VALIDATE CONSTRAINT name.",
      traps="Keys with ON DELETE CASCADE, SET NULL or SET DEFAULT are not reported; NO ACTION that is "
            "deliberate (rows must be re-parented first) can be excluded by object.")
def self_fk_without_delete_rule(ctx: Context) -> Iterator[Hit]:
    for r, fk in ctx.index.self_references:
        if fk.virtual:  # no ON DELETE to set: the database does not enforce it
            continue
        if fk.on_delete in ("NO ACTION", "RESTRICT"):
            yield Hit(object=member(r, (fk.name,)), subject=r.qname,
                      message=f"foreign key {fk.name} refers to its own table with ON DELETE {fk.on_delete}")


@rule("duplicate-foreign-key", level=Level.WARNING, category=Category.KEYS,
      title="Two foreign keys with the same columns, target and target columns",
      why="Every insert, update and referenced delete checks the key twice for nothing.",
      fix="ALTER TABLE s.t DROP CONSTRAINT name; (the one reported; the other stays).",
      traps="Keys that differ in their target columns, actions or match type are different keys and are not "
            "reported; the one kept is the first by name.")
def duplicate_foreign_key(ctx: Context) -> Iterator[Hit]:
    for r, declared in ctx.index.table_foreign_keys:
        if len(declared) < 2 or len({fk.columns for fk in declared}) == len(declared):  # no two on the same columns
            continue
        seen: dict[tuple, str] = {}
        for fk in sorted((k for k in declared if not k.virtual), key=lambda k: k.name):  # a virtual copy is refused on load
            same = (fk.columns, fk.ref_schema, fk.ref_name, fk.ref_columns, fk.on_update, fk.on_delete, fk.match,
                    fk.deferrable)
            if same in seen:
                yield Hit(object=member(r, (fk.name,)), subject=r.qname,
                          message=f"foreign key {fk.name} repeats {seen[same]}",
                          fix=f"ALTER TABLE {r.qname} DROP CONSTRAINT {quote_ident(fk.name)};")
            else:
                seen[same] = fk.name


@rule("overlapping-foreign-keys", level=Level.INFO, category=Category.KEYS,
      title="Two foreign keys of a table that share some but not all of their columns",
      why="A column in two keys ties two relationships together: changing one reference silently changes "
          "what the other points at. Often one of them is a mistake or a missing composite key.",
      fix="Review the pair; keep one composite key if the columns belong together, or split the column.",
      traps="Keys with exactly the same columns are duplicate-foreign-key's; each key is reported once, "
            "naming the keys before it (by name) that it overlaps; keys cloned onto partitions are checked "
            "once, on the partitioned table.")
def overlapping_foreign_keys(ctx: Context) -> Iterator[Hit]:
    for r, declared in ctx.index.table_foreign_keys:
        if len(declared) < 2:
            continue
        columns = [c for k in declared for c in k.columns]
        if len(set(columns)) == len(columns):  # no column is in two keys
            continue
        keys = sorted(declared, key=lambda k: k.name)
        for i, b in enumerate(keys):
            earlier = [_key(a) if a.virtual else a.name for a in keys[:i]
                       if set(a.columns) & set(b.columns) and set(a.columns) != set(b.columns)]
            if earlier:
                yield Hit(object=member(r, (b.name,)), subject=r.qname,
                          message=f"{_key(b)} shares columns with {', '.join(earlier)}")


@rule("nullable-composite-fk", level=Level.WARNING, category=Category.KEYS,
      title="A MATCH SIMPLE composite foreign key with nullable columns",
      why="Under MATCH SIMPLE a row with a NULL in any key column is not checked at all: (1, NULL) passes "
          "even when no referenced row has 1, so half-filled references slip through.",
      fix="Make the columns NOT NULL, or recreate the key with MATCH FULL (all or none NULL), or add "
          "CHECK (num_nulls(a, b) IN (0, <number of columns>)).",
      traps="Single-column keys, MATCH FULL keys, keys whose columns are all NOT NULL, and tables with a "
            "CHECK constraint naming all the nullable key columns together with NULL are not reported.")
def nullable_composite_fk(ctx: Context) -> Iterator[Hit]:
    for r, fk in ctx.index.distinct_foreign_keys:
        if len(fk.columns) < 2 or fk.match != "SIMPLE" or fk.virtual:  # a virtual key checks nothing
            continue
        nullable = [c.name for c in r.columns if c.name in fk.columns and c.nullable]
        if nullable and not _checked_together(r, nullable):
            yield Hit(object=member(r, fk.columns), subject=r.qname,
                      message=f"{_key(fk)} is MATCH SIMPLE and {column_list(nullable)} may be NULL")


def _checked_together(r: Relation, columns: list[str]) -> bool:
    """True when some CHECK constraint names every one of `columns` and NULL."""
    return any(c.kind is ConstraintKind.CHECK and "null" in c.definition.lower()
               and all(_mention(n).search(c.definition) for n in columns)
               for c in r.constraints)


@lru_cache(maxsize=4096)
def _mention(column: str) -> re.Pattern[str]:
    """The column's quoted name as a whole word of a constraint's definition."""
    return re.compile(rf"(?<![\w\"]){re.escape(quote_ident(column))}(?![\w\"])")


@rule("foreign-key-cycle", level=Level.INFO, category=Category.KEYS,
      title="Tables whose foreign keys form a cycle",
      why="Rows in a cycle cannot be inserted or deleted one table at a time unless a key is deferrable "
          "or nullable; loading, copying and deleting data need care, and the design may hide a mistake.",
      fix="Make one key DEFERRABLE INITIALLY DEFERRED, or nullable, or break the cycle with a link table.",
      traps="A self-reference (a tree) is not a cycle here; each cycle is reported once, on its first table "
            "by name; keys cloned onto partitions are ignored.")
def foreign_key_cycle(ctx: Context) -> Iterator[Hit]:
    edges = ctx.index.references  # table -> the other tables its keys reference
    if _acyclic(edges):  # most schemas: nothing to find
        return
    for found in _cycles(edges):
        component = {QualifiedName(*t) for t in found}
        first = min(component)
        names = ", ".join(str(q) for q in sorted(component))
        yield Hit(object=str(first), subject=first, message=f"foreign keys form a cycle through {names}")


Node = tuple[str, str]  # (schema, name): cheaper to build than a QualifiedName


def _acyclic(edges: dict[Node, set[Node]]) -> bool:
    """True when no path along `edges` comes back to a node it passed (a depth-first walk, cheaper
    than `_cycles`' bookkeeping)."""
    state: dict[Node, bool] = {}  # True while the node is on the current path, False once left
    for root in edges:
        if root in state:
            continue
        state[root] = True
        work = [(root, iter(edges[root]))]
        while work:
            node, children = work[-1]
            for child in children:
                seen = state.get(child)
                if seen is None:
                    state[child] = True
                    if child in edges:
                        work.append((child, iter(edges[child])))
                        break
                    state[child] = False
                elif seen:
                    return False
            else:
                state[node] = False
                work.pop()
    return True


def _cycles(edges: dict[Node, set[Node]]) -> list[set[Node]]:
    """The strongly connected components with more than one node (Tarjan, iterative)."""
    index: dict[Node, int] = {}
    low: dict[Node, int] = {}
    stack: list[Node] = []
    on_stack: set[Node] = set()
    found: list[set[Node]] = []
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges.get(root, ()))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = set()
                    while True:
                        top = stack.pop()
                        on_stack.discard(top)
                        component.add(top)
                        if top == node:
                            break
                    if len(component) > 1:
                        found.append(component)
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(edges.get(child, ())))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return found


def _key(fk: ForeignKey) -> str:
    """How a finding names a key: a virtual one (the project file's, not the database's) says so."""
    return f"virtual foreign key {fk.name} (from the project file)" if fk.virtual else f"foreign key {fk.name}"

