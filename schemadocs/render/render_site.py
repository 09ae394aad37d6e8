"""Render every generated page of the site, in memory.

In: a `Catalog` and the diagram cache directory. Out: `Site`, the generated Markdown pages
(docs-dir path → text) and the MkDocs navigation for them. Nothing is written here, so a
failure can never leave a half-rendered docs dir behind.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lineage.er_graph import er_graph
from lineage.layers import layers
from lineage.lineage_graph import lineage_graph
from schemadocs.model import Catalog
from schemadocs.render.contexts import home_page, overview_page, relation_page_context, schema_page_context
from schemadocs.render.diagrams import Diagram, er_diagram, lineage_diagram, overview_diagram, render_diagrams
from schemadocs.render.slugs import HOME_PAGE, LINEAGE_PAGE, schema_page
from schemadocs.render.templates import render, stylesheet

NavEntry = dict[str, Any]
STYLESHEET = "assets/schemadocs.css"


@dataclass(frozen=True)
class Site:
    pages: dict[str, str]
    nav: list[NavEntry]


def render_site(catalog: Catalog, diagram_cache: Path) -> Site:
    """Build every page context, draw the diagrams, and render the templates."""
    er, lineage = er_graph(catalog), lineage_graph(catalog)
    relations = [relation_page_context(catalog, lineage, rel) for rel in catalog.relations]
    found = layers(lineage)
    overview = overview_page(found)
    wanted: list[tuple[int | None, str, Diagram]] = []  # (relation index or None for the overview, field, diagram)
    for i, (rel, page) in enumerate(zip(catalog.relations, relations)):
        if rel.qname in er:
            wanted.append((i, "diagram", er_diagram(catalog, er, rel.qname, page.path)))
        if rel.qname in lineage and any(k == "reads" for *_, k in
                                        [*lineage.in_edges(rel.qname, data="kind"), *lineage.out_edges(rel.qname, data="kind")]):
            wanted.append((i, "lineage_diagram", lineage_diagram(catalog, lineage, rel.qname, page.path)))
    if overview.drawn:
        wanted.append((None, "diagram", overview_diagram(catalog, found.layers, found.edges, overview.path)))
    for (i, name, _), html in zip(wanted, render_diagrams([d for *_, d in wanted], diagram_cache)):
        if i is None:
            overview = dataclasses.replace(overview, diagram=html)
        else:
            relations[i] = dataclasses.replace(relations[i], **{name: html})

    pages = {HOME_PAGE: render("home.md.j2", home_page(catalog)), STYLESHEET: stylesheet(),
             LINEAGE_PAGE: render("lineage.md.j2", overview)}
    for schema in catalog.schemas:
        context = schema_page_context(catalog, schema.name)
        pages[context.path] = render("schema.md.j2", context)
    for context in relations:
        pages[context.path] = render("relation.md.j2", context)
    nav: list[NavEntry] = [{"Home": HOME_PAGE}, {"Lineage": LINEAGE_PAGE}, {"Schemas": [{s.name: schema_page(s.name)} for s in catalog.schemas]}]
    return Site(pages=pages, nav=nav)
