"""The marks only the build reads (`render.build_marks`): `data-search-exclude` attributes leave
the built page, and nothing else does; on the demo site, no page keeps one and the search index
still leaves out what they marked."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from schemadocs.render.build_marks import strip_build_marks

HOSTILE = 'x&quot; data-search-exclude y=&quot;'


def test_only_whole_valueless_attributes_of_tags_go() -> None:
    html = ('<p class="a" data-search-exclude>keep data-search-exclude in text</p>\n'
            '<td data-search-exclude><code>data-search-exclude <b data-search-exclude></code></td>'
            f'<a title="{HOSTILE}" data-search-exclude href="#x">t</a>'
            "<span data-search-exclude=\"1\" DATA-SEARCH-EXCLUDE>v</span>"
            "<script>var s = '<i data-search-exclude>';</script><img data-search-exclude/>")
    assert strip_build_marks(html) == (
        '<p class="a">keep data-search-exclude in text</p>\n'
        '<td><code>data-search-exclude <b data-search-exclude></code></td>'
        f'<a title="{HOSTILE}" href="#x">t</a>'
        "<span data-search-exclude=\"1\">v</span>"
        "<script>var s = '<i data-search-exclude>';</script><img/>")


def test_a_page_without_marks_is_returned_as_is() -> None:
    html = "<p>a</p>\n<table><tr><td>b</td></tr></table>"
    assert strip_build_marks(html) is html


def test_demo_pages_keep_no_marks_and_search_still_leaves_out_what_they_marked(demo_site: Any) -> None:
    site = Path(demo_site)
    pages = sorted(site.rglob("*.html"))
    assert pages
    assert not [p for p in pages if " data-search-exclude" in p.read_text(encoding="utf-8")]
    docs = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    texts = " ".join(d["text"] for d in docs)
    # the relation pages' statistics and breadcrumbs were marked: none of their labels is indexed
    assert "estimated rows" not in texts and "table size" not in texts and " › " not in texts
    assert any("#col-" in d["location"] for d in docs), "columns are still found"
