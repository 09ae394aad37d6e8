"""One copy of the theme's icons: each page names them, one shared stylesheet draws them.

In: one built page's HTML before its diagrams are filled in. Out: `share_icons`, the page with
every icon the theme writes inline in its frame (the header, the navigation and the back-to-top
button: an `<svg>` of a view box and paths, nothing else) replaced by the same `<svg>`, empty,
with the classes `sd-i sd-i-<key>`, and the icons it replaced, key → (view box, paths). The
`<svg>` keeps its box, so the theme's rules size it as before; `icons_css` gives each key
its drawing as a CSS mask in the page's text colour (one shared file, `assets/icons.css`;
data URIs, so it works from disk too). Only the frame is read: the page's content
(diagrams, tables) is left alone.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import quote

Icons = dict[str, tuple[str, str]]  # key → (view box, the inner SVG: paths)

STYLE_FILE = "assets/icons.css"  # written once per build (schemadocs.frame)
_ICON = re.compile(r'<svg xmlns="http://www.w3.org/2000/svg" viewBox="([0-9. ]+)">((?:<path d="[^"<>]*"/>)+)</svg>')
_CONTENT_START = '<div class="md-content"'
_CONTENT_END = "</article>"
_RULE = re.compile(r"^\.sd-i-([0-9a-f]+)\{--sd-i:url\(\"data:image/svg\+xml,([^\"]*)\"\)\}$")
_BASE = (".sd-i{background-color:currentcolor;-webkit-mask:var(--sd-i) center/contain no-repeat;"
         "mask:var(--sd-i) center/contain no-repeat}")


def share_icons(page: str) -> tuple[str, Icons]:
    """`page` with its frame's inline icons named by class, and those icons."""
    icons: Icons = {}

    def named(match: re.Match[str]) -> str:
        view_box, body = match.group(1), match.group(2)
        key = hashlib.sha256(f"{view_box}\n{body}".encode()).hexdigest()[:10]
        icons[key] = (view_box, body)
        return f'<svg viewBox="{view_box}" class="sd-i sd-i-{key}"></svg>'

    start = page.find(_CONTENT_START)
    end = page.rfind(_CONTENT_END)
    if start < 0 or end < start:
        return _ICON.sub(named, page), icons
    return _ICON.sub(named, page[:start]) + page[start:end] + _ICON.sub(named, page[end:]), icons


def icons_css(icons: Icons) -> str:
    """The shared stylesheet: the mask rule, then one line per icon, by key."""
    lines = [_BASE]
    for key, (view_box, body) in sorted(icons.items()):
        svg = f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='{view_box}'>{body.replace(chr(34), chr(39))}</svg>"
        lines.append(f'.sd-i-{key}{{--sd-i:url("data:image/svg+xml,{quote(svg, safe=" /=:.,-_")}")}}')
    return "\n".join(lines) + "\n"


def read_icons_css(text: str) -> Icons:
    """The icons a shared stylesheet holds (an incremental build adds to the previous site's)."""
    from urllib.parse import unquote

    icons: Icons = {}
    for line in text.splitlines():
        rule = _RULE.match(line)
        if rule is None:
            continue
        svg = re.match(r"<svg xmlns='http://www.w3.org/2000/svg' viewBox='([0-9. ]+)'>(.*)</svg>\Z", unquote(rule.group(2)))
        if svg is not None:
            icons[rule.group(1)] = (svg.group(1), svg.group(2).replace("'", '"'))
    return icons
