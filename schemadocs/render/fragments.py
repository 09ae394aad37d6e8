"""Large HTML blocks that join a page only after MkDocs is done with it.

In: an HTML fragment (already escaped: rendered by a template), or a page's Markdown whose
search-excluded tables are to be lifted out, and the fragment cache directory. Out: a
placeholder for the page's Markdown; the fragment itself is stored under a hash of its content. `schemadocs/inline_diagrams.py` swaps the placeholder for the fragment in
the built page, after Python-Markdown and the search plugin, which would otherwise parse it
for nothing: it is search-excluded anyway (the column index rows: 36 MB of HTML at 10,000
tables, 10 s of MkDocs' build). `lift_excluded_tables` does the same for every table a
template marks `data-search-exclude` (Health findings, a schema's relations, the Undocumented
lists): Python-Markdown, MkDocs' anchor collection and the search plugin each parse a page's
raw HTML with Python's HTMLParser, about two thirds of MkDocs' time on a large site. As the placeholder names the content's hash, a page whose
fragment changed changes too, so incremental builds see it.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from markupsafe import Markup

from schemadocs.atomic import write_atomic

FRAGMENT_PLACEHOLDER = re.compile(r"<!-- schemadocs-html ([0-9a-f]{64}) -->")
# A table a template marks search-excluded, from its opening line to its closing line. Names and
# comments reach a page escaped (render.escape), so only a template starts a line with `<table`.
EXCLUDED_TABLE = re.compile(r"^<table [^>\n]*\bdata-search-exclude\b[^>\n]*>\n.*?^</table>$", re.M | re.S)


def lift_excluded_tables(text: str, cache_dir: Path) -> str:
    """`text` (a page's Markdown) with every search-excluded table replaced by a fragment placeholder."""
    def lift(match: re.Match[str]) -> str:
        table = match.group(0)
        return table if "<table" in table[6:] else fragment(table, cache_dir)  # never a nested table
    return EXCLUDED_TABLE.sub(lift, text) if "data-search-exclude" in text else text


def fragment(html: str, cache_dir: Path) -> Markup:
    """Store `html` in the cache (once per content) and return the placeholder that stands for it."""
    key = hashlib.sha256(html.encode("utf-8")).hexdigest()
    path = cache_dir / f"{key}.html"
    if not path.exists():
        cache_dir.mkdir(parents=True, exist_ok=True)
        write_atomic(path, html)
    return Markup(f"<!-- schemadocs-html {key} -->")


def fragments_present(text: str, cache_dir: Path) -> bool:
    """Whether every fragment a page's text names is in the cache."""
    return all((cache_dir / f"{key}.html").exists() for key in FRAGMENT_PLACEHOLDER.findall(text))
