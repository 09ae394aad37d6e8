"""One database's part of a site moved under its folder.

In: docs-dir path → text (pages and files of one database, rendered as if it were the whole
site) or its MkDocs navigation, and the database's name. Out: the same under `<name>/`. Every
link a page holds is relative to the page, so moving all of a database's pages together keeps
them working; the shared site assets (`assets/...`, the same for every database) stay at the
root, where MkDocs' `extra_css`/`extra_javascript` name them.
"""

from __future__ import annotations

from typing import Any

SHARED = "assets/"  # the stylesheet and vendored scripts, written once at the root


def prefixed_files(files: dict[str, str], name: str) -> dict[str, str]:
    """`files` with every path but the shared assets under `name/`."""
    return {path if path.startswith(SHARED) else f"{name}/{path}": text for path, text in files.items()}


def prefixed_nav(nav: Any, name: str) -> Any:
    """The navigation with every page path under `name/` (titles unchanged)."""
    if isinstance(nav, str):
        return f"{name}/{nav}"
    if isinstance(nav, list):
        return [prefixed_nav(entry, name) for entry in nav]
    if isinstance(nav, dict):
        return {title: prefixed_nav(target, name) for title, target in nav.items()}
    return nav
