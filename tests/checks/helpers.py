"""Small builders for pure rule tests: a catalog from model objects, and one rule's findings."""

from __future__ import annotations

from typing import Any

from schemadocs.checks.config import Settings
from schemadocs.checks.engine import lint
from schemadocs.model import Catalog, Column, Relation, RelationKind, RelationStats


def catalog(**parts: Any) -> Catalog:
    """A catalog of database `d` on PostgreSQL 16 holding `parts` (relations=..., routines=...)."""
    return Catalog(database="d", server_version="16.4", **parts)


def table(name: str, *, schema: str = "s", kind: RelationKind = RelationKind.TABLE, **fields: Any) -> Relation:
    fields.setdefault("columns", (Column(name="id", type="integer", nullable=False),))
    return Relation(schema=schema, name=name, kind=kind, **fields)


def stats(**fields: Any) -> RelationStats:
    return RelationStats(**fields)


def found(cat: Catalog, rule: str) -> list[tuple[str, str]]:
    """(object, level) of each finding of `rule` on `cat`, in report order."""
    return [(f.object, f.level.value) for f in lint(cat, Settings(rules=(rule,))).findings]
