"""The Changes page and the "changed in this build" badge.

In: the catalog being documented and the change history (`schemadocs.diff.history`),
newest build first. Out: `ChangesPage`, one section per build with its changes (breaking
first, each linked to its relation's page where that page exists, with what it breaks),
and `changed_badge`, the link a relation page shows when the latest build changed it. With
the plan of the migration this build applied (`build --plan`), its "Migration plan" section
(`changes_plan`) sits in this build's section, next to the diff, or on its own when the
migration changed nothing the diff sees.
"""

from __future__ import annotations

from dataclasses import dataclass

from schemadocs.diff.describe import describe
from schemadocs.diff.history import Build, History
from schemadocs.diff.text import summary
from schemadocs.model import Catalog, QualifiedName
from schemadocs.plan.model import Plan
from schemadocs.render.changes_plan import PlanSection, plan_section
from schemadocs.render.contexts import Link, relation_link
from schemadocs.render.slugs import HOME_PAGE, relation_page, relative_html

CHANGES_PAGE = "changes.md"


@dataclass(frozen=True)
class ChangeRow:
    severity: str  # breaking | safe
    text: str
    link: Link | None  # the page of the relation it is on, if the relation is documented now
    reason: str
    impact: tuple[Link, ...]


@dataclass(frozen=True)
class BuildSection:
    anchor: str
    title: str
    summary: str
    compared_with: str
    rows: tuple[ChangeRow, ...]
    plan: PlanSection | None = None  # the newest build's, when the build was given one


@dataclass(frozen=True)
class ChangesPage:
    path: str
    home: Link
    builds: tuple[BuildSection, ...]
    plan: PlanSection | None = None  # this build's plan when the build recorded no change


@dataclass(frozen=True)
class BuildChanges:
    """What the site shows about changes: the history (newest first) and this build's entry,
    None when nothing changed since the previous build."""

    history: History
    this_build: Build | None
    plan: Plan | None = None  # the plan of the migration this build applied (`build --plan`)


def changes_page(catalog: Catalog, history: History, plan: Plan | None = None,
                 this_build_changed: bool = False) -> ChangesPage:
    """The page; `plan` goes into the newest build's section when `this_build_changed`
    (that section is this build's), else into a section of its own above the history."""
    page = CHANGES_PAGE
    with_newest = plan is not None and this_build_changed and bool(history)
    section = None if plan is None else plan_section(catalog, page, plan,
                                                     f"build-{len(history)}-plan" if with_newest else "plan")

    def link(qname: QualifiedName | None) -> Link | None:
        return relation_link(catalog, page, qname) if qname is not None else None

    builds = []
    for number, build in zip(range(len(history), 0, -1), history):
        ordered = (*build.diff.breaking, *build.diff.safe)
        rows = tuple(ChangeRow(severity=c.severity.value, text=describe(c), link=link(c.relation), reason=c.reason,
                               impact=tuple(lk for q in c.impact if (lk := link(q)) is not None))
                     for c in ordered)
        when = build.built_at.replace("T", " ").replace("Z", " UTC")
        builds.append(BuildSection(anchor=f"build-{number}", title=f"Build {number} · {when}",
                                   summary=summary(build.diff), compared_with=build.old, rows=rows,
                                   plan=section if with_newest and number == len(history) else None))
    return ChangesPage(path=page, home=Link("Home", relative_html(page, HOME_PAGE)), builds=tuple(builds),
                       plan=None if with_newest else section)


def changed_badge(from_page: str, changes: BuildChanges, qname: QualifiedName) -> Link | None:
    """The badge for a relation page when this build changed the relation (its section is the newest)."""
    if changes.this_build is None or qname not in changes.this_build.diff.relations:
        return None
    return Link("changed in this build", relative_html(from_page, CHANGES_PAGE) + f"#build-{len(changes.history)}")
