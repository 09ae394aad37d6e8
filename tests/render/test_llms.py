"""The site's files for machines: a clean `.md` copy beside every page, `llms.txt` whose
links all resolve, and `llms-full.txt` under its cap, on the demo and the hostile-names site."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from schemadocs.introspect.introspect import introspect
from schemadocs.render.llms import llms_full
from tests.conftest import FIXTURES, build_in


@pytest.fixture(scope="module")
def hostile_site(new_database, tmp_path_factory) -> Path:
    catalog = introspect(new_database((FIXTURES / "hostile.sql").read_text(encoding="utf-8"), prefix="hostile"))
    return build_in(tmp_path_factory.mktemp("hostile-llms"), catalog)


def raw_html(markdown: str) -> list[str]:
    found = []
    for token in MarkdownIt("commonmark", {"html": True}).enable("table").parse(markdown):
        found += [t.content for t in [token, *(token.children or [])] if t.type in ("html_inline", "html_block")]
    return found


def md_links(markdown: str) -> list[str]:
    """The targets of the links a Markdown renderer finds (escaped brackets make none)."""
    found = []
    for token in MarkdownIt("commonmark").parse(markdown):
        found += [t.attrGet("href") for t in token.children or [] if t.type == "link_open"]
    return found


def pages(site: Path) -> list[Path]:
    return [p for p in site.rglob("*.html") if p.name != "404.html"]


@pytest.mark.parametrize("which", ["demo_site", "hostile_site"])
def test_every_page_has_a_clean_markdown_twin(which, request):
    site = request.getfixturevalue(which)
    html = pages(site)
    assert len(html) > 10
    for page in html:
        twin = page.with_suffix(".md")
        assert twin.is_file(), twin
        text = twin.read_text(encoding="utf-8")
        assert text.startswith("# "), twin
        assert raw_html(text) == [], twin
        assert "<!-- schemadocs-" not in text and "sd-diagram" not in text  # no diagram or fragment placeholder


def test_markdown_twin_links_resolve(demo_site):
    for twin in demo_site.rglob("*.md"):
        for target in md_links(twin.read_text(encoding="utf-8")):
            page = target.partition("#")[0]
            assert (twin.parent / page).resolve().is_file() if page else True, (twin, target)


@pytest.mark.parametrize("which", ["demo_site", "hostile_site"])
def test_llms_txt(which, request):
    site = request.getfixturevalue(which)
    text = (site / "llms.txt").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0].startswith("# ") and lines[2].startswith("> ")
    assert raw_html(text) == []
    links = md_links(text)
    assert "llms-full.txt" in links and "index.md" in links
    for link in links:
        assert (site / link).is_file(), link
    listed = {p for p in links if p.endswith(".md")}
    relation_pages = {p.relative_to(site).as_posix() for p in site.glob("schemas/*/*.md")}
    assert relation_pages <= listed  # every schema, table and view page is in the index


def test_llms_txt_on_the_demo_names_its_tables(demo_site):
    text = (demo_site / "llms.txt").read_text(encoding="utf-8")
    assert "- [table app.orders](schemas/app/orders.md): A checkout placed by a shopper." in text
    full = (demo_site / "llms-full.txt").read_text(encoding="utf-8")
    assert "# app.orders" in full and "| tenant_id | `bigint` | no |" in full
    assert "Cut here" not in full


def test_llms_full_is_capped_at_a_page_boundary():
    pages = {f"p{i}.md": f"# page {i}\n\n" + "x" * 100 for i in range(10)}
    order = sorted(pages)
    full = llms_full(pages, order, 500)
    assert len(full) < 800 and "Cut here" in full and "pages, from p3.md" in full or "from p" in full
    assert full.count("# page ") == len(re.findall(r"# page \d", full)) <= 4
    assert "Cut here" not in llms_full(pages, order, 10_000)
