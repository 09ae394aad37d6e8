"""The site's schema-family pages, and what the home page, navigation and schema pages say of families.

In: the whole `Catalog` (for each member's rows and size), the `Families` found in it and the
catalog the pages are rendered from (where only each family's representative is left). Out: one
`FamilyPage` per family (`families/<slug>.md`): the structure's relations, linked to the
representative's pages, the sortable and filterable member list with each member's estimated
rows and total size (when statistics were read), and the near-members, each with only how it
differs; `FamilyRow`s for the home page.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from schemadocs.families.detect import Families, Family
from schemadocs.model import Catalog
from schemadocs.render.contexts import Link, human_size, relation_link
from schemadocs.render.slugs import HOME_PAGE, relative_html, schema_page, slug


def family_page(name: str) -> str:
    """The docs-dir path of a family's page."""
    return f"families/{slug(name)}.md"


@dataclass(frozen=True)
class MemberRow:
    schema: str
    rows: str  # estimated rows over the member's tables, "" without statistics
    rows_sort: int
    size: str  # total size of its relations, "" without statistics
    size_sort: int


@dataclass(frozen=True)
class NearRow:
    schema: str
    differences: tuple[str, ...]  # "extra column customers.nickname text", ...


@dataclass(frozen=True)
class FamilyPage:
    path: str
    title: str
    home: Link
    name: str
    size: int
    representative: Link  # the representative schema's page
    relations: tuple[tuple[Link, str], ...]  # (relation on the representative, kind)
    objects: int
    members: tuple[MemberRow, ...]
    near: tuple[NearRow, ...]
    stats: bool  # whether members have rows and sizes


@dataclass(frozen=True)
class FamilyRow:
    """One family on the home page."""

    link: Link
    members: int
    near: int
    representative: str


def family_pages(catalog: Catalog, families: Families, shown: Catalog) -> list[FamilyPage]:
    """One page per family (`catalog`: the whole catalog; `shown`: the one pages are rendered from)."""
    rows, sizes = _member_totals(catalog, {s for f in families.families for s in f.members})
    return [_page(f, shown, rows, sizes) for f in families.families]


def _page(family: Family, shown: Catalog, rows: dict[str, int | None], sizes: dict[str, int | None]) -> FamilyPage:
    path = family_page(family.name)
    relations = tuple((relation_link(shown, path, r.qname), r.kind.label)
                      for r in shown.documented if r.schema == family.representative)
    stats = any(rows.get(m) is not None or sizes.get(m) is not None for m in family.members)
    members = tuple(MemberRow(schema=m, rows="" if rows.get(m) is None else f"{rows[m]:,}", rows_sort=rows.get(m) or 0,
                              size="" if sizes.get(m) is None else human_size(sizes[m]), size_sort=sizes.get(m) or 0)
                    for m in family.members)
    near = tuple(NearRow(schema=n.schema, differences=tuple(str(d) for d in n.differences)) for n in family.near)
    return FamilyPage(path=path, title=f"Family {family.name}", home=Link("Home", relative_html(path, HOME_PAGE)),
                      name=family.name, size=family.size,
                      representative=Link(family.representative, relative_html(path, schema_page(family.representative))),
                      relations=relations, objects=family.objects, members=members, near=near, stats=stats)


def _member_totals(catalog: Catalog, members: set[str]) -> tuple[dict[str, int | None], dict[str, int | None]]:
    """Each member's estimated rows (tables) and total size (relations), None where not read."""
    rows: dict[str, int | None] = defaultdict(lambda: None)
    sizes: dict[str, int | None] = defaultdict(lambda: None)
    for r in catalog.relations:
        if r.schema not in members or r.stats is None:
            continue
        if r.stats.estimated_rows is not None and r.stats.estimated_rows >= 0 and not r.kind.is_view:
            rows[r.schema] = (rows[r.schema] or 0) + r.stats.estimated_rows
        if r.stats.total_size is not None:
            sizes[r.schema] = (sizes[r.schema] or 0) + r.stats.total_size
    return dict(rows), dict(sizes)


def home_rows(families: Families) -> tuple[FamilyRow, ...]:
    return tuple(FamilyRow(link=Link(f.name, relative_html(HOME_PAGE, family_page(f.name))), members=f.size,
                           near=len(f.near), representative=f.representative) for f in families.families)


def family_note(families: Families, schema: str, page: str) -> tuple[Link, int] | None:
    """On the representative's schema page: its family (linked) and how many schemas it stands for."""
    family = families.of_schema.get(schema)
    if family is None or family.representative != schema:
        return None
    return Link(family.name, relative_html(page, family_page(family.name))), family.size
