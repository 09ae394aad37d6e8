"""A columns table out of the Markdown (schemadocs/lifted_columns.py): MkDocs gets its anchors,
and the search plugin its proxy wherever the index would keep what it reads of it."""

from __future__ import annotations

from pathlib import Path

import markdown
from material.plugins.search.plugin import Parser
from mkdocs.structure.pages import _HTMLHandler

from schemadocs.lifted_columns import anchor_ids, for_search
from schemadocs.render.fragments import COLUMNS_PLACEHOLDER, PROXY, lift_tables, put_back, search_proxy

TABLE = ('<table data-sd="columns">\n<thead data-search-exclude><tr><th>Name</th><th>Type</th></tr></thead>\n<tbody>\n'
         '<tr id="col-id"><td><a class="sd-anchor" href="#col-id">id</a></td><td data-search-exclude><code>int</code>'
         '</td></tr>\n<tr id="col-a&amp;b"><td><a class="sd-anchor" href="#col-a&amp;b">a&amp;b</a> '
         '<a name="n1"></a></td>'
         '<td data-search-exclude><a href="x.html">t</a></td></tr>\n</tbody>\n</table>')


def rendered(page: str, cache: Path) -> tuple[str, str]:
    """The page's Markdown lifted, as MkDocs' Python-Markdown renders it, and the stored table's key."""
    lifted = lift_tables(page, cache)
    (key,) = COLUMNS_PLACEHOLDER.findall(lifted)
    html = markdown.markdown(lifted, extensions=["toc", "tables", "attr_list"], extension_configs={
        "toc": {"permalink": True}})
    return html, key


def read_from(cache: Path):  # noqa: ANN201
    return lambda key: (cache / f"{key}.html").read_text(encoding="utf-8")


def sections(html: str) -> list[tuple[str, str, object]]:
    parser = Parser()
    parser.feed(html)
    parser.close()
    return [("".join(s.title), "".join(s.text), s.id) for s in parser.data if not s.is_excluded()]


def test_a_columns_section_the_index_replaces_keeps_its_placeholder(tmp_path: Path) -> None:
    html, key = rendered(f"# t\n\n## Columns\n\n{TABLE}\n\n## Next\n\nafter\n", tmp_path)
    assert '<h2 id="columns">' in html
    # nothing of the table for the search plugin to parse
    assert for_search(html, read_from(tmp_path), "t.html") == html
    assert put_back(html, read_from(tmp_path)).count(TABLE) == 1


def test_an_excluded_columns_section_keeps_its_placeholder(tmp_path: Path) -> None:
    html, _ = rendered(f"# columns\n\n## Columns {{ data-search-exclude }}\n\n{TABLE}\n", tmp_path)
    assert 'id="columns_1"' in html  # not the section search_columns replaces, but excluded whole
    assert for_search(html, read_from(tmp_path), "t.html") == html


def test_a_section_the_index_keeps_gets_the_proxy_it_had(tmp_path: Path) -> None:
    # the page title's anchor is `columns`, so the columns heading's is `columns_1`: the index keeps it
    html, key = rendered(f"# col.umns\n\n## Columns\n\n{TABLE}\n", tmp_path)
    searched = for_search(html, read_from(tmp_path), "t.html")
    proxy = f'<table data-sd-proxy="{key}"{search_proxy(TABLE)[6:]}'  # type: ignore[index]
    assert searched == html.replace(f"<!-- schemadocs-columns {key} -->", proxy)
    assert PROXY.search(searched) and put_back(searched, read_from(tmp_path)).count(TABLE) == 1
    whole = markdown.markdown(f"# col.umns\n\n## Columns\n\n{TABLE}\n", extensions=["toc", "tables", "attr_list"],
                              extension_configs={"toc": {"permalink": True}})
    assert ("Columns", " id a&amp;b ", "columns_1") in sections(searched) and sections(searched) == sections(whole)


def test_a_table_without_column_rows_gets_its_proxy(tmp_path: Path) -> None:
    rowless = TABLE.replace('<tr id="col-', '<tr id="c-')  # no entry search_columns would make
    html, key = rendered(f"# t\n\n## Columns\n\n{rowless}\n", tmp_path)
    assert f'<table data-sd-proxy="{key}"' in for_search(html, read_from(tmp_path), "t.html")


def test_the_anchors_are_those_mkdocs_collects() -> None:
    hostile = TABLE.replace("a&amp;b", "&lt;/tr&gt;&quot; id=&quot;x") + "<A NAME='up'>u</A><p id=\"p\" name=\"q\"><td id=bare>"
    for table in (TABLE, hostile):
        handler = _HTMLHandler()
        handler.feed(table)
        handler.close()
        assert anchor_ids(table) == handler.present_anchor_ids
    assert anchor_ids(TABLE) == {"col-id", "col-a&b", "n1"}
