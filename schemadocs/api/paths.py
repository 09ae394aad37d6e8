"""Where each object lives in the built site: its JSON file under `api/` and its HTML page.

In: an object's kind and `QualifiedName`. Out: site-root-relative paths, both derived from
the site's own slug scheme (`render/slugs.py`), so the JSON twin of a page and its links
never disagree with the page and hostile names get the same safe, unique file names.
"""

from __future__ import annotations

from enum import StrEnum

from schemadocs.model import QualifiedName
from schemadocs.render.slugs import relation_page, routine_anchor, routine_page, slug, type_page

API_DIR = "api"
INDEX = f"{API_DIR}/index.json"


class ObjectKind(StrEnum):
    RELATION = "relation"
    ROUTINE = "routine"  # one name: its overloads share the page and the JSON file
    TYPE = "type"  # enum, domain or composite type


def object_links(kind: ObjectKind, qname: QualifiedName, anchor: str | None = None) -> dict[str, str]:
    """`{"api": JSON file, "html": page}`, relative to the site root."""
    page = {ObjectKind.RELATION: relation_page, ObjectKind.ROUTINE: lambda q: routine_page(q.schema, q.name),
            ObjectKind.TYPE: type_page}[kind](qname)
    html = page.removesuffix(".md") + ".html" + (f"#{anchor}" if anchor else "")
    return {"api": api_path(kind, qname), "html": html}


def api_path(kind: ObjectKind, qname: QualifiedName) -> str:
    """`api/relations/<schema>/<name>.json` (routines, types alike), names slugged as pages are."""
    return f"{API_DIR}/{kind.value}s/{slug(qname.schema)}/{slug(qname.name)}.json"


def health_rule_path(rule_id: str) -> str:
    """`api/health/<rule>.json`: every finding of one health rule (rule ids are kebab-case already)."""
    return f"{API_DIR}/health/{rule_id}.json"


def routine_overload_links(schema: str, name: str, arguments: str) -> dict[str, str]:
    """One overload: the routine name's JSON file, and its section of the name's page."""
    return object_links(ObjectKind.ROUTINE, QualifiedName(schema, name), routine_anchor(name, arguments))
