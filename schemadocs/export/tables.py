"""What every export draws from a catalog: its tables, their keys and their foreign keys.

In: a `Catalog`. Out: the relations an export shows (`tables`: tables, partitioned and
foreign tables; `relations`: those and the views), each column's keys (`column_keys`: PK,
FK, UK) and the foreign keys between shown tables (`foreign_keys`), in catalog order.
Partitions follow their parent, as on the site; a foreign key to a relation the catalog
does not hold (an extension's table, or one `--include`/`--exclude` left out) is left out.
"""

from __future__ import annotations

from schemadocs.model import Catalog, ConstraintKind, ForeignKey, Relation, RelationKind

TABLE_KINDS = (RelationKind.TABLE, RelationKind.PARTITIONED_TABLE, RelationKind.FOREIGN_TABLE)


def tables(catalog: Catalog) -> tuple[Relation, ...]:
    """The tables an ER export draws: every documented table, partitioned or foreign table."""
    return tuple(r for r in catalog.documented if r.kind in TABLE_KINDS)


def relations(catalog: Catalog) -> tuple[Relation, ...]:
    """Every documented relation, views included (the data dictionary and Markdown files)."""
    return catalog.documented


def column_keys(rel: Relation) -> dict[str, tuple[str, ...]]:
    """For each column in a key, its key kinds in the order PK, FK, UK."""
    found: dict[str, list[str]] = {}
    for kind, label in ((ConstraintKind.PRIMARY_KEY, "PK"), (ConstraintKind.FOREIGN_KEY, "FK"),
                        (ConstraintKind.UNIQUE, "UK")):
        for c in rel.constraints:
            if c.kind is kind and not (kind is ConstraintKind.FOREIGN_KEY and c.inherited):
                for col in c.columns:
                    if label not in found.setdefault(col, []):
                        found[col].append(label)
    return {col: tuple(kinds) for col, kinds in found.items()}


def foreign_keys(catalog: Catalog, shown: tuple[Relation, ...]) -> tuple[tuple[Relation, ForeignKey], ...]:
    """The declared foreign keys between relations of `shown`, in catalog order."""
    names = {r.qname for r in shown}
    return tuple((rel, fk) for rel in shown for fk in rel.declared_foreign_keys if fk.target in names)


def single_column_unique(rel: Relation) -> frozenset[str]:
    """Columns that are unique on their own (a one-column PK or UNIQUE constraint)."""
    return frozenset(c.columns[0] for c in rel.constraints
                     if c.kind in (ConstraintKind.PRIMARY_KEY, ConstraintKind.UNIQUE) and len(c.columns) == 1)
