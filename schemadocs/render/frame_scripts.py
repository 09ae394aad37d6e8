"""One copy of the theme's inline scripts: each page loads them from shared files.

In: one built page's HTML and its URL in the site. Out: `share_scripts`, the page with the
three scripts Material writes into every page replaced by `<script src>` of a shared file in
`assets/`, and those files' texts (site path → text), the same for every page:

- `frame-head.js`: the local-storage helpers in the head (`__md_scope`, the site's root, is
  found from the file's own address instead of the page's);
- `frame-palette.js`: the script after the palette toggle that applies the reader's chosen
  colour scheme before the page is painted (loaded where it stood, so it still runs there);
- `frame-config.js`: the theme's configuration (`<script id="__config">`), which the file
  puts back where it stood, its page-relative `base` and `search` made absolute from the
  file's address, before the theme's bundle reads it.

A script that is not there, or not as expected (another Material version), is left inline.
"""

from __future__ import annotations

import json
import posixpath
import re

from schemadocs.render.escape import script_json

HEAD_FILE = "assets/frame-head.js"
PALETTE_FILE = "assets/frame-palette.js"
CONFIG_FILE = "assets/frame-config.js"

_HEAD = re.compile(r'<script>__md_scope=new URL\("((?:\.\./)*\.\.|\.)",location\),(__md_hash=.*?)</script>')
_PALETTE = re.compile(r'<script>(var palette=__md_get\("__palette"\);.*?)</script>')
_CONFIG = re.compile(r'<script id="__config" type="application/json">(.*?)</script>', re.S)
_CONFIG_JS = ('(function(){var s=document.currentScript,r=new URL("..",s.src).href,c=%s;'
              'c.base=r;c.search=new URL(c.search,r).href;var e=document.createElement("script");'
              'e.id="__config";e.type="application/json";e.textContent=JSON.stringify(c);s.after(e)})();\n')


def share_scripts(page: str, url: str) -> tuple[str, dict[str, str]]:
    """`page` (at `url`) with the theme's inline scripts loaded from shared files, and those files."""
    folder = posixpath.dirname(url)
    root = posixpath.relpath(".", folder or ".") if folder else "."
    files: dict[str, str] = {}

    def src(path: str) -> str:
        return f'<script src="{posixpath.relpath(path, folder or ".")}"></script>'

    head = _HEAD.search(page)
    if head is not None and head.group(1) == root:
        files[HEAD_FILE] = f'__md_scope=new URL("..",document.currentScript.src),{head.group(2)}\n'
        page = page[:head.start()] + src(HEAD_FILE) + page[head.end():]
    palette = _PALETTE.search(page)
    if palette is not None:
        files[PALETTE_FILE] = palette.group(1) + "\n"
        page = page[:palette.start()] + src(PALETTE_FILE) + page[palette.end():]
    config = _CONFIG.search(page)
    shared = _shared_config(config.group(1), folder, root) if config is not None else None
    if config is not None and shared is not None:
        files[CONFIG_FILE] = _CONFIG_JS % shared
        page = page[:config.start()] + src(CONFIG_FILE) + page[config.end():]
    return page, files


def _shared_config(text: str, folder: str, root: str) -> str | None:
    """The page's theme configuration with `base` and `search` taken from the site's root (as
    JSON safe inside a script), or None when it is not what this module expects."""
    try:
        config = json.loads(text)
    except ValueError:
        return None
    if not isinstance(config, dict) or config.get("base") != root or not isinstance(config.get("search"), str):
        return None
    search = posixpath.normpath(posixpath.join(folder, config["search"]))
    if search.startswith("../") or "://" in config["search"]:
        return None
    shared = {**config, "base": ".", "search": search}
    return script_json(json.dumps(shared, sort_keys=True, ensure_ascii=True, separators=(",", ":")))
