"""The project file laid over a catalog whose schema families are collapsed (`overlay.apply`).

In: the whole `Catalog`, the one the pages show (`collapse`: one representative per family),
its `Families` and the `Project`. Out: the `Annotated` catalog the pages are rendered from.

The site documents a family through its representative, so a member other than the
representative, and a near-member, have no page of their own. A project-file entry naming an
object in such a schema (`tenant_0042.orders.note`) is checked against the whole catalog (a
misspelt name there is an error, as anywhere), then accepted and not shown: one line says which
entries were, and that describing the representative's object describes the family. Every
other entry is applied to the shown catalog as always; a name in no schema stays an error.
"""

from __future__ import annotations

import dataclasses

from schemadocs import progress
from schemadocs.families.detect import Families
from schemadocs.model import Catalog
from schemadocs.project.overlay import Annotated, apply
from schemadocs.project.spec import Entry, Project

SHOWN_AT_MOST = 3  # entries named in the line that reports them


def apply_shown(whole: Catalog, shown: Catalog, families: Families, project: Project) -> Annotated:
    """`project` over `shown`; entries in hidden family members checked in `whole` and reported."""
    hidden = families.hidden
    members = tuple(e for e in project.entries if e.path[0] in hidden)
    if not members:
        return apply(shown, project)
    apply(_schemas(whole, {e.path[0] for e in members}), dataclasses.replace(project, entries=members, viewpoints=()))
    said = tuple(e for e in members if e.description is not None or e.owner or e.labels)  # not the parents of one
    if said:
        progress.info(not_shown(said, families))
    return apply(shown, dataclasses.replace(project, entries=tuple(e for e in project.entries if e not in members)))


def not_shown(members: tuple[Entry, ...], families: Families) -> str:
    """The line saying which entries name objects of hidden family members."""
    named = ", ".join(e.label for e in members[:SHOWN_AT_MOST]) + \
        (f" and {len(members) - SHOWN_AT_MOST} more" if len(members) > SHOWN_AT_MOST else "")
    standing = sorted({(families.of_schema[e.path[0]].name, families.of_schema[e.path[0]].representative)
                       for e in members})
    through = ", ".join(f"{name} through {representative}" for name, representative in standing)
    return (f"the project file names {len(members)} object{'s' if len(members) != 1 else ''} of schemas documented "
            f"through their family ({named}): checked, not shown; the site documents {through}, so describe the "
            "representative's object to describe the family")


def _schemas(catalog: Catalog, names: set[str]) -> Catalog:
    """`catalog` cut down to the schemas `names` (what the hidden members' entries are checked in)."""
    def kept(objects: tuple) -> tuple:  # type: ignore[type-arg]
        return tuple(o for o in objects if o.schema in names)
    return dataclasses.replace(catalog, schemas=tuple(s for s in catalog.schemas if s.name in names),
                               relations=kept(catalog.relations), routines=kept(catalog.routines),
                               enums=kept(catalog.enums), domains=kept(catalog.domains),
                               composite_types=kept(catalog.composite_types), sequences=kept(catalog.sequences))
