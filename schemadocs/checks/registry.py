"""The rules: each one small unit (id, level, category, documentation, check function).

In: `@rule(...)` on a check function in `rules/<category>.py`. Out: `RULES`, every rule by id,
shared by `lint`, `--help`, the site and the docs. A check takes a `Context` (the catalog, the
lookups derived from it once per run, and this rule's thresholds) and yields `Hit`s; the engine
turns them into `Finding`s.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any, NamedTuple

from schemadocs.checks.catalog_index import CatalogIndex
from schemadocs.checks.finding import Category, Level
from schemadocs.model import Catalog, QualifiedName


class Needs(StrEnum):
    CATALOG = "catalog"  # the structure alone
    STATISTICS = "statistics"  # activity counters and sizes: absent from a --no-stats snapshot


class Hit(NamedTuple):
    """What a check saw: the object to change, a message, the safe fix (SQL where one exists),
    the page that shows it, and a level when this hit differs from the rule's (e.g. milder).
    Immutable like the model, but a named tuple: a check can make tens of thousands, and the
    engine reads each once to make its `Finding`."""

    object: str
    message: str
    fix: str | None = None
    subject: QualifiedName | None = None
    level: Level | None = None


@dataclass(frozen=True)
class Context:
    """What a check reads: the catalog, its shared lookups and this rule's thresholds (defaults
    merged with settings)."""

    catalog: Catalog
    index: CatalogIndex
    thresholds: Mapping[str, float] = field(default_factory=dict)


Check = Callable[[Context], Iterable[Hit]]


@dataclass(frozen=True, kw_only=True)
class Rule:
    id: str  # stable kebab-case
    level: Level
    category: Category
    title: str  # one line: what it checks
    why: str  # why it matters
    fix: str  # how to fix it safely
    traps: str  # known false-positive traps and how the rule avoids them
    needs: Needs = Needs.CATALOG
    thresholds: Mapping[str, float] = field(default_factory=dict)  # name -> default
    check: Check


RULES: dict[str, Rule] = {}


def rule(id: str, *, level: Level, category: Category, title: str, why: str, fix: str, traps: str,
         needs: Needs = Needs.CATALOG, thresholds: Mapping[str, float] | None = None) -> Callable[[Check], Check]:
    """Register the decorated check function as rule `id`."""
    def register(check: Check) -> Check:
        if id in RULES:
            raise ValueError(f"rule id {id!r} is registered twice")
        RULES[id] = Rule(id=id, level=level, category=category, title=title, why=why, fix=fix, traps=traps,
                         needs=needs, thresholds=MappingProxyType(dict(thresholds or {})), check=check)
        return check
    return register


def all_rules() -> dict[str, Rule]:
    """Every rule, by id (importing the rule modules registers them)."""
    import schemadocs.checks.rules  # noqa: F401  (registers on import)
    return dict(sorted(RULES.items()))


def describe(r: Rule) -> dict[str, Any]:
    """A rule's documentation as plain data (for --help, JSON and the site)."""
    return {"id": r.id, "level": r.level.value, "category": r.category.value, "title": r.title, "why": r.why,
            "fix": r.fix, "traps": r.traps, "needs": r.needs.value, "thresholds": dict(r.thresholds)}
