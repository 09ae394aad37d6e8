"""A catalog as Markdown files for a repository: one file per table and view, one per
schema, and an index (`README.md`), as tbls writes them.

In: a `Catalog`. Out: path → Markdown. Each table's file is its page of the site as clean
Markdown (`render.clean`, the site's own `.md` copies' writer, from the same page context),
at the same path as on the site (`schemas/<schema>/<table>.md`); links to pages this export
does not write (functions, types, health rules) keep their text and lose their target.
"""

from __future__ import annotations

import dataclasses
import posixpath
from typing import Any

from schemadocs.export.tables import relations
from schemadocs.lineage.graphs import build_graphs
from schemadocs.model import Catalog
from schemadocs.render.clean import render_clean
from schemadocs.render.contexts import Link
from schemadocs.render.escape import markdown_text
from schemadocs.render.relation_context import relation_page_context
from schemadocs.render.schema_context import schema_page_context
from schemadocs.render.slugs import relation_page

INDEX = "README.md"


def to_markdown(catalog: Catalog) -> dict[str, str]:
    """Every file of the export, by relative path."""
    graphs = build_graphs(catalog)
    pages: dict[str, Any] = {}
    for schema in catalog.schemas:
        page, _ = schema_page_context(catalog, graphs.er, schema.name)
        pages[page.path] = dataclasses.replace(page, areas=())  # subject areas are site pages
    for rel in relations(catalog):
        page = relation_page_context(catalog, graphs.lineage, rel)
        pages[page.path] = page
    kept = set(pages) | {INDEX}
    files = {path: render_clean("schema.md.j2" if path.endswith("/index.md") else "relation.md.j2",
                                _only_to(page, path, kept)) for path, page in pages.items()}
    files[INDEX] = _index(catalog, [p for p in pages if p.endswith("/index.md")])
    return files


def _index(catalog: Catalog, schema_pages: list[str]) -> str:
    lines = [f"# {markdown_text(catalog.database)}", "",
             f"PostgreSQL {markdown_text(catalog.server_version)}, exported by schemadocs.", "",
             "| Schema | Relations | Comment |", "| --- | --- | --- |"]
    for schema, path in zip(catalog.schemas, schema_pages):
        count = sum(1 for r in relations(catalog) if r.schema == schema.name)
        comment = markdown_text(schema.comment or "")
        lines.append(f"| [{markdown_text(schema.name)}](<{path}>) | {count} | {comment} |")
    lines += ["", "| Relation | Kind | Comment |", "| --- | --- | --- |"]
    for rel in relations(catalog):
        lines.append(f"| [{markdown_text(str(rel.qname))}](<{relation_page(rel.qname)}>) | {rel.kind.label} | "
                     f"{markdown_text((rel.comment or '').strip().splitlines()[0] if rel.comment else '')} |")
    return "\n".join(lines) + "\n"


def _only_to(value: Any, page: str, kept: set[str]) -> Any:
    """`value` with every Link to a file outside `kept` made plain text (links are relative to `page`)."""
    if isinstance(value, Link):
        if value.href is None:
            return value
        target = value.href.partition("#")[0]
        target = target[: -len(".html")] + ".md" if target.endswith(".html") else target
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page), target)) if target else page
        return value if resolved in kept else Link(value.text, None)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _only_to(getattr(value, f.name), page, kept) for f in dataclasses.fields(value)}
        return dataclasses.replace(value, **changes)
    if isinstance(value, tuple):
        return tuple(_only_to(v, page, kept) for v in value)
    return value
