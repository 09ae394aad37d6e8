"""Rules on keys and constraints."""

from __future__ import annotations

from collections.abc import Iterator

from schemadocs.checks.finding import Category, Level
from schemadocs.checks.registry import Context, Hit, rule
from schemadocs.model import ConstraintKind, QualifiedName, RelationKind


@rule("no-primary-key", level=Level.WARNING, category=Category.KEYS,
      title="An ordinary table without a primary key",
      why="Without a primary key rows cannot be addressed reliably: replication (logical, UPDATE/DELETE), "
          "ORMs and deduplication need one, and foreign keys have nothing to point at.",
      fix="ALTER TABLE ... ADD PRIMARY KEY (...) on a column set that is unique and NOT NULL (build a unique "
          "index CONCURRENTLY first, then ADD PRIMARY KEY USING INDEX, to avoid a long lock).",
      traps="A partition whose partitioned parent has a key inherits it, and views, materialized views and "
            "foreign tables cannot have one: none of them is reported.")
def no_primary_key(ctx: Context) -> Iterator[Hit]:
    keyed = {r.qname for r in ctx.catalog.relations
             if any(c.kind is ConstraintKind.PRIMARY_KEY for c in r.constraints)}
    for r in ctx.catalog.relations:
        if r.kind not in (RelationKind.TABLE, RelationKind.PARTITIONED_TABLE) or r.qname in keyed:
            continue
        if r.partition_of is not None and _root(ctx, r.partition_of) in keyed:
            continue
        yield Hit(object=str(r.qname), message=f"table {r.qname} has no primary key", subject=r.qname)


def _root(ctx: Context, qname: QualifiedName) -> QualifiedName:
    """The top partitioned table above a partition."""
    while (rel := ctx.catalog.relation(qname)) is not None and rel.partition_of is not None:
        qname = rel.partition_of
    return qname
