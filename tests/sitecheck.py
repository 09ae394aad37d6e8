"""Check a built site as a browser meets it: parse every HTML page, follow every internal
link and anchor, and the links of the navigation's shared file (`assets/nav-data.js`, which
a script puts into every page). Used by the site tests (and usable by hand: python -m tests.sitecheck DIR)."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit

from bs4 import BeautifulSoup

from schemadocs.render.frame_nav import DATA_FILE, read_nav_script


@dataclass
class LinkReport:
    pages: int = 0
    links: int = 0
    broken: list[str] = field(default_factory=list)


def check_links(site: Path) -> LinkReport:
    """Every internal href/src/xlink:href in every page must resolve to a file, and its #anchor to an id."""
    report = LinkReport()
    ids: dict[Path, set[str]] = {}

    def ids_of(page: Path) -> set[str]:
        if page not in ids:
            soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
            ids[page] = {t["id"] for t in soup.find_all(id=True)} | {t["name"] for t in soup.find_all("a", attrs={"name": True})}
        return ids[page]

    for page in sorted(site.rglob("*.html")):
        report.pages += 1
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for tag in soup.find_all(True):
            for attr in ("href", "src", "xlink:href"):
                url = tag.get(attr)
                if not url or not isinstance(url, str):
                    continue
                parts = urlsplit(url)
                if parts.scheme or parts.netloc or url.startswith(("mailto:", "javascript:", "data:")):
                    continue
                report.links += 1
                path, fragment = urldefrag(url)
                base = site if path.startswith("/") else page.parent  # root-relative, as 404.html uses
                target = (base / unquote(path).lstrip("/")).resolve() if path else page
                if target.is_dir():
                    target = target / "index.html"
                if not target.exists():
                    report.broken.append(f"{page.relative_to(site)}: {url} (no such file)")
                elif fragment and target.suffix == ".html" and unquote(fragment) not in ids_of(target):
                    report.broken.append(f"{page.relative_to(site)}: {url} (no such anchor)")
    for data in sorted(site.rglob(DATA_FILE)):  # one per site; a site of several databases has one at its root
        for entries in read_nav_script(data.read_text(encoding="utf-8")).values():
            for path, _title in entries:
                report.links += 1
                if not (data.parent.parent / unquote(path)).is_file():
                    report.broken.append(f"{data.relative_to(site)}: {path} (no such file)")
    return report


if __name__ == "__main__":
    r = check_links(Path(sys.argv[1]))
    print(f"{r.pages} pages, {r.links} internal links, {len(r.broken)} broken")
    print("\n".join(r.broken[:50]))
    sys.exit(1 if r.broken else 0)
