"""Packed diagrams as readers meet them, in headless Chromium (`render.packed_diagrams`, `assets/unpack.js`).

In: the demo built with `diagrams="packed"` (`packed_demo`, tests/render/test_packed_diagrams.py),
served on localhost and opened from disk (file://); a small schema of hostile names (breakouts of
a script element and of an attribute) built packed. Out: pass when each packed diagram is
replaced by its SVG before diagrams.js sets it up (buttons, zoom in, pan, full screen and Esc,
a click on a node opens its page), the browser's find finds a diagram's text, a page opened from
disk shows its diagram too, and no hostile name runs anything: each shows as text in the diagram.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from schemadocs.build import BuildResult, build
from schemadocs.introspect.introspect import introspect
from schemadocs.serve import served
from tests.render.test_browser import TIMEOUT_MS, browser  # noqa: F401  (browser: a fixture)
from tests.render.test_diagram_browser import FONT_PX, _drag_pans_and_click_follows, _full, _open, _settled
from tests.render.test_hostile_names import PROBE
from tests.render.test_packed_diagrams import packed_demo, project_dir  # noqa: F401  (packed_demo: a fixture)

PAGE = "/schemas/app/tenants.html"  # the demo's busiest table
SCRIPT_BREAK = "</script><img src=x onerror=window.__xss=1>"
ATTRIBUTE_BREAK = '"><svg onload=window.__xss=1>'
COLUMN_BREAK = "</script><script>window.__xss=1</script>"
HOSTILE_SQL = f"""
CREATE SCHEMA "{SCRIPT_BREAK}";
CREATE TABLE "{SCRIPT_BREAK}"."{ATTRIBUTE_BREAK.replace('"', '""')}" (
    "{COLUMN_BREAK}" int PRIMARY KEY,
    "{ATTRIBUTE_BREAK.replace('"', '""')}" text);
COMMENT ON TABLE "{SCRIPT_BREAK}"."{ATTRIBUTE_BREAK.replace('"', '""')}" IS '{SCRIPT_BREAK}';
CREATE TABLE public.child (id int PRIMARY KEY,
    parent int REFERENCES "{SCRIPT_BREAK}"."{ATTRIBUTE_BREAK.replace('"', '""')}");
"""


@pytest.fixture(scope="module")
def packed_url(packed_demo: tuple[Path, Path, BuildResult]) -> Iterator[str]:  # noqa: F811
    with served(packed_demo[1]) as url:
        yield url


def test_a_packed_diagram_appears_zooms_pans_and_its_nodes_lead_to_their_pages(browser: Any,  # noqa: F811
                                                                               packed_url: str) -> None:
    page, errors = _open(browser, packed_url + PAGE)
    try:
        assert page.locator(".sd-packed").count() == 0, "every packed diagram was inflated"
        box = page.locator(".sd-diagram").first
        box.scroll_into_view_if_needed()
        assert box.locator("svg.sd-er a").count() > 3
        assert [b.get_attribute("data-sd-action") for b in box.locator("button").all()] == \
            ["in", "out", "fit", "actual", "full"]
        fitted = box.evaluate(FONT_PX)
        box.locator("[data-sd-action=full]").click()
        _full(box, True)
        view = box.locator(".sd-viewport").bounding_box()
        assert view["width"] > 1300 and view["height"] > 750, view
        page.keyboard.press("Escape")
        _full(box, False)
        assert "sd-full" not in box.get_attribute("class")
        box.locator("[data-sd-action=actual]").click()
        _settled(box)  # the zoom animates (200 ms)
        assert box.evaluate(FONT_PX) > fitted * 1.2, "zoomed to actual size"
        _drag_pans_and_click_follows(page, box, packed_url + PAGE)  # a drag pans; a click on a node opens its page
        page.locator(".sd-diagram[data-sd-zoom=ready]").first.wait_for(state="attached")
        assert page.locator(".sd-packed").count() == 0, "the next page's diagram was inflated too"
    finally:
        page.close()
    assert errors == [], errors


def test_the_browsers_find_finds_a_packed_diagrams_text(browser: Any, packed_url: str,  # noqa: F811
                                                       packed_demo) -> None:  # noqa: F811
    name = "FK parent_id"  # a row of app.categories, a neighbour: on this page only in the (packed) diagram
    assert name not in (packed_demo[1] / PAGE.lstrip("/")).read_text(encoding="utf-8")
    page, errors = _open(browser, packed_url + PAGE)
    try:
        assert name in [t.strip() for t in page.locator(".sd-diagram svg text").all_text_contents()]
        found = page.evaluate("(name) => window.find(name, true, false, true)", name)
        missing = page.evaluate("() => window.find('no such text anywhere', true, false, true)")
        in_text = page.evaluate("(name) => document.body.innerText.includes(name)", name)
    finally:
        page.close()
    assert found and not missing and in_text, (found, missing, in_text)
    assert errors == [], errors


def test_a_packed_diagram_works_opened_from_disk(browser: Any, packed_demo) -> None:  # noqa: F811
    site = packed_demo[1]
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    page.set_default_timeout(TIMEOUT_MS)
    try:
        page.goto((site / PAGE.lstrip("/")).as_uri(), wait_until="load")
        page.locator(".sd-diagram[data-sd-zoom=ready]").first.wait_for(state="attached")
        packed_left = page.locator(".sd-packed").count()
        links = page.locator(".sd-diagram svg.sd-er a").count()
    finally:
        page.close()
    assert packed_left == 0 and links > 3


def test_hostile_names_in_a_packed_diagram_are_text(browser: Any, new_database,  # noqa: F811
                                                    tmp_path: Path) -> None:
    catalog = introspect(new_database(HOSTILE_SQL, prefix="packedxss"))
    project_dir(tmp_path)
    build(catalog, tmp_path / "site", tmp_path / "mkdocs.yml", diagrams="packed")
    site = tmp_path / "site"
    pages = sorted(p.relative_to(site).as_posix() for p in site.glob("schemas/**/*.html"))
    assert any('class="sd-packed"' in (site / p).read_text(encoding="utf-8") for p in pages)
    dialogs: list[str] = []
    found: dict[str, list[str]] = {}
    texts: set[str] = set()
    page = browser.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        with served(site) as url:
            for path in pages:
                page.goto(f"{url}/{path}", wait_until="load")
                if page.locator(".sd-diagram").count():
                    page.locator(".sd-diagram[data-sd-zoom=ready]").first.wait_for(state="attached")
                    texts |= {t.strip() for t in page.locator(".sd-diagram svg text").all_text_contents()}
                if bad := page.evaluate(PROBE):
                    found[path] = bad
                assert page.locator(".sd-packed").count() == 0, path
    finally:
        page.close()
    assert found == {} and dialogs == []
    # the names as text in the diagrams (a long one shortened with "…", as diagrams do)
    assert ATTRIBUTE_BREAK in texts, sorted(texts)
    assert any(t.startswith(f'"{SCRIPT_BREAK}".') for t in texts), sorted(texts)
    assert any(t.startswith("PK " + COLUMN_BREAK[:30]) for t in texts), sorted(texts)
