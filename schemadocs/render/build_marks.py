"""Lighter pages: a built page's HTML without the marks only the build reads.

In: one page's final HTML (what MkDocs writes, after its search plugin has read the page).
Out: the same page without the `data-search-exclude` attributes the templates put on what the
search index leaves out (statistics, types, breadcrumbs, findings, most table cells): the
search plugin reads them while it indexes the page, before the page is written, and nothing
in the browser reads them (the theme's scripts, schemadocs' scripts and stylesheet do not),
so the page renders and behaves the same. Some 70 of them are on a relation page (about
1.5 KB); at 10,000 tables, some 20 MB of the site.

Only whole attributes of tags are taken out: a tag is parsed attribute by attribute, so the
words `data-search-exclude` inside an attribute's value or in text (a hostile comment) stay.
`<pre>`, `<code>`, `<textarea>`, `<script>` and `<style>` are left as they are.
`strip_part` does the same to a part of a page outside those elements (`render.html_trim`
calls it on each part it trims, so a page is split once for both).

The tags are found as a scan of every tag would find them, but only where a mark is: from
each `data-search-exclude` back to the `<` before it. That is the same tag the scan finds
whenever no quoted attribute value in the part holds a `<` (then every `<` the scan reaches
starts its try there, and a tag holds no `<` but its first); a part where one does is scanned
tag by tag.
"""

from __future__ import annotations

import re
from functools import lru_cache

from schemadocs.render.html_trim import outside_kept

MARK = "data-search-exclude"
_MARKED_TAG = re.compile(r"<[a-zA-Z][a-zA-Z0-9-]*(?:\s+[^\s=<>\"'/]+(?:=(?:\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?)*\s*/?>")
_QUOTED_LT = re.compile(r"=(?:\"[^\"]*<|'[^']*<)")  # a quoted attribute value (or what may be one) holding a `<`
_ATTRIBUTE = re.compile(r"(\s+)([^\s=<>\"'/]+)(=(?:\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?")


def strip_build_marks(html: str) -> str:
    """`html` without `data-search-exclude` attributes, outside the kept elements."""
    return outside_kept(html, strip_part) if MARK in html else html


def strip_part(part: str) -> str:
    """`part` (a page's text outside its kept elements) without `data-search-exclude` attributes."""
    if MARK not in part:
        return part
    if _QUOTED_LT.search(part) is not None:
        return _MARKED_TAG.sub(lambda m: _tag_without_mark(m.group(0)) if MARK in m.group(0) else m.group(0), part)
    out: list[str] = []
    last = 0
    at = part.find(MARK)
    while at >= 0:
        start = part.rfind("<", last, at)
        tag = _MARKED_TAG.match(part, start) if start >= 0 else None
        if tag is not None and tag.end() > at:
            out += (part[last:start], _tag_without_mark(tag.group(0)))
            last = tag.end()
            at = part.find(MARK, last)
        else:
            at = part.find(MARK, at + len(MARK))
    out.append(part[last:])
    return "".join(out)


@lru_cache(maxsize=4096)  # the templates write the same few marked tags on every page
def _tag_without_mark(tag: str) -> str:
    """One tag without its `data-search-exclude` attribute (a valueless one, as the templates write it)."""
    def one(match: re.Match[str]) -> str:
        return "" if match.group(2).lower() == MARK and match.group(3) is None else match.group(0)
    name_end = re.match(r"<[a-zA-Z][a-zA-Z0-9-]*", tag).end()  # type: ignore[union-attr]
    return tag[:name_end] + _ATTRIBUTE.sub(one, tag[name_end:])
