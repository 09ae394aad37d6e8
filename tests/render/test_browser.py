"""The demo site in a real browser: search a column, follow the hit, click through the ER diagram.

In: the built demo site (`demo_site`), served on a free localhost port, and Debian's
Chromium at /usr/bin/chromium driven by Playwright (no browser download). Out: pass when a
reader can search a column name, land on its table, click a diagram node to reach the
neighbour's page, and the browser logged no console error, no uncaught page error and
asked for nothing outside the site. In CI (CI=true) a missing browser or Playwright fails
the test; elsewhere it is skipped with the reason.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from schemadocs.serve import served

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
COLUMN = "line_total"  # a column only app.order_items has
TABLE_PAGE = "/schemas/app/order_items.html"
NEIGHBOUR = "app.orders"  # an FK neighbour drawn in order_items' ER diagram
NEIGHBOUR_PAGE = "/schemas/app/orders.html"
TIMEOUT_MS = 20_000


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason}; CI must run the browser test (.ci/run installs Debian's chromium, "
                    "`pip install -e '.[test]'` installs playwright)")
    pytest.skip(reason)


def settle(page: Any) -> None:
    """Let the page finish what it asks for after `load` (the search index in the search worker,
    lazy parts) before the test leaves it, closes it or stops its server: a request cut short is
    a `requestfailed` or a console error (`net::ERR_ABORTED`, `net::ERR_CONNECTION_RESET`) that
    says nothing about the site."""
    page.wait_for_load_state("networkidle")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright for Python is not installed (pip install playwright; no browser download needed)")
    if not os.access(CHROMIUM, os.X_OK):
        _unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def site_url(demo_site: Path) -> Iterator[str]:
    with served(demo_site) as url:
        yield url


def test_search_a_column_then_click_through_the_er_diagram(browser: Any, site_url: str) -> None:
    errors: list[str] = []
    outside: list[str] = []
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.set_default_timeout(TIMEOUT_MS)
    page.on("console", lambda msg: errors.append(f"console {msg.type}: {msg.text}") if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))

    def only_the_site(route: Any) -> None:
        if route.request.url.startswith(site_url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_the_site)
    try:
        page.goto(f"{site_url}/index.html", wait_until="load")
        query = page.locator("input.md-search__input")
        query.click()  # the header's search box, as a reader clicks it
        query.press_sequentially(COLUMN, delay=20)
        hit = page.locator(f".md-search-result__list a[href*='{TABLE_PAGE.lstrip('/')}']").first
        hit.wait_for(state="visible")
        hit.click()
        page.wait_for_url(f"**{TABLE_PAGE}*")
        page.locator(f"#col-{COLUMN}").wait_for(state="attached")

        node = page.locator(".sd-diagram svg a").filter(has=page.get_by_text(NEIGHBOUR, exact=True)).first
        node.scroll_into_view_if_needed()
        node.click()
        page.wait_for_url(f"**{NEIGHBOUR_PAGE}*")
        page.wait_for_load_state("load")
        assert page.locator("article h1").first.inner_text().strip().rstrip("¶").strip() == NEIGHBOUR
    finally:
        page.close()
    assert outside == [], "the site asked for resources outside itself"
    assert errors == []
