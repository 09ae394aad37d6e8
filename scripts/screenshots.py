"""The README's diagram screenshots, taken from a built demo site in headless Chromium.

In: the demo site's directory (`schemadocs demo --no-serve` builds it into site/) and the
folder to write to (readme/). Out: site.png (a table page as it opens), diagram-light.png and
diagram-dark.png (a table's relationships diagram in each scheme) and diagram-full.png (the
busiest table's diagram in full screen), taken with Debian's Chromium (/usr/bin/chromium) through Playwright.

    .venv/bin/python scripts/screenshots.py site readme
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

from schemadocs.serve import served

CHROMIUM = "/usr/bin/chromium"
SHOTS = [  # file, page, scheme, what: the window as the page opens, the first diagram, or that diagram in full screen
    ("site.png", "schemas/app/orders.html", "light", "window"),
    ("diagram-light.png", "schemas/app/orders.html", "light", "diagram"),
    ("diagram-dark.png", "schemas/app/orders.html", "dark", "diagram"),
    ("diagram-full.png", "schemas/app/tenants.html", "dark", "full"),
]


def main(site: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with served(site) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"])
        for name, path, scheme, what in SHOTS:
            page = browser.new_page(viewport={"width": 1200, "height": 760} if what == "full" else {"width": 1280, "height": 900},
                                    color_scheme=scheme)
            page.goto(f"{url}/{path}", wait_until="load")
            box = page.locator(".sd-diagram[data-sd-zoom=ready]").first
            if what == "window":
                page.screenshot(path=str(out / name))
            elif what == "full":
                box.scroll_into_view_if_needed()
                box.locator("[data-sd-action=full]").click()
                page.wait_for_timeout(500)
                page.screenshot(path=str(out / name))
            else:
                box.scroll_into_view_if_needed()
                box.screenshot(path=str(out / name))
            page.close()
            print(out / name)
        browser.close()


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: scripts/screenshots.py SITE_DIR OUT_DIR")
    main(Path(sys.argv[1]), Path(sys.argv[2]))
