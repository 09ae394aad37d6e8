"""Run the rules over a catalog.

In: a `Catalog` and `Settings` (which rules, levels, thresholds, per-rule object excludes;
an exclude glob that matches no finding and no object is an error). Out: a `Report`: the
findings sorted (worst first, then by rule and object), the rules run,
the statistics rules skipped because the catalog was read without statistics, and (after
`baseline.apply`) how many known findings were left out and which baseline entries are stale.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from fnmatch import fnmatchcase
from itertools import chain
from operator import attrgetter
from typing import TYPE_CHECKING

from schemadocs.checks.catalog_index import CatalogIndex
from schemadocs.checks.config import Settings
from schemadocs.checks.finding import Finding, Level
from schemadocs.checks.objects import check_excludes
from schemadocs.checks.registry import Context, Needs, Rule, all_rules
from schemadocs.gc_pause import gc_paused
from schemadocs.model import Catalog

if TYPE_CHECKING:
    from schemadocs.checks.baseline import Entry


@dataclass(frozen=True)
class Report:
    findings: tuple[Finding, ...]
    rules_run: tuple[str, ...]
    skipped_no_stats: tuple[str, ...]  # statistics rules not run: the catalog has no statistics
    known: int = 0  # findings left out because the baseline holds them (`baseline.apply`)
    stale: tuple[Entry, ...] = ()  # baseline entries that no longer match a finding


def lint(catalog: Catalog, settings: Settings | None = None) -> Report:
    """Every enabled rule's findings on `catalog`. The garbage collector is paused meanwhile (the
    rules make many small acyclic objects: collections would only walk the catalog again)."""
    with gc_paused():
        return _lint(catalog, settings or Settings())


def _lint(catalog: Catalog, settings: Settings) -> Report:
    has_stats = any(r.stats is not None for r in catalog.relations)
    found: dict[Level, list[Finding]] = {level: [] for level in WORST_FIRST}
    run, skipped = [], []
    matched: set[tuple[str, str]] = set()  # (rule id, exclude glob) that left a finding out
    index = CatalogIndex(catalog)  # shared by every rule of this run
    for r in sorted(settings.selected(all_rules()), key=attrgetter("id")):
        if r.needs is Needs.STATISTICS and not has_stats:
            skipped.append(r.id)
            continue
        run.append(r.id)
        ctx = Context(catalog, index, {**r.thresholds, **settings.thresholds.get(r.id, {})})
        for level, findings in _findings(r, ctx, settings, matched).items():
            findings.sort(key=attrgetter("object"))
            found[level] += findings  # rules run in id order: worst first, then by rule and object
    check_excludes(catalog, settings.exclude, matched)
    return Report(tuple(chain.from_iterable(found.values())), tuple(run), tuple(skipped))


WORST_FIRST = tuple(sorted(Level, key=lambda level: -level.rank))


def _findings(r: Rule, ctx: Context, settings: Settings, matched: set[tuple[str, str]]) -> dict[Level, list[Finding]]:
    """The rule's findings by level (a level set in the settings, else the hit's, else the rule's),
    in the order the check reported them, less those an exclude glob matches."""
    excluded = settings.exclude.get(r.id, ())
    rule_id, category, level, default = r.id, r.category, settings.levels.get(r.id), r.level
    found: defaultdict[Level, list[Finding]] = defaultdict(list)
    for h in r.check(ctx):
        globs = {(rule_id, glob) for glob in excluded if fnmatchcase(h.object, glob)} if excluded else None
        if globs:
            matched |= globs
        else:
            chosen = level or h.level or default
            found[chosen].append(Finding(h.object, rule_id, chosen, category, h.message, h.fix, h.subject))
    return found
