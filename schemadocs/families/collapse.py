"""The catalog the pages, the API and the health checks see: one representative per family.

In: a `Catalog` and its `Families`. Out: the same catalog without the schemas `Families.hidden`
names (every family member but its representative, every near-member) and their objects. A
catalog without families comes back as the very same object, so its site is built byte for byte
as before. Foreign keys from a kept schema into a hidden one are kept (the catalog is then
marked `selected`, as a part chosen by --include is: its keys may point outside it).
"""

from __future__ import annotations

import dataclasses

from schemadocs.families.detect import Families
from schemadocs.model import Catalog


def collapse(catalog: Catalog, families: Families) -> Catalog:
    """`catalog` with each family documented once, through its representative."""
    hidden = families.hidden
    if not hidden:
        return catalog
    relations = tuple(r for r in catalog.relations if r.schema not in hidden)
    dangling = any(fk.ref_schema in hidden for r in relations for fk in r.foreign_keys) or \
        any(read.schema in hidden for r in relations for read in r.reads)
    return dataclasses.replace(
        catalog,
        schemas=tuple(s for s in catalog.schemas if s.name not in hidden),
        relations=relations,
        routines=tuple(x for x in catalog.routines if x.schema not in hidden),
        enums=tuple(x for x in catalog.enums if x.schema not in hidden),
        domains=tuple(x for x in catalog.domains if x.schema not in hidden),
        composite_types=tuple(x for x in catalog.composite_types if x.schema not in hidden),
        sequences=tuple(x for x in catalog.sequences if x.schema not in hidden),
        skipped_sizes=tuple(q for q in catalog.skipped_sizes if q.schema not in hidden),
        selected=catalog.selected or dangling,
    )
