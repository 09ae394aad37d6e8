"""The direct column lineage of every view, as one JSON-ready mapping.

In: a `Catalog`. Out: `{"schema.view": {"column": ["schema.relation.column", ...]}}`, names
quoted as PostgreSQL's quote_ident() would, sources sorted. Direct: a view over a view
lists the inner view's columns. Filter-only columns are not listed.
"""

from __future__ import annotations

from schemadocs.model import Catalog, quote_ident


def direct_lineage(catalog: Catalog) -> dict[str, dict[str, list[str]]]:
    """Every view's and materialized view's output columns → their direct value sources."""
    return {
        str(view.qname): {quote_ident(c.column): sorted(str(s) for s in c.sources) for c in view.column_lineage}
        for view in catalog.relations
        if view.kind.is_view
    }
