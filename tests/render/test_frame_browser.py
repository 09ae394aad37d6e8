"""The shared page frame in a real browser (`schemadocs.frame`): the navigation filled in from
its one shared file, the theme's icons drawn by the shared stylesheet, the palette toggle and
search working through the shared scripts, and links that work with script turned off.

In: the built demo site (`demo_site`), served on a free localhost port, and Debian's Chromium
driven by Playwright (as tests/render/test_browser.py: skipped without it, except in CI).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from schemadocs.render.frame_nav import DATA_FILE, read_nav_script
from schemadocs.serve import served
from tests.render.test_browser import TIMEOUT_MS, browser, settle  # noqa: F401 (the shared browser fixture)

TABLE_PAGE = "schemas/app/orders.html"
SCHEMA_PAGE = "schemas/billing/index.html"
NAV_LINKS = ".md-nav--primary .md-nav__item--section > nav > ul.md-nav__list > li.md-nav__item > a.md-nav__link"


@pytest.fixture(scope="module")
def site_url(demo_site: Path) -> Iterator[str]:
    with served(demo_site) as url:
        yield url


@pytest.fixture(scope="module")
def schemas(demo_site: Path) -> list[tuple[str, str]]:
    lists = read_nav_script((demo_site / DATA_FILE).read_text(encoding="utf-8"))
    assert len(lists) == 1
    return list(next(iter(lists.values())))


def _page(browser: Any, site_url: str, script: bool = True) -> tuple[Any, Any, list[str]]:  # noqa: F811
    context = browser.new_context(java_script_enabled=script, viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(f"console {msg.type}: {msg.text}") if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.on("requestfailed", lambda request: problems.append(f"failed: {request.url}"))
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(site_url)
               else (problems.append(f"outside: {route.request.url}"), route.abort()))
    return context, page, problems


def _nav(page: Any) -> list[tuple[str, str]]:
    return [tuple(pair) for pair in page.eval_on_selector_all(NAV_LINKS, "links => links.map(a => [a.textContent.trim(), a.href])")]


def test_the_navigation_lists_every_schema_once_the_script_ran_on_every_page(
        browser: Any, site_url: str, schemas: list[tuple[str, str]], demo_site: Path) -> None:  # noqa: F811
    assert len(schemas) >= 3
    # the page itself holds only its own schema's entry
    assert (demo_site / TABLE_PAGE).read_text(encoding="utf-8").count('class="md-nav__link">\n<span class="md-ellipsis">\napp\n') == 1
    context, page, problems = _page(browser, site_url)
    try:
        page.goto(f"{site_url}/{TABLE_PAGE}", wait_until="load")
        page.wait_for_function("!document.querySelector('ul[data-sd-nav]')")
        expected = [(title, f"{site_url}/{path}") for path, title in schemas]
        assert _nav(page) == expected
        # a filled-in entry works, and the next page is filled in too
        settle(page)
        page.locator(NAV_LINKS).filter(has_text="billing").first.click()
        page.wait_for_url(f"**/{SCHEMA_PAGE}")
        page.wait_for_function("!document.querySelector('ul[data-sd-nav]')")
        assert _nav(page) == expected
        # the current page is highlighted, in its place, with its table of contents
        active = page.locator(".md-nav--primary li.md-nav__item--active > a.md-nav__link--active")
        assert active.inner_text().strip() == "billing"
        titles = [title for title, _ in expected]
        assert page.eval_on_selector_all(".md-nav--primary .md-nav__item--section > nav > ul.md-nav__list > li",
                                         "items => items.map(li => li.querySelector('.md-ellipsis').textContent.trim())") == titles
        assert page.locator(".md-nav--primary li.md-nav__item--active nav.md-nav--secondary a").count() > 0
        settle(page)
    finally:
        context.close()
    assert problems == []


def test_the_shared_icons_are_drawn_and_the_palette_toggle_and_search_still_work(
        browser: Any, site_url: str, demo_site: Path) -> None:  # noqa: F811
    # the page holds neither control: the shared header script puts them back (render.frame_header)
    held = (demo_site / TABLE_PAGE).read_text(encoding="utf-8")
    assert 'data-md-component="search"' not in held and 'data-md-component="palette"' not in held
    context, page, problems = _page(browser, site_url)
    try:
        page.goto(f"{site_url}/{TABLE_PAGE}", wait_until="load")
        assert page.locator("header [data-md-component=search]").count() == 1
        assert page.locator("header form[data-md-component=palette]").count() == 1
        toggle = page.locator("form[data-md-component=palette] label:not([hidden])").first
        icon = toggle.locator("svg.sd-i")
        assert icon.evaluate("svg => getComputedStyle(svg).maskImage || getComputedStyle(svg).webkitMaskImage").startswith('url("data:image/svg+xml,')
        box = icon.bounding_box()
        assert box is not None and box["width"] > 10 and box["height"] > 10
        assert page.locator("header svg:not(.sd-i)").count() == 0  # every header icon is a shared one
        scheme = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
        toggle.click()
        page.wait_for_function(f"document.body.getAttribute('data-md-color-scheme') !== {scheme!r}")
        chosen = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
        # the choice is kept (the shared head script's storage) and applied on a fresh load by the shared palette script
        settle(page)
        page.goto(f"{site_url}/lineage.html", wait_until="load")
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == chosen
        query = page.locator("input.md-search__input")
        query.click()
        query.press_sequentially("line_total", delay=20)
        result = page.locator(".md-search-result__list a[href*='schemas/app/order_items.html']").first
        result.wait_for(state="visible")
        # the theme's instant navigation keeps the header: one search and one toggle on the next page, still working
        result.click()
        page.wait_for_url("**/schemas/app/order_items.html*")
        assert page.locator("[data-md-component=search]").count() == 1
        assert page.locator("form[data-md-component=palette]").count() == 1
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == chosen
        query.click()
        query.fill("")
        query.press_sequentially("orders", delay=20)
        page.locator(".md-search-result__list a").first.wait_for(state="visible")
        settle(page)
    finally:
        context.close()
    assert problems == []


def test_without_script_the_page_keeps_its_own_links_and_the_home_page_reaches_every_schema(
        browser: Any, site_url: str, schemas: list[tuple[str, str]]) -> None:  # noqa: F811
    context, page, problems = _page(browser, site_url, script=False)
    try:
        page.goto(f"{site_url}/{TABLE_PAGE}", wait_until="load")
        assert [title for title, _ in _nav(page)] == ["app"]
        page.locator(NAV_LINKS).filter(has_text="app").click()
        page.wait_for_url(f"**/schemas/app/index.html")
        page.locator(".md-nav--primary a.md-nav__link").filter(has_text="Home").first.click()
        page.wait_for_url(f"**/index.html")
        linked = set(page.eval_on_selector_all("article a[href]", "links => links.map(a => a.href)"))
        assert {f"{site_url}/{path}" for path, _ in schemas} <= linked
    finally:
        context.close()
    assert problems == []
