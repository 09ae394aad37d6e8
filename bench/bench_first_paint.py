"""Benchmark: how soon the biggest pages of a built site show something, in headless Chromium.

In: one or more built site directories (`--site DIR`, e.g. a baseline and a new build of the
same database) and how many of each site's biggest pages to load (`--pages 3`), or the same
pages of each (`--path schemas/x/y.html`, repeated). Out: per page its size and, over `--runs`
loads (median), first paint and first contentful paint (the browser's own Paint Timing
entries), DOMContentLoaded, the load event and when the first diagram was set up (its
`data-sd-zoom="ready"`: packed diagrams are inflated before that), in ms. Not a
test: timings on a shared machine are noisy, so nothing is asserted.

The site is served on a free localhost port (`schemadocs.serve`); the browser is Debian's
Chromium (/usr/bin/chromium) driven by Playwright, with a cold cache per load.

    .venv/bin/python -m bench.bench_first_paint --site base/site --site new/site --pages 3 --runs 3
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path
from typing import Any

from schemadocs.serve import served

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TIMING = """() => {
  const paint = Object.fromEntries(performance.getEntriesByType('paint').map(e => [e.name, e.startTime]));
  const nav = performance.getEntriesByType('navigation')[0];
  return {fp: paint['first-paint'], fcp: paint['first-contentful-paint'],
          dcl: nav.domContentLoadedEventEnd, load: nav.loadEventEnd, ready: window.__sdReady};
}"""
READY = """new MutationObserver((_, watch) => {  // when the first diagram is set up (assets/diagrams.js)
  if (document.querySelector('[data-sd-zoom=ready]')) { window.__sdReady = performance.now(); watch.disconnect(); }
}).observe(document, {subtree: true, childList: true, attributes: true, attributeFilter: ['data-sd-zoom']});"""


def biggest_pages(site: Path, count: int) -> list[Path]:
    pages = [p for p in site.rglob("*.html") if p.name != "404.html"]
    return sorted(pages, key=lambda p: -p.stat().st_size)[:count]


def measure(browser: Any, url: str, runs: int) -> dict[str, float]:
    found: list[dict[str, float]] = []
    for _ in range(runs):
        context = browser.new_context()
        page = context.new_page()
        page.add_init_script(READY)
        page.goto(url, wait_until="load", timeout=300_000)
        page.wait_for_timeout(200)  # paint entries are recorded after the frame
        found.append(page.evaluate(TIMING))
        context.close()
    return {k: statistics.median(f[k] for f in found if f.get(k) is not None)
            for k in ("fp", "fcp", "dcl", "load", "ready") if any(f.get(k) is not None for f in found)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_first_paint", description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, action="append", required=True, metavar="DIR")
    parser.add_argument("--pages", type=int, default=3, help="the N biggest pages of each site (default 3)")
    parser.add_argument("--runs", type=int, default=3, help="loads per page; the median is reported (default 3)")
    parser.add_argument("--path", action="append", default=[], metavar="PAGE",
                        help="load this page of every site (relative to the site) instead of the biggest")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        for site in args.site:
            print(f"== {site} ==")
            print(f"{'page':<48}{'MB':>7}{'FP ms':>9}{'FCP ms':>9}{'DCL ms':>9}{'load ms':>9}{'diagram ms':>11}")
            with served(site) as base:
                for page in [site / p for p in args.path] or biggest_pages(site, args.pages):
                    rel = page.relative_to(site).as_posix()
                    t = measure(browser, f"{base}/{rel}", args.runs)
                    print(f"{rel:<48}{page.stat().st_size / 1e6:>7.2f}{t.get('fp', float('nan')):>9.0f}"
                          f"{t.get('fcp', float('nan')):>9.0f}{t['dcl']:>9.0f}{t['load']:>9.0f}"
                          f"{t.get('ready', float('nan')):>11.0f}", flush=True)
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
