"""A MkDocs plugin that keeps one copy of what every page's frame repeats.

In: each built page's HTML (indentation cut, diagrams not yet filled in: it runs before
`inline_diagrams`' placeholders are replaced, see `schemadocs.mkdocs_plugins`). Out: the page
with its navigation's long lists cut to its own entries (`render.frame_nav`) and its theme
icons named by class (`render.frame_icons`), its theme scripts loaded from shared files
(`render.frame_scripts`) and its header's palette toggle and search dialog put back by a shared
script (`render.frame_header`); after the build, the shared files in the site: `assets/nav-data.js`
(the lists, read by the shipped `assets/nav.js`), `assets/icons.css` (the icons) and the
`assets/frame-*.js` scripts (`frame-header.js` among them). The lists and icons hold what this build's pages gave, joined with what the
file already holds (an incremental build's copy of the previous site, or another MkDocs
process's share: `merge_into`), so a single-process, a parallel and an incremental build
write the same bytes. A build that rendered no page leaves the files as they are.
`schemadocs.build.run_mkdocs` adds the plugin itself; it is not named in mkdocs.yml.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin

from schemadocs.render.frame_header import HEADER_FILE, share_header
from schemadocs.render.frame_icons import STYLE_FILE, Icons, icons_css, read_icons_css, share_icons
from schemadocs.render.frame_nav import DATA_FILE, NavLists, nav_script, prune_nav, read_nav_script
from schemadocs.render.frame_scripts import CONFIG_FILE, HEAD_FILE, PALETTE_FILE, share_scripts
from schemadocs.render.html_trim import trim_html

NAME = "schemadocs/frame"
SCRIPT_FILES = (HEAD_FILE, PALETTE_FILE, CONFIG_FILE, HEADER_FILE)


class SharedFrame(BasePlugin):  # type: ignore[type-arg]
    def __init__(self) -> None:
        super().__init__()
        self.lists: NavLists = {}
        self.icons: Icons = {}
        self.scripts: dict[str, str] = {}
        self.pages = 0

    def on_post_page(self, output: str, /, *, page: Any, config: Any) -> str:
        pruned, lists = prune_nav(trim_html(output), page.url)
        shared, icons = share_icons(pruned)
        shared, scripts = share_scripts(shared, page.url)
        shared, header = share_header(shared, page.url)
        scripts.update(header)
        _join(self.lists, lists, page.url)
        self.icons.update(icons)
        for path, text in scripts.items():
            if self.scripts.setdefault(path, text) != text:
                raise PluginError(f"the theme's script {path} of {page.url} differs from another page's")
        self.pages += 1
        return shared

    def on_post_build(self, *, config: Any) -> None:
        if self.pages:
            write_shared(Path(config["site_dir"]), self.lists, self.icons, self.scripts)


def write_shared(site: Path, lists: NavLists, icons: Icons, scripts: dict[str, str]) -> None:
    """Write the shared files into `site`, the lists and icons joined with the ones already there."""
    previous_lists, previous_icons = read_shared(site)
    _join(previous_lists, lists, DATA_FILE)
    (site / DATA_FILE).parent.mkdir(parents=True, exist_ok=True)
    (site / DATA_FILE).write_text(nav_script(previous_lists), encoding="utf-8")
    (site / STYLE_FILE).write_text(icons_css({**previous_icons, **icons}), encoding="utf-8")
    for path, text in scripts.items():
        (site / path).write_text(text, encoding="utf-8")


def merge_into(site: Path, other: Path) -> None:
    """Join the shared files of `other` (another process's share of the site) into `site`'s."""
    if (other / DATA_FILE).is_file() or (other / STYLE_FILE).is_file():
        lists, icons = read_shared(other)
        scripts = {path: (other / path).read_text(encoding="utf-8") for path in SCRIPT_FILES
                   if (other / path).is_file() and not (site / path).is_file()}
        write_shared(site, lists, icons, scripts)


def read_shared(site: Path) -> tuple[NavLists, Icons]:
    """The lists and icons the shared files in `site` hold (none when they are missing)."""
    try:
        lists = read_nav_script((site / DATA_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        lists = {}
    except ValueError as exc:
        raise PluginError(f"{site / DATA_FILE}: {exc}") from None
    try:
        icons = read_icons_css((site / STYLE_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        icons = {}
    return lists, icons


def _join(into: NavLists, lists: NavLists, where: str) -> None:
    for key, entries in lists.items():
        if into.setdefault(key, entries) != entries:
            raise PluginError(f"the navigation list {key} of {where} differs from another page's; "
                              "every page must have the same navigation")
