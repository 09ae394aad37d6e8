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
from schemadocs.model import Catalog
from schemadocs.render.contexts import home_page, relation_page_context, schema_page_context
from schemadocs.render.diagrams import er_diagram, render_diagrams
from schemadocs.render.slugs import HOME_PAGE, schema_page
from schemadocs.render.templates import render, stylesheet

NavEntry = dict[str, Any]
STYLESHEET = "assets/schemadocs.css"


@dataclass(frozen=True)
class Site:
    pages: dict[str, str]
    nav: list[NavEntry]


def render_site(catalog: Catalog, diagram_cache: Path) -> Site:
    """Build every page context, draw the diagrams, and render the templates."""
    er = er_graph(catalog)
    relations = [relation_page_context(catalog, er, rel) for rel in catalog.relations]
    diagrams = {
        i: er_diagram(catalog, er, rel.qname, page.path)
        for i, (rel, page) in enumerate(zip(catalog.relations, relations))
        if rel.qname in er
    }
    for i, svg in zip(diagrams, render_diagrams(list(diagrams.values()), diagram_cache)):
        relations[i] = dataclasses.replace(relations[i], diagram=svg)

    pages = {HOME_PAGE: render("home.md.j2", home_page(catalog)), STYLESHEET: stylesheet()}
    for schema in catalog.schemas:
        context = schema_page_context(catalog, schema.name)
        pages[context.path] = render("schema.md.j2", context)
    for context in relations:
        pages[context.path] = render("relation.md.j2", context)
    nav: list[NavEntry] = [{"Home": HOME_PAGE}, {"Schemas": [{s.name: schema_page(s.name)} for s in catalog.schemas]}]
    return Site(pages=pages, nav=nav)
