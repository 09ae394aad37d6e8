"""Model objects for the pure rule tests: tables, columns, keys and indexes built directly."""

from __future__ import annotations

from schemadocs.checks.config import Settings
from schemadocs.checks.engine import lint
from schemadocs.checks.finding import Level
from schemadocs.model import (Catalog, Column, Constraint, ConstraintKind, ForeignKey, Index, QualifiedName,
                              Relation, RelationKind, RelationStats)


def col(name: str, type: str = "integer", nullable: bool = True, default: str | None = None,
        identity: str | None = None) -> Column:
    return Column(name=name, type=type, nullable=nullable, default=default, identity=identity)


def pk(table: str, *columns: str) -> Constraint:
    return Constraint(name=f"{table}_pkey", kind=ConstraintKind.PRIMARY_KEY, columns=columns)


def fk(name: str, columns: tuple[str, ...], target: str, ref: tuple[str, ...] = ("id",), **kw) -> ForeignKey:
    return ForeignKey(name=name, kind=ConstraintKind.FOREIGN_KEY, columns=columns, ref_schema="s", ref_name=target,
                      ref_columns=ref, **kw)


def idx(table: str, name: str, *items: str, unique: bool = False, method: str = "btree", where: str | None = None,
        include: tuple[str, ...] = (), valid: bool = True, primary: bool = False, scans: int | None = None) -> Index:
    """An index with a definition as pg_get_indexdef writes it; plain items are its key columns."""
    definition = (f"CREATE {'UNIQUE ' if unique else ''}INDEX {name} ON s.{table} USING {method} ({', '.join(items)})"
                  + (f" INCLUDE ({', '.join(include)})" if include else "") + (f" WHERE {where}" if where else ""))
    return Index(name=name, definition=definition, columns=tuple(i.split(" ")[0] for i in items),
                 include_columns=include, method=method, unique=unique or primary, primary=primary,
                 predicate=where, valid=valid, scans=scans)


def table(name: str, columns: tuple[Column, ...] = (), *, constraints: tuple[Constraint, ...] = (),
          indexes: tuple[Index, ...] = (), kind: RelationKind = RelationKind.TABLE, rows: int | None = None,
          partition_of: str | None = None, seq_scans: int | None = None, index_scans: int | None = None) -> Relation:
    stats = None if rows is None else RelationStats(estimated_rows=rows, seq_scans=seq_scans, index_scans=index_scans)
    return Relation(schema="s", name=name, kind=kind, columns=columns or (col("id", nullable=False),),
                    constraints=constraints, indexes=indexes, stats=stats,
                    partition_of=QualifiedName("s", partition_of) if partition_of else None)


def catalog(*relations: Relation, **kw) -> Catalog:
    return Catalog(database="d", server_version="16", relations=relations, **kw)


def found(cat: Catalog, *rules: str) -> list[tuple[str, str, Level]]:
    """(rule, object, level) of every finding of `rules` on `cat`, in report order."""
    return [(f.rule, f.object, f.level) for f in lint(cat, Settings(rules=rules)).findings]
