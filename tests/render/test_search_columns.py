"""The search index's column entries (schemadocs/search_columns.py), from a built page's HTML:
one per column at its own anchor, names and comments kept as escaped text."""

from __future__ import annotations

from schemadocs.search_columns import column_entries, with_columns

ROW = ('<tr id="col-{a}"><td><a class="sd-anchor" href="#col-{a}">{name}</a> <span>PK</span></td>'
       '<td data-search-exclude><code>int</code></td><td data-search-exclude>{comment}</td>'
       '<td data-search-exclude>no</td><td data-search-exclude></td></tr>')


def test_each_row_is_an_entry_at_its_anchor_with_escaped_text() -> None:
    page = ('<table data-sd="columns"><tbody>'
            + ROW.format(a="line_total", name="line_<wbr>total", comment="Price<br />times &lt;qty&gt;")
            + ROW.format(a="x", name="&lt;b&gt;unclosed", comment="")
            + '</tbody></table><table data-sd="indexes"><tr id="col-not-a-column"></tr></table>')
    assert column_entries(page, "schemas/app/t.html") == [
        {"location": "schemas/app/t.html#col-line_total", "title": "line_total", "text": "Price times &lt;qty&gt;"},
        {"location": "schemas/app/t.html#col-x", "title": "&lt;b&gt;unclosed", "text": ""},
    ]
    assert column_entries("<p>no columns table</p>", "index.html") == []


def test_the_columns_section_gives_way_to_the_column_entries() -> None:
    index = {"config": {}, "docs": [{"location": "t.html", "title": "t", "text": ""},
                                    {"location": "t.html#columns", "title": "Columns", "text": "a b"},
                                    {"location": "t.html#indexes", "title": "Indexes", "text": ""},
                                    {"location": "u.html#columns", "title": "Columns", "text": "c"}]}
    entries = {"t.html": [{"location": "t.html#col-a", "title": "a", "text": ""}]}
    assert [d["location"] for d in with_columns(index, entries)["docs"]] == [
        "t.html", "t.html#col-a", "t.html#indexes", "u.html#columns"]
