"""Lighter pages: a built page's HTML without the indentation the theme's templates leave.

In: one page's final HTML (what MkDocs writes). Out: the same page, rendered the same, with
every line break followed by whitespace (indentation, blank lines) cut to the line break, except inside the
elements where whitespace is content: `<pre>`, `<code>`, `<textarea>`, `<script>` and
`<style>`. Elsewhere a browser collapses such a run to one space anyway. The theme's page
template repeats some 20 KB on every page, most of it that indentation. `then`, if given, is
applied to each trimmed part outside those elements too (`build_marks.strip_part`), so a page
that is trimmed and has its marks stripped is split into its parts once.
"""

from __future__ import annotations

import re
from typing import Callable

_KEPT_OPEN = re.compile(r"<(pre|code|textarea|script|style)[\s>]", re.I)
_BLANK_RUN = re.compile(r"\n\s+")


def trim_html(html: str, then: Callable[[str], str] | None = None) -> str:
    """`html` with each line break and the whitespace after it cut to "\\n", outside the kept
    elements (each such part then passed through `then`, if given)."""
    if then is None:
        return _trim(html, _trimmed)
    if len(html.lower()) != len(html):  # a letter that lowers to two: the trimmed page may split elsewhere
        return _trim(_trim(html, _trimmed), then)
    return _trim(html, lambda part: then(_trimmed(part)))


def _trimmed(part: str) -> str:
    return _BLANK_RUN.sub("\n", part)


def _trim(html: str, outside: Callable[[str], str]) -> str:
    out: list[str] = []
    last = 0
    lower = html.lower()
    while (kept := _KEPT_OPEN.search(html, last)) is not None:
        out.append(outside(html[last:kept.start()]))
        close = lower.find(f"</{kept.group(1).lower()}", kept.end())
        end = len(html) if close < 0 else lower.find(">", close) + 1 or len(html)
        out.append(html[kept.start():end])
        last = end
    out.append(outside(html[last:]))
    return "".join(out)
