"""Health checks over a database with schema families: each finding once per family.

In: the whole `Catalog`, its `Families` and the check `Settings`. Out: a `Report` whose findings
on a family's structure are reported once, on its representative, with the family named in the
message (`... [family tenant_*: the same in all 300 schemas]`), instead of one copy per member;
each near-member's own findings (those its differences cause: the missing index's unindexed
foreign key, say) on the near-member itself; and the statistics rules' findings on every member,
since each tenant's activity is its own. Without families: `engine.lint`, unchanged.
"""

from __future__ import annotations

import dataclasses
from operator import attrgetter

from schemadocs.checks.config import Settings
from schemadocs.checks.engine import WORST_FIRST, Report, lint
from schemadocs.checks.finding import Finding
from schemadocs.checks.registry import Needs, all_rules
from schemadocs.families.collapse import collapse
from schemadocs.families.detect import Families, Family
from schemadocs.families.structure import renamed
from schemadocs.model import Catalog, QualifiedName, quote_ident


def lint_families(catalog: Catalog, families: Families, settings: Settings | None = None) -> Report:
    """Every enabled rule's findings, once per family (see the module's docstring)."""
    if not families:
        return lint(catalog, settings)
    settings = settings or Settings()
    report = lint(collapse(catalog, families), settings)
    found = [_on_family(f, families) for f in report.findings]
    for family in families.families:
        found += _near_findings(catalog, family, settings)
    found += _member_statistics(catalog, families, settings, report)
    rank = {level: i for i, level in enumerate(WORST_FIRST)}
    unique = {(f.rule, f.object): f for f in reversed(found)}  # a finding twice (a near-member's statistics): once
    return dataclasses.replace(report, findings=tuple(sorted(unique.values(), key=lambda f: (rank[f.level], f.rule, f.object))))


def family_suffix(family: Family) -> str:
    return f" [family {family.name}: the same in all {family.size} schemas]"


def _schema_of(finding: Finding) -> str | None:
    return finding.subject.schema if finding.subject is not None else None


def _on_family(finding: Finding, families: Families) -> Finding:
    schema = _schema_of(finding)
    family = families.of_schema.get(schema) if schema is not None else None
    if family is None or family.representative != schema:
        return finding
    return Finding(finding.object, finding.rule, finding.level, finding.category,
                   finding.message + family_suffix(family), finding.fix, finding.subject)


def _near_findings(catalog: Catalog, family: Family, settings: Settings) -> list[Finding]:
    """Each near-member's findings that the family's structure does not have, on the near-member."""
    if not family.near:
        return []
    rep = family.representative
    known = {(f.rule, f.object, f.message) for f in lint(renamed(catalog, rep, rep), settings).findings}
    found: list[Finding] = []
    for near in family.near:
        for f in lint(renamed(catalog, near.schema, rep), settings).findings:
            if (f.rule, f.object, f.message) not in known:
                found.append(_moved(f, rep, near.schema))
    return found


def _moved(finding: Finding, source: str, target: str) -> Finding:
    """A finding made on `source`'s name, put back on schema `target`."""
    old, new = quote_ident(source) + ".", quote_ident(target) + "."

    def text(value: str) -> str:
        return new + value[len(old):] if value.startswith(old) else value.replace(" " + old, " " + new)

    subject = finding.subject
    if subject is not None and subject.schema == source:
        subject = QualifiedName(target, subject.name)
    return Finding(text(finding.object), finding.rule, finding.level, finding.category, text(finding.message),
                   None if finding.fix is None else finding.fix.replace(old, new), subject)


def _member_statistics(catalog: Catalog, families: Families, settings: Settings, report: Report) -> list[Finding]:
    """The statistics rules' findings on the members left out of the collapsed catalog."""
    ids = tuple(r.id for r in settings.selected(all_rules()) if r.needs is Needs.STATISTICS and r.id in report.rules_run)
    if not ids:
        return []
    hidden = families.hidden
    only_stats = dataclasses.replace(settings, rules=ids, skip=(), exclude={k: v for k, v in settings.exclude.items() if k in ids})
    return sorted((f for f in lint(catalog, only_stats).findings if _schema_of(f) in hidden), key=attrgetter("object"))
