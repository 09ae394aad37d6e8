"""`schemadocs lineage` in a database with schema families.

In: the whole `Catalog`, its `Families` and the name the user typed. Out: the catalog to trace
the name in, and notes for the user. A name in a shared schema (`public.plans`), or a bare
relation name (`customers`, which would otherwise be ambiguous among the tenants), is traced in the
family structure: the catalog with one representative per family (`collapse`), so a view that
every tenant holds appears once, in its representative, instead of once per tenant. A name in
a family member (`tenant_0042.orders`) is traced exactly as it is, in the whole catalog. The notes
say which family each representative stands for. Without families: the catalog, no notes.
`lineage --all` lists the views of `all_views_catalog`: each family's once, in its representative.
"""

from __future__ import annotations

import dataclasses

from schemadocs.families.collapse import collapse
from schemadocs.families.detect import Families
from schemadocs.lineage.trace import split_identifier
from schemadocs.model import Catalog


def lineage_catalog(catalog: Catalog, families: Families, name: str) -> tuple[Catalog, list[str]]:
    """The catalog to trace `name` in, and the notes to show beside the tree."""
    if not families:
        return catalog, []
    parts = split_identifier(name) if name else []
    if len(parts) >= 2 and parts[0] in families.of_schema:
        family = families.of_schema[parts[0]]
        if parts[0] in families.hidden:
            return catalog, [f"{parts[0]} is in family {family.name} ({family.size} schemas, documented as "
                             f"{family.representative}); traced in {parts[0]} itself"]
    notes = [f"{f.representative} stands for the {f.size} schemas of family {f.name}: their lineage is the same"
             + (f" (near-members, which differ: {', '.join(n.schema for n in f.near)})" if f.near else "")
             for f in families.families]
    return collapse(catalog, families), notes


def all_views_catalog(catalog: Catalog, families: Families) -> tuple[Catalog, list[str]]:
    """The catalog `lineage --all` lists the views of: each family's views once, in its
    representative (the other members' views are the same, names aside), and each near-member's
    own, as they may differ; with notes saying which family each representative stands for."""
    if not families:
        return catalog, []
    identical = Families(tuple(dataclasses.replace(f, near=()) for f in families.families))
    notes = [f"{f.representative} stands for the {f.size} schemas of family {f.name}: their views are listed once, "
             "under it" + (f"; near-members listed on their own: {', '.join(n.schema for n in f.near)}" if f.near else "")
             for f in families.families]
    return collapse(catalog, identical), notes
