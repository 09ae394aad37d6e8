"""Lighter pages: a built page's HTML without the indentation the theme's templates leave.

In: one page's final HTML (what MkDocs writes). Out: the same page, rendered the same, with
every line break followed by whitespace (indentation, blank lines) cut to the line break, except inside the
elements where whitespace is content: `<pre>`, `<code>`, `<textarea>`, `<script>` and
`<style>`. Elsewhere a browser collapses such a run to one space anyway. The theme's page
template repeats some 20 KB on every page, most of it that indentation. `then`, if given, is
applied to each trimmed part outside those elements too (`build_marks.strip_part`), so a page
that is trimmed and has its marks stripped is split into its parts once (`outside_kept`, which
`build_marks` uses too).
"""

from __future__ import annotations

import re
from typing import Callable

_KEPT_OPEN = re.compile(r"<(pre|code|textarea|script|style)[\s>]", re.I | re.A)  # HTML: ASCII case only
_BLANK_RUN = re.compile(r"\n\s+")


def trim_html(html: str, then: Callable[[str], str] | None = None) -> str:
    """`html` with each line break and the whitespace after it cut to "\\n", outside the kept
    elements (each such part then passed through `then`, if given)."""
    if then is None:
        return outside_kept(html, _trimmed)
    return outside_kept(html, lambda part: then(_trimmed(part)))


def _trimmed(part: str) -> str:
    return _BLANK_RUN.sub("\n", part)


def outside_kept(html: str, outside: Callable[[str], str]) -> str:
    """`html` with `outside` applied to each part outside the kept elements (`<pre>`, `<code>`,
    `<textarea>`, `<script>`, `<style>`: each from its opening tag to the end of its closing tag,
    names in any case), the kept elements as they are. Positions are found in `html` itself: a
    lowered copy is not as long where a letter lowers to two (`İ`)."""
    out: list[str] = []
    last = 0
    while (kept := _KEPT_OPEN.search(html, last)) is not None:
        out.append(outside(html[last:kept.start()]))
        close = _KEPT_CLOSE[kept.group(1).lower()].search(html, kept.end())
        end = len(html) if close is None else html.find(">", close.start()) + 1 or len(html)
        out.append(html[kept.start():end])
        last = end
    out.append(outside(html[last:]))
    return "".join(out)


_KEPT_CLOSE = {name: re.compile(f"</{name}", re.I | re.A) for name in ("pre", "code", "textarea", "script", "style")}
