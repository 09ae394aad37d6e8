"""The contexts of the Health pages and of the Health sections of other pages.

In: the catalog and a lint `Report`. Out: `HealthPage` (counts by level, one row per rule
that was run, with its findings' count), one `RulePage` per rule with findings (its
documentation and every finding, linked to its object's page), and `FindingRow`s for the
Health section of each table, view and function page, keyed by the page's subject.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from schemadocs.api.paths import health_rule_path
from schemadocs.checks.engine import Report
from schemadocs.checks.finding import Finding, Level
from schemadocs.checks.registry import Rule, all_rules
from schemadocs.model import Catalog, QualifiedName
from schemadocs.render.contexts import Link
from schemadocs.render.slugs import (
    HEALTH_PAGE,
    HOME_PAGE,
    health_rule_page,
    relation_page,
    relative,
    relative_html,
    routine_page,
)

MAX_ROWS = 5000  # findings listed on one rule page; the rest are counted, and api/health/<rule>.json has them all


@dataclass(frozen=True)
class FindingRow:
    level: str
    rule: Link  # to the rule's page
    object: str
    link: Link | None  # the object's page, when it has one
    message: str
    fix: str | None


@dataclass(frozen=True)
class RuleRow:
    rule: Link
    level: str
    category: str
    title: str
    count: int


@dataclass(frozen=True)
class HealthPage:
    path: str
    home: Link
    counts: tuple[tuple[str, int], ...]  # (level, findings), worst first
    rules: tuple[RuleRow, ...]  # rules with findings first (worst level, most findings), then clean ones
    not_run: tuple[str, ...]  # statistics rules skipped: the catalog was read without statistics


@dataclass(frozen=True)
class RulePage:
    path: str
    title: str  # the rule id
    home: Link
    health: Link
    level: str
    category: str
    summary: str
    why: str
    fix: str
    traps: str
    needs: str
    findings: tuple[FindingRow, ...]
    more: int  # findings beyond MAX_ROWS
    total: int
    data: str  # href of api/health/<rule>.json, which holds them all


@dataclass(frozen=True)
class Health:
    page: HealthPage
    rules: tuple[RulePage, ...]
    by_subject: dict[QualifiedName, tuple[Finding, ...]]  # the findings each table, view or function page shows
    counts: tuple[tuple[str, int, str], ...]  # (level, findings, href from the home page), for the home page


def health_context(catalog: Catalog, report: Report) -> Health:
    """Everything the site shows of a lint report."""
    rules = all_rules()
    found: dict[str, list[Finding]] = {}
    by_subject: dict[QualifiedName, list[Finding]] = {}
    for f in report.findings:
        found.setdefault(f.rule, []).append(f)
        if f.subject is not None:
            by_subject.setdefault(f.subject, []).append(f)
    per_level = Counter(f.level for f in report.findings)
    counts = tuple((level.value, per_level[level]) for level in Level)
    run = sorted((rules[r] for r in report.rules_run),
                 key=lambda r: (not found.get(r.id), -max((f.level.rank for f in found.get(r.id, ())), default=0),
                                -len(found.get(r.id, ())), r.id))
    page = HealthPage(
        path=HEALTH_PAGE, home=Link("Home", relative_html(HEALTH_PAGE, HOME_PAGE)), counts=counts,
        rules=tuple(RuleRow(rule=Link(r.id, relative_html(HEALTH_PAGE, health_rule_page(r.id))) if found.get(r.id)
                            else Link(r.id, None), level=r.level.value, category=r.category.value, title=r.title,
                            count=len(found.get(r.id, ()))) for r in run),
        not_run=report.skipped_no_stats,
    )
    return Health(
        page=page,
        rules=tuple(rule_page(catalog, rules[rule_id], findings) for rule_id, findings in sorted(found.items())),
        by_subject={q: tuple(fs) for q, fs in by_subject.items()},
        counts=tuple((level, n, relative_html(HOME_PAGE, HEALTH_PAGE)) for level, n in counts),
    )


def rule_page(catalog: Catalog, rule: Rule, findings: list[Finding]) -> RulePage:
    path = health_rule_page(rule.id)
    return RulePage(
        path=path, title=rule.id, home=Link("Home", relative_html(path, HOME_PAGE)),
        health=Link("Health", relative_html(path, HEALTH_PAGE)), level=rule.level.value,
        category=rule.category.value, summary=rule.title, why=rule.why, fix=rule.fix, traps=rule.traps,
        needs=rule.needs.value, findings=finding_rows(catalog, findings[:MAX_ROWS], path),
        more=max(0, len(findings) - MAX_ROWS), total=len(findings), data=relative(path, health_rule_path(rule.id)),
    )


def finding_rows(catalog: Catalog, findings: tuple[Finding, ...] | list[Finding], page: str) -> tuple[FindingRow, ...]:
    """Findings as rows on `page`: the rule linked to its page, the object to its own page."""
    return tuple(
        FindingRow(level=f.level.value, rule=Link(f.rule, relative_html(page, health_rule_page(f.rule))),
                   object=f.object, link=_subject_link(catalog, f.subject, page), message=f.message, fix=f.fix)
        for f in findings
    )


def _subject_link(catalog: Catalog, subject: QualifiedName | None, page: str) -> Link | None:
    if subject is None:
        return None
    if catalog.relation(subject) is not None:
        return Link(str(subject), relative_html(page, relation_page(subject)))
    if catalog.routines_named(subject):
        return Link(str(subject), relative_html(page, routine_page(subject.schema, subject.name)))
    return None
