"""Lighter pages: a built page's HTML without the indentation the theme's templates leave.

In: one page's final HTML (what MkDocs writes). Out: the same page, rendered the same, with
every line break followed by whitespace (indentation, blank lines) cut to the line break, except inside the
elements where whitespace is content: `<pre>`, `<code>`, `<textarea>`, `<script>` and
`<style>`. Elsewhere a browser collapses such a run to one space anyway. The theme's page
template repeats some 20 KB on every page, most of it that indentation.
"""

from __future__ import annotations

import re

_KEPT_OPEN = re.compile(r"<(pre|code|textarea|script|style)[\s>]", re.I)
_BLANK_RUN = re.compile(r"\n\s+")


def trim_html(html: str) -> str:
    """`html` with each line break and the whitespace after it cut to "\\n", outside the kept elements."""
    out: list[str] = []
    last = 0
    lower = html.lower()
    while (kept := _KEPT_OPEN.search(html, last)) is not None:
        out.append(_BLANK_RUN.sub("\n", html[last:kept.start()]))
        close = lower.find(f"</{kept.group(1).lower()}", kept.end())
        end = len(html) if close < 0 else lower.find(">", close) + 1 or len(html)
        out.append(html[kept.start():end])
        last = end
    out.append(_BLANK_RUN.sub("\n", html[last:]))
    return "".join(out)
