"""Large HTML blocks that join a page only after MkDocs is done with it.

In: an HTML fragment (already escaped: rendered by a template), or a page's Markdown whose
search-excluded tables are to be lifted out, and the fragment cache directory. Out: a
placeholder for the page's Markdown; the fragment itself is stored under a hash of its content. `schemadocs/inline_diagrams.py` swaps the placeholder for the fragment in
the built page, after Python-Markdown and the search plugin, which would otherwise parse it
for nothing: it is search-excluded anyway (the column index rows: 36 MB of HTML at 10,000
tables, 10 s of MkDocs' build). `lift_tables` does the same for every table a
template marks `data-search-exclude` (Health findings, a schema's relations, the Undocumented
lists): Python-Markdown, MkDocs' anchor collection and the search plugin each parse a page's
raw HTML with Python's HTMLParser, about two thirds of MkDocs' time on a large site. As the placeholder names the content's hash, a page whose
fragment changed changes too, so incremental builds see it.

A searchable table (the columns, keys and indexes of a relation page) cannot leave the page
whole: the search plugin indexes its names and comments, and MkDocs checks links against its
row anchors. It leaves as a fragment all the same, and the page keeps its *search proxy*: the
table with every element the template marks `data-search-exclude` replaced by an empty `<wbr>`.
The search plugin skips a marked element with all it holds, and a void tag splits the text
around it as the element did, so it indexes the proxy exactly as it indexed the table; the
proxy keeps every `id`, so MkDocs sees the same anchors (a table whose marked elements hold an
anchor stays whole). On a relation page the marked cells (types, defaults, badges, statistics)
are most of the table's tags, which Python-Markdown, MkDocs' anchor collection and the search
plugin each parsed with HTMLParser. After MkDocs, `put_back` swaps the proxy for the table.

A relation page's columns table needs no proxy while MkDocs works: the search plugin's entry for
its section is replaced by one entry per column (`schemadocs.search_columns`), which are read from
the built page. It leaves whole, as a *columns placeholder*, and `schemadocs.lifted_columns`
gives MkDocs its anchors (and the search plugin its proxy, where the section would stay).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Callable

from markupsafe import Markup

from schemadocs.atomic import write_atomic

FRAGMENT_PLACEHOLDER = re.compile(r"<!-- schemadocs-(?:html|columns) ([0-9a-f]{64}) -->")  # either kind
COLUMNS_PLACEHOLDER = re.compile(r"<!-- schemadocs-columns ([0-9a-f]{64}) -->")  # a columns table (lifted_columns)
COLUMNS_TABLE = '<table data-sd="columns">\n'
PROXY = re.compile(r'<table data-sd-proxy="([0-9a-f]{64})"[^>]*>.*?</table>', re.S)
# A table or list a template writes, from its opening line to its closing line, and the heading
# line just before it, if any. Names and comments reach a page escaped (render.escape), so only a
# template starts a line with `<table` or `<ul`.
TEMPLATE_BLOCK = re.compile(r"(?P<heading>^#{1,6} [^\n]*\n\n?)?^<(?P<tag>table|ul) (?P<attrs>[^>\n]*)>\n.*?^</(?P=tag)>$",
                            re.M | re.S)
MARK = "data-search-exclude"
_MARKED = re.compile(r"\sdata-search-exclude(?=[\s/>=]|$)")
_MARKED_ELEMENT = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)(?=[\s/>])[^>]*?\sdata-search-exclude(?=[\s/>=])[^>]*>")
_ANCHOR = re.compile(r"\s(?:id|name)=")
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
                   "track", "wbr"})


def lift_tables(text: str, cache_dir: Path) -> str:
    """`text` (a page's Markdown) with every search-excluded table or list replaced by a fragment
    placeholder, a relation page's columns table by a columns placeholder, and every other table
    with marked cells by its search proxy. A block under a
    heading marked search-excluded is excluded too (the search plugin drops the heading's whole
    section), unless it holds an anchor MkDocs must see."""
    def lift(match: re.Match[str]) -> str:
        heading, tag = match.group("heading") or "", match.group("tag")
        block = match.group(0)[len(heading):]
        if f"<{tag}" in block[len(tag) + 1:]:  # never a nested block
            return match.group(0)
        if _MARKED.search(f" {match.group('attrs')}>") or (_MARKED.search(heading) and not _ANCHOR.search(block)):
            return heading + fragment(block, cache_dir)
        proxy = search_proxy(block) if tag == "table" else None
        if proxy is None:
            return match.group(0)
        if block.startswith(COLUMNS_TABLE):  # its proxy, if the search plugin needs it, is made from it then
            return f"{heading}<!-- schemadocs-columns {fragment_key(block, cache_dir)} -->"
        return f'{heading}<table data-sd-proxy="{fragment_key(block, cache_dir)}"{proxy[6:]}'
    return TEMPLATE_BLOCK.sub(lift, text) if MARK in text else text


def search_proxy(table: str) -> str | None:
    """`table` with each element marked `data-search-exclude` replaced by `<wbr>`; None when none
    is marked, or when one holds an anchor, an element of its own name or anything but plain tags
    and text (a template's table holds none of these; a proxy would then be unsure)."""
    if "<!--" in table or "<script" in table or "<svg" in table:
        return None
    out: list[str] = []
    last = 0
    while (marked := _MARKED_ELEMENT.search(table, last)) is not None:
        name = marked.group(1).lower()
        if _ANCHOR.search(marked.group(0)):
            return None
        out += (table[last:marked.start()], "<wbr>")
        last = marked.end()
        if name in _VOID:
            continue
        close = table.find(f"</{name}>", last)
        if close < 0 or f"<{name}" in table[last:close] or _ANCHOR.search(table, last, close):
            return None
        last = close + len(name) + 3
    if not out:
        return None
    out.append(table[last:])
    return "".join(out)


def fragment(html: str, cache_dir: Path) -> Markup:
    """Store `html` in the cache (once per content) and return the placeholder that stands for it."""
    return Markup(f"<!-- schemadocs-html {fragment_key(html, cache_dir)} -->")


def fragment_key(html: str, cache_dir: Path) -> str:
    """Store `html` in the cache (once per content) and return its name there."""
    key = hashlib.sha256(html.encode("utf-8")).hexdigest()
    path = cache_dir / f"{key}.html"
    if not path.exists():
        try:
            write_atomic(path, html)
        except FileNotFoundError:  # the cache's first fragment: its directory is made once
            cache_dir.mkdir(parents=True, exist_ok=True)
            write_atomic(path, html)
    return key


def put_back(text: str, read: Callable[[str], str]) -> str:
    """`text` with every fragment placeholder and search proxy replaced by `read(key)`."""
    text = FRAGMENT_PLACEHOLDER.sub(lambda m: read(m.group(1)), text)
    return PROXY.sub(lambda m: read(m.group(1)), text) if "data-sd-proxy" in text else text


def fragment_keys(text: str) -> list[str]:
    """The fragments a page's text names: its placeholders and its search proxies."""
    return FRAGMENT_PLACEHOLDER.findall(text) + PROXY.findall(text)


def fragments_present(text: str, cache_dir: Path) -> bool:
    """Whether every fragment a page's text names is in the cache."""
    return all((cache_dir / f"{key}.html").exists() for key in fragment_keys(text))
