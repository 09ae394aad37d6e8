"""A MkDocs plugin that gives every column of a table or view page its own search entry.

In: each built page's HTML (the rows of its `table[data-sd=columns]`, each `<tr id="col-...">`)
and, after the build, the search plugin's `search/search_index.json`. Out: the same index where
a relation page's `#columns` section is replaced by one entry per column: location
`page.html#col-<name>`, title the column name, text its comment (HTML-escaped, as the
search plugin's own entries). A search hit on a column then
lands on the column's own row, and a partition's columns (excluded from its section, as they
are its parent's) are found too.
`schemadocs.build.run_mkdocs` adds the plugin itself, after the search plugin, so its
`on_post_build` runs once the index is written; an incremental build's index keeps the entries
of the pages it did not render (`incremental.merge_search_index`).
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

from mkdocs.plugins import BasePlugin

NAME = "schemadocs/search-columns"
SEARCH_INDEX = "search/search_index.json"
ROW = re.compile(r'<tr id="(col-[^"]+)"><td><a class="sd-anchor" href="#[^"]*">(.*?)</a>(.*?)</tr>', re.S)
TAG = re.compile(r"<[^>]+>")


class SearchColumns(BasePlugin):  # type: ignore[type-arg]
    def __init__(self) -> None:
        super().__init__()
        self.columns: dict[str, list[dict[str, str]]] = {}  # page URL → its columns' entries

    def on_post_page(self, output: str, /, *, page: Any, config: Any) -> str:
        entries = column_entries(output, page.url)
        if entries:
            self.columns[page.url] = entries
        return output

    def on_post_build(self, *, config: Any) -> None:
        path = Path(config["site_dir"]) / SEARCH_INDEX
        if self.columns and path.is_file():
            index = json.loads(path.read_text(encoding="utf-8"))
            path.write_text(json.dumps(with_columns(index, self.columns), separators=(",", ":")), encoding="utf-8")


def column_entries(page_html: str, url: str) -> list[dict[str, str]]:
    """One search entry per row of the page's columns table: the column's name and comment."""
    table = page_html.find('data-sd="columns"')
    if table < 0:
        return []
    end = page_html.find("</table>", table)
    entries = []
    for anchor, name, rest in ROW.findall(page_html[table:end]):
        cells = rest.split("</td>")
        comment = cells[2] if len(cells) > 2 else ""  # name | type | comment | nullable | default
        entries.append({"location": f"{url}#{anchor}", "title": _text(name, ""), "text": _text(comment)})
    return entries


def with_columns(index: dict[str, Any], columns: dict[str, list[dict[str, str]]]) -> dict[str, Any]:
    """The index with each page's `#columns` entry replaced by its column entries (placed right
    after the page's own entry, so the index keeps page order)."""
    docs: list[dict[str, Any]] = []
    for doc in index["docs"]:
        location = str(doc["location"])
        page, _, section = location.partition("#")
        if section == "columns" and page in columns:
            continue
        docs.append(doc)
        if not section and page in columns:
            docs.extend(columns[page])
    return {**index, "docs": docs}


def _text(fragment: str, tag: str = " ") -> str:
    """The text of an HTML fragment, its tags replaced by `tag` (none inside a name: `<wbr>`),
    HTML-escaped as the search plugin escapes its own entries (Material shows them as HTML)."""
    return html.escape(" ".join(html.unescape(TAG.sub(tag, fragment)).split()), quote=False)
