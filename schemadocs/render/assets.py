"""The site's scripts and vendored front-end libraries, shipped inside the package.

In: the files under `docs_templates/assets/` (installed as `schemadocs.templates/assets/`):
schemadocs' own scripts and, under `vendor/`, built files of npm libraries with their licences
(`docs_templates/assets/VENDORED.md` says which, from where). Out: `site_assets()`, docs-dir
path → text of each, written into the docs dir with the pages (so the site loads nothing from
outside and a build needs no npm); and `register(config)`, which lists SCRIPTS and STYLES in
the loaded MkDocs config's `extra_javascript` and `extra_css`, after what the project lists.

To add a library: copy its dist file and licence into `docs_templates/assets/vendor/`, add a
line to VENDORED.md and its path to SCRIPTS or STYLES (in load order).
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

SCRIPTS: tuple[str, ...] = (
    "assets/boot.js",  # the one bootstrap: runs each script's step on every page, in this order
    "assets/nav-data.js",  # the navigation's shared lists, written by the build (schemadocs.frame)
    "assets/nav.js",  # puts them into the page's navigation
    "assets/unpack.js",  # packed diagrams inflated into their SVG (render.packed_diagrams), before diagrams.js
    "assets/vendor/panzoom.min.js",  # @panzoom/panzoom: pan and zoom (diagrams.js)
    "assets/diagrams.js",  # every diagram's viewport, buttons and full screen
    "assets/vendor/tablesort.min.js",  # tablesort: click a heading to sort (tables.js)
    "assets/vendor/tablesort.number.min.js",  # tablesort's number sort (sizes and counts)
    "assets/tables.js",  # sorting, the column index's filters, wide tables' top scrollbar
)
STYLES: tuple[str, ...] = (
    "assets/schemadocs.css",  # written by render_site (templates.stylesheet)
    "assets/icons.css",  # the theme's icons, shared by every page; written by the build (schemadocs.frame)
)
SHIPPED = (".js", ".css", ".txt")  # never .md: MkDocs would make a page of it


def site_assets() -> dict[str, str]:
    """Docs-dir path (`assets/...`) → text, for every shipped file under the package's assets/."""
    found: dict[str, str] = {}

    def walk(folder: Traversable, prefix: str) -> None:
        for item in sorted(folder.iterdir(), key=lambda i: i.name):
            if item.is_dir():
                walk(item, f"{prefix}{item.name}/")
            elif item.name.endswith(SHIPPED):
                found[f"{prefix}{item.name}"] = item.read_text(encoding="utf-8")

    walk(resources.files("schemadocs.templates").joinpath("assets"), "assets/")
    return found


def register(config: Any) -> None:
    """Append SCRIPTS and STYLES to a loaded MkDocs config's extra_javascript and extra_css,
    keeping what the project's mkdocs.yml lists (and not listing anything twice)."""
    from mkdocs.config.config_options import ExtraScriptValue

    scripts = config["extra_javascript"]
    listed = {str(s) for s in scripts}
    scripts.extend(ExtraScriptValue(path) for path in SCRIPTS if path not in listed)
    styles = config["extra_css"]
    styles.extend(path for path in STYLES if path not in styles)
