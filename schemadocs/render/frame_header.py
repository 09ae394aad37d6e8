"""One copy of the theme header's controls: the palette toggle and the search dialog.

In: one built page's HTML (its theme scripts already shared by `render.frame_scripts`) and
its URL in the site. Out: `share_header`, the page with the header's palette form and search
dialog (label, form, result list: some 2.4 KB, the same on every page) replaced by
`<script src>` of one shared file, and that file's text (site path → text): a script that
puts the very same markup back where it stood, before the palette script after it (which
reads the form's inputs) and before the theme's bundle (which binds the search and the
toggle) run. Both controls work only with script, so a reader without it loses nothing
that worked. Material's instant navigation never replaces the header, so the controls put
back on the first page serve every page after it.

A header not as expected (no search dialog, a script or a page-relative link in it:
another Material version, a custom header) is left as it is.
"""

from __future__ import annotations

import json
import posixpath
import re

from schemadocs.render.escape import script_json

HEADER_FILE = "assets/frame-header.js"

_START = re.compile(r'<form class="md-header__option" data-md-component="palette">'
                    r'|<label class="md-header__button md-icon" for="__search">')
_END = "</nav>\n</header>"  # the header's inner nav closes right after its last control (html_trim's line breaks)
_PALETTE_TAG = re.compile(r'<script src="(?:\.\./)*assets/frame-palette\.js"></script>')
_LINK = re.compile(r'\s(?:href|src)="([^"]*)"')
_HEADER_JS = '(function(s){s.insertAdjacentHTML("beforebegin",%s)})(document.currentScript);\n'


def share_header(page: str, url: str) -> tuple[str, dict[str, str]]:
    """`page` (at `url`) with its header's palette form and search dialog loaded from a shared
    script, and that script (`{HEADER_FILE: text}`); unchanged and `{}` when not as expected."""
    start = _START.search(page)
    if start is None:
        return page, {}
    end = page.find(_END, start.start())
    if end < 0:
        return page, {}
    region = page[start.start():end]
    palette = _PALETTE_TAG.search(region)
    markup = region if palette is None else region[:palette.start()] + region[palette.end():]
    if 'data-md-component="search"' not in markup or "<script" in markup or "<noscript" in markup:
        return page, {}
    if any("://" not in link for link in _LINK.findall(markup)):  # a page-relative link differs per page
        return page, {}
    folder = posixpath.dirname(url) or "."
    tag = f'<script src="{posixpath.relpath(HEADER_FILE, folder)}"></script>'
    shared = script_json(json.dumps(markup, ensure_ascii=True))
    return (page[:start.start()] + tag + (palette.group(0) if palette else "") + page[end:],
            {HEADER_FILE: _HEADER_JS % shared})
