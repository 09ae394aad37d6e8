"""Diagrams and the 404 page as readers meet them, in headless Chromium.

In: the demo site (`demo_site`) and the Lago and AdventureWorks sites of the corpus
(`corpus_site`, built once per session), served on localhost; Debian's Chromium driven by
Playwright (tests/render/test_browser.py's `browser`). Out: pass when a diagram zooms (buttons,
Ctrl + wheel, actual size) until its text renders at a readable size in pixels, nodes still
lead to their pages after a zoom while a drag pans without following a link, diagram text has
a contrast of at least 4.5:1 against what is drawn under it in the dark and the light scheme
(from computed styles), a hub's neighbourhood diagram is a grid rather than one column, a
diagram and its buttons fit a phone's width, and the 404 page keeps its styling when the site is served under a sub-path, with or without
`build --site-url`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from tests.corpus import entries
from schemadocs.serve import served
from tests.render.test_browser import TIMEOUT_MS, browser  # noqa: F401  (browser: a fixture)
from tests.test_cli import assert_clean_error, run

READABLE_PX = 12  # diagram text at actual size: 10 pt names (13.3 px), 9 pt edge labels (12 px)
MIN_CONTRAST = 4.5
# (site, page with a large diagram): the demo's busiest table; Lago's hub; an AdventureWorks schema
PAGES = [("demo", "/schemas/app/tenants.html"), ("lago", "/schemas/public/organizations.html"),
         ("adventureworks", "/schemas/sales/index.html")]
HAS_CORPUS = {"lago", "adventureworks"} <= set(entries())

FONT_PX = """(box) => {  // the smallest rendered size of the diagram's text, in CSS px
  const svg = box.querySelector('svg'), px = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  return Math.min(...[...svg.querySelectorAll('text')].map(t => parseFloat(getComputedStyle(t).fontSize) * px));
}"""

CONTRASTS = """() => {  // each diagram text: its colour against the shape under it (else the page), as WCAG ratios
  const rgb = c => { const m = c.match(/rgba?\\(([^)]+)\\)/); if (!m) return null;
    const p = m[1].split(',').map(parseFloat); return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1}; };
  const lum = c => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b); };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const out = [];
  for (const svg of document.querySelectorAll('.sd-diagram svg')) {
    let el = svg, page = null;
    while (el && !page) { const c = rgb(getComputedStyle(el).backgroundColor); if (c && c.a > 0) page = c; el = el.parentElement; }
    const shapes = [...svg.querySelectorAll('polygon, rect, path, ellipse')].map(s => ({s, box: s.getBBox(), fill: rgb(getComputedStyle(s).fill)}))
      .filter(x => x.fill && x.fill.a > 0);
    const order = [...svg.querySelectorAll('polygon, rect, path, ellipse, text')];
    for (const t of svg.querySelectorAll('text')) {
      const b = t.getBBox(), x = b.x + b.width / 2, y = b.y + b.height / 2, at = order.indexOf(t);
      let under = page;
      for (const sh of shapes) {
        if (order.indexOf(sh.s) < at && x >= sh.box.x && x <= sh.box.x + sh.box.width && y >= sh.box.y && y <= sh.box.y + sh.box.height) under = sh.fill;
      }
      out.push({text: t.textContent, ratio: ratio(rgb(getComputedStyle(t).fill), under)});
    }
  }
  return out;
}"""


SETTLE = """(canvas) => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() =>
  Promise.allSettled(canvas.getAnimations().map(a => a.finished)).then(() => done(null)))))"""


def _settled(box: Any) -> None:
    """Wait until the diagram stops moving: Panzoom sets the new transform in the next animation
    frame and animates it (a CSS transition, 200 ms), so a fixed wait is short on a loaded machine."""
    box.locator(".sd-canvas").evaluate(SETTLE)


def _full(box: Any, on: bool) -> None:
    """Wait until the diagram is in (or out of) full screen and laid out again."""
    box.page.wait_for_function("([b, on]) => b.classList.contains('sd-full') === on", arg=[box.element_handle(), on])
    _settled(box)


@pytest.fixture(scope="module")
def sites(demo_site: Path, request: pytest.FixtureRequest) -> Iterator[dict[str, str]]:
    """Site name → its URL: the demo, and Lago and AdventureWorks when the corpus is there."""
    built = {"demo": demo_site}
    if HAS_CORPUS:
        corpus_site = request.getfixturevalue("corpus_site")
        built.update({entry: corpus_site(entry)[1] for entry in ("lago", "adventureworks")})
    with served(built["demo"]) as demo, \
            served(built.get("lago", built["demo"])) as lago, \
            served(built.get("adventureworks", built["demo"])) as adventureworks:
        yield {"demo": demo, "lago": lago, "adventureworks": adventureworks}


def _open(browser: Any, url: str, scheme: str = "light", width: int = 1440) -> tuple[Any, list[str]]:
    errors: list[str] = []
    page = browser.new_page(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page.set_default_timeout(TIMEOUT_MS)
    page.on("console", lambda msg: errors.append(f"console: {msg.text}") if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))
    page.goto(url, wait_until="load")
    page.locator(".sd-diagram[data-sd-zoom=ready]").first.wait_for(state="attached")
    return page, errors


def _pages(sites: dict[str, str]) -> list[tuple[str, str]]:
    return [(name, path) for name, path in PAGES if name == "demo" or HAS_CORPUS]


def test_a_diagram_zooms_to_readable_text_and_its_nodes_stay_links(browser: Any, sites: dict[str, str]) -> None:
    for name, path in _pages(sites):
        page, errors = _open(browser, sites[name] + path)
        try:
            box = page.locator(".sd-diagram").first
            box.scroll_into_view_if_needed()
            fitted = box.evaluate(FONT_PX)
            assert [b.get_attribute("data-sd-action") for b in box.locator("button").all()] == \
                ["in", "out", "fit", "actual", "full"]
            box.locator("[data-sd-action=in]").click()
            _settled(box)  # the zoom animates (200 ms)
            assert box.evaluate(FONT_PX) > fitted * 1.2, f"{name}: zoom in"
            view = box.locator(".sd-viewport").bounding_box()
            page.mouse.move(view["x"] + view["width"] / 2, view["y"] + view["height"] / 2)
            before = box.evaluate(FONT_PX)
            page.keyboard.down("Control")
            page.mouse.wheel(0, -400)
            page.keyboard.up("Control")
            _settled(box)
            assert box.evaluate(FONT_PX) > before, f"{name}: Ctrl + wheel zooms in"
            box.locator("[data-sd-action=fit]").click()
            _settled(box)
            assert box.evaluate(FONT_PX) == pytest.approx(fitted, rel=0.01), f"{name}: fit resets"
            box.locator("[data-sd-action=actual]").click()
            _settled(box)
            assert box.evaluate(FONT_PX) >= READABLE_PX * 0.99, f"{name}: text at actual size, fitted it was {fitted:.1f} px"
            _drag_pans_and_click_follows(page, box, sites[name] + path)
        finally:
            page.close()
        assert errors == [], errors


def _drag_pans_and_click_follows(page: Any, box: Any, url: str) -> None:
    """A drag that starts on a node pans the diagram and stays on the page; a click on a node
    visible in the zoomed diagram opens that node's page."""
    visible = box.evaluate("""(box) => {
      const view = box.querySelector('.sd-viewport').getBoundingClientRect();
      const here = location.pathname.split('/').pop();
      for (const a of box.querySelectorAll('svg a')) {
        const href = a.getAttribute('xlink:href') || a.getAttribute('href') || '';
        const r = a.getBoundingClientRect(), x = r.x + r.width / 2, y = r.y + r.height / 2;
        if (href && !href.startsWith('#') && !href.split('#')[0].endsWith(here)
            && x > view.left + 40 && x < view.right - 40 && y > view.top + 40 && y < view.bottom - 40
            && document.elementFromPoint(x, y) && a.contains(document.elementFromPoint(x, y)))
          return {x, y, href: new URL(href, location.href).pathname};
      }
      return null;
    }""")
    assert visible is not None, "a neighbour's node is in view after the zoom"
    transform = box.locator(".sd-canvas").evaluate("c => c.style.transform")
    page.mouse.move(visible["x"], visible["y"])
    page.mouse.down()
    page.mouse.move(visible["x"] + 60, visible["y"] + 30, steps=5)
    page.mouse.up()
    page.wait_for_timeout(200)  # time for a wrongly followed link to start loading
    _settled(box)
    assert page.url.startswith(url), "a drag that started on a node followed its link"
    assert box.locator(".sd-canvas").evaluate("c => c.style.transform") != transform, "the drag panned"
    page.mouse.click(visible["x"] + 60, visible["y"] + 30)  # the node moved with the pan
    page.wait_for_url(f"**{visible['href']}*")


@pytest.mark.parametrize("scheme", ["dark", "light"])
def test_diagram_text_contrast_is_at_least_4_5_to_1(browser: Any, sites: dict[str, str], scheme: str) -> None:
    for name, path in _pages(sites):
        page, errors = _open(browser, sites[name] + path, scheme)
        try:
            expected = "slate" if scheme == "dark" else "default"
            assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == expected
            found = page.evaluate(CONTRASTS)
        finally:
            page.close()
        assert len(found) > 20, f"{name}: the diagrams' text was measured"
        low = [(f["text"], round(f["ratio"], 2)) for f in found if f["ratio"] < MIN_CONTRAST]
        assert low == [], f"{name} {scheme}: {low[:10]}"
        assert errors == [], errors


def test_full_screen_fills_the_window_and_escape_closes_it(browser: Any, sites: dict[str, str]) -> None:
    page, errors = _open(browser, sites["demo"] + PAGES[0][1])
    try:
        box = page.locator(".sd-diagram").first
        fitted = box.evaluate(FONT_PX)
        box.locator("[data-sd-action=full]").click()
        _full(box, True)
        view = box.locator(".sd-viewport").bounding_box()
        assert view["width"] > 1300 and view["height"] > 750, view
        assert box.evaluate(FONT_PX) > fitted, "full screen shows the diagram larger"
        page.keyboard.press("Escape")
        _full(box, False)
        assert "sd-full" not in box.get_attribute("class")
        assert box.evaluate(FONT_PX) == pytest.approx(fitted, rel=0.01)
    finally:
        page.close()
    assert errors == [], errors


def test_a_diagram_and_its_buttons_fit_a_phone(browser: Any, sites: dict[str, str]) -> None:
    page, errors = _open(browser, sites["demo"] + PAGES[0][1], width=390)
    try:
        box = page.locator(".sd-diagram").first
        box.scroll_into_view_if_needed()
        frames = [box.locator(".sd-viewport").bounding_box(), *(b.bounding_box() for b in box.locator("button").all())]
        overflow = page.evaluate("document.documentElement.scrollWidth")
    finally:
        page.close()
    assert all(f["x"] >= 0 and f["x"] + f["width"] <= 390 for f in frames), frames
    assert overflow <= 390
    assert errors == [], errors


@pytest.mark.skipif(not HAS_CORPUS, reason="no Lago in the corpus (SCHEMADOCS_CORPUS)")
def test_a_hubs_diagram_is_a_grid_not_one_column(corpus_site) -> None:
    _, site = corpus_site("lago")
    html = (site / "schemas" / "public" / "organizations.html").read_text(encoding="utf-8")
    svg = BeautifulSoup(html, "html.parser").select_one(".sd-diagram svg")
    width, height = map(float, svg["viewbox"].split()[2:])
    assert len(svg.select("g.node")) >= 21  # the hub, 20 neighbours and "+N more"
    assert height < 2500 and 0.5 < width / height < 2, f"{width:.0f} × {height:.0f} pt (one column was 4,617 pt tall)"


class _SubPath(SimpleHTTPRequestHandler):
    """A site served under /proj/ as GitHub Pages serves a project site: a missing path gets
    the site's 404.html with status 404."""
    prefix = "/proj/"

    def translate_path(self, path: str) -> str:
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / "no-such-folder" / "no-such-file")
        return super().translate_path("/" + path[len(self.prefix):])

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        if code != 404:
            return super().send_error(code, message, explain)
        body = (Path(self.directory) / "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


def test_the_404_page_is_styled_under_a_sub_path(browser: Any, demo_site: Path) -> None:
    with served(demo_site, _SubPath) as origin:
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        try:
            page.goto(origin + "/proj/index.html", wait_until="load")
            styled = page.evaluate("getComputedStyle(document.querySelector('.md-header')).backgroundColor")
        finally:
            page.close()
        assert styled not in ("", "rgba(0, 0, 0, 0)")
        for missing in ("/proj/gone.html", "/proj/schemas/app/gone.html", "/proj/old/folder/gone.html"):
            errors: list[str] = []
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            try:
                response = page.goto(origin + missing, wait_until="load")
                assert response.status == 404
                header = page.evaluate("getComputedStyle(document.querySelector('.md-header')).backgroundColor")
                sheets = page.evaluate("[...document.querySelectorAll('link[rel=stylesheet]')].map(l => !!l.sheet)")
                scripts = page.evaluate("[typeof document$, typeof Panzoom]")  # mkdocs-material's bundle ran, and ours
                home = page.evaluate("new URL(document.querySelector('a.md-logo').href).pathname")
            finally:
                page.close()
            # (Chromium's preload scanner may ask for the assets beside the missing page first: harmless 404s)
            assert sheets and all(sheets) and header == styled, f"{missing}: unstyled ({header})"
            assert scripts == ["object", "function"] and errors == [], f"{missing}: {scripts} {errors}"
            assert home == "/proj/index.html", missing


def test_build_site_url_sets_the_404_pages_links(new_database, tmp_path: Path) -> None:
    dsn = new_database("CREATE TABLE t (id int PRIMARY KEY); CREATE TABLE u (t_id int REFERENCES t)", prefix="url")
    assert_clean_error(run("build", "--dsn", dsn, "--out", str(tmp_path / "site"), "--site-url", "example.org/docs",
                           cwd=tmp_path), "--site-url", "https://")
    done = run("build", "--dsn", dsn, "--out", str(tmp_path / "site"), "--site-url", "https://example.org/docs", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "site" / "404.html").read_text(encoding="utf-8")
    assert re.search(r'href="/docs/assets/stylesheets/main\.[0-9a-f]+\.min\.css"', page)
    assert "data-sd-root" not in page  # with a site URL, MkDocs' own links are right
    table = (tmp_path / "site" / "schemas" / "public" / "t.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://example.org/docs/schemas/public/t.html">' in table


@pytest.mark.skipif(not HAS_CORPUS, reason="no Lago in the corpus (SCHEMADOCS_CORPUS)")
def test_a_more_node_opens_the_list_of_what_it_stands_for(browser: Any, sites: dict[str, str]) -> None:
    """Lago's hub draws 20 neighbours and a '+N more' node: a click on it opens the list below
    the diagram, which links every neighbour left out, each once."""
    page, errors = _open(browser, sites["lago"] + PAGES[1][1])
    try:
        box = page.locator(".sd-diagram").first
        box.scroll_into_view_if_needed()
        more = box.locator("svg a[*|href='#er-not-drawn']")
        count = int(re.fullmatch(r"\+(\d+) more", more.text_content().strip()).group(1))
        drawn = set(box.evaluate("""(box) => [...box.querySelectorAll('svg a')].map(a =>
          new URL(a.getAttribute('xlink:href') || a.getAttribute('href'), location.href).pathname)"""))
        assert not page.locator("details.sd-not-drawn").first.evaluate("d => d.open")
        more.click()
        page.wait_for_url("**#er-not-drawn")
        listed = page.locator("#er-not-drawn a")
        assert page.locator("details.sd-not-drawn").first.evaluate("d => d.open"), "the node's link opens the list"
        assert listed.first.is_visible()
        hrefs = [new for new in listed.evaluate_all("as => as.map(a => new URL(a.getAttribute('href'), location.href).pathname)")]
    finally:
        page.close()
    assert len(hrefs) == count == len(set(hrefs)), (count, len(hrefs))
    assert not set(hrefs) & drawn, "the list holds what the diagram left out, not what it drew"
    assert errors == [], errors


def test_a_pinch_zooms_a_diagram(browser: Any, sites: dict[str, str]) -> None:
    """A two-finger pinch on a touch screen (Chromium's synthesized touch gesture) zooms the diagram in."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    page = context.new_page()
    try:
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(sites["demo"] + PAGES[0][1], wait_until="load")
        box = page.locator(".sd-diagram[data-sd-zoom=ready]").first
        box.scroll_into_view_if_needed()
        before = box.evaluate(FONT_PX)
        view = box.locator(".sd-viewport").bounding_box()
        cdp = context.new_cdp_session(page)
        cdp.send("Input.synthesizePinchGesture", {"x": view["x"] + view["width"] / 2, "y": view["y"] + view["height"] / 2,
                                                  "scaleFactor": 2.5, "relativeSpeed": 400, "gestureSourceType": "touch"})
        _settled(box)
        after = box.evaluate(FONT_PX)
        scale = page.evaluate("window.visualViewport.scale")
    finally:
        context.close()
    assert after > before * 1.5, (before, after)
    assert scale == 1, "the diagram zoomed, not the page"
