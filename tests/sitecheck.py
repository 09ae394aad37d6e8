"""Check a built site as a browser meets it: parse every HTML page, follow every internal
link and anchor, and the links of the navigation's shared file (`assets/nav-data.js`, which
a script puts into every page). A packed diagram (`<div class="sd-packed" data-z=...>`, which
a script inflates) is inflated here too, with zlib alone, and its links and ids are the page's.
Used by the site tests (and usable by hand: python -m tests.sitecheck DIR)."""

from __future__ import annotations

import base64
import sys
import zlib
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit

from schemadocs.render.frame_nav import DATA_FILE, read_nav_script

LINK_ATTRIBUTES = ("href", "src", "xlink:href")


@dataclass
class LinkReport:
    pages: int = 0
    links: int = 0
    broken: list[str] = field(default_factory=list)


def check_links(site: Path) -> LinkReport:
    """Every internal href/src/xlink:href in every page must resolve to a file, and its #anchor to an id.

    Each page is parsed once (Python's HTMLParser, as a browser tokenizes it: entities in
    attribute values decoded, script and style bodies not parsed), for its links and its ids."""
    report = LinkReport()
    pages = {page: parse(page) for page in sorted(site.rglob("*.html"))}

    @cache
    def file_of(base: Path, path: str) -> Path | None:
        target = (base / unquote(path).lstrip("/")).resolve()
        if target.is_dir():
            target = target / "index.html"
        return target if target.exists() else None

    for page, (links, _ids) in pages.items():
        report.pages += 1
        for url in links:
            parts = urlsplit(url)
            if parts.scheme or parts.netloc or url.startswith(("mailto:", "javascript:", "data:")):
                continue
            report.links += 1
            path, fragment = urldefrag(url)
            base = site if path.startswith("/") else page.parent  # root-relative, as 404.html uses
            target = file_of(base, path) if path else page
            if target is None:
                report.broken.append(f"{page.relative_to(site)}: {url} (no such file)")
            elif fragment and target.suffix == ".html":
                ids = pages[target][1] if target in pages else parse(target)[1]
                if unquote(fragment) not in ids:
                    report.broken.append(f"{page.relative_to(site)}: {url} (no such anchor)")
    for data in sorted(site.rglob(DATA_FILE)):  # one per site; a site of several databases has one at its root
        for entries in read_nav_script(data.read_text(encoding="utf-8")).values():
            for path, _title in entries:
                report.links += 1
                if not (data.parent.parent / unquote(path)).is_file():
                    report.broken.append(f"{data.relative_to(site)}: {path} (no such file)")
    return report


def parse(page: Path) -> tuple[list[str], set[str]]:
    """A page's link targets (in order) and the ids (and `<a name>`s) an anchor can name."""
    parser = _Links()
    parser.feed(page.read_text(encoding="utf-8"))
    parser.close()
    for data in parser.packed:  # what unpack.js puts in the page in place of the packed element
        svg = _Links()
        svg.feed(zlib.decompress(base64.b64decode(data, validate=True), -15).decode("utf-8"))
        svg.close()
        parser.links += svg.links
        parser.ids |= svg.ids
    return parser.links, parser.ids


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.packed: list[str] = []  # the data-z of each packed diagram (raw DEFLATE, base64)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "div" and ("class", "sd-packed") in attrs:
            self.packed += [value for name, value in attrs if name == "data-z" and value]
        for name, value in attrs:
            if not value:
                continue
            if name in LINK_ATTRIBUTES:
                self.links.append(value)
            elif name == "id" or (name == "name" and tag == "a"):
                self.ids.add(value)

    handle_startendtag = handle_starttag


if __name__ == "__main__":
    r = check_links(Path(sys.argv[1]))
    print(f"{r.pages} pages, {r.links} internal links, {len(r.broken)} broken")
    print("\n".join(r.broken[:50]))
    sys.exit(1 if r.broken else 0)
