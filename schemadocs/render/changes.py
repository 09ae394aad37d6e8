"""The Changes page and the "changed in this build" badge.

In: the catalog being documented and the change history (`schemadocs.diff.history`),
newest build first. Out: `ChangesPage`, one section per build with its changes (breaking
first, each linked to its relation's page where that page exists, with what it breaks),
and `changed_badge`, the link a relation page shows when the latest build changed it.
"""

from __future__ import annotations

from dataclasses import dataclass

from schemadocs.diff.describe import describe
from schemadocs.diff.history import Build, History
from schemadocs.diff.text import summary
from schemadocs.model import Catalog, QualifiedName
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


@dataclass(frozen=True)
class ChangesPage:
    path: str
    home: Link
    builds: tuple[BuildSection, ...]


@dataclass(frozen=True)
class BuildChanges:
    """What the site shows about changes: the history (newest first) and this build's entry,
    None when nothing changed since the previous build."""

    history: History
    this_build: Build | None


def changes_page(catalog: Catalog, history: History) -> ChangesPage:
    page = CHANGES_PAGE

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
                                   summary=summary(build.diff), compared_with=build.old, rows=rows))
    return ChangesPage(path=page, home=Link("Home", relative_html(page, HOME_PAGE)), builds=tuple(builds))


def changed_badge(from_page: str, changes: BuildChanges, qname: QualifiedName) -> Link | None:
    """The badge for a relation page when this build changed the relation (its section is the newest)."""
    if changes.this_build is None or qname not in changes.this_build.diff.relations:
        return None
    return Link("changed in this build", relative_html(from_page, CHANGES_PAGE) + f"#build-{len(changes.history)}")
