"""A MkDocs plugin for the columns tables that leave a relation page's Markdown whole.

In: each page's HTML as Python-Markdown renders it, holding a columns placeholder where the
page's columns table was (`render.fragments.lift_tables`), and the fragment cache. Out: MkDocs
and its search plugin seeing what they saw when the page held the table's search proxy, without
Python-Markdown, MkDocs' raw-HTML pass and the search plugin parsing it (the proxy was most of a
relation page's HTML, and each of the three parsed it with HTMLParser):

- `on_page_content`: the table's anchors (its rows' `id`s) join the page's anchors, against
  which MkDocs checks links (`anchor_ids`: what MkDocs' raw-HTML pass collects of a tag).
- `on_page_context`, before the search plugin: the section the table sits in is indexed, then
  replaced by one entry per column (`schemadocs.search_columns`), when its heading's id is
  `columns` and the table has rows; a section the template marks search-excluded (a partition's)
  is not indexed at all. Either way what the search plugin reads of the table is dropped, and
  the placeholder stays. Otherwise (a heading whose id is not `columns`, a table without column
  rows) the placeholder becomes the table's search proxy, as before; `inline_diagrams` puts
  the table back in both.
`schemadocs.mkdocs_plugins` adds the plugin; it is not named in mkdocs.yml.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any, Callable

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority

from schemadocs.render.fragments import COLUMNS_PLACEHOLDER, search_proxy
from schemadocs.search_columns import ROW

NAME = "schemadocs/lifted-columns"
DROPPED_ID = "columns"  # the section `search_columns.with_columns` replaces by its column entries
_START_TAG = re.compile(r"<([a-zA-Z][^\s/>]*)(?=[^>]*\s(?:id|name)\s*=)(\s[^>]*)>", re.I)  # one with an anchor
# one attribute after another, each with its value (so a value's text is never read as an attribute)
_ATTRIBUTE = re.compile(r"""[\s/]*([^\s/>][^\s/=>]*)(?:\s*=+\s*(?:"([^"]*)"|'([^']*)'|(?!['"])([^>\s]*)))?""")
_HEADING_BEFORE = re.compile(r"<h([1-6])(\s[^>]*)>(?:(?!</h[1-6]>).)*</h\1>\n\Z", re.S)


class LiftedColumns(BasePlugin):  # type: ignore[type-arg]
    def __init__(self, cache_dir: Path) -> None:
        super().__init__()
        self.folder = cache_dir / "fragments"

    def on_page_content(self, output: str, /, *, page: Any, config: Any, files: Any) -> str:
        for match in COLUMNS_PLACEHOLDER.finditer(output):
            page.present_anchor_ids = (page.present_anchor_ids or set()) | anchor_ids(self.read(match.group(1), page))
        return output

    @event_priority(50)  # before the search plugin indexes the page
    def on_page_context(self, context: Any, /, *, page: Any, config: Any, nav: Any) -> Any:
        if "<!-- schemadocs-columns " in (page.content or ""):
            page.content = for_search(page.content, lambda key: self.read(key, page), page.url)
        return context

    def read(self, key: str, page: Any) -> str:
        try:
            return (self.folder / f"{key}.html").read_text(encoding="utf-8")
        except OSError:
            raise PluginError(f"fragment {key}.html of {page.file.src_uri} is not in {self.folder}; "
                              "build again to make it") from None


def for_search(content: str, read: Callable[[str], str], url: str) -> str:
    """`content` with each columns placeholder whose section the search index keeps replaced by
    the table's search proxy (the others stay: nothing of them reaches the index)."""
    def one(match: re.Match[str]) -> str:
        table = read(match.group(1))
        heading = _HEADING_BEFORE.search(content, 0, match.start())
        if heading is not None:
            attrs = heading.group(2)
            if re.search(r"\sdata-search-exclude(?=[\s=>]|$)", attrs):
                return match.group(0)  # an excluded section: the search plugin skips it whole
            if f' id="{DROPPED_ID}"' in attrs and ROW.search(table, 0, table.find("</table>")):
                return match.group(0)  # replaced by the column entries (a row found here is found in the built page)
        proxy = search_proxy(table)
        if proxy is None:  # lift_tables made a placeholder only of a table with a proxy
            raise PluginError(f"the columns table {match.group(1)} of {url} has no search proxy")
        return f'<table data-sd-proxy="{match.group(1)}"{proxy[6:]}'
    return COLUMNS_PLACEHOLDER.sub(one, content)


def anchor_ids(table: str) -> set[str]:
    """The anchors MkDocs' raw-HTML pass collects of `table`: every tag's `id`, an `<a>`'s `name`."""
    found: set[str] = set()
    for tag in _START_TAG.finditer(table):
        for attribute in _ATTRIBUTE.finditer(tag.group(2)):
            name = attribute.group(1).lower()
            value = next((v for v in attribute.groups()[1:] if v is not None), None)
            if value is not None and (name == "id" or (name == "name" and tag.group(1).lower() == "a")):
                found.add(html.unescape(value))
    return found
