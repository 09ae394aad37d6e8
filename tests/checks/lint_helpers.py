"""Shared by the lint tests: a catalog with hostile names, and a test-only rule of any level."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from schemadocs.checks.finding import Category, Level
from schemadocs.checks.registry import RULES, Hit, Needs, rule
from schemadocs.model import Catalog, Column, Constraint, ConstraintKind, Relation, RelationKind

HOSTILE = ("we,ird:na%me\r\n::error::<script>alert(1)</script>", "pipe|`tick`*star*_u_ [l](x) #h", "plain")


def catalog(*names: str, keyed: tuple[str, ...] = ()) -> Catalog:
    """Tables in schema `s`; those in `keyed` have a primary key."""
    return Catalog(database="d", server_version="16", relations=tuple(
        Relation(schema="s", name=n, kind=RelationKind.TABLE, columns=(Column(name="id", type="integer", nullable=False),),
                 constraints=(Constraint(name=f"{n}_pkey", kind=ConstraintKind.PRIMARY_KEY, columns=("id",)),)
                 if n in keyed else ()) for n in names))


@contextmanager
def extra_rule(rule_id: str, level: Level, fix: str | None = None,
               thresholds: dict[str, float] | None = None, needs: Needs = Needs.CATALOG) -> Iterator[None]:
    """A rule, registered for the duration, that reports every table at `level`."""
    @rule(rule_id, level=level, category=Category.NAMING, title=f"test rule {rule_id}", why="w", fix="f", traps="t",
          thresholds=thresholds, needs=needs)
    def check(ctx) -> Iterator[Hit]:  # type: ignore[no-untyped-def]
        for r in ctx.catalog.relations:
            yield Hit(object=str(r.qname), message=f"{r.qname} seen", fix=fix, subject=r.qname)
    try:
        yield
    finally:
        del RULES[rule_id]
