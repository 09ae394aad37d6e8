"""Tables leave a page's Markdown as fragments (whole, or with a search proxy), and come back whole.

The proxy stands in for a searchable table while MkDocs works: the search plugin must index it
exactly as it indexed the table, and MkDocs' anchor collection must find the same anchors. Both
are checked with their own parsers on every table of the demo's pages and on hostile text. A
relation page's columns table leaves whole (`schemadocs.lifted_columns` gives MkDocs its anchors
and, where its section stays in the index, the search plugin its proxy): the index, once the
columns section gives way to the column entries, and the anchors are the same.
"""

from __future__ import annotations

import re
from pathlib import Path

import markdown
import pytest
from markupsafe import escape
from material.plugins.search.plugin import Parser
from mkdocs.structure.pages import _HTMLHandler

from schemadocs.lifted_columns import anchor_ids, for_search
from schemadocs.model import Catalog
from schemadocs.render.escape import markdown_block
from schemadocs.render.fragments import (COLUMNS_PLACEHOLDER, FRAGMENT_PLACEHOLDER, PROXY, TEMPLATE_BLOCK, lift_tables,
                                         put_back, search_proxy)
from schemadocs.render.render_site import render_site
from schemadocs.search_columns import ROW

EXCLUDED = ('<table data-sd="findings" data-search-exclude data-sd-sortable>\n'
            "<thead><tr><th>Level</th></tr></thead>\n<tbody>\n<tr><td>warning</td></tr>\n</tbody>\n</table>")
SEARCHED = '<table data-sd="columns">\n<tbody>\n<tr><td>id</td></tr>\n</tbody>\n</table>'
MARKED = ('<table data-sd="keys">\n<thead data-search-exclude><tr><th>Name</th><th>Type</th></tr></thead>\n<tbody>\n'
          '<tr id="col-id"><td><a class="sd-anchor" href="#col-id">id</a> <span data-search-exclude class="b">PK</span>'
          '</td><td data-search-exclude><code>bigint</code><br></td><td>a <em>comment</em></td></tr>\n</tbody>\n</table>')


def expand(text: str, cache: Path) -> str:
    return put_back(text, lambda key: (cache / f"{key}.html").read_text(encoding="utf-8"))


def indexed(html: str) -> list[tuple[str, str, object]]:
    """What Material's search plugin indexes of `html`: each section's title, text and anchor."""
    parser = Parser()
    parser.feed(html)
    parser.close()
    return [("".join(s.title), "".join(s.text), s.id) for s in parser.data if not s.is_excluded()]


def anchors(html: str) -> set[str]:
    """The anchors MkDocs' raw-HTML pass collects from `html` (for its link validation)."""
    handler = _HTMLHandler()
    handler.feed(html)
    handler.close()
    return handler.present_anchor_ids


def test_an_excluded_table_becomes_a_placeholder_and_expands_back(tmp_path: Path) -> None:
    page = f"# t\n\n## Health\n\n{EXCLUDED}\n\n## Columns\n{SEARCHED}\n"
    lifted = lift_tables(page, tmp_path)
    assert "data-sd=\"findings\"" not in lifted and len(FRAGMENT_PLACEHOLDER.findall(lifted)) == 1
    assert SEARCHED in lifted  # nothing in it is marked: it stays in the Markdown as it is
    assert expand(lifted, tmp_path) == page
    assert lift_tables(page, tmp_path) == lifted  # one file per content, the same name again
    assert len(list(tmp_path.iterdir())) == 1


def test_a_searchable_table_leaves_its_proxy_and_comes_back_whole(tmp_path: Path) -> None:
    page = f"# t\n\n## Columns\n{MARKED}\n\nafter\n"
    lifted = lift_tables(page, tmp_path)
    (proxy,) = PROXY.finditer(lifted)
    assert "bigint" not in proxy.group(0) and "PK" not in proxy.group(0) and "Name" not in proxy.group(0)
    assert 'id="col-id"' in proxy.group(0) and "comment" in proxy.group(0)
    assert expand(lifted, tmp_path) == page
    assert indexed(lifted) == indexed(page) and anchors(lifted) == anchors(page) == {"col-id"}


@pytest.mark.parametrize("table", [
    # a marked element holding an anchor: MkDocs would lose it
    '<table data-sd="x">\n<tr><td data-search-exclude><a id="keep">k</a></td></tr>\n</table>',
    '<table data-sd="x">\n<tr><td data-search-exclude id="keep">k</td></tr>\n</table>',
    # nothing marked: nothing to gain
    SEARCHED,
    # not plain tags and text
    '<table data-sd="x">\n<tr><td data-search-exclude><!-- c --></td></tr>\n</table>',
    # a marked element left open
    '<table data-sd="x">\n<tr><td data-search-exclude>k</tr>\n</table>',
])
def test_tables_a_proxy_could_misrepresent_stay_whole(table: str, tmp_path: Path) -> None:
    assert search_proxy(table) is None
    assert lift_tables(f"{table}\n", tmp_path) == f"{table}\n"


def test_hostile_text_cannot_start_or_end_a_lifted_table(tmp_path: Path) -> None:
    payload = '</table>\n<table data-search-exclude>\n<script>alert(1)</script>\n</table>'
    shown = f"<p>{escape(payload)}</p>\n\n{markdown_block(payload)}"  # as HTML text, and as a comment
    page = f"{shown}\n\n{EXCLUDED}\n"
    lifted = lift_tables(page, tmp_path)
    assert lifted.startswith(shown + "\n\n<!-- schemadocs-html ")  # escaped text never matches a table's line
    assert expand(lifted, tmp_path) == page


def test_hostile_cell_text_is_indexed_the_same_through_the_proxy(tmp_path: Path) -> None:
    payloads = ['</td></tr></table><script>alert(1)</script>', '"><img src=x onerror=alert(1)>',
                '<span data-search-exclude>x</span>', "a  \n  b &amp; <wbr>"]
    rows = "".join(f'<tr id="col-{i}"><td>{escape(p)}</td><td data-search-exclude>{escape(p)}</td>'
                   f'<td>{escape(p)} <span data-search-exclude>{escape(p)}</span> {escape(p)}</td></tr>\n'
                   for i, p in enumerate(payloads))
    page = f'## Keys\n<table data-sd="keys">\n<tbody>\n{rows}</tbody>\n</table>\n'
    lifted = lift_tables(page, tmp_path)
    assert PROXY.search(lifted) and expand(lifted, tmp_path) == page
    assert indexed(lifted) == indexed(page) and anchors(lifted) == anchors(page)
    columns = page.replace('data-sd="keys"', 'data-sd="columns"')
    lifted = lift_tables(columns, tmp_path)
    (key,) = COLUMNS_PLACEHOLDER.findall(lifted)
    assert expand(lifted, tmp_path) == columns and anchors(lifted) == set()
    assert anchor_ids((tmp_path / f"{key}.html").read_text(encoding="utf-8")) == anchors(columns) == {
        f"col-{i}" for i in range(len(payloads))}


def test_a_nested_table_is_left_inline(tmp_path: Path) -> None:
    nested = ('<table data-sd="outer" data-search-exclude>\n<tr><td>\n<table data-sd="inner">\n<tr><td>x</td></tr>\n'
              "</table>\n</td></tr>\n</table>")
    assert lift_tables(nested + "\n", tmp_path) == nested + "\n"
    assert not tmp_path.exists() or not any(tmp_path.iterdir())


@pytest.fixture(scope="module")
def demo_pages(demo_catalog: Catalog, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The demo's pages as the templates write them (their lifted tables put back)."""
    cache = tmp_path_factory.mktemp("fragments")
    pages = render_site(demo_catalog, cache, draw=False).pages
    return {path: expand(text, cache / "fragments") for path, text in pages.items() if path.endswith(".md")}


def test_every_demo_table_is_indexed_and_anchored_the_same_through_its_proxy(demo_pages: dict[str, str],
                                                                              tmp_path: Path) -> None:
    proxied, columns, sections, placeholders, kept = 0, 0, 0, 0, 0
    for path, page in demo_pages.items():
        for match in TEMPLATE_BLOCK.finditer(page):
            block = match.group(0)[len(match.group("heading") or ""):]
            columns += block.startswith('<table data-sd="columns">')
            proxy = search_proxy(block) if match.group("tag") == "table" else None
            if proxy is None:
                continue
            proxied += block.startswith('<table data-sd="columns">')
            assert indexed(f"<h2 id=\"s\">S</h2>\n{proxy}") == indexed(f"<h2 id=\"s\">S</h2>\n{block}"), path
            assert anchors(proxy) == anchors(block), path
        lifted = lift_tables(page, tmp_path)
        assert expand(lifted, tmp_path) == page, path
        # What the search plugin indexes: the page as Python-Markdown renders it, lifted or whole,
        # a lifted columns table given its proxy where its section would stay (lifted_columns),
        # once the columns section gives way to the column entries (search_columns).
        read = lambda key: (tmp_path / f"{key}.html").read_text(encoding="utf-8")  # noqa: E731
        searched = for_search(as_html(lifted), read, path)
        kept += searched.count("<!-- schemadocs-columns ")
        assert given_way(indexed(searched), page) == given_way(indexed(as_html(page)), page), path
        # The anchors MkDocs sees are those it saw when only blocks marked as a whole were lifted.
        ids = set().union(*(anchor_ids(read(key)) for key in COLUMNS_PLACEHOLDER.findall(lifted)))
        assert anchors(lifted) | ids == anchors(TEMPLATE_BLOCK.sub(marked_lifted, page)), path
        sections += lifted.count("{ data-search-exclude }\n\n<!-- schemadocs-html")
        placeholders += len(COLUMNS_PLACEHOLDER.findall(lifted))
    assert columns >= 20 and proxied == columns  # every relation page's columns table, the bulk of its HTML
    assert placeholders == columns and kept == columns  # each leaves whole, and the search plugin needs no proxy
    assert sections >= 20  # the keys, indexes and relationships under an excluded heading leave whole


def given_way(sections: list[tuple[str, str, object]], page: str) -> list[tuple[str, str, object]]:
    """The sections the index keeps: the columns section gives way to the column entries on a
    page with column rows (`search_columns.with_columns`)."""
    return [s for s in sections if not (s[2] == "columns" and ROW.search(page))]


def as_html(page: str) -> str:
    """A page's Markdown (front matter left out) as MkDocs' Python-Markdown renders it for the site."""
    body = re.sub(r"\A---\n.*?\n---\n", "", page, flags=re.S)
    return markdown.markdown(body, extensions=["toc", "tables", "admonition", "attr_list"])


def marked_lifted(match: re.Match[str]) -> str:
    """A block whose own tag is marked search-excluded, as a placeholder; any other as it is."""
    marked = "data-search-exclude" in match.group("attrs")
    return (match.group("heading") or "") + "<!-- lifted -->" if marked else match.group(0)
