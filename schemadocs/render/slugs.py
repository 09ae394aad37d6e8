"""Stable, unique, safe file names for any PostgreSQL identifier.

In: schema and relation names (anything PostgreSQL allows: quotes, slashes, dots, `..`,
unicode, names that differ only in case, reserved file names). Out: page paths inside the
docs dir and anchors inside a page. A name that is already a safe lowercase slug is used
as is; any other gets a readable ASCII stem plus a hash of the exact name, so two
different names never share a path, even on a case-insensitive file system.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
import unicodedata
from functools import lru_cache

from schemadocs.model import QualifiedName

HOME_PAGE = "index.md"
COLUMN_INDEX_PAGE = "columns.md"
LINEAGE_PAGE = "lineage.md"
HEALTH_PAGE = "health.md"
UNDOCUMENTED_PAGE = "undocumented.md"
_SAFE = re.compile(r"[a-z0-9_]{1,60}")
# Names a page may not take: the section index, Windows device names, our own pages.
_RESERVED = {"index", "columns", "lineage", "con", "prn", "aux", "nul", "assets", "search", "sitemap", "404"} | {
    f"{d}{i}" for d in ("com", "lpt") for i in range(10)
}


@lru_cache(maxsize=1 << 16)
def slug(name: str) -> str:
    """The file-name-safe slug of one identifier."""
    if _SAFE.fullmatch(name) and name not in _RESERVED:
        return name
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    stem = re.sub(r"[^a-z0-9_]+", "-", ascii_name).strip("-")[:40] or "x"
    digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
    return f"{stem}-{digest}"


def schema_page(schema: str) -> str:
    return f"schemas/{slug(schema)}/index.md"


def relation_page(qname: QualifiedName) -> str:
    return f"schemas/{slug(qname.schema)}/{slug(qname.name)}.md"


def routine_page(schema: str, name: str) -> str:
    """One page per function or procedure name: overloads share it, each under its own anchor."""
    return f"schemas/{slug(schema)}/functions/{slug(name)}.md"


def routine_anchor(name: str, arguments: str) -> str:
    return f"fn-{slug(f'{name}({arguments})')}"


def type_page(qname: QualifiedName) -> str:
    """The page of an enum, domain or composite type (they share PostgreSQL's type namespace)."""
    return f"schemas/{slug(qname.schema)}/types/{slug(qname.name)}.md"


def area_page(schema: str, hub: str | None, pack: int) -> str:
    """The page of a subject area of a large schema: named after its hub table, or numbered
    for a pack of small clusters ("small-1" is never a table's slug: those have no hyphen
    unless hashed)."""
    return f"schemas/{slug(schema)}/areas/{slug(hub) if hub is not None else f'small-{pack}'}.md"


def column_index_part(key: str) -> str:
    """The page of one part ("a".."z" or "other") of a column index split by initial letter."""
    return f"columns/{key}.md"


def health_rule_page(rule_id: str) -> str:
    """The page of one health rule's findings: rule ids are our own, kebab-case, safe as they are."""
    return f"health/{rule_id}.md"


def label_page(label: str) -> str:
    """The page listing what the project file gives one label."""
    return f"labels/{slug(label)}.md"


def owner_page(owner: str) -> str:
    """The page listing what one owner (from the project file) owns."""
    return f"owners/{slug(owner)}.md"


def viewpoint_page(name: str) -> str:
    """The page of one viewpoint of the project file."""
    return f"viewpoints/{slug(name)}.md"


def column_anchor(column: str) -> str:
    return f"col-{slug(column)}"


def relative(from_page: str, to_page: str) -> str:
    """The link from one page (docs-dir path) to another, as Markdown wants it (.md)."""
    to_dir, name = posixpath.split(to_page)
    up = _relative_dir(to_dir or ".", posixpath.dirname(from_page) or ".")
    return name if up == "." else f"{up}/{name}"


@lru_cache(maxsize=1 << 14)
def _relative_dir(to_dir: str, from_dir: str) -> str:
    # A site has few folders and hundreds of thousands of links between them: relpath once per pair.
    return posixpath.relpath(to_dir, from_dir)


def relative_html(from_page: str, to_page: str) -> str:
    """The same link as the built site serves it (use_directory_urls: false): for raw HTML/SVG."""
    return relative(from_page, to_page)[: -len(".md")] + ".html"
